//! `/api/auth/*` and `/api/me*`: register, login, refresh, logout, the caller's profile and
//! charts. Tokens go back in the body and, for browsers, in the `cc_token` cookie.

use super::AppState;
use super::auth::{AuthVia, Caller, TOKEN_COOKIE};
use super::error::ApiError;
use super::extract::{ChartPage, JsonBody, Page, json_struct};
use super::rate_limit::ClientAddress;
use super::schemas;
use crate::accounts::{Scope, TokenPair, User};
use crate::charts::record_json;
use crate::secret::Secret;
use crate::store::GalleryQuery;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(auth_me))
        .routes(routes!(me))
        .routes(routes!(my_charts))
}

/// E-mail and password (and, to register, a display name).
#[derive(Deserialize, ToSchema)]
struct Credentials {
    /// The account's e-mail.
    #[schema(format = "email", max_length = 254)]
    email: Option<String>,
    /// At least 10 characters, at most 1024 bytes.
    #[schema(min_length = 10, max_length = 1024)]
    password: Option<String>,
    /// Display name (register only; `full_name` is accepted too).
    #[serde(alias = "full_name")]
    name: Option<String>,
}

impl Credentials {
    fn required(self) -> Result<(String, Secret, Option<String>), ApiError> {
        match (self.email, self.password) {
            (Some(e), Some(p)) if !e.trim().is_empty() && !p.is_empty() => {
                Ok((e, Secret::new(p), self.name))
            }
            _ => Err(ApiError::validation("Email and password required")),
        }
    }
}

/// A refresh token.
#[derive(Deserialize, ToSchema)]
struct RefreshBody {
    /// The refresh token of the last sign-in or refresh.
    refresh_token: Option<String>,
}

json_struct!(Credentials, RefreshBody);

/// `cc_token=…`: HttpOnly, SameSite=Lax, Secure behind TLS; `None` clears it.
fn token_cookie(state: &AppState, headers: &HeaderMap, token: Option<&Secret>) -> HeaderValue {
    let secure = if state.base_url(headers).starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let (value, age) = match token {
        Some(t) => (t.expose(), crate::accounts::tokens::ACCESS_TTL_S),
        None => ("", 0),
    };
    HeaderValue::from_str(&format!(
        "{TOKEN_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("cc_token=; Path=/; Max-Age=0"))
}

fn user_json(user: &User) -> Value {
    serde_json::to_value(user).unwrap_or(Value::Null)
}

/// The answer of register, login and refresh: the user, the pair, and the cookie.
fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    user: &User,
    pair: &TokenPair,
) -> Response {
    let body = json!({
        "ok": true,
        "user": user_json(user),
        "access_token": pair.access_token.expose(),
        "refresh_token": pair.refresh_token.expose(),
        "token_type": "Bearer",
        "expires_in": pair.expires_in,
    });
    let mut response = (status, Json(body)).into_response();
    let h = response.headers_mut();
    h.insert(
        header::SET_COOKIE,
        token_cookie(state, headers, Some(&pair.access_token)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `POST /api/auth/register {email, password, name?}` → 201.
#[utoipa::path(post, path = "/auth/register", tag = "accounts",
    summary = "Create an account and sign in",
    request_body = Credentials,
    responses(
        (status = 201, description = "Signed in; the access token is also set as the `cc_token` cookie", body = schemas::SignedIn),
        (status = 409, description = "`CONFLICT`: the e-mail is registered", body = schemas::Error),
        (status = 503, description = "`OVERLOADED`: too many sign-ins in progress", body = schemas::Error),
    ))]
async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(b): JsonBody<Credentials>,
) -> Result<Response, ApiError> {
    let (email, password, name) = b.required()?;
    let (user, pair) = state
        .accounts
        .register(&email, password, name.as_deref())
        .await
        .map_err(|e| state.account_error(e))?;
    Ok(signed_in(
        &state,
        &headers,
        StatusCode::CREATED,
        &user,
        &pair,
    ))
}

/// `POST /api/auth/login {email, password}`.
#[utoipa::path(post, path = "/auth/login", tag = "accounts",
    summary = "Sign in",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in; the access token is also set as the `cc_token` cookie", body = schemas::SignedIn),
        (status = 401, description = "Wrong e-mail or password", body = schemas::Unauthorized),
        (status = 429, description = "`RATE_LIMIT`: too many failed logins", body = schemas::Error),
    ))]
async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    JsonBody(b): JsonBody<Credentials>,
) -> Result<Response, ApiError> {
    let (email, password, _) = b.required()?;
    let (user, pair) = state
        .accounts
        .login(&email, password, &address)
        .await
        .map_err(|e| state.account_error(e))?;
    Ok(signed_in(&state, &headers, StatusCode::OK, &user, &pair))
}

/// `POST /api/auth/refresh {refresh_token}`: a new pair; the old refresh token is spent.
#[utoipa::path(post, path = "/auth/refresh", tag = "accounts",
    summary = "Trade a refresh token for a new pair",
    request_body = RefreshBody,
    responses(
        (status = 200, description = "A new pair", body = schemas::SignedIn),
        (status = 401, description = "The refresh token is unknown, spent or expired", body = schemas::Unauthorized),
    ))]
async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(b): JsonBody<RefreshBody>,
) -> Result<Response, ApiError> {
    let token = b
        .refresh_token
        .ok_or_else(|| ApiError::validation("refresh_token required"))?;
    let (user, pair) = state
        .accounts
        .refresh(&token)
        .await
        .map_err(|e| state.account_error(e))?;
    Ok(signed_in(&state, &headers, StatusCode::OK, &user, &pair))
}

/// `POST /api/auth/logout {refresh_token?}`: revokes the session of the refresh token and of
/// the caller's access token, and clears the cookie. Always 200.
#[utoipa::path(post, path = "/auth/logout", tag = "accounts",
    summary = "Sign out",
    request_body(content = Option<RefreshBody>, description = "Optional: the refresh token to revoke"),
    security((), ("caller" = [])),
    responses((status = 200, description = "Signed out; the cookie is cleared", body = schemas::Done)))]
async fn logout(
    State(state): State<AppState>,
    super::auth::MaybeCaller(caller): super::auth::MaybeCaller,
    headers: HeaderMap,
    body: Result<JsonBody<RefreshBody>, ApiError>,
) -> Result<Response, ApiError> {
    // Logout always succeeds: a bad body only means there is no refresh token to revoke.
    let token = body.ok().and_then(|JsonBody(b)| b.refresh_token);
    let sid = caller
        .filter(|p| p.via == AuthVia::AccessToken)
        .and_then(|p| p.session_id);
    state
        .accounts
        .logout(token.as_deref(), sid.as_deref())
        .await
        .map_err(|e| state.account_error(e))?;
    let mut response = Json(json!({ "ok": true })).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, token_cookie(&state, &headers, None));
    Ok(response)
}

/// `GET /api/auth/me`: the reference's `{ok, user: {id, email, role, name}}`, for every kind of
/// caller.
#[utoipa::path(get, path = "/auth/me", tag = "accounts",
    summary = "The caller (the reference's shape)",
    security(("caller" = [])),
    responses((status = 200, description = "The caller", body = schemas::Me)))]
async fn auth_me(Caller(user): Caller) -> Json<Value> {
    Json(json!({ "ok": true, "user": user.to_json() }))
}

/// `GET /api/me`: as `/api/auth/me`, plus `via` and, for API keys, `scopes`.
#[utoipa::path(get, path = "/me", tag = "accounts",
    summary = "The caller, with how it signed in",
    security(("caller" = [])),
    responses((status = 200, description = "The caller", body = schemas::Me)))]
async fn me(Caller(user): Caller) -> Json<Value> {
    Json(json!({ "ok": true, "user": user.to_profile_json() }))
}

/// `GET /api/me/charts?limit=&offset=&type=`: the caller's charts, every visibility, newest
/// first (API keys need `charts:read`).
#[utoipa::path(get, path = "/me/charts", tag = "charts",
    summary = "The caller's charts",
    params(schemas::ChartPageParams),
    security(("caller" = [])),
    responses((status = 200, description = "A page of the caller's charts, newest first", body = schemas::ChartPage)))]
async fn my_charts(
    State(state): State<AppState>,
    Caller(user): Caller,
    headers: HeaderMap,
    page: Page<ChartPage>,
) -> Result<Json<Value>, ApiError> {
    if !user.has_scope(Scope::ChartsRead) {
        return Err(ApiError::forbidden());
    }
    let (limit, offset) = (page.limit, page.offset);
    let (records, total) = state
        .store
        .list(&GalleryQuery {
            limit,
            offset,
            chart_type: page.chart_type,
            owner: Some(user.user_key()),
        })
        .await?;
    let base = state.base_url(&headers);
    let charts: Vec<Value> = records.iter().map(|r| record_json(r, &base)).collect();
    Ok(Json(
        json!({ "charts": charts, "total": total, "limit": limit, "offset": offset }),
    ))
}
