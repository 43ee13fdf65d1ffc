//! The new-code scope: which lines of the analysed files a change adds or modifies
//! (`--base REF`, `--staged`), read from git, recorded in `report.scope` for the new-code gates.

pub mod git;
mod lines;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub use git::{GitError, Request};

use crate::gate::config::Scope as GateScope;
use crate::report::{LineRanges, NewCodePolicy, Report, ScopeMode};

/// `--base`/`--staged` and `[new-code]`, resolved.
#[derive(Clone, Debug, Default)]
pub struct NewCodeSettings {
    /// None: no change is asked for; the new-code gates are not evaluated.
    pub request: Option<Request>,
    pub policy: NewCodePolicy,
    /// `GITHUB_BASE_REF`, read once by the settings.
    pub github_base_ref: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScopeError {
    #[error("{0}")]
    Git(#[from] GitError),
    /// R20: the coverage reports and the change share no file.
    #[error(
        "{reports}: 0 of {changed} changed source files are in the coverage report(s), a path mapping problem? changed: {changed_examples}; in the report: {report_examples} — map the report's paths with `[coverage] path-map = [\"<report prefix>=<repository prefix>\"]`, or leave files out of the gate with `[gates.new-coverage] exclude`"
    )]
    NoOverlap {
        /// The coverage reports read, as given.
        reports: String,
        changed: usize,
        changed_examples: String,
        report_examples: String,
    },
}

/// Fills `report.scope` from git. Without a request the scope stays `all`.
pub fn join(report: &mut Report, settings: &NewCodeSettings) -> Result<(), ScopeError> {
    report.scope.policy = settings.policy.clone();
    let Some(request) = &settings.request else {
        return Ok(());
    };
    let lines_of: HashMap<&str, u32> = report
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.lines))
        .collect();
    let changes = git::changes(
        Path::new(&report.root),
        request,
        settings.policy.ignore_whitespace,
        settings.github_base_ref.as_deref(),
        &|path| lines_of.contains_key(path),
    )?;
    let mut files: BTreeMap<String, LineRanges> = BTreeMap::new();
    if changes.every_file_new {
        for (path, &lines) in &lines_of {
            if lines > 0 {
                files.insert((*path).to_owned(), LineRanges(vec![[1, lines]]));
            }
        }
    }
    for (path, ranges) in changes.files {
        let last = lines_of.get(path.as_str()).copied().unwrap_or(0);
        let kept = LineRanges::from_ascending(
            ranges
                .into_iter()
                .flat_map(|[a, b]| a..=b.min(last))
                .filter(|&l| l >= 1),
        );
        if !kept.0.is_empty() {
            files.insert(path, kept);
        }
    }
    let scope = &mut report.scope;
    scope.mode = match request {
        Request::Base(_) => ScopeMode::Base,
        Request::Staged => ScopeMode::Staged,
    };
    scope.base_ref = match request {
        Request::Base(spec) => Some(spec.clone()),
        Request::Staged => None,
    };
    scope.base_commit = changes.base_commit;
    scope.base_from = changes.base_from.map(|b| b.as_str().to_owned());
    scope.changed_lines = files.values().map(LineRanges::count).sum();
    scope.files = files;
    scope.renamed = changes.renamed;
    Ok(())
}

/// R20: with a coverage report given and changed source files in the diff-coverage gate's
/// scope, at least one of them must be in the report — otherwise "no coverable line changed"
/// would pass a change the report simply does not describe (diff-cover's most reported
/// confusion). Test files are left out of the count: coverage is commonly measured without
/// them.
pub fn check_coverage_overlap(report: &Report, gate: &GateScope) -> Result<(), ScopeError> {
    if report.inputs.coverage_mapping.is_none() || report.scope.mode == ScopeMode::All {
        return Ok(());
    }
    let changed: Vec<&str> = report
        .scope
        .files
        .keys()
        .map(String::as_str)
        .filter(|p| gate.contains(p) && !looks_like_a_test(p))
        .collect();
    let has_data = |path: &str| {
        report
            .files
            .iter()
            .find(|f| f.path == path)
            .and_then(|f| f.coverage.as_ref())
            .is_some_and(|c| !c.unreported)
    };
    if changed.is_empty() || changed.iter().any(|p| has_data(p)) {
        return Ok(());
    }
    let mut in_report: Vec<String> = report
        .files
        .iter()
        .filter(|f| f.coverage.as_ref().is_some_and(|c| !c.unreported))
        .map(|f| f.path.clone())
        .take(3)
        .collect();
    if let Some(mapping) = &report.inputs.coverage_mapping {
        for paths in mapping.unmatched.values() {
            in_report.extend(paths.iter().cloned());
        }
    }
    in_report.truncate(3);
    let quoted = |paths: &mut dyn Iterator<Item = String>| {
        let list: Vec<String> = paths.map(|p| format!("`{p}`")).collect();
        if list.is_empty() {
            "none".to_owned()
        } else {
            list.join(", ")
        }
    };
    let reports: Vec<&str> = report
        .inputs
        .reports
        .iter()
        .filter(|r| r.kind == crate::report::InputKind::Coverage)
        .map(|r| r.path.as_str())
        .collect();
    Err(ScopeError::NoOverlap {
        reports: reports.join(", "),
        changed: changed.len(),
        changed_examples: quoted(&mut changed.iter().take(3).map(|p| (*p).to_owned())),
        report_examples: quoted(&mut in_report.into_iter()),
    })
}

/// Test code by the usual conventions: a `tests`/`test` directory, `test_*.py`, `*_test.py`,
/// `conftest.py`; Rust's `tests/`, `benches/` and `examples/`.
fn looks_like_a_test(path: &str) -> bool {
    let mut parts = path.split('/').collect::<Vec<_>>();
    let name = parts.pop().unwrap_or_default();
    parts
        .iter()
        .any(|d| matches!(*d, "tests" | "test" | "benches" | "examples"))
        || name.starts_with("test_")
        || name.ends_with("_test.py")
        || name == "conftest.py"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_files_by_convention() {
        let tests: Vec<bool> = [
            "tests/test_a.py",
            "pkg/test/x.py",
            "test_b.py",
            "pkg/b_test.py",
            "conftest.py",
            "crates/x/benches/b.rs",
            "pkg/testing.py",
            "src/contest.py",
            "src/lib.rs",
        ]
        .iter()
        .map(|p| looks_like_a_test(p))
        .collect();
        assert_eq!(
            tests,
            [true, true, true, true, true, true, false, false, false]
        );
    }
}
