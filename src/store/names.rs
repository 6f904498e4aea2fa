//! The names the store gives its objects, shared by every backend: the one gate between a name
//! from a request and an object ([`safe_name`]), temp names, and the chart id in a name.

use uuid::Uuid;

/// File extensions the store writes and serves.
const EXTENSIONS: [&str; 6] = ["png", "webp", "svg", "pdf", "jpeg", "json"];

/// Longest accepted stem; a hyphenated UUID is 36, previews are short names.
pub(super) const MAX_STEM_LEN: usize = 100;

/// Suffix of in-progress writes and probes; their names also start with `.`, so they are
/// never served.
pub(super) const TEMP_SUFFIX: &str = ".tmp";

/// Returns `name` if it is a plain `<stem>.<ext>`: a stem of 1 to [`MAX_STEM_LEN`] ASCII
/// letters, digits, `_` or `-`, and a lowercase `png`, `webp`, `svg`, `pdf`, `jpeg` or `json`
/// extension. Everything else (`..`, separators, `%`, NUL, hidden files, other extensions) is
/// `None`, so no accepted name can point outside the directory (or key prefix) or at a temp
/// object.
pub(super) fn safe_name(name: &str) -> Option<&str> {
    let (stem, ext) = name.split_once('.')?;
    let stem_ok = (1..=MAX_STEM_LEN).contains(&stem.len())
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    (stem_ok && EXTENSIONS.contains(&ext)).then_some(name)
}

/// Whether `name` is a temp object of an interrupted write or probe (`.<…>.tmp`).
pub(super) fn is_temp(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(TEMP_SUFFIX) && !name.contains(['/', '\\', '\0'])
}

/// A fresh temp name for an object that will become `name` (or for a probe).
pub(super) fn temp_name(name: &str) -> String {
    format!(".{name}.{}{TEMP_SUFFIX}", Uuid::new_v4().simple())
}

/// The chart id of a name the store itself gives (`<hyphenated lowercase uuid>.<ext>`); `None`
/// for anything else, such as previews or files a person put there.
pub(super) fn chart_id(name: &str) -> Option<Uuid> {
    let (stem, _ext) = safe_name(name)?.split_once('.')?;
    let id = Uuid::try_parse(stem).ok()?;
    (id.hyphenated().to_string() == stem).then_some(id)
}

/// The names a chart's objects may have: its image in any format, and its metadata.
pub(super) fn chart_names(id: Uuid) -> Vec<String> {
    let id = id.hyphenated();
    crate::spec::Format::ALL
        .iter()
        .map(|f| f.name())
        .chain(["json"])
        .map(|ext| format!("{id}.{ext}"))
        .collect()
}
