//! Lollipop charts: a stem from zero and a dot at the value per category, vertical or
//! horizontal (`indexAxis: "y"`), optionally sorted by value.

use super::cartesian;
use crate::figure::{Figure, Shape};
use crate::layout::Ctx;
use crate::spec::{ChartSpec, ColorSpec, DataPoint, SortOrder};
use kurbo::{Circle, Line, Point, Rect, Shape as _, Stroke};
use peniko::Color;

/// Dot radius in px at scale 1.
const DOT_RADIUS: f64 = 5.0;
/// Stem width in px at scale 1.
const STEM_WIDTH: f64 = 2.0;
/// Share of a category band the dots of several datasets spread over.
const GROUP_SHARE: f64 = 0.7;
/// Opacity of a stem relative to its dot: the dot carries the value, the stem only leads to it.
const STEM_ALPHA: f32 = 0.6;

/// Draws a lollipop chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let n = cartesian::category_count(ctx);
    match ctx.spec.options.sort {
        Some(order) => {
            let sorted = sorted_spec(ctx.spec, &sort_order(ctx.spec, n, order));
            with_spec(ctx, &sorted, |ctx| draw_in_order(ctx, area));
        }
        None => draw_in_order(ctx, area),
    }
}

fn draw_in_order(ctx: &mut Ctx<'_>, area: Rect) {
    if ctx.spec.options.horizontal {
        draw_horizontal(ctx, area);
    } else {
        draw_vertical(ctx, area);
    }
}

/// Runs `f` with `spec` in place of the context's spec (same look, shaper and figure).
fn with_spec(ctx: &mut Ctx<'_>, spec: &ChartSpec, f: impl FnOnce(&mut Ctx<'_>)) {
    let fig = std::mem::replace(&mut ctx.fig, Figure::new(0, 0, ctx.theme.background));
    let mut inner = Ctx {
        spec,
        theme: ctx.theme.clone(),
        m: ctx.m,
        shaper: &mut *ctx.shaper,
        fig,
        binner: ctx.binner,
    };
    f(&mut inner);
    ctx.fig = inner.fig;
}

/// Category indices ordered by the first dataset's value; categories without one go last, and
/// equal values keep their given order.
fn sort_order(spec: &ChartSpec, n: usize, order: SortOrder) -> Vec<usize> {
    let value = |i: usize| {
        spec.datasets
            .first()
            .and_then(|d| d.data.get(i))
            .and_then(|p| p.y())
    };
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| match (value(a), value(b)) {
        (Some(x), Some(y)) => match order {
            SortOrder::Ascending => x.total_cmp(&y),
            SortOrder::Descending => y.total_cmp(&x),
        },
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    idx
}

/// `spec` with its categories (labels, every dataset's points and per-point colours) in `order`.
fn sorted_spec(spec: &ChartSpec, order: &[usize]) -> ChartSpec {
    let mut out = spec.clone();
    out.labels = order.iter().map(|&i| spec.labels.get_or_empty(i)).collect();
    let permute_colors = |c: &Option<ColorSpec>| match c {
        Some(ColorSpec::PerPoint(v)) if !v.is_empty() => Some(ColorSpec::PerPoint(
            order.iter().map(|&i| v[i % v.len()]).collect(),
        )),
        other => other.clone(),
    };
    for (ds, orig) in out.datasets.iter_mut().zip(&spec.datasets) {
        ds.data = order
            .iter()
            .map(|&i| orig.data.get(i).copied().unwrap_or(DataPoint::Missing))
            .collect();
        ds.background_color = permute_colors(&orig.background_color);
        ds.border_color = permute_colors(&orig.border_color);
    }
    out
}

/// `(min, max)` of every shown value, zero included (stems grow from zero).
fn extent(spec: &ChartSpec) -> (f64, f64) {
    spec.datasets
        .iter()
        .filter(|d| !d.style.hidden)
        .flat_map(|d| d.data.iter().filter_map(|p| p.y()))
        .fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

/// Widens `lo..=hi` so a dot of radius `r` at either end stays inside `length` px.
fn with_dot_room(lo: f64, hi: f64, r: f64, length: f64) -> (f64, f64) {
    let span = (hi - lo).min(f64::MAX);
    if !(span > 0.0 && length > 4.0 * r) {
        return (lo, hi);
    }
    let pad = span * r / (length - 2.0 * r);
    let lo = if lo < 0.0 { lo - pad } else { lo };
    let hi = if hi > 0.0 { hi + pad } else { hi };
    (lo.max(-f64::MAX), hi.min(f64::MAX))
}

/// Sizes of the marks for categories `band` px apart.
struct Marks {
    /// Spread of a category's dots (zero for one dataset).
    group: f64,
    /// Distance between neighbouring datasets' dots.
    slot: f64,
    radius: f64,
    stem: f64,
}

impl Marks {
    fn new(ctx: &Ctx<'_>, band: f64) -> Marks {
        let s = f64::from(ctx.m.scale);
        let m = cartesian::visible(ctx).count().max(1) as f64;
        let (group, slot) = if m > 1.0 {
            (band * GROUP_SHARE, band * GROUP_SHARE / m)
        } else {
            (0.0, band)
        };
        let radius = (DOT_RADIUS * s).min(slot * 0.4).max(0.75);
        let stem = (STEM_WIDTH * s).min(radius);
        Marks {
            group,
            slot,
            radius,
            stem,
        }
    }

    /// Offset from its category's centre of the dot of the `j`-th shown dataset.
    fn offset(&self, j: usize) -> f64 {
        if self.group == 0.0 {
            0.0
        } else {
            -self.group / 2.0 + self.slot * (j as f64 + 0.5)
        }
    }
}

/// One lollipop to draw: where its stem starts, where its dot sits, and its colour.
struct Pop {
    base: Point,
    tip: Point,
    color: Color,
}

/// Every lollipop, placed by `place(category, offset, value)`.
fn pops(
    ctx: &Ctx<'_>,
    marks: &Marks,
    place: impl Fn(usize, f64, f64) -> (Point, Point),
) -> Vec<Pop> {
    let mut out = Vec::new();
    for (rank, (j, ds)) in cartesian::visible(ctx).enumerate() {
        let series = ctx.series_color(j);
        for (i, point) in ds.data.iter().enumerate() {
            let Some(v) = point.y() else { continue };
            let color = match &ds.background_color {
                Some(c @ ColorSpec::PerPoint(_)) => c.at(i).unwrap_or(series),
                _ => series,
            };
            let (base, tip) = place(i, marks.offset(rank), v);
            out.push(Pop { base, tip, color });
        }
    }
    out
}

/// Stems, then the zero line, then dots on top.
fn draw_pops(ctx: &mut Ctx<'_>, pops: &[Pop], marks: &Marks, zero: Line) {
    let stem = Stroke::new(marks.stem);
    for pop in pops {
        let line = Line::new(pop.base, pop.tip);
        ctx.fig.stroke(
            Shape::Path(line.to_path(0.1)),
            pop.color.multiply_alpha(STEM_ALPHA),
            stem.clone(),
        );
    }
    let hairline = Stroke::new(f64::from(ctx.m.scale).max(1.0));
    let axis_color = ctx.theme.axis;
    ctx.fig
        .stroke(Shape::Path(zero.to_path(0.1)), axis_color, hairline);
    // Several series may overlap: a background ring keeps each dot distinct.
    let ring = (marks.group > 0.0).then(|| Stroke::new(marks.radius * 0.3));
    for pop in pops {
        let dot = Shape::Circle(Circle::new(pop.tip, marks.radius));
        ctx.fig.fill(dot.clone(), pop.color);
        if let Some(ring) = &ring {
            let bg = ctx.theme.background;
            ctx.fig.stroke(dot, bg, ring.clone());
        }
    }
}

/// Snaps a hairline coordinate to a pixel centre.
fn crisp(v: f64) -> f64 {
    v.floor() + 0.5
}

/// Categories along the bottom, values up the left (the shared category frame).
fn draw_vertical(ctx: &mut Ctx<'_>, area: Rect) {
    let n = cartesian::category_count(ctx);
    let (lo, hi) = extent(ctx.spec);
    let marks = Marks::new(ctx, area.width() / n as f64);
    let (lo, hi) = with_dot_room(lo, hi, marks.radius, area.height());
    let frame = cartesian::draw_frame(ctx, area, n, lo, hi);
    let marks = Marks::new(ctx, frame.band);
    let base = frame.y.baseline_px();
    let pops = pops(ctx, &marks, |i, dx, v| {
        let x = frame.x(i) + dx;
        (Point::new(x, base), Point::new(x, frame.y.px(v)))
    });
    let yc = crisp(base);
    let zero = Line::new((frame.plot.x0, yc), (frame.plot.x1, yc));
    draw_pops(ctx, &pops, &marks, zero);
}

/// Categories down the left, values along the bottom (the shared row frame).
fn draw_horizontal(ctx: &mut Ctx<'_>, area: Rect) {
    let n = cartesian::category_count(ctx);
    let marks = Marks::new(ctx, area.height() / n as f64);
    let (lo, hi) = extent(ctx.spec);
    let (lo, hi) = with_dot_room(lo, hi, marks.radius, area.width());
    let frame = super::rows::draw_row_frame(ctx, area, n, lo, hi);
    let marks = Marks::new(ctx, frame.band);
    let base = frame.x.baseline_px();
    let pops = pops(ctx, &marks, |i, dy, v| {
        let yy = frame.y(i) + dy;
        (Point::new(base, yy), Point::new(frame.x.px(v), yy))
    });
    let xc = crisp(base);
    let zero = Line::new((xc, frame.plot.y0), (xc, frame.plot.y1));
    draw_pops(ctx, &pops, &marks, zero);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Dataset;

    fn spec(values: &[Option<f64>]) -> ChartSpec {
        let json = serde_json::json!({
            "type": "lollipop",
            "data": {
                "labels": (0..values.len()).map(|i| format!("c{i}")).collect::<Vec<_>>(),
                "datasets": [{
                    "data": values,
                    "backgroundColor": ["#ff0000", "#00ff00", "#0000ff", "#ffffff"]
                }]
            }
        });
        crate::spec::from_value(&json).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn sorting_moves_labels_values_and_colours_together() {
        let s = spec(&[Some(3.0), None, Some(9.0), Some(1.0)]);
        let order = sort_order(&s, 4, SortOrder::Descending);
        assert_eq!(order, [2, 0, 3, 1], "missing values go last");
        let sorted = sorted_spec(&s, &order);
        assert_eq!(sorted.labels, ["c2", "c0", "c3", "c1"]);
        let ds: &Dataset = &sorted.datasets[0];
        let ys: Vec<Option<f64>> = ds.data.iter().map(|p| p.y()).collect();
        assert_eq!(ys, [Some(9.0), Some(3.0), Some(1.0), None]);
        let blue = ds.background_color.as_ref().and_then(|c| c.at(0));
        assert_eq!(blue, Some(Color::from_rgb8(0, 0, 255)));
        assert_eq!(sort_order(&s, 4, SortOrder::Ascending), [3, 0, 2, 1]);
    }

    #[test]
    fn dot_room_keeps_zero_and_stays_finite() {
        assert_eq!(with_dot_room(0.0, 100.0, 5.0, 410.0), (0.0, 101.25));
        let (lo, hi) = with_dot_room(-f64::MAX, f64::MAX, 5.0, 400.0);
        assert!(lo.is_finite() && hi.is_finite());
        assert_eq!(with_dot_room(0.0, 0.0, 5.0, 400.0), (0.0, 0.0));
    }
}
