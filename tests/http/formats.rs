//! Every output format through the API: generate and batch honour `options.format`, stored
//! files keep their extension and are served with the right Content-Type, and every chart comes
//! with its alt text and description (in the response and in the stored metadata file).

use crate::harness::{Authed as _, TestServer, bar_spec, expect_error};
use serde_json::{Value, json};

#[tokio::test]
async fn generate_every_format_with_alt_text() {
    let s = TestServer::start().await;
    let cases = [
        ("png", "image/png", &b"\x89PNG"[..]),
        ("webp", "image/webp", &b"RIFF"[..]),
        ("svg", "image/svg+xml", &b"<svg"[..]),
        ("pdf", "application/pdf", &b"%PDF-"[..]),
        ("jpeg", "image/jpeg", &b"\xFF\xD8\xFF"[..]),
    ];
    for (format, mime, magic) in cases {
        let mut spec = bar_spec();
        spec["options"]["format"] = json!(format);
        let body = s.generate(&spec).await;
        assert_eq!(body["format"], format);
        let url = body["url"].as_str().unwrap().to_owned();
        assert!(url.ends_with(&format!(".{format}")), "{url}");
        let alt = body["alt_text"].as_str().unwrap();
        assert!(
            alt.contains("Bar chart") && alt.contains("Revenue"),
            "{alt}"
        );
        assert!(alt.contains("120") && alt.contains("220"), "{alt}");
        assert!(alt.chars().count() <= 250);
        assert!(body["description"].as_str().unwrap().len() > alt.len() / 2);
        let r = s.client.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], mime, "{format}");
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(magic), "{format}");
        let id = body["chart_id"].as_str().unwrap();
        let stored: Value = s.get_json(&format!("/charts/{id}.json")).await;
        assert_eq!(stored["alt_text"], body["alt_text"], "{format}");
    }
    let mut spec = bar_spec();
    spec["options"]["format"] = json!("tiff");
    let r = s
        .post_json("/api/charts/generate", &spec)
        .user()
        .send()
        .await
        .unwrap();
    let e = expect_error(r, 400, "VALIDATION_ERROR").await;
    assert!(e["error"].as_str().unwrap().contains("svg"), "{e}");
    s.stop().await;
}

#[tokio::test]
async fn batch_renders_each_in_its_format() {
    let s = TestServer::start().await;
    let mut svg = bar_spec();
    svg["options"]["format"] = json!("svg");
    let mut pdf = bar_spec();
    pdf["options"]["format"] = json!("pdf");
    let r: Value = s
        .post_json(
            "/api/charts/batch",
            &json!({"charts": [bar_spec(), svg, pdf]}),
        )
        .user()
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["failed"], 0, "{r}");
    for (chart, ext) in r["charts"]
        .as_array()
        .unwrap()
        .iter()
        .zip(["png", "svg", "pdf"])
    {
        assert_eq!(chart["format"], ext);
        assert!(chart["url"].as_str().unwrap().ends_with(ext));
        assert!(chart["alt_text"].as_str().unwrap().contains("Revenue"));
    }
    s.stop().await;
}
