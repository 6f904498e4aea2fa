//! Titles and one-sentence narratives computed from a chart's own data, with no language model.
//! The sentence templates live here; titles in `title`, label classification in `labels`.
//!
//! Both functions read only the validated [`ChartSpec`]: the first dataset's values, the dataset
//! names and the category labels. They never panic and always give the same text for the same
//! spec. Numbers are written like the axis labels ([`format_compact`]: `1.2k`, `3.4M`, `0.25`,
//! U+2212 for minus), except that whole numbers under 10,000 are written out (`220`, `4500`).
//!
//! The narrative picks one of a few templates:
//!
//! | data                                    | template                                                   |
//! |-----------------------------------------|------------------------------------------------------------|
//! | pie, donut                              | "Chrome leads with 45% of the total, ahead of Safari at 25%." |
//! | scatter                                 | "Cohort A shows a strong positive relationship between x and y (r = 0.82)." |
//! | waterfall                               | "Cash nets 120 across 5 steps, led by a rise of 90 in Q3."   |
//! | heat calendar                           | "Commits total 412 across 90 days, peaking at 17 on 2024-03-05." |
//! | ordered categories (time, numbers, none) | "Revenue peaked in Q4 at 220, up 83% from Q1."              |
//! | unordered categories                    | "Revenue is highest for Chrome at 220 and lowest for Edge at 20." |
//!
//! With several datasets the first is narrated and the count is added: "… (first of 3 series)."

pub use super::title::data_title;

use super::labels::{LabelKind, label_kind};
use super::phrase::{NAME_CHARS, capitalize_first, clean};
use super::stats::SeriesStats;
use crate::layout::scale::{NumberFormat, format_compact};
use crate::spec::{ChartSpec, ChartType, DataPoint};

/// Most characters in a narrative.
const MAX_NARRATIVE_CHARS: usize = 200;
/// Smallest |r| (after rounding to two decimals) reported as a relationship.
const MIN_CORRELATION: f64 = 0.3;
/// |r| from which a relationship is called strong.
const STRONG_CORRELATION: f64 = 0.7;
/// Changes of this many percent or more are written without a percentage.
const MAX_PERCENT: f64 = 1e12;

/// One sentence (≤ 200 characters, ending with '.') from the first dataset's values, e.g.
/// "Revenue peaked in Q4 at 220, up 83% from Q1."
///
/// Pie and donut charts name the largest share ("Chrome leads with 45% of the total, ahead of
/// Safari at 25%."); scatter charts give the direction of the Pearson correlation when
/// |r| ≥ 0.3, else say there is no clear relationship; other charts describe the trend (peak,
/// trough and the change from the first to the last value) when the categories are ordered
/// (time-like or numeric labels, or none), or the highest and lowest category otherwise.
///
/// `None` when the first dataset has fewer than 2 numeric values (1 for pie and donut, which
/// also need a positive total).
pub fn data_narrative(spec: &ChartSpec) -> Option<String> {
    let first = spec.datasets.first().and_then(|d| SeriesStats::of(&d.data));
    // Numbers in the chart's `locale`, as its ticks.
    crate::numfmt::with_locale(spec.options.locale, || {
        data_narrative_with(spec, first.as_ref())
    })
}

/// [`data_narrative`] with the first dataset's [`SeriesStats`] already made (the data is walked
/// once, whatever the number of attempts at a short enough sentence).
pub(crate) fn data_narrative_with(spec: &ChartSpec, first: Option<&SeriesStats>) -> Option<String> {
    let dataset = spec.datasets.first()?;
    let facts = match spec.chart_type {
        ChartType::Pie | ChartType::Donut => Facts::Share(share_facts(&dataset.data)?),
        ChartType::Scatter => {
            let points = dataset.finite_xy();
            if points.len() < 2 {
                return None;
            }
            Facts::Correlation(pearson(&points))
        }
        _ => Facts::Series(*first.filter(|s| s.count >= 2)?),
    };
    let kind = label_kind(&spec.labels);
    // Shorter names when the sentence would run over the limit.
    [NAME_CHARS, 12, 6]
        .into_iter()
        .map(|limit| narrative_with(spec, &facts, kind, limit))
        .find(|s| s.chars().count() <= MAX_NARRATIVE_CHARS)
}

/// What the sentence is made of: the numbers, computed once.
enum Facts {
    /// A pie's largest share and runner-up.
    Share(ShareFacts),
    /// A scatter's Pearson r (`None`: x or y does not vary).
    Correlation(Option<f64>),
    /// An ordered or categorical series of at least two values.
    Series(SeriesStats),
}

/// The narrative with dataset and category names cut to `limit` characters.
fn narrative_with(
    spec: &ChartSpec,
    facts: &Facts,
    kind: Option<LabelKind>,
    limit: usize,
) -> String {
    let names = Names {
        labels: &spec.labels,
        kind,
        limit,
    };
    let label = spec
        .datasets
        .first()
        .and_then(|d| d.label.as_deref())
        .and_then(|l| clean(l, limit));
    let name = label.clone().unwrap_or_else(|| "Value".to_owned());

    let body = match facts {
        Facts::Share(share) => share_sentence(share, &names),
        Facts::Correlation(r) => correlation(label.as_deref().unwrap_or("The data"), *r),
        Facts::Series(values) => match spec.chart_type {
            ChartType::Waterfall => {
                waterfall(&name, values, &names).unwrap_or_else(|| trend(&name, values, &names))
            }
            ChartType::Heatcalendar => {
                calendar(&name, values, &names).unwrap_or_else(|| trend(&name, values, &names))
            }
            ChartType::Line | ChartType::Sparkline | ChartType::Funnel | ChartType::Slope => {
                trend(&name, values, &names)
            }
            _ if kind == Some(LabelKind::Text) => ranking(&name, values, &names),
            _ => trend(&name, values, &names),
        },
    };

    let mut sentence = capitalize_first(&body);
    let count = spec.datasets.len();
    if count > 1 {
        sentence.push_str(&format!(" (first of {count} series)"));
    }
    sentence.push('.');
    sentence
}

/// Category names for one narrative: the labels, or 1-based positions where they are missing.
struct Names<'a> {
    labels: &'a crate::spec::Labels,
    kind: Option<LabelKind>,
    limit: usize,
}

impl Names<'_> {
    /// The cleaned label of point `index`, if it has one.
    fn label(&self, index: usize) -> Option<String> {
        self.labels.get(index).and_then(|l| clean(l, self.limit))
    }

    /// The name of point `index`: its label, or "point 3".
    fn name(&self, index: usize) -> String {
        self.label(index)
            .unwrap_or_else(|| format!("point {}", index.saturating_add(1)))
    }

    /// The name of slice `index`: its label, or "slice 3".
    fn slice(&self, index: usize) -> String {
        self.label(index)
            .unwrap_or_else(|| format!("slice {}", index.saturating_add(1)))
    }

    /// "in Q4", "on 2024-03-05", "at 10:00", "at point 3".
    fn place(&self, index: usize) -> String {
        match self.label(index) {
            None => format!("at point {}", index.saturating_add(1)),
            Some(label) => {
                let prep = match self.kind {
                    Some(LabelKind::Day) => "on",
                    Some(LabelKind::Hour) => "at",
                    _ => "in",
                };
                format!("{prep} {label}")
            }
        }
    }
}

/// The trend of an ordered series of at least two values.
fn trend(name: &str, values: &SeriesStats, names: &Names<'_>) -> String {
    let (i0, v0) = values.first;
    let (il, vl) = values.last;
    let (ip, vp) = values.max;
    let (it, vt) = values.min;
    let start = names.name(i0);
    let change = change_phrase(v0, vl, &start, &names.place(i0));

    if vp == vt {
        format!(
            "{name} held steady at {} from {start} to {}",
            num(v0),
            names.name(il)
        )
    } else if vl == v0 {
        let detour = if vp > v0 {
            format!("after peaking at {} {}", num(vp), names.place(ip))
        } else {
            format!("after a low of {} {}", num(vt), names.place(it))
        };
        format!(
            "{name} ended level with {start} at {} {}, {detour}",
            num(vl),
            names.place(il)
        )
    } else if vl == vp {
        format!("{name} peaked {} at {}, {change}", names.place(il), num(vl))
    } else if vl == vt {
        let peak = if vp > v0 {
            format!(" (peak {} {})", num(vp), names.place(ip))
        } else {
            String::new()
        };
        format!(
            "{name} fell to {} {}, {change}{peak}",
            num(vl),
            names.place(il)
        )
    } else if vl > v0 {
        format!(
            "{name} rose to {} {}, {change}, after peaking at {} {}",
            num(vl),
            names.place(il),
            num(vp),
            names.place(ip)
        )
    } else {
        format!(
            "{name} slipped to {} {}, {change}, after a low of {} {}",
            num(vl),
            names.place(il),
            num(vt),
            names.place(it)
        )
    }
}

/// "up 83% from Q1", "down 45% from Q1", "up from 0 in Q1", "nearly unchanged from Q1";
/// `from != to`.
fn change_phrase(from: f64, to: f64, start: &str, start_place: &str) -> String {
    let dir = if to > from { "up" } else { "down" };
    let same_sign = to == 0.0 || (to > 0.0) == (from > 0.0);
    if from != 0.0 && same_sign {
        let p = (to / from.abs() - from / from.abs()) * 100.0;
        if p.is_finite() && p.abs() < MAX_PERCENT {
            let text = percent(p);
            if text == "0%" {
                return format!("nearly unchanged from {start}");
            }
            return format!("{dir} {text} from {start}");
        }
    }
    format!("{dir} from {} {start_place}", num(from))
}

/// The highest and lowest of unordered categories.
fn ranking(name: &str, values: &SeriesStats, names: &Names<'_>) -> String {
    let (ip, vp) = values.max;
    let (it, vt) = values.min;
    if vp == vt {
        format!("{name} is {} for all {} categories", num(vp), values.count)
    } else {
        format!(
            "{name} is highest for {} at {} and lowest for {} at {}",
            names.name(ip),
            num(vp),
            names.name(it),
            num(vt)
        )
    }
}

/// A pie's largest share: the slice, its share of the total and the runner-up.
struct ShareFacts {
    /// The largest slice.
    top: usize,
    /// Its share, in percent.
    top_share: f64,
    /// The runner-up, its share in percent, and whether it ties the largest.
    runner_up: Option<(usize, f64, bool)>,
}

/// The largest share of a pie: needs one positive value.
fn share_facts(data: &[DataPoint]) -> Option<ShareFacts> {
    let positive = || {
        data.iter()
            .enumerate()
            .filter_map(|(i, p)| p.y().map(|y| (i, y)))
            .filter(|&(_, v)| v.is_finite() && v > 0.0)
    };
    let (top, max) = positive().fold(None::<(usize, f64)>, |best, (i, v)| match best {
        Some((_, b)) if b >= v => best,
        _ => Some((i, v)),
    })?;
    // Scaled by the largest value so the total cannot overflow.
    let total: f64 = positive().map(|(_, v)| v / max).sum();
    let runner_up = positive().filter(|&(i, _)| i != top).fold(
        None::<(usize, f64)>,
        |best, (i, v)| match best {
            Some((_, b)) if b >= v => best,
            _ => Some((i, v)),
        },
    );
    Some(ShareFacts {
        top,
        top_share: 100.0 / total,
        runner_up: runner_up.map(|(i, v)| (i, v / max * 100.0 / total, v == max)),
    })
}

/// The sentence of a pie's largest share.
fn share_sentence(share: &ShareFacts, names: &Names<'_>) -> String {
    let top_share = percent(share.top_share);
    match share.runner_up {
        None => format!(
            "{} accounts for {top_share} of the total",
            names.slice(share.top)
        ),
        Some((second, _, true)) => format!(
            "{} and {} share the lead with {top_share} each",
            names.slice(share.top),
            names.slice(second)
        ),
        Some((second, p, false)) => format!(
            "{} leads with {top_share} of the total, ahead of {} at {}",
            names.slice(share.top),
            names.slice(second),
            percent(p)
        ),
    }
}

/// The direction and strength of the Pearson correlation of at least two points.
fn correlation(name: &str, r: Option<f64>) -> String {
    match r {
        None => format!("{name} shows no clear relationship between x and y"),
        Some(r) => {
            let rounded = (r * 100.0).round() / 100.0;
            let r_text = format!("{rounded:.2}").replace('-', "\u{2212}");
            if rounded.abs() >= MIN_CORRELATION {
                let strength = if rounded.abs() >= STRONG_CORRELATION {
                    "strong"
                } else {
                    "moderate"
                };
                let direction = if rounded > 0.0 {
                    "positive"
                } else {
                    "negative"
                };
                format!(
                    "{name} shows a {strength} {direction} relationship between x and y (r = {r_text})"
                )
            } else {
                let r_text = if rounded == 0.0 {
                    "0.00".to_owned()
                } else {
                    r_text
                };
                format!("{name} shows no clear relationship between x and y (r = {r_text})")
            }
        }
    }
}

/// Pearson's r, or `None` when x or y does not vary.
pub(crate) fn pearson(points: &[(f64, f64)]) -> Option<f64> {
    let sx = points.iter().fold(0.0f64, |m, p| m.max(p.0.abs()));
    let sy = points.iter().fold(0.0f64, |m, p| m.max(p.1.abs()));
    if !(sx > 0.0 && sy > 0.0 && sx.is_finite() && sy.is_finite()) {
        return None;
    }
    let n = points.len() as f64;
    let (mx, my) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0 / sx, b + p.1 / sy));
    let (mx, my) = (mx / n, my / n);
    let (mut cov, mut vx, mut vy) = (0.0, 0.0, 0.0);
    for &(x, y) in points {
        let dx = x / sx - mx;
        let dy = y / sy - my;
        cov += dx * dy;
        vx += dx * dx;
        vy += dy * dy;
    }
    if !(vx > 0.0 && vy > 0.0) {
        return None;
    }
    let r = cov / (vx.sqrt() * vy.sqrt());
    r.is_finite().then(|| r.clamp(-1.0, 1.0))
}

/// A waterfall of changes: the net and the largest step. `None` when the net overflows.
fn waterfall(name: &str, values: &SeriesStats, names: &Names<'_>) -> Option<String> {
    let net = values.sum;
    if !net.is_finite() {
        return None;
    }
    let (ip, vp) = values.max;
    let (it, vt) = values.min;
    let led = if vp > 0.0 {
        format!("led by a rise of {} {}", num(vp), names.place(ip))
    } else if vt < 0.0 {
        format!("led by a drop of {} {}", num(-vt), names.place(it))
    } else {
        "with no change at any step".to_owned()
    };
    Some(format!(
        "{name} nets {} across {} steps, {led}",
        num(net),
        values.count
    ))
}

/// A calendar of daily values: the total and the busiest day. `None` when the total overflows.
fn calendar(name: &str, values: &SeriesStats, names: &Names<'_>) -> Option<String> {
    let total = values.sum;
    if !total.is_finite() {
        return None;
    }
    let (ip, vp) = values.max;
    let peak = match names.label(ip) {
        Some(label) => format!("on {label}"),
        None => format!("on day {}", ip.saturating_add(1)),
    };
    Some(format!(
        "{name} totals {} across {} days, peaking at {} {peak}",
        num(total),
        values.count,
        num(vp)
    ))
}

/// A number as text: whole numbers under 10,000 in full; others compact, to two decimals under
/// 1,000 ([`format_compact`]: `0.25`, `99.9`) and to three significant digits above 10,000
/// (`12.5k`, `1.23M`); numbers between are rounded to whole ones.
fn num(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_owned();
    }
    if v == 0.0 {
        return "0".to_owned();
    }
    let a = v.abs();
    let minus = if v < 0.0 { "\u{2212}" } else { "" };
    if a < 10_000.0 && (v.fract() == 0.0 || a >= 1_000.0) {
        return format!("{minus}{}", a.round() as u64);
    }
    let text = if a < 1_000.0 {
        format_compact(v)
    } else {
        NumberFormat::for_range(a, a / 100.0).format(v)
    };
    if text.is_empty() || !text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        // Too small for fixed decimals: scientific, like the axis labels of huge numbers.
        return format!("{minus}{a:.1e}");
    }
    text
}

/// A magnitude in percent: whole percents, one decimal under 10 % (`83%`, `4.5%`, `1.2k%`).
fn percent(p: f64) -> String {
    let a = p.abs();
    if !a.is_finite() {
        return "n/a".to_owned();
    }
    let body = if a < 9.95 {
        let s = format!("{a:.1}");
        s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
    } else if a < 10_000.0 {
        format!("{a:.0}")
    } else {
        format_compact(a)
    };
    format!("{body}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(num(220.0), "220");
        assert_eq!(num(4500.0), "4500");
        assert_eq!(num(12_345.0), "12.3k");
        assert_eq!(num(99.9), "99.9");
        assert_eq!(num(-40.0), "\u{2212}40");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(12_500.0), "12.5k");
        assert_eq!(num(1_234_567.0), "1.23M");
        assert_eq!(num(1234.5), "1235");
        assert_eq!(num(-1e-320), "\u{2212}1.0e-320");
        assert_eq!(num(f64::MAX), "1.8e308");
        assert_eq!(percent(83.333), "83%");
        assert_eq!(percent(4.56), "4.6%");
        assert_eq!(percent(5.0), "5%");
        assert_eq!(percent(9.96), "10%");
    }

    #[test]
    fn correlation_is_scale_free() {
        let pts: Vec<(f64, f64)> = (0..10).map(|i| (i as f64 * 1e300, i as f64)).collect();
        assert!((pearson(&pts).unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(pearson(&[(1.0, 1.0), (1.0, 2.0)]), None);
    }
}
