//! Dates and times in chart data: ISO-8601 text → milliseconds since the Unix epoch (UTC).
//!
//! Time axes (`scales.x.type: "time"`) and `{x: "2024-03-01", y}` points use this. Accepted:
//! `2024`, `2024-03`, `2024-03-01`, `2024-03-01T09:30`, `2024-03-01 09:30:15`, with optional
//! fractional seconds and a `Z` or `±hh:mm` offset (none means UTC). A time axis's
//! `time.parser` (moment or luxon tokens such as `MM/DD/YYYY HH:mm`) reads other text while the
//! spec is validated (`with_parser`); the dates it reads are kept as ISO text or milliseconds.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use std::cell::RefCell;

thread_local! {
    /// The chrono format of the `time.parser` of the spec being validated on this thread.
    static PARSER: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f` with `parser` (moment/luxon tokens) reading the dates `f` parses; a parser with
/// tokens this reader does not know is ignored (ISO-8601 still reads).
pub(crate) fn with_parser<R>(parser: Option<&str>, f: impl FnOnce() -> R) -> R {
    let format = parser.and_then(chrono_format);
    if format.is_none() {
        return f();
    }
    let previous = PARSER.with(|p| p.replace(format));
    let out = f();
    PARSER.with(|p| *p.borrow_mut() = previous);
    out
}

/// A calendar unit of a time axis (`time.unit`, the keys of `time.displayFormats`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    /// `millisecond` and `second`.
    Second,
    /// `minute`.
    Minute,
    /// `hour`.
    Hour,
    /// `day`.
    Day,
    /// `week`.
    Week,
    /// `month`.
    Month,
    /// `quarter`.
    Quarter,
    /// `year`.
    Year,
}

impl TimeUnit {
    /// The unit Chart.js names `name`.
    pub fn parse(name: &str) -> Option<TimeUnit> {
        Some(match name {
            "millisecond" | "second" => TimeUnit::Second,
            "minute" => TimeUnit::Minute,
            "hour" => TimeUnit::Hour,
            "day" => TimeUnit::Day,
            "week" | "isoWeek" => TimeUnit::Week,
            "month" => TimeUnit::Month,
            "quarter" => TimeUnit::Quarter,
            "year" => TimeUnit::Year,
            _ => return None,
        })
    }
}

/// A time axis's `time` options beyond `parser`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeOptions {
    /// `unit`: ticks at least this far apart (a multiple of it when that many would crowd).
    pub unit: Option<TimeUnit>,
    /// `displayFormats`: a chrono format per unit for the tick labels (from moment/luxon tokens).
    pub formats: Vec<(TimeUnit, String)>,
}

/// The chrono format that writes a date as the moment/luxon `tokens` do, or `None` when one
/// of them has no equivalent.
pub(crate) fn display_format(tokens: &str) -> Option<String> {
    chrono_format(tokens).filter(|f| {
        // A format chrono cannot write would fail (panic) when a label is written.
        !f.contains('\u{0}')
            && !f.contains("%s")
            && !chrono::format::StrftimeItems::new(f).any(|i| i == chrono::format::Item::Error)
    })
}

/// Whether `parser` (moment/luxon tokens) is one [`with_parser`] can read.
pub(crate) fn parser_known(parser: &str) -> bool {
    chrono_format(parser).is_some()
}

/// The chrono format of moment/luxon tokens, or `None` for a token it cannot map.
fn chrono_format(tokens: &str) -> Option<String> {
    let chars: Vec<char> = tokens.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' {
            // moment's escaped text.
            let close = chars[i..].iter().position(|&d| d == ']')? + i;
            for &d in &chars[i + 1..close] {
                push_literal(&mut out, d);
            }
            i = close + 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&d| d == c).count();
        let token = match (c, run) {
            ('Y' | 'y', 4) => "%Y",
            ('Y' | 'y', 2) => "%y",
            ('M' | 'L', 1 | 2) => "%m",
            ('M' | 'L', 3) => "%b",
            ('M' | 'L', 4) => "%B",
            ('D' | 'd', 1 | 2) => "%d",
            ('H', 1 | 2) => "%H",
            ('h', 1 | 2) => "%I",
            ('m', 1 | 2) => "%M",
            ('s', 1 | 2) => "%S",
            ('S', 3) => "%3f",
            ('A' | 'a', 1) => "%p",
            ('Z', 1 | 2) => "%z",
            ('X', 1) => "%s",
            ('x', 1) => "\u{0}ms",
            (c, _) if c.is_ascii_alphabetic() => return None,
            (c, n) => {
                for _ in 0..n {
                    push_literal(&mut out, c);
                }
                i += n;
                continue;
            }
        };
        out.push_str(token);
        i += run;
    }
    Some(out)
}

fn push_literal(out: &mut String, c: char) {
    if c == '%' {
        out.push_str("%%");
    } else {
        out.push(c);
    }
}

/// `text` read with the chrono `format` of a `time.parser`.
fn parse_with(format: &str, text: &str) -> Option<f64> {
    let t = text.trim();
    if format == "\u{0}ms" {
        return t.parse::<f64>().ok().filter(|v| v.is_finite());
    }
    if format.contains("%z") {
        return DateTime::parse_from_str(t, format)
            .ok()
            .map(|dt| dt.timestamp_millis() as f64);
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(t, format) {
        return Some(dt.and_utc().timestamp_millis() as f64);
    }
    let date = NaiveDate::parse_from_str(t, format).ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis() as f64)
}

/// `ms` since the epoch as ISO-8601 text (UTC, milliseconds), which [`parse_instant`] reads back.
pub(crate) fn iso(ms: f64) -> Option<String> {
    let dt = DateTime::from_timestamp_millis(ms as i64)?;
    Some(dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

/// The labels (with their indices) that are not dates: on a time axis each of them is an error.
/// The one rule for both parse paths (the fast path's labels and the validator's).
pub(crate) fn not_dates<'a, I>(labels: I) -> impl Iterator<Item = (usize, &'a str)>
where
    I: IntoIterator<Item = &'a str>,
{
    labels
        .into_iter()
        .enumerate()
        .filter(|(_, l)| parse_instant(l).is_none())
}

/// Milliseconds since 1970-01-01T00:00:00Z of an ISO-8601 date or date-time, or `None`.
pub fn parse_instant(text: &str) -> Option<f64> {
    let parsed = PARSER.with(|p| p.borrow().as_deref().and_then(|f| parse_with(f, text)));
    if parsed.is_some() {
        return parsed;
    }
    let t = text.trim();
    // Cheap rejection first: every accepted form starts with a four-digit year.
    if t.len() < 4 || !t.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.timestamp_millis() as f64);
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, format) {
            return Some(dt.and_utc().timestamp_millis() as f64);
        }
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M%:z"] {
        if let Ok(dt) = DateTime::parse_from_str(t, format) {
            return Some(dt.timestamp_millis() as f64);
        }
    }
    let date = match t.len() {
        4 => NaiveDate::from_ymd_opt(t.parse().ok()?, 1, 1),
        7 => NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d").ok(),
        _ => NaiveDate::parse_from_str(t, "%Y-%m-%d").ok(),
    }?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis() as f64)
}

#[cfg(test)]
mod tests {
    use super::{iso, parse_instant, parser_known, with_parser};

    #[test]
    fn a_time_parser_reads_its_format_and_iso_still_reads() {
        let read = |parser: &str, text: &str| with_parser(Some(parser), || parse_instant(text));
        let june14 = parse_instant("2020-06-14T09:08");
        assert!(june14.is_some());
        assert_eq!(read("MM/DD/YYYY HH:mm", "06/14/2020 09:08"), june14);
        assert_eq!(read("M/D/YYYY H:mm", "6/14/2020 9:08"), june14);
        assert_eq!(read("DD.MM.YYYY HH:mm", "14.06.2020 09:08"), june14);
        assert_eq!(read("dd/MM/yyyy HH:mm", "14/06/2020 09:08"), june14);
        assert_eq!(read("YYYY-MM-DD [at] HH:mm", "2020-06-14 at 09:08"), june14);
        assert_eq!(read("MMM D, YYYY h:mm A", "Jun 14, 2020 9:08 AM"), june14);
        assert_eq!(
            read("MM/DD/YYYY", "06/14/2020"),
            parse_instant("2020-06-14")
        );
        assert_eq!(read("x", "1592125680000"), june14);
        assert_eq!(read("X", "1592125680"), june14);
        assert_eq!(
            read("MM/DD/YYYY", "2020-06-14"),
            parse_instant("2020-06-14")
        );
        assert_eq!(read("MM/DD/YYYY", "14/06/2020"), None);
        // Outside the scope the parser is gone.
        assert_eq!(parse_instant("06/14/2020 09:08"), None);
        assert!(!parser_known("Qo wo"));
        assert_eq!(
            iso(1_592_125_680_000.0).as_deref(),
            Some("2020-06-14T09:08:00.000Z")
        );
    }

    const DAY: f64 = 86_400_000.0;

    #[test]
    fn dates_and_times_parse_to_utc_milliseconds() {
        assert_eq!(parse_instant("1970-01-02"), Some(DAY));
        assert_eq!(parse_instant("1970-01"), Some(0.0));
        assert_eq!(parse_instant("1971"), Some(365.0 * DAY));
        assert_eq!(parse_instant("1970-01-01T01:00:00Z"), Some(3_600_000.0));
        assert_eq!(parse_instant("1970-01-01T01:00"), Some(3_600_000.0));
        assert_eq!(parse_instant("1970-01-01 00:00:01.5"), Some(1_500.0));
        assert_eq!(
            parse_instant("1970-01-01T02:00:00+01:00"),
            Some(3_600_000.0)
        );
        assert_eq!(parse_instant(" 2024-02-29 "), Some(19_782.0 * DAY));
    }

    #[test]
    fn other_text_is_not_a_date() {
        for t in [
            "",
            "Q1",
            "2024-13-01",
            "2023-02-29",
            "12",
            "March",
            "20240",
            "2024-1-1x",
        ] {
            assert_eq!(parse_instant(t), None, "{t}");
        }
    }
}
