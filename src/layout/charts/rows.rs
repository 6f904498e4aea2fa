//! The frame of a horizontal category chart (`indexAxis: "y"`): category labels down the left,
//! the value axis along the bottom.

use crate::layout::Ctx;
use crate::layout::annotation::{AxisMap, Placement};
use crate::layout::axis;
use crate::layout::scale::LinearScale;
use kurbo::Rect;

/// The laid-out frame of a horizontal category chart (`indexAxis: "y"`): categories down the
/// left, values along the bottom.
pub(in crate::layout) struct RowFrame {
    /// The area inside the axes.
    pub(in crate::layout) plot: Rect,
    /// Height of one category band.
    pub(in crate::layout) band: f64,
    /// The value scale, mapped onto the plot's width.
    pub(in crate::layout) x: LinearScale,
}

impl RowFrame {
    /// The frame as the annotations see it: values across, categories down.
    pub(in crate::layout) fn placement(&self) -> Placement<'_> {
        Placement {
            plot: self.plot,
            x: AxisMap::Linear(&self.x),
            y: AxisMap::Category {
                first: self.plot.y0 + self.band * 0.5,
                step: self.band,
                time: None,
                linear: false,
            },
        }
    }

    /// Centre of category `i` (the first at the top).
    pub(in crate::layout) fn y(&self, i: usize) -> f64 {
        self.plot.y0 + self.band * (i as f64 + 0.5)
    }
}

/// Widest share of the canvas the category labels of a horizontal chart may take.
const MAX_ROW_LABEL_SHARE: f64 = 0.3;

/// Lays out and draws the axes of a horizontal category chart over `area` for values in
/// `lo..=hi`: right-aligned category labels on the left, the value axis along the bottom.
pub(in crate::layout) fn draw_row_frame(
    ctx: &mut Ctx<'_>,
    area: Rect,
    n: usize,
    lo: f64,
    hi: f64,
) -> RowFrame {
    use crate::text::{Anchor, CAP_HEIGHT, Weight};
    let spec = ctx.spec;
    let label = |i: usize| spec.labels.get_or_empty(i);
    let size = ctx.m.tick;
    let gap = axis::label_gap(ctx);
    // `ticks.display: false` on an axis gives its labels' room to the bars.
    let show_rows = spec.options.y_axis.ticks;
    let show_values = spec.options.x_axis.ticks;
    let widest = if show_rows {
        (0..n.min(2000))
            .map(|i| f64::from(ctx.shaper.measure(label(i), size, Weight::Regular)))
            .fold(0.0, f64::max)
    } else {
        0.0
    };
    let column = widest.min(area.width() * MAX_ROW_LABEL_SHARE);
    let x0 = if show_rows {
        (area.x0 + column + gap).min(area.x1 - 1.0)
    } else {
        area.x0
    };
    let rows = if show_values {
        axis::without_x_labels(ctx, area, axis::value_axis_x_height(ctx))
    } else {
        area
    };
    let band = rows.height() / n.max(1) as f64;
    let axis_options = ctx.spec.options.x_axis.clone();
    let scale = axis::value_scale_with(ctx, &axis_options, lo, hi, x0, area.x1);
    // Keep the last tick label on the canvas: it is centred on the plot's right edge.
    let last = scale.labels().last().map_or(0.0, |l| {
        f64::from(ctx.shaper.measure(l, size, Weight::Regular))
    });
    let x1 = (area.x1 - last / 2.0).max(x0 + 1.0);
    let plot = Rect::new(x0, rows.y0, x1, rows.y1);
    let x = scale.with_pixels(plot.x0, plot.x1);
    let grid = axis_options.grid.unwrap_or(true) && axis_options.grid_on_chart;
    axis::draw_value_axis_x_grid(ctx, &x, plot, grid);
    let frame = RowFrame { plot, band, x };
    if !show_rows {
        return frame;
    }
    // Right-aligned labels, every n-th when rows are too thin for all.
    let line = f64::from(size) * 1.3;
    let every = (line / band.max(1e-9)).ceil().max(1.0) as usize;
    // The categories run down the y axis here: its `ticks.color` is theirs.
    let color = axis::label_color(ctx, &ctx.spec.options.y_axis);
    let right = plot.x0 - gap;
    let cap = f64::from(size * CAP_HEIGHT);
    for i in (0..n).step_by(every) {
        let shaped = ctx
            .shaper
            .fit(label(i), size, Weight::Regular, column as f32);
        let at = kurbo::Point::new(right, frame.y(i) + cap / 2.0);
        let transform = crate::text::placement(&shaped, at, Anchor::End, 0.0);
        ctx.fig.text(&shaped, transform, color);
    }
    frame
}
