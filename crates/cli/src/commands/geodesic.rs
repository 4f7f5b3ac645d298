//! `terminus geodesic inverse|direct`: geodesic problems on the ellipsoid,
//! line by line, in GeographicLib `GeodSolve`'s input and output format so
//! that results can be diffed against it.

use crate::failure::Failure;
use std::io::Write;
use std::path::PathBuf;
use terminus_app::geodesic_lines::{ellipsoid, latitude, number, Job, Problem};

/// Arguments of `terminus geodesic`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: GeodesicCommand,
}

/// The `geodesic` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum GeodesicCommand {
    /// Inverse problem: `lat1 lon1 lat2 lon2` → `azi1 azi2 s12` (as `GeodSolve -i`).
    Inverse(SolveArgs),
    /// Direct problem: `lat1 lon1 azi1 s12` → `lat2 lon2 azi2` (as `GeodSolve`).
    Direct(SolveArgs),
    /// Geodesic polygon area and perimeter: `lat lon` vertex lines, polygons separated by blank lines → `n perimeter area` (as `Planimeter`).
    Area(SolveArgs),
    /// Densify segments: `lat1 lon1 lat2 lon2` → the points, one `lat lon` per line, a blank line after each segment.
    Densify(DensifyArgs),
    /// Intersection of two geodesic segments: `lat1 lon1 lat2 lon2 lat3 lon3 lat4 lon4` → `lat lon along1 along2 within`.
    Intersect(SolveArgs),
    /// Nearest point of a segment to a point: `lat lon lat1 lon1 lat2 lon2` → `lat lon distance along side`.
    Nearest(SolveArgs),
}

/// Arguments of `terminus geodesic densify`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Either --spacing (equal steps of at most that many metres) or --tolerance
(the straight chord in longitude/latitude between consecutive points departs
from the geodesic by at most that many metres).

Example:
  echo '40.1 45.5 41.2 46.7' | terminus geodesic densify --spacing 10000"
)]
pub struct DensifyArgs {
    /// Maximum spacing, metres.
    #[arg(long, conflicts_with = "tolerance")]
    pub spacing: Option<f64>,
    /// Maximum departure of the chord from the geodesic, metres.
    #[arg(long)]
    pub tolerance: Option<f64>,
    #[command(flatten)]
    pub solve: SolveArgs,
}

/// Common arguments of the geodesic solvers.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Method: Karney (2013), \"Algorithms for geodesics\", J. Geodesy 87, 43–55 —
errors below 15 nm on WGS 84 (GeographicLib's GeodTest set).

Input: one problem per line, whitespace-separated decimal degrees and metres
(DMS such as 40d38'46.123\"N is accepted too). Output as GeodSolve prints it:
angles with DIGITS + 5 decimals, lengths with DIGITS; --full appends
a12 (degrees) m12 (reduced length, m) S12 (area under the geodesic, m²).
A bad line prints `ERROR: …` in its place and the exit code is 1.

Examples:
  echo '40.1 45.5 41.2 46.7' | terminus geodesic inverse
  terminus geodesic direct --ellipsoid krassowsky -p 6 problems.txt
  terminus geodesic inverse --full < GeodTest.dat"
)]
pub struct SolveArgs {
    /// wgs84, grs80, krassowsky, or A,INVF (semi-major axis in metres, inverse flattening).
    #[arg(long, default_value = "wgs84")]
    pub ellipsoid: String,
    /// Append a12 m12 S12.
    #[arg(long)]
    pub full: bool,
    /// Decimals: lengths get DIGITS, angles DIGITS + 5 (as GeodSolve -p).
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

/// `terminus geodesic area`: Planimeter's input and output.
fn area(a: SolveArgs) -> Result<u8, Failure> {
    let e = ellipsoid(&a.ellipsoid)?;
    let g = e.geodesic();
    let text = super::read_input(&a.file)?;
    let mut ok = true;
    let mut ring: Vec<terminus_geodesy::LatLon> = Vec::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let pl = a.precision;
    let flush = |ring: &mut Vec<terminus_geodesy::LatLon>, out: &mut dyn Write| {
        if ring.is_empty() {
            return;
        }
        // Counter-clockwise positive; a clockwise ring reports its area as
        // positive too (Planimeter's default), the orientation goes to the sign of -r.
        let perimeter = terminus_geodesy::measure::path_length_with(
            &g,
            ring.iter().chain(ring.first()).copied(),
        );
        let area = terminus_geodesy::measure::ring_area_with(&g, ring.iter().copied());
        // As Planimeter prints them: perimeter DIGITS + 3 decimals, area DIGITS − 2.
        let _ = writeln!(
            out,
            "{} {perimeter:.pp$} {:.pa$}",
            ring.len(),
            area.abs(),
            pp = pl + 3,
            pa = pl.saturating_sub(2)
        );
        ring.clear();
    };
    for (n, line) in text.lines().enumerate() {
        let t: Vec<&str> = line.split_whitespace().collect();
        if t.is_empty() {
            flush(&mut ring, &mut out);
            continue;
        }
        match (
            t.first().map(|s| latitude(s)),
            t.get(1)
                .map(|s| number(s, terminus_geodesy::angle::Axis::Longitude)),
        ) {
            (Some(Ok(lat)), Some(Ok(lon))) => ring.push(terminus_geodesy::LatLon::new(lat, lon)),
            (Some(Err(m)), _) | (_, Some(Err(m))) => {
                eprintln!("terminus: line {}: {m}", n + 1);
                ok = false;
            }
            _ => {
                eprintln!("terminus: line {}: need lat lon", n + 1);
                ok = false;
            }
        }
    }
    flush(&mut ring, &mut out);
    Ok(if ok { 0 } else { 1 })
}

/// Run `terminus geodesic …`.
pub fn run(args: Args) -> Result<u8, Failure> {
    let (a, problem, spacing, tolerance) = match args.command {
        GeodesicCommand::Inverse(a) => (a, Problem::Inverse, None, None),
        GeodesicCommand::Direct(a) => (a, Problem::Direct, None, None),
        GeodesicCommand::Intersect(a) => (a, Problem::Intersect, None, None),
        GeodesicCommand::Nearest(a) => (a, Problem::Nearest, None, None),
        GeodesicCommand::Densify(d) => {
            if d.spacing.is_none() && d.tolerance.is_none() {
                return Err(Failure::usage(
                    "densify: give --spacing METRES or --tolerance METRES",
                ));
            }
            for v in [d.spacing, d.tolerance].into_iter().flatten() {
                if !(v.is_finite() && v > 0.0) {
                    return Err(Failure::usage(format!(
                        "densify: {v} is not a positive number of metres"
                    )));
                }
            }
            (d.solve, Problem::Densify, d.spacing, d.tolerance)
        }
        GeodesicCommand::Area(a) => return area(a),
    };
    if a.precision > 12 {
        return Err(Failure::usage(format!("-p {}: at most 12", a.precision)));
    }
    let e = ellipsoid(&a.ellipsoid)?;
    let g = e.geodesic();
    let text = super::read_input(&a.file)?;
    let lines: Vec<&str> = text.lines().collect();
    let gn = terminus_geodesy::geodesic::Gnomonic::new(e);
    let job = Job {
        g: &g,
        gn: &gn,
        problem,
        full: a.full,
        p: a.precision,
        spacing,
        tolerance,
    };
    // Lines are independent: solve them in chunks on every core, print in order.
    let results: Vec<(String, bool)> = terminus_app::chunks::in_order(
        &lines,
        |part, _| {
            let mut out = String::with_capacity(part.len() * 48);
            let mut ok = true;
            for l in part {
                ok &= job.line(l, &mut out);
            }
            (out, ok)
        },
        || (String::new(), false),
    );
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut all_ok = true;
    for (s, ok) in &results {
        out.write_all(s.as_bytes())
            .map_err(|err| Failure::failed(format!("writing output: {err}")))?;
        all_ok &= ok;
    }
    Ok(if all_ok { 0 } else { 1 })
}
