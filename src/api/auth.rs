//! Authentication: request → optional [`Principal`], one chain on every route, in order:
//!
//! 1. `cl_session` cookie: an HS256 JWT signed with `JWT_SECRET` (algorithm pinned, `exp`
//!    required), claims `id`/`sub`, `email`, `role`, `name`;
//! 2. `Authorization: Bearer <token>` or the `cc_token` cookie: our own access JWT
//!    (`AUTH_JWT_SECRET`, `iss`/`aud`/`exp` checked, live session, enabled user) or an API key
//!    `cc_live_…`;
//! 3. `X-API-Key: cc_live_…`;
//! 4. `X-User-Id`, trusted **only** with `X-Internal-Secret` equal (constant-time) to a
//!    configured `INTERNAL_SECRET`; unset, this path is off (the reference trusted the bare
//!    header, which let anyone in).
//!
//! Every failure looks the same to the client (401 with the reference's body), whatever the
//! reason, so the answer is no oracle for which check failed; every refusal of an authenticated
//! caller is the same 403.

use super::AppState;
use super::error::ApiError;
use crate::accounts::{AuthUser, Scope, is_admin_role};
use crate::secret::Secret;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

pub use crate::accounts::ADMIN_ROLES;
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "cl_session";
/// The cookie carrying our access token for browsers.
pub const TOKEN_COOKIE: &str = "cc_token";
/// Longest user id accepted from `X-User-Id`.
const MAX_USER_ID_LEN: usize = 128;

/// How a caller authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthVia {
    /// The `cl_session` SSO cookie.
    Session,
    /// Our access JWT (`Authorization: Bearer` or the `cc_token` cookie).
    AccessToken,
    /// An API key (`Authorization: Bearer cc_live_…` or `X-API-Key`).
    ApiKey,
    /// `X-User-Id` with the internal secret.
    Internal,
}

impl AuthVia {
    /// The name shown in `/api/me`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthVia::Session => "session",
            AuthVia::AccessToken => "token",
            AuthVia::ApiKey => "api_key",
            AuthVia::Internal => "internal",
        }
    }
}

/// The authenticated caller.
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    /// User id as the credential carried it (number or string; `usr_…` for local accounts).
    pub id: Value,
    /// E-mail, when known.
    pub email: Option<String>,
    /// Display name, when known.
    pub name: Option<String>,
    /// Role, `user` when absent.
    pub role: String,
    /// `None`: everything the role allows; `Some`: an API key's scopes.
    pub scopes: Option<Vec<Scope>>,
    /// Which check admitted the caller.
    pub via: AuthVia,
    /// The API key's id, when admitted by a key (rate limits are per key).
    pub key_id: Option<String>,
    /// The session's id, when admitted by an access token (logout revokes it).
    pub session_id: Option<String>,
    /// An admin's override of this user's per-minute limit (`0`: unlimited).
    pub rate_limit_per_min: Option<u32>,
}

impl Principal {
    /// Whether the caller has admin rights: an admin role, and the `admin` scope for keys.
    pub fn is_admin(&self) -> bool {
        is_admin_role(&self.role) && self.has_scope(Scope::Admin)
    }

    /// Whether the credentials allow `scope` (always, except for keys without it).
    pub fn has_scope(&self, scope: Scope) -> bool {
        self.scopes.as_ref().is_none_or(|s| s.contains(&scope))
    }

    /// The user id as text (for owner columns and rate-limit keys).
    pub fn user_key(&self) -> String {
        match &self.id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// The `user` object of `/api/auth/me`, exactly the reference's.
    pub fn to_json(&self) -> Value {
        json!({ "id": self.id, "email": self.email, "role": self.role, "name": self.name })
    }

    /// The `user` object of `/api/me`: the reference's fields, how the caller signed in and,
    /// for API keys, the scopes.
    pub fn to_profile_json(&self) -> Value {
        let mut user = self.to_json();
        user["via"] = json!(self.via.as_str());
        if let Some(scopes) = &self.scopes {
            user["scopes"] = json!(scopes);
        }
        user
    }

    fn from_account(a: AuthUser, via: AuthVia) -> Principal {
        Principal {
            id: Value::String(a.user.id),
            email: Some(a.user.email),
            name: a.user.name,
            role: a.user.role,
            scopes: a.scopes,
            via,
            key_id: a.key_id,
            session_id: a.session_id,
            rate_limit_per_min: a.user.rate_limit_per_min,
        }
    }
}

/// The result of authentication, stored in request extensions by [`authenticate`].
#[derive(Clone, Debug)]
pub struct Authenticated(pub Option<Principal>);

/// Clock skew tolerated on a `cl_session` token's `exp` and `nbf`, in seconds.
pub const SESSION_LEEWAY_S: u64 = 5;

/// Verifies a `cl_session` token.
pub fn verify_session(token: &str, secret: &Secret) -> Option<Principal> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp"]);
    // jsonwebtoken's default leeway is 60 s: a token was accepted a minute after it expired.
    validation.leeway = SESSION_LEEWAY_S;
    validation.validate_nbf = true;
    let data = jsonwebtoken::decode::<Value>(
        token,
        &DecodingKey::from_secret(secret.expose().as_bytes()),
        &validation,
    )
    .ok()?;
    let claims = data.claims;
    // Our access tokens are never sessions, even if both secrets were set to the same value.
    if claims.get("iss").and_then(Value::as_str) == Some(crate::accounts::tokens::ISSUER) {
        return None;
    }
    let id = claims
        .get("id")
        .filter(|v| v.is_number() || v.is_string())
        .or_else(|| claims.get("sub").filter(|v| v.is_string()))?
        .clone();
    let text = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_owned);
    Some(Principal {
        id,
        email: text("email"),
        name: text("name"),
        role: text("role").unwrap_or_else(|| "user".to_owned()),
        scopes: None,
        via: AuthVia::Session,
        key_id: None,
        session_id: None,
        rate_limit_per_min: None,
    })
}

/// Mints a `cl_session` token (for `clovicharts token` and tests).
pub fn mint_session(
    secret: &Secret,
    id: Value,
    role: &str,
    email: Option<&str>,
    name: Option<&str>,
    ttl_seconds: i64,
) -> Result<String, jsonwebtoken::errors::Error> {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "id": id, "role": role, "email": email, "name": name,
        "iat": now, "exp": now + ttl_seconds,
    });
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.expose().as_bytes()),
    )
}

/// The value of cookie `name` in the `Cookie` headers.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().trim_matches('"'))
}

/// The token of `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// A bearer credential: an API key or our access token.
async fn verify_credential(
    state: &AppState,
    token: &str,
) -> Result<Option<Principal>, crate::accounts::AccountError> {
    if token.starts_with(crate::accounts::tokens::KEY_PREFIX) {
        let key = state.accounts.verify_api_key(token).await?;
        return Ok(key.map(|a| Principal::from_account(a, AuthVia::ApiKey)));
    }
    let user = state.accounts.verify_access_token(token).await?;
    Ok(user.map(|a| Principal::from_account(a, AuthVia::AccessToken)))
}

/// Runs the chain on `headers`; `Err` only when the account database fails.
pub async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Principal>, crate::accounts::AccountError> {
    if let Some(token) = cookie(headers, SESSION_COOKIE)
        && let Some(p) = verify_session(token, &state.jwt_secret)
    {
        return Ok(Some(p));
    }
    for token in [bearer(headers), cookie(headers, TOKEN_COOKIE)]
        .into_iter()
        .flatten()
    {
        if let Some(p) = verify_credential(state, token).await? {
            return Ok(Some(p));
        }
    }
    if let Some(key) = headers.get("x-api-key").and_then(|v| v.to_str().ok())
        && let Some(a) = state.accounts.verify_api_key(key.trim()).await?
    {
        return Ok(Some(Principal::from_account(a, AuthVia::ApiKey)));
    }
    Ok(internal(state, headers))
}

/// `X-User-Id` with the configured internal secret.
fn internal(state: &AppState, headers: &HeaderMap) -> Option<Principal> {
    let secret = state.config.internal_secret.as_ref()?;
    let given = headers.get("x-internal-secret")?.as_bytes();
    if !bool::from(given.ct_eq(secret.expose().as_bytes())) {
        return None;
    }
    let user = headers.get("x-user-id")?.to_str().ok()?.trim();
    if user.is_empty() || user.len() > MAX_USER_ID_LEN {
        return None;
    }
    let id = user
        .parse::<i64>()
        .map_or_else(|_| Value::String(user.to_owned()), Value::from);
    Some(Principal {
        id,
        email: None,
        name: None,
        role: "user".to_owned(),
        scopes: None,
        via: AuthVia::Internal,
        key_id: None,
        session_id: None,
        rate_limit_per_min: None,
    })
}

/// Middleware: authenticates once per request and leaves the result in the extensions. A
/// database failure is a 500, or a 503 while the database is unreachable (failing closed),
/// never a silent anonymous request.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    match resolve(&state, req.headers()).await {
        Ok(principal) => {
            req.extensions_mut().insert(Authenticated(principal));
            next.run(req).await
        }
        Err(e) => state.account_error(e).into_response(),
    }
}

async fn principal_of(parts: &Parts, state: &AppState) -> Result<Option<Principal>, ApiError> {
    match parts.extensions.get::<Authenticated>() {
        Some(Authenticated(p)) => Ok(p.clone()),
        None => resolve(state, &parts.headers)
            .await
            .map_err(|e| state.account_error(e)),
    }
}

async fn required(parts: &Parts, state: &AppState) -> Result<Principal, ApiError> {
    principal_of(parts, state)
        .await?
        .ok_or_else(|| ApiError::unauthorized(&state.config.login_url))
}

/// Extractor: a caller allowed to create charts (generate, batch, recommend, examples): any
/// session, access token or internal call, and API keys with `charts:write`. Else 401 / 403.
#[derive(Clone, Debug)]
pub struct Authed(pub Principal);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let p = required(parts, state).await?;
        if p.has_scope(Scope::ChartsWrite) {
            Ok(Authed(p))
        } else {
            Err(ApiError::forbidden())
        }
    }
}

/// Extractor: any authenticated caller, whatever its scopes, else 401.
#[derive(Clone, Debug)]
pub struct Caller(pub Principal);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        required(parts, state).await.map(Caller)
    }
}

/// Extractor: the caller if authenticated (public routes that show more to owners).
#[derive(Clone, Debug)]
pub struct MaybeCaller(pub Option<Principal>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        principal_of(parts, state).await.map(MaybeCaller)
    }
}

/// Extractor: an authenticated admin (admin role; for keys also the `admin` scope), else 401
/// or 403.
#[derive(Clone, Debug)]
pub struct AdminUser(pub Principal);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let p = required(parts, state).await?;
        if p.is_admin() {
            Ok(AdminUser(p))
        } else {
            Err(ApiError::forbidden())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_round_trip_and_tampering() {
        let secret = Secret::new("s3cret");
        let t = mint_session(&secret, json!(7), "admin", Some("a@b.c"), None, 60).unwrap();
        let p = verify_session(&t, &secret).unwrap();
        assert_eq!(p.id, json!(7));
        assert!(p.is_admin());
        assert!(verify_session(&t, &Secret::new("other")).is_none());
        let expired = mint_session(&secret, json!(7), "user", None, None, -3600).unwrap();
        assert!(verify_session(&expired, &secret).is_none());
    }

    fn signed(claims: &Value, secret: &Secret) -> String {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(secret.expose().as_bytes()),
        )
        .unwrap()
    }

    #[test]
    fn expiry_leeway_is_seconds_and_nbf_is_honoured() {
        let secret = Secret::new("s3cret");
        let now = chrono::Utc::now().timestamp();
        let just_expired = signed(&json!({"id": 1, "exp": now - 2}), &secret);
        assert!(
            verify_session(&just_expired, &secret).is_some(),
            "within 5 s"
        );
        let expired = signed(&json!({"id": 1, "exp": now - 20}), &secret);
        assert!(verify_session(&expired, &secret).is_none(), "20 s past exp");
        let early = signed(
            &json!({"id": 1, "exp": now + 600, "nbf": now + 60}),
            &secret,
        );
        assert!(
            verify_session(&early, &secret).is_none(),
            "nbf in the future"
        );
        let started = signed(&json!({"id": 1, "exp": now + 600, "nbf": now - 1}), &secret);
        assert!(verify_session(&started, &secret).is_some());
    }

    #[test]
    fn alg_none_is_rejected() {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let exp = chrono::Utc::now().timestamp() + 600;
        let body = b64.encode(format!(r#"{{"id":1,"role":"admin","exp":{exp}}}"#));
        let token = format!("{header}.{body}.");
        assert!(verify_session(&token, &Secret::new("s3cret")).is_none());
    }

    #[test]
    fn cookie_parsing() {
        let mut h = HeaderMap::new();
        h.insert("cookie", "a=1; cl_session=tok.en.x; b=2".parse().unwrap());
        assert_eq!(cookie(&h, "cl_session"), Some("tok.en.x"));
        assert_eq!(cookie(&h, "missing"), None);
    }
}
