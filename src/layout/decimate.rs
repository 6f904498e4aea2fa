//! Decimation of long series to the pixel grid, so the cost of drawing follows the canvas, not
//! the data.
//!
//! [`minmax`] (the default) keeps each pixel column's first, lowest, highest and last point, in
//! their order: the drawn line covers exactly the pixels the full series would, so every spike
//! — a single point included — still shows. [`lttb`] (Largest-Triangle-Three-Buckets, Chart.js
//! `plugins.decimation.algorithm: "lttb"`) keeps a fixed number of points chosen for the shape
//! of the curve: a smoother, lighter line where the overall trend matters more than each spike.

use crate::spec::DataPoint;
use kurbo::Point;

/// `x.floor()` for the pixel coordinates of a plot: `f64::floor` is a libm call on the baseline
/// x86-64 target, and this runs once per point of a million-point series.
fn column_of(x: f64) -> i64 {
    let t = x as i64;
    if (t as f64) > x { t - 1 } else { t }
}

/// How a series' points are placed along x.
#[derive(Clone, Copy)]
pub(in crate::layout) enum Xs<F> {
    /// Point `i` at `x0 + step × i` (category axes): each pixel column is a contiguous range
    /// of indices, found by arithmetic, so the points need no placing one by one.
    Linear {
        /// x of the first point.
        x0: f64,
        /// Distance between neighbours (> 0).
        step: f64,
    },
    /// Any x that never decreases (time axes), from the point and its index.
    Each(F),
}

/// One pixel column's picks, as (index in the series, value).
struct Column {
    px: i64,
    first: (usize, f64),
    min: (usize, f64),
    max: (usize, f64),
    last: (usize, f64),
}

/// The runs built so far and the column being filled.
struct Thinner {
    runs: Vec<Vec<Point>>,
    run: Vec<Point>,
    column: Option<Column>,
}

impl Thinner {
    fn new() -> Thinner {
        Thinner {
            runs: Vec::new(),
            run: Vec::new(),
            column: None,
        }
    }

    /// Adds value `v` of point `i` to column `px`.
    #[inline]
    fn add(&mut self, px: i64, i: usize, v: f64, x: &impl Fn(usize) -> f64) {
        match &mut self.column {
            Some(c) if c.px == px => {
                if v < c.min.1 {
                    c.min = (i, v);
                }
                if v > c.max.1 {
                    c.max = (i, v);
                }
                c.last = (i, v);
            }
            _ => {
                self.flush(x);
                self.column = Some(Column {
                    px,
                    first: (i, v),
                    min: (i, v),
                    max: (i, v),
                    last: (i, v),
                });
            }
        }
    }

    /// Appends the open column's picks to the run in series order, each point once.
    fn flush(&mut self, x: &impl Fn(usize) -> f64) {
        let Some(c) = self.column.take() else { return };
        let mut picks = [c.first, c.min, c.max, c.last];
        picks.sort_unstable_by_key(|p| p.0);
        let mut previous = usize::MAX;
        for (i, v) in picks {
            if i != previous {
                self.run.push(Point::new(x(i), v));
                previous = i;
            }
        }
    }

    /// A gap: the run ends here.
    fn gap(&mut self, x: &impl Fn(usize) -> f64) {
        self.flush(x);
        if !self.run.is_empty() {
            self.runs.push(std::mem::take(&mut self.run));
        }
    }

    fn finish(mut self, x: &impl Fn(usize) -> f64) -> Vec<Vec<Point>> {
        self.gap(x);
        self.runs
    }
}

/// Reduces a series whose x never decreases to at most four points per pixel column — first,
/// lowest, highest and last value, in order — split into runs at its gaps (`null`s, bridged
/// when `span_gaps`). The points keep their values as y: the pixel y is monotonic in the
/// value, so the extremes are the same; map them after.
pub(in crate::layout) fn minmax<F: Fn(usize, &DataPoint) -> f64>(
    data: &[DataPoint],
    xs: Xs<F>,
    span_gaps: bool,
) -> Vec<Vec<Point>> {
    let mut t = Thinner::new();
    // Plain loops over the slice: they run once per point of a million-point series.
    match xs {
        Xs::Each(x) => {
            let at = |i: usize| data.get(i).map_or(0.0, |p| x(i, p));
            for (i, d) in data.iter().enumerate() {
                match d.y() {
                    Some(v) => t.add(column_of(x(i, d)), i, v, &at),
                    None if span_gaps => {}
                    None => t.gap(&at),
                }
            }
            t.finish(&at)
        }
        Xs::Linear { x0, step } => {
            let at = |i: usize| x0 + step * i as f64;
            let mut start = 0;
            while start < data.len() {
                let px = column_of(at(start));
                // The column's first index past `start`, from the inverse map, corrected for
                // rounding so it agrees with `column_of` point by point.
                let guess = (((px + 1) as f64 - x0) / step).ceil();
                let mut end = if guess.is_finite() && guess > start as f64 {
                    (guess as usize).min(data.len())
                } else {
                    start + 1
                };
                while end > start + 1 && column_of(at(end - 1)) > px {
                    end -= 1;
                }
                while end < data.len() && column_of(at(end)) == px {
                    end += 1;
                }
                for (k, d) in data[start..end].iter().enumerate() {
                    match d.y() {
                        Some(v) => t.add(px, start + k, v, &at),
                        None if span_gaps => {}
                        None => t.gap(&at),
                    }
                }
                start = end;
            }
            t.finish(&at)
        }
    }
}

/// [`minmax`] for a run already placed in pixels (x never decreasing): its first, highest,
/// lowest and last point per pixel column, in order.
pub(in crate::layout) fn minmax_points(run: &[Point]) -> Vec<Point> {
    let mut t = Thinner::new();
    let at = |i: usize| run.get(i).map_or(0.0, |p| p.x);
    for (i, p) in run.iter().enumerate() {
        t.add(column_of(p.x), i, p.y, &at);
    }
    t.finish(&at).into_iter().flatten().collect()
}

/// Largest-Triangle-Three-Buckets: `run` reduced to `samples` points (at least 3) that keep
/// its shape — the first and last points, and from each of the buckets between them the point
/// that makes the largest triangle with the previous pick and the next bucket's mean. Runs of
/// `samples` points or fewer are returned as they are. The area is measured in the run's own
/// coordinates, so call it on pixel positions.
pub(in crate::layout) fn lttb(run: &[Point], samples: usize) -> Vec<Point> {
    let samples = samples.max(3);
    let n = run.len();
    if n <= samples {
        return run.to_vec();
    }
    let mut out = Vec::with_capacity(samples);
    out.push(run[0]);
    // Buckets of the points between the two ends.
    let every = (n - 2) as f64 / (samples - 2) as f64;
    let bucket = |b: usize| {
        let start = (b as f64 * every) as usize + 1;
        let end = (((b + 1) as f64 * every) as usize + 1).min(n - 1);
        start..end.max(start + 1)
    };
    let mut a = run[0];
    for b in 0..samples - 2 {
        // The next bucket's mean (the last point after the final bucket).
        let next = if b + 1 < samples - 2 {
            let r = bucket(b + 1);
            let len = r.len() as f64;
            let sum = run[r]
                .iter()
                .fold((0.0, 0.0), |s, p| (s.0 + p.x, s.1 + p.y));
            Point::new(sum.0 / len, sum.1 / len)
        } else {
            run[n - 1]
        };
        let mut best = (f64::NEG_INFINITY, a);
        for &p in &run[bucket(b)] {
            let area = ((a.x - next.x) * (p.y - a.y) - (a.x - p.x) * (next.y - a.y)).abs();
            if area > best.0 {
                best = (area, p);
            }
        }
        out.push(best.1);
        a = best.1;
    }
    out.push(run[n - 1]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_of_pixel_coordinates() {
        for x in [0.0, 0.5, 1.0, 1.999, 799.5, -0.5, -1.0, -2.25] {
            assert_eq!(column_of(x), x.floor() as i64, "{x}");
        }
    }

    #[test]
    fn minmax_keeps_extremes_bounds_points_and_order() {
        // A million points over 500 columns: a one-point spike each way must survive.
        let n = 1_000_000;
        let mut data: Vec<DataPoint> = (0..n).map(|i| DataPoint::Value((i % 7) as f64)).collect();
        data[123_456] = DataPoint::Value(1000.0);
        data[654_321] = DataPoint::Value(-1000.0);
        let step = 500.0 / n as f64;
        let each = minmax(&data, Xs::Each(|i, _: &DataPoint| step * i as f64), false);
        let linear = Xs::<fn(usize, &DataPoint) -> f64>::Linear { x0: 0.0, step };
        let runs = minmax(&data, linear, false);
        assert!(runs == each, "both placements thin alike");
        let points: usize = runs.iter().map(Vec::len).sum();
        assert!(points <= 500 * 4, "{points} points");
        let ys: Vec<f64> = runs.iter().flatten().map(|p| p.y).collect();
        assert!(ys.contains(&-1000.0) && ys.contains(&1000.0));
        let xs: Vec<f64> = runs.iter().flatten().map(|p| p.x).collect();
        assert!(xs.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn minmax_splits_at_gaps() {
        let (v, gap) = (DataPoint::Value(1.0), DataPoint::Missing);
        let data = [v, v, gap, gap, v, gap];
        let x = Xs::Each(|i: usize, _: &DataPoint| i as f64 * 0.4);
        let runs = minmax(&data, x, false);
        let lens: Vec<usize> = runs.iter().map(Vec::len).collect();
        assert_eq!(lens, [2, 1]);
        let lens: Vec<usize> = minmax(&data, x, true).iter().map(Vec::len).collect();
        assert_eq!(lens, [3], "bridged");
    }

    #[test]
    fn linear_placement_matches_point_by_point_placement() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as f64 / f64::from(1u32 << 31)
        };
        for (n, x0, span) in [(10_000, 37.3, 713.7), (4_321, 60.25, 99.0), (3, 1.0, 2.0)] {
            let step = span / n as f64;
            let data: Vec<DataPoint> = (0..n)
                .map(|_| match next() {
                    r if r < 0.02 => DataPoint::Missing,
                    r => DataPoint::Value((r * 1000.0).round()),
                })
                .collect();
            for span_gaps in [false, true] {
                let each = Xs::Each(|i: usize, _: &DataPoint| x0 + step * i as f64);
                let linear = Xs::<fn(usize, &DataPoint) -> f64>::Linear { x0, step };
                assert!(
                    minmax(&data, linear, span_gaps) == minmax(&data, each, span_gaps),
                    "{n} points from {x0} by {step}, span_gaps {span_gaps}"
                );
            }
        }
    }

    #[test]
    fn lttb_keeps_the_ends_the_count_and_the_peak() {
        let mut run: Vec<Point> = (0..10_000)
            .map(|i| Point::new(f64::from(i) * 0.08, (f64::from(i) * 0.01).sin() * 50.0))
            .collect();
        run[5_000].y = 400.0;
        let out = lttb(&run, 200);
        assert_eq!(out.len(), 200);
        assert_eq!(out[0], run[0]);
        assert_eq!(out[199], run[9_999]);
        assert!(out.windows(2).all(|w| w[0].x < w[1].x), "in x order");
        assert!(
            out.iter().any(|p| p.y == 400.0),
            "the peak is the largest triangle"
        );
        // Short runs are left alone.
        assert_eq!(lttb(&run[..50], 200), run[..50]);
    }
}
