//! Quantities as people write them on a command line or in a form.

/// Distances: 100, 100m, 0.1km, 250 m, 5cm, 1mm → metres.
///
/// ```
/// use terminus_app::units::parse_distance;
/// assert_eq!(parse_distance("0.5km"), Ok(500.0));
/// assert_eq!(parse_distance("250 m"), Ok(250.0));
/// assert!(parse_distance("-3m").is_err());
/// ```
pub fn parse_distance(s: &str) -> Result<f64, String> {
    let t = s.trim().to_ascii_lowercase();
    let (num, scale) = if let Some(n) = t.strip_suffix("km") {
        (n, 1000.0)
    } else if let Some(n) = t.strip_suffix("cm") {
        (n, 0.01)
    } else if let Some(n) = t.strip_suffix("mm") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 1.0)
    } else {
        (t.as_str(), 1.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v * scale),
        _ => Err(format!("{s:?} is not a distance (e.g. 100m, 0.5km)")),
    }
}

/// The EPSG code of `EPSG:CODE` (or just the code), as `--op` takes it.
///
/// ```
/// use terminus_app::units::parse_epsg;
/// assert_eq!(parse_epsg("EPSG:1808"), Ok(1808));
/// assert_eq!(parse_epsg("15865"), Ok(15865));
/// assert!(parse_epsg("WGS84").is_err());
/// ```
pub fn parse_epsg(s: &str) -> Result<u32, String> {
    let code = s
        .trim()
        .trim_start_matches("EPSG:")
        .trim_start_matches("epsg:");
    code.parse::<u32>()
        .map_err(|_| format!("{s}: expected EPSG:CODE, e.g. EPSG:15865"))
}
