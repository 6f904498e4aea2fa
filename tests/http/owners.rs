//! Owner scoping: private charts are 404 for everyone but their owner and admins on every route
//! that takes an id; unlisted charts are reachable by id but not listed; owners delete their own.

use crate::account_client::{
    ADMIN_EMAIL, Account, Credentials as _, answer, create_key, generate_as, register, server,
    spec_with,
};
use crate::harness::{TestServer, expect_error};
use serde_json::{Value, json};

/// Who asks.
#[derive(Clone, Copy, Debug)]
enum Who<'a> {
    Anonymous,
    Token(&'a str),
    Key(&'a str),
}

fn with(req: reqwest::RequestBuilder, who: Who<'_>) -> reqwest::RequestBuilder {
    match who {
        Who::Anonymous => req,
        Who::Token(t) => req.bearer(t),
        Who::Key(k) => req.api_key(k),
    }
}

/// Status of every read route that takes the chart's id.
async fn read_statuses(s: &TestServer, id: &str, who: Who<'_>) -> Vec<(String, u16)> {
    let mut out = Vec::new();
    for path in [
        format!("/api/charts/{id}"),
        format!("/api/charts/{id}.png"),
        format!("/api/charts/{id}.json"),
        format!("/charts/{id}.png"),
        format!("/charts/{id}.json"),
    ] {
        let r = with(s.get(&path), who).send().await.unwrap();
        out.push((path, r.status().as_u16()));
    }
    out
}

async fn ids_in(s: &TestServer, path: &str, who: Who<'_>) -> Vec<String> {
    let (status, b) = answer(with(s.get(path), who).send().await.unwrap()).await;
    assert_eq!(status, 200, "{path}: {b}");
    b["charts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["chart_id"].as_str().unwrap().to_owned())
        .collect()
}

fn all(statuses: &[(String, u16)], want: u16) -> bool {
    statuses.iter().all(|(_, s)| *s == want)
}

#[tokio::test]
async fn private_charts_are_invisible_to_everyone_but_owner_and_admin() {
    let s = server(|_| {}).await;
    let a: Account = register(&s, "alice@example.com").await;
    let b: Account = register(&s, "bob@example.com").await;
    let admin = register(&s, ADMIN_EMAIL).await;
    let private = generate_as(&s, &a.access, "private").await;
    let unlisted = generate_as(&s, &a.access, "unlisted").await;
    let public = generate_as(&s, &a.access, "public").await;
    let (_, a_write_only) = create_key(&s, &a.access, &["charts:write"]).await;
    let (_, a_reader) = create_key(&s, &a.access, &["charts:read"]).await;
    let (_, b_key) = create_key(&s, &b.access, &["charts:read", "charts:write"]).await;

    // Nobody else sees the private chart, on any route; the 404 is that of a missing chart.
    let missing = "00000000-0000-4000-8000-000000000000";
    let (_, not_found) = answer(
        s.get(&format!("/api/charts/{missing}"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    for who in [
        Who::Anonymous,
        Who::Token(&b.access),
        Who::Key(&b_key),
        Who::Key(&a_write_only),
    ] {
        let st = read_statuses(&s, &private, who).await;
        assert!(all(&st, 404), "{who:?}: {st:?}");
        let (status, body) = answer(
            with(s.get(&format!("/api/charts/{private}")), who)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((status, &body), (404, &not_found));
        // Unlisted and public charts are reachable by id.
        assert!(
            all(&read_statuses(&s, &unlisted, who).await, 200),
            "{who:?}"
        );
        assert!(all(&read_statuses(&s, &public, who).await, 200), "{who:?}");
    }
    // Owner (token, or key with charts:read) and admin see it.
    for who in [
        Who::Token(&a.access),
        Who::Key(&a_reader),
        Who::Token(&admin.access),
    ] {
        let st = read_statuses(&s, &private, who).await;
        assert!(all(&st, 200), "{who:?}: {st:?}");
    }
    let meta: Value = answer(
        s.get(&format!("/api/charts/{private}"))
            .bearer(&a.access)
            .send()
            .await
            .unwrap(),
    )
    .await
    .1;
    assert_eq!(meta["visibility"], "private");
    let r = s
        .get(&format!("/charts/{private}.png"))
        .bearer(&a.access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "private, no-cache");
    let r = s
        .get(&format!("/charts/{public}.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "public, max-age=86400");

    // The gallery lists only the public chart, whoever asks; me/charts lists all of one's own.
    for who in [
        Who::Anonymous,
        Who::Token(&a.access),
        Who::Token(&admin.access),
    ] {
        assert_eq!(
            ids_in(&s, "/api/charts/gallery", who).await,
            vec![public.clone()]
        );
    }
    let g: Value = s.get_json("/api/charts/gallery").await;
    assert_eq!(g["total"], 1);
    let mine = ids_in(&s, "/api/me/charts", Who::Token(&a.access)).await;
    assert_eq!(
        mine,
        vec![public.clone(), unlisted.clone(), private.clone()]
    );
    assert_eq!(
        ids_in(&s, "/api/me/charts?limit=1&offset=2", Who::Token(&a.access)).await,
        vec![private.clone()]
    );
    assert_eq!(
        ids_in(&s, "/api/me/charts?type=bar", Who::Key(&a_reader))
            .await
            .len(),
        3
    );
    assert!(
        ids_in(&s, "/api/me/charts", Who::Token(&b.access))
            .await
            .is_empty()
    );
    let r = s
        .get("/api/me/charts")
        .api_key(&a_write_only)
        .send()
        .await
        .unwrap();
    expect_error(r, 403, "FORBIDDEN").await;
    let r = s.get("/api/me/charts").send().await.unwrap();
    expect_error(r, 401, "UNAUTHORIZED").await;
    let r = s
        .get("/api/me/charts?limit=x")
        .bearer(&a.access)
        .send()
        .await
        .unwrap();
    expect_error(r, 400, "VALIDATION_ERROR").await;

    // Deleting: others get 404 on the private chart and 403 on the visible ones.
    for who in [Who::Token(&b.access), Who::Key(&b_key)] {
        let del = |id: &str| with(s.client.delete(s.url(&format!("/api/charts/{id}"))), who);
        let (status, body) = answer(del(&private).send().await.unwrap()).await;
        assert_eq!((status, &body), (404, &not_found), "{who:?}");
        expect_error(del(&unlisted).send().await.unwrap(), 403, "FORBIDDEN").await;
        expect_error(del(&public).send().await.unwrap(), 403, "FORBIDDEN").await;
    }
    let r = s
        .client
        .delete(s.url(&format!("/api/charts/{private}")))
        .send()
        .await
        .unwrap();
    expect_error(r, 401, "UNAUTHORIZED").await;
    // A key without charts:write cannot delete even its owner's chart.
    let r = s
        .client
        .delete(s.url(&format!("/api/charts/{public}")))
        .api_key(&a_reader)
        .send()
        .await
        .unwrap();
    expect_error(r, 403, "FORBIDDEN").await;
    // The owner deletes their own; the admin deletes anyone's.
    let r = s
        .client
        .delete(s.url(&format!("/api/charts/{unlisted}")))
        .bearer(&a.access)
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer(r).await.1,
        json!({ "deleted": true, "id": unlisted })
    );
    let r = s
        .client
        .delete(s.url(&format!("/api/charts/{private}")))
        .bearer(&admin.access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(all(
        &read_statuses(&s, &private, Who::Token(&a.access)).await,
        404
    ));
    assert!(all(
        &read_statuses(&s, &unlisted, Who::Anonymous).await,
        404
    ));
    assert_eq!(
        ids_in(&s, "/api/me/charts", Who::Token(&a.access)).await,
        vec![public.clone()]
    );
    s.stop().await;
}

#[tokio::test]
async fn visibility_is_validated_and_defaults_to_public() {
    let s = server(|_| {}).await;
    let a = register(&s, "vis@example.com").await;
    let r = s
        .post_json("/api/charts/generate", &spec_with("secret"))
        .bearer(&a.access)
        .send()
        .await
        .unwrap();
    let b = expect_error(r, 400, "VALIDATION_ERROR").await;
    assert_eq!(
        b["details"]["errors"][0]["path"], "/options/visibility",
        "{b}"
    );
    let r = s
        .post_json("/api/charts/generate", &crate::harness::bar_spec())
        .bearer(&a.access)
        .send()
        .await
        .unwrap();
    assert_eq!(answer(r).await.1["visibility"], "public");
    // Batch entries carry their own visibility.
    let r = s
        .post_json(
            "/api/charts/batch",
            &json!({ "charts": [spec_with("private"), spec_with("public")] }),
        )
        .bearer(&a.access)
        .send()
        .await
        .unwrap();
    let b: Value = answer(r).await.1;
    let private = b["charts"][0]["chart_id"].as_str().unwrap();
    let r = s
        .get(&format!("/api/charts/{private}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let g: Value = s.get_json("/api/charts/gallery").await;
    assert_eq!(g["total"], 2);
    s.stop().await;
}
