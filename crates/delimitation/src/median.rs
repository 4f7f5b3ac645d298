//! The strict equidistance (median) line between two sides, on the
//! ellipsoid.
//!
//! Method: the line is the zero set of f(P) = w_B·d_A(P) − w_A·d_B(P),
//! d the geodesic distance to a side's nearest point (1:1 gives the strict
//! median, w_A:w_B a ratio line twice as far from A as from B for 2:1).
//! It is traced by predictor–corrector continuation: a step along the
//! tangent (perpendicular to ∇f = w_B·u_A − w_A·u_B, u the unit vector
//! away from each base point, from the geodesic's azimuth at P), then
//! Newton steps along ∇f back onto f = 0 to 10 nm. Where a side's nearest
//! feature (vertex or segment) changes between two traced points the line
//! turns: the turning point is solved directly, by Newton's method on the
//! two equations "three features at one (weighted) distance" from the
//! interpolated crossing, and accepted only where exactly those features
//! are the nearest; otherwise (several changes within a step) the step is
//! bisected on the traced line until one change is isolated. It is
//! reported with its base points — the two features of one side and the
//! one of the other, all three at the same (weighted) distance. A base
//! point that moves on continuously (a segment handing over to its own end
//! vertex) makes no turning point. Steps stay under a quarter of the distance to
//! the sides (the bisector of two features curves on that scale) and a
//! midpoint check catches a feature that would come and go within a step.
//!
//! Output: the start, every turning point, the end, and between them as
//! few of the traced points as keep every geodesic chord within the
//! tolerance of the true line (each traced point within half the
//! tolerance of its chord, and each chord's midpoint within the tolerance,
//! measured as |f|/|∇f|, the first-order distance to the zero set).
//!
//! Long lines are cut at points of the line found across the channel from
//! evenly spaced vertices of side A and the pieces traced on all cores.
//!
//! Every output vertex satisfies f = 0 to 1e-8 m (the coordinates
//! themselves resolve ~1 nm); with 1:1 weights the
//! distances to the two sides agree to that.

use crate::side::{BasePoint, Feature, Side};
use crate::DelimitationError;
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::Geodesic;
use terminus_plane::frame::Frame;

/// Settings of the median line.
#[derive(Debug, Clone, Copy)]
pub struct MedianOptions {
    /// Largest departure of the output line from the true equidistance
    /// line between vertices, metres (default 0.5).
    pub tolerance: f64,
    /// Weights (w_A, w_B): the line is w_A/w_B times as far from A as
    /// from B. (1, 1) is the strict median.
    pub weights: (f64, f64),
}

impl MedianOptions {
    /// Refuse weights and tolerances that mean nothing.
    pub fn check(&self) -> Result<(), DelimitationError> {
        let (wa, wb) = self.weights;
        if !(wa.is_finite() && wb.is_finite() && wa > 0.0 && wb > 0.0) {
            return Err(DelimitationError::BadParameter(format!(
                "weights must be positive numbers (got {wa}:{wb})"
            )));
        }
        if !(self.tolerance.is_finite() && self.tolerance >= 1e-6) {
            return Err(DelimitationError::BadParameter(format!(
                "the tolerance must be at least 1 µm (got {} m)",
                self.tolerance
            )));
        }
        Ok(())
    }
}

impl Default for MedianOptions {
    fn default() -> Self {
        MedianOptions {
            tolerance: 0.5,
            weights: (1.0, 1.0),
        }
    }
}

/// What a vertex of the median is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VertexKind {
    /// Where the line begins (between the sides' first vertices).
    Start,
    /// Where a controlling base point changes: the line turns.
    Turning,
    /// A point of the line between turning points, kept for the tolerance.
    Densified,
    /// Where the line ends (between the sides' last vertices).
    End,
}

/// A vertex of the median line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MedianVertex {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// What it is.
    pub kind: VertexKind,
    /// Base points on side A (two at a turning point where A's changes).
    pub base_a: Vec<BasePoint>,
    /// Base points on side B.
    pub base_b: Vec<BasePoint>,
}

/// The median line and how it was made.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MedianLine {
    /// Its vertices, start to end.
    pub vertices: Vec<MedianVertex>,
    /// Geodesic length, metres.
    pub length_m: f64,
    /// Points traced on the line (all on it to 10 nm).
    pub traced_points: usize,
}

impl MedianLine {
    /// The line through `vertices`, its geodesic length measured.
    pub(crate) fn new(
        geod: &Geodesic,
        vertices: Vec<MedianVertex>,
        traced_points: usize,
    ) -> MedianLine {
        let length_m = vertices
            .windows(2)
            .map(|w| -> f64 { geod.inverse(w[0].lat, w[0].lon, w[1].lat, w[1].lon) })
            .sum();
        MedianLine {
            vertices,
            length_m,
            traced_points,
        }
    }
    /// Geodesic length (WGS 84) of a run of vertices, metres.
    pub fn length_of(vertices: &[MedianVertex]) -> f64 {
        terminus_geodesy::measure::path_length(
            &terminus_geodesy::Ellipsoid::WGS84,
            vertices
                .iter()
                .map(|v| terminus_geodesy::LatLon::new(v.lat, v.lon)),
        )
    }
    /// The vertices as (lat, lon).
    pub fn coords(&self) -> Vec<(f64, f64)> {
        self.vertices.iter().map(|v| (v.lat, v.lon)).collect()
    }
    /// The same line run the other way (start and end swapped).
    pub fn reverse(&mut self) {
        self.vertices.reverse();
        let n = self.vertices.len();
        for (i, v) in self.vertices.iter_mut().enumerate() {
            v.kind = match v.kind {
                VertexKind::Start | VertexKind::End if i == 0 => VertexKind::Start,
                VertexKind::Start | VertexKind::End if i + 1 == n => VertexKind::End,
                k => k,
            };
        }
    }

    /// The turning points.
    pub fn turning_points(&self) -> impl Iterator<Item = &MedianVertex> {
        self.vertices
            .iter()
            .filter(|v| v.kind == VertexKind::Turning)
    }
}

/// f, its gradient (east, north) and the base points at a position.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Eval {
    pub(crate) p: (f64, f64),
    pub(crate) f: f64,
    pub(crate) grad: (f64, f64),
    pub(crate) a: BasePoint,
    pub(crate) b: BasePoint,
    /// Lower bound on how much farther any other stretch of each side is.
    pub(crate) gap: f64,
}

/// Which side's base feature changes at a turning point.
#[derive(Clone, Copy, PartialEq)]
enum Switch {
    A,
    B,
}

/// How the base features change between two points of the line.
enum Handover {
    /// The base point moves on continuously: no turning point.
    Smooth,
    /// A turning point (with the new feature as the changing side's base).
    Kink(Switch, Eval),
    /// Not decided at this bracket: narrow it.
    Undecided,
}

pub(crate) struct Tracer<'a> {
    pub(crate) frame: &'a Frame,
    pub(crate) geod: &'a Geodesic,
    pub(crate) a: &'a Side,
    pub(crate) b: &'a Side,
    pub(crate) w: (f64, f64),
}

impl Tracer<'_> {
    fn meet(&self, p: (f64, f64)) -> DelimitationError {
        DelimitationError::SidesMeet {
            a: self.a.name().to_string(),
            b: self.b.name().to_string(),
            lat: p.0,
            lon: p.1,
        }
    }

    /// Unit vector (east, north) at `p` pointing away from `base`.
    fn away(&self, base: &BasePoint, p: (f64, f64)) -> (f64, f64) {
        let (_, _, azi2, _): (f64, f64, f64, f64) = self.geod.inverse(base.lat, base.lon, p.0, p.1);
        let (s, c) = azi2.to_radians().sin_cos();
        (s, c)
    }

    pub(crate) fn eval(&self, p: (f64, f64)) -> Result<Eval, DelimitationError> {
        let (a, ga) = self.a.nearest_with_gap(self.frame, p)?;
        let (b, gb) = self.b.nearest_with_gap(self.frame, p)?;
        if a.distance < 1e-6 || b.distance < 1e-6 {
            return Err(self.meet(p));
        }
        let (wa, wb) = self.w;
        let (ua, ub) = (self.away(&a, p), self.away(&b, p));
        Ok(Eval {
            p,
            f: wb * a.distance - wa * b.distance,
            grad: (wb * ua.0 - wa * ub.0, wb * ua.1 - wa * ub.1),
            a,
            b,
            gap: ga.min(gb),
        })
    }

    /// f alone (no check that the sides are apart: the ends of the
    /// start and end geodesics lie on the sides).
    pub(crate) fn f_at(&self, p: (f64, f64)) -> Result<f64, DelimitationError> {
        let a = self.a.nearest(self.frame, p)?.distance;
        let b = self.b.nearest(self.frame, p)?.distance;
        Ok(self.w.1 * a - self.w.0 * b)
    }

    /// The kink where the changing side's feature `old` gives way to
    /// `new` while the other side's `other` holds: Newton's method on
    /// (weighted equidistance, d_old − d_new) in the local east–north
    /// plane from `x`. `None` where the system is singular (the features
    /// hand over smoothly) or the solution is not a point of the line
    /// where exactly these features are the nearest (another switch lies
    /// in the bracket `[before, after]`).
    fn solve_kink(
        &self,
        switch: Switch,
        (old, new, other): (Feature, Feature, Feature),
        mut x: (f64, f64),
        before: &Eval,
        after: &Eval,
    ) -> Result<Option<Eval>, DelimitationError> {
        let (changing, fixed) = match switch {
            Switch::A => (self.a, self.b),
            Switch::B => (self.b, self.a),
        };
        let (wa, wb) = self.w;
        let mut converged = false;
        for iteration in 0..30 {
            let bo = changing.distance_to(self.frame, old, x)?;
            let bn = changing.distance_to(self.frame, new, x)?;
            let bt = fixed.distance_to(self.frame, other, x)?;
            if bo.distance < 1e-6 || bt.distance < 1e-6 {
                return Err(self.meet(x));
            }
            let (uo, un, ut) = (self.away(&bo, x), self.away(&bn, x), self.away(&bt, x));
            let (g1, r1) = match switch {
                Switch::A => (
                    wb * bo.distance - wa * bt.distance,
                    (wb * uo.0 - wa * ut.0, wb * uo.1 - wa * ut.1),
                ),
                Switch::B => (
                    wb * bt.distance - wa * bo.distance,
                    (wb * ut.0 - wa * uo.0, wb * ut.1 - wa * uo.1),
                ),
            };
            let g2 = bo.distance - bn.distance;
            let r2 = (uo.0 - un.0, uo.1 - un.1);
            // The distances carry ~1e-9 m of rounding: after a few steps,
            // the trace's own 1e-8 m is the goal.
            let goal = if iteration < 3 { 1e-9 } else { 1e-8 };
            if g1.abs() < goal && g2.abs() < goal {
                converged = true;
                break;
            }
            let det = r1.0 * r2.1 - r1.1 * r2.0;
            if det.abs() < 1e-9 {
                return Ok(None);
            }
            // J δ = −g.
            let de = (-g1 * r2.1 + g2 * r1.1) / det;
            let dn = (-g2 * r1.0 + g1 * r2.0) / det;
            let step = de.hypot(dn);
            if step < 1e-10 {
                converged = true;
                break;
            }
            x = self.go(x, (de / step, dn / step), step);
        }
        if !converged {
            return Ok(None);
        }
        // Within the bracket (its chord, with a metre's slack), and these
        // features really the nearest there.
        let span = self.dist(before.p, after.p);
        if self.dist(x, before.p) > span + 1.0 || self.dist(x, after.p) > span + 1.0 {
            return Ok(None);
        }
        let mut e = self.eval(x)?;
        let bn = changing.distance_to(self.frame, new, x)?;
        let bt = fixed.distance_to(self.frame, other, x)?;
        let (nearest, held) = match switch {
            Switch::A => (e.a.distance, e.b.distance),
            Switch::B => (e.b.distance, e.a.distance),
        };
        if (bn.distance - nearest).abs() > 1e-7
            || (bt.distance - held).abs() > 1e-7
            || e.f.abs() > 1e-7
        {
            return Ok(None);
        }
        match switch {
            Switch::A => e.a = bn,
            Switch::B => e.b = bn,
        }
        Ok(Some(e))
    }

    /// Two base points one as far as a smooth hand-over can tell: near
    /// one, the two features' distances differ only to second order,
    /// δ²/2d for base points δ apart, so where they agree to the 1e-8 m
    /// the solutions reach, δ up to √(2·d·1e-8 m) is indistinguishable
    /// (twice that is allowed), and under 1 cm or 1e-6 of the distance
    /// always counts as the same point. A kink that small turns the line
    /// by under ~δ/d (1e-6 rad at 100 km): the chords hold it anyway.
    pub(crate) fn same_base(&self, x: &BasePoint, y: &BasePoint) -> bool {
        let d = x.distance.max(y.distance);
        let limit = (1e-6 * d).max(0.01).max(2.0 * (2.0 * d * 1e-8).sqrt());
        self.dist((x.lat, x.lon), (y.lat, y.lon)) < limit
    }

    /// Both sides change within the narrowest bracket (the corrector's
    /// points straddle a kink): solve it as a kink of either side, the
    /// other side's feature as at `after`.
    fn last_resort(
        &self,
        before: &Eval,
        after: &Eval,
    ) -> Result<Option<(Switch, Eval)>, DelimitationError> {
        for switch in [Switch::A, Switch::B] {
            let (b0, b1, other) = match switch {
                Switch::A => (before.a, after.a, after.b.feature),
                Switch::B => (before.b, after.b, after.a.feature),
            };
            if b0.feature == b1.feature {
                continue;
            }
            if let Some(e) = self.solve_kink(
                switch,
                (b0.feature, b1.feature, other),
                after.p,
                before,
                after,
            )? {
                return Ok(Some((switch, e)));
            }
        }
        Ok(None)
    }

    /// Decide the base change between `before` and `after` (points of the
    /// line, one side's feature differing): a smooth hand-over (the base
    /// point moves on continuously: a segment to its own end vertex, or
    /// around a convex vertex), a kink solved directly, or undecided
    /// (both sides change, or several switches lie between them).
    fn classify(&self, before: &Eval, after: &Eval) -> Result<Handover, DelimitationError> {
        // For one side: the old feature's nearest point past the switch
        // and the new one's before it. Where the base point moves on
        // continuously, one of them is the shared vertex: the very base
        // point of the other feature.
        let across = |side: &Side,
                      b0: &BasePoint,
                      b1: &BasePoint|
         -> Result<Option<(BasePoint, BasePoint)>, DelimitationError> {
            if b0.feature == b1.feature {
                return Ok(None);
            }
            let old_after = side.distance_to(self.frame, b0.feature, after.p)?;
            let new_before = side.distance_to(self.frame, b1.feature, before.p)?;
            Ok(
                (!self.same_base(b1, &old_after) && !self.same_base(b0, &new_before))
                    .then_some((old_after, new_before)),
            )
        };
        let (switch, (old_after, new_before)) = match (
            across(self.a, &before.a, &after.a)?,
            across(self.b, &before.b, &after.b)?,
        ) {
            (None, None) => return Ok(Handover::Smooth),
            (Some(x), None) => (Switch::A, x),
            (None, Some(x)) => (Switch::B, x),
            (Some(_), Some(_)) => return Ok(Handover::Undecided),
        };
        let (side, b0, b1, other) = match switch {
            Switch::A => (self.a, before.a, after.a, after.b.feature),
            Switch::B => (self.b, before.b, after.b, after.a.feature),
        };
        // A first guess where d_old − d_new changes sign, by linear
        // interpolation along the chord.
        let g0 = b0.distance - new_before.distance;
        let g1 = old_after.distance - b1.distance;
        let t = if g1 - g0 != 0.0 {
            (g0 / (g0 - g1)).clamp(0.0, 1.0)
        } else {
            0.5
        };
        let (len, az, _, _): (f64, f64, f64, f64) = self
            .geod
            .inverse(before.p.0, before.p.1, after.p.0, after.p.1);
        let (lat, lon): (f64, f64) = self.geod.direct(before.p.0, before.p.1, az, t * len);
        Ok(
            match self.solve_kink(
                switch,
                (b0.feature, b1.feature, other),
                (lat, lon),
                before,
                after,
            )? {
                // A kink whose two base points lie within the rounding
                // stretch above is a hand-over too.
                Some(e) => {
                    let was = side.distance_to(self.frame, b0.feature, e.p)?;
                    let now = match switch {
                        Switch::A => e.a,
                        Switch::B => e.b,
                    };
                    if self.same_base(&was, &now) {
                        Handover::Smooth
                    } else {
                        Handover::Kink(switch, e)
                    }
                }
                None => Handover::Undecided,
            },
        )
    }

    pub(crate) fn go(&self, p: (f64, f64), dir: (f64, f64), s: f64) -> (f64, f64) {
        let az = dir.0.atan2(dir.1).to_degrees();
        let (lat, lon): (f64, f64) = self.geod.direct(p.0, p.1, az, s);
        (lat, lon)
    }

    /// Newton steps along ∇f onto f = 0, moving at most `reach` metres.
    fn correct(&self, p: (f64, f64), reach: f64) -> Result<Eval, DelimitationError> {
        let mut e = self.eval(p)?;
        let mut moved = 0.0;
        for _it in 0..40 {
            if e.f.abs() < 1e-8 {
                return Ok(e);
            }
            let g2 = e.grad.0 * e.grad.0 + e.grad.1 * e.grad.1;
            if g2 < 1e-12 {
                break;
            }
            let g = g2.sqrt();
            let s = -e.f / g;
            moved += s.abs();
            if moved > reach {
                break;
            }
            let q = self.go(e.p, (e.grad.0 / g, e.grad.1 / g), s);
            if q == e.p && e.f.abs() < 1e-6 {
                // Below the resolution of the coordinates (~1 nm).
                return Ok(e);
            }
            e = self.eval(q)?;
        }
        Err(DelimitationError::NoConvergence {
            lat: p.0,
            lon: p.1,
            why: format!("no point of equal distance within {reach:.3} m"),
        })
    }

    pub(crate) fn dist(&self, p: (f64, f64), q: (f64, f64)) -> f64 {
        self.geod.inverse(p.0, p.1, q.0, q.1)
    }

    /// The point of the median on the geodesic from `p` to `q` (f changes
    /// sign between them), by bisection to 1e-10 m.
    pub(crate) fn root_between(
        &self,
        p: (f64, f64),
        q: (f64, f64),
    ) -> Result<Eval, DelimitationError> {
        let (len, az, _, _): (f64, f64, f64, f64) = self.geod.inverse(p.0, p.1, q.0, q.1);
        let at = |t: f64| -> (f64, f64) {
            let (lat, lon): (f64, f64) = self.geod.direct(p.0, p.1, az, t * len);
            (lat, lon)
        };
        let fp = self.f_at(p)?;
        if fp == 0.0 || self.f_at(q)? == 0.0 {
            // An end of one side lies on the other.
            return Err(self.meet(if fp == 0.0 { p } else { q }));
        }
        let (mut lo, mut hi) = (0.0, 1.0);
        for _ in 0..80 {
            if (hi - lo) * len < 1e-10 {
                break;
            }
            let mid = 0.5 * (lo + hi);
            let fm = self.f_at(at(mid))?;
            if (fm < 0.0) == (fp < 0.0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        self.correct(at(0.5 * (lo + hi)), 1e-3 + len * 1e-6)
    }

    /// The median point nearest to the geodesic chord from `p` at fraction
    /// `t` of its length toward `q`.
    fn on_chord(
        &self,
        p: (f64, f64),
        q: (f64, f64),
        t: f64,
        reach: f64,
    ) -> Result<Eval, DelimitationError> {
        let (len, az, _, _): (f64, f64, f64, f64) = self.geod.inverse(p.0, p.1, q.0, q.1);
        let (lat, lon): (f64, f64) = self.geod.direct(p.0, p.1, az, t * len);
        self.correct((lat, lon), reach)
    }
}

fn same(x: &Eval, y: &Eval) -> bool {
    x.a.feature == y.a.feature && x.b.feature == y.b.feature
}

fn vertex(e: &Eval, kind: VertexKind) -> MedianVertex {
    MedianVertex {
        lat: e.p.0,
        lon: e.p.1,
        kind,
        base_a: vec![e.a],
        base_b: vec![e.b],
    }
}

/// Where a traced piece begins.
#[derive(Clone, Copy)]
pub(crate) enum Start {
    /// A point of the line (f = 0 with both sides apart).
    OnLine(Eval),
    /// A point where the sides meet, and the direction (east, north) of
    /// the angle's bisector into the region between them.
    Contact { at: (f64, f64), into: (f64, f64) },
}

/// The base points at a contact (both at distance 0) as an `Eval`.
pub(crate) fn contact_eval(tr: &Tracer, at: (f64, f64)) -> Result<Eval, DelimitationError> {
    Ok(Eval {
        p: at,
        f: 0.0,
        grad: (0.0, 0.0),
        a: tr.a.nearest(tr.frame, at)?,
        b: tr.b.nearest(tr.frame, at)?,
        gap: 0.0,
    })
}

/// How far a trace may go before it is declared lost.
#[derive(Clone, Copy)]
pub(crate) struct Budget {
    /// Metres walked.
    pub(crate) metres: f64,
    /// Points traced.
    pub(crate) points: usize,
}

/// Trace the line from `from` to `end` (a point of the line, or with
/// `end_contact` a contact of the sides), within `budget`. Returns the traced points with
/// their kinds and the turning points with their base points.
#[allow(clippy::type_complexity)]
pub(crate) fn trace(
    tr: &Tracer,
    from: Start,
    end: Eval,
    end_contact: bool,
    tol: f64,
    budget: Budget,
) -> Result<(Vec<(Eval, VertexKind)>, Vec<MedianVertex>), DelimitationError> {
    let (a, b, frame, geod) = (tr.a, tr.b, tr.frame, tr.geod);
    let (start, mut traced) = match from {
        Start::OnLine(e) => (e, vec![(e, VertexKind::Start)]),
        Start::Contact { at, into } => {
            // Leave the contact along the bisector of the angle between
            // the lines, far enough that both are a quarter of the
            // tolerance away: the chord from the contact is within it.
            let x = contact_eval(tr, at)?;
            let mut s = 0.25 * tol;
            let mut e = tr.correct(tr.go(at, into, s), 0.5 * s)?;
            for _ in 0..60 {
                let near = e.a.distance.min(e.b.distance);
                if near >= 0.25 * tol || s >= 0.25 * tr.dist(at, end.p) {
                    break;
                }
                s *= 2.0;
                e = tr.correct(tr.go(at, into, s), 0.5 * s)?;
            }
            (e, vec![(x, VertexKind::Start), (e, VertexKind::Densified)])
        }
    };
    // The turning points with both features of the side that changes.
    let mut turning: Vec<MedianVertex> = Vec::new();
    let mut p = start;
    // Tangent: perpendicular to ∇f, first pointing toward the end.
    let tangent = |e: &Eval, prev: (f64, f64)| -> (f64, f64) {
        let g = e.grad.0.hypot(e.grad.1);
        let t = (-e.grad.1 / g, e.grad.0 / g);
        if t.0 * prev.0 + t.1 * prev.1 >= 0.0 {
            t
        } else {
            (-t.0, -t.1)
        }
    };
    let toward_end = {
        let (_, az, _, _): (f64, f64, f64, f64) =
            geod.inverse(start.p.0, start.p.1, end.p.0, end.p.1);
        let (s, c) = az.to_radians().sin_cos();
        (s, c)
    };
    let mut dir = match from {
        Start::Contact { into, .. } => tangent(&p, into),
        Start::OnLine(_) => tangent(&p, toward_end),
    };
    let mut walked = 0.0;
    loop {
        // Step: a quarter of the distance to the sides (the bisector of a
        // vertex and a segment curves on that scale), or up to nearly half
        // the gap to any other stretch of either side, whichever is longer
        // (no new base feature can be met within it).
        let near = p.a.distance.min(p.b.distance);
        let by_gap = (0.45 * p.gap).min(20_000.0);
        let mut h = (0.25 * near).max(by_gap).max(1e-3);
        let to_end = tr.dist(p.p, end.p);
        let mut finished = false;
        let q = loop {
            // Into a contact the line runs straight (the bisector of the
            // two lines there): once both are within a quarter of the
            // tolerance, the chord to the contact is within it.
            if to_end <= 1.5 * h || (end_contact && near <= 0.25 * tol) {
                finished = true;
                break end;
            }
            // The line lies within h of the predicted point even where it
            // turns sharply (a kink within the step): reach 1.5 h.
            let guess = tr.go(p.p, dir, h);
            match tr.correct(guess, 1.5 * h + 1e-6) {
                Ok(q) => {
                    // A feature that comes and goes within the step? (Not
                    // within half the gap.)
                    if h <= by_gap {
                        break q;
                    }
                    let m = tr.on_chord(p.p, q.p, 0.5, 1.5 * h + 1e-6)?;
                    if same(&m, &p) || same(&m, &q) {
                        break q;
                    }
                }
                Err(e) => {
                    if h < 1e-3 {
                        return Err(e);
                    }
                }
            }
            h *= 0.5;
        };
        if !same(&p, &q) {
            // Where the bases change: try the whole step first; bisect
            // only while that is undecided (several changes in the step).
            let len = tr.dist(p.p, q.p);
            let reach = 0.5 * len + 1e-6;
            let (mut lo, mut hi) = (0.0, 1.0);
            let (mut before, mut after) = (p, q);
            let handover = loop {
                match tr.classify(&before, &after)? {
                    Handover::Undecided if (hi - lo) * len > 1e-10 => {}
                    Handover::Undecided => break tr.last_resort(&before, &after)?.map(Some),
                    Handover::Smooth => break Some(None),
                    Handover::Kink(switch, e) => break Some(Some((switch, e))),
                }
                let mid = 0.5 * (lo + hi);
                let m = tr.on_chord(p.p, q.p, mid, reach)?;
                if same(&m, &p) {
                    lo = mid;
                    before = m;
                } else {
                    hi = mid;
                    after = m;
                }
            };
            match handover {
                Some(None) => {
                    // Smooth: no turning point; carry on from `after`.
                    if !same(&after, &q) {
                        walked += tr.dist(p.p, after.p);
                        dir = tangent(&after, dir);
                        p = after;
                        continue;
                    }
                }
                found => {
                    // A kink solved directly, or (both sides changing within
                    // 1e-10 m) the bracket's end taken as it is.
                    let at = match found {
                        Some(Some((_, e))) => e,
                        _ => after,
                    };
                    let mut v = vertex(&at, VertexKind::Turning);
                    // Both features of the side whose base point jumps, at
                    // the same distance (a side whose base point moved on
                    // continuously keeps one; a base point that is not a
                    // nearest one is never reported).
                    let jumped = |x: &BasePoint, y: &BasePoint| {
                        !tr.same_base(x, y) && (x.distance - y.distance).abs() < 1e-6
                    };
                    if before.a.feature != at.a.feature {
                        let was = a.distance_to(frame, before.a.feature, at.p)?;
                        if jumped(&was, &at.a) {
                            v.base_a = vec![was, at.a];
                        }
                    }
                    if before.b.feature != at.b.feature {
                        let was = b.distance_to(frame, before.b.feature, at.p)?;
                        if jumped(&was, &at.b) {
                            v.base_b = vec![was, at.b];
                        }
                    }
                    traced.push((at, VertexKind::Turning));
                    turning.push(v);
                    // More changes in this step: carry on from the turning
                    // point.
                    if !same(&at, &q) {
                        walked += tr.dist(p.p, at.p);
                        dir = tangent(&at, dir);
                        p = at;
                        continue;
                    }
                }
            }
        }
        walked += tr.dist(p.p, q.p);
        if walked > budget.metres || traced.len() > budget.points {
            return Err(DelimitationError::NoConvergence {
                lat: q.p.0,
                lon: q.p.1,
                // (Said neutrally: inside a compromise region this is a
                // limit of the trace, not of the user's input; the strict
                // median's front-end adds the hint about the sides' order.)
                why: "the line wanders without reaching the sides' ends within its length budget"
                    .into(),
            });
        }
        if finished {
            traced.push((end, VertexKind::End));
            break;
        }
        dir = tangent(&q, dir);
        traced.push((q, VertexKind::Densified));
        p = q;
    }
    Ok((traced, turning))
}

/// The equidistance line between sides `a` and `b` from where it crosses
/// the geodesic joining their first vertices to where it crosses the one
/// joining their last vertices (the sides run the same way: both banks
/// downstream, both claim lines from the same end).
///
/// Both sides and the frame must be on one ellipsoid; `frame` is the
/// local frame both sides were indexed in.
pub fn median_line(
    frame: &Frame,
    a: &Side,
    b: &Side,
    options: &MedianOptions,
) -> Result<MedianLine, DelimitationError> {
    options.check()?;
    let geod = frame.gnomonic().geodesic();
    if a.parts() == b.parts() {
        return Ok(itself(frame, a));
    }
    if let Some((lat, lon)) = a.contact(b, frame) {
        return Err(DelimitationError::SidesMeet {
            a: a.name().to_string(),
            b: b.name().to_string(),
            lat,
            lon,
        });
    }
    let tr = Tracer {
        frame,
        geod,
        a,
        b,
        w: options.weights,
    };
    let first = |s: &Side| s.parts()[0][0];
    let last = |s: &Side| {
        *s.parts()
            .last()
            .and_then(|p| p.last())
            .expect("checked non-empty")
    };
    let start = tr.root_between(first(a), first(b))?;
    let end = tr.root_between(last(a), last(b))?;
    // A trace that walks ten times the sides' length is lost.
    let budget = Budget {
        metres: 10.0
            * (a.parts()
                .iter()
                .chain(b.parts())
                .map(|l| l.windows(2).map(|w| tr.dist(w[0], w[1])).sum::<f64>())
                .sum::<f64>()
                + tr.dist(start.p, end.p))
            + 1e4,
        points: 200_000,
    };
    let segments: usize = a.parts().iter().chain(b.parts()).map(|p| p.len() - 1).sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads > 1 && segments >= 2_000 {
        if let Ok(line) = in_pieces(&tr, (start, end), threads, options.tolerance, budget) {
            return Ok(line);
        }
    }
    let (traced, turning) = trace(
        &tr,
        Start::OnLine(start),
        end,
        false,
        options.tolerance,
        budget,
    )?;
    let vertices = select(&tr, &traced, turning, options.tolerance)?;
    Ok(MedianLine::new(geod, vertices, traced.len()))
}

/// The line traced in `k` pieces at once, cut where the geodesic from
/// side A's vertex at each k-th of its length to its nearest point on B
/// crosses the line. Any failure (a cut off the line's course) is
/// returned, and the caller traces the line whole.
fn in_pieces(
    tr: &Tracer,
    (start, end): (Eval, Eval),
    k: usize,
    tol: f64,
    budget: Budget,
) -> Result<MedianLine, DelimitationError> {
    let vertices: Vec<(f64, f64)> = tr.a.parts().iter().flatten().copied().collect();
    let mut cuts = vec![start];
    for j in 1..k {
        let on_a = vertices[j * vertices.len() / k];
        let n = tr.b.nearest(tr.frame, on_a)?;
        cuts.push(tr.root_between(on_a, (n.lat, n.lon))?);
    }
    cuts.push(end);
    // Each cut nearer the end than the one before.
    for w in cuts.windows(2) {
        if tr.dist(w[1].p, end.p) >= tr.dist(w[0].p, end.p) && w[1].p != end.p {
            return Err(DelimitationError::NoConvergence {
                lat: w[1].p.0,
                lon: w[1].p.1,
                why: "cuts out of order".into(),
            });
        }
    }
    type Piece = Result<(Vec<MedianVertex>, usize), DelimitationError>;
    let pieces: Vec<Piece> = std::thread::scope(|s| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| {
                let (from, to) = (w[0], w[1]);
                s.spawn(move || -> Piece {
                    let (traced, turning) = trace(tr, Start::OnLine(from), to, false, tol, budget)?;
                    Ok((select(tr, &traced, turning, tol)?, traced.len()))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(DelimitationError::BadParameter(
                        "a tracing thread panicked".into(),
                    ))
                })
            })
            .collect()
    });
    let mut out: Vec<MedianVertex> = Vec::new();
    let mut traced = 0;
    for piece in pieces {
        let (mut piece, n) = piece?;
        traced += n;
        if let Some(last) = out.last_mut() {
            // The cut: the end of one piece, the start of the next.
            last.kind = VertexKind::Densified;
            piece.remove(0);
        }
        out.extend(piece);
    }
    Ok(MedianLine::new(tr.geod, out, traced))
}

/// `line` (a median of `a` and `b` with `options`) with points added on
/// the line — each solved onto it, not on the chord — so that no two
/// consecutive vertices are more than `spacing` metres apart: for users
/// who want the line sampled evenly (a river's median every 50 m).
pub fn densify_on_line(
    frame: &Frame,
    (a, b): (&Side, &Side),
    options: &MedianOptions,
    line: &MedianLine,
    spacing: f64,
) -> Result<MedianLine, DelimitationError> {
    if !(spacing.is_finite() && spacing > 0.0) {
        return Err(DelimitationError::BadParameter(format!(
            "spacing {spacing} m: give a positive distance"
        )));
    }
    let geod = frame.gnomonic().geodesic();
    let tr = Tracer {
        frame,
        geod,
        a,
        b,
        w: options.weights,
    };
    let mut out: Vec<MedianVertex> = Vec::new();
    for w in line.vertices.windows(2) {
        out.push(w[0].clone());
        let (p, q) = ((w[0].lat, w[0].lon), (w[1].lat, w[1].lon));
        let len = tr.dist(p, q);
        let k = (len / spacing).ceil() as usize;
        for i in 1..k {
            let e = tr.on_chord(p, q, i as f64 / k as f64, len)?;
            out.push(vertex(&e, VertexKind::Densified));
        }
    }
    out.extend(line.vertices.last().cloned());
    Ok(MedianLine::new(geod, out, line.traced_points))
}

/// A side's median with itself: the side, each vertex its own base point.
fn itself(frame: &Frame, side: &Side) -> MedianLine {
    let geod = frame.gnomonic().geodesic();
    let mut vertices = Vec::new();
    let n: usize = side.parts().iter().map(|p| p.len()).sum();
    for (k, part) in side.parts().iter().enumerate() {
        for (i, &(lat, lon)) in part.iter().enumerate() {
            let base = BasePoint {
                lat,
                lon,
                distance: 0.0,
                feature: crate::side::Feature::Vertex {
                    part: k as u32,
                    vertex: i as u32,
                },
            };
            let kind = match vertices.len() {
                0 => VertexKind::Start,
                x if x + 1 == n => VertexKind::End,
                _ => VertexKind::Turning,
            };
            vertices.push(MedianVertex {
                lat,
                lon,
                kind,
                base_a: vec![base],
                base_b: vec![base],
            });
        }
    }
    MedianLine::new(geod, vertices, 0)
}

/// Keep start, turning points and end; between them the fewest traced
/// points that hold every chord within the tolerance.
pub(crate) fn select(
    tr: &Tracer,
    traced: &[(Eval, VertexKind)],
    turning: Vec<MedianVertex>,
    tol: f64,
) -> Result<Vec<MedianVertex>, DelimitationError> {
    let g = tr.frame.gnomonic();
    let mut turning = turning.into_iter();
    let mut out: Vec<MedianVertex> = Vec::new();
    // Chord i→j acceptable: traced points between within tol/2 of it, and
    // the chord itself within tol of the line at its quarter points.
    let ok = |i: usize, j: usize| -> Result<bool, DelimitationError> {
        let (p, q) = (traced[i].0.p, traced[j].0.p);
        for (t, _) in &traced[i + 1..j] {
            let n = terminus_geodesy::geodesic::nearest_on_segment(
                g,
                terminus_geodesy::LatLon::from_pair(p),
                terminus_geodesy::LatLon::from_pair(q),
                terminus_geodesy::LatLon::from_pair(t.p),
            )?;
            if n.distance > 0.5 * tol {
                return Ok(false);
            }
        }
        Ok(chord_departure(tr, p, q)? <= tol)
    };
    let mut i = 0;
    loop {
        let (e, kind) = &traced[i];
        out.push(match kind {
            VertexKind::Turning => turning.next().unwrap_or_else(|| vertex(e, *kind)),
            _ => vertex(e, *kind),
        });
        if *kind == VertexKind::End {
            break;
        }
        // The next kept point: the next turning point or end bounds the
        // search; exponential then binary search for the farthest chord.
        let stop = (i + 1..traced.len())
            .find(|&k| traced[k].1 != VertexKind::Densified)
            .unwrap_or(traced.len() - 1);
        let mut good = i + 1;
        let mut step = 1;
        while good < stop {
            let cand = (good + step).min(stop);
            if ok(i, cand)? {
                good = cand;
                step *= 2;
            } else if step == 1 {
                break;
            } else {
                step = 1;
            }
        }
        // Between neighbouring traced points (or turning points found in
        // one step) the chord may still stray: halve it on the line.
        let mut extra = Vec::new();
        subdivide(tr, traced[i].0.p, traced[good].0.p, tol, 0, &mut extra)?;
        out.extend(extra.iter().map(|e| vertex(e, VertexKind::Densified)));
        i = good;
    }
    Ok(out)
}

/// Largest first-order departure |f|/|∇f| of the geodesic chord p→q from
/// the line, at its quarter points.
fn chord_departure(tr: &Tracer, p: (f64, f64), q: (f64, f64)) -> Result<f64, DelimitationError> {
    let (len, az, _, _): (f64, f64, f64, f64) = tr.geod.inverse(p.0, p.1, q.0, q.1);
    let mut worst: f64 = 0.0;
    for t in [0.25, 0.5, 0.75] {
        let (lat, lon): (f64, f64) = tr.geod.direct(p.0, p.1, az, t * len);
        let e = tr.eval((lat, lon))?;
        let g = e.grad.0.hypot(e.grad.1);
        worst = worst.max(e.f.abs() / g);
    }
    Ok(worst)
}

/// Points of the line that bring every chord from p to q within `tol`.
fn subdivide(
    tr: &Tracer,
    p: (f64, f64),
    q: (f64, f64),
    tol: f64,
    depth: u32,
    out: &mut Vec<Eval>,
) -> Result<(), DelimitationError> {
    if depth >= 30 || chord_departure(tr, p, q)? <= tol {
        return Ok(());
    }
    let len = tr.dist(p, q);
    let m = tr.on_chord(p, q, 0.5, len)?;
    subdivide(tr, p, m.p, tol, depth + 1, out)?;
    out.push(m);
    subdivide(tr, m.p, q, tol, depth + 1, out)
}
