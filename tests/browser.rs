//! The web app in a real browser: starts the real `clovicharts serve` binary on 127.0.0.1 and runs
//! `tests/browser/flow.mjs` (playwright-core driving headless Debian Chromium) against it:
//! register, build from an example, preview, save, My charts, create and revoke a key, and
//! screenshots at 1400 and 390 px in `tests/browser/artifacts/` (`failure.png` when a step fails).
//!
//! Reports as ignored, saying why, when Chromium or `tests/browser/node_modules` is missing;
//! install both with `tests/browser/setup.sh`. Set `BROWSER_TEST_REQUIRED=1` (CI) to make that
//! a failure.

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

/// Why the flow cannot run here (Chromium, playwright-core or node missing), if it cannot.
fn missing_prerequisite(dir: &Path) -> Option<String> {
    if chromium().is_none() {
        return Some("no Chromium at /usr/bin/chromium (or $CHROMIUM)".into());
    }
    if !dir.join("node_modules/playwright-core").is_dir() {
        return Some("tests/browser/node_modules/playwright-core is not installed".into());
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".into());
    }
    None
}

/// libtest-mimic's harness, so that without Chromium the flow reports as *ignored*, saying why,
/// not as passed. `BROWSER_TEST_REQUIRED=1` (CI) turns a missing prerequisite into a failure.
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let missing = missing_prerequisite(&dir);
    if let Some(reason) = &missing {
        if std::env::var_os("BROWSER_TEST_REQUIRED").is_some() {
            panic!("browser test required but cannot run: {reason}");
        }
        eprintln!("ignored: browser flow: {reason} (run tests/browser/setup.sh)");
    }
    let trial = libtest_mimic::Trial::test("web_app_flow_in_headless_chromium", move || {
        web_app_flow_in_headless_chromium(&dir);
        Ok(())
    })
    .with_ignored_flag(missing.is_some());
    libtest_mimic::run(&args, vec![trial]).exit();
}

fn web_app_flow_in_headless_chromium(dir: &Path) {
    let chromium = chromium().expect("checked before the trial");
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
            .env("AUTH_JWT_SECRET", "browser-test-auth-secret-0123456789")
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
        .current_dir(dir)
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
