//! The inverse problem for short edges, without iteration: length and
//! area term (S12) of a geodesic a few metres long, as a boundary line
//! digitised or densified every metre has millions of.
//!
//! Method: C. F. F. Karney (2013), "Algorithms for geodesics", J. Geodesy
//! 87, 43–55: §4, the inverse problem's starting point for short lines —
//! the longitude difference on the auxiliary sphere is the ellipsoid's
//! divided by `(1 − f)·w̄`, w̄ taken at the mean reduced latitude; the
//! spherical solution then gives the azimuths and the arc σ12, and the
//! distance is `b·w̄·σ12` — and §6, the area term: its series between the
//! two ends plus `c²·α12`, with α12 by the short-line form of the spherical
//! excess. This follows GeographicLib's `Inverse` step for step (its
//! normalisation of the two points included), without the Newton
//! iteration.
//!
//! GeographicLib takes this start as the answer once σ12 < 3.6e-8 (0.23 m
//! on WGS84) and refines it by Newton's method otherwise. Measured against
//! that refined solution (`geographiclib-rs`, in `tests`), the start's own
//! error grows as the cube of the length and stays under the refined
//! solution's rounding (lengths ~2 nm, area terms ~4e-5 m², both flat from
//! 0.3 m on, unbiased) up to about 20 m: beyond, area terms drift (1e-4 m²
//! at 55 m, 8e-4 m² at 110 m). Hence [`MAX_ARC`], about 19 m. Below
//! 0.23 m the answer is GeographicLib's to the last bit.
//!
//! Anything else (longer edges, meridians, the equator, invalid
//! coordinates) is left to the full solution: [`edge`] answers `None`.

use geographiclib_rs::Geodesic;

/// The longest arc on the auxiliary sphere (radians) solved here: 3e-6,
/// about 19 m.
pub const MAX_ARC: f64 = 3e-6;

/// (length m, S12 m²) of the geodesic from (lat1, lon1) to (lat2, lon2),
/// degrees, when it is short enough to solve without iteration; `None`
/// otherwise. S12 follows GeographicLib's sign convention (the area
/// between the geodesic and the equator, clockwise positive).
pub fn edge(g: &Geodesic, lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> Option<(f64, f64)> {
    // The normalisation of GeographicLib's Inverse: longitude difference
    // made non-negative, the point nearer the equator second, and the
    // first in the southern hemisphere — so the answer is that of the full
    // solution to rounding, whatever the order of the points.
    let (mut lon12, lon12s) = ang_diff(lon1, lon2);
    let mut lonsign = if lon12 >= 0.0 { 1.0 } else { -1.0 };
    lon12 = lonsign * ang_round(lon12);
    let lon12s = ang_round((180.0 - lon12) - lonsign * lon12s);
    if lon12 > 90.0 || !lon12.is_finite() {
        return None;
    }
    let lam12 = lon12.to_radians();
    let (slam12, _) = sincosd(lon12);
    let (mut lat1, mut lat2) = (ang_round(lat_fix(lat1)), ang_round(lat_fix(lat2)));
    if !(lat1.is_finite() && lat2.is_finite()) {
        return None;
    }
    let swapp = if lat1.abs() < lat2.abs() { -1.0 } else { 1.0 };
    if swapp < 0.0 {
        lonsign = -lonsign;
        std::mem::swap(&mut lat1, &mut lat2);
    }
    let latsign = if lat1 < 0.0 { 1.0 } else { -1.0 };
    lat1 *= latsign;
    lat2 *= latsign;
    let reduced = |lat: f64| {
        let (s, c) = sincosd(lat);
        let (s, c) = norm(s * g._f1, c);
        (s, c.max(g.tiny_))
    };
    let (sbet1, cbet1) = reduced(lat1);
    let (mut sbet2, mut cbet2) = reduced(lat2);
    if cbet1 < -sbet1 {
        if cbet2 == cbet1 {
            sbet2 = if sbet2 < 0.0 { sbet1 } else { -sbet1 };
        }
    } else if sbet2.abs() == -sbet1 {
        cbet2 = cbet1;
    }
    // Meridians and the equator have their own exact solutions there.
    let meridian = lat1 == -90.0 || slam12 == 0.0;
    let equatorial = sbet1 == 0.0 && (g.f <= 0.0 || lon12s >= g.f * 180.0);
    if meridian || equatorial {
        return None;
    }
    let sbet12 = sbet2 * cbet1 - cbet2 * sbet1;
    let cbet12 = cbet2 * cbet1 + sbet2 * sbet1;
    if !(cbet12 >= 0.0 && sbet12 < 0.5 && cbet2 * lam12 < 0.5) {
        return None;
    }
    // Longitude on the auxiliary sphere from the mean reduced latitude.
    let sbetm2 = sq(sbet1 + sbet2);
    let sbetm2 = sbetm2 / (sbetm2 + sq(cbet1 + cbet2));
    let dnm = (1.0 + g._ep2 * sbetm2).sqrt();
    let omg12 = lam12 / (g._f1 * dnm);
    let (somg12, comg12) = omg12.sin_cos();
    if comg12 < 0.0 {
        return None;
    }
    let salp1 = cbet2 * somg12;
    let calp1 = sbet12 + cbet2 * sbet1 * sq(somg12) / (1.0 + comg12);
    let ssig12 = salp1.hypot(calp1);
    let csig12 = sbet1 * sbet2 + cbet1 * cbet2 * comg12;
    let short_enough = ssig12 < MAX_ARC && salp1 > 0.0;
    if !short_enough {
        return None;
    }
    let (_, calp2) = norm(
        cbet1 * somg12,
        sbet12 - cbet1 * sbet2 * sq(somg12) / (1.0 + comg12),
    );
    let (salp1, calp1) = norm(salp1, calp1);
    let sig12 = ssig12.atan2(csig12);
    let s12 = sig12 * g._b * dnm;

    // Area term: the series of eq. 58 between the two ends, and c²·α12.
    let salp0 = salp1 * cbet1;
    let calp0 = calp1.hypot(salp1 * sbet1);
    let mut s_12 = if calp0 != 0.0 && salp0 != 0.0 {
        let (ssig1, csig1) = norm(sbet1, calp1 * cbet1);
        let (ssig2, csig2) = norm(sbet2, calp2 * cbet2);
        let k2 = sq(calp0) * g._ep2;
        let eps = k2 / (2.0 * (1.0 + (1.0 + k2).sqrt()) + k2);
        let a4 = sq(g.a) * calp0 * salp0 * g._e2;
        let mut c4 = [0.0; SERIES_ORDER];
        g._C4f(eps, &mut c4);
        a4 * (sin_cos_series(ssig2, csig2, &c4) - sin_cos_series(ssig1, csig1, &c4))
    } else {
        0.0
    };
    if !(comg12 > -std::f64::consts::FRAC_1_SQRT_2 && sbet2 - sbet1 < 1.75) {
        return None;
    }
    let (domg12, dbet1, dbet2) = (1.0 + comg12, 1.0 + cbet1, 1.0 + cbet2);
    let alp12 = 2.0
        * (somg12 * (sbet1 * dbet2 + sbet2 * dbet1))
            .atan2(domg12 * (sbet1 * sbet2 + dbet1 * dbet2));
    s_12 += g._c2 * alp12;
    s_12 *= swapp * lonsign * latsign;
    Some((s12 + 0.0, s_12 + 0.0))
}

/// The order of `geographiclib-rs`' series (its private `GEODESIC_ORDER`:
/// `_C4f` fills this many coefficients).
const SERIES_ORDER: usize = 6;

fn sq(x: f64) -> f64 {
    x * x
}

/// (x, y) scaled to unit length.
fn norm(x: f64, y: f64) -> (f64, f64) {
    let r = x.hypot(y);
    (x / r, y / r)
}

/// Rounds tiny values so that 1/(very small) stays finite and small
/// differences of angles are exact (GeographicLib's Math::AngRound).
fn ang_round(x: f64) -> f64 {
    const Z: f64 = 1.0 / 16.0;
    let y = x.abs();
    let y = if y < Z { Z - (Z - y) } else { y };
    y.copysign(x)
}

/// The latitude, or NaN beyond ±90°.
fn lat_fix(x: f64) -> f64 {
    if x.abs() > 90.0 {
        f64::NAN
    } else {
        x
    }
}

/// Reduce an angle to (−180°, 180°].
fn ang_normalize(x: f64) -> f64 {
    let y = x % 360.0;
    let y = if y < -180.0 {
        y + 360.0
    } else if y > 180.0 {
        y - 360.0
    } else {
        y
    };
    if y == -180.0 {
        180.0
    } else {
        y
    }
}

/// y − x reduced to (−180°, 180°], exactly, as a sum (d, e) (GeographicLib's
/// Math::AngDiff, by Knuth's two-sum).
fn ang_diff(x: f64, y: f64) -> (f64, f64) {
    let (d, t) = two_sum(ang_normalize(-x), ang_normalize(y));
    let d = ang_normalize(d);
    let (d, t) = if d == 180.0 && t > 0.0 {
        (-180.0, t)
    } else {
        (d, t)
    };
    two_sum(d, t)
}

fn two_sum(u: f64, v: f64) -> (f64, f64) {
    let s = u + v;
    let up = s - v;
    let vpp = s - up;
    let t = -((up - u) + (vpp - v));
    (s, t)
}

/// sin and cos of x degrees, exact at multiples of 90° (the argument
/// reduced to ±45° first, as GeographicLib's Math::sincosd).
fn sincosd(x: f64) -> (f64, f64) {
    let r = x % 360.0;
    let q = (r / 90.0).round();
    let r = (r - 90.0 * q).to_radians();
    let (s, c) = r.sin_cos();
    let (s, c) = match (q as i64).rem_euclid(4) {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    };
    (s + 0.0, c + 0.0)
}

/// Σ c[k]·cos((2k+1)σ) by Clenshaw summation (GeographicLib's
/// SinCosSeries with sinp = false).
fn sin_cos_series<const N: usize>(sinx: f64, cosx: f64, c: &[f64; N]) -> f64 {
    let mut k = N;
    let ar = 2.0 * (cosx - sinx) * (cosx + sinx);
    let mut y1 = 0.0;
    let mut y0 = if N % 2 == 1 {
        k -= 1;
        c[k]
    } else {
        0.0
    };
    let mut n = N / 2;
    while n > 0 {
        n -= 1;
        k -= 1;
        y1 = ar * y0 - y1 + c[k];
        k -= 1;
        y0 = ar * y1 - y0 + c[k];
    }
    cosx * (y0 - y1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (SplitMix64): reproducible draws
    /// without a dependency.
    struct Draws(u64);
    impl Draws {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Random edges at every latitude and azimuth, across the
    /// antimeridian too, against the iterated solution: equal bit for bit
    /// where GeographicLib itself stops at the start (under 0.23 m), within
    /// the iterated solution's rounding up to the limit, and left to it
    /// beyond.
    #[test]
    fn agrees_with_the_full_solution() {
        use geographiclib_rs::{geodesic_capability as caps, DirectGeodesic};
        let g = Geodesic::wgs84();
        let mut r = Draws(20261128);
        let limit = MAX_ARC * g._b;
        for (lo, hi) in [
            (0.0, 0.2),
            (0.2, 2.0),
            (2.0, limit * 0.98),
            (limit * 1.02, 100.0),
        ] {
            let (mut worst_s, mut worst_area, mut bias, mut solved) = (0.0f64, 0.0f64, 0.0, 0);
            let mut differs = false;
            let n = 50_000;
            for k in 0..n {
                let lat1 = -89.9 + 179.8 * r.next();
                // One edge in ten starts within a metre of the antimeridian.
                let lon1 = if k % 10 == 0 {
                    180.0 - 1e-5 * r.next()
                } else {
                    -180.0 + 360.0 * r.next()
                };
                let azi = -180.0 + 360.0 * r.next();
                let s = lo + (hi - lo) * r.next();
                let (lat2, lon2): (f64, f64) = g.direct(lat1, lon1, azi, s);
                let full = g._gen_inverse(lat1, lon1, lat2, lon2, caps::DISTANCE | caps::AREA);
                if let Some((len, area)) = edge(&g, lat1, lon1, lat2, lon2) {
                    solved += 1;
                    differs |= len != full.1 || area != full.9;
                    worst_s = worst_s.max((len - full.1).abs());
                    // Rounding scales with the term itself (1e10 m² near
                    // the poles, where an edge turns fast).
                    worst_area = worst_area.max((area - full.9).abs() - 1e-14 * full.9.abs());
                    bias += area - full.9;
                }
            }
            eprintln!(
                "{lo:.1}–{hi:.1} m: {solved} of {n} solved here; worst length {worst_s:e} m, \
                 worst S12 {worst_area:e} m² (beyond 1e-14 of it), mean S12 difference {:e} m²",
                bias / n as f64
            );
            if hi > limit {
                assert_eq!(
                    solved, 0,
                    "edges beyond the limit are left to the full solution"
                );
                continue;
            }
            assert_eq!(
                solved, n,
                "every short edge away from the poles is solved here"
            );
            if hi <= 0.2 {
                assert!(
                    !differs,
                    "GeographicLib's own short-line answers, bit for bit"
                );
            }
            assert!(worst_s < 5e-9, "{worst_s}");
            assert!(worst_area < 1e-4, "{worst_area}");
            assert!((bias / n as f64).abs() < 1e-6, "{bias}");
        }
    }

    /// Meridians, the equator and degenerate input go to the full solution.
    #[test]
    fn leaves_special_cases_to_the_full_solution() {
        let g = Geodesic::wgs84();
        assert_eq!(edge(&g, 40.0, 45.0, 40.00001, 45.0), None);
        assert_eq!(edge(&g, 0.0, 45.0, 0.0, 45.00001), None);
        assert_eq!(edge(&g, 40.0, 45.0, 40.0, 45.0), None);
        assert_eq!(edge(&g, 91.0, 45.0, 40.0, 45.0), None);
        assert_eq!(edge(&g, f64::NAN, 45.0, 40.0, 45.0), None);
        assert_eq!(edge(&g, 40.0, 45.0, 41.0, 46.0), None);
        assert!(edge(&g, 40.0, 45.0, 40.00001, 45.00001).is_some());
    }
}
