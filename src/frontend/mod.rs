//! Front ends: source text of one language → the language-neutral [`FileModel`].

pub mod python;
pub mod rust;
mod rust_lex;

use crate::model::{FileModel, Language};
use crate::source::Skip;

/// What a front end made of a file.
#[derive(Debug)]
pub enum Analysis {
    Model(FileModel),
    /// The file cannot be analysed safely (for example nested beyond what parsers survive).
    Skipped(Skip),
}

/// Analyses one file's text. Call it on a thread with a large stack (see `engine::STACK_SIZE`):
/// syn parses recursively.
pub fn analyze(language: Language, text: &str) -> Analysis {
    match language {
        Language::Python => python::analyze(text),
        Language::Rust => rust::analyze(text),
    }
}
