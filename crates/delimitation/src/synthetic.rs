//! Synthetic river banks for benchmarks and tests: a meandering channel
//! whose two banks have many vertices and small, reproducible
//! irregularities, so that the median's base points change often.

use terminus_geodesy::measure::DirectGeodesic;
use terminus_geodesy::Ellipsoid;

/// A bank's vertices, (lat, lon) degrees.
pub type Bank = Vec<(f64, f64)>;

/// Two banks ((lat, lon) degrees, WGS 84) of a river `length_m` long
/// running east from (`lat0`, `lon0`), `vertices` per bank: meanders of
/// 2 km amplitude and 10 km wavelength, a width varying between 200 and
/// 600 m, and a ±3 m roughness from a fixed pseudo-random sequence
/// (a 64-bit LCG, so every run sees the same banks).
pub fn river_banks(lat0: f64, lon0: f64, length_m: f64, vertices: usize) -> (Bank, Bank) {
    let g = Ellipsoid::WGS84.geodesic();
    let (amp, wave) = (2_000.0, 10_000.0);
    let k = std::f64::consts::TAU / wave;
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rough = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 6.0
    };
    let n = vertices.max(2);
    let mut left = Vec::with_capacity(n);
    let mut right = Vec::with_capacity(n);
    for i in 0..n {
        let s = length_m * i as f64 / (n - 1) as f64;
        // Centre line (x east, y north) and its unit normal.
        let (x, y) = (s, amp * (k * s).sin());
        let (tx, ty) = (1.0_f64, amp * k * (k * s).cos());
        let tn = tx.hypot(ty);
        let (nx, ny) = (-ty / tn, tx / tn);
        let half = 200.0 + 100.0 * (1.0 + (s / 7_300.0).sin());
        let to_latlon = |x: f64, y: f64| -> (f64, f64) {
            // Azimuthal equidistant placement about the origin.
            let (lat, lon): (f64, f64) = g.direct(lat0, lon0, x.atan2(y).to_degrees(), x.hypot(y));
            (lat, lon)
        };
        let (hl, hr) = (half + rough(), half + rough());
        left.push(to_latlon(x + nx * hl, y + ny * hl));
        right.push(to_latlon(x - nx * hr, y - ny * hr));
    }
    (left, right)
}
