//! The checks over the raw request that are not about one value: JavaScript callbacks (refused:
//! nothing here ever evaluates code) and keys we do not use (accepted, but listed as warnings so
//! a client can see why an option had no effect).
//!
//! Keys that only matter in a browser (`responsive`, `animation`, hover and tooltip settings)
//! are ignored silently: they mean nothing for an image and clients send them everywhere.

use super::{child, invalid};
use crate::spec::{SpecError, SpecWarning};
use serde_json::{Map, Value};

/// Most warnings returned for one chart; a client sending hundreds of unknown keys gets the first
/// ones and a count.
pub(super) const MAX_WARNINGS: usize = 32;

/// What is known at one level of the request: keys we read, and keys ignored without a word.
struct Level {
    known: &'static [&'static str],
    silent: &'static [&'static str],
}

/// Browser-only settings, meaningless for a static image.
const BROWSER_ONLY: &[&str] = &[
    "responsive",
    "maintainAspectRatio",
    "aspectRatio",
    "animation",
    "animations",
    "transitions",
    "hover",
    "interaction",
    "events",
    "onClick",
    "onHover",
    "onLeave",
    "onResize",
    "onComplete",
    "onProgress",
    "resizeDelay",
    "tooltips",
    "tooltip",
    "normalized",
    "parsing",
    "tooltipDecimals",
    "clip",
];

const ROOT: Level = Level {
    known: &[
        "type",
        "data",
        "options",
        "backgroundColor",
        "devicePixelRatio",
    ],
    silent: &[],
};
const DATA: Level = Level {
    known: &["labels", "datasets"],
    silent: &[],
};
const DATASET: Level = Level {
    known: &[
        "label",
        "data",
        "backgroundColor",
        "borderColor",
        "borderWidth",
        "fill",
        "tension",
        "lineTension",
        "pointRadius",
        "pointStyle",
        "borderDash",
        "stack",
        "hidden",
        "order",
        "spanGaps",
        "type",
        "yAxisID",
        "xAxisID",
        "colours",
        "stepped",
        "steppedLine",
        "cubicInterpolationMode",
        "datalabels",
        "outlierColor",
        "outlierRadius",
        "medianColor",
        "lowerColor",
        "outlierBackgroundColor",
        "lowerBackgroundColor",
        "itemRadius",
        "itemBackgroundColor",
        "coef",
        "quantiles",
    ],
    silent: &[
        "hoverBackgroundColor",
        "outlierHitRadius",
        "tooltipDecimals",
        "itemStyle",
        "itemBorderColor",
        "hoverBorderColor",
        "hoverBorderWidth",
        "hoverOffset",
        "pointHoverRadius",
        "pointHoverBackgroundColor",
        "pointHoverBorderColor",
        "pointHoverBorderWidth",
        "pointHitRadius",
        "hitRadius",
        "clip",
        "parsing",
        "normalized",
    ],
};
const OPTIONS: Level = Level {
    known: &[
        "width",
        "height",
        "theme",
        "format",
        "quality",
        "lossless",
        "title",
        "subtitle",
        "legend",
        "plugins",
        "scales",
        "scale",
        "indexAxis",
        "sort",
        "ai_narrative",
        "ai_title",
        "base64",
        "layout",
        "cutout",
        "cutoutPercentage",
        "rotation",
        "circumference",
        "devicePixelRatio",
        "visibility",
        "font",
        "annotation",
        "locale",
        "needle",
        "valueLabel",
    ],
    silent: BROWSER_ONLY,
};
const PLUGINS: Level = Level {
    known: &[
        "title",
        "subtitle",
        "legend",
        "datalabels",
        "decimation",
        "annotation",
        "outlabels",
        "doughnutlabel",
    ],
    silent: &["tooltip", "tooltips", "filler"],
};
const LEGEND: Level = Level {
    known: &["display", "position"],
    silent: &["onClick", "onHover", "onLeave"],
};
const TITLE: Level = Level {
    known: &["display", "text"],
    silent: &[],
};
const DECIMATION: Level = Level {
    known: &["enabled", "algorithm", "samples", "threshold"],
    silent: &[],
};
const DATALABELS: Level = Level {
    known: &[
        "display",
        "anchor",
        "align",
        "offset",
        "color",
        "font",
        "backgroundColor",
        "borderColor",
        "borderWidth",
        "borderRadius",
        "padding",
        "format",
    ],
    silent: &["listeners"],
};
const AXIS_V3: Level = Level {
    known: &[
        "type",
        "min",
        "max",
        "beginAtZero",
        "stacked",
        "ticks",
        "title",
        "grid",
        "position",
        "display",
        "axis",
        "pointLabels",
        "angleLines",
        "reverse",
        "suggestedMin",
        "suggestedMax",
        "grace",
        "time",
    ],
    silent: &[],
};
const AXIS_V2: Level = Level {
    known: &[
        "id",
        "type",
        "stacked",
        "ticks",
        "scaleLabel",
        "gridLines",
        "position",
        "display",
        "pointLabels",
        "angleLines",
        "time",
    ],
    silent: &[],
};
/// A time axis's `time`.
const TIME: Level = Level {
    known: &["parser", "unit", "displayFormats"],
    silent: &["tooltipFormat"],
};
const TICKS: Level = Level {
    known: &[
        "stepSize",
        "format",
        "display",
        "min",
        "max",
        "beginAtZero",
        "maxTicksLimit",
        "color",
        "fontColor",
        "reverse",
        "suggestedMin",
        "suggestedMax",
    ],
    silent: &[],
};
const FORMAT: Level = Level {
    known: &["prefix", "suffix", "decimals", "compact", "percent"],
    silent: &[],
};
const GRID: Level = Level {
    known: &["display", "drawOnChartArea"],
    silent: &[],
};
const DISPLAY_ONLY: Level = Level {
    known: &["display"],
    silent: &[],
};
const SCALE_LABEL: Level = Level {
    known: &["display", "labelString"],
    silent: &[],
};
const LAYOUT: Level = Level {
    known: &["padding"],
    silent: &[],
};

/// Checks the whole request `root`: JavaScript callbacks become errors, unknown keys warnings.
pub(super) fn lint(
    root: &Map<String, Value>,
    errors: &mut Vec<SpecError>,
    warnings: &mut Vec<SpecWarning>,
) {
    let mut w = Warnings {
        list: warnings,
        dropped: 0,
    };
    keys(root, "", &ROOT, &mut w);
    if let Some(data) = root.get("data").and_then(Value::as_object) {
        keys(data, "/data", &DATA, &mut w);
        if let Some(sets) = data.get("datasets").and_then(Value::as_array) {
            for (i, set) in sets.iter().enumerate() {
                let Some(set) = set.as_object() else { continue };
                let path = format!("/data/datasets/{i}");
                keys(set, &path, &DATASET, &mut w);
                for (key, value) in set {
                    if key != "label" && key != "data" {
                        callbacks(value, &child(&path, key), errors);
                    }
                }
            }
        }
    }
    if let Some(options) = root.get("options") {
        callbacks(options, "/options", errors);
        if let Some(o) = options.as_object() {
            lint_options(o, &mut w);
        }
    }
    if w.dropped > 0 {
        w.list.push(SpecWarning {
            path: String::new(),
            message: format!("{} more warnings not listed", w.dropped),
        });
    }
}

/// The warnings under `options`.
fn lint_options(o: &Map<String, Value>, w: &mut Warnings<'_>) {
    keys(o, "/options", &OPTIONS, w);
    let sub = |key: &str| o.get(key).and_then(Value::as_object);
    if let Some(layout) = sub("layout") {
        keys(layout, "/options/layout", &LAYOUT, w);
    }
    for (key, level) in [("legend", &LEGEND), ("title", &TITLE), ("subtitle", &TITLE)] {
        if let Some(obj) = sub(key) {
            keys(obj, &child("/options", key), level, w);
        }
    }
    if let Some(plugins) = sub("plugins") {
        keys(plugins, "/options/plugins", &PLUGINS, w);
        for (key, level) in [
            ("legend", &LEGEND),
            ("title", &TITLE),
            ("subtitle", &TITLE),
            ("datalabels", &DATALABELS),
            ("decimation", &DECIMATION),
        ] {
            if let Some(obj) = plugins.get(key).and_then(Value::as_object) {
                keys(obj, &child("/options/plugins", key), level, w);
            }
        }
    }
    if let Some(scale) = sub("scale") {
        axis(scale, "/options/scale", true, w);
    }
    let Some(scales) = sub("scales") else { return };
    for (id, value) in scales {
        let path = child("/options/scales", id);
        match value {
            Value::Array(list) if id == "xAxes" || id == "yAxes" => {
                for (i, a) in list.iter().enumerate() {
                    if let Some(a) = a.as_object() {
                        axis(a, &format!("{path}/{i}"), true, w);
                    }
                }
            }
            Value::Object(a) => axis(a, &path, false, w),
            _ => {}
        }
    }
}

/// The warnings of one axis object.
fn axis(a: &Map<String, Value>, path: &str, v2: bool, w: &mut Warnings<'_>) {
    keys(a, path, if v2 { &AXIS_V2 } else { &AXIS_V3 }, w);
    let sub = |key: &str| a.get(key).and_then(Value::as_object);
    if let Some(ticks) = sub("ticks") {
        let ticks_path = child(path, "ticks");
        keys(ticks, &ticks_path, &TICKS, w);
        if let Some(format) = ticks.get("format").and_then(Value::as_object) {
            keys(format, &child(&ticks_path, "format"), &FORMAT, w);
        }
    }
    for (key, level) in [
        ("grid", &GRID),
        ("gridLines", &GRID),
        ("pointLabels", &DISPLAY_ONLY),
        ("angleLines", &DISPLAY_ONLY),
        ("title", &TITLE),
        ("scaleLabel", &SCALE_LABEL),
        ("time", &TIME),
    ] {
        if let Some(obj) = sub(key) {
            keys(obj, &child(path, key), level, w);
        }
    }
}

/// The warning list being built, capped at [`MAX_WARNINGS`].
struct Warnings<'a> {
    list: &'a mut Vec<SpecWarning>,
    dropped: usize,
}

impl Warnings<'_> {
    fn push(&mut self, path: String, message: String) {
        if self.list.len() < MAX_WARNINGS {
            self.list.push(SpecWarning { path, message });
        } else {
            self.dropped += 1;
        }
    }
}

/// One warning per key of `obj` that `level` neither reads nor silently ignores.
fn keys(obj: &Map<String, Value>, path: &str, level: &Level, w: &mut Warnings<'_>) {
    for key in obj.keys() {
        if level.known.contains(&key.as_str()) || level.silent.contains(&key.as_str()) {
            continue;
        }
        let hint = super::closest(key, level.known.iter().copied())
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        w.push(
            child(path, key),
            format!("`{key}` is not supported here and was ignored{hint}"),
        );
    }
}

/// Keys whose string values are text shown on the chart (`options.title`, `plugins.title.text`,
/// axis `title`, …), never code: a title such as "Revenue => Profit (2026)" is prose.
const TEXT_KEYS: &[&str] = &["title", "subtitle", "text", "label"];

/// Errors for every string under `value` that is JavaScript code (Chart.js callbacks and
/// QuickChart's function strings). Strings under a [`TEXT_KEYS`] key are text, except inside a
/// `callbacks` object (Chart.js `tooltip.callbacks.title` is a function).
fn callbacks(value: &Value, path: &str, errors: &mut Vec<SpecError>) {
    match value {
        Value::Object(map) => {
            let in_callbacks = path.rsplit('/').next() == Some("callbacks");
            for (key, v) in map {
                if v.is_string() && !in_callbacks && TEXT_KEYS.contains(&key.as_str()) {
                    continue;
                }
                callbacks(v, &child(path, key), errors);
            }
        }
        Value::String(s) if looks_like_function(s) => errors.push(
            invalid(
                path,
                "JavaScript functions are never run: send data and declarative options instead",
            )
            .with_hint(
                r#"for tick labels use e.g. "ticks": {"format": {"prefix": "$", "compact": true}}"#,
            ),
        ),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                // Arrays of numbers (data) cannot hold code: skip them at the first number.
                if v.is_number() {
                    return;
                }
                callbacks(v, &format!("{path}/{i}"), errors);
            }
        }
        _ => {}
    }
}

/// Whether `s` reads as a JavaScript function: `function (…) {…}`, `function name(…)`,
/// `(a, b) => …`, `x => …`, optionally `async`.
pub(super) fn looks_like_function(s: &str) -> bool {
    let t = s.trim_start();
    let t = t.strip_prefix("async").map_or(t, str::trim_start);
    if let Some(rest) = t.strip_prefix("function") {
        let rest = rest.trim_start();
        return rest.starts_with('(')
            || rest.starts_with('*')
            || (rest.chars().next().is_some_and(is_ident_char) && rest.contains('('));
    }
    let Some(arrow) = t.find("=>") else {
        return false;
    };
    let (params, body) = (t[..arrow].trim(), &t[arrow + 2..]);
    let is_list = params.starts_with('(') && params.ends_with(')');
    // `x => …` also reads as prose ("Q1 => Q2"): call it code only when the body has operators.
    let is_ident = !params.is_empty() && params.chars().all(is_ident_char);
    let body_is_code = body.contains(['(', '+', '-', '*', '/', '\'', '"', '`', '{', '?', '.', '[']);
    is_list || (is_ident && body_is_code)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

#[cfg(test)]
mod tests {
    use super::looks_like_function;

    #[test]
    fn functions_are_recognised() {
        for code in [
            "function(value) { return '$' + value; }",
            "  function (v, i) { return v }",
            "function fmt(v) { return v }",
            "(value) => value + '%'",
            "v => v * 2",
            "async (x) => x",
            "(a, b) => { return a }",
        ] {
            assert!(looks_like_function(code), "{code}");
        }
    }

    #[test]
    fn ordinary_text_is_not_code() {
        for text in [
            "Revenue",
            "functional programming",
            "a => b is an arrow",
            "Q1 => Q2",
            "",
            "50%",
            "function",
        ] {
            assert!(!looks_like_function(text), "{text}");
        }
    }
}
