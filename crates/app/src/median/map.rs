//! The median's map: the claims, the parties' territories shaded, and the
//! median or compromise coloured by how each run of it was made, with the
//! fallback regions and connectors marked and numbered as in the report's
//! table (drawn by `terminus-cartography`).

use super::Outcome;
use crate::words::{fill, MedianWords};
use terminus_cartography::{Map, Style};
use terminus_delimitation::Construction;

/// Claim colours, in input order.
const CLAIMS: [&str; 3] = ["#d62728", "#1f77b4", "#2ca02c"];
/// Territory fills, in party order.
const PARTIES: [&str; 2] = ["#fbe3d6", "#dbe9f6"];

/// How a run of the compromise is drawn, and its legend.
fn style_of(c: Construction, w: &MedianWords) -> (Style, &'static str) {
    match c {
        Construction::Equidistant => (Style::line("#000000", 2.2), w.runs[0]),
        Construction::Local => (Style::line("#6a3d9a", 2.2), w.runs[1]),
        Construction::ArcLength | Construction::Matched => {
            (Style::dashed("#e66101", 2.4), w.runs[2])
        }
        Construction::Common => (Style::line("#4d4d4d", 3.2), w.runs[3]),
        Construction::Connector => (Style::dashed("#b2182b", 1.6), w.runs[4]),
        Construction::OneClaim => (Style::dashed("#1a9850", 2.4), w.runs[5]),
        Construction::Bridged => (Style::line("#2166ac", 2.2), w.runs[6]),
        // (Rings only, never a run of a line.)
        Construction::ClosedRing => (Style::line("#762a83", 1.6), w.ring_legend),
    }
}

/// The overview map of a median's outcome.
pub fn overview(o: &Outcome) -> Map {
    let w = o.lang.median();
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
        "compromise" => w.map_title_compromise,
        _ => w.map_title_median,
    };
    let mut map = Map::around(title, all, 0.04, 1200, 900);
    // The relief under it, where a DEM was given (hillshade, Lambert's
    // law lit from the north-west at 45°, as compare's maps).
    if let Some(dem) = &o.dem {
        match terminus_demarcation::sampler::DemSampler::new(dem) {
            Ok(s) => crate::terrain::shade(&mut map, &s, o.lang),
            // (Said on the map rather than drawn without a word.)
            Err(e) => map.note(&format!("{} ({e})", o.lang.words().relief_outside)),
        }
    }
    for (k, t) in o.territories.iter().enumerate() {
        for p in &t.polygons {
            map.area(
                p,
                Style::area(PARTIES[k % PARTIES.len()], 0.8, "#bbbbbb"),
                Some(&fill(w.territory_of, &[&t.party])),
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
                w.ring_legend
            } else if o.mode == "compromise" {
                w.turning_point_line
            } else {
                w.median_line
            };
            map.line(&coords, Style::line("#000000", 2.0), Some(legend));
            continue;
        }
        for r in &l.runs {
            if r.last <= r.first || r.last >= coords.len() {
                continue;
            }
            let (style, legend) = style_of(r.construction, w);
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
                Some(w.fallback_legend),
            );
        }
        map.note(&fill(
            w.map_regions,
            &[&c.regions, &c.line_count, &c.coverage_text()],
        ));
    }
    if let Some(within) = o.places_within_m {
        crate::places::draw(&mut map, &o.places, within, o.lang);
    }
    map.note(w.map_note);
    map
}
