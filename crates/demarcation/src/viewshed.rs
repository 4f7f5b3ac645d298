//! Viewsheds: every cell of a DEM that a point sees.
//!
//! [`ViewshedMethod::ReferencePlanes`] is the single-sweep approximation of
//! Wang, Robinson and White (2000), "Generating viewsheds without using
//! sightlines" (PE&RS 66(1)), in the variant GDAL's `gdal_viewshed` uses by
//! default (its "edge" mode): rows are swept outwards from the observer's
//! row, and each cell's horizon height is extrapolated from the two cells
//! next to it on the observer's side — on the line through the observer
//! and the cell, between the edge neighbour and the diagonal one. A cell is
//! visible when its height plus the target height reaches that horizon;
//! it then passes on the higher of the two. One pass, O(n), but the
//! interpolation works in cell indices (square cells assumed) and a ridge
//! far away can be smeared over the cells behind it.
//!
//! [`ViewshedMethod::Exact`] decides every cell by a line of sight over the
//! cell-centre heights it crosses, in a radial sweep (van Kreveld 1996,
//! "Variations on sweep algorithms: efficient computation of extended
//! viewsheds and class intervals"): cells enter and leave a balanced
//! structure ordered by distance as the sweep ray turns, and each cell is
//! visible when no cell nearer on its ray rises above its sight line —
//! O(n log n), ground distances in metres, no square-cell assumption.
//!
//! Both lower the terrain by the earth's curvature and refraction as
//! `(1 − k) d² / (2R)`, R the radius of the normal section in the cell's
//! direction (Euler's formula on the ellipsoid at the observer), d the
//! ground distance; `gdal_viewshed -cc C` is the same with C = 1 − k and
//! R the semi-major axis, which differs from ours by under 0.7 %.

use crate::sampler::{radii, DemSampler};
use crate::DemarcationError;
use terminus_terrain::{Dem, Georef};

/// How to compute the viewshed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewshedMethod {
    /// Wang et al. (2000) reference planes, as `gdal_viewshed` (GDAL ≥ 3.9
    /// treats the cells next to the observer: always visible).
    ReferencePlanes,
    /// The same as GDAL 3.1–3.8 computes it, cell for cell on projected
    /// DEMs (Debian 12 ships 3.6): the curvature radius is the semi-major
    /// axis, and the cells next to the observer take the observer's
    /// *ground* (not eye) as their horizon, so a summit observer's own cell
    /// hides the slopes below it.
    Gdal36,
    /// Exact line of sight to every cell centre (van Kreveld's sweep).
    Exact,
}

/// Parameters of a viewshed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewshedSettings {
    /// Observer's eye above ground, metres.
    pub observer_height: f64,
    /// Target above ground, metres.
    pub target_height: f64,
    /// Refraction coefficient k (0.13 standard; 1/7 is GDAL's −cc 0.85714).
    pub refraction: f64,
    /// Whether to lower the terrain by the earth's curvature.
    pub curvature: bool,
    /// Largest distance, metres; `None` for the whole DEM.
    pub radius_m: Option<f64>,
    /// Method.
    pub method: ViewshedMethod,
}

impl Default for ViewshedSettings {
    fn default() -> Self {
        ViewshedSettings {
            observer_height: 2.0,
            target_height: 0.0,
            refraction: 0.13,
            curvature: true,
            radius_m: None,
            method: ViewshedMethod::ReferencePlanes,
        }
    }
}

/// What a cell of the result holds.
pub const VISIBLE: u8 = 255;
/// Not visible.
pub const INVISIBLE: u8 = 0;
/// Beyond the radius, or on a void of the DEM.
pub const OUT_OF_RANGE: u8 = 0;

/// A computed viewshed: a window of the DEM around the observer.
#[derive(Debug, Clone)]
pub struct Viewshed {
    /// Columns of the window.
    pub width: usize,
    /// Rows of the window.
    pub height: usize,
    /// Georeferencing of the window.
    pub georef: Georef,
    /// 255 visible, 0 not (or out of range), row-major.
    pub cells: Vec<u8>,
    /// Observer's cell in the window (col, row).
    pub observer_cell: (usize, usize),
    /// Observer's eye height, metres.
    pub eye_m: f64,
    /// Cells in range, visible.
    pub visible_cells: usize,
    /// Cells in range (voids excluded).
    pub in_range_cells: usize,
    /// Void cells in range (never visible, never blocking).
    pub void_cells: usize,
}

impl ViewshedSettings {
    fn check(&self) -> Result<(), DemarcationError> {
        let bad = |m: String| Err(DemarcationError::BadParameter(m));
        if !(0.0..=10_000.0).contains(&self.observer_height) {
            return bad(format!(
                "observer height {} m: expected 0 to 10,000 m",
                self.observer_height
            ));
        }
        if !(0.0..=10_000.0).contains(&self.target_height) {
            return bad(format!(
                "target height {} m: expected 0 to 10,000 m",
                self.target_height
            ));
        }
        if !(-1.0..=1.0).contains(&self.refraction) {
            return bad(format!(
                "refraction coefficient {}: expected −1 to 1",
                self.refraction
            ));
        }
        if let Some(r) = self.radius_m {
            if !(r.is_finite() && r > 0.0) {
                return bad(format!("radius {r} m: must be positive"));
            }
        }
        Ok(())
    }
}

/// Ground offsets of cells from the observer, metres, and the curvature drop.
struct Metric {
    /// East–west metres per column, per row of the window (geographic DEMs
    /// shrink with latitude).
    ew: Vec<f64>,
    /// North–south metres per row offset, per row (from the observer).
    ns: Vec<f64>,
    /// (1 − k) / 2 / M and / N.
    cm: f64,
    cn: f64,
}

impl Metric {
    /// (east, north) offset in metres of (dc, row) from the observer.
    #[inline]
    fn offset(&self, dc: f64, row: usize) -> (f64, f64) {
        (dc * self.ew[row], self.ns[row])
    }
    #[inline]
    fn drop(&self, e: f64, n: f64) -> f64 {
        n * n * self.cm + e * e * self.cn
    }
}

/// The viewshed from `observer` ((lat, lon), WGS 84) over `dem`.
pub fn viewshed(
    dem: &Dem,
    observer: (f64, f64),
    settings: &ViewshedSettings,
) -> Result<Viewshed, DemarcationError> {
    settings.check()?;
    let sampler = DemSampler::new(dem)?;
    let (x, y) =
        sampler
            .grid_xy(observer.0, observer.1)
            .ok_or_else(|| DemarcationError::OutsideDem {
                what: "the observer".into(),
                lat: observer.0,
                lon: observer.1,
            })?;
    let g = &dem.georef;
    let (oc, or) =
        g.cell_at(x, y, dem.width, dem.height)
            .ok_or_else(|| DemarcationError::OutsideDem {
                what: "the observer".into(),
                lat: observer.0,
                lon: observer.1,
            })?;
    let z0 = dem.get(oc, or);
    if z0.is_nan() {
        return Err(DemarcationError::Void {
            what: "the observer".into(),
            lat: observer.0,
            lon: observer.1,
        });
    }
    let eye = z0 as f64 + settings.observer_height;
    // Ground metres per cell, at the observer's latitude for the window.
    let (ew0, ns0) = sampler.cell_metres(observer.0);
    let (c0, r0, c1, r1) = match settings.radius_m {
        Some(rad) => {
            // Columns shrink poleward: size the window at the wider edge.
            let lat_far = observer.0.abs() + rad / 111_000.0;
            let ew_min = if g.crs.is_geographic() {
                sampler.cell_metres(lat_far.min(89.0)).0.min(ew0)
            } else {
                ew0
            };
            let dc = (rad / ew_min).ceil() as usize + 1;
            let dr = (rad / ns0).ceil() as usize + 1;
            (
                oc.saturating_sub(dc),
                or.saturating_sub(dr),
                (oc + dc).min(dem.width - 1),
                (or + dr).min(dem.height - 1),
            )
        }
        None => (0, 0, dem.width - 1, dem.height - 1),
    };
    let (w, h) = (c1 - c0 + 1, r1 - r0 + 1);
    let cells_total = w
        .checked_mul(h)
        .filter(|&n| n <= 4_000_000_000)
        .ok_or_else(|| {
            DemarcationError::BadParameter(format!("a {w} × {h} viewshed window is too large"))
        })?;
    // Per-row metric.
    let e = sampler.ellipsoid();
    let (n_obs, m_obs) = radii(&e, observer.0);
    let k = if settings.curvature {
        1.0 - settings.refraction
    } else {
        0.0
    };
    let mut ew = Vec::with_capacity(h);
    let mut ns = Vec::with_capacity(h);
    let (_, oy) = g.center(oc, or);
    for row in r0..=r1 {
        let (_, yr) = g.center(oc, row);
        if g.crs.is_geographic() {
            let lat = yr;
            let (n, _) = radii(&e, lat);
            let (_, m_mid) = radii(&e, (lat + oy) / 2.0);
            ew.push(n * lat.to_radians().cos() * g.dx.to_radians());
            ns.push(m_mid * (yr - oy).to_radians());
        } else {
            ew.push(g.dx);
            ns.push(yr - oy);
        }
    }
    let metric = Metric {
        ew,
        ns,
        cm: k / (2.0 * m_obs),
        cn: k / (2.0 * n_obs),
    };
    let radius2 = settings.radius_m.map(|r| r * r).unwrap_or(f64::INFINITY);
    let win = Window {
        dem,
        c0,
        r0,
        w,
        h,
        oc: oc - c0,
        or: or - r0,
    };
    let mut cells = vec![OUT_OF_RANGE; cells_total];
    let stats = match settings.method {
        ViewshedMethod::ReferencePlanes => reference_planes(
            &win,
            &metric,
            eye,
            settings.target_height,
            radius2,
            false,
            &mut cells,
        ),
        ViewshedMethod::Gdal36 => {
            // GDAL's curvature: C·d²/(2a), C = 1 − k.
            let legacy = Metric {
                cm: k / (2.0 * e.a),
                cn: k / (2.0 * e.a),
                ..metric
            };
            reference_planes(
                &win,
                &legacy,
                eye,
                settings.target_height,
                radius2,
                true,
                &mut cells,
            )
        }
        ViewshedMethod::Exact => exact_sweep(
            &win,
            &metric,
            eye,
            settings.target_height,
            radius2,
            &mut cells,
        )?,
    };
    let georef = Georef {
        x0: g.x0 + c0 as f64 * g.dx,
        y0: g.y0 - r0 as f64 * g.dy,
        ..g.clone()
    };
    Ok(Viewshed {
        width: w,
        height: h,
        georef,
        cells,
        observer_cell: (oc - c0, or - r0),
        eye_m: eye,
        visible_cells: stats.0,
        in_range_cells: stats.1,
        void_cells: stats.2,
    })
}

struct Window<'a> {
    dem: &'a Dem,
    c0: usize,
    r0: usize,
    w: usize,
    h: usize,
    /// Observer in window coordinates.
    oc: usize,
    or: usize,
}

impl Window<'_> {
    #[inline]
    fn z(&self, c: usize, r: usize) -> f32 {
        self.dem.get(self.c0 + c, self.r0 + r)
    }
}

/// Wang et al. (2000) in GDAL's edge mode. Returns (visible, in range, voids).
fn reference_planes(
    win: &Window,
    m: &Metric,
    eye: f64,
    target: f64,
    radius2: f64,
    legacy: bool,
    out: &mut [u8],
) -> (usize, usize, usize) {
    let (w, oc, or) = (win.w, win.oc, win.or);
    // Horizon heights of the previous row (nearer the observer) and this one.
    type Stats = (usize, usize, usize);
    // Relative height of a cell: terrain lowered by curvature; NaN voids.
    let rel = |c: usize, r: usize| -> Option<f64> {
        let (e, n) = m.offset(c as f64 - oc as f64, r);
        if e * e + n * n > radius2 {
            return None;
        }
        let z = win.z(c, r);
        Some(if z.is_nan() {
            f64::NAN
        } else {
            z as f64 - m.drop(e, n)
        })
    };
    let line = |i: usize, za: f64| za + (za - eye) / (i as f64 - 1.0);
    let process_row = |r: usize,
                       j: usize,
                       last: &[f64],
                       this: &mut [f64],
                       row_out: &mut [u8],
                       stats: &mut Stats| {
        // Centre, then left, then right.
        let order = std::iter::once(oc).chain((0..oc).rev()).chain(oc + 1..w);
        for c in order {
            let i = c.abs_diff(oc);
            let Some(hz) = rel(c, r) else {
                // Out of range: pass the raw height on (never read in range).
                this[c] = win.z(c, r) as f64;
                row_out[c] = OUT_OF_RANGE;
                continue;
            };
            if j == 0 && i == 0 {
                // GDAL ≤ 3.8 keeps the observer's ground here, and the cells
                // next to it extrapolate from that.
                this[c] = if legacy { win.z(c, r) as f64 } else { eye };
                row_out[c] = VISIBLE;
                stats.0 += 1;
                stats.1 += 1;
                continue;
            }
            let toward = if c < oc { c + 1 } else { c.saturating_sub(1) };
            let zc = if i.max(j) == 1 && !(legacy && j == 1) {
                f64::NEG_INFINITY
            } else if legacy && j == 1 && i <= 1 {
                // (0, ±1) sees over the observer's ground; (±1, ±1) over
                // its neighbour in the observer's row.
                if i == 0 {
                    last[c]
                } else {
                    last[toward]
                }
            } else if j == 0 {
                line(i, this[toward])
            } else if i == 0 {
                line(j, last[c])
            } else if i == j {
                line(i, last[toward])
            } else if i > j {
                ((last[toward] - eye) * j as f64 + (this[toward] - eye) * (i - j) as f64)
                    / (i as f64 - 1.0)
                    + eye
            } else {
                ((last[toward] - eye) * i as f64 + (last[c] - eye) * (j - i) as f64)
                    / (j as f64 - 1.0)
                    + eye
            };
            if hz.is_nan() {
                // A void neither sees nor blocks.
                this[c] = zc;
                row_out[c] = OUT_OF_RANGE;
                stats.2 += 1;
                continue;
            }
            stats.1 += 1;
            if hz + target >= zc {
                row_out[c] = VISIBLE;
                stats.0 += 1;
            } else {
                row_out[c] = INVISIBLE;
            }
            this[c] = hz.max(zc);
        }
    };
    // The observer's row, then the rows above and below it — two
    // independent sweeps, run in parallel.
    let mut stats: Stats = (0, 0, 0);
    let (top, rest) = out.split_at_mut(or * w);
    let (mid, bottom) = rest.split_at_mut(w);
    let mut first = vec![0.0f64; w];
    process_row(or, 0, &vec![0.0f64; w], &mut first, mid, &mut stats);
    let sweep = |rows: &mut dyn Iterator<Item = (usize, usize, &mut [u8])>| -> Stats {
        let mut st: Stats = (0, 0, 0);
        let mut last = first.clone();
        let mut this = vec![0.0f64; w];
        for (r, j, row_out) in rows {
            process_row(r, j, &last, &mut this, row_out, &mut st);
            std::mem::swap(&mut last, &mut this);
        }
        st
    };
    let (up, down) = rayon::join(
        || {
            sweep(
                &mut top
                    .chunks_mut(w)
                    .enumerate()
                    .rev()
                    .map(|(r, row)| (r, or - r, row)),
            )
        },
        || {
            sweep(
                &mut bottom
                    .chunks_mut(w)
                    .enumerate()
                    .map(|(k, row)| (or + 1 + k, k + 1, row)),
            )
        },
    );
    for s in [up, down] {
        stats.0 += s.0;
        stats.1 += s.1;
        stats.2 += s.2;
    }
    stats
}

/// A monotone stand-in for the angle of (e, n) from east, counter-clockwise,
/// in [0, 4): the "diamond angle". Same order as atan2, no trigonometry.
#[inline]
fn pseudo_angle(e: f64, n: f64) -> f64 {
    let s = e.abs() + n.abs();
    if s == 0.0 {
        return 0.0;
    }
    let t = n / s; // −1..1
    if e >= 0.0 {
        if n >= 0.0 {
            t
        } else {
            4.0 + t
        }
    } else {
        2.0 - t
    }
}

#[inline]
fn quantize(p: f64) -> u64 {
    // Truncation, not rounding: monotone either way, and no libm call.
    ((p * (4_294_967_295.0 / 4.0)) + 0.5).clamp(0.0, 4_294_967_295.0) as u64
}

/// Sort events by their top 34 bits (angle, kind), LSD radix in passes of
/// 11 bits over the bits that vary within the slice; the cell (low 30
/// bits) is payload. Stable, so equal keys keep their order.
fn radix_sort_events(ev: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    if ev.len() < 256 {
        ev.sort_unstable_by_key(|e| e >> 30);
        return;
    }
    let (lo, hi) = ev.iter().fold((u64::MAX, 0u64), |(a, b), &e| {
        (a.min(e >> 30), b.max(e >> 30))
    });
    let span = hi - lo;
    let bits = 64 - span.leading_zeros();
    scratch.clear();
    scratch.resize(ev.len(), 0);
    let mut shift = 0;
    while shift < bits {
        let mut count = [0usize; 2048];
        for &e in ev.iter() {
            count[(((e >> 30) - lo) >> shift) as usize & 2047] += 1;
        }
        let mut sum = 0;
        for c in count.iter_mut() {
            let t = *c;
            *c = sum;
            sum += t;
        }
        for &e in ev.iter() {
            let k = (((e >> 30) - lo) >> shift) as usize & 2047;
            scratch[count[k]] = e;
            count[k] += 1;
        }
        std::mem::swap(ev, scratch);
        shift += 11;
    }
}

const ENTER: u64 = 0;
const CENTER: u64 = 1;
const EXIT: u64 = 2;

/// Slots per distance bucket held inline; more spill to a side vector.
const SLOTS: usize = 8;

/// A max segment tree over distance buckets, each bucket holding the
/// active cells whose centre distance falls in it (inline slots: the ray
/// crosses about two cells per bucket, the observer's ring a few more).
struct Active {
    size: usize,
    tree: Vec<f64>,
    /// (cell, distance, slope) per slot, `SLOTS` per bucket.
    slots: Vec<(u32, f64, f64)>,
    len: Vec<u8>,
    spill: Vec<Vec<(u32, f64, f64)>>,
    inv_width: f64,
}

impl Active {
    fn new(max_d: f64, width: f64) -> Active {
        let n = (max_d / width).ceil() as usize + 2;
        let size = n.next_power_of_two();
        Active {
            size,
            tree: vec![f64::NEG_INFINITY; 2 * size],
            slots: vec![(0, 0.0, 0.0); size * SLOTS],
            len: vec![0; size],
            spill: vec![Vec::new(); size],
            inv_width: 1.0 / width,
        }
    }
    #[inline]
    fn bucket(&self, d: f64) -> usize {
        ((d * self.inv_width) as usize).min(self.size - 1)
    }
    #[inline]
    fn entries(&self, b: usize) -> impl Iterator<Item = &(u32, f64, f64)> {
        self.slots[b * SLOTS..b * SLOTS + self.len[b] as usize]
            .iter()
            .chain(self.spill[b].iter())
    }
    fn refresh(&mut self, b: usize) {
        let v = self
            .entries(b)
            .map(|x| x.2)
            .fold(f64::NEG_INFINITY, f64::max);
        let mut i = b + self.size;
        self.tree[i] = v;
        while i > 1 {
            i /= 2;
            let m = self.tree[2 * i].max(self.tree[2 * i + 1]);
            if self.tree[i] == m {
                break;
            }
            self.tree[i] = m;
        }
    }
    #[inline]
    fn insert(&mut self, cell: u32, d: f64, slope: f64) {
        let b = self.bucket(d);
        let l = self.len[b] as usize;
        if l < SLOTS {
            self.slots[b * SLOTS + l] = (cell, d, slope);
            self.len[b] += 1;
        } else {
            self.spill[b].push((cell, d, slope));
        }
        let mut i = b + self.size;
        if slope > self.tree[i] {
            self.tree[i] = slope;
            while i > 1 {
                i /= 2;
                if self.tree[i] >= slope {
                    break;
                }
                self.tree[i] = slope;
            }
        }
    }
    #[inline]
    fn remove(&mut self, cell: u32, d: f64) {
        let b = self.bucket(d);
        let base = b * SLOTS;
        let l = self.len[b] as usize;
        let s = if let Some(k) = self.slots[base..base + l].iter().position(|x| x.0 == cell) {
            let s = self.slots[base + k].2;
            // Keep the slots packed: the last slot (or a spilled entry) fills the hole.
            if let Some(x) = self.spill[b].pop() {
                self.slots[base + k] = x;
            } else {
                self.slots[base + k] = self.slots[base + l - 1];
                self.len[b] -= 1;
            }
            s
        } else if let Some(k) = self.spill[b].iter().position(|x| x.0 == cell) {
            self.spill[b].swap_remove(k).2
        } else {
            return;
        };
        if s >= self.tree[b + self.size] {
            self.refresh(b);
        }
    }
    /// Largest slope among active cells nearer than `d`.
    #[inline]
    fn max_below(&self, d: f64) -> f64 {
        let b = self.bucket(d);
        let mut best = self
            .entries(b)
            .filter(|x| x.1 < d)
            .map(|x| x.2)
            .fold(f64::NEG_INFINITY, f64::max);
        // Prefix [0, b) of the tree.
        let (mut lo, mut hi) = (self.size, b + self.size);
        while lo < hi {
            if lo & 1 == 1 {
                best = best.max(self.tree[lo]);
                lo += 1;
            }
            if hi & 1 == 1 {
                hi -= 1;
                best = best.max(self.tree[hi]);
            }
            lo /= 2;
            hi /= 2;
        }
        best
    }
}

/// van Kreveld's radial sweep over the window. Returns (visible, in range, voids).
///
/// The circle is cut into sectors swept independently (in parallel): each
/// starts with the cells its first ray crosses already active, so every
/// sector sees exactly what one full sweep would see there, and its events
/// touch one wedge of the grid (cache-friendly).
fn exact_sweep(
    win: &Window,
    m: &Metric,
    eye: f64,
    target: f64,
    radius2: f64,
    out: &mut [u8],
) -> Result<(usize, usize, usize), DemarcationError> {
    use rayon::prelude::*;
    let (w, h, oc, or) = (win.w, win.h, win.oc, win.or);
    if w.div_ceil(16) * h.div_ceil(16) * 256 >= (1 << 30) {
        return Err(DemarcationError::BadParameter(format!(
            "the exact viewshed handles up to 2³⁰ cells; this window has {}",
            w * h
        )));
    }
    // Half a cell's height in metres (rows are equally spaced in latitude).
    let half_ns = if h > 1 {
        (m.ns[h - 1] - m.ns[0]).abs() / (h - 1) as f64 / 2.0
    } else {
        m.ew[0] / 2.0
    };
    const SECTORS: usize = 256;
    let t0 = std::time::Instant::now();
    let sector_of = |q: u32| ((q as u64 * SECTORS as u64) >> 32) as usize;
    // Pass 1, rows in parallel: each cell's (distance, slope) and its
    // quantized angles (first corner, centre, last corner); NaN distance
    // for cells out of range or void.
    // Cells are stored in 16 × 16 tiles (one 4 KiB page of distances and
    // slopes each): a sector's events then touch a few hundred pages, not
    // one per row — the sweep was bound by TLB misses in raster order.
    let tiles_x = w.div_ceil(16);
    let tiles_y = h.div_ceil(16);
    let n = tiles_x * tiles_y * 256;
    let tiled =
        |c: usize, r: usize| ((r >> 4) * tiles_x + (c >> 4)) * 256 + ((r & 15) << 4) + (c & 15);
    let mut data = vec![(f64::NAN, 0.0f64); n];
    let mut ang = vec![[0u32; 3]; n];
    let counts: Vec<(usize, usize)> = data
        .par_chunks_mut(tiles_x * 256)
        .zip(ang.par_chunks_mut(tiles_x * 256))
        .enumerate()
        .flat_map_iter(|(tr, (dtiles, atiles))| {
            let rows = tr * 16..(tr * 16 + 16).min(h);
            let mut out = Vec::with_capacity(16);
            for r in rows {
                let (mut inr, mut voids) = (0, 0);
                let ew = m.ew[r] / 2.0;
                let local = |c: usize| (c >> 4) * 256 + ((r & 15) << 4) + (c & 15);
                for c in 0..w {
                    if c == oc && r == or {
                        continue;
                    }
                    let (e, nn) = m.offset(c as f64 - oc as f64, r);
                    let d2 = e * e + nn * nn;
                    if d2 > radius2 {
                        continue;
                    }
                    let z = win.z(c, r);
                    if z.is_nan() {
                        voids += 1;
                        continue;
                    }
                    inr += 1;
                    let d = d2.sqrt();
                    dtiles[local(c)] = (d, (z as f64 - m.drop(e, nn) - eye) / d);
                    let wraps = r == or && c > oc;
                    let mut lo = f64::INFINITY;
                    let mut hi = f64::NEG_INFINITY;
                    for (ce, cn) in [
                        (e - ew, nn - half_ns),
                        (e + ew, nn - half_ns),
                        (e - ew, nn + half_ns),
                        (e + ew, nn + half_ns),
                    ] {
                        let mut p = pseudo_angle(ce, cn);
                        // Cells on the east ray span angle 0: [lo, 4) ∪ [0, hi].
                        if wraps && cn < 0.0 {
                            p -= 4.0;
                        }
                        lo = lo.min(p);
                        hi = hi.max(p);
                    }
                    let lo = if lo < 0.0 { lo + 4.0 } else { lo };
                    atiles[local(c)] = [
                        quantize(lo) as u32,
                        quantize(pseudo_angle(e, nn)) as u32,
                        quantize(hi) as u32,
                    ];
                }
                out.push((inr, voids));
            }
            out
        })
        .collect();
    let in_range: usize = counts.iter().map(|r| r.0).sum();
    let voids: usize = counts.iter().map(|r| r.1).sum();
    let max_d = data
        .par_iter()
        .map(|x| x.0)
        .filter(|d| !d.is_nan())
        .reduce(|| 0.0, f64::max);
    let t1 = t0.elapsed();
    // Pass 2, two halves of the rows in parallel: events to the sector of
    // their angle; cells spanning a sector's first ray to its starting set.
    type Split = (Vec<Vec<u64>>, Vec<Vec<u32>>);
    let halves: Vec<Split> = [(0, h / 2), (h / 2, h)]
        .into_par_iter()
        .map(|(r0, r1)| {
            let mut events: Vec<Vec<u64>> = vec![Vec::new(); SECTORS];
            let mut initial: Vec<Vec<u32>> = vec![Vec::new(); SECTORS];
            for r in r0..r1 {
                for c in 0..w {
                    let cell = tiled(c, r);
                    if data[cell].0.is_nan() {
                        continue;
                    }
                    let [lo, centre, hi] = ang[cell];
                    let key = |q: u32, kind: u64| ((q as u64) << 32) | (kind << 30) | cell as u64;
                    let (sl, sc, sh) = (sector_of(lo), sector_of(centre), sector_of(hi));
                    events[sl].push(key(lo, ENTER));
                    events[sc].push(key(centre, CENTER));
                    events[sh].push(key(hi, EXIT));
                    let c32 = cell as u32;
                    if r == or && c > oc {
                        initial.iter_mut().take(sh + 1).for_each(|s| s.push(c32));
                        initial.iter_mut().skip(sl + 1).for_each(|s| s.push(c32));
                    } else {
                        initial
                            .iter_mut()
                            .take(sh + 1)
                            .skip(sl + 1)
                            .for_each(|s| s.push(c32));
                    }
                }
            }
            (events, initial)
        })
        .collect();
    drop(ang);
    let t2 = t0.elapsed();
    let min_cell =
        m.ew.iter()
            .fold(f64::INFINITY, |a, &b| a.min(b))
            .min(2.0 * half_ns);
    let width = (min_cell / 2.0).max(1e-6);
    let data = &data;
    let seen: Vec<Vec<u32>> = (0..SECTORS)
        .into_par_iter()
        .map(|k| {
            let mut ev: Vec<u64> = Vec::with_capacity(halves.iter().map(|x| x.0[k].len()).sum());
            for hlf in &halves {
                ev.extend_from_slice(&hlf.0[k]);
            }
            let mut scratch = Vec::new();
            radix_sort_events(&mut ev, &mut scratch);
            let mut active = Active::new(max_d, width);
            for hlf in &halves {
                for &cell in &hlf.1[k] {
                    let (d, slope) = data[cell as usize];
                    active.insert(cell, d, slope);
                }
            }
            // Gather each event's cell data in one tight loop (independent
            // loads overlap), so the sweep below reads it in order.
            let local: Vec<(f64, f64)> = ev
                .iter()
                .map(|&key| data[(key & ((1 << 30) - 1)) as usize])
                .collect();
            let mut seen = Vec::new();
            for (&key, &(d, slope)) in ev.iter().zip(&local) {
                let cell = (key & ((1 << 30) - 1)) as u32;
                match (key >> 30) & 3 {
                    ENTER => active.insert(cell, d, slope),
                    CENTER => {
                        if slope + target / d >= active.max_below(d) {
                            seen.push(cell);
                        }
                    }
                    _ => active.remove(cell, d),
                }
            }
            seen
        })
        .collect();
    if std::env::var("TERMINUS_TIMING").is_ok() {
        eprintln!(
            "exact sweep: pass 1 {t1:?}, pass 2 {:?}, sweep {:?}",
            t2 - t1,
            t0.elapsed() - t2
        );
    }
    let mut visible = 1usize; // the observer
    out[or * w + oc] = VISIBLE;
    for s in &seen {
        for &i in s {
            let (tile, within) = (i as usize >> 8, i as usize & 255);
            let (r, c) = (
                (tile / tiles_x) * 16 + (within >> 4),
                (tile % tiles_x) * 16 + (within & 15),
            );
            out[r * w + c] = VISIBLE;
        }
        visible += s.len();
    }
    Ok((visible, in_range + 1, voids))
}
