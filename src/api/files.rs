//! `GET /charts/:filename`: stored files with caching headers (`ETag`, `If-None-Match` → 304),
//! from whichever storage `STORAGE_URL` names. Only plain `<name>.<ext>` (an image format's
//! extension or `json`) names are served ([`crate::store::FileStore::safe_name`]); anything
//! else, traversal attempts included, is a 404. A chart's files (`<uuid>.<ext>`) are served only
//! once its row exists, and a private chart's only to its owner and admins (404 for others, and
//! `Cache-Control: private, no-cache` so shared caches never keep them).

use super::AppState;
use super::auth::MaybeCaller;
use super::error::ApiError;
use super::owners;
use super::schemas;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Browsers and CDNs may keep a chart for a day, as the reference.
const CACHE_CONTROL: &str = "public, max-age=86400";
/// Private charts: only the browser may keep them, and it revalidates (ETag) every time.
const CACHE_CONTROL_PRIVATE: &str = "private, no-cache";

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("json") | None => "application/json",
        Some(ext) => {
            crate::spec::Format::from_extension(ext).map_or("application/json", |f| f.mime())
        }
    }
}

/// Serves one stored file, from the chart directory or the S3 bucket alike.
#[utoipa::path(get, path = "/charts/{filename}", tag = "charts",
    summary = "A stored chart's image or metadata file",
    params(
        ("filename" = String, Path, description = "`<id>.<format>` or `<id>.json` (and `example_<type>.png` previews)"),
        ("If-None-Match" = Option<String>, Header, description = "An `ETag` of an earlier answer"),
    ),
    security((), ("caller" = [])),
    responses(
        (status = 200, description = "The file", content(
            ("image/png"), ("image/webp"), ("image/jpeg"),
            ("image/svg+xml"), ("application/pdf"),
            (schemas::ChartMetadata = "application/json"),
        )),
        (status = 304, description = "Not modified"),
        (status = 404, description = "No such file, or a private chart of someone else", body = schemas::Error),
    ))]
pub(super) async fn serve_file(
    State(state): State<AppState>,
    MaybeCaller(viewer): MaybeCaller,
    headers: HeaderMap,
    Path(filename): Path<String>,
) -> Result<Response, ApiError> {
    if crate::store::FileStore::safe_name(&filename).is_none() {
        return Err(ApiError::not_found());
    }
    let mut cache_control = CACHE_CONTROL;
    if let Some(id) = chart_file_id(&filename) {
        let record = state
            .store
            .get(id)
            .await?
            .filter(|r| owners::can_view(viewer.as_ref(), r))
            .ok_or_else(ApiError::not_found)?;
        if record.visibility == crate::spec::Visibility::Private {
            cache_control = CACHE_CONTROL_PRIVATE;
        }
    }
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok());
    let fetched = state
        .store
        .objects()
        .fetch(&filename, if_none_match)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let mut response = match fetched.bytes {
        None => StatusCode::NOT_MODIFIED.into_response(),
        Some(bytes) => {
            let mut r = bytes.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&filename)),
            );
            r
        }
    };
    let h = response.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    if let Ok(v) = HeaderValue::from_str(&fetched.etag) {
        h.insert(header::ETAG, v);
    }
    Ok(response)
}

/// The chart id of `<uuid>.<ext>`; `None` for other files (previews such as `example_bar.png`).
fn chart_file_id(name: &str) -> Option<uuid::Uuid> {
    let (stem, _) = name.split_once('.')?;
    uuid::Uuid::try_parse(stem).ok()
}
