//! Point markers (Chart.js `pointStyle`): the outline of each style at a centre and radius, and
//! whether it is filled (discs, squares, triangles, stars) or stroked (crosses, lines).

use crate::figure::Shape;
use crate::spec::PointStyle;
use kurbo::{BezPath, Circle, Point, Rect, RoundedRect};
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

/// A marker of `style` centred on `c` with radius `r`; `true` when it is filled, `false` when it
/// is a line figure to stroke.
pub(super) fn marker(style: PointStyle, c: Point, r: f64) -> (Shape, bool) {
    match style {
        PointStyle::Circle => (Shape::Circle(Circle::new(c, r)), true),
        PointStyle::Rect => {
            // Same area as the disc: side r·√π.
            let h = r * PI.sqrt() / 2.0;
            (
                Shape::Rect(Rect::new(c.x - h, c.y - h, c.x + h, c.y + h)),
                true,
            )
        }
        PointStyle::RectRounded => {
            let h = r * PI.sqrt() / 2.0;
            let rect = Rect::new(c.x - h, c.y - h, c.x + h, c.y + h);
            (
                Shape::RoundedRect(RoundedRect::from_rect(rect, h * 0.35)),
                true,
            )
        }
        PointStyle::RectRot => (Shape::Path(polygon(c, r * 1.2, 4, 0.0)), true),
        PointStyle::Triangle => (Shape::Path(polygon(c, r * 1.3, 3, 0.0)), true),
        PointStyle::Star => (Shape::Path(star(c, r * 1.35)), true),
        PointStyle::Cross => (Shape::Path(spokes(c, r * 1.2, 0.0)), false),
        PointStyle::CrossRot => (Shape::Path(spokes(c, r * 1.2, FRAC_PI_4)), false),
        PointStyle::Line => {
            let mut p = BezPath::new();
            p.move_to((c.x - r * 1.3, c.y));
            p.line_to((c.x + r * 1.3, c.y));
            (Shape::Path(p), false)
        }
        PointStyle::Dash => {
            let mut p = BezPath::new();
            p.move_to(c);
            p.line_to((c.x + r * 1.6, c.y));
            (Shape::Path(p), false)
        }
    }
}

/// A regular polygon with `n` corners, the first straight up, turned by `turn` radians.
fn polygon(c: Point, r: f64, n: usize, turn: f64) -> BezPath {
    let mut p = BezPath::new();
    for k in 0..n {
        let a = -FRAC_PI_2 + turn + k as f64 * std::f64::consts::TAU / n as f64;
        let pt = (c.x + r * a.cos(), c.y + r * a.sin());
        if k == 0 {
            p.move_to(pt);
        } else {
            p.line_to(pt);
        }
    }
    p.close_path();
    p
}

/// A five-pointed star with outer radius `r`.
fn star(c: Point, r: f64) -> BezPath {
    let mut p = BezPath::new();
    for k in 0..10 {
        let a = -FRAC_PI_2 + k as f64 * PI / 5.0;
        let radius = if k % 2 == 0 { r } else { r * 0.45 };
        let pt = (c.x + radius * a.cos(), c.y + radius * a.sin());
        if k == 0 {
            p.move_to(pt);
        } else {
            p.line_to(pt);
        }
    }
    p.close_path();
    p
}

/// Two crossing strokes through `c`, turned by `turn`.
fn spokes(c: Point, r: f64, turn: f64) -> BezPath {
    let mut p = BezPath::new();
    for a in [turn, turn + FRAC_PI_2] {
        let (dx, dy) = (r * a.cos(), r * a.sin());
        p.move_to((c.x - dx, c.y - dy));
        p.line_to((c.x + dx, c.y + dy));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style_is_centred_and_finite() {
        for (_, style) in PointStyle::NAMES {
            let (shape, _) = marker(style, Point::new(10.0, 20.0), 4.0);
            let bounds = kurbo::Shape::bounding_box(&shape.to_path());
            assert!(
                bounds.width().is_finite() && bounds.width() > 0.0,
                "{style:?}"
            );
            assert!(bounds.x0 <= 10.0 && bounds.x1 > 10.0, "{style:?}");
        }
    }
}
