//! Issue 13's reproductions through a real server on 127.0.0.1: the dash patterns that hung a
//! worker, 1.6M bars that panicked vello_cpu, a panicking render (the debug hook), the render
//! deadline, and renders whose clients have gone. After each, the server still answers.

use crate::harness::{Authed as _, TestServer, bar_spec, expect_error};
use clovicharts::render_pool::{DEBUG_PANIC_TITLE, DEBUG_SLOW_TITLE};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A generous ceiling for one answer: the default deadline (5 s) plus a debug build's slack on a
/// busy machine. A hang (the old dash behaviour) blows through it.
const ANSWER_WITHIN: Duration = Duration::from_secs(30);

async fn generate(s: &TestServer, body: impl Into<reqwest::Body>) -> reqwest::Response {
    tokio::time::timeout(
        ANSWER_WITHIN,
        s.client
            .post(s.url("/api/charts/generate"))
            .user()
            .header("content-type", "application/json")
            .body(body)
            .send(),
    )
    .await
    .expect("an answer within the deadline")
    .unwrap()
}

async fn still_serves(s: &TestServer) {
    let r = generate(s, serde_json::to_vec(&bar_spec()).unwrap()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// A counter's value in `GET /metrics` (0 when not yet recorded).
async fn counter(s: &TestServer, name: &str) -> f64 {
    let text = s
        .get("/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|l| l.starts_with(name))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test]
async fn tiny_dash_patterns_render_promptly_on_lines_and_radars() {
    let s = TestServer::start().await;
    for (t, dash) in [
        ("line", json!([1e-300, 1e-300])),
        ("line", json!([1e-5, 1e-5])),
        ("line", json!([5e-324, 5e-324, 5e-324])),
        ("radar", json!([1e-300, 1e-300])),
        ("radar", json!([1e-5, 1e-5])),
    ] {
        let spec = json!({"type": t, "data": {"labels": ["a", "b", "c"],
            "datasets": [{"borderDash": dash, "borderWidth": 3, "data": [1, 2, 3]}]}});
        let r = generate(&s, serde_json::to_vec(&spec).unwrap()).await;
        assert_eq!(r.status(), 200, "{t} {dash}: {}", r.text().await.unwrap());
    }
    still_serves(&s).await;
    s.stop().await;
}

#[tokio::test]
async fn a_million_and_a_half_bars_are_refused_up_front_naming_the_limit() {
    let s = TestServer::start().await;
    let body = format!(
        r#"{{"type":"bar","data":{{"datasets":[{{"data":[{}1]}}]}}}}"#,
        "1,".repeat(1_600_000 - 1)
    );
    let r = generate(&s, body).await;
    let body = expect_error(r, 400, "VALIDATION_ERROR").await;
    let message = body["error"].as_str().unwrap();
    assert!(message.contains("10,000 bars"), "{body}");
    assert!(message.contains("1,600,000"), "{body}");
    still_serves(&s).await;
    s.stop().await;
}

#[tokio::test]
async fn a_panicking_render_is_one_500_and_the_pool_keeps_every_worker() {
    let data = crate::common::temp_dir("panic");
    let s = TestServer::start_in(&data, |c| {
        c.debug_panic = true;
        c.render_workers = 2;
    })
    .await;
    let mut panicking = bar_spec();
    panicking["options"]["title"] = Value::from(DEBUG_PANIC_TITLE);
    // More panics than workers: without isolation the pool would be empty after two.
    for _ in 0..5 {
        let r = generate(&s, serde_json::to_vec(&panicking).unwrap()).await;
        expect_error(r, 500, "RENDER_FAILED").await;
    }
    // Both workers still take jobs, concurrently.
    let answers = futures_join(&s, 8).await;
    assert!(answers.iter().all(|st| *st == 200), "{answers:?}");
    s.stop().await;
}

/// `n` concurrent generates of the bar chart; their statuses.
async fn futures_join(s: &TestServer, n: usize) -> Vec<u16> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let client = s.client.clone();
        let url = s.url("/api/charts/generate");
        tasks.spawn(async move {
            client
                .post(url)
                .user()
                .json(&bar_spec())
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    tasks.join_all().await
}

#[tokio::test]
async fn without_the_hook_the_debug_title_is_just_a_title() {
    let s = TestServer::start().await;
    let mut spec = bar_spec();
    spec["options"]["title"] = Value::from(DEBUG_PANIC_TITLE);
    let r = generate(&s, serde_json::to_vec(&spec).unwrap()).await;
    assert_eq!(r.status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn a_render_past_its_deadline_is_render_timeout_and_the_worker_goes_on() {
    let data = crate::common::temp_dir("deadline");
    let s = TestServer::start_in(&data, |c| {
        c.render_timeout_ms = 1;
        c.render_cache_mb = 0;
    })
    .await;
    // A million labelled points take far more than 1 ms to lay out.
    let n = 1_000_000;
    let spec = json!({"type": "line", "data": {
        "labels": (0..n).map(|i| i.to_string()).collect::<Vec<_>>(),
        "datasets": [{"data": (0..n).map(|i| f64::from(i % 100)).collect::<Vec<_>>()}]}});
    let t0 = Instant::now();
    let r = generate(&s, serde_json::to_vec(&spec).unwrap()).await;
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert!(matches!(status, 422 | 503), "{status} {body}");
    assert_eq!(body["code"], "RENDER_TIMEOUT", "{body}");
    assert!(t0.elapsed() < ANSWER_WITHIN);
    s.stop().await;

    // The same server settings with room to render: the chart is fine.
    let s = TestServer::start_in(&crate::common::temp_dir("deadline-ok"), |c| {
        c.render_timeout_ms = 60_000;
    })
    .await;
    let r = generate(&s, serde_json::to_vec(&spec).unwrap()).await;
    assert_eq!(r.status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn renders_whose_clients_have_gone_are_skipped() {
    let data = crate::common::temp_dir("abandoned");
    let s = TestServer::start_in(&data, |c| {
        c.render_workers = 1;
        c.render_cache_mb = 0;
        c.debug_panic = true;
    })
    .await;
    let before = counter(&s, "clovicharts_render_abandoned_total").await;
    // The one worker is held for 1.5 s by the slow test hook; four distinct charts queue
    // behind it and their clients give up after 300 ms, so when the worker is free again
    // nobody is waiting for them and they must be skipped, not drawn.
    let slow = json!({"type": "bar", "options": {"title": DEBUG_SLOW_TITLE},
        "data": {"labels": ["a"], "datasets": [{"data": [1]}]}});
    let hold = {
        let client = s.client.clone();
        let url = s.url("/api/charts/generate");
        tokio::spawn(async move {
            let r = client
                .post(url)
                .user()
                .header("content-type", "application/json")
                .body(serde_json::to_vec(&slow).unwrap())
                .send()
                .await;
            r.map(|r| r.status().as_u16()).ok()
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut tasks = tokio::task::JoinSet::new();
    for seed in 0..4 {
        let client = s.client.clone();
        let url = s.url("/api/charts/generate");
        let body = json!({"type": "bar", "data": {"labels": ["a", "b"],
            "datasets": [{"data": [seed, seed + 1]}]}});
        tasks.spawn(async move {
            let sent = client
                .post(url)
                .user()
                .header("content-type", "application/json")
                .body(serde_json::to_vec(&body).unwrap())
                .timeout(Duration::from_millis(300))
                .send()
                .await;
            sent.map(|r| r.status().as_u16()).ok()
        });
    }
    let gave_up = tasks.join_all().await;
    assert!(gave_up.iter().all(Option::is_none), "{gave_up:?}");
    assert_eq!(
        hold.await.unwrap(),
        Some(200),
        "the held chart is still answered"
    );
    still_serves(&s).await;
    let after = counter(&s, "clovicharts_render_abandoned_total").await;
    assert!(after - before >= 4.0, "abandoned {before} -> {after}");
    s.stop().await;
}
