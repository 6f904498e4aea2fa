//! Themes: colours and type sizes for `clovitek`, `dark` and `light`.

use crate::spec::ThemeName;
use peniko::Color;

/// Everything a chart's look depends on besides its data.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// Which theme this is.
    pub name: ThemeName,
    /// Canvas background.
    pub background: Color,
    /// Grid lines and the plot-area tint.
    pub grid: Color,
    /// Axis lines and tick marks.
    pub axis: Color,
    /// Title text.
    pub title: Color,
    /// Tick labels, legend text, subtitle.
    pub label: Color,
    /// Series colours, in order; cycled per dataset (per slice for pie/donut).
    pub palette: Vec<Color>,
    /// Colour for rising values (waterfall, slope).
    pub positive: Color,
    /// Colour for falling values (waterfall, slope).
    pub negative: Color,
    /// Low and high ends of the sequential scale (heat calendar).
    pub sequential: (Color, Color),
}

const fn hex(rgb: u32) -> Color {
    Color::from_rgb8((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8)
}

const CLOVITEK_PALETTE: [u32; 10] = [
    0x00d4ff, 0x8b5cf6, 0x34d399, 0xfbbf24, 0xf87171, 0x60a5fa, 0xf472b6, 0xa3e635, 0xfb923c,
    0x2dd4bf,
];
const MOCHA_PALETTE: [u32; 10] = [
    0x89b4fa, 0xcba6f7, 0xa6e3a1, 0xfab387, 0xf38ba8, 0x94e2d5, 0xf9e2af, 0xf5c2e7, 0x89dceb,
    0xb4befe,
];
const TABLEAU_PALETTE: [u32; 10] = [
    0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f,
    0xbab0ac,
];

impl Theme {
    /// The theme called `name`.
    pub fn get(name: ThemeName) -> Theme {
        let (bg, grid, axis, title, label, palette, pos, neg, seq) = match name {
            ThemeName::Clovitek => (
                0x0b1526,
                0x1b2a44,
                0x2b3d5e,
                0xe8eef8,
                0x9fb1cc,
                &CLOVITEK_PALETTE,
                0x34d399,
                0xf87171,
                (0x0f2a44, 0x00d4ff),
            ),
            ThemeName::Dark => (
                0x1e1e2e,
                0x313244,
                0x45475a,
                0xcdd6f4,
                0xa6adc8,
                &MOCHA_PALETTE,
                0xa6e3a1,
                0xf38ba8,
                (0x313244, 0xa6e3a1),
            ),
            ThemeName::Light => (
                0xffffff,
                0xe5e7eb,
                0x9ca3af,
                0x111827,
                0x4b5563,
                &TABLEAU_PALETTE,
                0x59a14f,
                0xe15759,
                (0xebedf0, 0x216e39),
            ),
        };
        Theme {
            name,
            background: hex(bg),
            grid: hex(grid),
            axis: hex(axis),
            title: hex(title),
            label: hex(label),
            palette: palette.iter().map(|&c| hex(c)).collect(),
            positive: hex(pos),
            negative: hex(neg),
            sequential: (hex(seq.0), hex(seq.1)),
        }
    }

    /// The series colour for index `i`, cycling through the palette.
    pub fn series_color(&self, i: usize) -> Color {
        self.palette[i % self.palette.len()]
    }

    /// Whether the background is dark (decides translucent fills and label contrast).
    pub fn is_dark(&self) -> bool {
        self.name != ThemeName::Light
    }
}

/// Type sizes and spacing at the 800×500 reference size, scaled per chart by [`Metrics::for_size`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    /// Scale factor relative to 800×500 (by the shorter side, clamped).
    pub scale: f32,
    /// Title font size.
    pub title: f32,
    /// Subtitle / narrative font size.
    pub subtitle: f32,
    /// Tick label font size.
    pub tick: f32,
    /// Legend font size.
    pub legend: f32,
    /// Outer padding.
    pub padding: f32,
    /// Gap between title block and plot.
    pub gap: f32,
    /// Legend swatch side.
    pub swatch: f32,
    /// Gap between legend entries.
    pub legend_gap: f32,
    /// Series line width.
    pub line_width: f32,
    /// Point radius on line charts.
    pub point_radius: f32,
}

impl Metrics {
    /// Metrics for a `width × height` canvas: sizes follow the shorter side (500 px = 1.0),
    /// clamped to stay readable on small sparklines and not absurd on posters.
    pub fn for_size(width: u32, height: u32) -> Metrics {
        let short = width.min(height) as f32;
        let scale = (short / 500.0).clamp(0.7, 2.2);
        Metrics {
            scale,
            title: 18.0 * scale,
            subtitle: 13.0 * scale,
            tick: 11.0 * scale,
            legend: 12.0 * scale,
            padding: 20.0 * scale,
            gap: 8.0 * scale,
            swatch: 10.0 * scale,
            legend_gap: 16.0 * scale,
            line_width: 2.0 * scale,
            point_radius: 3.0 * scale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palettes_cycle() {
        let t = Theme::get(ThemeName::Clovitek);
        assert_eq!(t.series_color(0), hex(0x00d4ff));
        assert_eq!(t.series_color(10), t.series_color(0));
        assert_eq!(Theme::get(ThemeName::Dark).background, hex(0x1e1e2e));
    }

    #[test]
    fn metrics_scale_with_short_side() {
        assert_eq!(Metrics::for_size(800, 500).scale, 1.0);
        assert!(Metrics::for_size(2400, 1600).scale > 2.0);
        assert_eq!(Metrics::for_size(200, 50).scale, 0.7);
    }
}
