//! The whole pipeline for one chart: spec bytes → validated spec → figure → pixels → bytes.

use crate::encode::{self, EncodeError};
use crate::layout;
use crate::render::{BackendKind, RenderError, Renderer};
use crate::spec::{self, ChartSpec, Format, SpecErrors};
use crate::text::TextShaper;
use std::time::{Duration, Instant};

/// Why a chart could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The client's spec is invalid (a 400).
    #[error(transparent)]
    Spec(#[from] SpecErrors),
    /// Rendering failed (a 500).
    #[error(transparent)]
    Render(#[from] RenderError),
    /// Encoding failed (a 500).
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

/// An encoded chart and what it cost.
#[derive(Clone, Debug)]
pub struct ChartOutput {
    /// The encoded image.
    pub bytes: Vec<u8>,
    /// Its format.
    pub format: Format,
    /// Width in px.
    pub width: u32,
    /// Height in px.
    pub height: u32,
    /// Which backend drew it.
    pub backend: BackendKind,
    /// Layout (including text shaping) time.
    pub layout_time: Duration,
    /// Rasterisation time.
    pub render_time: Duration,
    /// Encoding time.
    pub encode_time: Duration,
}

/// Lays out, renders and encodes a validated spec.
pub fn render_spec(
    spec: &ChartSpec,
    shaper: &mut TextShaper,
    renderer: &mut dyn Renderer,
) -> Result<ChartOutput, PipelineError> {
    let t0 = Instant::now();
    let figure = layout::layout_with(spec, shaper, renderer.binner());
    let t1 = Instant::now();
    let image = renderer.render(&figure)?;
    let t2 = Instant::now();
    let bytes = encode::encode(&image, spec.options.format, spec.options.webp)?;
    let t3 = Instant::now();
    Ok(ChartOutput {
        bytes,
        format: spec.options.format,
        width: image.width,
        height: image.height,
        backend: renderer.kind(),
        layout_time: t1 - t0,
        render_time: t2 - t1,
        encode_time: t3 - t2,
    })
}

/// Parses, validates, lays out, renders and encodes a JSON chart spec.
pub fn render_chart(
    json: &[u8],
    shaper: &mut TextShaper,
    renderer: &mut dyn Renderer,
) -> Result<ChartOutput, PipelineError> {
    let spec = spec::parse_spec(json)?;
    render_spec(&spec, shaper, renderer)
}
