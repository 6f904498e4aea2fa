//! One pass over a series: what the narrative and the accessible description say of it.
//!
//! Both texts are made on every render, so a line of a million points is walked once per
//! dataset here instead of once per sentence (and without copying the values).

use crate::spec::DataPoint;

/// The finite y values of one dataset, summarised: `(index, value)` of the first, the last, the
/// largest and the smallest (the first occurrence of each), their count and their sum in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SeriesStats {
    /// Finite values seen.
    pub(crate) count: usize,
    /// Their sum, in order.
    pub(crate) sum: f64,
    /// The first finite value.
    pub(crate) first: (usize, f64),
    /// The last finite value.
    pub(crate) last: (usize, f64),
    /// The largest value, at its first occurrence.
    pub(crate) max: (usize, f64),
    /// The smallest value, at its first occurrence.
    pub(crate) min: (usize, f64),
}

impl SeriesStats {
    /// The summary of `data`'s finite y values; `None` when there are none.
    pub(crate) fn of(data: &[DataPoint]) -> Option<Self> {
        let mut it = data
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.y().filter(|v| v.is_finite()).map(|v| (i, v)));
        let first = it.next()?;
        let mut s = SeriesStats {
            count: 1,
            sum: first.1,
            first,
            last: first,
            max: first,
            min: first,
        };
        for (i, v) in it {
            s.count += 1;
            s.sum += v;
            s.last = (i, v);
            if v > s.max.1 {
                s.max = (i, v);
            }
            if v < s.min.1 {
                s.min = (i, v);
            }
        }
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]
    use super::*;

    fn points(values: &[Option<f64>]) -> Vec<DataPoint> {
        values
            .iter()
            .map(|v| match v {
                Some(v) => DataPoint::Value(*v),
                None => DataPoint::Missing,
            })
            .collect()
    }

    #[test]
    fn skips_missing_and_non_finite_values_and_keeps_first_extremes() {
        let data = points(&[
            None,
            Some(3.0),
            Some(f64::NAN),
            Some(7.0),
            Some(1.0),
            Some(7.0),
        ]);
        let s = SeriesStats::of(&data).unwrap();
        assert_eq!(s.count, 4);
        assert_eq!(s.sum, 18.0);
        assert_eq!(s.first, (1, 3.0));
        assert_eq!(s.last, (5, 7.0));
        assert_eq!(s.max, (3, 7.0));
        assert_eq!(s.min, (4, 1.0));
    }

    #[test]
    fn no_finite_value_is_none() {
        assert_eq!(SeriesStats::of(&points(&[None, Some(f64::INFINITY)])), None);
        assert_eq!(SeriesStats::of(&[]), None);
    }
}
