//! Request bodies: size limit → 413, content type → 415, JSON syntax → 400 with line/column.

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};

/// The body bytes of a JSON request, or the right error.
pub(super) fn json_bytes(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Bytes, ApiError> {
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
        let mime = ct.split(';').next().unwrap_or("").trim();
        if !(mime == "application/json" || mime.ends_with("+json")) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                format!("Content-Type must be application/json, got {mime:?}"),
            ));
        }
    }
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "The request body is larger than the server accepts (MAX_BODY_BYTES)",
            )
        } else {
            ApiError::validation(format!("Could not read the request body: {rejection}"))
        }
    })
}

/// The body parsed as loose JSON.
pub(super) async fn json_value(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<serde_json::Value, ApiError> {
    let bytes = json_bytes(headers, body)?;
    off_runtime_if_large(bytes, |b| Ok(crate::spec::parse_json(b)?)).await
}

/// Bodies from this size up are parsed on a blocking thread: ten million points take ~100 ms
/// to read, which must not stall the async runtime; a small spec parses faster than a thread
/// hop would take.
const PARSE_OFF_RUNTIME_BYTES: usize = crate::spec::FAST_PATH_MIN_BYTES;

/// `parse(bytes)`, on a blocking thread when the body is large.
pub(super) async fn off_runtime_if_large<T: Send + 'static>(
    bytes: Bytes,
    parse: fn(&[u8]) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    if bytes.len() < PARSE_OFF_RUNTIME_BYTES {
        return parse(&bytes);
    }
    tokio::task::spawn_blocking(move || parse(&bytes))
        .await
        .map_err(|e| ApiError::internal(&e))?
}

/// The body deserialized into `T`; an empty body counts as `{}` (every field absent). A body of
/// the wrong shape is a 400 naming the problem.
pub(super) fn json_struct<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let bytes = json_bytes(headers, body)?;
    let value = if bytes.iter().all(u8::is_ascii_whitespace) {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        crate::spec::parse_json(&bytes)?
    };
    serde_json::from_value(value).map_err(|e| ApiError::validation(e.to_string()))
}
