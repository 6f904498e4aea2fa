//! Per-dataset drawing options from Chart.js: marker shapes, smoothing, steps, dashes, stacks.

use super::ChartType;

/// A marker shape (Chart.js `pointStyle`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PointStyle {
    /// A disc (the default).
    #[default]
    Circle,
    /// A square.
    Rect,
    /// A square with rounded corners.
    RectRounded,
    /// A square turned 45° (a diamond).
    RectRot,
    /// A triangle pointing up.
    Triangle,
    /// A plus sign.
    Cross,
    /// An × sign.
    CrossRot,
    /// A five-pointed star.
    Star,
    /// A horizontal line through the point.
    Line,
    /// A short horizontal line right of the point.
    Dash,
}

impl PointStyle {
    /// Every style with its Chart.js name.
    pub const NAMES: [(&'static str, PointStyle); 10] = [
        ("circle", PointStyle::Circle),
        ("rect", PointStyle::Rect),
        ("rectRounded", PointStyle::RectRounded),
        ("rectRot", PointStyle::RectRot),
        ("triangle", PointStyle::Triangle),
        ("cross", PointStyle::Cross),
        ("crossRot", PointStyle::CrossRot),
        ("star", PointStyle::Star),
        ("line", PointStyle::Line),
        ("dash", PointStyle::Dash),
    ];
}

/// Chart.js per-dataset options beyond colours and fill.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeriesStyle {
    /// `tension` / `lineTension`: 0 = straight segments, up to 1 = very smooth curves.
    pub tension: f64,
    /// `pointRadius`: marker size in px; 0 hides the markers; `None` = automatic.
    pub point_radius: Option<f64>,
    /// `borderDash`: dash and gap lengths in px; empty = solid.
    pub border_dash: Vec<f64>,
    /// `hidden`: the dataset is not drawn (its legend entry stays).
    pub hidden: bool,
    /// `spanGaps`: lines continue across `null` values.
    pub span_gaps: bool,
    /// `stack`: stacked bars with the same id share a stack.
    pub stack: Option<String>,
    /// Per-dataset `type` (`bar` or `line`) for mixed charts.
    pub kind: Option<ChartType>,
    /// `yAxisID` names the second value axis (drawn on the right): the series uses it.
    pub secondary_axis: bool,
    /// `pointStyle`: the marker shape.
    pub point_style: PointStyle,
    /// `order`: datasets with a lower order are drawn on top (Chart.js), ties keep their index.
    pub order: i64,
    /// `stepped` (v2 `steppedLine`): steps between the points instead of slopes.
    pub stepped: Stepped,
    /// `datalabels`: this dataset's label style, over the chart's.
    pub labels: super::label_style::LabelStyle,
    /// Where a filled line's area reaches (`fill`'s target); `None` = the axis at zero.
    pub fill_to: Option<FillTarget>,
    /// `cubicInterpolationMode: "monotone"`: a smooth curve that never overshoots its points.
    pub monotone: bool,
    /// `fill.above` / `fill.below`: the area's colours where the line is above or below a level
    /// target (a value, zero or an axis end).
    pub fill_sides: [Option<peniko::Color>; 2],
}

/// Chart.js `fill` targets: what a line's area is filled to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FillTarget {
    /// `"origin"`, `true`: the value axis's zero (or its end nearest zero).
    Origin,
    /// `"start"`: the value axis's low end.
    Start,
    /// `"end"`: its high end.
    End,
    /// `{value: n}`: a value.
    Value(f64),
    /// A dataset (by index): `2`, `"-1"`, `"+1"`, `"stack"` (the one below in its stack).
    Dataset(usize),
}

/// Chart.js `stepped`: how a line gets from one point to the next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stepped {
    /// A straight (or smoothed) segment.
    #[default]
    No,
    /// `true` / `"before"`: across at the old value, then up or down at the new point.
    Before,
    /// `"after"`: up or down at the old point, then across at the new value.
    After,
    /// `"middle"`: the step half way between the points.
    Middle,
}
