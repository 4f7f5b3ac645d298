//! Segment intersections against GeographicLib 2.7's `IntersectTool -i`
//! (Karney 2023): 2,000 segment pairs — border-scale ones over the Caucasus
//! and Central Asia, long ones (to ~5,000 km) anywhere, and nearly parallel
//! ones — made by tests/fixtures/geographiclib/make_intersect.py.

use terminus_geodesy::geodesic::intersect_segments;
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::Ellipsoid;

#[test]
fn agrees_with_geographiclib_intersect_tool() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/geographiclib/intersect_reference.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let g = Ellipsoid::WGS84.geodesic();
    let (mut n, mut within, mut worst, mut worst_scaled) = (0, 0, 0.0f64, 0.0f64);
    for line in text.lines() {
        let f: Vec<f64> = line
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        let (x, y, k) = (f[8], f[9], f[11]);
        let ll = |i: usize| terminus_geodesy::LatLon::new(f[i], f[i + 1]);
        let r = intersect_segments(&g, ll(0), ll(2), ll(4), ll(6))
            .unwrap_or_else(|e| panic!("{e} for {line}"))
            .unwrap_or_else(|| panic!("no crossing found for {line}"));
        // Both solvers meet to a few nm across the lines; along them that is
        // stretched by 1/sin(crossing angle), so allow 1e-8 m / sin(angle).
        let azi = |lat: f64, lon: f64, lat2: f64, lon2: f64| -> f64 {
            let (_s, a1, _a2, _a): (f64, f64, f64, f64) = g.inverse(lat, lon, lat2, lon2);
            a1
        };
        let (_, _, az_x): (f64, f64, f64) = g.direct(f[0], f[1], azi(f[0], f[1], f[2], f[3]), x);
        let (_, _, az_y): (f64, f64, f64) = g.direct(f[4], f[5], azi(f[4], f[5], f[6], f[7]), y);
        let sin_angle = (az_x - az_y).to_radians().sin().abs();
        let allowed = 1e-9 + 1e-8 / sin_angle;
        let err = (r.along_first - x).abs().max((r.along_second - y).abs());
        assert!(
            err < allowed,
            "{err} m off (allowed {allowed}) for {line}: {r:?}"
        );
        worst_scaled = worst_scaled.max(err * sin_angle);
        assert_eq!(
            r.within_both,
            k == 0.0,
            "within-flag differs for {line}: {r:?}"
        );
        worst = worst.max(err);
        within += r.within_both as usize;
        n += 1;
    }
    assert_eq!(n, 2000);
    assert!(within > 400, "only {within} crossings within both segments");
    eprintln!(
        "worst difference from IntersectTool: {worst:e} m along, {worst_scaled:e} m across, over {n} pairs"
    );
}
