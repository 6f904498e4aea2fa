//! Validation errors: the reference's codes, a message a person understands, and the JSON
//! pointer of the value at fault.

use serde::Serialize;
use std::fmt;

/// The error codes a spec can fail with. The first five are the reference's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// `type` is absent.
    MissingType,
    /// `data` is absent.
    MissingData,
    /// `data.datasets` is absent or empty.
    DatasetEmpty,
    /// `type` is not one of the 15 names.
    InvalidChartType,
    /// `width × height` exceeds [`super::MAX_PIXELS`] or a side exceeds its maximum.
    ChartTooLarge,
    /// Anything else malformed: wrong JSON type, non-numeric data, unknown theme, …
    ValidationError,
}

impl ErrorCode {
    /// The wire spelling, e.g. `MISSING_TYPE`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MissingType => "MISSING_TYPE",
            ErrorCode::MissingData => "MISSING_DATA",
            ErrorCode::DatasetEmpty => "DATASET_EMPTY",
            ErrorCode::InvalidChartType => "INVALID_CHART_TYPE",
            ErrorCode::ChartTooLarge => "CHART_TOO_LARGE",
            ErrorCode::ValidationError => "VALIDATION_ERROR",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in a spec.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpecError {
    /// Which rule failed.
    pub code: ErrorCode,
    /// JSON pointer (RFC 6901) of the offending value, e.g. `/data/datasets/0/data/3`; `""` is the root.
    pub path: String,
    /// What is wrong, in words.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl SpecError {
    /// A new error at `path`.
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        SpecError {
            code,
            path: path.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// The same error with a hint attached.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "{} at {}: {}", self.code, path, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// Every problem found in a spec, most important first; never empty.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct SpecErrors {
    /// The problems, sorted so that the reference's codes come before `VALIDATION_ERROR`.
    pub errors: Vec<SpecError>,
}

impl SpecErrors {
    /// Wraps one error.
    pub fn one(error: SpecError) -> Self {
        SpecErrors {
            errors: vec![error],
        }
    }

    /// The code that stands for the whole failure: the first (most important) error's.
    pub fn code(&self) -> ErrorCode {
        self.errors
            .first()
            .map_or(ErrorCode::ValidationError, |e| e.code)
    }

    /// The headline message: the first error's.
    pub fn message(&self) -> String {
        self.errors
            .first()
            .map_or_else(|| "invalid chart spec".to_owned(), |e| e.message.clone())
    }
}

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}
