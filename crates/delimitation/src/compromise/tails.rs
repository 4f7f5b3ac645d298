//! Where the claims part ways at an end of the line: each runs on from
//! their last contact to an end of its own (sources that end at
//! different tripoints, farther apart than the comparison joins).
//!
//! The region between the two tails is closed by the geodesic from the
//! end of the tail that ends nearer the other (S) to its nearest point F
//! on the other tail (L) — the shortest closure, which meets neither
//! tail elsewhere. Its median is traced as any region's (equidistant
//! from the whole claims, else the stated fallbacks) from the contact to
//! where it meets that closure, joined to F along the closure (a
//! connector), and L's tail beyond F is carried as L draws it (one claim
//! only). The line so stays one line, and both tails are accounted for.

use super::{region_median, Construction, RegionNote, RegionOutcome, Stretch};
use crate::median::{MedianOptions, MedianVertex, Tracer, VertexKind};
use crate::side::{Feature, Side};
use crate::DelimitationError;

/// What the tails add to a line ending at their contact.
pub(super) struct Tail {
    /// The vertices after the contact, to the line's new end.
    pub vertices: Vec<MedianVertex>,
    /// Their stretches, indexed with the contact as 0.
    pub stretches: Vec<Stretch>,
    /// The region between the tails (closed).
    pub region: Vec<(f64, f64)>,
    /// What was done, for the report.
    pub notes: Vec<RegionNote>,
}

/// The compromise along two tails `runs` (A's and B's, each from the
/// contact to its claim's end, neither on the other claim), or `None`
/// where they enclose nothing to trace (the nearer end's closest point
/// on the other tail is the contact itself).
pub(super) fn part_ways(
    tr: &Tracer,
    options: &MedianOptions,
    runs: [&Vec<(f64, f64)>; 2],
) -> Result<Option<Tail>, DelimitationError> {
    let frame = tr.frame;
    let length = |r: &[(f64, f64)]| -> f64 { r.windows(2).map(|w| tr.dist(w[0], w[1])).sum() };
    // Each end's nearest point on the other tail.
    let mut feet = Vec::with_capacity(2);
    for k in 0..2 {
        let other = Side::new("tail", vec![runs[1 - k].clone()], frame)?;
        feet.push(other.nearest(frame, runs[k][runs[k].len() - 1])?);
    }
    let s = if feet[0].distance <= feet[1].distance {
        0
    } else {
        1
    };
    let l = 1 - s;
    let (short, long, foot) = (runs[s], runs[l], &feet[s]);
    // The long tail up to the foot, the foot last.
    let mut upto = match foot.feature {
        Feature::Vertex { vertex, .. } => vertex as usize,
        Feature::Segment { segment, .. } => segment as usize,
    };
    let mut f = (foot.lat, foot.lon);
    let mut prefix: Vec<(f64, f64)> = long[..=upto.min(long.len() - 1)].to_vec();
    if prefix.last() != Some(&f) {
        prefix.push(f);
    }
    // Where the tails part at an open angle, the nearer end's closest
    // point on the other is the contact itself: the region is closed
    // instead by the geodesic between the two ends, as the comparison
    // closes it, and the median ends where it meets that closure.
    let joined = prefix.len() < 2;
    if joined {
        upto = long.len() - 1;
        f = long[upto];
        prefix = long.clone();
        if prefix.len() < 2 || short.len() < 2 {
            return Ok(None);
        }
    }
    // The region: out along the short tail, across the closure, back
    // along the long one (unclosed; the contact once).
    let mut ring = short.clone();
    if ring.last() != Some(&f) {
        ring.push(f);
    }
    ring.extend(prefix[1..prefix.len() - 1].iter().rev());
    let (mut piece, how, why) = match region_median(tr, &ring, options)? {
        RegionOutcome::Piece(piece, how, why) => (piece, how, why),
        RegionOutcome::Sliver | RegionOutcome::Pair(..) | RegionOutcome::Unresolved(_) => {
            return Ok(None)
        }
    };
    let v = short[0];
    if let (Some(first), Some(last)) = (piece.vertices.first(), piece.vertices.last()) {
        if tr.dist((last.lat, last.lon), v) < tr.dist((first.lat, first.lon), v) {
            piece.reverse();
        }
    }
    let vertex = |p: (f64, f64)| -> Result<MedianVertex, DelimitationError> {
        Ok(MedianVertex {
            lat: p.0,
            lon: p.1,
            kind: VertexKind::Turning,
            base_a: vec![tr.a.nearest(frame, p)?],
            base_b: vec![tr.b.nearest(frame, p)?],
        })
    };
    let mut vertices: Vec<MedianVertex> = piece
        .vertices
        .into_iter()
        .skip_while(|p| tr.dist((p.lat, p.lon), v) < 1e-6)
        .map(|p| MedianVertex {
            kind: VertexKind::Turning,
            ..p
        })
        .collect();
    let mut stretches = vec![Stretch {
        first: 0,
        last: vertices.len(),
        construction: how,
    }];
    let names = [tr.a.name(), tr.b.name()];
    let area = terminus_geodesy::measure::ring_area_with(
        tr.geod,
        ring.iter().map(|&p| terminus_geodesy::LatLon::from_pair(p)),
    )
    .abs();
    let crossing = vertices.last().map_or(v, |p| (p.lat, p.lon));
    let mut notes = vec![RegionNote {
        inside_at: crossing,
        area_m2: area,
        construction: Some(how),
        reason: format!(
            "the claims part ways here: {} ends at {:.6}, {:.6}, {:.1} m from {}, which runs on to its own end at {:.6}, {:.6}; the region between them, closed by the geodesic from {}'s end to {}, gets the {}{}",
            names[s],
            short[short.len() - 1].0,
            short[short.len() - 1].1,
            foot.distance,
            names[l],
            long[long.len() - 1].0,
            long[long.len() - 1].1,
            names[s],
            if joined {
                format!("{}'s end (the tails part at an open angle)", names[l])
            } else {
                format!("the nearest point of {}", names[l])
            },
            how.label(),
            why.map_or(String::new(), |w| format!(" ({w})")),
        ),
    }];
    // Along the closure to the foot (not where the closure joins the
    // ends: the line ends on it).
    let gap = tr.dist(crossing, f);
    if gap > 1e-6 && !joined {
        vertices.push(vertex(f)?);
        stretches.push(Stretch {
            first: vertices.len() - 1,
            last: vertices.len(),
            construction: Construction::Connector,
        });
        notes.push(RegionNote {
            inside_at: crossing,
            area_m2: 0.0,
            construction: Some(Construction::Connector),
            reason: format!(
                "from where the median meets the closure to {}'s nearest point: a geodesic {gap:.1} m long along the closure",
                names[l]
            ),
        });
    }
    // The long tail beyond the foot, as drawn.
    let rest: Vec<(f64, f64)> = long[upto + 1..]
        .iter()
        .copied()
        .filter(|&p| p != f)
        .collect();
    if !rest.is_empty() {
        let first = vertices.len();
        for &p in &rest {
            vertices.push(vertex(p)?);
        }
        stretches.push(Stretch {
            first,
            last: vertices.len(),
            construction: Construction::OneClaim,
        });
        let mut carried = vec![f];
        carried.extend(&rest);
        notes.push(RegionNote {
            inside_at: carried[carried.len() / 2],
            area_m2: 0.0,
            construction: Some(Construction::OneClaim),
            reason: format!(
                "{} runs on {:.3} km past where {} ends (from {:.6}, {:.6} to {:.6}, {:.6}); {} is silent there, so it is carried as {} draws it",
                names[l],
                length(&carried) / 1000.0,
                names[s],
                f.0,
                f.1,
                rest[rest.len() - 1].0,
                rest[rest.len() - 1].1,
                names[s],
                names[l]
            ),
        });
    }
    // (Stretch indices count the contact as 0, so a stretch's last is
    // the count of vertices after it.)
    stretches.retain(|st| st.last > st.first);
    ring.push(ring[0]);
    Ok(Some(Tail {
        vertices,
        stretches,
        region: ring,
        notes,
    }))
}
