//! The spec's limits: default and largest sizes, dataset and point counts, and the error for a
//! chart past the points limit (raised by both the fast path and the validator).

use super::{ErrorCode, SpecError};
use crate::numfmt::group_thousands;

/// Default output width in pixels, as in the reference.
pub const DEFAULT_WIDTH: u32 = 800;
/// Default output height in pixels, as in the reference.
pub const DEFAULT_HEIGHT: u32 = 500;
/// Largest accepted width; the reference caps at 2400.
pub const MAX_WIDTH: u32 = 2400;
/// Largest accepted height; the reference caps at 1600.
pub const MAX_HEIGHT: u32 = 1600;
/// Largest accepted pixel count (w×h), the reference's `CHART_TOO_LARGE` bound.
pub const MAX_PIXELS: u64 = 3_840_000;
/// Smallest accepted side: below this nothing readable fits (a 200×50 sparkline is the floor).
pub const MIN_SIDE: u32 = 16;
/// Most datasets in one chart; more is never readable and only costs memory.
pub const MAX_DATASETS: usize = 256;
/// Most points across all datasets of one chart: lines and scatters are reduced to the pixel
/// grid, so more would only cost parse time and memory (~24 bytes a point) for the same picture.
/// Over HTTP, `MAX_BODY_BYTES` may bite first.
pub const MAX_POINTS: usize = 10_000_000;

/// The error for a chart with `total` points, more than [`MAX_POINTS`].
pub(crate) fn too_many_points(total: usize) -> SpecError {
    SpecError::new(
        ErrorCode::ValidationError,
        "/data/datasets",
        format!(
            "{} data points in all is more than the limit of {} per chart",
            group_thousands(&total.to_string()),
            group_thousands(&MAX_POINTS.to_string())
        ),
    )
    .with_hint(
        "aggregate or sample the series before sending it: the chart has fewer pixels than that",
    )
}
