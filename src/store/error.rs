//! Why a store operation failed, and telling a full disk from other failures.

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
    /// The object store (`STORAGE_URL=s3://…`) failed or could not be reached.
    #[error("object storage: {0}")]
    Object(object_store::Error),
    /// `STORAGE_URL` names storage that cannot be used (refused at start).
    #[error("STORAGE_URL {0}")]
    Setup(String),
}

impl From<object_store::Error> for StoreError {
    fn from(e: object_store::Error) -> Self {
        match e {
            // As `create_new` reports it for files: the callers match on the kind.
            object_store::Error::AlreadyExists { path, .. } => StoreError::Io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("object {path} exists already"),
            )),
            e => StoreError::Object(e),
        }
    }
}

impl From<crate::db::DbError> for StoreError {
    fn from(e: crate::db::DbError) -> Self {
        match e {
            crate::db::DbError::Connect(e) => StoreError::Db(e),
            crate::db::DbError::Migrate(e) => StoreError::Migrate(e),
            url @ crate::db::DbError::Url(_) => {
                StoreError::Db(sqlx::Error::Configuration(url.to_string().into()))
            }
        }
    }
}

impl StoreError {
    /// Whether the database or the object store cannot be reached now (down, restarting,
    /// connections cut, timing out): the client is told 503 `STORE_UNAVAILABLE` with
    /// `Retry-After`, and a retry may succeed.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Db(e) => crate::db::is_unavailable(e) && !sql_storage_full(e),
            StoreError::Object(e) => object_unavailable(e),
            StoreError::Io(e) => is_volume_unavailable(e),
            StoreError::Migrate(_) | StoreError::Setup(_) => false,
        }
    }

    /// Whether the disk (or the user's quota) is full: the client is told 507, not 500, and
    /// the save that hit it left nothing behind ([`Store::save`](super::Store::save) removes its files).
    pub fn is_storage_full(&self) -> bool {
        match self {
            StoreError::Io(e) => is_storage_full(e),
            StoreError::Db(e) => sql_storage_full(e),
            StoreError::Migrate(sqlx::migrate::MigrateError::Execute(e)) => sql_storage_full(e),
            StoreError::Migrate(_) | StoreError::Object(_) | StoreError::Setup(_) => false,
        }
    }

    /// Whether the object store, not the database, is what failed (for the 503's wording).
    pub fn is_object_storage(&self) -> bool {
        match self {
            StoreError::Object(_) => true,
            StoreError::Io(e) => is_volume_unavailable(e),
            _ => false,
        }
    }
}

/// Whether an object-store error means "cannot be reached now" (connection refused or reset,
/// timeouts, 5xx after the retries: all `Generic` in `object_store`), rather than a request the
/// store refused for good (not found, preconditions, permissions, bad configuration).
fn object_unavailable(e: &object_store::Error) -> bool {
    matches!(e, object_store::Error::Generic { .. })
}

/// Whether an I/O error means the chart files' volume cannot be reached now rather than a
/// request it refused: the directory gone or replaced ([`FileStore::check_volume`](super::FileStore::check_volume)'s
/// `NotConnected`), a timeout, or the errno of a volume that went away under the server
/// (Linux `EIO`, `ENXIO`, `ENODEV`, `ENOTCONN`, `ETIMEDOUT`, `EHOSTDOWN`, `EHOSTUNREACH`,
/// `ESTALE`, `ENOMEDIUM`).
fn is_volume_unavailable(e: &std::io::Error) -> bool {
    const GONE_ERRNOS: [i32; 9] = [5, 6, 19, 107, 110, 112, 113, 116, 123];
    matches!(
        e.kind(),
        std::io::ErrorKind::NotConnected | std::io::ErrorKind::TimedOut
    ) || e.raw_os_error().is_some_and(|n| GONE_ERRNOS.contains(&n))
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<std::io::Error>())
            .is_some_and(is_volume_unavailable)
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
