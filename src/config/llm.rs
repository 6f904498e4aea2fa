//! The `LLM_*` environment variables (listed in the README's table): the settings of the
//! optional model that `insight::llm` calls.

use super::env::{ConfigError, parsed, var};
use crate::secret::Secret;
use std::time::Duration;

/// Default `LLM_TIMEOUT_MS`: the most a chart request waits for the model.
pub const DEFAULT_TIMEOUT_MS: u64 = 2500;
/// Default `LLM_MAX_CONCURRENT`: model calls in flight at once; more wait (within the timeout).
pub const DEFAULT_MAX_CONCURRENT: usize = 8;
/// Default `LLM_BREAKER_FAILURES`: consecutive failures that open the circuit breaker.
pub const DEFAULT_BREAKER_FAILURES: u32 = 5;
/// Default `LLM_BREAKER_COOLDOWN_MS`: how long an open breaker skips the model.
pub const DEFAULT_BREAKER_COOLDOWN_MS: u64 = 30_000;
/// Default `LLM_CACHE_ENTRIES`: answers kept, keyed by the data summary's hash.
pub const DEFAULT_CACHE_ENTRIES: usize = 1024;

/// Which wire format the model speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// Google's Gemini REST API: `POST {base}/models/{model}:generateContent`, key in
    /// `x-goog-api-key`.
    Gemini,
    /// Any OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp): `POST
    /// {base}/chat/completions`, key as `Authorization: Bearer`.
    OpenAi,
}

impl Provider {
    /// The `LLM_PROVIDER` value.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Gemini => "gemini",
            Provider::OpenAi => "openai",
        }
    }

    fn default_base_url(self) -> &'static str {
        match self {
            Provider::Gemini => "https://generativelanguage.googleapis.com/v1beta",
            Provider::OpenAi => "https://api.openai.com/v1",
        }
    }

    fn default_model(self) -> &'static str {
        match self {
            Provider::Gemini => "gemini-2.5-flash-lite",
            Provider::OpenAi => "gpt-4o-mini",
        }
    }
}

/// The model's settings. `provider: None` (the default) means no model calls at all.
#[derive(Clone, Debug)]
pub struct LlmConfig {
    /// `LLM_PROVIDER`: `gemini`, `openai`, or unset / `none` for no model.
    pub provider: Option<Provider>,
    /// `LLM_BASE_URL`, without a trailing `/` (default: the provider's public API).
    pub base_url: String,
    /// `LLM_API_KEY` (optional: a local Ollama needs none). Never logged or shown.
    pub api_key: Option<Secret>,
    /// `LLM_MODEL` (default `gemini-2.5-flash-lite` / `gpt-4o-mini`).
    pub model: String,
    /// `LLM_TIMEOUT_MS` (default 2500): the most a request waits for the model.
    pub timeout: Duration,
    /// `LLM_MAX_CONCURRENT` (default 8).
    pub max_concurrent: usize,
    /// `LLM_BREAKER_FAILURES` (default 5; 0 turns the breaker off).
    pub breaker_failures: u32,
    /// `LLM_BREAKER_COOLDOWN_MS` (default 30000).
    pub breaker_cooldown: Duration,
    /// `LLM_CACHE_ENTRIES` (default 1024; 0 turns the cache off).
    pub cache_entries: usize,
}

impl Default for LlmConfig {
    fn default() -> Self {
        LlmConfig {
            provider: None,
            base_url: String::new(),
            api_key: None,
            model: String::new(),
            timeout: Duration::from_millis(DEFAULT_TIMEOUT_MS),
            max_concurrent: DEFAULT_MAX_CONCURRENT,
            breaker_failures: DEFAULT_BREAKER_FAILURES,
            breaker_cooldown: Duration::from_millis(DEFAULT_BREAKER_COOLDOWN_MS),
            cache_entries: DEFAULT_CACHE_ENTRIES,
        }
    }
}

fn invalid(name: &'static str, value: &str, reason: &str) -> ConfigError {
    ConfigError {
        name,
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}

impl LlmConfig {
    /// A model at `base_url` with the other settings at their defaults (for tests and tools).
    pub fn new(provider: Provider, base_url: &str, model: &str) -> LlmConfig {
        LlmConfig {
            provider: Some(provider),
            base_url: base_url.trim_end_matches('/').to_owned(),
            model: model.to_owned(),
            ..LlmConfig::default()
        }
    }

    /// Reads the `LLM_*` variables.
    ///
    /// # Errors
    ///
    /// An unknown provider, a base URL that is not `http(s)://` or carries a query (keys go in
    /// `LLM_API_KEY`, never in URLs that errors might print), a Gemini model name that is not a
    /// plain name, or a number that does not parse.
    pub fn from_env() -> Result<LlmConfig, ConfigError> {
        let defaults = LlmConfig::default();
        let provider = match var("LLM_PROVIDER").map(|p| p.trim().to_ascii_lowercase()) {
            None => None,
            Some(p) if p == "none" || p == "off" => None,
            Some(p) if p == "gemini" || p == "google" => Some(Provider::Gemini),
            Some(p) if p == "openai" => Some(Provider::OpenAi),
            Some(p) => {
                return Err(invalid(
                    "LLM_PROVIDER",
                    &p,
                    "must be gemini, openai (any OpenAI-compatible server) or none",
                ));
            }
        };
        let Some(provider) = provider else {
            return Ok(defaults);
        };
        let base_url = var("LLM_BASE_URL").map_or_else(
            || provider.default_base_url().to_owned(),
            |u| u.trim().to_owned(),
        );
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(invalid(
                "LLM_BASE_URL",
                &base_url,
                "must start with http:// or https://",
            ));
        }
        if base_url.contains(['?', '#']) {
            return Err(invalid(
                "LLM_BASE_URL",
                "[not shown: it has a query]",
                "must not carry a query or fragment; put the key in LLM_API_KEY",
            ));
        }
        let model = var("LLM_MODEL").map_or_else(
            || provider.default_model().to_owned(),
            |m| m.trim().trim_start_matches("models/").to_owned(),
        );
        if provider == Provider::Gemini
            && !model
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
        {
            return Err(invalid(
                "LLM_MODEL",
                &model,
                "a Gemini model name such as gemini-2.5-flash-lite",
            ));
        }
        Ok(LlmConfig {
            api_key: var("LLM_API_KEY").map(|k| Secret::new(k.trim())),
            timeout: Duration::from_millis(parsed("LLM_TIMEOUT_MS", DEFAULT_TIMEOUT_MS)?.max(1)),
            max_concurrent: parsed("LLM_MAX_CONCURRENT", DEFAULT_MAX_CONCURRENT)?.max(1),
            breaker_failures: parsed("LLM_BREAKER_FAILURES", DEFAULT_BREAKER_FAILURES)?,
            breaker_cooldown: Duration::from_millis(parsed(
                "LLM_BREAKER_COOLDOWN_MS",
                DEFAULT_BREAKER_COOLDOWN_MS,
            )?),
            cache_entries: parsed("LLM_CACHE_ENTRIES", DEFAULT_CACHE_ENTRIES)?,
            ..LlmConfig::new(provider, &base_url, &model)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_by_default_and_the_key_never_prints() {
        let off = LlmConfig::default();
        assert!(off.provider.is_none());
        let mut on = LlmConfig::new(Provider::OpenAi, "http://127.0.0.1:1/v1/", "m");
        on.api_key = Some(Secret::new("sk-very-secret"));
        assert_eq!(on.base_url, "http://127.0.0.1:1/v1");
        let debug = format!("{on:?}");
        assert!(!debug.contains("sk-very-secret"), "{debug}");
        assert!(debug.contains("[redacted]"));
    }
}
