//! Options about the canvas and frame rather than the data: legend `position`, `layout.padding`,
//! pie geometry (`cutout`, `rotation`, `circumference`), request-level `backgroundColor`,
//! `devicePixelRatio` and data labels (`plugins.datalabels`).

use super::{child, invalid, json_kind as kind, present};
use crate::spec::{
    ArcOptions, ChartOptions, Cutout, ErrorCode, MAX_PIXELS, Padding, Side, SpecError, ThemeName,
};
use serde_json::{Map, Value};
use std::f64::consts::TAU;

/// Largest `layout.padding` on one side, in px.
const MAX_PADDING: f64 = 400.0;
/// `devicePixelRatio` bounds: 1 (plain) to 3 (the densest phone screens).
pub const PIXEL_RATIO_RANGE: std::ops::RangeInclusive<f64> = 1.0..=3.0;
/// Largest donut hole as a share of the radius: a thinner ring cannot be seen.
const MAX_CUTOUT_SHARE: f64 = 0.95;

/// Reads the canvas and frame options of `root` (the request) and `o` (its `options`) into `out`.
pub(super) fn apply(
    root: &Map<String, Value>,
    o: Option<&Map<String, Value>>,
    out: &mut ChartOptions,
    errors: &mut Vec<SpecError>,
) {
    if let Some(value) = present(root, "backgroundColor") {
        match value.as_str().and_then(super::read::parse_css_color) {
            Some(c) => out.background = Some(c),
            None => errors.push(
                invalid(
                    "/backgroundColor",
                    "`backgroundColor` must be a CSS colour string such as \"#ffffff\" or \"transparent\"",
                )
                .with_hint("it sets the canvas colour; the theme's is used when absent"),
            ),
        }
    }
    let ratio = present(root, "devicePixelRatio")
        .map(|v| (v, "/devicePixelRatio"))
        .or_else(|| {
            o.and_then(|o| present(o, "devicePixelRatio"))
                .map(|v| (v, "/options/devicePixelRatio"))
        });
    if let Some((value, path)) = ratio {
        match value.as_f64().filter(|r| PIXEL_RATIO_RANGE.contains(r)) {
            Some(r) => {
                out.pixel_ratio = r;
                let pixels =
                    (f64::from(out.width) * r).round() * (f64::from(out.height) * r).round();
                if pixels > MAX_PIXELS as f64 {
                    errors.push(
                        SpecError::new(
                            ErrorCode::ChartTooLarge,
                            path,
                            format!(
                                "{} × {} at devicePixelRatio {r} is {pixels} pixels, more than the limit of {MAX_PIXELS}",
                                out.width, out.height
                            ),
                        )
                        .with_hint("lower the ratio or the width and height"),
                    );
                }
            }
            None => errors.push(invalid(
                path,
                format!(
                    "`devicePixelRatio` must be a number from {} to {}",
                    PIXEL_RATIO_RANGE.start(),
                    PIXEL_RATIO_RANGE.end()
                ),
            )),
        }
    }
    // A light canvas with the default (dark) theme would leave light text on white: without an
    // explicit theme, pick the one whose text reads on the requested colour.
    let theme_given = o.is_some_and(|o| present(o, "theme").is_some());
    if let Some(bg) = out.background
        && !theme_given
        && bg.components[3] >= 0.5
    {
        let [r, g, b, _] = bg.components;
        let luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        out.theme = if luma > 0.5 {
            ThemeName::Light
        } else {
            ThemeName::Clovitek
        };
    }
    let Some(o) = o else { return };
    let plugins = present(o, "plugins").and_then(Value::as_object);
    out.legend_position = legend_position(o, plugins, errors);
    out.padding = padding(o, errors);
    out.arc = arc(o, errors);
    out.data_labels = data_labels(plugins, errors);
}

/// `legend.position` under `options` or `options.plugins`.
fn legend_position(
    o: &Map<String, Value>,
    plugins: Option<&Map<String, Value>>,
    errors: &mut Vec<SpecError>,
) -> Option<Side> {
    let (legend, path) = match present(o, "legend").and_then(Value::as_object) {
        Some(l) => (l, "/options/legend"),
        None => (
            plugins?.get("legend")?.as_object()?,
            "/options/plugins/legend",
        ),
    };
    super::read::position(present(legend, "position")?, path, "legend", errors)
}

/// `layout.padding`: one number for every side or `{top, right, bottom, left}`.
fn padding(o: &Map<String, Value>, errors: &mut Vec<SpecError>) -> Padding {
    let Some(layout) = present(o, "layout") else {
        return Padding::default();
    };
    let Some(value) = layout.as_object().and_then(|l| present(l, "padding")) else {
        if !layout.is_object() {
            errors.push(invalid(
                "/options/layout",
                format!("`layout` must be an object, got {}", kind(layout)),
            ));
        }
        return Padding::default();
    };
    let path = "/options/layout/padding";
    let side = |v: &Value, path: &str, errors: &mut Vec<SpecError>| match v.as_f64() {
        Some(px) if (0.0..=MAX_PADDING).contains(&px) => Some(px),
        _ => {
            errors.push(invalid(
                path,
                format!("padding must be a number of px from 0 to {MAX_PADDING}"),
            ));
            None
        }
    };
    match value {
        Value::Number(_) => {
            let all = side(value, path, errors);
            Padding {
                top: all,
                right: all,
                bottom: all,
                left: all,
            }
        }
        Value::Object(sides) => {
            let get = |key: &str, errors: &mut Vec<SpecError>| {
                present(sides, key).and_then(|v| side(v, &child(path, key), errors))
            };
            Padding {
                top: get("top", errors),
                right: get("right", errors),
                bottom: get("bottom", errors),
                left: get("left", errors),
            }
        }
        other => {
            errors.push(invalid(
                path,
                format!(
                    "`padding` must be a number or {{top, right, bottom, left}}, got {}",
                    kind(other)
                ),
            ));
            Padding::default()
        }
    }
}

/// Whether an angle reads as Chart.js v2 radians (v3+ sends degrees): not a whole number and
/// within one turn (−0.5π, π, 2π…); no one writes 1.5707963 meaning degrees.
fn is_radians(v: f64) -> bool {
    v.fract() != 0.0 && v.abs() <= TAU + 1e-9
}

/// `cutout` / `cutoutPercentage`, `rotation`, `circumference`.
fn arc(o: &Map<String, Value>, errors: &mut Vec<SpecError>) -> ArcOptions {
    let mut arc = ArcOptions::default();
    if let Some(value) = present(o, "cutout") {
        let share = |pct: f64| (pct / 100.0).clamp(0.0, MAX_CUTOUT_SHARE);
        arc.cutout = match value {
            Value::String(s) => match s.trim().strip_suffix('%').map(|p| p.trim().parse::<f64>()) {
                Some(Ok(p)) if (0.0..=100.0).contains(&p) => Some(Cutout::Share(share(p))),
                _ => match s.trim().parse::<f64>() {
                    Ok(px) if px >= 0.0 && px.is_finite() => Some(Cutout::Px(px)),
                    _ => None,
                },
            },
            Value::Number(n) => n
                .as_f64()
                .filter(|px| *px >= 0.0 && px.is_finite())
                .map(Cutout::Px),
            _ => None,
        };
        if arc.cutout.is_none() {
            errors.push(invalid(
                "/options/cutout",
                "`cutout` must be a percentage such as \"50%\" or a radius in px",
            ));
        }
    } else if let Some(value) = present(o, "cutoutPercentage") {
        match value.as_f64().filter(|p| (0.0..=100.0).contains(p)) {
            Some(p) => arc.cutout = Some(Cutout::Share((p / 100.0).min(MAX_CUTOUT_SHARE))),
            None => errors.push(invalid(
                "/options/cutoutPercentage",
                "`cutoutPercentage` must be a number from 0 to 100",
            )),
        }
    }
    if let Some(value) = present(o, "rotation") {
        match value
            .as_f64()
            .filter(|v| v.is_finite() && v.abs() <= 3600.0)
        {
            // Chart.js v2 measured from 3 o'clock (−0.5π = 12 o'clock); v3 from 12 o'clock.
            Some(v) if is_radians(v) => arc.rotation = v.to_degrees() + 90.0,
            Some(v) => arc.rotation = v,
            None => errors.push(invalid(
                "/options/rotation",
                "`rotation` must be a number of degrees (clockwise from 12 o'clock)",
            )),
        }
    }
    if let Some(value) = present(o, "circumference") {
        let v = value.as_f64().map(|v| {
            // 2π and π in v2's radians.
            if v <= TAU + 1e-9 && v > 0.0 {
                v.to_degrees()
            } else {
                v
            }
        });
        match v.filter(|v| *v > 0.0 && *v <= 360.0 + 1e-9) {
            Some(v) => arc.circumference = v.min(360.0),
            None => errors.push(invalid(
                "/options/circumference",
                "`circumference` must be a number of degrees from 1 to 360 (180 draws a half circle)",
            )),
        }
    }
    arc
}

/// `plugins.datalabels`: `false`, `true` or `{display}`.
fn data_labels(plugins: Option<&Map<String, Value>>, errors: &mut Vec<SpecError>) -> Option<bool> {
    let value = present(plugins?, "datalabels")?;
    let path = "/options/plugins/datalabels";
    match value {
        Value::Bool(b) => Some(*b),
        Value::Object(obj) => match present(obj, "display") {
            None => Some(true),
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::String(s)) if s == "auto" => Some(true),
            Some(_) => {
                errors.push(invalid(
                    child(path, "display"),
                    "`display` must be true or false (functions are not run)",
                ));
                None
            }
        },
        other => {
            errors.push(invalid(
                path,
                format!(
                    "`datalabels` must be true, false or {{display}}, got {}",
                    kind(other)
                ),
            ));
            None
        }
    }
}
