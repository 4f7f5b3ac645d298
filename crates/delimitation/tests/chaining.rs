//! The compromise is one whole line per section, however the claim files
//! cut and orient their pieces: where the claims coincide it is their
//! common line (at the ends too), identical claims give that line, and
//! stubs of other borders at a junction are set aside and listed.

use terminus_compare::ClaimLine;
use terminus_delimitation::{compromise_median, Construction, MedianOptions};
use terminus_geodesy::measure::path_length;
use terminus_geodesy::{Ellipsoid, LatLon};

/// A line along 40°N from 45.0°E to 45.3°E, a vertex every 0.01°; with
/// `bulge`, B's vertices strictly between 45.1°E and 45.2°E 0.005° north.
fn line(bulge: bool) -> Vec<(f64, f64)> {
    (0..=30)
        .map(|k| {
            let lon = 45.0 + 0.01 * k as f64;
            let up = bulge && (11..=19).contains(&k);
            (if up { 40.005 } else { 40.0 }, lon)
        })
        .collect()
}

fn length(l: &[(f64, f64)]) -> f64 {
    path_length(&Ellipsoid::WGS84, l.iter().map(|&p| LatLon::from_pair(p)))
}

#[test]
fn identical_claims_give_their_common_line_and_spurs_are_set_aside() {
    let a = line(false);
    // B: the same line cut in two, the first half run backwards, and two
    // stubs of neighbouring borders (~10 m and ~85 m) at its east end.
    let mut first: Vec<_> = a[..=12].to_vec();
    first.reverse();
    let end = a[30];
    let b = ClaimLine {
        name: "B".into(),
        pieces: vec![
            first,
            a[12..].to_vec(),
            vec![end, (40.00009, 45.3)],
            vec![(39.9993, 45.3003), end],
        ],
    };
    let a = ClaimLine {
        name: "A".into(),
        pieces: vec![a],
    };
    let m = compromise_median(&a, &b, &MedianOptions::default()).unwrap();
    assert_eq!(m.pieces.len(), 1);
    assert_eq!(m.coverage, [1.0, 1.0]);
    assert!(m.stretches[0]
        .iter()
        .all(|s| s.construction == Construction::Common));
    let want = length(&a.pieces[0]);
    assert!(
        (m.pieces[0].length_m - want).abs() < 1e-6,
        "{} {want}",
        m.pieces[0].length_m
    );
    let spurs: Vec<_> = m
        .spurs
        .iter()
        .map(|s| (s.claim.as_str(), s.spur.piece))
        .collect();
    assert_eq!(spurs, vec![("B", 2), ("B", 3)]);
    assert!((m.spurs[0].spur.length_m - 10.0).abs() < 0.1);
}

#[test]
fn the_common_ends_and_a_region_make_one_line() {
    let a = ClaimLine {
        name: "A".into(),
        pieces: vec![line(false)],
    };
    // B cut inside the bulge, both parts run east to west and listed
    // east part first.
    let b_line = line(true);
    let mut west: Vec<_> = b_line[..=15].to_vec();
    let mut east: Vec<_> = b_line[15..].to_vec();
    west.reverse();
    east.reverse();
    let b = ClaimLine {
        name: "B".into(),
        pieces: vec![east, west],
    };
    let m = compromise_median(&a, &b, &MedianOptions::default()).unwrap();
    assert_eq!(m.pieces.len(), 1, "{:?}", m.stretches);
    let l = &m.pieces[0];
    let (first, last) = (&l.vertices[0], &l.vertices[l.vertices.len() - 1]);
    // Along A, from A's start to A's end.
    assert_eq!((first.lat, first.lon), (40.0, 45.0));
    assert_eq!((last.lat, last.lon), (40.0, 45.3));
    let kinds: Vec<_> = m.stretches[0].iter().map(|s| s.construction).collect();
    assert_eq!(kinds.first(), Some(&Construction::Common));
    assert_eq!(kinds.last(), Some(&Construction::Common));
    assert!(kinds.contains(&Construction::Equidistant), "{kinds:?}");
    for k in 0..2 {
        assert!((m.coverage[k] - 1.0).abs() < 1e-9, "{:?}", m.coverage);
    }
    // The common ends lie on both claims: 10 km of A before the bulge.
    let common: f64 = m.stretches[0]
        .iter()
        .filter(|s| s.construction == Construction::Common)
        .map(|s| terminus_delimitation::MedianLine::length_of(&l.vertices[s.first..=s.last]))
        .sum();
    let want = length(&line(false)[..=10]) + length(&line(false)[20..]);
    assert!((common - want).abs() < 1e-6, "{common} {want}");
}

/// A claim that runs on past the other's end (a source stopping short of
/// a tripoint): B bulges north of A between 45.1°E and 45.2°E and stops
/// on A at 45.2°E; A goes on to 45.3°E. The compromise is one line: the
/// common line, the region's equidistance line, then A's last 0.1° as A
/// draws it, marked one-claim, listed with its length, and both claims
/// covered in full.
#[test]
fn a_claim_running_on_past_the_others_end_is_carried_and_marked() {
    let a = line(false);
    let b = line(true)[..=20].to_vec();
    let tail = length(&a[20..]);
    let m = compromise_median(
        &ClaimLine {
            name: "A".into(),
            pieces: vec![a.clone()],
        },
        &ClaimLine {
            name: "B".into(),
            pieces: vec![b],
        },
        &MedianOptions::default(),
    )
    .unwrap();
    assert_eq!(m.pieces.len(), 1, "{} lines", m.pieces.len());
    assert_eq!(m.coverage, [1.0, 1.0]);
    let one: Vec<_> = m.stretches[0]
        .iter()
        .filter(|s| s.construction == Construction::OneClaim)
        .collect();
    assert_eq!(one.len(), 1);
    let line = &m.pieces[0];
    // The carried stretch is A's own vertices from 45.2°E to its end.
    let carried: Vec<(f64, f64)> = line.vertices[one[0].first..=one[0].last]
        .iter()
        .map(|v| (v.lat, v.lon))
        .collect();
    assert_eq!(carried.len(), 11);
    for (p, q) in carried.iter().zip(&a[20..]) {
        assert!(
            (p.0 - q.0).abs() < 1e-12 && (p.1 - q.1).abs() < 1e-12,
            "{p:?} {q:?}"
        );
    }
    assert!((length(&carried) - tail).abs() < 1e-6);
    let note = m
        .fallbacks
        .iter()
        .find(|f| f.construction == Some(Construction::OneClaim))
        .unwrap();
    assert!(
        note.reason.contains(&format!(
            "A runs on {:.3} km past where B ends",
            tail / 1000.0
        )),
        "{}",
        note.reason
    );
}

/// Distance from `p` to a polyline, brute force over every segment (the
/// geodesy layer's foot of the perpendicular).
fn dist(l: &[(f64, f64)], p: (f64, f64)) -> f64 {
    let g = terminus_geodesy::geodesic::Gnomonic::new(Ellipsoid::WGS84);
    l.windows(2)
        .map(|w| {
            terminus_geodesy::geodesic::nearest_on_segment(
                &g,
                LatLon::from_pair(w[0]),
                LatLon::from_pair(w[1]),
                LatLon::from_pair(p),
            )
            .unwrap()
            .distance
        })
        .fold(f64::INFINITY, f64::min)
}

/// Claims that part ways at the end (sources ending at different
/// tripoints, farther apart than the comparison joins): A and B agree to
/// 45.1°E, B bulges north to 45.2°E where they meet again; then A runs
/// on east to 45.25°E and B north-east to 40.1°N 45.4°E (17 km from A's
/// end: the comparison does not join them). The compromise
/// is still one line: the bisector of the two tails, equidistant from
/// both claims (brute force), up to the geodesic closing the region from
/// A's end to its nearest point on B; along that closure to B; then B's
/// own vertices to its end, marked one-claim. Both claims are covered in
/// full, and the tail region is listed with its area.
#[test]
fn claims_that_part_ways_at_the_end_still_give_one_line() {
    let mut a = line(false)[..=20].to_vec();
    a.extend((1..=5).map(|k| (40.0, 45.2 + 0.01 * k as f64)));
    let mut b = line(true)[..=20].to_vec();
    b.extend((1..=20).map(|k| (40.0 + 0.005 * k as f64, 45.2 + 0.01 * k as f64)));
    let m = compromise_median(
        &ClaimLine {
            name: "A".into(),
            pieces: vec![a.clone()],
        },
        &ClaimLine {
            name: "B".into(),
            pieces: vec![b.clone()],
        },
        &MedianOptions::default(),
    )
    .unwrap();
    assert_eq!(m.pieces.len(), 1, "{} lines", m.pieces.len());
    assert_eq!(m.coverage, [1.0, 1.0]);
    let line = &m.pieces[0];
    let stretch = |c: Construction| {
        m.stretches[0]
            .iter()
            .find(|s| s.construction == c)
            .unwrap_or_else(|| panic!("no {c:?} stretch: {:?}", m.stretches[0]))
    };
    let (connector, carried) = (
        stretch(Construction::Connector),
        stretch(Construction::OneClaim),
    );
    // The closure: from A's end to its nearest point on B.
    let foot = &line.vertices[connector.last];
    let foot = (foot.lat, foot.lon);
    assert!(dist(&b, foot) < 1e-6, "{foot:?} is not on B");
    let a_end = a[a.len() - 1];
    let gap = dist(&b, a_end);
    assert!(
        (length(&[a_end, foot]) - gap).abs() < 1e-6,
        "{} vs {gap}",
        length(&[a_end, foot])
    );
    // The tail's median: every vertex from the contact at 45.2°E to the
    // closure equidistant from both whole claims; its last on the closure.
    let contact = line
        .vertices
        .iter()
        .position(|v| (v.lat - 40.0).abs() < 1e-12 && (v.lon - 45.2).abs() < 1e-12)
        .expect("the contact at 45.2°E is a vertex");
    assert!(connector.first > contact + 1);
    for v in &line.vertices[contact..=connector.first] {
        let p = (v.lat, v.lon);
        assert!((dist(&a, p) - dist(&b, p)).abs() < 1e-6, "{p:?}");
    }
    let crossing = &line.vertices[connector.first];
    assert!(dist(&[a_end, foot], (crossing.lat, crossing.lon)) < 1e-6);
    // Then B as drawn, to its end.
    let rest: Vec<(f64, f64)> = line.vertices[carried.first + 1..=carried.last]
        .iter()
        .map(|v| (v.lat, v.lon))
        .collect();
    assert_eq!(rest.as_slice(), &b[b.len() - rest.len()..]);
    assert_eq!(rest.last(), b.last());
    assert!(rest.len() >= 5, "{rest:?}");
    // The region between the tails, listed with its area.
    let note = m
        .fallbacks
        .iter()
        .find(|f| {
            f.reason
                .starts_with("the claims part ways here: A ends at 40.000000, 45.250000")
        })
        .unwrap_or_else(|| panic!("{:?}", m.fallbacks));
    let mut ring: Vec<(f64, f64)> = a[20..].to_vec();
    ring.push(foot);
    ring.extend(b[20..b.len() - rest.len()].iter().rev());
    let want = terminus_geodesy::measure::ring_area(
        &Ellipsoid::WGS84,
        ring.iter().map(|&p| LatLon::from_pair(p)),
    )
    .abs();
    assert!(
        note.area_m2 > 1e6 && (note.area_m2 - want).abs() < 1e-3 * want,
        "{} vs {want}",
        note.area_m2
    );
}

/// A gap in a claim (a source's missing stretch, within the comparison's
/// bridging distance) is closed by a geodesic, as the comparison closes
/// it, and the compromise is traced equidistant from it where the other
/// claim faces the gap, marked `Bridged` and the gap listed: B along 40°N
/// with nothing between 45.12°E and 45.18°E, A bulging north over it.
/// One line, no connector, both claims covered whole; every traced vertex
/// equidistant (brute force) from A and from B — with the bridge where
/// marked so, without it elsewhere.
#[test]
fn a_gap_in_a_claim_is_bridged_and_the_line_traced_from_the_bridge() {
    let a = line(true);
    let b = line(false);
    let (b1, b2) = (b[..=12].to_vec(), b[18..].to_vec());
    let m = compromise_median(
        &ClaimLine {
            name: "A".into(),
            pieces: vec![a.clone()],
        },
        &ClaimLine {
            name: "B".into(),
            pieces: vec![b1.clone(), b2.clone()],
        },
        &MedianOptions::default(),
    )
    .unwrap();
    assert_eq!(m.pieces.len(), 1, "{} lines", m.pieces.len());
    assert_eq!(m.coverage, [1.0, 1.0]);
    assert_eq!(m.gaps.len(), 1, "{:?}", m.gaps);
    let gap = &m.gaps[0];
    assert_eq!(gap.line, "B");
    assert!((gap.length_m - length(&[b[12], b[18]])).abs() < 1e-6);
    assert!(m
        .fallbacks
        .iter()
        .any(|f| f.construction == Some(Construction::Bridged)
            && f.reason
                .starts_with(&format!("B has a gap of {:.1} m", gap.length_m))));
    let kinds: Vec<Construction> = m.stretches[0].iter().map(|s| s.construction).collect();
    assert!(kinds.contains(&Construction::Bridged), "{kinds:?}");
    assert!(!kinds.contains(&Construction::Connector), "{kinds:?}");
    let bridged_b = vec![b1.clone(), b2.clone(), vec![b[12], b[18]]];
    let near = |pieces: &[Vec<(f64, f64)>], p: (f64, f64)| {
        pieces
            .iter()
            .map(|l| dist(l, p))
            .fold(f64::INFINITY, f64::min)
    };
    let line = &m.pieces[0];
    let mut checked = [0; 2];
    for s in &m.stretches[0] {
        for v in &line.vertices[s.first..=s.last] {
            let p = (v.lat, v.lon);
            let (da, db) = match s.construction {
                Construction::Bridged => (dist(&a, p), near(&bridged_b, p)),
                Construction::Equidistant => (dist(&a, p), near(&[b1.clone(), b2.clone()], p)),
                _ => continue,
            };
            assert!(
                (da - db).abs() < 1e-6,
                "{:?} {p:?}: {da} vs {db}",
                s.construction
            );
            checked[usize::from(s.construction == Construction::Bridged)] += 1;
        }
    }
    assert!(checked[0] >= 4 && checked[1] >= 2, "{checked:?}");
}

/// A square ring, (lat, lon), south-west corner at (`lat`, `lon`), side
/// `d` degrees, counter-clockwise, closed.
fn square(lat: f64, lon: f64, d: f64) -> Vec<(f64, f64)> {
    vec![
        (lat, lon),
        (lat, lon + d),
        (lat + d, lon + d),
        (lat + d, lon),
        (lat, lon),
    ]
}

fn area(r: &[(f64, f64)]) -> f64 {
    terminus_geodesy::measure::ring_area(&Ellipsoid::WGS84, r.iter().map(|&p| LatLon::from_pair(p)))
        .abs()
}

/// Rings a source draws open — an arc round an enclave apart from its
/// line, or an enclave in two pieces with gaps — are closed by geodesics
/// (listed with their lengths), paired with the other claim's ring where
/// it draws one, and carried as one claim only where not; the line stays
/// one line and both claims are covered whole.
#[test]
fn rings_drawn_open_are_closed_and_paired() {
    let a_ring = square(40.015, 45.14, 0.004);
    // B's version of that enclave: the same square shifted 0.0005° east,
    // its south side missing (an arc whose ends are ~340 m apart).
    let shifted = square(40.015, 45.1405, 0.004);
    let arc: Vec<(f64, f64)> = shifted[1..].to_vec();
    // A second enclave only B draws, in two pieces with gaps of ~0.0002°
    // (~20 m) at both joins.
    let b2 = square(40.015, 45.25, 0.003);
    let half1 = vec![b2[0], b2[1], b2[2]];
    let half2 = vec![
        (b2[2].0 + 0.0002, b2[2].1),
        b2[3],
        (b2[0].0 + 0.0002, b2[0].1),
    ];
    let a = ClaimLine {
        name: "A".into(),
        pieces: vec![line(false), a_ring.clone()],
    };
    let b = ClaimLine {
        name: "B".into(),
        pieces: vec![line(true), arc.clone(), half1, half2],
    };
    let m = compromise_median(&a, &b, &MedianOptions::default()).unwrap();
    assert_eq!(m.pieces.len(), 1);
    assert_eq!(m.coverage, [1.0, 1.0]);
    let closed: Vec<_> = m
        .fallbacks
        .iter()
        .filter(|f| f.construction == Some(Construction::ClosedRing))
        .collect();
    assert_eq!(closed.len(), 2, "{:?}", m.fallbacks);
    // The arc closed by one geodesic between its ends (40.015, 45.1445)
    // and (40.015, 45.1405): 0.004° of the parallel at 40.015°N.
    let chord = path_length(
        &Ellipsoid::WGS84,
        [(40.015, 45.1405), (40.015, 45.1445)].map(LatLon::from_pair),
    );
    let arc_note = closed
        .iter()
        .find(|f| f.reason.contains("closed by 1 geodesic"))
        .expect("the arc closed by one geodesic");
    assert!(
        arc_note.reason.contains(&format!("{chord:.1} m")),
        "{}",
        arc_note.reason
    );
    assert!((arc_note.area_m2 - area(&shifted)).abs() < 1e-6 * area(&shifted));
    let pieces_note = closed
        .iter()
        .find(|f| f.reason.contains("closed by 2 geodesic"))
        .expect("the two pieces closed by two geodesics");
    assert!(pieces_note.reason.contains("B draws a ring open"));
    // Paired: the enclave both draw has their arc-length median, its
    // area between theirs; the other is carried as B closed it.
    assert_eq!(m.rings.len(), 2);
    let both = m
        .rings
        .iter()
        .find(|r| r.drawn_by == ["A", "B"])
        .expect("the enclave both draw");
    assert_eq!(both.construction, Some(Construction::ArcLength));
    let (lo, hi) = (
        area(&a_ring).min(area(&shifted)),
        area(&a_ring).max(area(&shifted)),
    );
    assert!(
        both.area_m2 > 0.99 * lo && both.area_m2 < 1.01 * hi,
        "{}",
        both.area_m2
    );
    let only = m
        .rings
        .iter()
        .find(|r| r.drawn_by == ["B"])
        .expect("the enclave B alone draws");
    assert_eq!(only.construction, None);
    assert_eq!(only.line.vertices.len(), 7);
}
