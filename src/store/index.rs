//! The SQL side of the store: chart rows, behind one trait per database.

use super::error::StoreError;
use super::record::{ChartRecord, GalleryQuery};
use uuid::Uuid;

/// The SQL side: chart rows. Implemented by [`SqlIndex`](super::SqlIndex) on SQLite or
/// PostgreSQL.
#[async_trait::async_trait]
pub trait ChartIndex: Send + Sync {
    /// Short backend name for logs and health output, e.g. `"sqlite"` or `"postgres"`.
    fn kind(&self) -> &'static str;
    /// Inserts a row and returns once it is durably committed; a duplicate id is an error.
    async fn insert(&self, record: &ChartRecord) -> Result<(), StoreError>;
    /// Inserts all rows in one transaction (one durable commit), or none of them. The default
    /// inserts one by one; indexes with transactions override it for group commit.
    async fn insert_all(&self, records: &[ChartRecord]) -> Result<(), StoreError> {
        for record in records {
            self.insert(record).await?;
        }
        Ok(())
    }
    /// The row for `id`, if any.
    async fn get(&self, id: Uuid) -> Result<Option<ChartRecord>, StoreError>;
    /// One page, newest first (ties in insert order, newest first), and the total matching.
    async fn list(&self, query: &GalleryQuery) -> Result<(Vec<ChartRecord>, u64), StoreError>;
    /// Deletes the row for `id`; `true` if a row existed.
    async fn delete(&self, id: Uuid) -> Result<bool, StoreError>;
    /// Number of rows.
    async fn count(&self) -> Result<u64, StoreError>;
    /// Whether a row for `id` exists.
    async fn contains(&self, id: Uuid) -> Result<bool, StoreError>;
    /// Whether the index can be reached now (readiness); the default has nothing to reach.
    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Closes connections; later calls fail.
    async fn close(&self);
}
