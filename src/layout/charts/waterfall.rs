//! Waterfall charts: running totals, increases and decreases, connector lines.

use crate::layout::Ctx;
use kurbo::Rect;

/// Draws a waterfall chart in `area`.
pub(in crate::layout) fn draw(_ctx: &mut Ctx<'_>, _area: Rect) {}
