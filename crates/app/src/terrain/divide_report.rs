//! The water-parting's report and map, written beside its GeoJSON: the
//! divide over the DEM's relief with the lines it was compared with, its
//! highest point, the largest departures numbered, the voids met; the
//! report gives the figures and every warning.

use super::{Divide, DivideSummary};
use crate::failure::Failure;
use crate::output::write_text;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use terminus_cartography::{Map, Style};
use terminus_demarcation::sampler::DemSampler;

/// A line the divide was compared with: its name and pieces.
pub(super) type Compared = (String, Vec<Vec<(f64, f64)>>);

/// The divide's map: relief, compared lines, the divide, its highest
/// point, departures D1, D2 … and voids V1, V2 ….
pub(super) fn divide_map(
    dem: &terminus_terrain::Dem,
    lines: &[Vec<(f64, f64)>],
    compared: &[Compared],
    s: &DivideSummary,
) -> Option<Map> {
    // Fitted to the divide (the compared lines may run far beyond it).
    let all: Vec<(f64, f64)> = lines.iter().flatten().copied().collect();
    if all.is_empty() {
        return None;
    }
    let mut map = Map::around("Water-parting", all.iter().copied(), 0.15, 1200, 900);
    if let Ok(sampler) = DemSampler::new(dem) {
        map.relief(|(lat, lon)| sampler.hillshade(lat, lon));
        map.note("Relief: hillshade of the DEM, lit from the north-west at 45°.");
    }
    const COMPARED: [&str; 4] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"];
    for (k, (name, pieces)) in compared.iter().enumerate() {
        for p in pieces.iter().filter(|p| p.len() >= 2) {
            map.line(
                p,
                Style::line(COMPARED[k % COMPARED.len()], 1.6),
                Some(name),
            );
        }
    }
    for l in lines {
        map.line(l, Style::line("#d62728", 2.4), Some("water-parting traced"));
    }
    if let (Some(h), Some([lat, lon])) = (s.highest_m, s.highest_at) {
        map.point(
            (lat, lon),
            5.0,
            Style::area("#ffff33", 1.0, "#000000"),
            Some(&format!("{h:.0} m")),
            Some("highest point of the divide"),
        );
    }
    let mut k = 0;
    for c in &s.compared {
        for d in &c.departures {
            k += 1;
            map.point(
                (d.widest_at[0], d.widest_at[1]),
                4.0,
                Style::area("#fdbf6f", 1.0, "#d62728"),
                Some(&format!("D{k}")),
                Some("largest departures from a compared line (the report's table)"),
            );
        }
    }
    for (i, v) in s.voids.voids.iter().enumerate() {
        if let Some([lat, lon]) = v.centre {
            map.point(
                (lat, lon),
                4.0,
                Style::area("#000000", 1.0, "#ffffff"),
                Some(&format!("V{}", i + 1)),
                Some("DEM void"),
            );
        }
    }
    map.note(&format!(
        "{} line(s), {:.3} km; geodesic lengths on WGS 84; transverse Mercator centred on the map.",
        s.lines,
        s.length_m / 1000.0
    ));
    Some(map)
}

/// The divide's report (Markdown), `map` the map's file name beside it.
fn divide_report(s: &DivideSummary, map: Option<&str>) -> String {
    let mut r = String::from("# Water-parting\n\n");
    let _ = writeln!(
        r,
        "| | |\n|---|---:|\n| lines | {} |\n| length | {:.3} km |\n| highest point | {} |\n| cells draining to A / B | {} / {} |",
        s.lines,
        s.length_m / 1000.0,
        match (s.highest_m, s.highest_at) {
            (Some(h), Some([lat, lon])) => format!("{h:.0} m at {lat:.5}°, {lon:.5}°"),
            _ => "—".into(),
        },
        s.cells_a,
        s.cells_b
    );
    if let Some(share) = s.corridor_edge_share {
        let _ = writeln!(
            r,
            "| share of its length within a cell of the corridor's edge | {:.1} % |",
            100.0 * share
        );
    }
    let _ = writeln!(r, "\n## Warnings ({})\n", s.warnings.len());
    if s.warnings.is_empty() {
        let _ = writeln!(r, "None.");
    }
    for w in &s.warnings {
        let _ = writeln!(r, "- {w}");
    }
    let _ = writeln!(
        r,
        "\n## DEM voids\n\n{} void(s), {} cell(s): {}",
        s.voids.voids.len(),
        s.voids.cells,
        if s.voids.done.is_empty() {
            "none met"
        } else {
            &s.voids.done
        }
    );
    for (i, v) in s.voids.voids.iter().enumerate() {
        let at = v
            .centre
            .map_or("—".to_string(), |[la, lo]| format!("{la:.5}°, {lo:.5}°"));
        let _ = writeln!(r, "- V{}: {} cells, centre {at}", i + 1, v.cells);
    }
    if !s.compared.is_empty() {
        let _ = writeln!(r, "\n## Compared with\n");
        let mut k = 0;
        for c in &s.compared {
            let _ = writeln!(
                r,
                "**{}**: distance from the divide (every 50 m along it): median {:.0} m, 95th percentile {:.0} m, largest {:.0} m ({} samples).\n",
                c.line, c.median_m, c.p95_m, c.max_m, c.samples
            );
            if let Some(e) = &c.departures_error {
                let _ = writeln!(r, "Departures not measured: {e}\n");
            }
            if !c.departures.is_empty() {
                let _ = writeln!(
                    r,
                    "| # | area (km²) | widest (m) | widest at (lat, lon) |\n|---|---:|---:|---|"
                );
                for d in &c.departures {
                    k += 1;
                    let _ = writeln!(
                        r,
                        "| D{k} | {:.3} | {:.0} | {:.5}, {:.5} |",
                        d.area_m2 / 1e6,
                        d.max_width_m,
                        d.widest_at[0],
                        d.widest_at[1]
                    );
                }
                r.push('\n');
            }
        }
    }
    if let Some(m) = map {
        let _ = writeln!(
            r,
            "\n## Map\n\n![The divide over the DEM's relief, the compared lines, departures D1 … and voids V1 …]({m})"
        );
    }
    r
}

/// Beside `out` (the divide's GeoJSON): `STEM.report.md`, `STEM.map.png`
/// and `STEM.map.svg`; the files written.
pub fn write_divide(out: &Path, r: &Divide, overwrite: bool) -> Result<Vec<PathBuf>, Failure> {
    write_text(
        out,
        &serde_json::to_string(&r.geojson).unwrap_or_default(),
        overwrite,
    )?;
    let stem = out
        .file_stem()
        .map_or("divide".to_string(), |s| s.to_string_lossy().into_owned());
    let beside = |ext: &str| out.with_file_name(format!("{stem}.{ext}"));
    let mut written = vec![out.to_path_buf()];
    let mut map_name = None;
    if let Some(map) = &r.map {
        write_text(&beside("map.svg"), &map.to_svg(), overwrite)?;
        let png = map.to_png().map_err(|e| Failure::failed(e.to_string()))?;
        let path = beside("map.png");
        if path.exists() && !overwrite {
            return Err(Failure::usage(format!("{} exists", path.display()))
                .hint("add --overwrite to replace it"));
        }
        std::fs::write(&path, png)?;
        written.push(path);
        written.push(beside("map.svg"));
        map_name = Some(format!("{stem}.map.png"));
    }
    write_text(
        &beside("report.md"),
        &divide_report(&r.summary, map_name.as_deref()),
        overwrite,
    )?;
    written.push(beside("report.md"));
    Ok(written)
}
