//! Login brute-force protection: after too many failures for one account or from one address
//! within a window, further attempts are refused (429 with `Retry-After`) before the password is
//! even checked. In memory, per process (Redis when several instances share the work).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The window failures are counted in.
pub(crate) const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Keys tracked before expired ones are swept on the next failure; bounds memory under attack.
const SWEEP_ABOVE: usize = 10_000;

/// Failure counts per account and per address.
#[derive(Debug)]
pub struct LoginThrottle {
    per_account: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginThrottle {
    /// At most `per_account` failures per account and `per_address` per address per `WINDOW`
    /// (`0` turns that limit off).
    pub fn new(per_account: u32, per_address: u32) -> LoginThrottle {
        LoginThrottle {
            per_account: per_account as usize,
            per_address: per_address as usize,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(account: &str, address: &str) -> [String; 2] {
        [format!("a:{account}"), format!("ip:{address}")]
    }

    /// `Err(wait)` when `account` or `address` is over its limit.
    pub fn check(&self, account: &str, address: &str, now: Instant) -> Result<(), Duration> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
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

    /// Counts a failed attempt.
    pub fn record_failure(&self, account: &str, address: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
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
    pub fn record_success(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("a:{account}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_until_the_window_passes() {
        let t = LoginThrottle::new(3, 5);
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
}
