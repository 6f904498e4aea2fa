//! Passwords: argon2id with OWASP's parameters, hashed and verified on the blocking pool (a hash
//! takes tens of milliseconds of CPU, which must not stall a tokio worker).

use crate::config::Secret;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted, in bytes: far beyond any passphrase, and it bounds hashing work.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// OWASP (2023) argon2id: 19 MiB of memory, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

/// Hashes that may wait for a thread of the [`HashPool`]; more are refused at once.
const HASH_QUEUE: usize = 64;
/// The longest a hash waits for a thread before it is refused: a login slower than this is
/// worse than a retry.
const HASH_WAIT: Duration = Duration::from_secs(2);

/// Hashing failed (never the caller's fault), or the pool is busy.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HashError {
    /// The hash itself failed.
    #[error("password hashing failed: {0}")]
    Failed(String),
    /// Every hashing thread is taken and the queue is full or too slow.
    #[error("too many password checks in progress")]
    Busy,
}

/// A bounded pool for argon2: at most one hash per core runs at once (each takes 19 MiB and
/// tens of milliseconds), at most [`HASH_QUEUE`] wait, none longer than [`HASH_WAIT`]. Without
/// it, parallel logins took RSS from 81 MB to 2.2 GB.
#[derive(Debug)]
pub(crate) struct HashPool {
    running: Semaphore,
    waiting: Semaphore,
}

impl HashPool {
    /// A pool of one thread per core.
    pub(crate) fn new() -> HashPool {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        HashPool {
            running: Semaphore::new(cores),
            waiting: Semaphore::new(HASH_QUEUE + cores),
        }
    }

    async fn slot(&self) -> Result<SemaphorePermit<'_>, HashError> {
        let _queued = self.waiting.try_acquire().map_err(|_| HashError::Busy)?;
        match tokio::time::timeout(HASH_WAIT, self.running.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(HashError::Busy),
        }
    }

    /// [`hash`] on a pool thread.
    pub(crate) async fn hash(&self, password: Secret) -> Result<String, HashError> {
        let _slot = self.slot().await?;
        hash(password).await
    }

    /// [`verify`] on a pool thread.
    pub(crate) async fn verify(&self, password: Secret, stored: String) -> Result<bool, HashError> {
        let _slot = self.slot().await?;
        verify(password, stored).await
    }
}

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None)
        .map_err(|e| HashError::Failed(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Why a password is refused, in words for the client; `None` when acceptable.
pub(crate) fn weakness(password: &str) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Some(format!(
            "password must be at least {MIN_PASSWORD_CHARS} characters"
        ))
    } else if password.len() > MAX_PASSWORD_BYTES {
        Some(format!(
            "password must be at most {MAX_PASSWORD_BYTES} bytes"
        ))
    } else {
        None
    }
}

/// The PHC string of `password` with a fresh salt.
pub(crate) async fn hash(password: Secret) -> Result<String, HashError> {
    tokio::task::spawn_blocking(move || {
        // A fresh random salt from the OS for every hash.
        let hashed: Result<PasswordHash, _> = argon2()?.hash_password(password.expose().as_bytes());
        hashed
            .map(|h| h.to_string())
            .map_err(|e| HashError::Failed(e.to_string()))
    })
    .await
    .map_err(|e| HashError::Failed(e.to_string()))?
}

/// Whether `password` matches the PHC string `stored` (a malformed one never matches).
pub(crate) async fn verify(password: Secret, stored: String) -> Result<bool, HashError> {
    tokio::task::spawn_blocking(move || {
        // A malformed stored string is an error here, i.e. no match.
        Ok(argon2()?
            .verify_password(password.expose().as_bytes(), stored.as_str())
            .is_ok())
    })
    .await
    .map_err(|e| HashError::Failed(e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verifies_only_the_same_password() {
        let h = hash(Secret::new("correct horse battery")).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(
            verify(Secret::new("correct horse battery"), h.clone())
                .await
                .unwrap()
        );
        assert!(!verify(Secret::new("wrong horse battery"), h).await.unwrap());
        assert!(!verify(Secret::new("x"), "not a hash".into()).await.unwrap());
        assert!(weakness("short").is_some());
        assert!(weakness("long enough pw").is_none());
    }

    #[tokio::test]
    async fn the_pool_refuses_past_its_queue() {
        let pool = HashPool {
            running: Semaphore::new(1),
            waiting: Semaphore::new(1),
        };
        let h = pool
            .hash(Secret::new("correct horse battery"))
            .await
            .unwrap();
        let _running = pool.running.acquire().await.unwrap();
        let _queued = pool.waiting.try_acquire().unwrap();
        let refused = pool.verify(Secret::new("correct horse battery"), h).await;
        assert!(matches!(refused, Err(HashError::Busy)));
    }
}
