//! A gauge's needle and value label (chartjs-gauge, QuickChart's `gauge`) over its doughnut:
//! a hub and a tapered needle pointing at the value's share of the arc, and the value in a
//! rounded box beside the hub, sized as that plugin sizes them (shares of the chart's width).

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::spec::gauge::Needle;
use crate::text::{Anchor, CAP_HEIGHT, Weight};
use kurbo::{Affine, BezPath, Circle, Point, Rect, RoundedRect};
use std::f64::consts::FRAC_PI_2;

/// Draws `needle` on the arc centred at `center` (outer and inner radius `radius`, `inner`)
/// that starts at `start` and sweeps `sweep` radians, in a chart `area`.
pub(super) fn draw(
    ctx: &mut Ctx<'_>,
    needle: &Needle,
    (center, radius, inner): (Point, f64, f64),
    (start, sweep): (f64, f64),
    area: Rect,
) {
    let width = area.width();
    let hub = needle.radius_pct / 100.0 * width;
    let thick = needle.width_pct / 100.0 * width;
    let length = needle.length_pct / 100.0 * (radius - inner) + inner;
    let angle = start + sweep * needle.share;
    let place = Affine::translate(center.to_vec2()) * Affine::rotate(angle);
    let mut path = BezPath::new();
    path.move_to((0.0, thick / 2.0));
    path.line_to((length, 0.0));
    path.line_to((0.0, -thick / 2.0));
    path.close_path();
    ctx.fig.fill(Shape::Path(place * path), needle.color);
    ctx.fig
        .fill(Shape::Circle(Circle::new(center, hub)), needle.color);
    let Some(label) = &needle.label else {
        return;
    };
    let size = label.size.unwrap_or(ctx.m.tick);
    let text_w = f64::from(ctx.shaper.measure(&label.text, size, Weight::Regular));
    let text_h = f64::from(size);
    let margin = label.bottom_margin_pct / 100.0 * width;
    // Towards the arc's open side: a quarter turn from its start.
    let dir = start + FRAC_PI_2;
    let c = Point::new(center.x + margin * dir.cos(), center.y + margin * dir.sin());
    let half_w = label.padding + text_w / 2.0;
    let half_h = label.padding + text_h / 2.0;
    let rect = Rect::new(c.x - half_w, c.y - half_h, c.x + half_w, c.y + half_h);
    if label.background.components[3] > 0.0 {
        let r = label.radius.min(half_h);
        ctx.fig.fill(
            Shape::RoundedRect(RoundedRect::from_rect(rect, r)),
            label.background,
        );
    }
    let baseline = Point::new(c.x, c.y + f64::from(size * CAP_HEIGHT) / 2.0);
    ctx.label(
        &label.text,
        size,
        Weight::Regular,
        label.color,
        baseline,
        Anchor::Middle,
    );
}
