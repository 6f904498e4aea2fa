//! Chart.js options over HTTP: ignored keys and never-run JavaScript callbacks come back as
//! `warnings` (a function in the data stays a 400), the QuickChart `{chart: …}` envelope is
//! accepted, and `devicePixelRatio` changes the stored image's size.

use crate::harness::{Authed as _, TestServer, bar_spec, expect_error};
use serde_json::json;

#[tokio::test]
async fn warnings_callbacks_and_pixel_ratio() {
    let server = TestServer::start().await;

    let mut spec = bar_spec();
    spec["options"]["responsive"] = json!(true);
    spec["options"]["tooltipz"] = json!({});
    let body = server.generate(&spec).await;
    assert_eq!(
        body["warnings"],
        json!([{"path": "/options/tooltipz", "message": "`tooltipz` is not supported here and was ignored"}])
    );
    // No warnings, no key.
    let body = server.generate(&bar_spec()).await;
    assert!(body.get("warnings").is_none(), "{body}");

    // Issue 14: a cosmetic callback is never run; the chart is drawn with the default and a
    // warning at the callback's path.
    let mut spec = bar_spec();
    spec["options"]["scales"] =
        json!({"y": {"ticks": {"callback": "function (v) { return v / 1000 + 'k'; }"}}});
    let body = server.generate(&spec).await;
    assert_eq!(
        body["warnings"][0]["path"], "/options/scales/y/ticks/callback",
        "{body}"
    );
    // A function where the data belongs is still a 400.
    let mut spec = bar_spec();
    spec["data"]["datasets"][0]["data"][0] = json!("(ctx) => 5");
    let resp = server
        .post_json("/api/charts/generate", &spec)
        .user()
        .send()
        .await
        .unwrap();
    let err = expect_error(resp, 400, "VALIDATION_ERROR").await;
    assert!(err.to_string().contains("/data/datasets/0/data/0"), "{err}");
    // The QuickChart envelope is accepted.
    let body = server
        .generate(&json!({"width": 400, "height": 300, "chart": bar_spec()}))
        .await;
    assert!(body["chart_id"].is_string(), "{body}");

    let mut spec = bar_spec();
    spec["devicePixelRatio"] = json!(2);
    spec["options"]["width"] = json!(300);
    spec["options"]["height"] = json!(200);
    let body = server.generate(&spec).await;
    let path = format!("/charts/{}.png", body["chart_id"].as_str().unwrap());
    let png = server.get_bytes(&path).await;
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let info = decoder.read_info().unwrap();
    assert_eq!((info.info().width, info.info().height), (600, 400));
    server.stop().await;
}
