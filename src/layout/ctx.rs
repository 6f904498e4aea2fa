//! The layout context every chart module draws through: the spec, the theme's look, the text
//! shaper, the figure being built and the density binner, with the label and colour lookups
//! they share.

use crate::binning::Binner;
use crate::figure::Figure;
use crate::spec::ChartSpec;
use crate::text::{Anchor, TextShaper, Weight};
use crate::theme::{Metrics, Theme};
use kurbo::Point;
use peniko::Color;

/// Everything a chart module needs while it lays out: the spec, look, shaper and the figure
/// being built.
pub(crate) struct Ctx<'a> {
    pub(crate) spec: &'a ChartSpec,
    pub(crate) theme: Theme,
    pub(crate) m: Metrics,
    pub(crate) shaper: &'a mut TextShaper,
    pub(crate) fig: Figure,
    /// Counts points per pixel for density scatters (on the CPU unless a renderer offers one).
    pub(crate) binner: &'a dyn Binner,
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

    /// The colour of dataset `i`'s points: [`Self::series_color`], except that a fully
    /// transparent `borderColor` hides only the line: the points keep their `backgroundColor`,
    /// as Chart.js draws them.
    pub(crate) fn point_color(&self, i: usize) -> Color {
        let dataset = self.spec.datasets.get(i);
        let first = |c: Option<&crate::spec::ColorSpec>| c.and_then(|c| c.first());
        match first(dataset.and_then(|d| d.border_color.as_ref())) {
            Some(border) if border.components[3] == 0.0 => {
                first(dataset.and_then(|d| d.background_color.as_ref())).unwrap_or(border)
            }
            _ => self.series_color(i),
        }
    }
}
