//! QuickChart's own chart types and plugin shorthands, rewritten into the configs they stand
//! for, as QuickChart itself rewrites them before Chart.js sees them:
//!
//! - `type: "progressBar"`: a horizontal bar per value over a track. One dataset is a percentage
//!   of an implicit 100 (its labels read `50%`); a second dataset is the whole. The value bar is
//!   drawn over the track (white with a blue border unless the config says otherwise), no axes,
//!   grid or legend, the value written in white in the bar's middle; every option the config
//!   gives wins over these;
//! - a chartjs-plugin-datalabels `formatter` of a recognised shape (`v => v + '%'`,
//!   `'$' + v.toLocaleString()`, …) becomes the declarative `format`, as a tick `callback` does.

use super::formatter;
use crate::spec::TickFormat;
use serde_json::{Map, Value, json};

/// The track's colours and width when the second dataset does not give them (QuickChart's).
const TRACK_FILL: &str = "#fff";
const TRACK_BORDER: &str = "#4e78a7";
/// The value bar's colour when the first dataset gives none: QuickChart's first default colour
/// (the track's border colour, at half opacity).
const VALUE_FILL: &str = "rgba(78, 121, 167, 0.5)";

/// Whether `root` is a progress bar QuickChart would draw (one or two datasets of equal
/// length); other shapes keep their type and are refused by the type check with a reason.
pub(super) fn is_progress_bar(root: &Map<String, Value>) -> bool {
    root.get("type").and_then(Value::as_str) == Some("progressBar") && progress_sets(root).is_some()
}

/// The lengths of a progress bar's one or two datasets' `data`.
fn progress_sets(root: &Map<String, Value>) -> Option<(usize, bool)> {
    let sets = root.get("data")?.get("datasets")?.as_array()?;
    let len = |i: usize| sets.get(i)?.get("data")?.as_array().map(Vec::len);
    match sets.len() {
        1 => Some((len(0)?, true)),
        2 if len(0)? == len(1)? => Some((len(0)?, false)),
        _ => None,
    }
}

/// Whether `root` is one of QuickChart's outside-labelled round charts.
pub(super) fn is_outlabeled(root: &Map<String, Value>) -> bool {
    matches!(
        root.get("type").and_then(Value::as_str),
        Some("outlabeledPie" | "outlabeledDoughnut")
    )
}

/// `outlabeledPie` / `outlabeledDoughnut`: a pie / doughnut with outside labels on.
pub(super) fn outlabeled(root: &mut Map<String, Value>) {
    let kind = match root.get("type").and_then(Value::as_str) {
        Some("outlabeledPie") => "pie",
        Some("outlabeledDoughnut") => "doughnut",
        _ => return,
    };
    root.insert("type".to_owned(), Value::from(kind));
    let options = root
        .entry("options")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(options) = options.as_object_mut() {
        let plugins = options
            .entry("plugins")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(plugins) = plugins.as_object_mut() {
            plugins
                .entry("outlabels")
                .or_insert_with(|| Value::Object(Map::new()));
        }
    }
}

/// Rewrites a progress bar (see [`is_progress_bar`]) into its horizontal bar chart; leaves any
/// other chart as it is.
pub(super) fn progress_bar(root: &mut Map<String, Value>) {
    if root.get("type").and_then(Value::as_str) != Some("progressBar") {
        return;
    }
    let Some((len, percentage)) = progress_sets(root) else {
        return;
    };
    root.insert("type".to_owned(), Value::from("horizontalBar"));
    let Some(data) = root.get_mut("data").and_then(Value::as_object_mut) else {
        return;
    };
    if !data.get("labels").is_some_and(Value::is_array) {
        let labels: Vec<Value> = (0..len).map(|i| Value::from(i.to_string())).collect();
        data.insert("labels".to_owned(), Value::Array(labels));
    }
    let Some(sets) = data.get_mut("datasets").and_then(Value::as_array_mut) else {
        return;
    };
    if percentage {
        sets.push(json!({ "data": vec![100; len] }));
    }
    if let Some(value) = sets.first_mut().and_then(Value::as_object_mut) {
        value
            .entry("backgroundColor")
            .or_insert_with(|| Value::from(VALUE_FILL));
    }
    if let Some(track) = sets.get_mut(1).and_then(Value::as_object_mut) {
        track
            .entry("backgroundColor")
            .or_insert_with(|| Value::from(TRACK_FILL));
        track
            .entry("borderColor")
            .or_insert_with(|| Value::from(TRACK_BORDER));
        track.entry("borderWidth").or_insert_with(|| Value::from(1));
        // QuickChart writes only the first dataset's values.
        let labels = track
            .entry("datalabels")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(labels) = labels.as_object_mut() {
            labels.entry("display").or_insert(Value::Bool(false));
        }
    }
    let options = root
        .entry("options")
        .or_insert_with(|| Value::Object(Map::new()));
    let mut defaults = json!({
        "legend": {"display": false},
        "plugins": {"datalabels": {"color": "#fff", "anchor": "center", "align": "center"}},
    });
    if percentage {
        defaults["plugins"]["datalabels"]["format"] = json!({"suffix": "%"});
    }
    let v3 = options
        .get("scales")
        .and_then(Value::as_object)
        .is_some_and(|s| s.contains_key("x") || s.contains_key("y"));
    // No axes and no grid, in the config's own dialect so its options merge over them.
    defaults["scales"] = if v3 {
        json!({
            "x": {"beginAtZero": true, "ticks": {"display": false}, "grid": {"display": false}},
            "y": {"stacked": true, "ticks": {"display": false}, "grid": {"display": false}},
        })
    } else {
        json!({
            "xAxes": [{"ticks": {"display": false, "beginAtZero": true}, "gridLines": {"display": false}}],
            "yAxes": [{"stacked": true, "ticks": {"display": false}, "gridLines": {"display": false}}],
        })
    };
    if let Some(labels) = options
        .pointer("/plugins/datalabels")
        .and_then(Value::as_object)
        && (labels.contains_key("formatter") || labels.contains_key("format"))
        && let Some(d) = defaults.pointer_mut("/plugins/datalabels")
        && let Some(d) = d.as_object_mut()
    {
        // The config's own formatter writes the value.
        d.remove("format");
    }
    *options = merged(defaults, std::mem::take(options));
}

/// A chart of QuickChart type `name` turned into a doughnut, its `options` taken out for the
/// rewrite to merge back; `None` (and `root` untouched) for any other type.
pub(super) fn into_doughnut(
    root: &mut Map<String, Value>,
    name: &str,
) -> Option<Map<String, Value>> {
    if root.get("type").and_then(Value::as_str) != Some(name) {
        return None;
    }
    root.insert("type".to_owned(), Value::from("doughnut"));
    Some(match root.remove("options") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    })
}

/// The first dataset object of `root`, if any.
pub(super) fn first_dataset(root: &mut Map<String, Value>) -> Option<&mut Map<String, Value>> {
    root.get_mut("data")?
        .get_mut("datasets")?
        .as_array_mut()?
        .first_mut()?
        .as_object_mut()
}

/// `base` with `over` merged in: objects key by key (arrays of axes item by item), anything
/// else from `over`.
pub(super) fn merged(base: Value, over: Value) -> Value {
    match (base, over) {
        (Value::Object(mut b), Value::Object(o)) => {
            for (k, v) in o {
                let merged_v = match b.remove(&k) {
                    Some(bv) => merged(bv, v),
                    None => v,
                };
                b.insert(k, merged_v);
            }
            Value::Object(b)
        }
        (Value::Array(b), Value::Array(o)) => {
            let mut b = b.into_iter();
            let mut out: Vec<Value> = o
                .into_iter()
                .map(|v| match b.next() {
                    Some(bv) => merged(bv, v),
                    None => v,
                })
                .collect();
            out.extend(b);
            Value::Array(out)
        }
        (_, over) => over,
    }
}

/// Every datalabels `formatter` (the chart's and each dataset's) of a recognised shape turned
/// into `format`; the others are left for the function check to drop with a warning.
pub(super) fn label_formatters(root: &mut Map<String, Value>) {
    if let Some(labels) = root
        .get_mut("options")
        .and_then(|o| o.pointer_mut("/plugins/datalabels"))
        .and_then(Value::as_object_mut)
    {
        recognise_in(labels);
    }
    if let Some(sets) = root
        .get_mut("data")
        .and_then(|d| d.get_mut("datasets"))
        .and_then(Value::as_array_mut)
    {
        for labels in sets
            .iter_mut()
            .filter_map(|s| s.get_mut("datalabels"))
            .filter_map(Value::as_object_mut)
        {
            recognise_in(labels);
        }
    }
}

fn recognise_in(labels: &mut Map<String, Value>) {
    let keys: Vec<String> = labels
        .keys()
        .filter(|k| *k != "formatter")
        .cloned()
        .collect();
    for key in keys {
        if let Some(Value::String(src)) = labels.get(&key)
            && let Some(value) = static_value(src)
        {
            labels.insert(key, value);
        }
    }
    let Some(Value::String(src)) = labels.get("formatter") else {
        return;
    };
    // `formatter: Math.round`, as a JavaScript stringifier writes a native function.
    let format = if src.trim() == "function round() { [native code] }" {
        Some(TickFormat {
            decimals: Some(0),
            ..TickFormat::default()
        })
    } else {
        formatter::recognise(src)
    };
    let Some(format) = format else {
        return;
    };
    labels.remove("formatter");
    labels.insert("format".to_owned(), formatter::format_value(format));
}

/// What a scriptable label option returns in a picture, for the shapes that do not depend on
/// the point: a literal (`ctx => 'white'`, `ctx => 32`), the dataset's own colour
/// (`ctx => ctx.dataset.backgroundColor`, the datalabels samples' idiom, as
/// `"dataset.backgroundColor"`), or the branch of `ctx.active ? A : B` a picture shows (`B`: no
/// label is hovered in an image). `None` for anything else.
fn static_value(src: &str) -> Option<Value> {
    let (param, expr) = formatter::split_function(src.trim())?;
    let mut expr = expr.trim();
    if let Some(rest) = expr
        .strip_prefix(param)
        .and_then(|r| r.strip_prefix(".active"))
    {
        let rest = rest.trim_start().strip_prefix('?')?;
        let colon = formatter::find_top_level(rest, ':')?;
        // One conditional only: the branch shown must not hold another.
        expr = rest[colon + 1..].trim();
        if formatter::find_top_level(expr, '?').is_some() {
            return None;
        }
    }
    if let Some(text) = formatter::string_literal(expr) {
        return Some(Value::String(text));
    }
    if let Ok(n) = expr.parse::<f64>()
        && n.is_finite()
    {
        return Some(Value::from(n));
    }
    let member = expr.strip_prefix(param)?.strip_prefix(".dataset.")?;
    match member.trim() {
        "backgroundColor" => Some(Value::from("dataset.backgroundColor")),
        "borderColor" => Some(Value::from("dataset.borderColor")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(v: Value) -> Value {
        let mut v = v;
        if let Some(root) = v.as_object_mut() {
            progress_bar(root);
            label_formatters(root);
        }
        v
    }

    #[test]
    fn one_dataset_is_a_percentage_over_a_track_of_100() {
        let v = rewritten(json!({"type": "progressBar", "data": {"datasets": [{"data": [50]}]}}));
        assert_eq!(v["type"], "horizontalBar");
        assert_eq!(v["data"]["datasets"][1]["data"], json!([100]));
        assert_eq!(v["data"]["datasets"][1]["backgroundColor"], TRACK_FILL);
        assert_eq!(v["data"]["datasets"][1]["datalabels"]["display"], false);
        assert_eq!(
            v["options"]["plugins"]["datalabels"]["format"]["suffix"],
            "%"
        );
        assert_eq!(v["options"]["scales"]["yAxes"][0]["stacked"], true);
        assert_eq!(v["data"]["labels"], json!(["0"]));
    }

    #[test]
    fn the_configs_options_win_and_its_formatter_writes_the_value() {
        let v = rewritten(json!({
            "type": "progressBar",
            "data": {"datasets": [{"data": [20000], "backgroundColor": "green"}, {"data": [50000]}]},
            "options": {"plugins": {"datalabels": {"formatter": "(val) => { return '$' + val.toLocaleString(); }"}},
                        "scales": {"x": {"max": 60000}}}
        }));
        assert_eq!(v["data"]["datasets"][0]["backgroundColor"], "green");
        let labels = &v["options"]["plugins"]["datalabels"];
        assert_eq!(labels["format"], json!({"prefix": "$", "compact": false}));
        assert_eq!(labels["color"], "#fff");
        assert_eq!(v["options"]["scales"]["x"]["max"], 60000);
        assert_eq!(v["options"]["scales"]["y"]["stacked"], true);
        assert!(v["options"]["scales"].get("xAxes").is_none());
    }

    #[test]
    fn scriptable_label_options_that_do_not_depend_on_the_point_are_read() {
        let cases = [
            (
                "function(context) { return context.dataset.backgroundColor; }",
                json!("dataset.backgroundColor"),
            ),
            (
                "(ctx) => ctx.dataset.borderColor",
                json!("dataset.borderColor"),
            ),
            (
                "function(context) {\n return context.active ? context.dataset.backgroundColor : 'white';\n }",
                json!("white"),
            ),
            (
                "function(context) { return context.active ? 0 : 32; }",
                json!(32.0),
            ),
            (
                "c => c.active ? 'white' : c.dataset.backgroundColor",
                json!("dataset.backgroundColor"),
            ),
        ];
        for (src, want) in cases {
            assert_eq!(static_value(src), Some(want), "{src}");
        }
        for src in [
            "(ctx) => ctx.dataset.data[ctx.dataIndex] > 15 ? 'white' : 'black'",
            "c => c.active ? 'a' : c.x ? 'b' : 'c'",
            "(ctx) => ctx.chart.data.labels[ctx.dataIndex]",
        ] {
            assert_eq!(static_value(src), None, "{src}");
        }
    }

    #[test]
    fn three_datasets_or_unequal_lengths_are_not_a_progress_bar() {
        for sets in [
            json!([{"data": [1]}, {"data": [2]}, {"data": [3]}]),
            json!([{"data": [1, 2]}, {"data": [2]}]),
            json!([]),
        ] {
            let root = json!({"type": "progressBar", "data": {"datasets": sets}});
            assert!(!is_progress_bar(root.as_object().expect("object")));
        }
    }
}
