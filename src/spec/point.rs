//! One data value of a series ([`DataPoint`], kept at 24 bytes for 10-million-point series)
//! and the bullet-chart rows some of them point to.

/// One data value: 24 bytes and `Copy` (a bullet row's target and bands live in its dataset's
/// [`Dataset::bullets`](super::Dataset::bullets)), so a 10-million-point series stays compact and cheap to free.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DataPoint {
    /// `null`: no value here (a gap in a line).
    Missing,
    /// A plain number, placed at its label's index.
    Value(f64),
    /// An `{x, y}` point.
    Point {
        /// Horizontal value.
        x: f64,
        /// Vertical value.
        y: f64,
    },
    /// A `{date: "YYYY-MM-DD", value}` entry (heat calendars).
    Dated {
        /// Days since 1970-01-01.
        day: i32,
        /// The value on that day.
        value: f64,
    },
    /// A `{value, target?, ranges?}` row (bullet charts).
    Bullet {
        /// The actual value (the bar).
        value: f64,
        /// Its row in the dataset's [`Dataset::bullets`](super::Dataset::bullets).
        row: u32,
    },
    /// A bubble `{x, y, r}`: a point with its radius in px at a pixel ratio of 1 (Chart.js
    /// bubble charts; other charts draw it as a point).
    Bubble {
        /// Horizontal value.
        x: f64,
        /// Vertical value.
        y: f64,
        /// Radius in px.
        r: f32,
    },
    /// A box plot's or violin's category (an array of samples): its median, and its row in
    /// the dataset's [`Dataset::samples`](super::Dataset::samples) summaries.
    Summary {
        /// The median (its value for lines, labels and the narrative).
        median: f64,
        /// Its row in the dataset's summaries.
        row: u32,
    },
    /// A floating bar `[start, end]` (Chart.js): drawn from `lo` to `hi`, in the order given.
    Range {
        /// Where the bar starts.
        lo: f64,
        /// Where it ends (its value for lines, labels and the narrative).
        hi: f64,
    },
}

// Long series are vectors of these: keep them at two words and a tag.
const _: () = assert!(std::mem::size_of::<DataPoint>() == 24);

/// Most qualitative ranges a bullet row may have (poor / fair / good / … bands).
pub const MAX_BULLET_RANGES: usize = 5;

/// One bullet-chart row: the measure, its target and the qualitative band limits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BulletPoint {
    /// The actual value (the bar).
    pub value: f64,
    /// The target (the marker), if any.
    pub target: Option<f64>,
    ranges: [f64; MAX_BULLET_RANGES],
    range_count: u8,
}

impl BulletPoint {
    /// A row; `ranges` beyond [`MAX_BULLET_RANGES`] are dropped (validation refuses them first).
    pub fn new(value: f64, target: Option<f64>, ranges: &[f64]) -> BulletPoint {
        let mut stored = [0.0; MAX_BULLET_RANGES];
        let n = ranges.len().min(MAX_BULLET_RANGES);
        stored[..n].copy_from_slice(&ranges[..n]);
        BulletPoint {
            value,
            target,
            ranges: stored,
            range_count: n as u8,
        }
    }

    /// The band limits, in the order given.
    pub fn ranges(&self) -> &[f64] {
        &self.ranges[..usize::from(self.range_count)]
    }
}

impl DataPoint {
    /// The vertical value, if any.
    pub fn y(&self) -> Option<f64> {
        match *self {
            DataPoint::Missing => None,
            DataPoint::Value(v) => Some(v),
            DataPoint::Point { y, .. } | DataPoint::Bubble { y, .. } => Some(y),
            DataPoint::Dated { value, .. } => Some(value),
            DataPoint::Bullet { value, .. } => Some(value),
            DataPoint::Summary { median, .. } => Some(median),
            DataPoint::Range { hi, .. } => Some(hi),
        }
    }

    /// A bubble's radius in px, if this is one.
    pub fn radius(&self) -> Option<f32> {
        match *self {
            DataPoint::Bubble { r, .. } => Some(r),
            _ => None,
        }
    }

    /// A floating bar's start, which scales must also reach.
    pub fn start(&self) -> Option<f64> {
        match *self {
            DataPoint::Range { lo, .. } => Some(lo),
            _ => None,
        }
    }

    /// The point as `(x, y)`, using `index` as x for plain numbers.
    pub fn xy(&self, index: usize) -> Option<(f64, f64)> {
        match *self {
            DataPoint::Missing => None,
            DataPoint::Value(v) => Some((index as f64, v)),
            DataPoint::Point { x, y } | DataPoint::Bubble { x, y, .. } => Some((x, y)),
            DataPoint::Dated { day, value } => Some((f64::from(day), value)),
            DataPoint::Bullet { value, .. } => Some((index as f64, value)),
            DataPoint::Summary { median, .. } => Some((index as f64, median)),
            DataPoint::Range { hi, .. } => Some((index as f64, hi)),
        }
    }
}
