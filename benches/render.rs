//! Per-stage and end-to-end cost of one chart on the CPU backend (vello_cpu), for the cases the
//! reference engine is measured on (`benches/cases/`, the same files as
//! `chartjs-reference/cases/`) plus big series: scatters of 5,000 points (circles) and 100,000
//! (a density picture), and lines of 1,000, 100,000 and 1,000,000 points (read by the spec's fast
//! path, decimated to the pixel grid in layout). The large-data target is `line_1m/end_to_end`
//! within 10× of `line_1k/end_to_end`.
//!
//! Stages: `parse` (JSON bytes → validated spec), `layout` (spec → figure, text shaping with a
//! warm per-worker cache, as in serving), `render` (figure → RGBA8), `encode` (RGBA8 → PNG,
//! fast preset) and `end_to_end` (spec bytes → PNG bytes). Run with `cargo bench --bench render`.

use clovicharts::encode::{self, PngLevel};
use clovicharts::render::{CpuRenderer, Renderer};
use clovicharts::text::TextShaper;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// A deterministic uniform source in [0, 1) (a small LCG), so every run measures the same data.
fn lcg(mut seed: u64) -> impl FnMut() -> f64 {
    move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as f64 / f64::from(1u32 << 31)
    }
}

/// A cloud of `n` `{x, y}` points: a linear trend with noise (a density picture past 50,000);
/// at 5,000 points the same data as the reference engine's case.
fn scatter(n: u32) -> Vec<u8> {
    let mut next = lcg(0x2545_f491_4f6c_dd1d);
    let points: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let x = f64::from(i) * 100.0 / f64::from(n);
            let y = 3.0 * x + 40.0 * (next() - 0.5);
            serde_json::json!({ "x": (x * 100.0).round() / 100.0, "y": (y * 100.0).round() / 100.0 })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "type": "scatter",
        "data": { "datasets": [{ "label": "Samples", "data": points }] },
        "options": { "width": 800, "height": 500, "theme": "light", "format": "png" }
    }))
    .expect("serialisable")
}

/// A line of `n` values with two decimals (a slow wave, a faster one, a trend and noise; the
/// same shape at every `n`), no labels: the x axis counts the points.
fn line(n: u32) -> Vec<u8> {
    let mut next = lcg(0x9e37_79b9_7f4a_7c15);
    let data: Vec<f64> = (0..n)
        .map(|i| {
            let t = f64::from(i) * 100.0 / f64::from(n);
            let v = t.sin() * 40.0 + (t * 7.3).cos() * 8.0 + t * 0.5 + 6.0 * (next() - 0.5);
            (v * 100.0).round() / 100.0
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "type": "line",
        "data": { "datasets": [{ "label": "Signal", "data": data }] },
        "options": { "width": 800, "height": 500, "theme": "light", "format": "png" }
    }))
    .expect("serialisable")
}

fn cases() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("bar_4", include_bytes!("cases/a_bar.json").to_vec()),
        ("line_12x3", include_bytes!("cases/b_line.json").to_vec()),
        ("pie_5", include_bytes!("cases/c_pie.json").to_vec()),
        ("scatter_5000", scatter(5000)),
        ("scatter_100k", scatter(100_000)),
        ("line_1k", line(1000)),
        ("line_100k", line(100_000)),
        ("line_1m", line(1_000_000)),
    ]
}

fn stages(c: &mut Criterion) {
    for (name, json) in cases() {
        let mut group = c.benchmark_group(name);
        if json.len() > 1 << 20 {
            // Tens of milliseconds an iteration: fewer samples keep the run short.
            group.sample_size(20);
        }
        let mut shaper = TextShaper::new();
        let mut renderer = CpuRenderer::new();
        let spec = clovicharts::spec::parse_spec(&json).expect("bench case is valid");
        let figure = clovicharts::layout::layout(&spec, &mut shaper);
        let image = renderer.render(&figure).expect("renders");

        group.bench_function("parse", |b| {
            b.iter(|| clovicharts::spec::parse_spec(black_box(&json)))
        });
        group.bench_function("layout", |b| {
            b.iter(|| clovicharts::layout::layout(black_box(&spec), &mut shaper))
        });
        group.bench_function("render", |b| b.iter(|| renderer.render(black_box(&figure))));
        group.bench_function("encode", |b| {
            b.iter(|| encode::png(black_box(&image), PngLevel::Fast))
        });
        group.bench_function("end_to_end", |b| {
            b.iter(|| clovicharts::render_chart(black_box(&json), &mut shaper, &mut renderer))
        });
        group.finish();
        let out = clovicharts::render_chart(&json, &mut shaper, &mut renderer).expect("renders");
        eprintln!("{name}: PNG {} bytes", out.bytes.len());
    }
}

/// An encoder under test: image → bytes.
type Encoder = fn(&clovicharts::render::Image) -> Vec<u8>;

fn encoders(c: &mut Criterion) {
    let json = include_bytes!("cases/b_line.json");
    let mut shaper = TextShaper::new();
    let spec = clovicharts::spec::parse_spec(json).expect("valid");
    let figure = clovicharts::layout::layout(&spec, &mut shaper);
    let image = CpuRenderer::new().render(&figure).expect("renders");
    let mut group = c.benchmark_group("encode_line_12x3");
    let modes: [(&str, Encoder); 4] = [
        ("png_fast", |i| encode::png(i, PngLevel::Fast).expect("png")),
        ("png_balanced", |i| {
            encode::png(i, PngLevel::Balanced).expect("png")
        }),
        ("webp_lossless", |i| {
            encode::webp(i, clovicharts::spec::WebpMode::Lossless).expect("webp")
        }),
        ("webp_lossy_q90", |i| {
            encode::webp(i, clovicharts::spec::WebpMode::Lossy(90.0)).expect("webp")
        }),
    ];
    for (name, f) in modes {
        eprintln!("{name}: {} bytes", f(&image).len());
        group.bench_function(name, |b| b.iter(|| f(black_box(&image))));
    }
    group.finish();
}

criterion_group!(benches, stages, encoders);
criterion_main!(benches);
