//! The pillar catalogue: every pillar's coordinates in the systems the
//! commission and its field teams use, with heights, the geodesic azimuth
//! and distance to the next pillar, intervisibility and the map sheet.
//!
//! Methods and accuracy:
//! * latitude/longitude: WGS 84 (EPSG:4326), decimal to 1e-10° (0.01 mm) and
//!   DMS to 0.001″ (3 cm);
//! * UTM: each pillar in its own zone (EPSG:326zz/327zz), Krüger series to
//!   6th order (Karney 2011), 0.01 m;
//! * Pulkovo 1942 Gauss–Krüger, 6° zones with the zone number prefixed to
//!   the easting (EPSG:28404–28432): x is the northing, y the easting, as on
//!   Soviet maps; through one named EPSG transformation for the whole
//!   catalogue (the most accurate valid at the line's middle unless one is
//!   chosen), whose own accuracy (metres) is stated — the 0.01 m is the
//!   rounding, not the datum's accuracy;
//! * azimuth and distance to the next pillar: the geodesic inverse problem
//!   (Karney 2013), nanometre-exact, printed to 0.1″ and 0.01 m;
//! * heights: the DEM bilinear between cell centres, printed to 0.01 m as
//!   computed, with the DEM's own accuracy stated separately;
//! * map sheet: the Soviet 1:50,000 nomenclature of the pillar's Pulkovo
//!   1942 position.

use crate::los::{line_of_sight, SightSettings};
use crate::plan::{PillarType, Plan};
use crate::sampler::DemSampler;
use crate::DemarcationError;
use serde::Serialize;
use std::collections::HashMap;
use terminus_geodesy::angle::{format_dms, Axis};
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::datum::{self, Transformation};
use terminus_geodesy::measure::InverseGeodesic;
use terminus_geodesy::nomenclature::{sheet_at, Scale};
use terminus_geodesy::{Crs, EastNorth, Ellipsoid, LatLon, Xy};

/// One pillar of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogueRow {
    /// Pillar number.
    pub number: String,
    /// What it marks.
    #[serde(rename = "type")]
    pub kind: PillarType,
    /// Latitude, degrees (WGS 84).
    pub lat: f64,
    /// Longitude, degrees (WGS 84).
    pub lon: f64,
    /// Latitude, DMS to 0.001″.
    pub lat_dms: String,
    /// Longitude, DMS to 0.001″.
    pub lon_dms: String,
    /// UTM zone with hemisphere, e.g. "38N".
    pub utm_zone: String,
    /// UTM easting, metres.
    pub utm_e: f64,
    /// UTM northing, metres.
    pub utm_n: f64,
    /// Gauss–Krüger 6° zone number.
    pub gk_zone: u32,
    /// Gauss–Krüger x (northing), metres.
    pub gk_x: f64,
    /// Gauss–Krüger y (easting with the zone prefix), metres.
    pub gk_y: f64,
    /// Ground height from the DEM, metres.
    pub height_m: Option<f64>,
    /// Geodesic azimuth to the next pillar, degrees.
    pub azimuth_next_deg: Option<f64>,
    /// The same, DMS to 0.1″.
    pub azimuth_next_dms: Option<String>,
    /// Geodesic distance to the next pillar, metres.
    pub distance_next_m: Option<f64>,
    /// Whether the next pillar is visible (needs a DEM).
    pub visible_next: Option<bool>,
    /// Soviet 1:50,000 sheet.
    pub sheet_50k: String,
    /// Distance along the line, metres.
    pub chainage_m: f64,
    /// Offset from the line, metres (bank pillars).
    pub offset_m: f64,
    /// Side of the line: +1 left, −1 right, 0 on it.
    pub side: i8,
    /// Ground slope, degrees.
    pub slope_deg: Option<f64>,
    /// What it marks, in words.
    pub note: Option<String>,
    /// Latitude on Pulkovo 1942 (SK-42), degrees: through the catalogue's
    /// transformation, the same one as the Gauss–Krüger columns.
    pub sk42_lat: f64,
    /// Longitude on Pulkovo 1942 (SK-42), degrees.
    pub sk42_lon: f64,
}

/// A pillar catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    /// Section name or code.
    pub section: String,
    /// Rows in order along the line.
    pub rows: Vec<CatalogueRow>,
    /// EPSG code of the Pulkovo 1942 → WGS 84 transformation used.
    pub gk_transformation: u32,
    /// Its EPSG name.
    pub gk_transformation_name: String,
    /// Its accuracy, metres (EPSG).
    pub gk_transformation_accuracy_m: f64,
    /// The DEM the heights come from, if any.
    pub dem: Option<String>,
    /// The DEM's own accuracy, as the user or its producer states it.
    pub dem_accuracy: Option<String>,
    /// The line's geodesic length, metres.
    pub length_m: f64,
}

/// Options of the catalogue.
#[derive(Debug, Clone, Default)]
pub struct CatalogueSettings {
    /// Section name.
    pub section: String,
    /// EPSG code of the Pulkovo 1942 transformation; `None` for the most
    /// accurate valid at the line's middle.
    pub gk_transformation: Option<u32>,
    /// The DEM's name (file).
    pub dem_name: Option<String>,
    /// The DEM's accuracy, in words ("GEBCO 2023: ±… m").
    pub dem_accuracy: Option<String>,
    /// Sight heights for intervisibility.
    pub sight: SightSettings,
}

/// Format an angle (azimuth) as `123°45′06.8″`.
///
/// ```
/// use terminus_demarcation::catalogue::format_angle;
/// assert_eq!(format_angle(123.751888889, 1), "123°45′06.8″");
/// assert_eq!(format_angle(359.99999999, 1), "0°00′00.0″");
/// ```
pub fn format_angle(deg: f64, decimals: usize) -> String {
    let scale = 10f64.powi(decimals as i32);
    let full = 360.0 * 3600.0 * scale;
    let mut total = (deg.rem_euclid(360.0) * 3600.0 * scale).round();
    if total >= full {
        total -= full;
    }
    let per_min = 60.0 * scale;
    let per_deg = 3600.0 * scale;
    let d = (total / per_deg).floor();
    let m = ((total - d * per_deg) / per_min).floor();
    let s = (total - d * per_deg - m * per_min) / scale;
    let width = if decimals > 0 { decimals + 3 } else { 2 };
    format!("{d}°{m:02}′{s:0width$.decimals$}″")
}

/// The catalogue of a plan.
pub fn catalogue(
    plan: &Plan,
    dem: Option<&DemSampler>,
    settings: &CatalogueSettings,
) -> Result<Catalogue, DemarcationError> {
    let mid = plan
        .pillars
        .get(plan.pillars.len() / 2)
        .map(|p| terminus_geodesy::LatLon::new(p.lat, p.lon))
        .unwrap_or(terminus_geodesy::LatLon::new(0.0, 0.0));
    let op = choose_transformation(settings.gk_transformation, mid)?;
    // The pillars and, in their places along the line, the turning points
    // without a pillar: the line runs through them, so the catalogue's
    // distances and azimuths (and the description) go through them too.
    let mut inputs: Vec<RowInput> = plan
        .pillars
        .iter()
        .map(|p| RowInput {
            number: p.number.clone(),
            kind: p.kind,
            lat: p.lat,
            lon: p.lon,
            chainage: p.chainage_m,
            offset: p.offset_m,
            side: p.side,
            slope: p.slope_deg,
            note: p.note.clone(),
        })
        .collect();
    for m in &plan.merged {
        let at = inputs
            .iter()
            .position(|r| r.chainage > m.chainage_m)
            .unwrap_or(inputs.len());
        inputs.insert(
            at,
            RowInput {
                number: m.number.clone(),
                kind: PillarType::Unmarked,
                lat: m.lat,
                lon: m.lon,
                chainage: m.chainage_m,
                offset: 0.0,
                side: 0,
                slope: None,
                note: Some(format!(
                    "turning point {} without a pillar: {:.2} m from pillar {} at azimuth {:.4}°",
                    m.turning_point, m.distance_m, m.pillar, m.azimuth_deg
                )),
            },
        );
    }
    let mut rows = rows_for(inputs, dem, op)?;
    if let Some(d) = dem {
        // Intervisibility of each pillar with the next pillar (both ends at
        // the sight heights); unmarked turning points see nothing.
        let marked: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].kind.marked()).collect();
        for w in marked.windows(2) {
            let a = (rows[w[0]].lat, rows[w[0]].lon);
            let b = (rows[w[1]].lat, rows[w[1]].lon);
            rows[w[0]].visible_next = Some(line_of_sight(d, a, b, &settings.sight)?.visible);
        }
    }
    Ok(Catalogue {
        section: settings.section.clone(),
        rows,
        gk_transformation: op.code,
        gk_transformation_name: op.name.to_string(),
        gk_transformation_accuracy_m: op.accuracy_m,
        dem: settings.dem_name.clone(),
        dem_accuracy: settings.dem_accuracy.clone(),
        length_m: plan.length_m,
    })
}

/// The transformation named, or the most accurate valid at `at`.
pub fn choose_transformation(
    code: Option<u32>,
    at: terminus_geodesy::LatLon,
) -> Result<&'static Transformation, DemarcationError> {
    match code {
        Some(c) => datum::transformation(c).ok_or_else(|| {
            DemarcationError::BadParameter(format!(
                "EPSG:{c} is not a Pulkovo 1942 → WGS 84 transformation Terminus knows"
            ))
        }),
        None => datum::valid_at(at).first().copied().ok_or_else(|| {
            DemarcationError::BadParameter(format!(
                "no Pulkovo 1942 → WGS 84 transformation is valid at {:.4}°N {:.4}°E: name one",
                at.lat, at.lon
            ))
        }),
    }
}

/// What a catalogue row is made from.
pub struct RowInput {
    /// Number.
    pub number: String,
    /// Type.
    pub kind: PillarType,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Chainage.
    pub chainage: f64,
    /// Offset.
    pub offset: f64,
    /// Side.
    pub side: i8,
    /// Slope.
    pub slope: Option<f64>,
    /// Note.
    pub note: Option<String>,
}

/// Catalogue rows for pillars given in order, without intervisibility.
pub fn rows_for(
    pillars: impl IntoIterator<Item = RowInput>,
    dem: Option<&DemSampler>,
    op: &Transformation,
) -> Result<Vec<CatalogueRow>, DemarcationError> {
    let geod = Ellipsoid::WGS84.geodesic();
    let mut utm: HashMap<u32, CrsTransform> = HashMap::new();
    let mut gk: HashMap<u32, CrsTransform> = HashMap::new();
    let to_pulkovo = CrsTransform::new(&Crs::WGS84, &Crs::Epsg(4284), Some(op.code), None)
        .map_err(|e| DemarcationError::BadParameter(e.to_string()))?;
    let mut rows: Vec<CatalogueRow> = Vec::new();
    for p in pillars {
        let (lat, lon) = (p.lat, p.lon);
        if !(lat.abs() <= 84.0 && lon.abs() <= 180.0) {
            return Err(DemarcationError::BadParameter(format!(
                "pillar {}: ({lat}, {lon}) is outside UTM's latitudes (80°S–84°N) or not a position",
                p.number
            )));
        }
        let zone = (((lon + 180.0) / 6.0).floor() as u32).clamp(0, 59) + 1;
        let north = lat >= 0.0;
        let code = if north { 32600 + zone } else { 32700 + zone };
        let t = match utm.entry(code) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => v.insert(
                CrsTransform::new(&Crs::WGS84, &Crs::Epsg(code), None, None)
                    .map_err(|e| DemarcationError::BadParameter(e.to_string()))?,
            ),
        };
        let at = Xy::from_latlon(LatLon::new(lat, lon));
        let EastNorth {
            easting: utm_e,
            northing: utm_n,
        } = t
            .apply(at)
            .map_err(|e| DemarcationError::BadParameter(format!("pillar {}: {e}", p.number)))?
            .grid();
        let gk_zone = ((lon / 6.0).floor() as i64 + 1).clamp(1, 60) as u32;
        if !(4..=32).contains(&gk_zone) || !north {
            return Err(DemarcationError::BadParameter(format!(
                "pillar {}: Pulkovo 1942 Gauss–Krüger zone {gk_zone} is outside EPSG:28404–28432 (zones 4–32, northern hemisphere)",
                p.number
            )));
        }
        let gcode = 28400 + gk_zone;
        let tg = match gk.entry(gcode) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => v.insert(
                CrsTransform::new(&Crs::WGS84, &Crs::Epsg(gcode), Some(op.code), None)
                    .map_err(|e| DemarcationError::BadParameter(e.to_string()))?,
            ),
        };
        // Gauss–Krüger X is the northing, Y the (prefixed) easting.
        let EastNorth {
            easting: gk_y,
            northing: gk_x,
        } = tg
            .apply(at)
            .map_err(|e| DemarcationError::BadParameter(format!("pillar {}: {e}", p.number)))?
            .grid();
        let pulkovo = to_pulkovo
            .apply(at)
            .map_err(|e| DemarcationError::BadParameter(format!("pillar {}: {e}", p.number)))?
            .latlon();
        let (plat, plon) = (pulkovo.lat, pulkovo.lon);
        let sheet = sheet_at(pulkovo, Scale::M50000)
            .map(|s| s.id)
            .unwrap_or_else(|e| format!("({e})"));
        let height = dem.and_then(|d| d.height(lat, lon).ok());
        rows.push(CatalogueRow {
            number: p.number,
            kind: p.kind,
            lat,
            lon,
            lat_dms: format_dms(lat, Axis::Latitude, 3),
            lon_dms: format_dms(lon, Axis::Longitude, 3),
            utm_zone: format!("{zone}{}", if north { 'N' } else { 'S' }),
            utm_e,
            utm_n,
            gk_zone,
            gk_x,
            gk_y,
            height_m: height,
            azimuth_next_deg: None,
            azimuth_next_dms: None,
            distance_next_m: None,
            visible_next: None,
            sheet_50k: sheet,
            chainage_m: p.chainage,
            offset_m: p.offset,
            side: p.side,
            slope_deg: p.slope,
            note: p.note,
            sk42_lat: plat,
            sk42_lon: plon,
        });
    }
    for i in 0..rows.len().saturating_sub(1) {
        let (a, b) = (
            (rows[i].lat, rows[i].lon),
            (rows[i + 1].lat, rows[i + 1].lon),
        );
        let (s12, azi1, _azi2, _): (f64, f64, f64, f64) = geod.inverse(a.0, a.1, b.0, b.1);
        let az = azi1.rem_euclid(360.0);
        let az = if az >= 360.0 { 0.0 } else { az };
        rows[i].azimuth_next_deg = Some(az);
        rows[i].azimuth_next_dms = Some(format_angle(az, 1));
        rows[i].distance_next_m = Some(s12);
    }
    Ok(rows)
}
