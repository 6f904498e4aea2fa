//! `/api/auth/*` and `/api/me*`: register, login, refresh, logout, the caller's profile and
//! charts. Tokens go back in the body and, for browsers, in the `cc_token` cookie.

use super::auth::{AuthVia, Caller, TOKEN_COOKIE};
use super::body;
use super::error::ApiError;
use super::rate_limit::ClientAddress;
use super::{AppState, StartError, charts};
use crate::accounts::{AccountError, AccountSettings, Accounts, Scope, TokenPair, User};
use crate::config::{Config, Secret};
use crate::store::GalleryQuery;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

/// File in `DATA_DIR` holding the generated `AUTH_JWT_SECRET`.
const AUTH_SECRET_FILE: &str = "auth_jwt_secret";
/// Default and largest page of `GET /api/me/charts`.
const PAGE_DEFAULT: u32 = 20;
const PAGE_MAX: u32 = 100;

/// The routes of this module.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(register))
        .route("/auth/login", post(login))
        .route("/auth/refresh", post(refresh))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(auth_me))
        .route("/me", get(me))
        .route("/me/charts", get(my_charts))
}

/// Opens the account service: `AUTH_JWT_SECRET` (or the generated one in `DATA_DIR`), which
/// must differ from the session secret, and the account tables.
pub(super) async fn open_accounts(
    config: &Config,
    jwt_secret: &Secret,
) -> Result<Accounts, StartError> {
    let dir = &config.data_dir;
    let (secret, generated) = super::auth::load_or_create_secret(
        config.accounts.auth_jwt_secret.as_ref(),
        dir,
        AUTH_SECRET_FILE,
    )
    .map_err(|source| StartError::DataDir {
        path: dir.join(AUTH_SECRET_FILE).display().to_string(),
        source,
    })?;
    if generated {
        tracing::warn!(
            file = %dir.join(AUTH_SECRET_FILE).display(),
            "AUTH_JWT_SECRET is not set: generated one and saved it. Create the first admin with \
             `clovicharts admin create --email you@example.com` (same DATA_DIR), password on stdin"
        );
    }
    if &secret == jwt_secret {
        return Err(StartError::Accounts(
            "AUTH_JWT_SECRET must differ from JWT_SECRET".into(),
        ));
    }
    let settings = AccountSettings {
        secret,
        admin_emails: config.accounts.admin_emails.clone(),
        login_failures_per_account: config.accounts.login_failures_per_account,
        login_failures_per_address: config.accounts.login_failures_per_address,
    };
    Accounts::open(&dir.join(crate::store::DATABASE_FILE), settings)
        .await
        .map_err(|e| StartError::Accounts(e.to_string()))
}

/// Maps an account error to its answer, once.
pub(super) fn account_error(state: &AppState, e: AccountError) -> ApiError {
    match e {
        AccountError::Invalid(message) => ApiError::validation(message),
        AccountError::EmailTaken => {
            ApiError::new(StatusCode::CONFLICT, "CONFLICT", "Email already registered")
        }
        AccountError::Unauthorized => ApiError::unauthorized(&state.config.login_url),
        AccountError::Throttled(wait) => {
            let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
            let mut err = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMIT",
                format!("Too many failed logins; retry in {seconds} s"),
            );
            err.retry_after = Some(seconds);
            err
        }
        AccountError::Busy => {
            let mut err = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "OVERLOADED",
                "Too many sign-ins in progress; retry shortly",
            );
            err.retry_after = Some(1);
            err
        }
        AccountError::NotFound => ApiError::not_found(),
        AccountError::Forbidden => ApiError::forbidden(),
        other @ (AccountError::Db(_) | AccountError::Crypto(_)) => ApiError::internal(&other),
    }
}

#[derive(Deserialize)]
struct Credentials {
    email: Option<String>,
    password: Option<String>,
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

#[derive(Deserialize)]
struct RefreshBody {
    refresh_token: Option<String>,
}

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
async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (email, password, name) = body::json_struct::<Credentials>(&headers, body)?.required()?;
    let (user, pair) = state
        .accounts
        .register(&email, password, name.as_deref())
        .await
        .map_err(|e| account_error(&state, e))?;
    Ok(signed_in(
        &state,
        &headers,
        StatusCode::CREATED,
        &user,
        &pair,
    ))
}

/// `POST /api/auth/login {email, password}`.
async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (email, password, _) = body::json_struct::<Credentials>(&headers, body)?.required()?;
    let (user, pair) = state
        .accounts
        .login(&email, password, &address)
        .await
        .map_err(|e| account_error(&state, e))?;
    Ok(signed_in(&state, &headers, StatusCode::OK, &user, &pair))
}

/// `POST /api/auth/refresh {refresh_token}`: a new pair; the old refresh token is spent.
async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let token = body::json_struct::<RefreshBody>(&headers, body)?
        .refresh_token
        .ok_or_else(|| ApiError::validation("refresh_token required"))?;
    let (user, pair) = state
        .accounts
        .refresh(&token)
        .await
        .map_err(|e| account_error(&state, e))?;
    Ok(signed_in(&state, &headers, StatusCode::OK, &user, &pair))
}

/// `POST /api/auth/logout {refresh_token?}`: revokes the session of the refresh token and of
/// the caller's access token, and clears the cookie. Always 200.
async fn logout(
    State(state): State<AppState>,
    super::auth::MaybeCaller(caller): super::auth::MaybeCaller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let token = body::json_struct::<RefreshBody>(&headers, body)
        .ok()
        .and_then(|b| b.refresh_token);
    let sid = caller
        .filter(|p| p.via == AuthVia::AccessToken)
        .and_then(|p| p.session_id);
    state
        .accounts
        .logout(token.as_deref(), sid.as_deref())
        .await
        .map_err(|e| account_error(&state, e))?;
    let mut response = Json(json!({ "ok": true })).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, token_cookie(&state, &headers, None));
    Ok(response)
}

/// `GET /api/auth/me`: the reference's `{ok, user: {id, email, role, name}}`, for every kind of
/// caller.
async fn auth_me(Caller(user): Caller) -> Json<Value> {
    Json(json!({ "ok": true, "user": user.to_json() }))
}

/// `GET /api/me`: as `/api/auth/me`, plus `via` and, for API keys, `scopes`.
async fn me(Caller(user): Caller) -> Json<Value> {
    Json(json!({ "ok": true, "user": user.to_profile_json() }))
}

/// `GET /api/me/charts?limit=&offset=&type=`: the caller's charts, every visibility, newest
/// first (API keys need `charts:read`).
async fn my_charts(
    State(state): State<AppState>,
    Caller(user): Caller,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    if !user.has_scope(Scope::ChartsRead) {
        return Err(ApiError::forbidden());
    }
    let limit = charts::query_u32(&q, "limit", PAGE_DEFAULT, PAGE_MAX)?.max(1);
    let offset = charts::query_u32(&q, "offset", 0, u32::MAX)?;
    let chart_type = charts::type_filter(&q)?;
    let (records, total) = state
        .store
        .list(&GalleryQuery {
            limit,
            offset,
            chart_type,
            owner: Some(user.user_key()),
        })
        .await?;
    let base = state.base_url(&headers);
    let charts: Vec<Value> = records
        .iter()
        .map(|r| charts::record_json(r, &base))
        .collect();
    Ok(Json(
        json!({ "charts": charts, "total": total, "limit": limit, "offset": offset }),
    ))
}
