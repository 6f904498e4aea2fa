//! The plain data of accounts: users, roles, API keys and their scopes, token pairs.

use crate::config::Secret;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Roles with admin rights, as the reference.
pub const ADMIN_ROLES: [&str; 3] = ["super_admin", "admin", "platform_admin"];
/// Every role an account may hold.
pub const ROLES: [&str; 4] = ["user", "admin", "super_admin", "platform_admin"];

/// Whether `role` is an admin role.
pub fn is_admin_role(role: &str) -> bool {
    ADMIN_ROLES.contains(&role)
}

/// What an API key may do. Sessions and access tokens may do everything their role allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Scope {
    /// Generate, batch, recommend, examples; delete own charts.
    #[serde(rename = "charts:write")]
    ChartsWrite,
    /// Read the owner's private charts and list them.
    #[serde(rename = "charts:read")]
    ChartsRead,
    /// The admin routes (only for keys of admin users).
    #[serde(rename = "admin")]
    Admin,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 3] = [Scope::ChartsWrite, Scope::ChartsRead, Scope::Admin];

    /// The wire name, e.g. `charts:write`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ChartsWrite => "charts:write",
            Scope::ChartsRead => "charts:read",
            Scope::Admin => "admin",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A local account (no password hash: that never leaves the store).
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct User {
    /// `usr_<base62>`.
    pub id: String,
    /// Lowercased e-mail.
    pub email: String,
    /// Display name.
    pub name: Option<String>,
    /// `user` or an admin role.
    pub role: String,
    /// A disabled user's tokens and keys are refused.
    pub disabled: bool,
    /// Admin override of the per-minute API limit (`0`: unlimited).
    pub rate_limit_per_min: Option<u32>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// The last successful login.
    pub last_login_at: Option<DateTime<Utc>>,
}

/// An API key's record (the raw key is shown once, at creation, and never stored).
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ApiKey {
    /// `key_<base62>`.
    pub id: String,
    /// The owning user.
    #[serde(skip)]
    pub user_id: String,
    /// The owner's label.
    pub name: String,
    /// The first characters of the key, for recognising it.
    pub prefix: String,
    /// What the key may do.
    pub scopes: Vec<Scope>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// After this the key is refused.
    pub expires_at: Option<DateTime<Utc>>,
    /// The last request made with it (updated at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    /// `active`, `revoked` or `expired` at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> &'static str {
        if self.revoked_at.is_some() {
            "revoked"
        } else if self.expires_at.is_some_and(|e| e <= now) {
            "expired"
        } else {
            "active"
        }
    }
}

/// An access token and its refresh token, as returned by register, login and refresh.
#[derive(Clone, Debug)]
pub struct TokenPair {
    /// The access JWT (15 minutes).
    pub access_token: Secret,
    /// The opaque refresh token (rotating).
    pub refresh_token: Secret,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

/// A user admitted by an access token or an API key.
#[derive(Clone, Debug)]
pub struct AuthUser {
    /// The account.
    pub user: User,
    /// `None` for access tokens (everything the role allows); the key's scopes for keys.
    pub scopes: Option<Vec<Scope>>,
    /// The key's id, when admitted by a key.
    pub key_id: Option<String>,
    /// The session's id, when admitted by an access token.
    pub session_id: Option<String>,
}

/// One row of the admin user list: the user and counts of what they own.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct UserSummary {
    /// The user.
    #[serde(flatten)]
    pub user: User,
    /// Charts the user owns.
    pub chart_count: u64,
    /// Keys not revoked.
    pub key_count: u64,
}

/// A page of users.
#[derive(Clone, Debug, Default)]
pub struct UserQuery {
    /// Case-insensitive substring of e-mail or name.
    pub search: Option<String>,
    /// Page size.
    pub limit: u32,
    /// Rows skipped.
    pub offset: u32,
}

/// An admin's change to a user (`PATCH /api/admin/users/:id`); absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdminUpdate {
    /// The new role, one of [`ROLES`].
    pub role: Option<String>,
    /// Disable (revoking every session) or enable.
    pub disabled: Option<bool>,
}
