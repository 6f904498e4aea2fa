//! Who may use the URL API (`URL_API_AUTH`): the key a request proves it holds (in `key=`, the
//! usual auth headers, or a signed query), the mode's rule, the key's scopes and the rate limit.

use crate::accounts::Scope;
use crate::api::AppState;
use crate::api::auth::Principal;
use crate::api::error::ApiError;
use crate::api::rate_limit::Refusal;
use crate::config::urlapi::UrlApiAuth;
use crate::urlapi::signed;
use axum::http::HeaderValue;

/// How long caches may keep a rendered chart: the answer is a pure function of the request.
const MAX_AGE_S: u64 = 86_400;

/// Who is asking, once `URL_API_AUTH` has let them in.
pub(super) struct Access {
    /// The API key's id, when one was used.
    pub(super) key_id: Option<String>,
}

impl Access {
    /// `Cache-Control` of an answer to this caller.
    pub(super) fn cache_control(&self) -> HeaderValue {
        let scope = if self.key_id.is_some() {
            "private"
        } else {
            "public"
        };
        HeaderValue::from_str(&format!("{scope}, max-age={MAX_AGE_S}"))
            .unwrap_or_else(|_| HeaderValue::from_static("no-cache"))
    }
}

/// A key that a request proved it holds: in `key=`, in the auth headers, or by a signature.
pub(super) struct KeyGrant {
    key_id: String,
    scopes: Option<Vec<Scope>>,
    /// The user's per-minute override.
    quota: Option<u32>,
}

/// The key in `key=` (one of ours: a quickchart.io key means nothing here and, on a public
/// server, is ignored as QuickChart ignores an empty one), else the key of the usual auth
/// chain; a `cc_live_` key that does not verify is a 401.
pub(super) async fn key_grant(
    state: &AppState,
    key: Option<&str>,
    caller: Option<&Principal>,
) -> Result<Option<KeyGrant>, ApiError> {
    if let Some(k) = key.filter(|k| k.starts_with(crate::accounts::tokens::KEY_PREFIX)) {
        let user = state
            .accounts
            .verify_api_key(k)
            .await
            .map_err(|e| state.account_error(e))?
            .ok_or_else(|| ApiError::unauthorized(&state.config.login_url))?;
        return Ok(user.key_id.map(|key_id| KeyGrant {
            key_id,
            scopes: user.scopes,
            quota: user.user.rate_limit_per_min,
        }));
    }
    Ok(caller.and_then(|p| {
        p.key_id.clone().map(|key_id| KeyGrant {
            key_id,
            scopes: p.scopes.clone(),
            quota: p.rate_limit_per_min,
        })
    }))
}

/// The key of a signed `GET /chart` (`key_id` and `sig` in the query), or `None` when the query
/// is not signed; a signature that does not verify, or a key that is not active, is a 401.
pub(super) async fn signed_grant(
    state: &AppState,
    pairs: &[(String, String)],
) -> Result<Option<KeyGrant>, ApiError> {
    let find = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let (Some(key_id), Some(sig)) = (find(signed::KEY_ID_PARAM), find(signed::SIG_PARAM)) else {
        return Ok(None);
    };
    let refuse = || ApiError::unauthorized(&state.config.login_url);
    // A repeated parameter could be read one way here and another by the chart: refuse it.
    let mut names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(refuse());
    }
    let digest = state
        .short_urls
        .key_digest(key_id)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(refuse)?;
    if !signed::verify(&digest, &signed::canonical_query(pairs), sig) {
        return Err(refuse());
    }
    let (key, user) = state
        .accounts
        .store()
        .key_by_hash(&digest)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(refuse)?;
    if key.status(chrono::Utc::now()) != "active" || user.disabled {
        return Err(refuse());
    }
    Ok(Some(KeyGrant {
        key_id: key.id,
        scopes: Some(key.scopes),
        quota: user.rate_limit_per_min,
    }))
}

/// Applies `URL_API_AUTH` and the rate limit to a request with `grant` (if any); `scope` is what
/// a key must allow.
pub(super) async fn admit(
    state: &AppState,
    grant: Option<KeyGrant>,
    address: &str,
    scope: Scope,
) -> Result<Access, ApiError> {
    if grant.is_none() && state.config.url_api.auth != UrlApiAuth::Public {
        return Err(ApiError::unauthorized(&state.config.login_url));
    }
    // Rendering is allowed to keys that may read or write charts; `/chart/create` needs write.
    let allowed = |s: &Vec<Scope>| s.contains(&scope) || s.contains(&Scope::ChartsWrite);
    if grant
        .as_ref()
        .and_then(|g| g.scopes.as_ref())
        .is_some_and(|s| !allowed(s))
    {
        return Err(ApiError::forbidden());
    }
    if let Some(limiter) = &state.limiter {
        let (bucket, per_minute) = match &grant {
            Some(g) => (
                format!("key:{}", g.key_id),
                g.quota.unwrap_or(limiter.authenticated),
            ),
            None => (format!("ip:{address}"), limiter.public),
        };
        match limiter.check(&bucket, per_minute).await {
            Ok(_) => {}
            Err(Refusal::Limited(limited)) => {
                return Err(crate::api::rate_limit::too_many_requests(
                    per_minute, &limited,
                ));
            }
            Err(Refusal::Unavailable) => return Err(ApiError::limits_unavailable()),
        }
    }
    Ok(Access {
        key_id: grant.map(|g| g.key_id),
    })
}
