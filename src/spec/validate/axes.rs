//! Which value axis each dataset uses (`yAxisID`: a second axis on the right) and time axes
//! (`scales.x.type: "time"`, or `{x: "2024-03-01", y}` points), checked once the data and
//! options are read.

use super::{at, chartjs::Scales, invalid, quote};
use crate::spec::time::parse_instant;
use crate::spec::{AxisKind, ChartOptions, Dataset, Side, SpecError, SpecWarning};
use serde_json::{Map, Value};

/// Marks the datasets whose `yAxisID` is not the first value axis as using the second one, and
/// takes that axis's options. Only two value axes are drawn: further ids share the second.
pub(super) fn assign(
    root: &Map<String, Value>,
    datasets: &mut [Dataset],
    scales: Scales,
    options: &mut ChartOptions,
    warnings: &mut Vec<SpecWarning>,
) {
    let raw = root
        .get("data")
        .and_then(|d| d.get("datasets"))
        .and_then(Value::as_array);
    let Some(raw) = raw else { return };
    // Each dataset's axis id: its `yAxisID`, else the default axis (as in Chart.js).
    let ids: Vec<String> = raw
        .iter()
        .map(|set| {
            set.get("yAxisID")
                .and_then(Value::as_str)
                .unwrap_or(&scales.y_id)
                .to_owned()
        })
        .collect();
    // The first dataset's axis is the first (left) axis.
    let Some(primary) = ids.first().cloned() else {
        return;
    };
    let primary = primary.as_str();
    let Scales {
        y_id, mut others, ..
    } = scales;
    if primary != y_id {
        let own = others
            .iter()
            .position(|(id, _)| id == primary)
            .map(|k| others.remove(k).1)
            .unwrap_or_default();
        let previous = std::mem::replace(&mut options.y_axis, own);
        others.insert(0, (y_id, previous));
    }
    let mut second: Option<&str> = None;
    for (i, (id, ds)) in ids
        .iter()
        .map(String::as_str)
        .zip(datasets.iter_mut())
        .enumerate()
    {
        if id == primary {
            continue;
        }
        match second {
            None => second = Some(id),
            Some(s) if s == id => {}
            Some(s) => warnings.push(SpecWarning {
                path: format!("/data/datasets/{i}/yAxisID"),
                message: format!(
                    "only two value axes are drawn: `{}` shares the right axis with `{}`",
                    quote(id),
                    quote(s)
                ),
            }),
        }
        ds.style.secondary_axis = true;
    }
    let Some(id) = second else { return };
    options.y2_axis = others
        .into_iter()
        .find(|(other, _)| other == id)
        .map(|(_, axis)| axis)
        .unwrap_or_default();
    // The first axis keeps its side; the second takes the other one.
    let first_right = options.y_axis.position == Some(Side::Right);
    options.y2_axis.position = Some(if first_right { Side::Left } else { Side::Right });
}

/// With a time x axis every label must be a date (kept as ISO text when `parsed`: the axis's
/// `time.parser` read them); a time axis is also implied by points whose `x` is a date string.
pub(super) fn time_labels(
    root: &Map<String, Value>,
    (labels, parsed): (&mut [String], bool),
    options: &mut ChartOptions,
    errors: &mut Vec<SpecError>,
) {
    if options.x_axis.kind.is_none() && has_date_points(root) {
        options.x_axis.kind = Some(AxisKind::Time);
    }
    if options.x_axis.kind != Some(AxisKind::Time) {
        return;
    }
    if parsed {
        // Labels the axis's `time.parser` reads are kept as ISO text, which layout reads.
        for label in labels.iter_mut() {
            if let Some(text) = parse_instant(label).and_then(crate::spec::time::iso) {
                *label = text;
            }
        }
    }
    for (i, label) in crate::spec::time::not_dates(labels.iter().map(String::as_str)).take(5) {
        errors.push(
            invalid(
                at("/data/labels", i),
                format!(
                    "`{}` is not a date, and the x axis is a time axis",
                    quote(label)
                ),
            )
            .with_hint("use ISO-8601 such as \"2024-03-01\" or \"2024-03-01T09:30:00Z\""),
        );
    }
}

/// The `time.parser` of the x axis (v3 `scales.<x id>.time.parser`, v2 `xAxes[].time.parser`),
/// when it is a string.
pub(super) fn time_parser(root: &Map<String, Value>) -> Option<&str> {
    let scales = root.get("options")?.get("scales")?.as_object()?;
    fn parser(axis: &Value) -> Option<&str> {
        axis.get("time")?.get("parser")?.as_str()
    }
    if let Some(list) = scales.get("xAxes").and_then(Value::as_array) {
        return list.iter().find_map(parser);
    }
    scales
        .iter()
        .filter(|(id, axis)| {
            axis.get("axis")
                .and_then(Value::as_str)
                .map_or(id.starts_with('x'), |a| a == "x")
        })
        .find_map(|(_, axis)| parser(axis))
}

/// Whether the first point of some dataset is `{x: "<date>", …}`.
fn has_date_points(root: &Map<String, Value>) -> bool {
    root.get("data")
        .and_then(|d| d.get("datasets"))
        .and_then(Value::as_array)
        .is_some_and(|sets| {
            sets.iter().any(|set| {
                set.get("data")
                    .and_then(Value::as_array)
                    .and_then(|d| d.first())
                    .and_then(|p| p.get("x"))
                    .and_then(Value::as_str)
                    .is_some_and(|x| parse_instant(x).is_some())
            })
        })
}
