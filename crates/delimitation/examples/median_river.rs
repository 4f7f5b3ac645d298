//! Time the median between two synthetic river banks.
//! Usage: median_river [VERTICES] [RUNS]
use std::time::Instant;
use terminus_compare::frame::Frame;
use terminus_delimitation::synthetic::river_banks;
use terminus_delimitation::{median_line, MedianOptions, Side};
use terminus_geodesy::geodesic::nearest_on_polyline;
use terminus_geodesy::measure::InverseGeodesic;
use terminus_geodesy::Ellipsoid;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(3);
    let (a, b) = river_banks(40.0, 70.0, 50_000.0, n);
    for _ in 0..runs {
        let t = Instant::now();
        let frame = Frame::around(Ellipsoid::WGS84, a.iter().chain(&b)).unwrap();
        let sa = Side::new("left", vec![a.clone()], &frame).unwrap();
        let sb = Side::new("right", vec![b.clone()], &frame).unwrap();
        let m = median_line(&frame, &sa, &sb, &MedianOptions::default()).unwrap();
        println!(
            "{n} vertices per bank: {:.3} s, {} vertices ({} turning), {} traced, {:.1} m",
            t.elapsed().as_secs_f64(),
            m.vertices.len(),
            m.turning_points().count(),
            m.traced_points,
            m.length_m
        );
        if std::env::var("CHECK").is_ok() {
            let g = frame.gnomonic();
            let mut worst: f64 = 0.0;
            let mut close = 0;
            for v in &m.vertices {
                let da = nearest_on_polyline(g, &a, (v.lat, v.lon)).unwrap().distance;
                let db = nearest_on_polyline(g, &b, (v.lat, v.lon)).unwrap().distance;
                worst = worst.max((da - db).abs());
                for bs in [&v.base_a, &v.base_b] {
                    if bs.len() == 2 {
                        let d: f64 = g
                            .geodesic()
                            .inverse(bs[0].lat, bs[0].lon, bs[1].lat, bs[1].lon);
                        if d < 1.0 {
                            close += 1;
                            if close < 5 {
                                println!("close base points {d:.3e}: {:?}", bs);
                            }
                        }
                    }
                }
            }
            println!(
                "worst |dA-dB| {worst:.3e} m; turning points with base points < 1 m apart: {close}"
            );
        }
    }
}
