//! `/health` (the web app at `/app` is [`super::web`]).

use super::AppState;
use super::schemas;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

/// `GET /livez`: the process runs and answers (no dependency is checked).
#[utoipa::path(get, path = "/livez", tag = "operations",
    summary = "Liveness",
    responses((status = 200, description = "The process answers", body = schemas::Alive)))]
pub(super) async fn livez() -> Json<Value> {
    Json(json!({ "status": "alive" }))
}

async fn readiness(state: &AppState) -> crate::readiness::Readiness {
    crate::readiness::check(&state.pool, &state.store, &state.config.limits).await
}

/// `GET /readyz`: a canary render on the pool, a probe write, free disk space and a database
/// query; 503 with the failing checks when any fails.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    summary = "Readiness",
    responses(
        (status = 200, description = "Every check passed", body = schemas::Readiness),
        (status = 503, description = "`NOT_READY`: the failing checks", body = schemas::Readiness),
    ))]
pub(super) async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let r = readiness(&state).await;
    let mut body = json!({
        "status": if r.ready() { "ready" } else { "unavailable" },
        "checks": r.to_json(),
    });
    if !r.ready() {
        let failing = r.failing();
        body["error"] = json!(format!("Not ready: {} failing", failing.join(", ")));
        body["code"] = json!("NOT_READY");
        body["details"] = json!({ "failing": failing });
    }
    (status_of(&r), Json(body))
}

fn status_of(r: &crate::readiness::Readiness) -> StatusCode {
    if r.ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    }
}

/// `GET /health`: the reference's fields plus renderer and store; `status` and the HTTP status
/// are `/readyz`'s (`"ok"` only when every check passes, else `"unavailable"` and 503).
#[utoipa::path(get, path = "/health", tag = "operations",
    summary = "Health and build information",
    responses(
        (status = 200, description = "Healthy", body = schemas::Health),
        (status = 503, description = "A readiness check fails", body = schemas::Health),
    ))]
pub(super) async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let (stored, r) = tokio::join!(state.store.count(), readiness(&state));
    let stored = stored.ok();
    let backend = state.pool.backend();
    let body = Json(json!({
        "status": if r.ready() { "ok" } else { "unavailable" },
        "checks": r.to_json(),
        "service": "CloviCharts",
        "version": env!("CARGO_PKG_VERSION"),
        "port": state.config.port,
        "charts_rendered": stored.unwrap_or_else(|| state.rendered.load(Ordering::Relaxed)),
        "uptime_seconds": state.started.elapsed().as_secs(),
        "supported_types": crate::spec::ChartType::ALL.len(),
        "output_dir": state.store.objects().location(),
        "renderer": { "backend": backend.kind().name(), "adapter": backend.adapter_name(), "workers": state.pool.workers() },
        "store": { "kind": state.store.kind(), "storage": state.store.objects().kind(), "healthy": stored.is_some() },
        "llm": state.llm.health(),
    }));
    (status_of(&r), body)
}
