//! Bar charts: one bar per category per dataset, datasets grouped side by side.

use super::cartesian::{self, CategoryFrame};
use crate::figure::Shape;
use crate::layout::{Ctx, axis};
use kurbo::{Rect, RoundedRect, RoundedRectRadii, Stroke};

/// Share of a category band the group of bars fills.
const GROUP_SHARE: f64 = 0.7;

/// Draws a (grouped) bar chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let n = cartesian::category_count(ctx);
    let (lo, hi) = cartesian::value_extent(ctx).unwrap_or((0.0, 1.0));
    let frame = cartesian::draw_frame(ctx, area, n, lo.min(0.0), hi.max(0.0));
    draw_bars(ctx, &frame);
    let base = frame.y.baseline_px();
    axis::draw_baseline(ctx, frame.plot, base);
}

fn draw_bars(ctx: &mut Ctx<'_>, frame: &CategoryFrame) {
    let m = ctx.spec.datasets.len().max(1) as f64;
    let group = frame.band * GROUP_SHARE;
    let mut gap = if m > 1.0 {
        4.0 * ctx.m.scale as f64
    } else {
        0.0
    };
    if group - gap * (m - 1.0) < m * 2.0 {
        gap = 0.0;
    }
    let bar_w = ((group - gap * (m - 1.0)) / m).max(0.5);
    let radius = 2.0 * ctx.m.scale as f64;
    let base = frame.y.baseline_px();
    for (j, ds) in ctx.spec.datasets.iter().enumerate() {
        let series = ctx.series_color(j);
        for (i, point) in ds.data.iter().enumerate() {
            let Some(v) = point.y() else { continue };
            let x0 = frame.x(i) - group / 2.0 + (bar_w + gap) * j as f64;
            let top = frame.y.px(v);
            let rect = Rect::new(x0, top.min(base), x0 + bar_w, top.max(base));
            let r = radius.min(bar_w / 2.0).min(rect.height());
            // Round the value end only: the top for positive bars, the bottom for negative.
            let radii = if v >= 0.0 {
                RoundedRectRadii::new(r, r, 0.0, 0.0)
            } else {
                RoundedRectRadii::new(0.0, 0.0, r, r)
            };
            let color = ds
                .background_color
                .as_ref()
                .and_then(|c| c.at(i))
                .unwrap_or(series);
            let shape = Shape::RoundedRect(RoundedRect::from_rect(rect, radii));
            ctx.fig.fill(shape.clone(), color);
            if let (Some(w), Some(border)) = (ds.border_width, ds.border_color.as_ref())
                && w > 0.0
                && let Some(bc) = border.at(i)
            {
                ctx.fig.stroke(shape, bc, Stroke::new(w));
            }
        }
    }
}
