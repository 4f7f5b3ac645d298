//! A line clipped to polygons, against independent references: the
//! geodesy layer's box clip where the polygon's edges are meridians (which
//! are geodesics), and its foot of the perpendicular for every cut.

use terminus_geodesy::geodesic::clip::{clip_to_box, LatLonBox};
use terminus_geodesy::geodesic::{nearest_on_segment, Gnomonic};
use terminus_geodesy::{Ellipsoid, LatLon};
use terminus_plane::clip::clip_to_polygons;
use terminus_plane::frame::Frame;

/// A zigzag line from 39.9°N 44.9°E eastwards, 0.05° a step, up and down
/// 0.04° of latitude.
fn zigzag() -> Vec<(f64, f64)> {
    (0..=20)
        .map(|k| {
            (
                39.9 + if k % 2 == 0 { 0.0 } else { 0.04 },
                44.9 + 0.05 * k as f64,
            )
        })
        .collect()
}

/// Cut where a zigzag crosses two meridians (a polygon whose east and
/// west edges are meridians, far above and below the line): the same
/// run, with the same cuts, as the geodesy layer's box clip, to 1e-9°.
#[test]
fn cuts_on_meridian_edges_match_the_box_clip() {
    let line = zigzag();
    let (w, e) = (45.013, 45.612);
    let polygon = vec![vec![(39.0, w), (39.0, e), (41.0, e), (41.0, w), (39.0, w)]];
    let frame = Frame::around(Ellipsoid::WGS84, line.iter()).unwrap();
    let runs = clip_to_polygons(&frame, &line, &[polygon]).unwrap();
    let want = clip_to_box(&line, &LatLonBox::new(39.0, w, 41.0, e).unwrap()).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].len(), want[0].len());
    for (p, q) in runs[0].iter().zip(&want[0]) {
        assert!(
            (p.0 - q.0).abs() < 1e-9 && (p.1 - q.1).abs() < 1e-9,
            "{p:?} {q:?}"
        );
    }
}

/// A polygon with a hole across the zigzag: the runs alternate in and
/// out as the hole says; every cut lies on a polygon edge (geodesic foot
/// of the perpendicular, 1e-6 m), every other vertex of a run is one of
/// the line's own, and each run's midpoint vertex is inside.
#[test]
fn a_hole_splits_the_line_and_every_cut_is_on_an_edge() {
    let line = zigzag();
    let outer = vec![
        (39.8, 45.0),
        (39.8, 45.8),
        (40.1, 45.8),
        (40.1, 45.0),
        (39.8, 45.0),
    ];
    let hole = vec![
        (39.85, 45.3),
        (39.85, 45.5),
        (40.05, 45.5),
        (40.05, 45.3),
        (39.85, 45.3),
    ];
    let polygon = vec![outer.clone(), hole.clone()];
    let frame = Frame::around(Ellipsoid::WGS84, line.iter()).unwrap();
    let runs = clip_to_polygons(&frame, &line, &[polygon]).unwrap();
    assert_eq!(runs.len(), 2, "{runs:?}");
    let g = Gnomonic::new(Ellipsoid::WGS84);
    let on_edge = |p: (f64, f64)| {
        [&outer, &hole]
            .iter()
            .flat_map(|r| r.windows(2))
            .map(|w| {
                nearest_on_segment(
                    &g,
                    LatLon::from_pair(w[0]),
                    LatLon::from_pair(w[1]),
                    LatLon::from_pair(p),
                )
                .unwrap()
                .distance
            })
            .fold(f64::INFINITY, f64::min)
    };
    for run in &runs {
        let (first, last) = (run[0], run[run.len() - 1]);
        assert!(on_edge(first) < 1e-6, "{first:?}");
        assert!(on_edge(last) < 1e-6, "{last:?}");
        for p in &run[1..run.len() - 1] {
            assert!(line.contains(p), "{p:?} is not a vertex of the line");
        }
    }
    // The first run from the outer ring's west edge to the hole's west
    // edge, the second from the hole's east edge to the outer's east.
    assert!((runs[0][0].1 - 45.0).abs() < 1e-3);
    assert!((runs[0][runs[0].len() - 1].1 - 45.3).abs() < 1e-3);
    assert!((runs[1][0].1 - 45.5).abs() < 1e-3);
    assert!((runs[1][runs[1].len() - 1].1 - 45.8).abs() < 1e-3);
    // Nothing inside: none; all inside: the line itself.
    let far = vec![vec![(10.0, 10.0), (10.0, 11.0), (11.0, 11.0), (10.0, 10.0)]];
    let frame2 = Frame::around(Ellipsoid::WGS84, line.iter().chain(far[0].iter())).unwrap();
    assert!(clip_to_polygons(&frame2, &line, &[far]).unwrap().is_empty());
    let all = vec![vec![
        (39.0, 44.0),
        (39.0, 47.0),
        (41.0, 47.0),
        (41.0, 44.0),
        (39.0, 44.0),
    ]];
    assert_eq!(
        clip_to_polygons(&frame, &line, &[all]).unwrap(),
        vec![line.clone()]
    );
}
