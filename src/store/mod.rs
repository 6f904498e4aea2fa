//! Durable chart storage: image and metadata objects (files on disk, or objects in an S3
//! bucket), one row per chart in SQL.
//!
//! A chart is two objects, `<uuid>.<png|webp|…>` and `<uuid>.json` (the reference service's
//! layout), in [`Objects`] (a [`FileStore`] directory, `DATA_DIR/charts` by default, or an
//! [`S3Objects`] bucket, chosen by `STORAGE_URL`), plus one row in a [`ChartIndex`]
//! ([`SqlIndex`] on the shared [`Db`]: SQLite, or PostgreSQL shared by several instances).
//! The row is the commit point: a chart is visible (get, gallery) only once its row exists.
//!
//! [`Store`] orders the steps so that a crash (kill -9, power loss) at any point leaves either a
//! whole chart or nothing visible, plus leftovers that a later start removes:
//!
//! - **save**: image and metadata objects (files written under their final names and fsynced:
//!   they are new, and nothing reads them before the row exists; S3 objects `PUT` with
//!   `If-None-Match: *`), then the directory fsync and the row, both shared with concurrent
//!   saves by group commit (`commit.rs`). Nothing is answered before both. A crash before the
//!   row commits leaves objects without a row (possibly torn files); [`Store::sweep`] deletes
//!   them, with the temp files of [`FileStore::write_atomic`], once they are older than the
//!   grace period (`STORAGE_SWEEP_GRACE_SECS`): with several instances on one storage, an
//!   object without a row may be another instance's save in flight.
//! - **delete**: row first, so the chart disappears at once on every instance, then the
//!   objects. A crash in between leaves objects without a row, which the sweep deletes.

mod commit;
mod error;
mod files;
mod index;
mod names;
mod objects;
mod record;
mod s3;
mod sql;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use tokio::sync::RwLock;

use crate::config::StorageConfig;
use crate::db::Db;
use uuid::Uuid;

pub use error::{StoreError, is_storage_full};
pub use files::{FileStat, FileStore};
pub use index::ChartIndex;
pub use objects::{CHARTS_DIR, Fetched, Listed, Objects};
pub use record::{ChartRecord, GalleryQuery, MAX_GALLERY_PAGE};
pub use s3::S3Objects;
pub use sql::SqlIndex;

pub use crate::db::DATABASE_FILE;

/// The shortest grace period with which a periodic sweep runs beside saves instead of waiting
/// for them (see [`Store::spawn_sweeper`]).
const UNLOCKED_SWEEP_MIN_GRACE: Duration = Duration::from_secs(60);

/// What a [`Store::sweep`] removed, and what it left for a later one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Temp objects of interrupted writes.
    pub temp_files: usize,
    /// Chart objects (`<uuid>.<png|webp|json|…>`) whose uuid has no row.
    pub orphans: usize,
    /// Temp and chart objects younger than the grace period, not examined: they may belong to
    /// a save in flight on another instance.
    pub recent: usize,
}

/// Objects + index together, with the crash-safe order of operations.
pub struct Store {
    index: Arc<dyn ChartIndex>,
    objects: Objects,
    /// Objects without a row younger than this are left to a later sweep.
    sweep_grace: Duration,
    /// Saves hold it shared, sweeps exclusively: a save's objects have no row until its insert
    /// commits, and a concurrent sweep here would otherwise delete them as orphans (with a
    /// zero grace period; other instances are kept off by the grace period).
    writes: RwLock<()>,
    /// The group committer, started by the first save (it needs a running tokio runtime).
    commit: OnceLock<commit::GroupCommit>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("index", &self.index.kind())
            .field("objects", &self.objects)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating) `data_dir/clovicharts.db` and `data_dir/charts/`, then sweeps (see
    /// [`Store::open_configured`]). For tools and tests; the server opens its [`Db`] once and
    /// hands it to [`Store::open_configured`] and the account store.
    pub async fn open(data_dir: &Path) -> Result<Store, StoreError> {
        // The database file lives in the directory: it must exist before the pool opens.
        tokio::fs::create_dir_all(data_dir).await?;
        Store::open_with(Db::open(data_dir).await?, data_dir).await
    }

    /// The chart rows of `db` and the files in `data_dir/charts/` (created if missing), with
    /// the default grace period; see [`Store::open_configured`].
    pub async fn open_with(db: Db, data_dir: &Path) -> Result<Store, StoreError> {
        Store::open_configured(db, data_dir, &StorageConfig::default()).await
    }

    /// The chart rows of `db` and the objects `storage` names (`data_dir/charts/` by default),
    /// then sweeps: removes temp objects, and `<uuid>.<ext>` objects whose uuid has no row
    /// (leftovers of a crash between the object writes and the row commit), both only once
    /// older than `storage.sweep_grace`. Names whose stem is not a uuid (e.g.
    /// `example_bar.png` previews) are left alone. Logs the counts. Storage that cannot be
    /// listed (a bucket that does not exist or does not answer) is a [`StoreError::Setup`].
    pub async fn open_configured(
        db: Db,
        data_dir: &Path,
        storage: &StorageConfig,
    ) -> Result<Store, StoreError> {
        let objects = Objects::open(storage, data_dir)?;
        let store = Store::with_index(Arc::new(SqlIndex::new(db)), objects)
            .with_sweep_grace(storage.sweep_grace);
        let report = store.sweep().await.map_err(|e| match e {
            StoreError::Object(e) => StoreError::Setup(format!(
                "{}: cannot be listed at start: {e}",
                store.objects.location()
            )),
            e => e,
        })?;
        tracing::info!(
            index = store.kind(),
            storage = store.objects.kind(),
            location = %store.objects.location(),
            temp_files = report.temp_files,
            orphans = report.orphans,
            recent = report.recent,
            grace_s = store.sweep_grace.as_secs(),
            "chart store opened; removed leftovers of interrupted writes"
        );
        Ok(store)
    }

    /// Combines an index and objects (a [`FileStore`] or [`S3Objects`]), for other backends,
    /// tools and tests; does not sweep. The grace period is the default
    /// ([`crate::config::storage::DEFAULT_SWEEP_GRACE_SECS`]).
    pub fn with_index(index: Arc<dyn ChartIndex>, objects: impl Into<Objects>) -> Store {
        Store {
            index,
            objects: objects.into(),
            sweep_grace: StorageConfig::default().sweep_grace,
            writes: RwLock::new(()),
            commit: OnceLock::new(),
        }
    }

    /// The same store with another grace period for [`Store::sweep`].
    pub fn with_sweep_grace(mut self, grace: Duration) -> Store {
        self.sweep_grace = grace;
        self
    }

    /// Removes temp objects and chart objects without a row, those older than the grace
    /// period only. Waits for this instance's in-flight saves; meant for startup, as it lists
    /// every object.
    pub async fn sweep(&self) -> Result<SweepReport, StoreError> {
        let _exclusive = self.writes.write().await;
        self.sweep_listed().await
    }

    /// Sweeps every `every` while the store is in use (the first one after `every`; the
    /// startup sweep has run already), logging what each removed. With a grace period of a
    /// minute or more the sweep does not wait for in-flight saves, nor hold new ones while it
    /// lists: no save stays unindexed that long, so the grace alone keeps their objects. The
    /// task ends with the store.
    pub fn spawn_sweeper(self: &Arc<Store>, every: Duration) -> tokio::task::JoinHandle<()> {
        let store = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(store) = store.upgrade() else { return };
                let swept = if store.sweep_grace >= UNLOCKED_SWEEP_MIN_GRACE {
                    store.sweep_listed().await
                } else {
                    store.sweep().await
                };
                match swept {
                    Ok(r) if r.temp_files + r.orphans > 0 => tracing::info!(
                        temp_files = r.temp_files,
                        orphans = r.orphans,
                        left_for_later = r.recent,
                        "periodic storage sweep removed objects without a row"
                    ),
                    Ok(_) => tracing::debug!("periodic storage sweep: nothing to remove"),
                    Err(e) => tracing::warn!(error = %e, "periodic storage sweep failed"),
                }
            }
        })
    }

    /// The sweep itself, without the lock (see [`Store::sweep`]).
    async fn sweep_listed(&self) -> Result<SweepReport, StoreError> {
        let cutoff = SystemTime::now()
            .checked_sub(self.sweep_grace)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let listed = self.objects.list().await?;

        let mut has_row: HashMap<Uuid, bool> = HashMap::new();
        let mut report = SweepReport::default();
        for Listed { name, modified } in listed {
            let temp = names::is_temp(&name);
            let id = names::chart_id(&name);
            if !temp && id.is_none() {
                continue;
            }
            if modified > cutoff {
                report.recent += 1;
                continue;
            }
            let Some(id) = id else {
                report.temp_files += usize::from(self.objects.remove_temp(&name).await?);
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
            if !indexed && self.objects.remove(&name).await? {
                tracing::debug!(object = %name, "removed chart object without a row");
                report.orphans += 1;
            }
        }
        Ok(report)
    }

    /// Durable save: image and metadata objects (files each fsynced; S3 objects written), then
    /// one directory fsync (files) and the row, both shared with concurrent saves (group
    /// commit). Only after the row commits is the chart visible (gallery, get) and does this
    /// return. If a step fails, the objects this save wrote are removed.
    pub async fn save(
        &self,
        record: &ChartRecord,
        image: &[u8],
        metadata_json: &[u8],
    ) -> Result<(), StoreError> {
        let _shared = self.writes.read().await;
        let image_name = record.image_name();
        let metadata_name = record.metadata_name();

        // On error, write_new has removed what it created; what was there before (the objects
        // of a stored chart with this id, or an orphan) is not this save's to remove.
        self.objects
            .write_new(vec![
                (image_name.clone(), image.to_vec()),
                (metadata_name.clone(), metadata_json.to_vec()),
            ])
            .await?;
        let commit = self
            .commit
            .get_or_init(|| commit::GroupCommit::start(self.index.clone(), self.objects.clone()));
        if let Err(err) = commit.commit(record.clone()).await {
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

    /// Deletes the row first (so the chart stops being listed, on every instance), then the
    /// image (any format) and metadata objects. Returns `true` if anything existed (row or any
    /// object).
    pub async fn delete(&self, id: Uuid) -> Result<bool, StoreError> {
        let row = self.index.delete(id).await?;
        let objects = self.objects.remove_chart(id, row).await?;
        Ok(row || objects)
    }

    /// Number of stored charts.
    pub async fn count(&self) -> Result<u64, StoreError> {
        self.index.count().await
    }

    /// The object side, for serving files by name and writing previews.
    pub fn objects(&self) -> &Objects {
        &self.objects
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
            if let Err(err) = self.objects.remove(name).await {
                tracing::warn!(file = %name, error = %err, "could not remove file of failed save");
            }
        }
    }
}
