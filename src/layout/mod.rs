//! Layout: a validated [`ChartSpec`] and its theme → a [`Figure`].
//!
//! The frame (title, subtitle, legend) is placed first and leaves a plot rectangle; the chart
//! type's module then lays out its axes and marks inside it (`charts/<type>.rs`). All text is
//! shaped here, once, so every backend draws the same glyphs.

mod axis;
mod charts;
mod color;
mod decimate;
pub mod density;
mod frame;
mod legend;
mod marker;
pub mod scale;
mod time;

use crate::figure::Figure;
use crate::spec::{ChartSpec, ChartType};
use crate::text::{Anchor, TextShaper, Weight};
use crate::theme::{Metrics, Theme};
use kurbo::Point;
use peniko::Color;

pub use legend::LegendEntry;

/// Everything a chart module needs while it lays out: the spec, look, shaper and the figure
/// being built.
pub(crate) struct Ctx<'a> {
    pub(crate) spec: &'a ChartSpec,
    pub(crate) theme: Theme,
    pub(crate) m: Metrics,
    pub(crate) shaper: &'a mut TextShaper,
    pub(crate) fig: Figure,
    /// Counts points per pixel for density scatters (on the CPU unless a renderer offers one).
    pub(crate) binner: &'a dyn density::Binner,
}

impl Ctx<'_> {
    /// Draws one line of text with its anchor at `at` on the baseline.
    pub(crate) fn label(
        &mut self,
        text: &str,
        size: f32,
        weight: Weight,
        color: Color,
        at: Point,
        anchor: Anchor,
    ) -> f64 {
        self.label_rotated(text, size, weight, color, at, anchor, 0.0)
    }

    /// Draws one line of text rotated by `angle` radians around its anchor; returns its width.
    #[expect(
        clippy::too_many_arguments,
        reason = "a text draw call has this many knobs"
    )]
    pub(crate) fn label_rotated(
        &mut self,
        text: &str,
        size: f32,
        weight: Weight,
        color: Color,
        at: Point,
        anchor: Anchor,
        angle: f64,
    ) -> f64 {
        let shaped = self.shaper.shape(text, size, weight);
        let transform = crate::text::placement(&shaped, at, anchor, angle);
        self.fig.text(&shaped, transform, color);
        shaped.width as f64
    }

    /// "No data", its baseline centred at `at`, for a chart with nothing to draw.
    pub(crate) fn no_data(&mut self, at: Point) {
        let (color, size) = (self.theme.label, self.m.legend);
        self.label("No data", size, Weight::Medium, color, at, Anchor::Middle);
    }

    /// The name shown for dataset `i`.
    pub(crate) fn dataset_name(&self, i: usize) -> String {
        self.spec
            .datasets
            .get(i)
            .and_then(|d| d.label.clone())
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| format!("Dataset {}", i + 1))
    }

    /// The colour of dataset `i`: its own `backgroundColor`/`borderColor`, else the palette's.
    pub(crate) fn series_color(&self, i: usize) -> Color {
        let own = self.spec.datasets.get(i).and_then(|d| {
            d.border_color
                .as_ref()
                .or(d.background_color.as_ref())
                .and_then(|c| c.first())
        });
        own.unwrap_or_else(|| self.theme.series_color(i))
    }
}

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
            ChartType::Bar => charts::bar::draw(&mut ctx, plot),
            ChartType::Line => charts::line::draw(&mut ctx, plot),
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

/// Whether the legend is drawn for `spec`: the explicit option, else several datasets or a pie.
pub(crate) fn legend_shown(spec: &ChartSpec) -> bool {
    let auto = match spec.chart_type {
        ChartType::Pie | ChartType::Donut | ChartType::Polar | ChartType::CompetitiveRadar => true,
        // These name their series in place (or have none worth naming).
        ChartType::Sparkline
        | ChartType::Heatcalendar
        | ChartType::Funnel
        | ChartType::Bullet
        | ChartType::Slope
        | ChartType::Waterfall => false,
        _ => spec.datasets.len() > 1,
    };
    spec.options.legend.unwrap_or(auto)
}
