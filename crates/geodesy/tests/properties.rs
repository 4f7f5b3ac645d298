//! Properties of the geodesic constructions, on random cases (proptest).

use proptest::prelude::*;
use terminus_geodesy::geodesic::{
    densify_by_spacing, densify_by_tolerance, intersect_segments, nearest_on_segment, Gnomonic,
};
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::{Ellipsoid, LatLon};

fn gn() -> Gnomonic {
    Gnomonic::new(Ellipsoid::WGS84)
}

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    Ellipsoid::WGS84.geodesic().inverse(a.0, a.1, b.0, b.1)
}

fn step(p: (f64, f64), azi: f64, s: f64) -> (f64, f64) {
    Ellipsoid::WGS84.geodesic().direct(p.0, p.1, azi, s)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The inverse problem undoes the direct one.
    #[test]
    fn inverse_of_direct_returns_s(lat in -89.0f64..89.0, lon in -180.0f64..180.0, azi in -180.0f64..180.0, s in 1.0f64..19_000_000.0) {
        let q = step((lat, lon), azi, s);
        let back = dist((lat, lon), q);
        prop_assert!((back - s).abs() < 1e-8, "{} vs {}", back, s);
    }

    /// Densified points lie on the geodesic: they split it without detour.
    #[test]
    fn densified_points_lie_on_the_geodesic(lat in -70.0f64..70.0, lon in -180.0f64..180.0, azi in -180.0f64..180.0, s in 1_000.0f64..2_000_000.0, spacing in 500.0f64..200_000.0) {
        let a = (lat, lon);
        let b = step(a, azi, s);
        let g = Ellipsoid::WGS84.geodesic();
        for pts in [densify_by_spacing(&g, LatLon::from_pair(a), LatLon::from_pair(b), spacing).unwrap(), densify_by_tolerance(&g, LatLon::from_pair(a), LatLon::from_pair(b), 0.5).unwrap()] {
            let pts: Vec<(f64, f64)> = pts.into_iter().map(LatLon::tuple).collect();
            let sum: f64 = pts.windows(2).map(|w| dist(w[0], w[1])).sum();
            // Each piece's length is exact to ~1 nm; the sum gathers that much per piece.
            let allowed = 1e-7 + 2e-9 * pts.len() as f64;
            prop_assert!((sum - s).abs() < allowed, "detour {} m over {} points", sum - s, pts.len());
        }
        let pts: Vec<(f64, f64)> = densify_by_spacing(&g, LatLon::from_pair(a), LatLon::from_pair(b), spacing).unwrap().into_iter().map(LatLon::tuple).collect();
        prop_assert!(pts.windows(2).all(|w| dist(w[0], w[1]) <= spacing + 1e-6));
    }

    /// The intersection of two crossing segments is their common point, and
    /// lies on both geodesics.
    #[test]
    fn intersection_lies_on_both_geodesics(lat in -70.0f64..70.0, lon in -180.0f64..180.0, az1 in 0.0f64..180.0, turn in 10.0f64..170.0,
                                           d1 in 100.0f64..300_000.0, e1 in 100.0f64..300_000.0, d2 in 100.0f64..300_000.0, e2 in 100.0f64..300_000.0) {
        let x = (lat, lon);
        let az2 = az1 + turn;
        let (a1, b1) = (step(x, az1 + 180.0, d1), step(x, az1, e1));
        let (a2, b2) = (step(x, az2 + 180.0, d2), step(x, az2, e2));
        let r = intersect_segments(&Ellipsoid::WGS84.geodesic(), LatLon::from_pair(a1), LatLon::from_pair(b1), LatLon::from_pair(a2), LatLon::from_pair(b2)).unwrap().unwrap();
        prop_assert!(r.within_both);
        prop_assert!(dist((r.lat, r.lon), x) < 1e-6, "{} m from the crossing", dist((r.lat, r.lon), x));
        // On both: no detour through the intersection.
        prop_assert!((dist(a1, (r.lat, r.lon)) + dist((r.lat, r.lon), b1) - dist(a1, b1)).abs() < 1e-6);
        prop_assert!((dist(a2, (r.lat, r.lon)) + dist((r.lat, r.lon), b2) - dist(a2, b2)).abs() < 1e-6);
        prop_assert!((r.along_first - d1).abs() < 1e-6 && (r.along_second - d2).abs() < 1e-6);
    }

    /// A point set off a segment at right angles finds its foot again.
    #[test]
    fn nearest_point_is_the_perpendicular_foot(lat in -70.0f64..70.0, lon in -180.0f64..180.0, azi in -180.0f64..180.0,
                                                before in 100.0f64..200_000.0, after in 100.0f64..200_000.0, off in 1.0f64..50_000.0, left in any::<bool>()) {
        let foot = (lat, lon);
        let g = Ellipsoid::WGS84.geodesic();
        let (a_lat, a_lon, _az_a): (f64, f64, f64) = g.direct(lat, lon, azi + 180.0, before);
        let b = step(foot, azi, after);
        // The azimuth of the line at the foot, seen from A.
        let (_s, _az1, az_foot, _a): (f64, f64, f64, f64) = g.inverse(a_lat, a_lon, lat, lon);
        let p = step(foot, az_foot + if left { -90.0 } else { 90.0 }, off);
        let n = nearest_on_segment(&gn(), terminus_geodesy::LatLon::new(a_lat, a_lon), terminus_geodesy::LatLon::from_pair(b), terminus_geodesy::LatLon::from_pair(p)).unwrap();
        prop_assert!(dist((n.lat, n.lon), foot) < 1e-6, "foot off by {} m", dist((n.lat, n.lon), foot));
        prop_assert!((n.distance - off).abs() < 1e-6);
        prop_assert_eq!(n.side, if left { 1 } else { -1 });
    }
}
