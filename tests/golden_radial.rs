//! Golden-image tests for the radial charts (radar, competitive radar, polar area): each in
//! every theme at 800×500, plus one edge case per type, on the CPU renderer, compared with
//! `tests/golden/*.png` as in `tests/golden.rs`. A last test lays out awkward data (no axes,
//! one, two, 200, gaps, all zero, negative, 1e300) at three sizes and checks every coordinate
//! is finite.
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden_radial` rewrites the goldens; look at them before
//! committing.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::figure::{Figure, Item};
use clovicharts::render::{CpuRenderer, Renderer};
use serde_json::{Value, json};

const TYPES: [&str; 3] = ["radar", "competitive_radar", "polar"];

#[test]
fn radial_types_in_every_theme() {
    let failures = common::check_every_theme(&TYPES);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Three axes with negative values; five competitors at the API's 400×280 preview size; a
/// polar chart with an empty (zero) slice.
#[test]
fn radial_edge_cases() {
    let mut failures = Vec::new();
    for name in [
        "radar_negative",
        "competitive_radar_five",
        "polar_zero_slice",
    ] {
        if let Err(e) = common::check_golden(name, &common::render(&common::spec_json(name))) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn check_finite(fig: &Figure, case: &str) {
    for item in &fig.items {
        match item {
            Item::Fill { shape, .. } | Item::Stroke { shape, .. } | Item::PushClip(shape) => {
                assert!(common::shape_is_finite(shape), "{case}: {shape:?}");
            }
            Item::Text(t) => assert!(t.transform.is_finite(), "{case}"),
            Item::PopClip => {}
        }
    }
}

/// Data that has broken radial layouts elsewhere, and the Chart.js dataset options the radar
/// honours: every case must lay out with finite coordinates and render at the requested size.
#[test]
fn awkward_data_stays_finite() {
    let many: Vec<Value> = (0..200).map(|i| json!(format!("Axis {i}"))).collect();
    let wave: Vec<Value> = (0..200).map(|i| json!((i * 37 % 11) as f64)).collect();
    let cases: Vec<(Value, Vec<Value>)> = vec![
        (json!([]), vec![json!([])]),
        (json!(["Only"]), vec![json!([5]), json!([3])]),
        (
            json!(["Left", "Right"]),
            vec![json!([5, 8]), json!([-3, 2])],
        ),
        (
            json!(["a", "b", "c", "d"]),
            vec![json!([null, null, null, null])],
        ),
        (json!(["a", "b", "c", "d"]), vec![json!([0, 0, 0, 0])]),
        (
            json!(["a", "b", "c"]),
            vec![json!([-30, 50, 20]), json!([-5, -45, -1])],
        ),
        (json!(many), vec![json!(wave), json!(wave)]),
        (
            json!(["a", "b", "c", "d", "e"]),
            vec![json!([1e300, f64::MAX, -f64::MAX, 5e-324, null])],
        ),
        (json!(["one label"]), vec![json!([3, 4, null, 6, 7])]),
        (Value::Null, vec![json!([1, 2, 3])]),
    ];
    let options = json!([
        { "data": [5, null, 7, 1e300, 2], "tension": 1, "borderDash": [4, 2], "spanGaps": true },
        { "data": [null, 3, null, 4, null], "pointRadius": 0, "fill": false, "borderWidth": 0 },
        { "data": [9, 9, 9, 9, 9], "hidden": true }
    ]);
    for ty in TYPES {
        let value =
            json!({ "type": ty, "data": { "labels": ["a", "b", "c"], "datasets": options } });
        check_finite(&common::figure(&value), ty);
        for (labels, data) in &cases {
            for (w, h) in [(800, 500), (400, 280), (120, 90)] {
                let datasets: Vec<Value> = data
                    .iter()
                    .enumerate()
                    .map(|(i, d)| json!({ "label": format!("Series {i}"), "data": d }))
                    .collect();
                let mut value = json!({
                    "type": ty,
                    "data": { "datasets": datasets },
                    "options": { "width": w, "height": h, "title": "Edge" }
                });
                if !labels.is_null() {
                    value["data"]["labels"] = labels.clone();
                }
                let fig = common::figure(&value);
                check_finite(&fig, &format!("{ty} {labels} {w}×{h}"));
                let image = CpuRenderer::new().render(&fig).unwrap();
                assert_eq!((image.width, image.height), (w, h));
            }
        }
    }
}
