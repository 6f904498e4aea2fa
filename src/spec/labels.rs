//! `data.labels` as one column: all the text in one buffer and an end offset per label.
//!
//! A series sent the way Chart.js clients send it carries one label per point; a million
//! `String`s are a million allocations to make and to free (a fifth of a 1M-point line's time
//! end to end, measured with `perf`). Here they are two allocations, and reading one is a slice.

use std::fmt;

/// The category labels of a chart, in order.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// Every label's text, one after another.
    text: String,
    /// Where each label ends in `text` (its start is the previous one's end).
    ends: Vec<usize>,
}

impl Labels {
    /// No labels.
    pub const fn new() -> Self {
        Self {
            text: String::new(),
            ends: Vec::new(),
        }
    }

    /// Room for `labels` labels of `bytes` bytes in all.
    pub fn with_capacity(labels: usize, bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(labels),
        }
    }

    /// A column from its text and the end of each label in it. Every end must be a char
    /// boundary of `text`, in order (the scanner checks both).
    pub(crate) fn from_parts(text: String, ends: Vec<usize>) -> Self {
        debug_assert!(ends.windows(2).all(|w| w[0] <= w[1]));
        debug_assert!(ends.iter().all(|&e| text.is_char_boundary(e)));
        Self { text, ends }
    }

    /// How many labels there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The bytes of text over all labels.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Label `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    /// Label `i`, or `""` past the end (a category without a label is drawn blank).
    pub fn get_or_empty(&self, i: usize) -> &str {
        self.get(i).unwrap_or("")
    }

    /// The first label.
    pub fn first(&self) -> Option<&str> {
        self.get(0)
    }

    /// The last label.
    pub fn last(&self) -> Option<&str> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// Appends one label.
    pub fn push(&mut self, label: &str) {
        self.text.push_str(label);
        self.ends.push(self.text.len());
    }

    /// Keeps the first `n` labels.
    pub fn truncate(&mut self, n: usize) {
        if n < self.ends.len() {
            self.ends.truncate(n);
            self.text.truncate(self.ends.last().copied().unwrap_or(0));
        }
    }

    /// The labels in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            labels: self,
            next: 0,
            end: self.len(),
        }
    }

    /// The first `n` labels (all of them when there are fewer), in order.
    pub fn iter_first(&self, n: usize) -> Iter<'_> {
        Iter {
            labels: self,
            next: 0,
            end: n.min(self.len()),
        }
    }

    /// Copies into one `String` per label (for callers that keep a few, not for a series).
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

impl fmt::Debug for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The labels of a [`Labels`], in order.
#[derive(Clone)]
pub struct Iter<'a> {
    labels: &'a Labels,
    next: usize,
    end: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.next >= self.end {
            return None;
        }
        let label = self.labels.get(self.next);
        self.next += 1;
        label
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end - self.next;
        (n, Some(n))
    }

    fn nth(&mut self, n: usize) -> Option<&'a str> {
        self.next = self.next.saturating_add(n).min(self.end);
        self.next()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        self.end -= 1;
        self.labels.get(self.end)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Labels {
    type Item = &'a str;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Labels {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut out = Labels::new();
        for s in iter {
            out.push(s.as_ref());
        }
        out
    }
}

impl From<Vec<String>> for Labels {
    fn from(v: Vec<String>) -> Self {
        let bytes = v.iter().map(String::len).sum();
        let mut out = Labels::with_capacity(v.len(), bytes);
        for s in &v {
            out.push(s);
        }
        out
    }
}

impl<S: AsRef<str>, const N: usize> From<[S; N]> for Labels {
    fn from(v: [S; N]) -> Self {
        v.iter().collect()
    }
}

impl<S: AsRef<str>> PartialEq<[S]> for Labels {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for Labels {
    fn eq(&self, other: &[S; N]) -> bool {
        *self == other[..]
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Labels {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == other[..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_reads_back_what_was_pushed() {
        let l: Labels = ["", "東京", "a", "🚀 launch", ""].into();
        assert_eq!(l.len(), 5);
        assert_eq!(l.get(0), Some(""));
        assert_eq!(l.get(1), Some("東京"));
        assert_eq!(l.get(3), Some("🚀 launch"));
        assert_eq!(l.get(5), None);
        assert_eq!(l.get_or_empty(9), "");
        assert_eq!(l.first(), Some(""));
        assert_eq!(l.last(), Some(""));
        assert_eq!(l, ["", "東京", "a", "🚀 launch", ""]);
        assert_eq!(l.iter().rev().nth(1), Some("🚀 launch"));
        assert_eq!(l.iter().nth(2), Some("a"));
        assert_eq!(l.iter_first(2).collect::<Vec<_>>(), ["", "東京"]);
        assert_eq!(l.iter_first(99).len(), 5);
        assert_eq!(format!("{l:?}"), r#"["", "東京", "a", "🚀 launch", ""]"#);
        assert_eq!(l.text_len(), "東京a🚀 launch".len());
    }

    #[test]
    fn truncate_keeps_the_first_labels_and_their_text() {
        let mut l = Labels::from(vec!["ab".to_owned(), "cd".to_owned(), "ef".to_owned()]);
        l.truncate(5);
        assert_eq!(l.len(), 3);
        l.truncate(1);
        assert_eq!(l, ["ab"]);
        assert_eq!(l.text_len(), 2);
        l.push("x");
        assert_eq!(l, ["ab", "x"]);
        l.truncate(0);
        assert!(l.is_empty());
        assert_eq!(l.last(), None);
        assert_eq!(Labels::new(), Labels::default());
    }
}
