//! Chart.js options over HTTP: ignored keys come back as `warnings`, JavaScript callbacks are a
//! 400 `VALIDATION_ERROR`, and `devicePixelRatio` changes the stored image's size.

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

    let mut spec = bar_spec();
    spec["options"]["scales"] =
        json!({"y": {"ticks": {"callback": "function (v) { return v + '%'; }"}}});
    let resp = server
        .post_json("/api/charts/generate", &spec)
        .user()
        .send()
        .await
        .unwrap();
    let err = expect_error(resp, 400, "VALIDATION_ERROR").await;
    assert!(
        err.to_string().contains("/options/scales/y/ticks/callback"),
        "{err}"
    );

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
