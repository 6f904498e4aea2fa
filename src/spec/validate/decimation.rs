//! Chart.js `options.plugins.decimation`: `{enabled, algorithm: "min-max" | "lttb", samples,
//! threshold}`. Min-max thinning is always on (it draws exactly what the full series would);
//! `enabled: true` with `algorithm: "lttb"` asks for Largest-Triangle-Three-Buckets instead.

use super::{child, invalid, json_kind as kind, present};
use crate::spec::{Decimation, SpecError};
use serde_json::{Map, Value};

/// Most points LTTB may keep: more than any canvas has pixel columns, and it bounds the work.
const MAX_SAMPLES: u64 = 100_000;
/// Fewest points LTTB may keep: the two ends and one point between them.
const MIN_SAMPLES: u64 = 3;

/// Reads `plugins.decimation` of `options` (absent: [`Decimation::MinMax`]).
pub(super) fn decimation(options: Option<&Value>, errors: &mut Vec<SpecError>) -> Decimation {
    let path = "/options/plugins/decimation";
    let Some(value) = options
        .and_then(Value::as_object)
        .and_then(|o| present(o, "plugins"))
        .and_then(Value::as_object)
        .and_then(|p| present(p, "decimation"))
    else {
        return Decimation::MinMax;
    };
    let Some(obj) = value.as_object() else {
        errors.push(invalid(
            path,
            format!(
                "`decimation` must be an object such as {{\"enabled\": true, \"algorithm\": \"lttb\"}}, got {}",
                kind(value)
            ),
        ));
        return Decimation::MinMax;
    };
    let enabled = super::flag(obj, "enabled", false, path, errors);
    let lttb = match present(obj, "algorithm") {
        None => false,
        Some(Value::String(s)) if s == "min-max" => false,
        Some(Value::String(s)) if s == "lttb" => true,
        Some(other) => {
            errors.push(
                invalid(
                    child(path, "algorithm"),
                    format!("`algorithm` must be \"min-max\" or \"lttb\", got {other}"),
                )
                .with_hint("\"lttb\" keeps the curve's shape in `samples` points"),
            );
            false
        }
    };
    let samples = count(obj, "samples", MIN_SAMPLES..=MAX_SAMPLES, path, errors);
    let threshold = count(obj, "threshold", 1..=u64::from(u32::MAX), path, errors);
    if enabled && lttb {
        Decimation::Lttb { samples, threshold }
    } else {
        Decimation::MinMax
    }
}

/// Member `key` as a whole number in `range`.
fn count(
    obj: &Map<String, Value>,
    key: &str,
    range: std::ops::RangeInclusive<u64>,
    path: &str,
    errors: &mut Vec<SpecError>,
) -> Option<u32> {
    let value = present(obj, key)?;
    let whole = value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(f))
            .map(|f| f as u64)
    });
    match whole {
        Some(n) if range.contains(&n) => u32::try_from(n).ok(),
        _ => {
            errors.push(invalid(
                child(path, key),
                format!(
                    "`{key}` must be a whole number from {} to {}, got {value}",
                    range.start(),
                    range.end()
                ),
            ));
            None
        }
    }
}
