//! qgate: a fast, exact quality gate for Python and Rust codebases.
//!
//! Data flows one way: settings → discovery → per-file analysis (front end → model) → report →
//! gates → renderers. See `docs/architecture.md`.

pub mod frontend;
pub mod metrics;
pub mod model;
pub mod source;
