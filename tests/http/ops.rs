//! Operator basics against the real binary: the `CORS_ORIGINS` allow-list, and logs written to
//! a file (stderr is not a terminal) — plain text without ANSI escapes, or with `LOG_FORMAT=json`
//! one JSON object per line.

use crate::harness::{INTERNAL, JWT, free_port, temp_dir, wait_ready};
use serde_json::Value;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The binary, killed when the test ends.
struct Binary {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Binary {
    /// `clovicharts serve` with `env`, stderr written to a file (so it is not a terminal).
    async fn start(env: &[(&str, &str)]) -> Binary {
        let data = temp_dir("ops");
        let log = data.join("stderr.log");
        let port = free_port();
        let child = command(&data, port, env, &log).spawn().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        wait_ready(&reqwest::Client::new(), &base).await;
        Binary { child, base, log }
    }

    /// The log so far, after giving the writer a moment to finish the last lines.
    async fn log(&self) -> String {
        tokio::time::sleep(Duration::from_millis(200)).await;
        std::fs::read_to_string(&self.log).unwrap()
    }
}

fn command(data: &Path, port: u16, env: &[(&str, &str)], log: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_clovicharts"));
    c.arg("serve")
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("DATA_DIR", data)
        .env("JWT_SECRET", JWT)
        .env("INTERNAL_SECRET", INTERNAL)
        .env("RATE_LIMIT_PER_MIN", "0")
        .env("CLOVICHARTS_BACKEND", "cpu")
        .env("RUST_LOG", "info")
        .env_remove("LOG_FORMAT")
        .env_remove("CORS_ORIGINS")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(File::create(log).unwrap());
    c
}

fn cors_headers(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

fn header<'a>(r: &'a reqwest::Response, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .map_or("", |v| v.to_str().unwrap_or(""))
}

#[tokio::test]
async fn cors_answers_listed_origins_only() {
    let app = "https://app.example.com";
    let bin = Binary::start(&[(
        "CORS_ORIGINS",
        "https://app.example.com, http://localhost:5173",
    )])
    .await;
    let client = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", bin.base);

    let r = client
        .get(url("/api/chart-types"))
        .header("origin", app)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "access-control-allow-origin"), app);
    assert!(header(&r, "access-control-expose-headers").contains("x-chart-id"));
    assert!(
        r.headers()
            .get("access-control-allow-credentials")
            .is_none()
    );

    // An error answer is readable too, so a page can show why.
    let r = client
        .post(url("/api/charts/generate"))
        .header("origin", "http://localhost:5173")
        .json(&serde_json::json!({"type": "bar"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        header(&r, "access-control-allow-origin"),
        "http://localhost:5173"
    );

    let preflight = |origin: &'static str| {
        client
            .request(reqwest::Method::OPTIONS, url("/api/charts/generate"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type, x-api-key")
            .send()
    };
    let r = preflight(app).await.unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(header(&r, "access-control-allow-origin"), app);
    assert!(header(&r, "access-control-allow-methods").contains("POST"));
    assert!(
        header(&r, "access-control-allow-headers")
            .to_ascii_lowercase()
            .contains("x-api-key")
    );
    assert_eq!(header(&r, "access-control-max-age"), "600");

    for origin in [
        "https://evil.example",
        "https://app.example.com.evil.example",
    ] {
        let r = preflight(origin).await.unwrap();
        assert_eq!(cors_headers(&r), Vec::<String>::new(), "preflight {origin}");
        let r = client
            .get(url("/api/chart-types"))
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(cors_headers(&r), Vec::<String>::new(), "GET from {origin}");
    }
}

#[tokio::test]
async fn a_bad_cors_origin_stops_the_start() {
    let data = temp_dir("ops-bad");
    let log = data.join("stderr.log");
    for bad in ["app.example.com", "https://app.example.com/path", "ftp://x"] {
        let status = command(&data, free_port(), &[("CORS_ORIGINS", bad)], &log)
            .status()
            .unwrap();
        assert!(!status.success(), "{bad} accepted");
        let text = std::fs::read_to_string(&log).unwrap();
        assert!(text.contains("CORS_ORIGINS"), "{bad}: {text}");
    }
}

#[tokio::test]
async fn json_logs_are_one_object_per_line() {
    let bin = Binary::start(&[("LOG_FORMAT", "json")]).await;
    let client = reqwest::Client::new();
    let r = client
        .get(format!("{}/api/nope", bin.base))
        .header("origin", "https://app.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Without CORS_ORIGINS no origin gets CORS headers.
    assert_eq!(cors_headers(&r), Vec::<String>::new());

    let log = bin.log().await;
    assert!(!log.contains('\u{1b}'), "ANSI escape in a JSON log:\n{log}");
    let lines: Vec<Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(line.is_object(), "{line}");
        assert!(
            line["timestamp"].is_string() && line["level"].is_string(),
            "{line}"
        );
    }
    let request = lines
        .iter()
        .find(|l| l["message"] == "request" && l["path"] == "/api/nope")
        .unwrap_or_else(|| panic!("no request line for /api/nope in:\n{log}"));
    assert_eq!(request["status"], 404);
    assert_eq!(request["method"], "GET");
}

#[tokio::test]
async fn text_logs_in_a_file_have_no_ansi_escapes() {
    let bin = Binary::start(&[]).await;
    let r = reqwest::get(format!("{}/api/nope", bin.base))
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let log = bin.log().await;
    assert!(
        log.lines()
            .any(|l| l.contains("request") && l.contains("/api/nope")),
        "no request line in:\n{log}"
    );
    assert!(!log.contains('\u{1b}'), "ANSI escape in a log file:\n{log}");
}
