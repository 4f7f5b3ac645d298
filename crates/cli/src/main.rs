//! `terminus`: the command line of Terminus. Thin by design: each command
//! parses its arguments, calls the libraries, and prints.

mod commands;
mod failure;
mod progress;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

const AFTER_HELP: &str = "\
Exit codes: 0 success; 1 the operation found problems (invalid geometries) or
could not be done; 2 bad usage or unreadable input.

Examples:
  terminus demo                                   run everything on the bundled sample
  terminus info border.geojson                    layers, counts, CRS, geodesic length
  terminus validate claims.shp --json             every problem, located, as JSON
  terminus convert border.geojson border.gpkg     any format to any other
  terminus convert pillars.csv pillars.kml --crs EPSG:4326 --lat-column B --lon-column L

Formats (by extension): .geojson .json .gpkg .shp .kml .kmz .gpx .csv .tsv .txt .wkt";

/// Terminus: boundary delimitation and demarcation, exact on the ellipsoid.
///
/// Inspect, validate and convert the boundary files that commissions,
/// geodesists and monitoring missions exchange, losing nothing.
#[derive(Parser)]
#[command(name = "terminus", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Describe a file: layers, features, geometry types, vertices, extent, CRS, geodesic length and area.
    Info(commands::info::Args),
    /// Convert between formats (GeoJSON, GeoPackage, Shapefile, KML/KMZ, GPX, CSV, WKT).
    Convert(commands::convert::Args),
    /// Check geometries: rings, self-intersections, duplicate and spike vertices, ranges, swapped lat/lon, CRS.
    Validate(commands::validate::Args),
    /// Geodesic problems on the ellipsoid, line by line, as GeographicLib's GeodSolve.
    Geodesic(commands::geodesic::Args),
    /// Coordinate reference systems: transform coordinates, list datum transformations, describe a CRS.
    Crs(commands::crs::Args),
    /// A Soviet topographic map sheet: bounds from its id (K-38-128-А), or the sheet at a point.
    Sheet(commands::sheet::SheetArgs),
    /// The map sheets of a scale that a line crosses.
    Sheets(commands::sheet::SheetsArgs),
    /// Compare claim lines: agreement, discrepancy polygons (areas, widths, who gains), territory overlaps and gaps; report and maps.
    Compare(commands::compare::Args),
    /// Equidistance (median) lines between two sides, tri-points of three, the compromise median of two claims.
    Median(commands::median::Args),
    /// DEMs: describe, clip to a corridor around a line, mosaic tiles, fill depressions.
    Terrain(commands::terrain::Args),
    /// Line of sight between two points over a DEM (curvature, refraction; symmetric).
    Los(commands::demarcate::LosArgs),
    /// Every cell a point sees, as a GeoTIFF (GDAL's approximation or an exact sweep).
    Viewshed(commands::demarcate::ViewshedArgs),
    /// Demarcation: plan pillars along a delimited line; the pillar catalogue and protocol-description.
    Demarcate(commands::demarcate::DemarcateArgs),
    /// The protocol-description of a pillar catalogue (English or Russian), or its parse back and closure.
    Describe(commands::demarcate::DescribeArgs),
    /// Field survey checks: surveyed pillars against the catalogue and the line.
    Survey(commands::demarcate::SurveyArgs),
    /// Members' Ed25519 keys: make one (kept by the member), show its public key.
    Keys(commands::ledger::KeysArgs),
    /// Sign one event of the commission's record with your own key and append it to a store.
    Sign(commands::ledger::SignArgs),
    /// The commission's signed record: verify it offline (naming the first event that fails), export a bundle, import one.
    Ledger(commands::ledger::LedgerArgs),
    /// Serve the commission's record over HTTP: JSON API (OpenAPI) and OGC API – Features for QGIS and GDAL.
    Serve(commands::serve::ServeArgs),
    /// Run the whole product on the bundled Armenia–Azerbaijan sample and write a results folder.
    Demo(commands::demo::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // A batch command keeps what it frees; the service, which runs for
    // weeks, lets its memory go back.
    if !matches!(cli.command, Command::Serve(_)) {
        keep_freed_memory();
        end_quietly_on_closed_pipe();
    }
    let result = match cli.command {
        Command::Info(a) => commands::info::run(a),
        Command::Convert(a) => commands::convert::run(a),
        Command::Compare(a) => commands::compare::run(a),
        Command::Terrain(a) => commands::terrain::run(a),
        Command::Median(a) => commands::median::run(a),
        Command::Keys(a) => commands::ledger::run_keys(a),
        Command::Ledger(a) => commands::ledger::run_ledger(a),
        Command::Sign(a) => commands::ledger::run_sign(a),
        Command::Serve(a) => commands::serve::run(a),
        Command::Validate(a) => commands::validate::run(a),
        Command::Demo(a) => commands::demo::run(a),
        Command::Los(a) => commands::demarcate::run_los(a),
        Command::Viewshed(a) => commands::demarcate::run_viewshed(a),
        Command::Demarcate(a) => commands::demarcate::run_demarcate(a),
        Command::Describe(a) => commands::demarcate::run_describe(a),
        Command::Survey(a) => commands::demarcate::run_survey(a),
        Command::Crs(a) => commands::crs::run(a),
        Command::Geodesic(a) => commands::geodesic::run(a),
        Command::Sheet(a) => commands::sheet::run_sheet(a),
        Command::Sheets(a) => commands::sheet::run_sheets(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("terminus: error: {}", f.message);
            if let Some(hint) = &f.hint {
                eprintln!("  hint: {hint}");
            }
            ExitCode::from(f.exit_code())
        }
    }
}

/// Keep freed memory for reuse instead of handing it back to the kernel.
///
/// The engines work in phases over arrays of millions of vertices, each
/// phase freeing what the next allocates again. glibc's malloc returns a
/// freed block to the kernel when it was mapped on its own (over its
/// dynamic mmap threshold, from 128 KiB) or lies at the top of the heap,
/// and the next phase takes page faults to have it back: on the 1M-vertex
/// comparison a tenth of the run was spent clearing fresh pages. Raising
/// the mmap threshold to its ceiling (32 MiB), not trimming the heap, and
/// growing it in steps of 64 MiB (address space; pages are only counted
/// once touched) keeps that memory in the process: the comparison runs
/// about 0.1 s faster for some 50 MB more peak memory. (musl and other
/// platforms keep their allocator's defaults.)
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    // SAFETY: mallopt only sets the allocator's tuning parameters; it is
    // called in main before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}

/// End the process quietly, as `cat` and `grep` do, when what reads its
/// output goes away (`terminus sheets … --json | head`), instead of
/// panicking in `println!` on EPIPE. Rust starts programs with SIGPIPE
/// ignored; a batch command takes the default back. The service keeps it
/// ignored: a client that hangs up must never end the service.
#[cfg(unix)]
fn end_quietly_on_closed_pipe() {
    // SAFETY: restoring a signal's default disposition, in main, before
    // any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn end_quietly_on_closed_pipe() {}
