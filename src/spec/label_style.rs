//! How values are written on the marks: chartjs-plugin-datalabels' styling (`anchor`, `align`,
//! `offset`, `color`, `font`, `backgroundColor`, `borderColor`, `borderWidth`, `borderRadius`,
//! `padding`, `display`) and a declarative `format` (what a recognised `formatter` becomes),
//! given for the chart (`options.plugins.datalabels`) and per dataset (`datasets[i].datalabels`).

use super::tick_format::TickFormat;
use peniko::Color;

/// Where on its mark a label is pinned (`anchor`): the middle, the base (`start`) or the tip
/// (`end`) of a bar; the centre or the edge of a point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LabelAnchor {
    /// The middle of the mark (the plugin's default).
    #[default]
    Center,
    /// The bar's base, or the point's edge nearer the axis.
    Start,
    /// The bar's tip, or the point's edge away from the axis.
    End,
}

/// Which way from its anchor a label goes (`align`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum LabelAlign {
    /// Centred on the anchor (the plugin's default).
    #[default]
    Center,
    /// Back along the mark, towards its base.
    Start,
    /// On along the mark, away from its base.
    End,
    /// A fixed direction in degrees, clockwise from the right (`right` 0, `bottom` 90, `left`
    /// 180, `top` 270, or a number).
    Degrees(f64),
}

/// A label colour: a CSS colour, or the dataset's own fill or border colour (`"dataset.
/// backgroundColor"`, what the common `ctx => ctx.dataset.backgroundColor` function returns).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LabelPaint {
    /// This colour.
    Color(Color),
    /// The dataset's (or the bar's) fill colour.
    DatasetFill,
    /// The dataset's border colour.
    DatasetBorder,
}

impl LabelPaint {
    /// The colour, with the mark's `fill` and `border` colours for the dataset's own.
    pub fn resolve(self, fill: Color, border: Color) -> Color {
        match self {
            LabelPaint::Color(c) => c,
            LabelPaint::DatasetFill => fill,
            LabelPaint::DatasetBorder => border,
        }
    }
}

/// Data-label styling; every field `None` takes the default (from the chart's style, for a
/// dataset's, then the plugin's).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelStyle {
    /// `display`: whether the labels are drawn.
    pub display: Option<bool>,
    /// `anchor`.
    pub anchor: Option<LabelAnchor>,
    /// `align`.
    pub align: Option<LabelAlign>,
    /// `offset`: px between the anchor and the label's box along `align` (default 4).
    pub offset: Option<f64>,
    /// `color` of the text.
    pub color: Option<LabelPaint>,
    /// `font.size` in px.
    pub size: Option<f32>,
    /// `font.weight` of `bold` or 600 and up.
    pub bold: Option<bool>,
    /// `backgroundColor` of the label's box.
    pub background: Option<LabelPaint>,
    /// `borderColor` of the box.
    pub border_color: Option<LabelPaint>,
    /// `borderWidth` of the box in px.
    pub border_width: Option<f64>,
    /// `borderRadius` of the box in px.
    pub border_radius: Option<f64>,
    /// `padding` inside the box: top, right, bottom, left in px (default 4 each).
    pub padding: Option<[f64; 4]>,
    /// How the value is written (`format`, or a recognised `formatter`).
    pub format: Option<TickFormat>,
}

impl LabelStyle {
    /// This style with every field `over` gives taken from `over` (a dataset's over the chart's).
    pub fn merged(&self, over: &LabelStyle) -> LabelStyle {
        LabelStyle {
            display: over.display.or(self.display),
            anchor: over.anchor.or(self.anchor),
            align: over.align.or(self.align),
            offset: over.offset.or(self.offset),
            color: over.color.or(self.color),
            size: over.size.or(self.size),
            bold: over.bold.or(self.bold),
            background: over.background.or(self.background),
            border_color: over.border_color.or(self.border_color),
            border_width: over.border_width.or(self.border_width),
            border_radius: over.border_radius.or(self.border_radius),
            padding: over.padding.or(self.padding),
            format: over.format.clone().or_else(|| self.format.clone()),
        }
    }

    /// Whether the client placed the labels (`anchor` or `align`): then they go where the
    /// plugin puts them; otherwise where the chart type puts values.
    pub fn placed(&self) -> bool {
        self.anchor.is_some() || self.align.is_some()
    }
}

/// QuickChart's outside labels on pies and doughnuts (chartjs-plugin-piechart-outlabels, on
/// for `outlabeledPie` / `outlabeledDoughnut` or with `plugins.outlabels`): every slice's label
/// in a box of the slice's colour, out on a line from its edge.
#[derive(Clone, Debug, PartialEq)]
pub struct OutLabels {
    /// `text`: `%l` the label, `%p` the percentage, `%v` the value (default `%l %p`).
    pub text: String,
    /// `color` of the text (default white).
    pub color: Option<Color>,
    /// `font.size` (or `font.maxSize`) in px.
    pub size: Option<f32>,
    /// `stretch`: px from the slice's edge to the box (default 40).
    pub stretch: f64,
    /// `percentPrecision`: decimals of `%p` (default 1).
    pub percent_decimals: u8,
    /// `valuePrecision`: decimals of `%v` (default 0).
    pub value_decimals: u8,
}

impl Default for OutLabels {
    fn default() -> Self {
        OutLabels {
            text: "%l %p".to_owned(),
            color: None,
            size: None,
            stretch: 40.0,
            percent_decimals: 1,
            value_decimals: 0,
        }
    }
}

impl OutLabels {
    /// The text of a slice labelled `label` holding `value`, a `share` of the whole.
    pub fn text_for(&self, label: &str, value: f64, share: f64) -> String {
        let pct = format!("{:.*}%", usize::from(self.percent_decimals), share * 100.0);
        let val = format!("{:.*}", usize::from(self.value_decimals), value);
        self.text
            .replace("%l", label)
            .replace("%p", &pct)
            .replace("%v", &val)
    }
}

/// One line of text in a doughnut's hole (chartjs-plugin-doughnutlabel's `labels`, which
/// QuickChart ships), drawn there instead of the total.
#[derive(Clone, Debug, PartialEq)]
pub struct CenterLabel {
    /// `text` (a `\n` in it starts another line).
    pub text: String,
    /// `font.size` in px; `None` = the tick size.
    pub size: Option<f32>,
    /// `font.size: "fit"`: sized to the hole (a radial gauge's value, 0.32 × the hole's radius
    /// as chartjs-chart-radial-gauge sizes it), over `size`.
    pub fit: bool,
    /// `font.weight` of `bold` or 600 and up.
    pub bold: bool,
    /// `color`; `None` = the theme's title colour.
    pub color: Option<Color>,
}
