//! Box plots and violins (QuickChart's chartjs-chart-box-and-violin-plot): a category's raw
//! samples summarised as quartiles, whiskers and outliers, or as a kernel density.
//!
//! The statistics are the plugin's: quartiles by R's type-7 quantiles (or Tukey's hinges,
//! `quantiles: "hinges"`), whiskers at the furthest samples within `coef` (1.5) interquartile
//! ranges of the box, and a Gaussian kernel density with Scott's bandwidth (science.js `nrd`)
//! sampled at 100 steps from the smallest to the largest sample.

/// Which picture a dataset of samples is drawn as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistributionKind {
    /// Box from the first to the third quartile, median line, whiskers, outliers as dots.
    Box,
    /// The density, mirrored about the category's centre, with the median marked.
    Violin,
}

/// A box plot's or violin's dataset: its categories' summaries and how they are drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Samples {
    /// Box or violin.
    pub kind: DistributionKind,
    /// One per category that has samples, in order.
    pub summaries: Vec<Summary>,
    /// The plugin's element options.
    pub look: SamplesLook,
}

/// chartjs-chart-box-and-violin-plot's element options of one dataset.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct SamplesLook {
    /// `outlierColor`: the outlier dots (default: the outline colour).
    pub outlier_color: Option<peniko::Color>,
    /// `outlierRadius` in px (default 2).
    pub outlier_radius: Option<f64>,
    /// `medianColor`: the median line (default: the outline colour).
    pub median_color: Option<peniko::Color>,
    /// `lowerColor`: the part of the box below the median.
    pub lower_color: Option<peniko::Color>,
    /// `itemRadius` in px: every sample drawn as a dot, jittered across the box (0: none).
    pub item_radius: f64,
    /// `itemBackgroundColor`: the sample dots (default: the outline colour, half opaque).
    pub item_color: Option<peniko::Color>,
}

/// How the quartiles are computed (`quantiles` in the plugin's options).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Quantiles {
    /// R's type 7 (linear interpolation), the plugin's default.
    #[default]
    Type7,
    /// Tukey's hinges (R's `fivenum`).
    Hinges,
}

/// The statistics options of a dataset: whisker reach and quartile method.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StatsOptions {
    /// Whiskers reach this many interquartile ranges past the box (0: to the extremes).
    pub coef: f64,
    /// The quartile method.
    pub quantiles: Quantiles,
    /// Keep the samples to draw them as dots (`itemRadius` > 0).
    pub keep_items: bool,
}

impl Default for StatsOptions {
    fn default() -> Self {
        StatsOptions {
            coef: 1.5,
            quantiles: Quantiles::Type7,
            keep_items: false,
        }
    }
}

/// Steps at which a violin's density is sampled (the plugin's `points`).
pub const DENSITY_STEPS: usize = 100;

/// Samples past which the density is estimated from a histogram of this many bins (the
/// estimate is then exact to well under a pixel, at a cost independent of the sample count).
const DENSITY_BINS: usize = 1024;

/// One category's summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Smallest sample.
    pub min: f64,
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Largest sample.
    pub max: f64,
    /// Lower whisker end.
    pub whisker_min: f64,
    /// Upper whisker end.
    pub whisker_max: f64,
    /// Samples past the whiskers (box plots only).
    pub outliers: Vec<f64>,
    /// `(value, density)` from `min` to `max` (violins only).
    pub density: Vec<(f64, f64)>,
    /// The samples in the order given, when they are drawn as dots (`itemRadius`).
    pub items: Vec<f64>,
}

impl Summary {
    /// The summary of `samples` (NaNs and infinities dropped; `None` when none is left).
    pub fn of(
        mut samples: Vec<f64>,
        kind: DistributionKind,
        options: StatsOptions,
    ) -> Option<Summary> {
        samples.retain(|v| v.is_finite());
        if samples.is_empty() {
            return None;
        }
        let items = if options.keep_items {
            samples.clone()
        } else {
            Vec::new()
        };
        samples.sort_unstable_by(f64::total_cmp);
        let s = &samples;
        let [min, q1, median, q3, max] = match options.quantiles {
            Quantiles::Type7 => [
                s[0],
                type7(s, 0.25),
                type7(s, 0.5),
                type7(s, 0.75),
                s[s.len() - 1],
            ],
            Quantiles::Hinges => fivenum(s),
        };
        let mut summary = Summary::bare([min, q1, median, q3, max], Vec::new(), items);
        match kind {
            DistributionKind::Box => {
                summary.whiskers(Some(s), options.coef);
                summary.outliers = s
                    .iter()
                    .copied()
                    .filter(|v| *v < summary.whisker_min || *v > summary.whisker_max)
                    .collect();
            }
            DistributionKind::Violin => summary.density = density(s),
        }
        Some(summary)
    }

    /// A summary given as statistics (`{min, q1, median, q3, max}`), whiskers within `coef`.
    /// `items` are the samples behind them, if given (drawn as dots with `itemRadius`, and
    /// pulling the whiskers in to the furthest sample within reach).
    pub fn given(
        [min, q1, median, q3, max]: [f64; 5],
        outliers: Vec<f64>,
        items: Vec<f64>,
        coef: f64,
    ) -> Summary {
        let mut summary = Summary::bare([min, q1, median, q3, max], outliers, items);
        let mut sorted: Vec<f64> = summary
            .items
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        sorted.sort_unstable_by(f64::total_cmp);
        summary.whiskers((!sorted.is_empty()).then_some(&sorted[..]), coef);
        summary
    }

    /// The five numbers with whiskers at the extremes and no density yet.
    fn bare([min, q1, median, q3, max]: [f64; 5], outliers: Vec<f64>, items: Vec<f64>) -> Summary {
        Summary {
            min,
            q1,
            median,
            q3,
            max,
            whisker_min: min,
            whisker_max: max,
            outliers,
            density: Vec::new(),
            items,
        }
    }

    /// Whiskers at `coef` interquartile ranges past the box, clamped to the extremes and, when
    /// the sorted samples are known, pulled in to the furthest sample within them.
    fn whiskers(&mut self, sorted: Option<&[f64]>, coef: f64) {
        if coef > 0.0 {
            let iqr = self.q3 - self.q1;
            self.whisker_min = self.min.max(self.q1 - coef * iqr);
            self.whisker_max = self.max.min(self.q3 + coef * iqr);
        }
        if let Some(s) = sorted {
            if let Some(v) = s.iter().find(|v| **v >= self.whisker_min) {
                self.whisker_min = *v;
            }
            if let Some(v) = s.iter().rev().find(|v| **v <= self.whisker_max) {
                self.whisker_max = *v;
            }
        }
    }

    /// The values the value axis must reach.
    pub fn extent(&self) -> (f64, f64) {
        let (lo, hi) = self
            .outliers
            .iter()
            .fold((self.min, self.max), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
        (lo.min(self.whisker_min), hi.max(self.whisker_max))
    }
}

/// R's type-7 quantile `q` of sorted, non-empty `s`.
fn type7(s: &[f64], q: f64) -> f64 {
    let index = q * (s.len() - 1) as f64;
    let lo = index.floor() as usize;
    let h = index - lo as f64;
    match s.get(lo + 1) {
        Some(next) if h > 0.0 => s[lo] + h * (next - s[lo]),
        _ => s[lo],
    }
}

/// Tukey's five numbers (R's `fivenum`) of sorted, non-empty `s`.
fn fivenum(s: &[f64]) -> [f64; 5] {
    let n = s.len() as f64;
    let n4 = ((n + 3.0) / 2.0).floor() / 2.0;
    // 1-based positions, halfway between neighbours at .5.
    let at = |d: f64| {
        let lo = (d.floor() as usize).clamp(1, s.len()) - 1;
        let hi = (d.ceil() as usize).clamp(1, s.len()) - 1;
        0.5 * (s[lo] + s[hi])
    };
    [
        s[0],
        at(n4),
        at((n + 1.0) / 2.0),
        at(n + 1.0 - n4),
        s[s.len() - 1],
    ]
}

/// Sample variance (n − 1) of `s`; 0 for one sample.
fn variance(s: &[f64]) -> f64 {
    if s.len() < 2 {
        return 0.0;
    }
    let mean = s.iter().sum::<f64>() / s.len() as f64;
    s.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (s.len() - 1) as f64
}

/// Scott's bandwidth (science.js `nrd`) of sorted `s`, falling back as R's `nrd0` does when
/// the spread is zero (all samples equal, or a quartile range of zero).
fn bandwidth(s: &[f64]) -> f64 {
    let sd = variance(s).sqrt();
    let iqr = (type7(s, 0.75) - type7(s, 0.25)) / 1.34;
    let mut lo = sd.min(iqr);
    if lo <= 0.0 || !lo.is_finite() {
        lo = if sd > 0.0 {
            sd
        } else if s[0] != 0.0 {
            s[0].abs()
        } else {
            1.0
        };
    }
    1.06 * lo * (s.len() as f64).powf(-0.2)
}

/// The Gaussian kernel density of sorted, non-empty `s` at [`DENSITY_STEPS`] steps from its
/// smallest to its largest sample (both included).
fn density(s: &[f64]) -> Vec<(f64, f64)> {
    let (min, max) = (s[0], s[s.len() - 1]);
    let bw = bandwidth(s);
    // (value, weight) pairs: the samples, or a histogram of them when there are many.
    let weighted: Vec<(f64, f64)> = if s.len() <= DENSITY_BINS * 4 || max <= min {
        s.iter().map(|v| (*v, 1.0)).collect()
    } else {
        let width = (max - min) / DENSITY_BINS as f64;
        let mut counts = vec![0.0f64; DENSITY_BINS];
        for v in s {
            let bin = (((v - min) / width) as usize).min(DENSITY_BINS - 1);
            counts[bin] += 1.0;
        }
        counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0.0)
            .map(|(i, c)| (min + (i as f64 + 0.5) * width, *c))
            .collect()
    };
    let n = s.len() as f64;
    let norm = 1.0 / (bw * n * (2.0 * std::f64::consts::PI).sqrt());
    let at = |x: f64| {
        let sum: f64 = weighted
            .iter()
            .map(|(v, w)| w * (-0.5 * ((x - v) / bw).powi(2)).exp())
            .sum();
        (x, sum * norm)
    };
    if max <= min {
        return vec![at(min)];
    }
    let step = (max - min) / DENSITY_STEPS as f64;
    (0..=DENSITY_STEPS)
        .map(|i| {
            at(if i == DENSITY_STEPS {
                max
            } else {
                min + step * i as f64
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(samples: &[f64]) -> Summary {
        Summary::of(
            samples.to_vec(),
            DistributionKind::Box,
            StatsOptions::default(),
        )
        .expect("samples")
    }

    #[test]
    fn quartiles_are_r_type_7() {
        // R: quantile(c(12, 6, 3, 4)) → 3, 3.75, 5, 7.5, 12
        let s = boxed(&[12.0, 6.0, 3.0, 4.0]);
        assert_eq!(
            [s.min, s.q1, s.median, s.q3, s.max],
            [3.0, 3.75, 5.0, 7.5, 12.0]
        );
        // R: quantile(c(19, -3, 18, 8, 5, 9, 9)) → -3, 6.5, 9, 13.5, 19
        let s = boxed(&[19.0, -3.0, 18.0, 8.0, 5.0, 9.0, 9.0]);
        assert_eq!([s.q1, s.median, s.q3], [6.5, 9.0, 13.5]);
    }

    #[test]
    fn hinges_are_fivenum() {
        // R: fivenum(c(1, 1, 1, 2, 3, 5, 9, 8)) → 1, 1, 2.5, 6.5, 9
        let mut sorted = vec![1.0, 1.0, 1.0, 2.0, 3.0, 5.0, 9.0, 8.0];
        sorted.sort_by(f64::total_cmp);
        assert_eq!(fivenum(&sorted), [1.0, 1.0, 2.5, 6.5, 9.0]);
    }

    #[test]
    fn whiskers_stop_at_samples_and_the_rest_are_outliers() {
        // q1 = 2.25, q3 = 4.75, iqr = 2.5: whiskers reach -1.5 .. 8.5, so 40 is an outlier and
        // the upper whisker is the largest sample within reach, 5.
        let s = boxed(&[1.0, 2.0, 3.0, 4.0, 5.0, 40.0]);
        assert_eq!((s.whisker_min, s.whisker_max), (1.0, 5.0));
        assert_eq!(s.outliers, vec![40.0]);
        assert_eq!(s.extent(), (1.0, 40.0));
    }

    #[test]
    fn the_density_peaks_where_the_samples_are() {
        let samples = [1.0, 1.0, 1.0, 2.0, 3.0, 5.0, 9.0, 8.0];
        let s = Summary::of(
            samples.to_vec(),
            DistributionKind::Violin,
            StatsOptions::default(),
        )
        .expect("samples");
        assert_eq!(s.density.len(), DENSITY_STEPS + 1);
        assert_eq!(s.density.first().map(|d| d.0), Some(1.0));
        assert_eq!(s.density.last().map(|d| d.0), Some(9.0));
        let peak = s
            .density
            .iter()
            .copied()
            .fold((0.0, 0.0), |a, d| if d.1 > a.1 { d } else { a });
        assert!(peak.0 < 3.0, "peak at {peak:?}");
        // A density integrates to about 1 over the whole line; between min and max a bit less.
        let area: f64 = s
            .density
            .windows(2)
            .map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0)
            .sum();
        assert!((0.6..1.0).contains(&area), "area {area}");
    }

    #[test]
    fn many_samples_binned_match_the_exact_density() {
        let samples: Vec<f64> = (0..20_000)
            .map(|i| ((i * 7919) % 1000) as f64 / 10.0)
            .collect();
        let binned = density(&{
            let mut s = samples.clone();
            s.sort_by(f64::total_cmp);
            s
        });
        let mut sorted = samples;
        sorted.sort_by(f64::total_cmp);
        let bw = bandwidth(&sorted);
        let norm = 1.0 / (bw * sorted.len() as f64 * (2.0 * std::f64::consts::PI).sqrt());
        for (x, d) in binned.iter().step_by(10) {
            let exact: f64 = sorted
                .iter()
                .map(|v| (-0.5 * ((x - v) / bw).powi(2)).exp())
                .sum::<f64>()
                * norm;
            assert!(
                (d - exact).abs() <= exact * 0.02 + 1e-6,
                "at {x}: {d} vs {exact}"
            );
        }
    }

    #[test]
    fn equal_samples_still_have_a_shape() {
        let s = Summary::of(
            vec![4.0; 5],
            DistributionKind::Violin,
            StatsOptions::default(),
        )
        .expect("samples");
        assert_eq!(s.density.len(), 1);
        assert!(s.density[0].1.is_finite() && s.density[0].1 > 0.0);
        assert!(
            Summary::of(
                vec![f64::NAN],
                DistributionKind::Box,
                StatsOptions::default()
            )
            .is_none()
        );
    }
}
