//! `terminus compare`: put claim lines side by side.

use super::{print_json, InputArgs};
use crate::failure::Failure;
use crate::progress;
use std::path::{Path, PathBuf};
use terminus_app::compare::{self, CompareRequest};
use terminus_app::units::parse_distance;
use terminus_app::InputOptions;
use terminus_compare::Comparison;

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
      --tolerance 100m,500m,1km --out cmp --json";

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
    /// Lines closer than this agree: 100m, 0.5km. Several, comma-separated (100m,500m,1km): the agreement at each too, the first the comparison's own.
    #[arg(long, default_value = "100m", value_parser = parse_distance, value_delimiter = ',')]
    pub tolerance: Vec<f64>,
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
    /// A DEM (GeoTIFF, .hgt, .asc) whose relief (hillshade) the maps are drawn over.
    #[arg(long, value_name = "FILE")]
    pub dem: Option<PathBuf>,
    /// Language of report.md, report.html and the maps: en or ru (figures the same in both; the engine's notes are quoted in English).
    #[arg(long, default_value = "en", value_parser = terminus_app::words::Lang::parse)]
    pub lang: terminus_app::words::Lang,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Run `terminus compare`.
pub fn run(args: Args) -> Result<u8, Failure> {
    if args.out.is_none() && !args.json {
        return Err(Failure::usage(
            "say where to write the results with --out DIR (or ask for --json only)",
        ));
    }
    let req = CompareRequest {
        lines: args.lines.clone(),
        names: args.names.clone(),
        parties: args.parties.clone(),
        party_names: args.party_names.clone(),
        sections: args.sections.clone(),
        places: args.places.clone(),
        roads: args.roads.clone(),
        name_field: args.name_field.clone(),
        tolerance: args.tolerance.first().copied().unwrap_or(100.0),
        more_tolerances: args.tolerance.iter().skip(1).copied().collect(),
        bridge: args.bridge,
        join: args.join,
        reference: args.reference.clone(),
        lang: args.lang,
        dem: args.dem.clone(),
        input: InputOptions {
            skip_hash: args.out.is_none(),
            ..args.input.plain()?
        },
    };
    compare::check(&req)?;
    // Refuse before any work if results would overwrite a user's files.
    if let (Some(dir), false) = (&args.out, args.overwrite) {
        compare::refuse_overwrite(dir)?;
    }
    let spin = progress::spinner("reading and comparing", true);
    let outcome = compare::run(&req, super::provenance());
    spin.finish_and_clear();
    let outcome = outcome?;
    if let Some(dir) = &args.out {
        compare::write(dir, &outcome, args.detail_maps, args.overwrite)?;
        if !args.json {
            print_text(&outcome.comparison, dir);
        }
    }
    if args.json {
        print_json(&compare::summary(&outcome.comparison));
    }
    Ok(0)
}

fn print_text(c: &Comparison, dir: &Path) {
    use terminus_app::compare::report::{area, length};
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
        if p.agreement_at.len() > 1 {
            for t in &p.agreement_at {
                println!(
                    "    within {}: agreed {:.1} %, {} discrepancies, {}",
                    length(t.tolerance_m),
                    100.0 * t.agreed_share,
                    t.discrepancy_count,
                    area(t.discrepancy_area_m2)
                );
            }
        }
        if p.one_source_count > 0 {
            println!(
                "    {} area(s), {}, drawn by one line only (enclaves or exclaves the other lacks): not counted as a gain (in the report)",
                p.one_source_count,
                area(p.one_source_area_m2)
            );
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
