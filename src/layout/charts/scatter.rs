//! Scatter charts: `{x, y}` points (plain numbers use their index as x) on two value axes.
//!
//! Up to [`DENSITY_THRESHOLD`] points in all, each point is a circle, and a point that falls on
//! the same pixel as an earlier one of its series is skipped (its circle would cover the same
//! spot), so the scene grows with the pixels the cloud covers rather than with the points. Past
//! the threshold the chart becomes a density picture ([`density`]): every pixel coloured by how
//! many points fall on it, with a key for the scale above the plot.

use crate::figure::Shape;
use crate::layout::annotation::{AxisMap, Placement};
use crate::layout::density::{self, DENSITY_THRESHOLD, Grid};
use crate::layout::scale::LinearScale;
use crate::layout::{Ctx, annotation, axis};
use crate::spec::Side;
use kurbo::{BezPath, Circle, Point, Rect, Shape as _};

/// Opacity of points, so overlaps show density.
const POINT_ALPHA: f32 = 0.8;
/// Above this many points in all, points shrink so clouds stay legible.
const DENSE_POINTS: usize = 1000;

/// Draws a scatter chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let points: Vec<Vec<(f64, f64)>> = ctx
        .spec
        .datasets
        .iter()
        .map(|d| {
            d.data
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.xy(i))
                .collect()
        })
        .collect();
    let secondary = super::cartesian::has_secondary(ctx);
    let on_second = |d: &crate::spec::Dataset| secondary && d.style.secondary_axis;
    let (mut x_ext, mut y_ext, mut y2_ext) = (Extent::EMPTY, Extent::EMPTY, Extent::EMPTY);
    let mut count = 0usize;
    for (pts, d) in points.iter().zip(&ctx.spec.datasets) {
        let ys = if on_second(d) {
            &mut y2_ext
        } else {
            &mut y_ext
        };
        for &(x, y) in pts {
            x_ext.add(x);
            ys.add(y);
        }
        count += pts.len();
    }
    let (x_lo, x_hi) = annotation::widen(ctx.spec, true, x_ext.or_unit());
    let (y_lo, y_hi) = annotation::widen(ctx.spec, false, y_ext.or_unit());
    let bubble = ctx.spec.options.bubble;
    let dense = count > DENSITY_THRESHOLD;
    let key_top = area.y0;
    let area = if dense {
        Rect {
            y0: area.y0 + density::key_height(ctx),
            ..area
        }
    } else {
        area
    };
    let opts = &ctx.spec.options;
    let (x_axis, y_axis, y2_axis) = (&opts.x_axis, &opts.y_axis, &opts.y2_axis);
    let rows = axis::without_x_labels(ctx, area, axis::value_axis_x_height(ctx));
    let y = axis::value_scale_with(ctx, y_axis, y_lo, y_hi, rows.y1, rows.y0);
    let y2 = secondary.then(|| {
        let (lo, hi) = y2_ext.or_unit();
        axis::value_scale_with(ctx, y2_axis, lo, hi, rows.y1, rows.y0)
    });
    // Each value axis on its own side: the first where its `position` puts it, the second on
    // the other one.
    let y_right = y_axis.position == Some(Side::Right);
    let (left_width, right_width) = axis::side_widths(ctx, &y, y2.as_ref(), y_right);
    let left = area.x0 + left_width;
    let right = (area.x1 - right_width).max(left + 1.0);
    let x = axis::value_scale_with(ctx, x_axis, x_lo, x_hi, left, right);
    // Keep the last x label on the canvas: it is centred on the plot's right edge (unless a
    // value axis's labels already keep it clear there).
    let last = x.labels().last().cloned().unwrap_or_default();
    let half = ctx
        .shaper
        .measure(&last, ctx.m.tick, crate::text::Weight::Regular) as f64
        / 2.0;
    let overhang = (half - right_width).max(0.0);
    let plot = Rect::new(left, rows.y0, (right - overhang).max(left + 1.0), rows.y1);
    let x = x.with_pixels(plot.x0, plot.x1);
    let y = y.with_pixels(plot.y1, plot.y0);
    let y2 = y2.map(|s| s.with_pixels(plot.y1, plot.y0));
    let y_grid = y_axis.grid.unwrap_or(true) && y_axis.grid_on_chart;
    axis::draw_value_axis_y_side(ctx, &y, plot, axis::Lines::main(y_grid), y_right);
    if let Some(y2) = &y2 {
        axis::draw_value_axis_y_side(ctx, y2, plot, axis::Lines::None, !y_right);
    }
    let x_grid = x_axis.grid.unwrap_or(true) && x_axis.grid_on_chart;
    axis::draw_value_axis_x_grid(ctx, &x, plot, x_grid);

    let (grid, origin) = density::grid_for(plot);
    let scales: Vec<&LinearScale> = ctx
        .spec
        .datasets
        .iter()
        .map(|d| match &y2 {
            Some(y2) if on_second(d) => y2,
            _ => &y,
        })
        .collect();
    let at = Placement {
        plot,
        x: AxisMap::Linear(&x),
        y: AxisMap::Linear(&y),
    };
    annotation::draw(ctx, &at, true);
    if dense {
        let shown: Vec<[f32; 2]> = points
            .iter()
            .zip(&ctx.spec.datasets)
            .zip(&scales)
            .filter(|((_, d), _)| !d.style.hidden)
            .flat_map(|((pts, _), ys)| {
                pts.iter()
                    .map(|&(px, py)| to_grid(x.px(px), ys.px(py), plot, origin))
            })
            .collect();
        let corner = Point::new(plot.x1, key_top);
        density::draw(ctx, &shown, grid, origin, corner);
    } else {
        let frame = Frame {
            plot,
            origin,
            grid,
            x: &x,
            ys: &scales,
        };
        if bubble {
            draw_bubbles(ctx, &frame);
        } else {
            draw_circles(ctx, &points, &frame, count);
        }
    }
    annotation::draw(ctx, &at, false);
}

/// The running `(min, max)` of one axis's values.
#[derive(Clone, Copy)]
struct Extent(f64, f64);

impl Extent {
    const EMPTY: Extent = Extent(f64::MAX, f64::MIN);

    fn add(&mut self, v: f64) {
        self.0 = self.0.min(v);
        self.1 = self.1.max(v);
    }

    /// The extent, or `0..1` when no value was added.
    fn or_unit(self) -> (f64, f64) {
        if self.0 <= self.1 {
            (self.0, self.1)
        } else {
            (0.0, 1.0)
        }
    }
}

/// Where the points go: the plot, its pixel grid, the x scale and each dataset's y scale.
struct Frame<'a> {
    plot: Rect,
    origin: Point,
    grid: Grid,
    x: &'a LinearScale,
    ys: &'a [&'a LinearScale],
}

/// A canvas point as grid coordinates; points on the plot's right or bottom edge belong to its
/// last pixel (the grid is half-open).
fn to_grid(cx: f64, cy: f64, plot: Rect, origin: Point) -> [f32; 2] {
    let edge = |v: f64, hi: f64, o: f64| {
        let g = v - o;
        if v >= hi && v <= hi + 0.5 {
            ((hi - o).ceil() - 0.5).min(g)
        } else {
            g
        }
    };
    [
        edge(cx, plot.x1, origin.x) as f32,
        edge(cy, plot.y1, origin.y) as f32,
    ]
}

/// One circle per point, skipping points whose pixel an earlier point of the same series
/// already covers.
fn draw_circles(ctx: &mut Ctx<'_>, points: &[Vec<(f64, f64)>], frame: &Frame<'_>, count: usize) {
    let Frame {
        plot,
        origin,
        grid,
        x,
        ys,
    } = *frame;
    let base_r = ctx.m.point_radius as f64 * if count > DENSE_POINTS { 0.75 } else { 1.15 };
    let mut taken = vec![false; grid.len()];
    for (j, ((ds, pts), y)) in ctx.spec.datasets.iter().zip(points).zip(ys).enumerate() {
        if ds.style.hidden {
            continue;
        }
        taken.fill(false);
        let mut first_on_pixel = |px: f64, py: f64| {
            let [gx, gy] = to_grid(x.px(px), y.px(py), plot, origin);
            if gx < 0.0 || gy < 0.0 || gx >= grid.width as f32 || gy >= grid.height as f32 {
                return true;
            }
            let i = gy as usize * grid.width as usize + gx as usize;
            taken.get_mut(i).is_none_or(|t| !std::mem::replace(t, true))
        };
        let r = ds.border_width.map_or(base_r, |w| base_r.max(w));
        let series = ctx.point_color(j).multiply_alpha(POINT_ALPHA);
        match ds.background_color.as_ref() {
            Some(colors @ crate::spec::ColorSpec::PerPoint(_)) => {
                for (i, &(px, py)) in pts.iter().enumerate() {
                    if !first_on_pixel(px, py) {
                        continue;
                    }
                    let c = colors.at(i).unwrap_or(series);
                    let dot = Circle::new((x.px(px), y.px(py)), r);
                    ctx.fig.fill(Shape::Circle(dot), c);
                }
            }
            _ => {
                // One path for the whole series: one fill instead of thousands.
                let mut path = BezPath::new();
                for &(px, py) in pts {
                    if first_on_pixel(px, py) {
                        let dot = Circle::new((x.px(px), y.px(py)), r);
                        path.extend(dot.path_elements(0.1));
                    }
                }
                if !path.elements().is_empty() {
                    ctx.fig.fill(Shape::Path(path), series);
                }
            }
        }
    }
}

/// Fill opacity of a bubble without its own `backgroundColor` (Chart.js's default colours are
/// the border colour at half opacity).
const BUBBLE_ALPHA: f32 = 0.5;
/// Radius in px of a bubble point without `r` (Chart.js `elements.point.radius`).
const DEFAULT_BUBBLE_RADIUS: f64 = 3.0;

/// Bubble charts: every point a circle of its own radius (`r` px at a pixel ratio of 1),
/// filled with the dataset's `backgroundColor` (per point if given) and outlined with its
/// `borderColor`, overflowing the plot by at most the largest radius. Every bubble is drawn: a large one under a small one
/// still shows at its rim, so none is skipped for sharing a pixel.
fn draw_bubbles(ctx: &mut Ctx<'_>, frame: &Frame<'_>) {
    let scale = f64::from(ctx.m.scale);
    // As Chart.js's default `clip`: a bubble may overflow the plot by the largest radius.
    let largest = ctx
        .spec
        .datasets
        .iter()
        .flat_map(|d| d.data.iter().filter_map(|p| p.radius()))
        .fold(DEFAULT_BUBBLE_RADIUS as f32, f32::max);
    let overflow = f64::from(largest) * scale;
    ctx.fig
        .push_clip(Shape::Rect(frame.plot.inflate(overflow, overflow)));
    for (j, (ds, y)) in ctx.spec.datasets.iter().zip(frame.ys).enumerate() {
        if ds.style.hidden {
            continue;
        }
        let series = ctx.series_color(j);
        let border = ds
            .border_color
            .as_ref()
            .and_then(|c| c.first())
            .unwrap_or(series);
        let width = ds.border_width.unwrap_or(1.0) * scale;
        for (i, p) in ds.data.iter().enumerate() {
            let Some((px, py)) = p.xy(i) else { continue };
            let r = p.radius().map_or(DEFAULT_BUBBLE_RADIUS, f64::from) * scale;
            let dot = Circle::new((frame.x.px(px), y.px(py)), r);
            let fill = ds
                .background_color
                .as_ref()
                .and_then(|c| c.at(i))
                .unwrap_or_else(|| series.multiply_alpha(BUBBLE_ALPHA));
            ctx.fig.fill(Shape::Circle(dot), fill);
            if width > 0.0 && r > 0.0 {
                ctx.fig
                    .stroke(Shape::Circle(dot), border, kurbo::Stroke::new(width));
            }
        }
    }
    ctx.fig.pop_clip();
}
