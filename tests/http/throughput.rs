//! The throughput features on the wire: the render cache (`X-Cache`, a new stored chart per
//! generate either way), the timing headers, `GET /metrics` and its guard, and many concurrent
//! generates sharing group commits.

use crate::harness::{Authed as _, TestServer, bar_spec, temp_dir};
use clovicharts::config::Secret;
use serde_json::Value;

fn header_ms(r: &reqwest::Response, name: &str) -> f64 {
    r.headers()[name].to_str().unwrap().parse().unwrap()
}

async fn post_bar(s: &TestServer) -> reqwest::Response {
    let r = s
        .post_json("/api/charts/generate", &bar_spec())
        .user()
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r
}

#[tokio::test]
async fn identical_generates_hit_the_cache_and_still_store_new_charts() {
    let s = TestServer::start().await;
    let first = post_bar(&s).await;
    assert_eq!(first.headers()["x-cache"], "miss");
    for name in ["x-render-ms", "x-encode-ms", "x-queue-ms"] {
        assert!(header_ms(&first, name) >= 0.0, "{name}");
    }
    let first: Value = first.json().await.unwrap();

    let second = post_bar(&s).await;
    assert_eq!(second.headers()["x-cache"], "hit");
    assert_eq!(header_ms(&second, "x-render-ms"), 0.0);
    assert_eq!(header_ms(&second, "x-encode-ms"), 0.0);
    let second: Value = second.json().await.unwrap();

    assert_ne!(
        first["chart_id"], second["chart_id"],
        "each generate is its own chart"
    );
    let a = s
        .get_bytes(&format!(
            "/charts/{}.png",
            first["chart_id"].as_str().unwrap()
        ))
        .await;
    let b = s
        .get_bytes(&format!(
            "/charts/{}.png",
            second["chart_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(a, b);
    assert_eq!(s.get_json("/api/charts/gallery").await["total"], 2);

    // A different spec is a different entry.
    let mut other = bar_spec();
    other["options"]["title"] = "Another title".into();
    let r = s
        .post_json("/api/charts/generate", &other)
        .user()
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-cache"], "miss");
    s.stop().await;
}

#[tokio::test]
async fn render_cache_mb_0_turns_the_cache_off() {
    let s = TestServer::start_in(&temp_dir("nocache"), |c| c.render_cache_mb = 0).await;
    for _ in 0..2 {
        assert_eq!(post_bar(&s).await.headers()["x-cache"], "miss");
    }
    s.stop().await;
}

#[tokio::test]
async fn metrics_on_loopback_count_charts_cache_and_stages() {
    let s = TestServer::start().await;
    post_bar(&s).await;
    post_bar(&s).await;
    let r = s.get("/metrics").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = r.text().await.unwrap();
    for needle in [
        "clovicharts_charts_rendered_total{",
        "type=\"bar\"",
        "backend=\"cpu\"",
        "clovicharts_render_seconds_bucket",
        "clovicharts_encode_seconds_bucket",
        "clovicharts_queue_seconds_bucket",
        "clovicharts_render_cache_total{result=\"hit\"}",
        "clovicharts_store_commit_batch_size_bucket",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    // Through a proxy it is not served without a token.
    let proxied = s
        .get("/metrics")
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 404);
    s.stop().await;
}

#[tokio::test]
async fn metrics_token_when_set_is_required() {
    let s = TestServer::start_in(&temp_dir("metrics-token"), |c| {
        c.metrics_token = Some(Secret::new("scrape-me"));
    })
    .await;
    assert_eq!(s.get("/metrics").send().await.unwrap().status(), 404);
    let wrong = s.get("/metrics").bearer_auth("nope").send().await.unwrap();
    assert_eq!(wrong.status(), 404);
    let right = s
        .get("/metrics")
        .bearer_auth("scrape-me")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn concurrent_generates_are_all_stored() {
    let s = TestServer::start_in(&temp_dir("concurrent"), |c| c.render_cache_mb = 0).await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let req = {
            let mut spec = bar_spec();
            spec["options"]["title"] = format!("Chart {i}").into();
            s.post_json("/api/charts/generate", &spec).user()
        };
        tasks.push(tokio::spawn(async move { req.send().await.unwrap() }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        ids.push(body["chart_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        s.get_json("/api/charts/gallery?limit=100").await["total"],
        24
    );
    for id in ids {
        let meta = s.get_json(&format!("/api/charts/{id}")).await;
        assert_eq!(meta["chart_id"], id.as_str());
    }
    s.stop().await;
}
