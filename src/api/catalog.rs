//! `/api/chart-types` and its rendered previews (`example_<type>.png`, 400×280).

use super::AppState;
use super::auth::Authed;
use super::error::ApiError;
use super::schemas;
use crate::catalog::{self, ENGINE};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};

/// `GET /api/chart-types`.
#[utoipa::path(get, path = "/chart-types", tag = "catalog",
    summary = "Every chart type with an example spec",
    responses((status = 200, description = "The catalog", body = schemas::ChartTypes)))]
pub(super) async fn chart_types() -> Json<Value> {
    let types = catalog::catalog();
    Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "engine": ENGINE,
        "total": types.len(),
        "chart_types": types,
    }))
}

/// `GET /api/chart-types/examples` (auth): renders every preview; a failing type gets `error`.
#[utoipa::path(get, path = "/chart-types/examples", tag = "catalog",
    summary = "A rendered preview of every type",
    security(("caller" = [])),
    responses((status = 200, description = "One preview per type", body = schemas::Examples)))]
pub(super) async fn examples(
    State(state): State<AppState>,
    Authed(_user): Authed,
    headers: HeaderMap,
) -> Json<Value> {
    let base = state.base_url(&headers);
    let examples: Vec<Value> = state
        .charts
        .previews()
        .await
        .into_iter()
        .map(|p| {
            let (t, label) = (p.chart_type.name(), catalog::label(p.chart_type));
            match p.file {
                Ok(file) => {
                    json!({ "type": t, "label": label, "url": format!("{base}/charts/{file}") })
                }
                Err(e) => json!({ "type": t, "label": label, "error": ApiError::from(e).message }),
            }
        })
        .collect();
    Json(json!({ "examples": examples }))
}
