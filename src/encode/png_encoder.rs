//! PNG: indexed when the image has at most 256 colours, else RGB when opaque (converted a few
//! rows at a time as the encoder takes them), else RGBA; at the fast level one filter for the
//! whole image, chosen from a sample of rows.
//!
//! Measured on the benchmark charts (`examples/png_tuning.rs`): the png crate's adaptive filter
//! tries five filters on every row — about 40 % of the encoding time of a simple chart — for
//! 3–10 % fewer bytes than the best single filter, so the image gets the single filter that the
//! same heuristic prefers on a sample of rows. Tried and dropped: a filter per band of rows
//! (slower, a call per row, and larger: one row is a poor sample of the next fifteen), and
//! counting zero bytes instead of summing magnitudes (it chose `Up` for busy charts where
//! `Paeth` is half the size).

use super::error::EncodeError;
use super::pixels::Pixels;
use std::io::Write;

/// PNG compression presets we expose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PngLevel {
    /// fdeflate: the serving default.
    #[default]
    Fast,
    /// zlib-level compression, several times slower, ~30 % smaller.
    Balanced,
}

/// Most colours of an indexed PNG.
const PALETTE_MAX: usize = 256;
/// Slots of the colour → index table while a palette is built: a power of two, at least
/// twice [`PALETTE_MAX`] so probes stay short.
const PALETTE_SLOTS: usize = 1024;
/// How many rows the filters are tried on, spread over the image.
const FILTER_SAMPLE_ROWS: usize = 24;
/// Rows converted to RGB at a time.
const RGB_ROWS: usize = 8;
/// Bytes of compressed data per IDAT chunk.
const IDAT_BYTES: usize = 256 * 1024;

/// Buffers reused between charts (a render worker keeps one): palette indices, or a few rows
/// of RGB samples.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    samples: Vec<u8>,
}

impl Scratch {
    /// Encodes `px` as PNG at `level`, with `text` (keyword, text) as `iTXt` chunks.
    pub(super) fn png(
        &mut self,
        px: Pixels<'_>,
        level: PngLevel,
        text: &[(&str, &str)],
    ) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(px.data().len() / 16);
        let mut encoder = png::Encoder::new(&mut out, px.width(), px.height());
        for (keyword, value) in text {
            if !value.is_empty() {
                encoder.add_itxt_chunk((*keyword).to_owned(), (*value).to_owned())?;
            }
        }
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(match level {
            PngLevel::Fast => png::Compression::Fast,
            PngLevel::Balanced => png::Compression::Balanced,
        });
        let layout = if let Some(colours) = palette(px.data(), &mut self.samples) {
            encoder.set_palette(
                colours
                    .iter()
                    .flat_map(|c| [c[0], c[1], c[2]])
                    .collect::<Vec<u8>>(),
            );
            if colours.iter().any(|c| c[3] != 255) {
                encoder.set_trns(colours.iter().map(|c| c[3]).collect::<Vec<u8>>());
            }
            Layout::Indexed
        } else if px.is_opaque() {
            Layout::Rgb
        } else {
            Layout::Rgba
        };
        encoder.set_color(layout.color());
        let width = px.width() as usize;
        encoder.set_filter(match (level, layout) {
            // Palette indices are not values, but per-row filtering still turns runs of one
            // colour into zeros: the bar case is 7 KB this way, 19 KB with `Sub` throughout.
            (PngLevel::Balanced, _) | (_, Layout::Indexed) => png::Filter::Adaptive,
            // Chosen on the RGBA rows: alpha bytes are equal along an opaque image, so they
            // add nothing to any filter's cost.
            (PngLevel::Fast, _) => pick_filter(px.data(), width * 4, 4),
        });
        let mut writer = encoder.write_header()?;
        match layout {
            Layout::Indexed => writer.write_image_data(&self.samples)?,
            Layout::Rgba => writer.write_image_data(px.data())?,
            Layout::Rgb => {
                // Converted a few rows at a time into a small buffer that stays in cache,
                // rather than into a full-size copy the encoder reads back from memory.
                let mut stream = writer.stream_writer_with_size(IDAT_BYTES)?;
                self.samples.resize(width * 3 * RGB_ROWS, 0);
                for rows in px.data().chunks(width * 4 * RGB_ROWS) {
                    let out = &mut self.samples[..rows.len() / 4 * 3];
                    rgb(rows, out);
                    stream
                        .write_all(out)
                        .map_err(|e| EncodeError::Png(e.into()))?;
                }
                stream.finish()?;
            }
        }
        writer.finish()?;
        Ok(out)
    }
}

/// How the samples of a PNG are laid out.
#[derive(Clone, Copy)]
enum Layout {
    /// One palette index per pixel.
    Indexed,
    /// Red, green, blue (every pixel opaque).
    Rgb,
    /// Red, green, blue, alpha.
    Rgba,
}

impl Layout {
    fn color(self) -> png::ColorType {
        match self {
            Layout::Indexed => png::ColorType::Indexed,
            Layout::Rgb => png::ColorType::Rgb,
            Layout::Rgba => png::ColorType::Rgba,
        }
    }
}

/// The exact palette of `rgba` — its distinct colours, at most [`PALETTE_MAX`] — with one
/// index per pixel written to `indices`, or `None` as soon as a 257th colour shows up. The
/// image is walked in runs of one colour: a run's end is found eight pixels at a time (flat
/// areas are most of a chart), its colour looked up once in a small open-addressing table.
fn palette(rgba: &[u8], indices: &mut Vec<u8>) -> Option<Vec<[u8; 4]>> {
    const WIDE: usize = 8 * 4;
    indices.clear();
    indices.reserve(rgba.len() / 4);
    let mut slots = [(0u32, 0u8, false); PALETTE_SLOTS];
    let mut colours: Vec<[u8; 4]> = Vec::with_capacity(PALETTE_MAX);
    let mut at = 0;
    while let Some(p) = rgba.get(at..at + 4) {
        let colour = [p[0], p[1], p[2], p[3]];
        let key = u32::from_le_bytes(colour);
        // Fibonacci hashing: the top bits of the product pick the slot.
        let mut slot = (key.wrapping_mul(0x9E37_79B9) >> 22) as usize % PALETTE_SLOTS;
        let index = loop {
            let (k, index, used) = slots[slot];
            if !used {
                if colours.len() == PALETTE_MAX {
                    return None;
                }
                let index = colours.len() as u8;
                colours.push(colour);
                slots[slot] = (key, index, true);
                break index;
            }
            if k == key {
                break index;
            }
            slot = (slot + 1) % PALETTE_SLOTS;
        };
        let mut end = at + 4;
        if rgba.get(end..end + 4) == Some(&colour[..]) {
            let wide: [u8; WIDE] = std::array::from_fn(|i| colour[i % 4]);
            while rgba.get(end..end + WIDE) == Some(&wide[..]) {
                end += WIDE;
            }
            while rgba.get(end..end + 4) == Some(&colour[..]) {
                end += 4;
            }
        }
        indices.resize(indices.len() + (end - at) / 4, index);
        at = end;
    }
    Some(colours)
}

/// RGBA pixels as RGB samples, four pixels at a time as 32-bit words.
fn rgb(rgba: &[u8], rgb: &mut [u8]) {
    let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let quads = rgba.chunks_exact(16);
    let tail = quads.remainder();
    let mut out = rgb.chunks_exact_mut(12);
    for (src, dst) in quads.zip(&mut out) {
        let (p0, p1, p2, p3) = (
            word(&src[0..4]),
            word(&src[4..8]),
            word(&src[8..12]),
            word(&src[12..16]),
        );
        dst[0..4].copy_from_slice(&((p0 & 0x00FF_FFFF) | (p1 << 24)).to_le_bytes());
        dst[4..8].copy_from_slice(&(((p1 >> 8) & 0xFFFF) | (p2 << 16)).to_le_bytes());
        dst[8..12].copy_from_slice(&(((p2 >> 16) & 0xFF) | (p3 << 8)).to_le_bytes());
    }
    for (src, dst) in tail
        .chunks_exact(4)
        .zip(out.into_remainder().chunks_exact_mut(3))
    {
        dst.copy_from_slice(&src[..3]);
    }
}

/// The one filter for every row of `samples` (rows of `stride` bytes, `bpp` bytes a pixel):
/// `Sub`, `Up` or `Paeth`, whichever has the least cost on [`FILTER_SAMPLE_ROWS`] rows spread
/// over the image — the sum of the filtered bytes' magnitudes, the heuristic of libpng and of
/// the png crate's adaptive filter. Eight rows proved too few: the 1,000-point line's zigzag
/// was missed and `Up` chosen, 48 % larger than `Paeth`.
fn pick_filter(samples: &[u8], stride: usize, bpp: usize) -> png::Filter {
    let rows = samples.len() / stride.max(1);
    let mut cost = [0u64; 3];
    for r in (1..rows).step_by((rows / FILTER_SAMPLE_ROWS).max(1)) {
        let (above, row) = samples[(r - 1) * stride..(r + 1) * stride].split_at(stride);
        for (total, c) in cost.iter_mut().zip(row_costs(row, above, bpp)) {
            *total += c;
        }
    }
    let [sub, up, paeth] = cost;
    // Paeth is the slowest filter to apply (~30 % more encoding time): it must win by 5 %.
    if paeth * 20 < sub.min(up) * 19 {
        png::Filter::Paeth
    } else if up < sub {
        png::Filter::Up
    } else {
        png::Filter::Sub
    }
}

/// The costs of `row` (after `above`) filtered by `Sub`, `Up` and `Paeth`: the sums of the
/// filtered bytes' magnitudes as signed bytes. Written as plain maps over equal-length slices
/// with 32-bit sums, so each vectorises.
fn row_costs(row: &[u8], above: &[u8], bpp: usize) -> [u64; 3] {
    let n = row.len().min(above.len()).saturating_sub(bpp);
    let (v, a, b, c) = (
        &row[bpp..bpp + n],
        &row[..n],
        &above[bpp..bpp + n],
        &above[..n],
    );
    let magnitude = |x: i16| u32::from(((x as u8) as i8).unsigned_abs());
    let sub: u32 = v
        .iter()
        .zip(a)
        .map(|(&x, &p)| magnitude(i16::from(x) - i16::from(p)))
        .sum();
    let up: u32 = row
        .iter()
        .zip(above)
        .map(|(&x, &p)| magnitude(i16::from(x) - i16::from(p)))
        .sum();
    let paeth: u32 = v
        .iter()
        .zip(a)
        .zip(b.iter().zip(c))
        .map(|((&x, &a), (&b, &c))| {
            let (x, a, b, c) = (i16::from(x), i16::from(a), i16::from(b), i16::from(c));
            magnitude(x - paeth_i16(a, b, c))
        })
        .sum();
    [u64::from(sub), u64::from(up), u64::from(paeth)]
}

/// The PNG Paeth predictor (RFC 2083 §6.6) of a pixel's left (`a`), upper (`b`) and upper-left
/// (`c`) bytes, on widened values and with selects only, so loops over it vectorise.
fn paeth_i16(a: i16, b: i16, c: i16) -> i16 {
    let pa = (b - c).abs();
    let pb = (a - c).abs();
    let pc = (a + b - 2 * c).abs();
    let b_or_c = if pb <= pc { b } else { c };
    if pa <= pb && pa <= pc { a } else { b_or_c }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paeth_predictor_matches_the_specification() {
        // RFC 2083's reference formulation, with its tie order (a, then b, then c).
        let reference = |a: u8, b: u8, c: u8| {
            let p = i16::from(a) + i16::from(b) - i16::from(c);
            let (pa, pb, pc) = (
                (p - i16::from(a)).abs(),
                (p - i16::from(b)).abs(),
                (p - i16::from(c)).abs(),
            );
            if pa <= pb && pa <= pc {
                a
            } else if pb <= pc {
                b
            } else {
                c
            }
        };
        for a in (0..=255u8).step_by(3) {
            for b in (0..=255u8).step_by(5) {
                for c in (0..=255u8).step_by(7) {
                    let ours = paeth_i16(i16::from(a), i16::from(b), i16::from(c));
                    assert_eq!(ours, i16::from(reference(a, b, c)), "{a} {b} {c}");
                }
            }
        }
    }

    #[test]
    fn rgb_drops_alpha() {
        for width in [1usize, 3, 4, 5, 17] {
            let rgba: Vec<u8> = (0..width * 4).map(|i| (i * 37 % 251) as u8).collect();
            let mut out = vec![0; width * 3];
            rgb(&rgba, &mut out);
            let expected: Vec<u8> = rgba.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
            assert_eq!(out, expected, "width {width}");
        }
    }

    #[test]
    fn palettes_are_exact_or_absent() {
        let few: Vec<u8> = (0..1000u32)
            .flat_map(|i| [(i % 7) as u8, 0, 9, 255])
            .collect();
        let mut indices = Vec::new();
        let colours = palette(&few, &mut indices).unwrap();
        assert_eq!(colours.len(), 7);
        for (i, p) in few.chunks(4).enumerate() {
            assert_eq!(colours[indices[i] as usize], [p[0], p[1], p[2], p[3]]);
        }
        let exactly: Vec<u8> = (0..256u32).flat_map(|i| [i as u8, 1, 2, 255]).collect();
        assert_eq!(palette(&exactly, &mut indices).map(|c| c.len()), Some(256));
        let many: Vec<u8> = (0..257u32)
            .flat_map(|i| [i as u8, (i >> 8) as u8, 2, 255])
            .collect();
        assert!(palette(&many, &mut indices).is_none());
    }
}
