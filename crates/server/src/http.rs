//! What every request goes through: the caller's token, the rate limit,
//! and errors as JSON with a reason.

use crate::policy::{Caller, Denied};
use crate::state::{held, Service};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use terminus_ledger::token;

/// An error response: status, and a reason a person can act on.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What was wrong.
    pub reason: String,
}

impl ApiError {
    /// An error with `status` and `reason`.
    pub fn new(status: StatusCode, reason: impl Into<String>) -> ApiError {
        ApiError {
            status,
            reason: reason.into(),
        }
    }
    /// 400.
    pub fn bad(reason: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, reason)
    }
    /// 404.
    pub fn not_found(reason: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, reason)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "code": self.status.as_u16(),
            "error": self.status.canonical_reason().unwrap_or("error"),
            "reason": self.reason,
        });
        let mut r = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"terminus\""),
            );
        }
        r
    }
}

impl From<Denied> for ApiError {
    fn from(d: Denied) -> ApiError {
        match d {
            Denied::Unauthenticated => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "send a member's token: Authorization: Bearer tmn1.… (made with `terminus keys token`)",
            ),
            Denied::Forbidden(why) => ApiError::new(StatusCode::FORBIDDEN, why),
        }
    }
}

/// Unix seconds now.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The caller a request's `Authorization` header names, checked against
/// the record's members now; `None` when there is no header.
pub fn caller(service: &Service, headers: &HeaderMap) -> Result<Option<Caller>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let unauth = |why: String| ApiError::new(StatusCode::UNAUTHORIZED, why);
    let text = value
        .to_str()
        .map_err(|_| unauth("the Authorization header is not text".into()))?;
    // One text per token: exactly "Bearer " and the token, nothing
    // around it (a second spelling would be a second client to the rate
    // limit and a second cache entry).
    let t = text
        .strip_prefix("Bearer ")
        .ok_or_else(|| unauth("Authorization must be \"Bearer <token>\"".into()))?;
    let now = now();
    let members_version = service.members_version.load(Ordering::Acquire);
    if let Some((c, expires, v)) = held(&service.tokens).get(t) {
        if *v == members_version && *expires > now {
            return Ok(Some(c.clone()));
        }
    }
    let claims = token::claims(t).map_err(|e| unauth(e.to_string()))?;
    if claims.commission != service.commission {
        return Err(unauth(format!(
            "the token is for commission \"{}\", this service keeps \"{}\"",
            claims.commission, service.commission
        )));
    }
    if claims.expires <= now {
        return Err(unauth("the token has expired: make a new one".into()));
    }
    if claims.expires - now > service.config.max_token_age_s {
        return Err(unauth(format!(
            "the token is valid for {} days; at most {} are accepted",
            (claims.expires - now) / 86_400,
            service.config.max_token_age_s / 86_400
        )));
    }
    let member = {
        let live = service.read_live();
        live.replay.members().get(&claims.member).cloned()
    };
    let Some(m) = member else {
        return Err(unauth(format!(
            "{} is not a member of the commission (or their key was revoked)",
            claims.member
        )));
    };
    token::check(t, &m.public_key).map_err(|e| unauth(e.to_string()))?;
    let c = Caller {
        member: m.id,
        party: m.party,
        role: m.role,
    };
    let mut cache = held(&service.tokens);
    if cache.len() >= MAX_TOKENS {
        // Expired and outdated entries go first; if the members' valid
        // tokens alone fill it, it starts again (each is checked anew).
        cache.retain(|_, (_, expires, v)| *expires > now && *v == members_version);
        if cache.len() >= MAX_TOKENS {
            cache.clear();
        }
    }
    // Only verified tokens are kept, each at most token::MAX_LEN bytes:
    // the cache holds at most MAX_TOKENS × 2 kB.
    cache.insert(t.to_string(), (c.clone(), claims.expires, members_version));
    Ok(Some(c))
}

/// Verified tokens kept at most (each ≤ 2 kB).
pub const MAX_TOKENS: usize = 10_000;
/// Rate-limit buckets kept at most (one per member or address, each a
/// short key and two numbers).
pub const MAX_BUCKETS: usize = 50_000;

/// Who a request counts against for the rate limit: the member whose
/// token the service has already verified, else the address it comes
/// from. Anonymous callers and callers with tokens not (yet) verified —
/// garbage, another spelling, another member's forgery — share their
/// address's bucket, so varying the header escapes nothing, and the map
/// grows with members and addresses, not with headers.
fn client_key(service: &Service, request: &Request) -> String {
    let verified = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| t.len() <= token::MAX_LEN)
        .and_then(|t| {
            held(&service.tokens)
                .get(t)
                .map(|(c, _, _)| c.member.clone())
        });
    match verified {
        Some(member) => format!("member {member}"),
        None => format!(
            "address {}",
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_default()
        ),
    }
}

/// Take one request from `key`'s bucket: `None` when allowed, else the
/// seconds to wait.
fn take(service: &Service, key: String) -> Option<u64> {
    let (rate, burst) = (service.config.rate_per_s, service.config.burst);
    let mut buckets = held(&service.buckets);
    let now = Instant::now();
    if buckets.len() >= MAX_BUCKETS {
        // A bucket refilled to the brim is the same as none.
        buckets.retain(|_, b| b.0 + now.duration_since(b.1).as_secs_f64() * rate < burst);
        if buckets.len() >= MAX_BUCKETS {
            buckets.clear();
        }
    }
    let b = buckets.entry(key).or_insert((burst, now));
    b.0 = (b.0 + now.duration_since(b.1).as_secs_f64() * rate).min(burst);
    b.1 = now;
    if b.0 >= 1.0 {
        b.0 -= 1.0;
        None
    } else {
        Some(((1.0 - b.0) / rate).ceil().max(1.0) as u64)
    }
}

/// A token bucket per client ([`client_key`]: a verified member, or an
/// address). Refused requests get 429 with `Retry-After`.
pub async fn rate_limit(
    State(service): State<Arc<Service>>,
    request: Request,
    next: Next,
) -> Response {
    let mut key = client_key(&service, &request);
    let mut wait = take(&service, key.clone());
    if wait.is_some() && key.starts_with("address ") {
        // The address is over its rate; a member sharing it (a NAT, an
        // office) is not held back by others: a token not yet verified is
        // verified now and, if it is a member's, counted as theirs.
        if let Ok(Some(c)) = caller(&service, request.headers()) {
            key = format!("member {}", c.member);
            wait = take(&service, key);
        }
    }
    let (rate, burst) = (service.config.rate_per_s, service.config.burst);
    match wait {
        None => next.run(request).await,
        Some(s) => {
            let mut r = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "more than {rate} requests per second (bursts of {burst}) from this client: retry in {s} s"
                ),
            )
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
    }
}
