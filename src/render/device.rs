//! The one shared wgpu device and queue, opened once, and the readback both GPU passes use.

use super::RenderError;
use std::sync::mpsc;
use vello::wgpu;

/// The shared wgpu device and queue.
pub struct GpuContext {
    device: wgpu::Device,
    queue: wgpu::Queue,
    info: wgpu::AdapterInfo,
}

impl std::fmt::Debug for GpuContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GpuContext")
            .field("adapter", &self.info.name)
            .field("type", &self.info.device_type)
            .finish_non_exhaustive()
    }
}

impl GpuContext {
    /// Finds an adapter (honouring `WGPU_ADAPTER_NAME` / `WGPU_BACKEND`) and opens the device.
    pub fn new() -> Result<GpuContext, RenderError> {
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
        if std::env::var_os("WGPU_BACKEND").is_none() {
            // Vulkan / Metal / DX12 only: vello needs compute shaders, which GL lacks.
            desc.backends = wgpu::Backends::PRIMARY;
        }
        let instance = wgpu::Instance::new(desc);
        let adapter = pollster::block_on(wgpu::util::initialize_adapter_from_env_or_default(
            &instance, None,
        ))
        .map_err(|e| RenderError::NoGpu(e.to_string()))?;
        let info = adapter.get_info();
        let wanted = wgpu::Features::CLEAR_TEXTURE | wgpu::Features::PIPELINE_CACHE;
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("clovicharts"),
            required_features: adapter.features() & wanted,
            required_limits: wgpu::Limits::default(),
            ..Default::default()
        }))
        .map_err(|e| RenderError::NoGpu(e.to_string()))?;
        tracing::info!(adapter = %info.name, kind = ?info.device_type, backend = ?info.backend, "wgpu device opened");
        Ok(GpuContext {
            device,
            queue,
            info,
        })
    }

    /// Whether the adapter is real hardware (discrete, integrated or virtualised), not a CPU
    /// rasteriser such as lavapipe or llvmpipe.
    pub fn is_real_gpu(&self) -> bool {
        matches!(
            self.info.device_type,
            wgpu::DeviceType::DiscreteGpu
                | wgpu::DeviceType::IntegratedGpu
                | wgpu::DeviceType::VirtualGpu
        )
    }

    /// The adapter's name, e.g. `NVIDIA H100` or `llvmpipe (LLVM 15.0.6, 256 bits)`.
    pub fn adapter_name(&self) -> String {
        self.info.name.clone()
    }

    /// The shared device, for our own compute passes (density binning).
    pub(super) fn device(&self) -> &wgpu::Device {
        &self.device
    }

    /// The shared queue.
    pub(super) fn queue(&self) -> &wgpu::Queue {
        &self.queue
    }

    /// Submits `encoder` (whose last command copies into `buffer`) and blocks until `buffer` is
    /// mapped for reading; the caller reads `buffer.slice(..)` and unmaps it. Both the renderer's
    /// pixel readback and the density binner's count readback go through here.
    pub(super) fn submit_and_map(
        &self,
        encoder: wgpu::CommandEncoder,
        buffer: &wgpu::Buffer,
    ) -> Result<(), RenderError> {
        let submission = self.queue.submit([encoder.finish()]);
        let slice = buffer.slice(..);
        let (tx, rx) = mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |r| {
            // The receiver outlives the poll below; a send error cannot happen.
            let _ = tx.send(r);
        });
        self.device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(submission),
                timeout: None,
            })
            .map_err(|e| RenderError::Gpu(e.to_string()))?;
        rx.recv()
            .map_err(|e| RenderError::Gpu(e.to_string()))?
            .map_err(|e| RenderError::Gpu(e.to_string()))?;
        Ok(())
    }
}
