//! Metric rules. The per-language rules walk each language's tree (the front ends call them
//! while the tree is alive); the formulas that combine counts are language-neutral.

pub mod cognitive_python;
pub mod cognitive_rust;
pub mod cyclomatic_python;
pub mod cyclomatic_rust;
pub mod docstrings_python;
pub mod duplication;
pub mod halstead;
pub mod halstead_python;
pub mod halstead_rust;
pub mod maintainability;
pub mod rank;
pub mod raw_python;
pub mod typehints;
