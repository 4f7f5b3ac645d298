//! CSV coordinate tables: the spreadsheets of turning points and pillars that
//! commissions exchange.
//!
//! Reading: the first row names the columns. Coordinates come from
//! latitude/longitude columns (decimal degrees or DMS, see [`dms`]), from
//! grid columns (x/easting, y/northing, with `--crs`), or from a WKT column.
//! Columns are chosen by flags (name or 1-based number) or recognised by
//! name (`lat`/`latitude`, `lon`/`long`/`longitude`, `x`/`easting`,
//! `y`/`northing`, `wkt`/`geometry`). Every other column is an attribute.
//! A GDAL-style `.csvt` sidecar gives column types; a `.prj` sidecar the CRS.
//!
//! Writing: points as `lon,lat` (or `x,y` in a projected CRS, `z` when they
//! have heights), other geometries as a `WKT` column; a `.csvt` keeps the
//! attribute types and a `.prj` the CRS.

/// Angles in DMS: the geodesy crate's, re-exported where CSV tables use them.
pub use terminus_geodesy::angle as dms;

use crate::{atomic_write, single_layer, FormatError, ReadOptions, Result};
use dms::{parse_angle, Axis};
use std::path::{Path, PathBuf};
use terminus_geodesy::Crs;
use terminus_vector::{Coord, Dataset, Feature, Field, FieldKind, Geometry, Layer, Value};

/// Column choice and parsing of CSV input.
#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    /// Latitude column (name or 1-based number).
    pub lat_column: Option<String>,
    /// Longitude column.
    pub lon_column: Option<String>,
    /// Grid x (easting) column.
    pub x_column: Option<String>,
    /// Grid y (northing) column.
    pub y_column: Option<String>,
    /// Height column.
    pub z_column: Option<String>,
    /// WKT geometry column.
    pub wkt_column: Option<String>,
    /// Field delimiter.
    pub delimiter: Option<u8>,
}

const LAT_NAMES: &[&str] = &["lat", "latitude", "lat_dd", "lat_deg", "lat_dms", "b"];
const LON_NAMES: &[&str] = &[
    "lon",
    "long",
    "longitude",
    "lng",
    "lon_dd",
    "lon_deg",
    "lon_dms",
    "l",
];
const X_NAMES: &[&str] = &["x", "easting", "east", "e"];
const Y_NAMES: &[&str] = &["y", "northing", "north", "n"];
const WKT_NAMES: &[&str] = &["wkt", "geometry", "geom", "the_geom"];

/// The `.csvt` and `.prj` sidecars of a CSV file.
pub fn sidecar_paths(path: &Path) -> Vec<PathBuf> {
    vec![
        path.to_path_buf(),
        path.with_extension("csvt"),
        path.with_extension("prj"),
    ]
}

fn find_column(headers: &[String], wanted: &str, path: &Path, flag: &str) -> Result<usize> {
    if let Ok(n) = wanted.parse::<usize>() {
        if n >= 1 && n <= headers.len() {
            return Ok(n - 1);
        }
    }
    headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(wanted.trim()))
        .ok_or_else(|| {
            FormatError::malformed(
                path,
                "header",
                format!(
                    "{flag} {wanted:?}: no such column; columns are {}",
                    headers.join(", ")
                ),
            )
        })
}

fn guess(headers: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(n))
    })
}

enum Coords {
    Geographic { lat: usize, lon: usize },
    Grid { x: usize, y: usize },
    Wkt(usize),
}

fn sniff_delimiter(path: &Path, first_line: &str) -> u8 {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
    {
        return b'\t';
    }
    let count = |c: char| first_line.matches(c).count();
    [(b',', count(',')), (b';', count(';')), (b'\t', count('\t'))]
        .into_iter()
        .max_by_key(|&(_, n)| n)
        .filter(|&(_, n)| n > 0)
        .map_or(b',', |(d, _)| d)
}

fn read_csvt(path: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path.with_extension("csvt")).ok()?;
    Some(
        text.trim()
            .split(',')
            .map(|t| t.trim().trim_matches('"').to_ascii_lowercase())
            .collect(),
    )
}

fn csvt_kind(t: &str) -> Option<FieldKind> {
    if t == "integer(boolean)" {
        return Some(FieldKind::Bool);
    }
    let base = t.split('(').next().unwrap_or("");
    Some(match base {
        "integer" | "integer64" => FieldKind::Integer,
        "real" => FieldKind::Real,
        "string" => FieldKind::String,
        "date" => FieldKind::Date,
        "datetime" => FieldKind::DateTime,
        "boolean" => FieldKind::Bool,
        "json" => FieldKind::Json,
        _ => return None,
    })
}

/// Read a CSV coordinate table.
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Dataset> {
    let bytes = std::fs::read(path).map_err(|e| FormatError::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        FormatError::malformed(
            path,
            format!("byte {}", e.utf8_error().valid_up_to()),
            "not UTF-8 text; save the table as UTF-8",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let o = &opts.csv;
    let delimiter = o
        .delimiter
        .unwrap_or_else(|| sniff_delimiter(path, text.lines().next().unwrap_or("")));
    // Field practice: where the separator is not a comma (Russian and
    // European spreadsheets use ';'), a comma in a coordinate is the
    // decimal sign; spaces (also no-break and thin) group thousands.
    let decimal_comma = delimiter != b',';
    let decimal = |t: &str| -> String {
        let t: String = t
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'))
            .collect();
        if decimal_comma {
            t.replace(',', ".")
        } else {
            t
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| FormatError::malformed(path, "header", e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    if headers.is_empty() || headers.iter().all(|h| h.trim().is_empty()) {
        return Err(FormatError::malformed(
            path,
            "line 1",
            "no header row: the first row must name the columns",
        ));
    }
    let col = |flag: &str, v: &Option<String>| {
        v.as_deref()
            .map(|w| find_column(&headers, w, path, flag))
            .transpose()
    };
    let coords = match (
        col("--wkt-column", &o.wkt_column)?,
        col("--lat-column", &o.lat_column)?,
        col("--lon-column", &o.lon_column)?,
        col("--x-column", &o.x_column)?,
        col("--y-column", &o.y_column)?,
    ) {
        (Some(w), _, _, _, _) => Coords::Wkt(w),
        (None, Some(lat), Some(lon), _, _) => Coords::Geographic { lat, lon },
        (None, None, None, Some(x), Some(y)) => Coords::Grid { x, y },
        (None, Some(_), None, _, _) | (None, None, Some(_), _, _) => {
            return Err(FormatError::malformed(
                path,
                "header",
                "give both --lat-column and --lon-column",
            ))
        }
        (None, None, None, Some(_), None) | (None, None, None, None, Some(_)) => {
            return Err(FormatError::malformed(
                path,
                "header",
                "give both --x-column and --y-column",
            ))
        }
        (None, None, None, None, None) => {
            if let (Some(lat), Some(lon)) = (guess(&headers, LAT_NAMES), guess(&headers, LON_NAMES))
            {
                Coords::Geographic { lat, lon }
            } else if let (Some(x), Some(y)) = (guess(&headers, X_NAMES), guess(&headers, Y_NAMES))
            {
                Coords::Grid { x, y }
            } else if let Some(w) = guess(&headers, WKT_NAMES) {
                Coords::Wkt(w)
            } else {
                return Err(FormatError::malformed(
                    path,
                    "header",
                    format!(
                        "no coordinate columns recognised among {}; say which with --lat-column/--lon-column, --x-column/--y-column (grid, with --crs) or --wkt-column",
                        headers.join(", ")
                    ),
                ));
            }
        }
    };
    let z_col = match col("--z-column", &o.z_column)? {
        Some(z) => Some(z),
        None if matches!(coords, Coords::Wkt(_)) => None,
        // Only the exact name "z" (as Terminus writes it) is taken as heights
        // unasked: "height" or "h" may well be an attribute.
        None => guess(&headers, &["z"]),
    };
    // CRS: a .prj sidecar or --crs; never assumed.
    let prj = std::fs::read_to_string(path.with_extension("prj")).ok();
    let declared = match prj {
        Some(text) => Some(
            Crs::parse(text.trim()).map_err(|e| FormatError::crs(path, format!(".prj: {e}")))?,
        ),
        None => None,
    };
    let crs = match (declared, &opts.crs, &coords) {
        (Some(d), Some(a), _) if d != *a => {
            return Err(FormatError::crs(path, format!("the .prj says {} but --crs says {}", d.id(), a.id())))
        }
        (Some(d), _, _) => d,
        (None, Some(a), _) => a.clone(),
        // A table of latitudes and longitudes does not say on which datum:
        // SK-42 read as WGS 84 lands ~100 m off. Never assumed.
        (None, None, Coords::Geographic { .. }) => {
            return Err(FormatError::crs(
                path,
                "latitude/longitude columns do not say their datum: pass --crs (--crs EPSG:4326 for WGS 84, --crs EPSG:4284 for Pulkovo 1942 / SK-42)",
            ))
        }
        (None, None, Coords::Grid { .. }) => {
            return Err(FormatError::crs(
                path,
                "grid coordinates without a CRS: pass --crs (e.g. --crs EPSG:28408 for Pulkovo 1942 Gauss–Krüger zone 8, --crs EPSG:32638 for UTM 38N)",
            ))
        }
        (None, None, Coords::Wkt(_)) => {
            return Err(FormatError::crs(path, "a WKT column does not say its CRS: pass --crs (e.g. --crs EPSG:4326)"))
        }
    };
    if matches!(coords, Coords::Geographic { .. }) && !crs.is_geographic() {
        return Err(FormatError::crs(
            path,
            format!("latitude/longitude columns but the CRS is {}, a projected CRS: use --x-column/--y-column for grid coordinates", crs.id()),
        ));
    }
    let geometry_cols: Vec<usize> = match &coords {
        Coords::Geographic { lat, lon } => vec![*lat, *lon],
        Coords::Grid { x, y } => vec![*x, *y],
        Coords::Wkt(w) => vec![*w],
    }
    .into_iter()
    .chain(z_col)
    .collect();
    let attr_cols: Vec<usize> = (0..headers.len())
        .filter(|i| !geometry_cols.contains(i))
        .collect();
    let csvt = read_csvt(path).filter(|t| t.len() == headers.len());
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut features: Vec<Feature> = Vec::new();
    for (r, rec) in rdr.records().enumerate() {
        let line = r + 2;
        let rec =
            rec.map_err(|e| FormatError::malformed(path, format!("line {line}"), e.to_string()))?;
        let cell = |i: usize| rec.get(i).unwrap_or("");
        let at = |i: usize| format!("line {line}, column {:?}", headers[i]);
        let z = match z_col {
            Some(i) if !cell(i).trim().is_empty() => {
                Some(cell(i).trim().parse::<f64>().map_err(|_| {
                    FormatError::malformed(
                        path,
                        at(i),
                        format!("height {:?} is not a number", cell(i)),
                    )
                })?)
            }
            _ => None,
        };
        let geometry = match &coords {
            Coords::Geographic { lat, lon } => {
                if cell(*lat).trim().is_empty() && cell(*lon).trim().is_empty() {
                    None
                } else {
                    let y = parse_angle(&decimal(cell(*lat)), Axis::Latitude)
                        .map_err(|m| FormatError::malformed(path, at(*lat), m))?;
                    let x = parse_angle(&decimal(cell(*lon)), Axis::Longitude)
                        .map_err(|m| FormatError::malformed(path, at(*lon), m))?;
                    Some(Geometry::Point(Coord { x, y, z }))
                }
            }
            Coords::Grid { x, y } => {
                let num = |i: usize| {
                    decimal(cell(i)).parse::<f64>().map_err(|_| {
                        FormatError::malformed(
                            path,
                            at(i),
                            format!("{:?} is not a number", cell(i)),
                        )
                    })
                };
                if cell(*x).trim().is_empty() && cell(*y).trim().is_empty() {
                    None
                } else {
                    Some(Geometry::Point(Coord {
                        x: num(*x)?,
                        y: num(*y)?,
                        z,
                    }))
                }
            }
            Coords::Wkt(w) => {
                if cell(*w).trim().is_empty() {
                    None
                } else {
                    crate::wkt::parse(cell(*w))
                        .map_err(|m| FormatError::malformed(path, at(*w), m))?
                        .1
                }
            }
        };
        rows.push(attr_cols.iter().map(|&i| cell(i).to_string()).collect());
        features.push(Feature {
            geometry,
            ..Default::default()
        });
    }
    // Attribute kinds: from the .csvt, else inferred over the whole column.
    let mut fields = Vec::new();
    for (k, &i) in attr_cols.iter().enumerate() {
        let kind = csvt
            .as_ref()
            .and_then(|t| csvt_kind(&t[i]))
            .unwrap_or_else(|| {
                rows.iter()
                    .map(|r| r[k].as_str())
                    .filter(|v| !v.trim().is_empty())
                    .map(Value::infer_text_kind)
                    .reduce(FieldKind::unify)
                    .unwrap_or(FieldKind::String)
            });
        fields.push(Field {
            name: headers[i].clone(),
            kind,
        });
    }
    for (f, row) in features.iter_mut().zip(rows) {
        for (field, v) in fields.iter().zip(row) {
            let value = if v.is_empty() {
                Value::Null
            } else {
                Value::from_text(&v, field.kind)
            };
            f.properties.insert(field.name.clone(), value);
        }
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("layer");
    let mut layer = Layer::new(stem, crs);
    layer.features = features;
    layer.declared_fields = if csvt.is_some() { fields } else { Vec::new() };
    Ok(Dataset {
        layers: vec![layer],
    })
}

fn csvt_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Bool => "Integer(Boolean)",
        FieldKind::Integer => "Integer64",
        FieldKind::Real => "Real",
        FieldKind::String => "String",
        FieldKind::Date => "Date",
        FieldKind::DateTime => "DateTime",
        FieldKind::Json => "String(JSON)",
    }
}

fn unique_name(base: &str, taken: &[Field]) -> String {
    let mut name = base.to_string();
    while taken.iter().any(|f| f.name.eq_ignore_ascii_case(&name)) {
        name = format!("geom_{name}");
    }
    name
}

/// Write a CSV coordinate table with its `.csvt` and `.prj`.
pub fn write(path: &Path, ds: &Dataset) -> Result<()> {
    let layer = single_layer(path, ds, "CSV")?;
    let fields = layer.fields();
    let points_only = layer
        .features
        .iter()
        .all(|f| matches!(f.geometry, None | Some(Geometry::Point(_))));
    let geographic = layer.crs.is_geographic();
    let has_z = layer.has_z();
    let mut header: Vec<String> = Vec::new();
    let mut types: Vec<&str> = Vec::new();
    if points_only {
        let (xn, yn) = if geographic {
            ("lon", "lat")
        } else {
            ("x", "y")
        };
        header.push(unique_name(xn, &fields));
        header.push(unique_name(yn, &fields));
        types.extend(["CoordX", "CoordY"]);
        if has_z {
            header.push(unique_name("z", &fields));
            types.push("Real");
        }
    } else {
        header.push(unique_name("WKT", &fields));
        types.push("WKT");
    }
    for f in &fields {
        header.push(f.name.clone());
        types.push(csvt_name(f.kind));
    }
    let mut wtr = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| FormatError::unsupported(path, format!("CSV: {e}"));
    wtr.write_record(&header).map_err(io)?;
    for feat in &layer.features {
        let mut row: Vec<String> = Vec::with_capacity(header.len());
        match (&feat.geometry, points_only) {
            (Some(Geometry::Point(c)), true) => {
                row.push(c.x.to_string());
                row.push(c.y.to_string());
                if has_z {
                    row.push(c.z.map(|z| z.to_string()).unwrap_or_default());
                }
            }
            (None, true) => {
                row.extend([String::new(), String::new()]);
                if has_z {
                    row.push(String::new());
                }
            }
            (Some(g), false) => row.push(crate::wkt::format(g)),
            (None, false) => row.push(String::new()),
            (Some(_), true) => unreachable!("points_only checked every geometry"),
        }
        for f in &fields {
            row.push(match feat.properties.get(&f.name) {
                // Integer(Boolean) columns hold 1 and 0, as GDAL writes them.
                Some(Value::Bool(b)) => if *b { "1" } else { "0" }.to_string(),
                Some(v) => v.to_text().unwrap_or_default(),
                None => String::new(),
            });
        }
        wtr.write_record(&row).map_err(io)?;
    }
    let bytes = wtr
        .into_inner()
        .map_err(|e| FormatError::unsupported(path, format!("CSV: {e}")))?;
    let csvt = types
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(",")
        + "\n";
    atomic_write(&path.with_extension("csvt"), |tmp| {
        std::fs::write(tmp, csvt.as_bytes()).map_err(|e| FormatError::io(path, e))
    })?;
    // Always a .prj: a table of grid coordinates or WKT says nothing of its CRS.
    let wkt = layer.crs.to_wkt();
    atomic_write(&path.with_extension("prj"), |tmp| {
        std::fs::write(tmp, wkt.as_bytes()).map_err(|e| FormatError::io(path, e))
    })?;
    atomic_write(path, |tmp| {
        std::fs::write(tmp, &bytes).map_err(|e| FormatError::io(path, e))
    })
}
