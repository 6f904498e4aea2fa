//! `/health` (the web app at `/app` is [`super::web`]).

use super::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

/// `GET /livez`: the process runs and answers (no dependency is checked).
pub(super) async fn livez() -> Json<Value> {
    Json(json!({ "status": "alive" }))
}

async fn readiness(state: &AppState) -> crate::readiness::Readiness {
    crate::readiness::check(&state.pool, &state.store, &state.config.limits).await
}

/// `GET /readyz`: a canary render on the pool, a probe write, free disk space and a database
/// query; 503 with the failing checks when any fails.
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
