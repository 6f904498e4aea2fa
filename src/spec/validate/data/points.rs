//! One data value from JSON: a number (or numeric string), `null`, an `{x, y}` point, a
//! `{date, value}` entry, a bullet row `{value, target?, ranges?}` or a floating bar `[start, end]`.

use super::super::walk::{json_kind as kind, present, quote};
use super::element::Problem;
use crate::spec::{BulletPoint, DataPoint};
use serde_json::{Map, Value};

/// One data point: a number, `null`, a numeric string, or an `{x, y}` object.
pub(super) fn point(
    value: &Value,
    bullets: &mut Vec<BulletPoint>,
) -> Result<DataPoint, Vec<Problem>> {
    const HINT: &str = "data values must be numbers, null (a gap) or {\"x\": …, \"y\": …} points";
    match value {
        Value::Null => Ok(DataPoint::Missing),
        Value::Number(_) | Value::String(_) => {
            number(value).map(DataPoint::Value).map_err(|p| vec![p])
        }
        Value::Object(obj) if obj.contains_key("date") => dated(obj),
        Value::Object(obj) if obj.contains_key("value") => bullet(obj, bullets),
        Value::Object(obj) => match (coordinate(obj, "x"), coordinate(obj, "y"), radius(obj)) {
            (Ok(x), Ok(y), Ok(None)) => Ok(DataPoint::Point { x, y }),
            (Ok(x), Ok(y), Ok(Some(r))) => Ok(DataPoint::Bubble { x, y, r }),
            (x, y, r) => Err([x.err(), y.err(), r.err()].into_iter().flatten().collect()),
        },
        Value::Bool(_) => Err(vec![
            Problem::new("expected a number, got a boolean".to_owned()).hint(HINT),
        ]),
        // A floating bar: `[start, end]`.
        Value::Array(pair) if pair.len() == 2 => match (number(&pair[0]), number(&pair[1])) {
            (Ok(lo), Ok(hi)) => Ok(DataPoint::Range { lo, hi }),
            (lo, hi) => Err([lo.err(), hi.err()].into_iter().flatten().collect()),
        },
        Value::Array(_) => Err(vec![
            Problem::new("expected a number, got an array".to_owned()).hint(
                "a floating bar is a pair [start, end]; use {\"x\": …, \"y\": …} objects for points",
            ),
        ]),
    }
}

/// A heat-calendar entry `{"date": "YYYY-MM-DD", "value": n}`.
fn dated(obj: &Map<String, Value>) -> Result<DataPoint, Vec<Problem>> {
    let day = match present(obj, "date") {
        Some(Value::String(s)) => chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .ok()
            .and_then(|d| {
                let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
                i32::try_from((d - epoch).num_days()).ok()
            })
            .ok_or_else(|| Problem {
                key: Some("date"),
                ..Problem::new(format!("{} is not a date", quote(s)))
                    .hint("dates are written YYYY-MM-DD, e.g. \"2026-03-14\"")
            }),
        Some(other) => Err(Problem {
            key: Some("date"),
            ..Problem::new(format!("`date` must be a string, got {}", kind(other)))
        }),
        None => Err(Problem {
            key: Some("date"),
            ..Problem::new("this entry has no `date`".to_owned())
        }),
    };
    let value = coordinate(obj, "value");
    match (day, value) {
        (Ok(day), Ok(value)) => Ok(DataPoint::Dated { day, value }),
        (d, v) => Err([d.err(), v.err()].into_iter().flatten().collect()),
    }
}

/// A bullet row `{"value": n, "target": n?, "ranges": [n, …]?}`, its target and bands added
/// to `bullets`.
fn bullet(
    obj: &Map<String, Value>,
    bullets: &mut Vec<BulletPoint>,
) -> Result<DataPoint, Vec<Problem>> {
    let mut problems = Vec::new();
    let value = coordinate(obj, "value").map_err(|p| problems.push(p)).ok();
    let target = match present(obj, "target") {
        None => None,
        Some(_) => coordinate(obj, "target").map_err(|p| problems.push(p)).ok(),
    };
    let mut ranges = Vec::new();
    match present(obj, "ranges") {
        None => {}
        Some(Value::Array(items)) if items.len() <= crate::spec::MAX_BULLET_RANGES => {
            for item in items {
                match number(item) {
                    Ok(x) => ranges.push(x),
                    Err(p) => problems.push(Problem {
                        key: Some("ranges"),
                        ..p
                    }),
                }
            }
        }
        Some(Value::Array(_)) => problems.push(Problem {
            key: Some("ranges"),
            ..Problem::new(format!(
                "at most {} ranges are allowed",
                crate::spec::MAX_BULLET_RANGES
            ))
        }),
        Some(other) => problems.push(Problem {
            key: Some("ranges"),
            ..Problem::new(format!(
                "`ranges` must be an array of numbers, got {}",
                kind(other)
            ))
        }),
    }
    match value {
        Some(value) if problems.is_empty() => {
            let row = u32::try_from(bullets.len()).unwrap_or(u32::MAX);
            bullets.push(BulletPoint::new(value, target, &ranges));
            Ok(DataPoint::Bullet { value, row })
        }
        _ => Err(problems),
    }
}

/// Largest bubble radius in px (a bubble this size already covers any canvas).
pub(crate) const MAX_BUBBLE_RADIUS: f64 = 10_000.0;

/// A bubble's `r`: absent, or a number of px from 0 to [`MAX_BUBBLE_RADIUS`].
fn radius(obj: &Map<String, Value>) -> Result<Option<f32>, Problem> {
    let Some(v) = present(obj, "r") else {
        return Ok(None);
    };
    match number(v) {
        Ok(r) if (0.0..=MAX_BUBBLE_RADIUS).contains(&r) => Ok(Some(r as f32)),
        Ok(r) => Err(Problem {
            key: Some("r"),
            ..Problem::new(format!(
                "a bubble's `r` is its radius in px, from 0 to {MAX_BUBBLE_RADIUS}; got {r}"
            ))
        }),
        Err(p) => Err(Problem {
            key: Some("r"),
            ..p
        }),
    }
}

/// Member `key` (`x`, `y`, `value`, `target`) of a point object, as a number.
fn coordinate(obj: &Map<String, Value>, key: &'static str) -> Result<f64, Problem> {
    let result = match present(obj, key) {
        // `{x: "2024-03-01", y}`: a time-axis point, x in ms since the epoch.
        Some(Value::String(s)) if key == "x" => match crate::spec::time::parse_instant(s) {
            Some(ms) => Ok(ms),
            None => numeric_string(s).map_err(|_| {
                Problem::new(format!(
                    "`{}` is neither a number nor a date",
                    s.chars().take(40).collect::<String>()
                ))
                .hint(
                    "write dates as ISO-8601 (\"2024-03-01T09:30\") or name their format in the x axis's `time.parser` (\"MM/DD/YYYY HH:mm\")",
                )
            }),
        },
        Some(v) => number(v),
        None => Err(Problem::new(format!("this point has no numeric `{key}`"))
            .hint("a point needs numeric `x` and `y`, e.g. {\"x\": 3, \"y\": 7}")),
    };
    result.map_err(|p| Problem {
        key: Some(key),
        ..p
    })
}

/// A finite number: a JSON number, or a string holding one (`"12.5"`).
pub(super) fn number(value: &Value) -> Result<f64, Problem> {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.is_finite() => Ok(x),
            _ => Err(Problem::new(format!("`{n}` is not a finite number"))),
        },
        Value::String(s) => numeric_string(s),
        other => Err(Problem::new(format!(
            "expected a number, got {}",
            kind(other)
        ))),
    }
}

/// A numeric string as a finite number; NaN, infinities and anything else are refused.
fn numeric_string(s: &str) -> Result<f64, Problem> {
    let t = s.trim();
    let unsigned = t.trim_start_matches(['+', '-']);
    let special = ["nan", "inf"].iter().any(|p| {
        unsigned
            .get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    });
    if special {
        return Err(Problem::new(format!(
            "`\"{}\"` is not a finite number: NaN and Infinity are not allowed",
            quote(s)
        ))
        .hint("use null for a missing value"));
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(Problem::new(format!(
            "`\"{}\"` is too large to be a number",
            quote(s)
        ))),
        Err(_) if t.is_empty() => Err(Problem::new(format!("`\"{}\"` is not a number", quote(s)))
            .hint("use null for a missing value")),
        Err(_) => Err(Problem::new(format!("`\"{}\"` is not a number", quote(s)))
            .hint("data values must be numbers or numeric strings; use null for a missing value")),
    }
}
