//! Chart.js `options.elements`: defaults for every line, point, bar and arc, which a dataset's own
//! options override. Each default is copied into the datasets that draw that element and lack
//! the option (`elements.line.tension` → a line dataset's `tension`, `elements.point.radius` →
//! `pointRadius`, …), so the validator reads one place; what has no dataset option here is left
//! out with a warning (hover and interaction options silently: a picture has no pointer).

use super::child;
use crate::spec::SpecWarning;
use serde_json::{Map, Value};

/// `(element, its option, the dataset option it sets)`.
const MAPPING: &[(&str, &str, &str)] = &[
    ("line", "tension", "tension"),
    ("line", "fill", "fill"),
    ("line", "cubicInterpolationMode", "cubicInterpolationMode"),
    ("line", "borderWidth", "borderWidth"),
    ("line", "borderColor", "borderColor"),
    ("line", "backgroundColor", "backgroundColor"),
    ("line", "borderDash", "borderDash"),
    ("line", "stepped", "stepped"),
    ("point", "radius", "pointRadius"),
    ("point", "pointStyle", "pointStyle"),
    ("bar", "borderWidth", "borderWidth"),
    ("bar", "borderColor", "borderColor"),
    ("bar", "backgroundColor", "backgroundColor"),
    ("arc", "borderWidth", "borderWidth"),
    ("arc", "borderColor", "borderColor"),
    ("arc", "backgroundColor", "backgroundColor"),
];

/// Whether `v` is JavaScript function text (a scriptable option, never run).
fn is_function(v: &Value) -> bool {
    v.as_str().is_some_and(super::lint::looks_like_function)
}

/// Whether `root` has `options.elements` to apply.
pub(super) fn present(root: &Map<String, Value>) -> bool {
    root.get("options")
        .and_then(|o| o.get("elements"))
        .is_some_and(Value::is_object)
}

/// The elements a dataset of `kind` (its own `type`, else the chart's) draws.
fn drawn_by(kind: &str) -> &'static [&'static str] {
    match kind {
        "line" | "radar" | "sparkline" | "slope" => &["line", "point"],
        "scatter" | "bubble" => &["point"],
        "bar" | "horizontalBar" | "funnel" | "lollipop" | "waterfall" => &["bar"],
        "pie" | "doughnut" | "donut" | "polarArea" | "polar" => &["arc"],
        _ => &[],
    }
}

/// Copies `options.elements` into the datasets and removes it (see the module doc).
pub(super) fn apply(root: &mut Map<String, Value>, warnings: &mut Vec<SpecWarning>) {
    let Some(Value::Object(elements)) = root
        .get_mut("options")
        .and_then(Value::as_object_mut)
        .and_then(|o| o.remove("elements"))
    else {
        return;
    };
    for (element, options) in &elements {
        let Some(options) = options.as_object() else {
            continue;
        };
        for (key, value) in options {
            if is_function(value) {
                warnings.push(SpecWarning {
                    path: child(&child("/options/elements", element), key),
                    message: format!(
                        "`{key}` is a JavaScript function, which is never run: drawn with the default instead"
                    ),
                });
                continue;
            }
            let mapped = MAPPING.iter().any(|(e, k, _)| e == element && k == key);
            let interaction = key.starts_with("hover") || key.starts_with("hit");
            if !mapped && !interaction {
                warnings.push(SpecWarning {
                    path: child(&child("/options/elements", element), key),
                    message: format!(
                        "`elements.{element}.{key}` is not supported here and was ignored"
                    ),
                });
            }
        }
    }
    let chart_kind = root
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let Some(sets) = root
        .get_mut("data")
        .and_then(|d| d.get_mut("datasets"))
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for set in sets.iter_mut().filter_map(Value::as_object_mut) {
        let kind = set
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or(&chart_kind)
            .to_owned();
        for element in drawn_by(&kind) {
            let Some(defaults) = elements.get(*element).and_then(Value::as_object) else {
                continue;
            };
            for (_, key, target) in MAPPING.iter().filter(|(e, ..)| e == element) {
                if let Some(v) = defaults.get(*key)
                    && !is_function(v)
                    && !set.contains_key(*target)
                    && !(*target == "tension" && set.contains_key("lineTension"))
                {
                    set.insert((*target).to_owned(), v.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn element_defaults_reach_the_datasets_that_draw_them_unless_they_say() {
        let mut v = json!({
            "type": "line",
            "data": {"datasets": [
                {"data": [1]},
                {"data": [2], "tension": 0},
                {"data": [3], "type": "bar"}
            ]},
            "options": {"elements": {
                "line": {"tension": 0.4, "fill": false},
                "point": {"radius": 5, "hoverRadius": 7},
                "bar": {"borderWidth": 2, "borderSkipped": "bottom"}
            }}
        });
        let mut warnings = Vec::new();
        apply(v.as_object_mut().expect("an object"), &mut warnings);
        let sets = &v["data"]["datasets"];
        assert_eq!(sets[0]["tension"], 0.4);
        assert_eq!(sets[0]["pointRadius"], 5);
        assert_eq!(sets[1]["tension"], 0, "the dataset's own wins");
        assert_eq!(sets[2]["borderWidth"], 2);
        assert!(sets[2].get("tension").is_none(), "a bar has no line");
        assert!(v["options"].get("elements").is_none());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].path, "/options/elements/bar/borderSkipped");
    }
}
