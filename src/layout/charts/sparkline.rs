//! Sparklines: a bare line with no axes, grid or legend, readable at 200×50.

use crate::layout::Ctx;
use kurbo::Rect;

/// Draws a sparkline chart in `area`.
pub(in crate::layout) fn draw(_ctx: &mut Ctx<'_>, _area: Rect) {}
