//! clovicharts: JSON chart specs → images, fast.
//!
//! The pipeline, one module per stage (see `docs/ARCHITECTURE.md`):
//!
//! ```text
//! spec (JSON → ChartSpec) → theme → layout (ChartSpec → Figure) → render (Figure → pixels)
//!      → encode (pixels → PNG / WebP)
//! ```
//!
//! [`render_chart`] runs the whole pipeline for one spec; benches and tests call the stages
//! directly too.

pub mod accounts;
pub mod api;
pub mod binning;
pub mod cache;
pub mod catalog;
pub mod charts;
pub mod config;
pub mod db;
pub mod deadline;
pub mod encode;
pub mod figure;
pub mod insight;
pub mod layout;
pub mod metrics;
pub mod migrate;
pub mod numfmt;
pub mod pipeline;
pub mod readiness;
pub mod render;
pub mod render_pool;
pub mod secret;
pub mod server;
pub mod shared;
pub mod spec;
pub mod store;
pub mod text;
pub mod theme;
pub mod urlapi;

pub use pipeline::{ChartOutput, PipelineError, render_chart, render_spec};
