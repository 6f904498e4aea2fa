//! The CPU renderer: vello_cpu, single-threaded per render (its multithreaded mode was slower
//! for charts on 2 cores); throughput comes from rendering several charts at once.

use super::{BackendKind, Image, RenderError, Renderer, check_size};
use crate::figure::{Figure, Item, Shape};
use vello_cpu::peniko::Fill;
use vello_cpu::{
    Glyph, PixmapMut, RasterizerSettings, RenderContext, RenderMode, RenderSettings, Resources,
    TargetInit,
};

/// A vello_cpu context and its glyph caches, kept between charts.
pub struct CpuRenderer {
    ctx: RenderContext,
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
    /// A renderer with an 800×500 context (resized per chart as needed).
    pub fn new() -> Self {
        let settings = RenderSettings {
            num_threads: 0,
            ..RenderSettings::default()
        };
        CpuRenderer {
            ctx: RenderContext::new_with(800, 500, settings),
            resources: Resources::new(),
        }
    }

    /// Renders `figure` into `out` (resized to `width × height × 4`), reusing its allocation.
    pub fn render_into(&mut self, figure: &Figure, out: &mut Vec<u8>) -> Result<(), RenderError> {
        let (w, h) = check_size(figure)?;
        if self.ctx.width() != w || self.ctx.height() != h {
            self.ctx.reset_and_resize(w, h);
        } else {
            self.ctx.reset();
        }
        let ctx = &mut self.ctx;
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
        out.clear();
        out.resize(usize::from(w) * usize::from(h) * 4, 0);
        let target = PixmapMut::new(w, h, out).ok_or(RenderError::BadSize {
            width: figure.width,
            height: figure.height,
        })?;
        let settings = RasterizerSettings {
            render_mode: RenderMode::OptimizeSpeed,
            target_init: TargetInit::Clear(figure.background),
            ..RasterizerSettings::default()
        };
        self.ctx.render_with(target, &mut self.resources, settings);
        Ok(())
    }
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

    fn kind(&self) -> BackendKind {
        BackendKind::Cpu
    }
}
