//! Limits shared between instances through Redis (`REDIS_URL`), and what happens when Redis is
//! unreachable (`REDIS_FAILURE`).
//!
//! The tests that need a real Redis read its URL from `CLOVICHARTS_TEST_REDIS_URL` (CI sets
//! it to the Redis on 127.0.0.1:6379, see `.ci/run`); without it they report as *ignored*. The
//! harness is libtest-mimic's for that reason, as in `tests/gpu.rs`. Each test writes under a
//! key prefix of its own (process id and a random number), so runs never share a key. The
//! failure tests point at a closed port or a listener that never answers, and always run.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

#[path = "common/mod.rs"]
mod common;
#[allow(
    dead_code,
    reason = "the HTTP suite's harness, of which these tests use a part"
)]
#[path = "http/harness.rs"]
mod harness;

use clovicharts::config::{Config, RedisConfig, RedisFailure, Secret};
use clovicharts::shared::Shared;
use clovicharts::shared::gcra::{Decision, Gcra};
use clovicharts::shared::window::Windows;
use harness::{TestServer, expect_error, temp_dir};
use libtest_mimic::{Arguments, Trial};
use serde_json::json;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// The variable that names the Redis of the tests.
const REDIS_ENV: &str = "CLOVICHARTS_TEST_REDIS_URL";
/// The password of the accounts the login tests create.
const PASSWORD: &str = "correct horse battery";
/// A port nothing listens on.
const CLOSED: &str = "redis://127.0.0.1:1";

type TestFuture = Pin<Box<dyn Future<Output = ()>>>;
/// A test: its name, whether it needs Redis, and its body (given the Redis URL, if any).
type RedisTest = (&'static str, bool, fn(Option<String>) -> TestFuture);

fn main() {
    let args = Arguments::from_args();
    let url = std::env::var(REDIS_ENV)
        .ok()
        .filter(|u| !u.trim().is_empty());
    if url.is_none() {
        eprintln!("{REDIS_ENV} is unset: the tests that need Redis are ignored");
    }
    let tests: [RedisTest; 8] = [
        ("gcra_burst_and_refill", true, |u| {
            Box::pin(gcra_burst_and_refill(u))
        }),
        ("window_reserve_and_release", true, |u| {
            Box::pin(window_reserve_and_release(u))
        }),
        ("two_instances_share_a_30_per_minute_limit", true, |u| {
            Box::pin(two_instances_share_a_30_per_minute_limit(u))
        }),
        ("two_instances_share_the_login_throttle", true, |u| {
            Box::pin(two_instances_share_the_login_throttle(u))
        }),
        ("answers_keep_their_shape_with_redis", true, |u| {
            Box::pin(answers_keep_their_shape_with_redis(u))
        }),
        (
            "failure_open_serves_with_local_limits_and_counts",
            false,
            |_| Box::pin(failure_open_serves_with_local_limits_and_counts()),
        ),
        ("failure_closed_answers_503_with_retry_after", false, |_| {
            Box::pin(failure_closed_answers_503_with_retry_after())
        }),
        (
            "a_hanging_redis_costs_one_timeout_not_a_hang",
            false,
            |_| Box::pin(a_hanging_redis_costs_one_timeout_not_a_hang()),
        ),
    ];
    let trials = tests
        .into_iter()
        .map(|(name, needs_redis, test)| {
            let url = url.clone();
            let ignored = needs_redis && url.is_none();
            Trial::test(name, move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(test(url));
                Ok(())
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

/// A key prefix no other run or test shares.
fn prefix(test: &str) -> String {
    format!(
        "clovicharts-test:{}-{:08x}:{test}",
        std::process::id(),
        rand::random::<u32>()
    )
}

fn redis_at(url: &str, prefix: &str, failure: RedisFailure) -> RedisConfig {
    RedisConfig {
        key_prefix: prefix.to_owned(),
        failure,
        ..RedisConfig::at(url)
    }
}

/// Two servers sharing `redis`, each with a data dir of its own.
async fn two_servers(redis: &RedisConfig, tweak: fn(&mut Config)) -> (TestServer, TestServer) {
    let start = |name| {
        let redis = redis.clone();
        async move {
            TestServer::start_in(&temp_dir(name), move |c| {
                c.redis = redis;
                c.accounts.auth_jwt_secret = Some(Secret::new("test-auth-secret-9876543210"));
                tweak(c);
            })
            .await
        }
    };
    (start("redis-a").await, start("redis-b").await)
}

/// The value of a counter with `labels` in `/metrics` (0 when absent).
async fn counter(s: &TestServer, name: &str, labels: &str) -> f64 {
    let text = s
        .get("/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let series = format!("{name}{{{labels}}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&series))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

async fn login(s: &TestServer, email: &str, password: &str) -> reqwest::Response {
    s.post_json(
        "/api/auth/login",
        &json!({ "email": email, "password": password }),
    )
    .send()
    .await
    .unwrap()
}

async fn register(s: &TestServer, email: &str) {
    let r = s
        .post_json(
            "/api/auth/register",
            &json!({ "email": email, "password": PASSWORD }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "register {email} on {}", s.base);
}

/// The GCRA's arithmetic on a fixed clock: a burst of the whole quota, then one request per
/// emission interval, a wait that says when, and a full budget once the interval × quota has
/// passed.
async fn gcra_burst_and_refill(url: Option<String>) {
    let url = url.unwrap();
    let shared = Shared::connect(&redis_at(&url, &prefix("gcra"), RedisFailure::Closed))
        .unwrap()
        .unwrap();
    let gcra = Gcra::new();
    let key = shared.key(&["rl", "6", "ip:192.0.2.1"]);
    let t0: u64 = 1_800_000_000_000_000;
    let s = 1_000_000;
    let check = |at: u64| gcra.check(&shared, &key, 6, Some(at));
    // 6 a minute: a burst of 6, one back every 10 s.
    for left in (0..6).rev() {
        assert_eq!(
            check(t0).await.unwrap(),
            Decision::Allowed { remaining: left }
        );
    }
    let wait = |d: Decision| match d {
        Decision::Limited { retry_after } => retry_after,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(wait(check(t0).await.unwrap()), Duration::from_secs(10));
    assert_eq!(
        wait(check(t0 + 4 * s).await.unwrap()),
        Duration::from_secs(6)
    );
    // A refusal does not count: the slot is back at +10 s, and only that one.
    assert_eq!(
        check(t0 + 10 * s).await.unwrap(),
        Decision::Allowed { remaining: 0 }
    );
    assert_eq!(
        wait(check(t0 + 10 * s).await.unwrap()),
        Duration::from_secs(10)
    );
    // At +45 s the TAT is +70 s; this request moves it to +80 s, 35 s ahead: 2 more fit.
    assert_eq!(
        check(t0 + 45 * s).await.unwrap(),
        Decision::Allowed { remaining: 2 }
    );
    // After a full minute of quiet, the whole burst again.
    assert_eq!(
        check(t0 + 200 * s).await.unwrap(),
        Decision::Allowed { remaining: 5 }
    );
    // Another tier or key is independent; the key expires once its budget is full again.
    let other = shared.key(&["rl", "6", "ip:192.0.2.2"]);
    assert_eq!(
        gcra.check(&shared, &other, 6, Some(t0 + 200 * s))
            .await
            .unwrap(),
        Decision::Allowed { remaining: 5 }
    );
    let ttl: i64 = shared
        .call(|mut c| async move { redis::cmd("PTTL").arg(&other).query_async(&mut c).await })
        .await
        .unwrap();
    assert!((1..=10_000).contains(&ttl), "ttl {ttl} ms");
    // On Redis's own clock (no time given), a fresh key starts with a full burst.
    let live = shared.key(&["rl", "2", "ip:192.0.2.3"]);
    for left in [1, 0] {
        assert_eq!(
            gcra.check(&shared, &live, 2, None).await.unwrap(),
            Decision::Allowed { remaining: left }
        );
    }
    let w = wait(gcra.check(&shared, &live, 2, None).await.unwrap());
    assert!(
        w > Duration::from_secs(25) && w <= Duration::from_secs(30),
        "{w:?}"
    );
}

/// The login windows on a fixed clock: limits per key, the wait until the oldest failure that
/// counts leaves the window, and reservations given back.
async fn window_reserve_and_release(url: Option<String>) {
    let url = url.unwrap();
    let shared = Shared::connect(&redis_at(&url, &prefix("window"), RedisFailure::Closed))
        .unwrap()
        .unwrap();
    let windows = Windows::new(Duration::from_secs(900));
    let (a, ip) = (
        shared.key(&["login", "a", "x"]),
        shared.key(&["login", "ip", "y"]),
    );
    let keys = [(a.clone(), 3), (ip.clone(), 5)];
    let t0 = 1_800_000_000_000;
    for i in 0..3 {
        let member = format!("m{i}");
        let r = windows.reserve(&shared, &keys, &member, 5, Some(t0 + i * 1000));
        assert_eq!(r.await.unwrap(), Ok(()));
    }
    // The 4th within the window waits until the 1st (at t0) is 15 minutes old.
    let r = windows.reserve(&shared, &keys, "m3", 5, Some(t0 + 60_000));
    assert_eq!(r.await.unwrap(), Err(Duration::from_millis(840_000)));
    // Giving one back makes room for exactly one.
    windows
        .release(&shared, &[&a, &ip], "m2", None)
        .await
        .unwrap();
    let r = windows.reserve(&shared, &keys, "m4", 5, Some(t0 + 61_000));
    assert_eq!(r.await.unwrap(), Ok(()));
    let r = windows.reserve(&shared, &keys, "m5", 5, Some(t0 + 62_000));
    assert!(r.await.unwrap().is_err());
    // A success clears the account and gives the address its slot back: the address holds 2
    // of 5, so 3 more fit (the account's 3 too), then both are full.
    windows
        .release(&shared, &[&ip], "m4", Some(&a))
        .await
        .unwrap();
    for i in 0..3 {
        let member = format!("n{i}");
        let r = windows.reserve(&shared, &keys, &member, 5, Some(t0 + 63_000));
        assert_eq!(r.await.unwrap(), Ok(()));
    }
    let r = windows.reserve(&shared, &keys, "n3", 5, Some(t0 + 63_000));
    assert_eq!(r.await.unwrap(), Err(Duration::from_millis(900_000)));
    // Past the window everything is forgotten.
    let r = windows.reserve(&shared, &keys, "n4", 5, Some(t0 + 901_000 + 63_000));
    assert_eq!(r.await.unwrap(), Ok(()));
}

/// The acceptance: 30 a minute over two instances lets at most 30 of 40 through.
async fn two_instances_share_a_30_per_minute_limit(url: Option<String>) {
    let redis = redis_at(&url.unwrap(), &prefix("rl"), RedisFailure::Closed);
    let (a, b) = two_servers(&redis, |c| c.rate_limit_per_min = 30).await;
    let started = Instant::now();
    let (mut ok, mut limited) = (0u32, 0u32);
    for i in 0..40 {
        let s = if i % 2 == 0 { &a } else { &b };
        let r = s.get("/api/chart-types").send().await.unwrap();
        match r.status().as_u16() {
            200 => ok += 1,
            429 => {
                limited += 1;
                expect_error(r, 429, "RATE_LIMIT").await;
            }
            other => panic!("request {i}: status {other}"),
        }
    }
    // One slot refills every 2 s: a slow machine may earn one more.
    let refilled = (started.elapsed().as_secs() / 2) as u32;
    assert!(
        (30..=30 + refilled).contains(&ok),
        "{ok} passed, {limited} limited"
    );
    assert_eq!(ok + limited, 40);
    a.stop().await;
    b.stop().await;
}

/// Failed logins count over both instances: 5 per account, spread over A and B, lock it on both.
async fn two_instances_share_the_login_throttle(url: Option<String>) {
    let redis = redis_at(&url.unwrap(), &prefix("login"), RedisFailure::Closed);
    let (a, b) = two_servers(&redis, |_| {}).await;
    for s in [&a, &b] {
        register(s, "victim@example.com").await;
        register(s, "other@example.com").await;
    }
    for i in 0..5 {
        let s = if i % 2 == 0 { &a } else { &b };
        assert_eq!(
            login(s, "victim@example.com", "wrong guess x")
                .await
                .status(),
            401
        );
    }
    for s in [&a, &b] {
        let r = login(s, "victim@example.com", PASSWORD).await;
        let retry: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((60..=900).contains(&retry), "{retry}");
        expect_error(r, 429, "RATE_LIMIT").await;
    }
    // Other accounts from the same address are not locked (20 per address).
    assert_eq!(login(&b, "other@example.com", PASSWORD).await.status(), 200);
    a.stop().await;
    b.stop().await;
}

/// With Redis the rate-limit headers and bodies are those of the in-process limiter.
async fn answers_keep_their_shape_with_redis(url: Option<String>) {
    let redis = redis_at(&url.unwrap(), &prefix("shape"), RedisFailure::Closed);
    let s = TestServer::start_in(&temp_dir("redis-shape"), move |c| {
        c.redis = redis;
        c.rate_limit_per_min = 5;
    })
    .await;
    for i in 0..5 {
        let r = s.get("/api/chart-types").send().await.unwrap();
        assert_eq!(r.status(), 200, "request {i}");
        assert_eq!(r.headers()["ratelimit-limit"], "5");
        assert_eq!(
            r.headers()["ratelimit-remaining"],
            (4 - i).to_string().as_str()
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
    let body = expect_error(r, 429, "RATE_LIMIT").await;
    assert!(
        body["error"].as_str().unwrap().contains("5 per minute"),
        "{body}"
    );
    s.stop().await;
}

/// `REDIS_FAILURE=open` with Redis unreachable: requests are served under the per-instance
/// limits, and each such decision is counted.
async fn failure_open_serves_with_local_limits_and_counts() {
    let redis = redis_at(CLOSED, &prefix("open"), RedisFailure::Open);
    let s = TestServer::start_in(&temp_dir("redis-open"), move |c| {
        c.redis = redis;
        c.rate_limit_per_min = 3;
        c.accounts.auth_jwt_secret = Some(Secret::new("test-auth-secret-9876543210"));
    })
    .await;
    let metric = "clovicharts_redis_fallback_total";
    let before = counter(&s, metric, "limit=\"rate_limit\"").await;
    for i in 0..3 {
        let r = s.get("/api/chart-types").send().await.unwrap();
        assert_eq!(r.status(), 200, "request {i}");
        assert_eq!(r.headers()["ratelimit-limit"], "3");
    }
    let r = s.get("/api/chart-types").send().await.unwrap();
    expect_error(r, 429, "RATE_LIMIT").await;
    let after = counter(&s, metric, "limit=\"rate_limit\"").await;
    assert!(after >= before + 4.0, "{metric}: {before} -> {after}");
    // The login throttle falls back too: registering and signing in work.
    let signed = TestServer::start_in(&temp_dir("redis-open-login"), |c| {
        c.redis = redis_at(CLOSED, &prefix("open-login"), RedisFailure::Open);
        c.accounts.auth_jwt_secret = Some(Secret::new("test-auth-secret-9876543210"));
    })
    .await;
    register(&signed, "ada@example.com").await;
    assert_eq!(
        login(&signed, "ada@example.com", PASSWORD).await.status(),
        200
    );
    assert!(counter(&signed, metric, "limit=\"login\"").await >= 1.0);
    s.stop().await;
    signed.stop().await;
}

/// `REDIS_FAILURE=closed` with Redis unreachable: limited routes answer 503 in the error shape
/// with `Retry-After`; routes without limits are served; so does a login (its throttle is shared
/// too) on a server whose rate limits are off.
async fn failure_closed_answers_503_with_retry_after() {
    let s = TestServer::start_in(&temp_dir("redis-closed"), |c| {
        c.redis = redis_at(CLOSED, &prefix("closed"), RedisFailure::Closed);
        c.rate_limit_per_min = 30;
    })
    .await;
    for _ in 0..3 {
        let r = s.get("/api/chart-types").send().await.unwrap();
        assert_eq!(r.headers()["retry-after"], "1");
        let body = expect_error(r, 503, "RATE_LIMIT_UNAVAILABLE").await;
        assert!(body["error"].is_string(), "{body}");
    }
    assert_eq!(s.get("/health").send().await.unwrap().status(), 200);
    assert_eq!(s.get("/livez").send().await.unwrap().status(), 200);
    let refused = counter(
        &s,
        "clovicharts_redis_refused_total",
        "limit=\"rate_limit\"",
    )
    .await;
    assert!(refused >= 3.0, "{refused}");
    s.stop().await;
    let t = TestServer::start_in(&temp_dir("redis-closed-login"), |c| {
        c.redis = redis_at(CLOSED, &prefix("closed-login"), RedisFailure::Closed);
        c.rate_limit_per_min = 0;
        c.accounts.auth_jwt_secret = Some(Secret::new("test-auth-secret-9876543210"));
    })
    .await;
    assert_eq!(
        t.get("/api/chart-types").send().await.unwrap().status(),
        200
    );
    register(&t, "ada@example.com").await;
    let r = login(&t, "ada@example.com", PASSWORD).await;
    assert_eq!(r.headers()["retry-after"], "1");
    expect_error(r, 503, "RATE_LIMIT_UNAVAILABLE").await;
    t.stop().await;
}

/// A Redis that accepts connections and never answers costs a request the timeout (200 ms),
/// and while it stays silent later requests skip it instead of waiting again.
async fn a_hanging_redis_costs_one_timeout_not_a_hang() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let url = format!("redis://{addr}");
    let s = TestServer::start_in(&temp_dir("redis-hang"), move |c| {
        c.redis = redis_at(&url, &prefix("hang"), RedisFailure::Open);
        c.rate_limit_per_min = 100;
    })
    .await;
    let started = Instant::now();
    for i in 0..10 {
        let r = s.get("/api/chart-types").send().await.unwrap();
        assert_eq!(r.status(), 200, "request {i}");
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "10 requests took {took:?}");
    s.stop().await;
    silent.abort();
}
