//! SRTM `.hgt` tiles: raw big-endian int16, named by the south-west corner
//! (N40E045.hgt covers 40–41°N, 45–46°E), 1201 × 1201 samples at 3″ or
//! 3601 × 3601 at 1″, row 0 at the north edge, samples on the grid points
//! (adjacent tiles share an edge row and column), voids −32768.

use crate::dem::{Dem, Georef, SampleType};
use crate::TerrainError;
use std::path::Path;
use terminus_geodesy::Crs;

/// The void value.
pub const VOID: i16 = -32768;

/// The tile's south-west corner from its name, (lat, lon).
pub fn corner(name: &str) -> Option<(i32, i32)> {
    let n = name.to_ascii_uppercase();
    let n = n.strip_suffix(".HGT").unwrap_or(&n);
    let (ns, rest) = n.split_at(1);
    let e_at = rest.find(['E', 'W'])?;
    let lat: i32 = rest[..e_at].parse().ok()?;
    let (ew, lon) = rest[e_at..].split_at(1);
    let lon: i32 = lon.parse().ok()?;
    let lat = match ns {
        "N" => lat,
        "S" => -lat,
        _ => return None,
    };
    let lon = if ew == "E" { lon } else { -lon };
    ((-90..90).contains(&lat) && (-180..180).contains(&lon)).then_some((lat, lon))
}

/// Read an SRTM tile.
pub fn read(path: &Path) -> Result<Dem, TerrainError> {
    let bad = |m: String| TerrainError::Unsupported {
        path: path.to_path_buf(),
        message: m,
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let (lat, lon) = corner(name).ok_or_else(|| {
        bad(format!(
            "\"{name}\" is not an SRTM tile name (e.g. N40E045.hgt): the name gives its position"
        ))
    })?;
    let bytes = std::fs::read(path).map_err(|e| TerrainError::Io(path.to_path_buf(), e))?;
    let n = match bytes.len() {
        l if l == 1201 * 1201 * 2 => 1201,
        l if l == 3601 * 3601 * 2 => 3601,
        l => {
            return Err(bad(format!(
                "{l} bytes: an SRTM tile has 1201² (3″) or 3601² (1″) two-byte samples"
            )))
        }
    };
    let step = 1.0 / (n - 1) as f64;
    let data = bytes
        .chunks_exact(2)
        .map(|b| {
            let v = i16::from_be_bytes([b[0], b[1]]);
            if v == VOID {
                f32::NAN
            } else {
                v as f32
            }
        })
        .collect();
    Ok(Dem {
        width: n,
        height: n,
        data,
        nodata: Some(VOID as f64),
        sample: SampleType::I16,
        georef: Georef {
            x0: lon as f64 - step / 2.0,
            y0: (lat + 1) as f64 + step / 2.0,
            dx: step,
            dy: step,
            crs: Crs::WGS84,
            pixel_is_point: true,
        },
    })
}
