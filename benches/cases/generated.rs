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

/// A chart of `ty` with `n` items shaped the way Chart.js clients send it: a `labels` array of
/// the same length wherever the type has labels (minute timestamps for lines and sparklines,
/// ISO days for heat calendars, names elsewhere), titles, and `n` values (or `{x, y}` points for
/// a scatter, `{value, target, ranges}` for bullets). Radar types get `n` spokes and two
/// series, slopes `n` lines between two years. Built as text: a million-item body in ~50 ms.
pub(crate) fn typed(ty: &str, n: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut next = lcg(0x5851_f42d_4c95_7f2d ^ n as u64);
    let mut s = String::with_capacity(n * 32 + 512);
    let _ = write!(s, r#"{{"type":"{ty}","data":{{"#);
    let label = |s: &mut String, i: usize| match ty {
        "line" | "sparkline" => {
            let (day, minute) = (i / 1440, i % 1440);
            let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date")
                + chrono::Days::new(day as u64);
            let _ = write!(s, "\"{date} {:02}:{:02}\"", minute / 60, minute % 60);
        }
        "heatcalendar" => {
            let date = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date")
                + chrono::Days::new(i as u64);
            let _ = write!(s, "\"{date}\"");
        }
        "radar" | "competitive_radar" => {
            let _ = write!(s, "\"Axis {}\"", i + 1);
        }
        "pie" | "donut" | "polar" | "funnel" => {
            let _ = write!(s, "\"Category {}\"", i + 1);
        }
        _ => {
            let _ = write!(s, "\"Item {}\"", i + 1);
        }
    };
    if ty != "scatter" {
        s.push_str(r#""labels":["#);
        for i in 0..n {
            if i > 0 {
                s.push(',');
            }
            label(&mut s, i);
        }
        s.push_str("],");
    }
    let series: &[&str] = match ty {
        "radar" | "competitive_radar" | "slope" => &["2025", "2026"],
        _ => &["Value"],
    };
    s.push_str(r#""datasets":["#);
    for (k, name) in series.iter().enumerate() {
        if k > 0 {
            s.push(',');
        }
        let _ = write!(s, r#"{{"label":"{name}","data":["#);
        for i in 0..n {
            if i > 0 {
                s.push(',');
            }
            let t = i as f64 * 100.0 / n as f64;
            let wave = (t.sin() * 40.0 + (t * 7.3).cos() * 8.0 + 60.0 + 6.0 * next()).max(1.0);
            let v = (wave * 100.0).round() / 100.0;
            match ty {
                "scatter" => {
                    let _ = write!(s, r#"{{"x":{:.2},"y":{v}}}"#, t);
                }
                "bullet" => {
                    let _ = write!(
                        s,
                        r#"{{"value":{v},"target":{:.1},"ranges":[40,70,100]}}"#,
                        v * 0.9 + 5.0
                    );
                }
                "waterfall" if i > 0 && i + 1 < n => {
                    let _ = write!(s, "{:.2}", v - 62.0);
                }
                _ => {
                    let _ = write!(s, "{v}");
                }
            }
        }
        s.push_str("]}");
    }
    let _ = write!(
        s,
        r#"]}},"options":{{"width":800,"height":500,"theme":"light","format":"png","title":"{ty} of {n} items","subtitle":"Generated as clients send it"}}}}"#
    );
    s.into_bytes()
}
