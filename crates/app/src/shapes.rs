//! What a workflow takes from a dataset on WGS 84: the pieces of a claim
//! line, polygons, one connected line, a feature's name. Positions come out
//! as (latitude, longitude), the order the engines take.

use crate::failure::Failure;
use std::path::Path;
use terminus_vector::{Coord, Dataset, Feature, Geometry, Polygon, Value};

/// (latitude, longitude), degrees on WGS 84.
pub type LatLon = (f64, f64);

/// A polygon's rings of (latitude, longitude).
pub type PolygonRings = Vec<Vec<LatLon>>;

fn ll(c: &Coord) -> LatLon {
    (c.y, c.x)
}

/// Every line part of a dataset; polygons and points are refused with a
/// hint, naming the layer and feature.
pub fn line_pieces(path: &Path, ds: &Dataset) -> Result<Vec<Vec<LatLon>>, Failure> {
    let mut pieces = Vec::new();
    for layer in &ds.layers {
        for (fi, f) in layer.features.iter().enumerate() {
            let Some(g) = &f.geometry else { continue };
            collect_lines(g, &mut pieces).map_err(|kind| {
                Failure::usage(format!(
                    "{}: layer \"{}\", feature {fi}: a claim line must be a LineString or MultiLineString, not a {kind}",
                    path.display(),
                    layer.name
                ))
                .hint("give territories as --parties P1,P2; claim lines as lines; a table of points as a line with --as-line")
            })?;
        }
    }
    if pieces.is_empty() {
        return Err(Failure::usage(format!(
            "{}: no line geometries (an empty claim line)",
            path.display()
        )));
    }
    Ok(pieces)
}

fn collect_lines(g: &Geometry, out: &mut Vec<Vec<LatLon>>) -> Result<(), &'static str> {
    match g {
        Geometry::LineString(l) => out.push(l.iter().map(ll).collect()),
        Geometry::MultiLineString(ls) => out.extend(ls.iter().map(|l| l.iter().map(ll).collect())),
        Geometry::GeometryCollection(gs) => {
            for g in gs {
                collect_lines(g, out)?;
            }
        }
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) => return Err("polygon"),
        Geometry::Point(_) | Geometry::MultiPoint(_) => return Err("point"),
    }
    Ok(())
}

/// Every polygon of a dataset; none is an error.
pub fn polygons(path: &Path, ds: &Dataset) -> Result<Vec<PolygonRings>, Failure> {
    let mut out = Vec::new();
    let conv = |p: &Polygon| -> PolygonRings {
        p.rings.iter().map(|r| r.iter().map(ll).collect()).collect()
    };
    for layer in &ds.layers {
        for f in &layer.features {
            match &f.geometry {
                Some(Geometry::Polygon(p)) => out.push(conv(p)),
                Some(Geometry::MultiPolygon(ps)) => out.extend(ps.iter().map(conv)),
                _ => {}
            }
        }
    }
    if out.is_empty() {
        return Err(Failure::usage(format!("{}: no polygons", path.display())));
    }
    Ok(out)
}

/// One connected line from a dataset: its pieces joined end to start; a
/// gap between pieces is an error naming them.
pub fn one_line(path: &Path, ds: &Dataset) -> Result<Vec<LatLon>, Failure> {
    let pieces = line_pieces(path, ds)?;
    let mut line: Vec<LatLon> = Vec::new();
    for (k, p) in pieces.iter().enumerate() {
        match line.last() {
            None => line.extend(p),
            Some(&end) if p.first() == Some(&end) => line.extend(&p[1..]),
            Some(_) => {
                return Err(Failure::usage(format!(
                    "{}: the line has {} separate pieces (piece {} does not start where piece {} ends): plan one connected section at a time",
                    path.display(),
                    pieces.len(),
                    k + 1,
                    k
                )))
            }
        }
    }
    Ok(line)
}

/// One line of a file, chosen and clipped: `piece` is its number among the
/// file's line parts (1 = the first) or the name in its features' `line`
/// or `name` attribute (their parts joined as [`one_line`] joins them);
/// none, the whole file as one connected line. `clip` (south, west, north,
/// east) keeps the part inside the box, cut exactly on its sides; the part
/// must be one run.
pub fn select_line(
    path: &Path,
    ds: &Dataset,
    piece: Option<&str>,
    clip: Option<[f64; 4]>,
) -> Result<Vec<LatLon>, Failure> {
    let line = match piece {
        None => one_line(path, ds).map_err(|f| {
            f.hint("choose one line with --piece N (1 = the first) or --piece NAME")
        })?,
        Some(p) => match p.trim().parse::<usize>() {
            Ok(n) => {
                let pieces = line_pieces(path, ds)?;
                if n == 0 || n > pieces.len() {
                    return Err(Failure::usage(format!(
                        "{}: --piece {n}: the file has {} line(s), numbered from 1",
                        path.display(),
                        pieces.len()
                    )));
                }
                pieces[n - 1].clone()
            }
            Err(_) => {
                let named = |f: &Feature| {
                    ["line", "name"]
                        .iter()
                        .any(|k| matches!(f.properties.get(*k), Some(Value::String(v)) if v == p))
                };
                let mut names: Vec<String> = Vec::new();
                let mut chosen = Dataset { layers: Vec::new() };
                for layer in &ds.layers {
                    let mut l = layer.clone();
                    l.features.retain(named);
                    for f in &layer.features {
                        for k in ["line", "name"] {
                            if let Some(Value::String(v)) = f.properties.get(k) {
                                names.push(v.clone());
                            }
                        }
                    }
                    if !l.features.is_empty() {
                        chosen.layers.push(l);
                    }
                }
                if chosen.layers.is_empty() {
                    names.dedup();
                    names.truncate(12);
                    return Err(Failure::usage(format!(
                        "{}: no line is called {p:?} (in a `line` or `name` attribute); the file's lines: {}",
                        path.display(),
                        if names.is_empty() { "none named".to_string() } else { names.join(", ") }
                    )));
                }
                one_line(path, &chosen)?
            }
        },
    };
    let Some([south, west, north, east]) = clip else {
        return Ok(line);
    };
    let bbox = terminus_geodesy::geodesic::clip::LatLonBox::new(south, west, north, east)
        .map_err(|e| Failure::usage(format!("--clip {south},{west},{north},{east}: {e}")))?;
    let runs = terminus_geodesy::geodesic::clip::clip_to_box(&line, &bbox)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    one_run(
        runs,
        path,
        &format!("the box {south},{west},{north},{east}"),
        "a box",
    )
}

/// The one run of a clipped line, or an error naming what it was clipped
/// to (`inside`) and each run by its length and start.
fn one_run(
    runs: Vec<Vec<LatLon>>,
    path: &Path,
    inside: &str,
    what: &str,
) -> Result<Vec<LatLon>, Failure> {
    match runs.len() {
        1 => Ok(runs.into_iter().next().unwrap_or_default()),
        0 => Err(Failure::usage(format!(
            "{}: no part of the line lies inside {inside}",
            path.display()
        ))),
        k => {
            let geod = terminus_geodesy::Ellipsoid::WGS84;
            let lens: Vec<String> = runs
                .iter()
                .map(|r| {
                    format!(
                        "{:.3} km from {:.5}, {:.5}",
                        terminus_geodesy::measure::path_length(
                            &geod,
                            r.iter().map(|&p| terminus_geodesy::LatLon::from_pair(p))
                        ) / 1000.0,
                        r[0].0,
                        r[0].1
                    )
                })
                .collect();
            Err(Failure::usage(format!(
                "{}: the line enters {inside} {k} times ({}): give {what} it crosses once",
                path.display(),
                lens.join("; ")
            )))
        }
    }
}

/// The part of `line` inside `polygons` (a corridor, a section's area),
/// cut exactly where it crosses their edges (`terminus_plane::clip`);
/// the part must be one run, else the runs are named.
pub fn clip_to_polygons(
    line: &[LatLon],
    polygons: &[PolygonRings],
    path: &Path,
) -> Result<Vec<LatLon>, Failure> {
    let frame = terminus_plane::frame::Frame::around(
        terminus_geodesy::Ellipsoid::WGS84,
        line.iter().chain(polygons.iter().flatten().flatten()),
    )
    .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    let runs = terminus_plane::clip::clip_to_polygons(&frame, line, polygons)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    one_run(runs, path, "its polygons", "an area")
}

/// Where a line is cut: the foot of each of two points on it (the
/// nearest point of the line, geodesic; GeographicLib-grade), the part
/// between the feet kept in the line's own direction. Also the two
/// points' distances to the line, metres, for the report.
pub fn between(
    line: &[LatLon],
    from: LatLon,
    to: LatLon,
) -> Result<(Vec<LatLon>, [f64; 2]), Failure> {
    use terminus_geodesy::geodesic::{nearest_on_segment, Gnomonic};
    let g = Gnomonic::new(terminus_geodesy::Ellipsoid::WGS84);
    let ll = |p: LatLon| terminus_geodesy::LatLon::new(p.0, p.1);
    if line.len() < 2 {
        return Err(Failure::usage("a line of one point cannot be cut"));
    }
    let foot = |p: LatLon| -> Result<(usize, f64, LatLon, f64), Failure> {
        let mut best: Option<(usize, f64, LatLon, f64)> = None;
        for (i, w) in line.windows(2).enumerate() {
            let n = nearest_on_segment(&g, ll(w[0]), ll(w[1]), ll(p))
                .map_err(|e| Failure::usage(format!("{:.6}, {:.6}: {e}", p.0, p.1)))?;
            if best.is_none_or(|b| n.distance < b.3) {
                best = Some((i, n.along, (n.lat, n.lon), n.distance));
            }
        }
        best.ok_or_else(|| Failure::usage("an empty line"))
    };
    let (a, b) = (foot(from)?, foot(to)?);
    let (first, last) = if (a.0, a.1) <= (b.0, b.1) {
        (a, b)
    } else {
        (b, a)
    };
    let mut out = vec![first.2];
    out.extend_from_slice(&line[first.0 + 1..=last.0]);
    out.push(last.2);
    out.dedup();
    if out.len() < 2 {
        return Err(Failure::usage(format!(
            "the two points fall on the same point of the line ({:.6}, {:.6}; they are {:.0} m and {:.0} m from it): nothing lies between them",
            first.2 .0, first.2 .1, a.3, b.3
        ))
        .hint("is it the right line? choose another with --piece"));
    }
    Ok((out, [a.3, b.3]))
}

/// The named points of a places file (populated places, landmarks): each
/// point feature's name by [`name_of`]; features that are not points are
/// not places and are counted in the second value, for the caller to say.
pub fn places_in(ds: &Dataset, field: Option<&str>) -> (Vec<terminus_compare::Place>, usize) {
    let (mut places, mut other) = (Vec::new(), 0);
    for layer in &ds.layers {
        for (i, f) in layer.features.iter().enumerate() {
            match &f.geometry {
                Some(Geometry::Point(c)) => places.push(terminus_compare::Place {
                    name: name_of(f, field, format!("place {}", i + 1)),
                    lat: c.y,
                    lon: c.x,
                }),
                _ => other += 1,
            }
        }
    }
    (places, other)
}

/// A feature's name: the `field` asked for, else the first of name, NAME,
/// Name, city, asciiname, title, else the first text attribute, else
/// `fallback`.
pub fn name_of(f: &Feature, field: Option<&str>, fallback: String) -> String {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    };
    if let Some(k) = field {
        return f.properties.get(k).and_then(text).unwrap_or(fallback);
    }
    for k in ["name", "NAME", "Name", "city", "asciiname", "title"] {
        if let Some(s) = f.properties.get(k).and_then(text) {
            return s;
        }
    }
    f.properties
        .values()
        .find_map(|v| {
            if let Value::String(s) = v {
                Some(s.clone())
            } else {
                None
            }
        })
        .unwrap_or(fallback)
}

/// The first of `keys` (any case) that the feature has as non-empty text.
pub fn text_attr(f: &Feature, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        f.properties
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(k))
            .and_then(|(_, v)| v.to_text())
            .filter(|s| !s.is_empty())
    })
}

/// The lines of a layer (all its LineString and MultiLineString features,
/// in order) as one claim line of the boundary model, in the layer's CRS;
/// a layer with a polygon or a point is refused, naming the feature.
pub fn claim_line(
    id: &str,
    name: &str,
    layer: &terminus_vector::Layer,
    status: terminus_model::Status,
) -> Result<terminus_model::ClaimLine, Failure> {
    let mut paths: Vec<Vec<[f64; 2]>> = Vec::new();
    for (fi, f) in layer.features.iter().enumerate() {
        match &f.geometry {
            Some(Geometry::LineString(_) | Geometry::MultiLineString(_)) | None => {}
            Some(g) => {
                return Err(Failure::usage(format!(
                    "layer \"{}\", feature {fi}: a claim line must be a LineString or MultiLineString, not a {}",
                    layer.name,
                    g.geometry_type().name()
                )))
            }
        }
        if let Some(g) = &f.geometry {
            paths.extend(
                g.paths()
                    .into_iter()
                    .map(|p| p.iter().map(|c| [c.x, c.y]).collect()),
            );
        }
    }
    let geometry = terminus_model::LineGeometry::from_paths(paths).ok_or_else(|| {
        Failure::usage(format!(
            "layer \"{}\" has no line to make a claim line of",
            layer.name
        ))
    })?;
    Ok(terminus_model::ClaimLine {
        id: id.to_string(),
        name: name.to_string(),
        party: None,
        source: None,
        status,
        crs: layer.crs.clone(),
        geometry,
    })
}
