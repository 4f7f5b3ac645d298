//! Turning points on random lines: every vertex left out within the
//! deviation of the turning-point line (brute force over all its segments),
//! the turning-point line simple wherever the line is, the ends and fixed
//! vertices kept — and the crossing repair exercised, not only present.

use terminus_delimitation::turning::turning_points;
use terminus_geodesy::geodesic::{nearest_on_segment, Gnomonic};
use terminus_geodesy::{Ellipsoid, LatLon};
use terminus_plane::frame::Frame;
use terminus_plane::index::SegmentIndex;

/// A deterministic generator (64-bit LCG, Knuth's constants).
struct Lcg(u64);
impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn simple(line: &[(f64, f64)]) -> bool {
    let frame = Frame::around(Ellipsoid::WGS84, line.iter()).unwrap();
    let xy = frame.xys(line).unwrap();
    SegmentIndex::from_pieces(&[(line.to_vec(), xy)])
        .self_contacts()
        .is_ok()
}

fn distance_to(line: &[(f64, f64)], p: (f64, f64)) -> f64 {
    let g = Gnomonic::new(Ellipsoid::WGS84);
    let ll = |q: (f64, f64)| LatLon::new(q.0, q.1);
    line.windows(2)
        .map(|w| {
            nearest_on_segment(&g, ll(w[0]), ll(w[1]), ll(p))
                .unwrap()
                .distance
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn random_walks_keep_their_deviation_and_stay_simple() {
    let mut rng = Lcg(20261207);
    let (mut walks, mut repaired) = (0, 0);
    while walks < 60 {
        // A wandering line of 80 steps of up to ~300 m near 40°N 45°E,
        // turning sharply now and then (hairpins make Douglas–Peucker's
        // chords cross).
        let mut line = vec![(40.0, 45.0)];
        let mut heading: f64 = 0.0;
        for _ in 0..80 {
            heading += (rng.unit() - 0.5) * if rng.unit() < 0.15 { 5.0 } else { 0.6 };
            let step = 0.003 * rng.unit();
            let &(lat, lon) = line.last().unwrap();
            line.push((lat + step * heading.cos(), lon + step * heading.sin()));
        }
        if !simple(&line) {
            continue;
        }
        walks += 1;
        let deviation = [0.5, 20.0, 150.0][walks % 3];
        let fixed = [line.len() / 2];
        let t = turning_points(&line, deviation, &fixed).unwrap();
        let kept: Vec<(f64, f64)> = t.kept.iter().map(|&i| line[i]).collect();
        assert_eq!(t.kept[0], 0);
        assert_eq!(*t.kept.last().unwrap(), line.len() - 1);
        assert!(t.kept.contains(&fixed[0]));
        assert!(t.kept.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(t.kept.len() + t.discarded.len(), line.len());
        assert!(
            simple(&kept),
            "walk {walks}: the turning-point line crosses itself"
        );
        for d in &t.discarded {
            let brute = distance_to(&kept, line[d.vertex]);
            assert!(
                brute <= deviation,
                "walk {walks}: vertex {} {brute} m off",
                d.vertex
            );
            // Its chord is the nearest of the line's or as near within
            // the deviation; its own deviation is measured on that chord.
            assert!(d.deviation_m <= deviation && brute <= d.deviation_m + 1e-9);
        }
        repaired += t.kept_against_crossing;
    }
    assert!(repaired > 0, "no walk exercised the crossing repair");
}

#[test]
fn a_closed_ring_and_bad_input() {
    // A ring: a square of ~1.1 km sides densified; at 1 m only its four
    // corners (and the closing vertex) stay.
    let mut ring = Vec::new();
    let corners = [(40.0, 45.0), (40.0, 45.013), (40.01, 45.013), (40.01, 45.0)];
    for k in 0..4 {
        let (a, b) = (corners[k], corners[(k + 1) % 4]);
        for i in 0..10 {
            let f = i as f64 / 10.0;
            ring.push((a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1)));
        }
    }
    ring.push(ring[0]);
    // The edges along parallels are not geodesics: their midpoints bow
    // ~0.1 m from the chord at this size; 1 m keeps the corners only.
    let t = turning_points(&ring, 1.0, &[]).unwrap();
    assert_eq!(t.kept, vec![0, 10, 20, 30, 40]);
    assert!(t.largest_deviation_m < 1.0);
    assert!(turning_points(&ring, f64::NAN, &[]).is_err());
    assert!(turning_points(&ring[..1], 1.0, &[]).is_err());
    assert!(turning_points(&[(91.0, 0.0), (0.0, 0.0)], 1.0, &[]).is_err());
}
