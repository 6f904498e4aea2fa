//! Request intake, before any handler reads a body: a declared body over `MAX_BODY_BYTES` is
//! refused at once (413), the memory a body will take is admitted against a budget (503
//! `OVERLOADED` with `Retry-After` when it is spent), and the body must arrive within
//! `BODY_READ_TIMEOUT_MS` (408).
//!
//! Rendering was bounded by the pool's queue, but memory was not: bodies were read and parsed
//! before a render slot was taken, so 40 concurrent 10M-point generates reached 8.4 GB. Here a
//! request with a `Content-Length` reserves `length × PARSE_FACTOR` bytes of the budget before
//! its first byte is read, and a chunked one reserves as its bytes arrive; the reservation is
//! held until the response is ready, since the parsed spec lives that long.

use super::ApiError;
use crate::config::Config;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Body as _, Frame, SizeHint};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Peak memory per body byte of the heaviest request (a 10M-point generate: the body, the
/// parsed points at 24 bytes each, the thinned series and the image), measured with
/// `benches/reliability.sh`; other requests take less, so the budget errs on the safe side.
pub(crate) const PARSE_FACTOR: u64 = 8;
/// Budget unit: permits are KiB, so a budget of terabytes still fits a `u32` permit count.
const UNIT: u64 = 1024;
/// Seconds an over-budget client is told to wait: heavy requests take a few seconds.
const OVERLOADED_RETRY_AFTER_S: u64 = 2;

/// The budget and limits every request body is admitted against.
#[derive(Debug)]
pub(crate) struct Admission {
    budget: Arc<Semaphore>,
    budget_units: u32,
    max_body_bytes: u64,
    body_timeout: Duration,
}

impl Admission {
    /// From `MEMORY_BUDGET_MB`, `MAX_BODY_BYTES` and `BODY_READ_TIMEOUT_MS`.
    pub(crate) fn new(config: &Config) -> Arc<Admission> {
        let units =
            (config.limits.memory_budget_bytes as u64 / UNIT).clamp(1, u64::from(u32::MAX >> 3));
        let budget_units = u32::try_from(units).unwrap_or(u32::MAX >> 3);
        Arc::new(Admission {
            budget: Arc::new(Semaphore::new(budget_units as usize)),
            budget_units,
            max_body_bytes: config.max_body_bytes as u64,
            body_timeout: config.limits.body_read_timeout,
        })
    }

    /// Budget units for `bytes` of body; at most the whole budget, so that one request of the
    /// largest allowed size still runs when nothing else does.
    fn units(&self, bytes: u64) -> u32 {
        let units = bytes.saturating_mul(PARSE_FACTOR).div_ceil(UNIT);
        u32::try_from(units.min(u64::from(self.budget_units))).unwrap_or(self.budget_units)
    }
}

/// What the body wrapper tells the middleware after the handler ran.
#[derive(Debug, Default)]
struct Outcome {
    timed_out: AtomicBool,
    over_budget: AtomicBool,
}

/// The middleware: see the module doc.
pub(crate) async fn admit(
    State(admission): State<Arc<Admission>>,
    req: Request,
    next: Next,
) -> Response {
    let hint = req.body().size_hint();
    if hint.exact() == Some(0) {
        return next.run(req).await;
    }
    let declared = hint.exact();
    if let Some(length) = declared
        && length > admission.max_body_bytes
    {
        return closing(
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                format!(
                    "The request body ({length} bytes) is over the limit of {} bytes",
                    admission.max_body_bytes
                ),
            )
            .with_details(serde_json::json!({ "limit_bytes": admission.max_body_bytes })),
        );
    }
    let held = Arc::new(Mutex::new(None::<OwnedSemaphorePermit>));
    if let Some(length) = declared {
        match admission
            .budget
            .clone()
            .try_acquire_many_owned(admission.units(length))
        {
            Ok(permit) => *lock(&held) = Some(permit),
            Err(_) => return closing(over_budget()),
        }
    }
    let outcome = Arc::new(Outcome::default());
    let (parts, body) = req.into_parts();
    let body = Body::new(Intake {
        inner: body,
        deadline: Box::pin(tokio::time::sleep(admission.body_timeout)),
        outcome: outcome.clone(),
        streaming: declared.is_none().then(|| Streaming {
            admission: admission.clone(),
            held: held.clone(),
            uncharged: 0,
        }),
    });
    let response = next.run(Request::from_parts(parts, body)).await;
    // The reservation covers the handler's whole run: the parsed request lives that long.
    drop(held);
    if outcome.timed_out.load(Ordering::Acquire) {
        return closing(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "REQUEST_TIMEOUT",
            format!(
                "The request body did not arrive within {} ms",
                admission.body_timeout.as_millis()
            ),
        ));
    }
    if outcome.over_budget.load(Ordering::Acquire) {
        return closing(over_budget());
    }
    response
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn over_budget() -> ApiError {
    let mut e = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "OVERLOADED",
        "The server is busy with large requests; retry shortly",
    );
    e.retry_after = Some(OVERLOADED_RETRY_AFTER_S);
    e
}

/// The error, with `Connection: close`: the body was not (fully) read, so the connection
/// cannot carry another request.
fn closing(e: ApiError) -> Response {
    let mut response = e.into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Budget taken as a chunked body's bytes arrive.
struct Streaming {
    admission: Arc<Admission>,
    held: Arc<Mutex<Option<OwnedSemaphorePermit>>>,
    /// Budget bytes owed but smaller than one unit.
    uncharged: u64,
}

impl Streaming {
    /// Reserves budget for `len` more body bytes; `false` when the budget is spent.
    fn charge(&mut self, len: usize) -> bool {
        self.uncharged += (len as u64).saturating_mul(PARSE_FACTOR);
        let units = self.uncharged / UNIT;
        if units == 0 {
            return true;
        }
        self.uncharged %= UNIT;
        let mut held = lock(&self.held);
        let taken = held.as_ref().map_or(0, |p| p.num_permits() as u64);
        // Past the whole budget the request has what a declared maximum would have had.
        let room = u64::from(self.admission.budget_units).saturating_sub(taken);
        let Ok(units) = u32::try_from(units.min(room)) else {
            return false;
        };
        if units == 0 {
            return true;
        }
        match self.admission.budget.clone().try_acquire_many_owned(units) {
            Ok(permit) => {
                match held.as_mut() {
                    Some(p) => p.merge(permit),
                    None => *held = Some(permit),
                }
                true
            }
            Err(_) => false,
        }
    }
}

/// A request body with a deadline and, when chunked, a running budget charge.
struct Intake {
    inner: Body,
    deadline: Pin<Box<tokio::time::Sleep>>,
    outcome: Arc<Outcome>,
    streaming: Option<Streaming>,
}

impl http_body::Body for Intake {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if tokio::time::Instant::now() >= this.deadline.deadline() {
                    return this.timed_out();
                }
                if let (Some(data), Some(streaming)) = (frame.data_ref(), this.streaming.as_mut())
                    && !streaming.charge(data.len())
                {
                    this.outcome.over_budget.store(true, Ordering::Release);
                    return Poll::Ready(Some(Err(axum::Error::new("memory budget spent"))));
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Pending => {
                if this.deadline.as_mut().poll(cx).is_ready() {
                    return this.timed_out();
                }
                Poll::Pending
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Intake {
    fn timed_out(&self) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        self.outcome.timed_out.store(true, Ordering::Release);
        Poll::Ready(Some(Err(axum::Error::new("request body read timed out"))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_capped_at_the_whole_budget() {
        let mut config = Config::for_tests("/nonexistent");
        config.limits.memory_budget_bytes = 64 * 1024 * 1024;
        let a = Admission::new(&config);
        assert_eq!(a.units(1024), PARSE_FACTOR as u32);
        assert_eq!(a.units(u64::MAX), a.budget_units);
        let mut s = Streaming {
            admission: a.clone(),
            held: Arc::new(Mutex::new(None)),
            uncharged: 0,
        };
        assert!(s.charge(100));
        assert!(s.charge(8 * 1024 * 1024));
        // Past the budget a lone request keeps going, but a second one is refused.
        assert!(s.charge(64 * 1024 * 1024));
        assert_eq!(a.budget.available_permits(), 0);
        let mut t = Streaming {
            admission: a.clone(),
            held: Arc::new(Mutex::new(None)),
            uncharged: 0,
        };
        assert!(!t.charge(1024 * 1024));
        drop(s);
        assert!(t.charge(1024 * 1024));
    }
}
