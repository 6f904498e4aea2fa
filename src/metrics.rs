//! Prometheus metrics: the process-wide recorder behind the `metrics` macros, and the names this
//! crate records under. Any module records with `metrics::counter!` / `histogram!`; `GET
//! /metrics` renders everything in the Prometheus text format.
//!
//! The `metrics` facade has one global recorder per process, so [`install`] is idempotent: the
//! first call installs the Prometheus recorder, later calls (a second server in the same test
//! process) reuse it. If some other recorder was installed first, ours is not, and `/metrics`
//! shows only what that leaves us (nothing) rather than failing the server.

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

/// Histogram: layout + rasterisation time of one chart, seconds.
pub const RENDER_SECONDS: &str = "clovicharts_render_seconds";
/// Histogram: encoding time of one chart, seconds.
pub const ENCODE_SECONDS: &str = "clovicharts_encode_seconds";
/// Histogram: time a render job waited for a worker, seconds.
pub const QUEUE_SECONDS: &str = "clovicharts_queue_seconds";
/// Counter: charts rendered, by `type`, `backend` and `format` (cache hits not included).
pub const CHARTS_TOTAL: &str = "clovicharts_charts_rendered_total";
/// Counter: render cache lookups, by `result` (`hit` or `miss`).
pub const CACHE_TOTAL: &str = "clovicharts_render_cache_total";
/// Counter: requests refused by the rate limiter (429).
pub const RATE_LIMITED_TOTAL: &str = "clovicharts_rate_limited_total";
/// Gauge: 1 while Redis answers (or before the first call), 0 during an outage.
pub const REDIS_UP: &str = "clovicharts_redis_up";
/// Counter: limit decisions made in process because Redis was unreachable
/// (`REDIS_FAILURE=open`), by `limit` (`rate_limit`, `login`).
pub const REDIS_FALLBACK_TOTAL: &str = "clovicharts_redis_fallback_total";
/// Counter: requests answered 503 because Redis was unreachable (`REDIS_FAILURE=closed`), by
/// `limit`.
pub const REDIS_REFUSED_TOTAL: &str = "clovicharts_redis_refused_total";
/// Counter: renders refused because the queue was full (503).
pub const OVERLOADED_TOTAL: &str = "clovicharts_render_overloaded_total";
/// Counter: render jobs skipped because their requester had gone (client disconnected).
pub const ABANDONED_TOTAL: &str = "clovicharts_render_abandoned_total";
/// Counter: renders stopped at their deadline (`RENDER_TIMEOUT_MS`).
pub const TIMEOUTS_TOTAL: &str = "clovicharts_render_timeouts_total";
/// Counter: renders that panicked (each answered 500 `RENDER_FAILED`; the worker was rebuilt).
pub const PANICS_TOTAL: &str = "clovicharts_render_panics_total";
/// Histogram: charts per group commit (one directory fsync and one transaction each).
pub const STORE_BATCH: &str = "clovicharts_store_commit_batch_size";
/// Counter: HTTP requests answered, by `method`, `route` (the matched route template, e.g.
/// `/api/charts/{id}`, or `unmatched`) and `status`.
pub const HTTP_REQUESTS_TOTAL: &str = "clovicharts_http_requests_total";
/// Histogram: time from a request's arrival to its answer's head, seconds, by `method`,
/// `route` and `status`.
pub const HTTP_REQUEST_SECONDS: &str = "clovicharts_http_request_duration_seconds";
/// Gauge: resident set size of the process, bytes (from `/proc/self/statm`).
pub const PROCESS_RSS_BYTES: &str = "process_resident_memory_bytes";
/// Gauge: open file descriptors of the process (entries of `/proc/self/fd`).
pub const PROCESS_OPEN_FDS: &str = "process_open_fds";

/// Bucket bounds for the `_seconds` histograms: 0.1 ms to 10 s.
const SECONDS_BUCKETS: [f64; 16] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];
/// Bucket bounds for the commit batch size.
const BATCH_BUCKETS: [f64; 10] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];

/// How often the recorder's pending histogram samples are folded into their buckets. The
/// exporter keeps every sample until then (its "upkeep"), so without it a server nobody scrapes
/// holds three samples per chart forever: the soak grew 3.5 MB a minute at ~1,000 charts/s.
const UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Installs the Prometheus recorder (once per process), starts its upkeep thread, and returns
/// its handle.
pub fn install() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &SECONDS_BUCKETS)
            .and_then(|b| {
                b.set_buckets_for_metric(Matcher::Full(STORE_BATCH.into()), &BATCH_BUCKETS)
            });
        let builder = match builder {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "metric buckets rejected; histograms become summaries");
                PrometheusBuilder::new()
            }
        };
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics will be empty");
        }
        describe();
        let upkeep = handle.clone();
        let started = std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            });
        if let Err(e) = started {
            tracing::warn!(error = %e, "no metrics upkeep thread; histograms grow until scraped");
        }
        handle
    })
}

/// Help texts shown in `/metrics`.
fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_histogram!(
        RENDER_SECONDS,
        Unit::Seconds,
        "Layout and rasterisation time per chart"
    );
    describe_histogram!(
        ENCODE_SECONDS,
        Unit::Seconds,
        "PNG/WebP encoding time per chart"
    );
    describe_histogram!(
        QUEUE_SECONDS,
        Unit::Seconds,
        "Time a render waited for a worker"
    );
    describe_counter!(CHARTS_TOTAL, "Charts rendered, by type, backend and format");
    describe_counter!(CACHE_TOTAL, "Render cache lookups by result (hit, miss)");
    describe_counter!(RATE_LIMITED_TOTAL, "Requests refused by the rate limiter");
    describe_counter!(
        OVERLOADED_TOTAL,
        "Renders refused with 503 because the queue was full"
    );
    describe_gauge!(REDIS_UP, "1 while Redis answers, 0 during an outage");
    describe_counter!(
        REDIS_FALLBACK_TOTAL,
        "Limit decisions made per instance because Redis was unreachable"
    );
    describe_counter!(
        REDIS_REFUSED_TOTAL,
        "Requests answered 503 because Redis was unreachable"
    );
    describe_histogram!(STORE_BATCH, "Charts made durable per group commit");
    describe_counter!(
        HTTP_REQUESTS_TOTAL,
        "HTTP requests by method, matched route template and status"
    );
    describe_histogram!(
        HTTP_REQUEST_SECONDS,
        Unit::Seconds,
        "HTTP request latency by method, matched route template and status"
    );
    describe_gauge!(PROCESS_RSS_BYTES, Unit::Bytes, "Resident set size");
    describe_gauge!(PROCESS_OPEN_FDS, "Open file descriptors");
}

/// The method as a label: the standard ones by name, anything else `OTHER` (a client can send
/// any token as a method, and each would be a new series).
fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
    ];
    KNOWN.into_iter().find(|m| *m == method).unwrap_or("OTHER")
}

/// Counts and times one answered request. `route` is a route template or `unmatched`, never
/// a raw path.
pub fn http_request(method: &str, route: &str, status: u16, elapsed: std::time::Duration) {
    let (method, route, status) = (method_label(method), route.to_owned(), status.to_string());
    metrics::counter!(
        HTTP_REQUESTS_TOTAL,
        "method" => method, "route" => route.clone(), "status" => status.clone()
    )
    .increment(1);
    metrics::histogram!(
        HTTP_REQUEST_SECONDS,
        "method" => method, "route" => route, "status" => status
    )
    .record(elapsed.as_secs_f64());
}

/// The process's resident set size in bytes, from `/proc/self/statm` (Linux; `None`
/// elsewhere).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * rustix::param::page_size() as u64)
}

/// The process's open file descriptors, counted in `/proc/self/fd` (Linux; `None` elsewhere).
/// The directory's own descriptor, open while it is read, is not counted.
pub fn open_fds() -> Option<u64> {
    let entries = std::fs::read_dir("/proc/self/fd").ok()?;
    Some((entries.count() as u64).saturating_sub(1))
}

/// Sets the process gauges to their values now.
fn sample_process() {
    if let Some(rss) = resident_bytes() {
        metrics::gauge!(PROCESS_RSS_BYTES).set(rss as f64);
    }
    if let Some(fds) = open_fds() {
        metrics::gauge!(PROCESS_OPEN_FDS).set(fds as f64);
    }
}

/// The current metrics in the Prometheus text format.
pub fn render() -> String {
    let handle = install();
    sample_process();
    handle.run_upkeep();
    handle.render()
}
