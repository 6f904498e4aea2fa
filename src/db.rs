//! The one database of a server: one connection pool on `DATA_DIR/clovicharts.db`, migrated
//! once at open, shared by the chart index (`store::SqliteIndex`) and the account tables
//! (`accounts::AccountStore`).
//!
//! [`Db`] is the seam where PostgreSQL arrives next: a `Db::connect(url)` that opens a Postgres
//! pool, and the two stores choosing their queries by [`Db::kind`]; nothing above the stores
//! sees which database it is.
//!
//! SQLite runs in WAL mode with `synchronous = FULL`, so a committed transaction survives a
//! crash or power loss (with `NORMAL` the last commits may roll back), and with foreign keys on
//! (sessions, refresh tokens and keys cascade with their user).

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// Name of the SQLite database file inside the data directory.
pub const DATABASE_FILE: &str = "clovicharts.db";

/// Connections in the pool: SQLite serialises writers anyway; eight readers are what the chart
/// index and the account tables had between them when each kept four.
const MAX_CONNECTIONS: u32 = 8;

/// How long a statement waits for a lock held by another connection before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// Connecting (or creating the file) failed.
    #[error("opening the database: {0}")]
    Connect(#[from] sqlx::Error),
    /// Applying the schema migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A handle on the database, cheap to clone (the pool is shared).
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens (creating) `data_dir/clovicharts.db` and applies the migrations. The directory
    /// must exist.
    pub async fn open(data_dir: &Path) -> Result<Db, DbError> {
        Db::open_file(&data_dir.join(DATABASE_FILE)).await
    }

    /// Opens (creating) the SQLite file at `path` and applies the migrations; for tools and
    /// tests that keep the database elsewhere.
    pub async fn open_file(path: &Path) -> Result<Db, DbError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Db { pool })
    }

    /// Short backend name for logs and health output.
    pub fn kind(&self) -> &'static str {
        "sqlite"
    }

    /// The SQLite pool, for the stores' queries.
    pub fn sqlite(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes every connection (SQLite checkpoints its WAL); later queries fail. Closing twice
    /// is harmless, so each store may close the handle it was given.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
