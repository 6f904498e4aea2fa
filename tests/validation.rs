//! Spec validation: every error code with its JSON pointer, the accepted shapes, and fuzzing
//! that no input makes validation panic.

use clovicharts::spec::{
    ChartSpec, ChartType, ColorSpec, DataPoint, ErrorCode, Format, SpecError, SpecErrors,
    ThemeName, WebpMode, from_value, parse_spec,
};
use peniko::Color;
use proptest::prelude::*;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

/// A valid bar spec to start from.
fn base() -> Value {
    json!({
        "type": "bar",
        "data": {
            "labels": ["Q1", "Q2", "Q3", "Q4"],
            "datasets": [{ "label": "Revenue", "data": [120, 190, 150, 220] }]
        }
    })
}

/// `base()` with `options` set.
fn with_options(options: Value) -> Value {
    let mut v = base();
    v["options"] = options;
    v
}

fn ok(value: &Value) -> ChartSpec {
    match from_value(value) {
        Ok(spec) => spec,
        Err(e) => panic!("expected {value} to be valid, got: {e}"),
    }
}

fn err(value: &Value) -> SpecErrors {
    match from_value(value) {
        Ok(spec) => panic!("expected {value} to be invalid, got {spec:?}"),
        Err(e) => {
            assert!(!e.errors.is_empty(), "an error list must never be empty");
            e
        }
    }
}

/// The error with this code and path, failing with the whole list otherwise.
fn find<'a>(errors: &'a SpecErrors, code: ErrorCode, path: &str) -> &'a SpecError {
    errors
        .errors
        .iter()
        .find(|e| e.code == code && e.path == path)
        .unwrap_or_else(|| panic!("no {code} at {path:?} in: {errors:#?}"))
}

/// Checks the value fails with exactly one error, of this code at this path.
fn single(value: &Value, code: ErrorCode, path: &str) -> SpecError {
    let errors = err(value);
    assert_eq!(
        errors.errors.len(),
        1,
        "expected one error, got {errors:#?}"
    );
    let e = find(&errors, code, path).clone();
    assert_eq!(errors.code(), code);
    e
}

fn rgba8(r: u8, g: u8, b: u8, a: u8) -> Color {
    Color::from_rgba8(r, g, b, a)
}

// ---------------------------------------------------------------------------------------------
// The reference's codes.
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_type() {
    let mut v = base();
    v.as_object_mut().map(|o| o.remove("type"));
    let e = single(&v, ErrorCode::MissingType, "/type");
    assert!(e.message.contains("bar, line, pie"), "{}", e.message);
    assert!(e.message.contains("waterfall"), "{}", e.message);

    let mut v = base();
    v["type"] = Value::Null;
    single(&v, ErrorCode::MissingType, "/type");
}

#[test]
fn type_of_wrong_json_type() {
    let mut v = base();
    v["type"] = json!(3);
    single(&v, ErrorCode::ValidationError, "/type");
}

#[test]
fn missing_data() {
    let v = json!({ "type": "line" });
    single(&v, ErrorCode::MissingData, "/data");
    let v = json!({ "type": "line", "data": null });
    single(&v, ErrorCode::MissingData, "/data");
    let v = json!({ "type": "line", "data": [1, 2] });
    single(&v, ErrorCode::ValidationError, "/data");
}

#[test]
fn dataset_empty_when_missing() {
    let v = json!({ "type": "bar", "data": { "labels": ["a"] } });
    single(&v, ErrorCode::DatasetEmpty, "/data/datasets");
    let v = json!({ "type": "bar", "data": { "datasets": null } });
    single(&v, ErrorCode::DatasetEmpty, "/data/datasets");
}

#[test]
fn dataset_empty_when_empty_array() {
    let v = json!({ "type": "bar", "data": { "datasets": [] } });
    single(&v, ErrorCode::DatasetEmpty, "/data/datasets");
}

#[test]
fn datasets_not_an_array() {
    let v = json!({ "type": "bar", "data": { "datasets": { "data": [1] } } });
    single(&v, ErrorCode::ValidationError, "/data/datasets");
}

#[test]
fn invalid_chart_type_with_suggestion() {
    let mut v = base();
    v["type"] = json!("lien");
    let e = single(&v, ErrorCode::InvalidChartType, "/type");
    assert!(e.message.contains("lien"), "{}", e.message);
    assert!(e.message.contains("scatter"), "{}", e.message);
    assert_eq!(e.hint.as_deref(), Some("did you mean `line`?"));
}

#[test]
fn invalid_chart_type_without_suggestion() {
    let mut v = base();
    v["type"] = json!("histogram");
    let e = single(&v, ErrorCode::InvalidChartType, "/type");
    assert_eq!(e.hint, None);
}

#[test]
fn every_type_and_alias_is_accepted() {
    let mut v = base();
    for name in [
        "bar",
        "line",
        "pie",
        "donut",
        "scatter",
        "radar",
        "polar",
        "sparkline",
        "competitive_radar",
        "funnel",
        "bullet",
        "slope",
        "heatcalendar",
        "lollipop",
        "waterfall",
        "doughnut",
        "polarArea",
    ] {
        v["type"] = json!(name);
        ok(&v);
    }
}

#[test]
fn chart_too_large_width() {
    let v = with_options(json!({ "width": 2500 }));
    let e = single(&v, ErrorCode::ChartTooLarge, "/options/width");
    assert!(e.message.contains("2400"), "{}", e.message);
}

#[test]
fn chart_at_the_pixel_limit_passes() {
    let spec = ok(&with_options(json!({ "width": 2400, "height": 1600 })));
    assert_eq!((spec.options.width, spec.options.height), (2400, 1600));
}

#[test]
fn chart_one_row_over_the_limit_fails() {
    let v = with_options(json!({ "width": 2400, "height": 1601 }));
    single(&v, ErrorCode::ChartTooLarge, "/options/height");
}

// ---------------------------------------------------------------------------------------------
// VALIDATION_ERROR.
// ---------------------------------------------------------------------------------------------

#[test]
fn malformed_json() {
    let body = b"{\n  \"type\": \"bar\",\n  \"data\": ,\n}";
    let errors = parse_spec(body).expect_err("malformed JSON must fail");
    assert_eq!(errors.errors.len(), 1);
    let e = &errors.errors[0];
    assert_eq!(e.code, ErrorCode::ValidationError);
    assert_eq!(e.path, "");
    assert!(e.message.contains("line 3"), "{}", e.message);
    assert!(e.message.contains("column"), "{}", e.message);
    assert!(e.message.starts_with("invalid JSON"), "{}", e.message);
}

#[test]
fn empty_and_truncated_bodies() {
    for body in [&b""[..], b"{\"type\": \"bar\"", b"   "] {
        let errors = parse_spec(body).expect_err("must fail");
        assert_eq!(errors.code(), ErrorCode::ValidationError);
        assert!(errors.errors[0].hint.is_some(), "{errors:?}");
    }
}

#[test]
fn root_not_an_object() {
    for v in [json!([1, 2]), json!("bar"), json!(null), json!(3)] {
        single(&v, ErrorCode::ValidationError, "");
    }
}

#[test]
fn non_numeric_data() {
    let v = json!({ "type": "bar", "data": { "datasets": [{ "data": [1, "abc", 3] }] } });
    let e = single(&v, ErrorCode::ValidationError, "/data/datasets/0/data/1");
    assert!(
        e.message.contains("`\"abc\"` is not a number"),
        "{}",
        e.message
    );
}

#[test]
fn nan_string() {
    let v = json!({ "type": "line", "data": { "datasets": [{ "data": [1, 2, "NaN"] }] } });
    let e = single(&v, ErrorCode::ValidationError, "/data/datasets/0/data/2");
    assert!(e.message.contains("NaN and Infinity"), "{}", e.message);
}

#[test]
fn infinity_strings() {
    for s in ["Infinity", "-Infinity", "inf", " +INF ", "nan"] {
        let v = json!({ "type": "line", "data": { "datasets": [{ "data": [s] }] } });
        let e = single(&v, ErrorCode::ValidationError, "/data/datasets/0/data/0");
        assert!(e.message.contains("NaN and Infinity"), "{s}: {}", e.message);
    }
    let v = json!({ "type": "line", "data": { "datasets": [{ "data": ["1e999"] }] } });
    single(&v, ErrorCode::ValidationError, "/data/datasets/0/data/0");
}

#[test]
fn booleans_and_arrays_other_than_pairs_are_not_values() {
    // A pair `[start, end]` is a floating bar (Chart.js); any other array, or a pair that is not
    // two numbers, is refused at its path.
    let v = json!({ "type": "bar", "data": { "datasets": [{ "data": [
        true, [1, 2, 3], [1, "x"], [4, 9]
    ] }] } });
    let errors = err(&v);
    for path in [
        "/data/datasets/0/data/0",
        "/data/datasets/0/data/1",
        "/data/datasets/0/data/2",
    ] {
        find(&errors, ErrorCode::ValidationError, path);
    }
    assert_eq!(errors.errors.len(), 3, "{errors:#?}");
    let pair = json!({ "type": "bar", "data": { "datasets": [{ "data": [[4, 9], [-2, "3"]] }] } });
    let spec = ok(&pair);
    assert_eq!(
        spec.datasets[0].data,
        vec![
            DataPoint::Range { lo: 4.0, hi: 9.0 },
            DataPoint::Range { lo: -2.0, hi: 3.0 },
        ]
    );
}

#[test]
fn bad_points() {
    let v = json!({ "type": "scatter", "data": { "datasets": [{ "data": [
        { "x": 1 }, { "x": "a", "y": 2 }, { "x": 1, "y": 2 }
    ] }] } });
    let errors = err(&v);
    assert_eq!(errors.errors.len(), 2, "{errors:#?}");
    find(
        &errors,
        ErrorCode::ValidationError,
        "/data/datasets/0/data/0/y",
    );
    find(
        &errors,
        ErrorCode::ValidationError,
        "/data/datasets/0/data/1/x",
    );
}

#[test]
fn dataset_without_data() {
    let v = json!({ "type": "bar", "data": { "datasets": [{ "label": "a" }] } });
    let e = single(&v, ErrorCode::ValidationError, "/data/datasets/0/data");
    assert!(e.message.contains("no `data` array"), "{}", e.message);
    let v = json!({ "type": "bar", "data": { "datasets": [3] } });
    single(&v, ErrorCode::ValidationError, "/data/datasets/0");
}

#[test]
fn negative_width() {
    let v = with_options(json!({ "width": -800 }));
    let e = single(&v, ErrorCode::ValidationError, "/options/width");
    assert!(
        e.message
            .contains("width must be a positive whole number of pixels"),
        "{}",
        e.message
    );
}

#[test]
fn zero_height() {
    let v = with_options(json!({ "height": 0 }));
    single(&v, ErrorCode::ValidationError, "/options/height");
}

#[test]
fn fractional_and_tiny_sizes() {
    single(
        &with_options(json!({ "width": 800.5 })),
        ErrorCode::ValidationError,
        "/options/width",
    );
    single(
        &with_options(json!({ "height": 8 })),
        ErrorCode::ValidationError,
        "/options/height",
    );
    let spec = ok(&with_options(json!({ "width": 800.0, "height": 16 })));
    assert_eq!((spec.options.width, spec.options.height), (800, 16));
}

#[test]
fn width_as_string() {
    let v = with_options(json!({ "width": "800" }));
    let e = single(&v, ErrorCode::ValidationError, "/options/width");
    assert!(
        e.hint.as_deref().is_some_and(|h| h.contains("800")),
        "{e:?}"
    );
}

#[test]
fn unknown_theme() {
    let v = with_options(json!({ "theme": "drak" }));
    let e = single(&v, ErrorCode::ValidationError, "/options/theme");
    assert!(e.message.contains("clovitek, dark, light"), "{}", e.message);
    assert_eq!(e.hint.as_deref(), Some("did you mean `dark`?"));
}

#[test]
fn unknown_format() {
    // `jpeg` became a format with issue 15; `tiff` is not one.
    let v = with_options(json!({ "format": "tiff" }));
    let e = single(&v, ErrorCode::ValidationError, "/options/format");
    assert!(e.message.contains("png"), "{}", e.message);
}

#[test]
fn bad_colour() {
    let v = json!({ "type": "bar", "data": { "datasets": [
        { "data": [1], "backgroundColor": "blu" }
    ] } });
    let e = single(
        &v,
        ErrorCode::ValidationError,
        "/data/datasets/0/backgroundColor",
    );
    assert!(
        e.message.contains("`blu` is not a CSS colour"),
        "{}",
        e.message
    );

    let v = json!({ "type": "bar", "data": { "datasets": [
        { "data": [1, 2], "borderColor": ["red", "#zzz", 4] }
    ] } });
    let errors = err(&v);
    assert_eq!(errors.errors.len(), 2, "{errors:#?}");
    find(
        &errors,
        ErrorCode::ValidationError,
        "/data/datasets/0/borderColor/1",
    );
    find(
        &errors,
        ErrorCode::ValidationError,
        "/data/datasets/0/borderColor/2",
    );
}

#[test]
fn bad_options_values() {
    let cases = [
        (json!({ "quality": 0 }), "/options/quality"),
        (json!({ "quality": "high" }), "/options/quality"),
        (json!({ "lossless": "yes" }), "/options/lossless"),
        (json!({ "title": 5 }), "/options/title"),
        (json!({ "title": "x".repeat(201) }), "/options/title"),
        (json!({ "subtitle": "x".repeat(301) }), "/options/subtitle"),
        (json!({ "legend": "yes" }), "/options/legend"),
        (json!({ "ai_narrative": "true" }), "/options/ai_narrative"),
        (json!({ "base64": 1 }), "/options/base64"),
        (json!({ "theme": 1 }), "/options/theme"),
        (
            json!({ "plugins": { "title": { "text": 3 } } }),
            "/options/plugins/title/text",
        ),
        (json!([]), "/options"),
    ];
    for (options, path) in cases {
        single(&with_options(options), ErrorCode::ValidationError, path);
    }
}

#[test]
fn bad_dataset_fields() {
    let v = json!({ "type": "bar", "data": { "datasets": [
        { "data": [1], "label": { "a": 1 }, "borderWidth": 51 }
    ] } });
    let errors = err(&v);
    assert_eq!(errors.errors.len(), 2, "{errors:#?}");
    find(
        &errors,
        ErrorCode::ValidationError,
        "/data/datasets/0/label",
    );
    find(
        &errors,
        ErrorCode::ValidationError,
        "/data/datasets/0/borderWidth",
    );
}

#[test]
fn bad_labels() {
    let v = json!({ "type": "bar", "data": { "labels": ["a", { "b": 1 }], "datasets": [
        { "data": [1, 2] }
    ] } });
    single(&v, ErrorCode::ValidationError, "/data/labels/1");
    let v = json!({ "type": "bar", "data": { "labels": "a,b", "datasets": [{ "data": [1] }] } });
    single(&v, ErrorCode::ValidationError, "/data/labels");
}

#[test]
fn too_many_datasets() {
    let datasets: Vec<Value> = (0..257).map(|_| json!({ "data": [1] })).collect();
    let v = json!({ "type": "line", "data": { "datasets": datasets } });
    single(&v, ErrorCode::ValidationError, "/data/datasets");
}

#[test]
fn multiple_errors_reported_together() {
    let v = json!({
        "type": "bar",
        "data": { "datasets": [
            { "label": "a", "data": [1, "x", 3] },
            { "label": "b", "data": [4, 5, "NaN"] }
        ] },
        "options": { "width": 9000 }
    });
    let errors = err(&v);
    assert_eq!(errors.errors.len(), 3, "{errors:#?}");
    find(
        &errors,
        ErrorCode::ValidationError,
        "/data/datasets/0/data/1",
    );
    find(
        &errors,
        ErrorCode::ValidationError,
        "/data/datasets/1/data/2",
    );
    find(&errors, ErrorCode::ChartTooLarge, "/options/width");
    // The reference's code comes first.
    assert_eq!(errors.code(), ErrorCode::ChartTooLarge);
}

#[test]
fn errors_sorted_by_code() {
    let v = json!({ "data": { "datasets": [] }, "options": { "theme": "x" } });
    let errors = err(&v);
    let codes: Vec<ErrorCode> = errors.errors.iter().map(|e| e.code).collect();
    assert_eq!(
        codes,
        [
            ErrorCode::MissingType,
            ErrorCode::DatasetEmpty,
            ErrorCode::ValidationError
        ]
    );
}

#[test]
fn point_errors_are_capped_per_dataset() {
    let bad: Vec<Value> = (0..50).map(|_| json!("x")).collect();
    let v = json!({ "type": "line", "data": { "datasets": [{ "data": bad }] } });
    let errors = err(&v);
    assert_eq!(errors.errors.len(), 21, "{errors:#?}");
    let summary = find(&errors, ErrorCode::ValidationError, "/data/datasets/0/data");
    assert!(summary.message.contains("30 more"), "{}", summary.message);
}

// ---------------------------------------------------------------------------------------------
// Accepted shapes.
// ---------------------------------------------------------------------------------------------

#[test]
fn reference_example_body() {
    let body = br#"{
      "type": "bar",
      "data": {
        "labels": ["Q1", "Q2", "Q3", "Q4"],
        "datasets": [
          { "label": "Revenue ($k)", "data": [120, 190, 150, 220] }
        ]
      },
      "options": {
        "width": 800,
        "height": 500,
        "theme": "clovitek",
        "format": "png",
        "title": "Quarterly Revenue",
        "ai_narrative": false,
        "ai_title": false,
        "base64": false
      }
    }"#;
    let spec = parse_spec(body).expect("the reference example is valid");
    assert_eq!(spec.chart_type, ChartType::Bar);
    assert_eq!(spec.labels, ["Q1", "Q2", "Q3", "Q4"]);
    assert_eq!(spec.datasets.len(), 1);
    let d = &spec.datasets[0];
    assert_eq!(d.label.as_deref(), Some("Revenue ($k)"));
    assert_eq!(
        d.data,
        [120.0, 190.0, 150.0, 220.0].map(DataPoint::Value).to_vec()
    );
    assert_eq!(d.background_color, None);
    assert_eq!(d.border_color, None);
    assert_eq!(d.border_width, None);
    let o = &spec.options;
    assert_eq!((o.width, o.height), (800, 500));
    assert_eq!(o.theme, ThemeName::Clovitek);
    assert_eq!(o.format, Format::Png);
    assert_eq!(o.webp, WebpMode::Lossless);
    assert_eq!(o.title.as_deref(), Some("Quarterly Revenue"));
    assert_eq!(o.subtitle, None);
    assert_eq!(o.legend, None);
    assert!(!o.ai_narrative && !o.ai_title && !o.base64);
}

#[test]
fn minimal_body_gets_defaults() {
    let spec = parse_spec(
        br#"{"type":"bar","data":{"labels":["Q1","Q2","Q3","Q4"],"datasets":[{"label":"Revenue","data":[120,190,150,220]}]}}"#,
    )
    .expect("valid");
    assert_eq!(spec.options, Default::default());
}

#[test]
fn xy_points() {
    let v = json!({ "type": "scatter", "data": { "datasets": [{ "data": [
        { "x": 1, "y": 2.5 }, { "x": "3", "y": -4 }, null
    ] }] } });
    let spec = ok(&v);
    assert_eq!(spec.chart_type, ChartType::Scatter);
    assert!(spec.labels.is_empty());
    assert_eq!(
        spec.datasets[0].data,
        [
            DataPoint::Point { x: 1.0, y: 2.5 },
            DataPoint::Point { x: 3.0, y: -4.0 },
            DataPoint::Missing
        ]
    );
}

#[test]
fn null_gaps() {
    let v = json!({ "type": "line", "data": { "labels": [1, 2, 3], "datasets": [
        { "data": [1, null, 3] }
    ] } });
    let spec = ok(&v);
    assert_eq!(
        spec.datasets[0].data,
        [
            DataPoint::Value(1.0),
            DataPoint::Missing,
            DataPoint::Value(3.0)
        ]
    );
}

#[test]
fn numeric_strings() {
    let v = json!({ "type": "bar", "data": { "datasets": [
        { "data": ["12.5", " 7 ", "-3e2", "+4"] }
    ] } });
    let spec = ok(&v);
    assert_eq!(
        spec.datasets[0].data,
        [12.5, 7.0, -300.0, 4.0].map(DataPoint::Value).to_vec()
    );
}

#[test]
fn empty_data_array_is_allowed() {
    let v = json!({ "type": "bar", "data": { "datasets": [{ "data": [] }] } });
    assert!(ok(&v).datasets[0].data.is_empty());
}

#[test]
fn per_point_colours() {
    let v = json!({ "type": "pie", "data": { "labels": ["a", "b", "c"], "datasets": [{
        "data": [1, 2, 3],
        "backgroundColor": ["#ff0000", "rgb(0, 128, 0)", "rgba(0, 0, 255, 0.5)"],
        "borderColor": "white",
        "borderWidth": 2
    }] } });
    let spec = ok(&v);
    let d = &spec.datasets[0];
    let Some(ColorSpec::PerPoint(colors)) = &d.background_color else {
        panic!("expected per-point colours, got {:?}", d.background_color);
    };
    assert_eq!(colors.len(), 3);
    assert_eq!(colors[0].to_rgba8(), rgba8(255, 0, 0, 255).to_rgba8());
    assert_eq!(colors[1].to_rgba8(), rgba8(0, 128, 0, 255).to_rgba8());
    assert_eq!(colors[2].to_rgba8(), rgba8(0, 0, 255, 128).to_rgba8());
    assert_eq!(
        d.border_color
            .as_ref()
            .and_then(ColorSpec::first)
            .map(|c| c.to_rgba8()),
        Some(rgba8(255, 255, 255, 255).to_rgba8())
    );
    assert_eq!(d.border_width, Some(2.0));
}

#[test]
fn hsl_and_empty_colour_array() {
    let v = json!({ "type": "bar", "data": { "datasets": [{
        "data": [1], "backgroundColor": "hsl(120, 100%, 25%)", "borderColor": []
    }] } });
    let d = &ok(&v).datasets[0];
    assert_eq!(
        d.background_color
            .as_ref()
            .and_then(ColorSpec::first)
            .map(|c| c.to_rgba8()),
        Some(rgba8(0, 128, 0, 255).to_rgba8())
    );
    assert_eq!(d.border_color, None);
}

#[test]
fn doughnut_alias() {
    let mut v = base();
    v["type"] = json!("doughnut");
    assert_eq!(ok(&v).chart_type, ChartType::Donut);
    v["type"] = json!("donut");
    assert_eq!(ok(&v).chart_type, ChartType::Donut);
}

#[test]
fn chartjs_plugin_title_subtitle_and_legend() {
    let v = with_options(json!({
        "responsive": false,
        "scales": { "y": { "beginAtZero": true } },
        "plugins": {
            "title": { "display": true, "text": "  Sales  " },
            "subtitle": { "text": ["by", "quarter"] },
            "legend": { "display": false }
        }
    }));
    let o = ok(&v).options;
    assert_eq!(o.title.as_deref(), Some("Sales"));
    assert_eq!(o.subtitle.as_deref(), Some("by quarter"));
    assert_eq!(o.legend, Some(false));
}

#[test]
fn chartjs_v2_title_and_legend() {
    let o = ok(&with_options(json!({
        "title": { "display": true, "text": ["Two", "lines"] },
        "legend": { "display": true }
    })))
    .options;
    assert_eq!(o.title.as_deref(), Some("Two lines"));
    assert_eq!(o.legend, Some(true));

    let o = ok(&with_options(
        json!({ "title": { "display": false, "text": "hidden" } }),
    ))
    .options;
    assert_eq!(o.title, None);

    // The plain key wins over the plugin.
    let o = ok(&with_options(json!({
        "title": "Plain",
        "plugins": { "title": { "text": "Plugin" } }
    })))
    .options;
    assert_eq!(o.title.as_deref(), Some("Plain"));

    let o = ok(&with_options(json!({ "title": "   " }))).options;
    assert_eq!(o.title, None);
}

#[test]
fn theme_format_and_webp_options() {
    let o = ok(&with_options(json!({
        "theme": "DARK", "format": "webp", "quality": 80, "legend": true,
        "ai_narrative": true, "ai_title": true, "base64": true
    })))
    .options;
    assert_eq!(o.theme, ThemeName::Dark);
    assert_eq!(o.format, Format::Webp);
    assert_eq!(o.webp, WebpMode::Lossy(80.0));
    assert_eq!(o.legend, Some(true));
    assert!(o.ai_narrative && o.ai_title && o.base64);

    let o = ok(&with_options(
        json!({ "format": "WEBP", "quality": 50, "lossless": true }),
    ))
    .options;
    assert_eq!(o.webp, WebpMode::Lossless);

    let o = ok(&with_options(
        json!({ "theme": null, "format": null, "width": null }),
    ))
    .options;
    assert_eq!(o, Default::default());
}

#[test]
fn label_shapes() {
    let v = json!({ "type": "bar", "data": {
        "labels": ["a", 2, 2.5, 800.0, null, ["multi", "line"], true],
        "datasets": [{ "label": 2024, "data": [1, 2, 3, 4, 5, 6, 7] }]
    } });
    let spec = ok(&v);
    assert_eq!(
        spec.labels,
        ["a", "2", "2.5", "800", "", "multi line", "true"]
    );
    assert_eq!(spec.datasets[0].label.as_deref(), Some("2024"));
}

// ---------------------------------------------------------------------------------------------
// Never panics.
// ---------------------------------------------------------------------------------------------

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from), // NaN/inf become null
        "[a-z0-9#(),. -]{0,12}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
        prop_oneof![
            Just("bar"),
            Just("pie"),
            Just("radar"),
            Just("NaN"),
            Just("12.5"),
            Just("red")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    let key = prop_oneof![
        Just("type".to_owned()),
        Just("data".to_owned()),
        Just("datasets".to_owned()),
        Just("labels".to_owned()),
        Just("label".to_owned()),
        Just("options".to_owned()),
        Just("width".to_owned()),
        Just("height".to_owned()),
        Just("x".to_owned()),
        Just("y".to_owned()),
        Just("backgroundColor".to_owned()),
        Just("borderColor".to_owned()),
        Just("borderWidth".to_owned()),
        Just("title".to_owned()),
        Just("text".to_owned()),
        Just("display".to_owned()),
        Just("plugins".to_owned()),
        Just("legend".to_owned()),
        Just("theme".to_owned()),
        Just("format".to_owned()),
        Just("quality".to_owned()),
        Just("lossless".to_owned()),
        "[a-z~/]{0,6}",
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Checks an outcome is sane: errors non-empty and sorted, pointers well formed.
fn check(result: &Result<ChartSpec, SpecErrors>) {
    if let Err(e) = result {
        assert!(!e.errors.is_empty());
        assert!(e.errors.windows(2).all(|w| w[0].code <= w[1].code));
        assert!(
            e.errors
                .iter()
                .all(|e| e.path.is_empty() || e.path.starts_with('/'))
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_json_never_panics(value in arb_json()) {
        check(&from_value(&value));
        let bytes = serde_json::to_vec(&value).expect("a Value always serialises");
        check(&parse_spec(&bytes));
        // The same value as a whole spec's parts, so the deeper rules are reached too.
        let spec = json!({ "type": "bar", "data": { "labels": value, "datasets": [
            { "data": value, "backgroundColor": value, "label": value }, value
        ] }, "options": value });
        check(&from_value(&spec));
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        check(&parse_spec(&bytes));
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let v = json!({ "type": s, "data": { "labels": [s], "datasets": [
            { "data": [s, { "x": s, "y": s }], "backgroundColor": s, "borderColor": [s], "label": s }
        ] }, "options": { "theme": s, "format": s, "title": s, "width": s } });
        check(&from_value(&v));
    }
}

#[test]
fn bullet_rows_and_dated_entries_parse() {
    let spec = parse_spec(
        br#"{"type":"bar","data":{"labels":["Revenue","Costs","Day"],"datasets":[{"data":[
            {"value": 270, "target": 250, "ranges": [150, 225, 300]},
            {"value": "22"},
            {"date": "2026-01-05", "value": 3}
        ]}]}}"#,
    )
    .unwrap();
    let ds = &spec.datasets[0];
    let data = &ds.data;
    let b = ds.bullet(&data[0]).expect("a bullet row");
    assert_eq!(b.value, 270.0);
    assert_eq!(b.target, Some(250.0));
    assert_eq!(b.ranges(), [150.0, 225.0, 300.0]);
    assert_eq!(data[0].y(), Some(270.0));
    let b = ds.bullet(&data[1]).expect("a bullet row");
    assert!(b.value == 22.0 && b.target.is_none() && b.ranges().is_empty());
    // 2026-01-05 is 20458 days after 1970-01-01.
    assert_eq!(
        data[2],
        DataPoint::Dated {
            day: 20458,
            value: 3.0
        }
    );
    assert_eq!(data[2].y(), Some(3.0));
}

#[test]
fn bad_bullet_rows_and_dates_have_paths() {
    let errors = parse_spec(
        br#"{"type":"bar","data":{"datasets":[{"data":[
            {"value": "abc"},
            {"value": 1, "ranges": [1, 2, 3, 4, 5, 6]},
            {"value": 1, "target": null, "ranges": "x"},
            {"date": "2026-13-40", "value": 1},
            {"date": "2026-01-01"}
        ]}]}}"#,
    )
    .unwrap_err();
    let paths: Vec<&str> = errors.errors.iter().map(|e| e.path.as_str()).collect();
    for expected in [
        "/data/datasets/0/data/0/value",
        "/data/datasets/0/data/1/ranges",
        "/data/datasets/0/data/2/ranges",
        "/data/datasets/0/data/3/date",
        "/data/datasets/0/data/4/value",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
    assert!(
        errors
            .errors
            .iter()
            .all(|e| e.code == ErrorCode::ValidationError)
    );
}

#[test]
fn chartjs_dataset_options_and_both_scale_dialects() {
    let v3 = parse_spec(
        br#"{"type":"line","data":{"datasets":[{"data":[1,2],"tension":0.4,"pointRadius":0,
            "borderDash":[6,4],"hidden":true,"spanGaps":true,"fill":"origin","stack":"a","type":"bar"}]},
            "options":{"indexAxis":"y","sort":"desc","scales":{
              "x":{"stacked":true,"grid":{"display":false},"title":{"display":true,"text":"Month"}},
              "y":{"min":-10,"max":90,"beginAtZero":true,"ticks":{"stepSize":20}}}}}"#,
    )
    .unwrap();
    let style = &v3.datasets[0].style;
    assert_eq!(style.tension, 0.4);
    assert_eq!(style.point_radius, Some(0.0));
    assert_eq!(style.border_dash, [6.0, 4.0]);
    assert!(style.hidden && style.span_gaps);
    assert_eq!(style.stack.as_deref(), Some("a"));
    assert_eq!(style.kind, Some(clovicharts::spec::ChartType::Bar));
    assert_eq!(v3.datasets[0].fill, Some(true));
    let o = &v3.options;
    assert!(o.horizontal);
    assert_eq!(o.sort, Some(clovicharts::spec::SortOrder::Descending));
    assert!(o.x_axis.stacked);
    assert_eq!(o.x_axis.grid, Some(false));
    assert_eq!(o.x_axis.title.as_deref(), Some("Month"));
    assert_eq!(
        (o.y_axis.min, o.y_axis.max, o.y_axis.step),
        (Some(-10.0), Some(90.0), Some(20.0))
    );
    assert!(o.y_axis.begin_at_zero);

    let v2 = parse_spec(
        br#"{"type":"bar","data":{"datasets":[{"data":[1],"lineTension":0.2}]},
            "options":{"scales":{"yAxes":[{"stacked":true,"ticks":{"min":0,"max":50,"beginAtZero":true},
              "scaleLabel":{"display":true,"labelString":"Users"},"gridLines":{"display":false}}]}}}"#,
    )
    .unwrap();
    assert_eq!(v2.datasets[0].style.tension, 0.2);
    let y = &v2.options.y_axis;
    assert!(y.stacked && y.begin_at_zero);
    assert_eq!((y.min, y.max), (Some(0.0), Some(50.0)));
    assert_eq!(y.title.as_deref(), Some("Users"));
    assert_eq!(y.grid, Some(false));
}

#[test]
fn bad_chartjs_options_are_reported_with_paths() {
    let errors = parse_spec(
        br#"{"type":"line","data":{"datasets":[{"data":[1],"tension":3,"borderDash":"x","hidden":"yes","type":"pie","fill":"up"}]},
            "options":{"indexAxis":"z","sort":"random","scales":{"y":{"min":5,"max":1,"ticks":{"stepSize":-1}},"xAxes":"no"}}}"#,
    )
    .unwrap_err();
    let paths: Vec<&str> = errors.errors.iter().map(|e| e.path.as_str()).collect();
    for expected in [
        "/data/datasets/0/tension",
        "/data/datasets/0/borderDash",
        "/data/datasets/0/hidden",
        "/data/datasets/0/type",
        "/data/datasets/0/fill",
        "/options/indexAxis",
        "/options/sort",
        "/options/scales/y",
        "/options/scales/y/ticks/stepSize",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
}
