//! GeoPackage reader.

use super::{decode_blob, ident};
use crate::{FormatError, LayerSink, ReadOptions, Result};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use terminus_geodesy::Crs;
use terminus_vector::{Feature, FeatureId, Field, FieldKind, Value};

struct LayerInfo {
    table: String,
    geom_column: String,
    srs_id: i64,
}

/// Read every feature table of a GeoPackage, one layer per table.
pub fn read_into(path: &Path, opts: &ReadOptions, sink: &mut dyn LayerSink) -> Result<()> {
    let sql = |e: rusqlite::Error| FormatError::malformed(path, "", format!("SQLite: {e}"));
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| FormatError::malformed(path, "", format!("cannot open as SQLite: {e}")))?;
    let has_contents: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN ('gpkg_contents','gpkg_geometry_columns','gpkg_spatial_ref_sys')",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(|e| FormatError::malformed(path, "", format!("not an SQLite database: {e}")))?
        == 3;
    if !has_contents {
        return Err(FormatError::malformed(
            path,
            "",
            "not a GeoPackage: gpkg_contents, gpkg_geometry_columns or gpkg_spatial_ref_sys is missing",
        ));
    }
    let mut stmt = conn
        .prepare(
            "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c \
             JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
             WHERE c.data_type = 'features' ORDER BY c.rowid",
        )
        .map_err(sql)?;
    let layers: Vec<LayerInfo> = stmt
        .query_map([], |r| {
            Ok(LayerInfo {
                table: r.get(0)?,
                geom_column: r.get(1)?,
                srs_id: r.get(2)?,
            })
        })
        .map_err(sql)?
        .collect::<std::result::Result<_, _>>()
        .map_err(sql)?;
    for layer in layers {
        read_layer(path, &conn, &layer, opts, sink)?;
    }
    Ok(())
}

fn layer_crs(path: &Path, conn: &Connection, info: &LayerInfo, opts: &ReadOptions) -> Result<Crs> {
    let row = conn.query_row(
        "SELECT organization, organization_coordsys_id, definition, description FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
        [info.srs_id],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        },
    );
    let at = format!("table {:?}", info.table);
    let (org, code, definition, description) = match row {
        Ok(r) => r,
        Err(rusqlite::Error::QueryReturnedNoRows) => {
            return Err(FormatError::crs(
                path,
                format!(
                    "{at}: gpkg_geometry_columns gives srs_id {}, which gpkg_spatial_ref_sys does not define: the coordinates' CRS is unknown",
                    info.srs_id
                ),
            ))
        }
        Err(e) => return Err(FormatError::malformed(path, at, format!("SQLite: {e}"))),
    };
    let declared = if org.eq_ignore_ascii_case("EPSG") && u32::try_from(code).is_ok() {
        match Crs::parse(&format!("EPSG:{code}")) {
            Ok(c) => Some(c),
            Err(_) => Crs::parse(&definition).ok(),
        }
    } else if definition.trim() != "undefined" && !definition.trim().is_empty() {
        Crs::parse(&definition).ok()
    } else {
        // Terminus stores a PROJ-string CRS in the description.
        description.as_deref().and_then(|d| Crs::parse(d).ok())
    };
    match (declared, &opts.crs) {
        (Some(d), Some(a)) if &d != a => Err(FormatError::crs(
            path,
            format!(
                "{at}: the GeoPackage declares {} but --crs says {}",
                d.id(),
                a.id()
            ),
        )),
        (Some(d), _) => Ok(d),
        (None, Some(a)) => Ok(a.clone()),
        (None, None) => Err(FormatError::crs(
            path,
            format!(
                "{at}: srs_id {} ({org} {code}) has no definition Terminus can use; pass --crs",
                info.srs_id
            ),
        )),
    }
}

fn kind_of(declared: &str) -> Option<FieldKind> {
    let t = declared.to_ascii_uppercase();
    let base = t.split('(').next().unwrap_or("").trim();
    Some(match base {
        "BOOLEAN" => FieldKind::Bool,
        "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "INTEGER" => FieldKind::Integer,
        "FLOAT" | "DOUBLE" | "REAL" => FieldKind::Real,
        "TEXT" => FieldKind::String,
        "DATE" => FieldKind::Date,
        "DATETIME" => FieldKind::DateTime,
        "BLOB" => return None,
        _ => FieldKind::String,
    })
}

fn read_layer(
    path: &Path,
    conn: &Connection,
    info: &LayerInfo,
    opts: &ReadOptions,
    sink: &mut dyn LayerSink,
) -> Result<()> {
    let at = format!("table {:?}", info.table);
    let sql = |e: rusqlite::Error| FormatError::malformed(path, at.clone(), format!("SQLite: {e}"));
    let crs = layer_crs(path, conn, info, opts)?;
    // Columns: the integer primary key is the feature id.
    let mut cols: Vec<(String, String, bool)> = Vec::new();
    {
        let mut stmt = conn
            .prepare(&format!("PRAGMA table_info({})", ident(&info.table)))
            .map_err(sql)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(5)? > 0,
                ))
            })
            .map_err(sql)?;
        for r in rows {
            cols.push(r.map_err(sql)?);
        }
    }
    if cols.is_empty() {
        return Err(FormatError::malformed(
            path,
            at,
            "gpkg_contents lists this table but it does not exist",
        ));
    }
    let fid_col = cols
        .iter()
        .find(|(_, t, pk)| *pk && t.eq_ignore_ascii_case("INTEGER"))
        .map(|(n, _, _)| n.clone());
    let attrs: Vec<(String, FieldKind, bool)> = cols
        .iter()
        .filter(|(n, _, _)| Some(n) != fid_col.as_ref() && *n != info.geom_column)
        .map(|(n, t, _)| {
            (
                n.clone(),
                kind_of(t).unwrap_or(FieldKind::String),
                kind_of(t).is_none(),
            )
        })
        .collect();
    let declared: Vec<Field> = attrs
        .iter()
        .map(|(n, k, _)| Field {
            name: n.clone(),
            kind: *k,
        })
        .collect();
    let select: Vec<String> = std::iter::once(
        fid_col
            .clone()
            .map(|c| ident(&c))
            .unwrap_or_else(|| "rowid".into()),
    )
    .chain(std::iter::once(ident(&info.geom_column)))
    .chain(attrs.iter().map(|(n, _, _)| ident(n)))
    .collect();
    let q = format!(
        "SELECT {} FROM {} ORDER BY 1",
        select.join(", "),
        ident(&info.table)
    );
    let mut stmt = conn.prepare(&q).map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    sink.begin_layer(&info.table, &crs, &declared)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let fid: i64 = row.get(0).map_err(sql)?;
        let geometry = match row.get_ref(1).map_err(sql)? {
            ValueRef::Null => None,
            ValueRef::Blob(b) => {
                decode_blob(b)
                    .map_err(|m| FormatError::malformed(path, format!("{at}, fid {fid}"), m))?
                    .1
            }
            other => {
                return Err(FormatError::malformed(
                    path,
                    format!("{at}, fid {fid}"),
                    format!("geometry column holds {:?}, not a blob", other.data_type()),
                ))
            }
        };
        let mut f = Feature {
            id: Some(FeatureId::Int(fid)),
            geometry,
            ..Default::default()
        };
        for (i, (name, kind, _blob)) in attrs.iter().enumerate() {
            let v = match row.get_ref(i + 2).map_err(sql)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) if *kind == FieldKind::Bool => Value::Bool(n != 0),
                ValueRef::Integer(n) => Value::Int(n),
                ValueRef::Real(x) => Value::Float(x),
                ValueRef::Text(t) => {
                    let s = String::from_utf8_lossy(t).into_owned();
                    if *kind == FieldKind::Json {
                        Value::from_text(&s, FieldKind::Json)
                    } else {
                        Value::String(s)
                    }
                }
                ValueRef::Blob(b) => Value::String(b.iter().map(|x| format!("{x:02x}")).collect()),
            };
            f.properties.insert(name.clone(), v);
        }
        sink.feature(f)?;
    }
    sink.end_layer()
}
