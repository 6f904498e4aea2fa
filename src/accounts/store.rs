//! [`AccountStore`]: users, sessions, refresh tokens and API keys in the server's one database
//! ([`Db`]: `DATA_DIR/clovicharts.db`, or PostgreSQL with `DATABASE_URL`), on the pool it
//! shares with the chart index.
//!
//! Only digests of refresh tokens and keys and argon2id hashes of passwords are written. The
//! API-key queries are in `key_store.rs`.

use super::model::{User, UserQuery, UserSummary};
use crate::db::{Db, DbRow, Tx};
use chrono::{DateTime, Utc};
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

/// Account rows in the server's database.
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

pub(super) fn opt_time(row: &DbRow, column: &str) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    row.opt_int(column)?.map(|v| time(column, v)).transpose()
}

fn user_from_row(row: &DbRow) -> Result<User, sqlx::Error> {
    let limit = row.opt_int("rate_limit_per_min")?;
    Ok(User {
        id: row.text("id")?,
        email: row.text("email")?,
        name: row.opt_text("name")?,
        role: row.text("role")?,
        disabled: row.int("disabled")? != 0,
        rate_limit_per_min: limit.and_then(|l| u32::try_from(l).ok()),
        created_at: time("created_at_ms", row.int("created_at_ms")?)?,
        last_login_at: opt_time(row, "last_login_at_ms")?,
    })
}

/// A count column; an aggregate of no rows (NULL) counts as zero.
pub(super) fn count(row: &DbRow, column: &str) -> Result<u64, sqlx::Error> {
    Ok(u64::try_from(row.opt_int(column)?.unwrap_or(0)).unwrap_or(0))
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
            url @ crate::db::DbError::Url(_) => sqlx::Error::Configuration(url.to_string().into()),
        })?;
        Ok(AccountStore::new(db))
    }

    /// The database, for the key and statistics queries.
    pub(super) fn db(&self) -> &Db {
        &self.db
    }

    /// Inserts a user; `false` when the e-mail is taken.
    pub async fn insert_user(&self, u: &User, password_hash: &str) -> Result<bool, sqlx::Error> {
        let inserted = self
            .db
            .execute(
                "INSERT INTO users (id, email, name, password_hash, role, disabled, \
                 created_at_ms) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (email) DO NOTHING",
                &[
                    (&u.id).into(),
                    (&u.email).into(),
                    (&u.name).into(),
                    password_hash.into(),
                    (&u.role).into(),
                    ms(u.created_at).into(),
                ],
            )
            .await?;
        Ok(inserted == 1)
    }

    /// The user with `email` (lowercased) and their password hash.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = ?");
        let row = self.db.fetch_optional(&sql, &[email.into()]).await?;
        row.map(|r| -> Result<(User, String), sqlx::Error> {
            Ok((user_from_row(&r)?, r.text("password_hash")?))
        })
        .transpose()
    }

    /// The user with `id`.
    pub async fn user(&self, id: &str) -> Result<Option<User>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = ?");
        let row = self.db.fetch_optional(&sql, &[id.into()]).await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Sets the password hash and role of an existing user (the admin CLI).
    pub async fn set_password_and_role(
        &self,
        id: &str,
        password_hash: &str,
        role: &str,
    ) -> Result<(), sqlx::Error> {
        self.db
            .execute(
                "UPDATE users SET password_hash = ?, role = ? WHERE id = ?",
                &[password_hash.into(), role.into(), id.into()],
            )
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
        let mut tx = self.db.begin().await?;
        tx.execute(
            "INSERT INTO sessions (id, user_id, created_at_ms) VALUES (?, ?, ?)",
            &[sid.into(), user_id.into(), ms(now).into()],
        )
        .await?;
        tx.execute(
            "INSERT INTO refresh_tokens (token_hash, session_id, created_at_ms, expires_at_ms) \
             VALUES (?, ?, ?, ?)",
            &[
                refresh_hash.into(),
                sid.into(),
                ms(now).into(),
                ms(refresh_expires).into(),
            ],
        )
        .await?;
        tx.execute(
            "UPDATE users SET last_login_at_ms = ? WHERE id = ?",
            &[ms(now).into(), user_id.into()],
        )
        .await?;
        // Expired refresh tokens are of no use, not even for reuse detection.
        tx.execute(
            "DELETE FROM refresh_tokens WHERE expires_at_ms < ?",
            &[ms(now).into()],
        )
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
        let mut tx = self.db.begin().await?;
        let marked = tx
            .execute(
                "UPDATE refresh_tokens SET used_at_ms = ? WHERE token_hash = ? \
                 AND used_at_ms IS NULL AND expires_at_ms > ? AND session_id IN \
                 (SELECT id FROM sessions WHERE revoked_at_ms IS NULL)",
                &[ms(now).into(), old_hash.into(), ms(now).into()],
            )
            .await?;
        let row = tx
            .fetch_optional(
                "SELECT t.session_id, t.used_at_ms, s.user_id FROM refresh_tokens t \
                 JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = ?",
                &[old_hash.into()],
            )
            .await?;
        let Some(row) = row else {
            return Ok(Rotation::Invalid);
        };
        let sid = row.text("session_id")?;
        let user_id = row.text("user_id")?;
        if marked == 1 {
            tx.execute(
                "INSERT INTO refresh_tokens (token_hash, session_id, created_at_ms, \
                 expires_at_ms) VALUES (?, ?, ?, ?)",
                &[
                    new_hash.into(),
                    (&sid).into(),
                    ms(now).into(),
                    ms(new_expires).into(),
                ],
            )
            .await?;
            tx.commit().await?;
            return Ok(Rotation::Rotated(user_id, sid));
        }
        if row.opt_int("used_at_ms")?.is_some() {
            revoke_session_in(&mut tx, &sid, now).await?;
            tx.commit().await?;
            return Ok(Rotation::Reused);
        }
        Ok(Rotation::Invalid)
    }

    /// The session a refresh token belongs to.
    pub async fn session_of_refresh(&self, hash: &str) -> Result<Option<String>, sqlx::Error> {
        let row = self
            .db
            .fetch_optional(
                "SELECT session_id FROM refresh_tokens WHERE token_hash = ?",
                &[hash.into()],
            )
            .await?;
        row.map(|r| r.text("session_id")).transpose()
    }

    /// Revokes a session: its access tokens and refresh tokens stop working.
    pub async fn revoke_session(&self, sid: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
        let mut tx = self.db.begin().await?;
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
        let row = self
            .db
            .fetch_optional(&sql, &[sid.into(), user_id.into()])
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
        let order = self.db.dialect().insert_order();
        let page_sql = format!(
            "SELECT {USER_COLUMNS}, \
             (SELECT COUNT(*) FROM charts c WHERE c.owner = u.id) AS chart_count, \
             (SELECT COUNT(*) FROM api_keys k WHERE k.user_id = u.id \
              AND k.revoked_at_ms IS NULL) AS key_count \
             FROM users u {filter} ORDER BY u.created_at_ms DESC, u.{order} DESC \
             LIMIT ?2 OFFSET ?3"
        );
        let mut tx = self.db.begin().await?;
        let rows = tx
            .fetch_all(
                &page_sql,
                &[
                    (&pattern).into(),
                    i64::from(q.limit).into(),
                    i64::from(q.offset).into(),
                ],
            )
            .await?;
        let total = tx
            .fetch_one(
                &format!("SELECT COUNT(*) AS n FROM users u {filter}"),
                &[(&pattern).into()],
            )
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
        let mut tx = self.db.begin().await?;
        let exists = tx
            .fetch_optional("SELECT 1 AS one FROM users WHERE id = ?", &[id.into()])
            .await?
            .is_some();
        if !exists {
            return Ok(false);
        }
        if let Some(role) = role {
            tx.execute(
                "UPDATE users SET role = ? WHERE id = ?",
                &[role.into(), id.into()],
            )
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
        let mut tx = self.db.begin().await?;
        let updated = set_disabled_in(&mut tx, id, disabled, now).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Sets or clears a user's per-minute limit override.
    pub async fn set_rate_limit(&self, id: &str, limit: Option<u32>) -> Result<bool, sqlx::Error> {
        let updated = self
            .db
            .execute(
                "UPDATE users SET rate_limit_per_min = ? WHERE id = ?",
                &[limit.map(i64::from).into(), id.into()],
            )
            .await?;
        Ok(updated == 1)
    }

    /// Closes the database handle (shared: the chart index closes the same one).
    pub async fn close(&self) {
        self.db.close().await;
    }
}

async fn revoke_session_in(tx: &mut Tx, sid: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    tx.execute(
        "UPDATE sessions SET revoked_at_ms = COALESCE(revoked_at_ms, ?) WHERE id = ?",
        &[ms(now).into(), sid.into()],
    )
    .await?;
    Ok(())
}

/// Disables (revoking every session) or enables `id` inside `tx`; `false` when no such user.
async fn set_disabled_in(
    tx: &mut Tx,
    id: &str,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let updated = tx
        .execute(
            "UPDATE users SET disabled = ? WHERE id = ?",
            &[i64::from(disabled).into(), id.into()],
        )
        .await?;
    if disabled {
        tx.execute(
            "UPDATE sessions SET revoked_at_ms = ? WHERE user_id = ? AND revoked_at_ms IS NULL",
            &[ms(now).into(), id.into()],
        )
        .await?;
    }
    Ok(updated == 1)
}
