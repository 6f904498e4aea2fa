//! [`ShortUrls`]: the rows of `POST /chart/create` (table `short_urls`, migration
//! `0003_short_urls.sql` in `migrations/sqlite/` and `migrations/postgres/`). Every query of the
//! URL API is in this file, written once for both databases (`crate::db`'s query layer).
//!
//! The row holds the normalised chart request, not the image: a few hundred bytes instead of
//! tens of kilobytes, nothing on the file store to clean up at expiry, and a `GET` renders it
//! through the same pool, deadline and render cache as any other chart (a popular link is a
//! cache hit).

use crate::db::Db;
use chrono::{DateTime, Utc};
use rand::Rng as _;

/// Characters of a short id: base62 keeps it URL-safe without escaping.
const ID_ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// Length of a short id: 22 base62 characters are ~131 random bits, unguessable.
pub const ID_LEN: usize = 22;

/// A stored short URL.
#[derive(Clone, Debug, PartialEq)]
pub struct ShortUrl {
    /// The id in `/chart/render/{id}`.
    pub id: String,
    /// The chart object (JSON text) to validate and render.
    pub chart_json: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops being served.
    pub expires_at: DateTime<Utc>,
    /// The API key that made it, if any.
    pub key_id: Option<String>,
}

/// The short-URL table of the server's database.
#[derive(Clone, Debug)]
pub struct ShortUrls {
    db: Db,
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Whether `id` has the shape of a short id (checked before any query).
pub fn is_id(id: &str) -> bool {
    id.len() == ID_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A fresh random short id.
pub fn new_id() -> String {
    let mut rng = rand::rng();
    (0..ID_LEN)
        .map(|_| char::from(ID_ALPHABET[rng.random_range(0..ID_ALPHABET.len())]))
        .collect()
}

impl ShortUrls {
    /// The table in `db` (migrated at open).
    pub fn new(db: Db) -> ShortUrls {
        ShortUrls { db }
    }

    /// Stores `url`, and deletes the rows that expired before `url.created_at`.
    pub async fn insert(&self, url: &ShortUrl) -> Result<(), sqlx::Error> {
        self.db
            .execute(
                "DELETE FROM short_urls WHERE expires_at_ms <= ?",
                &[ms(url.created_at).into()],
            )
            .await?;
        self.db
            .execute(
                "INSERT INTO short_urls (id, chart_json, created_at_ms, expires_at_ms, key_id) \
                 VALUES (?, ?, ?, ?, ?)",
                &[
                    (&url.id).into(),
                    (&url.chart_json).into(),
                    ms(url.created_at).into(),
                    ms(url.expires_at).into(),
                    (&url.key_id).into(),
                ],
            )
            .await?;
        Ok(())
    }

    /// The stored digest of API key `key_id` (the signing secret of `URL_API_AUTH=signed`,
    /// see `signed.rs`), whatever the key's state; `None` for an unknown id.
    pub async fn key_digest(&self, key_id: &str) -> Result<Option<String>, sqlx::Error> {
        let row = self
            .db
            .fetch_optional(
                "SELECT key_hash FROM api_keys WHERE id = ?",
                &[key_id.into()],
            )
            .await?;
        row.map(|r| r.text("key_hash")).transpose()
    }

    /// The short URL `id` if it exists and has not expired at `now`.
    pub async fn get(&self, id: &str, now: DateTime<Utc>) -> Result<Option<ShortUrl>, sqlx::Error> {
        let row = self
            .db
            .fetch_optional(
                "SELECT id, chart_json, created_at_ms, expires_at_ms, key_id FROM short_urls \
                 WHERE id = ? AND expires_at_ms > ?",
                &[id.into(), ms(now).into()],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(ShortUrl {
            id: row.text("id")?,
            chart_json: row.text("chart_json")?,
            created_at: time(row.int("created_at_ms")?),
            expires_at: time(row.int("expires_at_ms")?),
            key_id: row.opt_text("key_id")?,
        }))
    }
}
