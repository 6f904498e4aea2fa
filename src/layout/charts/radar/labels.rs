//! Radar axis labels: the radius that leaves room for them, which to keep (every n-th, when
//! neighbours would collide) and how far to ellipsize each to stay inside the plot.

use super::super::wheel::{Wheel, axis_angle};
use crate::layout::Ctx;
use crate::text::{Anchor, CAP_HEIGHT, ShapedText, Weight};
use kurbo::{Point, Rect, Vec2};
use std::f64::consts::TAU;
use std::sync::Arc;

/// Share of the plot width an axis label may claim when the radius is chosen.
const MAX_LABEL_SHARE: f64 = 0.22;
/// However long the labels, the radius keeps this share of the largest that fits; the labels
/// are ellipsized instead.
const MIN_RADIUS_SHARE: f64 = 0.55;
/// Gaps between labels below this many px (at 800×500) count as a collision.
const LABEL_PAD: f64 = 4.0;

/// One axis label, ready to draw.
pub(super) struct AxisLabel {
    pub(super) text: Arc<ShapedText>,
    pub(super) at: Point,
    pub(super) anchor: Anchor,
    bounds: Rect,
}

/// The wheel and its labels: which axes keep a label (and a spoke) and where they go.
pub(super) struct LabelPlan {
    pub(super) wheel: Wheel,
    pub(super) kept: Vec<usize>,
    pub(super) placed: Vec<AxisLabel>,
}

/// How a label sits off the tip of axis `dir`: its anchor, and the offset of its box (as
/// `x0, y0, x1, y1` from the anchor point) for a `width × cap` text. Labels on the right start
/// at the tip, those on the left end there, and those at the top and bottom are centred; the
/// text moves up at the top and down at the bottom so it never overlaps the wheel.
fn label_offsets(dir: Vec2, width: f64, cap: f64) -> (Anchor, [f64; 4]) {
    const SIDE: f64 = 0.1;
    let (anchor, x0) = if dir.x > SIDE {
        (Anchor::Start, 0.0)
    } else if dir.x < -SIDE {
        (Anchor::End, -width)
    } else {
        (Anchor::Middle, -width / 2.0)
    };
    // The top label also clears the ring values centred on the 12 o'clock spoke.
    let lift = if dir.y < -0.999 { cap * 0.6 } else { 0.0 };
    let mid = dir.y * cap * 0.6 - lift;
    (anchor, [x0, mid - cap / 2.0, x0 + width, mid + cap / 2.0])
}

/// Chooses the radius that leaves room for the axis labels, then which labels to keep (every
/// n-th, when they would collide) and how far to ellipsize each to stay inside `area`.
pub(super) fn place_axis_labels(ctx: &mut Ctx<'_>, area: Rect, n: usize) -> LabelPlan {
    let s = ctx.m.scale as f64;
    let size = ctx.m.tick;
    let cap = (size * CAP_HEIGHT) as f64;
    let gap = 8.0 * s;
    let pad = LABEL_PAD * s;
    // The wheel's own outline keeps clear of the area's edge by its line and point markers.
    let inner = area.inset(-3.0 * s);
    let bare = fit_wheel(inner, n, &[], gap, cap);
    let any_label = ctx.spec.labels.iter_first(n).any(|l| !l.trim().is_empty());
    if !any_label || bare.radius < 16.0 * s {
        let every = spoke_every(n, TAU * bare.radius, 6.0 * s);
        let kept = (0..n).step_by(every).collect();
        return LabelPlan {
            wheel: bare,
            kept,
            placed: Vec::new(),
        };
    }
    let mut every = spoke_every(n, TAU * (bare.radius + gap), cap * 2.0);
    let spec = ctx.spec;
    let label_of = |i: usize| spec.labels.get_or_empty(i);

    // The largest wheel whose kept labels (each at most a share of the width) fit around it.
    let max_width = area.width() * MAX_LABEL_SHARE;
    let boxes: Vec<(Vec2, f64)> = (0..n)
        .step_by(every)
        .map(|i| {
            let width = ctx.shaper.measure(label_of(i), size, Weight::Regular) as f64;
            (Vec2::from_angle(axis_angle(i, n)), width.min(max_width))
        })
        .filter(|&(_, width)| width > 0.0)
        .collect();
    let mut wheel = fit_wheel(area, n, &boxes, gap, cap);
    wheel.radius = wheel.radius.min(bare.radius);
    if wheel.radius < bare.radius * MIN_RADIUS_SHARE {
        wheel = Wheel {
            radius: bare.radius * MIN_RADIUS_SHARE,
            ..bare
        };
    }
    let radius = wheel.radius;

    // Thin until neighbours no longer collide.
    loop {
        let mut placed = Vec::new();
        let mut kept = Vec::new();
        for i in (0..n).step_by(every) {
            kept.push(i);
            let text = label_of(i).to_owned();
            if text.trim().is_empty() {
                continue;
            }
            let dir = wheel.dir(i);
            let tip = wheel.at(i, radius + gap);
            let room = match label_offsets(dir, 0.0, cap).0 {
                Anchor::Start => area.x1 - tip.x,
                Anchor::End => tip.x - area.x0,
                Anchor::Middle => 2.0 * (tip.x - area.x0).min(area.x1 - tip.x),
            };
            let shaped = ctx
                .shaper
                .fit(&text, size, Weight::Regular, room.max(0.0) as f32);
            let (anchor, [x0, y0, x1, y1]) = label_offsets(dir, shaped.width as f64, cap);
            let bounds = Rect::new(tip.x + x0, tip.y + y0, tip.x + x1, tip.y + y1);
            let at = Point::new(tip.x, tip.y + y1);
            placed.push(AxisLabel {
                text: shaped,
                at,
                anchor,
                bounds,
            });
        }
        let collides = placed.len() > 1
            && (0..placed.len()).any(|k| {
                let a = placed[k].bounds.inflate(pad / 2.0, pad / 2.0);
                let b = placed[(k + 1) % placed.len()]
                    .bounds
                    .inflate(pad / 2.0, pad / 2.0);
                a.intersect(b).area() > 0.0
            });
        if !collides || every >= n {
            return LabelPlan {
                wheel,
                kept,
                placed,
            };
        }
        // Grow geometrically: with thousands of axes, one step at a time would shape too much.
        every = (every + 1).max(every * 5 / 4);
    }
}

/// The largest wheel of `n` axes that fits in `area` with `labels` (axis direction, text
/// width) around it, placed so that the whole (outline and labels) is centred in `area`.
fn fit_wheel(area: Rect, n: usize, labels: &[(Vec2, f64)], gap: f64, cap: f64) -> Wheel {
    let shape = Wheel {
        center: Point::ZERO,
        radius: 1.0,
        axes: n,
    };
    // The bounds of everything at radius `r` around the origin.
    let extent = |r: f64| -> Rect {
        let mut bounds = Rect::new(-r, -r, r, r);
        if shape.polygonal() {
            let first = shape.at(0, r);
            bounds = (1..n).fold(Rect::from_points(first, first), |b, i| {
                b.union_pt(shape.at(i, r))
            });
        }
        for &(dir, width) in labels {
            let (_, [x0, y0, x1, y1]) = label_offsets(dir, width, cap);
            let tip = dir * (r + gap);
            bounds = bounds.union(Rect::new(tip.x + x0, tip.y + y0, tip.x + x1, tip.y + y1));
        }
        bounds
    };
    let fits = |r: f64| {
        let b = extent(r);
        b.width() <= area.width() && b.height() <= area.height()
    };
    // The extent grows with r, so bisect for the largest r that fits.
    let (mut lo, mut hi) = (0.0, area.width().max(area.height()).max(1.0));
    for _ in 0..40 {
        let mid = (lo + hi) / 2.0;
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let bounds = extent(lo);
    Wheel {
        center: area.center() - bounds.center().to_vec2(),
        radius: lo,
        axes: n,
    }
}

/// The smallest step between drawn axes for which `n` of them, spread over `length` px, are at
/// least `spacing` px apart.
fn spoke_every(n: usize, length: f64, spacing: f64) -> usize {
    let fit = (length / spacing.max(1e-9)).floor();
    if fit.is_nan() || fit < 1.0 {
        return n.max(1);
    }
    let fit = fit.min(n as f64) as usize;
    n.div_ceil(fit.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_sit_outside_the_wheel() {
        for i in 0..12 {
            let dir = Vec2::from_angle(axis_angle(i, 12));
            let (_, [x0, y0, x1, y1]) = label_offsets(dir, 40.0, 8.0);
            let tip = Point::new(dir.x * 100.0, dir.y * 100.0);
            let bounds = Rect::new(tip.x + x0, tip.y + y0, tip.x + x1, tip.y + y1);
            // No corner of the box is inside the wheel.
            for corner in [
                Point::new(bounds.x0, bounds.y0),
                Point::new(bounds.x1, bounds.y0),
                Point::new(bounds.x0, bounds.y1),
                Point::new(bounds.x1, bounds.y1),
            ] {
                assert!(corner.to_vec2().hypot() >= 99.0, "axis {i}: {corner:?}");
            }
        }
    }

    #[test]
    fn wheel_and_labels_fit_the_area() {
        let area = Rect::new(20.0, 90.0, 780.0, 480.0);
        for n in [1, 2, 3, 5, 7, 12, 200] {
            let labels: Vec<(Vec2, f64)> = (0..n.min(12))
                .map(|i| (Vec2::from_angle(axis_angle(i, n)), 60.0))
                .collect();
            let wheel = fit_wheel(area, n, &labels, 8.0, 8.0);
            assert!(wheel.radius > 120.0, "{n} axes: radius {}", wheel.radius);
            let inside = area.inflate(1e-6, 1e-6);
            for (i, &(dir, width)) in labels.iter().enumerate() {
                assert!(
                    inside.contains(wheel.at(i, wheel.radius)),
                    "{n} axes, vertex {i}"
                );
                let (_, [x0, y0, x1, y1]) = label_offsets(dir, width, 8.0);
                let tip = wheel.at(i, wheel.radius + 8.0);
                let label = Rect::new(tip.x + x0, tip.y + y0, tip.x + x1, tip.y + y1);
                assert_eq!(inside.intersect(label), label, "{n} axes, label {i}");
            }
        }
        // A triangle is wider than tall: it grows past half the height, centred as a whole.
        let triangle = fit_wheel(area, 3, &[], 8.0, 8.0);
        assert!(triangle.radius > area.height() / 2.0);
    }

    #[test]
    fn spokes_thin_to_fit() {
        assert_eq!(spoke_every(5, 1000.0, 10.0), 1);
        assert_eq!(spoke_every(200, 1000.0, 10.0), 2);
        assert_eq!(spoke_every(2_000_000, 1000.0, 10.0), 20_000);
        assert_eq!(spoke_every(7, 0.0, 10.0), 7);
        assert_eq!(spoke_every(0, 100.0, 10.0), 1);
    }
}
