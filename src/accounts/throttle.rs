//! Login brute-force protection: after too many failures for one account or from one address
//! within a window, further attempts are refused (429 with `Retry-After`) before the password is
//! even checked. Counted in process ([`local`]), or in Redis when several instances share the
//! work (`REDIS_URL`; `shared::window`), so an attacker gains nothing by spreading guesses over
//! instances. With Redis unreachable, `REDIS_FAILURE=open` counts in process, `closed` refuses.

mod local;

use crate::config::RedisFailure;
use crate::shared::Shared;
use crate::shared::window::Windows;
use local::{LocalThrottle, WINDOW};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

/// Why an attempt was not let through.
#[derive(Debug)]
pub enum LoginRefused {
    /// Too many failures; retry after the wait.
    Throttled(Duration),
    /// Redis is unreachable and `REDIS_FAILURE=closed`.
    Unavailable,
}

/// Where a reserved attempt was counted, so it is given back there.
#[derive(Debug)]
enum Counted {
    /// In process, at this instant.
    Local(Instant),
    /// In Redis, as this member of the windows.
    Redis(String),
    /// Nowhere (both limits off).
    Nowhere,
}

/// An attempt counted as failed before its password is verified; given back with
/// [`LoginThrottle::release`] or [`LoginThrottle::release_success`].
#[derive(Debug)]
pub struct LoginReservation {
    account: String,
    address: String,
    counted: Counted,
}

/// Failure counts per account and per address, in process or in Redis.
#[derive(Debug)]
pub struct LoginThrottle {
    per_account: u32,
    per_address: u32,
    local: LocalThrottle,
    redis: Option<(Shared, Windows)>,
}

impl LoginThrottle {
    /// At most `per_account` failures per account and `per_address` per address per 15 minutes
    /// (`0` turns that limit off), counted in process.
    pub fn new(per_account: u32, per_address: u32) -> LoginThrottle {
        LoginThrottle {
            per_account,
            per_address,
            local: LocalThrottle::new(per_account, per_address),
            redis: None,
        }
    }

    /// The same limits counted in `shared`, over every instance that uses it.
    pub fn shared(mut self, shared: Shared) -> LoginThrottle {
        self.redis = Some((shared, Windows::new(WINDOW)));
        self
    }

    /// The Redis keys of an account (hashed: e-mails are not written to Redis) and an address.
    fn keys(shared: &Shared, account: &str, address: &str) -> [String; 2] {
        let digest = Sha256::digest(account.as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        [
            shared.key(&["login", "a", &hex]),
            shared.key(&["login", "ip", address]),
        ]
    }

    /// Checks the limits and, when under them, counts the attempt as failed in the same step,
    /// before the password is verified: with a check and a later record, parallel wrong passwords
    /// all passed the check.
    pub async fn reserve(
        &self,
        account: &str,
        address: &str,
    ) -> Result<LoginReservation, LoginRefused> {
        let reservation = |counted| LoginReservation {
            account: account.to_owned(),
            address: address.to_owned(),
            counted,
        };
        if self.per_account == 0 && self.per_address == 0 {
            return Ok(reservation(Counted::Nowhere));
        }
        if let Some((shared, windows)) = &self.redis {
            let [a, ip] = Self::keys(shared, account, address);
            let member = format!("{:016x}", rand::random::<u64>());
            let cap = self.per_account.max(self.per_address);
            let keys = [(a, self.per_account), (ip, self.per_address)];
            match windows.reserve(shared, &keys, &member, cap, None).await {
                Ok(Ok(())) => return Ok(reservation(Counted::Redis(member))),
                Ok(Err(wait)) => return Err(LoginRefused::Throttled(wait)),
                Err(_) => {
                    shared.count_outage("login");
                    if shared.failure() == RedisFailure::Closed {
                        return Err(LoginRefused::Unavailable);
                    }
                }
            }
        }
        let now = Instant::now();
        self.local
            .reserve(account, address, now)
            .map_err(LoginRefused::Throttled)?;
        Ok(reservation(Counted::Local(now)))
    }

    /// Gives back an attempt that was never verified (the server was busy), for both the
    /// account and the address.
    pub async fn release(&self, r: LoginReservation) {
        match &r.counted {
            Counted::Local(at) => self.local.release(&r.account, &r.address, *at),
            Counted::Redis(member) => self.release_in_redis(&r, member, false).await,
            Counted::Nowhere => {}
        }
    }

    /// A success: forgets the account's failures and gives the address back the attempt
    /// reserved for it.
    pub async fn release_success(&self, r: LoginReservation) {
        match &r.counted {
            Counted::Local(at) => self.local.release_success(&r.account, &r.address, *at),
            Counted::Redis(member) => self.release_in_redis(&r, member, true).await,
            Counted::Nowhere => {}
        }
    }

    async fn release_in_redis(&self, r: &LoginReservation, member: &str, success: bool) {
        let Some((shared, windows)) = &self.redis else {
            return;
        };
        let [a, ip] = Self::keys(shared, &r.account, &r.address);
        let result = if success {
            windows.release(shared, &[&ip], member, Some(&a)).await
        } else {
            windows.release(shared, &[&a, &ip], member, None).await
        };
        if let Err(e) = result {
            // The attempt stays counted until its window passes: the safe side.
            tracing::debug!(error = %e, "login attempt not given back in Redis");
        }
    }
}
