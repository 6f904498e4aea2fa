//! Density pictures for big scatters: points binned per pixel of the plot, each pixel coloured
//! by its count on the theme's sequential scale, with a key for the scale.
//!
//! Counting is the only step that touches every point, so it sits behind the small [`Binner`]
//! trait (in `crate::binning`, below both layout and render): layout uses [`CpuBinner`] unless the caller passes another (the GPU renderer's runs the
//! same counting as a WGSL compute shader, `shaders/density.wgsl`). Everything after the counts —
//! colour levels, merging pixels into rectangles, the key — is shared, so both backends draw the
//! same figure from the same counts.

pub use crate::binning::{Binner, CpuBinner, Grid};

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::text::{Anchor, CAP_HEIGHT, Weight};
use kurbo::{BezPath, Point, Rect, Shape as _};
use peniko::Color;
use std::collections::HashMap;

/// Above this many points in all a scatter is drawn as a density picture: past it, circles
/// overlap into a blob that hides where the points are, and cost grows with the points rather
/// than the pixels.
pub const DENSITY_THRESHOLD: usize = 50_000;
/// Colour steps of the density scale (log-spaced counts): enough to read gradients, few enough
/// that neighbouring pixels share a step and merge into larger rectangles.
const LEVELS: usize = 8;
/// Where the lowest step sits on the sequential scale: a lone point must stand out from the
/// plot background, as the heat calendar's first non-empty step does.
const LOWEST_POSITION: f32 = 0.3;

/// The pixel-aligned grid covering `plot`, and its top-left corner on the canvas.
pub(in crate::layout) fn grid_for(plot: Rect) -> (Grid, Point) {
    let x0 = plot.x0.floor();
    let y0 = plot.y0.floor();
    let grid = Grid {
        width: (plot.x1.ceil() - x0).max(1.0) as u32,
        height: (plot.y1.ceil() - y0).max(1.0) as u32,
    };
    (grid, Point::new(x0, y0))
}

/// Height of the density key above the plot (text line plus a gap), for `area` reservations.
pub(in crate::layout) fn key_height(ctx: &Ctx<'_>) -> f64 {
    f64::from(ctx.m.tick) * 1.2 + f64::from(ctx.m.gap)
}

/// Draws the points (canvas pixel coordinates) as a density picture on `grid` at `origin`, and
/// its key with its right end at `key_corner` (top-right of the key row).
pub(in crate::layout) fn draw(
    ctx: &mut Ctx<'_>,
    points: &[[f32; 2]],
    grid: Grid,
    origin: Point,
    key_corner: Point,
) {
    let counts = ctx.binner.bin(points, grid);
    let max = counts.iter().copied().max().unwrap_or(0);
    let colors = level_colors(ctx);
    let mut paths: Vec<BezPath> = vec![BezPath::new(); LEVELS];
    for (rect, level) in merged_rects(&counts, grid, max) {
        if let Some(path) = paths.get_mut(level) {
            let r = rect + origin.to_vec2();
            path.extend(r.path_elements(0.1));
        }
    }
    for (path, color) in paths.into_iter().zip(colors) {
        if !path.elements().is_empty() {
            ctx.fig.fill(Shape::Path(path), color);
        }
    }
    draw_key(ctx, &colors, max, key_corner);
}

/// The colour step of a count: log-spaced from 1 (step 0) to `max` (the top step).
fn level(count: u32, max: u32) -> usize {
    if max <= 1 {
        return LEVELS - 1;
    }
    let t = f64::from(count).ln() / f64::from(max).ln();
    ((t * (LEVELS - 1) as f64).round() as usize).min(LEVELS - 1)
}

/// The colour of each step, from [`LOWEST_POSITION`] to the top of the sequential scale.
fn level_colors(ctx: &Ctx<'_>) -> [Color; LEVELS] {
    std::array::from_fn(|k| {
        let t = LOWEST_POSITION + (1.0 - LOWEST_POSITION) * k as f32 / (LEVELS - 1) as f32;
        crate::layout::color::sequential(&ctx.theme, t)
    })
}

/// The non-empty bins as rectangles (grid pixels) with their colour step: runs of equal steps
/// in a row merge, and a run repeated exactly in the next row grows downwards, so a uniform area
/// costs one rectangle rather than one per pixel.
fn merged_rects(counts: &[u32], grid: Grid, max: u32) -> Vec<(Rect, usize)> {
    let w = grid.width as usize;
    let mut done = Vec::new();
    // Open rectangles by (start column, end column, step) → first row.
    let mut open: HashMap<(usize, usize, usize), usize> = HashMap::new();
    let mut next: HashMap<(usize, usize, usize), usize> = HashMap::new();
    for (row, cells) in counts.chunks(w.max(1)).enumerate() {
        let mut x = 0;
        while x < cells.len() {
            let Some(&c) = cells.get(x) else { break };
            if c == 0 {
                x += 1;
                continue;
            }
            let step = level(c, max);
            let start = x;
            while cells
                .get(x)
                .is_some_and(|&c| c != 0 && level(c, max) == step)
            {
                x += 1;
            }
            let key = (start, x, step);
            let first = open.remove(&key).unwrap_or(row);
            next.insert(key, first);
        }
        for ((x0, x1, step), first) in open.drain() {
            done.push((
                Rect::new(x0 as f64, first as f64, x1 as f64, row as f64),
                step,
            ));
        }
        std::mem::swap(&mut open, &mut next);
    }
    let rows = counts.len() / w.max(1);
    for ((x0, x1, step), first) in open {
        done.push((
            Rect::new(x0 as f64, first as f64, x1 as f64, rows as f64),
            step,
        ));
    }
    // Deterministic order (the maps are not): by step, then position.
    done.sort_by(|a, b| {
        (a.1, a.0.y0, a.0.x0)
            .partial_cmp(&(b.1, b.0.y0, b.0.x0))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    done
}

/// "Points per pixel  1 ▮▮▮▮▮▮▮▮ max", its right end and top at `corner`.
fn draw_key(ctx: &mut Ctx<'_>, colors: &[Color; LEVELS], max: u32, corner: Point) {
    let size = ctx.m.tick;
    let color = ctx.theme.label;
    let swatch = f64::from(size);
    let gap = f64::from(ctx.m.gap) * 0.5;
    let baseline = corner.y + swatch / 2.0 + f64::from(size * CAP_HEIGHT) / 2.0;
    let high = ctx.label(
        &crate::layout::scale::format_compact(f64::from(max.max(1))),
        size,
        Weight::Regular,
        color,
        Point::new(corner.x, baseline),
        Anchor::End,
    );
    let mut x = corner.x - high - gap - swatch * LEVELS as f64;
    for (k, &c) in colors.iter().enumerate() {
        let r = Rect::new(
            x + swatch * k as f64,
            corner.y,
            x + swatch * (k + 1) as f64,
            corner.y + swatch,
        );
        ctx.fig.fill(Shape::Rect(r), c);
    }
    x -= gap;
    let low = ctx.label(
        "1",
        size,
        Weight::Regular,
        color,
        Point::new(x, baseline),
        Anchor::End,
    );
    ctx.label(
        "Points per pixel",
        size,
        Weight::Medium,
        color,
        Point::new(x - low - gap * 2.0, baseline),
        Anchor::End,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_log_spaced_from_one_to_max() {
        assert_eq!(level(1, 1000), 0);
        assert_eq!(level(1000, 1000), LEVELS - 1);
        assert!(level(31, 1000) > 2 && level(31, 1000) < 5);
        assert_eq!(level(1, 1), LEVELS - 1);
    }

    #[test]
    fn equal_runs_merge_into_rectangles() {
        let grid = Grid {
            width: 4,
            height: 3,
        };
        #[rustfmt::skip]
        let counts = [
            1, 1, 0, 9,
            1, 1, 0, 0,
            0, 0, 1, 1,
        ];
        let rects = merged_rects(&counts, grid, 9);
        assert_eq!(
            rects,
            [
                (Rect::new(0.0, 0.0, 2.0, 2.0), 0),
                (Rect::new(2.0, 2.0, 4.0, 3.0), 0),
                (Rect::new(3.0, 0.0, 4.0, 1.0), LEVELS - 1),
            ]
        );
        let covered: f64 = rects.iter().map(|(r, _)| r.area()).sum();
        assert_eq!(covered, 7.0);
    }
}
