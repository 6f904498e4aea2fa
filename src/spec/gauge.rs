//! chartjs-gauge's needle and value label (QuickChart's `gauge` type): drawn over a doughnut
//! whose slices are the gauge's bands.

use peniko::Color;

/// The needle of a gauge and the value label under it.
#[derive(Clone, Debug, PartialEq)]
pub struct Needle {
    /// Where it points: the share of the arc from its start, 0–1.
    pub share: f64,
    /// `needle.color` (default black).
    pub color: Color,
    /// `needle.radiusPercentage`: the hub's radius, % of the chart area's width (default 2).
    pub radius_pct: f64,
    /// `needle.widthPercentage`: the needle's width at the hub, % of the width (default 3.2).
    pub width_pct: f64,
    /// `needle.lengthPercentage`: its reach from the hole's edge (0) to the outer edge (100),
    /// default 80.
    pub length_pct: f64,
    /// `valueLabel`, unless `display: false`.
    pub label: Option<ValueLabel>,
}

/// The gauge's value written in a rounded box below the hub.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueLabel {
    /// The text (the value, or as a recognised `formatter` writes it).
    pub text: String,
    /// `color` (default white).
    pub color: Color,
    /// `backgroundColor` (default black; `transparent` draws no box).
    pub background: Color,
    /// `fontSize` in px; `None` = the tick size.
    pub size: Option<f32>,
    /// `borderRadius` of the box in px (default 5).
    pub radius: f64,
    /// `padding` around the text in px (default 5).
    pub padding: f64,
    /// `bottomMarginPercentage`: how far below the hub, % of the width (default 5).
    pub bottom_margin_pct: f64,
}
