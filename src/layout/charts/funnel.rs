//! Funnel charts: stages as centred bars of decreasing width, top to bottom, each named with its
//! value and its conversion from the previous stage and from the first.

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::color::blend;
use crate::layout::color::text_on;
use crate::layout::scale::format_compact;
use crate::spec::{ColorSpec, SortOrder};
use crate::text::{ASCENT, Anchor, CAP_HEIGHT, DESCENT, Weight};
use kurbo::{BezPath, Point, Rect, RoundedRect};
use peniko::Color;

/// Share of a stage's row its bar fills; the rest is the gap to the next stage.
const BAR_SHARE: f64 = 0.8;
/// How far the last stage's colour is blended toward the background (the first is not).
const FADE: f32 = 0.4;
/// Opacity of the band joining one stage to the next.
const NECK_ALPHA: f32 = 0.2;
/// Tallest stage row in px at scale 1: a lone stage is a bar, not a wall.
const MAX_ROW: f64 = 110.0;
/// Largest stage gap in px at scale 1: more looks like separate bars, not a funnel.
const MAX_GAP: f64 = 10.0;

/// One stage as drawn.
#[derive(Clone, Debug, PartialEq)]
struct Stage {
    /// Index of the stage's label and data point.
    index: usize,
    value: f64,
    /// `value` as a share of the stage above (absent on the first stage).
    of_previous: Option<f64>,
    /// `value` as a share of the first stage (absent on the first two, where it repeats).
    of_first: Option<f64>,
}

/// `a / b` when that is a meaningful share: neither negative, `b` above zero, the result finite.
fn share(a: f64, b: f64) -> Option<f64> {
    let r = a / b;
    (a >= 0.0 && b > 0.0 && r.is_finite()).then_some(r)
}

/// The stages of `values` (`None` entries are left out), in the requested order, with their
/// conversion rates.
fn stages(values: &[Option<f64>], sort: Option<SortOrder>) -> Vec<Stage> {
    let mut present: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| Some((i, (*v)?)))
        .collect();
    match sort {
        Some(SortOrder::Ascending) => present.sort_by(|a, b| a.1.total_cmp(&b.1)),
        Some(SortOrder::Descending) => present.sort_by(|a, b| b.1.total_cmp(&a.1)),
        None => {}
    }
    let first = present.first().map(|p| p.1);
    let mut prev: Option<f64> = None;
    let mut out = Vec::with_capacity(present.len());
    for (k, &(index, value)) in present.iter().enumerate() {
        out.push(Stage {
            index,
            value,
            of_previous: prev.and_then(|p| share(value, p)),
            of_first: first.filter(|_| k >= 2).and_then(|f| share(value, f)),
        });
        prev = Some(value);
    }
    out
}

/// A share as a percentage: `42%`, `6.4%`, `<0.1%`, `1.2k%`.
fn percent(r: f64) -> String {
    let p = r * 100.0;
    let body = if p == 0.0 {
        "0".to_owned()
    } else if p.abs() < 0.1 {
        return if p > 0.0 { "<0.1%" } else { "\u{2212}<0.1%" }.to_owned();
    } else if p.abs() < 9.95 {
        let s = format!("{:.1}", p.abs());
        let s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
        if p < 0.0 { format!("\u{2212}{s}") } else { s }
    } else if p.abs() < 1000.0 {
        format_compact(p.round())
    } else {
        format_compact(p)
    };
    format!("{body}%")
}

/// The conversion line of a stage: "42% of previous · 21% of first".
fn conversion_text(stage: &Stage) -> Option<String> {
    let parts: Vec<String> = [
        stage
            .of_previous
            .map(|r| format!("{} of previous", percent(r))),
        stage.of_first.map(|r| format!("{} of first", percent(r))),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(" \u{00b7} "))
}

/// How much of a stage's text is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Detail {
    /// Name and value, conversion on a second line.
    TwoLines,
    /// Name, value and conversion on one line.
    OneLine,
    /// Name and value only.
    Short,
}

impl Detail {
    /// This detail and the lesser ones to fall back on, in order.
    fn and_less(self) -> &'static [Detail] {
        match self {
            Detail::TwoLines => &[Detail::TwoLines, Detail::OneLine, Detail::Short],
            Detail::OneLine => &[Detail::OneLine, Detail::Short],
            Detail::Short => &[Detail::Short],
        }
    }
}

/// One run of a stage's text.
struct Piece {
    text: String,
    size: f32,
    weight: Weight,
    /// Drawn in the quieter colour (conversion rates).
    soft: bool,
}

/// The text of a stage as lines of pieces: the name and value first (the name is the piece
/// that gets ellipsized), then the conversion, inline or on a second line.
fn stage_lines(ctx: &Ctx<'_>, stage: &Stage, detail: Detail) -> Vec<Vec<Piece>> {
    let (big, small) = (ctx.m.legend, ctx.m.tick);
    let piece = |text: String, size, weight, soft| Piece {
        text,
        size,
        weight,
        soft,
    };
    let name = ctx.spec.labels.get_or_empty(stage.index).to_owned();
    let mut first = vec![
        piece(name, big, Weight::Medium, false),
        // Two spaces: the value reads as belonging to the name, yet apart from it.
        piece(
            format!("  {}", format_compact(stage.value)),
            big,
            Weight::SemiBold,
            false,
        ),
    ];
    let conversion = conversion_text(stage);
    match (detail, conversion) {
        (Detail::TwoLines, Some(c)) => vec![first, vec![piece(c, small, Weight::Regular, true)]],
        (Detail::OneLine, Some(c)) => {
            first.push(piece(
                format!("  \u{00b7}  {c}"),
                small,
                Weight::Regular,
                true,
            ));
            vec![first]
        }
        _ => vec![first],
    }
}

/// Height of the first line (capitals and digits) and of each further line.
fn line_metrics(ctx: &Ctx<'_>) -> (f64, f64) {
    (
        f64::from(ctx.m.legend * CAP_HEIGHT),
        f64::from(ctx.m.tick) * 1.35,
    )
}

/// Height a stage's text needs at `detail`, ascenders and descenders included.
fn text_height(ctx: &Ctx<'_>, detail: Detail) -> f64 {
    let first = f64::from(ctx.m.legend * (ASCENT + DESCENT));
    match detail {
        Detail::TwoLines => first + line_metrics(ctx).1,
        Detail::OneLine | Detail::Short => first,
    }
}

fn line_width(ctx: &mut Ctx<'_>, line: &[Piece]) -> f64 {
    line.iter()
        .map(|p| f64::from(ctx.shaper.measure(&p.text, p.size, p.weight)))
        .sum()
}

/// Draws a funnel chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let Some(ds) = ctx.spec.datasets.first() else {
        return;
    };
    let values: Vec<Option<f64>> = ds.data.iter().map(|p| p.y()).collect();
    let per_stage_colors = matches!(ds.background_color, Some(ColorSpec::PerPoint(_)));
    let stages = stages(&values, ctx.spec.options.sort);
    if stages.is_empty() {
        return;
    }
    let n = stages.len();
    let s = f64::from(ctx.m.scale);
    let row = (area.height() / n as f64).min(MAX_ROW * s);
    let gap = (row * (1.0 - BAR_SHARE)).min(MAX_GAP * s);
    let bar_h = (row - gap).max(0.5);
    // Few stages: the funnel keeps its proportions and sits in the middle.
    let top = area.y0 + (area.height() - row * n as f64 + gap).max(0.0) / 2.0;
    let widest = stages.iter().map(|st| st.value).fold(0.0_f64, f64::max);
    let base = ctx.series_color(0);
    let cx = area.center().x;

    let bars: Vec<(Rect, Color)> = stages
        .iter()
        .enumerate()
        .map(|(k, st)| {
            let frac = share(st.value.max(0.0), widest).unwrap_or(0.0).min(1.0);
            let w = (area.width() * frac).max(2.0 * s).min(area.width());
            let y0 = top + row * k as f64;
            let rect = Rect::new(cx - w / 2.0, y0, cx + w / 2.0, y0 + bar_h);
            let color = match (&ds.background_color, per_stage_colors) {
                (Some(c), true) => c.at(st.index).unwrap_or(base),
                _ => {
                    let t = if n > 1 {
                        FADE * k as f32 / (n - 1) as f32
                    } else {
                        0.0
                    };
                    blend(base, ctx.theme.background, t)
                }
            };
            (rect, color)
        })
        .collect();

    // The neck between stages: a faint trapezoid from each bar's bottom to the next bar's top.
    if gap >= 2.0 * s {
        for pair in bars.windows(2) {
            let [(a, color), (b, _)] = pair else { continue };
            let mut neck = BezPath::new();
            neck.move_to((a.x0, a.y1));
            neck.line_to((a.x1, a.y1));
            neck.line_to((b.x1, b.y0));
            neck.line_to((b.x0, b.y0));
            neck.close_path();
            ctx.fig
                .fill(Shape::Path(neck), color.multiply_alpha(NECK_ALPHA));
        }
    }
    let radius = (2.0 * s).min(bar_h / 2.0);
    for (rect, color) in &bars {
        let r = radius.min(rect.width() / 2.0);
        ctx.fig
            .fill(Shape::RoundedRect(RoundedRect::from_rect(*rect, r)), *color);
    }

    draw_text(ctx, area, &stages, &bars, row);
}

/// Names, values and conversion rates: inside a bar where they fit, else to its right.
fn draw_text(ctx: &mut Ctx<'_>, area: Rect, stages: &[Stage], bars: &[(Rect, Color)], row: f64) {
    let bar_h = bars.first().map_or(0.0, |(r, _)| r.height());
    // One level of detail for every stage, so the rows read alike.
    let detail = [Detail::TwoLines, Detail::OneLine]
        .into_iter()
        .find(|d| text_height(ctx, *d) <= bar_h)
        .unwrap_or(Detail::Short);
    // Too many stages for a line each: label every k-th.
    let every = (text_height(ctx, Detail::Short) / row.max(0.01))
        .ceil()
        .max(1.0) as usize;
    let s = f64::from(ctx.m.scale);
    let (pad, gap) = (10.0 * s, 8.0 * s);
    for (stage, (bar, fill)) in stages.iter().zip(bars).step_by(every) {
        let beside = (area.x1 - bar.x1 - gap).max(0.0);
        let mut chosen = None;
        for &d in detail.and_less() {
            let lines = stage_lines(ctx, stage, d);
            let width = lines.iter().map(|l| line_width(ctx, l)).fold(0.0, f64::max);
            if width + 2.0 * pad <= bar.width() {
                chosen = Some((lines, Placement::Inside(text_on(*fill))));
                break;
            }
            if width <= beside {
                chosen = Some((lines, Placement::Beside(gap)));
                break;
            }
        }
        // Nothing fits: the name and value beside the bar, the name shortened.
        let (lines, placement) = chosen.unwrap_or_else(|| {
            (
                stage_lines(ctx, stage, Detail::Short),
                Placement::Beside(gap),
            )
        });
        let max_width = match placement {
            Placement::Inside(_) => f64::INFINITY,
            Placement::Beside(_) => beside,
        };
        draw_lines(ctx, &lines, *bar, placement, max_width);
    }
}

/// Where a stage's text goes.
#[derive(Clone, Copy)]
enum Placement {
    /// Each line centred in the bar, in this colour.
    Inside(Color),
    /// Left-aligned this far right of the bar.
    Beside(f64),
}

/// Draws `lines` as a block centred on the bar's middle; a line wider than `max_width` has its
/// first piece (the name) ellipsized.
fn draw_lines(
    ctx: &mut Ctx<'_>,
    lines: &[Vec<Piece>],
    bar: Rect,
    placement: Placement,
    max_width: f64,
) {
    let (strong, soft) = match placement {
        Placement::Inside(c) => (c, c.multiply_alpha(0.82)),
        Placement::Beside(_) => (ctx.theme.title, ctx.theme.label),
    };
    let (cap, further) = line_metrics(ctx);
    let block = cap + further * lines.len().saturating_sub(1) as f64;
    let mut baseline = bar.center().y - block / 2.0 + cap;
    for line in lines {
        let rest: f64 = line_width(ctx, line.get(1..).unwrap_or_default());
        let shaped: Vec<_> = line
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let room = if k == 0 {
                    (max_width - rest).max(0.0)
                } else {
                    f64::INFINITY
                };
                ctx.shaper.fit(&p.text, p.size, p.weight, room as f32)
            })
            .collect();
        let width: f64 = shaped.iter().map(|t| f64::from(t.width)).sum();
        let mut x = match placement {
            Placement::Inside(_) => bar.center().x - width / 2.0,
            Placement::Beside(gap) => bar.x1 + gap,
        };
        for (piece, text) in line.iter().zip(&shaped) {
            let at = Point::new(x, baseline);
            let transform = crate::text::placement(text, at, Anchor::Start, 0.0);
            ctx.fig
                .text(text, transform, if piece.soft { soft } else { strong });
            x += f64::from(text.width);
        }
        baseline += further;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_from_previous_and_first() {
        let s = stages(
            &[Some(10000.0), Some(4200.0), Some(2100.0), Some(640.0)],
            None,
        );
        assert_eq!(s[0].of_previous, None);
        assert_eq!(s[1].of_previous, Some(0.42));
        assert_eq!(
            s[1].of_first, None,
            "the first share would repeat the previous one"
        );
        assert_eq!(s[2].of_previous, Some(0.5));
        assert_eq!(s[2].of_first, Some(0.21));
        assert_eq!(conversion_text(&s[0]), None);
        assert_eq!(conversion_text(&s[1]).as_deref(), Some("42% of previous"));
        assert_eq!(
            conversion_text(&s[3]).as_deref(),
            Some("30% of previous \u{00b7} 6.4% of first")
        );
    }

    #[test]
    fn gaps_are_skipped_and_sort_orders_stages() {
        let v = [Some(5.0), None, Some(9.0), Some(1.0)];
        let s = stages(&v, Some(SortOrder::Descending));
        let order: Vec<usize> = s.iter().map(|s| s.index).collect();
        assert_eq!(order, [2, 0, 3]);
        assert_eq!(s[1].of_previous, Some(5.0 / 9.0));
        let s = stages(&v, Some(SortOrder::Ascending));
        let order: Vec<usize> = s.iter().map(|s| s.index).collect();
        assert_eq!(order, [3, 0, 2]);
    }

    #[test]
    fn shares_of_nothing_are_left_out() {
        let s = stages(&[Some(0.0), Some(5.0), Some(-3.0)], None);
        assert_eq!(s[1].of_previous, None);
        assert_eq!(s[2].of_previous, None, "a negative stage converts nothing");
        let s = stages(&[Some(f64::MIN_POSITIVE), Some(f64::MAX)], None);
        assert_eq!(s[1].of_previous, None, "an infinite share is no share");
    }

    #[test]
    fn percentages_read_well() {
        assert_eq!(percent(0.42), "42%");
        assert_eq!(percent(0.064), "6.4%");
        assert_eq!(percent(0.05), "5%");
        assert_eq!(percent(0.0004), "<0.1%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.2), "120%");
        assert_eq!(percent(25.0), "2.5k%");
        assert_eq!(percent(-0.6), "\u{2212}60%");
    }
}
