//! The frame around the plot: outer padding, title, subtitle and the legend's place.

use super::{Ctx, legend};
use crate::spec::ChartType;
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
    let mut area = Rect::new(pad, pad, w - pad, h - pad);
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
        let Some(text) = text else { continue };
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

    if super::legend_shown(ctx.spec) {
        let entries = legend::entries(ctx);
        let is_pie = matches!(
            ctx.spec.chart_type,
            ChartType::Pie | ChartType::Donut | ChartType::Polar
        );
        if is_pie && w / h >= PIE_SIDE_LEGEND_ASPECT {
            let col = legend::column_width(ctx, &entries, area.width() * 0.35);
            let x0 = area.x1 - col;
            legend::draw_column(ctx, &entries, Rect::new(x0, area.y0, area.x1, area.y1));
            area.x1 = (x0 - ctx.m.legend_gap as f64 * 2.0).max(area.x0);
        } else if !entries.is_empty() {
            let used = legend::draw_rows(ctx, &entries, area);
            area.y0 = (area.y0 + used + ctx.m.gap as f64 * 1.5).min(area.y1);
        }
    }
    area
}
