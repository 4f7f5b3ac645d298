//! Angles written as degrees–minutes–seconds or decimal degrees: parsed
//! from the notations of field practice and formatted for catalogues and
//! protocols. Angles are geodesy, not a file format: CSV tables, the
//! protocol-description, GeodSolve-style input and the catalogue all use
//! this one module.
//!
//! Accepted (any of these, with the hemisphere letter before or after, or a
//! leading minus sign): `40°38′46.123″N`, `40°38'46.123"N`, `40 38 46.123 N`,
//! `N40d38'46.123"`, `40:38:46.123`, `40d 38m 46.123s N`, `40°38.5′N`,
//! `-40.646145`, `40.646145N`, `40°38′46.123″ с.ш.` (Russian с.ш./ю.ш.,
//! в.д./з.д.). Minutes and seconds must be below 60.
//! Hemisphere letters are capitals (N, S, E, W); `s` marks seconds.

/// Which axis a value is for: decides the allowed hemisphere letters and range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// N/S, within ±90°.
    Latitude,
    /// E/W, within ±180°.
    Longitude,
}

/// Parse an angle in degrees; the error says what is wrong with the text.
///
/// ```
/// use terminus_geodesy::angle::{parse_angle, Axis};
/// let a = parse_angle("40°38′46.123″N", Axis::Latitude).unwrap();
/// assert!((a - (40.0 + 38.0 / 60.0 + 46.123 / 3600.0)).abs() < 1e-12);
/// assert_eq!(parse_angle("N40d38'46.123\"", Axis::Latitude).unwrap(), a);
/// assert_eq!(parse_angle("40 38 46.123 W", Axis::Longitude).unwrap(), -a);
/// assert!(parse_angle("40°61′00″N", Axis::Latitude).is_err());
/// assert_eq!(parse_angle("40°38′46.123″ с.ш.", Axis::Latitude).unwrap(), a);
/// assert_eq!(parse_angle("40 38 46.123 в.д.", Axis::Longitude).unwrap(), a);
/// ```
pub fn parse_angle(text: &str, axis: Axis) -> Result<f64, String> {
    // Russian hemisphere suffixes: с.ш./ю.ш. (north/south latitude),
    // в.д./з.д. (east/west longitude), with or without the dots.
    let russian = text
        .replace("с.ш.", "N")
        .replace("ю.ш.", "S")
        .replace("в.д.", "E")
        .replace("з.д.", "W")
        .replace("с.ш", "N")
        .replace("в.д", "E");
    let t = russian.trim();
    if t.is_empty() {
        return Err("empty value".into());
    }
    let mut sign = 1.0;
    let mut hemisphere: Option<char> = None;
    let mut body = String::with_capacity(t.len());
    for (i, ch) in t.chars().enumerate() {
        // Hemisphere letters are capitals; a lower-case s marks seconds.
        let up = ch;
        match up {
            'N' | 'S' | 'E' | 'W' => {
                if hemisphere.is_some() {
                    return Err(format!("{t:?}: more than one hemisphere letter"));
                }
                hemisphere = Some(up);
                body.push(' ');
            }
            '-' | '−' if i == 0 || body.trim().is_empty() => {
                sign = -1.0;
            }
            '+' if body.trim().is_empty() => {}
            _ => body.push(ch),
        }
    }
    if let Some(h) = hemisphere {
        let ok = match axis {
            Axis::Latitude => matches!(h, 'N' | 'S'),
            Axis::Longitude => matches!(h, 'E' | 'W'),
        };
        if !ok {
            let what = if axis == Axis::Latitude {
                "latitude"
            } else {
                "longitude"
            };
            return Err(format!(
                "{t:?}: hemisphere {h} in a {what} column: latitude and longitude swapped?"
            ));
        }
        if sign < 0.0 {
            return Err(format!("{t:?}: both a minus sign and a hemisphere letter"));
        }
        if matches!(h, 'S' | 'W') {
            sign = -1.0;
        }
    }
    // Split on any separator: degree, minute, second marks, d/m/s letters,
    // colons, spaces.
    let mut parts: Vec<&str> = Vec::new();
    let mut marks = 0usize;
    for piece in body.split(|c: char| {
        let sep = matches!(
            c,
            '°' | 'º'
                | 'd'
                | 'D'
                | '\''
                | '′'
                | '’'
                | 'm'
                | 'M'
                | '"'
                | '″'
                | '”'
                | 's'
                | ':'
                | ' '
                | '\t'
        ) || c == '\u{a0}';
        if sep && !c.is_whitespace() {
            marks += 1;
        }
        sep
    }) {
        if !piece.is_empty() {
            parts.push(piece);
        }
    }
    if parts.is_empty() || parts.len() > 3 {
        return Err(format!(
            "{t:?}: expected degrees, or degrees minutes [seconds]"
        ));
    }
    let nums: Vec<f64> = parts
        .iter()
        .map(|p| {
            p.replace(',', ".")
                .parse::<f64>()
                .map_err(|_| format!("{t:?}: {p:?} is not a number"))
        })
        .collect::<Result<_, _>>()?;
    if nums.iter().any(|n| !n.is_finite() || *n < 0.0) {
        return Err(format!("{t:?}: parts must be non-negative numbers"));
    }
    for (i, n) in nums.iter().enumerate().skip(1) {
        if *n >= 60.0 {
            let unit = if i == 1 { "minutes" } else { "seconds" };
            return Err(format!("{t:?}: {unit} must be below 60, found {n}"));
        }
    }
    if nums.len() > 1 && nums[0].fract() != 0.0 {
        return Err(format!("{t:?}: degrees must be whole when minutes follow"));
    }
    if nums.len() > 2 && nums[1].fract() != 0.0 {
        return Err(format!("{t:?}: minutes must be whole when seconds follow"));
    }
    let deg = nums[0]
        + nums.get(1).copied().unwrap_or(0.0) / 60.0
        + nums.get(2).copied().unwrap_or(0.0) / 3600.0;
    let limit = if axis == Axis::Latitude { 90.0 } else { 180.0 };
    if deg > limit {
        let what = if axis == Axis::Latitude {
            "latitude"
        } else {
            "longitude"
        };
        return Err(format!("{t:?}: {what} {deg}° is beyond ±{limit}°"));
    }
    Ok(sign * deg)
}

/// Format degrees as `40°38′46.123″N` with `decimals` decimals of a second.
///
/// ```
/// use terminus_geodesy::angle::{format_dms, Axis};
/// assert_eq!(format_dms(40.646145277777, Axis::Latitude, 3), "40°38′46.123″N");
/// assert_eq!(format_dms(-0.5, Axis::Longitude, 1), "0°30′00.0″W");
/// ```
pub fn format_dms(deg: f64, axis: Axis, decimals: usize) -> String {
    let h = match (axis, deg < 0.0) {
        (Axis::Latitude, false) => 'N',
        (Axis::Latitude, true) => 'S',
        (Axis::Longitude, false) => 'E',
        (Axis::Longitude, true) => 'W',
    };
    let scale = 10f64.powi(decimals as i32);
    // Round once, in units of the last decimal of a second, so 59.9996″ carries.
    let total = (deg.abs() * 3600.0 * scale).round();
    let per_min = 60.0 * scale;
    let per_deg = 3600.0 * scale;
    let d = (total / per_deg).floor();
    let m = ((total - d * per_deg) / per_min).floor();
    let s = (total - d * per_deg - m * per_min) / scale;
    let width = if decimals > 0 { decimals + 3 } else { 2 };
    format!("{d}°{m:02}′{s:0width$.decimals$}″{h}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_documented_forms_agree() {
        let want = 40.0 + 38.0 / 60.0 + 46.123 / 3600.0;
        for s in [
            "40°38′46.123″N",
            "40°38'46.123\"N",
            "40 38 46.123 N",
            "N40d38'46.123\"",
            "40:38:46.123",
            "40d 38m 46.123s N",
            "+40 38 46,123",
        ] {
            let v = parse_angle(s, Axis::Latitude).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert!((v - want).abs() < 1e-12, "{s}: {v}");
        }
        assert_eq!(parse_angle("-45.5", Axis::Longitude).unwrap(), -45.5);
        assert_eq!(parse_angle("45°30′E", Axis::Longitude).unwrap(), 45.5);
        assert_eq!(
            parse_angle("45°30.5′", Axis::Longitude).unwrap(),
            45.0 + 30.5 / 60.0
        );
    }

    #[test]
    fn bad_values_say_why() {
        assert!(parse_angle("40°38′61″N", Axis::Latitude)
            .unwrap_err()
            .contains("seconds must be below 60"));
        assert!(parse_angle("91 00 00 N", Axis::Latitude)
            .unwrap_err()
            .contains("beyond"));
        assert!(parse_angle("40 38 46 E", Axis::Latitude)
            .unwrap_err()
            .contains("swapped"));
        assert!(parse_angle("4O°38′", Axis::Latitude)
            .unwrap_err()
            .contains("not a number"));
        assert!(parse_angle("", Axis::Latitude).is_err());
        assert!(parse_angle("-40 N", Axis::Latitude).is_err());
    }

    #[test]
    fn format_round_trips_to_a_thousandth_of_a_second() {
        for i in 0..2000 {
            let deg = -89.9 + i as f64 * 0.0899123;
            let s = format_dms(deg, Axis::Latitude, 3);
            let back = parse_angle(&s, Axis::Latitude).unwrap();
            assert!(
                (back - deg).abs() * 3600.0 <= 0.0005 + 1e-9,
                "{deg} -> {s} -> {back}"
            );
        }
    }
}
