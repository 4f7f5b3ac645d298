//! Soviet topographic map sheet nomenclature (the 1:1,000,000 international
//! index subdivided as the USSR General Staff maps are): sheet ↔ bounds,
//! the sheet covering a point, the sheets a line crosses.
//!
//! | scale | id | subdivision of the parent | size |
//! |---|---|---|---|
//! | 1:1,000,000 | `K-38` | row letter A–V (4° bands north of the equator), column 1–60 (6° from 180°W) | 4° × 6° |
//! | 1:500,000 | `K-38-Г` | 2 × 2, А Б В Г | 2° × 3° |
//! | 1:200,000 | `K-38-XXXII` | 6 × 6, I–XXXVI | 40′ × 1° |
//! | 1:100,000 | `K-38-128` | 12 × 12, 1–144 | 20′ × 30′ |
//! | 1:50,000 | `K-38-128-А` | 2 × 2 of the 1:100,000, А Б В Г | 10′ × 15′ |
//! | 1:25,000 | `K-38-128-А-а` | 2 × 2, а б в г | 5′ × 7′30″ |
//! | 1:10,000 | `K-38-128-А-а-1` | 2 × 2, 1 2 3 4 | 2′30″ × 3′45″ |
//!
//! Subdivisions are numbered row by row from the north-west corner. Bounds
//! are in Pulkovo 1942 (EPSG:4284) degrees: a WGS 84 position must be
//! transformed first (about 100 m apart here). Letters are written in
//! Cyrillic; Latin A B C D, A B V G (and a b c d, a b v g) are read too,
//! except that a Latin V in third place is the Roman numeral of a
//! 1:200,000 sheet (write В or C for the 1:500,000 quarter).
//! Sheets north of 60°N (doubled and quadrupled in width) and south of the
//! equator are refused.

use crate::LatLon;
use std::fmt;

/// A map scale of the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scale {
    /// 1:1,000,000.
    M1000000,
    /// 1:500,000.
    M500000,
    /// 1:200,000.
    M200000,
    /// 1:100,000.
    M100000,
    /// 1:50,000.
    M50000,
    /// 1:25,000.
    M25000,
    /// 1:10,000.
    M10000,
}

impl Scale {
    /// From the denominator (1000000, 500000, …).
    pub fn from_denominator(n: u32) -> Option<Scale> {
        Some(match n {
            1_000_000 => Scale::M1000000,
            500_000 => Scale::M500000,
            200_000 => Scale::M200000,
            100_000 => Scale::M100000,
            50_000 => Scale::M50000,
            25_000 => Scale::M25000,
            10_000 => Scale::M10000,
            _ => return None,
        })
    }
    /// The denominator.
    pub fn denominator(self) -> u32 {
        match self {
            Scale::M1000000 => 1_000_000,
            Scale::M500000 => 500_000,
            Scale::M200000 => 200_000,
            Scale::M100000 => 100_000,
            Scale::M50000 => 50_000,
            Scale::M25000 => 25_000,
            Scale::M10000 => 10_000,
        }
    }
    /// Sheet size (latitude, longitude) in degrees.
    pub fn size(self) -> (f64, f64) {
        match self {
            Scale::M1000000 => (4.0, 6.0),
            Scale::M500000 => (2.0, 3.0),
            Scale::M200000 => (2.0 / 3.0, 1.0),
            Scale::M100000 => (1.0 / 3.0, 0.5),
            Scale::M50000 => (1.0 / 6.0, 0.25),
            Scale::M25000 => (1.0 / 12.0, 0.125),
            Scale::M10000 => (1.0 / 24.0, 0.0625),
        }
    }
}

/// A map sheet: its id, scale and bounds (Pulkovo 1942 degrees).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Nomenclature, e.g. "K-38-128-А".
    pub id: String,
    /// Scale.
    pub scale: Scale,
    /// Southern edge.
    pub south: f64,
    /// Northern edge.
    pub north: f64,
    /// Western edge.
    pub west: f64,
    /// Eastern edge.
    pub east: f64,
}

impl fmt::Display for Sheet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

/// Why a sheet id or position cannot be handled.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SheetError {
    /// Unreadable id.
    #[error("{0:?} is not a sheet id: expected e.g. K-38, K-38-Г, K-38-XXXII, K-38-128, K-38-128-А, K-38-128-А-а, K-38-128-А-а-1 ({1})")]
    BadId(String, String),
    /// Outside what the module covers.
    #[error("{0}")]
    Unsupported(String),
}

const ROWS: &str = "ABCDEFGHIJKLMNO";
const UPPER: [char; 4] = ['А', 'Б', 'В', 'Г'];
const LOWER: [char; 4] = ['а', 'б', 'в', 'г'];
const ROMAN: [&str; 36] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
    "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII", "XXIII", "XXIV", "XXV", "XXVI", "XXVII",
    "XXVIII", "XXIX", "XXX", "XXXI", "XXXII", "XXXIII", "XXXIV", "XXXV", "XXXVI",
];

/// Index 0–3 of a quarter letter, Cyrillic or Latin, either case (the
/// position in the id says which level it is).
fn quarter(s: &str) -> Option<usize> {
    let mut chars = s.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    if let Some(i) = UPPER
        .iter()
        .position(|&x| x == c)
        .or_else(|| LOWER.iter().position(|&x| x == c))
    {
        return Some(i);
    }
    match c.to_ascii_lowercase() {
        'a' => Some(0),
        'b' => Some(1),
        'c' | 'v' => Some(2),
        'd' | 'g' => Some(3),
        _ => None,
    }
}

fn sub(s: &Sheet, scale: Scale, rows: usize, cols: usize, index: usize, id: String) -> Sheet {
    let (dlat, dlon) = (
        (s.north - s.south) / rows as f64,
        (s.east - s.west) / cols as f64,
    );
    let (r, c) = (index / cols, index % cols);
    Sheet {
        id,
        scale,
        north: s.north - r as f64 * dlat,
        south: s.north - (r + 1) as f64 * dlat,
        west: s.west + c as f64 * dlon,
        east: s.west + (c + 1) as f64 * dlon,
    }
}

/// The sheet with this id.
///
/// ```
/// use terminus_geodesy::nomenclature::{parse, Scale};
/// let s = parse("K-38-128").unwrap();
/// assert_eq!(s.scale, Scale::M100000);
/// assert_eq!((s.south, s.north, s.west, s.east), (40.0 + 1.0 / 3.0, 40.0 + 2.0 / 3.0, 45.5, 46.0));
/// assert_eq!(parse("k-38-128-b-v").unwrap().id, "K-38-128-Б-в");
/// ```
pub fn parse(id: &str) -> Result<Sheet, SheetError> {
    let bad = |why: &str| SheetError::BadId(id.to_string(), why.to_string());
    let parts: Vec<&str> = id
        .trim()
        .split(['-', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return Err(bad("too few parts"));
    }
    let row_letter = parts[0].to_ascii_uppercase();
    let row = match row_letter.as_str() {
        r if r.len() == 1 => ROWS
            .find(r)
            .ok_or_else(|| bad("the row letter must be A–O (0°–60°N)"))?,
        _ => return Err(bad("the row is one letter")),
    };
    let col: usize = parts[1]
        .parse()
        .map_err(|_| bad("the column is a number 1–60"))?;
    if !(1..=60).contains(&col) {
        return Err(bad("the column is a number 1–60"));
    }
    let mut s = Sheet {
        id: format!("{row_letter}-{col}"),
        scale: Scale::M1000000,
        south: row as f64 * 4.0,
        north: row as f64 * 4.0 + 4.0,
        west: -180.0 + (col - 1) as f64 * 6.0,
        east: -180.0 + col as f64 * 6.0,
    };
    let Some(third) = parts.get(2) else {
        return Ok(s);
    };
    // Roman numerals first: a Latin "V" here is the 1:200,000 sheet V, not В.
    if let Some(r) = ROMAN.iter().position(|x| x.eq_ignore_ascii_case(third)) {
        if parts.len() > 3 {
            return Err(bad(
                "a 1:200,000 sheet is not subdivided further in this series",
            ));
        }
        let id = format!("{}-{}", s.id, ROMAN[r]);
        return Ok(sub(&s, Scale::M200000, 6, 6, r, id));
    }
    if let Some(q) = quarter(third) {
        if parts.len() > 3 {
            return Err(bad(
                "a 1:500,000 sheet is not subdivided further in this series",
            ));
        }
        let id = format!("{}-{}", s.id, UPPER[q]);
        return Ok(sub(&s, Scale::M500000, 2, 2, q, id));
    }
    let n: usize = third
        .parse()
        .map_err(|_| bad("the third part is А–Г, I–XXXVI or 1–144"))?;
    if !(1..=144).contains(&n) {
        return Err(bad("1:100,000 sheets are numbered 1–144"));
    }
    s = sub(&s, Scale::M100000, 12, 12, n - 1, format!("{}-{n}", s.id));
    if let Some(p) = parts.get(3) {
        let q = quarter(p).ok_or_else(|| bad("the 1:50,000 letter is А, Б, В or Г"))?;
        s = sub(&s, Scale::M50000, 2, 2, q, format!("{}-{}", s.id, UPPER[q]));
    }
    if let Some(p) = parts.get(4) {
        let q = quarter(p).ok_or_else(|| bad("the 1:25,000 letter is а, б, в or г"))?;
        s = sub(&s, Scale::M25000, 2, 2, q, format!("{}-{}", s.id, LOWER[q]));
    }
    if let Some(p) = parts.get(5) {
        let q: usize = p
            .parse()
            .ok()
            .filter(|q| (1..=4).contains(q))
            .ok_or_else(|| bad("the 1:10,000 number is 1–4"))?;
        s = sub(&s, Scale::M10000, 2, 2, q - 1, format!("{}-{q}", s.id));
    }
    if parts.len() > 6 {
        return Err(bad("too many parts"));
    }
    Ok(s)
}

/// The sheet at a scale containing a Pulkovo 1942 position (a point on a
/// sheet edge belongs to the sheet north and east of it).
///
/// ```
/// use terminus_geodesy::nomenclature::{sheet_at, Scale};
/// // Artsvashen, 40°38′46″N 45°30′56″E.
/// use terminus_geodesy::LatLon;
/// let at = LatLon::new(40.0 + 38.0 / 60.0 + 46.0 / 3600.0, 45.0 + 30.0 / 60.0 + 56.0 / 3600.0);
/// let s = sheet_at(at, Scale::M100000).unwrap();
/// assert_eq!(s.id, "K-38-128");
/// ```
pub fn sheet_at(at: LatLon, scale: Scale) -> Result<Sheet, SheetError> {
    let LatLon { lat, lon } = at;
    if !(lat.is_finite() && lon.is_finite()) || lat.abs() > 90.0 {
        return Err(SheetError::Unsupported(format!(
            "({lat}, {lon}) is not a latitude/longitude"
        )));
    }
    if !(0.0..60.0).contains(&lat) {
        return Err(SheetError::Unsupported(format!(
            "latitude {lat}°: only sheets between the equator and 60°N are supported (north of 60° they are doubled in width)"
        )));
    }
    let lon = ((lon + 180.0).rem_euclid(360.0)) - 180.0;
    let row = (lat / 4.0).floor() as usize;
    let col = ((lon + 180.0) / 6.0).floor() as usize + 1;
    let m = parse(&format!("{}-{col}", &ROWS[row..row + 1]))?;
    // Index within a parent: rows counted from the north.
    let idx = |s: &Sheet, rows: usize, cols: usize| -> usize {
        let r = (((s.north - lat) / (s.north - s.south)) * rows as f64)
            .floor()
            .clamp(0.0, rows as f64 - 1.0) as usize;
        let c = (((lon - s.west) / (s.east - s.west)) * cols as f64)
            .floor()
            .clamp(0.0, cols as f64 - 1.0) as usize;
        // A point exactly on a parallel belongs to the sheet to its north.
        let r = if r > 0 && (s.north - (r as f64) * (s.north - s.south) / rows as f64) == lat {
            r - 1
        } else {
            r
        };
        r * cols + c
    };
    let id = match scale {
        Scale::M1000000 => return Ok(m),
        Scale::M500000 => format!("{}-{}", m.id, UPPER[idx(&m, 2, 2)]),
        Scale::M200000 => format!("{}-{}", m.id, ROMAN[idx(&m, 6, 6)]),
        _ => {
            let h = parse(&format!("{}-{}", m.id, idx(&m, 12, 12) + 1))?;
            if scale == Scale::M100000 {
                return Ok(h);
            }
            let f = parse(&format!("{}-{}", h.id, UPPER[idx(&h, 2, 2)]))?;
            if scale == Scale::M50000 {
                return Ok(f);
            }
            let t = parse(&format!("{}-{}", f.id, LOWER[idx(&f, 2, 2)]))?;
            if scale == Scale::M25000 {
                return Ok(t);
            }
            format!("{}-{}", t.id, idx(&t, 2, 2) + 1)
        }
    };
    parse(&id)
}

/// Every sheet at `scale` that the path (Pulkovo 1942 (lat, lon) vertices,
/// straight in latitude/longitude between them: densify geodesics first)
/// passes through, in the order the path meets them. Exact for the straight
/// pieces: a grid traversal (Amanatides & Woo 1987) visits every cell a
/// piece enters, corners included.
pub fn sheets_along(path: &[LatLon], scale: Scale) -> Result<Vec<Sheet>, SheetError> {
    let (dlat, dlon) = scale.size();
    let mut out: Vec<Sheet> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut visit = |lat: f64, lon: f64, out: &mut Vec<Sheet>| -> Result<(), SheetError> {
        let s = sheet_at(LatLon::new(lat, lon), scale)?;
        if seen.insert(s.id.clone()) {
            out.push(s);
        }
        Ok(())
    };
    if let Some(&LatLon { lat, lon }) = path.first() {
        visit(lat, lon, &mut out)?;
    }
    for w in path.windows(2) {
        let ((y0, x0), (y1, x1)) = (w[0].tuple(), w[1].tuple());
        let (gx0, gy0) = ((x0 + 180.0) / dlon, y0 / dlat);
        let (gx1, gy1) = ((x1 + 180.0) / dlon, y1 / dlat);
        let (mut cx, mut cy) = (gx0.floor(), gy0.floor());
        let (ex, ey) = (gx1.floor(), gy1.floor());
        let (sx, sy) = ((gx1 - gx0).signum(), (gy1 - gy0).signum());
        let t_delta_x = if gx1 != gx0 {
            1.0 / (gx1 - gx0).abs()
        } else {
            f64::INFINITY
        };
        let t_delta_y = if gy1 != gy0 {
            1.0 / (gy1 - gy0).abs()
        } else {
            f64::INFINITY
        };
        let mut t_max_x = if sx > 0.0 {
            (cx + 1.0 - gx0) * t_delta_x
        } else if sx < 0.0 {
            (gx0 - cx) * t_delta_x
        } else {
            f64::INFINITY
        };
        let mut t_max_y = if sy > 0.0 {
            (cy + 1.0 - gy0) * t_delta_y
        } else if sy < 0.0 {
            (gy0 - cy) * t_delta_y
        } else {
            f64::INFINITY
        };
        let mut guard = 0;
        while (cx != ex || cy != ey) && guard < 1_000_000 {
            guard += 1;
            if t_max_x < t_max_y {
                cx += sx;
                t_max_x += t_delta_x;
            } else {
                cy += sy;
                t_max_y += t_delta_y;
            }
            // The centre of the cell names it.
            visit((cy + 0.5) * dlat, (cx + 0.5) * dlon - 180.0, &mut out)?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_of_the_artsvashen_sheet() {
        let (lat, lon) = (
            40.0 + 38.0 / 60.0 + 46.0 / 3600.0,
            45.0 + 30.0 / 60.0 + 56.0 / 3600.0,
        );
        let ids: Vec<String> = [
            Scale::M1000000,
            Scale::M500000,
            Scale::M200000,
            Scale::M100000,
            Scale::M50000,
            Scale::M25000,
            Scale::M10000,
        ]
        .iter()
        .map(|&s| sheet_at(LatLon::new(lat, lon), s).unwrap().id)
        .collect();
        // K-38: 40–44°N 42–48°E. 1:500k: southern half, eastern half → Г.
        // 1:200k: 40′ rows from 44°N: row 5; 1° columns from 42°E: column 3 → XXXIV.
        // 1:10k: K-38-128-А-а is 40°35′–40°40′N, 45°30′–45°37′30″E; its NW quarter (1)
        // reaches down to 40°37′30″ and east to 45°33′45″.
        assert_eq!(
            ids,
            [
                "K-38",
                "K-38-Г",
                "K-38-XXXIV",
                "K-38-128",
                "K-38-128-А",
                "K-38-128-А-а",
                "K-38-128-А-а-1"
            ]
        );
        for id in &ids {
            let s = parse(id).unwrap();
            assert!(
                s.south <= lat && lat < s.north && s.west <= lon && lon < s.east,
                "{id}: {s:?}"
            );
            assert_eq!(&s.id, id);
        }
    }

    #[test]
    fn latin_and_cyrillic_ids_agree_and_bad_ids_say_why() {
        assert_eq!(
            parse("K-38-128-A-a-1").unwrap(),
            parse("K-38-128-А-а-1").unwrap()
        );
        assert_eq!(parse("K-38-G").unwrap().id, "K-38-Г");
        assert_eq!(parse("K-38-xxxii").unwrap().id, "K-38-XXXII");
        // Latin V in third place is the 1:200,000 sheet V; В is the quarter.
        assert_eq!(parse("J-38-V").unwrap().id, "J-38-V");
        assert_eq!(parse("J-38-В").unwrap().scale, Scale::M500000);
        for r in ROMAN {
            let id = format!("K-38-{r}");
            assert_eq!(parse(&id).unwrap().id, id);
        }
        for bad in [
            "K",
            "K-61",
            "K-38-145",
            "K-38-128-Д",
            "Z-38",
            "K-38-128-А-а-5",
            "K-38-Г-1",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(sheet_at(LatLon::new(-10.0, 45.0), Scale::M100000).is_err());
        assert!(sheet_at(LatLon::new(65.0, 45.0), Scale::M100000).is_err());
    }

    #[test]
    fn a_line_near_a_corner_meets_the_sheets_it_enters() {
        // From inside K-38-128 to inside K-38-141 (the sheet south-east of it, across
        // the shared corner at 40°20′N 46°E): a diagonal through the corner's
        // neighbourhood must list the sheets it enters, in order.
        let path = [LatLon::new(40.34, 45.99), LatLon::new(40.32, 46.01)];
        let ids: Vec<String> = sheets_along(&path, Scale::M100000)
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids.first().map(String::as_str), Some("K-38-128"));
        assert_eq!(ids.last().map(String::as_str), Some("K-38-141"));
        assert_eq!(ids.len(), 3, "{ids:?}");
    }
}
