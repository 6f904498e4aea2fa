//! The recommendation request: column descriptors (`{"name", "type"}`) and optional sample
//! rows, checked with a JSON pointer for the first problem.

use crate::spec::json_kind;
use serde_json::Value;

/// Most columns in one request.
pub const MAX_COLUMNS: usize = 100;
/// Longest column name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Sample rows looked at (the first ones).
pub(crate) const MAX_SAMPLE_ROWS: usize = 10_000;
/// A column descriptor.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The column name, as sent (sample rows are keyed by it).
    pub name: String,
    /// What the column holds.
    pub kind: ColumnKind,
}

/// Column types clients send: "string"/"text"/"category" → Category,
/// "number"/"integer"/"float"/"int"/"decimal"/"currency"/"percent" → Number,
/// "date"/"datetime"/"time"/"timestamp" → Time, "boolean"/"bool" → Boolean; anything else →
/// Unknown (kept, not an error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text naming categories.
    Category,
    /// Numbers (measures, unless the name says time, like `year`).
    Number,
    /// Dates and times.
    Time,
    /// true / false.
    Boolean,
    /// A type name this build does not know; treated as a category when there is no other.
    Unknown,
}

impl ColumnKind {
    /// The kind for a client's type name (case-insensitive, surrounding spaces ignored).
    pub fn from_type_name(name: &str) -> ColumnKind {
        match name.trim().to_ascii_lowercase().as_str() {
            "string" | "text" | "category" => ColumnKind::Category,
            "number" | "integer" | "float" | "int" | "decimal" | "currency" | "percent" => {
                ColumnKind::Number
            }
            "date" | "datetime" | "time" | "timestamp" => ColumnKind::Time,
            "boolean" | "bool" => ColumnKind::Boolean,
            _ => ColumnKind::Unknown,
        }
    }
}

/// A client error in the request.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct RecommendError {
    /// `"MISSING_COLUMNS"` or `"VALIDATION_ERROR"`.
    pub code: &'static str,
    /// What is wrong, for people.
    pub message: String,
    /// JSON pointer to the faulty value (`/columns/3/name`; `""` for the body).
    pub path: String,
}

impl RecommendError {
    fn missing(message: impl Into<String>) -> Self {
        RecommendError {
            code: "MISSING_COLUMNS",
            message: message.into(),
            path: "/columns".to_owned(),
        }
    }

    fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        RecommendError {
            code: "VALIDATION_ERROR",
            message: message.into(),
            path: path.into(),
        }
    }
}

/// Validates the body: `columns` absent or not an array → MISSING_COLUMNS (as the reference);
/// empty array → MISSING_COLUMNS too; each entry must be an object with a non-empty string
/// `name` (≤ 200 chars) and a string `type` → else VALIDATION_ERROR with path
/// `/columns/3/name`; more than 100 columns → VALIDATION_ERROR. Body not an object →
/// VALIDATION_ERROR at "".
///
/// # Errors
///
/// The first problem found, with its JSON pointer.
pub fn parse_request(body: &Value) -> Result<Vec<Column>, RecommendError> {
    let Some(root) = body.as_object() else {
        return Err(RecommendError::invalid(
            "",
            format!(
                "the body must be a JSON object with a `columns` array, got {}",
                json_kind(body)
            ),
        ));
    };
    let entries = match root.get("columns") {
        None | Some(Value::Null) => {
            return Err(RecommendError::missing(
                "`columns` is required: an array of {\"name\", \"type\"} descriptors",
            ));
        }
        Some(Value::Array(entries)) => entries,
        Some(other) => {
            return Err(RecommendError::missing(format!(
                "`columns` must be an array of {{\"name\", \"type\"}} descriptors, got {}",
                json_kind(other)
            )));
        }
    };
    if entries.is_empty() {
        return Err(RecommendError::missing(
            "`columns` is empty: send at least one {\"name\", \"type\"} descriptor",
        ));
    }
    if entries.len() > MAX_COLUMNS {
        return Err(RecommendError::invalid(
            "/columns",
            format!(
                "{} columns is more than the limit of {MAX_COLUMNS}",
                entries.len()
            ),
        ));
    }
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| column(i, entry))
        .collect()
}

/// One descriptor, `/columns/{i}`.
fn column(i: usize, entry: &Value) -> Result<Column, RecommendError> {
    let path = format!("/columns/{i}");
    let Some(obj) = entry.as_object() else {
        return Err(RecommendError::invalid(
            path,
            format!(
                "a column must be an object with `name` and `type`, got {}",
                json_kind(entry)
            ),
        ));
    };
    let name = match obj.get("name") {
        None => {
            return Err(RecommendError::invalid(
                format!("{path}/name"),
                "this column has no `name`",
            ));
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            return Err(RecommendError::invalid(
                format!("{path}/name"),
                "`name` must not be empty",
            ));
        }
        Some(Value::String(s)) if s.chars().count() > MAX_NAME_CHARS => {
            return Err(RecommendError::invalid(
                format!("{path}/name"),
                format!("`name` is longer than {MAX_NAME_CHARS} characters"),
            ));
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(RecommendError::invalid(
                format!("{path}/name"),
                format!("`name` must be a string, got {}", json_kind(other)),
            ));
        }
    };
    let type_name = match obj.get("type") {
        Some(Value::String(s)) => s,
        None => {
            return Err(RecommendError::invalid(
                format!("{path}/type"),
                "this column has no `type` (e.g. \"string\", \"number\" or \"date\")",
            ));
        }
        Some(other) => {
            return Err(RecommendError::invalid(
                format!("{path}/type"),
                format!("`type` must be a string, got {}", json_kind(other)),
            ));
        }
    };
    Ok(Column {
        name,
        kind: ColumnKind::from_type_name(type_name),
    })
}

/// The optional `sample` rows of a request body: its array, or nothing when absent or not an
/// array.
pub fn sample_rows(body: &Value) -> &[Value] {
    body.get("sample")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(ColumnKind::from_type_name(" Integer "), ColumnKind::Number);
        assert_eq!(ColumnKind::from_type_name("datetime"), ColumnKind::Time);
        assert_eq!(ColumnKind::from_type_name("blob"), ColumnKind::Unknown);
    }
}
