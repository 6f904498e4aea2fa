//! The fonts a shaper can use: Inter for Latin, Greek and Cyrillic, then embedded Noto subsets
//! for the other scripts people chart in (`fonts/README.md` says which, and why those subsets),
//! and any fonts a user adds with `FONT_DIRS` / `--font-dir`.
//!
//! Fallback is per glyph cluster and by script, through fontique's fallback table, which is
//! filled here from the embedded list only: no system font is ever consulted, so the same
//! text draws the same glyphs on every machine.

use parley::fontique::{Blob, FallbackKey, FamilyId, GenericFamily, Script};
use parley::{FontContext, FontFamilyName};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The family every style uses first (a chart's `font.family` goes before it).
pub const FAMILY: &str = "Inter";

/// Largest font file read from a font directory; a bigger one is skipped (a full CJK
/// collection is ~20 MB, so this leaves room for those and stops a stray multi-GB file).
const MAX_FONT_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Which scripts an embedded font is the fallback for.
struct Embedded {
    bytes: &'static [u8],
    /// ISO 15924 codes; empty = only as a named family (Inter) or the emoji family.
    scripts: &'static [&'static [u8; 4]],
}

/// Scripts written with the CJK font: Han, kana, Hangul, Bopomofo.
const CJK: &[&[u8; 4]] = &[
    b"Hani", b"Hira", b"Kana", b"Hang", b"Bopo", b"Jpan", b"Kore",
];

macro_rules! noto {
    ($file:literal, $($script:literal),+) => {
        Embedded {
            bytes: include_bytes!(concat!("../../fonts/", $file)),
            scripts: &[$($script),+],
        }
    };
}

/// The embedded fonts, Inter first. Regular and Bold of each Noto family: Inter's Medium (500)
/// matches Regular and its SemiBold (600) matches Bold under CSS weight matching.
static EMBEDDED: &[Embedded] = &[
    Embedded {
        bytes: include_bytes!("../../fonts/Inter-Regular.otf"),
        scripts: &[],
    },
    Embedded {
        bytes: include_bytes!("../../fonts/Inter-Medium.otf"),
        scripts: &[],
    },
    Embedded {
        bytes: include_bytes!("../../fonts/Inter-SemiBold.otf"),
        scripts: &[],
    },
    Embedded {
        bytes: include_bytes!("../../fonts/NotoSansCJKsc-Regular.subset.otf"),
        scripts: CJK,
    },
    Embedded {
        bytes: include_bytes!("../../fonts/NotoSansCJKsc-Bold.subset.otf"),
        scripts: CJK,
    },
    noto!("NotoSansArabic-Regular.subset.ttf", b"Arab"),
    noto!("NotoSansArabic-Bold.subset.ttf", b"Arab"),
    noto!("NotoSansHebrew-Regular.subset.ttf", b"Hebr"),
    noto!("NotoSansHebrew-Bold.subset.ttf", b"Hebr"),
    noto!("NotoSansDevanagari-Regular.subset.ttf", b"Deva"),
    noto!("NotoSansDevanagari-Bold.subset.ttf", b"Deva"),
    noto!("NotoSansThai-Regular.subset.ttf", b"Thai"),
    noto!("NotoSansThai-Bold.subset.ttf", b"Thai"),
    noto!("NotoSansBengali-Regular.subset.ttf", b"Beng"),
    noto!("NotoSansBengali-Bold.subset.ttf", b"Beng"),
    noto!("NotoSansTamil-Regular.subset.ttf", b"Taml"),
    noto!("NotoSansTamil-Bold.subset.ttf", b"Taml"),
    noto!("NotoSansTelugu-Regular.subset.ttf", b"Telu"),
    noto!("NotoSansTelugu-Bold.subset.ttf", b"Telu"),
    noto!("NotoSansGujarati-Regular.subset.ttf", b"Gujr"),
    noto!("NotoSansGujarati-Bold.subset.ttf", b"Gujr"),
    noto!("NotoSansGurmukhi-Regular.subset.ttf", b"Guru"),
    noto!("NotoSansGurmukhi-Bold.subset.ttf", b"Guru"),
    noto!("NotoSansKannada-Regular.subset.ttf", b"Knda"),
    noto!("NotoSansKannada-Bold.subset.ttf", b"Knda"),
    noto!("NotoSansMalayalam-Regular.subset.ttf", b"Mlym"),
    noto!("NotoSansMalayalam-Bold.subset.ttf", b"Mlym"),
    noto!("NotoSansOriya-Regular.subset.ttf", b"Orya"),
    noto!("NotoSansOriya-Bold.subset.ttf", b"Orya"),
    noto!("NotoSansSinhala-Regular.subset.ttf", b"Sinh"),
    noto!("NotoSansSinhala-Bold.subset.ttf", b"Sinh"),
    noto!("NotoSansKhmer-Regular.subset.ttf", b"Khmr"),
    noto!("NotoSansKhmer-Bold.subset.ttf", b"Khmr"),
    noto!("NotoSansLao-Regular.subset.ttf", b"Laoo"),
    noto!("NotoSansLao-Bold.subset.ttf", b"Laoo"),
    noto!("NotoSansMyanmar-Regular.subset.ttf", b"Mymr"),
    noto!("NotoSansMyanmar-Bold.subset.ttf", b"Mymr"),
    noto!("NotoSansArmenian-Regular.subset.ttf", b"Armn"),
    noto!("NotoSansArmenian-Bold.subset.ttf", b"Armn"),
    noto!("NotoSansGeorgian-Regular.subset.ttf", b"Geor"),
    noto!("NotoSansGeorgian-Bold.subset.ttf", b"Geor"),
    noto!("NotoSansEthiopic-Regular.subset.ttf", b"Ethi"),
    noto!("NotoSansEthiopic-Bold.subset.ttf", b"Ethi"),
    // Arrows, shapes, dingbats: symbols whose script is Common, with no emoji presentation.
    noto!("NotoSansSymbols2-Regular.subset.ttf", b"Zyyy"),
];

/// The colour emoji font (CBDT bitmaps), the `emoji` generic family.
static EMOJI: &[u8] = include_bytes!("../../fonts/NotoColorEmoji.subset.ttf");

/// Scripts whose characters may come from any font (punctuation, digits, symbols, marks):
/// each gets every embedded fallback family, in [`EMBEDDED`]'s order.
const COMMON: &[&[u8; 4]] = &[b"Zyyy", b"Zinh", b"Zzzz"];

/// Blobs are made once per process, so every shaper shares the bytes and renderers' glyph
/// caches keyed by blob id stay warm across workers.
fn embedded_blobs() -> &'static [Blob<u8>] {
    static BLOBS: OnceLock<Vec<Blob<u8>>> = OnceLock::new();
    BLOBS.get_or_init(|| {
        EMBEDDED
            .iter()
            .map(|f| f.bytes)
            .chain(std::iter::once(EMOJI))
            .map(|bytes| Blob::new(Arc::new(bytes)))
            .collect()
    })
}

/// A font directory that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The directory could not be listed.
    #[error("cannot read font directory {path}: {source}")]
    Dir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file in it could not be read.
    #[error("cannot read font file {path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file in it is not a font parley can read.
    #[error("{path} is not a font file (TrueType, OpenType or a collection)")]
    NotAFont {
        /// The file.
        path: PathBuf,
    },
}

/// The fonts every shaper made from this set registers: the embedded ones plus user fonts.
/// Cheap to clone (the bytes are shared).
#[derive(Clone, Debug, Default)]
pub struct FontSet {
    user: Arc<Vec<(PathBuf, Blob<u8>)>>,
}

impl FontSet {
    /// Only the embedded fonts.
    pub fn embedded() -> FontSet {
        FontSet::default()
    }

    /// The embedded fonts plus every `.ttf`, `.otf`, `.ttc` and `.otc` file directly in each
    /// of `dirs`, in name order (so the same directories give the same fallback order).
    pub fn with_dirs(dirs: &[PathBuf]) -> Result<FontSet, FontError> {
        let mut user = Vec::new();
        for dir in dirs {
            let entries = std::fs::read_dir(dir).map_err(|source| FontError::Dir {
                path: dir.clone(),
                source,
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| is_font_file(p))
                .collect();
            files.sort();
            for path in files {
                let too_big = std::fs::metadata(&path)
                    .map(|m| m.len() > MAX_FONT_FILE_BYTES)
                    .unwrap_or(false);
                if too_big {
                    tracing::warn!(file = %path.display(), "font file over 64 MiB skipped");
                    continue;
                }
                let bytes = std::fs::read(&path).map_err(|source| FontError::File {
                    path: path.clone(),
                    source,
                })?;
                let blob = Blob::new(Arc::new(bytes));
                if parley::fontique::Collection::new(Default::default())
                    .register_fonts(blob.clone(), None)
                    .is_empty()
                {
                    return Err(FontError::NotAFont { path });
                }
                user.push((path, blob));
            }
        }
        Ok(FontSet {
            user: Arc::new(user),
        })
    }

    /// The user font files loaded (for logs).
    pub fn user_files(&self) -> impl Iterator<Item = &Path> {
        self.user.iter().map(|(p, _)| p.as_path())
    }

    /// Registers the fonts in `fcx` and fills its fallback table; returns the family names
    /// registered, embedded first.
    pub(super) fn install(&self, fcx: &mut FontContext) -> Vec<String> {
        let collection = &mut fcx.collection;
        let blobs = embedded_blobs();
        let mut fallback_order: Vec<FamilyId> = Vec::new();
        let mut by_script: Vec<(&[u8; 4], FamilyId)> = Vec::new();
        for (font, blob) in EMBEDDED.iter().zip(blobs) {
            for (family, _) in collection.register_fonts(blob.clone(), None) {
                if !font.scripts.is_empty() && !fallback_order.contains(&family) {
                    fallback_order.push(family);
                }
                for script in font.scripts {
                    if !by_script.contains(&(script, family)) {
                        by_script.push((script, family));
                    }
                }
            }
        }
        if let Some(emoji) = blobs.last() {
            let families: Vec<FamilyId> = collection
                .register_fonts(emoji.clone(), None)
                .into_iter()
                .map(|(f, _)| f)
                .collect();
            collection.set_generic_families(GenericFamily::Emoji, families.iter().copied());
            fallback_order.extend(families);
        }
        let mut user_families: Vec<FamilyId> = Vec::new();
        for (_, blob) in self.user.iter() {
            for (family, _) in collection.register_fonts(blob.clone(), None) {
                if !user_families.contains(&family) {
                    user_families.push(family);
                }
            }
        }
        // A script's own font first, then user fonts (which may cover what ours lack).
        let mut scripts: Vec<&[u8; 4]> = by_script.iter().map(|(s, _)| *s).collect();
        scripts.dedup();
        for script in scripts {
            let own = by_script
                .iter()
                .filter(|(s, _)| *s == script)
                .map(|(_, f)| *f);
            let key = FallbackKey::new(Script::from_bytes(*script), None);
            collection.set_fallbacks(key, own.chain(user_families.iter().copied()));
        }
        for script in COMMON {
            let key = FallbackKey::new(Script::from_bytes(**script), None);
            let all = fallback_order.iter().chain(&user_families).copied();
            collection.set_fallbacks(key, all);
        }
        collection.family_names().map(str::to_owned).collect()
    }
}

fn is_font_file(path: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .is_some_and(|e| matches!(e.as_str(), "ttf" | "otf" | "ttc" | "otc"))
}

/// The family stack for a CSS-style `font.family` list: the named families that are loaded,
/// then Inter (so Latin keeps Inter when the requested font lacks it); generic names
/// (`sans-serif`, …) mean Inter.
pub(super) fn family_stack(
    requested: Option<&str>,
    loaded: &[String],
) -> Vec<FontFamilyName<'static>> {
    let mut stack: Vec<FontFamilyName<'static>> = Vec::new();
    if let Some(list) = requested {
        for name in FontFamilyName::parse_css_list(list).flatten() {
            if let FontFamilyName::Named(name) = name {
                let found = loaded.iter().find(|l| l.eq_ignore_ascii_case(&name));
                if let Some(found) = found {
                    stack.push(FontFamilyName::Named(found.clone().into()));
                }
            }
        }
    }
    stack.push(FontFamilyName::Named(FAMILY.into()));
    stack
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_font_registers() {
        let mut fcx = FontContext::new();
        let names = FontSet::embedded().install(&mut fcx);
        for family in [
            "Inter",
            "Noto Sans CJK SC",
            "Noto Sans Arabic",
            "Noto Color Emoji",
        ] {
            assert!(names.iter().any(|n| n == family), "{family} in {names:?}");
        }
        // Regular and Bold of one family, so weights match within it.
        let cjk = fcx.collection.family_by_name("Noto Sans CJK SC");
        assert_eq!(cjk.map(|f| f.fonts().len()), Some(2));
    }

    #[test]
    fn family_stack_keeps_loaded_names_then_inter() {
        let loaded = vec!["Inter".to_owned(), "Noto Sans Hebrew".to_owned()];
        let stack = family_stack(Some("'noto sans hebrew', Nope, sans-serif"), &loaded);
        let names: Vec<String> = stack
            .iter()
            .map(|f| match f {
                FontFamilyName::Named(n) => n.to_string(),
                FontFamilyName::Generic(_) => "generic".into(),
            })
            .collect();
        assert_eq!(names, ["Noto Sans Hebrew", "Inter"]);
    }

    #[test]
    fn a_missing_font_dir_is_an_error() {
        let err = FontSet::with_dirs(&[PathBuf::from("/nonexistent/fonts")]);
        assert!(matches!(err, Err(FontError::Dir { .. })));
    }
}
