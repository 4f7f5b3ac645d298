//! The maps of a comparison: an overview, and one map per largest
//! discrepancy of each pair (drawn by `terminus-cartography`).

use terminus_cartography::{Map, Style};
use terminus_compare::{Comparison, LatLon};

/// Line colours, in input order.
const LINES: [&str; 6] = [
    "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
];
/// Fills for the party a line gives a discrepancy to.
const PARTIES: [&str; 4] = ["#f4a582", "#92c5de", "#c2a5cf", "#a6dba0"];

/// A map to write: file stem, caption, map.
pub struct NamedMap {
    /// File name without extension.
    pub stem: String,
    /// Caption.
    pub caption: String,
    /// The map.
    pub map: Map,
}

fn party_colour(parties: &[String], p: &str) -> &'static str {
    let i = parties.iter().position(|q| q == p).unwrap_or(0);
    PARTIES[i % PARTIES.len()]
}

fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The overview and the detail maps (the `per_pair` largest discrepancies of each pair).
pub fn maps(
    c: &Comparison,
    per_pair: usize,
    lang: crate::words::Lang,
    dem: Option<&terminus_demarcation::sampler::DemSampler>,
) -> Vec<NamedMap> {
    // The relief under every map, where a DEM was given (hillshade,
    // Lambert's law lit from the north-west at 45°).
    let relief = |m: &mut Map| {
        if let Some(s) = dem {
            crate::terrain::shade(m, s, lang);
        }
    };
    use crate::words::fill;
    let w = lang.compare();
    let area = |m2: f64| super::report::area_in(m2, lang);
    let length = |m: f64| super::report::length_in(m, lang);
    let mut out = Vec::new();
    let parties: Vec<String> = {
        let mut v: Vec<String> = c
            .pairs
            .iter()
            .flat_map(|p| p.gain_m2.keys().cloned())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let line_pts = |name: &str| -> Vec<Vec<LatLon>> {
        // The agreed stretches are not the whole line: take the lines from
        // the discrepancy rings' owners via the pair data.
        c.line_geometry.get(name).cloned().unwrap_or_default()
    };
    let all: Vec<LatLon> = c
        .line_geometry
        .values()
        .flatten()
        .flatten()
        .copied()
        .collect();
    let mut overview = Map::around(w.map_title, all.iter().copied(), 0.04, 1200, 900);
    relief(&mut overview);
    if let Some(p) = c.pairs.first() {
        for d in p.discrepancies.iter().filter(|d| d.beyond_tolerance) {
            let legend = fill(w.gives_to, &[&p.a, &d.party_by_a]);
            overview.area(
                &d.rings,
                Style::area(party_colour(&parties, &d.party_by_a), 0.55, "#555555"),
                Some(&legend),
            );
        }
    }
    for o in &c.overlaps {
        overview.area(
            &o.rings,
            Style::area("#7b3294", 0.5, "#7b3294"),
            Some(w.overlap),
        );
    }
    for (i, l) in c.lines.iter().enumerate() {
        for piece in line_pts(&l.name) {
            overview.line(
                &piece,
                Style::line(LINES[i % LINES.len()], 1.6),
                Some(&l.name),
            );
        }
    }
    // The ten largest of the first pair numbered as in the report's
    // table (labels placed where they cover no other).
    if let Some(p) = c.pairs.first() {
        for d in p
            .discrepancies
            .iter()
            .filter(|d| d.beyond_tolerance)
            .take(10)
        {
            overview.point(
                d.inside_at,
                2.5,
                Style::area("#000000", 1.0, "#ffffff"),
                Some(&d.id.to_string()),
                Some(w.numbered),
            );
        }
    }
    overview.note(&fill(w.overview_note, &[&c.tolerance_m]));
    out.push(NamedMap {
        stem: "overview".into(),
        caption: w.overview_caption.into(),
        map: overview,
    });

    for p in &c.pairs {
        let ia = c.lines.iter().position(|l| l.name == p.a).unwrap_or(0);
        let ib = c.lines.iter().position(|l| l.name == p.b).unwrap_or(1);
        for d in p
            .discrepancies
            .iter()
            .filter(|d| d.beyond_tolerance)
            .take(per_pair)
        {
            let title = fill(
                w.detail_title,
                &[&p.a, &p.b, &d.id, &area(d.area_m2), &length(d.max_width_m)],
            );
            let mut m = Map::around(&title, d.rings[0].iter().copied(), 0.25, 900, 700);
            relief(&mut m);
            m.area(
                &d.rings,
                Style::area(party_colour(&parties, &d.party_by_a), 0.55, "#555555"),
                Some(&fill(
                    w.gives_to_both,
                    &[&p.a, &d.party_by_a, &p.b, &d.party_by_b],
                )),
            );
            for (k, name) in [(ia, &p.a), (ib, &p.b)] {
                for piece in line_pts(name) {
                    m.line(&piece, Style::line(LINES[k % LINES.len()], 2.0), Some(name));
                }
            }
            for x in &d.places {
                m.point(
                    (x.lat, x.lon),
                    3.5,
                    Style::area("#000000", 1.0, "#ffffff"),
                    Some(&x.name),
                    Some(w.place),
                );
            }
            m.point(
                d.widest_at,
                5.0,
                Style::area("#ffff00", 1.0, "#000000"),
                Some(&fill(w.widest, &[&length(d.max_width_m)])),
                Some(w.widest_point),
            );
            m.note(&fill(
                w.detail_note,
                &[
                    &p.a,
                    &length(d.length_a_m),
                    &p.b,
                    &length(d.length_b_m),
                    &d.section.as_deref().unwrap_or("—"),
                ],
            ));
            out.push(NamedMap {
                stem: format!("{}_vs_{}_{:02}", safe(&p.a), safe(&p.b), d.id),
                caption: title,
                map: m,
            });
        }
    }
    out
}
