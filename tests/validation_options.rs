//! Validation of the Chart.js option families added on top of the reference: second y axis,
//! log/time axes, tick formats, legend position, padding, pie geometry, request
//! `backgroundColor`, `devicePixelRatio`, data labels, point styles, `scales.r`, decimation;
//! the `warnings` list of ignored keys, and JavaScript callbacks (never run: default + warning).

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

use clovicharts::spec::{
    AxisKind, ChartSpec, Cutout, Decimation, ErrorCode, Grace, PointStyle, Side, SpecErrors,
    ThemeName, from_value,
};
use serde_json::{Value, json};

fn chart(options: Value) -> Value {
    json!({
        "type": "bar",
        "data": {"labels": ["a", "b"], "datasets": [{"label": "s", "data": [1, 2]}]},
        "options": options
    })
}

fn ok(value: &Value) -> ChartSpec {
    from_value(value).unwrap_or_else(|e| panic!("expected a valid spec, got {e:?}"))
}

fn err(value: &Value) -> SpecErrors {
    from_value(value).expect_err("expected errors")
}

fn has(errors: &SpecErrors, code: ErrorCode, path: &str) -> bool {
    errors
        .errors
        .iter()
        .any(|e| e.code == code && e.path == path)
}

#[test]
fn javascript_callbacks_are_dropped_with_a_warning_wherever_they_are() {
    let cases = [
        (
            // Issue 14: a cosmetic function takes its option's default with a warning (a
            // recognised formatter shape becomes `ticks.format`: tests/validation_compat.rs).
            chart(
                json!({"scales": {"y": {"ticks": {"callback": "function(v) { return v / 1e3 + 'k'; }"}}}}),
            ),
            "/options/scales/y/ticks/callback",
        ),
        (
            chart(
                json!({"plugins": {"datalabels": {"formatter": "(value, ctx) => ctx.chart.data.labels[ctx.dataIndex]"}}}),
            ),
            "/options/plugins/datalabels/formatter",
        ),
        (
            json!({"type": "line", "data": {"datasets": [{"data": [1], "pointRadius": "ctx => ctx.dataIndex * 2"}]}}),
            "/data/datasets/0/pointRadius",
        ),
        (
            // `title` inside `callbacks` is a function, not the chart's title.
            chart(
                json!({"plugins": {"tooltip": {"callbacks": {"title": "(items) => items[0].label"}}}}),
            ),
            "/options/plugins/tooltip/callbacks/title",
        ),
    ];
    for (spec, path) in cases {
        let s = ok(&spec);
        let warning = s.warnings.iter().find(|w| w.path == path);
        assert!(warning.is_some(), "{path}: {:?}", s.warnings);
        assert!(
            warning.unwrap().message.contains("never run"),
            "{warning:?}"
        );
    }
    // Text that only mentions functions or arrows is fine.
    let s = ok(&chart(json!({"title": "function of time: Q1 => Q2"})));
    assert_eq!(
        s.options.title.as_deref(),
        Some("function of time: Q1 => Q2")
    );
    // Titles and axis titles are text even when they read like an arrow function.
    for title in ["Revenue => Profit (2026)", "(Q1) => Q2"] {
        let s = ok(&chart(json!({
            "title": title,
            "plugins": {"subtitle": {"text": title}},
            "scales": {"y": {"title": {"display": true, "text": title}}}
        })));
        assert_eq!(s.options.title.as_deref(), Some(title));
    }
}

#[test]
fn unknown_keys_are_listed_as_warnings_and_browser_keys_are_not() {
    let mut spec = chart(json!({
        "responsive": true,
        "maintainAspectRatio": false,
        "animation": {"duration": 0},
        "plugins": {"tooltip": {"enabled": false}, "zoom": {}},
        "scales": {"y": {"bounds": "data", "ticks": {"precision": 0}}},
        "legnd": {"display": false}
    }));
    spec["data"]["datasets"][0]["pointBackgroundColor"] = json!("red");
    spec["data"]["datasets"][0]["hoverBackgroundColor"] = json!("red");
    spec["colour"] = json!("blue");
    let s = ok(&spec);
    let paths: Vec<&str> = s.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/colour",
            "/data/datasets/0/pointBackgroundColor",
            "/options/legnd",
            "/options/plugins/zoom",
            "/options/scales/y/bounds",
            "/options/scales/y/ticks/precision",
        ],
        "{:?}",
        s.warnings
    );
    let legnd = s
        .warnings
        .iter()
        .find(|w| w.path == "/options/legnd")
        .unwrap();
    assert!(
        legnd.message.contains("did you mean `legend`"),
        "{}",
        legnd.message
    );
    assert!(ok(&chart(json!({}))).warnings.is_empty());
}

#[test]
fn warnings_are_capped() {
    let mut options = serde_json::Map::new();
    for i in 0..100 {
        options.insert(format!("unknown{i}"), json!(1));
    }
    let s = ok(&chart(Value::Object(options)));
    assert_eq!(s.warnings.len(), 33);
    assert_eq!(
        s.warnings.last().unwrap().message,
        "68 more warnings not listed"
    );
}

#[test]
fn second_axis_by_yaxisid_in_both_dialects() {
    let v3 = json!({
        "type": "bar",
        "data": {"labels": ["a"], "datasets": [
            {"data": [1], "yAxisID": "y"},
            {"data": [0.5], "yAxisID": "rate", "type": "line"}
        ]},
        "options": {"scales": {"rate": {"position": "right", "min": 0, "max": 1}}}
    });
    let s = ok(&v3);
    assert!(!s.datasets[0].style.secondary_axis);
    assert!(s.datasets[1].style.secondary_axis);
    assert_eq!(s.options.y2_axis.max, Some(1.0));
    assert_eq!(s.options.y2_axis.position, Some(Side::Right));

    let v2 = json!({
        "type": "line",
        "data": {"labels": ["a"], "datasets": [
            {"data": [1], "yAxisID": "A"},
            {"data": [2], "yAxisID": "B"},
            {"data": [3], "yAxisID": "C"}
        ]},
        "options": {"scales": {"yAxes": [
            {"id": "A", "ticks": {"beginAtZero": true}},
            {"id": "B", "position": "right", "type": "logarithmic"}
        ]}}
    });
    let s = ok(&v2);
    assert!(s.options.y_axis.begin_at_zero);
    assert_eq!(s.options.y2_axis.kind, Some(AxisKind::Logarithmic));
    assert!(s.datasets[1].style.secondary_axis && s.datasets[2].style.secondary_axis);
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert_eq!(s.warnings[0].path, "/data/datasets/2/yAxisID");
}

#[test]
fn axis_range_direction_and_grid_in_both_dialects() {
    let v3 = ok(&chart(json!({"scales": {
        "y": {"reverse": true, "suggestedMin": -5, "suggestedMax": 50, "grace": "10%",
              "ticks": {"maxTicksLimit": 4}, "grid": {"drawOnChartArea": false}},
        "x": {"grace": 2}
    }})));
    let y = &v3.options.y_axis;
    assert!(y.reverse && !y.grid_on_chart);
    assert_eq!((y.suggested_min, y.suggested_max), (Some(-5.0), Some(50.0)));
    assert_eq!(y.grace, Some(Grace::Share(0.1)));
    assert_eq!(y.max_ticks, Some(4));
    assert_eq!(v3.options.x_axis.grace, Some(Grace::Units(2.0)));
    assert!(v3.options.x_axis.grid_on_chart && !v3.options.x_axis.reverse);
    assert!(v3.warnings.is_empty(), "{:?}", v3.warnings);

    // Chart.js 2 keeps the direction and suggestions under `ticks`, the grid under `gridLines`.
    let v2 = ok(&chart(json!({"scales": {"yAxes": [{
        "ticks": {"reverse": true, "suggestedMax": 9, "maxTicksLimit": 6.7},
        "gridLines": {"drawOnChartArea": false}
    }]}})));
    let y = &v2.options.y_axis;
    assert!(y.reverse && !y.grid_on_chart);
    assert_eq!((y.suggested_max, y.max_ticks), (Some(9.0), Some(6)));
    assert!(v2.warnings.is_empty(), "{:?}", v2.warnings);

    // Tick label colours: v3 `ticks.color`, v2 `ticks.fontColor`.
    let colored = ok(&chart(json!({"scales": {
        "y": {"ticks": {"color": "rgb(255, 99, 132)"}},
        "x": {"ticks": {"color": "#36a2eb"}}
    }})));
    let red = colored.options.y_axis.tick_color.expect("y tick colour");
    let c = red.to_rgba8();
    assert_eq!([c.r, c.g, c.b, c.a], [255, 99, 132, 255]);
    assert!(colored.options.x_axis.tick_color.is_some());
    let v2_colored = ok(&chart(
        json!({"scales": {"yAxes": [{"ticks": {"fontColor": "red"}}]}}),
    ));
    assert!(v2_colored.options.y_axis.tick_color.is_some());
    assert!(v2_colored.warnings.is_empty(), "{:?}", v2_colored.warnings);

    for (bad, path) in [
        (json!({"y": {"grace": "lots"}}), "/options/scales/y/grace"),
        (
            json!({"y": {"ticks": {"color": "not-a-colour"}}}),
            "/options/scales/y/ticks/color",
        ),
        (json!({"y": {"grace": -1}}), "/options/scales/y/grace"),
        (
            json!({"y": {"reverse": "yes"}}),
            "/options/scales/y/reverse",
        ),
        (
            json!({"y": {"ticks": {"maxTicksLimit": 0}}}),
            "/options/scales/y/ticks/maxTicksLimit",
        ),
        (
            json!({"y": {"grid": {"drawOnChartArea": 1}}}),
            "/options/scales/y/grid/drawOnChartArea",
        ),
    ] {
        let e = err(&chart(json!({ "scales": bad })));
        assert!(has(&e, ErrorCode::ValidationError, path), "{path}: {e:?}");
    }
}

#[test]
fn each_value_axis_keeps_the_side_its_position_names() {
    // quickchart-docs/axes-1: the first dataset is on the right-hand axis, the bars on the left.
    let s = ok(&json!({
        "type": "bar",
        "data": {"labels": ["a", "b"], "datasets": [
            {"type": "line", "data": [1, 2], "yAxisID": "y2"},
            {"data": [3, 4], "yAxisID": "y1"}
        ]},
        "options": {"scales": {"yAxes": [
            {"id": "y1", "position": "left", "stacked": true},
            {"id": "y2", "position": "right"}
        ]}}
    }));
    assert_eq!(s.options.y_axis.position, Some(Side::Right));
    assert_eq!(s.options.y2_axis.position, Some(Side::Left));
    assert!(s.options.y2_axis.stacked);
    assert!(s.datasets[1].style.secondary_axis && !s.datasets[0].style.secondary_axis);
}

#[test]
fn bubbles_are_scatter_points_with_a_radius() {
    let s = ok(&json!({
        "type": "bubble",
        "data": {"datasets": [{"label": "b", "data": [
            {"x": 1, "y": 2, "r": 9}, {"x": 3, "y": 4}, {"x": 5, "y": 6, "r": "2.5"}
        ]}]}
    }));
    assert_eq!(s.chart_type, clovicharts::spec::ChartType::Scatter);
    assert!(s.options.bubble);
    let radii: Vec<Option<f32>> = s.datasets[0].data.iter().map(|p| p.radius()).collect();
    assert_eq!(radii, [Some(9.0), None, Some(2.5)]);
    assert_eq!(s.datasets[0].data[0].xy(0), Some((1.0, 2.0)));
    for r in [json!(-1), json!(1e9), json!("big"), json!(true)] {
        let e = err(&json!({"type": "bubble", "data": {"datasets": [{"data": [
            {"x": 1, "y": 2, "r": r}
        ]}]}}));
        assert!(
            has(&e, ErrorCode::ValidationError, "/data/datasets/0/data/0/r"),
            "{r}: {e:?}"
        );
    }
    // A plain scatter keeps drawing points; only `type: "bubble"` sizes them.
    let scatter = ok(&json!({"type": "scatter", "data": {"datasets": [{"data": [
        {"x": 1, "y": 2, "r": 9}
    ]}]}}));
    assert!(!scatter.options.bubble);
}

#[test]
fn time_axes_need_dates() {
    let mut spec = chart(json!({"scales": {"x": {"type": "time"}}}));
    spec["data"]["labels"] = json!(["2024-03-01", "2024-03-02T10:00:00Z"]);
    assert_eq!(ok(&spec).options.x_axis.kind, Some(AxisKind::Time));
    spec["data"]["labels"] = json!(["2024-03-01", "next Tuesday"]);
    assert!(has(
        &err(&spec),
        ErrorCode::ValidationError,
        "/data/labels/1"
    ));
    // Date points imply a time axis.
    let points = json!({"type": "line", "data": {"datasets": [{"data": [
        {"x": "2024-03-01", "y": 1}, {"x": "2024-03-05", "y": 2}
    ]}]}});
    let s = ok(&points);
    assert_eq!(s.options.x_axis.kind, Some(AxisKind::Time));
}

#[test]
fn tick_formats_and_axis_settings() {
    let s = ok(&chart(json!({"scales": {"y": {
        "type": "logarithmic", "position": "right", "display": true,
        "ticks": {"format": {"prefix": "$", "suffix": "k", "decimals": 1, "compact": false, "percent": false}, "display": false}
    }}})));
    let y = &s.options.y_axis;
    assert_eq!(y.kind, Some(AxisKind::Logarithmic));
    assert_eq!(y.position, Some(Side::Right));
    assert_eq!(
        (y.format.prefix.as_str(), y.format.suffix.as_str()),
        ("$", "k")
    );
    assert_eq!(y.format.decimals, Some(1));
    assert!(!y.ticks);
    let e = err(&chart(json!({"scales": {"y": {
        "type": "radial", "position": "middle",
        "ticks": {"format": {"prefix": "a very long prefix", "decimals": 9}}
    }}})));
    for path in [
        "/options/scales/y/type",
        "/options/scales/y/position",
        "/options/scales/y/ticks/format/prefix",
        "/options/scales/y/ticks/format/decimals",
    ] {
        assert!(has(&e, ErrorCode::ValidationError, path), "{path}: {e:?}");
    }
}

#[test]
fn legend_position_padding_and_data_labels() {
    let s = ok(&chart(json!({
        "plugins": {"legend": {"position": "bottom"}, "datalabels": {"display": true}},
        "layout": {"padding": {"top": 10, "left": 30}}
    })));
    assert_eq!(s.options.legend_position, Some(Side::Bottom));
    assert_eq!(s.options.padding.top, Some(10.0));
    assert_eq!(s.options.padding.left, Some(30.0));
    assert_eq!(s.options.padding.right, None);
    assert_eq!(s.options.data_labels, Some(true));
    let s = ok(&chart(
        json!({"layout": {"padding": 12}, "plugins": {"datalabels": false}}),
    ));
    assert_eq!(s.options.padding.bottom, Some(12.0));
    assert_eq!(s.options.data_labels, Some(false));
    let e = err(&chart(json!({
        "legend": {"position": "middle"},
        "layout": {"padding": -4},
        "plugins": {"datalabels": "yes"}
    })));
    for path in [
        "/options/legend/position",
        "/options/layout/padding",
        "/options/plugins/datalabels",
    ] {
        assert!(has(&e, ErrorCode::ValidationError, path), "{path}: {e:?}");
    }
}

#[test]
fn pie_geometry_in_both_dialects() {
    let s = ok(&chart(
        json!({"cutout": "70%", "rotation": -90, "circumference": 180}),
    ));
    assert_eq!(s.options.arc.cutout, Some(Cutout::Share(0.7)));
    assert_eq!(
        (s.options.arc.rotation, s.options.arc.circumference),
        (-90.0, 180.0)
    );
    // v2: radians from 3 o'clock, and a percentage.
    let s = ok(&chart(
        json!({"cutoutPercentage": 50, "rotation": -std::f64::consts::FRAC_PI_2, "circumference": std::f64::consts::PI}),
    ));
    assert_eq!(s.options.arc.cutout, Some(Cutout::Share(0.5)));
    assert!(
        s.options.arc.rotation.abs() < 1e-9,
        "{}",
        s.options.arc.rotation
    );
    assert!((s.options.arc.circumference - 180.0).abs() < 1e-9);
    assert_eq!(
        ok(&chart(json!({"cutout": 40}))).options.arc.cutout,
        Some(Cutout::Px(40.0))
    );
    let e = err(&chart(
        json!({"cutout": "wide", "circumference": 400, "rotation": "up"}),
    ));
    for path in [
        "/options/cutout",
        "/options/circumference",
        "/options/rotation",
    ] {
        assert!(has(&e, ErrorCode::ValidationError, path), "{path}: {e:?}");
    }
}

#[test]
fn background_and_pixel_ratio() {
    let mut spec = chart(json!({"width": 400, "height": 300}));
    spec["backgroundColor"] = json!("white");
    spec["devicePixelRatio"] = json!(2);
    let s = ok(&spec);
    assert_eq!(s.options.pixel_ratio, 2.0);
    assert!(s.options.background.is_some());
    // A white canvas without a theme picks the light theme, so the text stays readable.
    assert_eq!(s.options.theme, ThemeName::Light);
    spec["options"]["theme"] = json!("dark");
    assert_eq!(ok(&spec).options.theme, ThemeName::Dark);

    spec["devicePixelRatio"] = json!(4);
    spec["backgroundColor"] = json!("not-a-colour");
    let e = err(&spec);
    assert!(
        has(&e, ErrorCode::ValidationError, "/devicePixelRatio"),
        "{e:?}"
    );
    assert!(
        has(&e, ErrorCode::ValidationError, "/backgroundColor"),
        "{e:?}"
    );
    // The ratio multiplies the pixels the size limit counts.
    let big = json!({"type": "bar", "devicePixelRatio": 3,
        "data": {"datasets": [{"data": [1]}]}, "options": {"width": 2400, "height": 1600}});
    assert!(has(
        &err(&big),
        ErrorCode::ChartTooLarge,
        "/devicePixelRatio"
    ));
}

#[test]
fn point_styles_order_and_radial_axis() {
    let spec = json!({"type": "radar", "data": {"labels": ["a", "b", "c"], "datasets": [
        {"data": [1, 2, 3], "pointStyle": "triangle", "order": 2}
    ]}, "options": {"scales": {"r": {"min": 0, "max": 5, "ticks": {"stepSize": 1}}}}});
    let s = ok(&spec);
    assert_eq!(s.datasets[0].style.point_style, PointStyle::Triangle);
    assert_eq!(s.datasets[0].style.order, 2);
    assert_eq!(
        (s.options.r_axis.min, s.options.r_axis.max),
        (Some(0.0), Some(5.0))
    );
    let v2 = json!({"type": "polar", "data": {"datasets": [{"data": [1, 2]}]},
        "options": {"scale": {"ticks": {"max": 10}}}});
    assert_eq!(ok(&v2).options.r_axis.max, Some(10.0));
    let bad = json!({"type": "line", "data": {"datasets": [{"data": [1], "pointStyle": "blob"}]}});
    assert!(has(
        &err(&bad),
        ErrorCode::ValidationError,
        "/data/datasets/0/pointStyle"
    ));
}

#[test]
fn decimation_plugin() {
    let decimation = |d: Value| chart(json!({"plugins": {"decimation": d}}));
    assert_eq!(
        ok(&decimation(
            json!({"enabled": true, "algorithm": "lttb", "samples": 500})
        ))
        .options
        .decimation,
        Decimation::Lttb {
            samples: Some(500),
            threshold: None
        }
    );
    // Off, min-max, or absent: the always-on min-max thinning.
    for d in [
        json!({"enabled": false, "algorithm": "lttb"}),
        json!({"enabled": true, "algorithm": "min-max"}),
        json!({}),
    ] {
        assert_eq!(ok(&decimation(d)).options.decimation, Decimation::MinMax);
    }
    assert_eq!(ok(&chart(json!({}))).options.decimation, Decimation::MinMax);
    let cases = [
        (json!("lttb"), "/options/plugins/decimation"),
        (
            json!({"enabled": "yes"}),
            "/options/plugins/decimation/enabled",
        ),
        (
            json!({"algorithm": "average"}),
            "/options/plugins/decimation/algorithm",
        ),
        (json!({"samples": 2}), "/options/plugins/decimation/samples"),
        (
            json!({"samples": 1.5}),
            "/options/plugins/decimation/samples",
        ),
        (
            json!({"samples": 1_000_000}),
            "/options/plugins/decimation/samples",
        ),
        (
            json!({"threshold": -1}),
            "/options/plugins/decimation/threshold",
        ),
    ];
    for (d, path) in cases {
        let e = err(&decimation(d.clone()));
        assert!(has(&e, ErrorCode::ValidationError, path), "{d}: {e:?}");
    }
    // Its keys are known: nothing is listed as ignored.
    let s = ok(&decimation(
        json!({"enabled": true, "algorithm": "lttb", "samples": 9, "threshold": 10}),
    ));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let s = ok(&decimation(
        json!({"enabled": true, "samples": 9, "smaples": 10}),
    ));
    assert!(
        s.warnings
            .iter()
            .any(|w| w.path == "/options/plugins/decimation/smaples")
    );
}

#[test]
fn locale_writes_the_narrative_numbers_and_bad_tags_are_refused() {
    let spec = |locale: Value| {
        json!({
            "type": "bar",
            "data": {"labels": ["Q1", "Q2", "Q3"], "datasets": [{"label": "Revenue",
                "data": [1234567.5, 2345678.25, 1500000]}]},
            "options": {"locale": locale}
        })
    };
    let plain = ok(
        &json!({"type": "bar", "data": {"labels": ["Q1", "Q2", "Q3"],
        "datasets": [{"label": "Revenue", "data": [1234567.5, 2345678.25, 1500000]}]}}),
    );
    let en = clovicharts::insight::data_narrative(&plain).unwrap();
    let de = clovicharts::insight::data_narrative(&ok(&spec(json!("de-DE")))).unwrap();
    // Decimal points of numbers become commas in German; the rest of the sentence is the same.
    assert!(en.contains("1.5M") && en.contains("2.35M"), "{en}");
    assert!(de.contains("1,5M") && de.contains("2,35M"), "{de}");
    assert_eq!(de.replace("1,5M", "1.5M").replace("2,35M", "2.35M"), en);
    let unknown = ok(&spec(json!("xx-YY")));
    assert_eq!(unknown.warnings.len(), 1, "{:?}", unknown.warnings);
    assert_eq!(unknown.warnings[0].path, "/options/locale");
    for bad in [json!("not a tag"), json!(7), json!("")] {
        let e = err(&spec(bad.clone()));
        assert!(
            has(&e, ErrorCode::ValidationError, "/options/locale"),
            "{bad}: {e:?}"
        );
    }
}
