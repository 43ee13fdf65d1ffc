//! A file's report entry from its model: what the front end found, in the report's terms
//! (rounded, with rank letters). Joins add coverage, duplication and findings afterwards.

use super::summarize::{docstrings_summary, type_hints_summary};
use super::{DocstringsSummary, FileError, FileReport, FindingCounts, FunctionReport, round2};
use crate::metrics::maintainability;
use crate::metrics::rank::cyclomatic_rank;
use crate::model::{FileModel, FunctionModel, Language};

/// The entry for the file at `path`. Its functions and suppressions move into the entry (the
/// findings join reads the suppressions); the clone tokens stay with the model.
pub fn file_report(path: &str, model: &mut FileModel) -> FileReport {
    let python = model.language == Language::Python;
    let functions: Vec<FunctionReport> = std::mem::take(&mut model.functions)
        .into_iter()
        .map(function_report)
        .collect();
    let type_hints = (python && model.errors.is_empty()).then(|| type_hints_summary(&functions));
    FileReport {
        path: path.to_owned(),
        language: model.language,
        lines: model.lines.lines,
        sloc: model.lines.sloc,
        lloc: model.lines.lloc,
        comments: model.lines.comments,
        blank: model.lines.blank,
        multi: model.lines.multi,
        single_comments: model.lines.single_comments,
        maintainability: model.maintainability.map(round2),
        maintainability_rank: model
            .maintainability
            .map(|mi| maintainability::rank(mi).to_string()),
        total_complexity: model.total_complexity,
        blocks: model.blocks,
        halstead: model.halstead.map(Into::into),
        docstrings: model.docstrings.map(|count| DocstringsSummary {
            missing: std::mem::take(&mut model.missing_docstrings),
            ..docstrings_summary(count)
        }),
        type_hints,
        duplicated_lines: None,
        clone_tokens: None,
        fingerprints: None,
        coverage: None,
        errors: model
            .errors
            .iter()
            .map(|e| FileError {
                kind: e.kind.as_str().to_owned(),
                line: e.line,
                column: e.column,
                message: e.message.clone(),
            })
            .collect(),
        findings: FindingCounts::default(),
        type_errors: None,
        functions,
        suppressions: std::mem::take(&mut model.suppressions),
    }
}

fn function_report(f: FunctionModel) -> FunctionReport {
    FunctionReport {
        name: f.name,
        qualified_name: f.qualified_name,
        line: f.line,
        end_line: f.end_line,
        cyclomatic: f.cyclomatic,
        rank: cyclomatic_rank(f.cyclomatic).to_string(),
        cognitive: f.cognitive,
        halstead: f.halstead.map(Into::into),
        coverage: None,
        params: f.type_hints.map(|h| h.params),
        annotated_params: f.type_hints.map(|h| h.annotated_params),
        returns_annotated: f.type_hints.and_then(|h| h.returns_annotated),
        has_docstring: f.has_docstring,
    }
}
