//! `GET /api/admin/stats`: charts per type and per day, render time percentiles, storage, users
//! and active keys, straight from the database.

use super::store::{AccountStore, count};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Days of the per-day series.
pub const DAYS: i64 = 30;
const DAY_MS: i64 = 86_400_000;

/// Charts of one type.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TypeCount {
    /// Chart type.
    #[serde(rename = "type")]
    pub chart_type: String,
    /// Charts of it.
    pub count: u64,
}

/// Charts created on one UTC day.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DayCount {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Charts created that day.
    pub count: u64,
}

/// Render time percentiles in milliseconds (`None` with no charts).
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct RenderMs {
    /// Median.
    pub p50: Option<u64>,
    /// 95th percentile.
    pub p95: Option<u64>,
    /// 99th percentile.
    pub p99: Option<u64>,
}

/// The whole answer.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
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

/// Computes the statistics at `now`.
pub async fn stats(store: &AccountStore, now: DateTime<Utc>) -> Result<Stats, sqlx::Error> {
    // One read transaction, so every figure comes from the same snapshot. SUM is cast because
    // PostgreSQL sums BIGINTs as NUMERIC.
    let mut tx = store.db().begin().await?;
    let totals = tx
        .fetch_one(
            "SELECT COUNT(*) AS n, CAST(SUM(size_bytes) AS BIGINT) AS bytes FROM charts",
            &[],
        )
        .await?;
    let charts_total = count(&totals, "n")?;
    let storage_bytes = count(&totals, "bytes")?;
    let per_type = tx
        .fetch_all(
            "SELECT chart_type, COUNT(*) AS n FROM charts GROUP BY chart_type \
             ORDER BY n DESC, chart_type",
            &[],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(TypeCount {
                chart_type: r.text("chart_type")?,
                count: count(r, "n")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let since = (now.timestamp_millis() / DAY_MS - (DAYS - 1)) * DAY_MS;
    let per_day = tx
        .fetch_all(
            "SELECT created_at_ms / 86400000 AS d, COUNT(*) AS n FROM charts \
             WHERE created_at_ms >= ? GROUP BY d ORDER BY d",
            &[since.into()],
        )
        .await?
        .iter()
        .map(|r| {
            let day = r.int("d")?;
            Ok(DayCount {
                day: DateTime::<Utc>::from_timestamp_millis(day * DAY_MS)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                count: count(r, "n")?,
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
        let row = tx
            .fetch_optional(
                "SELECT render_ms FROM charts ORDER BY render_ms LIMIT 1 OFFSET ?",
                &[i64::try_from(offset).unwrap_or(i64::MAX).into()],
            )
            .await?;
        *slot = row.map(|r| count(&r, "render_ms")).transpose()?;
    }
    let users = tx
        .fetch_one(
            "SELECT COUNT(*) AS n, CAST(SUM(disabled) AS BIGINT) AS disabled FROM users",
            &[],
        )
        .await?;
    let keys = tx
        .fetch_one(
            "SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at_ms IS NULL \
             AND (expires_at_ms IS NULL OR expires_at_ms > ?)",
            &[now.timestamp_millis().into()],
        )
        .await?;
    tx.commit().await?;
    Ok(Stats {
        charts_total,
        charts_per_type: per_type,
        charts_per_day: per_day,
        render_ms,
        storage_bytes,
        users_total: count(&users, "n")?,
        users_disabled: count(&users, "disabled")?,
        active_keys: count(&keys, "n")?,
    })
}
