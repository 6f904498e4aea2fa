//! The caps on open connections: every connection has a [`Slot`] in the [`Registry`], and at a
//! cap the oldest connection with no request in flight is told to close to make room.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Connections being closed to make room that may still count against the cap.
const EVICTION_SLACK: usize = 64;

/// The idle and head deadlines every watch applies, and the clock's zero.
#[derive(Debug)]
pub(super) struct WatchLimits {
    pub(super) idle: Duration,
    pub(super) head: Duration,
    pub(super) epoch: Instant,
}

impl WatchLimits {
    /// Milliseconds since `epoch`, plus one so that zero can mean "never".
    pub(super) fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis())
            .unwrap_or(u64::MAX)
            .saturating_add(1)
    }
}

/// What a connection's task, its I/O and its requests share.
#[derive(Debug)]
pub(super) struct ConnState {
    /// Requests whose response has not been fully sent.
    pub(super) in_flight: AtomicUsize,
    /// When the last request ended (or the connection opened), in [`WatchLimits::now_ms`].
    pub(super) idle_since: AtomicU64,
    /// When the first byte after `idle_since` arrived; 0 while none has.
    pub(super) head_since: AtomicU64,
    /// Set to close the connection at once (evicted to make room).
    pub(super) close: Notify,
}

impl ConnState {
    pub(super) fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
    }
}

/// A connection's place in the [`Registry`]; leaving it frees the slot.
pub(super) struct Slot {
    id: u64,
    ip: IpAddr,
    pub(super) state: Arc<ConnState>,
    registry: Arc<Registry>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.registry.remove(self.id, self.ip);
    }
}

#[derive(Debug)]
struct Entry {
    ip: IpAddr,
    state: Arc<ConnState>,
    evicting: bool,
}

/// Open connections, oldest first, with counts per address; evicting ones no longer count.
#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    conns: BTreeMap<u64, Entry>,
    per_ip: HashMap<IpAddr, usize>,
    counted: usize,
}

/// The caps on open connections.
#[derive(Debug)]
pub(super) struct Registry {
    max_total: usize,
    max_per_ip: usize,
    inner: Mutex<Inner>,
}

impl Registry {
    pub(super) fn new(max_total: usize, max_per_ip: usize) -> Registry {
        Registry {
            max_total,
            max_per_ip,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// A slot for a new connection from `ip`, closing the oldest connection with no request in
    /// flight when a cap is reached; `None` when every connection in the way is busy.
    pub(super) fn admit(self: &Arc<Self>, ip: IpAddr, limits: &WatchLimits) -> Option<Slot> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.conns.len() >= self.max_total + EVICTION_SLACK {
            return None;
        }
        let from_ip = inner.per_ip.get(&ip).copied().unwrap_or(0);
        let victim_of = if from_ip >= self.max_per_ip {
            Some(Some(ip))
        } else if inner.counted >= self.max_total {
            Some(None)
        } else {
            None
        };
        if let Some(only) = victim_of {
            let victim = inner
                .conns
                .iter()
                .find(|(_, e)| !e.evicting && !e.state.busy() && only.is_none_or(|ip| e.ip == ip))
                .map(|(id, _)| *id)?;
            let Inner {
                conns,
                per_ip,
                counted,
                ..
            } = &mut *inner;
            if let Some(e) = conns.get_mut(&victim) {
                e.evicting = true;
                e.state.close.notify_one();
                *counted -= 1;
                if let Some(n) = per_ip.get_mut(&e.ip) {
                    *n -= 1;
                }
            }
        }
        let now = limits.now_ms();
        let state = Arc::new(ConnState {
            in_flight: AtomicUsize::new(0),
            idle_since: AtomicU64::new(now),
            head_since: AtomicU64::new(0),
            close: Notify::new(),
        });
        let id = inner.next_id;
        inner.next_id += 1;
        inner.conns.insert(
            id,
            Entry {
                ip,
                state: state.clone(),
                evicting: false,
            },
        );
        *inner.per_ip.entry(ip).or_default() += 1;
        inner.counted += 1;
        Some(Slot {
            id,
            ip,
            state,
            registry: self.clone(),
        })
    }

    fn remove(&self, id: u64, ip: IpAddr) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let Some(entry) = inner.conns.remove(&id) else {
            return;
        };
        if entry.evicting {
            return;
        }
        inner.counted -= 1;
        if let Some(n) = inner.per_ip.get_mut(&ip) {
            *n -= 1;
            if *n == 0 {
                inner.per_ip.remove(&ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> WatchLimits {
        WatchLimits {
            idle: Duration::from_secs(5),
            head: Duration::from_secs(10),
            epoch: Instant::now(),
        }
    }

    #[test]
    fn a_cap_evicts_the_oldest_idle_connection_of_that_address() {
        let r = Arc::new(Registry::new(100, 2));
        let l = limits();
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let first = r.admit(a, &l).unwrap();
        let second = r.admit(a, &l).unwrap();
        let other = r.admit(b, &l).unwrap();
        // Busy connections are never evicted.
        second.state.in_flight.store(1, Ordering::Release);
        let third = r.admit(a, &l).unwrap();
        assert!(r.inner.lock().unwrap().conns[&first.id].evicting);
        assert!(!r.inner.lock().unwrap().conns[&other.id].evicting);
        // Now both of `a`'s counted connections are busy: refused.
        third.state.in_flight.store(1, Ordering::Release);
        assert!(r.admit(a, &l).is_none());
        drop(first);
        drop(second);
        assert!(r.admit(a, &l).is_some());
        assert_eq!(r.inner.lock().unwrap().per_ip[&b], 1);
    }

    #[test]
    fn the_total_cap_evicts_across_addresses() {
        let r = Arc::new(Registry::new(2, 10));
        let l = limits();
        let a = r.admit([10, 0, 0, 1].into(), &l).unwrap();
        let _b = r.admit([10, 0, 0, 2].into(), &l).unwrap();
        let _c = r.admit([10, 0, 0, 3].into(), &l).unwrap();
        let inner = r.inner.lock().unwrap();
        assert!(inner.conns[&a.id].evicting);
        assert_eq!(inner.counted, 2);
    }
}
