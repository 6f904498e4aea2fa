//! The fast path for big series: JSON bytes → [`ChartSpec`] without a `serde_json::Value` for
//! the long `data` arrays.
//!
//! Read as loose JSON, every number costs a 32-byte `Value` and a million of them ~125 ms. For
//! bodies of [`FAST_PATH_MIN_BYTES`] or more, a scanner walks the bytes once and reads every
//! `/data/datasets/<i>/data` array made only of plain numbers, `null`s and `{"x": n, "y": n}`
//! objects straight into [`DataPoint`]s, and a `/data/labels` array of plain strings into
//! `String`s (a `Value` and a copy less per label), cutting it out of the document (it becomes `[]`). The
//! rest of the body — the skeleton — goes through the one validator as usual, and the arrays
//! are put back into the validated datasets. What was cut needs no checking: finite JSON
//! numbers, `null` and two-number points are exactly what the validator accepts silently, and
//! so are strings as labels, except on a time axis, where every label must be a date: there a
//! label that is not sends the body to the general path.
//!
//! The scanner gives an array (or the whole body) back to the general path whenever it is
//! unsure: escaped or repeated keys on the way to the data, elements of any other shape, numbers
//! it cannot read bit-for-bit as serde_json does. Errors always come from the general path: a
//! skeleton that is not valid JSON, or that the validator refuses, is re-read whole, so every
//! message, JSON pointer, line and column is exactly what the general path reports.

mod scan;

use super::limits::too_many_points;
use super::validate::{from_value, parse_json};
use super::{ChartSpec, MAX_POINTS, SpecErrors};
use scan::{Column, Cut, Scanner};
use serde_json::Value;

/// Bodies smaller than this take the general path: they are cheap to read as loose JSON, and the
/// small charts that make up most traffic keep exactly one code path.
pub const FAST_PATH_MIN_BYTES: usize = 64 * 1024;

/// Parses a request body (JSON bytes) into a validated [`ChartSpec`].
///
/// A JSON syntax error is reported as one `VALIDATION_ERROR` at the root, with its line and
/// column; a well-formed body is then checked by [`from_value`].
///
/// # Errors
///
/// Every problem found, sorted so that the reference's own codes come first.
///
/// Long numeric series are read without loose JSON (see the module docs); the errors are the
/// same either way.
pub fn parse_spec(bytes: &[u8]) -> Result<ChartSpec, SpecErrors> {
    if bytes.len() >= FAST_PATH_MIN_BYTES
        && let Some(cuts) = Scanner::scan(bytes)
        && !cuts.is_empty()
        && let Some(result) = with_cuts(bytes, cuts)
    {
        // The skeleton was validated without the long arrays: cost the whole spec again.
        return result.and_then(super::validate::budget::checked);
    }
    general(bytes)
}

/// The general path: loose JSON, the points limit, then the validator.
fn general(bytes: &[u8]) -> Result<ChartSpec, SpecErrors> {
    let value = parse_json(bytes)?;
    check_points(&value, 0)?;
    from_value(&value)
}

/// Validates the skeleton and puts the cut arrays back; `None` sends the body to the general
/// path (for its error messages).
fn with_cuts(bytes: &[u8], cuts: Vec<Cut>) -> Option<Result<ChartSpec, SpecErrors>> {
    let mut skeleton = Vec::with_capacity(
        bytes.len() - cuts.iter().map(|c| c.end - c.start).sum::<usize>() + 2 * cuts.len(),
    );
    let mut from = 0;
    for cut in &cuts {
        skeleton.extend_from_slice(bytes.get(from..cut.start)?);
        skeleton.extend_from_slice(b"[]");
        from = cut.end;
    }
    skeleton.extend_from_slice(bytes.get(from..)?);
    let value: Value = serde_json::from_slice(&skeleton).ok()?;
    let cut_points = cuts
        .iter()
        .map(|c| match c.column {
            Column::Points { len, .. } => len,
            Column::Labels(_) => 0,
        })
        .fold(0usize, usize::saturating_add);
    if let Err(e) = check_points(&value, cut_points) {
        return Some(Err(e));
    }
    let mut spec = from_value(&value).ok()?;
    for cut in cuts {
        match cut.column {
            Column::Points {
                dataset, points, ..
            } => spec.datasets.get_mut(dataset)?.data = points,
            Column::Labels(labels) => {
                // The one check on labels the skeleton could not make (see the module docs).
                if spec.options.x_axis.kind == Some(super::AxisKind::Time)
                    && super::time::not_dates(&labels).next().is_some()
                {
                    return None;
                }
                spec.labels = labels;
            }
        }
    }
    let n = spec.labels.len();
    super::validate::past_the_labels(spec.chart_type, n, &mut spec.datasets, &mut spec.warnings);
    Some(Ok(spec))
}

/// Refuses a spec whose datasets hold more than [`MAX_POINTS`] points in all (`extra` are points
/// already read elsewhere), before any of them is validated.
///
/// # Errors
///
/// The one limit error, at `/data/datasets`.
pub(super) fn check_points(value: &Value, extra: usize) -> Result<(), SpecErrors> {
    let total = value
        .pointer("/data/datasets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("data").and_then(Value::as_array).map(Vec::len))
        .fold(extra, usize::saturating_add);
    if total > MAX_POINTS {
        return Err(SpecErrors::one(too_many_points(total)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body past the fast-path threshold: `data` padded by a long label.
    fn big(data: &str) -> Vec<u8> {
        let pad = "x".repeat(FAST_PATH_MIN_BYTES);
        format!(
            r#"{{"type":"line","data":{{"labels":["{pad}"],"datasets":[{{"label":"a","data":{data}}}]}}}}"#
        )
        .into_bytes()
    }

    fn general_of(bytes: &[u8]) -> Result<ChartSpec, SpecErrors> {
        general(bytes)
    }

    #[test]
    fn fast_and_general_paths_agree() {
        let data = r#"[1, 2.5, null, -3e2, {"x": 1, "y": 2}, {"y": 4, "x": 3}, 0.1]"#;
        let body = big(data);
        let cuts = Scanner::scan(&body).unwrap();
        assert_eq!(cuts.len(), 2, "the labels and the data are read directly");
        assert!(matches!(cuts[0].column, Column::Labels(ref l) if l.len() == 1));
        assert!(matches!(cuts[1].column, Column::Points { len: 7, .. }));
        assert_eq!(parse_spec(&body), general_of(&body));
    }

    #[test]
    fn labels_read_directly_or_left_to_the_validator_agree() {
        let pad = "x".repeat(FAST_PATH_MIN_BYTES);
        let body = |labels: &str, options: &str| {
            format!(
                r#"{{"type":"line","data":{{"datasets":[{{"label":"{pad}","data":[1,2,3]}}],"labels":{labels}}},"options":{{{options}}}}}"#
            )
            .into_bytes()
        };
        for (labels, direct) in [
            (r#"["a", "b c", "ünï 東京"]"#, true),
            (r#"[]"#, true),
            (r#"["a\"b", "c"]"#, false),
            (r#"["a", 2, null]"#, false),
            (r#"["a", ["two", "lines"]]"#, false),
            (r#"{"a": 1}"#, false),
            (r#""abc""#, false),
        ] {
            let b = body(labels, "");
            let cuts = Scanner::scan(&b).unwrap();
            let read = cuts.iter().any(|c| matches!(c.column, Column::Labels(_)));
            assert_eq!(read, direct, "{labels}");
            assert_eq!(parse_spec(&b), general_of(&b), "{labels}");
        }
        // On a time axis every label must be a date: the same errors either way.
        let time = r#""scales":{"x":{"type":"time"}}"#;
        for labels in [
            r#"["2026-01-01", "2026-01-02", "soon"]"#,
            r#"["2026-01-01", "2026-01-02", "2026-01-03"]"#,
        ] {
            let b = body(labels, time);
            assert_eq!(parse_spec(&b), general_of(&b), "{labels}");
        }
        assert!(parse_spec(&body(r#"["2026-01-01", "soon", "later"]"#, time)).is_err());
    }

    #[test]
    fn unusual_arrays_take_the_general_path_with_the_same_errors() {
        for data in [
            r#"[1, "2", 3]"#,
            r#"[1, true]"#,
            r#"[{"x": 1}]"#,
            r#"[{"x": 1, "y": 2, "r": 3}]"#,
            r#"[{"date": "2026-01-01", "value": 3}]"#,
            r#"[1e999]"#,
            r#"[01]"#,
            r#"[1,]"#,
            r#"[1 2]"#,
            r#"{"a": 1}"#,
        ] {
            let body = big(data);
            assert_eq!(parse_spec(&body), general_of(&body), "{data}");
        }
        // Malformed after the array: the general path's line and column.
        let mut body = big("[1, 2, 3]");
        body.pop();
        assert!(parse_spec(&body).is_err());
        assert_eq!(parse_spec(&body), general_of(&body));
    }

    #[test]
    fn repeated_or_escaped_keys_leave_the_body_to_serde() {
        let pad = "x".repeat(FAST_PATH_MIN_BYTES);
        for body in [
            format!(
                r#"{{"type":"line","data":{{"labels":["{pad}"],"datasets":[{{"data":[1],"data":[2,3]}}]}}}}"#
            ),
            format!(
                r#"{{"type":"line","d\u0061ta":{{}},"data":{{"labels":["{pad}"],"datasets":[{{"data":[1]}}]}}}}"#
            ),
        ] {
            assert_eq!(parse_spec(body.as_bytes()), general_of(body.as_bytes()));
        }
    }

    #[test]
    fn the_points_limit_is_checked_before_reading() {
        let err = check_points(
            &serde_json::json!({"data": {"datasets": [{"data": [1, 2]}]}}),
            MAX_POINTS,
        )
        .unwrap_err();
        assert_eq!(err.errors.len(), 1);
        assert_eq!(err.errors[0].path, "/data/datasets");
        assert!(
            err.errors[0].message.contains("10,000,000"),
            "{}",
            err.errors[0].message
        );
        assert!(err.errors[0].hint.is_some());
    }
}
