//! Readiness: whether this instance can do its work now, checked the way a request would use
//! it: a canary chart rendered on the pool within a deadline, a probe file written and synced
//! in the chart directory (or a probe object in the S3 bucket), free disk space above a
//! threshold, and the database answering a
//! query (PostgreSQL may be down while this process is fine). `/readyz` and `/health` answer
//! from [`check`]; `/health` used to say `"ok"` while every render was failing.

use crate::config::LimitsConfig;
use crate::render_pool::RenderPool;
use crate::store::Store;
use serde_json::{Value, json};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The canary: the smallest chart that still goes through layout, render and encode.
const CANARY_SPEC: &str = r#"{"type":"bar","data":{"labels":["a","b"],"datasets":[{"data":[1,2]}]},"options":{"width":64,"height":48}}"#;

/// One check's outcome.
#[derive(Clone, Debug)]
pub struct Check {
    /// `render`, `store`, `disk` or `database`.
    pub name: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// Why it failed, in words, or what it measured.
    pub detail: String,
    /// How long it took.
    pub elapsed: Duration,
    /// Extra figures (free bytes, threshold).
    pub extra: Option<Value>,
}

/// All checks of one readiness probe.
#[derive(Clone, Debug)]
pub struct Readiness {
    /// In a fixed order: render, store, disk, database.
    pub checks: Vec<Check>,
}

impl Readiness {
    /// Whether every check passed.
    pub fn ready(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }

    /// The names of the failing checks.
    pub fn failing(&self) -> Vec<&'static str> {
        self.checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.name)
            .collect()
    }

    /// `{ "<name>": { "ok", "ms", "error"? , ... } }`.
    pub fn to_json(&self) -> Value {
        let mut checks = serde_json::Map::new();
        for c in &self.checks {
            let mut v = json!({
                "ok": c.ok,
                "ms": (c.elapsed.as_secs_f64() * 1e4).round() / 10.0,
            });
            v[if c.ok { "detail" } else { "error" }] = Value::String(c.detail.clone());
            if let (Some(Value::Object(extra)), Value::Object(obj)) = (&c.extra, &mut v) {
                obj.extend(extra.clone());
            }
            checks.insert(c.name.to_owned(), v);
        }
        Value::Object(checks)
    }
}

/// Runs the four checks at once. With S3 storage, `store` writes and removes a probe object
/// in the bucket and `disk` has no local chart directory to measure (it passes, saying so).
pub async fn check(pool: &RenderPool, store: &Store, limits: &LimitsConfig) -> Readiness {
    let dir = store.objects().local_dir().map(Path::to_path_buf);
    let (render, probe, disk, database) = tokio::join!(
        render_check(pool, limits.ready_render_timeout),
        storage_check(store),
        blocking_check("disk", {
            let min = limits.ready_min_free_bytes;
            move || match dir {
                Some(dir) => disk_check(&dir, min),
                None => Ok(("object storage: no local chart directory".into(), None)),
            }
        }),
        database_check(store),
    );
    Readiness {
        checks: vec![render, probe, disk, database],
    }
}

/// The `store` check: a synced probe file in the chart directory, or a probe object in the
/// bucket (bounded by `STORAGE_TIMEOUT_MS`).
async fn storage_check(store: &Store) -> Check {
    if let Some(files) = store.objects().as_files().cloned() {
        return blocking_check("store", move || {
            // Not a probe into the empty mount point of a volume that went away.
            files.check_volume().map_err(|e| e.to_string())?;
            probe_write(files.dir())
        })
        .await;
    }
    let start = Instant::now();
    let outcome = match store.objects().probe().await {
        Some(Ok(detail)) => Ok((detail, None)),
        Some(Err(e)) => Err(format!(
            "cannot write to {}: {e}",
            store.objects().location()
        )),
        None => Err("no probe for this storage".into()),
    };
    finish("store", start, outcome)
}

/// A trivial query on the chart index's database, bounded by the pool's acquire timeout.
async fn database_check(store: &Store) -> Check {
    let start = Instant::now();
    let outcome = match store.ping().await {
        Ok(()) => Ok((format!("{} answers", store.kind()), None)),
        Err(e) => Err(format!("{} unreachable: {e}", store.kind())),
    };
    finish("database", start, outcome)
}

async fn render_check(pool: &RenderPool, timeout: Duration) -> Check {
    let start = Instant::now();
    let outcome = match crate::spec::parse_spec(CANARY_SPEC.as_bytes()) {
        Ok(spec) => match tokio::time::timeout(timeout, pool.render(spec)).await {
            Ok(Ok(out)) => Ok(format!(
                "{}x{} {} in {:.1} ms",
                out.chart.width,
                out.chart.height,
                out.chart.format.name(),
                start.elapsed().as_secs_f64() * 1e3
            )),
            Ok(Err(e)) => Err(format!("canary render failed: {e}")),
            Err(_) => Err(format!(
                "canary render did not finish within {} ms",
                timeout.as_millis()
            )),
        },
        Err(e) => Err(format!("canary spec invalid: {}", e.message())),
    };
    finish("render", start, outcome.map(|d| (d, None)))
}

async fn blocking_check(
    name: &'static str,
    work: impl FnOnce() -> Result<(String, Option<Value>), String> + Send + 'static,
) -> Check {
    let start = Instant::now();
    let outcome = tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(format!("check did not run: {e}")));
    finish(name, start, outcome)
}

fn finish(
    name: &'static str,
    start: Instant,
    outcome: Result<(String, Option<Value>), String>,
) -> Check {
    let elapsed = start.elapsed();
    match outcome {
        Ok((detail, extra)) => Check {
            name,
            ok: true,
            detail,
            elapsed,
            extra,
        },
        Err(detail) => Check {
            name,
            ok: false,
            detail,
            elapsed,
            extra: None,
        },
    }
}

/// Writes, syncs and removes a probe file named like the store's temp files (a leading `.` and
/// a `.tmp` suffix), so it is never served and a leftover is swept at start.
fn probe_write(dir: &Path) -> Result<(String, Option<Value>), String> {
    let path: PathBuf = dir.join(format!(".readyz.{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        f.write_all(&[0u8; 4096])?;
        f.sync_all()
    })();
    let _ = std::fs::remove_file(&path);
    match written {
        Ok(()) => Ok(("chart directory writable".into(), None)),
        Err(e) if crate::store::is_storage_full(&e) => {
            Err(format!("the disk is full: {e} (writes answer 507)"))
        }
        Err(e) => Err(format!("cannot write to {}: {e}", dir.display())),
    }
}

/// Free space on `dir`'s file system, as an unprivileged writer sees it.
pub fn free_bytes(dir: &Path) -> std::io::Result<u64> {
    let st = rustix::fs::statvfs(dir).map_err(std::io::Error::from)?;
    Ok(st.f_bavail.saturating_mul(st.f_frsize))
}

fn disk_check(dir: &Path, min_free: u64) -> Result<(String, Option<Value>), String> {
    let free = free_bytes(dir).map_err(|e| format!("statvfs {}: {e}", dir.display()))?;
    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
    if free < min_free {
        return Err(format!(
            "{:.1} MB free, below the {:.0} MB threshold (READY_MIN_FREE_MB)",
            mb(free),
            mb(min_free)
        ));
    }
    Ok((
        format!("{:.0} MB free", mb(free)),
        Some(json!({ "free_bytes": free, "min_free_bytes": min_free })),
    ))
}
