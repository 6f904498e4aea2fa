//! Real-world Chart.js / QuickChart configs that used to be refused (issue 14): the QuickChart
//! `{chart: …}` envelope, JavaScript functions sent as strings (recognised tick formatters become
//! `ticks.format`; any other cosmetic function is dropped with a warning at its path; a function
//! where the data belongs stays an error), per-point option arrays, `label` arrays, relative
//! `fill` targets (read, not warned about: they are drawn) and QuickChart's gradient helper.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

use clovicharts::spec::{ChartSpec, ColorSpec, ErrorCode, FillTarget, TickFormat, from_value};
use serde_json::{Value, json};

fn bar(options: Value) -> Value {
    json!({
        "type": "bar",
        "data": {"labels": ["a", "b"], "datasets": [{"label": "s", "data": [1, 2]}]},
        "options": options
    })
}

fn ok(value: &Value) -> ChartSpec {
    from_value(value).unwrap_or_else(|e| panic!("expected a valid spec, got {e:?}"))
}

fn warned(spec: &ChartSpec, path: &str) -> bool {
    spec.warnings.iter().any(|w| w.path == path)
}

#[test]
fn the_quickchart_envelope_is_unwrapped() {
    let body = json!({
        "width": 500, "height": 300, "backgroundColor": "white", "format": "png",
        "chart": {"type": "bar", "data": {"labels": ["a"], "datasets": [{"data": [1]}]}}
    });
    let s = ok(&body);
    assert_eq!((s.options.width, s.options.height), (500, 300));
    assert!(s.options.background.is_some());
    // The chart's own options win over the envelope's.
    let body = json!({
        "width": 500,
        "chart": {"type": "bar", "data": {"datasets": [{"data": [1]}]}, "options": {"width": 640}}
    });
    assert_eq!(ok(&body).options.width, 640);
    // Anything else beside `chart` is not an envelope: still MISSING_TYPE.
    let e = from_value(&json!({"chart": {"type": "bar"}, "foo": 1})).unwrap_err();
    assert!(
        e.errors.iter().any(|e| e.code == ErrorCode::MissingType),
        "{e:?}"
    );
}

#[test]
fn recognised_tick_formatters_become_formats() {
    for (callback, want) in [
        (
            "function(value) { return '$' + value; }",
            ("$", "", None, None),
        ),
        ("(v) => v + '%'", ("", "%", None, None)),
        ("v => v.toFixed(2)", ("", "", Some(2), Some(false))),
        (
            "(val) => { return '$' + val.toLocaleString(); }",
            ("$", "", None, Some(false)),
        ),
        ("v => `${v} ms`", ("", " ms", None, None)),
    ] {
        let want = TickFormat {
            prefix: want.0.to_owned(),
            suffix: want.1.to_owned(),
            decimals: want.2,
            compact: want.3,
            percent: false,
        };
        // v3 and v2 axes.
        let s = ok(&bar(
            json!({"scales": {"y": {"ticks": {"callback": callback}}}}),
        ));
        assert_eq!(s.options.y_axis.format, want, "{callback}");
        assert!(s.warnings.is_empty(), "{callback}: {:?}", s.warnings);
        let s = ok(&bar(
            json!({"scales": {"yAxes": [{"ticks": {"callback": callback}}]}}),
        ));
        assert_eq!(s.options.y_axis.format, want, "{callback}");
    }
}

#[test]
fn other_cosmetic_functions_take_the_default_with_a_warning() {
    let cases = [
        (
            bar(json!({"scales": {"y": {"ticks": {"callback": "(v) => v / 1000 + 'k'"}}}})),
            "/options/scales/y/ticks/callback",
        ),
        (
            bar(
                json!({"plugins": {"datalabels": {"formatter": "(value, ctx) => ctx.chart.data.labels[ctx.dataIndex]"}}}),
            ),
            "/options/plugins/datalabels/formatter",
        ),
        (
            bar(
                json!({"plugins": {"tooltip": {"callbacks": {"title": "(items) => items[0].label"}}}}),
            ),
            "/options/plugins/tooltip/callbacks/title",
        ),
        (
            bar(
                json!({"elements": {"bar": {"backgroundColor": "function(ctx) { return 'red'; }"}}}),
            ),
            "/options/elements/bar/backgroundColor",
        ),
        (
            json!({"type": "line", "data": {"datasets": [{"data": [1, 2], "pointRadius": "ctx => ctx.dataIndex * 2"}]}}),
            "/data/datasets/0/pointRadius",
        ),
        (
            // A title given as a function is not drawn as its source text.
            bar(
                json!({"plugins": {"title": {"display": true, "text": "(ctx) => 'Fill: ' + ctx.chart.data.datasets[0].fill"}}}),
            ),
            "/options/plugins/title/text",
        ),
        (
            // The method shorthand a JavaScript stringifier writes.
            json!({"type": "bar", "data": {"datasets": [{"data": [1], "backgroundColor": "backgroundColor(ctx) {\n return 'red';\n}"}]}}),
            "/data/datasets/0/backgroundColor",
        ),
    ];
    for (spec, path) in cases {
        let s = ok(&spec);
        assert!(warned(&s, path), "{path}: {:?}", s.warnings);
        let message = &s.warnings.iter().find(|w| w.path == path).unwrap().message;
        assert!(message.contains("never run"), "{message}");
    }
    let s = ok(&bar(
        json!({"scales": {"y": {"ticks": {"callback": "(v) => v / 1000 + 'k'"}}}}),
    ));
    assert!(s.options.y_axis.format.is_auto());
    // Prose that only reads like an arrow stays the title.
    let s = ok(&bar(
        json!({"plugins": {"title": {"display": true, "text": "Revenue => Profit (2026)"}}}),
    ));
    assert_eq!(s.options.title.as_deref(), Some("Revenue => Profit (2026)"));
}

#[test]
fn a_function_in_place_of_data_is_still_refused() {
    let spec = json!({"type": "bar", "data": {"datasets": [{"data": ["(ctx) => 5", 2]}]}});
    let e = from_value(&spec).unwrap_err();
    assert!(
        e.errors
            .iter()
            .any(|e| e.code == ErrorCode::ValidationError && e.path == "/data/datasets/0/data/0"),
        "{e:?}"
    );
}

#[test]
fn per_point_arrays_labels_fills_and_gradients() {
    let spec = json!({
        "type": "line",
        "data": {"labels": ["a", "b", "c"], "datasets": [
            {"label": ["Sales", "2026"], "data": [1, 2, 3], "pointRadius": [0, 0, 6], "borderWidth": [2, 2, 2]},
            {"label": "b", "data": [2, 3, 4], "fill": "-1",
             "backgroundColor": "getGradientFillHelper('vertical', ['#36a2eb', '#a336eb'])"}
        ]}
    });
    let s = ok(&spec);
    assert_eq!(s.datasets[0].label.as_deref(), Some("Sales 2026"));
    assert_eq!(s.datasets[0].style.point_radius, Some(0.0));
    assert_eq!(s.datasets[0].border_width, Some(2.0));
    assert!(
        warned(&s, "/data/datasets/0/pointRadius"),
        "{:?}",
        s.warnings
    );
    // Equal per-point values are one value: nothing to warn about.
    assert!(
        !warned(&s, "/data/datasets/0/borderWidth"),
        "{:?}",
        s.warnings
    );
    // `"-1"` fills down to the dataset before it.
    assert_eq!(s.datasets[1].fill, Some(true));
    assert_eq!(s.datasets[1].style.fill_to, Some(FillTarget::Dataset(0)));
    assert!(!warned(&s, "/data/datasets/1/fill"), "{:?}", s.warnings);
    assert!(matches!(
        s.datasets[1].background_color,
        Some(ColorSpec::One(_))
    ));
    assert!(warned(&s, "/data/datasets/1/backgroundColor"));
}

#[test]
fn fill_targets_as_chart_js_reads_them() {
    let sets: Vec<Value> = [
        json!(false),
        json!("-1"),
        json!(1),
        json!("+2"),
        json!(20),
        json!("end"),
        json!({"value": 25}),
        json!("stack"),
        json!({"target": "start"}),
    ]
    .into_iter()
    .map(|fill| json!({"data": [1, 2, 3], "fill": fill}))
    .collect();
    let s = ok(&json!({"type": "line", "data": {"labels": ["a", "b", "c"], "datasets": sets}}));
    let targets: Vec<_> = s
        .datasets
        .iter()
        .map(|d| (d.fill, d.style.fill_to))
        .collect();
    assert_eq!(
        targets,
        vec![
            (Some(false), None),
            (Some(true), Some(FillTarget::Dataset(0))),
            (Some(true), Some(FillTarget::Dataset(1))),
            (Some(true), Some(FillTarget::Dataset(5))),
            // No dataset 20: no fill, as Chart.js.
            (Some(false), None),
            (Some(true), Some(FillTarget::End)),
            (Some(true), Some(FillTarget::Value(25.0))),
            (Some(true), Some(FillTarget::Dataset(6))),
            (Some(true), Some(FillTarget::Start)),
        ]
    );
    let e = from_value(
        &json!({"type": "line", "data": {"datasets": [{"data": [1], "fill": "sideways"}]}}),
    )
    .unwrap_err();
    assert_eq!(e.errors[0].path, "/data/datasets/0/fill");
}

#[test]
fn values_past_the_last_label_are_left_out_as_chart_js_does() {
    let s = ok(
        &json!({"type": "line", "data": {"labels": ["a", "b"], "datasets": [
            {"data": [1, 2, 3]},
            {"data": [{"x": 0, "y": 1}, {"x": 1, "y": 2}, {"x": 5, "y": 3}]}
        ]}}),
    );
    assert_eq!(s.datasets[0].data.len(), 2);
    assert!(warned(&s, "/data/datasets/0/data"), "{:?}", s.warnings);
    // Points place themselves: all kept.
    assert_eq!(s.datasets[1].data.len(), 3);
    // A pie has no category axis: every slice is drawn.
    let s = ok(&json!({"type": "pie", "data": {"labels": ["a"], "datasets": [{"data": [1, 2]}]}}));
    assert_eq!(s.datasets[0].data.len(), 2);
}
