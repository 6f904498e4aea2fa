//! The columns sorted into roles (a time axis, categories, measures) by their names, types and,
//! when given, what the sample rows hold.

use super::request::{Column, ColumnKind};
use crate::insight::labels::label_kind;
use serde_json::Value;
use std::collections::BTreeSet;

/// Distinct category values counted, at most (more counts as "many").
pub(super) const MAX_DISTINCT: usize = 1_000;
/// Longest column name quoted in a reason, in characters.
const REASON_NAME_CHARS: usize = 40;

/// What the sample rows say about each column.
pub(super) struct Stats {
    /// Per column (same order as the columns).
    columns: Vec<ColumnStats>,
}

#[derive(Default)]
pub(super) struct ColumnStats {
    /// Distinct non-null values as text, up to [`MAX_DISTINCT`] + 1.
    pub(super) distinct: BTreeSet<String>,
    /// The first non-empty values as text, for date detection.
    texts: Vec<String>,
    /// Numeric values seen.
    numbers: usize,
    /// Any negative number.
    pub(super) negative: bool,
    /// Sum of the numbers.
    sum: f64,
    /// Largest number.
    max: f64,
}

impl Stats {
    pub(super) fn new(columns: &[Column], rows: &[&serde_json::Map<String, Value>]) -> Stats {
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

    pub(super) fn of(&self, index: usize) -> Option<&ColumnStats> {
        self.columns.get(index)
    }
}

impl ColumnStats {
    /// Whether the values look like dates or other time stamps.
    pub(super) fn looks_like_time(&self) -> bool {
        self.texts.len() >= 2 && label_kind(&self.texts).is_some_and(|k| k.is_time())
    }

    /// Whether the values are non-negative parts summing to about 100 (or 1).
    pub(super) fn sums_to_whole(&self) -> bool {
        self.numbers >= 2
            && !self.negative
            && ((99.0..=101.0).contains(&self.sum)
                || ((0.99..=1.01).contains(&self.sum) && self.max <= 1.0))
    }
}

/// A column with its index (for the sample statistics) and name words.
pub(super) struct Col<'a> {
    pub(super) index: usize,
    name: &'a str,
    pub(super) kind: ColumnKind,
    words: Vec<String>,
}

impl Col<'_> {
    /// Whether a word of the name is one of `keywords` (or its plural).
    pub(super) fn named(&self, keywords: &[&str]) -> bool {
        self.words.iter().any(|w| {
            keywords
                .iter()
                .any(|k| w == k || w.strip_suffix('s').is_some_and(|stem| stem == *k))
        })
    }

    /// The name for a reason sentence.
    pub(super) fn label(&self) -> String {
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
pub(super) struct Profile<'a> {
    /// The time axis, if any (the first time-like column).
    pub(super) time: Option<Col<'a>>,
    /// Category columns (text, booleans; unknown types when there is no other).
    pub(super) dims: Vec<Col<'a>>,
    /// Numeric columns that are not a time axis.
    pub(super) measures: Vec<Col<'a>>,
}

impl<'a> Profile<'a> {
    pub(super) fn new(columns: &'a [Column], stats: Option<&Stats>) -> Profile<'a> {
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
}
