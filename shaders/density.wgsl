// Density binning for big scatters: one invocation per point adds 1 to the count of the pixel
// it falls on. Must agree exactly with `CpuBinner` (src/layout/density.rs): bin
// floor(y) * width + floor(x), points outside 0 <= x < width, 0 <= y < height dropped.

struct Params {
    width: u32,
    height: u32,
    count: u32,
    _pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> points: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> counts: array<atomic<u32>>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if i >= params.count {
        return;
    }
    let p = points[i];
    if !(p.x >= 0.0 && p.y >= 0.0 && p.x < f32(params.width) && p.y < f32(params.height)) {
        return;
    }
    let bin = u32(floor(p.y)) * params.width + u32(floor(p.x));
    atomicAdd(&counts[bin], 1u);
}
