//! The HTTP API: routes of the reference (`/health`, `/app`, `/api/*`, `/charts/*`) over axum,
//! one [`AppState`], one error type, one auth chain, rate limiting on `/api/`.
//!
//! Handlers are thin: they extract, call the domain (spec, render pool, store, insight) and
//! answer. Rendering runs on the render pool, never on a tokio worker.

mod account;
mod admin;
pub mod auth;
mod body;
mod catalog;
mod charts;
pub mod error;
mod files;
mod health;
mod keys;
mod metrics;
mod owners;
pub mod rate_limit;
mod timing;

use crate::config::{Config, Secret};
use crate::render::Backend;
use crate::render_pool::RenderPool;
use crate::store::Store;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderMap;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use std::net::SocketAddr;
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
            auth::load_or_create_jwt_secret(config.jwt_secret.as_ref(), &data_dir).map_err(
                |source| StartError::DataDir {
                    path: data_dir.join("jwt_secret").display().to_string(),
                    source,
                },
            )?;
        if generated {
            tracing::warn!(
                file = %data_dir.join("jwt_secret").display(),
                "JWT_SECRET is not set: generated one and saved it. Mint an admin session token \
                 with `clovicharts token --role admin --user 1` (same DATA_DIR), and send it as \
                 the cl_session cookie"
            );
        }
        let llm = crate::insight::llm::Llm::new(&config.llm)?;
        let store = Store::open(&data_dir).await?;
        let accounts = account::open_accounts(&config, &jwt_secret).await?;
        crate::metrics::install();
        let cache = crate::cache::RenderCache::with_mb(config.render_cache_mb).map(Arc::new);
        let pool = RenderPool::start_with_options(
            backend,
            config.render_workers,
            config.render_queue,
            cache,
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
        Ok(AppState {
            config: Arc::new(config),
            jwt_secret,
            store: Arc::new(store),
            pool: Arc::new(pool),
            limiter,
            started: Instant::now(),
            rendered: Arc::new(AtomicU64::new(0)),
            llm,
            accounts: Arc::new(accounts),
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
        .route("/health", get(health::health))
        .route("/metrics", get(metrics::metrics))
        .route("/app", get(health::app))
        .route("/charts/{filename}", get(files::serve_file))
        .nest("/api", api)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// One log line per request: method, path, status, milliseconds, chart id.
async fn log_request(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let chart_id = response
        .headers()
        .get("x-chart-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    tracing::info!(
        %method,
        %path,
        status = response.status().as_u16(),
        ms = format!("{:.2}", start.elapsed().as_secs_f64() * 1e3),
        chart_id,
        "request"
    );
    response
}

/// Serves `state` on `listener` until `shutdown` resolves, then finishes in-flight requests,
/// stops the render pool and closes the store.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state.clone());
    catalog::spawn_preview_warmup(state.clone());
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    state.close().await;
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
