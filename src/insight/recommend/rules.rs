//! The recommendation rules, as an ordered table: each rule looks at the columns sorted into
//! roles and either decides or passes to the next; the first that decides wins, and the last
//! ([`categories`]) always decides. The order is the module table of `recommend`.

use super::profile::{Col, ColumnStats, MAX_DISTINCT, Profile, Stats};
use super::request::{Column, ColumnKind};
use crate::spec::ChartType::{
    self, Bar, Bullet, CompetitiveRadar, Donut, Funnel, Heatcalendar, Line, Lollipop, Pie, Polar,
    Radar, Scatter, Slope, Sparkline, Waterfall,
};

/// Categories up to which a pie is a good alternative.
const FEW_CATEGORIES: usize = 6;
/// Categories above which slices are unreadable.
const MANY_CATEGORIES: usize = 20;
/// Column names quoted in a reason, at most.
const MAX_LISTED: usize = 3;
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

/// The answer.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Recommendation {
    /// A [`ChartType`] wire name.
    pub recommended: String,
    /// One sentence naming the columns used.
    pub reason: String,
    /// 1–3 other wire names, never the recommended one, no duplicates.
    pub alternatives: Vec<String>,
}

/// A recommendation before its alternatives are cleaned up.
pub(super) struct Draft {
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
    pub(super) fn finish(self) -> Recommendation {
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

/// What every rule looks at: the columns sorted into roles, the sample statistics and the
/// pieces of reason sentences derived from them.
struct Facts<'p, 'a> {
    /// The columns as sent.
    columns: &'p [Column],
    /// The columns sorted into roles.
    p: &'p Profile<'a>,
    /// Statistics of the sample rows, when there are any.
    stats: Option<&'p Stats>,
    /// Every measure.
    measures: Vec<&'p Col<'a>>,
    /// The first category column.
    dim: Option<&'p Col<'a>>,
    /// What the values are laid out along, for reasons: " per region", " over month".
    along: String,
}

/// One rule: a recommendation for these columns, or `None` to leave them to the next rule.
type Rule = fn(&Facts<'_, '_>) -> Option<Draft>;

/// The rules in order, first match wins; named roles come before the shape of the columns.
const RULES: [Rule; 7] = [
    no_columns,
    target,
    stages,
    two_points,
    changes,
    competitors,
    time_axis,
];

/// Runs the rules over `columns` (and the sample's `stats`).
pub(super) fn decide(columns: &[Column], stats: Option<&Stats>) -> Draft {
    let p = Profile::new(columns, stats);
    let dim = p.dims.first();
    // What the values are laid out along, for reasons: "per region", "over month".
    let along = match (&p.time, dim) {
        (Some(t), _) => format!(" over {}", t.label()),
        (None, Some(d)) => format!(" per {}", d.label()),
        (None, None) => String::new(),
    };
    let facts = Facts {
        columns,
        p: &p,
        stats,
        measures: all(&p.measures),
        dim,
        along,
    };
    RULES
        .iter()
        .find_map(|rule| rule(&facts))
        .unwrap_or_else(|| categories(&facts))
}

/// No columns at all: the reference's default.
fn no_columns(f: &Facts<'_, '_>) -> Option<Draft> {
    if f.columns.is_empty() {
        return Some(Draft::new(
            Bar,
            "No columns were given, so a bar chart is the default.".to_owned(),
            &[Line, Pie],
        ));
    }
    None
}

/// A measure named as a target (not "actual" when a real target is there): bullet.
fn target(f: &Facts<'_, '_>) -> Option<Draft> {
    let Facts { p, ref along, .. } = *f;
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
        return Some(Draft::new(Bullet, reason, &[Bar, Lollipop]));
    }
    None
}

/// A category of stages: funnel.
fn stages(f: &Facts<'_, '_>) -> Option<Draft> {
    let Facts {
        p, ref measures, ..
    } = *f;
    if let Some(stage) = p.dims.iter().find(|d| d.named(&STAGE_WORDS)) {
        let what = match measures.first() {
            Some(m) => m.label(),
            None => "counts".to_owned(),
        };
        return Some(Draft::new(
            Funnel,
            format!(
                "A funnel chart shows {what} per {} narrowing stage by stage.",
                stage.label()
            ),
            &[Bar, Lollipop],
        ));
    }
    None
}

/// Two measures at two points in time (start/end, before/after): slope.
fn two_points(f: &Facts<'_, '_>) -> Option<Draft> {
    let Facts {
        p,
        ref measures,
        ref along,
        ..
    } = *f;
    let slope: Vec<&Col<'_>> = p
        .measures
        .iter()
        .filter(|m| m.named(&SLOPE_WORDS))
        .collect();
    if slope.len() >= 2 || (slope.len() == 1 && measures.len() == 2) {
        let pair = if slope.len() >= 2 {
            list(&slope[..2])
        } else {
            list(measures)
        };
        return Some(Draft::new(
            Slope,
            format!("A slope chart compares {pair}{along} as two points in time."),
            &[Bar, Line],
        ));
    }
    None
}

/// A measure of changes (delta, increase, …): waterfall.
fn changes(f: &Facts<'_, '_>) -> Option<Draft> {
    let Facts { p, ref along, .. } = *f;
    if let Some(change) = p.measures.iter().find(|m| m.named(&CHANGE_WORDS)) {
        return Some(Draft::new(
            Waterfall,
            format!(
                "A waterfall chart adds up the increases and decreases of {}{along} step by step.",
                change.label()
            ),
            &[Bar, Line],
        ));
    }
    None
}

/// A category of competitors with several scores: competitive radar.
fn competitors(f: &Facts<'_, '_>) -> Option<Draft> {
    let Facts {
        p, ref measures, ..
    } = *f;
    if let Some(rival) = p.dims.iter().find(|d| d.named(&COMPETITOR_WORDS))
        && measures.len() >= 2
    {
        return Some(Draft::new(
            CompetitiveRadar,
            format!(
                "A competitive radar compares {} per {} across several scores.",
                list(measures),
                rival.label()
            ),
            &[Radar, Bar],
        ));
    }
    None
}

/// A time axis: line (bar of counts without a measure).
fn time_axis(f: &Facts<'_, '_>) -> Option<Draft> {
    let Facts {
        p,
        ref measures,
        dim,
        ..
    } = *f;
    if let Some(t) = &p.time {
        let daily = t.kind == ColumnKind::Time
            || t.named(&["date", "day", "datetime", "timestamp", "ts", "dt"]);
        let time = t.label();
        return Some(match (measures.as_slice(), dim) {
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
                    list(measures)
                ),
                &[Bar, Scatter],
            ),
            (_, _) => Draft::new(
                Line,
                format!(
                    "A line chart compares {} over {time}, several time series.",
                    list(measures)
                ),
                &[Bar, Radar],
            ),
        });
    }
    None
}

/// Categories without time, the last rule (it always decides): bars, pie for parts of a whole,
/// sparkline, scatter or line when there is no category.
fn categories(f: &Facts<'_, '_>) -> Draft {
    let Facts {
        ref measures,
        dim,
        stats,
        ..
    } = *f;
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
                list(measures)
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
                    list(measures),
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
