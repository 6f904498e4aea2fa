//! A stored chart's row and the gallery query over rows.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::spec::{ChartType, Format, ThemeName, Visibility};

/// Largest gallery page; a larger `limit` is clamped, not refused.
pub const MAX_GALLERY_PAGE: u32 = 100;

/// One stored chart (the reference's metadata fields plus owner/size).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChartRecord {
    /// The chart's id, also the stem of its file names.
    pub id: Uuid,
    /// Chart type (stored and serialised as its wire name, e.g. `"bar"`).
    pub chart_type: ChartType,
    /// Theme the chart was rendered with.
    pub theme: ThemeName,
    /// Image format; its name is the file extension: `png`, `webp`, `svg`, `pdf` or `jpeg`.
    pub format: Format,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Chart title, if any.
    pub title: Option<String>,
    /// Generated narrative describing the chart, if any.
    pub narrative: Option<String>,
    /// Time spent rendering and encoding, in milliseconds.
    pub render_ms: u64,
    /// Creation time; stored with millisecond precision.
    pub created_at: DateTime<Utc>,
    /// Owning user id; `None` for anonymous or internal charts.
    pub owner: Option<String>,
    /// Image size in bytes.
    pub size_bytes: u64,
    /// Who may see it: the gallery lists only `public` charts.
    #[serde(default)]
    pub visibility: Visibility,
}

impl ChartRecord {
    /// The image file name, `<uuid>.<format>`.
    pub fn image_name(&self) -> String {
        format!("{}.{}", self.id.hyphenated(), self.format.name())
    }

    /// The metadata file name, `<uuid>.json`.
    pub fn metadata_name(&self) -> String {
        format!("{}.json", self.id.hyphenated())
    }
}

/// Gallery query: newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GalleryQuery {
    /// Page size; clamped to `1..=MAX_GALLERY_PAGE`.
    pub limit: u32,
    /// Number of charts to skip.
    pub offset: u32,
    /// Only charts of this type, if set (applies to the total as well).
    pub chart_type: Option<ChartType>,
    /// `None`: the public gallery (only `public` charts); `Some(user)`: that owner's charts,
    /// whatever their visibility.
    pub owner: Option<String>,
}

impl GalleryQuery {
    /// The page size every index uses: `limit` clamped to `1..=MAX_GALLERY_PAGE`.
    pub fn page_limit(&self) -> u32 {
        self.limit.clamp(1, MAX_GALLERY_PAGE)
    }
}
