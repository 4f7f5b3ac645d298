//! Line of sight between two points over a DEM, with earth curvature on the
//! ellipsoid and atmospheric refraction.
//!
//! Method. The sight line runs between the two eyes (ground + height above
//! ground) along the geodesic between the points. Relative to the earth's
//! surface, a straight ray bent by refraction (coefficient k, the ratio of
//! the earth's radius to the ray's) sinks by
//!
//! ```text
//! drop(d) = d (D − d) (1 − k) / (2 R)
//! ```
//!
//! at distance d of D below the linear interpolation of the eyes' heights,
//! with R the radius of the normal section in the line's azimuth at its
//! midpoint (Euler's formula on the ellipsoid). Over flat ground this is the
//! textbook d²(1 − k)/(2R) seen from either end. The clearance at each
//! profile sample is the sight line's height minus the terrain's; the
//! target is visible when no sample strictly between the ends has a
//! clearance below −1 µm ([`GRAZE_M`]: the rounding of interpolated heights
//! must not decide a grazing sight). Samples are spaced at most half the smaller ground
//! cell size (or as asked), heights bilinear between cell centres.
//!
//! Symmetry by construction: the pair is put in a canonical order (by
//! latitude, longitude, then height) before anything is computed, so A→B
//! and B→A run the very same arithmetic and agree bit for bit; only the
//! profile is reported in the caller's direction. Accuracy: the drop
//! formula is the first term of the exact circle geometry, good to
//! (D/R)² relative — 10⁻⁸ m at 10 km.

use crate::sampler::{radius_in_azimuth, DemSampler};
use crate::DemarcationError;
use serde::Serialize;
use terminus_geodesy::geodesic::GeodesicError;
use terminus_geodesy::Geodesic;

/// Heights and atmosphere of a sight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SightSettings {
    /// Observer's eye above ground, metres.
    pub height_from: f64,
    /// Target above ground, metres.
    pub height_to: f64,
    /// Refraction coefficient k (0.13 is the standard daytime value; 0
    /// for none). Curvature alone is k = 0.
    pub refraction: f64,
    /// Whether to account for earth curvature at all.
    pub curvature: bool,
    /// Profile spacing, metres; `None` for half the smaller ground cell.
    pub step: Option<f64>,
}

impl Default for SightSettings {
    fn default() -> Self {
        SightSettings {
            height_from: 2.0,
            height_to: 2.0,
            refraction: 0.13,
            curvature: true,
            step: None,
        }
    }
}

impl SightSettings {
    /// Reject absurd parameters with a message naming them.
    pub fn check(&self) -> Result<(), DemarcationError> {
        let bad = |m: String| Err(DemarcationError::BadParameter(m));
        if !(0.0..=1000.0).contains(&self.height_from) {
            return bad(format!(
                "observer height {} m: expected 0 to 1,000 m above ground",
                self.height_from
            ));
        }
        if !(0.0..=1000.0).contains(&self.height_to) {
            return bad(format!(
                "target height {} m: expected 0 to 1,000 m above ground",
                self.height_to
            ));
        }
        if !(-1.0..=1.0).contains(&self.refraction) {
            return bad(format!(
                "refraction coefficient {}: expected −1 to 1 (0.13 is standard)",
                self.refraction
            ));
        }
        if let Some(s) = self.step {
            if !(s.is_finite() && s > 0.0) {
                return bad(format!("profile step {s} m: must be positive"));
            }
        }
        Ok(())
    }
}

/// One sample of the profile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProfilePoint {
    /// Distance from the observer along the geodesic, metres.
    pub distance_m: f64,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Terrain height (DEM), metres.
    pub ground_m: f64,
    /// Height of the sight line, metres (curvature and refraction applied
    /// as a lowering of the line relative to the terrain's datum).
    pub sight_m: f64,
    /// Sight line minus terrain, metres.
    pub clearance_m: f64,
}

/// The outcome of a line of sight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sight {
    /// Whether the target is visible from the observer (and so the
    /// observer from the target).
    pub visible: bool,
    /// Geodesic distance, metres.
    pub distance_m: f64,
    /// Geodesic azimuth at the observer, degrees.
    pub azimuth_deg: f64,
    /// Smallest clearance between the ends, metres (negative when blocked);
    /// `+∞` when the points are too close for any sample between them.
    pub min_clearance_m: f64,
    /// The first blocking sample seen from the observer.
    pub blocking: Option<ProfilePoint>,
    /// Ground height at the observer and the target.
    pub ground_from_m: f64,
    /// Ground height at the target.
    pub ground_to_m: f64,
    /// The profile, observer first.
    pub profile: Vec<ProfilePoint>,
}

/// Line of sight from `from` to `to` ((lat, lon), WGS 84) over `dem`.
///
/// Errors when either point or any sample lies outside the DEM or on a
/// void, naming where.
pub fn line_of_sight(
    dem: &DemSampler,
    from: (f64, f64),
    to: (f64, f64),
    settings: &SightSettings,
) -> Result<Sight, DemarcationError> {
    settings.check()?;
    for (p, what) in [(from, "the observer"), (to, "the target")] {
        if !(p.0.is_finite() && p.1.is_finite() && p.0.abs() <= 90.0 && p.1.abs() <= 360.0) {
            return Err(GeodesicError::InvalidPosition(p.0, p.1).into());
        }
        let _ = what;
    }
    let geod = dem.ellipsoid().geodesic();
    // Canonical order: the computation below never knows which end asked.
    let a = (from.0, from.1, settings.height_from);
    let b = (to.0, to.1, settings.height_to);
    let swapped = (b.0, b.1, b.2) < (a.0, a.1, a.2);
    let (p, q) = if swapped { (b, a) } else { (a, b) };
    let (mut profile, total, azi_p, ground_p, ground_q) =
        sight_profile(dem, &geod, p, q, settings)?;
    let (azimuth, ground_from, ground_to) = if swapped {
        profile.reverse();
        for s in &mut profile {
            s.distance_m = total - s.distance_m;
        }
        // Azimuth at the caller's observer (the canonical end point).
        let (_, _, azi2, _): (f64, f64, f64, f64) =
            terminus_geodesy::measure::InverseGeodesic::inverse(&geod, p.0, p.1, q.0, q.1);
        let _ = azi_p;
        (norm360(azi2 + 180.0), ground_q, ground_p)
    } else {
        (norm360(azi_p), ground_p, ground_q)
    };
    let inner = if profile.len() > 2 {
        &profile[1..profile.len() - 1]
    } else {
        &profile[0..0]
    };
    let min_clearance = inner
        .iter()
        .map(|s| s.clearance_m)
        .fold(f64::INFINITY, f64::min);
    let blocking = inner.iter().find(|s| s.clearance_m < -GRAZE_M).copied();
    Ok(Sight {
        visible: blocking.is_none(),
        distance_m: total,
        azimuth_deg: azimuth,
        min_clearance_m: min_clearance,
        blocking,
        ground_from_m: ground_from,
        ground_to_m: ground_to,
        profile,
    })
}

fn norm360(a: f64) -> f64 {
    let r = a.rem_euclid(360.0);
    if r >= 360.0 {
        0.0
    } else {
        r
    }
}

/// A sight line is blocked only where it passes more than this below the
/// terrain, metres: the rounding of interpolated heights (~1e-12 m) must
/// not decide a grazing sight over flat ground.
pub const GRAZE_M: f64 = 1e-6;

type Profile = (Vec<ProfilePoint>, f64, f64, f64, f64);

/// The profile from p to q (canonical order), with the total length, the
/// azimuth at p and the ground at both ends.
fn sight_profile(
    dem: &DemSampler,
    geod: &Geodesic,
    p: (f64, f64, f64),
    q: (f64, f64, f64),
    settings: &SightSettings,
) -> Result<Profile, DemarcationError> {
    use terminus_geodesy::measure::InverseGeodesic;
    let (total, azi1, _azi2, _): (f64, f64, f64, f64) = geod.inverse(p.0, p.1, q.0, q.1);
    let mid_lat = (p.0 + q.0) / 2.0;
    let step = match settings.step {
        Some(s) => s,
        None => {
            let (ew, ns) = dem.cell_metres(mid_lat);
            ew.min(ns) / 2.0
        }
    };
    let n = ((total / step).ceil() as usize).max(1);
    if n > 50_000_000 {
        return Err(DemarcationError::BadParameter(format!(
            "a {total:.0} m sight line sampled every {step} m needs {n} samples: give a larger step"
        )));
    }
    let ground_p = dem.height_or_error(p.0, p.1, "the observer")?;
    let ground_q = dem.height_or_error(q.0, q.1, "the target")?;
    let eye_p = ground_p + p.2;
    let eye_q = ground_q + q.2;
    // Radius of the normal section in the line's azimuth at its midpoint.
    let r = if total > 0.0 {
        let line = geographiclib_line(geod, p, azi1);
        let (mlat, _, mazi) = position(&line, total / 2.0);
        radius_in_azimuth(&dem.ellipsoid(), mlat, mazi)
    } else {
        radius_in_azimuth(&dem.ellipsoid(), p.0, 0.0)
    };
    let curv = if settings.curvature {
        (1.0 - settings.refraction) / (2.0 * r)
    } else {
        0.0
    };
    let line = geographiclib_line(geod, p, azi1);
    let mut out = Vec::with_capacity(n + 1);
    for i in 0..=n {
        let t = i as f64 / n as f64;
        let d = total * t;
        let (lat, lon, ground) = if i == 0 {
            (p.0, p.1, ground_p)
        } else if i == n {
            (q.0, q.1, ground_q)
        } else {
            let (lat, lon, _) = position(&line, d);
            let z = dem.height_or_error(
                lat,
                lon,
                &format!(
                    "the sight line {d:.1} m from its end at {:.6}, {:.6}",
                    p.0, p.1
                ),
            )?;
            (lat, lon, z)
        };
        let sight = eye_p + (eye_q - eye_p) * t - d * (total - d) * curv;
        out.push(ProfilePoint {
            distance_m: d,
            lat,
            lon,
            ground_m: ground,
            sight_m: sight,
            clearance_m: sight - ground,
        });
    }
    Ok((out, total, azi1, ground_p, ground_q))
}

fn geographiclib_line(
    geod: &Geodesic,
    p: (f64, f64, f64),
    azi1: f64,
) -> terminus_geodesy::GeodesicLine {
    terminus_geodesy::GeodesicLine::new(geod, p.0, p.1, azi1, None, None, None)
}

/// (lat, lon, azimuth) at distance `s` along `line`.
fn position(line: &terminus_geodesy::GeodesicLine, s: f64) -> (f64, f64, f64) {
    use terminus_geodesy::geodesic_capability as caps;
    let (_, lat, lon, azi, ..) =
        line._gen_position(false, s, caps::LATITUDE | caps::LONGITUDE | caps::AZIMUTH);
    (lat, norm180(lon), azi)
}

fn norm180(x: f64) -> f64 {
    let r = (x + 180.0).rem_euclid(360.0) - 180.0;
    if r == -180.0 {
        180.0
    } else {
        r
    }
}
