//! Request plumbing around every route: a request id (taken from a sane `X-Request-Id`, else
//! generated) on the tracing span of the request and on its answer, a deadline for the whole
//! request, every error answer in the JSON error shape (axum's own 405s and extractor
//! rejections included), and one log line per request that carries the cause of a 500 exactly
//! once and counts the request in `/metrics` under its route template.

use super::error::{ApiError, InternalCause};
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use std::time::{Duration, Instant};
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{MakeSpan, TraceLayer};
use uuid::Uuid;

/// The request id header, read and answered.
pub(super) const REQUEST_ID: &str = "x-request-id";
/// Longest client-chosen request id kept; a longer or odd one is replaced by our own.
const MAX_REQUEST_ID_CHARS: usize = 64;
/// The most one request may take, body upload and render included: a 10-million-point chart
/// takes seconds; past two minutes the client has long gone and the slot is better freed.
pub(super) const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// The id of the request being served (a request extension).
#[derive(Clone, Debug)]
pub(super) struct RequestId(pub(super) HeaderValue);

/// Gives the request its id and sends it back as `X-Request-Id`.
pub(super) async fn request_id(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .filter(|v| {
            let b = v.as_bytes();
            !b.is_empty()
                && b.len() <= MAX_REQUEST_ID_CHARS
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || b"-_.:".contains(c))
        })
        .cloned()
        .unwrap_or_else(|| {
            HeaderValue::from_str(&Uuid::new_v4().to_string())
                .unwrap_or_else(|_| HeaderValue::from_static("-"))
        });
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(req).await;
    response.headers_mut().insert(REQUEST_ID, id);
    response
}

/// The span of a request: method, path and request id, so every log line inside carries them.
#[derive(Clone, Copy, Debug)]
pub(super) struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, req: &axum::http::Request<B>) -> tracing::Span {
        let id = req
            .extensions()
            .get::<RequestId>()
            .and_then(|RequestId(v)| v.to_str().ok())
            .unwrap_or("-");
        tracing::info_span!(
            "request",
            method = %req.method(),
            path = %req.uri().path(),
            request_id = %id,
        )
    }
}

/// The trace layer: spans only. Its own response and failure events are off, because
/// [`log_request`] writes the one line per request, and the cause of a 500 with it.
pub(super) fn trace_layer()
-> TraceLayer<SharedClassifier<ServerErrorsAsFailures>, RequestSpan, (), (), (), (), ()> {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_request(())
        .on_response(())
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

/// The deadline layer; its bare 503 becomes a JSON answer in [`json_errors`].
pub(super) fn timeout_layer() -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT)
}

/// The most of a non-JSON error body kept as the message (axum's rejections are one line).
const MAX_ERROR_TEXT: usize = 4096;

/// The code of an error answer that axum, not a handler, wrote.
fn code_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "VALIDATION_ERROR",
        StatusCode::UNAUTHORIZED => "UNAUTHORIZED",
        StatusCode::FORBIDDEN => "FORBIDDEN",
        StatusCode::NOT_FOUND => "NOT_FOUND",
        StatusCode::METHOD_NOT_ALLOWED => "METHOD_NOT_ALLOWED",
        StatusCode::REQUEST_TIMEOUT => "REQUEST_TIMEOUT",
        StatusCode::PAYLOAD_TOO_LARGE => "PAYLOAD_TOO_LARGE",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "UNSUPPORTED_MEDIA_TYPE",
        StatusCode::UNPROCESSABLE_ENTITY => "VALIDATION_ERROR",
        StatusCode::TOO_MANY_REQUESTS => "RATE_LIMIT",
        StatusCode::SERVICE_UNAVAILABLE => "TIMEOUT",
        s if s.is_server_error() => "INTERNAL_ERROR",
        _ => "ERROR",
    }
}

/// Whether a response already carries a JSON body.
fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            let mime = ct.split(';').next().unwrap_or("").trim();
            mime == "application/json" || mime.ends_with("+json")
        })
}

/// Rewrites every error answer that is not JSON into the error shape: axum's 405 (empty; its
/// `Allow` is added afterwards, outside every layer), its extractor rejections (`text/plain`), the deadline's bare 503. Handlers' own
/// errors are JSON already and pass untouched; so does every success.
pub(super) async fn json_errors(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_ERROR_TEXT)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .filter(|t| !t.is_empty());
    let message = match (status, text) {
        (StatusCode::SERVICE_UNAVAILABLE, None) => format!(
            "The request took longer than {} s",
            REQUEST_TIMEOUT.as_secs()
        ),
        // axum adds `Allow` after every layer has run, so it is not here to quote.
        (StatusCode::METHOD_NOT_ALLOWED, None) => {
            format!("{method} is not allowed on this path; the Allow header lists the methods")
        }
        (_, Some(text)) => text,
        (_, None) => status
            .canonical_reason()
            .unwrap_or("Request failed")
            .to_owned(),
    };
    let mut answer = ApiError::new(status, code_of(status), message).into_response();
    *answer.extensions_mut() = parts.extensions;
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            answer.headers_mut().append(name, value.clone());
        }
    }
    answer
}

/// The route template a request matched (`/api/charts/{id}`), left in the response for
/// [`log_request`] (which runs outside the router, where the match is not yet known).
#[derive(Clone, Debug)]
pub(super) struct MatchedRoute(pub(super) MatchedPath);

/// Route layer: records the matched route on the answer.
pub(super) async fn mark_route(req: Request, next: Next) -> Response {
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(req).await;
    if let Some(m) = matched {
        response.extensions_mut().insert(MatchedRoute(m));
    }
    response
}

/// One log line per request: method, path, status, milliseconds, chart id; a 500's cause
/// (left by [`ApiError`] in the response extensions) is logged here, once, at error level. The
/// request is counted and timed in `/metrics` by method, route template (`unmatched` when no
/// route matched: raw paths would grow the series without bound) and status.
pub(super) async fn log_request(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    let chart_id = response
        .headers()
        .get("x-chart-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let ms = format!("{:.2}", start.elapsed().as_secs_f64() * 1e3);
    let status = response.status().as_u16();
    let route = response
        .extensions()
        .get::<MatchedRoute>()
        .map_or("unmatched", |MatchedRoute(m)| m.as_str())
        .to_owned();
    crate::metrics::http_request(method.as_str(), &route, status, start.elapsed());
    if let Some(InternalCause(cause)) = response.extensions_mut().remove::<InternalCause>() {
        tracing::error!(%method, %path, status, ms, chart_id, error = %cause, "request failed");
    } else {
        tracing::info!(%method, %path, status, ms, chart_id, "request");
    }
    response
}
