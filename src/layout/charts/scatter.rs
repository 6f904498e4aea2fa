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
    let all = points.iter().flatten();
    let (mut x_lo, mut x_hi, mut y_lo, mut y_hi) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    let mut count = 0usize;
    for &(x, y) in all {
        x_lo = x_lo.min(x);
        x_hi = x_hi.max(x);
        y_lo = y_lo.min(y);
        y_hi = y_hi.max(y);
        count += 1;
    }
    if count == 0 {
        (x_lo, x_hi, y_lo, y_hi) = (0.0, 1.0, 0.0, 1.0);
    }
    let (x_lo, x_hi) = annotation::widen(ctx.spec, true, (x_lo, x_hi));
    let (y_lo, y_hi) = annotation::widen(ctx.spec, false, (y_lo, y_hi));
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
    let rows = axis::without_x_labels(ctx, area, axis::value_axis_x_height(ctx));
    let y = axis::value_scale(ctx, y_lo, y_hi, rows.y1, rows.y0);
    let left = area.x0 + axis::value_labels_width(ctx, &y);
    // Keep the last x label on the canvas: it is centred on the plot's right edge.
    let x = axis::value_scale(ctx, x_lo, x_hi, left, area.x1);
    let last = x.labels().last().cloned().unwrap_or_default();
    let overhang = ctx
        .shaper
        .measure(&last, ctx.m.tick, crate::text::Weight::Regular) as f64
        / 2.0;
    let plot = Rect::new(left, rows.y0, (area.x1 - overhang).max(left + 1.0), rows.y1);
    let x = x.with_pixels(plot.x0, plot.x1);
    let y = y.with_pixels(plot.y1, plot.y0);
    axis::draw_value_axis_y(ctx, &y, plot);
    axis::draw_value_axis_x(ctx, &x, plot);

    let (grid, origin) = density::grid_for(plot);
    let place = |px: f64, py: f64| to_grid(x.px(px), y.px(py), plot, origin);
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
            .filter(|(_, d)| !d.style.hidden)
            .flat_map(|(pts, _)| pts.iter().map(|&(px, py)| place(px, py)))
            .collect();
        let corner = Point::new(plot.x1, key_top);
        density::draw(ctx, &shown, grid, origin, corner);
    } else {
        draw_circles(ctx, &points, (&x, &y), grid, &place, count);
    }
    annotation::draw(ctx, &at, false);
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
fn draw_circles(
    ctx: &mut Ctx<'_>,
    points: &[Vec<(f64, f64)>],
    (x, y): (&LinearScale, &LinearScale),
    grid: Grid,
    place: &impl Fn(f64, f64) -> [f32; 2],
    count: usize,
) {
    let base_r = ctx.m.point_radius as f64 * if count > DENSE_POINTS { 0.75 } else { 1.15 };
    let mut taken = vec![false; grid.len()];
    for (j, (ds, pts)) in ctx.spec.datasets.iter().zip(points).enumerate() {
        taken.fill(false);
        let mut first_on_pixel = |px: f64, py: f64| {
            let [gx, gy] = place(px, py);
            if gx < 0.0 || gy < 0.0 || gx >= grid.width as f32 || gy >= grid.height as f32 {
                return true;
            }
            let i = gy as usize * grid.width as usize + gx as usize;
            taken.get_mut(i).is_none_or(|t| !std::mem::replace(t, true))
        };
        let r = ds.border_width.map_or(base_r, |w| base_r.max(w));
        let series = ctx.series_color(j).multiply_alpha(POINT_ALPHA);
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
