//! `terminus demo`: the whole product on the bundled sample.

use super::print_json;
use crate::failure::Failure;
use std::path::PathBuf;

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

fn print_text(summary: &serde_json::Value, out: &std::path::Path) {
    let s = summary;
    let (cmp, geodesy) = (&s["compare"], &s["geodesy"]);
    let format_rows: Vec<serde_json::Value> = s["formats"].as_array().cloned().unwrap_or_default();
    let sections: Vec<&str> = s["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str())
        .collect();
    let (errors, warnings) = (&s["validation"]["errors"], &s["validation"]["warnings"]);
    let length_km = s["boundary_line_km"].as_f64().unwrap_or(f64::NAN);

    println!("Terminus demo: the Armenia–Azerbaijan boundary, Natural Earth 10m (public domain)\n");
    println!(
        "  boundary line     {length_km:.3} km geodesic (WGS 84), {} vertices, {} sections:",
        s["boundary_line_vertices"],
        sections.len()
    );
    for name in &sections {
        println!("                      {name}");
    }
    println!(
        "  Armenia           {:.1} km² geodesic",
        s["armenia_km2"].as_f64().unwrap_or(f64::NAN)
    );
    println!(
        "  Azerbaijan        {:.1} km² geodesic",
        s["azerbaijan_km2"].as_f64().unwrap_or(f64::NAN)
    );
    println!("  validation        {errors} error(s), {warnings} warning(s)  → validation.txt");
    let ok = format_rows.iter().filter(|r| r["result"] == "ok").count();
    let refused = format_rows
        .iter()
        .filter(|r| r["result"] == "refused")
        .count();
    println!(
            "  formats           {ok} of {} written and read back vertex-exact, {refused} refused as the format cannot hold them  → formats/round_trip.txt",
            format_rows.len()
        );
    println!(
            "  on Soviet maps    {} sheets at 1:100,000 (Artsvashen on {}); line in GK zone 8 via {}  → geodesy.txt",
            geodesy["sheets_100k"].as_array().map_or(0, |a| a.len()),
            geodesy["artsvashen_sheet"].as_str().unwrap_or(""),
            geodesy["gk8_operation"].as_str().unwrap_or("")
        );
    println!("  boundary model    parties, source, claim line, sections  → boundary.json");
    println!(
            "  compare           NE 5.1.1 vs 4.1.0: {:.1} % within 100 m, {} discrepancies ({:.3} km², widest {:.0} m)  → compare/report.html",
            100.0 * cmp["agreed_share"].as_f64().unwrap_or(f64::NAN),
            cmp["discrepancy_count"],
            cmp["discrepancy_area_m2"].as_f64().unwrap_or(f64::NAN) / 1e6,
            cmp["max_width_m"].as_f64().unwrap_or(f64::NAN)
        );
    print_engines(s, out);
}

/// The engines' lines of the demo's report: compromise, water-parting,
/// pillars, survey, record.
fn print_engines(s: &serde_json::Value, out: &std::path::Path) {
    let (median, terrain, demarcation, ledger) =
        (&s["median"], &s["terrain"], &s["demarcation"], &s["ledger"]);
    let gains: Vec<String> = median["compromise"]["gains"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| {
            let by: Vec<String> = g["gain_m2"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k} {:.2}", v.as_f64().unwrap_or(f64::NAN) / 1e6))
                        .collect()
                })
                .unwrap_or_default();
            format!(
                "vs {}: {} km²",
                g["claim"].as_str().unwrap_or(""),
                by.join(", ")
            )
        })
        .collect();
    println!(
            "  compromise median NE 5.1.1 | 4.1.0: {:.1} km in {} regions, {} turning points; gains {}  → median/",
            median["length_m"].as_f64().unwrap_or(f64::NAN) / 1000.0,
            median["compromise"]["regions"],
            median["lines"]
                .as_array()
                .map_or(0, |l| l.iter().map(|x| x["turning_points"].as_u64().unwrap_or(0)).sum::<u64>()),
            gains.join("; ")
        );
    let vs_ne = &terrain["compared"][0];
    println!(
            "  water-parting     Trans-Alay crest, Kyzyl-Suu | Muksu: {:.1} km, highest {:.0} m; from the NE border line median {:.0} m, 95 % within {:.0} m  → terrain/divide.geojson",
            terrain["length_m"].as_f64().unwrap_or(f64::NAN) / 1000.0,
            terrain["highest_m"].as_f64().unwrap_or(f64::NAN),
            vs_ne["median_m"].as_f64().unwrap_or(f64::NAN),
            vs_ne["p95_m"].as_f64().unwrap_or(f64::NAN)
        );
    for (key, what) in [
        ("alay", "pillars KG–TJ"),
        ("tavush_gazakh", "pillars AM–AZ"),
    ] {
        let d = &demarcation[key];
        println!(
                "  {what:<17} {}: {} pillars over {:.1} km ({}), description closes to {:.2} mm  → demarcation/{key}/",
                d["section"].as_str().unwrap_or(""),
                d["pillars"],
                d["length_m"].as_f64().unwrap_or(f64::NAN) / 1000.0,
                d["checked"].as_str().unwrap_or(""),
                d["closure_mm"].as_f64().unwrap_or(f64::NAN)
            );
    }
    let sv = &demarcation["survey"];
    println!(
            "  survey check      simulated GNSS survey of the Alay pillars: {} checked, {} beyond 5 cm, {} off the line  → demarcation/alay/survey.json",
            sv["checked"], sv["beyond_tolerance"], sv["off_line"]
        );
    println!(
            "  signed record     {}: agreed by both heads and the mediator, {} pillars attached, {} events, {} signed tree heads; bundle verified  → ledger/",
            ledger["section"].as_str().unwrap_or(""),
            ledger["pillars_attached"],
            ledger["events"],
            ledger["tree_heads"]
        );
    println!("\nResults: {}", out.display());
}
