//! Counting points per pixel for density pictures: the [`Grid`], the [`Binner`] trait and the
//! [`CpuBinner`]. A leaf below both layout (which draws the counts) and render (whose GPU backend
//! counts with a compute shader), so neither depends on the other for it.

/// The pixel grid a binner counts into: `width × height` bins of 1 px.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    /// Bins per row.
    pub width: u32,
    /// Rows.
    pub height: u32,
}

impl Grid {
    /// Number of bins.
    pub fn len(self) -> usize {
        self.width as usize * self.height as usize
    }

    /// Whether the grid has no bins.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// Counts points per pixel. Implementations must agree exactly: a point at `(x, y)` (pixels from
/// the grid's top-left corner) lands in bin `floor(y) * width + floor(x)`, and points outside
/// `0 ≤ x < width, 0 ≤ y < height` are dropped.
pub trait Binner {
    /// The counts, row-major, `grid.len()` of them.
    fn bin(&self, points: &[[f32; 2]], grid: Grid) -> Vec<u32>;
}

/// Counting on the CPU, in one pass.
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuBinner;

impl Binner for CpuBinner {
    fn bin(&self, points: &[[f32; 2]], grid: Grid) -> Vec<u32> {
        let mut counts = vec![0u32; grid.len()];
        let (w, h) = (grid.width as f32, grid.height as f32);
        for &[x, y] in points {
            if x >= 0.0 && y >= 0.0 && x < w && y < h {
                let i = y as usize * grid.width as usize + x as usize;
                if let Some(c) = counts.get_mut(i) {
                    *c = c.saturating_add(1);
                }
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_binning_floors_and_drops_outside_points() {
        let grid = Grid {
            width: 3,
            height: 2,
        };
        let points = [
            [0.0, 0.0],
            [0.99, 0.5],
            [2.5, 1.5],
            [3.0, 0.0],
            [-0.1, 0.0],
            [1.0, 2.0],
        ];
        assert_eq!(CpuBinner.bin(&points, grid), [2, 0, 0, 0, 0, 1]);
    }
}
