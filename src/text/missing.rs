//! Characters no loaded font has: found while shaping (a cluster shaped to glyph 0, the
//! `.notdef` box), and turned into the response's `warnings`, each pointing at the spec field
//! that holds the character, so a client learns which text drew as boxes and where.

use crate::spec::{ChartSpec, SpecWarning};

/// Most missing-glyph warnings per chart: a thousand labels in an unsupported script are one
/// problem, not a thousand.
const MAX_WARNINGS: usize = 8;
/// Most characters named in one warning.
const MAX_CHARS_NAMED: usize = 8;

/// One shaped text that had characters no font covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingGlyphs {
    /// The text as it was given to the shaper.
    pub text: String,
    /// The characters drawn as boxes, in text order, each once.
    pub chars: Vec<char>,
}

/// Adds to `out` the characters of `text` (the string `run` was shaped from) whose cluster
/// became glyph 0 in `run`. Whitespace and invisible format characters (joiners, variation
/// selectors) are not reported: they draw nothing in any font.
pub(super) fn collect(text: &str, run: &parley::Run<'_, ()>, out: &mut Vec<char>) {
    for cluster in run.clusters() {
        if !cluster.glyphs().any(|g| g.id == 0) {
            continue;
        }
        let Some(source) = text.get(cluster.text_range()) else {
            continue;
        };
        for c in source.chars() {
            if !c.is_whitespace() && !is_invisible(c) && !out.contains(&c) {
                out.push(c);
            }
        }
    }
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
        || ('\u{E0100}'..='\u{E01EF}').contains(&c)
}

/// The spec's text fields with their JSON pointers (made only for the fields a warning names:
/// a million labels are a million strings to format), in the order a reader meets them.
fn text_fields(spec: &ChartSpec) -> impl Iterator<Item = (impl Fn() -> String + '_, &str)> {
    let o = &spec.options;
    let fixed = [("title", &o.title), ("subtitle", &o.subtitle)]
        .into_iter()
        .filter_map(|(key, t)| Some((Field::Option(key), t.as_deref()?)));
    let labels = spec
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| (Field::Label(i), l));
    let datasets = spec
        .datasets
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((Field::Dataset(i), d.label.as_deref()?)));
    let axes = [
        ("x", &o.x_axis),
        ("y", &o.y_axis),
        ("y2", &o.y2_axis),
        ("r", &o.r_axis),
    ]
    .into_iter()
    .flat_map(|(id, axis)| {
        let f = &axis.format;
        axis.title
            .as_deref()
            .map(|t| (Field::AxisTitle(id), t))
            .into_iter()
            .chain(
                [("prefix", &f.prefix), ("suffix", &f.suffix)]
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(move |(key, v)| (Field::AxisFormat(id, key), v.as_str())),
            )
    });
    fixed
        .chain(labels)
        .chain(datasets)
        .chain(axes)
        .map(|(field, text)| (move || field.pointer(), text))
}

/// Where a text field is in the spec.
#[derive(Clone, Copy)]
enum Field {
    Option(&'static str),
    Label(usize),
    Dataset(usize),
    AxisTitle(&'static str),
    AxisFormat(&'static str, &'static str),
}

impl Field {
    fn pointer(self) -> String {
        match self {
            Field::Option(key) => format!("/options/{key}"),
            Field::Label(i) => format!("/data/labels/{i}"),
            Field::Dataset(i) => format!("/data/datasets/{i}/label"),
            Field::AxisTitle(id) => format!("/options/scales/{id}/title/text"),
            Field::AxisFormat(id, key) => format!("/options/scales/{id}/ticks/format/{key}"),
        }
    }
}

fn describe(chars: &[char]) -> String {
    let mut named: Vec<String> = chars
        .iter()
        .take(MAX_CHARS_NAMED)
        .map(|c| format!("'{c}' (U+{:04X})", u32::from(*c)))
        .collect();
    if chars.len() > MAX_CHARS_NAMED {
        named.push(format!("{} more", chars.len() - MAX_CHARS_NAMED));
    }
    named.join(", ")
}

/// Warnings for the characters in `missing` (what a chart's shaping logged): one per spec field
/// that holds any of them, and one for characters found in no field (text the chart made, such
/// as a formatted number). Empty when nothing is missing.
pub fn missing_glyph_warnings(spec: &ChartSpec, missing: &[MissingGlyphs]) -> Vec<SpecWarning> {
    let mut all: Vec<char> = Vec::new();
    for m in missing {
        for c in &m.chars {
            if !all.contains(c) {
                all.push(*c);
            }
        }
    }
    if all.is_empty() {
        return Vec::new();
    }
    let hint = "no loaded font has them, so they are drawn as empty boxes; add a font that does \
                with FONT_DIRS (or --font-dir)";
    let mut warnings = Vec::new();
    let mut placed: Vec<char> = Vec::new();
    let mut fields_hit = 0usize;
    for (path, text) in text_fields(spec) {
        let here: Vec<char> = all.iter().copied().filter(|c| text.contains(*c)).collect();
        if here.is_empty() {
            continue;
        }
        fields_hit += 1;
        for c in &here {
            if !placed.contains(c) {
                placed.push(*c);
            }
        }
        if warnings.len() < MAX_WARNINGS {
            warnings.push(SpecWarning {
                path: path(),
                message: format!("characters {}: {hint}", describe(&here)),
            });
        }
    }
    if fields_hit > MAX_WARNINGS {
        warnings.push(SpecWarning {
            path: String::new(),
            message: format!(
                "{} more fields have characters no loaded font has",
                fields_hit - MAX_WARNINGS
            ),
        });
    }
    let elsewhere: Vec<char> = all.into_iter().filter(|c| !placed.contains(c)).collect();
    if !elsewhere.is_empty() {
        let text = missing
            .iter()
            .find(|m| m.chars.iter().any(|c| elsewhere.contains(c)))
            .map(|m| m.text.as_str())
            .unwrap_or_default();
        warnings.push(SpecWarning {
            path: String::new(),
            message: format!("characters {} in \"{text}\": {hint}", describe(&elsewhere)),
        });
    }
    warnings
}
