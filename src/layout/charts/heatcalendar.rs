//! Heat calendars: weeks as columns, weekdays as rows, a sequential colour scale.

use crate::layout::Ctx;
use kurbo::Rect;

/// Draws a heatcalendar chart in `area`.
pub(in crate::layout) fn draw(_ctx: &mut Ctx<'_>, _area: Rect) {}
