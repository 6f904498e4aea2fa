//! Rendering: a [`Figure`](crate::figure::Figure) → RGBA8 pixels, on the GPU (vello on one shared wgpu device) or the
//! CPU (vello_cpu), behind the one small [`Renderer`] trait.
//!
//! [`Backend::from_env`] picks: `auto` (the default) uses the GPU only when the adapter is a real
//! GPU; a CPU adapter such as lavapipe is ~700× slower than vello_cpu, so it serves on the CPU.

mod cpu;
mod density;
mod device;
mod gpu;
mod renderer;

pub use cpu::CpuRenderer;
pub use density::GpuBinner;
pub use device::GpuContext;
pub use gpu::GpuRenderer;
pub use renderer::{BackendKind, Image, MAX_SIDE, RenderError, Renderer};

use std::sync::Arc;

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
