//! The comparison workflow: claim lines (and the parties' territories,
//! sections, places, roads) read through the input road, compared by
//! `terminus-compare`, written as layers, GeoPackage, report and maps, with
//! provenance. Every front-end runs this, not a copy.

pub mod maps;
pub mod report;
pub mod summary;

use crate::failure::Failure;
use crate::input::{read, stem, InputOptions};
use crate::output::write_text;
use crate::provenance::Provenance;
use crate::shapes::{line_pieces, name_of, polygons};
use report::MapRef;
use std::path::{Path, PathBuf};
use terminus_compare::{
    ClaimLine, Comparison, Inputs, LatLon, Options, PolygonRings, Road, Section, Territory,
};
use terminus_formats::{Format, WriteOptions};
use terminus_geodesy::Crs;
use terminus_vector::{Coord, Dataset, Feature, Geometry, Layer, Polygon, Value};

/// What to compare.
#[derive(Debug, Clone, Default)]
pub struct CompareRequest {
    /// Two or more claim lines.
    pub lines: Vec<PathBuf>,
    /// Their names, in order (default: the file stems).
    pub names: Vec<String>,
    /// The two parties' territory polygons, or none.
    pub parties: Vec<PathBuf>,
    /// The parties' names (default: the file stems).
    pub party_names: Vec<String>,
    /// Named sections (polygons).
    pub sections: Option<PathBuf>,
    /// Places (points) to locate in discrepancies.
    pub places: Option<PathBuf>,
    /// Roads (lines) to measure inside discrepancies.
    pub roads: Option<PathBuf>,
    /// The attribute holding names.
    pub name_field: Option<String>,
    /// Agreement tolerance, metres.
    pub tolerance: f64,
    /// Further tolerances to measure the agreement at too, metres.
    pub more_tolerances: Vec<f64>,
    /// Bridge gaps between pieces of one line up to this, metres.
    pub bridge: f64,
    /// Join nearby ends of two lines up to this, metres.
    pub join: f64,
    /// Compare every line with this one (by name) instead of all pairs.
    pub reference: Option<String>,
    /// The language of the report and the maps.
    pub lang: crate::words::Lang,
    /// A DEM whose relief (hillshade) the maps are drawn over.
    pub dem: Option<PathBuf>,
    /// How to read the files.
    pub input: InputOptions,
}

/// A comparison made, and what made it.
#[derive(Debug, Clone)]
pub struct CompareOutcome {
    /// The engine's result, with the input road's notes first among its warnings.
    pub comparison: Comparison,
    /// Inputs, transformations, tolerances.
    pub provenance: Provenance,
    /// The language of the report and the maps.
    pub lang: crate::words::Lang,
    /// The DEM the maps are drawn over (its relief), read once.
    pub dem: Option<std::sync::Arc<terminus_terrain::Dem>>,
}

fn read_wgs84(
    input: &InputOptions,
    path: &Path,
    notes: &mut Vec<String>,
    provenance: &mut Provenance,
    role: &str,
) -> Result<Dataset, Failure> {
    let r = read(path, input)?;
    notes.extend(r.notes());
    provenance.input(role, &r);
    Ok(r.dataset)
}

/// Check a request before any work: names and parties counted right.
pub fn check(req: &CompareRequest) -> Result<(), Failure> {
    if !req.names.is_empty() && req.names.len() != req.lines.len() {
        return Err(Failure::usage(format!(
            "--names gives {} names for {} lines",
            req.names.len(),
            req.lines.len()
        )));
    }
    if !req.parties.is_empty() && req.parties.len() != 2 {
        return Err(Failure::usage(format!(
            "--parties takes the territories of two parties, P1,P2 (got {})",
            req.parties.len()
        )));
    }
    Ok(())
}

/// Read everything and compare. `provenance` is begun by the front-end
/// (it knows the command line or request).
pub fn run(req: &CompareRequest, mut provenance: Provenance) -> Result<CompareOutcome, Failure> {
    check(req)?;
    let mut notes = Vec::new();
    let mut inputs = Inputs::default();
    // The claim lines are read side by side, one thread each.
    let read: Vec<Result<(ClaimLine, crate::Input), Failure>> = std::thread::scope(|scope| {
        let handles: Vec<_> = req
            .lines
            .iter()
            .enumerate()
            .map(|(i, path)| {
                let (input, names) = (&req.input, &req.names);
                scope.spawn(move || {
                    let read = read(path, input)?;
                    let line = ClaimLine {
                        name: names.get(i).cloned().unwrap_or_else(|| stem(path)),
                        pieces: line_pieces(path, &read.dataset)?,
                    };
                    Ok((line, read))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Failure::failed("a reader thread failed")))
            })
            .collect()
    });
    for r in read {
        let (line, read) = r?;
        notes.extend(read.notes());
        provenance.input(format!("claim line {}", line.name), &read);
        inputs.lines.push(line);
    }
    let mut seen = std::collections::HashSet::new();
    for l in &inputs.lines {
        if !seen.insert(l.name.clone()) {
            return Err(Failure::usage(format!(
                "two lines are both called \"{}\": give --names",
                l.name
            )));
        }
    }
    for (i, path) in req.parties.iter().enumerate() {
        let ds = read_wgs84(&req.input, path, &mut notes, &mut provenance, "territory")?;
        inputs.territories.push(Territory {
            party: req
                .party_names
                .get(i)
                .cloned()
                .unwrap_or_else(|| stem(path)),
            polygons: polygons(path, &ds)?,
        });
    }
    if let Some(path) = &req.sections {
        let ds = read_wgs84(&req.input, path, &mut notes, &mut provenance, "sections")?;
        for layer in &ds.layers {
            for (i, f) in layer.features.iter().enumerate() {
                let mut one = Dataset::default();
                let mut l = Layer::new(layer.name.clone(), Crs::WGS84);
                l.features.push(f.clone());
                one.layers.push(l);
                inputs.sections.push(Section {
                    name: name_of(f, req.name_field.as_deref(), format!("section {}", i + 1)),
                    polygons: polygons(path, &one)?,
                });
            }
        }
    }
    if let Some(path) = &req.places {
        let ds = read_wgs84(&req.input, path, &mut notes, &mut provenance, "places")?;
        let (places, other) = crate::shapes::places_in(&ds, req.name_field.as_deref());
        if other > 0 {
            notes.push(format!(
                "{}: {other} feature(s) that are not points left out of the places",
                path.display()
            ));
        }
        inputs.places = places;
    }
    if let Some(path) = &req.roads {
        let ds = read_wgs84(&req.input, path, &mut notes, &mut provenance, "roads")?;
        for layer in &ds.layers {
            for (i, f) in layer.features.iter().enumerate() {
                let mut pieces = Vec::new();
                if let Some(g) = &f.geometry {
                    pieces.extend(
                        g.paths()
                            .iter()
                            .map(|p| p.iter().map(|c| (c.y, c.x)).collect::<Vec<_>>()),
                    );
                }
                if !pieces.is_empty() {
                    inputs.roads.push(Road {
                        name: name_of(f, req.name_field.as_deref(), format!("road {}", i + 1)),
                        pieces,
                    });
                }
            }
        }
    }
    let reference = match &req.reference {
        Some(n) => Some(
            inputs
                .lines
                .iter()
                .position(|l| &l.name == n)
                .ok_or_else(|| Failure::usage(format!("--reference {n}: no line of that name")))?,
        ),
        None => None,
    };
    let options = Options {
        tolerance_m: req.tolerance,
        bridge_m: req.bridge,
        join_m: req.join,
        reference,
        more_tolerances: req.more_tolerances.clone(),
        ..Options::default()
    };
    let result = terminus_compare::compare(&inputs, &options);
    let mut c = result.map_err(|e| Failure::failed(e.to_string()))?;
    c.warnings.splice(0..0, notes);
    provenance.tolerance("tolerance_m", req.tolerance);
    if !req.more_tolerances.is_empty() {
        provenance.tolerance("more_tolerances_m", format!("{:?}", req.more_tolerances));
    }
    provenance.tolerance("bridge_m", req.bridge);
    provenance.tolerance("join_m", req.join);
    // Read now, so that a DEM that cannot be read is refused before
    // anything is written; recorded as the maps' relief.
    let dem = req
        .dem
        .as_deref()
        .map(|path| crate::terrain::load_relief_dem(path, "DEM (maps' relief)", &mut provenance))
        .transpose()?;

    Ok(CompareOutcome {
        comparison: c,
        provenance,
        lang: req.lang,
        dem,
    })
}

/// The files `--out` receives (besides maps/).
pub const OUTPUTS: [&str; 11] = [
    "summary.json",
    "report.md",
    "report.html",
    "comparison.gpkg",
    "agreement.geojson",
    "discrepancies.geojson",
    "affected_places.geojson",
    "closures.geojson",
    "territories.geojson",
    "maps/overview.svg",
    "maps/overview.png",
];

/// Refuse before any work if results would replace files in `dir`.
pub fn refuse_overwrite(dir: &Path) -> Result<(), Failure> {
    crate::output::refuse_existing(dir, &OUTPUTS)
}

pub use summary::{summary, CompareSummary};

fn coord(p: LatLon) -> Coord {
    Coord::xy(p.1, p.0)
}

fn polygon_geometry(rings: &PolygonRings) -> Geometry {
    Geometry::Polygon(Polygon::new(
        rings
            .iter()
            .map(|r| r.iter().map(|&p| coord(p)).collect())
            .collect(),
    ))
}

/// The result layers.
pub fn layers(c: &Comparison) -> Vec<Layer> {
    let mut agreement = Layer::new("agreement", Crs::WGS84);
    let mut discrepancies = Layer::new("discrepancies", Crs::WGS84);
    let mut places = Layer::new("affected_places", Crs::WGS84);
    let mut closures = Layer::new("closures", Crs::WGS84);
    let mut territories = Layer::new("territories", Crs::WGS84);
    for p in &c.pairs {
        for s in &p.agreement {
            let mut f = Feature::new(Geometry::LineString(
                s.points.iter().map(|&q| coord(q)).collect(),
            ));
            f.properties
                .insert("line".into(), Value::String(s.line.clone()));
            f.properties
                .insert("agrees_with".into(), Value::String(s.other.clone()));
            f.properties
                .insert("piece".into(), Value::Int(s.piece as i64));
            f.properties
                .insert("length_m".into(), Value::Float(s.length_m));
            agreement.features.push(f);
        }
        for d in &p.discrepancies {
            let mut f = Feature::new(polygon_geometry(&d.rings));
            let pr = &mut f.properties;
            pr.insert("a".into(), Value::String(p.a.clone()));
            pr.insert("b".into(), Value::String(p.b.clone()));
            pr.insert("id".into(), Value::Int(d.id as i64));
            pr.insert("kind".into(), Value::String(d.kind.clone()));
            pr.insert("beyond_tolerance".into(), Value::Bool(d.beyond_tolerance));
            pr.insert("same_side".into(), Value::Bool(d.same_side));
            pr.insert("area_m2".into(), Value::Float(d.area_m2));
            pr.insert("max_width_m".into(), Value::Float(d.max_width_m));
            pr.insert("width_a_to_b_m".into(), Value::Float(d.width_a_to_b_m));
            pr.insert("width_b_to_a_m".into(), Value::Float(d.width_b_to_a_m));
            pr.insert("length_a_m".into(), Value::Float(d.length_a_m));
            pr.insert("length_b_m".into(), Value::Float(d.length_b_m));
            pr.insert("party_by_a".into(), Value::String(d.party_by_a.clone()));
            pr.insert("party_by_b".into(), Value::String(d.party_by_b.clone()));
            pr.insert(
                "section".into(),
                d.section.clone().map(Value::String).unwrap_or(Value::Null),
            );
            pr.insert(
                "places".into(),
                Value::String(
                    d.places
                        .iter()
                        .map(|x| x.name.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            );
            pr.insert(
                "road_length_m".into(),
                Value::Float(d.roads.iter().map(|r| r.length_m).sum()),
            );
            discrepancies.features.push(f);
            for x in &d.places {
                let mut f = Feature::new(Geometry::Point(Coord::xy(x.lon, x.lat)));
                let pr = &mut f.properties;
                pr.insert("name".into(), Value::String(x.name.clone()));
                pr.insert("a".into(), Value::String(p.a.clone()));
                pr.insert("b".into(), Value::String(p.b.clone()));
                pr.insert("discrepancy".into(), Value::Int(d.id as i64));
                pr.insert("party_by_a".into(), Value::String(d.party_by_a.clone()));
                pr.insert("party_by_b".into(), Value::String(d.party_by_b.clone()));
                pr.insert("distance_to_a_m".into(), Value::Float(x.distance_to_a_m));
                pr.insert("distance_to_b_m".into(), Value::Float(x.distance_to_b_m));
                places.features.push(f);
            }
        }
        for (kind, list) in [("bridge", &p.bridges), ("join", &p.joins)] {
            for cl in list {
                let mut f = Feature::new(Geometry::LineString(vec![coord(cl.from), coord(cl.to)]));
                f.properties
                    .insert("kind".into(), Value::String(kind.into()));
                f.properties
                    .insert("line".into(), Value::String(cl.line.clone()));
                f.properties
                    .insert("pair".into(), Value::String(format!("{} vs {}", p.a, p.b)));
                f.properties
                    .insert("length_m".into(), Value::Float(cl.length_m));
                closures.features.push(f);
            }
        }
    }
    if let Some(t) = &c.territory {
        for part in t
            .overlaps
            .iter()
            .chain(&t.gaps)
            .chain(&t.enclaves_and_exclaves)
        {
            let mut f = Feature::new(polygon_geometry(&part.rings));
            let pr = &mut f.properties;
            pr.insert("kind".into(), Value::String(part.kind.clone()));
            pr.insert("area_m2".into(), Value::Float(part.area_m2));
            pr.insert("note".into(), Value::String(part.note.clone()));
            pr.insert(
                "near".into(),
                part.near
                    .as_ref()
                    .map(|n| Value::String(n.0.clone()))
                    .unwrap_or(Value::Null),
            );
            territories.features.push(f);
        }
    }
    vec![agreement, discrepancies, places, closures, territories]
}

/// Write the layers, GeoPackage, summary, report and maps into `dir`.
pub fn write_results(
    dir: &Path,
    c: &Comparison,
    detail_maps: usize,
    provenance: Option<&Provenance>,
    overwrite: bool,
    lang: crate::words::Lang,
    dem: Option<&terminus_terrain::Dem>,
) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)?;
    let opts = WriteOptions { overwrite };
    let layers = layers(c);
    for l in &layers {
        let ds = Dataset {
            layers: vec![l.clone()],
        };
        terminus_formats::write(
            &dir.join(format!("{}.geojson", l.name)),
            Format::GeoJson,
            &ds,
            &opts,
        )?;
    }
    let ds = Dataset { layers };
    terminus_formats::write(&dir.join("comparison.gpkg"), Format::GeoPackage, &ds, &opts)?;
    let json = serde_json::to_string_pretty(&summary(c)).unwrap_or_default();
    write_text(&dir.join("summary.json"), &json, overwrite)?;
    let maps = write_maps(dir, c, detail_maps, overwrite, lang, dem)?;
    write_text(
        &dir.join("report.md"),
        &report::markdown(c, &maps, provenance, lang),
        overwrite,
    )?;
    write_text(
        &dir.join("report.html"),
        &report::html(c, &maps, provenance, lang),
        overwrite,
    )?;
    Ok(())
}

/// Write a comparison's result folder and its provenance.
pub fn write(
    dir: &Path,
    o: &CompareOutcome,
    detail_maps: usize,
    overwrite: bool,
) -> Result<(), Failure> {
    write_results(
        dir,
        &o.comparison,
        detail_maps,
        Some(&o.provenance),
        overwrite,
        o.lang,
        o.dem.as_deref(),
    )?;
    o.provenance.write(dir)?;
    Ok(())
}

/// Draw the overview and the `per_pair` largest discrepancies of each pair into `dir/maps`.
pub fn write_maps(
    dir: &Path,
    c: &Comparison,
    per_pair: usize,
    overwrite: bool,
    lang: crate::words::Lang,
    dem: Option<&terminus_terrain::Dem>,
) -> Result<Vec<MapRef>, Failure> {
    let maps_dir = dir.join("maps");
    std::fs::create_dir_all(&maps_dir)?;
    let mut refs = Vec::new();
    let sampler = dem
        .map(terminus_demarcation::sampler::DemSampler::new)
        .transpose()
        .map_err(|e| Failure::failed(e.to_string()))?;
    for m in maps::maps(c, per_pair, lang, sampler.as_ref()) {
        let svg = m.map.to_svg();
        write_text(&maps_dir.join(format!("{}.svg", m.stem)), &svg, overwrite)?;
        let png = m.map.to_png().map_err(|e| Failure::failed(e.to_string()))?;
        let path = maps_dir.join(format!("{}.png", m.stem));
        if path.exists() && !overwrite {
            return Err(Failure::usage(format!("{} exists", path.display()))
                .hint("add --overwrite to replace it"));
        }
        std::fs::write(&path, png)?;
        refs.push(MapRef {
            caption: m.caption,
            svg: format!("maps/{}.svg", m.stem),
            svg_text: svg,
        });
    }
    Ok(refs)
}
