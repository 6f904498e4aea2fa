//! The timing headers of a generate: `X-Render-Ms` (layout + rasterisation), `X-Encode-Ms`,
//! `X-Queue-Ms` (waiting for a render worker) and `X-Cache: hit|miss`.

use crate::render_pool::PoolOutput;
use axum::http::{HeaderMap, HeaderValue};
use std::time::Duration;

/// Where a generate's time went. A cache hit did no layout, rendering or encoding: those are 0.
#[derive(Clone, Copy, Debug)]
pub(super) struct Timing {
    /// Layout and rasterisation, ms.
    pub(super) render_ms: f64,
    /// Encoding, ms.
    pub(super) encode_ms: f64,
    /// Waiting for a worker, ms.
    pub(super) queue_ms: f64,
    /// Whether the render cache answered.
    pub(super) cached: bool,
}

impl Timing {
    /// The times of one pool render.
    pub(super) fn of(out: &PoolOutput) -> Timing {
        let ms = |d: Duration| {
            if out.cached {
                0.0
            } else {
                d.as_secs_f64() * 1e3
            }
        };
        Timing {
            render_ms: ms(out.chart.layout_time + out.chart.render_time),
            encode_ms: ms(out.chart.encode_time),
            queue_ms: out.queue_time.as_secs_f64() * 1e3,
            cached: out.cached,
        }
    }

    /// Layout, rasterisation and encoding together: the reference's `render_ms`.
    pub(super) fn total_ms(&self) -> f64 {
        self.render_ms + self.encode_ms
    }

    /// Sets the four headers.
    pub(super) fn set_headers(&self, h: &mut HeaderMap) {
        for (name, ms) in [
            ("x-render-ms", self.render_ms),
            ("x-encode-ms", self.encode_ms),
            ("x-queue-ms", self.queue_ms),
        ] {
            if let Ok(v) = HeaderValue::from_str(&format!("{ms:.2}")) {
                h.insert(name, v);
            }
        }
        let cache = if self.cached { "hit" } else { "miss" };
        h.insert("x-cache", HeaderValue::from_static(cache));
    }
}
