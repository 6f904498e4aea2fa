//! The generic cell rate algorithm in Redis: one Lua script per check reads a key's theoretical
//! arrival time (TAT), decides, and writes the new TAT with an expiry, atomically, so a limit
//! holds in total over every instance that checks the same key. The arithmetic is the one
//! `governor` does in process (same remaining count, same wait), so the answers do not change
//! when `REDIS_URL` is set. Time is Redis's own clock (`TIME`), so instances' clocks may drift.

use super::{Shared, Unreachable};
use std::time::Duration;

/// `KEYS[1]`: the key. `ARGV`: emission interval (µs), burst (cells), and optionally the time
/// (µs; tests pass it, else Redis's `TIME`). Returns `{allowed, remaining, wait_us}`. Numbers go
/// out through `%d`: Lua 5.1's `tostring` would round a µs timestamp to 14 digits.
const GCRA_LUA: &str = r"
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local tau = interval * burst
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat < now then
  tat = now
end
local new_tat = tat + interval
local diff = new_tat - now
if diff > tau then
  return {0, 0, diff - tau}
end
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX',
  string.format('%d', math.ceil(diff / 1000)))
return {1, math.floor((tau - diff) / interval), 0}
";

/// One GCRA decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Counted; this many more fit in the burst right now.
    Allowed {
        /// Requests that would still pass at once.
        remaining: u32,
    },
    /// Over the limit; allowed again after the wait.
    Limited {
        /// Time until one request fits again.
        retry_after: Duration,
    },
}

/// The script, hashed once; calls go out as `EVALSHA` (loaded on a `NOSCRIPT` answer).
#[derive(Clone)]
pub struct Gcra {
    script: std::sync::Arc<redis::Script>,
}

impl std::fmt::Debug for Gcra {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Gcra")
    }
}

impl Default for Gcra {
    fn default() -> Self {
        Gcra::new()
    }
}

impl Gcra {
    /// The script.
    pub fn new() -> Gcra {
        Gcra {
            script: std::sync::Arc::new(redis::Script::new(GCRA_LUA)),
        }
    }

    /// Counts one request on `key` against `per_minute` (a burst of that many, one refilled
    /// every `60 s / per_minute`). `at_us` fixes the clock (tests); `None` is Redis's.
    pub async fn check(
        &self,
        shared: &Shared,
        key: &str,
        per_minute: u32,
        at_us: Option<u64>,
    ) -> Result<Decision, Unreachable> {
        let per_minute = per_minute.max(1);
        let interval_us = (60_000_000 / u64::from(per_minute)).max(1);
        let mut call = self.script.key(key);
        call.arg(interval_us).arg(per_minute);
        if let Some(t) = at_us {
            call.arg(t);
        }
        let (allowed, remaining, wait_us): (i64, i64, i64) = shared
            .call(|mut conn| async move { call.invoke_async(&mut conn).await })
            .await?;
        Ok(if allowed == 1 {
            Decision::Allowed {
                remaining: u32::try_from(remaining.max(0)).unwrap_or(u32::MAX),
            }
        } else {
            Decision::Limited {
                retry_after: Duration::from_micros(wait_us.max(0).unsigned_abs()),
            }
        })
    }
}
