//! What is language-neutral: Halstead formulas, maintainability index variants, rank letters,
//! clone detection over tokens and finding fingerprints. The per-language counting rules live
//! with their front end (`frontend/python/`, `frontend/rust/`), which is the only code that
//! knows a syntax tree.

pub mod duplication;
pub mod fingerprint;
pub mod halstead;
pub mod maintainability;
pub mod rank;
