//! PROJ strings for CRSs outside the registry: `+proj=longlat`, `+proj=tmerc`
//! and `+proj=utm`, on a named (`+ellps=`) or given (`+a=`, `+rf=`/`+b=`)
//! ellipsoid, with `+datum=WGS84` or `+towgs84=` (3 or 7 parameters, in
//! PROJ's position-vector convention, EPSG method 9606).
//!
//! A definition whose datum cannot be told (an ellipsoid other than WGS 84
//! without `+towgs84`) is refused when a transformation needs its datum,
//! rather than silently taken as WGS 84.

use super::CrsKind;
use crate::datum::{Helmert, HelmertMethod};
use crate::Ellipsoid;

/// What a PROJ string defines.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjDefinition {
    /// The ellipsoid.
    pub ellipsoid: Ellipsoid,
    /// Geographic or transverse Mercator.
    pub kind: CrsKind,
    /// The datum: WGS 84 itself, a shift to it, or unknown.
    pub datum: ProjDatum,
}

/// The datum of a PROJ string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ProjDatum {
    /// WGS 84 (`+datum=WGS84`, or the WGS 84 ellipsoid without a shift).
    Wgs84,
    /// A Helmert shift to WGS 84 (`+towgs84=`).
    ToWgs84(Helmert),
    /// Not stated.
    Unknown,
}

fn ellipsoid_named(name: &str) -> Option<Ellipsoid> {
    Some(match name.to_ascii_lowercase().as_str() {
        "wgs84" => Ellipsoid::WGS84,
        "grs80" => Ellipsoid::GRS80,
        "krass" => Ellipsoid::KRASSOWSKY_1940,
        _ => return None,
    })
}

/// Parse a PROJ string; the error says which parameter is wrong.
///
/// ```
/// use terminus_geodesy::crs::proj_string::{parse_proj, ProjDatum};
/// let d = parse_proj("+proj=tmerc +lat_0=0 +lon_0=45 +k=1 +x_0=8500000 +y_0=0 +ellps=krass +towgs84=23.92,-141.27,-80.9,0,0.35,0.82,-0.12 +units=m").unwrap();
/// assert!(matches!(d.datum, ProjDatum::ToWgs84(_)));
/// ```
pub fn parse_proj(text: &str) -> Result<ProjDefinition, String> {
    let mut p: Vec<(String, Option<String>)> = Vec::new();
    for tok in text.split_whitespace() {
        let t = tok.trim_start_matches('+');
        match t.split_once('=') {
            Some((k, v)) => p.push((k.to_ascii_lowercase(), Some(v.to_string()))),
            None => p.push((t.to_ascii_lowercase(), None)),
        }
    }
    let get = |k: &str| {
        p.iter()
            .find(|(key, _)| key == k)
            .and_then(|(_, v)| v.clone())
    };
    let has = |k: &str| p.iter().any(|(key, _)| key == k);
    let num = |k: &str, default: f64| -> Result<f64, String> {
        match get(k) {
            Some(v) => v
                .parse::<f64>()
                .map_err(|_| format!("+{k}={v} is not a number")),
            None => Ok(default),
        }
    };
    if let Some(u) = get("units") {
        if u != "m" {
            return Err(format!("+units={u}: only metres are supported"));
        }
    }
    let datum_wgs84 = get("datum").is_some_and(|d| d.eq_ignore_ascii_case("WGS84"));
    if let Some(d) = get("datum") {
        if !d.eq_ignore_ascii_case("WGS84") {
            return Err(format!(
                "+datum={d}: only +datum=WGS84 is known; give +ellps= and +towgs84= instead"
            ));
        }
    }
    let ellipsoid = if datum_wgs84 {
        Ellipsoid::WGS84
    } else if let Some(e) = get("ellps") {
        ellipsoid_named(&e).ok_or_else(|| format!("+ellps={e}: known are WGS84, GRS80, krass"))?
    } else if has("a") {
        let a = num("a", 0.0)?;
        let inv_f = if has("rf") {
            num("rf", 0.0)?
        } else if has("b") {
            let b = num("b", 0.0)?;
            a / (a - b)
        } else {
            return Err("+a= needs +rf= or +b=".into());
        };
        if !(a > 0.0 && inv_f > 1.0 && inv_f.is_finite()) {
            return Err(format!(
                "+a={a} with 1/f={inv_f} is not an oblate ellipsoid"
            ));
        }
        Ellipsoid::new("custom", a, inv_f)
    } else {
        return Err("no ellipsoid: give +ellps=, +a= with +rf=, or +datum=WGS84".into());
    };
    let datum = match get("towgs84") {
        Some(v) => {
            let n: Vec<f64> = v
                .split(',')
                .map(|x| x.trim().parse::<f64>())
                .collect::<Result<_, _>>()
                .map_err(|_| format!("+towgs84={v}: not numbers"))?;
            let h = match n.as_slice() {
                [tx, ty, tz] => Helmert {
                    method: HelmertMethod::GeocentricTranslation,
                    tx: *tx,
                    ty: *ty,
                    tz: *tz,
                    rx: 0.0,
                    ry: 0.0,
                    rz: 0.0,
                    ds_ppm: 0.0,
                },
                [tx, ty, tz, rx, ry, rz, ds] => Helmert {
                    method: HelmertMethod::PositionVector,
                    tx: *tx,
                    ty: *ty,
                    tz: *tz,
                    rx: *rx,
                    ry: *ry,
                    rz: *rz,
                    ds_ppm: *ds,
                },
                _ => return Err(format!("+towgs84 takes 3 or 7 numbers, found {}", n.len())),
            };
            ProjDatum::ToWgs84(h)
        }
        None if datum_wgs84 || ellipsoid == Ellipsoid::WGS84 => ProjDatum::Wgs84,
        None => ProjDatum::Unknown,
    };
    let kind = match get("proj").as_deref() {
        Some("longlat") | Some("latlong") | Some("lonlat") | Some("latlon") => CrsKind::Geographic,
        Some("tmerc") | Some("etmerc") => CrsKind::TransverseMercator {
            lat0: num("lat_0", 0.0)?,
            lon0: num("lon_0", 0.0)?,
            k0: if has("k_0") {
                num("k_0", 1.0)?
            } else {
                num("k", 1.0)?
            },
            false_easting: num("x_0", 0.0)?,
            false_northing: num("y_0", 0.0)?,
        },
        Some("utm") => {
            let zone = num("zone", f64::NAN)?;
            if !((1.0..=60.0).contains(&zone) && zone.fract() == 0.0) {
                return Err("+proj=utm needs +zone=1…60".into());
            }
            CrsKind::TransverseMercator {
                lat0: 0.0,
                lon0: 6.0 * zone - 183.0,
                k0: 0.9996,
                false_easting: 500_000.0,
                false_northing: if has("south") { 10_000_000.0 } else { 0.0 },
            }
        }
        Some(other) => {
            return Err(format!(
                "+proj={other}: Terminus handles longlat, tmerc and utm"
            ))
        }
        None => return Err("no +proj=".into()),
    };
    if let CrsKind::TransverseMercator { lat0, .. } = kind {
        if lat0 != 0.0 {
            return Err(format!(
                "+lat_0={lat0}: only transverse Mercator with latitude of origin 0 is supported"
            ));
        }
    }
    Ok(ProjDefinition {
        ellipsoid,
        kind,
        datum,
    })
}
