//! Funnel charts: stages as centred bars of decreasing width with conversion rates.

use crate::layout::Ctx;
use kurbo::Rect;

/// Draws a funnel chart in `area`.
pub(in crate::layout) fn draw(_ctx: &mut Ctx<'_>, _area: Rect) {}
