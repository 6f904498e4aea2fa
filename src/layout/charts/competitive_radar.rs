//! Competitive radar: one polygon per competitor, the first emphasised, legend always shown.

use crate::layout::Ctx;
use kurbo::Rect;

/// Draws a competitive radar chart in `area`.
pub(in crate::layout) fn draw(_ctx: &mut Ctx<'_>, _area: Rect) {}
