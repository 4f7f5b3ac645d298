//! The JSON API over the record: read the log, its tree heads and proofs;
//! append signed events and tree heads; a delegation's drafts. Described
//! in `openapi.json`.

use crate::http::{caller, ApiError};
use crate::policy::{allow, Action, Caller};
use crate::state::Service;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use terminus_ledger::merkle;
use terminus_ledger::record::{check_line, Event, TreeHead};
use terminus_ledger::store::{Draft, StoreError};

fn body_bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|r| {
        let status = r.status();
        let reason = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "the request body is larger than this service accepts (see --max-body); nothing was stored".to_string()
        } else {
            format!("the request body could not be read: {}", r.body_text())
        };
        ApiError::new(status, reason)
    })
}

fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad(format!(
            "the body is not {what} (line {}, column {}): {e}; nothing was stored",
            e.line(),
            e.column()
        ))
    })
}

/// `GET /api/commission`: who is who.
pub async fn commission(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadAgreed)?;
    let live = s.read_live();
    let members: Vec<&terminus_ledger::record::Member> = live.replay.members().values().collect();
    Ok(Json(json!({
        "commission": s.commission,
        "events": live.replay.len(),
        "members": members,
        "you": c.map(|c| you(&c)),
    })))
}

/// The caller as the record knows them, and what the policy lets them do
/// (the web workspace shows only the controls in `may`; every request is
/// decided by [`allow`] again all the same).
fn you(c: &Caller) -> Value {
    let may = |a: Action| allow(Some(c), a).is_ok();
    json!({
        "member": c.member,
        "party": c.party,
        "role": c.role,
        "may": {
            "read_negotiation": may(Action::ReadNegotiation),
            "read_drafts": may(Action::ReadDrafts { party: &c.party }),
            "write_draft": may(Action::WriteDraft { party: &c.party }),
            "append": may(Action::Append { author: &c.member }),
            "run_workflow": may(Action::RunWorkflow),
        },
    })
}

/// `GET /api/events?from=&limit=`: the log.
pub async fn events(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadNegotiation)?;
    let num = |k: &str, d: u64| whole(&q, k, Some(d));
    let from = num("from", 0)?;
    if from > 1_000_000_000_000 {
        return Err(ApiError::bad(format!(
            "from={from}: give a position from 0 to 10^12"
        )));
    }
    let from = from as usize;
    let limit = num("limit", 1000)?;
    if !(1..=10_000).contains(&limit) {
        return Err(ApiError::bad(format!(
            "limit={limit}: give a whole number from 1 to 10000"
        )));
    }
    let limit = limit as usize;
    let live = s.read_live();
    // The page is the stored texts joined: no event is re-serialised.
    let page = live.texts.get(from..).unwrap_or_default();
    let page = &page[..limit.min(page.len())];
    let mut out = String::with_capacity(96 + page.iter().map(|t| t.len() + 1).sum::<usize>());
    out.push_str("{\"commission\":");
    out.push_str(&serde_json::Value::String(s.commission.clone()).to_string());
    out.push_str(&format!(
        ",\"size\":{},\"from\":{from},\"events\":[",
        live.texts.len()
    ));
    for (i, t) in page.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(t);
    }
    out.push_str("]}");
    Ok(json_text(out))
}

/// A JSON response from text already made.
fn json_text(text: String) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        text,
    )
        .into_response()
}

/// `GET /api/events/{seq}`.
pub async fn event(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Path(seq): Path<String>,
) -> Result<Response, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadNegotiation)?;
    let live = s.read_live();
    let e = seq
        .parse::<usize>()
        .ok()
        .and_then(|i| live.texts.get(i))
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "no event {seq}: the record has {} (0 to {})",
                live.texts.len(),
                live.texts.len().saturating_sub(1)
            ))
        })?;
    Ok(json_text(e.to_string()))
}

/// `POST /api/events`: append one event, signed by its author, who must
/// be the caller.
pub async fn append(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let c = caller(&s, &headers)?;
    let bytes = body_bytes(body)?;
    let e: Event = parse(
        &bytes,
        "a signed event (seq, commission, kind, author, time, prev, body, signature)",
    )?;
    allow(c.as_ref(), Action::Append { author: &e.author })?;
    let service = s.clone();
    let (seq, root) = tokio::task::spawn_blocking(move || write_event(&service, e))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok((
        StatusCode::CREATED,
        Json(json!({"seq": seq, "size": seq + 1, "root": root})),
    )
        .into_response())
}

fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Record(r) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{r}; nothing was stored"),
        ),
        StoreError::Conflict(why) => {
            ApiError::new(StatusCode::CONFLICT, format!("{why}; nothing was stored"))
        }
        other => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
    }
}

fn write_event(s: &Service, e: Event) -> Result<(u64, String), ApiError> {
    let mut store = s.lock_store();
    s.refresh(&mut **store).map_err(store_error)?;
    let replay = store.replay();
    if e.seq != replay.len() || e.prev != replay.prev() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "the record has {} events and the next must link to {}; this event says seq {} and prev {}: fetch the log and sign again; nothing was stored",
                replay.len(),
                if replay.prev().is_empty() { "nothing" } else { replay.prev() },
                e.seq,
                if e.prev.is_empty() { "nothing" } else { &e.prev }
            ),
        ));
    }
    // Its served text is made before it is kept, so that a kept event
    // always has one.
    let text = crate::state::event_text(&e).map_err(store_error)?;
    store.append(&e).map_err(store_error)?;
    let root = store.replay().root();
    let seq = e.seq;
    let members_changed = matches!(e.kind.as_str(), "member" | "revoke" | "rotate");
    let mut live = s.write_live();
    // The service's copy of the state takes the same event in (one more
    // signature check, instead of copying a state that grows with the
    // log). If it cannot — another service appended between our refresh
    // and our append, and the store took those events in — reload.
    if live.replay.len() + 1 != store.replay().len() || live.replay.apply(&e).is_err() {
        drop(live);
        s.reload(&mut **store).map_err(store_error)?;
        return Ok((seq, root));
    }
    for m in store.replay().members().values() {
        live.drafts.entry(m.party.clone()).or_default();
    }
    live.texts.push(text);
    live.events.push(Arc::new(e));
    live.version += 1;
    s.changed(live.version);
    if members_changed {
        s.members_version
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }
    Ok((seq, root))
}

/// `GET /api/tree-head`: the log's current head and the signed heads.
pub async fn tree_head(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadNegotiation)?;
    // What the next event must say is asked right before signing one:
    // take in what services sharing the store wrote first.
    let service = s.clone();
    tokio::task::spawn_blocking(move || {
        let mut store = service.lock_store();
        service.refresh(&mut **store).map_err(store_error)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    let live = s.read_live();
    Ok(Json(json!({
        "size": live.replay.len(),
        "root": live.replay.root(),
        "signed": live.heads,
        // What the next event must say: sign it with `terminus sign
        // --print --seq … --prev …`.
        "next": {"seq": live.replay.len(), "prev": live.replay.prev()},
    })))
}

/// `POST /api/tree-heads`: keep a head signed by the caller.
pub async fn add_head(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let c = caller(&s, &headers)?;
    let bytes = body_bytes(body)?;
    let h: TreeHead = parse(&bytes, "a signed tree head (size, root, signer, signature)")?;
    allow(c.as_ref(), Action::Append { author: &h.signer })?;
    let service = s.clone();
    tokio::task::spawn_blocking(move || {
        let mut store = service.lock_store();
        store.add_head(&h).map_err(store_error)?;
        let mut live = service.write_live();
        live.heads.push(h);
        live.version += 1;
        service.changed(live.version);
        Ok::<_, ApiError>(())
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok((StatusCode::CREATED, Json(json!({"kept": true}))).into_response())
}

fn hexes(h: &[merkle::Hash]) -> Vec<String> {
    h.iter().map(hex::encode).collect()
}

/// A whole-number query parameter, or its default; 400 when missing
/// without a default or not a whole number.
fn whole(q: &HashMap<String, String>, k: &str, default: Option<u64>) -> Result<u64, ApiError> {
    match q.get(k) {
        Some(t) => t
            .parse()
            .map_err(|_| ApiError::bad(format!("{k}={t}: give a whole number"))),
        None => default.ok_or_else(|| ApiError::bad(format!("give {k}"))),
    }
}

/// `GET /api/proofs/inclusion?seq=&size=`: RFC 9162 inclusion proof of
/// an event in the tree of the first `size` events.
pub async fn inclusion(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadNegotiation)?;
    let live = s.read_live();
    let n = live.replay.len();
    let get = |k: &str, d: Option<u64>| whole(&q, k, d);
    let seq = get("seq", None)?;
    let size = get("size", Some(n))?;
    if size > n || seq >= size {
        return Err(ApiError::bad(format!(
            "seq={seq}, size={size}: need seq < size ≤ {n} (the record's size)"
        )));
    }
    let leaves = &live.replay.leaves()[..size as usize];
    let proof = merkle::inclusion_proof(leaves, seq as usize)
        .ok_or_else(|| ApiError::bad("no such proof"))?;
    Ok(Json(json!({
        "seq": seq, "size": size,
        "leaf": hex::encode(leaves[seq as usize]),
        "root": hex::encode(merkle::root(leaves)),
        "path": hexes(&proof),
    })))
}

/// `GET /api/proofs/consistency?first=&second=`: RFC 9162 consistency
/// proof between the trees of the first `first` and `second` events.
pub async fn consistency(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadNegotiation)?;
    let live = s.read_live();
    let n = live.replay.len();
    let get = |k: &str, d: Option<u64>| whole(&q, k, d);
    let first = get("first", None)?;
    let second = get("second", Some(n))?;
    if first == 0 || first > second || second > n {
        return Err(ApiError::bad(format!(
            "first={first}, second={second}: need 0 < first ≤ second ≤ {n} (the record's size)"
        )));
    }
    let leaves = &live.replay.leaves()[..second as usize];
    let proof = merkle::consistency_proof(leaves, first as usize)
        .ok_or_else(|| ApiError::bad("no such proof"))?;
    Ok(Json(json!({
        "first": first, "second": second,
        "first_root": hex::encode(merkle::root(&leaves[..first as usize])),
        "second_root": hex::encode(merkle::root(leaves)),
        "path": hexes(&proof),
    })))
}

/// `GET /api/sections`: every section and its status (observers: the
/// agreed ones).
pub async fn sections(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadAgreed)?;
    let negotiation = allow(c.as_ref(), Action::ReadNegotiation).is_ok();
    let cols = s.collections();
    let list: Vec<Value> = cols
        .by_name
        .get("sections")
        .into_iter()
        .flatten()
        .filter(|i| negotiation || i.agreed)
        .filter_map(|i| serde_json::from_str::<Value>(&i.json).ok())
        .map(|f| f["properties"].clone())
        .collect();
    Ok(Json(json!({"sections": list})))
}

/// `GET /api/drafts`: the caller's party's drafts.
pub async fn drafts(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let c = caller(&s, &headers)?;
    let party = c.as_ref().map(|c| c.party.clone()).unwrap_or_default();
    allow(c.as_ref(), Action::ReadDrafts { party: &party })?;
    let live = s.read_live();
    Ok(Json(
        json!({"party": party, "drafts": live.drafts.get(&party).cloned().unwrap_or_default()}),
    ))
}

/// `GET /api/drafts/{id}`: one of the caller's party's drafts (another
/// party's draft is "not found": its existence is not disclosed).
pub async fn draft(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let c = caller(&s, &headers)?;
    let party = c.as_ref().map(|c| c.party.clone()).unwrap_or_default();
    allow(c.as_ref(), Action::ReadDrafts { party: &party })?;
    let live = s.read_live();
    let d = id
        .parse::<u64>()
        .ok()
        .and_then(|n| live.drafts.get(&party)?.iter().find(|d| d.id == n))
        .ok_or_else(|| ApiError::not_found(format!("party {party} has no draft {id}")))?;
    Ok(Json(json!(d)))
}

/// The kinds a draft may be.
const DRAFT_KINDS: [&str; 3] = ["proposal", "counter_proposal", "comment"];

/// `POST /api/drafts`: keep a draft of the caller's party, signed by the
/// caller (`terminus_ledger::draft::Draft`): `{"party", "author", "time",
/// "body": {"section", "kind", "line": [[lon, lat], …], "source",
/// "text"}, "signature"}`.
pub async fn add_draft(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let c = caller(&s, &headers)?;
    let party = c.as_ref().map(|c| c.party.clone()).unwrap_or_default();
    allow(c.as_ref(), Action::WriteDraft { party: &party })?;
    let bytes = body_bytes(body)?;
    let d: Draft = parse(
        &bytes,
        "a signed draft (party, author, time, body, signature)",
    )?;
    allow(c.as_ref(), Action::Append { author: &d.author })?;
    let unprocessable = |why: String| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{why}; nothing was stored"),
        )
    };
    if d.party != party {
        return Err(unprocessable(format!(
            "the draft says party {}, its author is of {party}",
            d.party
        )));
    }
    let v = &d.body;
    if !v.is_object() {
        return Err(unprocessable("a draft's body is a JSON object".into()));
    }
    let section = v["section"].as_str().unwrap_or("").to_string();
    if section.trim().is_empty() {
        return Err(unprocessable("the draft names no \"section\"".into()));
    }
    let kind = v["kind"].as_str().unwrap_or("proposal").to_string();
    if !DRAFT_KINDS.contains(&kind.as_str()) {
        return Err(unprocessable(format!(
            "kind \"{kind}\": a draft is one of {}",
            DRAFT_KINDS.join(", ")
        )));
    }
    if kind != "comment" || v.get("line").is_some() {
        check_line(v).map_err(|why| unprocessable(format!("its line is malformed: {why}")))?;
    }
    let known = s.read_live().replay.knows_section(&section);
    if !known && kind != "proposal" {
        return Err(unprocessable(format!(
            "section \"{section}\" is unknown: a {kind} answers a section already in the record"
        )));
    }
    let service = s.clone();
    let d = tokio::task::spawn_blocking(move || {
        let mut store = service.lock_store();
        let mut d = d;
        d.id = store.add_draft(&d).map_err(|e| match e {
            StoreError::Other(why) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, why),
            other => store_error(other),
        })?;
        let mut live = service.write_live();
        live.drafts
            .entry(d.party.clone())
            .or_default()
            .push(d.clone());
        live.version += 1;
        service.changed(live.version);
        Ok::<_, ApiError>(d)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok((StatusCode::CREATED, Json(json!(d))).into_response())
}

/// `POST /api/bundles/verify`: a bundle (the GeoPackage `terminus ledger
/// export` writes, as the body) verified as `terminus ledger verify` does —
/// every event, tree head and draft, the seal, and each layer against the
/// log — through the application layer, not a copy. Anyone may ask: a
/// verification reveals nothing of this service's record, and the answer
/// says whether the bundle is this commission's.
pub async fn verify_bundle(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadDescription)?;
    if body.is_empty() {
        return Err(ApiError::bad(
            "send the bundle (a GeoPackage from `terminus ledger export`) as the body",
        ));
    }
    let ours = s.commission.clone();
    let verdict = tokio::task::spawn_blocking(move || -> Result<Value, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("bundle.gpkg");
        std::fs::write(&path, &body).map_err(|e| e.to_string())?;
        terminus_app::ledger::verify_file_with_witness(&path, None)
            .map(|v| terminus_app::ledger::verification_json(&v))
            .map_err(|f| f.message)
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "verification failed"))?;
    match verdict {
        Ok(mut v) => {
            let same = v["commission"].as_str() == Some(ours.as_str());
            v["this_commission"] = json!(same);
            Ok(Json(v))
        }
        Err(why) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("not a bundle: {why}"),
        )),
    }
}
