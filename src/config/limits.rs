//! Limits on connections, request intake and readiness (issue 13): every timeout and cap the
//! connection layer (`server.rs`), the request admission (`api::admission`) and `/readyz` use,
//! read from the environment with a default that is safe on a small machine.

use super::{ConfigError, parsed};
use std::time::Duration;

/// Time a client has to send a whole request head; slowloris connections end here.
pub const DEFAULT_HEADER_READ_TIMEOUT_MS: u64 = 10_000;
/// Time a client has to send a whole request body once its head is in: 30 s moves the largest
/// body (64 MiB) at ~2 MB/s, and a stalled upload frees its memory and connection.
pub const DEFAULT_BODY_READ_TIMEOUT_MS: u64 = 30_000;
/// How long a keep-alive connection may sit between requests before it is closed.
pub const DEFAULT_KEEP_ALIVE_TIMEOUT_MS: u64 = 5_000;
/// Open connections in all: each holds a file descriptor and ~64 KiB of buffers at most.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4_096;
/// Open connections from one client address (one proxy counts as one address).
pub const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS: usize = 256;
/// On SIGTERM, how long in-flight requests may take before their connections are cut.
pub const DEFAULT_SHUTDOWN_GRACE_MS: u64 = 10_000;
/// Estimated request memory (body plus what parsing and rendering it take) admitted at once.
pub const DEFAULT_MEMORY_BUDGET_MB: usize = 1_024;
/// `/readyz` fails when the data directory's file system has less free space than this.
pub const DEFAULT_READY_MIN_FREE_MB: u64 = 64;
/// `/readyz` fails when a canary chart does not render within this.
pub const DEFAULT_READY_RENDER_TIMEOUT_MS: u64 = 2_000;

/// The connection, intake and readiness limits.
#[derive(Clone, Debug)]
pub struct LimitsConfig {
    /// `HEADER_READ_TIMEOUT_MS`: a request head must arrive within this.
    pub header_read_timeout: Duration,
    /// `BODY_READ_TIMEOUT_MS`: a request body must arrive within this (else 408).
    pub body_read_timeout: Duration,
    /// `KEEP_ALIVE_TIMEOUT_MS`: an idle keep-alive connection is closed after this.
    pub keep_alive_timeout: Duration,
    /// `MAX_CONNECTIONS`: open connections in all (at most the file-descriptor limit less a
    /// reserve for files and the database).
    pub max_connections: usize,
    /// `MAX_CONNECTIONS_PER_ADDRESS`: open connections per client address.
    pub max_connections_per_address: usize,
    /// `SHUTDOWN_GRACE_MS`: in-flight requests' time to finish after SIGTERM.
    pub shutdown_grace: Duration,
    /// `MEMORY_BUDGET_MB`: estimated request memory in flight before `503 OVERLOADED`.
    pub memory_budget_bytes: usize,
    /// `READY_MIN_FREE_MB`: free disk space `/readyz` requires.
    pub ready_min_free_bytes: u64,
    /// `READY_RENDER_TIMEOUT_MS`: the canary render's deadline.
    pub ready_render_timeout: Duration,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            header_read_timeout: Duration::from_millis(DEFAULT_HEADER_READ_TIMEOUT_MS),
            body_read_timeout: Duration::from_millis(DEFAULT_BODY_READ_TIMEOUT_MS),
            keep_alive_timeout: Duration::from_millis(DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_connections_per_address: DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            shutdown_grace: Duration::from_millis(DEFAULT_SHUTDOWN_GRACE_MS),
            memory_budget_bytes: DEFAULT_MEMORY_BUDGET_MB * 1024 * 1024,
            ready_min_free_bytes: DEFAULT_READY_MIN_FREE_MB * 1024 * 1024,
            ready_render_timeout: Duration::from_millis(DEFAULT_READY_RENDER_TIMEOUT_MS),
        }
    }
}

impl LimitsConfig {
    /// Reads the variables; a zero timeout or cap is raised to the smallest useful value.
    pub fn from_env() -> Result<LimitsConfig, ConfigError> {
        let ms =
            |name, default| parsed(name, default).map(|v: u64| Duration::from_millis(v.max(1)));
        Ok(LimitsConfig {
            header_read_timeout: ms("HEADER_READ_TIMEOUT_MS", DEFAULT_HEADER_READ_TIMEOUT_MS)?,
            body_read_timeout: ms("BODY_READ_TIMEOUT_MS", DEFAULT_BODY_READ_TIMEOUT_MS)?,
            keep_alive_timeout: ms("KEEP_ALIVE_TIMEOUT_MS", DEFAULT_KEEP_ALIVE_TIMEOUT_MS)?,
            max_connections: parsed("MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS)?.max(1),
            max_connections_per_address: parsed(
                "MAX_CONNECTIONS_PER_ADDRESS",
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            )?
            .max(1),
            shutdown_grace: ms("SHUTDOWN_GRACE_MS", DEFAULT_SHUTDOWN_GRACE_MS)?,
            memory_budget_bytes: parsed("MEMORY_BUDGET_MB", DEFAULT_MEMORY_BUDGET_MB)?
                .max(1)
                .saturating_mul(1024 * 1024),
            ready_min_free_bytes: parsed("READY_MIN_FREE_MB", DEFAULT_READY_MIN_FREE_MB)?
                .saturating_mul(1024 * 1024),
            ready_render_timeout: ms("READY_RENDER_TIMEOUT_MS", DEFAULT_READY_RENDER_TIMEOUT_MS)?,
        })
    }
}
