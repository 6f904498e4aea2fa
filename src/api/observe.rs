//! Request plumbing around every route: a request id (taken from a sane `X-Request-Id`, else
//! generated) on the tracing span of the request and on its answer, a deadline for the whole
//! request, and one log line per request that carries the cause of a 500 exactly once.

use super::error::{ApiError, InternalCause};
use axum::extract::Request;
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

/// The deadline layer; its bare 503 becomes a JSON answer in [`timeout_answer`].
pub(super) fn timeout_layer() -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT)
}

/// Turns the timeout layer's empty 503 (ours always carry a JSON body) into the error shape.
pub(super) async fn timeout_answer(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() == StatusCode::SERVICE_UNAVAILABLE
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "TIMEOUT",
            format!(
                "The request took longer than {} s",
                REQUEST_TIMEOUT.as_secs()
            ),
        )
        .into_response();
    }
    response
}

/// One log line per request: method, path, status, milliseconds, chart id; a 500's cause
/// (left by [`ApiError`] in the response extensions) is logged here, once, at error level.
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
    if let Some(InternalCause(cause)) = response.extensions_mut().remove::<InternalCause>() {
        tracing::error!(%method, %path, status, ms, chart_id, error = %cause, "request failed");
    } else {
        tracing::info!(%method, %path, status, ms, chart_id, "request");
    }
    response
}
