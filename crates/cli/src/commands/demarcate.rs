//! `terminus los`, `viewshed`, `demarcate plan|catalogue`, `describe` and
//! `survey check`: from an agreed line to pillars, documents and checks.

use super::InputArgs;
use crate::failure::Failure;
use crate::progress;
use std::path::{Path, PathBuf};
use terminus_app::output::write_text;
use terminus_app::shapes::{polygons, text_attr};
use terminus_app::units::parse_distance;
use terminus_app::Provenance;
use terminus_demarcation::catalogue::{self, Catalogue, CatalogueSettings, RowInput};
use terminus_demarcation::describe::{self, DescriptionSettings, FeatureRun, Lang};
use terminus_demarcation::los::{line_of_sight, SightSettings};
use terminus_demarcation::plan::{self, Crossing, Numbering, PillarType, PlanSettings, Water};
use terminus_demarcation::sampler::DemSampler;
use terminus_demarcation::survey::{self, SurveyedPillar};
use terminus_demarcation::viewshed::{viewshed, ViewshedMethod, ViewshedSettings};
use terminus_formats::{Format, WriteOptions};
use terminus_terrain::Dem;
use terminus_vector::{Dataset, Geometry, Value};

fn err(e: terminus_demarcation::DemarcationError) -> Failure {
    use terminus_demarcation::DemarcationError as E;
    match e {
        E::Geodesic(_) | E::DemCrs(..) => Failure::failed(e.to_string()),
        _ => Failure::usage(e.to_string()),
    }
}

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

fn load_dem(path: &Path, crs: &Option<String>) -> Result<Dem, Failure> {
    let crs = crs
        .as_deref()
        .map(|t| {
            terminus_geodesy::Crs::parse(t).map_err(|e| Failure::usage(format!("--dem-crs: {e}")))
        })
        .transpose()?;
    let spin = progress::spinner(&format!("reading {}", path.display()), true);
    let r = terminus_terrain::read(path, crs.as_ref());
    spin.finish_and_clear();
    let d = r.map_err(|e| Failure::usage(e.to_string()))?;
    d.range()
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    Ok(d)
}

// ---------------------------------------------------------------- los

/// When a point misses the DEM but its coordinates swapped would hit it,
/// say so.
fn swapped_hint(s: &DemSampler, points: &[((f64, f64), &str)], f: Failure) -> Failure {
    for &((lat, lon), what) in points {
        if s.height(lat, lon).is_err() && lon.abs() <= 90.0 && s.height(lon, lat).is_ok() {
            return f.hint(format!(
                "--{what} {lat},{lon} is off the DEM but {lon},{lat} is on it: did you give LON,LAT? Terminus expects LAT,LON"
            ));
        }
    }
    f
}

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
    let dem = load_dem(&a.dem, &a.dem_crs)?;
    let s = DemSampler::new(&dem).map_err(err)?;
    let set = SightSettings {
        height_from: a.height_from,
        height_to: a.height_to,
        refraction: a.refraction,
        curvature: !a.no_curvature,
        step,
    };
    let sight = line_of_sight(&s, from, to, &set)
        .map_err(|e| swapped_hint(&s, &[(from, "from"), (to, "to")], err(e)))?;
    if let Some(p) = &a.profile {
        let mut csv = String::from("distance_m,lat,lon,ground_m,sight_m,clearance_m\n");
        for q in &sight.profile {
            csv.push_str(&format!(
                "{:.3},{:.9},{:.9},{:.3},{:.3},{:.3}\n",
                q.distance_m, q.lat, q.lon, q.ground_m, q.sight_m, q.clearance_m
            ));
        }
        std::fs::write(p, csv)?;
    }
    if a.json {
        let v = serde_json::json!({
            "visible": sight.visible,
            "distance_m": sight.distance_m,
            "azimuth_deg": sight.azimuth_deg,
            "min_clearance_m": if sight.min_clearance_m.is_finite() { Some(sight.min_clearance_m) } else { None },
            "blocking": sight.blocking.map(|b| serde_json::json!({
                "lat": b.lat, "lon": b.lon, "distance_m": b.distance_m,
                "ground_m": b.ground_m, "sight_m": b.sight_m, "clearance_m": b.clearance_m,
            })),
            "ground_from_m": sight.ground_from_m,
            "ground_to_m": sight.ground_to_m,
            "samples": sight.profile.len(),
            "refraction": a.refraction,
            "curvature": !a.no_curvature,
        });
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
            catalogue::format_angle(sight.azimuth_deg, 1),
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
    let v = viewshed(&dem, at, &set).map_err(|e| {
        let f = err(e);
        match DemSampler::new(&dem) {
            Ok(s) => swapped_hint(&s, &[(at, "at")], f),
            Err(_) => f,
        }
    })?;
    let compute_s = t0.elapsed().as_secs_f64();
    spin.finish_and_clear();
    let value = |c: usize, r: usize| v.cells[r * v.width + c] as f64;
    let grid = terminus_terrain::geotiff::Grid {
        width: v.width,
        height: v.height,
        georef: &v.georef,
        nodata: None,
        sample: terminus_terrain::SampleType::U8,
        value: &value,
    };
    let t_write = std::time::Instant::now();
    terminus_terrain::geotiff::write_grid(&a.out, &grid)
        .map_err(|e| Failure::failed(e.to_string()))?;
    let write_s = t_write.elapsed().as_secs_f64();
    let share = v.visible_cells as f64 / v.in_range_cells.max(1) as f64;
    if a.json {
        let j = serde_json::json!({
            "visible_cells": v.visible_cells,
            "in_range_cells": v.in_range_cells,
            "void_cells": v.void_cells,
            "visible_share": share,
            "eye_m": v.eye_m,
            "width": v.width, "height": v.height,
            "method": a.method,
            "read_s": read_s,
            "compute_s": compute_s,
            "write_s": write_s,
            "out": a.out.display().to_string(),
        });
        println!("{}", serde_json::to_string_pretty(&j).unwrap_or_default());
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
    Plan(PlanArgs),
    /// The pillar catalogue of pillars given as points (with a `number` or `name` attribute), in every format.
    Catalogue(CatalogueArgs),
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
Main pillars stand at every turning point (vertex) of the line; pillars mark
its crossings with --crossings lines; where it runs in --water polygons,
pairs of bank pillars (offsets stated) replace pillars in the water. Between
them intermediates keep the spacing ≤ --max-spacing and, with --dem, each
pillar in sight of the next (else at the best visible point: highest ground,
least slope), off slopes steeper than --max-slope.

Example:
  terminus demarcate plan line.geojson --dem dem.tif --prefix TG --section Tavush-Gazakh --out pillars/")]
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
pub fn run_demarcate(a: DemarcateArgs) -> Result<u8, Failure> {
    match a.command {
        DemarcateCommand::Plan(p) => run_plan(p),
        DemarcateCommand::Catalogue(c) => run_catalogue(c),
    }
}

pub(crate) use terminus_app::shapes::one_line;

fn crossings_from(paths: &[PathBuf], input: &InputArgs) -> Result<Vec<Crossing>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        let ds = input.read(p)?.dataset;
        let kind_default = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("line")
            .to_string();
        for layer in &ds.layers {
            for f in &layer.features {
                let kind = text_attr(f, &["kind", "type", "highway", "waterway"])
                    .unwrap_or_else(|| kind_default.clone());
                let name = text_attr(f, &["name", "name_en", "ref"]);
                let mut pieces = Vec::new();
                if let Some(g) = &f.geometry {
                    collect(g, &mut pieces);
                }
                for line in pieces {
                    out.push(Crossing {
                        kind: kind.clone(),
                        name: name.clone(),
                        line,
                    });
                }
            }
        }
    }
    Ok(out)
}

fn collect(g: &Geometry, out: &mut Vec<Vec<(f64, f64)>>) {
    match g {
        Geometry::LineString(l) => out.push(l.iter().map(|c| (c.y, c.x)).collect()),
        Geometry::MultiLineString(ls) => {
            out.extend(ls.iter().map(|l| l.iter().map(|c| (c.y, c.x)).collect()))
        }
        Geometry::GeometryCollection(gs) => gs.iter().for_each(|g| collect(g, out)),
        _ => {}
    }
}

fn water_from(paths: &[PathBuf], input: &InputArgs) -> Result<Vec<Water>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        let ds = input.read(p)?.dataset;
        let name = ds
            .layers
            .iter()
            .flat_map(|l| l.features.iter())
            .find_map(|f| text_attr(f, &["name", "name_en"]));
        for rings in polygons(p, &ds)? {
            out.push(Water {
                name: name.clone(),
                rings,
            });
        }
    }
    Ok(out)
}

fn feature_runs(v: &[String]) -> Result<Vec<FeatureRun>, Failure> {
    v.iter()
        .map(|s| {
            let parts: Vec<&str> = s.splitn(4, ':').collect();
            match parts.as_slice() {
                [from, to, en] => Ok(FeatureRun {
                    from: from.trim().into(),
                    to: to.trim().into(),
                    en: en.trim().into(),
                    ru: en.trim().into(),
                }),
                [from, to, en, ru] => Ok(FeatureRun {
                    from: from.trim().into(),
                    to: to.trim().into(),
                    en: en.trim().into(),
                    ru: ru.trim().into(),
                }),
                _ => Err(Failure::usage(format!(
                    "--follows {s:?}: expected FROM:TO:ENGLISH[:RUSSIAN]"
                ))),
            }
        })
        .collect()
}

/// [`write_documents`] for the demo (replacing its own earlier files).
pub(crate) fn write_documents_for_demo(
    dir: &Path,
    cat: &Catalogue,
    doc: &DocumentArgs,
) -> Result<Vec<PathBuf>, Failure> {
    write_documents(dir, cat, doc, true)
}

/// Write the catalogue in every format and both descriptions into `dir`.
fn write_documents(
    dir: &Path,
    cat: &Catalogue,
    doc: &DocumentArgs,
    overwrite: bool,
) -> Result<Vec<PathBuf>, Failure> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let p = dir.join("catalogue.csv");
    write_text(&p, &cat.to_csv(), overwrite)?;
    written.push(p);
    // The CSV's lat/lon columns are WGS 84: say so beside it, as for a
    // shapefile, so that reading the catalogue back assumes nothing.
    let p = dir.join("catalogue.prj");
    write_text(&p, &terminus_geodesy::Crs::WGS84.to_wkt(), overwrite)?;
    written.push(p);
    let layer = cat.to_layer("pillars");
    let ds = Dataset {
        layers: vec![layer],
    };
    let opts = WriteOptions { overwrite };
    for (name, fmt) in [
        ("catalogue.geojson", Format::GeoJson),
        ("catalogue.gpkg", Format::GeoPackage),
        ("catalogue.kml", Format::Kml),
        ("catalogue.gpx", Format::Gpx),
    ] {
        let p = dir.join(name);
        terminus_formats::write(&p, fmt, &ds, &opts)?;
        written.push(p);
    }
    let settings = DescriptionSettings {
        sources: doc.source.clone(),
        feature_runs: feature_runs(&doc.follows)?,
    };
    for (lang, tag) in [(Lang::En, "en"), (Lang::Ru, "ru")] {
        let d = describe::describe(cat, lang, &settings).map_err(err)?;
        let md = dir.join(format!("description_{tag}.md"));
        let html = dir.join(format!("description_{tag}.html"));
        write_text(&md, &d.markdown, overwrite)?;
        write_text(&html, &d.html, overwrite)?;
        written.push(md);
        written.push(html);
    }
    Ok(written)
}

/// The catalogue's settings. `op` is the transformation the input came
/// through (its road), or the one the user named: the catalogue's SK-42 and
/// Gauss–Krüger columns go back through it, never another.
/// The transformation a catalogue goes back through: the input's own road
/// when it came through one (SK-42 or Gauss–Krüger input), else the one
/// named with --op; `None` lets the catalogue choose EPSG's most accurate at
/// the line's middle (WGS 84 input), and say so.
fn road_op(read: &terminus_app::Input, input: &InputArgs) -> Result<Option<u32>, Failure> {
    Ok(match read.road()?.and_then(|r| r.operation_code()) {
        Some(code) => Some(code),
        None => input.op()?,
    })
}

/// What provenance records of a demarcation run besides its inputs.
fn record_run(
    provenance: &mut Provenance,
    doc: &DocumentArgs,
    dem: Option<&Path>,
    cat: &Catalogue,
) -> Result<(), Failure> {
    if let Some(d) = dem {
        provenance.file("DEM", d, "raster", None)?;
    }
    provenance.tolerance("pillar_height_m", doc.pillar_height);
    provenance.tolerance("refraction", doc.refraction);
    provenance.tolerance(
        "catalogue_transformation",
        format!(
            "EPSG:{} ({}, {} m)",
            cat.gk_transformation, cat.gk_transformation_name, cat.gk_transformation_accuracy_m
        ),
    );
    Ok(())
}

fn doc_settings(
    doc: &DocumentArgs,
    dem: Option<&Path>,
    op: Option<u32>,
) -> Result<CatalogueSettings, Failure> {
    Ok(CatalogueSettings {
        section: doc.section.clone(),
        gk_transformation: op,
        dem_name: dem.map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        }),
        dem_accuracy: doc.dem_accuracy.clone(),
        sight: SightSettings {
            height_from: doc.pillar_height,
            height_to: doc.pillar_height,
            refraction: doc.refraction,
            ..SightSettings::default()
        },
    })
}

fn run_plan(a: PlanArgs) -> Result<u8, Failure> {
    let spacing = parse_distance(&a.max_spacing)
        .map_err(|e| Failure::usage(format!("--max-spacing: {e}")))?;
    let tol = parse_distance(&a.move_tolerance)
        .map_err(|e| Failure::usage(format!("--move-tolerance: {e}")))?;
    let mut provenance = super::provenance();
    let read = a.input.read(&a.line)?;
    let notes = read.notes();
    provenance.input("line", &read);
    let op = road_op(&read, &a.input)?;
    let line = one_line(&a.line, &read.dataset)?;
    let crossings = crossings_from(&a.crossings, &a.input)?;
    let water = water_from(&a.water, &a.input)?;
    let dem = a
        .dem
        .as_deref()
        .map(|p| load_dem(p, &a.dem_crs))
        .transpose()?;
    let sampler = dem.as_ref().map(DemSampler::new).transpose().map_err(err)?;
    let settings = PlanSettings {
        max_spacing: spacing,
        sight: SightSettings {
            height_from: a.doc.pillar_height,
            height_to: a.doc.pillar_height,
            refraction: a.doc.refraction,
            ..SightSettings::default()
        },
        max_slope_deg: a.max_slope,
        move_tolerance: tol,
        numbering: Numbering {
            prefix: a.prefix.clone(),
            digits: a.digits,
            start: a.start,
        },
    };
    let spin = progress::spinner("planning pillars", true);
    let t0 = std::time::Instant::now();
    let plan = plan::plan(&line, sampler.as_ref(), &crossings, &water, &settings).map_err(err)?;
    let cs = doc_settings(&a.doc, a.dem.as_deref(), op)?;
    let cat = catalogue::catalogue(&plan, sampler.as_ref(), &cs).map_err(err)?;
    let plan_s = t0.elapsed().as_secs_f64();
    spin.finish_and_clear();
    let written = write_documents(&a.out, &cat, &a.doc, a.overwrite)?;
    let mut plan_json = serde_json::to_value(&plan).unwrap_or_default();
    plan_json["transformation"] = serde_json::json!({
        "operation": format!("EPSG:{}", cat.gk_transformation),
        "name": cat.gk_transformation_name,
        "accuracy_m": cat.gk_transformation_accuracy_m,
    });
    let plan_text = serde_json::to_string_pretty(&plan_json).unwrap_or_default();
    write_text(&a.out.join("plan.json"), &plan_text, a.overwrite)?;
    record_run(&mut provenance, &a.doc, a.dem.as_deref(), &cat)?;
    provenance.tolerance("max_spacing_m", spacing);
    provenance.tolerance("move_tolerance_m", tol);
    provenance.tolerance("max_slope_deg", a.max_slope);
    provenance.write(&a.out)?;
    summarise(
        &cat,
        &plan.warnings,
        plan.dem_used,
        &notes,
        &written,
        a.json,
        Some(plan_s),
    );
    Ok(0)
}

fn summarise(
    cat: &Catalogue,
    warnings: &[String],
    dem_used: bool,
    notes: &[String],
    written: &[PathBuf],
    json: bool,
    plan_s: Option<f64>,
) {
    let count = |k: PillarType| cat.rows.iter().filter(|r| r.kind == k).count();
    let spacing = cat
        .rows
        .iter()
        .filter_map(|r| r.distance_next_m)
        .fold(0.0f64, f64::max);
    let not_seen = cat
        .rows
        .iter()
        .filter(|r| r.visible_next == Some(false))
        .count();
    if json {
        let v = serde_json::json!({
            "section": cat.section,
            "length_m": cat.length_m,
            "pillars": cat.rows.len(),
            "main": count(PillarType::Main),
            "intermediate": count(PillarType::Intermediate),
            "crossing": count(PillarType::Crossing),
            "bank": count(PillarType::Bank),
            "largest_spacing_m": spacing,
            "pairs_not_intervisible": if dem_used { Some(not_seen) } else { None },
            "dem_used": dem_used,
            "gk_transformation": format!("EPSG:{}", cat.gk_transformation),
            "plan_s": plan_s,
            "warnings": warnings,
            "notes": notes,
            "files": written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return;
    }
    println!(
        "{} pillars over {:.3} km ({} main, {} intermediate, {} crossing, {} bank); largest spacing {:.2} m",
        cat.rows.len(),
        cat.length_m / 1000.0,
        count(PillarType::Main),
        count(PillarType::Intermediate),
        count(PillarType::Crossing),
        count(PillarType::Bank),
        spacing
    );
    if dem_used {
        println!("consecutive pillars not intervisible: {not_seen}");
    } else {
        println!("no DEM: spacing only (intervisibility, slopes and heights not checked)");
    }
    println!(
        "Gauss–Krüger through EPSG:{} ({}, {} m)",
        cat.gk_transformation, cat.gk_transformation_name, cat.gk_transformation_accuracy_m
    );
    for n in notes {
        println!("note: {n}");
    }
    for w in warnings.iter().take(5) {
        println!("warning: {w}");
    }
    if warnings.len() > 5 {
        println!(
            "… and {} more warnings (all in plan.json)",
            warnings.len() - 5
        );
    }
    for p in written {
        println!("  → {}", p.display());
    }
}

/// Read pillars (points with a number) from any format, in file order.
fn read_pillars(
    path: &Path,
    input: &InputArgs,
) -> Result<(Vec<RowInput>, terminus_app::Input), Failure> {
    let mut input = input.clone();
    if input.lat_column.is_none() && input.lon_column.is_none() && input.x_column.is_none() {
        if let Some(Format::Csv) = Format::from_path(path) {
            input.lat_column = Some("lat".into());
            input.lon_column = Some("lon".into());
        }
    }
    let read = input.read(path)?;
    let ds = &read.dataset;
    let mut out = Vec::new();
    for layer in &ds.layers {
        for (fi, f) in layer.features.iter().enumerate() {
            let Some(Geometry::Point(c)) = &f.geometry else {
                return Err(Failure::usage(format!(
                    "{}: feature {fi}: a pillar must be a point",
                    path.display()
                )));
            };
            let number = text_attr(f, &["number", "name", "pillar", "id"]).ok_or_else(|| {
                Failure::usage(format!(
                    "{}: feature {fi}: no pillar number (attribute `number` or `name`)",
                    path.display()
                ))
            })?;
            let kind = match text_attr(f, &["type", "kind"]).as_deref() {
                Some("main") | None => PillarType::Main,
                Some("intermediate") => PillarType::Intermediate,
                Some("crossing") => PillarType::Crossing,
                Some("bank") => PillarType::Bank,
                Some(other) => {
                    return Err(Failure::usage(format!(
                        "{}: pillar {number}: type {other:?} is not main, intermediate, crossing or bank",
                        path.display()
                    )))
                }
            };
            let num = |k: &str| -> Option<f64> {
                f.properties.get(k).and_then(|v| match v {
                    Value::Float(x) => Some(*x),
                    Value::Int(i) => Some(*i as f64),
                    Value::String(s) => s.parse().ok(),
                    _ => None,
                })
            };
            out.push(RowInput {
                number,
                kind,
                lat: c.y,
                lon: c.x,
                chainage: num("chainage_m").unwrap_or(f64::NAN),
                offset: num("offset_m").unwrap_or(0.0),
                side: num("side").map(|s| s as i8).unwrap_or(0),
                slope: num("slope_deg"),
                note: text_attr(f, &["note"]),
            });
        }
    }
    if out.len() < 2 {
        return Err(Failure::usage(format!(
            "{}: {} pillar(s); a catalogue needs at least two",
            path.display(),
            out.len()
        )));
    }
    // Chainage from the pillars themselves where the file has none.
    if out.iter().any(|r| r.chainage.is_nan()) {
        let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
        use terminus_geodesy::measure::InverseGeodesic;
        let mut acc = 0.0;
        for i in 0..out.len() {
            if i > 0 {
                let s: f64 = g.inverse(out[i - 1].lat, out[i - 1].lon, out[i].lat, out[i].lon);
                acc += s;
            }
            out[i].chainage = acc;
        }
    }
    Ok((out, read))
}

/// A catalogue from a pillars file, with optional DEM.
fn catalogue_from(
    path: &Path,
    input: &InputArgs,
    dem: Option<&DemSampler>,
    cs: &CatalogueSettings,
) -> Result<(Catalogue, terminus_app::Input), Failure> {
    let (pillars, read) = read_pillars(path, input)?;
    let mid = (
        pillars[pillars.len() / 2].lat,
        pillars[pillars.len() / 2].lon,
    );
    // Back through the road the pillars came in by (or the one named).
    let named = road_op(&read, input)?.or(cs.gk_transformation);
    let op = catalogue::choose_transformation(named, mid).map_err(err)?;
    let length = pillars.last().map(|p| p.chainage).unwrap_or(0.0);
    let mut rows = catalogue::rows_for(pillars, dem, op).map_err(err)?;
    if let Some(d) = dem {
        for i in 0..rows.len().saturating_sub(1) {
            let s = line_of_sight(
                d,
                (rows[i].lat, rows[i].lon),
                (rows[i + 1].lat, rows[i + 1].lon),
                &cs.sight,
            )
            .map_err(err)?;
            rows[i].visible_next = Some(s.visible);
        }
    }
    let cat = Catalogue {
        section: cs.section.clone(),
        rows,
        gk_transformation: op.code,
        gk_transformation_name: op.name.to_string(),
        gk_transformation_accuracy_m: op.accuracy_m,
        dem: cs.dem_name.clone(),
        dem_accuracy: cs.dem_accuracy.clone(),
        length_m: length,
    };
    Ok((cat, read))
}

fn run_catalogue(a: CatalogueArgs) -> Result<u8, Failure> {
    let dem = a
        .dem
        .as_deref()
        .map(|p| load_dem(p, &a.dem_crs))
        .transpose()?;
    let sampler = dem.as_ref().map(DemSampler::new).transpose().map_err(err)?;
    let mut provenance = super::provenance();
    let cs = doc_settings(&a.doc, a.dem.as_deref(), None)?;
    let (cat, read) = catalogue_from(&a.pillars, &a.input, sampler.as_ref(), &cs)?;
    provenance.input("pillars", &read);
    let written = write_documents(&a.out, &cat, &a.doc, a.overwrite)?;
    record_run(&mut provenance, &a.doc, a.dem.as_deref(), &cat)?;
    provenance.write(&a.out)?;
    summarise(
        &cat,
        &[],
        dem.is_some(),
        &read.notes(),
        &written,
        a.json,
        None,
    );
    Ok(0)
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
pub fn run_describe(a: DescribeArgs) -> Result<u8, Failure> {
    let cs = doc_settings(&a.doc, None, None)?;
    let (cat, _) = catalogue_from(&a.catalogue, &a.input, None, &cs)?;
    if let Some(text_path) = &a.check {
        let tol = parse_distance(&a.tolerance)
            .map_err(|e| Failure::usage(format!("--tolerance: {e}")))?;
        let text = std::fs::read_to_string(text_path)
            .map_err(|e| Failure::usage(format!("{}: {e}", text_path.display())))?;
        let calls = describe::parse(&text)
            .map_err(|e| Failure::usage(format!("{}: {e}", text_path.display())))?;
        let c = describe::closure(&calls, &cat)
            .map_err(|e| Failure::usage(format!("{}: {e}", text_path.display())))?;
        let ok = c.max_m <= tol;
        if a.json {
            let v = serde_json::json!({
                "calls": calls.len(),
                "closure_m": c.closure_m,
                "max_misclosure_m": c.max_m,
                "traversed_m": c.traversed_m,
                "within_tolerance": ok,
                "tolerance_m": tol,
            });
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        } else {
            println!(
                "{} calls over {:.3} m: closure at the last pillar {:.3} mm, largest at any pillar {:.3} mm — {}",
                calls.len(),
                c.traversed_m,
                c.closure_m * 1000.0,
                c.max_m * 1000.0,
                if ok { "within tolerance" } else { "BEYOND tolerance" }
            );
        }
        return Ok(if ok { 0 } else { 1 });
    }
    let settings = DescriptionSettings {
        sources: a.doc.source.clone(),
        feature_runs: feature_runs(&a.doc.follows)?,
    };
    let lang = if a.lang == "ru" { Lang::Ru } else { Lang::En };
    let d = describe::describe(&cat, lang, &settings).map_err(err)?;
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
    let cs = CatalogueSettings::default();
    let (cat, _) = catalogue_from(&a.catalogue, &InputArgs::default(), None, &cs)?;
    let ds = InputArgs::default().read(&a.line)?.dataset;
    let line = one_line(&a.line, &ds)?;
    let surveyed = read_pillars(&a.survey, &a.input)?
        .0
        .into_iter()
        .enumerate()
        .map(|(i, p)| SurveyedPillar {
            number: p.number,
            lat: p.lat,
            lon: p.lon,
            record: i + 1,
        })
        .collect::<Vec<_>>();
    let r = survey::check(&cat, &line, &surveyed, tol)
        .map_err(|e| Failure::usage(format!("{}: {e}", a.survey.display())))?;
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
