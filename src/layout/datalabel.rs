//! Data labels placed as chartjs-plugin-datalabels places them, for configs that say where
//! (`anchor`, `align`, `offset`) or give the label a box (`backgroundColor`, `borderColor`):
//! the label's box (text plus `padding`) goes from the mark's anchor point in the `align`
//! direction, its near edge `offset` px away, or centred on the anchor for `align: "center"`.

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::scale::{LinearScale, ValueFormat};
use crate::spec::label_style::{LabelAlign, LabelAnchor, LabelStyle};
use crate::text::{Anchor, CAP_HEIGHT, Weight};
use kurbo::{Point, Rect, RoundedRect, Stroke, Vec2};
use peniko::Color;

/// The plugin's default `offset` and `padding` in px.
const DEFAULT_OFFSET: f64 = 4.0;
const DEFAULT_PADDING: f64 = 4.0;
/// Line height of the label text, as a share of its size (the plugin's `lineHeight`).
const LINE_HEIGHT: f64 = 1.2;

/// Where a mark can hold its label: its base, middle and tip, and the unit direction from base
/// to tip (up for a positive column, right for a positive row, away from the axis for a point).
#[derive(Clone, Copy, Debug)]
pub(in crate::layout) struct Mark {
    pub(in crate::layout) start: Point,
    pub(in crate::layout) center: Point,
    pub(in crate::layout) end: Point,
    pub(in crate::layout) dir: Vec2,
}

impl Mark {
    /// The bar `rect` growing along `dir` (a unit vector along one axis).
    pub(in crate::layout) fn bar(rect: Rect, dir: Vec2) -> Mark {
        let c = rect.center();
        let half = Vec2::new(rect.width() / 2.0 * dir.x, rect.height() / 2.0 * dir.y);
        Mark {
            start: c - half,
            center: c,
            end: c + half,
            dir,
        }
    }

    /// A point of radius `r` at `c`, its tip away from the axis along `dir`.
    pub(in crate::layout) fn point(c: Point, r: f64, dir: Vec2) -> Mark {
        Mark {
            start: c - dir * r,
            center: c,
            end: c + dir * r,
            dir,
        }
    }
}

/// Whether the labels of `style` are placed by the plugin's rules rather than the chart's own.
pub(in crate::layout) fn plugin_placed(style: &LabelStyle) -> bool {
    style.placed() || style.background.is_some() || style.border_color.is_some()
}

/// The label style of dataset `j` (its own over the chart's) when its labels are drawn.
pub(in crate::layout) fn shown(ctx: &Ctx<'_>, j: usize) -> Option<LabelStyle> {
    let ds = ctx.spec.datasets.get(j)?;
    let style = ctx.spec.options.label_style.merged(&ds.style.labels);
    style
        .display
        .or(ctx.spec.options.data_labels)
        .unwrap_or(false)
        .then_some(style)
}

/// Whether some visible dataset's labels go past its bars' ends, where the value axis must
/// leave them room.
pub(in crate::layout) fn any_past_the_end(ctx: &Ctx<'_>) -> bool {
    (0..ctx.spec.datasets.len())
        .filter(|&j| !ctx.spec.datasets[j].style.hidden)
        .filter_map(|j| shown(ctx, j))
        .any(|s| !plugin_placed(&s))
}

/// The format values are written in: the style's `format` on `scale`'s ticks, else the scale's
/// own value format.
pub(in crate::layout) fn value_format(style: &LabelStyle, scale: &LinearScale) -> ValueFormat {
    match &style.format {
        Some(format) => scale.value_format_as(format),
        None => scale.value_format(),
    }
}

/// The text weight of `style`.
pub(in crate::layout) fn weight(style: &LabelStyle) -> Weight {
    if style.bold == Some(true) {
        Weight::SemiBold
    } else {
        Weight::Medium
    }
}

/// Draws `text` for `mark` (filled `fill`, outlined `border`: the colours a style may name as
/// the dataset's own) as `style` places it, in the theme's label colour unless it says.
pub(in crate::layout) fn draw(
    ctx: &mut Ctx<'_>,
    text: &str,
    style: &LabelStyle,
    mark: Mark,
    (fill, border): (Color, Color),
) {
    let size = style.size.unwrap_or(ctx.m.tick);
    let weight = weight(style);
    let text_w = f64::from(ctx.shaper.measure(text, size, weight));
    let [top, right, bottom, left] = style.padding.unwrap_or([DEFAULT_PADDING; 4]);
    let w = text_w + left + right;
    let h = f64::from(size) * LINE_HEIGHT + top + bottom;
    let anchor = match style.anchor.unwrap_or_default() {
        LabelAnchor::Center => mark.center,
        LabelAnchor::Start => mark.start,
        LabelAnchor::End => mark.end,
    };
    let v = match style.align.unwrap_or_default() {
        LabelAlign::Center => Vec2::ZERO,
        LabelAlign::Start => -mark.dir,
        LabelAlign::End => mark.dir,
        LabelAlign::Degrees(d) => {
            let a = d.to_radians();
            Vec2::new(a.cos(), a.sin())
        }
    };
    let center = if v == Vec2::ZERO {
        anchor
    } else {
        // As the plugin: the box's half extent along the direction, plus the offset.
        let vs = 1.0 / v.x.abs().max(v.y.abs());
        let offset = style.offset.unwrap_or(DEFAULT_OFFSET);
        anchor + Vec2::new(w / 2.0 * v.x * vs, h / 2.0 * v.y * vs) + v * offset
    };
    let rect = Rect::from_center_size(center, (w, h));
    let radius = style.border_radius.unwrap_or(0.0).min(w / 2.0).min(h / 2.0);
    let shape = Shape::RoundedRect(RoundedRect::from_rect(rect, radius));
    if let Some(bg) = style.background {
        ctx.fig.fill(shape.clone(), bg.resolve(fill, border));
    }
    if let Some(edge) = style.border_color {
        let width = style.border_width.unwrap_or(0.0);
        if width > 0.0 {
            ctx.fig
                .stroke(shape, edge.resolve(fill, border), Stroke::new(width));
        }
    }
    let cap = f64::from(size * CAP_HEIGHT);
    let baseline = rect.y0 + top + (h - top - bottom) / 2.0 + cap / 2.0;
    let x = rect.x0 + left + text_w / 2.0;
    // Without a colour of its own, the text reads on its box (the theme's label colour is
    // for the canvas).
    let on_box = style
        .background
        .map(|b| crate::layout::color::text_on(b.resolve(fill, border)));
    let color = style
        .color
        .map(|c| c.resolve(fill, border))
        .or(on_box)
        .unwrap_or(ctx.theme.label);
    ctx.label(
        text,
        size,
        weight,
        color,
        Point::new(x, baseline),
        Anchor::Middle,
    );
}
