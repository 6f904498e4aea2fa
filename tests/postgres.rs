//! What only a shared PostgreSQL database makes possible or can break: two instances on one
//! database and one data directory serving each other's charts, accounts and keys; migrations
//! applied once when instances start together; kill -9 of one of two instances (one database,
//! one shared chart directory) losing no chart it answered; and the database going away
//! (connections terminated mid-stream, or the server unreachable) answered with 200 or 503
//! only, `/readyz` 503, and recovery by itself.
//!
//! Each test creates a fresh database on the server `CLOVICHARTS_TEST_DATABASE_URL` names
//! (default `postgres://postgres@127.0.0.1:5432/postgres`) and drops it at the end. Without a
//! server there, every test reports as ignored (libtest-mimic's harness, as `tests/gpu.rs`);
//! with the variable set, an unreachable server fails the run instead.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

#[allow(dead_code, reason = "the HTTP suite's helpers; these tests use a few")]
#[path = "http/account_client.rs"]
mod account_client;
#[path = "common/mod.rs"]
mod common;
#[allow(dead_code, reason = "the HTTP suite's helpers; these tests use a few")]
#[path = "http/harness.rs"]
mod harness;

use account_client::{Credentials as _, PASSWORD, answer, create_key, login_with, register};
use clovicharts::config::{Config, Secret};
use clovicharts::db::Db;
use common::test_db;
use harness::{
    Authed as _, TestServer, bar_spec, free_port, spawn_binary_with, temp_dir, wait_ready,
};
use libtest_mimic::{Arguments, Trial};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// A test body: given the maintenance URL, runs against a database of its own.
type PgTest = fn(String) -> Pin<Box<dyn Future<Output = ()>>>;

fn main() {
    let args = Arguments::from_args();
    let explicit = test_db::configured();
    let admin = explicit
        .clone()
        .unwrap_or_else(|| test_db::DEFAULT_URL.to_owned());
    let available = match test_db::reachable(&admin) {
        Ok(()) => true,
        Err(e) if explicit.is_some() => {
            panic!(
                "{} is set but PostgreSQL does not answer: {e}",
                test_db::URL_VAR
            )
        }
        Err(e) => {
            eprintln!(
                "ignored: no PostgreSQL at {} ({e}); set {} to point at one",
                test_db::DEFAULT_URL,
                test_db::URL_VAR
            );
            false
        }
    };
    let tests: [(&str, PgTest); 6] = [
        ("two_instances_share_charts_accounts_and_keys", |a| {
            Box::pin(two_instances_share_charts_accounts_and_keys(a))
        }),
        ("instances_starting_together_migrate_once", |a| {
            Box::pin(instances_starting_together_migrate_once(a))
        }),
        (
            "terminated_connections_answer_200_or_503_and_recover",
            |a| Box::pin(terminated_connections_answer_200_or_503_and_recover(a)),
        ),
        ("migrate_copies_an_sqlite_install_and_resumes", |a| {
            Box::pin(migrate_copies_an_sqlite_install_and_resumes(a))
        }),
        ("kill_9_of_one_instance_loses_no_answered_chart", |a| {
            Box::pin(kill_9_of_one_instance_loses_no_answered_chart(a))
        }),
        (
            "unreachable_database_is_503_and_not_ready_until_it_returns",
            |a| {
                Box::pin(unreachable_database_is_503_and_not_ready_until_it_returns(
                    a,
                ))
            },
        ),
    ];
    let trials = tests
        .into_iter()
        .map(|(name, test)| {
            let admin = admin.clone();
            Trial::test(name, move || {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(4)
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(test(admin));
                Ok(())
            })
            .with_ignored_flag(!available)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

/// A fresh database, dropped when the test ends (also when it fails).
struct FreshDb {
    admin: String,
    url: String,
}

impl FreshDb {
    fn new(admin: &str) -> FreshDb {
        FreshDb {
            admin: admin.to_owned(),
            url: test_db::create_database(admin),
        }
    }

    /// The database's name.
    fn name(&self) -> &str {
        self.url.rsplit('/').next().unwrap()
    }
}

impl Drop for FreshDb {
    fn drop(&mut self) {
        test_db::drop_database(&self.admin, &self.url);
    }
}

/// A server on `data` with its database at `url` and a fixed `AUTH_JWT_SECRET`.
async fn server_on(
    data: &std::path::Path,
    url: &str,
    tweak: impl FnOnce(&mut Config),
) -> TestServer {
    let url = url.to_owned();
    TestServer::start_in(data, move |c| {
        c.database_url = Some(Secret::new(url));
        c.accounts.auth_jwt_secret = Some(Secret::new(account_client::AUTH));
        tweak(c);
    })
    .await
}

async fn two_instances_share_charts_accounts_and_keys(admin: String) {
    let db = FreshDb::new(&admin);
    let data = temp_dir("pg-two");
    let a = server_on(&data, &db.url, |_| {}).await;
    let b = server_on(&data, &db.url, |_| {}).await;
    assert_ne!(a.base, b.base);
    let health: Value = b.get_json("/health").await;
    assert_eq!(health["store"]["kind"], "postgres", "{health}");

    // A chart made on A: B serves its metadata, its image and lists it in the gallery.
    let made = a.generate(&bar_spec()).await;
    let id = made["chart_id"].as_str().unwrap().to_owned();
    let meta: Value = b.get_json(&format!("/api/charts/{id}")).await;
    assert_eq!(meta["chart_id"], id.as_str(), "{meta}");
    let image = b.get_bytes(&format!("/charts/{id}.png")).await;
    assert_eq!(&image[..4], b"\x89PNG");
    assert_eq!(image, a.get_bytes(&format!("/charts/{id}.png")).await);
    let gallery: Value = b.get_json("/api/charts/gallery").await;
    assert_eq!(gallery["total"], 1, "{gallery}");
    assert_eq!(gallery["charts"][0]["chart_id"], id.as_str());

    // An account registered on A signs in on B; B's access token works on A.
    let on_a = register(&a, "shared@example.com").await;
    let on_b =
        account_client::signed_in(login_with(&b, "shared@example.com", PASSWORD).await).await;
    assert_eq!(on_a.id, on_b.id);
    let (status, me) = answer(a.get("/api/me").bearer(&on_b.access).send().await.unwrap()).await;
    assert_eq!(status, 200, "{me}");

    // A key made on A works on B; revoked on B, A refuses it on the next request.
    let (key_id, key) = create_key(&a, &on_a.access, &["charts:write", "charts:read"]).await;
    let by_key = |s: &TestServer| {
        s.post_json("/api/charts/generate", &bar_spec())
            .api_key(&key)
            .send()
    };
    assert_eq!(by_key(&b).await.unwrap().status(), 200);
    assert_eq!(by_key(&a).await.unwrap().status(), 200);
    let r = b
        .client
        .post(b.url(&format!("/api/keys/{key_id}/revoke")))
        .bearer(&on_b.access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    harness::expect_error(by_key(&a).await.unwrap(), 401, "UNAUTHORIZED").await;
    harness::expect_error(by_key(&b).await.unwrap(), 401, "UNAUTHORIZED").await;

    // Deleted on B: A answers 404 for the metadata and the image at once.
    let r = b
        .client
        .delete(b.url(&format!("/api/charts/{id}")))
        .user()
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "delete on B: {}", r.status());
    harness::expect_error(
        a.get(&format!("/api/charts/{id}")).send().await.unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
    assert_eq!(
        a.get(&format!("/charts/{id}.png"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    a.stop().await;
    b.stop().await;
    let _ = std::fs::remove_dir_all(&data);
}

/// kill -9 of instance A during a stream of generates: every chart A answered 200 for is served
/// by B (metadata, image and JSON). Both are the real binary with their own `DATA_DIR`, one
/// PostgreSQL database and one chart directory (`STORAGE_URL=file://…`, a shared volume). B
/// starts while A's row inserts are held by a table lock, so its startup sweep meets A's saves
/// in flight (objects, no row yet): the grace period (default) must leave them, or A would
/// answer 200 for charts whose image is gone (with `STORAGE_SWEEP_GRACE_SECS=0` it fails).
async fn kill_9_of_one_instance_loses_no_answered_chart(admin: String) {
    let db = FreshDb::new(&admin);
    let shared = temp_dir("pg-kill-shared");
    let storage_url = format!("file://{}", shared.join("charts").display());
    let vars = [
        ("DATABASE_URL", db.url.as_str()),
        ("STORAGE_URL", storage_url.as_str()),
    ];
    let (data_a, data_b) = (temp_dir("pg-kill-a"), temp_dir("pg-kill-b"));
    let (port_a, port_b) = (free_port(), free_port());
    let (base_a, base_b) = (
        format!("http://127.0.0.1:{port_a}"),
        format!("http://127.0.0.1:{port_b}"),
    );
    let client = reqwest::Client::new();
    let mut a = spawn_binary_with(&data_a, port_a, &vars, false);
    wait_ready(&client, &base_a).await;

    // Eight clients generating on A until it dies; a 200 counts once its body (the id) is in.
    let body = serde_json::to_vec(&bar_spec()).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let client = client.clone();
        let url = format!("{base_a}/api/charts/generate");
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            let mut answered = Vec::new();
            for _ in 0..5_000 {
                let sent = client
                    .post(&url)
                    .user()
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await;
                let Ok(r) = sent else { break };
                if r.status() != 200 {
                    continue;
                }
                let Ok(made) = r.json::<Value>().await else {
                    break;
                };
                answered.push(made["chart_id"].as_str().unwrap().to_owned());
            }
            answered
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Hold A's row inserts (reads go on): its saves in flight now have their objects in the
    // shared directory and no row, and B starts, sweeping that directory, just then.
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
    let mut lock = conn.begin().await.unwrap();
    sqlx::query("LOCK TABLE charts IN EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let in_flight = objects_without_a_row(&shared.join("charts"), &db.url).await;
    assert!(
        in_flight > 0,
        "A had no save in flight while its inserts were held"
    );
    let mut b = spawn_binary_with(&data_b, port_b, &vars, false);
    wait_ready(&client, &base_b).await;
    lock.commit().await.unwrap();
    let _ = conn.close().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    a.kill().unwrap(); // SIGKILL
    a.wait().unwrap();
    let mut answered = Vec::new();
    for t in tasks {
        answered.extend(t.await.unwrap());
    }
    assert!(!answered.is_empty(), "A answered nothing before the kill");

    for id in &answered {
        let meta = client
            .get(format!("{base_b}/api/charts/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(meta.status(), 200, "metadata of {id} on B");
        let image = client
            .get(format!("{base_b}/charts/{id}.png"))
            .send()
            .await
            .unwrap();
        assert_eq!(image.status(), 200, "image of {id} on B");
        assert_eq!(&image.bytes().await.unwrap()[..4], b"\x89PNG");
        let json: Value = client
            .get(format!("{base_b}/charts/{id}.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(json["chart_id"], id.as_str());
    }
    let gallery: Value = client
        .get(format!("{base_b}/api/charts/gallery?limit=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let total = gallery["total"].as_u64().unwrap();
    assert!(
        total >= answered.len() as u64,
        "{total} charts listed, {} answered",
        answered.len()
    );
    eprintln!(
        "A answered {} charts before kill -9; B serves all of them ({total} listed)",
        answered.len()
    );
    b.kill().unwrap();
    b.wait().unwrap();
    for dir in [&data_a, &data_b, &shared] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Runs `clovicharts migrate` on `data` into `url` and `storage`; asserts success and returns
/// what it printed.
fn run_migrate(data: &std::path::Path, url: &str, storage: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clovicharts"))
        .args(["migrate", "--to", url, "--storage", storage])
        .env("DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "migrate failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("count check passed"), "{stdout}");
    stdout
}

/// The line of `table` in migrate's output.
fn table_line<'a>(out: &'a str, table: &str) -> &'a str {
    out.lines()
        .find(|l| l.split_whitespace().next() == Some(table))
        .unwrap_or_else(|| panic!("no {table} in {out}"))
}

/// `clovicharts migrate` moves an embedded install (SQLite + `DATA_DIR/charts`) into
/// PostgreSQL and a shared chart directory: a server on the result serves the charts, signs the
/// account in and takes its key. Run again it copies nothing; after rows and a file went
/// missing in the target (an interrupted run), it copies exactly those.
async fn migrate_copies_an_sqlite_install_and_resumes(admin: String) {
    let db = FreshDb::new(&admin);
    let source = temp_dir("pg-migrate-src");
    let s = TestServer::start_in(&source, |c| {
        c.database_url = None;
        c.accounts.auth_jwt_secret = Some(Secret::new(account_client::AUTH));
    })
    .await;
    assert_eq!(s.get_json("/health").await["store"]["kind"], "sqlite");
    let account = register(&s, "moved@example.com").await;
    let (_, key) = create_key(&s, &account.access, &["charts:write", "charts:read"]).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let made = s.generate(&bar_spec()).await;
        ids.push(made["chart_id"].as_str().unwrap().to_owned());
    }
    let image = s.get_bytes(&format!("/charts/{}.png", ids[0])).await;
    s.stop().await;

    let shared = temp_dir("pg-migrate-dst");
    let storage = format!("file://{}", shared.join("charts").display());
    let out = run_migrate(&source, &db.url, &storage);
    assert!(
        table_line(&out, "charts").contains("3 in SQLite")
            && table_line(&out, "charts").contains("3 in PostgreSQL"),
        "{out}"
    );
    assert!(
        table_line(&out, "users").contains("(1 copied by this run)"),
        "{out}"
    );
    assert!(
        table_line(&out, "api_keys").contains("(1 copied by this run)"),
        "{out}"
    );
    assert!(
        out.contains("chart objects: 6 copied, 0 already there, 0 missing"),
        "{out}"
    );

    // Again: nothing to do.
    let out = run_migrate(&source, &db.url, &storage);
    assert!(
        table_line(&out, "charts").contains("(0 copied by this run)"),
        "{out}"
    );
    assert!(
        out.contains("chart objects: 0 copied, 6 already there"),
        "{out}"
    );

    // An interrupted run: two rows and one file short in the target.
    let target = Db::connect(&db.url).await.unwrap();
    for id in &ids[1..] {
        target
            .execute("DELETE FROM charts WHERE id = ?", &[id.as_str().into()])
            .await
            .unwrap();
    }
    target.close().await;
    std::fs::remove_file(shared.join("charts").join(format!("{}.png", ids[2]))).unwrap();
    let out = run_migrate(&source, &db.url, &storage);
    assert!(
        table_line(&out, "charts").contains("(2 copied by this run)"),
        "{out}"
    );
    assert!(
        out.contains("chart objects: 1 copied, 5 already there"),
        "{out}"
    );

    // A server on the shared setup has it all.
    let data = temp_dir("pg-migrate-new");
    let storage_config = clovicharts::config::StorageConfig::from_url(&storage).unwrap();
    let s = server_on(&data, &db.url, move |c| c.storage = storage_config).await;
    let gallery: Value = s.get_json("/api/charts/gallery").await;
    assert_eq!(gallery["total"], 3, "{gallery}");
    for id in &ids {
        let meta: Value = s.get_json(&format!("/api/charts/{id}")).await;
        assert_eq!(meta["chart_id"], id.as_str(), "{meta}");
        let json: Value = s.get_json(&format!("/charts/{id}.json")).await;
        assert_eq!(json["chart_id"], id.as_str());
    }
    assert_eq!(s.get_bytes(&format!("/charts/{}.png", ids[0])).await, image);
    let signed =
        account_client::signed_in(login_with(&s, "moved@example.com", PASSWORD).await).await;
    assert_eq!(signed.id, account.id);
    let r = s
        .post_json("/api/charts/generate", &bar_spec())
        .api_key(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    s.stop().await;
    for dir in [&source, &shared, &data] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// How many chart files in `dir` have no row in the database at `url`.
async fn objects_without_a_row(dir: &std::path::Path, url: &str) -> usize {
    let db = Db::connect(url).await.unwrap();
    let mut without = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(stem) = name.strip_suffix(".png") else {
            continue;
        };
        if uuid::Uuid::try_parse(stem).is_err() {
            continue;
        }
        let row = db
            .fetch_optional("SELECT 1 AS one FROM charts WHERE id = ?", &[stem.into()])
            .await
            .unwrap();
        without += usize::from(row.is_none());
    }
    db.close().await;
    without
}

async fn instances_starting_together_migrate_once(admin: String) {
    let db = FreshDb::new(&admin);
    let opens: Vec<_> = (0..4)
        .map(|_| {
            let url = db.url.clone();
            tokio::spawn(async move { Db::connect(&url).await })
        })
        .collect();
    let mut handles = Vec::new();
    for open in opens {
        handles.push(open.await.unwrap().unwrap());
    }
    let row = handles[0]
        .fetch_one(
            "SELECT COUNT(*) AS n, CAST(SUM(CASE WHEN success THEN 1 ELSE 0 END) AS BIGINT) \
             AS ok FROM _sqlx_migrations",
            &[],
        )
        .await
        .unwrap();
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .unwrap()
        .count() as i64;
    assert_eq!(row.int("n").unwrap(), migrations);
    assert_eq!(row.int("ok").unwrap(), migrations);
    for h in handles {
        assert_eq!(h.kind(), "postgres");
        h.close().await;
    }
}

/// Generates as fast as `workers` clients can until `stop`, recording every status.
async fn generate_stream(
    s: &TestServer,
    workers: usize,
    until: Instant,
) -> Vec<(u16, Option<String>, Option<String>)> {
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let client = s.client.clone();
        let url = s.url("/api/charts/generate");
        tasks.push(tokio::spawn(async move {
            let mut seen = Vec::new();
            while Instant::now() < until {
                let r = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("cookie", harness::session(42, "user"))
                    .body(serde_json::to_vec(&bar_spec()).unwrap())
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                let retry_after = r
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_owned());
                let body: Value = r.json().await.unwrap_or(Value::Null);
                let detail = match status {
                    200 => body["chart_id"].as_str().map(str::to_owned),
                    _ => body["code"].as_str().map(str::to_owned),
                };
                seen.push((status, detail, retry_after));
            }
            seen
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all
}

/// Generates until one answers 200, for at most `within`; the time it took.
async fn recovers_within(s: &TestServer, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let r = s
            .post_json("/api/charts/generate", &bar_spec())
            .user()
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        if status == 200 {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < within,
            "still {status} after {:?}",
            start.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn terminated_connections_answer_200_or_503_and_recover(admin: String) {
    let db = FreshDb::new(&admin);
    let data = temp_dir("pg-fault");
    let s = server_on(&data, &db.url, |_| {}).await;
    s.generate(&bar_spec()).await;

    let until = Instant::now() + Duration::from_secs(4);
    let stream = generate_stream(&s, 4, until);
    let terminate = async {
        let kill = format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{}' AND pid <> pg_backend_pid()",
            db.name()
        );
        let mut killed = 0;
        for _ in 0..5 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let kill = kill.clone();
            let admin = admin.clone();
            killed += test_db::block_on(async move {
                use sqlx::Connection as _;
                let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
                let n = sqlx::query(&kill).fetch_all(&mut conn).await.unwrap().len();
                let _ = conn.close().await;
                n
            });
        }
        killed
    };
    let (answers, killed) = tokio::join!(stream, terminate);
    assert!(killed > 0, "no connection was terminated");
    let odd: Vec<_> = answers
        .iter()
        .filter(|(status, detail, retry)| match status {
            200 => false,
            503 => detail.as_deref() != Some("STORE_UNAVAILABLE") || retry.is_none(),
            _ => true,
        })
        .collect();
    assert!(
        odd.is_empty(),
        "answers other than 200 / 503 STORE_UNAVAILABLE: {odd:?}"
    );
    let ok: Vec<&String> = answers
        .iter()
        .filter(|a| a.0 == 200)
        .filter_map(|a| a.1.as_ref())
        .collect();
    assert!(!ok.is_empty(), "nothing succeeded during the stream");

    let took = recovers_within(&s, Duration::from_secs(5)).await;
    eprintln!(
        "{} answers ({} ok) while {killed} connections were terminated; recovered in {took:?}",
        answers.len(),
        ok.len()
    );
    // Every chart answered 200 is stored.
    for id in ok {
        let r = s.get(&format!("/api/charts/{id}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "chart {id} answered 200 but is not stored");
    }
    s.stop().await;
    let _ = std::fs::remove_dir_all(&data);
}

async fn unreachable_database_is_503_and_not_ready_until_it_returns(admin: String) {
    let db = FreshDb::new(&admin);
    // The `host:port` of the server, as it stands in the URL.
    let authority = test_db::with_database(&admin, "");
    let target = authority
        .split_once("://")
        .and_then(|(_, rest)| rest.rsplit('@').next())
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    assert!(
        target.contains(':'),
        "give the port in {}",
        test_db::URL_VAR
    );
    let proxy = Proxy::start(&target).await;
    let via_proxy = db
        .url
        .replacen(&target, &format!("127.0.0.1:{}", proxy.port), 1);
    let data = temp_dir("pg-down");
    let s = server_on(&data, &via_proxy, |_| {}).await;
    let made = s.generate(&bar_spec()).await;
    let id = made["chart_id"].as_str().unwrap().to_owned();
    assert_eq!(s.get("/readyz").send().await.unwrap().status(), 200);

    proxy.set_up(false);
    let start = Instant::now();
    let r = s
        .post_json("/api/charts/generate", &bar_spec())
        .user()
        .send()
        .await
        .unwrap();
    let retry_after = r.headers().get("retry-after").cloned();
    harness::expect_error(r, 503, "STORE_UNAVAILABLE").await;
    assert!(retry_after.is_some(), "503 without Retry-After");
    let r = s.get(&format!("/api/charts/{id}")).send().await.unwrap();
    harness::expect_error(r, 503, "STORE_UNAVAILABLE").await;
    let r = s.get("/readyz").send().await.unwrap();
    let (status, ready) = answer(r).await;
    assert_eq!(status, 503, "{ready}");
    assert_eq!(ready["checks"]["database"]["ok"], false, "{ready}");
    let elapsed = start.elapsed();
    assert!(
        elapsed < Duration::from_secs(10),
        "three answers took {elapsed:?} with the database down"
    );

    proxy.set_up(true);
    let took = recovers_within(&s, Duration::from_secs(5)).await;
    eprintln!("database down: three answers in {elapsed:?}; recovered in {took:?}");
    assert_eq!(s.get("/readyz").send().await.unwrap().status(), 200);
    let meta: Value = s.get_json(&format!("/api/charts/{id}")).await;
    assert_eq!(meta["chart_id"], id.as_str());
    s.stop().await;
    let _ = std::fs::remove_dir_all(&data);
}

/// A TCP forwarder on 127.0.0.1 to the PostgreSQL server that can be switched off: while down,
/// it cuts every open connection and refuses new ones (accepts and closes them at once), which
/// is what a client sees of a database that went away.
struct Proxy {
    port: u16,
    up: tokio::sync::watch::Sender<bool>,
}

impl Proxy {
    async fn start(target: &str) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (up, state) = tokio::sync::watch::channel(true);
        let target = target.to_owned();
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                if !*state.borrow() {
                    drop(client);
                    continue;
                }
                let target = target.clone();
                let mut state = state.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = tokio::net::TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = state.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Proxy { port, up }
    }

    fn set_up(&self, up: bool) {
        self.up.send_replace(up);
    }
}
