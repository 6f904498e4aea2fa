//! The OpenAPI document (`GET /api/openapi.json`), its snapshot (`docs/openapi.json`), the
//! route list checked against both the document and the live router, and the `/docs` page.

use crate::harness::{Authed as _, TestServer};
use serde_json::Value;
use std::collections::BTreeSet;

/// Every route the router serves, by hand. The document must list exactly these, and the live
/// server must match each one to its own template (seen in `/metrics`).
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/app"),
    ("GET", "/app/"),
    ("GET", "/app/{file}"),
    ("GET", "/health"),
    ("GET", "/livez"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/docs"),
    ("GET", "/docs/{script}"),
    ("GET", "/chart"),
    ("POST", "/chart"),
    ("POST", "/chart/create"),
    ("GET", "/chart/render/{id}"),
    ("GET", "/charts/{filename}"),
    ("GET", "/api/openapi.json"),
    ("POST", "/api/auth/register"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/refresh"),
    ("POST", "/api/auth/logout"),
    ("GET", "/api/auth/me"),
    ("GET", "/api/me"),
    ("GET", "/api/me/charts"),
    ("GET", "/api/keys"),
    ("POST", "/api/keys"),
    ("POST", "/api/keys/{id}/revoke"),
    ("DELETE", "/api/keys/{id}"),
    ("GET", "/api/admin/users"),
    ("GET", "/api/admin/users/{id}"),
    ("PATCH", "/api/admin/users/{id}"),
    ("POST", "/api/admin/users/{id}/overrides"),
    ("DELETE", "/api/admin/users/{id}/overrides"),
    ("GET", "/api/admin/stats"),
    ("GET", "/api/chart-types"),
    ("GET", "/api/chart-types/examples"),
    ("POST", "/api/charts/generate"),
    ("GET", "/api/charts/gallery"),
    ("POST", "/api/charts/recommend"),
    ("POST", "/api/charts/batch"),
    ("GET", "/api/charts/{id}"),
    ("DELETE", "/api/charts/{id}"),
];

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi.json");

fn document() -> Value {
    serde_json::from_str(&clovicharts::api::openapi_json()).unwrap()
}

/// `(METHOD, path)` of every operation in `doc`.
fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            ops.insert((method.to_uppercase(), path.clone()));
        }
    }
    ops
}

#[test]
fn the_document_matches_its_snapshot() {
    let text = clovicharts::api::openapi_json();
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(SNAPSHOT, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(SNAPSHOT).unwrap_or_default();
    if committed != text {
        let first = committed
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(committed.lines().count().min(text.lines().count()));
        panic!(
            "docs/openapi.json differs from the document the code builds (first at line {}: \
             committed {:?}, built {:?}); review the change and run \
             `UPDATE_SNAPSHOTS=1 cargo test --test http openapi` to update the snapshot",
            first + 1,
            committed.lines().nth(first).unwrap_or(""),
            text.lines().nth(first).unwrap_or("")
        );
    }
}

#[test]
fn the_document_lists_exactly_the_routes() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let listed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(listed.len(), ROUTES.len(), "a route is listed twice");
    let documented = operations(&doc);
    let missing: Vec<_> = listed.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&listed).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "not documented: {missing:?}; documented but not in ROUTES: {extra:?}"
    );
}

/// Routes reach the router only through `routes!` (their annotations), never a bare `.route`,
/// so none can be served without being in the document.
#[test]
fn every_route_is_registered_through_its_annotation() {
    fn walk(dir: &std::path::Path, offenders: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, offenders);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or("");
                    if [".route(", ".route_service(", ".nest_service("]
                        .iter()
                        .any(|p| code.contains(p))
                    {
                        offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    let mut offenders = Vec::new();
    walk(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/api")),
        &mut offenders,
    );
    assert!(offenders.is_empty(), "bare routes: {offenders:#?}");
}

#[test]
fn the_document_is_self_consistent() {
    let doc = document();
    let text = doc.to_string();
    // Every reference resolves.
    for (i, _) in text.match_indices("\"$ref\":\"#/") {
        let rest = &text[i + 9..];
        let target = &rest[..rest.find('"').unwrap()];
        let pointer = target.trim_start_matches('#');
        assert!(doc.pointer(pointer).is_some(), "dangling $ref {target}");
    }
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    for name in [
        "session_cookie",
        "bearer",
        "token_cookie",
        "api_key",
        "internal_secret",
        "internal_user",
    ] {
        assert!(schemes.contains_key(name), "scheme {name}");
    }
    assert_eq!(schemes["session_cookie"]["name"], "cl_session");
    assert_eq!(schemes["token_cookie"]["name"], "cc_token");
    assert_eq!(schemes["api_key"]["name"], "X-API-Key");
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            for req in op["security"].as_array().into_iter().flatten() {
                for name in req.as_object().unwrap().keys() {
                    assert!(schemes.contains_key(name), "{at}: unknown scheme {name}");
                }
            }
            let responses = op["responses"].as_object().unwrap();
            for status in ["500", "503"] {
                assert!(responses.contains_key(status), "{at}: no {status}");
            }
            let secured = op["security"].as_array().is_some_and(|r| {
                r.iter()
                    .any(|r| r.as_object().is_some_and(|o| !o.is_empty()))
            });
            // `/metrics` refuses with a 404 on purpose (it does not advertise itself).
            if secured && path != "/metrics" {
                assert!(responses.contains_key("401"), "{at}: no 401");
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "415"] {
                    assert!(responses.contains_key(status), "{at}: no {status}");
                }
            }
            if path.starts_with("/api/") {
                assert!(responses.contains_key("429"), "{at}: no 429");
            }
        }
    }
    // The error shapes of src/api/error.rs.
    let schemas = &doc["components"]["schemas"];
    for name in ["Error", "ValidationError", "Unauthorized"] {
        let required = schemas[name]["required"].as_array().unwrap();
        assert!(required.contains(&"error".into()) && required.contains(&"code".into()));
    }
    assert!(
        schemas["Unauthorized"]["required"]
            .as_array()
            .unwrap()
            .contains(&"login_url".into())
    );
}

/// `/api/charts/{id}` → `/api/charts/00000000-0000-0000-0000-000000000000`, and so on.
fn concrete(path: &str) -> String {
    path.replace("{id}", "00000000-0000-0000-0000-000000000000")
        .replace("{file}", "nope.js")
        .replace("{filename}", "nope.png")
        .replace("{script}", "nope.js")
}

/// The `{labels}` of a Prometheus sample line, as pairs.
fn labels(line: &str) -> Vec<(String, String)> {
    let Some(inner) = line
        .split_once('{')
        .and_then(|(_, rest)| rest.rsplit_once('}'))
        .map(|(inner, _)| inner)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut rest = inner;
    while let Some((key, after)) = rest.split_once("=\"") {
        let end = after.find('"').unwrap();
        out.push((
            key.trim_start_matches(',').to_owned(),
            after[..end].to_owned(),
        ));
        rest = &after[end + 1..];
    }
    out
}

#[tokio::test]
async fn the_live_router_matches_every_route_and_serves_the_document() {
    let s = TestServer::start().await;
    let served = s.get("/api/openapi.json").send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "application/json");
    let etag = served.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(
        served.text().await.unwrap(),
        clovicharts::api::openapi_json()
    );
    let again = s
        .get("/api/openapi.json")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    for (method, path) in ROUTES {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = s
            .client
            .request(method.clone(), s.url(&concrete(path)))
            .send()
            .await
            .unwrap();
        assert_ne!(r.status(), 405, "{method} {path}");
    }
    let metrics = s
        .get("/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let seen: BTreeSet<(String, String)> = metrics
        .lines()
        .filter(|l| l.starts_with("clovicharts_http_requests_total{"))
        .map(|l| {
            let ls = labels(l);
            let get = |k: &str| ls.iter().find(|(n, _)| n == k).unwrap().1.clone();
            (get("method"), get("route"))
        })
        .collect();
    for (method, path) in ROUTES {
        assert!(
            seen.contains(&((*method).to_owned(), (*path).to_owned())),
            "{method} {path} was not matched to its own route; seen: {seen:?}"
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn docs_page_embeds_the_viewer() {
    let s = TestServer::start().await;
    let page = s.get("/docs").send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'self'") && csp.contains("connect-src 'self'"));
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"spec-url="/api/openapi.json""#), "{html}");
    let script = html
        .split("<script src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(
        !script.contains("//"),
        "the viewer comes from this server: {script}"
    );
    let js = s.get(&script).send().await.unwrap();
    assert_eq!(js.status(), 200);
    assert_eq!(
        js.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        js.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let body = js.bytes().await.unwrap();
    assert!(body.len() > 100_000 && body.starts_with(b"/*! RapiDoc"));
    let other = s.get("/docs/other.js").send().await.unwrap();
    crate::harness::expect_error(other, 404, "NOT_FOUND").await;
    // Signed in or not, the same document.
    let signed_in = s.get("/api/openapi.json").user().send().await.unwrap();
    assert_eq!(signed_in.status(), 200);
    s.stop().await;
}
