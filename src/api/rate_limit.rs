//! Rate limiting on `/api/`, in tiers (GCRA via `governor`): anonymous callers get
//! `RATE_LIMIT_PER_MIN` per address (`X-Forwarded-For` only with `TRUST_PROXY=1`); authenticated
//! ones `RATE_LIMIT_AUTHENTICATED` (default: the same) per user, or per key for API keys; an
//! admin's per-user override replaces the tier for that user (`0`: unlimited). Answers carry
//! `RateLimit-Limit/Remaining/Reset`; over the limit is a 429 `RATE_LIMIT` with `Retry-After`.
//! Idle keys are evicted every minute, so the tables stay bounded by the clients seen in the
//! last minute. With `REDIS_URL` the counts live in Redis and hold over all instances; while it
//! is unreachable, `REDIS_FAILURE=closed` answers 503 `RATE_LIMIT_UNAVAILABLE` with
//! `Retry-After`.

use super::AppState;
use super::auth::Authenticated;
use super::error::ApiError;
pub use super::limiter::{EVICT_EVERY, Limited, Limiter, Refusal, spawn_evictor};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// The rate-limit key and per-minute quota of a request.
fn client_key(state: &AppState, limiter: &Limiter, req: &Request) -> (String, u32) {
    if let Some(Authenticated(Some(p))) = req.extensions().get::<Authenticated>() {
        let quota = p.rate_limit_per_min.unwrap_or(limiter.authenticated);
        return match &p.key_id {
            Some(k) => (format!("key:{k}"), quota),
            None => (format!("user:{}", p.user_key()), quota),
        };
    }
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    (
        format!("ip:{}", client_address(state, req.headers(), peer)),
        limiter.public,
    )
}

/// The client's address: the first `X-Forwarded-For` entry behind a trusted proxy, else the peer.
pub(super) fn client_address(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> String {
    if state.config.trust_proxy
        && let Some(ip) = forwarded_for(headers)
    {
        return ip;
    }
    peer.map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string())
}

/// Extractor: the client's address as [`client_address`] sees it.
#[derive(Clone, Debug)]
pub(super) struct ClientAddress(pub(super) String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(ClientAddress(client_address(state, &parts.headers, peer)))
    }
}

/// The client address a trusted proxy put first in `X-Forwarded-For`.
fn forwarded_for(headers: &HeaderMap) -> Option<String> {
    let first = headers
        .get("x-forwarded-for")?
        .to_str()
        .ok()?
        .split(',')
        .next()?
        .trim();
    first
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| ip.to_string())
}

fn set(headers: &mut HeaderMap, name: &'static str, v: u64) {
    headers.insert(name, HeaderValue::from(v));
}

/// Middleware for `/api/` routes (after authentication, so users are keyed by id).
pub async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(limiter) = state.limiter.as_ref() else {
        return next.run(req).await;
    };
    let (key, quota) = client_key(&state, limiter, &req);
    if quota == 0 {
        return next.run(req).await;
    }
    let per_minute = u64::from(quota);
    match limiter.check(&key, quota).await {
        Ok(remaining) => {
            let mut response = next.run(req).await;
            let h = response.headers_mut();
            set(h, "ratelimit-limit", per_minute);
            set(h, "ratelimit-remaining", u64::from(remaining));
            // Seconds until the budget is full again: one slot refills every 60/limit s.
            let missing = per_minute.saturating_sub(u64::from(remaining));
            set(
                h,
                "ratelimit-reset",
                (missing * 60).div_ceil(per_minute.max(1)),
            );
            response
        }
        Err(Refusal::Unavailable) => ApiError::limits_unavailable().into_response(),
        Err(Refusal::Limited(limited)) => {
            tracing::debug!(%key, "rate limited");
            let err = too_many_requests(quota, &limited);
            let wait = err.retry_after.unwrap_or(1);
            let mut response = err.into_response();
            let h = response.headers_mut();
            set(h, "ratelimit-limit", per_minute);
            set(h, "ratelimit-remaining", 0);
            set(h, "ratelimit-reset", wait);
            response
        }
    }
}

/// The 429 of a refused check (counted in `RATE_LIMITED_TOTAL`): the limit and the wait in the
/// message, the wait in `Retry-After`.
pub(crate) fn too_many_requests(per_minute: u32, limited: &Limited) -> ApiError {
    metrics::counter!(crate::metrics::RATE_LIMITED_TOTAL).increment(1);
    let wait = limited.retry_after.as_secs_f64().ceil().max(1.0) as u64;
    let mut err = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "RATE_LIMIT",
        format!("Too many requests: the limit is {per_minute} per minute; retry in {wait} s"),
    );
    err.retry_after = Some(wait);
    err
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn limits_per_key_and_tier() {
        let l = Limiter::new(3, 3);
        assert_eq!(l.check_local("a", 3).unwrap(), 2);
        assert!(l.check_local("a", 3).is_ok());
        assert!(l.check_local("a", 3).is_ok());
        let e = l.check_local("a", 3).unwrap_err();
        assert!(e.retry_after > Duration::from_secs(10));
        assert!(l.check_local("b", 3).is_ok(), "keys are independent");
        assert!(
            l.check_local("a", 10).is_ok(),
            "an override is a tier of its own"
        );
        assert!(l.check_local("a", 0).is_ok(), "0 is unlimited");
        assert_eq!(l.len(), 3);
    }

    #[test]
    fn forwarded_for_takes_first_valid_ip() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.7, 10.0.0.1".parse().unwrap());
        assert_eq!(forwarded_for(&h).as_deref(), Some("203.0.113.7"));
        h.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(forwarded_for(&h), None);
    }
}
