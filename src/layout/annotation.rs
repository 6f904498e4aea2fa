//! Annotations ([`crate::spec::annotation`]) drawn on a cartesian plot: values are mapped
//! through the chart's own scales, a missing bound reaches the plot's edge, and everything is
//! clipped to the plot as chartjs-plugin-annotation clips to the chart area.
//!
//! Defaults follow the plugin's: lines 2 px wide, boxes and points with a 1 px border and a
//! faint fill (10 % of the theme's text colour), points of radius 10, labels in semibold 12 px —
//! white on `rgba(0,0,0,0.8)` on lines, plain text elsewhere. A border with no colour takes the
//! theme's axis colour, so it shows on every theme.

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::scale::LinearScale;
use crate::layout::time::TimeScale;
use crate::spec::annotation::{
    Annotation, AnnotationKind, AnnotationLabel, AnnotationValue, LabelPosition,
};
use crate::spec::{AxisKind, ChartSpec};
use crate::text::{Anchor, Weight};
use kurbo::{BezPath, Circle, Ellipse, Line, Point, Rect, RoundedRect, Shape as _, Stroke};
use peniko::Color;

/// A line's width when it gives none, in px.
const LINE_WIDTH: f64 = 2.0;
/// A point's radius when it gives none, in px.
const POINT_RADIUS: f64 = 10.0;
/// A label's font size when it gives none, in px.
const LABEL_SIZE: f32 = 12.0;
/// Padding around a label's text, in px.
const LABEL_PAD: f64 = 6.0;

/// How one axis turns an annotation value into a pixel.
pub(in crate::layout) enum AxisMap<'a> {
    /// A value axis.
    Linear(&'a LinearScale),
    /// Categories: category `i` at `first + step · i` (fractions between), or at its instant on
    /// a time axis.
    Category {
        /// The pixel of category 0.
        first: f64,
        /// The distance between categories (negative when they run upwards).
        step: f64,
        /// A time axis: numbers are epoch milliseconds and strings dates.
        time: Option<&'a TimeScale>,
        /// The axis says `type: "linear"` over numeric labels: a number is a value, placed
        /// between the labels it falls between (`5` is half way from `0` to `10`).
        linear: bool,
    },
}

/// The plot and its two axes, as the annotations see them.
pub(in crate::layout) struct Placement<'a> {
    /// The area inside the axes.
    pub(in crate::layout) plot: Rect,
    /// The horizontal axis.
    pub(in crate::layout) x: AxisMap<'a>,
    /// The vertical axis.
    pub(in crate::layout) y: AxisMap<'a>,
}

/// Draws the annotations of `ctx.spec` that belong `below` the datasets (or above them).
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, at: &Placement<'_>, below: bool) {
    let spec = ctx.spec;
    let mut any = false;
    for a in spec.options.annotations.iter().filter(|a| a.below == below) {
        if !any {
            ctx.fig.push_clip(Shape::Rect(at.plot));
            any = true;
        }
        draw_one(ctx, at, a);
    }
    if any {
        ctx.fig.pop_clip();
    }
}

/// `(lo, hi)` widened to take in the annotations' numbers along a value axis (`on_x`: the
/// horizontal one), as chartjs-plugin-annotation's `adjustScaleRange` (on by default from v1)
/// does; the Chart.js 2 plugin, and logarithmic axes, keep the data's range.
pub(in crate::layout) fn widen(spec: &ChartSpec, on_x: bool, (lo, hi): (f64, f64)) -> (f64, f64) {
    let axis = if on_x {
        &spec.options.x_axis
    } else {
        &spec.options.y_axis
    };
    if axis.kind == Some(AxisKind::Logarithmic) {
        return (lo, hi);
    }
    let (mut lo, mut hi) = (lo, hi);
    for a in spec
        .options
        .annotations
        .iter()
        .filter(|a| !a.numbers_are_labels)
    {
        let span = if on_x { &a.x } else { &a.y };
        for v in [&span.min, &span.max].into_iter().flatten() {
            if let AnnotationValue::Number(n) = v {
                lo = lo.min(*n);
                hi = hi.max(*n);
            }
        }
    }
    (lo, hi)
}

/// The pixel of `v` on `axis` for annotation `a`, `None` when it names no category or date.
fn pixel(ctx: &Ctx<'_>, a: &Annotation, axis: &AxisMap<'_>, v: &AnnotationValue) -> Option<f64> {
    match axis {
        AxisMap::Linear(scale) => match v {
            AnnotationValue::Number(n) => Some(scale.px(*n)),
            AnnotationValue::Text(s) => s.trim().parse::<f64>().ok().map(|n| scale.px(n)),
        },
        AxisMap::Category {
            first,
            step,
            time,
            linear,
        } => {
            let labels = &ctx.spec.labels;
            let index = match v {
                AnnotationValue::Number(n) => {
                    if let Some(t) = time {
                        return Some(t.px(*n));
                    }
                    if *linear && let Some(i) = numeric_index(labels, *n) {
                        return Some(first + step * i);
                    }
                    let label = a.numbers_are_labels.then(|| {
                        labels
                            .iter()
                            .position(|l| l.trim().parse::<f64>().is_ok_and(|x| x == *n))
                    });
                    match label.flatten() {
                        Some(i) => i as f64,
                        None => *n,
                    }
                }
                AnnotationValue::Text(s) => {
                    if let Some(i) = labels.iter().position(|l| l == s.as_str()) {
                        i as f64
                    } else if let (Some(t), Some(ms)) = (time, crate::spec::time::parse_instant(s))
                    {
                        return Some(t.px(ms));
                    } else {
                        s.trim().parse::<f64>().ok()?
                    }
                }
            };
            Some(first + step * index)
        }
    }
}

/// Where value `v` falls among numeric, ascending `labels`, as a fractional index (outside
/// them, extended from the nearest two); `None` unless there are two labels, all numbers.
fn numeric_index(labels: &crate::spec::Labels, v: f64) -> Option<f64> {
    let values: Vec<f64> = labels
        .iter()
        .map(|l| l.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect::<Option<_>>()?;
    if values.len() < 2 || values.windows(2).any(|w| w[1] <= w[0]) {
        return None;
    }
    let k = values
        .windows(2)
        .position(|w| v <= w[1])
        .unwrap_or(values.len() - 2);
    let (a, b) = (values[k], values[k + 1]);
    Some(k as f64 + (v - a) / (b - a))
}

/// The pixel range of a span on one axis: its bounds, a missing one at the plot's edge.
fn range(
    ctx: &Ctx<'_>,
    a: &Annotation,
    axis: &AxisMap<'_>,
    span: &crate::spec::annotation::Span,
    edges: (f64, f64),
) -> Option<(f64, f64)> {
    let lo = match &span.min {
        Some(v) => pixel(ctx, a, axis, v)?,
        None => edges.0,
    };
    let hi = match &span.max {
        Some(v) => pixel(ctx, a, axis, v)?,
        None => edges.1,
    };
    Some((lo, hi))
}

/// The centre of a point-like annotation on one axis: its value, else the middle of its span.
fn centre(
    ctx: &Ctx<'_>,
    a: &Annotation,
    axis: &AxisMap<'_>,
    span: &crate::spec::annotation::Span,
    edges: (f64, f64),
) -> Option<f64> {
    match (&span.min, &span.max) {
        (Some(v), None) => pixel(ctx, a, axis, v),
        _ => range(ctx, a, axis, span, edges).map(|(lo, hi)| (lo + hi) / 2.0),
    }
}

fn draw_one(ctx: &mut Ctx<'_>, at: &Placement<'_>, a: &Annotation) {
    let plot = at.plot;
    let xs = (plot.x0, plot.x1);
    let ys = (plot.y1, plot.y0);
    match a.kind {
        AnnotationKind::Line => {
            // A line across the whole plot runs left to right, or top to bottom: its start
            // (where a `start` label goes) is the top, as in the plugin.
            let down = (plot.y0, plot.y1);
            let (Some((x0, x1)), Some((y0, y1))) = (
                range(ctx, a, &at.x, &a.x, xs),
                range(ctx, a, &at.y, &a.y, down),
            ) else {
                return;
            };
            let color = a.border_color.unwrap_or(ctx.theme.axis);
            let width = a.border_width.unwrap_or(LINE_WIDTH);
            if width > 0.0 {
                let line = Line::new((x0, y0), (x1, y1));
                ctx.fig.stroke(
                    Shape::Path(line.to_path(0.1)),
                    color,
                    dashed(width, &a.border_dash),
                );
            }
            if let Some(label) = &a.label {
                // Along the line: its start, middle or end (x for a level line, y otherwise).
                let along = if (y1 - y0).abs() < (x1 - x0).abs() {
                    label.x_position
                } else {
                    label.y_position
                };
                let t = match along {
                    LabelPosition::Start => 0.0,
                    LabelPosition::Center => 0.5,
                    LabelPosition::End => 1.0,
                };
                let p = Point::new(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
                let boxed = Some(label.background.unwrap_or(Color::from_rgba8(0, 0, 0, 204)));
                let text = label.color.unwrap_or(Color::WHITE);
                draw_label_at(
                    ctx,
                    label,
                    p,
                    along,
                    LabelPosition::Center,
                    boxed,
                    text,
                    plot,
                );
            }
        }
        AnnotationKind::Box | AnnotationKind::Ellipse => {
            let (Some((x0, x1)), Some((y0, y1))) = (
                range(ctx, a, &at.x, &a.x, xs),
                range(ctx, a, &at.y, &a.y, ys),
            ) else {
                return;
            };
            let rect = Rect::new(x0, y0, x1, y1).abs();
            let shape = if a.kind == AnnotationKind::Box {
                Shape::Rect(rect)
            } else {
                Shape::Path(Ellipse::from_rect(rect).to_path(0.1))
            };
            fill_and_border(ctx, a, shape);
            if let Some(label) = &a.label {
                let px = |p: LabelPosition, lo: f64, hi: f64| match p {
                    LabelPosition::Start => lo,
                    LabelPosition::Center => (lo + hi) / 2.0,
                    LabelPosition::End => hi,
                };
                let inset = LABEL_PAD;
                let x = px(label.x_position, rect.x0 + inset, rect.x1 - inset);
                let y = px(label.y_position, rect.y0 + inset, rect.y1 - inset);
                let text = label.color.unwrap_or(ctx.theme.label);
                let (ax, ay) = (label.x_position, label.y_position);
                let background = label.background;
                draw_label_at(ctx, label, Point::new(x, y), ax, ay, background, text, plot);
            }
        }
        AnnotationKind::Point | AnnotationKind::Polygon => {
            let (Some(x), Some(y)) = (
                centre(ctx, a, &at.x, &a.x, xs),
                centre(ctx, a, &at.y, &a.y, ys),
            ) else {
                return;
            };
            let r = a.radius.unwrap_or(POINT_RADIUS);
            let shape = if a.kind == AnnotationKind::Point {
                Shape::Circle(Circle::new((x, y), r))
            } else {
                Shape::Path(polygon(Point::new(x, y), r, a.sides, a.rotation))
            };
            fill_and_border(ctx, a, shape);
        }
        AnnotationKind::Label => {
            let (Some(x), Some(y)) = (
                centre(ctx, a, &at.x, &a.x, xs),
                centre(ctx, a, &at.y, &a.y, ys),
            ) else {
                return;
            };
            let Some(label) = &a.label else { return };
            let text = label.color.unwrap_or(ctx.theme.label);
            let background = label.background.or(a.background);
            draw_label_at(
                ctx,
                label,
                Point::new(x, y),
                LabelPosition::Center,
                LabelPosition::Center,
                background,
                text,
                plot,
            );
        }
    }
}

/// Draws `label`'s lines in a box whose `x_anchor`/`y_anchor` side sits at `p` (kept inside
/// `plot`), on `background` when given.
#[expect(
    clippy::too_many_arguments,
    reason = "a label has this many independent knobs"
)]
fn draw_label_at(
    ctx: &mut Ctx<'_>,
    label: &AnnotationLabel,
    p: Point,
    x_anchor: LabelPosition,
    y_anchor: LabelPosition,
    background: Option<Color>,
    text: Color,
    plot: Rect,
) {
    let size = label.size.unwrap_or(LABEL_SIZE);
    let line_h = f64::from(size) * 1.2;
    let width = label
        .lines
        .iter()
        .map(|l| f64::from(ctx.shaper.measure(l, size, Weight::SemiBold)))
        .fold(0.0, f64::max);
    let w = width + 2.0 * LABEL_PAD;
    let h = line_h * label.lines.len() as f64 + LABEL_PAD;
    let x0 = match x_anchor {
        LabelPosition::Start => p.x,
        LabelPosition::Center => p.x - w / 2.0,
        LabelPosition::End => p.x - w,
    };
    let y0 = match y_anchor {
        LabelPosition::Start => p.y,
        LabelPosition::Center => p.y - h / 2.0,
        LabelPosition::End => p.y - h,
    };
    // Inside the plot where it fits.
    let x0 = x0.min(plot.x1 - w).max(plot.x0);
    let y0 = y0.min(plot.y1 - h).max(plot.y0);
    let rect = Rect::new(x0, y0, x0 + w, y0 + h);
    if let Some(bg) = background {
        ctx.fig
            .fill(Shape::RoundedRect(RoundedRect::from_rect(rect, 6.0)), bg);
    }
    let mut baseline = rect.y0 + LABEL_PAD / 2.0 + f64::from(size);
    for line in &label.lines {
        ctx.label(
            line,
            size,
            Weight::SemiBold,
            text,
            Point::new(rect.center().x, baseline),
            Anchor::Middle,
        );
        baseline += line_h;
    }
}

/// Fills `shape` (a box, ellipse, point or polygon) and draws its border: the plugin's faint
/// fill and 1 px border unless the annotation gives its own.
fn fill_and_border(ctx: &mut Ctx<'_>, a: &Annotation, shape: Shape) {
    let fill = a.background.unwrap_or(ctx.theme.label.with_alpha(0.1));
    ctx.fig.fill(shape.clone(), fill);
    let width = a.border_width.unwrap_or(1.0);
    if width > 0.0 {
        let color = a.border_color.unwrap_or(ctx.theme.axis);
        ctx.fig.stroke(shape, color, dashed(width, &a.border_dash));
    }
}

/// A stroke of `width`, dashed when `dash` has lengths.
fn dashed(width: f64, dash: &[f64]) -> Stroke {
    let s = Stroke::new(width);
    if dash.is_empty() {
        s
    } else {
        s.with_dashes(0.0, dash.iter().copied())
    }
}

/// A regular polygon of `sides` with its first corner up (turned by `rotation` degrees).
fn polygon(c: Point, r: f64, sides: u8, rotation: f64) -> BezPath {
    let n = sides.max(3);
    let mut path = BezPath::new();
    for i in 0..n {
        let angle =
            (rotation - 90.0).to_radians() + std::f64::consts::TAU * f64::from(i) / f64::from(n);
        let p = Point::new(c.x + r * angle.cos(), c.y + r * angle.sin());
        if i == 0 {
            path.move_to(p);
        } else {
            path.line_to(p);
        }
    }
    path.close_path();
    path
}
