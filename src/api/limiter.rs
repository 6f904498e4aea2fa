//! The per-client limiters behind `/api/` rate limiting: one keyed GCRA limiter per distinct
//! per-minute quota, and the task that drops idle keys. With `REDIS_URL` the same GCRA runs in
//! Redis (`shared::gcra`), so a limit holds over every instance; the in-process tiers are then
//! the fallback of `REDIS_FAILURE=open`. The middleware does not know which one decided.

use crate::config::{Config, RedisFailure};
use crate::shared::Shared;
use crate::shared::gcra::{Decision, Gcra};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Keyed =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// How often idle keys are dropped.
pub const EVICT_EVERY: Duration = Duration::from_secs(60);

/// The tiers: one keyed limiter per distinct per-minute quota, created when first needed (the
/// defaults, plus one per override value admins use).
pub struct Limiter {
    /// Per-minute quota of an anonymous address.
    pub(super) public: u32,
    /// Per-minute quota of a signed-in user or key without an override.
    pub(super) authenticated: u32,
    tiers: Mutex<HashMap<u32, Arc<Keyed>>>,
    clock: DefaultClock,
    /// Redis, when instances share the limits; `None`: the tiers above decide alone.
    redis: Option<(Shared, Gcra)>,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiter")
            .field("public", &self.public)
            .field("authenticated", &self.authenticated)
            .field("keys", &self.len())
            .field("redis", &self.redis.as_ref().map(|(s, _)| s))
            .finish()
    }
}

/// A rejected request: how long until the client may try again.
#[derive(Debug)]
pub struct Limited {
    /// Wait before retrying.
    pub retry_after: Duration,
}

/// Why a request was not let through.
#[derive(Debug)]
pub enum Refusal {
    /// Over its limit (429).
    Limited(Limited),
    /// Redis is unreachable and `REDIS_FAILURE=closed` (503).
    Unavailable,
}

impl Limiter {
    /// `public` per address and `authenticated` per user or key, per minute (bursts up to that
    /// many; `0` means unlimited for that tier).
    pub fn new(public: u32, authenticated: u32) -> Limiter {
        Limiter {
            public,
            authenticated,
            tiers: Mutex::new(HashMap::new()),
            clock: DefaultClock::default(),
            redis: None,
        }
    }

    /// The tiers from the configuration, kept in `shared` when set; `None` when
    /// `RATE_LIMIT_PER_MIN` is `0` (all off).
    pub fn from_config(config: &Config, shared: Option<Shared>) -> Option<Limiter> {
        if config.rate_limit_per_min == 0 {
            return None;
        }
        let authenticated = config
            .accounts
            .rate_limit_authenticated
            .unwrap_or(config.rate_limit_per_min);
        let mut limiter = Limiter::new(config.rate_limit_per_min, authenticated);
        limiter.redis = shared.map(|s| (s, Gcra::new()));
        Some(limiter)
    }

    fn tier(&self, per_minute: NonZeroU32) -> Arc<Keyed> {
        let mut tiers = self.tiers.lock().unwrap_or_else(|e| e.into_inner());
        tiers
            .entry(per_minute.get())
            .or_insert_with(|| {
                Arc::new(
                    RateLimiter::keyed(Quota::per_minute(per_minute))
                        .with_middleware::<StateInformationMiddleware>(),
                )
            })
            .clone()
    }

    /// Counts one request for `key` against `per_minute`, in Redis when shared (else, or when
    /// Redis is unreachable under `REDIS_FAILURE=open`, in process); `Ok(remaining)` or why
    /// not. `0` is unlimited.
    pub async fn check(&self, key: &str, per_minute: u32) -> Result<u32, Refusal> {
        let Some(n) = NonZeroU32::new(per_minute) else {
            return Ok(u32::MAX);
        };
        if let Some((shared, gcra)) = &self.redis {
            let redis_key = shared.key(&["rl", &n.to_string(), key]);
            match gcra.check(shared, &redis_key, n.get(), None).await {
                Ok(Decision::Allowed { remaining }) => return Ok(remaining),
                Ok(Decision::Limited { retry_after }) => {
                    return Err(Refusal::Limited(Limited { retry_after }));
                }
                Err(_) => {
                    shared.count_outage("rate_limit");
                    if shared.failure() == RedisFailure::Closed {
                        return Err(Refusal::Unavailable);
                    }
                }
            }
        }
        self.check_local(key, per_minute).map_err(Refusal::Limited)
    }

    /// [`Self::check`] in process only.
    pub fn check_local(&self, key: &str, per_minute: u32) -> Result<u32, Limited> {
        let Some(n) = NonZeroU32::new(per_minute) else {
            return Ok(u32::MAX);
        };
        match self.tier(n).check_key(&key.to_owned()) {
            Ok(snapshot) => Ok(snapshot.remaining_burst_capacity()),
            Err(not_until) => Err(Limited {
                retry_after: not_until.wait_time_from(self.clock.now()),
            }),
        }
    }

    /// The per-minute limit of anonymous callers.
    pub fn per_minute(&self) -> u32 {
        self.public
    }

    /// Drops keys whose budget has fully refilled.
    pub fn evict_idle(&self) {
        let tiers: Vec<Arc<Keyed>> = {
            let t = self.tiers.lock().unwrap_or_else(|e| e.into_inner());
            t.values().cloned().collect()
        };
        for t in tiers {
            t.retain_recent();
            t.shrink_to_fit();
        }
    }

    /// Number of keys tracked, over all tiers.
    pub fn len(&self) -> usize {
        let t = self.tiers.lock().unwrap_or_else(|e| e.into_inner());
        t.values().map(|k| k.len()).sum()
    }

    /// Whether no key is tracked.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
