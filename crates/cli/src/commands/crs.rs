//! `terminus crs transform|ops|info`

use super::print_json;
use crate::failure::Failure;
use serde_json::json;
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::{datum, measure, AxisOrder, Crs, CrsKind, Ellipsoid};

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
northing X then easting Y; UTM: easting then northing); anything after them is
copied to the output. Output: the same for the target CRS. --xy reads and
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

fn parse_op(op: &Option<String>) -> Result<Option<u32>, Failure> {
    op.as_deref()
        .map(|s| {
            let code = s
                .trim()
                .trim_start_matches("EPSG:")
                .trim_start_matches("epsg:");
            code.parse::<u32>().map_err(|_| {
                Failure::usage(format!("--op {s}: expected EPSG:CODE, e.g. EPSG:15865"))
            })
        })
        .transpose()
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
    for c in [&src, &dst] {
        if c.definition().is_none() {
            return Err(Failure::usage(format!(
                "{}: not in the EPSG registry of Terminus",
                c.id()
            )));
        }
    }
    if a.precision > 12 {
        return Err(Failure::usage(format!(
            "-p {}: at most 12 (degrees then get 17 decimals, beyond double precision)",
            a.precision
        )));
    }
    let op = parse_op(&a.op)?;
    let input: Box<dyn BufRead> = match &a.file {
        Some(p) => Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            std::fs::File::open(p).map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?,
        )),
        None => Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            std::io::stdin().lock(),
        )),
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let (swap_in, swap_out) = (!a.xy && lat_first(&src), !a.xy && lat_first(&dst));
    let (dp_src, dp_dst) = (
        if src.is_geographic() {
            a.precision + 5
        } else {
            a.precision
        },
        if dst.is_geographic() {
            a.precision + 5
        } else {
            a.precision
        },
    );
    let _ = dp_src;
    let mut t: Option<CrsTransform> = None;
    let mut bad = 0usize;
    let mut outside = 0usize;
    let mut line = String::new();
    let mut reader = input;
    let mut n = 0usize;
    loop {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .map_err(|e| Failure::usage(format!("reading input: {e}")))?;
        if read == 0 {
            break;
        }
        n += 1;
        let text = line.trim_end_matches(['\n', '\r']);
        let mut it = text.split_whitespace();
        let (Some(s1), Some(s2)) = (it.next(), it.next()) else {
            let _ = writeln!(out, "{text}");
            continue;
        };
        let rest: Vec<&str> = it.collect();
        let (Ok(v1), Ok(v2)) = (s1.parse::<f64>(), s2.parse::<f64>()) else {
            eprintln!("terminus: line {n}: {s1:?} {s2:?} are not two numbers");
            bad += 1;
            let _ = writeln!(out, "* * {}", rest.join(" "));
            continue;
        };
        let (x, y) = if swap_in { (v2, v1) } else { (v1, v2) };
        if t.is_none() {
            // The datum transformation is chosen at the first point, and said.
            let probe = CrsTransform::new(&src, &src, None, None)
                .map_err(|e| Failure::usage(e.to_string()))?;
            let (lat, lon) = probe.source_geographic(x, y);
            let built = CrsTransform::new(&src, &dst, op, Some((lat, lon)))
                .map_err(|e| Failure::failed(e.to_string()))?;
            if let Some(o) = built.operation() {
                eprintln!(
                    "terminus: using EPSG:{} ({}, accuracy {} m, area {})",
                    o.code, o.name, o.accuracy_m, o.area.name
                );
            }
            t = Some(built);
        }
        let tr = t
            .as_ref()
            .ok_or_else(|| Failure::failed("no transformation"))?;
        if let Some(o) = tr.operation() {
            let (lat, lon) = tr.source_geographic(x, y);
            let d = o.area.distance_outside_m(lat, lon);
            if d > 0.0 {
                outside += 1;
                if outside <= 10 {
                    eprintln!(
                        "terminus: warning: line {n}: {lat:.6}, {lon:.6} lies {:.1} km outside the area of use of EPSG:{} ({})",
                        d / 1000.0,
                        o.code,
                        o.area.name
                    );
                }
            }
        }
        match tr.apply(x, y) {
            Ok((ox, oy)) => {
                let (o1, o2) = if swap_out { (oy, ox) } else { (ox, oy) };
                let _ = write!(out, "{o1:.dp_dst$} {o2:.dp_dst$}");
                for r in &rest {
                    let _ = write!(out, " {r}");
                }
                let _ = writeln!(out);
            }
            Err(e) => {
                eprintln!("terminus: line {n}: {e}");
                bad += 1;
                let _ = writeln!(out, "* * {}", rest.join(" "));
            }
        }
    }
    out.flush()
        .map_err(|e| Failure::failed(format!("writing output: {e}")))?;
    if outside > 10 {
        eprintln!("terminus: warning: {outside} points in all lie outside the transformation's area of use");
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
    let pair = (
        src.definition().map(|d| d.datum_code),
        dst.definition().map(|d| d.datum_code),
    );
    if !matches!(pair, (Some(6284), Some(6326)) | (Some(6326), Some(6284))) {
        return Err(Failure::usage(format!(
            "{} → {}: Terminus lists datum transformations between Pulkovo 1942 and WGS 84 (and their projections)",
            src.id(),
            dst.id()
        )));
    }
    let valid = datum::valid_at(lat, lon);
    let results: Vec<(&datum::Transformation, (f64, f64))> =
        valid.iter().map(|t| (*t, t.forward(lat, lon))).collect();
    let base = results.first().map(|r| r.1);
    let rows: Vec<serde_json::Value> = results
        .iter()
        .map(|(t, (la, lo))| {
            let d = base.map(|(bl, bo)| measure::path_length(&Ellipsoid::WGS84, [(bo, bl), (*lo, *la)])).unwrap_or(0.0);
            json!({
                "code": format!("EPSG:{}", t.code), "name": t.name, "method": format!("EPSG:{}", t.helmert.method.epsg()),
                "accuracy_m": t.accuracy_m, "area": t.area.name, "wgs84_lat": la, "wgs84_lon": lo, "metres_from_default": d,
            })
        })
        .collect();
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
