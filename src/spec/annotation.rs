//! Annotations drawn over the plot, as chartjs-plugin-annotation describes them
//! (`options.plugins.annotation.annotations` in v1+, `options.annotation.annotations` in the
//! 0.5 plugin QuickChart ships for Chart.js 2): lines, boxes, ellipses, points, polygons and
//! labels placed by data values.

use peniko::Color;

/// Most annotations drawn on one chart; further ones are dropped with a warning.
pub const MAX_ANNOTATIONS: usize = 100;

/// One annotation, its values not yet mapped to pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    /// What is drawn.
    pub kind: AnnotationKind,
    /// Where along the x axis: `xMin`..`xMax` (a line's `value`..`endValue` on an x scale).
    pub x: Span,
    /// Where along the y axis.
    pub y: Span,
    /// `borderColor`; `None` = the plugin's default for the kind.
    pub border_color: Option<Color>,
    /// `borderWidth` in px; `None` = the plugin's default for the kind.
    pub border_width: Option<f64>,
    /// `borderDash`, in px.
    pub border_dash: Vec<f64>,
    /// `backgroundColor`; `None` = the plugin's default for the kind.
    pub background: Option<Color>,
    /// `radius` of a point or polygon, in px.
    pub radius: Option<f64>,
    /// `sides` of a polygon.
    pub sides: u8,
    /// `rotation` of a polygon, in degrees.
    pub rotation: f64,
    /// The text drawn with it: a `label` annotation's `content`, or a line's or box's `label`.
    pub label: Option<AnnotationLabel>,
    /// `drawTime` before the datasets (`beforeDraw`, `beforeDatasetsDraw`): under the marks.
    pub below: bool,
    /// From the Chart.js 2 plugin (`options.annotation`): on a category axis a number names the
    /// label equal to it (`value: 2` with labels `[1, 2, 3]` is the second), as Chart.js 2's
    /// category scale reads it; in v1+ a number is an index.
    pub numbers_are_labels: bool,
}

/// The kinds of annotation drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnnotationKind {
    /// A line from (xMin, yMin) to (xMax, yMax), across the plot where a bound is missing.
    Line,
    /// A rectangle over xMin..xMax × yMin..yMax.
    Box,
    /// An ellipse inscribed in that rectangle.
    Ellipse,
    /// A circle of `radius` at (xValue, yValue).
    Point,
    /// A regular polygon of `sides` and `radius` at (xValue, yValue).
    Polygon,
    /// Text at (xValue, yValue).
    Label,
}

/// Bounds along one axis; a missing bound is the plot's edge.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Span {
    /// The lower bound (`xMin`, `yMin`, a line's `value`, a point's `xValue`).
    pub min: Option<AnnotationValue>,
    /// The upper bound (`xMax`, `yMax`, a line's `endValue`); `None` with `min` set on a
    /// point or label: the same as `min`.
    pub max: Option<AnnotationValue>,
}

/// A position along an axis as the plugin takes it: a number (a value, or a category index on
/// a category axis) or a string (a category label, or a date on a time axis).
#[derive(Clone, Debug, PartialEq)]
pub enum AnnotationValue {
    /// A number.
    Number(f64),
    /// A category label or a date.
    Text(String),
}

/// Text drawn with an annotation.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnotationLabel {
    /// One entry per line (`content` may be an array).
    pub lines: Vec<String>,
    /// `color` of the text.
    pub color: Option<Color>,
    /// `backgroundColor` behind the text.
    pub background: Option<Color>,
    /// `position` across: where along a horizontal line, or across a box.
    pub x_position: LabelPosition,
    /// `position` down: where along a vertical line, or down a box.
    pub y_position: LabelPosition,
    /// `font.size` in px.
    pub size: Option<f32>,
}

/// Where a label sits along its annotation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LabelPosition {
    /// At the start (left or top of a box; a line's first end).
    Start,
    /// In the middle.
    #[default]
    Center,
    /// At the end.
    End,
}
