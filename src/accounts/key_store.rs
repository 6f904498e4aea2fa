//! The API-key queries of [`AccountStore`]: only digests of keys are stored, with a display
//! prefix; keys are looked up by digest on every request that carries one.

use super::model::{ApiKey, Scope, User};
use super::store::{AccountStore, count, ms, opt_time, time};
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

/// The columns of `api_keys` that [`key_from_row`] reads (`k` is the alias).
const KEY_COLUMNS: &str = "k.id, k.user_id, k.name, k.prefix, k.scopes, k.created_at_ms, \
                           k.expires_at_ms, k.last_used_at_ms, k.revoked_at_ms";

fn key_from_row(row: &SqliteRow) -> Result<ApiKey, sqlx::Error> {
    let scopes: String = row.try_get("scopes")?;
    Ok(ApiKey {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        prefix: row.try_get("prefix")?,
        scopes: scopes.split_whitespace().filter_map(Scope::parse).collect(),
        created_at: time("created_at_ms", row.try_get("created_at_ms")?)?,
        expires_at: opt_time(row, "expires_at_ms")?,
        last_used_at: opt_time(row, "last_used_at_ms")?,
        revoked_at: opt_time(row, "revoked_at_ms")?,
    })
}

impl AccountStore {
    /// Stores a new key.
    pub async fn insert_key(&self, k: &ApiKey, hash: &str) -> Result<(), sqlx::Error> {
        let scopes: Vec<&str> = k.scopes.iter().map(|s| s.as_str()).collect();
        sqlx::query(
            "INSERT INTO api_keys (id, user_id, name, prefix, key_hash, scopes, created_at_ms, \
             expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&k.id)
        .bind(&k.user_id)
        .bind(&k.name)
        .bind(&k.prefix)
        .bind(hash)
        .bind(scopes.join(" "))
        .bind(ms(k.created_at))
        .bind(k.expires_at.map(ms))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The key with digest `hash` and its user, whatever their state.
    pub async fn key_by_hash(&self, hash: &str) -> Result<Option<(ApiKey, User)>, sqlx::Error> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys k WHERE k.key_hash = ?",);
        let Some(row) = sqlx::query(&sql)
            .bind(hash)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let key = key_from_row(&row)?;
        Ok(self.user(&key.user_id).await?.map(|u| (key, u)))
    }

    /// Records a use of key `id`.
    pub async fn touch_key(&self, id: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE api_keys SET last_used_at_ms = ? WHERE id = ?")
            .bind(ms(now))
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// A user's keys, newest first.
    pub async fn keys_of(&self, user_id: &str) -> Result<Vec<ApiKey>, sqlx::Error> {
        let sql = format!(
            "SELECT {KEY_COLUMNS} FROM api_keys k WHERE k.user_id = ? \
             ORDER BY k.created_at_ms DESC, k.rowid DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(user_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(key_from_row).collect()
    }

    /// Number of a user's keys not revoked.
    pub async fn unrevoked_keys(&self, user_id: &str) -> Result<u64, sqlx::Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM api_keys WHERE user_id = ? AND revoked_at_ms IS NULL",
        )
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        count(&row, "n")
    }

    /// Revokes a user's key; `None` when the user has no such key.
    pub async fn revoke_key(
        &self,
        user_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ApiKey>, sqlx::Error> {
        sqlx::query(
            "UPDATE api_keys SET revoked_at_ms = COALESCE(revoked_at_ms, ?) \
             WHERE id = ? AND user_id = ?",
        )
        .bind(ms(now))
        .bind(id)
        .bind(user_id)
        .execute(self.pool())
        .await?;
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys k WHERE k.id = ? AND k.user_id = ?");
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(key_from_row).transpose()
    }

    /// Deletes a user's key; `false` when the user has no such key.
    pub async fn delete_key(&self, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
        let r = sqlx::query("DELETE FROM api_keys WHERE id = ? AND user_id = ?")
            .bind(id)
            .bind(user_id)
            .execute(self.pool())
            .await?;
        Ok(r.rows_affected() == 1)
    }
}
