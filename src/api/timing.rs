//! The timing headers of a generate: `X-Render-Ms` (layout + rasterisation), `X-Encode-Ms`,
//! `X-Queue-Ms` (waiting for a render worker) and `X-Cache: hit|miss`.

use crate::charts::RenderTimes;
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
    /// The times of one generate's render.
    pub(super) fn of(t: &RenderTimes) -> Timing {
        let ms = |d: Duration| {
            if t.cached { 0.0 } else { d.as_secs_f64() * 1e3 }
        };
        Timing {
            render_ms: ms(t.render),
            encode_ms: ms(t.encode),
            queue_ms: t.queue.as_secs_f64() * 1e3,
            cached: t.cached,
        }
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
