//! The frame around the plot: outer padding, title, subtitle and the legend's place.

use super::{Ctx, legend};
use crate::spec::{ChartType, Side};
use crate::text::{ASCENT, Weight};
use kurbo::{Affine, Rect};

/// Canvas aspect above which a pie's legend goes beside it rather than above.
const PIE_SIDE_LEGEND_ASPECT: f64 = 1.2;

/// Draws title, subtitle and legend; returns the rectangle left for the plot.
pub(super) fn draw(ctx: &mut Ctx<'_>) -> Rect {
    let w = ctx.spec.options.width as f64;
    let h = ctx.spec.options.height as f64;
    // Sparklines sit inline in tables and tiles: almost no outer padding.
    let padding = if ctx.spec.chart_type == ChartType::Sparkline {
        ctx.m.padding as f64 * 0.2
    } else {
        ctx.m.padding as f64
    };
    let pad = padding.min(w / 8.0).min(h / 8.0);
    // `layout.padding` replaces the default on the sides it names (up to a third of the canvas).
    let given = ctx.spec.options.padding;
    let side = |v: Option<f64>, extent: f64| v.map_or(pad, |v| v.min(extent / 3.0));
    let mut area = Rect::new(
        side(given.left, w),
        side(given.top, h),
        w - side(given.right, w),
        h - side(given.bottom, h),
    );
    let max_text = area.width().max(1.0) as f32;

    let mut y = area.y0;
    let mut any_heading = false;
    let title = ctx.spec.options.title.clone();
    let subtitle = ctx.spec.options.subtitle.clone();
    let lines = [
        (title, ctx.m.title, Weight::SemiBold, ctx.theme.title, 1.3),
        (
            subtitle,
            ctx.m.subtitle,
            Weight::Regular,
            ctx.theme.label,
            1.45,
        ),
    ];
    for (text, size, weight, color, line_height) in lines {
        let Some(text): Option<String> = text else {
            continue;
        };
        let shaped = ctx.shaper.fit(&text, size, weight, max_text);
        let baseline = y + (size * ASCENT) as f64;
        ctx.fig
            .text(&shaped, Affine::translate((area.x0, baseline)), color);
        y += (size * line_height) as f64;
        any_heading = true;
    }
    if any_heading {
        y += ctx.m.gap as f64 * 1.5;
    }
    area.y0 = y.min(area.y1);

    if super::legend::legend_shown(ctx.spec) {
        let entries = legend::entries(ctx);
        let is_pie = matches!(
            ctx.spec.chart_type,
            ChartType::Pie | ChartType::Donut | ChartType::Polar
        );
        let auto = if is_pie && w / h >= PIE_SIDE_LEGEND_ASPECT {
            Side::Right
        } else {
            Side::Top
        };
        let gap = ctx.m.gap as f64 * 1.5;
        let column_gap = ctx.m.legend_gap as f64 * 2.0;
        match ctx.spec.options.legend_position.unwrap_or(auto) {
            _ if entries.is_empty() => {}
            Side::Right => {
                let col = legend::column_width(ctx, &entries, area.width() * 0.35);
                let x0 = area.x1 - col;
                legend::draw_column(ctx, &entries, Rect::new(x0, area.y0, area.x1, area.y1));
                area.x1 = (x0 - column_gap).max(area.x0);
            }
            Side::Left => {
                let col = legend::column_width(ctx, &entries, area.width() * 0.35);
                let x1 = area.x0 + col;
                legend::draw_column(ctx, &entries, Rect::new(area.x0, area.y0, x1, area.y1));
                area.x0 = (x1 + column_gap).min(area.x1);
            }
            Side::Top => {
                let used = legend::draw_rows(ctx, &entries, area);
                area.y0 = (area.y0 + used + gap).min(area.y1);
            }
            Side::Bottom => {
                let used = legend::rows_height(ctx, &entries, area);
                let top = (area.y1 - used).max(area.y0);
                legend::draw_rows(ctx, &entries, Rect::new(area.x0, top, area.x1, area.y1));
                area.y1 = (top - gap).max(area.y0);
            }
        }
    }
    area
}
