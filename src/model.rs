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

use crate::metrics::docstrings_python::DocCount;
use crate::metrics::halstead::Halstead;
use crate::metrics::typehints::TypeHints;

/// Line counts of one file (Python: radon's raw metrics; see docs/metrics.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineCounts {
    pub lines: u32,
    /// Lines holding code (not blank, not only a comment or docstring-like string).
    pub sloc: u32,
    /// Python: comment tokens (a trailing comment counts too); Rust: lines holding a comment.
    pub comments: u32,
    pub blank: u32,
    /// Logical lines (radon's LLOC; Python only).
    pub lloc: Option<u32>,
    /// Lines of multi-line strings standing alone (Python only).
    pub multi: Option<u32>,
    /// Comment-only lines and one-line strings standing alone (Python only).
    pub single_comments: Option<u32>,
}

/// One function (`def`, `async def`, `fn`) with what the metrics need.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionModel {
    pub name: String,
    /// Dotted (Python: `Class.method`) or path-like (Rust: `Type::method`) name, see docs/metrics.md.
    pub qualified_name: String,
    /// Line of the `def` / `fn` keyword (not of decorators or attributes), 1-based.
    pub line: u32,
    pub end_line: u32,
    pub cyclomatic: u32,
    pub cognitive: Option<u32>,
    pub halstead: Option<Halstead>,
    /// Python only.
    pub type_hints: Option<TypeHints>,
    pub has_docstring: Option<bool>,
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
#[derive(Clone, Debug, PartialEq)]
pub struct FileModel {
    pub language: Language,
    pub lines: LineCounts,
    /// Empty when the file has a syntax error: metrics from a recovered tree would be guesses.
    pub functions: Vec<FunctionModel>,
    pub errors: Vec<SourceError>,
    /// Whole-file Halstead counts (none when the file does not parse).
    pub halstead: Option<Halstead>,
    /// Total cyclomatic complexity of the file as its maintainability index uses it.
    pub total_complexity: Option<u32>,
    /// Documented objects of the file (module, classes, functions; Rust: public items).
    pub docstrings: Option<DocCount>,
    pub maintainability: Option<f64>,
    /// Tokens for clone detection, normalised as configured (empty when the file does not parse).
    pub tokens: Vec<DupToken>,
    /// `qgate: ignore[rule]` comments (filled in by the engine, which has the text).
    pub suppressions: Vec<crate::suppress::Suppression>,
}

/// One token for clone detection: a hash of what it stands for (its text, or a placeholder for a
/// normalised identifier or literal) and its 1-based line. Comments and formatting are not tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DupToken {
    pub key: u32,
    pub line: u32,
}

impl FileModel {
    /// A model with line counts only (nothing parsed yet).
    pub fn new(language: Language, lines: LineCounts) -> Self {
        Self {
            language,
            lines,
            functions: Vec::new(),
            errors: Vec::new(),
            halstead: None,
            total_complexity: None,
            docstrings: None,
            maintainability: None,
            tokens: Vec::new(),
            suppressions: Vec::new(),
        }
    }
}
