//! Account helpers on top of the harness: register, log in, create keys, send credentials.

use crate::harness::{TestServer, bar_spec, temp_dir};
use clovicharts::config::Secret;
use serde_json::{Value, json};

/// The `AUTH_JWT_SECRET` of account test servers.
pub(crate) const AUTH: &str = "test-auth-secret-9876543210";
/// The password every test account uses.
pub(crate) const PASSWORD: &str = "correct horse battery";
/// The e-mail promoted to admin on registration.
pub(crate) const ADMIN_EMAIL: &str = "admin@example.com";

/// A registered account and its tokens.
pub(crate) struct Account {
    pub(crate) id: String,
    pub(crate) access: String,
    pub(crate) refresh: String,
}

/// A server with a known `AUTH_JWT_SECRET` and `ADMIN_EMAILS=admin@example.com`.
pub(crate) async fn server(tweak: impl FnOnce(&mut clovicharts::config::Config)) -> TestServer {
    TestServer::start_in(&temp_dir("accounts"), |c| {
        c.accounts.auth_jwt_secret = Some(Secret::new(AUTH));
        c.accounts.admin_emails = vec![ADMIN_EMAIL.to_owned()];
        tweak(c);
    })
    .await
}

fn account_of(body: &Value) -> Account {
    Account {
        id: body["user"]["id"].as_str().unwrap().to_owned(),
        access: body["access_token"].as_str().unwrap().to_owned(),
        refresh: body["refresh_token"].as_str().unwrap().to_owned(),
    }
}

/// `POST /api/auth/register`; asserts 201.
pub(crate) async fn register(s: &TestServer, email: &str) -> Account {
    let r = s
        .post_json(
            "/api/auth/register",
            &json!({ "email": email, "password": PASSWORD, "name": "Test" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "register {email}");
    account_of(&r.json().await.unwrap())
}

/// `POST /api/auth/login` with `password`.
pub(crate) async fn login_with(s: &TestServer, email: &str, password: &str) -> reqwest::Response {
    s.post_json(
        "/api/auth/login",
        &json!({ "email": email, "password": password }),
    )
    .send()
    .await
    .unwrap()
}

/// `POST /api/auth/refresh`.
pub(crate) async fn refresh(s: &TestServer, token: &str) -> reqwest::Response {
    s.post_json("/api/auth/refresh", &json!({ "refresh_token": token }))
        .send()
        .await
        .unwrap()
}

/// Parses a sign-in answer.
pub(crate) async fn signed_in(r: reqwest::Response) -> Account {
    assert_eq!(r.status(), 200);
    account_of(&r.json().await.unwrap())
}

/// `POST /api/keys` as `access`; returns `(id, raw key)`.
pub(crate) async fn create_key(s: &TestServer, access: &str, scopes: &[&str]) -> (String, String) {
    let r = s
        .post_json("/api/keys", &json!({ "name": "ci", "scopes": scopes }))
        .bearer(access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "create key {scopes:?}");
    let b: Value = r.json().await.unwrap();
    (
        b["id"].as_str().unwrap().to_owned(),
        b["key"].as_str().unwrap().to_owned(),
    )
}

/// A bar chart spec with `options.visibility`.
pub(crate) fn spec_with(visibility: &str) -> Value {
    let mut spec = bar_spec();
    spec["options"]["visibility"] = json!(visibility);
    spec
}

/// `POST /api/charts/generate` as `access` with `visibility`; returns the chart id.
pub(crate) async fn generate_as(s: &TestServer, access: &str, visibility: &str) -> String {
    let r = s
        .post_json("/api/charts/generate", &spec_with(visibility))
        .bearer(access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["visibility"], visibility);
    b["chart_id"].as_str().unwrap().to_owned()
}

/// Credentials on a request.
pub(crate) trait Credentials {
    fn bearer(self, token: &str) -> Self;
    fn api_key(self, key: &str) -> Self;
}

impl Credentials for reqwest::RequestBuilder {
    fn bearer(self, token: &str) -> Self {
        self.header("authorization", format!("Bearer {token}"))
    }
    fn api_key(self, key: &str) -> Self {
        self.header("x-api-key", key)
    }
}

/// Status and JSON body of a response.
pub(crate) async fn answer(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}
