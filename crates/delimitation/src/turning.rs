//! Turning points: the few vertices of a computed line that a treaty
//! lists, chosen so that the line through them stays within a stated
//! distance of the computed one.
//!
//! A traced equidistance line, or a compromise, has a vertex every few
//! metres wherever it curves; a commission signs, and a surveyor builds, a
//! list of turning points joined by geodesics. [`turning_points`] keeps the
//! vertices of the Douglas–Peucker selection (Douglas & Peucker 1973) with
//! every distance measured on the ellipsoid: a vertex's deviation is its
//! geodesic distance to the geodesic chord standing for it
//! ([`nearest_on_segment`], nanometres), so no vertex left out lies
//! further than `max_deviation` from the chord that replaces it. Each
//! discarded vertex is returned with its chord and its deviation: the
//! simplification is accounted for vertex by vertex.
//!
//! **Why the vertices suffice.** The computed line's segments are geodesics
//! too. A segment whose two ends lie within `d` of one chord lies within `d`
//! of it throughout (distance to a geodesic is convex along a geodesic to
//! second order in the segment's length over the Earth's radius — below a
//! nanometre for segments under a few kilometres at `d` of metres), and
//! conversely every point of the chord has a point of the computed line at
//! most `d` away (the computed stretch runs from one end of the chord to the
//! other). So the two lines are within `d` of each other both ways.
//!
//! **What is kept whatever the deviation:** both ends, and the vertices the
//! caller fixes (where the construction changes: a common stretch meeting
//! an equidistant one, a tri-point). A selection whose chords would cross
//! each other — Douglas–Peucker alone can make one on a line that doubles
//! back — takes the farthest vertex of each crossing chord until no two
//! chords cross (exact predicates in the local plane, as the comparison
//! checks its lines), so the turning-point line is simple wherever the
//! computed line is.

use crate::median::{MedianLine, VertexKind};
use crate::DelimitationError;
use terminus_geodesy::geodesic::{nearest_on_segment, Gnomonic};
use terminus_geodesy::{Ellipsoid, LatLon};
use terminus_plane::frame::Frame;
use terminus_plane::index::SegmentIndex;

/// A vertex of the computed line left out of the turning points.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Discarded {
    /// Its index in the computed line.
    pub vertex: usize,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// The turning points (indices in the computed line) whose chord
    /// stands for it.
    pub between: (usize, usize),
    /// Its geodesic distance to that chord, metres.
    pub deviation_m: f64,
}

/// The turning points of a line, and what was left out.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TurningPoints {
    /// Indices of the kept vertices in the computed line, ascending; the
    /// first and last vertex always.
    pub kept: Vec<usize>,
    /// Every vertex left out, in order.
    pub discarded: Vec<Discarded>,
    /// The deviation allowed, metres.
    pub max_deviation_m: f64,
    /// The largest deviation of a discarded vertex, metres (0 when none).
    pub largest_deviation_m: f64,
    /// Vertices taken only to keep two chords from crossing.
    pub kept_against_crossing: usize,
}

/// The turning points of `line` ((lat, lon), WGS 84) within
/// `max_deviation` metres, keeping the vertices in `fixed` (indices; the
/// ends are always kept). A closed line (first vertex = last) is handled:
/// its degenerate first chord measures distance to the closing vertex.
///
/// ```
/// use terminus_delimitation::turning::turning_points;
/// // The equator densified every 0.01°, with one vertex 5 m north of it.
/// let mut line: Vec<(f64, f64)> = (0..=100).map(|i| (0.0, i as f64 * 0.01)).collect();
/// line[50].0 = 5.0 / 110_574.0; // about 5 m north
/// // Within 1 m the spike keeps its top and both feet (from the top
/// // straight to an end would pass 4.9 m from vertex 49).
/// let t = turning_points(&line, 1.0, &[]).unwrap();
/// assert_eq!(t.kept, vec![0, 49, 50, 51, 100]);
/// assert!(t.largest_deviation_m < 1e-6);
/// let loose = turning_points(&line, 10.0, &[]).unwrap();
/// assert_eq!(loose.kept, vec![0, 100]);
/// assert!((loose.largest_deviation_m - 5.0).abs() < 0.01);
/// assert_eq!(loose.discarded.len(), 99);
/// ```
pub fn turning_points(
    line: &[(f64, f64)],
    max_deviation: f64,
    fixed: &[usize],
) -> Result<TurningPoints, DelimitationError> {
    if !(max_deviation.is_finite() && max_deviation >= 0.0) {
        return Err(DelimitationError::BadParameter(format!(
            "maximum deviation {max_deviation} m: it must be a distance ≥ 0"
        )));
    }
    let n = line.len();
    if n < 2 {
        return Err(DelimitationError::BadParameter(format!(
            "a line needs two vertices for turning points; this one has {n}"
        )));
    }
    for (i, &(lat, lon)) in line.iter().enumerate() {
        if !(lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0) {
            return Err(DelimitationError::BadParameter(format!(
                "vertex {i} ({lat}, {lon}) is not a latitude/longitude"
            )));
        }
    }
    let g = Gnomonic::new(Ellipsoid::WGS84);
    let deviation = |i: usize, j: usize, k: usize| -> Result<f64, DelimitationError> {
        let ll = |p: (f64, f64)| LatLon::new(p.0, p.1);
        Ok(nearest_on_segment(&g, ll(line[i]), ll(line[j]), ll(line[k]))?.distance)
    };
    // The farthest interior vertex of chord (i, j), if any.
    let farthest = |i: usize, j: usize| -> Result<Option<(usize, f64)>, DelimitationError> {
        let mut best: Option<(usize, f64)> = None;
        for k in i + 1..j {
            let d = deviation(i, j, k)?;
            if best.is_none_or(|b| d > b.1) {
                best = Some((k, d));
            }
        }
        Ok(best)
    };
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    for &f in fixed {
        if f < n {
            keep[f] = true;
        }
    }
    // Douglas–Peucker between consecutive fixed vertices, by a stack; then
    // no two chords may cross: each crossing chord is split at its farthest
    // vertex and its halves simplified again, until none cross.
    let anchors: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
    let mut stack: Vec<(usize, usize)> = anchors.windows(2).map(|w| (w[0], w[1])).collect();
    let frame = Frame::around(Ellipsoid::WGS84, line.iter())?;
    let xy = frame.xys(line)?;
    let mut kept_against_crossing = 0;
    loop {
        while let Some((i, j)) = stack.pop() {
            if let Some((k, d)) = farthest(i, j)? {
                if d > max_deviation {
                    keep[k] = true;
                    stack.push((i, k));
                    stack.push((k, j));
                }
            }
        }
        let kept: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
        let ll: Vec<(f64, f64)> = kept.iter().map(|&i| line[i]).collect();
        let pxy = kept.iter().map(|&i| xy[i]).collect();
        let index = SegmentIndex::from_pieces(&[(ll, pxy)]);
        let Err(c) = index.self_contacts() else { break };
        for s in [c.0.index as usize, c.1.index as usize] {
            let (i, j) = (kept[s], kept[s + 1]);
            if let Some((k, _)) = farthest(i, j)? {
                keep[k] = true;
                kept_against_crossing += 1;
                stack.push((i, k));
                stack.push((k, j));
            }
        }
        if stack.is_empty() {
            let (lat, lon) = frame.latlon(c.2);
            return Err(DelimitationError::BadParameter(format!(
                "the line crosses itself near {lat:.7}°, {lon:.7}° (its segments from vertices {} and {}): no simple turning-point line follows it",
                kept[c.0.index as usize], kept[c.1.index as usize]
            )));
        }
    }
    // Account for every vertex left out against its final chord.
    let kept: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
    let mut discarded = Vec::with_capacity(n - kept.len());
    let mut largest: f64 = 0.0;
    for w in kept.windows(2) {
        for (k, &(lat, lon)) in line.iter().enumerate().take(w[1]).skip(w[0] + 1) {
            let d = deviation(w[0], w[1], k)?;
            largest = largest.max(d);
            discarded.push(Discarded {
                vertex: k,
                lat,
                lon,
                between: (w[0], w[1]),
                deviation_m: d,
            });
        }
    }
    Ok(TurningPoints {
        kept,
        discarded,
        max_deviation_m: max_deviation,
        largest_deviation_m: largest,
        kept_against_crossing,
    })
}

/// The turning-point line of a computed median: its kept vertices with
/// their base points, every interior one now a turning point (the vertex a
/// treaty lists), and the accounting of what was left out.
pub fn turning_point_line(
    line: &MedianLine,
    max_deviation: f64,
    fixed: &[usize],
) -> Result<(MedianLine, TurningPoints), DelimitationError> {
    let t = turning_points(&line.coords(), max_deviation, fixed)?;
    let last = line.vertices.len() - 1;
    let vertices = t
        .kept
        .iter()
        .map(|&i| {
            let mut v = line.vertices[i].clone();
            if i != 0 && i != last {
                v.kind = VertexKind::Turning;
            }
            v
        })
        .collect();
    let geod = Ellipsoid::WGS84.geodesic();
    Ok((MedianLine::new(&geod, vertices, line.traced_points), t))
}
