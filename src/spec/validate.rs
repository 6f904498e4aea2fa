//! Step two of parsing: loose JSON → a validated [`ChartSpec`].
//!
//! The body is first read as a [`serde_json::Value`] (step one), then walked by hand here, so
//! that *every* problem is reported at once, each with the RFC 6901 pointer of the value at fault
//! and, where there is something useful to say, a hint. Nothing here panics on any input: values
//! are matched, never unwrapped or indexed.
//!
//! The walk is split in three: this file (entry points, `type`, shared helpers), [`data`]
//! (`data.labels`, datasets, points, colours) and [`options`] (size, theme, format, text).

mod appearance;
mod axes;
mod chartjs;
mod compat;
mod data;
mod decimation;
mod formatter;
mod lint;
mod options;

pub use appearance::PIXEL_RATIO_RANGE;

use super::{ChartSpec, ChartType, ErrorCode, SpecError, SpecErrors};
use serde_json::{Map, Value};

/// Most characters of a client's string quoted back in a message; the rest is elided.
const MAX_QUOTED_CHARS: usize = 40;
/// Largest edit distance at which a "did you mean" suggestion is still helpful.
const MAX_SUGGESTION_DISTANCE: usize = 2;

/// Parses a request body (JSON bytes) into a validated [`ChartSpec`].
///
/// A JSON syntax error is reported as one `VALIDATION_ERROR` at the root, with its line and
/// column; a well-formed body is then checked by [`from_value`].
///
/// # Errors
///
/// Every problem found, sorted so that the reference's own codes come first.
///
/// Long numeric series are read without loose JSON (see the `fast` module); the errors are the
/// same either way.
pub fn parse_spec(bytes: &[u8]) -> Result<ChartSpec, SpecErrors> {
    super::fast::parse_spec(bytes)
}

/// Validates loose JSON (e.g. one entry of a batch request) into a [`ChartSpec`].
///
/// # Errors
///
/// Every problem found — not just the first — each with its JSON pointer, sorted stably by
/// [`ErrorCode`] so that the reference's own codes come before `VALIDATION_ERROR`.
pub fn from_value(value: &Value) -> Result<ChartSpec, SpecErrors> {
    // Real-world configs (QuickChart envelope, function strings, per-point arrays) first.
    let (value, mut warnings) = compat::normalize(value);
    let value = value.as_ref();
    let Some(root) = value.as_object() else {
        return Err(SpecErrors::one(
            invalid(
                "",
                format!(
                    "the chart spec must be a JSON object, got {}",
                    json_kind(value)
                ),
            )
            .with_hint(r#"send an object such as {"type": "bar", "data": {"datasets": [...]}}"#),
        ));
    };

    let mut errors = Vec::new();
    let chart_type = chart_type(present(root, "type"), &mut errors);
    let mut data = data::data(present(root, "data"), &mut errors);
    let raw_options = present(root, "options");
    let (mut options, scales) = options::options(raw_options, &mut errors);
    appearance::apply(
        root,
        raw_options.and_then(Value::as_object),
        &mut options,
        &mut errors,
    );
    options.decimation = decimation::decimation(raw_options, &mut errors);
    if root.get("type").and_then(Value::as_str) == Some("horizontalBar") {
        options.horizontal = true;
    }
    // A JavaScript callback also fails its option's own check; report only the callback.
    let mut callbacks = Vec::new();
    lint::lint(root, &mut callbacks, &mut warnings);
    errors.retain(|e| !callbacks.iter().any(|c| c.path == e.path));
    errors.append(&mut callbacks);
    if let Some(data) = &mut data {
        axes::assign(
            root,
            &mut data.datasets,
            scales,
            &mut options,
            &mut warnings,
        );
        axes::time_labels(root, &data.labels, &mut options, &mut errors);
    }

    if errors.is_empty()
        && let (Some(chart_type), Some(data)) = (chart_type, data)
    {
        return Ok(ChartSpec {
            chart_type,
            labels: data.labels,
            datasets: data.datasets,
            options,
            warnings,
        });
    }
    if errors.is_empty() {
        // Unreachable by construction (a part is only missing when an error was recorded), but
        // an empty error list must never be returned.
        errors.push(invalid("", "invalid chart spec"));
    }
    errors.sort_by_key(|e| e.code);
    Err(SpecErrors { errors })
}

/// Parses JSON bytes into a loose value, worded like [`parse_spec`]'s syntax errors (line and
/// column), for request bodies that are not chart specs (batches, recommendations).
///
/// # Errors
///
/// One `VALIDATION_ERROR` at the root when the bytes are not JSON.
pub fn parse_json(bytes: &[u8]) -> Result<Value, SpecErrors> {
    serde_json::from_slice(bytes).map_err(|e| SpecErrors::one(json_syntax_error(&e)))
}

/// The one error for a body that is not valid JSON.
fn json_syntax_error(e: &serde_json::Error) -> SpecError {
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let suffix = format!(" at line {line} column {column}");
    let what = full.strip_suffix(&suffix).unwrap_or(&full);
    let error = invalid(
        "",
        format!("invalid JSON at line {line}, column {column}: {what}"),
    );
    if e.is_eof() {
        error.with_hint("the body ends before the JSON is complete; is it empty or truncated?")
    } else {
        error
    }
}

/// `type`: required and one of the 15 names (or a Chart.js alias).
fn chart_type(value: Option<&Value>, errors: &mut Vec<SpecError>) -> Option<ChartType> {
    const PATH: &str = "/type";
    let Some(value) = value else {
        errors.push(
            SpecError::new(
                ErrorCode::MissingType,
                PATH,
                format!("`type` is required: one of {}", all_type_names()),
            )
            .with_hint(r#"e.g. "type": "bar""#),
        );
        return None;
    };
    let Some(name) = value.as_str() else {
        errors.push(invalid(
            PATH,
            format!(
                "`type` must be a string such as \"bar\", got {}",
                json_kind(value)
            ),
        ));
        return None;
    };
    match ChartType::parse(name) {
        Some(t) => Some(t),
        None => {
            let mut error = SpecError::new(
                ErrorCode::InvalidChartType,
                PATH,
                format!(
                    "`{}` is not a chart type; valid types: {}",
                    quote(name),
                    all_type_names()
                ),
            );
            let candidates = ChartType::ALL.iter().map(|t| t.name()).chain([
                "doughnut",
                "polarArea",
                "horizontalBar",
            ]);
            if let Some(best) = closest(name, candidates) {
                error = error.with_hint(format!("did you mean `{best}`?"));
            }
            errors.push(error);
            None
        }
    }
}

/// All 15 type names, comma-separated, in the reference's order.
fn all_type_names() -> String {
    join_names(ChartType::ALL.iter().map(|t| t.name()))
}

/// Joins names with `", "`.
fn join_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

// ---------------------------------------------------------------------------------------------
// Shared helpers.
// ---------------------------------------------------------------------------------------------

/// `map[key]`, treating an explicit `null` as absent.
fn present<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

/// Boolean member `key` of the object at `path`: `default` when absent; anything but a boolean
/// is an error (and reads as `false`).
fn flag(
    obj: &Map<String, Value>,
    key: &str,
    default: bool,
    path: &str,
    errors: &mut Vec<SpecError>,
) -> bool {
    match present(obj, key) {
        None => default,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            errors.push(invalid(
                child(path, key),
                format!("`{key}` must be true or false, got {}", json_kind(other)),
            ));
            false
        }
    }
}

/// A `VALIDATION_ERROR` at `path`.
fn invalid(path: impl Into<String>, message: impl Into<String>) -> SpecError {
    SpecError::new(ErrorCode::ValidationError, path, message)
}

/// The pointer of member `key` under `base`, escaped per RFC 6901 (`~` → `~0`, `/` → `~1`).
fn child(base: &str, key: &str) -> String {
    let mut out = String::with_capacity(base.len() + key.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// The pointer of element `index` under `base`.
fn at(base: &str, index: usize) -> String {
    format!("{base}/{index}")
}

/// What kind of JSON value this is, for messages ("got a number").
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A client's string made safe to quote in a message: control characters escaped, and cut
/// after [`MAX_QUOTED_CHARS`] characters.
fn quote(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == MAX_QUOTED_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The candidate closest to `input` (ignoring ASCII case), if within
/// [`MAX_SUGGESTION_DISTANCE`] edits; ties go to the earlier candidate.
fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Names are short: a much longer input cannot be within a couple of edits of any of them,
    // and skipping it keeps the quadratic distance cheap whatever the client sends.
    if input.chars().count() > 40 {
        return None;
    }
    let input = input.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let d = edit_distance(&input, &candidate.to_ascii_lowercase());
        if d <= MAX_SUGGESTION_DISTANCE && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// adjacent characters each cost 1 (so `lien` is one edit from `line`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // Row-major (a.len()+1) × (b.len()+1) table; `get`/`get_mut` keep it panic-free.
    let mut d = vec![0usize; (a.len() + 1) * width];
    let cell = |d: &[usize], i: usize, j: usize| d.get(i * width + j).copied().unwrap_or(0);
    for i in 0..=a.len() {
        if let Some(v) = d.get_mut(i * width) {
            *v = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(v) = d.get_mut(j) {
            *v = j;
        }
    }
    for (i, &ca) in a.iter().enumerate() {
        for (j, &cb) in b.iter().enumerate() {
            let (i1, j1) = (i + 1, j + 1);
            let cost = usize::from(ca != cb);
            let mut v = (cell(&d, i, j1) + 1)
                .min(cell(&d, i1, j) + 1)
                .min(cell(&d, i, j) + cost);
            if i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca) {
                v = v.min(cell(&d, i - 1, j - 1) + 1);
            }
            if let Some(slot) = d.get_mut(i1 * width + j1) {
                *slot = v;
            }
        }
    }
    cell(&d, a.len(), b.len())
}

/// `n` with thousands separators (`3,840,000`), as the reference writes its limits.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits_and_swaps() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("bar", "bar"), 0);
        assert_eq!(edit_distance("", "bar"), 3);
        assert_eq!(edit_distance("bar", ""), 3);
        assert_eq!(edit_distance("lien", "line"), 1);
        assert_eq!(edit_distance("donat", "donut"), 1);
        assert_eq!(edit_distance("scater", "scatter"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("ünï", "uni"), 2);
    }

    #[test]
    fn closest_suggests_within_two_edits_only() {
        let names = ["bar", "line", "pie", "donut", "scatter"];
        assert_eq!(closest("lien", names), Some("line"));
        assert_eq!(closest("Bar", names), Some("bar"));
        assert_eq!(closest("scatterr", names), Some("scatter"));
        assert_eq!(closest("histogram", names), None);
        assert_eq!(closest(&"x".repeat(10_000), names), None);
    }

    #[test]
    fn pointer_escapes_tilde_and_slash() {
        assert_eq!(child("", "data"), "/data");
        assert_eq!(child("/data", "a/b"), "/data/a~1b");
        assert_eq!(child("/data", "m~n"), "/data/m~0n");
        assert_eq!(child("", "~/"), "/~0~1");
        assert_eq!(at("/data/datasets", 3), "/data/datasets/3");
    }

    #[test]
    fn numbers_format_like_labels() {
        assert_eq!(data::format_number(800.0), "800");
        assert_eq!(data::format_number(-3.0), "-3");
        assert_eq!(data::format_number(0.1), "0.1");
        assert_eq!(data::format_number(12.5), "12.5");
        assert_eq!(data::format_number(-0.0), "0");
        assert_eq!(data::format_number(1e21), "1e21");
        assert_eq!(data::format_number(1.5e-7), "1.5e-7");
        assert_eq!(data::format_number(123_456_789.0), "123456789");
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(3_840_000), "3,840,000");
        assert_eq!(thousands(123_456_789), "123,456,789");
    }

    #[test]
    fn quote_escapes_and_truncates() {
        assert_eq!(quote("abc"), "abc");
        assert_eq!(quote("a\nb"), "a\\nb");
        let long = "é".repeat(100);
        assert_eq!(quote(&long).chars().count(), MAX_QUOTED_CHARS + 1);
    }
}
