//! The state every handler shares, built once at start: configuration, secrets, the chart
//! service, the stores, the render pool, rate limits and accounts.

use crate::accounts::{AccountSettings, Accounts};
use crate::config::Config;
use crate::db::Db;
use crate::render::Backend;
use crate::render_pool::RenderPool;
use crate::secret::{JWT_SECRET_FILE, Secret};
use crate::store::Store;
use axum::http::HeaderMap;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use super::error::ApiError;
use super::limiter;

/// File in `DATA_DIR` holding the generated `AUTH_JWT_SECRET`.
const AUTH_SECRET_FILE: &str = "auth_jwt_secret";

/// Everything the handlers share; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The configuration.
    pub config: Arc<Config>,
    /// The key of `cl_session` tokens (configured or generated).
    pub jwt_secret: Secret,
    /// Chart files and rows.
    pub store: Arc<Store>,
    /// The render threads.
    pub pool: Arc<RenderPool>,
    /// Per-client limits on `/api/` (`None` when off).
    pub limiter: Option<Arc<limiter::Limiter>>,
    /// When the server started.
    pub started: Instant,
    /// Charts rendered since start.
    pub rendered: Arc<AtomicU64>,
    /// The optional model for titles, narratives and recommendations.
    pub llm: crate::insight::llm::Llm,
    /// Local accounts, tokens and API keys.
    pub accounts: Arc<crate::accounts::Accounts>,
    /// Generating charts: the pool, the store and the model together.
    pub charts: crate::charts::Charts,
    /// The short URLs of the QuickChart-compatible `POST /chart/create`.
    pub short_urls: Arc<crate::urlapi::ShortUrls>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The data directory or secret file could not be prepared.
    #[error("preparing {path}: {source}")]
    DataDir {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The render threads could not be started.
    #[error("starting render workers: {0}")]
    Pool(std::io::Error),
    /// The language model client could not be built.
    #[error(transparent)]
    Llm(#[from] crate::insight::llm::LlmError),
    /// The account tables could not be opened, or the secrets are unsafe.
    #[error("accounts: {0}")]
    Accounts(String),
    /// `REDIS_URL` could not be used.
    #[error(transparent)]
    Redis(#[from] crate::shared::SharedStartError),
    /// A `FONT_DIRS` directory or font file could not be used.
    #[error("FONT_DIRS: {0}")]
    Fonts(#[from] crate::text::FontError),
}

impl AppState {
    /// Opens the store, loads or creates the JWT secret, starts the render pool.
    pub async fn start(config: Config, backend: Backend) -> Result<AppState, StartError> {
        let data_dir = config.data_dir.clone();
        std::fs::create_dir_all(&data_dir).map_err(|source| StartError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        let (jwt_secret, generated) =
            crate::secret::load_or_create_jwt_secret(config.jwt_secret.as_ref(), &data_dir)
                .map_err(|source| StartError::DataDir {
                    path: data_dir.join(JWT_SECRET_FILE).display().to_string(),
                    source,
                })?;
        if generated {
            tracing::warn!(
                file = %data_dir.join(JWT_SECRET_FILE).display(),
                "JWT_SECRET is not set: generated one and saved it. Mint an admin session token \
                 with `clovicharts token --role admin --user 1` (same DATA_DIR), and send it as \
                 the cl_session cookie"
            );
        }
        let llm = crate::insight::llm::Llm::new(&config.llm)?;
        // One pool and one migration run for the chart index and the account tables.
        let db = Db::open_configured(config.database_url.as_ref().map(Secret::expose), &data_dir)
            .await?;
        tracing::info!(
            database = db.kind(),
            location = db.location(),
            "database opened"
        );
        let store = Store::open_configured(db.clone(), &data_dir, &config.storage).await?;
        let short_urls = Arc::new(crate::urlapi::ShortUrls::new(db.clone()));
        crate::metrics::install();
        // Rate limits and the login throttle in Redis when instances share them.
        let shared = crate::shared::Shared::connect(&config.redis)?;
        let mut accounts = open_accounts(&config, &jwt_secret, db)?;
        if let Some(s) = &shared {
            accounts = accounts.with_shared_throttle(s.clone());
            s.spawn_probe();
        }
        let cache = crate::cache::RenderCache::with_mb(config.render_cache_mb).map(Arc::new);
        let fonts = crate::text::FontSet::with_dirs(&config.font_dirs)?;
        let pool = RenderPool::start_with_options(
            backend,
            config.render_workers,
            config.render_queue,
            cache,
            fonts,
            crate::render_pool::PoolOptions {
                timeout: std::time::Duration::from_millis(config.render_timeout_ms),
                debug_panic: config.debug_panic,
            },
        )
        .map_err(StartError::Pool)?;
        let limiter = limiter::Limiter::from_config(&config, shared).map(Arc::new);
        if let Some(l) = &limiter {
            limiter::spawn_evictor(l);
        }
        let (store, pool) = (Arc::new(store), Arc::new(pool));
        if let Some(every) = config.storage.sweep_interval {
            store.spawn_sweeper(every);
        }
        let rendered = Arc::new(AtomicU64::new(0));
        let charts =
            crate::charts::Charts::new(pool.clone(), store.clone(), llm.clone(), rendered.clone());
        Ok(AppState {
            config: Arc::new(config),
            jwt_secret,
            store,
            pool,
            limiter,
            started: Instant::now(),
            rendered,
            llm,
            accounts: Arc::new(accounts),
            charts,
            short_urls,
        })
    }

    /// The base of returned URLs: `PUBLIC_URL`, else `http://<Host>` of the request.
    pub fn base_url(&self, headers: &HeaderMap) -> String {
        if let Some(u) = &self.config.public_url {
            return u.clone();
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
            })
            .unwrap_or("localhost");
        let proto = if self.config.trust_proxy {
            headers
                .get("x-forwarded-proto")
                .and_then(|h| h.to_str().ok())
                .filter(|p| *p == "https" || *p == "http")
                .unwrap_or("http")
        } else {
            "http"
        };
        format!("{proto}://{host}")
    }

    /// The answer to an account error (401 bodies carry this server's `LOGIN_URL`).
    pub(crate) fn account_error(&self, e: crate::accounts::AccountError) -> ApiError {
        ApiError::from_account(e, &self.config.login_url)
    }

    /// Stops the render pool (finishing queued renders) and closes the store.
    pub async fn close(&self) {
        let pool = self.pool.clone();
        let _ = tokio::task::spawn_blocking(move || pool.shutdown()).await;
        self.store.close().await;
        self.accounts.close().await;
    }
}

/// Starts the account service on `db`: `AUTH_JWT_SECRET` (or the generated one in
/// `DATA_DIR`), which must differ from the session secret.
fn open_accounts(config: &Config, jwt_secret: &Secret, db: Db) -> Result<Accounts, StartError> {
    let dir = &config.data_dir;
    let (secret, generated) = crate::secret::load_or_create_secret(
        config.accounts.auth_jwt_secret.as_ref(),
        dir,
        AUTH_SECRET_FILE,
    )
    .map_err(|source| StartError::DataDir {
        path: dir.join(AUTH_SECRET_FILE).display().to_string(),
        source,
    })?;
    if generated {
        tracing::warn!(
            file = %dir.join(AUTH_SECRET_FILE).display(),
            "AUTH_JWT_SECRET is not set: generated one and saved it. Create the first admin with \
             `clovicharts admin create --email you@example.com` (same DATA_DIR), password on stdin"
        );
    }
    if &secret == jwt_secret {
        return Err(StartError::Accounts(
            "AUTH_JWT_SECRET must differ from JWT_SECRET".into(),
        ));
    }
    let settings = AccountSettings {
        secret,
        admin_emails: config.accounts.admin_emails.clone(),
        login_failures_per_account: config.accounts.login_failures_per_account,
        login_failures_per_address: config.accounts.login_failures_per_address,
    };
    Ok(Accounts::new(db, settings))
}
