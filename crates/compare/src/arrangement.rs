//! The planar arrangement of two claim lines: both lines (and the bridges
//! and end joins that close them) noded at every crossing and touching,
//! duplicates merged, dangles pruned, and the faces traced — the polygons
//! "enclosed between the lines".
//!
//! Method: segment pairs from a packed R-tree of their boxes; crossing,
//! touching and collinear overlap decided by Shewchuk's exact orientation
//! predicates (`robust`) in the gnomonic [`Frame`](crate::frame::Frame);
//! faces by the half-edge walk (at each node, turn to the next edge
//! clockwise), so each bounded face comes out counter-clockwise. Crossing
//! positions reported on the ellipsoid are solved by Karney's 2023 geodesic
//! intersection from the original vertices, not taken from the plane.
//!
//! An edge is a whole stretch of one path between two nodes, not a single
//! segment: two lines of a million vertices that cross a few hundred times
//! make a graph of a few hundred edges, whose stretches' vertices stay in
//! the input and whose geodesic terms (length, S12) are summed once per
//! stretch from the lines' own segment terms. Only the vertices something
//! meets become nodes: the paths' ends, the vertices where a line touches
//! itself, and the vertices another path meets.

use crate::frame::{Frame, Xy};
use crate::packed::PackedSegments;
use crate::{CompareError, LatLon};
use rayon::prelude::*;
use robust::{orient2d, Coord};
use terminus_geodesy::geodesic::intersect_segments;
use terminus_geodesy::measure::{EdgeTerm, PathTerm};
use terminus_geodesy::LatLon as GeoLatLon;

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
    pub ll: &'a [LatLon],
    /// Their images in the frame.
    pub xy: &'a [Xy],
    /// Each segment's geodesic term when already known (else empty).
    pub terms: &'a [EdgeTerm],
    /// The role of every segment (`forward` = along the path).
    pub role: Role,
    /// Vertices (indices into `ll`) where the path touches itself or
    /// another piece of its line: nodes whatever else meets them.
    pub touches: &'a [u32],
}

/// A node: a vertex something meets, or a crossing.
#[derive(Debug, Clone, Copy)]
pub struct Node {
    /// Position in the frame.
    pub xy: Xy,
    /// Position on the ellipsoid (for crossings, solved geodesically).
    pub ll: LatLon,
}

/// An undirected edge between two nodes: a stretch of one path (its
/// vertices between the nodes stay in the path), with every role it plays
/// (a straight piece both lines share has two).
#[derive(Debug, Clone)]
pub struct Edge {
    /// First node.
    pub u: u32,
    /// Second node.
    pub v: u32,
    /// What it is part of; `forward` is relative to u → v.
    pub roles: Roles,
    /// Its geodesic length and area term, u → v.
    pub term: PathTerm,
    /// Its planar length in the frame, m.
    pub plane_length: f64,
    /// The path holding its inner vertices, and their range there, in
    /// order u → v.
    path: u32,
    from: u32,
    to: u32,
    /// Twice the planar area it sweeps u → v about the frame's origin.
    shoelace: f64,
    /// Planar bounding box.
    bbox: [f64; 4],
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
pub struct Arrangement<'a> {
    paths: &'a [Path<'a>],
    /// All nodes.
    pub nodes: Vec<Node>,
    /// Edges that enclose something (dangles removed).
    pub edges: Vec<Edge>,
    /// Bounded faces.
    pub faces: Vec<Face>,
}

/// The points of a half-edge, origin to destination, both included.
pub struct Walk<'r, 'a> {
    arr: &'r Arrangement<'a>,
    h: u32,
    i: usize,
    inner: usize,
}

impl Iterator for Walk<'_, '_> {
    type Item = (LatLon, Xy);

    fn next(&mut self) -> Option<(LatLon, Xy)> {
        let i = self.i;
        if i > self.inner + 1 {
            return None;
        }
        self.i += 1;
        let arr = self.arr;
        if i == 0 {
            let n = arr.nodes[arr.origin(self.h) as usize];
            return Some((n.ll, n.xy));
        }
        if i == self.inner + 1 {
            let n = arr.nodes[arr.dest(self.h) as usize];
            return Some((n.ll, n.xy));
        }
        let (ll, xy) = arr.inner(self.h / 2);
        let k = if self.h.is_multiple_of(2) {
            i - 1
        } else {
            self.inner - i
        };
        Some((ll[k], xy[k]))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.inner + 2).saturating_sub(self.i);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Walk<'_, '_> {}

impl<'a> Arrangement<'a> {
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
    pub fn term(&self, h: u32) -> PathTerm {
        let t = self.edges[(h / 2) as usize].term;
        if h.is_multiple_of(2) {
            t
        } else {
            t.reversed()
        }
    }

    /// The vertices of edge `e` strictly between its nodes, u → v.
    fn inner(&self, e: u32) -> (&'a [LatLon], &'a [Xy]) {
        let ed = &self.edges[e as usize];
        let p = &self.paths[ed.path as usize];
        let r = ed.from as usize..ed.to as usize;
        (&p.ll[r.clone()], &p.xy[r])
    }

    /// The points of half-edge `h`, (lat, lon) and image, from its origin
    /// to its destination.
    pub fn walk(&self, h: u32) -> Walk<'_, 'a> {
        let e = &self.edges[(h / 2) as usize];
        Walk {
            arr: self,
            h,
            i: 0,
            inner: (e.to - e.from) as usize,
        }
    }

    /// The (lat, lon) ring of half-edges, closed.
    pub fn ring_ll(&self, ring: &[u32]) -> Vec<LatLon> {
        self.ring(ring, |p| p.0)
    }

    /// The planar ring of half-edges, closed.
    pub fn ring_xy(&self, ring: &[u32]) -> Vec<Xy> {
        self.ring(ring, |p| p.1)
    }

    fn ring<T: Copy>(&self, ring: &[u32], pick: impl Fn((LatLon, Xy)) -> T) -> Vec<T> {
        let mut out = Vec::new();
        for &h in ring {
            // Each half-edge's points but its last: the next one's first.
            let w = self.walk(h);
            let n = w.len() - 1;
            out.extend(w.take(n).map(&pick));
        }
        if let Some(&f) = out.first() {
            out.push(f);
        }
        out
    }

    /// The direction in which half-edge `h` leaves its origin: the image
    /// of its first point more than a micrometre from the origin (or its
    /// end). A crossing node lies within rounding (~1e-10 m) of a vertex
    /// near it, and the direction to that vertex would be noise, which
    /// once ordered the edges round such a node wrongly and lost a face
    /// (a claim whose vertex lies on the other's meridian segment).
    fn leaving(&self, h: u32) -> Xy {
        let o = self.nodes[self.origin(h) as usize].xy;
        let mut last = o;
        for (_, xy) in self.walk(h).skip(1) {
            last = xy;
            if (xy[0] - o[0]).hypot(xy[1] - o[1]) > 1e-6 {
                break;
            }
        }
        last
    }

    /// Node the paths, merge, prune, and trace faces.
    pub fn build(frame: &Frame, paths: &'a [Path<'a>]) -> Result<Arrangement<'a>, CompareError> {
        let mut clock = std::time::Instant::now();
        // Vertices numbered across the paths: path p's vertex k is
        // offsets[p] + k.
        let mut offsets = Vec::with_capacity(paths.len() + 1);
        let mut total = 0usize;
        for p in paths {
            offsets.push(total);
            total += p.ll.len();
        }
        offsets.push(total);
        if total >= u32::MAX as usize {
            return Err(CompareError::BadParameter(format!(
                "{total} vertices is more than one comparison can hold (4,294,967,294)"
            )));
        }
        let path_of = |g: u32| offsets.partition_point(|&o| o <= g as usize) - 1;
        let xy_all: Vec<Xy> = paths.iter().flat_map(|p| p.xy.iter().copied()).collect();
        let ll_all: Vec<LatLon> = paths.iter().flat_map(|p| p.ll.iter().copied()).collect();
        // Segments (g, g + 1) of every path; a repeated vertex makes none.
        let mut segs: Vec<Seg> = Vec::with_capacity(total);
        for (pi, p) in paths.iter().enumerate() {
            for k in 1..p.ll.len() {
                if p.ll[k - 1] != p.ll[k] {
                    segs.push(Seg {
                        a: (offsets[pi] + k - 1) as u32,
                        path: pi as u32,
                    });
                }
            }
        }
        if segs.is_empty() {
            return Err(CompareError::Empty("no segments to compare"));
        }
        let role = |s: &Seg| paths[s.path as usize].role;
        let ends_of = |s: &Seg| [xy_all[s.a as usize], xy_all[s.a as usize + 1]];
        crate::profile::phase("    segments", &mut clock);

        // 1. Candidate pairs from a packed R-tree, intersections with exact
        // predicates. The tree holds the first line and the closures; the
        // second line and the closures ask it. So every pair that must be
        // noded — first line with second (asked by the second), second
        // with a closure (asked by the second), first with a closure
        // (asked by the closure), closure with closure (asked by the
        // lower) — is met exactly once, and the tree holds about half the
        // segments. A packed R-tree in segment order (line order: see
        // `packed`).
        let is_line = |s: &Seg, k: u8| matches!(role(s), Role::Line { line, .. } if line == k);
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
                            || !must_node(role(s), role(&segs[j]))
                            || !crate::packed::meets(
                                &crate::packed::seg_box(&tree.segments()[k]),
                                env,
                            )
                        {
                            continue;
                        }
                        intersect(&xy_all, &segs, i, j, &mut out);
                    }
                }
                out.into_iter()
            })
            .collect();
        drop(tree);
        drop(held);
        drop(askers);
        crate::profile::phase("    pairs", &mut clock);

        // 2. The vertices that are nodes: every path's ends, where a line
        // touches itself, and every vertex another path meets; one node per
        // distinct (lat, lon) among them (shared vertices of the two lines
        // are one node), numbered in order of first appearance.
        let mut special: Vec<u32> = Vec::new();
        for (pi, p) in paths.iter().enumerate() {
            if let Some(last) = p.ll.len().checked_sub(1) {
                let o = offsets[pi] as u32;
                special.push(o);
                special.push(o + last as u32);
                special.extend(p.touches.iter().map(|&k| o + k));
            }
        }
        special.extend(hits.iter().filter_map(|h| match h.at {
            At::Vertex(g) => Some(g),
            At::Cross(_) => None,
        }));
        special.sort_unstable();
        special.dedup();
        let first_of = first_occurrences(
            special
                .iter()
                .map(|&g| {
                    let ll = ll_all[g as usize];
                    (ll.0.to_bits(), ll.1.to_bits())
                })
                .collect(),
        );
        let mut nodes: Vec<Node> = Vec::new();
        let mut node_at = vec![0u32; special.len()];
        for (i, &g) in special.iter().enumerate() {
            let first = first_of[i] as usize;
            node_at[i] = if first == i {
                nodes.push(Node {
                    xy: xy_all[g as usize],
                    ll: ll_all[g as usize],
                });
                (nodes.len() - 1) as u32
            } else {
                node_at[first]
            };
        }
        drop(first_of);
        // (Every vertex asked about was put in `special` above.)
        let node_of = |g: u32| special.binary_search(&g).map(|i| node_at[i]);

        // 3. Where each path is cut: (segment's first vertex, parameter
        // along it, node), and its vertices that are nodes (parameter −∞,
        // before any cut of the segment they begin).
        let mut marks: Vec<(u32, f64, u32)> = special
            .iter()
            .zip(&node_at)
            .map(|(&g, &n)| (g, f64::NEG_INFINITY, n))
            .collect();
        for hit in hits {
            let (si, sj) = (segs[hit.seg_i as usize], segs[hit.seg_j as usize]);
            match hit.at {
                At::Vertex(g) => {
                    let Ok(id) = node_of(g) else { continue };
                    // A vertex of one segment on the other: it splits
                    // whichever segment it lies inside.
                    let (p, ll) = (xy_all[g as usize], ll_all[g as usize]);
                    for s in [si, sj] {
                        let a = s.a as usize;
                        if ll_all[a] != ll && ll_all[a + 1] != ll {
                            marks.push((s.a, param(&xy_all, &s, p), id));
                        }
                    }
                }
                At::Cross(xy) => {
                    let ll = geodesic_crossing(frame, &ll_all, &si, &sj, xy)
                        .unwrap_or_else(|| frame.latlon(xy));
                    nodes.push(Node { xy, ll });
                    let id = (nodes.len() - 1) as u32;
                    marks.push((si.a, param(&xy_all, &si, xy), id));
                    marks.push((sj.a, param(&xy_all, &sj, xy), id));
                }
            }
        }
        marks.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
        drop(special);
        drop(node_at);
        crate::profile::phase("    nodes", &mut clock);

        // 4. Stretches between consecutive marks of a path.
        let mut stretches: Vec<Stretch> = Vec::new();
        for w in marks.windows(2) {
            let ((g0, t0, u), (g1, t1, v)) = (w[0], w[1]);
            let pi = path_of(g0);
            if path_of(g1) != pi {
                continue;
            }
            let o = offsets[pi] as u32;
            let (from, to) = (
                g0 + 1 - o,
                if t1 == f64::NEG_INFINITY { g1 } else { g1 + 1 } - o,
            );
            if u == v && from == to {
                continue; // two marks at one node
            }
            stretches.push(Stretch {
                u,
                v,
                path: pi as u32,
                from,
                to,
                u_vertex: (t0 == f64::NEG_INFINITY).then_some(g0 - o),
                v_vertex: (t1 == f64::NEG_INFINITY).then_some(g1 - o),
            });
        }
        drop(marks);
        drop(segs);
        // Their geodesic terms (the paths' own segment terms where a whole
        // segment lies in the stretch; the cut end pieces solved here),
        // planar lengths, sweeps and boxes, the stretches in parallel.
        let g = frame.gnomonic().geodesic();
        let measured: Vec<(PathTerm, f64, f64, [f64; 4])> = stretches
            .par_iter()
            .map(|s| {
                let p = &paths[s.path as usize];
                let (nu, nv) = (nodes[s.u as usize], nodes[s.v as usize]);
                let points = std::iter::once((s.u_vertex, nu.ll, nu.xy))
                    .chain((s.from..s.to).map(|k| (Some(k), p.ll[k as usize], p.xy[k as usize])))
                    .chain(std::iter::once((s.v_vertex, nv.ll, nv.xy)));
                let mut term = PathTerm::default();
                let (mut len, mut sweep) = (0.0, 0.0);
                let mut bbox = [
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                ];
                let mut prev: Option<(Option<u32>, LatLon, Xy)> = None;
                for (k, ll, xy) in points {
                    bbox = [
                        bbox[0].min(xy[0]),
                        bbox[1].min(xy[1]),
                        bbox[2].max(xy[0]),
                        bbox[3].max(xy[1]),
                    ];
                    if let Some((k0, ll0, xy0)) = prev {
                        let (dx, dy) = (xy[0] - xy0[0], xy[1] - xy0[1]);
                        len += (dx * dx + dy * dy).sqrt();
                        sweep += xy0[0] * xy[1] - xy[0] * xy0[1];
                        term.push(match (k0, k) {
                            (Some(a), Some(b)) if b == a + 1 && (a as usize) < p.terms.len() => {
                                p.terms[a as usize]
                            }
                            _ => EdgeTerm::new(
                                g,
                                GeoLatLon::from_pair(ll0),
                                GeoLatLon::from_pair(ll),
                            ),
                        });
                    }
                    prev = Some((k, ll, xy));
                }
                (term, len, sweep, bbox)
            })
            .collect();

        // 5. Edges: a straight stretch (no inner vertex) that another path
        // also runs along is one edge with both roles; a stretch with inner
        // vertices has no twin (another path along it would meet those
        // vertices, making them nodes).
        let mut edges: Vec<Edge> = Vec::with_capacity(stretches.len());
        let mut straight: std::collections::HashMap<(u32, u32), u32> =
            std::collections::HashMap::new();
        for (s, (term, plane_length, shoelace, bbox)) in stretches.iter().zip(measured) {
            let role = match paths[s.path as usize].role {
                Role::Line { line, piece, .. } => Role::Line {
                    line,
                    piece,
                    forward: true,
                },
                r => r,
            };
            if s.from == s.to {
                let key = (s.u.min(s.v), s.u.max(s.v));
                if let Some(&e) = straight.get(&key) {
                    let edge = &mut edges[e as usize];
                    edge.roles.push(match role {
                        Role::Line { line, piece, .. } => Role::Line {
                            line,
                            piece,
                            forward: s.u == edge.u,
                        },
                        r => r,
                    });
                    continue;
                }
                straight.insert(key, edges.len() as u32);
            }
            let mut roles = Roles::default();
            roles.push(role);
            edges.push(Edge {
                u: s.u,
                v: s.v,
                roles,
                term,
                plane_length,
                path: s.path,
                from: s.from,
                to: s.to,
                shoelace,
                bbox,
            });
        }
        crate::profile::phase("    edges", &mut clock);

        // 6. Prune dangles: edges that enclose nothing.
        let edges = prune_dangles(nodes.len(), edges);
        let mut arr = Arrangement {
            paths,
            nodes,
            edges,
            faces: Vec::new(),
        };
        // 7. Faces.
        arr.faces = arr.trace_faces();
        crate::profile::phase("    faces", &mut clock);
        Ok(arr)
    }

    /// The bounded faces, by the half-edge walk.
    fn trace_faces(&self) -> Vec<Face> {
        let edges = &self.edges;
        // Outgoing half-edges at each node, counter-clockwise by the angle
        // at which they leave it. A node with one or two edges has only one
        // cyclic order: no angle is needed there.
        let angle = |h: u32| {
            let (a, b) = (self.nodes[self.origin(h) as usize].xy, self.leaving(h));
            (b[1] - a[1]).atan2(b[0] - a[0])
        };
        let (start, mut list) = outgoing(self.nodes.len(), edges);
        let mut pos = vec![0u32; 2 * edges.len()];
        for n in 0..self.nodes.len() {
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
            let n = self.origin(t) as usize;
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
                let sweep = edges[(h / 2) as usize].shoelace;
                area2 += if h.is_multiple_of(2) { sweep } else { -sweep };
                h = next(h);
                if h == start {
                    break;
                }
            }
            cycles.push((cycle, area2 / 2.0));
        }
        // Components, to give each outer boundary (a clockwise cycle) to the
        // face of another component that contains it, as a hole.
        let mut uf = UnionFind::new(self.nodes.len());
        for e in edges {
            uf.union(e.u as usize, e.v as usize);
        }
        let mut faces: Vec<Face> = Vec::new();
        let mut outers: Vec<(Vec<u32>, usize)> = Vec::new();
        for (cycle, area) in cycles {
            let comp = uf.find(self.origin(cycle[0]) as usize);
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
        if outers.is_empty() {
            return faces;
        }
        let face_comp: Vec<usize> = faces
            .iter()
            .map(|f| uf.find(self.origin(f.outer[0]) as usize))
            .collect();
        let boxes: Vec<[f64; 4]> = faces
            .iter()
            .map(|f| {
                f.outer.iter().map(|&h| edges[(h / 2) as usize].bbox).fold(
                    [
                        f64::INFINITY,
                        f64::INFINITY,
                        f64::NEG_INFINITY,
                        f64::NEG_INFINITY,
                    ],
                    |a, b| {
                        [
                            a[0].min(b[0]),
                            a[1].min(b[1]),
                            a[2].max(b[2]),
                            a[3].max(b[3]),
                        ]
                    },
                )
            })
            .collect();
        // Rings drawn only for the faces a point is tested against.
        let mut rings: Vec<Option<Vec<Xy>>> = vec![None; faces.len()];
        let mut holes: Vec<(usize, Vec<u32>)> = Vec::new();
        for (cycle, comp) in outers {
            let p = self.nodes[self.origin(cycle[0]) as usize].xy;
            let mut best: Option<usize> = None;
            for (i, b) in boxes.iter().enumerate() {
                if face_comp[i] == comp || p[0] < b[0] || p[0] > b[2] || p[1] < b[1] || p[1] > b[3]
                {
                    continue;
                }
                let ring = rings[i].get_or_insert_with(|| self.ring_xy(&faces[i].outer));
                if point_in_ring(p, ring)
                    && best.is_none_or(|k| faces[i].plane_area < faces[k].plane_area)
                {
                    best = Some(i);
                }
            }
            if let Some(k) = best {
                holes.push((k, cycle));
            }
        }
        for (k, cycle) in holes {
            faces[k].holes.push(cycle);
        }
        faces
    }
}

/// A stretch of one path between two consecutive nodes on it.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    u: u32,
    v: u32,
    path: u32,
    /// Its inner vertices, `from..to` of the path.
    from: u32,
    to: u32,
    /// The path's vertex at u (or v), when the node is one.
    u_vertex: Option<u32>,
    v_vertex: Option<u32>,
}

/// A segment: vertices `a` and `a + 1` (numbered across the paths).
#[derive(Debug, Clone, Copy)]
struct Seg {
    a: u32,
    path: u32,
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
    /// A vertex (numbered across the paths) on the other segment.
    Vertex(u32),
    /// A proper crossing, at this image.
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

fn param(xy: &[Xy], s: &Seg, p: Xy) -> f64 {
    let (a, b) = (xy[s.a as usize], xy[s.a as usize + 1]);
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

fn intersect(xy: &[Xy], segs: &[Seg], i: usize, j: usize, out: &mut Vec<Hit>) {
    let (s, t) = (&segs[i], &segs[j]);
    let (sa, sb, ta, tb) = (s.a, s.a + 1, t.a, t.a + 1);
    let (p1, p2) = (xy[sa as usize], xy[sb as usize]);
    let (q1, q2) = (xy[ta as usize], xy[tb as usize]);
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
        for (n, a, b) in [(ta, p1, p2), (tb, p1, p2), (sa, q1, q2), (sb, q1, q2)] {
            if strictly_between(a, b, xy[n as usize]) {
                out.push(hit(At::Vertex(n)));
            }
        }
        return;
    }
    // An end of one on the other (a touching), or a proper crossing.
    // (Ends the two share split nothing, but become nodes: the lines meet
    // there, and their stretches must end there.)
    let mut touched = false;
    for (o, n) in [(o1, ta), (o2, tb), (o3, sa), (o4, sb)] {
        if o == 0.0 {
            touched = true;
            out.push(hit(At::Vertex(n)));
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
fn geodesic_crossing(frame: &Frame, ll: &[LatLon], s: &Seg, t: &Seg, xy: Xy) -> Option<LatLon> {
    let g = frame.gnomonic().geodesic();
    let at = |k: u32| terminus_geodesy::LatLon::new(ll[k as usize].0, ll[k as usize].1);
    let x = intersect_segments(g, at(s.a), at(s.a + 1), at(t.a), at(t.a + 1)).ok()??;
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

pub use terminus_plane::ring::point_in_ring;

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
