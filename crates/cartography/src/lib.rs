//! Maps drawn by Terminus itself, as SVG and PNG, with what a map put on a
//! negotiating table needs: a graticule with labelled degrees, a scale bar,
//! a north arrow, a legend and a title.
//!
//! A [`Map`] is a list of features in (lat, lon); it is drawn in a
//! transverse Mercator projection centred on the map (Karney 2011 via
//! `terminus_geodesy`), conformal, with scale exact on the central meridian
//! and within 1e-4 of it across a map 300 km wide — so the scale bar holds
//! everywhere on the sheet to that ratio. The north arrow points to true
//! north at its own position (the grid convergence is applied).
//!
//! The SVG uses the viewer's sans-serif font; the PNG is rendered by
//! `tiny-skia` with the Noto Sans Mono bitmaps built in (Latin-1 and
//! Latin Extended-A), and every other character (Cyrillic for the Russian
//! reports, Armenian, Greek …) from the Hack face embedded in the binary,
//! scaled to the same monospaced cell: it needs no font on the machine.
//! A character neither has is drawn as '?' in the PNG only.
//!
//! ```
//! use terminus_cartography::{Map, Style};
//! let mut map = Map::new("Example", (40.0, 45.0, 40.2, 45.3), 640, 480);
//! map.line(&[(40.05, 45.05), (40.15, 45.25)], Style::line("#c00", 2.0), Some("claim"));
//! let svg = map.to_svg();
//! assert!(svg.starts_with("<svg") && svg.contains("claim"));
//! let png = map.to_png().unwrap();
//! assert_eq!(&png[1..4], b"PNG");
//! ```

pub mod tiles;

use std::fmt::Write;
use terminus_geodesy::projection::tm::TransverseMercator;
use terminus_geodesy::{EastNorth, Ellipsoid, LatLon as GeoLatLon};

/// (latitude, longitude), degrees.
pub type LatLon = (f64, f64);

/// How a feature is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Fill colour (#rrggbb), if filled.
    pub fill: Option<String>,
    /// Fill opacity, 0–1.
    pub fill_opacity: f64,
    /// Stroke colour, if stroked.
    pub stroke: Option<String>,
    /// Stroke width, pixels.
    pub width: f64,
    /// Dashed stroke.
    pub dashed: bool,
}

impl Style {
    /// A stroked line.
    pub fn line(colour: &str, width: f64) -> Style {
        Style {
            fill: None,
            fill_opacity: 0.0,
            stroke: Some(colour.into()),
            width,
            dashed: false,
        }
    }
    /// A dashed line.
    pub fn dashed(colour: &str, width: f64) -> Style {
        Style {
            dashed: true,
            ..Style::line(colour, width)
        }
    }
    /// A filled area with an outline.
    pub fn area(fill: &str, opacity: f64, outline: &str) -> Style {
        Style {
            fill: Some(fill.into()),
            fill_opacity: opacity,
            stroke: Some(outline.into()),
            width: 0.8,
            dashed: false,
        }
    }
}

#[derive(Debug, Clone)]
enum Shape {
    Area(Vec<Vec<LatLon>>),
    Line(Vec<LatLon>),
    Point(LatLon, f64),
}

#[derive(Debug, Clone)]
struct Feature {
    shape: Shape,
    style: Style,
    label: Option<String>,
}

/// A graticule label: text, x, y, and whether it is a meridian's.
type EdgeLabel = (String, f64, f64, bool);

/// A legend entry.
#[derive(Debug, Clone)]
struct Entry {
    text: String,
    style: Style,
    kind: u8, // 0 area, 1 line, 2 point
}

/// Why a map could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
    /// The canvas is unusable.
    #[error("a map needs a canvas of at least 100 × 100 pixels (got {0} × {1})")]
    Canvas(u32, u32),
}

/// A PNG of `width` × `height` pixels from straight (not premultiplied)
/// RGBA values, row by row: the image tiles a web map draws (relief).
///
/// ```
/// let png = terminus_cartography::rgba_png(2, 1, &[[255, 0, 0, 255], [0, 0, 0, 0]]).unwrap();
/// assert_eq!(&png[1..4], b"PNG");
/// ```
pub fn rgba_png(width: u32, height: u32, rgba: &[[u8; 4]]) -> Result<Vec<u8>, MapError> {
    let mut pm = tiny_skia::Pixmap::new(width, height).ok_or(MapError::Canvas(width, height))?;
    if rgba.len() != pm.pixels().len() {
        return Err(MapError::Png(format!(
            "{} pixels given for a {width} × {height} image",
            rgba.len()
        )));
    }
    for (p, c) in pm.pixels_mut().iter_mut().zip(rgba) {
        *p = tiny_skia::ColorU8::from_rgba(c[0], c[1], c[2], c[3]).premultiply();
    }
    pm.encode_png().map_err(|e| MapError::Png(e.to_string()))
}

/// A map: extent, canvas and features.
#[derive(Debug, Clone)]
pub struct Map {
    title: String,
    width: u32,
    height: u32,
    tm: TransverseMercator,
    /// Pixel = (x − x0)·scale + ox, (y0 − y)·scale + oy.
    x0: f64,
    y0: f64,
    scale: f64,
    bounds: (f64, f64, f64, f64),
    features: Vec<Feature>,
    /// Relief under everything: one grey level per canvas pixel (row
    /// major, 255 = unshaded), inside the frame.
    relief: Option<Vec<u8>>,
    legend: Vec<Entry>,
    notes: Vec<String>,
}

const MARGIN: f64 = 56.0;

impl Map {
    /// A map of `bounds` (south, west, north, east) on a canvas of
    /// `width` × `height` pixels, with a margin for the frame's labels.
    pub fn new(title: &str, bounds: (f64, f64, f64, f64), width: u32, height: u32) -> Map {
        let (s, w, n, e) = bounds;
        let lon0 = (w + e) / 2.0;
        let tm = TransverseMercator::new(Ellipsoid::WGS84, lon0, 1.0, 0.0, 0.0);
        let corners = [(s, w), (s, e), (n, w), (n, e), (s, lon0), (n, lon0)];
        let pts: Vec<(f64, f64)> = corners
            .iter()
            .map(|&(la, lo)| {
                let g = tm.forward(GeoLatLon::new(la, lo));
                (g.easting, g.northing)
            })
            .collect();
        let (mut minx, mut maxx, mut miny, mut maxy) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for (x, y) in pts {
            minx = minx.min(x);
            maxx = maxx.max(x);
            miny = miny.min(y);
            maxy = maxy.max(y);
        }
        let (dx, dy) = ((maxx - minx).max(1.0), (maxy - miny).max(1.0));
        let (cw, ch) = (width as f64 - 2.0 * MARGIN, height as f64 - 2.0 * MARGIN);
        let scale = (cw / dx).min(ch / dy);
        // Centre the extent on the canvas.
        let x0 = (minx + maxx) / 2.0 - (cw / scale) / 2.0;
        let y0 = (miny + maxy) / 2.0 + (ch / scale) / 2.0;
        Map {
            title: title.into(),
            width,
            height,
            tm,
            x0,
            y0,
            scale,
            bounds,
            features: Vec::new(),
            relief: None,
            legend: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A map fitted to `points` with a margin of `pad` (fraction of the extent, at least ~500 m).
    pub fn around(
        title: &str,
        points: impl IntoIterator<Item = LatLon>,
        pad: f64,
        width: u32,
        height: u32,
    ) -> Map {
        let (mut s, mut w, mut n, mut e) = (90.0f64, 180.0f64, -90.0f64, -180.0f64);
        for (la, lo) in points {
            s = s.min(la);
            n = n.max(la);
            w = w.min(lo);
            e = e.max(lo);
        }
        if s > n {
            (s, w, n, e) = (0.0, 0.0, 1.0, 1.0);
        }
        let (dla, dlo) = (((n - s) * pad).max(0.005), ((e - w) * pad).max(0.005));
        Map::new(title, (s - dla, w - dlo, n + dla, e + dlo), width, height)
    }

    /// Where each point's label goes: (left, baseline) in pixels, or none
    /// when it has no label or every place tried would cover a label
    /// already placed (or a labelled point's symbol, or leave the
    /// frame). Tried in turn: right of the point, left, above, below —
    /// greedily, in the order the points were added, so the first-added
    /// (the most important, by the engines' convention) keep theirs. The
    /// second value counts the labels left out; both renderers say so in
    /// a note. Boxes are the PNG's monospaced cells (the SVG's 11-pixel
    /// sans-serif text is narrower, so it fits the same boxes).
    fn label_places(&self) -> (Vec<Option<(f64, f64)>>, usize) {
        let cw = noto_sans_mono_bitmap::get_raster_width(
            noto_sans_mono_bitmap::FontWeight::Regular,
            noto_sans_mono_bitmap::RasterHeight::Size16,
        ) as f64;
        let (lo, hi) = (
            (MARGIN, MARGIN),
            (self.width as f64 - MARGIN, self.height as f64 - MARGIN),
        );
        let mut taken: Vec<[f64; 4]> = self
            .features
            .iter()
            .filter(|f| f.label.is_some())
            .filter_map(|f| match &f.shape {
                Shape::Point(p, r) => {
                    let (x, y) = self.px(*p);
                    Some([x - r, y - r, x + r, y + r])
                }
                _ => None,
            })
            .collect();
        let overlaps =
            |a: &[f64; 4], b: &[f64; 4]| a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
        let mut out = Vec::with_capacity(self.features.len());
        let mut left_out = 0;
        for f in &self.features {
            let (Shape::Point(p, r), Some(t)) = (&f.shape, &f.label) else {
                out.push(None);
                continue;
            };
            let (x, y) = self.px(*p);
            let (w, h) = (cw * t.chars().count() as f64, 13.0);
            // (left, baseline) of each candidate.
            let tries = [
                (x + r + 3.0, y + 4.0),
                (x - r - 3.0 - w, y + 4.0),
                // Above and below, clear of the two beside it.
                (x - w / 2.0, y + 4.0 - h),
                (x - w / 2.0, y + 4.0 + h),
            ];
            let inside = x >= lo.0 && y >= lo.1 && x <= hi.0 && y <= hi.1;
            let spot = tries.into_iter().find(|&(lx, by)| {
                let b = [lx, by - h + 2.0, lx + w, by + 2.0];
                b[0] >= lo.0
                    && b[1] >= lo.1
                    && b[2] <= hi.0
                    && b[3] <= hi.1
                    && !taken.iter().any(|t| overlaps(t, &b))
            });
            match spot {
                Some((lx, by)) => {
                    taken.push([lx, by - h + 2.0, lx + w, by + 2.0]);
                    out.push(Some((lx, by)));
                }
                None => {
                    // A point outside the frame has no label to lose.
                    if inside {
                        left_out += 1;
                    }
                    out.push(None);
                }
            }
        }
        (out, left_out)
    }

    /// The canvas's height: the map's, and a line more for each note
    /// beyond the two its bottom margin holds.
    fn canvas_height(&self) -> u32 {
        let notes = self.notes.len() + usize::from(self.label_places().1 > 0);
        self.height + 16 * notes.saturating_sub(2) as u32
    }

    /// The note saying how many labels were left out, if any.
    fn labels_note(left_out: usize) -> Option<String> {
        (left_out > 0).then(|| {
            format!("{left_out} label(s) left out where they would cover another (the report lists every point).")
        })
    }

    /// Where the legend box of `lw` × `lh` pixels goes: of the places in
    /// the frame left free by the title, north arrow and scale bar —
    /// bottom right, top left, bottom left above the scale bar, top right
    /// below the north arrow, the middle of the right edge and of the
    /// left, in that order of preference — the one that
    /// hides the least of what is drawn (points sampled every 4 px along
    /// every line, area outline and point), so that it does not cover the
    /// end of a line.
    fn legend_at(&self, lw: f64, lh: f64) -> (f64, f64) {
        let (w, h) = (self.width as f64, self.height as f64);
        let corners = [
            (w - MARGIN - lw - 8.0, h - MARGIN - lh - 8.0),
            (MARGIN + 8.0, MARGIN + 8.0),
            (MARGIN + 8.0, h - MARGIN - lh - 40.0),
            (w - MARGIN - lw - 8.0, MARGIN + 64.0),
            (w - MARGIN - lw - 8.0, (h - lh) / 2.0),
            (MARGIN + 8.0, (h - lh) / 2.0),
        ];
        let mut hidden = [0usize; 6];
        let mut count = |p: (f64, f64)| {
            for (k, &(x, y)) in corners.iter().enumerate() {
                if p.0 >= x && p.0 <= x + lw && p.1 >= y && p.1 <= y + lh {
                    hidden[k] += 1;
                }
            }
        };
        let mut along = |pts: &[LatLon]| {
            let px: Vec<(f64, f64)> = pts.iter().map(|&p| self.px(p)).collect();
            for (i, &a) in px.iter().enumerate() {
                count(a);
                if let Some(&b) = px.get(i + 1) {
                    let n = ((b.0 - a.0).hypot(b.1 - a.1) / 4.0).ceil().min(10_000.0) as usize;
                    for j in 1..n {
                        let t = j as f64 / n as f64;
                        count((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                    }
                }
            }
        };
        for f in &self.features {
            match &f.shape {
                Shape::Line(pts) => along(pts),
                Shape::Area(rings) => rings.iter().for_each(|r| along(r)),
                Shape::Point(p, _) => along(std::slice::from_ref(p)),
            }
        }
        let best = (0..corners.len())
            .min_by_key(|&k| (hidden[k], k))
            .unwrap_or(0);
        corners[best]
    }

    fn px(&self, p: LatLon) -> (f64, f64) {
        let g = self.tm.forward(GeoLatLon::from_pair(p));
        let (x, y) = (g.easting, g.northing);
        (
            (x - self.x0) * self.scale + MARGIN,
            (self.y0 - y) * self.scale + MARGIN,
        )
    }

    /// Add an area (outer ring then holes).
    pub fn area(&mut self, rings: &[Vec<LatLon>], style: Style, legend: Option<&str>) {
        self.add(Shape::Area(rings.to_vec()), style, None, legend, 0);
    }
    /// Add a line.
    pub fn line(&mut self, pts: &[LatLon], style: Style, legend: Option<&str>) {
        self.add(Shape::Line(pts.to_vec()), style, None, legend, 1);
    }
    /// Add a point (radius in pixels) with an optional label beside it.
    pub fn point(
        &mut self,
        p: LatLon,
        radius: f64,
        style: Style,
        label: Option<&str>,
        legend: Option<&str>,
    ) {
        self.add(
            Shape::Point(p, radius),
            style,
            label.map(String::from),
            legend,
            2,
        );
    }
    /// Relief under the features: `shade` (0 dark to 1 lit, `None` for
    /// no data) at every other pixel of the frame, each value spread over
    /// its 2 × 2 block. Drawn as grey from 40 % (dark) to white, so lines
    /// and areas stay readable over it. Returns the share of the frame
    /// shaded (0 when the DEM does not reach the map, which the caller
    /// says in a note rather than promising a relief that is not there).
    pub fn relief(&mut self, shade: impl Fn(LatLon) -> Option<f64>) -> f64 {
        let (mut shaded, mut asked) = (0usize, 0usize);
        let (w, h) = (self.width as usize, self.height as usize);
        let mut grey = vec![255u8; w * h];
        let m = MARGIN as usize;
        for py in (m..h.saturating_sub(m)).step_by(2) {
            for px in (m..w.saturating_sub(m)).step_by(2) {
                let x = (px as f64 + 1.0 - MARGIN) / self.scale + self.x0;
                let y = self.y0 - (py as f64 + 1.0 - MARGIN) / self.scale;
                let ll = self.tm.inverse(EastNorth {
                    easting: x,
                    northing: y,
                });
                asked += 1;
                let Some(v) = shade((ll.lat, ll.lon)) else {
                    continue;
                };
                shaded += 1;
                let g = (102.0 + 153.0 * v.clamp(0.0, 1.0)).round() as u8;
                for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                    if py + dy < h && px + dx < w {
                        grey[(py + dy) * w + px + dx] = g;
                    }
                }
            }
        }
        // (No relief kept when none of it is on the map.)
        self.relief = (shaded > 0).then_some(grey);
        if asked == 0 {
            0.0
        } else {
            shaded as f64 / asked as f64
        }
    }

    /// The relief as an opaque PNG of the canvas (for the SVG).
    fn relief_png(&self) -> Option<Vec<u8>> {
        let grey = self.relief.as_ref()?;
        let mut pm = tiny_skia::Pixmap::new(self.width, self.height)?;
        for (p, &g) in pm.pixels_mut().iter_mut().zip(grey) {
            *p = tiny_skia::PremultipliedColorU8::from_rgba(g, g, g, 255)?;
        }
        pm.encode_png().ok()
    }

    /// A line of small print under the map (sources, method).
    pub fn note(&mut self, text: &str) {
        self.notes.push(text.into());
    }

    fn add(
        &mut self,
        shape: Shape,
        style: Style,
        label: Option<String>,
        legend: Option<&str>,
        kind: u8,
    ) {
        if let Some(t) = legend {
            if !self.legend.iter().any(|e| e.text == t) {
                self.legend.push(Entry {
                    text: t.into(),
                    style: style.clone(),
                    kind,
                });
            }
        }
        self.features.push(Feature {
            shape,
            style,
            label,
        });
    }

    /// Graticule step (degrees) giving 3–7 lines across the larger span.
    fn graticule_step(&self) -> f64 {
        let (s, w, n, e) = self.bounds;
        let span = (n - s).max((e - w) * ((s + n) / 2.0).to_radians().cos());
        let steps = [
            1.0 / 60.0,
            2.0 / 60.0,
            5.0 / 60.0,
            10.0 / 60.0,
            0.25,
            0.5,
            1.0,
            2.0,
            5.0,
        ];
        *steps.iter().find(|&&st| span / st <= 7.0).unwrap_or(&10.0)
    }

    /// The (south, west, north, east) the canvas shows, from its edges.
    fn canvas_bounds(&self) -> (f64, f64, f64, f64) {
        let (cw, ch) = (self.width as f64, self.height as f64);
        let (mut s, mut w, mut n, mut e) = (90.0f64, 180.0f64, -90.0f64, -180.0f64);
        for k in 0..=20 {
            let t = k as f64 / 20.0;
            for (px, py) in [(t * cw, 0.0), (t * cw, ch), (0.0, t * ch), (cw, t * ch)] {
                let x = (px - MARGIN) / self.scale + self.x0;
                let y = self.y0 - (py - MARGIN) / self.scale;
                let GeoLatLon { lat: la, lon: lo } = self.tm.inverse(EastNorth::new(x, y));
                s = s.min(la);
                n = n.max(la);
                w = w.min(lo);
                e = e.max(lo);
            }
        }
        (s, w, n, e)
    }

    fn graticule(&self) -> (Vec<Vec<(f64, f64)>>, Vec<EdgeLabel>) {
        let (s, w, n, e) = self.canvas_bounds();
        let st = self.graticule_step();
        let mut lines = Vec::new();
        let mut labels = Vec::new();
        let (cw, ch) = (self.width as f64, self.height as f64);
        let mut lat = (s / st).ceil() * st;
        while lat <= n + 1e-9 {
            let pts: Vec<(f64, f64)> = (0..=40)
                .map(|k| self.px((lat, w + (e - w) * k as f64 / 40.0)))
                .collect();
            let y = pts[0].1;
            if y > MARGIN && y < ch - MARGIN {
                labels.push((dm(lat, 'N', 'S'), 4.0, y + 4.0, false));
            }
            lines.push(pts);
            lat += st;
        }
        let mut lon = (w / st).ceil() * st;
        while lon <= e + 1e-9 {
            let pts: Vec<(f64, f64)> = (0..=40)
                .map(|k| self.px((s + (n - s) * k as f64 / 40.0, lon)))
                .collect();
            let x = pts[0].0;
            if x > MARGIN && x < cw - MARGIN {
                labels.push((dm(lon, 'E', 'W'), x - 24.0, ch - MARGIN + 16.0, true));
            }
            lines.push(pts);
            lon += st;
        }
        (lines, labels)
    }

    /// A round length near a fifth of the map's width, metres, and its pixels.
    fn scale_bar(&self) -> (f64, f64) {
        let target = (self.width as f64 - 2.0 * MARGIN) / 5.0 / self.scale;
        let mag = 10f64.powf(target.log10().floor());
        let len = [10.0, 5.0, 2.0, 1.0]
            .iter()
            .map(|m| m * mag)
            .find(|l| *l <= target)
            .unwrap_or(mag);
        (len, len * self.scale)
    }

    /// The direction of true north at the north arrow, radians clockwise from up.
    fn north_rotation(&self, at: (f64, f64)) -> f64 {
        // Invert the pixel to (lat, lon) by the projection's inverse.
        let x = (at.0 - MARGIN) / self.scale + self.x0;
        let y = self.y0 - (at.1 - MARGIN) / self.scale;
        let GeoLatLon { lat, lon } = self.tm.inverse(EastNorth::new(x, y));
        let a = self.px((lat, lon));
        let b = self.px((lat + 0.01, lon));
        (b.0 - a.0).atan2(a.1 - b.1)
    }

    /// The map as SVG text.
    pub fn to_svg(&self) -> String {
        let (w, h) = (self.width as f64, self.height as f64);
        let hc = self.canvas_height() as f64;
        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{hc}" viewBox="0 0 {w} {hc}" font-family="sans-serif" font-size="12">"#
        );
        let _ = writeln!(s, r##"<rect width="{w}" height="{hc}" fill="#ffffff"/>"##);
        if let Some(png) = self.relief_png() {
            let _ = writeln!(
                s,
                r#"<image x="0" y="0" width="{w}" height="{h}" href="data:image/png;base64,{}"/>"#,
                base64(&png)
            );
        }
        let _ = writeln!(
            s,
            r#"<clipPath id="frame"><rect x="{MARGIN}" y="{MARGIN}" width="{}" height="{}"/></clipPath>"#,
            w - 2.0 * MARGIN,
            h - 2.0 * MARGIN
        );
        let _ = writeln!(s, r#"<g clip-path="url(#frame)">"#);
        let (grat, labels) = self.graticule();
        for l in &grat {
            let _ = writeln!(
                s,
                r##"<polyline points="{}" fill="none" stroke="#b0b0b0" stroke-width="0.6"/>"##,
                pts(l)
            );
        }
        let (label_at, left_out) = self.label_places();
        for (fi, f) in self.features.iter().enumerate() {
            let st = &f.style;
            let stroke = st
                .stroke
                .as_deref()
                .map_or("none".to_string(), |c| c.to_string());
            let dash = if st.dashed {
                r#" stroke-dasharray="6 4""#
            } else {
                ""
            };
            match &f.shape {
                Shape::Area(rings) => {
                    let mut d = String::new();
                    for r in rings {
                        let p: Vec<(f64, f64)> = r.iter().map(|&q| self.px(q)).collect();
                        for (i, (x, y)) in p.iter().enumerate() {
                            let _ = write!(d, "{}{x:.1},{y:.1} ", if i == 0 { "M" } else { "L" });
                        }
                        d.push_str("Z ");
                    }
                    let _ = writeln!(
                        s,
                        r#"<path d="{d}" fill="{}" fill-opacity="{}" fill-rule="evenodd" stroke="{stroke}" stroke-width="{}"{dash}/>"#,
                        st.fill.as_deref().unwrap_or("none"),
                        st.fill_opacity,
                        st.width
                    );
                }
                Shape::Line(l) => {
                    let p: Vec<(f64, f64)> = l.iter().map(|&q| self.px(q)).collect();
                    let _ = writeln!(
                        s,
                        r#"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="{}" stroke-linejoin="round"{dash}/>"#,
                        pts(&p),
                        st.width
                    );
                }
                Shape::Point(p, r) => {
                    let (x, y) = self.px(*p);
                    let _ = writeln!(
                        s,
                        r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{}" stroke="{stroke}" stroke-width="{}"/>"#,
                        st.fill.as_deref().unwrap_or("none"),
                        st.width
                    );
                    if let (Some(t), Some((lx, by))) = (&f.label, label_at[fi]) {
                        let _ = writeln!(
                            s,
                            r#"<text x="{lx:.1}" y="{by:.1}" font-size="11">{}</text>"#,
                            esc(t)
                        );
                    }
                }
            }
        }
        let _ = writeln!(s, "</g>");
        let _ = writeln!(
            s,
            r##"<rect x="{MARGIN}" y="{MARGIN}" width="{}" height="{}" fill="none" stroke="#333" stroke-width="1"/>"##,
            w - 2.0 * MARGIN,
            h - 2.0 * MARGIN
        );
        for (t, x, y, _) in &labels {
            let _ = writeln!(
                s,
                r##"<text x="{x:.1}" y="{y:.1}" font-size="10" fill="#555">{}</text>"##,
                esc(t)
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{MARGIN}" y="{}" font-size="16" font-weight="bold">{}</text>"#,
            MARGIN - 18.0,
            esc(&self.title)
        );
        // Scale bar, bottom left inside the frame.
        let (len, px) = self.scale_bar();
        let (bx, by) = (MARGIN + 12.0, h - MARGIN - 16.0);
        let _ = writeln!(
            s,
            r##"<rect x="{bx}" y="{}" width="{:.1}" height="6" fill="#ffffff" stroke="#000"/>"##,
            by - 6.0,
            px
        );
        let _ = writeln!(
            s,
            r##"<rect x="{bx}" y="{}" width="{:.1}" height="6" fill="#000"/>"##,
            by - 6.0,
            px / 2.0
        );
        let _ = writeln!(
            s,
            r#"<text x="{bx}" y="{}" font-size="10">0</text>"#,
            by - 9.0
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{}" font-size="10">{}</text>"#,
            bx + px - 12.0,
            by - 9.0,
            esc(&length_label(len))
        );
        // North arrow, top right inside the frame.
        let at = (w - MARGIN - 24.0, MARGIN + 34.0);
        let rot = self.north_rotation(at).to_degrees();
        let _ = writeln!(
            s,
            r##"<g transform="translate({:.1},{:.1}) rotate({rot:.2})"><path d="M0,-20 L7,8 L0,3 L-7,8 Z" fill="#000"/><text x="-4" y="-24" font-size="12" font-weight="bold">N</text></g>"##,
            at.0, at.1
        );
        // Legend, in the free corner that hides the least.
        if !self.legend.is_empty() {
            let lw = 14.0
                + 7.0
                    * self
                        .legend
                        .iter()
                        .map(|e| e.text.chars().count())
                        .max()
                        .unwrap_or(0) as f64
                + 34.0;
            let lh = 18.0 * self.legend.len() as f64 + 8.0;
            let (lx, ly) = self.legend_at(lw, lh);
            let _ = writeln!(
                s,
                r##"<rect x="{lx:.1}" y="{ly:.1}" width="{lw:.1}" height="{lh:.1}" fill="#ffffff" fill-opacity="0.9" stroke="#666"/>"##
            );
            for (i, e) in self.legend.iter().enumerate() {
                let y = ly + 14.0 + 18.0 * i as f64;
                let st = &e.style;
                let stroke = st.stroke.as_deref().unwrap_or("none");
                match e.kind {
                    0 => {
                        let _ = writeln!(
                            s,
                            r#"<rect x="{:.1}" y="{:.1}" width="22" height="10" fill="{}" fill-opacity="{}" stroke="{stroke}"/>"#,
                            lx + 6.0,
                            y - 9.0,
                            st.fill.as_deref().unwrap_or("none"),
                            st.fill_opacity
                        );
                    }
                    1 => {
                        let dash = if st.dashed {
                            r#" stroke-dasharray="6 4""#
                        } else {
                            ""
                        };
                        let _ = writeln!(
                            s,
                            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="{}"{dash}/>"#,
                            lx + 6.0,
                            y - 4.0,
                            lx + 28.0,
                            y - 4.0,
                            st.width
                        );
                    }
                    _ => {
                        let _ = writeln!(
                            s,
                            r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{}" stroke="{stroke}"/>"#,
                            lx + 17.0,
                            y - 4.0,
                            st.fill.as_deref().unwrap_or("none")
                        );
                    }
                }
                let _ = writeln!(
                    s,
                    r#"<text x="{:.1}" y="{y:.1}" font-size="11">{}</text>"#,
                    lx + 34.0,
                    esc(&e.text)
                );
            }
        }
        for (i, n) in self
            .notes
            .iter()
            .cloned()
            .chain(Self::labels_note(left_out))
            .enumerate()
        {
            let _ = writeln!(
                s,
                r##"<text x="{MARGIN}" y="{:.1}" font-size="9" fill="#555">{}</text>"##,
                h - MARGIN + 30.0 + 11.0 * i as f64,
                esc(&n)
            );
        }
        s.push_str("</svg>\n");
        s
    }

    /// The map as a PNG image.
    pub fn to_png(&self) -> Result<Vec<u8>, MapError> {
        use tiny_skia::{
            Color, FillRule, Paint, PathBuilder, Pixmap, Rect, Stroke, StrokeDash, Transform,
        };
        if self.width < 100 || self.height < 100 {
            return Err(MapError::Canvas(self.width, self.height));
        }
        let mut pm = Pixmap::new(self.width, self.canvas_height())
            .ok_or(MapError::Canvas(self.width, self.height))?;
        pm.fill(Color::WHITE);
        if let Some(grey) = &self.relief {
            for (p, &g) in pm.pixels_mut().iter_mut().zip(grey) {
                if let Some(c) = tiny_skia::PremultipliedColorU8::from_rgba(g, g, g, 255) {
                    *p = c;
                }
            }
        }
        let (w, h) = (self.width as f32, self.height as f32);
        let m = MARGIN as f32;
        let clip = {
            // The mask is the canvas's size, taller than the map when
            // notes need it (a mask of another size clips everything).
            let mut mask = tiny_skia::Mask::new(pm.width(), pm.height())
                .ok_or(MapError::Canvas(self.width, self.height))?;
            if let Some(r) = Rect::from_xywh(m, m, w - 2.0 * m, h - 2.0 * m) {
                mask.fill_path(
                    &PathBuilder::from_rect(r),
                    FillRule::Winding,
                    false,
                    Transform::identity(),
                );
            }
            mask
        };
        let paint_of = |c: &str, a: f64| {
            let mut p = Paint::default();
            let (r, g, b) = rgb(c);
            p.set_color_rgba8(r, g, b, (a.clamp(0.0, 1.0) * 255.0) as u8);
            p.anti_alias = true;
            p
        };
        let stroke_of = |st: &Style| {
            let mut s = Stroke {
                width: st.width as f32,
                ..Stroke::default()
            };
            s.line_join = tiny_skia::LineJoin::Round;
            if st.dashed {
                s.dash = StrokeDash::new(vec![6.0, 4.0], 0.0);
            }
            s
        };
        let poly = |p: &[(f64, f64)], close: bool| {
            let mut pb = PathBuilder::new();
            for (i, &(x, y)) in p.iter().enumerate() {
                if i == 0 {
                    pb.move_to(x as f32, y as f32);
                } else {
                    pb.line_to(x as f32, y as f32);
                }
            }
            if close {
                pb.close();
            }
            pb.finish()
        };
        let (grat, labels) = self.graticule();
        for l in &grat {
            if let Some(path) = poly(l, false) {
                pm.stroke_path(
                    &path,
                    &paint_of("#b0b0b0", 1.0),
                    &Stroke {
                        width: 0.6,
                        ..Stroke::default()
                    },
                    Transform::identity(),
                    Some(&clip),
                );
            }
        }
        let (label_at, left_out) = self.label_places();
        for (fi, f) in self.features.iter().enumerate() {
            let st = &f.style;
            match &f.shape {
                Shape::Area(rings) => {
                    let mut pb = PathBuilder::new();
                    for r in rings {
                        for (i, &q) in r.iter().enumerate() {
                            let (x, y) = self.px(q);
                            if i == 0 {
                                pb.move_to(x as f32, y as f32);
                            } else {
                                pb.line_to(x as f32, y as f32);
                            }
                        }
                        pb.close();
                    }
                    if let Some(path) = pb.finish() {
                        if let Some(c) = &st.fill {
                            pm.fill_path(
                                &path,
                                &paint_of(c, st.fill_opacity),
                                FillRule::EvenOdd,
                                Transform::identity(),
                                Some(&clip),
                            );
                        }
                        if let Some(c) = &st.stroke {
                            pm.stroke_path(
                                &path,
                                &paint_of(c, 1.0),
                                &stroke_of(st),
                                Transform::identity(),
                                Some(&clip),
                            );
                        }
                    }
                }
                Shape::Line(l) => {
                    let p: Vec<(f64, f64)> = l.iter().map(|&q| self.px(q)).collect();
                    if let (Some(path), Some(c)) = (poly(&p, false), &st.stroke) {
                        pm.stroke_path(
                            &path,
                            &paint_of(c, 1.0),
                            &stroke_of(st),
                            Transform::identity(),
                            Some(&clip),
                        );
                    }
                }
                Shape::Point(p, r) => {
                    let (x, y) = self.px(*p);
                    if let Some(path) = PathBuilder::from_circle(x as f32, y as f32, *r as f32) {
                        if let Some(c) = &st.fill {
                            pm.fill_path(
                                &path,
                                &paint_of(c, 1.0),
                                FillRule::Winding,
                                Transform::identity(),
                                Some(&clip),
                            );
                        }
                        if let Some(c) = &st.stroke {
                            pm.stroke_path(
                                &path,
                                &paint_of(c, 1.0),
                                &stroke_of(st),
                                Transform::identity(),
                                Some(&clip),
                            );
                        }
                    }
                    if let (Some(t), Some((lx, by))) = (&f.label, label_at[fi]) {
                        text(&mut pm, t, lx, by - 12.0, 16, false, (0, 0, 0));
                    }
                }
            }
        }
        if let Some(r) = Rect::from_xywh(m, m, w - 2.0 * m, h - 2.0 * m) {
            pm.stroke_path(
                &PathBuilder::from_rect(r),
                &paint_of("#333333", 1.0),
                &Stroke::default(),
                Transform::identity(),
                None,
            );
        }
        for (t, x, y, _) in &labels {
            text(&mut pm, t, *x, *y - 12.0, 16, false, (85, 85, 85));
        }
        text(
            &mut pm,
            &self.title,
            MARGIN,
            MARGIN - 38.0,
            24,
            true,
            (0, 0, 0),
        );
        let (len, px) = self.scale_bar();
        let (bx, by) = (MARGIN + 12.0, self.height as f64 - MARGIN - 16.0);
        if let (Some(outer), Some(half)) = (
            Rect::from_xywh(bx as f32, (by - 6.0) as f32, px as f32, 6.0),
            Rect::from_xywh(bx as f32, (by - 6.0) as f32, (px / 2.0) as f32, 6.0),
        ) {
            pm.fill_rect(
                outer,
                &paint_of("#ffffff", 1.0),
                Transform::identity(),
                None,
            );
            pm.fill_rect(half, &paint_of("#000000", 1.0), Transform::identity(), None);
            pm.stroke_path(
                &PathBuilder::from_rect(outer),
                &paint_of("#000000", 1.0),
                &Stroke::default(),
                Transform::identity(),
                None,
            );
        }
        text(&mut pm, "0", bx, by - 24.0, 16, false, (0, 0, 0));
        text(
            &mut pm,
            &length_label(len),
            bx + px - 12.0,
            by - 24.0,
            16,
            false,
            (0, 0, 0),
        );
        let at = (self.width as f64 - MARGIN - 24.0, MARGIN + 34.0);
        let rot = self.north_rotation(at);
        let (sr, cr) = rot.sin_cos();
        let rp = |x: f64, y: f64| {
            (
                (at.0 + x * cr - y * sr) as f32,
                (at.1 + x * sr + y * cr) as f32,
            )
        };
        let mut pb = PathBuilder::new();
        let pts = [rp(0.0, -20.0), rp(7.0, 8.0), rp(0.0, 3.0), rp(-7.0, 8.0)];
        pb.move_to(pts[0].0, pts[0].1);
        for p in &pts[1..] {
            pb.line_to(p.0, p.1);
        }
        pb.close();
        if let Some(path) = pb.finish() {
            pm.fill_path(
                &path,
                &paint_of("#000000", 1.0),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
        let n = rp(0.0, -30.0);
        text(
            &mut pm,
            "N",
            n.0 as f64 - 5.0,
            n.1 as f64 - 10.0,
            20,
            true,
            (0, 0, 0),
        );
        if !self.legend.is_empty() {
            let cw = noto_sans_mono_bitmap::get_raster_width(
                noto_sans_mono_bitmap::FontWeight::Regular,
                noto_sans_mono_bitmap::RasterHeight::Size16,
            ) as f64;
            let lw = 14.0
                + cw * self
                    .legend
                    .iter()
                    .map(|e| e.text.chars().count())
                    .max()
                    .unwrap_or(0) as f64
                + 34.0;
            let lh = 18.0 * self.legend.len() as f64 + 8.0;
            let (lx, ly) = self.legend_at(lw, lh);
            if let Some(r) = Rect::from_xywh(lx as f32, ly as f32, lw as f32, lh as f32) {
                pm.fill_rect(r, &paint_of("#ffffff", 0.9), Transform::identity(), None);
                pm.stroke_path(
                    &PathBuilder::from_rect(r),
                    &paint_of("#666666", 1.0),
                    &Stroke::default(),
                    Transform::identity(),
                    None,
                );
            }
            for (i, e) in self.legend.iter().enumerate() {
                let y = ly + 14.0 + 18.0 * i as f64;
                let st = &e.style;
                match e.kind {
                    0 => {
                        if let Some(r) =
                            Rect::from_xywh((lx + 6.0) as f32, (y - 9.0) as f32, 22.0, 10.0)
                        {
                            if let Some(c) = &st.fill {
                                pm.fill_rect(
                                    r,
                                    &paint_of(c, st.fill_opacity),
                                    Transform::identity(),
                                    None,
                                );
                            }
                            if let Some(c) = &st.stroke {
                                pm.stroke_path(
                                    &PathBuilder::from_rect(r),
                                    &paint_of(c, 1.0),
                                    &Stroke::default(),
                                    Transform::identity(),
                                    None,
                                );
                            }
                        }
                    }
                    1 => {
                        if let (Some(path), Some(c)) = (
                            poly(&[(lx + 6.0, y - 4.0), (lx + 28.0, y - 4.0)], false),
                            &st.stroke,
                        ) {
                            pm.stroke_path(
                                &path,
                                &paint_of(c, 1.0),
                                &stroke_of(st),
                                Transform::identity(),
                                None,
                            );
                        }
                    }
                    _ => {
                        if let Some(path) =
                            PathBuilder::from_circle((lx + 17.0) as f32, (y - 4.0) as f32, 4.0)
                        {
                            if let Some(c) = &st.fill {
                                pm.fill_path(
                                    &path,
                                    &paint_of(c, 1.0),
                                    FillRule::Winding,
                                    Transform::identity(),
                                    None,
                                );
                            }
                            // Its outline too: a white symbol on the white
                            // legend is seen by its stroke, as on the map.
                            if let Some(c) = &st.stroke {
                                pm.stroke_path(
                                    &path,
                                    &paint_of(c, 1.0),
                                    &Stroke::default(),
                                    Transform::identity(),
                                    None,
                                );
                            }
                        }
                    }
                }
                text(&mut pm, &e.text, lx + 34.0, y - 13.0, 16, false, (0, 0, 0));
            }
        }
        for (i, n) in self
            .notes
            .iter()
            .cloned()
            .chain(Self::labels_note(left_out))
            .enumerate()
        {
            text(
                &mut pm,
                &n,
                MARGIN,
                self.height as f64 - MARGIN + 18.0 + 16.0 * i as f64,
                16,
                false,
                (85, 85, 85),
            );
        }
        pm.encode_png().map_err(|e| MapError::Png(e.to_string()))
    }
}

/// Draw `t` with its top-left at (x, y), from the built-in bitmaps.
fn text(
    pm: &mut tiny_skia::Pixmap,
    t: &str,
    x: f64,
    y: f64,
    size: u8,
    bold: bool,
    rgb: (u8, u8, u8),
) {
    use noto_sans_mono_bitmap::{get_raster, get_raster_width, FontWeight, RasterHeight};
    let weight = if bold {
        FontWeight::Bold
    } else {
        FontWeight::Regular
    };
    let height = match size {
        24.. => RasterHeight::Size24,
        20.. => RasterHeight::Size20,
        _ => RasterHeight::Size16,
    };
    let cw = get_raster_width(weight, height);
    let (pw, ph) = (pm.width() as i64, pm.height() as i64);
    let data = pm.data_mut();
    // Typographic marks the bitmaps lack, by their ASCII look-alikes.
    let plain = t
        .replace(['′', '’'], "'")
        .replace('″', "\"")
        .replace(['—', '–', '−'], "-");
    for (k, ch) in plain.chars().enumerate() {
        let cell_x = x + (k * cw) as f64;
        let Some(r) = get_raster(ch, weight, height).or_else(|| {
            if fallback_glyph(
                data,
                (pw, ph),
                ch,
                (cell_x, y),
                (cw, height.val()),
                bold,
                rgb,
            ) {
                None
            } else {
                get_raster('?', weight, height)
            }
        }) else {
            continue;
        };
        for (row, line) in r.raster().iter().enumerate() {
            for (col, &v) in line.iter().enumerate() {
                if v == 0 {
                    continue;
                }
                let (px, py) = (x as i64 + (k * cw + col) as i64, y as i64 + row as i64);
                if px < 0 || py < 0 || px >= pw || py >= ph {
                    continue;
                }
                blend(data, pw, px, py, v, rgb);
            }
        }
    }
}

/// Source-over of `rgb` at coverage `a` onto the opaque canvas's pixel.
fn blend(data: &mut [u8], pw: i64, px: i64, py: i64, a: u8, rgb: (u8, u8, u8)) {
    let i = ((py * pw + px) * 4) as usize;
    let a = a as u32;
    for (c, s) in [rgb.0, rgb.1, rgb.2].into_iter().enumerate() {
        let d = data[i + c] as u32;
        data[i + c] = ((s as u32 * a + d * (255 - a)) / 255) as u8;
    }
    data[i + 3] = 255;
}

/// Draw `ch` from the embedded Hack face into the cell whose top-left is
/// `at`, `cell` = (width, height) pixels: scaled so that its advance is
/// the cell's width (Hack is monospaced, so every glyph keeps the bitmap
/// font's column grid), its ascent and descent centred in the cell's
/// height. Bold is emulated by drawing twice, 0.7 px apart. False if
/// Hack has no such character either.
fn fallback_glyph(
    data: &mut [u8],
    (pw, ph): (i64, i64),
    ch: char,
    at: (f64, f64),
    cell: (usize, usize),
    bold: bool,
    rgb: (u8, u8, u8),
) -> bool {
    use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
    let Ok(font) = FontRef::try_from_slice(epaint_default_fonts::HACK_REGULAR) else {
        return false;
    };
    let id = font.glyph_id(ch);
    if id.0 == 0 {
        return false;
    }
    let unit = font.as_scaled(PxScale::from(1.0));
    let advance = unit.h_advance(id);
    let line = unit.ascent() - unit.descent();
    if advance <= 0.0 || line <= 0.0 {
        return false;
    }
    let px = (cell.0 as f32 / advance).min(cell.1 as f32 / line);
    let scaled = font.as_scaled(PxScale::from(px));
    let baseline = at.1 as f32
        + (cell.1 as f32 - (scaled.ascent() - scaled.descent())) / 2.0
        + scaled.ascent();
    let passes: &[f32] = if bold { &[0.0, 0.7] } else { &[0.0] };
    for dx in passes {
        let glyph = id.with_scale_and_position(
            PxScale::from(px),
            ab_glyph::point(at.0 as f32 + dx, baseline),
        );
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let b = outline.px_bounds();
        outline.draw(|gx, gy, c| {
            let (x, y) = (b.min.x as i64 + gx as i64, b.min.y as i64 + gy as i64);
            if x >= 0 && y >= 0 && x < pw && y < ph && c > 0.0 {
                blend(data, pw, x, y, (c.min(1.0) * 255.0).round() as u8, rgb);
            }
        });
    }
    true
}

fn rgb(c: &str) -> (u8, u8, u8) {
    let h = c.trim_start_matches('#');
    let v = |i: usize| u8::from_str_radix(h.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    (v(0), v(2), v(4))
}

fn pts(p: &[(f64, f64)]) -> String {
    let mut s = String::new();
    for (x, y) in p {
        let _ = write!(s, "{x:.1},{y:.1} ");
    }
    s
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// "40°30′N".
fn dm(v: f64, pos: char, neg: char) -> String {
    let h = if v >= 0.0 { pos } else { neg };
    let m = (v.abs() * 60.0).round() as i64;
    if m % 60 == 0 {
        format!("{}°{h}", m / 60)
    } else {
        format!("{}°{:02}′{h}", m / 60, m % 60)
    }
}

fn length_label(m: f64) -> String {
    if m >= 1000.0 {
        format!("{} km", m / 1000.0)
    } else {
        format!("{m} m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The legend keeps the bottom-right corner while nothing is drawn
    /// there, and leaves it for a free corner when a line runs through
    /// it (the end of a line under the legend, as on a compromise's
    /// overview).
    #[test]
    fn the_legend_goes_where_it_hides_nothing() {
        let legend_rect = |svg: &str| -> (f64, f64) {
            let at = svg.find("fill-opacity=\"0.9\" stroke=\"#666\"").unwrap();
            let rect = &svg[svg[..at].rfind("<rect").unwrap()..at];
            let num = |k: &str| -> f64 {
                let i = rect.find(k).unwrap() + k.len();
                rect[i..].split('"').next().unwrap().parse().unwrap()
            };
            (num("x=\""), num("y=\""))
        };
        let bounds = (40.0, 45.0, 40.2, 45.3);
        let mut clear = Map::new("Legend", bounds, 640, 480);
        // A line across the top half only.
        clear.line(
            &[(40.18, 45.0), (40.18, 45.3)],
            Style::line("#000000", 2.0),
            Some("top"),
        );
        let (x, y) = legend_rect(&clear.to_svg());
        assert!(x > 320.0 && y > 240.0, "{x} {y}");
        // The same and a line into the bottom-right corner.
        let mut busy = clear.clone();
        busy.line(
            &[(40.1, 45.15), (40.0, 45.3)],
            Style::line("#ff0000", 2.0),
            Some("corner"),
        );
        // The top-left corner is crossed by the top line too: bottom
        // left, above the scale bar, which neither line reaches.
        let (x, y) = legend_rect(&busy.to_svg());
        assert!(x < 320.0 && y > 240.0, "{x} {y}");
    }

    /// Thirty labelled points on one spot: four labels fit round it
    /// (right, left, above, below), none covering another or a point's
    /// symbol; the other 26 are left out and both renderings say so.
    #[test]
    fn labels_never_cover_each_other_and_those_left_out_are_counted() {
        let mut map = Map::new("Labels", (40.0, 45.0, 40.2, 45.3), 640, 480);
        for k in 0..30 {
            map.point(
                (40.1, 45.15),
                3.0,
                Style::area("#ffffff", 1.0, "#000000"),
                Some(&format!("place {k}")),
                Some("place"),
            );
        }
        // A lone point far from the cluster keeps its label.
        map.point(
            (40.02, 45.02),
            3.0,
            Style::area("#ffffff", 1.0, "#000000"),
            Some("alone"),
            None,
        );
        let (at, left_out) = map.label_places();
        assert_eq!(left_out, 26);
        assert_eq!(at.iter().flatten().count(), 5);
        assert!(at[30].is_some());
        let cw = noto_sans_mono_bitmap::get_raster_width(
            noto_sans_mono_bitmap::FontWeight::Regular,
            noto_sans_mono_bitmap::RasterHeight::Size16,
        ) as f64;
        let boxes: Vec<[f64; 4]> = at
            .iter()
            .zip(&map.features)
            .filter_map(|(a, f)| {
                let (lx, by) = (*a)?;
                let w = f.label.as_ref()?.chars().count() as f64 * cw;
                Some([lx, by - 11.0, lx + w, by + 2.0])
            })
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(
                    !(a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]),
                    "{a:?} covers {b:?}"
                );
            }
        }
        let svg = map.to_svg();
        assert!(svg.contains("26 label(s) left out"));
        assert_eq!(svg.matches(r#"font-size="11">place "#).count(), 4);
        // Three notes: the canvas grows a line below the map, and the map
        // is still drawn (a red line across it).
        map.line(
            &[(40.05, 45.05), (40.15, 45.25)],
            Style::line("#ff0000", 3.0),
            None,
        );
        map.note("first");
        map.note("second");
        let png = tiny_skia::Pixmap::decode_png(&map.to_png().unwrap()).unwrap();
        assert_eq!((png.width(), png.height()), (640, 480 + 16));
        let red = png
            .pixels()
            .iter()
            .filter(|p| p.red() > 200 && p.green() < 60 && p.blue() < 60)
            .count();
        assert!(red > 100, "{red} red pixels");
        assert!(map.to_svg().contains(r#"height="496""#));
    }

    /// Cyrillic (and Armenian) text is drawn, not '?': each letter's ink
    /// stays inside its monospaced cell, differs from the '?' drawn for a
    /// character no face has, and a letter the bitmaps have (Latin "A")
    /// is drawn as before.
    #[test]
    fn cyrillic_and_armenian_letters_are_drawn_in_the_png() {
        let ink = |t: &str| {
            let mut pm = tiny_skia::Pixmap::new(200, 40).unwrap();
            pm.fill(tiny_skia::Color::WHITE);
            text(&mut pm, t, 10.0, 10.0, 16, false, (0, 0, 0));
            let dark: Vec<(u32, u32)> = pm
                .data()
                .chunks(4)
                .enumerate()
                .filter(|(_, p)| p[0] < 128)
                .map(|(i, _)| (i as u32 % 200, i as u32 / 200))
                .collect();
            dark
        };
        let cw = noto_sans_mono_bitmap::get_raster_width(
            noto_sans_mono_bitmap::FontWeight::Regular,
            noto_sans_mono_bitmap::RasterHeight::Size16,
        ) as u32;
        let question = ink("?");
        assert!(!question.is_empty());
        for letter in ["Ж", "л", "Դ"] {
            let d = ink(letter);
            assert!(d.len() > 8, "{letter}: {} dark pixels", d.len());
            assert_ne!(d, question, "{letter} drawn as '?'");
            assert!(
                d.iter()
                    .all(|&(x, y)| (10..11 + cw).contains(&x) && (10..27).contains(&y)),
                "{letter} leaves its cell: {d:?}"
            );
        }
        // A character no face has is still '?', and Latin is unchanged.
        assert_eq!(ink("\u{10FFFD}"), question);
        let a = ink("A");
        let second: Vec<_> = ink("ЖA")
            .into_iter()
            .filter(|&(x, _)| x >= 10 + cw)
            .map(|(x, y)| (x - cw, y))
            .collect();
        assert_eq!(second, a);
    }

    /// The scale bar's length in pixels is its ground length at the map's
    /// scale: measured against a geodesic drawn on the map.
    #[test]
    fn scale_bar_matches_the_ground() {
        let map = Map::new("t", (40.0, 45.0, 40.5, 45.6), 800, 600);
        let (len, px) = map.scale_bar();
        // A point `len` metres east of the centre, by the geodesic direct problem.
        let g = Ellipsoid::WGS84.geodesic();
        use terminus_geodesy::measure::DirectGeodesic;
        let (lat2, lon2, _): (f64, f64, f64) = g.direct(40.25, 45.3, 90.0, len);
        let (a, b) = (map.px((40.25, 45.3)), map.px((lat2, lon2)));
        let drawn = (b.0 - a.0).hypot(b.1 - a.1);
        assert!(
            (drawn - px).abs() / px < 1e-3,
            "{drawn} px vs bar {px} px for {len} m"
        );
        assert!([1.0, 2.0, 5.0]
            .iter()
            .any(|m| (len / 10f64.powf(len.log10().floor()) - m).abs() < 1e-9));
    }

    /// North is up on the central meridian and leans with the convergence off it.
    #[test]
    fn north_arrow_follows_the_meridian() {
        let map = Map::new("t", (40.0, 44.0, 41.0, 48.0), 800, 600);
        let centre = map.px((40.5, 46.0));
        assert!(map.north_rotation(centre).abs() < 1e-6);
        let east = map.px((40.5, 47.5));
        // Convergence ≈ Δλ·sin φ = 1.5°·sin 40.5° ≈ 0.97°: meridians lean towards the centre.
        let rot = map.north_rotation(east).to_degrees();
        assert!((rot + 0.974).abs() < 0.02, "{rot}");
    }

    #[test]
    fn degrees_and_minutes() {
        assert_eq!(dm(40.5, 'N', 'S'), "40°30′N");
        assert_eq!(dm(-45.0, 'E', 'W'), "45°W");
    }
}

/// Standard base64 (RFC 4648, with padding): the relief's PNG inside the
/// SVG.
fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= c.len() {
                out.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod relief_tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn relief_shades_the_frame_and_reaches_both_drawings() {
        let mut map = Map::new("Relief", (40.0, 45.0, 40.2, 45.3), 400, 300);
        // Dark in the west half, lit in the east.
        map.relief(|(_, lon)| Some(if lon < 45.15 { 0.0 } else { 1.0 }));
        let png = map.to_png().unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let grey = map.relief.as_ref().unwrap();
        let at = |x: usize, y: usize| grey[y * 400 + x];
        // Margins unshaded; the frame's west dark (40 %), its east white.
        assert_eq!(at(10, 10), 255);
        assert_eq!(at(70, 150), 102);
        assert_eq!(at(330, 150), 255);
        assert!(map.to_svg().contains("data:image/png;base64,iVBORw0KGgo"));
    }
}
