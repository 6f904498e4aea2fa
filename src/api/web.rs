//! The web app at `/app`: the files of `web/`, embedded in the binary (no network, no CDN, no
//! build step) and served with validators. The page links its scripts and styles by content
//! hash (`/app/app.js?v=<hash>`), so those answers are immutable; everything else, the page
//! included, is revalidated by `ETag` on every load and costs a 304 when unchanged.

use super::AppState;
use super::error::ApiError;
use super::schemas;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::LazyLock;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A year: the longest lifetime caches honour; a hashed URL never changes content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unhashed URLs (the page itself): keep, but ask the server (304) before each use.
const REVALIDATE: &str = "no-cache";
/// Hex digits of SHA-256 kept in hashes: 64 bits, far past any collision among a few files.
const HASH_HEX: usize = 16;
/// The page talks only to this origin, and draws previews from `data:` URLs.
const CSP: &str = "default-src 'self'; img-src 'self' data:; connect-src 'self'; \
                   frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/// The page; `{{name}}` placeholders become the hash of the named asset.
const INDEX: &str = include_str!("../../web/index.html");
/// The other files: name, media type, bytes.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../web/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../web/app.js"),
    ),
    (
        "builder.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../web/builder.js"),
    ),
    (
        "icon.svg",
        "image/svg+xml",
        include_bytes!("../../web/icon.svg"),
    ),
];

/// One file ready to serve.
struct Asset {
    mime: &'static str,
    body: Vec<u8>,
    /// Content hash: the `v` of its URL and, quoted, its `ETag`.
    hash: String,
}

impl Asset {
    fn new(mime: &'static str, body: Vec<u8>) -> Asset {
        let digest = Sha256::digest(&body);
        let hash: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        Asset {
            mime,
            body,
            hash: hash[..HASH_HEX].to_owned(),
        }
    }
}

/// The files and the page, hashed once (the content is fixed at compile time).
struct Assets {
    index: Asset,
    files: HashMap<&'static str, Asset>,
}

static ASSETS: LazyLock<Assets> = LazyLock::new(|| {
    let files: HashMap<&'static str, Asset> = FILES
        .iter()
        .map(|(name, mime, body)| (*name, Asset::new(mime, body.to_vec())))
        .collect();
    let mut page = INDEX.to_owned();
    for (name, asset) in &files {
        page = page.replace(&format!("{{{{{name}}}}}"), &asset.hash);
    }
    Assets {
        index: Asset::new("text/html; charset=utf-8", page.into_bytes()),
        files,
    }
});

/// `/` (a redirect), `/app`, `/app/` and `/app/<file>`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(root))
        .routes(routes!(index))
        .routes(routes!(index_slash))
        .routes(routes!(file))
}

/// `GET /`: the front door is the web app.
#[utoipa::path(get, path = "/", tag = "web app",
    summary = "Redirect to the web app",
    responses((status = 307, description = "To `/app`", headers(("Location" = String)))))]
async fn root() -> Redirect {
    Redirect::temporary("/app")
}

/// `GET /app`.
#[utoipa::path(get, path = "/app", tag = "web app",
    summary = "The web app",
    responses(
        (status = 200, description = "The page", content_type = "text/html; charset=utf-8", body = String),
        (status = 304, description = "Not modified"),
    ))]
async fn index(headers: HeaderMap) -> Response {
    page(&headers)
}

/// `GET /app/`.
#[utoipa::path(get, path = "/app/", tag = "web app",
    summary = "The web app",
    responses(
        (status = 200, description = "The page", content_type = "text/html; charset=utf-8", body = String),
        (status = 304, description = "Not modified"),
    ))]
async fn index_slash(headers: HeaderMap) -> Response {
    page(&headers)
}

fn page(headers: &HeaderMap) -> Response {
    let mut response = answer(&ASSETS.index, headers, REVALIDATE);
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// `GET /app/<file>`: a script, style sheet or icon of the page.
#[utoipa::path(get, path = "/app/{file}", tag = "web app",
    summary = "An asset of the web app",
    params(
        ("file" = String, Path, description = "`app.js`, `builder.js`, `app.css` or `icon.svg`"),
        ("v" = Option<String>, Query, description = "The content hash the page links (then the answer is immutable)"),
    ),
    responses(
        (status = 200, description = "The asset", content(
            ("text/javascript; charset=utf-8"), ("text/css; charset=utf-8"),
            ("image/svg+xml"),
        )),
        (status = 304, description = "Not modified"),
        (status = 404, description = "No such asset", body = schemas::Error),
    ))]
async fn file(
    Path(name): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let asset = ASSETS
        .files
        .get(name.as_str())
        .ok_or_else(ApiError::not_found)?;
    // Only the current hash is immutable: an old `v` may be cached under this URL elsewhere.
    let cache = if q.get("v") == Some(&asset.hash) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    Ok(answer(asset, &headers, cache))
}

/// The asset, or 304 when the client's `If-None-Match` already names it.
fn answer(asset: &Asset, headers: &HeaderMap, cache: &'static str) -> Response {
    let etag = format!("\"{}\"", asset.hash);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == etag || t.trim() == "*" || t.trim() == format!("W/{etag}"))
        });
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, asset.body.clone()).into_response()
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if !fresh {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_every_asset_by_its_hash() {
        let page = String::from_utf8_lossy(&ASSETS.index.body).into_owned();
        assert!(!page.contains("{{"), "a placeholder was left in the page");
        for name in ["app.css", "app.js", "builder.js"] {
            let hash = &ASSETS.files[name].hash;
            assert!(page.contains(&format!("/app/{name}?v={hash}")), "{name}");
        }
    }

    #[test]
    fn a_matching_etag_answers_304_without_a_body_type() {
        let asset = &ASSETS.files["app.js"];
        let mut headers = HeaderMap::new();
        let tag = HeaderValue::from_str(&format!("W/\"x\", \"{}\"", asset.hash)).unwrap();
        headers.insert(header::IF_NONE_MATCH, tag);
        let r = answer(asset, &headers, REVALIDATE);
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        assert!(r.headers().get(header::CONTENT_TYPE).is_none());
        let r = answer(asset, &HeaderMap::new(), IMMUTABLE);
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CACHE_CONTROL], IMMUTABLE);
    }
}
