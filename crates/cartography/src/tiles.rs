//! Vector tiles of lines for a web map: Mapbox Vector Tile 2.1 (the
//! protobuf MapLibre draws) on the web-Mercator XYZ grid, cut from lines
//! of any size without reading all of them for every tile.
//!
//! A line is projected once ([`TileLine::new`]) into web-Mercator unit
//! coordinates (x east, y south, 0 to 1 over the world) and cut into
//! chunks of [`CHUNK`] vertices, each with its bounding box. A tile reads
//! only the chunks whose boxes meet it (with a buffer of [`BUFFER`] tile
//! units, so strokes join across tile edges), clips each segment to the
//! buffered tile (Liang & Barsky 1984), and writes the vertices on the
//! tile's 4096-unit grid, dropping those within [`SIMPLIFY`] units (half
//! a pixel of a tile drawn 512 pixels wide) of the vertex before them —
//! the simplification per zoom. A picture for the eye: nothing is
//! measured on these coordinates.

/// Units across a tile (the MVT default).
pub const EXTENT: u32 = 4096;
/// Units beyond each edge a tile's lines run on, so strokes join.
pub const BUFFER: u32 = 64;
/// Vertices per chunk of a line's index.
pub const CHUNK: usize = 256;
/// A vertex within this many units (in x and in y) of the last one
/// written is left out: a tile is drawn 512 pixels wide at most, 8 units a
/// pixel, so this is half a pixel.
pub const SIMPLIFY: i32 = 4;

/// The deepest zoom drawn from a line's coarse copy.
pub const COARSE_ZOOM: u32 = 10;

/// A line projected for tiling, with its chunk index, and for tiles at
/// zoom [`COARSE_ZOOM`] and above it (the whole line in a few tiles) a
/// coarse copy: each part's vertices thinned to one per grid unit of zoom
/// [`COARSE_ZOOM`] (a vertex kept when it lies [`SIMPLIFY`] units or more,
/// in x or y, from the last kept; each part's ends always kept), so the
/// line departs from the full one by less than [`SIMPLIFY`] units of any
/// tile it draws.
#[derive(Debug, Clone)]
pub struct TileLine {
    parts: Vec<Vec<[f64; 2]>>,
    chunks: Vec<Chunk>,
    bbox: [f64; 4],
    coarse: Option<Box<TileLine>>,
}

#[derive(Debug, Clone, Copy)]
struct Chunk {
    part: u32,
    /// First and last vertex (the last is the next chunk's first).
    first: u32,
    last: u32,
    bbox: [f64; 4],
}

/// (lon, lat) degrees to web-Mercator unit coordinates (x east from the
/// antimeridian, y south from 85.0511°N; latitudes beyond ±85.0511° are
/// held at it, as web maps hold them).
pub fn mercator(lon: f64, lat: f64) -> [f64; 2] {
    let lat = lat.clamp(-85.051_128_779_806_59, 85.051_128_779_806_59);
    let s = lat.to_radians().sin();
    [
        (lon + 180.0) / 360.0,
        0.5 - ((1.0 + s) / (1.0 - s)).ln() / (4.0 * std::f64::consts::PI),
    ]
}

fn grow(b: &mut [f64; 4], p: [f64; 2]) {
    b[0] = b[0].min(p[0]);
    b[1] = b[1].min(p[1]);
    b[2] = b[2].max(p[0]);
    b[3] = b[3].max(p[1]);
}

const EMPTY: [f64; 4] = [
    f64::INFINITY,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NEG_INFINITY,
];

impl TileLine {
    /// The parts of a line (or one point per part for points), each a list
    /// of (lon, lat) degrees; non-finite positions are left out.
    pub fn new(parts: &[Vec<(f64, f64)>]) -> TileLine {
        let projected: Vec<Vec<[f64; 2]>> = parts
            .iter()
            .map(|part| {
                part.iter()
                    .filter(|(x, y)| x.is_finite() && y.is_finite())
                    .map(|&(lon, lat)| mercator(lon, lat))
                    .collect()
            })
            .collect();
        let mut line = TileLine::indexed(projected);
        let unit = f64::from(SIMPLIFY) / (f64::from(1u32 << COARSE_ZOOM) * f64::from(EXTENT));
        let thin: Vec<Vec<[f64; 2]>> = line
            .parts
            .iter()
            .map(|p| {
                let mut out: Vec<[f64; 2]> = Vec::new();
                for (i, &q) in p.iter().enumerate() {
                    let far = out.last().is_none_or(|l: &[f64; 2]| {
                        (q[0] - l[0]).abs() >= unit || (q[1] - l[1]).abs() >= unit
                    });
                    if far || i + 1 == p.len() {
                        out.push(q);
                    }
                }
                out
            })
            .collect();
        // (Only worth keeping when it halves the line.)
        if 2 * thin.iter().map(Vec::len).sum::<usize>() <= line.vertices() {
            line.coarse = Some(Box::new(TileLine::indexed(thin)));
        }
        line
    }

    fn indexed(parts: Vec<Vec<[f64; 2]>>) -> TileLine {
        let mut out = TileLine {
            parts: Vec::with_capacity(parts.len()),
            chunks: Vec::new(),
            bbox: EMPTY,
            coarse: None,
        };
        for p in parts {
            if p.is_empty() {
                continue;
            }
            let k = out.parts.len() as u32;
            let mut first = 0;
            while first < p.len() {
                let last = (first + CHUNK).min(p.len() - 1);
                let mut b = EMPTY;
                for &q in &p[first..=last] {
                    grow(&mut b, q);
                }
                grow(&mut out.bbox, [b[0], b[1]]);
                grow(&mut out.bbox, [b[2], b[3]]);
                out.chunks.push(Chunk {
                    part: k,
                    first: first as u32,
                    last: last as u32,
                    bbox: b,
                });
                if last + 1 >= p.len() {
                    break;
                }
                first = last;
            }
            out.parts.push(p);
        }
        out
    }

    /// Vertices in all.
    pub fn vertices(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    /// The runs of this line inside tile `z/x/y` (with its buffer), in
    /// tile units, each at least one vertex, consecutive duplicates gone.
    pub fn runs(&self, z: u32, x: u32, y: u32) -> Vec<Vec<[i32; 2]>> {
        if let (Some(c), true) = (&self.coarse, z <= COARSE_ZOOM) {
            return c.runs(z, x, y);
        }
        let n = f64::from(1u32 << z.min(30));
        let size = 1.0 / n;
        let pad = size * f64::from(BUFFER) / f64::from(EXTENT);
        let (x0, y0) = (f64::from(x) * size, f64::from(y) * size);
        let r = [x0 - pad, y0 - pad, x0 + size + pad, y0 + size + pad];
        let meets = |b: &[f64; 4]| b[0] <= r[2] && r[0] <= b[2] && b[1] <= r[3] && r[1] <= b[3];
        let mut runs: Vec<Vec<[i32; 2]>> = Vec::new();
        if !meets(&self.bbox) {
            return runs;
        }
        let scale = f64::from(EXTENT) / size;
        let grid = |p: [f64; 2]| -> [i32; 2] {
            [
                ((p[0] - x0) * scale).round() as i32,
                ((p[1] - y0) * scale).round() as i32,
            ]
        };
        // The run being written and the last point written (in unit
        // coordinates, to tell a continuation from a fresh entry).
        let mut run: Vec<[i32; 2]> = Vec::new();
        let mut at: Option<[f64; 2]> = None;
        let flush = |run: &mut Vec<[i32; 2]>, runs: &mut Vec<Vec<[i32; 2]>>| {
            if !run.is_empty() {
                runs.push(std::mem::take(run));
            }
        };
        let mut last_chunk: Option<(u32, u32)> = None;
        for c in &self.chunks {
            if !meets(&c.bbox) {
                continue;
            }
            // A chunk that does not follow the last one read starts afresh.
            if last_chunk != Some((c.part, c.first)) {
                flush(&mut run, &mut runs);
                at = None;
            }
            last_chunk = Some((c.part, c.last));
            let p = &self.parts[c.part as usize];
            if c.first == c.last {
                // A single point.
                let q = p[c.first as usize];
                if q[0] >= r[0] && q[0] <= r[2] && q[1] >= r[1] && q[1] <= r[3] {
                    flush(&mut run, &mut runs);
                    runs.push(vec![grid(q)]);
                }
                continue;
            }
            let inside =
                c.bbox[0] >= r[0] && c.bbox[2] <= r[2] && c.bbox[1] >= r[1] && c.bbox[3] <= r[3];
            for i in c.first as usize..c.last as usize {
                let (a, b) = (p[i], p[i + 1]);
                let seg = if inside { Some((a, b)) } else { clip(a, b, &r) };
                match seg {
                    None => {
                        flush(&mut run, &mut runs);
                        at = None;
                    }
                    Some((s, e)) => {
                        if at != Some(s) {
                            flush(&mut run, &mut runs);
                            run.push(grid(s));
                        }
                        let g = grid(e);
                        // (The point where the line leaves the tile is
                        // always written: the next tile starts there.)
                        let near = run.last().is_some_and(|l: &[i32; 2]| {
                            (l[0] - g[0]).abs() < SIMPLIFY && (l[1] - g[1]).abs() < SIMPLIFY
                        });
                        if !near || (e != b && run.last() != Some(&g)) {
                            run.push(g);
                        }
                        // Left the tile: the next segment starts a new run.
                        at = if e == b { Some(e) } else { None };
                    }
                }
            }
        }
        flush(&mut run, &mut runs);
        runs
    }
}

/// Liang–Barsky: segment a→b clipped to rectangle r (west, north, east,
/// south in unit coordinates), or None.
fn clip(a: [f64; 2], b: [f64; 2], r: &[f64; 4]) -> Option<([f64; 2], [f64; 2])> {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a[0] - r[0]),
        (dx, r[2] - a[0]),
        (-dy, a[1] - r[1]),
        (dy, r[3] - a[1]),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let s = if t0 == 0.0 {
        a
    } else {
        [a[0] + t0 * dx, a[1] + t0 * dy]
    };
    let e = if t1 == 1.0 {
        b
    } else {
        [a[0] + t1 * dx, a[1] + t1 * dy]
    };
    Some((s, e))
}

/// A property value in a tile.
#[derive(Debug, Clone, PartialEq)]
pub enum TileValue {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// A whole number.
    Int(i64),
    /// True or false.
    Bool(bool),
}

/// A feature for a tile: its id, properties and line (or points).
#[derive(Debug, Clone)]
pub struct TileFeature<'a> {
    /// Its id.
    pub id: u64,
    /// Its properties.
    pub properties: Vec<(String, TileValue)>,
    /// Its geometry, projected.
    pub line: &'a TileLine,
    /// Points (drawn as MVT points) rather than a line.
    pub points: bool,
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn key(out: &mut Vec<u8>, field: u32, wire: u8) {
    varint(out, (u64::from(field) << 3) | u64::from(wire));
}

fn bytes(out: &mut Vec<u8>, field: u32, b: &[u8]) {
    key(out, field, 2);
    varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn zigzag(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

/// The MVT geometry commands of runs (MoveTo, LineTo; for points one
/// MoveTo with every point).
fn geometry(runs: &[Vec<[i32; 2]>], points: bool) -> Vec<u32> {
    let mut g = Vec::new();
    let mut cur = [0i32, 0i32];
    let mut step = |g: &mut Vec<u32>, p: [i32; 2]| {
        g.push(zigzag(p[0] - cur[0]));
        g.push(zigzag(p[1] - cur[1]));
        cur = p;
    };
    if points {
        let all: Vec<[i32; 2]> = runs.iter().flatten().copied().collect();
        if !all.is_empty() {
            g.push(1 | ((all.len() as u32) << 3));
            for p in all {
                step(&mut g, p);
            }
        }
        return g;
    }
    for run in runs.iter().filter(|r| r.len() >= 2) {
        g.push(1 | (1 << 3));
        step(&mut g, run[0]);
        g.push(2 | (((run.len() - 1) as u32) << 3));
        for &p in &run[1..] {
            step(&mut g, p);
        }
    }
    g
}

/// Tile `z/x/y` of `layers` (name, features) as MVT 2.1 bytes; a layer
/// with no feature in the tile is left out.
pub fn encode_tile(layers: &[(&str, Vec<TileFeature<'_>>)], z: u32, x: u32, y: u32) -> Vec<u8> {
    let mut tile = Vec::new();
    for (name, features) in layers {
        let mut keys: Vec<String> = Vec::new();
        let mut values: Vec<TileValue> = Vec::new();
        let mut body = Vec::new();
        let mut any = false;
        for f in features {
            let g = geometry(&f.line.runs(z, x, y), f.points);
            if g.is_empty() {
                continue;
            }
            any = true;
            let mut tags = Vec::new();
            for (k, v) in &f.properties {
                let ki = keys.iter().position(|x| x == k).unwrap_or_else(|| {
                    keys.push(k.clone());
                    keys.len() - 1
                });
                let vi = values.iter().position(|x| x == v).unwrap_or_else(|| {
                    values.push(v.clone());
                    values.len() - 1
                });
                tags.push(ki as u32);
                tags.push(vi as u32);
            }
            let mut feat = Vec::new();
            key(&mut feat, 1, 0);
            varint(&mut feat, f.id);
            let mut packed = Vec::new();
            for t in tags {
                varint(&mut packed, u64::from(t));
            }
            bytes(&mut feat, 2, &packed);
            key(&mut feat, 3, 0);
            varint(&mut feat, if f.points { 1 } else { 2 });
            let mut packed = Vec::new();
            for c in g {
                varint(&mut packed, u64::from(c));
            }
            bytes(&mut feat, 4, &packed);
            bytes(&mut body, 2, &feat);
        }
        if !any {
            continue;
        }
        let mut layer = Vec::new();
        key(&mut layer, 15, 0);
        varint(&mut layer, 2);
        bytes(&mut layer, 1, name.as_bytes());
        layer.extend_from_slice(&body);
        for k in &keys {
            bytes(&mut layer, 3, k.as_bytes());
        }
        for v in &values {
            let mut val = Vec::new();
            match v {
                TileValue::Text(s) => bytes(&mut val, 1, s.as_bytes()),
                TileValue::Number(d) => {
                    key(&mut val, 3, 1);
                    val.extend_from_slice(&d.to_le_bytes());
                }
                TileValue::Int(i) => {
                    key(&mut val, 6, 0);
                    varint(&mut val, ((i << 1) ^ (i >> 63)) as u64);
                }
                TileValue::Bool(b) => {
                    key(&mut val, 7, 0);
                    varint(&mut val, u64::from(*b));
                }
            }
            bytes(&mut layer, 4, &val);
        }
        key(&mut layer, 5, 0);
        varint(&mut layer, u64::from(EXTENT));
        bytes(&mut tile, 3, &layer);
    }
    tile
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The equator from 90°W to 90°E at zoom 0: web-Mercator x 0.25 to
    /// 0.75 at y 0.5, grid (1024, 2048) to (3072, 2048): MoveTo(1) then
    /// LineTo(1), zig-zag deltas, as the MVT 2.1 specification's
    /// example encodes them.
    #[test]
    fn the_equator_at_zoom_0_encodes_as_the_specification_says() {
        let l = TileLine::new(&[vec![(-90.0, 0.0), (90.0, 0.0)]]);
        assert_eq!(l.runs(0, 0, 0), vec![vec![[1024, 2048], [3072, 2048]]]);
        let g = geometry(&l.runs(0, 0, 0), false);
        assert_eq!(g, vec![9, 2048, 4096, 10, 4096, 0]);
        let f = TileFeature {
            id: 7,
            properties: vec![("party".into(), TileValue::Text("ARM".into()))],
            line: &l,
            points: false,
        };
        let t = encode_tile(&[("proposals", vec![f])], 0, 0, 0);
        // Tile.layers (field 3, length-delimited), Layer.version = 2,
        // name "proposals", the packed geometry, the key and value, extent.
        assert_eq!(t[0], 0x1a);
        let hay = |needle: &[u8]| t.windows(needle.len()).any(|w| w == needle);
        assert!(hay(&[0x78, 0x02]));
        assert!(hay(b"\x0a\x09proposals"));
        assert!(hay(&[
            0x22, 0x09, 0x09, 0x80, 0x10, 0x80, 0x20, 0x0a, 0x80, 0x20, 0x00
        ]));
        assert!(hay(b"\x1a\x05party"));
        assert!(hay(b"\x22\x05\x0a\x03ARM"));
        assert!(hay(&[0x28, 0x80, 0x20]));
    }

    /// Mercator: the equator and Greenwich at the centre, 85.0511° at the
    /// top edge; a tile's corners are its neighbours'.
    #[test]
    fn mercator_puts_the_world_on_the_unit_square() {
        assert_eq!(mercator(0.0, 0.0), [0.5, 0.5]);
        let top = mercator(180.0, 85.051_128_779_806_59);
        assert!(
            (top[0] - 1.0).abs() < 1e-15 && top[1].abs() < 1e-12,
            "{top:?}"
        );
        let south = mercator(-180.0, -89.0);
        assert!((south[1] - 1.0).abs() < 1e-12);
    }

    /// A line crossing a tile is clipped at the buffered edges; a line
    /// leaving and coming back makes two runs; a line elsewhere none; a
    /// million vertices in one grid unit write one point per unit.
    #[test]
    fn lines_are_clipped_split_and_thinned_per_tile() {
        // Across tile 1/0/0 (the north-west quarter) along y = 0.25.
        let lat = |y: f64| {
            (std::f64::consts::PI * (1.0 - 2.0 * y))
                .sinh()
                .atan()
                .to_degrees()
        };
        let l = TileLine::new(&[vec![(-180.0, lat(0.25)), (180.0, lat(0.25))]]);
        let runs = l.runs(1, 0, 0);
        assert_eq!(runs.len(), 1);
        let r = &runs[0];
        assert_eq!(r[0], [0, 2048]);
        assert_eq!(*r.last().unwrap(), [4096 + 64, 2048]);
        // Out of the tile and back: two runs.
        let l = TileLine::new(&[vec![
            (-170.0, lat(0.25)),
            (10.0, lat(0.25)),
            (10.0, lat(0.3)),
            (-170.0, lat(0.3)),
        ]]);
        assert_eq!(l.runs(1, 0, 0).len(), 2);
        assert!(l.runs(1, 1, 1).is_empty());
        // A million vertices 1 mm apart along one grid unit at zoom 2.
        let pts: Vec<(f64, f64)> = (0..1_000_000)
            .map(|i| (1.0 + i as f64 * 1e-8, 1.0))
            .collect();
        let l = TileLine::new(&[pts]);
        assert_eq!(l.vertices(), 1_000_000);
        let runs = l.runs(2, 2, 1);
        assert_eq!(runs.len(), 1);
        assert!(runs[0].len() <= 4, "{:?}", runs[0]);
    }

    /// Below the coarse zoom a dense line is drawn from its thinned copy:
    /// every point of a run lies within SIMPLIFY units of the run drawn
    /// from the full line, unsimplified (checked against its own runs).
    #[test]
    fn the_coarse_copy_draws_within_a_unit_of_the_full_line() {
        // A wiggly line of 200,000 vertices over 100 km east.
        let pts: Vec<(f64, f64)> = (0..200_000)
            .map(|i| {
                let t = i as f64 / 200_000.0;
                (45.0 + t * 1.2, 40.0 + 0.05 * (t * 60.0).sin())
            })
            .collect();
        let l = TileLine::new(&[pts]);
        let c = l.coarse.as_ref().expect("a coarse copy");
        // (About 1.4 m apart on the ground against a unit of about 7 m.)
        assert!(
            c.vertices() * 5 < l.vertices(),
            "{} of {}",
            c.vertices(),
            l.vertices()
        );
        let full = TileLine::indexed(l.parts.clone());
        for z in [6u32, 8, 10] {
            let k = f64::from(1u32 << z);
            let p = mercator(45.6, 40.0);
            let (x, y) = ((p[0] * k) as u32, (p[1] * k) as u32);
            let a: Vec<[i32; 2]> = l.runs(z, x, y).concat();
            let b: Vec<[i32; 2]> = full.runs(z, x, y).concat();
            assert!(!a.is_empty() && a.len() <= b.len());
            // Each coarse point within one unit (plus rounding) of some
            // point of the full run, and the ends the same.
            // (Every 7th point: the check is quadratic.)
            for q in a.iter().step_by(7).chain(a.last()) {
                let d = b
                    .iter()
                    .map(|r| (r[0] - q[0]).abs().max((r[1] - q[1]).abs()))
                    .min()
                    .unwrap();
                assert!(d <= SIMPLIFY, "zoom {z}: {q:?} is {d} units off");
            }
        }
        // Above the coarse zoom the full line is drawn.
        let p = mercator(45.6, 40.0);
        let (x, y) = ((p[0] * 4096.0) as u32, (p[1] * 4096.0) as u32);
        assert_eq!(l.runs(12, x, y), full.runs(12, x, y));
    }
}
