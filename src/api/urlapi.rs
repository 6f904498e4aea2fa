//! QuickChart's URL API, so its official clients work by changing only their host:
//! `GET /chart?c=…`, `POST /chart`, `POST /chart/create` and `GET /chart/render/{id}`.
//!
//! Reading the request is [`crate::urlapi`]'s; validation, budgets and rendering are exactly
//! those of `POST /api/charts/generate` (the same validator, the same render pool with its
//! queue, deadline and cache, behind the same body admission), except that nothing is stored
//! in the gallery. Answers carry an `ETag` (the validated spec's hash, so two spellings of one
//! chart share it) and `Cache-Control`; `If-None-Match` is a 304 without rendering. Errors
//! are our JSON body plus `X-quickchart-error`, the header QuickChart's clients print.

mod access;

use super::AppState;
use super::auth::MaybeCaller;
use super::error::ApiError;
use super::extract::JsonBody;
use super::rate_limit::ClientAddress;
use super::schemas;
use crate::accounts::Scope;
use crate::cache::CacheKey;
use crate::config::urlapi::UrlApiAuth;
use crate::spec::{self, ChartSpec};
use crate::urlapi::{self, RequestError, ShortUrl, UrlChart, store};
use access::{Access, admit, key_grant, signed_grant};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Longest `X-quickchart-error`: the clients print it on one line.
const MAX_ERROR_HEADER_CHARS: usize = 300;

/// The routes, at the root (QuickChart's paths).
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_chart, post_chart))
        .routes(routes!(create))
        .routes(routes!(render_short))
}

/// An error answer with `X-quickchart-error`.
struct UrlApiError(ApiError);

impl From<ApiError> for UrlApiError {
    fn from(e: ApiError) -> Self {
        UrlApiError(e)
    }
}

impl From<RequestError> for UrlApiError {
    fn from(e: RequestError) -> Self {
        let param = match &e {
            RequestError::Param { name, .. } => *name,
            _ => "chart",
        };
        UrlApiError(ApiError::validation(e.to_string()).with_details(json!({ "param": param })))
    }
}

impl From<spec::SpecErrors> for UrlApiError {
    fn from(e: spec::SpecErrors) -> Self {
        UrlApiError(e.into())
    }
}

impl IntoResponse for UrlApiError {
    fn into_response(self) -> Response {
        let mut text = self.0.message.clone();
        if let Some(path) = self
            .0
            .details
            .as_deref()
            .and_then(|d| d.pointer("/errors/0/path"))
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty())
        {
            text.push_str(&format!(" (at {path})"));
        }
        let header_value = error_header(&text);
        let mut response = self.0.into_response();
        response
            .headers_mut()
            .insert("x-quickchart-error", header_value);
        response
    }
}

/// `text` as a header value: printable ASCII only (anything else becomes `?`), at most
/// [`MAX_ERROR_HEADER_CHARS`].
fn error_header(text: &str) -> HeaderValue {
    let ascii: String = text
        .chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .take(MAX_ERROR_HEADER_CHARS)
        .collect();
    HeaderValue::from_str(&ascii).unwrap_or_else(|_| HeaderValue::from_static("invalid chart"))
}

/// Validates the chart and works out its ETag, on a blocking thread: a big body's validation
/// and hash read every point.
async fn validate(chart: Value) -> Result<(ChartSpec, String), UrlApiError> {
    tokio::task::spawn_blocking(move || {
        let spec = spec::from_value(&chart)?;
        let key = CacheKey::of(&spec).to_string();
        // 128 bits of the hash are plenty to tell charts apart.
        let etag = format!("\"{}\"", key.get(..32).unwrap_or(&key));
        Ok((spec, etag))
    })
    .await
    .map_err(|e| UrlApiError(ApiError::internal(&e)))?
}

/// Whether `If-None-Match` names `etag` (or `*`).
fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

/// Renders `chart` for `access`: the image (as a `data:` URI in plain text when `data_uri`),
/// or a 304 when the client holds it already.
async fn render(
    state: &AppState,
    headers: &HeaderMap,
    chart: Value,
    data_uri: bool,
    access: &Access,
) -> Result<Response, UrlApiError> {
    let (spec, etag) = validate(chart).await?;
    // The data URI is another representation of the same chart: another tag.
    let etag = if data_uri {
        format!("{}-b64\"", etag.trim_end_matches('"'))
    } else {
        etag
    };
    let etag_value = HeaderValue::from_str(&etag).map_err(|e| ApiError::internal(&e))?;
    if not_modified(headers, &etag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        let h = response.headers_mut();
        h.insert(header::ETAG, etag_value);
        h.insert(header::CACHE_CONTROL, access.cache_control());
        return Ok(response);
    }
    let out = state.pool.render(spec).await.map_err(ApiError::from)?;
    let chart = out.chart;
    let (body, mime) = if data_uri {
        use base64::Engine as _;
        let text = format!(
            "data:{};base64,{}",
            chart.format.mime(),
            base64::engine::general_purpose::STANDARD.encode(&chart.bytes)
        );
        (axum::body::Bytes::from(text), "text/plain; charset=utf-8")
    } else {
        (axum::body::Bytes::from(chart.bytes), chart.format.mime())
    };
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::ETAG, etag_value);
    h.insert(header::CACHE_CONTROL, access.cache_control());
    if !chart.warnings.is_empty() {
        h.insert("x-chart-warnings", HeaderValue::from(chart.warnings.len()));
    }
    Ok(response)
}

/// Reads the body off the runtime when big (a string chart is read by the JSON5 reader).
async fn read_body(body: Value) -> Result<UrlChart, UrlApiError> {
    tokio::task::spawn_blocking(move || urlapi::from_body(&body))
        .await
        .map_err(|e| UrlApiError(ApiError::internal(&e)))?
        .map_err(UrlApiError::from)
}

/// `GET /chart?c=…&w=&h=&bkg=&f=&devicePixelRatio=&v=&key=` (or `key_id=&sig=`, signed).
#[utoipa::path(get, path = "/chart", tag = "QuickChart URL API",
    summary = "Render a chart from the query string",
    description = "QuickChart's URL API. Each parameter has a short and a long name; the first of a repeated parameter counts. Whether a key is needed is `URL_API_AUTH`'s (see docs/configuration.md).",
    params(
        ("c" = Option<String>, Query, description = "The chart (JSON or a JavaScript object literal); also `chart`"),
        ("w" = Option<String>, Query, description = "Width in pixels; also `width`"),
        ("h" = Option<String>, Query, description = "Height in pixels; also `height`"),
        ("bkg" = Option<String>, Query, description = "Background colour; also `backgroundColor`"),
        ("f" = Option<String>, Query, description = "`png`, `webp`, `svg`, `pdf` or `jpg`; also `format`"),
        ("devicePixelRatio" = Option<String>, Query, description = "Pixel density"),
        ("encoding" = Option<String>, Query, description = "`base64`: `c` is base64"),
        ("key" = Option<String>, Query, description = "An API key"),
        ("key_id" = Option<String>, Query, description = "A signed URL's key id (`URL_API_AUTH=signed`)"),
        ("sig" = Option<String>, Query, description = "A signed URL's signature"),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of an earlier answer"),
    ),
    security((), ("caller" = [])),
    responses(
        (status = 200, description = "The image", content(
            ("image/png"), ("image/webp"), ("image/jpeg"),
            ("image/svg+xml"), ("application/pdf"),
        )),
        (status = 304, description = "Not modified: the client holds this chart"),
        (status = 422, description = "`RENDER_TIMEOUT`: the chart is too expensive as sent", body = schemas::Error),
    ))]
async fn get_chart(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, UrlApiError> {
    let Query(pairs) = query.map_err(|e| ApiError::validation(e.body_text()))?;
    let signed = if state.config.url_api.auth == UrlApiAuth::Signed {
        signed_grant(&state, &pairs).await?
    } else {
        None
    };
    // The first of a repeated parameter counts.
    let mut query: HashMap<String, String> = HashMap::with_capacity(pairs.len());
    for (k, v) in pairs {
        query.entry(k).or_insert(v);
    }
    let request = tokio::task::spawn_blocking(move || urlapi::from_query(&query))
        .await
        .map_err(|e| UrlApiError(ApiError::internal(&e)))??;
    let grant = match signed {
        Some(g) => Some(g),
        None => key_grant(&state, request.key.as_deref(), caller.as_ref()).await?,
    };
    let access = admit(&state, grant, &address, Scope::ChartsRead).await?;
    render(&state, &headers, request.chart, request.data_uri, &access).await
}

/// `POST /chart` with `{chart, width, height, backgroundColor, devicePixelRatio, format, key}`.
#[utoipa::path(post, path = "/chart", tag = "QuickChart URL API",
    summary = "Render a chart from a JSON body",
    request_body = schemas::UrlChart,
    params(("If-None-Match" = Option<String>, Header, description = "The `ETag` of an earlier answer")),
    security((), ("caller" = [])),
    responses(
        (status = 200, description = "The image", content(
            ("image/png"), ("image/webp"), ("image/jpeg"),
            ("image/svg+xml"), ("application/pdf"),
        )),
        (status = 304, description = "Not modified: the client holds this chart"),
        (status = 422, description = "`RENDER_TIMEOUT`: the chart is too expensive as sent", body = schemas::Error),
    ))]
async fn post_chart(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Result<JsonBody<Value>, ApiError>,
) -> Result<Response, UrlApiError> {
    let JsonBody(body) = body?;
    let request = read_body(body).await?;
    let grant = key_grant(&state, request.key.as_deref(), caller.as_ref()).await?;
    let access = admit(&state, grant, &address, Scope::ChartsRead).await?;
    render(&state, &headers, request.chart, request.data_uri, &access).await
}

/// `POST /chart/create`: the same body as `POST /chart` → `{success, url}`, a short URL
/// served for `SHORT_URL_TTL_DAYS`. The chart is validated now, so a broken one fails here.
#[utoipa::path(post, path = "/chart/create", tag = "QuickChart URL API",
    summary = "Create a short URL for a chart",
    request_body = schemas::UrlChart,
    security((), ("caller" = [])),
    responses((status = 200, description = "The short URL", body = schemas::ShortUrl)))]
async fn create(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Result<JsonBody<Value>, ApiError>,
) -> Result<Json<Value>, UrlApiError> {
    let JsonBody(body) = body?;
    let request = read_body(body).await?;
    let grant = key_grant(&state, request.key.as_deref(), caller.as_ref()).await?;
    let access = admit(&state, grant, &address, Scope::ChartsWrite).await?;
    let chart_json = serde_json::to_string(&request.chart).map_err(|e| ApiError::internal(&e))?;
    validate(request.chart).await?;
    let now = chrono::Utc::now();
    let ttl = chrono::Duration::from_std(state.config.url_api.short_url_ttl)
        .map_err(|e| ApiError::internal(&e))?;
    let url = ShortUrl {
        id: store::new_id(),
        chart_json,
        created_at: now,
        expires_at: now + ttl,
        key_id: access.key_id,
    };
    state
        .short_urls
        .insert(&url)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let base = state.base_url(&headers);
    Ok(Json(json!({
        "success": true,
        "url": format!("{base}/chart/render/{}", url.id),
        "expires_at": url.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })))
}

/// `GET /chart/render/{id}`: the short URL's chart, or 404 once expired or unknown. The link
/// itself is the permission (its id is unguessable), so no key is asked for.
#[utoipa::path(get, path = "/chart/render/{id}", tag = "QuickChart URL API",
    summary = "Render a short URL's chart",
    params(
        ("id" = String, Path, description = "The short URL's id"),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of an earlier answer"),
    ),
    responses(
        (status = 200, description = "The image", content(
            ("image/png"), ("image/webp"), ("image/jpeg"),
            ("image/svg+xml"), ("application/pdf"),
        )),
        (status = 304, description = "Not modified: the client holds this chart"),
        (status = 404, description = "Unknown or expired", body = schemas::Error),
        (status = 422, description = "`RENDER_TIMEOUT`: the chart is too expensive as sent", body = schemas::Error),
    ))]
async fn render_short(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, UrlApiError> {
    if !store::is_id(&id) {
        return Err(ApiError::not_found().into());
    }
    let url = state
        .short_urls
        .get(&id, chrono::Utc::now())
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(ApiError::not_found)?;
    let chart: Value = serde_json::from_str(&url.chart_json).map_err(|e| ApiError::internal(&e))?;
    render(&state, &headers, chart, false, &Access { key_id: None }).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]
    use super::*;

    #[test]
    fn error_headers_are_ascii_and_short() {
        let h = error_header("bad \u{2014} caf\u{e9}\r\n");
        assert_eq!(h.to_str().unwrap(), "bad ? caf???");
        let long = "x".repeat(1000);
        assert_eq!(error_header(&long).len(), MAX_ERROR_HEADER_CHARS);
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, "\"a\", W/\"b\"".parse().unwrap());
        assert!(not_modified(&h, "\"b\""));
        assert!(!not_modified(&h, "\"c\""));
    }
}
