//! The compact data summaries a model is shown instead of the data: a few numbers per series
//! (count, min and max with their labels, first, last, total, change, trend) or per column, so a
//! prompt stays small for a million points and every number the model may cite is listed —
//! the [`guard`](super::guard) checks its answer against exactly this.

use crate::insight::narrative::pearson;
use crate::insight::recommend::{Column, ColumnKind, MAX_SAMPLE_ROWS};
use crate::spec::{ChartSpec, ChartType, DataPoint, Dataset, Labels};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Series described, at most (the count of all is given too).
const MAX_SERIES: usize = 8;
/// Columns described, at most.
const MAX_COLUMNS: usize = 30;
/// Longest label, series or column name quoted, in characters.
const NAME_CHARS: usize = 40;
/// Pie slices listed with their shares.
const TOP_SHARES: usize = 3;
/// Example values listed per column.
const EXAMPLES: usize = 3;
/// Distinct values counted per column, at most.
const MAX_DISTINCT: usize = 1000;
/// A change of less than this share of the range from first to last value is "flat".
const FLAT_SHARE: f64 = 0.1;

/// Cuts a name to [`NAME_CHARS`] characters.
fn short(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= NAME_CHARS {
        text
    } else {
        let cut: String = text.chars().take(NAME_CHARS - 1).collect();
        format!("{cut}…")
    }
}

/// A number with at most six significant digits (no `0.30000000000000004` in prompts).
fn tidy(v: f64) -> Value {
    if v == 0.0 || !v.is_finite() {
        return json!(0);
    }
    let digits = 6 - (v.abs().log10().floor() as i32 + 1);
    let scale = 10f64.powi(digits.clamp(-300, 300));
    let rounded = (v * scale).round() / scale;
    if rounded.fract() == 0.0 && rounded.abs() < 9e15 {
        json!(rounded as i64)
    } else {
        json!(rounded)
    }
}

/// The summary of a chart: its type, the labels' extent and up to 8 series.
pub(crate) fn chart_summary(spec: &ChartSpec) -> Value {
    let mut out = Map::new();
    out.insert("chart_type".into(), spec.chart_type.name().into());
    if let Some(title) = &spec.options.title {
        out.insert("title".into(), short(title).into());
    }
    if let (Some(first), Some(last)) = (spec.labels.first(), spec.labels.last()) {
        out.insert(
            "labels".into(),
            json!({ "count": spec.labels.len(), "first": short(first), "last": short(last) }),
        );
    }
    out.insert("series_count".into(), spec.datasets.len().into());
    let series: Vec<Value> = spec
        .datasets
        .iter()
        .take(MAX_SERIES)
        .map(|d| series_summary(d, &spec.labels, spec.chart_type))
        .collect();
    out.insert("series".into(), series.into());
    Value::Object(out)
}

/// The label of point `i`: its date for dated points, else its category label.
fn point_label(point: &DataPoint, i: usize, labels: &Labels) -> Option<String> {
    if let DataPoint::Dated { day, .. } = point {
        return chrono::DateTime::from_timestamp(i64::from(*day) * 86_400, 0)
            .map(|d| d.date_naive().format("%Y-%m-%d").to_string());
    }
    labels.get(i).map(short)
}

fn series_summary(dataset: &Dataset, labels: &Labels, chart_type: ChartType) -> Value {
    let mut out = Map::new();
    if let Some(name) = &dataset.label {
        out.insert("name".into(), short(name).into());
    }
    let values: Vec<(usize, f64)> = dataset
        .data
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.y().filter(|y| y.is_finite()).map(|y| (i, y)))
        .collect();
    out.insert("count".into(), values.len().into());
    let (Some(&first), Some(&last)) = (values.first(), values.last()) else {
        return Value::Object(out);
    };
    let at = |(i, v): (usize, f64)| {
        let mut point = Map::new();
        point.insert("value".into(), tidy(v));
        if let Some(label) = dataset.data.get(i).and_then(|p| point_label(p, i, labels)) {
            point.insert("label".into(), label.into());
        }
        Value::Object(point)
    };
    // First occurrences of the extremes, as the data-driven narrative names them.
    let min = values
        .iter()
        .copied()
        .fold(first, |m, p| if p.1 < m.1 { p } else { m });
    let max = values
        .iter()
        .copied()
        .fold(first, |m, p| if p.1 > m.1 { p } else { m });
    let total: f64 = values.iter().map(|p| p.1).sum();
    out.insert("min".into(), at(min));
    out.insert("max".into(), at(max));
    out.insert("first".into(), at(first));
    out.insert("last".into(), at(last));
    out.insert("total".into(), tidy(total));
    if first.1 != 0.0 {
        let change = (last.1 - first.1) / first.1.abs() * 100.0;
        out.insert("change_pct".into(), tidy((change * 100.0).round() / 100.0));
    }
    let range = max.1 - min.1;
    let trend = if range <= 0.0 || ((last.1 - first.1) / range).abs() < FLAT_SHARE {
        "flat"
    } else if last.1 > first.1 {
        "up"
    } else {
        "down"
    };
    out.insert("trend".into(), trend.into());
    match chart_type {
        ChartType::Pie | ChartType::Donut if total > 0.0 && min.1 >= 0.0 => {
            let mut ranked = values.clone();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
            let shares: Vec<Value> = ranked
                .iter()
                .take(TOP_SHARES)
                .map(|&p| {
                    let mut v = at(p);
                    if let Some(o) = v.as_object_mut() {
                        o.insert(
                            "share_pct".into(),
                            tidy((p.1 / total * 1e4).round() / 100.0),
                        );
                    }
                    v
                })
                .collect();
            out.insert("top_shares".into(), shares.into());
        }
        ChartType::Scatter => {
            let points = dataset.finite_xy();
            let (lo, hi) = points
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                    (lo.min(p.0), hi.max(p.0))
                });
            if lo.is_finite() {
                out.insert("x_min".into(), tidy(lo));
                out.insert("x_max".into(), tidy(hi));
            }
            if let Some(r) = pearson(&points) {
                out.insert("correlation".into(), tidy((r * 100.0).round() / 100.0));
            }
        }
        _ => {}
    }
    Value::Object(out)
}

/// The wire name of a column kind.
fn kind_name(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Category => "category",
        ColumnKind::Number => "number",
        ColumnKind::Time => "time",
        ColumnKind::Boolean => "boolean",
        ColumnKind::Unknown => "unknown",
    }
}

/// The summary of a recommendation request: per column its name and kind and, from the sample
/// rows, the number of distinct values, the numeric range and a few example values.
pub(crate) fn columns_summary(columns: &[Column], sample: &[Value]) -> Value {
    let rows: Vec<&Map<String, Value>> = sample
        .iter()
        .take(MAX_SAMPLE_ROWS)
        .filter_map(Value::as_object)
        .collect();
    let described: Vec<Value> = columns
        .iter()
        .take(MAX_COLUMNS)
        .map(|c| column_summary(c, &rows))
        .collect();
    json!({
        "column_count": columns.len(),
        "sample_rows": rows.len(),
        "columns": described,
    })
}

fn column_summary(column: &Column, rows: &[&Map<String, Value>]) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), short(&column.name).into());
    out.insert("type".into(), kind_name(column.kind).into());
    if rows.is_empty() {
        return Value::Object(out);
    }
    let mut distinct = BTreeSet::new();
    let mut examples: Vec<String> = Vec::new();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for row in rows {
        let text = match row.get(&column.name) {
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(Value::Number(n)) => {
                if let Some(x) = n.as_f64().filter(|x| x.is_finite()) {
                    lo = lo.min(x);
                    hi = hi.max(x);
                }
                n.to_string()
            }
            Some(Value::Bool(b)) => b.to_string(),
            _ => continue,
        };
        if text.is_empty() {
            continue;
        }
        if examples.len() < EXAMPLES && !examples.contains(&text) {
            examples.push(short(&text));
        }
        if distinct.len() < MAX_DISTINCT {
            distinct.insert(text);
        }
    }
    out.insert("distinct".into(), distinct.len().into());
    if lo.is_finite() {
        out.insert("min".into(), tidy(lo));
        out.insert("max".into(), tidy(hi));
    }
    out.insert("examples".into(), examples.into());
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: Value) -> ChartSpec {
        crate::spec::from_value(&json).expect("valid spec")
    }

    #[test]
    fn a_series_is_a_handful_of_numbers_with_labels() {
        let s = chart_summary(&spec(json!({
            "type": "line",
            "data": { "labels": ["Q1", "Q2", "Q3", "Q4"],
                      "datasets": [{ "label": "Revenue", "data": [120, 190, 150, 220] }] }
        })));
        assert_eq!(
            s,
            json!({
                "chart_type": "line",
                "labels": { "count": 4, "first": "Q1", "last": "Q4" },
                "series_count": 1,
                "series": [{
                    "name": "Revenue", "count": 4,
                    "min": { "value": 120, "label": "Q1" },
                    "max": { "value": 220, "label": "Q4" },
                    "first": { "value": 120, "label": "Q1" },
                    "last": { "value": 220, "label": "Q4" },
                    "total": 680, "change_pct": 83.33, "trend": "up"
                }]
            })
        );
    }

    #[test]
    fn a_long_series_stays_small() {
        let data: Vec<f64> = (0..100_000).map(|i| f64::from(i % 977) * 1.5).collect();
        let datasets: Vec<Value> = (0..20)
            .map(|k| json!({ "label": format!("S{k}"), "data": data }))
            .collect();
        let s = chart_summary(&spec(
            json!({ "type": "line", "data": { "datasets": datasets } }),
        ));
        let text = s.to_string();
        assert!(text.len() < 3000, "{} bytes", text.len());
        assert_eq!(s["series_count"], 20);
        assert_eq!(s["series"].as_array().map(Vec::len), Some(MAX_SERIES));
    }

    #[test]
    fn pies_list_top_shares_and_scatters_a_correlation() {
        let s = chart_summary(&spec(json!({
            "type": "pie",
            "data": { "labels": ["A", "B", "C", "D"], "datasets": [{ "data": [50, 30, 15, 5] }] }
        })));
        assert_eq!(
            s["series"][0]["top_shares"][0],
            json!({ "value": 50, "label": "A", "share_pct": 50 })
        );
        assert_eq!(
            s["series"][0]["top_shares"].as_array().map(Vec::len),
            Some(3)
        );
        let s = chart_summary(&spec(json!({
            "type": "scatter",
            "data": { "datasets": [{ "data": [{"x": 1, "y": 2}, {"x": 2, "y": 4}, {"x": 3, "y": 6.5}] }] }
        })));
        assert_eq!(s["series"][0]["correlation"], json!(1));
        assert_eq!(s["series"][0]["x_max"], json!(3));
    }

    #[test]
    fn columns_carry_cardinality_and_ranges_from_the_sample() {
        let columns = vec![
            Column {
                name: "region".into(),
                kind: ColumnKind::Category,
            },
            Column {
                name: "sales".into(),
                kind: ColumnKind::Number,
            },
        ];
        let sample: Vec<Value> = (0..500)
            .map(|i| json!({ "region": format!("R{}", i % 7), "sales": i }))
            .collect();
        let s = columns_summary(&columns, &sample);
        assert_eq!(s["sample_rows"], 500);
        assert_eq!(s["columns"][0]["distinct"], 7);
        assert_eq!(s["columns"][0]["examples"], json!(["R0", "R1", "R2"]));
        assert_eq!(s["columns"][1]["min"], 0);
        assert_eq!(s["columns"][1]["max"], 499);
        assert!(s.to_string().len() < 1000);
    }

    #[test]
    fn tidy_numbers() {
        assert_eq!(tidy(0.1 + 0.2), json!(0.3));
        assert_eq!(tidy(1_234_567.89), json!(1_234_570));
        assert_eq!(tidy(-5.0), json!(-5));
        assert_eq!(tidy(f64::NAN), json!(0));
    }
}
