//! Language-neutral facts about one source file, produced by a front end.
//!
//! Front ends turn an AST into a `FileModel`; metrics and the report read only this model, so
//! the AST can be dropped as soon as the model is built.

use std::fmt;

/// The languages qgate analyses.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    Rust,
}

impl Language {
    /// The language of a path, judged by its extension.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()? {
            "py" => Some(Self::Python),
            "rs" => Some(Self::Rust),
            _ => None,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Python => "python",
            Self::Rust => "rust",
        })
    }
}

/// Line counts of one file. `lines` counts physical lines as CPython's tokenizer does
/// (breaks at `\n`, `\r\n` and lone `\r`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineCounts {
    pub lines: u32,
    /// Lines holding code (not blank, not only a comment or docstring-like string).
    pub sloc: u32,
    /// Number of comment tokens (radon's `comments`; a trailing comment counts too).
    pub comments: u32,
    pub blank: u32,
}

/// One function (`def`, `async def`, `fn`) with what the metrics need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionModel {
    pub name: String,
    /// Dotted (Python: `Class.method`) or path-like (Rust: `Type::method`) name, see docs/metrics.md.
    pub qualified_name: String,
    /// Line of the `def` / `fn` keyword (not of decorators or attributes), 1-based.
    pub line: u32,
    pub end_line: u32,
    pub cyclomatic: u32,
}

/// A problem with the file's content, located in the file (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    pub kind: SourceErrorKind,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceErrorKind {
    SyntaxError,
}

impl SourceErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SyntaxError => "syntax-error",
        }
    }
}

/// Everything a front end learned about one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileModel {
    pub language: Language,
    pub lines: LineCounts,
    /// Empty when the file has a syntax error: metrics from a recovered tree would be guesses.
    pub functions: Vec<FunctionModel>,
    pub errors: Vec<SourceError>,
}
