//! Bullet charts: qualitative bands, the value as a bar, the target as a marker.

use crate::layout::Ctx;
use kurbo::Rect;

/// Draws a bullet chart in `area`.
pub(in crate::layout) fn draw(_ctx: &mut Ctx<'_>, _area: Rect) {}
