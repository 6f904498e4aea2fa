//! Polar area charts (Chart.js `polarArea`): one slice per value of the first dataset, all with
//! the same angle, clockwise from 12 o'clock, the value read as the slice's radius.
//!
//! The radius is linear in the value (not its square root, which would make areas
//! proportional): readers compare polar slices by their reach against the grid rings, and a
//! linear scale is what Chart.js draws, so the same spec reads the same here. Values below zero
//! and gaps have no reach: their slice is left empty. Slices take the pie's colours
//! ([`pie::slice_color`](super::pie::slice_color)) so the legend matches.

use super::pie::slice_color;
use super::wheel::{axis_angle, draw_ring_values, no_data};
use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::scale::VALUE_LIMIT;
use kurbo::{BezPath, Circle, CircleSegment, Point, Rect, Shape as _, Stroke, Vec2};
use peniko::Color;
use std::collections::HashMap;
use std::f64::consts::TAU;

/// Distance between grid rings at 800×500, in px.
const RING_SPACING: f64 = 45.0;
/// Background-coloured line between slices at 800×500, in px (as on pies).
const SEPARATOR: f64 = 2.0;

/// Draws a polar area chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let values = slice_values(ctx);
    let center = area.center();
    if values.is_empty() {
        no_data(ctx, center);
        return;
    }
    let s = ctx.m.scale as f64;
    let radius = (area.width().min(area.height()) / 2.0 - 2.0 * s).max(1.0);
    let hi = values.iter().copied().fold(0.0, f64::max);
    let target = (radius / (RING_SPACING * s)).round() as usize;
    let scale = crate::layout::axis::radial_scale(ctx, 0.0, hi, target.clamp(2, 6), radius);

    let hairline = Stroke::new(ctx.m.scale.max(1.0) as f64);
    let rings: Vec<f64> = scale
        .ticks
        .iter()
        .map(|&t| scale.px(t))
        .filter(|r| *r >= 0.5 && r.is_finite())
        .collect();
    let grid = ctx.theme.grid;
    for &r in &rings {
        ctx.fig.stroke(
            Shape::Circle(Circle::new(center, r)),
            grid,
            hairline.clone(),
        );
    }

    let n = values.len();
    let sweep = TAU / n as f64;
    let bg = ctx.theme.background;
    // 2 px between slices, thinner when slices are so narrow that 2 px would eat them.
    let separator = (SEPARATOR * s).min(radius * 0.5 * sweep / 4.0);
    let separator = (n > 1 && separator >= 0.5).then(|| Stroke::new(separator));
    // Without separators, slices of one colour share a path: thousands of slivers draw as a
    // handful of fills.
    let mut merged: Vec<(Color, BezPath)> = Vec::new();
    let mut by_color: HashMap<[u32; 4], usize> = HashMap::new();
    for (i, &v) in values.iter().enumerate() {
        let r = scale.px(v).clamp(0.0, radius);
        if r.is_nan() || r <= 0.0 {
            continue;
        }
        let color = slice_color(ctx, i);
        let shape = slice(center, r, axis_angle(i, n), sweep, n);
        match &separator {
            Some(line) => {
                ctx.fig.fill(shape.clone(), color);
                ctx.fig.stroke(shape, bg, line.clone());
            }
            None => {
                let key = color.components.map(f32::to_bits);
                let k = *by_color.entry(key).or_insert_with(|| {
                    merged.push((color, BezPath::new()));
                    merged.len() - 1
                });
                merged[k].1.extend(shape.to_path());
            }
        }
    }
    for (color, path) in merged {
        ctx.fig.fill(Shape::Path(path), color);
    }
    draw_ring_values(ctx, center, &scale);
}

/// The values of the first dataset as reaches: gaps, negatives and non-numbers count as 0.
fn slice_values(ctx: &Ctx<'_>) -> Vec<f64> {
    let Some(ds) = ctx.spec.datasets.first() else {
        return Vec::new();
    };
    ds.data
        .iter()
        .map(|p| {
            p.y()
                .filter(|v| v.is_finite())
                .map_or(0.0, |v| v.clamp(0.0, VALUE_LIMIT))
        })
        .collect()
}

/// Slice `i`'s outline: a wedge of radius `r` from `start` over `sweep`, or a disc when it is
/// the only slice. A wedge whose arc is under a pixel is drawn as a triangle: the same pixels,
/// and far cheaper when there are thousands.
fn slice(center: Point, r: f64, start: f64, sweep: f64, n: usize) -> Shape {
    if n == 1 {
        return Shape::Circle(Circle::new(center, r));
    }
    if r * sweep < 1.0 {
        let mut path = BezPath::new();
        path.move_to(center);
        path.line_to(center + Vec2::from_angle(start) * r);
        path.line_to(center + Vec2::from_angle(start + sweep) * r);
        path.close_path();
        return Shape::Path(path);
    }
    Shape::Path(CircleSegment::new(center, r, 0.0, start, sweep).to_path(0.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_stay_inside_their_radius() {
        let c = Point::new(100.0, 100.0);
        for n in [2, 3, 7, 200, 5000] {
            let sweep = TAU / n as f64;
            for i in 0..n {
                let Shape::Path(p) = slice(c, 50.0, axis_angle(i, n), sweep, n) else {
                    panic!("a wedge is a path");
                };
                let b = p.bounding_box();
                assert!(b.x0 >= 49.9 && b.x1 <= 150.1 && b.y0 >= 49.9 && b.y1 <= 150.1);
            }
        }
    }

    #[test]
    fn first_slice_starts_at_twelve() {
        let Shape::Path(p) = slice(Point::ZERO, 10.0, axis_angle(0, 4), TAU / 4.0, 4) else {
            panic!("a wedge is a path");
        };
        // The quarter from 12 to 3 o'clock lies up and to the right of the centre.
        let b = p.bounding_box();
        assert!(b.x0 > -0.01 && b.y1 < 0.01, "{b:?}");
    }
}
