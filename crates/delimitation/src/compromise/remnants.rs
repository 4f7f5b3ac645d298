//! What no construction accounts for: a claim's stretch carried from the
//! line's end.
//!
//! The regions between the claims, the common line, the claims' tails
//! and overhangs account for nearly all of both claims. What can remain
//! is a stretch at the end of a section that one claim draws round a
//! pocket closed only by the comparison's bridges and joins — GSHHG's
//! WDB border hooks back 8 km along the Araks at the Iranian tripoint,
//! past where the other claim ends. Such a stretch (a run of a claim's
//! segments off every region with a median and off the line, in a piece
//! that touches them elsewhere) is carried as the claim draws it from
//! the nearer end of a line within the bridging distance, joined by a
//! geodesic no longer than the stretch (`Connector`, then `OneClaim`),
//! and listed; unless that would make the line cross itself or double
//! back along it, when it is listed as unaccounted and the coverage
//! lacks it.

use super::chain::Building;
use super::{crossing, Construction, Gap, LoosePiece, RegionNote};
use crate::median::Tracer;
use crate::DelimitationError;

/// A claim's run that nothing accounts for.
struct Remnant {
    claim: usize,
    vertices: Vec<(f64, f64)>,
    length_m: f64,
}

/// Carry the runs of each claim that nothing accounts for (`left`, A's
/// and B's, each with whether it is a whole piece: a loose piece, listed
/// as such and not carried) that a line's end can reach within
/// `reach_m` by a connector no longer than the stretch itself, listing
/// each in `fallbacks`. Whether any was carried, and those that were not.
pub(super) fn carry_remnants(
    tr: &Tracer,
    left: [Vec<Gap>; 2],
    lines: &mut [Building],
    fallbacks: &mut Vec<RegionNote>,
    reach_m: f64,
) -> Result<(bool, Vec<LoosePiece>), DelimitationError> {
    let mut left_over = Vec::new();
    let mut found = Vec::new();
    for (k, runs) in left.into_iter().enumerate() {
        for (vertices, whole) in runs {
            if whole || vertices.len() < 2 {
                continue;
            }
            let length_m = vertices.windows(2).map(|w| tr.dist(w[0], w[1])).sum();
            found.push(Remnant {
                claim: k,
                vertices,
                length_m,
            });
        }
    }
    let mut any = false;
    // Longest first: each line end takes one.
    found.sort_by(|x, y| y.length_m.total_cmp(&x.length_m));
    let mut used: Vec<(usize, bool)> = Vec::new();
    let names = [tr.a.name().to_string(), tr.b.name().to_string()];
    for r in found {
        let (first, last) = (r.vertices[0], r.vertices[r.vertices.len() - 1]);
        // The (line end, remnant end) pairs within reach, nearest first:
        // the first that keeps the line from crossing itself.
        let mut pairs: Vec<(f64, usize, bool, bool)> = Vec::new();
        for (li, line) in lines.iter().enumerate() {
            for at_end in [false, true] {
                if used.contains(&(li, at_end)) {
                    continue;
                }
                let v = if at_end {
                    &line.vertices[line.vertices.len() - 1]
                } else {
                    &line.vertices[0]
                };
                for from_last in [false, true] {
                    let p = if from_last { last } else { first };
                    let d = tr.dist((v.lat, v.lon), p);
                    // (A connector longer than what it carries would
                    // double back along the line for a stub.)
                    if d <= reach_m && d <= r.length_m {
                        pairs.push((d, li, at_end, from_last));
                    }
                }
            }
        }
        pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut carried = None;
        for (gap, li, at_end, from_last) in pairs {
            let mut run = r.vertices.clone();
            if from_last {
                run.reverse();
            }
            if append(tr, &mut lines[li], at_end, &run, gap)? {
                carried = Some((gap, li, at_end, run));
                break;
            }
        }
        let Some((gap, li, at_end, run)) = carried else {
            left_over.push(LoosePiece {
                claim: names[r.claim].clone(),
                from: first,
                to: last,
                length_m: r.length_m,
            });
            continue;
        };
        used.push((li, at_end));
        any = true;
        let name = &names[r.claim];
        fallbacks.push(RegionNote {
            inside_at: run[run.len() / 2],
            area_m2: 0.0,
            construction: Some(Construction::OneClaim),
            reason: format!(
                "{:.3} km of {name} (from {:.6}, {:.6} to {:.6}, {:.6}) bound no region between the claims that has a median and the line does not run along them (a stretch closed only by the comparison's bridges and joins): carried as {name} draws it from the line's end, joined by a geodesic of {gap:.1} m",
                r.length_m / 1000.0,
                run[0].0,
                run[0].1,
                run[run.len() - 1].0,
                run[run.len() - 1].1,
            ),
        });
    }
    Ok((any, left_over))
}

/// Append `run` to `line` at its end (`at_end`) or start, joined by a
/// geodesic of `gap` metres where they do not meet; undone (false) if
/// the line would then cross itself.
fn append(
    tr: &Tracer,
    line: &mut Building,
    at_end: bool,
    run: &[(f64, f64)],
    gap: f64,
) -> Result<bool, DelimitationError> {
    let before = (line.vertices.clone(), line.stretches.clone());
    line.carry(tr, at_end, run, gap > 1e-6)?;
    if crossing(tr.frame, &line.coords())?.is_some() {
        (line.vertices, line.stretches) = before;
        return Ok(false);
    }
    Ok(true)
}
