//! Which party each piece of each line leaves on its left and on its right.
//!
//! With two territories: sample the piece, step 250 m and 1 km off it to
//! either side, and ask which territory holds each point; the majority of
//! decisive samples wins (the territories may come from another source than
//! the line, so single samples near the line can mislead). Without
//! territories, or where no sample decides: align the piece with the
//! nearest piece of the reference line (the sign of the dot product of
//! their directions, summed over samples), whose sides are "left of" and
//! "right of" it as digitised.

use crate::frame::Xy;
use crate::index::SegmentIndex;
use crate::territory::PlaneTerritory;
use serde::Serialize;

/// The parties either side of one piece.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PieceSides {
    /// Piece index.
    pub piece: usize,
    /// Party (or side name) on the left, looking along the piece.
    pub left: String,
    /// Party on the right.
    pub right: String,
    /// How it was decided: "territories", "aligned with <line>", "as digitised".
    pub decided_by: String,
}

/// Offsets either side, metres.
const OFFSETS: [f64; 2] = [250.0, 1000.0];
/// At most this many samples per piece.
const SAMPLES: usize = 200;

fn sample_indices(n: usize) -> impl Iterator<Item = usize> {
    let step = (n / SAMPLES).max(1);
    (0..n).step_by(step)
}

fn direction(xy: &[Xy], i: usize) -> Option<Xy> {
    let a = xy[i.saturating_sub(1)];
    let b = xy[(i + 1).min(xy.len() - 1)];
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let l = dx.hypot(dy);
    (l > 0.0).then(|| [dx / l, dy / l])
}

/// Sides of every piece of `pieces` from the two territories, or `None`
/// for a piece no sample decides. Each side is voted on by itself (a
/// sample counts for a party when that party alone holds it), so a ring
/// whose inside both territories claim — an enclave one source cut out and
/// the other did not — is still decided by its outside.
pub(crate) fn from_territories(
    pieces: &[Vec<Xy>],
    territories: &[PlaneTerritory],
) -> Vec<Option<(usize, usize)>> {
    pieces
        .iter()
        .map(|xy| {
            let mut left = [0u32; 2];
            let mut right = [0u32; 2];
            let owner = |p: Xy| match (territories[0].contains(p), territories[1].contains(p)) {
                (true, false) => Some(0),
                (false, true) => Some(1),
                _ => None,
            };
            for i in sample_indices(xy.len()) {
                let Some(d) = direction(xy, i) else { continue };
                let n = [-d[1], d[0]];
                for off in OFFSETS {
                    if let Some(k) = owner([xy[i][0] + n[0] * off, xy[i][1] + n[1] * off]) {
                        left[k] += 1;
                    }
                    if let Some(k) = owner([xy[i][0] - n[0] * off, xy[i][1] - n[1] * off]) {
                        right[k] += 1;
                    }
                }
            }
            // Evidence that the left is party 0 (and so the right party 1).
            let for01 = left[0] + right[1];
            let for10 = left[1] + right[0];
            if for01 > for10 {
                Some((0, 1))
            } else if for10 > for01 {
                Some((1, 0))
            } else {
                None
            }
        })
        .collect()
}

/// Whether `piece` runs the same way as the nearest pieces of the reference
/// (`index`), and which reference piece that mostly is.
pub(crate) fn alignment(piece: &[Xy], index: &SegmentIndex) -> Option<(bool, u32)> {
    let mut score = 0.0;
    let mut votes: std::collections::HashMap<u32, f64> = Default::default();
    for i in sample_indices(piece.len()) {
        let Some(d) = direction(piece, i) else {
            continue;
        };
        let Some((seg, _)) = index.side(piece[i]) else {
            continue;
        };
        let (a, b) = (seg.xy[0], seg.xy[1]);
        let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
        let l = ex.hypot(ey);
        if l == 0.0 {
            continue;
        }
        let dot = (d[0] * ex + d[1] * ey) / l;
        score += dot;
        *votes.entry(seg.piece).or_default() += dot.abs();
    }
    let piece_ref = votes
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(p, _)| p)?;
    Some((score >= 0.0, piece_ref))
}
