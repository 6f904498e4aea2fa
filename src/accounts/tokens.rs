//! Our own credentials: access JWTs (HS256 with `AUTH_JWT_SECRET`, `iss`/`aud`/`exp`/`sub`/`sid`
//! required), opaque refresh tokens and `cc_live_…` API keys (random base62, stored as SHA-256).

use crate::config::Secret;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::Rng as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// `iss` of access tokens.
pub const ISSUER: &str = "clovicharts";
/// `aud` of access tokens.
pub const AUDIENCE: &str = "clovicharts-api";
/// Access tokens live 15 minutes: short enough that a leaked one is soon useless.
pub const ACCESS_TTL_S: i64 = 15 * 60;
/// Refresh tokens live 30 days (each use replaces the token).
pub const REFRESH_TTL_S: i64 = 30 * 24 * 3600;
/// Clock skew tolerated on `exp`, in seconds.
pub const TOKEN_LEEWAY_S: u64 = 30;
/// Longest credential looked at; anything longer is refused unparsed (no 64 KiB JWT decoding).
pub const MAX_CREDENTIAL_LEN: usize = 4096;
/// Prefix of API keys.
pub const KEY_PREFIX: &str = "cc_live_";
/// Prefix of refresh tokens.
pub const REFRESH_PREFIX: &str = "ccr_";
/// Random base62 characters in keys and refresh tokens: 43 × log2(62) ≈ 256 bits (≥ 32 bytes).
const SECRET_CHARS: usize = 43;
/// Random characters in ids (`usr_…`, `key_…`, sessions): 22 ≈ 131 bits, unguessable.
const ID_CHARS: usize = 22;
/// Characters of a key's random part kept for display.
const DISPLAY_CHARS: usize = 6;

/// Claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
struct AccessClaims {
    iss: String,
    aud: String,
    sub: String,
    sid: String,
    iat: i64,
    exp: i64,
    typ: String,
}

/// `n` random base62 characters from the thread's CSPRNG.
fn base62(n: usize) -> String {
    rand::rng()
        .sample_iter(&rand::distr::Alphanumeric)
        .take(n)
        .map(char::from)
        .collect()
}

/// A new random id with `prefix`, e.g. `usr_…`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}{}", base62(ID_CHARS))
}

/// SHA-256 hex of a high-entropy secret (keys, refresh tokens): enough, as they cannot be
/// guessed, and fast enough to look up on every request.
pub fn digest(secret: &str) -> String {
    let d = Sha256::digest(secret.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new API key and its display prefix.
pub fn new_api_key() -> (Secret, String) {
    let random = base62(SECRET_CHARS);
    let prefix = format!("{KEY_PREFIX}{}", &random[..DISPLAY_CHARS]);
    (Secret::new(format!("{KEY_PREFIX}{random}")), prefix)
}

/// A new refresh token.
pub fn new_refresh_token() -> Secret {
    Secret::new(format!("{REFRESH_PREFIX}{}", base62(SECRET_CHARS)))
}

/// Mints an access token for `user_id` in session `sid`, issued at `now` (unix seconds).
pub fn mint_access(
    secret: &Secret,
    user_id: &str,
    sid: &str,
    now: i64,
) -> Result<Secret, jsonwebtoken::errors::Error> {
    let claims = AccessClaims {
        iss: ISSUER.to_owned(),
        aud: AUDIENCE.to_owned(),
        sub: user_id.to_owned(),
        sid: sid.to_owned(),
        iat: now,
        exp: now + ACCESS_TTL_S,
        typ: "access".to_owned(),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.expose().as_bytes()),
    )
    .map(Secret::new)
}

/// The `(user id, session id)` of a valid access token: HS256 only, signature, `exp` (with
/// [`TOKEN_LEEWAY_S`]), `iss`, `aud`, `sub`, `sid` and `typ` all checked.
pub fn verify_access(token: &str, secret: &Secret) -> Option<(String, String)> {
    if token.len() > MAX_CREDENTIAL_LEN {
        return None;
    }
    let mut v = Validation::new(Algorithm::HS256);
    v.set_issuer(&[ISSUER]);
    v.set_audience(&[AUDIENCE]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    v.leeway = TOKEN_LEEWAY_S;
    let data = jsonwebtoken::decode::<AccessClaims>(
        token,
        &DecodingKey::from_secret(secret.expose().as_bytes()),
        &v,
    )
    .ok()?;
    let c = data.claims;
    (c.typ == "access" && !c.sub.is_empty() && !c.sid.is_empty()).then_some((c.sub, c.sid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_prefixed() {
        let (k, prefix) = new_api_key();
        assert!(k.expose().starts_with(KEY_PREFIX));
        assert_eq!(k.expose().len(), KEY_PREFIX.len() + SECRET_CHARS);
        assert!(k.expose().starts_with(&prefix));
        assert_ne!(new_api_key().0, k);
        assert_eq!(digest("abc").len(), 64);
    }

    #[test]
    fn access_round_trip_and_rejections() {
        let s = Secret::new("k1");
        let now = chrono::Utc::now().timestamp();
        let t = mint_access(&s, "usr_a", "ses_b", now).unwrap();
        assert_eq!(
            verify_access(t.expose(), &s),
            Some(("usr_a".into(), "ses_b".into()))
        );
        assert_eq!(verify_access(t.expose(), &Secret::new("k2")), None);
        let old = mint_access(&s, "usr_a", "ses_b", now - ACCESS_TTL_S - 31).unwrap();
        assert_eq!(verify_access(old.expose(), &s), None);
        assert_eq!(verify_access(&"a".repeat(MAX_CREDENTIAL_LEN + 1), &s), None);
    }
}
