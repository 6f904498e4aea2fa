//! Line charts: one polyline per dataset over the categories; `null` values break the line.

use super::cartesian;
use crate::figure::Shape;
use crate::layout::Ctx;
use kurbo::{BezPath, Cap, Circle, Join, Point, Rect, Stroke};

/// Above this many points per series the point markers are hidden (they would only be noise).
const MAX_POINTS_WITH_MARKERS: usize = 60;
/// Opacity of the area under a lone series.
const AREA_ALPHA: f32 = 0.14;

/// Draws a line chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let n = cartesian::category_count(ctx);
    let (lo, hi) = cartesian::value_extent(ctx).unwrap_or((0.0, 1.0));
    let frame = cartesian::draw_frame(ctx, area, n, lo, hi);
    let single = ctx.spec.datasets.len() == 1;
    let floor = frame.y.px(frame.y.min);
    let s = ctx.m.scale as f64;
    for (j, ds) in ctx.spec.datasets.iter().enumerate() {
        let color = ctx.series_color(j);
        let width = ds.border_width.unwrap_or(ctx.m.line_width as f64);
        let segments = segments(ds.data.iter().map(|p| p.y()), |i, v| {
            Point::new(frame.x(i), frame.y.px(v))
        });
        if single {
            for seg in segments.iter().filter(|s| s.len() > 1) {
                let mut area_path = BezPath::new();
                area_path.move_to((seg[0].x, floor));
                for p in seg {
                    area_path.line_to(*p);
                }
                area_path.line_to((seg[seg.len() - 1].x, floor));
                area_path.close_path();
                ctx.fig
                    .fill(Shape::Path(area_path), color.multiply_alpha(AREA_ALPHA));
            }
        }
        let style = Stroke::new(width)
            .with_join(Join::Round)
            .with_caps(Cap::Round);
        for seg in &segments {
            let mut path = BezPath::new();
            for (k, p) in seg.iter().enumerate() {
                if k == 0 {
                    path.move_to(*p);
                } else {
                    path.line_to(*p);
                }
            }
            if seg.len() > 1 {
                ctx.fig.stroke(Shape::Path(path), color, style.clone());
            }
        }
        let count = ds.data.iter().filter(|p| p.y().is_some()).count();
        let lone = segments.iter().any(|s| s.len() == 1);
        if count <= MAX_POINTS_WITH_MARKERS || lone {
            let r = ctx.m.point_radius as f64;
            let ring = Stroke::new(1.5 * s);
            for seg in &segments {
                if count > MAX_POINTS_WITH_MARKERS && seg.len() > 1 {
                    continue;
                }
                for p in seg {
                    let dot = Shape::Circle(Circle::new(*p, r));
                    ctx.fig.fill(dot.clone(), color);
                    let bg = ctx.theme.background;
                    ctx.fig.stroke(dot, bg, ring.clone());
                }
            }
        }
    }
}

/// Splits a series at its gaps into runs of consecutive points.
fn segments(
    values: impl Iterator<Item = Option<f64>>,
    place: impl Fn(usize, f64) -> Point,
) -> Vec<Vec<Point>> {
    let mut out: Vec<Vec<Point>> = Vec::new();
    let mut current: Vec<Point> = Vec::new();
    for (i, v) in values.enumerate() {
        match v {
            Some(v) => current.push(place(i, v)),
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
        let segs = segments(vals.into_iter(), |i, v| Point::new(i as f64, v));
        let lens: Vec<usize> = segs.iter().map(Vec::len).collect();
        assert_eq!(lens, [2, 1, 2]);
    }
}
