//! The protocol-description: the line stated in words both delegations
//! sign, in English and Russian, and its parse back into coordinates.
//!
//! Each straight run reads "From pillar No. TG-012 (φ, λ) the line runs in a
//! straight line (along the geodesic) at an azimuth of 123°45′06.80″ for
//! 1,234.567 m to pillar No. TG-013." Feature-following runs ("along the
//! thalweg of the Debed downstream") give their length along the line.
//!
//! Text and coordinates must agree to the millimetre. Azimuths are written
//! to 0.01″ and distances to 1 mm, and each call is computed from the point
//! the previous calls, *as printed*, reach (the way a traverse is
//! adjusted), so rounding never accumulates: parsed back from the first
//! pillar, every pillar is reached within one call's rounding — 0.5 mm in
//! distance plus 0.005″ of azimuth (0.012 mm at 500 m).

use crate::DocumentError;
use serde::Serialize;
use std::fmt::Write as _;
use terminus_demarcation::catalogue::{format_angle, Catalogue};
use terminus_geodesy::angle::{format_dms, parse_angle, Axis};
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::geodesic::densify_by_spacing;
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::nomenclature::{sheets_along, Scale};
use terminus_geodesy::LatLon;
use terminus_geodesy::{Crs, Ellipsoid};

/// The language of a description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Russian.
    Ru,
}

/// A run between two pillars that follows a natural feature rather than a
/// straight line.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureRun {
    /// Pillar where it starts.
    pub from: String,
    /// Pillar where it ends.
    pub to: String,
    /// What it follows, in English ("the thalweg of the Debed downstream").
    pub en: String,
    /// The same in Russian ("тальвегу реки Дебед вниз по течению").
    pub ru: String,
}

/// What a description states besides the catalogue.
#[derive(Debug, Clone, Default)]
pub struct DescriptionSettings {
    /// Sources the line was delimited from (map series, surveys).
    pub sources: Vec<String>,
    /// Runs that follow features.
    pub feature_runs: Vec<FeatureRun>,
}

/// One call of the description.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Call {
    /// From pillar.
    pub from: String,
    /// To pillar.
    pub to: String,
    /// Azimuth as printed, degrees (straight runs).
    pub azimuth_deg: Option<f64>,
    /// Distance as printed, metres (straight runs).
    pub distance_m: Option<f64>,
    /// What the run follows (feature runs).
    pub follows: Option<String>,
}

/// A written description.
#[derive(Debug, Clone)]
pub struct Description {
    /// Markdown.
    pub markdown: String,
    /// Self-contained HTML.
    pub html: String,
    /// The calls, as printed.
    pub calls: Vec<Call>,
    /// 1:50,000 sheets the line crosses.
    pub sheets: Vec<String>,
}

/// A block of the document, rendered to Markdown and HTML alike.
enum Block {
    Title(String),
    Heading(String),
    Para(String),
    Items(Vec<String>),
    Numbered(Vec<String>),
}

const NBSP: char = '\u{a0}';

/// `1234.5678` → "1,234.568" (en) or "1 234,568" (ru).
fn number(x: f64, decimals: usize, lang: Lang) -> String {
    let s = format!("{:.decimals$}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let sep = match lang {
        Lang::En => ',',
        Lang::Ru => NBSP,
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(ch);
    }
    let sign = if x < 0.0 { "−" } else { "" };
    let point = if lang == Lang::En { "." } else { "," };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{frac}")
    }
}

fn position(lat: f64, lon: f64, lang: Lang) -> String {
    let (a, b) = (
        format_dms(lat, Axis::Latitude, 3),
        format_dms(lon, Axis::Longitude, 3),
    );
    match lang {
        Lang::En => format!("{a}, {b}"),
        Lang::Ru => {
            let ru = |s: String| -> String {
                let h = s.chars().last().unwrap_or('N');
                let body: String = s[..s.len() - h.len_utf8()].replace('.', ",");
                let word = match h {
                    'N' => "с. ш.",
                    'S' => "ю. ш.",
                    'E' => "в. д.",
                    _ => "з. д.",
                };
                format!("{body}{NBSP}{word}")
            };
            format!("{}, {}", ru(a), ru(b))
        }
    }
}

fn angle(deg: f64, lang: Lang) -> String {
    let s = format_angle(deg, 2);
    match lang {
        Lang::En => s,
        Lang::Ru => s.replace('.', ","),
    }
}

/// Describe the line of `cat` in `lang`.
pub fn describe(
    cat: &Catalogue,
    lang: Lang,
    settings: &DescriptionSettings,
) -> Result<Description, DocumentError> {
    let rows = &cat.rows;
    if rows.len() < 2 {
        return Err(DocumentError::BadParameter(
            "a description needs at least two pillars".into(),
        ));
    }
    let index_of = |n: &str| rows.iter().position(|r| r.number == n);
    // Validate feature runs: both ends known, in order.
    let mut feature_at: Vec<Option<(usize, &FeatureRun)>> = vec![None; rows.len()];
    for f in &settings.feature_runs {
        let (Some(a), Some(b)) = (index_of(&f.from), index_of(&f.to)) else {
            return Err(DocumentError::BadParameter(format!(
                "feature run {} → {}: no such pillar in the catalogue",
                f.from, f.to
            )));
        };
        if b <= a {
            return Err(DocumentError::BadParameter(format!(
                "feature run {} → {}: the second pillar must come after the first",
                f.from, f.to
            )));
        }
        feature_at[a] = Some((b, f));
    }
    let geod = Ellipsoid::WGS84.geodesic();
    let mut calls = Vec::new();
    let mut runs = Vec::new();
    let mut reached = (rows[0].lat, rows[0].lon);
    let mut i = 0;
    while i + 1 < rows.len() {
        let from = &rows[i];
        if let Some((j, f)) = feature_at[i] {
            let to = &rows[j];
            let length = to.chainage_m - from.chainage_m;
            let (what, len) = match lang {
                Lang::En => (&f.en, format!("{} km", number(length / 1000.0, 2, lang))),
                Lang::Ru => (
                    &f.ru,
                    format!("{}{NBSP}км", number(length / 1000.0, 2, lang)),
                ),
            };
            runs.push(match lang {
                Lang::En => format!(
                    "From {} ({}) the line runs along {what} for {len} to {} ({}).",
                    point_name(from, lang),
                    position(from.lat, from.lon, lang),
                    point_name(to, lang),
                    position(to.lat, to.lon, lang)
                ),
                Lang::Ru => format!(
                    "От {} ({}) линия границы проходит по {what} на протяжении {len} до {} ({}).",
                    point_name(from, lang),
                    position(from.lat, from.lon, lang),
                    point_name(to, lang),
                    position(to.lat, to.lon, lang)
                ),
            });
            calls.push(Call {
                from: from.number.clone(),
                to: to.number.clone(),
                azimuth_deg: None,
                distance_m: None,
                follows: Some(what.clone()),
            });
            // The chain restarts at the stated pillar.
            reached = (to.lat, to.lon);
            i = j;
            continue;
        }
        let to = &rows[i + 1];
        let (s, az, _, _): (f64, f64, f64, f64) =
            geod.inverse(reached.0, reached.1, to.lat, to.lon);
        // Round as printed, and move on from where the printed call leads.
        let az_text = angle(az.rem_euclid(360.0), lang);
        let az_printed = parse_azimuth(&az_text).map_err(|m| DocumentError::Parse {
            line: 0,
            message: m,
        })?;
        let dist_printed = (s * 1000.0).round() / 1000.0;
        let (lat2, lon2): (f64, f64) = geod.direct(reached.0, reached.1, az_printed, dist_printed);
        reached = (lat2, lon2);
        let dist_text = number(dist_printed, 3, lang);
        runs.push(match lang {
            Lang::En => format!(
                "From {} ({}) the line runs in a straight line (along the geodesic) at an azimuth of {az_text} for {dist_text} m to {}.",
                point_name(from, lang),
                position(from.lat, from.lon, lang),
                point_name(to, lang)
            ),
            Lang::Ru => format!(
                "От {} ({}) линия границы проходит по прямой (по геодезической линии) по азимуту {az_text} на протяжении {dist_text}{NBSP}м до {}.",
                point_name(from, lang),
                position(from.lat, from.lon, lang),
                point_name(to, lang)
            ),
        });
        calls.push(Call {
            from: from.number.clone(),
            to: to.number.clone(),
            azimuth_deg: Some(az_printed),
            distance_m: Some(dist_printed),
            follows: None,
        });
        i += 1;
    }
    let last = &rows[rows.len() - 1];

    // Map sheets crossed: the pillars' geodesics densified, on Pulkovo 1942.
    let op = cat.gk_transformation;
    let to_pulkovo = CrsTransform::new(&Crs::WGS84, &Crs::Epsg(4284), Some(op), None)
        .map_err(|e| DocumentError::BadParameter(e.to_string()))?;
    let path: Vec<(f64, f64)> = rows.iter().map(|r| (r.lat, r.lon)).collect();
    let mut dense: Vec<(f64, f64)> = vec![path[0]];
    for w in path.windows(2) {
        if w[0] != w[1] {
            let piece = densify_by_spacing(
                &geod,
                LatLon::from_pair(w[0]),
                LatLon::from_pair(w[1]),
                50.0,
            )?;
            dense.extend(piece.into_iter().skip(1).map(LatLon::tuple));
        }
    }
    let pulkovo: Vec<terminus_geodesy::LatLon> = dense
        .iter()
        .filter_map(|&p| {
            let p = terminus_geodesy::Xy::from_latlon(terminus_geodesy::LatLon::from_pair(p));
            to_pulkovo.apply(p).ok().map(|q| q.latlon())
        })
        .collect();
    let sheets: Vec<String> = sheets_along(&pulkovo, Scale::M50000)
        .map_err(|e| DocumentError::BadParameter(e.to_string()))?
        .into_iter()
        .map(|s| s.id)
        .collect();

    let mut zones_utm: Vec<String> = rows.iter().map(|r| r.utm_zone.clone()).collect();
    zones_utm.dedup();
    zones_utm.sort();
    zones_utm.dedup();
    let mut zones_gk: Vec<u32> = rows.iter().map(|r| r.gk_zone).collect();
    zones_gk.sort();
    zones_gk.dedup();
    let zones_gk: Vec<String> = zones_gk.iter().map(|z| z.to_string()).collect();
    let mains = rows
        .iter()
        .filter(|r| r.kind == terminus_demarcation::plan::PillarType::Main)
        .count();
    let pillars = rows.iter().filter(|r| r.kind.marked()).count();
    let unmarked = rows.len() - pillars;
    let mut doc = Vec::new();
    match lang {
        Lang::En => {
            doc.push(Block::Title(format!(
                "Protocol-description of the boundary line: section {}",
                cat.section
            )));
            doc.push(Block::Heading("Datum, projection and sources".into()));
            let mut items = vec![
                "Positions: latitude and longitude on WGS 84 (EPSG:4326). Azimuths are geodesic (from true north, clockwise) and distances geodesic on the WGS 84 ellipsoid (Karney 2013); a straight line between pillars is the geodesic.".to_string(),
                format!(
                    "Grid coordinates in the pillar catalogue: UTM zone {} (WGS 84); Pulkovo 1942 Gauss–Krüger zone {} through EPSG:{} ({}, accuracy {} m).",
                    zones_utm.join(", "),
                    zones_gk.join(", "),
                    cat.gk_transformation,
                    cat.gk_transformation_name,
                    cat.gk_transformation_accuracy_m
                ),
            ];
            if let Some(d) = &cat.dem {
                items.push(format!(
                    "Heights: {d}{}.",
                    cat.dem_accuracy
                        .as_ref()
                        .map(|a| format!(" ({a})"))
                        .unwrap_or_default()
                ));
            }
            for s in &settings.sources {
                items.push(format!("Source: {s}."));
            }
            doc.push(Block::Items(items));
            doc.push(Block::Heading("Description of the line".into()));
            doc.push(Block::Numbered(runs));
            doc.push(Block::Para(format!(
                "The line ends at pillar No. {} ({}).",
                last.number,
                position(last.lat, last.lon, lang)
            )));
            doc.push(Block::Heading("Summary".into()));
            doc.push(Block::Items(vec![
                format!(
                    "Length of the section along the line: {} km ({} m).",
                    number(cat.length_m / 1000.0, 3, lang),
                    number(cat.length_m, 3, lang)
                ),
                format!("Pillars: {} ({} main).", pillars, mains),
                format!("Turning points without a pillar: {unmarked}."),
                format!("Map sheets at 1:50,000 crossed: {}.", sheets.join(", ")),
            ]));
        }
        Lang::Ru => {
            doc.push(Block::Title(format!(
                "Протокол-описание прохождения линии границы: участок {}",
                cat.section
            )));
            doc.push(Block::Heading(
                "Система координат, проекция и источники".into(),
            ));
            let mut items = vec![
                "Координаты: широта и долгота в системе WGS 84 (EPSG:4326). Азимуты геодезические (от истинного меридиана по часовой стрелке), расстояния геодезические на эллипсоиде WGS 84 (Karney 2013); прямая между знаками — геодезическая линия.".to_string(),
                format!(
                    "Прямоугольные координаты в каталоге знаков: UTM, зона {} (WGS 84); система координат 1942 года (Пулково), проекция Гаусса — Крюгера, зона {}, переход по EPSG:{} ({}, точность {} м).",
                    zones_utm.join(", "),
                    zones_gk.join(", "),
                    cat.gk_transformation,
                    cat.gk_transformation_name,
                    number(cat.gk_transformation_accuracy_m, 1, lang)
                ),
            ];
            if let Some(d) = &cat.dem {
                items.push(format!(
                    "Высоты: {d}{}.",
                    cat.dem_accuracy
                        .as_ref()
                        .map(|a| format!(" ({a})"))
                        .unwrap_or_default()
                ));
            }
            for s in &settings.sources {
                items.push(format!("Источник: {s}."));
            }
            doc.push(Block::Items(items));
            doc.push(Block::Heading("Описание прохождения линии".into()));
            doc.push(Block::Numbered(runs));
            doc.push(Block::Para(format!(
                "Линия заканчивается у пограничного знака № {} ({}).",
                last.number,
                position(last.lat, last.lon, lang)
            )));
            doc.push(Block::Heading("Итоги".into()));
            doc.push(Block::Items(vec![
                format!(
                    "Протяжённость участка по линии границы: {}{NBSP}км ({}{NBSP}м).",
                    number(cat.length_m / 1000.0, 3, lang),
                    number(cat.length_m, 3, lang)
                ),
                format!("Пограничных знаков: {} (основных: {}).", pillars, mains),
                format!("Поворотных точек без знака: {unmarked}."),
                format!(
                    "Листы карты масштаба 1:50 000, через которые проходит линия: {}.",
                    sheets.join(", ")
                ),
            ]));
        }
    }
    Ok(Description {
        markdown: markdown(&doc),
        html: html(&doc, lang),
        calls,
        sheets,
    })
}

fn markdown(doc: &[Block]) -> String {
    let mut out = String::new();
    for b in doc {
        match b {
            Block::Title(t) => {
                let _ = writeln!(out, "# {t}\n");
            }
            Block::Heading(t) => {
                let _ = writeln!(out, "## {t}\n");
            }
            Block::Para(t) => {
                let _ = writeln!(out, "{t}\n");
            }
            Block::Items(v) => {
                for t in v {
                    let _ = writeln!(out, "- {t}");
                }
                out.push('\n');
            }
            Block::Numbered(v) => {
                for (i, t) in v.iter().enumerate() {
                    let _ = writeln!(out, "{}. {t}", i + 1);
                }
                out.push('\n');
            }
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn html(doc: &[Block], lang: Lang) -> String {
    let title = doc
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("");
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\nbody {{ font-family: 'Times New Roman', serif; max-width: 48em; margin: 2em auto; line-height: 1.45; }}\nh1 {{ font-size: 1.4em; text-align: center; }}\nh2 {{ font-size: 1.1em; margin-top: 1.6em; }}\nol li {{ margin-bottom: 0.5em; }}\n@media print {{ body {{ margin: 0; }} }}\n</style>\n</head>\n<body>\n",
        if lang == Lang::En { "en" } else { "ru" },
        esc(title)
    );
    for b in doc {
        match b {
            Block::Title(t) => {
                let _ = writeln!(out, "<h1>{}</h1>", esc(t));
            }
            Block::Heading(t) => {
                let _ = writeln!(out, "<h2>{}</h2>", esc(t));
            }
            Block::Para(t) => {
                let _ = writeln!(out, "<p>{}</p>", esc(t));
            }
            Block::Items(v) => {
                out.push_str("<ul>\n");
                for t in v {
                    let _ = writeln!(out, "<li>{}</li>", esc(t));
                }
                out.push_str("</ul>\n");
            }
            Block::Numbered(v) => {
                out.push_str("<ol>\n");
                for t in v {
                    let _ = writeln!(out, "<li>{}</li>", esc(t));
                }
                out.push_str("</ol>\n");
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Parse an azimuth such as `123°45′06.80″` or `123°45′06,80″`.
pub fn parse_azimuth(text: &str) -> Result<f64, String> {
    let t = text.trim().replace(',', ".");
    let v = parse_angle(&t, Axis::Longitude).or_else(|_| {
        // Azimuths run to 360°: parse the part beyond 180° as a longitude.
        let (d, rest) = t
            .split_once('°')
            .ok_or(format!("{text:?}: not an azimuth"))?;
        let d: f64 = d
            .trim()
            .parse()
            .map_err(|_| format!("{text:?}: not an azimuth"))?;
        let r = parse_angle(&format!("0°{rest}"), Axis::Longitude)?;
        Ok::<f64, String>(d + r)
    })?;
    if !(0.0..360.0).contains(&v) {
        return Err(format!("{text:?}: an azimuth runs from 0° to 360°"));
    }
    Ok(v)
}

/// A number as written in either language: "1,234.567" or "1 234,567".
fn parse_number(text: &str) -> Result<f64, String> {
    let t: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .collect();
    let t = if t.contains('.') {
        t.replace(',', "")
    } else {
        t.replace(',', ".")
    };
    t.parse::<f64>()
        .map_err(|_| format!("{text:?} is not a number"))
}

/// A call parsed from a description.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCall {
    /// 1-based line of the text.
    pub line: usize,
    /// From pillar.
    pub from: String,
    /// To pillar.
    pub to: String,
    /// Azimuth, degrees (straight runs).
    pub azimuth_deg: Option<f64>,
    /// Distance, metres (straight runs).
    pub distance_m: Option<f64>,
}

fn after<'t>(s: &'t str, key: &str) -> Option<&'t str> {
    s.find(key).map(|i| &s[i + key.len()..])
}

/// A row as the description names it, in the case "from" and "to" take:
/// "pillar No. TG-012", or "turning point No. TG-012/T1 (no pillar)".
fn point_name(r: &terminus_demarcation::catalogue::CatalogueRow, lang: Lang) -> String {
    match (r.kind.marked(), lang) {
        (true, Lang::En) => format!("pillar No. {}", r.number),
        (false, Lang::En) => format!("turning point No. {} (no pillar)", r.number),
        (true, Lang::Ru) => format!("пограничного знака № {}", r.number),
        (false, Lang::Ru) => format!("поворотной точки № {} (без знака)", r.number),
    }
}

fn pillar_token(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .trim_end_matches(['.', ',', ';'])
        .to_string()
}

/// Parse the runs of a description (English or Russian, Markdown or plain
/// text; HTML tags are ignored).
pub fn parse(text: &str) -> Result<Vec<ParsedCall>, DocumentError> {
    let mut out = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        let l = strip_tags(raw);
        let err = |m: String| DocumentError::Parse { line, message: m };
        // (from keys, to keys, azimuth key, distance key, unit)
        type Keys = (
            [&'static str; 2],
            [&'static str; 2],
            &'static str,
            &'static str,
            &'static str,
        );
        const EN: Keys = (
            ["From pillar No. ", "From turning point No. "],
            ["to pillar No. ", "to turning point No. "],
            "at an azimuth of ",
            " for ",
            " m to ",
        );
        const RU: Keys = (
            ["От пограничного знака № ", "От поворотной точки № "],
            ["до пограничного знака № ", "до поворотной точки № "],
            "по азимуту ",
            " на протяжении ",
            "м до ",
        );
        let (from_keys, to_keys, az_key, dist_key, unit) = if EN.0.iter().any(|k| l.contains(k)) {
            EN
        } else if RU.0.iter().any(|k| l.contains(k)) {
            RU
        } else {
            continue;
        };
        let first = |keys: [&str; 2]| {
            keys.iter()
                .filter_map(|k| l.find(k).map(|i| (i, *k)))
                .min()
                .map(|(i, k)| pillar_token(&l[i + k.len()..]))
                .unwrap_or_default()
        };
        let from = first(from_keys);
        let to = first(to_keys);
        if from.is_empty() || to.is_empty() {
            return Err(err(format!("a run needs both pillars: {:?}", l.trim())));
        }
        let (azimuth, distance) = match after(&l, az_key) {
            Some(rest) => {
                let az_text = rest.split_whitespace().next().unwrap_or("");
                let az = parse_azimuth(az_text).map_err(err)?;
                let d_text = after(rest, dist_key)
                    .and_then(|r| r.find(unit).map(|j| &r[..j]))
                    .ok_or_else(|| err(format!("no distance in {:?}", l.trim())))?;
                let d = parse_number(d_text.trim_end_matches('\u{a0}').trim()).map_err(err)?;
                if !(d.is_finite() && d >= 0.0) {
                    return Err(err(format!("distance {d} m")));
                }
                (Some(az), Some(d))
            }
            None => (None, None),
        };
        out.push(ParsedCall {
            line,
            from,
            to,
            azimuth_deg: azimuth,
            distance_m: distance,
        });
    }
    if out.is_empty() {
        return Err(DocumentError::Parse {
            line: 0,
            message: "no runs (\"From pillar No. …\" / \"От пограничного знака № …\") found".into(),
        });
    }
    Ok(out)
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' if inside => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Where the parsed calls lead, against the catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct Closure {
    /// Each pillar reached: number, misclosure in metres.
    pub pillars: Vec<(String, f64)>,
    /// Misclosure at the last pillar, metres.
    pub closure_m: f64,
    /// Largest misclosure at any pillar, metres.
    pub max_m: f64,
    /// Total length of the straight calls, metres.
    pub traversed_m: f64,
}

/// Follow the calls from the first call's start pillar (its catalogue
/// position) and compare every pillar reached with the catalogue. Feature
/// runs restart the chain at their end pillar's catalogue position.
pub fn closure(calls: &[ParsedCall], cat: &Catalogue) -> Result<Closure, DocumentError> {
    let pos = |n: &str, line: usize| -> Result<(f64, f64), DocumentError> {
        cat.rows
            .iter()
            .find(|r| r.number == n)
            .map(|r| (r.lat, r.lon))
            .ok_or_else(|| DocumentError::Parse {
                line,
                message: format!("pillar {n} is not in the catalogue"),
            })
    };
    let first = calls.first().ok_or_else(|| DocumentError::Parse {
        line: 0,
        message: "no calls".into(),
    })?;
    let geod = Ellipsoid::WGS84.geodesic();
    let mut at = pos(&first.from, first.line)?;
    let mut current = first.from.clone();
    let mut out = Vec::new();
    let mut traversed = 0.0;
    for c in calls {
        if c.from != current {
            return Err(DocumentError::Parse {
                line: c.line,
                message: format!(
                    "the run starts at pillar {} but the previous one ended at {current}",
                    c.from
                ),
            });
        }
        let target = pos(&c.to, c.line)?;
        match (c.azimuth_deg, c.distance_m) {
            (Some(az), Some(d)) => {
                let (lat, lon): (f64, f64) = geod.direct(at.0, at.1, az, d);
                at = (lat, lon);
                traversed += d;
                let miss: f64 = geod.inverse(at.0, at.1, target.0, target.1);
                out.push((c.to.clone(), miss));
            }
            _ => at = target,
        }
        current = c.to.clone();
    }
    let closure_m = out.last().map(|p| p.1).unwrap_or(0.0);
    let max_m = out.iter().map(|p| p.1).fold(0.0, f64::max);
    Ok(Closure {
        pillars: out,
        closure_m,
        max_m,
        traversed_m: traversed,
    })
}
