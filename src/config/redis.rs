//! The Redis variables (`REDIS_URL`, `REDIS_FAILURE`, `REDIS_KEY_PREFIX`, `REDIS_TIMEOUT_MS`),
//! read for `src/shared/`: where the state that several instances must share lives (rate limits,
//! the login throttle), and what happens when it cannot be reached.

use super::env::{ConfigError, parsed, var};
use crate::secret::Secret;
use std::time::Duration;

/// Namespace of every key this server writes, so one Redis can serve other programs too.
pub const DEFAULT_REDIS_KEY_PREFIX: &str = "clovicharts";
/// Longest wait for one Redis answer before it counts as unreachable: a hanging Redis must cost
/// a request at most this, never the request's own timeout.
pub const DEFAULT_REDIS_TIMEOUT_MS: u64 = 200;

/// What to do when Redis cannot be reached (`REDIS_FAILURE`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RedisFailure {
    /// Fall back to per-instance limits (logged once per outage, counted in a metric).
    #[default]
    Open,
    /// Answer 503 with `Retry-After` until Redis is back.
    Closed,
}

/// Redis: off (`url` unset) means every limit is kept in process, as with one instance.
#[derive(Clone, Debug)]
pub struct RedisConfig {
    /// `REDIS_URL`: `redis://[user:password@]host[:port][/db]` (a secret: it may hold a password).
    pub url: Option<Secret>,
    /// `REDIS_FAILURE`: `open` (default) or `closed`.
    pub failure: RedisFailure,
    /// `REDIS_KEY_PREFIX`: first part of every key (default `clovicharts`).
    pub key_prefix: String,
    /// `REDIS_TIMEOUT_MS`: connect and answer timeout (default 200).
    pub timeout: Duration,
}

impl RedisConfig {
    /// Redis at `url` with the defaults, for tests and tools.
    pub fn at(url: &str) -> RedisConfig {
        RedisConfig {
            url: Some(Secret::new(url)),
            ..RedisConfig::off()
        }
    }

    /// Redis off: every limit in process.
    pub fn off() -> RedisConfig {
        RedisConfig {
            url: None,
            failure: RedisFailure::Open,
            key_prefix: DEFAULT_REDIS_KEY_PREFIX.into(),
            timeout: Duration::from_millis(DEFAULT_REDIS_TIMEOUT_MS),
        }
    }

    /// Reads the variables; a URL that is not `redis://…` is refused at start.
    pub fn from_env() -> Result<RedisConfig, ConfigError> {
        let url = var("REDIS_URL");
        if let Some(u) = &url
            && !u.starts_with("redis://")
        {
            return Err(ConfigError {
                name: "REDIS_URL",
                // The value may hold a password: only its scheme is repeated.
                value: u.split(':').next().unwrap_or_default().to_owned(),
                reason: "must start with redis:// (TLS, rediss://, is not built in)".into(),
            });
        }
        let failure = match var("REDIS_FAILURE").as_deref().map(str::trim) {
            None | Some("open") => RedisFailure::Open,
            Some("closed") => RedisFailure::Closed,
            Some(other) => {
                return Err(ConfigError {
                    name: "REDIS_FAILURE",
                    value: other.to_owned(),
                    reason: "must be open or closed".into(),
                });
            }
        };
        let key_prefix = var("REDIS_KEY_PREFIX").unwrap_or_else(|| DEFAULT_REDIS_KEY_PREFIX.into());
        Ok(RedisConfig {
            url: url.map(Secret::new),
            failure,
            key_prefix,
            timeout: Duration::from_millis(
                parsed("REDIS_TIMEOUT_MS", DEFAULT_REDIS_TIMEOUT_MS)?.max(1),
            ),
        })
    }
}
