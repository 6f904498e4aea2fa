//! The figure: a small backend-neutral display list that layout produces and every renderer
//! consumes. Coordinates are pixels, origin top-left, y down.

mod dash;
mod shape;

pub use dash::{
    MAX_DASH_SEGMENTS, MAX_STROKE_WIDTH_PX, MIN_DASH_PERIOD_PX, MIN_DASH_PERIOD_WIDTHS,
};
pub use shape::{PATH_TOLERANCE, Shape};

use crate::text::ShapedRun;
use kurbo::{Affine, Circle, RoundedRect, Stroke};
use peniko::Color;

/// One glyph run placed on the canvas.
#[derive(Clone, Debug)]
pub struct Text {
    /// Font, size and glyphs (relative to the baseline origin).
    pub run: ShapedRun,
    /// Where the baseline origin goes (translation and rotation).
    pub transform: Affine,
    /// Text colour.
    pub color: Color,
}

/// One display-list entry.
#[derive(Clone, Debug)]
pub enum Item {
    /// Fill a shape (non-zero rule).
    Fill {
        /// The outline.
        shape: Shape,
        /// Fill colour.
        color: Color,
    },
    /// Stroke a shape's outline.
    Stroke {
        /// The outline.
        shape: Shape,
        /// Line colour.
        color: Color,
        /// Width, joins, caps, dashes.
        style: Stroke,
    },
    /// Draw glyphs.
    Text(Text),
    /// Clip everything until the matching [`Item::PopClip`] to this shape.
    PushClip(Shape),
    /// End the innermost clip.
    PopClip,
}

/// A complete picture: canvas size, background and display list.
#[derive(Clone, Debug)]
pub struct Figure {
    /// Canvas width in px.
    pub width: u32,
    /// Canvas height in px.
    pub height: u32,
    /// Opaque background colour.
    pub background: Color,
    /// What to draw, back to front.
    pub items: Vec<Item>,
    /// Layout px → canvas px (`devicePixelRatio`); applied as items are added.
    scale: f64,
}

impl Figure {
    /// An empty figure.
    pub fn new(width: u32, height: u32, background: Color) -> Self {
        Figure {
            width,
            height,
            background,
            items: Vec::new(),
            scale: 1.0,
        }
    }

    /// Whether the background is fully opaque; then so is every pixel, since everything is
    /// drawn over it.
    pub fn is_opaque(&self) -> bool {
        self.background.components[3] >= 1.0
    }

    /// An empty figure laid out at `width` × `height` px and drawn `ratio` times larger
    /// (`devicePixelRatio`): the canvas is `ratio` × the size, every item is scaled as it is
    /// added, so layout code never sees the ratio and text stays sharp at the larger size.
    pub fn scaled(width: u32, height: u32, background: Color, ratio: f64) -> Self {
        let ratio = if ratio.is_finite() && ratio > 0.0 {
            ratio
        } else {
            1.0
        };
        let side = |v: u32| ((f64::from(v) * ratio).round() as u32).max(1);
        Figure {
            width: side(width),
            height: side(height),
            background,
            items: Vec::new(),
            scale: ratio,
        }
    }

    /// The layout-to-canvas scale (1 unless made by [`Figure::scaled`]).
    pub fn scale(&self) -> f64 {
        self.scale
    }

    fn scale_shape(&self, shape: Shape) -> Shape {
        let s = self.scale;
        if s == 1.0 {
            return shape;
        }
        match shape {
            Shape::Rect(r) => Shape::Rect(r.scale_from_origin(s)),
            Shape::RoundedRect(r) => {
                let radii = r.radii();
                Shape::RoundedRect(RoundedRect::from_rect(
                    r.rect().scale_from_origin(s),
                    kurbo::RoundedRectRadii::new(
                        radii.top_left * s,
                        radii.top_right * s,
                        radii.bottom_right * s,
                        radii.bottom_left * s,
                    ),
                ))
            }
            Shape::Circle(c) => {
                Shape::Circle(Circle::new((c.center.x * s, c.center.y * s), c.radius * s))
            }
            Shape::Path(p) => Shape::Path(Affine::scale(s) * p),
        }
    }

    /// Fills `shape` with `color`.
    pub fn fill(&mut self, shape: Shape, color: Color) {
        let shape = self.scale_shape(shape);
        self.items.push(Item::Fill { shape, color });
        self.checkpoint();
    }

    /// Strokes `shape` with `color` and `style`.
    pub fn stroke(&mut self, shape: Shape, color: Color, mut style: Stroke) {
        let shape = self.scale_shape(shape);
        if self.scale != 1.0 {
            style.width *= self.scale;
            style.dash_offset *= self.scale;
            for d in style.dash_pattern.iter_mut() {
                *d *= self.scale;
            }
        }
        dash::bound(&mut style, &shape);
        self.items.push(Item::Stroke {
            shape,
            color,
            style,
        });
        self.checkpoint();
    }

    /// Draws every run of a shaped text with `transform` applied.
    pub fn text(&mut self, text: &crate::text::ShapedText, transform: Affine, color: Color) {
        let transform = Affine::scale(self.scale) * transform;
        for run in &text.runs {
            self.items.push(Item::Text(Text {
                run: run.clone(),
                transform,
                color,
            }));
        }
    }

    /// Every few thousand marks, the render deadline ([`crate::deadline::check`]): the figure is
    /// where every chart type's work ends up, so a chart that draws too much stops here.
    fn checkpoint(&self) {
        const EVERY: usize = 4096;
        if self.items.len().is_multiple_of(EVERY) {
            crate::deadline::check();
        }
    }

    /// Starts clipping to `shape`.
    pub fn push_clip(&mut self, shape: Shape) {
        let shape = self.scale_shape(shape);
        self.items.push(Item::PushClip(shape));
    }

    /// Ends the innermost clip.
    pub fn pop_clip(&mut self) {
        self.items.push(Item::PopClip);
    }

    /// Number of path segments and glyphs, a rough measure of how heavy the scene is.
    pub fn complexity(&self) -> usize {
        self.items
            .iter()
            .map(|item| match item {
                Item::Fill { shape, .. } | Item::Stroke { shape, .. } | Item::PushClip(shape) => {
                    match shape {
                        Shape::Path(p) => p.elements().len(),
                        _ => 4,
                    }
                }
                Item::Text(t) => t.run.glyphs.len(),
                Item::PopClip => 0,
            })
            .sum()
    }
}
