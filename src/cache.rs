//! The identical-request cache: a content hash of the validated spec → its encoded chart, in an
//! LRU bounded by bytes (`RENDER_CACHE_MB`). Dashboards re-render the same charts over and over;
//! a hit skips layout, rasterisation and encoding.
//!
//! The key is SHA-256 over the spec's `Debug` form. That form names every field of the validated
//! [`ChartSpec`] (options, colours, data, in a fixed order, floats printed exactly), so two
//! requests share a key exactly when they would draw the same picture, whatever their JSON
//! spelling (key order, whitespace, v2/v3 option names); and a field added to the spec later is
//! part of the key without anyone remembering to add it. Only the render is cached: the API
//! still stores every generated chart under its own id.

use crate::pipeline::ChartOutput;
use crate::spec::ChartSpec;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

/// The default `RENDER_CACHE_MB`: a few thousand typical charts (10–70 KB each).
pub const DEFAULT_CACHE_MB: usize = 64;

/// Bookkeeping bytes charged per entry on top of the image (key, maps, record).
const ENTRY_OVERHEAD: usize = 256;

/// A cache key: SHA-256 of the canonical spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CacheKey([u8; 32]);

impl CacheKey {
    /// The key of `spec`.
    pub fn of(spec: &ChartSpec) -> CacheKey {
        let mut hasher = DigestWriter(Sha256::new());
        // Writing into a hasher cannot fail.
        let _ = write!(hasher, "{spec:?}");
        CacheKey(hasher.0.finalize().into())
    }
}

/// Lower-case hex, as logged beside a failed render to find its spec again.
impl std::fmt::Display for CacheKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// Feeds formatted text straight into the digest, without building the string.
struct DigestWriter(Sha256);

impl std::fmt::Write for DigestWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

struct Entry {
    chart: Arc<ChartOutput>,
    /// Position in the recency order (larger is more recent).
    tick: u64,
}

#[derive(Default)]
struct Lru {
    entries: HashMap<CacheKey, Entry>,
    /// tick → key, oldest first.
    order: BTreeMap<u64, CacheKey>,
    bytes: usize,
    next_tick: u64,
}

impl Lru {
    fn touch(&mut self, key: CacheKey) -> Option<Arc<ChartOutput>> {
        let tick = self.next_tick;
        let entry = self.entries.get_mut(&key)?;
        self.order.remove(&entry.tick);
        entry.tick = tick;
        self.order.insert(tick, key);
        self.next_tick += 1;
        Some(entry.chart.clone())
    }

    fn remove_oldest(&mut self) -> bool {
        let Some((_, key)) = self.order.pop_first() else {
            return false;
        };
        if let Some(old) = self.entries.remove(&key) {
            self.bytes -= cost(&old.chart);
        }
        true
    }
}

fn cost(chart: &ChartOutput) -> usize {
    chart.bytes.len() + ENTRY_OVERHEAD
}

/// A byte-bounded LRU of encoded charts, shared by the render workers.
pub struct RenderCache {
    capacity: usize,
    lru: Mutex<Lru>,
}

impl std::fmt::Debug for RenderCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (entries, bytes) = self.usage();
        f.debug_struct("RenderCache")
            .field("capacity", &self.capacity)
            .field("entries", &entries)
            .field("bytes", &bytes)
            .finish()
    }
}

impl RenderCache {
    /// A cache holding at most `capacity_bytes` of charts; `None` when that is 0 (disabled).
    pub fn new(capacity_bytes: usize) -> Option<RenderCache> {
        (capacity_bytes > 0).then(|| RenderCache {
            capacity: capacity_bytes,
            lru: Mutex::new(Lru::default()),
        })
    }

    /// A cache of `mb` MiB (`RENDER_CACHE_MB`); `None` for 0.
    pub fn with_mb(mb: usize) -> Option<RenderCache> {
        RenderCache::new(mb.saturating_mul(1024 * 1024))
    }

    /// The chart stored under `key`, marking it most recently used.
    pub fn get(&self, key: CacheKey) -> Option<Arc<ChartOutput>> {
        self.lru.lock().ok()?.touch(key)
    }

    /// Stores `chart` under `key`, evicting the least recently used charts to stay within the
    /// capacity. A chart larger than the whole cache is not stored.
    pub fn insert(&self, key: CacheKey, chart: Arc<ChartOutput>) {
        let size = cost(&chart);
        if size > self.capacity {
            return;
        }
        let Ok(mut lru) = self.lru.lock() else {
            return;
        };
        if lru.touch(key).is_some() {
            return; // another worker rendered the same spec meanwhile
        }
        while lru.bytes + size > self.capacity && lru.remove_oldest() {}
        let tick = lru.next_tick;
        lru.next_tick += 1;
        lru.order.insert(tick, key);
        lru.entries.insert(key, Entry { chart, tick });
        lru.bytes += size;
    }

    /// Number of entries and bytes charged.
    pub fn usage(&self) -> (usize, usize) {
        self.lru
            .lock()
            .map(|l| (l.entries.len(), l.bytes))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

    use super::*;
    use crate::render::BackendKind;
    use crate::spec::{Format, parse_spec};
    use std::time::Duration;

    fn chart(len: usize) -> Arc<ChartOutput> {
        Arc::new(ChartOutput {
            bytes: vec![7; len],
            format: Format::Png,
            width: 8,
            height: 8,
            backend: BackendKind::Cpu,
            layout_time: Duration::ZERO,
            render_time: Duration::ZERO,
            encode_time: Duration::ZERO,
            warnings: Vec::new(),
            info: Default::default(),
        })
    }

    fn key(n: u8) -> CacheKey {
        CacheKey([n; 32])
    }

    #[test]
    fn same_chart_in_other_json_spelling_has_the_same_key() {
        let a = parse_spec(
            br#"{"type":"bar","data":{"labels":["a","b"],"datasets":[{"data":[1,2]}]}}"#,
        )
        .unwrap();
        let b = parse_spec(
            br#"{ "data": { "datasets": [ { "data": [1.0, 2] } ], "labels": ["a", "b"] }, "type": "bar" }"#,
        )
        .unwrap();
        let c = parse_spec(
            br#"{"type":"bar","data":{"labels":["a","b"],"datasets":[{"data":[1,3]}]}}"#,
        )
        .unwrap();
        assert_eq!(CacheKey::of(&a), CacheKey::of(&b));
        assert_ne!(CacheKey::of(&a), CacheKey::of(&c));
    }

    #[test]
    fn evicts_least_recently_used_within_capacity() {
        let cache = RenderCache::new(3 * (100 + ENTRY_OVERHEAD)).unwrap();
        cache.insert(key(1), chart(100));
        cache.insert(key(2), chart(100));
        cache.insert(key(3), chart(100));
        assert!(cache.get(key(1)).is_some(), "touch 1: now 2 is the oldest");
        cache.insert(key(4), chart(100));
        assert!(cache.get(key(2)).is_none());
        for k in [1, 3, 4] {
            assert!(cache.get(key(k)).is_some(), "{k} kept");
        }
        assert_eq!(cache.usage(), (3, 3 * (100 + ENTRY_OVERHEAD)));
    }

    #[test]
    fn oversized_charts_are_not_stored_and_zero_disables() {
        let cache = RenderCache::new(1000).unwrap();
        cache.insert(key(1), chart(5000));
        assert!(cache.get(key(1)).is_none());
        assert_eq!(cache.usage(), (0, 0));
        assert!(RenderCache::with_mb(0).is_none());
    }
}
