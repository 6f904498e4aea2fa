//! The GPU path (vello on wgpu) against the CPU path (vello_cpu) on the same figures.
//!
//! In CI this runs on lavapipe (software Vulkan): a correctness check, not a speed one. Without
//! any adapter the test fails when `CI` is set (lavapipe is installed there, so a missing adapter
//! is a broken setup) and says it skipped otherwise.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::figure::{Figure, Shape};
use clovicharts::render::{BackendKind, CpuRenderer, GpuRenderer, Renderer};
use clovicharts::text::TextShaper;
use kurbo::{BezPath, Circle, Shape as _};
use peniko::Color;
use std::path::Path;

use common::{MAX_GPU_CPU_CHANGED_SHARE, MAX_GPU_CPU_MEAN_ABS};

#[test]
fn gpu_matches_cpu_on_every_type() {
    let Some(ctx) = common::gpu() else { return };
    let mut gpu = GpuRenderer::new(ctx).unwrap();
    let mut cpu = CpuRenderer::new();
    let mut shaper = TextShaper::new();
    let mut report = Vec::new();
    for ty in ["bar", "line", "pie", "donut", "scatter", "bar_long_labels"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/specs/{ty}.json"));
        let spec = clovicharts::spec::parse_spec(&std::fs::read(path).unwrap()).unwrap();
        let figure = clovicharts::layout::layout(&spec, &mut shaper);
        let g = gpu.render(&figure).unwrap();
        assert_eq!(gpu.kind(), BackendKind::Gpu, "{ty} fell back to the CPU");
        let c = cpu.render(&figure).unwrap();
        let (diff, picture) = common::compare(&g, &c);
        eprintln!(
            "{ty}: {:.3}% pixels differ, mean |Δ| {:.4}, max {}",
            diff.changed_share() * 100.0,
            diff.mean_abs,
            diff.max
        );
        if diff.changed_share() > MAX_GPU_CPU_CHANGED_SHARE || diff.mean_abs > MAX_GPU_CPU_MEAN_ABS
        {
            let out = common::out_dir();
            common::write_png(&out.join(format!("gpu_{ty}.actual.png")), &g);
            common::write_png(&out.join(format!("gpu_{ty}.diff.png")), &picture);
            report.push(format!("{ty}: {diff:?}"));
        }
    }
    assert!(
        report.is_empty(),
        "GPU and CPU differ:\n{}",
        report.join("\n")
    );
}

#[test]
fn dense_scene_falls_back_to_cpu() {
    let Some(ctx) = common::gpu() else { return };
    let mut gpu = GpuRenderer::new(ctx).unwrap();
    // 300k small circles: far more line segments than vello's fixed GPU buffers hold.
    let mut path = BezPath::new();
    for i in 0..300_000u32 {
        let x = f64::from(i % 640) + 0.5;
        let y = f64::from(i / 640 % 400) + 0.5;
        path.extend(Circle::new((x, y), 3.0).path_elements(0.1));
    }
    let mut figure = Figure::new(640, 400, Color::WHITE);
    figure.fill(Shape::Path(path), Color::from_rgb8(0x4e, 0x79, 0xa7));
    let image = gpu.render(&figure).unwrap();
    assert_eq!(gpu.kind(), BackendKind::Cpu, "dense scene was not diverted");
    let expected = CpuRenderer::new().render(&figure).unwrap();
    assert_eq!(image, expected);
}
