//! The vocabulary every part of the walk shares: JSON pointers (RFC 6901), member lookups,
//! `VALIDATION_ERROR`s, quoting a client's strings back and "did you mean" suggestions.

use crate::spec::{ErrorCode, SpecError};
use serde_json::{Map, Value};

/// Most characters of a client's string quoted back in a message; the rest is elided.
const MAX_QUOTED_CHARS: usize = 40;
/// Largest edit distance at which a "did you mean" suggestion is still helpful.
const MAX_SUGGESTION_DISTANCE: usize = 2;

/// `map[key]`, treating an explicit `null` as absent.
pub(super) fn present<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

/// Boolean member `key` of the object at `path`: `default` when absent; anything but a boolean
/// is an error (and reads as `false`).
pub(super) fn flag(
    obj: &Map<String, Value>,
    key: &str,
    default: bool,
    path: &str,
    errors: &mut Vec<SpecError>,
) -> bool {
    match present(obj, key) {
        None => default,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            errors.push(invalid(
                child(path, key),
                format!("`{key}` must be true or false, got {}", json_kind(other)),
            ));
            false
        }
    }
}

/// A `VALIDATION_ERROR` at `path`.
pub(super) fn invalid(path: impl Into<String>, message: impl Into<String>) -> SpecError {
    SpecError::new(ErrorCode::ValidationError, path, message)
}

/// The pointer of member `key` under `base`, escaped per RFC 6901 (`~` → `~0`, `/` → `~1`).
pub(super) fn child(base: &str, key: &str) -> String {
    let mut out = String::with_capacity(base.len() + key.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// The pointer of element `index` under `base`.
pub(super) fn at(base: &str, index: usize) -> String {
    format!("{base}/{index}")
}

/// What kind of JSON value this is, for messages ("got a number").
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A client's string made safe to quote in a message: control characters escaped, and cut
/// after [`MAX_QUOTED_CHARS`] characters.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == MAX_QUOTED_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The candidate closest to `input` (ignoring ASCII case), if within
/// [`MAX_SUGGESTION_DISTANCE`] edits; ties go to the earlier candidate.
pub(super) fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Names are short: a much longer input cannot be within a couple of edits of any of them,
    // and skipping it keeps the quadratic distance cheap whatever the client sends.
    if input.chars().count() > 40 {
        return None;
    }
    let input = input.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let d = edit_distance(&input, &candidate.to_ascii_lowercase());
        if d <= MAX_SUGGESTION_DISTANCE && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// adjacent characters each cost 1 (so `lien` is one edit from `line`).
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // Row-major (a.len()+1) × (b.len()+1) table; `get`/`get_mut` keep it panic-free.
    let mut d = vec![0usize; (a.len() + 1) * width];
    let cell = |d: &[usize], i: usize, j: usize| d.get(i * width + j).copied().unwrap_or(0);
    for i in 0..=a.len() {
        if let Some(v) = d.get_mut(i * width) {
            *v = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(v) = d.get_mut(j) {
            *v = j;
        }
    }
    for (i, &ca) in a.iter().enumerate() {
        for (j, &cb) in b.iter().enumerate() {
            let (i1, j1) = (i + 1, j + 1);
            let cost = usize::from(ca != cb);
            let mut v = (cell(&d, i, j1) + 1)
                .min(cell(&d, i1, j) + 1)
                .min(cell(&d, i, j) + cost);
            if i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca) {
                v = v.min(cell(&d, i - 1, j - 1) + 1);
            }
            if let Some(slot) = d.get_mut(i1 * width + j1) {
                *slot = v;
            }
        }
    }
    cell(&d, a.len(), b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits_and_swaps() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("bar", "bar"), 0);
        assert_eq!(edit_distance("", "bar"), 3);
        assert_eq!(edit_distance("bar", ""), 3);
        assert_eq!(edit_distance("lien", "line"), 1);
        assert_eq!(edit_distance("donat", "donut"), 1);
        assert_eq!(edit_distance("scater", "scatter"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("ünï", "uni"), 2);
    }

    #[test]
    fn closest_suggests_within_two_edits_only() {
        let names = ["bar", "line", "pie", "donut", "scatter"];
        assert_eq!(closest("lien", names), Some("line"));
        assert_eq!(closest("Bar", names), Some("bar"));
        assert_eq!(closest("scatterr", names), Some("scatter"));
        assert_eq!(closest("histogram", names), None);
        assert_eq!(closest(&"x".repeat(10_000), names), None);
    }

    #[test]
    fn pointer_escapes_tilde_and_slash() {
        assert_eq!(child("", "data"), "/data");
        assert_eq!(child("/data", "a/b"), "/data/a~1b");
        assert_eq!(child("/data", "m~n"), "/data/m~0n");
        assert_eq!(child("", "~/"), "/~0~1");
        assert_eq!(at("/data/datasets", 3), "/data/datasets/3");
    }

    #[test]
    fn quote_escapes_and_truncates() {
        assert_eq!(quote("abc"), "abc");
        assert_eq!(quote("a\nb"), "a\\nb");
        let long = "é".repeat(100);
        assert_eq!(quote(&long).chars().count(), MAX_QUOTED_CHARS + 1);
    }
}
