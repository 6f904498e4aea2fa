//! `GET /api/admin/stats`: charts per type and per day, render time percentiles, storage, users
//! and active keys, straight from the database.

use super::store::AccountStore;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;

/// Days of the per-day series.
pub const DAYS: i64 = 30;
const DAY_MS: i64 = 86_400_000;

/// Charts of one type.
#[derive(Clone, Debug, Serialize)]
pub struct TypeCount {
    /// Chart type.
    #[serde(rename = "type")]
    pub chart_type: String,
    /// Charts of it.
    pub count: u64,
}

/// Charts created on one UTC day.
#[derive(Clone, Debug, Serialize)]
pub struct DayCount {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Charts created that day.
    pub count: u64,
}

/// Render time percentiles in milliseconds (`None` with no charts).
#[derive(Clone, Debug, Default, Serialize)]
pub struct RenderMs {
    /// Median.
    pub p50: Option<u64>,
    /// 95th percentile.
    pub p95: Option<u64>,
    /// 99th percentile.
    pub p99: Option<u64>,
}

/// The whole answer.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// Stored charts.
    pub charts_total: u64,
    /// Per type, most first.
    pub charts_per_type: Vec<TypeCount>,
    /// Per UTC day over the last [`DAYS`] days, oldest first (days without charts omitted).
    pub charts_per_day: Vec<DayCount>,
    /// Render time percentiles over all stored charts.
    pub render_ms: RenderMs,
    /// Bytes of stored images.
    pub storage_bytes: u64,
    /// Local accounts.
    pub users_total: u64,
    /// Disabled accounts.
    pub users_disabled: u64,
    /// Keys neither revoked nor expired.
    pub active_keys: u64,
}

fn n(row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<u64, sqlx::Error> {
    Ok(u64::try_from(row.try_get::<Option<i64>, _>(i)?.unwrap_or(0)).unwrap_or(0))
}

/// Computes the statistics at `now`.
pub async fn stats(store: &AccountStore, now: DateTime<Utc>) -> Result<Stats, sqlx::Error> {
    let pool = store.pool();
    let mut tx = pool.begin().await?;
    let totals = sqlx::query("SELECT COUNT(*), SUM(size_bytes) FROM charts")
        .fetch_one(&mut *tx)
        .await?;
    let charts_total = n(&totals, 0)?;
    let storage_bytes = n(&totals, 1)?;
    let per_type = sqlx::query(
        "SELECT chart_type, COUNT(*) AS c FROM charts GROUP BY chart_type ORDER BY c DESC, chart_type",
    )
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| {
        Ok(TypeCount {
            chart_type: r.try_get(0)?,
            count: n(r, 1)?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let since = (now.timestamp_millis() / DAY_MS - (DAYS - 1)) * DAY_MS;
    let per_day = sqlx::query(
        "SELECT created_at_ms / 86400000 AS d, COUNT(*) FROM charts WHERE created_at_ms >= ? \
         GROUP BY d ORDER BY d",
    )
    .bind(since)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| {
        let day: i64 = r.try_get(0)?;
        Ok(DayCount {
            day: DateTime::<Utc>::from_timestamp_millis(day * DAY_MS)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            count: n(r, 1)?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let mut render_ms = RenderMs::default();
    for (slot, p) in [
        (&mut render_ms.p50, 50),
        (&mut render_ms.p95, 95),
        (&mut render_ms.p99, 99),
    ] {
        if charts_total == 0 {
            break;
        }
        // Nearest-rank percentile: the ⌈p/100 · n⌉-th smallest.
        let offset = (p * charts_total).div_ceil(100).max(1) - 1;
        let row = sqlx::query("SELECT render_ms FROM charts ORDER BY render_ms LIMIT 1 OFFSET ?")
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_optional(&mut *tx)
            .await?;
        *slot = row.map(|r| n(&r, 0)).transpose()?;
    }
    let users = sqlx::query("SELECT COUNT(*), SUM(disabled) FROM users")
        .fetch_one(&mut *tx)
        .await?;
    let keys = sqlx::query(
        "SELECT COUNT(*) FROM api_keys WHERE revoked_at_ms IS NULL \
         AND (expires_at_ms IS NULL OR expires_at_ms > ?)",
    )
    .bind(now.timestamp_millis())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Stats {
        charts_total,
        charts_per_type: per_type,
        charts_per_day: per_day,
        render_ms,
        storage_bytes,
        users_total: n(&users, 0)?,
        users_disabled: n(&users, 1)?,
        active_keys: n(&keys, 0)?,
    })
}
