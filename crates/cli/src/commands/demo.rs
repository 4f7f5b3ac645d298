//! `terminus demo`: the whole product on the bundled sample.

use super::print_json;
use crate::failure::Failure;
use std::path::PathBuf;
use terminus_app::demo::DemoSummary;

/// Arguments of `terminus demo`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Writes a results folder (default ./terminus-demo) with:
  sample/      the bundled Natural Earth files (public domain)
  info.txt     layers, counts, extent, CRS, geodesic length and area (also info.json)
  validation.txt  every finding of `terminus validate` (also validation.json)
  formats/     the boundary line and Armenia's polygon in every format, and a
               round-trip check of each (formats/round_trip.txt)
  boundary.json   the sample as the boundary model: parties, source, claim line, sections
  compare/     the Natural Earth 5.1.1 line against the 4.1.0 edition: agreement,
               discrepancy polygons and who gains them, report.html, maps
  median/      the compromise median of the two editions: the line, its turning
               points with their base points, and the area each party gains
  terrain/     the Trans-Alay water-parting (Kyzyl-Suu | Muksu) from the bundled
               GEBCO excerpt, and its distances from the Kyrgyz–Tajik border line
  demarcation/ pillars, catalogue (CSV, GeoJSON, GeoPackage, KML, GPX) and
               protocol-descriptions (English, Russian) for a Kyrgyz–Tajik sector
               on the GEBCO excerpt and the Tavush–Gazakh sample; a simulated
               survey check
  ledger/      the commission's signed record of the Tavush–Gazakh sample: both
               heads and the mediator sign the same terms, the pillar catalogue
               is attached; the store (for `terminus serve`) and the verified
               bundle (GeoPackage) for the other delegation
  README.md    what each file is

A folder that exists and was not made by the demo is left alone.")]
pub struct Args {
    /// Results folder.
    #[arg(long, default_value = "terminus-demo")]
    pub out: PathBuf,
    /// Print a JSON summary.
    #[arg(long)]
    pub json: bool,
}

/// Run `terminus demo`.
pub fn run(args: Args) -> Result<u8, Failure> {
    let spin = crate::progress::spinner("running the demo", true);
    let summary = terminus_app::demo::run(&args.out, super::provenance());
    spin.finish_and_clear();
    let summary = summary?;
    if args.json {
        print_json(&summary);
    } else {
        print_text(&summary, &args.out);
    }
    Ok(0)
}

fn print_text(s: &DemoSummary, out: &std::path::Path) {
    let g = &s.geodesy;
    println!("Terminus demo: the Armenia–Azerbaijan boundary, Natural Earth 10m (public domain)\n");
    println!(
        "  boundary line     {:.3} km geodesic (WGS 84), {} vertices, {} sections:",
        s.boundary_line_km,
        s.boundary_line_vertices,
        s.sections.len()
    );
    for name in &s.sections {
        println!("                      {name}");
    }
    println!("  Armenia           {:.1} km² geodesic", s.armenia_km2);
    println!("  Azerbaijan        {:.1} km² geodesic", s.azerbaijan_km2);
    println!(
        "  validation        {} error(s), {} warning(s)  → validation.txt",
        s.validation.errors, s.validation.warnings
    );
    let count = |r: &str| s.formats.iter().filter(|f| f.result == r).count();
    println!(
            "  formats           {} of {} written and read back vertex-exact, {} refused as the format cannot hold them  → formats/round_trip.txt",
            count("ok"),
            s.formats.len(),
            count("refused")
        );
    println!(
            "  on Soviet maps    {} sheets at 1:100,000 (Artsvashen on {}); line in GK zone 8 via {}  → geodesy.txt",
            g.sheets_100k.len(),
            g.artsvashen_sheet,
            g.gk8_operation
        );
    println!("  boundary model    parties, source, claim line, sections  → boundary.json");
    if let Some(p) = s.compare.pairs.first() {
        println!(
            "  compare           NE 5.1.1 vs 4.1.0: {:.1} % within 100 m, {} discrepancies ({:.3} km², widest {:.0} m)  → compare/report.html",
            100.0 * p.agreed_share,
            p.discrepancy_count,
            p.discrepancy_area_m2 / 1e6,
            p.max_width_m
        );
    }
    print_engines(s, out);
}

/// The engines' lines of the demo's report: compromise, water-parting,
/// pillars, survey, record.
fn print_engines(s: &DemoSummary, out: &std::path::Path) {
    let (median, terrain, demarcation, ledger) = (&s.median, &s.terrain, &s.demarcation, &s.ledger);
    let compromise = median.compromise.as_ref();
    let gains: Vec<String> = compromise
        .map(|c| c.gains.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|g| {
            let by: Vec<String> = g
                .gain_m2
                .iter()
                .map(|(k, v)| format!("{k} {:.2}", v / 1e6))
                .collect();
            format!("vs {}: {} km²", g.claim, by.join(", "))
        })
        .collect();
    println!(
            "  compromise median NE 5.1.1 | 4.1.0: {:.1} km in {} regions, {} turning points; gains {}  → median/",
            median.length_m / 1000.0,
            compromise.map_or(0, |c| c.regions),
            median.lines.iter().map(|l| l.turning_points).sum::<usize>(),
            gains.join("; ")
        );
    if let Some(vs_ne) = terrain.compared.first() {
        println!(
            "  water-parting     Trans-Alay crest, Kyzyl-Suu | Muksu: {:.1} km, highest {:.0} m; from the NE border line median {:.0} m, 95 % within {:.0} m  → terrain/divide.geojson",
            terrain.length_m / 1000.0,
            terrain.highest_m.unwrap_or(f32::NAN),
            vs_ne.median_m,
            vs_ne.p95_m
        );
    }
    for (key, what) in [
        ("alay", "pillars KG–TJ"),
        ("tavush_gazakh", "pillars AM–AZ"),
    ] {
        let Some(d) = demarcation.sectors.get(key) else {
            continue;
        };
        println!(
                "  {what:<17} {}: {} pillars over {:.1} km ({}), description closes to {:.2} mm  → demarcation/{key}/",
                d.section,
                d.pillars,
                d.length_m / 1000.0,
                d.checked,
                d.closure_mm
            );
    }
    if let Some(sv) = &demarcation.survey {
        println!(
            "  survey check      simulated GNSS survey of the Alay pillars: {} checked, {} beyond 5 cm, {} off the line  → demarcation/alay/survey.json",
            sv.checked, sv.beyond_tolerance, sv.off_line
        );
    }
    println!(
            "  signed record     {}: agreed by both heads and the mediator, {} pillars attached, {} events, {} signed tree heads; bundle verified  → ledger/",
            ledger.section,
            ledger.pillars_attached,
            ledger.events,
            ledger.tree_heads
        );
    println!("\nResults: {}", out.display());
}
