//! SVG, PDF and JPEG output against the PNG of the same spec, and the accessible description
//! read back out of every format.
//!
//! SVG is rasterised with resvg and PDF with poppler's `pdftoppm` (skipped, saying so, when it
//! is not installed; `.ci/run` installs poppler-utils). Different rasterisers anti-alias edges
//! and hint glyphs differently, so the comparison is statistical: the mean absolute channel
//! difference is at most [`MAX_MEAN_ABS`] and at most [`MAX_FAR_SHARE`] of the pixels differ by
//! more than [`FAR`] (a shape drawn in the wrong place or colour moves whole areas past both).
//! Rasterised images are written to `target/golden-out/` to be looked at.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::render::{CpuRenderer, Image};
use clovicharts::spec::Format;
use clovicharts::text::TextShaper;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::process::Command;

/// Largest mean absolute channel difference (out of 255) from the PNG.
const MAX_MEAN_ABS: f64 = 3.0;
/// A channel this far off (out of 255) is a "far" pixel, not anti-aliasing.
const FAR: u8 = 96;
/// Largest share of far pixels.
const MAX_FAR_SHARE: f64 = 0.01;

/// The specs compared: bars with a title, styled lines (dashes, clips), a pie (arcs, labels), a
/// scatter, and a retina chart (scaled figure).
const CASES: [&str; 5] = ["bar", "line_styled", "pie", "scatter", "options_retina"];

fn render(value: &Value, format: Format) -> clovicharts::ChartOutput {
    let mut spec = clovicharts::spec::from_value(value).unwrap();
    spec.options.format = format;
    let mut shaper = TextShaper::new();
    let mut renderer = CpuRenderer::new();
    clovicharts::render_spec(&spec, &mut shaper, &mut renderer).unwrap()
}

fn decode_png(bytes: &[u8]) -> Image {
    // Tests run in parallel threads of one process: the name needs more than the pid.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = common::out_dir().join(format!("decode-{}-{n}.png", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let img = common::read_png(&path);
    let _ = std::fs::remove_file(&path);
    img
}

fn rasterise_svg(bytes: &[u8]) -> Image {
    let tree = resvg::usvg::Tree::from_data(bytes, &resvg::usvg::Options::default()).unwrap();
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    let data = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    Image {
        width: size.width(),
        height: size.height(),
        data,
    }
}

/// Whether poppler's tools are here; prints why a test skips when not.
fn poppler() -> bool {
    let ok = Command::new("pdftoppm").arg("-v").output().is_ok();
    if !ok {
        eprintln!("SKIPPED: pdftoppm not found; install poppler-utils to check PDF output");
    }
    ok
}

/// The PDF's first page at 72 dpi (one point to one pixel: the chart's size).
fn rasterise_pdf(bytes: &[u8], name: &str) -> Image {
    let dir = common::out_dir();
    let pdf = dir.join(format!("{name}.pdf"));
    std::fs::write(&pdf, bytes).unwrap();
    let prefix = dir.join(format!("{name}.pdf-raster"));
    let status = Command::new("pdftoppm")
        .args([
            "-r",
            "72",
            "-png",
            "-singlefile",
            "-aa",
            "yes",
            "-aaVector",
            "yes",
        ])
        .arg(&pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success(), "pdftoppm failed on {}", pdf.display());
    common::read_png(&dir.join(format!("{name}.pdf-raster.png")))
}

/// Compares a rasterised vector file with the PNG, writing both and the diff for looking at.
fn assert_close(name: &str, actual: &Image, png: &Image) {
    assert_eq!(
        (actual.width, actual.height),
        (png.width, png.height),
        "{name}: size"
    );
    let (diff, picture) = common::compare(actual, png);
    let far = actual
        .data
        .chunks_exact(4)
        .zip(png.data.chunks_exact(4))
        .filter(|(a, b)| a.iter().zip(*b).any(|(x, y)| x.abs_diff(*y) > FAR))
        .count();
    let far_share = far as f64 / diff.total as f64;
    let out = common::out_dir();
    common::write_png(&out.join(format!("{name}.raster.png")), actual);
    common::write_png(&out.join(format!("{name}.png-ref.png")), png);
    common::write_png(&out.join(format!("{name}.raster-diff.png")), &picture);
    eprintln!(
        "{name}: mean |Δ| {:.3}/255, {:.3}% of pixels off by more than {FAR}",
        diff.mean_abs,
        far_share * 100.0
    );
    assert!(
        diff.mean_abs <= MAX_MEAN_ABS && far_share <= MAX_FAR_SHARE,
        "{name}: mean |Δ| {:.3} (limit {MAX_MEAN_ABS}), far pixels {:.3}% (limit {:.1}%); \
         images in {}",
        diff.mean_abs,
        far_share * 100.0,
        MAX_FAR_SHARE * 100.0,
        out.display()
    );
}

#[test]
fn svg_rasterises_like_the_png() {
    for name in CASES {
        let spec = common::spec_json(name);
        let png = decode_png(&render(&spec, Format::Png).bytes);
        let svg = render(&spec, Format::Svg);
        assert_eq!(svg.format, Format::Svg);
        let text = String::from_utf8(svg.bytes.clone()).unwrap();
        assert!(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(
            !text.contains("<image"),
            "{name}: vector, not a raster inside an SVG"
        );
        std::fs::write(common::out_dir().join(format!("{name}.svg")), &svg.bytes).unwrap();
        assert_close(&format!("{name}.svg"), &rasterise_svg(&svg.bytes), &png);
    }
}

#[test]
fn svg_text_mode_writes_text_elements() {
    let mut spec = common::spec_json("bar");
    spec["options"]["svgText"] = json!("text");
    let svg = String::from_utf8(render(&spec, Format::Svg).bytes).unwrap();
    assert!(svg.contains("font-family=\"Inter, sans-serif\""), "{svg}");
    assert!(!svg.contains("<use "), "text mode draws no outlines");
    let title = common::spec_json("bar")["options"]["title"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(svg.contains(&format!(">{title}</text>")), "title as text");
}

#[test]
fn pdf_rasterises_like_the_png_and_has_its_title_as_text() {
    if !poppler() {
        return;
    }
    for name in CASES {
        let spec = common::spec_json(name);
        let png = decode_png(&render(&spec, Format::Png).bytes);
        let pdf = render(&spec, Format::Pdf);
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        assert_close(
            &format!("{name}.pdf"),
            &rasterise_pdf(&pdf.bytes, name),
            &png,
        );
    }
    let spec = common::spec_json("bar");
    let title = spec["options"]["title"].as_str().unwrap().to_owned();
    let pdf = render(&spec, Format::Pdf);
    let path = common::out_dir().join("bar-text.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();
    let text = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(&title), "pdftotext: {text:?}");
    // Tick labels use tabular figures (other glyphs than the cmap's digits): still text.
    assert!(text.contains("200"), "pdftotext: {text:?}");
}

/// `id="…"` values and `#…` references of one SVG.
fn ids_and_refs(svg: &str) -> (Vec<String>, Vec<String>) {
    let grab = |marker: &str, end: char| -> Vec<String> {
        svg.match_indices(marker)
            .map(|(i, _)| {
                let rest = &svg[i + marker.len()..];
                rest[..rest.find(end).unwrap()].to_owned()
            })
            .collect()
    };
    let ids = grab(" id=\"", '"');
    let mut refs = grab("href=\"#", '"');
    refs.extend(grab("url(#", ')'));
    refs.extend(grab("aria-labelledby=\"", '"'));
    refs.extend(grab("aria-describedby=\"", '"'));
    (ids, refs)
}

#[test]
fn two_charts_inlined_in_one_page_share_no_id() {
    let a =
        String::from_utf8(render(&common::spec_json("line_styled"), Format::Svg).bytes).unwrap();
    let b =
        String::from_utf8(render(&common::spec_json("line_styled"), Format::Svg).bytes).unwrap();
    let page = format!("<!doctype html><html><body>{a}{b}</body></html>");
    std::fs::write(common::out_dir().join("two-charts.html"), &page).unwrap();
    let (ids, _) = ids_and_refs(&page);
    let unique: HashSet<&String> = ids.iter().collect();
    assert!(ids.len() > 10, "glyphs and clips have ids");
    assert_eq!(unique.len(), ids.len(), "duplicate ids in one page");
    for svg in [&a, &b] {
        let (ids, refs) = ids_and_refs(svg);
        let ids: HashSet<String> = ids.into_iter().collect();
        for r in refs {
            assert!(
                ids.contains(&r),
                "reference to #{r} not defined in its own SVG"
            );
        }
    }
}

/// `(min, max)` of a spec's values, as the alt text writes them.
fn bar_spec() -> Value {
    json!({
        "type": "bar",
        "data": {"labels": ["Q1", "Q2", "Q3", "Q4"], "datasets": [
            {"label": "Revenue", "data": [120, 190, 150, 220]},
            {"label": "Costs", "data": [80, 95, 70, 110]}
        ]},
        "options": {"title": "Quarterly results"}
    })
}

fn assert_names_series_and_range(alt: &str, which: &str) {
    for part in ["Bar chart", "Revenue", "Costs", "70", "220"] {
        assert!(alt.contains(part), "{which}: {part:?} missing from {alt:?}");
    }
}

#[test]
fn alt_text_reads_back_from_svg_pdf_and_png() {
    let spec = bar_spec();
    let png = render(&spec, Format::Png);
    assert!(png.info.alt_text.chars().count() <= 250);
    assert_names_series_and_range(&png.info.alt_text, "ChartOutput");

    let decoder = png::Decoder::new(std::io::Cursor::new(&png.bytes));
    let reader = decoder.read_info().unwrap();
    let chunk = reader
        .info()
        .utf8_text
        .iter()
        .find(|t| t.keyword == "Description")
        .expect("an iTXt Description chunk");
    assert_names_series_and_range(&chunk.get_text().unwrap(), "PNG iTXt");

    let svg = String::from_utf8(render(&spec, Format::Svg).bytes).unwrap();
    let start = svg.find("<desc").unwrap();
    let desc = &svg[start..svg[start..].find("</desc>").unwrap() + start];
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains(">Quarterly results</title>"));
    assert_names_series_and_range(desc, "SVG desc");

    if !poppler() {
        return;
    }
    let path = common::out_dir().join("alt.pdf");
    std::fs::write(&path, render(&spec, Format::Pdf).bytes).unwrap();
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let line = |key: &str| {
        info.lines()
            .find(|l| l.starts_with(key))
            .map(|l| l[key.len()..].trim().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(line("Title:"), "Quarterly results", "{info}");
    assert_names_series_and_range(&line("Subject:"), "PDF subject");
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(line("Page size:").starts_with("800 x 500 pts"), "{info}");
}

#[test]
fn jpeg_is_a_baseline_jpeg_of_the_chart_size() {
    let mut spec = bar_spec();
    let q90 = render(&spec, Format::Jpeg).bytes;
    assert_eq!(&q90[..3], &[0xFF, 0xD8, 0xFF]);
    assert_eq!(&q90[q90.len() - 2..], &[0xFF, 0xD9]);
    // The frame header (SOF0) holds height and width.
    let sof = q90.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    let h = u16::from_be_bytes([q90[sof + 5], q90[sof + 6]]);
    let w = u16::from_be_bytes([q90[sof + 7], q90[sof + 8]]);
    assert_eq!((w, h), (800, 500));
    spec["options"]["quality"] = json!(20);
    let q20 = render(&spec, Format::Jpeg).bytes;
    assert!(
        q20.len() < q90.len(),
        "quality 20 is smaller than the default 90"
    );
}
