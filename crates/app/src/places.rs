//! Places near a line: the populated places (from `--places`) within a
//! distance of a median or compromise, a pillar plan's line or a traced
//! divide, with their geodesic distance to it and the side they lie on —
//! what a delegation reads first. Read, listed (report table) and drawn
//! (map points) the same way by every workflow that takes `--places`.
//!
//! Method: for each place, every segment's distance is first estimated
//! on a local equirectangular plane at the place's latitude φ, whose
//! relative error at a distance D is about tan|φ| · D / R (the parallels'
//! convergence) plus the ellipsoid's flattening; the segments whose
//! estimate lies within a margin of twice that bound (at least 5 % and
//! 100 m) of the best estimate are then solved exactly as geodesic
//! segments (`nearest_on_segment`, nanometres). The distances reported
//! are therefore exact to nanometres; tested against all segments solved
//! by brute force.

use crate::words::{fill, Lang};
use crate::Failure;
use serde::Serialize;
use std::path::Path;
use terminus_compare::Place;
use terminus_geodesy::geodesic::{nearest_on_segment, Gnomonic};
use terminus_geodesy::{Ellipsoid, LatLon};

/// A place within the distance asked of a line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearPlace {
    /// Its name.
    pub name: String,
    /// Latitude, degrees (WGS 84).
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Geodesic distance to the nearest line, metres.
    pub distance_m: f64,
    /// That line's name.
    pub line: String,
    /// "left" or "right" of that line as it runs, or "on" it.
    pub side: &'static str,
    /// Distance along that line from its start to the foot, metres.
    pub along_m: f64,
}

/// The places of `path` (points; named by `name_field` or name, NAME, …)
/// within `within_m` of any of `lines` ((name, (lat, lon) vertices)),
/// with the input road's notes and the provenance entry (where the
/// workflow keeps one); ordered by line and along it.
pub fn read_near(
    path: &Path,
    input: &crate::InputOptions,
    name_field: Option<&str>,
    lines: &[(String, Vec<(f64, f64)>)],
    within_m: f64,
    notes: &mut Vec<String>,
    mut provenance: Option<&mut crate::Provenance>,
) -> Result<Vec<NearPlace>, Failure> {
    let all = read(path, input, name_field, notes, provenance.as_deref_mut())?;
    if let Some(provenance) = provenance {
        provenance.tolerance("places_within_m", within_m);
    }
    near_lines(&all, lines, within_m)
}

/// The places of `path` (points; named by `name_field` or name, NAME, …),
/// with the input road's notes (and one for features that are not
/// points) and the provenance entry where the workflow keeps one.
pub fn read(
    path: &Path,
    input: &crate::InputOptions,
    name_field: Option<&str>,
    notes: &mut Vec<String>,
    provenance: Option<&mut crate::Provenance>,
) -> Result<Vec<Place>, Failure> {
    let r = crate::input::read(path, input)?;
    notes.extend(r.notes());
    if let Some(provenance) = provenance {
        provenance.input("places", &r);
    }
    let (all, other) = crate::shapes::places_in(&r.dataset, name_field);
    if other > 0 {
        notes.push(format!(
            "{}: {other} feature(s) that are not points left out of the places",
            path.display()
        ));
    }
    Ok(all)
}

/// The places within `within_m` of any of `lines` ((name, (lat, lon)
/// vertices)), ordered by line and along it.
pub fn near_lines(
    places: &[Place],
    lines: &[(String, Vec<(f64, f64)>)],
    within_m: f64,
) -> Result<Vec<NearPlace>, Failure> {
    if !(within_m.is_finite() && within_m > 0.0) {
        return Err(Failure::usage(format!(
            "--places-within {within_m}: give a distance above zero, e.g. 5km"
        )));
    }
    let g = Gnomonic::new(Ellipsoid::WGS84);
    let lines: Vec<(&str, Vec<LatLon>, Vec<f64>)> = lines
        .iter()
        .map(|(name, line)| {
            let pts: Vec<LatLon> = line
                .iter()
                .map(|&(lat, lon)| LatLon::new(lat, lon))
                .collect();
            // Distance from the line's start to each vertex.
            let mut at = vec![0.0];
            for w in pts.windows(2) {
                let s: f64 = terminus_geodesy::measure::InverseGeodesic::inverse(
                    g.geodesic(),
                    w[0].lat,
                    w[0].lon,
                    w[1].lat,
                    w[1].lon,
                );
                at.push(at[at.len() - 1] + s);
            }
            (name.as_str(), pts, at)
        })
        .collect();
    let mut near = Vec::new();
    for p in places {
        if !(p.lat.is_finite() && p.lon.is_finite() && p.lat.abs() <= 90.0) {
            continue;
        }
        // Metres per degree on the local plane (the meridian and the
        // parallel's radii of curvature at the place's latitude).
        let (m_lat, m_lon) = metres_per_degree(p.lat);
        let flat = |q: &LatLon| {
            let mut dlon = q.lon - p.lon;
            if dlon > 180.0 {
                dlon -= 360.0;
            } else if dlon < -180.0 {
                dlon += 360.0;
            }
            (dlon * m_lon, (q.lat - p.lat) * m_lat)
        };
        let estimate = |a: &LatLon, b: &LatLon| {
            let (a, b) = (flat(a), flat(b));
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            (a.0 + t * dx).hypot(a.1 + t * dy)
        };
        let mut best_estimate = f64::INFINITY;
        let mut estimates = Vec::new();
        for (k, (_, pts, _)) in lines.iter().enumerate() {
            for (i, w) in pts.windows(2).enumerate() {
                let e = estimate(&w[0], &w[1]);
                best_estimate = best_estimate.min(e);
                estimates.push((k, i, e));
            }
        }
        let margin = |d: f64| {
            let rel = (2.0 * p.lat.to_radians().tan().abs() * d / 6.371e6 + 0.01).max(0.05);
            d * (1.0 + rel) + 100.0
        };
        if best_estimate > margin(within_m) {
            continue;
        }
        let keep = margin(best_estimate);
        let here = LatLon::new(p.lat, p.lon);
        let mut best: Option<(usize, terminus_geodesy::geodesic::Nearest)> = None;
        for &(k, i, e) in &estimates {
            if e > keep {
                continue;
            }
            let pts = &lines[k].1;
            let mut n = nearest_on_segment(&g, pts[i], pts[i + 1], here)
                .map_err(|err| Failure::failed(format!("place {}: {err}", p.name)))?;
            n.segment = i;
            if best.is_none_or(|(_, b)| n.distance < b.distance) {
                best = Some((k, n));
            }
        }
        if let Some((k, n)) = best.filter(|(_, n)| n.distance <= within_m) {
            near.push(NearPlace {
                name: p.name.clone(),
                lat: p.lat,
                lon: p.lon,
                distance_m: n.distance,
                line: lines[k].0.to_string(),
                side: match n.side {
                    1 => "left",
                    -1 => "right",
                    _ => "on",
                },
                along_m: lines[k].2[n.segment] + n.along,
            });
        }
    }
    near.sort_by(|a, b| a.line.cmp(&b.line).then(a.along_m.total_cmp(&b.along_m)));
    Ok(near)
}

/// Metres per degree of latitude and of longitude at `lat` on WGS 84.
fn metres_per_degree(lat: f64) -> (f64, f64) {
    let e = Ellipsoid::WGS84;
    let (a, f) = (e.a, 1.0 / e.inv_f);
    let e2 = f * (2.0 - f);
    let s = lat.to_radians().sin();
    let w = (1.0 - e2 * s * s).sqrt();
    let m = a * (1.0 - e2) / (w * w * w);
    let n = a / w;
    (
        m * std::f64::consts::PI / 180.0,
        n * lat.to_radians().cos() * std::f64::consts::PI / 180.0,
    )
}

/// The report's table of places near the line (P1 … as on the map), in
/// `lang`: a heading, and the rows or a line saying none is near.
pub fn table(places: &[NearPlace], within_m: f64, lang: Lang) -> String {
    let w = lang.median();
    let mut r = format!(
        "## {}\n\n",
        fill(w.places_title, &[&format!("{:.1}", within_m / 1000.0)])
    );
    if places.is_empty() {
        r.push_str(w.no_places);
        r.push('\n');
        return r;
    }
    r.push_str(&format!("{}\n\n{}\n", w.places_intro, w.place_columns));
    for (k, p) in places.iter().enumerate() {
        let side = match p.side {
            "left" => w.sides_of_line[0],
            "right" => w.sides_of_line[1],
            _ => w.sides_of_line[2],
        };
        r.push_str(&format!(
            "| P{} | {} | {:.0} | {} | {} | {:.3} | {:.5} | {:.5} |\n",
            k + 1,
            p.name.replace('|', "\\|"),
            p.distance_m,
            side,
            p.line.replace('|', "\\|"),
            p.along_m / 1000.0,
            p.lat,
            p.lon
        ));
    }
    r
}

/// Draw the places on `map`: named when there are few enough to read
/// (40), else numbered P1 … as in the report's table.
pub fn draw(map: &mut terminus_cartography::Map, places: &[NearPlace], within_m: f64, lang: Lang) {
    let w = lang.median();
    let named = places.len() <= 40;
    for (k, p) in places.iter().enumerate() {
        let label = if named {
            p.name.clone()
        } else {
            format!("P{}", k + 1)
        };
        map.point(
            (p.lat, p.lon),
            3.0,
            terminus_cartography::Style::area("#ffffff", 1.0, "#000000"),
            Some(&label),
            Some(&fill(
                w.place_legend,
                &[&format!("{:.1}", within_m / 1000.0)],
            )),
        );
    }
}
