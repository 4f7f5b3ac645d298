//! The planar arrangement of two claim lines: every segment of both lines
//! (and of the bridges and end joins that close them) noded at every
//! crossing and touching, duplicates merged, dangles pruned, and the faces
//! traced — the polygons "enclosed between the lines".
//!
//! Method: segment pairs from an R*-tree of their boxes; crossing, touching
//! and collinear overlap decided by Shewchuk's exact orientation predicates
//! (`robust`) in the gnomonic [`Frame`](crate::frame::Frame); faces by the
//! half-edge walk (at each node, turn to the next edge clockwise), so each
//! bounded face comes out counter-clockwise. Crossing positions reported on
//! the ellipsoid are solved by Karney's 2023 geodesic intersection from the
//! original vertices, not taken from the plane.

use crate::frame::{Frame, Xy};
use crate::packed::PackedSegments;
use crate::CompareError;
use rayon::prelude::*;
use robust::{orient2d, Coord};
use terminus_geodesy::geodesic::intersect_segments;
use terminus_geodesy::measure::EdgeTerm;

/// What an edge of the arrangement is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A stretch of one of the compared lines.
    Line {
        /// 0 for the first line of the pair, 1 for the second.
        line: u8,
        /// Which piece of that line (its index in the input).
        piece: u32,
        /// Whether the line runs from the edge's `u` to its `v`.
        forward: bool,
    },
    /// A gap between two pieces of one line, bridged by a geodesic.
    Bridge {
        /// Which line.
        line: u8,
    },
    /// The geodesic joining an end of the first line to the nearby end of
    /// the second, closing the region between them there.
    Join,
}

/// A directed path fed to the arrangement: consecutive (lat, lon) vertices
/// with their planar images, and what it is.
#[derive(Debug, Clone)]
pub struct Path<'a> {
    /// Vertices, (lat, lon) degrees.
    pub ll: &'a [(f64, f64)],
    /// Their images in the frame.
    pub xy: &'a [Xy],
    /// Each segment's geodesic term when already known (else empty).
    pub terms: &'a [EdgeTerm],
    /// The role of every segment (`forward` = along the path).
    pub role: Role,
}

/// A node: a vertex of either line or a crossing.
#[derive(Debug, Clone, Copy)]
pub struct Node {
    /// Position in the frame.
    pub xy: Xy,
    /// Position on the ellipsoid (for crossings, solved geodesically).
    pub ll: (f64, f64),
    /// Whether this node is a crossing or touching of the two lines.
    pub crossing: bool,
}

/// An undirected edge between two nodes, with every role it plays (a
/// stretch where both lines run along the same vertices has two).
#[derive(Debug, Clone)]
pub struct Edge {
    /// First node.
    pub u: u32,
    /// Second node.
    pub v: u32,
    /// What it is part of; `forward` is relative to u → v.
    pub roles: Roles,
    /// Its geodesic term u → v, when a whole input segment gave it.
    term: Option<EdgeTerm>,
}

/// The roles of one edge: rarely more than two (a stretch both lines
/// share), so kept inline rather than on the heap.
#[derive(Debug, Clone, Copy, Default)]
pub struct Roles([Option<Role>; 3]);

impl Roles {
    fn push(&mut self, r: Role) {
        if self.0.contains(&Some(r)) {
            return;
        }
        if let Some(slot) = self.0.iter_mut().find(|s| s.is_none()) {
            *slot = Some(r);
        }
    }

    /// Each role.
    pub fn iter(&self) -> impl Iterator<Item = &Role> {
        self.0.iter().flatten()
    }
}

/// A bounded face: its outer ring and holes, as half-edges (`2e` runs
/// u→v of edge e, `2e + 1` runs v→u). The outer ring runs counter-clockwise
/// with the face on its left; holes run clockwise, the face again on the left.
#[derive(Debug, Clone)]
pub struct Face {
    /// Half-edges of the outer boundary.
    pub outer: Vec<u32>,
    /// Half-edges of each hole.
    pub holes: Vec<Vec<u32>>,
    /// Planar area in the frame, m² (for ordering only).
    pub plane_area: f64,
}

/// The noded, pruned arrangement and its faces.
#[derive(Debug, Clone)]
pub struct Arrangement {
    /// All nodes.
    pub nodes: Vec<Node>,
    /// Edges that enclose something (dangles removed).
    pub edges: Vec<Edge>,
    /// Bounded faces.
    pub faces: Vec<Face>,
    /// Each edge's geodesic length and area term, u → v (one inverse
    /// problem per edge, shared by the faces either side).
    pub terms: Vec<EdgeTerm>,
}

impl Arrangement {
    /// The origin node of half-edge `h`.
    pub fn origin(&self, h: u32) -> u32 {
        let e = &self.edges[(h / 2) as usize];
        if h.is_multiple_of(2) {
            e.u
        } else {
            e.v
        }
    }

    /// The destination node of half-edge `h`.
    pub fn dest(&self, h: u32) -> u32 {
        self.origin(h ^ 1)
    }

    /// The geodesic term of half-edge `h`, in its direction.
    pub fn term(&self, h: u32) -> EdgeTerm {
        let t = self.terms[(h / 2) as usize];
        if h.is_multiple_of(2) {
            t
        } else {
            t.reversed()
        }
    }

    /// The (lat, lon) ring of half-edges, closed.
    pub fn ring_ll(&self, ring: &[u32]) -> Vec<(f64, f64)> {
        let mut out: Vec<(f64, f64)> = ring
            .iter()
            .map(|&h| self.nodes[self.origin(h) as usize].ll)
            .collect();
        if let Some(&f) = out.first() {
            out.push(f);
        }
        out
    }

    /// The planar ring of half-edges, closed.
    pub fn ring_xy(&self, ring: &[u32]) -> Vec<Xy> {
        let mut out: Vec<Xy> = ring
            .iter()
            .map(|&h| self.nodes[self.origin(h) as usize].xy)
            .collect();
        if let Some(&f) = out.first() {
            out.push(f);
        }
        out
    }

    /// Node the paths, merge, prune, and trace faces.
    pub fn build(frame: &Frame, paths: &[Path<'_>]) -> Result<Arrangement, CompareError> {
        // 1. Nodes: one per distinct (lat, lon), so shared vertices of the
        // two lines are one node, numbered in order of first appearance.
        // Found by a parallel sort of the vertices' bit patterns (a hash
        // map of a million vertices took several times longer).
        let offsets: Vec<usize> = paths
            .iter()
            .scan(0, |acc, p| {
                let at = *acc;
                *acc += p.ll.len();
                Some(at)
            })
            .collect();
        let total: usize = paths.iter().map(|p| p.ll.len()).sum();
        let first_of = first_occurrences(
            paths
                .iter()
                .flat_map(|p| p.ll.iter().map(|ll| (ll.0.to_bits(), ll.1.to_bits())))
                .collect(),
        );
        debug_assert_eq!(first_of.len(), total);
        let mut node_of = vec![0u32; total];
        let mut nodes: Vec<Node> = Vec::new();
        for (pi, path) in paths.iter().enumerate() {
            for (k, (&ll, &xy)) in path.ll.iter().zip(path.xy).enumerate() {
                let g = offsets[pi] + k;
                let first = first_of[g] as usize;
                node_of[g] = if first == g {
                    nodes.push(Node {
                        xy,
                        ll,
                        crossing: false,
                    });
                    (nodes.len() - 1) as u32
                } else {
                    node_of[first]
                };
            }
        }
        drop(first_of);
        let mut segs: Vec<Seg> = Vec::new();
        for (pi, path) in paths.iter().enumerate() {
            let mut prev: Option<u32> = None;
            for k in 0..path.ll.len() {
                let id = node_of[offsets[pi] + k];
                if let Some(p) = prev {
                    if p != id {
                        segs.push(Seg {
                            a: p,
                            b: id,
                            role: path.role,
                            term: if k >= 1 && k <= path.terms.len() {
                                Some((pi as u32, (k - 1) as u32))
                            } else {
                                None
                            },
                        });
                    }
                }
                prev = Some(id);
            }
        }
        drop(node_of);
        if segs.is_empty() {
            return Err(CompareError::Empty("no segments to compare"));
        }

        let mut clock = std::time::Instant::now();
        crate::discrepancy::phase("    nodes", &mut clock);
        // 2. Candidate pairs from a packed R-tree, intersections with exact predicates.
        // The tree holds the first line and the closures; the second line
        // and the closures ask it. So every pair that must be noded — first
        // line with second (asked by the second), second with a closure
        // (asked by the second), first with a closure (asked by the
        // closure), closure with closure (asked by the lower) — is met
        // exactly once, and the tree holds about half the segments.
        // A packed R-tree in segment order (line order: see `packed`).
        let ends_of = |s: &Seg| [nodes[s.a as usize].xy, nodes[s.b as usize].xy];
        let is_line = |s: &Seg, k: u8| matches!(s.role, Role::Line { line, .. } if line == k);
        let held: Vec<u32> = (0..segs.len() as u32)
            .filter(|&i| !is_line(&segs[i as usize], 1))
            .collect();
        let tree = PackedSegments::new(held.iter().map(|&i| ends_of(&segs[i as usize])).collect());
        let askers: Vec<usize> = (0..segs.len()).filter(|&i| !is_line(&segs[i], 0)).collect();
        // Askers in runs of consecutive segments: one descent of the tree
        // per run (its box), then each asker's own box filters.
        let hits: Vec<Hit> = askers
            .par_chunks(crate::packed::NODE)
            .flat_map_iter(|run| {
                let boxes: Vec<[f64; 4]> = run
                    .iter()
                    .map(|&i| crate::packed::seg_box(&ends_of(&segs[i])))
                    .collect();
                let env = boxes.iter().copied().reduce(crate::packed::union);
                let near: Vec<usize> = env
                    .map(|e| tree.intersecting(e).collect())
                    .unwrap_or_default();
                let mut out = Vec::new();
                for (&i, env) in run.iter().zip(&boxes) {
                    let s = &segs[i];
                    let asks_closure = !is_line(s, 1);
                    for &k in &near {
                        let j = held[k] as usize;
                        // Closure with closure: once, from the lower index.
                        let j_closure = !is_line(&segs[j], 0);
                        if j == i
                            || (asks_closure && j_closure && j < i)
                            || !must_node(s.role, segs[j].role)
                            || !crate::packed::meets(
                                &crate::packed::seg_box(&tree.segments()[k]),
                                env,
                            )
                        {
                            continue;
                        }
                        intersect(&nodes, &segs, i, j, &mut out);
                    }
                }
                out.into_iter()
            })
            .collect();

        crate::discrepancy::phase("    pairs", &mut clock);
        drop(tree);
        // 3. Split every segment at its hits, creating crossing nodes.
        // (segment, parameter, node), gathered then sorted: most segments
        // are never split, so no per-segment list is kept.
        let mut cuts: Vec<(u32, f64, u32)> = Vec::new();
        for hit in hits {
            let id = match hit.at {
                At::Node(n) => {
                    nodes[n as usize].crossing = true;
                    n
                }
                At::Cross(xy) => {
                    let (si, sj) = (&segs[hit.seg_i as usize], &segs[hit.seg_j as usize]);
                    let ll = geodesic_crossing(frame, &nodes, si, sj, xy)
                        .unwrap_or_else(|| frame.latlon(xy));
                    nodes.push(Node {
                        xy,
                        ll,
                        crossing: true,
                    });
                    let id = (nodes.len() - 1) as u32;
                    // The crossing splits both segments.
                    let tj = param(&nodes, sj, xy);
                    cuts.push((hit.seg_j, tj, id));
                    id
                }
            };
            let si = &segs[hit.seg_i as usize];
            let t = param(&nodes, si, nodes[id as usize].xy);
            if let At::Node(_) = hit.at {
                // A vertex of one segment on the other: split whichever
                // segment it lies inside (param strictly between 0 and 1).
                let sj = &segs[hit.seg_j as usize];
                let tj = param(&nodes, sj, nodes[id as usize].xy);
                if id != sj.a && id != sj.b {
                    cuts.push((hit.seg_j, tj, id));
                }
                if id != si.a && id != si.b {
                    cuts.push((hit.seg_i, t, id));
                }
            } else {
                cuts.push((hit.seg_i, t, id));
            }
        }

        crate::discrepancy::phase("    splits", &mut clock);
        // 4. Sub-edges, merged where both lines share them: listed in
        // order, grouped by their ends with a parallel sort, numbered by
        // first appearance.
        cuts.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
        // (from, to, segment, whole)
        let mut subs: Vec<(u32, u32, u32, bool)> = Vec::with_capacity(segs.len());
        let mut next_cut = 0;
        let mut chain: Vec<u32> = Vec::new();
        for (si, s) in segs.iter().enumerate() {
            chain.clear();
            chain.push(s.a);
            while next_cut < cuts.len() && cuts[next_cut].0 as usize == si {
                chain.push(cuts[next_cut].2);
                next_cut += 1;
            }
            chain.push(s.b);
            chain.dedup();
            let whole = chain.len() == 2;
            for w in chain.windows(2) {
                subs.push((w[0], w[1], si as u32, whole));
            }
        }
        let first_of = first_occurrences(
            subs.iter()
                .map(|&(from, to, _, _)| (from.min(to), from.max(to)))
                .collect(),
        );
        let mut edges: Vec<Edge> = Vec::new();
        let mut edge_of = vec![0u32; subs.len()];
        for (i, &(from, to, si, whole)) in subs.iter().enumerate() {
            let key = (from.min(to), from.max(to));
            let first = first_of[i] as usize;
            let e = if first == i {
                edges.push(Edge {
                    u: key.0,
                    v: key.1,
                    roles: Roles::default(),
                    term: None,
                });
                (edges.len() - 1) as u32
            } else {
                edge_of[first]
            };
            edge_of[i] = e;
            let s = &segs[si as usize];
            let role = match s.role {
                Role::Line { line, piece, .. } => Role::Line {
                    line,
                    piece,
                    forward: from == key.0,
                },
                r => r,
            };
            let edge = &mut edges[e as usize];
            edge.roles.push(role);
            if let (true, None, Some((pi, k))) = (whole, edge.term, s.term) {
                let t = paths[pi as usize].terms[k as usize];
                edge.term = Some(if from == key.0 { t } else { t.reversed() });
            }
        }
        drop(subs);
        drop(first_of);
        drop(edge_of);
        drop(segs);
        drop(cuts);
        crate::discrepancy::phase("    edges", &mut clock);
        // 5. Prune dangles: edges that enclose nothing.
        let edges = prune_dangles(nodes.len(), edges);
        crate::discrepancy::phase("    prune", &mut clock);

        // 6. Faces, and the edges' geodesic terms.
        let faces = trace_faces(&nodes, &edges);
        crate::discrepancy::phase("    faces", &mut clock);
        let g = frame.gnomonic().geodesic();
        // Whole input segments bring their terms; pieces of split ones
        // (and closures) are solved here.
        let terms = edges
            .par_iter()
            .map(|e| {
                e.term.unwrap_or_else(|| {
                    EdgeTerm::new(g, nodes[e.u as usize].ll, nodes[e.v as usize].ll)
                })
            })
            .collect();
        Ok(Arrangement {
            nodes,
            edges,
            faces,
            terms,
        })
    }
}

#[derive(Debug, Clone, Copy)]
struct Seg {
    a: u32,
    b: u32,
    role: Role,
    /// Where its known geodesic term is: (path, segment).
    term: Option<(u32, u32)>,
}

/// Stretches of the same line never cross each other by construction (the
/// input is validated for self-crossings), so only pairs from different
/// lines, or involving a bridge or join, need noding.
fn must_node(r: Role, s: Role) -> bool {
    match (r, s) {
        (Role::Line { line: a, .. }, Role::Line { line: b, .. }) => a != b,
        _ => true,
    }
}

#[derive(Debug, Clone, Copy)]
enum At {
    Node(u32),
    Cross(Xy),
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    seg_i: u32,
    seg_j: u32,
    at: At,
}

fn c(p: Xy) -> Coord<f64> {
    Coord { x: p[0], y: p[1] }
}

fn param(nodes: &[Node], s: &Seg, p: Xy) -> f64 {
    let (a, b) = (nodes[s.a as usize].xy, nodes[s.b as usize].xy);
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)
}

/// Whether `p` lies strictly between a and b on their (collinear) line.
fn strictly_between(a: Xy, b: Xy, p: Xy) -> bool {
    if a[0] != b[0] {
        (a[0] < p[0] && p[0] < b[0]) || (b[0] < p[0] && p[0] < a[0])
    } else {
        (a[1] < p[1] && p[1] < b[1]) || (b[1] < p[1] && p[1] < a[1])
    }
}

fn intersect(nodes: &[Node], segs: &[Seg], i: usize, j: usize, out: &mut Vec<Hit>) {
    let (s, t) = (&segs[i], &segs[j]);
    let (p1, p2) = (nodes[s.a as usize].xy, nodes[s.b as usize].xy);
    let (q1, q2) = (nodes[t.a as usize].xy, nodes[t.b as usize].xy);
    let o1 = orient2d(c(p1), c(p2), c(q1));
    let o2 = orient2d(c(p1), c(p2), c(q2));
    let o3 = orient2d(c(q1), c(q2), c(p1));
    let o4 = orient2d(c(q1), c(q2), c(p2));
    let hit = |at| Hit {
        seg_i: i as u32,
        seg_j: j as u32,
        at,
    };
    if (o1 > 0.0 && o2 > 0.0)
        || (o1 < 0.0 && o2 < 0.0)
        || (o3 > 0.0 && o4 > 0.0)
        || (o3 < 0.0 && o4 < 0.0)
    {
        return;
    }
    if o1 == 0.0 && o2 == 0.0 {
        // Collinear: each end strictly inside the other segment splits it.
        for (n, a, b) in [(t.a, p1, p2), (t.b, p1, p2), (s.a, q1, q2), (s.b, q1, q2)] {
            if strictly_between(a, b, nodes[n as usize].xy) {
                out.push(hit(At::Node(n)));
            }
        }
        return;
    }
    // An end of one on the other (a touching), or a proper crossing.
    // (Shared endpoints are already one node: they split nothing, but mark
    // the node as a place where the lines meet.)
    let mut touched = false;
    for (o, n) in [(o1, t.a), (o2, t.b), (o3, s.a), (o4, s.b)] {
        if o == 0.0 {
            touched = true;
            out.push(hit(At::Node(n)));
        }
    }
    if touched {
        return;
    }
    let d = (p2[0] - p1[0]) * (q2[1] - q1[1]) - (p2[1] - p1[1]) * (q2[0] - q1[0]);
    let u = ((q1[0] - p1[0]) * (q2[1] - q1[1]) - (q1[1] - p1[1]) * (q2[0] - q1[0])) / d;
    let u = u.clamp(0.0, 1.0);
    out.push(hit(At::Cross([
        p1[0] + u * (p2[0] - p1[0]),
        p1[1] + u * (p2[1] - p1[1]),
    ])));
}

/// The crossing of two segments on the ellipsoid (Karney 2023). The plane
/// found it; the ellipsoid places it. (Should the two disagree by more than
/// a metre — a near-collinear pair — the plane's point is kept.)
fn geodesic_crossing(
    frame: &Frame,
    nodes: &[Node],
    s: &Seg,
    t: &Seg,
    xy: Xy,
) -> Option<(f64, f64)> {
    let g = frame.gnomonic().geodesic();
    let ll = |n: u32| nodes[n as usize].ll;
    let x = intersect_segments(g, ll(s.a), ll(s.b), ll(t.a), ll(t.b)).ok()??;
    let p = frame.xy((x.lat, x.lon)).ok()?;
    ((p[0] - xy[0]).hypot(p[1] - xy[1]) <= 1.0).then_some((x.lat, x.lon))
}

/// Outgoing half-edges of every node, in one array (compressed rows).
fn outgoing(n_nodes: usize, edges: &[Edge]) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n_nodes + 1];
    for e in edges {
        start[e.u as usize + 1] += 1;
        start[e.v as usize + 1] += 1;
    }
    for i in 0..n_nodes {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut list = vec![0u32; 2 * edges.len()];
    for (i, e) in edges.iter().enumerate() {
        list[fill[e.u as usize] as usize] = 2 * i as u32;
        fill[e.u as usize] += 1;
        list[fill[e.v as usize] as usize] = 2 * i as u32 + 1;
        fill[e.v as usize] += 1;
    }
    (start, list)
}

fn prune_dangles(n_nodes: usize, edges: Vec<Edge>) -> Vec<Edge> {
    let (start, list) = outgoing(n_nodes, &edges);
    let mut degree: Vec<u32> = (0..n_nodes).map(|n| start[n + 1] - start[n]).collect();
    let mut alive = vec![true; edges.len()];
    let mut stack: Vec<u32> = (0..n_nodes as u32)
        .filter(|&n| degree[n as usize] == 1)
        .collect();
    while let Some(n) = stack.pop() {
        if degree[n as usize] != 1 {
            continue;
        }
        for &h in &list[start[n as usize] as usize..start[n as usize + 1] as usize] {
            let e = (h / 2) as usize;
            if alive[e] {
                alive[e] = false;
                let ed = &edges[e];
                let other = if ed.u == n { ed.v } else { ed.u };
                degree[n as usize] -= 1;
                degree[other as usize] -= 1;
                if degree[other as usize] == 1 {
                    stack.push(other);
                }
                break;
            }
        }
    }
    edges
        .into_iter()
        .zip(alive)
        .filter_map(|(e, a)| a.then_some(e))
        .collect()
}

/// For each key, in order, the position where that key first appears:
/// equal keys found by a parallel sort (for millions of keys several
/// times faster than a hash map, and the same answer).
fn first_occurrences<K: Ord + Copy + Send>(keys: Vec<K>) -> Vec<u32> {
    let mut keyed: Vec<(K, u32)> = keys.into_iter().zip(0u32..).collect();
    keyed.par_sort_unstable();
    let mut first_of = vec![0u32; keyed.len()];
    let mut g = 0;
    while g < keyed.len() {
        let (key, head) = keyed[g];
        while g < keyed.len() && keyed[g].0 == key {
            first_of[keyed[g].1 as usize] = head;
            g += 1;
        }
    }
    first_of
}

/// An angle ordered by `total_cmp`.
#[derive(PartialEq)]
struct OrderedAngle(f64);
impl Eq for OrderedAngle {}
impl PartialOrd for OrderedAngle {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for OrderedAngle {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}

fn trace_faces(nodes: &[Node], edges: &[Edge]) -> Vec<Face> {
    let origin = |h: u32| {
        let e = &edges[(h / 2) as usize];
        if h.is_multiple_of(2) {
            e.u
        } else {
            e.v
        }
    };
    // Outgoing half-edges at each node, counter-clockwise by angle. A
    // node with one or two edges (nearly every vertex of a line) has only
    // one cyclic order: no angle is needed there.
    let angle = |h: u32| {
        let (a, b) = (
            nodes[origin(h) as usize].xy,
            nodes[origin(h ^ 1) as usize].xy,
        );
        (b[1] - a[1]).atan2(b[0] - a[0])
    };
    let (start, mut list) = outgoing(nodes.len(), edges);
    let mut pos = vec![0u32; 2 * edges.len()];
    for n in 0..nodes.len() {
        let slice = &mut list[start[n] as usize..start[n + 1] as usize];
        if slice.len() > 2 {
            slice.sort_by_cached_key(|&h| OrderedAngle(angle(h)));
        }
        for (i, &h) in slice.iter().enumerate() {
            pos[h as usize] = i as u32;
        }
    }
    // next(h): at h's destination, the edge clockwise from h's twin.
    let next = |h: u32| {
        let t = h ^ 1;
        let n = origin(t) as usize;
        let (s0, deg) = (start[n] as usize, (start[n + 1] - start[n]) as usize);
        let i = pos[t as usize] as usize;
        list[s0 + (i + deg - 1) % deg]
    };
    let mut seen = vec![false; 2 * edges.len()];
    let mut cycles: Vec<(Vec<u32>, f64)> = Vec::new();
    for start in 0..(2 * edges.len()) as u32 {
        if seen[start as usize] {
            continue;
        }
        let mut cycle = Vec::new();
        let mut h = start;
        let mut area2 = 0.0;
        loop {
            seen[h as usize] = true;
            cycle.push(h);
            let (a, b) = (
                nodes[origin(h) as usize].xy,
                nodes[origin(h ^ 1) as usize].xy,
            );
            area2 += a[0] * b[1] - b[0] * a[1];
            h = next(h);
            if h == start {
                break;
            }
        }
        cycles.push((cycle, area2 / 2.0));
    }
    // Components, to give each outer boundary (a clockwise cycle) to the
    // face of another component that contains it, as a hole.
    let mut uf = UnionFind::new(nodes.len());
    for e in edges {
        uf.union(e.u as usize, e.v as usize);
    }
    let mut faces: Vec<Face> = Vec::new();
    let mut outers: Vec<(Vec<u32>, usize)> = Vec::new();
    for (cycle, area) in cycles {
        let comp = uf.find(origin(cycle[0]) as usize);
        if area > 0.0 {
            faces.push(Face {
                outer: cycle,
                holes: Vec::new(),
                plane_area: area,
            });
        } else {
            outers.push((cycle, comp));
        }
    }
    let face_comp: Vec<usize> = faces
        .iter()
        .map(|f| uf.find(origin(f.outer[0]) as usize))
        .collect();
    let rings: Vec<Vec<Xy>> = faces
        .iter()
        .map(|f| {
            f.outer
                .iter()
                .map(|&h| nodes[origin(h) as usize].xy)
                .collect()
        })
        .collect();
    let boxes: Vec<[f64; 4]> = rings.iter().map(|r| bbox(r)).collect();
    for (cycle, comp) in outers {
        let p = nodes[origin(cycle[0]) as usize].xy;
        let mut best: Option<usize> = None;
        for (i, r) in rings.iter().enumerate() {
            let b = boxes[i];
            if face_comp[i] == comp || p[0] < b[0] || p[0] > b[2] || p[1] < b[1] || p[1] > b[3] {
                continue;
            }
            if point_in_ring(p, r) && best.is_none_or(|k| faces[i].plane_area < faces[k].plane_area)
            {
                best = Some(i);
            }
        }
        if let Some(k) = best {
            faces[k].holes.push(cycle);
        }
    }
    faces
}

fn bbox(r: &[Xy]) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in r {
        b[0] = b[0].min(p[0]);
        b[1] = b[1].min(p[1]);
        b[2] = b[2].max(p[0]);
        b[3] = b[3].max(p[1]);
    }
    b
}

/// Crossing-number point-in-ring (ring open or closed).
pub fn point_in_ring(p: Xy, ring: &[Xy]) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (ring[i], ring[j]);
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x = a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
            if p[0] < x {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind((0..n).collect())
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra] = rb;
        }
    }
}
