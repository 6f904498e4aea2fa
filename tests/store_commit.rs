//! Group commit in the chart store, on a real SQLite file (or PostgreSQL with
//! `CLOVICHARTS_TEST_DATABASE_URL`): many concurrent saves all become
//! durable and visible, each answered only after its row exists; one bad row in a batch (a
//! duplicate id) fails alone; and a reopened store holds every acknowledged chart.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

#[path = "common/mod.rs"]
mod common;

use clovicharts::spec::{ChartType, Format, ThemeName};
use clovicharts::store::{ChartRecord, Store, StoreError};
use std::sync::Arc;
use uuid::Uuid;

/// The store of `dir`: SQLite in it, or its PostgreSQL database (the same one when reopened).
async fn open(dir: &std::path::Path) -> Store {
    let db = common::test_db::open_db(dir).await;
    Store::open_with(db, dir).await.unwrap()
}

fn record(n: u32) -> ChartRecord {
    ChartRecord {
        id: Uuid::new_v4(),
        chart_type: ChartType::Bar,
        theme: ThemeName::Light,
        format: Format::Png,
        width: 800,
        height: 500,
        title: Some(format!("chart {n}")),
        narrative: None,
        render_ms: 1,
        created_at: chrono::Utc::now(),
        owner: Some("user:1".to_owned()),
        size_bytes: 4,
        visibility: Default::default(),
    }
}

/// Saves all `records` at once, each from its own task, and returns each outcome.
async fn save_concurrently(
    store: &Arc<Store>,
    records: &[ChartRecord],
) -> Vec<Result<(), StoreError>> {
    let tasks: Vec<_> = records
        .iter()
        .cloned()
        .map(|r| {
            let store = store.clone();
            tokio::spawn(async move {
                let result = store.save(&r, b"\x89PNG", b"{}").await;
                if result.is_ok() {
                    // Acknowledged means visible: the row is there when save returns.
                    assert!(store.get(r.id).await.unwrap().is_some());
                }
                result
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap());
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_are_all_durable_and_survive_a_reopen() {
    let dir = common::temp_dir("group-commit");
    let store = Arc::new(open(&dir).await);
    let records: Vec<ChartRecord> = (0..64).map(record).collect();
    for outcome in save_concurrently(&store, &records).await {
        outcome.unwrap();
    }
    assert_eq!(store.count().await.unwrap(), 64);
    store.close().await;
    drop(store);

    let store = open(&dir).await;
    assert_eq!(store.count().await.unwrap(), 64);
    for r in &records {
        assert!(store.get(r.id).await.unwrap().is_some());
        assert!(dir.join("charts").join(r.image_name()).exists());
        assert!(dir.join("charts").join(r.metadata_name()).exists());
    }
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_duplicate_id_in_a_batch_fails_alone() {
    let dir = common::temp_dir("group-commit-dup");
    let store = Arc::new(open(&dir).await);
    let existing = record(0);
    store.save(&existing, b"\x89PNG", b"{}").await.unwrap();
    // Its files gone (its row stays), a second save of the same id gets past the files —
    // created new, never replaced — and fails at the row, inside a batch.
    for name in [existing.image_name(), existing.metadata_name()] {
        std::fs::remove_file(dir.join("charts").join(name)).unwrap();
    }

    // The duplicate is saved among fresh charts, likely in the same batch as some of them.
    let mut records: Vec<ChartRecord> = (1..=16).map(record).collect();
    records.insert(8, existing.clone());
    let outcomes = save_concurrently(&store, &records).await;
    for (r, outcome) in records.iter().zip(&outcomes) {
        if r.id == existing.id {
            assert!(matches!(outcome, Err(StoreError::Db(_))), "{outcome:?}");
        } else {
            assert!(outcome.is_ok(), "{outcome:?}");
        }
    }
    assert_eq!(store.count().await.unwrap(), 17);
    // The files written for the refused save belong to a visible chart and are kept.
    assert!(dir.join("charts").join(existing.image_name()).exists());
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
