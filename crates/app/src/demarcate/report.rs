//! The pillar plan's report and map: what a commission's geodesist checks
//! before anyone goes into the field — the figures, every warning of the
//! plan, the pillars on ground steeper than the limit (a turning point's
//! pillar cannot move off it), the DEM's voids met, the turning points
//! left without a pillar — and the line with its pillars by type over the
//! DEM's relief.

use super::{largest_spacing, not_intervisible, smallest_spacing, Demarcation};
use crate::words::fill;
use std::fmt::Write as _;
use terminus_cartography::{Map, Style};
use terminus_demarcation::plan::PillarType;
use terminus_demarcation::sampler::DemSampler;

/// The plan's map: the line, the pillars by type (main ones numbered),
/// relief from the DEM when there is one.
pub fn plan_map(d: &Demarcation, dem: Option<&DemSampler>) -> Option<Map> {
    let w = d.lang.words();
    let plan = d.plan.as_ref()?;
    let cat = &d.catalogue;
    let title = plan_title(w, &cat.section);
    let mut map = Map::around(&title, plan.line.iter().copied(), 0.06, 1200, 900);
    if let Some(s) = dem {
        map.relief(|(lat, lon)| s.hillshade(lat, lon));
    }
    map.line(&plan.line, Style::line("#d62728", 2.0), Some(w.the_line));
    // (Numbering every pillar of a long section would cover the line:
    // main pillars are labelled when there are at most 150.)
    let main = cat
        .rows
        .iter()
        .filter(|r| r.kind == PillarType::Main)
        .count();
    for r in &cat.rows {
        let (radius, style, legend) = match r.kind {
            PillarType::Main => (4.0, Style::area("#000000", 1.0, "#ffffff"), w.main_pillar),
            PillarType::Intermediate => (
                2.6,
                Style::area("#bdbdbd", 1.0, "#000000"),
                w.intermediate_pillar,
            ),
            PillarType::Crossing => (
                3.5,
                Style::area("#1f77b4", 1.0, "#000000"),
                w.crossing_pillar,
            ),
            PillarType::Bank => (3.5, Style::area("#17becf", 1.0, "#000000"), w.bank_pillar),
            PillarType::Unmarked => (
                2.0,
                Style::area("#ff7f0e", 1.0, "#ff7f0e"),
                w.unmarked_point,
            ),
        };
        let steep = r.slope_deg.is_some_and(|s| s > d.max_slope_deg) && r.kind.marked();
        let label = (r.kind == PillarType::Main && main <= 150).then_some(r.number.as_str());
        map.point((r.lat, r.lon), radius, style, label, Some(legend));
        if steep {
            map.point(
                (r.lat, r.lon),
                radius + 1.5,
                Style::area("#e31a1c", 0.25, "#e31a1c"),
                None,
                Some(w.steep_ground),
            );
        }
    }
    if let Some(within) = d.places_within_m {
        crate::places::draw(&mut map, &d.places, within, d.lang);
    }
    if dem.is_some() {
        map.note(w.relief_note);
    }
    map.note(&fill(
        w.plan_map_note,
        &[
            &cat.rows.iter().filter(|r| r.kind.marked()).count(),
            &format!("{:.3}", cat.length_m / 1000.0),
        ],
    ));
    Some(map)
}

/// The plan's report (Markdown), in the plan's language.
pub fn plan_report(d: &Demarcation, map: Option<&str>) -> String {
    let w = d.lang.words();
    let mut r = String::new();
    let cat = &d.catalogue;
    let _ = writeln!(r, "# {}\n", plan_title(w, &cat.section));
    if !w.report_language.is_empty() {
        let _ = writeln!(r, "{}\n", w.report_language);
    }
    let count = |k: PillarType| cat.rows.iter().filter(|r| r.kind == k).count();
    let _ = writeln!(r, "| | |\n|---|---:|");
    let rows: [(&str, String); 9] = [
        (
            w.length_of_line,
            format!("{:.3} {}", cat.length_m / 1000.0, w.km),
        ),
        (
            w.pillars,
            cat.rows
                .iter()
                .filter(|r| r.kind.marked())
                .count()
                .to_string(),
        ),
        (w.main, count(PillarType::Main).to_string()),
        (w.intermediate, count(PillarType::Intermediate).to_string()),
        (w.crossing, count(PillarType::Crossing).to_string()),
        (w.bank, count(PillarType::Bank).to_string()),
        (w.unmarked, count(PillarType::Unmarked).to_string()),
        (
            w.largest_spacing,
            format!("{:.1} {}", largest_spacing(cat), w.m),
        ),
        (
            w.smallest_spacing,
            format!("{:.1} {}", smallest_spacing(cat), w.m),
        ),
    ];
    for (label, value) in rows {
        let _ = writeln!(r, "| {label} | {value} |");
    }
    if let Some(p) = &d.plan {
        let _ = writeln!(
            r,
            "| {} | {} |",
            w.spacing_asked_label,
            fill(
                w.spacing_asked,
                &[
                    &format!("{:.0}", p.min_spacing_m),
                    &format!("{:.0}", p.max_spacing_m)
                ]
            )
        );
        let _ = writeln!(
            r,
            "| {} | {} |",
            w.out_of_sight,
            if p.dem_used {
                not_intervisible(cat).to_string()
            } else {
                w.not_checked.into()
            }
        );
    }
    let _ = writeln!(
        r,
        "| {} | EPSG:{} ({}) |",
        w.gk_through, cat.gk_transformation, cat.gk_transformation_name
    );
    if let Some(v) = &d.voids {
        let _ = writeln!(
            r,
            "\n## {}\n\n{}",
            w.voids_under_line,
            if v.voids.is_empty() {
                format!("{}.", w.no_voids)
            } else {
                fill(w.voids_line, &[&v.voids.len(), &v.cells, &v.done])
            }
        );
    }
    let steep: Vec<_> = cat
        .rows
        .iter()
        .filter(|x| x.kind.marked() && x.slope_deg.is_some_and(|s| s > d.max_slope_deg))
        .collect();
    let warnings = d.plan.as_ref().map_or(&[][..], |p| &p.warnings[..]);
    let _ = writeln!(
        r,
        "\n## {}\n",
        fill(
            w.warnings,
            &[&(warnings.len() + usize::from(!steep.is_empty()))]
        )
    );
    if warnings.is_empty() && steep.is_empty() {
        let _ = writeln!(r, "{}", w.none);
    } else if !w.engine_words.is_empty() && !warnings.is_empty() {
        let _ = writeln!(r, "{}\n", w.engine_words);
    }
    for x in warnings {
        let _ = writeln!(r, "- {x}");
    }
    if !steep.is_empty() {
        let _ = writeln!(
            r,
            "- {}\n\n{}\n|---|---|---:|---:|---:|",
            fill(w.steep, &[&steep.len(), &d.max_slope_deg]),
            w.steep_columns
        );
        for x in &steep {
            let _ = writeln!(
                r,
                "| {} | {} | {:.1} | {:.6} | {:.6} |",
                x.number,
                w.kind(x.kind),
                x.slope_deg.unwrap_or(f64::NAN),
                x.lat,
                x.lon
            );
        }
    }
    if let Some(p) = &d.plan {
        if !p.merged.is_empty() {
            let _ = writeln!(
                r,
                "\n## {}\n\n{}\n\n{}\n|---|---|---:|---:|",
                fill(w.merged_title, &[&p.merged.len()]),
                fill(w.merged_text, &[&format!("{:.0}", p.min_spacing_m)]),
                w.merged_columns
            );
            for m in &p.merged {
                let _ = writeln!(
                    r,
                    "| {} | {} | {:.2} | {:.4} |",
                    m.number, m.pillar, m.distance_m, m.azimuth_deg
                );
            }
        }
    }
    if !d.notes.is_empty() {
        let _ = writeln!(r, "\n## {}\n", w.input_notes);
        for n in &d.notes {
            let _ = writeln!(r, "- {n}");
        }
    }
    if let Some(within) = d.places_within_m {
        let _ = write!(r, "\n{}", crate::places::table(&d.places, within, d.lang));
    }
    if let Some(m) = map {
        let _ = writeln!(
            r,
            "\n## {}\n\n![{}{}]({m})\n",
            w.map,
            w.plan_map_caption,
            if d.plan.as_ref().is_some_and(|p| p.dem_used) {
                w.over_relief
            } else {
                ""
            }
        );
    }
    r.push('\n');
    r.push_str(&d.provenance.markdown());
    r
}

/// "Pillar plan: SECTION", or "Pillar plan" when no section was named.
fn plan_title(w: &crate::words::Words, section: &str) -> String {
    fill(w.plan_title, &[&section])
        .trim_end_matches([':', ' '])
        .to_string()
}
