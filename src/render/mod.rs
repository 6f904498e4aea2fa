//! Rendering: a [`Figure`] → RGBA8 pixels, on the GPU (vello on one shared wgpu device) or the
//! CPU (vello_cpu), behind the one small [`Renderer`] trait.
//!
//! [`Backend::from_env`] picks: `auto` (the default) uses the GPU only when the adapter is a real
//! GPU; a CPU adapter such as lavapipe is ~700× slower than vello_cpu, so it serves on the CPU.

mod cpu;
mod density;
mod gpu;

pub use cpu::CpuRenderer;
pub use density::GpuBinner;
pub use gpu::{GpuContext, GpuRenderer};

use crate::figure::Figure;
use std::fmt;
use std::sync::Arc;

/// Largest canvas side a renderer accepts (vello_cpu works in `u16` pixels).
pub const MAX_SIDE: u32 = 8192;

/// A rendered image: tightly packed RGBA8 rows, top to bottom, straight (not premultiplied)
/// alpha; opaque unless the request asked for a translucent `backgroundColor`.
#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    /// Width in px.
    pub width: u32,
    /// Height in px.
    pub height: u32,
    /// `width × height × 4` bytes.
    pub data: Vec<u8>,
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Image({}×{})", self.width, self.height)
    }
}

/// Why a render failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The canvas is empty or larger than [`MAX_SIDE`].
    #[error("canvas {width}×{height} is outside 1..={MAX_SIDE} px per side")]
    BadSize {
        /// Requested width.
        width: u32,
        /// Requested height.
        height: u32,
    },
    /// No usable GPU adapter or device.
    #[error("no GPU available: {0}")]
    NoGpu(String),
    /// The scene would overflow vello's fixed GPU buffers and draw a wrong picture.
    #[error("scene too dense for the GPU renderer ({0})")]
    GpuOverflow(String),
    /// wgpu reported an error.
    #[error("GPU error: {0}")]
    Gpu(String),
}

/// The kind of renderer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BackendKind {
    /// vello on wgpu.
    Gpu,
    /// vello_cpu.
    Cpu,
}

impl BackendKind {
    /// `gpu` or `cpu`.
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Gpu => "gpu",
            BackendKind::Cpu => "cpu",
        }
    }
}

/// Turns figures into pixels. One per worker thread; they keep their buffers between charts.
pub trait Renderer: Send {
    /// Renders `figure` at its own size.
    fn render(&mut self, figure: &Figure) -> Result<Image, RenderError>;
    /// Renders `figure` into `out` (`width × height × 4` bytes afterwards); renderers that can
    /// reuse the buffer's allocation between charts do.
    fn render_into(&mut self, figure: &Figure, out: &mut Vec<u8>) -> Result<(), RenderError> {
        *out = self.render(figure)?.data;
        Ok(())
    }
    /// Which backend actually drew the last image.
    fn kind(&self) -> BackendKind;
    /// What counts density scatters for this backend: layout's CPU binner unless the backend
    /// has its own (the GPU's compute shader).
    fn binner(&self) -> &dyn crate::layout::density::Binner {
        &crate::layout::density::CpuBinner
    }
}

/// What the operator asked for (`CLOVICHARTS_BACKEND`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BackendChoice {
    /// A real GPU if there is one, else the CPU.
    #[default]
    Auto,
    /// The GPU, whatever the adapter (lavapipe included); fail if there is none.
    Gpu,
    /// The CPU renderer.
    Cpu,
}

impl BackendChoice {
    /// Parses `auto`, `gpu` or `cpu` (case-insensitive).
    pub fn parse(s: &str) -> Option<BackendChoice> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => Some(BackendChoice::Auto),
            "gpu" => Some(BackendChoice::Gpu),
            "cpu" => Some(BackendChoice::Cpu),
            _ => None,
        }
    }
}

/// The chosen backend, shared by all workers: makes one [`Renderer`] per worker.
#[derive(Clone, Debug)]
pub enum Backend {
    /// Render with vello on this shared device; dense scenes fall back to the CPU.
    Gpu(Arc<GpuContext>),
    /// Render with vello_cpu.
    Cpu,
}

impl Backend {
    /// Resolves a choice: creates the one shared wgpu device when the GPU is used.
    pub fn select(choice: BackendChoice) -> Result<Backend, RenderError> {
        match choice {
            BackendChoice::Cpu => Ok(Backend::Cpu),
            BackendChoice::Gpu => Ok(Backend::Gpu(Arc::new(GpuContext::new()?))),
            BackendChoice::Auto => match GpuContext::new() {
                Ok(gpu) if gpu.is_real_gpu() => Ok(Backend::Gpu(Arc::new(gpu))),
                Ok(gpu) => {
                    tracing::info!(
                        adapter = %gpu.adapter_name(),
                        "only a software adapter found; rendering on the CPU (vello_cpu)"
                    );
                    Ok(Backend::Cpu)
                }
                Err(e) => {
                    tracing::info!(reason = %e, "no GPU; rendering on the CPU (vello_cpu)");
                    Ok(Backend::Cpu)
                }
            },
        }
    }

    /// Reads `CLOVICHARTS_BACKEND` (default `auto`) and selects.
    pub fn from_env() -> Result<Backend, RenderError> {
        let raw = std::env::var("CLOVICHARTS_BACKEND").unwrap_or_default();
        let choice = BackendChoice::parse(&raw).ok_or_else(|| {
            RenderError::NoGpu(format!(
                "CLOVICHARTS_BACKEND={raw:?} is not one of auto, gpu, cpu"
            ))
        })?;
        Backend::select(choice)
    }

    /// The backend kind.
    pub fn kind(&self) -> BackendKind {
        match self {
            Backend::Gpu(_) => BackendKind::Gpu,
            Backend::Cpu => BackendKind::Cpu,
        }
    }

    /// The adapter's name (`vello_cpu` for the CPU).
    pub fn adapter_name(&self) -> String {
        match self {
            Backend::Gpu(g) => g.adapter_name(),
            Backend::Cpu => "vello_cpu".to_owned(),
        }
    }

    /// A renderer for one worker.
    pub fn renderer(&self) -> Result<Box<dyn Renderer>, RenderError> {
        Ok(match self {
            Backend::Gpu(ctx) => Box::new(GpuRenderer::new(ctx.clone())?),
            Backend::Cpu => Box::new(CpuRenderer::new()),
        })
    }
}

fn check_size(figure: &Figure) -> Result<(u16, u16), RenderError> {
    let bad = RenderError::BadSize {
        width: figure.width,
        height: figure.height,
    };
    if figure.width == 0
        || figure.height == 0
        || figure.width > MAX_SIDE
        || figure.height > MAX_SIDE
    {
        return Err(bad);
    }
    let w = u16::try_from(figure.width).map_err(|_| RenderError::BadSize {
        width: figure.width,
        height: figure.height,
    })?;
    let h = u16::try_from(figure.height).map_err(|_| bad)?;
    Ok((w, h))
}
