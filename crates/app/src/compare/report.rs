//! The comparison as a document a delegation can put on the table:
//! Markdown, and self-contained HTML (styles and maps inline, no network).

use crate::words::{fill, Lang};
use std::fmt::Write;
use terminus_compare::Comparison;

/// Square metres as km² (or m² when small).
pub fn area(m2: f64) -> String {
    area_in(m2, Lang::En)
}

/// Metres as km (or m when short).
pub fn length(m: f64) -> String {
    length_in(m, Lang::En)
}

/// Square metres as km² (or m² when small), units in `lang`.
pub fn area_in(m2: f64, lang: Lang) -> String {
    let w = lang.words();
    let m2 = m2 + 0.0; // −0.0 (an empty sum) prints as 0
    if m2 >= 1e5 {
        format!("{:.3} {}²", m2 / 1e6, w.km)
    } else {
        format!("{m2:.0} {}²", w.m)
    }
}

/// Metres as km (or m when short), units in `lang`.
pub fn length_in(m: f64, lang: Lang) -> String {
    let w = lang.words();
    let m = m + 0.0;
    if m >= 1e4 {
        format!("{:.2} {}", m / 1e3, w.km)
    } else {
        format!("{m:.0} {}", w.m)
    }
}

fn latlon(p: (f64, f64)) -> String {
    let ns = if p.0 >= 0.0 { 'N' } else { 'S' };
    let ew = if p.1 >= 0.0 { 'E' } else { 'W' };
    format!("{:.4}°{ns} {:.4}°{ew}", p.0.abs(), p.1.abs())
}

/// A map to embed: its caption and files (relative to the report).
#[derive(Debug, Clone)]
pub struct MapRef {
    /// Caption.
    pub caption: String,
    /// SVG file name.
    pub svg: String,
    /// The SVG text, for inlining in HTML.
    pub svg_text: String,
}

/// The report in Markdown, ending with its provenance (what made it:
/// inputs with their SHA-256 and transformations, tolerances, version).
pub fn markdown(
    c: &Comparison,
    maps: &[MapRef],
    provenance: Option<&crate::provenance::Provenance>,
    lang: Lang,
) -> String {
    let w = lang.compare();
    let area = |m2: f64| area_in(m2, lang);
    let length = |m: f64| length_in(m, lang);
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", w.title);
    if !lang.words().report_language.is_empty() {
        let _ = writeln!(s, "{}\n", lang.words().report_language);
    }
    let _ = writeln!(s, "{}\n", fill(w.intro, &[&c.tolerance_m]));
    let _ = writeln!(s, "## {}\n", w.lines);
    let _ = writeln!(s, "{}", w.line_columns);
    for l in &c.lines {
        let sides: Vec<String> = l
            .sides
            .iter()
            .map(|p| {
                fill(
                    w.sides_text,
                    &[&p.piece, &p.left, &p.right, &w.decided_by(&p.decided_by)],
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            l.name,
            length(l.length_m),
            l.pieces,
            l.vertices,
            sides.join("; ")
        );
    }
    let _ = writeln!(s, "\n## {}\n", w.summary);
    let _ = writeln!(s, "{}", w.summary_columns);
    for p in &c.pairs {
        let gains: Vec<String> = p
            .gain_m2
            .iter()
            .map(|(k, v)| format!("{k}: {}", area(*v)))
            .collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} / {} | {:.1} % | {} | {} | {} | {} |",
            p.a,
            p.b,
            length(p.agreed_length_a_m),
            length(p.agreed_length_b_m),
            100.0 * p.agreed_share,
            p.discrepancy_count,
            area(p.discrepancy_area_m2),
            length(p.max_width_m),
            gains.join(", ")
        );
    }
    for p in &c.pairs {
        let _ = writeln!(s, "\n## {}\n", fill(w.versus, &[&p.a, &p.b]));
        let _ = writeln!(
            s,
            "{}\n",
            fill(
                w.polygons,
                &[
                    &(p.discrepancy_count + p.within_tolerance_count + p.one_source_count),
                    &area(p.area_between_m2),
                    &p.discrepancy_count,
                    &p.within_tolerance_count,
                    &area(p.within_tolerance_area_m2),
                    &p.one_source_count,
                    &area(p.one_source_area_m2)
                ]
            )
        );
        if p.agreement_at.len() > 1 {
            let _ = writeln!(
                s,
                "{}\n\n{}",
                w.agreement_at,
                fill(w.agreement_columns, &[&p.a, &p.b])
            );
            for t in &p.agreement_at {
                let _ = writeln!(
                    s,
                    "| {} | {} / {} | {:.1} % | {} | {} |",
                    length(t.tolerance_m),
                    length(t.agreed_length_a_m),
                    length(t.agreed_length_b_m),
                    100.0 * t.agreed_share,
                    t.discrepancy_count,
                    area(t.discrepancy_area_m2)
                );
            }
            let _ = writeln!(s);
        }
        // Gains per section.
        let mut by_section: std::collections::BTreeMap<(String, String), f64> = Default::default();
        for d in p.discrepancies.iter().filter(|d| d.beyond_tolerance) {
            let sec = d.section.clone().unwrap_or_else(|| "—".into());
            *by_section.entry((sec, d.party_by_a.clone())).or_default() += d.area_m2;
        }
        if !by_section.is_empty() {
            let _ = writeln!(s, "{}\n", fill(w.by_section, &[&p.a, &p.b]));
            let _ = writeln!(s, "{}", w.section_columns);
            for ((sec, party), a) in &by_section {
                let _ = writeln!(s, "| {sec} | {party} | {} |", area(*a));
            }
            let _ = writeln!(s);
        }
        let _ = writeln!(s, "{}\n", w.largest);
        let _ = writeln!(s, "{}", w.largest_columns);
        for d in p
            .discrepancies
            .iter()
            .filter(|d| d.beyond_tolerance)
            .take(10)
        {
            let places: Vec<&str> = d.places.iter().map(|x| x.name.as_str()).collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} / {} | {} / {} | {} | {} | {} | {} | {} |",
                d.id,
                area(d.area_m2),
                length(d.width_a_to_b_m),
                length(d.width_b_to_a_m),
                length(d.length_a_m),
                length(d.length_b_m),
                d.party_by_a,
                d.party_by_b,
                d.section.as_deref().unwrap_or("—"),
                latlon(d.inside_at),
                places.join(", ")
            );
        }
        let one: Vec<_> = p
            .discrepancies
            .iter()
            .filter(|d| !d.same_side && d.drawn_by_one.is_some())
            .collect();
        if !one.is_empty() {
            let _ = writeln!(
                s,
                "\n{}\n",
                fill(w.one_source, &[&area(p.one_source_area_m2)])
            );
            let _ = writeln!(s, "{}", w.one_source_columns);
            for d in &one {
                let by = d.drawn_by_one.as_deref().unwrap_or("");
                let (gives, other) = if by == p.a {
                    (&d.party_by_a, &d.party_by_b)
                } else {
                    (&d.party_by_b, &d.party_by_a)
                };
                let places: Vec<&str> = d.places.iter().map(|x| x.name.as_str()).collect();
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {gives} | {other} | {} | {} |",
                    d.id,
                    area(d.area_m2),
                    fill(w.only, &[&by]),
                    latlon(d.inside_at),
                    places.join(", ")
                );
            }
        }
        let affected: Vec<_> = p
            .discrepancies
            .iter()
            .filter(|d| d.beyond_tolerance)
            .flat_map(|d| d.places.iter().map(move |x| (d, x)))
            .collect();
        if !affected.is_empty() {
            let _ = writeln!(s, "\n{}\n", w.affected);
            let _ = writeln!(s, "{}", w.affected_columns);
            for (d, x) in affected {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    x.name,
                    latlon((x.lat, x.lon)),
                    d.id,
                    d.party_by_a,
                    d.party_by_b,
                    length(x.distance_to_a_m),
                    length(x.distance_to_b_m)
                );
            }
        }
        if !p.bridges.is_empty() || !p.joins.is_empty() {
            let _ = writeln!(s, "\n{}\n", w.closures);
            for b in &p.bridges {
                let _ = writeln!(
                    s,
                    "- {}",
                    fill(
                        w.bridge,
                        &[&b.line, &latlon(b.from), &latlon(b.to), &length(b.length_m)]
                    )
                );
            }
            for j in &p.joins {
                let _ = writeln!(
                    s,
                    "- {}",
                    fill(
                        w.join,
                        &[&latlon(j.from), &latlon(j.to), &length(j.length_m)]
                    )
                );
            }
        }
    }
    if let Some(t) = &c.territory {
        let _ = writeln!(
            s,
            "\n## {}\n",
            fill(w.territories, &[&t.parties[0], &t.parties[1]])
        );
        let _ = writeln!(
            s,
            "{}: {}; {}: {}.\n",
            t.parties[0],
            area(t.area_m2[0]),
            t.parties[1],
            area(t.area_m2[1])
        );
        let total: f64 = t.overlaps.iter().map(|o| o.area_m2).sum();
        let _ = writeln!(
            s,
            "{}\n",
            fill(w.overlaps, &[&t.overlaps.len(), &area(total)])
        );
        let parts = |s: &mut String, v: &[terminus_compare::TerritoryPart]| {
            let _ = writeln!(s, "{}", w.part_columns);
            for o in v {
                let near = o
                    .near
                    .as_ref()
                    .map(|(n, d)| format!("{n} ({})", length(*d)))
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} |",
                    o.kind,
                    area(o.area_m2),
                    latlon(o.at),
                    near,
                    o.note
                );
            }
        };
        if !t.overlaps.is_empty() {
            parts(&mut s, &t.overlaps);
        }
        let gaps: f64 = t.gaps.iter().map(|o| o.area_m2).sum();
        let _ = writeln!(s, "\n{}\n", fill(w.gaps, &[&t.gaps.len(), &area(gaps)]));
        if !t.gaps.is_empty() {
            parts(&mut s, &t.gaps);
        }
        if !t.enclaves_and_exclaves.is_empty() {
            let _ = writeln!(s, "\n{}\n", w.enclaves);
            parts(&mut s, &t.enclaves_and_exclaves);
        }
    }
    if !c.warnings.is_empty() {
        let _ = writeln!(s, "\n## {}\n", w.notes);
        if !w.engine_words.is_empty() {
            let _ = writeln!(s, "{}\n", w.engine_words);
        }
        for x in &c.warnings {
            let _ = writeln!(s, "- {x}");
        }
    }
    if !maps.is_empty() {
        let _ = writeln!(s, "\n## {}\n", w.maps);
        for m in maps {
            let _ = writeln!(s, "![{}]({})\n", m.caption, m.svg);
        }
    }
    if let Some(p) = provenance {
        let _ = write!(s, "\n{}", p.markdown());
    }
    s
}

/// The report as one self-contained HTML page: the Markdown's tables as
/// HTML, the maps inlined as SVG.
pub fn html(
    c: &Comparison,
    maps: &[MapRef],
    provenance: Option<&crate::provenance::Provenance>,
    lang: Lang,
) -> String {
    let w = lang.compare();
    let mut body = body_html(&markdown(c, &[], None, lang));
    if !maps.is_empty() {
        body.push_str(&format!("<h2>{}</h2>\n", w.maps));
        for m in maps {
            let _ = writeln!(
                body,
                "<figure>{}<figcaption>{}</figcaption></figure>",
                m.svg_text,
                escape(&m.caption)
            );
        }
    }
    // What made it closes the page, as it closes the Markdown.
    if let Some(p) = provenance {
        body.push_str(&body_html(&p.markdown()));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>\
body{{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}}\
table{{border-collapse:collapse;margin:1em 0;font-size:0.9em}}\
td,th{{border:1px solid #bbb;padding:0.25em 0.5em;text-align:left}}\
th{{background:#eee}}figure{{margin:1em 0}}svg{{max-width:100%;height:auto;border:1px solid #ccc}}\
</style></head><body>\n{body}</body></html>\n",
        w.code,
        escape(w.title)
    )
}

/// The Markdown this module writes (headings, paragraphs, items, tables,
/// `**bold**`, `` `code` ``) as HTML.
fn body_html(md: &str) -> String {
    let mut body = String::new();
    let mut in_table = false;
    for line in md.lines() {
        let esc = escape(line);
        if line.starts_with('|') {
            let cells: Vec<&str> = esc.trim_matches('|').split('|').map(str::trim).collect();
            if cells
                .iter()
                .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
            {
                continue;
            }
            if !in_table {
                body.push_str("<table>\n<tr>");
                for c in &cells {
                    let _ = write!(body, "<th>{c}</th>");
                }
                body.push_str("</tr>\n");
                in_table = true;
                continue;
            }
            body.push_str("<tr>");
            for c in &cells {
                let _ = write!(body, "<td>{}</td>", bold(c));
            }
            body.push_str("</tr>\n");
            continue;
        }
        if in_table {
            body.push_str("</table>\n");
            in_table = false;
        }
        if let Some(h) = esc.strip_prefix("## ") {
            let _ = writeln!(body, "<h2>{h}</h2>");
        } else if let Some(h) = esc.strip_prefix("# ") {
            let _ = writeln!(body, "<h1>{h}</h1>");
        } else if let Some(li) = esc.strip_prefix("- ") {
            let _ = writeln!(body, "<ul><li>{li}</li></ul>");
        } else if !esc.trim().is_empty() {
            let _ = writeln!(body, "<p>{}</p>", bold(&esc));
        }
    }
    if in_table {
        body.push_str("</table>\n");
    }
    body
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Markdown's `**bold**` and `` `code` `` as HTML.
fn bold(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split("**").enumerate() {
        let part = code(part);
        if i % 2 == 1 {
            let _ = write!(out, "<b>{part}</b>");
        } else {
            out.push_str(&part);
        }
    }
    out
}

fn code(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}
