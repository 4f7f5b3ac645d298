//! `GET /api/stream`: Server-Sent Events that tell an open page the moment
//! what its caller may see has changed, so every page shows another
//! member's append within a second (services sharing a store take in each
//! other's writes every second; a write to this service is announced at
//! once).
//!
//! The stream says only *that* the caller's view changed, never what or
//! how many writes were made: it is computed per caller from what the
//! policy lets them read (the collections' items they may open, the log's
//! length when they read the negotiation, their own party's drafts), so a
//! draft saved by the other delegation, invisible to them, is not
//! announced to them either — its timing would tell them something.
//!
//! Each announcement re-checks the caller's token against the record as it
//! is now: a member revoked meanwhile, or a token expired, gets a last
//! `signed-out` event with the reason and the stream ends.

use crate::http::{caller, ApiError};
use crate::ogc::{items_for, negotiates, visible};
use crate::policy::{allow, Action, Caller};
use crate::state::Service;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A digest of everything `c` may see now: equal digests, the same view.
pub fn view_of(s: &Service, c: Option<&Caller>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let cols = s.collections();
    for (name, _) in visible(c) {
        name.hash(&mut h);
        for item in items_for(c, name, &cols).unwrap_or_default() {
            // (Its brief: properties and bbox — what changes when the item
            // does —, not a million vertices hashed per change per page.)
            item.brief.hash(&mut h);
        }
    }
    let live = s.read_live();
    if negotiates(c) {
        live.events.len().hash(&mut h);
        live.heads.len().hash(&mut h);
    }
    if let Some(c) = c {
        if allow(Some(c), Action::ReadDrafts { party: &c.party }).is_ok() {
            for d in live.drafts.get(&c.party).into_iter().flatten() {
                d.id.hash(&mut h);
            }
        }
    }
    h.finish()
}

struct Watch {
    service: Arc<Service>,
    headers: HeaderMap,
    changes: tokio::sync::watch::Receiver<u64>,
    last: u64,
    opened: bool,
    done: bool,
}

/// `GET /api/stream` (members only).
pub async fn stream(
    axum::extract::State(s): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadAgreed)?;
    let changes = s.changes.subscribe();
    let last = view_of(&s, c.as_ref());
    let watch = Watch {
        service: s,
        headers,
        changes,
        last,
        opened: false,
        done: false,
    };
    let events = futures_util::stream::unfold(watch, |mut w| async move {
        if w.done {
            return None;
        }
        if !w.opened {
            w.opened = true;
            let e = Event::default().event("open").data("watching");
            return Some((Ok::<_, std::convert::Infallible>(e), w));
        }
        loop {
            if w.changes.changed().await.is_err() {
                return None; // the service is stopping
            }
            let c = match caller(&w.service, &w.headers) {
                Ok(c) => c,
                Err(e) => {
                    w.done = true;
                    let e = Event::default().event("signed-out").data(e.reason);
                    return Some((Ok(e), w));
                }
            };
            let now = view_of(&w.service, c.as_ref());
            if now != w.last {
                w.last = now;
                return Some((Ok(Event::default().event("changed").data("changed")), w));
            }
        }
    });
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response())
}
