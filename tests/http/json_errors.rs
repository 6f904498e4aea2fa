//! Every error answer is JSON in the one error shape, axum's own included (405, 404 of unknown
//! routes, extractor rejections), against the real binary; and `/metrics` counts requests by
//! route template and status, with the process's RSS and open descriptors.

use crate::harness::{TestServer, expect_error, free_port, spawn_binary, temp_dir, wait_ready};
use std::process::Child;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_answers_every_error_as_json() {
    let data = temp_dir("json-errors");
    let port = free_port();
    let _child = Killed(spawn_binary(&data, port));
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    wait_ready(&client, &base).await;

    // A known path with a method it does not serve: 405 with `Allow`, in the error shape.
    let r = client
        .delete(format!("{base}/api/chart-types"))
        .send()
        .await
        .unwrap();
    let allow = r.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET"), "{allow}");
    let body = expect_error(r, 405, "METHOD_NOT_ALLOWED").await;
    assert!(body["error"].as_str().unwrap().contains("DELETE"), "{body}");
    let r = client.put(format!("{base}/health")).send().await.unwrap();
    expect_error(r, 405, "METHOD_NOT_ALLOWED").await;
    let r = client
        .post(format!("{base}/chart/render/abc"))
        .send()
        .await
        .unwrap();
    expect_error(r, 405, "METHOD_NOT_ALLOWED").await;

    // Unknown routes, in and out of /api.
    for path in ["/api/nope", "/api/charts/a/b/c", "/nope", "/app/x/y"] {
        let r = client.get(format!("{base}{path}")).send().await.unwrap();
        expect_error(r, 404, "NOT_FOUND").await;
    }
    let r = client
        .post(format!("{base}/api/nope"))
        .send()
        .await
        .unwrap();
    expect_error(r, 404, "NOT_FOUND").await;

    // A path segment that is not UTF-8 once decoded: axum's rejection, as JSON.
    for path in ["/api/charts/%FF", "/charts/%FF.png", "/app/%FF"] {
        let r = client.get(format!("{base}{path}")).send().await.unwrap();
        let status = r.status().as_u16();
        assert!(status == 400 || status == 404, "{path}: {status}");
        let code = if status == 400 {
            "VALIDATION_ERROR"
        } else {
            "NOT_FOUND"
        };
        expect_error(r, status, code).await;
    }
}

/// The value of the sample whose line starts with `prefix` and holds every `label`.
fn sample(metrics: &str, prefix: &str, labels: &[&str]) -> Option<f64> {
    metrics
        .lines()
        .filter(|l| l.starts_with(prefix))
        .find(|l| labels.iter().all(|x| l.contains(x)))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_status() {
    let s = TestServer::start().await;
    let id = "6f1c2f0e-0000-4000-8000-000000000001";
    for _ in 0..3 {
        let r = s.get(&format!("/api/charts/{id}")).send().await.unwrap();
        assert_eq!(r.status(), 404);
    }
    let r = s.get("/no/such/route/0123").send().await.unwrap();
    assert_eq!(r.status(), 404);
    let metrics = s
        .get("/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let route = r#"route="/api/charts/{id}""#;
    let count = sample(
        &metrics,
        "clovicharts_http_requests_total{",
        &[r#"method="GET""#, route, r#"status="404""#],
    )
    .unwrap_or_else(|| panic!("no counter for {route}:\n{metrics}"));
    assert!(count >= 3.0, "{count}");
    assert!(
        sample(
            &metrics,
            "clovicharts_http_request_duration_seconds_bucket{",
            &[route, r#"status="404""#, r#"le="+Inf""#],
        )
        .is_some_and(|n| n >= 3.0),
        "latency histogram by route:\n{metrics}"
    );
    assert!(
        sample(
            &metrics,
            "clovicharts_http_requests_total{",
            &[r#"route="unmatched""#, r#"status="404""#],
        )
        .is_some_and(|n| n >= 1.0)
    );
    // Raw paths never become labels.
    assert!(!metrics.contains(id) && !metrics.contains("/no/such/route"));
    let rss = sample(&metrics, "process_resident_memory_bytes", &[]).unwrap();
    assert!(rss > 1e6, "RSS {rss}");
    let fds = sample(&metrics, "process_open_fds", &[]).unwrap();
    assert!(fds >= 3.0, "fds {fds}");
    s.stop().await;
}
