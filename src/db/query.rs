//! Running one SQL text on either database: [`Arg`] values bound in order, [`DbRow`] columns
//! read by name, [`Tx`] for transactions. The stores write `?` placeholders (or `?1`, `?2` to
//! use one value twice); for PostgreSQL they become `$1`, `$2`, … here
//! ([`Dialect::placeholders`]), so each query is written once.

use sqlx::postgres::{PgConnection, PgRow};
use sqlx::query::Query;
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{Database, Encode, Postgres, Row, Sqlite, Transaction, Type};

use super::dialect::Dialect;
use super::pool::{Db, Pool};

/// One value bound to a placeholder.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    /// TEXT.
    Text(&'a str),
    /// TEXT or NULL.
    OptText(Option<&'a str>),
    /// A 64-bit integer.
    Int(i64),
    /// A 64-bit integer or NULL.
    OptInt(Option<i64>),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(v)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(v)
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Arg::OptText(v)
    }
}

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(v: &'a Option<String>) -> Self {
        Arg::OptText(v.as_deref())
    }
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        Arg::OptInt(v)
    }
}

/// `sql` with `args` bound in order, for database `DB`. With `no_nul`, text is bound with each
/// NUL character replaced by U+FFFD: PostgreSQL's TEXT cannot hold NUL (the insert would fail),
/// and a chart title may well contain one.
fn bind<'q, DB>(
    sql: &'q str,
    args: &[Arg<'q>],
    no_nul: bool,
) -> Query<'q, DB, <DB as Database>::Arguments<'q>>
where
    DB: Database,
    &'q str: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
    String: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
    Option<i64>: Encode<'q, DB> + Type<DB>,
{
    let has_nul = |v: &str| no_nul && v.contains('\0');
    args.iter().fold(sqlx::query(sql), |q, arg| match *arg {
        Arg::Text(v) | Arg::OptText(Some(v)) if has_nul(v) => q.bind(v.replace('\0', "\u{FFFD}")),
        Arg::Text(v) => q.bind(v),
        Arg::OptText(v) => q.bind(v),
        Arg::Int(v) => q.bind(v),
        Arg::OptInt(v) => q.bind(v),
    })
}

/// A result row of either database, read by column name.
pub enum DbRow {
    /// From SQLite.
    Sqlite(SqliteRow),
    /// From PostgreSQL.
    Postgres(PgRow),
}

/// Reads column `$col` of `$row` as `$t` from whichever database it came.
macro_rules! get {
    ($row:expr, $t:ty, $col:expr) => {
        match $row {
            DbRow::Sqlite(r) => r.try_get::<$t, _>($col),
            DbRow::Postgres(r) => r.try_get::<$t, _>($col),
        }
    };
}

impl DbRow {
    /// An INTEGER / BIGINT column.
    pub fn int(&self, col: &str) -> Result<i64, sqlx::Error> {
        get!(self, i64, col)
    }

    /// A nullable INTEGER / BIGINT column.
    pub fn opt_int(&self, col: &str) -> Result<Option<i64>, sqlx::Error> {
        get!(self, Option<i64>, col)
    }

    /// A TEXT column.
    pub fn text(&self, col: &str) -> Result<String, sqlx::Error> {
        get!(self, String, col)
    }

    /// A nullable TEXT column.
    pub fn opt_text(&self, col: &str) -> Result<Option<String>, sqlx::Error> {
        get!(self, Option<String>, col)
    }
}

/// A connection of either database, borrowed from the pool or from a transaction.
enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn<'_> {
    async fn execute(self, sql: &str, args: &[Arg<'_>]) -> Result<u64, sqlx::Error> {
        Ok(match self {
            Conn::Sqlite(c) => bind(sql, args, false).execute(c).await?.rows_affected(),
            Conn::Postgres(c) => {
                let sql = Dialect::Postgres.placeholders(sql);
                bind(&sql, args, true).execute(c).await?.rows_affected()
            }
        })
    }

    async fn fetch_optional(
        self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> Result<Option<DbRow>, sqlx::Error> {
        Ok(match self {
            Conn::Sqlite(c) => bind(sql, args, false)
                .fetch_optional(c)
                .await?
                .map(DbRow::Sqlite),
            Conn::Postgres(c) => {
                let sql = Dialect::Postgres.placeholders(sql);
                bind(&sql, args, true)
                    .fetch_optional(c)
                    .await?
                    .map(DbRow::Postgres)
            }
        })
    }

    async fn fetch_all(self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<DbRow>, sqlx::Error> {
        Ok(match self {
            Conn::Sqlite(c) => bind(sql, args, false)
                .fetch_all(c)
                .await?
                .into_iter()
                .map(DbRow::Sqlite)
                .collect(),
            Conn::Postgres(c) => {
                let sql = Dialect::Postgres.placeholders(sql);
                bind(&sql, args, true)
                    .fetch_all(c)
                    .await?
                    .into_iter()
                    .map(DbRow::Postgres)
                    .collect()
            }
        })
    }
}

/// A connection taken from a [`Db`]'s pool for one statement.
enum Pooled {
    Sqlite(sqlx::pool::PoolConnection<Sqlite>),
    Postgres(sqlx::pool::PoolConnection<Postgres>),
}

impl Pooled {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            Pooled::Sqlite(c) => Conn::Sqlite(c),
            Pooled::Postgres(c) => Conn::Postgres(c),
        }
    }
}

impl Db {
    async fn acquire(&self) -> Result<Pooled, sqlx::Error> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Pooled::Sqlite(p.acquire().await?),
            Pool::Postgres(p) => Pooled::Postgres(p.acquire().await?),
        })
    }

    /// Runs a statement; the number of rows it changed.
    pub async fn execute(&self, sql: &str, args: &[Arg<'_>]) -> Result<u64, sqlx::Error> {
        self.acquire().await?.conn().execute(sql, args).await
    }

    /// The first row of a query, if any.
    pub async fn fetch_optional(
        &self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> Result<Option<DbRow>, sqlx::Error> {
        self.acquire().await?.conn().fetch_optional(sql, args).await
    }

    /// The first row of a query that always returns one (an aggregate).
    pub async fn fetch_one(&self, sql: &str, args: &[Arg<'_>]) -> Result<DbRow, sqlx::Error> {
        self.fetch_optional(sql, args)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// Every row of a query.
    pub async fn fetch_all(&self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<DbRow>, sqlx::Error> {
        self.acquire().await?.conn().fetch_all(sql, args).await
    }

    /// Starts a transaction; it rolls back when dropped without [`Tx::commit`].
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match &self.pool {
            // IMMEDIATE takes the write lock up front, so a transaction that reads and then
            // writes waits out another writer (busy_timeout) instead of failing with
            // SQLITE_BUSY when it upgrades its lock (a deferred transaction cannot wait there).
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }
}

/// A transaction on either database, with the same statements as [`Db`].
#[derive(Debug)]
pub enum Tx {
    /// On SQLite.
    Sqlite(Transaction<'static, Sqlite>),
    /// On PostgreSQL.
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }

    /// Runs a statement; the number of rows it changed.
    pub async fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, sqlx::Error> {
        self.conn().execute(sql, args).await
    }

    /// The first row of a query, if any.
    pub async fn fetch_optional(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> Result<Option<DbRow>, sqlx::Error> {
        self.conn().fetch_optional(sql, args).await
    }

    /// The first row of a query that always returns one (an aggregate).
    pub async fn fetch_one(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<DbRow, sqlx::Error> {
        self.fetch_optional(sql, args)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// Every row of a query.
    pub async fn fetch_all(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> Result<Vec<DbRow>, sqlx::Error> {
        self.conn().fetch_all(sql, args).await
    }

    /// Commits; only then are the statements' effects durable and visible to others.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}
