//! Chart recommendation from column descriptors (`POST /api/charts/recommend`), by rules.
//!
//! The reference asks a language model and falls back to `bar`; this build decides from the
//! column names and types (and, when given, a few sample rows), deterministically. Rules, first
//! match wins (`rules`, an ordered table; `request` reads the body, `profile` sorts the columns):
//!
//! | columns                                                           | chart       |
//! |-------------------------------------------------------------------|-------------|
//! | a measure named target, goal, quota, benchmark or actual          | `bullet`    |
//! | a category named stage, step, phase or funnel                     | `funnel`    |
//! | two measures named start/end, before/after, initial/final         | `slope`     |
//! | a measure named delta, change, increase, decrease, diff           | `waterfall` |
//! | a category named competitor, rival or vendor, 2+ measures         | `competitive_radar` |
//! | a time axis (a time column, or a name such as month, date, year)  | `line`      |
//! | one category and one measure                                      | `bar`; `pie` for parts of a whole (share, percent, segment, …) |
//! | one category and several measures                                 | `bar` (grouped) |
//! | no category: one measure / two / three or more                    | `sparkline` / `scatter` / `line` |
//! | no measure                                                        | `bar` of counts per category |
//!
//! Sample rows refine the category + measure case: values that are all non-negative and sum to
//! about 100 (or 1) make a `pie`; more than 20 categories rule slices out; negative values rule
//! out `pie` and `donut`; 6 categories or fewer put `pie` first among the alternatives.

mod profile;
mod request;
mod rules;

pub(crate) use request::MAX_SAMPLE_ROWS;
pub use request::{
    Column, ColumnKind, MAX_COLUMNS, MAX_NAME_CHARS, RecommendError, parse_request, sample_rows,
};
pub use rules::Recommendation;

use profile::Stats;
use rules::decide;
use serde_json::Value;

/// Parses a whole request body and recommends, using its `sample` rows when present.
///
/// # Errors
///
/// As [`parse_request`].
pub fn recommend_request(body: &Value) -> Result<Recommendation, RecommendError> {
    let columns = parse_request(body)?;
    Ok(recommend_with_sample(&columns, sample_rows(body)))
}

/// Rules over names and types (see the module docs): time axis → line; category + measure →
/// bar (pie for parts of a whole); two measures → scatter; one measure → sparkline; names like
/// target, stage, before/after, delta → bullet, funnel, slope, waterfall. The reason is one
/// sentence naming the columns used. Deterministic.
pub fn recommend(columns: &[Column]) -> Recommendation {
    decide(columns, None).finish()
}

/// Same as [`recommend`], also using sample rows (may be empty): category cardinality (≤ 6
/// distinct values → pie as an alternative; > 20 → no pie), value ranges (all non-negative and
/// summing to ~100 → pie; negatives → no pie). Rows are JSON objects keyed by column name;
/// malformed rows are ignored. Category columns whose sample values are dates are used as the
/// time axis.
pub fn recommend_with_sample(columns: &[Column], sample: &[Value]) -> Recommendation {
    let rows: Vec<&serde_json::Map<String, Value>> = sample
        .iter()
        .take(MAX_SAMPLE_ROWS)
        .filter_map(Value::as_object)
        .collect();
    if rows.is_empty() {
        return recommend(columns);
    }
    let stats = Stats::new(columns, &rows);
    decide(columns, Some(&stats)).finish()
}
