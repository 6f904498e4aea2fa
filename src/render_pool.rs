//! The render pool: a fixed set of threads, each with its own [`ChartWorker`] (text shaper,
//! renderer, pixel buffer, kept between charts), fed by a bounded queue. Rendering never runs on
//! the async runtime; when the queue is full the caller is told at once
//! ([`PoolError::Overloaded`]) instead of waiting without bound.
//!
//! With a [`RenderCache`], a worker first looks the spec up (hashing runs on the worker, not on
//! the runtime) and answers a hit without rendering.
//!
//! Every job runs under a deadline (`RENDER_TIMEOUT_MS`, counted from submission, see
//! [`crate::deadline`]); a job whose requester has gone (its future dropped: the client
//! disconnected) is skipped when it reaches the front of the queue. A panic in layout, render
//! or encode is that job's [`PoolError::Panicked`]: the worker logs the spec's hash, rebuilds
//! its renderer and text shaper (whatever they held may be half-updated) and takes the next
//! job, so the pool never shrinks.

use crate::cache::{CacheKey, RenderCache};
use crate::deadline::{self, Interrupted};
use crate::metrics as names;
use crate::pipeline::{ChartOutput, ChartWorker, PipelineError};
use crate::render::Backend;
use crate::spec::ChartSpec;
use crate::text::FontSet;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Why a render did not happen.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// The queue is full: answer 503 and let the client retry.
    #[error("the render queue is full")]
    Overloaded,
    /// The pool is shutting down.
    #[error("the render pool is shut down")]
    Closed,
    /// The chart itself failed.
    #[error(transparent)]
    Failed(#[from] PipelineError),
    /// The render was still running (or still queued) at its deadline.
    #[error("the render did not finish within {timeout:?}")]
    Timeout {
        /// The deadline, counted from submission.
        timeout: Duration,
        /// Whether the spec alone ran out the time: it started within the first
        /// [`SPEC_ALONE_QUEUE_SHARE`] of the budget, so a retry would time out again.
        spec_alone: bool,
    },
    /// Layout, render or encode panicked; the worker was rebuilt.
    #[error("the render panicked")]
    Panicked,
}

/// Default render deadline (`RENDER_TIMEOUT_MS`): the documented limits render in well under a
/// second on one core, so five seconds is load, not a legitimate chart.
pub const DEFAULT_RENDER_TIMEOUT: Duration = Duration::from_secs(5);

/// A timed-out job that waited less than this share of its deadline in the queue was too
/// expensive on its own (422); one that waited longer ran out of time to load (503, retry).
pub const SPEC_ALONE_QUEUE_SHARE: f64 = 0.1;

/// The chart title that makes a worker panic when [`PoolOptions::debug_panic`] is on: the test
/// hook for failure isolation through the real server (`CLOVICHARTS_DEBUG_PANIC=1`).
pub const DEBUG_PANIC_TITLE: &str = "__clovicharts_debug_panic__";

/// The chart title that holds a worker for [`DEBUG_SLOW_HOLD`] before rendering when
/// [`PoolOptions::debug_panic`] is on: the test hook that keeps the queue full for as long as a
/// test needs, on a machine of any speed.
pub const DEBUG_SLOW_TITLE: &str = "__clovicharts_debug_slow__";

/// How long a [`DEBUG_SLOW_TITLE`] chart holds its worker.
pub const DEBUG_SLOW_HOLD: Duration = Duration::from_millis(1500);

/// How the pool bounds each job.
#[derive(Clone, Copy, Debug)]
pub struct PoolOptions {
    /// Deadline of a job, from submission to its answer.
    pub timeout: Duration,
    /// Whether a spec titled [`DEBUG_PANIC_TITLE`] panics its worker and one titled
    /// [`DEBUG_SLOW_TITLE`] holds it (tests only).
    pub debug_panic: bool,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            timeout: DEFAULT_RENDER_TIMEOUT,
            debug_panic: false,
        }
    }
}

/// A rendered chart and how long it waited for a worker.
#[derive(Debug)]
pub struct PoolOutput {
    /// The encoded chart and its stage times.
    pub chart: ChartOutput,
    /// Time between submission and a worker taking the job.
    pub queue_time: Duration,
    /// Whether the chart came from the render cache (its stage times are the original render's).
    pub cached: bool,
}

struct Job {
    spec: ChartSpec,
    enqueued: Instant,
    reply: oneshot::Sender<Result<PoolOutput, PoolError>>,
}

/// A bounded pool of render threads.
pub struct RenderPool {
    sender: Mutex<Option<SyncSender<Job>>>,
    handles: Mutex<Vec<JoinHandle<()>>>,
    workers: usize,
    backend: Backend,
    cache: Option<Arc<RenderCache>>,
}

impl std::fmt::Debug for RenderPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderPool")
            .field("workers", &self.workers)
            .field("backend", &self.backend.kind())
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl RenderPool {
    /// Starts `workers` threads rendering with `backend`, with room for `queue` waiting jobs.
    pub fn start(backend: Backend, workers: usize, queue: usize) -> std::io::Result<RenderPool> {
        RenderPool::start_with_cache(backend, workers, queue, None)
    }

    /// Like [`Self::start`], with the workers sharing `cache` (if any) for identical specs.
    pub fn start_with_cache(
        backend: Backend,
        workers: usize,
        queue: usize,
        cache: Option<Arc<RenderCache>>,
    ) -> std::io::Result<RenderPool> {
        RenderPool::start_with_options(
            backend,
            workers,
            queue,
            cache,
            FontSet::embedded(),
            PoolOptions::default(),
        )
    }

    /// Like [`Self::start_with_cache`], the workers shaping with `fonts` and each job bounded
    /// by `options`.
    pub fn start_with_options(
        backend: Backend,
        workers: usize,
        queue: usize,
        cache: Option<Arc<RenderCache>>,
        fonts: FontSet,
        options: PoolOptions,
    ) -> std::io::Result<RenderPool> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        let mut handles = Vec::with_capacity(workers);
        for i in 0..workers.max(1) {
            let rx = rx.clone();
            let backend = backend.clone();
            let cache = cache.clone();
            let fonts = fonts.clone();
            let handle = std::thread::Builder::new()
                .name(format!("render-{i}"))
                .spawn(move || worker(&backend, &fonts, &rx, cache.as_deref(), options))?;
            handles.push(handle);
        }
        Ok(RenderPool {
            sender: Mutex::new(Some(tx)),
            handles: Mutex::new(handles),
            workers: workers.max(1),
            backend,
            cache,
        })
    }

    /// The render cache, if enabled.
    pub fn cache(&self) -> Option<&RenderCache> {
        self.cache.as_deref()
    }

    /// Number of worker threads.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// The backend the workers render with.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Renders `spec` on a worker; fails fast with `Overloaded` when the queue is full.
    pub async fn render(&self, spec: ChartSpec) -> Result<PoolOutput, PoolError> {
        let (reply, rx) = oneshot::channel();
        let job = Job {
            spec,
            enqueued: Instant::now(),
            reply,
        };
        {
            let guard = self.sender.lock().map_err(|_| PoolError::Closed)?;
            let sender = guard.as_ref().ok_or(PoolError::Closed)?;
            sender.try_send(job).map_err(|e| match e {
                TrySendError::Full(_) => {
                    metrics::counter!(names::OVERLOADED_TOTAL).increment(1);
                    PoolError::Overloaded
                }
                TrySendError::Disconnected(_) => PoolError::Closed,
            })?;
        }
        rx.await.map_err(|_| PoolError::Closed)?
    }

    /// Stops taking jobs, lets the workers finish what is queued, and joins them.
    pub fn shutdown(&self) {
        if let Ok(mut sender) = self.sender.lock() {
            sender.take();
        }
        let handles = self
            .handles
            .lock()
            .map(|mut h| std::mem::take(&mut *h))
            .unwrap_or_default();
        for h in handles {
            let _ = h.join();
        }
    }
}

impl Drop for RenderPool {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A fresh chart worker for `backend` (the CPU when its renderer cannot start).
fn chart_worker(backend: &Backend, fonts: &FontSet) -> ChartWorker {
    let renderer = match backend.renderer() {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "render worker could not start its renderer; using the CPU");
            Box::new(crate::render::CpuRenderer::new())
        }
    };
    ChartWorker::with_fonts(renderer, fonts)
}

fn worker(
    backend: &Backend,
    fonts: &FontSet,
    jobs: &Mutex<Receiver<Job>>,
    cache: Option<&RenderCache>,
    options: PoolOptions,
) {
    let mut charts = chart_worker(backend, fonts);
    loop {
        // Hold the lock only while taking a job, not while rendering it. A poisoned lock only
        // means another worker panicked while holding it; the receiver itself is intact.
        let job = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = job else { return };
        let queue_time = job.enqueued.elapsed();
        metrics::histogram!(names::QUEUE_SECONDS).record(queue_time.as_secs_f64());
        if job.reply.is_closed() {
            // The requester has gone (client disconnected): nobody would read the chart.
            metrics::counter!(names::ABANDONED_TOTAL).increment(1);
            continue;
        }
        let deadline = job.enqueued + options.timeout;
        let spec_alone =
            queue_time.as_secs_f64() < options.timeout.as_secs_f64() * SPEC_ALONE_QUEUE_SHARE;
        let outcome = deadline::run(deadline, || {
            deadline::check();
            if options.debug_panic && job.spec.options.title.as_deref() == Some(DEBUG_PANIC_TITLE) {
                std::panic::panic_any(format!("{DEBUG_PANIC_TITLE} (test hook)"));
            }
            if options.debug_panic && job.spec.options.title.as_deref() == Some(DEBUG_SLOW_TITLE) {
                std::thread::sleep(DEBUG_SLOW_HOLD);
            }
            render_cached(&mut charts, &job.spec, cache)
        });
        let result = match outcome {
            Ok(rendered) => rendered
                .map(|(chart, cached)| PoolOutput {
                    chart,
                    queue_time,
                    cached,
                })
                .map_err(PoolError::Failed),
            Err(Interrupted::Expired) => {
                metrics::counter!(names::TIMEOUTS_TOTAL).increment(1);
                tracing::warn!(
                    spec = %CacheKey::of(&job.spec),
                    queued_ms = queue_time.as_millis() as u64,
                    spec_alone,
                    "render timed out"
                );
                Err(PoolError::Timeout {
                    timeout: options.timeout,
                    spec_alone,
                })
            }
            Err(Interrupted::Panicked(message)) => {
                metrics::counter!(names::PANICS_TOTAL).increment(1);
                tracing::error!(
                    spec = %CacheKey::of(&job.spec),
                    chart_type = job.spec.chart_type.name(),
                    panic = %message,
                    "render panicked; rebuilding the worker"
                );
                charts = chart_worker(backend, fonts);
                Err(PoolError::Panicked)
            }
        };
        // The requester may have gone away (client disconnected); nothing to do then.
        let _ = job.reply.send(result);
    }
}

/// Answers from the cache when it holds `spec`, else renders (and caches) it; `true` for a hit.
fn render_cached(
    charts: &mut ChartWorker,
    spec: &ChartSpec,
    cache: Option<&RenderCache>,
) -> Result<(ChartOutput, bool), PipelineError> {
    let Some(cache) = cache else {
        return render_recorded(charts, spec).map(|chart| (chart, false));
    };
    let key = CacheKey::of(spec);
    if let Some(hit) = cache.get(key) {
        metrics::counter!(names::CACHE_TOTAL, "result" => "hit").increment(1);
        return Ok((ChartOutput::clone(&hit), true));
    }
    metrics::counter!(names::CACHE_TOTAL, "result" => "miss").increment(1);
    let chart = render_recorded(charts, spec)?;
    cache.insert(key, Arc::new(chart.clone()));
    Ok((chart, false))
}

/// Renders and records the stage times and the chart count.
fn render_recorded(
    charts: &mut ChartWorker,
    spec: &ChartSpec,
) -> Result<ChartOutput, PipelineError> {
    let chart = charts.render(spec)?;
    metrics::histogram!(names::RENDER_SECONDS)
        .record((chart.layout_time + chart.render_time).as_secs_f64());
    metrics::histogram!(names::ENCODE_SECONDS).record(chart.encode_time.as_secs_f64());
    metrics::counter!(
        names::CHARTS_TOTAL,
        "type" => spec.chart_type.name(),
        "backend" => chart.backend.name(),
        "format" => chart.format.name(),
    )
    .increment(1);
    Ok(chart)
}
