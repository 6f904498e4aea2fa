//! Bar charts: one bar per category per dataset, datasets grouped side by side.

use super::cartesian::{self, CategoryFrame};
use crate::figure::Shape;
use crate::layout::{Ctx, axis};
use crate::spec::{ChartType, Dataset};
use kurbo::{Rect, RoundedRect, RoundedRectRadii, Stroke};

/// Share of a category band the group of bars fills.
const GROUP_SHARE: f64 = 0.7;

/// Draws a (grouped) bar chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let n = cartesian::category_count(ctx);
    let (lo, hi) = cartesian::value_extent(ctx).unwrap_or((0.0, 1.0));
    let frame = cartesian::draw_frame(ctx, area, n, lo.min(0.0), hi.max(0.0));
    // Mixed charts: datasets with `type: "line"` are drawn as lines over the bars.
    draw_bars(ctx, &frame, |d| d.style.kind != Some(ChartType::Line));
    super::line::draw_lines(ctx, &frame, |d| d.style.kind == Some(ChartType::Line));
    let base = frame.y.baseline_px();
    axis::draw_baseline(ctx, frame.plot, base);
}

/// The bar slot of each visible dataset within a category group: its own slot, or with
/// stacking one slot per `stack` id (datasets without one share a stack).
fn slots(ctx: &Ctx<'_>, include: &impl Fn(&Dataset) -> bool) -> (Vec<(usize, usize)>, usize) {
    let stacked = cartesian::is_stacked(ctx);
    let mut keys: Vec<Option<&str>> = Vec::new();
    let mut out = Vec::new();
    for (j, ds) in cartesian::visible(ctx).filter(|(_, d)| include(d)) {
        let slot = if stacked {
            let key = ds.style.stack.as_deref();
            match keys.iter().position(|k| *k == key) {
                Some(p) => p,
                None => {
                    keys.push(key);
                    keys.len() - 1
                }
            }
        } else {
            keys.push(None);
            keys.len() - 1
        };
        out.push((j, slot));
    }
    (out, keys.len().max(1))
}

/// Draws the visible datasets that `include` accepts as (grouped or stacked) bars.
pub(in crate::layout) fn draw_bars(
    ctx: &mut Ctx<'_>,
    frame: &CategoryFrame,
    include: impl Fn(&Dataset) -> bool,
) {
    let (slots, count) = slots(ctx, &include);
    let m = count as f64;
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
    let zero = frame.y.baseline_px();
    // Running stack tops per (category, slot): (positive end, negative end) in data units.
    let mut ends: std::collections::HashMap<(usize, usize), (f64, f64)> = Default::default();
    for (j, slot) in slots {
        let ds = &ctx.spec.datasets[j];
        let series = ctx.series_color(j);
        for (i, point) in ds.data.iter().enumerate() {
            let Some(v) = point.y() else { continue };
            let x0 = frame.x(i) - group / 2.0 + (bar_w + gap) * slot as f64;
            let end = ends.entry((i, slot)).or_insert((0.0, 0.0));
            let from = if v >= 0.0 { end.0 } else { end.1 };
            let to = from + v;
            if v >= 0.0 {
                end.0 = to;
            } else {
                end.1 = to;
            }
            let (a, b) = (
                if from == 0.0 { zero } else { frame.y.px(from) },
                frame.y.px(to),
            );
            let rect = Rect::new(x0, a.min(b), x0 + bar_w, a.max(b));
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
