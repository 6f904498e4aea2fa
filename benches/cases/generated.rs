//! Generated benchmark cases shared by `benches/render.rs` and `examples/throughput.rs`, so both
//! measure exactly the same specs.

#![allow(dead_code, reason = "each includer uses a different subset")]

/// A deterministic uniform source in [0, 1) (a small LCG), so every run measures the same data.
pub(crate) fn lcg(mut seed: u64) -> impl FnMut() -> f64 {
    move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as f64 / f64::from(1u32 << 31)
    }
}

/// A cloud of `n` `{x, y}` points: a linear trend with noise (a density picture past 50,000);
/// at 5,000 points the same data as the reference engine's case.
pub(crate) fn scatter(n: u32) -> Vec<u8> {
    let mut next = lcg(0x2545_f491_4f6c_dd1d);
    let points: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let x = f64::from(i) * 100.0 / f64::from(n);
            let y = 3.0 * x + 40.0 * (next() - 0.5);
            serde_json::json!({ "x": (x * 100.0).round() / 100.0, "y": (y * 100.0).round() / 100.0 })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "type": "scatter",
        "data": { "datasets": [{ "label": "Samples", "data": points }] },
        "options": { "width": 800, "height": 500, "theme": "light", "format": "png" }
    }))
    .expect("serialisable")
}

/// A line of `n` values with two decimals (a slow wave, a faster one, a trend and noise; the
/// same shape at every `n`), no labels: the x axis counts the points.
pub(crate) fn line(n: u32) -> Vec<u8> {
    let mut next = lcg(0x9e37_79b9_7f4a_7c15);
    let data: Vec<f64> = (0..n)
        .map(|i| {
            let t = f64::from(i) * 100.0 / f64::from(n);
            let v = t.sin() * 40.0 + (t * 7.3).cos() * 8.0 + t * 0.5 + 6.0 * (next() - 0.5);
            (v * 100.0).round() / 100.0
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "type": "line",
        "data": { "datasets": [{ "label": "Signal", "data": data }] },
        "options": { "width": 800, "height": 500, "theme": "light", "format": "png" }
    }))
    .expect("serialisable")
}

/// The 5,000-point scatter of the reference engine's case.
pub(crate) fn scatter_5000() -> Vec<u8> {
    scatter(5000)
}

/// The 100,000-point line.
pub(crate) fn line_100k() -> Vec<u8> {
    line(100_000)
}
