//! Rate limiting on `/api/`: `RATE_LIMIT_PER_MIN` requests per client per minute (GCRA via
//! `governor`), keyed on the authenticated user, else the peer address (`X-Forwarded-For` only
//! with `TRUST_PROXY=1`). Answers carry `RateLimit-Limit/Remaining/Reset`; over the limit is a
//! 429 `RATE_LIMIT` with `Retry-After`. Idle keys are evicted every minute, so the table stays
//! bounded by the clients seen in the last minute.

use super::AppState;
use super::auth::Authenticated;
use super::error::ApiError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

type Keyed =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// How often idle keys are dropped.
pub const EVICT_EVERY: Duration = Duration::from_secs(60);

/// A per-client limiter.
pub struct Limiter {
    inner: Keyed,
    per_minute: u32,
    clock: DefaultClock,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiter")
            .field("per_minute", &self.per_minute)
            .field("keys", &self.inner.len())
            .finish()
    }
}

/// A rejected request: how long until the client may try again.
#[derive(Debug)]
pub struct Limited {
    /// Wait before retrying.
    pub retry_after: Duration,
}

impl Limiter {
    /// A limiter allowing `per_minute` requests per key per minute (bursts up to that many);
    /// `None` when limiting is off (`0`).
    pub fn new(per_minute: u32) -> Option<Limiter> {
        let n = NonZeroU32::new(per_minute)?;
        Some(Limiter {
            inner: RateLimiter::keyed(Quota::per_minute(n))
                .with_middleware::<StateInformationMiddleware>(),
            per_minute,
            clock: DefaultClock::default(),
        })
    }

    /// Counts one request for `key`; `Ok(remaining)` or `Err` with the wait.
    pub fn check(&self, key: &str) -> Result<u32, Limited> {
        match self.inner.check_key(&key.to_owned()) {
            Ok(snapshot) => Ok(snapshot.remaining_burst_capacity()),
            Err(not_until) => Err(Limited {
                retry_after: not_until.wait_time_from(self.clock.now()),
            }),
        }
    }

    /// Requests allowed per minute.
    pub fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Drops keys whose budget has fully refilled.
    pub fn evict_idle(&self) {
        self.inner.retain_recent();
        self.inner.shrink_to_fit();
    }

    /// Number of keys tracked.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether no key is tracked.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
}

/// Evicts idle keys every [`EVICT_EVERY`] until the limiter is dropped.
pub fn spawn_evictor(limiter: &Arc<Limiter>) {
    let weak = Arc::downgrade(limiter);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVICT_EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            match weak.upgrade() {
                Some(l) => l.evict_idle(),
                None => return,
            }
        }
    });
}

fn client_key(state: &AppState, req: &Request) -> String {
    if let Some(Authenticated(Some(p))) = req.extensions().get::<Authenticated>() {
        return format!("user:{}", p.user_key());
    }
    if state.config.trust_proxy
        && let Some(ip) = forwarded_for(req.headers())
    {
        return format!("ip:{ip}");
    }
    match req.extensions().get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(addr)) => format!("ip:{}", addr.ip()),
        None => "ip:unknown".to_owned(),
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
    let key = client_key(&state, &req);
    let per_minute = u64::from(limiter.per_minute());
    match limiter.check(&key) {
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
        Err(limited) => {
            tracing::debug!(%key, "rate limited");
            metrics::counter!(crate::metrics::RATE_LIMITED_TOTAL).increment(1);
            let wait = limited.retry_after.as_secs_f64().ceil().max(1.0) as u64;
            let mut err = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMIT",
                format!(
                    "Too many requests: the limit is {per_minute} per minute; retry in {wait} s"
                ),
            );
            err.retry_after = Some(wait);
            let mut response = err.into_response();
            let h = response.headers_mut();
            set(h, "ratelimit-limit", per_minute);
            set(h, "ratelimit-remaining", 0);
            set(h, "ratelimit-reset", wait);
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key() {
        let l = Limiter::new(3).unwrap();
        assert_eq!(l.check("a").unwrap(), 2);
        assert!(l.check("a").is_ok());
        assert!(l.check("a").is_ok());
        let e = l.check("a").unwrap_err();
        assert!(e.retry_after > Duration::from_secs(10));
        assert!(l.check("b").is_ok(), "keys are independent");
        assert!(Limiter::new(0).is_none());
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
