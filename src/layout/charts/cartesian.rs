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

/// The `(min, max)` of every dataset's y values, or `None` when there are none.
pub(in crate::layout) fn value_extent(ctx: &Ctx<'_>) -> Option<(f64, f64)> {
    ctx.spec
        .datasets
        .iter()
        .flat_map(|d| d.data.iter().filter_map(|p| p.y()))
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
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
    // First pass with a guessed label height fixes the ticks; the second places everything.
    let guess_bottom = area.y1 - axis::value_axis_x_height(ctx);
    let y = axis::value_scale(ctx, lo, hi, guess_bottom, area.y0);
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
    axis::draw_value_axis_y(ctx, &y, plot);
    let frame = CategoryFrame { plot, band, y };
    axis::draw_categories(ctx, &labels, &plan, plot, |i| frame.x(i));
    frame
}
