//! Sparklines: a bare line with no axes, grid or legend, readable at 200×50.
//!
//! Every dataset is one line over the whole plot; all share one value range, tight to the data
//! with a tenth of the plot height spare above and below so the line never touches the edges.
//! `null` breaks the line. A dot marks each line's last value; with a single line, small muted
//! dots also mark its lowest and highest values. `fill: true` shades under the line, `spanGaps`
//! joins the line across `null`s and `hidden` datasets are left out (of the range too). Very
//! long series are thinned to their extremes per pixel column before drawing.

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::decimate;
use crate::layout::scale::VALUE_LIMIT;
use crate::spec::{DataPoint, Dataset};
use kurbo::{BezPath, Cap, Circle, Join, Point, Rect, Stroke};

/// Share of the plot height kept free above the highest and below the lowest value.
const VALUE_PADDING: f64 = 0.1;
/// Opacity of the shading under a filled line.
const FILL_ALPHA: f32 = 0.15;
/// Opacity of the min/max markers: present, but quieter than the line.
const EXTREME_ALPHA: f32 = 0.75;
/// Runs longer than this many points per pixel column are decimated to min/max per column.
const DECIMATE_POINTS_PER_PX: f64 = 4.0;

/// Draws a sparkline chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let s = f64::from(ctx.m.scale);
    let line_width = f64::from(ctx.m.line_width).max(1.5);
    let dot = (2.2 * line_width).max(2.5 * s).min(area.height() / 4.0);
    // Keep the last-point dot and its halo inside the canvas on every side.
    let inset = dot + line_width * 0.5 + 1.0;
    let inner = Rect::new(
        area.x0 + inset,
        area.y0 + inset,
        (area.x1 - inset).max(area.x0 + inset),
        (area.y1 - inset).max(area.y0 + inset),
    );
    let pad = inner.height() * VALUE_PADDING;
    let place = Placement::new(ctx, inner, pad);

    let shown: Vec<usize> = (0..ctx.spec.datasets.len())
        .filter(|&j| !ctx.spec.datasets[j].style.hidden)
        .collect();
    let single = shown.len() == 1;
    for j in shown {
        let ds = &ctx.spec.datasets[j];
        let color = ctx.series_color(j);
        let width = ds.border_width.unwrap_or(line_width);
        let style = Stroke::new(width)
            .with_join(Join::Round)
            .with_caps(Cap::Round);
        let runs: Vec<Vec<Point>> = runs(&ds.data, ds.style.span_gaps, |i, p| place.point(i, p))
            .iter()
            .map(|run| decimate_minmax(run, DECIMATE_POINTS_PER_PX))
            .collect();
        if ds.fill == Some(true) {
            for run in runs.iter().filter(|r| r.len() > 1) {
                let fill = area_path(run, area.y1);
                ctx.fig
                    .fill(Shape::Path(fill), color.multiply_alpha(FILL_ALPHA));
            }
        }
        for run in &runs {
            if run.len() > 1 {
                ctx.fig
                    .stroke(Shape::Path(polyline(run)), color, style.clone());
            } else if let Some(&p) = run.first() {
                // A lone value between gaps would be invisible as a line.
                ctx.fig
                    .fill(Shape::Circle(Circle::new(p, width * 0.75)), color);
            }
        }
        let bg = ctx.theme.background;
        let ring = Stroke::new(s.max(1.0));
        if single && let Some((lo, hi)) = extremes(&runs) {
            let muted = ctx.theme.label.multiply_alpha(EXTREME_ALPHA);
            for p in [lo, hi] {
                let marker = Shape::Circle(Circle::new(p, dot * 0.8));
                ctx.fig.fill(marker.clone(), muted);
                ctx.fig.stroke(marker, bg, ring.clone());
            }
        }
        if let Some(&last) = runs.last().and_then(|r| r.last()) {
            let marker = Shape::Circle(Circle::new(last, dot));
            ctx.fig.fill(marker.clone(), color);
            ctx.fig.stroke(marker, bg, ring);
        }
    }
}

/// Where data points land: x from the index (or the point's own x), y from the shared range.
struct Placement {
    inner: Rect,
    pad: f64,
    x: (f64, f64),
    y: (f64, f64),
}

impl Placement {
    fn new(ctx: &Ctx<'_>, inner: Rect, pad: f64) -> Placement {
        let datasets: Vec<&Dataset> = ctx
            .spec
            .datasets
            .iter()
            .filter(|d| !d.style.hidden)
            .collect();
        let all = || {
            datasets
                .iter()
                .flat_map(|d| d.data.iter().enumerate().filter_map(|(i, p)| p.xy(i)))
                .map(|(x, y)| (clamp(x), clamp(y)))
        };
        let by_index = datasets.iter().flat_map(|d| &d.data).all(|p| {
            matches!(
                p,
                DataPoint::Missing
                    | DataPoint::Value(_)
                    | DataPoint::Bullet { .. }
                    | DataPoint::Range { .. }
            )
        });
        let x = if by_index {
            let longest = datasets.iter().map(|d| d.data.len()).max().unwrap_or(0);
            let n = longest.max(ctx.spec.labels.len()).max(1);
            (0.0, (n - 1) as f64)
        } else {
            extent(all().map(|(x, _)| x))
        };
        let y = extent(all().map(|(_, y)| y));
        Placement { inner, pad, x, y }
    }

    fn point(&self, index: usize, p: &DataPoint) -> Option<Point> {
        let (x, y) = p.xy(index)?;
        let px = self.inner.x0 + share(clamp(x), self.x) * self.inner.width();
        let top = self.inner.y0 + self.pad;
        let span = self.inner.height() - 2.0 * self.pad;
        let py = top + (1.0 - share(clamp(y), self.y)) * span;
        Some(Point::new(px, py))
    }
}

/// Values are clamped so that differences of two of them stay finite.
fn clamp(v: f64) -> f64 {
    v.clamp(-VALUE_LIMIT, VALUE_LIMIT)
}

/// `(min, max)` of `values`; `(0, 0)` when there are none.
fn extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values
        .fold(None, |acc: Option<(f64, f64)>, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
        .unwrap_or((0.0, 0.0))
}

/// Where `v` sits in `lo..=hi` as 0..=1; the middle when the range is empty (a flat line).
fn share(v: f64, (lo, hi): (f64, f64)) -> f64 {
    let t = (v - lo) / (hi - lo);
    if hi > lo && t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.5
    }
}

/// Splits a series at its gaps into runs of placed points (one run when `span_gaps`).
fn runs(
    data: &[DataPoint],
    span_gaps: bool,
    place: impl Fn(usize, &DataPoint) -> Option<Point>,
) -> Vec<Vec<Point>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for (i, p) in data.iter().enumerate() {
        match place(i, p) {
            Some(pt) => current.push(pt),
            None if !span_gaps && !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The lowest and highest points of all runs (screen y grows downwards); `None` when the line
/// is flat or has fewer than three points, where markers would only repeat the line.
fn extremes(runs: &[Vec<Point>]) -> Option<(Point, Point)> {
    let points = || runs.iter().flatten();
    if points().count() < 3 {
        return None;
    }
    let low = points()
        .copied()
        .reduce(|a, b| if b.y > a.y { b } else { a })?;
    let high = points()
        .copied()
        .reduce(|a, b| if b.y < a.y { b } else { a })?;
    (low.y - high.y > 0.5).then_some((low, high))
}

/// A polyline through `points`.
fn polyline(points: &[Point]) -> BezPath {
    let mut path = BezPath::new();
    for (k, &p) in points.iter().enumerate() {
        if k == 0 {
            path.move_to(p);
        } else {
            path.line_to(p);
        }
    }
    path
}

/// The closed outline under a run, down to `floor`.
fn area_path(run: &[Point], floor: f64) -> BezPath {
    let mut path = BezPath::new();
    if let (Some(first), Some(last)) = (run.first(), run.last()) {
        path.move_to((first.x, floor));
        for &p in run {
            path.line_to(p);
        }
        path.line_to((last.x, floor));
        path.close_path();
    }
    path
}

/// Thins a run whose x never decreases to its first, lowest, highest and last point per pixel
/// column once it has more than `per_px` points per column, so a long series stays cheap to
/// draw and looks the same. Other runs are returned as they are.
fn decimate_minmax(run: &[Point], per_px: f64) -> Vec<Point> {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return Vec::new();
    };
    let columns = (last.x - first.x).max(1.0);
    let sorted = run.windows(2).all(|w| w[0].x <= w[1].x);
    if !sorted || (run.len() as f64) <= columns * per_px {
        return run.to_vec();
    }
    decimate::minmax_points(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_split_runs() {
        let data = [
            DataPoint::Value(1.0),
            DataPoint::Value(2.0),
            DataPoint::Missing,
            DataPoint::Value(3.0),
            DataPoint::Missing,
            DataPoint::Missing,
        ];
        let place = |i: usize, p: &DataPoint| p.y().map(|y| Point::new(i as f64, y));
        let lens: Vec<usize> = runs(&data, false, place).iter().map(Vec::len).collect();
        assert_eq!(lens, [2, 1]);
        let lens: Vec<usize> = runs(&data, true, place).iter().map(Vec::len).collect();
        assert_eq!(lens, [3]);
    }

    #[test]
    fn share_is_finite_for_flat_and_extreme_ranges() {
        assert_eq!(share(5.0, (5.0, 5.0)), 0.5);
        assert_eq!(
            share(clamp(f64::MAX), (clamp(-f64::MAX), clamp(f64::MAX))),
            1.0
        );
        assert_eq!(share(5e-324, (0.0, 5e-324)), 1.0);
    }

    #[test]
    fn extremes_need_a_shape() {
        let flat = vec![vec![
            Point::new(0.0, 5.0),
            Point::new(1.0, 5.0),
            Point::new(2.0, 5.0),
        ]];
        assert_eq!(extremes(&flat), None);
        let wave = vec![vec![
            Point::new(0.0, 5.0),
            Point::new(1.0, 9.0),
            Point::new(2.0, 1.0),
        ]];
        assert_eq!(
            extremes(&wave),
            Some((Point::new(1.0, 9.0), Point::new(2.0, 1.0)))
        );
    }

    #[test]
    fn decimation_keeps_each_columns_extremes() {
        let run: Vec<Point> = (0..1000)
            .map(|i| {
                Point::new(
                    i as f64 / 100.0,
                    if i % 7 == 0 { -(i as f64) } else { i as f64 },
                )
            })
            .collect();
        let thin = decimate_minmax(&run, 4.0);
        assert!(thin.len() <= 10 * 4, "{}", thin.len());
        assert_eq!(thin.first(), run.first());
        assert_eq!(thin.last(), run.last());
        let lowest = run.iter().map(|p| p.y).fold(f64::MAX, f64::min);
        assert!(thin.iter().any(|p| p.y == lowest));
        let short = [Point::new(0.0, 0.0), Point::new(10.0, 1.0)];
        assert_eq!(decimate_minmax(&short, 4.0), short);
    }
}
