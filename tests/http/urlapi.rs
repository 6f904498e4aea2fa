//! QuickChart's URL API (`/chart`, `/chart/create`, `/chart/render/{id}`) through the real
//! server: both wire forms, JavaScript-literal configs with functions, size, background and
//! format, errors with `X-quickchart-error`, ETag/304, short URLs and their expiry, auth modes.

use crate::account_client::{create_key, register, server};
use crate::common::decode;
use crate::harness::{TestServer, expect_error, temp_dir};
use serde_json::{Value, json};
use std::time::Duration;

/// A Chart.js 2 bar config, as QuickChart's docs write them.
fn bar() -> Value {
    json!({
        "type": "bar",
        "data": {"labels": ["Q1", "Q2", "Q3"], "datasets": [{"label": "Users", "data": [50, 60, 70]}]}
    })
}

/// The same chart as a JavaScript object literal with a tick callback.
const JS_BAR: &str = "{type: 'bar', data: {labels: ['Q1', 'Q2', 'Q3'], \
    datasets: [{label: 'Users', data: [50, 60, 70],},]}, \
    options: {scales: {yAxes: [{ticks: {callback: function(value) { return '$' + value; }}}]}}}";

/// `/chart?query`, encoded as the clients encode it.
fn chart_url(s: &TestServer, query: &[(&str, &str)]) -> reqwest::Url {
    reqwest::Url::parse_with_params(&s.url("/chart"), query).unwrap()
}

async fn get_chart(s: &TestServer, query: &[(&str, &str)]) -> reqwest::Response {
    s.client.get(chart_url(s, query)).send().await.unwrap()
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let img = decode(bytes);
    (img.width, img.height)
}

#[tokio::test]
async fn get_renders_json_and_javascript_literals() {
    let s = TestServer::start().await;
    let c = bar().to_string();
    let r = get_chart(&s, &[("c", c.as_str())]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("public, max-age=")
    );
    let bytes = r.bytes().await.unwrap();
    // QuickChart's defaults: 500 × 300 at devicePixelRatio 2, a transparent canvas.
    let img = decode(&bytes);
    assert_eq!((img.width, img.height), (1000, 600));
    assert_eq!(img.data[3], 0, "the corner is transparent");

    let r = get_chart(
        &s,
        &[
            ("c", JS_BAR),
            ("w", "400"),
            ("h", "250"),
            ("devicePixelRatio", "1"),
        ],
    )
    .await;
    assert_eq!(
        r.status(),
        200,
        "{:?}",
        r.headers().get("x-quickchart-error")
    );
    assert_eq!(png_size(&r.bytes().await.unwrap()), (400, 250));

    // An arrow function (as quickchart-js emits) and the long parameter names.
    let arrow = "{type:'line',data:{labels:[1,2],datasets:[{data:[1,2]}]},\
                 options:{plugins:{tooltip:{callbacks:{label:(ctx) => ctx.raw + '%'}}}}}";
    let r = get_chart(
        &s,
        &[
            ("chart", arrow),
            ("width", "300"),
            ("height", "200"),
            ("format", "webp"),
        ],
    )
    .await;
    assert_eq!(
        r.status(),
        200,
        "{:?}",
        r.headers().get("x-quickchart-error")
    );
    assert_eq!(r.headers()["content-type"], "image/webp");
    assert_eq!(&r.bytes().await.unwrap()[..4], b"RIFF");
    s.stop().await;
}

#[tokio::test]
async fn post_takes_objects_and_strings_and_honours_size_background_format() {
    let s = TestServer::start().await;
    let body = json!({"chart": bar(), "width": 320, "height": 180, "devicePixelRatio": 1,
                      "backgroundColor": "#ff0000", "format": "png"});
    let r = s.post_json("/chart", &body).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let img = decode(&r.bytes().await.unwrap());
    assert_eq!((img.width, img.height), (320, 180));
    assert_eq!(
        &img.data[..4],
        &[255, 0, 0, 255],
        "the background is the one asked for"
    );

    // The string form the official clients send, with an inlined function.
    let body = json!({"chart": JS_BAR, "width": 500, "height": 300, "devicePixelRatio": 1.0,
                      "backgroundColor": "#ffffff", "format": "png", "version": "2.9.4"});
    let r = s.post_json("/chart", &body).send().await.unwrap();
    assert_eq!(
        r.status(),
        200,
        "{:?}",
        r.headers().get("x-quickchart-error")
    );
    let img = decode(&r.bytes().await.unwrap());
    assert_eq!((img.width, img.height), (500, 300));
    assert_eq!(&img.data[..4], &[255, 255, 255, 255]);

    for (format, mime, magic) in [
        ("svg", "image/svg+xml", &b"<svg"[..]),
        ("pdf", "application/pdf", &b"%PDF"[..]),
        ("jpg", "image/jpeg", &[0xFF, 0xD8][..]),
    ] {
        let body = json!({"chart": bar(), "format": format});
        let r = s.post_json("/chart", &body).send().await.unwrap();
        assert_eq!(r.status(), 200, "{format}");
        assert_eq!(r.headers()["content-type"], mime);
        let bytes = r.bytes().await.unwrap();
        let text_start = bytes.windows(magic.len()).position(|w| w == magic);
        assert!(
            text_start.is_some_and(|p| p < 64),
            "{format} starts with its magic"
        );
    }

    // `format=base64`: the PNG as a data URI, in plain text, with its own ETag.
    let png = get_chart(&s, &[("c", &bar().to_string()), ("devicePixelRatio", "1")]).await;
    let png_tag = png.headers()["etag"].clone();
    let png = png.bytes().await.unwrap();
    let r = get_chart(
        &s,
        &[
            ("c", &bar().to_string()),
            ("devicePixelRatio", "1"),
            ("f", "base64"),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_ne!(r.headers()["etag"], png_tag);
    let text = r.text().await.unwrap();
    let b64 = text.strip_prefix("data:image/png;base64,").unwrap();
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(decoded, png.to_vec(), "the same PNG as format=png");
    s.stop().await;
}

#[tokio::test]
async fn broken_configs_are_400_with_x_quickchart_error() {
    let s = TestServer::start().await;
    for (query, want) in [
        (vec![("c", "{type: 'bar', data: ")], "neither JSON nor"),
        (
            vec![(
                "c",
                r#"{"type": "nonsense", "data": {"datasets": [{"data": [1]}]}}"#,
            )],
            "nonsense",
        ),
        (vec![("w", "100")], "no chart"),
        (vec![("c", "{type:'bar'}"), ("w", "wide")], "width"),
    ] {
        let r = get_chart(&s, &query).await;
        let header = r.headers()["x-quickchart-error"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(header.is_ascii() && header.len() <= 300);
        assert!(header.contains(want), "{header:?} should mention {want:?}");
        expect_error(
            r,
            400,
            if want == "nonsense" {
                "INVALID_CHART_TYPE"
            } else {
                "VALIDATION_ERROR"
            },
        )
        .await;
    }
    let r = s
        .post_json(
            "/chart",
            &json!({"chart": {"type": "bar", "data": {"datasets": [{"data": ["\u{e9}x"]}]}}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers()["x-quickchart-error"].to_str().is_ok());
    // A body that is not JSON is answered in the same shape.
    let r = s
        .client
        .post(s.url("/chart"))
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert!(r.headers().contains_key("x-quickchart-error"));
    expect_error(r, 400, "VALIDATION_ERROR").await;
    s.stop().await;
}

#[tokio::test]
async fn etags_follow_the_chart_and_if_none_match_is_304() {
    let s = TestServer::start().await;
    let c = bar().to_string();
    let r = get_chart(&s, &[("c", c.as_str())]).await;
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10);
    // The same chart spelled as a JavaScript literal has the same tag.
    let literal =
        "{type:'bar',data:{labels:['Q1','Q2','Q3'],datasets:[{label:'Users',data:[50,60,70]}]}}";
    let r = get_chart(&s, &[("c", literal)]).await;
    assert_eq!(r.headers()["etag"], etag.as_str());
    let r = s
        .client
        .get(chart_url(&s, &[("c", c.as_str())]))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(r.headers()["etag"], etag.as_str());
    assert!(r.bytes().await.unwrap().is_empty());
    let r = get_chart(&s, &[("c", c.as_str()), ("w", "501")]).await;
    assert_ne!(
        r.headers()["etag"],
        etag.as_str(),
        "another size is another image"
    );
    s.stop().await;
}

#[tokio::test]
async fn short_urls_serve_the_chart_until_they_expire() {
    let s = TestServer::start_in(&temp_dir("urlapi"), |c| {
        c.url_api.short_url_ttl = Duration::from_millis(1500);
    })
    .await;
    let body = json!({"chart": JS_BAR, "width": 300, "height": 200, "devicePixelRatio": 1});
    let r = s.post_json("/chart/create", &body).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["success"], true);
    let url = created["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with(&format!("{}/chart/render/", s.base)),
        "{url}"
    );
    let r = s.client.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(png_size(&r.bytes().await.unwrap()), (300, 200));
    // Nothing went to the gallery.
    let gallery = s.get_json("/api/charts/gallery").await;
    assert_eq!(gallery["total"], 0, "{gallery}");

    // A broken chart fails at creation, not on first view.
    let r = s
        .post_json("/chart/create", &json!({"chart": "{type: 'bar'"}))
        .send()
        .await
        .unwrap();
    assert!(r.headers().contains_key("x-quickchart-error"));
    expect_error(r, 400, "VALIDATION_ERROR").await;

    tokio::time::sleep(Duration::from_millis(1700)).await;
    expect_error(s.client.get(&url).send().await.unwrap(), 404, "NOT_FOUND").await;
    let unknown = s.url("/chart/render/0000000000000000000000");
    expect_error(
        s.client.get(&unknown).send().await.unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
    expect_error(
        s.get("/chart/render/..%2F..%2Fetc").send().await.unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn key_mode_needs_one_of_our_keys() {
    let s = server(|c| c.url_api.auth = clovicharts::config::urlapi::UrlApiAuth::Key).await;
    let c = bar().to_string();
    let r = get_chart(&s, &[("c", c.as_str())]).await;
    assert!(r.headers().contains_key("x-quickchart-error"));
    expect_error(r, 401, "UNAUTHORIZED").await;
    let r = get_chart(&s, &[("c", c.as_str()), ("key", "cc_live_notakey")]).await;
    expect_error(r, 401, "UNAUTHORIZED").await;

    let account = register(&s, "qc@example.com").await;
    let (_, key) = create_key(&s, &account.access, &["charts:read"]).await;
    let r = get_chart(&s, &[("c", c.as_str()), ("key", key.as_str())]).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("private")
    );
    let body = json!({"chart": bar(), "key": key});
    assert_eq!(
        s.post_json("/chart", &body).send().await.unwrap().status(),
        200
    );
    // Making a stored link takes a key that may write.
    let r = s.post_json("/chart/create", &body).send().await.unwrap();
    expect_error(r, 403, "FORBIDDEN").await;
    let (_, writer) = create_key(&s, &account.access, &["charts:write"]).await;
    let body = json!({"chart": bar(), "key": writer});
    let r = s.post_json("/chart/create", &body).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let url = r.json::<Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    // The link itself is the permission.
    assert_eq!(s.client.get(&url).send().await.unwrap().status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn public_mode_is_rate_limited_per_address() {
    let s = TestServer::start_in(&temp_dir("urlapi-limit"), |c| c.rate_limit_per_min = 2).await;
    let c = bar().to_string();
    assert_eq!(get_chart(&s, &[("c", c.as_str())]).await.status(), 200);
    assert_eq!(get_chart(&s, &[("c", c.as_str())]).await.status(), 200);
    let r = get_chart(&s, &[("c", c.as_str())]).await;
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.headers().contains_key("x-quickchart-error"));
    expect_error(r, 429, "RATE_LIMIT").await;
    s.stop().await;
}

#[tokio::test]
async fn signed_mode_takes_an_hmac_of_the_query_instead_of_the_key() {
    use hmac::Mac as _;
    use sha2::Digest as _;
    let s = server(|c| c.url_api.auth = clovicharts::config::urlapi::UrlApiAuth::Signed).await;
    let account = register(&s, "signer@example.com").await;
    let (key_id, key) = create_key(&s, &account.access, &["charts:read"]).await;
    // The signing secret is the hex SHA-256 of the key; the signature covers the sorted,
    // RFC 3986-encoded query without `sig`.
    let secret: String = sha2::Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let c = "{type:'bar',data:{labels:['a'],datasets:[{data:[1]}]}}";
    let pairs = vec![
        ("c".to_owned(), c.to_owned()),
        ("w".to_owned(), "200".to_owned()),
        ("key_id".to_owned(), key_id.clone()),
    ];
    let canonical = clovicharts::urlapi::signed::canonical_query(&pairs);
    assert!(canonical.starts_with("c=%7Btype%3A%27bar%27") && canonical.ends_with("&w=200"));
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(canonical.as_bytes());
    let sig: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let signed = [
        ("c", c),
        ("w", "200"),
        ("key_id", key_id.as_str()),
        ("sig", sig.as_str()),
    ];
    let r = get_chart(&s, &signed).await;
    assert_eq!(
        r.status(),
        200,
        "{:?}",
        r.headers().get("x-quickchart-error")
    );
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("private")
    );

    // Another width under the same signature, a forged signature, no signature: refused.
    let tampered = [
        ("c", c),
        ("w", "900"),
        ("key_id", key_id.as_str()),
        ("sig", sig.as_str()),
    ];
    expect_error(get_chart(&s, &tampered).await, 401, "UNAUTHORIZED").await;
    let forged = "0".repeat(64);
    let forged = [
        ("c", c),
        ("w", "200"),
        ("key_id", key_id.as_str()),
        ("sig", forged.as_str()),
    ];
    expect_error(get_chart(&s, &forged).await, 401, "UNAUTHORIZED").await;
    expect_error(get_chart(&s, &[("c", c)]).await, 401, "UNAUTHORIZED").await;
    // A repeated parameter is refused rather than read two ways.
    let twice = [
        ("c", c),
        ("w", "200"),
        ("w", "900"),
        ("key_id", key_id.as_str()),
        ("sig", sig.as_str()),
    ];
    expect_error(get_chart(&s, &twice).await, 401, "UNAUTHORIZED").await;
    // The key itself still works (e.g. from a server-side client).
    assert_eq!(
        get_chart(&s, &[("c", c), ("key", key.as_str())])
            .await
            .status(),
        200
    );

    // A revoked key's signatures stop working.
    let r = s
        .client
        .post(s.url(&format!("/api/keys/{key_id}/revoke")))
        .bearer_auth(&account.access)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    expect_error(get_chart(&s, &signed).await, 401, "UNAUTHORIZED").await;
    s.stop().await;
}
