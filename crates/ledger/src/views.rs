//! What the record shows as map layers: sections, proposals, agreed lines
//! and pillars, as GeoJSON features (RFC 7946, longitude–latitude on
//! WGS 84).
//!
//! The record's events hold lines in their bodies; these functions read
//! them out for the bundle's GeoPackage layers and the service's OGC API
//! collections, so both show the same thing. Who may see which feature is
//! not decided here (the service's policy does that): every feature says
//! what it is (`status`, `party`, `section`) so the policy can.

use crate::record::{Agreed, Event, Replay};
use serde_json::{json, Value};
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// The kinds of event that carry a proposed line.
pub const LINE_KINDS: [&str; 3] = ["proposal", "counter_proposal", "amendment"];

/// The line of an event body: `line` as `[[lon, lat], …]` numbers, or the
/// agreed terms' text coordinates. `None` when there is no line of two or
/// more finite positions.
pub fn line_of(body: &Value) -> Option<Vec<(f64, f64)>> {
    let line = body
        .get("line")
        .or_else(|| body.get("terms").and_then(|t| t.get("line")))?;
    let num = |v: &Value| {
        v.as_f64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .filter(|x: &f64| x.is_finite())
    };
    let pts: Option<Vec<_>> = line
        .as_array()?
        .iter()
        .map(|p| Some((num(p.get(0)?)?, num(p.get(1)?)?)))
        .collect();
    pts.filter(|p| p.len() >= 2)
}

/// The record's layers, each a list of GeoJSON features.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    /// One feature per section named in the record: its agreed line, or
    /// its latest proposed line while under negotiation.
    pub sections: Vec<Value>,
    /// Every proposal, counter-proposal and amendment with a line, in
    /// record order (`status`: `shared`).
    pub proposals: Vec<Value>,
    /// The agreed line of each agreed section, as signed (the terms'
    /// coordinates).
    pub agreed_line: Vec<Value>,
    /// The pillars of the latest pillar catalogue attached to each agreed
    /// section.
    pub pillars: Vec<Value>,
}

fn line_geometry(line: &[(f64, f64)]) -> Value {
    json!({"type": "LineString", "coordinates": line.iter().map(|p| [p.0, p.1]).collect::<Vec<_>>()})
}

/// Read the layers out of `events`, as replayed by `replay` (which holds
/// the agreed sections and the latest attachments).
pub fn layers<E: Borrow<Event>>(events: &[E], replay: &Replay) -> Layers {
    let mut out = Layers::default();
    // Per section: its latest line event.
    let mut latest: BTreeMap<String, u64> = BTreeMap::new();
    for e in events.iter().map(Borrow::borrow) {
        let body = e.body_value();
        let section = body["section"]
            .as_str()
            .or_else(|| body["terms"]["section"].as_str());
        if LINE_KINDS.contains(&e.kind.as_str()) {
            if let (Some(line), Some(section)) = (line_of(&body), section) {
                latest.insert(section.to_string(), e.seq);
                out.proposals.push(json!({
                    "type": "Feature",
                    "id": e.seq,
                    "geometry": line_geometry(&line),
                    "properties": {
                        "seq": e.seq, "kind": e.kind, "section": section,
                        "author": e.author, "party": replay.ever(&e.author).map(|m| &m.party),
                        "time": e.time, "source": body.get("source"),
                        "status": "shared",
                    }
                }));
            }
        } else if let Some(section) = section {
            latest.entry(section.to_string()).or_insert(e.seq);
        }
    }
    let agreed = replay.agreed();
    let event = |seq: u64| events.get(seq as usize).map(Borrow::borrow);
    for (i, (section, &seq)) in latest.iter().enumerate() {
        let (status, geometry, at) = match agreed.get(section) {
            Some(a) => (
                "agreed",
                event(a.at).and_then(|e| line_of(&e.body_value())),
                a.at,
            ),
            None => (
                "under negotiation",
                event(seq).and_then(|e| line_of(&e.body_value())),
                seq,
            ),
        };
        out.sections.push(json!({
            "type": "Feature",
            "id": i + 1,
            "geometry": geometry.as_deref().map(line_geometry),
            "properties": {"section": section, "status": status, "event": at,
                "parties": agreed.get(section).map(|a| &a.parties)},
        }));
    }
    for (i, (section, a)) in agreed.iter().enumerate() {
        let Some(body) = event(a.at).map(Event::body_value) else {
            continue;
        };
        let Some(line) = line_of(&body) else { continue };
        out.agreed_line
            .push(agreed_feature(i + 1, section, a, &body, &line));
    }
    for ((section, what), &seq) in replay.attachments() {
        if what != "pillar_catalogue" || !agreed.contains_key(section) {
            continue;
        }
        let Some(body) = event(seq).map(Event::body_value) else {
            continue;
        };
        // Each pillar as the model's signed form reads it (a number, a
        // position, the catalogue's columns); an entry that is not one (a
        // body written by hand) is not drawn.
        let pillars = body["pillars"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                serde_json::from_value::<terminus_model::bodies::AttachedPillar>(p.clone()).ok()
            });
        for p in pillars {
            let mut props = serde_json::Map::new();
            props.insert("number".into(), json!(p.number));
            props.extend(p.columns);
            props.insert("section".into(), json!(section));
            props.insert("catalogue_event".into(), json!(seq));
            out.pillars.push(json!({
                "type": "Feature",
                "id": out.pillars.len() + 1,
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": props,
            }));
        }
    }
    out
}

fn agreed_feature(
    id: usize,
    section: &str,
    a: &Agreed,
    body: &Value,
    line: &[(f64, f64)],
) -> Value {
    json!({
        "type": "Feature",
        "id": id,
        "geometry": line_geometry(line),
        "properties": {
            "section": section,
            "parties": a.parties.join(", "),
            "mediator_countersigned": a.mediator,
            "agreed_at_event": a.at,
            "terms_sha256": a.terms_sha256,
            "decimals": body["terms"]["decimals"],
            "basis": body["terms"]["basis"],
            "protocol_sha256": body["terms"]["protocol_sha256"],
        }
    })
}

/// The bounding box of a GeoJSON geometry's positions: [west, south,
/// east, north]; `None` for no positions.
pub fn bbox(geometry: &Value) -> Option<[f64; 4]> {
    fn walk(v: &Value, b: &mut [f64; 4]) {
        if let Some(a) = v.as_array() {
            if let (Some(x), Some(y)) = (
                a.first().and_then(Value::as_f64),
                a.get(1).and_then(Value::as_f64),
            ) {
                b[0] = b[0].min(x);
                b[1] = b[1].min(y);
                b[2] = b[2].max(x);
                b[3] = b[3].max(y);
            } else {
                for c in a {
                    walk(c, b);
                }
            }
        }
    }
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    walk(&geometry["coordinates"], &mut b);
    (b[0] <= b[2]).then_some(b)
}
