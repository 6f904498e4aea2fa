//! What a chart file says about itself: title, alt text, description.

/// What a chart file says about itself, for screen readers and search: embedded in every
/// format.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocInfo {
    /// The chart's title, if it has one.
    pub title: Option<String>,
    /// A short alternative text (at most 250 characters).
    pub alt_text: String,
    /// A longer description of the data.
    pub description: String,
}

impl DocInfo {
    /// The title, else the alt text (a document title is never empty when there is alt text).
    pub fn title_or_alt(&self) -> &str {
        self.title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(&self.alt_text)
    }
}
