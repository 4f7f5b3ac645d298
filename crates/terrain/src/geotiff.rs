//! GeoTIFF: read (int16/int32/float32/float64 and the other plain sample
//! types; strips or tiles; none, LZW, DEFLATE, PackBits; horizontal
//! predictor — decoding by the `tiff` crate) and write (tiled 256 × 256,
//! DEFLATE, the input's sample type, GDAL's nodata tag), with the GeoKeys
//! for EPSG geographic and projected CRSs and both raster-space
//! conventions (OGC GeoTIFF 1.1, §7: PixelIsArea / PixelIsPoint).

use crate::dem::{Dem, Georef, SampleType};
use crate::TerrainError;
use std::io::{BufWriter, Seek, Write};
use std::path::Path;
use terminus_geodesy::Crs;
use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;

const GT_MODEL_TYPE: u16 = 1024;
const GT_RASTER_TYPE: u16 = 1025;
const GEOGRAPHIC_TYPE: u16 = 2048;
const PROJECTED_CS_TYPE: u16 = 3072;
const USER_DEFINED: u16 = 32767;

/// The decoder's limits: a tag's values at most 16 MiB (a header claiming
/// 2³² tie points is refused, not allocated), a decoded image at most
/// [`crate::dem::MAX_CELLS`] doubles.
fn limits() -> Limits {
    let mut l = Limits::unlimited();
    l.ifd_value_size = 16 << 20;
    l.decoding_buffer_size = crate::dem::MAX_CELLS * 8;
    l.intermediate_buffer_size = 1 << 30;
    l
}

/// Read a GeoTIFF DEM (its first image, first band).
pub fn read(path: &Path) -> Result<Dem, TerrainError> {
    read_with(path, None)
}

/// As [`read`], with the CRS to assume when the file states none (no
/// GeoKeys, or a user-defined CRS of no known datum). A stated CRS wins.
pub fn read_with(path: &Path, fallback: Option<&Crs>) -> Result<Dem, TerrainError> {
    let bad = |m: String| TerrainError::Unsupported {
        path: path.to_path_buf(),
        message: m,
    };
    let file = std::fs::File::open(path).map_err(|e| TerrainError::Io(path.to_path_buf(), e))?;
    let mut dec = Decoder::new(std::io::BufReader::new(file))
        .map_err(|e| bad(format!("not a TIFF file: {e}")))?
        .with_limits(limits());
    let (w, h) = dec.dimensions().map_err(|e| bad(e.to_string()))?;
    crate::dem::cells(w as usize, h as usize).map_err(bad)?;
    let spp: u16 = dec
        .find_tag_unsigned(Tag::SamplesPerPixel)
        .ok()
        .flatten()
        .unwrap_or(1);
    if spp != 1 {
        return Err(bad(format!(
            "{spp} samples per pixel; a DEM has one band (extract it first, e.g. gdal_translate -b 1)"
        )));
    }
    // Georeferencing: ModelPixelScale + ModelTiepoint (no rotation); a
    // ModelTransformation with rotation or shear is refused.
    // A tag that is absent is None; one that cannot be read (beyond the
    // limits, malformed) is an error that says so, not "absent".
    let mut tag_f64 = |tag: Tag| -> Result<Option<Vec<f64>>, TerrainError> {
        match dec.find_tag(tag) {
            Ok(None) => Ok(None),
            Ok(Some(v)) => v
                .into_f64_vec()
                .map(Some)
                .map_err(|e| bad(format!("its {tag:?}: {e}"))),
            Err(e) => Err(bad(format!("its {tag:?}: {e}"))),
        }
    };
    let scale = tag_f64(Tag::ModelPixelScaleTag)?;
    let tie = tag_f64(Tag::ModelTiepointTag)?;
    let (scale, tie) = match (scale, tie) {
        (Some(s), Some(t)) if s.len() >= 2 && t.len() >= 6 => (s, t),
        _ => {
            if let Ok(m) = dec.get_tag_f64_vec(Tag::ModelTransformationTag) {
                if m.len() >= 8 && (m[1] != 0.0 || m[4] != 0.0) {
                    return Err(bad("a rotated or sheared grid (ModelTransformation); resample it north-up first".into()));
                }
                if m.len() >= 8 {
                    (vec![m[0], -m[5]], vec![0.0, 0.0, 0.0, m[3], m[7], 0.0])
                } else {
                    return Err(TerrainError::NoGeoreference(path.to_path_buf()));
                }
            } else {
                return Err(TerrainError::NoGeoreference(path.to_path_buf()));
            }
        }
    };
    let keys = dec
        .get_tag_u16_vec(Tag::GeoKeyDirectoryTag)
        .unwrap_or_default();
    let key = |id: u16| -> Option<u16> {
        keys.get(4..)?
            .chunks_exact(4)
            .find(|k| k[0] == id && k[1] == 0)
            .map(|k| k[3])
    };
    let model = key(GT_MODEL_TYPE);
    let code = match model {
        Some(1) => key(PROJECTED_CS_TYPE),
        Some(2) => key(GEOGRAPHIC_TYPE),
        _ => key(PROJECTED_CS_TYPE).or(key(GEOGRAPHIC_TYPE)),
    };
    // A "user-defined" geographic CRS that names a known datum (GDAL
    // writes these for netCDF and other CF sources): WGS 84 (datum 6326,
    // or only the WGS 84 ellipsoid 7030) and Pulkovo 1942 (6284).
    let code = match (model, code) {
        (Some(2) | None, Some(USER_DEFINED) | None) => match (key(2050), key(2056)) {
            (Some(6326), _) | (None | Some(USER_DEFINED), Some(7030)) => Some(4326),
            (Some(6284), _) => Some(4284),
            _ => code,
        },
        _ => code,
    };
    let crs = match code {
        Some(USER_DEFINED) | None => fallback
            .cloned()
            .ok_or_else(|| TerrainError::NoCrs(path.to_path_buf()))?,
        Some(c) => {
            Crs::parse(&format!("EPSG:{c}")).map_err(|e| bad(format!("CRS EPSG:{c}: {e}")))?
        }
    };
    let pixel_is_point = key(GT_RASTER_TYPE) == Some(2);
    let (dx, dy) = (scale[0], scale[1]);
    if !(dx > 0.0 && dy > 0.0 && dx.is_finite() && dy.is_finite()) {
        return Err(bad(format!("cell size {dx} × {dy} is not positive")));
    }
    // The tie point (i, j) ↔ (x, y); with PixelIsPoint it names a cell
    // centre, so the grid's corner lies half a cell west and north.
    let (i, j, x, y) = (tie[0], tie[1], tie[3], tie[4]);
    let shift = if pixel_is_point { 0.5 } else { 0.0 };
    let x0 = x - (i + shift) * dx;
    let y0 = y + (j + shift) * dy;
    let nodata = dec
        .get_tag_ascii_string(Tag::GdalNodata)
        .ok()
        .and_then(|s| s.trim().trim_end_matches('\0').parse::<f64>().ok());
    // Chunks (tiles or strips) decoded on all cores when there are enough.
    let (sample, data): (SampleType, Vec<f32>) =
        match decode_parallel(path, &mut dec, w as usize, h as usize) {
            Some(r) => r.map_err(|e| bad(format!("cannot decode the image: {e}")))?,
            None => match dec
                .read_image()
                .map_err(|e| bad(format!("cannot decode the image: {e}")))?
            {
                DecodingResult::I16(v) => (SampleType::I16, v.into_iter().map(f32::from).collect()),
                DecodingResult::U16(v) => (SampleType::U16, v.into_iter().map(f32::from).collect()),
                DecodingResult::U8(v) => (SampleType::U8, v.into_iter().map(f32::from).collect()),
                DecodingResult::I32(v) => {
                    (SampleType::I32, v.into_iter().map(|x| x as f32).collect())
                }
                DecodingResult::U32(v) => {
                    (SampleType::U32, v.into_iter().map(|x| x as f32).collect())
                }
                DecodingResult::F32(v) => (SampleType::F32, v),
                DecodingResult::F64(v) => {
                    (SampleType::F64, v.into_iter().map(|x| x as f32).collect())
                }
                other => {
                    return Err(bad(format!(
                        "sample type {:?} is not a height",
                        std::mem::discriminant(&other)
                    )))
                }
            },
        };
    finish(
        data,
        sample,
        w,
        h,
        nodata,
        x0,
        y0,
        dx,
        dy,
        crs,
        pixel_is_point,
    )
}

/// Nodata to NaN, and the DEM assembled.
#[allow(clippy::too_many_arguments)]
fn finish(
    mut data: Vec<f32>,
    sample: SampleType,
    w: u32,
    h: u32,
    nodata: Option<f64>,
    x0: f64,
    y0: f64,
    dx: f64,
    dy: f64,
    crs: Crs,
    pixel_is_point: bool,
) -> Result<Dem, TerrainError> {
    let nd = nodata.map(|v| v as f32);
    for v in &mut data {
        if Some(*v) == nd || !v.is_finite() {
            *v = f32::NAN;
        }
    }
    Ok(Dem {
        width: w as usize,
        height: h as usize,
        data,
        nodata,
        sample,
        georef: Georef {
            x0,
            y0,
            dx,
            dy,
            crs,
            pixel_is_point,
        },
    })
}

/// Convert a decoded chunk to f32, with its sample type.
fn to_f32(r: DecodingResult) -> Option<(SampleType, Vec<f32>)> {
    Some(match r {
        DecodingResult::I16(v) => (SampleType::I16, v.into_iter().map(f32::from).collect()),
        DecodingResult::U16(v) => (SampleType::U16, v.into_iter().map(f32::from).collect()),
        DecodingResult::U8(v) => (SampleType::U8, v.into_iter().map(f32::from).collect()),
        DecodingResult::I32(v) => (SampleType::I32, v.into_iter().map(|x| x as f32).collect()),
        DecodingResult::U32(v) => (SampleType::U32, v.into_iter().map(|x| x as f32).collect()),
        DecodingResult::F32(v) => (SampleType::F32, v),
        DecodingResult::F64(v) => (SampleType::F64, v.into_iter().map(|x| x as f32).collect()),
        _ => return None,
    })
}

/// Decode the image's chunks in parallel, a row of chunks per task, each
/// worker with its own decoder on the file. `None` when the image has too
/// few chunks to gain from it (or an unusual layout): the caller decodes
/// it whole.
fn decode_parallel<R: std::io::Read + std::io::Seek>(
    path: &Path,
    dec: &mut Decoder<R>,
    w: usize,
    h: usize,
) -> Option<Result<(SampleType, Vec<f32>), String>> {
    use rayon::prelude::*;
    use tiff::decoder::ChunkType;
    let kind = dec.get_chunk_type();
    let count = match kind {
        ChunkType::Strip => dec.strip_count().ok()?,
        ChunkType::Tile => dec.tile_count().ok()?,
    } as usize;
    let (cw, ch) = dec.chunk_dimensions();
    let (cw, ch) = (cw as usize, ch as usize);
    if count < 8 || cw == 0 || ch == 0 {
        return None;
    }
    let across = w.div_ceil(cw);
    let down = h.div_ceil(ch);
    if across * down != count {
        return None; // planar or otherwise unusual: the whole-image path
    }
    let sample = to_f32(dec.read_chunk(0).ok()?)?.0;
    let open = || -> Option<Decoder<std::io::BufReader<std::fs::File>>> {
        let f = std::fs::File::open(path).ok()?;
        Decoder::new(std::io::BufReader::new(f))
            .ok()
            .map(|d| d.with_limits(limits()))
    };
    let mut data = vec![0f32; w * h];
    let r: Result<(), String> = data
        .par_chunks_mut(w * ch)
        .enumerate()
        .map_init(open, |d, (cr, band)| {
            let d = d.as_mut().ok_or("cannot reopen the file")?;
            for cc in 0..across {
                let k = (cr * across + cc) as u32;
                let chunk = d.read_chunk(k).map_err(|e| e.to_string())?;
                let (st, v) = to_f32(chunk).ok_or("unsupported sample type")?;
                if st != sample {
                    return Err("chunks of different sample types".to_string());
                }
                let (dw, dh) = d.chunk_data_dimensions(k);
                let (dw, dh) = (dw as usize, dh as usize);
                // Tiles may carry padding: the chunk's rows are `cw` wide
                // when the decoder returns the full tile.
                let stride = if v.len() >= cw * dh && kind == ChunkType::Tile {
                    v.len() / dh
                } else {
                    dw
                };
                for row in 0..dh.min(band.len() / w) {
                    let dst = row * w + cc * cw;
                    band[dst..dst + dw].copy_from_slice(&v[row * stride..row * stride + dw]);
                }
            }
            Ok(())
        })
        .collect();
    Some(r.map(|()| (sample, data)))
}

/// Write a DEM as a tiled (256 × 256), DEFLATE-compressed GeoTIFF in the
/// DEM's sample type, with its georeferencing and nodata. Written to a
/// temporary sibling and renamed, so a failed write leaves no partial file.
pub fn write(path: &Path, dem: &Dem) -> Result<(), TerrainError> {
    let value = |c: usize, r: usize| dem.get(c, r) as f64;
    let grid = Grid {
        width: dem.width,
        height: dem.height,
        georef: &dem.georef,
        nodata: dem.nodata,
        sample: dem.sample,
        value: &value,
    };
    write_grid(path, &grid)
}

/// A raster to write: its size, georeferencing, sample type and values
/// (NaN for nodata) — for results that are not heights (flow directions as
/// bytes, accumulations and basin labels as 32-bit integers).
pub struct Grid<'a> {
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Georeferencing.
    pub georef: &'a Georef,
    /// The nodata value written for NaN.
    pub nodata: Option<f64>,
    /// Sample type.
    pub sample: SampleType,
    /// The value at (col, row).
    pub value: &'a (dyn Fn(usize, usize) -> f64 + Sync),
}

/// Write a [`Grid`] as a tiled DEFLATE GeoTIFF (as [`write`]).
pub fn write_grid(path: &Path, grid: &Grid<'_>) -> Result<(), TerrainError> {
    let io = |e: std::io::Error| TerrainError::Io(path.to_path_buf(), e);
    let code = grid
        .georef
        .crs
        .epsg()
        .ok_or_else(|| TerrainError::Unsupported {
            path: path.to_path_buf(),
            message: format!(
                "CRS {} has no EPSG code to write as GeoKeys",
                grid.georef.crs.id()
            ),
        })?;
    let tmp = path.with_extension("tif.part");
    {
        let f = std::fs::File::create(&tmp).map_err(io)?;
        let mut out = BufWriter::new(f);
        write_to(&mut out, grid, code).map_err(io)?;
        out.flush().map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(io)
}

const TILE: usize = 256;

fn sample_bytes(t: SampleType) -> (u16, u16) {
    // (bits per sample, SampleFormat: 1 uint, 2 int, 3 float)
    match t {
        SampleType::U8 => (8, 1),
        SampleType::I16 => (16, 2),
        SampleType::U16 => (16, 1),
        SampleType::I32 => (32, 2),
        SampleType::U32 => (32, 1),
        SampleType::F32 => (32, 3),
        SampleType::F64 => (64, 3),
    }
}

fn encode(v: f64, nodata: Option<f64>, t: SampleType, out: &mut Vec<u8>) {
    let v = if v.is_nan() {
        nodata.unwrap_or(f64::NAN)
    } else {
        v
    };
    match t {
        SampleType::U8 => out.push(v.round().clamp(0.0, 255.0) as u8),
        SampleType::I16 => {
            out.extend_from_slice(&(v.round().clamp(-32768.0, 32767.0) as i16).to_le_bytes())
        }
        SampleType::U16 => {
            out.extend_from_slice(&(v.round().clamp(0.0, 65535.0) as u16).to_le_bytes())
        }
        SampleType::I32 => out.extend_from_slice(&(v.round() as i32).to_le_bytes()),
        SampleType::U32 => out.extend_from_slice(&(v.round().max(0.0) as u32).to_le_bytes()),
        SampleType::F32 => out.extend_from_slice(&(v as f32).to_le_bytes()),
        SampleType::F64 => out.extend_from_slice(&v.to_le_bytes()),
    }
}

fn write_to<W: Write + Seek>(out: &mut W, dem: &Grid<'_>, epsg: u32) -> std::io::Result<()> {
    use flate2::{write::ZlibEncoder, Compression};
    let (bits, format) = sample_bytes(dem.sample);
    let (tx, ty) = (dem.width.div_ceil(TILE), dem.height.div_ceil(TILE));
    // Header, little-endian classic TIFF; the IFD goes at the end.
    out.write_all(b"II*\0\0\0\0\0")?;
    let mut offsets = Vec::new();
    let mut counts = Vec::new();
    let mut pos = 8u64;
    // Tiles are compressed on all cores, a row of tiles at a time (so
    // memory stays at one row of compressed tiles), and written in order.
    for r in 0..ty {
        use rayon::prelude::*;
        let row: Vec<std::io::Result<Vec<u8>>> = (0..tx)
            .into_par_iter()
            .map(|c| {
                let mut raw = Vec::with_capacity(TILE * TILE * 8);
                for row in r * TILE..(r + 1) * TILE {
                    for col in c * TILE..(c + 1) * TILE {
                        let v = if row < dem.height && col < dem.width {
                            (dem.value)(col, row)
                        } else {
                            f64::NAN
                        };
                        encode(v, dem.nodata, dem.sample, &mut raw);
                    }
                }
                let mut z = ZlibEncoder::new(Vec::new(), Compression::new(6));
                z.write_all(&raw)?;
                z.finish()
            })
            .collect();
        for bytes in row {
            let bytes = bytes?;
            offsets.push(pos as u32);
            counts.push(bytes.len() as u32);
            out.write_all(&bytes)?;
            pos += bytes.len() as u64;
        }
    }
    // Out-of-line values.
    let mut extra: Vec<u8> = Vec::new();
    let g = dem.georef;
    let shift = if g.pixel_is_point { 0.5 } else { 0.0 };
    let tie = [0.0, 0.0, 0.0, g.x0 + shift * g.dx, g.y0 - shift * g.dy, 0.0];
    let scale = [g.dx, g.dy, 0.0];
    let geographic = g.crs.is_geographic();
    let keys: Vec<u16> = vec![
        1,
        1,
        0,
        3,
        GT_MODEL_TYPE,
        0,
        1,
        if geographic { 2 } else { 1 },
        GT_RASTER_TYPE,
        0,
        1,
        if g.pixel_is_point { 2 } else { 1 },
        if geographic {
            GEOGRAPHIC_TYPE
        } else {
            PROJECTED_CS_TYPE
        },
        0,
        1,
        epsg as u16,
    ];
    let nodata_text = dem.nodata.map(|v| format!("{v}\0"));
    // Entries: (tag, type, count, value-or-bytes)
    enum Val {
        Short(Vec<u16>),
        Long(Vec<u32>),
        Double(Vec<f64>),
        Ascii(Vec<u8>),
    }
    let mut entries: Vec<(u16, Val)> = vec![
        (256, Val::Long(vec![dem.width as u32])),
        (257, Val::Long(vec![dem.height as u32])),
        (258, Val::Short(vec![bits])),
        (259, Val::Short(vec![8])), // DEFLATE (Adobe)
        (262, Val::Short(vec![1])), // BlackIsZero
        (277, Val::Short(vec![1])),
        (284, Val::Short(vec![1])),
        (322, Val::Long(vec![TILE as u32])),
        (323, Val::Long(vec![TILE as u32])),
        (324, Val::Long(offsets)),
        (325, Val::Long(counts)),
        (339, Val::Short(vec![format])),
        (33550, Val::Double(scale.to_vec())),
        (33922, Val::Double(tie.to_vec())),
        (34735, Val::Short(keys)),
    ];
    if let Some(t) = nodata_text {
        entries.push((42113, Val::Ascii(t.into_bytes())));
    }
    let ifd_pos = pos + (pos % 2);
    if pos % 2 == 1 {
        out.write_all(&[0])?;
    }
    let n = entries.len() as u64;
    let extra_base = ifd_pos + 2 + n * 12 + 4;
    let mut ifd: Vec<u8> = Vec::new();
    ifd.extend_from_slice(&(n as u16).to_le_bytes());
    for (tag, val) in &entries {
        let (typ, count, bytes): (u16, u32, Vec<u8>) = match val {
            Val::Short(v) => (
                3,
                v.len() as u32,
                v.iter().flat_map(|x| x.to_le_bytes()).collect(),
            ),
            Val::Long(v) => (
                4,
                v.len() as u32,
                v.iter().flat_map(|x| x.to_le_bytes()).collect(),
            ),
            Val::Double(v) => (
                12,
                v.len() as u32,
                v.iter().flat_map(|x| x.to_le_bytes()).collect(),
            ),
            Val::Ascii(v) => (2, v.len() as u32, v.clone()),
        };
        ifd.extend_from_slice(&tag.to_le_bytes());
        ifd.extend_from_slice(&typ.to_le_bytes());
        ifd.extend_from_slice(&count.to_le_bytes());
        if bytes.len() <= 4 {
            let mut b = bytes.clone();
            b.resize(4, 0);
            ifd.extend_from_slice(&b);
        } else {
            if extra.len() % 2 == 1 {
                extra.push(0);
            }
            let at = extra_base + extra.len() as u64;
            ifd.extend_from_slice(&(at as u32).to_le_bytes());
            extra.extend_from_slice(&bytes);
        }
    }
    ifd.extend_from_slice(&0u32.to_le_bytes());
    out.write_all(&ifd)?;
    out.write_all(&extra)?;
    out.seek(std::io::SeekFrom::Start(4))?;
    out.write_all(&(ifd_pos as u32).to_le_bytes())?;
    Ok(())
}
