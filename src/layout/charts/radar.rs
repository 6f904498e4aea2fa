//! Radar charts: one radial axis per label, evenly spaced clockwise from 12 o'clock, with each
//! dataset drawn as a translucent polygon over concentric grid polygons at nice values.
//!
//! The wheel is shared with polar charts (`wheel`) and the axis labels are placed by
//! `labels`; the series geometry lives here once; the competitive radar calls
//! [`draw_series`] with its own [`PolygonStyle`] per dataset. A missing value (`null`) breaks the
//! outline and pulls the area back to the centre on that axis: no value is invented for it
//! (with Chart.js's `spanGaps` the outline joins its neighbours instead). `hidden` datasets are
//! left out (the legend mutes them); `tension` and `borderDash` shape the outline as on lines.

mod labels;

use labels::place_axis_labels;

use super::wheel::{Wheel, draw_ring_values, no_data};
use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::scale::{LinearScale, VALUE_LIMIT};
use kurbo::{BezPath, Cap, Circle, Join, Point, Rect, Stroke};
use peniko::Color;
use std::f64::consts::TAU;

/// Opacity of a dataset's area on a plain radar.
const FILL_ALPHA: f32 = 0.18;
/// Above this many axes the point markers are hidden (they would only be noise, as on lines).
const MAX_AXES_WITH_MARKERS: usize = 60;
/// Distance between grid rings at 800×500, in px.
const RING_SPACING: f64 = 32.0;
/// How one dataset is drawn on a radar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::layout) struct PolygonStyle {
    /// Index of the dataset in the spec.
    pub(in crate::layout) dataset: usize,
    /// Colour of the outline, points and area.
    pub(in crate::layout) color: Color,
    /// Outline width in px.
    pub(in crate::layout) line_width: f64,
    /// Opacity of the outline and points.
    pub(in crate::layout) stroke_alpha: f32,
    /// Opacity of the area.
    pub(in crate::layout) fill_alpha: f32,
    /// Radius of the point markers in px; 0 hides them.
    pub(in crate::layout) point_radius: f64,
}

/// Draws a radar chart in `area`: every dataset alike (with its own `borderWidth`, `fill` and
/// `pointRadius`), in order, the last on top.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let styles: Vec<PolygonStyle> = (ctx.spec.datasets.iter().enumerate())
        .map(|(i, ds)| PolygonStyle {
            dataset: i,
            color: ctx.series_color(i),
            line_width: ds.border_width.unwrap_or(ctx.m.line_width as f64),
            stroke_alpha: 1.0,
            fill_alpha: if ds.fill == Some(false) {
                0.0
            } else {
                FILL_ALPHA
            },
            point_radius: ds.style.point_radius.unwrap_or(ctx.m.point_radius as f64),
        })
        .collect();
    draw_series(ctx, area, &styles);
}

/// Draws the radar's wheel (grid, spokes, tick values, axis labels) in `area` and the datasets
/// of `series` on it, each in its own style, in the order given (the last on top).
pub(in crate::layout) fn draw_series(ctx: &mut Ctx<'_>, area: Rect, series: &[PolygonStyle]) {
    let n = axis_count(ctx);
    if n == 0 {
        no_data(ctx, area.center());
        return;
    }
    let labels = place_axis_labels(ctx, area, n);
    let wheel = labels.wheel;
    let (lo, hi) = value_range(ctx, n);
    let target = (wheel.radius / (RING_SPACING * ctx.m.scale as f64)).round() as usize;
    let scale = crate::layout::axis::radial_scale(ctx, lo, hi, target.clamp(3, 5), wheel.radius);

    let hairline = Stroke::new(ctx.m.scale.max(1.0) as f64);
    for &tick in &scale.ticks {
        let r = scale.px(tick);
        if r < 0.5 {
            continue;
        }
        let is_zero = tick == 0.0 && scale.min < 0.0;
        let color = if is_zero {
            ctx.theme.axis
        } else {
            ctx.theme.grid
        };
        ctx.fig.stroke(wheel.ring(r), color, hairline.clone());
    }
    let grid = ctx.theme.grid;
    for &i in &labels.kept {
        let mut spoke = BezPath::new();
        spoke.move_to(wheel.center);
        spoke.line_to(wheel.at(i, wheel.radius));
        ctx.fig.stroke(Shape::Path(spoke), grid, hairline.clone());
    }

    // Under the data, as Chart.js does, so no value label can hide a point.
    draw_ring_values(ctx, wheel.center, &scale);
    for style in series {
        draw_one(ctx, &wheel, &scale, style);
    }
    let color = ctx.theme.label;
    for label in &labels.placed {
        let transform = crate::text::placement(&label.text, label.at, label.anchor, 0.0);
        ctx.fig.text(&label.text, transform, color);
    }
}

/// Number of axes: one per label or per value of the longest dataset, whichever is more.
pub(in crate::layout) fn axis_count(ctx: &Ctx<'_>) -> usize {
    let longest = ctx.spec.datasets.iter().map(|d| d.data.len()).max();
    longest.unwrap_or(0).max(ctx.spec.labels.len())
}

/// The value range the rings cover: from 0 (or the lowest value, if negative) to the highest
/// value of the first `n` points of every shown dataset.
fn value_range(ctx: &Ctx<'_>, n: usize) -> (f64, f64) {
    let values = ctx
        .spec
        .datasets
        .iter()
        .filter(|d| !d.style.hidden)
        .flat_map(|d| d.data.iter().take(n).filter_map(|p| p.y()))
        .filter(|v| v.is_finite())
        .map(|v| v.clamp(-VALUE_LIMIT, VALUE_LIMIT));
    values.fold((0.0, 0.0), |(lo, hi), v| (v.min(lo), v.max(hi)))
}

/// One dataset's area, outline and points.
fn draw_one(ctx: &mut Ctx<'_>, wheel: &Wheel, scale: &LinearScale, style: &PolygonStyle) {
    let Some(ds) = ctx
        .spec
        .datasets
        .get(style.dataset)
        .filter(|d| !d.style.hidden)
    else {
        return;
    };
    let vertices: Vec<Option<Point>> = (0..wheel.axes)
        .map(|i| {
            let v = ds.data.get(i).and_then(|p| p.y())?;
            Some(wheel.at(i, reach(scale, wheel.radius, v)))
        })
        .collect();
    if vertices.iter().all(Option::is_none) {
        return;
    }
    let vertices = decimate(vertices, wheel);
    let (runs, closed) = runs(&vertices, ds.style.span_gaps);
    let tension = ds.style.tension;
    let color = style.color;
    if style.fill_alpha > 0.0 && wheel.axes >= 3 {
        // The area joins the centre where a value is missing, unless the outline spans the gap.
        let corners: Vec<Point> = if closed {
            runs.concat()
        } else {
            vertices.iter().map(|v| v.unwrap_or(wheel.center)).collect()
        };
        if corners.len() >= 3 {
            let mut area = BezPath::new();
            trace(&mut area, &corners, true, tension, wheel);
            ctx.fig
                .fill(Shape::Path(area), color.multiply_alpha(style.fill_alpha));
        }
    }
    let stroke_color = color.multiply_alpha(style.stroke_alpha);
    if style.line_width > 0.0 {
        let mut line = Stroke::new(style.line_width)
            .with_join(Join::Round)
            .with_caps(Cap::Round);
        if !ds.style.border_dash.is_empty() {
            line = line.with_dashes(0.0, ds.style.border_dash.iter().copied());
        }
        let mut outline = BezPath::new();
        for run in runs.iter().filter(|r| r.len() > 1) {
            trace(&mut outline, run, closed, tension, wheel);
        }
        if !outline.elements().is_empty() {
            ctx.fig.stroke(Shape::Path(outline), stroke_color, line);
        }
    }
    // Dense radars hide their markers, but a value between two gaps keeps its dot.
    let markers: Vec<Point> =
        if wheel.axes <= MAX_AXES_WITH_MARKERS || ds.style.point_radius.is_some() {
            vertices.iter().flatten().copied().collect()
        } else {
            runs.iter()
                .filter(|r| r.len() == 1)
                .flatten()
                .copied()
                .collect()
        };
    if style.point_radius > 0.0 {
        let ring = Stroke::new(1.5 * ctx.m.scale as f64);
        let bg = ctx.theme.background;
        for p in &markers {
            let dot = Shape::Circle(Circle::new(*p, style.point_radius));
            ctx.fig.fill(dot.clone(), stroke_color);
            ctx.fig.stroke(dot, bg, ring.clone());
        }
    }
}

/// At most this many outline vertices per px of the outer ring's circumference; past it they
/// are merged (as line charts decimate long series).
const VERTICES_PER_PX: f64 = 2.0;

/// Thins a dense outline to its envelope: consecutive axes are grouped so that there are about
/// [`VERTICES_PER_PX`] groups per px of circumference, and each group keeps its innermost and
/// outermost vertex, in order (and a gap, if it had one).
fn decimate(vertices: Vec<Option<Point>>, wheel: &Wheel) -> Vec<Option<Point>> {
    let limit = (TAU * wheel.radius * VERTICES_PER_PX).max(64.0) as usize;
    if vertices.len() <= limit {
        return vertices;
    }
    let group = vertices.len().div_ceil(limit / 2);
    let mut out = Vec::with_capacity(limit + 2);
    for chunk in vertices.chunks(group) {
        let reach = |p: &&(usize, Point)| (p.1 - wheel.center).hypot2();
        let present: Vec<(usize, Point)> = (chunk.iter().enumerate())
            .filter_map(|(k, v)| v.map(|p| (k, p)))
            .collect();
        let inner = present.iter().min_by(|a, b| reach(a).total_cmp(&reach(b)));
        let outer = present.iter().max_by(|a, b| reach(a).total_cmp(&reach(b)));
        match (inner, outer) {
            (Some(&a), Some(&b)) if a.0 == b.0 => out.push(Some(a.1)),
            (Some(&a), Some(&b)) => {
                let (first, second) = if a.0 < b.0 { (a, b) } else { (b, a) };
                out.extend([Some(first.1), Some(second.1)]);
            }
            _ => {}
        }
        if present.len() < chunk.len() {
            out.push(None);
        }
    }
    out
}

/// How far out along its axis value `v` sits: on the scale, kept within the wheel.
fn reach(scale: &LinearScale, radius: f64, v: f64) -> f64 {
    let r = scale.px(v);
    if r.is_finite() {
        r.clamp(0.0, radius)
    } else {
        0.0
    }
}

/// The runs of present vertices the outline goes through, and whether it closes round: one
/// closed run when nothing is missing (or gaps are spanned), else the runs between the gaps,
/// the one across the last axis continuing onto the first.
fn runs(vertices: &[Option<Point>], span_gaps: bool) -> (Vec<Vec<Point>>, bool) {
    let n = vertices.len();
    let gap = match vertices.iter().position(Option::is_none) {
        Some(gap) if !span_gaps => gap,
        _ => {
            let all: Vec<Point> = vertices.iter().flatten().copied().collect();
            let closed = all.len() >= 3;
            return (vec![all], closed);
        }
    };
    // Walk once round from just after a gap, so the run across the last axis stays whole.
    let mut runs: Vec<Vec<Point>> = Vec::new();
    let mut current = Vec::new();
    for k in 1..=n {
        match vertices[(gap + k) % n] {
            Some(p) => current.push(p),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    (runs, false)
}

/// Adds `points` to `path` as straight segments or, with `tension > 0`, a Catmull-Rom curve
/// (as on line charts), closing it round when `closed`. Curve handles are kept inside the wheel
/// so a smoothed outline never bulges past the outer ring.
fn trace(path: &mut BezPath, points: &[Point], closed: bool, tension: f64, wheel: &Wheel) {
    let Some(&first) = points.first() else {
        return;
    };
    let n = points.len();
    let at = |i: usize| points[i % n];
    let inside = |p: Point| {
        let d = p - wheel.center;
        let len = d.hypot();
        if len > wheel.radius && len > 0.0 {
            wheel.center + d * (wheel.radius / len)
        } else {
            p
        }
    };
    path.move_to(first);
    let segments = if closed { n } else { n - 1 };
    let k = tension / 2.0;
    for i in 0..segments {
        let (p1, p2) = (at(i), at(i + 1));
        if tension <= 0.0 || n < 3 {
            path.line_to(p2);
            continue;
        }
        // Neighbours wrap round a closed outline and repeat the ends of an open one.
        let p0 = if closed || i > 0 { at(i + n - 1) } else { p1 };
        let p3 = if closed || i + 2 < n { at(i + 2) } else { p2 };
        path.curve_to(inside(p1 + (p2 - p0) * k), inside(p2 - (p3 - p1) * k), p2);
    }
    if closed {
        path.close_path();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_break_the_outline_and_wrap_around() {
        let p = |x: f64| Some(Point::new(x, 0.0));
        let (full, closed) = runs(&[p(0.0), p(1.0), p(2.0)], false);
        assert_eq!((full.len(), full[0].len(), closed), (1, 3, true));
        // One run crosses the wrap (3 → 0); the lone 2 is a run of its own, drawn as a point.
        let (broken, closed) = runs(&[p(0.0), None, p(2.0), p(3.0), None], false);
        let lens: Vec<usize> = broken.iter().map(Vec::len).collect();
        assert_eq!((lens, closed), (vec![2, 1], false));
        let (wrapped, _) = runs(&[p(0.0), None, p(2.0), p(3.0)], false);
        assert_eq!(
            wrapped,
            vec![vec![
                Point::new(2.0, 0.0),
                Point::new(3.0, 0.0),
                Point::new(0.0, 0.0)
            ]]
        );
        // spanGaps joins the neighbours of a gap into one closed outline.
        let (spanned, closed) = runs(&[p(0.0), None, p(2.0), p(3.0)], true);
        assert_eq!((spanned.len(), spanned[0].len(), closed), (1, 3, true));
    }

    #[test]
    fn smoothed_outlines_stay_inside_the_wheel() {
        let wheel = Wheel {
            center: Point::ZERO,
            radius: 100.0,
            axes: 5,
        };
        let points: Vec<Point> = (0..5).map(|i| wheel.at(i, 100.0)).collect();
        let mut path = BezPath::new();
        trace(&mut path, &points, true, 0.5, &wheel);
        use kurbo::Shape as _;
        let b = path.bounding_box();
        assert!(
            b.x0 >= -100.5 && b.x1 <= 100.5 && b.y0 >= -100.5 && b.y1 <= 100.5,
            "{b:?}"
        );
    }

    #[test]
    fn values_stay_inside_the_wheel() {
        let scale = LinearScale::nice(-20.0, 80.0, 5, 0.0, 150.0);
        assert_eq!(reach(&scale, 150.0, scale.min), 0.0);
        assert!((reach(&scale, 150.0, scale.max) - 150.0).abs() < 1e-9);
        for v in [f64::MAX, -f64::MAX, f64::NAN, 1e300, -1e300, 5e-324] {
            let r = reach(&scale, 150.0, v);
            assert!((0.0..=150.0).contains(&r), "{v}: {r}");
        }
    }
}
