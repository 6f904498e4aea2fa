//! The wheel radial charts share: axes evenly spaced clockwise from 12 o'clock, grid rings
//! (polygons or circles), ring value labels and the empty-chart message. Radar and polar
//! charts draw on it.

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::scale::LinearScale;
use crate::text::{Anchor, CAP_HEIGHT, Weight};
use kurbo::{BezPath, Circle, Point, Rect, RoundedRect, Vec2};
use std::f64::consts::{FRAC_PI_2, TAU};

/// Above this many axes grid rings are drawn as circles: indistinguishable, and far cheaper.
const MAX_GRID_SIDES: usize = 120;
/// Angle of axis `i` of `n` in radians: 12 o'clock first, then clockwise (y points down).
pub(in crate::layout) fn axis_angle(i: usize, n: usize) -> f64 {
    -FRAC_PI_2 + TAU * (i as f64 / n.max(1) as f64)
}

/// Where the radar sits: its centre, outer radius and number of axes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Wheel {
    pub(super) center: Point,
    pub(super) radius: f64,
    pub(super) axes: usize,
}

impl Wheel {
    /// Unit vector along axis `i`.
    pub(super) fn dir(&self, i: usize) -> Vec2 {
        Vec2::from_angle(axis_angle(i, self.axes))
    }

    /// The point `r` px out along axis `i`.
    pub(super) fn at(&self, i: usize, r: f64) -> Point {
        self.center + self.dir(i) * r
    }

    /// Whether grid rings are polygons (else circles).
    pub(super) fn polygonal(&self) -> bool {
        (3..=MAX_GRID_SIDES).contains(&self.axes)
    }

    /// A grid ring of radius `r`: a polygon through every axis, or a circle when there are too
    /// few axes for a polygon (or so many that it would look like one anyway).
    pub(super) fn ring(&self, r: f64) -> Shape {
        if !self.polygonal() {
            return Shape::Circle(Circle::new(self.center, r));
        }
        let mut path = BezPath::new();
        path.move_to(self.at(0, r));
        for i in 1..self.axes {
            path.line_to(self.at(i, r));
        }
        path.close_path();
        Shape::Path(path)
    }
}

/// Small value labels on the 12 o'clock spoke, centred on each ring, on a backdrop that keeps
/// them legible over the grid lines. The centre value is left out when it is 0.
pub(in crate::layout) fn draw_ring_values(ctx: &mut Ctx<'_>, center: Point, scale: &LinearScale) {
    let size = ctx.m.tick;
    let cap = (size * CAP_HEIGHT) as f64;
    let s = ctx.m.scale as f64;
    let bg = ctx.theme.background.multiply_alpha(0.8);
    let color = ctx.theme.label;
    // Skip every other label, keeping the outermost, when rings are too close for their text.
    let spacing = (scale.px(scale.min + scale.step) - scale.px(scale.min)).abs();
    let every = if spacing < cap * 3.2 { 2 } else { 1 };
    let last = scale.ticks.len().saturating_sub(1);
    for (k, (&tick, label)) in scale.ticks.iter().zip(scale.labels()).enumerate() {
        let r = scale.px(tick);
        if (r < 0.5 && tick == 0.0) || !(last - k).is_multiple_of(every) || !r.is_finite() {
            continue;
        }
        let shaped = ctx.shaper.shape(&label, size, Weight::Regular);
        let w = shaped.width as f64;
        let y = center.y - r;
        let backdrop = Rect::new(
            center.x - w / 2.0 - 3.0 * s,
            y - cap / 2.0 - 2.5 * s,
            center.x + w / 2.0 + 3.0 * s,
            y + cap / 2.0 + 2.5 * s,
        );
        let pill = RoundedRect::from_rect(backdrop, 3.0 * s);
        ctx.fig.fill(Shape::RoundedRect(pill), bg);
        let at = Point::new(center.x, y + cap / 2.0);
        let transform = crate::text::placement(&shaped, at, Anchor::Middle, 0.0);
        ctx.fig.text(&shaped, transform, color);
    }
}

/// "No data" in the middle of an empty chart.
pub(in crate::layout) fn no_data(ctx: &mut Ctx<'_>, center: Point) {
    let cap = f64::from(ctx.m.legend * CAP_HEIGHT);
    ctx.no_data(Point::new(center.x, center.y + cap / 2.0));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_start_at_twelve_and_run_clockwise() {
        let up = Vec2::from_angle(axis_angle(0, 4));
        assert!(up.x.abs() < 1e-12 && (up.y + 1.0).abs() < 1e-12);
        let right = Vec2::from_angle(axis_angle(1, 4));
        assert!((right.x - 1.0).abs() < 1e-12 && right.y.abs() < 1e-12);
        let down = Vec2::from_angle(axis_angle(2, 4));
        assert!((down.y - 1.0).abs() < 1e-12);
        assert!(axis_angle(0, 0).is_finite());
    }
}
