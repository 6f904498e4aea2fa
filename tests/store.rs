//! The chart store against a real SQLite file (or, with `CLOVICHARTS_TEST_DATABASE_URL` set, a
//! fresh PostgreSQL database per test): save/get/list/delete, persistence across reopen, the
//! startup sweep of crash leftovers, the file-name gate, and cleanup when the row insert fails.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use clovicharts::db::Arg;
use clovicharts::spec::{ChartType, Format, ThemeName};
use clovicharts::store::{
    ChartIndex, ChartRecord, FileStore, GalleryQuery, SqlIndex, Store, StoreError, SweepReport,
};
use uuid::Uuid;

#[path = "common/mod.rs"]
mod common;
use common::test_db;

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

/// A fresh, unique directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "clovicharts-store-test-{}-{}",
            std::process::id(),
            Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn charts(&self) -> PathBuf {
        self.0.join("charts")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The store of `tmp`: SQLite in it, or its PostgreSQL database (the same one when reopened).
async fn open(tmp: &TempDir) -> Store {
    let db = test_db::open_db(tmp.path()).await;
    Store::open_with(db, tmp.path()).await.unwrap()
}

/// A fixed base time with milliseconds, as the store keeps them.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 15, 9, 26).unwrap() + Duration::milliseconds(535)
}

fn record(chart_type: &str, created_at: DateTime<Utc>) -> ChartRecord {
    ChartRecord {
        id: Uuid::new_v4(),
        chart_type: ChartType::parse(chart_type).unwrap(),
        theme: ThemeName::Light,
        format: Format::Png,
        width: 800,
        height: 500,
        title: Some("Sales by region".to_owned()),
        narrative: Some("North leads.".to_owned()),
        render_ms: 12,
        created_at,
        owner: Some("user-42".to_owned()),
        size_bytes: 4,
        visibility: Default::default(),
    }
}

const IMAGE: &[u8] = b"\x89PNG";

async fn save(store: &Store, record: &ChartRecord) {
    let metadata = serde_json::to_vec(record).unwrap();
    store.save(record, IMAGE, &metadata).await.unwrap();
}

/// Writes `bytes` to `path` dated two hours back, older than the default grace period.
fn write_old(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
    set_modified(
        path,
        std::time::SystemTime::now() - std::time::Duration::from_secs(7_200),
    );
}

fn set_modified(path: &Path, at: std::time::SystemTime) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(at).unwrap();
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn ids(records: &[ChartRecord]) -> Vec<Uuid> {
    records.iter().map(|r| r.id).collect()
}

fn query(limit: u32, offset: u32, chart_type: Option<&str>) -> GalleryQuery {
    GalleryQuery {
        limit,
        offset,
        chart_type: chart_type.map(|t| ChartType::parse(t).unwrap()),
        owner: None,
    }
}

// ---------------------------------------------------------------------------------------------
// Save, get, list, delete.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn save_then_get_returns_the_record_and_writes_both_files() {
    let tmp = TempDir::new();
    let store = open(&tmp).await;
    assert_eq!(store.kind(), test_db::expected_kind());

    let mut rec = record("bar", t0());
    rec.title = None;
    rec.owner = None;
    let metadata = serde_json::to_vec(&rec).unwrap();
    store.save(&rec, IMAGE, &metadata).await.unwrap();

    let got = store.get(rec.id).await.unwrap().unwrap();
    assert_eq!(got.id, rec.id);
    assert_eq!(got.chart_type, rec.chart_type);
    assert_eq!(got.theme, rec.theme);
    assert_eq!(got.format, rec.format);
    assert_eq!((got.width, got.height), (rec.width, rec.height));
    assert_eq!(got.title, None);
    assert_eq!(got.narrative, rec.narrative);
    assert_eq!(got.render_ms, rec.render_ms);
    assert_eq!(
        got.created_at.timestamp_millis(),
        rec.created_at.timestamp_millis()
    );
    assert_eq!(got.owner, None);
    assert_eq!(got.size_bytes, rec.size_bytes);
    assert_eq!(got, rec);

    let files = store.objects();
    assert_eq!(files.kind(), "file");
    assert_eq!(
        std::fs::read(files.local_dir().unwrap().join(rec.image_name())).unwrap(),
        IMAGE
    );
    assert_eq!(
        files.read(&rec.metadata_name()).await.unwrap().unwrap(),
        metadata
    );
    assert_eq!(
        names_in(&tmp.charts()),
        vec![rec.metadata_name(), rec.image_name()]
    );
    assert_eq!(store.count().await.unwrap(), 1);
    assert_eq!(store.get(Uuid::new_v4()).await.unwrap(), None);
}

#[tokio::test]
async fn created_at_is_kept_to_the_millisecond() {
    let tmp = TempDir::new();
    let store = open(&tmp).await;
    let rec = record("line", t0() + Duration::microseconds(789));
    save(&store, &rec).await;
    let got = store.get(rec.id).await.unwrap().unwrap();
    assert_eq!(
        got.created_at.timestamp_millis(),
        rec.created_at.timestamp_millis()
    );
}

#[tokio::test]
async fn list_is_newest_first_with_paging_totals_and_type_filter() {
    let tmp = TempDir::new();
    let store = open(&tmp).await;

    // Five with increasing times, saved out of order; then two in the same millisecond.
    let mut timed: Vec<ChartRecord> = (0..5)
        .map(|i| {
            let kind = if i % 2 == 0 { "bar" } else { "line" };
            record(kind, t0() + Duration::seconds(i))
        })
        .collect();
    for i in [3, 0, 4, 1, 2] {
        save(&store, &timed[i]).await;
    }
    let same_ms = t0() + Duration::seconds(10);
    let first = record("bar", same_ms);
    let second = record("bar", same_ms);
    save(&store, &first).await;
    save(&store, &second).await;

    timed.reverse();
    let mut expected = vec![second.id, first.id];
    expected.extend(ids(&timed));

    let (page, total) = store.list(&query(100, 0, None)).await.unwrap();
    assert_eq!(total, 7);
    assert_eq!(ids(&page), expected);

    // Paging.
    let (page, total) = store.list(&query(3, 0, None)).await.unwrap();
    assert_eq!((ids(&page), total), (expected[0..3].to_vec(), 7));
    let (page, _) = store.list(&query(3, 3, None)).await.unwrap();
    assert_eq!(ids(&page), expected[3..6].to_vec());
    let (page, total) = store.list(&query(3, 6, None)).await.unwrap();
    assert_eq!((ids(&page), total), (expected[6..7].to_vec(), 7));
    let (page, total) = store.list(&query(3, 50, None)).await.unwrap();
    assert_eq!((page.len(), total), (0, 7));

    // Type filter: the page and the total count only that type.
    let (page, total) = store.list(&query(100, 0, Some("line"))).await.unwrap();
    assert_eq!(total, 2);
    assert_eq!(ids(&page), vec![timed[1].id, timed[3].id]);
    assert!(page.iter().all(|r| r.chart_type == ChartType::Line));
    let (page, total) = store.list(&query(2, 1, Some("bar"))).await.unwrap();
    assert_eq!(total, 5);
    assert_eq!(ids(&page), vec![first.id, timed[0].id]);
    let (page, total) = store.list(&query(10, 0, Some("pie"))).await.unwrap();
    assert_eq!((page.len(), total), (0, 0));

    // A zero limit still returns one chart.
    let (page, _) = store.list(&query(0, 0, None)).await.unwrap();
    assert_eq!(ids(&page), vec![second.id]);
}

#[tokio::test]
async fn list_clamps_the_limit_to_100() {
    let tmp = TempDir::new();
    let store = open(&tmp).await;
    for i in 0..105 {
        save(&store, &record("bar", t0() + Duration::milliseconds(i))).await;
    }
    let (page, total) = store.list(&query(u32::MAX, 0, None)).await.unwrap();
    assert_eq!((page.len(), total), (100, 105));
    let (page, _) = store.list(&query(1000, 100, None)).await.unwrap();
    assert_eq!(page.len(), 5);
}

#[tokio::test]
async fn delete_removes_row_and_files() {
    let tmp = TempDir::new();
    let store = open(&tmp).await;
    let rec = record("bar", t0());
    let kept = record("bar", t0());
    save(&store, &rec).await;
    save(&store, &kept).await;

    assert!(store.delete(rec.id).await.unwrap());
    assert_eq!(store.get(rec.id).await.unwrap(), None);
    assert!(!tmp.charts().join(rec.image_name()).exists());
    assert!(!tmp.charts().join(rec.metadata_name()).exists());
    let (page, total) = store.list(&query(10, 0, None)).await.unwrap();
    assert_eq!((ids(&page), total), (vec![kept.id], 1));

    assert!(!store.delete(rec.id).await.unwrap());
    assert_eq!(store.get(rec.id).await.unwrap(), None);
    assert!(store.get(kept.id).await.unwrap().is_some());
    assert_eq!(
        names_in(&tmp.charts()),
        vec![kept.metadata_name(), kept.image_name()]
    );
}

#[tokio::test]
async fn delete_of_files_without_a_row_reports_them() {
    let tmp = TempDir::new();
    let store = open(&tmp).await;
    let id = Uuid::new_v4();
    store
        .objects()
        .write_atomic(&format!("{id}.webp"), b"RIFF")
        .await
        .unwrap();
    assert!(store.delete(id).await.unwrap());
    assert!(names_in(&tmp.charts()).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Durability: reopen and the startup sweep.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn charts_persist_across_close_and_reopen() {
    let tmp = TempDir::new();
    let rec = record("waterfall", t0());
    let older = record("bar", t0() - Duration::days(1));
    {
        let store = open(&tmp).await;
        save(&store, &older).await;
        save(&store, &rec).await;
        store.close().await;
    }
    let store = open(&tmp).await;
    assert_eq!(store.get(rec.id).await.unwrap(), Some(rec.clone()));
    let (page, total) = store.list(&query(10, 0, None)).await.unwrap();
    assert_eq!((ids(&page), total), (vec![rec.id, older.id], 2));
    assert_eq!(store.count().await.unwrap(), 2);
    assert_eq!(
        store.objects().read(&rec.image_name()).await.unwrap(),
        Some(IMAGE.to_vec())
    );
    assert!(tmp.charts().join(older.metadata_name()).exists());
}

#[tokio::test]
async fn open_sweeps_temp_files_and_orphans_but_keeps_charts_and_previews() {
    let tmp = TempDir::new();
    let rec = record("bar", t0());
    {
        let store = open(&tmp).await;
        save(&store, &rec).await;
        store.close().await;
    }
    // Leftovers of a crash two hours ago: older than the default grace period.
    let charts = tmp.charts();
    let orphan = Uuid::new_v4();
    write_old(&charts.join(".x.png.123.tmp"), b"torn");
    write_old(&charts.join(format!("{orphan}.png")), b"img");
    write_old(&charts.join(format!("{orphan}.json")), b"{}");
    write_old(&charts.join("example_bar.png"), b"preview");
    // Not a name the store writes (simple, not hyphenated, uuid): left alone.
    write_old(&charts.join(format!("{}.png", orphan.simple())), b"other");

    let store = open(&tmp).await;
    let mut expected = vec![
        rec.metadata_name(),
        rec.image_name(),
        format!("{}.png", orphan.simple()),
        "example_bar.png".to_owned(),
    ];
    expected.sort();
    assert_eq!(names_in(&charts), expected);
    assert_eq!(store.get(rec.id).await.unwrap(), Some(rec));

    // A second sweep finds nothing; the explicit call reports what it did. The chart saved
    // just now is younger than the grace period: not examined, and counted as such.
    write_old(&charts.join(".y.json.9.tmp"), b"torn");
    write_old(&charts.join(format!("{orphan}.webp")), b"img");
    let recent = SweepReport {
        recent: 2,
        ..SweepReport::default()
    };
    assert_eq!(
        store.sweep().await.unwrap(),
        SweepReport {
            temp_files: 1,
            orphans: 1,
            ..recent
        }
    );
    assert_eq!(store.sweep().await.unwrap(), recent);
}

#[tokio::test]
async fn sweep_keeps_objects_without_a_row_until_they_are_older_than_the_grace_period() {
    // Another instance's save in flight looks exactly like this: objects, no row yet.
    let tmp = TempDir::new();
    let charts = tmp.charts();
    std::fs::create_dir_all(&charts).unwrap();
    let in_flight = Uuid::new_v4();
    std::fs::write(charts.join(format!("{in_flight}.png")), b"img").unwrap();
    std::fs::write(charts.join(format!("{in_flight}.json")), b"{}").unwrap();
    std::fs::write(charts.join(".z.png.1.tmp"), b"half").unwrap();

    let store = open(&tmp).await;
    let mut expected = vec![
        ".z.png.1.tmp".to_owned(),
        format!("{in_flight}.json"),
        format!("{in_flight}.png"),
    ];
    expected.sort();
    assert_eq!(names_in(&charts), expected, "the start's sweep kept them");

    // Just past the default hour: the next sweep removes them.
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3_601);
    for name in &expected {
        set_modified(&charts.join(name), past);
    }
    assert_eq!(
        store.sweep().await.unwrap(),
        SweepReport {
            temp_files: 1,
            orphans: 2,
            recent: 0
        }
    );
    assert!(names_in(&charts).is_empty());

    // A grace period of a minute keeps a file of 30 s and removes one of 90 s.
    let store = store.with_sweep_grace(std::time::Duration::from_secs(60));
    let (young, old) = (Uuid::new_v4(), Uuid::new_v4());
    let now = std::time::SystemTime::now();
    for (id, age) in [(young, 30), (old, 90)] {
        let path = charts.join(format!("{id}.png"));
        std::fs::write(&path, b"img").unwrap();
        set_modified(&path, now - std::time::Duration::from_secs(age));
    }
    assert_eq!(
        store.sweep().await.unwrap(),
        SweepReport {
            temp_files: 0,
            orphans: 1,
            recent: 1
        }
    );
    assert_eq!(names_in(&charts), vec![format!("{young}.png")]);
}

#[tokio::test]
async fn sweep_report_counts_each_removed_file() {
    let tmp = TempDir::new();
    let files = FileStore::open(&tmp.charts()).unwrap();
    let index = SqlIndex::new(test_db::open_db(tmp.path()).await);
    // No grace period: everything without a row goes, however new.
    let store =
        Store::with_index(Arc::new(index), files).with_sweep_grace(std::time::Duration::ZERO);
    let orphan = Uuid::new_v4();
    let charts = tmp.charts();
    std::fs::write(charts.join(".x.png.123.tmp"), b"torn").unwrap();
    std::fs::write(charts.join(format!("{orphan}.png")), b"img").unwrap();
    std::fs::write(charts.join(format!("{orphan}.json")), b"{}").unwrap();
    std::fs::write(charts.join("example_bar.png"), b"preview").unwrap();
    // with_index does not sweep on its own.
    assert_eq!(names_in(&charts).len(), 4);
    assert_eq!(
        store.sweep().await.unwrap(),
        SweepReport {
            temp_files: 1,
            orphans: 2,
            recent: 0
        }
    );
    assert_eq!(names_in(&charts), vec!["example_bar.png".to_owned()]);
}

// ---------------------------------------------------------------------------------------------
// Files: the name gate and atomic writes.
// ---------------------------------------------------------------------------------------------

#[test]
fn safe_name_accepts_plain_chart_names_only() {
    let long_ok = format!("{}.png", "a".repeat(100));
    for name in [
        "550e8400-e29b-41d4-a716-446655440000.png",
        "example_bar.png",
        "x.webp",
        "x.json",
        "A-Z_09.png",
        long_ok.as_str(),
    ] {
        assert_eq!(FileStore::safe_name(name), Some(name), "{name:?}");
    }
    let too_long = format!("{}.png", "a".repeat(101));
    for name in [
        "../x.png",
        "a/b.png",
        "a\\b.png",
        "..png",
        ".png",
        "x.PNG",
        "x.Png",
        "x.png/",
        "x%2e.png",
        "x.exe",
        "x",
        "",
        "x.png\0",
        "x\0.png",
        too_long.as_str(),
        ".hidden.png",
        "x.png.tmp",
        "x.tar.png",
        "x .png",
        "é.png",
        "x.",
        ".",
        "..",
    ] {
        assert_eq!(FileStore::safe_name(name), None, "{name:?}");
    }
}

#[tokio::test]
async fn path_read_and_remove_go_through_the_gate() {
    let tmp = TempDir::new();
    let files = FileStore::open(&tmp.charts()).unwrap();
    assert_eq!(files.dir(), tmp.charts());
    assert_eq!(files.path("x.png"), Some(tmp.charts().join("x.png")));
    assert_eq!(files.path("../x.png"), None);

    std::fs::write(tmp.path().join("secret.json"), b"{}").unwrap();
    assert_eq!(files.read("../secret.json").await.unwrap(), None);
    assert!(!files.remove("../secret.json").await.unwrap());
    assert!(tmp.path().join("secret.json").exists());
    let err = files.write_atomic("../x.png", b"no").await.unwrap_err();
    assert!(matches!(err, StoreError::Io(e) if e.kind() == std::io::ErrorKind::InvalidInput));
    assert!(!tmp.path().join("x.png").exists());

    assert_eq!(files.read("missing.png").await.unwrap(), None);
    assert!(!files.remove("missing.png").await.unwrap());
}

#[tokio::test]
async fn write_atomic_replaces_an_existing_file_and_leaves_no_temp() {
    let tmp = TempDir::new();
    let files = FileStore::open(&tmp.charts()).unwrap();
    files.write_atomic("a.json", b"old contents").await.unwrap();
    files.write_atomic("a.json", b"new").await.unwrap();
    assert_eq!(files.read("a.json").await.unwrap(), Some(b"new".to_vec()));
    assert_eq!(names_in(&tmp.charts()), vec!["a.json".to_owned()]);
    assert_eq!(files.list_names().unwrap(), vec!["a.json".to_owned()]);
    assert_eq!(files.sweep_temp().unwrap(), 0);
    assert!(files.remove("a.json").await.unwrap());
    assert!(files.list_names().unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Failure path: the row insert fails.
// ---------------------------------------------------------------------------------------------

/// An index whose inserts always fail, as a full disk or lost database connection would.
struct FailingIndex;

#[async_trait::async_trait]
impl ChartIndex for FailingIndex {
    fn kind(&self) -> &'static str {
        "failing"
    }
    async fn insert(&self, _record: &ChartRecord) -> Result<(), StoreError> {
        Err(StoreError::Db(sqlx::Error::Protocol(
            "insert refused".into(),
        )))
    }
    async fn get(&self, _id: Uuid) -> Result<Option<ChartRecord>, StoreError> {
        Ok(None)
    }
    async fn list(&self, _query: &GalleryQuery) -> Result<(Vec<ChartRecord>, u64), StoreError> {
        Ok((Vec::new(), 0))
    }
    async fn delete(&self, _id: Uuid) -> Result<bool, StoreError> {
        Ok(false)
    }
    async fn count(&self) -> Result<u64, StoreError> {
        Ok(0)
    }
    async fn contains(&self, _id: Uuid) -> Result<bool, StoreError> {
        Ok(false)
    }
    async fn close(&self) {}
}

#[tokio::test]
async fn failed_insert_removes_the_files_and_shows_nothing() {
    let tmp = TempDir::new();
    let files = FileStore::open(&tmp.charts()).unwrap();
    std::fs::write(tmp.charts().join("example_bar.png"), b"preview").unwrap();
    let store = Store::with_index(Arc::new(FailingIndex), files);
    assert_eq!(store.kind(), "failing");

    let rec = record("bar", t0());
    let err = store.save(&rec, IMAGE, b"{}").await.unwrap_err();
    assert!(matches!(err, StoreError::Db(_)), "{err:?}");
    assert_eq!(names_in(&tmp.charts()), vec!["example_bar.png".to_owned()]);
    assert_eq!(store.get(rec.id).await.unwrap(), None);
    let (page, total) = store.list(&query(10, 0, None)).await.unwrap();
    assert_eq!((page.len(), total), (0, 0));
}

#[tokio::test]
async fn duplicate_id_fails_and_keeps_the_stored_chart_files() {
    let tmp = TempDir::new();
    let store = open(&tmp).await;
    let rec = record("bar", t0());
    save(&store, &rec).await;
    // Refused at its files, which exist already (a chart's files are created new, never
    // replaced), before any row is tried.
    let err = store.save(&rec, IMAGE, b"{}").await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Io(e) if e.kind() == std::io::ErrorKind::AlreadyExists),
        "{err:?}"
    );
    assert!(tmp.charts().join(rec.image_name()).exists());
    assert!(tmp.charts().join(rec.metadata_name()).exists());
    assert_eq!(store.count().await.unwrap(), 1);
}

#[tokio::test]
async fn a_row_with_an_unknown_format_is_a_decode_error_not_a_panic() {
    // A record cannot hold an unknown format (the field is typed); a row written by something
    // else can, and reading it must fail cleanly.
    let tmp = TempDir::new();
    let store = open(&tmp).await;
    let rec = record("bar", t0());
    save(&store, &rec).await;
    store.close().await;
    // The same database, SQLite or PostgreSQL, through its own handle.
    let db = test_db::open_db(tmp.path()).await;
    let id = rec.id.hyphenated().to_string();
    db.execute(
        "UPDATE charts SET format = 'gif' WHERE id = ?",
        &[Arg::Text(&id)],
    )
    .await
    .unwrap();
    db.close().await;
    let store = open(&tmp).await;
    let err = store.get(rec.id).await.unwrap_err();
    assert!(err.to_string().contains("gif"), "{err}");
}
