//! The GPU renderer: vello on ONE shared wgpu device (created once), a `vello::Renderer` per
//! worker, `render_to_texture` into an `Rgba8Unorm` storage texture, then a copy into a buffer
//! whose rows are padded to 256 bytes, mapped and unpadded on the CPU.
//!
//! vello's GPU buffers have fixed sizes and a scene that overflows them draws a wrong picture
//! without an error. Before each render the scene's bump estimate is checked against those
//! sizes; a scene that might not fit is drawn by vello_cpu instead.

use super::cpu::{CpuRenderer, is_axis_aligned};
use super::device::GpuContext;
use super::renderer::check_size;
use super::{BackendKind, Image, RenderError, Renderer};
use crate::figure::{Figure, Item, Shape};
use kurbo::Affine;
use vello::peniko::Fill;
use vello::wgpu;
use vello::{AaConfig, AaSupport, RenderParams, RendererOptions, Scene};

/// wgpu's required row alignment for texture → buffer copies.
const ROW_ALIGN: u32 = wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;

/// vello 0.11's fixed buffer capacities (`vello_encoding::BufferSizes::new`), in elements.
/// Estimates above these would overflow; we keep a 25 % margin because the estimate is heuristic.
const CAPACITY: [(&str, u32); 6] = [
    ("binning", 1 << 18),
    ("ptcl", 1 << 23),
    ("tiles", 1 << 21),
    ("seg_counts", 1 << 21),
    ("segments", 1 << 21),
    ("lines", 1 << 21),
];
const SAFETY: f64 = 0.75;

struct Target {
    width: u32,
    height: u32,
    texture: wgpu::Texture,
    view: wgpu::TextureView,
    readback: wgpu::Buffer,
    padded_row: u32,
}

/// One worker's vello renderer on the shared device, with its target kept between charts of
/// the same size, and a CPU renderer for scenes too dense for the GPU buffers.
pub struct GpuRenderer {
    ctx: std::sync::Arc<GpuContext>,
    renderer: vello::Renderer,
    scene: Scene,
    target: Option<Target>,
    fallback: Option<CpuRenderer>,
    last: BackendKind,
    binner: super::density::GpuBinner,
}

impl std::fmt::Debug for GpuRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GpuRenderer")
            .field("ctx", &self.ctx)
            .finish_non_exhaustive()
    }
}

impl GpuRenderer {
    /// Compiles vello's pipelines on the shared device (slow the first time on lavapipe).
    pub fn new(ctx: std::sync::Arc<GpuContext>) -> Result<GpuRenderer, RenderError> {
        let renderer = vello::Renderer::new(
            ctx.device(),
            RendererOptions {
                use_cpu: false,
                antialiasing_support: AaSupport::area_only(),
                num_init_threads: None,
                pipeline_cache: None,
            },
        )
        .map_err(|e| RenderError::Gpu(e.to_string()))?;
        Ok(GpuRenderer {
            binner: super::density::GpuBinner::new(ctx.clone()),
            ctx,
            renderer,
            scene: Scene::new(),
            target: None,
            fallback: None,
            last: BackendKind::Gpu,
        })
    }

    fn build_scene(&mut self, figure: &Figure) {
        let scene = &mut self.scene;
        scene.reset();
        let id = Affine::IDENTITY;
        for item in &figure.items {
            match item {
                Item::Fill { shape, color } => match shape {
                    Shape::Rect(r) => scene.fill(Fill::NonZero, id, *color, None, r),
                    Shape::RoundedRect(r) => scene.fill(Fill::NonZero, id, *color, None, r),
                    Shape::Circle(c) => scene.fill(Fill::NonZero, id, *color, None, c),
                    Shape::Path(p) => scene.fill(Fill::NonZero, id, *color, None, p),
                },
                Item::Stroke {
                    shape,
                    color,
                    style,
                } => match shape {
                    Shape::Rect(r) => scene.stroke(style, id, *color, None, r),
                    Shape::RoundedRect(r) => scene.stroke(style, id, *color, None, r),
                    Shape::Circle(c) => scene.stroke(style, id, *color, None, c),
                    Shape::Path(p) => scene.stroke(style, id, *color, None, p),
                },
                Item::Text(text) => {
                    scene
                        .draw_glyphs(&text.run.font)
                        .font_size(text.run.size)
                        .transform(text.transform)
                        .hint(is_axis_aligned(&text.transform))
                        .brush(text.color)
                        .draw(
                            Fill::NonZero,
                            text.run.glyphs.iter().map(|g| vello::Glyph {
                                id: g.id,
                                x: g.x,
                                y: g.y,
                            }),
                        );
                }
                Item::PushClip(shape) => scene.push_clip_layer(Fill::NonZero, id, &shape.to_path()),
                Item::PopClip => scene.pop_layer(),
            }
        }
    }

    /// `Err` naming the first buffer the scene's estimate says could overflow.
    fn check_capacity(&self) -> Result<(), RenderError> {
        let est = self.scene.bump_estimate(None);
        let needs = [
            est.binning.len(),
            est.ptcl.len(),
            est.tile.len(),
            est.seg_counts.len(),
            est.segments.len(),
            est.lines.len(),
        ];
        for ((name, cap), need) in CAPACITY.iter().zip(needs) {
            if f64::from(need) > f64::from(*cap) * SAFETY {
                return Err(RenderError::GpuOverflow(format!(
                    "{name}: needs ~{need} of {cap}"
                )));
            }
        }
        Ok(())
    }

    fn ensure_target(&mut self, width: u32, height: u32) {
        let stale = self
            .target
            .as_ref()
            .is_none_or(|t| t.width != width || t.height != height);
        if stale {
            let device = self.ctx.device();
            let texture = device.create_texture(&wgpu::TextureDescriptor {
                label: Some("clovicharts.target"),
                size: wgpu::Extent3d {
                    width,
                    height,
                    depth_or_array_layers: 1,
                },
                mip_level_count: 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format: wgpu::TextureFormat::Rgba8Unorm,
                usage: wgpu::TextureUsages::STORAGE_BINDING | wgpu::TextureUsages::COPY_SRC,
                view_formats: &[],
            });
            let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
            let padded_row = (width * 4).next_multiple_of(ROW_ALIGN);
            let readback = device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("clovicharts.readback"),
                size: u64::from(padded_row) * u64::from(height),
                usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
                mapped_at_creation: false,
            });
            self.target = Some(Target {
                width,
                height,
                texture,
                view,
                readback,
                padded_row,
            });
        }
    }

    fn render_gpu(&mut self, figure: &Figure) -> Result<Image, RenderError> {
        let (width, height) = (figure.width, figure.height);
        let ctx = self.ctx.clone();
        self.ensure_target(width, height);
        let Some(target) = self.target.as_ref() else {
            return Err(RenderError::Gpu("no render target".into()));
        };
        self.renderer
            .render_to_texture(
                ctx.device(),
                ctx.queue(),
                &self.scene,
                &target.view,
                &RenderParams {
                    base_color: figure.background,
                    width,
                    height,
                    antialiasing_method: AaConfig::Area,
                },
            )
            .map_err(|e| RenderError::Gpu(e.to_string()))?;
        let mut encoder = ctx
            .device()
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("clovicharts.readback"),
            });
        encoder.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                texture: &target.texture,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::TexelCopyBufferInfo {
                buffer: &target.readback,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(target.padded_row),
                    rows_per_image: None,
                },
            },
            wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
        );
        ctx.submit_and_map(encoder, &target.readback)?;
        let slice = target.readback.slice(..);
        let row = (width * 4) as usize;
        let mut data = Vec::with_capacity(row * height as usize);
        {
            let mapped = slice
                .get_mapped_range()
                .map_err(|e| RenderError::Gpu(e.to_string()))?;
            for chunk in mapped
                .chunks(target.padded_row as usize)
                .take(height as usize)
            {
                data.extend_from_slice(&chunk[..row]);
            }
        }
        target.readback.unmap();
        Ok(Image {
            width,
            height,
            data,
        })
    }
}

impl Renderer for GpuRenderer {
    fn render(&mut self, figure: &Figure) -> Result<Image, RenderError> {
        check_size(figure)?;
        self.build_scene(figure);
        if let Err(overflow) = self.check_capacity() {
            tracing::warn!(reason = %overflow, "scene too dense for the GPU; drawing it on the CPU");
            self.last = BackendKind::Cpu;
            return self
                .fallback
                .get_or_insert_with(CpuRenderer::new)
                .render(figure);
        }
        self.last = BackendKind::Gpu;
        self.render_gpu(figure)
    }

    fn kind(&self) -> BackendKind {
        self.last
    }

    fn binner(&self) -> &dyn crate::binning::Binner {
        &self.binner
    }
}
