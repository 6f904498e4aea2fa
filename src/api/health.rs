//! `/health` and `/app`.

use super::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

/// `GET /livez`: the process runs and answers (no dependency is checked).
pub(super) async fn livez() -> Json<Value> {
    Json(json!({ "status": "alive" }))
}

async fn readiness(state: &AppState) -> crate::readiness::Readiness {
    crate::readiness::check(&state.pool, &state.store, &state.config.limits).await
}

/// `GET /readyz`: a canary render on the pool, a probe write and free disk space; 503 with the
/// failing checks when any fails.
pub(super) async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let r = readiness(&state).await;
    let mut body = json!({
        "status": if r.ready() { "ready" } else { "unavailable" },
        "checks": r.to_json(),
    });
    if !r.ready() {
        let failing = r.failing();
        body["error"] = json!(format!("Not ready: {} failing", failing.join(", ")));
        body["code"] = json!("NOT_READY");
        body["details"] = json!({ "failing": failing });
    }
    (status_of(&r), Json(body))
}

fn status_of(r: &crate::readiness::Readiness) -> StatusCode {
    if r.ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    }
}

/// `GET /health`: the reference's fields plus renderer and store; `status` and the HTTP status
/// are `/readyz`'s (`"ok"` only when every check passes, else `"unavailable"` and 503).
pub(super) async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let (stored, r) = tokio::join!(state.store.count(), readiness(&state));
    let stored = stored.ok();
    let backend = state.pool.backend();
    let body = Json(json!({
        "status": if r.ready() { "ok" } else { "unavailable" },
        "checks": r.to_json(),
        "service": "CloviCharts",
        "version": env!("CARGO_PKG_VERSION"),
        "port": state.config.port,
        "charts_rendered": stored.unwrap_or_else(|| state.rendered.load(Ordering::Relaxed)),
        "uptime_seconds": state.started.elapsed().as_secs(),
        "supported_types": crate::spec::ChartType::ALL.len(),
        "output_dir": state.store.files().dir().display().to_string(),
        "renderer": { "backend": backend.kind().name(), "adapter": backend.adapter_name(), "workers": state.pool.workers() },
        "store": { "kind": state.store.kind(), "healthy": stored.is_some() },
        "llm": state.llm.health(),
    }));
    (status_of(&r), body)
}

/// `GET /app`: a small page listing the chart types with previews and a form to try a spec.
pub(super) async fn app() -> Html<String> {
    let cards: String = crate::spec::ChartType::ALL
        .iter()
        .map(|t| {
            let label = crate::catalog::label(*t);
            let body = format!(
                r#"<img src="/charts/example_{0}.png" alt="{1} preview" width="400" height="280">"#,
                t.name(),
                label
            );
            format!(
                r#"<figure>{body}<figcaption><b>{label}</b> <code>{}</code></figcaption></figure>"#,
                t.name()
            )
        })
        .collect();
    let example =
        serde_json::to_string_pretty(&crate::catalog::example_config(crate::spec::ChartType::Bar))
            .unwrap_or_default();
    Html(format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>CloviCharts</title>
<style>
body{{font:15px/1.5 system-ui,sans-serif;margin:0;background:#0b1526;color:#e8eef8}}
main{{max-width:1280px;margin:auto;padding:24px}} h1{{font-weight:600;margin:0 0 4px}} p{{color:#9fb1cc}}
.grid{{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px}}
figure{{margin:0;background:#111f36;border-radius:8px;padding:8px}} img{{width:100%;height:auto;border-radius:4px;display:block}}
figcaption{{padding:6px 2px 0}} code{{color:#00d4ff}} textarea{{width:100%;height:280px;background:#111f36;color:#e8eef8;border:1px solid #2b3d5e;border-radius:6px;font:13px monospace;padding:8px;box-sizing:border-box}}
button{{background:#00d4ff;color:#0b1526;border:0;border-radius:6px;padding:8px 16px;font-weight:600;cursor:pointer;margin-top:8px}}
#out img{{max-width:100%;margin-top:12px}} #err{{color:#f87171;white-space:pre-wrap}}
</style></head><body><main>
<h1>CloviCharts</h1><p>JSON chart specs to PNG and WebP. The API is under <code>/api</code>; see <code>/api/chart-types</code>.</p>
<h2>Try a spec</h2>
<textarea id="spec">{example}</textarea><button id="go">Render</button>
<div id="err"></div><div id="out"></div>
<h2>Chart types</h2><div class="grid">{cards}</div>
</main>
<script>
document.getElementById('go').onclick = async () => {{
  const err = document.getElementById('err'), out = document.getElementById('out');
  err.textContent = ''; out.innerHTML = '';
  let body;
  try {{ body = JSON.parse(document.getElementById('spec').value); }} catch (e) {{ err.textContent = 'Invalid JSON: ' + e.message; return; }}
  const r = await fetch('/api/charts/generate', {{method: 'POST', headers: {{'Content-Type': 'application/json'}}, credentials: 'same-origin', body: JSON.stringify(body)}});
  const j = await r.json();
  if (!r.ok) {{ err.textContent = (j.code || r.status) + ': ' + j.error + (j.login_url ? '\nSign in at ' + j.login_url : ''); return; }}
  const img = new Image(); img.src = j.url; img.alt = j.title || 'chart'; out.appendChild(img);
}};
</script></body></html>"#
    ))
}
