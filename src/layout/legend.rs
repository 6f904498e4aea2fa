//! Legends: a swatch and a name per series (per slice for pie/donut), as a wrapping row above
//! the plot or a column beside it.

use super::Ctx;
use crate::figure::Shape;
use crate::spec::{ChartSpec, ChartType};
use crate::text::{ASCENT, Anchor, Weight};
use kurbo::{Point, Rect, RoundedRect};
use peniko::Color;

/// Most legend rows drawn above a plot; further entries are summarised as "+N more".
const MAX_ROWS: usize = 3;

/// One legend entry.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// Series or slice name.
    pub label: String,
    /// Swatch colour.
    pub color: Color,
    /// Drawn faded: the series is `hidden` (as Chart.js keeps hidden series in the legend).
    pub muted: bool,
}

/// More legend entries than fit any column (a 1600 px canvas holds ~80 rows).
const MAX_COLUMN_ENTRIES: usize = 128;

/// Opacity of a muted legend entry.
const MUTED_ALPHA: f32 = 0.35;

impl LegendEntry {
    fn swatch_color(&self) -> Color {
        if self.muted {
            self.color.multiply_alpha(MUTED_ALPHA)
        } else {
            self.color
        }
    }
}

/// The legend entries of the chart in `ctx`.
pub(super) fn entries(ctx: &Ctx<'_>) -> Vec<LegendEntry> {
    match ctx.spec.chart_type {
        ChartType::Pie | ChartType::Donut | ChartType::Polar => {
            let n = ctx.spec.datasets.first().map_or(0, |d| d.data.len());
            (0..n)
                .map(|i| LegendEntry {
                    label: ctx
                        .spec
                        .labels
                        .get(i)
                        .map_or_else(|| format!("Item {}", i + 1), str::to_owned),
                    color: super::charts::pie::slice_color(ctx, i),
                    muted: false,
                })
                .collect()
        }
        _ => (0..ctx.spec.datasets.len())
            .map(|i| LegendEntry {
                label: ctx.dataset_name(i),
                color: entry_color(ctx, i),
                muted: ctx.spec.datasets[i].style.hidden,
            })
            .collect(),
    }
}

/// The swatch of dataset `i`: what its marks are filled with — a bar's `backgroundColor` (so a
/// white-bordered bar does not get a white swatch), a line's stroke colour.
fn entry_color(ctx: &Ctx<'_>, i: usize) -> Color {
    let ds = &ctx.spec.datasets[i];
    let bars = match ds.style.kind {
        Some(kind) => kind == ChartType::Bar,
        None => matches!(
            ctx.spec.chart_type,
            ChartType::Bar | ChartType::Lollipop | ChartType::Waterfall
        ),
    };
    let fill = ds.background_color.as_ref().and_then(|c| c.first());
    match fill {
        Some(c) if bars => c,
        _ => ctx.series_color(i),
    }
}

fn row_height(ctx: &Ctx<'_>) -> f64 {
    (ctx.m.legend * 1.6) as f64
}

fn swatch(ctx: &mut Ctx<'_>, x: f64, baseline: f64, color: Color) {
    let s = ctx.m.swatch as f64;
    let cap = (ctx.m.legend * crate::text::CAP_HEIGHT) as f64;
    let y = baseline - cap / 2.0 - s / 2.0;
    let r = RoundedRect::from_rect(Rect::new(x, y, x + s, y + s), s * 0.25);
    ctx.fig.fill(Shape::RoundedRect(r), color);
}

/// The height [`draw_rows`] would take for `entries` in `area` (drawn, then discarded).
pub(super) fn rows_height(ctx: &mut Ctx<'_>, entries: &[LegendEntry], area: Rect) -> f64 {
    let mark = ctx.fig.items.len();
    let used = draw_rows(ctx, entries, area);
    ctx.fig.items.truncate(mark);
    used
}

/// Draws `entries` as wrapping rows starting at the top-left of `area`; returns the height used.
pub(super) fn draw_rows(ctx: &mut Ctx<'_>, entries: &[LegendEntry], area: Rect) -> f64 {
    let size = ctx.m.legend;
    let s = ctx.m.swatch as f64;
    let text_gap = s * 0.6;
    let gap = ctx.m.legend_gap as f64;
    let rh = row_height(ctx);
    let max_label = (area.width() - s - text_gap).max(10.0) as f32;
    let mut x = area.x0;
    let mut row = 0usize;
    for (i, entry) in entries.iter().enumerate() {
        let shaped = ctx
            .shaper
            .fit(&entry.label, size, Weight::Medium, max_label);
        let w = s + text_gap + shaped.width as f64;
        if x > area.x0 && x + w > area.x1 {
            row += 1;
            x = area.x0;
        }
        let baseline = area.y0 + rh * row as f64 + (size * ASCENT) as f64;
        if row + 1 == MAX_ROWS && entries.len() > i + 1 {
            // Last allowed row: make sure "+N more" fits after this entry, else stop here.
            let more = format!("+{} more", entries.len() - i);
            let more_w = ctx.shaper.measure(&more, size, Weight::Medium) as f64;
            if x + w + gap + more_w > area.x1 {
                let label = ctx.theme.label;
                ctx.label(
                    &more,
                    size,
                    Weight::Medium,
                    label,
                    Point::new(x, baseline),
                    Anchor::Start,
                );
                return rh * MAX_ROWS as f64;
            }
        }
        if row >= MAX_ROWS {
            return rh * MAX_ROWS as f64;
        }
        swatch(ctx, x, baseline, entry.swatch_color());
        let transform = kurbo::Affine::translate((x + s + text_gap, baseline));
        let color = if entry.muted {
            ctx.theme.label.multiply_alpha(MUTED_ALPHA + 0.2)
        } else {
            ctx.theme.label
        };
        ctx.fig.text(&shaped, transform, color);
        x += w + gap;
    }
    rh * (row + 1) as f64
}

/// Width a column legend of `entries` needs, capped at `max_width`.
pub(super) fn column_width(ctx: &mut Ctx<'_>, entries: &[LegendEntry], max_width: f64) -> f64 {
    let s = ctx.m.swatch as f64;
    // A column never shows more entries than fit its height; measure only those.
    let widest = entries
        .iter()
        .take(MAX_COLUMN_ENTRIES)
        .map(|e| ctx.shaper.measure(&e.label, ctx.m.legend, Weight::Medium) as f64)
        .fold(0.0, f64::max);
    (s * 1.6 + widest).min(max_width)
}

/// Draws `entries` as a column vertically centred in `area`.
pub(super) fn draw_column(ctx: &mut Ctx<'_>, entries: &[LegendEntry], area: Rect) {
    let size = ctx.m.legend;
    let s = ctx.m.swatch as f64;
    let rh = row_height(ctx) * 1.1;
    let fits = ((area.height() / rh).floor() as usize).max(1);
    let shown = if entries.len() > fits {
        fits - 1
    } else {
        entries.len()
    };
    let rows = shown + usize::from(shown < entries.len());
    let top = area.y0 + (area.height() - rh * rows as f64).max(0.0) / 2.0;
    let max_label = (area.width() - s * 1.6).max(10.0) as f32;
    for (i, entry) in entries.iter().take(shown).enumerate() {
        let baseline = top + rh * i as f64 + (size * ASCENT) as f64;
        swatch(ctx, area.x0, baseline, entry.swatch_color());
        let shaped = ctx
            .shaper
            .fit(&entry.label, size, Weight::Medium, max_label);
        let transform = kurbo::Affine::translate((area.x0 + s * 1.6, baseline));
        let color = ctx.theme.label;
        ctx.fig.text(&shaped, transform, color);
    }
    if shown < entries.len() {
        let baseline = top + rh * shown as f64 + (size * ASCENT) as f64;
        let more = format!("+{} more", entries.len() - shown);
        let color = ctx.theme.label;
        ctx.label(
            &more,
            size,
            Weight::Medium,
            color,
            Point::new(area.x0, baseline),
            Anchor::Start,
        );
    }
}

/// Whether the legend is drawn for `spec`: the explicit option, else (as Chart.js 4 draws it)
/// for several datasets, a labelled single dataset, or a pie.
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
        _ => match spec.datasets.as_slice() {
            [] => false,
            // A scatter dense enough to become a density picture has its own key instead.
            [only] => {
                only.label.as_deref().is_some_and(|l| !l.trim().is_empty())
                    && !(spec.chart_type == ChartType::Scatter
                        && only.data.len() > super::density::DENSITY_THRESHOLD)
            }
            _ => true,
        },
    };
    spec.options.legend.unwrap_or(auto)
}
