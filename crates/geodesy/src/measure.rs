//! Geodesic lengths and areas on the ellipsoid.
//!
//! Method: Karney (2013), "Algorithms for geodesics", J. Geodesy 87, 43–55,
//! doi:10.1007/s00190-012-0578-z, through `geographiclib-rs`, whose errors on
//! GeographicLib's GeodTest set equal the C++ library's: lengths to about
//! 15 nm, areas to about 0.1 m² for continent-sized polygons.
//!
//! Positions are [`LatLon`]s in degrees on the given ellipsoid: named
//! fields, so a longitude cannot be passed for a latitude.

use crate::{Ellipsoid, LatLon};
/// The traits that give `Geodesic` its `direct` and `inverse` methods.
pub use geographiclib_rs::{DirectGeodesic, InverseGeodesic};
use geographiclib_rs::{Geodesic, PolygonArea, Winding};

/// Length in metres of the path through `points`, each leg a geodesic.
///
/// ```
/// use terminus_geodesy::{measure, Ellipsoid, LatLon};
/// // One degree of longitude along the equator of WGS 84 is a·π/180.
/// let d = measure::path_length(&Ellipsoid::WGS84, [LatLon::new(0.0, 0.0), LatLon::new(0.0, 1.0)]);
/// assert!((d - 111_319.490_793_273_57).abs() < 1e-6);
/// ```
pub fn path_length(ellipsoid: &Ellipsoid, points: impl IntoIterator<Item = LatLon>) -> f64 {
    let g = ellipsoid.geodesic();
    path_length_with(&g, points)
}

/// As [`path_length`], with a solver built once by the caller.
pub fn path_length_with(g: &Geodesic, points: impl IntoIterator<Item = LatLon>) -> f64 {
    let mut total = 0.0;
    let mut prev: Option<LatLon> = None;
    for p in points {
        if let Some(q) = prev {
            let s12: f64 = g.inverse(q.lat, q.lon, p.lat, p.lon);
            total += s12;
        }
        prev = Some(p);
    }
    total
}

/// Signed area in m² of the geodesic polygon whose ring is `points`
/// (closing vertex optional): positive when the ring runs counter-clockwise
/// (RFC 7946 exterior), negative when clockwise.
///
/// ```
/// use terminus_geodesy::{measure, Ellipsoid, LatLon};
/// // A 1°×1° cell at the equator: GeographicLib's Planimeter gives 12308778361.469 m².
/// let ring = [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0)].map(|(lat, lon)| LatLon::new(lat, lon));
/// let a = measure::ring_area(&Ellipsoid::WGS84, ring);
/// assert!((a - 12_308_778_361.469).abs() < 0.01);
/// ```
pub fn ring_area(ellipsoid: &Ellipsoid, points: impl IntoIterator<Item = LatLon>) -> f64 {
    let g = ellipsoid.geodesic();
    ring_area_with(&g, points)
}

/// As [`ring_area`], with a solver built once by the caller.
pub fn ring_area_with(g: &Geodesic, points: impl IntoIterator<Item = LatLon>) -> f64 {
    ring_perimeter_area_with(g, points).1
}

/// Perimeter (m) and signed area (m²) of a ring in one pass: each edge's
/// inverse problem serves both.
pub fn ring_perimeter_area_with(
    g: &Geodesic,
    points: impl IntoIterator<Item = LatLon>,
) -> (f64, f64) {
    let mut pa = PolygonArea::new(g, Winding::CounterClockwise);
    let mut n = 0usize;
    // A closing vertex repeated at the end adds a zero-length edge: harmless
    // for the area, so it need not be dropped.
    for p in points {
        pa.add_point(p.lat, p.lon);
        n += 1;
    }
    if n < 3 {
        // Too few vertices for an area; the perimeter of a degenerate ring
        // is still its length there and back.
        let (perimeter, _area, _count) = pa.compute(true);
        return (perimeter, 0.0);
    }
    let (perimeter, area, _count) = pa.compute(true);
    (perimeter, area)
}

/// One geodesic edge's share of a polygon's perimeter and area, computed
/// once and shared by the two polygons either side of it (Karney 2013, §6:
/// a polygon's area is the sum over its edges of S12, the area between the
/// edge and the equator, corrected for edges crossing the prime meridian
/// when the polygon encircles a pole).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeTerm {
    /// Geodesic length, metres.
    pub length: f64,
    /// S12 of the edge from its first point to its second, m².
    pub area: f64,
    /// The edge's longitudes (first, second), for the meridian crossings.
    pub lons: (f64, f64),
}

impl EdgeTerm {
    /// The edge (lat1, lon1) → (lat2, lon2), one inverse problem: solved
    /// in closed form when it is under ~19 m
    /// ([`crate::geodesic::short`], within the iterated solution's
    /// rounding), by GeographicLib's iterated solution otherwise.
    pub fn new(g: &Geodesic, p1: LatLon, p2: LatLon) -> EdgeTerm {
        let (length, area) = crate::geodesic::short::edge(g, p1.lat, p1.lon, p2.lat, p2.lon)
            .unwrap_or_else(|| {
                let mask = geographiclib_rs::geodesic_capability::DISTANCE
                    | geographiclib_rs::geodesic_capability::AREA;
                let r = g._gen_inverse(p1.lat, p1.lon, p2.lat, p2.lon, mask);
                (r.1, r.9)
            });
        EdgeTerm {
            length,
            area,
            lons: (p1.lon, p2.lon),
        }
    }

    /// The same edge run the other way.
    pub fn reversed(self) -> EdgeTerm {
        EdgeTerm {
            length: self.length,
            area: -self.area,
            lons: (self.lons.1, self.lons.0),
        }
    }
}

/// +1 or −1 when an edge crosses the prime meridian eastwards or westwards
/// (longitude ±0 counts as east), as GeographicLib's PolygonArea counts.
fn transit(lon1: f64, lon2: f64) -> i64 {
    let norm = |x: f64| {
        let y = x % 360.0;
        if y > 180.0 {
            y - 360.0
        } else if y <= -180.0 {
            y + 360.0
        } else {
            y
        }
    };
    let (l1, l2) = (norm(lon1), norm(lon2));
    let d = norm(l2 - l1);
    if d > 0.0 && ((l1 < 0.0 && l2 >= 0.0) || (l1 > 0.0 && l2 == 0.0)) {
        1
    } else if d < 0.0 && l1 >= 0.0 && l2 < 0.0 {
        -1
    } else {
        0
    }
}

/// The terms of a run of consecutive edges (a stretch of a ring between
/// two nodes), summed once and used in every ring that runs along it: its
/// length, its S12 kept as a compensated sum (value and error term,
/// Neumaier), and its prime-meridian transits counted edge by edge — so a
/// ring's area from its stretches' terms is its area from its edges'.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PathTerm {
    /// Geodesic length, metres.
    pub length: f64,
    /// Sum of the edges' S12, m².
    pub area: f64,
    /// The rounding error of `area` (Neumaier's compensation), m².
    pub area_error: f64,
    /// Net eastward crossings of the prime meridian.
    pub transits: i64,
}

impl PathTerm {
    /// Add the next edge.
    pub fn push(&mut self, t: EdgeTerm) {
        self.length += t.length;
        neumaier(&mut self.area, &mut self.area_error, t.area);
        self.transits += transit(t.lons.0, t.lons.1);
    }

    /// The same stretch run the other way.
    pub fn reversed(self) -> PathTerm {
        PathTerm {
            length: self.length,
            area: -self.area,
            area_error: -self.area_error,
            transits: -self.transits,
        }
    }
}

impl From<EdgeTerm> for PathTerm {
    fn from(t: EdgeTerm) -> PathTerm {
        let mut p = PathTerm::default();
        p.push(t);
        p
    }
}

/// Add `x` to the compensated sum (`sum`, `comp`) (Neumaier 1974).
fn neumaier(sum: &mut f64, comp: &mut f64, x: f64) {
    let next = *sum + x;
    *comp += if sum.abs() >= x.abs() {
        (*sum - next) + x
    } else {
        (x - next) + *sum
    };
    *sum = next;
}

/// Signed area (m², counter-clockwise positive) of the closed ring whose
/// edges are `terms`, in order — the same result as
/// [`ring_perimeter_area_with`] on the ring's vertices, with the sum of the
/// edge terms kept exactly (Neumaier's compensated summation).
///
/// ```
/// use terminus_geodesy::measure::{area_from_edges, ring_area, EdgeTerm};
/// use terminus_geodesy::{Ellipsoid, LatLon};
/// let g = Ellipsoid::WGS84.geodesic();
/// let ring = [(40.0, 45.0), (40.0, 45.1), (40.1, 45.1), (40.0, 45.0)];
/// let terms = ring.windows(2).map(|w| EdgeTerm::new(&g, LatLon::from_pair(w[0]), LatLon::from_pair(w[1])));
/// let a = area_from_edges(&g, terms);
/// let b = ring_area(&Ellipsoid::WGS84, ring.iter().map(|&(la, lo)| LatLon::new(la, lo)));
/// assert!((a - b).abs() < 1e-6, "{a} {b}");
/// ```
pub fn area_from_edges(g: &Geodesic, terms: impl IntoIterator<Item = EdgeTerm>) -> f64 {
    area_from_paths(g, terms.into_iter().map(PathTerm::from))
}

/// Signed area (m², counter-clockwise positive) of the closed ring made of
/// the stretches `terms`, in order: [`area_from_edges`] over all their
/// edges, to the rounding of the compensated sum.
pub fn area_from_paths(g: &Geodesic, terms: impl IntoIterator<Item = PathTerm>) -> f64 {
    let (mut sum, mut comp) = (0.0f64, 0.0f64);
    let mut crossings = 0i64;
    for t in terms {
        neumaier(&mut sum, &mut comp, t.area);
        neumaier(&mut sum, &mut comp, t.area_error);
        crossings += t.transits;
    }
    let area0 = g.area();
    let mut area = (sum + comp) % area0;
    if crossings % 2 != 0 {
        area += if area < 0.0 {
            area0 / 2.0
        } else {
            -area0 / 2.0
        };
    }
    // S12 sums clockwise-positive; counter-clockwise is positive here.
    area = -area;
    if area > area0 / 2.0 {
        area -= area0;
    } else if area <= -area0 / 2.0 {
        area += area0;
    }
    area
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Edge terms give PolygonArea's area, around a pole too.
    #[test]
    fn area_from_edges_matches_polygon_area() {
        let g = Ellipsoid::WGS84.geodesic();
        let rings: [&[(f64, f64)]; 3] = [
            &[
                (80.0, 0.0),
                (80.0, 90.0),
                (80.0, 180.0),
                (80.0, -90.0),
                (80.0, 0.0),
            ],
            &[(39.1, -0.5), (39.0, 0.7), (39.9, 0.4), (39.1, -0.5)],
            &[(40.0, 45.0), (40.3, 45.2), (40.1, 45.9), (40.0, 45.0)],
        ];
        for ring in rings {
            for rev in [false, true] {
                let mut r = ring.to_vec();
                if rev {
                    r.reverse();
                }
                let terms = r
                    .windows(2)
                    .map(|w| EdgeTerm::new(&g, LatLon::from_pair(w[0]), LatLon::from_pair(w[1])));
                let a = area_from_edges(&g, terms);
                let b = ring_area_with(&g, r.iter().map(|&(la, lo)| crate::LatLon::new(la, lo)));
                assert!((a - b).abs() < 1e-3, "{a} vs {b}");
                // Reversed terms give the negated area.
                let back = r.windows(2).rev().map(|w| {
                    EdgeTerm::new(&g, LatLon::from_pair(w[0]), LatLon::from_pair(w[1])).reversed()
                });
                let c = area_from_edges(&g, back);
                assert!(
                    (c + b).abs() < 1e-3
                        || (c + b - g.area()).abs() < 1.0
                        || (c + b + g.area()).abs() < 1.0,
                    "{c} vs {b}"
                );
            }
        }
    }

    /// A ring's area from stretches of its edges summed once equals its
    /// area from the edges, whichever way the stretches are cut or run.
    #[test]
    fn area_from_stretches_equals_area_from_edges() {
        let g = Ellipsoid::WGS84.geodesic();
        // A ring of 2,000 short edges across the prime meridian (transits).
        let mut ring: Vec<(f64, f64)> = (0..1000)
            .map(|i| {
                (
                    51.4 + 1e-4 * (i as f64 * 0.37).sin(),
                    -0.05 + 1e-4 * i as f64,
                )
            })
            .collect();
        ring.extend((0..1000).map(|i| {
            (
                51.5 + 1e-5 * (i as f64 * 0.11).cos(),
                0.05 - 1e-4 * i as f64,
            )
        }));
        ring.push(ring[0]);
        let edges: Vec<EdgeTerm> = ring
            .windows(2)
            .map(|w| EdgeTerm::new(&g, LatLon::from_pair(w[0]), LatLon::from_pair(w[1])))
            .collect();
        let a = area_from_edges(&g, edges.iter().copied());
        let b = ring_area_with(&g, ring.iter().map(|&(la, lo)| crate::LatLon::new(la, lo)));
        assert!((a - b).abs() < 1e-3, "{a} vs {b}");
        for cuts in [
            vec![0, 2000],
            vec![0, 1, 999, 1000, 1500, 2000],
            vec![0, 700, 1300, 2000],
        ] {
            let stretches: Vec<PathTerm> = cuts
                .windows(2)
                .map(|c| {
                    let mut t = PathTerm::default();
                    edges[c[0]..c[1]].iter().for_each(|&e| t.push(e));
                    t
                })
                .collect();
            assert_eq!(stretches.iter().map(|t| t.transits).sum::<i64>(), 0);
            let c = area_from_paths(&g, stretches.iter().copied());
            assert!((c - a).abs() <= 1e-6, "{c} vs {a}");
            // Run backwards, each stretch reversed: the negated area.
            let d = area_from_paths(&g, stretches.iter().rev().map(|t| t.reversed()));
            assert!((d + a).abs() <= 1e-6, "{d} vs {a}");
        }
        // A stretch that crosses the meridian once counts one transit.
        let mut t = PathTerm::default();
        edges[450..550].iter().for_each(|&e| t.push(e));
        assert_eq!(t.transits, 1);
        assert_eq!(t.reversed().transits, -1);
    }

    /// A ring round the North Pole along 80°N; GeographicLib 2.1.2:
    /// `printf "80 0\n80 90\n80 180\n80 -90\n" | Planimeter -p 9`
    /// → `4 6301599.963614223 2507270031169.8750` (negative when reversed).
    #[test]
    fn polygon_around_a_pole() {
        let ring = [(0.0, 80.0), (90.0, 80.0), (180.0, 80.0), (-90.0, 80.0)]
            .map(|(lon, lat)| crate::LatLon::new(lat, lon));
        let a = ring_area(&Ellipsoid::WGS84, ring);
        assert!((a - 2_507_270_031_169.875).abs() < 0.01, "{a}");
        let mut rev = ring;
        rev.reverse();
        assert!((ring_area(&Ellipsoid::WGS84, rev) + 2_507_270_031_169.875).abs() < 0.01);
        let closed = ring.iter().chain(ring.first()).copied();
        assert!((path_length(&Ellipsoid::WGS84, closed) - 6_301_599.963_614_223).abs() < 1e-6);
    }
}
