//! Server configuration from the environment, in one place. Every variable is listed in the
//! README's table; with none set, `serve` works on the defaults.
//!
//! One file per area: [`mod@env`] reads variables, [`llm`] the optional model's `LLM_*`,
//! [`accounts`] the account settings; this file the server's own and the whole [`Config`].
//! The areas depend on nothing above them (`insight::llm` imports its settings from here, not
//! the other way round).

pub mod accounts;
pub mod env;
pub mod flags;
pub mod llm;
pub mod urlapi;

use std::net::IpAddr;
use std::path::PathBuf;

pub use crate::secret::Secret;
pub use accounts::{
    AccountsConfig, DEFAULT_LOGIN_FAILURES_PER_ACCOUNT, DEFAULT_LOGIN_FAILURES_PER_ADDRESS,
};
pub use env::ConfigError;
use env::{parsed, var};
pub mod limits;
pub use limits::LimitsConfig;
pub mod redis;
pub use redis::{RedisConfig, RedisFailure};
pub mod storage;
pub use storage::{S3Location, StorageConfig, StorageLocation};

/// Default port, as the reference.
pub const DEFAULT_PORT: u16 = 8966;
/// Default request body limit: 64 MiB holds `spec::MAX_POINTS` (10 million) points written in up
/// to five characters each (`1234,`), or ~6 million of `12.34,`; longer bodies are refused
/// before they are read into memory.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Default requests per minute per client on `/api/`, as the reference.
pub const DEFAULT_RATE_LIMIT_PER_MIN: u32 = 120;
/// Jobs that may wait per render worker before the API answers 503: enough to absorb a burst,
/// small enough that a queued request still finishes in well under a second.
pub const QUEUE_PER_WORKER: usize = 32;
/// Where 401 answers send browsers: the sign-in page of the bundled web app (a self-hosted
/// install has no CloviTek SSO; set `LOGIN_URL` to use one).
pub const DEFAULT_LOGIN_URL: &str = "/app#signin";

/// Everything `serve` reads from the environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// `HOST`: address to bind (default `0.0.0.0`).
    pub host: IpAddr,
    /// `PORT` (default 8966).
    pub port: u16,
    /// `DATA_DIR`: charts, database, generated secret (default `./data`).
    pub data_dir: PathBuf,
    /// `DATABASE_URL=postgres://…`: every table in that PostgreSQL database, shared by all
    /// instances; unset, SQLite in `DATA_DIR`. A secret: it may carry a password.
    pub database_url: Option<Secret>,
    /// `STORAGE_*`: where chart images and metadata live (default `DATA_DIR/charts`).
    pub storage: StorageConfig,
    /// `PUBLIC_URL`: base of returned URLs (default: from the request's `Host`).
    pub public_url: Option<String>,
    /// `JWT_SECRET`: HS256 key of `cl_session` cookies (default: generated and persisted).
    pub jwt_secret: Option<Secret>,
    /// `INTERNAL_SECRET`: enables `X-User-Id` for callers that also send it in `X-Internal-Secret`.
    pub internal_secret: Option<Secret>,
    /// `LOGIN_URL`: returned in 401 bodies.
    pub login_url: String,
    /// `RATE_LIMIT_PER_MIN` per client on `/api/` (0 turns limiting off).
    pub rate_limit_per_min: u32,
    /// `TRUST_PROXY=1`: key clients on `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_proxy: bool,
    /// `RENDER_WORKERS` (default: the number of cores).
    pub render_workers: usize,
    /// `RENDER_QUEUE`: jobs waiting before 503 (default `RENDER_WORKERS × 32`).
    pub render_queue: usize,
    /// `MAX_BODY_BYTES` (default 64 MiB).
    pub max_body_bytes: usize,
    /// `LLM_*`: the optional model for titles, narratives and recommendations (off by default).
    pub llm: llm::LlmConfig,
    /// `RENDER_CACHE_MB`: identical-request cache size (default 64; 0 turns it off).
    pub render_cache_mb: usize,
    /// `METRICS_TOKEN`: bearer token for `GET /metrics`; unset, it answers loopback only.
    pub metrics_token: Option<Secret>,
    /// `RENDER_TIMEOUT_MS`: deadline of one render from submission (default 5000).
    pub render_timeout_ms: u64,
    /// `CLOVICHARTS_DEBUG_PANIC=1`: a spec titled `__clovicharts_debug_panic__` panics its
    /// render worker and one titled `__clovicharts_debug_slow__` holds it for 1.5 s (the
    /// failure-isolation and queueing test hooks; never set it in production).
    pub debug_panic: bool,
    /// Accounts and the developer API.
    pub accounts: AccountsConfig,
    /// `FONT_DIRS`: directories (`:`-separated) whose font files are added to the embedded ones.
    pub font_dirs: Vec<PathBuf>,
    /// `CORS_ORIGINS`: origins (`https://app.example.com`) whose pages may call the API; empty,
    /// no CORS headers are sent at all.
    pub cors_origins: Vec<String>,
    /// Connection, intake and readiness limits.
    pub limits: LimitsConfig,
    /// `REDIS_*`: the state instances share (rate limits, login throttle); off by default.
    pub redis: RedisConfig,
    /// The QuickChart-compatible URL API (`URL_API_AUTH`, `SHORT_URL_TTL_DAYS`).
    pub url_api: urlapi::UrlApiConfig,
}

/// `CORS_ORIGINS`: comma-separated `scheme://host[:port]` origins, exactly as browsers send them.
fn cors_origins() -> Result<Vec<String>, ConfigError> {
    match var("CORS_ORIGINS") {
        None => Ok(Vec::new()),
        Some(list) => parse_cors_origins(&list),
    }
}

/// A comma-separated origin list (`CORS_ORIGINS`, `--cors-origins`).
pub(crate) fn parse_cors_origins(list: &str) -> Result<Vec<String>, ConfigError> {
    let mut origins = Vec::new();
    for origin in list.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let rest = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"));
        let host_ok = rest.is_some_and(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        });
        if !host_ok {
            return Err(ConfigError {
                name: "CORS_ORIGINS",
                value: list.to_owned(),
                reason: format!(
                    "{origin:?} is not an origin such as https://app.example.com (scheme and \
                     host, optional port, no path or trailing slash)"
                ),
            });
        }
        origins.push(origin.to_owned());
    }
    Ok(origins)
}

/// `DATABASE_URL`: a `postgres://` (or `postgresql://`) URL; the value is never echoed in the
/// error, as it may hold a password.
fn database_url() -> Result<Option<Secret>, ConfigError> {
    let Some(url) = var("DATABASE_URL") else {
        return Ok(None);
    };
    let url = url.trim();
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(ConfigError {
            name: "DATABASE_URL",
            value: "[redacted]".into(),
            reason: "must be a postgres:// URL (unset it to use SQLite in DATA_DIR)".into(),
        });
    }
    Ok(Some(Secret::new(url)))
}

/// `PUBLIC_URL` (`--public-url`): an http(s) URL, without its trailing slash.
pub(crate) fn parse_public_url(u: &str) -> Result<String, ConfigError> {
    let u = u.trim().trim_end_matches('/');
    if u.starts_with("http://") || u.starts_with("https://") {
        Ok(u.to_owned())
    } else {
        Err(ConfigError {
            name: "PUBLIC_URL",
            value: u.to_owned(),
            reason: "must start with http:// or https://".into(),
        })
    }
}

impl Config {
    /// Reads the environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let render_workers = parsed("RENDER_WORKERS", cores)?.clamp(1, 256);
        let public_url = var("PUBLIC_URL")
            .map(|u| parse_public_url(&u))
            .transpose()?;
        Ok(Config {
            host: parsed("HOST", IpAddr::from([0, 0, 0, 0]))?,
            port: parsed("PORT", DEFAULT_PORT)?,
            data_dir: PathBuf::from(var("DATA_DIR").unwrap_or_else(|| "./data".into())),
            database_url: database_url()?,
            storage: StorageConfig::from_env()?,
            public_url,
            jwt_secret: var("JWT_SECRET").map(Secret::new),
            internal_secret: var("INTERNAL_SECRET").map(Secret::new),
            login_url: var("LOGIN_URL").unwrap_or_else(|| DEFAULT_LOGIN_URL.into()),
            rate_limit_per_min: parsed("RATE_LIMIT_PER_MIN", DEFAULT_RATE_LIMIT_PER_MIN)?,
            trust_proxy: var("TRUST_PROXY").is_some_and(|v| v == "1" || v == "true"),
            render_workers,
            render_queue: parsed("RENDER_QUEUE", render_workers * QUEUE_PER_WORKER)?.max(1),
            max_body_bytes: parsed("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)?.max(1024),
            llm: llm::LlmConfig::from_env()?,
            render_cache_mb: parsed("RENDER_CACHE_MB", crate::cache::DEFAULT_CACHE_MB)?,
            metrics_token: var("METRICS_TOKEN").map(Secret::new),
            accounts: AccountsConfig::from_env()?,
            font_dirs: var("FONT_DIRS")
                .map(|v| std::env::split_paths(&v).collect())
                .unwrap_or_default(),
            cors_origins: cors_origins()?,
            limits: LimitsConfig::from_env()?,
            redis: RedisConfig::from_env()?,
            url_api: urlapi::UrlApiConfig::from_env()?,
            render_timeout_ms: parsed(
                "RENDER_TIMEOUT_MS",
                crate::render_pool::DEFAULT_RENDER_TIMEOUT.as_millis() as u64,
            )?
            .max(1),
            debug_panic: var("CLOVICHARTS_DEBUG_PANIC").is_some_and(|v| v == "1"),
        })
    }

    /// Defaults for tests: port 0 (ephemeral), 127.0.0.1, the given data dir.
    pub fn for_tests(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            data_dir: data_dir.into(),
            database_url: None,
            storage: StorageConfig::default(),
            public_url: None,
            jwt_secret: None,
            internal_secret: None,
            login_url: DEFAULT_LOGIN_URL.into(),
            rate_limit_per_min: DEFAULT_RATE_LIMIT_PER_MIN,
            trust_proxy: false,
            render_workers: 2,
            render_queue: 64,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            llm: llm::LlmConfig::default(),
            render_cache_mb: crate::cache::DEFAULT_CACHE_MB,
            metrics_token: None,
            accounts: AccountsConfig::default(),
            font_dirs: Vec::new(),
            cors_origins: Vec::new(),
            limits: LimitsConfig::default(),
            redis: RedisConfig::off(),
            url_api: urlapi::UrlApiConfig::default(),
            render_timeout_ms: crate::render_pool::DEFAULT_RENDER_TIMEOUT.as_millis() as u64,
            debug_panic: false,
        }
    }
}
