//! One HTTP call to the model: the provider's request, the status, a size-capped body, the
//! answer text. Errors say what went wrong without the key, the URL or the response body (a
//! provider's error page may quote the key back).

use super::prompt::Prompt;
use super::{gemini, openai};
use crate::config::llm::{LlmConfig, Provider};
use reqwest::header::{HeaderValue, RETRY_AFTER};
use serde_json::Value;
use std::time::Duration;

/// Largest response body read: an answer is a few hundred bytes; a runaway server must not
/// fill memory.
const MAX_RESPONSE_BYTES: usize = 256 * 1024;

/// Why a model call gave no answer text.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub(crate) enum CallError {
    /// `LLM_TIMEOUT_MS` passed (waiting for a slot included).
    #[error("no answer within the timeout")]
    Timeout,
    /// The connection failed.
    #[error("transport error: {0}")]
    Transport(String),
    /// `429 Too Many Requests`, with the `Retry-After` it gave.
    #[error("rate limited (429), retry after {0:?}")]
    RateLimited(Option<Duration>),
    /// Any other non-2xx status.
    #[error("HTTP status {0}")]
    Status(u16),
    /// A 2xx whose body is not the provider's JSON shape, or whose answer is not a JSON object.
    #[error("malformed answer: {0}")]
    Malformed(&'static str),
}

impl CallError {
    /// A short label for metrics.
    pub(crate) fn reason(&self) -> &'static str {
        match self {
            CallError::Timeout => "timeout",
            CallError::Transport(_) => "transport",
            CallError::RateLimited(_) => "rate_limited",
            CallError::Status(s) if *s >= 500 => "server_error",
            CallError::Status(_) => "http_status",
            CallError::Malformed(_) => "malformed",
        }
    }
}

/// Why the model client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// The key has characters an HTTP header cannot carry (the key itself is not shown).
    #[error("LLM_API_KEY is not a valid HTTP header value")]
    BadKey,
    /// The HTTP client (TLS roots) could not be set up.
    #[error("building the model's HTTP client: {0}")]
    Client(String),
}

/// The HTTP side of the model: client, endpoint, key header.
pub(crate) struct ModelClient {
    provider: Provider,
    base_url: String,
    model: String,
    http: reqwest::Client,
    /// The key as the provider's header value, marked sensitive.
    key: Option<HeaderValue>,
}

impl std::fmt::Debug for ModelClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelClient")
            .field("provider", &self.provider)
            .field("model", &self.model)
            .field("key", &self.key.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
    }
}

/// A reqwest error with its causes, without the URL.
fn transport(e: reqwest::Error) -> CallError {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    CallError::Transport(text)
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(value: Option<&HeaderValue>) -> Option<Duration> {
    let text = value?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(text).ok()?;
    (at.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .to_std()
        .ok()
}

impl ModelClient {
    /// The client for `provider` as configured.
    pub(crate) fn new(provider: Provider, config: &LlmConfig) -> Result<ModelClient, LlmError> {
        let key = match &config.api_key {
            None => None,
            Some(k) => {
                let text = match provider {
                    Provider::Gemini => k.expose().to_owned(),
                    Provider::OpenAi => format!("Bearer {}", k.expose()),
                };
                let mut v = HeaderValue::from_str(&text).map_err(|_| LlmError::BadKey)?;
                v.set_sensitive(true);
                Some(v)
            }
        };
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            // A redirect could carry the key header to another host.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("clovicharts/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| LlmError::Client(e.without_url().to_string()))?;
        Ok(ModelClient {
            provider,
            base_url: config.base_url.clone(),
            model: config.model.clone(),
            http,
            key,
        })
    }

    /// Sends `prompt` and returns the model's answer text.
    pub(crate) async fn complete(&self, prompt: &Prompt) -> Result<String, CallError> {
        let (base, model, key) = (&self.base_url, &self.model, self.key.as_ref());
        let request = match self.provider {
            Provider::Gemini => gemini::request(&self.http, base, model, key, prompt),
            Provider::OpenAi => openai::request(&self.http, base, model, key, prompt),
        };
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status();
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(CallError::RateLimited(retry_after(
                response.headers().get(RETRY_AFTER),
            )));
        }
        if !status.is_success() {
            return Err(CallError::Status(status.as_u16()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_RESPONSE_BYTES {
                return Err(CallError::Malformed("the response is larger than 256 KiB"));
            }
        }
        let json: Value = serde_json::from_slice(&body)
            .map_err(|_| CallError::Malformed("the response body is not JSON"))?;
        let text = match self.provider {
            Provider::Gemini => gemini::answer_text(&json),
            Provider::OpenAi => openai::answer_text(&json),
        };
        text.ok_or(CallError::Malformed("the response has no answer text"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let h = |s: &str| HeaderValue::from_str(s).ok();
        assert_eq!(retry_after(h("7").as_ref()), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(h("soon").as_ref()), None);
        assert_eq!(retry_after(None), None);
        let later = (chrono::Utc::now() + chrono::Duration::seconds(120)).to_rfc2822();
        let d = retry_after(h(&later).as_ref()).unwrap();
        assert!(d > Duration::from_secs(100) && d <= Duration::from_secs(120));
    }

    #[test]
    fn the_key_is_redacted_and_checked() {
        let mut c = LlmConfig::new(Provider::OpenAi, "http://127.0.0.1:9/v1", "m");
        c.api_key = Some(Secret::new("sk-secret-123"));
        let client = ModelClient::new(Provider::OpenAi, &c).unwrap();
        assert!(!format!("{client:?}").contains("sk-secret-123"));
        c.api_key = Some(Secret::new("bad\nkey"));
        assert!(matches!(
            ModelClient::new(Provider::OpenAi, &c),
            Err(LlmError::BadKey)
        ));
    }
}
