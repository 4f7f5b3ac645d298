//! Recognising a CRS from the many ways files name one.

use super::registry::lookup;
use super::{Crs, CrsError};

/// All codes of the registry, for matching names.
fn registry_codes() -> impl Iterator<Item = u32> {
    [4326u32, 4284, 3857]
        .into_iter()
        .chain(32601..=32660)
        .chain(32701..=32760)
        .chain(28404..=28432)
        .chain(2492..=2549)
}

fn epsg(code: u32) -> Result<Crs, CrsError> {
    if lookup(code).is_some() {
        Ok(Crs::Epsg(code))
    } else {
        Err(CrsError::UnknownEpsg(code))
    }
}

fn parse_code(s: &str) -> Option<u32> {
    let s = s.trim();
    if !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

pub(super) fn parse_crs(text: &str) -> Result<Crs, CrsError> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(code) = parse_code(t) {
        return epsg(code);
    }
    if lower.ends_with("crs84") && !t.contains('[') {
        return Ok(Crs::WGS84);
    }
    if let Some(rest) = lower.strip_prefix("epsg:") {
        if let Some(code) = parse_code(rest.trim_start_matches(':')) {
            return epsg(code);
        }
    }
    if lower.starts_with("urn:ogc:def:crs:epsg:") {
        if let Some(code) = lower.rsplit(':').next().and_then(parse_code) {
            return epsg(code);
        }
    }
    if lower.starts_with("http://www.opengis.net/def/crs/epsg/")
        || lower.starts_with("https://www.opengis.net/def/crs/epsg/")
    {
        if let Some(code) = lower
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .and_then(parse_code)
        {
            return epsg(code);
        }
    }
    if lower.starts_with("+proj=") || lower.contains(" +proj=") {
        return Ok(identify_proj(&lower)
            .map(Crs::Epsg)
            .unwrap_or_else(|| Crs::Custom(t.to_string())));
    }
    if t.contains('[')
        && t.as_bytes()
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic())
    {
        let tree = parse_wkt_tree(t).ok_or_else(|| CrsError::Unrecognised(short(t)))?;
        return Ok(identify_wkt(&tree)
            .map(Crs::Epsg)
            .unwrap_or_else(|| Crs::Custom(t.to_string())));
    }
    Err(CrsError::Unrecognised(short(t)))
}

fn short(t: &str) -> String {
    t.chars().take(80).collect()
}

/// A PROJ string naming a registry CRS: WGS 84 longlat, or WGS 84 UTM.
fn identify_proj(lower: &str) -> Option<u32> {
    let params: Vec<&str> = lower.split_whitespace().collect();
    let get = |k: &str| {
        params.iter().find_map(|p| {
            p.strip_prefix('+')
                .and_then(|p| p.strip_prefix(k))
                .and_then(|p| p.strip_prefix('='))
        })
    };
    let has = |k: &str| params.iter().any(|p| *p == format!("+{k}"));
    let wgs84 =
        get("datum") == Some("wgs84") || get("ellps") == Some("wgs84") && get("towgs84").is_none();
    match get("proj")? {
        "longlat" | "latlong" if wgs84 => Some(4326),
        "utm" if wgs84 => {
            let zone: u32 = get("zone")?.parse().ok()?;
            if !(1..=60).contains(&zone) {
                return None;
            }
            Some(if has("south") {
                32700 + zone
            } else {
                32600 + zone
            })
        }
        _ => None,
    }
}

/// A node of a WKT (1 or 2) text: `KEYWORD[arg, arg, …]`.
#[derive(Debug, Clone, PartialEq)]
pub enum WktNode {
    /// A keyword with arguments.
    Node(String, Vec<WktNode>),
    /// A quoted string.
    Text(String),
    /// A number or a bare word (e.g. `NORTH`).
    Word(String),
}

impl WktNode {
    fn children(&self) -> &[WktNode] {
        match self {
            WktNode::Node(_, c) => c,
            _ => &[],
        }
    }
    fn keyword(&self) -> Option<&str> {
        match self {
            WktNode::Node(k, _) => Some(k),
            _ => None,
        }
    }
    fn text(&self) -> Option<&str> {
        match self {
            WktNode::Text(s) | WktNode::Word(s) => Some(s),
            _ => None,
        }
    }
}

/// Parse WKT text into a tree; `None` when brackets or quotes do not balance.
pub fn parse_wkt_tree(text: &str) -> Option<WktNode> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0;
    let node = parse_node(&chars, &mut pos)?;
    skip_ws(&chars, &mut pos);
    (pos == chars.len()).then_some(node)
}

fn skip_ws(c: &[char], pos: &mut usize) {
    while *pos < c.len() && c[*pos].is_whitespace() {
        *pos += 1;
    }
}

fn parse_node(c: &[char], pos: &mut usize) -> Option<WktNode> {
    skip_ws(c, pos);
    if *pos >= c.len() {
        return None;
    }
    if c[*pos] == '"' {
        let mut s = String::new();
        *pos += 1;
        loop {
            let ch = *c.get(*pos)?;
            *pos += 1;
            if ch == '"' {
                // WKT escapes a quote by doubling it.
                if c.get(*pos) == Some(&'"') {
                    s.push('"');
                    *pos += 1;
                    continue;
                }
                return Some(WktNode::Text(s));
            }
            s.push(ch);
        }
    }
    let start = *pos;
    while *pos < c.len()
        && !matches!(c[*pos], '[' | '(' | ']' | ')' | ',')
        && !c[*pos].is_whitespace()
    {
        *pos += 1;
    }
    let word: String = c[start..*pos].iter().collect();
    if word.is_empty() {
        return None;
    }
    skip_ws(c, pos);
    if *pos < c.len() && matches!(c[*pos], '[' | '(') {
        *pos += 1;
        let mut args = Vec::new();
        loop {
            skip_ws(c, pos);
            if *pos < c.len() && matches!(c[*pos], ']' | ')') {
                *pos += 1;
                break;
            }
            args.push(parse_node(c, pos)?);
            skip_ws(c, pos);
            match c.get(*pos)? {
                ',' => *pos += 1,
                ']' | ')' => {
                    *pos += 1;
                    break;
                }
                _ => return None,
            }
        }
        Some(WktNode::Node(word.to_ascii_uppercase(), args))
    } else {
        Some(WktNode::Word(word))
    }
}

/// The name (first quoted argument) of a WKT's root node.
pub(super) fn wkt_name(text: &str) -> Option<String> {
    let tree = parse_wkt_tree(text)?;
    tree.children().first()?.text().map(str::to_string)
}

fn identify_wkt(tree: &WktNode) -> Option<u32> {
    // The root's own AUTHORITY (WKT 1) or ID (WKT 2) names the whole CRS;
    // nested ones name its parts (datum, ellipsoid, base CRS).
    for child in tree.children() {
        if matches!(child.keyword(), Some("AUTHORITY") | Some("ID")) {
            let args = child.children();
            let org = args.first()?.text()?;
            if org.eq_ignore_ascii_case("EPSG") {
                let code = parse_code(args.get(1)?.text()?)?;
                return lookup(code).map(|d| d.code);
            }
        }
    }
    let name = tree.children().first()?.text()?;
    identify_name(name)
}

/// Match a CRS name, GDAL's ("WGS 84 / UTM zone 38N") or ESRI's
/// ("WGS_1984_UTM_Zone_38N", "GCS_Pulkovo_1942", "Pulkovo_1942_GK_Zone_8").
fn identify_name(name: &str) -> Option<u32> {
    let key = normalise_name(name);
    registry_codes().find(|&code| lookup(code).is_some_and(|d| normalise_name(&d.name) == key))
}

fn normalise_name(name: &str) -> String {
    let mut s: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if let Some(rest) = s.strip_prefix("gcs") {
        s = rest.to_string();
    }
    s = s.replace("wgs1984", "wgs84");
    s = s.replace("webmercatorauxiliarysphere", "pseudomercator");
    s = s.replace("pulkovo1942gk", "pulkovo1942gausskruger");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_urns() {
        assert_eq!(parse_crs("EPSG:4326").unwrap(), Crs::Epsg(4326));
        assert_eq!(parse_crs("epsg:28408").unwrap(), Crs::Epsg(28408));
        assert_eq!(
            parse_crs("urn:ogc:def:crs:OGC:1.3:CRS84").unwrap(),
            Crs::Epsg(4326)
        );
        assert_eq!(
            parse_crs("http://www.opengis.net/def/crs/EPSG/0/32638").unwrap(),
            Crs::Epsg(32638)
        );
        assert_eq!(
            parse_crs("+proj=utm +zone=39 +datum=WGS84 +units=m").unwrap(),
            Crs::Epsg(32639)
        );
        assert_eq!(
            parse_crs("+proj=utm +zone=39 +south +datum=WGS84").unwrap(),
            Crs::Epsg(32739)
        );
        assert!(matches!(parse_crs("EPSG:2"), Err(CrsError::UnknownEpsg(2))));
        assert!(matches!(
            parse_crs("nonsense"),
            Err(CrsError::Unrecognised(_))
        ));
        // A PROJ string with a datum shift stays custom, verbatim.
        let p = "+proj=longlat +ellps=krass +towgs84=23.92,-141.27,-80.9,0,0.35,0.82,-0.12";
        assert_eq!(parse_crs(p).unwrap(), Crs::Custom(p.into()));
    }

    #[test]
    fn esri_prj_names() {
        let prj = r#"PROJCS["WGS_1984_UTM_Zone_38N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",45.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(parse_crs(prj).unwrap(), Crs::Epsg(32638));
        let gk = r#"PROJCS["Pulkovo_1942_GK_Zone_8",GEOGCS["GCS_Pulkovo_1942",DATUM["D_Pulkovo_1942",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],UNIT["Meter",1.0]]"#;
        assert_eq!(parse_crs(gk).unwrap(), Crs::Epsg(28408));
        assert_eq!(
            parse_crs(r#"GEOGCS["GCS_Pulkovo_1942",DATUM["D_Pulkovo_1942",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#).unwrap(),
            Crs::Epsg(4284)
        );
    }

    #[test]
    fn own_wkt_round_trips_through_the_parser() {
        for code in registry_codes() {
            let wkt = Crs::Epsg(code).to_wkt();
            assert_eq!(parse_crs(&wkt).unwrap(), Crs::Epsg(code), "{wkt}");
        }
    }

    #[test]
    fn unknown_wkt_is_kept_verbatim() {
        let w = r#"PROJCS["Local grid",GEOGCS["x",DATUM["y",SPHEROID["z",6378245,298.3]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],UNIT["metre",1]]"#;
        let c = parse_crs(w).unwrap();
        assert_eq!(c, Crs::Custom(w.into()));
        assert_eq!(c.name(), "Local grid");
        assert_eq!(c.to_wkt(), w);
    }
}
