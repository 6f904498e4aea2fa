//! The 15 chart type names of the reference, and which of them this build renders.

use std::fmt;

/// A chart type from the reference's list of 15.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartType {
    /// Vertical bars; several datasets are grouped side by side.
    Bar,
    /// One or more line series over categories; `null` makes a gap.
    Line,
    /// Parts of a whole as slices.
    Pie,
    /// A pie with a hole (60 % of the radius).
    Donut,
    /// `{x, y}` points on two linear axes.
    Scatter,
    /// Datasets as polygons on radial axes.
    Radar,
    /// Chart.js polarArea: equal angles, value as radius.
    Polar,
    /// A bare line: no axes, grid or legend.
    Sparkline,
    /// A radar comparing named competitors.
    CompetitiveRadar,
    /// Stages as centred bars of decreasing width.
    Funnel,
    /// Value bar, target marker and qualitative ranges per row.
    Bullet,
    /// Two periods, one line per category.
    Slope,
    /// A GitHub-style calendar heat map.
    Heatcalendar,
    /// Stem and dot per category.
    Lollipop,
    /// Running total with increases and decreases.
    Waterfall,
}

impl ChartType {
    /// Every type, in the reference's order.
    pub const ALL: [ChartType; 15] = [
        ChartType::Bar,
        ChartType::Line,
        ChartType::Pie,
        ChartType::Donut,
        ChartType::Scatter,
        ChartType::Radar,
        ChartType::Polar,
        ChartType::Sparkline,
        ChartType::CompetitiveRadar,
        ChartType::Funnel,
        ChartType::Bullet,
        ChartType::Slope,
        ChartType::Heatcalendar,
        ChartType::Lollipop,
        ChartType::Waterfall,
    ];

    /// The wire name, as clients send it in `type`.
    pub fn name(self) -> &'static str {
        match self {
            ChartType::Bar => "bar",
            ChartType::Line => "line",
            ChartType::Pie => "pie",
            ChartType::Donut => "donut",
            ChartType::Scatter => "scatter",
            ChartType::Radar => "radar",
            ChartType::Polar => "polar",
            ChartType::Sparkline => "sparkline",
            ChartType::CompetitiveRadar => "competitive_radar",
            ChartType::Funnel => "funnel",
            ChartType::Bullet => "bullet",
            ChartType::Slope => "slope",
            ChartType::Heatcalendar => "heatcalendar",
            ChartType::Lollipop => "lollipop",
            ChartType::Waterfall => "waterfall",
        }
    }

    /// Parses a wire name; Chart.js spellings `doughnut`, `polarArea`, `horizontalBar` and
    /// `bubble`, and the box plot plugin's `boxplot` and `violin` (and their horizontal forms),
    /// are accepted as aliases.
    pub fn parse(name: &str) -> Option<ChartType> {
        match name {
            "doughnut" => return Some(ChartType::Donut),
            "polarArea" => return Some(ChartType::Polar),
            // Chart.js v2: a bar chart with categories down the side (`indexAxis: "y"`).
            "horizontalBar" => return Some(ChartType::Bar),
            // Chart.js bubbles: a scatter whose points carry their radius.
            "bubble" => return Some(ChartType::Scatter),
            // chartjs-chart-box-and-violin-plot (QuickChart): bars whose categories are arrays
            // of samples, drawn as boxes or violins.
            "boxplot" | "violin" => return Some(ChartType::Bar),
            "horizontalBoxplot" | "horizontalBoxPlot" | "horizontalViolin" => {
                return Some(ChartType::Bar);
            }
            _ => {}
        }
        ChartType::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl fmt::Display for ChartType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in ChartType::ALL {
            assert_eq!(ChartType::parse(t.name()), Some(t));
        }
        assert_eq!(ChartType::parse("doughnut"), Some(ChartType::Donut));
        assert_eq!(ChartType::parse("polarArea"), Some(ChartType::Polar));
        assert_eq!(ChartType::parse("bubble"), Some(ChartType::Scatter));
        assert_eq!(ChartType::parse("Bar"), None);
    }
}
