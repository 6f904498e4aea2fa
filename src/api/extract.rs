//! The HTTP plumbing every handler shares, as extractors: [`JsonBody`] (content type, the
//! per-route size limit, off-runtime parsing of big bodies, the JSON error shape with line and
//! column) and [`Page`] (`limit`, `offset`, `type`, with the page sizes of each listing here).

use super::AppState;
use super::error::ApiError;
use crate::spec::{self, ChartSpec, ChartType};
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use std::collections::HashMap;
use std::marker::PhantomData;

/// Largest body of `/api/auth/*`: credentials and tokens are a few hundred bytes; a 60 MB login
/// body must be refused before it is read, not parsed.
pub(super) const AUTH_MAX_BODY_BYTES: usize = 64 * 1024;

/// Bodies from this size up are parsed on a blocking thread: ten million points take ~100 ms
/// to read, which must not stall the async runtime; a small spec parses faster than a thread
/// hop would take.
const PARSE_OFF_RUNTIME_BYTES: usize = crate::spec::FAST_PATH_MIN_BYTES;

/// A JSON request body parsed into `T`: a missing or non-JSON `Content-Type` on a non-empty
/// body is 415, a body over the route's limit is 413 (from `Content-Length` before reading),
/// bad JSON is 400 with line and column.
#[derive(Debug)]
pub(super) struct JsonBody<T>(pub(super) T);

/// What a [`JsonBody`] can hold: how its bytes become the value.
pub(super) trait FromJson: Sized + Send + 'static {
    /// Parses the (possibly empty) body.
    fn from_json(bytes: &[u8]) -> Result<Self, ApiError>;
}

impl FromJson for ChartSpec {
    fn from_json(bytes: &[u8]) -> Result<Self, ApiError> {
        Ok(spec::parse_spec(bytes)?)
    }
}

impl FromJson for serde_json::Value {
    fn from_json(bytes: &[u8]) -> Result<Self, ApiError> {
        Ok(spec::parse_json(bytes)?)
    }
}

/// The body deserialized into a serde struct; an empty body counts as `{}` (every field
/// absent). A body of the wrong shape is a 400 naming the problem.
pub(super) fn from_json_struct<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, ApiError> {
    let value = if bytes.iter().all(u8::is_ascii_whitespace) {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        spec::parse_json(bytes)?
    };
    serde_json::from_value(value).map_err(|e| ApiError::validation(e.to_string()))
}

/// Implements [`FromJson`] for small serde request structs through [`from_json_struct`].
macro_rules! json_struct {
    ($($t:ty),* $(,)?) => {
        $(impl $crate::api::extract::FromJson for $t {
            fn from_json(bytes: &[u8]) -> Result<Self, $crate::api::ApiError> {
                $crate::api::extract::from_json_struct(bytes)
            }
        })*
    };
}
pub(super) use json_struct;

fn too_large(limit: usize, auth: bool) -> ApiError {
    let message = if auth {
        format!("The request body is larger than this route accepts ({limit} bytes)")
    } else {
        "The request body is larger than the server accepts (MAX_BODY_BYTES)".to_owned()
    };
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", message)
}

/// 415 unless `Content-Type` is JSON; a missing one is allowed only for an empty body (a bare
/// `POST /api/auth/logout`), which has nothing to type.
fn check_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let declared_len = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let Some(ct) = headers.get(header::CONTENT_TYPE) else {
        if declared_len == Some(0)
            || (declared_len.is_none() && !headers.contains_key(header::TRANSFER_ENCODING))
        {
            return Ok(());
        }
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Content-Type must be application/json, got none",
        ));
    };
    let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
    let mime = ct.split(';').next().unwrap_or("").trim();
    if mime == "application/json" || mime.ends_with("+json") {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            format!("Content-Type must be application/json, got {mime:?}"),
        ))
    }
}

impl<T: FromJson> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let (parts, body) = req.into_parts();
        check_content_type(&parts.headers)?;
        // Nested routers see their own path; the limit follows the path the client sent.
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.path().to_owned(), |u| u.path().to_owned());
        let auth = path.starts_with("/api/auth/");
        let limit = if auth {
            AUTH_MAX_BODY_BYTES.min(state.config.max_body_bytes)
        } else {
            state.config.max_body_bytes
        };
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(too_large(limit, auth));
        }
        let bytes = read_limited(body, limit, auth).await?;
        if bytes.len() < PARSE_OFF_RUNTIME_BYTES {
            return T::from_json(&bytes).map(JsonBody);
        }
        tokio::task::spawn_blocking(move || T::from_json(&bytes))
            .await
            .map_err(|e| ApiError::internal(&e))?
            .map(JsonBody)
    }
}

/// The body, at most `limit` bytes (413 as soon as it grows past them, so an oversize body
/// without `Content-Length` is not read to its end).
async fn read_limited(mut body: Body, limit: usize, auth: bool) -> Result<Bytes, ApiError> {
    use axum::body::HttpBody as _;
    let mut buf = Vec::new();
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let frame = frame
            .map_err(|e| ApiError::validation(format!("Could not read the request body: {e}")))?;
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > limit {
                return Err(too_large(limit, auth));
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(buf))
}

/// The page sizes of one listing.
pub(super) trait PageSizes: Send + Sync + 'static {
    /// `limit` when absent.
    const DEFAULT: u32;
    /// Largest `limit`; a larger one is clamped, not refused.
    const MAX: u32;
    /// Whether the listing filters on `type`.
    const TYPE_FILTER: bool;
}

/// Charts: `GET /api/charts/gallery` and `GET /api/me/charts`.
#[derive(Debug)]
pub(super) struct ChartPage;
impl PageSizes for ChartPage {
    const DEFAULT: u32 = 20;
    const MAX: u32 = crate::store::MAX_GALLERY_PAGE;
    const TYPE_FILTER: bool = true;
}

/// Users: `GET /api/admin/users`.
#[derive(Debug)]
pub(super) struct UserPage;
impl PageSizes for UserPage {
    const DEFAULT: u32 = 50;
    const MAX: u32 = 200;
    const TYPE_FILTER: bool = false;
}

/// `?limit=&offset=&type=` of a listing: limit clamped to `1..=S::MAX`, the type canonical.
#[derive(Debug)]
pub(super) struct Page<S> {
    /// Rows asked for.
    pub(super) limit: u32,
    /// Rows skipped.
    pub(super) offset: u32,
    /// The chart type to filter on.
    pub(super) chart_type: Option<ChartType>,
    /// The other query parameters (`search`).
    pub(super) rest: HashMap<String, String>,
    sizes: PhantomData<S>,
}

fn query_u32(
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

impl<S: PageSizes> FromRequestParts<AppState> for Page<S> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Query(q) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::validation(e.body_text()))?;
        let limit = query_u32(&q, "limit", S::DEFAULT, S::MAX)?.max(1);
        let offset = query_u32(&q, "offset", 0, u32::MAX)?;
        let chart_type = if S::TYPE_FILTER {
            match q.get("type").map(|t| t.trim()).filter(|t| !t.is_empty()) {
                None => None,
                Some(t) => Some(
                    ChartType::parse(t)
                        .ok_or_else(|| ApiError::validation(format!("unknown chart type {t:?}")))?,
                ),
            }
        } else {
            None
        };
        Ok(Page {
            limit,
            offset,
            chart_type,
            rest: q,
            sizes: PhantomData,
        })
    }
}
