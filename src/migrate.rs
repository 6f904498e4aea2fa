//! `clovicharts migrate`: copies an embedded install (SQLite and chart files in `DATA_DIR`) into
//! the shared setup (PostgreSQL, and optionally other chart storage: a shared directory or an
//! S3 bucket), for moving one instance to N.
//!
//! Every table is copied row by row in batches, parents first (users before their sessions
//! and keys), each batch one transaction with `ON CONFLICT DO NOTHING`, so a run that was
//! interrupted (or repeated) simply goes on: rows already there are skipped, never doubled.
//! A chart's objects are copied before its row, the store's own order, so an instance already
//! serving from the target never lists a chart whose image is not there yet; objects already
//! in the target are not copied again. At the end, every table's count in the target must
//! reach the source's (the target may hold more, from instances already running on it).

use std::path::Path;

use crate::config::StorageConfig;
use crate::db::{Arg, Db, DbRow};
use crate::store::{Objects, StoreError};

/// Rows per transaction (and per progress step).
const BATCH: i64 = 500;

/// A column's type in both schemas.
#[derive(Clone, Copy, Debug)]
enum Col {
    Text,
    OptText,
    Int,
    OptInt,
}

/// The tables, parents before children, with every column but PostgreSQL's `seq` (generated
/// there in insert order, as SQLite's rowid, which the copy follows).
const TABLES: [(&str, &[(&str, Col)]); 6] = [
    (
        "users",
        &[
            ("id", Col::Text),
            ("email", Col::Text),
            ("name", Col::OptText),
            ("password_hash", Col::Text),
            ("role", Col::Text),
            ("disabled", Col::Int),
            ("rate_limit_per_min", Col::OptInt),
            ("created_at_ms", Col::Int),
            ("last_login_at_ms", Col::OptInt),
        ],
    ),
    (
        "sessions",
        &[
            ("id", Col::Text),
            ("user_id", Col::Text),
            ("created_at_ms", Col::Int),
            ("revoked_at_ms", Col::OptInt),
        ],
    ),
    (
        "refresh_tokens",
        &[
            ("token_hash", Col::Text),
            ("session_id", Col::Text),
            ("created_at_ms", Col::Int),
            ("expires_at_ms", Col::Int),
            ("used_at_ms", Col::OptInt),
        ],
    ),
    (
        "api_keys",
        &[
            ("id", Col::Text),
            ("user_id", Col::Text),
            ("name", Col::Text),
            ("prefix", Col::Text),
            ("key_hash", Col::Text),
            ("scopes", Col::Text),
            ("created_at_ms", Col::Int),
            ("expires_at_ms", Col::OptInt),
            ("last_used_at_ms", Col::OptInt),
            ("revoked_at_ms", Col::OptInt),
        ],
    ),
    (
        "charts",
        &[
            ("id", Col::Text),
            ("chart_type", Col::Text),
            ("theme", Col::Text),
            ("format", Col::Text),
            ("width", Col::Int),
            ("height", Col::Int),
            ("title", Col::OptText),
            ("narrative", Col::OptText),
            ("render_ms", Col::Int),
            ("created_at_ms", Col::Int),
            ("owner", Col::OptText),
            ("size_bytes", Col::Int),
            ("visibility", Col::Text),
        ],
    ),
    (
        "short_urls",
        &[
            ("id", Col::Text),
            ("chart_json", Col::Text),
            ("created_at_ms", Col::Int),
            ("expires_at_ms", Col::Int),
            ("key_id", Col::OptText),
        ],
    ),
];

/// Why a migration stopped.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// A database failed (source or target).
    #[error("{0}")]
    Db(#[from] crate::db::DbError),
    /// A query failed.
    #[error("{0}")]
    Sql(#[from] sqlx::Error),
    /// Reading or writing chart objects failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The target has fewer rows than the source after the copy.
    #[error("count check failed: {0}")]
    Count(String),
}

/// One table's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableCount {
    /// The table.
    pub table: &'static str,
    /// Rows in the source.
    pub source: u64,
    /// Rows in the target after the copy.
    pub target: u64,
    /// Rows this run inserted (the others were there already).
    pub inserted: u64,
}

/// What a migration did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MigrateReport {
    /// Every table, in copy order.
    pub tables: Vec<TableCount>,
    /// Chart objects this run copied.
    pub objects_copied: u64,
    /// Chart objects that were in the target already.
    pub objects_present: u64,
    /// Chart objects the source lacks (a chart whose file was lost): the row is copied anyway.
    pub objects_missing: u64,
}

/// Where to copy to.
#[derive(Clone, Debug)]
pub struct MigrateTarget {
    /// The PostgreSQL `DATABASE_URL`.
    pub database_url: String,
    /// Where chart objects go; `None`: they stay in the source's `DATA_DIR/charts` (to be
    /// shared as it is, e.g. as `STORAGE_URL=file://…`).
    pub storage: Option<StorageConfig>,
}

/// Copies the SQLite database and chart files of `data_dir` into `target`; `progress` is
/// called after each batch with the rows and objects done and the total rows. Safe to run
/// again after an interruption (see the module docs).
pub async fn migrate(
    data_dir: &Path,
    target: &MigrateTarget,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<MigrateReport, MigrateError> {
    let source = Db::open(data_dir).await?;
    let dest = Db::connect(&target.database_url).await?;
    let source_objects = Objects::open(&StorageConfig::default(), data_dir)?;
    let dest_objects = match &target.storage {
        Some(storage) => Some(Objects::open(storage, data_dir)?),
        None => None,
    };
    let objects = dest_objects.as_ref().map(|d| (&source_objects, d));
    let result = copy_all(&source, &dest, objects, progress).await;
    source.close().await;
    dest.close().await;
    result
}

async fn copy_all(
    source: &Db,
    dest: &Db,
    objects: Option<(&Objects, &Objects)>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<MigrateReport, MigrateError> {
    let mut counts = Vec::with_capacity(TABLES.len());
    for (table, _) in TABLES {
        counts.push(count(source, table).await?);
    }
    let total: u64 = counts.iter().sum();
    let mut report = MigrateReport::default();
    let mut done = 0;
    progress(done, total);
    for ((table, cols), source_count) in TABLES.into_iter().zip(counts) {
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        // Keyset paging on SQLite's rowid: insert order, and stable if rows come or go.
        let select = format!(
            "SELECT rowid AS migrate_rowid, {} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
            names.join(", ")
        );
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT DO NOTHING",
            names.join(", "),
            vec!["?"; names.len()].join(", ")
        );
        let mut inserted = 0;
        let mut after = i64::MIN;
        loop {
            let rows = source
                .fetch_all(&select, &[Arg::Int(after), Arg::Int(BATCH)])
                .await?;
            let Some(last) = rows.last() else {
                break;
            };
            after = last.int("migrate_rowid")?;
            if table == "charts"
                && let Some((from, to)) = objects
            {
                copy_objects(&rows, from, to, &mut report).await?;
            }
            let mut tx = dest.begin().await?;
            for row in &rows {
                let values = read_row(row, cols)?;
                let args: Vec<Arg<'_>> = values.iter().map(Value::arg).collect();
                inserted += tx.execute(&insert, &args).await?;
            }
            tx.commit().await?;
            done += rows.len() as u64;
            progress(done, total);
        }
        report.tables.push(TableCount {
            table,
            source: source_count,
            target: count(dest, table).await?,
            inserted,
        });
    }
    let short: Vec<String> = report
        .tables
        .iter()
        .filter(|t| t.target < t.source)
        .map(|t| {
            format!(
                "{}: {} in the source, {} in the target",
                t.table, t.source, t.target
            )
        })
        .collect();
    if !short.is_empty() {
        return Err(MigrateError::Count(short.join("; ")));
    }
    Ok(report)
}

/// The image and metadata objects of each chart row, copied unless the target has them.
async fn copy_objects(
    rows: &[DbRow],
    from: &Objects,
    to: &Objects,
    report: &mut MigrateReport,
) -> Result<(), MigrateError> {
    for row in rows {
        let id = row.text("id")?;
        let format = row.text("format")?;
        for name in [format!("{id}.{format}"), format!("{id}.json")] {
            if to.exists(&name).await? {
                report.objects_present += 1;
                continue;
            }
            match from.read(&name).await? {
                Some(bytes) => {
                    to.write_atomic(&name, &bytes).await?;
                    report.objects_copied += 1;
                }
                None => {
                    tracing::warn!(object = %name, "the source has no such file; its row is copied");
                    report.objects_missing += 1;
                }
            }
        }
    }
    Ok(())
}

/// One column's value, owned.
enum Value {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
}

impl Value {
    fn arg(&self) -> Arg<'_> {
        match self {
            Value::Text(v) => Arg::Text(v),
            Value::OptText(v) => Arg::OptText(v.as_deref()),
            Value::Int(v) => Arg::Int(*v),
            Value::OptInt(v) => Arg::OptInt(*v),
        }
    }
}

fn read_row(row: &DbRow, cols: &[(&str, Col)]) -> Result<Vec<Value>, sqlx::Error> {
    cols.iter()
        .map(|(name, col)| {
            Ok(match col {
                Col::Text => Value::Text(row.text(name)?),
                Col::OptText => Value::OptText(row.opt_text(name)?),
                Col::Int => Value::Int(row.int(name)?),
                Col::OptInt => Value::OptInt(row.opt_int(name)?),
            })
        })
        .collect()
}

async fn count(db: &Db, table: &str) -> Result<u64, sqlx::Error> {
    let n = db
        .fetch_one(&format!("SELECT COUNT(*) AS n FROM {table}"), &[])
        .await?
        .int("n")?;
    Ok(u64::try_from(n).unwrap_or_default())
}
