//! A box plot's or violin's category from JSON: an array of raw samples, or the statistics
//! themselves (`{min, q1, median, q3, max, outliers?}`), as chartjs-chart-box-and-violin-plot
//! takes them.

use super::super::walk::{json_kind as kind, present};
use super::element::Problem;
use super::points::number;
use crate::spec::DataPoint;
use crate::spec::distribution::{DistributionKind, Quantiles, StatsOptions, Summary};
use serde_json::{Map, Value};

/// The box plot or violin types of the plugin, by `type` name (chart or dataset).
pub(in crate::spec::validate) fn kind_of(name: &str) -> Option<DistributionKind> {
    match name {
        "boxplot" | "horizontalBoxplot" | "horizontalBoxPlot" => Some(DistributionKind::Box),
        "violin" | "horizontalViolin" => Some(DistributionKind::Violin),
        _ => None,
    }
}

/// The statistics options of a dataset (`coef`, `quantiles`; the plugin's defaults otherwise).
pub(super) fn stats_options(obj: &Map<String, Value>) -> StatsOptions {
    let mut options = StatsOptions::default();
    if let Some(c) = present(obj, "coef").and_then(Value::as_f64)
        && c.is_finite()
        && c >= 0.0
    {
        options.coef = c;
    }
    if let Some(Value::String(q)) = present(obj, "quantiles")
        && matches!(q.trim(), "hinges" | "fivenum")
    {
        options.quantiles = Quantiles::Hinges;
    }
    options.keep_items = present(obj, "itemRadius")
        .and_then(Value::as_f64)
        .is_some_and(|r| r > 0.0);
    options
}

/// How many samples `items` (a dataset's `data`) holds: one per number, each array's length.
pub(super) fn count(items: &[Value]) -> usize {
    items
        .iter()
        .map(|v| v.as_array().map_or(1, Vec::len))
        .fold(0usize, usize::saturating_add)
}

/// One category: `null` (none), a number (one sample), an array of samples or a statistics
/// object; its summary goes to `summaries`.
pub(super) fn category(
    value: &Value,
    kind_: DistributionKind,
    options: StatsOptions,
    summaries: &mut Vec<Summary>,
) -> Result<DataPoint, Vec<Problem>> {
    const HINT: &str = "a box plot's or violin's category is an array of samples, e.g. [3, 4, 6, 12], or {\"min\", \"q1\", \"median\", \"q3\", \"max\"}";
    let summary = match value {
        Value::Null => return Ok(DataPoint::Missing),
        Value::Array(items) => {
            let mut samples = Vec::with_capacity(items.len());
            let mut problems = Vec::new();
            for item in items {
                match item {
                    // The plugin leaves out what is not a number.
                    Value::Null => {}
                    other => match number(other) {
                        Ok(v) => samples.push(v),
                        Err(p) => problems.push(p.hint(HINT)),
                    },
                }
            }
            if !problems.is_empty() {
                problems.truncate(1);
                return Err(problems);
            }
            Summary::of(samples, kind_, options)
        }
        Value::Number(_) | Value::String(_) => {
            let v = number(value).map_err(|p| vec![p.hint(HINT)])?;
            Summary::of(vec![v], kind_, options)
        }
        Value::Object(obj) => Some(given(obj, options)?),
        Value::Bool(_) => {
            return Err(vec![
                Problem::new("expected an array of samples, got a boolean".to_owned()).hint(HINT),
            ]);
        }
    };
    let Some(summary) = summary else {
        return Ok(DataPoint::Missing);
    };
    let median = summary.median;
    let row = u32::try_from(summaries.len()).unwrap_or(u32::MAX);
    summaries.push(summary);
    Ok(DataPoint::Summary { median, row })
}

/// Statistics given whole: `min`, `q1`, `median`, `q3`, `max` (and optional `outliers` and
/// `items`, the samples behind them).
fn given(obj: &Map<String, Value>, options: StatsOptions) -> Result<Summary, Vec<Problem>> {
    const KEYS: [&str; 5] = ["min", "q1", "median", "q3", "max"];
    let mut stats = [0.0; 5];
    let mut problems = Vec::new();
    for (slot, key) in stats.iter_mut().zip(KEYS) {
        match present(obj, key).map(number) {
            Some(Ok(v)) => *slot = v,
            Some(Err(p)) => problems.push(Problem {
                key: Some(key),
                ..p
            }),
            None => problems.push(Problem {
                key: Some(key),
                ..Problem::new(format!("these statistics have no numeric `{key}`"))
                    .hint("give all of min, q1, median, q3 and max, or the raw samples as an array")
            }),
        }
    }
    let mut numbers = |key: &'static str| match present(obj, key) {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter_map(|v| number(v).ok()).collect(),
        Some(other) => {
            problems.push(Problem {
                key: Some(key),
                ..Problem::new(format!(
                    "`{key}` must be an array of numbers, got {}",
                    kind(other)
                ))
            });
            Vec::new()
        }
    };
    let outliers = numbers("outliers");
    let items = numbers("items");
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Summary::given(stats, outliers, items, options.coef))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_sample_counts_against_the_point_limit() {
        let items = [
            json!([1, 2, 3]),
            json!(4),
            json!(null),
            json!({"median": 1}),
        ];
        assert_eq!(count(&items), 6);
    }
}
