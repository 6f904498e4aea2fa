//! The hostile-body corpus (`tests/hostile/bodies/`, written by `tests/hostile/generate.py`)
//! replayed against a real server: no answer is a 5xx other than a 503 for load, none takes
//! longer than the render deadline allows, and the server serves normally afterwards.

use crate::harness::{Authed as _, TestServer, bar_spec};
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Bodies replayed at once: enough to queue behind both workers.
const CONCURRENCY: usize = 4;
/// The deadline the server runs with here.
const TIMEOUT_MS: u64 = 5_000;
/// Longest answer accepted: the deadline, plus body parsing and a debug build's slack.
const HANG: Duration = Duration::from_millis(TIMEOUT_MS + 10_000);

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/bodies");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[tokio::test]
async fn the_hostile_corpus_gets_no_server_errors_and_no_hangs() {
    let bodies = corpus();
    assert!(bodies.len() >= 500, "{} bodies", bodies.len());
    let data = crate::common::temp_dir("hostile");
    let s = TestServer::start_in(&data, |c| c.render_timeout_ms = TIMEOUT_MS).await;
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let mut tasks = tokio::task::JoinSet::new();
    for (name, body) in bodies {
        let permit = sem.clone().acquire_owned().await.unwrap();
        let client = s.client.clone();
        let url = s.url("/api/charts/generate");
        tasks.spawn(async move {
            let t0 = Instant::now();
            let sent = tokio::time::timeout(
                HANG,
                client
                    .post(url)
                    .user()
                    .header("content-type", "application/json")
                    .body(body)
                    .send(),
            )
            .await;
            let elapsed = t0.elapsed();
            drop(permit);
            let Ok(Ok(r)) = sent else {
                return Err(format!("{name}: no answer within {HANG:?}"));
            };
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap_or(Value::Null);
            let code = body["code"].as_str().unwrap_or("").to_owned();
            if status >= 500 && !(status == 503 && code == "OVERLOADED") {
                return Err(format!("{name}: {status} {body}"));
            }
            if status >= 400 && code.is_empty() {
                return Err(format!("{name}: {status} without a JSON code"));
            }
            Ok((status, elapsed))
        });
    }
    let results = tasks.join_all().await;
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failures.is_empty(),
        "{} failures: {failures:#?}",
        failures.len()
    );
    let ok = results
        .iter()
        .flatten()
        .filter(|(st, _)| *st == 200)
        .count();
    // The corpus is mostly refusals, but its valid charts do render.
    assert!(ok > 100, "{ok} rendered");
    let r = s
        .client
        .post(s.url("/api/charts/generate"))
        .user()
        .json(&bar_spec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    s.stop().await;
}
