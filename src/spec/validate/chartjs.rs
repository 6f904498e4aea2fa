//! The Chart.js option subset clients send, normalised once here: per-dataset style options
//! (`tension`/`lineTension`, `pointRadius`, `borderDash`, `hidden`, `spanGaps`, `stack`, `type`)
//! and `options.scales` in both dialects (v2 `xAxes[]/yAxes[]`, v3 `x`/`y`).

use super::{child, invalid, json_kind as kind, present, quote};
use crate::spec::{AxisOptions, ChartType, SeriesStyle, SpecError};
use serde_json::{Map, Value};

/// Longest dash pattern accepted (Chart.js clients send two or four numbers).
const MAX_DASH_ITEMS: usize = 8;
/// Largest marker radius or dash length in px.
const MAX_STYLE_PX: f64 = 100.0;
/// Longest stack id or axis title in characters.
const MAX_NAME_CHARS: usize = 200;

/// A finite number at `obj[key]` within `range`, recording an error otherwise.
fn number_in(
    obj: &Map<String, Value>,
    key: &str,
    path: &str,
    range: std::ops::RangeInclusive<f64>,
    errors: &mut Vec<SpecError>,
) -> Option<f64> {
    let value = present(obj, key)?;
    match value
        .as_f64()
        .filter(|v| v.is_finite() && range.contains(v))
    {
        Some(v) => Some(v),
        None => {
            errors.push(invalid(
                child(path, key),
                format!(
                    "`{key}` must be a number from {} to {}, got {}",
                    range.start(),
                    range.end(),
                    match value {
                        Value::Number(n) => n.to_string(),
                        other => kind(other).to_owned(),
                    }
                ),
            ));
            None
        }
    }
}

/// A boolean at `obj[key]` (absent = `None`).
fn boolean(
    obj: &Map<String, Value>,
    key: &str,
    path: &str,
    errors: &mut Vec<SpecError>,
) -> Option<bool> {
    let value = present(obj, key)?;
    match value.as_bool() {
        Some(b) => Some(b),
        None => {
            errors.push(invalid(
                child(path, key),
                format!("`{key}` must be true or false, got {}", kind(value)),
            ));
            None
        }
    }
}

/// A short string at `obj[key]`.
fn short_text(
    obj: &Map<String, Value>,
    key: &str,
    path: &str,
    errors: &mut Vec<SpecError>,
) -> Option<String> {
    let value = present(obj, key)?;
    match value {
        Value::String(s) if s.chars().count() <= MAX_NAME_CHARS => Some(s.trim().to_owned()),
        Value::String(_) => {
            errors.push(invalid(
                child(path, key),
                format!("`{key}` is longer than {MAX_NAME_CHARS} characters"),
            ));
            None
        }
        Value::Number(n) => Some(n.to_string()),
        other => {
            errors.push(invalid(
                child(path, key),
                format!("`{key}` must be a string, got {}", kind(other)),
            ));
            None
        }
    }
}

/// The Chart.js style options of dataset `obj` at `path`.
pub(super) fn series_style(
    obj: &Map<String, Value>,
    path: &str,
    errors: &mut Vec<SpecError>,
) -> SeriesStyle {
    let tension = number_in(obj, "tension", path, 0.0..=1.0, errors)
        .or_else(|| number_in(obj, "lineTension", path, 0.0..=1.0, errors))
        .unwrap_or(0.0);
    let point_radius = number_in(obj, "pointRadius", path, 0.0..=MAX_STYLE_PX, errors);
    let border_dash = match present(obj, "borderDash") {
        None => Vec::new(),
        Some(Value::Array(items))
            if items.len() <= MAX_DASH_ITEMS
                && items.iter().all(|v| {
                    v.as_f64()
                        .is_some_and(|d| d.is_finite() && (0.0..=MAX_STYLE_PX).contains(&d))
                }) =>
        {
            let dashes: Vec<f64> = items.iter().filter_map(Value::as_f64).collect();
            // An all-zero pattern would draw nothing; treat it as solid.
            if dashes.iter().all(|d| *d == 0.0) {
                Vec::new()
            } else {
                dashes
            }
        }
        Some(_) => {
            errors.push(invalid(
                child(path, "borderDash"),
                format!(
                    "`borderDash` must be an array of up to {MAX_DASH_ITEMS} lengths from 0 to {MAX_STYLE_PX} px, e.g. [6, 4]"
                ),
            ));
            Vec::new()
        }
    };
    let kind = match present(obj, "type") {
        None => None,
        Some(Value::String(s)) => match ChartType::parse(s.trim()) {
            Some(t @ (ChartType::Bar | ChartType::Line)) => Some(t),
            _ => {
                errors.push(invalid(
                    child(path, "type"),
                    format!(
                        "a dataset's `type` must be \"bar\" or \"line\" (for mixed charts), got {}",
                        quote(s)
                    ),
                ));
                None
            }
        },
        Some(other) => {
            errors.push(invalid(
                child(path, "type"),
                format!("`type` must be a string, got {}", kind(other)),
            ));
            None
        }
    };
    SeriesStyle {
        tension,
        point_radius,
        border_dash,
        hidden: boolean(obj, "hidden", path, errors).unwrap_or(false),
        span_gaps: boolean(obj, "spanGaps", path, errors).unwrap_or(false),
        stack: short_text(obj, "stack", path, errors),
        kind,
    }
}

/// `options.scales`: `(x, y)` axis options from either dialect.
pub(super) fn scales(
    o: &Map<String, Value>,
    errors: &mut Vec<SpecError>,
) -> (AxisOptions, AxisOptions) {
    let Some(scales) = present(o, "scales") else {
        return Default::default();
    };
    let Some(scales) = scales.as_object() else {
        errors.push(invalid(
            "/options/scales",
            format!("`scales` must be an object, got {}", kind(scales)),
        ));
        return Default::default();
    };
    let pick = |v3: &str, v2: &str, errors: &mut Vec<SpecError>| -> AxisOptions {
        if let Some(axis) = present(scales, v3) {
            return axis_options(axis, &child("/options/scales", v3), false, errors);
        }
        match present(scales, v2) {
            None => AxisOptions::default(),
            Some(Value::Array(list)) => match list.first() {
                Some(first) => {
                    axis_options(first, &format!("/options/scales/{v2}/0"), true, errors)
                }
                None => AxisOptions::default(),
            },
            Some(other) => {
                errors.push(invalid(
                    child("/options/scales", v2),
                    format!("`{v2}` must be an array of axes, got {}", kind(other)),
                ));
                AxisOptions::default()
            }
        }
    };
    let x = pick("x", "xAxes", errors);
    let y = pick("y", "yAxes", errors);
    (x, y)
}

/// One axis object; `v2` reads `ticks.min/max/beginAtZero`, `scaleLabel`, `gridLines`.
fn axis_options(value: &Value, path: &str, v2: bool, errors: &mut Vec<SpecError>) -> AxisOptions {
    let Some(axis) = value.as_object() else {
        errors.push(invalid(
            path,
            format!("an axis must be an object, got {}", kind(value)),
        ));
        return AxisOptions::default();
    };
    let ticks_path = child(path, "ticks");
    let ticks = present(axis, "ticks").and_then(Value::as_object);
    let bound = |key: &str, errors: &mut Vec<SpecError>| {
        let direct = number_in(axis, key, path, -f64::MAX..=f64::MAX, errors);
        direct.or_else(|| {
            ticks.and_then(|t| number_in(t, key, &ticks_path, -f64::MAX..=f64::MAX, errors))
        })
    };
    let min = bound("min", errors);
    let max = bound("max", errors);
    if let (Some(lo), Some(hi)) = (min, max)
        && lo >= hi
    {
        errors.push(invalid(
            path,
            format!("the axis `min` ({lo}) must be below its `max` ({hi})"),
        ));
    }
    let begin_at_zero = boolean(axis, "beginAtZero", path, errors)
        .or_else(|| ticks.and_then(|t| boolean(t, "beginAtZero", &ticks_path, errors)))
        .unwrap_or(false);
    let step = ticks.and_then(|t| {
        number_in(
            t,
            "stepSize",
            &ticks_path,
            f64::MIN_POSITIVE..=f64::MAX,
            errors,
        )
    });
    let (title_key, grid_key) = if v2 {
        ("scaleLabel", "gridLines")
    } else {
        ("title", "grid")
    };
    let title = present(axis, title_key)
        .and_then(Value::as_object)
        .and_then(|t| {
            let shown = t.get("display").and_then(Value::as_bool).unwrap_or(true);
            let text_key = if v2 { "labelString" } else { "text" };
            shown
                .then(|| short_text(t, text_key, &child(path, title_key), errors))
                .flatten()
                .filter(|s| !s.is_empty())
        });
    let grid = present(axis, grid_key)
        .and_then(Value::as_object)
        .and_then(|g| boolean(g, "display", &child(path, grid_key), errors));
    if let Some(t) = present(axis, "type") {
        let ok = t.as_str().is_some_and(|t| {
            ["linear", "category", "logarithmic", "time", "timeseries"].contains(&t)
        });
        if !ok {
            errors.push(invalid(
                child(path, "type"),
                "the axis `type` must be linear, logarithmic, category or time",
            ));
        }
    }
    AxisOptions {
        min,
        max,
        begin_at_zero,
        stacked: boolean(axis, "stacked", path, errors).unwrap_or(false),
        step,
        title,
        grid,
    }
}
