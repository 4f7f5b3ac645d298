//! Pillar planning along a delimited line.
//!
//! The line's vertices are its turning points: each gets a main pillar,
//! unless it lies closer than `min_spacing` to the pillar before it (or to
//! a crossing or bank pillar after it): such a turning point is *merged* —
//! it stays a vertex of the line, unmonumented, described from the pillar
//! it was merged into by distance and azimuth (`Plan::merged`). The ends
//! of the line always get their pillars.
//! Where the line crosses a road, river or track (given as lines) a pillar
//! marks the crossing. Where the line runs in water (given as polygons) no
//! pillar stands in it: pillars mark where the line meets each bank, and
//! pairs of pillars on both banks — each with its offset from the line —
//! mark it every `max_spacing` along the water and at each turning point in
//! it. Between those fixed pillars, intermediates are placed so that the
//! spacing never exceeds `max_spacing` and, with a DEM, every pillar sees
//! the next: evenly where the ground allows; where not, at the best visible
//! point (highest ground, then least slope) off slopes steeper than the
//! limit and out of water, within `move_tolerance` of the even spot when
//! possible, anywhere within reach otherwise. What could not be met is
//! reported in the plan's warnings, never hidden.
//!
//! Distances along the line ("chainage") are geodesic; every pillar lies on
//! the line's geodesic segments, found by the direct problem (nm-exact).

use crate::los::{line_of_sight, SightSettings};
use crate::sampler::DemSampler;
use crate::DemarcationError;
use serde::Serialize;
use terminus_geodesy::geodesic::intersect_segments;
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::{Ellipsoid, Geodesic};

/// How pillars are numbered: `TG-012` for main pillars, `TG-012/1` for the
/// pillars after main pillar 12, `TG-012/3a` and `/3b` for a pair on the
/// left and right banks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbering {
    /// Section code, e.g. "TG" (Tavush–Gazakh).
    pub prefix: String,
    /// Digits of main numbers (zero-padded).
    pub digits: usize,
    /// Number of the first main pillar.
    pub start: u32,
}

impl Default for Numbering {
    fn default() -> Self {
        Numbering {
            prefix: "P".into(),
            digits: 3,
            start: 1,
        }
    }
}

impl Numbering {
    fn main(&self, k: u32) -> String {
        format!("{}-{:0w$}", self.prefix, k, w = self.digits)
    }
}

/// A line the boundary crosses: a road, river, track.
#[derive(Debug, Clone)]
pub struct Crossing {
    /// What it is ("road", "river", "track").
    pub kind: String,
    /// Its name, if known.
    pub name: Option<String>,
    /// Its vertices, (lat, lon).
    pub line: Vec<(f64, f64)>,
}

/// A water area (river, lake) as a polygon: outer ring then holes, (lat, lon).
#[derive(Debug, Clone)]
pub struct Water {
    /// Its name, if known.
    pub name: Option<String>,
    /// Rings, each closed or not.
    pub rings: Vec<Vec<(f64, f64)>>,
}

impl Water {
    /// Whether (lat, lon) lies in the water (even–odd rule on the rings,
    /// in latitude/longitude: the rings' edges are short).
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let mut inside = false;
        for ring in &self.rings {
            let n = ring.len();
            if n < 3 {
                continue;
            }
            let mut j = n - 1;
            for i in 0..n {
                let (yi, xi) = ring[i];
                let (yj, xj) = ring[j];
                if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                    inside = !inside;
                }
                j = i;
            }
        }
        inside
    }
}

/// Planning parameters.
#[derive(Debug, Clone)]
pub struct PlanSettings {
    /// Largest distance between consecutive pillars, metres (500).
    pub max_spacing: f64,
    /// Smallest geodesic distance between consecutive pillars, metres (50;
    /// at most half of `max_spacing`): turning points closer together are
    /// merged, intermediates keep it. Crossing and bank pillars mark what
    /// they mark wherever it is; two of them closer than this are warned of.
    pub min_spacing: f64,
    /// Heights of the sight between pillars (observer over one pillar,
    /// target the next) and the refraction.
    pub sight: SightSettings,
    /// Steepest ground a pillar may stand on, degrees (30).
    pub max_slope_deg: f64,
    /// How far a pillar may move along the line from its even spot to
    /// reach better ground, metres (50).
    pub move_tolerance: f64,
    /// Numbering.
    pub numbering: Numbering,
}

impl Default for PlanSettings {
    fn default() -> Self {
        PlanSettings {
            max_spacing: 500.0,
            min_spacing: 50.0,
            sight: SightSettings {
                height_from: 1.5,
                height_to: 1.5,
                ..SightSettings::default()
            },
            max_slope_deg: 30.0,
            move_tolerance: 50.0,
            numbering: Numbering::default(),
        }
    }
}

/// What a pillar marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PillarType {
    /// A turning point of the line.
    Main,
    /// Between fixed pillars, for spacing and sight.
    Intermediate,
    /// Where the line crosses a road, river or track.
    Crossing,
    /// On a bank where the line enters or leaves water, or one of a pair
    /// on both banks of water the line runs in.
    Bank,
    /// A turning point of the line with no pillar of its own (closer than
    /// the minimum spacing to one): a catalogue row, described from its
    /// pillar, never built.
    Unmarked,
}

impl PillarType {
    /// Lower-case name, as in the catalogue.
    pub fn name(self) -> &'static str {
        match self {
            PillarType::Main => "main",
            PillarType::Intermediate => "intermediate",
            PillarType::Crossing => "crossing",
            PillarType::Bank => "bank",
            PillarType::Unmarked => "unmarked",
        }
    }

    /// Whether a pillar stands there (all but unmarked turning points).
    pub fn marked(self) -> bool {
        self != PillarType::Unmarked
    }
}

/// A planned pillar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedPillar {
    /// Number, e.g. "TG-012/1".
    pub number: String,
    /// What it marks.
    pub kind: PillarType,
    /// Latitude, degrees (WGS 84).
    pub lat: f64,
    /// Longitude, degrees (WGS 84).
    pub lon: f64,
    /// Distance along the line from its start, metres (of the line point
    /// the pillar marks, for bank pairs).
    pub chainage_m: f64,
    /// Geodesic offset from the line, metres (0 for pillars on it).
    pub offset_m: f64,
    /// Side of the line: +1 left, −1 right, 0 on it.
    pub side: i8,
    /// Ground height from the DEM, metres.
    pub ground_m: Option<f64>,
    /// Ground slope from the DEM, degrees.
    pub slope_deg: Option<f64>,
    /// What it marks, in words ("road crossing: M16", "left bank of the Aras").
    pub note: Option<String>,
}

/// A turning point given no pillar of its own: closer than the minimum
/// spacing to a pillar, which it is described from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergedTurningPoint {
    /// Its catalogue number: the main pillar before it and `/T`k, e.g.
    /// "TG-012/T1".
    pub number: String,
    /// Its number among the line's vertices (1 = the start).
    pub turning_point: usize,
    /// Latitude, degrees (WGS 84).
    pub lat: f64,
    /// Longitude, degrees (WGS 84).
    pub lon: f64,
    /// Distance along the line, metres.
    pub chainage_m: f64,
    /// The pillar it is described from.
    pub pillar: String,
    /// Geodesic distance from that pillar, metres.
    pub distance_m: f64,
    /// Azimuth from that pillar to it, degrees clockwise from north.
    pub azimuth_deg: f64,
}

/// A pillar plan for one section.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Pillars in order along the line.
    pub pillars: Vec<PlannedPillar>,
    /// Turning points without a pillar (closer than the minimum spacing to
    /// one), each described from its pillar.
    pub merged: Vec<MergedTurningPoint>,
    /// The settings' minimum spacing, metres.
    pub min_spacing_m: f64,
    /// The line's geodesic length, metres.
    pub length_m: f64,
    /// The line's vertices, (lat, lon).
    #[serde(skip)]
    pub line: Vec<(f64, f64)>,
    /// Whether a DEM was used (sight and slope checked).
    pub dem_used: bool,
    /// Requirements that could not be met, and where.
    pub warnings: Vec<String>,
    /// The settings' spacing.
    pub max_spacing_m: f64,
}

/// The line with its cumulative chainage.
pub(crate) struct Chain {
    pub pts: Vec<(f64, f64)>,
    pub cum: Vec<f64>,
    pub azi: Vec<f64>,
    geod: Geodesic,
}

impl Chain {
    pub fn new(pts: &[(f64, f64)], geod: Geodesic) -> Chain {
        let mut cum = vec![0.0];
        let mut azi = Vec::new();
        for w in pts.windows(2) {
            let (s, a1, _a2, _): (f64, f64, f64, f64) =
                geod.inverse(w[0].0, w[0].1, w[1].0, w[1].1);
            cum.push(cum.last().copied().unwrap_or(0.0) + s);
            azi.push(a1);
        }
        Chain {
            pts: pts.to_vec(),
            cum,
            azi,
            geod,
        }
    }

    pub fn length(&self) -> f64 {
        self.cum.last().copied().unwrap_or(0.0)
    }

    /// Segment index holding chainage `c`.
    fn segment(&self, c: f64) -> usize {
        let n = self.pts.len() - 1;
        match self.cum.binary_search_by(|v| v.total_cmp(&c)) {
            Ok(i) => i.min(n - 1),
            Err(i) => i.saturating_sub(1).min(n - 1),
        }
    }

    /// (lat, lon, azimuth of the line there) at chainage `c`.
    pub fn at(&self, c: f64) -> (f64, f64, f64) {
        let i = self.segment(c);
        let d = c - self.cum[i];
        if d == 0.0 {
            return (self.pts[i].0, self.pts[i].1, self.azi[i]);
        }
        if (self.cum[i + 1] - c).abs() == 0.0 {
            let (_, _, a2, _): (f64, f64, f64, f64) = self.geod.inverse(
                self.pts[i].0,
                self.pts[i].1,
                self.pts[i + 1].0,
                self.pts[i + 1].1,
            );
            return (self.pts[i + 1].0, self.pts[i + 1].1, a2);
        }
        let (lat, lon, azi): (f64, f64, f64) =
            self.geod
                .direct(self.pts[i].0, self.pts[i].1, self.azi[i], d);
        (lat, lon, azi)
    }
}

/// Plan pillars along `line` ((lat, lon) WGS 84, vertices = turning
/// points), with an optional DEM, crossings and water.
pub fn plan(
    line: &[(f64, f64)],
    dem: Option<&DemSampler>,
    crossings: &[Crossing],
    water: &[Water],
    settings: &PlanSettings,
) -> Result<Plan, DemarcationError> {
    check_settings(settings)?;
    if line.len() < 2 {
        return Err(DemarcationError::BadParameter(format!(
            "a line needs at least two turning points; this one has {}",
            line.len()
        )));
    }
    for (i, p) in line.iter().enumerate() {
        if !(p.0.is_finite() && p.1.is_finite() && p.0.abs() <= 90.0 && p.1.abs() <= 180.0) {
            return Err(DemarcationError::BadParameter(format!(
                "turning point {} ({}, {}) is not a latitude/longitude",
                i + 1,
                p.0,
                p.1
            )));
        }
    }
    let geod = Ellipsoid::WGS84.geodesic();
    // Drop repeated vertices: a zero-length segment has no direction.
    let mut pts: Vec<(f64, f64)> = Vec::with_capacity(line.len());
    for &p in line {
        if pts.last() != Some(&p) {
            pts.push(p);
        }
    }
    if pts.len() < 2 {
        return Err(DemarcationError::BadParameter(
            "the line's turning points all coincide".into(),
        ));
    }
    let chain = Chain::new(&pts, geod);
    let length = chain.length();
    let mut warnings = Vec::new();
    if let Some(d) = dem {
        // The whole line must lie on the DEM: say where it leaves.
        let step = settings.max_spacing / 10.0;
        let n = (length / step).ceil() as usize;
        for k in 0..=n {
            let c = (k as f64 * step).min(length);
            let (lat, lon, _) = chain.at(c);
            d.height_or_error(lat, lon, &format!("the line at {c:.0} m from its start"))?;
        }
    }

    // Fixed stations.
    let mut stations: Vec<Station> = Vec::new();
    for (i, &c) in chain.cum.iter().enumerate() {
        stations.push(Station {
            chainage: c,
            kind: PillarType::Main,
            note: None,
            turning: Some(i),
        });
    }
    for x in crossings {
        for w in x.line.windows(2) {
            if w[0] == w[1] {
                continue;
            }
            for (i, s) in pts.windows(2).enumerate() {
                if !boxes_meet(w[0], w[1], s[0], s[1]) {
                    continue;
                }
                if let Some(hit) = intersect_segments(
                    &geod,
                    terminus_geodesy::LatLon::from_pair(s[0]),
                    terminus_geodesy::LatLon::from_pair(s[1]),
                    terminus_geodesy::LatLon::from_pair(w[0]),
                    terminus_geodesy::LatLon::from_pair(w[1]),
                )? {
                    if hit.within_both {
                        let what = match &x.name {
                            Some(n) => format!("{} crossing: {n}", x.kind),
                            None => format!("{} crossing", x.kind),
                        };
                        stations.push(Station {
                            chainage: chain.cum[i] + hit.along_first.max(0.0),
                            kind: PillarType::Crossing,
                            note: Some(what),
                            turning: None,
                        });
                    }
                }
            }
        }
    }
    // Water stretches along the line.
    let wet = water_stretches(&chain, water, &geod)?;
    stations.sort_by(|a, b| a.chainage.total_cmp(&b.chainage));
    // Stations inside water cannot be built; crossings within 1 m of a
    // turning point are the turning point.
    let in_wet = |c: f64| wet.iter().any(|w| c > w.from + 1e-6 && c < w.to - 1e-6);
    let mut fixed: Vec<Station> = Vec::new();
    // Turning points within a metre of the station before them are that
    // station (listed as merged into it, never dropped unsaid).
    let mut coincident: Vec<(usize, f64)> = Vec::new();
    for s in stations {
        if in_wet(s.chainage) {
            if s.kind == PillarType::Main {
                warnings.push(format!(
                    "turning point {} lies in water ({}): marked by a pair of bank pillars",
                    s.turning.map(|t| t + 1).unwrap_or(0),
                    wet.iter()
                        .find(|w| s.chainage > w.from && s.chainage < w.to)
                        .and_then(|w| w.name.clone())
                        .unwrap_or_else(|| "unnamed".into())
                ));
            }
            continue;
        }
        if let Some(last) = fixed.last_mut() {
            if (s.chainage - last.chainage).abs() < 1.0 {
                if s.kind == PillarType::Crossing && last.kind == PillarType::Main {
                    last.note = s.note.clone();
                }
                if let (PillarType::Main, Some(t)) = (s.kind, s.turning) {
                    coincident.push((t, last.chainage));
                }
                continue;
            }
        }
        fixed.push(s);
    }
    for w in &wet {
        for c in [w.from, w.to] {
            if !fixed.iter().any(|s| (s.chainage - c).abs() < 1.0) {
                fixed.push(Station {
                    chainage: c,
                    kind: PillarType::Bank,
                    note: Some(format!(
                        "bank of {}",
                        w.name.clone().unwrap_or_else(|| "the water".into())
                    )),
                    turning: None,
                });
            }
        }
    }
    fixed.sort_by(|a, b| a.chainage.total_cmp(&b.chainage));
    let (fixed, merging) = merge_close(
        fixed,
        coincident,
        &chain,
        pts.len(),
        settings.min_spacing,
        &mut warnings,
    );

    // Walk the fixed stations, filling the dry gaps with intermediates and
    // the wet ones with bank pairs.
    let mut raw: Vec<RawPillar> = Vec::new();
    let mut ctx = Placer {
        chain: &chain,
        dem,
        water,
        settings,
        warnings: &mut warnings,
    };
    for (k, s) in fixed.iter().enumerate() {
        raw.push(ctx.on_line(s.chainage, s.kind, s.note.clone()));
        let Some(next) = fixed.get(k + 1) else { break };
        let mid = (s.chainage + next.chainage) / 2.0;
        if let Some(w) = wet.iter().find(|w| mid > w.from && mid < w.to) {
            ctx.bank_pairs(w, &pts, &chain.cum, &mut raw)?;
        } else {
            ctx.intermediates(s.chainage, next.chainage, &mut raw)?;
        }
    }

    // Numbering: main pillars in sequence, the rest after the last main.
    let nb = &settings.numbering;
    let mut main_no = nb.start.saturating_sub(1);
    let mut sub = 0u32;
    let mut pair_open = false;
    let mut pillars = Vec::with_capacity(raw.len());
    for r in raw {
        let number = if r.kind == PillarType::Main {
            main_no += 1;
            sub = 0;
            nb.main(main_no)
        } else {
            let base = if main_no < nb.start {
                format!("{}-{:0w$}", nb.prefix, 0, w = nb.digits)
            } else {
                nb.main(main_no)
            };
            match r.pair {
                Some(0) => {
                    sub += 1;
                    pair_open = true;
                    format!("{base}/{sub}a")
                }
                Some(_) if pair_open => {
                    pair_open = false;
                    format!("{base}/{sub}b")
                }
                _ => {
                    sub += 1;
                    format!("{base}/{sub}")
                }
            }
        };
        pillars.push(PlannedPillar {
            number,
            kind: r.kind,
            lat: r.lat,
            lon: r.lon,
            chainage_m: r.chainage,
            offset_m: r.offset,
            side: r.side,
            ground_m: r.ground,
            slope_deg: r.slope,
            note: r.note,
        });
    }
    // Each merged turning point described from the pillar at the station
    // it was merged into.
    let mut merged = Vec::with_capacity(merging.len());
    for (turning, into) in merging {
        // Every station kept becomes a pillar on the line, so this finds
        // one; were it not so, the turning point must not vanish.
        let Some(p) = pillars
            .iter()
            .find(|p| p.chainage_m == into && p.offset_m == 0.0)
        else {
            return Err(DemarcationError::BadParameter(format!(
                "turning point {} was merged into a pillar at {into:.3} m along the line that was not placed (report this as a bug, with the line)",
                turning + 1
            )));
        };
        let (lat, lon) = pts[turning];
        let (d, azi, _, _): (f64, f64, f64, f64) = geod.inverse(p.lat, p.lon, lat, lon);
        let c = chain.cum[turning];
        // Numbered after the main pillar before it along the line.
        let base = pillars
            .iter()
            .rev()
            .find(|q| q.kind == PillarType::Main && q.chainage_m <= c)
            .map_or_else(|| nb.main(nb.start), |q| q.number.clone());
        let k = merged
            .iter()
            .filter(|m: &&MergedTurningPoint| m.number.starts_with(&format!("{base}/T")))
            .count()
            + 1;
        merged.push(MergedTurningPoint {
            number: format!("{base}/T{k}"),
            turning_point: turning + 1,
            lat,
            lon,
            chainage_m: chain.cum[turning],
            pillar: p.number.clone(),
            distance_m: d,
            azimuth_deg: azi.rem_euclid(360.0),
        });
    }
    Ok(Plan {
        pillars,
        merged,
        min_spacing_m: settings.min_spacing,
        length_m: length,
        line: pts,
        dem_used: dem.is_some(),
        warnings,
        max_spacing_m: settings.max_spacing,
    })
}

fn check_settings(s: &PlanSettings) -> Result<(), DemarcationError> {
    let bad = |m: String| Err(DemarcationError::BadParameter(m));
    if !(s.max_spacing.is_finite() && (1.0..=100_000.0).contains(&s.max_spacing)) {
        return bad(format!(
            "maximum spacing {} m: expected 1 m to 100 km",
            s.max_spacing
        ));
    }
    // Half the maximum at most: a gap just over the maximum is split in two.
    if !(s.min_spacing.is_finite() && s.min_spacing >= 0.0 && s.min_spacing <= s.max_spacing / 2.0)
    {
        return bad(format!(
            "minimum spacing {} m: expected 0 to half the maximum spacing ({} m)",
            s.min_spacing,
            s.max_spacing / 2.0
        ));
    }
    if !(0.0..=90.0).contains(&s.max_slope_deg) {
        return bad(format!(
            "slope limit {}°: expected 0 to 90°",
            s.max_slope_deg
        ));
    }
    if !(s.move_tolerance.is_finite() && s.move_tolerance >= 0.0) {
        return bad(format!(
            "move tolerance {} m: must be ≥ 0",
            s.move_tolerance
        ));
    }
    if s.numbering.prefix.is_empty() || s.numbering.digits == 0 || s.numbering.digits > 9 {
        return bad("numbering needs a prefix and 1–9 digits".into());
    }
    s.sight.check()
}

/// The fixed stations with turning points too close to their neighbours
/// merged: a main station (not an end of the line) within `min` (geodesic)
/// of the last station kept, or of a crossing or bank station after it,
/// gets no pillar. Returns the stations kept and, for each merged turning
/// point, (its vertex, the chainage of the station it was merged into),
/// after those already `merged` (coincident with a station).
fn merge_close(
    fixed: Vec<Station>,
    mut merged: Vec<(usize, f64)>,
    chain: &Chain,
    vertices: usize,
    min: f64,
    warnings: &mut Vec<String>,
) -> (Vec<Station>, Vec<(usize, f64)>) {
    let at = |c: f64| {
        let (lat, lon, _) = chain.at(c);
        (lat, lon)
    };
    let dist = |a: f64, b: f64| -> f64 {
        let (p, q) = (at(a), at(b));
        chain.geod.inverse(p.0, p.1, q.0, q.1)
    };
    let movable = |s: &Station| {
        s.kind == PillarType::Main && s.turning.is_some_and(|t| t != 0 && t + 1 != vertices)
    };
    let mut kept: Vec<Station> = Vec::with_capacity(fixed.len());
    for s in fixed {
        if movable(&s) {
            match kept.last() {
                Some(last) if dist(last.chainage, s.chainage) < min => {
                    merged.push((s.turning.unwrap_or_default(), last.chainage));
                }
                _ => kept.push(s),
            }
            continue;
        }
        // A station that must stand: the turning points kept just before
        // it and too close give way to it.
        while let Some(last) = kept.last() {
            if movable(last) && dist(last.chainage, s.chainage) < min {
                let gone = kept.pop().and_then(|l| l.turning).unwrap_or_default();
                merged.push((gone, s.chainage));
                // What had merged into the one removed now hangs on this.
                for m in merged.iter_mut().filter(|m| m.1 == chain.cum[gone]) {
                    m.1 = s.chainage;
                }
            } else {
                break;
            }
        }
        if let Some(last) = kept.last() {
            let d = dist(last.chainage, s.chainage);
            if d < min {
                warnings.push(format!(
                    "pillars at {:.0} m and {:.0} m along the line are {d:.1} m apart, closer than the minimum spacing ({min} m): both mark what must be marked ({} and {})",
                    last.chainage,
                    s.chainage,
                    last.kind.name(),
                    s.kind.name()
                ));
            }
        }
        kept.push(s);
    }
    merged.sort_by_key(|m| m.0);
    (kept, merged)
}

fn boxes_meet(a1: (f64, f64), b1: (f64, f64), a2: (f64, f64), b2: (f64, f64)) -> bool {
    // Degrees with a margin: geodesics bulge past their ends' box by less.
    let m = 1e-3;
    let (lo1, hi1) = (a1.0.min(b1.0) - m, a1.0.max(b1.0) + m);
    let (lo2, hi2) = (a2.0.min(b2.0) - m, a2.0.max(b2.0) + m);
    let (xl1, xh1) = (a1.1.min(b1.1) - m, a1.1.max(b1.1) + m);
    let (xl2, xh2) = (a2.1.min(b2.1) - m, a2.1.max(b2.1) + m);
    lo1 <= hi2 && lo2 <= hi1 && xl1 <= xh2 && xl2 <= xh1
}

struct Station {
    chainage: f64,
    kind: PillarType,
    note: Option<String>,
    turning: Option<usize>,
}

struct RawPillar {
    kind: PillarType,
    lat: f64,
    lon: f64,
    chainage: f64,
    offset: f64,
    side: i8,
    ground: Option<f64>,
    slope: Option<f64>,
    note: Option<String>,
    /// 0 or 1 for the two pillars of a bank pair.
    pair: Option<u8>,
}

/// A stretch of the line inside water.
struct WetStretch {
    from: f64,
    to: f64,
    name: Option<String>,
    water: usize,
}

fn water_stretches(
    chain: &Chain,
    water: &[Water],
    geod: &Geodesic,
) -> Result<Vec<WetStretch>, DemarcationError> {
    let mut out = Vec::new();
    for (wi, w) in water.iter().enumerate() {
        // Breakpoints: where the line crosses the water's rings.
        let mut cuts = vec![0.0, chain.length()];
        for ring in &w.rings {
            for e in ring.windows(2) {
                if e[0] == e[1] {
                    continue;
                }
                for (i, s) in chain.pts.windows(2).enumerate() {
                    if !boxes_meet(e[0], e[1], s[0], s[1]) {
                        continue;
                    }
                    if let Some(hit) = intersect_segments(
                        geod,
                        terminus_geodesy::LatLon::from_pair(s[0]),
                        terminus_geodesy::LatLon::from_pair(s[1]),
                        terminus_geodesy::LatLon::from_pair(e[0]),
                        terminus_geodesy::LatLon::from_pair(e[1]),
                    )? {
                        if hit.within_both {
                            cuts.push(
                                chain.cum[i]
                                    + hit.along_first.clamp(0.0, chain.cum[i + 1] - chain.cum[i]),
                            );
                        }
                    }
                }
            }
        }
        cuts.sort_by(f64::total_cmp);
        cuts.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
        for p in cuts.windows(2) {
            let (lat, lon, _) = chain.at((p[0] + p[1]) / 2.0);
            if w.contains(lat, lon) {
                match out.last_mut() {
                    Some(WetStretch { to, water, .. })
                        if *water == wi && (*to - p[0]).abs() < 1e-6 =>
                    {
                        *to = p[1]
                    }
                    _ => out.push(WetStretch {
                        from: p[0],
                        to: p[1],
                        name: w.name.clone(),
                        water: wi,
                    }),
                }
            }
        }
    }
    out.sort_by(|a, b| a.from.total_cmp(&b.from));
    Ok(out)
}

struct Placer<'a, 'b> {
    chain: &'a Chain,
    dem: Option<&'a DemSampler<'a>>,
    water: &'a [Water],
    settings: &'a PlanSettings,
    warnings: &'b mut Vec<String>,
}

impl Placer<'_, '_> {
    fn ground(&self, lat: f64, lon: f64) -> (Option<f64>, Option<f64>) {
        match self.dem {
            Some(d) => (d.height(lat, lon).ok(), d.slope_deg(lat, lon)),
            None => (None, None),
        }
    }

    fn on_line(&self, c: f64, kind: PillarType, note: Option<String>) -> RawPillar {
        let (lat, lon, _) = self.chain.at(c);
        let (ground, slope) = self.ground(lat, lon);
        RawPillar {
            kind,
            lat,
            lon,
            chainage: c,
            offset: 0.0,
            side: 0,
            ground,
            slope,
            note,
            pair: None,
        }
    }

    fn wet(&self, lat: f64, lon: f64) -> bool {
        self.water.iter().any(|w| w.contains(lat, lon))
    }

    fn sees(&self, a: f64, b: f64) -> bool {
        let Some(d) = self.dem else { return true };
        let (la, lo, _) = self.chain.at(a);
        let (lb, lob, _) = self.chain.at(b);
        line_of_sight(d, (la, lo), (lb, lob), &self.settings.sight)
            .map(|s| s.visible)
            .unwrap_or(false)
    }

    /// Whether a pillar at chainage `c` keeps the minimum spacing (geodesic)
    /// from the pillars at `a` and `b`.
    fn spaced(&self, a: f64, c: f64, b: f64) -> bool {
        let min = self.settings.min_spacing;
        if min == 0.0 {
            return true;
        }
        let p = self.chain.at(c);
        [a, b].iter().all(|&o| {
            let q = self.chain.at(o);
            let d: f64 = self.chain.geod.inverse(p.0, p.1, q.0, q.1);
            d >= min
        })
    }

    /// Whether a pillar may stand at chainage `c` (dry, not too steep).
    fn buildable(&self, c: f64) -> bool {
        let (lat, lon, _) = self.chain.at(c);
        if self.wet(lat, lon) {
            return false;
        }
        match self.ground(lat, lon).1 {
            Some(s) => s <= self.settings.max_slope_deg,
            None => true,
        }
    }

    /// Intermediates strictly between chainages `a` and `b`.
    fn intermediates(
        &mut self,
        a: f64,
        b: f64,
        out: &mut Vec<RawPillar>,
    ) -> Result<(), DemarcationError> {
        let s_max = self.settings.max_spacing;
        let min = self.settings.min_spacing;
        let tol = self.settings.move_tolerance;
        let step = match self.dem {
            Some(d) => {
                let (lat, _, _) = self.chain.at(a);
                let (ew, ns) = d.cell_metres(lat);
                (ew.min(ns) / 2.0).clamp(1.0, s_max / 10.0)
            }
            None => s_max / 10.0,
        };
        let mut cur = a;
        let mut guard = 0usize;
        loop {
            guard += 1;
            if guard > 1_000_000 {
                return Err(DemarcationError::BadParameter(
                    "pillar placement did not finish (over a million pillars)".into(),
                ));
            }
            let remaining = b - cur;
            // Within reach and in sight: done. (1 mm slack for rounding.)
            if remaining <= s_max - 1e-6 && self.sees(cur, b) {
                return Ok(());
            }
            // No pillar fits between two closer than twice the minimum.
            if remaining < 2.0 * min {
                let (lat, lon, _) = self.chain.at(cur);
                self.warnings.push(format!(
                    "the pillars at {cur:.0} m and {b:.0} m along the line ({lat:.6}, {lon:.6}) do not see each other, and no pillar fits between them at the minimum spacing ({min} m)"
                ));
                return Ok(());
            }
            let pieces = ((remaining / s_max).ceil()).max(2.0);
            let ideal = cur + remaining / pieces;
            // 1 µm inside the limit: chainage and the positions computed
            // from it agree to nanometres, not exactly.
            let reach = (cur + s_max - 1e-6).min(b - 1e-3);
            let ok = |p: &Self, c: f64| {
                c > cur + 1e-3
                    && c <= reach
                    && p.spaced(cur, c, b)
                    && p.buildable(c)
                    && p.sees(cur, c)
            };
            let next = if ok(self, ideal) {
                Some(ideal)
            } else {
                // The best point near the even spot; else the best in the
                // far half of the reach (so the line is not crept along in
                // short steps); else the best anywhere within reach.
                let near: Vec<f64> = samples(ideal - tol, ideal + tol, step);
                let far_half: Vec<f64> = samples(cur + (reach - cur) / 2.0, reach, step);
                let all: Vec<f64> = samples(cur + step, reach, step);
                self.best(&near, &ok)
                    .or_else(|| self.best(&far_half, &ok))
                    .or_else(|| self.best(&all, &ok))
            };
            let next = match next {
                Some(c) => c,
                None => {
                    // Nothing buildable in sight: take the farthest point in
                    // sight regardless of slope or water, else the next sample.
                    let far: Vec<f64> = samples(cur + step, reach, step);
                    let seen = |p: &Self, c: f64| {
                        c > cur && c <= reach && p.spaced(cur, c, b) && p.sees(cur, c)
                    };
                    match far.iter().rev().copied().find(|&c| seen(self, c)) {
                        Some(c) => {
                            let (lat, lon, _) = self.chain.at(c);
                            self.warnings.push(format!(
                                "no buildable ground in sight between {cur:.0} m and {reach:.0} m along the line: pillar at {c:.0} m ({lat:.6}, {lon:.6}) stands on steep ground or in water"
                            ));
                            c
                        }
                        None => {
                            let c = (cur + step).min(reach);
                            let (lat, lon, _) = self.chain.at(c);
                            self.warnings.push(format!(
                                "no point in sight of the pillar at {cur:.0} m along the line on this DEM: next pillar at {c:.0} m ({lat:.6}, {lon:.6}) does not see it"
                            ));
                            c
                        }
                    }
                }
            };
            out.push(self.on_line(next, PillarType::Intermediate, None));
            cur = next;
        }
    }

    /// The best of `cands` passing `ok`: highest ground, then least slope
    /// (nearest the first candidate without a DEM).
    fn best(&self, cands: &[f64], ok: &dyn Fn(&Self, f64) -> bool) -> Option<f64> {
        let mut best: Option<(f64, f64, f64)> = None;
        for &c in cands {
            if !ok(self, c) {
                continue;
            }
            let (lat, lon, _) = self.chain.at(c);
            let (g, s) = self.ground(lat, lon);
            let key = (g.unwrap_or(0.0), -s.unwrap_or(0.0));
            if best.is_none_or(|(bg, bs, _)| key.0 > bg || (key.0 == bg && key.1 > bs)) {
                best = Some((key.0, key.1, c));
            }
        }
        best.map(|b| b.2)
    }

    /// Pairs of bank pillars along a wet stretch: at each turning point in
    /// it and every `max_spacing` along it, perpendicular to the line.
    fn bank_pairs(
        &mut self,
        w: &WetStretch,
        pts: &[(f64, f64)],
        cum: &[f64],
        out: &mut Vec<RawPillar>,
    ) -> Result<(), DemarcationError> {
        let s_max = self.settings.max_spacing;
        let mut stations: Vec<f64> = cum
            .iter()
            .copied()
            .filter(|&c| c > w.from + 1.0 && c < w.to - 1.0)
            .collect();
        let n = ((w.to - w.from) / s_max).ceil() as usize;
        for k in 1..n {
            stations.push(w.from + (w.to - w.from) * k as f64 / n as f64);
        }
        stations.sort_by(f64::total_cmp);
        stations.dedup_by(|a, b| (*a - *b).abs() < s_max / 4.0);
        let water = &self.water[w.water];
        let geod = Ellipsoid::WGS84.geodesic();
        for c in stations {
            let (lat, lon, azi) = self.chain.at(c);
            for (which, side, turn) in [(0u8, 1i8, -90.0), (1u8, -1i8, 90.0)] {
                match bank_along(&geod, water, (lat, lon), azi + turn)? {
                    Some((blat, blon, off)) => {
                        let (ground, slope) = self.ground(blat, blon);
                        let bank = if side > 0 { "left" } else { "right" };
                        out.push(RawPillar {
                            kind: PillarType::Bank,
                            lat: blat,
                            lon: blon,
                            chainage: c,
                            offset: off,
                            side,
                            ground,
                            slope,
                            note: Some(format!(
                                "{bank} bank of {}, {off:.2} m from the line",
                                w.name.clone().unwrap_or_else(|| "the water".into())
                            )),
                            pair: Some(which),
                        });
                    }
                    None => self.warnings.push(format!(
                        "no {} bank found within 5 km of the line at {c:.0} m ({lat:.6}, {lon:.6})",
                        if side > 0 { "left" } else { "right" }
                    )),
                }
            }
        }
        let _ = pts;
        Ok(())
    }
}

/// Samples from `lo` to `hi` every `step` (both ends included when lo ≤ hi).
fn samples(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    if hi < lo {
        return Vec::new();
    }
    let n = ((hi - lo) / step).ceil() as usize;
    (0..=n).map(|k| (lo + k as f64 * step).min(hi)).collect()
}

/// Where the geodesic from `p` in azimuth `azi` first leaves `water`
/// (within 5 km): (lat, lon, distance).
fn bank_along(
    geod: &Geodesic,
    water: &Water,
    p: (f64, f64),
    azi: f64,
) -> Result<Option<(f64, f64, f64)>, DemarcationError> {
    let (elat, elon): (f64, f64) = geod.direct(p.0, p.1, azi, 5_000.0);
    let mut best: Option<(f64, f64, f64)> = None;
    for ring in &water.rings {
        for e in ring.windows(2) {
            if e[0] == e[1] || !boxes_meet(p, (elat, elon), e[0], e[1]) {
                continue;
            }
            if let Some(hit) = intersect_segments(
                geod,
                terminus_geodesy::LatLon::from_pair(p),
                terminus_geodesy::LatLon::from_pair((elat, elon)),
                terminus_geodesy::LatLon::from_pair(e[0]),
                terminus_geodesy::LatLon::from_pair(e[1]),
            )? {
                if hit.within_both
                    && hit.along_first > 1e-6
                    && best.is_none_or(|b| hit.along_first < b.2)
                {
                    best = Some((hit.lat, hit.lon, hit.along_first));
                }
            }
        }
    }
    Ok(best)
}
