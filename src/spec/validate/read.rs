//! Typed readers of one option value (a number in a range, a boolean, a short text, a side),
//! each recording an error at the value's path when it has the wrong shape.

use super::{child, invalid, json_kind as kind, present};
use crate::spec::{Side, SpecError};
use serde_json::{Map, Value};

/// Longest stack id or axis title in characters.
const MAX_NAME_CHARS: usize = 200;

/// A finite number at `obj[key]` within `range`, recording an error otherwise.
pub(super) fn number_in(
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
pub(super) fn boolean(
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
pub(super) fn short_text(
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

/// Parses a CSS colour (hex, `rgb()`, `rgba()`, `hsl()`, a name, …) into sRGB.
pub(super) fn parse_css_color(s: &str) -> Option<peniko::Color> {
    peniko::color::parse_color(s)
        .ok()
        .map(|c| c.to_alpha_color::<peniko::color::Srgb>())
        .filter(|c| c.components.iter().all(|v| v.is_finite()))
}
