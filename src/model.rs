//! Language-neutral facts about one source file, produced by a front end.
//!
//! Front ends turn an AST into a [`FileModel`]; everything after them reads only this model, so
//! the AST is dropped as soon as the model is built. The model is a leaf — it imports no other
//! qgate module — and serialisable, so a file's analysis can be stored (a cache) and read back
//! (a shard merge).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The languages qgate analyses.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
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

/// Everything a front end learned about one file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileModel {
    pub language: Language,
    pub lines: LineCounts,
    /// Empty when the file has a syntax error: metrics from a recovered tree would be guesses.
    pub functions: Vec<FunctionModel>,
    pub errors: Vec<SourceError>,
    /// Whole-file Halstead counts (none when the file does not parse).
    pub halstead: Option<HalsteadCounts>,
    /// Total cyclomatic complexity of the file as its maintainability index uses it.
    pub total_complexity: Option<u32>,
    /// radon's blocks (what `radon cc` lists and `-a` averages, xenon's thresholds): Python's
    /// module-level functions, classes and their methods; every Rust fn.
    pub blocks: Option<BlockStats>,
    /// Documented objects of the file (module, classes, functions; Rust: public items).
    pub docstrings: Option<DocCount>,
    /// The objects counted without a docstring, in source order.
    pub missing_docstrings: Vec<MissingDoc>,
    pub maintainability: Option<f64>,
    /// Tokens for clone detection, normalised as configured (empty when the file does not parse).
    pub tokens: Vec<DupToken>,
    /// `qgate: ignore[rule]` comments, in line order.
    pub suppressions: Vec<Suppression>,
    /// The line hash (`metrics::fingerprint`) of each function's first line, by line: what a
    /// finding there is fingerprinted by, kept so the findings join need not read the file
    /// again. Empty when the text is not the file's bytes (a latin-1 file decoded).
    pub line_hashes: Vec<(u32, u64)>,
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
            blocks: None,
            docstrings: None,
            missing_docstrings: Vec::new(),
            maintainability: None,
            tokens: Vec::new(),
            suppressions: Vec::new(),
            line_hashes: Vec::new(),
        }
    }
}

/// Line counts of one file (Python: radon's raw metrics; see docs/metrics.md).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FunctionModel {
    pub name: String,
    /// Dotted (Python: `Class.method`) or path-like (Rust: `Type::method`) name, see docs/metrics.md.
    pub qualified_name: String,
    /// Line of the `def` / `fn` keyword (not of decorators or attributes), 1-based.
    pub line: u32,
    pub end_line: u32,
    pub cyclomatic: u32,
    pub cognitive: Option<u32>,
    pub halstead: Option<HalsteadCounts>,
    /// Python only.
    pub type_hints: Option<TypeHints>,
    pub has_docstring: Option<bool>,
}

/// Count, sum and maximum of the cyclomatic complexity of a file's blocks.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct BlockStats {
    pub count: u32,
    pub total: u32,
    pub max: u32,
}

impl BlockStats {
    pub fn add(&mut self, complexity: u32) {
        self.count += 1;
        self.total += complexity;
        self.max = self.max.max(complexity);
    }
}

/// Halstead counts of one block: distinct and total operators (`h1`, `N1`) and operands (`h2`,
/// `N2`). The derived measures are `metrics::halstead`'s job.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct HalsteadCounts {
    pub distinct_operators: u32,
    pub distinct_operands: u32,
    pub operators: u32,
    pub operands: u32,
}

/// Annotation facts of one Python function.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct TypeHints {
    pub params: u32,
    pub annotated_params: u32,
    /// `None` when the return is not a slot (`__init__`).
    pub returns_annotated: Option<bool>,
}

impl TypeHints {
    pub fn slots(&self) -> u32 {
        self.params + u32::from(self.returns_annotated.is_some())
    }

    pub fn annotated(&self) -> u32 {
        self.annotated_params + u32::from(self.returns_annotated == Some(true))
    }

    /// Every slot annotated (vacuously true without slots).
    pub fn complete(&self) -> bool {
        self.annotated() == self.slots()
    }
}

/// Documented objects / all objects.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct DocCount {
    pub documented: u32,
    pub total: u32,
}

impl DocCount {
    pub fn add(&mut self, documented: bool) {
        self.total += 1;
        self.documented += u32::from(documented);
    }

    pub fn percent(&self) -> Option<f64> {
        (self.total > 0).then(|| f64::from(self.documented) / f64::from(self.total) * 100.0)
    }
}

/// An object that counts for docstring coverage and has no docstring.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MissingDoc {
    pub kind: DocKind,
    /// Qualified (`Class.method`; Rust `Type::method`), or the file name for a module.
    pub name: String,
    pub line: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Module,
    Class,
    Function,
    /// A Rust `pub` struct, enum, trait or module.
    Item,
}

/// A problem with the file's content, located in the file (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SourceError {
    pub kind: SourceErrorKind,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
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

/// One token for clone detection: a hash of what it stands for (its text, or a placeholder for a
/// normalised identifier or literal) and its 1-based line. Comments and formatting are not tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DupToken {
    pub key: u32,
    pub line: u32,
}

/// The rules one line's `qgate: ignore[rule, …]` comment suppresses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Suppression {
    pub line: u32,
    pub rules: Vec<String>,
}

/// Why a discovered file was not analysed. The names are stable: they appear in the JSON report.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    Binary,
    NotUtf8,
    UnsupportedEncoding,
    TooLarge,
    TooDeeplyNested,
    NotARegularFile,
    Symlink,
    /// A Git LFS pointer checked out instead of the content (W10).
    LfsPointer,
    IoError,
    InternalError,
}

impl SkipReason {
    /// Skips that mean qgate itself failed, so no verdict can be trusted.
    pub fn is_internal(self) -> bool {
        self == Self::InternalError
    }
}

/// A file that was not analysed, with a readable reason (and a location when one is known).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Skip {
    pub reason: SkipReason,
    pub message: String,
}

impl Skip {
    pub fn new(reason: SkipReason, message: impl Into<String>) -> Self {
        Self {
            reason,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_survives_a_json_round_trip() {
        let mut model = FileModel::new(
            Language::Python,
            LineCounts {
                lines: 3,
                sloc: 2,
                lloc: Some(2),
                ..LineCounts::default()
            },
        );
        model.functions.push(FunctionModel {
            name: "f".into(),
            qualified_name: "A.f".into(),
            line: 2,
            end_line: 3,
            cyclomatic: 2,
            cognitive: Some(1),
            halstead: Some(HalsteadCounts {
                distinct_operators: 1,
                distinct_operands: 2,
                operators: 1,
                operands: 2,
            }),
            type_hints: Some(TypeHints {
                params: 1,
                annotated_params: 0,
                returns_annotated: None,
            }),
            has_docstring: Some(false),
        });
        model.suppressions.push(Suppression {
            line: 3,
            rules: vec!["B101".into()],
        });
        model.tokens.push(DupToken { key: 7, line: 2 });
        model.maintainability = Some(71.25);
        let json = serde_json::to_string(&model).unwrap();
        assert_eq!(serde_json::from_str::<FileModel>(&json).unwrap(), model);
    }

    #[test]
    fn type_hint_slots() {
        let h = TypeHints {
            params: 5,
            annotated_params: 2,
            returns_annotated: Some(true),
        };
        assert_eq!((h.slots(), h.annotated(), h.complete()), (6, 3, false));
        let init = TypeHints::default();
        assert_eq!((init.slots(), init.complete()), (0, true));
    }
}
