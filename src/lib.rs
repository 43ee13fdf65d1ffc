//! qgate: a fast, exact quality gate for Python and Rust codebases.
//!
//! Data flows one way: settings → discovery → per-file analysis (front end → model) → report →
//! gates → renderers. See `docs/architecture.md`.

pub mod allocator;
pub mod baseline;
pub mod cache;
pub mod cli;
pub mod compare;
pub mod discover;
pub mod engine;
pub mod explain;
pub mod frontend;
pub mod gate;
pub mod ingest;
pub mod join;
pub mod merge;
pub mod metrics;
pub mod model;
pub mod order;
pub mod output;
pub mod progress;
pub mod render;
pub mod report;
pub mod scope;
pub mod settings;
pub mod source;
pub mod suggest;
