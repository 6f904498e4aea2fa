//! Chart storage in a real S3-compatible server (`STORAGE_URL=s3://…`): the store's save, serve,
//! delete and sweep against a bucket; the HTTP routes on it; two instances sharing PostgreSQL,
//! Redis and the bucket; the bucket going away (503, then recovery by itself); and bad
//! `STORAGE_URL`s refused at start.
//!
//! The server is `s3s-fs` from crates.io, which each test starts itself over a temp directory
//! on a free 127.0.0.1 port (`common/s3fs.rs`): its binary is `CLOVICHARTS_TEST_S3FS`, else
//! `s3s-fs` on PATH. Without it the tests that need it report as *ignored* (libtest-mimic's
//! harness, as `tests/redis.rs`); with `CI` set they fail instead. The two-instance test also
//! needs PostgreSQL (`CLOVICHARTS_TEST_DATABASE_URL`, default 127.0.0.1:5432) and Redis
//! (`CLOVICHARTS_TEST_REDIS_URL`), the `migrate` test PostgreSQL, and each is ignored without
//! them. The database of the other tests
//! is SQLite, or PostgreSQL when `CLOVICHARTS_TEST_DATABASE_URL` is set (as in the store suite).

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

#[path = "common/mod.rs"]
mod common;
#[allow(
    dead_code,
    reason = "the HTTP suite's harness, of which these tests use a part"
)]
#[path = "http/harness.rs"]
mod harness;
#[allow(dead_code, reason = "the helpers of these tests; each uses a part")]
#[path = "common/s3fs.rs"]
mod s3fs;

use chrono::{TimeZone, Utc};
use clovicharts::config::StorageConfig;
use clovicharts::spec::{ChartType, Format, ThemeName};
use clovicharts::store::{ChartRecord, Store, StoreError, SweepReport};
use common::test_db;
use harness::{
    Authed as _, TestServer, bar_spec, expect_error, free_port, spawn_binary_with, temp_dir,
    wait_ready,
};
use libtest_mimic::{Arguments, Trial};
use s3fs::S3Server;
use serde_json::Value;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};
use uuid::Uuid;

/// What a test needs besides itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// Nothing: always runs.
    Nothing,
    /// `s3s-fs`.
    S3,
    /// `s3s-fs` and PostgreSQL.
    S3AndPostgres,
    /// `s3s-fs`, PostgreSQL and Redis.
    Shared,
}

/// What the test gets: the `s3s-fs` binary, and for [`Needs::Shared`] the PostgreSQL
/// maintenance URL and the Redis URL.
#[derive(Clone)]
struct Env {
    s3fs: Option<PathBuf>,
    pg_admin: Option<String>,
    redis: Option<String>,
}

type TestFuture = Pin<Box<dyn Future<Output = ()>>>;
type S3Test = (&'static str, Needs, fn(Env) -> TestFuture);

fn main() {
    let args = Arguments::from_args();
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    let s3fs = match s3fs::binary() {
        Ok(bin) => Some(bin),
        Err(why) if ci => panic!("CI is set but the S3 server is missing: {why}"),
        Err(why) => {
            eprintln!("ignored: the tests that need an S3 server ({why})");
            None
        }
    };
    let explicit_pg = test_db::configured();
    let pg_admin = explicit_pg
        .clone()
        .unwrap_or_else(|| test_db::DEFAULT_URL.to_owned());
    let pg_admin = match test_db::reachable(&pg_admin) {
        Ok(()) => Some(pg_admin),
        Err(e) if explicit_pg.is_some() => {
            panic!(
                "{} is set but PostgreSQL does not answer: {e}",
                test_db::URL_VAR
            )
        }
        Err(e) => {
            eprintln!(
                "ignored: the two-instance and migrate tests (no PostgreSQL at {pg_admin}: {e})"
            );
            None
        }
    };
    let redis = std::env::var("CLOVICHARTS_TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.trim().is_empty());
    if redis.is_none() {
        eprintln!("ignored: the two-instance test (CLOVICHARTS_TEST_REDIS_URL is unset)");
    }
    let env = Env {
        s3fs,
        pg_admin,
        redis,
    };
    let tests: [S3Test; 9] = [
        ("store_saves_serves_and_deletes_objects", Needs::S3, |e| {
            Box::pin(store_saves_serves_and_deletes_objects(e))
        }),
        (
            "sweep_keeps_young_objects_and_removes_old_ones",
            Needs::S3,
            |e| Box::pin(sweep_keeps_young_objects_and_removes_old_ones(e)),
        ),
        ("http_serves_images_and_metadata_from_s3", Needs::S3, |e| {
            Box::pin(http_serves_images_and_metadata_from_s3(e))
        }),
        ("unreachable_storage_is_503_and_recovers", Needs::S3, |e| {
            Box::pin(unreachable_storage_is_503_and_recovers(e))
        }),
        (
            "a_hanging_storage_costs_a_timeout_not_a_hang",
            Needs::S3,
            |e| Box::pin(a_hanging_storage_costs_a_timeout_not_a_hang(e)),
        ),
        (
            "two_instances_share_postgres_redis_and_s3",
            Needs::Shared,
            |e| Box::pin(two_instances_share_postgres_redis_and_s3(e)),
        ),
        (
            "migrate_copies_an_sqlite_install_into_postgres_and_the_bucket",
            Needs::S3AndPostgres,
            |e| Box::pin(migrate_copies_an_sqlite_install_into_postgres_and_the_bucket(e)),
        ),
        (
            "unreachable_bucket_at_start_names_storage_url",
            Needs::S3,
            |e| Box::pin(unreachable_bucket_at_start_names_storage_url(e)),
        ),
        (
            "bad_storage_urls_stop_the_start_naming_the_variable",
            Needs::Nothing,
            |e| Box::pin(bad_storage_urls_stop_the_start_naming_the_variable(e)),
        ),
    ];
    let trials = tests
        .into_iter()
        .map(|(name, needs, test)| {
            let env = env.clone();
            let ignored = match needs {
                Needs::Nothing => false,
                Needs::S3 => env.s3fs.is_none(),
                Needs::S3AndPostgres => env.s3fs.is_none() || env.pg_admin.is_none(),
                Needs::Shared => {
                    env.s3fs.is_none() || env.pg_admin.is_none() || env.redis.is_none()
                }
            };
            Trial::test(name, move || {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(4)
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(test(env));
                Ok(())
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn record() -> ChartRecord {
    ChartRecord {
        id: Uuid::new_v4(),
        chart_type: ChartType::parse("bar").unwrap(),
        theme: ThemeName::Light,
        format: Format::Png,
        width: 800,
        height: 500,
        title: Some("Sales".to_owned()),
        narrative: None,
        render_ms: 3,
        created_at: Utc.with_ymd_and_hms(2025, 3, 14, 15, 9, 26).unwrap(),
        owner: Some("user-42".to_owned()),
        size_bytes: 4,
        visibility: Default::default(),
    }
}

const IMAGE: &[u8] = b"\x89PNG-not-really";

/// The store of `dir` (SQLite there, or its PostgreSQL database) on `storage`.
async fn open_store(dir: &Path, storage: &StorageConfig) -> Store {
    let db = test_db::open_db(dir).await;
    Store::open_configured(db, dir, storage).await.unwrap()
}

/// Dates the server's file of an object back by `age`: S3 then lists it that old.
fn age_object(s3: &S3Server, prefix: &str, name: &str, age: Duration) {
    let file = std::fs::File::options()
        .write(true)
        .open(s3.object_file(prefix, name))
        .unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
}

async fn store_saves_serves_and_deletes_objects(env: Env) {
    let s3 = S3Server::start(&env.s3fs.unwrap());
    let dir = temp_dir("s3-store");
    let store = open_store(&dir, &s3.storage("unit")).await;
    assert_eq!(store.objects().kind(), "s3");
    assert_eq!(store.objects().location(), "s3://charts/unit");
    assert_eq!(store.objects().local_dir(), None);

    let rec = record();
    let metadata = serde_json::to_vec(&rec).unwrap();
    store.save(&rec, IMAGE, &metadata).await.unwrap();
    // The objects are on the S3 server, under the prefix, nowhere in the data directory.
    assert_eq!(
        s3.object_names("unit"),
        vec![rec.metadata_name(), rec.image_name()]
    );
    assert_eq!(
        std::fs::read(s3.object_file("unit", &rec.image_name())).unwrap(),
        IMAGE
    );
    assert!(!dir.join("charts").join(rec.image_name()).exists());
    assert_eq!(store.get(rec.id).await.unwrap(), Some(rec.clone()));

    // Served with an ETag; the same ETag back is "not modified", without the bytes.
    let objects = store.objects();
    let fetched = objects
        .fetch(&rec.image_name(), None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fetched.bytes.as_deref(), Some(IMAGE));
    assert!(
        fetched.etag.starts_with('"') && fetched.etag.len() > 2,
        "{}",
        fetched.etag
    );
    let again = objects
        .fetch(
            &rec.image_name(),
            Some(&format!("\"other\", {}", fetched.etag)),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (again.etag.as_str(), again.bytes),
        (fetched.etag.as_str(), None)
    );
    assert_eq!(
        objects.read(&rec.metadata_name()).await.unwrap(),
        Some(metadata.clone())
    );
    // The name gate holds here too.
    assert_eq!(objects.fetch("../unit/x.png", None).await.unwrap(), None);
    assert_eq!(objects.read(".hidden.png").await.unwrap(), None);

    // A second save with the same id is refused at its objects, and the stored chart's
    // objects are not replaced (If-None-Match: *).
    let err = store.save(&rec, b"other", b"{}").await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Io(e) if e.kind() == std::io::ErrorKind::AlreadyExists),
        "{err:?}"
    );
    assert_eq!(
        objects.read(&rec.image_name()).await.unwrap().as_deref(),
        Some(IMAGE)
    );
    assert_eq!(store.count().await.unwrap(), 1);

    // Previews are plain objects too.
    objects
        .write_atomic("example_bar.png", b"preview")
        .await
        .unwrap();
    assert!(objects.exists("example_bar.png").await.unwrap());

    // Delete: row and objects gone; a second delete finds nothing.
    assert!(store.delete(rec.id).await.unwrap());
    assert_eq!(store.get(rec.id).await.unwrap(), None);
    assert_eq!(objects.fetch(&rec.image_name(), None).await.unwrap(), None);
    assert_eq!(objects.read(&rec.metadata_name()).await.unwrap(), None);
    assert_eq!(s3.object_names("unit"), vec!["example_bar.png".to_owned()]);
    assert!(!store.delete(rec.id).await.unwrap());

    // Objects without a row are deleted (and reported) too.
    let stray = Uuid::new_v4();
    objects
        .write_new(vec![(format!("{stray}.webp"), b"RIFF".to_vec())])
        .await
        .unwrap();
    assert!(store.delete(stray).await.unwrap());
    assert_eq!(s3.object_names("unit"), vec!["example_bar.png".to_owned()]);

    // Reopened on the same bucket: nothing lost, nothing swept that has a row.
    let kept = record();
    store.save(&kept, IMAGE, b"{}").await.unwrap();
    store.close().await;
    let store = open_store(&dir, &s3.storage("unit")).await;
    assert_eq!(store.get(kept.id).await.unwrap(), Some(kept.clone()));
    assert_eq!(
        store
            .objects()
            .read(&kept.image_name())
            .await
            .unwrap()
            .as_deref(),
        Some(IMAGE)
    );
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

async fn sweep_keeps_young_objects_and_removes_old_ones(env: Env) {
    let s3 = S3Server::start(&env.s3fs.unwrap());
    let dir = temp_dir("s3-sweep");
    let store = open_store(&dir, &s3.storage("sweep")).await;
    let stored = record();
    store.save(&stored, IMAGE, b"{}").await.unwrap();

    // Objects without a row: what another instance's save in flight looks like, and the
    // leftovers of a crash an hour and a half ago.
    let (in_flight, crashed) = (Uuid::new_v4(), Uuid::new_v4());
    let objects = store.objects();
    for id in [in_flight, crashed] {
        objects
            .write_new(vec![
                (format!("{id}.png"), IMAGE.to_vec()),
                (format!("{id}.json"), b"{}".to_vec()),
            ])
            .await
            .unwrap();
    }
    // A temp object of an interrupted write, as the server keeps it.
    let temp = ".x.png.0123.tmp";
    std::fs::write(s3.object_file("sweep", temp), b"torn").unwrap();
    let old = Duration::from_secs(5_400);
    for name in [
        format!("{crashed}.png"),
        format!("{crashed}.json"),
        temp.to_owned(),
    ] {
        age_object(&s3, "sweep", &name, old);
    }
    // The stored chart's objects are old too: they have a row and stay.
    age_object(&s3, "sweep", &stored.image_name(), old);
    age_object(&s3, "sweep", &stored.metadata_name(), old);

    assert_eq!(
        store.sweep().await.unwrap(),
        SweepReport {
            temp_files: 1,
            orphans: 2,
            recent: 2
        }
    );
    let mut expected = vec![
        format!("{in_flight}.json"),
        format!("{in_flight}.png"),
        stored.metadata_name(),
        stored.image_name(),
    ];
    expected.sort();
    assert_eq!(s3.object_names("sweep"), expected);

    // A store opened with no grace period (one instance alone) removes them at once.
    store.close().await;
    let mut storage = s3.storage("sweep");
    storage.sweep_grace = Duration::ZERO;
    let store = open_store(&dir, &storage).await;
    let mut expected = vec![stored.metadata_name(), stored.image_name()];
    expected.sort();
    assert_eq!(s3.object_names("sweep"), expected);
    assert_eq!(store.get(stored.id).await.unwrap(), Some(stored));
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A server on `data` whose charts live in `storage`.
async fn server_on_s3(data: &Path, storage: StorageConfig) -> TestServer {
    TestServer::start_in(data, move |c| c.storage = storage).await
}

async fn http_serves_images_and_metadata_from_s3(env: Env) {
    let s3 = S3Server::start(&env.s3fs.unwrap());
    let data = temp_dir("s3-http");
    let s = server_on_s3(&data, s3.storage("http")).await;
    let health = s.get_json("/health").await;
    assert_eq!(health["output_dir"], "s3://charts/http", "{health}");
    assert_eq!(health["store"]["storage"], "s3", "{health}");
    let r = s.get("/readyz").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let ready: Value = r.json().await.unwrap();
    assert_eq!(ready["checks"]["store"]["ok"], true, "{ready}");

    let made = s.generate(&bar_spec()).await;
    let id = made["chart_id"].as_str().unwrap().to_owned();
    assert!(
        s3.object_names("http").contains(&format!("{id}.png")),
        "{:?}",
        s3.object_names("http")
    );

    let r = s.get(&format!("/charts/{id}.png")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let image = r.bytes().await.unwrap();
    assert_eq!(&image[..4], b"\x89PNG");
    assert_eq!(
        image.as_ref(),
        std::fs::read(s3.object_file("http", &format!("{id}.png"))).unwrap()
    );
    let r = s
        .get(&format!("/charts/{id}.png"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
    assert!(r.bytes().await.unwrap().is_empty());

    let meta: Value = s.get_json(&format!("/charts/{id}.json")).await;
    assert_eq!(meta["title"], "Quarterly Revenue", "{meta}");
    let row: Value = s.get_json(&format!("/api/charts/{id}")).await;
    assert_eq!(row["chart_id"], id.as_str(), "{row}");
    let gallery = s.get_json("/api/charts/gallery").await;
    assert_eq!(gallery["charts"][0]["chart_id"], id.as_str(), "{gallery}");

    let r = s
        .client
        .delete(s.url(&format!("/api/charts/{id}")))
        .user()
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "delete: {}", r.status());
    for path in [
        format!("/charts/{id}.png"),
        format!("/charts/{id}.json"),
        format!("/api/charts/{id}"),
    ] {
        let r = s.get(&path).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    assert!(
        !s3.object_names("http").iter().any(|n| n.starts_with(&id)),
        "objects left: {:?}",
        s3.object_names("http")
    );
    s.stop().await;
    let _ = std::fs::remove_dir_all(&data);
}

async fn unreachable_storage_is_503_and_recovers(env: Env) {
    let mut s3 = S3Server::start(&env.s3fs.unwrap());
    let data = temp_dir("s3-down");
    let s = server_on_s3(&data, s3.storage("down")).await;
    let made = s.generate(&bar_spec()).await;
    let id = made["chart_id"].as_str().unwrap().to_owned();

    s3.stop();
    let start = Instant::now();
    let r = s
        .post_json("/api/charts/generate", &bar_spec())
        .user()
        .send()
        .await
        .unwrap();
    let retry_after = r.headers().get("retry-after").cloned();
    let body = expect_error(r, 503, "STORE_UNAVAILABLE").await;
    assert!(retry_after.is_some(), "503 without Retry-After: {body}");
    let r = s.get(&format!("/charts/{id}.png")).send().await.unwrap();
    let retry_after = r.headers().get("retry-after").cloned();
    expect_error(r, 503, "STORE_UNAVAILABLE").await;
    assert!(retry_after.is_some());
    let r = s.get("/readyz").send().await.unwrap();
    assert_eq!(r.status(), 503);
    let ready: Value = r.json().await.unwrap();
    assert_eq!(ready["checks"]["store"]["ok"], false, "{ready}");
    let elapsed = start.elapsed();
    assert!(
        elapsed < Duration::from_secs(15),
        "three answers took {elapsed:?} with the storage down"
    );
    // The metadata row is in the database: still served.
    let row: Value = s.get_json(&format!("/api/charts/{id}")).await;
    assert_eq!(row["chart_id"], id.as_str());

    s3.restart();
    let back = Instant::now();
    loop {
        let r = s
            .post_json("/api/charts/generate", &bar_spec())
            .user()
            .send()
            .await
            .unwrap();
        if r.status() == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "still {}",
            r.status()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "storage down: three answers in {elapsed:?}; recovered in {:?}",
        back.elapsed()
    );
    let image = s.get_bytes(&format!("/charts/{id}.png")).await;
    assert_eq!(&image[..4], b"\x89PNG");
    assert_eq!(s.get("/readyz").send().await.unwrap().status(), 200);
    s.stop().await;
    let _ = std::fs::remove_dir_all(&data);
}

/// A TCP forwarder to the S3 server that can be made to hang: then it cuts the open
/// connections and accepts new ones without ever answering, as a store that stopped
/// responding (not refusing) looks to a client.
struct HangingProxy {
    port: u16,
    hang: tokio::sync::watch::Sender<bool>,
}

impl HangingProxy {
    async fn start(target: u16) -> HangingProxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (hang, state) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                let mut state = state.clone();
                tokio::spawn(async move {
                    if *state.borrow() {
                        // Hold it, say nothing, until the hang ends.
                        let _ = state.wait_for(|hang| !*hang).await;
                        return;
                    }
                    let Ok(mut server) =
                        tokio::net::TcpStream::connect(("127.0.0.1", target)).await
                    else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = state.wait_for(|hang| *hang) => {}
                    }
                });
            }
        });
        HangingProxy { port, hang }
    }

    fn set_hanging(&self, hang: bool) {
        self.hang.send_replace(hang);
    }
}

async fn a_hanging_storage_costs_a_timeout_not_a_hang(env: Env) {
    let s3 = S3Server::start(&env.s3fs.unwrap());
    let proxy = HangingProxy::start(s3.port).await;
    let mut storage = StorageConfig::at(clovicharts::config::StorageLocation::S3(
        s3.location_via("hang", &format!("http://127.0.0.1:{}", proxy.port)),
    ));
    storage.timeout = Duration::from_millis(500);
    let data = temp_dir("s3-hang");
    let s = server_on_s3(&data, storage).await;
    let made = s.generate(&bar_spec()).await;
    let id = made["chart_id"].as_str().unwrap().to_owned();

    proxy.set_hanging(true);
    let start = Instant::now();
    let r = s
        .post_json("/api/charts/generate", &bar_spec())
        .user()
        .send()
        .await
        .unwrap();
    let save = start.elapsed();
    assert!(r.headers().contains_key("retry-after"));
    expect_error(r, 503, "STORE_UNAVAILABLE").await;
    let start = Instant::now();
    let r = s.get(&format!("/charts/{id}.png")).send().await.unwrap();
    let read = start.elapsed();
    expect_error(r, 503, "STORE_UNAVAILABLE").await;
    // 500 ms a request, retries within the same 500 ms: about a second, never the
    // request's own timeout.
    for (what, took) in [("save", save), ("read", read)] {
        assert!(took < Duration::from_secs(4), "{what} took {took:?}");
    }
    eprintln!("hanging storage: a save answered 503 in {save:?}, a read in {read:?}");

    proxy.set_hanging(false);
    let back = Instant::now();
    loop {
        let r = s
            .post_json("/api/charts/generate", &bar_spec())
            .user()
            .send()
            .await
            .unwrap();
        if r.status() == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "still {}",
            r.status()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        &s.get_bytes(&format!("/charts/{id}.png")).await[..4],
        b"\x89PNG"
    );
    s.stop().await;
    let _ = std::fs::remove_dir_all(&data);
}

/// The acceptance for storage: a chart made on A (PostgreSQL + Redis + S3) is served by
/// B at once (metadata, image, gallery), and deleted on B it is a 404 on A. Both are the real
/// binary, configured by the environment alone.
async fn two_instances_share_postgres_redis_and_s3(env: Env) {
    let s3 = S3Server::start(&env.s3fs.unwrap());
    let admin = env.pg_admin.unwrap();
    let db_url = test_db::create_database(&admin);
    let redis = env.redis.unwrap();
    let prefix = format!(
        "clovicharts-test:{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    );
    let storage_url = s3.url("two");
    let mut vars: Vec<(&str, &str)> = vec![
        ("DATABASE_URL", &db_url),
        ("REDIS_URL", &redis),
        ("REDIS_KEY_PREFIX", &prefix),
        ("STORAGE_URL", &storage_url),
    ];
    vars.extend(s3.credentials_env());
    let client = reqwest::Client::new();
    let (data_a, data_b) = (temp_dir("s3-two-a"), temp_dir("s3-two-b"));
    let (port_a, port_b) = (free_port(), free_port());
    let mut a = spawn_binary_with(&data_a, port_a, &vars, false);
    let mut b = spawn_binary_with(&data_b, port_b, &vars, false);
    let (base_a, base_b) = (
        format!("http://127.0.0.1:{port_a}"),
        format!("http://127.0.0.1:{port_b}"),
    );
    wait_ready(&client, &base_a).await;
    wait_ready(&client, &base_b).await;
    let get = |url: String| {
        let client = client.clone();
        async move { client.get(url).send().await.unwrap() }
    };
    let health: Value = get(format!("{base_b}/health")).await.json().await.unwrap();
    assert_eq!(health["store"]["kind"], "postgres", "{health}");
    assert_eq!(health["output_dir"], "s3://charts/two", "{health}");

    let made: Value = client
        .post(format!("{base_a}/api/charts/generate"))
        .user()
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&bar_spec()).unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = made["chart_id"].as_str().unwrap().to_owned();
    let meta: Value = get(format!("{base_b}/api/charts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(meta["chart_id"], id.as_str(), "{meta}");
    let on_b = get(format!("{base_b}/charts/{id}.png")).await;
    assert_eq!(on_b.status(), 200);
    let image = on_b.bytes().await.unwrap();
    assert_eq!(&image[..4], b"\x89PNG");
    let on_a = get(format!("{base_a}/charts/{id}.png"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(image, on_a);
    let json: Value = get(format!("{base_b}/charts/{id}.json"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["title"], "Quarterly Revenue", "{json}");
    let gallery: Value = get(format!("{base_b}/api/charts/gallery"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(gallery["total"], 1, "{gallery}");
    assert_eq!(gallery["charts"][0]["chart_id"], id.as_str());

    let r = client
        .delete(format!("{base_b}/api/charts/{id}"))
        .user()
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "delete on B: {}", r.status());
    for path in [
        format!("/charts/{id}.png"),
        format!("/charts/{id}.json"),
        format!("/api/charts/{id}"),
    ] {
        assert_eq!(
            get(format!("{base_a}{path}")).await.status(),
            404,
            "{path} on A"
        );
    }
    assert!(
        !s3.object_names("two").iter().any(|n| n.starts_with(&id)),
        "{:?}",
        s3.object_names("two")
    );
    for child in [&mut a, &mut b] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    test_db::drop_database(&admin, &db_url);
    let _ = std::fs::remove_dir_all(&data_a);
    let _ = std::fs::remove_dir_all(&data_b);
}

/// Runs `clovicharts serve` with `env` until it exits (at most 30 s); its status and stderr.
fn start_fails(env: &[(&str, &str)]) -> (std::process::ExitStatus, String) {
    let data = temp_dir("s3-bad");
    let mut child = spawn_binary_with(&data, free_port(), env, true);
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server started with {env:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let _ = std::fs::remove_dir_all(&data);
    (status, stderr)
}

async fn bad_storage_urls_stop_the_start_naming_the_variable(_env: Env) {
    for (url, why) in [
        ("ftp://host/charts", "unsupported scheme"),
        (
            "s3://charts?endpoint=http://127.0.0.1:1&bogus=1",
            "unknown option",
        ),
        ("file://server/share", "file:///absolute/path"),
        (
            "s3://key:hunter2@charts",
            "credentials do not go in the URL",
        ),
    ] {
        let (status, stderr) = start_fails(&[("STORAGE_URL", url)]);
        assert!(!status.success(), "{url}");
        assert!(stderr.contains("STORAGE_URL"), "{url}: {stderr}");
        assert!(stderr.contains(why), "{url}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{stderr}");
    }
    let (status, stderr) = start_fails(&[("STORAGE_SWEEP_GRACE_SECS", "an hour")]);
    assert!(!status.success());
    assert!(stderr.contains("STORAGE_SWEEP_GRACE_SECS"), "{stderr}");
}

async fn unreachable_bucket_at_start_names_storage_url(env: Env) {
    let s3 = S3Server::start(&env.s3fs.unwrap());
    let vars = s3.credentials_env().to_vec();
    // Nothing listens on port 1; and a bucket the server does not have.
    let closed = "s3://charts?endpoint=http://127.0.0.1:1&region=us-east-1".to_owned();
    let missing = format!(
        "s3://no-such-bucket?endpoint={}&region=us-east-1",
        s3.endpoint()
    );
    for url in [&closed, &missing] {
        let mut with_url = vars.clone();
        with_url.push(("STORAGE_URL", url.as_str()));
        let (status, stderr) = start_fails(&with_url);
        assert!(!status.success(), "{url}");
        assert!(
            stderr.contains("STORAGE_URL") && stderr.contains("cannot be listed at start"),
            "{url}: {stderr}"
        );
    }
}

/// `clovicharts migrate --storage s3://…`: an SQLite install's charts land in PostgreSQL and
/// the bucket, and a server on both serves them; a second run copies no object again.
async fn migrate_copies_an_sqlite_install_into_postgres_and_the_bucket(env: Env) {
    let s3 = S3Server::start(&env.s3fs.unwrap());
    let admin = env.pg_admin.unwrap();
    let db_url = test_db::create_database(&admin);
    let source = temp_dir("s3-migrate-src");
    let s = TestServer::start_in(&source, |c| c.database_url = None).await;
    let made = s.generate(&bar_spec()).await;
    let id = made["chart_id"].as_str().unwrap().to_owned();
    let image = s.get_bytes(&format!("/charts/{id}.png")).await;
    s.stop().await;

    let migrate = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_clovicharts"))
            .args(["migrate", "--to", &db_url, "--storage", &s3.url("moved")])
            .env("DATA_DIR", &source)
            .envs(s3.credentials_env())
            .output()
            .unwrap()
    };
    let out = migrate();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("chart objects: 2 copied, 0 already there"),
        "{stdout}"
    );
    assert!(stdout.contains("count check passed"), "{stdout}");
    assert_eq!(
        s3.object_names("moved"),
        vec![format!("{id}.json"), format!("{id}.png")]
    );
    let out = migrate();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        stdout.contains("chart objects: 0 copied, 2 already there"),
        "{stdout}"
    );

    let data = temp_dir("s3-migrate-new");
    let storage = s3.storage("moved");
    let url = db_url.clone();
    let s = TestServer::start_in(&data, move |c| {
        c.database_url = Some(clovicharts::config::Secret::new(url));
        c.storage = storage;
    })
    .await;
    assert_eq!(s.get_bytes(&format!("/charts/{id}.png")).await, image);
    let row: Value = s.get_json(&format!("/api/charts/{id}")).await;
    assert_eq!(row["chart_id"], id.as_str(), "{row}");
    s.stop().await;
    test_db::drop_database(&admin, &db_url);
    for dir in [&source, &data] {
        let _ = std::fs::remove_dir_all(dir);
    }
}
