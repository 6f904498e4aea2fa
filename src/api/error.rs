//! The one error type of the HTTP layer: each variant maps once to a status, a code and the
//! `{ "error", "code", "details"? }` body (401s keep the reference's `login_url`).

use crate::accounts::AccountError;
use crate::charts::ChartError;
use crate::render_pool::PoolError;
use crate::spec::SpecErrors;
use crate::store::StoreError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Seconds a client is told to wait after a 503 from a full render queue.
const OVERLOADED_RETRY_AFTER_S: u64 = 1;
/// Seconds a client is told to wait after a 503 from an unreachable database: about the pool's
/// acquire timeout, the time a reconnect attempt takes to succeed or fail.
const STORE_RETRY_AFTER_S: u64 = 2;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine-readable code, e.g. `MISSING_TYPE`.
    pub code: &'static str,
    /// Human message.
    pub message: String,
    /// Extra structured information (boxed: errors travel in every `Result` of the API, and
    /// most carry none).
    pub details: Option<Box<Value>>,
    /// `login_url` for 401s.
    pub login_url: Option<String>,
    /// `Retry-After` seconds for 429/503.
    pub retry_after: Option<u64>,
    /// What went wrong inside a 500, for the log only (never sent).
    pub cause: Option<String>,
}

/// The cause of a 500, put in the response extensions so the request log writes it once.
#[derive(Clone, Debug)]
pub struct InternalCause(pub String);

impl ApiError {
    /// A new error.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            details: None,
            login_url: None,
            retry_after: None,
            cause: None,
        }
    }

    /// 503 `RATE_LIMIT_UNAVAILABLE`: limits cannot be checked (Redis unreachable under
    /// `REDIS_FAILURE=closed`); retry after the next probe of Redis.
    pub fn limits_unavailable() -> Self {
        let mut err = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "RATE_LIMIT_UNAVAILABLE",
            "Rate limits cannot be checked right now; retry shortly",
        );
        err.retry_after = Some(crate::shared::PROBE_EVERY.as_secs().max(1));
        err
    }

    /// Attaches details.
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    /// 400 `VALIDATION_ERROR`.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", message)
    }

    /// 400 with a code of the reference (`MISSING_COLUMNS`, `BATCH_TOO_LARGE`, …).
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404 `NOT_FOUND`.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", "Not found")
    }

    /// 401 with the reference's body.
    pub fn unauthorized(login_url: &str) -> Self {
        let mut e = Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Authentication required",
        );
        e.login_url = Some(login_url.to_owned());
        e
    }

    /// 403 for authenticated callers without the right (admin role or key scope); one body
    /// whatever was missing.
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "Insufficient permissions",
        )
    }

    /// 503 `STORE_UNAVAILABLE` with `Retry-After`: the database cannot be reached now; the
    /// cause is logged, not sent.
    pub fn store_unavailable(cause: &dyn std::fmt::Display) -> Self {
        tracing::warn!(error = %cause, "database unavailable");
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "STORE_UNAVAILABLE",
            "The database is unavailable; retry shortly",
        );
        e.retry_after = Some(STORE_RETRY_AFTER_S);
        e
    }

    /// 503 `STORE_UNAVAILABLE` with `Retry-After`, as [`Self::store_unavailable`], when it is
    /// the object store (`STORAGE_URL=s3://…`) that cannot be reached now.
    pub fn storage_unavailable(cause: &dyn std::fmt::Display) -> Self {
        tracing::warn!(error = %cause, "chart storage unavailable");
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "STORE_UNAVAILABLE",
            "The chart storage is unavailable; retry shortly",
        );
        e.retry_after = Some(STORE_RETRY_AFTER_S);
        e
    }

    /// 500 `INTERNAL_ERROR`; the cause is logged once with the request, not sent.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        let mut e = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Internal server error",
        );
        e.cause = Some(cause.to_string());
        e
    }
}

impl ApiError {
    /// The answer to an account error, mapped once for every account route (`login_url` goes
    /// into 401 bodies).
    pub fn from_account(e: AccountError, login_url: &str) -> Self {
        match e {
            AccountError::Invalid(message) => ApiError::validation(message),
            AccountError::EmailTaken => {
                ApiError::new(StatusCode::CONFLICT, "CONFLICT", "Email already registered")
            }
            AccountError::Unauthorized => ApiError::unauthorized(login_url),
            AccountError::Throttled(wait) => {
                let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
                let mut err = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "RATE_LIMIT",
                    format!("Too many failed logins; retry in {seconds} s"),
                );
                err.retry_after = Some(seconds);
                err
            }
            AccountError::ThrottleUnavailable => ApiError::limits_unavailable(),
            AccountError::Busy => {
                let mut err = ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "OVERLOADED",
                    "Too many sign-ins in progress; retry shortly",
                );
                err.retry_after = Some(1);
                err
            }
            AccountError::NotFound => ApiError::not_found(),
            AccountError::Forbidden => ApiError::forbidden(),
            AccountError::Db(e) if crate::db::is_unavailable(&e) => ApiError::store_unavailable(&e),
            other @ (AccountError::Db(_) | AccountError::Crypto(_)) => ApiError::internal(&other),
        }
    }
}

impl From<SpecErrors> for ApiError {
    fn from(e: SpecErrors) -> Self {
        let errors: Vec<Value> = e
            .errors
            .iter()
            .map(|x| serde_json::to_value(x).unwrap_or(Value::Null))
            .collect();
        ApiError::new(StatusCode::BAD_REQUEST, e.code().as_str(), e.message())
            .with_details(json!({ "errors": errors }))
    }
}

impl From<ChartError> for ApiError {
    fn from(e: ChartError) -> Self {
        match e {
            ChartError::Spec(s) => s.into(),
            ChartError::Render(p) => p.into(),
            ChartError::Store(s) => s.into(),
            ChartError::Batch { code, message } => ApiError::bad_request(code, message),
            ChartError::Internal(m) => ApiError::internal(&m),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        if e.is_storage_full() {
            tracing::error!(error = %e, "disk full: the chart was not stored");
            return ApiError::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "INSUFFICIENT_STORAGE",
                "The server's disk is full; nothing was stored. Reads still work",
            );
        }
        if e.is_unavailable() && e.is_object_storage() {
            return ApiError::storage_unavailable(&e);
        }
        if e.is_unavailable() {
            return ApiError::store_unavailable(&e);
        }
        ApiError::internal(&e)
    }
}

impl From<PoolError> for ApiError {
    fn from(e: PoolError) -> Self {
        match e {
            PoolError::Overloaded => {
                let mut err = ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "OVERLOADED",
                    "The render queue is full; retry shortly",
                );
                err.retry_after = Some(OVERLOADED_RETRY_AFTER_S);
                err
            }
            PoolError::Closed => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "SHUTTING_DOWN",
                "The server is shutting down",
            ),
            PoolError::Timeout {
                timeout,
                spec_alone: true,
            } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "RENDER_TIMEOUT",
                format!(
                    "The chart did not render within {} ms; it is too expensive as sent",
                    timeout.as_millis()
                ),
            ),
            PoolError::Timeout { timeout, .. } => {
                let mut err = ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "RENDER_TIMEOUT",
                    format!(
                        "The chart did not render within {} ms under the current load; retry shortly",
                        timeout.as_millis()
                    ),
                );
                err.retry_after = Some(OVERLOADED_RETRY_AFTER_S);
                err
            }
            PoolError::Panicked => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "RENDER_FAILED",
                "Rendering the chart failed",
            ),
            PoolError::Failed(crate::PipelineError::Spec(s)) => s.into(),
            PoolError::Failed(other) => {
                tracing::error!(error = %other, "render failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "RENDER_FAILED",
                    "Rendering the chart failed",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.message, "code": self.code });
        if let Some(details) = self.details {
            body["details"] = *details;
        }
        if let Some(url) = self.login_url {
            body["login_url"] = Value::String(url);
        }
        let mut response = (self.status, Json(body)).into_response();
        if let Some(cause) = self.cause {
            response.extensions_mut().insert(InternalCause(cause));
        }
        if let Some(s) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        response
    }
}
