//! The figure: a small backend-neutral display list that layout produces and every renderer
//! consumes. Coordinates are pixels, origin top-left, y down.

use crate::text::ShapedRun;
use kurbo::{Affine, BezPath, Circle, Rect, RoundedRect, Stroke};
use peniko::Color;

/// A drawable outline.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// An axis-aligned rectangle (renderers have fast paths for these).
    Rect(Rect),
    /// A rectangle with rounded corners.
    RoundedRect(RoundedRect),
    /// A circle.
    Circle(Circle),
    /// Any path.
    Path(BezPath),
}

/// How finely curves are flattened when a renderer needs a path; 0.1 px is invisible.
pub const PATH_TOLERANCE: f64 = 0.1;

impl Shape {
    /// The shape as a Bézier path.
    pub fn to_path(&self) -> BezPath {
        use kurbo::Shape as _;
        match self {
            Shape::Rect(r) => r.to_path(PATH_TOLERANCE),
            Shape::RoundedRect(r) => r.to_path(PATH_TOLERANCE),
            Shape::Circle(c) => c.to_path(PATH_TOLERANCE),
            Shape::Path(p) => p.clone(),
        }
    }
}

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
}

impl Figure {
    /// An empty figure.
    pub fn new(width: u32, height: u32, background: Color) -> Self {
        Figure {
            width,
            height,
            background,
            items: Vec::new(),
        }
    }

    /// Fills `shape` with `color`.
    pub fn fill(&mut self, shape: Shape, color: Color) {
        self.items.push(Item::Fill { shape, color });
    }

    /// Strokes `shape` with `color` and `style`.
    pub fn stroke(&mut self, shape: Shape, color: Color, style: Stroke) {
        self.items.push(Item::Stroke {
            shape,
            color,
            style,
        });
    }

    /// Draws every run of a shaped text with `transform` applied.
    pub fn text(&mut self, text: &crate::text::ShapedText, transform: Affine, color: Color) {
        for run in &text.runs {
            self.items.push(Item::Text(Text {
                run: run.clone(),
                transform,
                color,
            }));
        }
    }

    /// Starts clipping to `shape`.
    pub fn push_clip(&mut self, shape: Shape) {
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
