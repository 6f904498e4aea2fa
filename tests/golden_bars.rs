//! Golden-image tests for the funnel, bullet, lollipop and waterfall charts: each type in every
//! theme at 800×500, plus the cases that exercise their own layout (a sorted horizontal
//! lollipop, a waterfall whose running total goes negative, a bullet chart from named datasets,
//! a funnel at the API's 400×280 preview size), on the CPU renderer.
//!
//! A second test lays out degenerate data (no labels, one label, all nulls, all zeros, negative,
//! huge and many values) at three sizes and checks that every coordinate stays finite.
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden_bars` rewrites the goldens; look at them before
//! committing.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::figure::Item;
use serde_json::{Value, json};

const TYPES: [&str; 4] = ["funnel", "bullet", "lollipop", "waterfall"];

#[test]
fn every_type_in_every_theme() {
    let failures = common::check_every_theme(&TYPES);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sorted_negative_named_and_small() {
    let mut failures = Vec::new();
    for name in [
        "lollipop_horizontal_sorted",
        "waterfall_negative",
        "bullet_datasets",
    ] {
        if let Err(e) = common::check_golden(name, &common::render(&common::spec_json(name))) {
            failures.push(e);
        }
    }
    let mut preview = common::spec_json("funnel");
    preview["options"]["width"] = 400.into();
    preview["options"]["height"] = 280.into();
    if let Err(e) = common::check_golden("funnel_preview", &common::render(&preview)) {
        failures.push(e);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Degenerate data sets, as `(labels, datasets)`.
fn degenerate() -> Vec<(&'static str, Value, Value)> {
    let many: Vec<String> = (0..200).map(|i| format!("Category {i}")).collect();
    let wave: Vec<f64> = (0..200)
        .map(|i| (f64::from(i) / 7.0).sin() * 50.0)
        .collect();
    vec![
        ("no labels", json!([]), json!([{ "data": [] }])),
        ("one label", json!(["Only"]), json!([{ "data": [42] }])),
        (
            "all nulls",
            json!(["a", "b", "c"]),
            json!([{ "data": [null, null, null] }]),
        ),
        (
            "all zero",
            json!(["a", "b", "c"]),
            json!([{ "data": [0, 0, 0] }]),
        ),
        (
            "negative",
            json!(["a", "b", "c", "d"]),
            json!([{ "data": [-5, -20, 3, -8] }]),
        ),
        (
            "huge",
            json!(["a", "b", "total", "d"]),
            json!([{ "data": [1e300, -1e300, f64::MAX, -f64::MAX] }]),
        ),
        (
            "tiny",
            json!(["a", "b"]),
            json!([{ "data": [5e-324, 1e-300] }]),
        ),
        ("many", json!(many), json!([{ "data": wave }])),
        (
            "several datasets",
            json!(["a", "b", "c"]),
            json!([
                { "label": "value", "data": [3, null, 9] },
                { "label": "target", "data": [4, 5, null] },
                { "label": "ranges", "data": [2, 6, 10] },
                { "label": "other", "data": [{ "x": 1, "y": 2 }, 7, -1] }
            ]),
        ),
        (
            "bullet points",
            json!(["a", "b"]),
            json!([{ "data": [
                { "value": -40, "target": 1e300, "ranges": [-50, 0, 5e300] },
                { "value": 0, "ranges": [] }
            ] }]),
        ),
    ]
}

#[test]
fn degenerate_data_lays_out_finite() {
    for ty in TYPES {
        for (case, labels, datasets) in degenerate() {
            for (w, h) in [(800, 500), (400, 280), (2400, 1600), (120, 60)] {
                for (horizontal, sort) in [("x", "none"), ("y", "desc"), ("x", "asc")] {
                    let value = json!({
                        "type": ty,
                        "data": { "labels": labels, "datasets": datasets },
                        "options": {
                            "width": w, "height": h, "title": case,
                            "indexAxis": horizontal, "sort": sort
                        }
                    });
                    let figure = common::figure(&value);
                    for item in &figure.items {
                        let ok = match item {
                            Item::Fill { shape, .. }
                            | Item::Stroke { shape, .. }
                            | Item::PushClip(shape) => common::shape_is_finite(shape),
                            Item::Text(t) => t.transform.is_finite(),
                            Item::PopClip => true,
                        };
                        assert!(ok, "{ty} / {case} at {w}×{h}: non-finite {item:?}");
                    }
                }
            }
        }
    }
}
