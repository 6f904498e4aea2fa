//! Per-stage and end-to-end cost of one chart on the CPU backend (vello_cpu), for the cases the
//! reference engine is measured on (`benches/cases/`, the same files as
//! `chartjs-reference/cases/`) plus a 5,000-point scatter and a 100,000-point line (decimated
//! to the pixel grid in layout).
//!
//! Stages: `parse` (JSON bytes → validated spec), `layout` (spec → figure, text shaping with a
//! warm per-worker cache, as in serving), `render` (figure → RGBA8), `encode` (RGBA8 → PNG,
//! fast preset) and `end_to_end` (spec bytes → PNG bytes). Run with `cargo bench --bench render`.

use clovicharts::encode::{self, PngLevel};
use clovicharts::render::{CpuRenderer, Renderer};
use clovicharts::text::TextShaper;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn scatter_5000() -> Vec<u8> {
    // A deterministic cloud: a linear trend with noise from a small LCG.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as f64 / f64::from(1u32 << 31)
    };
    let points: Vec<serde_json::Value> = (0..5000)
        .map(|i| {
            let x = f64::from(i) / 50.0;
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

fn line_100k() -> Vec<u8> {
    let data: Vec<f64> = (0..100_000)
        .map(|i| {
            let t = f64::from(i) / 1000.0;
            ((t.sin() * 40.0 + (t * 7.3).cos() * 8.0 + t * 0.5) * 100.0).round() / 100.0
        })
        .collect();
    let labels: Vec<String> = (0..100_000).map(|i| i.to_string()).collect();
    serde_json::to_vec(&serde_json::json!({
        "type": "line",
        "data": { "labels": labels, "datasets": [{ "label": "Signal", "data": data }] },
        "options": { "width": 800, "height": 500, "theme": "light", "format": "png" }
    }))
    .expect("serialisable")
}

fn cases() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("bar_4", include_bytes!("cases/a_bar.json").to_vec()),
        ("line_12x3", include_bytes!("cases/b_line.json").to_vec()),
        ("pie_5", include_bytes!("cases/c_pie.json").to_vec()),
        ("scatter_5000", scatter_5000()),
        ("line_100k", line_100k()),
    ]
}

fn stages(c: &mut Criterion) {
    for (name, json) in cases() {
        let mut group = c.benchmark_group(name);
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
