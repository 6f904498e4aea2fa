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
mod limiter;
mod metrics;
mod observe;
mod owners;
pub mod rate_limit;
mod state;
mod timing;
mod urlapi;
mod web;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::response::Redirect;
use axum::routing::{get, post};

pub use error::ApiError;
pub use state::{AppState, StartError};

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
        // QuickChart's URL API, at QuickChart's paths.
        .merge(urlapi::routes())
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
            std::sync::Arc::new(state.config.cors_origins.clone()),
            cors::strip_unlisted,
        ))
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
