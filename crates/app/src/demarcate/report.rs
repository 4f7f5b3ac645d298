//! The pillar plan's report and map: what a commission's geodesist checks
//! before anyone goes into the field — the figures, every warning of the
//! plan, the pillars on ground steeper than the limit (a turning point's
//! pillar cannot move off it), the DEM's voids met, the turning points
//! left without a pillar — and the line with its pillars by type over the
//! DEM's relief.

use super::{largest_spacing, not_intervisible, smallest_spacing, Demarcation};
use std::fmt::Write as _;
use terminus_cartography::{Map, Style};
use terminus_demarcation::plan::PillarType;
use terminus_demarcation::sampler::DemSampler;

/// The plan's map: the line, the pillars by type (main ones numbered),
/// relief from the DEM when there is one.
pub fn plan_map(d: &Demarcation, dem: Option<&DemSampler>) -> Option<Map> {
    let plan = d.plan.as_ref()?;
    let cat = &d.catalogue;
    let title = format!("Pillar plan: {}", cat.section);
    let mut map = Map::around(&title, plan.line.iter().copied(), 0.06, 1200, 900);
    if let Some(s) = dem {
        map.relief(|(lat, lon)| s.hillshade(lat, lon));
    }
    map.line(&plan.line, Style::line("#d62728", 2.0), Some("the line"));
    // (Numbering every pillar of a long section would cover the line:
    // main pillars are labelled when there are at most 150.)
    let main = cat
        .rows
        .iter()
        .filter(|r| r.kind == PillarType::Main)
        .count();
    for r in &cat.rows {
        let (radius, style, legend) = match r.kind {
            PillarType::Main => (
                4.0,
                Style::area("#000000", 1.0, "#ffffff"),
                "main pillar (turning point)",
            ),
            PillarType::Intermediate => (
                2.6,
                Style::area("#bdbdbd", 1.0, "#000000"),
                "intermediate pillar",
            ),
            PillarType::Crossing => (
                3.5,
                Style::area("#1f77b4", 1.0, "#000000"),
                "crossing pillar",
            ),
            PillarType::Bank => (3.5, Style::area("#17becf", 1.0, "#000000"), "bank pillar"),
            PillarType::Unmarked => (
                2.0,
                Style::area("#ff7f0e", 1.0, "#ff7f0e"),
                "turning point without a pillar",
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
                Some("on ground steeper than the limit"),
            );
        }
    }
    if dem.is_some() {
        map.note("Relief: hillshade of the plan's DEM, lit from the north-west at 45°.");
    }
    map.note(&format!(
        "{} pillars on {:.3} km; geodesic line on WGS 84; transverse Mercator centred on the map.",
        cat.rows.iter().filter(|r| r.kind.marked()).count(),
        cat.length_m / 1000.0
    ));
    Some(map)
}

/// The plan's report (Markdown).
pub fn plan_report(d: &Demarcation, map: Option<&str>) -> String {
    let mut r = String::new();
    let cat = &d.catalogue;
    let _ = writeln!(r, "# Pillar plan: {}\n", cat.section);
    let count = |k: PillarType| cat.rows.iter().filter(|r| r.kind == k).count();
    let _ = writeln!(
        r,
        "| | |\n|---|---:|\n| length of the line | {:.3} km |\n| pillars | {} |\n| main (turning points) | {} |\n| intermediate | {} |\n| crossing | {} |\n| bank | {} |\n| turning points without a pillar | {} |\n| largest spacing | {:.1} m |\n| smallest spacing | {:.1} m |",
        cat.length_m / 1000.0,
        cat.rows.iter().filter(|r| r.kind.marked()).count(),
        count(PillarType::Main),
        count(PillarType::Intermediate),
        count(PillarType::Crossing),
        count(PillarType::Bank),
        count(PillarType::Unmarked),
        largest_spacing(cat),
        smallest_spacing(cat),
    );
    if let Some(p) = &d.plan {
        let _ = writeln!(
            r,
            "| spacing asked for | {:.0} m to {:.0} m |",
            p.min_spacing_m, p.max_spacing_m
        );
        let dem_used = p.dem_used;
        let _ = writeln!(
            r,
            "| pairs of consecutive pillars out of sight | {} |",
            if dem_used {
                not_intervisible(cat).to_string()
            } else {
                "not checked (no DEM)".into()
            }
        );
    }
    let _ = writeln!(
        r,
        "| SK-42 and Gauss–Krüger columns through | EPSG:{} ({}) |",
        cat.gk_transformation, cat.gk_transformation_name
    );
    if let Some(v) = &d.voids {
        let _ = writeln!(
            r,
            "\n## DEM voids under the line\n\n{} void(s), {} cell(s): {}.",
            v.voids.len(),
            v.cells,
            v.done
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
        "\n## Warnings ({})\n",
        warnings.len() + usize::from(!steep.is_empty())
    );
    if warnings.is_empty() && steep.is_empty() {
        let _ = writeln!(r, "None.");
    }
    for w in warnings {
        let _ = writeln!(r, "- {w}");
    }
    if !steep.is_empty() {
        let _ = writeln!(
            r,
            "- {} pillar(s) stand on ground steeper than {}° (a turning point's pillar cannot move; others found no better ground in sight):\n\n| pillar | type | slope (°) | lat | lon |\n|---|---|---:|---:|---:|",
            steep.len(),
            d.max_slope_deg
        );
        for x in &steep {
            let _ = writeln!(
                r,
                "| {} | {} | {:.1} | {:.6} | {:.6} |",
                x.number,
                x.kind.name(),
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
                "\n## Turning points without a pillar ({})\n\nCloser than {:.0} m to a pillar: catalogue rows described from it, never built.\n\n| turning point | pillar | distance (m) | azimuth (°) |\n|---|---|---:|---:|",
                p.merged.len(),
                p.min_spacing_m
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
        let _ = writeln!(r, "\n## Input notes\n");
        for n in &d.notes {
            let _ = writeln!(r, "- {n}");
        }
    }
    if let Some(m) = map {
        let _ = writeln!(
            r,
            "\n## Map\n\n![The line and its pillars by type{}]({m})\n",
            if d.plan.as_ref().is_some_and(|p| p.dem_used) {
                ", over the DEM's relief"
            } else {
                ""
            }
        );
    }
    r.push('\n');
    r.push_str(&d.provenance.markdown());
    r
}
