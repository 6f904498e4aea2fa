//! chartjs-plugin-datalabels styling, for the chart (`options.plugins.datalabels`) and per
//! dataset (`data.datasets[i].datalabels`): `anchor`, `align`, `offset`, `color`, `font`,
//! `backgroundColor`, `borderColor`, `borderWidth`, `borderRadius`, `padding`, `display` and a
//! declarative `format` (which a recognised `formatter` has become in `compat`). Labels are
//! cosmetic: a value of the wrong shape is left at its default with a warning, never refuses the
//! chart.

use super::lenient::{MAX_PX, color, px, warn};
use super::{child, json_kind as kind, present};
use crate::spec::label_style::{
    CenterLabel, LabelAlign, LabelAnchor, LabelPaint, LabelStyle, OutLabels,
};
use crate::spec::{Dataset, SpecWarning};
use serde_json::{Map, Value};

/// Font sizes accepted, in px.
const SIZE_RANGE: std::ops::RangeInclusive<f64> = 4.0..=200.0;

/// Reads the chart's label style into `style` and each dataset's into its series style.
pub(super) fn apply(
    root: &Map<String, Value>,
    style: &mut LabelStyle,
    datasets: Option<&mut Vec<Dataset>>,
    warnings: &mut Vec<SpecWarning>,
) {
    let chart = root
        .get("options")
        .and_then(|o| o.get("plugins"))
        .and_then(|p| p.get("datalabels"))
        .and_then(Value::as_object);
    if let Some(obj) = chart {
        *style = label_style(obj, "/options/plugins/datalabels", warnings);
    }
    let (Some(datasets), Some(raw)) = (
        datasets,
        root.get("data")
            .and_then(|d| d.get("datasets"))
            .and_then(Value::as_array),
    ) else {
        return;
    };
    for (i, (ds, raw)) in datasets.iter_mut().zip(raw).enumerate() {
        let path = format!("/data/datasets/{i}/datalabels");
        match raw.get("datalabels") {
            None | Some(Value::Null) => {}
            Some(Value::Object(obj)) => ds.style.labels = label_style(obj, &path, warnings),
            Some(Value::Bool(b)) => ds.style.labels.display = Some(*b),
            Some(other) => warn(
                warnings,
                &path,
                format!(
                    "`datalabels` must be an object or true/false, got {}",
                    kind(other)
                ),
            ),
        }
    }
}

/// Longest outside-label `text` template.
const MAX_TEMPLATE_CHARS: usize = 100;

/// `options.plugins.outlabels` (QuickChart's outside pie labels), unless `display: false`.
pub(super) fn outlabels(
    root: &Map<String, Value>,
    warnings: &mut Vec<SpecWarning>,
) -> Option<OutLabels> {
    let path = "/options/plugins/outlabels";
    let obj = root
        .get("options")?
        .get("plugins")?
        .get("outlabels")?
        .as_object()?;
    if present(obj, "display") == Some(&Value::Bool(false)) {
        return None;
    }
    let mut out = OutLabels::default();
    match present(obj, "text") {
        None => {}
        Some(Value::String(t)) if t.chars().count() <= MAX_TEMPLATE_CHARS => out.text = t.clone(),
        Some(_) => warn(
            warnings,
            &child(path, "text"),
            format!(
                "`text` must be a template of at most {MAX_TEMPLATE_CHARS} characters (%l, %p, %v)"
            ),
        ),
    }
    out.color = color(obj, "color", path, warnings);
    if let Some(s) = px(obj, "stretch", path, warnings) {
        out.stretch = s;
    }
    if let Some(font) = present(obj, "font").and_then(Value::as_object) {
        out.size = ["size", "maxSize"]
            .iter()
            .find_map(|k| font.get(*k).and_then(Value::as_f64))
            .filter(|s| SIZE_RANGE.contains(s))
            .map(|s| s as f32);
    }
    let decimals = |key: &str| {
        obj.get(key)
            .and_then(Value::as_f64)
            .filter(|d| (0.0..=6.0).contains(d))
            .map(|d| d as u8)
    };
    out.percent_decimals = decimals("percentPrecision").unwrap_or(out.percent_decimals);
    out.value_decimals = decimals("valuePrecision").unwrap_or(out.value_decimals);
    Some(out)
}

/// Most lines in a doughnut's hole, and the longest.
const MAX_CENTER_LINES: usize = 8;
const MAX_CENTER_CHARS: usize = 200;

/// `options.plugins.doughnutlabel.labels`: the lines drawn in a doughnut's hole.
pub(super) fn center_labels(
    root: &Map<String, Value>,
    warnings: &mut Vec<SpecWarning>,
) -> Vec<CenterLabel> {
    let path = "/options/plugins/doughnutlabel/labels";
    let Some(plugin) = root
        .get("options")
        .and_then(|o| o.get("plugins"))
        .and_then(|p| p.get("doughnutlabel"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    if present(plugin, "display") == Some(&Value::Bool(false)) {
        return Vec::new();
    }
    let Some(labels) = present(plugin, "labels").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, label) in labels.iter().enumerate().take(MAX_CENTER_LINES) {
        let at = format!("{path}/{i}");
        let Some(obj) = label.as_object() else {
            warn(
                warnings,
                &at,
                "a label must be an object such as {\"text\": \"550\"}".to_owned(),
            );
            continue;
        };
        let Some(text) = present(obj, "text").and_then(Value::as_str) else {
            warn(
                warnings,
                &child(&at, "text"),
                "`text` must be a string (functions are never run)".to_owned(),
            );
            continue;
        };
        let font = present(obj, "font").and_then(Value::as_object);
        let size = font
            .and_then(|f| f.get("size"))
            .and_then(Value::as_f64)
            .filter(|s| SIZE_RANGE.contains(s))
            .map(|s| s as f32);
        // `"fit"`: sized to the hole (a radial gauge's value, as that plugin sizes it).
        let fit = font.and_then(|f| f.get("size")) == Some(&Value::from("fit"));
        // A literal `\n` (as JavaScript sources escape it) breaks the line too.
        let text: String = text
            .replace("\\n", "\n")
            .chars()
            .take(MAX_CENTER_CHARS)
            .collect();
        for line in text.split('\n') {
            out.push(CenterLabel {
                text: line.to_owned(),
                size,
                fit,
                bold: font.and_then(|f| f.get("weight")).is_some_and(is_bold),
                color: color(obj, "color", &at, warnings),
            });
        }
    }
    out
}

/// Whether a `font.weight` is bold (`bold`, `bolder`, or 600 and up).
fn is_bold(w: &Value) -> bool {
    match w {
        Value::String(s) => {
            s == "bold" || s == "bolder" || s.parse::<f64>().is_ok_and(|n| n >= 600.0)
        }
        Value::Number(n) => n.as_f64().is_some_and(|n| n >= 600.0),
        _ => false,
    }
}

/// One `datalabels` object at `path`.
fn label_style(
    obj: &Map<String, Value>,
    path: &str,
    warnings: &mut Vec<SpecWarning>,
) -> LabelStyle {
    let mut out = LabelStyle {
        display: match present(obj, "display") {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            // The plugin's `"auto"` hides labels that would overlap; drawing them all is closer
            // than drawing none.
            Some(Value::String(s)) if s == "auto" => Some(true),
            Some(other) => {
                warn(
                    warnings,
                    &child(path, "display"),
                    format!(
                        "`display` must be true, false or \"auto\", got {}",
                        kind(other)
                    ),
                );
                None
            }
        },
        anchor: choice(obj, "anchor", path, warnings, |s| match s {
            "center" => Some(LabelAnchor::Center),
            "start" => Some(LabelAnchor::Start),
            "end" => Some(LabelAnchor::End),
            _ => None,
        }),
        align: align(obj, path, warnings),
        offset: px(obj, "offset", path, warnings),
        color: paint(obj, "color", path, warnings),
        background: paint(obj, "backgroundColor", path, warnings),
        border_color: paint(obj, "borderColor", path, warnings),
        border_width: px(obj, "borderWidth", path, warnings),
        border_radius: px(obj, "borderRadius", path, warnings),
        padding: padding(obj, path, warnings),
        ..LabelStyle::default()
    };
    if let Some(font) = present(obj, "font").and_then(Value::as_object) {
        let fpath = child(path, "font");
        out.size = match present(font, "size") {
            None => None,
            Some(v) => match v.as_f64().filter(|s| SIZE_RANGE.contains(s)) {
                Some(s) => Some(s as f32),
                None => {
                    warn(
                        warnings,
                        &child(&fpath, "size"),
                        format!(
                            "`size` must be a number of px from {} to {}",
                            SIZE_RANGE.start(),
                            SIZE_RANGE.end()
                        ),
                    );
                    None
                }
            },
        };
        out.bold = present(font, "weight").map(is_bold);
    }
    if let Some(f) = present(obj, "format") {
        let mut errors = Vec::new();
        let format = super::axis::tick_format(f, &child(path, "format"), &mut errors);
        if errors.is_empty() {
            out.format = Some(format);
        }
        for e in errors {
            warn(warnings, &e.path, e.message);
        }
    }
    out
}

/// `align`: a side, `start`/`end`/`center`, or a number of degrees.
fn align(
    obj: &Map<String, Value>,
    path: &str,
    warnings: &mut Vec<SpecWarning>,
) -> Option<LabelAlign> {
    if let Some(Value::Number(n)) = present(obj, "align") {
        return n
            .as_f64()
            .filter(|d| d.is_finite())
            .map(LabelAlign::Degrees);
    }
    choice(obj, "align", path, warnings, |s| match s {
        "center" => Some(LabelAlign::Center),
        "start" => Some(LabelAlign::Start),
        "end" => Some(LabelAlign::End),
        "right" => Some(LabelAlign::Degrees(0.0)),
        "bottom" => Some(LabelAlign::Degrees(90.0)),
        "left" => Some(LabelAlign::Degrees(180.0)),
        "top" => Some(LabelAlign::Degrees(270.0)),
        _ => None,
    })
}

/// A keyword at `obj[key]` that `read` knows.
fn choice<T>(
    obj: &Map<String, Value>,
    key: &str,
    path: &str,
    warnings: &mut Vec<SpecWarning>,
    read: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let v = present(obj, key)?;
    let found = v.as_str().and_then(|s| read(s.trim()));
    if found.is_none() {
        warn(
            warnings,
            &child(path, key),
            format!(
                "`{key}` {} is not one the labels know; the default is used",
                short(v)
            ),
        );
    }
    found
}

/// `padding`: one number or `{top, right, bottom, left}` (absent sides 4 px, the plugin's).
fn padding(
    obj: &Map<String, Value>,
    path: &str,
    warnings: &mut Vec<SpecWarning>,
) -> Option<[f64; 4]> {
    let v = present(obj, "padding")?;
    let ok = |v: &Value| {
        v.as_f64()
            .filter(|n| n.is_finite() && (0.0..=MAX_PX).contains(n))
    };
    match v {
        Value::Number(_) => {
            if let Some(n) = ok(v) {
                return Some([n; 4]);
            }
        }
        Value::Object(sides) => {
            let side = |k: &str| sides.get(k).and_then(ok);
            let all = [side("top"), side("right"), side("bottom"), side("left")];
            return Some(all.map(|s| s.unwrap_or(4.0)));
        }
        _ => {}
    }
    warn(
        warnings,
        &child(path, "padding"),
        format!("`padding` must be px from 0 to {MAX_PX} or {{top, right, bottom, left}}"),
    );
    None
}

/// A label colour at `obj[key]`: a CSS colour, or `"dataset.backgroundColor"` /
/// `"dataset.borderColor"` for the dataset's own.
fn paint(
    obj: &Map<String, Value>,
    key: &str,
    path: &str,
    warnings: &mut Vec<SpecWarning>,
) -> Option<LabelPaint> {
    match present(obj, key)?.as_str().map(str::trim) {
        Some("dataset.backgroundColor") => Some(LabelPaint::DatasetFill),
        Some("dataset.borderColor") => Some(LabelPaint::DatasetBorder),
        _ => color(obj, key, path, warnings).map(LabelPaint::Color),
    }
}

/// `v` as a short quotation for a message.
fn short(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{}\"", s.chars().take(40).collect::<String>()),
        other => kind(other).to_owned(),
    }
}
