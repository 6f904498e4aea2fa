//! Why encoding failed.

/// Why encoding failed.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {0}")]
    Png(#[from] png::EncodingError),
    /// The WebP encoder failed.
    #[error("WebP encoding failed: {0}")]
    Webp(String),
    /// The JPEG encoder failed.
    #[error("JPEG encoding failed: {0}")]
    Jpeg(String),
    /// The PDF writer failed.
    #[error("PDF writing failed: {0}")]
    Pdf(String),
    /// A vector format was asked of pixels, or a raster format of the vector path.
    #[error("{0} is not encoded from this input")]
    WrongInput(&'static str),
    /// The pixel buffer does not match the stated size.
    #[error("image buffer is {got} bytes, expected {expected}")]
    BadBuffer {
        /// `width × height × 4`.
        expected: usize,
        /// Actual length.
        got: usize,
    },
}
