//! Median lines with known answers: two meridians (the median is the
//! meridian halfway, by the ellipsoid's symmetry), two concentric geodesic
//! circles (the circle halfway, to the sides' chord sagitta), and the
//! properties the issue names: symmetry, a line with itself, 1:1 weights.
//! Equidistance is checked independently with the geodesy layer's
//! brute-force nearest point over every segment.

use terminus_compare::frame::Frame;
use terminus_delimitation::{median_line, MedianLine, MedianOptions, Side, VertexKind};
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::Ellipsoid;
use terminus_testdata::pairs::nearest_on_polyline;

fn frame_for(a: &[(f64, f64)], b: &[(f64, f64)]) -> Frame {
    Frame::around(Ellipsoid::WGS84, a.iter().chain(b)).unwrap()
}

fn median(a: &[(f64, f64)], b: &[(f64, f64)], o: &MedianOptions) -> MedianLine {
    let f = frame_for(a, b);
    let sa = Side::new("A", vec![a.to_vec()], &f).unwrap();
    let sb = Side::new("B", vec![b.to_vec()], &f).unwrap();
    median_line(&f, &sa, &sb, o).unwrap()
}

/// (d_A, d_B) by brute force over every segment.
fn distances(a: &[(f64, f64)], b: &[(f64, f64)], p: (f64, f64)) -> (f64, f64) {
    let f = frame_for(a, b);
    let g = f.gnomonic();
    (
        nearest_on_polyline(g, a, p).unwrap().distance,
        nearest_on_polyline(g, b, p).unwrap().distance,
    )
}

fn meridian(lon: f64, n: usize) -> Vec<(f64, f64)> {
    (0..=n).map(|i| (40.0 + i as f64 / n as f64, lon)).collect()
}

#[test]
fn between_two_meridians_the_median_is_the_meridian_halfway() {
    let (a, b) = (meridian(10.0, 4), meridian(10.2, 7));
    let m = median(&a, &b, &MedianOptions::default());
    assert!(m.vertices.len() >= 2);
    assert_eq!(m.vertices[0].kind, VertexKind::Start);
    assert_eq!(m.vertices.last().unwrap().kind, VertexKind::End);
    for v in &m.vertices {
        assert!((v.lon - 10.1).abs() < 1e-10, "{v:?}");
        let (da, db) = distances(&a, &b, (v.lat, v.lon));
        assert!(
            (da - db).abs() < 1e-6,
            "{} {} at {:?}",
            da,
            db,
            (v.lat, v.lon)
        );
        // And the engine's own base points say the same distances.
        assert!((v.base_a[0].distance - da).abs() < 1e-6);
        assert!((v.base_b[0].distance - db).abs() < 1e-6);
    }
    // A straight line: start and end, no turning point (the base points
    // slide along straight sides), no intermediate vertex.
    assert_eq!(m.vertices.len(), 2, "{:#?}", m.vertices);
    let first = m.vertices[0].lat;
    let last = m.vertices.last().unwrap().lat;
    assert!(first > 40.0 && first < 40.001 && last > 41.0 && last < 41.001);
}

#[test]
fn median_is_symmetric_and_weights_one_to_one_are_unweighted() {
    let (a, b) = (meridian(10.0, 3), meridian(10.2, 5));
    let ab = median(&a, &b, &MedianOptions::default());
    let ba = median(&b, &a, &MedianOptions::default());
    assert_eq!(ab.vertices.len(), ba.vertices.len());
    let g = Ellipsoid::WGS84.geodesic();
    for (x, y) in ab.vertices.iter().zip(&ba.vertices) {
        let d: f64 = g.inverse(x.lat, x.lon, y.lat, y.lon);
        assert!(d < 1e-6, "{d}");
        assert_eq!(x.kind, y.kind);
    }
    let w = median(
        &a,
        &b,
        &MedianOptions {
            weights: (3.0, 3.0),
            ..Default::default()
        },
    );
    for (x, y) in ab.vertices.iter().zip(&w.vertices) {
        let d: f64 = g.inverse(x.lat, x.lon, y.lat, y.lon);
        assert!(d < 1e-6, "{d}");
    }
}

#[test]
fn a_line_with_itself_is_itself() {
    let a = vec![(40.0, 45.0), (40.1, 45.05), (40.15, 45.2)];
    let m = median(&a, &a, &MedianOptions::default());
    assert_eq!(m.coords(), a);
}

#[test]
fn two_to_one_line_is_twice_as_far_from_a() {
    let (a, b) = (meridian(10.0, 2), meridian(10.3, 2));
    let m = median(
        &a,
        &b,
        &MedianOptions {
            weights: (2.0, 1.0),
            ..Default::default()
        },
    );
    for v in &m.vertices {
        let (da, db) = distances(&a, &b, (v.lat, v.lon));
        assert!((da - 2.0 * db).abs() < 1e-6, "{da} {db}");
        // Two thirds of the way across (to the meridians' convergence).
        assert!((v.lon - 10.2).abs() < 2e-4, "{}", v.lon);
    }
}

/// Geodesic circle arc around `c`, radius `r`, azimuths 0..=90° every `step`°.
fn arc(c: (f64, f64), r: f64, step: f64) -> Vec<(f64, f64)> {
    let g = Ellipsoid::WGS84.geodesic();
    let n = (90.0 / step).round() as usize;
    (0..=n)
        .map(|i| {
            let (lat, lon): (f64, f64) = g.direct(c.0, c.1, i as f64 * step, r);
            (lat, lon)
        })
        .collect()
}

#[test]
fn between_concentric_circles_the_median_is_the_circle_halfway() {
    let c = (39.5, 71.0);
    let (r1, r2, step) = (5_000.0, 6_000.0, 1.0);
    let (a, b) = (arc(c, r1, step), arc(c, r2, step));
    // The sides are chords: each lies inside its circle by up to its
    // sagitta r(1 − cos(step/2)).
    let sag = |r: f64| r * (1.0 - (step.to_radians() / 2.0).cos());
    let o = MedianOptions {
        tolerance: 0.05,
        ..Default::default()
    };
    let m = median(&a, &b, &o);
    let g = Ellipsoid::WGS84.geodesic();
    // One turning point per interior vertex of the outer arc, where the
    // base point jumps from one chord to the next; the inner arc's vertices
    // are passed smoothly (a chord gives way to its own end).
    let turning = m.turning_points().count();
    assert_eq!(turning, b.len() - 2, "{turning} turning points");
    for v in &m.vertices {
        let rho: f64 = g.inverse(c.0, c.1, v.lat, v.lon);
        assert!(
            (rho - (r1 + r2) / 2.0).abs() <= (sag(r1) + sag(r2)) / 2.0 + 1e-6,
            "ρ = {rho}"
        );
        let (da, db) = distances(&a, &b, (v.lat, v.lon));
        assert!((da - db).abs() < 1e-6, "{da} {db}");
        if v.kind == VertexKind::Turning {
            // The bases that swap are at the same distance.
            for x in v.base_a.iter().chain(&v.base_b) {
                assert!((x.distance - da).abs() < 1e-6, "{x:?} vs {da} in {v:#?}");
            }
            assert!(v.base_a.len() + v.base_b.len() >= 3, "{v:?}");
        }
    }
    // Between vertices the line stays within the tolerance of equal
    // distance: |d_A − d_B| / |∇(d_A − d_B)| along every chord.
    let f = frame_for(&a, &b);
    let gn = f.gnomonic();
    let mut worst: f64 = 0.0;
    for w in m.vertices.windows(2) {
        let (p, q) = ((w[0].lat, w[0].lon), (w[1].lat, w[1].lon));
        let (s, az, _, _): (f64, f64, f64, f64) = g.inverse(p.0, p.1, q.0, q.1);
        for k in 1..10 {
            let (lat, lon): (f64, f64) = g.direct(p.0, p.1, az, s * k as f64 / 10.0);
            let na = nearest_on_polyline(gn, &a, (lat, lon)).unwrap();
            let nb = nearest_on_polyline(gn, &b, (lat, lon)).unwrap();
            let away = |n: &terminus_geodesy::geodesic::Nearest| {
                let (_, _, azi2, _): (f64, f64, f64, f64) = g.inverse(n.lat, n.lon, lat, lon);
                let (s, c) = azi2.to_radians().sin_cos();
                (s, c)
            };
            let (ua, ub) = (away(&na), away(&nb));
            let grad = (ua.0 - ub.0).hypot(ua.1 - ub.1);
            worst = worst.max((na.distance - nb.distance).abs() / grad);
        }
    }
    assert!(worst <= o.tolerance, "worst departure {worst} m");
}

#[test]
fn bad_input_is_refused_clearly() {
    let f = frame_for(&meridian(10.0, 2), &meridian(10.2, 2));
    let e = Side::new("bank", vec![], &f).err().unwrap();
    assert!(
        e.to_string().contains("bank") && e.to_string().contains("no lines"),
        "{e}"
    );
    let e = Side::new("bank", vec![vec![]], &f).err().unwrap();
    assert!(e.to_string().contains("part 0 has no vertices"), "{e}");
    let e = Side::new("bank", vec![vec![(40.0, 10.0), (40.0, 10.0)]], &f)
        .err()
        .unwrap();
    assert!(e.to_string().contains("single point repeated"), "{e}");
    let e = Side::new("bank", vec![vec![(40.0, 10.0), (95.0, 10.0)]], &f)
        .err()
        .unwrap();
    assert!(e.to_string().contains("vertex 1"), "{e}");
    // Sides that cross: the crossing is named.
    let a = vec![(40.0, 10.0), (41.0, 10.2)];
    let b = vec![(40.0, 10.2), (41.0, 10.0)];
    let f = frame_for(&a, &b);
    let (sa, sb) = (
        Side::new("A", vec![a], &f).unwrap(),
        Side::new("B", vec![b], &f).unwrap(),
    );
    let e = median_line(&f, &sa, &sb, &MedianOptions::default()).unwrap_err();
    assert!(e.to_string().contains("touch or cross near 40.5"), "{e}");
    let e = median_line(
        &f,
        &sa,
        &sb,
        &MedianOptions {
            weights: (1.0, 0.0),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("weights"), "{e}");
}
