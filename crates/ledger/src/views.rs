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

/// An event's body as the views read it: parsed once, its line (`line`,
/// or the terms' `line`) taken out as numbers and the rest kept.
#[derive(Debug)]
pub struct ReadBody {
    /// The body without its line (its section, source, terms' other
    /// fields, pillars).
    pub rest: Value,
    /// Its line, when it has one of two or more finite positions.
    pub line: Option<Vec<(f64, f64)>>,
    /// The line as GeoJSON text and its bounding box, made once.
    text: std::sync::OnceLock<(String, [f64; 4])>,
}

impl ReadBody {
    fn of(e: &Event) -> ReadBody {
        let mut rest = e.body_value();
        let line = line_of(&rest);
        if line.is_some() {
            // (A million-vertex line is kept once, as numbers.)
            if let Some(m) = rest.as_object_mut() {
                m.remove("line");
            }
            if let Some(t) = rest.get_mut("terms").and_then(Value::as_object_mut) {
                t.remove("line");
            }
        }
        ReadBody {
            rest,
            line,
            text: std::sync::OnceLock::new(),
        }
    }

    /// The line as a GeoJSON LineString's text, exactly as serde_json
    /// writes [`Lazy::to_value`]'s geometry, and its bounding box [west,
    /// south, east, north]; made once (None without a line).
    pub fn geometry_text(&self) -> Option<(&str, [f64; 4])> {
        let line = self.line.as_deref()?;
        let (t, b) = self.text.get_or_init(|| {
            let g = line_geometry(line);
            let b = bbox(&g).unwrap_or([f64::NAN; 4]);
            (serde_json::to_string(&g).unwrap_or_default(), b)
        });
        Some((t, *b))
    }
}

/// A feature of the layers whose line is an event's: its GeoJSON with
/// `"geometry": null`, and the body holding the line — so that a service
/// deriving its collections at every version of a record writes a
/// million-vertex line's text once, not a tree of values per version.
#[derive(Debug, Clone)]
pub struct Lazy {
    /// The feature (`type`, `id`, `geometry`, `properties`, in this
    /// order), its geometry `null` when `line` holds it.
    pub feature: Value,
    /// The body whose line is the geometry.
    pub line: Option<std::sync::Arc<ReadBody>>,
}

impl Lazy {
    fn of(feature: Value, line: Option<std::sync::Arc<ReadBody>>) -> Lazy {
        Lazy { feature, line }
    }

    /// The whole feature.
    pub fn to_value(&self) -> Value {
        let mut f = self.feature.clone();
        if let Some(line) = self.line.as_ref().and_then(|b| b.line.as_deref()) {
            f["geometry"] = line_geometry(line);
        }
        f
    }

    /// The whole feature as JSON text: `serde_json::to_string` of
    /// [`Lazy::to_value`], the line's text written once and reused.
    pub fn to_json(&self) -> String {
        match self.line.as_ref().and_then(|b| b.geometry_text()) {
            Some((g, _)) => format!(
                "{{\"type\":{},\"id\":{},\"geometry\":{g},\"properties\":{}}}",
                self.feature["type"], self.feature["id"], self.feature["properties"]
            ),
            None => serde_json::to_string(&self.feature).unwrap_or_default(),
        }
    }

    /// The bounding box of its geometry.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        match self.line.as_ref().and_then(|b| b.geometry_text()) {
            Some((_, b)) => Some(b),
            None => bbox(&self.feature["geometry"]),
        }
    }
}

/// [`Layers`] whose lines are read lazily (see [`Lazy`]).
#[derive(Debug, Clone, Default)]
pub struct LazyLayers {
    /// As [`Layers::sections`].
    pub sections: Vec<Lazy>,
    /// As [`Layers::proposals`].
    pub proposals: Vec<Lazy>,
    /// As [`Layers::agreed_line`].
    pub agreed_line: Vec<Lazy>,
    /// As [`Layers::pillars`].
    pub pillars: Vec<Lazy>,
}

impl LazyLayers {
    /// The layers with every geometry in place.
    pub fn values(&self) -> Layers {
        let all = |v: &[Lazy]| v.iter().map(Lazy::to_value).collect();
        Layers {
            sections: all(&self.sections),
            proposals: all(&self.proposals),
            agreed_line: all(&self.agreed_line),
            pillars: all(&self.pillars),
        }
    }
}

/// Bodies already read, by event signature (an Ed25519 signature over
/// the whole event: the same signature, the same body): a service that
/// derives its layers at every new version of the record reads each
/// event's body once, not once per version — a record holding
/// million-vertex claim lines would otherwise parse them again at every
/// comment. Only events of the record are read into it.
#[derive(Debug, Default)]
pub struct BodyCache {
    read: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<ReadBody>>>,
}

impl BodyCache {
    /// The body of `e`, read now or before.
    pub fn body(&self, e: &Event) -> std::sync::Arc<ReadBody> {
        if let Some(b) = self.held().get(&e.signature) {
            return b.clone();
        }
        let b = std::sync::Arc::new(ReadBody::of(e));
        self.held().insert(e.signature.clone(), b.clone());
        b
    }

    /// The map (a panic elsewhere while holding it leaves complete
    /// entries: still good).
    fn held(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, std::sync::Arc<ReadBody>>>
    {
        self.read.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Bodies held.
    pub fn len(&self) -> usize {
        self.held().len()
    }

    /// Whether none is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Read the layers out of `events`, as replayed by `replay` (which holds
/// the agreed sections and the latest attachments).
pub fn layers<E: Borrow<Event>>(events: &[E], replay: &Replay) -> Layers {
    layers_with(events, replay, &BodyCache::default()).values()
}

/// [`layers`], each event's body read through `cache`, the lines left in
/// the bodies (see [`Lazy`]).
pub fn layers_with<E: Borrow<Event>>(
    events: &[E],
    replay: &Replay,
    cache: &BodyCache,
) -> LazyLayers {
    let mut out = LazyLayers::default();
    // Per section: its latest line event.
    let mut latest: BTreeMap<String, u64> = BTreeMap::new();
    for e in events.iter().map(Borrow::borrow) {
        let read = cache.body(e);
        let body = &read.rest;
        let section = body["section"]
            .as_str()
            .or_else(|| body["terms"]["section"].as_str());
        if LINE_KINDS.contains(&e.kind.as_str()) {
            if let (Some(_), Some(section)) = (&read.line, section) {
                latest.insert(section.to_string(), e.seq);
                out.proposals.push(Lazy::of(
                    json!({
                        "type": "Feature",
                        "id": e.seq,
                        "geometry": null,
                        "properties": {
                            "seq": e.seq, "kind": e.kind, "section": section,
                            "author": e.author, "party": replay.ever(&e.author).map(|m| &m.party),
                            "time": e.time, "source": body.get("source"),
                            "status": "shared",
                        }
                    }),
                    Some(read.clone()),
                ));
            }
        } else if let Some(section) = section {
            latest.entry(section.to_string()).or_insert(e.seq);
        }
    }
    let agreed = replay.agreed();
    let event = |seq: u64| events.get(seq as usize).map(Borrow::borrow);
    let line_at = |seq: u64| {
        event(seq)
            .map(|e| cache.body(e))
            .filter(|b| b.line.is_some())
    };
    for (i, (section, &seq)) in latest.iter().enumerate() {
        let (status, line, at) = match agreed.get(section) {
            Some(a) => ("agreed", line_at(a.at), a.at),
            None => ("under negotiation", line_at(seq), seq),
        };
        out.sections.push(Lazy::of(
            json!({
                "type": "Feature",
                "id": i + 1,
                "geometry": null,
                "properties": {"section": section, "status": status, "event": at,
                    "parties": agreed.get(section).map(|a| &a.parties)},
            }),
            line,
        ));
    }
    for (i, (section, a)) in agreed.iter().enumerate() {
        let Some(read) = line_at(a.at) else {
            continue;
        };
        out.agreed_line.push(Lazy::of(
            agreed_feature(i + 1, section, a, &read.rest),
            Some(read.clone()),
        ));
    }
    for ((section, what), &seq) in replay.attachments() {
        if what != "pillar_catalogue" || !agreed.contains_key(section) {
            continue;
        }
        let Some(read) = event(seq).map(|e| cache.body(e)) else {
            continue;
        };
        let body = &read.rest;
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
            out.pillars.push(Lazy::of(
                json!({
                    "type": "Feature",
                    "id": out.pillars.len() + 1,
                    "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                    "properties": props,
                }),
                None,
            ));
        }
    }
    out
}

fn agreed_feature(id: usize, section: &str, a: &Agreed, body: &Value) -> Value {
    json!({
        "type": "Feature",
        "id": id,
        "geometry": null,
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
