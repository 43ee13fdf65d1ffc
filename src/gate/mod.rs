//! Gates: thresholds from `rules/` evaluated against the report, and the verdict.
//!
//! `catalog` loads the rule files (one per gate), `config` holds the gates as a run resolved
//! them, `eval` fills the report's gate results and status (`forgive` leaving out a baseline's known
//! offenders, `ratchet` holding totals to the baseline's), `grade` the overall letter,
//! `verdict` turns a report into the exit status.

pub mod catalog;
pub mod config;
pub mod eval;
mod forgive;
pub mod grade;
mod offenders;
mod ratchet;
pub mod verdict;
