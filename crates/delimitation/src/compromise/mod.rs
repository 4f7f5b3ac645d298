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
//! alone, and the piece is marked (`Construction::Local`).
//!
//! No region is dropped: a region whose equidistance line cannot be
//! traced (its boundary alternates between the lines more than once, the
//! trace is lost, or what it traced leaves the region or crosses itself)
//! gets the median of its two bounding stretches by arc length — each
//! point the geodesic midpoint of the points at the same fraction of
//! either stretch's length — marked as such, with the region's area and
//! the reason. The pieces are chained into whole lines, and the share of
//! each claim's length they account for (`coverage`) is measured.
//!
//! A region both claims give to the same party (one running back against
//! the other's direction) is traced too, so that the pieces round it
//! chain into one line; the line is chained with and without those
//! medians, and the one that does not cross itself, then the one in fewer
//! lines, is kept.
//!
//! Where one claim runs on past the other's end, that stretch is carried
//! as drawn (marked); where both run on from their last contact, each to
//! an end of its own, the region between the two tails is closed from the
//! nearer end and traced like any other (`tails`).
//!
//! Closed rings of the claims (enclaves, exclaves) are not part of the
//! line: a ring both claims draw gets the arc-length median of the two
//! rings (marked); a ring one claim draws alone is carried as it is,
//! marked.

mod chain;
mod inside;
mod open_rings;
mod remnants;
mod tails;

use crate::median::{
    contact_eval, select, trace, Budget, MedianLine, MedianOptions, MedianVertex, Start, Tracer,
    VertexKind,
};
use crate::side::{BasePoint, Feature, Side};
use crate::DelimitationError;
use terminus_compare::spurs::{find_spurs, Spur};
use terminus_compare::{compare, ClaimLine, Inputs, Options};
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::{Ellipsoid, Geodesic};
use terminus_plane::frame::{Frame, Xy};
use terminus_plane::index::SegmentIndex;
use terminus_plane::ring::point_in_ring;

/// How a stretch of the compromise was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Construction {
    /// Traced equidistant from both whole claims.
    Equidistant,
    /// Traced equidistant from the region's bounding stretches of the
    /// claims only (other stretches of a claim come nearer inside it).
    Local,
    /// The median of the region's two bounding stretches by arc length:
    /// the fallback where no equidistance line could be traced.
    ArcLength,
    /// The midpoints of the two bounding stretches matched point to point
    /// by least total distance (dynamic time warping): the fallback where
    /// the arc-length median would cross itself or leave the region.
    Matched,
    /// Where the claims coincide: the common line.
    Common,
    /// A geodesic joining two pieces that do not meet, across a gap in a
    /// claim (the pieces' ends within the comparison's bridging distance).
    Connector,
    /// One claim as it is drawn, where it runs on past the other's end
    /// (the other is silent there): carried so that the line accounts for
    /// all of both claims, and marked.
    OneClaim,
    /// Traced equidistant from one claim and the geodesic that bridges a
    /// gap in the other (as the comparison closes it): the other is
    /// silent there, and the bridge stands for it.
    Bridged,
    /// A ring a claim draws open (an arc round a pocket, or pieces with
    /// gaps), closed by geodesics across its gaps and between its ends
    /// and taken as the claim's ring (`open_rings`).
    ClosedRing,
}

impl Construction {
    /// How the report names it.
    pub fn label(self) -> &'static str {
        match self {
            Construction::Equidistant => "equidistant",
            Construction::Local => "equidistant from the region's bounding stretches",
            Construction::ArcLength => "median by arc length (fallback)",
            Construction::Matched => "median of matched points (fallback)",
            Construction::Common => "common line",
            Construction::Connector => "connector across a gap in a claim (geodesic)",
            Construction::OneClaim => "one claim only (the other ends before it)",
            Construction::Bridged => {
                "equidistant from a claim and the geodesic bridging a gap in the other"
            }
            Construction::ClosedRing => "a claim's ring drawn open, closed by geodesics",
        }
    }
}

/// A run of a compromise line's vertices made one way.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stretch {
    /// Its first vertex (index into the line's vertices).
    pub first: usize,
    /// Its last vertex.
    pub last: usize,
    /// How it was made.
    pub construction: Construction,
}

/// A region between the lines whose median is not the equidistance line
/// of the whole claims (a fallback), or has no median at all.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RegionNote {
    /// A point inside it, (lat, lon).
    pub inside_at: (f64, f64),
    /// Its geodesic area, m².
    pub area_m2: f64,
    /// What the compromise is there (`None`: nothing, see `reason`).
    pub construction: Option<Construction>,
    /// Why the equidistance line of the whole claims was not used.
    pub reason: String,
}

/// A claim's piece set aside as a spur.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClaimSpur {
    /// The claim.
    pub claim: String,
    /// The piece, its length and junction.
    #[serde(flatten)]
    pub spur: Spur,
}

/// A piece of a claim that bounds no region between the claims and that
/// the line does not run along: a loose fragment (part of an enclave's
/// boundary drawn open, a stretch of another border), listed and set
/// apart from the coverage, like a spur.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoosePiece {
    /// The claim.
    pub claim: String,
    /// Its first vertex, (lat, lon).
    pub from: (f64, f64),
    /// Its last vertex, (lat, lon).
    pub to: (f64, f64),
    /// Its geodesic length, metres.
    pub length_m: f64,
}

/// An enclave's or exclave's ring in the compromise.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CompromiseRing {
    /// The ring (closed: last vertex = first).
    pub line: MedianLine,
    /// The claims that draw it.
    pub drawn_by: Vec<String>,
    /// How it was made: `ArcLength` for a ring both claims draw, `None`
    /// for one carried as one claim draws it.
    pub construction: Option<Construction>,
    /// The area it encloses, m².
    pub area_m2: f64,
}

/// The compromise median.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CompromiseMedian {
    /// Its lines: the region's pieces chained wherever they meet or are
    /// joined by a common stretch — one per section when whole.
    pub pieces: Vec<MedianLine>,
    /// For each line, how each run of it was made, in order.
    pub stretches: Vec<Vec<Stretch>>,
    /// Enclave and exclave rings.
    pub rings: Vec<CompromiseRing>,
    /// Regions between the lines.
    pub regions: usize,
    /// Regions traced otherwise than equidistant from the whole claims
    /// (local or arc-length fallback), or left without a median.
    pub fallbacks: Vec<RegionNote>,
    /// Pieces of the claims set aside as spurs (stubs of other borders at
    /// a junction); the coverage is of the rest.
    pub spurs: Vec<ClaimSpur>,
    /// Loose pieces of the claims (touching neither a region between them
    /// nor the line): listed; the coverage is of the rest.
    pub loose: Vec<LoosePiece>,
    /// Stretches of a claim that no region with a median and no line
    /// accounts for, in pieces that are otherwise accounted for (a stub
    /// a line's end cannot reach without doubling back): listed, and
    /// what the coverage lacks.
    pub unaccounted: Vec<LoosePiece>,
    /// Gaps in a claim that the compromise is traced from where the other
    /// claim faces them: each closed by a geodesic, as the comparison
    /// closes it, which stands for the claim there (`Bridged`).
    pub gaps: Vec<terminus_compare::Closure>,
    /// The share of each claim's open line (A, B) that the compromise
    /// accounts for: stretches bounding a region with a median, and
    /// common stretches.
    pub coverage: [f64; 2],
}

impl CompromiseMedian {
    /// Total geodesic length, metres.
    pub fn length_m(&self) -> f64 {
        self.pieces.iter().map(|p| p.length_m).sum()
    }
}

/// The compromise median of claim lines `a` and `b` ((lat, lon) pieces,
/// WGS 84). Closed pieces are rings (enclaves, exclaves), the others the
/// line.
pub fn compromise_median(
    a: &ClaimLine,
    b: &ClaimLine,
    options: &MedianOptions,
) -> Result<CompromiseMedian, DelimitationError> {
    options.check()?;
    // Stubs of other borders at a tripoint are set aside (and listed), as
    // the comparison does: their free ends are not the claim's ends.
    let geod = Ellipsoid::WGS84.geodesic();
    let spur_m = Options::default().spur_m;
    let mut spurs = Vec::new();
    let mut clean = |l: &ClaimLine| -> ClaimLine {
        let found = find_spurs(&geod, &l.pieces, spur_m);
        let pieces = (0..l.pieces.len())
            .filter(|i| !found.iter().any(|s| s.piece == *i))
            .map(|i| l.pieces[i].clone())
            .collect();
        spurs.extend(found.into_iter().map(|spur| ClaimSpur {
            claim: l.name.clone(),
            spur,
        }));
        ClaimLine {
            name: l.name.clone(),
            pieces,
        }
    };
    let (a, b) = (&clean(a), &clean(b));
    let (mut open_a, mut rings_a) = split_rings(&a.pieces);
    let (mut open_b, mut rings_b) = split_rings(&b.pieces);
    let frame = Frame::around(Ellipsoid::WGS84, a.pieces.iter().chain(&b.pieces).flatten())?;
    // Rings a claim draws open (an arc round a pocket, pieces with gaps
    // apart from its line): closed, said so, and taken as its rings.
    let bridge_m = Options::default().bridge_m;
    let mut closed = Vec::new();
    for (name, open, rings) in [
        (&a.name, &mut open_a, &mut rings_a),
        (&b.name, &mut open_b, &mut rings_b),
    ] {
        for r in open_rings::close_open_rings(&geod, &frame, name, open, bridge_m)? {
            let xy = frame.xys(&r.ring)?;
            let inside = terminus_plane::ring::point_on_surface(&[xy])
                .map_or(r.ring[0], |p| frame.latlon(p));
            let gaps: Vec<String> = r
                .closures
                .iter()
                .map(|c| {
                    format!(
                        "{:.1} m from {:.6}, {:.6} to {:.6}, {:.6}",
                        c.length_m, c.from.0, c.from.1, c.to.0, c.to.1
                    )
                })
                .collect();
            closed.push(RegionNote {
                inside_at: inside,
                area_m2: terminus_geodesy::measure::ring_area_with(
                    &geod,
                    r.ring.iter().map(|&p| terminus_geodesy::LatLon::from_pair(p)),
                )
                .abs(),
                construction: Some(Construction::ClosedRing),
                reason: format!(
                    "{name} draws a ring open, apart from its line ({:.1} m of line): closed by {} geodesic(s) ({}) and taken as its ring",
                    r.drawn_m,
                    r.closures.len(),
                    gaps.join("; ")
                ),
            });
            rings.push(r.ring);
        }
    }
    let mut m = if open_a.is_empty() || open_b.is_empty() {
        CompromiseMedian {
            pieces: Vec::new(),
            stretches: Vec::new(),
            rings: Vec::new(),
            regions: 0,
            fallbacks: Vec::new(),
            spurs: Vec::new(),
            loose: Vec::new(),
            unaccounted: Vec::new(),
            gaps: Vec::new(),
            coverage: [
                if open_a.is_empty() { 1.0 } else { 0.0 },
                if open_b.is_empty() { 1.0 } else { 0.0 },
            ],
        }
    } else {
        line_compromise(
            &frame,
            &ClaimLine {
                name: a.name.clone(),
                pieces: open_a,
            },
            &ClaimLine {
                name: b.name.clone(),
                pieces: open_b,
            },
            options,
            (&mut rings_a, &mut rings_b),
        )?
    };
    m.rings = ring_compromises(&frame, (&a.name, &rings_a), (&b.name, &rings_b))?;
    m.fallbacks.extend(closed);
    m.spurs = spurs;
    Ok(m)
}

/// The pieces of claim `l` ((lat, lon), WGS 84) that the compromise takes
/// as rings: its closed pieces, and those of rings it draws open
/// (`open_rings`), by index into `l.pieces` — what a comparison of the
/// claims' lines alone leaves out, as the compromise's line does.
pub fn ring_pieces(l: &ClaimLine) -> Result<Vec<usize>, DelimitationError> {
    let geod = Ellipsoid::WGS84.geodesic();
    let spurs = find_spurs(&geod, &l.pieces, Options::default().spur_m);
    let kept: Vec<usize> = (0..l.pieces.len())
        .filter(|i| !spurs.iter().any(|s| s.piece == *i))
        .collect();
    let closed = |p: &Vec<(f64, f64)>| p.len() >= 4 && p.first() == p.last();
    let mut out: Vec<usize> = kept
        .iter()
        .copied()
        .filter(|&i| closed(&l.pieces[i]))
        .collect();
    let open_idx: Vec<usize> = kept
        .iter()
        .copied()
        .filter(|&i| !closed(&l.pieces[i]))
        .collect();
    let mut open: Pieces = open_idx.iter().map(|&i| l.pieces[i].clone()).collect();
    let frame = Frame::around(Ellipsoid::WGS84, l.pieces.iter().flatten())?;
    let before = open.clone();
    open_rings::close_open_rings(
        &geod,
        &frame,
        &l.name,
        &mut open,
        Options::default().bridge_m,
    )?;
    // (Those no longer among the open pieces were taken.)
    let mut k = 0;
    for (j, p) in before.iter().enumerate() {
        if open.get(k) == Some(p) {
            k += 1;
        } else {
            out.push(open_idx[j]);
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// A claim's open pieces and its closed rings (first vertex = last, four
/// or more vertices).
type Pieces = Vec<Vec<(f64, f64)>>;
fn split_rings(pieces: &[Vec<(f64, f64)>]) -> (Pieces, Pieces) {
    pieces
        .iter()
        .cloned()
        .partition(|p| !(p.len() >= 4 && p.first() == p.last()))
}

/// What one region's median is.
enum RegionOutcome {
    /// A sliver of under three vertices: nothing to trace.
    Sliver,
    /// A piece, how it was made, and why not equidistant from the whole
    /// claims where it is not.
    Piece(MedianLine, Construction, Option<String>),
    /// Two pieces (a region whose boundary passes between the lines four
    /// times holds two equidistance lines), traced equidistant.
    Pair(MedianLine, MedianLine),
    /// No median: why.
    Unresolved(String),
}

/// The compromise of two claims' open lines.
fn line_compromise(
    frame: &Frame,
    a: &ClaimLine,
    b: &ClaimLine,
    options: &MedianOptions,
    loops: (&mut Pieces, &mut Pieces),
) -> Result<CompromiseMedian, DelimitationError> {
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
    // A gap in a claim (within the comparison's bridging distance) is
    // closed, as the comparison closes it, by a geodesic that stands for
    // the claim there: the regions between one claim and the other's
    // bridge are regions between the claims, and the compromise runs
    // equidistant from the bridge rather than jumping the gap. (The
    // bridges are parts after the claim's own, and listed.)
    let bridged = |l: &ClaimLine| -> Vec<Vec<(f64, f64)>> {
        let mut parts = l.pieces.clone();
        parts.extend(
            pair.bridges
                .iter()
                .filter(|c| c.line == l.name && c.length_m > 0.0)
                .map(|c| vec![c.from, c.to]),
        );
        parts
    };
    let sa = Side::new(&a.name, bridged(a), frame)?;
    let sb = Side::new(&b.name, bridged(b), frame)?;
    let geod = frame.gnomonic().geodesic();
    let tr = Tracer {
        frame,
        geod,
        a: &sa,
        b: &sb,
        w: options.weights,
    };
    // Regions between the two lines; those one line encloses alone (its
    // own loop, or with a bridge) have no median.
    // (A region one claim encloses with the other's bridge is between
    // them too: an edge of it lies on the other, bridged.)
    let touches_other = |d: &terminus_compare::Discrepancy| -> Result<bool, DelimitationError> {
        let other = if d.drawn_by_one.as_deref() == Some(a.name.as_str()) {
            &sb
        } else {
            &sa
        };
        edge_on(&tr, &d.rings[0], other)
    };
    let mut faces = Vec::new();
    for d in &pair.discrepancies {
        if d.kind == "between" || (d.drawn_by_one.is_some() && touches_other(d)?) {
            faces.push(d);
        }
    }
    // Regions are independent: traced on all cores, in the faces' order.
    type Traced = (usize, Result<RegionOutcome, String>);
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
    // The regions with a median: what they bound of each claim is
    // accounted for. A region both claims give to the same party (where
    // one runs back against the other's direction) is traced too — its
    // median joins the pieces round it into one line — unless the line
    // it makes crosses itself; then the line is chained without them.
    let assemble = |with_same: bool| {
        let mut accounted: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut fallbacks = Vec::new();
        let mut pieces: Vec<(MedianLine, Construction)> = Vec::new();
        let mut regions = 0;
        // The same-side regions' medians: their ends, the region's note.
        let mut same: Vec<([(f64, f64); 2], RegionNote)> = Vec::new();
        for (i, result) in &done {
            let face = faces[*i];
            if face.same_side && face.kind == "between" && !with_same {
                continue;
            }
            let note = |construction, reason: &String| RegionNote {
                inside_at: face.inside_at,
                area_m2: face.area_m2,
                construction,
                reason: reason.clone(),
            };
            let ends = |l: &MedianLine| -> [(f64, f64); 2] {
                let v = &l.vertices;
                [
                    (v[0].lat, v[0].lon),
                    (v[v.len() - 1].lat, v[v.len() - 1].lon),
                ]
            };
            let lone = RegionNote {
                inside_at: face.inside_at,
                area_m2: face.area_m2,
                construction: None,
                reason: "both claims give this region to the same party, and its median would be a line of its own, joined to nothing (where the line passes through a contact at which four regions meet): no median drawn, none needed".into(),
            };
            match result {
                Ok(RegionOutcome::Piece(line, _, _)) | Ok(RegionOutcome::Pair(line, _))
                    if face.same_side && !line.vertices.is_empty() =>
                {
                    same.push((ends(line), lone.clone()));
                }
                _ => {}
            }
            if let Ok(RegionOutcome::Pair(_, l2)) = result {
                if face.same_side && !l2.vertices.is_empty() {
                    same.push((ends(l2), lone));
                }
            }
            match result {
                Ok(RegionOutcome::Piece(line, how, why)) => {
                    accounted.push(face.rings[0].clone());
                    if let Some(why) = why {
                        fallbacks.push(note(Some(*how), why));
                    }
                    pieces.push((line.clone(), *how));
                    regions += 1;
                }
                Ok(RegionOutcome::Pair(l1, l2)) => {
                    accounted.push(face.rings[0].clone());
                    pieces.push((l1.clone(), Construction::Equidistant));
                    pieces.push((l2.clone(), Construction::Equidistant));
                    regions += 1;
                }
                Ok(RegionOutcome::Sliver) => accounted.push(face.rings[0].clone()),
                Ok(RegionOutcome::Unresolved(why)) | Err(why) => {
                    regions += 1;
                    fallbacks.push(note(None, why));
                }
            }
        }
        (accounted, fallbacks, pieces, regions, same)
    };
    let mut extra: Vec<Vec<(f64, f64)>> = Vec::new();
    // Where a join between the claims' ends crosses a claim, it cuts off
    // a sliver between that claim and the join: part of the region the
    // join closes (whose median ends where it meets the join), so what
    // it bounds of the claim is accounted for too.
    if !pair.joins.is_empty() {
        let joins = Side::new(
            "joins",
            pair.joins
                .iter()
                .filter(|j| j.length_m > 0.0)
                .map(|j| vec![j.from, j.to])
                .collect(),
            frame,
        );
        if let Ok(joins) = joins {
            for d in &pair.discrepancies {
                if d.drawn_by_one.is_none() || faces.iter().any(|f| std::ptr::eq(*f, d)) {
                    continue;
                }
                if edge_on(&tr, &d.rings[0], &joins)? {
                    extra.push(d.rings[0].clone());
                }
            }
        }
    }
    // Where the geodesic bridging a gap in a claim runs along a stub of
    // that claim (the free end it was bridged to lies back along the
    // claim), the sliver between them — one claim's face, within the
    // comparison's tolerance throughout — is part of the regions the
    // bridge closes: what it bounds of the claim is accounted for, as
    // the bridge stands for the claim there.
    let bridges_of = |name: &str| -> Vec<Vec<(f64, f64)>> {
        pair.bridges
            .iter()
            .filter(|c| c.line == name && c.length_m > 0.0)
            .map(|c| vec![c.from, c.to])
            .collect()
    };
    for (name, bridges) in [
        (&a.name, bridges_of(&a.name)),
        (&b.name, bridges_of(&b.name)),
    ] {
        if bridges.is_empty() {
            continue;
        }
        let along = Side::new("bridges", bridges, frame)?;
        for d in &pair.discrepancies {
            if d.drawn_by_one.as_deref() != Some(name.as_str())
                || d.beyond_tolerance
                || faces.iter().any(|f| std::ptr::eq(*f, d))
            {
                continue;
            }
            if edge_on(&tr, &d.rings[0], &along)? {
                extra.push(d.rings[0].clone());
            }
        }
    }
    // A loop one claim draws alone — its line running round a pocket
    // and back to itself, as a source may draw an enclave on the line —
    // is that claim's ring: the ring compromise takes it with the
    // claim's closed rings, and what it bounds is accounted for.
    for d in &pair.discrepancies {
        let Some(by) = &d.drawn_by_one else { continue };
        if d.rings.len() != 1 || faces.iter().any(|f| std::ptr::eq(*f, d)) {
            continue;
        }
        let k = usize::from(by != &a.name);
        let (side, own) = if k == 0 {
            (&sa, a.pieces.len())
        } else {
            (&sb, b.pieces.len())
        };
        // (On the claim throughout — its own parts, or bridges across
        // gaps of its own for at most a tenth of the way round: a ring
        // drawn with a small gap, not a sliver a bridge cuts off.)
        let mut alone = true;
        let (mut bridged, mut round) = (0.0, 0.0);
        for w in d.rings[0].windows(2) {
            let (s, az, _, _): (f64, f64, f64, f64) = geod.inverse(w[0].0, w[0].1, w[1].0, w[1].1);
            let mid: (f64, f64) = geod.direct(w[0].0, w[0].1, az, 0.5 * s);
            let near = side.nearest(frame, mid)?;
            if s > 0.0 && near.distance >= 1e-6 {
                alone = false;
                break;
            }
            let part = match near.feature {
                Feature::Vertex { part, .. } | Feature::Segment { part, .. } => part as usize,
            };
            round += s;
            if part >= own {
                bridged += s;
            }
        }
        alone &= bridged <= 0.1 * round;
        if alone {
            extra.push(d.rings[0].clone());
            if k == 0 {
                loops.0.push(d.rings[0].clone());
            } else {
                loops.1.push(d.rings[0].clone());
            }
        }
    }
    let own = [a.pieces.len(), b.pieces.len()];
    // Each piece in the direction of line A, so that "left" and "right"
    // of the compromise mean one thing wherever A's parts allow; chained,
    // and claims running on past the other's end carried.
    let build = |with_same: bool| -> Result<_, DelimitationError> {
        let (mut accounted, mut fallbacks, mut pieces, regions, same) = assemble(with_same);
        let along_a = |v: &MedianVertex| -> (u32, u32, f64) {
            v.base_a
                .first()
                .map_or((u32::MAX, 0, 0.0), |b| position_along(&tr, &sa, b))
        };
        for (l, _) in pieces.iter_mut() {
            if let (Some(f), Some(e)) = (l.vertices.first(), l.vertices.last()) {
                if along_a(e).partial_cmp(&along_a(f)) == Some(std::cmp::Ordering::Less) {
                    l.reverse();
                }
            }
        }
        let mut chained = chain::chain(&tr, pieces, &mut fallbacks)?;
        // A same-side region's median left a line of its own joins
        // nothing (it ends where the line passes through a contact at
        // which four regions meet): both claims give that ground to one
        // party, so the line needs no median there; said so.
        chained.retain(|c| {
            let (Some(f), Some(l)) = (c.vertices.first(), c.vertices.last()) else {
                return true;
            };
            let ends = [(f.lat, f.lon), (l.lat, l.lon)];
            let found = same
                .iter()
                .find(|(e, _)| c.stretches.len() == 1 && (*e == ends || [e[1], e[0]] == ends));
            if let Some((_, note)) = found {
                fallbacks.push(note.clone());
            }
            found.is_none()
        });
        let rings: Vec<Vec<(f64, f64)>> = faces
            .iter()
            .filter(|f| with_same || !(f.same_side && f.kind == "between"))
            .map(|f| f.rings[0].clone())
            .collect();
        chain::carry_overhangs(
            &tr,
            options,
            own,
            &rings,
            &mut chained,
            &mut fallbacks,
            &mut accounted,
        )?;
        Ok((chained, accounted, fallbacks, regions))
    };
    // Of the two, the one whose lines do not cross themselves, then the
    // one in fewer lines, then the one with the same-side regions.
    let mut best = None;
    for with_same in [true, false] {
        let built = build(with_same)?;
        let mut crosses = false;
        for c in &built.0 {
            crosses |= crossing(frame, &c.coords())?.is_some();
        }
        let rank = (crosses, built.0.len());
        if best.as_ref().is_none_or(|(r, _)| rank < *r) {
            best = Some((rank, built));
        }
    }
    let Some((_, (mut chained, mut accounted, mut fallbacks, regions))) = best else {
        return Err(DelimitationError::BadParameter(
            "no compromise was built".into(),
        ));
    };
    accounted.extend(extra);
    // What the regions and the line account for of each claim (without
    // the bridges across its gaps, which are no claim's length and may
    // run along a claim's own segment); what they leave at a line's end
    // is carried from there.
    let own_sides = [
        Side::new(&a.name, a.pieces.clone(), frame)?,
        Side::new(&b.name, b.pieces.clone(), frame)?,
    ];
    let own_sides = [&own_sides[0], &own_sides[1]];
    let mut coverage = covered(&tr, own_sides, &accounted, &chained)?;
    let left = [coverage.gaps(&tr, 0), coverage.gaps(&tr, 1)];
    let (carried, unaccounted) = remnants::carry_remnants(
        &tr,
        left,
        &mut chained,
        &mut fallbacks,
        Options::default().bridge_m,
    )?;
    if carried {
        coverage = covered(&tr, own_sides, &accounted, &chained)?;
    }
    let covered = coverage.lengths();
    let mut total = [length_of(&tr, &a.pieces), length_of(&tr, &b.pieces)];
    // Loose pieces: every segment off every region (traced or not) and
    // off the line.
    let mut near_any: Vec<Vec<(f64, f64)>> = faces.iter().map(|f| f.rings[0].clone()).collect();
    near_any.extend(accounted.iter().cloned());
    near_any.extend(chained.iter().map(|c| c.coords()));
    let near_any = Side::new("regions and line", near_any, frame)?;
    let mut loose = Vec::new();
    for (k, claim) in [a, b].into_iter().enumerate() {
        'pieces: for piece in &claim.pieces {
            for w in piece.windows(2) {
                if w[0] != w[1] {
                    let mid = chain::midpoint(&tr, w[0], w[1]);
                    if near_any.nearest(frame, mid)?.distance < 1e-6 {
                        continue 'pieces;
                    }
                }
            }
            let length = length_of(&tr, std::slice::from_ref(piece));
            total[k] -= length;
            loose.push(LoosePiece {
                claim: claim.name.clone(),
                from: piece[0],
                to: piece[piece.len() - 1],
                length_m: length,
            });
        }
    }
    // Runs traced from a bridge are marked, and the bridges listed.
    let bridges_of = |k: usize| -> Vec<&terminus_compare::Closure> {
        let name = if k == 0 { &a.name } else { &b.name };
        pair.bridges
            .iter()
            .filter(|c| &c.line == name && c.length_m > 0.0)
            .collect()
    };
    let bridges = [bridges_of(0), bridges_of(1)];
    let mut used = std::collections::BTreeSet::new();
    let mut lines = Vec::new();
    let mut stretches = Vec::new();
    for c in chained {
        let on_bridge: Vec<bool> = c
            .vertices
            .iter()
            .map(|v| {
                let mut on = false;
                for (k, bases) in [&v.base_a, &v.base_b].into_iter().enumerate() {
                    for b in bases {
                        let part = match b.feature {
                            Feature::Vertex { part, .. } | Feature::Segment { part, .. } => {
                                part as usize
                            }
                        };
                        if part >= own[k] {
                            used.insert((k, part - own[k]));
                            on = true;
                        }
                    }
                }
                on
            })
            .collect();
        stretches.push(mark_bridged(&c.stretches, &on_bridge));
        lines.push(MedianLine::new(geod, c.vertices, c.traced));
    }
    let mut gaps = Vec::new();
    for (k, i) in used {
        let Some(&bridge) = bridges[k].get(i) else {
            continue;
        };
        fallbacks.push(RegionNote {
            inside_at: ((bridge.from.0 + bridge.to.0) / 2.0, (bridge.from.1 + bridge.to.1) / 2.0),
            area_m2: 0.0,
            construction: Some(Construction::Bridged),
            reason: format!(
                "{} has a gap of {:.1} m from {:.6}, {:.6} to {:.6}, {:.6}: closed by a geodesic, as the comparison closes it, and the compromise traced equidistant from it where the other claim faces the gap",
                bridge.line, bridge.length_m, bridge.from.0, bridge.from.1, bridge.to.0, bridge.to.1
            ),
        });
        gaps.push(bridge.clone());
    }
    Ok(CompromiseMedian {
        pieces: lines,
        stretches,
        rings: Vec::new(),
        regions,
        fallbacks,
        spurs: Vec::new(),
        loose,
        unaccounted,
        gaps,
        // (Lengths summed in another order: a share above 1 by rounding,
        // at most 1e-9, or below it by under 1e-12, is 1.)
        coverage: [0, 1].map(|k| {
            let share = covered[k] / total[k].max(f64::MIN_POSITIVE);
            if share > 1.0 - 1e-12 && share < 1.0 + 1e-9 {
                1.0
            } else {
                share
            }
        }),
    })
}

/// Whether an edge of `ring` (of some length) lies on `side`: its
/// geodesic midpoint within 1 µm of it.
fn edge_on(tr: &Tracer, ring: &[(f64, f64)], side: &Side) -> Result<bool, DelimitationError> {
    for w in ring.windows(2) {
        if w[0] != w[1]
            && side
                .nearest(tr.frame, chain::midpoint(tr, w[0], w[1]))?
                .distance
                < 1e-6
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `stretches` with their traced runs (equidistant, local) split where
/// the line is traced from a bridge across a gap in a claim: a segment
/// with an end whose base point lies on a bridge (`on_bridge`) is
/// `Bridged`.
fn mark_bridged(stretches: &[Stretch], on_bridge: &[bool]) -> Vec<Stretch> {
    let mut out: Vec<Stretch> = Vec::with_capacity(stretches.len());
    for s in stretches {
        if !matches!(
            s.construction,
            Construction::Equidistant | Construction::Local
        ) {
            out.push(s.clone());
            continue;
        }
        for i in s.first..s.last {
            let how = if on_bridge[i] || on_bridge[i + 1] {
                Construction::Bridged
            } else {
                s.construction
            };
            match out.last_mut() {
                Some(last) if last.construction == how && last.last == i && i > s.first => {
                    last.last = i + 1
                }
                _ => out.push(Stretch {
                    first: i,
                    last: i + 1,
                    construction: how,
                }),
            }
        }
    }
    out
}

/// What the compromise accounts for of each claim (`sides`: the claims'
/// own pieces, without bridges): every edge of the claim on the boundary
/// of a region with a median, and the claim's segments the line runs
/// along (common and one-claim stretches) that bound none — each as the
/// interval of the claim's piece it covers, by length along the piece,
/// so that edges splitting the claim at different points (two regions'
/// rings, a region and the line, an edge over a vertex) count once.
fn covered(
    tr: &Tracer,
    sides: [&Side; 2],
    accounted: &[Vec<(f64, f64)>],
    lines: &[chain::Building],
) -> Result<Coverage, DelimitationError> {
    let mut cover = Coverage::new(tr, sides);
    let mut add = |p: (f64, f64), q: (f64, f64)| -> Result<(), DelimitationError> {
        let mid = chain::midpoint(tr, p, q);
        for (k, side) in sides.iter().enumerate() {
            let b = side.nearest(tr.frame, mid)?;
            if b.distance < 1e-6 {
                cover.add(tr, k, b.feature, p, q);
            }
        }
        Ok(())
    };
    let key = |p: (f64, f64), q: (f64, f64)| {
        let (u, v) = (
            [p.0.to_bits(), p.1.to_bits()],
            [q.0.to_bits(), q.1.to_bits()],
        );
        if u <= v {
            [u, v]
        } else {
            [v, u]
        }
    };
    let mut seen = std::collections::HashSet::new();
    for ring in accounted {
        for w in ring.windows(2) {
            if w[0] != w[1] && seen.insert(key(w[0], w[1])) {
                add(w[0], w[1])?;
            }
        }
    }
    let regions = if accounted.is_empty() {
        None
    } else {
        Some(Side::new("regions", accounted.to_vec(), tr.frame)?)
    };
    for line in lines {
        for st in &line.stretches {
            if !matches!(
                st.construction,
                Construction::Common | Construction::OneClaim
            ) {
                continue;
            }
            for w in line.vertices[st.first..=st.last].windows(2) {
                let (p, q) = ((w[0].lat, w[0].lon), (w[1].lat, w[1].lon));
                if p == q {
                    continue;
                }
                let bounds = match &regions {
                    Some(r) => r.nearest(tr.frame, chain::midpoint(tr, p, q))?.distance < 1e-6,
                    None => false,
                };
                if !bounds && seen.insert(key(p, q)) {
                    add(p, q)?;
                }
            }
        }
    }
    Ok(cover)
}

/// A run of a claim that nothing accounts for ((lat, lon) vertices), and
/// whether it is a whole piece of the claim (a loose piece).
pub(super) type Gap = (Vec<(f64, f64)>, bool);

/// What the compromise accounts for of each claim: per piece, its
/// vertices' distances along it and the intervals covered.
struct Coverage {
    /// Per claim, per piece: the distance along it of each vertex.
    along: [Vec<Vec<f64>>; 2],
    /// Per claim, per piece: the intervals covered, metres along it.
    spans: [Vec<Vec<(f64, f64)>>; 2],
    /// The pieces' vertices.
    parts: [Vec<Vec<(f64, f64)>>; 2],
}

impl Coverage {
    fn new(tr: &Tracer, sides: [&Side; 2]) -> Coverage {
        let parts = sides.map(|s| s.parts().to_vec());
        let along = [0, 1].map(|k| {
            parts[k]
                .iter()
                .map(|p| {
                    let mut d = Vec::with_capacity(p.len());
                    let mut t = 0.0;
                    for (i, &v) in p.iter().enumerate() {
                        if i > 0 {
                            t += tr.dist(p[i - 1], v);
                        }
                        d.push(t);
                    }
                    d
                })
                .collect()
        });
        let spans = [0, 1].map(|k| vec![Vec::new(); parts[k].len()]);
        Coverage {
            along,
            spans,
            parts,
        }
    }

    /// Where `p` lies along piece `part` of claim `k`, metres, searching
    /// the segments from `near` outwards (an edge on the claim spans few
    /// of them): on a segment when its distances to the segment's ends
    /// add up to the segment's length (a point on the geodesic).
    fn locate(
        &self,
        tr: &Tracer,
        k: usize,
        part: usize,
        near: usize,
        p: (f64, f64),
    ) -> Option<f64> {
        let (v, d) = (&self.parts[k][part], &self.along[k][part]);
        let n = v.len().saturating_sub(1);
        for off in 0..=n {
            for j in [near.checked_add(off), near.checked_sub(off)]
                .into_iter()
                .flatten()
            {
                if j >= n || (off == 0 && j != near) {
                    continue;
                }
                let (a, b) = (tr.dist(v[j], p), tr.dist(p, v[j + 1]));
                if a + b - (d[j + 1] - d[j]) < 1e-6 {
                    return Some(d[j] + a.min(d[j + 1] - d[j]));
                }
            }
            if off > 64 {
                break;
            }
        }
        None
    }

    /// Count the edge `p`–`q` of claim `k`, whose midpoint lies on `at`.
    fn add(&mut self, tr: &Tracer, k: usize, at: Feature, p: (f64, f64), q: (f64, f64)) {
        let (part, near) = match at {
            Feature::Vertex { part, vertex } => {
                (part as usize, (vertex as usize).saturating_sub(1))
            }
            Feature::Segment { part, segment } => (part as usize, segment as usize),
        };
        if let (Some(s), Some(t)) = (
            self.locate(tr, k, part, near, p),
            self.locate(tr, k, part, near, q),
        ) {
            self.spans[k][part].push((s.min(t), s.max(t)));
        }
    }

    /// Each claim's length accounted for, metres.
    fn lengths(&self) -> [f64; 2] {
        [0, 1].map(|k| {
            self.spans[k]
                .iter()
                .flat_map(|list| union(list))
                .map(|(from, to)| to - from)
                .sum()
        })
    }

    /// The runs of claim `k` that nothing accounts for (gaps under 1 mm
    /// ignored), each as (lat, lon) vertices, with whether it is its
    /// whole piece.
    fn gaps(&self, tr: &Tracer, k: usize) -> Vec<Gap> {
        const EPS: f64 = 1e-3;
        let mut out = Vec::new();
        for (pi, v) in self.parts[k].iter().enumerate() {
            let d = &self.along[k][pi];
            let Some(&total) = d.last() else { continue };
            // The point `t` metres along the piece.
            let point = |t: f64| -> (f64, f64) {
                let j = d.partition_point(|&x| x <= t).clamp(1, v.len().max(2) - 1) - 1;
                let into = t - d[j];
                if into <= 0.0 || j + 1 >= v.len() {
                    return v[j];
                }
                let (_, az, _, _): (f64, f64, f64, f64) =
                    tr.geod.inverse(v[j].0, v[j].1, v[j + 1].0, v[j + 1].1);
                tr.geod.direct(v[j].0, v[j].1, az, into)
            };
            let mut t = 0.0;
            let covered = union(&self.spans[k][pi]);
            let mut runs = Vec::new();
            for (from, to) in covered.into_iter().chain([(total, total)]) {
                if from - t > EPS {
                    // The run: its ends and the piece's vertices between.
                    let mut run = vec![point(t)];
                    run.extend(
                        v.iter()
                            .zip(d)
                            .filter(|(_, &x)| x > t + EPS && x < from - EPS)
                            .map(|(p, _)| *p),
                    );
                    run.push(point(from.min(total)));
                    runs.push(run);
                }
                t = t.max(to);
            }
            let whole = runs.len() == 1 && self.spans[k][pi].is_empty();
            out.extend(runs.into_iter().map(|r| (r, whole)));
        }
        out
    }
}

/// A list of intervals as their union, in order.
fn union(list: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut sorted = list.to_vec();
    sorted.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (from, to) in sorted {
        match out.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => out.push((from, to)),
        }
    }
    out
}

/// Where a base point lies along its side: (part, segment or vertex,
/// metres from that feature's first vertex) — orders points along a side.
fn position_along(tr: &Tracer, side: &Side, b: &BasePoint) -> (u32, u32, f64) {
    let (part, k) = match b.feature {
        Feature::Vertex { part, vertex } => (part, vertex),
        Feature::Segment { part, segment } => (part, segment),
    };
    let v0 = side.parts()[part as usize][k as usize];
    (part, k, tr.dist(v0, (b.lat, b.lon)))
}

/// Where a polyline ((lat, lon)) crosses or overlaps itself, if it does:
/// the comparison's own check (`SegmentIndex::self_contacts`, exact
/// predicates), so that no line the compromise writes is one the
/// comparison of its gains would refuse.
fn crossing(frame: &Frame, ll: &[(f64, f64)]) -> Result<Option<(f64, f64)>, DelimitationError> {
    let xy = frame.xys(ll)?;
    let index = SegmentIndex::from_pieces(&[(ll.to_vec(), xy)]);
    Ok(index.self_contacts().err().map(|c| frame.latlon(c.2)))
}

/// Geodesic length of pieces, metres.
fn length_of(tr: &Tracer, pieces: &[Vec<(f64, f64)>]) -> f64 {
    pieces
        .iter()
        .flat_map(|p| p.windows(2))
        .map(|w| tr.dist(w[0], w[1]))
        .sum()
}

/// The median through one region between the lines, `ring` its boundary
/// (unclosed, (lat, lon)).
fn region_median(
    tr: &Tracer,
    ring: &[(f64, f64)],
    options: &MedianOptions,
) -> Result<RegionOutcome, DelimitationError> {
    let (frame, geod, sa, sb) = (tr.frame, tr.geod, tr.a, tr.b);
    let (wa, wb) = options.weights;
    let n = ring.len();
    if n < 3 {
        return Ok(RegionOutcome::Sliver);
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
    let xy = frame.xys(ring)?;
    if ts.len() == 4 {
        // Two equidistance lines, each joining two transitions next to
        // each other on the ring: one pairing or the other, whichever
        // traces whole, inside the region and without the two crossing.
        for pairing in [[(0, 1), (2, 3)], [(1, 2), (3, 0)]] {
            let trace_pair = |(i, j): (usize, usize)| {
                attempt(tr, ring, &xy, (&ts[i], &ts[j]), options)
                    .ok()
                    .filter(|line| fits(frame, &xy, line).is_ok())
            };
            let (Some(l1), Some(l2)) = (trace_pair(pairing[0]), trace_pair(pairing[1])) else {
                continue;
            };
            let pieces = [
                (l1.coords(), frame.xys(&l1.coords())?),
                (l2.coords(), frame.xys(&l2.coords())?),
            ];
            if SegmentIndex::from_pieces(&pieces).self_contacts().is_ok() {
                return Ok(RegionOutcome::Pair(l1, l2));
            }
        }
    }
    let why = if ts.len() != 2 {
        format!(
            "its boundary passes between the lines {} times (a simple region has 2)",
            ts.len()
        )
    } else {
        let whole = attempt(tr, ring, &xy, (&ts[0], &ts[1]), options)
            .map_err(|e| e.to_string())
            .and_then(|line| fits(frame, &xy, &line).map(|()| line));
        match whole {
            Ok(line) => return Ok(RegionOutcome::Piece(line, Construction::Equidistant, None)),
            Err(why) => {
                // Other stretches of the claims may come closer than the
                // ones bounding the region: trace between the bounding
                // stretches alone, and say so.
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
                let traced = attempt(&local, ring, &xy, (&ts[0], &ts[1]), options)
                    .map_err(|e| e.to_string())
                    .and_then(|line| fits(frame, &xy, &line).map(|()| line));
                if let Ok(mut line) = traced {
                    // Base points named by the whole claims' features.
                    for v in &mut line.vertices {
                        for b in v.base_a.iter_mut() {
                            b.feature = sa.nearest(frame, (b.lat, b.lon))?.feature;
                        }
                        for b in v.base_b.iter_mut() {
                            b.feature = sb.nearest(frame, (b.lat, b.lon))?.feature;
                        }
                    }
                    return Ok(RegionOutcome::Piece(line, Construction::Local, Some(why)));
                }
                why
            }
        }
    };
    // The fallback: the median of the two bounding stretches by arc
    // length, between the transitions first and last along line A.
    if ts.len() < 2 {
        return Ok(RegionOutcome::Unresolved(why));
    }
    let along = |t: &T| -> Result<(u32, u32, f64), DelimitationError> {
        let at = match *t {
            T::Contact(i) | T::Edge(i) => ring[i],
        };
        Ok(position_along(tr, sa, &sa.nearest(frame, at)?))
    };
    let mut keyed = Vec::with_capacity(ts.len());
    for (k, t) in ts.iter().enumerate() {
        keyed.push((along(t)?, k));
    }
    keyed.sort_by(|x, y| x.0.partial_cmp(&y.0).unwrap_or(std::cmp::Ordering::Equal));
    let (k0, k1) = (keyed[0].1, keyed[keyed.len() - 1].1);
    let (t0, t1) = if k0 < k1 {
        (&ts[k0], &ts[k1])
    } else {
        (&ts[k1], &ts[k0])
    };
    let (run_a, mut run_b) = runs(tr, ring, &sign, (t0, t1))?;
    // Both stretches the same way: run_b comes back along the ring.
    run_b.reverse();
    let piece = |points: Vec<(f64, f64)>| -> Result<MedianLine, DelimitationError> {
        let mut vertices = Vec::with_capacity(points.len());
        for p in points {
            vertices.push(MedianVertex {
                lat: p.0,
                lon: p.1,
                kind: VertexKind::Turning,
                base_a: vec![sa.nearest(frame, p)?],
                base_b: vec![sb.nearest(frame, p)?],
            });
        }
        Ok(MedianLine::new(geod, vertices, 0))
    };
    // (A fallback's segments are checked against the region's boundary
    // too: its vertices can lie inside while a segment leaves.)
    let fits_whole = |line: &MedianLine| -> Result<(), String> {
        fits(frame, &xy, line)?;
        let coords = frame.xys(&line.coords()).map_err(|e| e.to_string())?;
        let (_, repair) = inside::keep_inside(&xy, &coords);
        if repair == inside::Repair::default() {
            Ok(())
        } else {
            Err(format!(
                "what was traced leaves the region between its vertices ({} time(s)) or loops ({} time(s))",
                repair.excursions, repair.loops
            ))
        }
    };
    let line = piece(arc_length_median(geod, &run_a, &run_b))?;
    let Err(arc) = fits_whole(&line) else {
        return Ok(RegionOutcome::Piece(
            line,
            Construction::ArcLength,
            Some(why),
        ));
    };
    // Stretches of very different shape pair far-apart points by arc
    // length: match them by nearness instead, and keep that median if it
    // is a simple line inside the region.
    let matched = piece(matched_median(frame, geod, &run_a, &run_b)?)?;
    let Err(near) = fits_whole(&matched) else {
        return Ok(RegionOutcome::Piece(
            matched,
            Construction::Matched,
            Some(format!("{why}; the arc-length median fails too: {arc}")),
        ));
    };
    // Neither is: the matched median kept inside the region (along its
    // boundary where it would leave it) and its loops cut.
    let (kept, repair) = inside::keep_inside(&xy, &frame.xys(&matched.coords())?);
    // (Where it follows the boundary, the claims' own vertices, exactly:
    // taken back through the plane they could land a rounding off the
    // claim, and the comparison of a claim with the compromise would see
    // the two lines part there.)
    let exact: std::collections::HashMap<[u64; 2], (f64, f64)> = xy
        .iter()
        .zip(ring)
        .map(|(p, &ll)| ([p[0].to_bits(), p[1].to_bits()], ll))
        .collect();
    let repaired = piece(
        kept.into_iter()
            .map(|p| {
                exact
                    .get(&[p[0].to_bits(), p[1].to_bits()])
                    .copied()
                    .unwrap_or_else(|| frame.latlon(p))
            })
            .collect(),
    )?;
    Ok(RegionOutcome::Piece(
        repaired,
        Construction::Matched,
        Some(format!(
            "{why}; the arc-length median fails too: {arc}; so does the median of matched points ({near}): it is kept inside the region, along the region's boundary (a claim) at {} place(s) where it would leave it, and {} loop(s) cut",
            repair.excursions, repair.loops
        )),
    ))
}

/// The median of two polylines running the same way by a monotone
/// matching of points along them (every ~1/200 of the shorter's length,
/// geodesic), chosen by dynamic time warping to least total squared
/// distance (in the local plane, as a ranking only), each matched pair
/// replaced by its geodesic midpoint.
fn matched_median(
    frame: &Frame,
    geod: &Geodesic,
    a: &[(f64, f64)],
    b: &[(f64, f64)],
) -> Result<Vec<(f64, f64)>, DelimitationError> {
    let sample = |l: &[(f64, f64)], step: f64| -> Vec<(f64, f64)> {
        let mut out = vec![l[0]];
        for w in l.windows(2) {
            let (len, az, _, _): (f64, f64, f64, f64) =
                geod.inverse(w[0].0, w[0].1, w[1].0, w[1].1);
            let n = ((len / step).ceil() as usize).max(1);
            for k in 1..n {
                out.push(geod.direct(w[0].0, w[0].1, az, len * k as f64 / n as f64));
            }
            out.push(w[1]);
        }
        out
    };
    let length = |l: &[(f64, f64)]| -> f64 {
        l.windows(2)
            .map(|w| -> f64 { geod.inverse(w[0].0, w[0].1, w[1].0, w[1].1) })
            .sum()
    };
    let step = (length(a).min(length(b)) / 200.0).max(1.0);
    let (pa, pb) = (sample(a, step), sample(b, step));
    // Keep the table small: at most ~1,000 points a side.
    let thin = |p: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        let k = p.len().div_ceil(1000).max(1);
        let last = p[p.len() - 1];
        let mut q: Vec<(f64, f64)> = p.into_iter().step_by(k).collect();
        if q.last() != Some(&last) {
            q.push(last);
        }
        q
    };
    let (pa, pb) = (thin(pa), thin(pb));
    let (xa, xb) = (frame.xys(&pa)?, frame.xys(&pb)?);
    let (n, m) = (xa.len(), xb.len());
    let d2 = |i: usize, j: usize| {
        let (dx, dy) = (xa[i][0] - xb[j][0], xa[i][1] - xb[j][1]);
        dx * dx + dy * dy
    };
    let mut cost = vec![f64::INFINITY; n * m];
    for i in 0..n {
        for j in 0..m {
            let best = if i == 0 && j == 0 {
                0.0
            } else {
                let mut b = f64::INFINITY;
                if i > 0 {
                    b = b.min(cost[(i - 1) * m + j]);
                }
                if j > 0 {
                    b = b.min(cost[i * m + j - 1]);
                }
                if i > 0 && j > 0 {
                    b = b.min(cost[(i - 1) * m + j - 1]);
                }
                b
            };
            cost[i * m + j] = best + d2(i, j);
        }
    }
    // Back from the end.
    let (mut i, mut j) = (n - 1, m - 1);
    let mut pairs = vec![(i, j)];
    while i > 0 || j > 0 {
        let mut next = (i, j);
        let mut best = f64::INFINITY;
        for (di, dj) in [(1, 1), (1, 0), (0, 1)] {
            if i >= di && j >= dj {
                let c = cost[(i - di) * m + (j - dj)];
                if c < best {
                    best = c;
                    next = (i - di, j - dj);
                }
            }
        }
        (i, j) = next;
        pairs.push((i, j));
    }
    pairs.reverse();
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pairs.len());
    for (i, j) in pairs {
        let (p, q) = (pa[i], pb[j]);
        let mid = if p == q {
            p
        } else {
            let (len, az, _, _): (f64, f64, f64, f64) = geod.inverse(p.0, p.1, q.0, q.1);
            geod.direct(p.0, p.1, az, 0.5 * len)
        };
        if out.last() != Some(&mid) {
            out.push(mid);
        }
    }
    Ok(out)
}

/// Whether a piece traced through a region is one: it must not cross
/// itself, and its vertices off the claims must lie inside the region.
fn fits(frame: &Frame, region: &[Xy], line: &MedianLine) -> Result<(), String> {
    let coords = line.coords();
    if let Some(at) = crossing(frame, &coords).map_err(|e| e.to_string())? {
        return Err(format!(
            "what was traced crosses itself near {:.7}°, {:.7}°",
            at.0, at.1
        ));
    }
    let xy = frame.xys(&coords).map_err(|e| e.to_string())?;
    // (Its ends are on the region's boundary: at contacts, or where it
    // crosses a join or bridge.)
    let inner = line.vertices.len().saturating_sub(1);
    for (v, p) in line.vertices.iter().zip(&xy).take(inner).skip(1) {
        let off = |b: &[BasePoint]| b.first().is_none_or(|b| b.distance > 1e-3);
        if off(&v.base_a) && off(&v.base_b) && !point_in_ring(*p, region) {
            return Err(format!(
                "what was traced leaves the region near {:.7}°, {:.7}°",
                v.lat, v.lon
            ));
        }
    }
    Ok(())
}

/// The median of two polylines by arc length: at every vertex of either
/// (by its fraction of its line's geodesic length), the geodesic midpoint
/// of the points at that fraction of both. Both lines run the same way.
fn arc_length_median(geod: &Geodesic, a: &[(f64, f64)], b: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let cum = |l: &[(f64, f64)]| -> Vec<f64> {
        let mut c = vec![0.0];
        for w in l.windows(2) {
            let d: f64 = geod.inverse(w[0].0, w[0].1, w[1].0, w[1].1);
            c.push(c[c.len() - 1] + d);
        }
        c
    };
    let (ca, cb) = (cum(a), cum(b));
    let (la, lb) = (ca[ca.len() - 1], cb[cb.len() - 1]);
    let mut ts: Vec<f64> = ca
        .iter()
        .map(|c| if la > 0.0 { c / la } else { 0.0 })
        .chain(cb.iter().map(|c| if lb > 0.0 { c / lb } else { 0.0 }))
        .collect();
    ts.push(0.0);
    ts.push(1.0);
    ts.sort_by(f64::total_cmp);
    ts.dedup_by(|x, y| (*x - *y).abs() < 1e-12);
    let at = |l: &[(f64, f64)], c: &[f64], s: f64| -> (f64, f64) {
        let k = c.partition_point(|&x| x < s).clamp(1, l.len() - 1);
        let (p, q) = (l[k - 1], l[k]);
        let (len, az, _, _): (f64, f64, f64, f64) = geod.inverse(p.0, p.1, q.0, q.1);
        geod.direct(p.0, p.1, az, (s - c[k - 1]).clamp(0.0, len))
    };
    ts.into_iter()
        .map(|t| {
            let (p, q) = (at(a, &ca, t * la), at(b, &cb, t * lb));
            if p == q {
                return p;
            }
            let (len, az, _, _): (f64, f64, f64, f64) = geod.inverse(p.0, p.1, q.0, q.1);
            geod.direct(p.0, p.1, az, 0.5 * len)
        })
        .collect()
}

/// The rings of the two claims: a ring of A and a ring of B that overlap
/// are one enclave drawn twice (their arc-length median is the
/// compromise); a ring without a partner is carried as it is.
fn ring_compromises(
    frame: &Frame,
    (na, ra): (&str, &[Vec<(f64, f64)>]),
    (nb, rb): (&str, &[Vec<(f64, f64)>]),
) -> Result<Vec<CompromiseRing>, DelimitationError> {
    let geod = frame.gnomonic().geodesic();
    let xa: Vec<Vec<Xy>> = ra.iter().map(|r| frame.xys(r)).collect::<Result<_, _>>()?;
    let xb: Vec<Vec<Xy>> = rb.iter().map(|r| frame.xys(r)).collect::<Result<_, _>>()?;
    // (A vertex of one inside the other, or edges that cross: two
    // versions of a ring may overlap with no vertex inside the other.)
    let overlap = |p: &[Xy], q: &[Xy]| {
        p.iter().any(|&v| point_in_ring(v, q))
            || q.iter().any(|&v| point_in_ring(v, p))
            || p.windows(2)
                .any(|e| q.windows(2).any(|f| edges_cross(e, f)))
    };
    let area = |r: &[(f64, f64)]| {
        terminus_geodesy::measure::ring_area_with(
            geod,
            r.iter().map(|&p| terminus_geodesy::LatLon::from_pair(p)),
        )
        .abs()
    };
    let plain = |r: &[(f64, f64)]| -> Vec<MedianVertex> {
        r.iter()
            .map(|&(lat, lon)| MedianVertex {
                lat,
                lon,
                // Not turning points of an equidistance line: no base
                // points.
                kind: VertexKind::Densified,
                base_a: Vec::new(),
                base_b: Vec::new(),
            })
            .collect()
    };
    let mut used = vec![false; rb.len()];
    let mut out = Vec::new();
    for (i, r) in ra.iter().enumerate() {
        let partner = (0..rb.len()).find(|&j| !used[j] && overlap(&xa[i], &xb[j]));
        match partner {
            Some(j) => {
                used[j] = true;
                // The two rings' equidistance line seldom closes on
                // itself as one piece (their regions' medians are chained
                // along A, which starts anywhere on the ring): the
                // arc-length median, marked.
                let m = ring_median(geod, &xa[i], &xb[j], r, &rb[j]);
                // Versions too unlike for their arc-length median to be a
                // simple ring: each carried as its claim draws it.
                if crossing(frame, &m)?.is_some() {
                    for (name, ring) in [(na, r), (nb, &rb[j])] {
                        out.push(CompromiseRing {
                            area_m2: area(ring),
                            line: MedianLine::new(geod, plain(ring), 0),
                            drawn_by: vec![name.to_string()],
                            construction: None,
                        });
                    }
                    continue;
                }
                let (line, how) = (MedianLine::new(geod, plain(&m), 0), Construction::ArcLength);
                out.push(CompromiseRing {
                    area_m2: area(&line.coords()),
                    line,
                    drawn_by: vec![na.to_string(), nb.to_string()],
                    construction: Some(how),
                });
            }
            None => out.push(CompromiseRing {
                area_m2: area(r),
                line: MedianLine::new(geod, plain(r), 0),
                drawn_by: vec![na.to_string()],
                construction: None,
            }),
        }
    }
    for (j, r) in rb.iter().enumerate() {
        if !used[j] {
            out.push(CompromiseRing {
                area_m2: area(r),
                line: MedianLine::new(geod, plain(r), 0),
                drawn_by: vec![nb.to_string()],
                construction: None,
            });
        }
    }
    Ok(out)
}

/// Whether two plane segments cross (properly: each one's ends strictly
/// on either side of the other's line).
fn edges_cross(e: &[Xy], f: &[Xy]) -> bool {
    let side = |a: Xy, b: Xy, c: Xy| (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    side(e[0], e[1], f[0]) * side(e[0], e[1], f[1]) < 0.0
        && side(f[0], f[1], e[0]) * side(f[0], f[1], e[1]) < 0.0
}

/// The arc-length median of two closed rings: both turned the same way
/// round, B started at its vertex nearest A's first.
fn ring_median(
    geod: &Geodesic,
    xa: &[Xy],
    xb: &[Xy],
    a: &[(f64, f64)],
    b: &[(f64, f64)],
) -> Vec<(f64, f64)> {
    // Twice the signed planar area of a closed ring: its turning sense.
    let signed = |x: &[Xy]| -> f64 {
        x.windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum()
    };
    let same_sense = (signed(xa) > 0.0) == (signed(xb) > 0.0);
    let mut b: Vec<(f64, f64)> = b[..b.len() - 1].to_vec();
    let mut xb: Vec<Xy> = xb[..xb.len() - 1].to_vec();
    if !same_sense {
        b.reverse();
        xb.reverse();
    }
    let d2 = |p: Xy, q: Xy| (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2);
    let k = (0..xb.len())
        .min_by(|&i, &j| d2(xb[i], xa[0]).total_cmp(&d2(xb[j], xa[0])))
        .unwrap_or(0);
    b.rotate_left(k);
    b.push(b[0]);
    let mut m = arc_length_median(geod, a, &b);
    if let Some(&f) = m.first() {
        if let Some(l) = m.last_mut() {
            *l = f;
        }
    }
    m
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
    // A trace longer than the region's perimeter (plus a kilometre), or
    // of more than 25 points per ring vertex (plus 500), is lost: on the
    // 31 real pairs of ../shared/data the 2,996 traces that succeed are at
    // most 0.503 of their region's perimeter long and use at most 0.43 of
    // that point budget. (Ten perimeters and 20 n + 2,000 points, as
    // before, let two lost traces take 0.4 s each in a 1.4 km² region.)
    let perimeter: f64 = (0..n).map(|i| tr.dist(ring[i], ring[(i + 1) % n])).sum();
    let budget = Budget {
        metres: perimeter + 1e3,
        points: 25 * n + 500,
    };
    let (traced, turning) = trace(tr, start, end, end_contact, options.tolerance, budget)?;
    let vertices = select(tr, &traced, turning, options.tolerance)?;
    Ok(MedianLine::new(geod, vertices, traced.len()))
}

/// The vertices of line A strictly between `end` (of one piece) and
/// `start` (of the next; both contacts of the claims, in A's order), if the claims
/// coincide there (every vertex, and the middle of every gap between them,
/// within 1 mm of line B): the median along a common stretch is the common
/// line. `None` where they do not join so.
fn common_stretch(
    tr: &Tracer,
    along_a: &dyn Fn(&MedianVertex) -> (u32, u32, f64),
    end: &MedianVertex,
    start: &MedianVertex,
) -> Result<Option<Vec<MedianVertex>>, DelimitationError> {
    // Two pieces ending and starting at one point (a contact, or where
    // the median crosses a bridge over a gap in one claim, found from
    // either side) meet there.
    if tr.dist((end.lat, end.lon), (start.lat, start.lon)) < 1e-3 {
        return Ok(Some(Vec::new()));
    }
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
