//! The Gemini REST wire format: `POST {base}/models/{model}:generateContent` with the key in the
//! `x-goog-api-key` header (never in the URL, which error messages may print).

use super::prompt::Prompt;
use reqwest::header::HeaderValue;
use serde_json::{Value, json};

/// The request for `prompt`, asking for a JSON answer.
pub(super) fn request(
    http: &reqwest::Client,
    base_url: &str,
    model: &str,
    key: Option<&HeaderValue>,
    prompt: &Prompt,
) -> reqwest::RequestBuilder {
    let body = json!({
        "systemInstruction": { "parts": [{ "text": prompt.system }] },
        "contents": [{ "role": "user", "parts": [{ "text": prompt.user }] }],
        "generationConfig": { "responseMimeType": "application/json", "temperature": 0.2 },
    });
    let req = http
        .post(format!("{base_url}/models/{model}:generateContent"))
        .json(&body);
    match key {
        Some(k) => req.header("x-goog-api-key", k.clone()),
        None => req,
    }
}

/// The text of the first candidate (its parts joined), if any.
pub(super) fn answer_text(body: &Value) -> Option<String> {
    let parts = body.pointer("/candidates/0/content/parts")?.as_array()?;
    let text: String = parts
        .iter()
        .filter_map(|p| p.get("text").and_then(Value::as_str))
        .collect();
    (!text.trim().is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_candidate() {
        let body = json!({"candidates": [{"content": {"role": "model", "parts": [{"text": "{\"a\":"}, {"text": "1}"}]}}]});
        assert_eq!(answer_text(&body).as_deref(), Some("{\"a\":1}"));
        assert_eq!(answer_text(&json!({"candidates": []})), None);
        assert_eq!(answer_text(&json!({"error": {"code": 400}})), None);
    }
}
