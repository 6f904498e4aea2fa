//! What the vector encoders need from a font beyond the glyph ids the figure holds: each glyph's
//! outline (SVG draws glyphs as paths) and the text each glyph stands for (so SVG and PDF text
//! is selectable and searchable).
//!
//! The figure keeps glyph ids, not strings: layout shaped the text once and every backend draws
//! the same glyphs. The characters come back through a reverse character map: the font's `cmap`
//! inverted, plus the glyphs our own shaping picks for single characters (tabular figures are
//! other glyphs than the `cmap` ones, and every tick label uses them). A glyph that maps to no
//! character (a ligature, a contextual Arabic form) is drawn all the same and adds no text.

use crate::text::{ShapedRun, TextShaper, Weight};
use kurbo::BezPath;
use parley::FontData;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::raw::TableProvider as _;
use skrifa::{FontRef, GlyphId, MetadataProvider};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

/// A font's identity: its blob and index in a collection.
pub(super) type FontKey = (u64, u32);

/// The key of `font`.
pub(super) fn font_key(font: &FontData) -> FontKey {
    (font.data.id(), font.index)
}

/// A font's units per em (1000 when the font cannot be read: a harmless scale, never a panic).
pub(super) fn units_per_em(font: &FontData) -> f32 {
    FontRef::from_index(font.data.data(), font.index)
        .map(|f| f32::from(f.head().map_or(1000, |h| h.units_per_em())))
        .unwrap_or(1000.0)
}

/// A glyph's outline in font units (y up), or `None` for a glyph with no outline (a space) or
/// an unreadable font.
pub(super) fn outline(font: &FontData, glyph: u32) -> Option<BezPath> {
    let font = FontRef::from_index(font.data.data(), font.index).ok()?;
    let glyph = font.outline_glyphs().get(GlyphId::new(glyph))?;
    let mut pen = PathPen(BezPath::new());
    glyph
        .draw(
            DrawSettings::unhinted(Size::unscaled(), LocationRef::default()),
            &mut pen,
        )
        .ok()?;
    (!pen.0.elements().is_empty()).then_some(pen.0)
}

struct PathPen(BezPath);

impl OutlinePen for PathPen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to((f64::from(x), f64::from(y)));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to((f64::from(x), f64::from(y)));
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(
            (f64::from(cx0), f64::from(cy0)),
            (f64::from(x), f64::from(y)),
        );
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.curve_to(
            (f64::from(cx0), f64::from(cy0)),
            (f64::from(cx1), f64::from(cy1)),
            (f64::from(x), f64::from(y)),
        );
    }
    fn close(&mut self) {
        self.0.close_path();
    }
}

/// The text of a run and, per glyph, its byte range in that text (empty for a glyph that maps
/// to no character).
pub(super) fn run_text(run: &ShapedRun) -> (String, Vec<Range<usize>>) {
    let map = reverse_map(&run.font);
    let mut text = String::new();
    let mut ranges = Vec::with_capacity(run.glyphs.len());
    for g in &run.glyphs {
        let start = text.len();
        if let Some(c) = map.get(&g.id) {
            text.push(*c);
        }
        ranges.push(start..text.len());
    }
    (text, ranges)
}

/// The family name of a font (its `name` table), for SVG `font-family`.
pub(super) fn family_name(font: &FontData) -> Option<String> {
    let font = FontRef::from_index(font.data.data(), font.index).ok()?;
    let name = font
        .localized_strings(skrifa::string::StringId::FAMILY_NAME)
        .english_or_first()?;
    Some(name.chars().collect())
}

/// Glyph id → character, for one font.
type ReverseMap = Arc<HashMap<u32, char>>;

/// Glyph id → character for `font`, built once per font and shared.
fn reverse_map(font: &FontData) -> ReverseMap {
    static MAPS: OnceLock<Mutex<HashMap<FontKey, ReverseMap>>> = OnceLock::new();
    let maps = MAPS.get_or_init(Default::default);
    let key = font_key(font);
    if let Some(hit) = maps.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return hit;
    }
    let mut map: HashMap<u32, char> = HashMap::new();
    if let Ok(f) = FontRef::from_index(font.data.data(), font.index) {
        for (cp, gid) in f.charmap().mappings() {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            // Several characters may share a glyph (a space and a no-break space); keep the
            // lowest, the usual one.
            map.entry(gid.to_u32())
                .and_modify(|old| *old = (*old).min(c))
                .or_insert(c);
        }
    }
    for (&(k, gid), &c) in shaped_singles() {
        if k == key {
            map.insert(gid, c);
        }
    }
    let map = Arc::new(map);
    if let Ok(mut m) = maps.lock() {
        m.insert(key, map.clone());
    }
    map
}

/// The glyph our shaping picks for each printable ASCII character at each weight (tabular
/// figures among them), keyed by font and glyph id.
fn shaped_singles() -> &'static HashMap<(FontKey, u32), char> {
    static SINGLES: OnceLock<HashMap<(FontKey, u32), char>> = OnceLock::new();
    SINGLES.get_or_init(|| {
        let mut shaper = TextShaper::new();
        let mut out = HashMap::new();
        for weight in [Weight::Regular, Weight::Medium, Weight::SemiBold] {
            for c in (0x21u8..0x7f).map(char::from) {
                let shaped = shaper.shape(c.encode_utf8(&mut [0; 4]), 12.0, weight);
                if let [run] = shaped.runs.as_slice()
                    && let [g] = run.glyphs.as_slice()
                {
                    out.insert((font_key(&run.font), g.id), c);
                }
                // Between capitals Inter switches punctuation to its case-sensitive forms
                // (`(Q4)`): those glyphs are in no cmap either.
                if !c.is_ascii_alphanumeric() {
                    let shaped = shaper.shape(&format!("H{c}H"), 12.0, weight);
                    if let [run] = shaped.runs.as_slice()
                        && let [_, g, _] = run.glyphs.as_slice()
                    {
                        out.entry((font_key(&run.font), g.id)).or_insert(c);
                    }
                }
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shaped_text_reads_back_with_tabular_figures() {
        let mut shaper = TextShaper::new();
        let shaped = shaper.shape("Revenue 1,234 (Q4)", 12.0, Weight::Regular);
        let text: String = shaped.runs.iter().map(|r| run_text(r).0).collect();
        assert_eq!(text, "Revenue 1,234 (Q4)");
        let run = &shaped.runs[0];
        assert!(outline(&run.font, run.glyphs[0].id).is_some());
        assert!(units_per_em(&run.font) >= 1000.0);
        assert_eq!(family_name(&run.font).as_deref(), Some("Inter"));
    }
}
