//! The compromise median of two claim lines: the line equidistant from
//! both, which two delegations can put on the table as the middle ground.
//!
//! Claim lines cross and touch; between two contacts they enclose a
//! region (a discrepancy polygon of the comparison engine). In each region
//! the median runs from one contact to the other — through the region, as
//! the bisector of the two lines' angle where it leaves a contact — and
//! the pieces meet at the contacts. Where the lines coincide the median is
//! the common line. Regions closed by the comparison's joins (ends of the
//! lines a few kilometres apart) start or end where the median crosses the
//! join.
//!
//! Where other stretches of a claim come nearer inside a region than the
//! stretches bounding it (a claim doubling back), the whole-claim trace
//! can fail; the region is then traced between its bounding stretches
//! alone, and the piece is marked (`local`).
//!
//! A region whose boundary alternates between the lines more than once
//! (the lines touch again without crossing, or share a stretch inside it)
//! has several equidistance curves or a whole equidistant area; such
//! regions are reported, not guessed.

use crate::median::{
    contact_eval, select, trace, Budget, MedianLine, MedianOptions, MedianVertex, Start, Tracer,
    VertexKind,
};
use crate::side::Side;
use crate::DelimitationError;
use terminus_compare::{compare, ClaimLine, Inputs, Options};
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::Ellipsoid;
use terminus_plane::frame::Frame;
use terminus_plane::ring::point_in_ring;

/// A region between the lines left without a median, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SkippedRegion {
    /// A point inside it, (lat, lon).
    pub inside_at: (f64, f64),
    /// Its geodesic area, m².
    pub area_m2: f64,
    /// Why.
    pub reason: String,
}

/// The compromise median.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CompromiseMedian {
    /// Its pieces, each a run of the line (one per region between the
    /// lines and one per common stretch), chained where they meet.
    pub pieces: Vec<MedianLine>,
    /// Regions left without a median.
    pub skipped: Vec<SkippedRegion>,
    /// Regions between the lines (with a median).
    pub regions: usize,
    /// Pieces (indices into `pieces`) traced between their region's
    /// bounding stretches of the claims alone, because other stretches of
    /// a claim come nearer inside the region: equidistant from the
    /// claims as they bound that region, not from the whole claims.
    pub local: Vec<usize>,
}

impl CompromiseMedian {
    /// Total geodesic length, metres.
    pub fn length_m(&self) -> f64 {
        self.pieces.iter().map(|p| p.length_m).sum()
    }
}

/// The compromise median of claim lines `a` and `b` ((lat, lon) pieces,
/// WGS 84).
pub fn compromise_median(
    a: &ClaimLine,
    b: &ClaimLine,
    options: &MedianOptions,
) -> Result<CompromiseMedian, DelimitationError> {
    options.check()?;
    let comparison = compare(
        &Inputs {
            lines: vec![a.clone(), b.clone()],
            ..Default::default()
        },
        &Options::default(),
    )?;
    let pair = comparison
        .pairs
        .first()
        .ok_or(DelimitationError::BadParameter("nothing to compare".into()))?;
    let frame = Frame::around(Ellipsoid::WGS84, a.pieces.iter().chain(&b.pieces).flatten())?;
    let sa = Side::new(&a.name, a.pieces.clone(), &frame)?;
    let sb = Side::new(&b.name, b.pieces.clone(), &frame)?;
    let geod = frame.gnomonic().geodesic();
    let tr = Tracer {
        frame: &frame,
        geod,
        a: &sa,
        b: &sb,
        w: options.weights,
    };
    // Regions between the two lines; those one line encloses alone (its
    // own ring, or with a bridge) have no median.
    let faces: Vec<_> = pair
        .discrepancies
        .iter()
        .filter(|d| !d.same_side && d.kind == "between")
        .collect();
    // Regions are independent: traced on all cores, in the faces' order.
    type Traced = (usize, Result<Option<(MedianLine, bool)>, String>);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut done: Vec<Traced> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.min(faces.len()).max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(face) = faces.get(i) else { break };
                        let ring = &face.rings[0];
                        let ring = &ring[..ring.len().saturating_sub(1)];
                        out.push((
                            i,
                            region_median(&tr, ring, options).map_err(|e| e.to_string()),
                        ));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    // Each piece in the direction of line A, the pieces in A's order, so
    // that "left" and "right" of the compromise mean one thing throughout.
    let along_a = |v: &crate::median::MedianVertex| -> (u32, u32, f64) {
        let b = &v.base_a[0];
        let (part, k) = match b.feature {
            crate::side::Feature::Vertex { part, vertex } => (part, vertex),
            crate::side::Feature::Segment { part, segment } => (part, segment),
        };
        let v0 = sa.parts()[part as usize][k as usize];
        (part, k, geod.inverse(v0.0, v0.1, b.lat, b.lon))
    };
    let mut keyed: Vec<((u32, u32, f64), Traced)> = done
        .into_iter()
        .map(|(i, r)| {
            let r = r.map(|line| {
                line.map(|(mut l, local)| {
                    let (first, last) = (l.vertices.first(), l.vertices.last());
                    if let (Some(f), Some(e)) = (first, last) {
                        if along_a(e).partial_cmp(&along_a(f)) == Some(std::cmp::Ordering::Less) {
                            l.reverse();
                        }
                    }
                    (l, local)
                })
            });
            let key = match &r {
                Ok(Some((l, _))) => l.vertices.first().map_or((u32::MAX, 0, 0.0), along_a),
                _ => (u32::MAX, i as u32, 0.0),
            };
            (key, (i, r))
        })
        .collect();
    keyed.sort_by(|x, y| x.0.partial_cmp(&y.0).unwrap_or(std::cmp::Ordering::Equal));
    let done: Vec<Traced> = keyed.into_iter().map(|(_, d)| d).collect();
    let mut pieces = Vec::new();
    let mut skipped = Vec::new();
    let mut regions = 0;
    for (i, result) in done {
        match result {
            Ok(Some(line)) => {
                pieces.push(line);
                regions += 1;
            }
            Ok(None) => {}
            Err(reason) => skipped.push(SkippedRegion {
                inside_at: faces[i].inside_at,
                area_m2: faces[i].area_m2,
                reason,
            }),
        }
    }
    // Pieces that meet at a contact, or are joined by a stretch where the
    // claims coincide (the median there is the common line), become one.
    // (A piece traced between its region's bounding stretches alone
    // stays a line of its own, marked.)
    let mut chained: Vec<MedianLine> = Vec::new();
    let mut local = Vec::new();
    let mut last_local = false;
    for (piece, is_local) in pieces {
        if is_local {
            local.push(chained.len());
        }
        if let (Some(prev), false, false) = (chained.last_mut(), is_local, last_local) {
            if let Some(common) = common_stretch(&tr, &along_a, prev, &piece)? {
                let mut vertices = std::mem::take(&mut prev.vertices);
                if let Some(last) = vertices.last_mut() {
                    last.kind = crate::median::VertexKind::Turning;
                }
                vertices.extend(common);
                let mut rest = piece.vertices.into_iter();
                if let (Some(first), Some(last)) = (rest.next(), vertices.last()) {
                    if (first.lat, first.lon) != (last.lat, last.lon) {
                        vertices.push(crate::median::MedianVertex {
                            kind: crate::median::VertexKind::Turning,
                            ..first
                        });
                    }
                }
                vertices.extend(rest);
                *prev = MedianLine::new(geod, vertices, prev.traced_points + piece.traced_points);
                continue;
            }
        }
        last_local = is_local;
        chained.push(piece);
    }
    let pieces = chained;
    Ok(CompromiseMedian {
        pieces,
        skipped,
        regions,
        local,
    })
}

/// The median through one region between the lines, `ring` its boundary
/// (unclosed, (lat, lon)); `None` for a sliver of under three vertices.
fn region_median(
    tr: &Tracer,
    ring: &[(f64, f64)],
    options: &MedianOptions,
) -> Result<Option<(MedianLine, bool)>, DelimitationError> {
    let (frame, geod, sa, sb) = (tr.frame, tr.geod, tr.a, tr.b);
    let (wa, wb) = options.weights;
    let n = ring.len();
    if n < 3 {
        return Ok(None);
    }
    // Each ring vertex: on both lines (0), on a only (−), b only (+).
    let mut sign = Vec::with_capacity(n);
    for &v in ring {
        let da = sa.nearest(frame, v)?.distance;
        let db = sb.nearest(frame, v)?.distance;
        sign.push(if da < 1e-6 && db < 1e-6 {
            0i8
        } else if wb * da - wa * db < 0.0 {
            -1
        } else {
            1
        });
    }
    // Transitions: contacts, and edges whose ends differ in sign.
    let mut ts = Vec::new();
    for i in 0..n {
        let j = (i + 1) % n;
        if sign[i] == 0 {
            ts.push(T::Contact(i));
        } else if sign[j] != 0 && sign[i] != sign[j] {
            ts.push(T::Edge(i));
        }
    }
    if ts.len() != 2 {
        return Err(DelimitationError::BadParameter(format!(
            "its boundary passes between the lines {} times (a simple region has 2)",
            ts.len()
        )));
    }
    let xy = frame.xys(ring)?;
    match attempt(tr, ring, &xy, (&ts[0], &ts[1]), options) {
        Ok(line) => Ok(Some((line, false))),
        Err(whole) => {
            // Other stretches of the claims come closer than the ones
            // bounding the region: trace between the bounding stretches
            // alone, and say so.
            let (run_a, run_b) = runs(tr, ring, &sign, (&ts[0], &ts[1]))?;
            let la = Side::new(sa.name(), vec![run_a], frame)?;
            let lb = Side::new(sb.name(), vec![run_b], frame)?;
            let local = Tracer {
                frame,
                geod,
                a: &la,
                b: &lb,
                w: tr.w,
            };
            match attempt(&local, ring, &xy, (&ts[0], &ts[1]), options) {
                Ok(mut line) => {
                    // Base points named by the whole claims' features.
                    for v in &mut line.vertices {
                        for b in v.base_a.iter_mut() {
                            b.feature = sa.nearest(frame, (b.lat, b.lon))?.feature;
                        }
                        for b in v.base_b.iter_mut() {
                            b.feature = sb.nearest(frame, (b.lat, b.lon))?.feature;
                        }
                    }
                    Ok(Some((line, true)))
                }
                Err(_) => Err(whole),
            }
        }
    }
}

/// Where a region's boundary passes between the lines.
enum T {
    /// At a ring vertex on both lines.
    Contact(usize),
    /// On the ring edge from this vertex to the next (a closing join).
    Edge(usize),
}

/// A stretch of a region's boundary, (lat, lon).
type Run = Vec<(f64, f64)>;

/// The two stretches of the ring between its transitions, the one on
/// line A first, each as a polyline.
fn runs(
    tr: &Tracer,
    ring: &[(f64, f64)],
    sign: &[i8],
    (t0, t1): (&T, &T),
) -> Result<(Run, Run), DelimitationError> {
    let n = ring.len();
    // A run leaves a contact from it, or a join edge from its far end;
    // it arrives at a contact, or at a join edge's near end.
    let from = |t: &T| match *t {
        T::Contact(i) => i,
        T::Edge(i) => (i + 1) % n,
    };
    let to = |t: &T| match *t {
        T::Contact(i) | T::Edge(i) => i,
    };
    let walk = |s: usize, e: usize| -> Vec<(f64, f64)> {
        let mut out = vec![ring[s]];
        let mut k = s;
        while k != e {
            k = (k + 1) % n;
            out.push(ring[k]);
        }
        out
    };
    let (s1, e1) = (from(t0), to(t1));
    let (s2, e2) = (from(t1), to(t0));
    let (r1, r2) = (walk(s1, e1), walk(s2, e2));
    // Which is on A: a vertex of it only on A, or its middle nearer A.
    let on_a = |r: &[(f64, f64)], s: usize| -> Result<bool, DelimitationError> {
        for k in 0..r.len() {
            match sign[(s + k) % n] {
                -1 => return Ok(true),
                1 => return Ok(false),
                _ => {}
            }
        }
        let (p, q) = (r[0], r[r.len() - 1]);
        let (len, az, _, _): (f64, f64, f64, f64) = tr.geod.inverse(p.0, p.1, q.0, q.1);
        let (lat, lon): (f64, f64) = tr.geod.direct(p.0, p.1, az, 0.5 * len);
        Ok(tr.a.nearest(tr.frame, (lat, lon))?.distance
            <= tr.b.nearest(tr.frame, (lat, lon))?.distance)
    };
    if r1.len() < 2 || r2.len() < 2 {
        return Err(DelimitationError::BadParameter(
            "a region bounded by a single vertex on one side".into(),
        ));
    }
    Ok(if on_a(&r1, s1)? { (r1, r2) } else { (r2, r1) })
}

/// Trace a region's median with `tr`'s sides, between its transitions.
fn attempt(
    tr: &Tracer,
    ring: &[(f64, f64)],
    xy: &[terminus_plane::frame::Xy],
    (from, to): (&T, &T),
    options: &MedianOptions,
) -> Result<MedianLine, DelimitationError> {
    let (frame, geod) = (tr.frame, tr.geod);
    let n = ring.len();
    let start_of = |t: &T| -> Result<Start, DelimitationError> {
        Ok(match *t {
            T::Contact(i) => {
                let at = ring[i];
                let prev = ring[(i + n - 1) % n];
                let next = ring[(i + 1) % n];
                let unit = |q: (f64, f64)| {
                    let (_, az, _, _): (f64, f64, f64, f64) = geod.inverse(at.0, at.1, q.0, q.1);
                    let (s, c) = az.to_radians().sin_cos();
                    (s, c)
                };
                let (u1, u2) = (unit(prev), unit(next));
                let mut into = (u1.0 + u2.0, u1.1 + u2.1);
                let norm = into.0.hypot(into.1);
                into = if norm < 1e-9 {
                    (-u1.1, u1.0)
                } else {
                    (into.0 / norm, into.1 / norm)
                };
                // Into the region, not out of it (a reflex corner).
                let probe = frame.xy(tr.go(at, into, 1e-3))?;
                if !point_in_ring(probe, xy) {
                    into = (-into.0, -into.1);
                }
                Start::Contact { at, into }
            }
            T::Edge(i) => Start::OnLine(tr.root_between(ring[i], ring[(i + 1) % n])?),
        })
    };
    let start = start_of(from)?;
    let (end, end_contact) = match *to {
        T::Contact(i) => (contact_eval(tr, ring[i])?, true),
        T::Edge(i) => (tr.root_between(ring[i], ring[(i + 1) % n])?, false),
    };
    // A trace that walks ten times round the region, or takes far more
    // points than the region has vertices, is lost.
    let perimeter: f64 = (0..n).map(|i| tr.dist(ring[i], ring[(i + 1) % n])).sum();
    let budget = Budget {
        metres: 10.0 * perimeter + 1e4,
        points: 20 * n + 2_000,
    };
    let (traced, turning) = trace(tr, start, end, end_contact, options.tolerance, budget)?;
    let vertices = select(tr, &traced, turning, options.tolerance)?;
    Ok(MedianLine::new(geod, vertices, traced.len()))
}

/// The vertices of line A strictly between the end of `prev` and the start
/// of `next` (both contacts of the claims, in A's order), if the claims
/// coincide there (every vertex, and the middle of every gap between them,
/// within 1 mm of line B): the median along a common stretch is the common
/// line. `None` where they do not join so.
fn common_stretch(
    tr: &Tracer,
    along_a: &dyn Fn(&MedianVertex) -> (u32, u32, f64),
    prev: &MedianLine,
    next: &MedianLine,
) -> Result<Option<Vec<MedianVertex>>, DelimitationError> {
    let (Some(end), Some(start)) = (prev.vertices.last(), next.vertices.first()) else {
        return Ok(None);
    };
    let contact = |v: &MedianVertex| v.base_a[0].distance < 1e-6 && v.base_b[0].distance < 1e-6;
    if !contact(end) || !contact(start) {
        return Ok(None);
    }
    let (pe, ps) = (along_a(end), along_a(start));
    if pe.0 != ps.0 || (pe.1, pe.2) > (ps.1, ps.2) {
        return Ok(None);
    }
    let part = &tr.a.parts()[pe.0 as usize];
    let mut path = vec![(end.lat, end.lon)];
    let mut out = Vec::new();
    for j in (pe.1 + 1)..=ps.1 {
        if j == ps.1 && ps.2 == 0.0 {
            break; // That vertex is the start itself.
        }
        let v = part[j as usize];
        path.push(v);
        let base = tr.a.nearest(tr.frame, v)?;
        out.push(MedianVertex {
            lat: v.0,
            lon: v.1,
            kind: VertexKind::Turning,
            base_a: vec![base],
            base_b: vec![tr.b.nearest(tr.frame, v)?],
        });
    }
    path.push((start.lat, start.lon));
    for w in path.windows(2) {
        if tr.b.nearest(tr.frame, w[1])?.distance > 1e-3 {
            return Ok(None);
        }
        let (len, az, _, _): (f64, f64, f64, f64) = tr.geod.inverse(w[0].0, w[0].1, w[1].0, w[1].1);
        let (lat, lon): (f64, f64) = tr.geod.direct(w[0].0, w[0].1, az, 0.5 * len);
        if tr.b.nearest(tr.frame, (lat, lon))?.distance > 1e-3 {
            return Ok(None);
        }
    }
    Ok(Some(out))
}
