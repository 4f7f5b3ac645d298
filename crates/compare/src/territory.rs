//! Two parties' territories against each other: the ground both claim
//! (overlaps), the ground enclosed by both that neither claims (gaps), and
//! each territory's enclaves and exclaves.
//!
//! The overlay is `geo`'s `BooleanOps` (i_overlay) in the gnomonic frame,
//! where the polygons' geodesic edges are straight to well under a
//! millimetre; every area reported is the geodesic area of the result's
//! vertices brought back to the ellipsoid. A gap is a hole of the union
//! whose boundary runs along both territories (a lake inside one territory
//! is not a gap); slivers open to the outside are not enclosed and are not
//! reported as gaps.

use crate::frame::{Frame, Xy};
use crate::index::{IndexedSegment, SegmentIndex};
use crate::{CompareError, LatLon, Place, PolygonRings, Territory};
use geo::{BooleanOps, Coord, LineString, MultiPolygon, Polygon};
use serde::Serialize;
use terminus_geodesy::measure::{ring_perimeter_area_with, InverseGeodesic};
use terminus_plane::ring::{in_polygon, point_on_surface};

/// A territory in the frame, for point-in-territory questions.
pub(crate) struct PlaneTerritory {
    pub party: String,
    polygons: Vec<(Vec<Vec<Xy>>, [f64; 4])>,
}

impl PlaneTerritory {
    pub fn new(frame: &Frame, t: &Territory) -> Result<PlaneTerritory, CompareError> {
        let mut polygons = Vec::new();
        for (pi, poly) in t.polygons.iter().enumerate() {
            let mut rings = Vec::new();
            for (ri, r) in poly.iter().enumerate() {
                if r.len() < 4 {
                    return Err(CompareError::BadTerritory {
                        party: t.party.clone(),
                        problem: format!(
                            "polygon {pi}, ring {ri} has {} vertices; a ring needs four (closed)",
                            r.len()
                        ),
                    });
                }
                rings.push(frame.xys(r)?);
            }
            if rings.is_empty() {
                continue;
            }
            let bb = terminus_plane::ring::bbox(&rings[0]);
            polygons.push((rings, bb));
        }
        if polygons.is_empty() {
            return Err(CompareError::BadTerritory {
                party: t.party.clone(),
                problem: "no polygons (an empty geometry)".into(),
            });
        }
        Ok(PlaneTerritory {
            party: t.party.clone(),
            polygons,
        })
    }

    /// Whether the territory holds the point.
    pub fn contains(&self, p: Xy) -> bool {
        self.polygons.iter().any(|(rings, b)| {
            p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3] && in_polygon(p, rings)
        })
    }

    fn to_geo(&self) -> MultiPolygon<f64> {
        let ls = |r: &Vec<Xy>| {
            LineString::from(
                r.iter()
                    .map(|p| Coord { x: p[0], y: p[1] })
                    .collect::<Vec<_>>(),
            )
        };
        MultiPolygon(
            self.polygons
                .iter()
                .map(|(rings, _)| Polygon::new(ls(&rings[0]), rings[1..].iter().map(ls).collect()))
                .collect(),
        )
    }
}

/// A piece of ground: an overlap, a gap, an enclave or an exclave.
#[derive(Debug, Clone, Serialize)]
pub struct TerritoryPart {
    /// "overlap", "gap", "exclave", "enclave".
    pub kind: String,
    /// Geodesic area, m².
    pub area_m2: f64,
    /// A point inside, (lat, lon).
    pub at: LatLon,
    /// The nearest given place and its distance, metres.
    pub near: Option<(String, f64)>,
    /// What it is in the parties' terms, e.g. "exclave of ARM inside AZE".
    pub note: String,
    /// Outer ring then holes, (lat, lon).
    pub rings: PolygonRings,
}

/// The territories compared.
#[derive(Debug, Clone, Serialize)]
pub struct TerritoryComparison {
    /// The two parties.
    pub parties: [String; 2],
    /// Geodesic area of each territory, m².
    pub area_m2: [f64; 2],
    /// Ground both claim.
    pub overlaps: Vec<TerritoryPart>,
    /// Ground enclosed by both that neither claims.
    pub gaps: Vec<TerritoryPart>,
    /// Each party's exclaves (its polygons other than the largest) and
    /// enclaves (its holes filled by the other party).
    pub enclaves_and_exclaves: Vec<TerritoryPart>,
}

pub(crate) fn compare(
    frame: &Frame,
    territories: &[Territory],
    places: &[Place],
) -> Result<TerritoryComparison, CompareError> {
    let g = frame.gnomonic().geodesic();
    let pt: Vec<PlaneTerritory> = territories
        .iter()
        .map(|t| PlaneTerritory::new(frame, t))
        .collect::<Result<_, _>>()?;
    let (m0, m1) = (pt[0].to_geo(), pt[1].to_geo());
    let ring_ll = |ls: &LineString<f64>| -> Vec<LatLon> {
        ls.0.iter().map(|c| frame.latlon([c.x, c.y])).collect()
    };
    let area_ll = |r: &Vec<LatLon>| {
        ring_perimeter_area_with(
            g,
            r.iter()
                .map(|&(la, lo)| terminus_geodesy::LatLon::new(la, lo)),
        )
        .1
        .abs()
    };
    let poly_area =
        |rings: &PolygonRings| area_ll(&rings[0]) - rings[1..].iter().map(area_ll).sum::<f64>();
    let nearest_place = |at: LatLon| -> Option<(String, f64)> {
        places
            .iter()
            .map(|p| {
                let d: f64 = g.inverse(at.0, at.1, p.lat, p.lon);
                (p.name.clone(), d)
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
    };
    let part = |kind: &str, p: &Polygon<f64>, note: String| -> Option<TerritoryPart> {
        let rings: PolygonRings = std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(ring_ll)
            .collect();
        let xy: Vec<Vec<Xy>> = std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(|ls| ls.0.iter().map(|c| [c.x, c.y]).collect())
            .collect();
        let inside = point_on_surface(&xy)?;
        let at = frame.latlon(inside);
        Some(TerritoryPart {
            kind: kind.into(),
            area_m2: poly_area(&rings),
            at,
            near: nearest_place(at),
            note,
            rings,
        })
    };
    let areas = [0usize, 1].map(|k| territories[k].polygons.iter().map(&poly_area).sum::<f64>());
    let names = [pt[0].party.clone(), pt[1].party.clone()];

    // Each territory's own polygons, by area, for telling exclaves.
    let own_parts: Vec<Vec<(f64, &Polygon<f64>)>> = [&m0, &m1]
        .iter()
        .map(|m| {
            let mut v: Vec<(f64, &Polygon<f64>)> =
                m.0.iter()
                    .map(|p| {
                        let r: PolygonRings = std::iter::once(p.exterior())
                            .chain(p.interiors())
                            .map(ring_ll)
                            .collect();
                        (poly_area(&r), p)
                    })
                    .collect();
            v.sort_by(|a, b| b.0.total_cmp(&a.0));
            v
        })
        .collect();

    let mut overlaps = Vec::new();
    for p in m0.intersection(&m1).0.iter() {
        let note = String::new();
        if let Some(mut t) = part("overlap", p, note) {
            // Is it the whole of one party's exclave?
            let xy = point_on_surface(&[p.exterior().0.iter().map(|c| [c.x, c.y]).collect()]);
            for k in 0..2 {
                for (i, (a, q)) in own_parts[k].iter().enumerate() {
                    let inside = xy.is_some_and(|x| {
                        let rings: Vec<Vec<Xy>> = std::iter::once(q.exterior())
                            .chain(q.interiors())
                            .map(|ls| ls.0.iter().map(|c| [c.x, c.y]).collect())
                            .collect();
                        in_polygon(x, &rings)
                    });
                    if i > 0 && inside && (t.area_m2 - a).abs() <= 0.01 * a {
                        t.note = format!("{}'s exclave, wholly inside {}", names[k], names[1 - k]);
                    }
                }
            }
            if t.note.is_empty() {
                t.note = format!("claimed by both {} and {}", names[0], names[1]);
            }
            overlaps.push(t);
        }
    }
    overlaps.sort_by(|a, b| b.area_m2.total_cmp(&a.area_m2));

    // Gaps: holes of the union whose boundary runs along both territories.
    let boundary = |t: &PlaneTerritory| {
        let mut segs = Vec::new();
        for (rings, _) in &t.polygons {
            for r in rings {
                for w in r.windows(2) {
                    segs.push(IndexedSegment {
                        ll: [(0.0, 0.0); 2],
                        xy: [w[0], w[1]],
                        piece: 0,
                        index: 0,
                    });
                }
            }
        }
        SegmentIndex::new(segs)
    };
    let (b0, b1) = (boundary(&pt[0]), boundary(&pt[1]));
    let radius = frame.radius();
    let mut gaps = Vec::new();
    for p in m0.union(&m1).0.iter() {
        for hole in p.interiors() {
            let on = |b: &SegmentIndex| {
                hole.0
                    .iter()
                    .any(|c| b.bounds(radius, [c.x, c.y]).1 <= 1e-3)
            };
            if on(&b0) && on(&b1) {
                let hp = Polygon::new(hole.clone(), vec![]);
                if let Some(t) = part(
                    "gap",
                    &hp,
                    format!("claimed by neither {} nor {}", names[0], names[1]),
                ) {
                    gaps.push(t);
                }
            }
        }
    }
    gaps.sort_by(|a, b| b.area_m2.total_cmp(&a.area_m2));

    // Enclaves and exclaves, each listed once: a party's exclave that
    // lies in a hole of the other's territory is that hole (one row, both
    // names); one the other's polygon covers is also an overlap (said so).
    let ring_xy =
        |ls: &geo::LineString<f64>| -> Vec<Xy> { ls.0.iter().map(|c| [c.x, c.y]).collect() };
    let mut ee = Vec::new();
    let mut matched_holes: Vec<(usize, usize, usize)> = Vec::new();
    for k in 0..2 {
        for (_, q) in own_parts[k].iter().skip(1) {
            let inside = point_on_surface(&[ring_xy(q.exterior())]);
            let mut hole_of_other = None;
            for (pi, (_, o)) in own_parts[1 - k].iter().enumerate() {
                for (hi, hole) in o.interiors().iter().enumerate() {
                    if inside.is_some_and(|x| in_polygon(x, &[ring_xy(hole)])) {
                        hole_of_other = Some((1 - k, pi, hi));
                    }
                }
            }
            let note = match hole_of_other {
                Some(h) => {
                    matched_holes.push(h);
                    format!("exclave of {}, enclave in {}", names[k], names[1 - k])
                }
                None if inside.is_some_and(|x| pt[1 - k].contains(x)) => format!(
                    "exclave of {} inside {}, whose polygon does not leave it out (also an overlap)",
                    names[k],
                    names[1 - k]
                ),
                None => format!("exclave of {}", names[k]),
            };
            if let Some(t) = part("exclave", q, note) {
                ee.push(t);
            }
        }
    }
    for k in 0..2 {
        for (pi, (_, q)) in own_parts[k].iter().enumerate() {
            for (hi, hole) in q.interiors().iter().enumerate() {
                if matched_holes.contains(&(k, pi, hi)) {
                    continue;
                }
                let hp = Polygon::new(hole.clone(), vec![]);
                let xy = point_on_surface(&[ring_xy(hole)]);
                if xy.is_some_and(|x| pt[1 - k].contains(x)) {
                    if let Some(t) = part(
                        "enclave",
                        &hp,
                        format!("enclave of {} inside {}", names[1 - k], names[k]),
                    ) {
                        ee.push(t);
                    }
                }
            }
        }
    }
    Ok(TerritoryComparison {
        parties: names,
        area_m2: areas,
        overlaps,
        gaps,
        enclaves_and_exclaves: ee,
    })
}
