//! Passwords: argon2id with OWASP's parameters, hashed and verified on the blocking pool (a hash
//! takes tens of milliseconds of CPU, which must not stall a tokio worker).

use crate::config::Secret;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted, in bytes: far beyond any passphrase, and it bounds hashing work.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// OWASP (2023) argon2id: 19 MiB of memory, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

/// Hashing failed (never the caller's fault).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub(crate) struct HashError(String);

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params =
        Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|e| HashError(e.to_string()))?;
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
            .map_err(|e| HashError(e.to_string()))
    })
    .await
    .map_err(|e| HashError(e.to_string()))?
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
    .map_err(|e| HashError(e.to_string()))?
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
}
