//! The water-parting's report and map, written beside its GeoJSON: the
//! divide over the DEM's relief with the lines it was compared with, its
//! highest point, the largest departures numbered, the voids met; the
//! report gives the figures and every warning.

use super::{Divide, DivideSummary};
use crate::failure::Failure;
use crate::output::write_text;
use crate::words::{fill, Lang};
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
    lang: Lang,
    places: &[crate::places::NearPlace],
    within: Option<f64>,
) -> Option<Map> {
    let w = lang.words();
    // Fitted to the divide (the compared lines may run far beyond it).
    let all: Vec<(f64, f64)> = lines.iter().flatten().copied().collect();
    if all.is_empty() {
        return None;
    }
    let mut map = Map::around(w.divide_title, all.iter().copied(), 0.15, 1200, 900);
    if let Ok(sampler) = DemSampler::new(dem) {
        map.relief(|(lat, lon)| sampler.hillshade(lat, lon));
        map.note(w.relief_note);
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
        map.line(l, Style::line("#d62728", 2.4), Some(w.divide_traced));
    }
    if let (Some(h), Some([lat, lon])) = (s.highest_m, s.highest_at) {
        map.point(
            (lat, lon),
            5.0,
            Style::area("#ffff33", 1.0, "#000000"),
            Some(&format!("{h:.0} {}", w.m)),
            Some(w.highest_of_divide),
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
                Some(w.departures),
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
                Some(w.dem_void),
            );
        }
    }
    if let Some(within) = within {
        crate::places::draw(&mut map, places, within, lang);
    }
    map.note(&fill(
        w.divide_map_note,
        &[&s.lines, &format!("{:.3}", s.length_m / 1000.0)],
    ));
    Some(map)
}

/// The divide's report (Markdown), `map` the map's file name beside it.
fn divide_report(d: &Divide, map: Option<&str>) -> String {
    let (s, lang) = (&d.summary, d.lang);
    let w = lang.words();
    let mut r = format!("# {}\n\n", w.divide_title);
    if !w.report_language.is_empty() {
        let _ = writeln!(r, "{}\n", w.report_language);
    }
    let highest = match (s.highest_m, s.highest_at) {
        (Some(h), Some([lat, lon])) => fill(
            w.height_at,
            &[
                &format!("{h:.0}"),
                &format!("{lat:.5}"),
                &format!("{lon:.5}"),
            ],
        ),
        _ => "—".into(),
    };
    let _ = writeln!(
        r,
        "| | |\n|---|---:|\n| {} | {} |\n| {} | {:.3} {} |\n| {} | {highest} |\n| {} | {} / {} |",
        w.lines,
        s.lines,
        w.length,
        s.length_m / 1000.0,
        w.km,
        w.highest_point,
        w.cells_a_b,
        s.cells_a,
        s.cells_b
    );
    if let Some(share) = s.corridor_edge_share {
        let _ = writeln!(r, "| {} | {:.1} % |", w.edge_share, 100.0 * share);
    }
    let _ = writeln!(r, "\n## {}\n", fill(w.warnings, &[&s.warnings.len()]));
    if s.warnings.is_empty() {
        let _ = writeln!(r, "{}", w.none);
    } else if !w.engine_words.is_empty() {
        let _ = writeln!(r, "{}\n", w.engine_words);
    }
    for x in &s.warnings {
        let _ = writeln!(r, "- {x}");
    }
    let done = if s.voids.done.is_empty() {
        w.no_voids
    } else {
        &s.voids.done
    };
    let _ = writeln!(
        r,
        "\n## {}\n\n{}",
        w.dem_voids,
        if s.voids.voids.is_empty() {
            format!("{}.", w.no_voids)
        } else {
            fill(w.voids_line, &[&s.voids.voids.len(), &s.voids.cells, &done])
        }
    );
    for (i, v) in s.voids.voids.iter().enumerate() {
        let at = v
            .centre
            .map_or("—".to_string(), |[la, lo]| format!("{la:.5}°, {lo:.5}°"));
        let _ = writeln!(r, "- {}", fill(w.void_row, &[&(i + 1), &v.cells, &at]));
    }
    if !s.compared.is_empty() {
        let _ = writeln!(r, "\n## {}\n", w.compared_with);
        let mut k = 0;
        for c in &s.compared {
            let _ = writeln!(
                r,
                "**{}**: {}\n",
                c.line,
                fill(
                    w.distances,
                    &[
                        &format!("{:.0}", c.median_m),
                        &format!("{:.0}", c.p95_m),
                        &format!("{:.0}", c.max_m),
                        &c.samples
                    ]
                )
            );
            if let Some(e) = &c.departures_error {
                let _ = writeln!(r, "{}\n", fill(w.departures_error, &[e]));
            }
            if c.departures.is_empty() && c.departures_error.is_none() {
                let _ = writeln!(r, "{}\n", w.no_departures);
            }
            if !c.departures.is_empty() {
                let _ = writeln!(r, "{}\n|---|---:|---:|---|", w.departure_columns);
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
    if let Some(within) = d.places_within_m {
        let _ = write!(r, "\n{}", crate::places::table(&d.places, within, d.lang));
    }
    if let Some(m) = map {
        let _ = writeln!(r, "\n## {}\n\n![{}]({m})", w.map, w.divide_map_caption);
    }
    r
}

/// Beside `out` (the divide's GeoJSON): `STEM.report.md`, `STEM.map.png`,
/// `STEM.map.svg` and, when it has one, `STEM.provenance.json`; the files
/// written.
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
        &divide_report(r, map_name.as_deref()),
        overwrite,
    )?;
    written.push(beside("report.md"));
    if let Some(p) = &r.provenance {
        let path = beside("provenance.json");
        write_text(
            &path,
            &serde_json::to_string_pretty(p).unwrap_or_default(),
            overwrite,
        )?;
        written.push(path);
    }
    Ok(written)
}
