//! Sliding windows of events in Redis, for the login throttle: each key is a sorted set of
//! reservations scored by time. One Lua script checks every key against its limit and, when all
//! are under, records the reservation in all of them, atomically, so parallel attempts on
//! several instances cannot all pass one check (the same reasoning as the in-process throttle).

use super::{Shared, Unreachable};
use std::time::Duration;

/// `KEYS`: the windows. `ARGV`: window (ms), member, cap (entries kept per key), time (ms, or
/// empty for Redis's `TIME`), then one limit per key (`0`: that key is not checked). Returns the
/// wait in ms (`0`: reserved).
const RESERVE_LUA: &str = r"
local window = tonumber(ARGV[1])
local member = ARGV[2]
local cap = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local wait = 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[4 + i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', string.format('%d', now - window))
  if limit > 0 then
    local n = redis.call('ZCARD', KEYS[i])
    if n >= limit then
      local oldest = redis.call('ZRANGE', KEYS[i], n - limit, n - limit, 'WITHSCORES')
      local w = window - (now - tonumber(oldest[2]))
      if w > wait then
        wait = w
      end
    end
  end
end
if wait > 0 then
  return wait
end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], string.format('%d', now), member)
  redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -(cap + 1))
  redis.call('PEXPIRE', KEYS[i], string.format('%d', window))
end
return 0
";

/// Windows of `window` length: the script, hashed once.
#[derive(Clone)]
pub struct Windows {
    window: Duration,
    script: std::sync::Arc<redis::Script>,
}

impl std::fmt::Debug for Windows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Windows")
            .field("window", &self.window)
            .finish()
    }
}

impl Windows {
    /// Windows of `window`.
    pub fn new(window: Duration) -> Windows {
        Windows {
            window,
            script: std::sync::Arc::new(redis::Script::new(RESERVE_LUA)),
        }
    }

    /// Records `member` in every key of `keys` (each `(key, limit)`), unless one already holds
    /// `limit` events in the window: then `Ok(Err(wait))` until the oldest that counts leaves
    /// it. At most `cap` events are kept per key. `at_ms` fixes the clock (tests).
    pub async fn reserve(
        &self,
        shared: &Shared,
        keys: &[(String, u32)],
        member: &str,
        cap: u32,
        at_ms: Option<u64>,
    ) -> Result<Result<(), Duration>, Unreachable> {
        let mut call = self.script.prepare_invoke();
        for (key, _) in keys {
            call.key(key);
        }
        call.arg(self.window.as_millis() as u64)
            .arg(member)
            .arg(cap.max(1));
        match at_ms {
            Some(t) => call.arg(t),
            None => call.arg(""),
        };
        for (_, limit) in keys {
            call.arg(*limit);
        }
        let wait_ms: i64 = shared
            .call(|mut conn| async move { call.invoke_async(&mut conn).await })
            .await?;
        Ok(if wait_ms > 0 {
            Err(Duration::from_millis(wait_ms.unsigned_abs()))
        } else {
            Ok(())
        })
    }

    /// Removes `member` from `keys` and deletes `clear` whole: a reservation given back.
    pub async fn release(
        &self,
        shared: &Shared,
        keys: &[&str],
        member: &str,
        clear: Option<&str>,
    ) -> Result<(), Unreachable> {
        let mut pipe = redis::pipe();
        pipe.atomic();
        for key in keys {
            pipe.zrem(*key, member).ignore();
        }
        if let Some(key) = clear {
            pipe.del(key).ignore();
        }
        shared
            .call(|mut conn| async move { pipe.query_async::<()>(&mut conn).await })
            .await
    }
}
