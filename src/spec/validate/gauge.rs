//! QuickChart's `gauge` (chartjs-gauge): rewritten into the half doughnut it draws, whose
//! `data` are the bands' upper limits (sorted, from `minValue`, default 0) and whose dataset
//! `value` points the needle; then the needle and its value label are read from
//! `options.needle` and `options.valueLabel` (the plugin's defaults: a black needle reaching 80 %
//! into the band, the value in white on a black rounded box below the hub). Every option the
//! config gives for the doughnut wins.

use super::formatter;
use super::lenient;
use crate::spec::SpecWarning;
use crate::spec::gauge::{Needle, ValueLabel};
use serde_json::{Map, Value, json};

/// Whether `root` is a gauge.
pub(super) fn is_gauge(root: &Map<String, Value>) -> bool {
    root.get("type").and_then(Value::as_str) == Some("gauge")
}

/// Rewrites a gauge into its doughnut, the needle's place kept as `options.needle.share` and
/// the label's text as `options.valueLabel.text`; leaves any other chart as it is.
pub(super) fn rewrite(root: &mut Map<String, Value>, warnings: &mut Vec<SpecWarning>) {
    let Some(mut options) = super::quickchart::into_doughnut(root, "gauge") else {
        return;
    };
    let set = super::quickchart::first_dataset(root);
    let mut share = None;
    let mut value = None;
    if let Some(set) = set {
        let min = set.get("minValue").and_then(Value::as_f64).unwrap_or(0.0);
        let mut limits: Vec<f64> = set
            .get("data")
            .and_then(Value::as_array)
            .map(|d| {
                d.iter()
                    .filter_map(Value::as_f64)
                    .filter(|v| v.is_finite())
                    .collect()
            })
            .unwrap_or_default();
        limits.sort_by(f64::total_cmp);
        let max = limits
            .last()
            .copied()
            .filter(|m| *m != min)
            .unwrap_or(min + 1.0);
        let bands: Vec<f64> = limits
            .iter()
            .scan(min, |prev, v| {
                let band = (v - *prev).max(0.0);
                *prev = *v;
                Some(band)
            })
            .collect();
        set.insert("data".to_owned(), json!(bands));
        value = set
            .get("value")
            .and_then(Value::as_f64)
            .filter(|v| v.is_finite());
        share = value.map(|v| ((v - min) / (max - min)).clamp(0.0, 1.0));
        for key in ["value", "minValue"] {
            set.remove(key);
        }
    }
    let mut defaults = json!({
        "legend": {"display": false},
        "cutoutPercentage": 50,
        "rotation": -std::f64::consts::PI,
        "circumference": std::f64::consts::PI,
        "plugins": {"datalabels": {"display": false}},
        "needle": {},
        "valueLabel": {},
    });
    defaults["needle"]["share"] = json!(share.unwrap_or(0.0));
    let label = options.get_mut("valueLabel").and_then(Value::as_object_mut);
    let text = label_text(label, value, warnings);
    defaults["valueLabel"]["text"] = json!(text);
    root.insert(
        "options".to_owned(),
        super::quickchart::merged(defaults, Value::Object(std::mem::take(&mut options))),
    );
}

/// The label's text: the value as a recognised `formatter` writes it (the formatter is taken
/// out: it has been applied), else the value.
fn label_text(
    label: Option<&mut Map<String, Value>>,
    value: Option<f64>,
    warnings: &mut Vec<SpecWarning>,
) -> String {
    let Some(v) = value else {
        return String::new();
    };
    let Some(Value::String(source)) = label.and_then(|l| l.remove("formatter")) else {
        return super::data::format_number(v);
    };
    formatter::written(&source, v, "/options/valueLabel/formatter", warnings)
}

/// The needle and value label of a rewritten gauge (`options.needle.share` present).
pub(super) fn needle(root: &Map<String, Value>, warnings: &mut Vec<SpecWarning>) -> Option<Needle> {
    let options = root.get("options")?.as_object()?;
    let n = options.get("needle")?.as_object()?;
    let share = n.get("share")?.as_f64()?.clamp(0.0, 1.0);
    let pct = |obj: &Map<String, Value>, key: &str, default: f64| {
        obj.get(key)
            .and_then(Value::as_f64)
            .filter(|v| v.is_finite() && (0.0..=100.0).contains(v))
            .unwrap_or(default)
    };
    const NEEDLE: &str = "/options/needle";
    const LABEL: &str = "/options/valueLabel";
    let label = options
        .get("valueLabel")
        .and_then(Value::as_object)
        .filter(|l| l.get("display") != Some(&Value::Bool(false)))
        .map(|l| ValueLabel {
            text: l
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            color: lenient::color(l, "color", LABEL, warnings)
                .unwrap_or(peniko::color::palette::css::WHITE),
            background: lenient::color(l, "backgroundColor", LABEL, warnings)
                .unwrap_or(peniko::color::palette::css::BLACK),
            size: l
                .get("fontSize")
                .and_then(Value::as_f64)
                .filter(|s| (1.0..=200.0).contains(s))
                .map(|s| s as f32),
            radius: lenient::px(l, "borderRadius", LABEL, warnings).unwrap_or(5.0),
            padding: padding(l.get("padding")),
            bottom_margin_pct: pct(l, "bottomMarginPercentage", 5.0),
        })
        .filter(|l| !l.text.is_empty());
    Some(Needle {
        share,
        color: lenient::color(n, "color", NEEDLE, warnings)
            .unwrap_or(peniko::color::palette::css::BLACK),
        radius_pct: pct(n, "radiusPercentage", 2.0),
        width_pct: pct(n, "widthPercentage", 3.2),
        length_pct: pct(n, "lengthPercentage", 80.0),
        label,
    })
}

/// `padding`: a number, or `{top, right, bottom, left}` (their largest), default 5.
fn padding(v: Option<&Value>) -> f64 {
    let clamp = |p: f64| p.clamp(0.0, lenient::MAX_PX);
    match v {
        Some(Value::Number(n)) => n.as_f64().map_or(5.0, clamp),
        Some(Value::Object(sides)) => sides
            .values()
            .filter_map(Value::as_f64)
            .fold(None, |a: Option<f64>, p| Some(a.map_or(p, |a| a.max(p))))
            .map_or(5.0, clamp),
        _ => 5.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_the_differences_of_the_sorted_limits_and_the_needle_its_share() {
        let mut root = json!({
            "type": "gauge",
            "data": {"datasets": [{"value": 50, "data": [60, 20, 40], "backgroundColor": ["green", "orange", "red"]}]},
            "options": {"valueLabel": {"formatter": "function (value, context) {\n return value + ' mph';\n }"}}
        })
        .as_object()
        .cloned()
        .expect("object");
        let mut warnings = Vec::new();
        rewrite(&mut root, &mut warnings);
        assert_eq!(root["type"], "doughnut");
        assert_eq!(
            root["data"]["datasets"][0]["data"],
            json!([20.0, 20.0, 20.0])
        );
        assert!(root["data"]["datasets"][0].get("value").is_none());
        let n = needle(&root, &mut warnings).expect("a needle");
        assert!((n.share - 50.0 / 60.0).abs() < 1e-9);
        assert_eq!(n.label.expect("label").text, "50 mph");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(root["options"]["valueLabel"].get("formatter").is_none());
    }
}
