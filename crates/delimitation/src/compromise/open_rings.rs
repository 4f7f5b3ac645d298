//! Rings a claim draws open.
//!
//! Some sources draw an enclave's or exclave's boundary not as a closed
//! ring but as open pieces apart from their line: GSHHG's WDB borders
//! draw Artsvashen in two pieces with gaps between them, and Yukhari
//! Askipara as one arc whose ends lie 6 km apart. Left among the line's
//! pieces such an arc becomes a compromise line of its own, or a region
//! with the other claim's line running past, and the ring the other
//! claim draws there finds no partner.
//!
//! The claim's open pieces are grouped into components: pieces whose ends
//! meet (within nothing: the same coordinates), and pieces the comparison
//! bridges across a gap (`terminus_compare::gaps`). A component is a ring
//! drawn open when it is one chain (no three ends meet), and either it
//! closes on itself across its bridges (no free end left), or its two
//! free ends lie within the bridging distance of each other, nearer
//! each other than three quarters of its length, and it makes up under a
//! tenth of the claim's open length (a line of a section is not an arc
//! round a pocket). The ring it closes to must not cross
//! itself. It is then closed by geodesics across its gaps and between
//! its free ends, taken as the claim's ring, and every closing geodesic
//! is listed with its length.

use super::{crossing, Pieces};
use crate::DelimitationError;
use terminus_compare::gaps::{gap_bridges, PieceEnd};
use terminus_compare::Closure;
use terminus_geodesy::measure::InverseGeodesic;
use terminus_geodesy::Geodesic;
use terminus_plane::frame::Frame;

/// A claim's ring drawn open, closed.
#[derive(Debug, Clone)]
pub(super) struct OpenRing {
    /// The ring ((lat, lon), last vertex = first).
    pub ring: Vec<(f64, f64)>,
    /// The geodesics that close it (across its gaps, and between its free
    /// ends).
    pub closures: Vec<Closure>,
    /// The claim's own length in it, metres.
    pub drawn_m: f64,
}

/// The share of a claim's open length under which a component with two
/// free ends near each other is an arc round a pocket, not a line.
const ARC_SHARE: f64 = 0.1;

/// An arc round a pocket bends: its ends are nearer each other than this
/// share of its length (GSHHG's Yukhari Askipara: 0.71).
const ARC_CHORD: f64 = 0.75;

/// Take the rings `name` draws open out of its open pieces `open`: each
/// closed, returned, and its pieces removed from `open`.
pub(super) fn close_open_rings(
    geod: &Geodesic,
    frame: &Frame,
    name: &str,
    open: &mut Pieces,
    bridge_m: f64,
) -> Result<Vec<OpenRing>, DelimitationError> {
    let length = |p: &[(f64, f64)]| -> f64 {
        p.windows(2)
            .map(|w| -> f64 { geod.inverse(w[0].0, w[0].1, w[1].0, w[1].1) })
            .sum()
    };
    let n = open.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let (bridges, free) = gap_bridges(geod, open, bridge_m);
    let end_at = |(i, last): PieceEnd| -> (f64, f64) {
        let p = &open[i];
        if last {
            p[p.len() - 1]
        } else {
            p[0]
        }
    };
    // Every end's partner: the end of another piece at the same point, or
    // across a bridge. An end shared by three or more is a junction.
    let mut partner: std::collections::HashMap<PieceEnd, (PieceEnd, Option<f64>)> =
        std::collections::HashMap::new();
    let mut junction = vec![false; n];
    let ends: Vec<PieceEnd> = (0..n)
        .filter(|&i| open[i].len() >= 2)
        .flat_map(|i| [(i, false), (i, true)])
        .collect();
    for &e in &ends {
        let at = end_at(e);
        let same: Vec<PieceEnd> = ends
            .iter()
            .copied()
            .filter(|&f| f != e && end_at(f) == at)
            .collect();
        match same.as_slice() {
            [] => {}
            [f] => {
                partner.insert(e, (*f, None));
            }
            _ => junction[e.0] = true,
        }
    }
    for b in &bridges {
        partner.insert(b.from, (b.to, Some(b.length_m)));
        partner.insert(b.to, (b.from, Some(b.length_m)));
    }
    // Components, by walking partners.
    let mut comp = vec![usize::MAX; n];
    let mut comps: Vec<Vec<usize>> = Vec::new();
    for start in 0..n {
        if comp[start] != usize::MAX || open[start].len() < 2 {
            continue;
        }
        let k = comps.len();
        let mut stack = vec![start];
        let mut members = Vec::new();
        comp[start] = k;
        while let Some(i) = stack.pop() {
            members.push(i);
            for last in [false, true] {
                if let Some(&((j, _), _)) = partner.get(&(i, last)) {
                    if comp[j] == usize::MAX {
                        comp[j] = k;
                        stack.push(j);
                    }
                }
            }
        }
        comps.push(members);
    }
    let total: f64 = open.iter().map(|p| length(p)).sum();
    let mut found = Vec::new();
    let mut taken = vec![false; n];
    for members in &comps {
        if members.iter().any(|&i| junction[i]) {
            continue;
        }
        let own_free: Vec<PieceEnd> = free
            .iter()
            .copied()
            .filter(|e| members.contains(&e.0))
            .collect();
        let drawn: f64 = members.iter().map(|&i| length(&open[i])).sum();
        let start = match own_free.as_slice() {
            [] if members.len() > 1 => (members[0], false),
            [e, f] => {
                let (p, q) = (end_at(*e), end_at(*f));
                let chord: f64 = geod.inverse(p.0, p.1, q.0, q.1);
                if chord > bridge_m || drawn >= ARC_SHARE * total || chord > ARC_CHORD * drawn {
                    continue;
                }
                *e
            }
            _ => continue,
        };
        // Walk the chain from `start`, closing across each bridge.
        let mut ring: Vec<(f64, f64)> = Vec::new();
        let mut closures = Vec::new();
        let mut at = start;
        let mut steps = 0;
        let mut round = false;
        loop {
            steps += 1;
            if steps > members.len() {
                break;
            }
            let piece = &open[at.0];
            let run: Vec<(f64, f64)> = if at.1 {
                piece.iter().rev().copied().collect()
            } else {
                piece.clone()
            };
            if ring.last() == run.first() {
                ring.extend_from_slice(&run[1..]);
            } else {
                ring.extend_from_slice(&run);
            }
            let out = (at.0, !at.1);
            match partner.get(&out) {
                Some(&(next, bridged)) => {
                    if let Some(m) = bridged {
                        closures.push(Closure {
                            line: name.to_string(),
                            from: end_at(out),
                            to: end_at(next),
                            length_m: m,
                        });
                    }
                    if next == start {
                        round = true;
                        break;
                    }
                    at = next;
                }
                None => break,
            }
        }
        let (Some(&first), Some(&last)) = (ring.first(), ring.last()) else {
            continue;
        };
        if round {
            // (Closed across its last bridge: the same point again.)
            ring.push(first);
        } else if first != last {
            closures.push(Closure {
                line: name.to_string(),
                from: last,
                to: first,
                length_m: geod.inverse(last.0, last.1, first.0, first.1),
            });
            ring.push(first);
        }
        if ring.len() < 4 || crossing(frame, &ring)?.is_some() {
            continue;
        }
        for &i in members {
            taken[i] = true;
        }
        found.push(OpenRing {
            ring,
            closures,
            drawn_m: drawn,
        });
    }
    let mut i = 0;
    open.retain(|_| {
        i += 1;
        !taken[i - 1]
    });
    Ok(found)
}
