//! A river's median line from its two bank lines: the points equally far
//! (geodesic distance to the nearest point) from both banks. Sampled along
//! one bank every `spacing`; from each sample P the geodesic to the nearest
//! point Q of the other bank is searched (bisection on the difference of
//! the two distances, which changes sign between P and Q) for the point
//! equidistant from both banks, to 0.1 mm. (The general equidistance
//! engine, with turning points and base points, is issue 7's; this is the
//! bank-line case the terrain engine needs.)

use crate::TerrainError;
use terminus_compare::{chain::Chain, frame::Frame, index::SegmentIndex};
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};

/// A point of the median line and its distance to each bank, metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MedianPoint {
    /// (lat, lon).
    pub at: (f64, f64),
    /// Distance to the first bank.
    pub to_left: f64,
    /// Distance to the second bank.
    pub to_right: f64,
}

/// The median line between `left` and `right` (pieces of (lat, lon) on
/// WGS 84), sampled every `spacing` metres along `left`.
pub fn median_line(
    left: &[Vec<(f64, f64)>],
    right: &[Vec<(f64, f64)>],
    spacing: f64,
) -> Result<Vec<MedianPoint>, TerrainError> {
    let err = |e: terminus_compare::CompareError| TerrainError::OutsideDem(e.to_string());
    if !(spacing.is_finite() && spacing > 0.0) {
        return Err(TerrainError::OutsideDem(format!(
            "spacing {spacing} m: give a positive distance"
        )));
    }
    let frame = Frame::around(
        terminus_geodesy::Ellipsoid::WGS84,
        left.iter().chain(right).flatten(),
    )
    .map_err(err)?;
    let index = |bank: &[Vec<(f64, f64)>]| -> Result<SegmentIndex, TerrainError> {
        let pieces: Vec<terminus_compare::index::Piece> = bank
            .iter()
            .filter(|p| p.len() >= 2)
            .map(|p| Ok((p.clone(), frame.xys(p).map_err(err)?)))
            .collect::<Result<_, TerrainError>>()?;
        if pieces.is_empty() {
            return Err(TerrainError::OutsideDem(
                "a bank line needs two or more vertices".into(),
            ));
        }
        Ok(SegmentIndex::from_pieces(&pieces))
    };
    let (il, ir) = (index(left)?, index(right)?);
    let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let r = frame.radius();
    let dist = |idx: &SegmentIndex, ll: (f64, f64)| -> Option<f64> {
        let p = frame.xy(ll).ok()?;
        idx.closest(&frame, r, ll, p).map(|c| c.distance)
    };
    let mut out = Vec::new();
    for piece in left.iter().filter(|p| p.len() >= 2) {
        let chain = Chain::new(frame.xys(piece).map_err(err)?, piece.clone());
        for s in chain.samples(spacing) {
            let pxy = chain.at(s);
            let p = frame.latlon(pxy);
            let Some(q) = ir.closest(&frame, r, p, pxy) else {
                continue;
            };
            let (len, azi, _, _): (f64, f64, f64, f64) = g.inverse(p.0, p.1, q.at.0, q.at.1);
            if len == 0.0 {
                continue; // the banks touch here
            }
            let at = |t: f64| -> (f64, f64) {
                let (la, lo, _): (f64, f64, f64) = g.direct(p.0, p.1, azi, t * len);
                (la, lo)
            };
            let f = |t: f64| -> Option<f64> {
                let x = at(t);
                Some(dist(&il, x)? - dist(&ir, x)?)
            };
            let (mut a, mut b) = (0.0f64, 1.0f64);
            // f(0) < 0 (on the left bank), f(1) > 0 (on the right).
            while (b - a) * len > 1e-4 {
                let m = (a + b) / 2.0;
                match f(m) {
                    Some(v) if v < 0.0 => a = m,
                    Some(_) => b = m,
                    None => break,
                }
            }
            let m = at((a + b) / 2.0);
            if let (Some(dl), Some(dr)) = (dist(&il, m), dist(&ir, m)) {
                out.push(MedianPoint {
                    at: m,
                    to_left: dl,
                    to_right: dr,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two banks 200 m apart (the right one set off the left at right
    /// angles): the median runs 100 m from each, equidistant to 0.1 mm.
    #[test]
    fn parallel_banks() {
        let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
        let mut left = Vec::new();
        let mut right = Vec::new();
        for k in 0..=20 {
            let (la, lo, azi): (f64, f64, f64) = g.direct(40.0, 45.0, 80.0, 1000.0 * k as f64);
            left.push((la, lo));
            let (rl, ro, _): (f64, f64, f64) = g.direct(la, lo, azi + 90.0, 200.0);
            right.push((rl, ro));
        }
        let m = median_line(&[left], &[right], 250.0).unwrap();
        assert!(m.len() > 70);
        for p in &m {
            assert!((p.to_left - p.to_right).abs() < 1e-3, "{p:?}");
            assert!((p.to_left - 100.0).abs() < 0.5, "{p:?}");
        }
    }
}
