//! `terminus los`, `viewshed`, `demarcate plan|catalogue`, `describe` and
//! `survey check`: from an agreed line to pillars, documents and checks.

use super::InputArgs;
use crate::failure::Failure;
use crate::progress;
use std::path::{Path, PathBuf};
use terminus_app::demarcate::{self, Demarcation, Documents, PlanRequest};
use terminus_app::output::write_text;
use terminus_app::units::parse_distance;
use terminus_demarcation::los::SightSettings;
use terminus_demarcation::plan::{Numbering, PillarType};
use terminus_demarcation::viewshed::{ViewshedMethod, ViewshedSettings};
use terminus_documents::description::Lang;
use terminus_terrain::Dem;

fn latlon(s: &str, what: &str) -> Result<(f64, f64), Failure> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| {
            Failure::usage(format!("--{what} {s}: expected LAT,LON in decimal degrees"))
        })?;
    match v.as_slice() {
        [lat, lon] if lat.abs() <= 90.0 && lon.abs() <= 180.0 => Ok((*lat, *lon)),
        [lat, lon] if lon.abs() <= 90.0 && lat.abs() <= 180.0 => Err(Failure::usage(format!(
            "--{what} {s}: {lat} is not a latitude; did you give LON,LAT? Terminus expects LAT,LON"
        ))),
        _ => Err(Failure::usage(format!(
            "--{what} {s}: expected LAT,LON with |LAT| ≤ 90 and |LON| ≤ 180"
        ))),
    }
}

// ---------------------------------------------------------------- los

/// Arguments of `terminus los`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Symmetric by construction: A sees B exactly when B sees A with the heights
swapped. Curvature on the ellipsoid (radius of the normal section in the
line's azimuth) and refraction: the sight line sinks by d(D − d)(1 − k)/(2R).

Example:
  terminus los dem.tif --from 39.40,72.80 --to 39.45,72.95 --height-from 1.5 --height-to 1.5 --json")]
pub struct LosArgs {
    /// The DEM (GeoTIFF, SRTM .hgt, ESRI ASCII grid).
    pub dem: PathBuf,
    /// Observer, LAT,LON (WGS 84 degrees).
    #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true)]
    pub from: String,
    /// Target, LAT,LON.
    #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true)]
    pub to: String,
    /// Observer's eye above ground, metres.
    #[arg(long, default_value_t = 2.0)]
    pub height_from: f64,
    /// Target above ground, metres.
    #[arg(long, default_value_t = 2.0)]
    pub height_to: f64,
    /// Refraction coefficient k (0 for none).
    #[arg(long, default_value_t = 0.13)]
    pub refraction: f64,
    /// Ignore the earth's curvature (and refraction).
    #[arg(long)]
    pub no_curvature: bool,
    /// Profile spacing, e.g. 10m (default: half a cell).
    #[arg(long, value_name = "DISTANCE")]
    pub step: Option<String>,
    /// CRS of a DEM that states none.
    #[arg(long, value_name = "CRS")]
    pub dem_crs: Option<String>,
    /// Write the profile as CSV (distance, lat, lon, ground, sight, clearance).
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Voids of the DEM under the sight line: refuse (each named), or fill them first (Laplace, as terrain fill-voids).
    #[arg(long, default_value = "refuse", value_parser = terminus_app::terrain::VoidPolicy::parse)]
    pub voids: terminus_app::terrain::VoidPolicy,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Run `terminus los`.
pub fn run_los(a: LosArgs) -> Result<u8, Failure> {
    let from = latlon(&a.from, "from")?;
    let to = latlon(&a.to, "to")?;
    let step = a
        .step
        .as_deref()
        .map(|s| parse_distance(s).map_err(|e| Failure::usage(format!("--step: {e}"))))
        .transpose()?;
    let mut dem = load_dem(&a.dem, &a.dem_crs)?;
    let voids = terminus_app::terrain::handle_voids_along(
        &mut dem,
        &a.dem,
        a.voids,
        &[from, to],
        "line of sight",
    )?;
    if !voids.voids.is_empty() && !a.json {
        println!("voids: {}", voids.done);
    }
    let set = SightSettings {
        height_from: a.height_from,
        height_to: a.height_to,
        refraction: a.refraction,
        curvature: !a.no_curvature,
        step,
    };
    let sight = terminus_app::sight::sight(&dem, from, to, &set)?;
    if let Some(p) = &a.profile {
        std::fs::write(p, terminus_app::sight::profile_csv(&sight))?;
    }
    if a.json {
        let mut v = terminus_app::sight::summary(&sight, &set);
        v.voids = Some(voids);
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!(
            "{} — {:.2} m at azimuth {}, smallest clearance {:.2} m over {} samples",
            if sight.visible {
                "visible"
            } else {
                "NOT visible"
            },
            sight.distance_m,
            terminus_demarcation::catalogue::format_angle(sight.azimuth_deg, 1),
            sight.min_clearance_m,
            sight.profile.len()
        );
        if let Some(b) = sight.blocking {
            println!(
                "first blocked {:.1} m from the observer at {:.6}, {:.6}: ground {:.1} m, sight line {:.1} m",
                b.distance_m, b.lat, b.lon, b.ground_m, b.sight_m
            );
        }
    }
    Ok(0)
}

// ---------------------------------------------------------------- viewshed

/// Arguments of `terminus viewshed`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Methods: 'gdal' is the one-pass reference-plane approximation of Wang et al.
(2000) as gdal_viewshed computes it (fast; smears far ridges); 'exact' decides
every cell by its own line of sight over cell-centre heights (van Kreveld's
radial sweep, as GRASS r.viewshed's model). Output: a byte GeoTIFF, 255
visible, 0 not (or beyond the radius, or a void).

Example:
  terminus viewshed dem.tif --at 39.40,72.80 --radius 20km --out seen.tif")]
pub struct ViewshedArgs {
    /// The DEM.
    pub dem: PathBuf,
    /// Observer, LAT,LON.
    #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true)]
    pub at: String,
    /// Output GeoTIFF.
    #[arg(long)]
    pub out: PathBuf,
    /// Observer's eye above ground, metres.
    #[arg(long, default_value_t = 2.0)]
    pub observer_height: f64,
    /// Target above ground, metres.
    #[arg(long, default_value_t = 0.0)]
    pub target_height: f64,
    /// Refraction coefficient k.
    #[arg(long, default_value_t = 0.13)]
    pub refraction: f64,
    /// Ignore curvature and refraction.
    #[arg(long)]
    pub no_curvature: bool,
    /// Largest distance, e.g. 20km (default: the whole DEM).
    #[arg(long, value_name = "DISTANCE")]
    pub radius: Option<String>,
    /// gdal (Wang et al. 2000), gdal-3.6 (the same as GDAL 3.1–3.8 computes it, cell for cell) or exact (van Kreveld).
    #[arg(long, default_value = "exact", value_parser = ["gdal", "gdal-3.6", "exact"])]
    pub method: String,
    /// CRS of a DEM that states none.
    #[arg(long, value_name = "CRS")]
    pub dem_crs: Option<String>,
    /// Replace an existing output.
    #[arg(long)]
    pub overwrite: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Run `terminus viewshed`.
pub fn run_viewshed(a: ViewshedArgs) -> Result<u8, Failure> {
    let at = latlon(&a.at, "at")?;
    if a.out.exists() && !a.overwrite {
        return Err(Failure::usage(format!("{} exists", a.out.display()))
            .hint("add --overwrite to replace it"));
    }
    let radius = a
        .radius
        .as_deref()
        .map(|s| parse_distance(s).map_err(|e| Failure::usage(format!("--radius: {e}"))))
        .transpose()?;
    let t_read = std::time::Instant::now();
    let dem = load_dem(&a.dem, &a.dem_crs)?;
    let read_s = t_read.elapsed().as_secs_f64();
    let set = ViewshedSettings {
        observer_height: a.observer_height,
        target_height: a.target_height,
        refraction: a.refraction,
        curvature: !a.no_curvature,
        radius_m: radius,
        method: match a.method.as_str() {
            "gdal" => ViewshedMethod::ReferencePlanes,
            "gdal-3.6" => ViewshedMethod::Gdal36,
            _ => ViewshedMethod::Exact,
        },
    };
    let spin = progress::spinner("computing the viewshed", dem.width * dem.height > 1_000_000);
    let t0 = std::time::Instant::now();
    let v = terminus_app::sight::view(&dem, at, &set)?;
    let compute_s = t0.elapsed().as_secs_f64();
    spin.finish_and_clear();
    let t_write = std::time::Instant::now();
    terminus_app::sight::write_viewshed(&a.out, &v)?;
    let write_s = t_write.elapsed().as_secs_f64();
    let summary =
        terminus_app::sight::viewshed_summary(&v, &a.method, [read_s, compute_s, write_s], &a.out);
    let share = summary.visible_share;
    if a.json {
        super::print_json(&summary);
    } else {
        println!(
            "{} of {} cells visible ({:.1} %), eye at {:.1} m; {} × {} cells → {}",
            v.visible_cells,
            v.in_range_cells,
            share * 100.0,
            v.eye_m,
            v.width,
            v.height,
            a.out.display()
        );
        if v.void_cells > 0 {
            println!(
                "{} void cells in range: marked not visible, not blocking",
                v.void_cells
            );
        }
    }
    Ok(0)
}

// ---------------------------------------------------------------- demarcate

/// Arguments of `terminus demarcate`.
#[derive(clap::Args, Debug)]
pub struct DemarcateArgs {
    #[command(subcommand)]
    pub command: DemarcateCommand,
}

/// Subcommands of `terminus demarcate`.
#[derive(clap::Subcommand, Debug)]
pub enum DemarcateCommand {
    /// Plan pillars along a delimited line and write the catalogue (CSV, GeoJSON, GeoPackage, KML, GPX) and the protocol-description (English, Russian).
    Plan(Box<PlanArgs>),
    /// The pillar catalogue of pillars given as points (with a `number` or `name` attribute), in every format.
    Catalogue(Box<CatalogueArgs>),
}

/// What the catalogue and description need besides pillars.
#[derive(clap::Args, Debug, Clone)]
pub struct DocumentArgs {
    /// Section name, e.g. "Tavush–Gazakh".
    #[arg(long, default_value = "")]
    pub section: String,
    /// The DEM's own vertical accuracy, in words, stated in the catalogue and description.
    #[arg(long, value_name = "TEXT")]
    pub dem_accuracy: Option<String>,
    /// Sources of the line, stated in the description (repeatable).
    #[arg(long, value_name = "TEXT")]
    pub source: Vec<String>,
    /// A run that follows a feature: FROM:TO:ENGLISH[:RUSSIAN], e.g. "TG-003:TG-007:the thalweg of the Debed downstream:тальвегу реки Дебед вниз по течению".
    #[arg(long, value_name = "FROM:TO:TEXT")]
    pub follows: Vec<String>,
    /// Pillars' sight height above ground for intervisibility, metres.
    #[arg(long, default_value_t = 1.5)]
    pub pillar_height: f64,
    /// Refraction coefficient k.
    #[arg(long, default_value_t = 0.13)]
    pub refraction: f64,
}

/// Arguments of `terminus demarcate plan`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Main pillars stand at the turning points (vertices) of the line, at least
--min-spacing apart: a turning point closer than that to a pillar gets none
of its own and is described from that pillar (distance, azimuth; listed in
plan.json and counted in the summary). Plan on a compromise's turning-point
line (`terminus median --compromise --simplified`), not on its densified
trace. Pillars mark
its crossings with --crossings lines; where it runs in --water polygons,
pairs of bank pillars (offsets stated) replace pillars in the water. Between
them intermediates keep the spacing ≤ --max-spacing and, with --dem, each
pillar in sight of the next (else at the best visible point: highest ground,
least slope), off slopes steeper than --max-slope.

A file of several lines (a median folder's median.geojson): choose one with
--piece N (its number among the file's lines) or --piece NAME (the features
whose `line` or `name` attribute is NAME); --clip S,W,N,E keeps the part
inside a latitude/longitude box, cut where its geodesics cross the box;
--clip-to FILE the part inside a corridor or area's polygons, cut where it
crosses their edges.

Examples:
  terminus demarcate plan line.geojson --dem dem.tif --prefix TG --section Tavush-Gazakh --out pillars/
  terminus demarcate plan mid/median.geojson --piece 'NE|OSM line 1 simplified' \
      --clip 38.62,72.02,39.98,74.48 --dem alay.tif --min-spacing 50m --out alay/")]
pub struct PlanArgs {
    /// The delimited line (one connected line).
    pub line: PathBuf,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// DEM for intervisibility, slopes and heights (without it: spacing only).
    #[arg(long)]
    pub dem: Option<PathBuf>,
    /// CRS of a DEM that states none.
    #[arg(long, value_name = "CRS")]
    pub dem_crs: Option<String>,
    /// Largest spacing between pillars.
    #[arg(long, default_value = "500m", value_name = "DISTANCE")]
    pub max_spacing: String,
    /// Smallest spacing between pillars (default a tenth of --max-spacing; at most half of it).
    #[arg(long, value_name = "DISTANCE")]
    pub min_spacing: Option<String>,
    /// Which line of the file: N (1 = the first) or the name in its `line` or `name` attribute.
    #[arg(long, value_name = "N|NAME")]
    pub piece: Option<String>,
    /// Keep the part of the line inside this box: south,west,north,east in degrees (WGS 84).
    #[arg(long, value_name = "S,W,N,E", value_parser = parse_box)]
    pub clip: Option<[f64; 4]>,
    /// Keep the part of the line inside the polygons of FILE (a corridor, a section's area; any vector format).
    #[arg(long, value_name = "FILE")]
    pub clip_to: Option<PathBuf>,
    /// Voids of the DEM under the line: refuse (each named), or fill them first (Laplace, as terrain fill-voids).
    #[arg(long, default_value = "refuse", value_parser = terminus_app::terrain::VoidPolicy::parse)]
    pub voids: terminus_app::terrain::VoidPolicy,
    /// Steepest ground for a pillar, degrees.
    #[arg(long, default_value_t = 30.0)]
    pub max_slope: f64,
    /// How far a pillar may move along the line for better ground.
    #[arg(long, default_value = "50m", value_name = "DISTANCE")]
    pub move_tolerance: String,
    /// Pillar number prefix (section code), e.g. TG.
    #[arg(long, default_value = "P")]
    pub prefix: String,
    /// Digits of main pillar numbers.
    #[arg(long, default_value_t = 3)]
    pub digits: usize,
    /// Number of the first main pillar.
    #[arg(long, default_value_t = 1)]
    pub start: u32,
    /// Lines the boundary crosses (roads, rivers, tracks); repeatable. The kind is the file's name unless a feature has a `kind` attribute.
    #[arg(long, value_name = "FILE")]
    pub crossings: Vec<PathBuf>,
    /// Water polygons (rivers, lakes); repeatable.
    #[arg(long, value_name = "FILE")]
    pub water: Vec<PathBuf>,
    #[command(flatten)]
    pub doc: DocumentArgs,
    #[command(flatten)]
    pub input: InputArgs,
    /// Populated places (points, any vector format): those within --places-within of the line are listed in the report and drawn on the map, with their distance and side.
    #[arg(long, value_name = "FILE")]
    pub places: Option<PathBuf>,
    /// How near the line a place is listed.
    #[arg(long, default_value = "5km", value_parser = terminus_app::units::parse_distance, requires = "places", value_name = "DISTANCE")]
    pub places_within: f64,
    /// The places' name attribute (default: name, NAME, Name, city, asciiname, title).
    #[arg(long, requires = "places", value_name = "FIELD")]
    pub name_field: Option<String>,
    /// Plan only from this point of the line: LAT,LON (WGS 84) or a place's name in --places; the line is cut at the point's foot on it (nearest point, geodesic).
    #[arg(
        long,
        value_name = "LAT,LON|PLACE",
        requires = "to_point",
        allow_hyphen_values = true
    )]
    pub from_point: Option<String>,
    /// … to this point (LAT,LON or a place's name); the line keeps its own direction.
    #[arg(
        long,
        value_name = "LAT,LON|PLACE",
        requires = "from_point",
        allow_hyphen_values = true
    )]
    pub to_point: Option<String>,
    /// Language of report.md and the map: en or ru (figures and pillar numbers are the same in both; the planner's warnings are quoted in English).
    #[arg(long, default_value = "en", value_parser = terminus_app::words::Lang::parse)]
    pub lang: terminus_app::words::Lang,
    /// Replace existing outputs.
    #[arg(long)]
    pub overwrite: bool,
    /// Print a JSON summary.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `terminus demarcate catalogue`.
#[derive(clap::Args, Debug)]
pub struct CatalogueArgs {
    /// Pillars as points in order along the line, each with `number` (or `name`), optionally `type`.
    pub pillars: PathBuf,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// DEM for heights and intervisibility.
    #[arg(long)]
    pub dem: Option<PathBuf>,
    /// CRS of a DEM that states none.
    #[arg(long, value_name = "CRS")]
    pub dem_crs: Option<String>,
    #[command(flatten)]
    pub doc: DocumentArgs,
    #[command(flatten)]
    pub input: InputArgs,
    /// Replace existing outputs.
    #[arg(long)]
    pub overwrite: bool,
    /// Print a JSON summary.
    #[arg(long)]
    pub json: bool,
}

/// Run `terminus demarcate`.
/// Run `terminus demarcate`.
pub fn run_demarcate(a: DemarcateArgs) -> Result<u8, Failure> {
    match a.command {
        DemarcateCommand::Plan(p) => run_plan(*p),
        DemarcateCommand::Catalogue(c) => run_catalogue(*c),
    }
}

impl DocumentArgs {
    fn documents(&self) -> Documents {
        Documents {
            section: self.section.clone(),
            dem_accuracy: self.dem_accuracy.clone(),
            sources: self.source.clone(),
            follows: self.follows.clone(),
            pillar_height: self.pillar_height,
            refraction: self.refraction,
        }
    }
}

fn dem_crs(s: &Option<String>) -> Result<Option<terminus_geodesy::Crs>, Failure> {
    s.as_deref()
        .map(|t| {
            terminus_geodesy::Crs::parse(t).map_err(|e| Failure::usage(format!("--dem-crs: {e}")))
        })
        .transpose()
}

fn load_dem(path: &Path, crs: &Option<String>) -> Result<Dem, Failure> {
    let spin = progress::spinner(&format!("reading {}", path.display()), true);
    let d = demarcate::load_dem(path, dem_crs(crs)?.as_ref());
    spin.finish_and_clear();
    d
}

/// "S,W,N,E" in degrees → [south, west, north, east].
fn parse_box(s: &str) -> Result<[f64; 4], String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("{s:?} is not S,W,N,E in degrees (e.g. 38.62,72.02,39.98,74.48)"))?;
    match v.as_slice() {
        &[south, west, north, east] => Ok([south, west, north, east]),
        _ => Err(format!("{s:?}: four numbers, S,W,N,E")),
    }
}

fn run_plan(a: PlanArgs) -> Result<u8, Failure> {
    let req = PlanRequest {
        line: a.line.clone(),
        dem: a.dem.clone(),
        dem_crs: dem_crs(&a.dem_crs)?,
        max_spacing: parse_distance(&a.max_spacing)
            .map_err(|e| Failure::usage(format!("--max-spacing: {e}")))?,
        min_spacing: a
            .min_spacing
            .as_deref()
            .map(parse_distance)
            .transpose()
            .map_err(|e| Failure::usage(format!("--min-spacing: {e}")))?,
        piece: a.piece.clone(),
        clip: a.clip,
        clip_to: a.clip_to.clone(),
        voids: a.voids,
        max_slope: a.max_slope,
        move_tolerance: parse_distance(&a.move_tolerance)
            .map_err(|e| Failure::usage(format!("--move-tolerance: {e}")))?,
        numbering: Numbering {
            prefix: a.prefix.clone(),
            digits: a.digits,
            start: a.start,
        },
        crossings: a.crossings.clone(),
        lang: a.lang,
        places: a.places.clone(),
        places_within: Some(a.places_within),
        name_field: a.name_field.clone(),
        between: a
            .from_point
            .clone()
            .zip(a.to_point.clone())
            .map(|(f, t)| [f, t]),
        water: a.water.clone(),
        documents: a.doc.documents(),
        input: a.input.plain()?,
    };
    let spin = progress::spinner("planning pillars", true);
    let d = demarcate::plan(&req, super::provenance());
    spin.finish_and_clear();
    let d = d?;
    let written = demarcate::write(&a.out, &d, &req.documents, a.overwrite)?;
    summarise(&d, &written, a.json);
    Ok(0)
}

fn run_catalogue(a: CatalogueArgs) -> Result<u8, Failure> {
    let crs = dem_crs(&a.dem_crs)?;
    let docs = a.doc.documents();
    let spin = progress::spinner("cataloguing pillars", a.dem.is_some());
    let d = demarcate::catalogue_of(
        &a.pillars,
        a.dem.as_deref().map(|p| (p, crs.as_ref())),
        &docs,
        &a.input.plain()?,
        super::provenance(),
    );
    spin.finish_and_clear();
    let d = d?;
    let written = demarcate::write(&a.out, &d, &docs, a.overwrite)?;
    summarise(&d, &written, a.json);
    Ok(0)
}

fn summarise(d: &Demarcation, written: &[PathBuf], json: bool) {
    if json {
        let v = demarcate::summary(d, written);
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return;
    }
    let cat = &d.catalogue;
    let count = |k: PillarType| cat.rows.iter().filter(|r| r.kind == k).count();
    let dem_used = d.plan.as_ref().map_or(cat.dem.is_some(), |p| p.dem_used);
    let warnings: &[String] = d.plan.as_ref().map_or(&[], |p| &p.warnings);
    println!(
        "{} pillars over {:.3} km ({} main, {} intermediate, {} crossing, {} bank); largest spacing {:.2} m",
        cat.rows.iter().filter(|r| r.kind.marked()).count(),
        cat.length_m / 1000.0,
        count(PillarType::Main),
        count(PillarType::Intermediate),
        count(PillarType::Crossing),
        count(PillarType::Bank),
        demarcate::largest_spacing(cat)
    );
    if let Some(v) = d.voids.as_ref().filter(|v| !v.voids.is_empty()) {
        println!("voids: {}", v.done);
    }
    if let Some(p) = &d.plan {
        if !p.merged.is_empty() {
            println!(
                "{} turning point(s) closer than {} m to a pillar have none of their own: catalogued as unmarked, described from it",
                p.merged.len(),
                p.min_spacing_m
            );
        }
    }
    if dem_used {
        println!(
            "consecutive pillars not intervisible: {}",
            demarcate::not_intervisible(cat)
        );
    } else {
        println!("no DEM: spacing only (intervisibility, slopes and heights not checked)");
    }
    println!(
        "Gauss–Krüger through EPSG:{} ({}, {} m)",
        cat.gk_transformation, cat.gk_transformation_name, cat.gk_transformation_accuracy_m
    );
    for n in &d.notes {
        println!("note: {n}");
    }
    for w in warnings.iter().take(5) {
        println!("warning: {w}");
    }
    if warnings.len() > 5 {
        println!(
            "… and {} more warnings (all in report.md and plan.json)",
            warnings.len() - 5
        );
    }
    for p in written {
        println!("  → {}", p.display());
    }
}

// ---------------------------------------------------------------- describe

/// Arguments of `terminus describe`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Write the protocol-description of a catalogue, or (--check) parse a written
description back into coordinates and report its closure against the
catalogue: text and coordinates proven to agree.

Examples:
  terminus describe pillars/catalogue.csv --lang ru --section TG --out description_ru.html
  terminus describe pillars/catalogue.csv --check pillars/description_en.md")]
pub struct DescribeArgs {
    /// The pillar catalogue (CSV from `demarcate`, or any points file with `number`).
    pub catalogue: PathBuf,
    /// en or ru.
    #[arg(long, default_value = "en", value_parser = ["en", "ru"])]
    pub lang: String,
    /// Output: .md or .html (default: Markdown to standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Parse this description back and report its closure instead.
    #[arg(long, value_name = "DESCRIPTION")]
    pub check: Option<PathBuf>,
    /// Closure tolerance for --check, e.g. 1mm.
    #[arg(long, default_value = "1mm", value_name = "DISTANCE")]
    pub tolerance: String,
    #[command(flatten)]
    pub doc: DocumentArgs,
    #[command(flatten)]
    pub input: InputArgs,
    /// Replace an existing output.
    #[arg(long)]
    pub overwrite: bool,
    /// Print JSON (with --check).
    #[arg(long)]
    pub json: bool,
}

/// Run `terminus describe`.
/// Run `terminus describe`.
pub fn run_describe(a: DescribeArgs) -> Result<u8, Failure> {
    let docs = a.doc.documents();
    let cat = demarcate::read_catalogue(&a.catalogue, &docs, &a.input.plain()?)?;
    if let Some(text_path) = &a.check {
        let tol = parse_distance(&a.tolerance)
            .map_err(|e| Failure::usage(format!("--tolerance: {e}")))?;
        let (calls, c) = demarcate::check_description(text_path, &cat)?;
        let check = demarcate::DescriptionCheck::new(calls, &c, tol);
        if a.json {
            super::print_json(&check);
        } else {
            println!(
                "{calls} calls over {:.3} m: closure at the last pillar {:.3} mm, largest at any pillar {:.3} mm — {}",
                c.traversed_m,
                c.closure_m * 1000.0,
                c.max_m * 1000.0,
                if check.within_tolerance { "within tolerance" } else { "BEYOND tolerance" }
            );
        }
        return Ok(if check.within_tolerance { 0 } else { 1 });
    }
    let lang = if a.lang == "ru" { Lang::Ru } else { Lang::En };
    let d = demarcate::description(&cat, &docs, lang)?;
    match &a.out {
        Some(p) => {
            let html = p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
            write_text(p, if html { &d.html } else { &d.markdown }, a.overwrite)?;
            println!("{} runs → {}", d.calls.len(), p.display());
        }
        None => print!("{}", d.markdown),
    }
    Ok(0)
}

// ---------------------------------------------------------------- survey

/// Arguments of `terminus survey`.
#[derive(clap::Args, Debug)]
pub struct SurveyArgs {
    #[command(subcommand)]
    pub command: SurveyCommand,
}

/// Subcommands of `terminus survey`.
#[derive(clap::Subcommand, Debug)]
pub enum SurveyCommand {
    /// Surveyed pillars (CSV or GPX from GNSS) against the catalogue and the line: deviations, offsets, sides.
    Check(SurveyCheckArgs),
}

/// Arguments of `terminus survey check`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Example:
  terminus survey check rtk.gpx --catalogue pillars/catalogue.csv --line line.geojson --tolerance 5cm")]
pub struct SurveyCheckArgs {
    /// Surveyed positions: points with the pillar number as `number` or `name` (GPX waypoint names work).
    pub survey: PathBuf,
    /// The catalogue of planned pillars.
    #[arg(long)]
    pub catalogue: PathBuf,
    /// The delimited line.
    #[arg(long)]
    pub line: PathBuf,
    /// Tolerance, e.g. 5cm.
    #[arg(long, default_value = "5cm", value_name = "DISTANCE")]
    pub tolerance: String,
    /// The survey file's --lat-column, --crs etc.
    #[command(flatten)]
    pub input: InputArgs,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
/// Run `terminus survey`.
pub fn run_survey(a: SurveyArgs) -> Result<u8, Failure> {
    let SurveyCommand::Check(a) = a.command;
    let tol =
        parse_distance(&a.tolerance).map_err(|e| Failure::usage(format!("--tolerance: {e}")))?;
    let r = demarcate::survey_check(&a.survey, &a.catalogue, &a.line, tol, &a.input.plain()?)?;
    let bad = r.beyond_tolerance + r.wrong_side + r.off_line;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
    } else {
        println!(
            "{} pillars checked (tolerance {:.3} m): largest deviation {:.3} m; {} beyond tolerance, {} on the wrong side, {} off the line; {} not surveyed",
            r.pillars.len(),
            tol,
            r.max_deviation_m,
            r.beyond_tolerance,
            r.wrong_side,
            r.off_line,
            r.not_surveyed.len()
        );
        for p in r
            .pillars
            .iter()
            .filter(|p| p.beyond_tolerance || p.wrong_side || p.off_line)
        {
            println!(
                "  {}: {:.3} m from its planned position (azimuth {:.1}°), {:.3} m {} of the line{}{}",
                p.number,
                p.deviation_m,
                p.deviation_azimuth_deg,
                p.offset_from_line_m,
                match p.side {
                    1 => "left",
                    -1 => "right",
                    _ => "on",
                },
                if p.wrong_side { " — WRONG SIDE" } else { "" },
                if p.off_line { " — OFF THE LINE" } else { "" },
            );
        }
    }
    Ok(if bad > 0 { 1 } else { 0 })
}
