//! Readers for cosmetic options (annotations, data labels): a value of the wrong shape is left
//! at its default with a warning at its path, never refuses the chart.

use super::read::parse_css_color;
use super::{child, present};
use crate::spec::SpecWarning;
use peniko::Color;
use serde_json::{Map, Value};

/// Largest length in px a cosmetic option takes (a border, radius, offset or padding).
pub(super) const MAX_PX: f64 = 200.0;

/// Records `message` about the value at `path`.
pub(super) fn warn(warnings: &mut Vec<SpecWarning>, path: &str, message: String) {
    warnings.push(SpecWarning {
        path: path.to_owned(),
        message,
    });
}

/// A CSS colour at `obj[key]`; anything else is left out with a warning.
pub(super) fn color(
    obj: &Map<String, Value>,
    key: &str,
    path: &str,
    warnings: &mut Vec<SpecWarning>,
) -> Option<Color> {
    let v = present(obj, key)?;
    let parsed = v.as_str().and_then(parse_css_color);
    if parsed.is_none() {
        warn(
            warnings,
            &child(path, key),
            format!("`{key}` is not a CSS colour; the default is used"),
        );
    }
    parsed
}

/// A length in px at `obj[key]`, from 0 to [`MAX_PX`].
pub(super) fn px(
    obj: &Map<String, Value>,
    key: &str,
    path: &str,
    warnings: &mut Vec<SpecWarning>,
) -> Option<f64> {
    let v = present(obj, key)?;
    let n = v
        .as_f64()
        .filter(|n| n.is_finite() && (0.0..=MAX_PX).contains(n));
    if n.is_none() {
        warn(
            warnings,
            &child(path, key),
            format!("`{key}` must be a number from 0 to {MAX_PX}; the default is used"),
        );
    }
    n
}
