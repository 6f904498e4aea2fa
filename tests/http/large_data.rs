//! Big series over HTTP: the default body limit lets them through, and past the points limit the
//! answer is one clear `VALIDATION_ERROR`.

use crate::harness::{Authed as _, TestServer, expect_error};

/// A line chart body with `n` points written as `1,`.
fn line_body(n: usize) -> String {
    format!(
        r#"{{"type":"line","data":{{"datasets":[{{"label":"Big","data":[{}1]}}]}}}}"#,
        "1,".repeat(n - 1)
    )
}

#[tokio::test]
async fn big_series_render_and_past_the_limit_is_one_clear_error() {
    let s = TestServer::start().await;
    let post = |body: String| {
        s.client
            .post(s.url("/api/charts/generate"))
            .user()
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    // 2,000,000 points (4 MB): over the old 2 MiB body limit, well within the new one.
    let r = post(line_body(2_000_000)).await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());

    let over = clovicharts::spec::MAX_POINTS + 1;
    let r = post(line_body(over)).await.unwrap();
    let body = expect_error(r, 400, "VALIDATION_ERROR").await;
    assert!(
        body["error"].as_str().unwrap().contains("10,000,000"),
        "{body}"
    );
    let errors = body["details"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["path"], "/data/datasets", "{body}");
    assert!(errors[0]["hint"].is_string(), "{body}");
    s.stop().await;
}
