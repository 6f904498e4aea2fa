//! The validated chart model that layout consumes: plain data, no JSON left in it.

use super::distribution::{Samples, Summary};
use super::point::{BulletPoint, DataPoint};
use super::series_style::SeriesStyle;
use super::tick_format::TickFormat;
use super::{ChartType, Labels};
use peniko::Color;

/// A validated chart request.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSpec {
    /// What kind of chart to draw.
    pub chart_type: ChartType,
    /// Category labels (`data.labels`); may be empty (scatter, or indices are used).
    pub labels: Labels,
    /// At least one dataset.
    pub datasets: Vec<Dataset>,
    /// Size, theme, format and text options.
    pub options: ChartOptions,
    /// Keys that were ignored and other non-fatal notes, for the API's `warnings`.
    pub warnings: Vec<SpecWarning>,
}

/// One series of values.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Series name for the legend and tooltips.
    pub label: Option<String>,
    /// The values; numbers, gaps, or `{x, y}` points.
    pub data: Vec<DataPoint>,
    /// The targets and bands of bullet rows, which [`DataPoint::Bullet`]s point into (kept
    /// apart so a data point stays small and plain: a long series is copied and freed as
    /// memory, with no per-point destructor).
    pub bullets: Vec<BulletPoint>,
    /// The summaries of a box plot's or violin's categories, which [`DataPoint::Summary`]s
    /// point into (`None` for other datasets).
    pub samples: Option<Box<Samples>>,
    /// Fill colour: one for the series, or one per point (cycled when shorter).
    pub background_color: Option<ColorSpec>,
    /// Line/outline colour: one for the series, or one per point.
    pub border_color: Option<ColorSpec>,
    /// Outline or line width in px (0–50).
    pub border_width: Option<f64>,
    /// Chart.js `fill`: shade the area under a line (`true`, `"origin"`, `"start"`, `"end"` → on).
    pub fill: Option<bool>,
    /// The other Chart.js per-dataset options.
    pub style: SeriesStyle,
}

impl Dataset {
    /// The full bullet row of point `p` (its target and bands), if it is one.
    pub fn bullet(&self, p: &DataPoint) -> Option<&BulletPoint> {
        match *p {
            DataPoint::Bullet { row, .. } => self.bullets.get(row as usize),
            _ => None,
        }
    }

    /// The summary of point `p`, if it is a box plot's or violin's category.
    pub fn summary(&self, p: &DataPoint) -> Option<&Summary> {
        match *p {
            DataPoint::Summary { row, .. } => self.samples.as_ref()?.summaries.get(row as usize),
            _ => None,
        }
    }

    /// The lowest and highest value point `p` reaches, when that is more than its value (a
    /// floating bar's start, a box plot's whiskers and outliers).
    pub fn reach(&self, p: &DataPoint) -> Option<(f64, f64)> {
        match *p {
            DataPoint::Range { lo, hi } => Some((lo.min(hi), lo.max(hi))),
            DataPoint::Summary { .. } => self.summary(p).map(Summary::extent),
            _ => None,
        }
    }

    /// The `(x, y)` of every point where both are finite (a scatter's drawable points).
    pub fn finite_xy(&self) -> Vec<(f64, f64)> {
        self.data
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.xy(i))
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect()
    }
}

/// One axis's Chart.js options (`options.scales`, v2 and v3 spellings).
#[derive(Clone, Debug, PartialEq)]
pub struct AxisOptions {
    /// `min`: the axis starts here.
    pub min: Option<f64>,
    /// `max`: the axis ends here.
    pub max: Option<f64>,
    /// `beginAtZero`: include zero.
    pub begin_at_zero: bool,
    /// `stacked`: stack the datasets along this axis.
    pub stacked: bool,
    /// `ticks.stepSize`: distance between ticks.
    pub step: Option<f64>,
    /// `title.text` / `scaleLabel.labelString`, when displayed.
    pub title: Option<String>,
    /// `grid.display` / `gridLines.display`; `None` = the chart type's default.
    pub grid: Option<bool>,
    /// `type`: how values map to positions; `None` = the chart type's default.
    pub kind: Option<AxisKind>,
    /// `position`: the side the axis is drawn on; `None` = the default side.
    pub position: Option<Side>,
    /// `ticks.format`: how tick (and data-label) numbers read.
    pub format: TickFormat,
    /// `ticks.display` (and `display`): draw the tick labels.
    pub ticks: bool,
    /// `reverse` (v2 `ticks.reverse`): values run the other way (top to bottom, right to left).
    pub reverse: bool,
    /// `suggestedMin` (v2 `ticks.suggestedMin`): the axis reaches at least down to this.
    pub suggested_min: Option<f64>,
    /// `suggestedMax` (v2 `ticks.suggestedMax`): the axis reaches at least up to this.
    pub suggested_max: Option<f64>,
    /// `grace`: room added beyond the data at both ends (zero kept with `beginAtZero`).
    pub grace: Option<Grace>,
    /// `ticks.maxTicksLimit`: at most this many ticks.
    pub max_ticks: Option<usize>,
    /// `grid.drawOnChartArea` (v2 `gridLines.drawOnChartArea`): gridlines across the plot.
    pub grid_on_chart: bool,
    /// `ticks.color` (v2 `ticks.fontColor`): the tick labels' colour; `None` = the theme's.
    pub tick_color: Option<Color>,
    /// `time.unit` and `time.displayFormats` of a time axis.
    pub time: super::time::TimeOptions,
}

/// An axis `grace`: a number of axis units, or a share of the data's span (`"5%"`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Grace {
    /// This many axis units.
    Units(f64),
    /// This share of half the data's span, as Chart.js reads `"10%"` (0.1).
    Share(f64),
}

impl Default for AxisOptions {
    fn default() -> Self {
        AxisOptions {
            min: None,
            max: None,
            begin_at_zero: false,
            stacked: false,
            step: None,
            title: None,
            grid: None,
            kind: None,
            position: None,
            format: TickFormat::default(),
            ticks: true,
            reverse: false,
            suggested_min: None,
            suggested_max: None,
            grace: None,
            max_ticks: None,
            grid_on_chart: true,
            tick_color: None,
            time: super::time::TimeOptions::default(),
        }
    }
}

/// An axis `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AxisKind {
    /// Evenly spaced values (`linear`).
    Linear,
    /// Powers of ten evenly spaced (`logarithmic`); values ≤ 0 are not drawn.
    Logarithmic,
    /// One band per label (`category`).
    Category,
    /// Dates and times placed by their instant (`time`, `timeseries`).
    Time,
}

/// A side of the plot or canvas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Side {
    /// Above.
    #[default]
    Top,
    /// Below.
    Bottom,
    /// To the left.
    Left,
    /// To the right.
    Right,
}

impl Side {
    /// Every side with its wire name.
    pub const NAMES: [(&'static str, Side); 4] = [
        ("top", Side::Top),
        ("bottom", Side::Bottom),
        ("left", Side::Left),
        ("right", Side::Right),
    ];
}

/// Space between the canvas edge and the chart (`layout.padding`), in px; `None` = default.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Padding {
    /// Above.
    pub top: Option<f64>,
    /// Right.
    pub right: Option<f64>,
    /// Below.
    pub bottom: Option<f64>,
    /// Left.
    pub left: Option<f64>,
}

/// A donut hole (`cutout`, `cutoutPercentage`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cutout {
    /// A share of the outer radius, 0–0.95 (`"50%"`, `cutoutPercentage: 50`).
    Share(f64),
    /// A radius in px (`cutout: 40`).
    Px(f64),
}

/// Pie, donut and polar geometry (`cutout`, `rotation`, `circumference`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArcOptions {
    /// The hole in the middle; `None` = the type's default (none for pie, 60% for donut).
    pub cutout: Option<Cutout>,
    /// Where the first slice starts, in degrees clockwise from 12 o'clock.
    pub rotation: f64,
    /// The sweep of all slices together, in degrees (360 = full circle, 180 = a gauge).
    pub circumference: f64,
}

impl Default for ArcOptions {
    fn default() -> Self {
        ArcOptions {
            cutout: None,
            rotation: 0.0,
            circumference: 360.0,
        }
    }
}

/// A problem with a request that did not stop it: an ignored key, a clamped value.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SpecWarning {
    /// JSON pointer of the key or value.
    pub path: String,
    /// What was done about it.
    pub message: String,
}

/// A colour option: one colour, or one per point.
#[derive(Clone, Debug, PartialEq)]
pub enum ColorSpec {
    /// The same colour for every point.
    One(Color),
    /// One colour per point, cycled when there are fewer colours than points.
    PerPoint(Vec<Color>),
}

impl ColorSpec {
    /// The colour for point `index`.
    pub fn at(&self, index: usize) -> Option<Color> {
        match self {
            ColorSpec::One(c) => Some(*c),
            ColorSpec::PerPoint(v) if v.is_empty() => None,
            ColorSpec::PerPoint(v) => Some(v[index % v.len()]),
        }
    }

    /// The colour standing for the whole series (the first one).
    pub fn first(&self) -> Option<Color> {
        self.at(0)
    }
}

/// The three themes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ThemeName {
    /// Dark navy background, cyan accent (the default).
    #[default]
    Clovitek,
    /// Catppuccin Mocha.
    Dark,
    /// White background, Tableau-10 palette.
    Light,
}

impl ThemeName {
    /// Every theme.
    pub const ALL: [ThemeName; 3] = [ThemeName::Clovitek, ThemeName::Dark, ThemeName::Light];

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            ThemeName::Clovitek => "clovitek",
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<ThemeName> {
        ThemeName::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// Output image format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// PNG (the default).
    #[default]
    Png,
    /// WebP, lossless unless a quality is given.
    Webp,
    /// SVG, vector, drawn straight from the figure.
    Svg,
    /// PDF, vector (one page the chart's size in points), with embedded subset fonts.
    Pdf,
    /// JPEG at `quality` (default 90), over the background or white where transparent.
    Jpeg,
}

impl Format {
    /// The wire name and file extension.
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
            Format::Jpeg => "jpeg",
        }
    }

    /// Every format, in the order error messages list them.
    pub const ALL: [Format; 5] = [
        Format::Png,
        Format::Webp,
        Format::Svg,
        Format::Pdf,
        Format::Jpeg,
    ];

    /// Whether the format is drawn from the figure (vector) rather than from pixels.
    pub fn is_vector(self) -> bool {
        matches!(self, Format::Svg | Format::Pdf)
    }

    /// The format of a file extension or stored file name's extension (`jpg` and `jpeg` both
    /// mean JPEG); `None` for anything else.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "jpg" => Some(Format::Jpeg),
            other => Format::parse(other),
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Svg => "image/svg+xml",
            Format::Pdf => "application/pdf",
            Format::Jpeg => "image/jpeg",
        }
    }

    /// Parses a wire name (case-insensitive).
    pub fn parse(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            "svg" => Some(Format::Svg),
            "pdf" => Some(Format::Pdf),
            "jpeg" | "jpg" => Some(Format::Jpeg),
            _ => None,
        }
    }
}

/// How an SVG draws text (`options.svgText`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SvgText {
    /// Glyph outlines as paths, each glyph defined once and reused: identical to the PNG on
    /// every viewer, no font needed; plus an invisible text layer so the text stays selectable
    /// and searchable.
    #[default]
    Paths,
    /// Real `<text>` elements drawn with the used glyphs embedded as a subset web font.
    Text,
}

/// How WebP output is compressed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum WebpMode {
    /// Exact pixels (pure-Rust encoder; fast).
    #[default]
    Lossless,
    /// libwebp lossy at this quality (1–100): smaller, slower.
    Lossy(f32),
}

/// A requested category order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortOrder {
    /// Smallest first.
    Ascending,
    /// Largest first.
    Descending,
}

/// Who may see a stored chart (`options.visibility`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// In the gallery, reachable by anyone (the reference's behaviour).
    #[default]
    Public,
    /// Not in the gallery; reachable by anyone who has the id.
    Unlisted,
    /// Only the owner and admins; everyone else gets 404.
    Private,
}

impl Visibility {
    /// The wire and column name.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
        }
    }

    /// Parses a wire or column name.
    pub fn parse(s: &str) -> Option<Visibility> {
        [
            Visibility::Public,
            Visibility::Unlisted,
            Visibility::Private,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// How a line series with more points than pixel columns is thinned before drawing
/// (Chart.js `plugins.decimation`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Decimation {
    /// Each pixel column's first, lowest, highest and last point: looks exactly like the full
    /// series, every spike kept (always on, Chart.js `algorithm: "min-max"`).
    #[default]
    MinMax,
    /// Largest-Triangle-Three-Buckets (`enabled: true, algorithm: "lttb"`): series of more than
    /// `threshold` points become `samples` points chosen for the curve's shape.
    Lttb {
        /// Points kept; `None` = one per pixel column of the plot.
        samples: Option<u32>,
        /// Series of at most this many points are thinned the default (min-max) way instead;
        /// `None` = four per column.
        threshold: Option<u32>,
    },
}

/// Options of a chart request.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartOptions {
    /// Output width in px.
    pub width: u32,
    /// Output height in px.
    pub height: u32,
    /// Colour theme.
    pub theme: ThemeName,
    /// Output format.
    pub format: Format,
    /// WebP compression, used when `format` is WebP (`options.quality` selects lossy); for
    /// JPEG the same `quality` (default 90).
    pub webp: WebpMode,
    /// How SVG output draws text (`options.svgText`).
    pub svg_text: SvgText,
    /// Title text drawn above the plot.
    pub title: Option<String>,
    /// A second line under the title (the narrative, once the API fills it).
    pub subtitle: Option<String>,
    /// `font.family`: a CSS family list tried before Inter, falling back per glyph.
    pub font_family: Option<String>,
    /// Legend override: `None` means auto (several datasets, a labelled single one, pie/donut).
    pub legend: Option<bool>,
    /// Chart.js `indexAxis: "y"`: categories run down the side (horizontal bars, lollipops).
    pub horizontal: bool,
    /// Chart.js `type: "bubble"`: a scatter whose `{x, y, r}` points are circles of radius `r`.
    pub bubble: bool,
    /// `locale` (`de-DE`, `fr-FR`, `en-IN`, …): how the chart's numbers are written; `en-US`
    /// without it.
    pub locale: crate::numfmt::Locale,
    /// `sort`: order categories by value (lollipop, funnel), `None` keeps the given order.
    pub sort: Option<SortOrder>,
    /// The category (or horizontal value) axis: `options.scales.x` / `xAxes[0]`.
    pub x_axis: AxisOptions,
    /// The value axis: `options.scales.y` / `yAxes[0]`.
    pub y_axis: AxisOptions,
    /// The second value axis, on the right, for datasets with another `yAxisID`.
    pub y2_axis: AxisOptions,
    /// The radial axis of radar and polar charts: `options.scales.r` (v2 `options.scale`).
    pub r_axis: AxisOptions,
    /// Where the legend goes (`plugins.legend.position`); `None` = the type's default.
    pub legend_position: Option<Side>,
    /// `layout.padding`.
    pub padding: Padding,
    /// Pie, donut and polar geometry.
    pub arc: ArcOptions,
    /// Request-level `backgroundColor`: the canvas colour instead of the theme's.
    pub background: Option<peniko::Color>,
    /// `devicePixelRatio` (1–3): the same layout rendered this many times larger.
    pub pixel_ratio: f64,
    /// Values written on bars, slices and points (`plugins.datalabels.display`); `None` =
    /// the type's default (on for pie and donut).
    pub data_labels: Option<bool>,
    /// How the data labels look and where they go (`plugins.datalabels`); each dataset's own
    /// (`datasets[i].datalabels`) goes over it.
    pub label_style: super::label_style::LabelStyle,
    /// QuickChart's outside pie labels (`outlabeledPie`, `plugins.outlabels`).
    pub outlabels: Option<super::label_style::OutLabels>,
    /// Lines in a doughnut's hole instead of the total (`plugins.doughnutlabel.labels`).
    pub center_labels: Vec<super::label_style::CenterLabel>,
    /// A gauge's needle and value label (QuickChart's `gauge`, chartjs-gauge).
    pub needle: Option<super::gauge::Needle>,
    /// How long line series are thinned to the pixel grid (`plugins.decimation`).
    pub decimation: Decimation,
    /// Lines, boxes, points and labels over the plot (`plugins.annotation`).
    pub annotations: Vec<super::annotation::Annotation>,
    /// The reference's `ai_narrative` flag (used by the API, not by rendering).
    pub ai_narrative: bool,
    /// The reference's `ai_title` flag (used by the API, not by rendering).
    pub ai_title: bool,
    /// The reference's `base64` flag (used by the API, not by rendering).
    pub base64: bool,
    /// Who may see the stored chart (used by the API, not by rendering).
    pub visibility: Visibility,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            width: super::DEFAULT_WIDTH,
            height: super::DEFAULT_HEIGHT,
            theme: ThemeName::default(),
            format: Format::default(),
            webp: WebpMode::default(),
            svg_text: SvgText::default(),
            title: None,
            subtitle: None,
            font_family: None,
            legend: None,
            horizontal: false,
            bubble: false,
            locale: crate::numfmt::Locale::default(),
            sort: None,
            x_axis: AxisOptions::default(),
            y_axis: AxisOptions::default(),
            y2_axis: AxisOptions::default(),
            r_axis: AxisOptions::default(),
            legend_position: None,
            padding: Padding::default(),
            arc: ArcOptions::default(),
            background: None,
            pixel_ratio: 1.0,
            data_labels: None,
            label_style: super::label_style::LabelStyle::default(),
            outlabels: None,
            center_labels: Vec::new(),
            needle: None,
            decimation: Decimation::default(),
            annotations: Vec::new(),
            ai_narrative: false,
            ai_title: false,
            base64: false,
            visibility: Visibility::Public,
        }
    }
}
