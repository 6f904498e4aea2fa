//! QuickChart's chart types and the plugin options real configs carry (issue 14): the
//! `progressBar` type, chartjs-plugin-datalabels styling (chart and dataset level, recognised
//! `formatter`s), `outlabeledPie` / `plugins.outlabels`, and a time axis's `time.parser`.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

use clovicharts::spec::label_style::{LabelAlign, LabelAnchor};
use clovicharts::spec::{ChartSpec, ChartType, DataPoint, ErrorCode, from_value};
use serde_json::{Value, json};

fn ok(value: &Value) -> ChartSpec {
    from_value(value).unwrap_or_else(|e| panic!("expected a valid spec, got {e:?}"))
}

#[test]
fn a_progress_bar_is_a_value_bar_over_its_track() {
    let s = ok(&json!({"type": "progressBar", "data": {"datasets": [{"data": [72]}]}}));
    assert_eq!(s.chart_type, ChartType::Bar);
    assert!(s.options.horizontal);
    assert_eq!(s.datasets.len(), 2, "the implicit whole of 100 is added");
    assert_eq!(s.datasets[1].data, vec![DataPoint::Value(100.0)]);
    // The bars overlap from zero: the category axis is stacked, the value axis is not.
    assert!(s.options.y_axis.stacked && !s.options.x_axis.stacked);
    assert_eq!(s.options.legend, Some(false));
    let labels = &s.options.label_style;
    assert_eq!(labels.anchor, Some(LabelAnchor::Center));
    assert_eq!(labels.format.as_ref().unwrap().suffix, "%");
    assert_eq!(s.datasets[1].style.labels.display, Some(false));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn a_progress_bar_of_another_shape_says_what_it_takes() {
    for sets in [
        json!([{"data": [1]}, {"data": [2]}, {"data": [3]}]),
        json!([{"data": [1, 2]}, {"data": [3]}]),
    ] {
        let e =
            from_value(&json!({"type": "progressBar", "data": {"datasets": sets}})).unwrap_err();
        let e = e
            .errors
            .iter()
            .find(|e| e.path == "/data/datasets")
            .unwrap_or_else(|| panic!("{e:?}"));
        assert_eq!(e.code, ErrorCode::ValidationError);
        assert!(e.message.contains("one dataset"), "{}", e.message);
    }
}

#[test]
fn datalabels_styling_is_read_for_the_chart_and_each_dataset() {
    let s = ok(&json!({
        "type": "bar",
        "data": {"labels": ["a", "b"], "datasets": [
            {"data": [1, 2], "datalabels": {"align": "end", "anchor": "start", "offset": 8}},
            {"data": [3, 4], "datalabels": {"align": 45, "color": "red", "display": false}}
        ]},
        "options": {"plugins": {"datalabels": {
            "color": "white", "backgroundColor": "rgba(0,0,0,0.5)", "borderRadius": 4,
            "font": {"weight": "bold", "size": 16}, "padding": {"top": 2, "left": 6},
            "formatter": "(value) => value + '%'"
        }}}
    }));
    let chart = &s.options.label_style;
    assert_eq!(chart.size, Some(16.0));
    assert_eq!(chart.bold, Some(true));
    assert_eq!(chart.border_radius, Some(4.0));
    assert_eq!(chart.padding, Some([2.0, 4.0, 4.0, 6.0]));
    assert_eq!(chart.format.as_ref().unwrap().suffix, "%");
    let first = chart.merged(&s.datasets[0].style.labels);
    assert_eq!(first.anchor, Some(LabelAnchor::Start));
    assert_eq!(first.align, Some(LabelAlign::End));
    assert_eq!(first.offset, Some(8.0));
    assert_eq!(
        first.color, chart.color,
        "the chart's colour where the dataset gives none"
    );
    let second = chart.merged(&s.datasets[1].style.labels);
    assert_eq!(second.align, Some(LabelAlign::Degrees(45.0)));
    assert_eq!(second.display, Some(false));
    assert_ne!(second.color, chart.color);
    // The recognised formatter is not a dropped function: no warning about it.
    assert!(
        !s.warnings.iter().any(|w| w.path.contains("formatter")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn a_bad_label_style_is_a_warning_not_a_refusal() {
    let s = ok(&json!({
        "type": "bar",
        "data": {"labels": ["a"], "datasets": [{"data": [1], "datalabels": {"anchor": "middle"}}]},
        "options": {"plugins": {"datalabels": {"color": "not-a-colour", "offset": -3,
                                               "align": "sideways", "font": {"size": 1000}}}}
    }));
    for path in [
        "/data/datasets/0/datalabels/anchor",
        "/options/plugins/datalabels/color",
        "/options/plugins/datalabels/offset",
        "/options/plugins/datalabels/align",
        "/options/plugins/datalabels/font/size",
    ] {
        assert!(
            s.warnings.iter().any(|w| w.path == path),
            "no warning at {path}: {:?}",
            s.warnings
        );
    }
    assert_eq!(s.options.label_style.color, None);
}

#[test]
fn an_outlabeled_pie_is_a_pie_with_outside_labels() {
    let s = ok(&json!({
        "type": "outlabeledPie",
        "data": {"labels": ["ONE", "TWO"], "datasets": [{"data": [1, 3]}]},
        "options": {"plugins": {"legend": false, "outlabels": {"text": "%l %p", "color": "white", "stretch": 35}}}
    }));
    assert_eq!(s.chart_type, ChartType::Pie);
    let o = s.options.outlabels.as_ref().unwrap();
    assert_eq!(o.stretch, 35.0);
    assert_eq!(o.text_for("ONE", 1.0, 0.25), "ONE 25.0%");
    let d = ok(&json!({"type": "outlabeledDoughnut", "data": {"datasets": [{"data": [1]}]}}));
    assert_eq!(d.chart_type, ChartType::Donut);
    assert!(d.options.outlabels.is_some(), "on by default for the type");
    let plain = ok(&json!({"type": "pie", "data": {"datasets": [{"data": [1]}]}}));
    assert!(plain.options.outlabels.is_none());
}

#[test]
fn a_time_parser_reads_the_points_and_labels_it_names() {
    let points = ok(&json!({
        "type": "line",
        "data": {"datasets": [{"data": [{"x": "06/14/2020 09:08", "y": 1}, {"x": "06/19/2020 09:08", "y": 2}]}]},
        "options": {"scales": {"xAxes": [{"type": "time", "time": {"parser": "MM/DD/YYYY HH:mm"}}]}}
    }));
    let x = |p: &DataPoint| match p {
        DataPoint::Point { x, .. } => *x,
        other => panic!("{other:?}"),
    };
    let first = x(&points.datasets[0].data[0]);
    assert_eq!(first, 1_592_125_680_000.0);
    assert_eq!(x(&points.datasets[0].data[1]) - first, 5.0 * 86_400_000.0);
    let labels = ok(&json!({
        "type": "line",
        "data": {"labels": ["14.06.2020", "15.06.2020"], "datasets": [{"data": [1, 2]}]},
        "options": {"scales": {"x": {"type": "time", "time": {"parser": "DD.MM.YYYY"}}}}
    }));
    assert_eq!(labels.labels.get(0), Some("2020-06-14T00:00:00.000Z"));
    let formatted = ok(&json!({
        "type": "line",
        "data": {"labels": ["2020-06-14", "2020-06-20"], "datasets": [{"data": [1, 2]}]},
        "options": {"scales": {"x": {"type": "time", "time": {
            "unit": "day", "displayFormats": {"day": "MMM DD YYYY", "hour": "Qo?"}
        }}}}
    }));
    let time = &formatted.options.x_axis.time;
    assert_eq!(time.unit, Some(clovicharts::spec::time::TimeUnit::Day));
    assert_eq!(
        time.formats.len(),
        1,
        "the unreadable format is left out: {time:?}"
    );
    // Without the parser the same point names the date problem, not just "not a number".
    let e = from_value(&json!({
        "type": "line",
        "data": {"datasets": [{"data": [{"x": "06/14/2020 09:08", "y": 1}]}]},
        "options": {"scales": {"x": {"type": "time"}}}
    }))
    .unwrap_err();
    let e = &e.errors[0];
    assert_eq!(e.path, "/data/datasets/0/data/0/x");
    assert!(e.message.contains("nor a date"), "{}", e.message);
    assert!(
        e.hint.as_deref().unwrap_or("").contains("time.parser"),
        "{e:?}"
    );
}

#[test]
fn doughnutlabel_lines_are_read_and_split() {
    let s = ok(&json!({
        "type": "doughnut",
        "data": {"datasets": [{"data": [1, 2]}]},
        "options": {"plugins": {"doughnutlabel": {"labels": [
            {"text": "\\nYour status is", "font": {"size": 20}},
            {"text": "healthy", "color": "#000", "font": {"size": 25, "weight": "bold"}},
            {"text": "(ctx) => ctx.chart.data.datasets[0].data[0]"},
            "not an object"
        ]}}}
    }));
    let lines = &s.options.center_labels;
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["", "Your status is", "healthy"]);
    assert_eq!(lines[1].size, Some(20.0));
    assert!(lines[2].bold && !lines[1].bold);
    assert!(lines[2].color.is_some());
    assert!(
        s.warnings
            .iter()
            .any(|w| w.path == "/options/plugins/doughnutlabel/labels/2/text"),
        "{:?}",
        s.warnings
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| w.path == "/options/plugins/doughnutlabel/labels/3"),
        "{:?}",
        s.warnings
    );
}
