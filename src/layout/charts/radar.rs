//! Radar charts: one radial axis per label, evenly spaced clockwise from 12 o'clock, with each
//! dataset drawn as a translucent polygon over concentric grid polygons at nice values.
//!
//! The geometry (wheel, grid, axis labels, series) lives here once; the competitive radar calls
//! [`draw_series`] with its own [`PolygonStyle`] per dataset. A missing value (`null`) breaks the
//! outline and pulls the area back to the centre on that axis: no value is invented for it
//! (with Chart.js's `spanGaps` the outline joins its neighbours instead). `hidden` datasets are
//! left out (the legend mutes them); `tension` and `borderDash` shape the outline as on lines.

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::scale::{LinearScale, VALUE_LIMIT};
use crate::text::{Anchor, CAP_HEIGHT, ShapedText, Weight};
use kurbo::{BezPath, Cap, Circle, Join, Point, Rect, RoundedRect, Stroke, Vec2};
use peniko::Color;
use std::f64::consts::{FRAC_PI_2, TAU};
use std::sync::Arc;

/// Opacity of a dataset's area on a plain radar.
const FILL_ALPHA: f32 = 0.18;
/// Above this many axes the point markers are hidden (they would only be noise, as on lines).
const MAX_AXES_WITH_MARKERS: usize = 60;
/// Above this many axes grid rings are drawn as circles: indistinguishable, and far cheaper.
const MAX_GRID_SIDES: usize = 120;
/// Share of the plot width an axis label may claim when the radius is chosen.
const MAX_LABEL_SHARE: f64 = 0.22;
/// However long the labels, the radius keeps this share of the largest that fits; the labels
/// are ellipsized instead.
const MIN_RADIUS_SHARE: f64 = 0.55;
/// Distance between grid rings at 800×500, in px.
const RING_SPACING: f64 = 32.0;
/// Gaps between labels below this many px (at 800×500) count as a collision.
const LABEL_PAD: f64 = 4.0;

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

/// Angle of axis `i` of `n` in radians: 12 o'clock first, then clockwise (y points down).
pub(in crate::layout) fn axis_angle(i: usize, n: usize) -> f64 {
    -FRAC_PI_2 + TAU * (i as f64 / n.max(1) as f64)
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

/// Where the radar sits: its centre, outer radius and number of axes.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Wheel {
    center: Point,
    radius: f64,
    axes: usize,
}

impl Wheel {
    /// Unit vector along axis `i`.
    fn dir(&self, i: usize) -> Vec2 {
        Vec2::from_angle(axis_angle(i, self.axes))
    }

    /// The point `r` px out along axis `i`.
    fn at(&self, i: usize, r: f64) -> Point {
        self.center + self.dir(i) * r
    }

    /// Whether grid rings are polygons (else circles).
    fn polygonal(&self) -> bool {
        (3..=MAX_GRID_SIDES).contains(&self.axes)
    }

    /// A grid ring of radius `r`: a polygon through every axis, or a circle when there are too
    /// few axes for a polygon (or so many that it would look like one anyway).
    fn ring(&self, r: f64) -> Shape {
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

/// One axis label, ready to draw.
struct AxisLabel {
    text: Arc<ShapedText>,
    at: Point,
    anchor: Anchor,
    bounds: Rect,
}

/// The wheel and its labels: which axes keep a label (and a spoke) and where they go.
struct LabelPlan {
    wheel: Wheel,
    kept: Vec<usize>,
    placed: Vec<AxisLabel>,
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
fn place_axis_labels(ctx: &mut Ctx<'_>, area: Rect, n: usize) -> LabelPlan {
    let s = ctx.m.scale as f64;
    let size = ctx.m.tick;
    let cap = (size * CAP_HEIGHT) as f64;
    let gap = 8.0 * s;
    let pad = LABEL_PAD * s;
    // The wheel's own outline keeps clear of the area's edge by its line and point markers.
    let inner = area.inset(-3.0 * s);
    let bare = fit_wheel(inner, n, &[], gap, cap);
    let any_label = ctx.spec.labels.iter().take(n).any(|l| !l.trim().is_empty());
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
    let label_of = |i: usize| spec.labels.get(i).map_or("", String::as_str);

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
    fn axes_start_at_twelve_and_run_clockwise() {
        let up = Vec2::from_angle(axis_angle(0, 4));
        assert!(up.x.abs() < 1e-12 && (up.y + 1.0).abs() < 1e-12);
        let right = Vec2::from_angle(axis_angle(1, 4));
        assert!((right.x - 1.0).abs() < 1e-12 && right.y.abs() < 1e-12);
        let down = Vec2::from_angle(axis_angle(2, 4));
        assert!((down.y - 1.0).abs() < 1e-12);
        assert!(axis_angle(0, 0).is_finite());
    }

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
    fn values_stay_inside_the_wheel() {
        let scale = LinearScale::nice(-20.0, 80.0, 5, 0.0, 150.0);
        assert_eq!(reach(&scale, 150.0, scale.min), 0.0);
        assert!((reach(&scale, 150.0, scale.max) - 150.0).abs() < 1e-9);
        for v in [f64::MAX, -f64::MAX, f64::NAN, 1e300, -1e300, 5e-324] {
            let r = reach(&scale, 150.0, v);
            assert!((0.0..=150.0).contains(&r), "{v}: {r}");
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
