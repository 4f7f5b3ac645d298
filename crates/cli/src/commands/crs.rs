//! `terminus crs transform|ops|info`

use super::{parse_op, print_json, read_input};
use crate::failure::Failure;
use serde_json::json;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use terminus_app::coordinate_lines::{Chunk, LineJob};
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::{AxisOrder, Crs, CrsKind};

/// Arguments of `terminus crs`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: CrsCommand,
}

/// The `crs` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum CrsCommand {
    /// Transform coordinate lines between CRSs, as cs2cs does (EPSG axis order).
    Transform(TransformArgs),
    /// List the Pulkovo 1942 → WGS 84 transformations valid at a point, and how far apart their results lie.
    Ops(OpsArgs),
    /// Describe a CRS: kind, datum, ellipsoid, axis order, projection parameters, WKT.
    Info(InfoArgs),
}

/// Arguments of `terminus crs transform`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Input: one point per line, two numbers in the source CRS's EPSG axis order
(EPSG:4326 and EPSG:4284: latitude then longitude; Gauss–Krüger EPSG:284xx:
northing X then easting Y; UTM: easting then northing; a PROJ string such as
\"+proj=tmerc … +ellps=krass +towgs84=…\": longitude/easting first, as PROJ
strings are); anything after them is copied to the output. Output: the same for the target CRS. --xy reads and
writes longitude/easting first instead.

Between Pulkovo 1942 and WGS 84 the datum transformation is always named: with
--op, or else EPSG's most accurate one valid at the first point, reported on
standard error. Points outside the transformation's area of use are warned
about, with the distance outside.

Examples:
  echo '40.1 45.5' | terminus crs transform --from EPSG:4284 --to EPSG:4326
  echo '4440830.949 8542635.386' | terminus crs transform --from EPSG:28408 --to EPSG:4326 --op EPSG:1808
  terminus crs transform --from EPSG:4326 --to EPSG:32638 -p 3 points.txt"
)]
pub struct TransformArgs {
    /// Source CRS, e.g. EPSG:4284, EPSG:28408.
    #[arg(long)]
    pub from: String,
    /// Target CRS, e.g. EPSG:4326, EPSG:32638.
    #[arg(long)]
    pub to: String,
    /// The datum transformation, e.g. EPSG:15865 or EPSG:1808.
    #[arg(long, value_name = "EPSG:CODE")]
    pub op: Option<String>,
    /// Longitude/easting first in input and output.
    #[arg(long)]
    pub xy: bool,
    /// Decimals: metres get DIGITS, degrees DIGITS + 5 (as GeodSolve -p).
    #[arg(
        short = 'p',
        long = "precision",
        default_value_t = 3,
        value_name = "DIGITS"
    )]
    pub precision: usize,
    /// Input file (default: standard input).
    pub file: Option<PathBuf>,
}

/// Arguments of `terminus crs ops`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:
  terminus crs ops EPSG:4284 EPSG:4326 --at 40.1,45.5
lists EPSG:15865 (4.5 m), EPSG:1808 (5 m) … with each one's result at that
point and its distance from the default (the first, most accurate).")]
pub struct OpsArgs {
    /// Source CRS.
    pub src: String,
    /// Target CRS.
    pub dst: String,
    /// The point, latitude,longitude in degrees (Pulkovo 1942).
    #[arg(long, value_name = "LAT,LON")]
    pub at: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `terminus crs info`.
#[derive(clap::Args, Debug)]
pub struct InfoArgs {
    /// The CRS, e.g. EPSG:28408.
    pub crs: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_crs(text: &str, what: &str) -> Result<Crs, Failure> {
    Crs::parse(text).map_err(|e| Failure::usage(format!("{what}: {e}")))
}

fn lat_first(c: &Crs) -> bool {
    matches!(
        c.definition().map(|d| d.axis_order),
        Some(AxisOrder::LatLon) | Some(AxisOrder::NorthEast)
    )
}

/// Run `terminus crs …`.
pub fn run(args: Args) -> Result<u8, Failure> {
    match args.command {
        CrsCommand::Transform(a) => transform(a),
        CrsCommand::Ops(a) => ops(a),
        CrsCommand::Info(a) => info(a),
    }
}

fn transform(a: TransformArgs) -> Result<u8, Failure> {
    let src = parse_crs(&a.from, "--from")?;
    let dst = parse_crs(&a.to, "--to")?;
    if a.precision > 12 {
        return Err(Failure::usage(format!(
            "-p {}: at most 12 (degrees then get 17 decimals, beyond double precision)",
            a.precision
        )));
    }
    let op = parse_op(&a.op)?;
    let text = read_input(&a.file)?;
    let lines: Vec<&str> = text.lines().collect();
    let (swap_in, swap_out) = (!a.xy && lat_first(&src), !a.xy && lat_first(&dst));
    let decimals = if dst.is_geographic() {
        a.precision + 5
    } else {
        a.precision
    };
    // The datum transformation is chosen at the first point, and said.
    let identity =
        CrsTransform::new(&src, &src, None, None).map_err(|e| Failure::usage(e.to_string()))?;
    let probe = LineJob {
        t: &identity,
        swap_in,
        swap_out,
        decimals,
    };
    let first = lines
        .iter()
        .find_map(|l| probe.parse(l).and_then(Result::ok));
    let at = first.map(|(x, y)| identity.source_geographic(x, y));
    let t = CrsTransform::new(&src, &dst, op, at).map_err(|e| Failure::failed(e.to_string()))?;
    if let Some(o) = t.operation() {
        eprintln!(
            "terminus: using EPSG:{} ({}, accuracy {} m, area {})",
            o.code, o.name, o.accuracy_m, o.area.name
        );
    }
    let job = LineJob {
        t: &t,
        swap_in,
        swap_out,
        decimals,
    };
    // Lines are independent: transform them in chunks on every core, print in order.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(16);
    let size = lines.len().div_ceil(threads).max(1);
    let chunks: Vec<Chunk> = std::thread::scope(|s| {
        let handles: Vec<_> = lines
            .chunks(size)
            .enumerate()
            .map(|(i, part)| {
                let job = &job;
                s.spawn(move || job.run(part, i * size + 1))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let (mut bad, mut outside, mut shown) = (0usize, 0usize, 0usize);
    for c in &chunks {
        out.write_all(c.out.as_bytes())
            .map_err(|e| Failure::failed(format!("writing output: {e}")))?;
        bad += c.bad;
        outside += c.outside;
        for m in &c.messages {
            if shown < 20 {
                eprintln!("terminus: {m}");
            }
            shown += 1;
        }
    }
    out.flush()
        .map_err(|e| Failure::failed(format!("writing output: {e}")))?;
    if shown > 20 {
        eprintln!("terminus: … {} more messages; {bad} bad line(s), {outside} point(s) outside the area of use", shown - 20);
    }
    Ok(if bad > 0 { 1 } else { 0 })
}

fn ops(a: OpsArgs) -> Result<u8, Failure> {
    let src = parse_crs(&a.src, "SRC")?;
    let dst = parse_crs(&a.dst, "DST")?;
    let (lat, lon) =
        a.at.split_once(',')
            .and_then(|(p, q)| Some((p.trim().parse::<f64>().ok()?, q.trim().parse::<f64>().ok()?)))
            .ok_or_else(|| {
                Failure::usage(format!(
                    "--at {}: expected LAT,LON in degrees, e.g. 40.1,45.5",
                    a.at
                ))
            })?;
    if lat.abs() > 90.0 || lon.abs() > 360.0 {
        return Err(Failure::usage(format!(
            "--at {lat},{lon}: latitude must be within ±90° (swapped?)"
        )));
    }
    let rows = terminus_app::coordinate_lines::operations_at(&src, &dst, lat, lon)?;
    if a.json {
        print_json(&json!({"at": [lat, lon], "operations": rows}));
    } else {
        println!(
            "Pulkovo 1942 → WGS 84 transformations valid at {lat}°N {lon}°E, most accurate first:"
        );
        for r in &rows {
            println!(
                "  {:<11} {:>6} m  {:<28} → {:.8} {:.8}   {:>7.2} m from the default   ({})",
                r["code"].as_str().unwrap_or(""),
                r["accuracy_m"],
                r["name"].as_str().unwrap_or(""),
                r["wgs84_lat"].as_f64().unwrap_or(f64::NAN),
                r["wgs84_lon"].as_f64().unwrap_or(f64::NAN),
                r["metres_from_default"].as_f64().unwrap_or(f64::NAN),
                r["area"].as_str().unwrap_or("")
            );
        }
        if rows.is_empty() {
            println!("  none: the point is outside every transformation's area of use");
        }
    }
    Ok(0)
}

fn info(a: InfoArgs) -> Result<u8, Failure> {
    let crs = parse_crs(&a.crs, "CRS")?;
    let def = crs.definition();
    let v = json!({
        "id": crs.id(),
        "name": crs.name(),
        "kind": def.as_ref().map(|d| match d.kind { CrsKind::Geographic => "geographic", CrsKind::TransverseMercator { .. } => "transverse_mercator", CrsKind::WebMercator => "web_mercator" }),
        "datum": def.as_ref().map(|d| d.datum),
        "ellipsoid": def.as_ref().map(|d| json!({"name": d.ellipsoid.name, "a": d.ellipsoid.a, "inv_f": d.ellipsoid.inv_f})),
        "axis_order": def.as_ref().map(|d| format!("{:?}", d.axis_order)),
        "projection": def.as_ref().and_then(|d| match d.kind {
            CrsKind::TransverseMercator { lat0, lon0, k0, false_easting, false_northing } => Some(json!({"lat0": lat0, "lon0": lon0, "k0": k0, "false_easting": false_easting, "false_northing": false_northing})),
            _ => None,
        }),
        "wkt": crs.to_wkt(),
    });
    if a.json {
        print_json(&v);
    } else {
        println!("{} — {}", crs.id(), crs.name());
        for k in ["kind", "datum", "axis_order"] {
            if let Some(s) = v[k].as_str() {
                println!("  {k:<11} {s}");
            }
        }
        if !v["ellipsoid"].is_null() {
            println!(
                "  ellipsoid   {} (a = {} m, 1/f = {})",
                v["ellipsoid"]["name"].as_str().unwrap_or(""),
                v["ellipsoid"]["a"],
                v["ellipsoid"]["inv_f"]
            );
        }
        if !v["projection"].is_null() {
            println!("  projection  {}", v["projection"]);
        }
        println!("  WKT         {}", v["wkt"].as_str().unwrap_or(""));
    }
    Ok(0)
}
