//! `terminus terrain`: DEMs — describe, clip to a corridor, mosaic, fill.

use super::print_json;
use crate::failure::Failure;
use crate::progress;
use serde_json::json;
use std::path::{Path, PathBuf};
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::Crs;
use terminus_terrain::{Dem, NodataAs, SampleType};

/// Arguments of `terminus terrain`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Describe a DEM: size, CRS, cell size (in metres on the ellipsoid for geographic DEMs), extent, heights, voids.
    Info(InfoArgs),
    /// Keep the corridor of a given half-width around a line (or a box); cells outside become nodata.
    Clip(ClipArgs),
    /// Join tiles on the same grid (e.g. SRTM .hgt tiles) into one DEM.
    Mosaic(MosaicArgs),
    /// Fill depressions by Priority-Flood (Barnes et al. 2014): plain (pits level with their spill point) or --epsilon (every cell drains).
    Fill(FillArgs),
}

#[derive(clap::Args, Debug)]
struct InfoArgs {
    /// The DEM (.tif, .hgt, .asc).
    dem: PathBuf,
    /// CRS of a DEM that does not state one (an .asc without .prj).
    #[arg(long)]
    crs: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  terminus terrain clip gebco.tif corridor.tif --along border.geojson --distance 10km
  terminus terrain clip gebco.tif box.tif --box 72,39.2,74,39.8    (west,south,east,north in the DEM's CRS)")]
struct ClipArgs {
    /// The DEM.
    dem: PathBuf,
    /// Output DEM (.tif or .asc).
    out: PathBuf,
    /// The line whose corridor to keep (any vector format; transformed to WGS 84 as needed).
    #[arg(long, requires = "distance")]
    along: Option<PathBuf>,
    /// Half-width of the corridor: 10km, 500m.
    #[arg(long, value_parser = super::compare::parse_distance)]
    distance: Option<f64>,
    /// A box instead: west,south,east,north in the DEM's CRS.
    #[arg(
        long,
        value_delimiter = ',',
        allow_hyphen_values = true,
        conflicts_with = "along"
    )]
    r#box: Vec<f64>,
    /// CRS of a DEM that does not state one.
    #[arg(long)]
    crs: Option<String>,
    /// Replace an existing output.
    #[arg(long)]
    overwrite: bool,
}

#[derive(clap::Args, Debug)]
struct MosaicArgs {
    /// Output DEM (.tif or .asc).
    out: PathBuf,
    /// The tiles.
    #[arg(required = true, num_args = 1..)]
    tiles: Vec<PathBuf>,
    /// Replace an existing output.
    #[arg(long)]
    overwrite: bool,
}

#[derive(clap::Args, Debug)]
struct FillArgs {
    /// The DEM.
    dem: PathBuf,
    /// Output DEM (.tif or .asc), in the input's sample type (Float32 with --epsilon on an integer DEM).
    out: PathBuf,
    /// Raise filled cells by the smallest float step so every cell drains (Barnes et al. 2014, Algorithm 3).
    #[arg(long)]
    epsilon: bool,
    /// What voids (nodata) are: outlets (water leaves through them, as RichDEM) or barriers.
    #[arg(long, value_enum, default_value = "outlet")]
    voids: Voids,
    /// CRS of a DEM that does not state one.
    #[arg(long)]
    crs: Option<String>,
    /// Replace an existing output.
    #[arg(long)]
    overwrite: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Voids {
    Outlet,
    Barrier,
}

fn crs_arg(s: &Option<String>) -> Result<Option<Crs>, Failure> {
    s.as_deref()
        .map(|t| Crs::parse(t).map_err(|e| Failure::usage(format!("--crs: {e}"))))
        .transpose()
}

fn load(path: &Path, crs: &Option<String>) -> Result<Dem, Failure> {
    let crs = crs_arg(crs)?;
    let spin = progress::spinner(&format!("reading {}", path.display()), true);
    let r = terminus_terrain::read(path, crs.as_ref());
    spin.finish_and_clear();
    r.map_err(|e| Failure::usage(e.to_string()))
}

fn save(path: &Path, dem: &Dem, overwrite: bool) -> Result<(), Failure> {
    if path.exists() && !overwrite {
        return Err(Failure::usage(format!("{} exists", path.display()))
            .hint("add --overwrite to replace it"));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let spin = progress::spinner(&format!("writing {}", path.display()), true);
    let r = match ext.as_str() {
        "tif" | "tiff" => terminus_terrain::geotiff::write(path, dem),
        "asc" => terminus_terrain::ascii::write(path, dem),
        _ => {
            return Err(Failure::usage(format!(
                "{}: write DEMs as .tif (GeoTIFF) or .asc (ESRI ASCII grid)",
                path.display()
            )))
        }
    };
    spin.finish_and_clear();
    r.map_err(|e| Failure::failed(e.to_string()))
}

/// Run `terminus terrain`.
pub fn run(args: Args) -> Result<u8, Failure> {
    match args.command {
        Command::Info(a) => info(a),
        Command::Clip(a) => clip(a),
        Command::Mosaic(a) => mosaic(a),
        Command::Fill(a) => fill(a),
    }
}

fn info(a: InfoArgs) -> Result<u8, Failure> {
    let d = load(&a.dem, &a.crs)?;
    let g = &d.georef;
    let valid = d.valid_cells();
    let (lo, hi) = d
        .range()
        .map_err(|e| Failure::failed(format!("{}: {e}", a.dem.display())))?;
    let mid = d.height / 2;
    let (cw, ch, _) = d.cell_size_m(mid);
    let area: f64 = (0..d.height)
        .map(|r| {
            let n = (0..d.width).filter(|&c| !d.get(c, r).is_nan()).count();
            n as f64 * d.cell_size_m(r).2
        })
        .sum();
    let v = json!({
        "file": a.dem.display().to_string(),
        "width": d.width, "height": d.height, "cells": d.width * d.height,
        "sample_type": format!("{:?}", d.sample), "nodata": d.nodata,
        "crs": g.crs.id(), "pixel_is_point": g.pixel_is_point,
        "cell_size": [g.dx, g.dy], "cell_size_m_at_centre": [cw, ch],
        "extent": {"west": g.x0, "north": g.y0, "east": g.x0 + d.width as f64 * g.dx, "south": g.y0 - d.height as f64 * g.dy},
        "valid_cells": valid, "voids": d.width * d.height - valid,
        "min": lo, "max": hi, "area_m2": area,
    });
    if a.json {
        print_json(&v);
    } else {
        println!("{}", a.dem.display());
        println!(
            "  size        {} × {} cells ({} valid, {} voids), {:?}",
            d.width,
            d.height,
            valid,
            d.width * d.height - valid,
            d.sample
        );
        println!(
            "  CRS         {}{}",
            g.crs.id(),
            if g.pixel_is_point {
                " (samples on grid points)"
            } else {
                ""
            }
        );
        println!(
            "  cell        {} × {} ({:.1} m × {:.1} m at the centre row, on the ellipsoid)",
            g.dx, g.dy, cw, ch
        );
        println!(
            "  extent      west {} north {} east {} south {}",
            g.x0,
            g.y0,
            g.x0 + d.width as f64 * g.dx,
            g.y0 - d.height as f64 * g.dy
        );
        println!("  heights     {lo} – {hi} m");
        println!("  area        {:.3} km² of valid cells", area / 1e6);
    }
    Ok(0)
}

fn clip(a: ClipArgs) -> Result<u8, Failure> {
    let d = load(&a.dem, &a.crs)?;
    let out = if let (Some(line), Some(dist)) = (&a.along, a.distance) {
        let ds = super::InputArgs::default().read(line)?;
        let pieces = super::compare::line_pieces(line, &to_wgs84_dataset(line, ds)?)?;
        let crs = d.georef.crs.clone();
        let t = CrsTransform::new(&crs, &Crs::WGS84, None, Some(dem_center(&d)))
            .map_err(|e| Failure::usage(format!("{}: {e}", a.dem.display())))?;
        let back = CrsTransform::new(&Crs::WGS84, &crs, None, Some(dem_center(&d)))
            .map_err(|e| Failure::usage(format!("{}: {e}", a.dem.display())))?;
        let to = |x: f64, y: f64| t.apply(x, y).ok().map(|(lon, lat)| (lat, lon));
        let from = |lat: f64, lon: f64| back.apply(lon, lat).ok();
        let spin = progress::spinner("clipping to the corridor", true);
        let r = terminus_terrain::window::corridor(&d, &pieces, dist, &to, &from);
        spin.finish_and_clear();
        let (c, kept) = r.map_err(|e| Failure::failed(e.to_string()))?;
        println!(
            "{} × {} cells, {kept} within {dist} m of the line",
            c.width, c.height
        );
        c
    } else if !a.r#box.is_empty() {
        let b = &a.r#box;
        if b.len() != 4 || !(b[0] < b[2] && b[1] < b[3]) {
            return Err(Failure::usage(format!(
                "--box takes west,south,east,north with west < east and south < north (got {b:?})"
            )));
        }
        terminus_terrain::window::clip_box(&d, b[0], b[1], b[2], b[3])
            .map_err(|e| Failure::failed(e.to_string()))?
    } else {
        return Err(Failure::usage(
            "give --along LINE --distance D, or --box west,south,east,north",
        ));
    };
    save(&a.out, &out, a.overwrite)?;
    Ok(0)
}

/// The DEM's centre as (lat, lon) where its CRS is geographic, for choosing a datum transformation.
fn dem_center(d: &Dem) -> (f64, f64) {
    let (x, y) = d.georef.center(d.width / 2, d.height / 2);
    CrsTransform::new(&d.georef.crs, &d.georef.crs, None, None)
        .map(|t| t.source_geographic(x, y))
        .unwrap_or((y, x))
}

fn to_wgs84_dataset(
    path: &Path,
    mut ds: terminus_vector::Dataset,
) -> Result<terminus_vector::Dataset, Failure> {
    for layer in &mut ds.layers {
        if layer.crs == Crs::WGS84 {
            continue;
        }
        let t = CrsTransform::new(&layer.crs, &Crs::WGS84, None, None)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        for f in &mut layer.features {
            if let Some(g) = f.geometry.as_mut() {
                g.map_coords(&mut |c| {
                    if let Ok((x, y)) = t.apply(c.x, c.y) {
                        c.x = x;
                        c.y = y;
                    }
                });
            }
        }
        layer.crs = Crs::WGS84;
    }
    Ok(ds)
}

fn mosaic(a: MosaicArgs) -> Result<u8, Failure> {
    let tiles = a
        .tiles
        .iter()
        .map(|p| load(p, &None))
        .collect::<Result<Vec<_>, _>>()?;
    let m = terminus_terrain::window::mosaic(&tiles).map_err(|e| Failure::failed(e.to_string()))?;
    println!("{} tiles → {} × {} cells", tiles.len(), m.width, m.height);
    save(&a.out, &m, a.overwrite)?;
    Ok(0)
}

fn fill(a: FillArgs) -> Result<u8, Failure> {
    if a.out.exists() && !a.overwrite {
        return Err(Failure::usage(format!("{} exists", a.out.display()))
            .hint("add --overwrite to replace it"));
    }
    let mut d = load(&a.dem, &a.crs)?;
    d.range()
        .map_err(|e| Failure::failed(format!("{}: {e}", a.dem.display())))?;
    let voids = match a.voids {
        Voids::Outlet => NodataAs::Outlet,
        Voids::Barrier => NodataAs::Barrier,
    };
    let spin = progress::spinner(
        "filling depressions (Priority-Flood)",
        d.width * d.height > 4_000_000,
    );
    let raised = terminus_terrain::fill(&mut d, voids, a.epsilon);
    spin.finish_and_clear();
    if a.epsilon && d.sample.is_integer() {
        // The ε steps would round away in integers.
        d.sample = SampleType::F32;
        println!("note: --epsilon on an integer DEM: writing Float32 so the steps survive");
    }
    println!("{raised} cells raised");
    save(&a.out, &d, a.overwrite)?;
    Ok(0)
}
