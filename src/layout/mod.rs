//! Layout: a validated [`ChartSpec`] and its theme → a [`Figure`].
//!
//! The frame (title, subtitle, legend) is placed first and leaves a plot rectangle; the chart
//! type's module then lays out its axes and marks inside it (`charts/<type>.rs`). All text is
//! shaped here, once, so every backend draws the same glyphs.

mod annotation;
mod axis;
mod charts;
mod color;
mod ctx;
mod datalabel;
mod decimate;
pub mod density;
mod frame;
mod legend;
mod marker;
pub mod scale;
mod time;

use crate::figure::Figure;
use crate::spec::{ChartSpec, ChartType};
use crate::text::TextShaper;
use crate::theme::{Metrics, Theme};

pub(crate) use ctx::Ctx;
pub use legend::LegendEntry;

/// Lays out `spec` as a figure, shaping text with `shaper`; density scatters are counted on the
/// CPU.
pub fn layout(spec: &ChartSpec, shaper: &mut TextShaper) -> Figure {
    layout_with(spec, shaper, &density::CpuBinner)
}

/// Lays out `spec` as a figure, counting density scatters with `binner` (e.g. the GPU
/// renderer's compute shader); the figure is the same whichever binner counts.
pub fn layout_with(
    spec: &ChartSpec,
    shaper: &mut TextShaper,
    binner: &dyn density::Binner,
) -> Figure {
    shaper.begin_chart(spec.options.font_family.as_deref());
    let mut theme = Theme::get(spec.options.theme);
    if let Some(bg) = spec.options.background
        && bg.components[3] >= 0.5
    {
        // Rings and separators drawn "in the background colour" must match the canvas.
        theme.background = bg;
    }
    let m = Metrics::for_size(spec.options.width, spec.options.height);
    let background = spec.options.background.unwrap_or(theme.background);
    let (w, h) = (spec.options.width, spec.options.height);
    let fig = Figure::scaled(w, h, background, spec.options.pixel_ratio);
    let mut ctx = Ctx {
        spec,
        theme,
        m,
        shaper,
        fig,
        binner,
    };
    let plot = frame::draw(&mut ctx);
    if plot.width() >= 4.0 && plot.height() >= 4.0 {
        match spec.chart_type {
            ChartType::Bar => charts::mixed::draw_bar(&mut ctx, plot),
            ChartType::Line => charts::mixed::draw_line(&mut ctx, plot),
            ChartType::Pie | ChartType::Donut => charts::pie::draw(&mut ctx, plot),
            ChartType::Scatter => charts::scatter::draw(&mut ctx, plot),
            ChartType::Radar => charts::radar::draw(&mut ctx, plot),
            ChartType::CompetitiveRadar => charts::competitive_radar::draw(&mut ctx, plot),
            ChartType::Polar => charts::polar::draw(&mut ctx, plot),
            ChartType::Sparkline => charts::sparkline::draw(&mut ctx, plot),
            ChartType::Slope => charts::slope::draw(&mut ctx, plot),
            ChartType::Heatcalendar => charts::heatcalendar::draw(&mut ctx, plot),
            ChartType::Funnel => charts::funnel::draw(&mut ctx, plot),
            ChartType::Bullet => charts::bullet::draw(&mut ctx, plot),
            ChartType::Lollipop => charts::lollipop::draw(&mut ctx, plot),
            ChartType::Waterfall => charts::waterfall::draw(&mut ctx, plot),
        }
    }
    ctx.fig
}
