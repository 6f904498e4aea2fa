//! [`AccountStore`]: users, sessions, refresh tokens and API keys in the server's one database
//! ([`Db`], `DATA_DIR/clovicharts.db`), on the pool it shares with the chart index.
//!
//! Only digests of refresh tokens and keys and argon2id hashes of passwords are written. The
//! API-key queries are in `key_store.rs`.

use super::model::{User, UserQuery, UserSummary};
use crate::db::Db;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use std::path::Path;

/// The columns of `users` that [`user_from_row`] reads (`u` is the alias).
const USER_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.disabled, u.rate_limit_per_min, \
                            u.created_at_ms, u.last_login_at_ms";
/// The outcome of presenting a refresh token.
#[derive(Debug, PartialEq)]
pub enum Rotation {
    /// The token was valid and is now used; the new one is stored. `(user id, session id)`.
    Rotated(String, String),
    /// The token was already used: its session has been revoked.
    Reused,
    /// Unknown, expired, or of a revoked session.
    Invalid,
}

/// Account rows in SQLite.
#[derive(Clone, Debug)]
pub struct AccountStore {
    db: Db,
}

pub(super) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(super) fn time(column: &str, v: i64) -> Result<DateTime<Utc>, sqlx::Error> {
    DateTime::<Utc>::from_timestamp_millis(v).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: "timestamp out of range".into(),
    })
}

pub(super) fn opt_time(
    row: &SqliteRow,
    column: &str,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    row.try_get::<Option<i64>, _>(column)?
        .map(|v| time(column, v))
        .transpose()
}

fn user_from_row(row: &SqliteRow) -> Result<User, sqlx::Error> {
    let limit: Option<i64> = row.try_get("rate_limit_per_min")?;
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        rate_limit_per_min: limit.and_then(|l| u32::try_from(l).ok()),
        created_at: time("created_at_ms", row.try_get("created_at_ms")?)?,
        last_login_at: opt_time(row, "last_login_at_ms")?,
    })
}

pub(super) fn count(row: &SqliteRow, column: &str) -> Result<u64, sqlx::Error> {
    Ok(u64::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0))
}

impl AccountStore {
    /// The account tables of an open (migrated) database.
    pub fn new(db: Db) -> AccountStore {
        AccountStore { db }
    }

    /// Opens the database file at `path` (creating it) and applies the migrations; for tools
    /// and tests.
    pub async fn open(path: &Path) -> Result<AccountStore, sqlx::Error> {
        let db = Db::open_file(path).await.map_err(|e| match e {
            crate::db::DbError::Connect(e) => e,
            crate::db::DbError::Migrate(e) => sqlx::Error::Migrate(Box::new(e)),
        })?;
        Ok(AccountStore::new(db))
    }

    /// The pool, for the statistics queries.
    pub(super) fn pool(&self) -> &SqlitePool {
        self.db.sqlite()
    }

    /// Inserts a user; `false` when the e-mail is taken.
    pub async fn insert_user(&self, u: &User, password_hash: &str) -> Result<bool, sqlx::Error> {
        let r = sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, role, disabled, created_at_ms) \
             VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (email) DO NOTHING",
        )
        .bind(&u.id)
        .bind(&u.email)
        .bind(&u.name)
        .bind(password_hash)
        .bind(&u.role)
        .bind(ms(u.created_at))
        .execute(self.pool())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// The user with `email` (lowercased) and their password hash.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = ?");
        let row = sqlx::query(&sql)
            .bind(email)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| -> Result<(User, String), sqlx::Error> {
            Ok((user_from_row(&r)?, r.try_get("password_hash")?))
        })
        .transpose()
    }

    /// The user with `id`.
    pub async fn user(&self, id: &str) -> Result<Option<User>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = ?");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Sets the password hash and role of an existing user (the admin CLI).
    pub async fn set_password_and_role(
        &self,
        id: &str,
        password_hash: &str,
        role: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE users SET password_hash = ?, role = ? WHERE id = ?")
            .bind(password_hash)
            .bind(role)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Starts a session with its first refresh token; records the login time.
    pub async fn start_session(
        &self,
        user_id: &str,
        sid: &str,
        refresh_hash: &str,
        now: DateTime<Utc>,
        refresh_expires: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("INSERT INTO sessions (id, user_id, created_at_ms) VALUES (?, ?, ?)")
            .bind(sid)
            .bind(user_id)
            .bind(ms(now))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, session_id, created_at_ms, expires_at_ms) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(refresh_hash)
        .bind(sid)
        .bind(ms(now))
        .bind(ms(refresh_expires))
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE users SET last_login_at_ms = ? WHERE id = ?")
            .bind(ms(now))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        // Expired refresh tokens are of no use, not even for reuse detection.
        sqlx::query("DELETE FROM refresh_tokens WHERE expires_at_ms < ?")
            .bind(ms(now))
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Marks `old_hash` used and stores `new_hash` in the same session, atomically. A token that
    /// was already used revokes its session (the family), as a stolen copy is in play.
    pub async fn rotate(
        &self,
        old_hash: &str,
        new_hash: &str,
        now: DateTime<Utc>,
        new_expires: DateTime<Utc>,
    ) -> Result<Rotation, sqlx::Error> {
        let mut tx = self.pool().begin().await?;
        let marked = sqlx::query(
            "UPDATE refresh_tokens SET used_at_ms = ? WHERE token_hash = ? AND used_at_ms IS NULL \
             AND expires_at_ms > ? AND session_id IN \
             (SELECT id FROM sessions WHERE revoked_at_ms IS NULL)",
        )
        .bind(ms(now))
        .bind(old_hash)
        .bind(ms(now))
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(
            "SELECT t.session_id, t.used_at_ms, s.user_id FROM refresh_tokens t \
             JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = ?",
        )
        .bind(old_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(Rotation::Invalid);
        };
        let sid: String = row.try_get("session_id")?;
        let user_id: String = row.try_get("user_id")?;
        if marked.rows_affected() == 1 {
            sqlx::query(
                "INSERT INTO refresh_tokens (token_hash, session_id, created_at_ms, \
                 expires_at_ms) VALUES (?, ?, ?, ?)",
            )
            .bind(new_hash)
            .bind(&sid)
            .bind(ms(now))
            .bind(ms(new_expires))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(Rotation::Rotated(user_id, sid));
        }
        let used: Option<i64> = row.try_get("used_at_ms")?;
        if used.is_some() {
            revoke_session_in(&mut tx, &sid, now).await?;
            tx.commit().await?;
            return Ok(Rotation::Reused);
        }
        Ok(Rotation::Invalid)
    }

    /// The session a refresh token belongs to.
    pub async fn session_of_refresh(&self, hash: &str) -> Result<Option<String>, sqlx::Error> {
        let row = sqlx::query("SELECT session_id FROM refresh_tokens WHERE token_hash = ?")
            .bind(hash)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| r.try_get(0)).transpose()
    }

    /// Revokes a session: its access tokens and refresh tokens stop working.
    pub async fn revoke_session(&self, sid: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
        let mut tx = self.pool().begin().await?;
        revoke_session_in(&mut tx, sid, now).await?;
        tx.commit().await
    }

    /// The active user of a live session (not revoked, user not disabled).
    pub async fn session_user(
        &self,
        sid: &str,
        user_id: &str,
    ) -> Result<Option<User>, sqlx::Error> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id = ? AND s.user_id = ? AND s.revoked_at_ms IS NULL AND u.disabled = 0"
        );
        let row = sqlx::query(&sql)
            .bind(sid)
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// A page of users, newest first, with counts, and the total matching.
    pub async fn users(&self, q: &UserQuery) -> Result<(Vec<UserSummary>, u64), sqlx::Error> {
        let pattern = q.search.as_ref().map(|s| {
            let escaped = s
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        });
        let filter = "WHERE (?1 IS NULL OR u.email LIKE ?1 ESCAPE '\\' \
                      OR lower(u.name) LIKE ?1 ESCAPE '\\')";
        let page_sql = format!(
            "SELECT {USER_COLUMNS}, \
             (SELECT COUNT(*) FROM charts c WHERE c.owner = u.id) AS chart_count, \
             (SELECT COUNT(*) FROM api_keys k WHERE k.user_id = u.id \
              AND k.revoked_at_ms IS NULL) AS key_count \
             FROM users u {filter} ORDER BY u.created_at_ms DESC, u.rowid DESC LIMIT ?2 OFFSET ?3"
        );
        let mut tx = self.pool().begin().await?;
        let rows = sqlx::query(&page_sql)
            .bind(&pattern)
            .bind(i64::from(q.limit))
            .bind(i64::from(q.offset))
            .fetch_all(&mut *tx)
            .await?;
        let total = sqlx::query(&format!("SELECT COUNT(*) AS n FROM users u {filter}"))
            .bind(&pattern)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let users = rows
            .iter()
            .map(|r| {
                Ok(UserSummary {
                    user: user_from_row(r)?,
                    chart_count: count(r, "chart_count")?,
                    key_count: count(r, "key_count")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok((users, count(&total, "n")?))
    }

    /// An admin's change, in one transaction: the role when given, and disabling (revoking
    /// every session) or enabling when given. `false` when no user has `id`.
    pub async fn admin_update(
        &self,
        id: &str,
        role: Option<&str>,
        disabled: Option<bool>,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool().begin().await?;
        let exists = sqlx::query("SELECT 1 FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if !exists {
            return Ok(false);
        }
        if let Some(role) = role {
            sqlx::query("UPDATE users SET role = ? WHERE id = ?")
                .bind(role)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(disabled) = disabled {
            set_disabled_in(&mut tx, id, disabled, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Disables (revoking every session) or enables a user.
    pub async fn set_disabled(
        &self,
        id: &str,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool().begin().await?;
        let updated = set_disabled_in(&mut tx, id, disabled, now).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Sets or clears a user's per-minute limit override.
    pub async fn set_rate_limit(&self, id: &str, limit: Option<u32>) -> Result<bool, sqlx::Error> {
        let r = sqlx::query("UPDATE users SET rate_limit_per_min = ? WHERE id = ?")
            .bind(limit.map(i64::from))
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Closes the database handle (shared: the chart index closes the same one).
    pub async fn close(&self) {
        self.db.close().await;
    }
}

async fn revoke_session_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    sid: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET revoked_at_ms = COALESCE(revoked_at_ms, ?) WHERE id = ?")
        .bind(ms(now))
        .bind(sid)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Disables (revoking every session) or enables `id` inside `tx`; `false` when no such user.
async fn set_disabled_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    id: &str,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE users SET disabled = ? WHERE id = ?")
        .bind(i64::from(disabled))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if disabled {
        sqlx::query(
            "UPDATE sessions SET revoked_at_ms = ? WHERE user_id = ? AND revoked_at_ms IS NULL",
        )
        .bind(ms(now))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(r.rows_affected() == 1)
}
