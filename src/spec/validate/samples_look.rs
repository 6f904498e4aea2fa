//! The box plot plugin's element options of each box plot or violin dataset (`outlierColor`,
//! `outlierRadius`, `medianColor`, `lowerColor`, and the Chart.js 3+ plugin's
//! `outlierBackgroundColor`, `lowerBackgroundColor`); cosmetic, so a bad value is a warning.

use super::lenient;
use super::{at, present};
use crate::spec::{Dataset, SpecWarning};
use serde_json::{Map, Value};

/// Reads each box plot or violin dataset's element options from `root`'s `data.datasets`.
pub(super) fn apply(
    root: &Map<String, Value>,
    datasets: &mut [Dataset],
    warnings: &mut Vec<SpecWarning>,
) {
    let Some(raw) = present(root, "data")
        .and_then(|d| d.get("datasets"))
        .and_then(Value::as_array)
    else {
        return;
    };
    for (i, (ds, raw)) in datasets.iter_mut().zip(raw).enumerate() {
        let (Some(samples), Some(obj)) = (ds.samples.as_mut(), raw.as_object()) else {
            continue;
        };
        let path = at("/data/datasets", i);
        let look = &mut samples.look;
        // The Chart.js 2 plugin's names, then @sgratzl/chartjs-chart-boxplot's (Chart.js 3+).
        look.outlier_color = lenient::color(obj, "outlierColor", &path, warnings)
            .or_else(|| lenient::color(obj, "outlierBackgroundColor", &path, warnings));
        look.median_color = lenient::color(obj, "medianColor", &path, warnings);
        look.lower_color = lenient::color(obj, "lowerColor", &path, warnings)
            .or_else(|| lenient::color(obj, "lowerBackgroundColor", &path, warnings));
        look.outlier_radius = lenient::px(obj, "outlierRadius", &path, warnings);
        look.item_radius = lenient::px(obj, "itemRadius", &path, warnings).unwrap_or(0.0);
        look.item_color = lenient::color(obj, "itemBackgroundColor", &path, warnings);
    }
}
