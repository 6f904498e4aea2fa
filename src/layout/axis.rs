//! Axes: the value axis (gridlines and compact tick labels) and the category axis, where the one
//! rule against overlapping tick labels lives ([`plan_categories`]).

use super::Ctx;
use super::scale::LinearScale;
use crate::figure::Shape;
use crate::spec::LabelIter;
use crate::text::{ASCENT, Anchor, CAP_HEIGHT, DESCENT, Weight};
use kurbo::{Line, Point, Rect, Shape as _, Stroke};
use std::f64::consts::FRAC_PI_4;

/// Above this many categories labels are a sequence (dates, indices): thin them rather than
/// rotate. Up to it every category keeps its label, rotated if need be.
const SEQUENCE_LABELS: usize = 24;
/// Share of the plot height rotated labels may take before they are ellipsized.
const MAX_ROTATED_SHARE: f64 = 0.3;

/// Pixels between a tick label and the plot edge.
pub(super) fn label_gap(ctx: &Ctx<'_>) -> f64 {
    8.0 * ctx.m.scale as f64
}

/// A value scale for data in `lo..=hi` drawn over `length` px, with ticks about every 50 px.
pub(super) fn value_scale(ctx: &Ctx<'_>, lo: f64, hi: f64, px0: f64, px1: f64) -> LinearScale {
    let length = (px1 - px0).abs();
    let spacing = 50.0 * ctx.m.scale as f64;
    let target = ((length / spacing).round() as usize).clamp(2, 10);
    LinearScale::nice(lo, hi, target, px0, px1)
}

/// A value scale honouring the axis options of the spec (`min`, `max`, `beginAtZero`,
/// `ticks.stepSize`, `type: "logarithmic"`, `ticks.format`, `ticks.display`) for data in
/// `lo..=hi`, with ticks about every 50 px.
pub(super) fn value_scale_with(
    ctx: &Ctx<'_>,
    axis: &crate::spec::AxisOptions,
    lo: f64,
    hi: f64,
    px0: f64,
    px1: f64,
) -> LinearScale {
    let length = (px1 - px0).abs();
    let spacing = 50.0 * ctx.m.scale as f64;
    let target = ((length / spacing).round() as usize).clamp(2, 10);
    scale_for_axis(axis, lo, hi, target, px0, px1)
}

/// The radial value scale of radar and polar charts over `0..radius` for data in `lo..=hi` with
/// about `target` rings, honouring `options.scales.r` as [`value_scale_with`] does its axis.
pub(super) fn radial_scale(
    ctx: &Ctx<'_>,
    lo: f64,
    hi: f64,
    target: usize,
    radius: f64,
) -> LinearScale {
    scale_for_axis(&ctx.spec.options.r_axis, lo, hi, target, 0.0, radius)
}

/// The scale of `axis` over `lo..=hi` with about `target` ticks, mapped onto `px0..px1`:
/// the data range widened by `suggestedMin/Max` and `grace`, at most `ticks.maxTicksLimit`
/// ticks, running the other way with `reverse`.
fn scale_for_axis(
    axis: &crate::spec::AxisOptions,
    lo: f64,
    hi: f64,
    target: usize,
    px0: f64,
    px1: f64,
) -> LinearScale {
    let log = axis.kind == Some(crate::spec::AxisKind::Logarithmic);
    let (lo, hi) = widened(axis, lo, hi, log);
    let limit = axis.max_ticks.unwrap_or(usize::MAX);
    let mut target = target.min(limit).max(2);
    let mut step = axis.step;
    loop {
        let scale = build_scale(axis, step, (lo, hi), target, (px0, px1), log);
        if scale.ticks.len() <= limit || log || (target <= 2 && step.is_none()) {
            return scale
                .reversed(axis.reverse)
                .with_label_color(axis.tick_color);
        }
        // Too many ticks: a given `stepSize` gives way first, then the target shrinks.
        if step.is_some() {
            step = None;
        } else {
            target -= 1;
        }
    }
}

/// `lo..=hi` reaching `suggestedMin` / `suggestedMax`, with `grace` added at both ends (zero kept
/// where `beginAtZero` puts an end on it), as Chart.js's `_addGrace` does.
fn widened(axis: &crate::spec::AxisOptions, lo: f64, hi: f64, log: bool) -> (f64, f64) {
    let lo = axis.suggested_min.map_or(lo, |s| lo.min(s));
    let hi = axis.suggested_max.map_or(hi, |s| hi.max(s));
    let Some(grace) = axis.grace.filter(|_| !log && lo <= hi) else {
        return (lo, hi);
    };
    let change = match grace {
        crate::spec::Grace::Units(v) => v,
        crate::spec::Grace::Share(p) => p * (hi - lo) / 2.0,
    };
    let keep_zero = |v: f64, add: f64| {
        if axis.begin_at_zero && v == 0.0 {
            0.0
        } else {
            v + add
        }
    };
    (keep_zero(lo, -change.abs()), keep_zero(hi, change))
}

/// [`scale_for_axis`] for a given tick target.
fn build_scale(
    axis: &crate::spec::AxisOptions,
    step: Option<f64>,
    (lo, hi): (f64, f64),
    target: usize,
    (px0, px1): (f64, f64),
    log: bool,
) -> LinearScale {
    let bounds = super::scale::Bounds {
        min: axis.min,
        max: axis.max,
        step,
    };
    if log {
        return LinearScale::logarithmic(lo, hi, bounds, px0, px1)
            .with_format(&axis.format, axis.ticks);
    }
    let (lo, hi) = if axis.begin_at_zero {
        (lo.min(0.0), hi.max(0.0))
    } else {
        (lo, hi)
    };
    LinearScale::bounded(lo, hi, target, bounds, px0, px1).with_format(&axis.format, axis.ticks)
}

/// The room the value axes' labels take `(left, right)` of the plot: `first`'s on the right
/// when `first_right`, else on the left, and `second`'s (if any) on the other side.
pub(super) fn side_widths(
    ctx: &mut Ctx<'_>,
    first: &LinearScale,
    second: Option<&LinearScale>,
    first_right: bool,
) -> (f64, f64) {
    let first = value_labels_width(ctx, first);
    let second = second.map_or(0.0, |s| value_labels_width(ctx, s));
    if first_right {
        (second, first)
    } else {
        (first, second)
    }
}

/// Width of the widest tick label of `scale` plus the gap to the plot.
pub(super) fn value_labels_width(ctx: &mut Ctx<'_>, scale: &LinearScale) -> f64 {
    let size = ctx.m.tick;
    let widest = scale
        .labels()
        .iter()
        .map(|l| ctx.shaper.measure(l, size, Weight::Regular) as f64)
        .fold(0.0, f64::max);
    widest + label_gap(ctx)
}

fn hairline(ctx: &Ctx<'_>) -> Stroke {
    Stroke::new(ctx.m.scale.max(1.0) as f64)
}

/// Snaps a 1-px line coordinate to the pixel centre so hairlines stay crisp.
pub(super) fn crisp(v: f64) -> f64 {
    v.floor() + 0.5
}

/// Which horizontal lines a vertical value axis draws across the plot.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Lines {
    /// A gridline at every tick, the zero line in the axis colour.
    Grid,
    /// Only the zero line (Chart.js `grid.display: false` on the main axis).
    Zero,
    /// None: the second axis of a dual-axis chart, whose ticks share the first's gridlines or
    /// have none (`drawOnChartArea: false`).
    None,
}

impl Lines {
    /// The lines of a first value axis with gridlines `grid`.
    pub(super) fn main(grid: bool) -> Lines {
        if grid { Lines::Grid } else { Lines::Zero }
    }
}

/// The `lines` and the labels of a vertical value scale, right-aligned left of `plot` or
/// left-aligned right of it (`right`: Chart.js `position: "right"`, and the second axis of a
/// dual-axis chart). The zero line, when in range, is drawn in the axis colour.
pub(super) fn draw_value_axis_y_side(
    ctx: &mut Ctx<'_>,
    scale: &LinearScale,
    plot: Rect,
    lines: Lines,
    right: bool,
) {
    let size = ctx.m.tick;
    let labels = scale.labels();
    let gap = label_gap(ctx);
    for (&tick, label) in scale.ticks.iter().zip(&labels) {
        let y = scale.px(tick);
        let is_zero = tick == 0.0 && scale.min < 0.0 && scale.max > 0.0;
        let color = if is_zero {
            ctx.theme.axis
        } else {
            ctx.theme.grid
        };
        let yc = crisp(y);
        if lines == Lines::Grid || (is_zero && lines == Lines::Zero) {
            ctx.fig.stroke(
                Shape::Path(Line::new((plot.x0, yc), (plot.x1, yc)).to_path(0.1)),
                color,
                hairline(ctx),
            );
        }
        let baseline = y + (size * CAP_HEIGHT) as f64 / 2.0;
        let label_color = scale.label_color.unwrap_or(ctx.theme.label);
        let (x, anchor) = if right {
            (plot.x1 + gap, Anchor::Start)
        } else {
            (plot.x0 - gap, Anchor::End)
        };
        ctx.label(
            label,
            size,
            Weight::Regular,
            label_color,
            Point::new(x, baseline),
            anchor,
        );
    }
}

/// Vertical gridlines and centred labels under `plot` for a horizontal value scale.
pub(super) fn draw_value_axis_x(ctx: &mut Ctx<'_>, scale: &LinearScale, plot: Rect) {
    draw_value_axis_x_grid(ctx, scale, plot, true);
}

/// [`draw_value_axis_x`] with the gridlines optional (`grid.display` / `drawOnChartArea`).
pub(super) fn draw_value_axis_x_grid(
    ctx: &mut Ctx<'_>,
    scale: &LinearScale,
    plot: Rect,
    grid: bool,
) {
    let size = ctx.m.tick;
    let labels = scale.labels();
    let baseline = x_label_baseline(ctx, plot);
    for (&tick, label) in scale.ticks.iter().zip(&labels) {
        let x = scale.px(tick);
        let xc = crisp(x);
        if grid {
            let color = ctx.theme.grid;
            ctx.fig.stroke(
                Shape::Path(Line::new((xc, plot.y0), (xc, plot.y1)).to_path(0.1)),
                color,
                hairline(ctx),
            );
        }
        let label_color = scale.label_color.unwrap_or(ctx.theme.label);
        ctx.label(
            label,
            size,
            Weight::Regular,
            label_color,
            Point::new(x, baseline),
            Anchor::Middle,
        );
    }
}

/// Height a horizontal row of tick labels takes under (or over) the plot.
pub(super) fn value_axis_x_height(ctx: &Ctx<'_>) -> f64 {
    label_gap(ctx) + (ctx.m.tick * 1.25) as f64
}

/// Whether the x axis's labels go above the plot (Chart.js `scales.x.position: "top"`).
pub(super) fn x_on_top(ctx: &Ctx<'_>) -> bool {
    ctx.spec.options.x_axis.position == Some(crate::spec::Side::Top)
}

/// `area` less a band of `height` for the x axis's labels, at the bottom or (`x_on_top`) the
/// top.
pub(super) fn without_x_labels(ctx: &Ctx<'_>, area: Rect, height: f64) -> Rect {
    if x_on_top(ctx) {
        Rect {
            y0: (area.y0 + height).min(area.y1 - 1.0),
            ..area
        }
    } else {
        Rect {
            y1: (area.y1 - height).max(area.y0 + 1.0),
            ..area
        }
    }
}

/// The baseline of level x tick labels: under the plot, or above it when `x_on_top`.
pub(super) fn x_label_baseline(ctx: &Ctx<'_>, plot: Rect) -> f64 {
    let size = f64::from(ctx.m.tick);
    if x_on_top(ctx) {
        plot.y0 - label_gap(ctx) - size * f64::from(DESCENT)
    } else {
        plot.y1 + label_gap(ctx) + size * f64::from(ASCENT)
    }
}

/// A straight axis line along the bottom of `plot`.
pub(super) fn draw_baseline(ctx: &mut Ctx<'_>, plot: Rect, y: f64) {
    let yc = crisp(y);
    let color = ctx.theme.axis;
    ctx.fig.stroke(
        Shape::Path(Line::new((plot.x0, yc), (plot.x1, yc)).to_path(0.1)),
        color,
        hairline(ctx),
    );
}

/// How category labels are drawn so none overlap.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct CategoryPlan {
    /// Draw every n-th label (1 = all).
    pub(super) every: usize,
    /// Rotation in radians (0 or −45°).
    pub(super) angle: f64,
    /// Labels wider than this are ellipsized.
    pub(super) max_width: f32,
    /// Height the labels take under the plot, gap included.
    pub(super) height: f64,
}

/// The one rule against overlapping category labels. In order: keep them level if they fit;
/// for long sequences (dates, indices) thin them to every n-th; for categories rotate them 45°
/// so each keeps its label, ellipsizing any that would take more than a third of the plot
/// height, and thin the rotated labels only if even they collide.
pub(super) fn plan_categories(
    ctx: &mut Ctx<'_>,
    labels: LabelIter<'_>,
    band: f64,
    plot_height: f64,
) -> CategoryPlan {
    let size = ctx.m.tick;
    let gap = 6.0 * ctx.m.scale as f64;
    let level_height = label_gap(ctx) + (size * 1.25) as f64;
    let count = labels.len();
    let widest = widest_label(ctx, labels, size);
    let band = band.max(1e-9);
    let unlimited = f32::MAX;
    if widest + gap <= band {
        return CategoryPlan {
            every: 1,
            angle: 0.0,
            max_width: unlimited,
            height: level_height,
        };
    }
    if count > SEQUENCE_LABELS {
        // Thinned labels get a wider gap: they read as a scale, not a row of names.
        let every = ((widest + gap * 2.5) / band).ceil().max(1.0) as usize;
        return CategoryPlan {
            every,
            angle: 0.0,
            max_width: unlimited,
            height: level_height,
        };
    }
    // Rotated 45°: neighbours need one line height / sin 45° of horizontal room.
    let line = (size * 1.2) as f64;
    let every = ((line / FRAC_PI_4.sin()) / band).ceil().max(1.0) as usize;
    let max_extent = (plot_height * MAX_ROTATED_SHARE).max(line);
    let max_width = ((max_extent / FRAC_PI_4.sin()) - line).max(line);
    let used = widest.min(max_width);
    CategoryPlan {
        every,
        angle: -FRAC_PI_4,
        max_width: max_width as f32,
        height: label_gap(ctx) + (used + line) * FRAC_PI_4.sin(),
    }
}

/// Labels measured exactly before sampling: beyond this, only the longest (by bytes) and
/// an even sample are shaped, so a 100k-point axis costs what a 500-point one does.
const MEASURE_ALL_LABELS: usize = 500;
/// How many of the longest labels (by bytes) are measured beside the sample.
const LONGEST_LABELS: usize = 32;

/// Width of the widest of `labels` at `size`.
fn widest_label(ctx: &mut Ctx<'_>, labels: LabelIter<'_>, size: f32) -> f64 {
    let mut measure = |l: &str| f64::from(ctx.shaper.measure(l, size, Weight::Regular));
    let count = labels.len();
    if count <= MEASURE_ALL_LABELS {
        return labels.map(measure).fold(0.0, f64::max);
    }
    // The 32 longest by bytes (as wide a proxy as characters are: a CJK character takes 3
    // bytes and is about twice as wide), in one pass with a small heap: no copy of a million
    // labels to sort.
    let mut longest = std::collections::BinaryHeap::with_capacity(LONGEST_LABELS + 1);
    for (i, l) in labels.clone().enumerate() {
        if longest.len() < LONGEST_LABELS {
            longest.push(std::cmp::Reverse((l.len(), i)));
        } else if longest.peek().is_some_and(|m| l.len() > m.0.0) {
            longest.pop();
            longest.push(std::cmp::Reverse((l.len(), i)));
        }
    }
    let step = count / MEASURE_ALL_LABELS;
    let first = labels.clone();
    longest
        .into_iter()
        .filter_map(|std::cmp::Reverse((_, i))| first.clone().nth(i))
        .chain(labels.step_by(step.max(1)))
        .map(&mut measure)
        .fold(0.0, f64::max)
}

/// The colour of `axis`'s tick labels: its `ticks.color`, else the theme's.
pub(super) fn label_color(ctx: &Ctx<'_>, axis: &crate::spec::AxisOptions) -> peniko::Color {
    axis.tick_color.unwrap_or(ctx.theme.label)
}

/// Draws category labels under `plot`, label `i` centred on `x(i)`, as `plan` says.
pub(super) fn draw_categories(
    ctx: &mut Ctx<'_>,
    labels: LabelIter<'_>,
    plan: &CategoryPlan,
    plot: Rect,
    x: impl Fn(usize) -> f64,
) {
    let size = ctx.m.tick;
    let color = label_color(ctx, &ctx.spec.options.x_axis);
    let on_top = x_on_top(ctx);
    let baseline = x_label_baseline(ctx, plot);
    for (i, label) in labels.enumerate().step_by(plan.every.max(1)) {
        let shaped = ctx.shaper.fit(label, size, Weight::Regular, plan.max_width);
        let transform = if plan.angle == 0.0 {
            let at = Point::new(x(i), baseline);
            crate::text::placement(&shaped, at, Anchor::Middle, 0.0)
        } else if on_top {
            // Mirrored: the end of the text meets the tick; glyphs rise up-left from it.
            let cap = (size * CAP_HEIGHT) as f64;
            let at = Point::new(x(i) - cap * 0.35, plot.y0 - label_gap(ctx) - cap * 0.1);
            crate::text::placement(&shaped, at, Anchor::End, -plan.angle)
        } else {
            // The end of the text meets the tick; glyphs hang down-left from it.
            let cap = (size * CAP_HEIGHT) as f64;
            let at = Point::new(x(i) + cap * 0.35, plot.y1 + label_gap(ctx) + cap * 0.7);
            crate::text::placement(&shaped, at, Anchor::End, plan.angle)
        };
        ctx.fig.text(&shaped, transform, color);
    }
}

#[cfg(test)]
mod tests {
    use super::scale_for_axis;
    use crate::spec::{AxisOptions, Grace};

    fn axis() -> AxisOptions {
        AxisOptions::default()
    }

    #[test]
    fn suggested_bounds_widen_but_never_narrow_the_data() {
        let a = AxisOptions {
            suggested_min: Some(-50.0),
            suggested_max: Some(10.0),
            ..axis()
        };
        let s = scale_for_axis(&a, 0.0, 80.0, 5, 0.0, 100.0);
        assert!(s.min <= -50.0 && s.max >= 80.0, "{s:?}");
        let plain = scale_for_axis(&axis(), 0.0, 80.0, 5, 0.0, 100.0);
        assert!(plain.min >= 0.0, "{plain:?}");
    }

    #[test]
    fn grace_adds_room_at_both_ends_and_keeps_zero_with_begin_at_zero() {
        // Chart.js: "10%" is a tenth of half the span at each end.
        let a = AxisOptions {
            grace: Some(Grace::Share(0.5)),
            ..axis()
        };
        let s = scale_for_axis(&a, 10.0, 30.0, 5, 0.0, 100.0);
        assert!(s.min <= 5.0 && s.max >= 35.0, "{s:?}");
        let zero = AxisOptions {
            grace: Some(Grace::Units(7.0)),
            begin_at_zero: true,
            ..axis()
        };
        let s = scale_for_axis(&zero, 0.0, 30.0, 5, 0.0, 100.0);
        assert_eq!(s.min, 0.0);
        assert!(s.max >= 37.0, "{s:?}");
    }

    #[test]
    fn max_ticks_limit_caps_the_ticks_even_against_a_step() {
        for a in [
            AxisOptions {
                max_ticks: Some(3),
                ..axis()
            },
            AxisOptions {
                max_ticks: Some(3),
                step: Some(1.0),
                ..axis()
            },
        ] {
            let s = scale_for_axis(&a, 0.0, 100.0, 10, 0.0, 500.0);
            assert!(s.ticks.len() <= 3, "{a:?}: {:?}", s.ticks);
            assert!(s.min <= 0.0 && s.max >= 100.0);
        }
    }

    #[test]
    fn reverse_puts_the_minimum_at_the_far_end() {
        let a = AxisOptions {
            reverse: true,
            ..axis()
        };
        let s = scale_for_axis(&a, 0.0, 100.0, 5, 400.0, 0.0).with_pixels(400.0, 0.0);
        assert_eq!(s.px(s.min), 0.0);
        assert_eq!(s.px(s.max), 400.0);
        let plain = scale_for_axis(&axis(), 0.0, 100.0, 5, 400.0, 0.0);
        assert_eq!(plain.px(plain.min), 400.0);
    }
}
