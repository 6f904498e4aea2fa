//! Dates and times in chart data: ISO-8601 text → milliseconds since the Unix epoch (UTC).
//!
//! Time axes (`scales.x.type: "time"`) and `{x: "2024-03-01", y}` points use this. Accepted:
//! `2024`, `2024-03`, `2024-03-01`, `2024-03-01T09:30`, `2024-03-01 09:30:15`, with optional
//! fractional seconds and a `Z` or `±hh:mm` offset (none means UTC).

use chrono::{DateTime, NaiveDate, NaiveDateTime};

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
    use super::parse_instant;

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
