//! A party's side — the bank, shore or claim line the median keeps its
//! distance from — and its base point nearest to any position.
//!
//! Candidates come from the comparison engine's R*-tree in a local gnomonic
//! frame; each is solved on the ellipsoid (geodesic foot of the
//! perpendicular, `terminus_geodesy::geodesic::nearest_on_segment`,
//! nanometres), so the base point and its distance are exact.

use crate::DelimitationError;
use terminus_compare::frame::{Frame, Xy};
use terminus_compare::index::{Piece, SegmentIndex};
use terminus_geodesy::geodesic::nearest_on_segment;
use terminus_geodesy::measure::InverseGeodesic;

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
    index: SegmentIndex,
    /// The segments' images, for planar bounds: (part, segment).
    planar: rstar::RTree<rstar::primitives::GeomWithData<rstar::primitives::Line<Xy>, (u32, u32)>>,
    /// The frame's radius (for the gnomonic scale bound).
    radius: f64,
}

/// Relative slack on the gnomonic scale bound (the ellipsoid departs
/// from the sphere the bound is derived for), as in the comparison
/// engine's index.
const SLACK: f64 = 2e-3;

impl Side {
    /// Index the parts (each at least two distinct vertices, (lat, lon)
    /// degrees) in `frame`.
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
            if p.len() < 2 {
                return Err(bad(format!(
                    "part {k} has {} vertex; a side needs lines of at least two vertices",
                    p.len()
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
            if p.windows(2).all(|w| w[0] == w[1]) {
                return Err(bad(format!("part {k} is a single point repeated")));
            }
            pieces.push((p.clone(), frame.xys(p)?));
        }
        let planar = rstar::RTree::bulk_load(
            pieces
                .iter()
                .enumerate()
                .flat_map(|(k, (_, xy))| {
                    xy.windows(2).enumerate().map(move |(i, w)| {
                        rstar::primitives::GeomWithData::new(
                            rstar::primitives::Line::new(w[0], w[1]),
                            (k as u32, i as u32),
                        )
                    })
                })
                .collect(),
        );
        Ok(Side {
            name: name.to_string(),
            index: SegmentIndex::from_pieces(&pieces),
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
    pub fn nearest(&self, frame: &Frame, p: (f64, f64)) -> Result<BasePoint, DelimitationError> {
        let xy = frame.xy(p)?;
        let c = self
            .index
            .closest(frame, frame.radius(), p, xy)
            .ok_or_else(|| DelimitationError::BadSide {
                side: self.name.clone(),
                problem: "it has no segments".into(),
            })?;
        let s = c.segment;
        let feature = if c.at == s.ll[0] {
            Feature::Vertex {
                part: s.piece,
                vertex: s.index,
            }
        } else if c.at == s.ll[1] {
            Feature::Vertex {
                part: s.piece,
                vertex: s.index + 1,
            }
        } else {
            Feature::Segment {
                part: s.piece,
                segment: s.index,
            }
        };
        Ok(BasePoint {
            lat: c.at.0,
            lon: c.at.1,
            distance: c.distance,
            feature,
        })
    }

    /// The nearest base point and a lower bound on how much farther any
    /// other stretch of the side is (the "gap"): features that could take
    /// over from the base point by a jump, not by sliding on. Moving `p`
    /// by h changes the gap by at most 2h, so steps under half the gap
    /// cannot meet a new base feature. The bound is planar (the frame's
    /// distance times the gnomonic scale's floor), so conservative.
    pub fn nearest_with_gap(
        &self,
        frame: &Frame,
        p: (f64, f64),
    ) -> Result<(BasePoint, f64), DelimitationError> {
        use rstar::PointDistance;
        let best = self.nearest(frame, p)?;
        let xy = frame.xy(p)?;
        let t = xy[0].hypot(xy[1]) / self.radius;
        let floor = (1.0 - SLACK) / (1.0 + t * t);
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
            let lower = cand.geom().distance_2(&xy).sqrt() * floor;
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
                let n = nearest_on_segment(g, a, b, p)?;
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
