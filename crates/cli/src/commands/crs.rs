//! `terminus crs transform|ops|info`

use super::{parse_op, print_json, read_input};
use crate::failure::Failure;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use terminus_app::coordinate_lines::{
    describe_crs, operations_at, transform_lines, OperationsSummary, TransformLinesRequest,
};
use terminus_geodesy::{Crs, LatLon};

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

/// Run `terminus crs …`.
pub fn run(args: Args) -> Result<u8, Failure> {
    match args.command {
        CrsCommand::Transform(a) => transform(a),
        CrsCommand::Ops(a) => ops(a),
        CrsCommand::Info(a) => info(a),
    }
}

fn transform(a: TransformArgs) -> Result<u8, Failure> {
    let req = TransformLinesRequest {
        from: parse_crs(&a.from, "--from")?,
        to: parse_crs(&a.to, "--to")?,
        op: parse_op(&a.op)?,
        xy: a.xy,
        precision: a.precision,
    };
    let text = read_input(&a.file)?;
    let done = transform_lines(&req, &text)?;
    if let Some(o) = done.operation {
        eprintln!(
            "terminus: using EPSG:{} ({}, accuracy {} m, area {})",
            o.code, o.name, o.accuracy_m, o.area.name
        );
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut shown = 0usize;
    for c in &done.chunks {
        out.write_all(c.out.as_bytes())
            .map_err(|e| Failure::failed(format!("writing output: {e}")))?;
        for m in &c.messages {
            if shown < 20 {
                eprintln!("terminus: {m}");
            }
            shown += 1;
        }
    }
    out.flush()
        .map_err(|e| Failure::failed(format!("writing output: {e}")))?;
    let (bad, outside) = (done.bad(), done.outside());
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
    let rows = operations_at(&src, &dst, LatLon::new(lat, lon))?;
    if a.json {
        print_json(&OperationsSummary {
            at: [lat, lon],
            operations: rows,
        });
    } else {
        println!(
            "Pulkovo 1942 → WGS 84 transformations valid at {lat}°N {lon}°E, most accurate first:"
        );
        for r in &rows {
            println!(
                "  {:<11} {:>6} m  {:<28} → {:.8} {:.8}   {:>7.2} m from the default   ({})",
                r.code,
                r.accuracy_m,
                r.name,
                r.wgs84_lat,
                r.wgs84_lon,
                r.metres_from_default,
                r.area
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
    let v = describe_crs(&crs);
    if a.json {
        print_json(&v);
    } else {
        println!("{} — {}", v.id, v.name);
        for (k, s) in [
            ("kind", v.kind),
            ("datum", v.datum),
            ("axis_order", v.axis_order.as_deref()),
        ] {
            if let Some(s) = s {
                println!("  {k:<11} {s}");
            }
        }
        if let Some(e) = &v.ellipsoid {
            println!(
                "  ellipsoid   {} (a = {} m, 1/f = {})",
                e.name, e.a, e.inv_f
            );
        }
        if let Some(p) = &v.projection {
            println!(
                "  projection  transverse Mercator: lat0 {}°, lon0 {}°, k0 {}, false easting {} m, false northing {} m",
                p.lat0, p.lon0, p.k0, p.false_easting, p.false_northing
            );
        }
        println!("  WKT         {}", v.wkt);
    }
    Ok(0)
}
