//! Findings other tools produced (Bandit JSON, SARIF): read each report, map its paths onto the
//! repository with the coverage path resolver, attach the enclosing function, and count
//! severities for the security gate.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use crate::ingest::IngestError;
use crate::ingest::bandit::{self, Level};
use crate::ingest::paths::{Resolution, Resolver};
use crate::ingest::{clippy, pylint, sarif};
use crate::report::{
    FileReport, Finding, FindingCounts, PylintSummary, Report, SecuritySummary, Severity,
};

/// Bandit scan errors listed in the error message.
const EXAMPLES: usize = 5;

/// What the security inputs are and how strictly they are read.
#[derive(Clone, Debug)]
pub struct ExternalReports {
    pub bandit: Vec<PathBuf>,
    /// SARIF logs: every result is a finding; those of security rules also count for the gate.
    pub sarif: Vec<PathBuf>,
    /// pylint json2 reports: messages are findings, the score feeds the `pylint-score` gate.
    pub pylint: Vec<PathBuf>,
    /// `cargo clippy --message-format=json` output: every lint is a finding.
    pub clippy: Vec<PathBuf>,
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
pub fn join(report: &mut Report, inputs: &ExternalReports) -> Result<(), FindingsError> {
    let any_report = !(inputs.bandit.is_empty()
        && inputs.sarif.is_empty()
        && inputs.pylint.is_empty()
        && inputs.clippy.is_empty());
    // The common run: no reports and no suppression comment; only the counts remain to fill.
    if !any_report && report.files.iter().all(|f| f.suppressions.is_empty()) {
        count_per_file(report);
        return Ok(());
    }
    let known: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    let by_path: HashMap<&str, &FileReport> =
        report.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut locator = Locator {
        resolver: Resolver::new(&report.root, &known, &[]),
        files: &by_path,
        resolved: HashMap::new(),
        unanalysed: BTreeMap::new(),
    };
    let mut warnings = Vec::new();
    // Each finding, and whether it counts for the security gate.
    let mut found: Vec<(Finding, bool)> = Vec::new();
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
            let (path, function) = locator.locate("Bandit", &result.filename, result.line_number);
            let finding = Finding {
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
            };
            found.push((finding, true));
        }
    }
    for path in &inputs.sarif {
        for result in sarif::read(path).map_err(FindingsError::Read)? {
            let (path, function) = match &result.path {
                Some(name) => locator.locate(&result.tool, name, result.line),
                None => (NO_LOCATION.to_owned(), None),
            };
            let finding = Finding {
                rule: result.rule,
                source: result.tool,
                severity: result.severity,
                path,
                line: result.line,
                function,
                message: result.message,
                end_line: result.end_line,
                confidence: None,
                help_url: result.help_url,
            };
            found.push((finding, result.security));
        }
    }
    for path in &inputs.clippy {
        for lint in clippy::read(path).map_err(FindingsError::Read)? {
            let (path, function) = locator.locate("clippy", &lint.path, lint.line);
            let finding = Finding {
                rule: lint.rule,
                source: "clippy".to_owned(),
                severity: lint.severity,
                path,
                line: lint.line,
                function,
                message: lint.message,
                end_line: Some(lint.end_line),
                confidence: None,
                help_url: lint.help_url,
            };
            found.push((finding, false));
        }
    }
    let mut pylint_summary = PylintSummary::default();
    for path in &inputs.pylint {
        let pylint = pylint::read(path).map_err(FindingsError::Read)?;
        if let Some(score) = pylint.statistics.score.filter(|s| s.is_finite()) {
            pylint_summary.score = Some(pylint_summary.score.map_or(score, |s: f64| s.min(score)));
        }
        *pylint_summary.messages.get_or_insert(0) += pylint.messages.len() as u32;
        for message in pylint.messages {
            let (path, function) = locator.locate("pylint", &message.path, message.line);
            let finding = Finding {
                rule: message.symbol.clone(),
                source: "pylint".to_owned(),
                severity: message.severity(),
                path,
                line: message.line,
                function,
                message: format!("{} ({})", message.message, message.message_id),
                end_line: message.end_line,
                confidence: None,
                help_url: None,
            };
            found.push((finding, false));
        }
    }
    if !inputs.pylint.is_empty() {
        if pylint_summary.score.is_none() {
            pylint_summary.reason =
                Some("the pylint report has no score (nothing linted)".to_owned());
        }
        // As pylint prints it ("rated at 3.89/10"); the gate compares this value.
        pylint_summary.score = pylint_summary.score.map(crate::report::round2);
        report.summary.pylint = pylint_summary;
    }
    warnings.extend(locator.unanalysed_warnings());
    let security_given = !inputs.bandit.is_empty() || !inputs.sarif.is_empty();
    // qgate's own findings are suppressible too; they count for no gate.
    let own = std::mem::take(&mut report.findings);
    found.extend(own.into_iter().map(|f| (f, false)));
    let unused = suppress(&by_path, &mut found, any_report);
    let count = |s: Severity| {
        found
            .iter()
            .filter(|(f, security)| *security && f.severity == s)
            .count() as u32
    };
    if security_given {
        report.summary.security = SecuritySummary {
            high: Some(count(Severity::High)),
            medium: Some(count(Severity::Medium)),
            low: Some(count(Severity::Low)),
            warnings,
            reason: None,
        };
    } else {
        report.summary.security.warnings = warnings;
    }
    report.findings = found.into_iter().map(|(f, _)| f).chain(unused).collect();
    report.findings.sort_by(|a, b| {
        (&a.path, a.line, &a.rule, &a.source).cmp(&(&b.path, b.line, &b.rule, &b.source))
    });
    count_per_file(report);
    Ok(())
}

/// Drops findings a `qgate: ignore[rule]` comment on their line silences; returns an
/// `unused-suppression` finding for each suppressed rule that silenced nothing (only when some
/// report was read: without one, a suppression of Bandit's rule has nothing to match).
fn suppress(
    by_path: &HashMap<&str, &FileReport>,
    found: &mut Vec<(Finding, bool)>,
    any_report: bool,
) -> Vec<Finding> {
    let mut used: HashSet<(&str, u32, &str)> = HashSet::new();
    found.retain(|(finding, _)| {
        let Some(file) = by_path.get(finding.path.as_str()) else {
            return true;
        };
        let hit = file
            .suppressions
            .iter()
            .find(|s| s.line == finding.line && s.rules.contains(&finding.rule));
        match hit {
            Some(s) => {
                let rule = s
                    .rules
                    .iter()
                    .find(|r| **r == finding.rule)
                    .map_or("", String::as_str);
                used.insert((file.path.as_str(), s.line, rule));
                false
            }
            None => true,
        }
    });
    let mut unused = Vec::new();
    for file in by_path.values() {
        for s in &file.suppressions {
            for rule in &s.rules {
                let is_own = rule.starts_with("function-too-");
                if (any_report || is_own)
                    && !used.contains(&(file.path.as_str(), s.line, rule.as_str()))
                {
                    unused.push(Finding {
                        rule: "unused-suppression".to_owned(),
                        source: "qgate".to_owned(),
                        severity: Severity::Low,
                        path: file.path.clone(),
                        line: s.line,
                        function: enclosing_function(file, s.line),
                        message: format!(
                            "`qgate: ignore[{rule}]` suppresses no finding on this line — remove it"
                        ),
                        end_line: None,
                        confidence: None,
                        help_url: None,
                    });
                }
            }
        }
    }
    unused
}

/// Fills each file's findings counts.
fn count_per_file(report: &mut Report) {
    let mut counts: HashMap<&str, FindingCounts> = HashMap::new();
    for f in &report.findings {
        let c = counts.entry(f.path.as_str()).or_default();
        match f.severity {
            Severity::High => c.high += 1,
            Severity::Medium => c.medium += 1,
            Severity::Low => c.low += 1,
        }
    }
    for file in &mut report.files {
        file.findings = counts.get(file.path.as_str()).copied().unwrap_or_default();
    }
    report.summary.findings =
        counts
            .values()
            .fold(FindingCounts::default(), |t, c| FindingCounts {
                high: t.high + c.high,
                medium: t.medium + c.medium,
                low: t.low + c.low,
            });
}

/// The path of a finding whose report gives no location.
const NO_LOCATION: &str = "(no location)";

/// Maps a report's path onto an analysed file and finds the function around a line.
struct Locator<'a> {
    resolver: Resolver<'a>,
    files: &'a HashMap<&'a str, &'a FileReport>,
    /// Report path → repository path: reports repeat a file once per finding.
    resolved: HashMap<String, Option<String>>,
    /// Per tool: findings in files qgate did not analyse, and their paths.
    unanalysed: BTreeMap<String, (usize, BTreeSet<String>)>,
}

impl Locator<'_> {
    /// The repository path and enclosing function of `line` in the report's file `name`. A
    /// finding in a file qgate did not analyse still counts (dropping it could turn a failure
    /// into a pass): it keeps the report's path, has no function, and is counted for a warning.
    fn locate(&mut self, tool: &str, name: &str, line: u32) -> (String, Option<String>) {
        let resolver = &self.resolver;
        let resolved = self.resolved.entry(name.to_owned()).or_insert_with(|| {
            match resolver.resolve(name, &[]) {
                Resolution::Matched(rel) => Some(rel),
                _ => None,
            }
        });
        match resolved.clone() {
            Some(rel) => {
                let function = self
                    .files
                    .get(rel.as_str())
                    .and_then(|f| enclosing_function(f, line));
                (rel, function)
            }
            None => {
                let name = name.replace('\\', "/");
                let name = name.trim_start_matches("./").to_owned();
                let entry = self.unanalysed.entry(tool.to_owned()).or_default();
                entry.0 += 1;
                entry.1.insert(name.clone());
                (name, None)
            }
        }
    }

    /// One warning per tool for its findings in files qgate did not analyse.
    fn unanalysed_warnings(&self) -> Vec<String> {
        self.unanalysed
            .iter()
            .map(|(tool, (count, paths))| {
                let examples: Vec<String> =
                    paths.iter().take(EXAMPLES).map(|p| format!("`{p}`")).collect();
                format!(
                    "{count} {tool} finding(s) in {} file(s) qgate did not analyse, e.g. {}; they still count — \
                     check `include`/`exclude`, or that the report was made from this repository",
                    paths.len(),
                    examples.join(", ")
                )
            })
            .collect()
    }
}

/// The innermost function whose lines hold `line`.
fn enclosing_function(file: &FileReport, line: u32) -> Option<String> {
    file.functions
        .iter()
        .filter(|f| (f.line..=f.end_line).contains(&line))
        .max_by_key(|f| f.line)
        .map(|f| f.qualified_name.clone())
}
