//! Golden-image tests for the Chart.js option families: a second y axis with declarative tick
//! formats, logarithmic and time axes, legend positions with `layout.padding`, data labels on
//! grouped, negative and stacked bars, pie `rotation` without labels on a request
//! `backgroundColor`, a half-donut gauge (`cutout`, `rotation`, `circumference`), point styles
//! with `order`, `scales.r` on a radar, `devicePixelRatio: 2`, and the x axis on top
//! (`position: "top"`: rotated categories with an axis title, horizontal bars, a time axis),
//! chartjs-plugin-annotation marks in both dialects, value axes on the sides their `position`
//! names (with `reverse` and `suggestedMin/Max`), and bubbles.
//! CPU renderer, 800×500 unless the spec says otherwise; same tolerance as every golden
//! (tests/common).
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden_options` rewrites the goldens; look at them before
//! committing.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use serde_json::json;

const CASES: [&str; 21] = [
    "options_dual_axis",
    "options_log_axis",
    "options_time_axis",
    "options_legend_bottom_padding",
    "options_legend_left",
    "options_data_labels",
    "options_stacked_labels",
    "options_pie_no_labels",
    "options_gauge",
    "options_radar_r_axis",
    "options_retina",
    "options_x_top",
    "options_x_top_horizontal",
    "options_x_top_time",
    // chartjs-plugin-annotation, from the corpus: annotation-samples/charts-bar (v4 lines by
    // category label and index, a box under the bars), annotation-samples/box-quarters (boxes
    // with labels before the line) and quickchart-docs/labels-6 (the v2 plugin's `mode`).
    "annotations_bar",
    "annotations_box_labels",
    "annotations_v2_line",
    // Axes and bubbles, from the corpus: quickchart-docs/axes-1 (v2: the first dataset on the
    // right-hand axis, stacked bars on the left), chartjs-samples/other-charts-scatter-multi-axis
    // (a reversed second axis on the right without gridlines), scales-linear-min-max-suggested
    // and other-charts-bubble.
    "qc_axes_sides_v2",
    "cjs_scatter_multi_axis",
    "cjs_suggested_min_max",
    "cjs_bubble",
];

#[test]
fn every_option_family() {
    let mut failures = Vec::new();
    for name in CASES {
        if let Err(e) = common::check_golden(name, &common::render(&common::spec_json(name))) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn retina_is_the_same_layout_at_twice_the_pixels() {
    let mut spec = common::spec_json("options_retina");
    let big = common::render(&spec);
    spec.as_object_mut().unwrap().remove("devicePixelRatio");
    let small = common::render(&spec);
    assert_eq!((big.width, big.height), (800, 500));
    assert_eq!((small.width, small.height), (400, 250));
    // Downsampled 2×2, the retina image matches the plain one closely (text and edges are
    // antialiased differently, so compare the mean only).
    let mut total = 0.0;
    for y in 0..250 {
        for x in 0..400 {
            let px = |img: &clovicharts::render::Image, x: u32, y: u32| {
                let i = ((y * img.width + x) * 4) as usize;
                [img.data[i], img.data[i + 1], img.data[i + 2]]
            };
            let s = px(&small, x, y);
            let mut acc = [0f64; 3];
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                let b = px(&big, 2 * x + dx, 2 * y + dy);
                for c in 0..3 {
                    acc[c] += f64::from(b[c]) / 4.0;
                }
            }
            total += (0..3)
                .map(|c| (acc[c] - f64::from(s[c])).abs())
                .sum::<f64>()
                / 3.0;
        }
    }
    let mean = total / (400.0 * 250.0);
    assert!(mean < 4.0, "mean channel difference {mean}");
}

#[test]
fn transparent_background_keeps_straight_alpha() {
    let mut spec = common::spec_json("options_retina");
    spec["backgroundColor"] = "transparent".into();
    spec.as_object_mut().unwrap().remove("devicePixelRatio");
    let img = common::render(&spec);
    let at = |x: u32, y: u32| {
        let i = ((y * img.width + x) * 4) as usize;
        [
            img.data[i],
            img.data[i + 1],
            img.data[i + 2],
            img.data[i + 3],
        ]
    };
    assert_eq!(at(1, 1)[3], 0, "the canvas is clear");
    // Straight alpha: every partly covered pixel of the (opaque) bars keeps the bar's colour
    // channels rather than being darkened towards black.
    let translucent: Vec<[u8; 4]> = img
        .data
        .chunks_exact(4)
        .map(|p| [p[0], p[1], p[2], p[3]])
        .filter(|p| p[3] > 0 && p[3] < 255)
        .collect();
    assert!(!translucent.is_empty());
    let darkest = translucent
        .iter()
        .filter(|p| p[3] > 64)
        .map(|p| u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]))
        .min()
        .unwrap();
    assert!(darkest > 60, "edges darkened: {darkest}");
}

/// The glyph counts of the tick-label runs left and right of the canvas's middle, above the x
/// axis's labels.
fn side_label_glyphs(spec: &serde_json::Value) -> (Vec<usize>, Vec<usize>) {
    let figure = common::figure(spec);
    let (w, h) = (f64::from(figure.width), f64::from(figure.height));
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for item in &figure.items {
        let clovicharts::figure::Item::Text(t) = item else {
            continue;
        };
        let [_, _, _, _, x, y] = t.transform.as_coeffs();
        if y < h * 0.05 || y > h * 0.85 {
            continue;
        }
        let side = if x < w / 2.0 { &mut left } else { &mut right };
        side.push(t.run.glyphs.len());
    }
    (left, right)
}

#[test]
fn each_value_axis_is_drawn_on_the_side_its_position_names() {
    // Hundreds of thousands on the left-hand axis ("200k": three glyphs or more), tens on the
    // right (two at most).
    let big = json!([150000, 250000, 350000, 450000]);
    let small = json!([0, 10, 20, 40]);
    let v2 = json!({
        "type": "bar",
        "data": {"labels": ["a", "b", "c", "d"], "datasets": [
            {"type": "line", "label": "tens", "yAxisID": "r", "data": small, "fill": false},
            {"label": "thousands", "yAxisID": "l", "data": big}
        ]},
        "options": {"legend": {"display": false}, "scales": {"yAxes": [
            {"id": "l", "position": "left"}, {"id": "r", "position": "right"}
        ]}}
    });
    let v3 = json!({
        "type": "scatter",
        "data": {"datasets": [
            {"label": "tens", "yAxisID": "y2", "data": [{"x": 1, "y": 0}, {"x": 2, "y": 40}]},
            {"label": "thousands", "yAxisID": "y", "data": [{"x": 1, "y": 150000}, {"x": 2, "y": 450000}]}
        ]},
        "options": {"plugins": {"legend": {"display": false}}, "scales": {
            "y2": {"position": "right"}, "y": {"position": "left"}
        }}
    });
    for (name, spec) in [("v2 bar + line", v2), ("v3 scatter", v3)] {
        let (left, right) = side_label_glyphs(&spec);
        assert!(
            left.len() >= 3 && right.len() >= 3,
            "{name}: {left:?} {right:?}"
        );
        assert!(left.iter().all(|&n| n >= 3), "{name}: left {left:?}");
        assert!(right.iter().all(|&n| n <= 2), "{name}: right {right:?}");
    }
}

#[test]
fn a_transparent_border_hides_the_line_but_not_its_points() {
    let red = |c: &peniko::Color| {
        let c = c.to_rgba8();
        // Scatter points are drawn at 80 % opacity.
        (c.r, c.g, c.b) == (255, 0, 0) && c.a > 128
    };
    for ty in ["line", "scatter"] {
        let spec = json!({
            "type": ty,
            "data": {"labels": ["a", "b", "c"], "datasets": [{
                "label": "s", "borderColor": "transparent", "backgroundColor": "red",
                "data": [{"x": 1, "y": 1}, {"x": 2, "y": 3}, {"x": 3, "y": 2}]
            }]},
            "options": {"plugins": {"legend": {"display": false}}}
        });
        let figure = common::figure(&spec);
        let red_fills = figure
            .items
            .iter()
            .filter(|i| matches!(i, clovicharts::figure::Item::Fill { color, .. } if red(color)))
            .count();
        assert!(red_fills >= 1, "{ty}: no point drawn in the fill colour");
        let visible_strokes_of_the_line = figure
            .items
            .iter()
            .any(|i| matches!(i, clovicharts::figure::Item::Stroke { color, .. } if red(color)));
        assert!(!visible_strokes_of_the_line, "{ty}");
    }
}
