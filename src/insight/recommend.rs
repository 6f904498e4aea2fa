//! Chart recommendation from column descriptors (`POST /api/charts/recommend`), by rules.
//!
//! The reference asks a language model and falls back to `bar`; this build decides from the
//! column names and types (and, when given, a few sample rows), deterministically. Rules, first
//! match wins:
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

use super::labels::label_kind;
use crate::spec::ChartType;
use crate::spec::json_kind;
use serde_json::Value;
use std::collections::BTreeSet;

/// Most columns in one request.
pub const MAX_COLUMNS: usize = 100;
/// Longest column name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Sample rows looked at (the first ones).
pub(crate) const MAX_SAMPLE_ROWS: usize = 10_000;
/// Distinct category values counted, at most (more counts as "many").
const MAX_DISTINCT: usize = 1_000;
/// Categories up to which a pie is a good alternative.
const FEW_CATEGORIES: usize = 6;
/// Categories above which slices are unreadable.
const MANY_CATEGORIES: usize = 20;
/// Column names quoted in a reason, at most.
const MAX_LISTED: usize = 3;
/// Longest column name quoted in a reason, in characters.
const REASON_NAME_CHARS: usize = 40;

/// A column descriptor.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The column name, as sent (sample rows are keyed by it).
    pub name: String,
    /// What the column holds.
    pub kind: ColumnKind,
}

/// Column types clients send: "string"/"text"/"category" → Category,
/// "number"/"integer"/"float"/"int"/"decimal"/"currency"/"percent" → Number,
/// "date"/"datetime"/"time"/"timestamp" → Time, "boolean"/"bool" → Boolean; anything else →
/// Unknown (kept, not an error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text naming categories.
    Category,
    /// Numbers (measures, unless the name says time, like `year`).
    Number,
    /// Dates and times.
    Time,
    /// true / false.
    Boolean,
    /// A type name this build does not know; treated as a category when there is no other.
    Unknown,
}

impl ColumnKind {
    /// The kind for a client's type name (case-insensitive, surrounding spaces ignored).
    pub fn from_type_name(name: &str) -> ColumnKind {
        match name.trim().to_ascii_lowercase().as_str() {
            "string" | "text" | "category" => ColumnKind::Category,
            "number" | "integer" | "float" | "int" | "decimal" | "currency" | "percent" => {
                ColumnKind::Number
            }
            "date" | "datetime" | "time" | "timestamp" => ColumnKind::Time,
            "boolean" | "bool" => ColumnKind::Boolean,
            _ => ColumnKind::Unknown,
        }
    }
}

/// The answer.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Recommendation {
    /// A [`ChartType`] wire name.
    pub recommended: String,
    /// One sentence naming the columns used.
    pub reason: String,
    /// 1–3 other wire names, never the recommended one, no duplicates.
    pub alternatives: Vec<String>,
}

/// A client error in the request.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct RecommendError {
    /// `"MISSING_COLUMNS"` or `"VALIDATION_ERROR"`.
    pub code: &'static str,
    /// What is wrong, for people.
    pub message: String,
    /// JSON pointer to the faulty value (`/columns/3/name`; `""` for the body).
    pub path: String,
}

impl RecommendError {
    fn missing(message: impl Into<String>) -> Self {
        RecommendError {
            code: "MISSING_COLUMNS",
            message: message.into(),
            path: "/columns".to_owned(),
        }
    }

    fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        RecommendError {
            code: "VALIDATION_ERROR",
            message: message.into(),
            path: path.into(),
        }
    }
}

/// Validates the body: `columns` absent or not an array → MISSING_COLUMNS (as the reference);
/// empty array → MISSING_COLUMNS too; each entry must be an object with a non-empty string
/// `name` (≤ 200 chars) and a string `type` → else VALIDATION_ERROR with path
/// `/columns/3/name`; more than 100 columns → VALIDATION_ERROR. Body not an object →
/// VALIDATION_ERROR at "".
///
/// # Errors
///
/// The first problem found, with its JSON pointer.
pub fn parse_request(body: &Value) -> Result<Vec<Column>, RecommendError> {
    let Some(root) = body.as_object() else {
        return Err(RecommendError::invalid(
            "",
            format!(
                "the body must be a JSON object with a `columns` array, got {}",
                json_kind(body)
            ),
        ));
    };
    let entries = match root.get("columns") {
        None | Some(Value::Null) => {
            return Err(RecommendError::missing(
                "`columns` is required: an array of {\"name\", \"type\"} descriptors",
            ));
        }
        Some(Value::Array(entries)) => entries,
        Some(other) => {
            return Err(RecommendError::missing(format!(
                "`columns` must be an array of {{\"name\", \"type\"}} descriptors, got {}",
                json_kind(other)
            )));
        }
    };
    if entries.is_empty() {
        return Err(RecommendError::missing(
            "`columns` is empty: send at least one {\"name\", \"type\"} descriptor",
        ));
    }
    if entries.len() > MAX_COLUMNS {
        return Err(RecommendError::invalid(
            "/columns",
            format!(
                "{} columns is more than the limit of {MAX_COLUMNS}",
                entries.len()
            ),
        ));
    }
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| column(i, entry))
        .collect()
}

/// One descriptor, `/columns/{i}`.
fn column(i: usize, entry: &Value) -> Result<Column, RecommendError> {
    let path = format!("/columns/{i}");
    let Some(obj) = entry.as_object() else {
        return Err(RecommendError::invalid(
            path,
            format!(
                "a column must be an object with `name` and `type`, got {}",
                json_kind(entry)
            ),
        ));
    };
    let name = match obj.get("name") {
        None => {
            return Err(RecommendError::invalid(
                format!("{path}/name"),
                "this column has no `name`",
            ));
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            return Err(RecommendError::invalid(
                format!("{path}/name"),
                "`name` must not be empty",
            ));
        }
        Some(Value::String(s)) if s.chars().count() > MAX_NAME_CHARS => {
            return Err(RecommendError::invalid(
                format!("{path}/name"),
                format!("`name` is longer than {MAX_NAME_CHARS} characters"),
            ));
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(RecommendError::invalid(
                format!("{path}/name"),
                format!("`name` must be a string, got {}", json_kind(other)),
            ));
        }
    };
    let type_name = match obj.get("type") {
        Some(Value::String(s)) => s,
        None => {
            return Err(RecommendError::invalid(
                format!("{path}/type"),
                "this column has no `type` (e.g. \"string\", \"number\" or \"date\")",
            ));
        }
        Some(other) => {
            return Err(RecommendError::invalid(
                format!("{path}/type"),
                format!("`type` must be a string, got {}", json_kind(other)),
            ));
        }
    };
    Ok(Column {
        name,
        kind: ColumnKind::from_type_name(type_name),
    })
}

/// The optional `sample` rows of a request body: its array, or nothing when absent or not an
/// array.
pub fn sample_rows(body: &Value) -> &[Value] {
    body.get("sample")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

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

/// A recommendation before its alternatives are cleaned up.
struct Draft {
    chart: ChartType,
    reason: String,
    alternatives: Vec<ChartType>,
}

impl Draft {
    fn new(chart: ChartType, reason: String, alternatives: &[ChartType]) -> Draft {
        Draft {
            chart,
            reason,
            alternatives: alternatives.to_vec(),
        }
    }

    /// Drops the recommended type and repeats, keeps 1–3 alternatives.
    fn finish(self) -> Recommendation {
        let mut alternatives: Vec<ChartType> = Vec::new();
        for t in self.alternatives {
            if t != self.chart && !alternatives.contains(&t) {
                alternatives.push(t);
            }
        }
        alternatives.truncate(3);
        if alternatives.is_empty() {
            // Never empty: the first of bar and line that is not the recommendation.
            let fallback = if self.chart == ChartType::Bar {
                ChartType::Line
            } else {
                ChartType::Bar
            };
            alternatives.push(fallback);
        }
        Recommendation {
            recommended: self.chart.name().to_owned(),
            reason: self.reason,
            alternatives: alternatives.iter().map(|t| t.name().to_owned()).collect(),
        }
    }
}

/// What the sample rows say about each column.
struct Stats {
    /// Per column (same order as the columns).
    columns: Vec<ColumnStats>,
}

#[derive(Default)]
struct ColumnStats {
    /// Distinct non-null values as text, up to [`MAX_DISTINCT`] + 1.
    distinct: BTreeSet<String>,
    /// The first non-empty values as text, for date detection.
    texts: Vec<String>,
    /// Numeric values seen.
    numbers: usize,
    /// Any negative number.
    negative: bool,
    /// Sum of the numbers.
    sum: f64,
    /// Largest number.
    max: f64,
}

impl Stats {
    fn new(columns: &[Column], rows: &[&serde_json::Map<String, Value>]) -> Stats {
        let columns = columns
            .iter()
            .map(|c| {
                let mut s = ColumnStats {
                    max: f64::NEG_INFINITY,
                    ..ColumnStats::default()
                };
                for row in rows {
                    let Some(v) = row.get(&c.name) else { continue };
                    let text = match v {
                        Value::String(t) => t.trim().to_owned(),
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        _ => continue,
                    };
                    let number = match v {
                        Value::Number(n) => n.as_f64(),
                        Value::String(t) => t.trim().parse::<f64>().ok(),
                        _ => None,
                    };
                    if let Some(x) = number.filter(|x| x.is_finite()) {
                        s.numbers += 1;
                        s.negative |= x < 0.0;
                        s.sum += x;
                        s.max = s.max.max(x);
                    }
                    if text.is_empty() {
                        continue;
                    }
                    if s.texts.len() < 50 {
                        s.texts.push(text.clone());
                    }
                    if s.distinct.len() <= MAX_DISTINCT {
                        s.distinct.insert(text);
                    }
                }
                s
            })
            .collect();
        Stats { columns }
    }

    fn of(&self, index: usize) -> Option<&ColumnStats> {
        self.columns.get(index)
    }
}

impl ColumnStats {
    /// Whether the values look like dates or other time stamps.
    fn looks_like_time(&self) -> bool {
        self.texts.len() >= 2 && label_kind(&self.texts).is_some_and(|k| k.is_time())
    }

    /// Whether the values are non-negative parts summing to about 100 (or 1).
    fn sums_to_whole(&self) -> bool {
        self.numbers >= 2
            && !self.negative
            && ((99.0..=101.0).contains(&self.sum)
                || ((0.99..=1.01).contains(&self.sum) && self.max <= 1.0))
    }
}

/// A column with its index (for the sample statistics) and name words.
struct Col<'a> {
    index: usize,
    name: &'a str,
    kind: ColumnKind,
    words: Vec<String>,
}

impl Col<'_> {
    /// Whether a word of the name is one of `keywords` (or its plural).
    fn named(&self, keywords: &[&str]) -> bool {
        self.words.iter().any(|w| {
            keywords
                .iter()
                .any(|k| w == k || w.strip_suffix('s').is_some_and(|stem| stem == *k))
        })
    }

    /// The name for a reason sentence.
    fn label(&self) -> String {
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.chars().count() <= REASON_NAME_CHARS {
            name
        } else {
            let cut: String = name.chars().take(REASON_NAME_CHARS - 1).collect();
            format!("{}…", cut.trim_end())
        }
    }
}

/// Names that put a column on a time axis.
const TIME_WORDS: [&str; 16] = [
    "month",
    "date",
    "year",
    "week",
    "day",
    "quarter",
    "time",
    "period",
    "datetime",
    "timestamp",
    "hour",
    "yr",
    "qtr",
    "weekday",
    "ts",
    "dt",
];
/// Names of numeric columns that are a time axis rather than a measure (`year`, `order_month`).
const NUMERIC_TIME_WORDS: [&str; 9] = [
    "year",
    "month",
    "week",
    "day",
    "quarter",
    "hour",
    "date",
    "timestamp",
    "epoch",
];
const TARGET_WORDS: [&str; 5] = ["target", "goal", "quota", "benchmark", "actual"];
const STAGE_WORDS: [&str; 4] = ["stage", "step", "phase", "funnel"];
const SLOPE_WORDS: [&str; 6] = ["start", "end", "before", "after", "initial", "final"];
const CHANGE_WORDS: [&str; 6] = [
    "delta",
    "change",
    "increase",
    "decrease",
    "diff",
    "difference",
];
const WHOLE_WORDS: [&str; 11] = [
    "share",
    "percent",
    "percentage",
    "pct",
    "%",
    "portion",
    "segment",
    "breakdown",
    "distribution",
    "composition",
    "market",
];
const ACTIVITY_WORDS: [&str; 6] = [
    "activity",
    "commit",
    "contribution",
    "count",
    "event",
    "session",
];
const COMPETITOR_WORDS: [&str; 4] = ["competitor", "competition", "rival", "vendor"];

/// The words of a column name: split at non-alphanumerics and camelCase humps, lower-cased;
/// `%` is a word of its own.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.extend(c.to_lowercase());
            prev_lower = c.is_lowercase() || c.is_numeric();
        } else {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            if c == '%' {
                out.push("%".to_owned());
            }
            prev_lower = false;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The columns sorted into roles.
struct Profile<'a> {
    /// The time axis, if any (the first time-like column).
    time: Option<Col<'a>>,
    /// Category columns (text, booleans; unknown types when there is no other).
    dims: Vec<Col<'a>>,
    /// Numeric columns that are not a time axis.
    measures: Vec<Col<'a>>,
}

impl<'a> Profile<'a> {
    fn new(columns: &'a [Column], stats: Option<&Stats>) -> Profile<'a> {
        let mut time = None;
        let mut dims = Vec::new();
        let mut unknown = Vec::new();
        let mut measures = Vec::new();
        for (index, c) in columns.iter().enumerate() {
            let col = Col {
                index,
                name: &c.name,
                kind: c.kind,
                words: words(&c.name),
            };
            let sampled_time = || {
                stats
                    .and_then(|s| s.of(index))
                    .is_some_and(ColumnStats::looks_like_time)
            };
            let is_time = match c.kind {
                ColumnKind::Time => true,
                ColumnKind::Number => {
                    col.words.len() <= 2
                        && col
                            .words
                            .last()
                            .is_some_and(|w| NUMERIC_TIME_WORDS.contains(&w.as_str()))
                }
                ColumnKind::Category | ColumnKind::Unknown => {
                    col.named(&TIME_WORDS)
                        || (col.words.len() >= 2
                            && col.words.last().is_some_and(|w| w == "at")
                            && col.words[col.words.len() - 2].ends_with("ed"))
                        || sampled_time()
                }
                ColumnKind::Boolean => false,
            };
            if is_time && time.is_none() {
                time = Some(col);
            } else if c.kind == ColumnKind::Number && !is_time {
                measures.push(col);
            } else if c.kind == ColumnKind::Unknown {
                unknown.push(col);
            } else {
                dims.push(col);
            }
        }
        if dims.is_empty() {
            dims = unknown;
        }
        Profile {
            time,
            dims,
            measures,
        }
    }
}

/// "a", "a and b", "a, b and c", "a, b, c and 4 more".
fn list(cols: &[&Col<'_>]) -> String {
    let names: Vec<String> = cols.iter().take(MAX_LISTED).map(|c| c.label()).collect();
    let rest = cols.len().saturating_sub(MAX_LISTED);
    match (names.as_slice(), rest) {
        ([], _) => String::new(),
        ([a], _) => a.clone(),
        ([a, b], _) => format!("{a} and {b}"),
        ([a, b, c], 0) => format!("{a}, {b} and {c}"),
        (all, rest) => format!("{} and {rest} more", all.join(", ")),
    }
}

fn all<'c, 'a>(cols: &'c [Col<'a>]) -> Vec<&'c Col<'a>> {
    cols.iter().collect()
}

/// The rules.
fn decide(columns: &[Column], stats: Option<&Stats>) -> Draft {
    use ChartType::{
        Bar, Bullet, CompetitiveRadar, Funnel, Heatcalendar, Line, Lollipop, Pie, Radar, Scatter,
        Slope, Sparkline, Waterfall,
    };
    if columns.is_empty() {
        return Draft::new(
            Bar,
            "No columns were given, so a bar chart is the default.".to_owned(),
            &[Line, Pie],
        );
    }
    let p = Profile::new(columns, stats);
    let measures = all(&p.measures);
    let dim = p.dims.first();
    // What the values are laid out along, for reasons: "per region", "over month".
    let along = match (&p.time, dim) {
        (Some(t), _) => format!(" over {}", t.label()),
        (None, Some(d)) => format!(" per {}", d.label()),
        (None, None) => String::new(),
    };

    // Named roles first: a target (not "actual" when a real target is there), stages, two
    // points in time, changes, competitors.
    let target = p
        .measures
        .iter()
        .find(|m| m.named(&TARGET_WORDS[..4]))
        .or_else(|| p.measures.iter().find(|m| m.named(&TARGET_WORDS)));
    if let Some(target) = target {
        let others: Vec<&Col<'_>> = p
            .measures
            .iter()
            .filter(|m| m.index != target.index)
            .collect();
        let reason = if others.is_empty() {
            format!(
                "A bullet chart shows {}{along} as progress toward a target.",
                target.label()
            )
        } else {
            format!(
                "A bullet chart shows {} against {}{along} as progress toward a target.",
                list(&others),
                target.label()
            )
        };
        return Draft::new(Bullet, reason, &[Bar, Lollipop]);
    }
    if let Some(stage) = p.dims.iter().find(|d| d.named(&STAGE_WORDS)) {
        let what = match measures.first() {
            Some(m) => m.label(),
            None => "counts".to_owned(),
        };
        return Draft::new(
            Funnel,
            format!(
                "A funnel chart shows {what} per {} narrowing stage by stage.",
                stage.label()
            ),
            &[Bar, Lollipop],
        );
    }
    let slope: Vec<&Col<'_>> = p
        .measures
        .iter()
        .filter(|m| m.named(&SLOPE_WORDS))
        .collect();
    if slope.len() >= 2 || (slope.len() == 1 && measures.len() == 2) {
        let pair = if slope.len() >= 2 {
            list(&slope[..2])
        } else {
            list(&measures)
        };
        return Draft::new(
            Slope,
            format!("A slope chart compares {pair}{along} as two points in time."),
            &[Bar, Line],
        );
    }
    if let Some(change) = p.measures.iter().find(|m| m.named(&CHANGE_WORDS)) {
        return Draft::new(
            Waterfall,
            format!(
                "A waterfall chart adds up the increases and decreases of {}{along} step by step.",
                change.label()
            ),
            &[Bar, Line],
        );
    }
    if let Some(rival) = p.dims.iter().find(|d| d.named(&COMPETITOR_WORDS))
        && measures.len() >= 2
    {
        return Draft::new(
            CompetitiveRadar,
            format!(
                "A competitive radar compares {} per {} across several scores.",
                list(&measures),
                rival.label()
            ),
            &[Radar, Bar],
        );
    }

    // A time axis.
    if let Some(t) = &p.time {
        let daily = t.kind == ColumnKind::Time
            || t.named(&["date", "day", "datetime", "timestamp", "ts", "dt"]);
        let time = t.label();
        return match (measures.as_slice(), dim) {
            ([], _) => Draft::new(
                Bar,
                format!(
                    "With no numeric column, a bar chart of counts per {time} is the clearest view."
                ),
                if daily {
                    &[Line, Heatcalendar]
                } else {
                    &[Line, Lollipop]
                },
            ),
            ([m], Some(d)) => Draft::new(
                Line,
                format!(
                    "A line chart shows {} over {time} with one line per {}.",
                    m.label(),
                    d.label()
                ),
                &[Bar, Radar],
            ),
            ([m], None) => {
                let alternatives: &[ChartType] = if daily && m.named(&ACTIVITY_WORDS) {
                    &[Heatcalendar, Bar, Sparkline]
                } else {
                    &[Bar, Sparkline]
                };
                Draft::new(
                    Line,
                    format!(
                        "A line chart shows {} over {time} as a time series.",
                        m.label()
                    ),
                    alternatives,
                )
            }
            ([_, _], _) => Draft::new(
                Line,
                format!(
                    "A line chart compares {} over {time}, two time series.",
                    list(&measures)
                ),
                &[Bar, Scatter],
            ),
            (_, _) => Draft::new(
                Line,
                format!(
                    "A line chart compares {} over {time}, several time series.",
                    list(&measures)
                ),
                &[Bar, Radar],
            ),
        };
    }

    // Categories without time.
    match (measures.as_slice(), dim) {
        ([], Some(d)) => Draft::new(
            Bar,
            format!(
                "With no numeric column, a bar chart of counts per {} is the clearest view.",
                d.label()
            ),
            &[Pie, Lollipop],
        ),
        ([], None) => Draft::new(
            Bar,
            "With no numeric or category column to use, a bar chart is the default.".to_owned(),
            &[Line, Pie],
        ),
        ([m], Some(d)) => one_category(m, d, stats),
        ([m], None) => Draft::new(
            Sparkline,
            format!(
                "A compact sparkline suits {}, a single numeric column with no category or time axis.",
                m.label()
            ),
            &[Line, Bullet],
        ),
        ([a, b], None) => Draft::new(
            Scatter,
            format!(
                "A scatter chart shows how {} and {} relate, two numeric columns with no category.",
                a.label(),
                b.label()
            ),
            &[Line, Bar],
        ),
        (_, None) => Draft::new(
            Line,
            format!(
                "A line chart shows {} as series, numeric columns with no category or time axis.",
                list(&measures)
            ),
            &[Scatter, Radar],
        ),
        (_, Some(d)) => {
            let many = stats
                .and_then(|s| s.of(d.index))
                .is_some_and(|s| s.distinct.len() > MANY_CATEGORIES);
            Draft::new(
                Bar,
                format!(
                    "Grouped bars compare {} per {} across categories.",
                    list(&measures),
                    d.label()
                ),
                if many {
                    &[Line, Lollipop]
                } else {
                    &[Line, Radar]
                },
            )
        }
    }
}

/// One category and one measure: bar, or pie for parts of a whole.
fn one_category(m: &Col<'_>, d: &Col<'_>, stats: Option<&Stats>) -> Draft {
    use ChartType::{Bar, Donut, Line, Lollipop, Pie, Polar};
    let dim_stats = stats.and_then(|s| s.of(d.index));
    let value_stats = stats.and_then(|s| s.of(m.index));
    let categories = dim_stats.map(|s| s.distinct.len()).filter(|&n| n > 0);
    let negative = value_stats.is_some_and(|s| s.negative);
    let many = categories.is_some_and(|n| n > MANY_CATEGORIES);
    let few = categories.is_some_and(|n| n <= FEW_CATEGORIES);
    let whole_name = m.named(&WHOLE_WORDS) || d.named(&WHOLE_WORDS);
    let whole_values = value_stats.is_some_and(ColumnStats::sums_to_whole);
    let what = format!("{} per {}", m.label(), d.label());

    if negative {
        return Draft::new(
            Bar,
            format!("A bar chart suits {what}, whose negative values pie slices cannot show."),
            &[Lollipop, Line],
        );
    }
    if let Some(n) = categories.filter(|_| many) {
        let n = if n > MAX_DISTINCT {
            format!("more than {MAX_DISTINCT}")
        } else {
            n.to_string()
        };
        return Draft::new(
            Bar,
            format!("A bar chart suits {what}, whose {n} categories are too many for pie slices."),
            &[Lollipop, Line],
        );
    }
    if whole_values {
        return Draft::new(
            Pie,
            format!(
                "A pie chart shows {what} as parts of a whole, since the values add up to one total."
            ),
            &[Donut, Bar],
        );
    }
    if whole_name {
        return Draft::new(
            Pie,
            format!("A pie chart shows {what} as parts of a whole."),
            &[Donut, Bar],
        );
    }
    let reason = format!("A bar chart compares {what} across categories.");
    if few {
        Draft::new(Bar, reason, &[Pie, Lollipop, Donut])
    } else if categories.is_some() {
        Draft::new(Bar, reason, &[Lollipop, Pie, Polar])
    } else {
        Draft::new(Bar, reason, &[Lollipop, Pie])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_names() {
        assert_eq!(words("orderDate"), ["order", "date"]);
        assert_eq!(words("market_share %"), ["market", "share", "%"]);
        assert_eq!(words("Revenue (USD)"), ["revenue", "usd"]);
        assert_eq!(words("HTTPStatus"), ["httpstatus"]);
    }

    #[test]
    fn type_names() {
        assert_eq!(ColumnKind::from_type_name(" Integer "), ColumnKind::Number);
        assert_eq!(ColumnKind::from_type_name("datetime"), ColumnKind::Time);
        assert_eq!(ColumnKind::from_type_name("blob"), ColumnKind::Unknown);
    }
}
