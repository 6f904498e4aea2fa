//! The admin operations on users: list and search, one user with their key count, role and
//! disabling in one transaction, the per-minute limit override. Every check is here, so the
//! HTTP layer only extracts and answers.

use super::model::{AdminUpdate, ROLES, User, UserQuery, UserSummary};
use super::{AccountError, Accounts};
use chrono::Utc;

/// Longest search string.
const MAX_SEARCH_CHARS: usize = 100;
/// Highest per-minute override: far above any honest client, still a bound.
const MAX_RATE_LIMIT: u32 = 1_000_000;

impl Accounts {
    /// A page of users (newest first, with chart and key counts) and the total matching; a
    /// blank search is no search.
    pub async fn users(
        &self,
        search: Option<&str>,
        limit: u32,
        offset: u32,
    ) -> Result<(Vec<UserSummary>, u64), AccountError> {
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        if search.is_some_and(|s| s.chars().count() > MAX_SEARCH_CHARS) {
            return Err(AccountError::Invalid(format!(
                "`search` must be at most {MAX_SEARCH_CHARS} characters"
            )));
        }
        let query = UserQuery {
            search: search.map(str::to_owned),
            limit,
            offset,
        };
        Ok(self.store.users(&query).await?)
    }

    /// The user `id` and the number of their unrevoked keys.
    pub async fn admin_view(&self, id: &str) -> Result<(User, u64), AccountError> {
        let user = self.store.user(id).await?.ok_or(AccountError::NotFound)?;
        let keys = self.store.unrevoked_keys(id).await?;
        Ok((user, keys))
    }

    /// Applies an admin's change to user `id`: admins cannot change themselves, the user must
    /// exist, the role must be one of [`ROLES`]; then role and disabling (which revokes every
    /// session) are written in one transaction, so a failure leaves the user as it was.
    pub async fn admin_update(
        &self,
        admin_id: &str,
        id: &str,
        update: &AdminUpdate,
    ) -> Result<(), AccountError> {
        if admin_id == id {
            return Err(AccountError::Invalid(
                "admins cannot change their own role or disable themselves".into(),
            ));
        }
        if self.store.user(id).await?.is_none() {
            return Err(AccountError::NotFound);
        }
        if let Some(role) = &update.role
            && !ROLES.contains(&role.as_str())
        {
            return Err(AccountError::Invalid(format!(
                "role must be one of {}",
                ROLES.join(", ")
            )));
        }
        let updated = self
            .store
            .admin_update(id, update.role.as_deref(), update.disabled, Utc::now())
            .await?;
        if !updated {
            return Err(AccountError::NotFound);
        }
        Ok(())
    }

    /// Sets (`Some`, `0`: unlimited) or clears a user's per-minute limit override.
    pub async fn set_rate_limit(&self, id: &str, limit: Option<u32>) -> Result<(), AccountError> {
        if limit.is_some_and(|l| l > MAX_RATE_LIMIT) {
            return Err(AccountError::Invalid(format!(
                "rate_limit_per_min must be at most {MAX_RATE_LIMIT}"
            )));
        }
        if !self.store.set_rate_limit(id, limit).await? {
            return Err(AccountError::NotFound);
        }
        Ok(())
    }
}
