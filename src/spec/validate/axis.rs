//! One axis object of `options.scales` in either dialect (v3 `scales.<id>`, v2 `xAxes[]` /
//! `yAxes[]` with `ticks.min`, `scaleLabel`, `gridLines`): bounds, ticks, title, grid, side and
//! direction.

use super::read::{boolean, number_in, position, short_text};
use super::{child, invalid, json_kind as kind, present};
use crate::spec::{AxisKind, AxisOptions, Grace, SpecError, TickFormat};
use serde_json::Value;

/// One axis object; `v2` reads `ticks.min/max/beginAtZero`, `scaleLabel`, `gridLines`.
pub(super) fn axis_options(
    value: &Value,
    path: &str,
    v2: bool,
    errors: &mut Vec<SpecError>,
) -> AxisOptions {
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
    let suggested_min = bound("suggestedMin", errors);
    let suggested_max = bound("suggestedMax", errors);
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
    let grid_obj = present(axis, grid_key).and_then(Value::as_object);
    let grid = grid_obj.and_then(|g| boolean(g, "display", &child(path, grid_key), errors));
    let grid_on_chart = grid_obj
        .and_then(|g| boolean(g, "drawOnChartArea", &child(path, grid_key), errors))
        .unwrap_or(true);
    let reverse = boolean(axis, "reverse", path, errors)
        .or_else(|| ticks.and_then(|t| boolean(t, "reverse", &ticks_path, errors)))
        .unwrap_or(false);
    let max_ticks = ticks
        .and_then(|t| {
            number_in(
                t,
                "maxTicksLimit",
                &ticks_path,
                1.0..=MAX_TICKS_LIMIT,
                errors,
            )
        })
        .map(|n| n.floor() as usize);
    let tick_color = ticks.and_then(|t| tick_color(t, &ticks_path, errors));
    let grace = present(axis, "grace").and_then(|g| grace(g, &child(path, "grace"), errors));
    let kind_of = match present(axis, "type") {
        None => None,
        Some(t) => {
            let found = match t.as_str() {
                Some("linear") => Some(AxisKind::Linear),
                Some("logarithmic") => Some(AxisKind::Logarithmic),
                Some("category") => Some(AxisKind::Category),
                Some("time" | "timeseries") => Some(AxisKind::Time),
                _ => None,
            };
            if found.is_none() {
                errors.push(invalid(
                    child(path, "type"),
                    "the axis `type` must be linear, logarithmic, category or time",
                ));
            }
            found
        }
    };
    let position = present(axis, "position").and_then(|p| position(p, path, "axis", errors));
    let displayed = boolean(axis, "display", path, errors).unwrap_or(true);
    let ticks_shown = ticks
        .and_then(|t| boolean(t, "display", &ticks_path, errors))
        .unwrap_or(true);
    let format = ticks
        .and_then(|t| present(t, "format"))
        .map(|f| tick_format(f, &child(&ticks_path, "format"), errors))
        .unwrap_or_default();
    AxisOptions {
        min,
        max,
        begin_at_zero,
        stacked: boolean(axis, "stacked", path, errors).unwrap_or(false),
        step,
        title,
        grid: if displayed { grid } else { Some(false) },
        kind: kind_of,
        position,
        format,
        ticks: displayed && ticks_shown,
        reverse,
        suggested_min,
        suggested_max,
        grace,
        max_ticks,
        grid_on_chart,
        tick_color,
        time: time_options(axis),
    }
}

/// `time.unit` and `time.displayFormats`: a unit or format this service cannot read is left
/// out (the ticks choose their own), as the lint warns.
fn time_options(axis: &serde_json::Map<String, Value>) -> crate::spec::time::TimeOptions {
    use crate::spec::time::{TimeOptions, TimeUnit, display_format};
    let Some(time) = present(axis, "time").and_then(Value::as_object) else {
        return TimeOptions::default();
    };
    let unit = time
        .get("unit")
        .and_then(Value::as_str)
        .and_then(TimeUnit::parse);
    let formats = time
        .get("displayFormats")
        .and_then(Value::as_object)
        .map(|f| {
            f.iter()
                .filter_map(|(k, v)| Some((TimeUnit::parse(k)?, display_format(v.as_str()?)?)))
                .collect()
        })
        .unwrap_or_default();
    TimeOptions { unit, formats }
}

/// `ticks.color` (v2 `ticks.fontColor`): a CSS colour.
fn tick_color(
    ticks: &serde_json::Map<String, Value>,
    path: &str,
    errors: &mut Vec<SpecError>,
) -> Option<peniko::Color> {
    let (key, value) = ["color", "fontColor"]
        .into_iter()
        .find_map(|k| present(ticks, k).map(|v| (k, v)))?;
    let parsed = value.as_str().and_then(super::read::parse_css_color);
    if parsed.is_none() {
        errors.push(invalid(
            child(path, key),
            format!("`{key}` must be a CSS colour, got {}", kind(value)),
        ));
    }
    parsed
}

/// Largest `ticks.maxTicksLimit` read (more ticks than this never fit an axis).
const MAX_TICKS_LIMIT: f64 = 1000.0;

/// An axis `grace`: a non-negative number of axis units, or a percentage string (`"5%"`), as
/// Chart.js's `toDimension` reads it.
fn grace(value: &Value, path: &str, errors: &mut Vec<SpecError>) -> Option<Grace> {
    let read = match value {
        Value::Number(n) => n
            .as_f64()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(Grace::Units),
        Value::String(s) => {
            let s = s.trim();
            match s.strip_suffix('%') {
                Some(p) => p.trim().parse::<f64>().ok().map(|v| Grace::Share(v / 100.0)),
                None => s.parse::<f64>().ok().map(Grace::Units),
            }
            .filter(|g| matches!(g, Grace::Units(v) | Grace::Share(v) if v.is_finite() && *v >= 0.0 && *v <= 1e6))
        }
        _ => None,
    };
    if read.is_none() {
        errors.push(
            invalid(
                path,
                format!(
                    "`grace` must be a number of axis units or a percentage, got {}",
                    match value {
                        Value::String(s) => format!("\"{}\"", super::quote(s)),
                        other => kind(other).to_owned(),
                    }
                ),
            )
            .with_hint(r#"e.g. 5 or "10%""#),
        );
    }
    read
}

/// Longest `prefix` / `suffix` of a tick format.
const MAX_AFFIX_CHARS: usize = 12;
/// Most fixed decimals.
const MAX_DECIMALS: f64 = 6.0;

/// `ticks.format`: `{prefix, suffix, decimals, compact, percent}`.
pub(super) fn tick_format(value: &Value, path: &str, errors: &mut Vec<SpecError>) -> TickFormat {
    let Some(f) = value.as_object() else {
        errors.push(
            invalid(
                path,
                format!("`format` must be an object, got {}", kind(value)),
            )
            .with_hint(
                r#"e.g. {"prefix": "$", "compact": true} or {"suffix": "%", "decimals": 1}"#,
            ),
        );
        return TickFormat::default();
    };
    let affix = |key: &str, errors: &mut Vec<SpecError>| match present(f, key) {
        None => String::new(),
        Some(Value::String(s)) if s.chars().count() <= MAX_AFFIX_CHARS => s.clone(),
        Some(_) => {
            errors.push(invalid(
                child(path, key),
                format!("`{key}` must be a string of at most {MAX_AFFIX_CHARS} characters"),
            ));
            String::new()
        }
    };
    TickFormat {
        prefix: affix("prefix", errors),
        suffix: affix("suffix", errors),
        decimals: number_in(f, "decimals", path, 0.0..=MAX_DECIMALS, errors).map(|d| d as u8),
        compact: boolean(f, "compact", path, errors),
        percent: boolean(f, "percent", path, errors).unwrap_or(false),
    }
}
