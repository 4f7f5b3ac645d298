//! Places near the line: the populated places (from `--places`) within a
//! distance of the median or compromise, with their geodesic distance to
//! it and the side they lie on — what a delegation reads first.
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

use super::NamedLine;
use crate::Failure;
use serde::Serialize;
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

/// The places within `within_m` of any of `lines` (simplified lines left
/// out: they are the computed line's turning points), ordered by line and
/// along it.
pub fn near_lines(
    places: &[Place],
    lines: &[NamedLine],
    within_m: f64,
) -> Result<Vec<NearPlace>, Failure> {
    let g = Gnomonic::new(Ellipsoid::WGS84);
    let lines: Vec<(&str, Vec<LatLon>, Vec<f64>)> = lines
        .iter()
        .filter(|l| !l.name.ends_with(" simplified"))
        .map(|l| {
            let pts: Vec<LatLon> = l
                .line
                .vertices
                .iter()
                .map(|v| LatLon::new(v.lat, v.lon))
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
            (l.name.as_str(), pts, at)
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
