//! `/api/admin/*` (admin role; API keys also need the `admin` scope): users (search, paging,
//! role, disable, rate-limit override) and statistics. Every check and write is in
//! `accounts::Accounts`; this file extracts and answers.

use super::AppState;
use super::auth::AdminUser;
use super::error::ApiError;
use super::extract::{JsonBody, Page, UserPage, json_struct};
use super::schemas;
use crate::accounts::AdminUpdate;
use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(users))
        .routes(routes!(user, update))
        .routes(routes!(set_override, clear_override))
        .routes(routes!(stats))
}

/// `GET /api/admin/users?search=&limit=&offset=`.
#[utoipa::path(get, path = "/admin/users", tag = "admin",
    summary = "Search and page the accounts",
    params(schemas::UserPageParams),
    security(("caller" = [])),
    responses((status = 200, description = "A page of users", body = schemas::UserPage)))]
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
#[utoipa::path(get, path = "/admin/users/{id}", tag = "admin",
    summary = "One account",
    params(("id" = String, Path, description = "The user's id, `usr_…`")),
    security(("caller" = [])),
    responses(
        (status = 200, description = "The user", body = schemas::AdminUserAnswer),
        (status = 404, description = "No such user", body = schemas::Error),
    ))]
async fn user(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    user_answer(&state, &id).await
}

/// What to change; absent fields stay.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct UpdateBody {
    /// `user`, `admin`, `super_admin` or `platform_admin`.
    role: Option<String>,
    /// Disabling revokes every session of the user.
    disabled: Option<bool>,
}

/// `PATCH /api/admin/users/:id {role?, disabled?}`. Disabling revokes every session; tokens and
/// keys of the user are refused from the next request on.
#[utoipa::path(patch, path = "/admin/users/{id}", tag = "admin",
    summary = "Change an account's role or disable it",
    params(("id" = String, Path, description = "The user's id, `usr_…`")),
    request_body = UpdateBody,
    security(("caller" = [])),
    responses(
        (status = 200, description = "The user, updated", body = schemas::AdminUserAnswer),
        (status = 404, description = "No such user", body = schemas::Error),
    ))]
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

/// A per-minute limit for one user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct OverrideBody {
    /// Requests per minute on `/api/` (`0`: unlimited).
    rate_limit_per_min: Option<u32>,
}

json_struct!(UpdateBody, OverrideBody);

/// `POST /api/admin/users/:id/overrides {rate_limit_per_min}` (`0`: unlimited).
#[utoipa::path(post, path = "/admin/users/{id}/overrides", tag = "admin",
    summary = "Set a user's rate limit",
    params(("id" = String, Path, description = "The user's id, `usr_…`")),
    request_body = OverrideBody,
    security(("caller" = [])),
    responses(
        (status = 200, description = "The user, updated", body = schemas::AdminUserAnswer),
        (status = 404, description = "No such user", body = schemas::Error),
    ))]
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
#[utoipa::path(delete, path = "/admin/users/{id}/overrides", tag = "admin",
    summary = "Clear a user's rate limit",
    params(("id" = String, Path, description = "The user's id, `usr_…`")),
    security(("caller" = [])),
    responses(
        (status = 200, description = "The user, updated", body = schemas::AdminUserAnswer),
        (status = 404, description = "No such user", body = schemas::Error),
    ))]
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
#[utoipa::path(get, path = "/admin/stats", tag = "admin",
    summary = "Charts, storage, users and keys",
    security(("caller" = [])),
    responses((status = 200, description = "Statistics", body = schemas::StatsAnswer)))]
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
