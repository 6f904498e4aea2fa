//! The number guard: every number a model writes must be one of the numbers it was given.
//!
//! A model that paraphrases a data summary may round (`183.33` → `183`, `180`, `183.3`), use
//! thousands forms (`12,500` → `12.5k`, `1.2 million`), write fractions as percents
//! (`0.45` → `45%`) or drop the sign (`−5%` → "down 5%"). Each of those is accepted; anything
//! else — a computed average, a made-up growth rate, a wrong year — is an invented number and
//! the caller falls back to the data-driven text.

use serde_json::Value;

/// Extra relative slack on every comparison, for binary floating point.
const EPSILON: f64 = 1e-9;

/// A number as written in text, scaled by its suffix (`1.2k` → 1200).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Written {
    /// The text of the number and its suffix, as written.
    pub(crate) raw: String,
    /// Its magnitude (signs are not read: "down 5%" and "−5%" say the same).
    pub(crate) value: f64,
    /// How far the value it stands for may be, given the digits written: half a unit of the
    /// last written digit (`183` → 0.5, `12.5k` → 50); whole numbers ending in zeros may be
    /// rounded to two significant digits (`180` → 5, `1000` → 50).
    pub(crate) tolerance: f64,
    /// Written with `%` or "percent".
    pub(crate) percent: bool,
}

/// Word multipliers written after a number and a space.
const WORD_MULTIPLIERS: [(&str, f64); 5] = [
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("bn", 1e9),
];

/// Every number in `text`, in order.
pub(crate) fn numbers_in(text: &str) -> Vec<Written> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_fraction = chars[i] == '.'
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            && (i == 0 || !chars[i - 1].is_ascii_digit());
        if chars[i].is_ascii_digit() || starts_fraction {
            let (written, next) = read_number(&chars, i);
            out.push(written);
            i = next;
        } else {
            i += 1;
        }
    }
    out
}

/// Reads the number starting at `start`; returns it and the index after it (and its suffix).
fn read_number(chars: &[char], start: usize) -> (Written, usize) {
    let digit_at = |k: usize| chars.get(k).is_some_and(char::is_ascii_digit);
    let mut int = String::new();
    let mut i = start;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            int.push(chars[i]);
            i += 1;
        } else if chars[i] == ','
            && !int.is_empty()
            && digit_at(i + 1)
            && digit_at(i + 2)
            && digit_at(i + 3)
            && !digit_at(i + 4)
        {
            // A thousands separator: "12,500".
            i += 1;
        } else {
            break;
        }
    }
    let mut frac = String::new();
    if chars.get(i) == Some(&'.') && digit_at(i + 1) {
        i += 1;
        while digit_at(i) {
            frac.push(chars[i]);
            i += 1;
        }
    }
    let number: f64 = format!("{}.{}", if int.is_empty() { "0" } else { &int }, frac)
        .parse()
        .unwrap_or(0.0);

    let (multiplier, percent, end) = suffix(chars, i);
    let unit = if frac.is_empty() {
        let significant = int.trim_start_matches('0');
        let trailing = significant.len() - significant.trim_end_matches('0').len();
        let rounded = trailing.min(significant.len().saturating_sub(2));
        10f64.powi(i32::try_from(rounded).unwrap_or(0))
    } else {
        10f64.powi(-i32::try_from(frac.len()).unwrap_or(0))
    };
    let raw: String = chars[start..end].iter().collect();
    (
        Written {
            raw,
            value: number * multiplier,
            tolerance: 0.5 * unit * multiplier,
            percent,
        },
        end,
    )
}

/// The multiplier and percent sign after a number at `i`: `k`, `K`, `M`, `B` right after the
/// digits (and not followed by a letter), `%` or " %", or " thousand", " million", " billion",
/// " bn", " percent".
fn suffix(chars: &[char], i: usize) -> (f64, bool, usize) {
    let alpha_at = |k: usize| chars.get(k).is_some_and(|c| c.is_alphanumeric());
    match chars.get(i) {
        Some('%') => return (1.0, true, i + 1),
        Some(&c) if !alpha_at(i + 1) => {
            let m = match c {
                'k' | 'K' => Some(1e3),
                'M' => Some(1e6),
                'B' => Some(1e9),
                _ => None,
            };
            if let Some(m) = m {
                return (m, false, i + 1);
            }
        }
        _ => {}
    }
    if chars.get(i) == Some(&' ') {
        if chars.get(i + 1) == Some(&'%') {
            return (1.0, true, i + 2);
        }
        let word: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_alphabetic())
            .collect::<String>()
            .to_lowercase();
        let end = i + 1 + word.chars().count();
        if word == "percent" {
            return (1.0, true, end);
        }
        if let Some((_, m)) = WORD_MULTIPLIERS.iter().find(|(w, _)| *w == word) {
            return (*m, false, end);
        }
    }
    (1.0, false, i)
}

/// The numbers a model was given: every number in a summary, and every number written inside
/// its strings (labels such as "Q4" or "2024-03").
#[derive(Clone, Debug, Default)]
pub(crate) struct AllowedNumbers(Vec<f64>);

impl AllowedNumbers {
    /// Collects the numbers of a JSON summary.
    pub(crate) fn from_summary(summary: &Value) -> AllowedNumbers {
        let mut values = Vec::new();
        collect(summary, &mut values);
        AllowedNumbers(values)
    }

    /// Whether `w` stands for one of the allowed numbers: the same to the digits written, or,
    /// for a percent, also a fraction times 100.
    fn allows(&self, w: &Written) -> bool {
        let near =
            |target: f64| (w.value - target).abs() <= w.tolerance + EPSILON * target.max(1.0);
        self.0
            .iter()
            .any(|&a| near(a) || (w.percent && near(a * 100.0)))
    }

    /// The first number in `text` that is not in the summary, as written; `None` when every
    /// number is accounted for.
    pub(crate) fn first_invented(&self, text: &str) -> Option<String> {
        numbers_in(text)
            .into_iter()
            .find(|w| !self.allows(w))
            .map(|w| w.raw)
    }
}

fn collect(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Number(n) => {
            if let Some(x) = n.as_f64().filter(|x| x.is_finite()) {
                out.push(x.abs());
            }
        }
        Value::String(s) => out.extend(numbers_in(s).into_iter().map(|w| w.value)),
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        Value::Object(map) => map.values().for_each(|i| collect(i, out)),
        Value::Null | Value::Bool(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(text: &str) -> Vec<(f64, bool)> {
        numbers_in(text)
            .into_iter()
            .map(|w| (w.value, w.percent))
            .collect()
    }

    #[test]
    fn reads_plain_decimal_grouped_and_scaled_numbers() {
        assert_eq!(
            values("Revenue peaked in Q4 at 220, up 83% from Q1."),
            vec![(4.0, false), (220.0, false), (83.0, true), (1.0, false)]
        );
        assert_eq!(values("12,500 users"), vec![(12_500.0, false)]);
        assert_eq!(
            values("1,2 and 3"),
            vec![(1.0, false), (2.0, false), (3.0, false)]
        );
        assert_eq!(
            values("1.2k, 3.4M, 2B"),
            vec![(1200.0, false), (3.4e6, false), (2e9, false)]
        );
        assert_eq!(
            values("4.5 million and 2 bn"),
            vec![(4.5e6, false), (2e9, false)]
        );
        assert_eq!(values("5 percent, 7 %"), vec![(5.0, true), (7.0, true)]);
        assert_eq!(values(".5 of it"), vec![(0.5, false)]);
        assert_eq!(values("−5%"), vec![(5.0, true)]);
        // A letter after k/M/B makes it a word, not a multiplier: "5 Months", "3Mbps".
        assert_eq!(values("5 Months, 3Mbps"), vec![(5.0, false), (3.0, false)]);
        assert_eq!(values("no numbers here"), vec![]);
        assert_eq!(
            values("2024-03-05"),
            vec![(2024.0, false), (3.0, false), (5.0, false)]
        );
    }

    #[test]
    fn tolerance_follows_the_digits_written() {
        let t = |s: &str| numbers_in(s)[0].tolerance;
        assert_eq!(t("183"), 0.5);
        assert_eq!(t("183.3"), 0.05);
        assert_eq!(t("180"), 5.0);
        assert_eq!(t("1000"), 50.0);
        assert_eq!(t("10"), 0.5);
        assert_eq!(t("0"), 0.5);
        assert_eq!(t("12.5k"), 50.0);
        assert_eq!(t("12k"), 500.0);
    }

    fn allowed() -> AllowedNumbers {
        AllowedNumbers::from_summary(&json!({
            "series": [{
                "name": "Revenue 2024",
                "min": {"value": 120, "label": "Q1"},
                "max": {"value": 220, "label": "Q4"},
                "total": 680,
                "change_pct": 83.33,
                "share": 0.4512,
                "big": 12_345_678.0,
                "neg": -5.25,
            }],
            "flag": true,
        }))
    }

    #[test]
    fn accepts_rounding_percent_and_compact_forms() {
        let a = allowed();
        for ok in [
            "Revenue peaked in Q4 at 220, up 83% from Q1.",
            "Up 83.3% since Q1",
            "Up 83.33 percent",
            "Total of 680 in 2024",
            "About 12,000,000 in all", // rounded to two significant digits
            "A 45% share",             // 0.4512 as a percent
            "Nearly 12.3M, or 12.35 million, or 12,345,678",
            "12M",                // rounded to the digits written
            "down 5.25, about 5", // signs are not read
        ] {
            assert_eq!(a.first_invented(ok), None, "{ok}");
        }
    }

    #[test]
    fn rejects_invented_numbers() {
        let a = allowed();
        assert_eq!(
            a.first_invented("Revenue hit 999 in Q4.").as_deref(),
            Some("999")
        );
        assert_eq!(a.first_invented("Up 84% from Q1.").as_deref(), Some("84%"));
        assert_eq!(a.first_invented("Grew 2.5x").as_deref(), Some("2.5"));
        assert_eq!(a.first_invented("In Q7 it fell").as_deref(), Some("7"));
        assert_eq!(a.first_invented("About 700 in all").as_deref(), Some("700"));
        assert_eq!(a.first_invented("Rose 100 to 220").as_deref(), Some("100"));
        assert_eq!(a.first_invented("Averaging 170").as_deref(), Some("170"));
        assert_eq!(a.first_invented("1.3k in 2023").as_deref(), Some("1.3k"));
        assert_eq!(a.first_invented("45k users").as_deref(), Some("45k"));
    }
}
