//! ESRI Shapefile (ESRI White Paper J-7855, 1998): geometry in `.shp` with
//! its index `.shx`, attributes in the dBASE `.dbf`, the CRS in `.prj`, the
//! attribute encoding in `.cpg`.
//!
//! * Shape types: Null, Point, PolyLine, Polygon, MultiPoint, their Z
//!   variants (Z kept) and M variants (M dropped). MultiPatch is refused.
//! * Polygon rings are assigned to shells by orientation (the format's rule:
//!   clockwise shells, counter-clockwise holes) and containment, and come out
//!   in RFC 7946 orientation; they are written back in the format's.
//! * One part reads as a single geometry (LineString, Polygon), several as a
//!   multi-geometry: the format does not distinguish a one-part MultiPolygon
//!   from a Polygon.
//! * Attributes: C (text), N/F (integer or real), L (logical), D (date).
//!   Written in UTF-8 with a `.cpg`; read in the `.cpg`'s encoding, else the
//!   DBF language driver's, else Windows-1252. Names are cut to the format's
//!   10 bytes (made unique), as GDAL does; text longer than 254 bytes is an
//!   error rather than a silent cut.

mod dbf;
mod shp;

use crate::{single_layer, FormatError, ReadOptions, Result};
use std::path::{Path, PathBuf};
use terminus_geodesy::Crs;
use terminus_vector::{Dataset, Feature, Layer};

/// The five files of a shapefile.
pub fn sidecar_paths(path: &Path) -> Vec<PathBuf> {
    ["shp", "shx", "dbf", "prj", "cpg"]
        .iter()
        .map(|e| path.with_extension(e))
        .collect()
}

/// Read a shapefile (the `.shp` path; siblings found by extension, in either case).
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Dataset> {
    let shp_bytes = std::fs::read(path).map_err(|e| FormatError::io(path, e))?;
    let shapes = shp::read(path, &shp_bytes)?;
    let dbf_path = sibling(path, "dbf").ok_or_else(|| {
        FormatError::malformed(
            path,
            "",
            "the .dbf file with the attributes is missing (a shapefile is .shp + .shx + .dbf)",
        )
    })?;
    let cpg = sibling(path, "cpg").and_then(|p| std::fs::read_to_string(p).ok());
    let dbf_bytes = std::fs::read(&dbf_path).map_err(|e| FormatError::io(&dbf_path, e))?;
    let table = dbf::read(&dbf_path, &dbf_bytes, cpg.as_deref())?;
    if table.records.len() != shapes.len() {
        return Err(FormatError::malformed(
            path,
            "",
            format!(
                "the .shp has {} shapes but the .dbf has {} records",
                shapes.len(),
                table.records.len()
            ),
        ));
    }
    let crs = match (sibling(path, "prj"), &opts.crs) {
        (Some(prj), assumed) => {
            let text = std::fs::read_to_string(&prj).map_err(|e| FormatError::io(&prj, e))?;
            let c = Crs::parse(text.trim()).map_err(|e| FormatError::crs(&prj, e.to_string()))?;
            if let Some(a) = assumed {
                if *a != c {
                    return Err(FormatError::crs(path, format!("the .prj says {} but --crs says {}", c.id(), a.id())));
                }
            }
            c
        }
        (None, Some(a)) => a.clone(),
        (None, None) => {
            return Err(FormatError::crs(
                path,
                "no .prj file: the shapefile does not say its coordinate reference system; pass --crs if you know it",
            ))
        }
    };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("layer");
    let mut layer = Layer::new(stem, crs);
    layer.declared_fields = table.fields.clone();
    for (shape, record) in shapes.into_iter().zip(table.records) {
        let Some(props) = record else { continue }; // deleted record
        layer.features.push(Feature {
            id: None,
            geometry: shape,
            properties: props,
        });
    }
    Ok(Dataset {
        layers: vec![layer],
    })
}

/// The sibling with extension `ext` (lower or upper case), if it exists.
fn sibling(path: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_string(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| path.with_extension(e))
        .find(|p| p.exists())
}

/// Write a shapefile: `.shp`, `.shx`, `.dbf`, `.cpg` and `.prj`.
pub fn write(path: &Path, ds: &Dataset) -> Result<()> {
    let layer = single_layer(path, ds, "A shapefile")?;
    let (shp_bytes, shx_bytes) = shp::write(path, layer)?;
    let dbf_bytes = dbf::write(path, layer)?;
    let files: [(&str, Vec<u8>); 5] = [
        ("shp", shp_bytes),
        ("shx", shx_bytes),
        ("dbf", dbf_bytes),
        ("cpg", b"UTF-8\n".to_vec()),
        ("prj", layer.crs.to_wkt().into_bytes()),
    ];
    // All five are written beside the target first, then renamed together.
    let mut written = Vec::new();
    for (ext, bytes) in &files {
        let target = path.with_extension(ext);
        let tmp = crate::temp_sibling(&target);
        if let Err(e) = std::fs::write(&tmp, bytes) {
            for (t, _) in &written {
                let _ = std::fs::remove_file(t);
            }
            return Err(FormatError::io(&target, e));
        }
        written.push((tmp, target));
    }
    // The `.shp` names the dataset: it goes last, so that a write cut off
    // at any moment (kill -9) leaves either the whole new shapefile or no
    // `.shp` — never a `.shp` beside another write's `.dbf`. An old `.shp`
    // being replaced is removed first for the same reason.
    if path.with_extension("shp").exists() {
        std::fs::remove_file(path.with_extension("shp")).map_err(|e| FormatError::io(path, e))?;
    }
    written.rotate_left(1);
    for (tmp, target) in written {
        std::fs::rename(&tmp, &target).map_err(|e| FormatError::io(&target, e))?;
    }
    Ok(())
}
