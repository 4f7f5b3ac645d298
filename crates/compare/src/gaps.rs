//! Gaps: where a line's pieces stop short of each other, and the
//! geodesics that bridge them.
//!
//! A source may draw one border in pieces that do not quite meet (a
//! digitiser's gap, a sheet edge, a line cut at a river). Its free ends
//! (ends of open pieces that no other piece's end shares) are joined
//! greedily, shortest first, each end at most once, never a piece to
//! itself, up to `max_m` (geodesic): the comparison closes its regions
//! across these bridges, and the compromise chains its line across them.

use crate::LatLon;
use terminus_geodesy::measure::InverseGeodesic;
use terminus_geodesy::Geodesic;

/// An end of a piece: (piece index, `true` for its last vertex).
pub type PieceEnd = (usize, bool);

/// A gap bridged between two free ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GapBridge {
    /// One end.
    pub from: PieceEnd,
    /// The other.
    pub to: PieceEnd,
    /// Its geodesic length, metres.
    pub length_m: f64,
}

/// The bridges across a line's gaps and the ends left free, for pieces
/// ((lat, lon)); closed pieces (rings) take no part.
pub fn gap_bridges(
    geod: &Geodesic,
    pieces: &[Vec<LatLon>],
    max_m: f64,
) -> (Vec<GapBridge>, Vec<PieceEnd>) {
    let mut ends: Vec<(PieceEnd, LatLon)> = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        let (Some(&first), Some(&last)) = (p.first(), p.last()) else {
            continue;
        };
        if first == last {
            continue; // a ring
        }
        ends.push(((i, false), first));
        ends.push(((i, true), last));
    }
    // Ends that coincide with an end of another piece are joined already.
    let mut free: Vec<bool> = (0..ends.len())
        .map(|k| {
            !ends
                .iter()
                .enumerate()
                .any(|(m, e)| m != k && e.1 == ends[k].1)
        })
        .collect();
    let mut cand: Vec<(f64, usize, usize)> = Vec::new();
    for a in 0..ends.len() {
        for b in a + 1..ends.len() {
            if !free[a] || !free[b] || ends[a].0 .0 == ends[b].0 .0 {
                continue;
            }
            let (p, q) = (ends[a].1, ends[b].1);
            let d: f64 = geod.inverse(p.0, p.1, q.0, q.1);
            if d <= max_m {
                cand.push((d, a, b));
            }
        }
    }
    cand.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut bridges = Vec::new();
    for (d, a, b) in cand {
        if free[a] && free[b] {
            free[a] = false;
            free[b] = false;
            bridges.push(GapBridge {
                from: ends[a].0,
                to: ends[b].0,
                length_m: d,
            });
        }
    }
    let open = ends
        .iter()
        .zip(&free)
        .filter(|(_, f)| **f)
        .map(|(e, _)| e.0)
        .collect();
    (bridges, open)
}

#[cfg(test)]
mod tests {
    use super::*;
    use terminus_geodesy::Ellipsoid;

    #[test]
    fn gaps_are_bridged_shortest_first_and_never_a_piece_to_itself() {
        let g = Ellipsoid::WGS84.geodesic();
        // Three pieces along the equator with gaps of 0.01° and 0.02°;
        // the middle piece's own ends are nearer each other than either
        // gap, and stay unbridged to each other.
        let pieces = vec![
            vec![(0.0, 0.0), (0.0, 1.0)],
            vec![(0.0, 1.01), (0.0, 1.015)],
            vec![(0.0, 1.035), (0.0, 2.0)],
        ];
        let (bridges, free) = gap_bridges(&g, &pieces, 10_000.0);
        assert_eq!(bridges.len(), 2);
        assert_eq!((bridges[0].from, bridges[0].to), ((0, true), (1, false)));
        assert_eq!((bridges[1].from, bridges[1].to), ((1, true), (2, false)));
        // 0.01° and 0.02° of the equator: 1,113.19 m and 2,226.39 m.
        assert!((bridges[0].length_m - 1113.1949).abs() < 1e-3);
        assert!((bridges[1].length_m - 2226.3898).abs() < 1e-3);
        assert_eq!(free, vec![(0, false), (2, true)]);
        // Beyond the distance: nothing bridged.
        let (none, free) = gap_bridges(&g, &pieces, 1000.0);
        assert!(none.is_empty());
        assert_eq!(free.len(), 6);
    }
}
