//! Borrowed, size-checked RGBA8 pixels: what the raster encoders read.

use super::error::EncodeError;
use crate::render::Image;

/// Borrowed RGBA8 pixels (tightly packed rows, top to bottom) of a checked size: what the
/// encoders read, straight from a renderer's buffer.
#[derive(Clone, Copy, Debug)]
pub struct Pixels<'a> {
    width: u32,
    height: u32,
    data: &'a [u8],
    /// Whether every pixel is opaque, when the caller knows; else found out when needed.
    opaque: Option<bool>,
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
            opaque: None,
        })
    }

    /// Declares whether every pixel is opaque, as the renderer knows (a figure drawn over an
    /// opaque background is), sparing the encoder a pass to find out.
    pub fn with_opacity(self, opaque: bool) -> Pixels<'a> {
        Pixels {
            opaque: Some(opaque),
            ..self
        }
    }

    /// Whether every pixel is opaque (declared, or checked).
    pub fn is_opaque(&self) -> bool {
        // A fold without early exit vectorises; charts are opaque, so it runs to the end anyway.
        self.opaque
            .unwrap_or_else(|| self.data.chunks_exact(4).fold(255u8, |a, p| a & p[3]) == 255)
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
