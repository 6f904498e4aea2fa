//! The HTTP API: routes of the reference (`/health`, `/app`, `/api/*`, `/charts/*`) over axum,
//! one [`AppState`], one error type, one auth chain, rate limiting on `/api/`.
//!
//! Handlers are thin: they extract, call the domain (spec, render pool, store, insight) and
//! answer. Rendering runs on the render pool, never on a tokio worker.

mod account;
mod admin;
mod admission;
pub mod auth;
mod catalog;
mod charts;
mod cors;
pub mod error;
mod extract;
mod files;
mod health;
mod keys;
mod metrics;
mod observe;
mod owners;
pub mod rate_limit;
mod timing;
mod web;

use crate::config::Config;
use crate::render::Backend;
use crate::render_pool::RenderPool;
use crate::secret::{JWT_SECRET_FILE, Secret};
use crate::store::Store;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderMap;
use axum::middleware;
use axum::response::Redirect;
use axum::routing::{get, post};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

pub use error::ApiError;

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
    pub limiter: Option<Arc<rate_limit::Limiter>>,
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
        let db = crate::db::Db::open(&data_dir).await?;
        let store = Store::open_with(db.clone(), &data_dir).await?;
        let accounts = account::open_accounts(&config, &jwt_secret, db)?;
        crate::metrics::install();
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
        let limiter = rate_limit::Limiter::from_config(&config).map(Arc::new);
        if let Some(l) = &limiter {
            rate_limit::spawn_evictor(l);
        }
        let (store, pool) = (Arc::new(store), Arc::new(pool));
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

/// The full router.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(account::routes())
        .merge(keys::routes())
        .merge(admin::routes())
        .route("/chart-types", get(catalog::chart_types))
        .route("/chart-types/examples", get(catalog::examples))
        .route("/charts/generate", post(charts::generate))
        .route("/charts/gallery", get(charts::gallery))
        .route("/charts/recommend", post(charts::recommend))
        .route("/charts/batch", post(charts::batch))
        .route("/charts/{id}", get(charts::metadata).delete(charts::delete))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit,
        ));
    Router::new()
        // The front door is the web app.
        .route("/", get(|| async { Redirect::temporary("/app") }))
        .route("/health", get(health::health))
        .route("/livez", get(health::livez))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .merge(web::routes())
        .route("/charts/{filename}", get(files::serve_file))
        .nest("/api", api)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(tower::util::option_layer(cors::layer(
            &state.config.cors_origins,
        )))
        .layer(middleware::from_fn_with_state(
            admission::Admission::new(&state.config),
            admission::admit,
        ))
        // Outermost first: the request id exists before the span, the log line sees the
        // timeout's answer.
        .layer(
            tower::ServiceBuilder::new()
                .layer(middleware::from_fn(observe::request_id))
                .layer(observe::trace_layer())
                .layer(middleware::from_fn(observe::log_request))
                .layer(middleware::from_fn(observe::timeout_answer))
                .layer(observe::timeout_layer()),
        )
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// Serves `state` on `listener` until `shutdown` resolves, then finishes in-flight requests
/// (within `SHUTDOWN_GRACE_MS`; see `crate::server`), stops the render pool and closes the store.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state.clone());
    state.charts.spawn_preview_warmup();
    crate::server::serve(listener, app, &state.config.limits, shutdown).await?;
    // A render stuck past every deadline must not keep the process from exiting.
    if tokio::time::timeout(state.config.limits.shutdown_grace, state.close())
        .await
        .is_err()
    {
        tracing::warn!("the render pool or the store did not close within the shutdown grace");
    }
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
