//! Encoding: pixels → PNG, WebP or JPEG bytes; the figure itself → SVG or PDF.
//!
//! PNG is written with fdeflate (the `png` crate's `Fast` deflate), ~10× quicker than zlib for
//! ~40 % more bytes: encoding is a large share of a chart's cost. Images of at most 256
//! colours are written indexed, others as RGB (opaque) or RGBA, with one filter per image
//! chosen from sampled rows (`png_encoder`, measured by `examples/png_tuning.rs`). WebP is
//! lossless by default (pure-Rust `image-webp`, fast, exact); a quality selects libwebp's lossy
//! mode (smaller, several times slower). JPEG (`jpeg` module) is flattened over a matte first.
//! SVG (`svg`) and PDF (`pdf`) are written from the [`Figure`], not from pixels.
//!
//! Every format carries the chart's [`DocInfo`]: PNG as `iTXt` `Title`/`Description` chunks, SVG
//! as `<title>`/`<desc>`, PDF as title/subject and a tagged figure with alt text.

mod doc_info;
mod error;
mod glyphs;
mod jpeg;
mod pdf;
mod pixels;
mod png_encoder;
mod svg;

pub use doc_info::DocInfo;
pub use error::EncodeError;
pub use pixels::Pixels;
pub use png_encoder::PngLevel;

pub use jpeg::{DEFAULT_JPEG_QUALITY, jpeg_pixels};
pub use pdf::pdf;
pub use svg::{SvgOptions, svg};

use crate::figure::Figure;
use crate::render::Image;
use crate::spec::{Format, SvgText, WebpMode};

/// Encodes `image` as PNG at `level`.
pub fn png(image: &Image, level: PngLevel) -> Result<Vec<u8>, EncodeError> {
    png_pixels(image.pixels()?, level)
}

/// Encodes borrowed pixels as PNG at `level`.
pub fn png_pixels(px: Pixels<'_>, level: PngLevel) -> Result<Vec<u8>, EncodeError> {
    Scratch::default().png(px, level)
}

/// Buffers the encoders reuse between images (a render worker keeps one).
#[derive(Debug, Default)]
pub struct Scratch {
    png: png_encoder::Scratch,
}

impl Scratch {
    /// Encodes `px` as PNG at `level`, with this scratch's buffers.
    pub fn png(&mut self, px: Pixels<'_>, level: PngLevel) -> Result<Vec<u8>, EncodeError> {
        self.png.png(px, level, &[])
    }

    /// Encodes `px` in a raster `format` (PNG at the fast preset), with no description.
    pub fn encode(
        &mut self,
        px: Pixels<'_>,
        format: Format,
        webp_mode: WebpMode,
    ) -> Result<Vec<u8>, EncodeError> {
        self.encode_described(
            px,
            format,
            webp_mode,
            &DocInfo::default(),
            peniko::Color::WHITE,
        )
    }

    /// Encodes `px` in a raster `format`, carrying `info` where the format has room for it
    /// (PNG `iTXt`), JPEG flattened over `matte` where `px` is not opaque.
    pub fn encode_described(
        &mut self,
        px: Pixels<'_>,
        format: Format,
        webp_mode: WebpMode,
        info: &DocInfo,
        matte: peniko::Color,
    ) -> Result<Vec<u8>, EncodeError> {
        match format {
            Format::Png => {
                let title = info.title.as_deref().unwrap_or("");
                let text = [("Title", title), ("Description", info.alt_text.as_str())];
                self.png.png(px, PngLevel::Fast, &text)
            }
            Format::Webp => webp_pixels(px, webp_mode),
            Format::Jpeg => {
                let quality = match webp_mode {
                    WebpMode::Lossy(q) => q.round().clamp(1.0, 100.0) as u8,
                    WebpMode::Lossless => DEFAULT_JPEG_QUALITY,
                };
                jpeg_pixels(px, quality, matte)
            }
            Format::Svg | Format::Pdf => Err(EncodeError::WrongInput(format.name())),
        }
    }
}

/// Writes `figure` in a vector `format` (SVG with `svg_text`, or PDF).
pub fn vector(
    figure: &Figure,
    format: Format,
    info: &DocInfo,
    svg_text: SvgText,
) -> Result<Vec<u8>, EncodeError> {
    match format {
        Format::Svg => Ok(svg(figure, info, &SvgOptions::new(svg_text))),
        Format::Pdf => pdf(figure, info),
        Format::Png | Format::Webp | Format::Jpeg => Err(EncodeError::WrongInput(format.name())),
    }
}

/// Encodes `image` as WebP.
pub fn webp(image: &Image, mode: WebpMode) -> Result<Vec<u8>, EncodeError> {
    webp_pixels(image.pixels()?, mode)
}

/// Encodes borrowed pixels as WebP.
pub fn webp_pixels(px: Pixels<'_>, mode: WebpMode) -> Result<Vec<u8>, EncodeError> {
    match mode {
        WebpMode::Lossless => {
            let mut out = Vec::new();
            image_webp::WebPEncoder::new(&mut out)
                .encode(
                    px.data(),
                    px.width(),
                    px.height(),
                    image_webp::ColorType::Rgba8,
                )
                .map_err(|e| EncodeError::Webp(e.to_string()))?;
            Ok(out)
        }
        WebpMode::Lossy(quality) => {
            let encoder = webp::Encoder::from_rgba(px.data(), px.width(), px.height());
            let memory = encoder
                .encode_simple(false, quality.clamp(1.0, 100.0))
                .map_err(|e| EncodeError::Webp(format!("{e:?}")))?;
            Ok(memory.to_vec())
        }
    }
}

/// Encodes `image` in `format` (PNG at the fast preset).
pub fn encode(image: &Image, format: Format, webp_mode: WebpMode) -> Result<Vec<u8>, EncodeError> {
    encode_pixels(image.pixels()?, format, webp_mode)
}

/// Encodes borrowed pixels in `format` (PNG at the fast preset).
pub fn encode_pixels(
    px: Pixels<'_>,
    format: Format,
    webp_mode: WebpMode,
) -> Result<Vec<u8>, EncodeError> {
    Scratch::default().encode(px, format, webp_mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(opaque: bool) -> Image {
        let (w, h) = (37u32, 11u32);
        let data = (0..w * h)
            .flat_map(|i| {
                [
                    (i % 251) as u8,
                    (i * 7 % 256) as u8,
                    40,
                    if opaque { 255 } else { 128 },
                ]
            })
            .collect();
        Image {
            width: w,
            height: h,
            data,
        }
    }

    /// Decodes a PNG to 8-bit RGB or RGBA, palettes expanded.
    fn decode_expanded(bytes: &[u8]) -> (png::ColorType, png::ColorType, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let stored = reader.info().color_type;
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (stored, info.color_type, buf)
    }

    #[test]
    fn png_round_trips_opaque_as_rgb() {
        let img = sample(true);
        let (stored, _, px) = decode_expanded(&png(&img, PngLevel::Fast).unwrap());
        assert_eq!(stored, png::ColorType::Rgb);
        let rgb: Vec<u8> = img
            .data
            .chunks(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        assert_eq!(px, rgb);
    }

    #[test]
    fn few_colours_are_written_indexed_and_exactly() {
        let (w, h) = (64u32, 40u32);
        let colours = [[11, 21, 38, 255], [0, 212, 255, 255], [250, 250, 250, 128]];
        let data = (0..w * h)
            .flat_map(|i| colours[((i % w) / 9 + (i / w) / 7) as usize % 3])
            .collect();
        let img = Image {
            width: w,
            height: h,
            data,
        };
        let (stored, expanded, px) = decode_expanded(&png(&img, PngLevel::Fast).unwrap());
        assert_eq!(stored, png::ColorType::Indexed);
        // The translucent entry comes back through tRNS.
        assert_eq!(expanded, png::ColorType::Rgba);
        assert_eq!(px, img.data);
    }

    #[test]
    fn every_band_filter_round_trips() {
        // Bands that favour each filter: flat rows, vertical stripes, a diagonal gradient, and
        // noise; more than 256 colours, opaque, so RGB with a filter per band.
        let (w, h) = (203u32, 160u32);
        let mut seed = 7u32;
        let data = (0..w * h)
            .flat_map(|i| {
                let (x, y) = (i % w, i / w);
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let v = match y / 40 {
                    0 => 200,
                    1 => (x / 3 * 40) as u8,
                    2 => (x + y) as u8,
                    _ => (seed >> 24) as u8,
                };
                [v, v.wrapping_mul(3), (x * y) as u8, 255]
            })
            .collect();
        let img = Image {
            width: w,
            height: h,
            data,
        };
        for level in [PngLevel::Fast, PngLevel::Balanced] {
            let (stored, _, px) = decode_expanded(&png(&img, level).unwrap());
            assert_eq!(stored, png::ColorType::Rgb);
            let rgb: Vec<u8> = img
                .data
                .chunks(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            assert_eq!(px, rgb, "{level:?}");
        }
    }

    #[test]
    fn png_keeps_alpha_when_translucent() {
        let img = sample(false);
        let (stored, _, px) = decode_expanded(&png(&img, PngLevel::Balanced).unwrap());
        assert_eq!(stored, png::ColorType::Rgba);
        assert_eq!(px, img.data);
    }

    #[test]
    fn webp_lossless_round_trips() {
        let img = sample(true);
        let bytes = webp(&img, WebpMode::Lossless).unwrap();
        let mut dec = image_webp::WebPDecoder::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut out = vec![0; dec.output_buffer_size().unwrap()];
        dec.read_image(&mut out).unwrap();
        let rgb: Vec<u8> = img
            .data
            .chunks(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        // The decoder reports RGB for images without alpha.
        assert!(out == img.data || out == rgb);
    }

    #[test]
    fn webp_lossy_is_riff() {
        let bytes = webp(&sample(true), WebpMode::Lossy(80.0)).unwrap();
        assert_eq!(&bytes[..4], b"RIFF");
        assert_eq!(&bytes[8..12], b"WEBP");
    }

    #[test]
    fn bad_buffer_is_an_error() {
        let mut img = sample(true);
        img.data.pop();
        assert!(matches!(
            png(&img, PngLevel::Fast),
            Err(EncodeError::BadBuffer { .. })
        ));
    }
}
