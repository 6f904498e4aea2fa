//! Radar charts: datasets as translucent polygons on radial axes.

use crate::layout::Ctx;
use kurbo::Rect;

/// Draws a radar chart in `area`.
pub(in crate::layout) fn draw(_ctx: &mut Ctx<'_>, _area: Rect) {}
