//! The outlines a figure fills and strokes.

use kurbo::{BezPath, Circle, Rect, RoundedRect};

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
