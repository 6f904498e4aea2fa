//! `/health` (the web app at `/app` is [`super::web`]).

use super::AppState;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

/// `GET /health`: the reference's fields plus renderer and store.
pub(super) async fn health(State(state): State<AppState>) -> Json<Value> {
    let stored = state.store.count().await.ok();
    let backend = state.pool.backend();
    Json(json!({
        "status": "ok",
        "service": "CloviCharts",
        "version": env!("CARGO_PKG_VERSION"),
        "port": state.config.port,
        "charts_rendered": stored.unwrap_or_else(|| state.rendered.load(Ordering::Relaxed)),
        "uptime_seconds": state.started.elapsed().as_secs(),
        "supported_types": crate::spec::ChartType::ALL.len(),
        "output_dir": state.store.files().dir().display().to_string(),
        "renderer": { "backend": backend.kind().name(), "adapter": backend.adapter_name(), "workers": state.pool.workers() },
        "store": { "kind": state.store.kind(), "healthy": stored.is_some() },
        "llm": state.llm.health(),
    }))
}
