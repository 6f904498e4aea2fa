//! The GPU path (vello on wgpu) against the CPU path (vello_cpu) on the same figures.
//!
//! In CI this runs on lavapipe (software Vulkan): a correctness check, not a speed one. The
//! harness is libtest-mimic's, so that without any adapter the tests report as *ignored* (with
//! the reason printed) rather than as passed; when `CI` is set a missing adapter fails instead,
//! because lavapipe is installed there and its absence is a broken setup.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::figure::{Figure, Shape};
use clovicharts::layout::density::{Binner, CpuBinner, Grid};
use clovicharts::render::{BackendKind, CpuRenderer, GpuBinner, GpuContext, GpuRenderer, Renderer};
use clovicharts::spec::ThemeName;
use clovicharts::text::TextShaper;
use kurbo::{BezPath, Circle, Shape as _};
use libtest_mimic::{Arguments, Trial};
use peniko::Color;
use std::path::Path;
use std::sync::Arc;

use common::{MAX_GPU_CPU_CHANGED_SHARE, MAX_GPU_CPU_MEAN_ABS};

/// The shared device every test renders on.
type Ctx = Arc<GpuContext>;

/// A GPU test: its name and body.
type GpuTest = (&'static str, fn(Ctx));

fn main() {
    let args = Arguments::from_args();
    let ctx = match GpuContext::new() {
        Ok(ctx) => Some(Arc::new(ctx)),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("no GPU adapter in CI (is mesa-vulkan-drivers installed?): {e}")
        }
        Err(e) => {
            eprintln!("ignored: no wgpu adapter here ({e}); install mesa-vulkan-drivers");
            None
        }
    };
    let tests: [GpuTest; 3] = [
        (
            "gpu_matches_cpu_on_every_type",
            gpu_matches_cpu_on_every_type,
        ),
        (
            "dense_scene_falls_back_to_cpu",
            dense_scene_falls_back_to_cpu,
        ),
        (
            "gpu_and_cpu_binning_draw_the_same_density_picture",
            gpu_and_cpu_binning_draw_the_same_density_picture,
        ),
    ];
    let trials = tests
        .into_iter()
        .map(|(name, test)| {
            let ctx = ctx.clone();
            let ignored = ctx.is_none();
            Trial::test(name, move || match ctx {
                Some(ctx) => {
                    test(ctx);
                    Ok(())
                }
                None => Err("no wgpu adapter".into()),
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn gpu_matches_cpu_on_every_type(ctx: Ctx) {
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

fn dense_scene_falls_back_to_cpu(ctx: Ctx) {
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

fn gpu_and_cpu_binning_draw_the_same_density_picture(ctx: Ctx) {
    let spec = clovicharts::spec::parse_spec(&common::cloud(150_000, ThemeName::Clovitek)).unwrap();
    let mut shaper = TextShaper::new();
    let gpu_binner = GpuBinner::new(ctx.clone());

    // The counts themselves agree exactly, edge points included.
    let grid = Grid {
        width: 640,
        height: 400,
    };
    let mut next = common::lcg(3);
    let mut points: Vec<[f32; 2]> = (0..200_000)
        .map(|_| {
            [
                (next() * 660.0 - 10.0) as f32,
                (next() * 420.0 - 10.0) as f32,
            ]
        })
        .collect();
    points.extend([
        [0.0, 0.0],
        [639.999, 399.999],
        [640.0, 0.0],
        [0.0, 400.0],
        [-0.0, 5.5],
    ]);
    assert_eq!(gpu_binner.bin(&points, grid), CpuBinner.bin(&points, grid));

    // The figures from either binner render to the same picture (golden tolerance).
    let mut cpu = CpuRenderer::new();
    let from_gpu = cpu
        .render(&clovicharts::layout::layout_with(
            &spec,
            &mut shaper,
            &gpu_binner,
        ))
        .unwrap();
    let from_cpu = cpu
        .render(&clovicharts::layout::layout(&spec, &mut shaper))
        .unwrap();
    let (diff, _) = common::compare(&from_gpu, &from_cpu);
    assert!(
        diff.changed_share() <= common::MAX_CHANGED_SHARE,
        "{diff:?}"
    );

    // End to end on the GPU renderer (its binner is the compute shader) against the CPU.
    let mut gpu = GpuRenderer::new(ctx).unwrap();
    let g = clovicharts::pipeline::render_spec(&spec, &mut shaper, &mut gpu).unwrap();
    let c = clovicharts::pipeline::render_spec(&spec, &mut shaper, &mut cpu).unwrap();
    let (diff, picture) = common::compare(&common::decode(&g.bytes), &common::decode(&c.bytes));
    eprintln!("density GPU vs CPU ({:?}): {diff:?}", g.backend);
    if diff.changed_share() > common::MAX_GPU_CPU_CHANGED_SHARE
        || diff.mean_abs > common::MAX_GPU_CPU_MEAN_ABS
    {
        common::write_png(&common::out_dir().join("gpu_density.diff.png"), &picture);
        panic!("GPU and CPU density pictures differ: {diff:?}");
    }
}
