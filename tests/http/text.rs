//! Text over HTTP: a character no loaded font has comes back in `warnings` with its field, and
//! the chart is still made.

use crate::harness::{TestServer, bar_spec};
use serde_json::json;

#[tokio::test]
async fn a_missing_glyph_is_a_warning_with_its_field() {
    let server = TestServer::start().await;
    let mut spec = bar_spec();
    spec["data"]["labels"][0] = json!("𒀀 Ur");
    spec["options"]["title"] = json!("東京 مرحبا 🚀");
    let body = server.generate(&spec).await;
    let warnings = body["warnings"].as_array().cloned().unwrap_or_default();
    assert_eq!(warnings.len(), 1, "{body}");
    assert_eq!(warnings[0]["path"], "/data/labels/0");
    let message = warnings[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("U+12000"), "{message}");
    assert!(body["chart_id"].is_string(), "{body}");
}
