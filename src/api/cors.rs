//! Cross-origin access for browser pages on other origins (`CORS_ORIGINS`), as an allow-list:
//! a listed origin gets the CORS headers and its preflights answered; any other origin gets no
//! CORS header at all, so its browser refuses to hand it the answer.
//!
//! Credentials are not allowed across origins: the `cc_token` cookie is `SameSite=Lax` and is
//! not sent by cross-site `fetch` anyway, so pages elsewhere call with an API key or a bearer
//! token, which a preflight lets through.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long a browser may reuse a preflight answer: ten minutes, short enough that a changed
/// allow-list is seen soon after a restart.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// Headers our answers carry that a cross-origin page may read.
const EXPOSED: &[&str] = &[
    "x-chart-id",
    "x-chart-url",
    "x-render-ms",
    "x-ai-narrative",
    "x-request-id",
    "retry-after",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
];

/// The CORS layer for `origins`; `None` (no layer, no headers) when the list is empty.
pub(super) fn layer(origins: &[String]) -> Option<CorsLayer> {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    if allowed.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(allowed))
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PATCH,
                Method::DELETE,
                Method::OPTIONS,
            ])
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                HeaderName::from_static("x-api-key"),
            ])
            .expose_headers(
                EXPOSED
                    .iter()
                    .map(|h| HeaderName::from_static(h))
                    .collect::<Vec<_>>(),
            )
            .max_age(PREFLIGHT_MAX_AGE),
    )
}

/// Removes every CORS header from the answer to an origin that is not on the list:
/// tower-http answers any preflight with the allowed methods and headers, leaving out only
/// `Access-Control-Allow-Origin`, and an unlisted origin should learn nothing.
pub(super) async fn strip_unlisted(
    State(origins): State<Arc<Vec<String>>>,
    req: Request,
    next: Next,
) -> Response {
    let listed = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_some_and(|o| origins.iter().any(|a| a == o));
    let mut response = next.run(req).await;
    if !listed {
        let names: Vec<HeaderName> = response
            .headers()
            .keys()
            .filter(|k| k.as_str().starts_with("access-control-"))
            .cloned()
            .collect();
        for name in names {
            response.headers_mut().remove(name);
        }
    }
    response
}
