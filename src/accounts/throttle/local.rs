//! The login throttle in memory, per process: the whole throttle when one instance serves, the
//! fallback of `REDIS_FAILURE=open` when several share Redis.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The window failures are counted in.
pub(super) const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Keys tracked before expired ones are swept on the next failure; bounds memory under attack.
const SWEEP_ABOVE: usize = 10_000;

/// Failure counts per account and per address.
#[derive(Debug)]
pub(super) struct LocalThrottle {
    per_account: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LocalThrottle {
    /// At most `per_account` failures per account and `per_address` per address per `WINDOW`
    /// (`0` turns that limit off).
    pub(super) fn new(per_account: u32, per_address: u32) -> LocalThrottle {
        LocalThrottle {
            per_account: per_account as usize,
            per_address: per_address as usize,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(account: &str, address: &str) -> [String; 2] {
        [format!("a:{account}"), format!("ip:{address}")]
    }

    /// `Err(wait)` when `account` or `address` is over its limit.
    #[cfg(test)]
    fn check(&self, account: &str, address: &str, now: Instant) -> Result<(), Duration> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        self.over_limit(&map, account, address, now)
    }

    fn over_limit(
        &self,
        map: &HashMap<String, VecDeque<Instant>>,
        account: &str,
        address: &str,
        now: Instant,
    ) -> Result<(), Duration> {
        let mut wait = Duration::ZERO;
        for (key, limit) in Self::keys(account, address)
            .iter()
            .zip([self.per_account, self.per_address])
        {
            if limit == 0 {
                continue;
            }
            if let Some(times) = map.get(key) {
                let recent: Vec<&Instant> = times
                    .iter()
                    .filter(|t| now.duration_since(**t) < WINDOW)
                    .collect();
                if recent.len() >= limit {
                    // Allowed again when the oldest of the last `limit` failures leaves the window.
                    let oldest = recent[recent.len() - limit];
                    wait = wait.max(WINDOW.saturating_sub(now.duration_since(*oldest)));
                }
            }
        }
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    /// Checks the limits and, when under them, counts an attempt as failed in the same step,
    /// before the password is verified: with a check and a later record, 100 parallel wrong
    /// passwords all passed the check (65 were verified against a limit of 5). A success gives
    /// the attempt back with [`Self::record_success`].
    pub(super) fn reserve(
        &self,
        account: &str,
        address: &str,
        now: Instant,
    ) -> Result<(), Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        self.over_limit(&map, account, address, now)?;
        self.push_failure(&mut map, account, address, now);
        Ok(())
    }

    /// Counts a failed attempt.
    #[cfg(test)]
    fn record_failure(&self, account: &str, address: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        self.push_failure(&mut map, account, address, now);
    }

    fn push_failure(
        &self,
        map: &mut HashMap<String, VecDeque<Instant>>,
        account: &str,
        address: &str,
        now: Instant,
    ) {
        if map.len() > SWEEP_ABOVE {
            map.retain(|_, t| t.back().is_some_and(|l| now.duration_since(*l) < WINDOW));
        }
        let cap = self.per_account.max(self.per_address).max(1);
        for key in Self::keys(account, address) {
            let times = map.entry(key).or_default();
            times.push_back(now);
            while times.len() > cap {
                times.pop_front();
            }
        }
    }

    /// Forgets an account's failures after a successful login (the address keeps its count).
    #[cfg(test)]
    fn record_success(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("a:{account}"));
    }

    /// Gives back an attempt reserved at `reserved` that was never verified (the server was
    /// busy), for both the account and the address.
    pub(super) fn release(&self, account: &str, address: &str, reserved: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for key in Self::keys(account, address) {
            if let Some(times) = map.get_mut(&key)
                && let Some(i) = times.iter().rposition(|t| *t == reserved)
            {
                times.remove(i);
            }
        }
    }

    /// A success after [`Self::reserve`] at `reserved`: forgets the account's failures and
    /// gives the address back the attempt reserved for it.
    pub(super) fn release_success(&self, account: &str, address: &str, reserved: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("a:{account}"));
        if let Some(times) = map.get_mut(&format!("ip:{address}"))
            && let Some(i) = times.iter().rposition(|t| *t == reserved)
        {
            times.remove(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_until_the_window_passes() {
        let t = LocalThrottle::new(3, 5);
        let now = Instant::now();
        for _ in 0..3 {
            assert!(t.check("a@x", "1.2.3.4", now).is_ok());
            t.record_failure("a@x", "1.2.3.4", now);
        }
        let wait = t.check("a@x", "1.2.3.4", now).unwrap_err();
        assert!(wait > Duration::from_secs(14 * 60));
        assert!(t.check("b@x", "9.9.9.9", now).is_ok(), "others unaffected");
        assert!(t.check("a@x", "1.2.3.4", now + WINDOW).is_ok());
        // The address limit counts across accounts.
        t.record_failure("c@x", "1.2.3.4", now);
        t.record_failure("d@x", "1.2.3.4", now);
        assert!(t.check("e@x", "1.2.3.4", now).is_err());
        t.record_success("a@x");
        assert!(t.check("a@x", "5.5.5.5", now).is_ok());
    }

    #[test]
    fn reserve_counts_before_verifying_and_success_gives_it_back() {
        let t = std::sync::Arc::new(LocalThrottle::new(5, 1000));
        let now = Instant::now();
        let admitted: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..100)
                .map(|_| s.spawn(|| t.reserve("a@x", "1.2.3.4", now).is_ok()))
                .collect();
            handles
                .into_iter()
                .map(|h| usize::from(h.join().unwrap()))
                .sum()
        });
        assert_eq!(admitted, 5, "100 parallel attempts, 5 allowed");
        let u = LocalThrottle::new(5, 2);
        u.reserve("b@x", "5.5.5.5", now).unwrap();
        u.release_success("b@x", "5.5.5.5", now);
        u.reserve("c@x", "5.5.5.5", now).unwrap();
        // One address slot was given back: one more attempt fits, then the address is full.
        u.reserve("d@x", "5.5.5.5", now).unwrap();
        assert!(u.reserve("e@x", "5.5.5.5", now).is_err());
    }
}
