//! Properties of the comparison on constructed lines whose answers are
//! known independently: lobes of known geodesic area and width, symmetry,
//! identity, densification, and bad input.

use terminus_compare::{compare, ClaimLine, CompareError, Inputs, LatLon, Options, Territory};
use terminus_geodesy::geodesic::densify_by_spacing;
use terminus_geodesy::measure::{ring_area, DirectGeodesic, InverseGeodesic};
use terminus_geodesy::Ellipsoid;

fn step(p: LatLon, azi: f64, s: f64) -> (LatLon, f64) {
    let g = Ellipsoid::WGS84.geodesic();
    let (lat, lon, azi2): (f64, f64, f64) = g.direct(p.0, p.1, azi, s);
    ((lat, lon), azi2)
}

fn line(name: &str, pts: Vec<LatLon>) -> ClaimLine {
    ClaimLine {
        name: name.into(),
        pieces: vec![pts],
    }
}

/// A: a 50 km geodesic heading east from 40°N 45°E. B: a zig-zag through
/// points on A every 10 km, with apexes set off A's geodesic at right
/// angles, alternately north and south, by the given heights.
struct Lobes {
    a: Vec<LatLon>,
    b: Vec<LatLon>,
    /// (area m², height m, north?) of each lobe, computed independently.
    lobes: Vec<(f64, f64, bool)>,
}

fn lobes() -> Lobes {
    let p0 = (40.0, 45.0);
    let heights = [500.0, 800.0, 300.0, 1200.0, 600.0];
    let (p1, _) = step(p0, 90.0, 50_000.0);
    let mut b = vec![p0];
    let mut lobes = Vec::new();
    for (k, h) in heights.iter().enumerate() {
        let (mid, azi_mid) = step(p0, 90.0, 10_000.0 * k as f64 + 5_000.0);
        let north = k % 2 == 0;
        let (apex, _) = step(mid, azi_mid + if north { -90.0 } else { 90.0 }, *h);
        let start = *b.last().unwrap();
        let end = if k + 1 == heights.len() {
            p1
        } else {
            step(p0, 90.0, 10_000.0 * (k + 1) as f64).0
        };
        let ring = [start, apex, end, start].map(|(la, lo)| terminus_geodesy::LatLon::new(la, lo));
        lobes.push((ring_area(&Ellipsoid::WGS84, ring).abs(), *h, north));
        b.push(apex);
        b.push(end);
    }
    Lobes {
        a: vec![p0, p1],
        b,
        lobes,
    }
}

#[test]
fn lobes_have_their_areas_and_widths_and_add_up() {
    let l = lobes();
    let inputs = Inputs {
        lines: vec![line("A", l.a.clone()), line("B", l.b.clone())],
        ..Default::default()
    };
    let c = compare(&inputs, &Options::default()).unwrap();
    let p = &c.pairs[0];
    assert_eq!(
        p.discrepancy_count,
        5,
        "{:#?}",
        p.discrepancies
            .iter()
            .map(|d| d.area_m2)
            .collect::<Vec<_>>()
    );
    let total: f64 = l.lobes.iter().map(|x| x.0).sum();
    assert!(
        (p.area_between_m2 - total).abs() < 1e-3,
        "{} vs {total}",
        p.area_between_m2
    );
    assert!((p.discrepancy_area_m2 - total).abs() < 1e-3);
    for (area, h, north) in &l.lobes {
        let d = p
            .discrepancies
            .iter()
            .find(|d| (d.area_m2 - area).abs() < 1e-3)
            .unwrap_or_else(|| panic!("no lobe of {area} m²"));
        // The apex is h from A's geodesic (the perpendicular's foot is on it).
        assert!(
            (d.width_b_to_a_m - h).abs() < 1e-3,
            "width {} vs {h}",
            d.width_b_to_a_m
        );
        assert!((d.max_width_m - h).abs() < 1e-3);
        assert!(d.width_a_to_b_m < *h);
        // Lengths along each: A's stretch is 10 km; B's the two legs.
        assert!((d.length_a_m - 10_000.0).abs() < 1e-6, "{}", d.length_a_m);
        // Without territories, sides are named after A as digitised; north is its left.
        let (by_a, by_b) = if *north {
            ("left of A", "right of A")
        } else {
            ("right of A", "left of A")
        };
        assert_eq!((d.party_by_a.as_str(), d.party_by_b.as_str()), (by_a, by_b));
    }
    let north: f64 = l.lobes.iter().filter(|x| x.2).map(|x| x.0).sum();
    assert!((p.gain_m2["left of A"] - north).abs() < 1e-3);
    assert!((p.gain_m2["right of A"] - (total - north)).abs() < 1e-3);
    // Agreement: only near the points where B meets A.
    assert!(p.agreed_share < 0.2, "{}", p.agreed_share);
}

fn territories() -> Vec<Territory> {
    // North and south of the 40th parallel between 44° and 46°E.
    let rect = |s: f64, n: f64| vec![vec![(s, 44.0), (s, 46.0), (n, 46.0), (n, 44.0), (s, 44.0)]];
    vec![
        Territory {
            party: "NORTH".into(),
            polygons: vec![rect(40.0, 41.0)],
        },
        Territory {
            party: "SOUTH".into(),
            polygons: vec![rect(39.0, 40.0)],
        },
    ]
}

#[test]
fn swapping_the_lines_swaps_the_gains_and_keeps_the_polygons() {
    let l = lobes();
    let mk = |first: (&str, &Vec<LatLon>), second: (&str, &Vec<LatLon>)| Inputs {
        lines: vec![
            line(first.0, first.1.clone()),
            line(second.0, second.1.clone()),
        ],
        territories: territories(),
        ..Default::default()
    };
    let ab = compare(&mk(("A", &l.a), ("B", &l.b)), &Options::default()).unwrap();
    let ba = compare(&mk(("B", &l.b), ("A", &l.a)), &Options::default()).unwrap();
    let (p, q) = (&ab.pairs[0], &ba.pairs[0]);
    let areas = |c: &terminus_compare::PairComparison| {
        let mut v: Vec<f64> = c.discrepancies.iter().map(|d| d.area_m2).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    // Equal to PolygonArea's rounding (the rings start at other vertices):
    // 1e-5 m² on these 1–6 km² lobes.
    for (x, y) in areas(p).iter().zip(areas(q)) {
        assert!((x - y).abs() < 1e-3, "{:?}\n{:?}", areas(p), areas(q));
    }
    assert_eq!(areas(p).len(), areas(q).len());
    assert!((p.gain_m2["NORTH"] - q.gain_m2["SOUTH"]).abs() < 1e-3);
    assert!((p.gain_m2["SOUTH"] - q.gain_m2["NORTH"]).abs() < 1e-3);
    assert!(p.gain_m2["NORTH"] > 0.0 && p.gain_m2["SOUTH"] > 0.0);
    assert!((p.agreed_length_a_m - q.agreed_length_b_m).abs() < 1e-6);
    // With territories the north lobes are NORTH's by A (north of A's line
    // is NORTH) and SOUTH's by B.
    let north_lobe = p
        .discrepancies
        .iter()
        .max_by(|x, y| x.area_m2.total_cmp(&y.area_m2))
        .unwrap();
    assert!(!north_lobe.party_by_a.is_empty() && north_lobe.party_by_a != north_lobe.party_by_b);
}

/// Without the agreement (`Options::agreement` off, as the median's
/// gains ask), the polygons, widths and gains are the same to the bit;
/// the agreement is absent and its lengths NaN, not zero.
#[test]
fn areas_and_gains_do_not_depend_on_measuring_the_agreement() {
    let l = lobes();
    let inputs = Inputs {
        lines: vec![line("A", l.a.clone()), line("B", l.b.clone())],
        territories: territories(),
        ..Default::default()
    };
    let with = compare(&inputs, &Options::default()).unwrap();
    let without = compare(
        &inputs,
        &Options {
            agreement: false,
            more_tolerances: vec![500.0],
            ..Options::default()
        },
    )
    .unwrap();
    let (p, q) = (&with.pairs[0], &without.pairs[0]);
    assert!(p.agreed_length_a_m > 0.0 && !p.agreement.is_empty());
    assert!(q.agreed_length_a_m.is_nan() && q.agreed_length_b_m.is_nan());
    assert!(q.agreement.is_empty() && q.agreement_at.is_empty());
    assert_eq!(p.discrepancies.len(), q.discrepancies.len());
    for (x, y) in p.discrepancies.iter().zip(&q.discrepancies) {
        assert_eq!(x.area_m2.to_bits(), y.area_m2.to_bits());
        assert_eq!(x.max_width_m.to_bits(), y.max_width_m.to_bits());
        assert_eq!(x.beyond_tolerance, y.beyond_tolerance);
    }
    assert_eq!(p.gain_m2, q.gain_m2);
    assert_eq!(p.area_between_m2.to_bits(), q.area_between_m2.to_bits());
    // Widths only past the tolerance: the same faces beyond it, the same
    // counts, areas and gains; each width a lower bound past the
    // tolerance, or exact below it.
    for tol in [1.0, 100.0, 700.0] {
        let exact = compare(
            &inputs,
            &Options {
                tolerance_m: tol,
                ..Options::default()
            },
        )
        .unwrap();
        let rough = compare(
            &inputs,
            &Options {
                tolerance_m: tol,
                agreement: false,
                exact_widths: false,
                ..Options::default()
            },
        )
        .unwrap();
        let (p, q) = (&exact.pairs[0], &rough.pairs[0]);
        assert_eq!(p.discrepancy_count, q.discrepancy_count);
        assert_eq!(p.gain_m2, q.gain_m2);
        for (x, y) in p.discrepancies.iter().zip(&q.discrepancies) {
            assert_eq!(x.area_m2.to_bits(), y.area_m2.to_bits());
            assert_eq!(x.beyond_tolerance, y.beyond_tolerance, "{tol}");
            if x.max_width_m > tol {
                assert!(y.max_width_m > tol && y.max_width_m <= x.max_width_m + 1e-9);
            } else {
                assert_eq!(x.max_width_m.to_bits(), y.max_width_m.to_bits());
            }
        }
    }
}

#[test]
fn a_line_compared_with_itself_agrees_everywhere() {
    let l = lobes();
    let inputs = Inputs {
        lines: vec![line("B", l.b.clone()), line("B again", l.b.clone())],
        ..Default::default()
    };
    let c = compare(&inputs, &Options::default()).unwrap();
    let p = &c.pairs[0];
    assert!((p.agreed_share - 1.0).abs() < 1e-12, "{}", p.agreed_share);
    assert_eq!(p.discrepancy_count, 0);
    assert_eq!(p.discrepancies.len(), 0);
    assert_eq!(p.area_between_m2, 0.0);
}

#[test]
fn a_line_densified_along_its_geodesics_compares_as_identical() {
    // Five vertices over ~200 km, against the same densified every 1 km.
    let mut a = vec![(40.0, 45.0)];
    for (azi, s) in [
        (80.0, 40_000.0),
        (120.0, 60_000.0),
        (60.0, 50_000.0),
        (100.0, 45_000.0),
    ] {
        let last = *a.last().unwrap();
        a.push(step(last, azi, s).0);
    }
    let g = Ellipsoid::WGS84.geodesic();
    let mut dense = vec![a[0]];
    for w in a.windows(2) {
        let pts = densify_by_spacing(
            &g,
            terminus_geodesy::LatLon::from_pair(w[0]),
            terminus_geodesy::LatLon::from_pair(w[1]),
            1_000.0,
        )
        .unwrap();
        dense.extend(pts.into_iter().skip(1).map(terminus_geodesy::LatLon::tuple));
    }
    assert!(dense.len() > 190);
    let inputs = Inputs {
        lines: vec![line("A", a.clone()), line("A dense", dense)],
        ..Default::default()
    };
    let c = compare(&inputs, &Options::default()).unwrap();
    let p = &c.pairs[0];
    assert!(p.agreed_share > 1.0 - 1e-12, "{}", p.agreed_share);
    assert_eq!(p.discrepancy_count, 0);
    // Whatever slivers the nanometre offsets of the densified points make
    // enclose next to nothing.
    assert!(p.area_between_m2 < 1e-2, "{} m²", p.area_between_m2);
    let len: f64 = a
        .windows(2)
        .map(|w| -> f64 { g.inverse(w[0].0, w[0].1, w[1].0, w[1].1) })
        .sum();
    assert!((c.lines[0].length_m - len).abs() < 1e-6);
    assert!(
        (c.lines[1].length_m - len).abs() < 1e-6,
        "{} vs {len}",
        c.lines[1].length_m
    );
}

#[test]
fn bad_input_is_refused_clearly() {
    let l = lobes();
    let far: Vec<LatLon> = l.a.iter().map(|&(la, lo)| (la + 1.0, lo)).collect();
    let disjoint = Inputs {
        lines: vec![line("A", l.a.clone()), line("Far", far)],
        ..Default::default()
    };
    match compare(&disjoint, &Options::default()) {
        Err(e @ CompareError::Disjoint { .. }) => {
            let m = e.to_string();
            assert!(
                m.contains("\"A\"") && m.contains("\"Far\"") && m.contains("nearest approach"),
                "{m}"
            );
        }
        other => panic!("{other:?}"),
    }
    let bow = vec![(40.0, 45.0), (40.1, 45.1), (40.0, 45.1), (40.1, 45.0)];
    let crossing = Inputs {
        lines: vec![line("Bow", bow), line("A", l.a.clone())],
        ..Default::default()
    };
    match compare(&crossing, &Options::default()) {
        Err(e @ CompareError::SelfCrossing { .. }) => {
            let m = e.to_string();
            assert!(
                m.contains("\"Bow\" crosses itself")
                    && m.contains("segment 0")
                    && m.contains("segment 2"),
                "{m}"
            );
            assert!(m.contains("40.05"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    let one = Inputs {
        lines: vec![line("A", l.a.clone())],
        ..Default::default()
    };
    assert!(matches!(
        compare(&one, &Options::default()),
        Err(CompareError::TooFewLines(1))
    ));
    let two = Inputs {
        lines: vec![line("A", l.a.clone()), line("B", l.b.clone())],
        ..Default::default()
    };
    for tol in [0.0, -1.0, f64::NAN, 1e9] {
        let o = Options {
            tolerance_m: tol,
            ..Options::default()
        };
        assert!(
            matches!(compare(&two, &o), Err(CompareError::BadParameter(_))),
            "{tol}"
        );
    }
    let empty = Inputs {
        lines: vec![line("A", l.a.clone()), line("Empty", vec![(40.0, 45.0)])],
        ..Default::default()
    };
    match compare(&empty, &Options::default()) {
        Err(e @ CompareError::BadPiece { .. }) => {
            assert!(e.to_string().contains("\"Empty\", piece 0"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    let bad = Inputs {
        lines: vec![
            line("A", l.a.clone()),
            line("Bad", vec![(40.0, 45.0), (95.0, 45.0)]),
        ],
        ..Default::default()
    };
    match compare(&bad, &Options::default()) {
        Err(e @ CompareError::BadPiece { .. }) => {
            assert!(e.to_string().contains("vertex 1"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // Territories far from the lines decide nothing, and say so.
    let mut far_t = territories();
    for t in &mut far_t {
        for poly in &mut t.polygons {
            for r in poly {
                for p in r {
                    p.0 += 10.0;
                }
            }
        }
    }
    let inputs = Inputs {
        lines: vec![line("A", l.a.clone()), line("B", l.b.clone())],
        territories: far_t,
        ..Default::default()
    };
    let c = compare(&inputs, &Options::default()).unwrap();
    assert!(
        c.warnings
            .iter()
            .any(|w| w.contains("territory of NORTH lies along none of the lines")),
        "{:?}",
        c.warnings
    );
}

/// Sections, places and roads land in the right discrepancies, with
/// distances and lengths checked against the geodesy layer directly.
#[test]
fn places_roads_and_sections_are_located() {
    use terminus_compare::{Place, Road, Section};
    use terminus_geodesy::geodesic::{intersect_segments, nearest_on_polyline, Gnomonic};
    let l = lobes();
    let g = Ellipsoid::WGS84.geodesic();
    let rect = |w: f64, e: f64| vec![vec![(39.9, w), (39.9, e), (40.1, e), (40.1, w), (39.9, w)]];
    // The first lobe (north of A, 0–10 km) is in "West", the others partly in "East".
    let (mid, azi_mid) = step(l.a[0], 90.0, 5_000.0);
    let (inside, _) = step(mid, azi_mid - 90.0, 200.0);
    let road = vec![(40.02, 45.03), (39.98, 45.03)];
    let inputs = Inputs {
        lines: vec![line("A", l.a.clone()), line("B", l.b.clone())],
        sections: vec![
            Section {
                name: "West".into(),
                polygons: vec![rect(44.9, 45.12)],
            },
            Section {
                name: "East".into(),
                polygons: vec![rect(45.12, 45.7)],
            },
        ],
        places: vec![
            Place {
                name: "Inside".into(),
                lat: inside.0,
                lon: inside.1,
            },
            Place {
                name: "Far".into(),
                lat: 40.05,
                lon: 45.3,
            },
        ],
        roads: vec![Road {
            name: "R1".into(),
            pieces: vec![road.clone()],
        }],
        ..Default::default()
    };
    let c = compare(&inputs, &Options::default()).unwrap();
    let p = &c.pairs[0];
    let first = p
        .discrepancies
        .iter()
        .find(|d| (d.area_m2 - l.lobes[0].0).abs() < 1e-3)
        .unwrap();
    assert_eq!(first.section.as_deref(), Some("West"));
    assert!(
        p.discrepancies
            .iter()
            .filter(|d| d.section.as_deref() == Some("East"))
            .count()
            >= 3
    );
    // The place 200 m north of A's middle of the first lobe.
    assert_eq!(first.places.len(), 1, "{:?}", first.places);
    let x = &first.places[0];
    assert_eq!(x.name, "Inside");
    assert!(
        (x.distance_to_a_m - 200.0).abs() < 1e-6,
        "{}",
        x.distance_to_a_m
    );
    let gn = Gnomonic::new(Ellipsoid::WGS84);
    let b: Vec<terminus_geodesy::LatLon> =
        l.b.iter()
            .map(|&p| terminus_geodesy::LatLon::from_pair(p))
            .collect();
    let to_b = nearest_on_polyline(&gn, &b, terminus_geodesy::LatLon::from_pair(inside))
        .unwrap()
        .distance;
    assert!(
        (x.distance_to_b_m - to_b).abs() < 1e-6,
        "{} vs {to_b}",
        x.distance_to_b_m
    );
    assert!(p
        .discrepancies
        .iter()
        .all(|d| d.places.iter().all(|q| q.name != "Far")));
    // The road crosses the first lobe from B's first leg down to A.
    let on_a = intersect_segments(
        &g,
        terminus_geodesy::LatLon::from_pair(road[0]),
        terminus_geodesy::LatLon::from_pair(road[1]),
        terminus_geodesy::LatLon::from_pair(l.a[0]),
        terminus_geodesy::LatLon::from_pair(l.a[1]),
    )
    .unwrap()
    .unwrap();
    let on_b = intersect_segments(
        &g,
        terminus_geodesy::LatLon::from_pair(road[0]),
        terminus_geodesy::LatLon::from_pair(road[1]),
        terminus_geodesy::LatLon::from_pair(l.b[0]),
        terminus_geodesy::LatLon::from_pair(l.b[1]),
    )
    .unwrap()
    .unwrap();
    assert!(on_a.within_both && on_b.within_both);
    let expected: f64 = g.inverse(on_a.lat, on_a.lon, on_b.lat, on_b.lon);
    assert_eq!(first.roads.len(), 1);
    assert!(
        (first.roads[0].length_m - expected).abs() < 1e-2,
        "{} vs {expected}",
        first.roads[0].length_m
    );
}

/// Geodesic area (m², positive) of the polygon through `pts` (lat, lon).
fn area_of(pts: &[LatLon]) -> f64 {
    let mut ring: Vec<terminus_geodesy::LatLon> = pts
        .iter()
        .map(|&(la, lo)| terminus_geodesy::LatLon::new(la, lo))
        .collect();
    ring.push(ring[0]);
    ring_area(&Ellipsoid::WGS84, ring).abs()
}

/// The discrepancy polygons' areas, largest first.
fn face_areas(p: &terminus_compare::PairComparison) -> Vec<f64> {
    let mut v: Vec<f64> = p.discrepancies.iter().map(|d| d.area_m2).collect();
    v.sort_by(|x, y| y.total_cmp(x));
    v
}

#[test]
fn an_enclave_ring_is_a_face_of_its_own_and_a_hole_in_the_face_around_it() {
    // A and B share their ends 20 km apart; B bulges 5 km north. A second
    // piece of A is a closed ring of about 1 km² inside the bulge.
    let p0 = (40.0, 45.0);
    let (mid, azi) = step(p0, 90.0, 10_000.0);
    let (p1, _) = step(p0, 90.0, 20_000.0);
    let (apex, _) = step(mid, azi - 90.0, 5_000.0);
    let (c, _) = step(mid, azi - 90.0, 2_000.0);
    let ring: Vec<LatLon> = [45.0, 135.0, 225.0, 315.0, 45.0]
        .iter()
        .map(|&az| step(c, az, 700.0).0)
        .collect();
    let inputs = Inputs {
        lines: vec![
            ClaimLine {
                name: "A".into(),
                pieces: vec![vec![p0, mid, p1], ring.clone()],
            },
            line("B", vec![p0, apex, p1]),
        ],
        ..Default::default()
    };
    let cmp = compare(&inputs, &Options::default()).unwrap();
    let p = &cmp.pairs[0];
    let lens = area_of(&[p0, mid, p1, apex]);
    let enclave = area_of(&ring[..4]);
    let areas = face_areas(p);
    assert_eq!(areas.len(), 2, "{areas:?}");
    assert!(
        (areas[0] - (lens - enclave)).abs() < 1e-3,
        "{areas:?} vs {lens} − {enclave}"
    );
    assert!((areas[1] - enclave).abs() < 1e-3, "{areas:?} vs {enclave}");
    // The lens keeps its hole: its outline is the lens, its hole the ring.
    let big = &p
        .discrepancies
        .iter()
        .find(|d| d.area_m2 == areas[0])
        .unwrap();
    assert_eq!(big.rings.len(), 2);
    assert_eq!(big.rings[1].len(), 5, "{:?}", big.rings[1]);
    assert!((p.area_between_m2 + p.same_side_area_m2 - lens).abs() < 1e-3);
}

#[test]
fn a_stretch_both_lines_share_is_agreed_and_encloses_nothing() {
    // Vertices every 5 km along a geodesic; B shares A's first three and
    // its last, and leaves A between the third and the last by 2 km north.
    let p0 = (40.0, 45.0);
    let q: Vec<(LatLon, f64)> = (0..5).map(|k| step(p0, 90.0, 5_000.0 * k as f64)).collect();
    let a: Vec<LatLon> = q.iter().map(|x| x.0).collect();
    let (apex, _) = step(q[3].0, q[3].1 - 90.0, 2_000.0);
    let b = vec![a[0], a[1], a[2], apex, a[4]];
    let inputs = Inputs {
        lines: vec![line("A", a.clone()), line("B", b)],
        ..Default::default()
    };
    let cmp = compare(&inputs, &Options::default()).unwrap();
    let p = &cmp.pairs[0];
    let lens = area_of(&[a[2], a[3], a[4], apex]);
    assert_eq!(face_areas(p).len(), 1, "{:?}", face_areas(p));
    assert_eq!(p.discrepancy_count, 1);
    assert!(
        (p.discrepancy_area_m2 - lens).abs() < 1e-3,
        "{} vs {lens}",
        p.discrepancy_area_m2
    );
    // The shared 10 km agree, and the legs near the shared vertices do.
    assert!(
        p.agreed_length_a_m >= 10_000.0 - 1e-6,
        "{}",
        p.agreed_length_a_m
    );
    assert!(p.agreed_length_a_m < 10_600.0, "{}", p.agreed_length_a_m);
    let d = &p.discrepancies[0];
    assert!((d.length_a_m - 10_000.0).abs() < 1e-6, "{}", d.length_a_m);
    assert!((d.max_width_m - 2_000.0).abs() < 1.0, "{}", d.max_width_m);
}

#[test]
fn a_line_that_loops_back_through_its_own_vertex_encloses_the_loop() {
    // A runs east, makes a triangular loop north of its course that
    // returns through the same vertex, and goes on; B bulges 1 km south.
    let p0 = (40.0, 45.0);
    let (p1, _) = step(p0, 90.0, 5_000.0);
    let (p2, _) = step(p1, 45.0, 2_000.0);
    let (p3, _) = step(p1, 315.0, 2_000.0);
    let (p4, _) = step(p0, 90.0, 10_000.0);
    let (m, azi) = step(p0, 90.0, 5_000.0);
    let (south, _) = step(m, azi + 90.0, 1_000.0);
    let inputs = Inputs {
        lines: vec![
            line("A", vec![p0, p1, p2, p3, p1, p4]),
            line("B", vec![p0, south, p4]),
        ],
        ..Default::default()
    };
    let cmp = compare(&inputs, &Options::default()).unwrap();
    let p = &cmp.pairs[0];
    let areas = face_areas(p);
    let lens = area_of(&[p0, south, p4, p1]);
    let lobe = area_of(&[p1, p2, p3]);
    assert_eq!(areas.len(), 2, "{areas:?}");
    let (big, small) = if lens > lobe {
        (lens, lobe)
    } else {
        (lobe, lens)
    };
    assert!((areas[0] - big).abs() < 1e-3, "{areas:?} vs {lens}, {lobe}");
    assert!(
        (areas[1] - small).abs() < 1e-3,
        "{areas:?} vs {lens}, {lobe}"
    );
    let loop_face = p
        .discrepancies
        .iter()
        .find(|d| (d.area_m2 - lobe).abs() < 1e-3)
        .unwrap();
    assert_eq!(loop_face.kind, "A only");
}
