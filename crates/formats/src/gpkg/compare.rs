//! Whether two GeoPackages show GIS software the same thing: every table a
//! reader such as GDAL or QGIS consults — the spatial reference systems,
//! the contents and their extents, the geometry columns, the extensions,
//! every feature table row by row (geometry blobs byte for byte: their
//! srs_id and envelope too), and every R-tree spatial index entry.
//!
//! A bundle's layers are checked this way against the ones the verified
//! record produces: a pillar moved in the R-tree (hidden from QGIS's map
//! view), an extent or a CRS definition edited, is named.

use super::ident;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// Compare what GIS software reads from the GeoPackages `got` and `want`;
/// the first difference, named by table, row and column. Tables whose
/// names start with `skip_prefix` (and their triggers and indexes) are
/// not compared (another check covers them), nor `gpkg_contents`'s
/// `last_change` time.
pub fn same_for_gis(got: &Path, want: &Path, skip_prefix: &str) -> Result<(), String> {
    let open = |p: &Path| {
        Connection::open_with_flags(p, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| format!("{}: {e}", p.display()))
    };
    let (g, w) = (open(got)?, open(want)?);
    let schema = "SELECT type, name, tbl_name, sql FROM sqlite_master
                  WHERE tbl_name NOT LIKE ?1 ESCAPE '\\' AND name NOT LIKE 'sqlite_%'
                  ORDER BY type, name";
    let like = format!("{}%", skip_prefix.replace('_', "\\_"));
    let (gs, ws) = (rows(&g, schema, &[&like])?, rows(&w, schema, &[&like])?);
    if gs != ws {
        let names = |r: &[Vec<Value>]| -> Vec<String> {
            r.iter()
                .map(|row| format!("{} {}", text(&row[0]), text(&row[1])))
                .collect()
        };
        let (gn, wn) = (names(&gs), names(&ws));
        let extra: Vec<&String> = gn.iter().filter(|n| !wn.contains(n)).collect();
        let missing: Vec<&String> = wn.iter().filter(|n| !gn.contains(n)).collect();
        return Err(if extra.is_empty() && missing.is_empty() {
            let at = gs
                .iter()
                .zip(&ws)
                .find(|(a, b)| a != b)
                .map(|(a, _)| format!("{} {}", text(&a[0]), text(&a[1])))
                .unwrap_or_default();
            format!("the schema of {at} differs")
        } else {
            format!("tables, indexes or triggers added {extra:?}, missing {missing:?}")
        });
    }
    let mut tables: Vec<(String, String)> = vec![
        ("gpkg_spatial_ref_sys".into(), "SELECT * FROM gpkg_spatial_ref_sys ORDER BY srs_id".into()),
        (
            "gpkg_contents".into(),
            "SELECT table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents ORDER BY table_name".into(),
        ),
        ("gpkg_geometry_columns".into(), "SELECT * FROM gpkg_geometry_columns ORDER BY table_name".into()),
        ("gpkg_extensions".into(), "SELECT * FROM gpkg_extensions ORDER BY table_name, column_name, extension_name".into()),
    ];
    // Feature tables and their R-trees, as the reference lists them.
    for row in &ws {
        let (kind, name) = (text(&row[0]), text(&row[1]));
        if kind != "table" || name.starts_with("gpkg_") {
            continue;
        }
        let sql = text(&row[3]);
        let order = if sql.contains("VIRTUAL TABLE") {
            "id"
        } else {
            "rowid"
        };
        if name.starts_with("rtree_")
            && ["_node", "_parent", "_rowid"]
                .iter()
                .any(|s| name.ends_with(s))
        {
            // The R-tree's own storage: read through the index itself.
            continue;
        }
        tables.push((
            name.clone(),
            format!("SELECT * FROM {} ORDER BY {order}", ident(&name)),
        ));
    }
    for (table, sql) in &tables {
        let (a, b) = (rows(&g, sql, &[])?, rows(&w, sql, &[])?);
        if a.len() != b.len() {
            return Err(format!(
                "table {table}: {} rows where the record gives {}",
                a.len(),
                b.len()
            ));
        }
        for (i, (ra, rb)) in a.iter().zip(&b).enumerate() {
            if let Some(c) = (0..ra.len().max(rb.len())).find(|&c| ra.get(c) != rb.get(c)) {
                let col = column_name(&w, sql, c);
                if let (Some(Value::Blob(x)), Some(Value::Blob(y))) = (ra.get(c), rb.get(c)) {
                    let at = x
                        .iter()
                        .zip(y)
                        .position(|(p, q)| p != q)
                        .unwrap_or(x.len().min(y.len()));
                    let part = if x.starts_with(b"GP") && y.starts_with(b"GP") {
                        match at {
                            0..=3 => " (its header)",
                            4..=7 => " (its srs_id)",
                            _ if at < 8 + envelope_len(y) => " (its envelope)",
                            _ => " (its coordinates)",
                        }
                    } else {
                        ""
                    };
                    return Err(format!(
                        "table {table}, row {}: {col}: byte {at}{part} differs from what the record gives",
                        i + 1
                    ));
                }
                return Err(format!(
                    "table {table}, row {}: {col} is {} where the record gives {}",
                    i + 1,
                    show(ra.get(c)),
                    show(rb.get(c))
                ));
            }
        }
    }
    Ok(())
}

fn rows(
    c: &Connection,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Vec<Value>>, String> {
    let mut st = c.prepare(sql).map_err(|e| format!("{sql}: {e}"))?;
    let n = st.column_count();
    let out = st
        .query_map(params, |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .map_err(|e| e.to_string())?
        .collect::<Result<Vec<Vec<Value>>, _>>()
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Bytes of a GeoPackage blob's envelope (from its flags).
fn envelope_len(b: &[u8]) -> usize {
    match b.get(3).map(|f| (f >> 1) & 0b111) {
        Some(1) => 32,
        Some(2 | 3) => 48,
        Some(4) => 64,
        _ => 0,
    }
}

fn column_name(c: &Connection, sql: &str, i: usize) -> String {
    c.prepare(sql)
        .ok()
        .and_then(|st| st.column_name(i).ok().map(str::to_string))
        .unwrap_or_else(|| format!("column {i}"))
}

fn text(v: &Value) -> String {
    match v {
        Value::Text(t) => t.clone(),
        other => format!("{other:?}"),
    }
}

fn show(v: Option<&Value>) -> String {
    match v {
        None => "absent".into(),
        Some(Value::Blob(b)) => format!("a {}-byte blob", b.len()),
        Some(Value::Text(t)) => format!("{t:?}"),
        Some(other) => format!("{other:?}"),
    }
}
