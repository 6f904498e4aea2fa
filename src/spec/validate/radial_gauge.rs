//! QuickChart's `radialGauge` (chartjs-chart-radial-gauge), rewritten into the doughnut it
//! draws: the value's arc from the top over a full-circle track (`trackColor`, default
//! `rgb(204, 221, 238)`) within `domain` (default `[0, 100]`), a hole of `centerPercentage`
//! (default 80) % of the radius, and the value (rounded up, or `centerArea.text`) in the hole
//! sized to it; no legend, no slice labels. Every option the config gives for the doughnut wins.

use super::formatter;
use super::lenient::warn;
use crate::spec::SpecWarning;
use serde_json::{Map, Value, json};

/// The track's colour when the config gives none (the plugin's).
const TRACK: &str = "rgb(204, 221, 238)";
/// The value arc's colour when the dataset gives none: QuickChart's first default colour.
const VALUE_FILL: &str = "#4e79a7";

/// Whether `root` is a radial gauge.
pub(super) fn is_radial_gauge(root: &Map<String, Value>) -> bool {
    root.get("type").and_then(Value::as_str) == Some("radialGauge")
}

/// Rewrites a radial gauge into its doughnut; leaves any other chart as it is.
pub(super) fn rewrite(root: &mut Map<String, Value>, warnings: &mut Vec<SpecWarning>) {
    let Some(options) = super::quickchart::into_doughnut(root, "radialGauge") else {
        return;
    };
    let number = |key: &str| options.get(key).and_then(Value::as_f64);
    let (lo, hi) = match options
        .get("domain")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([a, b]) => match (a.as_f64(), b.as_f64()) {
            (Some(a), Some(b)) if a.is_finite() && b.is_finite() => (a, b),
            _ => (0.0, 100.0),
        },
        _ => (0.0, 100.0),
    };
    let set = super::quickchart::first_dataset(root);
    let Some(set) = set else {
        // No dataset: the doughnut's own check says what is missing.
        root.insert("options".to_owned(), Value::Object(options));
        return;
    };
    let value = set
        .get("data")
        .and_then(Value::as_array)
        .and_then(|d| d.first())
        .and_then(Value::as_f64)
        .filter(|v| v.is_finite())
        .unwrap_or(lo);
    let span = hi - lo;
    let filled = if span > 0.0 {
        (value - lo).abs().min(span)
    } else {
        0.0
    };
    set.insert("data".to_owned(), json!([filled, (span - filled).max(0.0)]));
    let track = options
        .get("trackColor")
        .and_then(Value::as_str)
        .unwrap_or(TRACK)
        .to_owned();
    let fill = match set.get("backgroundColor") {
        // A gradient helper was read as its first colour before this rewrite.
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(c)) => c
            .first()
            .and_then(Value::as_str)
            .unwrap_or(VALUE_FILL)
            .to_owned(),
        _ => VALUE_FILL.to_owned(),
    };
    set.insert("backgroundColor".to_owned(), json!([fill, track]));
    set.entry("borderWidth").or_insert_with(|| json!(0));
    let cutout = number("centerPercentage")
        .filter(|p| (0.0..=100.0).contains(p))
        .unwrap_or(80.0);
    let center = center_text(&options, value, warnings);
    let mut defaults = json!({
        "legend": {"display": false},
        "cutoutPercentage": cutout,
        "plugins": {"datalabels": {"display": false}},
    });
    if let Some(label) = center {
        defaults["plugins"]["doughnutlabel"] = json!({"labels": [label]});
    }
    let mut rest = options;
    // The gauge's own options, read above, are not the doughnut's.
    for key in [
        "domain",
        "trackColor",
        "centerPercentage",
        "centerArea",
        "roundedCorners",
    ] {
        rest.remove(key);
    }
    root.insert(
        "options".to_owned(),
        super::quickchart::merged(defaults, Value::Object(rest)),
    );
}

/// The hole's label: `centerArea.text` (a string, or a formatter of a recognised shape) or
/// the value rounded up, in `centerArea.fontColor` and `fontSize` (sized to the hole when not
/// given, as the plugin does); `None` when `centerArea.displayText` is false.
fn center_text(
    options: &Map<String, Value>,
    value: f64,
    warnings: &mut Vec<SpecWarning>,
) -> Option<Value> {
    const PATH: &str = "/options/centerArea";
    let area = options.get("centerArea").and_then(Value::as_object);
    let get = |key: &str| area.and_then(|a| a.get(key));
    if get("displayText") == Some(&Value::Bool(false)) {
        return None;
    }
    let shown = value.ceil();
    let text = match get("text") {
        Some(Value::String(s)) if formatter::split_function(s.trim()).is_some() => {
            formatter::written(s, shown, &format!("{PATH}/text"), warnings)
        }
        Some(Value::String(s)) => s.clone(),
        _ => super::data::format_number(shown),
    };
    if get("backgroundColor").is_some_and(|c| !c.is_null()) {
        warn(
            warnings,
            &format!("{PATH}/backgroundColor"),
            "the gauge's centre background is not drawn".to_owned(),
        );
    }
    let size = get("fontSize")
        .and_then(Value::as_f64)
        .map_or_else(|| json!("fit"), Value::from);
    let mut label = json!({"text": text, "font": {"size": size}});
    if let Some(color) = get("fontColor").filter(|c| c.is_string()) {
        label["color"] = color.clone();
    }
    Some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(v: Value) -> (Value, Vec<SpecWarning>) {
        let mut root = v.as_object().cloned().expect("object");
        let mut warnings = Vec::new();
        rewrite(&mut root, &mut warnings);
        (Value::Object(root), warnings)
    }

    #[test]
    fn the_value_fills_its_share_of_the_domain_over_the_track() {
        let (v, _) = rewritten(json!({
            "type": "radialGauge",
            "data": {"datasets": [{"data": [7500], "backgroundColor": "green"}]},
            "options": {"domain": [5000, 10000], "trackColor": "#eee"}
        }));
        assert_eq!(v["type"], "doughnut");
        assert_eq!(v["data"]["datasets"][0]["data"], json!([2500.0, 2500.0]));
        assert_eq!(
            v["data"]["datasets"][0]["backgroundColor"],
            json!(["green", "#eee"])
        );
        assert_eq!(v["options"]["cutoutPercentage"], 80.0);
        assert_eq!(v["options"]["legend"]["display"], false);
        let label = &v["options"]["plugins"]["doughnutlabel"]["labels"][0];
        assert_eq!(label["text"], "7500");
        assert_eq!(label["font"]["size"], "fit");
        assert!(v["options"].get("domain").is_none());
    }

    #[test]
    fn a_recognised_text_function_writes_the_value() {
        let (v, w) = rewritten(json!({
            "type": "radialGauge",
            "data": {"datasets": [{"data": [74.2]}]},
            "options": {"centerPercentage": 75, "centerArea": {"text": "(val) => val + '%'", "fontColor": "#333"}}
        }));
        let label = &v["options"]["plugins"]["doughnutlabel"]["labels"][0];
        assert_eq!(label["text"], "75%");
        assert_eq!(label["color"], "#333");
        assert_eq!(v["options"]["cutoutPercentage"], 75.0);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn other_charts_are_left_alone() {
        let before = json!({"type": "doughnut", "data": {"datasets": [{"data": [1, 2]}]}});
        assert_eq!(rewritten(before.clone()).0, before);
    }
}
