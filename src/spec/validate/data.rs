//! `data`: category labels, datasets, their points and colours.

mod element;
mod points;
mod samples;

pub(super) use samples::kind_of as distribution_kind;

use super::{at, child, invalid, json_kind as kind, present, quote};
use crate::spec::distribution::DistributionKind;
use crate::spec::{
    ColorSpec, Dataset, ErrorCode, FillTarget, MAX_DATASETS, MAX_POINTS, Samples, SamplesLook,
    SpecError,
};
use element::{Problem, each};
use peniko::Color;
use points::point;
use serde_json::{Map, Number, Value};

/// Widest accepted `borderWidth` in px; wider lines swallow the chart.
const MAX_BORDER_WIDTH: f64 = 50.0;

/// What `data` holds once validated.
pub(super) struct Data {
    /// `data.labels`, as strings.
    pub(super) labels: Vec<String>,
    /// `data.datasets`.
    pub(super) datasets: Vec<Dataset>,
}

/// `data`: required object with `datasets` and optional `labels`. `samples`: the chart is a
/// box plot or violin, whose categories are arrays of samples.
pub(super) fn data(
    value: Option<&Value>,
    samples: Option<DistributionKind>,
    errors: &mut Vec<SpecError>,
) -> Option<Data> {
    const PATH: &str = "/data";
    let Some(value) = value else {
        errors.push(
            SpecError::new(
                ErrorCode::MissingData,
                PATH,
                "`data` is required: an object with a `datasets` array",
            )
            .with_hint(
                r#"e.g. "data": {"labels": ["Q1", "Q2"], "datasets": [{"data": [120, 190]}]}"#,
            ),
        );
        return None;
    };
    let Some(obj) = value.as_object() else {
        errors.push(invalid(
            PATH,
            format!(
                "`data` must be an object with `labels` and `datasets`, got {}",
                kind(value)
            ),
        ));
        return None;
    };
    let labels = labels(present(obj, "labels"), errors);
    let datasets = datasets(present(obj, "datasets"), samples, errors);
    Some(Data {
        labels,
        datasets: datasets?,
    })
}

/// `data.labels`: optional array of category labels.
fn labels(value: Option<&Value>, errors: &mut Vec<SpecError>) -> Vec<String> {
    const PATH: &str = "/data/labels";
    let Some(value) = value else {
        return Vec::new();
    };
    let Some(items) = value.as_array() else {
        errors.push(invalid(
            PATH,
            format!("`labels` must be an array, got {}", kind(value)),
        ));
        return Vec::new();
    };
    if items.len() > MAX_POINTS {
        errors.push(invalid(
            PATH,
            format!(
                "{} labels is more than the limit of {}",
                items.len(),
                super::thousands(MAX_POINTS as u64)
            ),
        ));
        return Vec::new();
    }
    each(items, PATH, "labels", errors, |v| {
        label_text(v).map_err(|p| vec![p])
    })
    .unwrap_or_default()
}

/// One category label as text.
fn label_text(value: &Value) -> Result<String, Problem> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(number_label(n)),
        Value::Null => Ok(String::new()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Array(lines) => {
            let mut parts = Vec::with_capacity(lines.len());
            for line in lines {
                match line {
                    Value::String(s) => parts.push(s.clone()),
                    Value::Number(n) => parts.push(number_label(n)),
                    _ => {
                        return Err(Problem::new(format!(
                            "a multi-line label must be an array of strings, but it holds {}",
                            kind(line)
                        )));
                    }
                }
            }
            Ok(parts.join(" "))
        }
        Value::Object(_) => Err(Problem::new(
            "a label must be a string or a number, got an object".to_owned(),
        )
        .hint("labels name the categories, e.g. [\"Q1\", \"Q2\"]")),
    }
}

/// A JSON number as label text: integers without `.0`.
fn number_label(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        n.as_f64().map_or_else(|| n.to_string(), format_number)
    }
}

/// The shortest text for a number: integers without `.0`, exponent form only for very large or
/// very small magnitudes (`1e21`, `1.5e-7`), as JavaScript prints them.
pub(super) fn format_number(x: f64) -> String {
    if x == 0.0 {
        return "0".to_owned(); // also -0
    }
    if (1e-6..1e21).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// `data.datasets`: a non-empty array of dataset objects.
fn datasets(
    value: Option<&Value>,
    samples: Option<DistributionKind>,
    errors: &mut Vec<SpecError>,
) -> Option<Vec<Dataset>> {
    const PATH: &str = "/data/datasets";
    let Some(value) = value else {
        errors.push(
            SpecError::new(
                ErrorCode::DatasetEmpty,
                PATH,
                "`data.datasets` is required: a non-empty array of datasets",
            )
            .with_hint(r#"e.g. "datasets": [{"label": "Revenue", "data": [120, 190, 150]}]"#),
        );
        return None;
    };
    let Some(items) = value.as_array() else {
        errors.push(invalid(
            PATH,
            format!("`datasets` must be an array, got {}", kind(value)),
        ));
        return None;
    };
    if items.is_empty() {
        errors.push(
            SpecError::new(
                ErrorCode::DatasetEmpty,
                PATH,
                "`data.datasets` is empty: at least one dataset is needed",
            )
            .with_hint(r#"e.g. "datasets": [{"label": "Revenue", "data": [120, 190, 150]}]"#),
        );
        return None;
    }
    if items.len() > MAX_DATASETS {
        errors.push(invalid(
            PATH,
            format!(
                "{} datasets is more than the limit of {MAX_DATASETS}",
                items.len()
            ),
        ));
        return None;
    }
    // A box plot's categories count every sample.
    let total = items
        .iter()
        .filter_map(|d| {
            let data = d.get("data").and_then(Value::as_array)?;
            Some(match d.as_object().and_then(|o| distribution(o, samples)) {
                Some(_) => samples::count(data),
                None => data.len(),
            })
        })
        .fold(0usize, usize::saturating_add);
    let points_fit = total <= MAX_POINTS;
    if !points_fit {
        errors.push(crate::spec::limits::too_many_points(total));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(d) = dataset(i, item, (points_fit, samples, items.len()), errors) {
            out.push(d);
        }
    }
    Some(out)
}

/// The picture a dataset's arrays of samples make: its own `type`'s, else the chart's (`None`:
/// an ordinary dataset, whose pairs are floating bars).
fn distribution(
    obj: &Map<String, Value>,
    chart: Option<DistributionKind>,
) -> Option<DistributionKind> {
    match present(obj, "type").and_then(Value::as_str) {
        Some(t) => samples::kind_of(t.trim()),
        None => chart,
    }
}

/// One dataset object. Its points are only checked when the total fits the limit; `samples`:
/// the chart is a box plot or violin.
fn dataset(
    i: usize,
    value: &Value,
    (check_points, samples, count): (bool, Option<DistributionKind>, usize),
    errors: &mut Vec<SpecError>,
) -> Option<Dataset> {
    let path = at("/data/datasets", i);
    let Some(obj) = value.as_object() else {
        errors.push(invalid(
            path,
            format!(
                "dataset {i} must be an object with a `data` array, got {}",
                kind(value)
            ),
        ));
        return None;
    };
    let label = dataset_label(obj, &path, errors);
    let data_path = child(&path, "data");
    let mut bullets = Vec::new();
    let distribution = distribution(obj, samples);
    let stats = samples::stats_options(obj);
    let mut summaries = Vec::new();
    let data = match present(obj, "data") {
        None => {
            errors.push(
                invalid(&data_path, format!("dataset {i} has no `data` array"))
                    .with_hint(r#"add its values, e.g. "data": [120, 190, 150]"#),
            );
            Vec::new()
        }
        Some(Value::Array(items)) if check_points => each(
            items,
            &data_path,
            &format!("values in dataset {i}"),
            errors,
            |v| match distribution {
                Some(kind) => samples::category(v, kind, stats, &mut summaries),
                None => point(v, &mut bullets),
            },
        )
        .unwrap_or_default(),
        Some(Value::Array(_)) => Vec::new(),
        Some(other) => {
            errors.push(invalid(
                &data_path,
                format!(
                    "`data` of dataset {i} must be an array, got {}",
                    kind(other)
                ),
            ));
            Vec::new()
        }
    };
    let background_color = color_option(obj, &path, "backgroundColor", errors);
    let border_color = color_option(obj, &path, "borderColor", errors);
    let border_width = border_width(obj, &path, errors);
    let (fill, fill_to) = fill(obj, &path, (i, count), errors);
    let mut style = super::chartjs::series_style(obj, &path, errors);
    style.fill_to = fill_to;
    let samples = distribution.map(|kind| {
        Box::new(Samples {
            kind,
            summaries,
            look: SamplesLook::default(),
        })
    });
    Some(Dataset {
        label,
        data,
        bullets,
        samples,
        background_color,
        border_color,
        border_width,
        fill,
        style,
    })
}

/// Chart.js `fill`: `false`/`true`, `"origin"`, `"start"`, `"end"`, a dataset (`2`, `"-1"`,
/// `"+1"`, `"stack"`), `{value: n}` or `{target: …}`: whether the area is shaded, and to what
/// (`i`: this dataset's index, `count`: how many there are). `"shape"` shades to the axis; a
/// dataset that is not there leaves the area unshaded, as in Chart.js.
fn fill(
    obj: &Map<String, Value>,
    path: &str,
    (i, count): (usize, usize),
    errors: &mut Vec<SpecError>,
) -> (Option<bool>, Option<FillTarget>) {
    let Some(value) = present(obj, "fill") else {
        return (None, None);
    };
    match fill_target(value, i, count) {
        Some(target) => (Some(target.is_some()), target),
        None => {
            errors.push(
                invalid(
                    child(path, "fill"),
                    format!(
                        "`fill` must be true, false, \"origin\", \"start\", \"end\", a dataset index (2, \"-1\", \"+1\") of another dataset, \"stack\" or {{\"value\": n}}, got {}",
                        match value {
                            Value::String(s) => quote(s),
                            v => v.to_string().chars().take(40).collect(),
                        }
                    ),
                ),
            );
            (None, None)
        }
    }
}

/// A `fill` value's target: `Some(None)` = not filled, `None` = not a fill.
fn fill_target(value: &Value, i: usize, count: usize) -> Option<Option<FillTarget>> {
    // A dataset that is not there (or this one) is no fill, as Chart.js has it.
    let dataset = |j: i64| -> Option<Option<FillTarget>> {
        Some(
            usize::try_from(j)
                .ok()
                .filter(|j| *j < count && *j != i)
                .map(FillTarget::Dataset),
        )
    };
    match value {
        Value::Bool(false) => Some(None),
        Value::Bool(true) => Some(Some(FillTarget::Origin)),
        Value::Number(n) => dataset(n.as_i64()?),
        Value::String(s) => match s.trim() {
            "origin" | "shape" => Some(Some(FillTarget::Origin)),
            "start" => Some(Some(FillTarget::Start)),
            "end" => Some(Some(FillTarget::End)),
            "stack" => match i {
                0 => Some(Some(FillTarget::Origin)),
                _ => dataset(i as i64 - 1),
            },
            t if t.starts_with(['+', '-']) => {
                let step: i64 = t.parse().ok()?;
                dataset(i64::try_from(i).ok()?.checked_add(step)?)
            }
            t => dataset(t.parse().ok()?),
        },
        Value::Object(o) => match (o.get("value"), o.get("target")) {
            (Some(v), _) => v
                .as_f64()
                .filter(|v| v.is_finite())
                .map(|v| Some(FillTarget::Value(v))),
            (None, Some(t)) => fill_target(t, i, count),
            (None, None) => None,
        },
        _ => None,
    }
}

/// A dataset's `label`: a string, or a number turned into one.
fn dataset_label(
    obj: &Map<String, Value>,
    path: &str,
    errors: &mut Vec<SpecError>,
) -> Option<String> {
    match present(obj, "label")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(number_label(n)),
        other => {
            errors.push(invalid(
                child(path, "label"),
                format!("`label` must be a string, got {}", kind(other)),
            ));
            None
        }
    }
}

/// `borderWidth`: a number of px from 0 to [`MAX_BORDER_WIDTH`].
fn border_width(obj: &Map<String, Value>, path: &str, errors: &mut Vec<SpecError>) -> Option<f64> {
    let value = present(obj, "borderWidth")?;
    let width = value
        .as_f64()
        .filter(|w| w.is_finite() && (0.0..=MAX_BORDER_WIDTH).contains(w));
    if width.is_none() {
        let got = match value {
            Value::Number(n) => n.to_string(),
            other => kind(other).to_owned(),
        };
        errors.push(invalid(
            child(path, "borderWidth"),
            format!(
                "`borderWidth` must be a number of pixels from 0 to {MAX_BORDER_WIDTH}, got {got}"
            ),
        ));
    }
    width
}

/// `backgroundColor` / `borderColor`: one CSS colour or an array of them (one per point).
fn color_option(
    obj: &Map<String, Value>,
    path: &str,
    key: &str,
    errors: &mut Vec<SpecError>,
) -> Option<ColorSpec> {
    let value = present(obj, key)?;
    let path = child(path, key);
    match value {
        Value::String(s) => match css_color(s) {
            Ok(c) => Some(ColorSpec::One(c)),
            Err(p) => {
                errors.push(p.into_error(path));
                None
            }
        },
        Value::Array(items) if items.is_empty() => None,
        Value::Array(items) => each(items, &path, "colours", errors, |v| match v {
            Value::String(s) => css_color(s).map_err(|p| vec![p]),
            other => Err(vec![Problem::new(format!(
                "expected a CSS colour string, got {}",
                kind(other)
            ))]),
        })
        .map(ColorSpec::PerPoint),
        other => {
            errors.push(invalid(
                path,
                format!(
                    "`{key}` must be a CSS colour string or an array of them, got {}",
                    kind(other)
                ),
            ));
            None
        }
    }
}

/// Parses a CSS colour (hex, `rgb()`, `rgba()`, `hsl()`, a name, …) into sRGB, with a problem
/// worded for the client.
fn css_color(s: &str) -> Result<Color, Problem> {
    super::read::parse_css_color(s).ok_or_else(|| {
            Problem::new(format!("`{}` is not a CSS colour", quote(s))).hint(
                "use a hex code such as #36a2eb, rgb()/rgba(), hsl() or a colour name such as steelblue",
            )
        })
}
