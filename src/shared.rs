//! State that several instances must share, kept in Redis (`REDIS_URL`): the rate limits'
//! GCRA ([`gcra`]) and the login throttle's failure windows ([`window`]). Every key starts with
//! `REDIS_KEY_PREFIX` (`clovicharts:rl:…`, `clovicharts:login:…`).
//!
//! A Redis that is down or hangs must not take requests with it: every call has a deadline
//! (`REDIS_TIMEOUT_MS`, 200 ms), and after a failure calls skip Redis altogether for
//! [`PROBE_EVERY`], when one request tries again. Callers then follow `REDIS_FAILURE`: `open`
//! serves from the in-process limits (the outage is logged once, each fallback counted in
//! `clovicharts_redis_fallback_total`), `closed` answers 503. The connection is a
//! [`ConnectionManager`], which reconnects by itself.

pub mod gcra;
pub mod window;

use crate::config::{RedisConfig, RedisFailure};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// After a failed call, how long calls skip Redis before one tries again: an outage then costs
/// one timeout per second, not one per request.
pub const PROBE_EVERY: Duration = Duration::from_secs(1);

/// Redis is not usable right now (down, hanging, or answering errors).
#[derive(Debug, thiserror::Error)]
#[error("redis unreachable: {0}")]
pub struct Unreachable(pub String);

/// Why the Redis client could not be set up at start.
#[derive(Debug, thiserror::Error)]
#[error("REDIS_URL: {0}")]
pub struct SharedStartError(String);

/// Whether Redis is up, as the last call saw it.
#[derive(Debug)]
struct Health {
    /// Since when calls have failed (`None`: up).
    down_since: Option<Instant>,
    /// While down, when the next call may try Redis again.
    next_probe: Instant,
}

/// A handle on the shared state; cheap to clone.
#[derive(Clone)]
pub struct Shared {
    inner: Arc<Inner>,
}

struct Inner {
    conn: ConnectionManager,
    prefix: String,
    timeout: Duration,
    failure: RedisFailure,
    health: Mutex<Health>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("prefix", &self.inner.prefix)
            .field("failure", &self.inner.failure)
            .field("up", &self.is_up())
            .finish()
    }
}

impl Shared {
    /// The Redis of `config`, or `None` when `REDIS_URL` is unset. Does not connect: the first
    /// call does, so an instance starts (and follows `REDIS_FAILURE`) while Redis is down.
    /// Must be called inside the tokio runtime.
    pub fn connect(config: &RedisConfig) -> Result<Option<Shared>, SharedStartError> {
        let Some(url) = &config.url else {
            return Ok(None);
        };
        let client = redis::Client::open(url.expose())
            // The error may quote the URL, and the URL may hold a password: only its kind is said.
            .map_err(|e| SharedStartError(format!("not a valid Redis URL ({:?})", e.kind())))?;
        let manager_config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(config.timeout))
            .set_response_timeout(Some(config.timeout))
            // One attempt per probe: retries with backoff would outlive the call's deadline.
            .set_number_of_retries(0);
        let conn = ConnectionManager::new_lazy_with_config(client, manager_config)
            .map_err(|e| SharedStartError(e.to_string()))?;
        metrics::gauge!(crate::metrics::REDIS_UP).set(1.0);
        Ok(Some(Shared {
            inner: Arc::new(Inner {
                conn,
                prefix: config.key_prefix.clone(),
                timeout: config.timeout,
                failure: config.failure,
                health: Mutex::new(Health {
                    down_since: None,
                    next_probe: Instant::now(),
                }),
            }),
        }))
    }

    /// Pings Redis in the background once, so the log says at start whether it is reachable.
    pub fn spawn_probe(&self) {
        let shared = self.clone();
        tokio::spawn(async move {
            let pong = shared
                .call(|mut conn| async move {
                    redis::cmd("PING").query_async::<String>(&mut conn).await
                })
                .await;
            if pong.is_ok() {
                tracing::info!(
                    prefix = %shared.inner.prefix,
                    failure = ?shared.inner.failure,
                    "Redis is reachable: rate limits and the login throttle are shared"
                );
            }
        });
    }

    /// What callers do while Redis is unreachable.
    pub fn failure(&self) -> RedisFailure {
        self.inner.failure
    }

    /// A key in this server's namespace: the prefix and `parts`, `:`-separated.
    pub fn key(&self, parts: &[&str]) -> String {
        let mut key = self.inner.prefix.clone();
        for p in parts {
            key.push(':');
            key.push_str(p);
        }
        key
    }

    /// Whether the last call reached Redis.
    pub fn is_up(&self) -> bool {
        self.health().down_since.is_none()
    }

    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.inner.health.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the connection within the timeout. While Redis is known to be down it is not
    /// tried at all, except by one call per [`PROBE_EVERY`].
    pub async fn call<T, F, Fut>(&self, f: F) -> Result<T, Unreachable>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        {
            let mut h = self.health();
            if let Some(since) = h.down_since {
                let now = Instant::now();
                if now < h.next_probe {
                    return Err(Unreachable(format!(
                        "down for {} ms",
                        now.duration_since(since).as_millis()
                    )));
                }
                h.next_probe = now + PROBE_EVERY;
            }
        }
        let answer = tokio::time::timeout(self.inner.timeout, f(self.inner.conn.clone())).await;
        match answer {
            Ok(Ok(v)) => {
                self.mark_up();
                Ok(v)
            }
            Ok(Err(e)) => Err(self.mark_down(e.to_string())),
            Err(_) => Err(self.mark_down(format!(
                "no answer within {} ms",
                self.inner.timeout.as_millis()
            ))),
        }
    }

    fn mark_up(&self) {
        let mut h = self.health();
        if let Some(since) = h.down_since.take() {
            metrics::gauge!(crate::metrics::REDIS_UP).set(1.0);
            tracing::info!(
                down_ms = since.elapsed().as_millis() as u64,
                "Redis is reachable again: limits are shared between instances again"
            );
        }
    }

    fn mark_down(&self, why: String) -> Unreachable {
        let mut h = self.health();
        let now = Instant::now();
        h.next_probe = now + PROBE_EVERY;
        if h.down_since.is_none() {
            h.down_since = Some(now);
            metrics::gauge!(crate::metrics::REDIS_UP).set(0.0);
            // Once per outage, not per request.
            match self.inner.failure {
                RedisFailure::Open => tracing::warn!(
                    error = %why,
                    "Redis is unreachable: rate limits and the login throttle fall back to \
                     per-instance limits until it is back (REDIS_FAILURE=open)"
                ),
                RedisFailure::Closed => tracing::error!(
                    error = %why,
                    "Redis is unreachable: rate-limited requests are answered 503 until it is \
                     back (REDIS_FAILURE=closed)"
                ),
            }
        }
        Unreachable(why)
    }

    /// Counts a decision made without Redis for `limit` (`rate_limit`, `login`): under `open`
    /// in `clovicharts_redis_fallback_total`, under `closed` in `clovicharts_redis_refused_total`.
    pub fn count_outage(&self, limit: &'static str) {
        let name = match self.inner.failure {
            RedisFailure::Open => crate::metrics::REDIS_FALLBACK_TOTAL,
            RedisFailure::Closed => crate::metrics::REDIS_REFUSED_TOTAL,
        };
        metrics::counter!(name, "limit" => limit).increment(1);
    }
}
