//! Golden-image tests: every rendered chart type in every theme at 800×500, plus colliding
//! labels and negative values, on the CPU renderer, compared per pixel with
//! `tests/golden/*.png` (tolerance: see `common::CHANNEL_TOLERANCE` / `MAX_CHANGED_SHARE`).
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites the goldens; look at them before
//! committing.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::render::{CpuRenderer, Renderer};
use clovicharts::spec::{self, ThemeName};
use clovicharts::text::TextShaper;
use std::path::Path;

fn spec_json(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/specs/{name}.json"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap()
}

fn render(value: &serde_json::Value) -> clovicharts::render::Image {
    let chart = spec::from_value(value).unwrap_or_else(|e| panic!("invalid test spec: {e}"));
    let mut shaper = TextShaper::new();
    let figure = clovicharts::layout::layout(&chart, &mut shaper);
    CpuRenderer::new().render(&figure).unwrap()
}

#[test]
fn every_type_in_every_theme() {
    let mut failures = Vec::new();
    for ty in ["bar", "line", "pie", "donut", "scatter"] {
        for theme in ThemeName::ALL {
            let mut value = spec_json(ty);
            value["options"]["theme"] = theme.name().into();
            value["options"]["width"] = 800.into();
            value["options"]["height"] = 500.into();
            let name = format!("{ty}_{}", theme.name());
            if let Err(e) = common::check_golden(&name, &render(&value)) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn colliding_labels_and_negative_values() {
    let mut failures = Vec::new();
    for name in ["bar_long_labels", "bar_negative", "line_many_labels"] {
        if let Err(e) = common::check_golden(name, &render(&spec_json(name))) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn chartjs_options() {
    let mut failures = Vec::new();
    for name in ["bar_stacked", "line_styled", "bar_line_mixed"] {
        if let Err(e) = common::check_golden(name, &render(&spec_json(name))) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
