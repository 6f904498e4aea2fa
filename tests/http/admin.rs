//! Admin routes: users (search, paging, get, role, disable), rate-limit overrides, statistics;
//! the `admin create` command.

use crate::account_client::{
    ADMIN_EMAIL, Credentials as _, PASSWORD, answer, create_key, generate_as, login_with, register,
    server, signed_in,
};
use crate::harness::{TestServer, expect_error, temp_dir};
use serde_json::{Value, json};
use std::io::Write as _;

async fn patch(s: &TestServer, token: &str, path: &str, body: Value) -> (u16, Value) {
    answer(
        s.client
            .patch(s.url(path))
            .bearer(token)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn admins_manage_users_and_see_stats() {
    let s = server(|_| {}).await;
    let admin = register(&s, ADMIN_EMAIL).await;
    let me: Value = answer(s.get("/api/me").bearer(&admin.access).send().await.unwrap())
        .await
        .1;
    assert_eq!(
        me["user"]["role"], "admin",
        "ADMIN_EMAILS promotes on register"
    );
    let mut users = Vec::new();
    for i in 0..5 {
        users.push(register(&s, &format!("user{i}@example.com")).await);
    }
    generate_as(&s, &users[0].access, "private").await;
    generate_as(&s, &users[0].access, "public").await;
    create_key(&s, &users[1].access, &["charts:read"]).await;

    let list: Value = answer(
        s.get("/api/admin/users?limit=2&offset=1")
            .bearer(&admin.access)
            .send()
            .await
            .unwrap(),
    )
    .await
    .1;
    assert_eq!(list["total"], 6);
    assert_eq!(list["limit"], 2);
    let page: Vec<&str> = list["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        page,
        vec!["user3@example.com", "user2@example.com"],
        "newest first"
    );
    let found: Value = answer(
        s.get("/api/admin/users?search=USER0")
            .bearer(&admin.access)
            .send()
            .await
            .unwrap(),
    )
    .await
    .1;
    assert_eq!(found["total"], 1);
    let u0 = &found["users"][0];
    assert_eq!(u0["email"], "user0@example.com");
    assert_eq!(u0["chart_count"], 2);
    assert!(u0.get("password_hash").is_none());
    let none: Value = answer(
        s.get("/api/admin/users?search=%25")
            .bearer(&admin.access)
            .send()
            .await
            .unwrap(),
    )
    .await
    .1;
    assert_eq!(none["total"], 0, "LIKE wildcards are matched literally");

    let path = format!("/api/admin/users/{}", users[1].id);
    let got: Value = answer(s.get(&path).bearer(&admin.access).send().await.unwrap())
        .await
        .1;
    assert_eq!(got["user"]["email"], "user1@example.com");
    assert_eq!(got["user"]["key_count"], 1);
    let r = s
        .get("/api/admin/users/usr_missing")
        .bearer(&admin.access)
        .send()
        .await
        .unwrap();
    expect_error(r, 404, "NOT_FOUND").await;

    // Role changes apply to the next request of existing tokens.
    let (status, b) = patch(
        &s,
        &admin.access,
        &path,
        json!({ "role": "platform_admin" }),
    )
    .await;
    assert_eq!(
        (status, &b["user"]["role"]),
        (200, &json!("platform_admin"))
    );
    assert_eq!(
        s.get("/api/admin/stats")
            .bearer(&users[1].access)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    patch(&s, &admin.access, &path, json!({ "role": "user" })).await;
    assert_eq!(
        s.get("/api/admin/stats")
            .bearer(&users[1].access)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let (status, _) = patch(&s, &admin.access, &path, json!({ "role": "god" })).await;
    assert_eq!(status, 400);
    let (status, _) = patch(&s, &admin.access, &path, json!({ "colour": "blue" })).await;
    assert_eq!(status, 400);
    let (status, _) = patch(
        &s,
        &admin.access,
        &format!("/api/admin/users/{}", admin.id),
        json!({ "disabled": true }),
    )
    .await;
    assert_eq!(status, 400, "admins cannot lock themselves out");

    // Disable: token and key refused at once; enable: the key works again, the old session
    // stays revoked, and the user can sign in again.
    let target = &users[2];
    let (_, key) = create_key(&s, &target.access, &["charts:read"]).await;
    let tpath = format!("/api/admin/users/{}", target.id);
    let (status, b) = patch(&s, &admin.access, &tpath, json!({ "disabled": true })).await;
    assert_eq!((status, &b["user"]["disabled"]), (200, &json!(true)));
    assert_eq!(
        s.get("/api/me")
            .bearer(&target.access)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        s.get("/api/me")
            .api_key(&key)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        login_with(&s, "user2@example.com", PASSWORD).await.status(),
        401
    );
    patch(&s, &admin.access, &tpath, json!({ "disabled": false })).await;
    assert_eq!(
        s.get("/api/me")
            .api_key(&key)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        s.get("/api/me")
            .bearer(&target.access)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    signed_in(login_with(&s, "user2@example.com", PASSWORD).await).await;

    // Per-user rate-limit override: 2 a minute, then 429; removed, back to the default tier.
    let limited = &users[3];
    let opath = format!("/api/admin/users/{}/overrides", limited.id);
    let r = s
        .post_json(&opath, &json!({ "rate_limit_per_min": 2 }))
        .bearer(&admin.access)
        .send()
        .await
        .unwrap();
    assert_eq!(answer(r).await.1["user"]["rate_limit_per_min"], 2);
    for _ in 0..2 {
        assert_eq!(
            s.get("/api/me")
                .bearer(&limited.access)
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    let r = s
        .get("/api/me")
        .bearer(&limited.access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["ratelimit-limit"], "2");
    expect_error(r, 429, "RATE_LIMIT").await;
    let r = s
        .client
        .delete(s.url(&opath))
        .bearer(&admin.access)
        .send()
        .await
        .unwrap();
    assert!(answer(r).await.1["user"]["rate_limit_per_min"].is_null());
    assert_eq!(
        s.get("/api/me")
            .bearer(&limited.access)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let r = s
        .post_json(&opath, &json!({ "rate_limit_per_min": -1 }))
        .bearer(&admin.access)
        .send()
        .await
        .unwrap();
    expect_error(r, 400, "VALIDATION_ERROR").await;

    // Statistics.
    let stats: Value = answer(
        s.get("/api/admin/stats")
            .bearer(&admin.access)
            .send()
            .await
            .unwrap(),
    )
    .await
    .1;
    assert_eq!(stats["charts_total"], 2);
    assert_eq!(
        stats["charts_per_type"],
        json!([{ "type": "bar", "count": 2 }])
    );
    assert_eq!(stats["charts_per_day"].as_array().unwrap().len(), 1);
    assert_eq!(stats["charts_per_day"][0]["count"], 2);
    for p in ["p50", "p95", "p99"] {
        assert!(stats["render_ms"][p].is_u64(), "{stats}");
    }
    assert!(stats["storage_bytes"].as_u64().unwrap() > 1000);
    assert_eq!(stats["users_total"], 6);
    assert_eq!(stats["active_keys"], 2);

    // An admin's key needs the admin scope.
    let (_, admin_key) = create_key(&s, &admin.access, &["admin"]).await;
    assert_eq!(
        s.get("/api/admin/users")
            .api_key(&admin_key)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // Anonymous: 401.
    expect_error(
        s.get("/api/admin/stats").send().await.unwrap(),
        401,
        "UNAUTHORIZED",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn admin_create_command_makes_the_first_admin() {
    let dir = temp_dir("admincli");
    let run = |email: &str, password: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clovicharts"))
            .args(["admin", "create", "--email", email, "--name", "Root"])
            .env("DATA_DIR", &dir)
            .envs(crate::harness::test_db::database_url_for(&dir).map(|u| ("DATABASE_URL", u)))
            .env("RUST_LOG", "error")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run("Root@Example.com", PASSWORD);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("created root@example.com"));
    let short = run("root2@example.com", "short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("10 characters"));

    let s = TestServer::start_in(&dir, |_| {}).await;
    let admin = signed_in(login_with(&s, "root@example.com", PASSWORD).await).await;
    let me: Value = answer(s.get("/api/me").bearer(&admin.access).send().await.unwrap())
        .await
        .1;
    assert_eq!(me["user"]["role"], "admin");
    assert_eq!(
        s.get("/api/admin/users")
            .bearer(&admin.access)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    s.stop().await;

    // Running it again promotes and resets the password of the existing account.
    let out = run("root@example.com", "a brand new password");
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("promoted"),
        "{out:?}"
    );
}
