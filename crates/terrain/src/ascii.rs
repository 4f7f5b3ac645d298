//! ESRI ASCII grid (`.asc`): a six-line header (ncols, nrows, xllcorner or
//! xllcenter, yllcorner or yllcenter, cellsize, optional NODATA_value),
//! then rows from north to south. The CRS comes from a `.prj` sidecar.

use crate::dem::{Dem, Georef, SampleType};
use crate::TerrainError;
use std::fmt::Write as _;
use std::path::Path;
use terminus_geodesy::Crs;

/// Read an ASCII grid; `crs` for files without a `.prj`.
pub fn read(path: &Path, crs: Option<&Crs>) -> Result<Dem, TerrainError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| TerrainError::Io(path.to_path_buf(), e))?;
    let bad = |line: usize, m: String| TerrainError::Malformed {
        path: path.to_path_buf(),
        line,
        message: m,
    };
    let mut header = std::collections::HashMap::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some(&(i, l)) = lines.peek() {
        let mut it = l.split_whitespace();
        let Some(k) = it.next() else {
            lines.next();
            continue;
        };
        if k.parse::<f64>().is_ok() || k.starts_with('-') {
            break;
        }
        let v: f64 = it
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| bad(i + 1, format!("header \"{k}\" has no number")))?;
        header.insert(k.to_ascii_lowercase(), v);
        lines.next();
    }
    let get = |k: &str| header.get(k).copied();
    let (w, h) = match (get("ncols"), get("nrows")) {
        (Some(c), Some(r)) if c >= 1.0 && r >= 1.0 => (c as usize, r as usize),
        _ => return Err(bad(1, "ncols and nrows are required and positive".into())),
    };
    let (dx, dy) = match (get("cellsize"), get("dx"), get("dy")) {
        (Some(s), _, _) => (s, s),
        (None, Some(x), Some(y)) => (x, y),
        _ => return Err(bad(1, "cellsize (or dx and dy) is required".into())),
    };
    if !(dx > 0.0 && dy > 0.0) {
        return Err(bad(1, format!("cell size {dx} × {dy} is not positive")));
    }
    let (x0, south) = match (
        get("xllcorner"),
        get("yllcorner"),
        get("xllcenter"),
        get("yllcenter"),
    ) {
        (Some(x), Some(y), _, _) => (x, y),
        (_, _, Some(x), Some(y)) => (x - dx / 2.0, y - dy / 2.0),
        _ => {
            return Err(bad(
                1,
                "xllcorner/yllcorner (or xllcenter/yllcenter) are required".into(),
            ))
        }
    };
    let nodata = get("nodata_value");
    let prj = path.with_extension("prj");
    let crs = if prj.exists() {
        let wkt = std::fs::read_to_string(&prj).map_err(|e| TerrainError::Io(prj.clone(), e))?;
        Crs::parse(wkt.trim()).map_err(|e| TerrainError::Unsupported {
            path: prj.clone(),
            message: e.to_string(),
        })?
    } else {
        crs.cloned()
            .ok_or_else(|| TerrainError::NoCrs(path.to_path_buf()))?
    };
    // Every cell takes at least one byte of the file: a header declaring
    // more cells than the file has bytes is refused before allocating.
    let n = crate::dem::cells(w, h).map_err(|m| bad(1, m))?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if n as u64 > bytes {
        return Err(bad(
            1,
            format!("the header declares {w} × {h} cells; the file has only {bytes} bytes"),
        ));
    }
    let mut data = Vec::with_capacity(n);
    for (i, l) in lines {
        for tok in l.split_whitespace() {
            let v: f64 = tok
                .parse()
                .map_err(|_| bad(i + 1, format!("\"{tok}\" is not a number")))?;
            data.push(if Some(v) == nodata {
                f32::NAN
            } else {
                v as f32
            });
        }
    }
    if data.len() != w * h {
        return Err(bad(0, format!("{} values for {w} × {h} cells", data.len())));
    }
    let integer = text
        .lines()
        .skip(header.len())
        .take(50)
        .all(|l| !l.contains('.'));
    Ok(Dem {
        width: w,
        height: h,
        data,
        nodata,
        sample: if integer {
            SampleType::I32
        } else {
            SampleType::F32
        },
        georef: Georef {
            x0,
            y0: south + h as f64 * dy,
            dx,
            dy,
            crs,
            pixel_is_point: false,
        },
    })
}

/// Write an ASCII grid (and a `.prj` with the CRS's WKT when it has one).
pub fn write(path: &Path, dem: &Dem) -> Result<(), TerrainError> {
    let g = &dem.georef;
    let mut s = String::new();
    let _ = writeln!(s, "ncols {}\nnrows {}", dem.width, dem.height);
    let _ = writeln!(
        s,
        "xllcorner {}\nyllcorner {}",
        g.x0,
        g.y0 - dem.height as f64 * g.dy
    );
    if g.dx == g.dy {
        let _ = writeln!(s, "cellsize {}", g.dx);
    } else {
        let _ = writeln!(s, "dx {}\ndy {}", g.dx, g.dy);
    }
    let nodata = dem.nodata.unwrap_or(-9999.0);
    let _ = writeln!(s, "NODATA_value {nodata}");
    for r in 0..dem.height {
        let row: Vec<String> = (0..dem.width)
            .map(|c| {
                let v = dem.get(c, r);
                if v.is_nan() {
                    format!("{nodata}")
                } else {
                    format!("{v}")
                }
            })
            .collect();
        s.push_str(&row.join(" "));
        s.push('\n');
    }
    std::fs::write(path, s).map_err(|e| TerrainError::Io(path.to_path_buf(), e))?;
    let wkt = g.crs.to_wkt();
    if !wkt.is_empty() {
        let prj = path.with_extension("prj");
        std::fs::write(&prj, wkt).map_err(|e| TerrainError::Io(prj, e))?;
    }
    Ok(())
}
