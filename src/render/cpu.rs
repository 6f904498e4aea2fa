//! The CPU renderer: vello_cpu, single-threaded per render (its multithreaded mode was slower
//! for charts on 2 cores); throughput comes from rendering several charts at once.

use super::renderer::check_size;
use super::{BackendKind, Image, RenderError, Renderer};
use crate::figure::{Figure, Item, Shape};
use vello_cpu::peniko::Fill;
use vello_cpu::{
    Glyph, PixmapMut, RasterizerSettings, RenderContext, RenderMode, RenderSettings, Resources,
    TargetInit,
};

/// Contexts kept per canvas size: dashboards mix a few sizes, and a context's buffers are sized
/// for its canvas, so switching sizes should not reallocate them every chart.
const SIZE_CLASSES: usize = 4;

/// vello_cpu contexts (one per recent canvas size) and glyph caches, kept between charts.
pub struct CpuRenderer {
    /// Most recently used last.
    contexts: Vec<((u16, u16), RenderContext)>,
    resources: Resources,
}

impl std::fmt::Debug for CpuRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CpuRenderer").finish_non_exhaustive()
    }
}

impl Default for CpuRenderer {
    fn default() -> Self {
        Self::new()
    }
}

impl CpuRenderer {
    /// A renderer with an 800×500 context (more are made per canvas size as needed).
    pub fn new() -> Self {
        CpuRenderer {
            contexts: vec![((800, 500), new_context(800, 500))],
            resources: Resources::new(),
        }
    }

    /// Renders `figure` into `out` (resized to `width × height × 4`), reusing its allocation.
    pub fn render_into(&mut self, figure: &Figure, out: &mut Vec<u8>) -> Result<(), RenderError> {
        let (w, h) = check_size(figure)?;
        let ctx = context(&mut self.contexts, w, h);
        ctx.set_fill_rule(Fill::NonZero);
        for item in &figure.items {
            match item {
                Item::Fill { shape, color } => {
                    ctx.set_paint(*color);
                    match shape {
                        Shape::Rect(r) => ctx.fill_rect(r),
                        other => ctx.fill_path(&other.to_path()),
                    }
                }
                Item::Stroke {
                    shape,
                    color,
                    style,
                } => {
                    ctx.set_paint(*color);
                    ctx.set_stroke(style.clone());
                    match shape {
                        Shape::Rect(r) => ctx.stroke_rect(r),
                        other => ctx.stroke_path(&other.to_path()),
                    }
                }
                Item::Text(text) => {
                    ctx.set_paint(text.color);
                    ctx.set_transform(text.transform);
                    let glyphs = text.run.glyphs.iter().map(|g| Glyph {
                        id: g.id,
                        x: g.x,
                        y: g.y,
                    });
                    // A glyph that fails to draw is skipped; the rest of the run still draws.
                    let drawn = ctx
                        .glyph_run(&mut self.resources, &text.run.font)
                        .font_size(text.run.size)
                        .hint(is_axis_aligned(&text.transform))
                        .fill_glyphs(glyphs);
                    if let Err(e) = drawn {
                        tracing::debug!(error = ?e, "glyph run partly failed");
                    }
                    ctx.reset_transform();
                }
                Item::PushClip(shape) => ctx.push_clip_layer(&shape.to_path()),
                Item::PopClip => ctx.pop_layer(),
            }
        }
        ctx.flush();
        let len = usize::from(w) * usize::from(h) * 4;
        if out.len() != len {
            // Every pixel is overwritten (the target is cleared to the background), so a buffer
            // of the right size is reused as it is.
            out.clear();
            out.resize(len, 0);
        }
        let target = PixmapMut::new(w, h, out).ok_or(RenderError::BadSize {
            width: figure.width,
            height: figure.height,
        })?;
        let settings = RasterizerSettings {
            render_mode: RenderMode::OptimizeSpeed,
            target_init: TargetInit::Clear(figure.background),
            ..RasterizerSettings::default()
        };
        ctx.render_with(target, &mut self.resources, settings);
        if !figure.is_opaque() {
            // A translucent canvas (`backgroundColor: "transparent"`): vello_cpu writes
            // premultiplied colour, PNG and WebP store straight alpha.
            unpremultiply(out);
        }
        Ok(())
    }
}

/// Premultiplied RGBA8 → straight RGBA8, in place.
fn unpremultiply(rgba: &mut [u8]) {
    for px in rgba.chunks_exact_mut(4) {
        let a = u32::from(px[3]);
        if a != 0 && a != 255 {
            for c in &mut px[..3] {
                *c = ((u32::from(*c) * 255 + a / 2) / a).min(255) as u8;
            }
        }
    }
}

/// The context for a `w × h` canvas, reset: a kept one of that size, else a new one (the least
/// recently used is dropped past [`SIZE_CLASSES`]).
fn context(contexts: &mut Vec<((u16, u16), RenderContext)>, w: u16, h: u16) -> &mut RenderContext {
    match contexts.iter().position(|(size, _)| *size == (w, h)) {
        Some(i) => {
            let entry = contexts.remove(i);
            contexts.push(entry);
        }
        None => {
            if contexts.len() >= SIZE_CLASSES {
                contexts.remove(0);
            }
            contexts.push(((w, h), new_context(w, h)));
        }
    }
    let last = contexts.len() - 1;
    let ctx = &mut contexts[last].1;
    ctx.reset();
    ctx
}

fn new_context(w: u16, h: u16) -> RenderContext {
    let settings = RenderSettings {
        num_threads: 0,
        ..RenderSettings::default()
    };
    RenderContext::new_with(w, h, settings)
}

/// Hinting snaps outlines to the pixel grid vertically; only meaningful for level text.
pub(super) fn is_axis_aligned(t: &kurbo::Affine) -> bool {
    let [a, b, c, d, _, _] = t.as_coeffs();
    b == 0.0 && c == 0.0 && a > 0.0 && d > 0.0
}

impl Renderer for CpuRenderer {
    fn render(&mut self, figure: &Figure) -> Result<Image, RenderError> {
        let mut data = Vec::new();
        self.render_into(figure, &mut data)?;
        Ok(Image {
            width: figure.width,
            height: figure.height,
            data,
        })
    }

    fn render_into(&mut self, figure: &Figure, out: &mut Vec<u8>) -> Result<(), RenderError> {
        CpuRenderer::render_into(self, figure, out)
    }

    fn kind(&self) -> BackendKind {
        BackendKind::Cpu
    }
}
