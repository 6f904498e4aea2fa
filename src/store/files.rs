//! Chart files on local disk: `<uuid>.<png|webp>` and `<uuid>.json` in one flat directory.
//!
//! This file owns the two rules that keep the directory safe:
//!
//! - [`FileStore::safe_name`] is the only gate between a name from a request and a path on disk;
//!   it accepts nothing but a plain `<stem>.<ext>`, so no name can leave the directory.
//! - [`FileStore::write_atomic`] never exposes a torn file: bytes go to a hidden temp file, which
//!   is fsynced, renamed over the final name, and then the directory is fsynced so the rename
//!   itself survives a crash ([`FileStore::write_pending`] + [`FileStore::sync_dir`] split the
//!   two, so that group commit syncs the directory once for many files). A crash before the
//!   rename leaves only a `.…tmp` file, which [`FileStore::sweep_temp`] removes at startup.
//!   A new chart's files need none of this ([`FileStore::write_new`]): no one reads them
//!   before the chart's row commits.
//!
//! A directory on a shared volume can go away under a running server (unmounted, a stale NFS
//! handle, a FUSE daemon gone). [`FileStore::check_volume`] tells that apart from a missing
//! file: the directory is stat'ed and compared with the device and inode it had at open (an
//! unmounted mount point shows the directory underneath it). A gone volume is an
//! [`io::ErrorKind::NotConnected`] error, which the API answers `503 STORE_UNAVAILABLE`, never a
//! 404 for every chart nor a write into the directory under the mount point.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::StoreError;
use super::names;

/// A flat directory of chart files, written atomically and read only through [`Self::safe_name`].
#[derive(Clone, Debug)]
pub struct FileStore {
    dir: PathBuf,
    /// The directory's device and inode at open: see [`FileStore::check_volume`].
    identity: (u64, u64),
}

/// A file's size and modification time, for the `ETag` of served files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStat {
    /// Size in bytes.
    pub len: u64,
    /// Last modification.
    pub modified: SystemTime,
}

impl FileStore {
    /// Longest accepted file stem; a hyphenated UUID is 36, previews are short names.
    pub const MAX_STEM_LEN: usize = names::MAX_STEM_LEN;

    /// Opens the directory, creating it (and its parents) if missing.
    pub fn open(dir: &Path) -> Result<FileStore, StoreError> {
        fs::create_dir_all(dir)?;
        let meta = fs::metadata(dir)?;
        Ok(FileStore {
            dir: dir.to_path_buf(),
            identity: (meta.dev(), meta.ino()),
        })
    }

    /// Whether the directory is still the one opened: an [`io::ErrorKind::NotConnected`] error
    /// when it is gone or is now another directory (its volume unmounted), and the volume's own
    /// error when it cannot be reached (`ENOTCONN`, `ESTALE`, `EIO`, …). Blocking (one `stat`).
    pub fn check_volume(&self) -> io::Result<()> {
        let gone = |why: &str| {
            io::Error::new(
                io::ErrorKind::NotConnected,
                format!(
                    "the chart directory {} {why} (is its volume mounted?)",
                    self.dir.display()
                ),
            )
        };
        match fs::metadata(&self.dir) {
            Ok(meta) if (meta.dev(), meta.ino()) == self.identity => Ok(()),
            Ok(_) => Err(gone("is not the directory opened at start")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(gone("is gone")),
            Err(e) => Err(e),
        }
    }

    /// `Ok(None)` for a file that is not there, once the volume is known to be there.
    async fn absent<T>(&self) -> Result<Option<T>, StoreError> {
        let store = self.clone();
        blocking(move || store.check_volume()).await?;
        Ok(None)
    }

    /// The directory holding the files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Returns `name` if it is a plain `<stem>.<ext>`: a stem of 1 to [`Self::MAX_STEM_LEN`] ASCII
    /// letters, digits, `_` or `-`, and a lowercase `png`, `webp`, `svg`, `pdf`, `jpeg` or `json`
    /// extension.
    ///
    /// Everything else (`..`, separators, `%`, NUL, hidden files, other extensions) is `None`,
    /// so no accepted name can point outside the directory or at a temp file. Every backend
    /// uses this same gate.
    pub fn safe_name(name: &str) -> Option<&str> {
        names::safe_name(name)
    }

    /// The full path of `name`, or `None` if [`Self::safe_name`] rejects it.
    pub fn path(&self, name: &str) -> Option<PathBuf> {
        Self::safe_name(name).map(|name| self.dir.join(name))
    }

    /// Writes `bytes` as `name` so that a crash leaves either the old file, the new file, or
    /// (for a new name) nothing, never a partial one; on return the file is durable.
    ///
    /// An unsafe name is an [`io::ErrorKind::InvalidInput`] error. The temp file is removed on
    /// every error path.
    pub async fn write_atomic(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.write_pending(name, bytes.to_vec()).await?;
        self.sync_dir().await
    }

    /// Like [`Self::write_atomic`] but without the directory fsync: the file's bytes are durable
    /// and it is renamed into place, but the rename itself is durable only after a later
    /// [`Self::sync_dir`]. Group commit writes many files this way and syncs the directory once.
    pub async fn write_pending(&self, name: &str, bytes: Vec<u8>) -> Result<(), StoreError> {
        let target = self.checked_path(name)?;
        let temp = self.dir.join(names::temp_name(name));
        let store = self.clone();
        blocking(move || {
            store.check_volume()?;
            write_and_rename(&temp, &target, &bytes).inspect_err(|_| {
                // Best effort: the rename may have happened, and then there is nothing to remove.
                let _ = fs::remove_file(&temp);
            })
        })
        .await?;
        Ok(())
    }

    /// Writes files that must not exist yet (a new chart's, named by its fresh id) straight
    /// under their names, each fsynced, in one blocking task; their directory entries are
    /// durable after a later [`Self::sync_dir`]. No temp file or rename is needed: nothing
    /// serves a chart's files before its row commits, which happens only after that sync, and
    /// [`crate::store::Store::sweep`] removes files whose row never committed. On error the
    /// files this call created are removed.
    pub async fn write_new(&self, files: Vec<(String, Vec<u8>)>) -> Result<(), StoreError> {
        let targets = files
            .into_iter()
            .map(|(name, bytes)| Ok((self.checked_path(&name)?, bytes)))
            .collect::<io::Result<Vec<_>>>()?;
        let store = self.clone();
        blocking(move || {
            // Not into the directory under an unmounted volume's mount point.
            store.check_volume()?;
            let mut created = Vec::with_capacity(targets.len());
            let written = targets.iter().try_for_each(|(path, bytes)| {
                let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
                created.push(path);
                file.write_all(bytes)?;
                // Data and the size that reads it: the inode's other metadata may lag.
                file.sync_data()
            });
            if written.is_err() {
                for path in created {
                    let _ = fs::remove_file(path);
                }
            }
            written
        })
        .await?;
        Ok(())
    }

    /// Fsyncs the directory, making every rename into it so far durable.
    pub async fn sync_dir(&self) -> Result<(), StoreError> {
        let store = self.clone();
        // Without this a rename may be lost in a crash even though the file's data was synced.
        blocking(move || {
            File::open(&store.dir)
                .map_err(|e| store.check_volume().err().unwrap_or(e))?
                .sync_all()
        })
        .await?;
        Ok(())
    }

    /// Removes `name`; `true` if it existed. An unsafe name names no file: `Ok(false)`.
    pub async fn remove(&self, name: &str) -> Result<bool, StoreError> {
        let Some(path) = self.path(name) else {
            return Ok(false);
        };
        match tokio::fs::remove_file(path).await {
            Ok(()) => Ok(true),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(err.into()),
        }
    }

    /// Reads `name`; `None` if it does not exist or [`Self::safe_name`] rejects it.
    pub async fn read(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(path) = self.path(name) else {
            return Ok(None);
        };
        match tokio::fs::read(path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => self.absent().await,
            Err(err) => Err(err.into()),
        }
    }

    /// Removes leftover temp files (`.<name>.<random>.tmp`) of interrupted writes and returns
    /// how many. Blocking; call it at startup, when no write is in flight.
    pub fn sweep_temp(&self) -> io::Result<usize> {
        let mut removed = 0;
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let is_temp = name.to_str().is_some_and(names::is_temp);
            if is_temp && entry.file_type()?.is_file() {
                match fs::remove_file(entry.path()) {
                    Ok(()) => removed += 1,
                    Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                    Err(err) => return Err(err),
                }
            }
        }
        Ok(removed)
    }

    /// Names of the regular files in the directory (UTF-8 names only), in no particular order.
    /// Blocking.
    pub fn list_names(&self) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            if !entry.file_type()?.is_file() {
                continue;
            }
            if let Ok(name) = entry.file_name().into_string() {
                names.push(name);
            }
        }
        Ok(names)
    }

    /// Names and modification times of the regular files in the directory (UTF-8 names only,
    /// temp files included), in no particular order. Blocking.
    pub fn list_entries(&self) -> io::Result<Vec<(String, SystemTime)>> {
        self.check_volume()?;
        let mut entries = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let Ok(meta) = entry.metadata() else {
                // Removed since the listing (another instance's sweep or delete).
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            if let Ok(name) = entry.file_name().into_string() {
                entries.push((name, meta.modified()?));
            }
        }
        Ok(entries)
    }

    /// Size and modification time of `name`; `None` if it is not a regular file or
    /// [`Self::safe_name`] rejects it.
    pub async fn stat(&self, name: &str) -> Result<Option<FileStat>, StoreError> {
        let Some(path) = self.path(name) else {
            return Ok(None);
        };
        match tokio::fs::metadata(path).await {
            Ok(m) if m.is_file() => Ok(Some(FileStat {
                len: m.len(),
                modified: m.modified()?,
            })),
            Ok(_) => Ok(None),
            Err(err) if err.kind() == io::ErrorKind::NotFound => self.absent().await,
            Err(err) => Err(err.into()),
        }
    }

    /// Like [`Self::path`], but an unsafe name is an error, for writes.
    fn checked_path(&self, name: &str) -> io::Result<PathBuf> {
        self.path(name).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe chart file name {name:?}"),
            )
        })
    }
}

/// Writes a fresh temp file, syncs its data, and renames it over `target`.
fn write_and_rename(temp: &Path, target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(temp, target)
}

/// Runs blocking file work off the async runtime.
pub(super) async fn blocking<T, F>(work: F) -> io::Result<T>
where
    F: FnOnce() -> io::Result<T> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(io::Error::other)?
}
