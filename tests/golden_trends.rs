//! Golden-image tests for the trend charts (sparkline, slope, heat calendar): each in every
//! theme at 800×500, plus a 200×50 filled sparkline, a slope chart whose end labels collide, and
//! a year-long heat calendar from date labels; and a sweep of degenerate specs at tiny to poster
//! sizes that must lay out with finite coordinates and render.
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden_trends` rewrites the goldens; look at them before
//! committing.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::figure::Item;
use clovicharts::render::{CpuRenderer, Renderer};
use clovicharts::spec::ThemeName;
use serde_json::{Value, json};

#[test]
fn every_trend_type_in_every_theme() {
    let failures = common::check_every_theme(&["sparkline", "slope", "heatcalendar"]);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn small_sparkline_colliding_slope_labels_and_a_year_of_days() {
    let mut failures = Vec::new();
    for name in ["sparkline_small", "slope_overlap", "heatcalendar_year"] {
        if let Err(e) = common::check_golden(name, &common::render(&common::spec_json(name))) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Degenerate data for every trend type: `(type, labels, datasets)`.
fn edge_cases() -> Vec<(&'static str, Value, Value)> {
    let big = f64::MAX;
    let long: Vec<f64> = (0..100_000).map(|i| (f64::from(i) * 0.01).sin()).collect();
    let many: Vec<String> = (0..200).map(|i| format!("Category {i}")).collect();
    let many_a: Vec<f64> = (0..200).map(f64::from).collect();
    let many_b: Vec<f64> = (0..200).map(|i| f64::from(200 - i)).collect();
    // Three years and more of consecutive days: only the last 53 weeks are drawn.
    let epoch = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let years: Vec<String> = (0..1200)
        .map(|d| {
            (epoch + chrono::Days::new(d))
                .format("%Y-%m-%d")
                .to_string()
        })
        .collect();
    let ones: Vec<f64> = vec![1.0; years.len()];
    let mut cases = Vec::new();
    for ty in ["sparkline", "slope", "heatcalendar"] {
        cases.extend([
            (ty, json!([]), json!([{ "data": [] }])),
            (ty, json!(["A"]), json!([{ "data": [5] }])),
            (ty, json!(["A", "B", "C"]), json!([{ "data": [null, null, null] }])),
            (ty, json!([]), json!([{ "data": [0, 0, 0] }, { "data": [0, 0, 0] }])),
            (ty, json!([]), json!([{ "data": [-5, -50, -1] }, { "data": [-3, -80, 2] }])),
            (ty, json!([]), json!([{ "data": [1e300, -1e300, 0] }, { "data": [-1e300, 1e300, 1] }])),
            (ty, json!([]), json!([{ "data": [big, -big, 5e-324] }, { "data": [-big, big, 0] }])),
            (ty, json!([]), json!([{ "data": [{ "x": 1, "y": 2 }, { "x": 1, "y": 9 }, null] }])),
            (ty, json!([]), json!([{ "data": [{ "date": "2026-03-01", "value": 4 }, { "date": "2026-03-01", "value": big }] }])),
            (ty, json!(["x", "2026-13-45", "2026-02-29", "", "2026-02-27T10:00:00Z"]),
                json!([{ "data": [1, 2, 3, 4, 5] }])),
            (ty, json!(years), json!([{ "data": ones }])),
            (ty, json!(["0001-01-01", "9999-12-31"]), json!([{ "data": [1, 2] }])),
            (ty, json!(many), json!([{ "data": many_a, "label": "" }, { "data": many_b, "label": "x".repeat(300) }])),
            (ty, json!([]), json!([{ "data": long.clone(), "fill": true, "borderWidth": 0 }])),
            (ty, json!(["A", "B"]), json!([{ "data": [1, 2] }, { "data": [null, 3] }, { "data": [4, 5] }])),
        ]);
    }
    cases
}

#[test]
fn degenerate_specs_stay_finite_at_every_size() {
    let sizes = [(16, 16), (200, 50), (60, 400), (800, 500), (2400, 1600)];
    for (ty, labels, datasets) in edge_cases() {
        for (k, &(w, h)) in sizes.iter().enumerate() {
            let theme = ThemeName::ALL[k % 3].name();
            let value = json!({
                "type": ty,
                "data": { "labels": labels, "datasets": datasets },
                "options": { "width": w, "height": h, "theme": theme, "title": "Edge case" }
            });
            let points = value["data"]["datasets"].as_array().map_or(0, |d| {
                d.iter()
                    .map(|s| s["data"].as_array().map_or(0, Vec::len))
                    .max()
                    .unwrap_or(0)
            });
            if ty == "slope" && points > clovicharts::spec::budget::MAX_LABELLED_ITEMS {
                // Past its documented limit a slope chart is refused before any work.
                let err = clovicharts::spec::from_value(&value).unwrap_err();
                assert!(format!("{err:?}").contains("labelled items"), "{err:?}");
                continue;
            }
            let figure = common::figure(&value);
            for item in &figure.items {
                match item {
                    Item::Fill { shape, .. }
                    | Item::Stroke { shape, .. }
                    | Item::PushClip(shape) => {
                        assert!(
                            common::shape_is_finite(shape),
                            "{ty} {w}×{h}: non-finite {shape:?}"
                        );
                    }
                    Item::Text(t) => assert!(t.transform.is_finite(), "{ty} {w}×{h}"),
                    Item::PopClip => {}
                }
            }
            // Rendering every case at poster size is slow; the layout check is what matters.
            if w <= 800 {
                let image = CpuRenderer::new().render(&figure).unwrap();
                assert_eq!(image.data.len(), (w * h * 4) as usize);
            }
        }
    }
}

#[test]
fn long_sparklines_are_decimated() {
    let data: Vec<f64> = (0..200_000).map(|i| (f64::from(i) * 0.001).sin()).collect();
    let value = json!({
        "type": "sparkline",
        "data": { "datasets": [{ "data": data, "fill": true }] },
        "options": { "width": 400, "height": 100 }
    });
    let figure = common::figure(&value);
    // Four points per pixel column at most, for the line and for the fill.
    assert!(
        figure.complexity() < 2 * 4 * 400 + 100,
        "{}",
        figure.complexity()
    );
}
