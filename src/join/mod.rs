//! The joins: cross-file passes and other tools' reports, added to a report of analysed files.
//! Each fills per-file and per-line data (and `report.inputs`); none computes a summary —
//! `report::summarize` derives it afterwards from what they filled.
//!
//! In order: [`offenders`] (qgate's own findings), [`clones`] (duplication over the models'
//! tokens), [`coverage`], [`findings`] (other tools' findings, suppressions, fingerprints), then
//! after the change (`scope::join`) [`baseline`] (which offenders `--baseline` already held).

pub mod baseline;
pub mod clone_record;
pub mod clone_stream;
pub mod clone_update;
pub mod clones;
pub mod coverage;
pub mod findings;
pub mod offenders;
