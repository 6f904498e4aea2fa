//! Validating the model's answers: JSON of the asked shape, a title of at most six words, one
//! sentence of at most 200 characters, chart types from the 15, and no invented numbers. A
//! field that fails is replaced by the data-driven one; the reason is counted and logged.

use super::guard::AllowedNumbers;
use crate::insight::recommend::Recommendation;
use crate::spec::ChartType;
use serde_json::Value;

/// Most words in a title.
pub(crate) const MAX_TITLE_WORDS: usize = 6;
/// Longest title in characters (six long words).
const MAX_TITLE_CHARS: usize = 80;
/// Longest narrative or reason in characters.
pub(crate) const MAX_SENTENCE_CHARS: usize = 200;
/// Most alternatives kept.
const MAX_ALTERNATIVES: usize = 3;

/// Why an answer (or one field of it) was not used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub(crate) enum Rejection {
    /// The answer text is not a JSON object.
    #[error("the answer is not a JSON object")]
    NotJson,
    /// The field is absent, not a string, or empty.
    #[error("`{0}` is missing or empty")]
    Missing(&'static str),
    /// A title of more than six words.
    #[error("the title has {0} words (at most {MAX_TITLE_WORDS})")]
    TooManyWords(usize),
    /// Longer than allowed.
    #[error("`{0}` is longer than allowed")]
    TooLong(&'static str),
    /// More than one sentence.
    #[error("`{0}` is more than one sentence")]
    NotOneSentence(&'static str),
    /// A number that is not in the summary.
    #[error("`{0}` has a number not in the data: {1}")]
    InventedNumber(&'static str, String),
    /// A chart type outside the 15.
    #[error("unknown chart type {0:?}")]
    UnknownType(String),
    /// No alternative left after removing repeats and the recommended type.
    #[error("no usable alternatives")]
    NoAlternatives,
}

impl Rejection {
    /// A short label for metrics.
    pub(crate) fn reason(&self) -> &'static str {
        match self {
            Rejection::NotJson => "not_json",
            Rejection::Missing(_) => "missing",
            Rejection::TooManyWords(_) => "too_many_words",
            Rejection::TooLong(_) => "too_long",
            Rejection::NotOneSentence(_) => "not_one_sentence",
            Rejection::InventedNumber(..) => "invented_number",
            Rejection::UnknownType(_) => "unknown_type",
            Rejection::NoAlternatives => "no_alternatives",
        }
    }
}

/// The JSON object in a model's answer text, tolerating a Markdown code fence or words around it.
pub(crate) fn json_object(text: &str) -> Result<Value, Rejection> {
    let start = text.find('{').ok_or(Rejection::NotJson)?;
    let end = text.rfind('}').ok_or(Rejection::NotJson)?;
    let inner = text.get(start..=end).ok_or(Rejection::NotJson)?;
    match serde_json::from_str::<Value>(inner) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(Rejection::NotJson),
    }
}

/// A string field, whitespace collapsed, surrounding quotes removed.
fn text_field(answer: &Value, field: &'static str) -> Result<String, Rejection> {
    let raw = answer
        .get(field)
        .and_then(Value::as_str)
        .ok_or(Rejection::Missing(field))?;
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text
        .trim_matches(|c| matches!(c, '"' | '\'' | '\u{201C}' | '\u{201D}'))
        .trim()
        .to_owned();
    if text.is_empty() || text.chars().all(|c| !c.is_alphanumeric()) {
        return Err(Rejection::Missing(field));
    }
    Ok(text)
}

fn check_numbers(
    text: &str,
    field: &'static str,
    allowed: &AllowedNumbers,
) -> Result<(), Rejection> {
    match allowed.first_invented(text) {
        Some(n) => Err(Rejection::InventedNumber(field, n)),
        None => Ok(()),
    }
}

/// The `title` field: at most six words and 80 characters, numbers from the summary; a trailing
/// period is dropped.
pub(crate) fn title(answer: &Value, allowed: &AllowedNumbers) -> Result<String, Rejection> {
    let text = text_field(answer, "title")?;
    let text = text.trim_end_matches('.').trim_end().to_owned();
    let words = text.split_whitespace().count();
    if words > MAX_TITLE_WORDS {
        return Err(Rejection::TooManyWords(words));
    }
    if text.chars().count() > MAX_TITLE_CHARS {
        return Err(Rejection::TooLong("title"));
    }
    check_numbers(&text, "title", allowed)?;
    Ok(text)
}

/// One sentence of at most 200 characters, ending with `.`, `!` or `?` (a `.` is added).
fn sentence(
    answer: &Value,
    field: &'static str,
    allowed: &AllowedNumbers,
) -> Result<String, Rejection> {
    let mut text = text_field(answer, field)?;
    let body = text.trim_end_matches(['.', '!', '?']);
    let chars: Vec<char> = body.chars().collect();
    let second_sentence = chars.windows(3).any(|w| {
        matches!(w[0], '.' | '!' | '?')
            && w[1].is_whitespace()
            && (w[2].is_uppercase() || w[2].is_ascii_digit())
    });
    if second_sentence {
        return Err(Rejection::NotOneSentence(field));
    }
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    if text.chars().count() > MAX_SENTENCE_CHARS {
        return Err(Rejection::TooLong(field));
    }
    check_numbers(&text, field, allowed)?;
    Ok(text)
}

/// The `narrative` field: one sentence, at most 200 characters, numbers from the summary.
pub(crate) fn narrative(answer: &Value, allowed: &AllowedNumbers) -> Result<String, Rejection> {
    sentence(answer, "narrative", allowed)
}

/// One of the 15 wire names, exactly (case and surrounding spaces aside).
fn chart_type(name: &str) -> Result<ChartType, Rejection> {
    let wanted = name.trim().to_ascii_lowercase();
    ChartType::ALL
        .into_iter()
        .find(|t| t.name() == wanted)
        .ok_or_else(|| Rejection::UnknownType(name.chars().take(40).collect()))
}

/// `recommended` and every alternative from the 15 types, 1–3 alternatives after dropping
/// repeats and the recommended one, and a one-sentence `reason` with numbers from the summary.
pub(crate) fn recommendation(
    answer: &Value,
    allowed: &AllowedNumbers,
) -> Result<Recommendation, Rejection> {
    let recommended = chart_type(
        answer
            .get("recommended")
            .and_then(Value::as_str)
            .ok_or(Rejection::Missing("recommended"))?,
    )?;
    let mut alternatives: Vec<ChartType> = Vec::new();
    for entry in answer
        .get("alternatives")
        .and_then(Value::as_array)
        .ok_or(Rejection::Missing("alternatives"))?
    {
        let t = chart_type(entry.as_str().unwrap_or_default())?;
        if t != recommended && !alternatives.contains(&t) {
            alternatives.push(t);
        }
    }
    alternatives.truncate(MAX_ALTERNATIVES);
    if alternatives.is_empty() {
        return Err(Rejection::NoAlternatives);
    }
    let reason = sentence(answer, "reason", allowed)?;
    Ok(Recommendation {
        recommended: recommended.name().to_owned(),
        reason,
        alternatives: alternatives.iter().map(|t| t.name().to_owned()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn allowed() -> AllowedNumbers {
        AllowedNumbers::from_summary(
            &json!({"max": {"value": 220, "label": "Q4"}, "change_pct": 83.33}),
        )
    }

    #[test]
    fn finds_the_object_in_fenced_or_chatty_text() {
        assert_eq!(json_object("```json\n{\"a\": 1}\n```"), Ok(json!({"a": 1})));
        assert_eq!(
            json_object("Sure! {\"a\": 1} Hope it helps"),
            Ok(json!({"a": 1}))
        );
        assert_eq!(json_object("no json"), Err(Rejection::NotJson));
        assert_eq!(json_object("{not: json}"), Err(Rejection::NotJson));
        assert_eq!(json_object("[1, 2]"), Err(Rejection::NotJson));
    }

    #[test]
    fn titles_have_at_most_six_words_and_known_numbers() {
        let a = allowed();
        assert_eq!(
            title(&json!({"title": " \"Revenue climbs in Q4.\" "}), &a),
            Ok("Revenue climbs in Q4".into())
        );
        assert_eq!(
            title(
                &json!({"title": "one two three four five six seven eight nine ten eleven twelve"}),
                &a
            ),
            Err(Rejection::TooManyWords(12))
        );
        assert_eq!(
            title(&json!({"title": "Revenue hits 500"}), &a).map_err(|e| e.reason()),
            Err("invented_number")
        );
        assert_eq!(
            title(&json!({"title": 5}), &a),
            Err(Rejection::Missing("title"))
        );
        assert_eq!(
            title(&json!({"title": " ... "}), &a),
            Err(Rejection::Missing("title"))
        );
        assert_eq!(title(&json!({}), &a), Err(Rejection::Missing("title")));
    }

    #[test]
    fn narratives_are_one_short_sentence() {
        let a = allowed();
        assert_eq!(
            narrative(
                &json!({"narrative": "Revenue peaked in Q4 at 220, up 83%"}),
                &a
            ),
            Ok("Revenue peaked in Q4 at 220, up 83%.".into())
        );
        assert_eq!(
            narrative(&json!({"narrative": "Sales in the U.S. peaked in Q4."}), &a),
            Ok("Sales in the U.S. peaked in Q4.".into())
        );
        assert_eq!(
            narrative(
                &json!({"narrative": "Revenue peaked in Q4. It then fell."}),
                &a
            ),
            Err(Rejection::NotOneSentence("narrative"))
        );
        assert_eq!(
            narrative(&json!({"narrative": "word ".repeat(50)}), &a),
            Err(Rejection::TooLong("narrative"))
        );
        assert_eq!(
            narrative(&json!({"narrative": "Revenue grew 12% a quarter."}), &a),
            Err(Rejection::InventedNumber("narrative", "12%".into()))
        );
    }

    #[test]
    fn recommendations_use_the_fifteen_types() {
        let a = allowed();
        let ok = json!({"recommended": "Line", "reason": "Revenue over months is a trend.",
                        "alternatives": ["bar", "line", "bar", "sparkline", "slope", "area"]});
        assert_eq!(ok["alternatives"].as_array().map(Vec::len), Some(6));
        // "area" is not one of the 15: the whole answer is rejected.
        assert_eq!(
            recommendation(&ok, &a),
            Err(Rejection::UnknownType("area".into()))
        );
        let ok = json!({"recommended": "Line", "reason": "Revenue over months is a trend",
                        "alternatives": ["bar", "line", "bar", "sparkline", "slope", "radar"]});
        let r = recommendation(&ok, &a).unwrap();
        assert_eq!(r.recommended, "line");
        assert_eq!(r.alternatives, vec!["bar", "sparkline", "slope"]);
        assert_eq!(r.reason, "Revenue over months is a trend.");
        let bad = json!({"recommended": "treemap", "reason": "x", "alternatives": ["bar"]});
        assert_eq!(
            recommendation(&bad, &a),
            Err(Rejection::UnknownType("treemap".into()))
        );
        let none = json!({"recommended": "bar", "reason": "x", "alternatives": ["bar"]});
        assert_eq!(recommendation(&none, &a), Err(Rejection::NoAlternatives));
    }
}
