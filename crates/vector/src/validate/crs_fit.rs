//! Coordinates that cannot be in the CRS their layer declares, and the
//! likely cause: metres labelled as degrees (EPSG:3857, UTM or
//! Gauss–Krüger written under EPSG:4326), a Gauss–Krüger easting without
//! its zone prefix or with another zone's, X and Y exchanged, latitude and
//! longitude exchanged for a whole layer, positions outside the zone the
//! CRS is made for.
//!
//! One finding per cause per layer (the first vertex it was seen at and how
//! many vertices share it), so a whole file written in the wrong CRS reads
//! as one sentence, not a million. The input road of the application layer
//! refuses a layer with any of these errors: transformed, such coordinates
//! land in the wrong hemisphere without a word.
//!
//! Thresholds (stated so a reviewer can check them):
//! - Gauss–Krüger 6° zones are 6° wide; a position more than 4.5° of
//!   longitude from the zone's central meridian (the zone's half-width and
//!   1.5° of the overlap some sheets carry) is outside its zone;
//!   3° zones and UTM the same with their own half-width (1.5°, 3°).
//! - Web-Mercator metres: |x| ≤ 20,037,508.34 m, |y| ≤ 20,048,966.10 m
//!   (EPSG:3857's extent at ±85.06°).

use super::{Check, Finding, Location, Severity};
use crate::{Coord, Layer};
use terminus_geodesy::crs::CrsKind;
use terminus_geodesy::projection::web_mercator;
use terminus_geodesy::Crs;

/// EPSG:3857's extent, metres.
const MERCATOR_X: f64 = 20_037_508.342_789_244;
const MERCATOR_Y: f64 = 20_048_966.104_014_594;

/// Allowance beyond a zone's half-width, degrees of longitude.
const ZONE_OVERLAP_DEG: f64 = 1.5;

/// One cause, where first seen, how often.
struct Cause {
    at: Location,
    count: usize,
    message: String,
}

/// Checks coordinates one at a time against one CRS: what a streaming
/// conversion uses (one per layer), and [`crs_fit`] for a whole layer.
pub struct CrsFit {
    crs: Crs,
    def: terminus_geodesy::crs::registry::CrsDefinition,
    unproject: Option<terminus_geodesy::crs::transform::CrsTransform>,
}

impl CrsFit {
    /// A checker for `crs`; `None` for a CRS Terminus cannot interpret.
    pub fn new(crs: &Crs) -> Option<CrsFit> {
        let def = crs.definition()?;
        let unproject = terminus_geodesy::crs::transform::CrsTransform::unprojecting(crs)
            .ok()
            .map(|(t, _)| t);
        Some(CrsFit {
            crs: crs.clone(),
            def,
            unproject,
        })
    }

    /// Whether every position of `run` fits at a glance (a geographic CRS:
    /// all within ±360°/±180°, no check needed one by one). False means
    /// only: look at each with [`CrsFit::check`].
    pub fn run_fits_at_a_glance(&self, run: &[Coord]) -> bool {
        // One branch-free pass (the largest magnitudes; NaN is skipped by
        // `max`, and non-finite positions are `range`'s finding), compared
        // once: this runs over every position a conversion streams.
        matches!(self.def.kind, CrsKind::Geographic) && {
            let (mx, my) = run.iter().fold((0.0f64, 0.0f64), |(a, b), c| {
                (a.max(c.x.abs()), b.max(c.y.abs()))
            });
            mx <= 360.0 && my <= 90.0
        }
    }

    /// Why `c` cannot be a coordinate of the CRS: a key (one per cause)
    /// and the message; `None` when it can. Geographic coordinates a
    /// little out of range are left to `range` (not metres, no cause to
    /// name); lat/lon exchanged for a whole layer only [`crs_fit`] sees.
    pub fn check(&self, c: &Coord) -> Option<(String, String)> {
        if !c.x.is_finite() || !c.y.is_finite() {
            return None;
        }
        match self.def.kind {
            CrsKind::Geographic => {
                let swapped = c.y.abs() > 90.0 && c.x.abs() <= 90.0;
                // A little out of range is `range`'s finding; here only
                // what is clearly metres.
                if c.x.abs() <= 360.0 && c.y.abs() <= 180.0 || swapped {
                    return None;
                }
                Some(metres_as_degrees(c, &self.crs))
            }
            CrsKind::TransverseMercator {
                lon0,
                false_easting,
                ..
            } => grid_misfit(c, self.def.code, lon0, false_easting, &self.def, self.unproject.as_ref()),
            CrsKind::WebMercator => {
                (c.x.abs() > MERCATOR_X * 1.000_001 || c.y.abs() > MERCATOR_Y * 1.000_001).then(|| {
                    (
                        "mercator-range".into(),
                        format!("({}, {}) is outside EPSG:3857's extent (±20,037,508 m east, ±20,048,966 m north)", c.x, c.y),
                    )
                })
            }
        }
    }
}

/// Check every vertex of `layer` against the CRS it declares (see the module
/// documentation for what is checked). Layers in a CRS Terminus cannot
/// interpret (custom WKT) are not checked.
pub fn crs_fit(layer: &Layer) -> Vec<Finding> {
    let mut causes: Vec<(String, Cause)> = Vec::new();
    let Some(fit) = CrsFit::new(&layer.crs) else {
        return Vec::new();
    };
    let geographic = matches!(fit.def.kind, CrsKind::Geographic);
    let mut vertices = 0usize;
    let mut swapped_everywhere = geographic;
    for (fi, f) in layer.features.iter().enumerate() {
        let Some(g) = &f.geometry else { continue };
        g.for_each_run(&mut |first, run| {
            if !swapped_everywhere && fit.run_fits_at_a_glance(run) {
                vertices += run.len();
                return;
            }
            for (k, c) in run.iter().enumerate() {
                if !c.x.is_finite() || !c.y.is_finite() {
                    continue;
                }
                vertices += 1;
                swapped_everywhere &= c.y.abs() > 90.0 && c.x.abs() <= 90.0;
                let Some((key, message)) = fit.check(c) else {
                    continue;
                };
                if let Some((_, cause)) = causes.iter_mut().find(|(k, _)| *k == key) {
                    cause.count += 1;
                    continue;
                }
                let at = Location {
                    layer: layer.name.clone(),
                    feature: Some(fi),
                    feature_id: f.id.clone(),
                    vertex: Some(first + k),
                    position: Some([c.x, c.y]),
                    ..Default::default()
                };
                causes.push((
                    key,
                    Cause {
                        at,
                        count: 1,
                        message,
                    },
                ));
            }
        });
    }
    let mut findings: Vec<Finding> = Vec::new();
    if vertices > 1 && swapped_everywhere {
        // Every vertex has a "latitude" beyond ±90° that fits as a longitude:
        // the whole layer was written latitude first.
        return vec![Finding {
            severity: Severity::Error,
            check: Check::CrsMismatch,
            location: Location {
                layer: layer.name.clone(),
                ..Default::default()
            },
            message: format!(
                "latitude and longitude are exchanged for the whole layer (all {vertices} vertices have a latitude beyond ±90° that is a valid longitude): the file gives latitude first where {} expects longitude, latitude",
                layer.crs.id()
            ),
        }];
    }
    for (_, c) in causes {
        let more = if c.count > 1 {
            format!(" ({} vertices like this)", c.count)
        } else {
            String::new()
        };
        findings.push(Finding {
            severity: Severity::Error,
            check: Check::CrsMismatch,
            location: c.at,
            message: format!("{}{more}", c.message),
        });
    }
    findings
}

/// A coordinate beyond ±180°/±90° in a geographic CRS: which metres it looks like.
fn metres_as_degrees(c: &Coord, crs: &Crs) -> (String, String) {
    let prefix = (c.x / 1e6).floor();
    if (4.0..=32.0).contains(&prefix)
        && (0.0..9.4e6).contains(&c.y)
        && in_zone(28400 + prefix as u32, c)
    {
        let zone = prefix as u32;
        return (
            format!("gk-{zone}"),
            format!(
                "({}, {}) is not a longitude/latitude in {}: these look like Pulkovo 1942 Gauss–Krüger zone {zone} metres with the zone prefix (EPSG:{}); name that CRS with --crs",
                c.x,
                c.y,
                crs.id(),
                28400 + zone
            ),
        );
    }
    if (100_000.0..900_000.0).contains(&c.x) && (0.0..9.4e6).contains(&c.y) {
        return (
            "utm".into(),
            format!(
                "({}, {}) is not a longitude/latitude in {}: these look like UTM or Gauss–Krüger metres without a zone prefix (easting, northing); name the grid with --crs, e.g. EPSG:326NN or EPSG:284NN",
                c.x, c.y, crs.id()
            ),
        );
    }
    if c.x.abs() <= MERCATOR_X * 1.000_001 && c.y.abs() <= MERCATOR_Y * 1.000_001 {
        let terminus_geodesy::LatLon { lat, lon } =
            web_mercator::inverse(terminus_geodesy::EastNorth::new(c.x, c.y));
        return (
            "mercator".into(),
            format!(
                "({}, {}) is not a longitude/latitude in {}: these look like EPSG:3857 (Web Mercator) metres, which would put the vertex at {lat:.5}°N {lon:.5}°E; name the CRS with --crs EPSG:3857",
                c.x, c.y, crs.id()
            ),
        );
    }
    (
        "range".into(),
        format!(
            "({}, {}) is not a longitude/latitude in {} and fits no grid Terminus knows",
            c.x,
            c.y,
            crs.id()
        ),
    )
}

/// Whether grid coordinate `c` of transverse Mercator CRS `code` lies within
/// its zone (half-width and the overlap).
fn in_zone(code: u32, c: &Coord) -> bool {
    let Some(def) = terminus_geodesy::crs::registry::lookup(code) else {
        return false;
    };
    let CrsKind::TransverseMercator { lon0, .. } = def.kind else {
        return false;
    };
    let half_width = if (2523..=2549).contains(&code) {
        1.5
    } else {
        3.0
    };
    longitude_off(code, lon0, c).is_some_and(|d| d <= half_width + ZONE_OVERLAP_DEG)
}

/// Degrees of longitude between grid coordinate `c` of CRS `code` and the
/// central meridian `lon0`.
fn longitude_off(code: u32, lon0: f64, c: &Coord) -> Option<f64> {
    let lon = terminus_geodesy::crs::transform::CrsTransform::unprojecting(&Crs::Epsg(code))
        .ok()
        .map(|(t, _)| t.source_geographic(c.to_xy()).lon)?;
    let d = off_meridian(lon, lon0);
    d.is_finite().then_some(d)
}

/// Degrees of longitude between `lon` and `lon0`, 0–180.
fn off_meridian(lon: f64, lon0: f64) -> f64 {
    let mut d = (lon - lon0).abs() % 360.0;
    if d > 180.0 {
        d = 360.0 - d;
    }
    if d.is_finite() {
        d
    } else {
        f64::INFINITY
    }
}

/// A grid coordinate (x = easting, y = northing) that cannot be in the
/// transverse Mercator CRS `code` with central meridian `lon0`.
fn grid_misfit(
    c: &Coord,
    code: u32,
    lon0: f64,
    false_easting: f64,
    def: &terminus_geodesy::crs::registry::CrsDefinition,
    unproject: Option<&terminus_geodesy::crs::transform::CrsTransform>,
) -> Option<(String, String)> {
    // Zone-prefixed Gauss–Krüger: the false easting carries the zone number.
    let zone = (false_easting / 1e6).floor();
    let prefixed = zone >= 1.0;
    let half_width = if (2523..=2549).contains(&code) {
        1.5
    } else {
        3.0
    };
    let name = format!("EPSG:{code} ({})", def.name);
    if prefixed {
        let p = (c.x / 1e6).floor();
        let yp = (c.y / 1e6).floor();
        if p != zone {
            if yp == zone && (0.0..1e7).contains(&c.x) {
                return Some((
                    "swapped".into(),
                    format!(
                        "({}, {}): the northing (X) has zone {zone}'s prefix and the easting (Y) looks like a northing: X and Y are exchanged (Gauss–Krüger X is the northing; say --y-column X --x-column Y)",
                        c.x, c.y
                    ),
                ));
            }
            if p == 0.0 && c.x > 0.0 {
                return Some((
                    "no-prefix".into(),
                    format!(
                        "easting {} has no zone prefix: these look like zone {zone} without its prefix ({name} eastings are {}xxxxxx); add {} to the eastings or name a CRS without prefix (EPSG:{})",
                        c.x,
                        zone as u32,
                        zone * 1e6,
                        2492 + (zone as u32).saturating_sub(2).min(30)
                    ),
                ));
            }
            if (1.0..=60.0).contains(&p) && (0.0..1e7).contains(&c.y) {
                let other = p as u32;
                return Some((
                    format!("zone-{other}"),
                    format!(
                        "easting {} carries zone {other}'s prefix, not zone {}'s: these look like zone {other} (EPSG:{}), not {name}",
                        c.x,
                        zone as u32,
                        28400 + other
                    ),
                ));
            }
            return Some((
                "range".into(),
                format!("({}, {}) is not a coordinate of {name}", c.x, c.y),
            ));
        }
    } else if c.x >= 1e6 {
        let p = (c.x / 1e6).floor();
        if (c.y >= 1e5 && c.y < 1e6) && c.x < 1e7 {
            return Some((
                "swapped".into(),
                format!(
                    "({}, {}): the easting looks like a northing and the northing like an easting: easting and northing are exchanged",
                    c.x, c.y
                ),
            ));
        }
        if (4.0..=32.0).contains(&p) {
            return Some((
                "prefixed".into(),
                format!(
                    "easting {} carries a zone prefix ({}): these look like Pulkovo 1942 Gauss–Krüger zone {} (EPSG:{}), not {name}",
                    c.x, p as u32, p as u32, 28400 + p as u32
                ),
            ));
        }
    }
    // Within the right prefix: is the position in the zone?
    let d = unproject
        .map(|t| off_meridian(t.source_geographic(c.to_xy()).lon, lon0))
        .unwrap_or(f64::INFINITY);
    if d > half_width + ZONE_OVERLAP_DEG || !(-1e7..=1e7).contains(&c.y) {
        return Some((
            "outside-zone".into(),
            format!(
                "({}, {}) lies {d:.2}° of longitude from the central meridian {lon0}° of {name}, outside the zone (±{half_width}° and {ZONE_OVERLAP_DEG}° of overlap): the wrong zone or a mistyped easting",
                c.x, c.y
            ),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Feature, Geometry};

    fn layer(crs: u32, pts: &[(f64, f64)]) -> Layer {
        let mut l = Layer::new("t", Crs::Epsg(crs));
        l.features.push(Feature::new(Geometry::LineString(
            pts.iter().map(|&(x, y)| Coord::xy(x, y)).collect(),
        )));
        l
    }

    fn one(l: &Layer) -> String {
        let f = crs_fit(l);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].severity, Severity::Error);
        f[0].message.clone()
    }

    // A point of the Tavush–Gazakh section: 40.99°N 45.33°E, in GK zone 8
    // (EPSG:28408) X = 4,540,xxx northing, Y = 8,527,xxx easting.
    const GK8: (f64, f64) = (8_527_861.4, 4_540_190.2);

    #[test]
    fn right_coordinates_pass() {
        assert!(crs_fit(&layer(28408, &[GK8])).is_empty());
        assert!(crs_fit(&layer(4326, &[(45.33, 40.99)])).is_empty());
        assert!(crs_fit(&layer(32638, &[(527_861.4, 4_540_190.2)])).is_empty());
        assert!(crs_fit(&layer(3857, &[(5_046_000.0, 5_008_000.0)])).is_empty());
    }

    #[test]
    fn gauss_kruger_mistakes_name_their_cause() {
        let m = one(&layer(28408, &[(GK8.0 - 8e6, GK8.1)]));
        assert!(m.contains("without its prefix"), "{m}");
        let m = one(&layer(28408, &[(GK8.0 - 1e6, GK8.1)]));
        assert!(m.contains("zone 7") && m.contains("EPSG:28407"), "{m}");
        let m = one(&layer(28408, &[(GK8.1, GK8.0)]));
        assert!(m.contains("exchanged"), "{m}");
        // 6° east of the zone: prefix right, position outside.
        let m = one(&layer(28408, &[(8_990_000.0, 4_540_190.2)]));
        assert!(m.contains("outside the zone"), "{m}");
    }

    #[test]
    fn metres_labelled_as_degrees_name_the_grid() {
        // 45.33°E 40.99°N in Web Mercator.
        let g = terminus_geodesy::projection::web_mercator::forward(terminus_geodesy::LatLon::new(
            40.99, 45.33,
        ));
        let (x, y) = (g.easting, g.northing);
        let m = one(&layer(4326, &[(x, y), (x + 10.0, y)]));
        assert!(m.contains("EPSG:3857") && m.contains("40.99"), "{m}");
        assert!(m.contains("2 vertices"), "{m}");
        let m = one(&layer(4326, &[GK8]));
        assert!(m.contains("EPSG:28408"), "{m}");
        let m = one(&layer(4326, &[(527_861.4, 4_540_190.2)]));
        assert!(m.contains("UTM"), "{m}");
    }

    #[test]
    fn a_whole_layer_latitude_first_is_one_finding() {
        // (x = 40.99 as longitude, y = 145.33 as latitude) fits only exchanged.
        let m = one(&layer(4326, &[(40.99, 145.33), (41.0, 145.4)]));
        assert!(m.contains("exchanged for the whole layer"), "{m}");
    }

    #[test]
    fn utm_with_a_prefix_or_exchanged() {
        let m = one(&layer(32638, &[GK8]));
        assert!(m.contains("EPSG:28408"), "{m}");
        let m = one(&layer(32638, &[(4_540_190.2, 527_861.4)]));
        assert!(m.contains("exchanged"), "{m}");
    }
}
