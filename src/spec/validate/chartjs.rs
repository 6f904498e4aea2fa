//! The Chart.js option subset clients send, normalised once here: per-dataset style options
//! (`tension`/`lineTension`, `pointRadius`, `borderDash`, `hidden`, `spanGaps`, `stack`, `type`)
//! and `options.scales` in both dialects (v2 `xAxes[]/yAxes[]`, v3 `x`/`y`).

use super::axis::axis_options;
use super::read::{boolean, number_in, short_text};
use super::{child, invalid, json_kind as kind, present, quote};
use crate::spec::{AxisOptions, ChartType, PointStyle, SeriesStyle, SpecError, Stepped};
use serde_json::{Map, Value};

/// Longest dash pattern accepted (Chart.js clients send two or four numbers).
const MAX_DASH_ITEMS: usize = 8;
/// Largest marker radius or dash length in px.
const MAX_STYLE_PX: f64 = 100.0;
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
        labels: Default::default(),
        // Read with the dataset's `fill`, which needs its index.
        fill_to: None,
        monotone: present(obj, "cubicInterpolationMode").and_then(Value::as_str)
            == Some("monotone"),
        fill_sides: ["above", "below"].map(|k| {
            present(obj, "fill")
                .and_then(|f| f.get(k))
                .and_then(Value::as_str)
                .and_then(super::read::parse_css_color)
        }),
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
