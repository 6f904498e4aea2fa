//! Category charts that mix bars and lines: a `bar` or `line` chart whose datasets may each
//! say `type: "line"` or `type: "bar"` (Chart.js mixed charts). The chart's type picks the frame
//! and the default mark; `bar` and `line` draw the marks, and neither needs the other.

use super::{bar, cartesian, line};
use crate::figure::Shape;
use crate::layout::{Ctx, annotation, axis};
use crate::spec::ChartType;
use kurbo::{Rect, Stroke};

/// Draws a (grouped) bar chart in `area`.
pub(in crate::layout) fn draw_bar(ctx: &mut Ctx<'_>, area: Rect) {
    let n = cartesian::category_count(ctx);
    let (lo, hi) = cartesian::value_extent(ctx).unwrap_or((0.0, 1.0));
    let horizontal = ctx.spec.options.horizontal;
    let (lo, hi) = annotation::widen(ctx.spec, horizontal, (lo, hi));
    // Bars grow from zero; box plots span their samples.
    let from_zero = !cartesian::only_distributions(ctx);
    let span = |lo: f64, hi: f64| {
        if from_zero {
            (lo.min(0.0), hi.max(0.0))
        } else {
            (lo, hi)
        }
    };
    if horizontal {
        let (lo, hi) = span(lo, hi);
        let frame = super::rows::draw_row_frame(ctx, area, n, lo, hi);
        annotation::draw(ctx, &frame.placement(), true);
        bar::draw_row_bars(ctx, &frame);
        // The zero line is the category axis's; an axis with neither labels nor grid has none.
        let rows_axis = &ctx.spec.options.y_axis;
        if from_zero && (rows_axis.ticks || rows_axis.grid != Some(false)) {
            let x = crate::layout::axis::crisp(frame.x.baseline_px());
            let axis_color = ctx.theme.axis;
            let line = kurbo::Line::new((x, frame.plot.y0), (x, frame.plot.y1));
            ctx.fig.stroke(
                Shape::Path(kurbo::Shape::to_path(&line, 0.1)),
                axis_color,
                Stroke::new(f64::from(ctx.m.scale).max(1.0)),
            );
        }
        annotation::draw(ctx, &frame.placement(), false);
        return;
    }
    // Room above the tallest bar for its value label.
    let hi = if crate::layout::datalabel::any_past_the_end(ctx) && hi > 0.0 {
        hi + (hi - lo.min(0.0)) * 0.08
    } else {
        hi
    };
    let (lo, hi) = span(lo, hi);
    let frame = cartesian::draw_frame(ctx, area, n, lo, hi);
    annotation::draw(ctx, &frame.placement(ctx), true);
    // Mixed charts: datasets with `type: "line"` are drawn as lines over the bars.
    bar::draw_bars(ctx, &frame, |d| d.style.kind != Some(ChartType::Line));
    line::draw_lines(ctx, &frame, |d| d.style.kind == Some(ChartType::Line));
    if from_zero {
        let base = frame.y.baseline_px();
        axis::draw_baseline(ctx, frame.plot, base);
    }
    annotation::draw(ctx, &frame.placement(ctx), false);
}

/// Draws a line chart in `area`.
pub(in crate::layout) fn draw_line(ctx: &mut Ctx<'_>, area: Rect) {
    let n = cartesian::category_count(ctx);
    let (lo, hi) = cartesian::value_extent(ctx).unwrap_or((0.0, 1.0));
    let (lo, hi) = annotation::widen(ctx.spec, false, (lo, hi));
    let frame = cartesian::draw_frame(ctx, area, n, lo, hi);
    annotation::draw(ctx, &frame.placement(ctx), true);
    // Mixed charts: datasets with `type: "bar"` are drawn as bars under the lines.
    bar::draw_bars(ctx, &frame, |d| d.style.kind == Some(ChartType::Bar));
    line::draw_lines(ctx, &frame, |d| d.style.kind != Some(ChartType::Bar));
    annotation::draw(ctx, &frame.placement(ctx), false);
}
