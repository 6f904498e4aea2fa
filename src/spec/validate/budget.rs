//! The cost of a spec, known before any work starts, checked against documented limits.
//!
//! Drawing cost follows what a chart draws one by one. Lines, sparklines and scatters are
//! thinned to the pixel grid in layout (`layout::decimate`, density binning), so their cost
//! follows the canvas and only the points limit ([`crate::spec::MAX_POINTS`]) applies. Types
//! that draw every item as its own shape — bars, lollipops, waterfalls, funnels, slopes,
//! slices, spokes, bullet rows — are refused past [`item_limit`], where a chart stops being
//! readable long before it stops being drawable (a bar per pixel column of the widest canvas):
//! 1.6 million bars took vello_cpu 25 s and then panicked. Dashed series are costed by the
//! segments their patterns cut them into ([`MAX_DASH_SEGMENTS_PER_CHART`]), and text drawn
//! item by item by its glyphs ([`MAX_GLYPHS`]).

use super::invalid;
use crate::figure::{MAX_DASH_SEGMENTS, MIN_DASH_PERIOD_PX};
use crate::spec::{ChartSpec, ChartType, SpecError, SpecErrors};

/// Most bars, lollipops or waterfall steps in one chart: one per pixel column of the widest
/// canvas (2,400 px at a pixel ratio of 4), each still at least a pixel wide there.
pub const MAX_BARS: usize = 10_000;
/// Most funnel stages, bullet rows or slope lines: each carries its own labels, which stop
/// fitting long before this (a 1,200-year slope chart still renders).
pub const MAX_LABELLED_ITEMS: usize = 2_000;
/// Most pie, doughnut or polar slices (thin slices are merged into one wedge when drawn).
pub const MAX_SLICES: usize = 10_000;
/// Most spokes of a radar chart (spoke labels are thinned to fit; each dataset's outline has a
/// corner per spoke).
pub const MAX_SPOKES: usize = 10_000;
/// Most dash segments one chart may be cut into, summed over its dashed series (each stroke is
/// itself capped at [`MAX_DASH_SEGMENTS`] when drawn).
pub const MAX_DASH_SEGMENTS_PER_CHART: f64 = 2_000_000.0;
/// Most characters of text drawn one by one (titles, legend entries, per-item labels).
pub const MAX_GLYPHS: usize = 200_000;

/// What a type draws one item at a time, and its limit; `None` for types thinned to the pixel
/// grid (line, sparkline, scatter) or bounded by their layout (heat calendar: 53 weeks).
pub fn item_limit(chart_type: ChartType) -> Option<(&'static str, usize)> {
    Some(match chart_type {
        ChartType::Bar | ChartType::Lollipop | ChartType::Waterfall => ("bars", MAX_BARS),
        ChartType::Funnel | ChartType::Bullet | ChartType::Slope => {
            ("labelled items", MAX_LABELLED_ITEMS)
        }
        ChartType::Pie | ChartType::Donut | ChartType::Polar => ("slices", MAX_SLICES),
        ChartType::Radar | ChartType::CompetitiveRadar => ("spokes", MAX_SPOKES),
        ChartType::Line | ChartType::Sparkline | ChartType::Scatter | ChartType::Heatcalendar => {
            return None;
        }
    })
}

/// The estimated cost of drawing a spec.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cost {
    /// Items drawn one by one (bars, slices, stages, spokes × series).
    pub items: usize,
    /// Dash segments over all dashed series.
    pub dash_segments: f64,
    /// Characters of text drawn one by one.
    pub glyphs: usize,
    /// Canvas pixels.
    pub pixels: f64,
}

/// Estimates what drawing `spec` costs.
pub fn cost(spec: &ChartSpec) -> Cost {
    let ratio = spec.options.pixel_ratio.max(1.0);
    let (w, h) = (
        f64::from(spec.options.width) * ratio,
        f64::from(spec.options.height) * ratio,
    );
    let visible = || spec.datasets.iter().filter(|d| !d.style.hidden);
    let items = match spec.chart_type {
        // Mixed charts: only the datasets drawn as bars count.
        ChartType::Bar | ChartType::Line => visible()
            .filter(|d| {
                d.style.kind == Some(ChartType::Bar)
                    || (d.style.kind.is_none() && spec.chart_type == ChartType::Bar)
            })
            .map(|d| d.data.len())
            .fold(0, usize::saturating_add),
        ChartType::Bullet => visible()
            .map(|d| d.data.len().max(d.bullets.len()))
            .fold(0, usize::saturating_add),
        ChartType::Radar | ChartType::CompetitiveRadar => spec
            .labels
            .len()
            .max(visible().map(|d| d.data.len()).max().unwrap_or(0)),
        _ => visible()
            .map(|d| d.data.len())
            .fold(0, usize::saturating_add),
    };
    // A dashed outline is at most every drawn point joined across the plot: thinned series keep
    // up to four points per pixel column, each step at most the canvas' height plus a column.
    let dash_segments = visible()
        .filter(|d| !d.style.border_dash.is_empty())
        .map(|d| {
            let points = (d.data.len() as f64).min(4.0 * w).max(2.0);
            let length = points * (h + w / points.max(1.0));
            let period = d
                .style
                .border_dash
                .iter()
                .sum::<f64>()
                .max(MIN_DASH_PERIOD_PX);
            let entries = d.style.border_dash.len() as f64;
            (length / period * entries).min(MAX_DASH_SEGMENTS)
        })
        .fold(0.0, |a, b| a + b);
    let chars = |s: &Option<String>| s.as_deref().map_or(0, |t| t.chars().count());
    let labelled = matches!(
        spec.chart_type,
        ChartType::Pie | ChartType::Donut | ChartType::Polar | ChartType::Funnel
    );
    let label_glyphs = if labelled {
        spec.labels
            .iter()
            .map(|l| l.chars().count())
            .fold(0, usize::saturating_add)
    } else {
        0
    };
    let glyphs = chars(&spec.options.title)
        .saturating_add(chars(&spec.options.subtitle))
        .saturating_add(
            spec.datasets
                .iter()
                .map(|d| chars(&d.label))
                .fold(0, usize::saturating_add),
        )
        .saturating_add(label_glyphs);
    Cost {
        items,
        dash_segments,
        glyphs,
        pixels: w * h,
    }
}

/// Records an error for every limit `spec`'s [`cost`] exceeds.
pub(super) fn check(spec: &ChartSpec, errors: &mut Vec<SpecError>) {
    let cost = cost(spec);
    // A line chart's items are the datasets it draws as bars (`type: "bar"`).
    let limit = match spec.chart_type {
        ChartType::Line => Some(("bars", MAX_BARS)),
        other => item_limit(other),
    };
    if let Some((what, limit)) = limit
        && cost.items > limit
    {
        errors.push(
            invalid(
                "/data/datasets",
                format!(
                    "a {} chart draws at most {} {what}; this one has {}",
                    spec.chart_type.name(),
                    super::thousands(limit as u64),
                    super::thousands(cost.items as u64),
                ),
            )
            .with_hint(
                "aggregate the data first (e.g. sums per period), or use a line chart, which is \
                 thinned to the pixel grid",
            ),
        );
    }
    if cost.dash_segments > MAX_DASH_SEGMENTS_PER_CHART {
        errors.push(
            invalid(
                "/data/datasets",
                format!(
                    "the dashed series would be cut into about {} dash segments, more than the \
                     limit of {}",
                    super::thousands(cost.dash_segments as u64),
                    super::thousands(MAX_DASH_SEGMENTS_PER_CHART as u64),
                ),
            )
            .with_hint("dash fewer series, or use a longer `borderDash` pattern"),
        );
    }
    if cost.glyphs > MAX_GLYPHS {
        errors.push(invalid(
            "",
            format!(
                "the chart's titles and labels hold {} characters, more than the limit of {}",
                super::thousands(cost.glyphs as u64),
                super::thousands(MAX_GLYPHS as u64),
            ),
        ));
    }
}

/// `spec` when its [`cost`] is within every limit.
///
/// # Errors
///
/// One error per limit exceeded.
pub(in crate::spec) fn checked(spec: ChartSpec) -> Result<ChartSpec, SpecErrors> {
    let mut errors = Vec::new();
    check(&spec, &mut errors);
    if errors.is_empty() {
        Ok(spec)
    } else {
        Err(SpecErrors { errors })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::from_value;
    use serde_json::json;

    fn spec(t: &str, n: usize) -> serde_json::Value {
        json!({"type": t, "data": {"labels": (0..n).map(|i| i.to_string()).collect::<Vec<_>>(),
               "datasets": [{"data": vec![1.0; n]}]}})
    }

    #[test]
    fn bars_past_the_limit_are_refused_naming_it() {
        assert!(from_value(&spec("bar", MAX_BARS)).is_ok());
        let e = from_value(&spec("bar", MAX_BARS + 1)).unwrap_err();
        assert_eq!(e.code().as_str(), "VALIDATION_ERROR");
        assert!(e.message().contains("10,000 bars"), "{}", e.message());
        assert!(from_value(&spec("lollipop", MAX_BARS + 1)).is_err());
        assert!(from_value(&spec("waterfall", MAX_BARS + 1)).is_err());
    }

    #[test]
    fn thinned_types_take_long_series() {
        assert!(from_value(&spec("line", 100_000)).is_ok());
        assert!(from_value(&spec("sparkline", 100_000)).is_ok());
    }

    #[test]
    fn only_the_bar_datasets_of_a_mixed_chart_count() {
        let mut v = spec("line", MAX_BARS * 2);
        assert!(from_value(&v).is_ok());
        v["data"]["datasets"][0]["type"] = json!("bar");
        assert!(from_value(&v).is_err());
    }

    #[test]
    fn labelled_types_have_their_own_limit() {
        assert!(from_value(&spec("funnel", MAX_LABELLED_ITEMS)).is_ok());
        assert!(from_value(&spec("funnel", MAX_LABELLED_ITEMS + 1)).is_err());
        assert!(from_value(&spec("pie", MAX_SLICES + 1)).is_err());
    }

    #[test]
    fn dash_cost_is_bounded_per_series() {
        let mut v = spec("line", 1_000_000);
        v["data"]["datasets"][0]["borderDash"] = json!([1e-300, 1e-300]);
        let s = from_value(&v).unwrap();
        assert!(cost(&s).dash_segments <= MAX_DASH_SEGMENTS);
    }
}
