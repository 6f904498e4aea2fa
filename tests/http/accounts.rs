//! Accounts: register, login, refresh (rotation and reuse), logout, `/api/me`, validation and
//! login brute-force protection.

use crate::account_client::{
    Credentials as _, PASSWORD, answer, login_with, refresh, register, server, signed_in,
};
use crate::harness::expect_error;
use serde_json::{Value, json};

#[tokio::test]
async fn register_login_refresh_logout_happy_path() {
    let s = server(|_| {}).await;
    let r = s
        .post_json(
            "/api/auth/register",
            &json!({ "email": " Ada@Example.com ", "password": PASSWORD, "name": "Ada" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("cc_token=ey"), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=900"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    assert!(!cookie.contains("Secure"), "plain http is not Secure");
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["ok"], true);
    assert_eq!(b["user"]["email"], "ada@example.com");
    assert_eq!(b["user"]["name"], "Ada");
    assert_eq!(b["user"]["role"], "user");
    assert!(b["user"]["id"].as_str().unwrap().starts_with("usr_"));
    assert!(b["user"].get("password_hash").is_none());
    assert_eq!(b["expires_in"], 900);
    assert_eq!(b["token_type"], "Bearer");
    let access = b["access_token"].as_str().unwrap();
    let first_refresh = b["refresh_token"].as_str().unwrap().to_owned();

    // The access token works as Bearer and as the cc_token cookie, on both me routes.
    for path in ["/api/me", "/api/auth/me"] {
        let (status, me) = answer(s.get(path).bearer(access).send().await.unwrap()).await;
        assert_eq!(status, 200);
        assert_eq!(me["user"]["email"], "ada@example.com");
        assert_eq!(me["user"]["id"], b["user"]["id"]);
        let via = if path == "/api/me" {
            json!("token")
        } else {
            Value::Null
        };
        assert_eq!(
            me["user"]["via"], via,
            "{path}: the reference's shape stays exact"
        );
    }
    let cookie_pair = cookie.split(';').next().unwrap();
    let r = s
        .get("/api/me")
        .header("cookie", cookie_pair)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Login (any case of the e-mail) gives a second, independent session.
    let second = signed_in(login_with(&s, "ADA@example.COM", PASSWORD).await).await;
    assert_ne!(second.access, access);

    // Refresh rotates: the new pair works, the old refresh token is spent.
    let rotated = signed_in(refresh(&s, &first_refresh).await).await;
    assert_ne!(rotated.refresh, first_refresh);
    assert_eq!(
        s.get("/api/me")
            .bearer(&rotated.access)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Logout with the refresh token revokes that session: its access and refresh tokens die,
    // the cookie is cleared; the other session lives on.
    let r = s
        .post_json(
            "/api/auth/logout",
            &json!({ "refresh_token": rotated.refresh }),
        )
        .bearer(&rotated.access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cleared = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cleared.starts_with("cc_token=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    assert_eq!(
        s.get("/api/me")
            .bearer(&rotated.access)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        s.get("/api/me")
            .bearer(access)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    expect_error(refresh(&s, &rotated.refresh).await, 401, "UNAUTHORIZED").await;
    assert_eq!(
        s.get("/api/me")
            .bearer(&second.access)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Logout with only the access token ends that session too.
    let r = s
        .client
        .post(s.url("/api/auth/logout"))
        .bearer(&second.access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        s.get("/api/me")
            .bearer(&second.access)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    expect_error(refresh(&s, &second.refresh).await, 401, "UNAUTHORIZED").await;
    s.stop().await;
}

#[tokio::test]
async fn register_validates_and_refuses_duplicates_case_insensitively() {
    let s = server(|_| {}).await;
    register(&s, "dup@example.com").await;
    for email in ["dup@example.com", "DUP@Example.COM", "  dup@example.com"] {
        let r = s
            .post_json(
                "/api/auth/register",
                &json!({ "email": email, "password": PASSWORD }),
            )
            .send()
            .await
            .unwrap();
        let b = expect_error(r, 409, "CONFLICT").await;
        assert_eq!(b["error"], "Email already registered");
    }
    let cases = [
        json!({ "email": "new@example.com", "password": "123456789" }),
        json!({ "email": "not-an-email", "password": PASSWORD }),
        json!({ "email": "a@b", "password": PASSWORD }),
        json!({ "email": "a b@example.com", "password": PASSWORD }),
        json!({ "email": "new@example.com" }),
        json!({ "password": PASSWORD }),
        json!({ "email": 5, "password": PASSWORD }),
        json!({ "email": "new@example.com", "password": "x".repeat(2000) }),
        json!({ "email": "new@example.com", "password": PASSWORD, "name": "n".repeat(101) }),
    ];
    for body in cases {
        let r = s
            .post_json("/api/auth/register", &body)
            .send()
            .await
            .unwrap();
        let b = expect_error(r, 400, "VALIDATION_ERROR").await;
        assert!(b["error"].is_string(), "{body}");
    }
    let short = s
        .post_json(
            "/api/auth/register",
            &json!({ "email": "new@example.com", "password": "123456789" }),
        )
        .send()
        .await
        .unwrap();
    let b = expect_error(short, 400, "VALIDATION_ERROR").await;
    assert!(
        b["error"].as_str().unwrap().contains("10 characters"),
        "{b}"
    );
    // Exactly ten characters is enough.
    let ok = s
        .post_json(
            "/api/auth/register",
            &json!({ "email": "ten@example.com", "password": "0123456789" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 201);
    let r = s
        .client
        .post(s.url("/api/auth/register"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    expect_error(r, 400, "VALIDATION_ERROR").await;
    s.stop().await;
}

#[tokio::test]
async fn wrong_password_and_unknown_email_answer_the_same() {
    let s = server(|_| {}).await;
    register(&s, "known@example.com").await;
    let (st1, wrong) = answer(login_with(&s, "known@example.com", "wrong password!").await).await;
    let (st2, unknown) = answer(login_with(&s, "nobody@example.com", PASSWORD).await).await;
    let (st3, none) = answer(s.get("/api/me").send().await.unwrap()).await;
    assert_eq!((st1, st2, st3), (401, 401, 401));
    assert_eq!(wrong, unknown);
    assert_eq!(wrong, none, "every 401 has one body");
    s.stop().await;
}

#[tokio::test]
async fn login_brute_force_is_answered_429_with_retry_after() {
    let s = server(|c| c.accounts.login_failures_per_address = 8).await;
    register(&s, "victim@example.com").await;
    register(&s, "other@example.com").await;
    for i in 0..5 {
        let r = login_with(&s, "victim@example.com", "guess number x").await;
        assert_eq!(r.status(), 401, "attempt {i}");
    }
    for password in ["another guess", PASSWORD] {
        let r = login_with(&s, "Victim@example.com", password).await;
        let retry: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((60..=900).contains(&retry), "{retry}");
        expect_error(r, 429, "RATE_LIMIT").await;
    }
    // Another account from the same address still signs in (the address allows 8 failures).
    signed_in(login_with(&s, "other@example.com", PASSWORD).await).await;
    // The address limit: 3 more failures reach 8, then every account is refused from here.
    for i in 0..3 {
        let r = login_with(&s, &format!("ghost{i}@example.com"), "nope nope nope").await;
        assert_eq!(r.status(), 401);
    }
    let r = login_with(&s, "other@example.com", PASSWORD).await;
    assert!(r.headers().contains_key("retry-after"));
    expect_error(r, 429, "RATE_LIMIT").await;
    s.stop().await;
}
