//! Issue 13's connection, auth, disk and readiness attacks against the real binary on
//! 127.0.0.1: slowloris heads, idle-connection floods, a declared 10 GB body, slow and
//! over-budget bodies, 60 parallel wrong passwords, a full disk, SIGTERM with a half-sent
//! request, and `/readyz` while the pool cannot render.

use crate::harness::{Authed as _, bar_spec, free_port, session, spawn_binary_with, temp_dir};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// The real binary, killed when dropped.
struct Binary {
    child: Child,
    port: u16,
    base: String,
    client: reqwest::Client,
}

impl Binary {
    /// Starts `clovicharts serve` on `data` with `env` and waits until `/livez` answers.
    async fn start(data: &Path, env: &[(&str, &str)]) -> Binary {
        let port = free_port();
        let child = spawn_binary_with(data, port, env, false);
        let b = Binary {
            child,
            port,
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if b.client
                .get(b.url("/livez"))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                return b;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server on {data:?} did not come up");
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn tcp(&self) -> TcpStream {
        TcpStream::connect(("127.0.0.1", self.port)).await.unwrap()
    }

    /// `GET path` as JSON, with its status.
    async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.client.get(self.url(path)).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    async fn generate(&self, spec: &Value) -> reqwest::Response {
        self.client
            .post(self.url("/api/charts/generate"))
            .user()
            .header("content-type", "application/json")
            .body(serde_json::to_vec(spec).unwrap())
            .send()
            .await
            .unwrap()
    }

    fn terminate(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -TERM failed");
    }

    /// Waits up to `limit` for the process to exit; its status, or `None` if it still runs.
    async fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads until the peer closes or `limit` passes; the text read and whether it closed.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + limit;
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&out).into_owned(), true),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&out).into_owned(), false),
        }
    }
}

/// The JSON body of a raw HTTP/1.1 response.
fn body_of(response: &str) -> Value {
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(body).unwrap_or(Value::Null)
}

fn status_of(response: &str) -> u16 {
    response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn slowloris_heads_are_dropped_within_the_header_timeout() {
    let s = Binary::start(&temp_dir("slowloris"), &[]).await;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..20 {
        let mut c = s.tcp().await;
        tasks.push(tokio::spawn(async move {
            c.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
                .await
                .unwrap();
            // One header byte a second, never the blank line that ends the head.
            for _ in 0..40 {
                tokio::time::sleep(Duration::from_millis(1000)).await;
                if c.write_all(format!("X-{i}: a\r\n").as_bytes())
                    .await
                    .is_err()
                {
                    break;
                }
                let mut probe = [0u8; 1];
                let read = tokio::time::timeout(Duration::from_millis(1), c.read(&mut probe));
                if read.await.is_ok() {
                    break;
                }
            }
            let (_, closed) = read_until_closed(&mut c, Duration::from_secs(5)).await;
            (closed, start.elapsed())
        }));
    }
    // Meanwhile others are served.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(s.get("/livez").await.0, 200);
    assert_eq!(s.generate(&bar_spec()).await.status(), 200);
    for t in tasks {
        let (closed, after) = t.await.unwrap();
        assert!(closed, "a slowloris connection was not closed");
        assert!(after < Duration::from_secs(30), "closed after {after:?}");
    }
}

#[tokio::test]
async fn an_idle_flood_over_the_caps_does_not_lock_out_new_clients() {
    let s = Binary::start(
        &temp_dir("idleflood"),
        &[
            ("MAX_CONNECTIONS", "200"),
            ("MAX_CONNECTIONS_PER_ADDRESS", "50"),
        ],
    )
    .await;
    let mut idle = Vec::new();
    for _ in 0..400 {
        idle.push(s.tcp().await);
    }
    let start = Instant::now();
    let (status, health) = s.get("/health").await;
    assert_eq!(status, 200, "{health}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    // The oldest idle ones were closed to make room: at most the per-address cap stay open.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut open = 0;
    for c in &mut idle {
        let mut b = [0u8; 1];
        if tokio::time::timeout(Duration::from_millis(2), c.read(&mut b))
            .await
            .is_err()
        {
            open += 1;
        }
    }
    assert!(open <= 50, "{open} idle connections still open");
}

#[tokio::test]
async fn a_declared_10_gb_body_is_refused_before_it_is_read() {
    let s = Binary::start(&temp_dir("10gb"), &[]).await;
    let mut c = s.tcp().await;
    let start = Instant::now();
    c.write_all(
        b"POST /api/charts/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 10737418240\r\n\r\n{\"type\":",
    )
    .await
    .unwrap();
    let (response, closed) = read_until_closed(&mut c, Duration::from_secs(5)).await;
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(status_of(&response), 413, "{response}");
    assert_eq!(
        body_of(&response)["code"],
        "PAYLOAD_TOO_LARGE",
        "{response}"
    );
    assert!(closed, "the connection is closed, not drained");
}

#[tokio::test]
async fn a_stalled_body_is_408_and_an_over_budget_body_503_before_it_is_read() {
    let s = Binary::start(
        &temp_dir("intake"),
        &[("BODY_READ_TIMEOUT_MS", "1500"), ("MEMORY_BUDGET_MB", "64")],
    )
    .await;
    // 6 MB declared reserves 48 MB of the 64 MB budget (8 bytes per body byte) while it trickles.
    let mut holder = s.tcp().await;
    let head = format!(
        "POST /api/charts/generate HTTP/1.1\r\nHost: x\r\nCookie: {}\r\n\
         Content-Type: application/json\r\nContent-Length: 6000000\r\n\r\n{{\"type\":\"bar\",",
        session(42, "user")
    );
    holder.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let start = Instant::now();
    let r = s
        .client
        .post(s.url("/api/charts/generate"))
        .user()
        .header("content-type", "application/json")
        .body(vec![b' '; 3_000_000])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["code"], "OVERLOADED", "{b}");
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    // The stalled one is answered 408 at its body deadline, and its reservation is released.
    let (response, closed) = read_until_closed(&mut holder, Duration::from_secs(10)).await;
    assert_eq!(status_of(&response), 408, "{response}");
    assert_eq!(body_of(&response)["code"], "REQUEST_TIMEOUT", "{response}");
    assert!(closed);
    assert_eq!(s.generate(&bar_spec()).await.status(), 200);
}

#[tokio::test]
async fn sixty_parallel_wrong_passwords_are_verified_at_most_six_times() {
    let s = Binary::start(&temp_dir("bruteforce"), &[]).await;
    let r = s
        .client
        .post(s.url("/api/auth/register"))
        .json(&json!({ "email": "victim@example.com", "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let mut tasks = Vec::new();
    for i in 0..60 {
        let client = s.client.clone();
        let url = s.url("/api/auth/login");
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({ "email": "victim@example.com", "password": format!("wrong guess {i}") }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut by_status = std::collections::BTreeMap::<u16, usize>::new();
    for t in tasks {
        *by_status.entry(t.await.unwrap()).or_default() += 1;
    }
    // Only a verified password answers 401; the rest are refused before argon2 runs.
    let verified = by_status.get(&401).copied().unwrap_or(0);
    assert!(verified <= 6, "{by_status:?}");
    assert!(verified >= 1, "{by_status:?}");
    assert_eq!(
        by_status
            .keys()
            .filter(|s| ![401, 429, 503].contains(s))
            .count(),
        0,
        "{by_status:?}"
    );
}

/// A tmpfs of `size` mounted on a fresh directory, unmounted when dropped; `None` (the test
/// then skips, saying why) when this process may not mount.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = temp_dir("tmpfs");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!(
                "SKIPPED: cannot mount a tmpfs on {}: {}",
                dir.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return None;
        }
        Some(Tmpfs(dir))
    }

    /// Fills the file system with a filler file until it is full.
    fn fill(&self) {
        use std::io::Write as _;
        let mut f = std::fs::File::create(self.0.join("filler")).unwrap();
        let block = vec![0xa5u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let small = [0u8; 512];
        while f.write_all(&small).is_ok() {}
        let _ = f.flush();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[tokio::test]
async fn a_full_disk_is_507_with_nothing_partial_and_reads_keep_working() {
    let Some(fs) = Tmpfs::mount("3m") else {
        return;
    };
    let data = fs.0.join("data");
    let s = Binary::start(&data, &[("RENDER_CACHE_MB", "0")]).await;
    let before = s.generate(&bar_spec()).await;
    assert_eq!(before.status(), 200);
    let first: Value = before.json().await.unwrap();
    let id = first["chart_id"].as_str().unwrap().to_owned();
    fs.fill();

    let mut codes = Vec::new();
    for i in 0..5 {
        let mut spec = bar_spec();
        spec["options"]["title"] = json!(format!("after the disk filled {i}"));
        let r = s.generate(&spec).await;
        let status = r.status().as_u16();
        let b: Value = r.json().await.unwrap_or(Value::Null);
        codes.push((status, b["code"].as_str().unwrap_or("").to_owned()));
    }
    assert!(
        codes
            .iter()
            .all(|(st, c)| *st == 507 && c == "INSUFFICIENT_STORAGE"),
        "{codes:?}"
    );
    // Reads keep working, and nothing of the refused charts is on disk.
    let (st, meta) = s.get(&format!("/api/charts/{id}")).await;
    assert_eq!(st, 200, "{meta}");
    let image = s
        .client
        .get(s.url(&format!("/charts/{id}.png")))
        .send()
        .await
        .unwrap();
    assert_eq!(image.status(), 200);
    let (_, gallery) = s.get("/api/charts/gallery").await;
    assert_eq!(gallery["total"], 1, "{gallery}");
    let stored = count_chart_files(&data.join("charts"));
    assert_eq!(
        stored, 2,
        "one chart's image and metadata, no partial files"
    );
    let (st, ready) = s.get("/readyz").await;
    assert_eq!(st, 503, "{ready}");
    assert_eq!(st, s.get("/health").await.0, "/health says the same");
    drop(s);

    // A restart on the full disk serves reads and says why writes fail.
    let s = Binary::start(&data, &[("RENDER_CACHE_MB", "0")]).await;
    let (st, meta) = s.get(&format!("/api/charts/{id}")).await;
    assert_eq!(st, 200, "{meta}");
    let (st, ready) = s.get("/readyz").await;
    assert_eq!(st, 503, "{ready}");
    let why = ready["checks"]["store"]["error"]
        .as_str()
        .unwrap_or("")
        .to_owned()
        + ready["checks"]["disk"]["error"].as_str().unwrap_or("");
    assert!(why.contains("full") || why.contains("free"), "{ready}");
    let r = s.generate(&bar_spec()).await;
    assert_eq!(r.status(), 507);
    drop(s);
    drop(fs);
}

fn count_chart_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !name.starts_with("example_")
        })
        .count()
}

#[tokio::test]
async fn sigterm_with_a_half_sent_request_exits_within_the_grace() {
    let mut s = Binary::start(&temp_dir("sigterm"), &[("SHUTDOWN_GRACE_MS", "2000")]).await;
    // One connection mid-head, one mid-body, one idle keep-alive.
    let mut head = s.tcp().await;
    head.write_all(b"POST /api/charts/generate HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut body = s.tcp().await;
    let half = format!(
        "POST /api/charts/generate HTTP/1.1\r\nHost: x\r\nCookie: {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"type\":",
        session(42, "user")
    );
    body.write_all(half.as_bytes()).await.unwrap();
    let _idle = s.tcp().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let start = Instant::now();
    s.terminate();
    let status = s.wait_exit(Duration::from_secs(8)).await;
    let took = start.elapsed();
    let status = status.unwrap_or_else(|| panic!("still running {took:?} after SIGTERM"));
    assert!(status.success(), "{status:?}");
    assert!(took < Duration::from_secs(5), "exit took {took:?}");
}

#[tokio::test]
async fn readyz_is_503_naming_the_render_check_while_the_pool_cannot_render() {
    let s = Binary::start(
        &temp_dir("readyz"),
        &[
            ("RENDER_WORKERS", "1"),
            ("READY_RENDER_TIMEOUT_MS", "300"),
            ("RENDER_CACHE_MB", "0"),
            ("CLOVICHARTS_DEBUG_PANIC", "1"),
        ],
    )
    .await;
    let (st, ready) = s.get("/readyz").await;
    assert_eq!(st, 200, "{ready}");
    assert_eq!(ready["status"], "ready");
    // Keep the only worker busy: the slow test hook holds it 1.5 s a chart, far past the
    // canary's 300 ms, on a machine of any speed.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut load = Vec::new();
    for k in 0..3 {
        let client = s.client.clone();
        let url = s.url("/api/charts/generate");
        let stop = stop.clone();
        load.push(tokio::spawn(async move {
            let mut i = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                i += 1;
                let spec = json!({"type": "bar",
                    "data": {"labels": ["a", "b"], "datasets": [{"data": [k, i]}]},
                    "options": {"title": clovicharts::render_pool::DEBUG_SLOW_TITLE}});
                let _ = client
                    .post(&url)
                    .user()
                    .header("content-type", "application/json")
                    .body(serde_json::to_vec(&spec).unwrap())
                    .send()
                    .await;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut unavailable = None;
    for _ in 0..10 {
        let (st, ready) = s.get("/readyz").await;
        if st == 503 {
            unavailable = Some(ready);
            break;
        }
    }
    let ready = unavailable.expect("/readyz stayed 200 while the pool was saturated");
    assert_eq!(ready["code"], "NOT_READY", "{ready}");
    assert_eq!(ready["checks"]["render"]["ok"], false, "{ready}");
    assert!(
        ready["details"]["failing"]
            .as_array()
            .unwrap()
            .contains(&json!("render")),
        "{ready}"
    );
    assert_eq!(s.get("/livez").await.0, 200, "the process itself is alive");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in load {
        t.await.unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (st, ready) = s.get("/readyz").await;
        if st == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "not ready again: {ready}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
