//! Per-stage and end-to-end cost of one chart on the CPU backend (vello_cpu), for the cases the
//! reference engine is measured on (`benches/cases/`, the same files as
//! `chartjs-reference/cases/`) plus big series: scatters of 5,000 points (circles) and 100,000
//! (a density picture), and lines of 1,000, 100,000 and 1,000,000 points (read by the spec's fast
//! path, decimated to the pixel grid in layout). The large-data target is `line_1m/end_to_end`
//! within 10× of `line_1k/end_to_end`.
//!
//! Stages: `parse` (JSON bytes → validated spec), `layout` (spec → figure, text shaping with a
//! warm per-worker cache, as in serving), `render` (figure → RGBA8), `encode` (RGBA8 → PNG,
//! fast preset, with kept buffers as a worker does), `svg` and `pdf` (figure → vector file),
//! `describe` (alt text and description) and `end_to_end` (spec bytes → PNG bytes);
//! `store` times durable saves, alone and 16 at once (group commit); `text` compares the same
//! 12-bar chart labelled in Latin (Inter) and in CJK (the Noto CJK fallback), end to end with a
//! warm shaping cache and laid out with a cold one; `scale` runs every type at 1,000 items and at
//! a million (or its item limit) with labels, as clients send them; `canvas` renders and encodes
//! bar, line and scatter at 800×500 and 2400×1600. Run with `cargo bench --bench render`.

use clovicharts::encode::{self, PngLevel};
use clovicharts::render::{CpuRenderer, Renderer};
use clovicharts::text::TextShaper;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "cases/generated.rs"]
mod generated;
use generated::{line, scatter, typed};

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
        // As the pipeline encodes: the worker's buffers, opacity known from the figure.
        let mut scratch = encode::Scratch::default();
        let opaque = figure.is_opaque();
        group.bench_function("encode", |b| {
            b.iter(|| {
                let px = image.pixels().expect("sized").with_opacity(opaque);
                scratch.png(black_box(px), PngLevel::Fast)
            })
        });
        // Vector formats straight from the figure (no render step), with the accessible
        // description the pipeline embeds.
        let info = clovicharts::insight::alt_text::describe(&spec);
        let svg_options = encode::SvgOptions::new(clovicharts::spec::SvgText::Paths);
        group.bench_function("svg", |b| {
            b.iter(|| encode::svg(black_box(&figure), &info, &svg_options))
        });
        group.bench_function("pdf", |b| b.iter(|| encode::pdf(black_box(&figure), &info)));
        group.bench_function("describe", |b| {
            b.iter(|| clovicharts::insight::alt_text::describe(black_box(&spec)))
        });
        let svg_bytes = encode::svg(&figure, &info, &svg_options).len();
        let pdf_bytes = encode::pdf(&figure, &info).map_or(0, |p| p.len());
        group.bench_function("end_to_end", |b| {
            b.iter(|| clovicharts::render_chart(black_box(&json), &mut shaper, &mut renderer))
        });
        group.finish();
        let out = clovicharts::render_chart(&json, &mut shaper, &mut renderer).expect("renders");
        eprintln!(
            "{name}: PNG {} bytes, SVG {svg_bytes} bytes, PDF {pdf_bytes} bytes",
            out.bytes.len()
        );
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

/// The store stage: one durable save (two fsynced files, a directory fsync, one row) alone, and
/// 16 concurrent saves sharing group commits.
fn store(c: &mut Criterion) {
    use clovicharts::store::{ChartRecord, Store};
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = std::env::temp_dir().join(format!("clovicharts-bench-store-{}", std::process::id()));
    let store = std::sync::Arc::new(rt.block_on(Store::open(&dir)).expect("store opens"));
    let png = vec![0u8; 15_000];
    let record = || ChartRecord {
        id: uuid::Uuid::new_v4(),
        chart_type: clovicharts::spec::ChartType::Bar,
        theme: clovicharts::spec::ThemeName::Light,
        format: clovicharts::spec::Format::Png,
        width: 800,
        height: 500,
        title: None,
        narrative: None,
        render_ms: 1,
        created_at: chrono::Utc::now(),
        owner: None,
        size_bytes: 15_000,
        visibility: Default::default(),
    };
    let mut group = c.benchmark_group("store");
    group.sample_size(20);
    group.bench_function("save_1", |b| {
        b.iter(|| {
            rt.block_on(store.save(&record(), &png, b"{}"))
                .expect("saved")
        })
    });
    group.bench_function("save_16_concurrent", |b| {
        b.iter(|| {
            rt.block_on(async {
                let saves: Vec<_> = (0..16)
                    .map(|_| {
                        let (store, png) = (store.clone(), png.clone());
                        tokio::spawn(async move { store.save(&record(), &png, b"{}").await })
                    })
                    .collect();
                for s in saves {
                    s.await.expect("joined").expect("saved");
                }
            })
        })
    });
    group.finish();
    rt.block_on(store.close());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A 12-bar, two-series chart with `labels`, a title, a legend and axis titles.
fn labelled(labels: [&str; 12], title: &str, series: [&str; 2]) -> Vec<u8> {
    let data: Vec<u32> = (0..12).map(|i| 100 + (i * 37) % 90).collect();
    serde_json::to_vec(&serde_json::json!({
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [
                { "label": series[0], "data": data },
                { "label": series[1], "data": data.iter().map(|v| v / 2).collect::<Vec<_>>() }
            ]
        },
        "options": {
            "width": 800, "height": 500, "theme": "light", "title": title,
            "scales": { "x": { "title": { "display": true, "text": series[0] } } }
        }
    }))
    .expect("serialises")
}

fn text(c: &mut Criterion) {
    let latin = labelled(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        "Monthly revenue by region",
        ["Revenue", "Costs"],
    );
    let cjk = labelled(
        [
            "一月",
            "二月",
            "三月",
            "四月",
            "五月",
            "六月",
            "七月",
            "八月",
            "九月",
            "十月",
            "十一月",
            "十二月",
        ],
        "各地区月度收入 東京與臺北",
        ["收入", "成本"],
    );
    let mut group = c.benchmark_group("text");
    for (name, json) in [("latin", &latin), ("cjk", &cjk)] {
        let mut shaper = TextShaper::new();
        let mut renderer = CpuRenderer::new();
        let spec = clovicharts::spec::parse_spec(json).expect("bench case is valid");
        group.bench_function(format!("{name}/end_to_end"), |b| {
            b.iter(|| clovicharts::render_chart(black_box(json), &mut shaper, &mut renderer))
        });
        group.bench_function(format!("{name}/layout_cold"), |b| {
            b.iter_batched(
                TextShaper::new,
                |mut cold| clovicharts::layout::layout(black_box(&spec), &mut cold),
                criterion::BatchSize::SmallInput,
            )
        });
        let figure = clovicharts::layout::layout(&spec, &mut shaper);
        group.bench_function(format!("{name}/render"), |b| {
            b.iter(|| renderer.render(black_box(&figure)))
        });
    }
    group.bench_function("shaper_new", |b| b.iter(TextShaper::new));
    group.finish();
}

/// Every type at 1,000 items and at a million (or at its documented item limit, past which the
/// validator refuses it), shaped as clients send them (see [`typed`]), end to end: the large-data
/// target is the big case within 10× of the 1k one. The ratios and the limits are printed.
fn scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    let mut shaper = TextShaper::new();
    let mut renderer = CpuRenderer::new();
    for ty in clovicharts::spec::ChartType::ALL {
        let big =
            clovicharts::spec::budget::item_limit(ty).map_or(1_000_000, |(_, l)| l.min(1_000_000));
        for n in [1_000, big] {
            let json = typed(ty.name(), n);
            clovicharts::render_chart(&json, &mut shaper, &mut renderer)
                .unwrap_or_else(|e| panic!("{} at {n}: {e}", ty.name()));
            group.bench_function(format!("{}/{n}", ty.name()), |b| {
                b.iter(|| clovicharts::render_chart(black_box(&json), &mut shaper, &mut renderer))
            });
        }
    }
    group.finish();
}

/// Render + encode of the same bar, line and scatter at 800×500 and at 2400×1600 (9.6× the
/// pixels): the target is the big canvas within 9.6× of the small one.
fn canvas(c: &mut Criterion) {
    let mut group = c.benchmark_group("canvas");
    let mut shaper = TextShaper::new();
    let mut renderer = CpuRenderer::new();
    let mut scratch = encode::Scratch::default();
    let cases: [(&str, Vec<u8>); 3] = [
        ("bar_4", include_bytes!("cases/a_bar.json").to_vec()),
        ("line_12x3", include_bytes!("cases/b_line.json").to_vec()),
        ("scatter_5000", scatter(5000)),
    ];
    for (name, json) in cases {
        for (w, h) in [(800, 500), (2400, 1600)] {
            let mut spec = clovicharts::spec::parse_spec(&json).expect("bench case is valid");
            spec.options.width = w;
            spec.options.height = h;
            let figure = clovicharts::layout::layout(&spec, &mut shaper);
            let opaque = figure.is_opaque();
            group.bench_function(format!("{name}/{w}x{h}"), |b| {
                b.iter(|| {
                    let image = renderer.render(black_box(&figure)).expect("renders");
                    let px = image.pixels().expect("sized").with_opacity(opaque);
                    scratch.png(px, PngLevel::Fast).map(|p| p.len())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, stages, encoders, store, text, scale, canvas);
criterion_main!(benches);
