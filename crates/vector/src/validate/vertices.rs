//! Vertex-level checks: duplicate consecutive positions and spikes.

use super::{Check, Location, Severity, Sink, ValidationOptions};
use crate::Coord;

/// At most this many findings of one check per path, then a summary.
pub(crate) const PER_PATH_LIMIT: usize = 10;

pub(super) fn check_path(
    p: &[Coord],
    loc: &Location,
    geographic: bool,
    opts: &ValidationOptions,
    closed: bool,
    sink: &mut Sink,
) {
    let n = p.len();
    let mut dups = 0usize;
    for i in 1..n {
        if p[i].same_xy(&p[i - 1]) && !(closed && i == n - 1 && n == 2) {
            if dups < PER_PATH_LIMIT {
                sink.push(
                    Severity::Warning,
                    Check::DuplicateVertex,
                    loc.at_vertex(i, &p[i]),
                    format!("vertex {i} repeats vertex {}", i - 1),
                );
            }
            dups += 1;
        }
    }
    if dups > PER_PATH_LIMIT {
        sink.push(
            Severity::Warning,
            Check::DuplicateVertex,
            loc.clone(),
            format!(
                "{} more duplicate vertices in this path",
                dups - PER_PATH_LIMIT
            ),
        );
    }

    // Spikes: the path arrives at a vertex and leaves almost straight back.
    let limit = opts.spike_angle_deg.to_radians();
    let m = if closed { n - 1 } else { n }; // distinct vertices of a closed ring
    if m < 3 {
        return;
    }
    let mut spikes = 0usize;
    let range = if closed { 0..m } else { 1..m - 1 };
    for i in range {
        let prev = if i == 0 { &p[m - 1] } else { &p[i - 1] };
        let next = &p[(i + 1) % m.max(1)];
        let next = if closed { next } else { &p[i + 1] };
        let cur = &p[i];
        // In degrees, shrink longitude by cos(latitude) so angles are true
        // on the ground near the vertex.
        let kx = if geographic {
            cur.y.to_radians().cos()
        } else {
            1.0
        };
        let (ux, uy) = ((prev.x - cur.x) * kx, prev.y - cur.y);
        let (vx, vy) = ((next.x - cur.x) * kx, next.y - cur.y);
        if (ux == 0.0 && uy == 0.0) || (vx == 0.0 && vy == 0.0) {
            continue;
        }
        let angle = (ux * vy - uy * vx).abs().atan2(ux * vx + uy * vy);
        if angle < limit {
            if spikes < PER_PATH_LIMIT {
                sink.push(
                    Severity::Warning,
                    Check::Spike,
                    loc.at_vertex(i, cur),
                    format!(
                        "spike: the line turns back by {:.4}° at this vertex (limit: within {}° of a full reversal)",
                        180.0 - angle.to_degrees(),
                        opts.spike_angle_deg
                    ),
                );
            }
            spikes += 1;
        }
    }
    if spikes > PER_PATH_LIMIT {
        sink.push(
            Severity::Warning,
            Check::Spike,
            loc.clone(),
            format!("{} more spikes in this path", spikes - PER_PATH_LIMIT),
        );
    }
}
