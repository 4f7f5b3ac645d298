//! The EPSG CRSs Terminus knows, with the parameters of the EPSG dataset.
//!
//! Covered: EPSG:4326 (WGS 84), 4284 (Pulkovo 1942), 3857 (Pseudo-Mercator,
//! display only), 32601–32660 and 32701–32760 (WGS 84 / UTM north and south),
//! 28404–28432 (Pulkovo 1942 / Gauss-Kruger 6° zones 4–32, zone number
//! prefixed to the easting), 2492–2522 (Pulkovo 1942 / Gauss-Kruger CM 9E …
//! CM 189E, no prefix) and 2523–2549 (Pulkovo 1942 / 3-degree Gauss-Kruger
//! zones 7–33, prefixed). Gauss–Krüger grids declare northing (X) first.

use super::{AxisOrder, CrsKind};
use crate::Ellipsoid;

/// One registry entry.
#[derive(Debug, Clone, PartialEq)]
pub struct CrsDefinition {
    /// EPSG code of the CRS.
    pub code: u32,
    /// EPSG name, e.g. "Pulkovo 1942 / Gauss-Kruger zone 8".
    pub name: String,
    /// Geographic or which projection, with parameters.
    pub kind: CrsKind,
    /// EPSG code of the base geographic CRS (itself for a geographic CRS).
    pub base_geographic: u32,
    /// Datum name as in WKT 1 (`WGS_1984`, `Pulkovo_1942`).
    pub datum: &'static str,
    /// EPSG code of the datum.
    pub datum_code: u32,
    /// The ellipsoid.
    pub ellipsoid: Ellipsoid,
    /// Axis order the EPSG definition declares.
    pub axis_order: AxisOrder,
}

fn wgs84_geog(code: u32, name: String, kind: CrsKind, axis_order: AxisOrder) -> CrsDefinition {
    CrsDefinition {
        code,
        name,
        kind,
        base_geographic: 4326,
        datum: "WGS_1984",
        datum_code: 6326,
        ellipsoid: Ellipsoid::WGS84,
        axis_order,
    }
}

fn pulkovo(code: u32, name: String, kind: CrsKind, axis_order: AxisOrder) -> CrsDefinition {
    CrsDefinition {
        code,
        name,
        kind,
        base_geographic: 4284,
        datum: "Pulkovo_1942",
        datum_code: 6284,
        ellipsoid: Ellipsoid::KRASSOWSKY_1940,
        axis_order,
    }
}

fn tm(lon0: f64, k0: f64, false_easting: f64, false_northing: f64) -> CrsKind {
    CrsKind::TransverseMercator {
        lat0: 0.0,
        lon0,
        k0,
        false_easting,
        false_northing,
    }
}

/// The definition of EPSG `code`, or `None` when Terminus does not know it.
///
/// ```
/// use terminus_geodesy::crs::registry::lookup;
/// let gk8 = lookup(28408).unwrap();
/// assert_eq!(gk8.name, "Pulkovo 1942 / Gauss-Kruger zone 8");
/// assert!(lookup(28433).is_none());
/// ```
pub fn lookup(code: u32) -> Option<CrsDefinition> {
    let def = match code {
        4326 => wgs84_geog(
            4326,
            "WGS 84".into(),
            CrsKind::Geographic,
            AxisOrder::LatLon,
        ),
        4284 => pulkovo(
            4284,
            "Pulkovo 1942".into(),
            CrsKind::Geographic,
            AxisOrder::LatLon,
        ),
        3857 => wgs84_geog(
            3857,
            "WGS 84 / Pseudo-Mercator".into(),
            CrsKind::WebMercator,
            AxisOrder::EastNorth,
        ),
        32601..=32660 => {
            let zone = code - 32600;
            wgs84_geog(
                code,
                format!("WGS 84 / UTM zone {zone}N"),
                tm(utm_central_meridian(zone), 0.9996, 500_000.0, 0.0),
                AxisOrder::EastNorth,
            )
        }
        32701..=32760 => {
            let zone = code - 32700;
            wgs84_geog(
                code,
                format!("WGS 84 / UTM zone {zone}S"),
                tm(utm_central_meridian(zone), 0.9996, 500_000.0, 10_000_000.0),
                AxisOrder::EastNorth,
            )
        }
        28404..=28432 => {
            let zone = code - 28400;
            pulkovo(
                code,
                format!("Pulkovo 1942 / Gauss-Kruger zone {zone}"),
                tm(
                    6.0 * zone as f64 - 3.0,
                    1.0,
                    zone as f64 * 1_000_000.0 + 500_000.0,
                    0.0,
                ),
                AxisOrder::NorthEast,
            )
        }
        2492..=2522 => {
            let cm = 9 + 6 * (code - 2492);
            pulkovo(
                code,
                format!("Pulkovo 1942 / Gauss-Kruger CM {cm}E"),
                tm(normalise_lon(cm as f64), 1.0, 500_000.0, 0.0),
                AxisOrder::NorthEast,
            )
        }
        2523..=2549 => {
            let zone = code - 2516;
            pulkovo(
                code,
                format!("Pulkovo 1942 / 3-degree Gauss-Kruger zone {zone}"),
                tm(
                    3.0 * zone as f64,
                    1.0,
                    zone as f64 * 1_000_000.0 + 500_000.0,
                    0.0,
                ),
                AxisOrder::NorthEast,
            )
        }
        _ => return None,
    };
    Some(def)
}

/// Central meridian of UTM zone 1..=60, degrees.
pub fn utm_central_meridian(zone: u32) -> f64 {
    6.0 * zone as f64 - 183.0
}

fn normalise_lon(lon: f64) -> f64 {
    if lon > 180.0 {
        lon - 360.0
    } else {
        lon
    }
}
