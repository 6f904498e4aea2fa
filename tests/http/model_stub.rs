//! A stand-in language model on 127.0.0.1 that speaks both wire formats the server uses:
//! OpenAI chat completions (`POST /v1/chat/completions`) and Gemini `generateContent`
//! (`POST /v1beta/models/{model}:generateContent`). The test sets what it answers.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use clovicharts::config::Secret;
use clovicharts::insight::llm::{LlmConfig, Provider};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The model name the stub is configured with.
pub(crate) const MODEL: &str = "stub-model";

/// What the stub answers.
#[derive(Clone, Debug)]
pub(crate) enum Reply {
    /// 200 with this JSON object as the answer text.
    Answer(Value),
    /// 200 with this string as the answer text.
    Text(String),
    /// The answer, after sleeping this long.
    Slow(Duration, Value),
    /// This status, with an error body that quotes the key back (as some providers do).
    Status(u16),
    /// 429 with `Retry-After: <seconds>`.
    TooMany(u64),
    /// 200 with a body that is not JSON.
    BrokenBody,
}

/// One request the stub received.
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    pub(crate) path: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Value,
    pub(crate) size: usize,
}

struct Shared {
    reply: Mutex<Reply>,
    calls: AtomicUsize,
    seen: Mutex<Vec<Seen>>,
}

/// The running stub.
pub(crate) struct ModelStub {
    pub(crate) base: String,
    shared: Arc<Shared>,
}

impl ModelStub {
    /// Starts the stub on an ephemeral port, answering `reply`.
    pub(crate) async fn start(reply: Reply) -> ModelStub {
        let shared = Arc::new(Shared {
            reply: Mutex::new(reply),
            calls: AtomicUsize::new(0),
            seen: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(answer))
            .route("/v1beta/models/{model}", post(answer))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        ModelStub { base, shared }
    }

    /// Changes the answer.
    pub(crate) fn set(&self, reply: Reply) {
        *self.shared.reply.lock().unwrap() = reply;
    }

    /// Requests received so far.
    pub(crate) fn calls(&self) -> usize {
        self.shared.calls.load(Ordering::SeqCst)
    }

    /// The last request received.
    pub(crate) fn last(&self) -> Seen {
        self.shared.seen.lock().unwrap().last().cloned().unwrap()
    }

    /// Server settings for this stub as an OpenAI-compatible model.
    pub(crate) fn openai(&self, key: &str) -> LlmConfig {
        let mut c = LlmConfig::new(Provider::OpenAi, &format!("{}/v1", self.base), MODEL);
        c.api_key = Some(Secret::new(key));
        c
    }

    /// Server settings for this stub as a Gemini model.
    pub(crate) fn gemini(&self, key: &str) -> LlmConfig {
        let mut c = LlmConfig::new(Provider::Gemini, &format!("{}/v1beta", self.base), MODEL);
        c.api_key = Some(Secret::new(key));
        c
    }
}

/// The provider's response shape around an answer text.
fn wrap(gemini: bool, text: &str) -> Value {
    if gemini {
        json!({ "candidates": [{ "content": { "role": "model", "parts": [{ "text": text }] },
                                 "finishReason": "STOP" }] })
    } else {
        json!({ "id": "chatcmpl-stub", "object": "chat.completion", "model": MODEL,
                "choices": [{ "index": 0, "finish_reason": "stop",
                              "message": { "role": "assistant", "content": text } }] })
    }
}

async fn answer(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.calls.fetch_add(1, Ordering::SeqCst);
    let gemini = uri.path().starts_with("/v1beta/");
    let echoed_key = headers
        .get("authorization")
        .or_else(|| headers.get("x-goog-api-key"))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    shared.seen.lock().unwrap().push(Seen {
        path: uri.path().to_owned(),
        headers,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        size: body.len(),
    });
    let reply = shared.reply.lock().unwrap().clone();
    match reply {
        Reply::Answer(v) => axum::Json(wrap(gemini, &v.to_string())).into_response(),
        Reply::Text(t) => axum::Json(wrap(gemini, &t)).into_response(),
        Reply::Slow(d, v) => {
            tokio::time::sleep(d).await;
            axum::Json(wrap(gemini, &v.to_string())).into_response()
        }
        Reply::Status(code) => (
            StatusCode::from_u16(code).unwrap(),
            axum::Json(json!({ "error": { "message": format!("rejected key {echoed_key}") } })),
        )
            .into_response(),
        Reply::TooMany(secs) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", secs.to_string())],
            format!("slow down, {echoed_key}"),
        )
            .into_response(),
        Reply::BrokenBody => (
            [("content-type", "application/json")],
            "{\"choices\": [ this is not json",
        )
            .into_response(),
    }
}
