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
        if let Some(f) = params.format {
            options.insert("format".to_owned(), Value::String(f));
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
    })
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
