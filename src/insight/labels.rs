//! What a chart's category labels look like: quarters, months, weeks, days, hours, years,
//! numbers or text. Titles say "by quarter", narratives and recommendations treat time-like
//! labels as ordered.

/// Labels looked at when guessing what the categories are (the first ones).
const SCAN_LABELS: usize = 1000;

/// What a set of category labels looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LabelKind {
    /// `Q1`, `2024 Q3`, `Q2-25`.
    Quarter,
    /// `Jan`, `March 2024`, `2024-03`.
    Month,
    /// `W5`, `Week 12`, `2024-W05`.
    Week,
    /// `2024-03-05`, `Mon`, `Mar 5`, `Day 3`.
    Day,
    /// `10:00`, `9am`.
    Hour,
    /// `2024`, `FY24`.
    Year,
    /// Plain numbers.
    Number,
    /// Anything else: names of categories.
    Text,
}

impl LabelKind {
    /// Whether the kind orders its categories in time.
    pub(crate) fn is_time(self) -> bool {
        !matches!(self, LabelKind::Number | LabelKind::Text)
    }
}

/// The kind of the first non-empty labels, `None` when there are none. Mixed time kinds give
/// the most common one; any text label makes them text; years mixed with numbers are numbers.
pub(crate) fn label_kind<I>(labels: I) -> Option<LabelKind>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    const ORDER: [LabelKind; 8] = [
        LabelKind::Quarter,
        LabelKind::Month,
        LabelKind::Week,
        LabelKind::Day,
        LabelKind::Hour,
        LabelKind::Year,
        LabelKind::Number,
        LabelKind::Text,
    ];
    let mut counts = [0usize; 8];
    for label in labels
        .into_iter()
        .filter(|l| !l.as_ref().trim().is_empty())
        .take(SCAN_LABELS)
    {
        let kind = classify_label(label.as_ref());
        if let Some(slot) = ORDER.iter().position(|&k| k == kind) {
            counts[slot] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    if total == 0 {
        return None;
    }
    if counts[7] > 0 {
        return Some(LabelKind::Text);
    }
    if counts[6] > 0 {
        // Numbers: years mixed with other numbers are numbers too; with time labels, text.
        let time: usize = counts[..5].iter().sum();
        return Some(if time > 0 {
            LabelKind::Text
        } else {
            LabelKind::Number
        });
    }
    let mut best = 0;
    for slot in 1..6 {
        if counts[slot] > counts[best] {
            best = slot;
        }
    }
    Some(ORDER[best])
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// `word` is `full` or a prefix of it of at least three letters (`sep`, `sept`, `tues`).
fn abbreviates(word: &str, full: &str) -> bool {
    word.len() >= 3 && full.starts_with(word)
}

fn is_month(word: &str) -> bool {
    MONTHS.iter().any(|m| abbreviates(word, m))
}

fn is_weekday(word: &str) -> bool {
    WEEKDAYS.iter().any(|d| abbreviates(word, d))
}

fn is_digits(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

fn is_year(word: &str) -> bool {
    word.len() == 4
        && is_digits(word)
        && word
            .parse::<u32>()
            .is_ok_and(|y| (1800..=2200).contains(&y))
}

/// `q1` … `q4`, or a year followed by one (`2024q3`).
fn is_quarter(word: &str) -> bool {
    let q = |w: &str| matches!(w, "q1" | "q2" | "q3" | "q4");
    q(word)
        || (word.len() == 6 && word.get(..4).is_some_and(is_year) && word.get(4..).is_some_and(q))
}

/// Three numbers forming a date: year first (`2024-03-05`) or last (`05/03/2024`, `5.3.24`).
fn is_date(a: &str, b: &str, c: &str) -> bool {
    let small = |w: &str| is_digits(w) && w.len() <= 2;
    (is_year(a) && small(b) && small(c)) || (small(a) && small(b) && (is_year(c) || small(c)))
}

/// `word` is `prefix` followed by digits (`q4`, `w12`, `fy2024`).
fn prefixed_number(word: &str, prefix: &str) -> bool {
    word.strip_prefix(prefix).is_some_and(is_digits)
}

/// The kind of one label.
fn classify_label(label: &str) -> LabelKind {
    let lower = label.trim().to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return LabelKind::Text;
    }
    let numbers = words.iter().filter(|w| is_digits(w)).count();
    let all_numbers = numbers == words.len();
    let has_month = words.iter().any(|w| is_month(w));

    let quarter =
        words.iter().any(|w| is_quarter(w)) || (words.contains(&"quarter") && numbers > 0);
    if quarter && !has_month {
        return LabelKind::Quarter;
    }
    // Three numbers: a date (2024-03-05, 05/03/2024), maybe with a time after it.
    if (3..=6).contains(&words.len()) && is_date(words[0], words[1], words[2]) {
        return LabelKind::Day;
    }
    if words
        .iter()
        .any(|w| prefixed_number(w, "w") || prefixed_number(w, "wk"))
        || (words.iter().any(|w| matches!(*w, "week" | "wk")) && numbers > 0)
    {
        return LabelKind::Week;
    }
    if words.len() <= 3 && words.iter().any(|w| is_weekday(w)) {
        return LabelKind::Day;
    }
    if has_month && words.len() <= 3 {
        // "Mar 5" is a day, "Mar 2024" or "March" a month.
        let day = words.iter().any(|w| {
            is_digits(w) && w.len() <= 2 && w.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
        });
        return if day {
            LabelKind::Day
        } else {
            LabelKind::Month
        };
    }
    if words.first() == Some(&"day") && numbers > 0 && words.len() == 2 {
        return LabelKind::Day;
    }
    // "2024-03", "03/2024".
    if words.len() == 2 && all_numbers {
        let month_of =
            |w: &str| w.len() <= 2 && w.parse::<u8>().is_ok_and(|m| (1..=12).contains(&m));
        if (is_year(words[0]) && month_of(words[1])) || (month_of(words[0]) && is_year(words[1])) {
            return LabelKind::Month;
        }
    }
    // "10:00", "10:30 pm", "9am", "9 pm".
    let am_pm = |w: &str| matches!(w, "am" | "pm");
    let clock = label.contains(':')
        && (2..=4).contains(&words.len())
        && words
            .iter()
            .all(|w| (is_digits(w) && w.len() <= 2) || am_pm(w));
    let hour_word = |w: &str| {
        w.strip_suffix("am")
            .or_else(|| w.strip_suffix("pm"))
            .is_some_and(|d| d.len() <= 2 && is_digits(d))
    };
    let short = match words.as_slice() {
        [w] => hour_word(w),
        [h, m] => is_digits(h) && h.len() <= 2 && am_pm(m),
        _ => false,
    };
    if clock || short {
        return LabelKind::Hour;
    }
    if words.len() == 1 && (is_year(words[0]) || prefixed_number(words[0], "fy")) {
        return LabelKind::Year;
    }
    let plain = label.trim().trim_end_matches('%').replace(',', "");
    if plain.parse::<f64>().is_ok_and(f64::is_finite) {
        return LabelKind::Number;
    }
    LabelKind::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_classified() {
        let kind = |labels: &[&str]| label_kind(labels);
        assert_eq!(kind(&["Q1", "Q2", "Q3"]), Some(LabelKind::Quarter));
        assert_eq!(kind(&["2024 Q1", "2024Q2"]), Some(LabelKind::Quarter));
        assert_eq!(kind(&["Jan", "Feb", "Sept"]), Some(LabelKind::Month));
        assert_eq!(kind(&["2024-01", "2024-02"]), Some(LabelKind::Month));
        assert_eq!(kind(&["2024-01-05", "2024-01-06"]), Some(LabelKind::Day));
        assert_eq!(kind(&["Mon", "Tue"]), Some(LabelKind::Day));
        assert_eq!(kind(&["Mar 5", "Mar 6"]), Some(LabelKind::Day));
        assert_eq!(kind(&["W1", "Week 2"]), Some(LabelKind::Week));
        assert_eq!(kind(&["10:00", "11:30"]), Some(LabelKind::Hour));
        assert_eq!(kind(&["9am", "10 pm"]), Some(LabelKind::Hour));
        assert_eq!(kind(&["2022", "2023", "FY24"]), Some(LabelKind::Year));
        assert_eq!(kind(&["1", "2.5", "10%"]), Some(LabelKind::Number));
        assert_eq!(kind(&["Chrome", "Safari"]), Some(LabelKind::Text));
        assert_eq!(kind(&["", " "]), None);
        assert!(LabelKind::Month.is_time());
        assert!(!LabelKind::Text.is_time());
    }
}
