//! QuickChart's outside pie labels (`outlabeledPie`, `plugins.outlabels`): each slice's label
//! (`%l %p` by default) in a box of the slice's colour, `stretch` px out from its edge on a line
//! of that colour; boxes on one side that would overlap are pushed apart vertically.

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::spec::label_style::OutLabels;
use crate::text::{Anchor, CAP_HEIGHT, Weight};
use kurbo::{BezPath, Point, Rect, RoundedRect, Stroke};
use peniko::Color;

/// Padding inside a box (horizontal, vertical) and its corner radius, in px.
const PAD_X: f64 = 5.0;
const PAD_Y: f64 = 3.0;
const RADIUS: f64 = 3.0;
/// Most labels drawn (the largest slices win); more cannot be read around one pie.
const MAX_LABELS: usize = 40;

/// One slice to label: its index, mid angle (radians), share of the whole, value and colour.
#[derive(Clone, Copy, Debug)]
pub(in crate::layout) struct Slice {
    pub(in crate::layout) index: usize,
    pub(in crate::layout) mid: f64,
    pub(in crate::layout) share: f64,
    pub(in crate::layout) value: f64,
    pub(in crate::layout) color: Color,
}

fn text(ctx: &Ctx<'_>, o: &OutLabels, i: usize, value: f64, share: f64) -> String {
    let label = ctx.spec.labels.get_or_empty(i);
    o.text_for(label, value, share)
}

fn size(ctx: &Ctx<'_>, o: &OutLabels) -> f32 {
    o.size.unwrap_or(ctx.m.tick)
}

/// The room around the pie its labels need: the line and the widest box.
pub(in crate::layout) fn margin(ctx: &mut Ctx<'_>, o: &OutLabels, values: &[f64]) -> f64 {
    let total: f64 = values.iter().sum();
    let size = size(ctx, o);
    let widest = values
        .iter()
        .enumerate()
        .take(MAX_LABELS * 4)
        .map(|(i, &v)| {
            let t = text(ctx, o, i, v, if total > 0.0 { v / total } else { 0.0 });
            f64::from(ctx.shaper.measure(&t, size, Weight::Medium))
        })
        .fold(0.0, f64::max);
    let box_h = f64::from(size) * 1.2 + 2.0 * PAD_Y;
    o.stretch + (widest / 2.0 + PAD_X).max(box_h / 2.0) + 4.0
}

/// Draws the labels of `slices` around the pie at `center` of `radius`, inside `area`.
pub(in crate::layout) fn draw(
    ctx: &mut Ctx<'_>,
    o: &OutLabels,
    (center, radius, area): (Point, f64, Rect),
    slices: &[Slice],
) {
    let size = size(ctx, o);
    let box_h = f64::from(size) * 1.2 + 2.0 * PAD_Y;
    let mut chosen: Vec<Slice> = slices.iter().copied().filter(|s| s.share > 0.0).collect();
    chosen.sort_by(|a, b| b.share.total_cmp(&a.share));
    chosen.truncate(MAX_LABELS);
    // (slice, label centre, text, box width), per side, pushed apart top to bottom.
    let mut placed: Vec<(Slice, Point, String, f64)> = chosen
        .into_iter()
        .map(|s| {
            let dir = Point::new(s.mid.cos(), s.mid.sin());
            let r = radius + o.stretch;
            let at = Point::new(center.x + dir.x * r, center.y + dir.y * r);
            let t = text(ctx, o, s.index, s.value, s.share);
            let w = f64::from(ctx.shaper.measure(&t, size, Weight::Medium)) + 2.0 * PAD_X;
            (s, at, t, w)
        })
        .collect();
    for right in [true, false] {
        let mut side: Vec<usize> = (0..placed.len())
            .filter(|&k| (placed[k].1.x >= center.x) == right)
            .collect();
        side.sort_by(|&a, &b| placed[a].1.y.total_cmp(&placed[b].1.y));
        let mut last: Option<f64> = None;
        for k in side {
            let y = placed[k].1.y;
            let y = last.map_or(y, |l| y.max(l + box_h + 2.0));
            placed[k].1.y = y;
            last = Some(y);
        }
    }
    let line = Stroke::new(2.0);
    let ink = o.color.unwrap_or(Color::WHITE);
    let cap = f64::from(size * CAP_HEIGHT);
    for (s, at, t, w) in &placed {
        let dir = Point::new(s.mid.cos(), s.mid.sin());
        let edge = Point::new(center.x + dir.x * radius, center.y + dir.y * radius);
        let mut path = BezPath::new();
        path.move_to(edge);
        path.line_to(*at);
        ctx.fig.stroke(Shape::Path(path), s.color, line.clone());
        // The box leans outwards as far as its line is horizontal, clear of the pie, and
        // stays on the canvas.
        let lean = dir.x * w / 2.0;
        let x = (at.x + lean).clamp(
            area.x0 + w / 2.0,
            (area.x1 - w / 2.0).max(area.x0 + w / 2.0),
        );
        let rect = Rect::from_center_size(Point::new(x, at.y), (*w, box_h));
        ctx.fig.fill(
            Shape::RoundedRect(RoundedRect::from_rect(rect, RADIUS)),
            s.color,
        );
        let baseline = Point::new(rect.center().x, at.y + cap / 2.0);
        ctx.label(t, size, Weight::Medium, ink, baseline, Anchor::Middle);
    }
}
