//! New code as a narrowed copy of the report: the changed files, holding only their changed
//! functions (a function is changed when a changed line falls inside it), their coverage
//! restricted to changed lines (diff coverage, as diff-cover counts it), their duplicated changed
//! lines, and the findings and clones on changed lines. The new-code gates and
//! `summary.new_code` summarise it with the same `summary_of` as the whole report, so a
//! new-code gate means exactly what its whole-repository twin means, on less code.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{
    CoverageCounts, DocstringsSummary, FileCoverage, FileReport, Finding, FindingCounts,
    LineRanges, NewCodePolicy, Report, ScopeMode, SecuritySummary, Stat, Summary, TypeHintsSummary,
    View, round2, summarize::docstrings_summary, summary_of,
};
use crate::model::{DocCount, DocKind, MissingDoc};

/// The changed files of a report, narrowed to what changed.
pub struct NewCode {
    pub files: Vec<FileReport>,
}

impl NewCode {
    /// The changed files `in_scope` accepts.
    pub fn of(report: &Report, in_scope: impl Fn(&str) -> bool) -> Self {
        let mut fragments: HashMap<&str, Vec<[u32; 2]>> = HashMap::new();
        for clone in &report.duplication.clones {
            for f in &clone.fragments {
                fragments
                    .entry(f.path.as_str())
                    .or_default()
                    .push([f.start_line, f.end_line]);
            }
        }
        let policy = &report.scope.policy;
        let files = report
            .files
            .iter()
            .filter(|f| in_scope(&f.path))
            .filter_map(|file| {
                let changed = report.scope.files.get(&file.path)?;
                let in_clones = fragments.get(file.path.as_str()).map_or(&[][..], |v| v);
                Some(narrow(file, changed, in_clones, policy))
            })
            .collect();
        Self { files }
    }

    /// The view the new-code gates summarise: these files, and the findings (of other tools;
    /// qgate's own complexity findings are the complexity gates' business) and clones on
    /// changed lines.
    pub fn view<'a>(&'a self, report: &'a Report) -> View<'a> {
        let scope = &report.scope;
        let kept = |path: &str| self.files.iter().any(|f| f.path == path);
        View {
            report,
            files: self.files.iter().collect(),
            findings: report
                .findings
                .iter()
                .filter(|f| f.source != "qgate" && kept(&f.path) && touches(scope, f))
                .collect(),
            clones: report
                .duplication
                .clones
                .iter()
                .filter(|c| {
                    c.fragments.iter().any(|f| {
                        kept(&f.path) && scope.touches_range(&f.path, f.start_line, f.end_line)
                    })
                })
                .collect(),
            omitted_clones: 0,
            skipped: 0,
            new_code: true,
            known: None,
        }
    }
}

fn touches(scope: &super::Scope, f: &Finding) -> bool {
    scope.touches_range(&f.path, f.line, f.end_line.unwrap_or(f.line).max(f.line))
}

/// One changed file, narrowed to its changed lines.
fn narrow(
    file: &FileReport,
    changed: &LineRanges,
    in_clones: &[[u32; 2]],
    policy: &NewCodePolicy,
) -> FileReport {
    let touched = |first: u32, last: u32| changed.0.iter().any(|[a, b]| *a <= last && first <= *b);
    let functions: Vec<_> = file
        .functions
        .iter()
        .filter(|f| touched(f.line, f.end_line))
        .cloned()
        .collect();
    let mut narrowed = FileReport {
        functions,
        lines: changed.count(),
        sloc: changed.count(),
        comments: 0,
        blank: 0,
        duplicated_lines: file
            .duplicated_lines
            .map(|_| changed.lines().filter(|&l| inside(in_clones, l)).count() as u32),
        coverage: file
            .coverage
            .as_ref()
            .map(|c| diff_coverage(c, changed, policy.branch_coverage)),
        suppressions: Vec::new(),
        ..file.clone()
    };
    narrowed.type_hints = Some(super::summarize::type_hints_summary(&narrowed.functions));
    narrowed.docstrings = Some(changed_docstrings(file, &narrowed));
    narrowed
}

fn inside(ranges: &[[u32; 2]], line: u32) -> bool {
    ranges.iter().any(|[a, b]| (*a..=*b).contains(&line))
}

/// Coverage of the changed lines as diff-cover counts it: a changed line the report measures
/// is coverable; it is covered when it ran (and, with `branch_coverage`, when every branch from
/// it was taken). Branches are not counted separately.
fn diff_coverage(c: &FileCoverage, changed: &LineRanges, branch_coverage: bool) -> FileCoverage {
    let missing: std::collections::HashSet<u32> = c.missing_lines.iter().copied().collect();
    let partial: std::collections::HashSet<u32> = c
        .branches
        .iter()
        .filter(|[_, taken, total]| taken < total)
        .map(|[line, _, _]| *line)
        .collect();
    let (mut violations, mut covered) = (Vec::new(), Vec::new());
    for line in changed.lines() {
        if missing.contains(&line) {
            violations.push(line);
        } else if c.covered_lines.contains(line) {
            if branch_coverage && partial.contains(&line) {
                violations.push(line);
            } else {
                covered.push(line);
            }
        }
    }
    let counts = CoverageCounts {
        lines_valid: (violations.len() + covered.len()) as u32,
        lines_covered: covered.len() as u32,
        branches_valid: 0,
        branches_covered: 0,
    };
    FileCoverage {
        percent: counts.percent().map(round2),
        line_percent: counts.line_percent().map(round2),
        branch_percent: None,
        lines_valid: counts.lines_valid,
        lines_covered: counts.lines_covered,
        branches_valid: 0,
        branches_covered: 0,
        missing_lines: violations,
        covered_lines: LineRanges::from_ascending(covered),
        branches: c
            .branches
            .iter()
            .filter(|[line, _, _]| changed.contains(*line))
            .copied()
            .collect(),
        unreported: c.unreported,
    }
}

/// Docstrings of the changed functions: documented ones, and those the file's own count lists
/// as missing (so `[docstrings]` options that leave a function out leave it out here too).
fn changed_docstrings(file: &FileReport, narrowed: &FileReport) -> DocstringsSummary {
    let listed: Vec<&MissingDoc> = file
        .docstrings
        .iter()
        .flat_map(|d| &d.missing)
        .filter(|m| matches!(m.kind, DocKind::Function | DocKind::Item))
        .collect();
    let mut count = DocCount::default();
    let mut missing = Vec::new();
    for f in &narrowed.functions {
        if f.has_docstring == Some(true) {
            count.documented += 1;
            count.total += 1;
        } else if let Some(m) = listed.iter().find(|m| m.line == f.line) {
            count.total += 1;
            missing.push((*m).clone());
        }
    }
    DocstringsSummary {
        missing,
        ..docstrings_summary(count)
    }
}

/// The summary of new code: `summary_of` the view, with diff coverage rounded as the policy
/// says and reasons that speak of the change.
pub fn summary(view: &View<'_>) -> Summary {
    let mut s = summary_of(view);
    let policy = &view.report.scope.policy;
    match (s.coverage.lines_valid, s.coverage.lines_covered) {
        (Some(valid), Some(covered)) if valid > 0 => {
            // diff-cover's arithmetic: covered / measured × 100, then int() or round(…, 2).
            let exact = f64::from(covered) / f64::from(valid) * 100.0;
            s.coverage.percent = Some(if policy.total_percent_float {
                round2(exact)
            } else {
                exact.trunc()
            });
        }
        (Some(_), _) => {
            s.coverage.percent = None;
            s.coverage.reason =
                Some("no changed line is in the coverage report(s): nothing to cover".to_owned());
        }
        // No coverage report: the reason says so already.
        _ => {}
    }
    s.coverage.branch_percent = None;
    if s.functions == 0 {
        let none = || Stat {
            average: None,
            max: None,
            reason: Some("no function changed".to_owned()),
        };
        s.complexity = none();
        s.cognitive = none();
    }
    s
}

/// `summary.new_code`: what the change adds, in the terms of the new-code gates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewCodeSummary {
    /// Changed analysed files and their changed lines.
    pub files: u32,
    pub changed_lines: u32,
    /// Functions with a changed line.
    pub functions: u32,
    pub coverage: DiffCoverage,
    pub complexity: Stat<u32>,
    pub cognitive: Stat<u32>,
    pub duplication: NewDuplication,
    pub type_hints: TypeHintsSummary,
    pub docstrings: DocstringsSummary,
    /// Other tools' findings on changed lines, per severity.
    pub findings: FindingCounts,
    pub security: SecuritySummary,
}

/// Diff coverage: covered changed lines / changed lines the coverage reports measure.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DiffCoverage {
    /// As the new-coverage gate compares it: truncated to a whole percent (diff-cover's
    /// default), or two decimals with `total-percent-float`.
    pub percent: Option<f64>,
    pub covered_lines: u32,
    pub coverable_lines: u32,
    /// The lowest diff coverage of one changed file (two decimals).
    pub min_file_percent: Option<f64>,
    pub branch_coverage: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewDuplication {
    /// Changed lines inside a clone fragment / changed lines (SonarQube's
    /// `new_duplicated_lines_density`).
    pub percent: Option<f64>,
    pub duplicated_lines: Option<u32>,
    /// Clone groups with a fragment on changed lines.
    pub clones: Option<u32>,
}

impl NewCodeSummary {
    pub fn of(s: &Summary, report: &Report) -> Self {
        Self {
            files: s.files,
            changed_lines: report.scope.changed_lines,
            functions: s.functions,
            coverage: DiffCoverage {
                percent: s.coverage.percent,
                covered_lines: s.coverage.lines_covered.unwrap_or(0),
                coverable_lines: s.coverage.lines_valid.unwrap_or(0),
                min_file_percent: s.coverage.min_file_percent,
                branch_coverage: report.scope.policy.branch_coverage,
                reason: s.coverage.reason.clone(),
            },
            complexity: s.complexity.clone(),
            cognitive: s.cognitive.clone(),
            duplication: NewDuplication {
                percent: s.duplication.percent,
                duplicated_lines: s.duplication.duplicated_lines,
                clones: s.duplication.clones,
            },
            type_hints: s.type_hints.clone(),
            docstrings: DocstringsSummary {
                missing: Vec::new(),
                ..s.docstrings.clone()
            },
            findings: s.findings,
            security: s.security.clone(),
        }
    }
}

/// `summary.new_code` of a report whose scope is a change; None for the whole tree.
pub fn new_code_summary(report: &Report) -> Option<NewCodeSummary> {
    if report.scope.mode == ScopeMode::All {
        return None;
    }
    let new_code = NewCode::of(report, |_| true);
    let s = summary(&new_code.view(report));
    Some(NewCodeSummary::of(&s, report))
}
