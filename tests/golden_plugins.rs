//! Golden-image tests for QuickChart's own types and the plugin options real configs carry, each
//! from the corpus (`tests/realworld/`) unless noted: progress bars (quickchart-docs/chart-types-15,
//! one dataset out of 100; custom-progress-bar-2, a whole of its own and a `$` formatter),
//! chartjs-plugin-datalabels placement and boxes (datalabels-samples/charts-bar: per-dataset
//! `anchor`/`align` on stacked bars; charts-line: boxes in each dataset's colour, `Math.round`
//! as the formatter, `elements.line.tension`), QuickChart's outside pie labels
//! (quickchart-docs/labels-7, `outlabeledPie`), a time axis read through its `time.parser`
//! (quickchart-docs/time-series-1), chartjs-plugin-doughnutlabel's lines in a doughnut's hole
//! (quickchart-docs/chart-types-6, on the white canvas its black text was written for), overlapping bars (written here, in the shape of the
//! application configs that stack only the category axis: actuals over targets), and the box
//! plot plugin's types (boxplot-samples/datavisyn-vertical: statistics objects with outliers and
//! raw arrays, `lowerColor`; datavisyn-mediancolor: `medianColor` and jittered `itemRadius` dots;
//! datavisyn-horizontal-boxplot: rows and `null` categories; quickchart-ci/chart-violin) and
//! QuickChart's radial gauge (boxplot-samples/fitness-frog-completion: `domain`, `trackColor`,
//! `centerPercentage`, a recognised `centerArea.text` formatter) and gauge (quickchart-docs/
//! chart-types-11: bands from sorted limits, the needle, a `valueLabel` with a recognised
//! formatter), and Chart.js's fill targets (chartjs-samples/area-line-datasets: `"-1"`, an index,
//! `"+2"`, `"end"`, `{target: {value}, above, below}`) and monotone curves
//! (chartjs-samples/line-interpolation).
//! CPU renderer, 800×500; same tolerance as every golden (tests/common).
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden_plugins` rewrites the goldens; look at them before
//! committing.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

const CASES: [&str; 16] = [
    "qc_progress_bar",
    "qc_progress_bar_whole",
    "dl_bar_placed",
    "dl_line_boxes",
    "qc_outlabeled_pie",
    "qc_time_parser",
    "cjs_overlapping_bars",
    "qc_doughnut_center",
    "qc_boxplot",
    "qc_boxplot_items",
    "qc_horizontal_boxplot",
    "qc_violin",
    "qc_radial_gauge",
    "qc_gauge",
    "cjs_fill_targets",
    "cjs_monotone",
];

#[test]
fn every_plugin_family() {
    let mut failures = Vec::new();
    for name in CASES {
        if let Err(e) = common::check_golden(name, &common::render(&common::spec_json(name))) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
