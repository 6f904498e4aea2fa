//! QuickChart's wire format, below HTTP: a `GET /chart?c=…` query or a `POST /chart` body
//! → the chart object the validator reads, with QuickChart's defaults; and the short URLs of
//! `POST /chart/create` ([`store`]).
//!
//! The request's size, background, pixel ratio and format go where our spec keeps them
//! (`options.width`, `options.height`, `options.format`, root `backgroundColor` and
//! `devicePixelRatio`), overriding what the chart says, as QuickChart does. `chart` may be an
//! object or text: JSON, or a JavaScript object literal ([`literal`]). Everything after that —
//! Chart.js 2 and 4 dialects, functions turned into defaults and warnings, budgets — is the
//! validator's, exactly as for `POST /api/charts/generate`.

pub mod literal;
pub mod signed;
pub mod store;

use base64::Engine as _;
use serde_json::{Map, Value};
use std::collections::HashMap;

pub use literal::LiteralError;
pub use store::{ShortUrl, ShortUrls};

/// QuickChart's default width in px.
pub const DEFAULT_WIDTH: u32 = 500;
/// QuickChart's default height in px.
pub const DEFAULT_HEIGHT: u32 = 300;
/// QuickChart's default `devicePixelRatio` (it renders for retina screens unless told).
pub const DEFAULT_PIXEL_RATIO: f64 = 2.0;
/// QuickChart's default background.
pub const DEFAULT_BACKGROUND: &str = "transparent";

/// Why a request could not be read (before the chart itself is validated).
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// No `c` / `chart`.
    #[error("no chart: send the Chart.js config in `c` (GET) or `chart` (POST)")]
    MissingChart,
    /// The chart text is neither JSON nor a JavaScript literal.
    #[error(transparent)]
    Literal(#[from] LiteralError),
    /// The chart is not an object.
    #[error("the chart config must be an object such as {{type: 'bar', data: {{…}}}}, got {0}")]
    NotAnObject(&'static str),
    /// A parameter has the wrong type or value.
    #[error("`{name}` {reason}")]
    Param {
        /// The parameter, as the client named it.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// A URL-API request, read: the chart object for the validator and the API key, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlChart {
    /// The chart with the request's size, background, ratio and format in it.
    pub chart: Value,
    /// `key`, as sent.
    pub key: Option<String>,
    /// `format=base64`: answer a PNG as a `data:image/png;base64,…` URI in plain text.
    pub data_uri: bool,
}

/// The chart's source and the request's parameters, from either wire form.
#[derive(Debug, Default)]
struct Params {
    chart: Option<Value>,
    width: Option<Value>,
    height: Option<Value>,
    background: Option<String>,
    pixel_ratio: Option<Value>,
    format: Option<String>,
    base64: bool,
    key: Option<String>,
    /// `version` / `v`: the Chart.js version the config was written for (QuickChart: 2.9.4).
    version: Option<String>,
}

/// The first of `names` present in `query`.
fn first<'a>(query: &'a HashMap<String, String>, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| query.get(*n))
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// A number parameter given as text.
fn number(name: &'static str, text: Option<&str>) -> Result<Option<Value>, RequestError> {
    let Some(text) = text else { return Ok(None) };
    let n: f64 = text.trim().parse().map_err(|_| RequestError::Param {
        name,
        reason: format!("must be a number, got {:?}", short(text)),
    })?;
    if !n.is_finite() {
        return Err(RequestError::Param {
            name,
            reason: format!("must be a finite number, got {:?}", short(text)),
        });
    }
    // Whole numbers stay integers: the validator reads sizes as integers.
    Ok(Some(if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::from(n as i64)
    } else {
        Value::from(n)
    }))
}

fn short(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Reads `GET /chart`'s query (QuickChart's short names `c`, `w`, `h`, `bkg`, `f`, `v` and the
/// long ones `chart`, `width`, `height`, `backgroundColor`, `format`, `version`).
pub fn from_query(query: &HashMap<String, String>) -> Result<UrlChart, RequestError> {
    let params = Params {
        chart: first(query, &["c", "chart"]).map(|c| Value::String(c.to_owned())),
        width: number("width", first(query, &["w", "width"]))?,
        height: number("height", first(query, &["h", "height"]))?,
        background: first(query, &["bkg", "backgroundColor"]).map(str::to_owned),
        pixel_ratio: number("devicePixelRatio", first(query, &["devicePixelRatio"]))?,
        format: first(query, &["f", "format"]).map(str::to_owned),
        base64: first(query, &["encoding"]) == Some("base64"),
        key: first(query, &["key"]).map(str::to_owned),
        version: first(query, &["v", "version"]).map(str::to_owned),
    };
    build(params)
}

/// Reads a `POST /chart` (or `/chart/create`) body: `{chart, width, height, backgroundColor,
/// devicePixelRatio, format, version, encoding, key}`.
pub fn from_body(body: &Value) -> Result<UrlChart, RequestError> {
    let Some(root) = body.as_object() else {
        return Err(RequestError::Param {
            name: "body",
            reason: format!(
                "must be an object {{chart, width, …}}, got {}",
                crate::spec::json_kind(body)
            ),
        });
    };
    let text = |name: &'static str| -> Result<Option<String>, RequestError> {
        match root.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(RequestError::Param {
                name,
                reason: format!("must be a string, got {}", crate::spec::json_kind(other)),
            }),
        }
    };
    let num = |name: &'static str| -> Result<Option<Value>, RequestError> {
        match root.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(Some(Value::Number(n.clone()))),
            Some(Value::String(s)) => number(name, Some(s.as_str()).filter(|s| !s.is_empty())),
            Some(other) => Err(RequestError::Param {
                name,
                reason: format!("must be a number, got {}", crate::spec::json_kind(other)),
            }),
        }
    };
    let params = Params {
        chart: root.get("chart").filter(|c| !c.is_null()).cloned(),
        width: num("width")?,
        height: num("height")?,
        background: text("backgroundColor")?,
        pixel_ratio: num("devicePixelRatio")?,
        format: text("format")?,
        base64: text("encoding")?.as_deref() == Some("base64"),
        key: text("key")?,
        version: match root.get("version").or_else(|| root.get("v")) {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        },
    };
    build(params)
}

/// The chart object of `params`, with the request's options and QuickChart's defaults in it.
fn build(params: Params) -> Result<UrlChart, RequestError> {
    let chart = match params.chart {
        None => return Err(RequestError::MissingChart),
        Some(Value::String(text)) if params.base64 => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|e| RequestError::Param {
                    name: "chart",
                    reason: format!("is not valid base64 (encoding=base64): {e}"),
                })?;
            let text = String::from_utf8(bytes).map_err(|_| RequestError::Param {
                name: "chart",
                reason: "is not UTF-8 once decoded from base64".to_owned(),
            })?;
            literal::parse(&text)?
        }
        Some(Value::String(text)) => literal::parse(&text)?,
        Some(value) => value,
    };
    let data_uri = params
        .format
        .as_deref()
        .is_some_and(|f| f.eq_ignore_ascii_case("base64"));
    let Value::Object(mut chart) = chart else {
        return Err(RequestError::NotAnObject(crate::spec::json_kind(&chart)));
    };
    let background = params
        .background
        .unwrap_or_else(|| DEFAULT_BACKGROUND.to_owned());
    let see_through = peniko::color::parse_color(&background)
        .map(|c| c.to_alpha_color::<peniko::color::Srgb>().components[3] < 0.5)
        .unwrap_or(false);
    chart.insert("backgroundColor".to_owned(), Value::String(background));
    if is_chartjs_2(params.version.as_deref()) {
        chartjs_2_defaults(&mut chart);
    }
    chart.insert(
        "devicePixelRatio".to_owned(),
        params
            .pixel_ratio
            .unwrap_or_else(|| Value::from(DEFAULT_PIXEL_RATIO)),
    );
    let options = chart
        .entry("options")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(options) = options.as_object_mut() {
        set(options, "width", params.width, DEFAULT_WIDTH.into());
        set(options, "height", params.height, DEFAULT_HEIGHT.into());
        if let Some(f) = &params.format {
            // QuickChart's `base64` is a PNG written as a data URI.
            let f = if data_uri { "png" } else { f.as_str() };
            options.insert("format".to_owned(), Value::String(f.to_owned()));
        }
        // Chart.js draws dark text on a see-through canvas; our default theme's light text
        // would vanish on the white page such an image is usually shown on.
        if see_through && !options.contains_key("theme") {
            options.insert("theme".to_owned(), "light".into());
        }
    }
    Ok(UrlChart {
        chart: Value::Object(chart),
        key: params.key,
        data_uri,
    })
}

/// Whether `version` is Chart.js 2 (QuickChart's default when none is given).
fn is_chartjs_2(version: Option<&str>) -> bool {
    version.is_none_or(|v| v.trim().is_empty() || v.trim().starts_with('2'))
}

/// What Chart.js 2 draws by default and Chart.js 4 (our default) does not: line datasets fill
/// the area under them (`elements.line.fill: true`) unless the config says otherwise.
fn chartjs_2_defaults(chart: &mut Map<String, Value>) {
    let line_fill_set = chart
        .get("options")
        .and_then(|o| o.get("elements"))
        .and_then(|e| e.get("line"))
        .is_some_and(|l| l.get("fill").is_some());
    if line_fill_set {
        return;
    }
    let line_chart = chart.get("type").and_then(Value::as_str) == Some("line");
    let datasets = chart
        .get_mut("data")
        .and_then(|d| d.get_mut("datasets"))
        .and_then(Value::as_array_mut);
    for ds in datasets.into_iter().flatten() {
        let Some(ds) = ds.as_object_mut() else {
            continue;
        };
        let is_line = match ds.get("type").and_then(Value::as_str) {
            Some(t) => t == "line",
            None => line_chart,
        };
        if is_line && !ds.contains_key("fill") {
            ds.insert("fill".to_owned(), Value::Bool(true));
        }
    }
}

/// `options[name]`: the request's value, else what the chart says, else `default`.
fn set(options: &mut Map<String, Value>, name: &str, given: Option<Value>, default: Value) {
    match given {
        Some(v) => {
            options.insert(name.to_owned(), v);
        }
        None => {
            options.entry(name.to_owned()).or_insert(default);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]
    use super::*;
    use serde_json::json;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_are_quickcharts() {
        let r = from_query(&query(&[(
            "c",
            "{type:'bar',data:{labels:['a'],datasets:[{data:[1]}]}}",
        )]))
        .unwrap();
        let c = &r.chart;
        assert_eq!(c["options"]["width"], 500);
        assert_eq!(c["options"]["height"], 300);
        assert_eq!(c["devicePixelRatio"], 2.0);
        assert_eq!(c["backgroundColor"], "transparent");
        assert_eq!(c["options"]["theme"], "light");
        assert_eq!(r.key, None);
    }

    #[test]
    fn parameters_override_the_chart() {
        let r = from_query(&query(&[
            ("chart", r#"{"type":"line","options":{"width":9}}"#),
            ("width", "640"),
            ("h", "200"),
            ("bkg", "#000000"),
            ("f", "webp"),
            ("devicePixelRatio", "1.0"),
            ("v", "4"),
            ("key", "cc_live_x"),
        ]))
        .unwrap();
        let c = &r.chart;
        assert_eq!(c["options"]["width"], 640);
        assert_eq!(c["options"]["height"], 200);
        assert_eq!(c["options"]["format"], "webp");
        assert_eq!(c["devicePixelRatio"], 1);
        assert_eq!(c["backgroundColor"], "#000000");
        assert!(
            c["options"].get("theme").is_none(),
            "an opaque canvas picks its theme"
        );
        assert_eq!(r.key.as_deref(), Some("cc_live_x"));
        assert!(!r.data_uri);
    }

    #[test]
    fn chartjs_2_lines_fill_unless_told_or_version_4() {
        let line = "{type:'line',data:{datasets:[{data:[1,2]},{data:[1],fill:false},{type:'bar',data:[1]}]}}";
        let r = from_query(&query(&[("c", line)])).unwrap();
        let ds = &r.chart["data"]["datasets"];
        assert_eq!(ds[0]["fill"], true);
        assert_eq!(ds[1]["fill"], false);
        assert!(ds[2].get("fill").is_none());
        let r = from_query(&query(&[("c", line), ("v", "4")])).unwrap();
        assert!(r.chart["data"]["datasets"][0].get("fill").is_none());
        let told =
            "{type:'line',data:{datasets:[{data:[1]}]},options:{elements:{line:{fill:false}}}}";
        let r = from_query(&query(&[("c", told)])).unwrap();
        assert!(r.chart["data"]["datasets"][0].get("fill").is_none());
    }

    #[test]
    fn format_base64_asks_for_a_png_data_uri() {
        let r = from_query(&query(&[("c", "{type:'bar'}"), ("f", "base64")])).unwrap();
        assert!(r.data_uri);
        assert_eq!(r.chart["options"]["format"], "png");
        let r = from_body(&json!({"chart": {"type": "bar"}, "format": "BASE64"})).unwrap();
        assert!(r.data_uri);
    }

    #[test]
    fn bodies_take_objects_and_strings() {
        let r =
            from_body(&json!({"chart": {"type": "bar"}, "width": 300, "format": "png"})).unwrap();
        assert_eq!(r.chart["type"], "bar");
        assert_eq!(r.chart["options"]["width"], 300);
        let r = from_body(
            &json!({"chart": "{type: 'pie', options: {plugins: {}},}", "devicePixelRatio": 1.0}),
        )
        .unwrap();
        assert_eq!(r.chart["type"], "pie");
        assert_eq!(r.chart["devicePixelRatio"], 1.0);
        let b64 = base64::engine::general_purpose::STANDARD.encode("{type: 'line'}");
        let r = from_body(&json!({"chart": b64, "encoding": "base64"})).unwrap();
        assert_eq!(r.chart["type"], "line");
    }

    #[test]
    fn bad_requests_say_why() {
        assert!(matches!(
            from_query(&query(&[])),
            Err(RequestError::MissingChart)
        ));
        assert!(matches!(
            from_query(&query(&[("c", "[1, 2]")])),
            Err(RequestError::NotAnObject(_))
        ));
        assert!(matches!(
            from_query(&query(&[("c", "{type: 'bar'"), ("w", "abc")])),
            Err(RequestError::Param { name: "width", .. })
        ));
        assert!(matches!(
            from_query(&query(&[("c", "{type: bar'}")])),
            Err(RequestError::Literal(_))
        ));
        assert!(matches!(
            from_body(&json!({"chart": {}, "width": [1]})),
            Err(RequestError::Param { name: "width", .. })
        ));
    }
}
