//! The web app's files at `/app`: embedded, linked by content hash, cached by validators.

use crate::harness::{TestServer, expect_error};

#[tokio::test]
async fn app_assets_are_cached_by_hash_and_etag() {
    let s = TestServer::start().await;
    let page = s.get("/app").send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-cache");
    assert!(
        page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'")
    );
    let etag = page.headers()["etag"].to_str().unwrap().to_owned();
    let html = page.text().await.unwrap();
    let again = s
        .get("/app")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    for name in ["app.js", "builder.js", "app.css"] {
        let start = html.find(&format!("/app/{name}?v=")).unwrap();
        let href = &html[start..];
        let href = &href[..href.find('"').unwrap()];
        let r = s.get(href).send().await.unwrap();
        assert_eq!(r.status(), 200, "{href}");
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        let stale = s.get(&format!("/app/{name}?v=0")).send().await.unwrap();
        assert_eq!(stale.headers()["cache-control"], "no-cache");
    }
    let js = s.get("/app/app.js").send().await.unwrap();
    assert!(
        js.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    expect_error(
        s.get("/app/nope.js").send().await.unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
    expect_error(
        s.get("/app/..%2fCargo.toml").send().await.unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
    s.stop().await;
}
