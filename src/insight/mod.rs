//! Insight from a chart's own data, and optionally from a language model.
//!
//! The reference asks Gemini for chart titles, one-sentence narratives and chart-type
//! recommendations. This build computes them, deterministically and offline, and [`llm`] may
//! ask a model first (off unless `LLM_PROVIDER` is set), falling back to these:
//!
//! - [`narrative`]: a short title ([`data_title`]) and one sentence about the first dataset's
//!   peak, trough and change, the largest pie share or the scatter correlation
//!   ([`data_narrative`]); used by `options.ai_title` and `options.ai_narrative`.
//! - [`recommend()`]: a chart type, a reason and alternatives for column descriptors and optional
//!   sample rows ([`recommend_with_sample`]), for `POST /api/charts/recommend`.

pub mod alt_text;
mod labels;
pub mod llm;
pub mod narrative;
mod phrase;
pub mod recommend;
mod stats;
mod title;

pub use narrative::{data_narrative, data_title};
pub use recommend::{
    Column, ColumnKind, RecommendError, Recommendation, parse_request, recommend,
    recommend_request, recommend_with_sample, sample_rows,
};
