//! Linear (and logarithmic) scales with "nice" ticks (steps of 1, 2 or 5 × 10ⁿ) and compact tick labels.

/// Values are clamped to this magnitude before scaling, so `max - min` never overflows to ∞.
pub const VALUE_LIMIT: f64 = 1e300;

use crate::numfmt::group_thousands;
use crate::spec::TickFormat;

/// A linear mapping from data values to pixels with its tick values.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearScale {
    /// Domain start (a multiple of `step`).
    pub min: f64,
    /// Domain end (a multiple of `step`).
    pub max: f64,
    /// Distance between ticks.
    pub step: f64,
    /// Tick values from `min` to `max`.
    pub ticks: Vec<f64>,
    /// Pixel of `min`.
    pub px_min: f64,
    /// Pixel of `max`.
    pub px_max: f64,
    /// Logarithmic: positions follow log10 of the value (`min` > 0).
    pub log: bool,
    /// How tick labels are written (`ticks.format`).
    pub format: TickFormat,
    /// `ticks.display: false`: the labels are empty.
    pub hide_labels: bool,
    /// `reverse`: `min` sits at `px_max` and `max` at `px_min`.
    pub reverse: bool,
    /// `ticks.color`: the labels' colour; `None` = the theme's.
    pub label_color: Option<peniko::Color>,
}

impl LinearScale {
    /// A scale from its domain, step, ticks and pixels, with automatic tick labels.
    fn from_parts(
        min: f64,
        max: f64,
        step: f64,
        ticks: Vec<f64>,
        (px_min, px_max): (f64, f64),
        log: bool,
    ) -> LinearScale {
        LinearScale {
            min,
            max,
            step,
            ticks,
            px_min,
            px_max,
            log,
            format: TickFormat::default(),
            hide_labels: false,
            reverse: false,
            label_color: None,
        }
    }

    /// A scale covering `lo..=hi` with about `target_ticks` nice ticks, mapped onto
    /// `px_min..=px_max` (which may run backwards, as y does).
    pub fn nice(lo: f64, hi: f64, target_ticks: usize, px_min: f64, px_max: f64) -> LinearScale {
        let (min, max, step) = nice_range(lo, hi, target_ticks.max(2));
        let count = ((max - min) / step).round() as usize;
        let decimals = step_decimals(step);
        let ticks = (0..=count)
            .map(|i| round_to(min + step * i as f64, decimals))
            .collect();
        LinearScale::from_parts(min, max, step, ticks, (px_min, px_max), false)
    }

    /// A scale honouring Chart.js axis options: a fixed `min`/`max` is kept exactly (ticks at
    /// multiples of the step inside it), `step` replaces the nice step when it gives at most
    /// [`MAX_TICKS`] ticks, and the open ends are rounded out to the step as [`Self::nice`] does.
    pub fn bounded(
        lo: f64,
        hi: f64,
        target_ticks: usize,
        bounds: Bounds,
        px_min: f64,
        px_max: f64,
    ) -> LinearScale {
        let lo = bounds.min.unwrap_or(lo).clamp(-VALUE_LIMIT, VALUE_LIMIT);
        let hi = bounds.max.unwrap_or(hi).clamp(-VALUE_LIMIT, VALUE_LIMIT);
        if bounds.min.is_none() && bounds.max.is_none() && bounds.step.is_none() {
            return Self::nice(lo, hi, target_ticks, px_min, px_max);
        }
        let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
        let auto = nice_step((hi - lo) / target_ticks.max(2) as f64);
        let step = bounds
            .step
            .filter(|s| s.is_finite() && *s > 0.0 && (hi - lo) / s <= MAX_TICKS as f64)
            .unwrap_or(auto);
        let min = bounds.min.unwrap_or((lo / step).floor() * step);
        let max = bounds.max.unwrap_or((hi / step).ceil() * step);
        let decimals = step_decimals(step);
        let first = (min / step).ceil();
        let count = (((max - first * step) / step).floor().max(0.0) as usize).min(MAX_TICKS);
        let ticks = (0..=count)
            .map(|i| round_to((first + i as f64) * step, decimals))
            .filter(|t| *t >= min - step * 1e-9 && *t <= max + step * 1e-9)
            .collect();
        LinearScale::from_parts(min, max, step, ticks, (px_min, px_max), false)
    }

    /// A logarithmic scale over the positive values `lo..=hi`, from a power of ten to a power
    /// of ten (or the fixed `min`/`max`), ticked at each decade, and at 2× and 5× when the range
    /// spans few decades. Chart.js's `type: "logarithmic"`.
    pub fn logarithmic(lo: f64, hi: f64, bounds: Bounds, px_min: f64, px_max: f64) -> LinearScale {
        let positive = |v: f64| v.is_finite() && v > 0.0;
        let lo = bounds
            .min
            .filter(|v| positive(*v))
            .unwrap_or(if positive(lo) { lo } else { 1.0 });
        let hi = bounds
            .max
            .filter(|v| positive(*v))
            .unwrap_or(if positive(hi) { hi } else { lo * 10.0 });
        let hi = hi.max(lo).min(VALUE_LIMIT);
        let lo = lo.max(1e-300);
        let min = bounds
            .min
            .filter(|v| positive(*v))
            .unwrap_or_else(|| 10f64.powf(lo.log10().floor()));
        let mut max = bounds
            .max
            .filter(|v| positive(*v))
            .unwrap_or_else(|| 10f64.powf(hi.log10().ceil()));
        if max <= min {
            max = min * 10.0;
        }
        let decades = (max.log10() - min.log10()).max(1e-9);
        let multiples: &[f64] = if decades <= 3.0 {
            &[1.0, 2.0, 5.0]
        } else {
            &[1.0]
        };
        let every = (decades / 10.0).ceil().max(1.0) as i32;
        let mut ticks = Vec::new();
        let first = min.log10().floor() as i32;
        let last = max.log10().ceil() as i32;
        for e in (first..=last).filter(|e| (e - first) % every == 0) {
            for m in multiples {
                let v = m * 10f64.powi(e);
                // Round away the float noise of 10^e so labels read 0.1, not 0.10000000000000001.
                let v = round_to(v, (-e + 1).clamp(0, 12));
                if v >= min * (1.0 - 1e-9) && v <= max * (1.0 + 1e-9) {
                    ticks.push(v);
                }
            }
        }
        LinearScale::from_parts(min, max, 10.0, ticks, (px_min, px_max), true)
    }

    /// The pixel for value `v` (values outside the domain extrapolate; on a log scale values
    /// ≤ 0 sit below the bottom).
    pub fn px(&self, v: f64) -> f64 {
        let v = v.clamp(-VALUE_LIMIT, VALUE_LIMIT);
        let t = if self.log {
            let (a, b) = (self.min.log10(), self.max.log10());
            (v.max(self.min * 1e-3).log10() - a) / (b - a)
        } else {
            (v - self.min) / (self.max - self.min)
        };
        let t = if self.reverse { 1.0 - t } else { t };
        self.px_min + t * (self.px_max - self.px_min)
    }

    /// The same scale with its labels in `color` (`None`: the theme's).
    pub fn with_label_color(mut self, color: Option<peniko::Color>) -> LinearScale {
        self.label_color = color;
        self
    }

    /// The same scale running the other way when `reverse` (Chart.js `reverse: true`).
    pub fn reversed(mut self, reverse: bool) -> LinearScale {
        self.reverse = reverse;
        self
    }

    /// Re-targets the same domain onto other pixels.
    pub fn with_pixels(mut self, px_min: f64, px_max: f64) -> LinearScale {
        self.px_min = px_min;
        self.px_max = px_max;
        self
    }

    /// The pixel of the baseline for bars: zero when it is inside the domain, else the nearer end.
    pub fn baseline_px(&self) -> f64 {
        if self.log {
            return self.px(self.min);
        }
        self.px(0.0_f64.clamp(self.min, self.max))
    }

    /// Labels for every tick, sharing one unit and precision, written as the scale's
    /// [`TickFormat`] asks; empty strings when the labels are hidden.
    pub fn labels(&self) -> Vec<String> {
        if self.hide_labels {
            return vec![String::new(); self.ticks.len()];
        }
        if self.log && self.format.is_auto() {
            return self.ticks.iter().map(|&t| format_compact(t)).collect();
        }
        let f = ValueFormat::for_ticks(&self.format, &self.ticks, self.step);
        self.ticks.iter().map(|&t| f.format(t)).collect()
    }

    /// The same scale with tick labels written as `format` asks, or hidden.
    pub fn with_format(mut self, format: &TickFormat, show_labels: bool) -> LinearScale {
        self.format = format.clone();
        self.hide_labels = !show_labels;
        self
    }

    /// The format for values (data labels) read off this scale: its tick format, one digit
    /// finer.
    pub fn value_format(&self) -> ValueFormat {
        self.value_format_as(&self.format)
    }

    /// [`value_format`](Self::value_format) with `format` instead of the ticks' own.
    pub fn value_format_as(&self, format: &TickFormat) -> ValueFormat {
        let step = if self.log { self.min } else { self.step };
        ValueFormat::for_ticks(format, &self.ticks, step / 10.0)
    }
}

/// A number format with the client's declarative options (`ticks.format`) applied on top of the
/// automatic one.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueFormat {
    base: NumberFormat,
    fixed: Option<usize>,
    prefix: String,
    suffix: String,
    percent: bool,
}

impl ValueFormat {
    /// The format for ticks spaced `step` apart under `format`.
    pub fn for_ticks(format: &TickFormat, ticks: &[f64], step: f64) -> ValueFormat {
        let k = if format.percent { 100.0 } else { 1.0 };
        let scaled: Vec<f64> = ticks.iter().map(|t| t * k).collect();
        let step = step * k;
        let max_abs = scaled.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let mut base = match format.compact {
            None => NumberFormat::for_ticks(&scaled, step),
            Some(true) => NumberFormat::for_range(max_abs, step),
            Some(false) => NumberFormat::for_range(max_abs.min(999.0), step),
        };
        if let Some(d) = format.decimals {
            base.decimals = usize::from(d);
        }
        ValueFormat {
            base,
            fixed: format.decimals.map(usize::from),
            prefix: format.prefix.clone(),
            suffix: format.suffix.clone(),
            percent: format.percent,
        }
    }

    /// Writes `v`: sign, prefix, number, unit, suffix (`−$1.2k`, `25%`).
    pub fn format(&self, v: f64) -> String {
        let v = if self.percent { v * 100.0 } else { v };
        let mut body = self.base.format_abs(v, self.fixed.is_some());
        if self.percent {
            body.push('%');
        }
        let negative = v < 0.0 && body.chars().any(|c| c.is_ascii_digit() && c != '0');
        let sign = if negative { "\u{2212}" } else { "" };
        format!("{sign}{}{body}{}", self.prefix, self.suffix)
    }
}

/// Most ticks a requested `stepSize` may produce; a finer step falls back to the nice one.
pub const MAX_TICKS: usize = 50;

/// Requested axis bounds and step (Chart.js `min`, `max`, `ticks.stepSize`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bounds {
    /// Fixed start.
    pub min: Option<f64>,
    /// Fixed end.
    pub max: Option<f64>,
    /// Fixed tick step.
    pub step: Option<f64>,
}

/// Rounds `(lo, hi)` out to a nice range and step with about `target` intervals.
fn nice_range(lo: f64, hi: f64, target: usize) -> (f64, f64, f64) {
    let mut lo = if lo.is_finite() { lo } else { 0.0 }.clamp(-VALUE_LIMIT, VALUE_LIMIT);
    let mut hi = if hi.is_finite() { hi } else { 1.0 }.clamp(-VALUE_LIMIT, VALUE_LIMIT);
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    if hi - lo <= hi.abs().max(lo.abs()) * 1e-12 {
        // A flat series: open a window around the value so it sits mid-chart.
        let pad = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
        lo -= pad;
        hi += pad;
        if lo < 0.0 && hi - pad >= 0.0 {
            lo = 0.0;
        }
    }
    let step = nice_step((hi - lo) / target as f64);
    let min = (lo / step).floor() * step;
    let max = (hi / step).ceil() * step;
    (min, max, step)
}

/// The 1, 2 or 5 × 10ⁿ step nearest to `raw` (Heckbert's "nice numbers": a step that rounds
/// to the target tick count rather than always rounding up, so `−35..80` gets steps of 20).
pub fn nice_step(raw: f64) -> f64 {
    // Subnormal too: their power of ten underflows to 0 and the step would be 0 (then every
    // bound is NaN: a fuzzed lollipop of [2e-323, -5e-324] panicked in `clamp`).
    if !(raw.is_normal() && raw > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm < 1.5 {
        1.0
    } else if norm < 3.0 {
        2.0
    } else if norm < 7.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Digits after the decimal point needed to show multiples of `step` exactly.
fn step_decimals(step: f64) -> i32 {
    if step >= 1.0 || step <= 0.0 {
        0
    } else {
        ((-step.log10()).ceil() as i32).clamp(0, 12)
    }
}

fn round_to(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    let r = (v * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

/// Tick values below this are written in full, with thousands separators.
const PLAIN_AXIS_LIMIT: f64 = 10_000.0;

/// How a set of numbers is written: a shared unit suffix (k, M, B, T) and precision.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumberFormat {
    unit: f64,
    suffix: &'static str,
    decimals: usize,
    scientific: bool,
}

impl NumberFormat {
    /// The format for tick values spaced `step` apart.
    ///
    /// Axes below 10,000 keep plain numbers with thousands separators (`1,500`, not `1.5k`):
    /// a tick step of 100 reads better as `1,100` than as `1.1k`.
    pub fn for_ticks(ticks: &[f64], step: f64) -> NumberFormat {
        let max_abs = ticks.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if max_abs < PLAIN_AXIS_LIMIT {
            return Self::for_range(max_abs.min(999.0), step);
        }
        Self::for_range(max_abs, step)
    }

    /// The format for values up to `max_abs` that must distinguish differences of `resolution`.
    pub fn for_range(max_abs: f64, resolution: f64) -> NumberFormat {
        const UNITS: [(f64, &str); 4] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")];
        if max_abs >= 1e15 {
            return NumberFormat {
                unit: 1.0,
                suffix: "",
                decimals: 1,
                scientific: true,
            };
        }
        let (unit, suffix) = UNITS
            .iter()
            .find(|(u, _)| max_abs >= *u)
            .copied()
            .unwrap_or((1.0, ""));
        let rel = resolution / unit;
        let decimals = if rel > 0.0 && rel < 1.0 && rel.is_finite() {
            ((-rel.log10()).ceil() as usize).min(6)
        } else {
            0
        };
        NumberFormat {
            unit,
            suffix,
            decimals,
            scientific: false,
        }
    }

    /// Writes `v`: `1.2k`, `3.4M`, `0.25`, `−40`. Trailing zeros are dropped.
    pub fn format(&self, v: f64) -> String {
        let body = self.format_abs(v, false);
        // U+2212 MINUS SIGN: the typographic minus, as wide as a plus.
        let negative = v < 0.0 && body.chars().any(|c| c.is_ascii_digit() && c != '0');
        if negative {
            format!("\u{2212}{body}")
        } else {
            body
        }
    }

    /// Writes `|v|`; `keep_zeros` keeps trailing zeros (fixed decimals).
    fn format_abs(&self, v: f64, keep_zeros: bool) -> String {
        if !v.is_finite() {
            return String::new();
        }
        if self.scientific {
            crate::numfmt::localize(format!("{:.*e}", self.decimals, v.abs()))
        } else {
            let s = format!("{:.*}", self.decimals, v.abs() / self.unit);
            let s = if s.contains('.') && !keep_zeros {
                s.trim_end_matches('0').trim_end_matches('.').to_owned()
            } else {
                s
            };
            let s = if self.unit == 1.0 {
                group_thousands(&s)
            } else {
                s
            };
            let unit = if s == "0" { "" } else { self.suffix };
            let mut s = crate::numfmt::localize(s);
            s.push_str(unit);
            s
        }
    }
}

/// Compact form of one value, with precision suited to its own size (`1234.5` → `1.2k`).
pub fn format_compact(v: f64) -> String {
    let a = v.abs();
    let resolution = if a >= 1e3 {
        a / 10.0
    } else if a >= 1.0 {
        if v.fract() == 0.0 { 1.0 } else { 0.01 }
    } else if a > 0.0 {
        a / 100.0
    } else {
        1.0
    };
    NumberFormat::for_range(a, resolution).format(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_are_1_2_5() {
        assert_eq!(nice_step(0.7), 0.5);
        assert_eq!(nice_step(13.0), 10.0);
        assert_eq!(nice_step(23.0), 20.0);
        assert_eq!(nice_step(31.0), 50.0);
        assert_eq!(nice_step(0.031), 0.05);
        assert_eq!(nice_step(f64::NAN), 1.0);
        assert_eq!(nice_step(5e-324), 1.0);
        let s = LinearScale::nice(-5e-324, 2e-323, 5, 400.0, 0.0);
        assert!(
            s.min.is_finite() && s.max.is_finite() && s.min < s.max,
            "{s:?}"
        );
        assert!(s.baseline_px().is_finite());
    }

    #[test]
    fn revenue_scale() {
        let s = LinearScale::nice(0.0, 220.0, 5, 400.0, 0.0);
        assert_eq!(s.min, 0.0);
        assert_eq!(s.max, 250.0);
        assert_eq!(s.step, 50.0);
        assert_eq!(s.labels(), ["0", "50", "100", "150", "200", "250"]);
        assert_eq!(s.px(0.0), 400.0);
        assert_eq!(s.px(250.0), 0.0);
    }

    #[test]
    fn fractional_ticks_are_exact() {
        let s = LinearScale::nice(0.0, 0.3, 6, 0.0, 1.0);
        assert_eq!(
            s.labels(),
            ["0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3"]
        );
    }

    #[test]
    fn thousands_and_millions() {
        let s = LinearScale::nice(0.0, 3_400_000.0, 4, 0.0, 1.0);
        assert_eq!(s.labels(), ["0", "1M", "2M", "3M", "4M"]);
        let s = LinearScale::nice(0.0, 1500.0, 5, 0.0, 1.0);
        assert_eq!(s.labels(), ["0", "500", "1,000", "1,500"]);
        let s = LinearScale::nice(0.0, 12_000.0, 4, 0.0, 1.0);
        assert_eq!(s.labels(), ["0", "5k", "10k", "15k"]);
        assert_eq!(format_compact(1234.0), "1.2k");
        assert_eq!(format_compact(3_400_000.0), "3.4M");
        assert_eq!(format_compact(0.25), "0.25");
        assert_eq!(format_compact(-40.0), "\u{2212}40");
    }

    #[test]
    fn negative_range_and_flat_series() {
        let s = LinearScale::nice(-35.0, 80.0, 5, 0.0, 1.0);
        assert_eq!(s.min, -40.0);
        assert_eq!(s.max, 80.0);
        let flat = LinearScale::nice(5.0, 5.0, 5, 0.0, 1.0);
        assert!(flat.min < 5.0 && flat.max > 5.0);
        let zero = LinearScale::nice(0.0, 0.0, 5, 0.0, 1.0);
        assert_eq!((zero.min, zero.max), (0.0, 1.0));
    }

    #[test]
    fn fixed_bounds_and_step() {
        let b = Bounds {
            min: Some(0.0),
            max: Some(130.0),
            step: Some(25.0),
        };
        let s = LinearScale::bounded(10.0, 90.0, 5, b, 0.0, 1.0);
        assert_eq!((s.min, s.max), (0.0, 130.0));
        assert_eq!(s.ticks, [0.0, 25.0, 50.0, 75.0, 100.0, 125.0]);
        let tiny = Bounds {
            step: Some(1e-9),
            ..Bounds::default()
        };
        let s = LinearScale::bounded(0.0, 100.0, 5, tiny, 0.0, 1.0);
        assert!(s.ticks.len() <= MAX_TICKS + 1, "a silly step falls back");
        let only_max = Bounds {
            max: Some(300.0),
            ..Bounds::default()
        };
        let s = LinearScale::bounded(12.0, 220.0, 5, only_max, 0.0, 1.0);
        assert_eq!(s.max, 300.0);
        assert_eq!(s.min, 0.0);
    }

    #[test]
    fn extreme_values_stay_finite() {
        let s = LinearScale::nice(-f64::MAX, f64::MAX, 5, 0.0, 100.0);
        assert!(s.min.is_finite() && s.max.is_finite());
        assert!(s.ticks.len() < 20);
        assert!(s.px(f64::MAX).is_finite());
        assert!(s.labels().iter().all(|l| l.len() < 12));
    }
}
