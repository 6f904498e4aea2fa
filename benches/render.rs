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

#[path = "cases/generated.rs"]
mod generated;
use generated::{line_100k, scatter_5000};

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
