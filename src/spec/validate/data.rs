//! `data`: category labels, datasets, their points and colours.

use super::{at, child, invalid, json_kind as kind, present, quote};
use crate::spec::{
    BulletPoint, ColorSpec, DataPoint, Dataset, ErrorCode, MAX_DATASETS, MAX_POINTS, SpecError,
};
use peniko::Color;
use serde_json::{Map, Number, Value};

/// Most invalid values reported one by one per list (points of a dataset, labels, colours);
/// the rest are counted in one summary error so that a bad column does not flood the response.
const MAX_LISTED: usize = 20;
/// Widest accepted `borderWidth` in px; wider lines swallow the chart.
const MAX_BORDER_WIDTH: f64 = 50.0;

/// What `data` holds once validated.
pub(super) struct Data {
    /// `data.labels`, as strings.
    pub(super) labels: Vec<String>,
    /// `data.datasets`.
    pub(super) datasets: Vec<Dataset>,
}

/// One problem with a list element, before its pointer is known (pointers are only built for
/// values that are actually wrong, keeping the happy path allocation-free).
struct Problem {
    /// Member of the element at fault (`x` of a point), if not the element itself.
    key: Option<&'static str>,
    message: String,
    hint: Option<&'static str>,
}

impl Problem {
    fn new(message: String) -> Self {
        Problem {
            key: None,
            message,
            hint: None,
        }
    }

    fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    fn into_error(self, element_path: String) -> SpecError {
        let path = match self.key {
            Some(key) => child(&element_path, key),
            None => element_path,
        };
        let error = invalid(path, self.message);
        match self.hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    }
}

/// Checks every element of a list with `check`, reporting at most [`MAX_LISTED`] bad elements
/// one by one and the rest in a summary at `path`. `None` when any element was bad.
fn each<T>(
    items: &[Value],
    path: &str,
    what: &str,
    errors: &mut Vec<SpecError>,
    mut check: impl FnMut(&Value) -> Result<T, Vec<Problem>>,
) -> Option<Vec<T>> {
    let mut out = Vec::with_capacity(items.len());
    let mut bad = 0usize;
    for (j, item) in items.iter().enumerate() {
        match check(item) {
            Ok(v) => out.push(v),
            Err(problems) => {
                bad += 1;
                if bad <= MAX_LISTED {
                    let element = at(path, j);
                    errors.extend(problems.into_iter().map(|p| p.into_error(element.clone())));
                }
            }
        }
    }
    if bad > MAX_LISTED {
        errors.push(invalid(
            path,
            format!("… and {} more invalid {what}", bad - MAX_LISTED),
        ));
    }
    (bad == 0).then_some(out)
}

/// `data`: required object with `datasets` and optional `labels`.
pub(super) fn data(value: Option<&Value>, errors: &mut Vec<SpecError>) -> Option<Data> {
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
    let datasets = datasets(present(obj, "datasets"), errors);
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
fn datasets(value: Option<&Value>, errors: &mut Vec<SpecError>) -> Option<Vec<Dataset>> {
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
    let total = items
        .iter()
        .filter_map(|d| d.get("data").and_then(Value::as_array).map(Vec::len))
        .fold(0usize, usize::saturating_add);
    let points_fit = total <= MAX_POINTS;
    if !points_fit {
        errors.push(crate::spec::limits::too_many_points(total));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(d) = dataset(i, item, points_fit, errors) {
            out.push(d);
        }
    }
    Some(out)
}

/// One dataset object. Its points are only checked when the total fits the limit.
fn dataset(
    i: usize,
    value: &Value,
    check_points: bool,
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
            |v| point(v, &mut bullets),
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
    let fill = fill(obj, &path, errors);
    let style = super::chartjs::series_style(obj, &path, errors);
    Some(Dataset {
        label,
        data,
        bullets,
        background_color,
        border_color,
        border_width,
        fill,
        style,
    })
}

/// Chart.js `fill`: `false`/`true`, or `"origin"`, `"start"`, `"end"` (all mean "shade it").
fn fill(obj: &Map<String, Value>, path: &str, errors: &mut Vec<SpecError>) -> Option<bool> {
    match present(obj, "fill")? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if ["origin", "start", "end"].contains(&s.trim()) => Some(true),
        other => {
            errors.push(invalid(
                child(path, "fill"),
                format!(
                    "`fill` must be true, false, \"origin\", \"start\" or \"end\", got {}",
                    match other {
                        Value::String(s) => quote(s),
                        v => kind(v).to_owned(),
                    }
                ),
            ));
            None
        }
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

/// One data point: a number, `null`, a numeric string, or an `{x, y}` object.
fn point(value: &Value, bullets: &mut Vec<BulletPoint>) -> Result<DataPoint, Vec<Problem>> {
    const HINT: &str = "data values must be numbers, null (a gap) or {\"x\": …, \"y\": …} points";
    match value {
        Value::Null => Ok(DataPoint::Missing),
        Value::Number(_) | Value::String(_) => {
            number(value).map(DataPoint::Value).map_err(|p| vec![p])
        }
        Value::Object(obj) if obj.contains_key("date") => dated(obj),
        Value::Object(obj) if obj.contains_key("value") => bullet(obj, bullets),
        Value::Object(obj) => match (coordinate(obj, "x"), coordinate(obj, "y")) {
            (Ok(x), Ok(y)) => Ok(DataPoint::Point { x, y }),
            (x, y) => Err([x.err(), y.err()].into_iter().flatten().collect()),
        },
        Value::Bool(_) => Err(vec![
            Problem::new("expected a number, got a boolean".to_owned()).hint(HINT),
        ]),
        Value::Array(_) => Err(vec![
            Problem::new("expected a number, got an array".to_owned()).hint(
                "use {\"x\": …, \"y\": …} objects for points; [x, y] pairs are not supported",
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

/// Member `key` (`x`, `y`, `value`, `target`) of a point object, as a number.
fn coordinate(obj: &Map<String, Value>, key: &'static str) -> Result<f64, Problem> {
    let result = match present(obj, key) {
        // `{x: "2024-03-01", y}`: a time-axis point, x in ms since the epoch.
        Some(Value::String(s)) if key == "x" && crate::spec::time::parse_instant(s).is_some() => {
            Ok(crate::spec::time::parse_instant(s).unwrap_or_default())
        }
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
fn number(value: &Value) -> Result<f64, Problem> {
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

/// Parses a CSS colour (hex, `rgb()`, `rgba()`, `hsl()`, a name, …) into sRGB.
pub(super) fn parse_css_color(s: &str) -> Option<Color> {
    css_color(s).ok()
}

/// Parses a CSS colour (hex, `rgb()`, `rgba()`, `hsl()`, a name, …) into sRGB, with a problem
/// worded for the client.
fn css_color(s: &str) -> Result<Color, Problem> {
    peniko::color::parse_color(s)
        .ok()
        .map(|c| c.to_alpha_color::<peniko::color::Srgb>())
        .filter(|c| c.components.iter().all(|v| v.is_finite()))
        .ok_or_else(|| {
            Problem::new(format!("`{}` is not a CSS colour", quote(s))).hint(
                "use a hex code such as #36a2eb, rgb()/rgba(), hsl() or a colour name such as steelblue",
            )
        })
}
