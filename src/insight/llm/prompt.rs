//! What the model is asked: a system message with the rules and the JSON shape of the answer,
//! and a user message that is the data summary as JSON, nothing else.

use crate::spec::ChartType;
use serde_json::Value;

/// One question for the model.
#[derive(Clone, Debug)]
pub(crate) struct Prompt {
    /// The task, for metrics and logs: `chart_text` or `recommend`.
    pub(crate) task: &'static str,
    /// The rules.
    pub(crate) system: String,
    /// The data summary as JSON.
    pub(crate) user: String,
}

const NUMBER_RULE: &str = "Use only numbers that appear in the summary (you may round them, \
write them with k or M, or as the percentages given); never compute or invent a number. \
Answer with one JSON object and nothing else.";

/// Asks for a title (at most six words), a one-sentence narrative, or both.
pub(crate) fn chart_text(summary: &Value, title: bool, narrative: bool) -> Prompt {
    let mut fields = Vec::new();
    if title {
        fields.push("\"title\": a chart title of at most 6 words, no trailing period");
    }
    if narrative {
        fields.push(
            "\"narrative\": one sentence of at most 200 characters on the most important \
             pattern (peak, trough, change, share or relationship), naming labels as given",
        );
    }
    let system = format!(
        "You write text for a chart from a JSON summary of its data. Return a JSON object with \
         {}. {NUMBER_RULE}",
        fields.join(" and ")
    );
    Prompt {
        task: "chart_text",
        system,
        user: summary.to_string(),
    }
}

/// Asks for a chart type, a reason and alternatives, all from the 15 types.
pub(crate) fn recommend(summary: &Value) -> Prompt {
    let types: Vec<&str> = ChartType::ALL.iter().map(|t| t.name()).collect();
    let system = format!(
        "You recommend a chart type for a table, given a JSON summary of its columns (name, \
         type and, from sample rows, distinct values, range and examples). The chart types are: \
         {}. Return a JSON object with \"recommended\": one of those types, \"reason\": one \
         sentence of at most 200 characters naming the columns used, and \"alternatives\": an \
         array of 1 to 3 other types from the same list. {NUMBER_RULE}",
        types.join(", ")
    );
    Prompt {
        task: "recommend",
        system,
        user: summary.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn asks_only_for_the_fields_wanted() {
        let p = chart_text(&json!({"a": 1}), true, false);
        assert!(p.system.contains("\"title\"") && !p.system.contains("\"narrative\""));
        assert_eq!(p.user, r#"{"a":1}"#);
        let p = recommend(&json!({}));
        assert!(p.system.contains("competitive_radar") && p.system.contains("heatcalendar"));
    }
}
