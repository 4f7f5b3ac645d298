//! The median between two synthetic river banks (terminus_delimitation::
//! synthetic), timed, checked, and measured against a brute-force
//! geodesic reference on the same input. Used by bench/median-10k.sh.
//!
//! Usage: median_river [VERTICES per bank] [RUNS] [REFERENCE POINTS]
//!
//! The reference is what one writes without an index or tracing: a point
//! of the median on each of REFERENCE POINTS transects (the geodesic from
//! a vertex of bank A to its nearest point on bank B), found by bisection
//! on d_A − d_B, every distance by the geodesy layer's foot of the
//! perpendicular on every segment of both banks (rayon over transects).
use std::time::Instant;
use terminus_compare::frame::Frame;
use terminus_delimitation::synthetic::river_banks;
use terminus_delimitation::{median_line, MedianOptions, Side};
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::Ellipsoid;
use terminus_testdata::pairs::nearest_on_polyline;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let reference: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (a, b) = river_banks(40.0, 70.0, 50_000.0, n);
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let frame = Frame::around(Ellipsoid::WGS84, a.iter().chain(&b)).unwrap();
        let sa = Side::new("left", vec![a.clone()], &frame).unwrap();
        let sb = Side::new("right", vec![b.clone()], &frame).unwrap();
        let m = median_line(&frame, &sa, &sb, &MedianOptions::default()).unwrap();
        times.push(t.elapsed().as_secs_f64());
        last = Some((frame, m));
    }
    times.sort_by(f64::total_cmp);
    let (frame, m) = last.expect("at least one run");
    let median_s = times[times.len() / 2];
    println!(
        "terminus: {n} vertices per bank, median of {runs} runs {median_s:.3} s (all: {times:.3?}); {} vertices, {} turning points, {:.1} m",
        m.vertices.len(),
        m.turning_points().count(),
        m.length_m
    );
    let g = frame.gnomonic();
    let geod = g.geodesic();
    // Every output vertex, brute force over every segment of both banks.
    let t = Instant::now();
    let worst = m
        .vertices
        .iter()
        .map(|v| {
            let da = nearest_on_polyline(g, &a, (v.lat, v.lon)).unwrap().distance;
            let db = nearest_on_polyline(g, &b, (v.lat, v.lon)).unwrap().distance;
            (da - db).abs()
        })
        .fold(0.0, f64::max);
    println!(
        "check: every vertex, brute force: worst |d_A − d_B| {worst:.2e} m ({:.1} s)",
        t.elapsed().as_secs_f64()
    );
    if reference == 0 {
        return;
    }
    use rayon::prelude::*;
    let t = Instant::now();
    let points: Vec<(f64, f64)> = (0..reference)
        .into_par_iter()
        .map(|k| {
            let pa = a[(k * (a.len() - 1)) / (reference - 1).max(1)];
            let nb = nearest_on_polyline(g, &b, pa).unwrap();
            let (len, az, _, _): (f64, f64, f64, f64) = geod.inverse(pa.0, pa.1, nb.lat, nb.lon);
            let at = |s: f64| -> (f64, f64) {
                let (lat, lon): (f64, f64) = geod.direct(pa.0, pa.1, az, s);
                (lat, lon)
            };
            let f = |p: (f64, f64)| {
                nearest_on_polyline(g, &a, p).unwrap().distance
                    - nearest_on_polyline(g, &b, p).unwrap().distance
            };
            let (mut lo, mut hi) = (0.0, len);
            while hi - lo > 1e-6 {
                let mid = 0.5 * (lo + hi);
                if f(at(mid)) < 0.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            at(0.5 * (lo + hi))
        })
        .collect();
    let ref_s = t.elapsed().as_secs_f64();
    let per_point = ref_s / reference as f64;
    // Each reference point against Terminus' line.
    let line = m.coords();
    let off = points
        .iter()
        .map(|&p| nearest_on_polyline(g, &line, p).unwrap().distance)
        .fold(0.0, f64::max);
    println!(
        "reference: {reference} points in {ref_s:.2} s ({:.1} ms a point, both cores); as many points as Terminus' {} vertices would take {:.0} s: {:.0}× Terminus",
        per_point * 1e3,
        m.vertices.len(),
        per_point * m.vertices.len() as f64,
        per_point * m.vertices.len() as f64 / median_s
    );
    println!(
        "agreement: every reference point within {off:.3} m of Terminus' line (tolerance 0.5 m)"
    );
}
