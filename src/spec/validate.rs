//! Step two of parsing: loose JSON → a validated [`ChartSpec`].
//!
//! The body is first read as a [`serde_json::Value`] (step one), then walked by hand here, so
//! that *every* problem is reported at once, each with the RFC 6901 pointer of the value at fault
//! and, where there is something useful to say, a hint. Nothing here panics on any input: values
//! are matched, never unwrapped or indexed.
//!
//! The walk is split up: this file (entry points, `type`), `walk` (the helpers every part
//! shares: pointers, lookups, messages), [`data`] (`data.labels`, datasets, points, colours),
//! [`options`] (size, theme, format, text) and the other option groups.

mod annotation;
mod appearance;
mod axes;
mod axis;
pub mod budget;
mod chartjs;
mod compat;
mod data;
mod datalabels;
mod decimation;
mod elements;
mod formatter;
mod gauge;
mod lenient;
mod lint;
mod options;
mod quickchart;
mod radial_gauge;
mod read;
mod samples_look;
mod walk;

pub use appearance::PIXEL_RATIO_RANGE;
pub use walk::json_kind;

use super::{ChartSpec, ChartType, DataPoint, ErrorCode, SpecError, SpecErrors, SpecWarning};
use crate::numfmt::thousands;
use serde_json::Value;
use walk::{at, child, closest, flag, invalid, present, quote};

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
    // A time axis's `time.parser` reads the dates of the points and labels.
    let parser = axes::time_parser(root);
    if let Some(p) = parser
        && !crate::spec::time::parser_known(p)
    {
        warnings.push(crate::spec::SpecWarning {
            path: "/options/scales".to_owned(),
            message: format!(
                "the time axis's `parser` \"{}\" has tokens this service does not read; dates are read as ISO-8601",
                p.chars().take(40).collect::<String>()
            ),
        });
    }
    // A box plot or violin (QuickChart's plugin): its categories are arrays of samples.
    let samples = root
        .get("type")
        .and_then(Value::as_str)
        .and_then(|t| data::distribution_kind(t.trim()));
    let mut data = crate::spec::time::with_parser(parser, || {
        data::data(present(root, "data"), samples, &mut errors)
    });
    let raw_options = present(root, "options");
    let (mut options, scales) = options::options(raw_options, &mut errors);
    appearance::apply(
        root,
        raw_options.and_then(Value::as_object),
        &mut options,
        &mut errors,
    );
    options.decimation = decimation::decimation(raw_options, &mut errors);
    options.locale = options::locale(raw_options, &mut errors, &mut warnings);
    options.annotations = annotation::annotations(raw_options, &mut warnings);
    datalabels::apply(
        root,
        &mut options.label_style,
        data.as_mut().map(|d| &mut d.datasets),
        &mut warnings,
    );
    options.outlabels = datalabels::outlabels(root, &mut warnings);
    if let Some(data) = &mut data {
        samples_look::apply(root, &mut data.datasets, &mut warnings);
    }
    options.center_labels = datalabels::center_labels(root, &mut warnings);
    options.needle = gauge::needle(root, &mut warnings);
    match root.get("type").and_then(Value::as_str) {
        Some("horizontalBar") => options.horizontal = true,
        Some("bubble") => options.bubble = true,
        Some("horizontalBoxplot" | "horizontalBoxPlot" | "horizontalViolin") => {
            options.horizontal = true;
        }
        _ => {}
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
        crate::spec::time::with_parser(parser, || {
            let labels = (data.labels.as_mut_slice(), parser.is_some());
            axes::time_labels(root, labels, &mut options, &mut errors);
        });
    }

    if errors.is_empty()
        && let (Some(chart_type), Some(mut data)) = (chart_type, data)
    {
        past_the_labels(
            chart_type,
            data.labels.len(),
            &mut data.datasets,
            &mut warnings,
        );
        return budget::checked(ChartSpec {
            chart_type,
            labels: data.labels.into(),
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

/// A bar or line chart's values past its last label are left out, as Chart.js's category axis
/// has no place for them (`{x, y}` points place themselves and are kept).
pub(super) fn past_the_labels(
    chart_type: ChartType,
    n: usize,
    datasets: &mut [crate::spec::Dataset],
    warnings: &mut Vec<SpecWarning>,
) {
    if n == 0 || !matches!(chart_type, ChartType::Bar | ChartType::Line) {
        return;
    }
    for (i, ds) in datasets.iter_mut().enumerate() {
        let extra = ds.data.len().saturating_sub(n);
        let positional = ds.data[n.min(ds.data.len())..]
            .iter()
            .all(|p| !matches!(p, DataPoint::Point { .. } | DataPoint::Bubble { .. }));
        if extra > 0 && positional {
            ds.data.truncate(n);
            warnings.push(SpecWarning {
                path: format!("/data/datasets/{i}/data"),
                message: format!(
                    "{extra} value(s) past the last of the {n} labels are not drawn (as Chart.js)"
                ),
            });
        }
    }
}

/// Parses JSON bytes into a loose value, worded like [`parse_spec`](crate::spec::parse_spec)'s syntax errors (line and
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
        // A progress bar of the shape QuickChart draws was rewritten to bars in `compat`.
        None if name == "progressBar" => {
            errors.push(
                invalid(
                    "/data/datasets",
                    "a progressBar takes one dataset (the values, each out of 100) or two of the same length (the values and the wholes)",
                )
                .with_hint(r#"e.g. "datasets": [{"data": [72]}] or [{"data": [15]}, {"data": [30]}]"#),
            );
            None
        }
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
                "bubble",
                "boxplot",
                "violin",
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
