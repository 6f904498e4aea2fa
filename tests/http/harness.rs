//! Starting servers (in-process or as the real binary) and small request helpers.

use clovicharts::api::{AppState, auth};
use clovicharts::config::{Config, Secret};
use clovicharts::render::Backend;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

pub(crate) const JWT: &str = "test-jwt-secret-0123456789";
pub(crate) const INTERNAL: &str = "internal-secret-abcdef";

/// A server running in this process on an ephemeral port.
pub(crate) struct TestServer {
    pub(crate) base: String,
    pub(crate) data: PathBuf,
    pub(crate) client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

pub(crate) use crate::common::temp_dir;
pub(crate) use crate::common::test_db;

/// The test configuration on `data`: SQLite there, or the PostgreSQL database of `data` when
/// `CLOVICHARTS_TEST_DATABASE_URL` is set (see `common/test_db.rs`).
pub(crate) fn test_config(data: &Path) -> Config {
    let mut c = Config::for_tests(data);
    c.database_url = test_db::database_url_for(data).map(Secret::new);
    c.jwt_secret = Some(Secret::new(JWT));
    c.internal_secret = Some(Secret::new(INTERNAL));
    c.rate_limit_per_min = 100_000;
    c
}

impl TestServer {
    /// Starts a server on `data` with `config` tweaked by `tweak`.
    pub(crate) async fn start_in(data: &Path, tweak: impl FnOnce(&mut Config)) -> TestServer {
        let mut config = test_config(data);
        tweak(&mut config);
        let state = AppState::start(config, Backend::Cpu).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(clovicharts::api::serve(listener, state, async move {
            let _ = rx.await;
        }));
        TestServer {
            base,
            data: data.to_owned(),
            client: reqwest::Client::new(),
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    pub(crate) async fn start() -> TestServer {
        Self::start_in(&temp_dir("srv"), |_| {}).await
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Graceful stop: waits for in-flight requests, the pool and the store.
    pub(crate) async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.unwrap().unwrap();
        }
    }

    pub(crate) fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path))
    }

    /// `POST /api/charts/generate` as a signed-in user; asserts 200 and returns the body.
    pub(crate) async fn generate(&self, spec: &Value) -> Value {
        let r = self
            .post_json("/api/charts/generate", spec)
            .user()
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "generate failed");
        r.json().await.unwrap()
    }

    /// `GET path` (no auth) parsed as JSON.
    pub(crate) async fn get_json(&self, path: &str) -> Value {
        self.get(path).send().await.unwrap().json().await.unwrap()
    }

    /// `GET path` (no auth) as bytes.
    pub(crate) async fn get_bytes(&self, path: &str) -> Vec<u8> {
        self.get(path)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .to_vec()
    }

    pub(crate) fn post_json(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).unwrap())
    }
}

/// A `cl_session` cookie header value for a user with `role`.
pub(crate) fn session(user: i64, role: &str) -> String {
    let t = auth::mint_session(
        &Secret::new(JWT),
        json!(user),
        role,
        Some("u@example.com"),
        Some("U"),
        600,
    )
    .unwrap();
    format!("cl_session={t}")
}

pub(crate) trait Authed {
    fn user(self) -> Self;
    fn admin(self) -> Self;
}

impl Authed for reqwest::RequestBuilder {
    fn user(self) -> Self {
        self.header("cookie", session(42, "user"))
    }
    fn admin(self) -> Self {
        self.header("cookie", session(1, "super_admin"))
    }
}

pub(crate) fn bar_spec() -> Value {
    json!({
        "type": "bar",
        "data": { "labels": ["Q1", "Q2", "Q3", "Q4"],
                  "datasets": [{ "label": "Revenue", "data": [120, 190, 150, 220] }] },
        "options": { "width": 800, "height": 500, "title": "Quarterly Revenue" }
    })
}

/// Asserts the `{error, code}` body of an error response and returns the body.
pub(crate) async fn expect_error(resp: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(resp.status().as_u16(), status, "status for {code}");
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        ct.as_deref(),
        Some("application/json"),
        "error bodies are JSON"
    );
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{body}"
    );
    body
}

/// A free TCP port on 127.0.0.1 (for the real binary, which binds it itself).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The real `clovicharts serve` binary on 127.0.0.1:`port`, output discarded.
pub(crate) fn spawn_binary(data: &Path, port: u16) -> Child {
    spawn_binary_with(data, port, &[], false)
}

/// The real binary with extra environment variables (which win over the defaults here) and,
/// with `capture`, stdout and stderr piped for the test to read.
pub(crate) fn spawn_binary_with(
    data: &Path,
    port: u16,
    env: &[(&str, &str)],
    capture: bool,
) -> Child {
    let output = || {
        if capture {
            Stdio::piped()
        } else {
            Stdio::null()
        }
    };
    Command::new(env!("CARGO_BIN_EXE_clovicharts"))
        .arg("serve")
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("DATA_DIR", data)
        .env("JWT_SECRET", JWT)
        .env("INTERNAL_SECRET", INTERNAL)
        .env("RATE_LIMIT_PER_MIN", "0")
        .env("CLOVICHARTS_BACKEND", "cpu")
        .env("RUST_LOG", "warn")
        .envs(test_db::database_url_for(data).map(|url| ("DATABASE_URL", url)))
        .envs(env.iter().copied())
        .stdout(output())
        .stderr(output())
        .spawn()
        .unwrap()
}

/// Waits (up to 20 s) until `/health` answers 200.
pub(crate) async fn wait_ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if client
            .get(format!("{base}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server at {base} did not become ready");
}

/// Everything the database of `data` holds, as bytes to scan for secrets: the SQLite files, or
/// every row of every table as JSON text on PostgreSQL.
pub(crate) async fn database_bytes(data: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    if test_db::database_url_for(data).is_none() {
        for f in ["clovicharts.db", "clovicharts.db-wal", "clovicharts.db-shm"] {
            if let Ok(file) = std::fs::read(data.join(f)) {
                bytes.extend(file);
            }
        }
        return bytes;
    }
    let db = test_db::open_db(data).await;
    for table in ["charts", "users", "sessions", "refresh_tokens", "api_keys"] {
        let sql = format!("SELECT CAST(row_to_json(t) AS TEXT) AS j FROM {table} t");
        for row in db.fetch_all(&sql, &[]).await.unwrap() {
            bytes.extend(row.text("j").unwrap().into_bytes());
        }
    }
    db.close().await;
    bytes
}
