//! Fresh PostgreSQL databases for tests. With `CLOVICHARTS_TEST_DATABASE_URL` set (a maintenance
//! URL such as `postgres://postgres@127.0.0.1:5432/postgres`), the store, accounts and HTTP
//! suites run against PostgreSQL: each data directory gets a database of its own,
//! `clovicharts_test_<pid>_<n>`, created on first use and found again when a test reopens or
//! restarts on the same directory. Unset, they run on SQLite in the data directory as always.
//!
//! Databases of earlier runs (whose process is gone) are dropped when a run creates its first,
//! so they never pile up; [`drop_database`] drops one at once.

use clovicharts::db::Db;
use sqlx::{Connection, Executor, PgConnection};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, Once};

/// The variable that points the suites at a PostgreSQL server.
pub(crate) const URL_VAR: &str = "CLOVICHARTS_TEST_DATABASE_URL";
/// The server the PostgreSQL-only tests try when the variable is unset.
pub(crate) const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// The prefix of every test database's name.
const PREFIX: &str = "clovicharts_test_";

/// The maintenance URL when the suites should run against PostgreSQL.
pub(crate) fn configured() -> Option<String> {
    std::env::var(URL_VAR).ok().filter(|v| !v.trim().is_empty())
}

/// `"postgres"` when the suites run against PostgreSQL, else `"sqlite"`.
pub(crate) fn expected_kind() -> &'static str {
    if configured().is_some() {
        "postgres"
    } else {
        "sqlite"
    }
}

/// The `DATABASE_URL` for the data directory `dir`: `None` on SQLite, else its own PostgreSQL
/// database, created on first use.
pub(crate) fn database_url_for(dir: &Path) -> Option<String> {
    let admin = configured()?;
    static BY_DIR: Mutex<Option<HashMap<PathBuf, String>>> = Mutex::new(None);
    let mut by_dir = BY_DIR.lock().unwrap();
    let map = by_dir.get_or_insert_with(HashMap::new);
    if let Some(url) = map.get(dir) {
        return Some(url.clone());
    }
    let url = create_database(&admin);
    map.insert(dir.to_owned(), url.clone());
    Some(url)
}

/// The database of the data directory `dir`, opened and migrated (SQLite or PostgreSQL).
pub(crate) async fn open_db(dir: &Path) -> Db {
    Db::open_configured(database_url_for(dir).as_deref(), dir)
        .await
        .unwrap()
}

/// Creates a fresh database on the server of `admin` and returns its URL.
pub(crate) fn create_database(admin: &str) -> String {
    static SWEPT: Once = Once::new();
    static NEXT: AtomicU32 = AtomicU32::new(0);
    SWEPT.call_once(|| admin_statements(admin, leftovers(admin)));
    let name = format!(
        "{PREFIX}{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    admin_statements(admin, vec![format!("CREATE DATABASE {name}")]);
    with_database(admin, &name)
}

/// Drops the database at `url` (a URL from [`create_database`]), closing its connections.
pub(crate) fn drop_database(admin: &str, url: &str) {
    if let Some(name) = url.rsplit('/').next().filter(|n| n.starts_with(PREFIX)) {
        admin_statements(
            admin,
            vec![format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")],
        );
    }
}

/// `admin` with its database name replaced by `name`.
pub(crate) fn with_database(admin: &str, name: &str) -> String {
    let (scheme, rest) = admin.split_once("://").unwrap();
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}/{name}")
}

/// Whether a PostgreSQL server answers at `admin` (within a few seconds).
pub(crate) fn reachable(admin: &str) -> Result<(), String> {
    let admin = admin.to_owned();
    block_on(async move {
        let connect = PgConnection::connect(&admin);
        match tokio::time::timeout(std::time::Duration::from_secs(5), connect).await {
            Ok(Ok(conn)) => {
                let _ = conn.close().await;
                Ok(())
            }
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("no answer within 5 s".to_owned()),
        }
    })
}

/// Runs `statements` in order on a maintenance connection to `admin`.
fn admin_statements(admin: &str, statements: Vec<String>) {
    let admin = admin.to_owned();
    block_on(async move {
        let mut conn = PgConnection::connect(&admin).await.unwrap();
        for sql in statements {
            conn.execute(sql.as_str()).await.unwrap();
        }
        let _ = conn.close().await;
    });
}

/// `DROP DATABASE` statements for the test databases of processes that are gone (Linux: no
/// `/proc/<pid>`).
fn leftovers(admin: &str) -> Vec<String> {
    let admin = admin.to_owned();
    let names: Vec<String> = block_on(async move {
        let mut conn = PgConnection::connect(&admin).await.unwrap();
        let names = sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE $1")
            .bind(format!("{PREFIX}%"))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        let _ = conn.close().await;
        names
    });
    names
        .into_iter()
        .filter(|name| {
            let pid = name
                .strip_prefix(PREFIX)
                .and_then(|rest| rest.split('_').next())
                .and_then(|pid| pid.parse::<u32>().ok());
            pid.is_some_and(|pid| {
                Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists()
            })
        })
        .map(|name| format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .collect()
}

/// Runs `fut` to completion on a thread and runtime of its own, so that sync code and code
/// inside a test's runtime can both wait for it.
pub(crate) fn block_on<T: Send + 'static>(
    fut: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(fut)
    })
    .join()
    .unwrap()
}
