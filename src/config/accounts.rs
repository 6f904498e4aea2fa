//! The account variables (`AUTH_JWT_SECRET`, `ADMIN_EMAILS`, the login throttle, the limit of
//! authenticated callers), read for `src/accounts/`.

use super::env::{ConfigError, parsed, var};
use crate::secret::Secret;

/// Failed logins per account per 15 minutes before 429.
pub const DEFAULT_LOGIN_FAILURES_PER_ACCOUNT: u32 = 5;
/// Failed logins per address per 15 minutes before 429 (several people may share an address).
pub const DEFAULT_LOGIN_FAILURES_PER_ADDRESS: u32 = 20;

/// Accounts and the developer API (`src/accounts/`).
#[derive(Clone, Debug)]
pub struct AccountsConfig {
    /// `AUTH_JWT_SECRET`: HS256 key of our access tokens, distinct from `JWT_SECRET` (default:
    /// generated and persisted in `DATA_DIR/auth_jwt_secret`).
    pub auth_jwt_secret: Option<Secret>,
    /// `ADMIN_EMAILS`: comma-separated e-mails given the `admin` role when they register.
    pub admin_emails: Vec<String>,
    /// `RATE_LIMIT_AUTHENTICATED`: per user or key per minute (default `RATE_LIMIT_PER_MIN`;
    /// `0`: unlimited).
    pub rate_limit_authenticated: Option<u32>,
    /// `LOGIN_FAILURES_PER_ACCOUNT` per 15 minutes (default 5; `0`: off).
    pub login_failures_per_account: u32,
    /// `LOGIN_FAILURES_PER_ADDRESS` per 15 minutes (default 20; `0`: off).
    pub login_failures_per_address: u32,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        AccountsConfig {
            auth_jwt_secret: None,
            admin_emails: Vec::new(),
            rate_limit_authenticated: None,
            login_failures_per_account: DEFAULT_LOGIN_FAILURES_PER_ACCOUNT,
            login_failures_per_address: DEFAULT_LOGIN_FAILURES_PER_ADDRESS,
        }
    }
}

impl AccountsConfig {
    /// Reads the account variables.
    pub fn from_env() -> Result<AccountsConfig, ConfigError> {
        Ok(AccountsConfig {
            auth_jwt_secret: var("AUTH_JWT_SECRET").map(Secret::new),
            admin_emails: var("ADMIN_EMAILS")
                .map(|v| {
                    v.split(',')
                        .map(|e| e.trim().to_lowercase())
                        .filter(|e| !e.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            rate_limit_authenticated: var("RATE_LIMIT_AUTHENTICATED")
                .map(|_| parsed("RATE_LIMIT_AUTHENTICATED", 0))
                .transpose()?,
            login_failures_per_account: parsed(
                "LOGIN_FAILURES_PER_ACCOUNT",
                DEFAULT_LOGIN_FAILURES_PER_ACCOUNT,
            )?,
            login_failures_per_address: parsed(
                "LOGIN_FAILURES_PER_ADDRESS",
                DEFAULT_LOGIN_FAILURES_PER_ADDRESS,
            )?,
        })
    }
}
