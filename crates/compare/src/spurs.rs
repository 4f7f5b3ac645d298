//! Spurs: stubs of neighbouring borders that a claim file carries at a
//! junction.
//!
//! Files cut from an "all borders" layer (Natural Earth's boundary lines,
//! GSHHG's WDB borders) keep a few metres or kilometres of the next
//! border where the line meets it at a tripoint. Such a stub is not part
//! of the claim, and its free end would be taken for one of the line's
//! ends (joined to the other line's end, closing the wrong regions).
//!
//! A piece is a spur when, at one of its ends, three or more pieces' ends
//! meet (within 1 mm), its other end meets nothing, it is at most
//! `max_m` long (geodesic), and it is not the longest piece at that
//! junction. Closed pieces (rings) are never spurs. Callers set spurs
//! aside and say so; they are not dropped silently.

use crate::LatLon;
use terminus_geodesy::measure::InverseGeodesic;
use terminus_geodesy::Geodesic;

/// A piece set aside as a spur.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Spur {
    /// Its index among the line's pieces.
    pub piece: usize,
    /// Its geodesic length, metres.
    pub length_m: f64,
    /// The junction it leaves, (lat, lon).
    pub junction: LatLon,
}

/// The spurs of a line's pieces ((lat, lon)), in piece order.
pub fn find_spurs(geod: &Geodesic, pieces: &[Vec<LatLon>], max_m: f64) -> Vec<Spur> {
    let length = |p: &[LatLon]| -> f64 {
        p.windows(2)
            .map(|w| -> f64 { geod.inverse(w[0].0, w[0].1, w[1].0, w[1].1) })
            .sum()
    };
    let open: Vec<bool> = pieces
        .iter()
        .map(|p| p.len() >= 2 && p.first() != p.last())
        .collect();
    let ends: Vec<(usize, LatLon)> = pieces
        .iter()
        .enumerate()
        .filter(|(i, _)| open[*i])
        .flat_map(|(i, p)| [(i, p[0]), (i, p[p.len() - 1])])
        .collect();
    // Ends meet within 1 mm (in degrees, a box of ~1e-8° first).
    let meets = |a: LatLon, b: LatLon| -> bool {
        (a.0 - b.0).abs() < 1e-7
            && (a.1 - b.1).abs() < 1e-7
            && InverseGeodesic::<f64>::inverse(geod, a.0, a.1, b.0, b.1) < 1e-3
    };
    let at = |p: LatLon| -> Vec<usize> {
        ends.iter()
            .filter(|(_, q)| meets(p, *q))
            .map(|(i, _)| *i)
            .collect()
    };
    let lengths: Vec<f64> = pieces.iter().map(|p| length(p)).collect();
    let mut out = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        if !open[i] || lengths[i] > max_m {
            continue;
        }
        for (here, there) in [(p[0], p[p.len() - 1]), (p[p.len() - 1], p[0])] {
            let junction = at(here);
            let free = at(there).iter().all(|&j| j == i);
            let longest = junction.iter().all(|&j| j == i || lengths[j] < lengths[i]);
            if junction.len() >= 3 && free && !longest {
                out.push(Spur {
                    piece: i,
                    length_m: lengths[i],
                    junction: here,
                });
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use terminus_geodesy::Ellipsoid;

    #[test]
    fn stubs_at_a_tripoint_are_spurs_and_the_line_is_not() {
        let g = Ellipsoid::WGS84.geodesic();
        let t = (39.7, 44.77);
        let pieces = vec![
            // The line, ending at the tripoint.
            vec![(39.0, 45.5), (39.5, 45.0), t],
            // Two stubs of the neighbours' borders (~10 m, ~400 m).
            vec![t, (39.70009, 44.77)],
            vec![(39.7, 44.7747), t],
            // An enclave ring nearby: never a spur.
            vec![(39.6, 45.0), (39.61, 45.0), (39.61, 45.01), (39.6, 45.0)],
        ];
        let s = find_spurs(&g, &pieces, 5_000.0);
        assert_eq!(s.iter().map(|s| s.piece).collect::<Vec<_>>(), vec![1, 2]);
        assert!((s[0].length_m - 10.0).abs() < 0.1, "{}", s[0].length_m);
        assert_eq!(s[0].junction, t);
        // A line cut in two where one stub leaves: the two halves stay.
        let through = vec![
            vec![(39.0, 45.5), t],
            vec![t, (40.0, 44.0)],
            vec![t, (39.7001, 44.77)],
        ];
        let s = find_spurs(&g, &through, 5_000.0);
        assert_eq!(s.iter().map(|s| s.piece).collect::<Vec<_>>(), vec![2]);
        // Two pieces meeting end to end: no junction, no spur.
        let plain = vec![vec![(39.0, 45.5), t], vec![t, (39.7001, 44.77)]];
        assert!(find_spurs(&g, &plain, 5_000.0).is_empty());
        // A stub longer than the limit stays.
        assert_eq!(find_spurs(&g, &pieces, 100.0).len(), 1);
    }
}
