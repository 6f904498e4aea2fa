//! JPEG: pixels flattened over a matte (JPEG has no alpha), then the pure-Rust `jpeg-encoder`
//! at a quality, 4:2:0 chroma (its default; charts' flat colours survive it well at 90).

use super::error::EncodeError;
use super::pixels::Pixels;
use peniko::Color;

/// `quality` when the request gives none: visually clean edges on text and thin lines.
pub const DEFAULT_JPEG_QUALITY: u8 = 90;

/// Encodes `px` as JPEG at `quality` (1–100), translucent pixels flattened over `matte`.
pub fn jpeg_pixels(px: Pixels<'_>, quality: u8, matte: Color) -> Result<Vec<u8>, EncodeError> {
    let (Ok(w), Ok(h)) = (u16::try_from(px.width()), u16::try_from(px.height())) else {
        return Err(EncodeError::Jpeg(format!(
            "{}×{} is larger than JPEG allows",
            px.width(),
            px.height()
        )));
    };
    let m = matte.to_rgba8();
    let matte = [u16::from(m.r), u16::from(m.g), u16::from(m.b)];
    let opaque = px.is_opaque();
    let rgb: Vec<u8> = px
        .data()
        .chunks_exact(4)
        .flat_map(|p| {
            if opaque || p[3] == 255 {
                [p[0], p[1], p[2]]
            } else {
                // Straight (not premultiplied) alpha, as the PNG encoder writes it.
                let a = u16::from(p[3]);
                let mix = |c: u8, m: u16| ((u16::from(c) * a + m * (255 - a) + 127) / 255) as u8;
                [
                    mix(p[0], matte[0]),
                    mix(p[1], matte[1]),
                    mix(p[2], matte[2]),
                ]
            }
        })
        .collect();
    let mut out = Vec::with_capacity(rgb.len() / 8);
    jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100))
        .encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| EncodeError::Jpeg(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transparent_pixels_take_the_matte() {
        let data: Vec<u8> = (0..16 * 16).flat_map(|_| [0, 0, 0, 0]).collect();
        let px = Pixels::new(16, 16, &data).unwrap();
        let bytes = jpeg_pixels(px, 90, Color::from_rgb8(255, 255, 255)).unwrap();
        assert_eq!(&bytes[..2], &[0xFF, 0xD8]);
        let low = jpeg_pixels(px, 10, Color::from_rgb8(255, 255, 255)).unwrap();
        assert!(!low.is_empty());
    }
}
