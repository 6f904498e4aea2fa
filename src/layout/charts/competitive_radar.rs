//! Competitive radar: one polygon per competitor on the radar's wheel, the first (you)
//! emphasised — thicker line, stronger fill, drawn on top — and the others quieter behind it.
//! The legend is always shown (the frame draws it).

use super::radar::{PolygonStyle, draw_series};
use crate::layout::Ctx;
use kurbo::Rect;

/// Line width of the emphasised competitor at 800×500, in px.
const LEAD_WIDTH: f64 = 3.0;
/// Area opacity of the emphasised competitor.
const LEAD_FILL: f32 = 0.3;
/// Line width of the other competitors at 800×500, in px.
const OTHER_WIDTH: f64 = 1.5;
/// Area opacity of the other competitors.
const OTHER_FILL: f32 = 0.08;
/// Line opacity of the other competitors.
const OTHER_STROKE: f32 = 0.75;

/// Draws a competitive radar chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let styles = styles(ctx);
    draw_series(ctx, area, &styles);
}

/// One style per dataset, back to front: the others in order, then the first.
fn styles(ctx: &Ctx<'_>) -> Vec<PolygonStyle> {
    let s = ctx.m.scale as f64;
    let n = ctx.spec.datasets.len();
    let mut styles: Vec<PolygonStyle> = (1..n)
        .map(|i| PolygonStyle {
            dataset: i,
            color: ctx.series_color(i),
            line_width: OTHER_WIDTH * s,
            stroke_alpha: OTHER_STROKE,
            fill_alpha: OTHER_FILL,
            point_radius: 0.0,
        })
        .collect();
    if n > 0 {
        styles.push(PolygonStyle {
            dataset: 0,
            color: ctx.series_color(0),
            line_width: LEAD_WIDTH * s,
            stroke_alpha: 1.0,
            fill_alpha: LEAD_FILL,
            point_radius: ctx.m.point_radius as f64 * 1.15,
        });
    }
    styles
}
