//! Metric rules. The cyclomatic rules walk each language's tree (they are called by the front
//! ends while the tree is alive); everything else reads the language-neutral model.

pub mod cyclomatic_python;
pub mod cyclomatic_rust;
pub mod rank;
