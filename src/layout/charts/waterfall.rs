//! Waterfall charts: a running total built from changes. Increases and decreases float from the
//! previous total to the new one, totals stand on zero, and dashed connectors carry the level
//! from each bar to the next.

use super::cartesian::{self, CategoryFrame};
use crate::figure::Shape;
use crate::layout::scale::format_compact;
use crate::layout::{Ctx, axis};
use crate::spec::Labels;
use crate::text::{Anchor, CAP_HEIGHT, Weight};
use kurbo::{Line, Point, Rect, RoundedRect, RoundedRectRadii, Shape as _, Stroke};

/// Share of a category band a bar fills.
const BAR_SHARE: f64 = 0.7;
/// Labels (compared case-insensitively) that mark a category as a total rather than a change.
const TOTAL_LABELS: [&str; 6] = ["total", "end", "net", "start", "subtotal", "balance"];
/// Narrowest gap between bars, in px at scale 1, that still gets a connector (narrower is noise).
const MIN_CONNECTOR_GAP: f64 = 3.0;

/// What one bar stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StepKind {
    /// An absolute level, drawn from zero.
    Total,
    /// A change of zero or more.
    Increase,
    /// A change below zero.
    Decrease,
}

/// One bar: the category it belongs to and the values it spans.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Step {
    /// Category index.
    index: usize,
    kind: StepKind,
    /// The data value: the change, or the total itself.
    value: f64,
    /// Level the bar starts at (the previous running total; zero for totals).
    from: f64,
    /// Level the bar ends at (the new running total).
    to: f64,
}

/// Whether a category label names a total ("Total", "end", " Net "…).
fn is_total_label(label: &str) -> bool {
    let label = label.trim();
    TOTAL_LABELS.iter().any(|t| label.eq_ignore_ascii_case(t))
}

/// The bars of a waterfall over `values` (one per category, `None` for gaps).
///
/// The first value and any value whose label names a total are absolute levels: they are drawn
/// from zero and reset the running total, so data that disagrees with the sum of the changes
/// is shown as given. Every other value is a change on the running total. The total saturates
/// at ±`f64::MAX` rather than overflowing.
fn steps(values: &[Option<f64>], labels: &Labels) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::with_capacity(values.len());
    let mut running = 0.0_f64;
    for (index, value) in values.iter().enumerate() {
        let Some(value) = *value else { continue };
        let total = out.is_empty() || labels.get(index).is_some_and(is_total_label);
        let step = if total {
            Step {
                index,
                kind: StepKind::Total,
                value,
                from: 0.0,
                to: value,
            }
        } else {
            Step {
                index,
                kind: if value < 0.0 {
                    StepKind::Decrease
                } else {
                    StepKind::Increase
                },
                value,
                from: running,
                to: (running + value).clamp(-f64::MAX, f64::MAX),
            }
        };
        running = step.to;
        out.push(step);
    }
    out
}

/// The label written by a bar: changes signed (`+320`, `−45`), totals as they are.
fn value_label(step: &Step) -> String {
    let text = format_compact(step.value);
    if step.kind == StepKind::Increase && step.value > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

/// Whether a bar's label goes above it (it rises, or is a total at or above zero).
fn label_above(step: &Step) -> bool {
    match step.kind {
        StepKind::Total => step.value >= 0.0,
        StepKind::Increase => true,
        StepKind::Decrease => false,
    }
}

/// Draws a waterfall chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let n = cartesian::category_count(ctx);
    let values: Vec<Option<f64>> = ctx
        .spec
        .datasets
        .first()
        .map(|d| d.data.iter().map(|p| p.y()).collect())
        .unwrap_or_default();
    let steps = steps(&values, &ctx.spec.labels);
    let (lo, hi) = steps
        .iter()
        .flat_map(|s| [s.from, s.to])
        .fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = with_label_room(ctx, area, lo, hi);
    let frame = cartesian::draw_frame(ctx, area, n, lo, hi);
    draw_connectors(ctx, &frame, &steps);
    draw_bars(ctx, &frame, &steps);
    let base = frame.y.baseline_px();
    axis::draw_baseline(ctx, frame.plot, base);
    draw_labels(ctx, &frame, &steps);
}

/// Widens `lo..=hi` so a value label fits beyond the highest and lowest bars.
fn with_label_room(ctx: &Ctx<'_>, area: Rect, lo: f64, hi: f64) -> (f64, f64) {
    let label = f64::from(ctx.m.tick * 1.6);
    let plot = (area.height() - axis::value_axis_x_height(ctx)).max(label * 4.0);
    let span = (hi - lo).min(f64::MAX);
    if !(span.is_finite() && span > 0.0) {
        return (lo, hi);
    }
    let pad = span * label / (plot - 2.0 * label);
    let lo = if lo < 0.0 { lo - pad } else { lo };
    let hi = if hi > 0.0 { hi + pad } else { hi };
    (lo.max(-f64::MAX), hi.min(f64::MAX))
}

/// The x range of the bar for category `i`.
fn bar_x(frame: &CategoryFrame, i: usize) -> (f64, f64) {
    let w = frame.band * BAR_SHARE;
    (frame.x(i) - w / 2.0, frame.x(i) + w / 2.0)
}

fn draw_bars(ctx: &mut Ctx<'_>, frame: &CategoryFrame, steps: &[Step]) {
    let s = f64::from(ctx.m.scale);
    let total_color = ctx.series_color(0);
    for step in steps {
        let (x0, x1) = bar_x(frame, step.index);
        let (a, b) = (frame.y.px(step.from), frame.y.px(step.to));
        let (mut top, mut bottom) = (a.min(b), a.max(b));
        // A zero change still shows as a hairline at its level.
        let min_height = s.max(1.0);
        if bottom - top < min_height {
            let mid = (top + bottom) / 2.0;
            top = mid - min_height / 2.0;
            bottom = mid + min_height / 2.0;
        }
        let rect = Rect::new(x0, top, x1, bottom);
        let r = (2.0 * s).min(rect.width() / 2.0).min(rect.height());
        // Round the value end: where the bar ends, i.e. the new running total.
        let ends_high = b <= a;
        let radii = if ends_high {
            RoundedRectRadii::new(r, r, 0.0, 0.0)
        } else {
            RoundedRectRadii::new(0.0, 0.0, r, r)
        };
        let color = match step.kind {
            StepKind::Total => total_color,
            StepKind::Increase => ctx.theme.positive,
            StepKind::Decrease => ctx.theme.negative,
        };
        ctx.fig.fill(
            Shape::RoundedRect(RoundedRect::from_rect(rect, radii)),
            color,
        );
    }
}

/// Dashed lines at each running total, from the end of one bar to the start of the next.
fn draw_connectors(ctx: &mut Ctx<'_>, frame: &CategoryFrame, steps: &[Step]) {
    let s = f64::from(ctx.m.scale);
    if frame.band * (1.0 - BAR_SHARE) < MIN_CONNECTOR_GAP * s {
        return;
    }
    let width = s.max(1.0);
    let dash = 3.0 * s;
    let style = Stroke::new(width).with_dashes(0.0, [dash, dash]);
    let color = ctx.theme.axis;
    for pair in steps.windows(2) {
        let [prev, next] = pair else { continue };
        let x0 = bar_x(frame, prev.index).1;
        let x1 = bar_x(frame, next.index).0;
        let y = frame.y.px(prev.to).floor() + 0.5;
        let line = Line::new((x0, y), (x1, y));
        ctx.fig
            .stroke(Shape::Path(line.to_path(0.1)), color, style.clone());
    }
}

/// Signed value labels above rising bars and below falling ones, when every label fits its band.
fn draw_labels(ctx: &mut Ctx<'_>, frame: &CategoryFrame, steps: &[Step]) {
    let size = ctx.m.tick;
    let texts: Vec<String> = steps.iter().map(value_label).collect();
    let widest = texts
        .iter()
        .map(|t| f64::from(ctx.shaper.measure(t, size, Weight::Medium)))
        .fold(0.0, f64::max);
    let s = f64::from(ctx.m.scale);
    if widest + 4.0 * s > frame.band {
        return;
    }
    let gap = 5.0 * s;
    let cap = f64::from(size * CAP_HEIGHT);
    for (step, text) in steps.iter().zip(&texts) {
        let (a, b) = (frame.y.px(step.from), frame.y.px(step.to));
        let x = frame.x(step.index);
        let above = Point::new(x, a.min(b) - gap);
        let below = Point::new(x, a.max(b) + gap + cap);
        // A label that would leave the plot (a fall to the very bottom) goes to the other end.
        let at = match label_above(step) {
            true if above.y - cap >= frame.plot.y0 => above,
            false if below.y <= frame.plot.y1 => below,
            true => below,
            false => above,
        };
        let (weight, color) = if step.kind == StepKind::Total {
            (Weight::SemiBold, ctx.theme.title)
        } else {
            (Weight::Medium, ctx.theme.label)
        };
        ctx.label(text, size, weight, color, at, Anchor::Middle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(names: &[&str]) -> Labels {
        names.iter().collect()
    }

    #[test]
    fn running_total_from_first_value() {
        let l = labels(&["Start", "Sales", "Refunds", "Costs", "End"]);
        let v = [
            Some(500.0),
            Some(320.0),
            Some(-45.0),
            Some(-180.0),
            Some(595.0),
        ];
        let s = steps(&v, &l);
        let spans: Vec<(f64, f64)> = s.iter().map(|s| (s.from, s.to)).collect();
        assert_eq!(
            spans,
            [
                (0.0, 500.0),
                (500.0, 820.0),
                (820.0, 775.0),
                (775.0, 595.0),
                (0.0, 595.0)
            ]
        );
        let kinds: Vec<StepKind> = s.iter().map(|s| s.kind).collect();
        use StepKind::*;
        assert_eq!(kinds, [Total, Increase, Decrease, Decrease, Total]);
    }

    #[test]
    fn first_value_is_a_total_even_unlabelled() {
        let s = steps(&[Some(-20.0), Some(5.0)], &Labels::new());
        assert_eq!(s[0].kind, StepKind::Total);
        assert_eq!((s[1].from, s[1].to), (-20.0, -15.0));
    }

    #[test]
    fn total_labels_are_case_insensitive_and_reset_the_sum() {
        assert!(is_total_label(" TOTAL "));
        assert!(is_total_label("Subtotal"));
        assert!(is_total_label("balance"));
        assert!(!is_total_label("Totals by region"));
        let l = labels(&["a", "b", "Net", "c"]);
        // The data's total (100) disagrees with the sum (15): trust the data.
        let s = steps(&[Some(10.0), Some(5.0), Some(100.0), Some(-30.0)], &l);
        assert_eq!(s[2].kind, StepKind::Total);
        assert_eq!((s[2].from, s[2].to), (0.0, 100.0));
        assert_eq!((s[3].from, s[3].to), (100.0, 70.0));
    }

    #[test]
    fn gaps_keep_the_running_total() {
        let s = steps(&[None, Some(10.0), None, Some(-4.0)], &Labels::new());
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].index, s[0].kind), (1, StepKind::Total));
        assert_eq!((s[1].index, s[1].from, s[1].to), (3, 10.0, 6.0));
    }

    #[test]
    fn overflow_saturates() {
        let s = steps(
            &[Some(f64::MAX), Some(f64::MAX), Some(-f64::MAX)],
            &Labels::new(),
        );
        assert!(s.iter().all(|s| s.from.is_finite() && s.to.is_finite()));
    }

    #[test]
    fn labels_are_signed() {
        let s = steps(
            &[Some(500.0), Some(320.0), Some(-45.0), Some(0.0)],
            &Labels::new(),
        );
        let t: Vec<String> = s.iter().map(value_label).collect();
        assert_eq!(t, ["500", "+320", "\u{2212}45", "0"]);
    }
}
