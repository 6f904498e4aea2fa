//! [`SqliteIndex`]: the chart rows in the SQLite database of [`Db`], the default
//! [`ChartIndex`].
//!
//! The database runs with `synchronous = FULL` (see `db.rs`), so a committed insert survives a
//! crash or power loss. The store writes a row only after the chart's files are durable, so a
//! committed row always means a whole chart.
//!
//! Ids are stored as hyphenated TEXT and `created_at` as INTEGER unix milliseconds, so newest-first
//! ordering is exact; ties within one millisecond fall back to rowid, i.e. insert order.

use std::path::Path;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use uuid::Uuid;

use super::{ChartIndex, ChartRecord, GalleryQuery, StoreError};
use crate::db::Db;
use crate::spec::{ChartType, Format, ThemeName, Visibility};

/// The columns of `charts`, in the order [`record_from_row`] reads them.
const COLUMNS: &str = "id, chart_type, theme, format, width, height, title, narrative, \
                       render_ms, created_at_ms, owner, size_bytes, visibility";

/// Newest first; rowid breaks ties between charts created in the same millisecond.
const NEWEST_FIRST: &str = "ORDER BY created_at_ms DESC, rowid DESC";

/// Chart rows in a SQLite database.
#[derive(Clone, Debug)]
pub struct SqliteIndex {
    db: Db,
}

impl SqliteIndex {
    /// The chart rows of an open (migrated) database.
    pub fn new(db: Db) -> Self {
        SqliteIndex { db }
    }

    /// Opens the database file at `path` (creating it if missing) and applies the migrations;
    /// for tests and tools that keep the index apart. The parent directory must exist.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(SqliteIndex::new(Db::open_file(path).await?))
    }

    fn pool(&self) -> &SqlitePool {
        self.db.sqlite()
    }
}

#[async_trait::async_trait]
impl ChartIndex for SqliteIndex {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    async fn insert(&self, record: &ChartRecord) -> Result<(), StoreError> {
        insert_query(record)?.execute(self.pool()).await?;
        Ok(())
    }

    async fn insert_all(&self, records: &[ChartRecord]) -> Result<(), StoreError> {
        // One transaction: with `synchronous = FULL` that is one WAL fsync for the whole batch.
        let mut tx = self.pool().begin().await?;
        for record in records {
            insert_query(record)?.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get(&self, id: Uuid) -> Result<Option<ChartRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM charts WHERE id = ?");
        let row = sqlx::query(&sql)
            .bind(id.hyphenated().to_string())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(record_from_row).transpose()?)
    }

    async fn list(&self, query: &GalleryQuery) -> Result<(Vec<ChartRecord>, u64), StoreError> {
        let limit = i64::from(query.page_limit());
        let offset = i64::from(query.offset);
        let scope = if query.owner.is_some() {
            "owner = ?"
        } else {
            "visibility = 'public'"
        };
        let filter = if query.chart_type.is_some() {
            format!("WHERE {scope} AND chart_type = ?")
        } else {
            format!("WHERE {scope}")
        };
        let page_sql =
            format!("SELECT {COLUMNS} FROM charts {filter} {NEWEST_FIRST} LIMIT ? OFFSET ?");
        let total_sql = format!("SELECT COUNT(*) FROM charts {filter}");

        // One read transaction, so the page and the total come from the same snapshot.
        let mut tx = self.pool().begin().await?;
        let mut page = sqlx::query(&page_sql);
        let mut total = sqlx::query(&total_sql);
        if let Some(owner) = &query.owner {
            page = page.bind(owner);
            total = total.bind(owner);
        }
        if let Some(chart_type) = &query.chart_type {
            page = page.bind(chart_type.name());
            total = total.bind(chart_type.name());
        }
        let rows = page.bind(limit).bind(offset).fetch_all(&mut *tx).await?;
        let total: i64 = total.fetch_one(&mut *tx).await?.try_get(0)?;
        tx.commit().await?;

        let records = rows
            .iter()
            .map(record_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((records, to_u64("COUNT(*)", total)?))
    }

    async fn delete(&self, id: Uuid) -> Result<bool, StoreError> {
        let result = sqlx::query("DELETE FROM charts WHERE id = ?")
            .bind(id.hyphenated().to_string())
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected() > 0)
    }

    async fn count(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query("SELECT COUNT(*) FROM charts")
            .fetch_one(self.pool())
            .await?
            .try_get(0)?;
        Ok(to_u64("COUNT(*)", count)?)
    }

    async fn contains(&self, id: Uuid) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 FROM charts WHERE id = ?")
            .bind(id.hyphenated().to_string())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.is_some())
    }

    async fn close(&self) {
        self.db.close().await;
    }
}

/// The SQL that inserts every column of a record.
static INSERT: LazyLock<String> = LazyLock::new(|| {
    format!("INSERT INTO charts ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
});

/// The insert statement for `record`, with every column bound.
fn insert_query(
    record: &ChartRecord,
) -> Result<sqlx::query::Query<'_, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'_>>, sqlx::Error> {
    Ok(sqlx::query(INSERT.as_str())
        .bind(record.id.hyphenated().to_string())
        .bind(record.chart_type.name())
        .bind(record.theme.name())
        .bind(record.format.name())
        .bind(i64::from(record.width))
        .bind(i64::from(record.height))
        .bind(&record.title)
        .bind(&record.narrative)
        .bind(to_i64(record.render_ms)?)
        .bind(record.created_at.timestamp_millis())
        .bind(&record.owner)
        .bind(to_i64(record.size_bytes)?)
        .bind(record.visibility.as_str()))
}

/// Builds a record from a row selected with [`COLUMNS`].
fn record_from_row(row: &SqliteRow) -> Result<ChartRecord, sqlx::Error> {
    let id: String = row.try_get("id")?;
    let created_at_ms: i64 = row.try_get("created_at_ms")?;
    Ok(ChartRecord {
        id: Uuid::parse_str(&id).map_err(|err| decode_error("id", err))?,
        chart_type: parse_column("chart_type", row, ChartType::parse)?,
        theme: parse_column("theme", row, ThemeName::parse)?,
        format: parse_column("format", row, Format::parse)?,
        width: to_u32("width", row.try_get("width")?)?,
        height: to_u32("height", row.try_get("height")?)?,
        title: row.try_get("title")?,
        narrative: row.try_get("narrative")?,
        render_ms: to_u64("render_ms", row.try_get("render_ms")?)?,
        created_at: DateTime::<Utc>::from_timestamp_millis(created_at_ms)
            .ok_or_else(|| decode_error("created_at_ms", "timestamp out of range"))?,
        owner: row.try_get("owner")?,
        size_bytes: to_u64("size_bytes", row.try_get("size_bytes")?)?,
        visibility: parse_column("visibility", row, Visibility::parse)?,
    })
}

/// A TEXT column holding a wire name, parsed by `parse`; an unknown name is a decode error.
fn parse_column<T>(
    column: &str,
    row: &SqliteRow,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    let name: &str = row.try_get(column)?;
    parse(name).ok_or_else(|| decode_error(column, format!("unknown {column} {name:?}")))
}

/// SQLite integers are signed 64-bit; a `u64` past `i64::MAX` cannot be stored.
fn to_i64(value: u64) -> Result<i64, sqlx::Error> {
    i64::try_from(value).map_err(|err| sqlx::Error::Encode(Box::new(err)))
}

fn to_u64(column: &str, value: i64) -> Result<u64, sqlx::Error> {
    u64::try_from(value).map_err(|err| decode_error(column, err))
}

fn to_u32(column: &str, value: i64) -> Result<u32, sqlx::Error> {
    u32::try_from(value).map_err(|err| decode_error(column, err))
}

fn decode_error(
    column: &str,
    source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: source.into(),
    }
}
