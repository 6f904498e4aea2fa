//! `/api/charts/*`: generate, batch, gallery, metadata, delete, recommend.

use super::AppState;
use super::auth::{Authed, Caller, MaybeCaller, Principal};
use super::error::ApiError;
use super::extract::{ChartPage, JsonBody, Page};
use super::owners;
use super::schemas;
use super::timing::Timing;
use crate::charts::record_json;
use crate::insight;
use crate::spec::ChartSpec;
use crate::spec::Format;
use crate::store::{ChartRecord, GalleryQuery};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::{Value, json};
use uuid::Uuid;

/// A header value for free text. Header values are ASCII: typographic characters the narrative
/// uses become their ASCII forms (`−` → `-`, `…` → `...`); anything else non-ASCII or a control
/// character is percent-encoded (UTF-8 bytes).
fn header_text(s: &str) -> HeaderValue {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            ' '..='~' => out.push(c),
            '\u{2212}' | '\u{2013}' | '\u{2014}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            '\u{2018}' | '\u{2019}' => out.push('\''),
            '\u{201C}' | '\u{201D}' => out.push('"'),
            _ => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    HeaderValue::from_str(&out).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `POST /api/charts/generate`.
#[utoipa::path(post, path = "/charts/generate", tag = "charts",
    summary = "Render and store a chart",
    description = "Validates the spec (every problem answered at once, each at its JSON path), renders it and stores it. The image is served at `url`; `X-Chart-Id`, `X-Chart-Url`, `X-AI-Narrative` and the timing headers (`X-Render-Ms`, `X-Encode-Ms`, `X-Queue-Ms`, `X-Cache`) come with the answer.",
    request_body = schemas::ChartSpec,
    security(("caller" = [])),
    responses(
        (status = 200, description = "The stored chart", body = schemas::Generated),
        (status = 422, description = "`RENDER_TIMEOUT`: the chart is too expensive as sent", body = schemas::Error),
        (status = 507, description = "`INSUFFICIENT_STORAGE`: the disk is full", body = schemas::Error),
    ))]
pub(super) async fn generate(
    State(state): State<AppState>,
    Authed(user): Authed,
    headers: HeaderMap,
    JsonBody(mut spec): JsonBody<ChartSpec>,
) -> Result<Response, ApiError> {
    let want_base64 = spec.options.base64;
    let mut warnings = std::mem::take(&mut spec.warnings);
    let base = state.base_url(&headers);
    let mut stored = state
        .charts
        .generate(spec, Some(user.user_key()), &base)
        .await?;
    warnings.append(&mut stored.warnings);
    let r = &stored.record;
    let mut payload = stored.metadata.clone();
    if let Some(obj) = payload.as_object_mut() {
        obj.remove("type");
        // Keys that had no effect, so a client can see why an option did nothing.
        if !warnings.is_empty() {
            obj.insert("warnings".into(), serde_json::json!(warnings));
        }
        let sources = [
            ("title_source", &stored.text.title),
            ("narrative_source", &stored.text.narrative),
        ];
        for (key, text) in sources {
            if let Some(t) = text {
                obj.insert(key.into(), t.source.name().into());
            }
        }
        if want_base64 {
            obj.insert(
                "base64".into(),
                base64::engine::general_purpose::STANDARD
                    .encode(&stored.bytes)
                    .into(),
            );
        }
    }
    let mut response = (StatusCode::OK, Json(payload)).into_response();
    let h = response.headers_mut();
    h.insert("x-chart-id", header_text(&r.id.to_string()));
    h.insert("x-chart-url", header_text(&stored.url));
    Timing::of(&stored.render).set_headers(h);
    if let Some(n) = &r.narrative {
        h.insert("x-ai-narrative", header_text(n));
    }
    Ok(response)
}

/// `POST /api/charts/batch`: up to 10 specs rendered concurrently, each in its `options.format`.
#[utoipa::path(post, path = "/charts/batch", tag = "charts",
    summary = "Render and store up to 10 charts",
    request_body = schemas::BatchRequest,
    security(("caller" = [])),
    responses((status = 200, description = "One entry per spec; a failing spec is an entry with `status: error`", body = schemas::BatchAnswer)))]
pub(super) async fn batch(
    State(state): State<AppState>,
    Authed(user): Authed,
    headers: HeaderMap,
    JsonBody(value): JsonBody<Value>,
) -> Result<Json<Value>, ApiError> {
    let base = state.base_url(&headers);
    let results = state.charts.batch(&value, &user.user_key(), &base).await?;
    let total = results.len();
    let mut charts = Vec::with_capacity(total);
    let mut failed = 0;
    for result in results {
        charts.push(match result.map_err(ApiError::from) {
            Ok(s) => json!({
                "status": "ok",
                "chart_id": s.record.id,
                "url": s.url,
                "format": s.record.format,
                "render_ms": s.record.render_ms,
                "alt_text": s.info.alt_text,
                "description": s.info.description,
            }),
            Err(e) => {
                failed += 1;
                // This error becomes part of a 200, so its cause is logged here, not by the
                // request log.
                if let Some(cause) = &e.cause {
                    tracing::error!(error = %cause, "batch entry failed");
                }
                json!({ "status": "error", "error": e.message, "code": e.code })
            }
        });
    }
    Ok(Json(
        json!({ "charts": charts, "total": total, "failed": failed }),
    ))
}

/// `GET /api/charts/gallery?limit=&offset=&type=`: newest first, persisted.
#[utoipa::path(get, path = "/charts/gallery", tag = "charts",
    summary = "Public charts, newest first",
    params(schemas::ChartPageParams),
    responses((status = 200, description = "A page of public charts", body = schemas::ChartPage)))]
pub(super) async fn gallery(
    State(state): State<AppState>,
    headers: HeaderMap,
    page: Page<ChartPage>,
) -> Result<Json<Value>, ApiError> {
    let (limit, offset) = (page.limit, page.offset);
    let (records, total) = state
        .store
        .list(&GalleryQuery {
            limit,
            offset,
            chart_type: page.chart_type,
            owner: None,
        })
        .await?;
    let base = state.base_url(&headers);
    let charts: Vec<Value> = records.iter().map(|r| record_json(r, &base)).collect();
    Ok(Json(
        json!({ "charts": charts, "total": total, "limit": limit, "offset": offset }),
    ))
}

/// The chart id in a path segment, with `.png/.webp/.json` stripped; `None` if not a UUID.
fn chart_id(raw: &str) -> Option<Uuid> {
    let stem = match raw.rsplit_once('.') {
        Some((stem, ext)) if ext == "json" || Format::parse(ext).is_some() => stem,
        _ => raw,
    };
    Uuid::parse_str(stem).ok()
}

/// The chart `raw` names, when `viewer` may see it; 404 otherwise (unknown, malformed or not
/// theirs: the three are indistinguishable).
async fn visible_chart(
    state: &AppState,
    raw: &str,
    viewer: Option<&Principal>,
) -> Result<ChartRecord, ApiError> {
    let id = chart_id(raw).ok_or_else(ApiError::not_found)?;
    state
        .store
        .get(id)
        .await?
        .filter(|r| owners::can_view(viewer, r))
        .ok_or_else(ApiError::not_found)
}

/// `GET /api/charts/:id` (private charts: owner and admins only, 404 for everyone else).
#[utoipa::path(get, path = "/charts/{id}", tag = "charts",
    summary = "A stored chart's metadata",
    params(("id" = String, Path, description = "The chart's id (a UUID; `.png`, `.webp`, `.json`, … are stripped)")),
    security((), ("caller" = [])),
    responses(
        (status = 200, description = "The chart's metadata", body = schemas::ChartMetadata),
        (status = 404, description = "Unknown, malformed, or private and not the caller's", body = schemas::Error),
    ))]
pub(super) async fn metadata(
    State(state): State<AppState>,
    MaybeCaller(viewer): MaybeCaller,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let record = visible_chart(&state, &raw, viewer.as_ref()).await?;
    Ok(Json(record_json(&record, &state.base_url(&headers))))
}

/// `DELETE /api/charts/:id` (the owner or an admin; 404 when the caller may not see it).
#[utoipa::path(delete, path = "/charts/{id}", tag = "charts",
    summary = "Delete a chart",
    params(("id" = String, Path, description = "The chart's id")),
    security(("caller" = [])),
    responses(
        (status = 200, description = "Deleted", body = schemas::Deleted),
        (status = 404, description = "Unknown, or not visible to the caller", body = schemas::Error),
    ))]
pub(super) async fn delete(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(raw): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let record = visible_chart(&state, &raw, Some(&user)).await?;
    if !owners::can_delete(&user, &record) {
        return Err(ApiError::forbidden());
    }
    if !state.store.delete(record.id).await? {
        return Err(ApiError::not_found());
    }
    Ok(Json(json!({ "deleted": true, "id": record.id })))
}

/// `POST /api/charts/recommend`: the rules' answer, or the model's when configured and valid;
/// `source` says which.
#[utoipa::path(post, path = "/charts/recommend", tag = "charts",
    summary = "Recommend a chart type for columns",
    request_body = schemas::RecommendRequest,
    security(("caller" = [])),
    responses((status = 200, description = "The recommendation", body = schemas::RecommendAnswer)))]
pub(super) async fn recommend(
    State(state): State<AppState>,
    Authed(_user): Authed,
    JsonBody(value): JsonBody<Value>,
) -> Result<Json<Value>, ApiError> {
    let columns = insight::recommend::parse_request(&value).map_err(|e| {
        ApiError::bad_request(e.code, e.message.clone()).with_details(json!({ "path": e.path }))
    })?;
    let sample = insight::recommend::sample_rows(&value);
    let (rec, source) = state.llm.recommend(&columns, sample).await;
    let mut body = serde_json::to_value(rec).map_err(|e| ApiError::internal(&e))?;
    if let Some(obj) = body.as_object_mut() {
        obj.insert("source".into(), source.name().into());
    }
    Ok(Json(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_ids_strip_extensions() {
        let id = "550e8400-e29b-41d4-a716-446655440000";
        assert!(chart_id(id).is_some());
        assert!(chart_id(&format!("{id}.png")).is_some());
        assert!(chart_id(&format!("{id}.json")).is_some());
        assert!(chart_id("../../etc/passwd").is_none());
        assert!(chart_id("").is_none());
    }

    #[test]
    fn header_text_is_always_valid() {
        assert_eq!(
            header_text("Revenue peaked in Q4").to_str().unwrap(),
            "Revenue peaked in Q4"
        );
        assert_eq!(
            header_text("down \u{2212}5% to Caf\u{e9}\u{2026}")
                .to_str()
                .unwrap(),
            "down -5% to Caf%C3%A9..."
        );
        assert_eq!(header_text("a\r\nb").to_str().unwrap(), "a%0D%0Ab");
    }
}
