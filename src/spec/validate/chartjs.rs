//! The Chart.js option subset clients send, normalised once here: per-dataset style options
//! (`tension`/`lineTension`, `pointRadius`, `borderDash`, `hidden`, `spanGaps`, `stack`, `type`)
//! and `options.scales` in both dialects (v2 `xAxes[]/yAxes[]`, v3 `x`/`y`).

use super::{child, invalid, json_kind as kind, present, quote};
use crate::spec::{
    AxisKind, AxisOptions, ChartType, PointStyle, SeriesStyle, Side, SpecError, Stepped, TickFormat,
};
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
    let point_style = match present(obj, "pointStyle") {
        None => PointStyle::default(),
        Some(v) => match v.as_str().and_then(|s| {
            PointStyle::NAMES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(s.trim()))
        }) {
            Some((_, style)) => *style,
            None => {
                let names: Vec<&str> = PointStyle::NAMES.iter().map(|(n, _)| *n).collect();
                errors.push(invalid(
                    child(path, "pointStyle"),
                    format!("`pointStyle` must be one of {}", names.join(", ")),
                ));
                PointStyle::default()
            }
        },
    };
    let order = number_in(obj, "order", path, -1e9..=1e9, errors).map_or(0, |o| o.round() as i64);
    let stepped = stepped(obj, path, errors);
    SeriesStyle {
        tension,
        point_radius,
        border_dash,
        hidden: boolean(obj, "hidden", path, errors).unwrap_or(false),
        span_gaps: boolean(obj, "spanGaps", path, errors).unwrap_or(false),
        stack: short_text(obj, "stack", path, errors),
        kind,
        secondary_axis: false,
        point_style,
        order,
        stepped,
    }
}

/// `stepped` (v2 `steppedLine`): `true`/`"before"`, `"after"`, `"middle"`, or `false`.
fn stepped(obj: &Map<String, Value>, path: &str, errors: &mut Vec<SpecError>) -> Stepped {
    let (key, value) = match (present(obj, "stepped"), present(obj, "steppedLine")) {
        (Some(v), _) => ("stepped", v),
        (None, Some(v)) => ("steppedLine", v),
        (None, None) => return Stepped::No,
    };
    match value {
        Value::Bool(false) => Stepped::No,
        Value::Bool(true) => Stepped::Before,
        Value::String(s) if s == "before" => Stepped::Before,
        Value::String(s) if s == "after" => Stepped::After,
        Value::String(s) if s == "middle" => Stepped::Middle,
        other => {
            errors.push(invalid(
                child(path, key),
                format!(
                    "`{key}` must be true, false, \"before\", \"after\" or \"middle\", got {}",
                    match other {
                        Value::String(s) => quote(s),
                        v => kind(v).to_owned(),
                    }
                ),
            ));
            Stepped::No
        }
    }
}

/// The axes of `options.scales` (and v2's radial `options.scale`).
#[derive(Debug, Default)]
pub(super) struct Scales {
    /// The category / horizontal axis.
    pub(super) x: AxisOptions,
    /// The first value axis.
    pub(super) y: AxisOptions,
    /// Its id (`y`, or v2's `yAxes[0].id`, default `y-axis-0`).
    pub(super) y_id: String,
    /// Every other vertical axis by id, in the order given.
    pub(super) others: Vec<(String, AxisOptions)>,
    /// The radial axis (`scales.r` / `scale`).
    pub(super) r: AxisOptions,
}

/// `options.scales` from either dialect, and the radial `options.scale` (v2).
pub(super) fn scales(o: &Map<String, Value>, errors: &mut Vec<SpecError>) -> Scales {
    let mut out = Scales {
        y_id: "y".to_owned(),
        ..Scales::default()
    };
    if let Some(scale) = present(o, "scale") {
        out.r = axis_options(scale, "/options/scale", true, errors);
    }
    let Some(scales) = present(o, "scales") else {
        return out;
    };
    let Some(scales) = scales.as_object() else {
        errors.push(invalid(
            "/options/scales",
            format!("`scales` must be an object, got {}", kind(scales)),
        ));
        return out;
    };
    let v2_list = |key: &str, errors: &mut Vec<SpecError>| -> Vec<(String, AxisOptions)> {
        match present(scales, key) {
            None => Vec::new(),
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let default_id = format!("{}-axis-{i}", &key[..1]);
                    let id = a
                        .get("id")
                        .and_then(Value::as_str)
                        .map_or(default_id, str::to_owned);
                    (
                        id,
                        axis_options(a, &format!("/options/scales/{key}/{i}"), true, errors),
                    )
                })
                .collect(),
            Some(other) => {
                errors.push(invalid(
                    child("/options/scales", key),
                    format!("`{key}` must be an array of axes, got {}", kind(other)),
                ));
                Vec::new()
            }
        }
    };
    let mut xs = v2_list("xAxes", errors);
    let mut ys = v2_list("yAxes", errors);
    for (id, axis) in scales {
        if id == "xAxes" || id == "yAxes" || axis.is_null() {
            continue;
        }
        let parsed = axis_options(axis, &child("/options/scales", id), false, errors);
        let declared = axis.get("axis").and_then(Value::as_str);
        let position = axis.get("position").and_then(Value::as_str);
        let is_x = declared.map_or_else(
            || id.starts_with('x') || matches!(position, Some("top" | "bottom")),
            |a| a == "x",
        );
        let is_r = declared == Some("r") || id == "r";
        if is_r {
            out.r = parsed;
        } else if is_x {
            // `x` itself goes first so it wins over other horizontal ids.
            if id == "x" {
                xs.insert(0, (id.clone(), parsed))
            } else {
                xs.push((id.clone(), parsed))
            }
        } else if id == "y" {
            ys.insert(0, (id.clone(), parsed));
        } else {
            ys.push((id.clone(), parsed));
        }
    }
    let mut ys = ys.into_iter();
    if let Some((_, x)) = xs.into_iter().next() {
        out.x = x;
    }
    if let Some((id, y)) = ys.next() {
        out.y_id = id;
        out.y = y;
    }
    out.others = ys.collect();
    out
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
    }
}

/// Longest `prefix` / `suffix` of a tick format.
const MAX_AFFIX_CHARS: usize = 12;
/// Most fixed decimals.
const MAX_DECIMALS: f64 = 6.0;

/// `ticks.format`: `{prefix, suffix, decimals, compact, percent}`.
fn tick_format(value: &Value, path: &str, errors: &mut Vec<SpecError>) -> TickFormat {
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

/// A `position` value (`top`, `bottom`, `left`, `right`) of the `what` object at `path`.
pub(super) fn position(
    value: &Value,
    path: &str,
    what: &str,
    errors: &mut Vec<SpecError>,
) -> Option<Side> {
    let found = value.as_str().and_then(|s| {
        Side::NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s.trim()))
            .map(|(_, side)| *side)
    });
    if found.is_none() {
        errors.push(invalid(
            child(path, "position"),
            format!("the {what} `position` must be \"top\", \"bottom\", \"left\" or \"right\""),
        ));
    }
    found
}
