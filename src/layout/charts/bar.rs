//! Bar charts: one bar per category per dataset, datasets grouped side by side or stacked,
//! vertical or horizontal (Chart.js `indexAxis: "y"`, v2 `horizontalBar`). The chart itself
//! (frame, line datasets over the bars) is drawn by `mixed`.

use super::cartesian::{self, CategoryFrame};
use super::rows::RowFrame;
use crate::figure::Shape;
use crate::layout::scale::LinearScale;
use crate::layout::{Ctx, datalabel};
use crate::spec::Dataset;
use crate::spec::label_style::LabelStyle;
use kurbo::{Rect, RoundedRect, RoundedRectRadii, Stroke};

/// Share of a category band the group of bars fills.
const GROUP_SHARE: f64 = 0.7;

/// The bar slot of each visible dataset within a category group: its own slot, or with
/// stacking one slot per `stack` id (datasets without one share a stack).
fn slots(ctx: &Ctx<'_>, include: &impl Fn(&Dataset) -> bool) -> (Vec<(usize, usize)>, usize) {
    let shared = cartesian::shares_slots(ctx);
    let mut keys: Vec<Option<&str>> = Vec::new();
    let mut out = Vec::new();
    for (j, ds) in cartesian::visible(ctx).filter(|(_, d)| include(d)) {
        let key = ds.style.stack.as_deref();
        let found = (shared || key.is_some())
            .then(|| keys.iter().position(|k| *k == key))
            .flatten();
        let slot = found.unwrap_or_else(|| {
            keys.push(key);
            keys.len() - 1
        });
        out.push((j, slot));
    }
    (out, keys.len().max(1))
}

/// Draws the visible datasets that `include` accepts as (grouped or stacked) bars.
pub(in crate::layout) fn draw_bars(
    ctx: &mut Ctx<'_>,
    frame: &CategoryFrame,
    include: impl Fn(&Dataset) -> bool,
) {
    draw_bars_in(ctx, Bands::Columns(frame), include);
}

/// Draws every visible dataset as rows of bars on `frame` (a horizontal bar chart).
pub(in crate::layout) fn draw_row_bars(ctx: &mut Ctx<'_>, frame: &RowFrame) {
    draw_bars_in(ctx, Bands::Rows(frame), |_| true);
}

/// Where bars go: columns up from a category axis along the bottom, or rows out from one
/// down the left.
#[derive(Clone, Copy)]
enum Bands<'a> {
    Columns(&'a CategoryFrame),
    Rows(&'a RowFrame),
}

impl Bands<'_> {
    fn band(&self) -> f64 {
        match self {
            Bands::Columns(f) => f.band,
            Bands::Rows(f) => f.band,
        }
    }

    fn center(&self, i: usize) -> f64 {
        match self {
            Bands::Columns(f) => f.x(i),
            Bands::Rows(f) => f.y(i),
        }
    }

    /// The value scale of `ds`.
    fn scale(&self, ds: &Dataset) -> &LinearScale {
        match self {
            Bands::Columns(f) => f.y_of(ds),
            Bands::Rows(f) => &f.x,
        }
    }

    /// The bar across `start..start + width` and along the value pixels `a..b`, rounded by
    /// `r` at its value end (`positive`: the end away from zero).
    fn bar(&self, start: f64, width: f64, a: f64, b: f64, r: f64, positive: bool) -> RoundedRect {
        let (lo, hi) = (a.min(b), a.max(b));
        match self {
            Bands::Columns(_) => {
                let rect = Rect::new(start, lo, start + width, hi);
                let r = r.min(rect.height());
                let radii = if positive {
                    RoundedRectRadii::new(r, r, 0.0, 0.0)
                } else {
                    RoundedRectRadii::new(0.0, 0.0, r, r)
                };
                RoundedRect::from_rect(rect, radii)
            }
            Bands::Rows(_) => {
                let rect = Rect::new(lo, start, hi, start + width);
                let r = r.min(rect.width());
                let radii = if positive {
                    RoundedRectRadii::new(0.0, r, r, 0.0)
                } else {
                    RoundedRectRadii::new(r, 0.0, 0.0, r)
                };
                RoundedRect::from_rect(rect, radii)
            }
        }
    }
}

fn draw_bars_in(ctx: &mut Ctx<'_>, frame: Bands<'_>, include: impl Fn(&Dataset) -> bool) {
    let (slots, count) = slots(ctx, &include);
    let m = count as f64;
    let group = frame.band() * GROUP_SHARE;
    let mut gap = if m > 1.0 {
        4.0 * ctx.m.scale as f64
    } else {
        0.0
    };
    if group - gap * (m - 1.0) < m * 2.0 {
        gap = 0.0;
    }
    let bar_w = ((group - gap * (m - 1.0)) / m).max(0.5);
    let radius = 2.0 * ctx.m.scale as f64;
    let stacked = cartesian::is_stacked(ctx);
    // Running stack ends per (category, stack): (positive end, negative end) in data units.
    let mut ends: std::collections::HashMap<(usize, &str), (f64, f64)> = Default::default();
    let mut bars = Vec::new();
    let spec = ctx.spec;
    // Box plot and violin categories go in their bar's slot.
    let mut boxes = Vec::new();
    for &(j, slot) in &slots {
        let ds = &spec.datasets[j];
        let key = cartesian::stack_key(ctx, ds);
        let series = ctx.series_color(j);
        let scale = frame.scale(ds);
        let zero = scale.baseline_px();
        for (i, point) in ds.data.iter().enumerate() {
            let Some(v) = point.y() else { continue };
            let start = frame.center(i) - group / 2.0 + (bar_w + gap) * slot as f64;
            if let Some(summary) = ds.summary(point) {
                boxes.push(super::boxplot::Item {
                    dataset: j,
                    index: i,
                    start,
                    width: bar_w,
                    summary,
                });
                continue;
            }
            let (from, to) = if let Some(lo) = point.start() {
                // A floating bar `[lo, hi]` spans its own range and stacks on nothing.
                (lo, v)
            } else if stacked {
                let end = ends.entry((i, key)).or_insert((0.0, 0.0));
                let from = if v >= 0.0 { end.0 } else { end.1 };
                let to = from + v;
                if v >= 0.0 {
                    end.0 = to;
                } else {
                    end.1 = to;
                }
                (from, to)
            } else {
                (0.0, v)
            };
            let (a, b) = (
                if from == 0.0 { zero } else { scale.px(from) },
                scale.px(to),
            );
            let r = radius.min(bar_w / 2.0);
            let rounded = frame.bar(start, bar_w, a, b, r, to >= from);
            let color = ds
                .background_color
                .as_ref()
                .and_then(|c| c.at(i))
                .unwrap_or(series);
            bars.push(Bar {
                dataset: j,
                index: i,
                value: v,
                rounded,
                positive: to >= from,
                color,
            });
        }
    }
    // Bars that overlap (an index axis stacked without summing: a progress bar's value over
    // its track) show the first dataset on top, as Chart.js draws it last; stacked segments keep
    // their order, each over the rounded end of the one below. The labels go over every bar.
    if !stacked {
        bars.reverse();
    }
    // Each dataset's label style and number format, once (a long series has many bars).
    let looks: Vec<_> = (0..ctx.spec.datasets.len())
        .map(|j| {
            let style = datalabel::shown(ctx, j)?;
            let format = datalabel::value_format(&style, frame.scale(&ctx.spec.datasets[j]));
            Some((style, format))
        })
        .collect();
    for bar in &bars {
        let ds = &ctx.spec.datasets[bar.dataset];
        let shape = Shape::RoundedRect(bar.rounded);
        ctx.fig.fill(shape.clone(), bar.color);
        if let (Some(w), Some(border)) = (ds.border_width, ds.border_color.as_ref())
            && w > 0.0
            && let Some(bc) = border.at(bar.index)
        {
            ctx.fig.stroke(shape, bc, Stroke::new(w));
        }
    }
    let columns = matches!(frame, Bands::Columns(_));
    super::boxplot::draw(ctx, &boxes, &|j| frame.scale(&spec.datasets[j]), columns);
    for bar in &bars {
        let ds = &ctx.spec.datasets[bar.dataset];
        let Some(Some((style, format))) = looks.get(bar.dataset) else {
            continue;
        };
        let text = format.format(bar.value);
        if datalabel::plugin_placed(style) {
            let columns = matches!(frame, Bands::Columns(_));
            let dir = match (columns, bar.positive) {
                (true, true) => kurbo::Vec2::new(0.0, -1.0),
                (true, false) => kurbo::Vec2::new(0.0, 1.0),
                (false, true) => kurbo::Vec2::new(1.0, 0.0),
                (false, false) => kurbo::Vec2::new(-1.0, 0.0),
            };
            let mark = datalabel::Mark::bar(bar.rounded.rect(), dir);
            let border = ds
                .border_color
                .as_ref()
                .and_then(|c| c.at(bar.index))
                .unwrap_or(bar.color);
            datalabel::draw(ctx, &text, style, mark, (bar.color, border));
        } else {
            let at = (bar.rounded.rect(), bar.positive, bar.color);
            value_label(ctx, frame, &text, style, at, stacked);
        }
    }
}

/// One bar, laid out before any is drawn.
struct Bar {
    dataset: usize,
    index: usize,
    value: f64,
    rounded: RoundedRect,
    positive: bool,
    color: peniko::Color,
}

/// The value `text` of the bar `rect` (growing away from zero when `positive`, filled with
/// `fill`) written on it (`plugins.datalabels` without a placement): past its end, or for stacked
/// segments in its middle (when it fits), in `style`'s colour and size.
fn value_label(
    ctx: &mut Ctx<'_>,
    frame: Bands<'_>,
    text: &str,
    style: &LabelStyle,
    (rect, positive, fill): (Rect, bool, peniko::Color),
    stacked: bool,
) {
    use crate::text::{Anchor, CAP_HEIGHT};
    use kurbo::Point;
    let size = style.size.unwrap_or(ctx.m.tick);
    let weight = datalabel::weight(style);
    let width = f64::from(ctx.shaper.measure(text, size, weight));
    let cap = f64::from(size * CAP_HEIGHT);
    let gap = 4.0 * f64::from(ctx.m.scale);
    let columns = matches!(frame, Bands::Columns(_));
    if stacked {
        let fits = if columns {
            rect.height() >= cap + 2.0 * gap && rect.width() >= width + gap
        } else {
            rect.width() >= width + 2.0 * gap && rect.height() >= cap + gap
        };
        if fits {
            let at = Point::new(rect.center().x, rect.center().y + cap / 2.0);
            let color = style.color.map_or_else(
                || crate::layout::color::text_on(fill),
                |c| c.resolve(fill, fill),
            );
            ctx.label(text, size, weight, color, at, Anchor::Middle);
        }
        return;
    }
    let color = style
        .color
        .map_or(ctx.theme.label, |c| c.resolve(fill, fill));
    let (at, anchor) = match (columns, positive) {
        (true, true) => (Point::new(rect.center().x, rect.y0 - gap), Anchor::Middle),
        (true, false) => (
            Point::new(rect.center().x, rect.y1 + gap + cap),
            Anchor::Middle,
        ),
        (false, true) => (
            Point::new(rect.x1 + gap, rect.center().y + cap / 2.0),
            Anchor::Start,
        ),
        (false, false) => (
            Point::new(rect.x0 - gap, rect.center().y + cap / 2.0),
            Anchor::End,
        ),
    };
    ctx.label(text, size, weight, color, at, anchor);
}
