//! Gates: thresholds from `rules/` evaluated against the report.

pub mod catalog;
pub mod eval;
