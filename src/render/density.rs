//! Density binning on the GPU: the same counting as [`CpuBinner`], as our own WGSL compute
//! shader (`shaders/density.wgsl`) on the shared wgpu device. One invocation per point does an
//! `atomicAdd` into a `u32` storage buffer of counts, which is read back; colouring and drawing
//! are shared with the CPU path (layout's `density` module). Any GPU failure is logged and the
//! points are counted on the CPU instead, so a chart never fails for it.

use super::RenderError;
use super::device::GpuContext;
use crate::binning::{Binner, CpuBinner, Grid};
use std::sync::Arc;
use vello::wgpu;
use vello::wgpu::util::DeviceExt as _;

/// The shader source, compiled once per binner.
const SHADER: &str = include_str!("../../shaders/density.wgsl");
/// Invocations per workgroup; must match `@workgroup_size` in the shader.
const WORKGROUP: u32 = 256;

/// The compute pipeline for density binning on the shared device.
pub struct GpuBinner {
    ctx: Arc<GpuContext>,
    pipeline: wgpu::ComputePipeline,
}

impl std::fmt::Debug for GpuBinner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GpuBinner").finish_non_exhaustive()
    }
}

impl GpuBinner {
    /// Compiles the binning shader on `ctx`'s device.
    pub fn new(ctx: Arc<GpuContext>) -> GpuBinner {
        let device = ctx.device();
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("clovicharts.density"),
            source: wgpu::ShaderSource::Wgsl(SHADER.into()),
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some("clovicharts.density"),
            layout: None,
            module: &module,
            entry_point: Some("main"),
            compilation_options: wgpu::PipelineCompilationOptions::default(),
            cache: None,
        });
        GpuBinner { ctx, pipeline }
    }

    /// Counts on the GPU; `Err` when the device cannot (limits, errors).
    fn try_bin(&self, points: &[[f32; 2]], grid: Grid) -> Result<Vec<u32>, RenderError> {
        let device = self.ctx.device();
        let limits = device.limits();
        let count = u32::try_from(points.len())
            .map_err(|_| RenderError::Gpu("too many points for one dispatch".into()))?;
        let groups = count.div_ceil(WORKGROUP);
        let point_bytes = std::mem::size_of_val(points) as u64;
        let count_bytes = grid.len() as u64 * 4;
        if groups > limits.max_compute_workgroups_per_dimension
            || point_bytes > limits.max_storage_buffer_binding_size
            || count_bytes > limits.max_storage_buffer_binding_size
        {
            return Err(RenderError::Gpu(
                "density input beyond the device's limits".into(),
            ));
        }
        let params: [u32; 4] = [grid.width, grid.height, count, 0];
        let uniform = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("clovicharts.density.params"),
            contents: bytemuck::cast_slice(&params),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let input = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("clovicharts.density.points"),
            contents: bytemuck::cast_slice(points),
            usage: wgpu::BufferUsages::STORAGE,
        });
        // New buffers are zeroed by wgpu: the counts start at 0.
        let counts = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("clovicharts.density.counts"),
            size: count_bytes,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let readback = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("clovicharts.density.readback"),
            size: count_bytes,
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("clovicharts.density"),
            layout: &self.pipeline.get_bind_group_layout(0),
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: uniform.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: input.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: counts.as_entire_binding(),
                },
            ],
        });
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("clovicharts.density"),
        });
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("clovicharts.density"),
                timestamp_writes: None,
            });
            pass.set_pipeline(&self.pipeline);
            pass.set_bind_group(0, &bind_group, &[]);
            pass.dispatch_workgroups(groups, 1, 1);
        }
        encoder.copy_buffer_to_buffer(&counts, 0, &readback, 0, count_bytes);
        self.ctx.submit_and_map(encoder, &readback)?;
        let slice = readback.slice(..);
        let out = {
            let mapped = slice
                .get_mapped_range()
                .map_err(|e| RenderError::Gpu(e.to_string()))?;
            mapped
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()
        };
        readback.unmap();
        Ok(out)
    }
}

impl Binner for GpuBinner {
    fn bin(&self, points: &[[f32; 2]], grid: Grid) -> Vec<u32> {
        if points.is_empty() || grid.is_empty() {
            return CpuBinner.bin(points, grid);
        }
        match self.try_bin(points, grid) {
            Ok(counts) if counts.len() == grid.len() => counts,
            Ok(_) => {
                tracing::warn!("GPU density counts have the wrong size; counting on the CPU");
                CpuBinner.bin(points, grid)
            }
            Err(e) => {
                tracing::warn!(error = %e, "GPU density binning failed; counting on the CPU");
                CpuBinner.bin(points, grid)
            }
        }
    }
}
