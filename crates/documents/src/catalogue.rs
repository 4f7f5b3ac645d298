//! The pillar catalogue as the files a commission exchanges: CSV (the
//! columns of the catalogue a field team carries, in a stated order) and a
//! point layer for GeoJSON, GeoPackage, KML (Google Earth) and GPX (GNSS
//! receivers). The rows and their values are the demarcation engine's
//! (`terminus_demarcation::catalogue`); here they are only written, rounded
//! as each column states: 1e-10° (0.01 mm), 0.001 m grid coordinates, 0.01 m
//! heights and distances, 1e-9° azimuths.

use std::fmt::Write as _;
use terminus_demarcation::catalogue::Catalogue;
use terminus_geodesy::angle::{format_dms, Axis};
use terminus_geodesy::Crs;
use terminus_vector::{Coord, Feature, Geometry, Layer, Value};

/// The CSV header: the columns first, then Terminus' own.
pub const CSV_HEADER: &str = "number,type,lat,lon,lat_dms,lon_dms,utm_zone,utm_e,utm_n,gk_zone,gk_x,gk_y,height_m,azimuth_next_deg,azimuth_next_dms,distance_next_m,visible_next,sheet_50k,chainage_m,offset_m,side,slope_deg,note,sk42_lat,sk42_lon,sk42_lat_dms,sk42_lon_dms,transformation";

fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| format!("{x:.decimals$}")).unwrap_or_default()
}

fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The catalogue as CSV ([`CSV_HEADER`]; UTF-8, comma-separated,
/// decimal points; the last column names the one transformation of the
/// SK-42 and Gauss–Krüger columns).
pub fn csv(cat: &Catalogue) -> String {
    let mut out = String::with_capacity(256 * (cat.rows.len() + 1));
    out.push_str(CSV_HEADER);
    out.push('\n');
    for r in &cat.rows {
        let _ = writeln!(
            out,
            "{},{},{:.10},{:.10},{},{},{},{:.3},{:.3},{},{:.3},{:.3},{},{},{},{},{},{},{:.2},{:.2},{},{},{},{:.10},{:.10},{},{},EPSG:{}",
            csv_text(&r.number),
            r.kind.name(),
            r.lat,
            r.lon,
            r.lat_dms,
            r.lon_dms,
            r.utm_zone,
            r.utm_e,
            r.utm_n,
            r.gk_zone,
            r.gk_x,
            r.gk_y,
            opt(r.height_m, 2),
            opt(r.azimuth_next_deg, 9),
            r.azimuth_next_dms.clone().unwrap_or_default(),
            opt(r.distance_next_m, 2),
            r.visible_next.map(|v| v.to_string()).unwrap_or_default(),
            csv_text(&r.sheet_50k),
            r.chainage_m,
            r.offset_m,
            r.side,
            opt(r.slope_deg, 1),
            csv_text(r.note.as_deref().unwrap_or("")),
            r.sk42_lat,
            r.sk42_lon,
            format_dms(r.sk42_lat, Axis::Latitude, 4),
            format_dms(r.sk42_lon, Axis::Longitude, 4),
            cat.gk_transformation,
        );
    }
    out
}

/// The catalogue as a point layer in WGS 84 (for GeoJSON, GeoPackage,
/// KML and GPX): the CSV's columns as attributes, rounded as there,
/// plus `name` (the number) and `desc` for GNSS receivers.
pub fn layer(cat: &Catalogue, name: &str) -> Layer {
    let mut layer = Layer::new(name, Crs::WGS84);
    let r1 = |x: f64| (x * 10.0).round() / 10.0;
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
    let r9 = |x: f64| (x * 1e9).round() / 1e9;
    let r10 = |x: f64| (x * 1e10).round() / 1e10;
    for r in &cat.rows {
        let mut c = Coord::xy(r.lon, r.lat);
        c.z = r.height_m.map(r2);
        let desc = format!(
            "{} pillar {}; {} {}; UTM {} {:.2} E {:.2} N; GK zone {} x {:.2} y {:.2}{}",
            r.kind.name(),
            r.number,
            r.lat_dms,
            r.lon_dms,
            r.utm_zone,
            r.utm_e,
            r.utm_n,
            r.gk_zone,
            r.gk_x,
            r.gk_y,
            r.note
                .as_ref()
                .map(|n| format!("; {n}"))
                .unwrap_or_default()
        );
        let opt_f = |v: Option<f64>, f: &dyn Fn(f64) -> f64| {
            v.map(|x| Value::Float(f(x))).unwrap_or(Value::Null)
        };
        let f = Feature::new(Geometry::Point(c))
            .with("name", Value::String(r.number.clone()))
            .with("number", Value::String(r.number.clone()))
            .with("type", Value::String(r.kind.name().into()))
            .with("lat", Value::Float(r10(r.lat)))
            .with("lon", Value::Float(r10(r.lon)))
            .with("lat_dms", Value::String(r.lat_dms.clone()))
            .with("lon_dms", Value::String(r.lon_dms.clone()))
            .with("utm_zone", Value::String(r.utm_zone.clone()))
            .with("utm_e", Value::Float(r3(r.utm_e)))
            .with("utm_n", Value::Float(r3(r.utm_n)))
            .with("gk_zone", Value::Int(r.gk_zone as i64))
            .with("gk_x", Value::Float(r3(r.gk_x)))
            .with("gk_y", Value::Float(r3(r.gk_y)))
            .with("sk42_lat", Value::Float(r10(r.sk42_lat)))
            .with("sk42_lon", Value::Float(r10(r.sk42_lon)))
            .with(
                "transformation",
                Value::String(format!("EPSG:{}", cat.gk_transformation)),
            )
            .with("height_m", opt_f(r.height_m, &r2))
            .with("azimuth_next_deg", opt_f(r.azimuth_next_deg, &r9))
            .with(
                "azimuth_next_dms",
                r.azimuth_next_dms
                    .clone()
                    .map(Value::String)
                    .unwrap_or(Value::Null),
            )
            .with("distance_next_m", opt_f(r.distance_next_m, &r2))
            .with(
                "visible_next",
                r.visible_next.map(Value::Bool).unwrap_or(Value::Null),
            )
            .with("sheet_50k", Value::String(r.sheet_50k.clone()))
            .with("chainage_m", Value::Float(r2(r.chainage_m)))
            .with("offset_m", Value::Float(r2(r.offset_m)))
            .with("side", Value::Int(r.side as i64))
            .with("slope_deg", opt_f(r.slope_deg, &r1))
            .with(
                "note",
                r.note.clone().map(Value::String).unwrap_or(Value::Null),
            )
            .with(
                "sk42_lat_dms",
                Value::String(format_dms(r.sk42_lat, Axis::Latitude, 4)),
            )
            .with(
                "sk42_lon_dms",
                Value::String(format_dms(r.sk42_lon, Axis::Longitude, 4)),
            )
            .with("desc", Value::String(desc));
        layer.features.push(f);
    }
    layer
}

/// The catalogue for field teams (KML, GPX): the pillars — each with
/// `styleUrl` `#<type>` so that Google Earth draws main, intermediate,
/// crossing and bank pillars and unmarked turning points apart, labelled
/// with their numbers — and the line through every row in order (every
/// turning point is a row, every pillar on the line's geodesics), as a
/// layer `line` of one LineString named after the section: a GPX route.
pub fn field_layers(cat: &Catalogue) -> Vec<Layer> {
    let mut pillars = layer(cat, "pillars");
    for (f, r) in pillars.features.iter_mut().zip(&cat.rows) {
        f.properties.insert(
            "styleUrl".into(),
            Value::String(format!("#{}", r.kind.name())),
        );
    }
    let mut line = Layer::new("line", Crs::WGS84);
    let on_line: Vec<Coord> = cat
        .rows
        .iter()
        .filter(|r| r.offset_m == 0.0)
        .map(|r| Coord::xy(r.lon, r.lat))
        .collect();
    if on_line.len() >= 2 {
        line.features.push(
            Feature::new(Geometry::LineString(on_line))
                .with(
                    "name",
                    Value::String(format!("{} (boundary line)", cat.section)),
                )
                .with("styleUrl", Value::String("#line".into()))
                .with(
                    "length_m",
                    Value::Float((cat.length_m * 1000.0).round() / 1000.0),
                ),
        );
    }
    vec![pillars, line]
}

/// The field catalogue's KML styles: (id, colour `aabbggrr`, icon scale,
/// line width). Main pillars red and large, intermediates yellow,
/// crossings blue, banks cyan, unmarked turning points white and small,
/// the line red.
pub const FIELD_STYLES: [(&str, &str, f64, f64); 6] = [
    ("main", "ff0000ff", 1.2, 2.0),
    ("intermediate", "ff00ffff", 0.8, 2.0),
    ("crossing", "ffff0000", 1.0, 2.0),
    ("bank", "ffffff00", 1.0, 2.0),
    ("unmarked", "ffffffff", 0.5, 2.0),
    ("line", "ff0000ff", 1.0, 3.0),
];
