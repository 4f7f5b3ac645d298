//! Tri-points and lines on lone base points, with answers known by
//! construction.

use terminus_compare::frame::Frame;
use terminus_delimitation::{median_line, tri_junction, MedianOptions, Side, VertexKind};
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::Ellipsoid;
use terminus_testdata::pairs::nearest_on_polyline;

/// A triangular lake: three straight shores, each a geodesic 4 km long
/// touching the geodesic circle of 3 km about `centre` at azimuths 0°,
/// 120°, 240°, perpendicular to the radius there. The centre's foot on
/// each shore is the touching point, so the centre is equidistant from
/// all three (3,000 m) by construction, and nothing else is.
fn lake(centre: (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let g = Ellipsoid::WGS84.geodesic();
    [0.0, 120.0, 240.0]
        .iter()
        .map(|&az| {
            let (lat, lon, az2): (f64, f64, f64) = g.direct(centre.0, centre.1, az, 3000.0);
            (-2..=2)
                .map(|k| {
                    let (la, lo): (f64, f64) = g.direct(lat, lon, az2 + 90.0, 1000.0 * k as f64);
                    (la, lo)
                })
                .collect()
        })
        .collect()
}

#[test]
fn three_shores_meet_at_the_centre() {
    let centre = (40.0, 45.0);
    let shores = lake(centre);
    let frame = Frame::around(Ellipsoid::WGS84, shores.iter().flatten()).unwrap();
    let names = ["north", "south-east", "south-west"];
    let sides: Vec<Side> = shores
        .iter()
        .zip(names)
        .map(|(s, n)| Side::new(n, vec![s.clone()], &frame).unwrap())
        .collect();
    let j = tri_junction(
        &frame,
        [&sides[0], &sides[1], &sides[2]],
        &MedianOptions::default(),
    )
    .unwrap();
    let g = Ellipsoid::WGS84.geodesic();
    let off: f64 = g.inverse(centre.0, centre.1, j.point.lat, j.point.lon);
    assert!(off < 1e-6, "tri-point {off} m from the centre");
    assert!(
        (j.point.distance - 3000.0).abs() < 1e-6,
        "{}",
        j.point.distance
    );
    // Independently: brute-force distance to each shore.
    let gn = frame.gnomonic();
    for s in &shores {
        let d = nearest_on_polyline(gn, s, (j.point.lat, j.point.lon))
            .unwrap()
            .distance;
        assert!((d - 3000.0).abs() < 1e-6, "{d}");
    }
    assert_eq!(j.lines.len(), 3);
    for ((a, b), line) in &j.lines {
        let c = 3 - a - b;
        let first = &line.vertices[0];
        assert_eq!(first.kind, VertexKind::Start);
        assert_eq!((first.lat, first.lon), (j.point.lat, j.point.lon));
        assert!(line.vertices.len() >= 2 && line.length_m > 100.0);
        for v in &line.vertices {
            let p = (v.lat, v.lon);
            let da = nearest_on_polyline(gn, &shores[*a], p).unwrap().distance;
            let db = nearest_on_polyline(gn, &shores[*b], p).unwrap().distance;
            let dc = nearest_on_polyline(gn, &shores[c], p).unwrap().distance;
            assert!((da - db).abs() < 1e-6, "{da} {db}");
            // The third shore is never nearer along the kept line.
            assert!(dc >= da - 1e-6, "{dc} < {da} at {p:?}");
        }
        // Each line leaves towards the corner between its two shores:
        // along the bisector, 180° from the third shore's touching point.
        let last = line.vertices.last().unwrap();
        let (_, az, _, _): (f64, f64, f64, f64) = g.inverse(centre.0, centre.1, last.lat, last.lon);
        let toward_third = [0.0, 120.0, 240.0][c];
        let diff =
            ((az - toward_third - 180.0).rem_euclid(360.0) + 180.0).rem_euclid(360.0) - 180.0;
        assert!(diff.abs() < 1.0, "line {a}|{b} heads {az}°");
    }
}

#[test]
fn lone_base_points_give_the_simplified_line() {
    // Base points only: two on each of two meridians at the same
    // latitudes. The line is the meridian halfway; it turns where both
    // sides' nearest point changes at once, equidistant from all four.
    let a = vec![vec![(40.0, 10.0)], vec![(40.2, 10.0)]];
    let b = vec![vec![(40.0, 10.2)], vec![(40.2, 10.2)]];
    let frame = Frame::around(Ellipsoid::WGS84, a.iter().chain(&b).flatten()).unwrap();
    let sa = Side::new("A", a.clone(), &frame).unwrap();
    let sb = Side::new("B", b.clone(), &frame).unwrap();
    let m = median_line(&frame, &sa, &sb, &MedianOptions::default()).unwrap();
    let g = Ellipsoid::WGS84.geodesic();
    let d = |p: (f64, f64), q: (f64, f64)| -> f64 { g.inverse(p.0, p.1, q.0, q.1) };
    for v in &m.vertices {
        assert!((v.lon - 10.1).abs() < 1e-9, "{v:?}");
        let p = (v.lat, v.lon);
        let da = d(p, a[0][0]).min(d(p, a[1][0]));
        let db = d(p, b[0][0]).min(d(p, b[1][0]));
        assert!((da - db).abs() < 1e-6);
    }
    let turning: Vec<_> = m.turning_points().collect();
    assert_eq!(turning.len(), 1, "{:#?}", m.vertices);
    let t = (turning[0].lat, turning[0].lon);
    let ds = [d(t, a[0][0]), d(t, a[1][0]), d(t, b[0][0]), d(t, b[1][0])];
    for x in ds {
        assert!((x - ds[0]).abs() < 1e-6, "{ds:?}");
    }
}

/// The same lake with shores built by GeographicLib's own GeodSolve
/// (tests/fixtures/delimitation/lake_geodsolve.txt, its commands there):
/// the tri-point is the centre, 3,000 m from each shore's touching point,
/// by GeographicLib's construction rather than ours.
#[test]
fn tri_point_of_shores_built_by_geodsolve() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/delimitation/lake_geodsolve.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let mut shores: Vec<Vec<(f64, f64)>> = vec![Vec::new(); 3];
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let v: Vec<f64> = line
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        shores[(v[0] / 120.0) as usize].push((v[1], v[2]));
    }
    // Our own construction agrees with GeodSolve's to 1e-11°.
    for (ours, theirs) in lake((40.0, 45.0)).iter().zip(&shores) {
        for (p, q) in ours.iter().zip(theirs) {
            assert!(
                (p.0 - q.0).abs() < 1e-11 && (p.1 - q.1).abs() < 1e-11,
                "{p:?} {q:?}"
            );
        }
    }
    let frame = Frame::around(Ellipsoid::WGS84, shores.iter().flatten()).unwrap();
    let sides: Vec<Side> = shores
        .iter()
        .enumerate()
        .map(|(i, s)| Side::new(&format!("shore {i}"), vec![s.clone()], &frame).unwrap())
        .collect();
    let j = tri_junction(
        &frame,
        [&sides[0], &sides[1], &sides[2]],
        &MedianOptions::default(),
    )
    .unwrap();
    let g = Ellipsoid::WGS84.geodesic();
    let off: f64 = g.inverse(40.0, 45.0, j.point.lat, j.point.lon);
    assert!(off < 1e-6, "{off}");
    for (b, shore) in j.point.base.iter().zip(&shores) {
        assert!((b.distance - 3000.0).abs() < 1e-6, "{b:?}");
        // The base point is the touching point (the middle vertex).
        let touch = shore[2];
        let d: f64 = g.inverse(b.lat, b.lon, touch.0, touch.1);
        assert!(d < 1e-5, "{d}");
    }
}
