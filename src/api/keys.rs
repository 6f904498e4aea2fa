//! `/api/keys`: a signed-in account's API keys. The raw key is in the creation answer only;
//! afterwards only its prefix is shown. Keys cannot manage keys: these routes need a session of
//! a local account (access token or `cc_token`).

use super::AppState;
use super::auth::{AuthVia, Caller, Principal};
use super::error::ApiError;
use super::extract::{JsonBody, json_struct};
use super::schemas;
use crate::accounts::{ApiKey, Scope, User};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(revoke))
        .routes(routes!(delete))
}

/// The caller's account, when signed in with an access token; else 403.
async fn account_of(state: &AppState, p: &Principal) -> Result<User, ApiError> {
    if p.via != AuthVia::AccessToken {
        return Err(ApiError::forbidden());
    }
    state
        .accounts
        .store()
        .user(&p.user_key())
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(|| ApiError::unauthorized(&state.config.login_url))
}

fn key_json(k: &ApiKey) -> Value {
    let mut v = serde_json::to_value(k).unwrap_or(Value::Null);
    v["status"] = json!(k.status(Utc::now()));
    v
}

/// A new key's name, scopes and expiry.
#[derive(Deserialize, ToSchema)]
struct CreateBody {
    /// A label for the owner.
    name: Option<String>,
    /// `charts:write`, `charts:read`, `admin` (default: none).
    scopes: Option<Vec<String>>,
    /// After this the key is refused (RFC 3339).
    expires_at: Option<DateTime<Utc>>,
}

json_struct!(CreateBody);

/// `POST /api/keys {name, scopes, expires_at?}` → 201 with `key`, shown this once.
#[utoipa::path(post, path = "/keys", tag = "keys",
    summary = "Create an API key",
    request_body = CreateBody,
    security(("account" = [])),
    responses((status = 201, description = "The key; the raw `key` is shown this once", body = schemas::NewKey)))]
async fn create(
    State(state): State<AppState>,
    Caller(p): Caller,
    JsonBody(b): JsonBody<CreateBody>,
) -> Result<Response, ApiError> {
    let user = account_of(&state, &p).await?;
    let name = b.name.unwrap_or_default();
    let mut scopes = Vec::new();
    for s in b.scopes.unwrap_or_default() {
        let scope = Scope::parse(&s).ok_or_else(|| {
            let known: Vec<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
            ApiError::validation(format!(
                "unknown scope {s:?}; scopes are {}",
                known.join(", ")
            ))
        })?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    let (key, raw) = state
        .accounts
        .create_key(&user, &name, scopes, b.expires_at)
        .await
        .map_err(|e| state.account_error(e))?;
    let mut v = key_json(&key);
    v["key"] = json!(raw.expose());
    let mut response = (StatusCode::CREATED, Json(v)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /api/keys`: prefix, name, scopes, created, last used, expiry, status.
#[utoipa::path(get, path = "/keys", tag = "keys",
    summary = "The caller's API keys",
    security(("account" = [])),
    responses((status = 200, description = "Every key of the account", body = schemas::KeyList)))]
async fn list(State(state): State<AppState>, Caller(p): Caller) -> Result<Json<Value>, ApiError> {
    let user = account_of(&state, &p).await?;
    let keys = state
        .accounts
        .store()
        .keys_of(&user.id)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let keys: Vec<Value> = keys.iter().map(key_json).collect();
    Ok(Json(json!({ "keys": keys, "total": keys.len() })))
}

/// `POST /api/keys/:id/revoke`: the key stops working at once.
#[utoipa::path(post, path = "/keys/{id}/revoke", tag = "keys",
    summary = "Revoke an API key",
    params(("id" = String, Path, description = "The key's id, `key_…`")),
    security(("account" = [])),
    responses(
        (status = 200, description = "Revoked", body = schemas::Revoked),
        (status = 404, description = "No such key of the caller", body = schemas::Error),
    ))]
async fn revoke(
    State(state): State<AppState>,
    Caller(p): Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let user = account_of(&state, &p).await?;
    let key = state
        .accounts
        .store()
        .revoke_key(&user.id, &id, Utc::now())
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(json!({ "ok": true, "key": key_json(&key) })))
}

/// `DELETE /api/keys/:id`.
#[utoipa::path(delete, path = "/keys/{id}", tag = "keys",
    summary = "Delete an API key",
    params(("id" = String, Path, description = "The key's id, `key_…`")),
    security(("account" = [])),
    responses(
        (status = 200, description = "Deleted", body = schemas::Deleted),
        (status = 404, description = "No such key of the caller", body = schemas::Error),
    ))]
async fn delete(
    State(state): State<AppState>,
    Caller(p): Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let user = account_of(&state, &p).await?;
    let deleted = state
        .accounts
        .store()
        .delete_key(&user.id, &id)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    if !deleted {
        return Err(ApiError::not_found());
    }
    Ok(Json(json!({ "deleted": true, "id": id })))
}
