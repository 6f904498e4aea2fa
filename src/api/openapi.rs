//! The OpenAPI 3.1 document and the page that shows it.
//!
//! The paths come from the handlers' `#[utoipa::path]` annotations, collected by the same
//! `routes!` calls that build the router (`super::router`), so a route cannot be served without
//! being described. [`finish`] adds what is the same for many operations, once: the auth
//! schemes (the annotations name two groups, `caller` and `account`, expanded here), and the
//! error answers every operation of a kind can give (401/403 behind auth, 400/408/413/415 for a
//! body, 429 under `/api/`, 500 and 503 everywhere), all in the one error shape.
//!
//! `GET /api/openapi.json` serves the document, built once when the router is; `GET /docs`
//! shows it with RapiDoc (`assets/docs/rapidoc-min.js`, MIT, embedded: nothing is fetched from
//! anywhere else, and the page's CSP says so).

use super::AppState;
use super::error::ApiError;
use super::schemas;
use axum::Extension;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The viewer's version, part of its URL so that its answer never changes.
const VIEWER_VERSION: &str = "9.3.8";
/// RapiDoc's standalone bundle (npm `rapidoc`, `dist/rapidoc-min.js`).
const VIEWER_JS: &[u8] = include_bytes!("../../assets/docs/rapidoc-min.js");
/// The page: RapiDoc pointed at the document.
const PAGE: &str = include_str!("../../assets/docs/index.html");
/// A year: a versioned URL never changes content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The page talks only to this origin; RapiDoc styles its components inline and asks for web
/// fonts, which `font-src` refuses (it falls back to the system fonts the page names).
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
                   frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/// The document as served: its JSON text and `ETag`, shared by every request.
#[derive(Clone, Debug)]
pub(super) struct Served(Arc<(String, String)>);

impl Served {
    /// Serialises `doc` once.
    pub(super) fn new(doc: &Value) -> Served {
        let text = to_json(doc);
        let etag = {
            use sha2::Digest as _;
            let digest = sha2::Sha256::digest(text.as_bytes());
            let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            format!("\"{hex}\"")
        };
        Served(Arc::new((text, etag)))
    }
}

/// The document as text: pretty-printed, with a final newline (the snapshot's form).
pub(super) fn to_json(doc: &Value) -> String {
    let mut text = serde_json::to_string_pretty(doc).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// `/docs` and its viewer script.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(docs_page))
        .routes(routes!(viewer))
}

/// `GET /api/openapi.json`.
#[utoipa::path(get, path = "/openapi.json", tag = "operations",
    summary = "This document (OpenAPI 3.1)",
    params(("If-None-Match" = Option<String>, Header, description = "The `ETag` of an earlier answer")),
    responses(
        (status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object),
        (status = 304, description = "Not modified"),
    ))]
pub(super) async fn document(Extension(served): Extension<Served>, headers: HeaderMap) -> Response {
    let (text, etag) = &*served.0;
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = text.clone().into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        r
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    response
}

/// `GET /docs`.
#[utoipa::path(get, path = "/docs", tag = "operations",
    summary = "This document, rendered (RapiDoc)",
    responses((status = 200, description = "The page", content_type = "text/html; charset=utf-8", body = String)))]
pub(super) async fn docs_page() -> Response {
    let page = PAGE.replace("{{version}}", VIEWER_VERSION);
    let mut response = (StatusCode::OK, page).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// `GET /docs/rapidoc-<version>.min.js`.
#[utoipa::path(get, path = "/docs/{script}", tag = "operations",
    summary = "The viewer's script",
    params(("script" = String, Path, description = "`rapidoc-9.3.8.min.js`")),
    responses(
        (status = 200, description = "RapiDoc", content_type = "text/javascript; charset=utf-8", body = String),
        (status = 404, description = "No such script", body = schemas::Error),
    ))]
pub(super) async fn viewer(
    axum::extract::Path(script): axum::extract::Path<String>,
) -> Result<Response, ApiError> {
    if script != format!("rapidoc-{VIEWER_VERSION}.min.js") {
        return Err(ApiError::not_found());
    }
    let mut response = (StatusCode::OK, VIEWER_JS).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

/// The auth schemes of `src/api/auth.rs`, in the order the chain tries them.
fn security_schemes() -> Value {
    json!({
        "session_cookie": {
            "type": "apiKey", "in": "cookie", "name": super::auth::SESSION_COOKIE,
            "description": "The CloviTek SSO cookie: an HS256 JWT signed with `JWT_SECRET`."
        },
        "bearer": {
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "An access token from `/api/auth/login` (or an API key `cc_live_…`)."
        },
        "token_cookie": {
            "type": "apiKey", "in": "cookie", "name": super::auth::TOKEN_COOKIE,
            "description": "The access token as the web app keeps it (set by login, register and refresh)."
        },
        "api_key": {
            "type": "apiKey", "in": "header", "name": "X-API-Key",
            "description": "An API key `cc_live_…` from `POST /api/keys`; its scopes limit what it may do."
        },
        "internal_secret": {
            "type": "apiKey", "in": "header", "name": "X-Internal-Secret",
            "description": "With `INTERNAL_SECRET` set: that secret, sent with `X-User-Id`."
        },
        "internal_user": {
            "type": "apiKey", "in": "header", "name": "X-User-Id",
            "description": "The user a trusted internal caller acts for (needs `X-Internal-Secret`)."
        },
        "metrics_token": {
            "type": "http", "scheme": "bearer",
            "description": "`METRICS_TOKEN`, for `GET /metrics` only."
        }
    })
}

/// The security requirements an annotation's group name stands for.
fn expand_group(name: &str) -> Option<Vec<Value>> {
    let one = |s: &str| json!({ s: [] });
    match name {
        // Every credential of the chain (`Caller`, `Authed`, `AdminUser`, `MaybeCaller`).
        "caller" => Some(vec![
            one("session_cookie"),
            one("bearer"),
            one("token_cookie"),
            one("api_key"),
            json!({ "internal_secret": [], "internal_user": [] }),
        ]),
        // A local account's own session: API keys and the SSO cookie are refused (403).
        "account" => Some(vec![one("bearer"), one("token_cookie")]),
        _ => None,
    }
}

/// Shared answers, referenced by every operation that can give them.
fn shared_responses() -> Value {
    let error = |description: &str| {
        json!({
            "description": description,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
        })
    };
    let retry = json!({
        "Retry-After": { "description": "Seconds to wait before retrying", "schema": { "type": "integer" } }
    });
    let mut too_many = error("`RATE_LIMIT`: over the per-minute limit of the caller");
    too_many["headers"] = retry.clone();
    let mut unavailable = error(
        "`OVERLOADED` (render queue full), `RENDER_TIMEOUT` (under load), `STORE_UNAVAILABLE`, \
         `RATE_LIMIT_UNAVAILABLE`, `SHUTTING_DOWN`, `SERVER_BUSY` or `TIMEOUT`; retry later",
    );
    unavailable["headers"] = retry;
    json!({
        "BadRequest": {
            "description": "The request is malformed: `VALIDATION_ERROR`, a spec rule's code (every problem in `details.errors`) or `INVALID_JSON`",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ValidationError" } } }
        },
        "Unauthorized": {
            "description": "`UNAUTHORIZED`: no valid credential; `login_url` says where to sign in",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Unauthorized" } } }
        },
        "Forbidden": error("`FORBIDDEN`: the credential may not do this (role or API key scope)"),
        "NotFound": error("`NOT_FOUND`"),
        "RequestTimeout": error("`REQUEST_TIMEOUT`: the body arrived too slowly"),
        "PayloadTooLarge": error("`PAYLOAD_TOO_LARGE`: the body is over the route's limit"),
        "UnsupportedMediaType": error("`UNSUPPORTED_MEDIA_TYPE`: the body is not `application/json`"),
        "TooManyRequests": too_many,
        "InternalError": error("`INTERNAL_ERROR` or `RENDER_FAILED`"),
        "Unavailable": unavailable,
    })
}

/// Adds `status` → the shared answer `name` unless the operation already says what it answers.
fn add_response(responses: &mut Map<String, Value>, status: &str, name: &str) {
    responses
        .entry(status)
        .or_insert_with(|| json!({ "$ref": format!("#/components/responses/{name}") }));
}

/// What every operation of a kind answers besides its own: see the module documentation.
fn complete_operation(path: &str, op: &mut Value) {
    let mut required = false;
    if let Some(Value::Array(reqs)) = op.get("security").cloned() {
        let mut expanded = Vec::new();
        for req in reqs {
            let names: Vec<String> = req
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            match names.as_slice() {
                [] => expanded.push(req),
                [one] => match expand_group(one) {
                    Some(group) => {
                        required = true;
                        expanded.extend(group);
                    }
                    None => expanded.push(req),
                },
                _ => expanded.push(req),
            }
        }
        op["security"] = Value::Array(expanded);
    }
    let has_body = op.get("requestBody").is_some();
    let params = op
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let in_path = params.iter().any(|p| p["in"] == "path");
    let in_query = params.iter().any(|p| p["in"] == "query");
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    if has_body || in_query || in_path {
        add_response(responses, "400", "BadRequest");
    }
    // Optional auth too: a credential sent but refused (an unknown key on the URL API, a key
    // without the scope) is a 401 or 403 there.
    if required {
        add_response(responses, "401", "Unauthorized");
        add_response(responses, "403", "Forbidden");
    }
    if in_path {
        add_response(responses, "404", "NotFound");
    }
    if has_body {
        add_response(responses, "408", "RequestTimeout");
        add_response(responses, "413", "PayloadTooLarge");
        add_response(responses, "415", "UnsupportedMediaType");
    }
    let url_api = path == "/chart" || path.starts_with("/chart/");
    if path.starts_with("/api/") || url_api {
        add_response(responses, "429", "TooManyRequests");
    }
    add_response(responses, "500", "InternalError");
    add_response(responses, "503", "Unavailable");
}

/// Tag descriptions, in the order the viewer lists them.
fn tags() -> Value {
    json!([
        { "name": "charts", "description": "Render, store, list and delete charts." },
        { "name": "catalog", "description": "The chart types and their examples." },
        { "name": "accounts", "description": "Local accounts: register, sign in, tokens." },
        { "name": "keys", "description": "API keys of the signed-in account." },
        { "name": "admin", "description": "Users and statistics (admin role)." },
        { "name": "QuickChart URL API", "description": "QuickChart-compatible `/chart` routes." },
        { "name": "operations", "description": "Health, readiness, metrics and this document." },
        { "name": "web app", "description": "The bundled web app." }
    ])
}

/// Adds `T`'s schema and those it refers to, unless an annotation brought them already.
fn add_schema<T: utoipa::ToSchema>(doc: &mut utoipa::openapi::OpenApi) {
    let components = doc
        .components
        .get_or_insert_with(utoipa::openapi::Components::new);
    let mut all = vec![(T::name().into_owned(), T::schema())];
    T::schemas(&mut all);
    for (name, schema) in all {
        components.schemas.entry(name).or_insert(schema);
    }
}

/// The whole document: the annotations' paths and schemas plus everything shared.
pub(super) fn finish(mut doc: utoipa::openapi::OpenApi) -> Value {
    // The shared answers refer to these.
    add_schema::<schemas::Error>(&mut doc);
    add_schema::<schemas::ValidationError>(&mut doc);
    add_schema::<schemas::Unauthorized>(&mut doc);
    let mut v = serde_json::to_value(&doc).unwrap_or_else(|_| json!({}));
    v["openapi"] = json!("3.1.0");
    v["info"] = json!({
        "title": "CloviCharts API",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "JSON chart specs to PNG, WebP, SVG, PDF or JPEG. Every error answer is \
            `{error, code, details?}` (401s add `login_url`); see docs/api.md.",
        "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" }
    });
    v["tags"] = tags();
    if let Some(paths) = v.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            if let Some(item) = item.as_object_mut() {
                for op in item.values_mut() {
                    complete_operation(path, op);
                }
            }
        }
    }
    let components = &mut v["components"];
    components["securitySchemes"] = security_schemes();
    components["responses"] = shared_responses();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_expand_and_errors_are_added_once() {
        let mut op = json!({
            "security": [{}, { "caller": [] }],
            "parameters": [{ "name": "id", "in": "path" }],
            "responses": { "200": {}, "404": { "description": "own" } }
        });
        complete_operation("/api/charts/{id}", &mut op);
        let security = op["security"].as_array().map_or(0, Vec::len);
        assert_eq!(security, 6, "{op}");
        assert_eq!(op["responses"]["404"]["description"], "own");
        for status in ["400", "401", "403", "429", "500", "503"] {
            assert!(op["responses"].get(status).is_some(), "{status}: {op}");
        }
        assert!(op["responses"].get("413").is_none(), "no body, no 413");
    }
}
