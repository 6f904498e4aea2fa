//! Durable chart storage: image and metadata files on local disk, one row per chart in SQL.
//!
//! A chart is two files, `<uuid>.<png|webp>` and `<uuid>.json` (the reference service's layout),
//! in a [`FileStore`], plus one row in a [`ChartIndex`] ([`SqlIndex`] on the shared [`Db`]:
//! SQLite, or PostgreSQL shared by several instances).
//! The row is the commit point: a chart is visible (get, gallery) only once its row exists.
//!
//! [`Store`] orders the steps so that a crash (kill -9, power loss) at any point leaves either a
//! whole chart or nothing visible, plus leftovers that startup removes:
//!
//! - **save**: image file and metadata file (written under their final names and fsynced: they
//!   are new, and nothing reads them before the row exists), then the directory fsync and the
//!   row, both shared with concurrent saves by group commit (`commit.rs`). A crash before the
//!   row commits leaves files without a row (possibly torn); [`Store::sweep`] deletes them at
//!   startup, with the temp files of [`FileStore::write_atomic`].
//! - **delete**: row first, so the chart disappears at once, then the files. A crash in between
//!   leaves files without a row, which the sweep deletes.

mod commit;
mod error;
mod files;
mod index;
mod record;
mod sql;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use tokio::sync::RwLock;

use crate::db::Db;
use uuid::Uuid;

pub use error::{StoreError, is_storage_full};
pub use files::FileStore;
pub use index::ChartIndex;
pub use record::{ChartRecord, GalleryQuery, MAX_GALLERY_PAGE};
pub use sql::SqlIndex;

pub use crate::db::DATABASE_FILE;

/// Name of the chart file directory inside the data directory.
pub const CHARTS_DIR: &str = "charts";

/// What a [`Store::sweep`] removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Temp files of interrupted writes.
    pub temp_files: usize,
    /// Chart files (`<uuid>.<png|webp|json>`) whose uuid has no row.
    pub orphans: usize,
}

/// Files + index together, with the crash-safe order of operations.
pub struct Store {
    index: Arc<dyn ChartIndex>,
    files: FileStore,
    /// Saves hold it shared, sweeps exclusively: a save's files have no row until its insert
    /// commits, and a concurrent sweep would otherwise delete them as orphans.
    writes: RwLock<()>,
    /// The group committer, started by the first save (it needs a running tokio runtime).
    commit: OnceLock<commit::GroupCommit>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("index", &self.index.kind())
            .field("files", &self.files)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating) `data_dir/clovicharts.db` and `data_dir/charts/`, then sweeps (see
    /// [`Store::open_with`]). For tools and tests; the server opens its [`Db`] once and hands
    /// it to [`Store::open_with`] and the account store.
    pub async fn open(data_dir: &Path) -> Result<Store, StoreError> {
        // The database file lives in the directory: it must exist before the pool opens.
        tokio::fs::create_dir_all(data_dir).await?;
        Store::open_with(Db::open(data_dir).await?, data_dir).await
    }

    /// The chart rows of `db` and the files in `data_dir/charts/` (created if missing), then
    /// sweeps: removes temp files, and `<uuid>.<png|webp|json>` files whose uuid has no row
    /// (leftovers of a crash between the file writes and the row commit). Files whose stem is
    /// not a uuid (e.g. `example_bar.png` previews) are left alone. Logs the counts of what it
    /// removed.
    pub async fn open_with(db: Db, data_dir: &Path) -> Result<Store, StoreError> {
        let charts_dir = data_dir.join(CHARTS_DIR);
        tokio::fs::create_dir_all(&charts_dir).await?;
        let files = FileStore::open(&charts_dir)?;
        let store = Store::with_index(Arc::new(SqlIndex::new(db)), files);
        let report = store.sweep().await?;
        tracing::info!(
            index = store.kind(),
            dir = %store.files.dir().display(),
            temp_files = report.temp_files,
            orphans = report.orphans,
            "chart store opened; removed leftovers of interrupted writes"
        );
        Ok(store)
    }

    /// Combines an index and a file store, for other backends and tests; does not sweep.
    pub fn with_index(index: Arc<dyn ChartIndex>, files: FileStore) -> Store {
        Store {
            index,
            files,
            writes: RwLock::new(()),
            commit: OnceLock::new(),
        }
    }

    /// Removes temp files and chart files without a row. Waits for in-flight saves; meant for
    /// startup, as it lists the whole directory.
    pub async fn sweep(&self) -> Result<SweepReport, StoreError> {
        let _exclusive = self.writes.write().await;
        let files = self.files.clone();
        let (temp_files, names) =
            files::blocking(move || Ok((files.sweep_temp()?, files.list_names()?))).await?;

        let mut has_row: HashMap<Uuid, bool> = HashMap::new();
        let mut orphans = 0;
        for name in names {
            let Some(id) = chart_id(&name) else {
                continue;
            };
            let indexed = match has_row.get(&id) {
                Some(&indexed) => indexed,
                None => {
                    let indexed = self.index.contains(id).await?;
                    has_row.insert(id, indexed);
                    indexed
                }
            };
            if !indexed && self.files.remove(&name).await? {
                tracing::debug!(file = %name, "removed chart file without a row");
                orphans += 1;
            }
        }
        Ok(SweepReport {
            temp_files,
            orphans,
        })
    }

    /// Durable save: image and metadata files (each fsynced and renamed into place), then one
    /// directory fsync and the row, both shared with concurrent saves (group commit). Only
    /// after the row commits is the chart visible (gallery, get) and does this return. If a
    /// step fails, the files written so far are removed.
    pub async fn save(
        &self,
        record: &ChartRecord,
        image: &[u8],
        metadata_json: &[u8],
    ) -> Result<(), StoreError> {
        let _shared = self.writes.read().await;
        let image_name = record.image_name();
        let metadata_name = record.metadata_name();

        let written = self
            .files
            .write_new(vec![
                (image_name.clone(), image.to_vec()),
                (metadata_name.clone(), metadata_json.to_vec()),
            ])
            .await;
        let result = match written {
            Ok(_) => {
                let commit = self.commit.get_or_init(|| {
                    commit::GroupCommit::start(self.index.clone(), self.files.clone())
                });
                commit.commit(record.clone()).await
            }
            Err(err) => Err(err),
        };
        if let Err(err) = result {
            self.discard_unindexed(record.id, &[&image_name, &metadata_name])
                .await;
            return Err(err);
        }
        Ok(())
    }

    /// The record for `id`, if its chart is stored.
    pub async fn get(&self, id: Uuid) -> Result<Option<ChartRecord>, StoreError> {
        self.index.get(id).await
    }

    /// One gallery page, newest first, and the total number of matching charts.
    pub async fn list(&self, query: &GalleryQuery) -> Result<(Vec<ChartRecord>, u64), StoreError> {
        self.index.list(query).await
    }

    /// Deletes the row first (so the chart stops being listed), then the image (any format)
    /// and metadata files. Returns `true` if anything existed (row or any file).
    pub async fn delete(&self, id: Uuid) -> Result<bool, StoreError> {
        let mut existed = self.index.delete(id).await?;
        let id = id.hyphenated();
        let image_exts = crate::spec::Format::ALL.map(|f| f.name());
        for ext in image_exts.iter().chain(&["json"]) {
            existed |= self.files.remove(&format!("{id}.{ext}")).await?;
        }
        Ok(existed)
    }

    /// Number of stored charts.
    pub async fn count(&self) -> Result<u64, StoreError> {
        self.index.count().await
    }

    /// The file side, for serving files by name.
    pub fn files(&self) -> &FileStore {
        &self.files
    }

    /// Whether the index answers now (the database is reachable), for readiness.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.index.ping().await
    }

    /// The index backend's name, e.g. `"sqlite"`.
    pub fn kind(&self) -> &'static str {
        self.index.kind()
    }

    /// Closes the index; call before shutdown so SQLite checkpoints its WAL.
    pub async fn close(&self) {
        self.index.close().await;
    }

    /// Removes a failed save's files, unless a row for `id` exists: then they belong to a
    /// visible chart (a duplicate id, or an insert that committed but reported an error).
    /// Failures here are only logged; the sweep at next startup catches what remains.
    async fn discard_unindexed(&self, id: Uuid, names: &[&str]) {
        if let Ok(true) = self.index.contains(id).await {
            return;
        }
        for name in names {
            if let Err(err) = self.files.remove(name).await {
                tracing::warn!(file = %name, error = %err, "could not remove file of failed save");
            }
        }
    }
}

/// The chart id of a file the store itself names (`<hyphenated lowercase uuid>.<png|webp|json>`);
/// `None` for anything else, such as previews or files a person put there.
fn chart_id(name: &str) -> Option<Uuid> {
    let (stem, _ext) = FileStore::safe_name(name)?.split_once('.')?;
    let id = Uuid::try_parse(stem).ok()?;
    (id.hyphenated().to_string() == stem).then_some(id)
}
