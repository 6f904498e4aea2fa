//! The category × value frame shared by bar and line charts: a value axis on the left, category
//! bands along the bottom.

use crate::layout::Ctx;
use crate::layout::annotation::{AxisMap, Placement};
use crate::layout::axis;
use crate::layout::scale::LinearScale;
use crate::layout::time::TimeScale;
use crate::spec::{AxisKind, DataPoint, Dataset, Side};
use kurbo::Rect;

/// The laid-out frame of a category chart.
pub(in crate::layout) struct CategoryFrame {
    /// The area inside the axes.
    pub(in crate::layout) plot: Rect,
    /// Width of one category band.
    pub(in crate::layout) band: f64,
    /// The value scale, mapped onto the plot's height.
    pub(in crate::layout) y: LinearScale,
    /// The second value scale (right), for datasets with another `yAxisID`.
    pub(in crate::layout) y2: Option<LinearScale>,
    /// A time x axis: categories (and `{x: date}` points) sit at their instant.
    pub(in crate::layout) time: Option<TimeScale>,
    /// Category instants (ms) when the x axis is a time axis.
    times: Vec<Option<f64>>,
}

impl CategoryFrame {
    /// Centre of category `i`.
    pub(in crate::layout) fn x(&self, i: usize) -> f64 {
        if let Some(t) = &self.time
            && let Some(Some(ms)) = self.times.get(i)
        {
            return t.px(*ms);
        }
        self.plot.x0 + self.band * (i as f64 + 0.5)
    }

    /// `(x of category 0, distance between categories)` when every point sits at its
    /// category's centre (no time axis), so a long series can be thinned by index ranges.
    pub(in crate::layout) fn linear_x(&self) -> Option<(f64, f64)> {
        (self.time.is_none() && self.band > 0.0)
            .then_some((self.plot.x0 + self.band * 0.5, self.band))
    }

    /// The x of point `i` of a series: its own instant for `{x: date}` points on a time axis,
    /// else its category's centre.
    pub(in crate::layout) fn x_of(&self, point: &DataPoint, i: usize) -> f64 {
        match (&self.time, point) {
            (Some(t), &DataPoint::Point { x, .. }) => t.px(x),
            _ => self.x(i),
        }
    }

    /// The frame as the annotations see it: categories across, values up.
    pub(in crate::layout) fn placement(&self, ctx: &Ctx<'_>) -> Placement<'_> {
        let linear_x = ctx.spec.options.x_axis.kind == Some(AxisKind::Linear);
        Placement {
            plot: self.plot,
            x: AxisMap::Category {
                first: self.plot.x0 + self.band * 0.5,
                step: self.band,
                time: self.time.as_ref(),
                linear: linear_x,
            },
            y: AxisMap::Linear(&self.y),
        }
    }

    /// The value scale dataset `ds` is drawn against.
    pub(in crate::layout) fn y_of(&self, ds: &Dataset) -> &LinearScale {
        match &self.y2 {
            Some(y2) if ds.style.secondary_axis => y2,
            _ => &self.y,
        }
    }
}

/// Whether `ds` is drawn against the first value axis.
fn on_primary(ds: &Dataset) -> bool {
    !ds.style.secondary_axis
}

/// Whether some visible dataset uses the second value axis.
pub(in crate::layout) fn has_secondary(ctx: &Ctx<'_>) -> bool {
    visible(ctx).any(|(_, d)| d.style.secondary_axis) && visible(ctx).any(|(_, d)| on_primary(d))
}

/// Number of categories: the longer of the labels and the longest dataset, at least one.
pub(in crate::layout) fn category_count(ctx: &Ctx<'_>) -> usize {
    let longest = ctx.spec.datasets.iter().map(|d| d.data.len()).max();
    ctx.spec.labels.len().max(longest.unwrap_or(0)).max(1)
}

/// Whether the datasets' values add up (Chart.js: a value axis's `stacked` — `x` for
/// horizontal bars, else either `y` axis — or a `stack` id on a dataset).
pub(in crate::layout) fn is_stacked(ctx: &Ctx<'_>) -> bool {
    let o = &ctx.spec.options;
    let value_axis = if o.horizontal {
        o.x_axis.stacked
    } else {
        o.y_axis.stacked || o.y2_axis.stacked
    };
    value_axis || ctx.spec.datasets.iter().any(|d| d.style.stack.is_some())
}

/// Whether the bars of a category share one slot per stack instead of standing side by side
/// (Chart.js: the index axis's `stacked`; with the value axis alone stacked, Chart.js draws the
/// summed bars side by side, and with the index axis alone, overlapping from zero).
pub(in crate::layout) fn shares_slots(ctx: &Ctx<'_>) -> bool {
    let o = &ctx.spec.options;
    if o.horizontal {
        o.y_axis.stacked
    } else {
        o.x_axis.stacked
    }
}

/// The stack dataset `d` belongs to when the value axis is stacked: its `stack`, else its type,
/// as Chart.js keys stacks (bars and lines stack apart unless they share a `stack` id).
pub(in crate::layout) fn stack_key<'a>(ctx: &Ctx<'_>, d: &'a Dataset) -> &'a str {
    match d.style.stack.as_deref() {
        Some(id) => id,
        None => match d.style.kind.unwrap_or(ctx.spec.chart_type) {
            crate::spec::ChartType::Line => "\u{0}line",
            _ => "\u{0}bar",
        },
    }
}

/// The datasets that are drawn (not `hidden`), with their indices.
pub(in crate::layout) fn visible<'a>(
    ctx: &Ctx<'a>,
) -> impl Iterator<Item = (usize, &'a crate::spec::Dataset)> + 'a {
    ctx.spec
        .datasets
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.style.hidden)
}

/// Whether every visible dataset is a box plot or violin (whose value axis, as the plugin's,
/// spans the samples without reaching for zero).
pub(in crate::layout) fn only_distributions(ctx: &Ctx<'_>) -> bool {
    let mut any = false;
    for (_, d) in visible(ctx) {
        if d.samples.is_none() {
            return false;
        }
        any = true;
    }
    any
}

/// The `(min, max)` of the visible datasets' y values (of the stack totals when stacked), or
/// `None` when there are none.
pub(in crate::layout) fn value_extent(ctx: &Ctx<'_>) -> Option<(f64, f64)> {
    let split = has_secondary(ctx);
    extent_where(ctx, |d| !split || on_primary(d))
}

/// [`value_extent`] of the datasets on the second value axis.
fn secondary_extent(ctx: &Ctx<'_>) -> Option<(f64, f64)> {
    extent_where(ctx, |d| d.style.secondary_axis)
}

fn extent_where(ctx: &Ctx<'_>, include: impl Fn(&Dataset) -> bool) -> Option<(f64, f64)> {
    let fold = |acc: Option<(f64, f64)>, v: f64| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    };
    if !is_stacked(ctx) {
        // One tight pass per dataset (long series make this the layout's hottest loop).
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for (_, d) in visible(ctx).filter(|(_, d)| include(d)) {
            for p in &d.data {
                if let Some(v) = p.y() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
                // A floating bar reaches down (or up) to its start too, a box plot to its
                // whiskers and outliers.
                if let Some((a, b)) = d.reach(p) {
                    lo = lo.min(a);
                    hi = hi.max(b);
                }
            }
        }
        return (lo <= hi).then_some((lo, hi));
    }
    // Per category and stack: the sum of positives and the sum of negatives.
    let mut sums: std::collections::HashMap<(usize, &str), (f64, f64)> = Default::default();
    for (_, d) in visible(ctx).filter(|(_, d)| include(d)) {
        let key = stack_key(ctx, d);
        for (i, v) in d
            .data
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((i, p.y()?)))
        {
            let e = sums.entry((i, key)).or_default();
            if v >= 0.0 {
                e.0 += v;
            } else {
                e.1 += v;
            }
        }
    }
    sums.values()
        .flat_map(|&(pos, neg)| [pos, neg])
        .fold(None, fold)
}

/// The smallest positive value of the datasets `include` accepts (for logarithmic axes).
fn positive_min(ctx: &Ctx<'_>, include: impl Fn(&Dataset) -> bool) -> Option<f64> {
    visible(ctx)
        .filter(|(_, d)| include(d))
        .flat_map(|(_, d)| d.data.iter().filter_map(|p| p.y()))
        .filter(|v| *v > 0.0)
        .min_by(f64::total_cmp)
}

/// The value scale of `axis` for data in `lo..=hi` (positive data only when logarithmic).
fn axis_scale(
    ctx: &Ctx<'_>,
    axis_options: &crate::spec::AxisOptions,
    (lo, hi): (f64, f64),
    include: impl Fn(&Dataset) -> bool,
    px0: f64,
    px1: f64,
) -> LinearScale {
    let lo = if axis_options.kind == Some(AxisKind::Logarithmic) {
        positive_min(ctx, include).unwrap_or(lo)
    } else {
        lo
    };
    axis::value_scale_with(ctx, axis_options, lo, hi, px0, px1)
}

/// Least share of a second axis aligned to the first's gridlines that its data must span.
const MIN_ALIGNED_SHARE: f64 = 0.6;

/// A second scale over `lo..=hi` with as many intervals as `first`, so both axes share the
/// gridlines (unless the second has its own bounds or is logarithmic).
fn aligned_scale(
    ctx: &Ctx<'_>,
    axis_options: &crate::spec::AxisOptions,
    first: &LinearScale,
    (lo, hi): (f64, f64),
) -> LinearScale {
    let own = axis_options.min.is_some()
        || axis_options.max.is_some()
        || axis_options.step.is_some()
        || axis_options.suggested_min.is_some()
        || axis_options.suggested_max.is_some()
        || axis_options.grace.is_some()
        || axis_options.max_ticks.is_some()
        || axis_options.kind == Some(AxisKind::Logarithmic)
        || first.log
        || first.ticks.len() < 2;
    let own_scale = |(lo, hi)| {
        axis_scale(
            ctx,
            axis_options,
            (lo, hi),
            |d| d.style.secondary_axis,
            first.px_min,
            first.px_max,
        )
    };
    if own {
        return own_scale((lo, hi));
    }
    let intervals = (first.ticks.len() - 1) as f64;
    let (lo, hi) = if first.min >= 0.0 {
        (lo.min(0.0), hi.max(lo + 1e-9))
    } else {
        (lo, hi)
    };
    let mut step = crate::layout::scale::nice_step((hi - lo).max(1e-9) / intervals);
    for _ in 0..8 {
        let min = (lo / step).floor() * step;
        if min + step * intervals >= hi {
            break;
        }
        step = crate::layout::scale::nice_step(step * 1.5);
    }
    let min = (lo / step).floor() * step;
    // Shared gridlines are worth a little room, not half the axis: past that the second axis
    // takes its own ticks (as Chart.js always does), without gridlines of its own.
    if (hi - lo) < MIN_ALIGNED_SHARE * step * intervals {
        return own_scale((lo, hi));
    }
    let bounds = crate::layout::scale::Bounds {
        min: Some(min),
        max: Some(min + step * intervals),
        step: Some(step),
    };
    LinearScale::bounded(
        lo,
        hi,
        intervals as usize,
        bounds,
        first.px_min,
        first.px_max,
    )
    .with_format(&axis_options.format, axis_options.ticks)
    .reversed(axis_options.reverse)
    .with_label_color(axis_options.tick_color)
}

/// Instants of the categories: the labels' dates (when the x axis is a time axis).
fn category_times(ctx: &Ctx<'_>, n: usize) -> Vec<Option<f64>> {
    (0..n)
        .map(|i| {
            ctx.spec
                .labels
                .get(i)
                .and_then(crate::spec::time::parse_instant)
        })
        .collect()
}

/// The span of the category instants and of `{x: date}` points.
fn time_extent(ctx: &Ctx<'_>, times: &[Option<f64>]) -> Option<(f64, f64)> {
    let points = visible(ctx).flat_map(|(_, d)| {
        d.data.iter().filter_map(|p| match p {
            DataPoint::Point { x, .. } => Some(*x),
            _ => None,
        })
    });
    times
        .iter()
        .flatten()
        .copied()
        .chain(points)
        .fold(None, |acc: Option<(f64, f64)>, t| match acc {
            None => Some((t, t)),
            Some((a, b)) => Some((a.min(t), b.max(t))),
        })
}

/// Lays out and draws the axes of a category chart over `area` for values in `lo..=hi` (of the
/// first value axis): the value axis left (or right, `position: "right"`), a second value axis
/// on the other side when datasets use another `yAxisID`, and categories (or a time axis) along
/// the bottom.
pub(in crate::layout) fn draw_frame(
    ctx: &mut Ctx<'_>,
    area: Rect,
    n: usize,
    lo: f64,
    hi: f64,
) -> CategoryFrame {
    // Only the given labels: categories past them (a 1M-point series without labels) are blank,
    // and a million empty strings would cost more than the whole render.
    let spec = ctx.spec;
    let labels = spec.labels.iter_first(n);
    let opts = &ctx.spec.options;
    let (x_axis, y_axis, y2_axis) = (
        opts.x_axis.clone(),
        opts.y_axis.clone(),
        opts.y2_axis.clone(),
    );
    let secondary = has_secondary(ctx);
    // Each value axis on its own side: the first where its `position` puts it (left unless
    // "right"), the second on the other side.
    let y_right = y_axis.position == Some(Side::Right);
    let is_time = x_axis.kind == Some(AxisKind::Time);
    let title_size = ctx.m.legend;
    let title_room = f64::from(title_size) * 1.8;
    let mut area = area;
    if y_axis.title.is_some() {
        if y_right {
            area.x1 = (area.x1 - title_room).max(area.x0);
        } else {
            area.x0 = (area.x0 + title_room).min(area.x1);
        }
    }
    if secondary && y2_axis.title.is_some() {
        if y_right {
            area.x0 = (area.x0 + title_room).min(area.x1);
        } else {
            area.x1 = (area.x1 - title_room).max(area.x0);
        }
    }
    let x_top = axis::x_on_top(ctx);
    if x_axis.title.is_some() {
        area = axis::without_x_labels(ctx, area, title_room);
    }
    // First pass with a guessed label height fixes the ticks; the second places everything.
    let guess = axis::without_x_labels(ctx, area, axis::value_axis_x_height(ctx));
    let y = axis_scale(
        ctx,
        &y_axis,
        (lo, hi),
        |d| !secondary || on_primary(d),
        guess.y1,
        guess.y0,
    );
    let y2 = secondary.then(|| {
        let extent = secondary_extent(ctx).unwrap_or((0.0, 1.0));
        aligned_scale(ctx, &y2_axis, &y, extent)
    });
    let (left_width, right_width) = axis::side_widths(ctx, &y, y2.as_ref(), y_right);
    let (mut left, right) = (
        area.x0 + left_width,
        (area.x1 - right_width).max(area.x0 + 1.0),
    );
    let mut band = (right - left).max(1.0) / n as f64;
    let level = axis::value_axis_x_height(ctx);
    let plan = if is_time {
        axis::CategoryPlan {
            every: 1,
            angle: 0.0,
            max_width: f32::MAX,
            height: level,
        }
    } else {
        axis::plan_categories(ctx, labels.clone(), band, area.height())
    };
    // Rotated labels reach down-left of their tick; keep the first one on the canvas.
    if plan.angle != 0.0 {
        let first = labels.clone().next().map_or(0.0, |l| {
            f64::from(
                ctx.shaper
                    .measure(l, ctx.m.tick, crate::text::Weight::Regular),
            )
        });
        let reach = first.min(f64::from(plan.max_width)) * std::f64::consts::FRAC_1_SQRT_2;
        let needed = area.x0 + reach - band / 2.0;
        if needed > left {
            left = needed.min(right - 1.0);
            band = (right - left).max(1.0) / n as f64;
        }
    }
    let rows = axis::without_x_labels(ctx, area, plan.height);
    let plot = Rect::new(left, rows.y0, right.max(left + 1.0), rows.y1);
    let y = y.with_pixels(plot.y1, plot.y0);
    let grid = y_axis.grid.unwrap_or(true) && y_axis.grid_on_chart;
    axis::draw_value_axis_y_side(ctx, &y, plot, axis::Lines::main(grid), y_right);
    let y2 = y2.map(|s| s.with_pixels(plot.y1, plot.y0));
    if let Some(y2) = &y2 {
        axis::draw_value_axis_y_side(ctx, y2, plot, axis::Lines::None, !y_right);
    }
    let mut frame = CategoryFrame {
        plot,
        band,
        y,
        y2,
        time: None,
        times: Vec::new(),
    };
    if is_time {
        time_axis(ctx, &mut frame, n);
    } else {
        axis::draw_categories(ctx, labels, &plan, plot, |i| frame.x(i));
    }
    let color = ctx.theme.label;
    let vertical_title = |ctx: &mut Ctx<'_>, title: &str, on_right: bool| {
        let (x, angle) = if on_right {
            (
                area.x1 + title_room - f64::from(title_size * crate::text::ASCENT),
                std::f64::consts::FRAC_PI_2,
            )
        } else {
            (
                area.x0 - title_room + f64::from(title_size * crate::text::ASCENT),
                -std::f64::consts::FRAC_PI_2,
            )
        };
        let at = kurbo::Point::new(x, plot.center().y);
        let shaped = ctx.shaper.fit(
            title,
            title_size,
            crate::text::Weight::Medium,
            plot.height() as f32,
        );
        let t = crate::text::placement(&shaped, at, crate::text::Anchor::Middle, angle);
        ctx.fig.text(&shaped, t, color);
    };
    if let Some(title) = &y_axis.title {
        vertical_title(ctx, title, y_right);
    }
    if let (true, Some(title)) = (secondary, &y2_axis.title) {
        vertical_title(ctx, title, !y_right);
    }
    if let Some(title) = &x_axis.title {
        let y = if x_top {
            area.y0 - title_room * 0.25
        } else {
            area.y1 + title_room * 0.75
        };
        let at = kurbo::Point::new(plot.center().x, y);
        let max = plot.width() as f32;
        let shaped = ctx
            .shaper
            .fit(title, title_size, crate::text::Weight::Medium, max);
        let t = crate::text::placement(&shaped, at, crate::text::Anchor::Middle, 0.0);
        ctx.fig.text(&shaped, t, color);
    }
    frame
}

/// Widest time label at tick size, for spacing time ticks (e.g. "Sep 2024").
const TIME_LABEL_EMS: f64 = 5.0;

/// Lays out the time x axis of `frame` (categories at their instants) and draws its labels.
fn time_axis(ctx: &mut Ctx<'_>, frame: &mut CategoryFrame, n: usize) {
    let plot = frame.plot;
    let times = category_times(ctx, n);
    let Some((t0, t1)) = time_extent(ctx, &times) else {
        return;
    };
    // Bars need half a band of room at the ends; lines start at the edge, as in Chart.js.
    let has_bars = ctx.spec.chart_type == crate::spec::ChartType::Bar
        || ctx
            .spec
            .datasets
            .iter()
            .any(|d| d.style.kind == Some(crate::spec::ChartType::Bar));
    let mut sorted: Vec<f64> = times.iter().flatten().copied().collect();
    sorted.sort_by(f64::total_cmp);
    let min_gap = sorted
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d > 0.0)
        .fold(f64::INFINITY, f64::min);
    let span = (t1 - t0).max(1.0);
    let slots = if min_gap.is_finite() {
        span / min_gap + 1.0
    } else {
        1.0
    };
    let band = (plot.width() / slots).min(plot.width() / n.max(1) as f64 * 4.0);
    let pad = if has_bars { band / 2.0 } else { 0.0 };
    let size = ctx.m.tick;
    // Room per label: the automatic labels', or the widest `displayFormats` label.
    // 2024-12-28 23:59:59 (December): two-digit day, hour, minute and second.
    let sample = chrono::DateTime::from_timestamp(1_735_430_399, 0).unwrap_or_default();
    let custom = ctx.spec.options.x_axis.time.formats.iter().map(|(_, f)| {
        let text = sample.format(f).to_string();
        f64::from(
            ctx.shaper
                .measure(&text, size, crate::text::Weight::Regular),
        )
    });
    let widest = custom.fold(f64::from(size) * TIME_LABEL_EMS, f64::max);
    let label_room = widest + axis::label_gap(ctx);
    let max_ticks = ((plot.width() - 2.0 * pad) / label_room).floor().max(2.0) as usize;
    let time = &ctx.spec.options.x_axis.time;
    let scale = TimeScale::new((t0, t1), max_ticks, (plot.x0 + pad, plot.x1 - pad), time);
    let baseline = axis::x_label_baseline(ctx, plot);
    let color = axis::label_color(ctx, &ctx.spec.options.x_axis);
    for (&t, label) in scale.ticks.iter().zip(&scale.labels) {
        let x = scale.px(t);
        ctx.label(
            label,
            size,
            crate::text::Weight::Regular,
            color,
            kurbo::Point::new(x, baseline),
            crate::text::Anchor::Middle,
        );
    }
    frame.band = band;
    frame.times = times;
    frame.time = Some(scale);
}
