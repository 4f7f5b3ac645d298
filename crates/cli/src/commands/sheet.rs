//! `terminus sheet` and `terminus sheets`: Soviet map sheet nomenclature.

use super::{parse_op, print_json, InputArgs};
use crate::failure::Failure;
use std::path::PathBuf;
use terminus_app::sheets::{self, scale, SheetQuery};
use terminus_geodesy::{datum, LatLon};

/// Arguments of `terminus sheet`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  terminus sheet K-38-128                      bounds (Pulkovo 1942) and the WGS 84 outline
  terminus sheet K-38-128-А --json
  terminus sheet --at 40.6461,45.5156 --scale 100000           → K-38-128
  terminus sheet --at 40.6461,45.5156 --scale 50000 --wgs84    (position in WGS 84)

Sheet bounds are Pulkovo 1942 (SK-42) degrees, as printed on the maps; the
WGS 84 outline goes through a named datum transformation (--op, else EPSG's
most accurate at the sheet's centre), which is reported.")]
pub struct SheetArgs {
    /// A sheet id, e.g. K-38-128-А (Cyrillic or Latin letters).
    pub id: Option<String>,
    /// Instead: the sheet containing this point, LAT,LON in degrees (Pulkovo 1942 unless --wgs84).
    #[arg(long, value_name = "LAT,LON")]
    pub at: Option<String>,
    /// Scale denominator for --at: 1000000, 500000, 200000, 100000, 50000, 25000, 10000.
    #[arg(long, default_value_t = 100_000)]
    pub scale: u32,
    /// --at is in WGS 84 (transformed to Pulkovo 1942 first).
    #[arg(long)]
    pub wgs84: bool,
    /// The Pulkovo 1942 ↔ WGS 84 transformation, e.g. EPSG:1808.
    #[arg(long, value_name = "EPSG:CODE")]
    pub op: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `terminus sheets`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Lists every map sheet of the scale that a line crosses: the sheets of an
edition a commission must put on the table. The line's geodesic segments are
densified every 100 m in Pulkovo 1942 and the sheet grid is traversed
exactly between those points.

Example:
  terminus sheets --along data/naturalearth10m_ARM_AZE_shared.geojson --scale 100000"
)]
pub struct SheetsArgs {
    /// The line (any format, any CRS Terminus knows: WGS 84, SK-42, Gauss–Krüger, UTM).
    #[arg(long, value_name = "FILE")]
    pub along: PathBuf,
    /// Scale denominator.
    #[arg(long, default_value_t = 100_000)]
    pub scale: u32,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

fn dms(deg: f64) -> String {
    let total = (deg.abs() * 3600.0).round() as i64;
    format!(
        "{}{}°{:02}′{:02}″",
        if deg < 0.0 { "-" } else { "" },
        total / 3600,
        (total / 60) % 60,
        total % 60
    )
}

/// Run `terminus sheet`.
pub fn run_sheet(a: SheetArgs) -> Result<u8, Failure> {
    let op = parse_op(&a.op)?;
    let query = match (&a.id, &a.at) {
        (Some(id), None) => SheetQuery::Id(id.clone()),
        (None, Some(at)) => {
            let (lat, lon) = at
                .split_once(',')
                .and_then(|(p, q)| {
                    Some((p.trim().parse::<f64>().ok()?, q.trim().parse::<f64>().ok()?))
                })
                .ok_or_else(|| Failure::usage(format!("--at {at}: expected LAT,LON in degrees")))?;
            SheetQuery::At {
                at: LatLon::new(lat, lon),
                wgs84: a.wgs84,
                scale: scale(a.scale)?,
            }
        }
        _ => {
            return Err(Failure::usage(
                "give a sheet id, or --at LAT,LON with --scale",
            ))
        }
    };
    let s = sheets::sheet(&query, op)?;
    if let Some(code) = &s.at_op {
        eprintln!("terminus: WGS 84 → Pulkovo 1942 by {code}");
    }
    if a.json {
        print_json(&s);
    } else if a.at.is_some() {
        println!("{}", s.id);
    } else {
        println!("{} (1:{})", s.id, s.scale);
        println!(
            "  Pulkovo 1942: {}–{} N, {}–{} E",
            dms(s.south),
            dms(s.north),
            dms(s.west),
            dms(s.east)
        );
        println!(
            "  decimal:      {:.9}–{:.9} N, {:.9}–{:.9} E",
            s.south, s.north, s.west, s.east
        );
        let ring = s
            .wgs84
            .polygon
            .coordinates
            .first()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let (lo, la): (Vec<f64>, Vec<f64>) = ring.iter().map(|p| (p[0], p[1])).unzip();
        println!(
            "  WGS 84 ({}): {:.6}–{:.6} N, {:.6}–{:.6} E (outline: --json)",
            s.wgs84.op,
            la.iter().cloned().fold(f64::INFINITY, f64::min),
            la.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
            lo.iter().cloned().fold(f64::INFINITY, f64::min),
            lo.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
        );
    }
    Ok(0)
}

/// Run `terminus sheets`.
pub fn run_sheets(a: SheetsArgs) -> Result<u8, Failure> {
    let sc = scale(a.scale)?;
    let r = terminus_app::sheets::sheets(&a.along, sc, &a.input.plain()?)?;
    for n in &r.notes {
        eprintln!("note: {n}");
    }
    let (all, used_op) = (&r.sheets, r.op);
    if let Some(code) = used_op {
        let t = datum::transformation(code);
        eprintln!(
            "terminus: WGS 84 → Pulkovo 1942 by EPSG:{code} ({})",
            t.map(|t| t.name).unwrap_or("")
        );
    }
    if a.json {
        print_json(&r.summary(sc));
    } else {
        println!(
            "{} sheets at 1:{} along {}:",
            all.len(),
            sc.denominator(),
            a.along.display()
        );
        for s in all {
            println!(
                "  {:<18} {}–{} N, {}–{} E",
                s.id,
                dms(s.south),
                dms(s.north),
                dms(s.west),
                dms(s.east)
            );
        }
    }
    Ok(0)
}
