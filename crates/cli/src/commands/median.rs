//! `terminus median`: equidistance (median) lines between two sides, the
//! tri-point of three, and the compromise median of two claim lines.

use super::{print_json, InputArgs};
use crate::failure::Failure;
use crate::progress;
use std::path::{Path, PathBuf};
use terminus_app::median::{self, parse_ratio, MedianRequest, Outcome};
use terminus_app::units::parse_distance;
use terminus_app::InputOptions;

const AFTER_HELP: &str = "\
Every point of the median line is at the same geodesic distance (on the
WGS 84 ellipsoid) from the nearest points of the two sides: banks of a river,
shores of a lake, or two claim lines. Sides may be lines, polygons (their
rings: a party's territory) or points (lone base points).

  strict        the default: the line between A and B, from where it crosses
                the geodesic joining their first vertices to where it
                crosses the one joining their last (give both sides running
                the same way: both banks downstream);
  --ratio 2:1   a weighted line: twice as far from A as from B;
  --third C     three sides: the tri-point equidistant from all three and
                the three lines meeting there;
  --simplified  also the line on the strict line's controlling base
                points only (the vertices its turning points rest on); with
                --compromise, each line reduced to its turning points: the
                fewest vertices (geodesic Douglas–Peucker) keeping the line
                within --max-deviation (default 1 m) of the computed one,
                where the construction changes always kept, no two chords
                crossing; every vertex left out is in simplification.csv
                with its deviation, and the area moved is in the report,
                by party;
  --compromise  two claim lines that cross: the median of the two, region
                by region between them, chained into one line per section,
                and the area each party gains against each claim (the
                comparison engine, the compromise as the reference line).
                No region is dropped: where no equidistance line can be
                traced, a stated fallback (the median of the region's two
                stretches by arc length) is used and listed with its area;
                each line's 'made' attribute gives each construction's
                share, the report the coverage of both claims. Enclaves
                both claims draw get the arc-length median of the two
                rings; one drawn by a single claim is carried, marked (X only).

Turning points are where the controlling base points change; each comes with
its base points on both sides and the common distance. Between them the line
is densified so that no chord departs from true equidistance by more than
--tolerance.

Writes to --out DIR: median.geojson (the lines), turning_points.geojson and
turning_points.csv (with --simplified on a compromise, the turning points of
the simplified lines are the legal list), simplification.csv (every vertex
kept or left out), median.gpkg (lines, turning points, base points, tie
lines from each turning point to its base points, tri-point), tri_point.geojson
with --third, maps/overview.png and .svg (the claims, the parties'
territories, the line coloured by how each run was made, fallbacks marked
F1, F2 … as in the report), report.md and summary.json.

Examples:
  terminus median left_bank.geojson right_bank.geojson --out river
  terminus median ne.geojson osm.geojson --compromise --names NE,OSM --out mid
  terminus median a.geojson b.geojson --third c.geojson --out lake --json
  terminus median a.geojson b.geojson --ratio 2:1 --tolerance 0.1m --out ratio
  terminus median ne.geojson osm.geojson --compromise --places cities.geojson --places-within 3km --out mid";

/// Arguments of `terminus median`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Side A (lines, polygons or points).
    pub a: PathBuf,
    /// Side B.
    pub b: PathBuf,
    /// A third side: the tri-point and the three lines meeting there.
    #[arg(long)]
    pub third: Option<PathBuf>,
    /// Names of the sides, comma-separated (default: the file stems).
    #[arg(long, value_delimiter = ',')]
    pub names: Vec<String>,
    /// Ratio of the distances to A and B: 2:1 is twice as far from A.
    #[arg(long, default_value = "1:1", value_parser = parse_ratio)]
    pub ratio: (f64, f64),
    /// Largest departure of a chord from true equidistance: 0.5m, 5cm.
    #[arg(long, default_value = "0.5m", value_parser = parse_distance)]
    pub tolerance: f64,
    /// The sides are claim lines that cross: the compromise median.
    #[arg(long, conflicts_with = "third")]
    pub compromise: bool,
    /// With --compromise: the two parties' territory polygons, P1,P2, so that gains are named by party (default: left/right of the compromise, digitised along the first claim).
    #[arg(long, value_delimiter = ',', num_args = 1, requires = "compromise")]
    pub parties: Vec<PathBuf>,
    /// Names of the two parties (default: the territories' file stems).
    #[arg(long, value_delimiter = ',', requires = "parties")]
    pub party_names: Vec<String>,
    /// Also the line on the strict line's controlling base points only.
    #[arg(long, conflicts_with = "third")]
    pub simplified: bool,
    /// With --compromise: the turning points' largest distance from the computed line: 1m, 50cm (implies --simplified).
    #[arg(long, value_parser = parse_distance, requires = "compromise")]
    pub max_deviation: Option<f64>,
    /// Populated places (points, any vector format): those within --places-within of the line are listed in report.md and --json (distance, side, where along the line) and drawn on the map.
    #[arg(long, value_name = "FILE")]
    pub places: Option<PathBuf>,
    /// How near the line a place is listed.
    #[arg(long, default_value = "5km", value_parser = parse_distance, requires = "places", value_name = "DISTANCE")]
    pub places_within: f64,
    /// The places' name attribute (default: name, NAME, Name, city, asciiname, title).
    #[arg(long, requires = "places", value_name = "FIELD")]
    pub name_field: Option<String>,
    /// A DEM (GeoTIFF, .hgt, .asc) whose relief (hillshade) the map is drawn over; named in the provenance by its hash.
    #[arg(long, value_name = "FILE")]
    pub dem: Option<PathBuf>,
    /// Language of report.md and the map: en or ru (figures the same in both; the engine's reasons for a fallback are quoted in English).
    #[arg(long, default_value = "en", value_parser = terminus_app::words::Lang::parse)]
    pub lang: terminus_app::words::Lang,
    /// Results folder.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Replace files in an existing results folder.
    #[arg(long)]
    pub overwrite: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Run `terminus median`.
pub fn run(args: Args) -> Result<u8, Failure> {
    if args.out.is_none() && !args.json {
        return Err(Failure::usage(
            "say where to write the results with --out DIR (or ask for --json only)",
        ));
    }
    if let (Some(dir), false) = (&args.out, args.overwrite) {
        median::refuse_overwrite(dir)?;
    }
    let req = MedianRequest {
        sides: [&args.a, &args.b]
            .into_iter()
            .chain(&args.third)
            .cloned()
            .collect(),
        names: args.names.clone(),
        parties: args.parties.clone(),
        party_names: args.party_names.clone(),
        tolerance: args.tolerance,
        ratio: args.ratio,
        compromise: args.compromise,
        simplified: args.simplified || args.max_deviation.is_some(),
        max_deviation: args.max_deviation,
        places: args.places.clone(),
        places_within: Some(args.places_within),
        name_field: args.name_field.clone(),
        lang: args.lang,
        dem: args.dem.clone(),
        input: InputOptions {
            skip_hash: args.out.is_none(),
            ..args.input.plain()?
        },
    };
    let spin = progress::spinner("tracing the median line", true);
    let m = median::run(&req, super::provenance());
    spin.finish_and_clear();
    let m = m?;
    if let Some(dir) = &args.out {
        median::write(dir, &m, args.overwrite)?;
        if !args.json {
            print_text(&m.outcome, dir);
        }
    }
    if args.json {
        print_json(&serde_json::to_value(&m.summary).unwrap_or_default());
    }
    Ok(0)
}

fn print_text(o: &Outcome, dir: &Path) {
    let shown = if o.lines.len() > 6 { 3 } else { o.lines.len() };
    for l in &o.lines[..shown] {
        println!(
            "{}: {:.3} km, {} vertices, {} turning points",
            l.name,
            l.line.length_m / 1000.0,
            l.line.vertices.len(),
            l.line.turning_points().count()
        );
    }
    if shown < o.lines.len() {
        let rest = &o.lines[shown..];
        println!(
            "… and {} more pieces: {:.3} km, {} turning points",
            rest.len(),
            rest.iter().map(|l| l.line.length_m).sum::<f64>() / 1000.0,
            rest.iter()
                .map(|l| l.line.turning_points().count())
                .sum::<usize>()
        );
    }
    if let Some(t) = &o.tri_point {
        println!(
            "tri-point: {:.9}°, {:.9}°, {:.3} m from each side",
            t.lat, t.lon, t.distance
        );
    }
    if let Some(c) = &o.compromise {
        println!(
            "compromise: {} regions, {} line(s), {} ring(s); coverage {}; {} fallback(s) (in the report)",
            c.regions,
            c.line_count,
            c.rings.len(),
            c.coverage_text(),
            c.fallbacks.len()
        );
        for g in &c.gains {
            let parts: Vec<String> = g
                .gain_m2
                .iter()
                .map(|(k, v)| format!("{k} {:.3} km²", v / 1e6))
                .collect();
            println!("  against {}: {}", g.claim, parts.join(", "));
        }
        if let Some(sim) = &c.simplification {
            let (tps, vertices) = sim
                .lines
                .iter()
                .fold((0, 0), |(t, v), l| (t + l.turning_points, v + l.vertices));
            println!(
                "turning points within {} m: {tps} of {vertices} vertices (every one left out in simplification.csv)",
                sim.max_deviation_m
            );
            for g in &sim.moved {
                let parts: Vec<String> = g
                    .gain_m2
                    .iter()
                    .map(|(k, v)| format!("{k} {v:.1} m²"))
                    .collect();
                println!("  area moved: {}", parts.join(", "));
            }
        }
    }
    println!("results in {}", dir.display());
}
