//! Short chart titles (≤ 6 words) from the dataset names and what the category labels are:
//! "Revenue ($k) by quarter", "Visitors, Signups and Trials", "Share by category".

use super::labels::{LabelKind, label_kind};
use super::phrase::{NAME_CHARS, capitalize_first, clean};
use crate::spec::{ChartSpec, ChartType};

/// Most words in a title.
const MAX_TITLE_WORDS: usize = 6;

/// A short title (≤ 6 words) derived from the dataset names and labels, e.g.
/// "Revenue ($k) by quarter", "Visitors, Signups and Trials", "Share by category".
///
/// The category labels give the "by …" part when they look like quarters, months, weeks, days,
/// hours or years ("by quarter"), or plain text ("by category"; "by stage" for funnels). `None`
/// when nothing meaningful can be said: no dataset names and no recognisable labels.
pub fn data_title(spec: &ChartSpec) -> Option<String> {
    crate::numfmt::with_locale(spec.options.locale, || title_in_locale(spec))
}

/// [`data_title`] with the chart's locale in force.
fn title_in_locale(spec: &ChartSpec) -> Option<String> {
    let dim = dimension_word(spec);
    let names = dataset_names(spec);
    let all_named = !names.is_empty() && names.len() == spec.datasets.len();
    let distinct = distinct_names(&names);
    let count = spec.datasets.len();

    let mut candidates: Vec<String> = Vec::new();
    match spec.chart_type {
        ChartType::Scatter => {
            if all_named {
                let list = name_list(&distinct);
                candidates.push(format!("{list}: x vs y"));
                candidates.push(list);
                if distinct.len() > 1 {
                    candidates.push(format!("{count} series: x vs y"));
                }
            } else if count > 1 {
                candidates.push(format!("{count} series: x vs y"));
            }
        }
        ChartType::Pie | ChartType::Donut => {
            let by = dim.map(|d| format!(" by {d}")).unwrap_or_default();
            match distinct.first() {
                Some(name) if all_named && is_share_name(name) => {
                    candidates.push(format!("{name}{by}"));
                    candidates.push(name.clone());
                }
                Some(name) if all_named => {
                    candidates.push(format!("{name} share{by}"));
                    candidates.push(format!("{name} share"));
                    candidates.push(name.clone());
                }
                _ => {
                    if dim.is_some() {
                        candidates.push(format!("Share{by}"));
                    }
                }
            }
        }
        _ => {
            if all_named {
                let list = name_list(&distinct);
                if let Some(d) = dim {
                    candidates.push(format!("{list} by {d}"));
                }
                candidates.push(list);
                if distinct.len() > 1 {
                    let first = &distinct[0];
                    candidates.push(format!("{first} and {} more", distinct.len() - 1));
                    if let Some(d) = dim {
                        candidates.push(format!("{count} series by {d}"));
                    }
                }
            } else if let Some(d) = dim {
                if count > 1 {
                    candidates.push(format!("{count} series by {d}"));
                } else if d != "category" && d != "stage" {
                    candidates.push(format!("Values by {d}"));
                }
            }
        }
    }

    let chosen = candidates
        .iter()
        .find(|c| word_count(c) <= MAX_TITLE_WORDS)
        .cloned()
        .or_else(|| {
            // Every candidate is too long (names of many words): keep the first words of the
            // shortest one.
            let shortest = candidates.iter().min_by_key(|c| word_count(c))?;
            let words: Vec<&str> = shortest.split_whitespace().take(MAX_TITLE_WORDS).collect();
            Some(format!("{}…", words.join(" ")))
        })?;
    let title = capitalize_first(chosen.trim());
    (!title.is_empty()).then_some(title)
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Cleaned names of the datasets that have one.
fn dataset_names(spec: &ChartSpec) -> Vec<String> {
    spec.datasets
        .iter()
        .filter_map(|d| d.label.as_deref().and_then(|l| clean(l, NAME_CHARS)))
        .collect()
}

/// Names without repeats, in order.
fn distinct_names(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

/// "A", "A and B", "A, B and C", "A, B and 3 more".
fn name_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, c] => format!("{a}, {b} and {c}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}

fn is_share_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    [
        "share",
        "percent",
        "%",
        "portion",
        "breakdown",
        "split",
        "mix",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The noun of "by …" in titles.
fn dimension_word(spec: &ChartSpec) -> Option<&'static str> {
    match label_kind(&spec.labels)? {
        LabelKind::Quarter => Some("quarter"),
        LabelKind::Month => Some("month"),
        LabelKind::Week => Some("week"),
        LabelKind::Day => Some("day"),
        LabelKind::Hour => Some("hour"),
        LabelKind::Year => Some("year"),
        LabelKind::Number => None,
        LabelKind::Text if spec.chart_type == ChartType::Funnel => Some("stage"),
        LabelKind::Text => Some("category"),
    }
}
