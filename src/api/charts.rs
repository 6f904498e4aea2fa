//! `/api/charts/*`: generate, batch, gallery, metadata, delete, recommend.

use super::AppState;
use super::auth::{Authed, Caller, MaybeCaller};
use super::body;
use super::error::ApiError;
use super::owners;
use super::timing::Timing;
use crate::insight;
use crate::spec::{self, ChartSpec, Format};
use crate::store::{ChartRecord, GalleryQuery};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use uuid::Uuid;

/// Most charts in one batch, as the reference.
const MAX_BATCH: usize = 10;
/// Default and largest gallery page.
const GALLERY_DEFAULT: u32 = 20;
const GALLERY_MAX: u32 = 100;

/// The reference's metadata object for a stored chart.
pub(super) fn record_json(record: &ChartRecord, base: &str) -> Value {
    json!({
        "chart_id": record.id,
        "type": record.chart_type,
        "theme": record.theme,
        "format": record.format,
        "width": record.width,
        "height": record.height,
        "title": record.title,
        "narrative": record.narrative,
        "url": format!("{base}/charts/{}", record.image_name()),
        "created_at": record.created_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "render_ms": record.render_ms,
        "visibility": record.visibility.as_str(),
    })
}

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

/// A rendered and stored chart.
struct Stored {
    record: ChartRecord,
    url: String,
    bytes: Vec<u8>,
    /// Where the title and narrative came from (model or data).
    text: insight::llm::ChartText,
    /// The alt text and description (also in the stored metadata file and the image).
    info: crate::encode::DocInfo,
    timing: Timing,
    /// Rendering's warnings (characters no loaded font has).
    warnings: Vec<spec::SpecWarning>,
}

/// Adds `alt_text` and `description` to a chart's JSON object.
fn add_description(value: &mut Value, info: &crate::encode::DocInfo) {
    if let Some(obj) = value.as_object_mut() {
        obj.insert("alt_text".into(), info.alt_text.clone().into());
        obj.insert("description".into(), info.description.clone().into());
    }
}

/// Fills title/narrative when asked (the model's when configured and valid, else from the
/// data), renders on the pool, stores durably.
async fn render_and_store(
    state: &AppState,
    mut spec: ChartSpec,
    owner: Option<String>,
    base: &str,
) -> Result<Stored, ApiError> {
    let text = state.llm.chart_text(&spec).await;
    text.apply(&mut spec);
    let narrative = text.narrative.as_ref().map(|n| n.text.clone());
    let title = spec.options.title.clone();
    let (chart_type, theme) = (spec.chart_type.name(), spec.options.theme.name());
    let visibility = spec.options.visibility;
    let out = state.pool.render(spec).await?;
    let timing = Timing::of(&out);
    let render_ms_exact = timing.total_ms();
    let chart = out.chart;
    let record = ChartRecord {
        id: Uuid::new_v4(),
        chart_type: chart_type.to_owned(),
        theme: theme.to_owned(),
        format: chart.format.name().to_owned(),
        width: chart.width,
        height: chart.height,
        title,
        narrative,
        render_ms: render_ms_exact.round() as u64,
        created_at: chrono::Utc::now(),
        owner,
        size_bytes: chart.bytes.len() as u64,
        visibility,
    };
    let url = format!("{base}/charts/{}", record.image_name());
    let mut metadata = record_json(&record, base);
    add_description(&mut metadata, &chart.info);
    let metadata = serde_json::to_vec_pretty(&metadata).map_err(|e| ApiError::internal(&e))?;
    state.store.save(&record, &chart.bytes, &metadata).await?;
    state.rendered.fetch_add(1, Ordering::Relaxed);
    Ok(Stored {
        record,
        url,
        bytes: chart.bytes,
        text,
        info: chart.info,
        timing,
        warnings: chart.warnings,
    })
}

/// `POST /api/charts/generate`.
pub(super) async fn generate(
    State(state): State<AppState>,
    Authed(user): Authed,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = body::json_bytes(&headers, body)?;
    let mut spec = body::off_runtime_if_large(bytes, |b| Ok(spec::parse_spec(b)?)).await?;
    let want_base64 = spec.options.base64;
    let mut warnings = std::mem::take(&mut spec.warnings);
    let base = state.base_url(&headers);
    let mut stored = render_and_store(&state, spec, Some(user.user_key()), &base).await?;
    warnings.append(&mut stored.warnings);
    let r = &stored.record;
    let mut payload = record_json(r, &base);
    add_description(&mut payload, &stored.info);
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
    stored.timing.set_headers(h);
    if let Some(n) = &r.narrative {
        h.insert("x-ai-narrative", header_text(n));
    }
    Ok(response)
}

/// `POST /api/charts/batch`: up to 10 specs rendered concurrently, each in its `options.format`.
pub(super) async fn batch(
    State(state): State<AppState>,
    Authed(user): Authed,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let value = body::json_value(&headers, body).await?;
    let Some(entries) = value.get("charts").and_then(Value::as_array) else {
        return Err(ApiError::bad_request(
            "MISSING_CHARTS",
            "`charts` must be an array of chart specs",
        ));
    };
    if entries.len() > MAX_BATCH {
        return Err(ApiError::bad_request(
            "BATCH_TOO_LARGE",
            format!(
                "A batch holds at most {MAX_BATCH} charts, got {}",
                entries.len()
            ),
        ));
    }
    let base = state.base_url(&headers);
    let owner = user.user_key();
    let mut tasks = Vec::with_capacity(entries.len());
    for entry in entries {
        let parsed = spec::from_value(entry);
        let state = state.clone();
        let base = base.clone();
        let owner = owner.clone();
        tasks.push(tokio::spawn(async move {
            let mut spec = parsed?;
            spec.options.ai_narrative = false;
            render_and_store(&state, spec, Some(owner), &base).await
        }));
    }
    let mut charts = Vec::with_capacity(tasks.len());
    let mut failed = 0;
    for task in tasks {
        let result = task.await.unwrap_or_else(|e| Err(ApiError::internal(&e)));
        charts.push(match result {
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
                json!({ "status": "error", "error": e.message, "code": e.code })
            }
        });
    }
    Ok(Json(
        json!({ "charts": charts, "total": entries.len(), "failed": failed }),
    ))
}

pub(super) fn query_u32(
    q: &HashMap<String, String>,
    key: &str,
    default: u32,
    max: u32,
) -> Result<u32, ApiError> {
    match q.get(key) {
        None => Ok(default),
        Some(v) => v.trim().parse::<u32>().map(|n| n.min(max)).map_err(|_| {
            ApiError::validation(format!(
                "`{key}` must be a non-negative whole number, got {v:?}"
            ))
        }),
    }
}

/// `GET /api/charts/gallery?limit=&offset=&type=`: newest first, persisted.
pub(super) async fn gallery(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let limit = query_u32(&q, "limit", GALLERY_DEFAULT, GALLERY_MAX)?.max(1);
    let offset = query_u32(&q, "offset", 0, u32::MAX)?;
    let chart_type = type_filter(&q)?;
    let (records, total) = state
        .store
        .list(&GalleryQuery {
            limit,
            offset,
            chart_type,
            owner: None,
        })
        .await?;
    let base = state.base_url(&headers);
    let charts: Vec<Value> = records.iter().map(|r| record_json(r, &base)).collect();
    Ok(Json(
        json!({ "charts": charts, "total": total, "limit": limit, "offset": offset }),
    ))
}

/// The `type` query parameter, as a canonical chart type name.
pub(super) fn type_filter(q: &HashMap<String, String>) -> Result<Option<String>, ApiError> {
    match q.get("type").map(|t| t.trim()).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => Ok(Some(
            spec::ChartType::parse(t)
                .ok_or_else(|| ApiError::validation(format!("unknown chart type {t:?}")))?
                .name()
                .to_owned(),
        )),
    }
}

/// The chart id in a path segment, with an image format's extension or `.json` stripped; `None`
/// if not a UUID.
fn chart_id(raw: &str) -> Option<Uuid> {
    let stem = match raw.rsplit_once('.') {
        Some((stem, ext)) if ext == "json" || Format::parse(ext).is_some() => stem,
        _ => raw,
    };
    Uuid::parse_str(stem).ok()
}

/// `GET /api/charts/:id` (private charts: owner and admins only, 404 for everyone else).
pub(super) async fn metadata(
    State(state): State<AppState>,
    MaybeCaller(viewer): MaybeCaller,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = chart_id(&raw).ok_or_else(ApiError::not_found)?;
    let record = state
        .store
        .get(id)
        .await?
        .filter(|r| owners::can_view(viewer.as_ref(), r))
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(record_json(&record, &state.base_url(&headers))))
}

/// `DELETE /api/charts/:id` (the owner or an admin; 404 when the caller may not see it).
pub(super) async fn delete(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(raw): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = chart_id(&raw).ok_or_else(ApiError::not_found)?;
    let record = state
        .store
        .get(id)
        .await?
        .filter(|r| owners::can_view(Some(&user), r))
        .ok_or_else(ApiError::not_found)?;
    if !owners::can_delete(&user, &record) {
        return Err(ApiError::forbidden());
    }
    if !state.store.delete(id).await? {
        return Err(ApiError::not_found());
    }
    Ok(Json(json!({ "deleted": true, "id": id })))
}

/// `POST /api/charts/recommend`: the rules' answer, or the model's when configured and valid;
/// `source` says which.
pub(super) async fn recommend(
    State(state): State<AppState>,
    Authed(_user): Authed,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let value = body::json_value(&headers, body).await?;
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
