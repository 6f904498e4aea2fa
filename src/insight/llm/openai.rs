//! The OpenAI chat-completions wire format, spoken by OpenAI, vLLM, Ollama and llama.cpp:
//! `POST {base}/chat/completions` with `Authorization: Bearer <key>` when a key is set.

use super::prompt::Prompt;
use reqwest::header::HeaderValue;
use serde_json::{Value, json};

/// The request for `prompt`, asking for a JSON object (`response_format`).
pub(super) fn request(
    http: &reqwest::Client,
    base_url: &str,
    model: &str,
    key: Option<&HeaderValue>,
    prompt: &Prompt,
) -> reqwest::RequestBuilder {
    let body = json!({
        "model": model,
        "messages": [
            { "role": "system", "content": prompt.system },
            { "role": "user", "content": prompt.user },
        ],
        "temperature": 0.2,
        "response_format": { "type": "json_object" },
    });
    let req = http
        .post(format!("{base_url}/chat/completions"))
        .json(&body);
    match key {
        Some(k) => req.header(reqwest::header::AUTHORIZATION, k.clone()),
        None => req,
    }
}

/// The content of the first choice's message, if any.
pub(super) fn answer_text(body: &Value) -> Option<String> {
    body.pointer("/choices/0/message/content")?
        .as_str()
        .filter(|t| !t.trim().is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_choice() {
        let body = json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": "{\"a\":1}"}}]});
        assert_eq!(answer_text(&body).as_deref(), Some("{\"a\":1}"));
        assert_eq!(
            answer_text(&json!({"choices": [{"message": {"content": null}}]})),
            None
        );
        assert_eq!(answer_text(&json!({})), None);
    }
}
