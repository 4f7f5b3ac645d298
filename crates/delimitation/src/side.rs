//! A party's side — the bank, shore or claim line the median keeps its
//! distance from — and its base point nearest to any position.
//!
//! Candidates come from the comparison engine's R*-tree in a local gnomonic
//! frame; each is solved on the ellipsoid (geodesic foot of the
//! perpendicular, `terminus_geodesy::geodesic::nearest_on_segment`,
//! nanometres), so the base point and its distance are exact.

use crate::DelimitationError;
use terminus_geodesy::geodesic::nearest_on_segment;
use terminus_geodesy::measure::InverseGeodesic;
use terminus_plane::frame::{Frame, Xy};
use terminus_plane::index::Piece;

/// Which part of a side a base point lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Feature {
    /// A vertex of the side (`part`, `vertex` numbered from 0).
    Vertex {
        /// Part (line) of the side.
        part: u32,
        /// Vertex within the part.
        vertex: u32,
    },
    /// The inside of a geodesic segment (from vertex `segment` to the next).
    Segment {
        /// Part (line) of the side.
        part: u32,
        /// Segment within the part.
        segment: u32,
    },
}

/// A side's point nearest to a position, and which feature it lies on.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct BasePoint {
    /// Latitude, degrees (WGS 84 / the side's ellipsoid).
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Geodesic distance from the position, metres.
    pub distance: f64,
    /// The vertex or segment it lies on.
    pub feature: Feature,
}

/// One party's side: polylines of geodesic segments, indexed.
pub struct Side {
    name: String,
    parts: Vec<Vec<(f64, f64)>>,
    /// The parts' images in the frame.
    xy: Vec<Vec<Xy>>,
    /// The segments' images, for planar bounds: (part, segment).
    planar: rstar::RTree<rstar::primitives::GeomWithData<rstar::primitives::Line<Xy>, (u32, u32)>>,
    /// The frame's radius (for the gnomonic scale bound).
    radius: f64,
    /// The longest segment's image, for the bound on geodesics' bending.
    longest: f64,
}

/// Relative slack on the gnomonic scale bound (the ellipsoid departs
/// from the sphere the bound is derived for), as in the comparison
/// engine's index.
const SLACK: f64 = 2e-3;

impl Side {
    /// Index the parts ((lat, lon) degrees) in `frame`: lines of geodesic
    /// segments, or single vertices — lone base points, as for a
    /// simplified equidistance line built on selected base points only.
    pub fn new(
        name: &str,
        parts: Vec<Vec<(f64, f64)>>,
        frame: &Frame,
    ) -> Result<Side, DelimitationError> {
        let bad = |problem: String| DelimitationError::BadSide {
            side: name.to_string(),
            problem,
        };
        if parts.is_empty() {
            return Err(bad("it has no lines (an empty geometry?)".into()));
        }
        let mut pieces: Vec<Piece> = Vec::with_capacity(parts.len());
        for (k, p) in parts.iter().enumerate() {
            if p.is_empty() {
                return Err(bad(format!(
                    "part {k} has no vertices (an empty geometry?)"
                )));
            }
            for (i, &(lat, lon)) in p.iter().enumerate() {
                if !(lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 540.0)
                {
                    return Err(bad(format!(
                        "part {k}, vertex {i}: ({lat}, {lon}) is not a latitude, longitude"
                    )));
                }
            }
            if p.len() > 1 && p.windows(2).all(|w| w[0] == w[1]) {
                return Err(bad(format!("part {k} is a single point repeated")));
            }
            pieces.push((p.clone(), frame.xys(p)?));
        }
        let planar = rstar::RTree::bulk_load(
            pieces
                .iter()
                .enumerate()
                .flat_map(|(k, (_, xy))| {
                    // A lone base point: a segment of no length (its
                    // planar distance is the point's).
                    let lone = (xy.len() == 1).then(|| {
                        rstar::primitives::GeomWithData::new(
                            rstar::primitives::Line::new(xy[0], xy[0]),
                            (k as u32, 0),
                        )
                    });
                    xy.windows(2)
                        .enumerate()
                        .map(move |(i, w)| {
                            rstar::primitives::GeomWithData::new(
                                rstar::primitives::Line::new(w[0], w[1]),
                                (k as u32, i as u32),
                            )
                        })
                        .chain(lone)
                })
                .collect(),
        );
        Ok(Side {
            name: name.to_string(),
            longest: pieces
                .iter()
                .flat_map(|(_, xy)| {
                    xy.windows(2)
                        .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
                })
                .fold(0.0, f64::max),
            xy: pieces.into_iter().map(|p| p.1).collect(),
            parts,
            planar,
            radius: frame.radius(),
        })
    }

    /// The side's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its parts, (lat, lon).
    pub fn parts(&self) -> &[Vec<(f64, f64)>] {
        &self.parts
    }

    /// Where this side touches or crosses `other`, if it does: the first
    /// contact found, (lat, lon). Decided in the frame's gnomonic plane
    /// with exact orientation predicates (geodesics there depart from
    /// straight chords by ~0.1 mm per 10 km).
    pub fn contact(&self, other: &Side, frame: &Frame) -> Option<(f64, f64)> {
        use robust::{orient2d, Coord};
        use rstar::AABB;
        let c = |p: Xy| Coord { x: p[0], y: p[1] };
        let within = |a: Xy, b: Xy, p: Xy| {
            p[0] >= a[0].min(b[0])
                && p[0] <= a[0].max(b[0])
                && p[1] >= a[1].min(b[1])
                && p[1] <= a[1].max(b[1])
        };
        for part in &other.xy {
            for w in part.windows(2) {
                let (p, q) = (w[0], w[1]);
                let env = AABB::from_corners(
                    [p[0].min(q[0]), p[1].min(q[1])],
                    [p[0].max(q[0]), p[1].max(q[1])],
                );
                for s in self.planar.locate_in_envelope_intersecting(&env) {
                    let (a, b) = (s.geom().from, s.geom().to);
                    let o1 = orient2d(c(a), c(b), c(p));
                    let o2 = orient2d(c(a), c(b), c(q));
                    let o3 = orient2d(c(p), c(q), c(a));
                    let o4 = orient2d(c(p), c(q), c(b));
                    let hit = if o1 == 0.0 && within(a, b, p) {
                        Some(p)
                    } else if o2 == 0.0 && within(a, b, q) {
                        Some(q)
                    } else if o3 == 0.0 && within(p, q, a) {
                        Some(a)
                    } else if o4 == 0.0 && within(p, q, b) {
                        Some(b)
                    } else if o1 * o2 < 0.0 && o3 * o4 < 0.0 {
                        let d = (b[0] - a[0]) * (q[1] - p[1]) - (b[1] - a[1]) * (q[0] - p[0]);
                        let u = ((p[0] - a[0]) * (q[1] - p[1]) - (p[1] - a[1]) * (q[0] - p[0])) / d;
                        Some([a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1])])
                    } else {
                        None
                    };
                    if let Some(x) = hit {
                        return Some(frame.latlon(x));
                    }
                }
            }
        }
        None
    }

    /// The side's point nearest to `p` (lat, lon).
    ///
    /// Segments are tried in order of their distance in the frame's plane;
    /// once that distance, scaled down by the least the projection can have
    /// enlarged it, exceeds the best geodesic distance found, no farther
    /// segment can be nearer (see [`Side::lower_bound`]).
    pub fn nearest(&self, frame: &Frame, p: (f64, f64)) -> Result<BasePoint, DelimitationError> {
        let xy = frame.xy(p)?;
        let g = frame.gnomonic();
        let mut best: Option<BasePoint> = None;
        for (cand, d2) in self.planar.nearest_neighbor_iter_with_distance_2(&xy) {
            if let Some(b) = best {
                if self.lower_bound(xy, d2.sqrt()) > b.distance + 1e-9 {
                    break;
                }
            }
            let (part, seg) = cand.data;
            let line = &self.parts[part as usize];
            if line.len() == 1 {
                let v = line[0];
                let d: f64 = g.geodesic().inverse(p.0, p.1, v.0, v.1);
                if best.is_none_or(|b| d < b.distance) {
                    best = Some(self.base_on_segment(part, 0, v, d));
                }
                continue;
            }
            let (a, b) = (line[seg as usize], line[seg as usize + 1]);
            let found = match nearest_on_segment(
                g,
                terminus_geodesy::LatLon::from_pair(a),
                terminus_geodesy::LatLon::from_pair(b),
                terminus_geodesy::LatLon::from_pair(p),
            ) {
                Ok(n) => self.base_on_segment(part, seg, (n.lat, n.lon), n.distance),
                // The nearer end: an upper bound, never an underestimate.
                Err(_) => {
                    let d = |q: (f64, f64)| -> f64 { g.geodesic().inverse(p.0, p.1, q.0, q.1) };
                    let (da, db) = (d(a), d(b));
                    if da <= db {
                        self.base_on_segment(part, seg, a, da)
                    } else {
                        self.base_on_segment(part, seg, b, db)
                    }
                }
            };
            if best.is_none_or(|b| found.distance < b.distance) {
                best = Some(found);
            }
        }
        best.ok_or_else(|| DelimitationError::BadSide {
            side: self.name.clone(),
            problem: "it has no segments".into(),
        })
    }

    /// A base point on segment `seg` of `part`: a vertex where it is one
    /// of the segment's ends.
    fn base_on_segment(&self, part: u32, seg: u32, at: (f64, f64), distance: f64) -> BasePoint {
        let line = &self.parts[part as usize];
        let feature = if at == line[seg as usize] || line.len() == 1 {
            Feature::Vertex { part, vertex: seg }
        } else if at == line[seg as usize + 1] {
            Feature::Vertex {
                part,
                vertex: seg + 1,
            }
        } else {
            Feature::Segment { part, segment: seg }
        };
        BasePoint {
            lat: at.0,
            lon: at.1,
            distance,
            feature,
        }
    }

    /// A lower bound on the geodesic distance from image point `p` to a
    /// segment whose image is `planar` away. The gnomonic projection
    /// enlarges distances by between 1/cos θ and 1/cos² θ = 1 + t² on the
    /// sphere (θ the angular distance from the frame's centre, t = tan θ,
    /// taken at the farthest point within `planar` of `p`); on the
    /// ellipsoid, within t ≤ 0.1 (640 km from the centre), measured
    /// departures from that are under 1.5e-6 relative, and a geodesic's
    /// image departs from the straight chord by under 5.3e-8 of its
    /// length (examples/gnomonic_scale.rs samples 10⁶ pairs): the bound
    /// allows 2e-5 and 1e-7 of the longest segment. Farther out it falls
    /// back to the comparison engine's 2e-3.
    fn lower_bound(&self, p: Xy, planar: f64) -> f64 {
        let t = (p[0].hypot(p[1]) + planar) / self.radius;
        let slack = if t <= 0.1 { 2e-5 } else { SLACK };
        planar * (1.0 - slack) / (1.0 + t * t) - 1e-7 * self.longest
    }

    /// The nearest base point and a lower bound on how much farther any
    /// other stretch of the side is (the "gap"): features that could take
    /// over from the base point by a jump, not by sliding on. Moving `p`
    /// by h changes the gap by at most 2h, so steps under half the gap
    /// cannot meet a new base feature. The bound is planar (the frame's
    /// distance through [`Side::lower_bound`]), so conservative.
    pub fn nearest_with_gap(
        &self,
        frame: &Frame,
        p: (f64, f64),
    ) -> Result<(BasePoint, f64), DelimitationError> {
        use rstar::PointDistance;
        let best = self.nearest(frame, p)?;
        let xy = frame.xy(p)?;
        let best_xy = frame.xy((best.lat, best.lon))?;
        for cand in self.planar.nearest_neighbor_iter(&xy) {
            let (part, seg) = cand.data;
            let related = match best.feature {
                Feature::Segment { part: bp, segment } => bp == part && segment == seg,
                Feature::Vertex { .. } => {
                    // Its planar nearest point is the base vertex itself.
                    let l = cand.geom();
                    let (a, b) = (l.from, l.to);
                    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
                    let len2 = dx * dx + dy * dy;
                    let u = if len2 > 0.0 {
                        ((xy[0] - a[0]) * dx + (xy[1] - a[1]) * dy) / len2
                    } else {
                        0.0
                    };
                    let end = if u <= 0.0 {
                        Some(a)
                    } else if u >= 1.0 {
                        Some(b)
                    } else {
                        None
                    };
                    end.is_some_and(|e| (e[0] - best_xy[0]).hypot(e[1] - best_xy[1]) < 1e-6)
                }
            };
            if related {
                continue;
            }
            let lower = self.lower_bound(xy, cand.geom().distance_2(&xy).sqrt());
            return Ok((best, (lower - best.distance).max(0.0)));
        }
        Ok((best, f64::INFINITY))
    }

    /// Geodesic distance from `p` to one feature, and its nearest point:
    /// for telling which of two features is nearer where they swap.
    pub fn distance_to(
        &self,
        frame: &Frame,
        feature: Feature,
        p: (f64, f64),
    ) -> Result<BasePoint, DelimitationError> {
        let g = frame.gnomonic();
        match feature {
            Feature::Vertex { part, vertex } => {
                let v = self.parts[part as usize][vertex as usize];
                let d: f64 = g.geodesic().inverse(p.0, p.1, v.0, v.1);
                Ok(BasePoint {
                    lat: v.0,
                    lon: v.1,
                    distance: d,
                    feature,
                })
            }
            Feature::Segment { part, segment } => {
                let line = &self.parts[part as usize];
                let (a, b) = (line[segment as usize], line[segment as usize + 1]);
                let n = nearest_on_segment(
                    g,
                    terminus_geodesy::LatLon::from_pair(a),
                    terminus_geodesy::LatLon::from_pair(b),
                    terminus_geodesy::LatLon::from_pair(p),
                )?;
                Ok(BasePoint {
                    lat: n.lat,
                    lon: n.lon,
                    distance: n.distance,
                    feature,
                })
            }
        }
    }
}
