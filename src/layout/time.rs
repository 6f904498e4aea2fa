//! Time axes: instants (ms since the epoch, UTC) mapped linearly onto pixels, ticked at calendar
//! units chosen for the span — seconds, minutes, hours, days, weeks (Mondays), months, quarters,
//! years — and labelled as a person would write them (`09:30`, `Mar 4`, `Mar 2024`, `2024`).

use crate::spec::time::{TimeOptions, TimeUnit};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

const SECOND: f64 = 1_000.0;
const MINUTE: f64 = 60.0 * SECOND;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;

/// A calendar step between ticks.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    /// A fixed length in ms (seconds to weeks).
    Fixed(f64),
    /// Whole months (1, 3 = quarters, 6).
    Months(u32),
    /// Whole years (1, 2, 5, 10, …).
    Years(i32),
}

impl Step {
    /// The typical length in ms.
    fn length(self) -> f64 {
        match self {
            Step::Fixed(ms) => ms,
            Step::Months(m) => f64::from(m) * 30.44 * DAY,
            Step::Years(y) => f64::from(y) * 365.25 * DAY,
        }
    }

    /// The calendar unit a tick at this step is labelled in (`displayFormats`' keys).
    fn unit(self) -> TimeUnit {
        match self {
            Step::Fixed(len) if len < MINUTE => TimeUnit::Second,
            Step::Fixed(len) if len < HOUR => TimeUnit::Minute,
            Step::Fixed(len) if len < DAY => TimeUnit::Hour,
            Step::Fixed(len) if len < 7.0 * DAY => TimeUnit::Day,
            Step::Fixed(_) => TimeUnit::Week,
            Step::Months(1) => TimeUnit::Month,
            Step::Months(_) => TimeUnit::Quarter,
            Step::Years(_) => TimeUnit::Year,
        }
    }
}

/// The shortest step a `time.unit` allows.
fn unit_length(unit: TimeUnit) -> f64 {
    match unit {
        TimeUnit::Second => SECOND,
        TimeUnit::Minute => MINUTE,
        TimeUnit::Hour => HOUR,
        TimeUnit::Day => DAY,
        TimeUnit::Week => 7.0 * DAY,
        TimeUnit::Month => Step::Months(1).length(),
        TimeUnit::Quarter => Step::Months(3).length(),
        TimeUnit::Year => Step::Years(1).length(),
    }
}

/// The candidate steps, finest first.
const STEPS: [Step; 22] = [
    Step::Fixed(SECOND),
    Step::Fixed(5.0 * SECOND),
    Step::Fixed(15.0 * SECOND),
    Step::Fixed(30.0 * SECOND),
    Step::Fixed(MINUTE),
    Step::Fixed(5.0 * MINUTE),
    Step::Fixed(15.0 * MINUTE),
    Step::Fixed(30.0 * MINUTE),
    Step::Fixed(HOUR),
    Step::Fixed(3.0 * HOUR),
    Step::Fixed(6.0 * HOUR),
    Step::Fixed(12.0 * HOUR),
    Step::Fixed(DAY),
    Step::Fixed(2.0 * DAY),
    Step::Fixed(7.0 * DAY),
    Step::Months(1),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
];

/// A time axis: the domain, its pixels and the ticks with their labels.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct TimeScale {
    /// Domain start, ms.
    pub(super) min: f64,
    /// Domain end, ms.
    pub(super) max: f64,
    /// Pixel of `min`.
    pub(super) px_min: f64,
    /// Pixel of `max`.
    pub(super) px_max: f64,
    /// Tick instants, ms.
    pub(super) ticks: Vec<f64>,
    /// One label per tick.
    pub(super) labels: Vec<String>,
}

impl TimeScale {
    /// A scale over `min..=max` (ms) with at most `max_ticks` ticks at calendar units (no
    /// finer than `time.unit`), labelled in `time.displayFormats` where it names the unit.
    pub(super) fn new(
        (min, max): (f64, f64),
        max_ticks: usize,
        (px_min, px_max): (f64, f64),
        time: &TimeOptions,
    ) -> TimeScale {
        let (min, max) = if max > min {
            (min, max)
        } else {
            (min - DAY / 2.0, min + DAY / 2.0)
        };
        let span = max - min;
        let max_ticks = max_ticks.max(2) as f64;
        let finest = time.unit.map_or(0.0, |u| unit_length(u) * 0.99);
        let step = STEPS
            .iter()
            .copied()
            .find(|s| s.length() >= finest && span / s.length() <= max_ticks)
            .unwrap_or_else(|| {
                // Beyond a century between ticks: whole multiples of ten years.
                let years = (span / (365.25 * DAY) / max_ticks / 10.0).ceil().max(1.0) * 10.0;
                Step::Years(years.min(1e6) as i32)
            });
        let ticks = ticks(min, max, step);
        let custom = time
            .formats
            .iter()
            .find(|(u, _)| *u == step.unit())
            .map(|(_, f)| f.as_str());
        let labels = ticks
            .iter()
            .map(|&t| match (custom, to_datetime(t)) {
                (Some(f), Some(dt)) => dt.format(f).to_string(),
                _ => label(t, step),
            })
            .collect();
        TimeScale {
            min,
            max,
            px_min,
            px_max,
            ticks,
            labels,
        }
    }

    /// The pixel of instant `t`.
    pub(super) fn px(&self, t: f64) -> f64 {
        self.px_min + (t - self.min) / (self.max - self.min) * (self.px_max - self.px_min)
    }
}

fn to_datetime(ms: f64) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms as i64).single()
}

/// Tick instants from the first unit boundary at or after `min` up to `max`.
fn ticks(min: f64, max: f64, step: Step) -> Vec<f64> {
    const MAX: usize = 200;
    let mut out = Vec::new();
    match step {
        Step::Fixed(len) => {
            // Weeks start on Monday (1970-01-05 was one); shorter steps align to the epoch.
            let origin = if len == 7.0 * DAY { 4.0 * DAY } else { 0.0 };
            let mut t = ((min - origin) / len).ceil() * len + origin;
            while t <= max && out.len() < MAX {
                out.push(t);
                t += len;
            }
        }
        Step::Months(m) => {
            let Some(start) = to_datetime(min) else {
                return out;
            };
            let months = start.year() * 12 + start.month0() as i32;
            let mut k = (months + m as i32 - 1).div_euclid(m as i32) * m as i32;
            while let Some(t) = month_start(k) {
                if t < min {
                    k += m as i32;
                    continue;
                }
                if t > max || out.len() >= MAX {
                    break;
                }
                out.push(t);
                k += m as i32;
            }
        }
        Step::Years(y) => {
            let Some(start) = to_datetime(min) else {
                return out;
            };
            let mut year = start.year().div_euclid(y) * y;
            while let Some(t) = month_start(year * 12) {
                if t > max || out.len() >= MAX {
                    break;
                }
                if t >= min {
                    out.push(t);
                }
                year += y;
            }
        }
    }
    out
}

/// Midnight UTC on the first of month number `k` (year × 12 + month0), in ms.
fn month_start(k: i32) -> Option<f64> {
    let date = NaiveDate::from_ymd_opt(k.div_euclid(12), k.rem_euclid(12) as u32 + 1, 1)?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis() as f64)
}

/// A tick's label at `step`'s resolution: the coarsest text that still tells ticks apart.
fn label(t: f64, step: Step) -> String {
    let Some(dt) = to_datetime(t) else {
        return String::new();
    };
    match step {
        Step::Fixed(len) if len < MINUTE => dt.format("%H:%M:%S").to_string(),
        Step::Fixed(len) if len < DAY => {
            // Midnight ticks name the day, so a multi-day hourly axis stays readable.
            if dt.time() == chrono::NaiveTime::MIN && len >= HOUR {
                dt.format("%b %-d").to_string()
            } else {
                dt.format("%H:%M").to_string()
            }
        }
        Step::Fixed(_) => dt.format("%b %-d").to_string(),
        Step::Months(_) if dt.month() == 1 => dt.format("%b %Y").to_string(),
        Step::Months(_) => dt.format("%b").to_string(),
        Step::Years(_) => dt.format("%Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::time::parse_instant;

    fn at(s: &str) -> f64 {
        parse_instant(s).unwrap_or(f64::NAN)
    }

    #[test]
    fn a_year_of_days_ticks_by_month() {
        let s = TimeScale::new(
            (at("2024-01-01"), at("2024-12-31")),
            12,
            (0.0, 1000.0),
            &TimeOptions::default(),
        );
        assert_eq!(s.ticks.len(), 12);
        assert_eq!(s.labels[0], "Jan 2024");
        assert_eq!(s.labels[1], "Feb");
        assert_eq!(s.ticks[2], at("2024-03-01"));
    }

    #[test]
    fn two_weeks_tick_by_day_or_week() {
        let s = TimeScale::new(
            (at("2024-03-01"), at("2024-03-15")),
            8,
            (0.0, 1000.0),
            &TimeOptions::default(),
        );
        assert_eq!(s.labels[0], "Mar 2", "{:?}", s.labels);
        let s = TimeScale::new(
            (at("2024-03-01"), at("2024-03-15")),
            4,
            (0.0, 1000.0),
            &TimeOptions::default(),
        );
        assert!(s.ticks.len() <= 4 && s.ticks.len() >= 2, "{:?}", s.labels);
        // Weekly ticks fall on Mondays: 2024-03-04 was one.
        assert_eq!(s.ticks[0], at("2024-03-04"));
        assert_eq!(s.labels[0], "Mar 4");
    }

    #[test]
    fn a_day_ticks_by_hours_and_decades_by_years() {
        let s = TimeScale::new(
            (at("2024-03-01T00:00"), at("2024-03-01T23:00")),
            8,
            (0.0, 800.0),
            &TimeOptions::default(),
        );
        assert_eq!(s.labels[1], "03:00");
        let s = TimeScale::new(
            (at("1990-06-01"), at("2024-06-01")),
            8,
            (0.0, 800.0),
            &TimeOptions::default(),
        );
        assert!(s.labels.iter().all(|l| l.len() == 4), "{:?}", s.labels);
        assert_eq!(s.labels[0], "1995");
    }

    #[test]
    fn one_instant_gets_a_window() {
        let s = TimeScale::new(
            (at("2024-03-01"), at("2024-03-01")),
            8,
            (0.0, 800.0),
            &TimeOptions::default(),
        );
        assert!(s.max > s.min);
        assert!((s.px(at("2024-03-01")) - 400.0).abs() < 1e-6);
    }

    #[test]
    fn a_unit_sets_the_finest_step_and_display_formats_write_the_labels() {
        let time = TimeOptions {
            unit: Some(TimeUnit::Day),
            formats: vec![(
                TimeUnit::Day,
                crate::spec::time::display_format("MMM DD YYYY").unwrap_or_default(),
            )],
        };
        // Six hours would get hourly ticks; `unit: "day"` keeps them a day apart at least.
        let s = TimeScale::new(
            (at("2024-03-01T00:00"), at("2024-03-03T00:00")),
            8,
            (0.0, 800.0),
            &time,
        );
        assert_eq!(s.labels, ["Mar 01 2024", "Mar 02 2024", "Mar 03 2024"]);
        let plain = TimeScale::new(
            (at("2024-03-01T00:00"), at("2024-03-03T00:00")),
            8,
            (0.0, 800.0),
            &TimeOptions::default(),
        );
        assert!(plain.ticks.len() > s.ticks.len(), "{:?}", plain.labels);
    }
}
