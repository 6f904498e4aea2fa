//! Restart and crash durability: the gallery survives a restart, and a `kill -9` in the middle
//! of a stream of generates leaves only complete charts and no temp files.

use crate::harness::{
    Authed as _, TestServer, bar_spec, free_port, spawn_binary, spawn_binary_with, temp_dir,
    wait_ready,
};
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};

#[tokio::test]
async fn gallery_metadata_and_images_survive_a_restart() {
    let dir = temp_dir("restart");
    let s = TestServer::start_in(&dir, |_| {}).await;
    let b: Value = s.generate(&bar_spec()).await;
    let id = b["chart_id"].as_str().unwrap().to_owned();
    let image = s.get_bytes(&format!("/charts/{id}.png")).await;
    s.stop().await;

    let s = TestServer::start_in(&dir, |_| {}).await;
    let g: Value = s.get_json("/api/charts/gallery").await;
    assert_eq!(g["total"], 1);
    assert_eq!(g["charts"][0]["chart_id"], id.as_str());
    let meta: Value = s.get_json(&format!("/api/charts/{id}")).await;
    assert_eq!(meta["title"], "Quarterly Revenue");
    let again = s.get_bytes(&format!("/charts/{id}.png")).await;
    assert_eq!(again, image);
    s.stop().await;
}

#[tokio::test]
async fn kill_9_during_generates_leaves_only_complete_charts() {
    let dir = temp_dir("crash");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut child = spawn_binary(&dir, port);
    wait_ready(&client, &base).await;

    // Eight clients generating continuously; kill -9 the server while they run.
    let body = serde_json::to_vec(&bar_spec()).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let client = client.clone();
        let url = format!("{base}/api/charts/generate");
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            let mut ok = 0u32;
            for _ in 0..500 {
                let r = client
                    .post(&url)
                    .user()
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 200 => ok += 1,
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            ok
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let mut acknowledged = 0;
    for t in tasks {
        acknowledged += t.await.unwrap();
    }
    assert!(acknowledged > 0, "no chart was generated before the kill");

    // One instance on its own directory: nothing else can have a save in flight, so the
    // restart's sweep may remove leftovers at once instead of after the grace period.
    let mut child = spawn_binary_with(&dir, port, &[("STORAGE_SWEEP_GRACE_SECS", "0")], false);
    wait_ready(&client, &base).await;
    let g: Value = client
        .get(format!("{base}/api/charts/gallery?limit=100"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let total = g["total"].as_u64().unwrap();
    assert!(
        total >= u64::from(acknowledged),
        "every acknowledged chart is durable: {total} < {acknowledged}"
    );
    let mut offset = 0;
    while offset < total {
        let page: Value = client
            .get(format!(
                "{base}/api/charts/gallery?limit=100&offset={offset}"
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for c in page["charts"].as_array().unwrap() {
            let id = c["chart_id"].as_str().unwrap();
            let img = client
                .get(format!("{base}/charts/{id}.png"))
                .send()
                .await
                .unwrap();
            assert_eq!(img.status(), 200, "image of {id}");
            assert!(!img.bytes().await.unwrap().is_empty());
            let meta = client
                .get(format!("{base}/charts/{id}.json"))
                .send()
                .await
                .unwrap();
            assert_eq!(meta.status(), 200, "metadata of {id}");
            let _: Value = meta.json().await.unwrap();
        }
        offset += 100;
    }
    let charts_dir = dir.join("charts");
    let leftovers: Vec<String> = std::fs::read_dir(&charts_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
    // Every uuid file on disk belongs to a listed chart (orphans were swept).
    let stems: std::collections::HashSet<String> = std::fs::read_dir(&charts_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("example_"))
        .filter_map(|n| n.split('.').next().map(str::to_owned))
        .collect();
    assert_eq!(stems.len() as u64, total, "files on disk match the rows");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn sigterm_finishes_in_flight_requests_then_exits() {
    let dir = temp_dir("sigterm");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut child = spawn_binary(&dir, port);
    wait_ready(&client, &base).await;
    // Twelve heavy renders on two workers. SIGTERM goes out as soon as the first is answered, so
    // the others are rendering or queued: every request the server accepted must still get its
    // chart; only connections it never accepted may fail, and only to connect.
    let points: Vec<Value> = (0..40_000)
        .map(|i| serde_json::json!({"x": i, "y": (i * 7919) % 1000}))
        .collect();
    let spec = serde_json::json!({"type": "scatter", "data": {"datasets": [{"data": points}]},
        "options": {"width": 2400, "height": 1600}});
    let body = serde_json::to_vec(&spec).unwrap();
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut in_flight = Vec::new();
    for _ in 0..12 {
        let req = client
            .post(format!("{base}/api/charts/generate"))
            .user()
            .header("content-type", "application/json")
            .body(body.clone());
        let done = done_tx.clone();
        in_flight.push(tokio::spawn(async move {
            let r = req.send().await;
            let _ = done.send(());
            r
        }));
    }
    done_rx.recv().await.unwrap();
    let signalled = Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut ids = Vec::new();
    for t in in_flight {
        match t.await.unwrap() {
            Ok(response) => {
                assert_eq!(response.status(), 200, "accepted requests are finished");
                let body: Value = response.json().await.unwrap();
                ids.push(body["chart_id"].as_str().unwrap().to_owned());
            }
            Err(e) => assert!(e.is_connect(), "only unaccepted connections may fail: {e}"),
        }
    }
    assert!(
        ids.len() >= 2,
        "at least one request was drained after SIGTERM"
    );
    let exit = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(exit.success(), "clean exit after SIGTERM: {exit:?}");
    eprintln!(
        "answered {} requests, drained for {:?} after SIGTERM",
        ids.len(),
        signalled.elapsed()
    );
    for id in ids {
        assert!(dir.join("charts").join(format!("{id}.png")).exists());
    }
    // New connections are refused once it has stopped.
    assert!(client.get(format!("{base}/health")).send().await.is_err());
}
