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
mod openapi;
mod owners;
pub mod rate_limit;
mod schemas;
mod state;
mod timing;
mod urlapi;
mod web;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::ApiError;
pub use state::{AppState, StartError};

/// The routes under `/api`, before state and middleware.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(account::routes())
        .merge(keys::routes())
        .merge(admin::routes())
        .routes(routes!(catalog::chart_types))
        .routes(routes!(catalog::examples))
        .routes(routes!(charts::generate))
        .routes(routes!(charts::gallery))
        .routes(routes!(charts::recommend))
        .routes(routes!(charts::batch))
        .routes(routes!(charts::metadata, charts::delete))
        .routes(routes!(openapi::document))
}

/// The routes outside `/api`, before state and middleware.
fn root_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health::health))
        .routes(routes!(health::livez))
        .routes(routes!(health::readyz))
        .routes(routes!(metrics::metrics))
        .merge(web::routes())
        .merge(openapi::routes())
        // QuickChart's URL API, at QuickChart's paths.
        .merge(urlapi::routes())
        .routes(routes!(files::serve_file))
}

/// The OpenAPI document of every route of [`router`], as `GET /api/openapi.json` serves it
/// (pretty-printed JSON; `docs/openapi.json` is its snapshot).
pub fn openapi_json() -> String {
    openapi::to_json(&openapi::finish(
        root_routes().nest("/api", api_routes()).into_openapi(),
    ))
}

/// The full router. Every route is registered through its `#[utoipa::path]` annotation
/// (`routes!`), so the router and the OpenAPI document are built from the same list.
pub fn router(state: AppState) -> Router {
    let api = api_routes()
        .route_layer(middleware::from_fn(observe::mark_route))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit,
        ));
    let (router, doc) = root_routes()
        .route_layer(middleware::from_fn(observe::mark_route))
        .nest("/api", api)
        .split_for_parts();
    let served = openapi::Served::new(&openapi::finish(doc));
    router
        .fallback(not_found)
        .layer(axum::Extension(served))
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
        // timeout's answer and every error as JSON.
        .layer(
            tower::ServiceBuilder::new()
                .layer(middleware::from_fn(observe::request_id))
                .layer(observe::trace_layer())
                .layer(middleware::from_fn(observe::log_request))
                .layer(middleware::from_fn(observe::json_errors))
                .layer(observe::timeout_layer()),
        )
        .with_state(state)
}

/// No route has this path: the reference's 404 body.
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
