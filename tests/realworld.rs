//! Every real-world Chart.js / QuickChart config under `tests/realworld/<family>/<case>.json`
//! (sources in `tests/realworld/SOURCES.md`) is validated and rendered on the CPU renderer, as
//! `clovicharts render` would: what a client migrating from the reference service or QuickChart
//! sends must not be refused. The only exceptions are the cases `tests/realworld/KNOWN.md` lists,
//! each with a reason; a listed case that starts rendering fails too, so the list stays true.
//!
//! What the pictures look like beside the reference engine is `tools/realworld_compare.sh`'s job.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

use clovicharts::render::CpuRenderer;
use clovicharts::text::TextShaper;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realworld")
}

/// Every `<family>/<case>` with its file, sorted.
fn cases() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for family in std::fs::read_dir(corpus_dir()).unwrap() {
        let family = family.unwrap().path();
        if !family.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&family).unwrap() {
            let file = file.unwrap().path();
            if file.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let name = format!(
                "{}/{}",
                family.file_name().unwrap().to_string_lossy(),
                file.file_stem().unwrap().to_string_lossy()
            );
            out.push((name, file));
        }
    }
    out.sort();
    out
}

/// The cases `KNOWN.md` excuses: lines `- \`family/case\`: reason`.
fn known() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(corpus_dir().join("KNOWN.md")).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("- `") else {
            continue;
        };
        let Some((name, reason)) = rest.split_once('`') else {
            continue;
        };
        let reason = reason.trim_start_matches(':').trim();
        assert!(!reason.is_empty(), "KNOWN.md: `{name}` needs a reason");
        out.insert(name.to_owned(), reason.to_owned());
    }
    out
}

/// Validates and renders one case to PNG bytes, or says why not.
fn render(file: &Path) -> Result<usize, String> {
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    let spec = clovicharts::spec::from_value(&value).map_err(|e| e.to_string())?;
    let mut shaper = TextShaper::new();
    let mut renderer = CpuRenderer::new();
    let out =
        clovicharts::render_spec(&spec, &mut shaper, &mut renderer).map_err(|e| e.to_string())?;
    if out.bytes.is_empty() || out.width == 0 || out.height == 0 {
        return Err("empty image".to_owned());
    }
    Ok(out.bytes.len())
}

#[test]
fn the_corpus_is_big_enough_and_every_case_has_a_source() {
    let cases = cases();
    assert!(cases.len() >= 100, "only {} cases", cases.len());
    let sources = std::fs::read_to_string(corpus_dir().join("SOURCES.md")).unwrap();
    let missing: Vec<_> = cases
        .iter()
        .filter(|(name, _)| {
            let (family, case) = name.split_once('/').unwrap();
            !sources.contains(&format!("| {family} | {case} |"))
        })
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "cases without a SOURCES.md row: {missing:?}"
    );
}

#[test]
fn every_case_renders_except_the_known_ones() {
    let known = known();
    let cases = cases();
    let mut failures = Vec::new();
    for (name, file) in &cases {
        match (render(file), known.get(name)) {
            (Ok(_), None) | (Err(_), Some(_)) => {}
            (Err(e), None) => failures.push(format!("{name}: {e}")),
            (Ok(_), Some(_)) => failures.push(format!(
                "{name} renders now: take it out of tests/realworld/KNOWN.md"
            )),
        }
    }
    for name in known.keys() {
        if !cases.iter().any(|(n, _)| n == name) {
            failures.push(format!("KNOWN.md lists `{name}`, which is not a case"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
