//! The summary, derived from the report's per-file data, findings and inputs — the one place it
//! is computed. The joins never touch it, so a merged or re-read report summarises exactly as
//! the run that made it: every total here comes from values the JSON report itself carries.

use std::collections::HashMap;

use super::{
    Average, BlockSummary, CloneGroup, CoverageCounts, CoverageSummary, DocstringsSummary,
    DuplicationSummary, FileReport, Finding, FindingCounts, FunctionReport, InputKind,
    PylintSummary, Report, SecuritySummary, Severity, Stat, Summary, TypeErrorsSummary,
    TypeHintsSummary, VulnerabilitiesSummary, WarningTopic, round2,
};
use crate::model::{Language, TypeHints};

/// The part of a report a summary is taken over: all of it, or the files a gate's scope
/// selects and what lies in them (their findings, the clones touching them).
pub struct View<'a> {
    pub report: &'a Report,
    pub files: Vec<&'a FileReport>,
    pub findings: Vec<&'a Finding>,
    pub clones: Vec<&'a CloneGroup>,
    /// Clone groups counted but not listed (`[duplication] max-reported-clones`).
    pub omitted_clones: u32,
    pub skipped: usize,
    /// The files are narrowed to a change (see `new_code`): offenders speak of changed lines.
    pub new_code: bool,
    /// A baseline's offenders the gates do not count (`gate::forgive`): offender lists leave
    /// these functions out.
    pub known: Option<&'a super::KnownOffenders>,
}

impl<'a> View<'a> {
    pub fn all(report: &'a Report) -> Self {
        Self {
            report,
            files: report.files.iter().collect(),
            findings: report.findings.iter().collect(),
            clones: report.duplication.clones.iter().collect(),
            omitted_clones: report.duplication.omitted_clones,
            skipped: report.skipped.len(),
            new_code: false,
            known: None,
        }
    }

    /// The files whose path `in_scope` accepts, and what lies in them.
    pub fn scoped(report: &'a Report, in_scope: impl Fn(&str) -> bool) -> Self {
        Self {
            report,
            files: report.files.iter().filter(|f| in_scope(&f.path)).collect(),
            findings: report
                .findings
                .iter()
                .filter(|f| in_scope(&f.path))
                .collect(),
            clones: report
                .duplication
                .clones
                .iter()
                .filter(|c| c.fragments.iter().any(|f| in_scope(&f.path)))
                .collect(),
            omitted_clones: 0,
            skipped: report.skipped.iter().filter(|s| in_scope(&s.path)).count(),
            new_code: false,
            known: None,
        }
    }
}

/// Fills `report.summary` and each file's finding counts from everything else in the report.
pub fn summarize(report: &mut Report) {
    let counts = finding_counts(report.findings.iter());
    let mypy = report.inputs.given(&[InputKind::Mypy]);
    let mut type_errors: HashMap<&str, u32> = HashMap::new();
    for f in report.findings.iter().filter(|f| is_type_error(f)) {
        *type_errors.entry(f.path.as_str()).or_default() += 1;
    }
    let type_errors: HashMap<String, u32> = type_errors
        .into_iter()
        .map(|(p, n)| (p.to_owned(), n))
        .collect();
    for file in &mut report.files {
        file.findings = counts.get(file.path.as_str()).copied().unwrap_or_default();
        file.type_errors = mypy.then(|| type_errors.get(&file.path).copied().unwrap_or(0));
    }
    report.summary = summary_of(&View::all(report));
    report.summary.new_code = super::new_code::new_code_summary(report);
}

/// The summary of what `view` holds.
pub fn summary_of(view: &View<'_>) -> Summary {
    let findings = finding_totals(view);
    let files = &view.files;
    let functions: Vec<&FunctionReport> = files.iter().flat_map(|f| &f.functions).collect();
    let cyclomatic: Vec<u32> = functions.iter().map(|f| f.cyclomatic).collect();
    let cognitive: Vec<u32> = functions.iter().filter_map(|f| f.cognitive).collect();
    let count = |lang: Language| files.iter().filter(|f| f.language == lang).count() as u32;
    let sum = |field: fn(&FileReport) -> u32| files.iter().map(|f| field(f)).sum::<u32>();
    let mut docs = crate::model::DocCount::default();
    for d in files.iter().filter_map(|f| f.docstrings.as_ref()) {
        docs.documented += d.documented;
        docs.total += d.total;
    }
    Summary {
        files: files.len() as u32,
        python_files: count(Language::Python),
        rust_files: count(Language::Rust),
        functions: functions.len() as u32,
        lines: sum(|f| f.lines),
        sloc: sum(|f| f.sloc),
        comments: sum(|f| f.comments),
        blank: sum(|f| f.blank),
        parse_errors: files.iter().filter(|f| !f.errors.is_empty()).count() as u32,
        skipped: view.skipped as u32,
        complexity: stat(&cyclomatic, "a cyclomatic complexity"),
        complexity_blocks: blocks(files),
        cognitive: stat(&cognitive, "a cognitive complexity"),
        maintainability: maintainability(files),
        duplication: duplication(view),
        coverage: coverage(view),
        type_hints: type_hints_summary(functions.iter().copied()),
        docstrings: docstrings_summary(docs),
        security: security(view),
        pylint: pylint(view.report),
        type_errors: type_errors(view),
        vulnerabilities: vulnerabilities(view),
        findings,
        new_code: None,
        grade: None,
    }
}

/// Severity counts of every finding in `view`.
pub(crate) fn finding_totals(view: &View<'_>) -> FindingCounts {
    finding_counts(view.findings.iter().copied())
        .values()
        .fold(FindingCounts::default(), |t, c| FindingCounts {
            high: t.high + c.high,
            medium: t.medium + c.medium,
            low: t.low + c.low,
        })
}

fn finding_counts<'a>(
    findings: impl Iterator<Item = &'a Finding>,
) -> HashMap<&'a str, FindingCounts> {
    let mut counts: HashMap<&str, FindingCounts> = HashMap::new();
    for f in findings {
        let c = counts.entry(f.path.as_str()).or_default();
        match f.severity {
            Severity::High => c.high += 1,
            Severity::Medium => c.medium += 1,
            Severity::Low => c.low += 1,
        }
    }
    counts
}

/// radon's blocks over the files: the mean of every block (`radon cc -a`), the largest, and
/// the largest mean of one file's blocks (a file without blocks has mean 0, as xenon counts it).
fn blocks(files: &[&FileReport]) -> BlockSummary {
    let with: Vec<crate::model::BlockStats> = files.iter().filter_map(|f| f.blocks).collect();
    let count: u32 = with.iter().map(|b| b.count).sum();
    if with.is_empty() {
        return BlockSummary {
            reason: Some("no file with complexity blocks".to_owned()),
            ..BlockSummary::default()
        };
    }
    let total: u64 = with.iter().map(|b| u64::from(b.total)).sum();
    let module_average = |b: &crate::model::BlockStats| {
        if b.count == 0 {
            0.0
        } else {
            f64::from(b.total) / f64::from(b.count)
        }
    };
    BlockSummary {
        blocks: count,
        average: Some(if count == 0 {
            0.0
        } else {
            round2(total as f64 / f64::from(count))
        }),
        max: Some(with.iter().map(|b| b.max).max().unwrap_or(0)),
        max_module_average: with.iter().map(module_average).reduce(f64::max).map(round2),
        reason: None,
    }
}

/// Mean and maximum of per-function values; `null` with a reason when there are none.
fn stat(values: &[u32], what: &str) -> Stat<u32> {
    if values.is_empty() {
        return Stat {
            average: None,
            max: Some(0),
            reason: Some(format!("no functions with {what}")),
        };
    }
    let total: u64 = values.iter().map(|&v| u64::from(v)).sum();
    Stat {
        average: Some(round2(total as f64 / values.len() as f64)),
        max: values.iter().copied().max(),
        reason: None,
    }
}

/// The mean of the files' maintainability indexes as the report lists them (two decimals).
fn maintainability(files: &[&FileReport]) -> Average {
    let mi: Vec<f64> = files.iter().filter_map(|f| f.maintainability).collect();
    if mi.is_empty() {
        return Average {
            average: None,
            reason: Some("no file with a maintainability index".to_owned()),
        };
    }
    Average {
        average: Some(round2(mi.iter().sum::<f64>() / mi.len() as f64)),
        reason: None,
    }
}

/// Duplicated lines (both sides of every clone) over the lines of files that take part in
/// clone detection (those with a `duplicated_lines` value).
fn duplication(view: &View<'_>) -> DuplicationSummary {
    duplication_with(view, |f| f.duplicated_lines)
}

/// [`duplication`] with each file's duplicated lines given by `duplicated_lines`.
pub(crate) fn duplication_with(
    view: &View<'_>,
    duplicated_lines: impl Fn(&FileReport) -> Option<u32>,
) -> DuplicationSummary {
    let taking_part = || view.files.iter().filter(|f| f.duplicated_lines.is_some());
    let total_lines: u64 = taking_part().map(|f| u64::from(f.lines)).sum();
    let duplicated: u64 = taking_part()
        .filter_map(|f| duplicated_lines(f))
        .map(u64::from)
        .sum();
    // jscpd leaves out files with fewer tokens than `min-tokens`, and counts each pair once.
    let min_tokens = view.report.duplication.min_tokens;
    let jscpd_lines: u64 = taking_part()
        .filter(|f| f.clone_tokens.is_some_and(|t| t >= min_tokens))
        .map(|f| u64::from(f.lines))
        .sum();
    let jscpd_duplicated: u64 = view
        .clones
        .iter()
        .map(|c| u64::from(c.occurrences.saturating_sub(1)) * u64::from(c.lines))
        .sum();
    DuplicationSummary {
        percent: (total_lines > 0).then(|| round2(duplicated as f64 / total_lines as f64 * 100.0)),
        duplicated_lines: Some(duplicated as u32),
        clones: Some(view.clones.len() as u32 + view.omitted_clones),
        jscpd_percent: (jscpd_lines > 0)
            .then(|| round2(jscpd_duplicated as f64 / jscpd_lines as f64 * 100.0)),
        jscpd_duplicated_lines: Some(jscpd_duplicated as u32),
        reason: (total_lines == 0).then(|| "no lines take part in clone detection".to_owned()),
    }
}

/// Totals over the files with coverage data, as coverage.py computes its TOTAL.
fn coverage(view: &View<'_>) -> CoverageSummary {
    let report = view.report;
    let inputs = &report.inputs;
    if !inputs.given(&[InputKind::Coverage]) {
        return CoverageSummary {
            reason: Some("no coverage report given (--coverage FILE)".to_owned()),
            ..CoverageSummary::default()
        };
    }
    let mut total = CoverageCounts::default();
    let mut min_file: Option<f64> = None;
    for c in view.files.iter().filter_map(|f| f.coverage.as_ref()) {
        total.add(CoverageCounts {
            lines_valid: c.lines_valid,
            lines_covered: c.lines_covered,
            branches_valid: c.branches_valid,
            branches_covered: c.branches_covered,
        });
        if let Some(p) = c.percent {
            min_file = Some(min_file.map_or(p, |m: f64| m.min(p)));
        }
    }
    let mapping = inputs.coverage_mapping.clone().unwrap_or_default();
    CoverageSummary {
        percent: total.percent().map(round2),
        line_percent: total.line_percent().map(round2),
        branch_percent: total.branch_percent().map(round2),
        lines_valid: Some(total.lines_valid),
        lines_covered: Some(total.lines_covered),
        branches_valid: Some(total.branches_valid),
        branches_covered: Some(total.branches_covered),
        min_file_percent: min_file,
        reports: inputs
            .reports
            .iter()
            .filter(|r| r.kind == InputKind::Coverage)
            .map(|r| r.path.clone())
            .collect(),
        matched_entries: Some(mapping.matched),
        outside_entries: Some(mapping.outside),
        ambiguous_entries: Some(mapping.ambiguous),
        not_found_entries: Some(mapping.not_found),
        unmatched: mapping.unmatched,
        warnings: warnings(report, WarningTopic::Coverage),
        reason: total
            .percent()
            .is_none()
            .then(|| "the coverage reports list no executable line".to_owned()),
    }
}

fn warnings(report: &Report, topic: WarningTopic) -> Vec<String> {
    report
        .inputs
        .warnings
        .iter()
        .filter(|w| w.topic == topic)
        .map(|w| w.message.clone())
        .collect()
}

/// Severity counts of the findings that count for security, once a security report is given.
pub(crate) fn security(view: &View<'_>) -> SecuritySummary {
    let report = view.report;
    let warnings = warnings(report, WarningTopic::Findings);
    if !report.inputs.given(&[InputKind::Bandit, InputKind::Sarif]) {
        return SecuritySummary {
            warnings,
            reason: Some(
                "no Bandit or SARIF report given (--bandit FILE, --sarif FILE)".to_owned(),
            ),
            ..SecuritySummary::default()
        };
    }
    let count = |s: Severity| {
        Some(
            view.findings
                .iter()
                .filter(|f| f.security && f.severity == s)
                .count() as u32,
        )
    };
    SecuritySummary {
        high: count(Severity::High),
        medium: count(Severity::Medium),
        low: count(Severity::Low),
        warnings,
        reason: None,
    }
}

/// The dependency audits' findings in the view, counted as `[vulnerabilities]` says.
fn vulnerabilities(view: &View<'_>) -> VulnerabilitiesSummary {
    let inputs = &view.report.inputs;
    if !inputs.given(&[InputKind::PipAudit, InputKind::CargoAudit]) {
        return VulnerabilitiesSummary {
            reason: Some(
                "no dependency audit given (--pip-audit FILE, --cargo-audit FILE)".to_owned(),
            ),
            ..VulnerabilitiesSummary::default()
        };
    }
    let advisories: Vec<&super::AdvisoryInfo> = view
        .findings
        .iter()
        .filter_map(|f| f.advisory.as_ref())
        .collect();
    let vulnerable = || advisories.iter().filter(|a| a.category == "vulnerability");
    let vulnerabilities = vulnerable().count() as u32;
    let fixable = vulnerable().filter(|a| !a.fix_versions.is_empty()).count() as u32;
    let warnings = advisories.len() as u32 - vulnerabilities;
    let policy = &inputs.audit;
    let counted = if policy.fixable_only {
        fixable
    } else {
        vulnerabilities
    };
    VulnerabilitiesSummary {
        count: Some(counted + if policy.include_warnings { warnings } else { 0 }),
        vulnerabilities: Some(vulnerabilities),
        fixable: Some(fixable),
        warnings: Some(warnings),
        allowed: Some(policy.allowed.len() as u32),
        reason: None,
    }
}

/// A mypy message of severity `error` (what mypy's own summary counts).
fn is_type_error(f: &Finding) -> bool {
    f.source == "mypy" && f.severity == Severity::High
}

/// mypy's errors in the view, once a mypy report is given.
fn type_errors(view: &View<'_>) -> TypeErrorsSummary {
    if !view.report.inputs.given(&[InputKind::Mypy]) {
        return TypeErrorsSummary {
            reason: Some("no mypy report given (--mypy FILE)".to_owned()),
            ..TypeErrorsSummary::default()
        };
    }
    let errors: Vec<&&Finding> = view.findings.iter().filter(|f| is_type_error(f)).collect();
    let files: std::collections::HashSet<&str> = errors.iter().map(|f| f.path.as_str()).collect();
    TypeErrorsSummary {
        errors: Some(errors.len() as u32),
        files: Some(files.len() as u32),
        reason: None,
    }
}

fn pylint(report: &Report) -> PylintSummary {
    let inputs = &report.inputs;
    if !inputs.given(&[InputKind::Pylint]) {
        return PylintSummary {
            reason: Some("no pylint report given (--pylint FILE)".to_owned()),
            ..PylintSummary::default()
        };
    }
    PylintSummary {
        score: inputs.pylint_score,
        messages: inputs.pylint_messages,
        reason: inputs
            .pylint_score
            .is_none()
            .then(|| "the pylint report has no score (nothing linted)".to_owned()),
    }
}

/// Documented objects over all objects; `null` with a reason when there is nothing to document.
pub fn docstrings_summary(count: crate::model::DocCount) -> DocstringsSummary {
    DocstringsSummary {
        percent: count.percent().map(round2),
        documented: count.documented,
        total: count.total,
        reason: (count.total == 0).then(|| "nothing to document".to_owned()),
        missing: Vec::new(),
    }
}

/// Annotated slots over slots, and fully annotated functions, of the Python functions among
/// `functions`.
pub fn type_hints_summary<'a>(
    functions: impl IntoIterator<Item = &'a FunctionReport>,
) -> TypeHintsSummary {
    let mut s = TypeHintsSummary::default();
    for hints in functions.into_iter().filter_map(FunctionReport::type_hints) {
        s.slots += hints.slots();
        s.annotated += hints.annotated();
        s.functions += 1;
        s.fully_annotated += u32::from(hints.complete());
    }
    s.percent = percent(s.annotated, s.slots);
    s.fully_annotated_percent = percent(s.fully_annotated, s.functions);
    if s.slots == 0 {
        s.reason = Some("no Python function parameters or returns to annotate".to_owned());
    }
    s
}

fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| round2(f64::from(part) / f64::from(whole) * 100.0))
}

impl FunctionReport {
    /// The annotation facts the report lists for a Python function.
    pub fn type_hints(&self) -> Option<TypeHints> {
        Some(TypeHints {
            params: self.params?,
            annotated_params: self.annotated_params?,
            returns_annotated: self.returns_annotated,
        })
    }
}
