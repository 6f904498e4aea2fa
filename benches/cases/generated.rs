//! Generated benchmark cases shared by `benches/render.rs` and `examples/throughput.rs`, so both
//! measure exactly the same specs.

/// A 5,000-point scatter: a linear trend with noise from a small LCG (deterministic).
pub(crate) fn scatter_5000() -> Vec<u8> {
    // A deterministic cloud: a linear trend with noise from a small LCG.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as f64 / f64::from(1u32 << 31)
    };
    let points: Vec<serde_json::Value> = (0..5000)
        .map(|i| {
            let x = f64::from(i) / 50.0;
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

/// A 100,000-point line of two sines and a trend.
pub(crate) fn line_100k() -> Vec<u8> {
    let data: Vec<f64> = (0..100_000)
        .map(|i| {
            let t = f64::from(i) / 1000.0;
            ((t.sin() * 40.0 + (t * 7.3).cos() * 8.0 + t * 0.5) * 100.0).round() / 100.0
        })
        .collect();
    let labels: Vec<String> = (0..100_000).map(|i| i.to_string()).collect();
    serde_json::to_vec(&serde_json::json!({
        "type": "line",
        "data": { "labels": labels, "datasets": [{ "label": "Signal", "data": data }] },
        "options": { "width": 800, "height": 500, "theme": "light", "format": "png" }
    }))
    .expect("serialisable")
}
