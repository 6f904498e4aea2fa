//! [`Db`]: opening SQLite or connecting to PostgreSQL (with the migrations), and the pool's
//! limits; see the module docs of `db.rs` for the whole picture.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use super::dialect::Dialect;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions as _, Connection as _};

/// Name of the SQLite database file inside the data directory.
pub const DATABASE_FILE: &str = "clovicharts.db";

/// Connections in the SQLite pool: SQLite serialises writers anyway; eight readers are what the
/// chart index and the account tables had between them when each kept four.
const SQLITE_MAX_CONNECTIONS: u32 = 8;

/// Connections per instance to PostgreSQL: enough for the render workers' saves and the API's
/// reads, and ten instances stay well under PostgreSQL's default `max_connections` (100).
const POSTGRES_MAX_CONNECTIONS: u32 = 8;

/// How long a query waits for a pooled connection (which includes connecting) before it fails:
/// an unreachable database is a 503 within this, not a request that hangs.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

/// How long the first connection at start may take before the server gives up (an address
/// that drops packets would otherwise hang the start for minutes).
const STARTUP_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a statement waits for a lock held by another SQLite connection before failing.
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
    /// `DATABASE_URL` is not a PostgreSQL URL.
    #[error("unsupported database URL (expected postgres://…): {0}")]
    Url(String),
}

/// The pool of one of the two databases.
#[derive(Clone, Debug)]
pub(super) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A handle on the database, cheap to clone (the pool is shared).
#[derive(Clone, Debug)]
pub struct Db {
    pub(super) pool: Pool,
    /// Where it is, without credentials: the SQLite file, or `postgres://user@host:port/db`.
    location: String,
}

impl Db {
    /// The server's database: PostgreSQL at `database_url` when given, else SQLite in
    /// `data_dir` (which must exist). Migrated either way.
    pub async fn open_configured(
        database_url: Option<&str>,
        data_dir: &Path,
    ) -> Result<Db, DbError> {
        match database_url {
            Some(url) => Db::connect(url).await,
            None => Db::open(data_dir).await,
        }
    }

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
            .max_connections(SQLITE_MAX_CONNECTIONS)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Db {
            pool: Pool::Sqlite(pool),
            location: path.display().to_string(),
        })
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://` or `postgresql://`) and
    /// applies the migrations, once across instances (see the module docs).
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(DbError::Url(scheme_of(url)));
        }
        let options = PgConnectOptions::from_str(url)?.application_name("clovicharts");
        let location = format!(
            "postgres://{}@{}:{}/{}",
            options.get_username(),
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or(options.get_username())
        );
        let mut migration_conn = tokio::time::timeout(STARTUP_CONNECT_TIMEOUT, options.connect())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)??;
        // `run_direct` on the connection itself: `run(&mut conn)` makes this future not `Send`
        // (sqlx's `Acquire` impl is not general enough for the auto trait).
        let migrated = sqlx::migrate!("./migrations/postgres")
            .run_direct(&mut migration_conn)
            .await;
        // Closing ends the session, which releases the advisory lock whatever happened.
        let _ = migration_conn.close().await;
        migrated?;
        let pool = PgPoolOptions::new()
            .max_connections(POSTGRES_MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options);
        Ok(Db {
            pool: Pool::Postgres(pool),
            location,
        })
    }

    /// Short backend name for logs and health output: `"sqlite"` or `"postgres"`.
    pub fn kind(&self) -> &'static str {
        self.dialect().name()
    }

    /// The SQL dialect, for the fragments that differ.
    pub fn dialect(&self) -> Dialect {
        match self.pool {
            Pool::Sqlite(_) => Dialect::Sqlite,
            Pool::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Where the database is, safe to log: the SQLite file, or the PostgreSQL user, host, port
    /// and database (never the password).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Whether the database answers a trivial query within [`ACQUIRE_TIMEOUT`] (readiness).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        match tokio::time::timeout(ACQUIRE_TIMEOUT, self.fetch_one("SELECT 1 AS one", &[])).await {
            Ok(row) => row.map(|_| ()),
            Err(_) => Err(sqlx::Error::PoolTimedOut),
        }
    }

    /// Closes every connection (SQLite checkpoints its WAL); later queries fail. Closing twice
    /// is harmless, so each store may close the handle it was given.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

/// The scheme of a URL (or a short prefix), for an error message that must not echo a password.
fn scheme_of(url: &str) -> String {
    url.split_once("://").map_or_else(
        || url.chars().take(12).collect(),
        |(scheme, _)| scheme.to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::scheme_of;

    #[test]
    fn unsupported_urls_are_refused_without_echoing_them() {
        assert_eq!(scheme_of("mysql://u:secret@h/db"), "mysql");
        assert_eq!(scheme_of("nonsense-with-secret"), "nonsense-wit");
    }
}
