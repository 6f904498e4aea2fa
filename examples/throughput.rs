//! In-process throughput, the library side of `benches/compare.sh`: N threads, each with its own
//! [`ChartWorker`] (as the server's render pool has), turn the same JSON spec bytes into PNG bytes
//! for a bounded time. Prints one JSON line: charts, seconds, charts/s, p50/p99 ms, PNG bytes.
//!
//! ```text
//! cargo run --release --example throughput -- <case.json|scatter_5000|line_100k> [threads] [seconds]
//! cargo run --release --example throughput -- --write scatter_5000 out.json   # the generated case
//! CLOVICHARTS_BACKEND=gpu cargo run --release --example throughput -- line_100k_2400x1600 4 10
//! ```
//!
//! The backend is the server's (`CLOVICHARTS_BACKEND`: `auto`, `gpu`, `cpu`; default `cpu`
//! here), one renderer per thread on the one shared device, and the JSON line names its adapter.
//! Generated cases: `scatter_5000`, `line_100k`, and `benches/gpu.sh`'s `bar_800x500`,
//! `line_100k_2400x1600`, `scatter_1m` (a density picture).

#[path = "../benches/cases/generated.rs"]
mod generated;

use clovicharts::pipeline::ChartWorker;
use clovicharts::render::{Backend, BackendChoice};
use std::time::{Duration, Instant};

fn case_bytes(name: &str) -> Result<Vec<u8>, String> {
    match name {
        "scatter_5000" => Ok(generated::scatter_5000()),
        "line_100k" => Ok(generated::line_100k()),
        "bar_800x500" => Ok(include_bytes!("../benches/cases/a_bar.json").to_vec()),
        "line_100k_2400x1600" => sized(&generated::line_100k(), 2400, 1600),
        "scatter_1m" => Ok(generated::scatter(1_000_000)),
        path => std::fs::read(path).map_err(|e| format!("{path}: {e}")),
    }
}

/// `json` with its canvas set to `width` × `height`.
fn sized(json: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut spec: serde_json::Value = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    spec["options"]["width"] = width.into();
    spec["options"]["height"] = height.into();
    serde_json::to_vec(&spec).map_err(|e| e.to_string())
}

/// What one thread measured after its warm-up.
struct Measured {
    /// Per-chart latency, ms.
    times: Vec<f64>,
    /// Seconds from the end of warm-up to the deadline.
    seconds: f64,
    /// Size of the last PNG.
    bytes: usize,
}

/// Renders `json` on one thread until `until`.
fn run(backend: &Backend, json: &[u8], until: Instant) -> Result<Measured, String> {
    let mut worker = ChartWorker::new(backend.renderer().map_err(|e| e.to_string())?);
    // Warm up: shaping cache, contexts, buffers (as a server worker is after its first charts).
    for _ in 0..3 {
        worker.render_json(json).map_err(|e| e.to_string())?;
    }
    let mut times = Vec::new();
    let mut bytes = 0;
    let start = Instant::now();
    while Instant::now() < until {
        let t = Instant::now();
        let out = worker.render_json(json).map_err(|e| e.to_string())?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        bytes = out.bytes.len();
    }
    Ok(Measured {
        times,
        seconds: start.elapsed().as_secs_f64(),
        bytes,
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--write") {
        let (Some(name), Some(out)) = (args.get(1), args.get(2)) else {
            return Err("usage: --write <scatter_5000|line_100k> <out.json>".into());
        };
        return std::fs::write(out, case_bytes(name)?).map_err(|e| e.to_string());
    }
    let case = args
        .first()
        .ok_or("usage: throughput <case> [threads] [seconds]")?;
    let threads: usize = args
        .get(1)
        .map_or(Ok(2), |s| s.parse())
        .map_err(|e| format!("threads: {e}"))?;
    let seconds: f64 = args
        .get(2)
        .map_or(Ok(10.0), |s| s.parse())
        .map_err(|e| format!("seconds: {e}"))?;
    let json = case_bytes(case)?;
    let raw = std::env::var("CLOVICHARTS_BACKEND").unwrap_or_else(|_| "cpu".into());
    let choice = BackendChoice::parse(&raw).ok_or(format!("CLOVICHARTS_BACKEND={raw:?}"))?;
    let backend = Backend::select(choice).map_err(|e| e.to_string())?;

    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let results: Vec<Result<Measured, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| s.spawn(|| run(&backend, &json, until)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("worker panicked".into())))
            .collect()
    });
    let mut times = Vec::new();
    let mut bytes = 0;
    let mut rate = 0.0;
    let mut elapsed: f64 = 0.0;
    for r in results {
        let m = r?;
        // Each thread's own rate over its own measured window (warm-up excluded), summed.
        rate += m.times.len() as f64 / m.seconds.max(1e-9);
        elapsed = elapsed.max(m.seconds);
        times.extend(m.times);
        bytes = m.bytes;
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"charts\":{},\"seconds\":{:.3},\"charts_per_s\":{:.1},\"p50_ms\":{:.3},\"p99_ms\":{:.3},\"png_bytes\":{},\"threads\":{},\"backend\":\"{}\",\"adapter\":{:?}}}",
        times.len(),
        elapsed,
        rate,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        bytes,
        threads,
        backend.kind().name(),
        backend.adapter_name()
    );
    Ok(())
}
