//! The API-key queries of [`AccountStore`]: only digests of keys are stored, with a display
//! prefix; keys are looked up by digest on every request that carries one.

use super::model::{ApiKey, Scope, User};
use super::store::{AccountStore, count, ms, opt_time, time};
use crate::db::DbRow;
use chrono::{DateTime, Utc};

/// The columns of `api_keys` that [`key_from_row`] reads (`k` is the alias).
const KEY_COLUMNS: &str = "k.id, k.user_id, k.name, k.prefix, k.scopes, k.created_at_ms, \
                           k.expires_at_ms, k.last_used_at_ms, k.revoked_at_ms";

fn key_from_row(row: &DbRow) -> Result<ApiKey, sqlx::Error> {
    let scopes = row.text("scopes")?;
    Ok(ApiKey {
        id: row.text("id")?,
        user_id: row.text("user_id")?,
        name: row.text("name")?,
        prefix: row.text("prefix")?,
        scopes: scopes.split_whitespace().filter_map(Scope::parse).collect(),
        created_at: time("created_at_ms", row.int("created_at_ms")?)?,
        expires_at: opt_time(row, "expires_at_ms")?,
        last_used_at: opt_time(row, "last_used_at_ms")?,
        revoked_at: opt_time(row, "revoked_at_ms")?,
    })
}

impl AccountStore {
    /// Stores a new key.
    pub async fn insert_key(&self, k: &ApiKey, hash: &str) -> Result<(), sqlx::Error> {
        let scopes: Vec<&str> = k.scopes.iter().map(|s| s.as_str()).collect();
        let scopes = scopes.join(" ");
        self.db()
            .execute(
                "INSERT INTO api_keys (id, user_id, name, prefix, key_hash, scopes, \
                 created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                &[
                    (&k.id).into(),
                    (&k.user_id).into(),
                    (&k.name).into(),
                    (&k.prefix).into(),
                    hash.into(),
                    (&scopes).into(),
                    ms(k.created_at).into(),
                    k.expires_at.map(ms).into(),
                ],
            )
            .await?;
        Ok(())
    }

    /// The key with digest `hash` and its user, whatever their state.
    pub async fn key_by_hash(&self, hash: &str) -> Result<Option<(ApiKey, User)>, sqlx::Error> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys k WHERE k.key_hash = ?");
        let Some(row) = self.db().fetch_optional(&sql, &[hash.into()]).await? else {
            return Ok(None);
        };
        let key = key_from_row(&row)?;
        Ok(self.user(&key.user_id).await?.map(|u| (key, u)))
    }

    /// Records a use of key `id`.
    pub async fn touch_key(&self, id: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
        self.db()
            .execute(
                "UPDATE api_keys SET last_used_at_ms = ? WHERE id = ?",
                &[ms(now).into(), id.into()],
            )
            .await?;
        Ok(())
    }

    /// A user's keys, newest first.
    pub async fn keys_of(&self, user_id: &str) -> Result<Vec<ApiKey>, sqlx::Error> {
        let order = self.db().dialect().insert_order();
        let sql = format!(
            "SELECT {KEY_COLUMNS} FROM api_keys k WHERE k.user_id = ? \
             ORDER BY k.created_at_ms DESC, k.{order} DESC"
        );
        let rows = self.db().fetch_all(&sql, &[user_id.into()]).await?;
        rows.iter().map(key_from_row).collect()
    }

    /// Number of a user's keys not revoked.
    pub async fn unrevoked_keys(&self, user_id: &str) -> Result<u64, sqlx::Error> {
        let row = self
            .db()
            .fetch_one(
                "SELECT COUNT(*) AS n FROM api_keys WHERE user_id = ? AND revoked_at_ms IS NULL",
                &[user_id.into()],
            )
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
        self.db()
            .execute(
                "UPDATE api_keys SET revoked_at_ms = COALESCE(revoked_at_ms, ?) \
                 WHERE id = ? AND user_id = ?",
                &[ms(now).into(), id.into(), user_id.into()],
            )
            .await?;
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys k WHERE k.id = ? AND k.user_id = ?");
        let row = self
            .db()
            .fetch_optional(&sql, &[id.into(), user_id.into()])
            .await?;
        row.as_ref().map(key_from_row).transpose()
    }

    /// Deletes a user's key; `false` when the user has no such key.
    pub async fn delete_key(&self, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
        let deleted = self
            .db()
            .execute(
                "DELETE FROM api_keys WHERE id = ? AND user_id = ?",
                &[id.into(), user_id.into()],
            )
            .await?;
        Ok(deleted == 1)
    }
}
