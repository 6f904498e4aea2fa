//! PNG settings measured on the benchmark charts: bytes and encode time for each filter ×
//! deflate level, as RGB (converted, the conversion timed too) and RGBA, next to the serving
//! default, to choose it by measurement (see README "Performance").
//!
//! Cases: the reference engine's bar, line and pie, the 5,000-point scatter and a 1,000-point
//! line. `cargo run --release --example png_tuning` (about 30 s).

use clovicharts::encode::{self, PngLevel};
use clovicharts::render::{CpuRenderer, Image, Renderer};
use clovicharts::text::TextShaper;
use png::{DeflateCompression, Filter};
use std::collections::HashSet;
use std::time::Instant;

#[path = "../benches/cases/generated.rs"]
mod generated;

/// The image as RGB (`rgb`, converted first, as part of the time) or RGBA, with one filter
/// and deflate setting.
fn encode_with(image: &Image, rgb: bool, filter: Filter, deflate: DeflateCompression) -> Vec<u8> {
    let samples: Vec<u8> = if rgb {
        image
            .data
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect()
    } else {
        image.data.clone()
    };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, image.width, image.height);
    encoder.set_color(if rgb {
        png::ColorType::Rgb
    } else {
        png::ColorType::Rgba
    });
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(deflate);
    encoder.set_filter(filter);
    let mut writer = encoder.write_header().expect("header");
    writer.write_image_data(&samples).expect("data");
    writer.finish().expect("finish");
    out
}

/// Median microseconds of `f` over a fixed number of runs.
fn time_us(mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..25 {
        let t = Instant::now();
        bytes = f();
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], bytes)
}

fn main() {
    let cases: [(&str, Vec<u8>); 5] = [
        (
            "bar",
            include_bytes!("../benches/cases/a_bar.json").to_vec(),
        ),
        (
            "line",
            include_bytes!("../benches/cases/b_line.json").to_vec(),
        ),
        (
            "pie",
            include_bytes!("../benches/cases/c_pie.json").to_vec(),
        ),
        ("scatter_5000", generated::scatter(5000)),
        ("line_1k", generated::line(1000)),
    ];
    let mut shaper = TextShaper::new();
    let mut renderer = CpuRenderer::new();
    for (name, json) in cases {
        let spec = clovicharts::spec::parse_spec(&json).expect("valid case");
        let figure = clovicharts::layout::layout(&spec, &mut shaper);
        let image = renderer.render(&figure).expect("renders");
        let colours: HashSet<[u8; 4]> = image
            .data
            .chunks_exact(4)
            .map(|p| [p[0], p[1], p[2], p[3]])
            .collect();
        println!("{name}: {} distinct colours", colours.len());
        // As the pipeline calls it: buffers kept between charts, opacity known from the figure.
        let mut scratch = encode::Scratch::default();
        let (us, bytes) = time_us(|| {
            let px = image.pixels().expect("sized").with_opacity(true);
            scratch.png(px, PngLevel::Fast).expect("png").len()
        });
        println!("  {:<28} {:>8} B {:>8.0} us", "serving default", bytes, us);
        let filters = [
            ("none", Filter::NoFilter),
            ("sub", Filter::Sub),
            ("up", Filter::Up),
            ("paeth", Filter::Paeth),
            ("adaptive", Filter::Adaptive),
        ];
        let levels = [
            ("fdeflate", DeflateCompression::FdeflateUltraFast),
            ("zlib-1", DeflateCompression::Level(1)),
            ("zlib-2", DeflateCompression::Level(2)),
            ("zlib-4", DeflateCompression::Level(4)),
            ("zlib-6", DeflateCompression::Level(6)),
        ];
        for (fname, filter) in filters {
            for rgb in [true, false] {
                for (lname, level) in levels {
                    if !rgb && lname != "fdeflate" {
                        continue;
                    }
                    let (us, bytes) = time_us(|| encode_with(&image, rgb, filter, level).len());
                    let colour = if rgb { "rgb" } else { "rgba" };
                    println!(
                        "  {:<28} {:>8} B {:>8.0} us",
                        format!("{colour} {fname} + {lname}"),
                        bytes,
                        us
                    );
                }
            }
        }
    }
}
