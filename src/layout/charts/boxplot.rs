//! Box plots and violins (QuickChart's chartjs-chart-box-and-violin-plot) in a bar slot: the
//! box from the first to the third quartile with the median across it, whiskers out to the
//! furthest samples within reach and the outliers as dots; or the density mirrored about the
//! slot's centre with a diamond at the median, as the plugin draws them.

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::scale::LinearScale;
use crate::spec::distribution::{DistributionKind, Summary};
use kurbo::{BezPath, Circle, Line, Point, Rect, Stroke};
use peniko::Color;

/// Opacity of a box's fill when the dataset gives no `backgroundColor` (its outline is the
/// series colour, so the median line stays visible across it).
const DEFAULT_FILL_ALPHA: f64 = 0.35;

/// Opacity of the sample dots (`itemRadius`) when no `itemBackgroundColor` is given: the
/// outline colour, see-through where dots pile up.
const ITEM_ALPHA: f32 = 0.5;

/// One box or violin, laid out by the bar layout.
pub(super) struct Item<'a> {
    /// Dataset index.
    pub dataset: usize,
    /// Category index.
    pub index: usize,
    /// Start of the slot across the category axis, and its width.
    pub start: f64,
    /// Width of the slot.
    pub width: f64,
    /// The category's statistics.
    pub summary: &'a Summary,
}

/// Draws `items` on `scale`, in columns (vertical) or rows (horizontal).
pub(super) fn draw<'s>(
    ctx: &mut Ctx<'_>,
    items: &[Item<'_>],
    scale: &dyn Fn(usize) -> &'s LinearScale,
    columns: bool,
) {
    for item in items {
        let ds = &ctx.spec.datasets[item.dataset];
        let Some(samples) = ds.samples.as_deref() else {
            continue;
        };
        let series = ctx.series_color(item.dataset);
        let fill = ds
            .background_color
            .as_ref()
            .and_then(|c| c.at(item.index))
            .unwrap_or_else(|| series.multiply_alpha(DEFAULT_FILL_ALPHA as f32));
        let border = ds
            .border_color
            .as_ref()
            .and_then(|c| c.at(item.index))
            .unwrap_or(series);
        let s = f64::from(ctx.m.scale);
        let width = ds.border_width.unwrap_or(s);
        let look = samples.look;
        let paint = Paint {
            fill,
            border,
            width,
            median: look.median_color.unwrap_or(border),
            lower: look.lower_color,
            outlier: look.outlier_color.unwrap_or(border),
            outlier_radius: look.outlier_radius.unwrap_or(2.0 * s),
            item_radius: look.item_radius,
            item: look.item_color.unwrap_or(border.multiply_alpha(ITEM_ALPHA)),
        };
        let axis = Axis {
            scale: scale(item.dataset),
            columns,
            start: item.start,
            width: item.width,
        };
        match samples.kind {
            DistributionKind::Box => draw_box(ctx, &axis, item.summary, &paint),
            DistributionKind::Violin => draw_violin(ctx, &axis, item.summary, &paint),
        }
        draw_outliers(ctx, &axis, item.summary, &paint);
        let seed = (item.dataset * 1000 + item.index) as u64;
        draw_items(ctx, &axis, item.summary, &paint, seed);
    }
}

/// The colours and widths of one box or violin.
struct Paint {
    fill: Color,
    border: Color,
    width: f64,
    median: Color,
    lower: Option<Color>,
    outlier: Color,
    outlier_radius: f64,
    item_radius: f64,
    item: Color,
}

/// Where one box goes: its slot across the category axis and the value scale along the other.
struct Axis<'s> {
    scale: &'s LinearScale,
    columns: bool,
    start: f64,
    width: f64,
}

impl Axis<'_> {
    /// The point `across` (0 = slot start, 1 = slot end) and at `value`.
    fn at(&self, across: f64, value: f64) -> Point {
        let c = self.start + across * self.width;
        let v = self.scale.px(value);
        if self.columns {
            Point::new(c, v)
        } else {
            Point::new(v, c)
        }
    }

    /// The rectangle across the whole slot between values `a` and `b`.
    fn band(&self, a: f64, b: f64) -> Rect {
        Rect::from_points(self.at(0.0, a), self.at(1.0, b))
    }

    /// The line across the slot between `from` and `to` (0..1) at `value`.
    fn across(&self, from: f64, to: f64, value: f64) -> Shape {
        line(self.at(from, value), self.at(to, value))
    }
}

fn line(a: Point, b: Point) -> Shape {
    Shape::Path(kurbo::Shape::to_path(&Line::new(a, b), 0.1))
}

fn draw_box(ctx: &mut Ctx<'_>, axis: &Axis<'_>, s: &Summary, paint: &Paint) {
    let stroke = Stroke::new(paint.width);
    let body = axis.band(s.q1, s.q3);
    ctx.fig.fill(Shape::Rect(body), paint.fill);
    if let Some(lower) = paint.lower {
        ctx.fig
            .fill(Shape::Rect(axis.band(s.q1.min(s.q3), s.median)), lower);
    }
    if paint.width > 0.0 {
        ctx.fig
            .stroke(Shape::Rect(body), paint.border, stroke.clone());
    }
    ctx.fig.stroke(
        axis.across(0.0, 1.0, s.median),
        paint.median,
        stroke.clone(),
    );
    // Whiskers: a stem from each quartile out to its whisker, capped across the slot.
    let mut path = BezPath::new();
    for (end, quartile) in [(s.whisker_min, s.q1), (s.whisker_max, s.q3)] {
        path.move_to(axis.at(0.0, end));
        path.line_to(axis.at(1.0, end));
        path.move_to(axis.at(0.5, end));
        path.line_to(axis.at(0.5, quartile));
    }
    ctx.fig.stroke(
        Shape::Path(path),
        paint.border,
        Stroke::new(paint.width.max(0.5)),
    );
}

fn draw_violin(ctx: &mut Ctx<'_>, axis: &Axis<'_>, s: &Summary, paint: &Paint) {
    let peak = s.density.iter().map(|d| d.1).fold(0.0, f64::max);
    if peak > 0.0 {
        // Half the slot at the peak density; both sides from the minimum to the maximum.
        let half = 0.5 / peak;
        let mut path = BezPath::new();
        path.move_to(axis.at(0.5, s.min));
        for (v, d) in &s.density {
            path.line_to(axis.at(0.5 - d * half, *v));
        }
        path.line_to(axis.at(0.5, s.max));
        for (v, d) in s.density.iter().rev() {
            path.line_to(axis.at(0.5 + d * half, *v));
        }
        path.close_path();
        ctx.fig.fill(Shape::Path(path.clone()), paint.fill);
        if paint.width > 0.0 {
            ctx.fig
                .stroke(Shape::Path(path), paint.border, Stroke::new(paint.width));
        }
    }
    // The median: a diamond (the plugin's `rectRot` point of radius 5).
    let r = 5.0 * f64::from(ctx.m.scale);
    let c = axis.at(0.5, s.median);
    let mut diamond = BezPath::new();
    diamond.move_to((c.x, c.y - r));
    diamond.line_to((c.x + r, c.y));
    diamond.line_to((c.x, c.y + r));
    diamond.line_to((c.x - r, c.y));
    diamond.close_path();
    ctx.fig.fill(Shape::Path(diamond.clone()), paint.fill);
    ctx.fig.stroke(
        Shape::Path(diamond),
        paint.median,
        Stroke::new(paint.width.max(0.5)),
    );
}

fn draw_outliers(ctx: &mut Ctx<'_>, axis: &Axis<'_>, s: &Summary, paint: &Paint) {
    if paint.outlier_radius <= 0.0 {
        return;
    }
    for v in &s.outliers {
        let c = axis.at(0.5, *v);
        ctx.fig.fill(
            Shape::Circle(Circle::new(c, paint.outlier_radius)),
            paint.outlier,
        );
    }
}

/// Every sample as a dot (`itemRadius`), jittered across the slot by the plugin's seeded
/// generator (seed: dataset × 1000 + category), so the same chart always scatters the same way.
fn draw_items(ctx: &mut Ctx<'_>, axis: &Axis<'_>, s: &Summary, paint: &Paint, seed: u64) {
    if paint.item_radius <= 0.0 || s.items.is_empty() {
        return;
    }
    let mut state = seed % 233_280;
    for v in &s.items {
        state = (state * 9301 + 49_297) % 233_280;
        let across = state as f64 / 233_280.0;
        let c = axis.at(across, *v);
        ctx.fig
            .fill(Shape::Circle(Circle::new(c, paint.item_radius)), paint.item);
    }
}
