//! The chart-type catalog behind `GET /api/chart-types`: each type's label, formats and an
//! example config a client can copy.

use crate::spec::ChartType;
use serde::Serialize;
use serde_json::{Value, json};

/// The engine name reported by the catalog.
pub const ENGINE: &str = "clovicharts (vello)";

/// One catalog entry.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogEntry {
    /// Wire name.
    #[serde(rename = "type")]
    pub chart_type: &'static str,
    /// Human name, e.g. "Bar Chart".
    pub label: &'static str,
    /// Output formats.
    #[schema(value_type = Vec<String>)]
    pub formats: [&'static str; 5],
    /// A complete, valid spec for this type.
    #[schema(value_type = Object)]
    pub example_config: Value,
}

/// The human name of a type.
pub fn label(t: ChartType) -> &'static str {
    match t {
        ChartType::Bar => "Bar Chart",
        ChartType::Line => "Line Chart",
        ChartType::Pie => "Pie Chart",
        ChartType::Donut => "Donut Chart",
        ChartType::Scatter => "Scatter Plot",
        ChartType::Radar => "Radar Chart",
        ChartType::Polar => "Polar Area Chart",
        ChartType::Sparkline => "Sparkline",
        ChartType::CompetitiveRadar => "Competitive Radar",
        ChartType::Funnel => "Funnel Chart",
        ChartType::Bullet => "Bullet Chart",
        ChartType::Slope => "Slope Chart",
        ChartType::Heatcalendar => "Heat Calendar",
        ChartType::Lollipop => "Lollipop Chart",
        ChartType::Waterfall => "Waterfall Chart",
    }
}

fn options() -> Value {
    json!({ "width": 800, "height": 500, "theme": "clovitek" })
}

/// An example spec for `t`.
pub fn example_config(t: ChartType) -> Value {
    let quarters = json!(["Q1", "Q2", "Q3", "Q4"]);
    let data = match t {
        ChartType::Bar => json!({
            "labels": quarters,
            "datasets": [{ "label": "Revenue ($k)", "data": [120, 190, 150, 220] }]
        }),
        ChartType::Line => json!({
            "labels": ["Jan", "Feb", "Mar", "Apr", "May", "Jun"],
            "datasets": [
                { "label": "Visitors", "data": [4200, 4800, 5100, 4900, 6200, 7100] },
                { "label": "Signups", "data": [1200, 1500, 1700, 1600, 2100, 2600] }
            ]
        }),
        ChartType::Pie | ChartType::Donut | ChartType::Polar => json!({
            "labels": ["Chrome", "Safari", "Firefox", "Edge", "Other"],
            "datasets": [{ "label": "Browser share", "data": [45, 25, 12, 10, 8] }]
        }),
        ChartType::Scatter => json!({
            "datasets": [{ "label": "Sessions", "data": [
                { "x": 2, "y": 3.1 }, { "x": 4, "y": 4.8 }, { "x": 5, "y": 6.2 },
                { "x": 7, "y": 7.1 }, { "x": 9, "y": 9.4 }, { "x": 11, "y": 10.2 }
            ] }]
        }),
        ChartType::Radar => json!({
            "labels": ["Speed", "Quality", "Price", "Support", "Features"],
            "datasets": [
                { "label": "2025", "data": [70, 80, 60, 75, 65] },
                { "label": "2026", "data": [85, 82, 70, 80, 78] }
            ]
        }),
        ChartType::CompetitiveRadar => json!({
            "labels": ["Speed", "Quality", "Price", "Support", "Features"],
            "datasets": [
                { "label": "Us", "data": [90, 85, 70, 88, 80] },
                { "label": "Competitor A", "data": [75, 80, 85, 60, 70] },
                { "label": "Competitor B", "data": [60, 70, 90, 65, 75] }
            ]
        }),
        ChartType::Sparkline => json!({
            "labels": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            "datasets": [{ "label": "Requests", "data": [12, 15, 11, 18, 22, 19, 25] }]
        }),
        ChartType::Funnel => json!({
            "labels": ["Visited", "Signed up", "Activated", "Paid"],
            "datasets": [{ "label": "Users", "data": [10000, 4200, 2100, 640] }]
        }),
        ChartType::Bullet => json!({
            "labels": ["Revenue", "Profit", "New customers"],
            "datasets": [{ "label": "KPIs", "data": [
                { "value": 270, "target": 250, "ranges": [150, 225, 300] },
                { "value": 22, "target": 26, "ranges": [20, 25, 30] },
                { "value": 1650, "target": 2100, "ranges": [1400, 2000, 2500] }
            ] }]
        }),
        ChartType::Slope => json!({
            "labels": ["North", "South", "East", "West"],
            "datasets": [
                { "label": "2025", "data": [120, 90, 60, 80] },
                { "label": "2026", "data": [150, 70, 95, 85] }
            ]
        }),
        ChartType::Heatcalendar => json!({
            "datasets": [{ "label": "Commits", "data": [
                { "date": "2026-01-05", "value": 3 }, { "date": "2026-01-06", "value": 7 },
                { "date": "2026-01-07", "value": 1 }, { "date": "2026-01-12", "value": 9 },
                { "date": "2026-02-02", "value": 4 }, { "date": "2026-02-03", "value": 12 }
            ] }]
        }),
        ChartType::Lollipop => json!({
            "labels": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"],
            "datasets": [{ "label": "Score", "data": [82, 67, 91, 54, 73] }]
        }),
        ChartType::Waterfall => json!({
            "labels": ["Start", "Sales", "Refunds", "Costs", "Tax", "End"],
            "datasets": [{ "label": "Cash ($k)", "data": [500, 320, -45, -180, -60, 535] }]
        }),
    };
    json!({ "type": t.name(), "data": data, "options": options() })
}

/// Every type's entry, in the reference's order.
pub fn catalog() -> Vec<CatalogEntry> {
    ChartType::ALL
        .into_iter()
        .map(|t| CatalogEntry {
            chart_type: t.name(),
            label: label(t),
            formats: crate::spec::Format::ALL.map(|f| f.name()),
            example_config: example_config(t),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_validates() {
        for t in ChartType::ALL {
            let spec = crate::spec::from_value(&example_config(t));
            assert!(spec.is_ok(), "{t}: {:?}", spec.err());
        }
    }
}
