//! Real-world Chart.js / QuickChart configs, brought to the shape the validator reads, before it
//! reads them. Every rewrite here is one that a client migrating from the reference service or
//! from QuickChart would otherwise pay for with a refused chart (see `tests/realworld/`):
//!
//! - the QuickChart envelope `{chart: {…}, width, height, backgroundColor, devicePixelRatio,
//!   format}` is unwrapped (its size and format become options);
//! - JavaScript functions (sent as strings) are never run. A tick `callback` of a recognised
//!   shape ([`formatter`](super::formatter)) becomes `ticks.format`; any other function in the
//!   options or in a dataset's style is dropped, so that option takes its default, with a
//!   warning at its path. A function where the data belongs stays an error (the data check
//!   reports it);
//! - per-point arrays of options we hold one value for (`pointRadius`, `borderWidth`, …) and a
//!   `label` given as an array of lines are reduced to one value, with a warning when the
//!   values differ.
//!
//! Nothing is rewritten in a request that needs none of this: the value is only copied when
//! something changes.

use super::{child, elements, formatter, lint::looks_like_function, quickchart};
use crate::spec::SpecWarning;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Keys of a QuickChart request body, beside `chart`.
const ENVELOPE_KEYS: &[&str] = &[
    "chart",
    "width",
    "height",
    "backgroundColor",
    "devicePixelRatio",
    "format",
    "version",
    "encoding",
    "key",
];

/// Dataset options Chart.js lets be one value per point, which we draw with one value.
const PER_POINT_SCALARS: &[&str] = &["pointRadius", "borderWidth", "pointStyle", "tension"];

/// Keys whose string values are text shown on the chart, never code (as in `lint`).
const TEXT_KEYS: &[&str] = &["title", "subtitle", "text", "label", "labelString"];

/// The request `value` rewritten as described in the module doc, and the warnings the
/// rewrites owe the client.
pub(super) fn normalize(value: &Value) -> (Cow<'_, Value>, Vec<SpecWarning>) {
    let mut warnings = Vec::new();
    let mut current = Cow::Borrowed(value);
    if let Some(unwrapped) = unwrap_envelope(value) {
        current = Cow::Owned(unwrapped);
    }
    if needs_rewrite(&current) {
        let mut owned = current.into_owned();
        if let Some(root) = owned.as_object_mut() {
            rewrite(root, &mut warnings);
        }
        current = Cow::Owned(owned);
    }
    (current, warnings)
}

/// The chart of a QuickChart body `{chart: {…}, …}` with the body's size, background and format
/// moved into it; `None` when `value` is not such a body.
fn unwrap_envelope(value: &Value) -> Option<Value> {
    let root = value.as_object()?;
    let chart = root.get("chart")?.as_object()?;
    if root.contains_key("type") || root.contains_key("data") {
        return None;
    }
    if !root.keys().all(|k| ENVELOPE_KEYS.contains(&k.as_str())) {
        return None;
    }
    let mut chart = chart.clone();
    let mut moved = Map::new();
    for key in ["width", "height", "format"] {
        if let Some(v) = root.get(key) {
            moved.insert(key.to_owned(), v.clone());
        }
    }
    if !moved.is_empty() {
        let options = chart
            .entry("options")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(options) = options.as_object_mut() {
            for (k, v) in moved {
                options.entry(k).or_insert(v);
            }
        }
    }
    for key in ["backgroundColor", "devicePixelRatio"] {
        if let Some(v) = root.get(key) {
            chart.entry(key.to_owned()).or_insert_with(|| v.clone());
        }
    }
    Some(Value::Object(chart))
}

/// Whether anything in `value` is rewritten (so the common request is never copied).
fn needs_rewrite(value: &Value) -> bool {
    let Some(root) = value.as_object() else {
        return false;
    };
    let datasets = root
        .get("data")
        .and_then(|d| d.get("datasets"))
        .and_then(Value::as_array);
    let dataset_needs = datasets.is_some_and(|sets| {
        sets.iter().filter_map(Value::as_object).any(|set| {
            set.get("label").is_some_and(Value::is_array)
                || ["backgroundColor", "borderColor"].iter().any(|k| {
                    set.get(*k)
                        .and_then(Value::as_str)
                        .is_some_and(|s| s.trim_start().starts_with("getGradientFillHelper("))
                })
                || PER_POINT_SCALARS
                    .iter()
                    .any(|k| set.get(*k).is_some_and(Value::is_array))
                || set
                    .iter()
                    .any(|(k, v)| k != "data" && k != "label" && holds_function(v, k))
        })
    });
    dataset_needs
        || quickchart::is_progress_bar(root)
        || quickchart::is_outlabeled(root)
        || super::radial_gauge::is_radial_gauge(root)
        || super::gauge::is_gauge(root)
        || elements::present(root)
        || root
            .get("options")
            .is_some_and(|o| holds_function(o, "options"))
}

/// Whether a function string is anywhere under `value` (the member `key` of its parent).
fn holds_function(value: &Value, key: &str) -> bool {
    match value {
        Value::String(s) => is_code_at(s, key),
        Value::Array(items) => items
            .iter()
            .take_while(|v| !v.is_number())
            .any(|v| holds_function(v, key)),
        Value::Object(map) => {
            let in_callbacks = key == "callbacks";
            map.iter().any(|(k, v)| {
                if in_callbacks {
                    // `tooltip.callbacks.title` is a function, not text.
                    matches!(v, Value::String(s) if is_code(s))
                } else {
                    holds_function(v, k)
                }
            })
        }
        _ => false,
    }
}

/// The rewrites of a chart object `root`.
fn rewrite(root: &mut Map<String, Value>, warnings: &mut Vec<SpecWarning>) {
    super::gauge::rewrite(root, warnings);
    quickchart::progress_bar(root);
    quickchart::outlabeled(root);
    elements::apply(root, warnings);
    quickchart::label_formatters(root);
    if let Some(sets) = root
        .get_mut("data")
        .and_then(|d| d.get_mut("datasets"))
        .and_then(Value::as_array_mut)
    {
        for (i, set) in sets.iter_mut().enumerate() {
            let Some(set) = set.as_object_mut() else {
                continue;
            };
            let path = format!("/data/datasets/{i}");
            dataset(set, &path, warnings);
        }
    }
    // After the datasets (its colour is read once a gradient helper is), before the options'
    // functions are dropped (it reads its `centerArea.text` formatter).
    super::radial_gauge::rewrite(root, warnings);
    if let Some(options) = root.get_mut("options").and_then(Value::as_object_mut) {
        tick_callbacks(options);
        drop_functions(options, "/options", false, warnings);
    }
}

/// One dataset: functions dropped, per-point arrays and `label` arrays reduced.
fn dataset(set: &mut Map<String, Value>, path: &str, warnings: &mut Vec<SpecWarning>) {
    if let Some(Value::Array(lines)) = set.get("label") {
        // Chart.js draws an array label as lines; one line joined by spaces is what fits a
        // legend entry here.
        let text: Vec<String> = lines
            .iter()
            .filter_map(|l| match l {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect();
        if text.len() == lines.len() {
            set.insert("label".to_owned(), Value::String(text.join(" ")));
        }
    }
    for key in ["backgroundColor", "borderColor"] {
        if let Some(Value::String(s)) = set.get(key)
            && let Some(first) = gradient_helper_first_colour(s)
        {
            warnings.push(SpecWarning {
                path: child(path, key),
                message: format!(
                    "QuickChart's `getGradientFillHelper` is JavaScript, never run: drawn with its first colour, {first}"
                ),
            });
            set.insert(key.to_owned(), Value::String(first));
        }
    }
    for key in PER_POINT_SCALARS {
        let Some(Value::Array(items)) = set.get(*key) else {
            continue;
        };
        let Some(first) = items.iter().find(|v| !v.is_null()).cloned() else {
            set.remove(*key);
            continue;
        };
        if items.iter().any(|v| !v.is_null() && *v != first) {
            warnings.push(SpecWarning {
                path: child(path, key),
                message: format!(
                    "per-point `{key}` values are drawn with one value, the first ({first})"
                ),
            });
        }
        set.insert((*key).to_owned(), first);
    }
    let keys: Vec<String> = set
        .keys()
        .filter(|k| *k != "data" && *k != "label")
        .cloned()
        .collect();
    for key in keys {
        if let Some(v) = set.get_mut(&key) {
            if is_function(v, &key) {
                set.remove(&key);
                warn_dropped(&child(path, &key), &key, warnings);
            } else {
                drop_functions_in(v, &child(path, &key), &key, warnings);
            }
        }
    }
}

/// The first colour of QuickChart's `getGradientFillHelper(direction, [colours…])` call text.
fn gradient_helper_first_colour(s: &str) -> Option<String> {
    let args = s.trim().strip_prefix("getGradientFillHelper(")?;
    let list = &args[args.find('[')? + 1..];
    let list = &list[..list.find(']')?];
    let first = list.split(',').next()?.trim();
    let first = first.trim_matches(|c| c == '"' || c == '\'').trim();
    (!first.is_empty()).then(|| first.to_owned())
}

/// Whether the string `s` at member `key` is code. Under a text key (`title`, `text`, …) an
/// arrow reads as prose ("Revenue => Profit (2026)") unless its body is plainly code: a string
/// literal, a member access or `return` (`(ctx) => 'Fill: ' + ctx.chart.data.datasets[0].fill`),
/// which would otherwise be drawn as the chart's title.
fn is_code_at(s: &str, key: &str) -> bool {
    if !is_code(s) {
        return false;
    }
    if !TEXT_KEYS.contains(&key) {
        return true;
    }
    let t = s.trim_start();
    if t.starts_with("function") {
        return true;
    }
    let body = t.find("=>").map_or(t, |i| &t[i + 2..]);
    body.contains(['\'', '"', '`'])
        || body.contains("return")
        || body
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'.' && w[1].is_ascii_alphabetic())
}

/// Whether `s` is JavaScript function text, including the method shorthand `name(args) { … }`
/// that a JavaScript stringifier writes for `{ name(args) { … } }`.
fn is_code(s: &str) -> bool {
    if looks_like_function(s) {
        return true;
    }
    let t = s.trim();
    let Some(open) = t.find('(') else {
        return false;
    };
    let name = &t[..open];
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && t.ends_with('}')
        && t[open..]
            .find(')')
            .is_some_and(|close| t[open + close + 1..].trim_start().starts_with('{'))
}

/// `ticks.callback` of every axis (v2 `xAxes[]`/`yAxes[]`, v3 `scales.<id>`, radar `scale`)
/// turned into `ticks.format` when its shape is recognised.
fn tick_callbacks(options: &mut Map<String, Value>) {
    let mut axes: Vec<&mut Map<String, Value>> = Vec::new();
    let (scale, scales) = {
        let mut scale = None;
        let mut scales = None;
        for (k, v) in options.iter_mut() {
            match k.as_str() {
                "scale" => scale = v.as_object_mut(),
                "scales" => scales = v.as_object_mut(),
                _ => {}
            }
        }
        (scale, scales)
    };
    if let Some(a) = scale {
        axes.push(a);
    }
    if let Some(scales) = scales {
        for v in scales.values_mut() {
            match v {
                Value::Array(list) => axes.extend(list.iter_mut().filter_map(Value::as_object_mut)),
                Value::Object(a) => axes.push(a),
                _ => {}
            }
        }
    }
    for axis in axes {
        let Some(ticks) = axis.get_mut("ticks").and_then(Value::as_object_mut) else {
            continue;
        };
        let Some(Value::String(src)) = ticks.get("callback") else {
            continue;
        };
        let Some(format) = formatter::recognise(src) else {
            continue;
        };
        ticks.remove("callback");
        if ticks.contains_key("format") {
            continue;
        }
        ticks.insert("format".to_owned(), formatter::format_value(format));
    }
}

/// Whether `value` (member `key`) is itself a function string, or an array holding one.
fn is_function(value: &Value, key: &str) -> bool {
    match value {
        Value::String(s) => is_code_at(s, key),
        Value::Array(items) => items
            .iter()
            .any(|v| matches!(v, Value::String(s) if is_code(s))),
        _ => false,
    }
}

/// Drops every function under the object `map` at `path`; `in_callbacks` when `map` is a
/// `callbacks` object (whose `title`/`label` are functions, not text).
fn drop_functions(
    map: &mut Map<String, Value>,
    path: &str,
    in_callbacks: bool,
    warnings: &mut Vec<SpecWarning>,
) {
    let doomed: Vec<String> = map
        .iter()
        .filter(|(k, v)| {
            if in_callbacks {
                matches!(v, Value::String(s) if is_code(s))
            } else {
                is_function(v, k)
            }
        })
        .map(|(k, _)| k.clone())
        .collect();
    for key in doomed {
        map.remove(&key);
        warn_dropped(&child(path, &key), &key, warnings);
    }
    for (key, v) in map.iter_mut() {
        drop_functions_in(v, &child(path, key), key, warnings);
    }
}

/// [`drop_functions`] inside objects nested in `value` (member `key` at `path`).
fn drop_functions_in(value: &mut Value, path: &str, key: &str, warnings: &mut Vec<SpecWarning>) {
    match value {
        Value::Object(map) => drop_functions(map, path, key == "callbacks", warnings),
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                if v.is_number() {
                    return;
                }
                if let Value::Object(map) = v {
                    drop_functions(map, &format!("{path}/{i}"), false, warnings);
                }
            }
        }
        _ => {}
    }
}

fn warn_dropped(path: &str, key: &str, warnings: &mut Vec<SpecWarning>) {
    warnings.push(SpecWarning {
        path: path.to_owned(),
        message: format!(
            "`{key}` is a JavaScript function, which is never run: drawn with the default instead"
        ),
    });
}
