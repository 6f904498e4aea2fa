//! Shared helpers for the integration tests: golden-image comparison, temp dirs, and the
//! PostgreSQL test databases ([`test_db`]).

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

pub(crate) mod test_db;

use clovicharts::render::Image;
use std::path::{Path, PathBuf};

/// A channel counts as changed when it moves by more than this (out of 255): anti-aliasing and
/// SIMD paths may round one or two steps differently.
pub(crate) const CHANNEL_TOLERANCE: u8 = 3;
/// At most this share of pixels may change at all before a golden test fails (0.1 %).
pub(crate) const MAX_CHANGED_SHARE: f64 = 0.001;

/// How two images differ.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Diff {
    /// Pixels with any channel off by more than [`CHANNEL_TOLERANCE`].
    pub(crate) changed: usize,
    /// All pixels.
    pub(crate) total: usize,
    /// Mean absolute channel difference, in 1/255 units.
    pub(crate) mean_abs: f64,
    /// Largest channel difference.
    pub(crate) max: u8,
}

impl Diff {
    /// Share of changed pixels.
    pub(crate) fn changed_share(&self) -> f64 {
        self.changed as f64 / self.total.max(1) as f64
    }
}

/// Per-pixel comparison of two RGBA images of the same size; also returns a diff picture
/// (changed pixels red over a dimmed copy of `expected`).
pub(crate) fn compare(actual: &Image, expected: &Image) -> (Diff, Image) {
    assert_eq!(
        (actual.width, actual.height),
        (expected.width, expected.height),
        "size differs"
    );
    let mut diff_px = Vec::with_capacity(actual.data.len());
    let (mut changed, mut sum, mut max) = (0usize, 0u64, 0u8);
    for (a, e) in actual
        .data
        .chunks_exact(4)
        .zip(expected.data.chunks_exact(4))
    {
        let d = a
            .iter()
            .zip(e)
            .map(|(x, y)| x.abs_diff(*y))
            .max()
            .unwrap_or(0);
        sum += a
            .iter()
            .zip(e)
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum::<u64>();
        max = max.max(d);
        if d > CHANNEL_TOLERANCE {
            changed += 1;
            diff_px.extend_from_slice(&[255, 0, 0, 255]);
        } else {
            diff_px.extend_from_slice(&[e[0] / 3, e[1] / 3, e[2] / 3, 255]);
        }
    }
    let total = actual.data.len() / 4;
    let diff = Diff {
        changed,
        total,
        mean_abs: sum as f64 / (total.max(1) * 4) as f64,
        max,
    };
    let picture = Image {
        width: actual.width,
        height: actual.height,
        data: diff_px,
    };
    (diff, picture)
}

/// Reads a PNG into RGBA8.
pub(crate) fn read_png(path: &Path) -> Image {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    assert_eq!(info.color_type, png::ColorType::Rgba, "{}", path.display());
    Image {
        width: info.width,
        height: info.height,
        data: buf,
    }
}

/// Writes RGBA8 as PNG (balanced compression: these are committed).
pub(crate) fn write_png(path: &Path, image: &Image) {
    let bytes = clovicharts::encode::png(image, clovicharts::encode::PngLevel::Balanced).unwrap();
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Bound on the share of pixels whose channels differ by more than `CHANNEL_TOLERANCE` between
/// the GPU and CPU rasterisers (anti-aliasing differs slightly on edges and glyphs).
pub(crate) const MAX_GPU_CPU_CHANGED_SHARE: f64 = 0.015;
/// Bound on the mean absolute channel difference (out of 255).
pub(crate) const MAX_GPU_CPU_MEAN_ABS: f64 = 0.15;

/// `tests/golden/`.
pub(crate) fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Where failing tests leave the actual and diff images: `target/golden-out/`.
pub(crate) fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/golden-out");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Checks `actual` against `tests/golden/<name>.png`, or rewrites it when `UPDATE_GOLDEN=1`.
/// Returns a description of the failure, if any, so a test can check every case first.
pub(crate) fn check_golden(name: &str, actual: &Image) -> Result<Diff, String> {
    let path = golden_dir().join(format!("{name}.png"));
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        write_png(&path, actual);
        return Ok(Diff {
            changed: 0,
            total: actual.data.len() / 4,
            mean_abs: 0.0,
            max: 0,
        });
    }
    if !path.exists() {
        return Err(format!(
            "{name}: no golden at {} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        ));
    }
    let expected = read_png(&path);
    if (expected.width, expected.height) != (actual.width, actual.height) {
        write_png(&out_dir().join(format!("{name}.actual.png")), actual);
        return Err(format!(
            "{name}: size {}×{} but golden is {}×{}",
            actual.width, actual.height, expected.width, expected.height
        ));
    }
    let (diff, picture) = compare(actual, &expected);
    if diff.changed_share() > MAX_CHANGED_SHARE {
        let out = out_dir();
        write_png(&out.join(format!("{name}.actual.png")), actual);
        write_png(&out.join(format!("{name}.diff.png")), &picture);
        return Err(format!(
            "{name}: {} of {} pixels ({:.3}%) differ by more than {CHANNEL_TOLERANCE}/255 \
             (limit {:.1}%); mean |Δ| {:.3}, max {}; actual and diff written to {}",
            diff.changed,
            diff.total,
            diff.changed_share() * 100.0,
            MAX_CHANGED_SHARE * 100.0,
            diff.mean_abs,
            diff.max,
            out.display()
        ));
    }
    Ok(diff)
}

/// The JSON of `tests/specs/<name>.json`.
pub(crate) fn spec_json(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/specs/{name}.json"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap()
}

/// Validates and lays out a spec (panics on an invalid test spec).
pub(crate) fn figure(value: &serde_json::Value) -> clovicharts::figure::Figure {
    let chart =
        clovicharts::spec::from_value(value).unwrap_or_else(|e| panic!("invalid test spec: {e}"));
    let mut shaper = clovicharts::text::TextShaper::new();
    clovicharts::layout::layout(&chart, &mut shaper)
}

/// Validates, lays out and renders a spec on the CPU.
pub(crate) fn render(value: &serde_json::Value) -> Image {
    use clovicharts::render::Renderer as _;
    clovicharts::render::CpuRenderer::new()
        .render(&figure(value))
        .unwrap()
}

/// Checks `tests/specs/<type>.json` in every theme at 800×500 against `<type>_<theme>.png`;
/// returns the failures.
pub(crate) fn check_every_theme(types: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    for ty in types {
        for theme in clovicharts::spec::ThemeName::ALL {
            let mut value = spec_json(ty);
            value["options"]["theme"] = theme.name().into();
            value["options"]["width"] = 800.into();
            value["options"]["height"] = 500.into();
            let name = format!("{ty}_{}", theme.name());
            if let Err(e) = check_golden(&name, &render(&value)) {
                failures.push(e);
            }
        }
    }
    failures
}

/// Checks each `tests/specs/<name>.json` as is against `<name>.png`; returns the failures.
pub(crate) fn check_specs(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .filter_map(|name| check_golden(name, &render(&spec_json(name))).err())
        .collect()
}

/// Whether every coordinate of `shape` is finite.
pub(crate) fn shape_is_finite(shape: &clovicharts::figure::Shape) -> bool {
    use clovicharts::figure::Shape;
    match shape {
        Shape::Rect(r) => [r.x0, r.y0, r.x1, r.y1].iter().all(|v| v.is_finite()),
        Shape::RoundedRect(r) => {
            let r = r.rect();
            [r.x0, r.y0, r.x1, r.y1].iter().all(|v| v.is_finite())
        }
        Shape::Circle(c) => {
            c.center.x.is_finite() && c.center.y.is_finite() && c.radius.is_finite()
        }
        Shape::Path(p) => p.elements().iter().all(|el| {
            el.end_point()
                .is_none_or(|pt| pt.x.is_finite() && pt.y.is_finite())
        }),
    }
}

/// A fresh directory under the system temp dir, unique to this process and moment.
pub(crate) fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "clovicharts-test-{tag}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A deterministic uniform source in [0, 1).
pub(crate) fn lcg(mut seed: u64) -> impl FnMut() -> f64 {
    move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as f64 / f64::from(1u32 << 31)
    }
}

/// Two clusters and a sparse background, `n` points, as a scatter body.
pub(crate) fn cloud(n: usize, theme: clovicharts::spec::ThemeName) -> Vec<u8> {
    let mut next = lcg(0x5851_f42d_4c95_7f2d);
    let mut points = Vec::with_capacity(n);
    for i in 0..n {
        // A sum of uniforms is roughly normal: two blobs, and every tenth point anywhere.
        let g = |next: &mut dyn FnMut() -> f64| (0..4).map(|_| next()).sum::<f64>() / 4.0 - 0.5;
        let (x, y) = match i % 10 {
            0 => (next() * 100.0, next() * 60.0 - 10.0),
            1..=6 => (30.0 + 40.0 * g(&mut next), 20.0 + 30.0 * g(&mut next)),
            _ => (70.0 + 25.0 * g(&mut next), 35.0 + 15.0 * g(&mut next)),
        };
        points.push(serde_json::json!({"x": (x * 1000.0).round() / 1000.0, "y": (y * 1000.0).round() / 1000.0}));
    }
    serde_json::to_vec(&serde_json::json!({
        "type": "scatter",
        "data": {"datasets": [{"label": "Sessions", "data": points}]},
        "options": {"width": 800, "height": 500, "theme": theme.name(), "title": "Session latency"}
    }))
    .unwrap()
}

pub(crate) fn decode(png: &[u8]) -> clovicharts::render::Image {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    clovicharts::render::Image {
        width: info.width,
        height: info.height,
        data: buf,
    }
}
