//! `terminus terrain`: DEMs — describe, clip to a corridor, mosaic, fill.

use super::print_json;
use crate::failure::Failure;
use crate::progress;
use std::path::{Path, PathBuf};
use terminus_app::terrain::{
    save, write_u, DivideBy, DivideRequest, PipelineRequest, Reach, ThalwegRequest,
};
use terminus_geodesy::Crs;
use terminus_terrain::flow::{accumulation, all_outlets, basins, d8, CellMetric};
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
    /// Breach depressions by least-cost channels (Lindsay 2016), filling what cannot be breached; every cell then drains.
    Breach(BreachArgs),
    /// Fill voids (nodata inside the DEM) by Laplace interpolation from their edges; records each void filled in OUT.voids.json.
    #[command(
        name = "fill-voids",
        after_help = "Each void (4-connected nodata cells) becomes the smooth (harmonic) surface
that meets the heights around it, with ground cell sizes on the ellipsoid;
a plane cut out of the DEM comes back exactly. Voids on the DEM's edge are
filled from inside, level across the edge. Integer DEMs are written as
Float32. What was filled (each void's cells, place, edge heights, the
range of the heights filled in) is printed and written to OUT.voids.json.

Example:
  terminus terrain fill-voids srtm_with_voids.tif filled.tif"
    )]
    FillVoids(FillVoidsArgs),
    /// D8 flow directions of a (filled) DEM, as a byte grid: 0 E, 1 SE, 2 S, 3 SW, 4 W, 5 NW, 6 N, 7 NE, 255 none.
    Flowdir(FlowArgs),
    /// D8 flow accumulation (cells draining through each cell, itself included), as a 32-bit grid.
    Accumulate(FlowArgs),
    /// Drainage basins: of the given pour points (labelled 1, 2, … in file order), or of every outlet on the DEM's edge.
    Basins(BasinArgs),
    /// Fill → flats (or fill +ε) → D8 → accumulation → basins of the edge outlets, in one pass over memory; writes DIR/filled.tif, flowdir.tif, accumulation.tif, basins.tif.
    Pipeline(PipelineArgs),
    /// The water-parting line between two drainage areas given by pour points, as GeoJSON, with its highest point and passes; measured against claim lines.
    Divide(DivideArgs),
    /// The stream network: cells draining at least --threshold cells (or --min-area), as GeoJSON lines with Strahler orders and geodesic lengths.
    Streams(StreamArgs),
    /// The thalweg of a river reach: the least-cost line along the valley floor between two points, within a corridor of the reach as drawn.
    Thalweg(ThalwegArgs),
    /// A river's median line from its two bank lines (the equidistance engine of `terminus median`, sampled every --spacing).
    Median(MedianArgs),
}

#[derive(clap::Args, Debug)]
struct MedianArgs {
    /// One bank (any vector line format).
    #[arg(long)]
    left: PathBuf,
    /// The other bank.
    #[arg(long)]
    right: PathBuf,
    /// Output GeoJSON.
    #[arg(long)]
    out: PathBuf,
    /// Largest distance between output points (each solved onto the line).
    #[arg(long, default_value = "50m", value_parser = terminus_app::units::parse_distance)]
    spacing: f64,
    /// Replace an existing output.
    #[arg(long)]
    overwrite: bool,
    /// Print the summary as JSON (docs/terrain.md).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    input: super::InputArgs,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "The reach is given as a line (--along, drawn roughly along the river, from
the first point to the last) or by its ends (--from and --to, the corridor
then around the straight line between them). The thalweg is the least-cost
path in which each step costs its length times the height above the
corridor's lowest cell plus one metre.

Example:
  terminus terrain thalweg dem.tif --from 39.62,73.30 --to 39.49,72.00 --corridor 5km --out thalweg.geojson"
)]
struct ThalwegArgs {
    /// The DEM.
    dem: PathBuf,
    /// Output GeoJSON.
    #[arg(long)]
    out: PathBuf,
    /// The reach as drawn (a line file; its first and last points are the ends).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    along: Option<PathBuf>,
    /// Upstream end: LAT,LON.
    #[arg(long, requires = "to", allow_hyphen_values = true)]
    from: Option<String>,
    /// Downstream end: LAT,LON.
    #[arg(long, requires = "from", allow_hyphen_values = true)]
    to: Option<String>,
    /// Half-width of the search corridor.
    #[arg(long, default_value = "3km", value_parser = terminus_app::units::parse_distance)]
    corridor: f64,
    /// Claim lines to measure the thalweg against, comma-separated.
    #[arg(long, value_delimiter = ',')]
    compare: Vec<PathBuf>,
    /// Voids of the DEM in the corridor: refuse (each named), or fill them first (Laplace, as fill-voids).
    #[arg(long, default_value = "refuse", value_parser = terminus_app::terrain::VoidPolicy::parse)]
    voids: terminus_app::terrain::VoidPolicy,
    /// CRS of a DEM that does not state one.
    #[arg(long = "dem-crs", value_name = "CRS")]
    dem_crs: Option<String>,
    /// Replace an existing output.
    #[arg(long)]
    overwrite: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    input: super::InputArgs,
}

#[derive(clap::Args, Debug)]
struct StreamArgs {
    /// The DEM (filled here with Priority-Flood +ε, then drained by D8).
    dem: PathBuf,
    /// Output GeoJSON.
    out: PathBuf,
    /// Smallest accumulation of a stream cell, in cells.
    #[arg(long, conflicts_with = "min_area")]
    threshold: Option<u32>,
    /// Smallest drainage area of a stream cell, km² (converted with the DEM's mean cell area on the ellipsoid).
    #[arg(long)]
    min_area: Option<f64>,
    /// Slope metric for D8.
    #[arg(long, value_enum, default_value = "ellipsoid")]
    metric: Metric,
    /// Voids (nodata inside the terrain, not touching the DEM's edge): outlet (water drains into them, as RichDEM; streams end there), fill (Laplace from their edges first, as terrain fill-voids) or refuse. Each void met is named in the output either way.
    #[arg(long, default_value = "outlet", value_parser = terminus_app::terrain::VoidPolicy::parse)]
    voids: terminus_app::terrain::VoidPolicy,
    /// Replace an existing output.
    #[arg(long)]
    overwrite: bool,
    /// Print the summary as JSON (docs/terrain.md).
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "The DEM is filled (+ε) and drained by D8 in memory. Each side's pour points
(e.g. the rivers' outlets) are snapped to the cell of largest accumulation
within --snap, and the basins draining to side A and to side B labelled; the
divide is the line of cell edges where they meet.

Voids (nodata inside the terrain, not at the DEM's edge) where the divide is
sought are refused by default, each named: give --voids fill (Laplace
interpolation from each void's edge, as `terminus terrain fill-voids`) or
--voids outlet (water drains into them; the divide bends round them). With
--along, a divide running within one cell of the corridor's edge found no
crest inside the corridor: its share of the length is reported and warned.

Beside --out OUT.geojson: OUT.report.md (figures, warnings, voids,
distances and departures from each --compare line) and OUT.map.png/.svg
(the divide over the DEM's hillshade).

Example (the Trans-Alay crest between the Kyzyl-Suu and the Muksu):
  terminus terrain divide gebco_alay.tif --a kyzylsuu.geojson --b muksu.geojson \
      --out divide.geojson --compare osm.geojson,dcw.geojson"
)]
struct DivideArgs {
    /// The DEM.
    dem: PathBuf,
    /// Side A (any vector format): pour points (snapped to the largest accumulation within --snap), a stream line as drawn, or a seed polygon.
    #[arg(long, requires = "b", required_unless_present = "along")]
    a: Option<PathBuf>,
    /// Side B, likewise.
    #[arg(long, requires = "a")]
    b: Option<PathBuf>,
    /// Keep only the features of --a whose name (their name, NAME, Name, name_en, river or title attribute) is this, e.g. a river's name in a rivers file.
    #[arg(long, requires = "a")]
    a_name: Option<String>,
    /// Likewise for --b.
    #[arg(long, requires = "b")]
    b_name: Option<String>,
    /// Instead of pour points: a claim line whose corridor's two sides define the drainage areas.
    #[arg(long, conflicts_with_all = ["a", "b"])]
    along: Option<PathBuf>,
    /// Half-width of that corridor.
    #[arg(long, default_value = "10km", value_parser = terminus_app::units::parse_distance)]
    corridor: f64,
    /// The divide as GeoJSON (lines, with length and heights).
    #[arg(long)]
    out: PathBuf,
    /// Snap pour points to the largest accumulation within this distance.
    #[arg(long, default_value = "1km", value_parser = terminus_app::units::parse_distance)]
    snap: f64,
    /// Simplify the divide within this tolerance (0 keeps every cell edge).
    #[arg(long, default_value = "0m", value_parser = terminus_app::units::parse_distance)]
    simplify: f64,
    /// Claim lines to measure the divide against, comma-separated.
    #[arg(long, value_delimiter = ',')]
    compare: Vec<PathBuf>,
    /// Slope metric for D8.
    #[arg(long, value_enum, default_value = "ellipsoid")]
    metric: Metric,
    /// Voids in the DEM where the divide is sought: refuse, fill or outlet.
    #[arg(long, default_value = "refuse", value_parser = terminus_app::terrain::VoidPolicy::parse)]
    voids: terminus_app::terrain::VoidPolicy,
    /// Populated places (points, any vector format): those within --places-within of the divide are listed in the report and drawn on the map, with their distance and side.
    #[arg(long, value_name = "FILE")]
    places: Option<PathBuf>,
    /// How near the divide a place is listed.
    #[arg(long, default_value = "5km", value_parser = terminus_app::units::parse_distance, requires = "places", value_name = "DISTANCE")]
    places_within: f64,
    /// The places' name attribute (default: name, NAME, Name, city, asciiname, title).
    #[arg(long, requires = "places", value_name = "FIELD")]
    name_field: Option<String>,
    /// Language of OUT.report.md and OUT.map: en or ru (the engine's warnings are quoted in English).
    #[arg(long, default_value = "en", value_parser = terminus_app::words::Lang::parse)]
    lang: terminus_app::words::Lang,
    /// Replace an existing output.
    #[arg(long)]
    overwrite: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    input: super::InputArgs,
}

#[derive(clap::Args, Debug)]
struct BreachArgs {
    /// The DEM.
    dem: PathBuf,
    /// Output DEM (.tif or .asc; Float32 for integer inputs, so the channels' fall survives).
    out: PathBuf,
    /// Longest channel cut, in cells.
    #[arg(long, default_value_t = 100)]
    max_length: usize,
    /// Deepest cut, metres.
    #[arg(long, default_value_t = 100.0)]
    max_depth: f32,
    /// CRS of a DEM that does not state one.
    #[arg(long = "dem-crs", value_name = "CRS")]
    dem_crs: Option<String>,
    /// Replace an existing output.
    #[arg(long)]
    overwrite: bool,
}

#[derive(clap::Args, Debug)]
struct FillVoidsArgs {
    /// The DEM.
    dem: PathBuf,
    /// Output DEM (.tif or .asc).
    out: PathBuf,
    /// CRS of a DEM that does not state one.
    #[arg(long = "dem-crs", value_name = "CRS")]
    dem_crs: Option<String>,
    /// Replace existing outputs.
    #[arg(long)]
    overwrite: bool,
    /// Print the summary as JSON (docs/terrain.md).
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
struct FlowArgs {
    /// The DEM (fill it first: `terminus terrain fill --epsilon`, or use `pipeline`).
    dem: PathBuf,
    /// Output grid (.tif).
    out: PathBuf,
    /// D8 (one receiver) or D∞ (Tarboton 1997: an angle, the flow shared between two receivers; directions as Float32 radians counter-clockwise from east, −1 for none).
    #[arg(long, value_enum, default_value = "d8")]
    method: Method,
    /// How slopes measure distance: ellipsoid (cell sizes on the ellipsoid), grid (square cells), drop (lowest neighbour, as RichDEM).
    #[arg(long, value_enum, default_value = "ellipsoid")]
    metric: Metric,
    /// CRS of a DEM that does not state one.
    #[arg(long = "dem-crs", value_name = "CRS")]
    dem_crs: Option<String>,
    /// Replace an existing output.
    #[arg(long)]
    overwrite: bool,
}

#[derive(clap::Args, Debug)]
struct BasinArgs {
    #[command(flatten)]
    flow: FlowArgs,
    /// Pour points (any vector format); without, every edge outlet's basin.
    #[arg(long, conflicts_with = "sub_basins")]
    pour_points: Option<PathBuf>,
    /// Instead, the sub-basins of the stream network of cells draining at least this many cells: one per segment between junctions.
    #[arg(long)]
    sub_basins: Option<u32>,
    #[command(flatten)]
    input: super::InputArgs,
}

#[derive(clap::Args, Debug)]
struct PipelineArgs {
    /// The DEM.
    dem: PathBuf,
    /// How depressions are removed: flats (plain fill, drainage over flats by Barnes et al. 2014), epsilon (fill +ε), or breach (least-cost channels, Lindsay 2016, filling the rest).
    #[arg(long, value_enum, default_value = "flats")]
    drainage: Drainage,
    /// Results folder.
    #[arg(long, short)]
    out: PathBuf,
    /// Slope metric for D8.
    #[arg(long, value_enum, default_value = "ellipsoid")]
    metric: Metric,
    /// CRS of a DEM that does not state one.
    #[arg(long = "dem-crs", value_name = "CRS")]
    dem_crs: Option<String>,
    /// Voids (nodata inside the terrain, not touching the DEM's edge): outlet (water drains into them, as RichDEM; streams end there), fill (Laplace from their edges first, as terrain fill-voids) or refuse. Each void met is named in the output either way.
    #[arg(long, default_value = "outlet", value_parser = terminus_app::terrain::VoidPolicy::parse)]
    voids: terminus_app::terrain::VoidPolicy,
    /// Replace existing outputs.
    #[arg(long)]
    overwrite: bool,
    /// Print the summary as JSON (docs/terrain.md).
    #[arg(long)]
    json: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
enum Method {
    D8,
    Dinf,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
enum Drainage {
    Flats,
    Epsilon,
    Breach,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Metric {
    Ellipsoid,
    Grid,
    Drop,
}

impl From<Metric> for CellMetric {
    fn from(m: Metric) -> CellMetric {
        match m {
            Metric::Ellipsoid => CellMetric::Ellipsoid,
            Metric::Grid => CellMetric::Grid,
            Metric::Drop => CellMetric::Drop,
        }
    }
}

#[derive(clap::Args, Debug)]
struct InfoArgs {
    /// The DEM (.tif, .hgt, .asc).
    dem: PathBuf,
    /// CRS of a DEM that does not state one (an .asc without .prj).
    #[arg(long = "dem-crs", value_name = "CRS")]
    dem_crs: Option<String>,
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
    #[arg(long, value_parser = terminus_app::units::parse_distance)]
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
    #[arg(long = "dem-crs", value_name = "CRS")]
    dem_crs: Option<String>,
    /// Replace an existing output.
    #[arg(long)]
    overwrite: bool,
    #[command(flatten)]
    input: super::InputArgs,
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
    /// How the grid's edge drains: outlet (anywhere along it, as RichDEM) or whitebox (never: a depression spills only into a lower cell, as WhiteboxTools' FillDepressions).
    #[arg(long, value_enum, default_value = "outlet")]
    edges: Edges,
    /// CRS of a DEM that does not state one.
    #[arg(long = "dem-crs", value_name = "CRS")]
    dem_crs: Option<String>,
    /// Replace an existing output.
    #[arg(long)]
    overwrite: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
enum Edges {
    Outlet,
    Whitebox,
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

/// Run `terminus terrain`.
pub fn run(args: Args) -> Result<u8, Failure> {
    match args.command {
        Command::Info(a) => info(a),
        Command::Clip(a) => clip(a),
        Command::Mosaic(a) => mosaic(a),
        Command::Fill(a) => fill(a),
        Command::Breach(a) => breach_cmd(a),
        Command::FillVoids(a) => fill_voids_cmd(a),
        Command::Flowdir(a) => flow(a, false),
        Command::Accumulate(a) => flow(a, true),
        Command::Basins(a) => basin_cmd(a),
        Command::Pipeline(a) => pipeline(a),
        Command::Divide(a) => divide_cmd(a),
        Command::Streams(a) => streams_cmd(a),
        Command::Thalweg(a) => thalweg_cmd(a),
        Command::Median(a) => median_cmd(a),
    }
}

fn breach_cmd(a: BreachArgs) -> Result<u8, Failure> {
    if a.out.exists() && !a.overwrite {
        return Err(Failure::usage(format!("{} exists", a.out.display()))
            .hint("add --overwrite to replace it"));
    }
    if a.max_length == 0 || !(a.max_depth.is_finite() && a.max_depth >= 0.0) {
        return Err(Failure::usage(
            "--max-length must be at least 1 cell and --max-depth a distance ≥ 0",
        ));
    }
    let mut d = load(&a.dem, &a.dem_crs)?;
    d.range()
        .map_err(|e| Failure::failed(format!("{}: {e}", a.dem.display())))?;
    let spin = progress::spinner("breaching depressions", d.width * d.height > 4_000_000);
    let rep = terminus_terrain::breach::breach(&mut d, a.max_length, a.max_depth);
    spin.finish_and_clear();
    if d.sample.is_integer() {
        d.sample = SampleType::F32;
    }
    println!(
        "{} pits: {} breached ({} cells lowered), the rest filled ({} cells raised)",
        rep.pits, rep.breached, rep.cells_lowered, rep.cells_filled
    );
    save(&a.out, &d, a.overwrite)?;
    Ok(0)
}

fn fill_voids_cmd(a: FillVoidsArgs) -> Result<u8, Failure> {
    let req = terminus_app::terrain::FillVoidsRequest {
        dem: a.dem.clone(),
        dem_crs: crs_arg(&a.dem_crs)?,
        out: a.out.clone(),
        overwrite: a.overwrite,
    };
    let spin = progress::spinner("filling voids", true);
    let r = terminus_app::terrain::fill_voids(&req);
    spin.finish_and_clear();
    let r = r?;
    if a.json {
        print_json(&r);
        return Ok(0);
    }
    println!(
        "{} void(s), {} cells filled by Laplace interpolation from their edges → {} ({})",
        r.voids.len(),
        r.cells_filled,
        r.out,
        r.sample_type
    );
    for v in r.voids.iter().take(10) {
        let at = v.centre.map_or(String::new(), |[lat, lon]| {
            format!(" around {lat:.5}°N {lon:.5}°E")
        });
        println!(
            "  {} cells{at}: filled {:.1}–{:.1} m from {} edge cells of {:.1}–{:.1} m",
            v.cells, v.lowest_m, v.highest_m, v.edge_cells, v.edge_range_m[0], v.edge_range_m[1]
        );
    }
    if r.voids.len() > 10 {
        println!("  … {} more in {}.voids.json", r.voids.len() - 10, r.out);
    }
    Ok(0)
}

fn median_cmd(a: MedianArgs) -> Result<u8, Failure> {
    if a.out.exists() && !a.overwrite {
        return Err(Failure::usage(format!("{} exists", a.out.display()))
            .hint("add --overwrite to replace it"));
    }
    let r = terminus_app::terrain::bank_median(&a.left, &a.right, a.spacing, &a.input.plain()?)?;
    std::fs::write(
        &a.out,
        serde_json::to_string(&r.geojson).unwrap_or_default(),
    )?;
    if a.json {
        print_json(&r.summary);
        return Ok(0);
    }
    println!(
        "median line {:.3} km, {} points, each equidistant from both banks to {:.1e} m → {}",
        r.summary.length_m / 1000.0,
        r.summary.points,
        r.summary.max_inequality_m,
        a.out.display()
    );
    Ok(0)
}

fn latlon_arg(s: &str, what: &str) -> Result<(f64, f64), Failure> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| {
            Failure::usage(format!("--{what} {s}: expected LAT,LON in decimal degrees"))
        })?;
    match v.as_slice() {
        [lat, lon] if lat.abs() <= 90.0 && lon.abs() <= 180.0 => Ok((*lat, *lon)),
        _ => Err(Failure::usage(format!(
            "--{what} {s}: expected LAT,LON with |LAT| ≤ 90 and |LON| ≤ 180"
        ))),
    }
}

fn thalweg_cmd(a: ThalwegArgs) -> Result<u8, Failure> {
    if a.out.exists() && !a.overwrite {
        return Err(Failure::usage(format!("{} exists", a.out.display()))
            .hint("add --overwrite to replace it"));
    }
    let reach = match (&a.along, &a.from, &a.to) {
        (Some(p), _, _) => Reach::Along(p.clone()),
        (None, Some(f), Some(t)) => Reach::Between(latlon_arg(f, "from")?, latlon_arg(t, "to")?),
        _ => {
            return Err(Failure::usage(
                "give the reach: --along LINE, or --from LAT,LON --to LAT,LON",
            ))
        }
    };
    let req = ThalwegRequest {
        dem: a.dem.clone(),
        dem_crs: crs_arg(&a.dem_crs)?,
        reach,
        corridor: a.corridor,
        compare: a.compare.clone(),
        voids: a.voids,
        input: a.input.plain()?,
    };
    let spin = progress::spinner("tracing the thalweg", true);
    let r = terminus_app::terrain::thalweg(&req);
    spin.finish_and_clear();
    let r = r?;
    std::fs::write(
        &a.out,
        serde_json::to_string(&r.geojson).unwrap_or_default(),
    )?;
    let s = &r.summary;
    if a.json {
        print_json(s);
    } else {
        let h = |v: Option<f32>| v.map_or("?".to_string(), |v| v.to_string());
        println!(
            "thalweg {:.3} km over {} cells, from {} m to {} m (highest {} m, lowest {} m) → {}",
            s.length_m / 1000.0,
            s.cells,
            h(s.start_m),
            h(s.end_m),
            s.highest_m,
            s.lowest_m,
            a.out.display()
        );
        for c in &s.compared {
            println!(
                "  vs {}: median {:.0} m, 95th percentile {:.0} m",
                c.line, c.median_m, c.p95_m
            );
        }
        if !s.voids.voids.is_empty() {
            println!("voids: {}", s.voids.done);
        }
    }
    Ok(0)
}

fn streams_cmd(a: StreamArgs) -> Result<u8, Failure> {
    if a.out.exists() && !a.overwrite {
        return Err(Failure::usage(format!("{} exists", a.out.display()))
            .hint("add --overwrite to replace it"));
    }
    let spin = progress::spinner("filling, draining, extracting streams", true);
    let r =
        terminus_app::terrain::streams(&a.dem, a.metric.into(), a.threshold, a.min_area, a.voids);
    spin.finish_and_clear();
    let r = r?;
    std::fs::write(
        &a.out,
        serde_json::to_string(&r.geojson).unwrap_or_default(),
    )?;
    if a.json {
        print_json(&serde_json::json!({
            "segments": r.segments,
            "length_m": r.length_m,
            "max_order": r.max_order,
            "threshold": r.threshold,
            "voids": r.voids,
            "out": a.out.display().to_string(),
        }));
        return Ok(0);
    }
    if !r.voids.voids.is_empty() {
        println!("voids: {}", r.voids.done);
    }
    println!(
        "{} stream segments (threshold {} cells), {:.1} km, highest Strahler order {} → {}",
        r.segments,
        r.threshold,
        r.length_m / 1000.0,
        r.max_order,
        a.out.display()
    );
    Ok(0)
}

fn divide_cmd(a: DivideArgs) -> Result<u8, Failure> {
    if a.out.exists() && !a.overwrite {
        return Err(Failure::usage(format!("{} exists", a.out.display()))
            .hint("add --overwrite to replace it"));
    }
    let by = match (&a.along, &a.a, &a.b) {
        (Some(line), _, _) => DivideBy::Along {
            line: line.clone(),
            corridor: a.corridor,
        },
        (None, Some(fa), Some(fb)) => DivideBy::Sides {
            a: fa.clone(),
            b: fb.clone(),
            a_name: a.a_name.clone(),
            b_name: a.b_name.clone(),
        },
        _ => return Err(Failure::usage(
            "give the drainage areas: --a A --b B (pour points), or --along LINE [--corridor 10km]",
        )),
    };
    let req = DivideRequest {
        dem: a.dem.clone(),
        by,
        snap: a.snap,
        simplify: a.simplify,
        compare: a.compare.clone(),
        metric: a.metric.into(),
        voids: a.voids,
        input: a.input.plain()?,
        lang: a.lang,
        places: a.places.clone(),
        places_within: Some(a.places_within),
        name_field: a.name_field.clone(),
    };
    let spin = progress::spinner("filling, draining, tracing the divide", true);
    let r = terminus_app::terrain::divide_with_provenance(&req, super::provenance());
    spin.finish_and_clear();
    let r = r?;
    let written = terminus_app::terrain::write_divide(&a.out, &r, a.overwrite)?;
    if a.json {
        print_json(&r.summary);
    } else {
        print_divide(&r.summary, &a.out);
        let beside: Vec<String> = written[1..]
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        println!("report and map: {}", beside.join(", "));
    }
    Ok(0)
}

fn print_divide(s: &terminus_app::terrain::DivideSummary, out: &Path) {
    let highest = match (s.highest_m, s.highest_at) {
        (Some(h), Some([lat, lon])) => format!("highest {h} m at {lat:.5}°N {lon:.5}°E"),
        _ => "no highest point".to_string(),
    };
    println!(
        "drainage areas: A {} cells, B {} cells; divide {} line(s), {:.3} km, {highest}",
        s.cells_a,
        s.cells_b,
        s.lines,
        s.length_m / 1000.0,
    );
    for c in &s.compared {
        println!(
            "  vs {}: median {:.0} m, 95th percentile {:.0} m, max {:.0} m ({} samples every 50 m)",
            c.line, c.median_m, c.p95_m, c.max_m, c.samples
        );
        for d in &c.departures {
            println!(
                "      departs by up to {:.0} m ({:.2} km² between them) at {:.4}°N {:.4}°E",
                d.max_width_m,
                d.area_m2 / 1e6,
                d.widest_at[0],
                d.widest_at[1]
            );
        }
        if let Some(e) = &c.departures_error {
            println!("      where it departs could not be found: {e}");
        }
    }
    if !s.voids.voids.is_empty() {
        println!("voids: {}", s.voids.done);
    }
    for w in &s.warnings {
        eprintln!("warning: {w}");
    }
    println!("→ {}", out.display());
}

fn flow(a: FlowArgs, accumulate: bool) -> Result<u8, Failure> {
    let d = load(&a.dem, &a.dem_crs)?;
    d.range()
        .map_err(|e| Failure::failed(format!("{}: {e}", a.dem.display())))?;
    let spin = progress::spinner("flow directions", d.width * d.height > 4_000_000);
    let said = terminus_app::terrain::flow(
        &d,
        a.method == Method::Dinf,
        a.metric.into(),
        accumulate,
        &a.out,
        a.overwrite,
    );
    spin.finish_and_clear();
    for line in said? {
        println!("{line}");
    }
    Ok(0)
}

fn basin_cmd(a: BasinArgs) -> Result<u8, Failure> {
    let f = a.flow;
    let d = load(&f.dem, &f.dem_crs)?;
    d.range()
        .map_err(|e| Failure::failed(format!("{}: {e}", f.dem.display())))?;
    let dir = d8(&d, f.metric.into());
    let valid: Vec<bool> = d.data.iter().map(|v| !v.is_nan()).collect();
    if let Some(t) = a.sub_basins {
        let acc = accumulation(&dir, &valid, d.width);
        let net = terminus_terrain::flow::streams(&dir, &acc, t.max(1), d.width);
        let labels = terminus_terrain::flow::sub_basins(&dir, &valid, d.width, &net);
        println!(
            "{} sub-basins (streams of ≥ {} cells, split at junctions)",
            net.len(),
            t.max(1)
        );
        write_u(
            &f.out,
            &d,
            SampleType::U32,
            0.0,
            &|i| labels[i] as f64,
            f.overwrite,
        )?;
        return Ok(0);
    }
    let outlets = match &a.pour_points {
        None => all_outlets(&dir, &valid),
        Some(p) => terminus_app::terrain::pour_points(&d, &f.dem, p, &a.input.plain()?)?,
    };
    let labels = basins(&dir, &valid, d.width, &outlets);
    let labelled = labels.iter().filter(|&&l| l > 0).count();
    println!(
        "{} basins; {labelled} of {} valid cells labelled",
        outlets.len(),
        valid.iter().filter(|&&v| v).count()
    );
    write_u(
        &f.out,
        &d,
        SampleType::U32,
        0.0,
        &|i| labels[i] as f64,
        f.overwrite,
    )?;
    Ok(0)
}

fn pipeline(a: PipelineArgs) -> Result<u8, Failure> {
    let req = PipelineRequest {
        dem: a.dem.clone(),
        dem_crs: crs_arg(&a.dem_crs)?,
        drainage: match a.drainage {
            Drainage::Flats => terminus_app::terrain::Drainage::Flats,
            Drainage::Epsilon => terminus_app::terrain::Drainage::Epsilon,
            Drainage::Breach => terminus_app::terrain::Drainage::Breach,
        },
        metric: a.metric.into(),
        voids: a.voids,
        out: a.out.clone(),
        overwrite: a.overwrite,
    };
    let spin = progress::spinner("reading the DEM", true);
    let r = terminus_app::terrain::pipeline(&req, super::provenance(), &|m| {
        spin.set_message(m.to_string())
    });
    spin.finish_and_clear();
    let r = r?;
    if a.json {
        print_json(&r);
        return Ok(0);
    }
    if !r.voids.voids.is_empty() {
        println!("voids: {}", r.voids.done);
    }
    println!(
        "{} × {} cells: {} changed, {} edge basins, largest accumulation {} cells ({:.2} s in memory) → {}",
        r.width,
        r.height,
        r.changed,
        r.basins,
        r.largest_accumulation,
        r.compute_s,
        a.out.display()
    );
    Ok(0)
}

fn info(a: InfoArgs) -> Result<u8, Failure> {
    let d = load(&a.dem, &a.dem_crs)?;
    let v = terminus_app::terrain::describe_dem(&a.dem, &d)?;
    if a.json {
        print_json(&v);
        return Ok(0);
    }
    let e = &v.extent;
    println!("{}", a.dem.display());
    println!(
        "  size        {} × {} cells ({} valid, {} voids), {}",
        v.width, v.height, v.valid_cells, v.voids, v.sample_type
    );
    println!(
        "  CRS         {}{}",
        v.crs,
        if v.pixel_is_point {
            " (samples on grid points)"
        } else {
            ""
        }
    );
    println!(
        "  cell        {} × {} ({:.1} m × {:.1} m at the centre row, on the ellipsoid)",
        v.cell_size[0], v.cell_size[1], v.cell_size_m_at_centre[0], v.cell_size_m_at_centre[1]
    );
    println!(
        "  extent      west {} north {} east {} south {}",
        e.west, e.north, e.east, e.south
    );
    println!("  heights     {} – {} m", v.min, v.max);
    println!("  area        {:.3} km² of valid cells", v.area_m2 / 1e6);
    Ok(0)
}

fn clip(a: ClipArgs) -> Result<u8, Failure> {
    let d = load(&a.dem, &a.dem_crs)?;
    let out = if let (Some(line), Some(dist)) = (&a.along, a.distance) {
        let spin = progress::spinner("clipping to the corridor", true);
        let r = terminus_app::terrain::corridor(&d, &a.dem, line, dist, &a.input.plain()?);
        spin.finish_and_clear();
        let c = r?;
        for n in &c.notes {
            eprintln!("note: {n}");
        }
        println!(
            "{} × {} cells, {} within {dist} m of the line",
            c.dem.width, c.dem.height, c.kept
        );
        c.dem
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
    let mut d = load(&a.dem, &a.dem_crs)?;
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
    let edges = if a.edges == Edges::Whitebox {
        terminus_terrain::fill::EdgeRule::Whitebox
    } else {
        terminus_terrain::fill::EdgeRule::Outlet
    };
    let raised = terminus_terrain::fill::fill_with_edges(&mut d, voids, a.epsilon, edges);
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
