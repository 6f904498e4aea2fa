//! Durable chart storage: image and metadata files on local disk, one row per chart in SQL.
//!
//! A chart is two files, `<uuid>.<png|webp>` and `<uuid>.json` (the reference service's layout),
//! in a [`FileStore`], plus one row in a [`ChartIndex`] ([`SqliteIndex`] on the shared
//! [`Db`] now, PostgreSQL later).
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
mod files;
mod sqlite;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use tokio::sync::RwLock;

use crate::db::Db;
use uuid::Uuid;

pub use files::FileStore;
pub use sqlite::SqliteIndex;

/// Largest gallery page; a larger `limit` is clamped, not refused.
pub const MAX_GALLERY_PAGE: u32 = 100;

pub use crate::db::DATABASE_FILE;

/// Name of the chart file directory inside the data directory.
pub const CHARTS_DIR: &str = "charts";

/// One stored chart (the reference's metadata fields plus owner/size).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChartRecord {
    /// The chart's id, also the stem of its file names.
    pub id: Uuid,
    /// Chart type, e.g. `"bar"`.
    pub chart_type: String,
    /// Theme name the chart was rendered with.
    pub theme: String,
    /// Image format and file extension: `"png"`, `"webp"`, `"svg"`, `"pdf"` or `"jpeg"`.
    pub format: String,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Chart title, if any.
    pub title: Option<String>,
    /// Generated narrative describing the chart, if any.
    pub narrative: Option<String>,
    /// Time spent rendering and encoding, in milliseconds.
    pub render_ms: u64,
    /// Creation time; stored with millisecond precision.
    pub created_at: DateTime<Utc>,
    /// Owning user id; `None` for anonymous or internal charts.
    pub owner: Option<String>,
    /// Image size in bytes.
    pub size_bytes: u64,
    /// Who may see it: the gallery lists only `public` charts.
    #[serde(default)]
    pub visibility: crate::spec::Visibility,
}

impl ChartRecord {
    /// The image file name, `<uuid>.<format>`.
    pub fn image_name(&self) -> String {
        format!("{}.{}", self.id.hyphenated(), self.format)
    }

    /// The metadata file name, `<uuid>.json`.
    pub fn metadata_name(&self) -> String {
        format!("{}.json", self.id.hyphenated())
    }
}

/// Gallery query: newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GalleryQuery {
    /// Page size; clamped to `1..=MAX_GALLERY_PAGE`.
    pub limit: u32,
    /// Number of charts to skip.
    pub offset: u32,
    /// Only charts of this type, if set (applies to the total as well).
    pub chart_type: Option<String>,
    /// `None`: the public gallery (only `public` charts); `Some(user)`: that owner's charts,
    /// whatever their visibility.
    pub owner: Option<String>,
}

impl GalleryQuery {
    /// The page size every index uses: `limit` clamped to `1..=MAX_GALLERY_PAGE`.
    pub fn page_limit(&self) -> u32 {
        self.limit.clamp(1, MAX_GALLERY_PAGE)
    }
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing chart files failed.
    #[error("storage I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// The SQL index failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// Applying the schema migrations failed at open.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<crate::db::DbError> for StoreError {
    fn from(e: crate::db::DbError) -> Self {
        match e {
            crate::db::DbError::Connect(e) => StoreError::Db(e),
            crate::db::DbError::Migrate(e) => StoreError::Migrate(e),
        }
    }
}

impl StoreError {
    /// Whether the disk (or the user's quota) is full: the client is told 507, not 500, and
    /// the save that hit it left nothing behind ([`Store::save`] removes its files).
    pub fn is_storage_full(&self) -> bool {
        match self {
            StoreError::Io(e) => is_storage_full(e),
            StoreError::Db(e) => sql_storage_full(e),
            StoreError::Migrate(sqlx::migrate::MigrateError::Execute(e)) => sql_storage_full(e),
            StoreError::Migrate(_) => false,
        }
    }
}

/// `ENOSPC` / `EDQUOT`, whatever `ErrorKind` the platform gave them.
pub fn is_storage_full(e: &std::io::Error) -> bool {
    /// Linux `ENOSPC` and `EDQUOT`.
    const FULL_ERRNOS: [i32; 2] = [28, 122];
    e.kind() == std::io::ErrorKind::StorageFull
        || e.raw_os_error().is_some_and(|n| FULL_ERRNOS.contains(&n))
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<std::io::Error>())
            .is_some_and(is_storage_full)
}

/// SQLite's `SQLITE_FULL` (13), or an I/O error under sqlx that is [`is_storage_full`].
fn sql_storage_full(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(io) => is_storage_full(io),
        sqlx::Error::Database(db) => {
            db.code().is_some_and(|c| c == "13" || c.starts_with("13"))
                || db.message().contains("disk is full")
        }
        _ => false,
    }
}

/// The SQL side: chart rows. Implemented by SqliteIndex now, a PostgreSQL index later.
#[async_trait::async_trait]
pub trait ChartIndex: Send + Sync {
    /// Short backend name for logs and health output, e.g. `"sqlite"`.
    fn kind(&self) -> &'static str;
    /// Inserts a row and returns once it is durably committed; a duplicate id is an error.
    async fn insert(&self, record: &ChartRecord) -> Result<(), StoreError>;
    /// Inserts all rows in one transaction (one durable commit), or none of them. The default
    /// inserts one by one; indexes with transactions override it for group commit.
    async fn insert_all(&self, records: &[ChartRecord]) -> Result<(), StoreError> {
        for record in records {
            self.insert(record).await?;
        }
        Ok(())
    }
    /// The row for `id`, if any.
    async fn get(&self, id: Uuid) -> Result<Option<ChartRecord>, StoreError>;
    /// One page, newest first (ties in insert order, newest first), and the total matching.
    async fn list(&self, query: &GalleryQuery) -> Result<(Vec<ChartRecord>, u64), StoreError>;
    /// Deletes the row for `id`; `true` if a row existed.
    async fn delete(&self, id: Uuid) -> Result<bool, StoreError>;
    /// Number of rows.
    async fn count(&self) -> Result<u64, StoreError>;
    /// Whether a row for `id` exists.
    async fn contains(&self, id: Uuid) -> Result<bool, StoreError>;
    /// Closes connections; later calls fail.
    async fn close(&self);
}

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
        let store = Store::with_index(Arc::new(SqliteIndex::new(db)), files);
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
    ///
    /// A `format` that is not an output format's name ([`crate::spec::Format::name`]) is an
    /// [`std::io::ErrorKind::InvalidInput`] error.
    pub async fn save(
        &self,
        record: &ChartRecord,
        image: &[u8],
        metadata_json: &[u8],
    ) -> Result<(), StoreError> {
        if !crate::spec::Format::ALL
            .iter()
            .any(|f| f.name() == record.format)
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("unknown image format {:?}", record.format),
            )
            .into());
        }
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
