//! API keys: shown once, stored hashed, scoped, revocable, deletable, rate limited per key; the
//! database never holds a raw key, token or password.

use crate::account_client::{
    Credentials as _, PASSWORD, answer, create_key, register, server, signed_in,
};
use crate::harness::{bar_spec, expect_error};
use serde_json::{Value, json};

#[tokio::test]
async fn keys_are_shown_once_scoped_revocable_and_never_stored_raw() {
    let s = server(|_| {}).await;
    let a = register(&s, "dev@example.com").await;
    let b = register(&s, "other@example.com").await;
    let expires = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let r = s
        .post_json(
            "/api/keys",
            &json!({ "name": "CI pipeline", "scopes": ["charts:write", "charts:read", "charts:write"],
                     "expires_at": expires }),
        )
        .bearer(&a.access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created_text = r.text().await.unwrap();
    let created: Value = serde_json::from_str(&created_text).unwrap();
    let key = created["key"].as_str().unwrap().to_owned();
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(
        key.starts_with("cc_live_") && key.len() >= "cc_live_".len() + 43,
        "{key}"
    );
    assert!(key[8..].chars().all(|c| c.is_ascii_alphanumeric()));
    assert!(key.starts_with(created["prefix"].as_str().unwrap()));
    assert_eq!(created["scopes"], json!(["charts:write", "charts:read"]));
    assert_eq!(created["name"], "CI pipeline");
    assert_eq!(created["status"], "active");
    assert!(created["expires_at"].is_string());

    // It works as X-API-Key and as Bearer; the key's scopes show in /api/me.
    let r = s
        .post_json("/api/charts/generate", &bar_spec())
        .api_key(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = s
        .post_json("/api/charts/generate", &bar_spec())
        .bearer(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let me: Value = answer(s.get("/api/me").api_key(&key).send().await.unwrap())
        .await
        .1;
    assert_eq!(me["user"]["id"], a.id.as_str());
    assert_eq!(me["user"]["via"], "api_key");
    assert_eq!(me["user"]["scopes"], json!(["charts:write", "charts:read"]));

    // The list shows prefix, name, scopes, dates, last use; never the key.
    let list_text = s
        .get("/api/keys")
        .bearer(&a.access)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let list: Value = serde_json::from_str(&list_text).unwrap();
    assert_eq!(list["total"], 1);
    let k = &list["keys"][0];
    assert_eq!(k["id"], id.as_str());
    assert_eq!(k["prefix"], created["prefix"]);
    assert!(k["last_used_at"].is_string(), "{k}");
    assert!(k["created_at"].is_string());
    assert!(k.get("key").is_none() && k.get("key_hash").is_none() && k.get("user_id").is_none());
    assert!(!list_text.contains(&key));
    assert!(
        answer(s.get("/api/keys").bearer(&b.access).send().await.unwrap())
            .await
            .1["keys"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Bad requests.
    for body in [
        json!({ "name": "x", "scopes": ["charts:delete"] }),
        json!({ "name": "x", "scopes": [] }),
        json!({ "name": "", "scopes": ["charts:read"] }),
        json!({ "name": "x", "scopes": ["charts:read"], "expires_at": "2001-01-01T00:00:00Z" }),
        json!({ "name": "x", "scopes": ["charts:read"], "expires_at": "tomorrow" }),
        json!({ "name": "x", "scopes": "charts:read" }),
    ] {
        let r = s
            .post_json("/api/keys", &body)
            .bearer(&a.access)
            .send()
            .await
            .unwrap();
        expect_error(r, 400, "VALIDATION_ERROR").await;
    }
    // Keys and cl_session users cannot manage keys; anonymous callers are 401.
    let r = s
        .post_json(
            "/api/keys",
            &json!({"name": "x", "scopes": ["charts:read"]}),
        )
        .api_key(&key)
        .send()
        .await
        .unwrap();
    expect_error(r, 403, "FORBIDDEN").await;
    let r = s
        .get("/api/keys")
        .header("cookie", crate::harness::session(9, "user"))
        .send()
        .await
        .unwrap();
    expect_error(r, 403, "FORBIDDEN").await;
    expect_error(
        s.get("/api/keys").send().await.unwrap(),
        401,
        "UNAUTHORIZED",
    )
    .await;

    // Another user can neither revoke nor delete it.
    let revoke = format!("/api/keys/{id}/revoke");
    let r = s
        .client
        .post(s.url(&revoke))
        .bearer(&b.access)
        .send()
        .await
        .unwrap();
    expect_error(r, 404, "NOT_FOUND").await;
    let r = s
        .client
        .delete(s.url(&format!("/api/keys/{id}")))
        .bearer(&b.access)
        .send()
        .await
        .unwrap();
    expect_error(r, 404, "NOT_FOUND").await;
    assert_eq!(
        s.get("/api/me")
            .api_key(&key)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Revoked: refused at once; listed as revoked; then deleted.
    let r = s
        .client
        .post(s.url(&revoke))
        .bearer(&a.access)
        .send()
        .await
        .unwrap();
    let v: Value = answer(r).await.1;
    assert_eq!(v["key"]["status"], "revoked");
    assert_eq!(
        s.get("/api/me")
            .api_key(&key)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let r = s
        .client
        .delete(s.url(&format!("/api/keys/{id}")))
        .bearer(&a.access)
        .send()
        .await
        .unwrap();
    assert_eq!(answer(r).await.1, json!({ "deleted": true, "id": id }));
    let r = s
        .client
        .delete(s.url(&format!("/api/keys/{id}")))
        .bearer(&a.access)
        .send()
        .await
        .unwrap();
    expect_error(r, 404, "NOT_FOUND").await;

    // The database holds no raw secret: keys, refresh and access tokens, passwords.
    let relog =
        signed_in(crate::account_client::login_with(&s, "dev@example.com", PASSWORD).await).await;
    let (_, live_key) = create_key(&s, &relog.access, &["charts:read"]).await;
    let db = crate::harness::database_bytes(&s.data).await;
    assert!(db.len() > 1024);
    let contains = |needle: &str| db.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(contains("dev@example.com"), "the scan sees the data");
    for secret in [
        &key,
        &live_key,
        &a.refresh,
        &relog.refresh,
        &a.access,
        &relog.access,
    ] {
        assert!(!contains(secret), "raw secret in the database");
        assert!(
            !contains(&secret[secret.len() - 20..]),
            "a tail of a secret in the database"
        );
    }
    assert!(!contains(PASSWORD));
    // The key appeared in exactly one answer: its creation.
    assert!(created_text.contains(&key));
    s.stop().await;
}

#[tokio::test]
async fn rate_limits_apply_per_key() {
    let s = server(|c| c.accounts.rate_limit_authenticated = Some(3)).await;
    let a = register(&s, "limited@example.com").await;
    let (_, k1) = create_key(&s, &a.access, &["charts:read"]).await;
    let (_, k2) = create_key(&s, &a.access, &["charts:read"]).await;
    for i in 0..3 {
        let r = s.get("/api/me").api_key(&k1).send().await.unwrap();
        assert_eq!(r.status(), 200, "request {i}");
        assert_eq!(r.headers()["ratelimit-limit"], "3");
    }
    let r = s.get("/api/me").api_key(&k1).send().await.unwrap();
    assert!(r.headers().contains_key("retry-after"));
    expect_error(r, 429, "RATE_LIMIT").await;
    assert_eq!(
        s.get("/api/me").api_key(&k2).send().await.unwrap().status(),
        200
    );
    // Anonymous callers have their own tier (RATE_LIMIT_PER_MIN).
    assert_eq!(
        s.get("/api/chart-types").send().await.unwrap().status(),
        200
    );
    s.stop().await;
}
