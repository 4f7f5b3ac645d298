//! Geodesic lengths against GeographicLib's GeodTest set (Karney's reference
//! geodesics on WGS 84, computed in high precision).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use terminus_geodesy::{measure, Ellipsoid};

fn data(path: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(path);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: {} is absent (../shared/data not beside the checkout)",
            p.display()
        );
        None
    }
}

#[test]
fn path_length_matches_geodtest_to_nanometres() {
    let Some(path) = data("geodesy/GeodTest-short.dat.gz") else {
        return;
    };
    let file = std::fs::File::open(path).unwrap();
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let mut worst: f64 = 0.0;
    let mut n = 0;
    for line in reader.lines() {
        let line = line.unwrap();
        let v: Vec<f64> = line
            .split_whitespace()
            .map(|t| t.parse().unwrap())
            .collect();
        let (lat1, lon1, lat2, lon2, s12) = (v[0], v[1], v[3], v[4], v[6]);
        let s = measure::path_length(&Ellipsoid::WGS84, [(lon1, lat1), (lon2, lat2)]);
        worst = worst.max((s - s12).abs());
        n += 1;
    }
    assert_eq!(n, 10_000);
    // GeographicLib states 15 nm for the inverse problem on WGS 84.
    assert!(worst < 15e-9 * 10.0, "worst error {worst} m");
    eprintln!(
        "GeodTest-short: {n} geodesics, worst length error {:.3e} m",
        worst
    );
}
