//! Slope charts: two periods, one line per category, rising and falling coloured.
//!
//! The first two datasets are the two periods (their labels name them); category `i` runs from
//! its value in the first to its value in the second, on one shared linear scale. A single
//! dataset of `{x, y}` points also works: `x` is the start and `y` the end. Lines are drawn in
//! the theme's positive colour when they rise, negative when they fall, and the label colour
//! when flat. End labels are nudged apart so none overlap; the dots stay exact.

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::scale::{VALUE_LIMIT, format_compact};
use crate::spec::DataPoint;
use crate::text::{ASCENT, Anchor, CAP_HEIGHT, Weight};
use kurbo::{Circle, Line, Point, Rect, Shape as _, Stroke};
use peniko::Color;

/// Line height of end labels as a multiple of their font size: the closest two labels may sit.
const LABEL_SPACING: f64 = 1.3;
/// Widest a category name may be, as a share of the plot width, before it is ellipsized.
const MAX_NAME_SHARE: f64 = 0.28;
/// Widest the gap between the two axes gets, as a multiple of the plot height: wider makes
/// every slope look flat.
const MAX_SPAN_PER_HEIGHT: f64 = 1.4;
/// Narrowest useful gap between the axes as a share of the width; below it labels are dropped.
const MIN_SPAN_SHARE: f64 = 0.3;

/// A category's values in the two periods, before it is named.
type Ends = (Option<f64>, Option<f64>);

/// One category: its name and its values in the two periods.
struct Row {
    name: String,
    start: Option<f64>,
    end: Option<f64>,
}

/// The laid-out chart: where the axes stand, the value range they share and the label columns.
struct Plan {
    /// x of the first period's axis.
    x0: f64,
    /// x of the second period's axis.
    x1: f64,
    /// y of the highest value.
    top: f64,
    /// y of the lowest value.
    bottom: f64,
    /// Lowest value.
    lo: f64,
    /// Highest value.
    hi: f64,
    /// Which labels are drawn.
    labels: Labels,
    /// Widest category name; longer ones are ellipsized.
    name_w: f64,
    /// Widest first-period value.
    start_w: f64,
    /// Space between an axis and its labels.
    gap: f64,
    /// Closest two labels may be, baseline to baseline.
    line: f64,
    /// Dot radius.
    dot: f64,
}

impl Plan {
    /// The y of value `v`; the middle when every value is the same.
    fn y(&self, v: f64) -> f64 {
        let t = (v - self.lo) / (self.hi - self.lo);
        let t = if self.hi > self.lo && t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.5
        };
        self.bottom - t * (self.bottom - self.top)
    }
}

/// Label texts of every row.
struct Texts {
    names: Vec<String>,
    starts: Vec<String>,
    ends: Vec<String>,
}

/// Draws a slope chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let (periods, rows) = rows(ctx);
    if rows.is_empty() {
        ctx.no_data(area.center());
        return;
    }
    let texts = Texts {
        names: rows.iter().map(|r| r.name.clone()).collect(),
        starts: rows
            .iter()
            .map(|r| r.start.map(format_compact).unwrap_or_default())
            .collect(),
        ends: rows
            .iter()
            .map(|r| r.end.map(format_compact).unwrap_or_default())
            .collect(),
    };
    let head = ctx.m.legend;
    let head_h = f64::from(head) * 1.3 + f64::from(ctx.m.gap);
    let show_head = area.height() > head_h + f64::from(ctx.m.tick) * LABEL_SPACING * 2.0;
    let plot = Rect::new(
        area.x0,
        area.y0 + if show_head { head_h } else { 0.0 },
        area.x1,
        area.y1,
    );
    let plan = plan(ctx, plot, &rows, &texts);

    // Axes, and the period names over them.
    let s = f64::from(ctx.m.scale);
    let hair = Stroke::new(s.max(1.0));
    let axis_top = if show_head {
        plot.y0 - f64::from(ctx.m.gap) * 0.5
    } else {
        area.y0
    };
    for x in [plan.x0, plan.x1] {
        let xc = x.round() + 0.5;
        let axis = Line::new((xc, axis_top), (xc, area.y1)).to_path(0.1);
        let color = ctx.theme.grid;
        ctx.fig.stroke(Shape::Path(axis), color, hair.clone());
    }
    if show_head {
        let baseline = area.y0 + f64::from(head * ASCENT);
        let title = ctx.theme.title;
        for (x, name) in [(plan.x0, &periods.0), (plan.x1, &periods.1)] {
            let half = f64::from(ctx.shaper.measure(name, head, Weight::Medium)) / 2.0;
            let cx = x.clamp(area.x0 + half, (area.x1 - half).max(area.x0 + half));
            let at = Point::new(cx, baseline);
            ctx.label(name, head, Weight::Medium, title, at, Anchor::Middle);
        }
    }

    // Lines, then dots over them.
    let style = Stroke::new(f64::from(ctx.m.line_width)).with_caps(kurbo::Cap::Round);
    let colors: Vec<Color> = rows.iter().map(|r| direction_color(ctx, r)).collect();
    for (r, &color) in rows.iter().zip(&colors) {
        if let (Some(a), Some(b)) = (r.start, r.end) {
            let path = Line::new((plan.x0, plan.y(a)), (plan.x1, plan.y(b))).to_path(0.1);
            ctx.fig.stroke(Shape::Path(path), color, style.clone());
        }
    }
    let bg = ctx.theme.background;
    let ring = Stroke::new((1.5 * s).max(1.0));
    for (r, &color) in rows.iter().zip(&colors) {
        for (x, v) in [(plan.x0, r.start), (plan.x1, r.end)] {
            if let Some(v) = v {
                let marker = Shape::Circle(Circle::new((x, plan.y(v)), plan.dot));
                ctx.fig.fill(marker.clone(), color);
                ctx.fig.stroke(marker, bg, ring.clone());
            }
        }
    }

    if plan.labels != Labels::None {
        for side in [Side::Left, Side::Right] {
            draw_end_labels(ctx, &plan, &rows, &texts, side);
        }
    }
}

/// Decides which labels fit and places the two axes in `plot` (below the period names): the
/// label columns beside them, the slopes no wider than [`MAX_SPAN_PER_HEIGHT`] allows, the
/// whole centred.
fn plan(ctx: &mut Ctx<'_>, plot: Rect, rows: &[Row], texts: &Texts) -> Plan {
    let s = f64::from(ctx.m.scale);
    let size = ctx.m.tick;
    let line = f64::from(size) * LABEL_SPACING;
    let top = plot.y0 + line / 2.0;
    let bottom = (plot.y1 - line / 2.0).max(top + 1.0);
    let mut widest = |texts: &[String], weight| {
        texts
            .iter()
            .map(|t| f64::from(ctx.shaper.measure(t, size, weight)))
            .fold(0.0, f64::max)
    };
    let name_w = widest(&texts.names, Weight::Regular).min(plot.width() * MAX_NAME_SHARE);
    let start_w = widest(&texts.starts, Weight::Medium);
    let end_w = widest(&texts.ends, Weight::Medium);
    let gap = 12.0 * s;
    let dot = f64::from(ctx.m.point_radius) + 0.5 * s;
    let min_span = plot.width() * MIN_SPAN_SHARE;
    let full = (gap + name_w + name_space(size) + start_w, gap + end_w);
    let values_only = (gap + start_w, gap + end_w);
    let (labels, (left_w, right_w)) = if plot.width() - full.0 - full.1 >= min_span {
        (Labels::NamesAndValues, full)
    } else if plot.width() - values_only.0 - values_only.1 >= min_span {
        (Labels::Values, values_only)
    } else {
        (Labels::None, (dot, dot))
    };
    let max_span = ((bottom - top) * MAX_SPAN_PER_HEIGHT).max(min_span);
    let span = (plot.width() - left_w - right_w).min(max_span).max(1.0);
    let x0 = plot.x0 + (plot.width() - left_w - span - right_w) / 2.0 + left_w;
    let (lo, hi) = rows
        .iter()
        .flat_map(|r| [r.start, r.end])
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    Plan {
        x0,
        x1: x0 + span,
        top,
        bottom,
        lo,
        hi,
        labels,
        name_w,
        start_w,
        gap,
        line,
        dot,
    }
}

/// Space between a category name and its value.
fn name_space(size: f32) -> f64 {
    f64::from(size) * 0.6
}

/// The labels at one end, spread apart where they would collide; a nudged label gets a short
/// leader back to its dot.
fn draw_end_labels(ctx: &mut Ctx<'_>, plan: &Plan, rows: &[Row], texts: &Texts, side: Side) {
    let s = f64::from(ctx.m.scale);
    let size = ctx.m.tick;
    let cap = f64::from(size * CAP_HEIGHT);
    let (name_color, value_color, leader_color) =
        (ctx.theme.label, ctx.theme.title, ctx.theme.axis);
    let hair = Stroke::new(s.max(1.0));
    let (x, dir, values, anchor) = match side {
        Side::Left => (plan.x0, -1.0, &texts.starts, Anchor::End),
        Side::Right => (plan.x1, 1.0, &texts.ends, Anchor::Start),
    };
    let (idx, wanted): (Vec<usize>, Vec<f64>) = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| side.value(r).map(|v| (i, plan.y(v))))
        .unzip();
    let placed = spread(&wanted, plan.line, plan.top, plan.bottom);
    for ((&i, &dot_y), at) in idx.iter().zip(&wanted).zip(placed) {
        let Some(at) = at else { continue };
        if (at - dot_y).abs() > 1.0 {
            let from = Point::new(x + dir * (plan.dot + 1.5 * s), dot_y);
            let to = Point::new(x + dir * (plan.gap - 2.0 * s), at);
            let leader = Line::new(from, to).to_path(0.1);
            ctx.fig
                .stroke(Shape::Path(leader), leader_color, hair.clone());
        }
        let baseline = at + cap / 2.0;
        let vx = x + dir * plan.gap;
        let value = values.get(i).map_or("", String::as_str);
        let at = Point::new(vx, baseline);
        ctx.label(value, size, Weight::Medium, value_color, at, anchor);
        if let (Side::Left, Labels::NamesAndValues) = (side, plan.labels) {
            let name = texts.names.get(i).map_or("", String::as_str);
            let name = ctx
                .shaper
                .fit(name, size, Weight::Regular, plan.name_w as f32);
            let at = Point::new(vx - plan.start_w - name_space(size), baseline);
            let transform = crate::text::placement(&name, at, Anchor::End, 0.0);
            ctx.fig.text(&name, transform, name_color);
        }
    }
}

/// Which end labels fit beside the axes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Labels {
    /// "North 120" on the left, "150" on the right.
    NamesAndValues,
    /// Only the values: the names would squeeze the slopes flat.
    Values,
    /// No room for any text.
    None,
}

/// One end of the slopes.
#[derive(Clone, Copy, Debug)]
enum Side {
    Left,
    Right,
}

impl Side {
    fn value(self, row: &Row) -> Option<f64> {
        match self {
            Side::Left => row.start,
            Side::Right => row.end,
        }
    }
}

/// The period names and the categories with at least one value.
fn rows(ctx: &Ctx<'_>) -> ((String, String), Vec<Row>) {
    let datasets = &ctx.spec.datasets;
    let clamp = |v: f64| v.clamp(-VALUE_LIMIT, VALUE_LIMIT);
    let name = |i: usize| {
        ctx.spec
            .labels
            .get(i)
            .filter(|l| !l.trim().is_empty())
            .map_or_else(|| format!("#{}", i + 1), str::to_owned)
    };
    let pairs = datasets.len() == 1
        && datasets
            .first()
            .is_some_and(|d| d.data.iter().any(|p| matches!(p, DataPoint::Point { .. })));
    let (periods, values): ((String, String), Vec<Ends>) = if pairs {
        let data = datasets
            .first()
            .map(|d| d.data.as_slice())
            .unwrap_or_default();
        let values = data
            .iter()
            .map(|p| match *p {
                DataPoint::Point { x, y } => (Some(x), Some(y)),
                ref other => (other.y(), None),
            })
            .collect();
        (("Start".to_owned(), "End".to_owned()), values)
    } else {
        let column = |j: usize| {
            datasets
                .get(j)
                .map(|d| d.data.as_slice())
                .unwrap_or_default()
        };
        let (a, b) = (column(0), column(1));
        let n = a.len().max(b.len()).max(ctx.spec.labels.len());
        let values = (0..n)
            .map(|i| (a.get(i).and_then(|p| p.y()), b.get(i).and_then(|p| p.y())))
            .collect();
        // With a single period there is nothing to name over the right axis.
        let second = if datasets.len() > 1 {
            ctx.dataset_name(1)
        } else {
            String::new()
        };
        ((ctx.dataset_name(0), second), values)
    };
    let rows = values
        .into_iter()
        .enumerate()
        .filter(|(_, (a, b))| a.is_some() || b.is_some())
        .map(|(i, (a, b))| Row {
            name: name(i),
            start: a.map(clamp),
            end: b.map(clamp),
        })
        .collect();
    (periods, rows)
}

/// Rising, falling or flat (or one-sided) colour of a row.
fn direction_color(ctx: &Ctx<'_>, row: &Row) -> Color {
    match (row.start, row.end) {
        (Some(a), Some(b)) if b > a => ctx.theme.positive,
        (Some(a), Some(b)) if b < a => ctx.theme.negative,
        _ => ctx.theme.label,
    }
}

/// Label positions near `wanted` (in any order) at least `gap` apart and inside `lo..=hi`,
/// moving them as little as possible in the least-squares sense (pool-adjacent-violators on
/// the positions less their minimum offsets, then clamped to the bounds). When even evenly
/// spaced labels cannot fit, only every n-th label (in order, keeping the first and last) gets a
/// position; the others are `None`.
fn spread(wanted: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<Option<f64>> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|&a, &b| wanted[a].total_cmp(&wanted[b]));
    let room = (hi - lo).max(0.0);
    let fits = if gap > 0.0 {
        (room / gap).floor() as usize + 1
    } else {
        usize::MAX
    };
    let mut out = vec![None; wanted.len()];
    if order.is_empty() {
        return out;
    }
    if order.len() > fits {
        // Evenly chosen labels, the first and the last among them.
        let last = order.len() - 1;
        let keep = fits.max(1);
        let kept: Vec<usize> = (0..keep)
            .filter_map(|j| {
                let k = if keep > 1 {
                    (j * last + (keep - 1) / 2) / (keep - 1)
                } else {
                    0
                };
                order.get(k).copied()
            })
            .collect();
        order = kept;
    }
    // Subtract each label's minimum offset so the constraint becomes "non-decreasing".
    let n = order.len();
    let gap = if n > 1 {
        gap.min(room / (n - 1) as f64)
    } else {
        gap
    };
    let z: Vec<f64> = order
        .iter()
        .enumerate()
        .map(|(k, &i)| wanted[i] - k as f64 * gap)
        .collect();
    // Pool adjacent violators: blocks of (mean, count).
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(n);
    for &v in &z {
        blocks.push((v, 1));
        while blocks.len() > 1 {
            let (m2, c2) = blocks[blocks.len() - 1];
            let (m1, c1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            let merged = (m1 * c1 as f64 + m2 * c2 as f64) / (c1 + c2) as f64;
            if let Some(b) = blocks.last_mut() {
                *b = (merged, c1 + c2);
            }
        }
    }
    let upper = (hi - (n.saturating_sub(1)) as f64 * gap).max(lo);
    let fitted = blocks
        .iter()
        .flat_map(|&(m, c)| std::iter::repeat_n(m.clamp(lo, upper), c));
    for (k, (&i, y)) in order.iter().zip(fitted).enumerate() {
        out[i] = Some(y + k as f64 * gap);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(out: &[Option<f64>]) -> Vec<f64> {
        out.iter().map(|v| v.unwrap()).collect()
    }

    #[test]
    fn separate_labels_stay_put() {
        let out = placed(&spread(&[10.0, 50.0, 30.0], 12.0, 0.0, 100.0));
        assert_eq!(out, [10.0, 50.0, 30.0]);
    }

    #[test]
    fn colliding_labels_move_apart_symmetrically() {
        let out = placed(&spread(&[50.0, 52.0], 12.0, 0.0, 100.0));
        assert!(
            (out[0] - 45.0).abs() < 1e-9 && (out[1] - 57.0).abs() < 1e-9,
            "{out:?}"
        );
        // Three at one spot: the middle one stays, the others move one gap away.
        let out = placed(&spread(&[40.0, 40.0, 40.0], 10.0, 0.0, 100.0));
        let mut sorted = out.clone();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(sorted, [30.0, 40.0, 50.0]);
    }

    #[test]
    fn labels_stay_inside_bounds_and_in_order() {
        let wanted = [1.0, 0.0, 2.0, 99.0, 100.0];
        let out = placed(&spread(&wanted, 10.0, 0.0, 100.0));
        assert_eq!(out, [10.0, 0.0, 20.0, 90.0, 100.0]);
    }

    #[test]
    fn too_many_labels_are_thinned() {
        let wanted: Vec<f64> = (0..50).map(f64::from).collect();
        let out = spread(&wanted, 10.0, 0.0, 40.0);
        let kept: Vec<f64> = out.iter().flatten().copied().collect();
        assert!(kept.len() <= 5 && kept.len() >= 3, "{kept:?}");
        assert!(out[0].is_some() && out[49].is_some());
        assert!(
            kept.windows(2).all(|w| w[1] - w[0] >= 10.0 - 1e-9),
            "{kept:?}"
        );
        assert!(kept.iter().all(|&y| (0.0..=40.0).contains(&y)));
    }

    #[test]
    fn degenerate_inputs() {
        assert!(spread(&[], 10.0, 0.0, 100.0).is_empty());
        assert_eq!(spread(&[5.0], 10.0, 20.0, 20.0), [Some(20.0)]);
        let out = spread(&[5.0, 5.0], 10.0, 20.0, 20.0);
        assert_eq!(out.iter().flatten().count(), 1);
    }
}
