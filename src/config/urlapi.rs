//! The QuickChart-compatible URL API's settings: `URL_API_AUTH` and `SHORT_URL_TTL_DAYS`.

use super::env::{ConfigError, parsed, var};
use std::time::Duration;

/// Default `SHORT_URL_TTL_DAYS`: long enough for a report or an e-mail to be read, short enough
/// that a public endpoint's table stays small.
pub const DEFAULT_SHORT_URL_TTL_DAYS: u32 = 60;
/// Longest `SHORT_URL_TTL_DAYS` accepted (ten years).
const MAX_SHORT_URL_TTL_DAYS: u32 = 3650;
/// Seconds in a day.
const DAY_S: u64 = 86_400;

/// Who may use `/chart` (`URL_API_AUTH`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UrlApiAuth {
    /// Anyone, rate-limited per address as `/api/` is (the default, as QuickChart).
    #[default]
    Public,
    /// Only with one of our API keys (`cc_live_…`) in `key=` (or the usual auth headers).
    Key,
    /// As `Key`, and `GET /chart` also takes `key_id=` with `sig=`, an HMAC of the query, so
    /// a page embeds charts without exposing a key.
    Signed,
}

impl UrlApiAuth {
    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            UrlApiAuth::Public => "public",
            UrlApiAuth::Key => "key",
            UrlApiAuth::Signed => "signed",
        }
    }
}

/// The URL API's settings.
#[derive(Clone, Debug)]
pub struct UrlApiConfig {
    /// `URL_API_AUTH`: `public` (default), `key` or `signed`.
    pub auth: UrlApiAuth,
    /// `SHORT_URL_TTL_DAYS`: how long a `/chart/create` link is served (default 60 days).
    pub short_url_ttl: Duration,
}

impl Default for UrlApiConfig {
    fn default() -> Self {
        UrlApiConfig {
            auth: UrlApiAuth::Public,
            short_url_ttl: Duration::from_secs(u64::from(DEFAULT_SHORT_URL_TTL_DAYS) * DAY_S),
        }
    }
}

impl UrlApiConfig {
    /// Reads `URL_API_AUTH` and `SHORT_URL_TTL_DAYS`.
    pub fn from_env() -> Result<UrlApiConfig, ConfigError> {
        let auth = match var("URL_API_AUTH").map(|v| v.trim().to_ascii_lowercase()) {
            None => UrlApiAuth::Public,
            Some(v) if v == "public" => UrlApiAuth::Public,
            Some(v) if v == "key" => UrlApiAuth::Key,
            Some(v) if v == "signed" => UrlApiAuth::Signed,
            Some(v) => {
                return Err(ConfigError {
                    name: "URL_API_AUTH",
                    value: v,
                    reason: "must be `public`, `key` or `signed`".into(),
                });
            }
        };
        let days = parsed("SHORT_URL_TTL_DAYS", DEFAULT_SHORT_URL_TTL_DAYS)?;
        if days == 0 || days > MAX_SHORT_URL_TTL_DAYS {
            return Err(ConfigError {
                name: "SHORT_URL_TTL_DAYS",
                value: days.to_string(),
                reason: format!("must be from 1 to {MAX_SHORT_URL_TTL_DAYS}"),
            });
        }
        Ok(UrlApiConfig {
            auth,
            short_url_ttl: Duration::from_secs(u64::from(days) * DAY_S),
        })
    }
}
