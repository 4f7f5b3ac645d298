//! Survey check: surveyed pillar positions against the catalogue and the
//! delimited line.
//!
//! For each surveyed pillar: its geodesic deviation from the planned
//! position (distance and azimuth), its geodesic offset from the line (the
//! nearest point of the line's geodesic segments) and the side it stands
//! on. Flagged: deviations beyond the tolerance (default 5 cm); pillars on
//! the wrong side — planned off the line (bank pillars) and found on the
//! other side; and pillars planned on the line found farther than the
//! tolerance from it (the side then says whose ground they stand on).

use crate::catalogue::Catalogue;
use crate::DemarcationError;
use serde::Serialize;
use std::collections::HashMap;
use terminus_geodesy::geodesic::{nearest_on_polyline, Gnomonic};
use terminus_geodesy::measure::InverseGeodesic;
use terminus_geodesy::{Ellipsoid, LatLon};

/// A surveyed position.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyedPillar {
    /// Pillar number as the survey file gives it.
    pub number: String,
    /// Latitude, degrees (WGS 84).
    pub lat: f64,
    /// Longitude, degrees (WGS 84).
    pub lon: f64,
    /// Where it came from (file row or waypoint index, 1-based).
    pub record: usize,
}

/// The check of one pillar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PillarCheck {
    /// Number.
    pub number: String,
    /// Geodesic distance from the planned position, metres.
    pub deviation_m: f64,
    /// Azimuth from planned to surveyed, degrees.
    pub deviation_azimuth_deg: f64,
    /// Geodesic distance from the line, metres.
    pub offset_from_line_m: f64,
    /// The planned offset from the line, metres.
    pub planned_offset_m: f64,
    /// Side of the line: +1 left, −1 right, 0 on it.
    pub side: i8,
    /// Deviation beyond tolerance.
    pub beyond_tolerance: bool,
    /// Planned off the line (a bank pillar) and found on the other side.
    pub wrong_side: bool,
    /// Planned on the line and found farther than the tolerance from it
    /// (`side` says on whose side).
    pub off_line: bool,
}

/// The survey check.
#[derive(Debug, Clone, Serialize)]
pub struct SurveyReport {
    /// Tolerance, metres.
    pub tolerance_m: f64,
    /// Checked pillars, in catalogue order.
    pub pillars: Vec<PillarCheck>,
    /// Catalogue pillars the survey did not include.
    pub not_surveyed: Vec<String>,
    /// Largest deviation, metres.
    pub max_deviation_m: f64,
    /// Number beyond tolerance.
    pub beyond_tolerance: usize,
    /// Number on the wrong side.
    pub wrong_side: usize,
    /// Number off the line.
    pub off_line: usize,
}

/// Check `surveyed` against `cat` and the delimited `line` ((lat, lon)).
///
/// Errors — listing every offender — on pillar numbers not in the catalogue
/// and on pillars surveyed twice.
pub fn check(
    cat: &Catalogue,
    line: &[(f64, f64)],
    surveyed: &[SurveyedPillar],
    tolerance_m: f64,
) -> Result<SurveyReport, DemarcationError> {
    if !(tolerance_m.is_finite() && tolerance_m > 0.0) {
        return Err(DemarcationError::BadParameter(format!(
            "tolerance {tolerance_m} m: must be positive"
        )));
    }
    if line.len() < 2 {
        return Err(DemarcationError::BadParameter(
            "the delimited line needs at least two points".into(),
        ));
    }
    let by_number: HashMap<&str, usize> = cat
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.number.as_str(), i))
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut unknown = Vec::new();
    let mut dupes = Vec::new();
    for s in surveyed {
        if !by_number.contains_key(s.number.as_str()) {
            unknown.push(format!("{} (record {})", s.number, s.record));
        }
        if let Some(first) = seen.insert(s.number.as_str(), s.record) {
            dupes.push(format!("{} (records {first} and {})", s.number, s.record));
        }
        if !(s.lat.is_finite() && s.lon.is_finite() && s.lat.abs() <= 90.0 && s.lon.abs() <= 180.0)
        {
            return Err(DemarcationError::Survey(format!(
                "record {}: pillar {}: ({}, {}) is not a latitude/longitude",
                s.record, s.number, s.lat, s.lon
            )));
        }
    }
    if !unknown.is_empty() || !dupes.is_empty() {
        let mut msg = Vec::new();
        if !unknown.is_empty() {
            msg.push(format!(
                "{} surveyed pillar(s) not in the catalogue: {}",
                unknown.len(),
                unknown.join(", ")
            ));
        }
        if !dupes.is_empty() {
            msg.push(format!(
                "{} pillar(s) surveyed more than once: {}",
                dupes.len(),
                dupes.join(", ")
            ));
        }
        return Err(DemarcationError::Survey(msg.join("; ")));
    }
    let gn = Gnomonic::new(Ellipsoid::WGS84);
    let geod = Ellipsoid::WGS84.geodesic();
    let line: Vec<LatLon> = line.iter().map(|&p| LatLon::from_pair(p)).collect();
    let mut checks: Vec<(usize, PillarCheck)> = Vec::new();
    for s in surveyed {
        let i = by_number[s.number.as_str()];
        let r = &cat.rows[i];
        let (dev, az, _, _): (f64, f64, f64, f64) = geod.inverse(r.lat, r.lon, s.lat, s.lon);
        let n = nearest_on_polyline(&gn, &line, LatLon::new(s.lat, s.lon))?;
        let side = if n.distance == 0.0 { 0 } else { n.side };
        let planned_off = r.side != 0 && r.offset_m > tolerance_m;
        let wrong_side = planned_off && side != r.side;
        let off_line = !planned_off && n.distance > tolerance_m;
        checks.push((
            i,
            PillarCheck {
                number: s.number.clone(),
                deviation_m: dev,
                deviation_azimuth_deg: if dev > 0.0 { az.rem_euclid(360.0) } else { 0.0 },
                offset_from_line_m: n.distance,
                planned_offset_m: r.offset_m,
                side,
                beyond_tolerance: dev > tolerance_m,
                wrong_side,
                off_line,
            },
        ));
    }
    checks.sort_by_key(|c| c.0);
    let pillars: Vec<PillarCheck> = checks.into_iter().map(|c| c.1).collect();
    let not_surveyed = cat
        .rows
        .iter()
        .filter(|r| r.kind.marked() && !seen.contains_key(r.number.as_str()))
        .map(|r| r.number.clone())
        .collect();
    Ok(SurveyReport {
        tolerance_m,
        max_deviation_m: pillars.iter().map(|p| p.deviation_m).fold(0.0, f64::max),
        beyond_tolerance: pillars.iter().filter(|p| p.beyond_tolerance).count(),
        wrong_side: pillars.iter().filter(|p| p.wrong_side).count(),
        off_line: pillars.iter().filter(|p| p.off_line).count(),
        pillars,
        not_surveyed,
    })
}
