//! Model answers by the hash of the question (task, model and data summary): the same chart
//! asked for twice costs one call. Bounded in entries and age; the oldest entry goes first.

use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long an answer is reused: long enough for dashboards that re-render the same data all
/// day, short enough that a model or prompt change shows within the hour.
pub(crate) const CACHE_TTL: Duration = Duration::from_secs(3600);

/// The key of a question: a 64-bit hash of its parts.
pub(crate) fn key(parts: &[&str]) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<u64, (Instant, Value)>,
    order: VecDeque<u64>,
}

/// The cache; capacity 0 turns it off.
#[derive(Debug)]
pub(crate) struct AnswerCache {
    capacity: usize,
    ttl: Duration,
    entries: Mutex<Entries>,
}

impl AnswerCache {
    /// An empty cache of at most `capacity` answers, each kept for `ttl`.
    pub(crate) fn new(capacity: usize, ttl: Duration) -> AnswerCache {
        AnswerCache {
            capacity,
            ttl,
            entries: Mutex::new(Entries::default()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The answer stored under `key`, unless it is older than the TTL.
    pub(crate) fn get(&self, key: u64) -> Option<Value> {
        let entries = self.entries();
        let (at, value) = entries.map.get(&key)?;
        (at.elapsed() < self.ttl).then(|| value.clone())
    }

    /// Stores an answer, dropping the oldest ones past the capacity.
    pub(crate) fn put(&self, key: u64, value: Value) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries();
        if entries.map.insert(key, (Instant::now(), value)).is_none() {
            entries.order.push_back(key);
        }
        while entries.map.len() > self.capacity {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            entries.map.remove(&oldest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_the_newest_answers_up_to_capacity() {
        let c = AnswerCache::new(2, CACHE_TTL);
        c.put(1, json!(1));
        c.put(2, json!(2));
        c.put(2, json!(22));
        c.put(3, json!(3));
        assert_eq!(c.get(1), None);
        assert_eq!(c.get(2), Some(json!(22)));
        assert_eq!(c.get(3), Some(json!(3)));
    }

    #[test]
    fn expired_and_disabled() {
        let c = AnswerCache::new(10, Duration::ZERO);
        c.put(1, json!(1));
        assert_eq!(c.get(1), None);
        let off = AnswerCache::new(0, CACHE_TTL);
        off.put(1, json!(1));
        assert_eq!(off.get(1), None);
    }

    #[test]
    fn keys_differ_by_every_part() {
        assert_eq!(key(&["a", "b"]), key(&["a", "b"]));
        assert_ne!(key(&["a", "b"]), key(&["a", "c"]));
        assert_ne!(key(&["ab", ""]), key(&["a", "b"]));
    }
}
