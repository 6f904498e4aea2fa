//! Pie and donut charts: slices of the first dataset, clockwise from 12 o'clock; several
//! datasets draw concentric rings, the first outermost (as Chart.js does).

use crate::figure::Shape;
use crate::layout::Ctx;
use crate::layout::color::text_on;
use crate::layout::scale::format_compact;
use crate::spec::{ChartType, Cutout};
use crate::text::{Anchor, CAP_HEIGHT, Weight};
use kurbo::{BezPath, Circle, CircleSegment, Point, Rect, Shape as _, Stroke};
use peniko::Color;
use std::f64::consts::{FRAC_PI_2, TAU};

/// Inner radius of a donut as a share of the outer.
const DONUT_HOLE: f64 = 0.6;
/// Slices smaller than this share get their label outside, on a leader line.
const OUTSIDE_LABEL_SHARE: f64 = 0.05;
/// Slices smaller than this share get no label at all.
const MIN_LABELLED_SHARE: f64 = 0.005;
/// Most outside labels (the largest small slices win).
const MAX_OUTSIDE_LABELS: usize = 12;
/// Slices whose outer arc is shorter than this many px are merged with their neighbours.
const MIN_SLICE_PX: f64 = 0.75;

/// The colour of slice `i`: the dataset's own, else the palette's.
pub(in crate::layout) fn slice_color(ctx: &Ctx<'_>, i: usize) -> Color {
    ctx.spec
        .datasets
        .first()
        .and_then(|d| d.background_color.as_ref())
        .and_then(|c| c.at(i))
        .unwrap_or_else(|| ctx.theme.series_color(i))
}

/// Draws a pie or donut in `area`.
pub(in crate::layout) fn draw(ctx: &mut Ctx<'_>, area: Rect) {
    if ctx.spec.datasets.iter().filter(|d| !d.style.hidden).count() > 1 {
        draw_rings(ctx, area);
        return;
    }
    let values: Vec<f64> = ctx
        .spec
        .datasets
        .first()
        .map(|d| {
            d.data
                .iter()
                .map(|p| p.y().map_or(0.0, |v| v.abs().min(1e300)))
                .collect()
        })
        .unwrap_or_default();
    let total: f64 = values.iter().sum();
    let donut = ctx.spec.chart_type == ChartType::Donut;
    let arc = ctx.spec.options.arc;
    let tick = ctx.m.tick as f64;
    let has_small = values
        .iter()
        .any(|&v| v > 0.0 && total > 0.0 && v / total < OUTSIDE_LABEL_SHARE);
    let outlabels = ctx.spec.options.outlabels.clone();
    // With outside labels (QuickChart) the values inside are off unless asked for.
    let show_labels = ctx.spec.options.data_labels.unwrap_or(outlabels.is_none());
    let margin = if let Some(o) = &outlabels {
        super::outlabels::margin(ctx, o, &values)
    } else if has_small && show_labels {
        tick * 3.2
    } else {
        2.0
    };
    // `rotation` turns the start clockwise from 12 o'clock; `circumference` < 360 draws part of
    // a circle (180 = a gauge), fitted to the area by the bounds of the arc actually drawn.
    let start = -FRAC_PI_2 + arc.rotation.to_radians();
    let circumference = arc.circumference.to_radians().clamp(1e-3, TAU);
    let (center, radius) = fit_arc(area, margin, start, circumference);
    let inner = hole_radius(ctx, radius);
    let bg = ctx.theme.background;
    let separator = Stroke::new(2.0 * ctx.m.scale as f64);

    if !(total > 0.0 && total.is_finite()) {
        let ring = CircleSegment::new(center, radius, inner, start, circumference);
        let grid = ctx.theme.grid;
        ctx.fig.fill(Shape::Path(ring.to_path(0.1)), grid);
        ctx.no_data(center);
        return;
    }

    let mut angle = start;
    let mut slices = Vec::new();
    // Slices are parted by a line in the background colour, unless `borderWidth` is 0.
    let separated =
        values.len() > 1 && ctx.spec.datasets.first().and_then(|d| d.border_width) != Some(0.0);
    // Runs of slices thinner than a pixel are drawn as one wedge (in the first one's colour):
    // they cannot be told apart anyway, and 100k separate wedges would cost seconds.
    let mut sliver: Option<(f64, f64, Color)> = None;
    let draw_wedge = |ctx: &mut Ctx<'_>, start: f64, sweep: f64, color: Color, outline: bool| {
        let path = slice_path(center, radius, inner, start, sweep);
        ctx.fig.fill(Shape::Path(path.clone()), color);
        if outline {
            ctx.fig.stroke(Shape::Path(path), bg, separator.clone());
        }
    };
    for (i, &v) in values.iter().enumerate() {
        let sweep = v / total * circumference;
        if sweep <= 0.0 {
            continue;
        }
        let color = slice_color(ctx, i);
        if sweep * radius < MIN_SLICE_PX {
            let run = sliver.get_or_insert((angle, 0.0, color));
            run.1 += sweep;
            if run.1 * radius >= MIN_SLICE_PX {
                let (start, run_sweep, run_color) = *run;
                draw_wedge(ctx, start, run_sweep, run_color, false);
                sliver = None;
            }
        } else {
            if let Some((start, run_sweep, run_color)) = sliver.take() {
                draw_wedge(ctx, start, run_sweep, run_color, false);
            }
            draw_wedge(ctx, angle, sweep, color, separated);
        }
        slices.push(super::outlabels::Slice {
            index: i,
            mid: angle + sweep / 2.0,
            share: v / total,
            value: v,
            color,
        });
        angle += sweep;
    }
    if let Some((start, run_sweep, run_color)) = sliver {
        draw_wedge(ctx, start, run_sweep, run_color, false);
    }
    if let Some(o) = &outlabels {
        super::outlabels::draw(ctx, o, (center, radius, area), &slices);
    }
    let style = ctx
        .spec
        .datasets
        .first()
        .map(|d| ctx.spec.options.label_style.merged(&d.style.labels))
        .unwrap_or_default();
    if show_labels && outlabels.is_none() && crate::layout::datalabel::plugin_placed(&style) {
        // Placed or boxed by the config: the plugin's way, with the values (as the plugin
        // writes them) rather than our percentages.
        styled_labels(ctx, &style, (center, radius, inner), &slices);
        draw_needle(ctx, (center, radius, inner), (start, circumference), area);
        return draw_center(ctx, (center, inner, total), circumference);
    }
    // (mid angle, sweep, share, colour) of each slice.
    let labels: Vec<(f64, f64, f64, Color)> = slices
        .iter()
        .map(|s| (s.mid, s.share * circumference, s.share, s.color))
        .collect();
    // Outside labels only for the largest small slices: a crowd of leader lines helps nobody.
    let mut outside: Vec<usize> = (0..labels.len())
        .filter(|&k| labels[k].2 < OUTSIDE_LABEL_SHARE && labels[k].2 >= MIN_LABELLED_SHARE)
        .collect();
    outside.sort_by(|&a, &b| labels[b].2.total_cmp(&labels[a].2));
    let leaders = show_labels && outlabels.is_none();
    outside.truncate(if leaders { MAX_OUTSIDE_LABELS } else { 0 });
    let labels: Vec<(f64, f64, f64, Color)> = labels
        .iter()
        .enumerate()
        .filter(|(k, l)| (show_labels && l.2 >= OUTSIDE_LABEL_SHARE) || outside.contains(k))
        .map(|(_, l)| *l)
        .collect();

    for (mid, sweep, share, color) in labels {
        let text = format!("{}%", format_compact((share * 1000.0).round() / 10.0));
        let dir = Point::new(mid.cos(), mid.sin());
        let cap = (ctx.m.tick * CAP_HEIGHT) as f64;
        if share >= OUTSIDE_LABEL_SHARE {
            let r = if donut {
                (radius + inner) / 2.0
            } else {
                radius * 0.64
            };
            let p = Point::new(center.x + dir.x * r, center.y + dir.y * r + cap / 2.0);
            let width = ctx.shaper.measure(&text, ctx.m.tick, Weight::SemiBold) as f64;
            // Only label a slice the label fits in.
            if width < sweep * r * 0.9 && width < radius - inner {
                ctx.label(
                    &text,
                    ctx.m.tick,
                    Weight::SemiBold,
                    text_on(color),
                    p,
                    Anchor::Middle,
                );
            }
        } else {
            let a = Point::new(center.x + dir.x * radius, center.y + dir.y * radius);
            let b = Point::new(
                center.x + dir.x * (radius + tick * 0.9),
                center.y + dir.y * (radius + tick * 0.9),
            );
            let right = dir.x >= 0.0;
            let c = Point::new(b.x + if right { tick * 0.6 } else { -tick * 0.6 }, b.y);
            let mut leader = BezPath::new();
            leader.move_to(a);
            leader.line_to(b);
            leader.line_to(c);
            let axis = ctx.theme.axis;
            ctx.fig.stroke(
                Shape::Path(leader),
                axis,
                Stroke::new(ctx.m.scale.max(1.0) as f64),
            );
            let anchor = if right { Anchor::Start } else { Anchor::End };
            let at = Point::new(c.x + if right { 3.0 } else { -3.0 }, c.y + cap / 2.0);
            let label = ctx.theme.label;
            ctx.label(&text, ctx.m.tick, Weight::Regular, label, at, anchor);
        }
    }

    draw_needle(ctx, (center, radius, inner), (start, circumference), area);
    draw_center(ctx, (center, inner, total), circumference);
}

/// A gauge's needle and value label, when the chart is one.
fn draw_needle(ctx: &mut Ctx<'_>, ring: (Point, f64, f64), arc: (f64, f64), area: Rect) {
    if let Some(needle) = ctx.spec.options.needle.clone() {
        super::needle::draw(ctx, &needle, ring, arc, area);
    }
}

/// Slice labels as chartjs-plugin-datalabels places them (`anchor` on the slice's middle, inner
/// or outer edge, `align` along its radius), each slice's value in `style`'s format.
fn styled_labels(
    ctx: &mut Ctx<'_>,
    style: &crate::spec::label_style::LabelStyle,
    (center, radius, inner): (Point, f64, f64),
    slices: &[super::outlabels::Slice],
) {
    use crate::layout::datalabel::{Mark, draw};
    let values: Vec<f64> = slices.iter().map(|s| s.value).collect();
    let format = crate::layout::scale::ValueFormat::for_ticks(
        &style.format.clone().unwrap_or_default(),
        &values,
        1.0,
    );
    for s in slices.iter().filter(|s| s.share >= MIN_LABELLED_SHARE) {
        let dir = kurbo::Vec2::new(s.mid.cos(), s.mid.sin());
        let at = |r: f64| center + dir * r;
        let mark = Mark {
            start: at(inner),
            center: at((radius + inner) / 2.0),
            end: at(radius),
            dir,
        };
        let text = format.format(s.value);
        draw(ctx, &text, style, mark, (s.color, s.color));
    }
}

/// The hole's text: the config's `doughnutlabel` lines, else the total when the hole is roomy.
fn draw_center(ctx: &mut Ctx<'_>, (center, inner, total): (Point, f64, f64), circumference: f64) {
    let tick = ctx.m.tick as f64;
    if inner > 0.0 && !ctx.spec.options.center_labels.is_empty() {
        draw_center_labels(ctx, (center, inner), circumference < TAU * 0.75);
    } else if inner > tick * 4.0 && ctx.spec.options.needle.is_none() {
        let size = ctx.m.title;
        let value = format_compact(total);
        let title = ctx.theme.title;
        let label = ctx.theme.label;
        let caption = (ctx.m.tick * 1.6) as f64;
        // A full ring centres the total; a gauge (the arc's bottom open) sits it on the centre.
        let open_below = circumference < TAU * 0.75;
        let at = if open_below {
            Point::new(center.x, center.y - tick * 0.4)
        } else {
            Point::new(center.x, center.y + (size * CAP_HEIGHT) as f64 * 0.35)
        };
        ctx.label(&value, size, Weight::SemiBold, title, at, Anchor::Middle);
        let caption_at = if open_below {
            Point::new(center.x, at.y - (size * CAP_HEIGHT) as f64 - caption * 0.6)
        } else {
            Point::new(center.x, at.y + caption)
        };
        ctx.label(
            "Total",
            ctx.m.tick,
            Weight::Regular,
            label,
            caption_at,
            Anchor::Middle,
        );
    }
}

/// The doughnut's own lines (`plugins.doughnutlabel.labels`) centred in its hole (above the
/// centre of a gauge, whose arc is open below), each in its size, weight and colour.
fn draw_center_labels(ctx: &mut Ctx<'_>, (center, inner): (Point, f64), open_below: bool) {
    /// A fitted label's size per px of the hole's radius (the radial gauge plugin's
    /// `radius / 50` em of 16 px).
    const FIT_SHARE: f64 = 0.32;
    let lines = &ctx.spec.options.center_labels;
    let tick = ctx.m.tick;
    let size_of = |l: &crate::spec::label_style::CenterLabel| {
        if l.fit {
            (inner * FIT_SHARE).max(1.0) as f32
        } else {
            l.size.unwrap_or(tick)
        }
    };
    let height: f64 = lines.iter().map(|l| f64::from(size_of(l)) * 1.2).sum();
    let mut top = if open_below {
        center.y - height - f64::from(tick) * 0.4
    } else {
        center.y - height / 2.0
    };
    for line in lines.clone() {
        let size = size_of(&line);
        let line_h = f64::from(size) * 1.2;
        let baseline = top + line_h / 2.0 + f64::from(size * CAP_HEIGHT) / 2.0;
        let weight = if line.bold {
            Weight::SemiBold
        } else {
            Weight::Regular
        };
        let color = line.color.unwrap_or(ctx.theme.title);
        let at = Point::new(center.x, baseline);
        ctx.label(&line.text, size, weight, color, at, Anchor::Middle);
        top += line_h;
    }
}

/// The centre and radius of the largest arc from `start` sweeping `sweep` (radians, clockwise
/// on screen) that fits `area` less `margin`: the arc's bounding box (with the centre, where the
/// slices meet) is fitted, so a half circle fills the area instead of a quarter of it.
/// One ring per visible dataset, the first outermost, each split into its own slices in its
/// own colours; percentages only when `datalabels` asks for them.
fn draw_rings(ctx: &mut Ctx<'_>, area: Rect) {
    let arc = ctx.spec.options.arc;
    let start = -FRAC_PI_2 + arc.rotation.to_radians();
    let circumference = arc.circumference.to_radians().clamp(1e-3, TAU);
    let (center, radius) = fit_arc(area, 2.0, start, circumference);
    let hole = hole_radius(ctx, radius);
    let rings: Vec<&crate::spec::Dataset> = ctx
        .spec
        .datasets
        .iter()
        .filter(|d| !d.style.hidden)
        .collect();
    let width = (radius - hole) / rings.len() as f64;
    let bg = ctx.theme.background;
    let separator = Stroke::new(2.0 * ctx.m.scale as f64);
    let labels = ctx.spec.options.data_labels == Some(true);
    for (k, ds) in rings.into_iter().enumerate() {
        let outer = radius - width * k as f64;
        let inner = (outer - width).max(0.0);
        let values: Vec<f64> = ds
            .data
            .iter()
            .map(|p| p.y().map_or(0.0, |v| v.abs().min(1e300)))
            .collect();
        let total: f64 = values.iter().sum();
        if !(total > 0.0 && total.is_finite()) {
            let ring = CircleSegment::new(center, outer, inner, start, circumference);
            ctx.fig.fill(Shape::Path(ring.to_path(0.1)), ctx.theme.grid);
            continue;
        }
        let mut angle = start;
        for (i, &v) in values.iter().enumerate() {
            let sweep = v / total * circumference;
            if sweep <= 0.0 {
                continue;
            }
            let color = ds
                .background_color
                .as_ref()
                .and_then(|c| c.at(i))
                .unwrap_or_else(|| ctx.theme.series_color(i));
            let path = slice_path(center, outer, inner, angle, sweep);
            ctx.fig.fill(Shape::Path(path.clone()), color);
            ctx.fig.stroke(Shape::Path(path), bg, separator.clone());
            let share = v / total;
            if labels && share >= OUTSIDE_LABEL_SHARE {
                let mid = angle + sweep / 2.0;
                let r = (outer + inner) / 2.0;
                let cap = (ctx.m.tick * CAP_HEIGHT) as f64;
                let at = Point::new(
                    center.x + mid.cos() * r,
                    center.y + mid.sin() * r + cap / 2.0,
                );
                let text = format!("{}%", format_compact((share * 1000.0).round() / 10.0));
                let (size, ink) = (ctx.m.tick, text_on(color));
                ctx.label(&text, size, Weight::Medium, ink, at, Anchor::Middle);
            }
            angle += sweep;
        }
    }
}

/// The radius of the hole in a pie or donut of outer `radius` (`cutout`, else the type's).
fn hole_radius(ctx: &Ctx<'_>, radius: f64) -> f64 {
    match ctx.spec.options.arc.cutout {
        Some(Cutout::Share(f)) => radius * f,
        Some(Cutout::Px(px)) => px.min(radius * 0.95),
        None if ctx.spec.chart_type == ChartType::Donut => radius * DONUT_HOLE,
        None => 0.0,
    }
}

fn fit_arc(area: Rect, margin: f64, start: f64, sweep: f64) -> (Point, f64) {
    // Unit-circle bounds of the drawn arc: its ends, the centre, and every axis crossing.
    let mut pts = vec![
        Point::ZERO,
        Point::new(start.cos(), start.sin()),
        Point::new((start + sweep).cos(), (start + sweep).sin()),
    ];
    let first_quarter = (start / FRAC_PI_2).ceil() as i64;
    let mut k = first_quarter;
    while (k as f64) * FRAC_PI_2 <= start + sweep + 1e-9 && k - first_quarter < 5 {
        let a = k as f64 * FRAC_PI_2;
        pts.push(Point::new(a.cos(), a.sin()));
        k += 1;
    }
    let bounds = pts
        .iter()
        .fold(Rect::new(f64::MAX, f64::MAX, f64::MIN, f64::MIN), |r, p| {
            Rect::new(r.x0.min(p.x), r.y0.min(p.y), r.x1.max(p.x), r.y1.max(p.y))
        });
    let room = area.inset(-margin);
    let bw = bounds.width().max(1e-6);
    let bh = bounds.height().max(1e-6);
    let radius = (room.width() / bw).min(room.height() / bh).max(1.0);
    // Centre the scaled bounds in the room.
    let cx = room.center().x - (bounds.x0 + bounds.x1) / 2.0 * radius;
    let cy = room.center().y - (bounds.y0 + bounds.y1) / 2.0 * radius;
    (Point::new(cx, cy), radius)
}

/// The outline of one slice (a wedge, or an annular sector for a donut).
fn slice_path(center: Point, radius: f64, inner: f64, start: f64, sweep: f64) -> BezPath {
    if sweep >= TAU - 1e-9 {
        if inner > 0.0 {
            return CircleSegment::new(center, radius, inner, 0.0, TAU).to_path(0.1);
        }
        return Circle::new(center, radius).to_path(0.1);
    }
    CircleSegment::new(center, radius, inner, start, sweep).to_path(0.1)
}
