//! The demarcation workflows: pillars planned along a delimited line, the
//! pillar catalogue and the protocol-description, from files read through
//! the input road. The catalogue's SK-42 and Gauss–Krüger columns go back
//! through the transformation the input came in by ([`road_op`]): a turning
//! point the commission supplied comes back as supplied.

mod report;

use crate::failure::Failure;
use crate::input::{read, Input, InputOptions};
use crate::output::write_text;
use crate::provenance::Provenance;
use crate::shapes::{one_line, polygons, select_line, text_attr};
use std::path::{Path, PathBuf};
use terminus_demarcation::catalogue::{self, Catalogue, CatalogueSettings, RowInput};
use terminus_demarcation::los::{line_of_sight, SightSettings};
use terminus_demarcation::plan::{
    self, Crossing, Numbering, PillarType, Plan, PlanSettings, Water,
};
use terminus_demarcation::sampler::DemSampler;
use terminus_demarcation::DemarcationError;
use terminus_documents::description::{self as describe, DescriptionSettings, FeatureRun, Lang};
use terminus_formats::{Format, WriteOptions};
use terminus_geodesy::Crs;
use terminus_terrain::Dem;
use terminus_vector::{Dataset, Geometry, Value};

/// A demarcation engine's error, as a failure: geodesic and DEM-CRS
/// problems are the operation's (exit 1), the rest bad input (exit 2).
pub fn failure(e: DemarcationError) -> Failure {
    match e {
        DemarcationError::Geodesic(_) | DemarcationError::DemCrs(..) => {
            Failure::failed(e.to_string())
        }
        _ => Failure::usage(e.to_string()),
    }
}

/// A document's error, as a failure: a geodesic problem is the
/// operation's (exit 1), the rest bad input (exit 2).
pub fn document_failure(e: terminus_documents::DocumentError) -> Failure {
    match e {
        terminus_documents::DocumentError::Geodesic(_) => Failure::failed(e.to_string()),
        _ => Failure::usage(e.to_string()),
    }
}

/// What the catalogue and description state besides the pillars.
#[derive(Debug, Clone)]
pub struct Documents {
    /// Section name, e.g. "Tavush–Gazakh".
    pub section: String,
    /// The DEM's vertical accuracy, in words.
    pub dem_accuracy: Option<String>,
    /// Sources of the line.
    pub sources: Vec<String>,
    /// Runs that follow a feature: FROM:TO:ENGLISH[:RUSSIAN].
    pub follows: Vec<String>,
    /// Pillars' sight height above ground, metres.
    pub pillar_height: f64,
    /// Refraction coefficient k.
    pub refraction: f64,
}

impl Default for Documents {
    fn default() -> Documents {
        Documents {
            section: String::new(),
            dem_accuracy: None,
            sources: Vec::new(),
            follows: Vec::new(),
            pillar_height: 1.5,
            refraction: 0.13,
        }
    }
}

/// Read a DEM (its CRS, or `crs` when it states none) and check its range.
pub fn load_dem(path: &Path, crs: Option<&Crs>) -> Result<Dem, Failure> {
    let d = terminus_terrain::read(path, crs).map_err(|e| Failure::usage(e.to_string()))?;
    d.range()
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    Ok(d)
}

/// What to plan.
#[derive(Debug, Clone)]
pub struct PlanRequest {
    /// The delimited line (one connected line).
    pub line: PathBuf,
    /// DEM for intervisibility, slopes and heights.
    pub dem: Option<PathBuf>,
    /// CRS of a DEM that states none.
    pub dem_crs: Option<Crs>,
    /// Largest spacing between pillars, metres.
    pub max_spacing: f64,
    /// Smallest spacing between pillars, metres (default a tenth of the
    /// largest): turning points closer together share a pillar.
    pub min_spacing: Option<f64>,
    /// Which line of the file: its number among the file's line parts
    /// (1 = the first), or the name of its features (`line` or `name`
    /// attribute, as `median.geojson` names its lines).
    pub piece: Option<String>,
    /// Clip the line to this box (south, west, north, east; degrees WGS 84).
    pub clip: Option<[f64; 4]>,
    /// Clip the line to the polygons of this file (a corridor, a
    /// section's area; any vector format, through the input road): the
    /// part inside, cut exactly where it crosses their edges.
    pub clip_to: Option<PathBuf>,
    /// Voids of the DEM under the line: refuse (default) or fill first.
    pub voids: crate::terrain::VoidPolicy,
    /// Steepest ground for a pillar, degrees.
    pub max_slope: f64,
    /// How far a pillar may move along the line, metres.
    pub move_tolerance: f64,
    /// Pillar numbering.
    pub numbering: Numbering,
    /// Lines the boundary crosses.
    pub crossings: Vec<PathBuf>,
    /// Water polygons.
    pub water: Vec<PathBuf>,
    /// What the documents state.
    pub documents: Documents,
    /// How to read the vector files.
    pub input: InputOptions,
    /// The language of the plan's report and map.
    pub lang: crate::words::Lang,
    /// Populated places (points): those within `places_within` of the
    /// line are listed in the report and drawn on the map.
    pub places: Option<PathBuf>,
    /// How near the line a place is listed, metres (5 km when none).
    pub places_within: Option<f64>,
    /// The places' name attribute (default name, NAME, …).
    pub name_field: Option<String>,
    /// Plan only the part of the line between two points: each "LAT,LON"
    /// (WGS 84) or a place's name in `places`; the line is cut at each
    /// point's foot on it (the nearest point, geodesic).
    pub between: Option<[String; 2]>,
}

/// Pillars planned and catalogued.
pub struct Demarcation {
    /// The plan (absent for a catalogue of given pillars).
    pub plan: Option<Plan>,
    /// The DEM's voids under the line and what was done (plans with a DEM).
    pub voids: Option<crate::terrain::VoidsMet>,
    /// The catalogue.
    pub catalogue: Catalogue,
    /// The input road's notes.
    pub notes: Vec<String>,
    /// Seconds planning took.
    pub plan_s: Option<f64>,
    /// The steepest ground asked for, degrees (plans).
    pub max_slope_deg: f64,
    /// The plan's map (over the DEM's relief when there is one).
    pub map: Option<terminus_cartography::Map>,
    /// The language of the plan's report and map.
    pub lang: crate::words::Lang,
    /// The places near the line (`--places`), along it.
    pub places: Vec<crate::places::NearPlace>,
    /// How near the line a place is listed, metres (with `--places`).
    pub places_within_m: Option<f64>,
    /// What made it.
    pub provenance: Provenance,
}

/// Plan pillars along the line and catalogue them.
pub fn plan(req: &PlanRequest, mut provenance: Provenance) -> Result<Demarcation, Failure> {
    let read_line = read(&req.line, &req.input)?;
    let mut notes = read_line.notes();
    provenance.input("line", &read_line);
    let op = road_op(&read_line, &req.input)?;
    let mut line = select_line(
        &req.line,
        &read_line.dataset,
        req.piece.as_deref(),
        req.clip,
    )?;
    if let Some(path) = &req.clip_to {
        let read_polygons = read(path, &req.input)?;
        provenance.input("clip polygons", &read_polygons);
        notes.extend(read_polygons.notes());
        let polygons = crate::shapes::polygons(path, &read_polygons.dataset)?;
        line = crate::shapes::clip_to_polygons(&line, &polygons, path)?;
        provenance.tolerance("clip_to", path.display().to_string());
    }
    // The places, read once: for the named cut points and the places
    // near the line.
    let places_read = req
        .places
        .as_deref()
        .map(|path| {
            crate::places::read(
                path,
                &req.input,
                req.name_field.as_deref(),
                &mut notes,
                Some(&mut provenance),
            )
        })
        .transpose()?;
    if let Some([from, to]) = &req.between {
        let named = places_read.as_deref();
        let (a, b) = (
            point_named(from, req, named, "--from-point")?,
            point_named(to, req, named, "--to-point")?,
        );
        let (cut, off) = crate::shapes::between(&line, a, b)?;
        line = cut;
        for (spec, d) in [(from, off[0]), (to, off[1])] {
            notes.push(format!(
                "the line is cut at the foot of {spec} ({:.1} m from the line)",
                d
            ));
        }
        provenance.tolerance(
            "between",
            format!(
                "{from} ({:.1} m off the line) to {to} ({:.1} m off)",
                off[0], off[1]
            ),
        );
    }
    let crossings = crossings_from(&req.crossings, &req.input)?;
    let water = water_from(&req.water, &req.input)?;
    let mut dem = req
        .dem
        .as_deref()
        .map(|p| load_dem(p, req.dem_crs.as_ref()))
        .transpose()?;
    // Pillars' heights and sight lines are read along the line: a void
    // under it is refused, or filled when asked.
    let voids = match (&mut dem, req.dem.as_deref()) {
        (Some(d), Some(p)) => Some(crate::terrain::handle_voids_along(
            d,
            p,
            req.voids,
            &line,
            "line of pillars",
        )?),
        _ => None,
    };
    let sampler = dem
        .as_ref()
        .map(DemSampler::new)
        .transpose()
        .map_err(failure)?;
    let doc = &req.documents;
    let settings = PlanSettings {
        max_spacing: req.max_spacing,
        min_spacing: req.min_spacing.unwrap_or(req.max_spacing / 10.0),
        sight: SightSettings {
            height_from: doc.pillar_height,
            height_to: doc.pillar_height,
            refraction: doc.refraction,
            ..SightSettings::default()
        },
        max_slope_deg: req.max_slope,
        move_tolerance: req.move_tolerance,
        numbering: req.numbering.clone(),
    };
    let t0 = std::time::Instant::now();
    let plan =
        plan::plan(&line, sampler.as_ref(), &crossings, &water, &settings).map_err(failure)?;
    let cs = doc_settings(doc, req.dem.as_deref(), op)?;
    let cat = catalogue::catalogue(&plan, sampler.as_ref(), &cs).map_err(failure)?;
    let plan_s = t0.elapsed().as_secs_f64();
    record_run(&mut provenance, doc, req.dem.as_deref(), &cat)?;
    provenance.tolerance("max_spacing_m", req.max_spacing);
    provenance.tolerance("min_spacing_m", plan.min_spacing_m);
    if let Some(piece) = &req.piece {
        provenance.tolerance("piece", piece.clone());
    }
    if let Some([south, west, north, east]) = req.clip {
        provenance.tolerance("clip", format!("{south},{west},{north},{east}"));
    }
    if let Some(v) = &voids {
        provenance.tolerance("voids", v.done.clone());
    }
    provenance.tolerance("move_tolerance_m", req.move_tolerance);
    provenance.tolerance("max_slope_deg", req.max_slope);
    let within = req
        .places
        .as_ref()
        .map(|_| req.places_within.unwrap_or(5000.0));
    let places = match (&places_read, within) {
        (Some(all), Some(within)) => {
            provenance.tolerance("places_within_m", within);
            crate::places::near_lines(all, &[("line".to_string(), plan.line.clone())], within)?
        }
        _ => Vec::new(),
    };
    let mut d = Demarcation {
        plan: Some(plan),
        voids,
        catalogue: cat,
        notes,
        plan_s: Some(plan_s),
        max_slope_deg: req.max_slope,
        map: None,
        lang: req.lang,
        places,
        places_within_m: within,
        provenance,
    };
    d.map = report::plan_map(&d, sampler.as_ref());
    Ok(d)
}

/// The catalogue of pillars given as points (with a `number` or `name`).
pub fn catalogue_of(
    pillars: &Path,
    dem: Option<(&Path, Option<&Crs>)>,
    documents: &Documents,
    input: &InputOptions,
    mut provenance: Provenance,
) -> Result<Demarcation, Failure> {
    let dem_grid = dem.map(|(p, c)| load_dem(p, c)).transpose()?;
    let sampler = dem_grid
        .as_ref()
        .map(DemSampler::new)
        .transpose()
        .map_err(failure)?;
    let cs = doc_settings(documents, dem.map(|d| d.0), None)?;
    let (cat, read) = catalogue_from(pillars, input, sampler.as_ref(), &cs)?;
    provenance.input("pillars", &read);
    record_run(&mut provenance, documents, dem.map(|d| d.0), &cat)?;
    Ok(Demarcation {
        plan: None,
        voids: None,
        catalogue: cat,
        notes: read.notes(),
        plan_s: None,
        max_slope_deg: 90.0,
        map: None,
        lang: crate::words::Lang::En,
        places: Vec::new(),
        places_within_m: None,
        provenance,
    })
}

/// A point given as "LAT,LON" (WGS 84 degrees) or as a place's name in
/// the request's places file (`places`, as read from it).
fn point_named(
    spec: &str,
    req: &PlanRequest,
    places: Option<&[terminus_compare::Place]>,
    flag: &str,
) -> Result<(f64, f64), Failure> {
    let numbers: Vec<Option<f64>> = spec.split(',').map(|x| x.trim().parse().ok()).collect();
    if let [Some(lat), Some(lon)] = numbers[..] {
        if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
            return Ok((lat, lon));
        }
        return Err(Failure::usage(format!(
            "{flag} {spec}: not a latitude,longitude in degrees"
        )));
    }
    let (Some(path), Some(places)) = (&req.places, places) else {
        return Err(Failure::usage(format!(
            "{flag} {spec:?}: give LAT,LON, or the places file the name is in with --places"
        )));
    };
    let found: Vec<_> = places.iter().filter(|p| p.name == spec).collect();
    match found[..] {
        [p] => Ok((p.lat, p.lon)),
        [] => Err(Failure::usage(format!(
            "{flag} {spec:?}: no place of that name in {}",
            path.display()
        ))),
        _ => Err(Failure::usage(format!(
            "{flag} {spec:?}: {} places of that name in {} ({}): give LAT,LON",
            found.len(),
            path.display(),
            found
                .iter()
                .map(|p| format!("{:.5},{:.5}", p.lat, p.lon))
                .collect::<Vec<_>>()
                .join("; ")
        ))),
    }
}

/// Write the catalogue, descriptions, plan.json (naming the
/// transformation) and provenance.json into `dir`; the files written.
pub fn write(
    dir: &Path,
    d: &Demarcation,
    documents: &Documents,
    overwrite: bool,
) -> Result<Vec<PathBuf>, Failure> {
    let written = write_documents(dir, &d.catalogue, documents, overwrite)?;
    if let Some(plan) = &d.plan {
        let cat = &d.catalogue;
        let mut plan_json = serde_json::to_value(plan).unwrap_or_default();
        plan_json["voids"] = serde_json::to_value(&d.voids).unwrap_or_default();
        plan_json["transformation"] = serde_json::json!({
            "operation": format!("EPSG:{}", cat.gk_transformation),
            "name": cat.gk_transformation_name,
            "accuracy_m": cat.gk_transformation_accuracy_m,
        });
        let plan_text = serde_json::to_string_pretty(&plan_json).unwrap_or_default();
        write_text(&dir.join("plan.json"), &plan_text, overwrite)?;
        write_plan_report(dir, d, overwrite)?;
    }
    d.provenance.write(dir)?;
    Ok(written)
}

/// Write a plan's map (`maps/plan.png`, `.svg`) and `report.md` into `dir`.
pub fn write_plan_report(dir: &Path, d: &Demarcation, overwrite: bool) -> Result<(), Failure> {
    {
        let mut map_ref = None;
        if let Some(map) = &d.map {
            std::fs::create_dir_all(dir.join("maps"))?;
            write_text(&dir.join("maps/plan.svg"), &map.to_svg(), overwrite)?;
            let png = map.to_png().map_err(|e| Failure::failed(e.to_string()))?;
            let path = dir.join("maps/plan.png");
            if path.exists() && !overwrite {
                return Err(Failure::usage(format!("{} exists", path.display()))
                    .hint("add --overwrite to replace it"));
            }
            std::fs::write(&path, png)?;
            map_ref = Some("maps/plan.png");
        }
        write_text(
            &dir.join("report.md"),
            &report::plan_report(d, map_ref),
            overwrite,
        )?;
    }
    Ok(())
}

/// The plan's map (over the DEM's relief when a sampler is given).
pub fn plan_map(d: &Demarcation, dem: Option<&DemSampler>) -> Option<terminus_cartography::Map> {
    report::plan_map(d, dem)
}

/// What `demarcate plan|catalogue --json` prints (docs/demarcation.md).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemarcationSummary {
    /// Section name.
    pub section: String,
    /// Length of the line (or of the pillars' chain), metres.
    pub length_m: f64,
    /// Pillars in the catalogue.
    pub pillars: usize,
    /// Main pillars (turning points).
    pub main: usize,
    /// Intermediate pillars.
    pub intermediate: usize,
    /// Crossing pillars.
    pub crossing: usize,
    /// Bank pillars.
    pub bank: usize,
    /// Largest distance between consecutive pillars, metres.
    pub largest_spacing_m: f64,
    /// Smallest distance between consecutive pillars, metres.
    pub smallest_spacing_m: f64,
    /// The minimum spacing asked for (plans), metres.
    pub min_spacing_m: Option<f64>,
    /// Turning points given no pillar of their own (closer than the
    /// minimum spacing to one; each in plan.json with the pillar it is
    /// described from, distance and azimuth).
    pub merged_turning_points: usize,
    /// Consecutive pairs that do not see each other (with a DEM).
    pub pairs_not_intervisible: Option<usize>,
    /// Whether a DEM was used.
    pub dem_used: bool,
    /// The DEM's voids under the line and what was done (plans with a
    /// DEM; null otherwise).
    pub voids: Option<crate::terrain::VoidsMet>,
    /// The one transformation of the catalogue's SK-42 and GK columns.
    pub gk_transformation: String,
    /// Seconds planning took.
    pub plan_s: Option<f64>,
    /// The plan's warnings.
    pub warnings: Vec<String>,
    /// The input road's notes.
    pub notes: Vec<String>,
    /// The places within `places_within_m` of the line (`--places`),
    /// along it; none without `--places`.
    pub places: Vec<crate::places::NearPlace>,
    /// How near the line a place is listed, metres (with `--places`).
    pub places_within_m: Option<f64>,
    /// The files written.
    pub files: Vec<String>,
}

/// The summary of a demarcation.
pub fn summary(d: &Demarcation, written: &[PathBuf]) -> DemarcationSummary {
    let cat = &d.catalogue;
    let count = |k: PillarType| cat.rows.iter().filter(|r| r.kind == k).count();
    let dem_used = d.plan.as_ref().map_or(cat.dem.is_some(), |p| p.dem_used);
    DemarcationSummary {
        section: cat.section.clone(),
        length_m: cat.length_m,
        pillars: cat.rows.iter().filter(|r| r.kind.marked()).count(),
        main: count(PillarType::Main),
        intermediate: count(PillarType::Intermediate),
        crossing: count(PillarType::Crossing),
        bank: count(PillarType::Bank),
        largest_spacing_m: largest_spacing(cat),
        smallest_spacing_m: smallest_spacing(cat),
        min_spacing_m: d.plan.as_ref().map(|p| p.min_spacing_m),
        merged_turning_points: d.plan.as_ref().map_or(0, |p| p.merged.len()),
        pairs_not_intervisible: dem_used.then(|| not_intervisible(cat)),
        dem_used,
        voids: d.voids.clone(),
        gk_transformation: format!("EPSG:{}", cat.gk_transformation),
        plan_s: d.plan_s,
        warnings: {
            let mut w = d
                .plan
                .as_ref()
                .map_or_else(Vec::new, |p| p.warnings.clone());
            let steep: Vec<String> = cat
                .rows
                .iter()
                .filter(|r| r.kind.marked() && r.slope_deg.is_some_and(|s| s > d.max_slope_deg))
                .map(|r| format!("{} ({:.1}°)", r.number, r.slope_deg.unwrap_or(f64::NAN)))
                .collect();
            if !steep.is_empty() {
                w.push(format!(
                    "{} pillar(s) on ground steeper than {}°: {}",
                    steep.len(),
                    d.max_slope_deg,
                    steep.join(", ")
                ));
            }
            w
        },
        notes: d.notes.clone(),
        places: d.places.clone(),
        places_within_m: d.places_within_m,
        files: written.iter().map(|p| p.display().to_string()).collect(),
    }
}

/// Geodesic distances between consecutive pillars (the turning points
/// without a pillar passed over), metres.
fn spacings(cat: &Catalogue) -> Vec<f64> {
    use terminus_geodesy::measure::InverseGeodesic;
    let geod = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let marked: Vec<_> = cat.rows.iter().filter(|r| r.kind.marked()).collect();
    marked
        .windows(2)
        .map(|w| -> f64 { geod.inverse(w[0].lat, w[0].lon, w[1].lat, w[1].lon) })
        .collect()
}

/// The largest distance between consecutive pillars, metres.
pub fn largest_spacing(cat: &Catalogue) -> f64 {
    spacings(cat).into_iter().fold(0.0f64, f64::max)
}

/// The smallest distance between consecutive pillars, metres (0 when
/// there are fewer than two).
pub fn smallest_spacing(cat: &Catalogue) -> f64 {
    spacings(cat).into_iter().reduce(f64::min).unwrap_or(0.0)
}

/// Consecutive pillars that do not see each other.
pub fn not_intervisible(cat: &Catalogue) -> usize {
    cat.rows
        .iter()
        .filter(|r| r.visible_next == Some(false))
        .count()
}

/// A survey of pillars (points with their numbers) checked against the
/// catalogue and the line, within `tolerance` metres. The three files are
/// read through the same input options (a CRS named is used for each file
/// that does not state its own: the catalogue Terminus writes states it in
/// its `.prj`).
pub fn survey_check(
    survey: &Path,
    catalogue_file: &Path,
    line_file: &Path,
    tolerance: f64,
    input: &InputOptions,
) -> Result<terminus_demarcation::survey::SurveyReport, Failure> {
    let cs = CatalogueSettings::default();
    let (cat, _) = catalogue_from(catalogue_file, input, None, &cs)?;
    let ds = read(line_file, input)?.dataset;
    let line = one_line(line_file, &ds)?;
    let surveyed = read_pillars(survey, input)?
        .0
        .into_iter()
        .enumerate()
        .map(|(i, p)| terminus_demarcation::survey::SurveyedPillar {
            number: p.number,
            lat: p.lat,
            lon: p.lon,
            record: i + 1,
        })
        .collect::<Vec<_>>();
    terminus_demarcation::survey::check(&cat, &line, &surveyed, tolerance)
        .map_err(|e| Failure::usage(format!("{}: {e}", survey.display())))
}

/// The catalogue of a catalogue file (for `describe`).
pub fn read_catalogue(
    path: &Path,
    documents: &Documents,
    input: &InputOptions,
) -> Result<Catalogue, Failure> {
    let cs = doc_settings(documents, None, None)?;
    Ok(catalogue_from(path, input, None, &cs)?.0)
}

fn crossings_from(paths: &[PathBuf], input: &InputOptions) -> Result<Vec<Crossing>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        let ds = read(p, input)?.dataset;
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

fn water_from(paths: &[PathBuf], input: &InputOptions) -> Result<Vec<Water>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        let ds = read(p, input)?.dataset;
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

/// Write the catalogue in every format and both descriptions into `dir`.
pub fn write_documents(
    dir: &Path,
    cat: &Catalogue,
    doc: &Documents,
    overwrite: bool,
) -> Result<Vec<PathBuf>, Failure> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let p = dir.join("catalogue.csv");
    write_text(&p, &terminus_documents::catalogue::csv(cat), overwrite)?;
    written.push(p);
    // The CSV's lat/lon columns are WGS 84: say so beside it, as for a
    // shapefile, so that reading the catalogue back assumes nothing.
    let p = dir.join("catalogue.prj");
    write_text(&p, &terminus_geodesy::Crs::WGS84.to_wkt(), overwrite)?;
    written.push(p);
    let layer = terminus_documents::catalogue::layer(cat, "pillars");
    let ds = Dataset {
        layers: vec![layer],
    };
    let opts = WriteOptions { overwrite };
    let p = dir.join("catalogue.geojson");
    terminus_formats::write(&p, Format::GeoJson, &ds, &opts)?;
    written.push(p);
    // GeoPackage, KML and GPX carry the line too: the pillars and the
    // line through them, for QGIS, Google Earth and a receiver's route.
    let field = Dataset {
        layers: terminus_documents::catalogue::field_layers(cat),
    };
    let p = dir.join("catalogue.gpkg");
    let plain = Dataset {
        layers: field
            .layers
            .iter()
            .map(|l| {
                let mut l = l.clone();
                l.features.iter_mut().for_each(|f| {
                    f.properties.shift_remove("styleUrl");
                });
                l
            })
            .collect(),
    };
    terminus_formats::write(&p, Format::GeoPackage, &plain, &opts)?;
    written.push(p);
    let p = dir.join("catalogue.kml");
    if p.exists() && !overwrite {
        return Err(
            Failure::usage(format!("{} exists", p.display())).hint("add --overwrite to replace it")
        );
    }
    let styles: Vec<terminus_formats::kml::KmlStyle> = terminus_documents::catalogue::FIELD_STYLES
        .iter()
        .map(
            |&(id, color, icon_scale, line_width)| terminus_formats::kml::KmlStyle {
                id: id.into(),
                color: color.into(),
                icon_scale,
                line_width,
            },
        )
        .collect();
    terminus_formats::kml::write_styled(&p, &field, &styles)?;
    written.push(p);
    let p = dir.join("catalogue.gpx");
    terminus_formats::write(&p, Format::Gpx, &plain, &opts)?;
    written.push(p);
    let settings = DescriptionSettings {
        sources: doc.sources.clone(),
        feature_runs: feature_runs(&doc.follows)?,
    };
    for (lang, tag) in [(Lang::En, "en"), (Lang::Ru, "ru")] {
        let d = describe::describe(cat, lang, &settings).map_err(document_failure)?;
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
fn road_op(read: &Input, input: &InputOptions) -> Result<Option<u32>, Failure> {
    Ok(match read.road()?.and_then(|r| r.operation_code()) {
        Some(code) => Some(code),
        None => input.op,
    })
}

/// What provenance records of a demarcation run besides its inputs.
fn record_run(
    provenance: &mut Provenance,
    doc: &Documents,
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
    doc: &Documents,
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

fn read_pillars(path: &Path, input: &InputOptions) -> Result<(Vec<RowInput>, Input), Failure> {
    let mut input = input.clone();
    if input.csv.lat_column.is_none()
        && input.csv.lon_column.is_none()
        && input.csv.x_column.is_none()
    {
        if let Some(Format::Csv) = Format::from_path(path) {
            input.csv.lat_column = Some("lat".into());
            input.csv.lon_column = Some("lon".into());
        }
    }
    let read = read(path, &input)?;
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
                Some("unmarked") => PillarType::Unmarked,
                Some(other) => {
                    return Err(Failure::usage(format!(
                        "{}: pillar {number}: type {other:?} is not main, intermediate, crossing, bank or unmarked",
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
    input: &InputOptions,
    dem: Option<&DemSampler>,
    cs: &CatalogueSettings,
) -> Result<(Catalogue, Input), Failure> {
    let (pillars, read) = read_pillars(path, input)?;
    let mid = terminus_geodesy::LatLon::new(
        pillars[pillars.len() / 2].lat,
        pillars[pillars.len() / 2].lon,
    );
    // Back through the road the pillars came in by (or the one named).
    let named = road_op(&read, input)?.or(cs.gk_transformation);
    let op = catalogue::choose_transformation(named, mid).map_err(failure)?;
    let length = pillars.last().map(|p| p.chainage).unwrap_or(0.0);
    let mut rows = catalogue::rows_for(pillars, dem, op).map_err(failure)?;
    if let Some(d) = dem {
        // Each pillar with the next pillar; unmarked turning points see
        // nothing.
        let marked: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].kind.marked()).collect();
        for w in marked.windows(2) {
            let s = line_of_sight(
                d,
                (rows[w[0]].lat, rows[w[0]].lon),
                (rows[w[1]].lat, rows[w[1]].lon),
                &cs.sight,
            )
            .map_err(failure)?;
            rows[w[0]].visible_next = Some(s.visible);
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

/// The protocol-description of a catalogue in `lang`.
pub fn description(
    cat: &Catalogue,
    documents: &Documents,
    lang: Lang,
) -> Result<describe::Description, Failure> {
    let settings = DescriptionSettings {
        sources: documents.sources.clone(),
        feature_runs: feature_runs(&documents.follows)?,
    };
    describe::describe(cat, lang, &settings).map_err(document_failure)
}

/// A description checked against its catalogue (`terminus describe
/// --check --json`; docs/demarcation.md).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DescriptionCheck {
    /// Calls parsed.
    pub calls: usize,
    /// Distance at the last pillar between where the text leads and the
    /// catalogue, metres.
    pub closure_m: f64,
    /// The largest such distance at any pillar, metres.
    pub max_misclosure_m: f64,
    /// Length traversed, metres.
    pub traversed_m: f64,
    /// `max_misclosure_m` within the tolerance.
    pub within_tolerance: bool,
    /// The tolerance, metres.
    pub tolerance_m: f64,
}

impl DescriptionCheck {
    /// The check of `calls` calls closing as `c`, against `tolerance_m`.
    pub fn new(calls: usize, c: &describe::Closure, tolerance_m: f64) -> DescriptionCheck {
        DescriptionCheck {
            calls,
            closure_m: c.closure_m,
            max_misclosure_m: c.max_m,
            traversed_m: c.traversed_m,
            within_tolerance: c.max_m <= tolerance_m,
            tolerance_m,
        }
    }
}

/// A written description parsed back and closed against the catalogue:
/// the number of calls and the closure.
pub fn check_description(
    text_path: &Path,
    cat: &Catalogue,
) -> Result<(usize, describe::Closure), Failure> {
    let text = std::fs::read_to_string(text_path)
        .map_err(|e| Failure::usage(format!("{}: {e}", text_path.display())))?;
    let calls = describe::parse(&text)
        .map_err(|e| Failure::usage(format!("{}: {e}", text_path.display())))?;
    let c = describe::closure(&calls, cat)
        .map_err(|e| Failure::usage(format!("{}: {e}", text_path.display())))?;
    Ok((calls.len(), c))
}
