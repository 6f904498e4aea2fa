//! An accessible description of every chart, computed from its own data (offline, and never a
//! number the data does not hold): a short `alt_text` (at most [`MAX_ALT_CHARS`] characters:
//! the chart type, what the axes measure, the series, the range of the values and the
//! narrative's key fact) and a longer `description` a screen reader can read out (per series:
//! count, range, where the highest and lowest values are, and the mean).
//!
//! Numbers are written as the narrative writes them ([`format_compact`]).

use super::narrative::data_narrative_with;
use super::stats::SeriesStats;
use crate::encode::DocInfo;
use crate::layout::scale::format_compact;
use crate::spec::{ChartSpec, ChartType, DataPoint, Dataset};
use std::fmt::Write as _;

/// Longest alt text, in characters: what screen readers and CMSs (Twitter, WCAG advice)
/// handle as one short phrase.
pub const MAX_ALT_CHARS: usize = 250;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
/// Series described one by one in the description; the rest are counted.
const DESCRIBED_SERIES: usize = 8;
/// Series named in the alt text.
const NAMED_SERIES: usize = 4;
/// Longest series or category name quoted, in characters.
const NAME_CHARS: usize = 32;

/// The alt text and the description of `spec`, with its title.
pub fn describe(spec: &ChartSpec) -> DocInfo {
    // Every point is walked once (a million for a big line), for both texts and the sentence.
    let stats = all_stats(spec);
    let fact = data_narrative_with(spec, stats.first().and_then(Option::as_ref));
    DocInfo {
        title: spec.options.title.clone(),
        alt_text: alt_text_with(spec, &stats, fact.as_deref()),
        description: description_with(spec, &stats, fact.as_deref()),
    }
}

/// Each dataset's [`SeriesStats`], in order.
fn all_stats(spec: &ChartSpec) -> Vec<Option<SeriesStats>> {
    spec.datasets
        .iter()
        .map(|d| SeriesStats::of(&d.data))
        .collect()
}

/// The alt text: "Bar chart, Revenue ($k) by Quarter: series Revenue and Costs, values from
/// 20 to 220. Revenue peaked in Q4 at 220, up 83% from Q1."
pub fn alt_text(spec: &ChartSpec) -> String {
    let stats = all_stats(spec);
    let fact = data_narrative_with(spec, stats.first().and_then(Option::as_ref));
    alt_text_with(spec, &stats, fact.as_deref())
}

/// [`alt_text`] with the datasets' stats and the data's sentence (`fact`) already made.
fn alt_text_with(spec: &ChartSpec, stats: &[Option<SeriesStats>], fact: Option<&str>) -> String {
    let mut head = kind_name(spec.chart_type).to_owned();
    if let Some(title) = spec
        .options
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        let _ = write!(head, " \u{201C}{}\u{201D}", cut(title.trim(), 80));
    }
    let measures = measures(spec);
    let names = series_names(spec);
    let range = value_range(stats);

    // From the fullest to the barest, the first that fits wins.
    let series_part = |n: usize| -> Option<String> {
        if names.is_empty() {
            return None;
        }
        let shown: Vec<&str> = names.iter().take(n).map(String::as_str).collect();
        let mut s = if names.len() == 1 {
            format!("series {}", shown[0])
        } else {
            format!("{} series: {}", names.len(), shown.join(", "))
        };
        if names.len() > n {
            s.push_str(", \u{2026}");
        }
        Some(s)
    };
    let range_part = range.map(|(lo, hi)| {
        if lo == hi {
            format!("all values {}", format_compact(lo))
        } else {
            format!(
                "values from {} to {}",
                format_compact(lo),
                format_compact(hi)
            )
        }
    });
    let candidates = [
        (measures.clone(), series_part(NAMED_SERIES), true),
        (measures.clone(), series_part(2), true),
        (measures.clone(), series_part(1), true),
        (None, series_part(1), true),
        (None, None, true),
        (None, None, false),
    ];
    for (measures, series, with_fact) in candidates {
        let mut s = head.clone();
        if let Some(m) = &measures {
            let _ = write!(s, ", {m}");
        }
        let rest: Vec<String> = series.into_iter().chain(range_part.clone()).collect();
        if !rest.is_empty() {
            let _ = write!(s, ": {}", rest.join(", "));
        }
        s.push('.');
        if with_fact && let Some(f) = fact {
            let _ = write!(s, " {f}");
        }
        if s.chars().count() <= MAX_ALT_CHARS {
            return s;
        }
    }
    cut(&head, MAX_ALT_CHARS)
}

/// The description: the alt text's facts spelled out per series.
pub fn description(spec: &ChartSpec) -> String {
    let stats = all_stats(spec);
    let fact = data_narrative_with(spec, stats.first().and_then(Option::as_ref));
    description_with(spec, &stats, fact.as_deref())
}

/// [`description`] with the datasets' stats and the data's sentence (`fact`) already made.
fn description_with(spec: &ChartSpec, stats: &[Option<SeriesStats>], fact: Option<&str>) -> String {
    let mut s = kind_name(spec.chart_type).to_owned();
    if let Some(title) = spec
        .options
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        let _ = write!(s, " titled \u{201C}{}\u{201D}", cut(title.trim(), 120));
    }
    s.push('.');
    let axes = [
        ("Horizontal axis", &spec.options.x_axis.title),
        ("Vertical axis", &spec.options.y_axis.title),
    ];
    for (which, title) in axes {
        if let Some(t) = title.as_deref().filter(|t| !t.trim().is_empty()) {
            let _ = write!(s, " {which}: {}.", cut(t.trim(), NAME_CHARS));
        }
    }
    let labels = &spec.labels;
    if !labels.is_empty() {
        let first = cut(labels.first().unwrap_or_default(), NAME_CHARS);
        let last = cut(labels.last().unwrap_or_default(), NAME_CHARS);
        if labels.len() == 1 {
            let _ = write!(s, " 1 category: {first}.");
        } else {
            let _ = write!(s, " {} categories, from {first} to {last}.", labels.len());
        }
    }
    let n = spec.datasets.len();
    if n > 1 {
        let _ = write!(s, " {n} series.");
    }
    for (i, (d, st)) in spec
        .datasets
        .iter()
        .zip(stats)
        .take(DESCRIBED_SERIES)
        .enumerate()
    {
        let name = d
            .label
            .as_deref()
            .map(|l| cut(l.trim(), NAME_CHARS))
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| format!("Series {}", i + 1));
        s.push(' ');
        s.push_str(&series_summary(&name, d, st.as_ref(), labels));
    }
    if n > DESCRIBED_SERIES {
        let _ = write!(s, " And {} more series.", n - DESCRIBED_SERIES);
    }
    if let Some(f) = fact {
        let _ = write!(s, " {f}");
    }
    cut(&s, MAX_DESCRIPTION_CHARS)
}

/// "Revenue: 4 values from 20 (Q1) to 220 (Q4), mean 110." (a point's label when the data has
/// labels; `{x, y}` points give x instead).
fn series_summary(
    name: &str,
    d: &Dataset,
    stats: Option<&SeriesStats>,
    labels: &crate::spec::Labels,
) -> String {
    let Some(&SeriesStats {
        count,
        sum,
        min: (lo_at, lo),
        max: (hi_at, hi),
        ..
    }) = stats
    else {
        return format!("{name}: no values.");
    };
    let at = |i: usize| -> String {
        match (&d.data[i], labels.get(i)) {
            (DataPoint::Point { x, .. }, _) => format!(" at x = {}", format_compact(*x)),
            (_, Some(l)) if !l.trim().is_empty() => format!(" ({})", cut(l.trim(), NAME_CHARS)),
            _ => String::new(),
        }
    };
    let values = if count == 1 { "value" } else { "values" };
    if lo == hi {
        return format!("{name}: {count} {values}, all {}.", format_compact(lo));
    }
    format!(
        "{name}: {count} {values} from {}{} to {}{}, mean {}.",
        format_compact(lo),
        at(lo_at),
        format_compact(hi),
        at(hi_at),
        format_compact(sum / count as f64)
    )
}

/// "Revenue ($k) by Quarter", from the axis titles; `None` when the axes have none.
fn measures(spec: &ChartSpec) -> Option<String> {
    let title = |t: &Option<String>| {
        t.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| cut(t, NAME_CHARS))
    };
    let (x, y) = (
        title(&spec.options.x_axis.title),
        title(&spec.options.y_axis.title),
    );
    let (x, y) = if spec.options.horizontal {
        (y, x)
    } else {
        (x, y)
    };
    match (y, x) {
        (Some(y), Some(x)) => Some(format!("{y} by {x}")),
        (Some(y), None) => Some(y),
        (None, Some(x)) => Some(format!("by {x}")),
        (None, None) => None,
    }
}

/// The datasets' names (cut), skipping unnamed ones.
fn series_names(spec: &ChartSpec) -> Vec<String> {
    spec.datasets
        .iter()
        .filter_map(|d| d.label.as_deref())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| cut(l, NAME_CHARS))
        .collect()
}

/// The smallest and largest finite value over all datasets.
fn value_range(stats: &[Option<SeriesStats>]) -> Option<(f64, f64)> {
    stats.iter().flatten().fold(None, |acc, s| match acc {
        None => Some((s.min.1, s.max.1)),
        Some((lo, hi)) => Some((f64::min(lo, s.min.1), f64::max(hi, s.max.1))),
    })
}

/// The chart type in words.
fn kind_name(t: ChartType) -> &'static str {
    match t {
        ChartType::Bar => "Bar chart",
        ChartType::Line => "Line chart",
        ChartType::Pie => "Pie chart",
        ChartType::Donut => "Donut chart",
        ChartType::Scatter => "Scatter plot",
        ChartType::Radar => "Radar chart",
        ChartType::Polar => "Polar area chart",
        ChartType::Sparkline => "Sparkline",
        ChartType::CompetitiveRadar => "Competitive radar chart",
        ChartType::Funnel => "Funnel chart",
        ChartType::Bullet => "Bullet chart",
        ChartType::Slope => "Slope chart",
        ChartType::Heatcalendar => "Calendar heat map",
        ChartType::Lollipop => "Lollipop chart",
        ChartType::Waterfall => "Waterfall chart",
    }
}

/// `s` cut to at most `max` characters, the last one `…` when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\u{2026}');
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

    use super::*;
    use crate::spec::parse_spec;

    #[test]
    fn alt_text_names_type_axes_series_range_and_fact() {
        let spec = parse_spec(
            br#"{"type":"bar","data":{"labels":["Q1","Q2","Q3","Q4"],"datasets":[
                {"label":"Revenue","data":[120,150,90,220]},{"label":"Costs","data":[80,95,70,100]}]},
                "options":{"title":"Sales 2024","scales":{"y":{"title":{"display":true,"text":"USD k"}},
                "x":{"title":{"display":true,"text":"Quarter"}}}}}"#,
        )
        .unwrap();
        let info = describe(&spec);
        let alt = &info.alt_text;
        assert!(alt.chars().count() <= MAX_ALT_CHARS, "{alt}");
        for part in [
            "Bar chart",
            "Sales 2024",
            "USD k by Quarter",
            "Revenue",
            "Costs",
            "70",
            "220",
        ] {
            assert!(alt.contains(part), "{part:?} missing from {alt:?}");
        }
        let d = &info.description;
        assert!(
            d.contains("Revenue: 4 values from 90 (Q3) to 220 (Q4), mean 145."),
            "{d}"
        );
        assert!(d.contains("4 categories, from Q1 to Q4"), "{d}");
    }

    #[test]
    fn long_names_still_fit() {
        let names: Vec<String> = (0..30)
            .map(|i| format!("\"A very long series name number {i} indeed\""))
            .collect();
        let datasets: Vec<String> = names
            .iter()
            .map(|n| format!("{{\"label\":{n},\"data\":[1,2,3]}}"))
            .collect();
        let json = format!(
            "{{\"type\":\"line\",\"data\":{{\"labels\":[\"a\",\"b\",\"c\"],\"datasets\":[{}]}},\"options\":{{\"title\":\"{}\"}}}}",
            datasets.join(","),
            "T".repeat(190)
        );
        let spec = parse_spec(json.as_bytes()).unwrap();
        let info = describe(&spec);
        assert!(info.alt_text.chars().count() <= MAX_ALT_CHARS);
        assert!(info.alt_text.starts_with("Line chart"));
        assert!(info.description.chars().count() <= MAX_DESCRIPTION_CHARS);
        assert!(info.description.contains("And 22 more series."));
    }
}
