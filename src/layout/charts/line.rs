//! Line charts: one polyline per dataset over the categories; `null` values break the line
//! unless `spanGaps`. Chart.js `tension` smooths it, `borderDash` dashes it, `pointRadius` sizes
//! the markers, `fill` shades the area under it. Series with more points than the plot has
//! pixel columns are thinned to the pixel grid (`layout::decimate`: min-max, which keeps every
//! peak, or LTTB when `plugins.decimation` asks), so the cost follows the canvas, not the data.

use super::cartesian::{self, CategoryFrame};
use crate::figure::Shape;
use crate::layout::decimate;
use crate::layout::marker::marker;
use crate::layout::scale::LinearScale;
use crate::layout::{Ctx, datalabel};
use crate::spec::label_style::LabelStyle;
use crate::spec::{DataPoint, Dataset, Decimation, FillTarget, SeriesStyle, Stepped};
use kurbo::{BezPath, Cap, Join, Point, Stroke};

/// Above this many points per series the point markers are hidden (they would only be noise).
const MAX_POINTS_WITH_MARKERS: usize = 60;
/// Opacity of the area under a series.
const AREA_ALPHA: f32 = 0.14;

/// Draws the visible datasets that `include` accepts as lines on `frame`.
pub(in crate::layout) fn draw_lines(
    ctx: &mut Ctx<'_>,
    frame: &CategoryFrame,
    include: impl Fn(&Dataset) -> bool,
) {
    let mut visible: Vec<usize> = cartesian::visible(ctx)
        .filter(|(_, d)| include(d))
        .map(|(j, _)| j)
        .collect();
    // Chart.js `order`: lower orders are drawn last, on top; within an order the first dataset
    // is drawn last, on top, as Chart.js draws its datasets from the last to the first.
    visible.sort_by_key(|&j| std::cmp::Reverse((ctx.spec.datasets[j].style.order, j)));
    let s = ctx.m.scale as f64;
    let stacked = cartesian::is_stacked(ctx).then(|| stacked_copies(ctx, &include));
    let drawn = |j: usize| -> &Dataset {
        match stacked
            .as_ref()
            .and_then(|s| s.get(j))
            .and_then(Option::as_ref)
        {
            Some(copy) => copy,
            None => &ctx.spec.datasets[j],
        }
    };
    // Areas first, under every line (Chart.js's filler), the first dataset's on top; as in
    // Chart.js 4, only a dataset whose `fill` asks for it has one, in its `backgroundColor`.
    for &j in &visible {
        let ds = drawn(j);
        if !ds.fill.unwrap_or(false) {
            continue;
        }
        let y = frame.y_of(ds);
        let floor = match ds.style.fill_to {
            Some(FillTarget::Start) => y.px(y.min),
            Some(FillTarget::End) => y.px(y.max),
            Some(FillTarget::Value(v)) => y.px(v.clamp(y.min, y.max)),
            _ if y.log => y.px(y.min),
            _ => y.px(y.min.max(0.0).min(y.max)),
        };
        let area_color = ds
            .background_color
            .as_ref()
            .and_then(|c| c.first())
            .unwrap_or_else(|| ctx.series_color(j).multiply_alpha(AREA_ALPHA));
        let (segments, _) = placed_runs(ctx.spec.options.decimation, frame, ds, y);
        if let Some(FillTarget::Dataset(t)) = ds.style.fill_to {
            // To another line: between the two, where each is one unbroken run.
            let Some(&t) = visible.iter().find(|&&v| v == t) else {
                continue;
            };
            let target = drawn(t);
            let (other, _) = placed_runs(
                ctx.spec.options.decimation,
                frame,
                target,
                frame.y_of(target),
            );
            if let ([seg], [other]) = (&segments[..], &other[..])
                && seg.len() > 1
                && other.len() > 1
            {
                let mut area_path = BezPath::new();
                area_path.move_to(seg[0]);
                trace_style(&mut area_path, seg, &ds.style);
                let back: Vec<Point> = other.iter().rev().copied().collect();
                area_path.line_to(back[0]);
                trace_style(&mut area_path, &back, &target.style);
                area_path.close_path();
                ctx.fig.fill(Shape::Path(area_path), area_color);
                continue;
            }
        }
        // `fill.above` / `fill.below`: each side of the level in its own colour.
        let [above, below] = ds.style.fill_sides;
        let plot = frame.plot;
        let sides = [
            (
                above,
                kurbo::Rect::new(plot.x0, plot.y0.min(floor) - 1.0, plot.x1, floor),
            ),
            (
                below,
                kurbo::Rect::new(plot.x0, floor, plot.x1, plot.y1.max(floor) + 1.0),
            ),
        ];
        for seg in segments.iter().filter(|s| s.len() > 1) {
            let mut area_path = BezPath::new();
            area_path.move_to((seg[0].x, floor));
            area_path.line_to(seg[0]);
            trace_style(&mut area_path, seg, &ds.style);
            area_path.line_to((seg[seg.len() - 1].x, floor));
            area_path.close_path();
            if above.is_none() && below.is_none() {
                ctx.fig.fill(Shape::Path(area_path), area_color);
                continue;
            }
            for (color, side) in sides {
                ctx.fig.push_clip(Shape::Rect(side));
                ctx.fig
                    .fill(Shape::Path(area_path.clone()), color.unwrap_or(area_color));
                ctx.fig.pop_clip();
            }
        }
    }
    // Datasets whose values are written, with their marker radius: after every line and
    // marker, as the datalabels plugin draws them.
    let mut labelled = Vec::new();
    for &j in &visible {
        let ds = drawn(j);
        let y = frame.y_of(ds);
        let color = ctx.series_color(j);
        let width = ds.border_width.unwrap_or(ctx.m.line_width as f64);
        let (segments, thinned) = placed_runs(ctx.spec.options.decimation, frame, ds, y);
        // A min-max thinned line turns at nearly every pixel: bevels look the same there and
        // cost a third less to rasterise than round joins.
        let join = if thinned { Join::Bevel } else { Join::Round };
        let mut style = Stroke::new(width).with_join(join).with_caps(Cap::Round);
        if !ds.style.border_dash.is_empty() {
            style = style
                .with_dashes(0.0, ds.style.border_dash.iter().copied())
                .with_caps(Cap::Butt);
        }
        for seg in segments.iter().filter(|s| s.len() > 1) {
            let mut path = BezPath::new();
            path.move_to(seg[0]);
            trace_style(&mut path, seg, &ds.style);
            ctx.fig.stroke(Shape::Path(path), color, style.clone());
        }
        // Only whether there are more than the markers' limit matters: stop counting there.
        let count = ds
            .data
            .iter()
            .filter(|p| p.y().is_some())
            .take(MAX_POINTS_WITH_MARKERS + 1)
            .count();
        let r = ds.style.point_radius.unwrap_or(
            ctx.m.point_radius as f64
                * if count <= MAX_POINTS_WITH_MARKERS {
                    1.0
                } else {
                    0.0
                },
        );
        if count <= MAX_POINTS_WITH_MARKERS {
            labelled.push((j, r.max(ctx.m.point_radius as f64)));
        }
        if r <= 0.0 && ds.style.point_radius.is_some() {
            continue;
        }
        let ring = Stroke::new(1.5 * s);
        let color = ctx.point_color(j);
        for seg in &segments {
            // Lone points of a dense series still get a dot, or they would vanish.
            let r = if r > 0.0 {
                r
            } else if seg.len() == 1 {
                ctx.m.point_radius as f64
            } else {
                continue;
            };
            for p in seg {
                let (shape, filled) = marker(ds.style.point_style, *p, r);
                let bg = ctx.theme.background;
                if let Shape::Circle(c) = shape {
                    // The same dot and background-coloured ring as the stroke below, as two
                    // discs: stroking a circle offsets its curves, which costs more than the
                    // rest of a small chart's markers.
                    let half = ring.width / 2.0;
                    ctx.fig.fill(
                        Shape::Circle(kurbo::Circle::new(c.center, c.radius + half)),
                        bg,
                    );
                    ctx.fig.fill(
                        Shape::Circle(kurbo::Circle::new(c.center, (c.radius - half).max(0.0))),
                        color,
                    );
                } else if filled {
                    ctx.fig.fill(shape.clone(), color);
                    ctx.fig.stroke(shape, bg, ring.clone());
                } else {
                    ctx.fig
                        .stroke(shape, color, Stroke::new(2.0 * s).with_caps(Cap::Round));
                }
            }
        }
    }
    for (j, r) in labelled {
        let Some(style) = datalabel::shown(ctx, j) else {
            continue;
        };
        let ds = drawn(j);
        let y = frame.y_of(ds);
        let x_at = |i: usize| frame.x_of(ds.data.get(i).unwrap_or(&DataPoint::Missing), i);
        let color = ctx.series_color(j);
        let fill = ds
            .background_color
            .as_ref()
            .and_then(|c| c.at(0))
            .unwrap_or(color);
        let shown = (ds, &ctx.spec.datasets[j]);
        value_labels(ctx, shown, (&style, (fill, color)), y, &x_at, r);
    }
}

/// The runs of `ds` between its gaps, in pixels: thinned to the plot's pixel grid when the
/// series is longer than twice its columns (min-max, or LTTB when asked for), whole otherwise;
/// `true` when min-max thinned (up to four points per pixel column).
fn placed_runs(
    decimation: Decimation,
    frame: &CategoryFrame,
    ds: &Dataset,
    y: &LinearScale,
) -> (Vec<Vec<Point>>, bool) {
    let columns = frame.plot.width().max(1.0);
    let n = ds.data.len() as f64;
    let place = |i: usize, v: f64| {
        let p = ds.data.get(i).unwrap_or(&DataPoint::Missing);
        Point::new(frame.x_of(p, i), y.px(v))
    };
    match decimation {
        Decimation::Lttb { samples, threshold }
            if n > threshold.map_or(columns * 4.0, f64::from) =>
        {
            let runs = segments(ds.data.iter().map(DataPoint::y), place, ds.style.span_gaps);
            // The samples are shared between the runs by their lengths.
            let samples = samples.map_or(columns as usize, |s| s as usize);
            let total = runs.iter().map(Vec::len).sum::<usize>().max(1);
            let runs = runs
                .iter()
                .map(|r| decimate::lttb(r, (samples * r.len()).div_ceil(total)))
                .collect();
            (runs, false)
        }
        // Below LTTB's threshold (or without it), long series are thinned the default way.
        _ if n > columns * 2.0 => {
            // Thinned in value space (the pixel y is monotonic in it), placed after.
            let xs = match frame.linear_x() {
                Some((x0, step)) => decimate::Xs::Linear { x0, step },
                None => decimate::Xs::Each(|i, p: &DataPoint| frame.x_of(p, i)),
            };
            let mut runs = decimate::minmax(&ds.data, xs, ds.style.span_gaps);
            for p in runs.iter_mut().flatten() {
                p.y = y.px(p.y);
            }
            (runs, true)
        }
        _ => (
            segments(ds.data.iter().map(DataPoint::y), place, ds.style.span_gaps),
            false,
        ),
    }
}

/// Each value of `given` written at its point of `ds` (the same series, summed when stacked):
/// above it, or where `style` places it (`plugins.datalabels`).
fn value_labels(
    ctx: &mut Ctx<'_>,
    (ds, given): (&Dataset, &Dataset),
    (style, inks): (&LabelStyle, (peniko::Color, peniko::Color)),
    y: &LinearScale,
    x_at: &impl Fn(usize) -> f64,
    r: f64,
) {
    let format = datalabel::value_format(style, y);
    let size = style.size.unwrap_or(ctx.m.tick);
    let (fill, border) = inks;
    let color = style
        .color
        .map_or(ctx.theme.label, |c| c.resolve(fill, border));
    let placed = datalabel::plugin_placed(style);
    let weight = datalabel::weight(style);
    let base = y.baseline_px();
    for (i, (v, raw)) in ds.data.iter().zip(&given.data).enumerate() {
        let (Some(v), Some(raw)) = (v.y(), raw.y()) else {
            continue;
        };
        let text = format.format(raw);
        let c = Point::new(x_at(i), y.px(v));
        if placed {
            let dir = kurbo::Vec2::new(0.0, if c.y <= base { -1.0 } else { 1.0 });
            datalabel::draw(ctx, &text, style, datalabel::Mark::point(c, r, dir), inks);
            continue;
        }
        let at = Point::new(c.x, c.y - r - 5.0 * f64::from(ctx.m.scale));
        ctx.label(&text, size, weight, color, at, crate::text::Anchor::Middle);
    }
}

/// Chart.js stacks lines too on a stacked value axis: the datasets `include` accepts, each
/// with its values on top of the earlier visible datasets' in its stack (positives and
/// negatives apart, floating bars left out), by dataset index.
fn stacked_copies(ctx: &Ctx<'_>, include: &impl Fn(&Dataset) -> bool) -> Vec<Option<Dataset>> {
    let mut sums: std::collections::HashMap<(usize, &str), (f64, f64)> = Default::default();
    let mut out = vec![None; ctx.spec.datasets.len()];
    for (j, d) in cartesian::visible(ctx) {
        let key = cartesian::stack_key(ctx, d);
        let mut copy = include(d).then(|| d.clone());
        for (i, p) in d.data.iter().enumerate() {
            let (Some(v), None) = (p.y(), p.start()) else {
                continue;
            };
            let e = sums.entry((i, key)).or_default();
            let end = if v >= 0.0 { &mut e.0 } else { &mut e.1 };
            *end += v;
            if let Some(point) = copy.as_mut().and_then(|c| c.data.get_mut(i)) {
                *point = match *point {
                    DataPoint::Point { x, .. } => DataPoint::Point { x, y: *end },
                    _ => DataPoint::Value(*end),
                };
            }
        }
        if let Some(slot) = out.get_mut(j) {
            *slot = copy;
        }
    }
    out
}

/// Continues `path` (already at `seg[0]`) through the rest of `seg`: steps when `stepped`,
/// straight segments, or with `tension > 0` a Catmull-Rom curve through every point.
fn trace(path: &mut BezPath, seg: &[Point], tension: f64, stepped: Stepped) {
    if stepped != Stepped::No {
        // Chart.js's `_steppedLineTo`: across then up (before), up then across (after), or
        // the step half way (middle).
        for w in seg.windows(2) {
            let (a, b) = (w[0], w[1]);
            match stepped {
                Stepped::After => path.line_to((a.x, b.y)),
                Stepped::Middle => {
                    let mid = (a.x + b.x) / 2.0;
                    path.line_to((mid, a.y));
                    path.line_to((mid, b.y));
                }
                Stepped::Before | Stepped::No => path.line_to((b.x, a.y)),
            }
            path.line_to(b);
        }
        return;
    }
    if tension <= 0.0 || seg.len() < 3 {
        for p in &seg[1..] {
            path.line_to(*p);
        }
        return;
    }
    // Control points along the neighbours' chord; tension 1/3 is the classic Catmull-Rom.
    let k = tension / 2.0;
    for i in 0..seg.len() - 1 {
        let p0 = seg[i.saturating_sub(1)];
        let (p1, p2) = (seg[i], seg[i + 1]);
        let p3 = seg[(i + 2).min(seg.len() - 1)];
        let c1 = p1 + (p2 - p0) * k;
        let c2 = p2 - (p3 - p1) * k;
        path.curve_to(c1, c2, p2);
    }
}

/// [`trace`] with a dataset's curve: its steps, `cubicInterpolationMode: "monotone"`, or its
/// `tension`.
fn trace_style(path: &mut BezPath, seg: &[Point], style: &SeriesStyle) {
    if style.monotone && style.stepped == Stepped::No && seg.len() > 2 {
        trace_monotone(path, seg);
    } else {
        trace(path, seg, style.tension, style.stepped);
    }
}

/// Chart.js's monotone cubic (`splineCurveMonotone`, Fritsch–Carlson): a smooth curve that
/// never overshoots its points, from the current point (`seg[0]`) through the rest.
fn trace_monotone(path: &mut BezPath, seg: &[Point]) {
    let n = seg.len();
    let delta: Vec<f64> = seg
        .windows(2)
        .map(|w| {
            let dx = w[1].x - w[0].x;
            if dx == 0.0 {
                0.0
            } else {
                (w[1].y - w[0].y) / dx
            }
        })
        .collect();
    let mut m: Vec<f64> = (0..n)
        .map(
            |i| match (i.checked_sub(1).map(|p| delta[p]), delta.get(i).copied()) {
                (None, Some(d)) => d,
                (Some(d), None) => d,
                (Some(a), Some(b)) if (a > 0.0) != (b > 0.0) || a == 0.0 || b == 0.0 => 0.0,
                (Some(a), Some(b)) => (a + b) / 2.0,
                (None, None) => 0.0,
            },
        )
        .collect();
    for (i, d) in delta.iter().enumerate() {
        if d.abs() < 1e-12 {
            m[i] = 0.0;
            m[i + 1] = 0.0;
            continue;
        }
        let (a, b) = (m[i] / d, m[i + 1] / d);
        let magnitude = a * a + b * b;
        if magnitude > 9.0 {
            let tau = 3.0 / magnitude.sqrt();
            m[i] = a * tau * d;
            m[i + 1] = b * tau * d;
        }
    }
    for i in 0..n - 1 {
        let (p, q) = (seg[i], seg[i + 1]);
        let dx = (q.x - p.x) / 3.0;
        path.curve_to(
            Point::new(p.x + dx, p.y + m[i] * dx),
            Point::new(q.x - dx, q.y - m[i + 1] * dx),
            q,
        );
    }
}

/// Splits a series at its gaps into runs of consecutive points (gaps are skipped over when
/// `span_gaps`).
fn segments(
    values: impl Iterator<Item = Option<f64>>,
    place: impl Fn(usize, f64) -> Point,
    span_gaps: bool,
) -> Vec<Vec<Point>> {
    let mut out: Vec<Vec<Point>> = Vec::new();
    let mut current: Vec<Point> = Vec::new();
    for (i, v) in values.enumerate() {
        match v {
            Some(v) => current.push(place(i, v)),
            None if span_gaps => {}
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_split_segments() {
        let vals = [
            Some(1.0),
            Some(2.0),
            None,
            Some(3.0),
            None,
            None,
            Some(4.0),
            Some(5.0),
        ];
        let segs = segments(vals.into_iter(), |i, v| Point::new(i as f64, v), false);
        let lens: Vec<usize> = segs.iter().map(Vec::len).collect();
        assert_eq!(lens, [2, 1, 2]);
        let spanned = segments(vals.into_iter(), |i, v| Point::new(i as f64, v), true);
        assert_eq!(spanned.len(), 1);
        assert_eq!(spanned[0].len(), 5);
    }

    #[test]
    fn a_monotone_curve_never_overshoots_its_points() {
        use kurbo::ParamCurve;
        let seg = [
            Point::new(0.0, 0.0),
            Point::new(10.0, 10.0),
            Point::new(20.0, 10.0),
            Point::new(30.0, 0.0),
        ];
        let mut path = BezPath::new();
        path.move_to(seg[0]);
        trace_monotone(&mut path, &seg);
        let mut highest = f64::NEG_INFINITY;
        for s in path.segments() {
            for k in 0..=20 {
                highest = highest.max(s.eval(f64::from(k) / 20.0).y);
            }
        }
        // The flat run between the two 10s stays at 10; Catmull-Rom would bulge past it.
        assert!(highest <= 10.0 + 1e-9, "peaks at {highest}");
        assert_eq!(path.segments().count(), 3);
    }

    #[test]
    fn smooth_curves_pass_through_the_points() {
        let seg = [
            Point::new(0.0, 0.0),
            Point::new(10.0, 5.0),
            Point::new(20.0, 0.0),
        ];
        let mut path = BezPath::new();
        path.move_to(seg[0]);
        trace(&mut path, &seg, 0.4, Stepped::No);
        let ends: Vec<Point> = path
            .elements()
            .iter()
            .filter_map(|e| e.end_point())
            .collect();
        assert_eq!(ends, seg);
    }
}
