//! The chart spec: JSON bytes → a validated [`ChartSpec`].
//!
//! Parsing happens in two steps: the request body is read as loose JSON,
//! then the validator ([`from_value`]) walks it and builds the model, collecting *every* problem with its JSON
//! pointer at once. The model types here are plain data; layout never sees raw JSON.

pub mod annotation;
mod chart_type;
pub mod distribution;
mod error;
mod fast;
pub mod gauge;
pub mod label_style;
mod labels;
mod limits;
mod model;
mod point;
mod series_style;
mod tick_format;
pub mod time;
mod validate;
mod wire;

pub use chart_type::ChartType;
pub use distribution::{Samples, SamplesLook};
pub use error::{ErrorCode, SpecError, SpecErrors};
pub use fast::{FAST_PATH_MIN_BYTES, parse_spec};
pub use labels::{Iter as LabelIter, Labels};
pub use limits::{
    DEFAULT_HEIGHT, DEFAULT_WIDTH, MAX_DATASETS, MAX_HEIGHT, MAX_PIXELS, MAX_POINTS, MAX_WIDTH,
    MIN_SIDE,
};
pub use model::{
    ArcOptions, AxisKind, AxisOptions, ChartOptions, ChartSpec, ColorSpec, Cutout, Dataset,
    Decimation, Format, Grace, Padding, Side, SortOrder, SpecWarning, SvgText, ThemeName,
    Visibility, WebpMode,
};
pub use point::{BulletPoint, DataPoint, MAX_BULLET_RANGES};
pub use series_style::{FillTarget, PointStyle, SeriesStyle, Stepped};
pub use tick_format::TickFormat;
pub use validate::budget;
pub use validate::{PIXEL_RATIO_RANGE, from_value, json_kind, parse_json};
