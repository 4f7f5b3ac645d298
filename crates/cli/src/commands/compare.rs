//! `terminus compare`: put claim lines side by side.

use super::{print_json, read_wgs84, InputArgs};
use crate::failure::Failure;
use crate::progress;
use std::path::{Path, PathBuf};
use terminus_app::input::stem;
pub use terminus_app::output::write_text;
use terminus_app::shapes::{line_pieces, name_of, polygons};
use terminus_app::units::parse_distance;
use terminus_compare::{
    ClaimLine, Comparison, Inputs, LatLon, Options, Place, PolygonRings, Road, Section, Territory,
};
use terminus_formats::{Format, WriteOptions};
use terminus_geodesy::Crs;
use terminus_vector::{Coord, Dataset, Feature, Geometry, Layer, Polygon, Value};

const AFTER_HELP: &str = "\
What it computes, for every pair of lines (or each line against --reference):
  agreement      the stretches of each line within --tolerance of the other
                 (geodesic distance to the other's nearest point), their
                 lengths and share of the total;
  discrepancies  the polygons enclosed between the two lines: geodesic area,
                 widest point both ways (directed Hausdorff), length along
                 each line, the party each line gives it to, its section,
                 the places and road lengths inside;
  territories    with --parties: the overlaps (claimed by both) and gaps
                 (enclosed by both, claimed by neither) of the two
                 territories, and each one's enclaves and exclaves.

Sides: with --parties, each piece of each line is oriented by sampling
points either side of it; without, sides are 'left of' / 'right of' the
first line (or --reference) as digitised.

Gaps between pieces of one line up to --bridge are bridged by a geodesic,
and the nearby ends of two lines up to --join are joined, so the ground
between them is enclosed; every bridge and join is listed in the report.

Writes to --out DIR: summary.json, report.md, report.html (self-contained),
comparison.gpkg and one GeoJSON per layer (agreement, discrepancies,
affected_places, closures, territories), and maps/ (SVG and PNG).

Examples:
  terminus compare ne.geojson osm.geojson --names NE,OSM --out cmp
  terminus compare ne.geojson osm.geojson dcw.geojson --names NE,OSM,DCW \\
      --parties ARM.geojson,AZE.geojson --places places.geojson \\
      --tolerance 100m --out cmp --json";

/// Arguments of `terminus compare`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Two or more claim lines (lines or multilines; every line feature of a file is one piece of that claim).
    #[arg(required = true, num_args = 2..)]
    pub lines: Vec<PathBuf>,
    /// Names for the lines, comma-separated, in order (default: the file stems).
    #[arg(long, value_delimiter = ',')]
    pub names: Vec<String>,
    /// The two parties' territory polygons, comma-separated: P1.geojson,P2.geojson.
    #[arg(long, value_delimiter = ',', num_args = 1)]
    pub parties: Vec<PathBuf>,
    /// Names of the two parties (default: the file stems).
    #[arg(long, value_delimiter = ',')]
    pub party_names: Vec<String>,
    /// Named sections (polygons; the name from a 'name' attribute).
    #[arg(long)]
    pub sections: Option<PathBuf>,
    /// Places (points) to locate in discrepancies.
    #[arg(long)]
    pub places: Option<PathBuf>,
    /// Roads (lines) to measure inside discrepancies.
    #[arg(long)]
    pub roads: Option<PathBuf>,
    /// Attribute holding a place's, road's or section's name (default: name, NAME, city, asciiname, title, or the first text attribute).
    #[arg(long)]
    pub name_field: Option<String>,
    /// Lines closer than this agree: 100m, 0.5km.
    #[arg(long, default_value = "100m", value_parser = parse_distance)]
    pub tolerance: f64,
    /// Bridge gaps between pieces of one line up to this long.
    #[arg(long, default_value = "10km", value_parser = parse_distance)]
    pub bridge: f64,
    /// Join an end of one line to the other's nearby end up to this far.
    #[arg(long, default_value = "10km", value_parser = parse_distance)]
    pub join: f64,
    /// Compare every line with this one (by name) instead of all pairs.
    #[arg(long)]
    pub reference: Option<String>,
    /// Results folder.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Replace files in an existing results folder.
    #[arg(long)]
    pub overwrite: bool,
    /// Draw a map of each of this many largest discrepancies per pair (besides the overview).
    #[arg(long, default_value_t = 10)]
    pub detail_maps: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// The files `--out` receives (besides maps/).
const OUTPUTS: [&str; 11] = [
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

/// Run `terminus compare`.
pub fn run(args: Args) -> Result<u8, Failure> {
    let mut provenance = super::provenance();
    if !args.names.is_empty() && args.names.len() != args.lines.len() {
        return Err(Failure::usage(format!(
            "--names gives {} names for {} lines",
            args.names.len(),
            args.lines.len()
        )));
    }
    if !args.parties.is_empty() && args.parties.len() != 2 {
        return Err(Failure::usage(format!(
            "--parties takes the territories of two parties, P1,P2 (got {})",
            args.parties.len()
        )));
    }
    if args.out.is_none() && !args.json {
        return Err(Failure::usage(
            "say where to write the results with --out DIR (or ask for --json only)",
        ));
    }
    // Refuse before any work if results would overwrite a user's files.
    if let (Some(dir), false) = (&args.out, args.overwrite) {
        for f in OUTPUTS {
            let p = dir.join(f);
            if p.exists() {
                return Err(Failure::usage(format!("{} exists", p.display()))
                    .hint("add --overwrite to replace the results in that folder, or choose another --out"));
            }
        }
    }
    let mut notes = Vec::new();
    let mut inputs = Inputs::default();
    // The claim lines are read side by side, one thread each.
    let read: Vec<Result<(ClaimLine, terminus_app::Input), Failure>> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = args
                .lines
                .iter()
                .enumerate()
                .map(|(i, path)| {
                    let (input, names) = (&args.input, &args.names);
                    scope.spawn(move || {
                        let read = input.read(path)?;
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
    for (i, path) in args.parties.iter().enumerate() {
        let ds = read_wgs84(&args.input, path, &mut notes, &mut provenance, "territory")?;
        inputs.territories.push(Territory {
            party: args
                .party_names
                .get(i)
                .cloned()
                .unwrap_or_else(|| stem(path)),
            polygons: polygons(path, &ds)?,
        });
    }
    if let Some(path) = &args.sections {
        let ds = read_wgs84(&args.input, path, &mut notes, &mut provenance, "sections")?;
        for layer in &ds.layers {
            for (i, f) in layer.features.iter().enumerate() {
                let mut one = Dataset::default();
                let mut l = Layer::new(layer.name.clone(), Crs::WGS84);
                l.features.push(f.clone());
                one.layers.push(l);
                inputs.sections.push(Section {
                    name: name_of(f, args.name_field.as_deref(), format!("section {}", i + 1)),
                    polygons: polygons(path, &one)?,
                });
            }
        }
    }
    if let Some(path) = &args.places {
        let ds = read_wgs84(&args.input, path, &mut notes, &mut provenance, "places")?;
        for layer in &ds.layers {
            for (i, f) in layer.features.iter().enumerate() {
                if let Some(Geometry::Point(c)) = &f.geometry {
                    inputs.places.push(Place {
                        name: name_of(f, args.name_field.as_deref(), format!("place {}", i + 1)),
                        lat: c.y,
                        lon: c.x,
                    });
                }
            }
        }
    }
    if let Some(path) = &args.roads {
        let ds = read_wgs84(&args.input, path, &mut notes, &mut provenance, "roads")?;
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
                        name: name_of(f, args.name_field.as_deref(), format!("road {}", i + 1)),
                        pieces,
                    });
                }
            }
        }
    }
    let reference = match &args.reference {
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
        tolerance_m: args.tolerance,
        bridge_m: args.bridge,
        join_m: args.join,
        reference,
        ..Options::default()
    };
    let spin = progress::spinner("comparing", true);
    let result = terminus_compare::compare(&inputs, &options);
    spin.finish_and_clear();
    let mut c = result.map_err(|e| Failure::failed(e.to_string()))?;
    c.warnings.splice(0..0, notes);
    provenance.tolerance("tolerance_m", args.tolerance);
    provenance.tolerance("bridge_m", args.bridge);
    provenance.tolerance("join_m", args.join);

    if let Some(dir) = &args.out {
        write_results(dir, &c, args.detail_maps, args.overwrite)?;
        provenance.write(dir)?;
        if !args.json {
            print_text(&c, dir);
        }
    }
    if args.json {
        print_json(&summary_json(&c));
    }
    Ok(0)
}

/// The documented JSON summary (docs/compare.md).
pub fn summary_json(c: &Comparison) -> serde_json::Value {
    let mut v = serde_json::to_value(c).unwrap_or_default();
    // The discrepancies in brief, ten largest per pair.
    if let Some(pairs) = v.get_mut("pairs").and_then(|p| p.as_array_mut()) {
        for (pj, p) in pairs.iter_mut().zip(&c.pairs) {
            let largest: Vec<serde_json::Value> = p
                .discrepancies
                .iter()
                .filter(|d| d.beyond_tolerance)
                .take(10)
                .map(|d| {
                    serde_json::json!({
                        "id": d.id, "kind": d.kind, "area_m2": d.area_m2, "max_width_m": d.max_width_m,
                        "width_a_to_b_m": d.width_a_to_b_m, "width_b_to_a_m": d.width_b_to_a_m,
                        "length_a_m": d.length_a_m, "length_b_m": d.length_b_m,
                        "party_by_a": d.party_by_a, "party_by_b": d.party_by_b,
                        "section": d.section, "inside_at": [d.inside_at.0, d.inside_at.1],
                        "widest_at": [d.widest_at.0, d.widest_at.1],
                        "places": d.places.iter().map(|x| x.name.clone()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            pj["largest"] = serde_json::Value::Array(largest);
        }
    }
    // Territory parts without their rings (they are in the layers).
    for key in ["overlaps", "gaps"] {
        if let Some(arr) = v.get_mut(key).and_then(|p| p.as_array_mut()) {
            for o in arr {
                if let Some(m) = o.as_object_mut() {
                    m.remove("rings");
                }
            }
        }
    }
    if let Some(t) = v.get_mut("territory").and_then(|t| t.as_object_mut()) {
        for key in ["overlaps", "gaps", "enclaves_and_exclaves"] {
            if let Some(arr) = t.get_mut(key).and_then(|p| p.as_array_mut()) {
                for o in arr {
                    if let Some(m) = o.as_object_mut() {
                        m.remove("rings");
                    }
                }
            }
        }
    }
    v
}

fn print_text(c: &Comparison, dir: &Path) {
    use terminus_compare::report::{area, length};
    for l in &c.lines {
        println!(
            "{:<24} {:>12}  {} pieces",
            l.name,
            length(l.length_m),
            l.pieces
        );
    }
    for p in &c.pairs {
        println!(
            "{} vs {}: agreed {:.1} % ({} / {}), {} discrepancies beyond {} m, {} in all, widest {}",
            p.a,
            p.b,
            100.0 * p.agreed_share,
            length(p.agreed_length_a_m),
            length(p.agreed_length_b_m),
            p.discrepancy_count,
            c.tolerance_m,
            area(p.discrepancy_area_m2),
            length(p.max_width_m)
        );
        for (k, v) in &p.gain_m2 {
            println!("    {k} gains {} if {} rather than {}", area(*v), p.a, p.b);
        }
    }
    if let Some(t) = &c.territory {
        let total: f64 = t.overlaps.iter().map(|o| o.area_m2).sum();
        println!(
            "territories {} / {}: {} overlaps ({}), {} gaps",
            t.parties[0],
            t.parties[1],
            t.overlaps.len(),
            area(total),
            t.gaps.len()
        );
    }
    for w in &c.warnings {
        println!("note: {w}");
    }
    println!("results in {}", dir.display());
}

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

pub(crate) fn write_results(
    dir: &Path,
    c: &Comparison,
    detail_maps: usize,
    overwrite: bool,
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
    let json = serde_json::to_string_pretty(&summary_json(c)).unwrap_or_default();
    write_text(&dir.join("summary.json"), &json, overwrite)?;
    let maps = crate::commands::compare_maps::write(dir, c, detail_maps, overwrite)?;
    write_text(
        &dir.join("report.md"),
        &terminus_compare::report::markdown(c, &maps),
        overwrite,
    )?;
    write_text(
        &dir.join("report.html"),
        &terminus_compare::report::html(c, &maps),
        overwrite,
    )?;
    Ok(())
}
