//! Findings other tools produced (Bandit for now): read each report, map its paths onto the
//! repository with the coverage path resolver, attach the enclosing function, and count
//! severities for the security gate.

use std::path::PathBuf;

use crate::ingest::IngestError;
use crate::ingest::bandit::{self, Level};
use crate::ingest::paths::{Resolution, Resolver};
use crate::report::{FileReport, Finding, Report, SecuritySummary, Severity};

/// Bandit scan errors listed in the error message.
const EXAMPLES: usize = 5;

/// What the security inputs are and how strictly they are read.
#[derive(Clone, Debug, Default)]
pub struct SecurityInputs {
    pub bandit: Vec<PathBuf>,
    /// Read a Bandit report that lists files it could not scan (a warning instead of exit 2).
    pub allow_scanner_errors: bool,
    /// Bandit results below this confidence are dropped.
    pub min_confidence: Option<Level>,
}

/// Why the findings cannot be trusted: exit 2.
#[derive(Debug, thiserror::Error)]
pub enum FindingsError {
    #[error("{0}")]
    Read(IngestError),
    #[error(
        "{path}: Bandit could not scan {count} file(s): {examples} — the security gate cannot pass on a partial scan; \
         fix those files (or run Bandit under the Python they are written for), or set \
         `[security] allow-scanner-errors = true`"
    )]
    ScanErrors {
        path: String,
        count: usize,
        examples: String,
    },
}

/// Reads the reports in `inputs` into `report.findings` and `report.summary.security`.
pub fn join(report: &mut Report, inputs: &SecurityInputs) -> Result<(), FindingsError> {
    if inputs.bandit.is_empty() {
        return Ok(());
    }
    let known: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    let resolver = Resolver::new(&report.root, &known, &[]);
    let mut warnings = Vec::new();
    let mut found = Vec::new();
    for path in &inputs.bandit {
        let bandit = bandit::read(path).map_err(FindingsError::Read)?;
        if !bandit.errors.is_empty() {
            let examples: Vec<String> = bandit
                .errors
                .iter()
                .take(EXAMPLES)
                .map(|e| format!("`{}` ({})", e.filename, e.reason))
                .collect();
            let error = FindingsError::ScanErrors {
                path: path.display().to_string(),
                count: bandit.errors.len(),
                examples: examples.join(", "),
            };
            if !inputs.allow_scanner_errors {
                return Err(error);
            }
            warnings.push(error.to_string());
        }
        for result in bandit.results {
            if inputs
                .min_confidence
                .is_some_and(|min| result.issue_confidence < min)
            {
                continue;
            }
            // A finding in a file qgate did not analyse still counts: dropping it could turn a
            // failure into a pass. It keeps Bandit's path and has no function.
            let path = match resolver.resolve(&result.filename, &[]) {
                Resolution::Matched(rel) => rel,
                _ => {
                    let name = result.filename.replace('\\', "/");
                    let name = name.trim_start_matches("./").to_owned();
                    warnings.push(format!(
                        "Bandit finding {} in `{name}`, which qgate did not analyse; counted anyway",
                        result.test_id
                    ));
                    name
                }
            };
            let function = report
                .files
                .iter()
                .find(|f| f.path == path)
                .and_then(|f| enclosing_function(f, result.line_number));
            found.push(Finding {
                rule: result.test_id.clone(),
                source: "bandit".to_owned(),
                severity: result.issue_severity.severity(),
                path,
                line: result.line_number,
                function,
                message: result.issue_text.clone(),
                end_line: Some(result.end_line()),
                confidence: Some(result.issue_confidence.severity()),
                help_url: result.more_info.clone(),
            });
        }
    }
    let count = |s: Severity| found.iter().filter(|f| f.severity == s).count() as u32;
    report.summary.security = SecuritySummary {
        high: Some(count(Severity::High)),
        medium: Some(count(Severity::Medium)),
        low: Some(count(Severity::Low)),
        warnings,
        reason: None,
    };
    report.findings.extend(found);
    Ok(())
}

/// The innermost function whose lines hold `line`.
fn enclosing_function(file: &FileReport, line: u32) -> Option<String> {
    file.functions
        .iter()
        .filter(|f| (f.line..=f.end_line).contains(&line))
        .max_by_key(|f| f.line)
        .map(|f| f.qualified_name.clone())
}
