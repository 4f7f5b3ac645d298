//! Discrepancies: the polygons enclosed between two lines, each measured
//! on the ellipsoid and attributed (whose it is by each line, where, what
//! lies inside). Also the driver that runs a whole comparison.

use crate::agreement;
use crate::arrangement::{Arrangement, Path, Role};
use crate::chain::Chain;
use crate::frame::{Frame, Xy};
use crate::index::{IndexedSegment, SegmentIndex};
use crate::prepared::PreparedLine;
use crate::profile::phase;
use crate::sides::{self, PieceSides};
use crate::territory::{self, PlaneTerritory};
use crate::{
    ClaimLine, Closure, CompareError, Comparison, Inputs, LatLon, LineSummary, Options,
    PairComparison, PolygonRings,
};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use terminus_geodesy::measure::{area_from_paths, EdgeTerm, InverseGeodesic};
use terminus_plane::ring::{bbox, in_polygon, point_on_surface};

/// A polygon between two lines.
#[derive(Debug, Clone, Serialize)]
pub struct Discrepancy {
    /// Number within the pair, 1 = largest.
    pub id: usize,
    /// "between" (bounded by both lines), or "<line> only" (enclosed by one
    /// line's own ring or bridges: an enclave or exclave the other lacks).
    pub kind: String,
    /// Outer ring then holes, (lat, lon), closed; the outer ring runs
    /// counter-clockwise.
    pub rings: PolygonRings,
    /// Geodesic area, m².
    pub area_m2: f64,
    /// Widest point: the larger of the two directed widths, metres.
    pub max_width_m: f64,
    /// Greatest distance from line a's stretch to line b's, metres.
    pub width_a_to_b_m: f64,
    /// Greatest distance from line b's stretch to line a's, metres.
    pub width_b_to_a_m: f64,
    /// Where the widest point is, (lat, lon) on the line it belongs to.
    pub widest_at: LatLon,
    /// Length of line a along it, metres.
    pub length_a_m: f64,
    /// Length of line b along it, metres.
    pub length_b_m: f64,
    /// Party (or side) line a gives it to.
    pub party_by_a: String,
    /// Party (or side) line b gives it to.
    pub party_by_b: String,
    /// Whether its widest point exceeds the tolerance.
    pub beyond_tolerance: bool,
    /// Whether both lines give it to the same party (enclosed only with the
    /// help of bridges or joins, or an enclave both lines draw): not a
    /// discrepancy, kept so that the areas between the lines add up.
    pub same_side: bool,
    /// The line that alone draws it (an enclave or exclave the other line
    /// lacks: no stretch of the other bounds it), when one does. Not a
    /// gain of either party: the other line is silent there, so what it
    /// "gives" is only the side of it the area happens to lie on.
    pub drawn_by_one: Option<String>,
    /// The section it lies in.
    pub section: Option<String>,
    /// A point inside it, (lat, lon).
    pub inside_at: LatLon,
    /// Places inside it.
    pub places: Vec<AffectedPlace>,
    /// Roads inside it, with their lengths there.
    pub roads: Vec<RoadInside>,
}

/// A place inside a discrepancy.
#[derive(Debug, Clone, Serialize)]
pub struct AffectedPlace {
    /// Its name.
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Geodesic distance to line a, metres.
    pub distance_to_a_m: f64,
    /// Geodesic distance to line b, metres.
    pub distance_to_b_m: f64,
}

/// A road's length inside a discrepancy.
#[derive(Debug, Clone, Serialize)]
pub struct RoadInside {
    /// The road.
    pub name: String,
    /// Geodesic length inside, metres.
    pub length_m: f64,
}

fn check_options(o: &Options) -> Result<(), CompareError> {
    let ok = |v: f64| (0.0..1e7).contains(&v);
    if let Some(t) = o
        .more_tolerances
        .iter()
        .find(|t| !(t.is_finite() && **t > 0.0 && **t < 1e6))
    {
        return Err(CompareError::BadParameter(format!(
            "each tolerance must be a positive distance under 1,000 km (got {t} m)"
        )));
    }
    if !(o.tolerance_m.is_finite() && o.tolerance_m > 0.0 && o.tolerance_m < 1e6) {
        return Err(CompareError::BadParameter(format!(
            "tolerance must be a positive distance under 1,000 km (got {} m)",
            o.tolerance_m
        )));
    }
    if !ok(o.bridge_m) || !ok(o.join_m) {
        return Err(CompareError::BadParameter(format!(
            "bridge and join distances must be between 0 and 10,000 km (got {} m and {} m)",
            o.bridge_m, o.join_m
        )));
    }
    Ok(())
}

fn check_line(name: &str, pieces: &[Vec<LatLon>]) -> Result<(), CompareError> {
    if pieces.is_empty() {
        return Err(CompareError::BadPiece {
            line: name.into(),
            piece: 0,
            problem: "the line has no pieces (an empty geometry)".into(),
        });
    }
    for (i, p) in pieces.iter().enumerate() {
        for (v, &(lat, lon)) in p.iter().enumerate() {
            if !(lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 540.0) {
                return Err(CompareError::BadPiece {
                    line: name.into(),
                    piece: i,
                    problem: format!("vertex {v} is not a valid position (lat {lat}, lon {lon})"),
                });
            }
        }
        let mut distinct = p.clone();
        distinct.dedup();
        if distinct.len() < 2 {
            return Err(CompareError::BadPiece {
                line: name.into(),
                piece: i,
                problem: format!("has {} distinct vertices; a line needs two", distinct.len()),
            });
        }
    }
    Ok(())
}

pub(crate) fn run(inputs: &Inputs, options: &Options) -> Result<Comparison, CompareError> {
    // Spurs set aside first (said in the warnings), piece numbers in what
    // comes back mapped to the pieces as given.
    let geod = options.ellipsoid.geodesic();
    let mut kept: Vec<Vec<usize>> = Vec::with_capacity(inputs.lines.len());
    let mut notes = Vec::new();
    let mut lines = Vec::with_capacity(inputs.lines.len());
    for l in &inputs.lines {
        let spurs = if options.spur_m > 0.0 {
            crate::spurs::find_spurs(&geod, &l.pieces, options.spur_m)
        } else {
            Vec::new()
        };
        if !spurs.is_empty() {
            notes.push(format!(
                "{}: {} piece(s) set aside as spurs (stubs of other borders at a junction of three or more pieces, free at their other end, under {:.0} m): {}",
                l.name,
                spurs.len(),
                options.spur_m,
                spurs
                    .iter()
                    .map(|s| format!(
                        "piece {} ({:.1} m, at {:.6}°, {:.6}°)",
                        s.piece, s.length_m, s.junction.0, s.junction.1
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        let keep: Vec<usize> = (0..l.pieces.len())
            .filter(|i| !spurs.iter().any(|s| s.piece == *i))
            .collect();
        lines.push(ClaimLine {
            name: l.name.clone(),
            pieces: keep.iter().map(|&i| l.pieces[i].clone()).collect(),
        });
        kept.push(keep);
    }
    if notes.is_empty() {
        return run_clean(inputs, options);
    }
    let at = |line: usize, piece: usize| {
        kept.get(line)
            .and_then(|k| k.get(piece))
            .copied()
            .unwrap_or(piece)
    };
    let by_name = |name: &str| {
        inputs
            .lines
            .iter()
            .position(|l| l.name == name)
            .unwrap_or(usize::MAX)
    };
    let clean = Inputs {
        lines,
        ..inputs.clone()
    };
    let mut c = run_clean(&clean, options).map_err(|e| match e {
        CompareError::SelfCrossing {
            line,
            piece_a,
            segment_a,
            piece_b,
            segment_b,
            lat,
            lon,
        } => {
            let k = by_name(&line);
            CompareError::SelfCrossing {
                piece_a: at(k, piece_a as usize) as u32,
                piece_b: at(k, piece_b as usize) as u32,
                line,
                segment_a,
                segment_b,
                lat,
                lon,
            }
        }
        e => e,
    })?;
    for (k, l) in c.lines.iter_mut().enumerate() {
        for s in &mut l.sides {
            s.piece = at(k, s.piece);
        }
    }
    for p in &mut c.pairs {
        for s in &mut p.agreement {
            s.piece = at(by_name(&s.line), s.piece);
        }
    }
    notes.append(&mut c.warnings);
    c.warnings = notes;
    Ok(c)
}

/// The comparison of lines without spurs.
fn run_clean(inputs: &Inputs, options: &Options) -> Result<Comparison, CompareError> {
    let mut clock = std::time::Instant::now();
    check_options(options)?;
    if inputs.lines.len() < 2 {
        return Err(CompareError::TooFewLines(inputs.lines.len()));
    }
    if let Some(r) = options.reference {
        if r >= inputs.lines.len() {
            return Err(CompareError::BadParameter(format!(
                "reference line {r} does not exist ({} lines)",
                inputs.lines.len()
            )));
        }
    }
    if !(inputs.territories.is_empty() || inputs.territories.len() == 2) {
        return Err(CompareError::BadParameter(format!(
            "give the territories of exactly two parties (got {})",
            inputs.territories.len()
        )));
    }
    for l in &inputs.lines {
        check_line(&l.name, &l.pieces)?;
    }
    let mut warnings = Vec::new();
    let frame = Frame::around(
        options.ellipsoid,
        inputs.lines.iter().flat_map(|l| l.pieces.iter().flatten()),
    )?;
    let radius = frame.radius();
    let g = *frame.gnomonic().geodesic();

    // Project and index every line (the lines in parallel).
    let lines: Vec<PreparedLine> = inputs
        .lines
        .par_iter()
        .map(|l| -> Result<PreparedLine, CompareError> {
            // (Sub-phase timings for TERMINUS_PROFILE.)
            let t0 = std::time::Instant::now();
            let mut pieces = Vec::new();
            for p in &l.pieces {
                let mut ll = p.clone();
                ll.dedup();
                let xy = frame.xys(&ll)?;
                pieces.push((ll, xy));
            }
            let t1 = t0.elapsed().as_secs_f64();
            let index = SegmentIndex::from_pieces(&pieces);
            let t2 = t0.elapsed().as_secs_f64();
            let contacts = index.self_contacts().map_err(|crossing| {
                let (a, b, at) = *crossing;
                let (lat, lon) = frame.latlon(at);
                CompareError::SelfCrossing {
                    line: l.name.clone(),
                    piece_a: a.piece,
                    segment_a: a.index,
                    piece_b: b.piece,
                    segment_b: b.index,
                    lat,
                    lon,
                }
            })?;
            // Per piece, the vertices where the line touches itself.
            let mut touches = vec![Vec::new(); pieces.len()];
            for (piece, vertex) in contacts {
                touches[piece as usize].push(vertex);
            }
            let t3 = t0.elapsed().as_secs_f64();
            let (bridges, free_ends) = bridge(&g, &pieces, options.bridge_m);
            let terms = pieces
                .iter()
                .map(|p: &(Vec<LatLon>, Vec<Xy>)| {
                    p.0.par_windows(2)
                        .map(|w| {
                            EdgeTerm::new(
                                &g,
                                terminus_geodesy::LatLon::from_pair(w[0]),
                                terminus_geodesy::LatLon::from_pair(w[1]),
                            )
                        })
                        .collect()
                })
                .collect();
            if std::env::var_os("TERMINUS_PROFILE").is_some() {
                eprintln!(
                    "  line {}: project {t1:.3} s, index {:.3} s, self-contacts {:.3} s, bridges and edge terms {:.3} s",
                    l.name,
                    t2 - t1,
                    t3 - t2,
                    t0.elapsed().as_secs_f64() - t3
                );
            }
            Ok(PreparedLine {
                name: l.name.clone(),
                pieces,
                index,
                sides: Vec::new(),
                bridges,
                free_ends,
                terms,
                touches,
            })
        })
        .collect::<Result<_, _>>()?;
    let mut lines = lines;
    phase("project, index, bridge", &mut clock);
    let territories: Vec<PlaneTerritory> = inputs
        .territories
        .iter()
        .map(|t| PlaneTerritory::new(&frame, t))
        .collect::<Result<_, _>>()?;

    // Sides of every piece.
    let reference = options.reference.unwrap_or(0);
    let ref_name = lines[reference].name.clone();
    for li in 0..lines.len() {
        let xy: Vec<Vec<Xy>> = lines[li].pieces.iter().map(|p| p.1.clone()).collect();
        let by_territory = if territories.len() == 2 {
            sides::from_territories(&xy, &territories)
        } else {
            vec![None; xy.len()]
        };
        let mut s = Vec::new();
        for (pi, decided) in by_territory.into_iter().enumerate() {
            let sides = match decided {
                Some((l, r)) => PieceSides {
                    piece: pi,
                    left: territories[l].party.clone(),
                    right: territories[r].party.clone(),
                    decided_by: "territories".into(),
                },
                None if li == reference => PieceSides {
                    piece: pi,
                    left: format!("left of {ref_name}"),
                    right: format!("right of {ref_name}"),
                    decided_by: "as digitised".into(),
                },
                None => {
                    let (aligned, rp) =
                        sides::alignment(&xy[pi], &lines[reference].index).unwrap_or((true, 0));
                    let r = side_or_default(&lines[reference].sides, rp as usize, &ref_name);
                    let (left, right) = if aligned { (r.0, r.1) } else { (r.1, r.0) };
                    PieceSides {
                        piece: pi,
                        left,
                        right,
                        decided_by: format!("aligned with {ref_name}"),
                    }
                }
            };
            if territories.len() == 2 && sides.decided_by != "territories" {
                warnings.push(format!(
                    "line \"{}\", piece {pi}: no sample either side of it fell in one territory and the other; its sides were {}",
                    lines[li].name, sides.decided_by
                ));
            }
            s.push(sides);
        }
        lines[li].sides = s;
    }
    for t in &territories {
        let used = lines
            .iter()
            .flat_map(|l| &l.sides)
            .any(|s| s.decided_by == "territories" && (s.left == t.party || s.right == t.party));
        if !used {
            warnings.push(format!(
                "the territory of {} lies along none of the lines (no sample beside any line fell in it alone): it decided no side; check that it is the right file and party",
                t.party
            ));
        }
    }
    if reference != 0 {
        // Pieces aligned before the reference was settled: redo them.
        let ref_sides = lines[reference].sides.clone();
        for li in 0..lines.len() {
            if li == reference {
                continue;
            }
            for pi in 0..lines[li].sides.len() {
                if lines[li].sides[pi].decided_by.starts_with("aligned") {
                    let (aligned, rp) =
                        sides::alignment(&lines[li].pieces[pi].1, &lines[reference].index)
                            .unwrap_or((true, 0));
                    let r = side_or_default(&ref_sides, rp as usize, &ref_name);
                    let (left, right) = if aligned { (r.0, r.1) } else { (r.1, r.0) };
                    lines[li].sides[pi].left = left;
                    lines[li].sides[pi].right = right;
                }
            }
        }
    }

    phase("sides", &mut clock);
    let summaries: Vec<LineSummary> = lines
        .iter()
        .map(|l| LineSummary {
            name: l.name.clone(),
            length_m: l.terms.iter().flatten().map(|t| t.length).sum::<f64>() + 0.0,
            pieces: l.pieces.len(),
            vertices: l.pieces.iter().map(|p| p.0.len()).sum(),
            sides: l.sides.clone(),
        })
        .collect();

    phase("line lengths", &mut clock);
    let pairs: Vec<(usize, usize)> = match options.reference {
        Some(r) => (0..lines.len())
            .filter(|&i| i != r)
            .map(|i| (r, i))
            .collect(),
        None => (0..lines.len())
            .flat_map(|i| (i + 1..lines.len()).map(move |j| (i, j)))
            .collect(),
    };
    let mut results = Vec::new();
    for (i, j) in pairs {
        results.push(compare_pair(
            &frame,
            radius,
            &lines[i],
            &lines[j],
            &summaries[i],
            &summaries[j],
            inputs,
            options,
            &mut warnings,
        )?);
    }

    phase("pairs", &mut clock);
    let (overlaps, gaps, territory) = if territories.len() == 2 {
        let t = territory::compare(&frame, &inputs.territories, &inputs.places)?;
        (t.overlaps.clone(), t.gaps.clone(), Some(t))
    } else {
        (Vec::new(), Vec::new(), None)
    };

    Ok(Comparison {
        tolerance_m: options.tolerance_m,
        lines: summaries,
        pairs: results,
        overlaps,
        gaps,
        territory,
        warnings,
        line_geometry: lines
            .iter()
            .map(|l| {
                (
                    l.name.clone(),
                    l.pieces.iter().map(|p| p.0.clone()).collect(),
                )
            })
            .collect(),
    })
}

fn side_or_default(sides: &[PieceSides], piece: usize, ref_name: &str) -> (String, String) {
    sides
        .get(piece)
        .map(|s| (s.left.clone(), s.right.clone()))
        .unwrap_or_else(|| {
            (
                format!("left of {ref_name}"),
                format!("right of {ref_name}"),
            )
        })
}

type BridgeList = Vec<(LatLon, Xy, LatLon, Xy)>;

/// Bridge the gaps between pieces of one line (`gaps::gap_bridges`):
/// the bridges, and the free ends left.
fn bridge(
    g: &geographiclib_rs::Geodesic,
    pieces: &[(Vec<LatLon>, Vec<Xy>)],
    max_m: f64,
) -> (BridgeList, Vec<(LatLon, Xy)>) {
    let ll: Vec<Vec<LatLon>> = pieces.iter().map(|p| p.0.clone()).collect();
    let (bridges, free) = crate::gaps::gap_bridges(g, &ll, max_m);
    let at = |(i, last): crate::gaps::PieceEnd| -> (LatLon, Xy) {
        let (ll, xy) = &pieces[i];
        if last {
            (ll[ll.len() - 1], xy[xy.len() - 1])
        } else {
            (ll[0], xy[0])
        }
    };
    let list = bridges
        .iter()
        .map(|b| {
            let (p, pxy) = at(b.from);
            let (q, qxy) = at(b.to);
            (p, pxy, q, qxy)
        })
        .collect();
    (list, free.into_iter().map(at).collect())
}

#[allow(clippy::too_many_arguments)]
fn compare_pair(
    frame: &Frame,
    radius: f64,
    a: &PreparedLine,
    b: &PreparedLine,
    sa: &LineSummary,
    sb: &LineSummary,
    inputs: &Inputs,
    options: &Options,
    warnings: &mut Vec<String>,
) -> Result<PairComparison, CompareError> {
    let g = frame.gnomonic().geodesic();
    let tol = options.tolerance_m;

    // Do they have anything to do with each other?
    let reach = options.join_m.max(tol);
    let close = a.pieces.par_iter().any(|p| {
        p.1.par_iter()
            .any(|&q| b.index.bounds(radius, q).0 <= reach)
    });
    if !close {
        let near = a
            .pieces
            .par_iter()
            .flat_map(|p| p.1.par_iter().map(|&q| b.index.bounds(radius, q).0))
            .reduce(|| f64::INFINITY, f64::min);
        return Err(CompareError::Disjoint {
            a: a.name.clone(),
            b: b.name.clone(),
            distance_m: reach,
            nearest_m: near,
        });
    }

    // Joins: mutually nearest free ends of the two lines.
    let mut joins = Vec::new();
    let mut join_ends: Vec<([LatLon; 2], [Xy; 2])> = Vec::new();
    for &(ll_a, xy_a) in &a.free_ends {
        let nearest = |from: LatLon, set: &[(LatLon, Xy)]| {
            set.iter()
                .map(|&(ll, xy)| (g.inverse(from.0, from.1, ll.0, ll.1), ll, xy))
                .min_by(|x: &(f64, LatLon, Xy), y| x.0.total_cmp(&y.0))
        };
        let Some((d, ll_b, xy_b)) = nearest(ll_a, &b.free_ends) else {
            continue;
        };
        let back = nearest(ll_b, &a.free_ends).map(|x| x.1);
        if d <= options.join_m && back == Some(ll_a) {
            if d > 0.0 {
                join_ends.push(([ll_a, ll_b], [xy_a, xy_b]));
            }
            joins.push(Closure {
                line: format!("{}–{}", a.name, b.name),
                from: ll_a,
                to: ll_b,
                length_m: d,
            });
        }
    }
    let mut bridges = Vec::new();
    let bridge_ends: Vec<Vec<([LatLon; 2], [Xy; 2])>> = [a, b]
        .iter()
        .map(|line| {
            line.bridges
                .iter()
                .map(|&(l0, x0, l1, x1)| ([l0, l1], [x0, x1]))
                .collect()
        })
        .collect();
    let mut paths: Vec<Path> = Vec::new();
    for (li, line) in [a, b].into_iter().enumerate() {
        for (pi, (ll, xy)) in line.pieces.iter().enumerate() {
            paths.push(Path {
                ll,
                xy,
                terms: &line.terms[pi],
                role: Role::Line {
                    line: li as u8,
                    piece: pi as u32,
                    forward: true,
                },
                touches: &line.touches[pi],
            });
        }
        for (ll, xy) in &bridge_ends[li] {
            paths.push(Path {
                ll,
                xy,
                terms: &[],
                role: Role::Bridge { line: li as u8 },
                touches: &[],
            });
            bridges.push(Closure {
                line: line.name.clone(),
                from: ll[0],
                to: ll[1],
                length_m: g.inverse(ll[0].0, ll[0].1, ll[1].0, ll[1].1),
            });
        }
    }
    for (ll, xy) in &join_ends {
        paths.push(Path {
            ll,
            xy,
            terms: &[],
            role: Role::Join,
            touches: &[],
        });
    }
    let mut clock = std::time::Instant::now();
    let arr = Arrangement::build(frame, &paths)?;
    phase("  arrangement", &mut clock);

    // Measure every face.
    let ctx = FaceContext {
        frame,
        radius,
        arr: &arr,
        a,
        b,
        inputs,
        tol,
        exact_widths: options.exact_widths,
    };
    let mut faces: Vec<Discrepancy> = (0..arr.faces.len())
        .into_par_iter()
        .map(|f| ctx.measure(f))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    phase("  faces", &mut clock);
    let same: Vec<&Discrepancy> = faces
        .iter()
        .filter(|d| d.party_by_a == d.party_by_b)
        .collect();
    if !same.is_empty() {
        warnings.push(format!(
            "{} vs {}: {} enclosed area(s) totalling {:.0} m² are given to the same side by both lines (closed by bridges or joins, or an enclave both draw); kept apart from the discrepancies: {}",
            a.name,
            b.name,
            same.len(),
            same.iter().map(|d| d.area_m2).sum::<f64>(),
            same.iter()
                .map(|d| format!("{:.0} m² at {:.4}°N {:.4}°E ({})", d.area_m2, d.inside_at.0, d.inside_at.1, d.party_by_a))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    for d in &mut faces {
        d.same_side = d.party_by_a == d.party_by_b;
        // Neither a same-side area nor one drawn by one line alone is a
        // discrepancy, nor anyone's gain.
        d.beyond_tolerance &= !d.same_side && d.drawn_by_one.is_none();
    }
    // Discrepancies first (largest first), then those within tolerance,
    // then areas drawn by one line only, then same-side areas.
    faces.sort_by(|x, y| {
        x.same_side
            .cmp(&y.same_side)
            .then(x.drawn_by_one.is_some().cmp(&y.drawn_by_one.is_some()))
            .then(y.beyond_tolerance.cmp(&x.beyond_tolerance))
            .then(y.area_m2.total_cmp(&x.area_m2))
    });
    for (i, d) in faces.iter_mut().enumerate() {
        d.id = i + 1;
    }

    // Agreement both ways (unless the caller does without).
    let ((mut agreement, agreed_a), (agreement_b, agreed_b)) = if options.agreement {
        rayon::join(
            || agreement::stretches(frame, radius, a, &b.name, &b.index, tol),
            || agreement::stretches(frame, radius, b, &a.name, &a.index, tol),
        )
    } else {
        ((Vec::new(), f64::NAN), (Vec::new(), f64::NAN))
    };
    agreement.extend(agreement_b);
    // The agreement at the further tolerances: the stretches again, the
    // same polygons counted against each tolerance.
    let total = sa.length_m + sb.length_m;
    let at = |t: f64, aa: f64, ab: f64| {
        let counted: Vec<&Discrepancy> = faces
            .iter()
            .filter(|d| !d.same_side && d.drawn_by_one.is_none() && d.max_width_m > t)
            .collect();
        crate::AgreementAt {
            tolerance_m: t,
            agreed_length_a_m: aa,
            agreed_length_b_m: ab,
            agreed_share: (aa + ab) / total,
            discrepancy_count: counted.len(),
            discrepancy_area_m2: counted.iter().map(|d| d.area_m2).sum::<f64>() + 0.0,
        }
    };
    let mut agreement_at = Vec::new();
    if options.agreement {
        agreement_at.push(at(tol, agreed_a, agreed_b));
    }
    for &t in options.more_tolerances.iter().filter(|_| options.agreement) {
        let ((_, aa), (_, ab)) = rayon::join(
            || agreement::stretches(frame, radius, a, &b.name, &b.index, t),
            || agreement::stretches(frame, radius, b, &a.name, &a.index, t),
        );
        agreement_at.push(at(t, aa, ab));
    }
    phase("  agreement", &mut clock);

    let mut gain: BTreeMap<String, f64> = BTreeMap::new();
    for s in a.sides.iter().chain(&b.sides) {
        gain.entry(s.left.clone()).or_default();
        gain.entry(s.right.clone()).or_default();
    }
    let beyond: Vec<&Discrepancy> = faces.iter().filter(|d| d.beyond_tolerance).collect();
    for d in &beyond {
        *gain.entry(d.party_by_a.clone()).or_default() += d.area_m2;
    }
    let within: Vec<&Discrepancy> = faces
        .iter()
        .filter(|d| !d.beyond_tolerance && !d.same_side && d.drawn_by_one.is_none())
        .collect();
    let one: Vec<&Discrepancy> = faces
        .iter()
        .filter(|d| !d.same_side && d.drawn_by_one.is_some())
        .collect();
    let same: Vec<&Discrepancy> = faces.iter().filter(|d| d.same_side).collect();
    Ok(PairComparison {
        a: a.name.clone(),
        b: b.name.clone(),
        agreed_length_a_m: agreed_a,
        agreed_length_b_m: agreed_b,
        agreed_length_m: (agreed_a + agreed_b) / 2.0,
        agreed_share: (agreed_a + agreed_b) / (sa.length_m + sb.length_m),
        discrepancy_count: beyond.len(),
        // (+ 0.0: an empty float sum is −0.0, which reads oddly in reports.)
        discrepancy_area_m2: beyond.iter().map(|d| d.area_m2).sum::<f64>() + 0.0,
        max_width_m: beyond.iter().map(|d| d.max_width_m).fold(0.0, f64::max),
        gain_m2: gain,
        within_tolerance_count: within.len(),
        within_tolerance_area_m2: within.iter().map(|d| d.area_m2).sum::<f64>() + 0.0,
        one_source_count: one.len(),
        one_source_area_m2: one.iter().map(|d| d.area_m2).sum::<f64>() + 0.0,
        area_between_m2: beyond
            .iter()
            .chain(&within)
            .chain(&one)
            .map(|d| d.area_m2)
            .sum::<f64>()
            + 0.0,
        same_side_count: same.len(),
        same_side_area_m2: same.iter().map(|d| d.area_m2).sum::<f64>() + 0.0,
        agreement_at,
        bridges,
        joins,
        agreement,
        discrepancies: faces,
    })
}

struct FaceContext<'a> {
    frame: &'a Frame,
    radius: f64,
    arr: &'a Arrangement<'a>,
    a: &'a PreparedLine,
    b: &'a PreparedLine,
    inputs: &'a Inputs,
    tol: f64,
    /// Widths sought to the end (else only past the tolerance).
    exact_widths: bool,
}

impl FaceContext<'_> {
    fn measure(&self, f: usize) -> Option<Discrepancy> {
        let t0 = std::time::Instant::now();
        let arr = self.arr;
        let face = &arr.faces[f];
        let g = self.frame.gnomonic().geodesic();
        let rings_h: Vec<&Vec<u32>> = std::iter::once(&face.outer).chain(&face.holes).collect();
        let rings: PolygonRings = rings_h.iter().map(|r| arr.ring_ll(r)).collect();
        let rings_xy: Vec<Vec<Xy>> = rings_h.iter().map(|r| arr.ring_xy(r)).collect();
        // Outer ring counter-clockwise, holes clockwise (faces on the
        // left): the signed sum over all rings is the face's area.
        let area_m2 = rings_h
            .iter()
            .map(|r| area_from_paths(g, r.iter().map(|&h| arr.term(h))))
            .sum::<f64>();

        // Which side of each line the face lies on, from its own edges.
        let mut parts: [Vec<IndexedSegment>; 2] = [Vec::new(), Vec::new()];
        let mut chains: [Vec<Chain>; 2] = [Vec::new(), Vec::new()];
        let mut lengths = [0.0f64; 2];
        // Votes by (piece, face on its left?), weighed by edge length;
        // resolved to party names once.
        let mut votes: [Vec<((u32, bool), f64)>; 2] = [Vec::new(), Vec::new()];
        let lines = [self.a, self.b];
        for ring in &rings_h {
            // Runs of consecutive half-edges of each line, as chains.
            let mut open: [Option<(Vec<Xy>, Vec<LatLon>)>; 2] = [None, None];
            // Where this ring's runs begin in `chains`, and whether its
            // first half-edge is on each line (a run then may wrap round
            // the ring's start).
            let first_run = [chains[0].len(), chains[1].len()];
            let mut from_start = [false; 2];
            for (pos, &h) in ring.iter().enumerate() {
                let e = &arr.edges[(h / 2) as usize];
                for (k, run) in open.iter_mut().enumerate() {
                    let on = e
                        .roles
                        .iter()
                        .any(|r| matches!(*r, Role::Line { line, .. } if line as usize == k));
                    if !on {
                        if let Some((xy, ll)) = run.take() {
                            chains[k].push(Chain::new(xy, ll));
                        }
                    }
                }
                if !e.roles.iter().any(|r| matches!(r, Role::Line { .. })) {
                    continue;
                }
                let points: Vec<(LatLon, Xy)> = arr.walk(h).collect();
                for role in e.roles.iter() {
                    if let Role::Line {
                        line,
                        piece,
                        forward,
                    } = *role
                    {
                        let along = h.is_multiple_of(2) == forward;
                        let v = &mut votes[line as usize];
                        match v.iter_mut().find(|x| x.0 == (piece, along)) {
                            Some(x) => x.1 += e.plane_length,
                            None => v.push(((piece, along), e.plane_length)),
                        }
                        parts[line as usize].extend(points.windows(2).map(|w| IndexedSegment {
                            ll: [w[0].0, w[1].0],
                            xy: [w[0].1, w[1].1],
                            piece,
                            index: 0,
                        }));
                        lengths[line as usize] += e.term.length;
                        from_start[line as usize] |= pos == 0;
                        let run = open[line as usize]
                            .get_or_insert_with(|| (vec![points[0].1], vec![points[0].0]));
                        run.0.extend(points[1..].iter().map(|p| p.1));
                        run.1.extend(points[1..].iter().map(|p| p.0));
                    }
                }
            }
            for (k, run) in open.into_iter().enumerate() {
                let Some((mut xy, mut ll)) = run else {
                    continue;
                };
                if from_start[k] && chains[k].len() > first_run[k] {
                    // The run still open at the end goes on past the ring's
                    // start into its first run: one stretch, whichever
                    // half-edge the walk happened to begin with.
                    let first = &chains[k][first_run[k]];
                    xy.extend_from_slice(&first.xy[1..]);
                    ll.extend_from_slice(&first.ll[1..]);
                    chains[k][first_run[k]] = Chain::new(xy, ll);
                } else {
                    chains[k].push(Chain::new(xy, ll));
                }
            }
        }
        let t1 = t0.elapsed().as_secs_f64();
        let inside = point_on_surface(&rings_xy)?;
        let inside_at = self.frame.latlon(inside);
        let party = |k: usize| -> String {
            let mut by_party: BTreeMap<&str, f64> = BTreeMap::new();
            for &((piece, along), w) in &votes[k] {
                let s = &lines[k].sides[piece as usize];
                *by_party
                    .entry(if along { &s.left } else { &s.right })
                    .or_default() += w;
            }
            if let Some((p, _)) = by_party.iter().max_by(|x, y| x.1.total_cmp(y.1)) {
                return p.to_string();
            }
            // No edge of this line bounds the face: the side of the point inside.
            let line = lines[k];
            match line.index.side(inside) {
                Some((seg, side)) => {
                    let s = &line.sides[seg.piece as usize];
                    if side >= 0 {
                        s.left.clone()
                    } else {
                        s.right.clone()
                    }
                }
                None => "unknown".into(),
            }
        };
        let (party_by_a, party_by_b) = (party(0), party(1));
        let (kind, drawn_by_one) = match (parts[0].is_empty(), parts[1].is_empty()) {
            (false, false) => ("between".to_string(), None),
            (false, true) => (format!("{} only", self.a.name), Some(self.a.name.clone())),
            (true, false) => (format!("{} only", self.b.name), Some(self.b.name.clone())),
            (true, true) => ("closures only".to_string(), None),
        };
        let (length_a_m, length_b_m) = (lengths[0], lengths[1]);

        // Widths: from each line's stretch to the other's (or to the whole
        // other line, when it does not bound the face).
        let t2 = t0.elapsed().as_secs_f64();
        let idx_a = (!parts[0].is_empty()).then(|| SegmentIndex::new(parts[0].clone()));
        let idx_b = (!parts[1].is_empty()).then(|| SegmentIndex::new(parts[1].clone()));
        let to_b = idx_b.as_ref().unwrap_or(&self.b.index);
        let to_a = idx_a.as_ref().unwrap_or(&self.a.index);
        let t3 = t0.elapsed().as_secs_f64();
        let (w_ab, at_ab) = self.width(&chains[0], to_b);
        let (w_ba, at_ba) = self.width(&chains[1], to_a);
        let t4 = t0.elapsed().as_secs_f64();
        if std::env::var_os("TERMINUS_PROFILE").is_some() && t4 > 0.05 {
            eprintln!(
                "    face {f}: {} edges, rings {t1:.3} sides {:.3} index {:.3} width {:.3}",
                rings_h.iter().map(|r| r.len()).sum::<usize>(),
                t2 - t1,
                t3 - t2,
                t4 - t3
            );
        }
        let (max_width_m, widest_at) = if w_ab >= w_ba {
            (w_ab, at_ab)
        } else {
            (w_ba, at_ba)
        };

        let section = self.inputs.sections.iter().find_map(|s| {
            s.polygons
                .iter()
                .any(|poly| {
                    let rings: Vec<Vec<Xy>> =
                        poly.iter().filter_map(|r| self.frame.xys(r).ok()).collect();
                    in_polygon(inside, &rings)
                })
                .then(|| s.name.clone())
        });
        let bb = bbox(&rings_xy[0]);
        let mut places = Vec::new();
        for p in &self.inputs.places {
            let Ok(xy) = self.frame.xy((p.lat, p.lon)) else {
                continue;
            };
            if xy[0] < bb[0]
                || xy[0] > bb[2]
                || xy[1] < bb[1]
                || xy[1] > bb[3]
                || !in_polygon(xy, &rings_xy)
            {
                continue;
            }
            let d = |line: &PreparedLine| {
                line.index
                    .closest(self.frame, self.radius, (p.lat, p.lon), xy)
                    .map_or(f64::NAN, |c| c.distance)
            };
            places.push(AffectedPlace {
                name: p.name.clone(),
                lat: p.lat,
                lon: p.lon,
                distance_to_a_m: d(self.a),
                distance_to_b_m: d(self.b),
            });
        }
        let mut roads = Vec::new();
        for r in &self.inputs.roads {
            let mut len = 0.0;
            for piece in &r.pieces {
                let Ok(xy) = self.frame.xys(piece) else {
                    continue;
                };
                len += self.length_inside(&xy, &rings_xy, bb);
            }
            if len > 0.0 {
                roads.push(RoadInside {
                    name: r.name.clone(),
                    length_m: len,
                });
            }
        }
        Some(Discrepancy {
            id: 0,
            kind,
            rings,
            area_m2,
            max_width_m,
            width_a_to_b_m: w_ab,
            width_b_to_a_m: w_ba,
            widest_at,
            length_a_m,
            length_b_m,
            party_by_a,
            party_by_b,
            beyond_tolerance: max_width_m > self.tol,
            same_side: false,
            drawn_by_one,
            section,
            inside_at,
            places,
            roads,
        })
    }

    /// The greatest geodesic distance from the chains `from` to `to`.
    ///
    /// Samples every quarter tolerance along each chain; the planar scale
    /// bounds keep every sample that could be the widest (its upper bound
    /// reaches the best lower bound). Around the four best of those (at
    /// least a sample spacing apart), a golden-section search on the planar
    /// distance locates the maximum to 1 mm along the chain, and the width
    /// there is solved on the ellipsoid; the largest is the answer. The
    /// width is stationary at its maximum, so the planar location's error
    /// (the projection's scale varies by < 0.3 % across a window) changes
    /// the width only to second order — far below a millimetre.
    fn width(&self, from: &[Chain], to: &SegmentIndex) -> (f64, LatLon) {
        if from.is_empty() || to.is_empty() {
            return (0.0, (f64::NAN, f64::NAN));
        }
        let step = self.tol / 4.0;
        // Every BLOCK-th sample first; the planar distance is 1-Lipschitz
        // along the chain, so a block whose ends' distances d0, d1 bound
        // its samples by (d0 + d1 + span) / 2 cannot hold a sample reaching
        // the best lower bound when that bound is below it: its samples
        // are skipped. Those skipped would all have been filtered out
        // below, so the result is the one of sampling every sample, at a
        // fraction of the cost when the tolerance is small against the
        // face (the compromise's gains compare at 0.5 m).
        const BLOCK: usize = 64;
        let mut coarse: Vec<Vec<(f64, f64, f64)>> = Vec::with_capacity(from.len());
        let mut best_lo = 0.0f64;
        for c in from {
            let len = c.length();
            let n = ((len / step).ceil() as usize).max(1);
            let mut ends: Vec<(f64, f64, f64)> = Vec::with_capacity(n / BLOCK + 2);
            for k in (0..=n)
                .step_by(BLOCK)
                .chain((!n.is_multiple_of(BLOCK)).then_some(n))
            {
                let s = len * k as f64 / n as f64;
                let (lo, hi) = to.bounds(self.radius, c.at(s));
                best_lo = best_lo.max(lo);
                // Asked only whether the face is wider than the
                // tolerance: a lower bound past it answers.
                if !self.exact_widths && lo > self.tol {
                    return (lo, self.frame.latlon(c.at(s)));
                }
                ends.push((s, lo, hi));
            }
            coarse.push(ends);
        }
        let mut samples: Vec<(usize, f64, f64, f64)> = Vec::new(); // (chain, s, lo, hi)
        for (ci, c) in from.iter().enumerate() {
            let len = c.length();
            let n = ((len / step).ceil() as usize).max(1);
            let h = len / n as f64;
            let ends = &coarse[ci];
            for (b, w) in ends.windows(2).enumerate() {
                let (k0, k1) = (b * BLOCK, (b * BLOCK + BLOCK).min(n));
                samples.push((ci, w[0].0, w[0].1, w[0].2));
                // hi = d (1 + SLACK): the block's largest possible hi.
                let reach = 0.5 * (w[0].2 + w[1].2 + (k1 - k0) as f64 * h * 1.01) * (1.0 + 1e-9);
                if reach >= best_lo {
                    for k in (k0 + 1)..k1 {
                        let s = len * k as f64 / n as f64;
                        let (lo, hi) = to.bounds(self.radius, c.at(s));
                        samples.push((ci, s, lo, hi));
                    }
                }
            }
            if let Some(last) = ends.last() {
                samples.push((ci, last.0, last.1, last.2));
            }
        }
        let best_lo = samples.iter().map(|s| s.2).fold(best_lo, f64::max);
        let mut cands: Vec<&(usize, f64, f64, f64)> =
            samples.iter().filter(|s| s.3 >= best_lo).collect();
        cands.sort_by(|x, y| y.3.total_cmp(&x.3));
        let mut chosen: Vec<(usize, f64)> = Vec::new();
        for c in cands {
            if chosen.len() == 4 {
                break;
            }
            if chosen
                .iter()
                .any(|&(ci, s)| ci == c.0 && (s - c.1).abs() < 2.0 * step)
            {
                continue;
            }
            chosen.push((c.0, c.1));
        }
        let planar = |ci: usize, s: f64| to.bounds(self.radius, from[ci].at(s)).1;
        let mut best = (0.0, [f64::NAN, f64::NAN]);
        for (ci, s0) in chosen {
            let chain = &from[ci];
            let span = chain.length() / (((chain.length() / step).ceil()).max(1.0));
            let (mut lo, mut hi) = ((s0 - span).max(0.0), (s0 + span).min(chain.length()));
            let phi = 0.618_033_988_749_895;
            let (mut m1, mut m2) = (hi - phi * (hi - lo), lo + phi * (hi - lo));
            let (mut f1, mut f2) = (planar(ci, m1), planar(ci, m2));
            while hi - lo > 1e-3 {
                if f1 < f2 {
                    lo = m1;
                    m1 = m2;
                    f1 = f2;
                    m2 = lo + phi * (hi - lo);
                    f2 = planar(ci, m2);
                } else {
                    hi = m2;
                    m2 = m1;
                    f2 = f1;
                    m1 = hi - phi * (hi - lo);
                    f1 = planar(ci, m1);
                }
            }
            let s = if planar(ci, s0) > f1.max(f2) {
                s0
            } else if f1 > f2 {
                m1
            } else {
                m2
            };
            let p = chain.at(s);
            let ll = self.frame.latlon(p);
            let d = to
                .closest(self.frame, self.radius, ll, p)
                .map_or(0.0, |c| c.distance);
            if d > best.0 {
                best = (d, p);
            }
        }
        (best.0, self.frame.latlon(best.1))
    }

    /// Geodesic length of the polyline `xy` inside the polygon `rings`.
    fn length_inside(&self, xy: &[Xy], rings: &[Vec<Xy>], bb: [f64; 4]) -> f64 {
        let g = self.frame.gnomonic().geodesic();
        let mut len = 0.0;
        for w in xy.windows(2) {
            let (p, q) = (w[0], w[1]);
            if p[0].max(q[0]) < bb[0]
                || p[0].min(q[0]) > bb[2]
                || p[1].max(q[1]) < bb[1]
                || p[1].min(q[1]) > bb[3]
            {
                continue;
            }
            let mut ts = vec![0.0, 1.0];
            for r in rings {
                for e in r.windows(2) {
                    if let Some(t) = seg_param(p, q, e[0], e[1]) {
                        ts.push(t);
                    }
                }
            }
            ts.sort_by(f64::total_cmp);
            for t in ts.windows(2) {
                if t[1] - t[0] <= 0.0 {
                    continue;
                }
                let at = |t: f64| [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
                if in_polygon(at((t[0] + t[1]) / 2.0), rings) {
                    let (a, b) = (self.frame.latlon(at(t[0])), self.frame.latlon(at(t[1])));
                    let d: f64 = g.inverse(a.0, a.1, b.0, b.1);
                    len += d;
                }
            }
        }
        len
    }
}

/// The parameter along p→q where it crosses e0→e1, if it does.
fn seg_param(p: Xy, q: Xy, e0: Xy, e1: Xy) -> Option<f64> {
    let d = (q[0] - p[0]) * (e1[1] - e0[1]) - (q[1] - p[1]) * (e1[0] - e0[0]);
    if d == 0.0 {
        return None;
    }
    let t = ((e0[0] - p[0]) * (e1[1] - e0[1]) - (e0[1] - p[1]) * (e1[0] - e0[0])) / d;
    let u = ((e0[0] - p[0]) * (q[1] - p[1]) - (e0[1] - p[1]) * (q[0] - p[0])) / d;
    ((0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u)).then_some(t)
}
