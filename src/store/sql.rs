//! [`SqlIndex`]: the chart rows in the server's [`Db`] (SQLite by default, PostgreSQL with
//! `DATABASE_URL`), the [`ChartIndex`] of every server.
//!
//! SQLite runs with `synchronous = FULL` (see `db.rs`) and PostgreSQL commits durably by
//! default, so a committed insert survives a crash or power loss. The store writes a row only
//! after the chart's files are durable, so a committed row always means a whole chart.
//!
//! Ids are stored as hyphenated TEXT and `created_at` as integer unix milliseconds, so
//! newest-first ordering is exact; ties within one millisecond fall back to insert order
//! ([`Dialect::insert_order`](crate::db::Dialect::insert_order)).

use std::path::Path;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{ChartIndex, ChartRecord, GalleryQuery, StoreError};
use crate::db::{Arg, Db, DbRow};
use crate::spec::{ChartType, Format, ThemeName, Visibility};

/// The columns of `charts`, in the order [`insert_args`] binds them.
const COLUMNS: &str = "id, chart_type, theme, format, width, height, title, narrative, \
                       render_ms, created_at_ms, owner, size_bytes, visibility";

/// The SQL that inserts every column of a record.
const INSERT: &str = "INSERT INTO charts (id, chart_type, theme, format, width, height, title, \
                      narrative, render_ms, created_at_ms, owner, size_bytes, visibility) \
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// Chart rows in the server's database.
#[derive(Clone, Debug)]
pub struct SqlIndex {
    db: Db,
}

impl SqlIndex {
    /// The chart rows of an open (migrated) database.
    pub fn new(db: Db) -> Self {
        SqlIndex { db }
    }

    /// Opens the SQLite file at `path` (creating it if missing) and applies the migrations;
    /// for tests and tools that keep the index apart. The parent directory must exist.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(SqlIndex::new(Db::open_file(path).await?))
    }
}

#[async_trait::async_trait]
impl ChartIndex for SqlIndex {
    fn kind(&self) -> &'static str {
        self.db.kind()
    }

    async fn insert(&self, record: &ChartRecord) -> Result<(), StoreError> {
        let id = record.id.hyphenated().to_string();
        self.db.execute(INSERT, &insert_args(record, &id)?).await?;
        Ok(())
    }

    async fn insert_all(&self, records: &[ChartRecord]) -> Result<(), StoreError> {
        // One transaction: one durable commit (one WAL fsync on SQLite) for the whole batch.
        let mut tx = self.db.begin().await?;
        for record in records {
            let id = record.id.hyphenated().to_string();
            tx.execute(INSERT, &insert_args(record, &id)?).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get(&self, id: Uuid) -> Result<Option<ChartRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM charts WHERE id = ?");
        let id = id.hyphenated().to_string();
        let row = self.db.fetch_optional(&sql, &[(&id).into()]).await?;
        Ok(row.as_ref().map(record_from_row).transpose()?)
    }

    async fn list(&self, query: &GalleryQuery) -> Result<(Vec<ChartRecord>, u64), StoreError> {
        let mut filter = vec![match query.owner {
            Some(_) => "owner = ?",
            None => "visibility = 'public'",
        }];
        let mut args: Vec<Arg<'_>> = query.owner.iter().map(Arg::from).collect();
        if let Some(chart_type) = &query.chart_type {
            filter.push("chart_type = ?");
            args.push(chart_type.name().into());
        }
        let filter = filter.join(" AND ");
        let order = self.db.dialect().insert_order();
        let page_sql = format!(
            "SELECT {COLUMNS} FROM charts WHERE {filter} \
             ORDER BY created_at_ms DESC, {order} DESC LIMIT ? OFFSET ?"
        );
        let total_sql = format!("SELECT COUNT(*) AS n FROM charts WHERE {filter}");
        let mut page_args = args.clone();
        page_args.extend([
            Arg::Int(query.page_limit().into()),
            Arg::Int(query.offset.into()),
        ]);

        // One read transaction, so the page and the total come from the same snapshot.
        let mut tx = self.db.begin().await?;
        let rows = tx.fetch_all(&page_sql, &page_args).await?;
        let total = tx.fetch_one(&total_sql, &args).await?.int("n")?;
        tx.commit().await?;

        let records = rows
            .iter()
            .map(record_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((records, to_u64("COUNT(*)", total)?))
    }

    async fn delete(&self, id: Uuid) -> Result<bool, StoreError> {
        let id = id.hyphenated().to_string();
        let deleted = self
            .db
            .execute("DELETE FROM charts WHERE id = ?", &[(&id).into()])
            .await?;
        Ok(deleted > 0)
    }

    async fn count(&self) -> Result<u64, StoreError> {
        let row = self
            .db
            .fetch_one("SELECT COUNT(*) AS n FROM charts", &[])
            .await?;
        Ok(to_u64("COUNT(*)", row.int("n")?)?)
    }

    async fn contains(&self, id: Uuid) -> Result<bool, StoreError> {
        let id = id.hyphenated().to_string();
        let row = self
            .db
            .fetch_optional("SELECT 1 AS one FROM charts WHERE id = ?", &[(&id).into()])
            .await?;
        Ok(row.is_some())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Ok(self.db.ping().await?)
    }

    async fn close(&self) {
        self.db.close().await;
    }
}

/// Every column of `record` in [`COLUMNS`] order; `id` is its hyphenated id.
fn insert_args<'a>(record: &'a ChartRecord, id: &'a str) -> Result<[Arg<'a>; 13], sqlx::Error> {
    Ok([
        id.into(),
        record.chart_type.name().into(),
        record.theme.name().into(),
        record.format.name().into(),
        i64::from(record.width).into(),
        i64::from(record.height).into(),
        (&record.title).into(),
        (&record.narrative).into(),
        to_i64(record.render_ms)?.into(),
        record.created_at.timestamp_millis().into(),
        (&record.owner).into(),
        to_i64(record.size_bytes)?.into(),
        record.visibility.as_str().into(),
    ])
}

/// Builds a record from a row selected with [`COLUMNS`].
fn record_from_row(row: &DbRow) -> Result<ChartRecord, sqlx::Error> {
    let id = row.text("id")?;
    let created_at_ms = row.int("created_at_ms")?;
    Ok(ChartRecord {
        id: Uuid::parse_str(&id).map_err(|err| decode_error("id", err))?,
        chart_type: parse_column(row, "chart_type", ChartType::parse)?,
        theme: parse_column(row, "theme", ThemeName::parse)?,
        format: parse_column(row, "format", Format::parse)?,
        width: to_u32("width", row.int("width")?)?,
        height: to_u32("height", row.int("height")?)?,
        title: row.opt_text("title")?,
        narrative: row.opt_text("narrative")?,
        render_ms: to_u64("render_ms", row.int("render_ms")?)?,
        created_at: DateTime::<Utc>::from_timestamp_millis(created_at_ms)
            .ok_or_else(|| decode_error("created_at_ms", "timestamp out of range"))?,
        owner: row.opt_text("owner")?,
        size_bytes: to_u64("size_bytes", row.int("size_bytes")?)?,
        visibility: parse_column(row, "visibility", Visibility::parse)?,
    })
}

/// A TEXT column holding a wire name, parsed by `parse`; an unknown name is a decode error.
fn parse_column<T>(
    row: &DbRow,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    let name = row.text(column)?;
    parse(&name).ok_or_else(|| decode_error(column, format!("unknown {column} {name:?}")))
}

/// SQL integers are signed 64-bit; a `u64` past `i64::MAX` cannot be stored.
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
