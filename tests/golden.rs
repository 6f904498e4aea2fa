//! Golden-image tests: every rendered chart type in every theme at 800×500, plus colliding
//! labels and negative values, on the CPU renderer, compared per pixel with
//! `tests/golden/*.png` (tolerance: see `common::CHANNEL_TOLERANCE` / `MAX_CHANGED_SHARE`).
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites the goldens; look at them before
//! committing.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

#[test]
fn every_type_in_every_theme() {
    let failures = common::check_every_theme(&["bar", "line", "pie", "donut", "scatter"]);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn colliding_labels_and_negative_values() {
    let mut failures = Vec::new();
    for name in ["bar_long_labels", "bar_negative", "line_many_labels"] {
        if let Err(e) = common::check_golden(name, &common::render(&common::spec_json(name))) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn chartjs_options() {
    let mut failures = Vec::new();
    for name in [
        "bar_stacked",
        "line_styled",
        "bar_line_mixed",
        "bar_horizontal",
        // Chart.js's own samples (tests/realworld/chartjs-samples, sources in SOURCES.md):
        // floating bars `[start, end]`, `stepped: true`, stacked areas with negative values,
        // a line stacked on a bar (`stack: "combined"`) and a four-ring pie.
        "bar_floating",
        "cjs_line_stepped",
        "cjs_area_line_stacked",
        "cjs_stacked_bar_line",
        "cjs_multi_series_pie",
    ] {
        if let Err(e) = common::check_golden(name, &common::render(&common::spec_json(name))) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
