//! chartjs-plugin-annotation options (issue 14 item 7): read in both dialects (v1+
//! `plugins.annotation.annotations` as an object or array; the 0.5 plugin's
//! `options.annotation.annotations` with `mode`/`scaleID`), a bad annotation left out with a
//! warning instead of refusing the chart, and the marks drawn where their values say, through
//! the CPU renderer. Goldens of the three corpus cases are in `golden_options`.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::spec::annotation::{AnnotationKind, AnnotationValue, LabelPosition};
use clovicharts::spec::{ChartSpec, from_value};
use serde_json::{Value, json};

fn ok(value: &Value) -> ChartSpec {
    from_value(value).unwrap_or_else(|e| panic!("expected a valid spec, got {e:?}"))
}

fn bar_with(options: Value) -> Value {
    json!({
        "type": "bar",
        "data": {"labels": ["a", "b", "c", "d"], "datasets": [{"data": [10, 20, 30, 40]}]},
        "options": options
    })
}

#[test]
fn v4_named_annotations_are_read() {
    let s = ok(&bar_with(
        json!({"plugins": {"annotation": {"annotations": {
            "goal": {"type": "line", "scaleID": "y", "value": 25, "borderColor": "red",
                     "borderWidth": 3, "borderDash": [6, 6],
                     "label": {"display": true, "content": "Goal", "position": "end"}},
            "zone": {"type": "box", "xMin": "b", "xMax": 2.5, "backgroundColor": "rgba(0,0,255,0.2)",
                     "drawTime": "beforeDatasetsDraw"},
            "dot": {"type": "point", "xValue": "c", "yValue": 30, "radius": 6},
            "note": {"type": "label", "xValue": 1, "yValue": 35, "content": ["two", "lines"]}
        }}}}),
    ));
    let all = &s.options.annotations;
    assert_eq!(all.len(), 4, "{all:?}");
    // Named annotations come in key order (JSON objects are read sorted).
    let of = |k: AnnotationKind| all.iter().find(|a| a.kind == k).unwrap();
    let line = of(AnnotationKind::Line);
    // A level line: both ends at 25 on y, the x span left to the plot's edges.
    assert_eq!(line.y.min, Some(AnnotationValue::Number(25.0)));
    assert_eq!(line.y.max, Some(AnnotationValue::Number(25.0)));
    assert_eq!(line.x.min, None);
    assert_eq!(line.border_dash, vec![6.0, 6.0]);
    assert!(!line.below, "afterDatasetsDraw is the default");
    let label = line.label.as_ref().unwrap();
    assert_eq!(label.lines, vec!["Goal".to_owned()]);
    assert_eq!(label.x_position, LabelPosition::End);
    let zone = of(AnnotationKind::Box);
    assert!(zone.below);
    assert_eq!(zone.x.min, Some(AnnotationValue::Text("b".into())));
    assert_eq!(of(AnnotationKind::Point).radius, Some(6.0));
    assert_eq!(
        of(AnnotationKind::Label)
            .label
            .as_ref()
            .unwrap()
            .lines
            .len(),
        2
    );
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn v2_lines_say_their_direction_with_mode() {
    let s = ok(&bar_with(json!({"annotation": {"annotations": [
        {"type": "line", "mode": "vertical", "scaleID": "x-axis-0", "value": "b",
         "label": {"enabled": true, "content": "Launch"}},
        {"type": "line", "mode": "horizontal", "scaleID": "y-axis-0", "value": 15, "endValue": 35}
    ]}})));
    let a = &s.options.annotations;
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].x.min, Some(AnnotationValue::Text("b".into())));
    assert_eq!(a[0].y.min, None);
    assert!(a[0].label.is_some(), "`enabled: true` shows the v2 label");
    assert_eq!(a[1].y.min, Some(AnnotationValue::Number(15.0)));
    assert_eq!(a[1].y.max, Some(AnnotationValue::Number(35.0)));
}

#[test]
fn a_bad_annotation_is_left_out_with_a_warning_and_the_chart_still_renders() {
    let spec = bar_with(json!({"plugins": {"annotation": {"annotations": {
        "a": {"type": "sparkle", "xValue": 1},
        "b": "not an object",
        "c": {"type": "line", "value": 20, "scaleID": "y", "borderColor": "no-such-colour",
              "borderWidth": -4},
        "d": {"type": "box", "display": false},
        "e": {"type": "line", "value": 20, "scaleID": "y",
              "label": {"display": true, "content": "(ctx) => ctx.chart.data.labels[0]"}}
    }}}}));
    let s = ok(&spec);
    let paths: Vec<&str> = s.warnings.iter().map(|w| w.path.as_str()).collect();
    for p in [
        "/options/plugins/annotation/annotations/a/type",
        "/options/plugins/annotation/annotations/b",
        "/options/plugins/annotation/annotations/c/borderColor",
        "/options/plugins/annotation/annotations/c/borderWidth",
        "/options/plugins/annotation/annotations/e/label/content",
    ] {
        assert!(paths.contains(&p), "no warning at {p}: {paths:?}");
    }
    // c keeps its value with default colour and width; d is switched off; e draws no label
    // (its content was a function). Named ones come in key order.
    let kinds: Vec<AnnotationKind> = s.options.annotations.iter().map(|a| a.kind).collect();
    assert_eq!(kinds, vec![AnnotationKind::Line, AnnotationKind::Line]);
    assert_eq!(s.options.annotations[0].border_color, None);
    assert_eq!(s.options.annotations[0].border_width, None);
    assert!(s.options.annotations[1].label.is_none());
    let img = common::render(&spec);
    assert_eq!((img.width, img.height), (800, 500));
}

#[test]
fn too_many_annotations_are_capped() {
    let many: Vec<Value> = (0..150)
        .map(|i| json!({"type": "line", "scaleID": "y", "value": i % 40}))
        .collect();
    let s = ok(&bar_with(
        json!({"plugins": {"annotation": {"annotations": many}}}),
    ));
    assert_eq!(
        s.options.annotations.len(),
        clovicharts::spec::annotation::MAX_ANNOTATIONS
    );
    assert!(s.warnings.iter().any(|w| w.message.contains("more than")));
}

/// The pixel (r, g, b) at `(x, y)`.
fn rgb(img: &clovicharts::render::Image, x: u32, y: u32) -> [u8; 3] {
    let i = ((y * img.width + x) * 4) as usize;
    [img.data[i], img.data[i + 1], img.data[i + 2]]
}

/// Rows of the image (in its middle column band) where pure red dominates.
fn red_rows(img: &clovicharts::render::Image, x: u32) -> Vec<u32> {
    (0..img.height)
        .filter(|&y| {
            let [r, g, b] = rgb(img, x, y);
            r > 200 && g < 80 && b < 80
        })
        .collect()
}

#[test]
fn a_level_line_is_drawn_at_its_value_across_the_plot() {
    // y runs 0..40 with the line at 20: half way up the plot. No title or legend.
    let line = |value: f64| {
        common::render(&bar_with(
            json!({"plugins": {"annotation": {"annotations": [
                {"type": "line", "scaleID": "y", "value": value, "borderColor": "#ff0000",
                 "borderWidth": 4}
            ]}}}),
        ))
    };
    let (low, high) = (line(10.0), line(30.0));
    let (lo_rows, hi_rows) = (red_rows(&low, 400), red_rows(&high, 400));
    assert!(
        !lo_rows.is_empty() && !hi_rows.is_empty(),
        "no red line drawn"
    );
    let mid = |r: &[u32]| (r[0] + r[r.len() - 1]) as f64 / 2.0;
    // Higher values are higher up (smaller y), by about half the plot between 10 and 30.
    assert!(
        mid(&hi_rows) + 100.0 < mid(&lo_rows),
        "{hi_rows:?} vs {lo_rows:?}"
    );
    // Across the plot: red near both sides, nothing red outside it (clipped).
    let row = hi_rows[hi_rows.len() / 2];
    let red_x: Vec<u32> = (0..800)
        .filter(|&x| {
            let [r, g, b] = rgb(&high, x, row);
            r > 200 && g < 80 && b < 80
        })
        .collect();
    assert!(red_x.len() > 500, "line spans {} px", red_x.len());
    assert!(red_x[0] > 20 && red_x[red_x.len() - 1] < 790, "{red_x:?}");
}

#[test]
fn a_box_over_categories_covers_their_bands_only() {
    // A box over the second category (1 ± 0.5), full height, in pure blue under the bars.
    let img = common::render(&json!({
        "type": "bar",
        "data": {"labels": ["a", "b", "c", "d"], "datasets": [{"data": [0, 0, 0, 0]}]},
        "options": {"plugins": {"annotation": {"annotations": [
            {"type": "box", "xMin": 0.5, "xMax": 1.5, "backgroundColor": "#0000ff",
             "borderWidth": 0}
        ]}}}
    }));
    let y = 250;
    let blue: Vec<u32> = (0..800)
        .filter(|&x| {
            let [r, g, b] = rgb(&img, x, y);
            b > 200 && r < 60 && g < 60
        })
        .collect();
    assert!(!blue.is_empty(), "no box drawn");
    let width = blue[blue.len() - 1] - blue[0] + 1;
    // One category band of four, within the plot (≈ 700 px wide).
    assert!((120..230).contains(&width), "box is {width} px wide");
    assert!(
        blue[0] > 150 && blue[blue.len() - 1] < 500,
        "{}..{}",
        blue[0],
        blue[blue.len() - 1]
    );
}
