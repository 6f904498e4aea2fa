//! Every route's success shape and client errors.

use crate::harness::{Authed as _, TestServer, bar_spec, expect_error};
use serde_json::{Value, json};

#[tokio::test]
async fn health_has_reference_fields_plus_renderer_and_store() {
    let s = TestServer::start().await;
    let r = s.get("/health").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let h: Value = r.json().await.unwrap();
    assert_eq!(h["status"], "ok");
    assert_eq!(h["service"], "CloviCharts");
    assert!(h["version"].is_string());
    assert!(h["port"].is_u64());
    assert_eq!(h["charts_rendered"], 0);
    assert!(h["uptime_seconds"].is_u64());
    assert_eq!(h["supported_types"], 15);
    assert!(h["output_dir"].as_str().unwrap().ends_with("charts"));
    assert_eq!(h["renderer"]["backend"], "cpu");
    assert_eq!(h["renderer"]["adapter"], "vello_cpu");
    assert_eq!(h["store"]["kind"], crate::common::test_db::expected_kind());
    s.stop().await;
}

#[tokio::test]
async fn chart_types_catalog_and_examples_render() {
    let s = TestServer::start().await;
    let cat: Value = s.get_json("/api/chart-types").await;
    assert_eq!(cat["total"], 15);
    assert!(cat["engine"].as_str().unwrap().contains("clovicharts"));
    assert!(cat["version"].is_string());
    let types = cat["chart_types"].as_array().unwrap();
    assert_eq!(types.len(), 15);
    for t in types {
        assert!(t["type"].is_string() && t["label"].is_string());
        assert_eq!(t["formats"], json!(["png", "webp", "svg", "pdf", "jpeg"]));
        let name = t["type"].as_str().unwrap();
        let r = s
            .post_json("/api/charts/generate", &t["example_config"])
            .user()
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{name} example must render");
    }
    s.stop().await;
}

#[tokio::test]
async fn examples_endpoint_renders_previews() {
    let s = TestServer::start().await;
    expect_error(
        s.get("/api/chart-types/examples").send().await.unwrap(),
        401,
        "UNAUTHORIZED",
    )
    .await;
    let r: Value = s
        .get("/api/chart-types/examples")
        .user()
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = r["examples"].as_array().unwrap();
    assert_eq!(list.len(), 15);
    for e in list {
        let t = clovicharts::spec::ChartType::parse(e["type"].as_str().unwrap()).unwrap();
        assert!(e["label"].is_string());
        let url = e["url"].as_str().unwrap();
        assert!(
            url.ends_with(&format!("/charts/example_{}.png", t.name())),
            "{url}"
        );
        let img = s.client.get(url).send().await.unwrap();
        assert_eq!(img.status(), 200);
        let bytes = img.bytes().await.unwrap();
        let info = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        assert_eq!((info.info().width, info.info().height), (400, 280));
    }
    s.stop().await;
}

#[tokio::test]
async fn generate_returns_the_reference_shape_and_stores_the_chart() {
    let s = TestServer::start().await;
    let r = s
        .post_json("/api/charts/generate", &bar_spec())
        .user()
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let id = r.headers()["x-chart-id"].to_str().unwrap().to_owned();
    let url_header = r.headers()["x-chart-url"].to_str().unwrap().to_owned();
    let ms: f64 = r.headers()["x-render-ms"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(ms >= 0.0);
    assert!(r.headers().get("x-ai-narrative").is_none());
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["chart_id"], id.as_str());
    assert_eq!(body["url"], url_header.as_str());
    assert_eq!(body["url"], format!("{}/charts/{id}.png", s.base));
    assert_eq!(body["narrative"], Value::Null);
    assert_eq!(body["title"], "Quarterly Revenue");
    assert_eq!(body["width"], 800);
    assert_eq!(body["height"], 500);
    assert_eq!(body["theme"], "clovitek");
    assert_eq!(body["format"], "png");
    assert!(body["render_ms"].is_u64());
    let created = body["created_at"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(created).is_ok() && created.ends_with('Z'));
    assert!(body.get("base64").is_none(), "base64 only when asked");

    let img = s
        .client
        .get(body["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(img.status(), 200);
    assert_eq!(img.headers()["content-type"], "image/png");
    assert_eq!(img.headers()["cache-control"], "public, max-age=86400");
    let meta: Value = s.get_json(&format!("/api/charts/{id}")).await;
    assert_eq!(meta["chart_id"], id.as_str());
    assert_eq!(meta["type"], "bar");
    assert_eq!(meta["url"], body["url"]);
    assert_eq!(meta["created_at"], body["created_at"]);
    let meta_png: Value = s.get_json(&format!("/api/charts/{id}.png")).await;
    assert_eq!(meta_png, meta);
    let stored_json = s.get(&format!("/charts/{id}.json")).send().await.unwrap();
    assert_eq!(stored_json.headers()["content-type"], "application/json");

    let health: Value = s.get_json("/health").await;
    assert_eq!(health["charts_rendered"], 1);
    s.stop().await;
}

#[tokio::test]
async fn generate_base64_webp_and_data_narrative() {
    let s = TestServer::start().await;
    let mut spec = bar_spec();
    spec["options"]["base64"] = json!(true);
    spec["options"]["format"] = json!("webp");
    spec["options"]["ai_narrative"] = json!(true);
    spec["options"]["title"] = Value::Null;
    spec["options"]["ai_title"] = json!(true);
    let r = s
        .post_json("/api/charts/generate", &spec)
        .user()
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let header = r.headers()["x-ai-narrative"].to_str().unwrap().to_owned();
    let body: Value = r.json().await.unwrap();
    let narrative = body["narrative"].as_str().unwrap();
    assert!(
        narrative.contains("Q4") && narrative.contains("220"),
        "{narrative}"
    );
    assert!(!header.is_empty());
    let title = body["title"].as_str().unwrap();
    assert!(
        !title.is_empty() && title.split_whitespace().count() <= 6,
        "{title}"
    );
    assert_eq!(body["format"], "webp");
    assert!(body["url"].as_str().unwrap().ends_with(".webp"));
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body["base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(&bytes[..4], b"RIFF");
    let img = s
        .client
        .get(body["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(img.headers()["content-type"], "image/webp");
    assert_eq!(img.bytes().await.unwrap().as_ref(), bytes.as_slice());
    s.stop().await;
}

#[tokio::test]
async fn generate_client_errors() {
    // A small body limit, so that the 413 check below stays cheap.
    let s = TestServer::start_in(&crate::harness::temp_dir("srv"), |c| {
        c.max_body_bytes = 2 * 1024 * 1024;
    })
    .await;
    let cases: [(Value, &str, &str); 6] = [
        (
            json!({"data": {"datasets": [{"data": [1]}]}}),
            "MISSING_TYPE",
            "/type",
        ),
        (json!({"type": "bar"}), "MISSING_DATA", "/data"),
        (
            json!({"type": "bar", "data": {"datasets": []}}),
            "DATASET_EMPTY",
            "/data/datasets",
        ),
        (
            json!({"type": "nope", "data": {"datasets": [{"data": [1]}]}}),
            "INVALID_CHART_TYPE",
            "/type",
        ),
        (
            json!({"type": "bar", "data": {"datasets": [{"data": [1]}]}, "options": {"width": 2400, "height": 1601}}),
            "CHART_TOO_LARGE",
            "/options/height",
        ),
        (
            json!({"type": "bar", "data": {"datasets": [{"data": [1, "abc"]}]}}),
            "VALIDATION_ERROR",
            "/data/datasets/0/data/1",
        ),
    ];
    for (spec, code, path) in cases {
        let r = s
            .post_json("/api/charts/generate", &spec)
            .user()
            .send()
            .await
            .unwrap();
        let body = expect_error(r, 400, code).await;
        let paths: Vec<&str> = body["details"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["path"].as_str().unwrap())
            .collect();
        assert!(paths.contains(&path), "{code}: {body}");
    }
    let r = s
        .client
        .post(s.url("/api/charts/generate"))
        .user()
        .header("content-type", "application/json")
        .body("{\"type\": \"bar\",\n \"data\": }")
        .send()
        .await
        .unwrap();
    let body = expect_error(r, 400, "VALIDATION_ERROR").await;
    let msg = body["error"].as_str().unwrap();
    assert!(msg.contains("line 2") && msg.contains("column"), "{msg}");
    let r = s
        .client
        .post(s.url("/api/charts/generate"))
        .user()
        .header("content-type", "text/plain")
        .body(serde_json::to_vec(&bar_spec()).unwrap())
        .send()
        .await
        .unwrap();
    expect_error(r, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    let big = format!(
        r#"{{"type":"bar","data":{{"datasets":[{{"data":[{}1]}}]}}}}"#,
        "1,".repeat(1_200_000)
    );
    let r = s
        .client
        .post(s.url("/api/charts/generate"))
        .user()
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    expect_error(r, 413, "PAYLOAD_TOO_LARGE").await;
    s.stop().await;
}

#[tokio::test]
async fn json_routes_refuse_untyped_bodies_and_auth_bodies_are_small() {
    let s = TestServer::start().await;
    // A body without any Content-Type is not guessed at (issue 13).
    let r = s
        .client
        .post(s.url("/api/charts/generate"))
        .user()
        .body(serde_json::to_vec(&bar_spec()).unwrap())
        .send()
        .await
        .unwrap();
    expect_error(r, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    let r = s
        .client
        .post(s.url("/api/auth/login"))
        .body(r#"{"email":"a@example.com","password":"correct horse"}"#)
        .send()
        .await
        .unwrap();
    expect_error(r, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    // Auth routes take kilobytes: 100 KiB of credentials is 413 before it is parsed.
    let big = format!(
        r#"{{"email":"a@example.com","password":"{}"}}"#,
        "x".repeat(100 * 1024)
    );
    let r = s
        .client
        .post(s.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    expect_error(r, 413, "PAYLOAD_TOO_LARGE").await;
    // The front door is the web app.
    let no_follow = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_follow.get(s.url("/")).send().await.unwrap();
    assert_eq!(r.status(), 307);
    assert_eq!(r.headers()["location"], "/app");
    // Every answer names its request; a sane id from the client is kept.
    let r = s.get("/health").send().await.unwrap();
    assert_eq!(r.headers()["x-request-id"].len(), 36);
    let r = s
        .get("/health")
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123");
    s.stop().await;
}

#[tokio::test]
async fn gallery_is_newest_first_with_paging_and_type_filter() {
    let s = TestServer::start().await;
    let mut ids = Vec::new();
    for (i, ty) in ["bar", "line", "bar", "pie", "bar"].iter().enumerate() {
        let mut spec = bar_spec();
        spec["type"] = json!(ty);
        spec["options"]["title"] = json!(format!("chart {i}"));
        let b: Value = s.generate(&spec).await;
        ids.push(b["chart_id"].as_str().unwrap().to_owned());
    }
    let g: Value = s.get_json("/api/charts/gallery").await;
    assert_eq!(g["total"], 5);
    let listed: Vec<&str> = g["charts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["chart_id"].as_str().unwrap())
        .collect();
    let newest_first: Vec<&str> = ids.iter().rev().map(String::as_str).collect();
    assert_eq!(listed, newest_first);
    let first = &g["charts"][0];
    for field in [
        "chart_id",
        "type",
        "theme",
        "format",
        "width",
        "height",
        "title",
        "narrative",
        "url",
        "created_at",
        "render_ms",
    ] {
        assert!(first.get(field).is_some(), "gallery entry lacks {field}");
    }
    let page: Value = s.get_json("/api/charts/gallery?limit=2&offset=1").await;
    let page_ids: Vec<&str> = page["charts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["chart_id"].as_str().unwrap())
        .collect();
    assert_eq!(page_ids, newest_first[1..3].to_vec());
    let bars: Value = s.get_json("/api/charts/gallery?type=bar").await;
    assert_eq!(bars["total"], 3);
    assert!(
        bars["charts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["type"] == "bar")
    );
    expect_error(
        s.get("/api/charts/gallery?limit=abc").send().await.unwrap(),
        400,
        "VALIDATION_ERROR",
    )
    .await;
    expect_error(
        s.get("/api/charts/gallery?type=histogram")
            .send()
            .await
            .unwrap(),
        400,
        "VALIDATION_ERROR",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn metadata_and_delete() {
    let s = TestServer::start().await;
    expect_error(
        s.get("/api/charts/not-a-uuid").send().await.unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
    expect_error(
        s.get("/api/charts/550e8400-e29b-41d4-a716-446655440000")
            .send()
            .await
            .unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
    let b: Value = s.generate(&bar_spec()).await;
    let id = b["chart_id"].as_str().unwrap();
    let del = |who: Option<bool>| {
        let req = s.client.delete(s.url(&format!("/api/charts/{id}.png")));
        match who {
            None => req,
            // Another user than the owner (42): neither owner nor admin.
            Some(false) => req.header("cookie", crate::harness::session(43, "user")),
            Some(true) => req.admin(),
        }
    };
    expect_error(del(None).send().await.unwrap(), 401, "UNAUTHORIZED").await;
    let body = expect_error(del(Some(false)).send().await.unwrap(), 403, "FORBIDDEN").await;
    assert_eq!(body["error"], "Insufficient permissions");
    let r = del(Some(true)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body, json!({"deleted": true, "id": id}));
    assert_eq!(
        s.get(&format!("/charts/{id}.png"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        s.get(&format!("/charts/{id}.json"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    expect_error(del(Some(true)).send().await.unwrap(), 404, "NOT_FOUND").await;
    let g: Value = s.get_json("/api/charts/gallery").await;
    assert_eq!(g["total"], 0);
    s.stop().await;
}

#[tokio::test]
async fn recommend_and_batch() {
    let s = TestServer::start().await;
    let cols = json!({"columns": [{"name": "month", "type": "string"}, {"name": "revenue", "type": "number"}]});
    let r: Value = s
        .post_json("/api/charts/recommend", &cols)
        .user()
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["recommended"], "line");
    assert!(r["reason"].as_str().is_some_and(|x| !x.is_empty()));
    assert!(!r["alternatives"].as_array().unwrap().is_empty());
    expect_error(
        s.post_json("/api/charts/recommend", &json!({}))
            .user()
            .send()
            .await
            .unwrap(),
        400,
        "MISSING_COLUMNS",
    )
    .await;
    expect_error(
        s.post_json("/api/charts/recommend", &json!({"columns": "x"}))
            .user()
            .send()
            .await
            .unwrap(),
        400,
        "MISSING_COLUMNS",
    )
    .await;
    expect_error(
        s.post_json("/api/charts/recommend", &cols)
            .send()
            .await
            .unwrap(),
        401,
        "UNAUTHORIZED",
    )
    .await;

    let mut webp = bar_spec();
    webp["options"]["format"] = json!("webp");
    let batch = json!({"charts": [bar_spec(), {"type": "xyz", "data": {"datasets": [{"data": [1]}]}}, webp]});
    let r: Value = s
        .post_json("/api/charts/batch", &batch)
        .user()
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["total"], 3);
    assert_eq!(r["failed"], 1);
    let charts = r["charts"].as_array().unwrap();
    assert_eq!(charts[0]["status"], "ok");
    assert!(charts[0]["chart_id"].is_string() && charts[0]["render_ms"].is_u64());
    assert_eq!(charts[1]["status"], "error");
    assert_eq!(charts[1]["code"], "INVALID_CHART_TYPE");
    assert!(
        // Issue 15: batch honours `options.format` (it was always PNG before).
        charts[2]["url"].as_str().unwrap().ends_with(".webp"),
        "batch output is in the spec's format"
    );
    expect_error(
        s.post_json("/api/charts/batch", &json!({}))
            .user()
            .send()
            .await
            .unwrap(),
        400,
        "MISSING_CHARTS",
    )
    .await;
    let eleven = json!({"charts": vec![bar_spec(); 11]});
    expect_error(
        s.post_json("/api/charts/batch", &eleven)
            .user()
            .send()
            .await
            .unwrap(),
        400,
        "BATCH_TOO_LARGE",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn unknown_api_paths_are_json_404_and_app_is_html() {
    let s = TestServer::start().await;
    let body = expect_error(s.get("/api/nope").send().await.unwrap(), 404, "NOT_FOUND").await;
    assert_eq!(body, json!({"error": "Not found", "code": "NOT_FOUND"}));
    let app = s.get("/app").send().await.unwrap();
    assert_eq!(app.status(), 200);
    assert!(
        app.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = app.text().await.unwrap();
    assert!(html.contains("example_bar.png") && html.contains("/api/charts/generate"));
    let me: Value = s
        .get("/api/auth/me")
        .admin()
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        me,
        json!({"ok": true, "user": {"id": 1, "email": "u@example.com", "role": "super_admin", "name": "U"}})
    );
    s.stop().await;
}
