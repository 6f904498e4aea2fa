//! Dash patterns bounded by the stroke they dash, so a pattern's cost follows the canvas.
//!
//! A dash pattern is split into segments by kurbo (and by vello's own stroker) one period at a
//! time, so the work is the stroked length divided by the period. A client-chosen period of
//! `1e-300` px never finishes and `1e-5` px allocates gigabytes; every stroke goes through
//! [`bound`] as it enters the figure, which stretches a too-short period (keeping the dash to
//! gap proportions) and caps the segments one stroke may produce, as Skia refuses patterns past
//! about a million intervals. Widths are clamped here too ([`MAX_STROKE_WIDTH_PX`]).

use super::shape::Shape;
use kurbo::{PathEl, Point, Stroke};

/// Shortest dash period (the pattern's lengths summed) in canvas px: shorter dashes blur into a
/// grey line at any pixel density anyway.
pub const MIN_DASH_PERIOD_PX: f64 = 2.0;
/// Shortest dash period in stroke widths: a period shorter than the line is wide draws the
/// dashes' caps over each other, a solid line at many times the cost.
pub const MIN_DASH_PERIOD_WIDTHS: f64 = 1.0;
/// Most dash segments one stroke may be cut into; past it the period grows to fit. A 2400 px
/// line dashed at the minimum period is ~2,400 segments; a min-max-thinned million-point line
/// (four turns per pixel column over the plot's height) is ~1M px long.
pub const MAX_DASH_SEGMENTS: f64 = 100_000.0;
/// Widest stroke drawn, in canvas px: wider than the largest canvas' diagonal covers it all
/// anyway, and the stroker's outlines grow with the width.
pub const MAX_STROKE_WIDTH_PX: f64 = 10_000.0;
/// Dash entries shorter than this (canvas px) after stretching are drawn as zero-length, which
/// kurbo skips in one step instead of stepping through a sub-pixel sliver.
const MIN_DASH_ENTRY_PX: f64 = 1e-3;

/// Makes `style`'s dash pattern safe to draw along `shape`: no pattern (solid) when it holds a
/// non-finite or negative length or sums to zero; otherwise a period of at least
/// [`MIN_DASH_PERIOD_PX`] and [`MIN_DASH_PERIOD_WIDTHS`] widths, and at most
/// [`MAX_DASH_SEGMENTS`] segments along the shape's length.
pub(super) fn bound(style: &mut Stroke, shape: &Shape) {
    style.width = if style.width.is_finite() {
        style.width.clamp(0.0, MAX_STROKE_WIDTH_PX)
    } else {
        1.0
    };
    if style.dash_pattern.is_empty() {
        return;
    }
    let period: f64 = style.dash_pattern.iter().sum();
    let valid = style
        .dash_pattern
        .iter()
        .all(|d| d.is_finite() && *d >= 0.0);
    if !valid || !period.is_finite() || period <= 0.0 {
        style.dash_pattern.clear();
        style.dash_offset = 0.0;
        return;
    }
    let shortest = MIN_DASH_PERIOD_PX.max(style.width * MIN_DASH_PERIOD_WIDTHS);
    let entries = style.dash_pattern.len() as f64;
    let length = length_bound(shape);
    let for_segments = if length.is_finite() {
        length * entries / MAX_DASH_SEGMENTS
    } else {
        f64::INFINITY
    };
    let target = period.max(shortest).max(for_segments);
    if !target.is_finite() {
        // A shape of unbounded length cannot be dashed at any period.
        style.dash_pattern.clear();
        style.dash_offset = 0.0;
        return;
    }
    if target > period {
        // Scale by `d / period` first: `target / period` alone overflows for subnormal periods.
        for d in style.dash_pattern.iter_mut() {
            *d = *d / period * target;
        }
        style.dash_offset = if style.dash_offset.is_finite() {
            style.dash_offset / period * target
        } else {
            0.0
        };
    }
    for d in style.dash_pattern.iter_mut() {
        if *d < MIN_DASH_ENTRY_PX {
            *d = 0.0;
        }
    }
    if !style.dash_offset.is_finite() {
        style.dash_offset = 0.0;
    }
}

/// An upper bound of `shape`'s outline length in px: a Bézier segment is never longer than its
/// control polygon.
fn length_bound(shape: &Shape) -> f64 {
    match shape {
        Shape::Rect(r) => 2.0 * (r.width().abs() + r.height().abs()),
        Shape::RoundedRect(r) => 2.0 * (r.width().abs() + r.height().abs()),
        Shape::Circle(c) => std::f64::consts::TAU * c.radius.abs(),
        Shape::Path(p) => {
            let mut total = 0.0;
            let mut current = Point::ZERO;
            let mut start = Point::ZERO;
            for el in p.elements() {
                match *el {
                    PathEl::MoveTo(p0) => {
                        current = p0;
                        start = p0;
                    }
                    PathEl::LineTo(p1) => {
                        total += current.distance(p1);
                        current = p1;
                    }
                    PathEl::QuadTo(p1, p2) => {
                        total += current.distance(p1) + p1.distance(p2);
                        current = p2;
                    }
                    PathEl::CurveTo(p1, p2, p3) => {
                        total += current.distance(p1) + p1.distance(p2) + p2.distance(p3);
                        current = p3;
                    }
                    PathEl::ClosePath => {
                        total += current.distance(start);
                        current = start;
                    }
                }
            }
            total
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurbo::{BezPath, Line, Shape as _};

    fn line(len: f64) -> Shape {
        Shape::Path(Line::new((0.0, 0.0), (len, 0.0)).into_path(0.1))
    }

    fn bounded(width: f64, pattern: &[f64], shape: &Shape) -> Stroke {
        let mut s = Stroke::new(width).with_dashes(0.0, pattern.iter().copied());
        bound(&mut s, shape);
        s
    }

    /// Segments kurbo actually cuts `shape` into with `style`'s pattern.
    fn segments(style: &Stroke, shape: &Shape) -> usize {
        let path = shape.to_path();
        kurbo::dash(path.iter(), style.dash_offset, &style.dash_pattern)
            .filter(|el| matches!(el, PathEl::MoveTo(_)))
            .count()
    }

    #[test]
    fn tiny_periods_are_stretched_to_the_minimum_keeping_proportions() {
        let shape = line(700.0);
        for tiny in [1e-300, 1e-15, 1e-5, 5e-324] {
            let s = bounded(1.0, &[tiny, tiny], &shape);
            assert_eq!(s.dash_pattern.as_slice(), &[1.0, 1.0], "{tiny}");
            assert!(segments(&s, &shape) <= 351, "{tiny}");
        }
        let s = bounded(1.0, &[1e-5, 3e-5], &shape);
        assert!((s.dash_pattern[0] - 0.5).abs() < 1e-9 && (s.dash_pattern[1] - 1.5).abs() < 1e-9);
    }

    #[test]
    fn the_minimum_period_follows_the_stroke_width() {
        let s = bounded(8.0, &[1.0, 1.0], &line(100.0));
        assert_eq!(s.dash_pattern.as_slice(), &[4.0, 4.0]);
    }

    #[test]
    fn ordinary_patterns_are_kept() {
        let s = bounded(2.0, &[6.0, 4.0], &line(500.0));
        assert_eq!(s.dash_pattern.as_slice(), &[6.0, 4.0]);
    }

    #[test]
    fn long_paths_are_cut_into_at_most_the_cap() {
        let mut zigzag = BezPath::new();
        zigzag.move_to((0.0, 0.0));
        for i in 0..200_000 {
            zigzag.line_to((f64::from(i) * 0.01, if i % 2 == 0 { 500.0 } else { 0.0 }));
        }
        let shape = Shape::Path(zigzag);
        let s = bounded(1.0, &[2.0, 2.0], &shape);
        assert!(segments(&s, &shape) as f64 <= MAX_DASH_SEGMENTS + 2.0);
    }

    #[test]
    fn widths_are_clamped() {
        let mut s = Stroke::new(f64::NAN);
        bound(&mut s, &line(1.0));
        assert_eq!(s.width, 1.0);
        let mut s = Stroke::new(1e300);
        bound(&mut s, &line(1.0));
        assert_eq!(s.width, MAX_STROKE_WIDTH_PX);
    }

    #[test]
    fn broken_patterns_draw_solid() {
        for bad in [
            &[f64::NAN, 1.0][..],
            &[-1.0, 2.0],
            &[0.0, 0.0],
            &[f64::INFINITY, 1.0],
            &[f64::MAX, f64::MAX],
        ] {
            let s = bounded(1.0, bad, &line(10.0));
            assert!(s.dash_pattern.is_empty(), "{bad:?}");
        }
    }
}
