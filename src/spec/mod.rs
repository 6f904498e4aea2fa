//! The chart spec: JSON bytes → a validated [`ChartSpec`].
//!
//! Parsing happens in two steps, as style.md asks: the request body is read as loose JSON,
//! then the validator ([`from_value`]) walks it and builds the model, collecting *every* problem with its JSON
//! pointer at once. The model types here are plain data; layout never sees raw JSON.

mod chart_type;
mod error;
mod fast;
mod model;
pub mod time;
mod validate;

pub use chart_type::ChartType;
pub use error::{ErrorCode, SpecError, SpecErrors};
pub use fast::FAST_PATH_MIN_BYTES;
pub use model::{
    ArcOptions, AxisKind, AxisOptions, BulletPoint, ChartOptions, ChartSpec, ColorSpec, Cutout,
    DataPoint, Dataset, Decimation, Format, MAX_BULLET_RANGES, Padding, PointStyle, SeriesStyle,
    Side, SortOrder, SpecWarning, ThemeName, TickFormat, Visibility, WebpMode,
};
pub use validate::budget;
pub use validate::{PIXEL_RATIO_RANGE, from_value, json_kind, parse_json, parse_spec};

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
