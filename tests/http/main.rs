//! The HTTP API through a real server on 127.0.0.1 (ephemeral port) and a real client
//! (reqwest): every route, the success shapes field by field, every error code, auth, rate
//! limiting, body limits, traversal, caching, restart and crash durability.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod account_client;
mod accounts;
mod admin;
#[path = "../common/mod.rs"]
mod common;
mod credentials;
mod durability;
mod formats;
mod harness;
mod hostile;
mod json_errors;
mod keys;
mod large_data;
mod llm;
mod model_stub;
mod openapi;
mod ops;
mod options;
mod owners;
mod reliability;
mod resilience;
mod routes;
mod security;
mod text;
mod throughput;
mod urlapi;
mod volume;
mod web_app;
