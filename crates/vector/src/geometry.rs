//! OGC simple-feature geometries with optional Z.
//!
//! Coordinates are `x` = easting or longitude, `y` = northing or latitude
//! (see `terminus_geodesy::crs` on axis order). Rings are stored closed, as
//! read: Terminus never silently closes, reorders or reorients them; the
//! validator reports what is wrong instead.

use serde::{Deserialize, Serialize};

/// A position. `z` is the height where the source carried one.
///
/// Serialises as a GeoJSON position, `[x, y]` or `[x, y, z]`, so that
/// geometries in Terminus' JSON read like GeoJSON geometries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coord {
    /// Easting or longitude.
    pub x: f64,
    /// Northing or latitude.
    pub y: f64,
    /// Height, when present.
    pub z: Option<f64>,
}

impl Serialize for Coord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.z {
            Some(z) => [self.x, self.y, z].serialize(s),
            None => [self.x, self.y].serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Coord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Coord, D::Error> {
        let v: Vec<f64> = Vec::deserialize(d)?;
        match v.as_slice() {
            [x, y] => Ok(Coord::xy(*x, *y)),
            [x, y, z, ..] => Ok(Coord::xyz(*x, *y, *z)),
            _ => Err(serde::de::Error::custom(format!(
                "a position needs 2 or 3 numbers, found {}",
                v.len()
            ))),
        }
    }
}

impl Coord {
    /// A 2D position.
    pub const fn xy(x: f64, y: f64) -> Coord {
        Coord { x, y, z: None }
    }
    /// A 3D position.
    pub const fn xyz(x: f64, y: f64, z: f64) -> Coord {
        Coord { x, y, z: Some(z) }
    }
    /// Its x and y as geodesy's [`Xy`](terminus_geodesy::Xy) (what a
    /// `CrsTransform` takes: x east, y north, in the layer's CRS).
    pub const fn to_xy(&self) -> terminus_geodesy::Xy {
        terminus_geodesy::Xy::new(self.x, self.y)
    }
    /// Same x and y (z ignored).
    pub fn same_xy(&self, other: &Coord) -> bool {
        self.x == other.x && self.y == other.y
    }
}

/// A polygon: the exterior ring first, then the holes. Each ring is closed
/// (first vertex repeated last) when the source was valid.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Polygon {
    /// Exterior ring, then interior rings (holes).
    pub rings: Vec<Vec<Coord>>,
}

impl Polygon {
    /// A polygon from its rings.
    pub fn new(rings: Vec<Vec<Coord>>) -> Polygon {
        Polygon { rings }
    }
    /// The exterior ring, if any.
    pub fn exterior(&self) -> Option<&[Coord]> {
        self.rings.first().map(Vec::as_slice)
    }
    /// The holes.
    pub fn holes(&self) -> &[Vec<Coord>] {
        self.rings.get(1..).unwrap_or(&[])
    }
}

/// A geometry of any simple-feature type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "coordinates")]
pub enum Geometry {
    /// One position.
    Point(Coord),
    /// A path of two or more positions.
    LineString(Vec<Coord>),
    /// An area with holes.
    Polygon(Polygon),
    /// Several positions.
    MultiPoint(Vec<Coord>),
    /// Several paths.
    MultiLineString(Vec<Vec<Coord>>),
    /// Several areas: a country with exclaves, islands.
    MultiPolygon(Vec<Polygon>),
    /// A mixture.
    GeometryCollection(Vec<Geometry>),
}

/// The simple-feature type of a geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GeometryType {
    /// Point.
    Point,
    /// LineString.
    LineString,
    /// Polygon.
    Polygon,
    /// MultiPoint.
    MultiPoint,
    /// MultiLineString.
    MultiLineString,
    /// MultiPolygon.
    MultiPolygon,
    /// GeometryCollection.
    GeometryCollection,
}

impl GeometryType {
    /// The OGC name, e.g. `MultiPolygon`.
    pub fn name(self) -> &'static str {
        match self {
            GeometryType::Point => "Point",
            GeometryType::LineString => "LineString",
            GeometryType::Polygon => "Polygon",
            GeometryType::MultiPoint => "MultiPoint",
            GeometryType::MultiLineString => "MultiLineString",
            GeometryType::MultiPolygon => "MultiPolygon",
            GeometryType::GeometryCollection => "GeometryCollection",
        }
    }
    /// The ISO WKB / GeoPackage type code (without the Z offset).
    pub fn wkb_code(self) -> u32 {
        match self {
            GeometryType::Point => 1,
            GeometryType::LineString => 2,
            GeometryType::Polygon => 3,
            GeometryType::MultiPoint => 4,
            GeometryType::MultiLineString => 5,
            GeometryType::MultiPolygon => 6,
            GeometryType::GeometryCollection => 7,
        }
    }
    /// The single-part type of a multi type (Point for MultiPoint …).
    pub fn single(self) -> GeometryType {
        match self {
            GeometryType::MultiPoint => GeometryType::Point,
            GeometryType::MultiLineString => GeometryType::LineString,
            GeometryType::MultiPolygon => GeometryType::Polygon,
            t => t,
        }
    }
}

impl std::fmt::Display for GeometryType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An axis-aligned bounding box in the layer's CRS.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bbox {
    /// Minimum x.
    pub min_x: f64,
    /// Minimum y.
    pub min_y: f64,
    /// Maximum x.
    pub max_x: f64,
    /// Maximum y.
    pub max_y: f64,
}

impl Bbox {
    /// The box of one position.
    pub fn of(c: &Coord) -> Bbox {
        Bbox {
            min_x: c.x,
            min_y: c.y,
            max_x: c.x,
            max_y: c.y,
        }
    }
    /// Grow to include `c`.
    pub fn expand(&mut self, c: &Coord) {
        self.min_x = self.min_x.min(c.x);
        self.min_y = self.min_y.min(c.y);
        self.max_x = self.max_x.max(c.x);
        self.max_y = self.max_y.max(c.y);
    }
    /// Grow to include another box.
    pub fn union(&mut self, o: &Bbox) {
        self.min_x = self.min_x.min(o.min_x);
        self.min_y = self.min_y.min(o.min_y);
        self.max_x = self.max_x.max(o.max_x);
        self.max_y = self.max_y.max(o.max_y);
    }
    /// Whether the two boxes share any point.
    pub fn intersects(&self, o: &Bbox) -> bool {
        self.min_x <= o.max_x
            && o.min_x <= self.max_x
            && self.min_y <= o.max_y
            && o.min_y <= self.max_y
    }
    /// The box with x and y exchanged.
    pub fn transposed(&self) -> Bbox {
        Bbox {
            min_x: self.min_y,
            min_y: self.min_x,
            max_x: self.max_y,
            max_y: self.max_x,
        }
    }
    /// Centre.
    pub fn centre(&self) -> Coord {
        Coord::xy(
            (self.min_x + self.max_x) / 2.0,
            (self.min_y + self.max_y) / 2.0,
        )
    }
}

impl Geometry {
    /// The geometry's type.
    pub fn geometry_type(&self) -> GeometryType {
        match self {
            Geometry::Point(_) => GeometryType::Point,
            Geometry::LineString(_) => GeometryType::LineString,
            Geometry::Polygon(_) => GeometryType::Polygon,
            Geometry::MultiPoint(_) => GeometryType::MultiPoint,
            Geometry::MultiLineString(_) => GeometryType::MultiLineString,
            Geometry::MultiPolygon(_) => GeometryType::MultiPolygon,
            Geometry::GeometryCollection(_) => GeometryType::GeometryCollection,
        }
    }

    /// Every position, in storage order.
    pub fn coords(&self) -> Box<dyn Iterator<Item = &Coord> + '_> {
        match self {
            Geometry::Point(c) => Box::new(std::iter::once(c)),
            Geometry::LineString(p) | Geometry::MultiPoint(p) => Box::new(p.iter()),
            Geometry::Polygon(p) => Box::new(p.rings.iter().flatten()),
            Geometry::MultiLineString(ps) => Box::new(ps.iter().flatten()),
            Geometry::MultiPolygon(ps) => {
                Box::new(ps.iter().flat_map(|p| p.rings.iter().flatten()))
            }
            Geometry::GeometryCollection(gs) => Box::new(gs.iter().flat_map(|g| g.coords())),
        }
    }

    /// Apply `f` to every position.
    pub fn map_coords(&mut self, f: &mut dyn FnMut(&mut Coord)) {
        match self {
            Geometry::Point(c) => f(c),
            Geometry::LineString(p) | Geometry::MultiPoint(p) => p.iter_mut().for_each(f),
            Geometry::Polygon(p) => p.rings.iter_mut().flatten().for_each(f),
            Geometry::MultiLineString(ps) => ps.iter_mut().flatten().for_each(f),
            Geometry::MultiPolygon(ps) => ps
                .iter_mut()
                .flat_map(|p| p.rings.iter_mut().flatten())
                .for_each(f),
            Geometry::GeometryCollection(gs) => gs.iter_mut().for_each(|g| g.map_coords(f)),
        }
    }

    /// Number of stored positions (closing vertices of rings included, as
    /// GDAL's `ogrinfo` counts them).
    pub fn vertex_count(&self) -> usize {
        match self {
            Geometry::Point(_) => 1,
            Geometry::LineString(p) | Geometry::MultiPoint(p) => p.len(),
            Geometry::Polygon(p) => p.rings.iter().map(Vec::len).sum(),
            Geometry::MultiLineString(ps) => ps.iter().map(Vec::len).sum(),
            Geometry::MultiPolygon(ps) => ps.iter().flat_map(|p| &p.rings).map(Vec::len).sum(),
            Geometry::GeometryCollection(gs) => gs.iter().map(Geometry::vertex_count).sum(),
        }
    }

    /// True when the geometry has no positions at all.
    pub fn is_empty(&self) -> bool {
        self.coords().next().is_none()
    }

    /// True when any position carries a height.
    pub fn has_z(&self) -> bool {
        let mut z = false;
        self.for_each_run(&mut |_, run| {
            z = z || run.iter().any(|c| c.z.is_some());
        });
        z
    }

    /// Bounding box, or `None` for an empty geometry. (A tight loop over
    /// each run of positions: every GeoPackage feature written needs one.)
    pub fn bbox(&self) -> Option<Bbox> {
        let mut b: Option<Bbox> = None;
        self.for_each_run(&mut |_, run| {
            let Some(first) = run.first() else { return };
            let bb = b.get_or_insert_with(|| Bbox::of(first));
            for c in run {
                bb.expand(c);
            }
        });
        b
    }

    /// The polygons of a Polygon or MultiPolygon (and of collections).
    pub fn polygons(&self) -> Vec<&Polygon> {
        match self {
            Geometry::Polygon(p) => vec![p],
            Geometry::MultiPolygon(ps) => ps.iter().collect(),
            Geometry::GeometryCollection(gs) => gs.iter().flat_map(Geometry::polygons).collect(),
            _ => Vec::new(),
        }
    }

    /// Call `f` on every run of positions (a point, a line, a ring, the
    /// points of a multipoint) in order, with the index of its first
    /// position among all of the geometry's: a tight loop over slices
    /// where [`Geometry::coords`] pays a virtual call per position.
    pub fn for_each_run(&self, f: &mut dyn FnMut(usize, &[Coord])) {
        fn go(g: &Geometry, at: &mut usize, f: &mut dyn FnMut(usize, &[Coord])) {
            let mut run = |s: &[Coord], at: &mut usize| {
                f(*at, s);
                *at += s.len();
            };
            match g {
                Geometry::Point(c) => run(std::slice::from_ref(c), at),
                Geometry::LineString(p) | Geometry::MultiPoint(p) => run(p, at),
                Geometry::Polygon(p) => p.rings.iter().for_each(|r| run(r, at)),
                Geometry::MultiLineString(ps) => ps.iter().for_each(|p| run(p, at)),
                Geometry::MultiPolygon(ps) => {
                    ps.iter().flat_map(|p| &p.rings).for_each(|r| run(r, at))
                }
                Geometry::GeometryCollection(gs) => gs.iter().for_each(|g| go(g, at, f)),
            }
        }
        go(self, &mut 0, f);
    }

    /// The paths of a LineString or MultiLineString (and of collections).
    pub fn paths(&self) -> Vec<&[Coord]> {
        match self {
            Geometry::LineString(p) => vec![p.as_slice()],
            Geometry::MultiLineString(ps) => ps.iter().map(Vec::as_slice).collect(),
            Geometry::GeometryCollection(gs) => gs.iter().flat_map(Geometry::paths).collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_bbox() {
        let g = Geometry::MultiPolygon(vec![
            Polygon::new(vec![vec![
                Coord::xy(0.0, 0.0),
                Coord::xy(2.0, 0.0),
                Coord::xy(2.0, 1.0),
                Coord::xy(0.0, 0.0),
            ]]),
            Polygon::new(vec![vec![
                Coord::xy(5.0, 5.0),
                Coord::xy(6.0, 5.0),
                Coord::xy(6.0, 7.0),
                Coord::xy(5.0, 5.0),
            ]]),
        ]);
        assert_eq!(g.vertex_count(), 8);
        assert_eq!(
            g.bbox().unwrap(),
            Bbox {
                min_x: 0.0,
                min_y: 0.0,
                max_x: 6.0,
                max_y: 7.0
            }
        );
        assert!(!g.has_z());
        assert_eq!(g.polygons().len(), 2);
        assert!(Geometry::MultiPoint(vec![]).is_empty());
    }
}
