//! The negative matrix of the auth chain: every bad credential is a 401 with one body, every
//! refused right a 403 with one body, whatever the reason.

use crate::account_client::{
    AUTH, Credentials as _, PASSWORD, answer, create_key, login_with, refresh, register, server,
    signed_in,
};
use crate::harness::{INTERNAL, JWT, bar_spec};
use base64::Engine as _;
use clovicharts::accounts::tokens::{AUDIENCE, ISSUER, TOKEN_LEEWAY_S};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

/// The `sid` claim of one of our access tokens.
fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn every_bad_credential_gets_the_same_401_and_every_refusal_the_same_403() {
    let s = server(|_| {}).await;
    let user = register(&s, "matrix@example.com").await;
    let victim = register(&s, "disabled@example.com").await;
    let admin = register(&s, crate::account_client::ADMIN_EMAIL).await;
    let good = claims_of(&user.access);
    let (sub, sid) = (good["sub"].clone(), good["sid"].clone());
    let claims = |f: &dyn Fn(&mut Value)| {
        let mut c = json!({ "iss": ISSUER, "aud": AUDIENCE, "sub": sub, "sid": sid,
                            "iat": now(), "exp": now() + 600, "typ": "access" });
        f(&mut c);
        c
    };
    // Sanity: a token we sign like the server does is accepted.
    let forged_ok = sign(&claims(&|_| {}), AUTH);
    assert_eq!(
        s.get("/api/me")
            .bearer(&forged_ok)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let alg_none = format!(
        "{}.{}.",
        b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
        b64.encode(claims(&|_| {}).to_string())
    );
    let tampered = {
        let parts: Vec<&str> = user.access.split('.').collect();
        let mut c = claims_of(&user.access);
        c["sub"] = json!(victim.id);
        format!("{}.{}.{}", parts[0], b64.encode(c.to_string()), parts[2])
    };
    let expired = sign(
        &claims(&|c| c["exp"] = json!(now() - TOKEN_LEEWAY_S as i64 - 1)),
        AUTH,
    );
    let no_exp = sign(
        &claims(&|c| {
            c.as_object_mut().unwrap().remove("exp");
        }),
        AUTH,
    );
    let wrong_aud = sign(&claims(&|c| c["aud"] = json!("someone-else")), AUTH);
    let wrong_iss = sign(&claims(&|c| c["iss"] = json!("clovinarrate")), AUTH);
    let other_secret = sign(&claims(&|_| {}), JWT);
    let cl_session_as_bearer = clovicharts::api::auth::mint_session(
        &clovicharts::config::Secret::new(JWT),
        json!(1),
        "super_admin",
        None,
        None,
        600,
    )
    .unwrap();
    let huge = format!("{}.{}.x", "e".repeat(32 * 1024), "f".repeat(32 * 1024));

    // Keys: revoked, expired, of a disabled user.
    let (revoked_id, revoked_key) = create_key(&s, &user.access, &["charts:write"]).await;
    let r = s
        .client
        .post(s.url(&format!("/api/keys/{revoked_id}/revoke")))
        .bearer(&user.access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (expiring_id, expiring_key) = create_key(&s, &user.access, &["charts:write"]).await;
    let db = crate::common::test_db::open_db(&s.data).await;
    db.execute(
        "UPDATE api_keys SET expires_at_ms = ? WHERE id = ?",
        &[
            (chrono::Utc::now().timestamp_millis() - 1000).into(),
            (&expiring_id).into(),
        ],
    )
    .await
    .unwrap();
    db.close().await;
    let (_, victim_key) = create_key(&s, &victim.access, &["charts:write"]).await;

    // Refresh tokens: one revoked by logout, one reused after rotation (the family dies).
    let revoked_session = signed_in(login_with(&s, "matrix@example.com", PASSWORD).await).await;
    let r = s
        .post_json(
            "/api/auth/logout",
            &json!({ "refresh_token": revoked_session.refresh }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let family = signed_in(login_with(&s, "matrix@example.com", PASSWORD).await).await;
    let next = signed_in(refresh(&s, &family.refresh).await).await;
    let (reuse_status, reuse_body) = answer(refresh(&s, &family.refresh).await).await;
    let (next_status, next_body) = answer(refresh(&s, &next.refresh).await).await;
    let next_access = s.get("/api/me").bearer(&next.access).send().await.unwrap();

    // Disable the victim: their token and key stop at once.
    let r = s
        .client
        .patch(s.url(&format!("/api/admin/users/{}", victim.id)))
        .bearer(&admin.access)
        .json(&json!({ "disabled": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let (baseline_status, baseline) = answer(s.get("/api/me").send().await.unwrap()).await;
    assert_eq!(baseline_status, 401);
    assert_eq!(baseline["code"], "UNAUTHORIZED");
    assert_eq!(baseline["error"], "Authentication required");
    assert!(baseline["login_url"].is_string());

    let bearer_cases: Vec<(&str, String)> = vec![
        ("alg none", alg_none),
        ("tampered payload", tampered),
        ("expired 1 s past leeway", expired),
        ("missing exp", no_exp),
        ("wrong aud", wrong_aud),
        ("wrong iss", wrong_iss),
        ("signed with the session secret", other_secret),
        ("cl_session token as bearer", cl_session_as_bearer),
        ("64 KiB token", huge),
        ("garbage", "not.a.token".into()),
        ("refresh token as bearer", next.refresh.clone()),
        ("revoked key", revoked_key.clone()),
        ("expired key", expiring_key.clone()),
        ("disabled user's key", victim_key.clone()),
        ("disabled user's token", victim.access.clone()),
        ("logged-out session's token", revoked_session.access.clone()),
        ("unknown key", format!("cc_live_{}", "A".repeat(43))),
    ];
    for (what, token) in &bearer_cases {
        for how in ["bearer", "cookie", "x-api-key"] {
            let req = s.get("/api/me");
            let req = match how {
                "bearer" => req.bearer(token),
                "cookie" => req.header("cookie", format!("cc_token={token}")),
                _ => req.api_key(token),
            };
            let (status, body) = answer(req.send().await.unwrap()).await;
            assert_eq!((status, &body), (401, &baseline), "{what} via {how}");
        }
        // Protected chart routes answer the same.
        let (status, body) = answer(
            s.post_json("/api/charts/generate", &bar_spec())
                .bearer(token)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((status, &body), (401, &baseline), "{what} on generate");
    }
    // Our access token is not a cl_session.
    let (status, body) = answer(
        s.get("/api/me")
            .header("cookie", format!("cl_session={}", user.access))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, &body),
        (401, &baseline),
        "access token as cl_session"
    );
    for headers in [
        vec![("x-user-id", "7")],
        vec![("x-user-id", "7"), ("x-internal-secret", "wrong")],
        vec![("x-internal-secret", INTERNAL)],
    ] {
        let mut req = s.get("/api/me");
        for (k, v) in &headers {
            req = req.header(*k, *v);
        }
        let (status, body) = answer(req.send().await.unwrap()).await;
        assert_eq!((status, &body), (401, &baseline), "{headers:?}");
    }
    assert_eq!(
        (reuse_status, &reuse_body),
        (401, &baseline),
        "reused refresh"
    );
    assert_eq!(
        (next_status, &next_body),
        (401, &baseline),
        "family revoked"
    );
    let (status, body) = answer(next_access).await;
    assert_eq!((status, &body), (401, &baseline), "family's access token");
    let (status, body) = answer(refresh(&s, &revoked_session.refresh).await).await;
    assert_eq!((status, &body), (401, &baseline), "revoked refresh");
    let (status, body) = answer(refresh(&s, &victim.refresh).await).await;
    assert_eq!((status, &body), (401, &baseline), "disabled user's refresh");
    let (status, body) = answer(login_with(&s, "disabled@example.com", PASSWORD).await).await;
    assert_eq!((status, &body), (401, &baseline), "disabled user's login");

    // 403: a key without the scope, a non-admin on admin routes, an admin's key without
    // `admin`: one body.
    let (_, read_key) = create_key(&s, &user.access, &["charts:read"]).await;
    let (_, admin_write_key) = create_key(&s, &admin.access, &["charts:write"]).await;
    let forbidden = [
        s.post_json("/api/charts/generate", &bar_spec())
            .api_key(&read_key),
        s.post_json("/api/charts/batch", &json!({"charts": []}))
            .api_key(&read_key),
        s.get("/api/chart-types/examples").api_key(&read_key),
        s.get("/api/admin/users").bearer(&user.access),
        s.get("/api/admin/stats").api_key(&admin_write_key),
        s.get("/api/keys").api_key(&admin_write_key),
        s.get("/api/admin/users")
            .header("cookie", crate::harness::session(3, "user")),
    ];
    let mut first: Option<Value> = None;
    for (i, req) in forbidden.into_iter().enumerate() {
        let (status, body) = answer(req.send().await.unwrap()).await;
        assert_eq!(status, 403, "case {i}: {body}");
        assert_eq!(body["code"], "FORBIDDEN");
        match &first {
            None => first = Some(body),
            Some(f) => assert_eq!(&body, f, "case {i}"),
        }
    }
    // A key may not carry `admin` unless its user is an admin.
    let r = s
        .post_json("/api/keys", &json!({ "name": "x", "scopes": ["admin"] }))
        .bearer(&user.access)
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!((status, Some(&body)), (403, first.as_ref()));
    s.stop().await;
}
