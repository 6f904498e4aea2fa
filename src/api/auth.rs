//! Authentication: request → optional [`Principal`], through the reference's chain made safe:
//!
//! 1. `cl_session` cookie: an HS256 JWT signed with `JWT_SECRET` (algorithm pinned, `exp`
//!    required), claims `id`/`sub`, `email`, `role`, `name`;
//! 2. `X-User-Id`, trusted **only** with `X-Internal-Secret` equal (constant-time) to a
//!    configured `INTERNAL_SECRET`; unset, this path is off (the reference trusted the bare
//!    header, which let anyone in).
//!
//! Every failure looks the same to the client (401 with the reference's body), whatever the
//! reason, so the answer is no oracle for which check failed.

use super::AppState;
use super::error::ApiError;
use crate::config::Secret;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};
use std::path::Path;
use subtle::ConstantTimeEq;

/// Roles with admin rights, as the reference.
pub const ADMIN_ROLES: [&str; 3] = ["super_admin", "admin", "platform_admin"];
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "cl_session";
/// Longest user id accepted from `X-User-Id`.
const MAX_USER_ID_LEN: usize = 128;

/// How a caller authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthVia {
    /// The `cl_session` SSO cookie.
    Session,
    /// `X-User-Id` with the internal secret.
    Internal,
}

/// The authenticated caller.
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    /// User id as the token carried it (number or string).
    pub id: Value,
    /// E-mail, when known.
    pub email: Option<String>,
    /// Display name, when known.
    pub name: Option<String>,
    /// Role, `user` when absent.
    pub role: String,
    /// Which check admitted the caller.
    pub via: AuthVia,
}

impl Principal {
    /// Whether the role is an admin role.
    pub fn is_admin(&self) -> bool {
        ADMIN_ROLES.contains(&self.role.as_str())
    }

    /// The user id as text (for owner columns and rate-limit keys).
    pub fn user_key(&self) -> String {
        match &self.id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// The `user` object of `/api/auth/me`.
    pub fn to_json(&self) -> Value {
        json!({ "id": self.id, "email": self.email, "role": self.role, "name": self.name })
    }
}

/// The result of authentication, stored in request extensions by [`authenticate`].
#[derive(Clone, Debug)]
pub struct Authenticated(pub Option<Principal>);

/// Verifies a `cl_session` token.
pub fn verify_session(token: &str, secret: &Secret) -> Option<Principal> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp"]);
    let data = jsonwebtoken::decode::<Value>(
        token,
        &DecodingKey::from_secret(secret.expose().as_bytes()),
        &validation,
    )
    .ok()?;
    let claims = data.claims;
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
        via: AuthVia::Session,
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

/// Runs the chain on `headers`.
pub fn resolve(state: &AppState, headers: &HeaderMap) -> Option<Principal> {
    if let Some(token) = cookie(headers, SESSION_COOKIE)
        && let Some(p) = verify_session(token, &state.jwt_secret)
    {
        return Some(p);
    }
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
        via: AuthVia::Internal,
    })
}

/// Middleware: authenticates once per request and leaves the result in the extensions.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let principal = resolve(&state, req.headers());
    req.extensions_mut().insert(Authenticated(principal));
    next.run(req).await
}

fn principal_of(parts: &Parts, state: &AppState) -> Option<Principal> {
    match parts.extensions.get::<Authenticated>() {
        Some(Authenticated(p)) => p.clone(),
        None => resolve(state, &parts.headers),
    }
}

/// Extractor: an authenticated caller, else 401.
#[derive(Clone, Debug)]
pub struct Authed(pub Principal);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        principal_of(parts, state)
            .map(Authed)
            .ok_or_else(|| ApiError::unauthorized(&state.config.login_url))
    }
}

/// Extractor: an authenticated admin, else 401 or 403.
#[derive(Clone, Debug)]
pub struct AdminUser(pub Principal);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let p = principal_of(parts, state)
            .ok_or_else(|| ApiError::unauthorized(&state.config.login_url))?;
        if p.is_admin() {
            Ok(AdminUser(p))
        } else {
            Err(ApiError::forbidden())
        }
    }
}

/// The JWT secret: `JWT_SECRET` when set, else the one persisted in `data_dir/jwt_secret`,
/// else a new random one written there (mode 0600). Returns it and whether it was generated.
pub fn load_or_create_jwt_secret(
    configured: Option<&Secret>,
    data_dir: &Path,
) -> std::io::Result<(Secret, bool)> {
    if let Some(s) = configured {
        return Ok((s.clone(), false));
    }
    let path = data_dir.join("jwt_secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let trimmed = existing.trim();
        if !trimmed.is_empty() {
            return Ok((Secret::new(trimmed), false));
        }
    }
    let bytes: [u8; 32] = rand::random();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::create_dir_all(data_dir)?;
    let tmp = data_dir.join(".jwt_secret.tmp");
    {
        use std::io::Write as _;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&tmp)?;
        f.write_all(hex.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    Ok((Secret::new(hex), true))
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
