//! The whole pipeline for one chart: spec bytes → validated spec → figure → pixels → bytes.

use crate::encode::{self, DocInfo, EncodeError, Pixels, Scratch};
use crate::layout;
use crate::render::{BackendKind, RenderError, Renderer};
use crate::spec::{self, ChartSpec, Format, SpecErrors, SpecWarning};
use crate::text::{FontSet, TextShaper};
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
    /// Rendering's own warnings (characters no loaded font has), for the API's `warnings`.
    pub warnings: Vec<SpecWarning>,
    /// The chart's title, alt text and description (also embedded in the file).
    pub info: DocInfo,
}

/// Lays out, renders and encodes a validated spec.
pub fn render_spec(
    spec: &ChartSpec,
    shaper: &mut TextShaper,
    renderer: &mut dyn Renderer,
) -> Result<ChartOutput, PipelineError> {
    run(
        spec,
        shaper,
        renderer,
        &mut Vec::new(),
        &mut Scratch::default(),
    )
}

/// The pipeline after parsing, with the pixel buffer and encoder buffers supplied by the
/// caller.
fn run(
    spec: &ChartSpec,
    shaper: &mut TextShaper,
    renderer: &mut dyn Renderer,
    pixels: &mut Vec<u8>,
    encoder: &mut Scratch,
) -> Result<ChartOutput, PipelineError> {
    let t0 = Instant::now();
    // The chart's numbers (ticks, data labels, alt text) in its `locale`.
    let (figure, info) = crate::numfmt::with_locale(spec.options.locale, || {
        let figure = layout::layout_with(spec, shaper, renderer.binner());
        (figure, crate::insight::alt_text::describe(spec))
    });
    let warnings = crate::text::missing_glyph_warnings(spec, &shaper.take_missing());
    let t1 = Instant::now();
    let format = spec.options.format;
    // Between stages: a render past its deadline stops before the next one starts.
    crate::deadline::check();
    // Vector formats are written from the figure: nothing to rasterise.
    let (bytes, t2) = if format.is_vector() {
        let t2 = Instant::now();
        (
            encode::vector(&figure, format, &info, spec.options.svg_text)?,
            t2,
        )
    } else {
        renderer.render_into(&figure, pixels)?;
        let t2 = Instant::now();
        crate::deadline::check();
        let image =
            Pixels::new(figure.width, figure.height, pixels)?.with_opacity(figure.is_opaque());
        let matte = matte(spec, &figure);
        let bytes = encoder.encode_described(image, format, spec.options.webp, &info, matte)?;
        (bytes, t2)
    };
    let t3 = Instant::now();
    Ok(ChartOutput {
        bytes,
        format: spec.options.format,
        width: figure.width,
        height: figure.height,
        backend: renderer.kind(),
        layout_time: t1 - t0,
        render_time: t2 - t1,
        encode_time: t3 - t2,
        warnings,
        info,
    })
}

/// What JPEG shows under transparent pixels: the theme's background, else white.
fn matte(spec: &ChartSpec, figure: &crate::figure::Figure) -> peniko::Color {
    let theme = crate::theme::Theme::get(spec.options.theme).background;
    [figure.background, theme]
        .into_iter()
        .find(|c| c.components[3] >= 1.0)
        .unwrap_or(peniko::Color::WHITE)
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

/// One render thread's reusable state: a text shaper (with its shaping cache), a renderer (with
/// its contexts), the pixel buffer and the encoder's buffers, all kept between charts so a
/// chart allocates little. The encoder reads the pixels where the renderer wrote them.
pub struct ChartWorker {
    shaper: TextShaper,
    renderer: Box<dyn Renderer>,
    pixels: Vec<u8>,
    encoder: Scratch,
}

impl std::fmt::Debug for ChartWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChartWorker")
            .field("backend", &self.renderer.kind())
            .finish_non_exhaustive()
    }
}

impl ChartWorker {
    /// A worker drawing with `renderer`, with the embedded fonts.
    pub fn new(renderer: Box<dyn Renderer>) -> ChartWorker {
        ChartWorker::with_fonts(renderer, &FontSet::embedded())
    }

    /// A worker drawing with `renderer`, shaping with `fonts` (the embedded and a user's).
    pub fn with_fonts(renderer: Box<dyn Renderer>, fonts: &FontSet) -> ChartWorker {
        ChartWorker {
            shaper: TextShaper::with_fonts(fonts),
            renderer,
            pixels: Vec::new(),
            encoder: Scratch::default(),
        }
    }

    /// The backend this worker draws with.
    pub fn kind(&self) -> BackendKind {
        self.renderer.kind()
    }

    /// Lays out, renders and encodes a validated spec, reusing this worker's buffers.
    pub fn render(&mut self, spec: &ChartSpec) -> Result<ChartOutput, PipelineError> {
        run(
            spec,
            &mut self.shaper,
            self.renderer.as_mut(),
            &mut self.pixels,
            &mut self.encoder,
        )
    }

    /// Parses and validates JSON spec bytes, then [`Self::render`]s them.
    pub fn render_json(&mut self, json: &[u8]) -> Result<ChartOutput, PipelineError> {
        let spec = spec::parse_spec(json)?;
        self.render(&spec)
    }
}
