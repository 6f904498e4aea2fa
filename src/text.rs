//! Text shaping with parley over the embedded fonts (no system font lookup), so every backend
//! and every machine draws the same glyphs: Inter for Latin, Greek and Cyrillic, Noto subsets for
//! the other scripts and emoji, per-cluster fallback by script (`fonts`), bidi by parley.
//!
//! A [`TextShaper`] owns parley's font and layout contexts and a cache of shaped strings: chart
//! text repeats a lot (tick labels, legends, the same dashboard re-rendered), and shaping is the
//! costliest part of layout. One shaper per render worker; it is not shared between threads.
//! Characters no loaded font has are logged per chart ([`TextShaper::take_missing`]) so the
//! caller can warn instead of drawing boxes silently.

mod fonts;
mod missing;

pub use fonts::{FAMILY, FontError, FontSet};
pub use missing::{MissingGlyphs, missing_glyph_warnings};

use kurbo::{Affine, Point};
use parley::{
    FontContext, FontData, FontFamily, FontFamilyName, FontWeight, LayoutContext, StyleProperty,
};
use std::collections::HashMap;
use std::sync::Arc;

/// Inter's cap height as a fraction of the font size, for centring digits and capitals on a line.
pub const CAP_HEIGHT: f32 = 0.727;
/// Inter's ascender as a fraction of the font size.
pub const ASCENT: f32 = 0.969;
/// Inter's descender (positive, below the baseline) as a fraction of the font size.
pub const DESCENT: f32 = 0.242;
/// Most distinct strings kept shaped per shaper; past it the cache is cleared (simple and bounded).
const CACHE_CAPACITY: usize = 4096;
/// Longest text shaped; longer strings are cut (a label this long is a client bug, not prose).
const MAX_TEXT_CHARS: usize = 400;
/// Most texts with missing glyphs logged per chart (each is one warning at most).
const MAX_MISSING_LOGGED: usize = 64;

/// A font weight we ship.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weight {
    /// 400: ticks, labels.
    Regular,
    /// 500: axis titles, legend.
    Medium,
    /// 600: titles.
    SemiBold,
}

impl Weight {
    fn value(self) -> FontWeight {
        match self {
            Weight::Regular => FontWeight::NORMAL,
            Weight::Medium => FontWeight::MEDIUM,
            Weight::SemiBold => FontWeight::SEMI_BOLD,
        }
    }
}

/// One positioned glyph, relative to the start of the text's baseline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Glyph {
    /// Glyph id in its font.
    pub id: u32,
    /// Offset along the baseline.
    pub x: f32,
    /// Offset below the baseline (normally 0).
    pub y: f32,
}

/// Glyphs of one font at one size.
#[derive(Clone, Debug)]
pub struct ShapedRun {
    /// The font the glyph ids index into.
    pub font: FontData,
    /// Font size in px.
    pub size: f32,
    /// The glyphs, positioned from the text's origin on the baseline.
    pub glyphs: Vec<Glyph>,
}

/// A shaped single line of text.
#[derive(Clone, Debug)]
pub struct ShapedText {
    /// Advance width in px.
    pub width: f32,
    /// Font size in px.
    pub size: f32,
    /// The glyph runs (one per font used).
    pub runs: Vec<ShapedRun>,
    /// Characters no loaded font has (drawn as the first font's empty box), in text order.
    pub missing: Vec<char>,
}

impl ShapedText {
    /// Height of capitals above the baseline.
    pub fn cap_height(&self) -> f32 {
        self.size * CAP_HEIGHT
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    text: String,
    size_bits: u32,
    weight: Weight,
    family: Option<Arc<str>>,
}

/// Shapes strings into glyph runs, with a cache.
pub struct TextShaper {
    fonts: FontContext,
    layouts: LayoutContext<()>,
    cache: HashMap<CacheKey, Arc<ShapedText>>,
    /// Every family registered, for matching a chart's `font.family` case-insensitively.
    families: Vec<String>,
    /// The chart's `font.family` (a CSS list), if any.
    family: Option<Arc<str>>,
    /// Its resolved stack: the requested families that are loaded, then Inter.
    stack: Vec<FontFamilyName<'static>>,
    /// Texts shaped since the last [`TextShaper::take_missing`] that had missing glyphs.
    missing: Vec<MissingGlyphs>,
}

impl std::fmt::Debug for TextShaper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextShaper")
            .field("cached", &self.cache.len())
            .finish_non_exhaustive()
    }
}

impl Default for TextShaper {
    fn default() -> Self {
        Self::new()
    }
}

impl TextShaper {
    /// A shaper with the embedded fonts registered.
    pub fn new() -> Self {
        Self::with_fonts(&FontSet::embedded())
    }

    /// A shaper with `set`'s fonts (the embedded ones and a user's) registered.
    pub fn with_fonts(set: &FontSet) -> Self {
        let mut fonts = FontContext::new();
        let families = set.install(&mut fonts);
        let stack = fonts::family_stack(None, &families);
        TextShaper {
            fonts,
            layouts: LayoutContext::new(),
            cache: HashMap::new(),
            families,
            family: None,
            stack,
            missing: Vec::new(),
        }
    }

    /// The font families loaded, embedded first.
    pub fn families(&self) -> &[String] {
        &self.families
    }

    /// Whether a family of this name (any case) is loaded.
    pub fn has_family(&self, name: &str) -> bool {
        self.families.iter().any(|f| f.eq_ignore_ascii_case(name))
    }

    /// Starts a chart: text is set in `family` (a CSS family list; unknown names are skipped)
    /// before Inter, and the missing-glyph log is cleared.
    pub fn begin_chart(&mut self, family: Option<&str>) {
        self.missing.clear();
        let family: Option<Arc<str>> = family.map(Arc::from);
        if family != self.family {
            self.stack = fonts::family_stack(family.as_deref(), &self.families);
            self.family = family;
        }
    }

    /// The texts with characters no loaded font has, shaped since [`Self::begin_chart`].
    pub fn take_missing(&mut self) -> Vec<MissingGlyphs> {
        std::mem::take(&mut self.missing)
    }

    fn log_missing(&mut self, text: &str, shaped: &ShapedText) {
        if shaped.missing.is_empty()
            || self.missing.len() >= MAX_MISSING_LOGGED
            || self.missing.iter().any(|m| m.text == text)
        {
            return;
        }
        self.missing.push(MissingGlyphs {
            text: text.to_owned(),
            chars: shaped.missing.clone(),
        });
    }

    /// Shapes `text` as one line at `size` px in `weight`. Control characters become spaces.
    pub fn shape(&mut self, text: &str, size: f32, weight: Weight) -> Arc<ShapedText> {
        // Before any state changes: an expired render unwinds from here with the cache intact.
        crate::deadline::check();
        let key = CacheKey {
            text: text.to_owned(),
            size_bits: size.to_bits(),
            weight,
            family: self.family.clone(),
        };
        if let Some(hit) = self.cache.get(&key) {
            let hit = hit.clone();
            self.log_missing(text, &hit);
            return hit;
        }
        let shaped = Arc::new(self.shape_uncached(text, size, weight));
        if self.cache.len() >= CACHE_CAPACITY {
            self.cache.clear();
        }
        self.cache.insert(key, shaped.clone());
        self.log_missing(text, &shaped);
        shaped
    }

    /// Width of `text` in px without keeping the glyphs (uses the cache all the same).
    pub fn measure(&mut self, text: &str, size: f32, weight: Weight) -> f32 {
        self.shape(text, size, weight).width
    }

    /// Shapes `text`, shortened with an ellipsis so it is at most `max_width` px wide.
    pub fn fit(
        &mut self,
        text: &str,
        size: f32,
        weight: Weight,
        max_width: f32,
    ) -> Arc<ShapedText> {
        let full = self.shape(text, size, weight);
        if full.width <= max_width {
            return full;
        }
        let chars: Vec<char> = text.chars().collect();
        // Binary search the longest prefix that fits with the ellipsis.
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let candidate = ellipsized(&chars[..mid]);
            if self.measure(&candidate, size, weight) <= max_width {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        self.shape(&ellipsized(&chars[..lo]), size, weight)
    }

    fn shape_uncached(&mut self, text: &str, size: f32, weight: Weight) -> ShapedText {
        let clean: String = text
            .chars()
            .take(MAX_TEXT_CHARS)
            .map(|c| if c.is_control() { ' ' } else { c })
            // The embedded emoji subset has no skin-tone glyphs (fonts/README.md): the base
            // emoji is drawn instead of a box after it.
            .filter(|c| !('\u{1F3FB}'..='\u{1F3FF}').contains(c))
            .collect();
        let mut builder = self
            .layouts
            .ranged_builder(&mut self.fonts, &clean, 1.0, false);
        builder.push_default(StyleProperty::FontFamily(FontFamily::List(
            self.stack.as_slice().into(),
        )));
        builder.push_default(StyleProperty::FontSize(size));
        builder.push_default(StyleProperty::FontWeight(weight.value()));
        // Tabular figures: tick labels line up and don't jitter between charts.
        builder.push_default(StyleProperty::FontFeatures("\"tnum\" 1".into()));
        let mut layout = builder.build(&clean);
        layout.break_all_lines(None);

        let mut runs: Vec<ShapedRun> = Vec::new();
        let mut missing: Vec<char> = Vec::new();
        let mut width = 0.0f32;
        let mut baseline0: Option<f32> = None;
        for line in layout.lines() {
            width = width.max(line.metrics().advance);
            for item in line.items() {
                let parley::PositionedLayoutItem::GlyphRun(run) = item else {
                    continue;
                };
                missing::collect(&clean, run.run(), &mut missing);
                let baseline = *baseline0.get_or_insert(run.baseline());
                let font = run.run().font().clone();
                let font_size = run.run().font_size();
                let glyphs = run.positioned_glyphs().map(|g| Glyph {
                    id: g.id,
                    x: g.x,
                    y: g.y - baseline,
                });
                match runs.last_mut() {
                    Some(last) if last.font == font && last.size == font_size => {
                        last.glyphs.extend(glyphs);
                    }
                    _ => runs.push(ShapedRun {
                        font,
                        size: font_size,
                        glyphs: glyphs.collect(),
                    }),
                }
            }
        }
        ShapedText {
            width,
            size,
            runs,
            missing,
        }
    }
}

fn ellipsized(prefix: &[char]) -> String {
    let mut s: String = prefix.iter().collect();
    let trimmed = s.trim_end().len();
    s.truncate(trimmed);
    s.push('\u{2026}');
    s
}

/// Where a text's anchor point sits on the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Left end of the baseline.
    Start,
    /// Middle of the baseline.
    Middle,
    /// Right end of the baseline.
    End,
}

/// The transform that places `text` with its `anchor` at `at` (on the baseline), rotated by
/// `angle` radians around that point.
pub fn placement(text: &ShapedText, at: Point, anchor: Anchor, angle: f64) -> Affine {
    let dx = match anchor {
        Anchor::Start => 0.0,
        Anchor::Middle => -(text.width as f64) / 2.0,
        Anchor::End => -(text.width as f64),
    };
    Affine::translate(at.to_vec2()) * Affine::rotate(angle) * Affine::translate((dx, 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_with_embedded_font() {
        let mut s = TextShaper::new();
        let t = s.shape("Revenue 1,234", 12.0, Weight::Regular);
        assert!(t.width > 50.0 && t.width < 120.0, "width {}", t.width);
        let glyphs: usize = t.runs.iter().map(|r| r.glyphs.len()).sum();
        assert_eq!(glyphs, 13);
        assert!(t.runs.iter().all(|r| r.glyphs.iter().all(|g| g.id != 0)));
    }

    #[test]
    fn tabular_figures_have_equal_width() {
        let mut s = TextShaper::new();
        let a = s.measure("111", 11.0, Weight::Regular);
        let b = s.measure("888", 11.0, Weight::Regular);
        assert!((a - b).abs() < 0.01, "{a} vs {b}");
    }

    #[test]
    fn fit_ellipsizes() {
        let mut s = TextShaper::new();
        let long = "A very long category label that cannot fit";
        let t = s.fit(long, 11.0, Weight::Regular, 60.0);
        assert!(t.width <= 60.0 && t.width > 30.0, "{}", t.width);
        let short = s.fit("Q1", 11.0, Weight::Regular, 60.0);
        assert_eq!(short.runs[0].glyphs.len(), 2);
    }

    #[test]
    fn bolder_is_wider_and_cache_hits() {
        let mut s = TextShaper::new();
        let r = s.shape("Title", 18.0, Weight::Regular);
        let b = s.shape("Title", 18.0, Weight::SemiBold);
        assert!(b.width > r.width);
        let again = s.shape("Title", 18.0, Weight::Regular);
        assert!(Arc::ptr_eq(&r, &again));
    }
}
