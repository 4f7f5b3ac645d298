//! Streaming GeoPackage writer.
//!
//! Features are inserted as they arrive, in one transaction, into a table
//! whose columns grow as new attribute names appear. The layer's metadata
//! (geometry type, Z flag, extent) is known only at the end of the layer, so
//! it is written then, together with the R-tree triggers of the
//! `gpkg_rtree_index` extension.

use super::{encode_blob, ident, APPLICATION_ID, USER_VERSION};
use crate::{temp_sibling, FormatError, LayerSink, Result};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection, ErrorCode};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use terminus_geodesy::Crs;
use terminus_vector::{Bbox, Feature, FeatureId, Field, FieldKind, GeometryType, Value};

const GEOM: &str = "geom";
const FID: &str = "fid";

struct Column {
    /// Property name in the features.
    key: String,
    /// Column name in the table (differs when the property is called fid/geom).
    name: String,
    kind: Option<FieldKind>,
    /// The SQL type the column was created with.
    created: &'static str,
}

struct LayerState {
    table: String,
    srs_id: i32,
    columns: Vec<Column>,
    types: BTreeSet<GeometryType>,
    has_z: bool,
    bbox: Option<Bbox>,
    insert_sql: String,
    insert_sql_with_fid: String,
}

/// Writes layers into a new GeoPackage.
pub struct GpkgWriter {
    path: PathBuf,
    tmp: PathBuf,
    conn: Option<Connection>,
    layer: Option<LayerState>,
    tables: HashSet<String>,
    srs_ids: HashSet<i32>,
    next_custom_srs: i32,
    blob: Vec<u8>,
}

fn column_type(kind: Option<FieldKind>) -> &'static str {
    match kind {
        Some(FieldKind::Bool) => "BOOLEAN",
        Some(FieldKind::Integer) => "INTEGER",
        Some(FieldKind::Real) => "REAL",
        Some(FieldKind::Date) => "DATE",
        Some(FieldKind::DateTime) => "DATETIME",
        Some(FieldKind::String) | Some(FieldKind::Json) | None => "TEXT",
    }
}

impl GpkgWriter {
    /// Start a new GeoPackage at `path` (written to a temporary sibling and
    /// renamed when finished).
    pub fn create(path: &Path) -> Result<GpkgWriter> {
        let tmp = temp_sibling(path);
        let _ = std::fs::remove_file(&tmp);
        let conn = Connection::open(&tmp).map_err(|e| sql_err(path, e))?;
        // The file is private until renamed: no journal, no fsync.
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID};
             PRAGMA user_version = {USER_VERSION};
             PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA cache_size = -16384;
             BEGIN;
             CREATE TABLE gpkg_spatial_ref_sys (
               srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
               organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
             CREATE TABLE gpkg_contents (
               table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
               description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
               min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
               CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
             CREATE TABLE gpkg_geometry_columns (
               table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
               srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
               CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
               CONSTRAINT uk_gc_table_name UNIQUE (table_name),
               CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
               CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
             CREATE TABLE gpkg_extensions (
               table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
               definition TEXT NOT NULL, scope TEXT NOT NULL,
               CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
             INSERT INTO gpkg_spatial_ref_sys VALUES
               ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
               ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');"
        ))
        .map_err(|e| sql_err(path, e))?;
        let mut w = GpkgWriter {
            path: path.to_path_buf(),
            tmp,
            conn: Some(conn),
            layer: None,
            tables: HashSet::new(),
            srs_ids: HashSet::new(),
            next_custom_srs: 100_000,
            blob: Vec::new(),
        };
        // GeoPackage requires the WGS 84 row whatever the layers use.
        w.srs_id(&Crs::WGS84)?;
        Ok(w)
    }

    fn conn(&self) -> Result<&Connection> {
        self.conn.as_ref().ok_or_else(|| {
            FormatError::unsupported(&self.path, "GeoPackage writer already finished")
        })
    }

    fn sql(&self, e: rusqlite::Error) -> FormatError {
        sql_err(&self.path, e)
    }

    /// The srs_id for `crs`, inserting its row on first use.
    fn srs_id(&mut self, crs: &Crs) -> Result<i32> {
        let (id, name, org, org_id, definition, description) = match crs {
            Crs::Epsg(code) => {
                let id = *code as i32;
                let description = if *code == 4326 {
                    "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"
                        .to_string()
                } else {
                    String::new()
                };
                (id, crs.name(), "EPSG", id, crs.to_wkt(), description)
            }
            Crs::Custom(text) => {
                let id = self.next_custom_srs;
                let is_wkt = text.contains('[');
                let definition = if is_wkt {
                    text.clone()
                } else {
                    "undefined".to_string()
                };
                let description = if is_wkt { String::new() } else { text.clone() };
                (id, crs.name(), "NONE", id, definition, description)
            }
        };
        if self.srs_ids.contains(&id) {
            return Ok(id);
        }
        if let Crs::Custom(_) = crs {
            self.next_custom_srs += 1;
        }
        self.conn()?
            .execute(
                "INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![name, id, org, org_id, definition, description],
            )
            .map_err(|e| self.sql(e))?;
        self.srs_ids.insert(id);
        Ok(id)
    }

    fn table_name(&mut self, layer: &str) -> String {
        let mut base = if layer.trim().is_empty() {
            "layer".to_string()
        } else {
            layer.to_string()
        };
        let lower = base.to_ascii_lowercase();
        if lower.starts_with("gpkg_") || lower.starts_with("rtree_") || lower.starts_with("sqlite_")
        {
            base = format!("layer_{base}");
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.tables.contains(&name.to_ascii_lowercase()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.tables.insert(name.to_ascii_lowercase());
        name
    }

    fn add_column(&mut self, key: &str, kind: Option<FieldKind>) -> Result<()> {
        let layer = self
            .layer
            .as_mut()
            .ok_or_else(|| FormatError::unsupported(&self.path, "feature outside a layer"))?;
        let mut name = key.to_string();
        while name.eq_ignore_ascii_case(FID)
            || name.eq_ignore_ascii_case(GEOM)
            || layer
                .columns
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(&name))
        {
            name.push('_');
        }
        let created = column_type(kind);
        let ddl = format!(
            "ALTER TABLE {} ADD COLUMN {} {created}",
            ident(&layer.table),
            ident(&name)
        );
        layer.columns.push(Column {
            key: key.to_string(),
            name,
            kind,
            created,
        });
        let cols: Vec<String> = layer.columns.iter().map(|c| ident(&c.name)).collect();
        let marks: Vec<String> = (0..cols.len() + 1).map(|i| format!("?{}", i + 1)).collect();
        layer.insert_sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            ident(&layer.table),
            std::iter::once(ident(GEOM))
                .chain(cols.iter().cloned())
                .collect::<Vec<_>>()
                .join(", "),
            marks.join(", ")
        );
        let marks2: Vec<String> = (0..cols.len() + 2).map(|i| format!("?{}", i + 1)).collect();
        layer.insert_sql_with_fid = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            ident(&layer.table),
            [ident(FID), ident(GEOM)]
                .into_iter()
                .chain(cols)
                .collect::<Vec<_>>()
                .join(", "),
            marks2.join(", ")
        );
        let conn = self.conn()?;
        conn.execute_batch(&ddl).map_err(|e| self.sql(e))
    }
}

fn sql_err(path: &Path, e: rusqlite::Error) -> FormatError {
    FormatError::unsupported(path, format!("SQLite: {e}"))
}

fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Int(i) => SqlValue::Integer(*i),
        Value::Float(f) => SqlValue::Real(*f),
        Value::String(s) => SqlValue::Text(s.clone()),
        Value::Json(j) => SqlValue::Text(j.to_string()),
    }
}

impl Drop for GpkgWriter {
    fn drop(&mut self) {
        if self.conn.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl LayerSink for GpkgWriter {
    fn begin_layer(&mut self, name: &str, crs: &Crs, declared: &[Field]) -> Result<()> {
        let srs_id = self.srs_id(crs)?;
        let table = self.table_name(name);
        let ddl = format!(
            "CREATE TABLE {} ({} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {} GEOMETRY)",
            ident(&table),
            ident(FID),
            ident(GEOM)
        );
        let rtree = format!(
            "CREATE VIRTUAL TABLE {} USING rtree(id, minx, maxx, miny, maxy)",
            ident(&rtree_name(&table))
        );
        self.conn()?.execute_batch(&ddl).map_err(|e| self.sql(e))?;
        self.conn()?
            .execute_batch(&rtree)
            .map_err(|e| self.sql(e))?;
        self.layer = Some(LayerState {
            insert_sql: format!(
                "INSERT INTO {} ({}) VALUES (?1)",
                ident(&table),
                ident(GEOM)
            ),
            insert_sql_with_fid: format!(
                "INSERT INTO {} ({}, {}) VALUES (?1, ?2)",
                ident(&table),
                ident(FID),
                ident(GEOM)
            ),
            table,
            srs_id,
            columns: Vec::new(),
            types: BTreeSet::new(),
            has_z: false,
            bbox: None,
        });
        for f in declared {
            self.add_column(&f.name, Some(f.kind))?;
        }
        Ok(())
    }

    fn feature(&mut self, mut f: Feature) -> Result<()> {
        // A text id has no fid to go to: keep it as an attribute.
        if let Some(FeatureId::String(s)) = &f.id {
            let key = if f.properties.contains_key("id") {
                "feature_id"
            } else {
                "id"
            };
            f.properties
                .insert(key.to_string(), Value::String(s.clone()));
        }
        // New attribute names become new columns; kinds widen as values disagree.
        for (k, v) in &f.properties {
            let layer = self
                .layer
                .as_mut()
                .ok_or_else(|| FormatError::unsupported(&self.path, "feature outside a layer"))?;
            match layer.columns.iter_mut().find(|c| &c.key == k) {
                Some(c) => {
                    if let Some(vk) = v.kind() {
                        c.kind = Some(c.kind.map_or(vk, |ck| ck.unify(vk)));
                    }
                }
                None => {
                    let kind = v.kind();
                    self.add_column(k, kind)?;
                }
            }
        }
        let srs_id;
        let mut values: Vec<SqlValue> = Vec::new();
        {
            let layer = self
                .layer
                .as_mut()
                .ok_or_else(|| FormatError::unsupported(&self.path, "feature outside a layer"))?;
            srs_id = layer.srs_id;
            match &f.geometry {
                Some(g) => {
                    layer.types.insert(g.geometry_type());
                    layer.has_z |= g.has_z();
                    if let Some(b) = g.bbox() {
                        match &mut layer.bbox {
                            Some(o) => o.union(&b),
                            None => layer.bbox = Some(b),
                        }
                    }
                    encode_blob(g, srs_id, &mut self.blob);
                    values.push(SqlValue::Blob(std::mem::take(&mut self.blob)));
                }
                None => values.push(SqlValue::Null),
            }
            for c in &layer.columns {
                values.push(
                    f.properties
                        .get(&c.key)
                        .map(to_sql)
                        .unwrap_or(SqlValue::Null),
                );
            }
        }
        let layer = self
            .layer
            .as_ref()
            .ok_or_else(|| FormatError::unsupported(&self.path, "feature outside a layer"))?;
        let conn = self
            .conn
            .as_ref()
            .ok_or_else(|| FormatError::unsupported(&self.path, "writer finished"))?;
        let explicit = match f.id {
            Some(FeatureId::Int(i)) if i >= 0 => Some(i),
            _ => None,
        };
        let mut inserted = false;
        if let Some(fid) = explicit {
            let mut stmt = conn
                .prepare_cached(&layer.insert_sql_with_fid)
                .map_err(|e| sql_err(&self.path, e))?;
            let params = std::iter::once(SqlValue::Integer(fid)).chain(values.iter().cloned());
            match stmt.execute(params_from_iter(params)) {
                Ok(_) => inserted = true,
                // A repeated id cannot be a fid: let SQLite number this one.
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == ErrorCode::ConstraintViolation => {}
                Err(e) => return Err(sql_err(&self.path, e)),
            }
        }
        if !inserted {
            let mut stmt = conn
                .prepare_cached(&layer.insert_sql)
                .map_err(|e| sql_err(&self.path, e))?;
            stmt.execute(params_from_iter(values.iter()))
                .map_err(|e| sql_err(&self.path, e))?;
        }
        if let Some(SqlValue::Blob(b)) = values.into_iter().next() {
            self.blob = b;
        }
        // The R-tree entry, inserted here because the spec's triggers need
        // SQL functions (ST_MinX …) that only GeoPackage-aware SQLite builds have.
        if let Some(b) = f.geometry.as_ref().and_then(|g| g.bbox()) {
            let fid = conn.last_insert_rowid();
            let mut stmt = conn
                .prepare_cached(&format!(
                    "INSERT INTO {} VALUES (?1, ?2, ?3, ?4, ?5)",
                    ident(&rtree_name(&layer.table))
                ))
                .map_err(|e| sql_err(&self.path, e))?;
            // R*Tree stores 32-bit floats: round outwards so the box still contains the geometry.
            stmt.execute(rusqlite::params![
                fid,
                down(b.min_x),
                up(b.max_x),
                down(b.min_y),
                up(b.max_y)
            ])
            .map_err(|e| sql_err(&self.path, e))?;
        }
        Ok(())
    }

    fn end_layer(&mut self) -> Result<()> {
        let layer = self
            .layer
            .take()
            .ok_or_else(|| FormatError::unsupported(&self.path, "end of a layer never begun"))?;
        let conn = self.conn()?;
        let type_name = if layer.types.len() == 1 {
            layer
                .types
                .iter()
                .next()
                .map(|t| t.name().to_ascii_uppercase())
                .unwrap_or_default()
        } else {
            "GEOMETRY".to_string()
        };
        let t = ident(&layer.table);
        // Declared types: the geometry column takes the layer's geometry type
        // (GeoPackage Req. 25) and columns whose values widened take the
        // wider type. SQLite cannot ALTER a column's type; editing the stored
        // CREATE statement is the documented way (sqlite.org/lang_altertable.html §7).
        let old_sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type='table' AND name=?1",
                [&layer.table],
                |r| r.get(0),
            )
            .map_err(|e| self.sql(e))?;
        let mut new_sql = old_sql.replacen(
            &format!("{} GEOMETRY", ident(GEOM)),
            &format!("{} {type_name}", ident(GEOM)),
            1,
        );
        for c in &layer.columns {
            let now = column_type(c.kind);
            if now != c.created {
                new_sql = new_sql.replace(
                    &format!("{} {}", ident(&c.name), c.created),
                    &format!("{} {now}", ident(&c.name)),
                );
            }
        }
        if new_sql != old_sql {
            let version: i64 = conn
                .query_row("PRAGMA schema_version", [], |r| r.get(0))
                .map_err(|e| self.sql(e))?;
            conn.execute_batch("PRAGMA writable_schema = ON")
                .map_err(|e| self.sql(e))?;
            conn.execute(
                "UPDATE sqlite_master SET sql = ?1 WHERE type = 'table' AND name = ?2",
                rusqlite::params![new_sql, layer.table],
            )
            .map_err(|e| self.sql(e))?;
            conn.execute_batch(&format!(
                "PRAGMA schema_version = {}; PRAGMA writable_schema = OFF;",
                version + 1
            ))
            .map_err(|e| self.sql(e))?;
        }
        conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
             VALUES (?1, 'features', ?1, '', ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![
                layer.table,
                layer.bbox.map(|b| b.min_x),
                layer.bbox.map(|b| b.min_y),
                layer.bbox.map(|b| b.max_x),
                layer.bbox.map(|b| b.max_y),
                layer.srs_id
            ],
        )
        .map_err(|e| self.sql(e))?;
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, ?2, ?3, ?4, ?5, 0)",
            rusqlite::params![
                layer.table,
                GEOM,
                type_name,
                layer.srs_id,
                layer.has_z as i32
            ],
        )
        .map_err(|e| self.sql(e))?;
        conn.execute(
            "INSERT INTO gpkg_extensions VALUES (?1, ?2, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
            rusqlite::params![layer.table, GEOM],
        )
        .map_err(|e| self.sql(e))?;
        let r = ident(&rtree_name(&layer.table));
        let g = ident(GEOM);
        let i = ident(FID);
        let trig = |suffix: &str| ident(&format!("{}_{suffix}", rtree_name(&layer.table)));
        let bounds = format!(
            "NEW.{i}, ST_MinX(NEW.{g}), ST_MaxX(NEW.{g}), ST_MinY(NEW.{g}), ST_MaxY(NEW.{g})"
        );
        conn.execute_batch(&format!(
            "CREATE TRIGGER {ins} AFTER INSERT ON {t} WHEN (new.{g} NOT NULL AND NOT ST_IsEmpty(NEW.{g}))
             BEGIN INSERT OR REPLACE INTO {r} VALUES ({bounds}); END;
             CREATE TRIGGER {u1} AFTER UPDATE OF {g} ON {t} WHEN OLD.{i} = NEW.{i} AND (NEW.{g} NOTNULL AND NOT ST_IsEmpty(NEW.{g}))
             BEGIN INSERT OR REPLACE INTO {r} VALUES ({bounds}); END;
             CREATE TRIGGER {u2} AFTER UPDATE OF {g} ON {t} WHEN OLD.{i} = NEW.{i} AND (NEW.{g} ISNULL OR ST_IsEmpty(NEW.{g}))
             BEGIN DELETE FROM {r} WHERE id = OLD.{i}; END;
             CREATE TRIGGER {u3} AFTER UPDATE ON {t} WHEN OLD.{i} != NEW.{i} AND (NEW.{g} NOTNULL AND NOT ST_IsEmpty(NEW.{g}))
             BEGIN DELETE FROM {r} WHERE id = OLD.{i}; INSERT OR REPLACE INTO {r} VALUES ({bounds}); END;
             CREATE TRIGGER {u4} AFTER UPDATE ON {t} WHEN OLD.{i} != NEW.{i} AND (NEW.{g} ISNULL OR ST_IsEmpty(NEW.{g}))
             BEGIN DELETE FROM {r} WHERE id IN (OLD.{i}, NEW.{i}); END;
             CREATE TRIGGER {del} AFTER DELETE ON {t} WHEN old.{g} NOT NULL
             BEGIN DELETE FROM {r} WHERE id = OLD.{i}; END;",
            ins = trig("insert"),
            u1 = trig("update1"),
            u2 = trig("update2"),
            u3 = trig("update3"),
            u4 = trig("update4"),
            del = trig("delete"),
        ))
        .map_err(|e| self.sql(e))?;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        let conn = self
            .conn
            .take()
            .ok_or_else(|| FormatError::unsupported(&self.path, "finished twice"))?;
        conn.execute_batch("COMMIT")
            .map_err(|e| sql_err(&self.path, e))?;
        conn.close().map_err(|(_, e)| sql_err(&self.path, e))?;
        std::fs::rename(&self.tmp, &self.path).map_err(|e| FormatError::io(&self.path, e))
    }
}

fn rtree_name(table: &str) -> String {
    format!("rtree_{table}_{GEOM}")
}

/// Largest f32 ≤ x (the R*Tree module stores 32-bit floats).
fn down(x: f64) -> f64 {
    let f = x as f32;
    if (f as f64) > x {
        f32::from_bits(if f > 0.0 {
            f.to_bits() - 1
        } else {
            f.to_bits() + 1
        }) as f64
    } else {
        f as f64
    }
}

/// Smallest f32 ≥ x.
fn up(x: f64) -> f64 {
    -down(-x)
}
