//! Auth chain, rate limiting, traversal, caching and overload behaviour.

use crate::harness::{Authed as _, INTERNAL, JWT, TestServer, bar_spec, expect_error, temp_dir};
use base64::Engine as _;
use clovicharts::config::Secret;
use serde_json::{Value, json};

async fn me_status(s: &TestServer, headers: &[(&str, String)]) -> u16 {
    let mut req = s.get("/api/auth/me");
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn auth_chain_accepts_only_valid_credentials() {
    let s = TestServer::start().await;
    let body = expect_error(
        s.get("/api/auth/me").send().await.unwrap(),
        401,
        "UNAUTHORIZED",
    )
    .await;
    assert_eq!(body["error"], "Authentication required");
    assert_eq!(body["login_url"], "/app#signin");

    let good =
        clovicharts::api::auth::mint_session(&Secret::new(JWT), json!(5), "user", None, None, 60)
            .unwrap();
    assert_eq!(
        me_status(&s, &[("cookie", format!("cl_session={good}"))]).await,
        200
    );
    let forged = clovicharts::api::auth::mint_session(
        &Secret::new("wrong"),
        json!(5),
        "admin",
        None,
        None,
        60,
    )
    .unwrap();
    assert_eq!(
        me_status(&s, &[("cookie", format!("cl_session={forged}"))]).await,
        401
    );
    let expired =
        clovicharts::api::auth::mint_session(&Secret::new(JWT), json!(5), "user", None, None, -600)
            .unwrap();
    assert_eq!(
        me_status(&s, &[("cookie", format!("cl_session={expired}"))]).await,
        401
    );
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let none = format!(
        "{}.{}.",
        b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
        b64.encode(format!(
            r#"{{"id":1,"role":"super_admin","exp":{}}}"#,
            chrono::Utc::now().timestamp() + 600
        ))
    );
    assert_eq!(
        me_status(&s, &[("cookie", format!("cl_session={none}"))]).await,
        401
    );
    assert_eq!(
        me_status(&s, &[("cookie", "cl_session=garbage".into())]).await,
        401
    );

    // X-User-Id: never on its own, only with the right internal secret.
    assert_eq!(me_status(&s, &[("x-user-id", "7".into())]).await, 401);
    assert_eq!(
        me_status(
            &s,
            &[
                ("x-user-id", "7".into()),
                ("x-internal-secret", "nope".into())
            ]
        )
        .await,
        401
    );
    assert_eq!(
        me_status(
            &s,
            &[
                ("x-user-id", "7".into()),
                ("x-internal-secret", INTERNAL.into())
            ]
        )
        .await,
        200
    );
    let me: Value = s
        .get("/api/auth/me")
        .header("x-user-id", "7")
        .header("x-internal-secret", INTERNAL)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["id"], 7);
    assert_eq!(me["user"]["role"], "user");
    // An internal caller is never an admin: it cannot delete another user's chart.
    let other = s.generate(&bar_spec()).await;
    let r = s
        .client
        .delete(s.url(&format!(
            "/api/charts/{}",
            other["chart_id"].as_str().unwrap()
        )))
        .header("x-user-id", "1")
        .header("x-internal-secret", INTERNAL)
        .send()
        .await
        .unwrap();
    expect_error(r, 403, "FORBIDDEN").await;
    s.stop().await;

    // Without INTERNAL_SECRET configured the header path is off entirely.
    let s = TestServer::start_in(&temp_dir("nointernal"), |c| c.internal_secret = None).await;
    assert_eq!(me_status(&s, &[("x-user-id", "7".into())]).await, 401);
    assert_eq!(
        me_status(
            &s,
            &[("x-user-id", "7".into()), ("x-internal-secret", "".into())]
        )
        .await,
        401
    );
    s.stop().await;
}

#[tokio::test]
async fn rate_limit_answers_429_with_headers() {
    let s = TestServer::start_in(&temp_dir("ratelimit"), |c| c.rate_limit_per_min = 5).await;
    for i in 0..5 {
        let r = s.get("/api/chart-types").send().await.unwrap();
        assert_eq!(r.status(), 200, "request {i}");
        assert_eq!(r.headers()["ratelimit-limit"], "5");
        assert_eq!(
            r.headers()["ratelimit-remaining"].to_str().unwrap(),
            (4 - i).to_string()
        );
    }
    let r = s.get("/api/chart-types").send().await.unwrap();
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(r.headers()["ratelimit-remaining"], "0");
    assert!(r.headers().contains_key("ratelimit-reset"));
    expect_error(r, 429, "RATE_LIMIT").await;
    // Another client (a signed-in user is keyed by id) still has its budget; /health is not limited.
    assert_eq!(
        s.get("/api/chart-types")
            .user()
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(s.get("/health").send().await.unwrap().status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn static_files_are_confined_and_cacheable() {
    let s = TestServer::start().await;
    let b: Value = s.generate(&bar_spec()).await;
    let url = b["url"].as_str().unwrap();
    let first = s.client.get(url).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = s
        .client
        .get(url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(again.bytes().await.unwrap().is_empty());
    let stale = s
        .client
        .get(url)
        .header("if-none-match", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200);

    std::fs::write(s.data.join("secret.png"), b"outside the charts dir").unwrap();
    for path in [
        "/charts/..%2Fsecret.png",
        "/charts/%2e%2e%2fsecret.png",
        "/charts/..%2Fjwt_secret",
        "/charts/..%5Csecret.png",
        "/charts/clovicharts.db",
        "/charts/.hidden.png",
        "/charts/x.exe",
        // (`/charts/..` and `/charts/%2e%2e` are normalised by the client to `/`, which
        // redirects to `/app`; the escaped forms above reach the server as sent.)
        "/charts/missing.png",
    ] {
        let r = s.get(path).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    s.stop().await;
}

#[tokio::test]
async fn full_queue_answers_503_with_retry_after() {
    let s = TestServer::start_in(&temp_dir("overload"), |c| {
        c.render_workers = 1;
        c.render_queue = 1;
    })
    .await;
    // A heavy chart so the single worker stays busy while the burst arrives.
    let points: Vec<Value> = (0..40_000)
        .map(|i| json!({"x": i, "y": (i * 7919) % 1000}))
        .collect();
    let spec = json!({"type": "scatter", "data": {"datasets": [{"data": points}]}, "options": {"width": 2400, "height": 1600}});
    let body = serde_json::to_vec(&spec).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let req = s
            .client
            .post(s.url("/api/charts/generate"))
            .user()
            .header("content-type", "application/json")
            .body(body.clone());
        tasks.push(tokio::spawn(async move { req.send().await.unwrap() }));
    }
    let (mut ok, mut busy) = (0, 0);
    for t in tasks {
        let r = t.await.unwrap();
        match r.status().as_u16() {
            200 => ok += 1,
            503 => {
                assert_eq!(r.headers()["retry-after"], "1");
                expect_error(r, 503, "OVERLOADED").await;
                busy += 1;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(ok >= 1 && busy >= 1, "ok {ok}, 503 {busy}");
    // And the server is fine right after.
    assert_eq!(
        s.post_json("/api/charts/generate", &bar_spec())
            .user()
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    s.stop().await;
}
