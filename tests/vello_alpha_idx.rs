//! The vello_cpu panic behind issue 13's 1.6M-bar request, reproduced on a raw figure: the
//! alpha buffer of one scene passes 2^31 bytes and `vello_common::strip` asserts "`alpha_idx`
//! too large". Through the API it cannot happen any more (bar counts are capped in
//! validation, `spec::budget`); if some other figure reaches it, the render pool's catch turns
//! it into that one request's error, shown here with the same [`deadline::run`] the pool uses.
//!
//! It needs ~3 GB of memory and ~20 s, so it is ignored by default:
//! `cargo test --release --test vello_alpha_idx -- --ignored`.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

use clovicharts::deadline::{self, Interrupted};
use clovicharts::figure::{Figure, Shape};
use clovicharts::render::CpuRenderer;
use kurbo::{BezPath, Rect};
use peniko::Color;
use std::time::{Duration, Instant};

/// A full-canvas path of 1 px stripes every 4 px: an edge in every 4×4 tile, so each fill adds
/// a whole canvas of anti-aliased tiles (16 alpha bytes each) to the scene.
fn striped(width: u32, height: u32) -> BezPath {
    let mut p = BezPath::new();
    for x in (0..width).step_by(4) {
        let r = Rect::new(
            f64::from(x) + 0.5,
            0.0,
            f64::from(x) + 1.5,
            f64::from(height),
        );
        p.extend(kurbo::Shape::path_elements(&r, 0.1));
    }
    p
}

#[test]
#[ignore = "needs ~3 GB of memory and ~20 s; run with --ignored"]
fn the_alpha_index_overflow_is_caught_as_one_failed_render() {
    let (w, h) = (2400, 1600);
    let tiles_alpha = u64::from(w / 4) * u64::from(h / 4) * 16;
    let fills = (1u64 << 31) / tiles_alpha + 2;
    let mut fig = Figure::new(w, h, Color::WHITE);
    let stripes = striped(w, h);
    for _ in 0..fills {
        fig.fill(Shape::Path(stripes.clone()), Color::BLACK);
    }
    let mut renderer = CpuRenderer::new();
    let mut pixels = Vec::new();
    let outcome = deadline::run(Instant::now() + Duration::from_secs(3600), || {
        renderer.render_into(&fig, &mut pixels)
    });
    match outcome {
        Err(Interrupted::Panicked(message)) => {
            assert!(message.contains("alpha_idx"), "{message}");
        }
        other => panic!("expected vello_cpu's alpha_idx panic, got {other:?}"),
    }
    // A fresh renderer draws again (the pool rebuilds its worker the same way).
    let mut small = Figure::new(64, 64, Color::WHITE);
    small.fill(Shape::Rect(Rect::new(8.0, 8.0, 56.0, 56.0)), Color::BLACK);
    let mut fresh = CpuRenderer::new();
    fresh.render_into(&small, &mut pixels).unwrap();
    assert_eq!(pixels.len(), 64 * 64 * 4);
}
