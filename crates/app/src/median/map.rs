//! The median's map: the claims, the parties' territories shaded, and the
//! median or compromise coloured by how each run of it was made, with the
//! fallback regions and connectors marked and numbered as in the report's
//! table (drawn by `terminus-cartography`).

use super::Outcome;
use terminus_cartography::{Map, Style};
use terminus_delimitation::Construction;

/// Claim colours, in input order.
const CLAIMS: [&str; 3] = ["#d62728", "#1f77b4", "#2ca02c"];
/// Territory fills, in party order.
const PARTIES: [&str; 2] = ["#fbe3d6", "#dbe9f6"];

/// How a run of the compromise is drawn.
fn style_of(c: Construction) -> (Style, &'static str) {
    match c {
        Construction::Equidistant => (Style::line("#000000", 2.2), "equidistant"),
        Construction::Local => (
            Style::line("#6a3d9a", 2.2),
            "equidistant from the region's bounding stretches",
        ),
        Construction::ArcLength | Construction::Matched => (
            Style::dashed("#e66101", 2.4),
            "fallback (median by arc length or of matched points)",
        ),
        Construction::Common => (
            Style::line("#4d4d4d", 3.2),
            "common line (the claims agree)",
        ),
        Construction::Connector => (
            Style::dashed("#b2182b", 1.6),
            "connector across a gap in a claim",
        ),
    }
}

/// The overview map of a median's outcome.
pub fn overview(o: &Outcome) -> Map {
    let all = o
        .sides
        .iter()
        .flat_map(|s| s.parts.iter().flatten().copied())
        .chain(
            o.lines
                .iter()
                .flat_map(|l| l.line.vertices.iter().map(|v| (v.lat, v.lon))),
        );
    let title = match o.mode {
        "compromise" => "The compromise between the claims",
        _ => "The median line",
    };
    let mut map = Map::around(title, all, 0.04, 1200, 900);
    for (k, t) in o.territories.iter().enumerate() {
        for p in &t.polygons {
            map.area(
                p,
                Style::area(PARTIES[k % PARTIES.len()], 0.8, "#bbbbbb"),
                Some(&format!("territory of {}", t.party)),
            );
        }
    }
    for (k, s) in o.sides.iter().enumerate() {
        for part in s.parts.iter().filter(|p| p.len() >= 2) {
            map.line(
                part,
                Style::line(CLAIMS[k % CLAIMS.len()], 1.4),
                Some(&s.name),
            );
        }
    }
    for l in &o.lines {
        let coords: Vec<(f64, f64)> = l.line.vertices.iter().map(|v| (v.lat, v.lon)).collect();
        if l.runs.is_empty() {
            let legend = if l.name.contains(" ring ") {
                "enclave or exclave ring"
            } else if o.mode == "compromise" {
                "turning-point line"
            } else {
                "median line"
            };
            map.line(&coords, Style::line("#000000", 2.0), Some(legend));
            continue;
        }
        for r in &l.runs {
            if r.last <= r.first || r.last >= coords.len() {
                continue;
            }
            let (style, legend) = style_of(r.construction);
            map.line(&coords[r.first..=r.last], style, Some(legend));
        }
    }
    if let Some(c) = &o.compromise {
        for (k, f) in c.fallbacks.iter().enumerate() {
            let label = if f.area_m2 >= 5e3 {
                format!("F{} {:.2} km²", k + 1, f.area_m2 / 1e6)
            } else {
                format!("F{}", k + 1)
            };
            map.point(
                f.inside_at,
                4.0,
                Style::area("#ffd92f", 1.0, "#000000"),
                Some(&label),
                Some("F1, F2 ...: regions not traced equidistant, connectors (the report's table)"),
            );
        }
        map.note(&format!(
            "{} regions between the claims; {} connected line(s); coverage {}.",
            c.regions,
            c.line_count,
            c.coverage_text()
        ));
    }
    // Places near the line: named when there are few enough to read,
    // else numbered P1 … as in the report's table.
    let named = o.places.len() <= 40;
    for (k, p) in o.places.iter().enumerate() {
        let label = if named {
            p.name.clone()
        } else {
            format!("P{}", k + 1)
        };
        map.point(
            (p.lat, p.lon),
            3.0,
            Style::area("#ffffff", 1.0, "#000000"),
            Some(&label),
            Some(&format!(
                "place within {:.1} km of the line (P1 … in the report)",
                o.places_within_m.unwrap_or(0.0) / 1000.0
            )),
        );
    }
    map.note("Geodesic lines on WGS 84; transverse Mercator centred on the map.");
    map
}
