//! `/api/keys`: a signed-in account's API keys. The raw key is in the creation answer only;
//! afterwards only its prefix is shown. Keys cannot manage keys: these routes need a session of
//! a local account (access token or `cc_token`).

use super::AppState;
use super::auth::{AuthVia, Caller, Principal};
use super::error::ApiError;
use super::extract::{JsonBody, json_struct};
use crate::accounts::{ApiKey, Scope, User};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

/// The routes of this module.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/keys", get(list).post(create))
        .route("/keys/{id}/revoke", post(revoke))
        .route("/keys/{id}", axum::routing::delete(delete))
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

#[derive(Deserialize)]
struct CreateBody {
    name: Option<String>,
    scopes: Option<Vec<String>>,
    expires_at: Option<DateTime<Utc>>,
}

json_struct!(CreateBody);

/// `POST /api/keys {name, scopes, expires_at?}` → 201 with `key`, shown this once.
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
