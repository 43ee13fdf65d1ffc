//! Front ends: source text of one language → the language-neutral [`FileModel`].
//!
//! This is the only code that knows a syntax tree: `python/` (ruff_python_parser) and `rust/`
//! (syn) each keep one file per metric's counting rules beside the parser call, and
//! [`markers`] reads qgate's comment markers for both.

pub mod markers;
pub mod python;
pub mod rust;

pub use python::cyclomatic::Dialect;

use crate::model::{FileModel, Language, Skip};

/// Choices that change what the front ends compute.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub python_cyclomatic: Dialect,
    /// How tokens for clone detection are normalised.
    pub normalize: crate::metrics::duplication::Normalize,
    /// interrogate's options for Python docstring coverage.
    pub docstrings: python::docstrings::DocOptions,
    /// Leave import statements (Python `import`/`from`, Rust `use`) out of clone detection.
    pub clone_skip_imports: bool,
    /// Leave `@overload` stubs out of clone detection (Python).
    pub clone_skip_overloads: bool,
}

/// What a front end made of a file (serialisable: the cache stores it).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
// One value per file, moved once into the report: boxing the model would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Analysis {
    Model(FileModel),
    /// The file cannot be analysed safely (for example nested beyond what parsers survive).
    Skipped(Skip),
}

/// Analyses the text of the file at `path` (repository-relative; its name matters to some
/// options, such as `ignore-init-module`). Call it on a thread with a large stack (see
/// `engine::STACK_SIZE`): syn parses recursively.
pub fn analyze(language: Language, path: &str, text: &str, options: &Options) -> Analysis {
    let file_name = path.rsplit('/').next().unwrap_or(path);
    match language {
        Language::Python => python::analyze(text, file_name, options),
        Language::Rust => rust::analyze(text, options),
    }
}
