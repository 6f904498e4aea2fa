//! The account service against a real SQLite file (or a fresh PostgreSQL database per test with
//! `CLOVICHARTS_TEST_DATABASE_URL`): registration, duplicate e-mails, refresh
//! rotation and reuse detection, key verification, disabling, statistics on an empty store.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

use clovicharts::accounts::{AccountError, AccountSettings, Accounts, Rotation, Scope, tokens};
use clovicharts::config::Secret;

#[path = "common/mod.rs"]
mod common;

const PASSWORD: &str = "correct horse battery";

async fn open() -> Accounts {
    let settings = AccountSettings {
        secret: Secret::new("store-test-secret"),
        admin_emails: vec!["boss@example.com".into()],
        login_failures_per_account: 5,
        login_failures_per_address: 20,
    };
    let dir = common::temp_dir("accounts");
    Accounts::new(common::test_db::open_db(&dir).await, settings)
}

#[tokio::test]
async fn register_hashes_and_refuses_duplicates() {
    let a = open().await;
    let (user, pair) = a
        .register("Boss@Example.com", Secret::new(PASSWORD), Some(" Boss "))
        .await
        .unwrap();
    assert_eq!(user.email, "boss@example.com");
    assert_eq!(user.name.as_deref(), Some("Boss"));
    assert_eq!(user.role, "admin", "ADMIN_EMAILS");
    let (stored, hash) = a
        .store()
        .user_by_email("boss@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((&stored.id, &stored.email), (&user.id, &user.email));
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PASSWORD));
    let dup = a
        .register("BOSS@example.com", Secret::new(PASSWORD), None)
        .await;
    assert!(matches!(dup, Err(AccountError::EmailTaken)));
    let access = a
        .verify_access_token(pair.access_token.expose())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(access.user.id, user.id);
    assert!(access.scopes.is_none());
    let wrong = a
        .login(
            "boss@example.com",
            Secret::new("not the password"),
            "127.0.0.1",
        )
        .await;
    assert!(matches!(wrong, Err(AccountError::Unauthorized)));
    a.close().await;
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let a = open().await;
    let (_, first) = a
        .register("r@example.com", Secret::new(PASSWORD), None)
        .await
        .unwrap();
    let (_, second) = a.refresh(first.refresh_token.expose()).await.unwrap();
    // Rotated: the access token of the same session still works.
    assert!(
        a.verify_access_token(second.access_token.expose())
            .await
            .unwrap()
            .is_some()
    );
    // Reuse of the first token: refused, and the whole session is revoked.
    assert!(matches!(
        a.refresh(first.refresh_token.expose()).await,
        Err(AccountError::Unauthorized)
    ));
    assert!(
        a.verify_access_token(second.access_token.expose())
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        a.refresh(second.refresh_token.expose()).await,
        Err(AccountError::Unauthorized)
    ));
    // Store level: an unknown digest is Invalid.
    let now = chrono::Utc::now();
    let outcome = a
        .store()
        .rotate("nope", "next", now, now + chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(outcome, Rotation::Invalid);
    a.close().await;
}

#[tokio::test]
async fn keys_verify_until_revoked_or_the_user_is_disabled() {
    let a = open().await;
    let (user, _) = a
        .register("k@example.com", Secret::new(PASSWORD), None)
        .await
        .unwrap();
    let (key, raw) = a
        .create_key(&user, "ci", vec![Scope::ChartsRead], None)
        .await
        .unwrap();
    assert!(raw.expose().starts_with(tokens::KEY_PREFIX));
    let who = a.verify_api_key(raw.expose()).await.unwrap().unwrap();
    assert_eq!(who.key_id.as_deref(), Some(key.id.as_str()));
    assert_eq!(who.scopes, Some(vec![Scope::ChartsRead]));
    assert!(matches!(
        a.create_key(&user, "x", vec![Scope::Admin], None).await,
        Err(AccountError::Forbidden)
    ));
    let now = chrono::Utc::now();
    a.store().set_disabled(&user.id, true, now).await.unwrap();
    assert!(a.verify_api_key(raw.expose()).await.unwrap().is_none());
    a.store().set_disabled(&user.id, false, now).await.unwrap();
    assert!(a.verify_api_key(raw.expose()).await.unwrap().is_some());
    a.store()
        .revoke_key(&user.id, &key.id, now)
        .await
        .unwrap()
        .unwrap();
    assert!(a.verify_api_key(raw.expose()).await.unwrap().is_none());
    let listed = a.store().keys_of(&user.id).await.unwrap();
    assert_eq!(listed[0].status(now), "revoked");
    let stats = a.stats(now).await.unwrap();
    assert_eq!(
        (stats.charts_total, stats.users_total, stats.active_keys),
        (0, 1, 0)
    );
    assert!(stats.render_ms.p50.is_none());
    a.close().await;
}
