//! The one database of a server, shared by the chart index (`store::SqlIndex`) and the account
//! tables (`accounts::AccountStore`): SQLite in `DATA_DIR/clovicharts.db` by default, or
//! PostgreSQL when `DATABASE_URL=postgres://…` is set, so that several instances share every
//! table. Nothing above the stores sees which one it is.
//!
//! The stores write their SQL once, with `?` placeholders, and run it through [`Db`] or a
//! [`Tx`] with [`Arg`] values (`db/query.rs`); the few fragments that differ between the
//! dialects come from [`Dialect`] (`db/dialect.rs`); opening and the pools are `db/pool.rs`.
//! Each dialect has its own migrations (`migrations/sqlite/`, `migrations/postgres/`)
//! describing the same tables.
//!
//! SQLite runs in WAL mode with `synchronous = FULL`, so a committed transaction survives a
//! crash or power loss (with `NORMAL` the last commits may roll back), and with foreign keys on
//! (sessions, refresh tokens and keys cascade with their user).
//!
//! PostgreSQL migrations run on a connection of their own under sqlx's advisory lock
//! (`pg_advisory_lock` on an id derived from the database name, taken before the migrations
//! table is read), so instances starting together apply each migration once; closing that
//! connection releases the lock even when a migration fails. The pool gives up on a connection
//! after [`ACQUIRE_TIMEOUT`], so a dead database answers 503 quickly instead of hanging, and
//! tests each pooled connection before use, so it reconnects by itself when the database is
//! back.

mod dialect;
mod pool;
mod query;

pub use dialect::Dialect;
pub use pool::{ACQUIRE_TIMEOUT, DATABASE_FILE, Db, DbError};
pub use query::{Arg, DbRow, Tx};

/// Whether `e` means the database cannot be reached now (down, restarting, connections cut, pool
/// exhausted), as opposed to a bad query: the API answers 503 with `Retry-After` and the client
/// may simply retry.
pub fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // Class 08: connection exceptions; 57P01-03: administrator or crash shutdown, or
            // not accepting connections yet; 53300: too many connections.
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_connections_are_unavailable_and_bad_queries_are_not() {
        assert!(is_unavailable(&sqlx::Error::PoolTimedOut));
        assert!(is_unavailable(&sqlx::Error::Io(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset
        ))));
        assert!(!is_unavailable(&sqlx::Error::RowNotFound));
        assert!(!is_unavailable(&sqlx::Error::Protocol("bad".into())));
    }
}
