//! chartjs-plugin-annotation's options, read as data: `options.plugins.annotation.annotations`
//! (an object of named annotations, or an array) and the 0.5 plugin's
//! `options.annotation.annotations` (an array; lines say `mode` and `scaleID`).
//!
//! Annotations decorate a chart, so a problem in one never refuses the chart: the annotation
//! (or the one option) is left out and a warning says where. Options that held a JavaScript
//! function were already taken out, with their own warning, by the compatibility pass.

use super::lenient::{MAX_PX, color, px, warn};
use super::{child, json_kind as kind, present, quote};
use crate::spec::SpecWarning;
use crate::spec::annotation::{
    Annotation, AnnotationKind, AnnotationLabel, AnnotationValue, LabelPosition, MAX_ANNOTATIONS,
    Span,
};
use serde_json::{Map, Value};

/// Most lines of one label's `content`.
const MAX_LABEL_LINES: usize = 10;
/// Most characters of one label line.
const MAX_LABEL_CHARS: usize = 100;
/// Most dash lengths in a `borderDash`.
const MAX_DASH_ITEMS: usize = 8;
/// Most sides of a polygon.
const MAX_SIDES: u8 = 64;
/// The options that place an annotation.
const POSITION_KEYS: [&str; 8] = [
    "xMin", "xMax", "yMin", "yMax", "xValue", "yValue", "value", "endValue",
];

/// The annotations of `options`, in drawing order.
pub(super) fn annotations(
    options: Option<&Value>,
    warnings: &mut Vec<SpecWarning>,
) -> Vec<Annotation> {
    let Some(o) = options.and_then(Value::as_object) else {
        return Vec::new();
    };
    let v4 = present(o, "plugins")
        .and_then(|p| p.get("annotation"))
        .map(|a| (a, "/options/plugins/annotation"));
    let v2 = present(o, "annotation").map(|a| (a, "/options/annotation"));
    let v2_dialect = v4.is_none() && v2.is_some();
    let Some((plugin, base)) = v4.or(v2) else {
        return Vec::new();
    };
    let Some(list) = plugin.get("annotations").filter(|v| !v.is_null()) else {
        return Vec::new();
    };
    let path = child(base, "annotations");
    let entries: Vec<(String, &Value)> = match list {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (super::at(&path, i), v))
            .collect(),
        Value::Object(named) => named.iter().map(|(k, v)| (child(&path, k), v)).collect(),
        other => {
            warn(
                warnings,
                &path,
                format!(
                    "`annotations` must be an object or an array, got {}; none drawn",
                    kind(other)
                ),
            );
            return Vec::new();
        }
    };
    let common = plugin.get("common").and_then(Value::as_object);
    let mut out = Vec::new();
    for (path, value) in entries {
        if out.len() == MAX_ANNOTATIONS {
            warn(
                warnings,
                &path,
                format!("more than {MAX_ANNOTATIONS} annotations: the rest are not drawn"),
            );
            break;
        }
        let Some(obj) = value.as_object() else {
            warn(
                warnings,
                &path,
                format!("an annotation must be an object, got {}", kind(value)),
            );
            continue;
        };
        // A bound that was a function (taken out, with its warning, by the compatibility pass)
        // would leave the annotation covering the whole plot: leave it out instead.
        let lost = POSITION_KEYS.iter().find(|k| {
            let key_path = child(&path, k);
            warnings
                .iter()
                .any(|w| w.path == key_path && w.message.contains("JavaScript function"))
        });
        if let Some(key) = lost {
            warn(
                warnings,
                &path,
                format!("not drawn: its `{key}` was a JavaScript function, which is never run"),
            );
            continue;
        }
        if let Some(mut a) = annotation(obj, common, &path, warnings) {
            a.numbers_are_labels = v2_dialect;
            out.push(a);
        }
    }
    out
}

/// One annotation; `None` (with a warning) when its type is not drawn or it is switched off.
fn annotation(
    obj: &Map<String, Value>,
    common: Option<&Map<String, Value>>,
    path: &str,
    warnings: &mut Vec<SpecWarning>,
) -> Option<Annotation> {
    if matches!(present(obj, "display"), Some(Value::Bool(false))) {
        return None;
    }
    let type_name = present(obj, "type").and_then(Value::as_str).unwrap_or("");
    let kind = match type_name {
        "line" => AnnotationKind::Line,
        "box" => AnnotationKind::Box,
        "ellipse" => AnnotationKind::Ellipse,
        "point" => AnnotationKind::Point,
        "polygon" => AnnotationKind::Polygon,
        "label" => AnnotationKind::Label,
        other => {
            warn(
                warnings,
                &child(path, "type"),
                format!(
                    "annotation type `{}` is not drawn (line, box, ellipse, point, polygon and label are)",
                    quote(other)
                ),
            );
            return None;
        }
    };
    let (x, y) = spans(obj, kind);
    let draw_time = present(obj, "drawTime")
        .or_else(|| common.and_then(|c| present(c, "drawTime")))
        .and_then(Value::as_str);
    let label = match kind {
        AnnotationKind::Label => text_label(obj, obj, path, warnings),
        _ => present(obj, "label")
            .and_then(Value::as_object)
            .and_then(|l| attached_label(l, &child(path, "label"), warnings)),
    };
    Some(Annotation {
        kind,
        x,
        y,
        border_color: color(obj, "borderColor", path, warnings),
        border_width: px(obj, "borderWidth", path, warnings),
        border_dash: dash(obj, path, warnings),
        background: color(obj, "backgroundColor", path, warnings),
        radius: px(obj, "radius", path, warnings),
        sides: present(obj, "sides")
            .and_then(Value::as_f64)
            .filter(|s| s.is_finite())
            .map_or(3, |s| s.clamp(3.0, f64::from(MAX_SIDES)) as u8),
        rotation: present(obj, "rotation")
            .and_then(Value::as_f64)
            .filter(|r| r.is_finite())
            .unwrap_or(0.0),
        label,
        below: matches!(draw_time, Some("beforeDraw" | "beforeDatasetsDraw")),
        numbers_are_labels: false,
    })
}

/// Where the annotation sits on each axis.
fn spans(obj: &Map<String, Value>, kind: AnnotationKind) -> (Span, Span) {
    let get = |key: &str| present(obj, key).and_then(value);
    let mut x = Span {
        min: get("xMin"),
        max: get("xMax"),
    };
    let mut y = Span {
        min: get("yMin"),
        max: get("yMax"),
    };
    match kind {
        AnnotationKind::Line => {
            // `scaleID` + `value` (+ `endValue`): a line across the plot at that value.
            if let Some(v) = get("value") {
                let end = get("endValue").or_else(|| Some(v.clone()));
                let span = Span {
                    min: Some(v),
                    max: end,
                };
                if on_x(obj) { x = span } else { y = span }
            }
        }
        AnnotationKind::Point | AnnotationKind::Polygon | AnnotationKind::Label => {
            // `xValue`/`yValue` win; else the centre of xMin..xMax × yMin..yMax.
            if let Some(v) = get("xValue") {
                x = Span {
                    min: Some(v),
                    max: None,
                };
            }
            if let Some(v) = get("yValue") {
                y = Span {
                    min: Some(v),
                    max: None,
                };
            }
        }
        AnnotationKind::Box | AnnotationKind::Ellipse => {}
    }
    (x, y)
}

/// Whether a line's `scaleID` (or the 0.5 plugin's `mode`) names an x scale.
fn on_x(obj: &Map<String, Value>) -> bool {
    if let Some(mode) = present(obj, "mode").and_then(Value::as_str) {
        return mode == "vertical";
    }
    present(obj, "scaleID")
        .and_then(Value::as_str)
        .is_some_and(|id| id.to_ascii_lowercase().starts_with('x'))
}

/// A position value: a finite number or a non-empty string.
fn value(v: &Value) -> Option<AnnotationValue> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .filter(|f| f.is_finite())
            .map(AnnotationValue::Number),
        Value::String(s) if !s.trim().is_empty() => Some(AnnotationValue::Text(s.clone())),
        _ => None,
    }
}

/// The label of a line or box (`label: {display | enabled, content, …}`); `None` unless shown.
fn attached_label(
    l: &Map<String, Value>,
    path: &str,
    warnings: &mut Vec<SpecWarning>,
) -> Option<AnnotationLabel> {
    let shown = [present(l, "display"), present(l, "enabled")]
        .into_iter()
        .flatten()
        .any(|v| v == &Value::Bool(true));
    if !shown {
        return None;
    }
    text_label(l, l, path, warnings)
}

/// A label from `content` and the text options of `l`; `None` when there is no text.
fn text_label(
    content_in: &Map<String, Value>,
    l: &Map<String, Value>,
    path: &str,
    warnings: &mut Vec<SpecWarning>,
) -> Option<AnnotationLabel> {
    let lines: Vec<String> = match present(content_in, "content")? {
        Value::String(s) => s.lines().map(str::to_owned).collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Value::Number(n) => vec![n.to_string()],
        _ => return None,
    };
    let lines: Vec<String> = lines
        .into_iter()
        .take(MAX_LABEL_LINES)
        .map(|s| s.chars().take(MAX_LABEL_CHARS).collect())
        .collect();
    if lines.iter().all(|s| s.trim().is_empty()) {
        return None;
    }
    let (x_position, y_position) = match present(l, "position") {
        Some(Value::String(s)) => (position(s), position(s)),
        Some(Value::Object(p)) => (
            p.get("x")
                .and_then(Value::as_str)
                .map_or_else(Default::default, position),
            p.get("y")
                .and_then(Value::as_str)
                .map_or_else(Default::default, position),
        ),
        _ => Default::default(),
    };
    let size = present(l, "font")
        .and_then(|f| f.get("size"))
        .or_else(|| present(l, "fontSize"))
        .and_then(Value::as_f64)
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| s.min(MAX_PX) as f32);
    Some(AnnotationLabel {
        lines,
        color: color(l, "color", path, warnings).or(color(l, "fontColor", path, warnings)),
        background: color(l, "backgroundColor", path, warnings),
        x_position,
        y_position,
        size,
    })
}

/// `start`/`left`/`top`, `end`/`right`/`bottom`, else the centre.
fn position(s: &str) -> LabelPosition {
    match s {
        "start" | "left" | "top" => LabelPosition::Start,
        "end" | "right" | "bottom" => LabelPosition::End,
        _ => LabelPosition::Center,
    }
}

/// `borderDash`: up to [`MAX_DASH_ITEMS`] lengths, at least one of them positive.
fn dash(obj: &Map<String, Value>, path: &str, warnings: &mut Vec<SpecWarning>) -> Vec<f64> {
    let Some(v) = present(obj, "borderDash") else {
        return Vec::new();
    };
    let lengths: Option<Vec<f64>> = v.as_array().and_then(|items| {
        (items.len() <= MAX_DASH_ITEMS)
            .then(|| {
                items
                    .iter()
                    .map(|i| {
                        i.as_f64()
                            .filter(|n| n.is_finite() && (0.0..=MAX_PX).contains(n))
                    })
                    .collect()
            })
            .flatten()
    });
    match lengths {
        Some(l) if l.is_empty() || l.iter().any(|d| *d > 0.0) => l,
        _ => {
            warn(
                warnings,
                &child(path, "borderDash"),
                format!(
                    "`borderDash` must be up to {MAX_DASH_ITEMS} lengths from 0 to {MAX_PX} px; drawn solid"
                ),
            );
            Vec::new()
        }
    }
}
