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

/// Sort events by their top 34 bits (angle, kind), LSD radix over the
/// bits that vary within the slice, in the fewest passes of at most 13
/// bits (a 64 KiB count table, cache-resident); the cell (low 30 bits) is
/// payload. Stable, so equal keys keep their order.
fn radix_sort_events(ev: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    if ev.len() < 256 {
        ev.sort_unstable_by_key(|e| e >> 30);
        return;
    }
    let (lo, hi) = ev.iter().fold((u64::MAX, 0u64), |(a, b), &e| {
        (a.min(e >> 30), b.max(e >> 30))
    });
    let bits = 64 - (hi - lo).leading_zeros();
    let passes = bits.div_ceil(13).max(1);
    let digit = bits.div_ceil(passes);
    let mask = (1usize << digit) - 1;
    scratch.clear();
    scratch.resize(ev.len(), 0);
    let mut count = vec![0usize; mask + 1];
    for p in 0..passes {
        let shift = p * digit;
        count.fill(0);
        for &e in ev.iter() {
            count[(((e >> 30) - lo) >> shift) as usize & mask] += 1;
        }
        let mut sum = 0;
        for c in count.iter_mut() {
            let t = *c;
            *c = sum;
            sum += t;
        }
        for &e in ev.iter() {
            let k = (((e >> 30) - lo) >> shift) as usize & mask;
            scratch[count[k]] = e;
            count[k] += 1;
        }
        std::mem::swap(ev, scratch);
    }
}

const ENTER: u64 = 0;
const CENTER: u64 = 1;
const EXIT: u64 = 2;

/// Slots per distance bucket held inline; more spill to a side vector.
const SLOTS: usize = 4;

/// `max` without NaN handling (no NaN reaches the sweep): one `maxsd`.
#[inline(always)]
fn fmax(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

/// A max segment tree over distance buckets, each bucket holding the
/// active cells whose centre distance falls in it (inline slots: the ray
/// crosses about two cells per bucket, the observer's ring a few more).
struct Active {
    size: usize,
    tree: Vec<f64>,
    /// (distance, slope) per slot, `SLOTS` per bucket. Cells are not named:
    /// two with the same distance and slope in one bucket are interchangeable.
    slots: Vec<(f64, f64)>,
    len: Vec<u8>,
    spill: Vec<Vec<(f64, f64)>>,
    inv_width: f64,
}

impl Active {
    fn new(max_d: f64, width: f64) -> Active {
        let n = (max_d / width).ceil() as usize + 2;
        let size = n.next_power_of_two();
        Active {
            size,
            tree: vec![f64::NEG_INFINITY; 2 * size],
            slots: vec![(0.0, 0.0); size * SLOTS],
            len: vec![0; size],
            spill: vec![Vec::new(); size],
            inv_width: 1.0 / width,
        }
    }
    /// Empty again, keeping the allocations (a sector's sweep reuses its
    /// thread's structure: fresh megabytes per sector cost page faults).
    fn clear(&mut self) {
        self.tree.fill(f64::NEG_INFINITY);
        for (b, l) in self.len.iter_mut().enumerate() {
            if *l as usize == SLOTS {
                self.spill[b].clear();
            }
            *l = 0;
        }
    }
    #[inline]
    fn bucket(&self, d: f64) -> usize {
        ((d * self.inv_width) as usize).min(self.size - 1)
    }
    #[inline]
    fn entries(&self, b: usize) -> impl Iterator<Item = &(f64, f64)> {
        self.slots[b * SLOTS..b * SLOTS + self.len[b] as usize]
            .iter()
            .chain(self.spill[b].iter())
    }
    /// Recompute bucket `b`'s leaf and its path to the root. Fixed-length
    /// and branch-free: early exits mispredict more than they save.
    fn refresh(&mut self, b: usize) {
        let mut v = f64::NEG_INFINITY;
        for x in self.entries(b) {
            v = fmax(v, x.1);
        }
        let mut i = b + self.size;
        self.tree[i] = v;
        while i > 1 {
            i >>= 1;
            self.tree[i] = fmax(self.tree[2 * i], self.tree[2 * i + 1]);
        }
    }
    #[inline]
    fn insert(&mut self, d: f64, slope: f64) {
        let b = self.bucket(d);
        let l = self.len[b] as usize;
        if l < SLOTS {
            self.slots[b * SLOTS + l] = (d, slope);
            self.len[b] += 1;
        } else {
            self.spill[b].push((d, slope));
        }
        let mut i = b + self.size;
        while i >= 1 {
            self.tree[i] = fmax(self.tree[i], slope);
            i >>= 1;
        }
    }
    #[inline]
    fn remove(&mut self, d: f64, slope: f64) {
        let b = self.bucket(d);
        let base = b * SLOTS;
        let l = self.len[b] as usize;
        let mut k = usize::MAX;
        for (j, x) in self.slots[base..base + l].iter().enumerate() {
            k = if x.0 == d && x.1 == slope { j } else { k };
        }
        if k != usize::MAX {
            // Keep the slots packed: the last slot (or a spilled entry) fills the hole.
            if let Some(x) = self.spill[b].pop() {
                self.slots[base + k] = x;
            } else {
                self.slots[base + k] = self.slots[base + l - 1];
                self.len[b] -= 1;
            }
        } else if let Some(k) = self.spill[b].iter().position(|x| x.0 == d && x.1 == slope) {
            self.spill[b].swap_remove(k);
        } else {
            return;
        }
        self.refresh(b);
    }
    /// Largest slope among active cells nearer than `d`.
    ///
    /// Branch-free: the walk from leaf to root takes the left sibling's max
    /// where the node is a right child, else `tree[0]` (kept at −∞). The
    /// branchy form mispredicted about half its steps.
    #[inline]
    fn max_below(&self, d: f64) -> f64 {
        let b = self.bucket(d);
        let base = b * SLOTS;
        let mut best = f64::NEG_INFINITY;
        for x in &self.slots[base..base + self.len[b] as usize] {
            best = fmax(best, if x.0 < d { x.1 } else { f64::NEG_INFINITY });
        }
        for x in &self.spill[b] {
            best = fmax(best, if x.0 < d { x.1 } else { f64::NEG_INFINITY });
        }
        let mut i = b + self.size;
        while i > 1 {
            let j = (i - 1) & 0usize.wrapping_sub(i & 1);
            best = fmax(best, self.tree[j]);
            i >>= 1;
        }
        best
    }
}

/// The unit direction (east, north) — up to scale — of pseudo-angle `p`
/// (the inverse of [`pseudo_angle`] on the diamond |e| + |n| = 1).
fn pseudo_direction(p: f64) -> (f64, f64) {
    if p <= 1.0 {
        (1.0 - p, p)
    } else if p <= 2.0 {
        (1.0 - p, 2.0 - p)
    } else if p <= 3.0 {
        (p - 3.0, 2.0 - p)
    } else {
        (p - 3.0, p - 4.0)
    }
}

/// van Kreveld's radial sweep over the window. Returns (visible, in range, voids).
///
/// The circle is cut into 256 sectors swept independently (in parallel).
/// Each sector enumerates the cells its wedge touches, row by row (the
/// wedge's extent in a row comes from where its two rays cross the row's
/// edges), computes their distances, slopes and angular spans, and sweeps
/// them: the cells spanning its first ray start active, so every sector
/// sees exactly what one full sweep would see there. Nothing is stored for
/// the whole grid: a sector's working set (a few tens of thousands of
/// cells) stays in cache, and memory is bounded by the largest wedge, not
/// by the radius squared.
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
    if w * h >= (1 << 30) {
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
    let sector_of = |q: u32| ((q as u64 * SECTORS as u64) >> 32) as usize;
    // The farthest cell centre (an over-estimate only costs tree depth).
    let max_d = [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)]
        .iter()
        .map(|&(c, r)| {
            let (e, n) = m.offset(c as f64 - oc as f64, r);
            (e * e + n * n).sqrt()
        })
        .fold(0.0, f64::max)
        .min(radius2.sqrt());
    let min_cell =
        m.ew.iter()
            .fold(f64::INFINITY, |a, &b| a.min(b))
            .min(2.0 * half_ns);
    let width = (min_cell / 2.0).max(1e-6);
    #[derive(Default)]
    struct Sector {
        seen: Vec<u32>,
        in_range: usize,
        voids: usize,
    }
    struct Scratch {
        /// Per enumerated cell: (distance, slope), and its raster index.
        cells: Vec<(f64, f64)>,
        index: Vec<u32>,
        initial: Vec<u32>,
        ev: Vec<u64>,
        sort: Vec<u64>,
        bottom: Vec<f64>,
        top: Vec<f64>,
        active: Active,
    }
    let sectors: Vec<Sector> = (0..SECTORS)
        .into_par_iter()
        .map_init(
            || Scratch {
                cells: Vec::new(),
                index: Vec::new(),
                initial: Vec::new(),
                ev: Vec::new(),
                sort: Vec::new(),
                bottom: Vec::new(),
                top: Vec::new(),
                active: Active::new(max_d, width),
            },
            |s, k| {
                let mut sector = Sector::default();
                s.cells.clear();
                s.index.clear();
                s.initial.clear();
                s.ev.clear();
                let a0 = 4.0 * k as f64 / SECTORS as f64;
                let a1 = 4.0 * (k + 1) as f64 / SECTORS as f64;
                let rays = [pseudo_direction(a0), pseudo_direction(a1)];
                // Sectors next to the east or west ray reach the grid's edge.
                let east = k == 0 || k == SECTORS - 1;
                let west = k == SECTORS / 2 - 1 || k == SECTORS / 2;
                for r in 0..h {
                    let ew = m.ew[r];
                    let y = m.ns[r];
                    let (ylo, yhi) = (y - half_ns, y + half_ns);
                    let (mut xmin, mut xmax) = (f64::INFINITY, f64::NEG_INFINITY);
                    for &(de, dn) in &rays {
                        for yl in [ylo, yhi] {
                            if yl * dn > 0.0 {
                                let x = yl * de / dn;
                                xmin = xmin.min(x);
                                xmax = xmax.max(x);
                            }
                        }
                    }
                    if ylo <= 0.0 && 0.0 <= yhi {
                        xmin = xmin.min(0.0);
                        xmax = xmax.max(0.0);
                    }
                    if xmin > xmax {
                        continue; // the wedge misses this row
                    }
                    if east {
                        xmax = f64::INFINITY;
                    }
                    if west {
                        xmin = f64::NEG_INFINITY;
                    }
                    // Cells whose extent meets [xmin, xmax], one cell of margin.
                    let c_lo = ((xmin / ew + oc as f64 - 0.5).floor() - 1.0).max(0.0);
                    let c_hi = ((xmax / ew + oc as f64 + 0.5).ceil() + 1.0).min(w as f64 - 1.0);
                    if c_lo > c_hi {
                        continue;
                    }
                    let (c_lo, c_hi) = (c_lo as usize, c_hi as usize);
                    // Corner pseudo-angles of this row, shared by neighbours.
                    s.bottom.clear();
                    s.top.clear();
                    for kc in c_lo..=c_hi + 1 {
                        let e = (kc as f64 - oc as f64 - 0.5) * ew;
                        s.bottom.push(pseudo_angle(e, ylo));
                        s.top.push(pseudo_angle(e, yhi));
                    }
                    for c in c_lo..=c_hi {
                        if c == oc && r == or {
                            continue;
                        }
                        let (e, nn) = m.offset(c as f64 - oc as f64, r);
                        let d2 = e * e + nn * nn;
                        if d2 > radius2 {
                            continue;
                        }
                        let centre = quantize(pseudo_angle(e, nn)) as u32;
                        let sc = sector_of(centre);
                        let wraps = r == or && c > oc;
                        let j = c - c_lo;
                        let corners = [s.bottom[j], s.bottom[j + 1], s.top[j], s.top[j + 1]];
                        let mut lo = f64::INFINITY;
                        let mut hi = f64::NEG_INFINITY;
                        for (i, &p0) in corners.iter().enumerate() {
                            // Cells on the east ray span angle 0: [lo, 4) ∪ [0, hi].
                            let p = if wraps && i < 2 { p0 - 4.0 } else { p0 };
                            lo = lo.min(p);
                            hi = hi.max(p);
                        }
                        let lo = quantize(if lo < 0.0 { lo + 4.0 } else { lo }) as u32;
                        let hi = quantize(hi) as u32;
                        let (sl, sh) = (sector_of(lo), sector_of(hi));
                        let initial = if wraps {
                            k <= sh || k > sl
                        } else {
                            sl < k && k <= sh
                        };
                        if !(initial || sl == k || sc == k || sh == k) {
                            continue;
                        }
                        let z = win.z(c, r);
                        if z.is_nan() {
                            if sc == k {
                                sector.voids += 1;
                            }
                            continue;
                        }
                        if sc == k {
                            sector.in_range += 1;
                        }
                        let d = d2.sqrt();
                        let idx = s.cells.len() as u64;
                        s.cells.push((d, (z as f64 - m.drop(e, nn) - eye) / d));
                        s.index.push((r * w + c) as u32);
                        if initial {
                            s.initial.push(idx as u32);
                        }
                        let key = |q: u32, kind: u64| ((q as u64) << 32) | (kind << 30) | idx;
                        if sl == k {
                            s.ev.push(key(lo, ENTER));
                        }
                        if sc == k {
                            s.ev.push(key(centre, CENTER));
                        }
                        if sh == k {
                            s.ev.push(key(hi, EXIT));
                        }
                    }
                }
                radix_sort_events(&mut s.ev, &mut s.sort);
                let active = &mut s.active;
                active.clear();
                for &i in &s.initial {
                    let (d, slope) = s.cells[i as usize];
                    active.insert(d, slope);
                }
                for &key in &s.ev {
                    let i = (key & ((1 << 30) - 1)) as u32;
                    let (d, slope) = s.cells[i as usize];
                    match (key >> 30) & 3 {
                        ENTER => active.insert(d, slope),
                        CENTER => {
                            if slope + target / d >= active.max_below(d) {
                                sector.seen.push(s.index[i as usize]);
                            }
                        }
                        _ => active.remove(d, slope),
                    }
                }
                sector
            },
        )
        .collect();
    let mut visible = 1usize; // the observer
    out[or * w + oc] = VISIBLE;
    let (mut in_range, mut voids) = (0, 0);
    for s in &sectors {
        for &i in &s.seen {
            out[i as usize] = VISIBLE;
        }
        visible += s.seen.len();
        in_range += s.in_range;
        voids += s.voids;
    }
    Ok((visible, in_range + 1, voids))
}
