//! `GET /metrics`: Prometheus text format (see `crate::metrics` for the names).
//!
//! Metrics reveal traffic and timing, not data, but are still not for the public: with
//! `METRICS_TOKEN` set, only `Authorization: Bearer <token>` (compared in constant time) is
//! answered; without it, only clients connected directly over loopback are, and a request that
//! came through a proxy (it carries `X-Forwarded-For`) is not. Refusals are 404s, so the route
//! does not advertise itself.

use super::AppState;
use super::error::ApiError;
use super::schemas;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use subtle::ConstantTimeEq as _;

/// The Prometheus text exposition format.
const CONTENT_TYPE_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// `GET /metrics`.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    summary = "Prometheus metrics",
    description = "With `METRICS_TOKEN` set, only `Authorization: Bearer <METRICS_TOKEN>` is answered; without it, only direct loopback clients. Everyone else gets a 404.",
    security((), ("metrics_token" = [])),
    responses(
        (status = 200, description = "The Prometheus text format", content_type = "text/plain; version=0.0.4; charset=utf-8", body = String),
        (status = 404, description = "Not for this caller", body = schemas::Error),
    ))]
pub(super) async fn metrics(State(state): State<AppState>, req: Request) -> Response {
    if !allowed(&state, &req) {
        return ApiError::not_found().into_response();
    }
    let body = tokio::task::spawn_blocking(crate::metrics::render)
        .await
        .unwrap_or_default();
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_TEXT));
    response
}

fn allowed(state: &AppState, req: &Request) -> bool {
    match &state.config.metrics_token {
        Some(token) => bearer(req.headers())
            .is_some_and(|given| bool::from(given.as_bytes().ct_eq(token.expose().as_bytes()))),
        None => {
            let loopback = req
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .is_some_and(|ConnectInfo(peer)| peer.ip().is_loopback());
            loopback && !req.headers().contains_key("x-forwarded-for")
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}
