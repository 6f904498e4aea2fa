//! Lollipop charts: a stem and a dot per category, vertical or horizontal.

use crate::layout::Ctx;
use kurbo::Rect;

/// Draws a lollipop chart in `area`.
pub(in crate::layout) fn draw(_ctx: &mut Ctx<'_>, _area: Rect) {}
