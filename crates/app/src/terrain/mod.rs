//! The terrain workflows the front-ends share: the DEM's road to WGS 84,
//! drainage areas designated by files, and the water-parting (divide)
//! between two drainage areas or within a corridor of a line, with its
//! distances to the claim lines.

mod divide_report;
pub mod relief;
pub use divide_report::write_divide;

use crate::failure::Failure;
use crate::input::{read, InputOptions};
use crate::provenance::Provenance;
use crate::road::Road;
use crate::shapes::line_pieces;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::{Path, PathBuf};
use terminus_geodesy::{LatLon, Xy};
use terminus_terrain::flow::{accumulation, all_outlets, basins, d8, CellMetric, NO_FLOW};
use terminus_terrain::Dem;
use terminus_terrain::{NodataAs, SampleType};

/// The DEM's centre on its own datum, where its transformation to WGS 84
/// is chosen; `None` for a CRS that cannot be unprojected.
pub fn dem_center(d: &Dem) -> Option<terminus_geodesy::LatLon> {
    let (x, y) = d.georef.center(d.width / 2, d.height / 2);
    terminus_geodesy::crs::transform::CrsTransform::new(&d.georef.crs, &d.georef.crs, None, None)
        .ok()
        .map(|t| t.source_geographic(Xy::new(x, y)))
}

/// The road between the DEM's CRS and WGS 84: through `op` when named, else
/// EPSG's most accurate at the DEM's centre.
pub fn dem_road(d: &Dem, path: &Path, op: Option<u32>) -> Result<Road, Failure> {
    Road::new(&d.georef.crs, op, dem_center(d)).map_err(|e| e.context(path.display()))
}

/// How the two drainage areas of a divide are given.
#[derive(Debug, Clone)]
pub enum DivideBy {
    /// Pour points, stream lines or seed polygons for each side, with an
    /// optional feature name to pick from each file.
    Sides {
        /// Side A.
        a: PathBuf,
        /// Side B.
        b: PathBuf,
        /// Feature of A to use.
        a_name: Option<String>,
        /// Feature of B to use.
        b_name: Option<String>,
    },
    /// The crest within a corridor of this half-width (metres) around a line.
    Along {
        /// The line.
        line: PathBuf,
        /// Corridor half-width, metres.
        corridor: f64,
    },
}

/// What to trace.
#[derive(Debug, Clone)]
pub struct DivideRequest {
    /// The DEM.
    pub dem: PathBuf,
    /// The drainage areas.
    pub by: DivideBy,
    /// Snap pour points to the largest accumulation within this, metres.
    pub snap: f64,
    /// Simplify the divide to this, metres (0: none).
    pub simplify: f64,
    /// Claim lines to measure it against.
    pub compare: Vec<PathBuf>,
    /// Slope metric for D8.
    pub metric: CellMetric,
    /// What to do with voids in the DEM where the divide is sought.
    pub voids: VoidPolicy,
    /// How to read the vector files.
    pub input: InputOptions,
    /// The language of the report and map written beside the divide.
    pub lang: crate::words::Lang,
    /// Populated places (points): those within `places_within` of the
    /// divide are listed in its report and drawn on its map.
    pub places: Option<PathBuf>,
    /// How near the divide a place is listed, metres (5 km when none).
    pub places_within: Option<f64>,
    /// The places' name attribute (default name, NAME, …).
    pub name_field: Option<String>,
}

/// What a command does with the voids (nodata inside the terrain) it
/// meets. Nodata reaching the DEM's edge is its coverage ending, counted
/// apart and treated as the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoidPolicy {
    /// Refuse, naming the voids (the default: a water-parting or a sight
    /// line through a hole in the DEM is not the terrain's).
    #[default]
    Refuse,
    /// Fill them first by Laplace interpolation from their edges (as
    /// `terrain fill-voids`), each filled void recorded.
    Fill,
    /// Let water drain into them, as into the DEM's edge (the divide
    /// bends round them), warned.
    Outlet,
}

impl VoidPolicy {
    /// "refuse", "fill", "outlet" → the policy.
    pub fn parse(s: &str) -> Result<VoidPolicy, String> {
        match s {
            "refuse" => Ok(VoidPolicy::Refuse),
            "fill" => Ok(VoidPolicy::Fill),
            "outlet" => Ok(VoidPolicy::Outlet),
            _ => Err(format!("{s:?}: the voids policy is refuse, fill or outlet")),
        }
    }
}

/// One void met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoidNote {
    /// Its cells.
    pub cells: usize,
    /// Its centre, `[lat, lon]` (none when the DEM's CRS cannot be moved
    /// to WGS 84).
    pub centre: Option<[f64; 2]>,
    /// First column, first row, last column, last row.
    pub bounds: [usize; 4],
}

/// The voids a command met and what was done with them (in its summary
/// and `--json`; docs/terrain.md).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VoidsMet {
    /// The policy applied: refuse, fill or outlet.
    pub policy: VoidPolicy,
    /// The voids inside the terrain where the command worked, largest first.
    pub voids: Vec<VoidNote>,
    /// Their cells in all.
    pub cells: usize,
    /// Nodata cells reaching the DEM's edge (its coverage ending), treated
    /// as the edge.
    pub edge_nodata_cells: usize,
    /// What was done, in words.
    pub done: String,
}

/// Apply `policy` to the voids of `d` within the cell box `within` (first
/// column, first row, last column, last row; the whole DEM when none):
/// refuse naming them, fill them, or let them be outlets; what was met and
/// done is returned for the summary.
pub fn handle_voids(
    d: &mut Dem,
    path: &Path,
    policy: VoidPolicy,
    within: Option<[usize; 4]>,
    purpose: &str,
) -> Result<VoidsMet, Failure> {
    let meets = |v: &terminus_terrain::voids::Void| {
        let b = v.bounds;
        within.is_none_or(|w| b[0] <= w[2] && w[0] <= b[2] && b[1] <= w[3] && w[1] <= b[3])
    };
    handle_voids_met(d, path, policy, &meets, purpose)
}

/// Apply `policy` to the voids along a line ((lat, lon), WGS 84): those
/// with a cell the line passes over, sampled every half cell on its
/// geodesics. Fill, or refuse; a line of sight or a pillar has no use for
/// an outlet.
pub fn handle_voids_along(
    d: &mut Dem,
    path: &Path,
    policy: VoidPolicy,
    line: &[(f64, f64)],
    purpose: &str,
) -> Result<VoidsMet, Failure> {
    use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
    if policy == VoidPolicy::Outlet {
        return Err(Failure::usage(format!(
            "--voids outlet lets water drain into voids; a {purpose} is refused over them or they are filled: --voids refuse|fill"
        )));
    }
    let road = dem_road(d, path, None)?;
    let geod = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let (cw, ch, _) = d.cell_size_m(d.height / 2);
    let step = (cw.min(ch) / 2.0).max(0.5);
    let mut hit = std::collections::HashSet::new();
    let mut visit = |lat: f64, lon: f64| {
        if let Ok(p) = road.from_wgs84(LatLon::new(lat, lon)) {
            if let Some((c, r)) = d.georef.cell_at(p.x, p.y, d.width, d.height) {
                let i = r * d.width + c;
                if d.data[i].is_nan() {
                    hit.insert(i);
                }
            }
        }
    };
    for w in line.windows(2) {
        let (s, azi, _, _): (f64, f64, f64, f64) = geod.inverse(w[0].0, w[0].1, w[1].0, w[1].1);
        let n = (s / step).ceil().max(1.0) as usize;
        for k in 0..=n {
            let (lat, lon): (f64, f64) = geod.direct(w[0].0, w[0].1, azi, s * k as f64 / n as f64);
            visit(lat, lon);
        }
    }
    if let [only] = line {
        visit(only.0, only.1);
    }
    let meets = |v: &terminus_terrain::voids::Void| v.cells.iter().any(|i| hit.contains(i));
    handle_voids_met(d, path, policy, &meets, purpose)
}

fn handle_voids_met(
    d: &mut Dem,
    path: &Path,
    policy: VoidPolicy,
    meets: &dyn Fn(&terminus_terrain::voids::Void) -> bool,
    purpose: &str,
) -> Result<VoidsMet, Failure> {
    let road = dem_road(d, path, None).ok();
    let found = terminus_terrain::voids::find_voids(d);
    let edge_nodata_cells = found
        .iter()
        .filter(|v| v.touches_edge)
        .map(|v| v.cells.len())
        .sum();
    let voids: Vec<VoidNote> = found
        .iter()
        .filter(|v| !v.touches_edge && meets(v))
        .map(|v| {
            let [c0, r0, c1, r1] = v.bounds;
            let (x, y) = (
                d.georef.x0 + (c0 + c1 + 1) as f64 / 2.0 * d.georef.dx,
                d.georef.y0 - (r0 + r1 + 1) as f64 / 2.0 * d.georef.dy,
            );
            VoidNote {
                cells: v.cells.len(),
                centre: road
                    .as_ref()
                    .and_then(|r| r.to_wgs84(Xy::new(x, y)).ok())
                    .map(|p| [p.lat, p.lon]),
                bounds: v.bounds,
            }
        })
        .collect();
    let cells = voids.iter().map(|v| v.cells).sum();
    let listed = || {
        let mut l: Vec<String> = voids
            .iter()
            .take(5)
            .map(|v| match v.centre {
                Some([la, lo]) => format!("{} cells at {la:.5}°N {lo:.5}°E", v.cells),
                None => format!(
                    "{} cells at columns {}–{}, rows {}–{}",
                    v.cells, v.bounds[0], v.bounds[2], v.bounds[1], v.bounds[3]
                ),
            })
            .collect();
        if voids.len() > 5 {
            l.push(format!("and {} more", voids.len() - 5));
        }
        l.join("; ")
    };
    let done = if voids.is_empty() {
        "no voids met".to_string()
    } else {
        match policy {
            VoidPolicy::Refuse => {
                return Err(Failure::usage(format!(
                    "{}: {} void(s), {cells} cells of nodata inside the terrain where the {purpose} runs ({}): a {purpose} through a hole in the DEM is not the terrain's",
                    path.display(),
                    voids.len(),
                    listed()
                ))
                .hint("--voids fill fills them first by Laplace interpolation from their edges (as terminus terrain fill-voids, recorded); --voids outlet lets water drain into them as into the DEM's edge"));
            }
            VoidPolicy::Fill => {
                let filled = terminus_terrain::voids::fill_interior_voids(d)
                    .map_err(|e| Failure::failed(format!("{}: {e}", path.display())))?;
                format!(
                    "{} void(s) met ({}), filled first by Laplace interpolation from their edges ({} interior voids, {} cells filled in all)",
                    voids.len(),
                    listed(),
                    filled.voids.len(),
                    filled.cells
                )
            }
            VoidPolicy::Outlet => format!(
                "{} void(s) met ({}), used as outlets: water drains into them as into the DEM's edge, and the {purpose} bends round them",
                voids.len(),
                listed()
            ),
        }
    };
    Ok(VoidsMet {
        policy,
        voids,
        cells,
        edge_nodata_cells,
        done,
    })
}

/// A divide traced: its summary (documented in docs/terrain.md) and GeoJSON.
pub struct Divide {
    /// The summary.
    pub summary: DivideSummary,
    /// The divide as a GeoJSON FeatureCollection.
    pub geojson: serde_json::Value,
    /// Its map over the DEM's relief.
    pub map: Option<terminus_cartography::Map>,
    /// The language of its report and map.
    pub lang: crate::words::Lang,
    /// The places near the divide (`--places`), by line and along it.
    pub places: Vec<crate::places::NearPlace>,
    /// How near the divide a place is listed, metres (with `--places`).
    pub places_within_m: Option<f64>,
    /// Its provenance (inputs' hashes and roads, settings, warnings),
    /// written beside it as `STEM.provenance.json`.
    pub provenance: Option<Provenance>,
}

/// Trace the water-parting; `provenance` (the command that asked) gets
/// every input (recorded where it is read), setting and warning.
pub fn divide_with_provenance(
    req: &DivideRequest,
    mut provenance: Provenance,
) -> Result<Divide, Failure> {
    let mut r = trace_divide(req, &mut provenance)?;
    match &req.by {
        DivideBy::Along { corridor, .. } => provenance.tolerance("corridor_m", corridor),
        DivideBy::Sides { .. } => provenance.tolerance("snap_m", req.snap),
    }
    provenance.tolerance("simplify_m", req.simplify);
    provenance.tolerance("metric", format!("{:?}", req.metric));
    provenance.tolerance("voids", &r.summary.voids.done);
    if let Some(w) = r.places_within_m {
        provenance.tolerance("places_within_m", w);
    }
    for w in &r.summary.warnings {
        provenance.warn(w.clone());
    }
    r.provenance = Some(provenance);
    Ok(r)
}

/// Trace the water-parting.
pub fn divide(req: &DivideRequest) -> Result<Divide, Failure> {
    trace_divide(req, &mut Provenance::new(Vec::new()))
}

/// The divide, each input recorded in `provenance` as it is read.
fn trace_divide(req: &DivideRequest, provenance: &mut Provenance) -> Result<Divide, Failure> {
    let mut d =
        terminus_terrain::read(&req.dem, None).map_err(|e| Failure::usage(e.to_string()))?;
    provenance.file("DEM", &req.dem, "raster", Some(d.georef.crs.id()))?;
    d.range()
        .map_err(|e| Failure::usage(format!("{}: {e}", req.dem.display())))?;
    let road = dem_road(&d, &req.dem, req.input.op)?;
    let to_f = |x: f64, y: f64| road.to_wgs84(Xy::new(x, y)).ok().map(LatLon::tuple);
    let from_f = |lat: f64, lon: f64| {
        road.from_wgs84(LatLon::new(lat, lon))
            .ok()
            .map(|p| (p.x, p.y))
    };
    // The cells the divide is sought in: the corridor's box, or all.
    let along = match &req.by {
        DivideBy::Along { line, corridor } => {
            let input = read(line, &req.input)?;
            provenance.input("corridor's line", &input);
            Some((line_pieces(line, &input.dataset)?, *corridor))
        }
        DivideBy::Sides { .. } => None,
    };
    let within = along
        .as_ref()
        .and_then(|(pieces, half)| corridor_cells(&d, pieces, *half, &from_f));
    let voids = handle_voids(&mut d, &req.dem, req.voids, within, "water-parting")?;
    let mut warnings = Vec::new();
    if voids.policy == VoidPolicy::Outlet && !voids.voids.is_empty() {
        warnings.push(voids.done.clone());
    }
    let wp = match (&req.by, &along) {
        (_, Some((pieces, corridor))) => {
            let pieces = pieces.clone();
            let corridor = *corridor;
            terminus_terrain::divide::water_parting_in_corridor(
                &d,
                &pieces,
                corridor,
                req.simplify,
                &to_f,
                &from_f,
            )
        }
        (
            DivideBy::Sides {
                a,
                b,
                a_name,
                b_name,
            },
            None,
        ) => {
            let read_a = read(a, &req.input)?;
            provenance.input("side A", &read_a);
            let read_b = read(b, &req.input)?;
            provenance.input("side B", &read_b);
            let (pa, sa) = sides_of(&read_a.dataset, a, &d, a_name.as_deref(), &from_f)?;
            let (pb, sb) = sides_of(&read_b.dataset, b, &d, b_name.as_deref(), &from_f)?;
            terminus_terrain::divide::water_parting(
                &d,
                &terminus_terrain::divide::WaterPartingOptions {
                    a: &pa,
                    b: &pb,
                    seeds_a: &sa,
                    seeds_b: &sb,
                    snap_m: req.snap,
                    simplify_m: req.simplify,
                    metric: req.metric,
                    to_wgs84: &to_f,
                    from_wgs84: &from_f,
                },
            )
        }
        // A corridor's line is read above, so `along` is set.
        (DivideBy::Along { .. }, None) => {
            return Err(Failure::failed("the corridor's line was not read"))
        }
    };
    let wp = wp.map_err(|e| Failure::failed(e.to_string()))?;
    let (mut summary, geojson) = divide_outputs(&req.input, &wp, &req.compare)?;
    if let Some((pieces, half)) = &along {
        // A divide that runs along the corridor's edge found no crest
        // inside it: the share of its length within one cell of the edge.
        let (cw, ch, _) = d.cell_size_m(d.height / 2);
        let lines: Vec<Vec<(f64, f64)>> = wp.lines.iter().map(|l| l.points.clone()).collect();
        let step = (cw.min(ch) / 2.0).max(1.0);
        let dist = terminus_terrain::divide::sampled_distances(&lines, pieces, step)
            .map_err(|e| Failure::failed(e.to_string()))?;
        // Round the line's ends the divide must run out to the corridor's
        // edge: those samples are not counted.
        use terminus_geodesy::measure::InverseGeodesic;
        let geod = terminus_geodesy::Ellipsoid::WGS84.geodesic();
        let ends: Vec<(f64, f64)> = pieces
            .iter()
            .filter(|p| p.first() != p.last())
            .flat_map(|p| [p[0], p[p.len() - 1]])
            .collect();
        let cell = cw.max(ch);
        let counted: Vec<f64> = dist
            .iter()
            .filter(|(p, _)| {
                ends.iter().all(|e| {
                    let d: f64 = geod.inverse(p.0, p.1, e.0, e.1);
                    d > half + 2.0 * cell
                })
            })
            .map(|s| s.1)
            .collect();
        let on_edge = counted.iter().filter(|&&x| x >= half - cell).count();
        let share = if counted.is_empty() {
            0.0
        } else {
            on_edge as f64 / counted.len() as f64
        };
        summary.corridor_edge_share = Some(share);
        if on_edge > 0 {
            warnings.push(format!(
                "{:.1} % of the divide's length runs within one cell ({cell:.0} m) of the corridor's edge ({half:.0} m from the line; the line's ends apart): no crest there inside the corridor; widen --corridor or check the line",
                100.0 * share
            ));
        }
    }
    summary.voids = voids;
    summary.warnings = warnings;
    divide_with_map(
        &d,
        &wp,
        summary,
        geojson,
        &Beside {
            compare: &req.compare,
            input: &req.input,
            lang: req.lang,
            places: req.places.as_deref().map(|p| {
                (
                    p,
                    req.places_within.unwrap_or(5000.0),
                    req.name_field.as_deref(),
                )
            }),
        },
        Some(provenance),
    )
}

/// What the divide's report and map draw beside the divide: the compared
/// lines, the places near it (file, distance, name attribute), and the
/// language.
pub(crate) struct Beside<'a> {
    pub compare: &'a [PathBuf],
    pub input: &'a InputOptions,
    pub lang: crate::words::Lang,
    pub places: Option<(&'a Path, f64, Option<&'a str>)>,
}

/// The divide's outcome with its map: the compared lines read for it.
pub(crate) fn divide_with_map(
    d: &Dem,
    wp: &terminus_terrain::divide::WaterParting,
    summary: DivideSummary,
    geojson: serde_json::Value,
    beside: &Beside,
    mut provenance: Option<&mut Provenance>,
) -> Result<Divide, Failure> {
    let Beside {
        compare,
        input,
        lang,
        places,
    } = *beside;
    let mut summary = summary;
    let mut compared = Vec::new();
    for file in compare {
        let read_line = read(file, input)?;
        if let Some(p) = provenance.as_deref_mut() {
            p.input("compared line", &read_line);
        }
        compared.push((
            crate::input::stem(file),
            line_pieces(file, &read_line.dataset)?,
        ));
    }
    let lines: Vec<Vec<(f64, f64)>> = wp.lines.iter().map(|l| l.points.clone()).collect();
    let (near, within) = match places {
        Some((path, within, field)) => {
            let named: Vec<(String, Vec<(f64, f64)>)> = lines
                .iter()
                .enumerate()
                .map(|(k, l)| (format!("divide {}", k + 1), l.clone()))
                .collect();
            (
                crate::places::read_near(
                    path,
                    input,
                    field,
                    &named,
                    within,
                    &mut summary.warnings,
                    provenance,
                )?,
                Some(within),
            )
        }
        None => (Vec::new(), None),
    };
    summary.places = near.clone();
    summary.places_within_m = within;
    let map = divide_report::divide_map(d, &lines, &compared, &summary, lang, &near, within);
    Ok(Divide {
        summary,
        geojson,
        map,
        lang,
        places: near,
        places_within_m: within,
        provenance: None,
    })
}

/// The cell box (first column, first row, last column, last row) of the
/// corridor `half` metres around `pieces`, clamped to the DEM; none when
/// the line has no position on it.
fn corridor_cells(
    d: &Dem,
    pieces: &[Vec<(f64, f64)>],
    half: f64,
    from_f: &dyn Fn(f64, f64) -> Option<(f64, f64)>,
) -> Option<[usize; 4]> {
    let g = &d.georef;
    let (mut c0, mut r0, mut c1, mut r1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(lat, lon) in pieces.iter().flatten() {
        let (x, y) = from_f(lat, lon)?;
        let (c, r) = ((x - g.x0) / g.dx, (g.y0 - y) / g.dy);
        c0 = c0.min(c);
        c1 = c1.max(c);
        r0 = r0.min(r);
        r1 = r1.max(r);
    }
    // The corridor's half-width in cells, at the DEM's smallest cell.
    let (cw, ch, _) = d.cell_size_m(d.height / 2);
    let reach = (half / cw.min(ch)).ceil() + 1.0;
    let clamp = |v: f64, n: usize| v.clamp(0.0, (n.max(1) - 1) as f64) as usize;
    Some([
        clamp(c0 - reach, d.width),
        clamp(r0 - reach, d.height),
        clamp(c1 + reach, d.width),
        clamp(r1 + reach, d.height),
    ])
}

/// Pour points (lat, lon) and seed cells (row-major indices) of one side.
type DrainageSide = (Vec<(f64, f64)>, Vec<usize>);

/// A drainage area's designation from a file: its points (pour points,
/// snapped later) and the cells of its lines (a stream as drawn) and
/// polygons (a seed area), as row-major cell indices of `d`.
pub fn sides_of(
    ds: &terminus_vector::Dataset,
    p: &Path,
    d: &Dem,
    name: Option<&str>,
    from_wgs84: &dyn Fn(f64, f64) -> Option<(f64, f64)>,
) -> Result<DrainageSide, Failure> {
    use terminus_vector::Geometry;
    let (mut points, mut cells) = (Vec::new(), Vec::new());
    let g = &d.georef;
    let line = |l: &[terminus_vector::Coord], cells: &mut Vec<usize>| {
        // Every cell the line passes: steps of a quarter cell in the DEM's units.
        for w in l.windows(2) {
            let (Some(a), Some(b)) = (from_wgs84(w[0].y, w[0].x), from_wgs84(w[1].y, w[1].x))
            else {
                continue;
            };
            let n = (((b.0 - a.0) / g.dx).abs().max(((b.1 - a.1) / g.dy).abs()) * 4.0)
                .ceil()
                .max(1.0) as usize;
            for k in 0..=n {
                let t = k as f64 / n as f64;
                if let Some((c, r)) = g.cell_at(
                    a.0 + t * (b.0 - a.0),
                    a.1 + t * (b.1 - a.1),
                    d.width,
                    d.height,
                ) {
                    cells.push(r * d.width + c);
                }
            }
        }
    };
    let named = |f: &terminus_vector::Feature| {
        name.is_none_or(|n| {
            ["name", "NAME", "Name", "name_en", "river", "title"]
                .iter()
                .any(|k| matches!(f.properties.get(*k), Some(terminus_vector::Value::String(s)) if s == n))
        })
    };
    for f in ds
        .layers
        .iter()
        .flat_map(|l| &l.features)
        .filter(|f| named(f))
    {
        match &f.geometry {
            Some(Geometry::Point(c)) => points.push((c.y, c.x)),
            Some(Geometry::LineString(l)) => line(l, &mut cells),
            Some(Geometry::MultiLineString(ls)) => ls.iter().for_each(|l| line(l, &mut cells)),
            Some(Geometry::Polygon(_)) | Some(Geometry::MultiPolygon(_)) => {
                // Cells whose centre lies inside: the polygon in the DEM's
                // coordinates, crossing-number test on its rings.
                let polys: Vec<&terminus_vector::Polygon> = match &f.geometry {
                    Some(Geometry::Polygon(q)) => vec![q],
                    Some(Geometry::MultiPolygon(qs)) => qs.iter().collect(),
                    _ => Vec::new(),
                };
                for q in polys {
                    let rings: Vec<Vec<(f64, f64)>> = q
                        .rings
                        .iter()
                        .map(|r| r.iter().filter_map(|c| from_wgs84(c.y, c.x)).collect())
                        .collect();
                    let Some(outer) = rings.first() else { continue };
                    let inside = |x: f64, y: f64| {
                        let mut n = 0;
                        for r in &rings {
                            let mut j = r.len().saturating_sub(1);
                            for i in 0..r.len() {
                                let (a, b) = (r[i], r[j]);
                                if (a.1 > y) != (b.1 > y)
                                    && x < a.0 + (y - a.1) / (b.1 - a.1) * (b.0 - a.0)
                                {
                                    n += 1;
                                }
                                j = i;
                            }
                        }
                        n % 2 == 1
                    };
                    let (x0, x1) = outer
                        .iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                            (lo.min(p.0), hi.max(p.0))
                        });
                    let (y0, y1) = outer
                        .iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                            (lo.min(p.1), hi.max(p.1))
                        });
                    for r in 0..d.height {
                        let (_, y) = g.center(0, r);
                        if y < y0 || y > y1 {
                            continue;
                        }
                        for c in 0..d.width {
                            let (x, _) = g.center(c, 0);
                            if x >= x0 && x <= x1 && inside(x, y) {
                                cells.push(r * d.width + c);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if points.is_empty() && cells.is_empty() {
        let which = name.map(|n| format!(" named \"{n}\"")).unwrap_or_default();
        return Err(Failure::usage(format!(
            "{}: no points, lines or polygons{which} on the DEM",
            p.display()
        )));
    }
    Ok((points, cells))
}

/// The divide's summary (with distances to each claim line) and GeoJSON.
pub fn divide_outputs(
    input: &InputOptions,
    wp: &terminus_terrain::divide::WaterParting,
    compare: &[PathBuf],
) -> Result<(DivideSummary, serde_json::Value), Failure> {
    let lines: Vec<Vec<(f64, f64)>> = wp.lines.iter().map(|l| l.points.clone()).collect();
    let mut comparisons = Vec::new();
    for file in compare {
        let (mut distances, pieces) = line_distances(input, file, &lines)?;
        // Where it departs: the comparison engine's polygons between the
        // divide and the line, the largest five (width, area, place).
        let inputs = terminus_compare::Inputs {
            lines: vec![
                terminus_compare::ClaimLine {
                    name: "divide".into(),
                    pieces: lines.clone(),
                },
                terminus_compare::ClaimLine {
                    name: "line".into(),
                    pieces: pieces.clone(),
                },
            ],
            ..Default::default()
        };
        let (departures, departures_error) =
            match terminus_compare::compare(&inputs, &terminus_compare::Options::default()) {
                Ok(c) => (
                    c.pairs[0]
                        .discrepancies
                        .iter()
                        .filter(|d| d.beyond_tolerance && d.kind == "between")
                        .take(5)
                        .map(|d| Departure {
                            area_m2: d.area_m2,
                            max_width_m: d.max_width_m,
                            widest_at: [d.widest_at.0, d.widest_at.1],
                            inside_at: [d.inside_at.0, d.inside_at.1],
                        })
                        .collect(),
                    None,
                ),
                Err(e) => (Vec::new(), Some(e.to_string())),
            };
        distances.departures = departures;
        distances.departures_error = departures_error;
        comparisons.push(distances);
    }
    let features: Vec<serde_json::Value> = wp
        .lines
        .iter()
        .map(|l| {
            json!({
                "type": "Feature",
                "properties": {"length_m": l.length_m, "highest_m": l.highest.0, "highest_at": [l.highest.1 .0, l.highest.1 .1],
                               "lowest_m": l.lowest.0, "lowest_at": [l.lowest.1 .0, l.lowest.1 .1], "vertices": l.points.len()},
                "geometry": {"type": "LineString", "coordinates": l.points.iter().map(|&(la, lo)| [lo, la]).collect::<Vec<_>>()},
            })
        })
        .collect();
    let top = wp
        .lines
        .iter()
        .max_by(|x, y| x.highest.0.total_cmp(&y.highest.0));
    let summary = DivideSummary {
        cells_a: wp.cells.0,
        cells_b: wp.cells.1,
        outlets: wp.outlets.iter().map(|&(la, lo)| [la, lo]).collect(),
        lines: wp.lines.len(),
        length_m: wp.length_m(),
        highest_m: top.map(|l| l.highest.0),
        highest_at: top.map(|l| [l.highest.1 .0, l.highest.1 .1]),
        compared: comparisons,
        corridor_edge_share: None,
        voids: VoidsMet::default(),
        warnings: Vec::new(),
        places: Vec::new(),
        places_within_m: None,
    };
    Ok((
        summary,
        json!({"type": "FeatureCollection", "features": features}),
    ))
}

/// A traced line's distances to the claim line in `file`, sampled every
/// 50 m along the traced line (departures left for the caller), and the
/// claim line's pieces.
fn line_distances(
    input: &InputOptions,
    file: &Path,
    traced: &[Vec<(f64, f64)>],
) -> Result<(LineDistances, Vec<Vec<crate::shapes::LatLon>>), Failure> {
    let ds = read(file, input)?.dataset;
    let pieces = line_pieces(file, &ds)?;
    let (samples, median_m, p95_m, max_m) =
        terminus_terrain::divide::distances_to(traced, &pieces, 50.0)
            .map_err(|e| Failure::failed(e.to_string()))?;
    let distances = LineDistances {
        line: file.display().to_string(),
        samples,
        median_m,
        p95_m,
        max_m,
        departures: Vec::new(),
        departures_error: None,
    };
    Ok((distances, pieces))
}

/// The reach of a river whose thalweg is traced.
#[derive(Debug, Clone)]
pub enum Reach {
    /// Along a line as drawn (its ends are the reach's ends).
    Along(PathBuf),
    /// Between two points, (lat, lon) on WGS 84.
    Between((f64, f64), (f64, f64)),
}

/// What thalweg to trace.
#[derive(Debug, Clone)]
pub struct ThalwegRequest {
    /// The DEM.
    pub dem: PathBuf,
    /// CRS of a DEM that states none.
    pub dem_crs: Option<terminus_geodesy::Crs>,
    /// The reach.
    pub reach: Reach,
    /// Corridor half-width around the reach, metres.
    pub corridor: f64,
    /// Claim lines to measure it against.
    pub compare: Vec<PathBuf>,
    /// Voids of the DEM in the corridor: refuse (default) or fill first.
    pub voids: VoidPolicy,
    /// How to read the vector files.
    pub input: InputOptions,
}

/// A line traced on the DEM: its summary and GeoJSON.
pub struct Traced<S> {
    /// The summary (documented in docs/terrain.md).
    pub summary: S,
    /// The line as a GeoJSON FeatureCollection.
    pub geojson: serde_json::Value,
}

/// Shade `map` with the relief `sampler` gives (hillshade, Lambert's law
/// lit from the north-west at 45°) and say under it whether the DEM
/// reaches it.
pub(crate) fn shade(
    map: &mut terminus_cartography::Map,
    sampler: &terminus_demarcation::sampler::DemSampler,
    lang: crate::words::Lang,
) {
    let share = map.relief(|(lat, lon)| sampler.hillshade(lat, lon));
    map.note(if share > 0.0 {
        lang.words().relief_note
    } else {
        lang.words().relief_outside
    });
}

/// Read a DEM that maps are drawn over (their relief), checked and named
/// in `provenance` as `role` by its hash, before anything is computed —
/// one that cannot be read is refused first.
pub fn load_relief_dem(
    path: &Path,
    role: &str,
    provenance: &mut Provenance,
) -> Result<std::sync::Arc<Dem>, Failure> {
    let d = load_dem(path, None)?;
    provenance.file(role, path, "raster", Some(d.georef.crs.id()))?;
    Ok(std::sync::Arc::new(d))
}

/// Read a DEM (its CRS, or `crs` when it states none) and check its range.
pub fn load_dem(path: &Path, crs: Option<&terminus_geodesy::Crs>) -> Result<Dem, Failure> {
    crate::demarcate::load_dem(path, crs)
}

/// The thalweg of a reach: the least-cost line along the valley floor.
pub fn thalweg(req: &ThalwegRequest) -> Result<Traced<ThalwegSummary>, Failure> {
    use terminus_geodesy::measure::InverseGeodesic;
    let guide: Vec<Vec<(f64, f64)>> = match &req.reach {
        Reach::Along(p) => {
            let ds = read(p, &req.input)?.dataset;
            line_pieces(p, &ds)?
        }
        Reach::Between(f, t) => vec![vec![*f, *t]],
    };
    let ends = (
        guide[0][0],
        *guide.last().and_then(|p| p.last()).unwrap_or(&guide[0][0]),
    );
    let mut d = load_dem(&req.dem, req.dem_crs.as_ref())?;
    if req.voids == VoidPolicy::Outlet {
        return Err(Failure::usage(
            "--voids outlet lets water drain into voids; a thalweg is refused over them or they are filled: --voids refuse|fill",
        ));
    }
    let road = dem_road(&d, &req.dem, req.input.op)?;
    let from_f = |lat: f64, lon: f64| {
        road.from_wgs84(LatLon::new(lat, lon))
            .ok()
            .map(|p| (p.x, p.y))
    };
    let within = corridor_cells(&d, &guide, req.corridor, &from_f);
    let voids = handle_voids(&mut d, &req.dem, req.voids, within, "thalweg")?;
    let to_f = |x: f64, y: f64| road.to_wgs84(Xy::new(x, y)).ok().map(LatLon::tuple);
    let cell_of = |(lat, lon): (f64, f64), what: &str| -> Result<usize, Failure> {
        let Xy { x, y } = road
            .from_wgs84(LatLon::new(lat, lon))
            .map_err(|e| Failure::usage(format!("{what}: {e}")))?;
        d.georef
            .cell_at(x, y, d.width, d.height)
            .map(|(c, r)| r * d.width + c)
            .ok_or_else(|| {
                Failure::usage(format!(
                    "the thalweg's {what} ({lat:.5}°N, {lon:.5}°E) lies outside the DEM"
                ))
            })
    };
    let (from, to_cell) = (cell_of(ends.0, "start")?, cell_of(ends.1, "end")?);
    let mask = terminus_terrain::window::corridor_mask(&d, &guide, req.corridor, &to_f)
        .map_err(|e| Failure::failed(e.to_string()))?;
    let t = terminus_terrain::thalweg::thalweg(&d, from, to_cell, &mask)
        .map_err(|e| Failure::failed(e.to_string()))?;
    let pts: Vec<(f64, f64)> = t
        .cells
        .iter()
        .filter_map(|&i| {
            let (x, y) = d.georef.center(i % d.width, i / d.width);
            to_f(x, y)
        })
        .collect();
    let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let length: f64 = pts
        .windows(2)
        .map(|w| -> f64 { g.inverse(w[0].0, w[0].1, w[1].0, w[1].1) })
        .sum();
    let (hi, lo) = t
        .heights
        .iter()
        .fold((f32::MIN, f32::MAX), |(h, l), &z| (h.max(z), l.min(z)));
    let mut comparisons = Vec::new();
    for file in &req.compare {
        comparisons.push(line_distances(&req.input, file, std::slice::from_ref(&pts))?.0);
    }
    let fc = json!({"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "properties": {"length_m": length, "start_m": t.heights.first(), "end_m": t.heights.last(), "highest_m": hi, "lowest_m": lo, "cells": t.cells.len()},
        "geometry": {"type": "LineString", "coordinates": pts.iter().map(|&(la, lo)| [lo, la]).collect::<Vec<_>>()},
    }]});
    let summary = ThalwegSummary {
        length_m: length,
        start_m: t.heights.first().copied(),
        end_m: t.heights.last().copied(),
        highest_m: hi,
        lowest_m: lo,
        cells: t.cells.len(),
        compared: comparisons,
        voids,
    };
    Ok(Traced {
        summary,
        geojson: fc,
    })
}

/// A DEM clipped to a corridor around a line.
pub struct Corridor {
    /// The clipped DEM.
    pub dem: Dem,
    /// Cells within the distance of the line.
    pub kept: usize,
    /// The input road's notes (the line's transformation).
    pub notes: Vec<String>,
}

/// Clip `d` (read from `dem_path`) to `distance` metres around the line
/// in `line`, which may be in any CRS: the DEM goes through the line's own
/// transformation (or the one named), not one of its own.
pub fn corridor(
    d: &Dem,
    dem_path: &Path,
    line: &Path,
    distance: f64,
    input: &InputOptions,
) -> Result<Corridor, Failure> {
    let r = read(line, input)?;
    let pieces = line_pieces(line, &r.dataset)?;
    let op = match input.op {
        Some(op) => Some(op),
        None => r.road()?.and_then(|r| r.operation_code()),
    };
    let road = dem_road(d, dem_path, op)?;
    let to = |x: f64, y: f64| road.to_wgs84(Xy::new(x, y)).ok().map(LatLon::tuple);
    let from = |lat: f64, lon: f64| {
        road.from_wgs84(LatLon::new(lat, lon))
            .ok()
            .map(|p| (p.x, p.y))
    };
    let (c, kept) = terminus_terrain::window::corridor(d, &pieces, distance, &to, &from)
        .map_err(|e| Failure::failed(e.to_string()))?;
    Ok(Corridor {
        dem: c,
        kept,
        notes: r.notes(),
    })
}

/// A river's median line from its two bank lines: the equidistance engine
/// of `terminus median`, sampled every `spacing` metres.
pub fn bank_median(
    left: &Path,
    right: &Path,
    spacing: f64,
    input: &InputOptions,
) -> Result<Traced<BankMedianSummary>, Failure> {
    let bank = |p: &Path| -> Result<Vec<Vec<(f64, f64)>>, Failure> {
        let ds = read(p, input)?.dataset;
        line_pieces(p, &ds)
    };
    let (l, r) = (bank(left)?, bank(right)?);
    // The equidistance engine (terminus median), sampled every --spacing.
    let fail = |e: terminus_delimitation::DelimitationError| Failure::failed(e.to_string());
    let frame = terminus_compare::frame::Frame::around(
        terminus_geodesy::Ellipsoid::WGS84,
        l.iter().chain(&r).flatten(),
    )
    .map_err(|e| Failure::usage(e.to_string()))?;
    let sl = terminus_delimitation::Side::new("left bank", l, &frame).map_err(fail)?;
    let sr = terminus_delimitation::Side::new("right bank", r, &frame).map_err(fail)?;
    let options = terminus_delimitation::MedianOptions::default();
    let line = terminus_delimitation::median_line(&frame, &sl, &sr, &options).map_err(fail)?;
    let line = terminus_delimitation::densify_on_line(&frame, (&sl, &sr), &options, &line, spacing)
        .map_err(fail)?;
    let length = line.length_m;
    let worst = line
        .vertices
        .iter()
        .map(|v| (v.base_a[0].distance - v.base_b[0].distance).abs())
        .fold(0.0, f64::max);
    let m: Vec<(f64, f64)> = line.coords();
    let fc = json!({"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "properties": {"length_m": length, "points": m.len(), "turning_points": line.turning_points().count(), "max_inequality_m": worst},
        "geometry": {"type": "LineString", "coordinates": m.iter().map(|p| [p.1, p.0]).collect::<Vec<_>>()},
    }]});
    Ok(Traced {
        summary: BankMedianSummary {
            length_m: length,
            points: m.len(),
            turning_points: line.turning_points().count(),
            max_inequality_m: worst,
        },
        geojson: fc,
    })
}

/// How depressions are removed before D8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drainage {
    /// Plain fill, drainage over flats (Barnes et al. 2014).
    Flats,
    /// Fill with +ε.
    Epsilon,
    /// Least-cost channels (Lindsay 2016), filling the rest.
    Breach,
}

/// What the pipeline runs on.
#[derive(Debug, Clone)]
pub struct PipelineRequest {
    /// The DEM.
    pub dem: PathBuf,
    /// CRS of a DEM that states none.
    pub dem_crs: Option<terminus_geodesy::Crs>,
    /// How depressions are removed.
    pub drainage: Drainage,
    /// Slope metric for D8.
    pub metric: CellMetric,
    /// Voids (nodata inside the terrain): outlets (RichDEM's convention,
    /// the default), filled first, or refused.
    pub voids: VoidPolicy,
    /// Results folder.
    pub out: PathBuf,
    /// Replace existing outputs.
    pub overwrite: bool,
}

/// What the pipeline found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PipelineOutcome {
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Cells raised or lowered to drain.
    pub changed: usize,
    /// Edge basins.
    pub basins: usize,
    /// Largest accumulation, cells.
    pub largest_accumulation: u32,
    /// Seconds in memory (reading and writing excluded).
    pub compute_s: f64,
    /// The voids met and what was done with them.
    pub voids: VoidsMet,
}

/// Write a DEM as GeoTIFF (.tif) or ESRI ASCII grid (.asc); never over
/// an existing file unless `overwrite`.
pub fn save(path: &Path, dem: &Dem, overwrite: bool) -> Result<(), Failure> {
    if path.exists() && !overwrite {
        return Err(Failure::usage(format!("{} exists", path.display()))
            .hint("add --overwrite to replace it"));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
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
    r.map_err(|e| Failure::failed(e.to_string()))
}

/// Write a grid of values (flow directions, accumulation, labels) as a
/// GeoTIFF on `d`'s georeferencing.
pub fn write_u(
    path: &Path,
    d: &Dem,
    sample: SampleType,
    nodata: f64,
    v: &(dyn Fn(usize) -> f64 + Sync),
    overwrite: bool,
) -> Result<(), Failure> {
    if path.exists() && !overwrite {
        return Err(Failure::usage(format!("{} exists", path.display()))
            .hint("add --overwrite to replace it"));
    }
    let w = d.width;
    let value = |c: usize, r: usize| v(r * w + c);
    let grid = terminus_terrain::geotiff::Grid {
        width: d.width,
        height: d.height,
        georef: &d.georef,
        nodata: Some(nodata),
        sample,
        value: &value,
    };
    terminus_terrain::geotiff::write_grid(path, &grid).map_err(|e| Failure::failed(e.to_string()))
}

/// Interior cells with no lower neighbour (pits and flats) in a D8 grid.
pub fn unresolved(d: &Dem, dir: &[u8]) -> usize {
    let (w, h) = (d.width, d.height);
    (0..dir.len())
        .filter(|&i| {
            let (c, r) = (i % w, i / w);
            dir[i] == NO_FLOW && !d.data[i].is_nan() && c > 0 && r > 0 && c + 1 < w && r + 1 < h
        })
        .count()
}

/// Fill (or breach), D8 directions, accumulation and edge basins of a DEM,
/// each written into `req.out` as soon as it is made; provenance too.
pub fn pipeline(
    req: &PipelineRequest,
    mut provenance: Provenance,
    progress: &dyn Fn(&str),
) -> Result<PipelineOutcome, Failure> {
    // Each result is written as soon as it is made and its inputs dropped
    // when no longer needed, so memory peaks at about 7 bytes a cell
    // (heights 4, directions 1, validity 1, and then accumulation 4 with a
    // byte of donor counts, or basin labels 4) — not the sum of them all.
    std::fs::create_dir_all(&req.out)?;
    for f in [
        "filled.tif",
        "flowdir.tif",
        "accumulation.tif",
        "basins.tif",
    ] {
        let p = req.out.join(f);
        if p.exists() && !req.overwrite {
            return Err(Failure::usage(format!("{} exists", p.display()))
                .hint("add --overwrite to replace it"));
        }
    }
    let mut d = load_dem(&req.dem, req.dem_crs.as_ref())?;
    let d_crs = d.georef.crs.id();
    d.range()
        .map_err(|e| Failure::failed(format!("{}: {e}", req.dem.display())))?;
    let voids = handle_voids(&mut d, &req.dem, req.voids, None, "drainage")?;
    let big = d.width * d.height > 4_000_000;
    let mut compute = 0.0;
    let mut clock = std::time::Instant::now();
    let epsilon = req.drainage != Drainage::Flats;
    let _ = big;
    progress("removing depressions");
    let raised = if req.drainage == Drainage::Breach {
        let rep = terminus_terrain::breach::breach(&mut d, 100, 100.0);
        rep.cells_lowered + rep.cells_filled
    } else {
        terminus_terrain::fill(&mut d, NodataAs::Outlet, epsilon)
    };
    progress("D8 flow directions");
    let mut dir = d8(&d, req.metric);
    if !epsilon {
        progress("drainage over flats");
        terminus_terrain::flats::resolve_flats(&d, &mut dir);
    }
    let valid: Vec<bool> = d.data.iter().map(|v| !v.is_nan()).collect();
    compute += clock.elapsed().as_secs_f64();
    progress("writing filled.tif and flowdir.tif");
    if epsilon && d.sample.is_integer() {
        d.sample = SampleType::F32;
    }
    save(&req.out.join("filled.tif"), &d, true)?;
    let shape = Dem {
        data: Vec::new(),
        ..d
    };
    write_u(
        &req.out.join("flowdir.tif"),
        &shape,
        SampleType::U8,
        255.0,
        &|i| dir[i] as f64,
        true,
    )?;
    progress("accumulation");
    clock = std::time::Instant::now();
    let acc = accumulation(&dir, &valid, shape.width);
    compute += clock.elapsed().as_secs_f64();
    let largest = acc.iter().max().copied().unwrap_or(0);
    write_u(
        &req.out.join("accumulation.tif"),
        &shape,
        SampleType::U32,
        0.0,
        &|i| acc[i] as f64,
        true,
    )?;
    drop(acc);
    progress("basins");
    clock = std::time::Instant::now();
    let outlets = all_outlets(&dir, &valid);
    let labels = basins(&dir, &valid, shape.width, &outlets);
    compute += clock.elapsed().as_secs_f64();
    write_u(
        &req.out.join("basins.tif"),
        &shape,
        SampleType::U32,
        0.0,
        &|i| labels[i] as f64,
        true,
    )?;
    provenance.file("DEM", &req.dem, "raster", Some(d_crs))?;
    provenance.tolerance("drainage", format!("{:?}", req.drainage));
    provenance.tolerance("metric", format!("{:?}", req.metric));
    provenance.tolerance("voids", &voids.done);
    provenance.write(&req.out)?;
    Ok(PipelineOutcome {
        width: shape.width,
        height: shape.height,
        changed: raised,
        basins: outlets.len(),
        largest_accumulation: largest,
        compute_s: compute,
        voids,
    })
}

/// A stream network: segments with Strahler orders and geodesic lengths.
pub struct Streams {
    /// The network as a GeoJSON FeatureCollection.
    pub geojson: serde_json::Value,
    /// Segments.
    pub segments: usize,
    /// Their total length, metres.
    pub length_m: f64,
    /// Highest Strahler order.
    pub max_order: u32,
    /// The threshold used, cells.
    pub threshold: u32,
    /// The voids met and what was done with them.
    pub voids: VoidsMet,
}

/// The stream network of cells draining at least `threshold` cells (or
/// `min_area_km2`), after filling with +ε; the DEM's voids handled by
/// `voids` (as outlets, streams end in them; filled, they run across).
pub fn streams(
    dem: &Path,
    metric: CellMetric,
    threshold: Option<u32>,
    min_area_km2: Option<f64>,
    voids: VoidPolicy,
) -> Result<Streams, Failure> {
    use terminus_geodesy::measure::InverseGeodesic;
    let mut d = load_dem(dem, None)?;
    let voids = handle_voids(&mut d, dem, voids, None, "stream network")?;
    terminus_terrain::fill(&mut d, NodataAs::Outlet, true);
    let dir = d8(&d, metric);
    let valid: Vec<bool> = d.data.iter().map(|v| !v.is_nan()).collect();
    let acc = accumulation(&dir, &valid, d.width);
    let threshold: u32 = match (threshold, min_area_km2) {
        (Some(t), _) if t >= 1 => t,
        (None, Some(km2)) if km2 > 0.0 && km2.is_finite() => {
            let mean_cell: f64 =
                (0..d.height).map(|r| d.cell_size_m(r).2).sum::<f64>() / d.height as f64;
            ((km2 * 1e6 / mean_cell).ceil() as u32).max(1)
        }
        _ => {
            return Err(Failure::usage(
                "give --threshold CELLS (≥ 1) or --min-area KM2 (> 0)",
            ))
        }
    };
    let net = terminus_terrain::flow::streams(&dir, &acc, threshold, d.width);
    let road = dem_road(&d, dem, None)?;
    let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let mut total = 0.0;
    let features: Vec<serde_json::Value> = net
        .iter()
        .map(|s| {
            let pts: Vec<(f64, f64)> = s
                .cells
                .iter()
                .filter_map(|&i| {
                    let (x, y) = d.georef.center(i % d.width, i / d.width);
                    // (lon, lat), as the length below reads them.
                    road.to_wgs84(Xy::new(x, y)).ok().map(|p| (p.lon, p.lat))
                })
                .collect();
            let length: f64 = pts.windows(2).map(|w| -> f64 { g.inverse(w[0].1, w[0].0, w[1].1, w[1].0) }).sum();
            total += length;
            let last = *s.cells.last().unwrap_or(&s.cells[0]);
            json!({
                "type": "Feature",
                "properties": {"order": s.order, "length_m": length, "cells": s.cells.len(), "accumulation": acc[last]},
                "geometry": {"type": "LineString", "coordinates": pts.iter().map(|&(lon, lat)| [lon, lat]).collect::<Vec<_>>()},
            })
        })
        .collect();
    let max_order = net.iter().map(|s| s.order).max().unwrap_or(0);
    Ok(Streams {
        geojson: json!({"type": "FeatureCollection", "features": features}),
        segments: net.len(),
        length_m: total,
        max_order: max_order as u32,
        threshold,
        voids,
    })
}

/// What `terminus terrain info` says of a DEM (documented in docs/terrain.md):
/// size, sample type, CRS, cell size in degrees and metres, extent, voids,
/// height range, geodesic area of the valid cells.
pub fn describe_dem(path: &Path, d: &Dem) -> Result<DemDescription, Failure> {
    let g = &d.georef;
    let valid = d.valid_cells();
    let (lo, hi) = d
        .range()
        .map_err(|e| Failure::failed(format!("{}: {e}", path.display())))?;
    let mid = d.height / 2;
    let (cw, ch, _) = d.cell_size_m(mid);
    let area: f64 = (0..d.height)
        .map(|r| {
            let n = (0..d.width).filter(|&c| !d.get(c, r).is_nan()).count();
            n as f64 * d.cell_size_m(r).2
        })
        .sum();
    Ok(DemDescription {
        file: path.display().to_string(),
        width: d.width,
        height: d.height,
        cells: d.width * d.height,
        sample_type: format!("{:?}", d.sample),
        nodata: d.nodata,
        crs: g.crs.id(),
        pixel_is_point: g.pixel_is_point,
        cell_size: [g.dx, g.dy],
        cell_size_m_at_centre: [cw, ch],
        extent: Extent {
            west: g.x0,
            north: g.y0,
            east: g.x0 + d.width as f64 * g.dx,
            south: g.y0 - d.height as f64 * g.dy,
        },
        valid_cells: valid,
        voids: d.width * d.height - valid,
        min: lo,
        max: hi,
        area_m2: area,
    })
}

/// Pour points from a vector file as (cell, label) on `d`: each must lie
/// on a valid cell of the DEM.
pub fn pour_points(
    d: &Dem,
    dem_path: &Path,
    p: &Path,
    input: &InputOptions,
) -> Result<Vec<(usize, u32)>, Failure> {
    let ds = read(p, input)?.dataset;
    let road = dem_road(d, dem_path, input.op)?;
    let mut out = Vec::new();
    let points = ds
        .layers
        .iter()
        .flat_map(|l| &l.features)
        .filter_map(|ft| match &ft.geometry {
            Some(terminus_vector::Geometry::Point(c)) => Some((c.y, c.x)),
            _ => None,
        });
    for (k, (lat, lon)) in points.enumerate() {
        let Xy { x, y } = road
            .from_wgs84(LatLon::new(lat, lon))
            .map_err(|e| Failure::usage(format!("pour point {}: {e}", k + 1)))?;
        let (c, r) = d.georef.cell_at(x, y, d.width, d.height).ok_or_else(|| {
            Failure::usage(format!(
                "{}: pour point {} ({lat:.5}°N, {lon:.5}°E) lies outside the DEM",
                p.display(),
                k + 1
            ))
        })?;
        if d.get(c, r).is_nan() {
            return Err(Failure::usage(format!(
                "{}: pour point {} ({lat:.5}°N, {lon:.5}°E) is on a void",
                p.display(),
                k + 1
            )));
        }
        out.push((r * d.width + c, k as u32 + 1));
    }
    if out.is_empty() {
        return Err(Failure::usage(format!("{}: no points", p.display())));
    }
    Ok(out)
}

/// D8 or D∞ flow directions of a DEM, or their accumulation, written as a
/// GeoTIFF to `out`: a sentence of what was found (the largest
/// accumulation; interior cells that do not drain, with the remedy).
pub fn flow(
    d: &Dem,
    dinf: bool,
    metric: CellMetric,
    accumulate: bool,
    out: &Path,
    overwrite: bool,
) -> Result<Vec<String>, Failure> {
    let mut said = Vec::new();
    if dinf {
        let angles = terminus_terrain::dinf::dinf(d, metric);
        if accumulate {
            let valid: Vec<bool> = d.data.iter().map(|v| !v.is_nan()).collect();
            let acc = terminus_terrain::dinf::accumulation(&angles, &valid, d.width);
            let max = acc.iter().copied().fold(0.0, f64::max);
            said.push(format!("largest D∞ accumulation: {max:.1} cells"));
            write_u(out, d, SampleType::F32, -1.0, &|i| acc[i], overwrite)?;
        } else {
            write_u(
                out,
                d,
                SampleType::F32,
                -1.0,
                &|i| angles[i] as f64,
                overwrite,
            )?;
        }
        return Ok(said);
    }
    let dir = d8(d, metric);
    let stuck = unresolved(d, &dir);
    if stuck > 0 {
        said.push(format!("note: {stuck} interior cells have no lower neighbour (pits or flats): fill the DEM first (terminus terrain fill --epsilon)"));
    }
    if accumulate {
        let valid: Vec<bool> = d.data.iter().map(|v| !v.is_nan()).collect();
        let acc = accumulation(&dir, &valid, d.width);
        let max = acc.iter().max().copied().unwrap_or(0);
        said.push(format!("largest accumulation: {max} cells"));
        write_u(out, d, SampleType::U32, 0.0, &|i| acc[i] as f64, overwrite)?;
    } else {
        write_u(out, d, SampleType::U8, 255.0, &|i| dir[i] as f64, overwrite)?;
    }
    Ok(said)
}

/// A traced line (divide, thalweg) measured against a claim line, sampled
/// every 50 m along the traced line (docs/terrain.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineDistances {
    /// The claim line's file.
    pub line: String,
    /// Samples taken.
    pub samples: usize,
    /// Median geodesic distance to the claim line, metres.
    pub median_m: f64,
    /// 95th percentile, metres.
    pub p95_m: f64,
    /// Largest, metres.
    pub max_m: f64,
    /// Where the traced line departs from the claim line: the comparison
    /// engine's polygons between them, the five largest (divides only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departures: Vec<Departure>,
    /// Why the departures could not be found, when they could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departures_error: Option<String>,
}

/// A polygon between a traced line and a claim line wider than the
/// comparison's tolerance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Departure {
    /// Geodesic area, m².
    pub area_m2: f64,
    /// Widest distance across, metres.
    pub max_width_m: f64,
    /// Where it is widest, `[lat, lon]`.
    pub widest_at: [f64; 2],
    /// A point inside it, `[lat, lon]`.
    pub inside_at: [f64; 2],
}

/// What `terrain divide` found (its `--json`; docs/terrain.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DivideSummary {
    /// Cells draining to side A.
    pub cells_a: usize,
    /// Cells draining to side B.
    pub cells_b: usize,
    /// The outlets of the drainage areas, `[lat, lon]`.
    pub outlets: Vec<[f64; 2]>,
    /// How many lines the divide is.
    pub lines: usize,
    /// Their geodesic length, metres.
    pub length_m: f64,
    /// The divide's highest point, metres (none when it is empty).
    pub highest_m: Option<f32>,
    /// Where, `[lat, lon]`.
    pub highest_at: Option<[f64; 2]>,
    /// Against each claim line given with `--compare`.
    pub compared: Vec<LineDistances>,
    /// With `--along`: the share of the divide's length within one cell of
    /// the corridor's edge (where no crest lies inside the corridor),
    /// leaving out the corridor's caps round the line's ends, where every
    /// divide runs out to the edge.
    pub corridor_edge_share: Option<f64>,
    /// The voids met where the divide was sought, and what was done.
    pub voids: VoidsMet,
    /// What a geodesist must see: the corridor's edge followed, voids
    /// drained into.
    pub warnings: Vec<String>,
    /// The places within `places_within_m` of the divide (`--places`), by
    /// line and along it; none without `--places`. (Written, not read
    /// back: a summary read from JSON has none.)
    #[serde(default, skip_deserializing)]
    pub places: Vec<crate::places::NearPlace>,
    /// How near the divide a place is listed, metres (with `--places`).
    pub places_within_m: Option<f64>,
}

/// What `terrain thalweg` found (its `--json`; docs/terrain.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThalwegSummary {
    /// Geodesic length, metres.
    pub length_m: f64,
    /// Height at the start, metres.
    pub start_m: Option<f32>,
    /// Height at the end, metres.
    pub end_m: Option<f32>,
    /// Highest cell on the path, metres.
    pub highest_m: f32,
    /// Lowest cell on the path, metres.
    pub lowest_m: f32,
    /// Cells on the path.
    pub cells: usize,
    /// Against each claim line given with `--compare`.
    pub compared: Vec<LineDistances>,
    /// The voids met in the corridor's box and what was done.
    pub voids: VoidsMet,
}

/// What `terrain median` found (docs/terrain.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankMedianSummary {
    /// Geodesic length, metres.
    pub length_m: f64,
    /// Points of the line as written.
    pub points: usize,
    /// Turning points (where a base point changes).
    pub turning_points: usize,
    /// Largest difference between the distances to the two banks over all
    /// points, metres (0 for an exact median).
    pub max_inequality_m: f64,
}

/// A DEM described (`terrain info --json`; docs/terrain.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemDescription {
    /// The file.
    pub file: String,
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Columns × rows.
    pub cells: usize,
    /// The source's sample type (`I16`, `F32` …).
    pub sample_type: String,
    /// The no-data value the file declares.
    pub nodata: Option<f64>,
    /// The DEM's CRS.
    pub crs: String,
    /// Whether samples sit on grid points (GeoTIFF's PixelIsPoint).
    pub pixel_is_point: bool,
    /// Cell size in the CRS's units, `[x, y]`.
    pub cell_size: [f64; 2],
    /// Ground cell size at the middle row, metres, `[east–west, north–south]`.
    pub cell_size_m_at_centre: [f64; 2],
    /// The outer edges in the CRS's units.
    pub extent: Extent,
    /// Cells with a height.
    pub valid_cells: usize,
    /// Cells without (voids).
    pub voids: usize,
    /// Lowest height, metres.
    pub min: f32,
    /// Highest height, metres.
    pub max: f32,
    /// Geodesic area of the valid cells on the ellipsoid, m².
    pub area_m2: f64,
}

/// A raster's outer edges in its CRS's units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Extent {
    /// West edge.
    pub west: f64,
    /// North edge.
    pub north: f64,
    /// East edge.
    pub east: f64,
    /// South edge.
    pub south: f64,
}

/// What `terrain fill-voids` fills.
#[derive(Debug, Clone)]
pub struct FillVoidsRequest {
    /// The DEM.
    pub dem: PathBuf,
    /// CRS of a DEM that states none.
    pub dem_crs: Option<terminus_geodesy::Crs>,
    /// The filled DEM to write (.tif or .asc).
    pub out: PathBuf,
    /// Replace existing outputs.
    pub overwrite: bool,
}

/// One void filled (docs/terrain.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilledVoidSummary {
    /// Cells filled.
    pub cells: usize,
    /// Its centre, `[lat, lon]` on WGS 84 (none when the DEM's CRS cannot
    /// be moved there).
    pub centre: Option<[f64; 2]>,
    /// First column, first row, last column, last row.
    pub bounds: [usize; 4],
    /// Valid cells around it, whose heights it was filled from.
    pub edge_cells: usize,
    /// The lowest and highest of them, metres.
    pub edge_range_m: [f64; 2],
    /// The lowest value filled in, metres.
    pub lowest_m: f64,
    /// The highest value filled in, metres.
    pub highest_m: f64,
    /// Conjugate-gradient iterations.
    pub iterations: usize,
}

/// What `terrain fill-voids` did (its `--json`, and the record written
/// beside the filled DEM as `OUT.voids.json`; docs/terrain.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VoidFillSummary {
    /// The DEM read.
    pub file: String,
    /// The filled DEM written.
    pub out: String,
    /// `laplace`: harmonic interpolation from each void's edge.
    pub method: &'static str,
    /// Cells filled in all.
    pub cells_filled: usize,
    /// The sample type written (Float32 when the source was integer, so
    /// the interpolated heights are not rounded).
    pub sample_type: String,
    /// Every void, largest first.
    pub voids: Vec<FilledVoidSummary>,
}

/// Fill a DEM's voids by Laplace interpolation from their edges
/// (`terminus_terrain::voids`), write the filled DEM and, beside it, the
/// record of what was filled (`OUT.voids.json`).
pub fn fill_voids(req: &FillVoidsRequest) -> Result<VoidFillSummary, Failure> {
    let record = PathBuf::from(format!("{}.voids.json", req.out.display()));
    for p in [&req.out, &record] {
        if p.exists() && !req.overwrite {
            return Err(Failure::usage(format!("{} exists", p.display()))
                .hint("add --overwrite to replace it"));
        }
    }
    let mut d = load_dem(&req.dem, req.dem_crs.as_ref())?;
    let filled = terminus_terrain::voids::fill_voids(&mut d)
        .map_err(|e| Failure::failed(format!("{}: {e}", req.dem.display())))?;
    if d.sample.is_integer() && filled.cells > 0 {
        d.sample = SampleType::F32;
    }
    let road = dem_road(&d, &req.dem, None).ok();
    let voids = filled
        .voids
        .iter()
        .map(|v| {
            let [c0, r0, c1, r1] = v.bounds;
            let (x, y) = (
                d.georef.x0 + (c0 + c1 + 1) as f64 / 2.0 * d.georef.dx,
                d.georef.y0 - (r0 + r1 + 1) as f64 / 2.0 * d.georef.dy,
            );
            let centre = road
                .as_ref()
                .and_then(|r| r.to_wgs84(Xy::new(x, y)).ok())
                .map(|p| [p.lat, p.lon]);
            FilledVoidSummary {
                cells: v.cells,
                centre,
                bounds: v.bounds,
                edge_cells: v.edge_cells,
                edge_range_m: v.edge_range_m,
                lowest_m: v.lowest_m,
                highest_m: v.highest_m,
                iterations: v.iterations,
            }
        })
        .collect();
    save(&req.out, &d, req.overwrite)?;
    let summary = VoidFillSummary {
        file: req.dem.display().to_string(),
        out: req.out.display().to_string(),
        method: filled.method,
        cells_filled: filled.cells,
        sample_type: format!("{:?}", d.sample),
        voids,
    };
    crate::output::write_text(
        &record,
        &serde_json::to_string_pretty(&summary).unwrap_or_default(),
        req.overwrite,
    )?;
    Ok(summary)
}
