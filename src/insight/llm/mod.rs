//! An optional language model for chart titles, narratives and recommendations, behind the
//! data-driven ones.
//!
//! With `LLM_PROVIDER` unset nothing here makes a call. With it set, a chart that asks for
//! `ai_title` / `ai_narrative` and a `recommend` request send the model a compact
//! `summary` of the data (never the data) and ask for a JSON answer, which is
//! validated (`answer`): a title of at most six words, one sentence of at most 200 characters,
//! chart types from the 15 and no number that is not in the summary (`guard`). Whatever fails
//! — timeout, error status, 429, unreadable answer, a rule broken — falls back to the
//! data-driven text, field by field, and the response says which was used
//! (`narrative_source: "llm" | "data"`).
//!
//! Bounded: one `LLM_TIMEOUT_MS` covers waiting for a slot ([`Semaphore`] of
//! `LLM_MAX_CONCURRENT`) and the call, so a chart is never slower than a plain render plus the
//! timeout; answers are cached by the hash of the question; a `breaker` skips the model
//! after a run of failures. Metrics (the `metrics` facade): `llm_calls_total`,
//! `llm_failures_total{reason}`, `llm_timeouts_total`, `llm_cache_hits_total`,
//! `llm_skipped_total`, `llm_rejected_total{field,reason}`, `llm_breaker_opened_total` and the
//! `llm_latency_seconds` histogram.

mod answer;
mod breaker;
mod cache;
mod client;
mod gemini;
mod guard;
mod openai;
mod prompt;
mod summary;

pub use crate::config::llm::{LlmConfig, Provider};
pub use client::LlmError;

use crate::insight::narrative::{data_narrative, data_title};
use crate::insight::recommend::{Column, Recommendation, recommend_with_sample};
use crate::spec::ChartSpec;
use answer::Rejection;
use breaker::{Breaker, Transition};
use cache::AnswerCache;
use client::{CallError, ModelClient};
use guard::AllowedNumbers;
use metrics::{counter, histogram};
use prompt::Prompt;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Where a title, narrative or recommendation came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The model's answer, validated.
    Llm,
    /// Computed from the data (the model is off, failed, or its answer broke a rule).
    Data,
}

impl Source {
    /// `"llm"` or `"data"`.
    pub fn name(self) -> &'static str {
        match self {
            Source::Llm => "llm",
            Source::Data => "data",
        }
    }
}

/// A text and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Sourced {
    /// The text.
    pub text: String,
    /// Its source.
    pub source: Source,
}

/// The generated texts of one chart; a field is `None` when it was not asked for (or the data
/// gave nothing to say and the model was not used).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartText {
    /// The title, when `ai_title` is set and the spec has none.
    pub title: Option<Sourced>,
    /// The one-sentence narrative, when `ai_narrative` is set.
    pub narrative: Option<Sourced>,
}

impl ChartText {
    /// Puts the title and the narrative (as the subtitle) into the spec to be drawn.
    pub fn apply(&self, spec: &mut ChartSpec) {
        if let Some(t) = &self.title {
            spec.options.title = Some(t.text.clone());
        }
        if let Some(n) = &self.narrative {
            spec.options.subtitle = Some(n.text.clone());
        }
    }
}

/// The model, or nothing; cheap to clone.
#[derive(Clone, Default)]
pub struct Llm {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    provider: Provider,
    model: String,
    timeout: Duration,
    client: ModelClient,
    permits: Semaphore,
    cache: AnswerCache,
    breaker: Breaker,
}

impl std::fmt::Debug for Llm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner {
            None => f.write_str("Llm(off)"),
            Some(i) => write!(f, "Llm({}, {})", i.provider.name(), i.model),
        }
    }
}

fn describe_metrics() {
    use metrics::{describe_counter, describe_histogram};
    describe_counter!("llm_calls_total", "Model calls sent");
    describe_counter!("llm_failures_total", "Model calls that failed, by reason");
    describe_counter!(
        "llm_timeouts_total",
        "Model calls cut off by LLM_TIMEOUT_MS"
    );
    describe_counter!(
        "llm_cache_hits_total",
        "Model answers served from the cache"
    );
    describe_counter!(
        "llm_skipped_total",
        "Model calls skipped by the open breaker"
    );
    describe_counter!("llm_rejected_total", "Answer fields rejected by validation");
    describe_counter!(
        "llm_breaker_opened_total",
        "Times the circuit breaker opened"
    );
    describe_histogram!(
        "llm_latency_seconds",
        metrics::Unit::Seconds,
        "Model call latency"
    );
}

impl Llm {
    /// No model: every text is data-driven and nothing is called.
    pub fn off() -> Llm {
        Llm::default()
    }

    /// The model as configured (off when `config.provider` is `None`).
    ///
    /// # Errors
    ///
    /// A key that cannot be sent in a header, or an HTTP client that cannot be built.
    pub fn new(config: &LlmConfig) -> Result<Llm, LlmError> {
        let Some(provider) = config.provider else {
            return Ok(Llm::off());
        };
        describe_metrics();
        let client = ModelClient::new(provider, config)?;
        tracing::info!(
            provider = provider.name(),
            model = %config.model,
            timeout_ms = config.timeout.as_millis() as u64,
            key = if config.api_key.is_some() { "set" } else { "none" },
            "language model enabled for titles, narratives and recommendations"
        );
        Ok(Llm {
            inner: Some(Arc::new(Inner {
                provider,
                model: config.model.clone(),
                timeout: config.timeout,
                client,
                permits: Semaphore::new(config.max_concurrent.max(1)),
                cache: AnswerCache::new(config.cache_entries, cache::CACHE_TTL),
                // A probe that has not reported within two timeouts was cancelled.
                breaker: Breaker::new(
                    config.breaker_failures,
                    config.breaker_cooldown,
                    config.timeout * 2,
                ),
            })),
        })
    }

    /// `{provider, model, healthy}` for `/health` (`healthy` is false while the breaker is
    /// open); `provider` and `model` are null when off.
    pub fn health(&self) -> Value {
        match &self.inner {
            None => json!({ "provider": null, "model": null, "healthy": true }),
            Some(i) => json!({
                "provider": i.provider.name(),
                "model": i.model,
                "healthy": !i.breaker.is_open(),
            }),
        }
    }

    /// The title (when `ai_title` is set and the spec has none) and narrative (when
    /// `ai_narrative` is set): the model's when it answers in time and within the rules, else
    /// the data-driven ones. Takes at most `LLM_TIMEOUT_MS` more than the data-driven texts.
    pub async fn chart_text(&self, spec: &ChartSpec) -> ChartText {
        let want_title = spec.options.title.is_none() && spec.options.ai_title;
        let want_narrative = spec.options.ai_narrative;
        let data = |text: Option<String>| {
            text.map(|text| Sourced {
                text,
                source: Source::Data,
            })
        };
        let mut out = ChartText {
            title: data(want_title.then(|| data_title(spec)).flatten()),
            narrative: data(want_narrative.then(|| data_narrative(spec)).flatten()),
        };
        let Some(inner) = &self.inner else {
            return out;
        };
        if !(want_title || want_narrative) {
            return out;
        }
        let summary = summary::chart_summary(spec);
        let question = prompt::chart_text(&summary, want_title, want_narrative);
        let Some(answer) = inner.ask(&question).await else {
            return out;
        };
        let allowed = AllowedNumbers::from_summary(&summary);
        let llm = |r: Result<String, Rejection>, field: &'static str| match r {
            Ok(text) => Some(Sourced {
                text,
                source: Source::Llm,
            }),
            Err(why) => {
                rejected(field, &why);
                None
            }
        };
        if want_title && let Some(t) = llm(answer::title(&answer, &allowed), "title") {
            out.title = Some(t);
        }
        if want_narrative && let Some(n) = llm(answer::narrative(&answer, &allowed), "narrative") {
            out.narrative = Some(n);
        }
        out
    }

    /// A chart type for the columns (and optional sample rows): the model's when it answers in
    /// time with types from the 15, else the rules'.
    pub async fn recommend(
        &self,
        columns: &[Column],
        sample: &[Value],
    ) -> (Recommendation, Source) {
        let rules = recommend_with_sample(columns, sample);
        let Some(inner) = &self.inner else {
            return (rules, Source::Data);
        };
        let summary = summary::columns_summary(columns, sample);
        let Some(answer) = inner.ask(&prompt::recommend(&summary)).await else {
            return (rules, Source::Data);
        };
        match answer::recommendation(&answer, &AllowedNumbers::from_summary(&summary)) {
            Ok(r) => (r, Source::Llm),
            Err(why) => {
                rejected("recommendation", &why);
                (rules, Source::Data)
            }
        }
    }
}

fn rejected(field: &'static str, why: &Rejection) {
    counter!("llm_rejected_total", "field" => field, "reason" => why.reason()).increment(1);
    tracing::info!(field, reason = %why, "model answer not used; using the data-driven text");
}

impl Inner {
    /// The model's answer object for `prompt`: from the cache, or one call bounded by the
    /// timeout. `None` when the breaker is open or the call failed.
    async fn ask(&self, prompt: &Prompt) -> Option<Value> {
        let provider = self.provider.name();
        let task = prompt.task;
        let key = cache::key(&[
            task,
            provider,
            self.model.as_str(),
            prompt.system.as_str(),
            prompt.user.as_str(),
        ]);
        if let Some(answer) = self.cache.get(key) {
            counter!("llm_cache_hits_total", "task" => task).increment(1);
            return Some(answer);
        }
        if !self.breaker.allow() {
            counter!("llm_skipped_total", "task" => task, "reason" => "breaker_open").increment(1);
            return None;
        }
        counter!("llm_calls_total", "provider" => provider, "task" => task).increment(1);
        let start = Instant::now();
        let call = async {
            let _slot = self
                .permits
                .acquire()
                .await
                .map_err(|_| CallError::Transport("shutting down".into()))?;
            let text = self.client.complete(prompt).await?;
            answer::json_object(&text)
                .map_err(|_| CallError::Malformed("the answer is not a JSON object"))
        };
        let result = tokio::time::timeout(self.timeout, call)
            .await
            .unwrap_or(Err(CallError::Timeout));
        let outcome = match &result {
            Ok(_) => "ok",
            Err(CallError::Timeout) => "timeout",
            Err(_) => "error",
        };
        histogram!("llm_latency_seconds", "provider" => provider, "task" => task, "outcome" => outcome)
            .record(start.elapsed().as_secs_f64());
        match result {
            Ok(answer) => {
                self.note(self.breaker.success());
                self.cache.put(key, answer.clone());
                Some(answer)
            }
            Err(e) => {
                if e == CallError::Timeout {
                    counter!("llm_timeouts_total", "provider" => provider, "task" => task)
                        .increment(1);
                } else {
                    counter!("llm_failures_total", "provider" => provider, "task" => task, "reason" => e.reason())
                        .increment(1);
                }
                tracing::warn!(provider, task, error = %e, "model call failed; using the data-driven text");
                let transition = match e {
                    CallError::RateLimited(after) => self.breaker.pause(after),
                    _ => self.breaker.failure(),
                };
                self.note(transition);
                None
            }
        }
    }

    /// Logs and counts a breaker change.
    fn note(&self, transition: Transition) {
        let provider = self.provider.name();
        match transition {
            Transition::None => {}
            Transition::Opened(d) => {
                counter!("llm_breaker_opened_total", "provider" => provider).increment(1);
                tracing::warn!(
                    provider,
                    seconds = d.as_secs_f64(),
                    "circuit breaker open: skipping the model"
                );
            }
            Transition::Closed => {
                tracing::info!(provider, "circuit breaker closed: the model answers again");
            }
        }
    }
}
