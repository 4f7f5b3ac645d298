//! `terminus geodesic inverse|direct`: geodesic problems on the ellipsoid,
//! line by line, in GeographicLib `GeodSolve`'s input and output format so
//! that results can be diffed against it.

use crate::failure::Failure;
use std::io::{Read, Write};
use std::path::PathBuf;
use terminus_geodesy::{Ellipsoid, Geodesic};

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

fn ellipsoid(text: &str) -> Result<Ellipsoid, Failure> {
    match text.to_ascii_lowercase().as_str() {
        "wgs84" | "wgs 84" | "7030" => Ok(Ellipsoid::WGS84),
        "grs80" | "grs 80" | "7019" => Ok(Ellipsoid::GRS80),
        "krassowsky" | "krasovsky" | "krassowsky1940" | "7024" => Ok(Ellipsoid::KRASSOWSKY_1940),
        other => {
            let (a, f) = other
                .split_once(',')
                .and_then(|(a, f)| {
                    Some((a.trim().parse::<f64>().ok()?, f.trim().parse::<f64>().ok()?))
                })
                .ok_or_else(|| {
                    Failure::usage(format!(
                        "--ellipsoid {text}: expected wgs84, grs80, krassowsky or A,INVF"
                    ))
                })?;
            if !(a > 1.0 && a.is_finite() && f > 1.0 && f.is_finite()) {
                return Err(Failure::usage(format!(
                    "--ellipsoid {text}: need a > 1 m and 1/f > 1 (an oblate ellipsoid)"
                )));
            }
            Ok(Ellipsoid::new("custom", a, f))
        }
    }
}

fn number(tok: &str, axis: terminus_formats::csv::dms::Axis) -> Result<f64, String> {
    match tok.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!("{tok:?} is not a finite number")),
        Err(_) => terminus_formats::csv::dms::parse_angle(tok, axis),
    }
}

fn latitude(tok: &str) -> Result<f64, String> {
    let v = number(tok, terminus_formats::csv::dms::Axis::Latitude)?;
    if v.abs() > 90.0 {
        return Err(format!("Latitude {v}d not in [-90d, 90d]"));
    }
    Ok(v)
}

struct Job<'a> {
    g: &'a Geodesic,
    inverse: bool,
    full: bool,
    p: usize,
}

impl Job<'_> {
    fn line(&self, text: &str, out: &mut String) -> bool {
        use std::fmt::Write as _;
        use terminus_formats::csv::dms::Axis;
        let t: Vec<&str> = text.split_whitespace().collect();
        if t.is_empty() {
            out.push('\n');
            return true;
        }
        let (pa, pl, ps) = (self.p + 5, self.p, self.p.saturating_sub(3));
        let r: Result<(), String> = (|| {
            if t.len() < 4 {
                return Err(format!("need 4 numbers, found {}", t.len()));
            }
            let lat1 = latitude(t[0])?;
            let lon1 = number(t[1], Axis::Longitude)?;
            if self.inverse {
                let lat2 = latitude(t[2])?;
                let lon2 = number(t[3], Axis::Longitude)?;
                let (s12, azi1, azi2, m12, _mm12, _mm21, s_12, a12): (
                    f64,
                    f64,
                    f64,
                    f64,
                    f64,
                    f64,
                    f64,
                    f64,
                ) = geographiclib_inverse(self.g, lat1, lon1, lat2, lon2);
                let _ = write!(out, "{azi1:.pa$} {azi2:.pa$} {s12:.pl$}");
                if self.full {
                    let _ = write!(out, " {a12:.pa$} {m12:.pl$} {s_12:.ps$}");
                }
            } else {
                let azi1 = number(t[2], Axis::Longitude)?;
                let s12 = number(t[3], Axis::Longitude).or_else(|_| {
                    t[3].parse::<f64>()
                        .map_err(|_| format!("{:?} is not a distance", t[3]))
                })?;
                let (lat2, lon2, azi2, m12, _mm12, _mm21, s_12, a12) =
                    geographiclib_direct(self.g, lat1, lon1, azi1, s12);
                let _ = write!(out, "{lat2:.pa$} {lon2:.pa$} {azi2:.pa$}");
                if self.full {
                    let _ = write!(out, " {a12:.pa$} {m12:.pl$} {s_12:.ps$}");
                }
            }
            Ok(())
        })();
        match r {
            Ok(()) => {
                out.push('\n');
                true
            }
            Err(m) => {
                let _ = writeln!(out, "ERROR: {m}");
                false
            }
        }
    }
}

fn geographiclib_inverse(
    g: &Geodesic,
    lat1: f64,
    lon1: f64,
    lat2: f64,
    lon2: f64,
) -> (f64, f64, f64, f64, f64, f64, f64, f64) {
    use terminus_geodesy::measure::InverseGeodesic;
    g.inverse(lat1, lon1, lat2, lon2)
}

fn geographiclib_direct(
    g: &Geodesic,
    lat1: f64,
    lon1: f64,
    azi1: f64,
    s12: f64,
) -> (f64, f64, f64, f64, f64, f64, f64, f64) {
    use terminus_geodesy::measure::DirectGeodesic;
    g.direct(lat1, lon1, azi1, s12)
}

/// Run `terminus geodesic …`.
pub fn run(args: Args) -> Result<u8, Failure> {
    let (a, inverse) = match args.command {
        GeodesicCommand::Inverse(a) => (a, true),
        GeodesicCommand::Direct(a) => (a, false),
    };
    if a.precision > 12 {
        return Err(Failure::usage(format!("-p {}: at most 12", a.precision)));
    }
    let e = ellipsoid(&a.ellipsoid)?;
    let g = e.geodesic();
    let mut text = String::new();
    match &a.file {
        Some(p) => {
            std::fs::File::open(p)
                .and_then(|mut f| f.read_to_string(&mut text))
                .map_err(|err| Failure::usage(format!("{}: {err}", p.display())))?;
        }
        None => {
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|err| Failure::usage(format!("reading input: {err}")))?;
        }
    }
    let lines: Vec<&str> = text.lines().collect();
    let job = Job {
        g: &g,
        inverse,
        full: a.full,
        p: a.precision,
    };
    // Lines are independent: solve them in chunks on every core, print in order.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(16);
    let chunk = lines.len().div_ceil(threads).max(1);
    let results: Vec<(String, bool)> = std::thread::scope(|s| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .map(|part| {
                let job = &job;
                s.spawn(move || {
                    let mut out = String::with_capacity(part.len() * 48);
                    let mut ok = true;
                    for l in part {
                        ok &= job.line(l, &mut out);
                    }
                    (out, ok)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| (String::new(), false)))
            .collect()
    });
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
