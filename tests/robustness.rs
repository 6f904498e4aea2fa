//! Property test: any valid-shaped spec (all rendered types, extreme numbers, gaps, odd labels,
//! tiny and large canvases) renders without panicking into an image of the requested size, and
//! layout keeps every coordinate finite.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::figure::Item;
use clovicharts::render::{CpuRenderer, Renderer};
use clovicharts::text::TextShaper;
use proptest::prelude::*;
use serde_json::{Value, json};

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (-1000.0f64..1000.0).prop_map(|v| json!(v)),
        1 => prop_oneof![
            Just(json!(0)),
            Just(json!(f64::MAX)),
            Just(json!(-f64::MAX)),
            Just(json!(1e-300)),
            Just(json!(5e-324)),
            Just(json!(1e15)),
            Just(json!(-1e9)),
        ],
        1 => Just(Value::Null),
        1 => ((-1e6f64..1e6), (-1e6f64..1e6)).prop_map(|(x, y)| json!({"x": x, "y": y})),
        1 => ((-1e3f64..1e3), prop::option::of(-1e3f64..1e3), prop::collection::vec(-1e3f64..1e3, 0..5))
            .prop_map(|(v, t, r)| json!({"value": v, "target": t, "ranges": r})),
        1 => (0i64..800, -50f64..500.0).prop_map(|(d, v)| {
            let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(d as u64);
            json!({"date": date.format("%Y-%m-%d").to_string(), "value": v})
        }),
    ]
}

fn label() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[A-Za-z0-9 ]{0,12}".prop_map(Value::from),
        ".{0,60}".prop_map(Value::from),
        (0i64..100_000).prop_map(Value::from),
        Just(Value::Null),
    ]
}

fn color() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!("#ff0000")),
        Just(json!("rgba(0, 128, 255, 0.5)")),
        Just(json!(["red", "green", "hsl(200, 50%, 50%)"])),
        Just(json!("transparent")),
    ]
}

fn dataset() -> impl Strategy<Value = Value> {
    (
        prop::option::of(label()),
        prop::collection::vec(number(), 0..40),
        color(),
        prop::option::of(0.0f64..12.0),
    )
        .prop_map(|(label, data, color, width)| {
            let mut d = json!({ "data": data, "backgroundColor": color, "borderColor": color });
            if let Some(l) = label {
                d["label"] = l;
            }
            if let Some(w) = width {
                d["borderWidth"] = json!(w);
            }
            d
        })
}

fn spec() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec![
            "bar", "line", "pie", "donut", "doughnut", "scatter", "radar", "polar", "polarArea",
            "sparkline", "competitive_radar", "funnel", "bullet", "slope", "heatcalendar",
            "lollipop", "waterfall",
        ]),
        prop::collection::vec(label(), 0..50),
        prop::collection::vec(dataset(), 1..5),
        (16u32..700, 16u32..500),
        prop::sample::select(vec!["clovitek", "dark", "light"]),
        prop::option::of(".{0,120}"),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(ty, labels, datasets, (w, h), theme, title, legend)| {
            let mut options = json!({ "width": w, "height": h, "theme": theme });
            if let Some(t) = title {
                options["title"] = json!(t);
            }
            if let Some(l) = legend {
                options["legend"] = json!(l);
                // Reuse the coin for the Chart.js layout options.
                options["indexAxis"] = json!(if l { "y" } else { "x" });
                options["sort"] = json!(if l { "desc" } else { "none" });
                options["scales"] = json!({"y": {"stacked": l, "beginAtZero": !l}});
            }
            json!({ "type": ty, "data": { "labels": labels, "datasets": datasets }, "options": options })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn valid_shaped_specs_render(value in spec()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        // The generator only makes valid specs: each must validate, lay out and render.
        let parsed = clovicharts::spec::parse_spec(&bytes);
        prop_assert!(parsed.is_ok(), "rejected: {:?}", parsed.err());
        if let Ok(spec) = parsed {
            let mut shaper = TextShaper::new();
            let figure = clovicharts::layout::layout(&spec, &mut shaper);
            for item in &figure.items {
                match item {
                    Item::Fill { shape, .. } | Item::Stroke { shape, .. } | Item::PushClip(shape) => {
                        prop_assert!(common::shape_is_finite(shape), "non-finite shape {shape:?}");
                    }
                    Item::Text(t) => prop_assert!(t.transform.is_finite()),
                    Item::PopClip => {}
                }
            }
            let image = CpuRenderer::new().render(&figure).unwrap();
            prop_assert_eq!(image.data.len(), (spec.options.width * spec.options.height * 4) as usize);
        }
    }
}
