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
