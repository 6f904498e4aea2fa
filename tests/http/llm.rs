//! The optional language model through the real server, against a stub model on 127.0.0.1:
//! valid answers are used and drawn; every kind of failure falls back to the data-driven text
//! with the render succeeding; the breaker opens and closes; the key never reaches a log.

use crate::harness::{Authed as _, TestServer, free_port, spawn_binary_with, temp_dir, wait_ready};
use crate::model_stub::{MODEL, ModelStub, Reply};
use clovicharts::insight::llm::LlmConfig;
use clovicharts::render::CpuRenderer;
use clovicharts::text::TextShaper;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The API key given to the server; it must never show up in output.
const KEY: &str = "sk-test-DO-NOT-LOG-7f3a9c41";

/// A quarterly bar chart asking for title and narrative; `name` names the dataset (a new name
/// is a new summary, so the answer cache does not interfere).
fn chart(name: &str) -> Value {
    json!({
        "type": "bar",
        "data": { "labels": ["Q1", "Q2", "Q3", "Q4"],
                  "datasets": [{ "label": name, "data": [120, 190, 150, 220] }] },
        "options": { "width": 400, "height": 300, "ai_title": true, "ai_narrative": true }
    })
}

fn good_answer() -> Value {
    json!({ "title": "Revenue climbs to a Q4 high",
            "narrative": "Revenue rose from 120 in Q1 to 220 in Q4, up 83%." })
}

/// The data-driven title and narrative of a spec.
fn data_text(spec: &Value) -> (String, String) {
    let spec = clovicharts::spec::from_value(spec).unwrap();
    (
        clovicharts::insight::data_title(&spec).unwrap(),
        clovicharts::insight::data_narrative(&spec).unwrap(),
    )
}

/// The PNG of `spec` with this title and subtitle, rendered here.
fn render_with(spec: &Value, title: &str, subtitle: &str) -> Vec<u8> {
    let mut spec = clovicharts::spec::from_value(spec).unwrap();
    spec.options.title = Some(title.into());
    spec.options.subtitle = Some(subtitle.into());
    clovicharts::render_spec(&spec, &mut TextShaper::new(), &mut CpuRenderer::new())
        .unwrap()
        .bytes
}

async fn server(llm: LlmConfig) -> TestServer {
    TestServer::start_in(&temp_dir("llm"), move |c| c.llm = llm).await
}

/// Asserts the chart used the data-driven title and narrative, and its image is served.
async fn assert_data_text(s: &TestServer, spec: &Value, body: &Value) {
    let (title, narrative) = data_text(spec);
    assert_eq!(body["title"], title.as_str(), "{body}");
    assert_eq!(body["narrative"], narrative.as_str(), "{body}");
    assert_eq!(body["title_source"], "data", "{body}");
    assert_eq!(body["narrative_source"], "data", "{body}");
    let png = s
        .get_bytes(&format!(
            "/charts/{}.png",
            body["chart_id"].as_str().unwrap()
        ))
        .await;
    assert!(png.starts_with(b"\x89PNG"), "the chart was rendered");
}

#[tokio::test]
async fn an_openai_answer_is_used_and_drawn() {
    let stub = ModelStub::start(Reply::Answer(good_answer())).await;
    let s = server(stub.openai(KEY)).await;
    let spec = chart("Revenue");
    let r = s
        .post_json("/api/charts/generate", &spec)
        .user()
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let narrative_header = r.headers()["x-ai-narrative"].to_str().unwrap().to_owned();
    let b: Value = r.json().await.unwrap();
    let (title, narrative) = (
        good_answer()["title"].clone(),
        good_answer()["narrative"].clone(),
    );
    assert_eq!(b["title"], title);
    assert_eq!(b["narrative"], narrative);
    assert_eq!(b["title_source"], "llm");
    assert_eq!(b["narrative_source"], "llm");
    assert_eq!(narrative_header, narrative.as_str().unwrap());

    // The wire format: bearer key, model, JSON mode, the summary as the user message.
    let seen = stub.last();
    assert_eq!(seen.path, "/v1/chat/completions");
    assert_eq!(
        seen.headers["authorization"],
        format!("Bearer {KEY}").as_str()
    );
    assert_eq!(seen.body["model"], MODEL);
    assert_eq!(seen.body["response_format"]["type"], "json_object");
    let summary: Value =
        serde_json::from_str(seen.body["messages"][1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(summary["series"][0]["name"], "Revenue");
    assert_eq!(
        summary["series"][0]["max"],
        json!({"value": 220, "label": "Q4"})
    );

    // Drawn: the served image is the chart with the model's title and narrative.
    let id = b["chart_id"].as_str().unwrap();
    let png = s.get_bytes(&format!("/charts/{id}.png")).await;
    let t = title.as_str().unwrap();
    let n = narrative.as_str().unwrap();
    assert!(png == render_with(&spec, t, n), "the model's text is drawn");
    let (dt, dn) = data_text(&spec);
    assert!(png != render_with(&spec, &dt, &dn));
    let meta = s.get_json(&format!("/api/charts/{id}")).await;
    assert_eq!(meta["narrative"], narrative);

    let health = s.get("/health").send().await.unwrap().text().await.unwrap();
    let health: Value = serde_json::from_str(&health).unwrap();
    assert_eq!(
        health["llm"],
        json!({"provider": "openai", "model": MODEL, "healthy": true})
    );
    assert!(!health.to_string().contains(KEY));
    s.stop().await;
}

#[tokio::test]
async fn a_gemini_answer_is_used() {
    let stub = ModelStub::start(Reply::Answer(good_answer())).await;
    let s = server(stub.gemini(KEY)).await;
    let b = s.generate(&chart("Revenue")).await;
    assert_eq!(b["title"], good_answer()["title"]);
    assert_eq!(b["narrative_source"], "llm");
    let seen = stub.last();
    assert_eq!(seen.path, format!("/v1beta/models/{MODEL}:generateContent"));
    assert_eq!(seen.headers["x-goog-api-key"], KEY);
    assert!(seen.headers.get("authorization").is_none());
    assert_eq!(
        seen.body["generationConfig"]["responseMimeType"],
        "application/json"
    );
    assert!(
        seen.body["systemInstruction"]["parts"][0]["text"]
            .as_str()
            .unwrap()
            .contains("at most 6 words")
    );
    let summary: Value = serde_json::from_str(
        seen.body["contents"][0]["parts"][0]["text"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(summary["series"][0]["total"], 680);
    s.stop().await;
}

#[tokio::test]
async fn the_prompt_is_a_summary_not_the_data_and_answers_are_cached() {
    let stub = ModelStub::start(Reply::Answer(json!({
        "narrative": "Load peaked at 99.5 and ended at 3.",
    })))
    .await;
    let s = server(stub.openai(KEY)).await;
    let data: Vec<f64> = (0..20_000)
        .map(|i| {
            if i == 10_000 {
                4321.5
            } else {
                f64::from(i % 97)
            }
        })
        .collect();
    let spec = json!({ "type": "line",
        "data": { "datasets": [{ "label": "Load", "data": data }] },
        "options": { "width": 400, "height": 300, "ai_narrative": true, "title": "Load" } });
    let b = s.generate(&spec).await;
    // 99.5 is not in the data: the data-driven narrative is used.
    assert_eq!(b["narrative_source"], "data");
    assert!(
        b.get("title_source").is_none(),
        "a given title is not generated"
    );
    let seen = stub.last();
    assert!(
        seen.size < 4096,
        "prompt of {} bytes for 20,000 points",
        seen.size
    );
    let prompt = seen.body.to_string();
    assert!(prompt.contains("4321.5"), "the peak is in the summary");
    let rules = seen.body["messages"][0]["content"].as_str().unwrap();
    assert!(
        !rules.contains("\"title\""),
        "only the narrative is asked for: {rules}"
    );
    // The same chart again: the answer comes from the cache.
    s.generate(&spec).await;
    assert_eq!(stub.calls(), 1);
    s.stop().await;
}

#[tokio::test]
async fn every_failure_falls_back_to_the_data_and_the_render_succeeds() {
    let stub = ModelStub::start(Reply::Status(500)).await;
    let mut llm = stub.openai(KEY);
    llm.breaker_failures = 0; // one case after another, without the breaker skipping calls
    llm.timeout = Duration::from_secs(5);
    let s = server(llm).await;
    let cases = [
        ("http 500", Reply::Status(500)),
        ("http 429", Reply::TooMany(1)),
        ("http 401", Reply::Status(401)),
        ("broken body", Reply::BrokenBody),
        (
            "prose, not JSON",
            Reply::Text("The title should be Revenue".into()),
        ),
        ("a JSON array", Reply::Text("[1, 2]".into())),
        (
            "wrong types",
            Reply::Answer(json!({"title": 42, "narrative": ["a"]})),
        ),
        (
            "two sentences, 7 words",
            Reply::Answer(json!({"title": "A title that has seven words here",
                                  "narrative": "Revenue rose. It peaked in Q4."})),
        ),
    ];
    for (i, (name, reply)) in cases.into_iter().enumerate() {
        stub.set(reply);
        let spec = chart(&format!("Revenue {name} {i}"));
        let b = s.generate(&spec).await;
        assert_data_text(&s, &spec, &b).await;
    }

    // Field by field: an invented number costs only the narrative, a 12-word title only the
    // title.
    stub.set(Reply::Answer(
        json!({"title": "Revenue climbs", "narrative": "Revenue hit 999 in Q4."}),
    ));
    let b = s.generate(&chart("Sales")).await;
    assert_eq!(b["title"], "Revenue climbs");
    assert_eq!(b["title_source"], "llm");
    assert_eq!(b["narrative"], data_text(&chart("Sales")).1.as_str());
    assert_eq!(b["narrative_source"], "data");
    stub.set(Reply::Answer(json!({
        "title": "One two three four five six seven eight nine ten eleven twelve",
        "narrative": "Sales rose from 120 in Q1 to 220 in Q4."})));
    let b = s.generate(&chart("Sales 2")).await;
    assert_eq!(b["title"], data_text(&chart("Sales 2")).0.as_str());
    assert_eq!(b["title_source"], "data");
    assert_eq!(b["narrative"], "Sales rose from 120 in Q1 to 220 in Q4.");
    assert_eq!(b["narrative_source"], "llm");
    s.stop().await;
}

#[tokio::test]
async fn a_slow_model_is_cut_off_at_the_timeout() {
    let stub = ModelStub::start(Reply::Slow(Duration::from_secs(30), good_answer())).await;
    let mut llm = stub.openai(KEY);
    llm.timeout = Duration::from_millis(300);
    let s = server(llm).await;
    let spec = chart("Revenue");
    s.generate(&spec).await; // warm up the render path (fonts, pool)
    let spec = chart("Revenue again");
    let start = Instant::now();
    let b = s.generate(&spec).await;
    let took = start.elapsed();
    eprintln!("generate with a model that sleeps 30 s and a 300 ms timeout took {took:?}");
    assert_data_text(&s, &spec, &b).await;
    // Generous: far below the model's 30 s, only to show the request did not wait for it.
    assert!(took < Duration::from_secs(10), "took {took:?}");
    s.stop().await;
}

#[tokio::test]
async fn the_breaker_opens_after_failures_and_closes_after_a_good_probe() {
    let stub = ModelStub::start(Reply::Status(503)).await;
    let mut llm = stub.openai(KEY);
    llm.breaker_failures = 2;
    llm.breaker_cooldown = Duration::from_millis(400);
    let s = server(llm).await;
    s.generate(&chart("A")).await;
    s.generate(&chart("A")).await;
    assert_eq!(stub.calls(), 2);
    let health = s.get_json("/health").await;
    assert_eq!(health["llm"]["healthy"], false, "{health}");
    // Open: the model is not called, the data answers.
    let b = s.generate(&chart("A")).await;
    assert_eq!(b["narrative_source"], "data");
    assert_eq!(stub.calls(), 2);
    // After the cool-down one probe goes out; it succeeds and the breaker closes.
    stub.set(Reply::Answer(good_answer()));
    tokio::time::sleep(Duration::from_millis(600)).await;
    let b = s.generate(&chart("Revenue")).await;
    assert_eq!(b["narrative_source"], "llm");
    assert_eq!(stub.calls(), 3);
    assert_eq!(s.get_json("/health").await["llm"]["healthy"], true);
    s.stop().await;
}

#[tokio::test]
async fn a_429_pauses_the_model_for_its_retry_after() {
    let stub = ModelStub::start(Reply::TooMany(30)).await;
    let s = server(stub.openai(KEY)).await;
    let b = s.generate(&chart("A")).await;
    assert_eq!(b["narrative_source"], "data");
    stub.set(Reply::Answer(good_answer()));
    let b = s.generate(&chart("Revenue")).await;
    assert_eq!(b["narrative_source"], "data", "still within Retry-After");
    assert_eq!(stub.calls(), 1);
    assert_eq!(s.get_json("/health").await["llm"]["healthy"], false);
    s.stop().await;
}

#[tokio::test]
async fn recommend_uses_a_valid_answer_and_the_rules_otherwise() {
    let stub = ModelStub::start(Reply::Answer(json!({
        "recommended": "line",
        "reason": "Revenue over 12 distinct months is a trend.",
        "alternatives": ["bar", "sparkline", "bar"],
    })))
    .await;
    let s = server(stub.openai(KEY)).await;
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let sample: Vec<Value> = months
        .iter()
        .enumerate()
        .map(|(i, m)| json!({"period": m, "revenue": 100 + i * 10}))
        .collect();
    let body = json!({"columns": [{"name": "period", "type": "string"},
                                  {"name": "revenue", "type": "number"}],
                      "sample": sample});
    let recommend = |body: &Value| {
        let req = s.post_json("/api/charts/recommend", body).user();
        async move {
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap()
        }
    };
    let r = recommend(&body).await;
    assert_eq!(r["source"], "llm", "{r}");
    assert_eq!(r["recommended"], "line");
    assert_eq!(r["alternatives"], json!(["bar", "sparkline"]));
    let prompt: Value =
        serde_json::from_str(stub.last().body["messages"][1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(prompt["columns"][0]["distinct"], 12);
    assert_eq!(prompt["columns"][1]["max"], 210);
    assert!(
        !prompt.to_string().contains("Dec"),
        "a summary, not the rows"
    );

    // A type outside the 15 (and then an unknown alternative): the rules answer.
    for answer in [
        json!({"recommended": "treemap", "reason": "Nested.", "alternatives": ["bar"]}),
        json!({"recommended": "bar", "reason": "Compare.", "alternatives": ["area"]}),
    ] {
        stub.set(Reply::Answer(answer));
        let mut fresh = body.clone();
        fresh["columns"][0]["name"] = json!(format!("period {}", stub.calls()));
        let rules = clovicharts::insight::recommend_request(&fresh).unwrap();
        let r = recommend(&fresh).await;
        assert_eq!(r["source"], "data", "{r}");
        assert_eq!(r["recommended"], rules.recommended.as_str());
    }
    s.stop().await;
}

#[tokio::test]
async fn without_a_provider_nothing_is_called() {
    let s = server(LlmConfig::default()).await;
    let b = s.generate(&chart("Revenue")).await;
    assert_data_text(&s, &chart("Revenue"), &b).await;
    let health = s.get_json("/health").await;
    assert_eq!(
        health["llm"],
        json!({"provider": null, "model": null, "healthy": true})
    );
    s.stop().await;
}

/// Reads a child's pipe to the end on a thread.
fn drain(pipe: Option<impl std::io::Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_string(&mut text);
        }
        text
    })
}

#[tokio::test]
async fn the_key_never_appears_in_the_logs() {
    let stub = ModelStub::start(Reply::Answer(good_answer())).await;
    let dir = temp_dir("llm-logs");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let stub_url = format!("{}/v1", stub.base);
    let mut child = spawn_binary_with(
        &dir,
        port,
        &[
            ("LLM_PROVIDER", "openai"),
            ("LLM_BASE_URL", &stub_url),
            ("LLM_API_KEY", KEY),
            ("LLM_MODEL", MODEL),
            ("LLM_TIMEOUT_MS", "300"),
            ("LLM_BREAKER_FAILURES", "0"),
            ("RUST_LOG", "trace"),
        ],
        true,
    );
    let (out, err) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let client = reqwest::Client::new();
    wait_ready(&client, &base).await;
    let replies = [
        Reply::Answer(good_answer()),
        Reply::Status(500),
        Reply::Status(401),
        Reply::TooMany(5),
        Reply::BrokenBody,
        Reply::Text("not json".into()),
        Reply::Answer(json!({"title": "Up", "narrative": "Revenue hit 999."})),
        Reply::Slow(Duration::from_secs(5), good_answer()),
    ];
    let mut health = String::new();
    for (i, reply) in replies.into_iter().enumerate() {
        stub.set(reply);
        let r = client
            .post(format!("{base}/api/charts/generate"))
            .user()
            .json(&chart(&format!("Revenue {i}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let r = client
            .post(format!("{base}/api/charts/recommend"))
            .user()
            .json(&json!({"columns": [{"name": format!("c{i}"), "type": "number"}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        health.push_str(
            &client
                .get(format!("{base}/health"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
    }
    assert!(stub.calls() >= 8);
    child.kill().unwrap();
    child.wait().unwrap();
    let logs = format!("{}{}", out.join().unwrap(), err.join().unwrap());
    assert!(
        logs.contains("model call failed"),
        "the failures were logged (so the capture works)"
    );
    assert!(logs.contains("language model enabled"));
    assert!(!logs.contains(KEY), "the key leaked into the logs");
    assert!(
        !logs.contains("DO-NOT-LOG"),
        "part of the key leaked into the logs"
    );
    assert!(!health.contains(KEY));
    eprintln!("checked {} bytes of trace-level logs", logs.len());
}

/// For the report: 20 generates against a model that sleeps past the timeout, with the model
/// off, on (breaker off: every request waits out the timeout) and on with the default breaker.
/// `cargo test --release --test http llm::latency -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "a measurement, not a check"]
async fn latency_against_a_slow_model() {
    let stub = ModelStub::start(Reply::Slow(Duration::from_secs(30), good_answer())).await;
    let timeout = Duration::from_millis(500);
    let mut on = stub.openai(KEY);
    on.timeout = timeout;
    on.breaker_failures = 0;
    let mut breaker = stub.openai(KEY);
    breaker.timeout = timeout;
    for (name, llm) in [
        ("model off", LlmConfig::default()),
        ("slow model, breaker off", on),
        ("slow model, default breaker", breaker),
    ] {
        let s = server(llm).await;
        s.generate(&chart("warm-up")).await;
        let mut ms = Vec::new();
        for i in 0..20 {
            let start = Instant::now();
            s.generate(&chart(&format!("Revenue {i}"))).await;
            ms.push(start.elapsed().as_secs_f64() * 1e3);
        }
        ms.sort_by(f64::total_cmp);
        let p = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1];
        eprintln!(
            "{name:>28}: p50 {:7.1} ms  p99 {:7.1} ms  min {:7.1} ms  (timeout {} ms)",
            p(0.5),
            p(0.99),
            ms[0],
            timeout.as_millis()
        );
        s.stop().await;
    }
}
