//! `/api/admin/*` (admin role; API keys also need the `admin` scope): users (search, paging,
//! role, disable, rate-limit override) and statistics. Every check and write is in
//! `accounts::Accounts`; this file extracts and answers.

use super::AppState;
use super::auth::AdminUser;
use super::error::ApiError;
use super::extract::{JsonBody, Page, UserPage, json_struct};
use crate::accounts::AdminUpdate;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

/// The routes of this module.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users))
        .route("/admin/users/{id}", get(user).patch(update))
        .route(
            "/admin/users/{id}/overrides",
            post(set_override).delete(clear_override),
        )
        .route("/admin/stats", get(stats))
}

/// `GET /api/admin/users?search=&limit=&offset=`.
async fn users(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    page: Page<UserPage>,
) -> Result<Json<Value>, ApiError> {
    let (limit, offset) = (page.limit, page.offset);
    let (users, total) = state
        .accounts
        .users(page.rest.get("search").map(String::as_str), limit, offset)
        .await
        .map_err(|e| state.account_error(e))?;
    Ok(Json(
        json!({ "users": users, "total": total, "limit": limit, "offset": offset }),
    ))
}

async fn user_answer(state: &AppState, id: &str) -> Result<Json<Value>, ApiError> {
    let (user, keys) = state
        .accounts
        .admin_view(id)
        .await
        .map_err(|e| state.account_error(e))?;
    let mut v = serde_json::to_value(&user).map_err(|e| ApiError::internal(&e))?;
    v["key_count"] = json!(keys);
    Ok(Json(json!({ "user": v })))
}

/// `GET /api/admin/users/:id`.
async fn user(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    user_answer(&state, &id).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateBody {
    role: Option<String>,
    disabled: Option<bool>,
}

/// `PATCH /api/admin/users/:id {role?, disabled?}`. Disabling revokes every session; tokens and
/// keys of the user are refused from the next request on.
async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<UpdateBody>,
) -> Result<Json<Value>, ApiError> {
    let update = AdminUpdate {
        role: b.role,
        disabled: b.disabled,
    };
    state
        .accounts
        .admin_update(&admin.user_key(), &id, &update)
        .await
        .map_err(|e| state.account_error(e))?;
    user_answer(&state, &id).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideBody {
    rate_limit_per_min: Option<u32>,
}

json_struct!(UpdateBody, OverrideBody);

/// `POST /api/admin/users/:id/overrides {rate_limit_per_min}` (`0`: unlimited).
async fn set_override(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<OverrideBody>,
) -> Result<Json<Value>, ApiError> {
    let limit = b
        .rate_limit_per_min
        .ok_or_else(|| ApiError::validation("rate_limit_per_min required"))?;
    state
        .accounts
        .set_rate_limit(&id, Some(limit))
        .await
        .map_err(|e| state.account_error(e))?;
    user_answer(&state, &id).await
}

/// `DELETE /api/admin/users/:id/overrides`: back to the default tier.
async fn clear_override(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    state
        .accounts
        .set_rate_limit(&id, None)
        .await
        .map_err(|e| state.account_error(e))?;
    user_answer(&state, &id).await
}

/// `GET /api/admin/stats`.
async fn stats(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
) -> Result<Json<Value>, ApiError> {
    let s = state
        .accounts
        .stats(Utc::now())
        .await
        .map_err(|e| state.account_error(e))?;
    Ok(Json(
        serde_json::to_value(s).map_err(|e| ApiError::internal(&e))?,
    ))
}
