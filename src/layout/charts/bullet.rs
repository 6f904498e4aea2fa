//! Bullet charts (Stephen Few's design): one row per label, with the qualitative ranges as grey
//! bands (darker for lower bands), the actual value as a thin bar and the target as a marker.
//!
//! Rows come from `{value, target, ranges}` points, or from datasets named for their role
//! (`value`/`actual`, `target`, `ranges`…). Rows of comparable size share one value axis along
//! the bottom; rows of very different size (revenue next to a margin) each get their own.

use super::cartesian;
use crate::figure::Shape;
use crate::layout::color::blend;
use crate::layout::scale::{LinearScale, format_compact};
use crate::layout::{Ctx, axis};
use crate::spec::{ChartSpec, ColorSpec, DataPoint};
use crate::text::{ASCENT, Anchor, CAP_HEIGHT, Weight};
use kurbo::{Line, Point, Rect, RoundedRect, RoundedRectRadii, Shape as _, Stroke};
use peniko::Color;

/// Dataset labels (case-insensitive) that hold the actual values.
const VALUE_NAMES: [&str; 4] = ["value", "values", "actual", "measure"];
/// Dataset labels (case-insensitive) that hold the targets.
const TARGET_NAMES: [&str; 3] = ["target", "targets", "goal"];
/// Dataset labels (case-insensitive) that hold a qualitative range limit, besides any label
/// starting with "range".
const RANGE_NAMES: [&str; 7] = [
    "poor",
    "bad",
    "fair",
    "ok",
    "satisfactory",
    "good",
    "excellent",
];
/// Rows share one axis when each spans at least this share of the widest; below it the smaller
/// rows would be unreadable slivers, so each row gets its own axis.
const SHARED_MIN_SHARE: f64 = 0.4;
/// Widest share of the canvas the row labels may take.
const MAX_LABEL_SHARE: f64 = 0.3;
/// Tallest range band in px at scale 1.
const MAX_BAND: f64 = 36.0;
/// Distance between tick labels of a row's own axis, in px at scale 1.
const ROW_TICK_SPACING: f64 = 90.0;
/// Value bar height as a share of the band (Few: about a third).
const BAR_SHARE: f64 = 0.34;
/// Target marker height as a share of the band.
const TARGET_SHARE: f64 = 0.72;
/// How strongly the darkest (lowest) and lightest range bands show against the background.
const BAND_STRENGTH: (f32, f32) = (0.36, 0.12);

/// What a dataset contributes to the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Value,
    Target,
    Range,
    Other,
}

fn role(label: Option<&str>) -> Role {
    let label = label.unwrap_or("").trim().to_ascii_lowercase();
    if VALUE_NAMES.contains(&label.as_str()) {
        Role::Value
    } else if TARGET_NAMES.contains(&label.as_str()) {
        Role::Target
    } else if label.starts_with("range") || RANGE_NAMES.contains(&label.as_str()) {
        Role::Range
    } else {
        Role::Other
    }
}

/// One bullet row's data.
#[derive(Clone, Debug, Default, PartialEq)]
struct Row {
    value: Option<f64>,
    target: Option<f64>,
    /// Band limits, ascending.
    ranges: Vec<f64>,
}

impl Row {
    /// `(min, max)` of everything in the row, zero included; `None` for an empty row.
    fn extent(&self) -> Option<(f64, f64)> {
        let all = self.value.iter().chain(&self.target).chain(&self.ranges);
        all.fold(None, |acc, &v| match acc {
            None => Some((v.min(0.0), v.max(0.0))),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
    }
}

/// The dataset holding the values: the one named for them, else the first that is neither a
/// target nor a range, else the first.
fn value_dataset(spec: &ChartSpec) -> usize {
    let roles: Vec<Role> = spec
        .datasets
        .iter()
        .map(|d| role(d.label.as_deref()))
        .collect();
    roles
        .iter()
        .position(|r| *r == Role::Value)
        .or_else(|| roles.iter().position(|r| *r == Role::Other))
        .unwrap_or(0)
}

/// The rows of `spec`, one per category.
fn rows(spec: &ChartSpec, n: usize) -> Vec<Row> {
    let main = value_dataset(spec);
    (0..n)
        .map(|i| {
            let mut row = Row::default();
            let point = |d: usize| spec.datasets.get(d).and_then(|d| d.data.get(i));
            let full = point(main).zip(spec.datasets.get(main));
            match full.and_then(|(p, ds)| ds.bullet(p)) {
                Some(b) => {
                    row.value = Some(b.value);
                    row.target = b.target;
                    row.ranges = b.ranges().to_vec();
                }
                None => row.value = point(main).and_then(DataPoint::y),
            }
            for (j, ds) in spec.datasets.iter().enumerate() {
                if j == main {
                    continue;
                }
                let v = point(j).and_then(|p| p.y());
                match (role(ds.label.as_deref()), v) {
                    (Role::Target, Some(v)) => row.target = Some(v),
                    (Role::Range, Some(v)) => row.ranges.push(v),
                    _ => {}
                }
            }
            row.ranges.sort_by(f64::total_cmp);
            row.ranges.dedup();
            row
        })
        .collect()
}

/// Whether the rows share one axis: when every row is big enough next to the biggest, or when
/// some row has no ranges (alone on its own axis, its bar would always fill the row).
fn shares_axis(rows: &[Row]) -> bool {
    if rows
        .iter()
        .any(|r| r.ranges.is_empty() && r.extent().is_some())
    {
        return true;
    }
    let spans: Vec<f64> = rows
        .iter()
        .filter_map(Row::extent)
        .map(|(lo, hi)| (hi - lo).min(f64::MAX))
        .collect();
    let widest = spans.iter().copied().fold(0.0, f64::max);
    widest <= 0.0 || spans.iter().all(|s| *s >= widest * SHARED_MIN_SHARE)
}

/// The colour of range band `k` of `count` (0 = the lowest, darkest).
fn band_color(ctx: &Ctx<'_>, k: usize, count: usize) -> Color {
    let (dark, light) = BAND_STRENGTH;
    let t = if count > 1 {
        dark + (light - dark) * k as f32 / (count - 1) as f32
    } else {
        (dark + light) / 2.0
    };
    blend(ctx.theme.background, ctx.theme.label, t)
}

/// Where the rows go: their vertical spacing and each row's scale.
struct RowLayout {
    /// Top of the first row.
    top: f64,
    /// Distance between row tops.
    pitch: f64,
    /// Height of a range band.
    band: f64,
    /// Room kept under each band for its own tick labels (zero with a shared axis).
    ticks: f64,
    /// One scale per row (the same one when the axis is shared).
    scales: Vec<LinearScale>,
}

impl RowLayout {
    /// The band of row `i` from `x0` to `x1`, centred in the space above its ticks.
    fn band(&self, i: usize, x0: f64, x1: f64) -> Rect {
        let mid = self.top + self.pitch * i as f64 + (self.pitch - self.ticks) / 2.0;
        Rect::new(x0, mid - self.band / 2.0, x1, mid + self.band / 2.0)
    }
}

/// Rows over one value axis along the bottom (or top) of `area`, drawn here with its gridlines.
fn shared_axis(ctx: &mut Ctx<'_>, rows: &[Row], area: Rect) -> RowLayout {
    let s = f64::from(ctx.m.scale);
    let band = axis::without_x_labels(ctx, area, axis::value_axis_x_height(ctx));
    let pitch = band.height() / rows.len().max(1) as f64;
    let (lo, hi) = rows
        .iter()
        .filter_map(Row::extent)
        .fold((0.0_f64, 0.0_f64), |(lo, hi), (a, b)| {
            (lo.min(a), hi.max(b))
        });
    let scale = axis::value_scale(ctx, lo, hi, area.x0, area.x1);
    let x1 = right_edge(ctx, std::slice::from_ref(&scale), area.x0, area.x1);
    let scale = scale.with_pixels(area.x0, x1);
    // The gridlines show between the rows; the bands cover them.
    axis::draw_value_axis_x(ctx, &scale, Rect::new(area.x0, band.y0, x1, band.y1));
    RowLayout {
        top: band.y0,
        pitch,
        band: (pitch * 0.62).min(MAX_BAND * s),
        ticks: 0.0,
        scales: vec![scale; rows.len()],
    }
}

/// Rows with a scale each, ticks under every band; `None` when the rows are too thin for it.
fn own_axes(ctx: &mut Ctx<'_>, rows: &[Row], area: Rect) -> Option<RowLayout> {
    let s = f64::from(ctx.m.scale);
    let ticks = 4.0 * s + f64::from(ctx.m.tick) * 1.25;
    let pitch = area.height() / rows.len().max(1) as f64;
    let band = ((pitch - ticks) * 0.7).min(MAX_BAND * s);
    if band < 10.0 * s {
        return None;
    }
    // Each row repeats its axis: fewer ticks than a lone axis keeps them quiet.
    let target = (area.width() / (ROW_TICK_SPACING * s))
        .round()
        .clamp(2.0, 6.0) as usize;
    let scales: Vec<LinearScale> = rows
        .iter()
        .map(|r| {
            let (lo, hi) = r.extent().unwrap_or((0.0, 1.0));
            LinearScale::nice(lo, hi, target, area.x0, area.x1)
        })
        .collect();
    let x1 = right_edge(ctx, &scales, area.x0, area.x1);
    Some(RowLayout {
        top: area.y0,
        pitch,
        band,
        ticks,
        scales: scales
            .into_iter()
            .map(|sc| sc.with_pixels(area.x0, x1))
            .collect(),
    })
}

/// Draws a bullet chart in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    let n = cartesian::category_count(ctx);
    let rows = rows(ctx.spec, n);
    let (names, notes) = row_texts(ctx, &rows);
    let column = label_column(ctx, &names, &notes).min(area.width() * MAX_LABEL_SHARE);
    let x0 = (area.x0 + column + axis::label_gap(ctx)).min(area.x1 - 1.0);
    let plot = Rect::new(x0, area.y0, area.x1, area.y1);
    let layout = if shares_axis(&rows) {
        None
    } else {
        own_axes(ctx, &rows, plot)
    };
    let layout = layout.unwrap_or_else(|| shared_axis(ctx, &rows, plot));

    let main = value_dataset(ctx.spec);
    let series = ctx.series_color(main);
    let own_colors = ctx
        .spec
        .datasets
        .get(main)
        .and_then(|d| d.background_color.as_ref())
        .filter(|c| matches!(c, ColorSpec::PerPoint(_)));
    for (i, (row, scale)) in rows.iter().zip(&layout.scales).enumerate() {
        let band = layout.band(i, scale.px(scale.min), scale.px(scale.max));
        let color = own_colors.and_then(|c| c.at(i)).unwrap_or(series);
        draw_row(ctx, row, scale, band, color);
        if layout.ticks > 0.0 {
            draw_row_ticks(ctx, scale, band);
        }
    }
    // Too many rows for a label each: label every k-th, and notes only where there is room.
    let line = f64::from(ctx.m.legend) * 1.3;
    let every = (line / layout.pitch.max(0.01)).ceil().max(1.0) as usize;
    let with_notes = layout.pitch - layout.ticks >= line + f64::from(ctx.m.tick) * 1.4;
    for i in (0..n).step_by(every) {
        let mid = layout.band(i, x0, x0).center().y;
        let note = notes[i].as_deref().filter(|_| with_notes);
        draw_row_label(ctx, &names[i], note, mid, x0, column);
    }
}

/// The x where the plot ends so the last tick label of every scale stays inside `x_max`.
fn right_edge(ctx: &mut Ctx<'_>, scales: &[LinearScale], x0: f64, x_max: f64) -> f64 {
    let size = ctx.m.tick;
    let last = scales
        .iter()
        .filter_map(|sc| sc.labels().last().cloned())
        .map(|l| f64::from(ctx.shaper.measure(&l, size, Weight::Regular)))
        .fold(0.0, f64::max);
    (x_max - last / 2.0).max(x0 + 1.0)
}

/// Each row's name, and a note with its value and target ("270 · target 250").
fn row_texts(ctx: &Ctx<'_>, rows: &[Row]) -> (Vec<String>, Vec<Option<String>>) {
    let names = (0..rows.len())
        .map(|i| ctx.spec.labels.get_or_empty(i).to_owned())
        .collect();
    let notes = rows
        .iter()
        .map(|r| match (r.value, r.target) {
            (Some(v), Some(t)) => Some(format!(
                "{} \u{00b7} target {}",
                format_compact(v),
                format_compact(t)
            )),
            (Some(v), None) => Some(format_compact(v)),
            (None, Some(t)) => Some(format!("target {}", format_compact(t))),
            (None, None) => None,
        })
        .collect();
    (names, notes)
}

/// Width of the widest row name or note.
fn label_column(ctx: &mut Ctx<'_>, names: &[String], notes: &[Option<String>]) -> f64 {
    let (big, small) = (ctx.m.legend, ctx.m.tick);
    let name = names
        .iter()
        .map(|l| f64::from(ctx.shaper.measure(l, big, Weight::Medium)))
        .fold(0.0, f64::max);
    let note = notes
        .iter()
        .flatten()
        .map(|l| f64::from(ctx.shaper.measure(l, small, Weight::Regular)))
        .fold(0.0, f64::max);
    name.max(note)
}

/// The range bands, the value bar and the target marker of one row.
fn draw_row(ctx: &mut Ctx<'_>, row: &Row, scale: &LinearScale, band: Rect, color: Color) {
    let s = f64::from(ctx.m.scale);
    let start = scale.px(scale.min);
    if row.ranges.is_empty() {
        // No ranges: a faint track shows the scale the bar is read against.
        let track = band_color(ctx, 1, 2);
        ctx.fig.fill(Shape::Rect(band), track);
    }
    // Largest band first; each smaller, darker one is painted over it from the start.
    let count = row.ranges.len();
    for (k, &limit) in row.ranges.iter().enumerate().rev() {
        let x = scale.px(limit);
        if x <= start {
            continue;
        }
        let rect = Rect::new(start, band.y0, x, band.y1);
        let c = band_color(ctx, k, count);
        ctx.fig.fill(Shape::Rect(rect), c);
    }
    let zero = scale.baseline_px();
    if scale.min < 0.0 {
        let xc = zero.floor() + 0.5;
        let axis_color = ctx.theme.axis;
        ctx.fig.stroke(
            Shape::Path(Line::new((xc, band.y0), (xc, band.y1)).to_path(0.1)),
            axis_color,
            Stroke::new(s.max(1.0)),
        );
    }
    if let Some(v) = row.value {
        let h = (band.height() * BAR_SHARE).max(1.0);
        let x = scale.px(v);
        let (x0, x1) = (zero.min(x), zero.max(x).max(zero.min(x) + 1.0));
        let y = band.center().y;
        let rect = Rect::new(x0, y - h / 2.0, x1, y + h / 2.0);
        let r = (2.0 * s).min(rect.width() / 2.0).min(h / 2.0);
        let radii = if v >= 0.0 {
            RoundedRectRadii::new(0.0, r, r, 0.0)
        } else {
            RoundedRectRadii::new(r, 0.0, 0.0, r)
        };
        ctx.fig.fill(
            Shape::RoundedRect(RoundedRect::from_rect(rect, radii)),
            color,
        );
    }
    if let Some(t) = row.target {
        let w = (2.5 * s).max(1.5);
        let h = band.height() * TARGET_SHARE;
        let x = scale.px(t);
        let y = band.center().y;
        let marker = Rect::new(x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0);
        let c = ctx.theme.title;
        ctx.fig.fill(Shape::Rect(marker), c);
    }
}

/// Tick labels under one row's band, for rows with their own scale.
fn draw_row_ticks(ctx: &mut Ctx<'_>, scale: &LinearScale, band: Rect) {
    let size = ctx.m.tick;
    let s = f64::from(ctx.m.scale);
    let baseline = band.y1 + 4.0 * s + f64::from(size * ASCENT);
    let color = ctx.theme.label;
    for (&tick, label) in scale.ticks.iter().zip(scale.labels()) {
        let x = scale.px(tick);
        ctx.label(
            &label,
            size,
            Weight::Regular,
            color,
            Point::new(x, baseline),
            Anchor::Middle,
        );
    }
}

/// The row name right-aligned left of the plot, centred on `mid`, with its note under it.
fn draw_row_label(
    ctx: &mut Ctx<'_>,
    name: &str,
    note: Option<&str>,
    mid: f64,
    x0: f64,
    column: f64,
) {
    let (big, small) = (ctx.m.legend, ctx.m.tick);
    let right = x0 - axis::label_gap(ctx);
    let cap = f64::from(big * CAP_HEIGHT);
    let note_line = f64::from(small) * 1.4;
    let block = cap + if note.is_some() { note_line } else { 0.0 };
    let baseline = mid - block / 2.0 + cap;
    let shaped = ctx.shaper.fit(name, big, Weight::Medium, column as f32);
    let t = crate::text::placement(&shaped, Point::new(right, baseline), Anchor::End, 0.0);
    let title = ctx.theme.title;
    ctx.fig.text(&shaped, t, title);
    if let Some(note) = note {
        let shaped = ctx.shaper.fit(note, small, Weight::Regular, column as f32);
        let at = Point::new(right, baseline + note_line);
        let t = crate::text::placement(&shaped, at, Anchor::End, 0.0);
        let label = ctx.theme.label;
        ctx.fig.text(&shaped, t, label);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: serde_json::Value) -> ChartSpec {
        crate::spec::from_value(&json).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn rows_from_bullet_points() {
        let s = spec(serde_json::json!({
            "type": "bullet",
            "data": { "labels": ["a", "b"], "datasets": [{ "data": [
                { "value": 270, "target": 250, "ranges": [300, 150, 225] },
                { "value": 22 }
            ] }] }
        }));
        let r = rows(&s, 2);
        assert_eq!(r[0].value, Some(270.0));
        assert_eq!(r[0].target, Some(250.0));
        assert_eq!(r[0].ranges, [150.0, 225.0, 300.0], "ranges are sorted");
        assert_eq!(
            r[1],
            Row {
                value: Some(22.0),
                ..Row::default()
            }
        );
        assert_eq!(r[0].extent(), Some((0.0, 300.0)));
    }

    #[test]
    fn rows_from_named_datasets() {
        let s = spec(serde_json::json!({
            "type": "bullet",
            "data": { "labels": ["a", "b"], "datasets": [
                { "label": "Target", "data": [80, 90] },
                { "label": "Range 2", "data": [100, 100] },
                { "label": "Actual", "data": [75, null] },
                { "label": "poor", "data": [50, 60] }
            ] }
        }));
        assert_eq!(value_dataset(&s), 2);
        let r = rows(&s, 2);
        assert_eq!(r[0].value, Some(75.0));
        assert_eq!(r[0].target, Some(80.0));
        assert_eq!(r[0].ranges, [50.0, 100.0]);
        assert_eq!(r[1].value, None);
        assert_eq!(r[1].target, Some(90.0));
    }

    #[test]
    fn unnamed_values_and_axis_sharing() {
        let s = spec(serde_json::json!({
            "type": "bullet",
            "data": { "labels": ["a"], "datasets": [
                { "label": "target", "data": [5] },
                { "label": "Sales", "data": [4] }
            ] }
        }));
        assert_eq!(value_dataset(&s), 1);
        let row = |v: f64| Row {
            value: Some(v),
            target: None,
            ranges: vec![v * 1.2],
        };
        assert!(!shares_axis(&[row(2500.0), row(30.0)]));
        assert!(shares_axis(&[row(2500.0), row(1800.0), Row::default()]));
        let bare = Row {
            value: Some(30.0),
            ..Row::default()
        };
        assert!(
            shares_axis(&[row(2500.0), bare]),
            "a row without ranges needs context"
        );
    }
}
