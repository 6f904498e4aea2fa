//! Heat calendars: weeks as columns, weekdays as rows, a sequential colour scale.
//!
//! GitHub-style: one square per day, weeks run left to right and start on **Monday** (ISO 8601),
//! so rows are Monday (top) to Sunday (bottom). Values come from the first dataset, either as
//! `{date, value}` entries or as plain numbers whose `data.labels` are ISO dates (`YYYY-MM-DD`,
//! a longer ISO timestamp is cut to its date); labels that are not dates are skipped, and values
//! given twice for one day are added up. The calendar covers the whole months the data touches;
//! when that is more than [`MAX_WEEKS`] weeks, only the last 53 weeks (ending with the latest
//! date) are shown. Days without data are drawn in the grid colour; the others in one of five
//! steps from the theme's sequential low to high colour, from zero (or the lowest value, if
//! negative) to the highest.

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::scale::VALUE_LIMIT;
use crate::spec::DataPoint;
use crate::text::{Anchor, CAP_HEIGHT, Weight};
use chrono::{Datelike, Months, NaiveDate};
use kurbo::{Point, Rect, RoundedRect};
use peniko::Color;
use std::collections::BTreeMap;

/// Most weeks (columns) shown: a year, as on GitHub.
const MAX_WEEKS: i64 = 53;
/// Colour steps, including the lowest (zero) one.
const LEVELS: usize = 5;
/// Where each step sits between the sequential scale's ends; the first non-zero step starts
/// well away from the low end so that it reads as "some" next to an empty day.
const LEVEL_POSITIONS: [f32; LEVELS] = [0.0, 0.35, 0.57, 0.78, 1.0];
/// Largest cell pitch as a multiple of the tick font size: sparse data must not make giant tiles.
const MAX_PITCH_PER_TICK: f64 = 2.8;
/// Month names as labelled above the columns.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// Weekday rows that get a label (Monday = row 0).
const WEEKDAY_LABELS: [(i64, &str); 3] = [(0, "Mon"), (2, "Wed"), (4, "Fri")];

/// The days a calendar shows, as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    /// The Monday of the first column.
    start: i64,
    /// First day drawn (on or after `start`).
    first: i64,
    /// Last day drawn.
    last: i64,
}

impl Span {
    /// The calendar for data from `lo` to `hi` (inclusive): whole months, at most
    /// [`MAX_WEEKS`] columns, keeping the latest weeks.
    fn covering(lo: i64, hi: i64) -> Span {
        let (lo, hi) = (lo.min(hi), lo.max(hi));
        let first = month_start(lo);
        let month_last = month_end(hi);
        let last = if weeks(first, month_last) <= MAX_WEEKS {
            month_last
        } else {
            hi
        };
        let earliest = monday(last) - (MAX_WEEKS - 1) * 7;
        let first = first.max(earliest);
        Span {
            start: monday(first),
            first,
            last,
        }
    }

    /// The month a column belongs to: the one holding most of its days (its Thursday, clipped
    /// to the span), as ISO weeks do.
    fn column_month(&self, col: i64) -> Option<NaiveDate> {
        let thursday = self.start + col * 7 + 3;
        date(thursday.clamp(self.first, self.last))
    }

    /// The columns where a month begins, with a date in that month: the first column, and each
    /// column whose month differs from the one before.
    fn month_starts(&self) -> Vec<(i64, NaiveDate)> {
        let mut out: Vec<(i64, NaiveDate)> = Vec::new();
        for col in 0..self.weeks() {
            let Some(d) = self.column_month(col) else {
                continue;
            };
            let new = out
                .last()
                .is_none_or(|(_, p)| (p.year(), p.month()) != (d.year(), d.month()));
            if new {
                out.push((col, d));
            }
        }
        out
    }

    /// Number of columns.
    fn weeks(&self) -> i64 {
        weeks(self.start, self.last)
    }

    /// Column and row of `day`, or `None` outside the span.
    fn cell(&self, day: i64) -> Option<(i64, i64)> {
        (self.first..=self.last)
            .contains(&day)
            .then(|| ((day - self.start).div_euclid(7), weekday(day)))
    }
}

/// Monday-first weekday: 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// The Monday on or before `day`.
fn monday(day: i64) -> i64 {
    day - weekday(day)
}

/// Columns needed from the week of `from` to the week of `to`.
fn weeks(from: i64, to: i64) -> i64 {
    (monday(to) - monday(from)).div_euclid(7) + 1
}

fn date(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_epoch_days(i32::try_from(day).ok()?)
}

/// The first day of `day`'s month (`day` itself outside chrono's range).
fn month_start(day: i64) -> i64 {
    date(day)
        .and_then(|d| d.with_day(1))
        .map_or(day, |d| i64::from(d.to_epoch_days()))
}

/// The last day of `day`'s month (`day` itself outside chrono's range).
fn month_end(day: i64) -> i64 {
    date(day)
        .and_then(|d| d.with_day(1))
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .map_or(day, |d| i64::from(d.to_epoch_days()) - 1)
}

/// An ISO date label (`2026-03-14`, or the date part of `2026-03-14T09:30:00Z`) as a day number.
fn parse_day(label: &str) -> Option<i64> {
    let t = label.trim();
    let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let d = parse(t).or_else(|| t.get(..10).and_then(parse))?;
    Some(i64::from(d.to_epoch_days()))
}

/// The first dataset's values by day, duplicates added up.
fn values_by_day(ctx: &Ctx<'_>) -> BTreeMap<i64, f64> {
    let mut out = BTreeMap::new();
    let Some(ds) = ctx.spec.datasets.first() else {
        return out;
    };
    for (i, p) in ds.data.iter().enumerate() {
        let entry = match *p {
            DataPoint::Dated { day, value } => Some((i64::from(day), value)),
            DataPoint::Value(v) => ctx.spec.labels.get(i).and_then(parse_day).map(|d| (d, v)),
            _ => None,
        };
        if let Some((day, v)) = entry {
            let sum: &mut f64 = out.entry(day).or_default();
            // Clamped on the way in and out, a sum of up to 2M values stays finite.
            *sum = (*sum + v.clamp(-VALUE_LIMIT, VALUE_LIMIT)).clamp(-VALUE_LIMIT, VALUE_LIMIT);
        }
    }
    out
}

/// The colour step (0..LEVELS) of `v` on a scale from `lo` to `hi`: the floor is step 0, any
/// value above it at least step 1.
fn level(v: f64, lo: f64, hi: f64) -> usize {
    let t = (v - lo) / (hi - lo);
    if !(hi > lo && t.is_finite()) || v <= lo {
        return if hi > lo || v <= 0.0 { 0 } else { LEVELS - 1 };
    }
    let steps = (LEVELS - 1) as f64;
    ((t * steps).ceil() as usize).clamp(1, LEVELS - 1)
}

/// The colour of each step between the sequential scale's ends.
fn level_colors(ctx: &Ctx<'_>) -> [Color; LEVELS] {
    LEVEL_POSITIONS.map(|t| crate::layout::color::sequential(&ctx.theme, t))
}

/// Where the cells go: the grid's top-left corner, the distance between cells and their size.
struct Grid {
    x0: f64,
    y0: f64,
    pitch: f64,
    cell: f64,
    gap: f64,
    cols: f64,
}

impl Grid {
    /// The cell in column `col`, row `row`.
    fn cell_rect(&self, col: i64, row: i64) -> Rect {
        let x = self.x0 + col as f64 * self.pitch;
        let y = self.y0 + row as f64 * self.pitch;
        Rect::new(x, y, x + self.cell, y + self.cell)
    }

    /// Width of all columns, without the gap after the last.
    fn width(&self) -> f64 {
        self.cols * self.pitch - self.gap
    }

    /// Height of the seven rows, without the gap after the last.
    fn height(&self) -> f64 {
        7.0 * self.pitch - self.gap
    }
}

/// Sizes of the text around the grid, all from the tick font size.
struct TextMetrics {
    size: f32,
    tick: f64,
    cap: f64,
    gap: f64,
}

/// Draws a heatcalendar chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let values = values_by_day(ctx);
    let (Some((&lo_day, _)), Some((&hi_day, _))) =
        (values.first_key_value(), values.last_key_value())
    else {
        ctx.no_data(area.center());
        return;
    };
    let span = Span::covering(lo_day, hi_day);
    let s = f64::from(ctx.m.scale);
    let tick = f64::from(ctx.m.tick);
    let text = TextMetrics {
        size: ctx.m.tick,
        tick,
        cap: tick * f64::from(CAP_HEIGHT),
        gap: 6.0 * s,
    };
    let colors = level_colors(ctx);
    let key_w = |ctx: &mut Ctx<'_>, cell: f64, gap: f64| {
        let words: f64 = ["Less", "More"]
            .iter()
            .map(|w| f64::from(ctx.shaper.measure(w, text.size, Weight::Regular)))
            .sum();
        words + 2.0 * text.gap + LEVELS as f64 * (cell.min(tick) + gap) - gap
    };

    // With labels: weekday gutter on the left, months on top, the key underneath.
    let cols = span.weeks().max(1) as f64;
    let gutter = WEEKDAY_LABELS
        .iter()
        .map(|(_, l)| f64::from(ctx.shaper.measure(l, text.size, Weight::Regular)))
        .fold(0.0, f64::max)
        + text.gap;
    let month_h = tick * 1.5;
    let key_h = tick * 1.1 + 8.0 * s;
    let max_pitch = tick * MAX_PITCH_PER_TICK;
    let fit = |w: f64, h: f64| (w / cols).min(h / 7.0).min(max_pitch).max(0.0);
    let labelled = fit(area.width() - gutter, area.height() - month_h - key_h);
    // Labels need about a text line per two rows; without room for that, only the cells.
    let with_labels = labelled * 2.0 >= tick * 1.1;
    let (pitch, gutter, month_h, key_h) = if with_labels {
        (labelled, gutter, month_h, key_h)
    } else {
        (fit(area.width(), area.height()), 0.0, 0.0, 0.0)
    };
    let gap = (2.0 * s).min(pitch * 0.2);
    let cell = (pitch - gap).max(0.5);
    let key_w = if with_labels {
        key_w(ctx, cell, gap)
    } else {
        0.0
    };
    let mut grid = Grid {
        x0: 0.0,
        y0: 0.0,
        pitch,
        cell,
        gap,
        cols,
    };
    let block_w = gutter + grid.width().max(key_w);
    let block_h = month_h + grid.height() + key_h;
    grid.x0 = area.x0 + ((area.width() - block_w) / 2.0).max(0.0) + gutter;
    grid.y0 = area.y0 + ((area.height() - block_h) / 2.0).max(0.0) + month_h;

    let (lo, hi) = values
        .values()
        .fold((0.0f64, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let radius = (cell * 0.2).min(3.0 * s);
    for day in span.first..=span.last {
        let Some((col, row)) = span.cell(day) else {
            continue;
        };
        let color = match values.get(&day) {
            Some(&v) => colors[level(v, lo, hi)],
            None => ctx.theme.grid,
        };
        let r = RoundedRect::from_rect(grid.cell_rect(col, row), radius);
        ctx.fig.fill(Shape::RoundedRect(r), color);
    }
    if with_labels {
        draw_weekdays(ctx, &grid, &text);
        draw_months(ctx, &grid, &text, &span, area.x1);
        let key_right = grid.x0 + grid.width().max(key_w);
        let key_top = grid.y0 + grid.height() + 8.0 * s;
        draw_key(ctx, &grid, &text, &colors, Point::new(key_right, key_top));
    }
}

/// "Mon", "Wed" and "Fri" left of their rows.
fn draw_weekdays(ctx: &mut Ctx<'_>, grid: &Grid, text: &TextMetrics) {
    let color = ctx.theme.label;
    for (row, name) in WEEKDAY_LABELS {
        let y = grid.cell_rect(0, row).center().y + text.cap / 2.0;
        let at = Point::new(grid.x0 - text.gap, y);
        ctx.label(name, text.size, Weight::Regular, color, at, Anchor::End);
    }
}

/// Month names over the first column of each month, with the year on the first label and on
/// each January where it fits; a label that would run into the next is left out.
fn draw_months(ctx: &mut Ctx<'_>, grid: &Grid, text: &TextMetrics, span: &Span, right: f64) {
    let color = ctx.theme.label;
    let baseline = grid.y0 - text.tick * 0.45;
    let marks = span.month_starts();
    let x_of = |col: i64| grid.x0 + col as f64 * grid.pitch;
    let mut taken = f64::NEG_INFINITY;
    for (k, &(col, d)) in marks.iter().enumerate() {
        let x = x_of(col);
        let next = marks
            .get(k + 1)
            .map_or(right, |&(c, _)| (x_of(c) - text.gap).min(right));
        let month = MONTHS.get(d.month0() as usize).copied().unwrap_or_default();
        let mut candidates = vec![month.to_owned()];
        if k == 0 || d.month0() == 0 {
            candidates.insert(0, format!("{month} {}", d.year()));
        }
        for label in candidates {
            let w = f64::from(ctx.shaper.measure(&label, text.size, Weight::Regular));
            if x >= taken && x + w <= next {
                let at = Point::new(x, baseline);
                ctx.label(&label, text.size, Weight::Regular, color, at, Anchor::Start);
                taken = x + w + text.gap;
                break;
            }
        }
    }
}

/// The "Less ▢▢▢▢▢ More" key, its right end and top at `corner`.
fn draw_key(ctx: &mut Ctx<'_>, grid: &Grid, text: &TextMetrics, colors: &[Color], corner: Point) {
    let color = ctx.theme.label;
    let side = grid.cell.min(text.tick);
    let radius = side * 0.2;
    let baseline = corner.y + side / 2.0 + text.cap / 2.0;
    let more = ctx.label(
        "More",
        text.size,
        Weight::Regular,
        color,
        Point::new(corner.x, baseline),
        Anchor::End,
    );
    let mut x = corner.x - more - text.gap - side;
    for &swatch in colors.iter().rev() {
        let r = Rect::new(x, corner.y, x + side, corner.y + side);
        ctx.fig.fill(
            Shape::RoundedRect(RoundedRect::from_rect(r, radius)),
            swatch,
        );
        x -= side + grid.gap;
    }
    let at = Point::new(x + side + grid.gap - text.gap, baseline);
    ctx.label("Less", text.size, Weight::Regular, color, at, Anchor::End);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i64 {
        parse_day(s).unwrap()
    }

    #[test]
    fn weekdays_are_monday_first() {
        assert_eq!(weekday(0), 3, "1970-01-01 was a Thursday");
        assert_eq!(weekday(day("2026-01-05")), 0, "a Monday");
        assert_eq!(weekday(day("2026-01-04")), 6, "a Sunday");
        assert_eq!(weekday(-1), 2, "1969-12-31 was a Wednesday");
        assert_eq!(monday(day("2026-01-01")), day("2025-12-29"));
    }

    #[test]
    fn dates_land_in_week_columns_and_weekday_rows() {
        let span = Span::covering(day("2026-01-05"), day("2026-02-03"));
        // Whole months: 1 Jan (a Thursday) to 28 Feb, first column starting Monday 29 Dec.
        assert_eq!(span.first, day("2026-01-01"));
        assert_eq!(span.last, day("2026-02-28"));
        assert_eq!(span.start, day("2025-12-29"));
        assert_eq!(span.cell(day("2026-01-01")), Some((0, 3)));
        assert_eq!(span.cell(day("2026-01-04")), Some((0, 6)));
        assert_eq!(span.cell(day("2026-01-05")), Some((1, 0)));
        assert_eq!(span.cell(day("2026-02-28")), Some((8, 5)));
        assert_eq!(span.cell(day("2025-12-31")), None, "before the first month");
        assert_eq!(span.weeks(), 9);
    }

    #[test]
    fn a_full_year_fits_and_longer_keeps_the_last_53_weeks() {
        let year = Span::covering(day("2025-01-01"), day("2025-12-31"));
        assert_eq!(year.weeks(), 53);
        assert_eq!(
            (year.first, year.last),
            (day("2025-01-01"), day("2025-12-31"))
        );
        let long = Span::covering(day("2023-03-10"), day("2025-06-18"));
        assert_eq!(long.weeks(), MAX_WEEKS);
        assert_eq!(long.last, day("2025-06-18"));
        assert_eq!(long.cell(long.last).map(|c| c.0), Some(MAX_WEEKS - 1));
        assert_eq!(weekday(long.first), 0);
    }

    #[test]
    fn months_start_where_most_of_a_week_is_theirs() {
        let year = Span::covering(day("2025-01-01"), day("2025-12-31"));
        let marks = year.month_starts();
        assert_eq!(marks.len(), 12);
        // 1 Feb 2025 is a Saturday: February's label goes over the week starting Monday 3 Feb.
        let feb = marks.get(1).map(|(c, _)| *c);
        assert_eq!(feb, year.cell(day("2025-02-03")).map(|c| c.0));
        // 1 Oct 2025 is a Wednesday: October's label goes over that week.
        let oct = marks.get(9).map(|(c, _)| *c);
        assert_eq!(oct, year.cell(day("2025-10-01")).map(|c| c.0));
        assert_eq!(marks.first().map(|(c, d)| (*c, d.month())), Some((0, 1)));
    }

    #[test]
    fn labels_parse_as_dates_or_are_skipped() {
        assert_eq!(parse_day("1970-01-02"), Some(1));
        assert_eq!(parse_day(" 2026-03-14T09:30:00Z "), Some(day("2026-03-14")));
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("March"), None);
        assert_eq!(parse_day("é"), None);
    }

    #[test]
    fn levels_run_from_zero_to_the_top() {
        assert_eq!(level(0.0, 0.0, 12.0), 0);
        assert_eq!(level(1.0, 0.0, 12.0), 1);
        assert_eq!(level(6.0, 0.0, 12.0), 2);
        assert_eq!(level(12.0, 0.0, 12.0), 4);
        assert_eq!(level(0.0, 0.0, 0.0), 0, "all zero");
        assert_eq!(level(-5.0, -5.0, 5.0), 0);
        assert_eq!(level(VALUE_LIMIT, -VALUE_LIMIT, VALUE_LIMIT), 4);
    }

    #[test]
    fn extreme_days_do_not_panic() {
        let span = Span::covering(i64::from(i32::MIN), i64::from(i32::MAX));
        assert!(span.weeks() <= MAX_WEEKS);
        assert_eq!(month_start(i64::from(i32::MAX)), i64::from(i32::MAX));
    }
}
