//! Ring structure: closure, vertex counts, empty parts and winding.

use super::{self_intersection, vertices, Check, Location, Severity, Sink, ValidationOptions};
use crate::ring::{signed_area2, RingIndex};
use crate::Polygon;

pub(super) fn polygon(
    p: &Polygon,
    loc: &Location,
    geographic: bool,
    opts: &ValidationOptions,
    sink: &mut Sink,
) {
    if p.rings.is_empty() {
        sink.push(
            Severity::Error,
            Check::EmptyPart,
            loc.clone(),
            "polygon without rings".into(),
        );
        return;
    }
    let mut all_sound = true;
    for (r, ring) in p.rings.iter().enumerate() {
        let l = Location {
            ring: Some(r),
            ..loc.clone()
        };
        if ring.is_empty() {
            sink.push(Severity::Error, Check::EmptyPart, l, "empty ring".into());
            all_sound = false;
            continue;
        }
        let first = &ring[0];
        let last = &ring[ring.len() - 1];
        if !first.same_xy(last) {
            sink.push(
                Severity::Error,
                Check::UnclosedRing,
                l.at_vertex(ring.len() - 1, last),
                format!(
                    "ring is not closed: it ends at ({}, {}) but starts at ({}, {})",
                    last.x, last.y, first.x, first.y
                ),
            );
            all_sound = false;
        }
        if ring.len() < 4 {
            sink.push(
                Severity::Error,
                Check::TooFewVertices,
                l.clone(),
                format!(
                    "a ring needs at least 4 positions (3 distinct + closing), this one has {}",
                    ring.len()
                ),
            );
            all_sound = false;
            continue;
        }
        vertices::check_path(ring, &l, geographic, opts, true, sink);
        if opts.check_winding {
            let a = signed_area2(ring);
            let (want_ccw, role) = if r == 0 {
                (true, "exterior ring")
            } else {
                (false, "hole")
            };
            if a != 0.0 && (a > 0.0) != want_ccw {
                sink.push(
                    Severity::Warning,
                    Check::WrongWinding,
                    l,
                    format!(
                        "{role} runs {}; RFC 7946 asks exteriors counter-clockwise and holes clockwise (readers tolerate either)",
                        if a > 0.0 { "counter-clockwise" } else { "clockwise" }
                    ),
                );
            }
        }
    }
    if all_sound {
        let shell = RingIndex::new(&p.rings[0]);
        for (r, hole) in p.rings.iter().enumerate().skip(1) {
            if !shell.contains_ring(hole) {
                sink.push(
                    Severity::Error,
                    Check::HoleOutsideShell,
                    Location { ring: Some(r), position: hole.first().map(|c| [c.x, c.y]), ..loc.clone() },
                    "this hole lies outside its polygon's exterior ring (a part of another polygon, or an island given as a hole?)".into(),
                );
            }
        }
        self_intersection::check_polygon(p, loc, sink);
    }
}
