//! The dBASE III `.dbf` attribute table.

use crate::{FormatError, Result};
use encoding_rs::Encoding;
use indexmap::IndexMap;
use std::path::Path;
use terminus_vector::{Field, FieldKind, Layer, Value};

pub(super) struct Table {
    pub fields: Vec<Field>,
    /// `None` for a record marked deleted.
    pub records: Vec<Option<IndexMap<String, Value>>>,
}

struct Column {
    name: String,
    kind: u8,
    width: usize,
    decimals: u8,
}

/// The encoding named by a `.cpg` (e.g. `UTF-8`, `1251`, `CP1251`, `ANSI 1252`).
fn cpg_encoding(text: &str) -> Option<&'static Encoding> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.trim_start_matches("ansi").trim();
    if let Some(e) = Encoding::for_label(t.as_bytes()) {
        return Some(e);
    }
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    match digits.as_str() {
        "866" => Some(encoding_rs::IBM866),
        "" => None,
        d => Encoding::for_label(format!("windows-{d}").as_bytes()),
    }
}

/// The encoding of a dBASE language driver id (byte 29 of the header).
fn ldid_encoding(id: u8) -> &'static Encoding {
    match id {
        0x26 | 0x65 => encoding_rs::IBM866,
        0xC8 => encoding_rs::WINDOWS_1250,
        0xC9 => encoding_rs::WINDOWS_1251,
        0xCB => encoding_rs::WINDOWS_1253,
        0xCA => encoding_rs::WINDOWS_1254,
        0x7D => encoding_rs::WINDOWS_1255,
        0x7E => encoding_rs::WINDOWS_1256,
        _ => encoding_rs::WINDOWS_1252,
    }
}

pub(super) fn read(path: &Path, b: &[u8], cpg: Option<&str>) -> Result<Table> {
    if b.len() < 32 {
        return Err(FormatError::malformed(
            path,
            "header",
            "the .dbf is shorter than its 32-byte header",
        ));
    }
    let n_records = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
    let header_len = u16::from_le_bytes([b[8], b[9]]) as usize;
    let record_len = u16::from_le_bytes([b[10], b[11]]) as usize;
    let encoding = match cpg {
        Some(text) => cpg_encoding(text).ok_or_else(|| {
            FormatError::malformed(path, ".cpg", format!("unknown code page {:?}", text.trim()))
        })?,
        None => ldid_encoding(b[29]),
    };
    if header_len > b.len() || header_len < 33 {
        return Err(FormatError::malformed(
            path,
            "header",
            format!("header length {header_len} is impossible"),
        ));
    }
    let mut cols = Vec::new();
    let mut pos = 32;
    let mut offset = 1; // deletion flag
    while pos + 32 <= header_len && b[pos] != 0x0D {
        let d = &b[pos..pos + 32];
        let raw_name = &d[..11];
        let end = raw_name.iter().position(|&c| c == 0).unwrap_or(11);
        let (name, _, _) = encoding.decode(&raw_name[..end]);
        cols.push(Column {
            name: name.trim().to_string(),
            kind: d[11],
            width: d[16] as usize,
            decimals: d[17],
        });
        offset += d[16] as usize;
        pos += 32;
    }
    if offset != record_len {
        return Err(FormatError::malformed(
            path,
            "header",
            format!("fields add up to {offset} bytes per record but the header says {record_len}"),
        ));
    }
    if header_len + n_records * record_len > b.len() {
        return Err(FormatError::malformed(
            path,
            "",
            format!("{n_records} records of {record_len} bytes do not fit in the file: truncated?"),
        ));
    }
    let fields: Vec<Field> = cols
        .iter()
        .map(|c| Field {
            name: c.name.clone(),
            kind: match c.kind {
                b'N' | b'F' if c.decimals == 0 && c.width <= 18 => FieldKind::Integer,
                b'N' | b'F' => FieldKind::Real,
                b'L' => FieldKind::Bool,
                b'D' => FieldKind::Date,
                _ => FieldKind::String,
            },
        })
        .collect();
    let mut records = Vec::with_capacity(n_records);
    for r in 0..n_records {
        let rec = &b[header_len + r * record_len..header_len + (r + 1) * record_len];
        if rec[0] == b'*' {
            records.push(None);
            continue;
        }
        let mut props = IndexMap::with_capacity(cols.len());
        let mut at = 1;
        for (c, f) in cols.iter().zip(&fields) {
            let raw = &rec[at..at + c.width];
            at += c.width;
            let (text, _, _) = encoding.decode(raw);
            let t = text.trim();
            let where_ = || format!("record {}, field {:?}", r + 1, c.name);
            let v = match c.kind {
                _ if t.is_empty() => Value::Null,
                b'N' | b'F' => {
                    if t.bytes().all(|x| x == b'*') {
                        // dBASE writes asterisks for a number too wide for its field.
                        return Err(FormatError::malformed(path, where_(), "numeric overflow (asterisks): the value was lost when the file was written"));
                    }
                    match f.kind {
                        FieldKind::Integer => match t.parse::<i64>() {
                            Ok(i) => Value::Int(i),
                            Err(_) => Value::Float(t.parse::<f64>().map_err(|_| {
                                FormatError::malformed(
                                    path,
                                    where_(),
                                    format!("{t:?} is not a number"),
                                )
                            })?),
                        },
                        _ => Value::Float(t.parse::<f64>().map_err(|_| {
                            FormatError::malformed(path, where_(), format!("{t:?} is not a number"))
                        })?),
                    }
                }
                b'L' => match t {
                    "T" | "t" | "Y" | "y" => Value::Bool(true),
                    "F" | "f" | "N" | "n" => Value::Bool(false),
                    _ => Value::Null,
                },
                b'D' if t.len() == 8 && t.bytes().all(|x| x.is_ascii_digit()) => {
                    Value::String(format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]))
                }
                b'D' if t.bytes().all(|x| x == b'0') => Value::Null,
                b'D' => {
                    return Err(FormatError::malformed(
                        path,
                        where_(),
                        format!("date {t:?} is not YYYYMMDD"),
                    ))
                }
                // Text keeps its leading spaces; only the padding goes.
                _ => Value::String(text.trim_end().to_string()),
            };
            props.insert(c.name.clone(), v);
        }
        records.push(Some(props));
    }
    Ok(Table { fields, records })
}

/// Truncate to at most `max` bytes on a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Field names of at most 10 bytes, unique (case-insensitively).
fn dbf_names(fields: &[Field]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in fields {
        let base = cut(&f.name, 10).to_string();
        let mut name = base.clone();
        let mut n = 1;
        while out.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            let suffix = format!("_{n}");
            name = format!("{}{suffix}", cut(&base, 10 - suffix.len()));
            n += 1;
        }
        out.push(name);
    }
    out
}

fn text_of(v: &Value, kind: FieldKind) -> Option<String> {
    match (v, kind) {
        (Value::Null, _) => None,
        (Value::Bool(b), FieldKind::Bool) => Some(if *b { "T" } else { "F" }.into()),
        (Value::Float(f), _) => {
            let mut b = ryu::Buffer::new();
            Some(if f.is_finite() {
                b.format_finite(*f).to_string()
            } else {
                return None;
            })
        }
        (Value::String(s), FieldKind::Date) => Some(s.replace('-', "")),
        (v, _) => v.to_text(),
    }
}

pub(super) fn write(path: &Path, layer: &Layer) -> Result<Vec<u8>> {
    let fields = layer.fields();
    let names = dbf_names(&fields);
    // Field definitions: type, width, decimals.
    let mut defs: Vec<(u8, usize, u8)> = Vec::new();
    for f in &fields {
        let texts = layer
            .features
            .iter()
            .filter_map(|feat| feat.properties.get(&f.name))
            .filter_map(|v| text_of(v, f.kind));
        let widest = texts.map(|t| t.len()).max().unwrap_or(1).max(1);
        let kind = match f.kind {
            FieldKind::Integer if widest <= 18 => (b'N', widest.max(10), 0),
            FieldKind::Integer | FieldKind::Real => (b'N', 24, 15),
            FieldKind::Bool => (b'L', 1, 0),
            FieldKind::Date => (b'D', 8, 0),
            FieldKind::String | FieldKind::DateTime | FieldKind::Json => (b'C', widest.min(254), 0),
        };
        defs.push(kind);
    }
    let record_len = 1 + defs.iter().map(|d| d.1).sum::<usize>();
    if record_len > u16::MAX as usize {
        return Err(FormatError::unsupported(
            path,
            "attributes too wide for a DBF record (65,535 bytes): write GeoPackage",
        ));
    }
    let header_len = 32 + 32 * fields.len() + 1;
    let mut b = Vec::with_capacity(header_len + record_len * layer.features.len() + 1);
    b.push(0x03);
    b.extend_from_slice(&[126, 1, 1]); // last update: 2026-01-01 (fixed, so output is reproducible)
    b.extend_from_slice(&(layer.features.len() as u32).to_le_bytes());
    b.extend_from_slice(&(header_len as u16).to_le_bytes());
    b.extend_from_slice(&(record_len as u16).to_le_bytes());
    b.extend_from_slice(&[0u8; 20]); // reserved; language driver 0: the .cpg says UTF-8
    for (name, (t, w, d)) in names.iter().zip(&defs) {
        let mut desc = [0u8; 32];
        desc[..name.len()].copy_from_slice(name.as_bytes());
        desc[11] = *t;
        desc[16] = *w as u8;
        desc[17] = *d;
        b.extend_from_slice(&desc);
    }
    b.push(0x0D);
    for (i, feat) in layer.features.iter().enumerate() {
        b.push(b' ');
        for (f, (t, w, _)) in fields.iter().zip(&defs) {
            let text = feat
                .properties
                .get(&f.name)
                .and_then(|v| text_of(v, f.kind));
            let cell = match (text, t) {
                (None, b'L') => "?".to_string(),
                (None, _) => String::new(),
                (Some(s), _) => s,
            };
            if cell.len() > *w {
                return Err(FormatError::unsupported(
                    path,
                    format!(
                        "feature {i}, attribute {:?}: {} bytes, more than a DBF field holds ({w}); write GeoPackage to keep it whole",
                        f.name,
                        cell.len()
                    ),
                ));
            }
            let pad = w - cell.len();
            if *t == b'N' {
                b.extend(std::iter::repeat_n(b' ', pad));
                b.extend_from_slice(cell.as_bytes());
            } else {
                b.extend_from_slice(cell.as_bytes());
                b.extend(std::iter::repeat_n(b' ', pad));
            }
        }
    }
    b.push(0x1A);
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_and_unique() {
        let f = |n: &str| Field {
            name: n.into(),
            kind: FieldKind::String,
        };
        let names = dbf_names(&[f("tolerance_deg"), f("tolerance_degrees"), f("Ширина")]);
        assert_eq!(names[0], "tolerance_");
        assert_eq!(names[1], "toleranc_1");
        assert!(names[2].len() <= 10 && "Ширина".starts_with(&names[2]));
    }

    #[test]
    fn code_pages() {
        assert_eq!(cpg_encoding("UTF-8"), Some(encoding_rs::UTF_8));
        assert_eq!(cpg_encoding("1251"), Some(encoding_rs::WINDOWS_1251));
        assert_eq!(cpg_encoding("ANSI 1252"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(cpg_encoding("CP866"), Some(encoding_rs::IBM866));
        assert_eq!(cpg_encoding("gibberish"), None);
    }
}
