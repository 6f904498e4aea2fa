//! The box plot plugin's types (chartjs-chart-box-and-violin-plot, as QuickChart ships it) and
//! QuickChart's radial gauge, as the validator reads them (issue 14 item 1): arrays of samples
//! summarised per category, statistics given whole, the plugin's element options, and the gauge rewritten into its doughnut.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

use clovicharts::spec::distribution::DistributionKind;
use clovicharts::spec::{ChartSpec, ChartType, DataPoint, ErrorCode, from_value};
use serde_json::{Value, json};

fn ok(value: &Value) -> ChartSpec {
    from_value(value).unwrap_or_else(|e| panic!("expected a valid spec, got {e:?}"))
}

#[test]
fn a_boxplot_summarises_each_category_of_samples() {
    let s = ok(&json!({
        "type": "boxplot",
        "data": {"labels": ["a", "b", "c"], "datasets": [{
            "label": "Data",
            "data": [[12, 6, 3, 4], null, {"min": 1, "q1": 2, "median": 3, "q3": 4, "max": 5, "outliers": [9]}],
            "outlierColor": "#999", "medianColor": "blue", "lowerColor": "#461e7d"
        }]}
    }));
    assert_eq!(s.chart_type, ChartType::Bar);
    assert!(!s.options.horizontal);
    let ds = &s.datasets[0];
    assert_eq!(
        ds.data[0],
        DataPoint::Summary {
            median: 5.0,
            row: 0
        }
    );
    assert_eq!(ds.data[1], DataPoint::Missing);
    let samples = ds.samples.as_ref().unwrap();
    assert_eq!(samples.kind, DistributionKind::Box);
    let first = &samples.summaries[0];
    assert_eq!([first.q1, first.median, first.q3], [3.75, 5.0, 7.5]);
    assert_eq!(
        ds.reach(&ds.data[2]),
        Some((1.0, 9.0)),
        "outliers widen the axis"
    );
    assert!(samples.look.outlier_color.is_some() && samples.look.lower_color.is_some());
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn violins_and_horizontal_forms_and_dataset_types() {
    let s = ok(
        &json!({"type": "horizontalViolin", "data": {"datasets": [{"data": [[1, 2, 2, 3, 9]]}]}}),
    );
    assert!(s.options.horizontal);
    let samples = s.datasets[0].samples.as_ref().unwrap();
    assert_eq!(samples.kind, DistributionKind::Violin);
    assert!(samples.summaries[0].density.len() > 50);
    // A dataset of a bar chart that says it is a box plot; its neighbour's pairs stay floating bars.
    let s = ok(&json!({"type": "bar", "data": {"datasets": [
        {"type": "boxplot", "data": [[1, 2, 3], [4, 5, 6]]},
        {"data": [[1, 2], [3, 4]]}
    ]}}));
    assert!(s.datasets[0].samples.is_some());
    assert_eq!(s.datasets[1].data[0], DataPoint::Range { lo: 1.0, hi: 2.0 });
}

#[test]
fn a_bad_sample_or_statistic_is_refused_at_its_path() {
    let e =
        from_value(&json!({"type": "boxplot", "data": {"datasets": [{"data": [[1, "x", 3]]}]}}))
            .unwrap_err();
    let e = &e.errors[0];
    assert_eq!(e.code, ErrorCode::ValidationError);
    assert_eq!(e.path, "/data/datasets/0/data/0");
    let e = from_value(
        &json!({"type": "boxplot", "data": {"datasets": [{"data": [{"min": 1, "median": 2}]}]}}),
    )
    .unwrap_err();
    assert!(
        e.errors
            .iter()
            .any(|e| e.path == "/data/datasets/0/data/0/q1"),
        "{e:?}"
    );
}

#[test]
fn a_radial_gauge_is_its_doughnut() {
    let s = ok(&json!({
        "type": "radialGauge",
        "data": {"datasets": [{"data": [70], "backgroundColor": "green"}]}
    }));
    assert_eq!(s.chart_type, ChartType::Donut);
    assert_eq!(s.datasets.len(), 1);
    assert_eq!(
        s.datasets[0].data,
        vec![DataPoint::Value(70.0), DataPoint::Value(30.0)]
    );
    assert_eq!(s.options.legend, Some(false));
    let centre = &s.options.center_labels;
    assert_eq!(centre.len(), 1);
    assert_eq!(centre[0].text, "70");
    assert!(centre[0].fit);
}
