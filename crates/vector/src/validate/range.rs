//! Coordinate ranges: non-finite values, longitude/latitude out of range,
//! and latitude/longitude that look swapped.
//!
//! Swaps are caught three ways, from certain to heuristic:
//! 1. a "latitude" beyond ±90° whose exchange with the longitude fits (error);
//! 2. a vertex far from both neighbours that, exchanged, falls right between
//!    them (error: a typing slip in one row of a coordinate table);
//! 3. a feature lying far from all others of its layer whose exchanged box
//!    falls within theirs (a whole feature digitised lat-first): an error when
//!    such features are a minority of the layer, a warning when the layer
//!    is too small to tell which side is right (two features).

use super::vertices::PER_PATH_LIMIT;
use super::{for_each_path, Check, Location, Severity, Sink};
use crate::{Coord, Geometry, Layer};

pub(super) fn check_coords(g: &Geometry, loc: &Location, geographic: bool, sink: &mut Sink) {
    for_each_path(g, loc, &mut |path, l| {
        let mut reported = 0usize;
        for (i, c) in path.iter().enumerate() {
            if reported >= PER_PATH_LIMIT {
                sink.push(
                    Severity::Error,
                    Check::OutOfRange,
                    l.clone(),
                    "further bad coordinates in this path not listed".into(),
                );
                break;
            }
            if !c.x.is_finite() || !c.y.is_finite() || c.z.is_some_and(|z| !z.is_finite()) {
                sink.push(
                    Severity::Error,
                    Check::NonFinite,
                    l.at_vertex(i, c),
                    "coordinate is not a finite number".into(),
                );
                reported += 1;
                continue;
            }
            if !geographic {
                continue;
            }
            let lon_ok = c.x.abs() <= 180.0;
            let lat_ok = c.y.abs() <= 90.0;
            if lon_ok && lat_ok {
                if let Some(msg) = swapped_vertex(path, i) {
                    sink.push(
                        Severity::Error,
                        Check::SwappedLatLon,
                        l.at_vertex(i, c),
                        msg,
                    );
                    reported += 1;
                }
                continue;
            }
            reported += 1;
            if c.x.abs() <= 90.0 && c.y.abs() <= 180.0 {
                sink.push(
                    Severity::Error,
                    Check::SwappedLatLon,
                    l.at_vertex(i, c),
                    format!(
                        "latitude {} is beyond ±90°; latitude and longitude look swapped (longitude {}, latitude {} would be valid)",
                        c.y, c.y, c.x
                    ),
                );
            } else {
                sink.push(
                    Severity::Error,
                    Check::OutOfRange,
                    l.at_vertex(i, c),
                    format!(
                        "({}, {}) is not a longitude/latitude: longitude must be within ±180° and latitude within ±90°",
                        c.x, c.y
                    ),
                );
            }
        }
    });
}

fn dist(a: &Coord, b: &Coord) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// A vertex at least 1° from its neighbours that, with x and y exchanged,
/// lies within 1 % of that distance of them. At an end of a line, where
/// there is one neighbour, that neighbour must agree with its own next
/// vertex, or the end could be the sound one and the neighbour the slip.
fn swapped_vertex(path: &[Coord], i: usize) -> Option<String> {
    let c = &path[i];
    let swapped = Coord::xy(c.y, c.x);
    let neighbours: Vec<&Coord> = [i.checked_sub(1), Some(i + 1)]
        .into_iter()
        .flatten()
        .filter_map(|j| path.get(j))
        .filter(|n| !n.same_xy(c))
        .collect();
    let far = neighbours
        .iter()
        .map(|n| dist(c, n))
        .fold(f64::INFINITY, f64::min);
    let near = neighbours
        .iter()
        .map(|n| dist(&swapped, n))
        .fold(0.0, f64::max);
    if neighbours.is_empty() || far < 1.0 || near > far * 0.01 {
        return None;
    }
    if neighbours.len() == 1 {
        let (n, beyond) = if i == 0 {
            (1, 2)
        } else {
            (i - 1, i.checked_sub(2)?)
        };
        let next = path.get(beyond)?;
        if dist(&path[n], next) > far * 0.01 {
            return None;
        }
    }
    Some(format!(
        "vertex lies {far:.3}° from its neighbours, but with latitude and longitude exchanged ({}, {}) it would lie {near:.5}° from them: swapped coordinates?",
        c.y, c.x
    ))
}

/// Features far from every other feature of the layer whose exchanged box
/// overlaps the rest.
pub(super) fn swapped_features(layer: &Layer, sink: &mut Sink) {
    let boxes: Vec<(usize, crate::Bbox)> = layer
        .features
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((i, f.geometry.as_ref()?.bbox()?)))
        .collect();
    if boxes.len() < 2 {
        return;
    }
    let mut flagged: Vec<(usize, crate::Bbox, crate::Bbox)> = Vec::new();
    for (k, (i, b)) in boxes.iter().enumerate() {
        let mut rest: Option<crate::Bbox> = None;
        for (m, (_, o)) in boxes.iter().enumerate() {
            if m != k {
                match &mut rest {
                    Some(r) => r.union(o),
                    None => rest = Some(*o),
                }
            }
        }
        let Some(rest) = rest else { continue };
        let margin = 1.0;
        let grown = crate::Bbox {
            min_x: rest.min_x - margin,
            min_y: rest.min_y - margin,
            max_x: rest.max_x + margin,
            max_y: rest.max_y + margin,
        };
        let t = b.transposed();
        let fits = t.min_x >= grown.min_x
            && t.max_x <= grown.max_x
            && t.min_y >= grown.min_y
            && t.max_y <= grown.max_y;
        if !b.intersects(&grown) && fits {
            flagged.push((*i, *b, rest));
        }
    }
    // A minority that fits the rest once exchanged is an error; when half
    // the layer or more is flagged, which half is right cannot be told.
    let severity = if flagged.len() * 2 < boxes.len() {
        Severity::Error
    } else {
        Severity::Warning
    };
    for (i, b, rest) in flagged {
        {
            let f = &layer.features[i];
            let c = b.centre();
            sink.push(
                severity,
                Check::SwappedLatLon,
                Location {
                    layer: layer.name.clone(),
                    feature: Some(i),
                    feature_id: f.id.clone(),
                    position: Some([c.x, c.y]),
                    ..Default::default()
                },
                format!(
                    "feature lies around ({:.4}, {:.4}), away from the rest of the layer ({:.4}–{:.4}, {:.4}–{:.4}); with latitude and longitude exchanged it would fall among them",
                    c.x, c.y, rest.min_x, rest.max_x, rest.min_y, rest.max_y
                ),
            );
        }
    }
}
