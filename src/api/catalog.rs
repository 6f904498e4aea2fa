//! `/api/chart-types` and its rendered previews (`example_<type>.png`, 400×280).

use super::AppState;
use super::auth::Authed;
use super::error::ApiError;
use crate::catalog::{self, ENGINE};
use crate::spec::{self, ChartType};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};

/// Preview size, as the reference.
const PREVIEW_WIDTH: u32 = 400;
const PREVIEW_HEIGHT: u32 = 280;

/// `GET /api/chart-types`.
pub(super) async fn chart_types() -> Json<Value> {
    let types = catalog::catalog();
    Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "engine": ENGINE,
        "total": types.len(),
        "chart_types": types,
    }))
}

fn preview_name(t: ChartType) -> String {
    format!("example_{}.png", t.name())
}

/// Renders and writes one preview; the error message on failure.
async fn render_preview(state: &AppState, t: ChartType) -> Result<(), String> {
    let mut config = catalog::example_config(t);
    config["options"]["width"] = PREVIEW_WIDTH.into();
    config["options"]["height"] = PREVIEW_HEIGHT.into();
    config["options"]["format"] = "png".into();
    let spec = spec::from_value(&config).map_err(|e| e.message())?;
    let out = state
        .pool
        .render(spec)
        .await
        .map_err(|e| ApiError::from(e).message)?;
    state
        .store
        .files()
        .write_atomic(&preview_name(t), &out.chart.bytes)
        .await
        .map_err(|e| e.to_string())
}

/// `GET /api/chart-types/examples` (auth): renders every preview; a failing type gets `error`.
pub(super) async fn examples(
    State(state): State<AppState>,
    Authed(_user): Authed,
    headers: HeaderMap,
) -> Json<Value> {
    let base = state.base_url(&headers);
    let mut examples = Vec::with_capacity(ChartType::ALL.len());
    for t in ChartType::ALL {
        let entry = match render_preview(&state, t).await {
            Ok(()) => json!({
                "type": t.name(),
                "label": catalog::label(t),
                "url": format!("{base}/charts/{}", preview_name(t)),
            }),
            Err(error) => json!({ "type": t.name(), "label": catalog::label(t), "error": error }),
        };
        examples.push(entry);
    }
    Json(json!({ "examples": examples }))
}

/// Renders missing previews of the drawn types in the background, so `/app` shows pictures.
pub(super) fn spawn_preview_warmup(state: AppState) {
    tokio::spawn(async move {
        for t in ChartType::ALL {
            let exists = state
                .store
                .files()
                .path(&preview_name(t))
                .is_some_and(|p| p.exists());
            if !exists && let Err(e) = render_preview(&state, t).await {
                tracing::warn!(chart_type = t.name(), error = %e, "preview failed");
            }
        }
    });
}
