//! Vector PDF straight from the [`Figure`], written by krilla (typst's PDF writer): one page the
//! chart's size, one canvas pixel to one point; shapes as paths; text as real text in the fonts
//! layout shaped it with, embedded as subsets (krilla subsets to the used glyphs), with a
//! ToUnicode map so it can be selected and searched ([`super::glyphs::run_text`]).
//!
//! The document's title is the chart's title and its subject the alt text; the page content is
//! one `Figure` in the tag tree carrying the alt text, so a screen reader announces the chart.

use super::doc_info::DocInfo;
use super::error::EncodeError;
use super::glyphs::{self, FontKey};
use crate::figure::{Figure, Item, Shape};
use krilla::color::rgb;
use krilla::geom::{Path, PathBuilder, Point, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::tagging::{ContentTag, Tag, TagGroup, TagTree};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document};
use kurbo::{Affine, PathEl};
use peniko::Color;
use std::collections::HashMap;
use std::sync::Arc;

/// Writes `figure` as a one-page PDF.
pub fn pdf(figure: &Figure, info: &DocInfo) -> Result<Vec<u8>, EncodeError> {
    let mut document = Document::new();
    let settings =
        PageSettings::from_wh(figure.width as f32, figure.height as f32).ok_or_else(|| {
            EncodeError::Pdf(format!("bad page size {}×{}", figure.width, figure.height))
        })?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let id = surface.start_tagged(ContentTag::Other);
    let mut fonts: HashMap<FontKey, Option<Font>> = HashMap::new();
    if figure.background.components[3] > 0.0
        && let Some(bg) = rect_path(figure.width as f32, figure.height as f32)
    {
        surface.set_fill(Some(fill(figure.background)));
        surface.set_stroke(None);
        surface.draw_path(&bg);
    }
    let mut clips = 0usize;
    for item in &figure.items {
        match item {
            Item::Fill { shape, color } => {
                if let Some(path) = path(shape) {
                    surface.set_fill(Some(fill(*color)));
                    surface.set_stroke(None);
                    surface.draw_path(&path);
                }
            }
            Item::Stroke {
                shape,
                color,
                style,
            } => {
                if let Some(path) = path(shape) {
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke(*color, style)));
                    surface.draw_path(&path);
                }
            }
            Item::Text(t) => text(&mut surface, &mut fonts, t),
            Item::PushClip(shape) => {
                // An empty clip still has to be pushed so the matching pop lines up; a
                // degenerate rectangle clips everything away, as the raster backends do.
                let path = path(shape).or_else(|| rect_path(0.001, 0.001));
                if let Some(path) = path {
                    surface.push_clip_path(&path, &FillRule::NonZero);
                    clips += 1;
                }
            }
            Item::PopClip => {
                if clips > 0 {
                    surface.pop();
                    clips -= 1;
                }
            }
        }
    }
    for _ in 0..clips {
        surface.pop();
    }
    surface.end_tagged();
    surface.finish();
    page.finish();

    let mut figure_tag = TagGroup::new(Tag::Figure(Some(info.alt_text.clone())));
    figure_tag.push(id);
    let mut tree = TagTree::new();
    tree.push(figure_tag);
    document.set_tag_tree(tree);
    let metadata = Metadata::new()
        .title(info.title_or_alt().to_owned())
        .description(info.alt_text.clone())
        .creator(format!("clovicharts {}", env!("CARGO_PKG_VERSION")));
    document.set_metadata(metadata);
    document
        .finish()
        .map_err(|e| EncodeError::Pdf(format!("{e:?}")))
}

fn text(
    surface: &mut Surface<'_>,
    fonts: &mut HashMap<FontKey, Option<Font>>,
    t: &crate::figure::Text,
) {
    let run = &t.run;
    if run.glyphs.is_empty() || run.size <= 0.0 {
        return;
    }
    let font = fonts
        .entry(glyphs::font_key(&run.font))
        .or_insert_with(|| {
            let blob = run.font.data.clone();
            let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(blob);
            Font::new(Data::from(data), run.font.index)
        })
        .clone();
    let Some(font) = font else {
        return;
    };
    let (string, ranges) = glyphs::run_text(run);
    let size = run.size;
    let x0 = run.glyphs[0].x;
    let placed: Vec<KrillaGlyph> = run
        .glyphs
        .iter()
        .zip(&ranges)
        .enumerate()
        .map(|(i, (g, range))| {
            let next = run.glyphs.get(i + 1).map_or(g.x, |n| n.x);
            KrillaGlyph::new(
                GlyphId::new(g.id),
                (next - g.x) / size,
                0.0,
                -g.y / size,
                0.0,
                range.clone(),
                None,
            )
        })
        .collect();
    surface.push_transform(&transform(t.transform));
    surface.set_fill(Some(fill(t.color)));
    surface.set_stroke(None);
    surface.draw_glyphs(Point::from_xy(x0, 0.0), &placed, font, &string, size, false);
    surface.pop();
}

fn transform(a: Affine) -> Transform {
    let [sx, ky, kx, sy, tx, ty] = a.as_coeffs().map(|v| v as f32);
    Transform::from_row(sx, ky, kx, sy, tx, ty)
}

fn fill(color: Color) -> Fill {
    let c = color.to_rgba8();
    Fill {
        paint: rgb::Color::new(c.r, c.g, c.b).into(),
        opacity: NormalizedF32::new(f32::from(c.a) / 255.0).unwrap_or(NormalizedF32::ONE),
        rule: FillRule::NonZero,
    }
}

fn stroke(color: Color, style: &kurbo::Stroke) -> Stroke {
    let c = color.to_rgba8();
    Stroke {
        paint: rgb::Color::new(c.r, c.g, c.b).into(),
        width: style.width as f32,
        miter_limit: style.miter_limit as f32,
        line_cap: match style.start_cap {
            kurbo::Cap::Butt => LineCap::Butt,
            kurbo::Cap::Round => LineCap::Round,
            kurbo::Cap::Square => LineCap::Square,
        },
        line_join: match style.join {
            kurbo::Join::Miter => LineJoin::Miter,
            kurbo::Join::Round => LineJoin::Round,
            kurbo::Join::Bevel => LineJoin::Bevel,
        },
        opacity: NormalizedF32::new(f32::from(c.a) / 255.0).unwrap_or(NormalizedF32::ONE),
        dash: (!style.dash_pattern.is_empty()).then(|| StrokeDash {
            array: style.dash_pattern.iter().map(|d| *d as f32).collect(),
            offset: style.dash_offset as f32,
        }),
    }
}

fn rect_path(w: f32, h: f32) -> Option<Path> {
    let mut b = PathBuilder::new();
    b.push_rect(krilla::geom::Rect::from_xywh(0.0, 0.0, w, h)?);
    b.finish()
}

/// The shape as a krilla path; `None` when it has no area or length (krilla refuses those).
fn path(shape: &Shape) -> Option<Path> {
    let mut b = PathBuilder::new();
    for el in shape.to_path().elements() {
        match *el {
            PathEl::MoveTo(p) => b.move_to(p.x as f32, p.y as f32),
            PathEl::LineTo(p) => b.line_to(p.x as f32, p.y as f32),
            PathEl::QuadTo(a, p) => b.quad_to(a.x as f32, a.y as f32, p.x as f32, p.y as f32),
            PathEl::CurveTo(a, c, p) => b.cubic_to(
                a.x as f32, a.y as f32, c.x as f32, c.y as f32, p.x as f32, p.y as f32,
            ),
            PathEl::ClosePath => b.close(),
        }
    }
    b.finish()
}
