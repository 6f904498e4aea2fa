//! Local accounts and the developer API's credentials: registration and login (argon2id),
//! rotating refresh tokens with reuse detection, access JWTs, scoped `cc_live_…` API keys, and
//! the admin operations on users. Plain domain code: the HTTP layer (`api::account`, `api::keys`,
//! `api::admin`) only extracts, calls and answers.

mod admin;
mod key_store;
mod model;
mod password;
pub mod stats;
mod store;
mod throttle;
pub mod tokens;

pub use model::{
    ADMIN_ROLES, AdminUpdate, ApiKey, AuthUser, ROLES, Scope, TokenPair, User, UserQuery,
    UserSummary, is_admin_role,
};
pub use password::{MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};
pub use stats::Stats;
pub use store::{AccountStore, Rotation};
pub use throttle::{LoginRefused, LoginReservation, LoginThrottle};

use crate::db::Db;
use crate::secret::Secret;
use chrono::{DateTime, Utc};
use std::path::Path;
use std::time::Duration;
use tokio::sync::OnceCell;

/// Longest e-mail address (RFC 5321).
const MAX_EMAIL_LEN: usize = 254;
/// Longest display name or key name, in characters.
const MAX_NAME_CHARS: usize = 100;
/// Keys a user may hold unrevoked: plenty for any integration, bounded against abuse.
pub const MAX_KEYS_PER_USER: u64 = 50;
/// A key's use is written back at most this often, so keys cost no write per request.
const KEY_TOUCH_EVERY_MS: i64 = 60_000;

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Bad input, worded for the client.
    #[error("{0}")]
    Invalid(String),
    /// The e-mail is registered already.
    #[error("Email already registered")]
    EmailTaken,
    /// Wrong credentials, unknown or reused token: nothing more is said.
    #[error("authentication failed")]
    Unauthorized,
    /// Too many failed logins; retry after the duration.
    #[error("too many failed logins")]
    Throttled(Duration),
    /// The shared login throttle (Redis) is unreachable and `REDIS_FAILURE=closed`.
    #[error("the login throttle is unavailable")]
    ThrottleUnavailable,
    /// Every password-hashing thread is busy; retry shortly.
    #[error("too many password checks in progress")]
    Busy,
    /// No such user or key (or not the caller's).
    #[error("not found")]
    NotFound,
    /// Not allowed for this caller.
    #[error("forbidden")]
    Forbidden,
    /// The database failed.
    #[error("account database: {0}")]
    Db(#[from] sqlx::Error),
    /// Hashing or signing failed.
    #[error("{0}")]
    Crypto(String),
}

impl From<password::HashError> for AccountError {
    fn from(e: password::HashError) -> Self {
        match e {
            password::HashError::Busy => AccountError::Busy,
            other => AccountError::Crypto(other.to_string()),
        }
    }
}

impl From<jsonwebtoken::errors::Error> for AccountError {
    fn from(e: jsonwebtoken::errors::Error) -> Self {
        AccountError::Crypto(e.to_string())
    }
}

/// Account settings from the environment.
#[derive(Clone, Debug)]
pub struct AccountSettings {
    /// Key of access tokens.
    pub secret: Secret,
    /// Lowercased e-mails promoted to `admin` on registration.
    pub admin_emails: Vec<String>,
    /// Failed logins per account per 15 minutes before 429.
    pub login_failures_per_account: u32,
    /// Failed logins per address per 15 minutes before 429.
    pub login_failures_per_address: u32,
}

/// Normalises and checks an e-mail address.
pub fn normalize_email(raw: &str) -> Result<String, AccountError> {
    let email = raw.trim().to_lowercase();
    let invalid = || AccountError::Invalid("email must be a valid address".into());
    if email.len() > MAX_EMAIL_LEN || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid());
    }
    let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
    {
        return Err(invalid());
    }
    Ok(email)
}

/// Trims a display name; `None` when empty.
fn clean_name(raw: Option<&str>) -> Result<Option<String>, AccountError> {
    let Some(name) = raw.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(AccountError::Invalid(format!(
            "name must be at most {MAX_NAME_CHARS} printable characters"
        )));
    }
    Ok(Some(name.to_owned()))
}

fn check_password(password: &Secret) -> Result<(), AccountError> {
    match password::weakness(password.expose()) {
        Some(why) => Err(AccountError::Invalid(why)),
        None => Ok(()),
    }
}

/// The accounts service: store, token key, login throttle.
#[derive(Debug)]
pub struct Accounts {
    store: AccountStore,
    settings: AccountSettings,
    throttle: LoginThrottle,
    /// A hash verified for unknown e-mails, so they take as long as wrong passwords.
    dummy_hash: OnceCell<String>,
    /// The bounded argon2 threads.
    hashing: password::HashPool,
}

impl Accounts {
    /// Opens the database file at `db_path` (creating and migrating it) for the account
    /// tables alone; for the admin CLI and tests. The server hands its one [`Db`] to
    /// [`Accounts::new`].
    pub async fn open(db_path: &Path, settings: AccountSettings) -> Result<Accounts, AccountError> {
        let store = AccountStore::open(db_path).await?;
        Ok(Accounts::with_store(store, settings))
    }

    /// The account service on the tables of an open database.
    pub fn new(db: Db, settings: AccountSettings) -> Accounts {
        Accounts::with_store(AccountStore::new(db), settings)
    }

    fn with_store(store: AccountStore, settings: AccountSettings) -> Accounts {
        Accounts {
            throttle: LoginThrottle::new(
                settings.login_failures_per_account,
                settings.login_failures_per_address,
            ),
            store,
            settings,
            dummy_hash: OnceCell::new(),
            hashing: password::HashPool::new(),
        }
    }

    /// Counts failed logins in `shared` (Redis), over every instance that uses it.
    pub fn with_shared_throttle(mut self, shared: crate::shared::Shared) -> Accounts {
        self.throttle = self.throttle.shared(shared);
        self
    }

    /// The store, for the admin CLI and tests.
    pub fn store(&self) -> &AccountStore {
        &self.store
    }

    fn issue(&self, user: &User, sid: &str) -> Result<TokenPair, AccountError> {
        let access =
            tokens::mint_access(&self.settings.secret, &user.id, sid, Utc::now().timestamp())?;
        Ok(TokenPair {
            access_token: access,
            refresh_token: Secret::new(""),
            expires_in: tokens::ACCESS_TTL_S.unsigned_abs(),
        })
    }

    async fn start_session(&self, user: &User) -> Result<TokenPair, AccountError> {
        let now = Utc::now();
        let sid = tokens::new_id("ses_");
        let refresh = tokens::new_refresh_token();
        let expires = now + chrono::Duration::seconds(tokens::REFRESH_TTL_S);
        self.store
            .start_session(
                &user.id,
                &sid,
                &tokens::digest(refresh.expose()),
                now,
                expires,
            )
            .await?;
        let mut pair = self.issue(user, &sid)?;
        pair.refresh_token = refresh;
        Ok(pair)
    }

    /// Creates an account (admin role when the e-mail is in `ADMIN_EMAILS`) and signs it in.
    pub async fn register(
        &self,
        email: &str,
        password: Secret,
        name: Option<&str>,
    ) -> Result<(User, TokenPair), AccountError> {
        let email = normalize_email(email)?;
        check_password(&password)?;
        let name = clean_name(name)?;
        let role = if self.settings.admin_emails.contains(&email) {
            "admin"
        } else {
            "user"
        };
        let user = self.create_user(&email, password, name, role).await?;
        let pair = self.start_session(&user).await?;
        Ok((user, pair))
    }

    async fn create_user(
        &self,
        email: &str,
        password: Secret,
        name: Option<String>,
        role: &str,
    ) -> Result<User, AccountError> {
        let hash = self.hashing.hash(password).await?;
        let user = User {
            id: tokens::new_id("usr_"),
            email: email.to_owned(),
            name,
            role: role.to_owned(),
            disabled: false,
            rate_limit_per_min: None,
            created_at: Utc::now(),
            last_login_at: None,
        };
        if !self.store.insert_user(&user, &hash).await? {
            return Err(AccountError::EmailTaken);
        }
        Ok(user)
    }

    /// Checks e-mail and password (throttled per account and per `address`) and signs in.
    /// Unknown e-mails verify against a dummy hash, so both failures take the same time.
    pub async fn login(
        &self,
        email: &str,
        password: Secret,
        address: &str,
    ) -> Result<(User, TokenPair), AccountError> {
        let account = email.trim().to_lowercase();
        let reserved = self
            .throttle
            .reserve(&account, address)
            .await
            .map_err(|r| match r {
                LoginRefused::Throttled(wait) => AccountError::Throttled(wait),
                LoginRefused::Unavailable => AccountError::ThrottleUnavailable,
            })?;
        let checked = self.check_password(email, password).await;
        let (found, ok) = match checked {
            Ok(checked) => checked,
            Err(e) => {
                // Nothing was verified (busy pool, database error): the attempt is given back.
                self.throttle.release(reserved).await;
                return Err(e);
            }
        };
        match found {
            Some((user, _)) if ok && !user.disabled => {
                self.throttle.release_success(reserved).await;
                let pair = self.start_session(&user).await?;
                Ok((user, pair))
            }
            // The failure was counted by `reserve`.
            _ => Err(AccountError::Unauthorized),
        }
    }

    /// The account of `email`, if any, and whether `password` is its password; unknown e-mails
    /// verify against a dummy hash.
    async fn check_password(
        &self,
        email: &str,
        password: Secret,
    ) -> Result<(Option<(User, String)>, bool), AccountError> {
        let found = match normalize_email(email) {
            Ok(e) => self.store.user_by_email(&e).await?,
            Err(_) => None,
        };
        let ok = match &found {
            Some((_, hash)) => self.hashing.verify(password, hash.clone()).await?,
            None => {
                let dummy = self
                    .dummy_hash
                    .get_or_try_init(|| self.hashing.hash(Secret::new(tokens::new_id("dummy_"))))
                    .await?;
                self.hashing.verify(password, dummy.clone()).await?;
                false
            }
        };
        Ok((found, ok))
    }

    /// Exchanges a refresh token for a new pair. A token used before revokes its whole session.
    pub async fn refresh(&self, token: &str) -> Result<(User, TokenPair), AccountError> {
        if token.len() > tokens::MAX_CREDENTIAL_LEN || !token.starts_with(tokens::REFRESH_PREFIX) {
            return Err(AccountError::Unauthorized);
        }
        let now = Utc::now();
        let next = tokens::new_refresh_token();
        let expires = now + chrono::Duration::seconds(tokens::REFRESH_TTL_S);
        let rotation = self
            .store
            .rotate(
                &tokens::digest(token),
                &tokens::digest(next.expose()),
                now,
                expires,
            )
            .await?;
        let Rotation::Rotated(user_id, sid) = rotation else {
            if rotation == Rotation::Reused {
                tracing::warn!("refresh token reused: its session is revoked");
            }
            return Err(AccountError::Unauthorized);
        };
        let user = self
            .store
            .session_user(&sid, &user_id)
            .await?
            .ok_or(AccountError::Unauthorized)?;
        let mut pair = self.issue(&user, &sid)?;
        pair.refresh_token = next;
        Ok((user, pair))
    }

    /// Ends the session of `refresh_token` and/or `session_id` (unknown ones are ignored).
    pub async fn logout(
        &self,
        refresh_token: Option<&str>,
        session_id: Option<&str>,
    ) -> Result<(), AccountError> {
        let now = Utc::now();
        if let Some(t) = refresh_token.filter(|t| t.len() <= tokens::MAX_CREDENTIAL_LEN)
            && let Some(sid) = self.store.session_of_refresh(&tokens::digest(t)).await?
        {
            self.store.revoke_session(&sid, now).await?;
        }
        if let Some(sid) = session_id {
            self.store.revoke_session(sid, now).await?;
        }
        Ok(())
    }

    /// The user of a valid access token whose session is live and user enabled.
    pub async fn verify_access_token(&self, token: &str) -> Result<Option<AuthUser>, AccountError> {
        let Some((user_id, sid)) = tokens::verify_access(token, &self.settings.secret) else {
            return Ok(None);
        };
        Ok(self
            .store
            .session_user(&sid, &user_id)
            .await?
            .map(|user| AuthUser {
                user,
                scopes: None,
                key_id: None,
                session_id: Some(sid),
            }))
    }

    /// The user of a valid API key (not revoked, not expired, user enabled); notes its use.
    pub async fn verify_api_key(&self, key: &str) -> Result<Option<AuthUser>, AccountError> {
        if key.len() > tokens::MAX_CREDENTIAL_LEN || !key.starts_with(tokens::KEY_PREFIX) {
            return Ok(None);
        }
        let Some((k, user)) = self.store.key_by_hash(&tokens::digest(key)).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        if k.status(now) != "active" || user.disabled {
            return Ok(None);
        }
        if k.last_used_at
            .is_none_or(|t| (now - t).num_milliseconds() >= KEY_TOUCH_EVERY_MS)
        {
            self.store.touch_key(&k.id, now).await?;
        }
        // An admin scope is worth nothing once the user is no longer an admin.
        let scopes = k
            .scopes
            .iter()
            .copied()
            .filter(|s| *s != Scope::Admin || is_admin_role(&user.role))
            .collect();
        Ok(Some(AuthUser {
            user,
            scopes: Some(scopes),
            key_id: Some(k.id),
            session_id: None,
        }))
    }

    /// Creates a key for `user`; the raw key is returned once and only its digest is stored.
    pub async fn create_key(
        &self,
        user: &User,
        name: &str,
        scopes: Vec<Scope>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(ApiKey, Secret), AccountError> {
        let name = clean_name(Some(name))?
            .ok_or_else(|| AccountError::Invalid("name must not be empty".into()))?;
        if scopes.is_empty() {
            return Err(AccountError::Invalid(
                "scopes must name at least one scope".into(),
            ));
        }
        if scopes.contains(&Scope::Admin) && !is_admin_role(&user.role) {
            return Err(AccountError::Forbidden);
        }
        let now = Utc::now();
        if expires_at.is_some_and(|e| e <= now) {
            return Err(AccountError::Invalid(
                "expires_at must be in the future".into(),
            ));
        }
        if self.store.unrevoked_keys(&user.id).await? >= MAX_KEYS_PER_USER {
            return Err(AccountError::Invalid(format!(
                "at most {MAX_KEYS_PER_USER} keys per user; revoke one first"
            )));
        }
        let (raw, prefix) = tokens::new_api_key();
        let key = ApiKey {
            id: tokens::new_id("key_"),
            user_id: user.id.clone(),
            name,
            prefix,
            scopes,
            created_at: now,
            expires_at,
            last_used_at: None,
            revoked_at: None,
        };
        self.store
            .insert_key(&key, &tokens::digest(raw.expose()))
            .await?;
        Ok((key, raw))
    }

    /// The first admin from the command line: creates the account, or promotes an existing one
    /// and sets its password. Returns the user and whether it was created.
    pub async fn create_admin(
        &self,
        email: &str,
        password: Secret,
        name: Option<&str>,
        role: &str,
    ) -> Result<(User, bool), AccountError> {
        let email = normalize_email(email)?;
        check_password(&password)?;
        if !is_admin_role(role) {
            return Err(AccountError::Invalid(format!(
                "role must be one of {}",
                ADMIN_ROLES.join(", ")
            )));
        }
        if let Some((user, _)) = self.store.user_by_email(&email).await? {
            let hash = self.hashing.hash(password).await?;
            self.store
                .set_password_and_role(&user.id, &hash, role)
                .await?;
            let user = self
                .store
                .user(&user.id)
                .await?
                .ok_or(AccountError::NotFound)?;
            return Ok((user, false));
        }
        let user = self
            .create_user(&email, password, clean_name(name)?, role)
            .await?;
        Ok((user, true))
    }

    /// Admin statistics at `now`.
    pub async fn stats(&self, now: DateTime<Utc>) -> Result<Stats, AccountError> {
        Ok(stats::stats(&self.store, now).await?)
    }

    /// Closes the database pool.
    pub async fn close(&self) {
        self.store.close().await;
    }
}
