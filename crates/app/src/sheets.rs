//! The Soviet topographic map sheets a line crosses, at any scale: the
//! line read through the input road in whatever CRS it comes, taken to
//! Pulkovo 1942 through one named transformation (the line's own when it
//! came through one), densified every 100 m on the Krassowsky ellipsoid.

use crate::failure::Failure;
use crate::input::InputOptions;
use std::path::Path;
use terminus_geodesy::geodesic::densify::densify_by_spacing;
use terminus_geodesy::nomenclature::{sheets_along, Scale, Sheet};
use terminus_geodesy::{Crs, Ellipsoid, LatLon, Xy};

/// The sheets along a line, the transformation used, and the input road's notes.
pub struct SheetsAlong {
    /// The sheets, in the order the line meets them.
    pub sheets: Vec<Sheet>,
    /// The WGS 84 → Pulkovo 1942 transformation (EPSG code).
    pub op: Option<u32>,
    /// The input road's notes.
    pub notes: Vec<String>,
}

/// The sheets of scale `sc` the line in `along` crosses.
pub fn sheets(along: &Path, sc: Scale, input: &InputOptions) -> Result<SheetsAlong, Failure> {
    // Onto WGS 84 through the input road (whatever the line's CRS: UTM,
    // Gauss–Krüger, SK-42), then to Pulkovo 1942 through one named
    // transformation: the line's own when it came through one.
    let read = crate::input::read(along, input)?;
    let op = match read.road()?.and_then(|r| r.operation_code()) {
        Some(code) => Some(code),
        None => input.op,
    };
    let ds = &read.dataset;
    let first = ds
        .layers
        .iter()
        .flat_map(|l| &l.features)
        .filter_map(|f| f.geometry.as_ref())
        .flat_map(|g| g.coords())
        .next()
        .map(|c| terminus_geodesy::LatLon::new(c.y, c.x));
    let pulkovo = crate::Road::new(&Crs::Epsg(4284), op, first)?;
    let used_op = pulkovo.operation_code();
    let notes = read.notes();
    // The layers are on WGS 84 (x = longitude); the sheets are cut on
    // Pulkovo 1942.
    let to_pulkovo = |c: &terminus_vector::Coord| -> Result<LatLon, Failure> {
        pulkovo
            .from_wgs84(c.to_xy().latlon())
            .map(|p| p.latlon())
            .map_err(|e| Failure::failed(e.to_string()))
    };
    let g = Ellipsoid::KRASSOWSKY_1940.geodesic();
    let mut all: Vec<Sheet> = Vec::new();
    for layer in &ds.layers {
        for f in &layer.features {
            let Some(geom) = &f.geometry else { continue };
            let mut parts: Vec<&[terminus_vector::Coord]> = geom.paths();
            for p in geom.polygons() {
                parts.extend(p.rings.iter().map(Vec::as_slice));
            }
            if let terminus_vector::Geometry::Point(c) = geom {
                parts.push(std::slice::from_ref(c));
            }
            for part in parts {
                let pts: Vec<LatLon> = part.iter().map(to_pulkovo).collect::<Result<_, _>>()?;
                let mut dense = vec![];
                if pts.len() == 1 {
                    dense.push(pts[0]);
                }
                for w in pts.windows(2) {
                    let seg = densify_by_spacing(&g, w[0], w[1], 100.0)
                        .map_err(|e| Failure::failed(e.to_string()))?;
                    if !dense.is_empty() {
                        dense.pop();
                    }
                    dense.extend(seg);
                }
                for s in sheets_along(&dense, sc).map_err(|e| Failure::usage(e.to_string()))? {
                    if all.iter().all(|x| x.id != s.id) {
                        all.push(s);
                    }
                }
            }
        }
    }
    Ok(SheetsAlong {
        sheets: all,
        op: used_op,
        notes,
    })
}

/// A sheet's outline on WGS 84 (8 points per edge, its edges being
/// parallels and meridians of Pulkovo 1942), through `op` or EPSG's most
/// accurate at the sheet's centre: the EPSG code used and the ring as
/// [longitude, latitude].
pub fn outline_wgs84(s: &Sheet, op: Option<u32>) -> Result<(u32, Vec<[f64; 2]>), Failure> {
    let t = terminus_geodesy::crs::transform::CrsTransform::new(
        &Crs::Epsg(4284),
        &Crs::WGS84,
        op,
        Some(terminus_geodesy::LatLon::new(
            (s.south + s.north) / 2.0,
            (s.west + s.east) / 2.0,
        )),
    )
    .map_err(|e| Failure::failed(e.to_string()))?;
    let code = t.operation().map(|o| o.code).unwrap_or(0);
    // Sheet edges are parallels and meridians: 8 points per edge.
    let mut ring = Vec::new();
    let corners = [
        (s.south, s.west),
        (s.south, s.east),
        (s.north, s.east),
        (s.north, s.west),
        (s.south, s.west),
    ];
    for w in corners.windows(2) {
        for k in 0..8 {
            let f = k as f64 / 8.0;
            let (lat, lon) = (
                w[0].0 + f * (w[1].0 - w[0].0),
                w[0].1 + f * (w[1].1 - w[0].1),
            );
            let p = t
                .apply(Xy::from_latlon(LatLon::new(lat, lon)))
                .map_err(|e| Failure::failed(e.to_string()))?;
            ring.push([p.x, p.y]);
        }
    }
    ring.push(ring[0]);
    Ok((code, ring))
}

/// Where a sheet is looked up: by its id, or at a position.
#[derive(Debug, Clone)]
pub enum SheetQuery {
    /// A sheet id, e.g. "K-38-128-А" (Cyrillic or Latin letters).
    Id(String),
    /// The sheet at `scale` containing a position.
    At {
        /// The position.
        at: LatLon,
        /// Whether `at` is on WGS 84 (moved to Pulkovo 1942 first through
        /// the named or chosen transformation) rather than Pulkovo 1942.
        wgs84: bool,
        /// The scale.
        scale: Scale,
    },
}

/// The scale denominators there are sheets for, as a user gives them.
pub fn scale(denominator: u32) -> Result<Scale, Failure> {
    Scale::from_denominator(denominator).ok_or_else(|| {
        Failure::usage(format!(
            "--scale {denominator}: one of 1000000, 500000, 200000, 100000, 50000, 25000, 10000"
        ))
    })
}

/// A sheet's bounds, as `--json` gives them (degrees of Pulkovo 1942).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SheetBounds {
    /// Nomenclature.
    pub id: String,
    /// Southern edge, degrees.
    pub south: f64,
    /// Northern edge, degrees.
    pub north: f64,
    /// Western edge, degrees.
    pub west: f64,
    /// Eastern edge, degrees.
    pub east: f64,
}

impl From<&Sheet> for SheetBounds {
    fn from(s: &Sheet) -> SheetBounds {
        SheetBounds {
            id: s.id.clone(),
            south: s.south,
            north: s.north,
            west: s.west,
            east: s.east,
        }
    }
}

/// The sheet's outline on WGS 84 and the transformation it went through.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WgsOutline {
    /// "EPSG:CODE" of the Pulkovo 1942 → WGS 84 transformation.
    pub op: String,
    /// A GeoJSON polygon, [longitude, latitude].
    pub polygon: GeoJsonPolygon,
}

/// A GeoJSON polygon geometry (RFC 7946 §3.1.6).
#[derive(Debug, Clone, serde::Serialize)]
pub struct GeoJsonPolygon {
    /// Always "Polygon".
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The rings, [longitude, latitude].
    pub coordinates: Vec<Vec<[f64; 2]>>,
}

/// What `terminus sheet --json` prints (docs/sheets.md).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SheetSummary {
    /// Nomenclature.
    pub id: String,
    /// Scale denominator.
    pub scale: u32,
    /// Southern edge, degrees of Pulkovo 1942.
    pub south: f64,
    /// Northern edge.
    pub north: f64,
    /// Western edge.
    pub west: f64,
    /// Eastern edge.
    pub east: f64,
    /// Always "EPSG:4284": the bounds are Pulkovo 1942, as printed on the maps.
    pub crs: &'static str,
    /// The outline on WGS 84.
    pub wgs84: WgsOutline,
    /// The WGS 84 → Pulkovo 1942 transformation a WGS 84 `--at` went
    /// through ("EPSG:CODE"), when it was one.
    pub at_op: Option<String>,
}

/// Look a sheet up by id or position, with its WGS 84 outline through `op`
/// (or EPSG's most accurate at the sheet).
pub fn sheet(query: &SheetQuery, op: Option<u32>) -> Result<SheetSummary, Failure> {
    let (sheet, at_op) = match query {
        SheetQuery::Id(id) => (
            terminus_geodesy::nomenclature::parse(id).map_err(|e| Failure::usage(e.to_string()))?,
            None,
        ),
        SheetQuery::At { at, wgs84, scale } => {
            if !at.is_valid() {
                return Err(Failure::usage(format!(
                    "--at {},{}: latitude must be within ±90° (swapped?)",
                    at.lat, at.lon
                )));
            }
            let (pulkovo, at_op) = if *wgs84 {
                let road = crate::Road::new(&Crs::Epsg(4284), op, Some(*at))?;
                let p = road
                    .from_wgs84(*at)
                    .map_err(|e| Failure::usage(e.to_string()))?
                    .latlon();
                (p, road.operation_code().map(|c| format!("EPSG:{c}")))
            } else {
                (*at, None)
            };
            (
                terminus_geodesy::nomenclature::sheet_at(pulkovo, *scale)
                    .map_err(|e| Failure::usage(e.to_string()))?,
                at_op,
            )
        }
    };
    let (code, ring) = outline_wgs84(&sheet, op)?;
    Ok(SheetSummary {
        id: sheet.id.clone(),
        scale: sheet.scale.denominator(),
        south: sheet.south,
        north: sheet.north,
        west: sheet.west,
        east: sheet.east,
        crs: "EPSG:4284",
        wgs84: WgsOutline {
            op: format!("EPSG:{code}"),
            polygon: GeoJsonPolygon {
                kind: "Polygon",
                coordinates: vec![ring],
            },
        },
        at_op,
    })
}

/// What `terminus sheets --json` prints (docs/sheets.md).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SheetsSummary {
    /// Scale denominator.
    pub scale: u32,
    /// "EPSG:CODE" of the WGS 84 → Pulkovo 1942 transformation.
    pub op: Option<String>,
    /// The sheets, in the order the line meets them.
    pub sheets: Vec<SheetBounds>,
    /// The input road's notes.
    pub notes: Vec<String>,
}

impl SheetsAlong {
    /// Its `--json` summary.
    pub fn summary(&self, scale: Scale) -> SheetsSummary {
        SheetsSummary {
            scale: scale.denominator(),
            op: self.op.map(|c| format!("EPSG:{c}")),
            sheets: self.sheets.iter().map(SheetBounds::from).collect(),
            notes: self.notes.clone(),
        }
    }
}
