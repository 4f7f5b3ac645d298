//! A polyline of geodesic segments clipped to a latitude/longitude box.
//!
//! The box's sides are meridians (geodesics) and parallels (not geodesics),
//! so each segment is cut where it crosses them by bisection along the
//! segment itself (the direct problem from its start), not by
//! interpolating degrees: the cut points lie on the segment to nanometres
//! and on the box's side to 1e-12°. A segment can cross a parallel twice
//! (it bulges poleward); the segment is therefore sampled every 100 m and
//! each sample interval that changes side is bisected. A segment dipping
//! into the box for less than 100 m between two samples (grazing a corner)
//! is not cut there.

use super::GeodesicError;
use crate::measure::{DirectGeodesic, InverseGeodesic};
use crate::Ellipsoid;

/// A latitude/longitude box, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLonBox {
    /// Southern latitude.
    pub south: f64,
    /// Western longitude.
    pub west: f64,
    /// Northern latitude.
    pub north: f64,
    /// Eastern longitude (east of `west`; the box does not cross ±180°).
    pub east: f64,
}

impl LatLonBox {
    /// The box, checked: latitudes within ±90° with south < north,
    /// longitudes within ±180° with west < east.
    pub fn new(south: f64, west: f64, north: f64, east: f64) -> Result<LatLonBox, GeodesicError> {
        let ok = [south, west, north, east].iter().all(|v| v.is_finite())
            && (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north)
            && (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && south < north
            && west < east;
        if ok {
            Ok(LatLonBox {
                south,
                west,
                north,
                east,
            })
        } else {
            Err(GeodesicError::Degenerate(
                "a box needs south < north within ±90° and west < east within ±180°",
            ))
        }
    }

    /// Whether (lat, lon) lies in the box (its sides included).
    pub fn contains(&self, p: (f64, f64)) -> bool {
        (self.south..=self.north).contains(&p.0) && (self.west..=self.east).contains(&p.1)
    }
}

/// The runs of `line` ((lat, lon)) inside `bbox`, in order along the line,
/// each cut exactly where the line's geodesics cross the box's sides.
///
/// ```
/// use terminus_geodesy::geodesic::clip::{clip_to_box, LatLonBox};
/// // The equator from 0°E to 2°E, clipped to 0.5°E–1.5°E: one run, cut on
/// // the meridians (the equator is a geodesic).
/// let b = LatLonBox::new(-1.0, 0.5, 1.0, 1.5).unwrap();
/// let runs = clip_to_box(&[(0.0, 0.0), (0.0, 2.0)], &b).unwrap();
/// assert_eq!(runs.len(), 1);
/// assert!((runs[0][0].1 - 0.5).abs() < 1e-12 && (runs[0][1].1 - 1.5).abs() < 1e-12);
/// ```
pub fn clip_to_box(
    line: &[(f64, f64)],
    bbox: &LatLonBox,
) -> Result<Vec<Vec<(f64, f64)>>, GeodesicError> {
    for &(lat, lon) in line {
        super::check(lat, lon)?;
    }
    let geod = Ellipsoid::WGS84.geodesic();
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    if let Some(&first) = line.first() {
        if bbox.contains(first) {
            current.push(first);
        }
    }
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (len, azi, _, _): (f64, f64, f64, f64) = geod.inverse(a.0, a.1, b.0, b.1);
        let at = |s: f64| -> (f64, f64) {
            if s <= 0.0 {
                a
            } else if s >= len {
                b
            } else {
                geod.direct(a.0, a.1, azi, s)
            }
        };
        // Samples along the segment, every 100 m at most.
        let n = ((len / 100.0).ceil() as usize).max(1);
        let mut s0 = 0.0;
        let mut in0 = bbox.contains(a);
        for k in 1..=n {
            let s1 = len * k as f64 / n as f64;
            let in1 = bbox.contains(at(s1));
            if in0 != in1 {
                // Bisect for the crossing: ~60 halvings reach a nanometre
                // on any segment under 1,000 km.
                let (mut lo, mut hi) = (s0, s1);
                for _ in 0..80 {
                    let mid = 0.5 * (lo + hi);
                    if bbox.contains(at(mid)) == in0 {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                    if hi - lo < 1e-9 {
                        break;
                    }
                }
                // The inside end of the bracket: on the box to 1e-12°.
                let cut = if in0 { at(lo) } else { at(hi) };
                if in0 {
                    current.push(cut);
                    runs.push(std::mem::take(&mut current));
                } else {
                    current.push(cut);
                }
            }
            s0 = s1;
            in0 = in1;
        }
        if in0 && current.last() != Some(&b) {
            current.push(b);
        }
    }
    if current.len() >= 2 {
        runs.push(current);
    }
    runs.retain(|r| r.len() >= 2);
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesic::{nearest_on_segment, Gnomonic};
    use crate::LatLon;

    #[test]
    fn a_geodesic_bulging_over_a_parallel_is_cut_twice_on_it() {
        // 40°N 0°E to 40°N 10°E: the geodesic rises to ~40.19°N midway, so
        // a box topped at 40.1°N holds two runs, each cut on 40.1°N.
        let line = [(40.0, 0.0), (40.0, 10.0)];
        let b = LatLonBox::new(39.0, -1.0, 40.1, 11.0).unwrap();
        let runs = clip_to_box(&line, &b).unwrap();
        assert_eq!(runs.len(), 2, "{runs:?}");
        let g = Gnomonic::new(Ellipsoid::WGS84);
        let on_line = |p: (f64, f64)| {
            nearest_on_segment(
                &g,
                LatLon::new(40.0, 0.0),
                LatLon::new(40.0, 10.0),
                LatLon::new(p.0, p.1),
            )
            .unwrap()
            .distance
        };
        for cut in [runs[0][1], runs[1][0]] {
            assert!((cut.0 - 40.1).abs() < 1e-12, "{cut:?}");
            assert!(on_line(cut) < 1e-6, "{} m off", on_line(cut));
        }
        assert_eq!(runs[0][0], line[0]);
        assert_eq!(runs[1][1], line[1]);
        // Symmetric about 5°E, as the geodesic is.
        assert!((runs[0][1].1 + runs[1][0].1 - 10.0).abs() < 1e-9);
        // Inside entirely: unchanged; outside: nothing; a bad box refused.
        let all = LatLonBox::new(39.0, -1.0, 41.0, 11.0).unwrap();
        assert_eq!(clip_to_box(&line, &all).unwrap(), vec![line.to_vec()]);
        let none = LatLonBox::new(50.0, -1.0, 51.0, 11.0).unwrap();
        assert!(clip_to_box(&line, &none).unwrap().is_empty());
        assert!(LatLonBox::new(41.0, 0.0, 40.0, 1.0).is_err());
        assert!(clip_to_box(&[(95.0, 0.0), (0.0, 0.0)], &all).is_err());
    }
}
