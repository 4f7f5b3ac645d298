//! Each validation check on hand-made geometries whose faults are known.

use terminus_geodesy::Crs;
use terminus_vector::validate::{
    validate_dataset, validate_layer, Check, Finding, Severity, ValidationOptions,
};
use terminus_vector::{Coord, Dataset, Feature, Geometry, Layer, Polygon};

fn c(x: f64, y: f64) -> Coord {
    Coord::xy(x, y)
}

fn ring(pts: &[(f64, f64)]) -> Vec<Coord> {
    pts.iter().map(|&(x, y)| c(x, y)).collect()
}

fn findings(g: Geometry) -> Vec<Finding> {
    let mut l = Layer::new("t", Crs::WGS84);
    l.features.push(Feature::new(g));
    validate_layer(&l, &ValidationOptions::default())
}

fn checks(f: &[Finding]) -> Vec<(Severity, Check)> {
    f.iter().map(|f| (f.severity, f.check)).collect()
}

/// A counter-clockwise square, 0.1° on a side, near Tavush.
fn square() -> Vec<Coord> {
    ring(&[
        (45.0, 41.0),
        (45.1, 41.0),
        (45.1, 41.1),
        (45.0, 41.1),
        (45.0, 41.0),
    ])
}

#[test]
fn a_valid_polygon_with_a_hole_has_no_findings() {
    let hole = ring(&[
        (45.02, 41.02),
        (45.02, 41.05),
        (45.05, 41.05),
        (45.05, 41.02),
        (45.02, 41.02),
    ]);
    assert!(findings(Geometry::Polygon(Polygon::new(vec![square(), hole]))).is_empty());
}

#[test]
fn a_hole_touching_its_shell_at_one_point_is_valid() {
    let hole = ring(&[(45.0, 41.0), (45.02, 41.05), (45.05, 41.02), (45.0, 41.0)]);
    let f = findings(Geometry::Polygon(Polygon::new(vec![square(), hole])));
    assert!(f.iter().all(|f| f.severity == Severity::Warning), "{f:?}");
}

#[test]
fn unclosed_ring_is_located_at_its_last_vertex() {
    let mut r = square();
    r.pop();
    let f = findings(Geometry::Polygon(Polygon::new(vec![r])));
    let u = f
        .iter()
        .find(|f| f.check == Check::UnclosedRing)
        .expect("unclosed ring reported");
    assert_eq!(u.severity, Severity::Error);
    assert_eq!((u.location.ring, u.location.vertex), (Some(0), Some(3)));
}

#[test]
fn too_few_vertices_and_empty_parts() {
    let f = findings(Geometry::Polygon(Polygon::new(vec![ring(&[
        (45.0, 41.0),
        (45.1, 41.0),
        (45.0, 41.0),
    ])])));
    assert!(checks(&f).contains(&(Severity::Error, Check::TooFewVertices)));
    let f = findings(Geometry::MultiLineString(vec![
        vec![c(45.0, 41.0), c(45.1, 41.0)],
        vec![],
    ]));
    let e = f
        .iter()
        .find(|f| f.check == Check::EmptyPart)
        .expect("empty part");
    assert_eq!(e.location.part, Some(1));
    let f = findings(Geometry::MultiPolygon(vec![]));
    assert!(checks(&f).contains(&(Severity::Error, Check::EmptyPart)));
}

#[test]
fn bow_tie_crossing_is_an_error_at_the_crossing_point() {
    let f = findings(Geometry::Polygon(Polygon::new(vec![ring(&[
        (0.0, 0.0),
        (1.0, 1.0),
        (1.0, 0.0),
        (0.0, 1.0),
        (0.0, 0.0),
    ])])));
    let x = f
        .iter()
        .find(|f| f.check == Check::SelfIntersection)
        .expect("crossing");
    assert_eq!(x.severity, Severity::Error);
    let [px, py] = x.location.position.unwrap();
    assert!((px - 0.5).abs() < 1e-12 && (py - 0.5).abs() < 1e-12);
}

#[test]
fn ring_passing_twice_through_a_point_is_reported_once() {
    // A figure-eight pinched at (1, 1): invalid in OGC Simple Features.
    let r = ring(&[
        (0.0, 0.0),
        (1.0, 1.0),
        (2.0, 0.0),
        (2.0, 2.0),
        (1.0, 1.0),
        (0.0, 2.0),
        (0.0, 0.0),
    ]);
    let f = findings(Geometry::Polygon(Polygon::new(vec![r])));
    let touches: Vec<_> = f
        .iter()
        .filter(|f| f.check == Check::SelfIntersection)
        .collect();
    assert_eq!(touches.len(), 1, "{touches:#?}");
    assert_eq!(touches[0].location.position, Some([1.0, 1.0]));
}

#[test]
fn hole_crossing_its_shell_and_hole_outside_it() {
    let crossing = ring(&[
        (45.05, 41.05),
        (45.2, 41.05),
        (45.2, 41.06),
        (45.05, 41.06),
        (45.05, 41.05),
    ]);
    let f = findings(Geometry::Polygon(Polygon::new(vec![square(), crossing])));
    assert!(f
        .iter()
        .any(|f| f.check == Check::SelfIntersection && f.location.ring == Some(0)));
    let outside = ring(&[(46.0, 41.0), (46.0, 41.1), (46.1, 41.1), (46.0, 41.0)]);
    let f = findings(Geometry::Polygon(Polygon::new(vec![square(), outside])));
    let h = f
        .iter()
        .find(|f| f.check == Check::HoleOutsideShell)
        .expect("hole outside");
    assert_eq!(h.location.ring, Some(1));
}

#[test]
fn duplicates_and_spikes_are_warnings_with_their_vertex() {
    let line = vec![
        c(45.0, 41.0),
        c(45.1, 41.0),
        c(45.1, 41.0),
        c(45.2, 41.0),
        c(45.3, 41.0),
        c(45.2, 41.0000001),
        c(45.4, 41.0),
    ];
    let f = findings(Geometry::LineString(line));
    let d = f
        .iter()
        .find(|f| f.check == Check::DuplicateVertex)
        .expect("duplicate");
    assert_eq!(
        (d.severity, d.location.vertex),
        (Severity::Warning, Some(2))
    );
    let s = f.iter().find(|f| f.check == Check::Spike).expect("spike");
    assert_eq!(s.location.vertex, Some(4));
}

#[test]
fn winding_follows_rfc_7946() {
    let mut cw = square();
    cw.reverse();
    let f = findings(Geometry::Polygon(Polygon::new(vec![cw])));
    assert_eq!(checks(&f), vec![(Severity::Warning, Check::WrongWinding)]);
    assert!(findings(Geometry::Polygon(Polygon::new(vec![square()]))).is_empty());
}

#[test]
fn out_of_range_and_swapped_coordinates() {
    // Latitude 145 cannot be; exchanged, the point is valid.
    let f = findings(Geometry::Point(c(41.0, 145.0)));
    assert_eq!(checks(&f), vec![(Severity::Error, Check::SwappedLatLon)]);
    let f = findings(Geometry::Point(c(200.0, 95.0)));
    assert_eq!(checks(&f), vec![(Severity::Error, Check::OutOfRange)]);
    let f = findings(Geometry::Point(c(f64::NAN, 41.0)));
    assert_eq!(checks(&f), vec![(Severity::Error, Check::NonFinite)]);
    // One vertex of a line typed latitude first.
    let f = findings(Geometry::LineString(vec![
        c(45.40, 41.06),
        c(41.062, 45.41),
        c(45.42, 41.065),
    ]));
    let s = f
        .iter()
        .find(|f| f.check == Check::SwappedLatLon)
        .expect("swapped vertex");
    assert_eq!((s.severity, s.location.vertex), (Severity::Error, Some(1)));
}

#[test]
fn a_feature_typed_latitude_first_stands_out_from_its_layer() {
    let sq = |x: f64, y: f64| {
        Geometry::Polygon(Polygon::new(vec![ring(&[
            (x, y),
            (x + 0.01, y),
            (x + 0.01, y + 0.01),
            (x, y + 0.01),
            (x, y),
        ])]))
    };
    let mut l = Layer::new("enclaves", Crs::WGS84);
    l.features.push(Feature::new(sq(45.51, 40.63)));
    l.features.push(Feature::new(sq(45.20, 40.99)));
    l.features.push(Feature::new(sq(41.06, 45.00)));
    let f = validate_layer(&l, &ValidationOptions::default());
    let s: Vec<_> = f
        .iter()
        .filter(|f| f.check == Check::SwappedLatLon)
        .collect();
    assert_eq!(s.len(), 1);
    assert_eq!(
        (s[0].severity, s[0].location.feature),
        (Severity::Error, Some(2))
    );
    // In a projected CRS nothing of this applies.
    l.crs = Crs::Epsg(32638);
    assert!(validate_layer(&l, &ValidationOptions::default())
        .iter()
        .all(|f| f.check != Check::SwappedLatLon));
}

#[test]
fn layers_in_different_crs_are_flagged() {
    let a = Layer::new("a", Crs::WGS84);
    let b = Layer::new("b", Crs::Epsg(4284));
    let f = validate_dataset(
        &Dataset { layers: vec![a, b] },
        &ValidationOptions::default(),
    );
    assert_eq!(checks(&f), vec![(Severity::Warning, Check::MixedCrs)]);
    assert_eq!(f[0].location.layer, "b");
}

#[test]
fn antarctica_is_not_a_swapped_feature() {
    // A polar cap spans all longitudes: exchanged, it would not fit among the
    // other features, so it must not be flagged (it was, before this test).
    let band = |y0: f64, y1: f64| {
        Geometry::Polygon(Polygon::new(vec![ring(&[
            (-180.0, y0),
            (180.0, y0),
            (180.0, y1),
            (-180.0, y1),
            (-180.0, y0),
        ])]))
    };
    let sq = |x: f64, y: f64| {
        Geometry::Polygon(Polygon::new(vec![ring(&[
            (x, y),
            (x + 1.0, y),
            (x + 1.0, y + 1.0),
            (x, y + 1.0),
            (x, y),
        ])]))
    };
    let mut l = Layer::new("world", Crs::WGS84);
    l.features.push(Feature::new(sq(-170.0, -55.0)));
    l.features.push(Feature::new(sq(170.0, 80.0)));
    l.features.push(Feature::new(sq(45.0, 40.0)));
    l.features.push(Feature::new(band(-90.0, -60.5)));
    let f = validate_layer(&l, &ValidationOptions::default());
    assert!(f.iter().all(|f| f.check != Check::SwappedLatLon), "{f:?}");
}
