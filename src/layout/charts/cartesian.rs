//! The category × value frame shared by bar and line charts: a value axis on the left, category
//! bands along the bottom.

use crate::layout::Ctx;
use crate::layout::axis;
use crate::layout::scale::LinearScale;
use kurbo::Rect;

/// The laid-out frame of a category chart.
pub(in crate::layout) struct CategoryFrame {
    /// The area inside the axes.
    pub(in crate::layout) plot: Rect,
    /// Width of one category band.
    pub(in crate::layout) band: f64,
    /// The value scale, mapped onto the plot's height.
    pub(in crate::layout) y: LinearScale,
}

impl CategoryFrame {
    /// Centre of category `i`.
    pub(in crate::layout) fn x(&self, i: usize) -> f64 {
        self.plot.x0 + self.band * (i as f64 + 0.5)
    }
}

/// Number of categories: the longer of the labels and the longest dataset, at least one.
pub(in crate::layout) fn category_count(ctx: &Ctx<'_>) -> usize {
    let longest = ctx.spec.datasets.iter().map(|d| d.data.len()).max();
    ctx.spec.labels.len().max(longest.unwrap_or(0)).max(1)
}

/// Whether the value axis stacks datasets (Chart.js `scales.x.stacked` or `scales.y.stacked`).
pub(in crate::layout) fn is_stacked(ctx: &Ctx<'_>) -> bool {
    ctx.spec.options.y_axis.stacked || ctx.spec.options.x_axis.stacked
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

/// The `(min, max)` of the visible datasets' y values (of the stack totals when stacked), or
/// `None` when there are none.
pub(in crate::layout) fn value_extent(ctx: &Ctx<'_>) -> Option<(f64, f64)> {
    let fold = |acc: Option<(f64, f64)>, v: f64| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    };
    if !is_stacked(ctx) {
        return visible(ctx)
            .flat_map(|(_, d)| d.data.iter().filter_map(|p| p.y()))
            .fold(None, fold);
    }
    // Per category and stack: the sum of positives and the sum of negatives.
    let mut sums: std::collections::HashMap<(usize, &str), (f64, f64)> = Default::default();
    for (_, d) in visible(ctx) {
        let key = d.style.stack.as_deref().unwrap_or("");
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

/// Lays out and draws the axes of a category chart over `area` for values in `lo..=hi`.
pub(in crate::layout) fn draw_frame(
    ctx: &mut Ctx<'_>,
    area: Rect,
    n: usize,
    lo: f64,
    hi: f64,
) -> CategoryFrame {
    let labels: Vec<String> = (0..n)
        .map(|i| ctx.spec.labels.get(i).cloned().unwrap_or_default())
        .collect();
    let axes = (
        ctx.spec.options.x_axis.clone(),
        ctx.spec.options.y_axis.clone(),
    );
    let title_size = ctx.m.legend;
    let title_room = f64::from(title_size) * 1.8;
    let mut area = area;
    if axes.1.title.is_some() {
        area.x0 = (area.x0 + title_room).min(area.x1);
    }
    if axes.0.title.is_some() {
        area.y1 = (area.y1 - title_room).max(area.y0);
    }
    // First pass with a guessed label height fixes the ticks; the second places everything.
    let guess_bottom = area.y1 - axis::value_axis_x_height(ctx);
    let y = axis::value_scale_with(ctx, &axes.1, lo, hi, guess_bottom, area.y0);
    let mut left = area.x0 + axis::value_labels_width(ctx, &y);
    let mut band = (area.x1 - left).max(1.0) / n as f64;
    let plan = axis::plan_categories(ctx, &labels, band, area.height());
    // Rotated labels reach down-left of their tick; keep the first one on the canvas.
    if plan.angle != 0.0 {
        let first = labels.first().map_or(0.0, |l| {
            f64::from(
                ctx.shaper
                    .measure(l, ctx.m.tick, crate::text::Weight::Regular),
            )
        });
        let reach = first.min(f64::from(plan.max_width)) * std::f64::consts::FRAC_1_SQRT_2;
        let needed = area.x0 + reach - band / 2.0;
        if needed > left {
            left = needed.min(area.x1 - 1.0);
            band = (area.x1 - left).max(1.0) / n as f64;
        }
    }
    let plot = Rect::new(
        left,
        area.y0,
        area.x1.max(left + 1.0),
        (area.y1 - plan.height).max(area.y0 + 1.0),
    );
    let y = y.with_pixels(plot.y1, plot.y0);
    axis::draw_value_axis_y_grid(ctx, &y, plot, axes.1.grid.unwrap_or(true));
    let frame = CategoryFrame { plot, band, y };
    axis::draw_categories(ctx, &labels, &plan, plot, |i| frame.x(i));
    let color = ctx.theme.label;
    if let Some(title) = &axes.1.title {
        let at = kurbo::Point::new(
            area.x0 - title_room + f64::from(title_size * crate::text::ASCENT),
            plot.center().y,
        );
        let max = plot.height() as f32;
        let shaped = ctx
            .shaper
            .fit(title, title_size, crate::text::Weight::Medium, max);
        let t = crate::text::placement(
            &shaped,
            at,
            crate::text::Anchor::Middle,
            -std::f64::consts::FRAC_PI_2,
        );
        ctx.fig.text(&shaped, t, color);
    }
    if let Some(title) = &axes.0.title {
        let at = kurbo::Point::new(plot.center().x, area.y1 + title_room * 0.75);
        let max = plot.width() as f32;
        let shaped = ctx
            .shaper
            .fit(title, title_size, crate::text::Weight::Medium, max);
        let t = crate::text::placement(&shaped, at, crate::text::Anchor::Middle, 0.0);
        ctx.fig.text(&shaped, t, color);
    }
    frame
}

/// The laid-out frame of a horizontal category chart (`indexAxis: "y"`): categories down the
/// left, values along the bottom.
pub(in crate::layout) struct RowFrame {
    /// The area inside the axes.
    pub(in crate::layout) plot: Rect,
    /// Height of one category band.
    pub(in crate::layout) band: f64,
    /// The value scale, mapped onto the plot's width.
    pub(in crate::layout) x: LinearScale,
}

impl RowFrame {
    /// Centre of category `i` (the first at the top).
    pub(in crate::layout) fn y(&self, i: usize) -> f64 {
        self.plot.y0 + self.band * (i as f64 + 0.5)
    }
}

/// Widest share of the canvas the category labels of a horizontal chart may take.
const MAX_ROW_LABEL_SHARE: f64 = 0.3;

/// Lays out and draws the axes of a horizontal category chart over `area` for values in
/// `lo..=hi`: right-aligned category labels on the left, the value axis along the bottom.
pub(in crate::layout) fn draw_row_frame(
    ctx: &mut Ctx<'_>,
    area: Rect,
    n: usize,
    lo: f64,
    hi: f64,
) -> RowFrame {
    use crate::text::{Anchor, CAP_HEIGHT, Weight};
    let labels: Vec<String> = (0..n)
        .map(|i| ctx.spec.labels.get(i).cloned().unwrap_or_default())
        .collect();
    let size = ctx.m.tick;
    let gap = axis::label_gap(ctx);
    let widest = labels
        .iter()
        .take(2000)
        .map(|l| f64::from(ctx.shaper.measure(l, size, Weight::Regular)))
        .fold(0.0, f64::max);
    let column = widest.min(area.width() * MAX_ROW_LABEL_SHARE);
    let x0 = (area.x0 + column + gap).min(area.x1 - 1.0);
    let y1 = (area.y1 - axis::value_axis_x_height(ctx)).max(area.y0 + 1.0);
    let band = (y1 - area.y0) / n.max(1) as f64;
    let axis_options = ctx.spec.options.x_axis.clone();
    let scale = axis::value_scale_with(ctx, &axis_options, lo, hi, x0, area.x1);
    // Keep the last tick label on the canvas: it is centred on the plot's right edge.
    let last = scale.labels().last().map_or(0.0, |l| {
        f64::from(ctx.shaper.measure(l, size, Weight::Regular))
    });
    let x1 = (area.x1 - last / 2.0).max(x0 + 1.0);
    let plot = Rect::new(x0, area.y0, x1, y1);
    let x = scale.with_pixels(plot.x0, plot.x1);
    axis::draw_value_axis_x(ctx, &x, plot);
    let frame = RowFrame { plot, band, x };
    // Right-aligned labels, every n-th when rows are too thin for all.
    let line = f64::from(size) * 1.3;
    let every = (line / band.max(1e-9)).ceil().max(1.0) as usize;
    let color = ctx.theme.label;
    let right = plot.x0 - gap;
    let cap = f64::from(size * CAP_HEIGHT);
    for (i, label) in labels.iter().enumerate().step_by(every) {
        let shaped = ctx.shaper.fit(label, size, Weight::Regular, column as f32);
        let at = kurbo::Point::new(right, frame.y(i) + cap / 2.0);
        let transform = crate::text::placement(&shaped, at, Anchor::End, 0.0);
        ctx.fig.text(&shaped, transform, color);
    }
    frame
}
