//! [`Objects`]: the one seam between the store and where chart files live, so that the store's
//! order of operations (objects, then row) is written once for every backend:
//!
//! - [`Objects::File`]: a directory ([`FileStore`]), `DATA_DIR/charts` by default or the
//!   `file://` path of `STORAGE_URL` (a shared volume). Byte for byte what it always was.
//! - [`Objects::S3`]: a bucket of an S3-compatible store ([`S3Objects`], `STORAGE_URL=s3://…`).
//!
//! Every name goes through [`FileStore::safe_name`] in both, so a name from a request never
//! reaches anything but a plain chart file.

use std::path::Path;
use std::time::SystemTime;

use super::StoreError;
use super::files::{self, FileStore};
use super::names;
use super::s3::S3Objects;
use crate::config::{StorageConfig, StorageLocation};

/// Name of the chart file directory inside the data directory.
pub const CHARTS_DIR: &str = "charts";

/// Where chart images, metadata and previews are kept.
#[derive(Clone, Debug)]
pub enum Objects {
    /// Files in a directory.
    File(FileStore),
    /// Objects in an S3 bucket.
    S3(S3Objects),
}

/// A stored object as served: its `ETag`, and its bytes unless the client has them already.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    /// The quoted entity tag.
    pub etag: String,
    /// The bytes; `None` when the client's `If-None-Match` names the current `ETag`.
    pub bytes: Option<Vec<u8>>,
}

/// One entry of a listing: a name and when it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The object's name (no directory or prefix).
    pub name: String,
    /// When it was written (a chart's objects are written once, never modified).
    pub modified: SystemTime,
}

impl From<FileStore> for Objects {
    fn from(files: FileStore) -> Self {
        Objects::File(files)
    }
}

impl From<S3Objects> for Objects {
    fn from(s3: S3Objects) -> Self {
        Objects::S3(s3)
    }
}

impl Objects {
    /// The backend `config` names: `data_dir/charts` (created) when `STORAGE_URL` is unset.
    /// Contacts no server: the store's first sweep does, and fails the start if it cannot.
    pub fn open(config: &StorageConfig, data_dir: &Path) -> Result<Objects, StoreError> {
        Ok(match &config.location {
            StorageLocation::DataDir => FileStore::open(&data_dir.join(CHARTS_DIR))?.into(),
            StorageLocation::Dir(dir) => FileStore::open(dir)
                .map_err(|e| StoreError::Setup(format!("file://{}: {e}", dir.display())))?
                .into(),
            StorageLocation::S3(location) => S3Objects::open(location, config.timeout)?.into(),
        })
    }

    /// `"file"` or `"s3"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Objects::File(_) => "file",
            Objects::S3(_) => "s3",
        }
    }

    /// The directory, or `s3://bucket/prefix` (no options), for logs and `/health`.
    pub fn location(&self) -> String {
        match self {
            Objects::File(f) => f.dir().display().to_string(),
            Objects::S3(s) => s.label().to_owned(),
        }
    }

    /// The directory of the file backend (readiness checks its disk); `None` for S3.
    pub fn local_dir(&self) -> Option<&Path> {
        match self {
            Objects::File(f) => Some(f.dir()),
            Objects::S3(_) => None,
        }
    }

    /// The file backend, if that is this one.
    pub fn as_files(&self) -> Option<&FileStore> {
        match self {
            Objects::File(f) => Some(f),
            Objects::S3(_) => None,
        }
    }

    /// Writes a new chart's objects, which must not exist yet; on error, those this call
    /// created are removed. Files are fsynced but their directory entries are durable only
    /// after [`Self::sync`]; S3 objects are durable on return.
    pub async fn write_new(&self, files: Vec<(String, Vec<u8>)>) -> Result<(), StoreError> {
        match self {
            Objects::File(f) => f.write_new(files).await,
            Objects::S3(s) => s.write_new(files).await,
        }
    }

    /// Makes every [`Self::write_new`] so far durable: one directory fsync for files, nothing
    /// for S3 (each `PUT` already is).
    pub async fn sync(&self) -> Result<(), StoreError> {
        match self {
            Objects::File(f) => f.sync_dir().await,
            Objects::S3(_) => Ok(()),
        }
    }

    /// Writes or replaces `name` so that a reader sees the old bytes or the new, never a part;
    /// durable on return.
    pub async fn write_atomic(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        match self {
            Objects::File(f) => f.write_atomic(name, bytes).await,
            Objects::S3(s) => s.write(name, bytes.to_vec()).await,
        }
    }

    /// The bytes of `name`; `None` if it does not exist or the name gate rejects it.
    pub async fn read(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match self {
            Objects::File(f) => f.read(name).await,
            Objects::S3(s) => s.read(name).await,
        }
    }

    /// Whether `name` exists.
    pub async fn exists(&self, name: &str) -> Result<bool, StoreError> {
        match self {
            Objects::File(f) => Ok(f.stat(name).await?.is_some()),
            Objects::S3(s) => s.exists(name).await,
        }
    }

    /// Removes `name`; `true` if it existed. A name the gate rejects names nothing.
    pub async fn remove(&self, name: &str) -> Result<bool, StoreError> {
        match self {
            Objects::File(f) => f.remove(name).await,
            Objects::S3(s) => s.remove(name).await,
        }
    }

    /// Removes every object of chart `id` (its image in any format, its metadata). `true` if
    /// any existed; with `known_to_exist` (its row was just deleted) S3 skips asking.
    pub async fn remove_chart(
        &self,
        id: uuid::Uuid,
        known_to_exist: bool,
    ) -> Result<bool, StoreError> {
        let mut existed = false;
        for name in names::chart_names(id) {
            existed |= match self {
                Objects::S3(s) if known_to_exist => s.remove_quietly(&name).await.map(|()| true)?,
                _ => self.remove(&name).await?,
            };
        }
        Ok(existed)
    }

    /// `name` as served: its `ETag`, and its bytes unless `if_none_match` (the request's
    /// header) names that `ETag` or is `*`. `None` if it does not exist.
    pub async fn fetch(
        &self,
        name: &str,
        if_none_match: Option<&str>,
    ) -> Result<Option<Fetched>, StoreError> {
        let not_modified = |etag: &str| {
            if_none_match.is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
        };
        match self {
            Objects::File(f) => {
                let Some(stat) = f.stat(name).await? else {
                    return Ok(None);
                };
                let modified = stat
                    .modified
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos());
                let etag = format!("\"{:x}-{:x}\"", stat.len, modified);
                if not_modified(&etag) {
                    return Ok(Some(Fetched { etag, bytes: None }));
                }
                // Removed since the stat (a delete on another instance): not found.
                Ok(f.read(name).await?.map(|bytes| Fetched {
                    etag,
                    bytes: Some(bytes),
                }))
            }
            Objects::S3(s) => Ok(s
                .fetch(name, &not_modified)
                .await?
                .map(|(etag, bytes)| Fetched { etag, bytes })),
        }
    }

    /// Every object (temp ones included) with when it was written, in no particular order.
    pub async fn list(&self) -> Result<Vec<Listed>, StoreError> {
        let entries = match self {
            Objects::File(f) => {
                let f = f.clone();
                files::blocking(move || f.list_entries()).await?
            }
            Objects::S3(s) => s.list().await?,
        };
        Ok(entries
            .into_iter()
            .map(|(name, modified)| Listed { name, modified })
            .collect())
    }

    /// Removes a temp object of an interrupted write or probe, by the name [`Self::list`]
    /// gave; `true` if it was removed.
    pub async fn remove_temp(&self, name: &str) -> Result<bool, StoreError> {
        if !names::is_temp(name) {
            return Ok(false);
        }
        match self {
            Objects::File(f) => match tokio::fs::remove_file(f.dir().join(name)).await {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(e.into()),
            },
            Objects::S3(s) => s.remove_temp(name).await.map(|()| true),
        }
    }

    /// For S3, writes and removes a probe object (readiness); the file backend's probe is
    /// the synced write of `readiness.rs`, so this answers only for S3.
    pub async fn probe(&self) -> Option<Result<String, StoreError>> {
        match self {
            Objects::File(_) => None,
            Objects::S3(s) => Some(s.probe().await),
        }
    }
}
