//! Polar area charts (Chart.js polarArea): equal angles, value as radius.

use crate::layout::Ctx;
use kurbo::Rect;

/// Draws a polar chart in `area`.
pub(in crate::layout) fn draw(_ctx: &mut Ctx<'_>, _area: Rect) {}
