//! Encoding: pixels → PNG or WebP bytes.
//!
//! PNG uses the `png` crate's `Fast` preset (fdeflate, filter chosen by the preset): in the
//! spike it was ~10× quicker than `Balanced` for ~40 % more bytes, and encode time dominates a
//! chart's cost. Opaque images (every chart on a theme background) are written as RGB, a quarter
//! less data to compress. WebP is lossless by default (pure-Rust `image-webp`, fast, exact);
//! a quality selects libwebp's lossy mode (smaller, several times slower).

use crate::render::Image;
use crate::spec::{Format, WebpMode};

/// Why encoding failed.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {0}")]
    Png(#[from] png::EncodingError),
    /// The WebP encoder failed.
    #[error("WebP encoding failed: {0}")]
    Webp(String),
    /// The pixel buffer does not match the stated size.
    #[error("image buffer is {got} bytes, expected {expected}")]
    BadBuffer {
        /// `width × height × 4`.
        expected: usize,
        /// Actual length.
        got: usize,
    },
}

/// PNG compression presets we expose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PngLevel {
    /// fdeflate: the serving default.
    #[default]
    Fast,
    /// zlib-level compression, several times slower, ~30 % smaller.
    Balanced,
}

/// Borrowed RGBA8 pixels (tightly packed rows, top to bottom) of a checked size: what the
/// encoders read, straight from a renderer's buffer.
#[derive(Clone, Copy, Debug)]
pub struct Pixels<'a> {
    width: u32,
    height: u32,
    data: &'a [u8],
}

impl<'a> Pixels<'a> {
    /// Wraps `data`, which must be exactly `width × height × 4` bytes.
    pub fn new(width: u32, height: u32, data: &'a [u8]) -> Result<Pixels<'a>, EncodeError> {
        let expected = width as usize * height as usize * 4;
        if data.len() != expected {
            return Err(EncodeError::BadBuffer {
                expected,
                got: data.len(),
            });
        }
        Ok(Pixels {
            width,
            height,
            data,
        })
    }

    /// Width in px.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in px.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The RGBA8 bytes.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }
}

impl Image {
    /// This image's pixels, checked against its size.
    pub fn pixels(&self) -> Result<Pixels<'_>, EncodeError> {
        Pixels::new(self.width, self.height, &self.data)
    }
}

/// Whether every pixel is fully opaque.
pub fn is_opaque(rgba: &[u8]) -> bool {
    rgba.chunks_exact(4).all(|p| p[3] == 255)
}

/// Encodes `image` as PNG at `level`.
pub fn png(image: &Image, level: PngLevel) -> Result<Vec<u8>, EncodeError> {
    png_pixels(image.pixels()?, level)
}

/// Encodes borrowed pixels as PNG at `level`.
pub fn png_pixels(px: Pixels<'_>, level: PngLevel) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(px.data.len() / 8);
    {
        let mut encoder = png::Encoder::new(&mut out, px.width, px.height);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(match level {
            PngLevel::Fast => png::Compression::Fast,
            PngLevel::Balanced => png::Compression::Balanced,
        });
        if is_opaque(px.data) {
            encoder.set_color(png::ColorType::Rgb);
            let rgb: Vec<u8> = px
                .data
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            let mut writer = encoder.write_header()?;
            writer.write_image_data(&rgb)?;
            writer.finish()?;
        } else {
            encoder.set_color(png::ColorType::Rgba);
            let mut writer = encoder.write_header()?;
            writer.write_image_data(px.data)?;
            writer.finish()?;
        }
    }
    Ok(out)
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
                .encode(px.data, px.width, px.height, image_webp::ColorType::Rgba8)
                .map_err(|e| EncodeError::Webp(e.to_string()))?;
            Ok(out)
        }
        WebpMode::Lossy(quality) => {
            let encoder = webp::Encoder::from_rgba(px.data, px.width, px.height);
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
    match format {
        Format::Png => png_pixels(px, PngLevel::Fast),
        Format::Webp => webp_pixels(px, webp_mode),
    }
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

    fn decode_png(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info, buf)
    }

    #[test]
    fn png_round_trips_opaque_as_rgb() {
        let img = sample(true);
        let (info, px) = decode_png(&png(&img, PngLevel::Fast).unwrap());
        assert_eq!(info.color_type, png::ColorType::Rgb);
        let rgb: Vec<u8> = img
            .data
            .chunks(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        assert_eq!(px, rgb);
    }

    #[test]
    fn png_keeps_alpha_when_translucent() {
        let img = sample(false);
        let (info, px) = decode_png(&png(&img, PngLevel::Balanced).unwrap());
        assert_eq!(info.color_type, png::ColorType::Rgba);
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
