//! The official QuickChart Python client (`quickchart-io` from PyPI) against our server:
//! `get_url()`, `get_bytes()`, `to_file()` and `get_short_url()`, with `QuickChartFunction`
//! callbacks in the config, in PNG and WebP (`tests/quickchart/client_test.py`).
//!
//! The client lives in a virtual environment, `tests/quickchart/.venv` (`.ci/run` creates it;
//! `QUICKCHART_PYTHON` names another interpreter). libtest-mimic's harness, so that without it
//! the test reports as *ignored* with the reason, never as passed; when `CI` is set a missing
//! client fails instead, because CI installs it.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::api::AppState;
use clovicharts::config::Config;
use clovicharts::render::Backend;
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The interpreter that has `quickchart` installed, or why there is none.
fn python() -> Result<PathBuf, String> {
    let python = std::env::var_os("QUICKCHART_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/quickchart/.venv/bin/python"),
        PathBuf::from,
    );
    if !python.exists() {
        return Err(format!(
            "no {} (create it: python3 -m venv tests/quickchart/.venv && \
             tests/quickchart/.venv/bin/pip install quickchart-io)",
            python.display()
        ));
    }
    let probe = Command::new(&python)
        .args(["-c", "import quickchart"])
        .output()
        .map_err(|e| format!("{}: {e}", python.display()))?;
    if !probe.status.success() {
        return Err(format!(
            "{} has no `quickchart` package: pip install quickchart-io",
            python.display()
        ));
    }
    Ok(python)
}

/// Starts a server on 127.0.0.1, runs the client script against it, stops the server.
fn client_against_server(python: &Path) -> Result<(), Failed> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let data = common::temp_dir("quickchart");
    let out = data.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let (addr, stop, server) = runtime.block_on(async {
        let mut config = Config::for_tests(&data);
        config.rate_limit_per_min = 100_000;
        let state = AppState::start(config, Backend::Cpu).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(clovicharts::api::serve(listener, state, async move {
            let _ = rx.await;
        }));
        (addr, tx, server)
    });
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/quickchart/client_test.py");
    let output = Command::new(python)
        .arg(&script)
        .arg(addr.to_string())
        .arg(&out)
        .output()
        .map_err(|e| Failed::from(format!("running {}: {e}", script.display())))?;
    let _ = stop.send(());
    runtime.block_on(async { server.await.unwrap().unwrap() });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    print!("{stdout}");
    if !output.status.success() || !stdout.contains("all client checks passed") {
        return Err(format!("the quickchart-io client failed:\n{stdout}\n{stderr}").into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let python = match python() {
        Ok(p) => Some(p),
        Err(why) if std::env::var_os("CI").is_some() => {
            panic!("the quickchart-io client is missing in CI: {why}")
        }
        Err(why) => {
            eprintln!("ignored: {why}");
            None
        }
    };
    let ignored = python.is_none();
    let trial = Trial::test(
        "quickchart_io_client_works_against_our_server",
        move || match &python {
            Some(p) => client_against_server(p),
            None => Ok(()),
        },
    )
    .with_ignored_flag(ignored);
    libtest_mimic::run(&args, vec![trial]).exit();
}
