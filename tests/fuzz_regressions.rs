//! Replays `tests/fuzz_regressions/` (cargo-fuzz findings and issue 13's reproductions) through
//! the parser and the whole CPU pipeline, with no panic catching: a panic fails the test, a
//! hang never ends it.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

use clovicharts::pipeline::ChartWorker;
use clovicharts::render::CpuRenderer;
use std::path::PathBuf;

#[test]
fn every_kept_finding_parses_and_renders_without_panicking() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "bin"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "the issue 13 reproductions are kept");
    let mut worker = ChartWorker::new(Box::new(CpuRenderer::new()));
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        // Refusals are fine; panics and hangs are what these inputs once caused.
        match clovicharts::spec::parse_spec(&bytes) {
            Ok(spec) => {
                let out = worker.render(&spec);
                assert!(out.is_ok(), "{}: {:?}", file.display(), out.err());
            }
            Err(e) => assert!(!e.errors.is_empty(), "{}", file.display()),
        }
    }
}
