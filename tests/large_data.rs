//! Large data: the points limit, the fast path for big series, a single-point spike in a
//! million-point line surviving to the PNG, LTTB decimation on request, density scatters
//! (goldens in every theme) and per-pixel dedup of smaller scatters. GPU and CPU binning are
//! compared in `tests/gpu.rs`.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::figure::{Item, Shape};
use clovicharts::layout::density::DENSITY_THRESHOLD;
use clovicharts::render::{CpuRenderer, Renderer};
use clovicharts::spec::{ErrorCode, MAX_POINTS, ThemeName, parse_spec};
use clovicharts::text::TextShaper;

/// A line chart body with `values` written out (as the fast path reads them).
fn line_body(values: &[f64], extra: &str) -> Vec<u8> {
    let mut body = String::with_capacity(values.len() * 6 + 200);
    body.push_str(r##"{"type":"line","data":{"datasets":[{"label":"Signal","borderColor":"#ff0000","data":["##);
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&v.to_string());
    }
    body.push_str(r#"]}]},"options":{"width":800,"height":500,"theme":"light""#);
    body.push_str(extra);
    body.push_str("}}");
    body.into_bytes()
}

#[test]
fn more_than_the_points_limit_is_one_clear_error() {
    let mut body = String::from(r#"{"type":"line","data":{"datasets":[{"data":["#);
    body.push_str(&"0,".repeat(MAX_POINTS));
    body.push_str("0]}]}}");
    let errors = parse_spec(body.as_bytes()).unwrap_err();
    assert_eq!(errors.errors.len(), 1, "{errors}");
    let e = &errors.errors[0];
    assert_eq!(e.code, ErrorCode::ValidationError);
    assert_eq!(e.path, "/data/datasets");
    assert!(
        e.message.contains("10,000,001") && e.message.contains("10,000,000"),
        "{}",
        e.message
    );
    assert!(e.hint.is_some());
}

#[test]
fn fast_path_reads_big_series_like_the_general_path() {
    let mut next = common::lcg(7);
    let values: Vec<f64> = (0..50_000)
        .map(|_| ((next() * 2e4 - 1e4) * 100.0).round() / 100.0)
        .collect();
    let body = line_body(&values, "");
    let spec = parse_spec(&body).unwrap();
    let general = clovicharts::spec::from_value(&serde_json::from_slice(&body).unwrap()).unwrap();
    assert_eq!(spec, general);
    // A point-level mistake in a big body is reported exactly as the general path does.
    let mut bad = String::from_utf8(body).unwrap();
    bad = bad.replacen(r#""data":["#, r#""data":["twelve","#, 1);
    let fast = parse_spec(bad.as_bytes()).unwrap_err();
    let general = clovicharts::spec::from_value(&serde_json::from_str(&bad).unwrap()).unwrap_err();
    assert_eq!(fast, general);
    assert_eq!(fast.errors[0].path, "/data/datasets/0/data/0");
}

#[test]
fn a_single_point_spike_in_a_million_survives_to_the_png() {
    // Values in [0, 10) and one point at 1000: the axis tops out at 1000, so the spike must
    // reach the top grid line in its pixel column and nowhere else.
    let n = 1_000_000;
    let spike = 612_345;
    let mut next = common::lcg(11);
    let mut values: Vec<f64> = (0..n).map(|_| (next() * 1000.0).round() / 100.0).collect();
    values[spike] = 1000.0;
    let body = line_body(&values, "");
    let mut shaper = TextShaper::new();
    let out = clovicharts::render_chart(&body, &mut shaper, &mut CpuRenderer::new()).unwrap();
    let image = common::decode(&out.bytes);
    let (w, h) = (image.width as usize, image.height as usize);
    let px = |x: usize, y: usize| {
        let i = (y * w + x) * 4;
        [image.data[i], image.data[i + 1], image.data[i + 2]]
    };
    let red = |c: [u8; 3]| c[0] > 200 && c[1] < 120 && c[2] < 120;
    // The top grid line: the highest row that is mostly the light theme's grid colour.
    let grid = |c: [u8; 3]| c == [0xe5, 0xe7, 0xeb];
    let top_grid = (0..h)
        .find(|&y| (0..w).filter(|&x| grid(px(x, y))).count() > w / 2)
        .unwrap();
    // Per column, the highest red pixel in the plot (the legend's red swatch sits above it).
    let plot_top = top_grid.saturating_sub(4);
    let tops: Vec<Option<usize>> = (0..w)
        .map(|x| (plot_top..h).find(|&y| red(px(x, y))))
        .collect();
    let line_cols: Vec<usize> = (0..w).filter(|&x| tops[x].is_some()).collect();
    let (first, last) = (line_cols[0], *line_cols.last().unwrap());
    let reaching: Vec<usize> = line_cols
        .iter()
        .copied()
        .filter(|&x| tops[x].unwrap() <= top_grid + 3)
        .collect();
    assert!(
        !reaching.is_empty(),
        "the spike does not reach the top grid line at y={top_grid}"
    );
    // Only the spike's own columns reach up there, where its index puts it.
    let expected = first as f64 + (last - first) as f64 * spike as f64 / (n - 1) as f64;
    for &x in &reaching {
        assert!(
            (x as f64 - expected).abs() <= 3.0,
            "column {x} reaches the top; spike expected at {expected:.1}"
        );
    }
    // The rest of the line stays down in the lower part of the plot.
    let low = line_cols
        .iter()
        .filter(|&&x| (x as f64 - expected).abs() > 4.0)
        .all(|&x| tops[x].unwrap() > h / 2);
    assert!(low, "other columns reach up");
}

#[test]
fn lttb_draws_the_requested_number_of_points() {
    // A slow wave over 200,000 points: with `plugins.decimation` LTTB the line is `samples`
    // points; without it, min-max keeps up to four per pixel column.
    let n = 200_000;
    let values: Vec<f64> = (0..n)
        .map(|i| ((f64::from(i) / 5000.0).sin() * 1000.0).round() / 10.0)
        .collect();
    let points_drawn = |extra: &str| {
        let spec = parse_spec(&line_body(&values, extra)).unwrap();
        let figure = clovicharts::layout::layout(&spec, &mut TextShaper::new());
        // The series is the one red stroke; count its path's points.
        figure
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Stroke {
                    shape: Shape::Path(path),
                    color,
                    ..
                } if *color == peniko::Color::from_rgb8(0xff, 0, 0) => Some(path.elements().len()),
                _ => None,
            })
            .sum::<usize>()
    };
    let lttb = points_drawn(
        r#","plugins":{"decimation":{"enabled":true,"algorithm":"lttb","samples":300}}"#,
    );
    assert_eq!(lttb, 300, "LTTB keeps exactly `samples` points");
    let minmax = points_drawn("");
    assert!(
        minmax > 1000 && minmax <= 4 * 800,
        "min-max: {minmax} points"
    );
    // Disabled, or under its threshold: the default.
    let off = points_drawn(r#","plugins":{"decimation":{"enabled":false,"algorithm":"lttb"}}"#);
    assert_eq!(off, minmax);
    let under = points_drawn(
        r#","plugins":{"decimation":{"enabled":true,"algorithm":"lttb","threshold":1000000}}"#,
    );
    assert_eq!(under, minmax);
}

#[test]
fn density_scatter_goldens() {
    let mut failures = Vec::new();
    let mut shaper = TextShaper::new();
    let mut renderer = CpuRenderer::new();
    for theme in ThemeName::ALL {
        let spec = parse_spec(&common::cloud(120_000, theme)).unwrap();
        let figure = clovicharts::layout::layout(&spec, &mut shaper);
        // A density picture is a handful of fills, not 120,000 circles.
        assert!(figure.items.len() < 200, "{} items", figure.items.len());
        let image = renderer.render(&figure).unwrap();
        if let Err(e) = common::check_golden(&format!("scatter_density_{}", theme.name()), &image) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn below_the_threshold_points_on_one_pixel_are_drawn_once() {
    // 40,000 points on a 20 × 20 lattice: 400 distinct pixels.
    let points: Vec<serde_json::Value> = (0..40_000)
        .map(|i| serde_json::json!({"x": i % 20, "y": (i / 20) % 20}))
        .collect();
    assert!(points.len() <= DENSITY_THRESHOLD);
    let spec = serde_json::json!({"type": "scatter", "data": {"datasets": [{"data": points}]}});
    let figure = common::figure(&spec);
    let lattice: Vec<serde_json::Value> = (0..400)
        .map(|i| serde_json::json!({"x": i % 20, "y": i / 20}))
        .collect();
    let once = common::figure(
        &serde_json::json!({"type": "scatter", "data": {"datasets": [{"data": lattice}]}}),
    );
    // Same axes, same circles: the picture of 40,000 points is the picture of 400.
    assert_eq!(figure.complexity(), once.complexity());
}
