//! Well-Known Text (OGC 06-103r4 / ISO 13249-3), with PostGIS' EWKT
//! `SRID=4326;` prefix for the CRS; `Z` geometries keep their heights.
//!
//! As a file format (`.wkt`): one geometry per line, blank lines and lines
//! starting with `#` ignored; one feature per geometry, without attributes.

use crate::{atomic_write, FormatError, ReadOptions, Result};
use std::fmt::Write as _;
use std::path::Path;
use terminus_geodesy::Crs;
use terminus_vector::{Coord, Dataset, Feature, Geometry, Layer, Polygon};

/// Parse one (E)WKT geometry: `(srid, geometry)`; `geometry` is `None` for
/// `... EMPTY` points.
///
/// ```
/// use terminus_formats::wkt::parse;
/// use terminus_vector::{Coord, Geometry};
/// let (srid, g) = parse("SRID=4326;POINT Z (45.51 40.63 1520.5)").unwrap();
/// assert_eq!(srid, Some(4326));
/// assert_eq!(g, Some(Geometry::Point(Coord::xyz(45.51, 40.63, 1520.5))));
/// ```
pub fn parse(text: &str) -> std::result::Result<(Option<u32>, Option<Geometry>), String> {
    let mut t = text.trim();
    let mut srid = None;
    if t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("SRID=")) {
        let (head, rest) = t.split_once(';').ok_or("EWKT SRID= prefix without ';'")?;
        srid = Some(
            head[5..]
                .trim()
                .parse::<u32>()
                .map_err(|_| format!("bad SRID {:?}", &head[5..]))?,
        );
        t = rest;
    }
    let mut p = Parser {
        s: t.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let g = p.geometry()?;
    p.ws();
    if p.pos != p.s.len() {
        return Err(format!(
            "unexpected text at character {}: {:?}",
            p.pos + 1,
            p.rest()
        ));
    }
    Ok((srid, g))
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    /// Geometry collections open around the current position.
    depth: usize,
}

/// How deep geometry collections may nest (WKB allows 32; real data
/// nests one or two): deeper text is refused before it can exhaust the
/// stack.
pub const MAX_NESTING: usize = 32;

impl Parser<'_> {
    fn rest(&self) -> String {
        String::from_utf8_lossy(&self.s[self.pos..self.s.len().min(self.pos + 20)]).into_owned()
    }
    fn ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }
    fn word(&mut self) -> String {
        self.ws();
        let start = self.pos;
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_alphabetic() {
            self.pos += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.pos]).to_ascii_uppercase()
    }
    fn peek_word(&mut self) -> String {
        let save = self.pos;
        let w = self.word();
        self.pos = save;
        w
    }
    fn expect(&mut self, c: u8) -> std::result::Result<(), String> {
        self.ws();
        if self.s.get(self.pos) == Some(&c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!(
                "expected '{}' at character {}, found {:?}",
                c as char,
                self.pos + 1,
                self.rest()
            ))
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.s.get(self.pos) == Some(&c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn number(&mut self) -> std::result::Result<f64, String> {
        self.ws();
        let start = self.pos;
        while self.pos < self.s.len()
            && matches!(
                self.s[self.pos],
                b'0'..=b'9' | b'.' | b'-' | b'+' | b'e' | b'E'
            )
        {
            self.pos += 1;
        }
        let t = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
        t.parse::<f64>().map_err(|_| {
            format!(
                "expected a number at character {}, found {:?}",
                start + 1,
                self.rest()
            )
        })
    }
    fn coord(&mut self, dims: usize) -> std::result::Result<Coord, String> {
        let x = self.number()?;
        let y = self.number()?;
        let mut z = None;
        let mut n = 2;
        // Read any further ordinates; the third is Z unless the tag said M only.
        loop {
            self.ws();
            match self.s.get(self.pos) {
                Some(b'0'..=b'9' | b'-' | b'+' | b'.') => {
                    let v = self.number()?;
                    if n == 2 && dims != 4 {
                        z = Some(v);
                    }
                    n += 1;
                }
                _ => break,
            }
        }
        Ok(Coord { x, y, z })
    }
    fn empty_or_open(&mut self) -> std::result::Result<bool, String> {
        if self.peek_word() == "EMPTY" {
            self.word();
            return Ok(true);
        }
        self.expect(b'(')?;
        Ok(false)
    }
    fn path(&mut self, dims: usize) -> std::result::Result<Vec<Coord>, String> {
        if self.empty_or_open()? {
            return Ok(Vec::new());
        }
        let mut out = vec![self.coord(dims)?];
        while self.eat(b',') {
            out.push(self.coord(dims)?);
        }
        self.expect(b')')?;
        Ok(out)
    }
    fn polygon(&mut self, dims: usize) -> std::result::Result<Polygon, String> {
        if self.empty_or_open()? {
            return Ok(Polygon::default());
        }
        let mut rings = vec![self.path(dims)?];
        while self.eat(b',') {
            rings.push(self.path(dims)?);
        }
        self.expect(b')')?;
        Ok(Polygon::new(rings))
    }
    fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> std::result::Result<T, String>,
    ) -> std::result::Result<Vec<T>, String> {
        if self.empty_or_open()? {
            return Ok(Vec::new());
        }
        let mut out = vec![item(self)?];
        while self.eat(b',') {
            out.push(item(self)?);
        }
        self.expect(b')')?;
        Ok(out)
    }
    fn geometry(&mut self) -> std::result::Result<Option<Geometry>, String> {
        let tag = self.word();
        if tag.is_empty() {
            return Err(format!(
                "expected a geometry type at character {}, found {:?}",
                self.pos + 1,
                self.rest()
            ));
        }
        // "POINT Z", "POINTZ", "POINT ZM", "POINT M".
        let (base, mut dims) = match tag.as_str() {
            t if t.ends_with("ZM") && t.len() > 2 => (t[..t.len() - 2].to_string(), 4),
            t if t.ends_with('Z') && t != "Z" => (t[..t.len() - 1].to_string(), 3),
            t if t.ends_with('M') && !t.ends_with("EM") => (t[..t.len() - 1].to_string(), 4),
            t => (t.to_string(), 2),
        };
        match self.peek_word().as_str() {
            "Z" => {
                self.word();
                dims = 3;
            }
            "ZM" => {
                self.word();
                dims = 3;
            }
            "M" => {
                self.word();
                dims = 4;
            }
            _ => {}
        }
        Ok(Some(match base.as_str() {
            "POINT" => {
                if self.empty_or_open()? {
                    return Ok(None);
                }
                let c = self.coord(dims)?;
                self.expect(b')')?;
                Geometry::Point(c)
            }
            "LINESTRING" => Geometry::LineString(self.path(dims)?),
            "POLYGON" => Geometry::Polygon(self.polygon(dims)?),
            "MULTIPOINT" => Geometry::MultiPoint(self.list(|p| {
                // Both MULTIPOINT ((1 2), (3 4)) and MULTIPOINT (1 2, 3 4).
                if p.eat(b'(') {
                    let c = p.coord(dims)?;
                    p.expect(b')')?;
                    Ok(c)
                } else {
                    p.coord(dims)
                }
            })?),
            "MULTILINESTRING" => Geometry::MultiLineString(self.list(|p| p.path(dims))?),
            "MULTIPOLYGON" => Geometry::MultiPolygon(self.list(|p| p.polygon(dims))?),
            "GEOMETRYCOLLECTION" => {
                if self.depth >= MAX_NESTING {
                    return Err(format!(
                        "geometry collections nested deeper than {MAX_NESTING} at character {}",
                        self.pos + 1
                    ));
                }
                self.depth += 1;
                let members = self.list(|p| {
                    p.geometry()
                        .and_then(|g| g.ok_or_else(|| "empty point in a collection".to_string()))
                })?;
                self.depth -= 1;
                Geometry::GeometryCollection(members)
            }
            other => return Err(format!("unknown geometry type {other:?}")),
        }))
    }
}

/// Format a geometry as WKT (`Z` when it has heights), with coordinates in
/// their shortest exact decimal form.
///
/// ```
/// use terminus_formats::wkt::format;
/// use terminus_vector::{Coord, Geometry};
/// let g = Geometry::LineString(vec![Coord::xy(45.5, 40.1), Coord::xy(45.6, 40.2)]);
/// assert_eq!(format(&g), "LINESTRING (45.5 40.1, 45.6 40.2)");
/// ```
pub fn format(g: &Geometry) -> String {
    let z = g.has_z();
    let mut s = String::new();
    write_geometry(&mut s, g, z, true);
    s
}

fn num(s: &mut String, v: f64) {
    if v.is_finite() && v == v.trunc() && v.abs() < 1e15 {
        let _ = write!(s, "{}", v as i64);
    } else {
        let _ = write!(s, "{v}");
    }
}

fn coord(s: &mut String, c: &Coord, z: bool) {
    num(s, c.x);
    s.push(' ');
    num(s, c.y);
    if z {
        s.push(' ');
        num(s, c.z.unwrap_or(f64::NAN));
    }
}

fn path(s: &mut String, p: &[Coord], z: bool) {
    if p.is_empty() {
        s.push_str("EMPTY");
        return;
    }
    s.push('(');
    for (i, c) in p.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        coord(s, c, z);
    }
    s.push(')');
}

fn polygon(s: &mut String, p: &Polygon, z: bool) {
    if p.rings.is_empty() {
        s.push_str("EMPTY");
        return;
    }
    s.push('(');
    for (i, r) in p.rings.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        path(s, r, z);
    }
    s.push(')');
}

fn write_geometry(s: &mut String, g: &Geometry, z: bool, tag: bool) {
    if tag {
        s.push_str(&g.geometry_type().name().to_ascii_uppercase());
        s.push_str(if z { " Z " } else { " " });
    }
    match g {
        Geometry::Point(c) => {
            s.push('(');
            coord(s, c, z);
            s.push(')');
        }
        Geometry::LineString(p) => path(s, p, z),
        Geometry::Polygon(p) => polygon(s, p, z),
        Geometry::MultiPoint(ps) => {
            if ps.is_empty() {
                s.push_str("EMPTY");
                return;
            }
            s.push('(');
            for (i, c) in ps.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                s.push('(');
                coord(s, c, z);
                s.push(')');
            }
            s.push(')');
        }
        Geometry::MultiLineString(ps) => {
            if ps.is_empty() {
                s.push_str("EMPTY");
                return;
            }
            s.push('(');
            for (i, p) in ps.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                path(s, p, z);
            }
            s.push(')');
        }
        Geometry::MultiPolygon(ps) => {
            if ps.is_empty() {
                s.push_str("EMPTY");
                return;
            }
            s.push('(');
            for (i, p) in ps.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                polygon(s, p, z);
            }
            s.push(')');
        }
        Geometry::GeometryCollection(gs) => {
            if gs.is_empty() {
                s.push_str("EMPTY");
                return;
            }
            s.push('(');
            for (i, m) in gs.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                write_geometry(s, m, m.has_z(), true);
            }
            s.push(')');
        }
    }
}

/// Read a `.wkt` file: one (E)WKT geometry per line.
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Dataset> {
    let text = std::fs::read_to_string(path).map_err(|e| FormatError::io(path, e))?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("layer");
    let mut crs: Option<Crs> = None;
    let mut features = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let at = format!("line {}", i + 1);
        let (srid, g) = parse(l).map_err(|m| FormatError::malformed(path, at.clone(), m))?;
        if let Some(code) = srid {
            let c = Crs::parse(&format!("EPSG:{code}"))
                .map_err(|e| FormatError::crs(path, format!("{at}: {e}")))?;
            match &crs {
                Some(prev) if *prev != c => {
                    return Err(FormatError::crs(
                        path,
                        format!("{at}: SRID={code} differs from the SRID of earlier lines ({}); one file, one CRS", prev.id()),
                    ))
                }
                _ => crs = Some(c),
            }
        }
        features.push(Feature {
            geometry: g,
            ..Default::default()
        });
    }
    let crs = match (crs, &opts.crs) {
        (Some(c), Some(a)) if c != *a => {
            return Err(FormatError::crs(path, format!("the file says SRID {} but --crs says {}", c.id(), a.id())))
        }
        (Some(c), _) => c,
        (None, Some(a)) => a.clone(),
        (None, None) => {
            return Err(FormatError::crs(
                path,
                "WKT without an EWKT SRID= prefix does not say its CRS; pass --crs (e.g. --crs EPSG:4326)",
            ))
        }
    };
    let mut layer = Layer::new(stem, crs);
    layer.features = features;
    Ok(Dataset {
        layers: vec![layer],
    })
}

/// Write a `.wkt` file: one EWKT line per feature (attributes cannot go).
pub fn write(path: &Path, ds: &Dataset) -> Result<()> {
    let layer = crate::single_layer(path, ds, "WKT")?;
    let prefix = match layer.crs.epsg() {
        Some(code) => format!("SRID={code};"),
        None => {
            return Err(FormatError::unsupported(
                path,
                format!(
                    "EWKT names CRSs by EPSG code and {} has none: write GeoPackage or GeoJSON",
                    layer.crs.name()
                ),
            ))
        }
    };
    let mut out = String::new();
    for f in &layer.features {
        match &f.geometry {
            Some(g) => {
                out.push_str(&prefix);
                out.push_str(&format(g));
            }
            None => {
                out.push_str(&prefix);
                out.push_str("GEOMETRYCOLLECTION EMPTY");
            }
        }
        out.push('\n');
    }
    atomic_write(path, |tmp| {
        std::fs::write(tmp, out.as_bytes()).map_err(|e| FormatError::io(path, e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for t in [
            "POINT (45.5 40.1)",
            "LINESTRING Z (1 2 3, 4 5 6)",
            "POLYGON ((0 0, 1 0, 1 1, 0 0), (0.1 0.1, 0.2 0.1, 0.2 0.2, 0.1 0.1))",
            "MULTIPOINT ((1 2), (3 4))",
            "MULTILINESTRING ((1 2, 3 4), (5 6, 7 8))",
            "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))",
            "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (1 2, 3 4))",
            "POINT (45.123456789012345 -0.000000001)",
        ] {
            let g = parse(t).unwrap().1.unwrap();
            let back = parse(&format(&g)).unwrap().1.unwrap();
            assert_eq!(back, g, "{t}");
        }
        assert_eq!(
            parse("MULTIPOINT (1 2, 3 4)").unwrap().1,
            parse("MULTIPOINT ((1 2), (3 4))").unwrap().1
        );
    }

    #[test]
    fn errors_point_at_the_text() {
        assert!(parse("LINESTRING (1 2, 3 x)")
            .unwrap_err()
            .contains("expected a number"));
        assert!(parse("POLYGON ((0 0, 1 0, 1 1, 0 0)")
            .unwrap_err()
            .contains("expected ')'"));
        assert!(parse("CIRCLE (1 2)")
            .unwrap_err()
            .contains("unknown geometry type"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!(
            "{}POINT (1 2){}",
            "GEOMETRYCOLLECTION (".repeat(21_000),
            ")".repeat(21_000)
        );
        let e = parse(&deep).unwrap_err();
        assert!(e.contains("nested deeper than 32"), "{e}");
        let ok = format!(
            "{}POINT (1 2){}",
            "GEOMETRYCOLLECTION (".repeat(MAX_NESTING),
            ")".repeat(MAX_NESTING)
        );
        assert!(parse(&ok).is_ok());
    }
}
