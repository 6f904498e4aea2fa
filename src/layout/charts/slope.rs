//! Slope charts: two periods, one line per category, rising and falling coloured.

use crate::layout::Ctx;
use kurbo::Rect;

/// Draws a slope chart in `area`.
pub(in crate::layout) fn draw(_ctx: &mut Ctx<'_>, _area: Rect) {}
