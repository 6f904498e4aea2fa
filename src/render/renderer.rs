//! The one small trait every backend implements, the image it fills and its errors.

use crate::figure::Figure;
use std::fmt;

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
    fn binner(&self) -> &dyn crate::binning::Binner {
        &crate::binning::CpuBinner
    }
}

/// The canvas size as vello_cpu's `u16`s, or [`RenderError::BadSize`].
pub(super) fn check_size(figure: &Figure) -> Result<(u16, u16), RenderError> {
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
