//! Chaining the compromise's region pieces into whole lines.
//!
//! Claim files seldom run one way in one piece: a source may cut its line
//! at every junction, run its parts either way, or repeat stubs of the
//! neighbouring borders at a tripoint. The pieces are therefore joined by
//! where their ends are, not by the order of either claim's parts:
//!
//! 1. ends under 1 mm apart meet, and two contacts of the claims linked
//!    by a stretch on which the claims coincide (every vertex of A and
//!    every midpoint within 1 mm of B) are joined by that common line;
//! 2. a line's free end at a contact is carried on along the common
//!    line, to where the claims part or end;
//! 3. a part of claim A on claim B throughout, which no region touches,
//!    is a common line of its own (two identical claims: their line);
//! 4. lines whose ends lie within the comparison's bridging distance (a
//!    gap in a claim) are joined, nearest first, by a geodesic marked as a
//!    connector, unless it would make the line cross itself.
//!
//! Each join is made once per end and never closes a loop. Each line
//! then runs the way claim A runs over most of its length, so that
//! "left" and "right" keep A's meaning wherever A's parts allow.

use super::{position_along, Construction, RegionNote, Stretch};
use crate::median::{MedianLine, MedianOptions, MedianVertex, Tracer, VertexKind};
use crate::side::Feature;
use crate::DelimitationError;
use terminus_compare::Options;
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};

/// A compromise line being chained from its pieces.
pub(super) struct Building {
    pub vertices: Vec<MedianVertex>,
    pub stretches: Vec<Stretch>,
    pub traced: usize,
}

impl Building {
    fn of(piece: MedianLine, how: Construction) -> Building {
        Building {
            stretches: vec![Stretch {
                first: 0,
                last: piece.vertices.len().saturating_sub(1),
                construction: how,
            }],
            vertices: piece.vertices,
            traced: piece.traced_points,
        }
    }

    /// The same line run the other way.
    pub(super) fn reverse(&mut self) {
        let n = self.vertices.len();
        self.vertices.reverse();
        for (i, v) in self.vertices.iter_mut().enumerate() {
            v.kind = match v.kind {
                VertexKind::Start | VertexKind::End if i == 0 => VertexKind::Start,
                VertexKind::Start | VertexKind::End if i + 1 == n => VertexKind::End,
                k => k,
            };
        }
        self.stretches.reverse();
        for s in &mut self.stretches {
            (s.first, s.last) = (n - 1 - s.last, n - 1 - s.first);
        }
    }

    /// Append `next`, reached from this line's end through the vertices
    /// `between`; the stretch from the end to `next`'s start is made
    /// `joint` (`None` where they meet).
    fn append(&mut self, next: Building, between: Vec<MedianVertex>, joint: Option<Construction>) {
        let k0 = self.vertices.len().saturating_sub(1);
        if let Some(last) = self.vertices.last_mut() {
            last.kind = VertexKind::Turning;
        }
        self.vertices.extend(between);
        self.traced += next.traced;
        let mut rest = next.vertices.into_iter();
        if let Some(first) = rest.next() {
            // (Ends that meet may differ in the last bits: one vertex.)
            if self.vertices.last().is_none_or(|last| {
                (first.lat - last.lat).abs() > 1e-8 || (first.lon - last.lon).abs() > 1e-8
            }) {
                self.vertices.push(MedianVertex {
                    kind: VertexKind::Turning,
                    ..first
                });
            }
        }
        let k1 = self.vertices.len().saturating_sub(1);
        if let (Some(construction), true) = (joint, k1 > k0) {
            self.stretches.push(Stretch {
                first: k0,
                last: k1,
                construction,
            });
        }
        self.vertices.extend(rest);
        // `next`'s vertex i is now k1 + i.
        self.stretches
            .extend(next.stretches.into_iter().map(|s| Stretch {
                first: k1 + s.first,
                last: k1 + s.last,
                construction: s.construction,
            }));
    }

    /// Carry a claim's stretch `run` on from this line's end (`at_end`)
    /// or start, as the claim draws it (`OneClaim`): from the line's tip
    /// by a geodesic to `run[0]` (`Connector`) where `joined`, else from
    /// `run[0]`, the tip itself.
    pub(super) fn carry(
        &mut self,
        tr: &Tracer,
        at_end: bool,
        run: &[(f64, f64)],
        joined: bool,
    ) -> Result<(), DelimitationError> {
        let mut added = Vec::with_capacity(run.len());
        for &p in &run[usize::from(!joined)..] {
            added.push(MedianVertex {
                lat: p.0,
                lon: p.1,
                kind: VertexKind::Turning,
                base_a: vec![tr.a.nearest(tr.frame, p)?],
                base_b: vec![tr.b.nearest(tr.frame, p)?],
            });
        }
        if !at_end {
            self.reverse();
        }
        let k0 = self.vertices.len() - 1;
        if let Some(last) = self.vertices.last_mut() {
            last.kind = VertexKind::Turning;
        }
        self.vertices.extend(added);
        let k1 = self.vertices.len() - 1;
        if let Some(last) = self.vertices.last_mut() {
            last.kind = VertexKind::End;
        }
        if joined {
            self.stretches.push(Stretch {
                first: k0,
                last: k0 + 1,
                construction: Construction::Connector,
            });
        }
        self.stretches.push(Stretch {
            first: k0 + usize::from(joined),
            last: k1,
            construction: Construction::OneClaim,
        });
        if !at_end {
            self.reverse();
        }
        Ok(())
    }

    pub(super) fn coords(&self) -> Vec<(f64, f64)> {
        self.vertices.iter().map(|v| (v.lat, v.lon)).collect()
    }
}

/// A fallback piece kept along its region's boundary may run on past a
/// contact where another piece starts, to the region's far corner (a
/// claim doubling back in a hairpin): joined at its own end, the line
/// would run back over itself. Such a piece — one that passes through
/// another piece's end (within 1 µm, in the gnomonic plane, where
/// geodesics are straight) in its last tenth — is cut there, so that the
/// two meet; what it loses runs along the region's boundary.
fn cut_at_ends(
    tr: &Tracer,
    pieces: &mut [(MedianLine, Construction)],
) -> Result<(), DelimitationError> {
    let ends: Vec<(usize, MedianVertex)> = pieces
        .iter()
        .enumerate()
        .flat_map(|(i, (l, _))| {
            [
                (i, l.vertices[0].clone()),
                (i, l.vertices[l.vertices.len() - 1].clone()),
            ]
        })
        .collect();
    let ends_xy: Vec<_> = ends
        .iter()
        .map(|(_, v)| tr.frame.xy((v.lat, v.lon)))
        .collect::<Result<_, _>>()?;
    for (i, (line, how)) in pieces.iter_mut().enumerate() {
        if !matches!(how, Construction::Matched | Construction::ArcLength) {
            continue;
        }
        let v = &line.vertices;
        let n = v.len();
        if n < 3 {
            continue;
        }
        let xy: Vec<_> = v
            .iter()
            .map(|p| tr.frame.xy((p.lat, p.lon)))
            .collect::<Result<_, _>>()?;
        // Distance along the piece to each vertex.
        let mut along = vec![0.0; n];
        for k in 1..n {
            along[k] = along[k - 1] + tr.dist((v[k - 1].lat, v[k - 1].lon), (v[k].lat, v[k].lon));
        }
        let total = along[n - 1];
        // The cut nearest each end of the piece: (segment, end vertex).
        let mut cut: [Option<(usize, MedianVertex)>; 2] = [None, None];
        for ((j, end), e) in ends.iter().zip(&ends_xy) {
            if *j == i {
                continue;
            }
            for k in 0..n - 1 {
                let (a, b) = (xy[k], xy[k + 1]);
                let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
                let len2 = dx * dx + dy * dy;
                if len2 == 0.0 {
                    continue;
                }
                let t = ((e[0] - a[0]) * dx + (e[1] - a[1]) * dy) / len2;
                let (px, py) = (a[0] + t * dx - e[0], a[1] + t * dy - e[1]);
                if !(0.0..=1.0).contains(&t) || (px * px + py * py).sqrt() > 1e-6 {
                    continue;
                }
                let at = along[k] + t * (along[k + 1] - along[k]);
                // (Not at the piece's own ends: those meet already.)
                if at <= 1e-6 || at >= total - 1e-6 {
                    continue;
                }
                if total - at < 0.1 * total && cut[1].as_ref().is_none_or(|(s, _)| k < *s) {
                    cut[1] = Some((k, end.clone()));
                }
                if at < 0.1 * total && cut[0].as_ref().is_none_or(|(s, _)| k > *s) {
                    cut[0] = Some((k, end.clone()));
                }
            }
        }
        let same =
            |u: &MedianVertex, v: &MedianVertex| tr.dist((u.lat, u.lon), (v.lat, v.lon)) < 1e-6;
        if let Some((k, end)) = cut[1].take() {
            line.vertices.truncate(k + 1);
            // (The cut at a vertex of the piece: that vertex, once.)
            if line.vertices.last().is_some_and(|l| same(l, &end)) {
                line.vertices.pop();
            }
            line.vertices.push(MedianVertex {
                kind: VertexKind::End,
                ..end
            });
        }
        if let Some((k, end)) = cut[0].take() {
            line.vertices.drain(..=k);
            if line.vertices.first().is_some_and(|f| same(f, &end)) {
                line.vertices.remove(0);
            }
            line.vertices.insert(
                0,
                MedianVertex {
                    kind: VertexKind::Start,
                    ..end
                },
            );
        }
        let coords: Vec<_> = line.vertices.iter().map(|v| (v.lat, v.lon)).collect();
        line.length_m = coords.windows(2).map(|w| tr.dist(w[0], w[1])).sum();
    }
    Ok(())
}

/// How near both claims a line's end must lie for a claim running on
/// from there to be carried, metres.
const MEETS_M: f64 = 1.0;

/// A piece's end: (piece, 0 for its start or 1 for its end).
type End = (usize, usize);

/// A join between two ends: the vertices strictly between them (from the
/// first end to the second) and how that stretch is made.
type Join = (End, End, Vec<MedianVertex>, Option<Construction>);

/// Where an end is joined: the other end, the vertices between (from
/// this end), and how that stretch is made.
type Partner = (End, Vec<MedianVertex>, Option<Construction>);

/// Whether a vertex lies on both claims (a contact).
fn is_contact(v: &MedianVertex) -> bool {
    let on = |b: &[crate::side::BasePoint]| b.first().is_some_and(|b| b.distance < 1e-6);
    on(&v.base_a) && on(&v.base_b)
}

/// Chain `pieces` (each oriented along claim A) into lines. Connectors
/// added are listed in `fallbacks`.
pub(super) fn chain(
    tr: &Tracer,
    pieces: Vec<(MedianLine, Construction)>,
    fallbacks: &mut Vec<RegionNote>,
) -> Result<Vec<Building>, DelimitationError> {
    let mut pieces: Vec<(MedianLine, Construction)> = pieces
        .into_iter()
        .filter(|(l, _)| l.vertices.len() >= 2)
        .collect();
    cut_at_ends(tr, &mut pieces)?;
    let n = pieces.len();
    let end = |(p, e): End| -> &MedianVertex {
        let v = &pieces[p].0.vertices;
        if e == 0 {
            &v[0]
        } else {
            &v[v.len() - 1]
        }
    };
    let along_a = |v: &MedianVertex| -> (u32, u32, f64) {
        v.base_a
            .first()
            .map_or((u32::MAX, 0, 0.0), |b| position_along(tr, tr.a, b))
    };
    // 1. Candidate joins: meets, then common stretches (shortest first).
    let ends: Vec<End> = (0..n).flat_map(|p| [(p, 0), (p, 1)]).collect();
    let xy: Vec<_> = ends
        .iter()
        .map(|&e| tr.frame.xy((end(e).lat, end(e).lon)))
        .collect::<Result<_, _>>()?;
    let mut candidates: Vec<(f64, Join)> = Vec::new();
    {
        // Meets: a sweep over the ends sorted by x.
        let mut order: Vec<usize> = (0..ends.len()).collect();
        order.sort_by(|&i, &j| xy[i][0].total_cmp(&xy[j][0]));
        for (k, &i) in order.iter().enumerate() {
            for &j in &order[k + 1..] {
                if xy[j][0] - xy[i][0] > 0.01 {
                    break;
                }
                if ends[i].0 == ends[j].0 || (xy[j][1] - xy[i][1]).abs() > 0.01 {
                    continue;
                }
                let (u, v) = (end(ends[i]), end(ends[j]));
                let d = tr.dist((u.lat, u.lon), (v.lat, v.lon));
                if d < 1e-3 {
                    candidates.push((d, (ends[i], ends[j], Vec::new(), None)));
                }
            }
        }
    }
    {
        // Common stretches: between contact ends next to each other
        // along one part of A.
        let mut contacts: Vec<((u32, u32, f64), End)> = ends
            .iter()
            .filter(|&&e| is_contact(end(e)))
            .map(|&e| (along_a(end(e)), e))
            .collect();
        contacts.sort_by(|x, y| x.0.partial_cmp(&y.0).unwrap_or(std::cmp::Ordering::Equal));
        for w in contacts.windows(2) {
            let ((px, x), (py, y)) = (w[0], w[1]);
            if px.0 != py.0 || x.0 == y.0 {
                continue;
            }
            if let Some(path) = super::common_stretch(tr, &along_a, end(x), end(y))? {
                if path.is_empty() {
                    continue; // A meet, found above.
                }
                let (u, v) = (end(x), end(y));
                let mut len = 0.0;
                let mut at = (u.lat, u.lon);
                for p in path.iter().map(|p| (p.lat, p.lon)).chain([(v.lat, v.lon)]) {
                    len += tr.dist(at, p);
                    at = p;
                }
                candidates.push((1.0 + len, (x, y, path, Some(Construction::Common))));
            }
        }
    }
    candidates.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut root: Vec<usize> = (0..n).collect();
    fn find(root: &mut [usize], mut i: usize) -> usize {
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    let mut partner: Vec<[Option<Partner>; 2]> = (0..n).map(|_| [None, None]).collect();
    for (_, (x, y, path, joint)) in candidates {
        if partner[x.0][x.1].is_some() || partner[y.0][y.1].is_some() {
            continue;
        }
        let (rx, ry) = (find(&mut root, x.0), find(&mut root, y.0));
        if rx == ry {
            continue;
        }
        root[rx] = ry;
        let mut back = path.clone();
        back.reverse();
        partner[x.0][x.1] = Some((y, path, joint));
        partner[y.0][y.1] = Some((x, back, joint));
    }
    // Assemble: from each piece with a free end, walk the joins.
    let mut slots: Vec<Option<(MedianLine, Construction)>> = pieces.into_iter().map(Some).collect();
    let mut lines: Vec<Building> = Vec::new();
    for start in 0..n {
        let Some(e) = (0..2).find(|&e| partner[start][e].is_none()) else {
            continue;
        };
        if slots[start].is_none() {
            continue;
        }
        let (mut p, mut entry) = (start, e);
        let mut line: Option<Building> = None;
        let mut via: (Vec<MedianVertex>, Option<Construction>) = (Vec::new(), None);
        while let Some((mut piece, how)) = slots[p].take() {
            if entry == 1 {
                piece.reverse();
            }
            let b = Building::of(piece, how);
            match line.as_mut() {
                None => line = Some(b),
                Some(l) => l.append(b, std::mem::take(&mut via.0), via.1),
            }
            match partner[p][1 - entry].take() {
                Some(((q, qe), path, joint)) => {
                    partner[q][qe] = None;
                    via = (path, joint);
                    (p, entry) = (q, qe);
                }
                None => break,
            }
        }
        lines.extend(line);
    }
    // 2. Free ends carried on along the common line.
    let mut touched = vec![false; tr.a.parts().len()];
    for l in &lines {
        for v in &l.vertices {
            if let Some(b) = v.base_a.first() {
                if let Some(t) = touched.get_mut(part_of(b.feature)) {
                    *t = true;
                }
            }
        }
    }
    // (A segment of A carried on once only: the two ends of a piece at
    // the end of a claim both reach the same common stretch.)
    let mut used: std::collections::HashSet<(u32, usize)> = std::collections::HashSet::new();
    for l in &mut lines {
        for at_end in [true, false] {
            let v = if at_end {
                l.vertices.last()
            } else {
                l.vertices.first()
            };
            let Some(v) = v.filter(|v| is_contact(v)).cloned() else {
                continue;
            };
            let (walk, segments) = longer(
                common_walk(tr, &v, true, &used)?,
                common_walk(tr, &v, false, &used)?,
            );
            if walk.len() < 2 {
                continue;
            }
            let len = MedianLine::length_of(&walk);
            if len < 1e-3 {
                continue;
            }
            used.extend(segments);
            for w in &walk {
                if let Some(b) = w.base_a.first() {
                    if let Some(t) = touched.get_mut(part_of(b.feature)) {
                        *t = true;
                    }
                }
            }
            let mut tail = Building {
                stretches: vec![Stretch {
                    first: 0,
                    last: walk.len() - 1,
                    construction: Construction::Common,
                }],
                vertices: walk,
                traced: 0,
            };
            if at_end {
                // The walk starts at the line's last vertex.
                l.append(tail, Vec::new(), None);
            } else {
                tail.reverse();
                l.vertices[0].kind = VertexKind::Turning;
                tail.append(
                    std::mem::replace(l, Building::of(empty_line(), Construction::Common)),
                    Vec::new(),
                    None,
                );
                *l = tail;
            }
        }
    }
    // 3. Parts of A on B throughout that no piece touches.
    for (k, part) in tr.a.parts().iter().enumerate() {
        if touched[k] || part.len() < 2 {
            continue;
        }
        let mut vertices = Vec::with_capacity(part.len());
        let mut common = true;
        for (i, &p) in part.iter().enumerate() {
            let bb = tr.b.nearest(tr.frame, p)?;
            if bb.distance > 1e-3 || (i > 0 && !midpoint_on_b(tr, part[i - 1], p)?) {
                common = false;
                break;
            }
            vertices.push(MedianVertex {
                lat: p.0,
                lon: p.1,
                kind: VertexKind::Turning,
                base_a: vec![tr.a.nearest(tr.frame, p)?],
                base_b: vec![bb],
            });
        }
        let len = MedianLine::length_of(&vertices);
        if common && len >= 1e-3 {
            let last = vertices.len() - 1;
            lines.push(Building {
                vertices,
                stretches: vec![Stretch {
                    first: 0,
                    last,
                    construction: Construction::Common,
                }],
                traced: 0,
            });
        }
    }
    // 4. Connectors across gaps, nearest first.
    let bridge = Options::default().bridge_m;
    let mut refused: Vec<[u64; 4]> = Vec::new();
    loop {
        let mut best: Option<(f64, usize, bool, usize, bool)> = None;
        for i in 0..lines.len() {
            for j in (i + 1)..lines.len() {
                for ei in [false, true] {
                    for ej in [false, true] {
                        let (u, v) = (tip(&lines[i], ei), tip(&lines[j], ej));
                        let key = pair_key(u, v);
                        if refused.contains(&key) {
                            continue;
                        }
                        let d = tr.dist((u.lat, u.lon), (v.lat, v.lon));
                        if d <= bridge && best.is_none_or(|b| d < b.0) {
                            best = Some((d, i, ei, j, ej));
                        }
                    }
                }
            }
        }
        let Some((gap, i, ei, j, ej)) = best else {
            break;
        };
        // Line i ends at the gap, line j starts there.
        let mut li = std::mem::replace(
            &mut lines[i],
            Building::of(empty_line(), Construction::Common),
        );
        let mut lj = std::mem::replace(
            &mut lines[j],
            Building::of(empty_line(), Construction::Common),
        );
        if !ei {
            li.reverse();
        }
        if ej {
            lj.reverse();
        }
        let joined: Vec<(f64, f64)> = li.coords().into_iter().chain(lj.coords()).collect();
        if super::crossing(tr.frame, &joined)?.is_some() {
            refused.push(pair_key(tip(&li, true), tip(&lj, false)));
            lines[i] = li;
            lines[j] = lj;
            continue;
        }
        let (u, v) = (tip(&li, true).clone(), tip(&lj, false).clone());
        let (len, az, _, _): (f64, f64, f64, f64) = tr.geod.inverse(u.lat, u.lon, v.lat, v.lon);
        fallbacks.push(RegionNote {
            inside_at: tr.geod.direct(u.lat, u.lon, az, 0.5 * len),
            area_m2: 0.0,
            construction: Some(Construction::Connector),
            reason: format!(
                "the pieces on either side do not meet: joined by a geodesic {gap:.1} m long"
            ),
        });
        li.append(lj, Vec::new(), Some(Construction::Connector));
        lines[i] = li;
        lines.swap_remove(j);
    }
    // Each line the way A runs over most of it.
    for l in &mut lines {
        let mut balance = 0.0;
        for w in l.vertices.windows(2) {
            let (Some(p), Some(q)) = (w[0].base_a.first(), w[1].base_a.first()) else {
                continue;
            };
            let (pp, pq) = (position_along(tr, tr.a, p), position_along(tr, tr.a, q));
            if pp.0 != pq.0 {
                continue;
            }
            let len = tr.dist((w[0].lat, w[0].lon), (w[1].lat, w[1].lon));
            match pp.partial_cmp(&pq) {
                Some(std::cmp::Ordering::Less) => balance += len,
                Some(std::cmp::Ordering::Greater) => balance -= len,
                _ => {}
            }
        }
        if balance < 0.0 {
            l.reverse();
        }
    }
    Ok(lines)
}

/// Where a line ends at a contact and one claim runs on from there to its
/// own end with the other claim nowhere along it (the other ends first:
/// a source that stops short of a tripoint), that stretch of the claim is
/// added to the line as it is drawn, marked `OneClaim` and listed in
/// `fallbacks`. A stretch that bounds a region
/// between the claims (its first segment's midpoint within 1 mm of a
/// region's ring) or lies on the other claim is not an overhang. Where
/// both claims run on from the contact, each to its own end, the claims
/// part ways there: `tails::part_ways` follows both. `own`: how many of
/// each side's parts are the claim's (the rest bridge its gaps).
pub(super) fn carry_overhangs(
    tr: &Tracer,
    options: &MedianOptions,
    own: [usize; 2],
    rings: &[Vec<(f64, f64)>],
    lines: &mut [Building],
    fallbacks: &mut Vec<RegionNote>,
    tail_regions: &mut Vec<Vec<(f64, f64)>>,
) -> Result<(), DelimitationError> {
    let faces = if rings.is_empty() {
        None
    } else {
        Some(crate::side::Side::new("regions", rings.to_vec(), tr.frame)?)
    };
    let sides = [tr.a, tr.b];
    let mut carried: Vec<(usize, (f64, f64))> = Vec::new();
    for line in lines.iter_mut() {
        for at_end in [true, false] {
            let v = tip(line, at_end).clone();
            // (An end within `MEETS_M` of both claims counts: a median
            // that met the comparison's join at the other claim's end,
            // which lies a little off this claim.)
            let near =
                |b: &[crate::side::BasePoint]| b.first().is_some_and(|b| b.distance < MEETS_M);
            if !(near(&v.base_a) && near(&v.base_b)) {
                continue;
            }
            // Each claim's silent run from here, if it has one.
            let mut found: [Option<Vec<(f64, f64)>>; 2] = [None, None];
            for k in 0..2 {
                let (side, other) = (sides[k], sides[1 - k]);
                let b = side.nearest(tr.frame, (v.lat, v.lon))?;
                // (Nearest on a bridge across a gap of the claim: no run
                // of the claim starts here.)
                if part_of(b.feature) >= own[k] {
                    continue;
                }
                let part = &side.parts()[part_of(b.feature)];
                let (fwd_from, back_to) = match b.feature {
                    Feature::Vertex { vertex, .. } => (vertex as usize + 1, vertex as usize),
                    Feature::Segment { segment, .. } => {
                        (segment as usize + 1, segment as usize + 1)
                    }
                };
                // (From the end's foot on the claim: the end itself at a
                // contact.)
                let foot = (b.lat, b.lon);
                let mut forward = vec![foot];
                forward.extend_from_slice(&part[fwd_from.min(part.len())..]);
                let mut backward = vec![foot];
                backward.extend(part[..back_to.min(part.len())].iter().rev());
                for mut run in [forward, backward] {
                    run.dedup();
                    if run.len() < 2 {
                        continue;
                    }
                    let mid = midpoint(tr, run[0], run[1]);
                    let bounds_a_region = match &faces {
                        Some(f) => f.nearest(tr.frame, mid)?.distance < 1e-3,
                        None => false,
                    };
                    if bounds_a_region || other.nearest(tr.frame, mid)?.distance < 1e-3 {
                        continue;
                    }
                    // Every vertex away from the other claim: it is silent
                    // along the whole stretch.
                    let mut silent = true;
                    for &p in &run[1..] {
                        if other.nearest(tr.frame, p)?.distance < 1e-3 {
                            silent = false;
                            break;
                        }
                    }
                    if silent && !carried.contains(&(k, run[run.len() - 1])) {
                        found[k] = Some(run);
                        break;
                    }
                }
            }
            // Both claims run on, each to its own end: the claims part
            // ways here (sources ending at different tripoints).
            if let ([Some(ra), Some(rb)], true) = (&found, is_contact(&v)) {
                if let Some(tail) = super::tails::part_ways(tr, options, [ra, rb])? {
                    for (k, run) in [ra, rb].into_iter().enumerate() {
                        carried.push((k, run[run.len() - 1]));
                    }
                    tail_regions.push(tail.region);
                    if !at_end {
                        line.reverse();
                    }
                    let k0 = line.vertices.len() - 1;
                    if let Some(last) = line.vertices.last_mut() {
                        last.kind = VertexKind::Turning;
                    }
                    line.vertices.extend(tail.vertices);
                    for s in tail.stretches {
                        line.stretches.push(Stretch {
                            first: k0 + s.first,
                            last: k0 + s.last,
                            construction: s.construction,
                        });
                    }
                    if let Some(last) = line.vertices.last_mut() {
                        last.kind = VertexKind::End;
                    }
                    if !at_end {
                        line.reverse();
                    }
                    fallbacks.extend(tail.notes);
                    continue;
                }
            }
            // Otherwise the first claim that runs on is carried (the
            // other is then not silent along it, or ends here too).
            let found = match found {
                [Some(run), _] => Some((0, run)),
                [None, Some(run)] => Some((1, run)),
                [None, None] => None,
            };
            if let Some((k, run)) = &found {
                carried.push((k.to_owned(), run[run.len() - 1]));
            }
            let Some((k, run)) = found else { continue };
            let length: f64 = run.windows(2).map(|w| tr.dist(w[0], w[1])).sum();
            // Off the claim by under `MEETS_M`: to its foot first.
            line.carry(tr, at_end, &run, tr.dist((v.lat, v.lon), run[0]) > 1e-6)?;
            let (name, other) = (sides[k].name(), sides[1 - k].name());
            fallbacks.push(RegionNote {
                inside_at: run[run.len() / 2],
                area_m2: 0.0,
                construction: Some(Construction::OneClaim),
                reason: format!(
                    "{name} runs on {:.3} km past where {other} ends (from {:.6}, {:.6} to {:.6}, {:.6}); {other} is silent there, so it is carried as {name} draws it",
                    length / 1000.0,
                    run[0].0,
                    run[0].1,
                    run[run.len() - 1].0,
                    run[run.len() - 1].1
                ),
            });
        }
    }
    Ok(())
}

/// The geodesic midpoint of `p`–`q`.
pub(super) fn midpoint(tr: &Tracer, p: (f64, f64), q: (f64, f64)) -> (f64, f64) {
    let (s, az, _, _): (f64, f64, f64, f64) = tr.geod.inverse(p.0, p.1, q.0, q.1);
    tr.geod.direct(p.0, p.1, az, 0.5 * s)
}

fn empty_line() -> MedianLine {
    MedianLine {
        vertices: Vec::new(),
        length_m: 0.0,
        traced_points: 0,
    }
}

/// A line's first (`false`) or last (`true`) vertex.
fn tip(l: &Building, last: bool) -> &MedianVertex {
    if last {
        &l.vertices[l.vertices.len() - 1]
    } else {
        &l.vertices[0]
    }
}

/// Two ends as bits, either order: a refused connector is not retried.
fn pair_key(u: &MedianVertex, v: &MedianVertex) -> [u64; 4] {
    let (a, b) = (
        [u.lat.to_bits(), u.lon.to_bits()],
        [v.lat.to_bits(), v.lon.to_bits()],
    );
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    [a[0], a[1], b[0], b[1]]
}

fn part_of(f: Feature) -> usize {
    match f {
        Feature::Vertex { part, .. } | Feature::Segment { part, .. } => part as usize,
    }
}

/// Of two walks, the longer.
fn longer(x: Walk, y: Walk) -> Walk {
    if MedianLine::length_of(&y.0) > MedianLine::length_of(&x.0) {
        y
    } else {
        x
    }
}

/// Whether the geodesic midpoint of `p`–`q` lies within 1 mm of claim B.
fn midpoint_on_b(tr: &Tracer, p: (f64, f64), q: (f64, f64)) -> Result<bool, DelimitationError> {
    let (len, az, _, _): (f64, f64, f64, f64) = tr.geod.inverse(p.0, p.1, q.0, q.1);
    let mid: (f64, f64) = tr.geod.direct(p.0, p.1, az, 0.5 * len);
    Ok(tr.b.nearest(tr.frame, mid)?.distance <= 1e-3)
}

/// A walk along claim A: its vertices and the segments of A it used,
/// (part, segment).
type Walk = (Vec<MedianVertex>, Vec<(u32, usize)>);

/// From the contact `from`, the vertices of claim A onward (`forward`:
/// the way A's part runs) for as long as A lies on B and its segments
/// are not `used`, `from` first; the last is the last vertex of A on B
/// before they part (or A's end).
fn common_walk(
    tr: &Tracer,
    from: &MedianVertex,
    forward: bool,
    used: &std::collections::HashSet<(u32, usize)>,
) -> Result<Walk, DelimitationError> {
    let Some(base) = from.base_a.first() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let (part, k, off) = position_along(tr, tr.a, base);
    let Some(line) = tr.a.parts().get(part as usize) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut out = vec![MedianVertex {
        kind: VertexKind::Turning,
        ..from.clone()
    }];
    let mut segments = Vec::new();
    let mut at = (from.lat, from.lon);
    // The first vertex of A beyond the contact, that way.
    let mut i: isize = if forward {
        k as isize + 1
    } else if off > 0.0 {
        k as isize
    } else {
        k as isize - 1
    };
    while i >= 0 && (i as usize) < line.len() {
        // Stepping to vertex i forward uses segment i − 1, backward i.
        let segment = if forward { i as usize - 1 } else { i as usize };
        if used.contains(&(part, segment)) {
            break;
        }
        let p = line[i as usize];
        let bb = tr.b.nearest(tr.frame, p)?;
        if bb.distance > 1e-3 || !midpoint_on_b(tr, at, p)? {
            break;
        }
        out.push(MedianVertex {
            lat: p.0,
            lon: p.1,
            kind: VertexKind::Turning,
            base_a: vec![tr.a.nearest(tr.frame, p)?],
            base_b: vec![bb],
        });
        segments.push((part, segment));
        at = p;
        i += if forward { 1 } else { -1 };
    }
    Ok((out, segments))
}
