//! Names made fit for a title or a sentence: whitespace collapsed, trailing punctuation dropped,
//! cut to a length, first letter capitalised.

/// Longest dataset or category name quoted in a title or narrative, in characters (the last
/// one is `…` when the name was cut).
pub(super) const NAME_CHARS: usize = 24;

/// A name fit for a sentence: whitespace and control characters collapsed to single spaces,
/// trailing sentence punctuation dropped, cut to `limit` characters with `…`. `None` when
/// nothing is left.
pub(super) fn clean(text: &str, limit: usize) -> Option<String> {
    let joined = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let trimmed = joined
        .trim_end_matches(['.', '!', '?', ',', ';', ':', '…'])
        .trim_end();
    if trimmed.is_empty() {
        return None;
    }
    if trimmed.chars().count() <= limit {
        return Some(trimmed.to_owned());
    }
    let cut: String = trimmed
        .chars()
        .take(limit.saturating_sub(1).max(1))
        .collect();
    Some(format!("{}…", cut.trim_end()))
}

/// Upper-cases the first letter unless the word is like "iPhone" (a capital follows).
pub(super) fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let second_upper = chars.clone().next().is_some_and(char::is_uppercase);
    if first.is_lowercase() && !second_upper {
        first.to_uppercase().chain(chars).collect()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean("  Q1\n2024. ", 24).as_deref(), Some("Q1 2024"));
        assert_eq!(clean("...", 24), None);
        assert_eq!(
            clean("A very long label that goes on and on", 12).as_deref(),
            Some("A very long…")
        );
        assert_eq!(capitalize_first("revenue"), "Revenue");
        assert_eq!(capitalize_first("iPhone sales"), "iPhone sales");
    }
}
