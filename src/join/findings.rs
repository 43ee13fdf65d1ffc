//! Findings other tools produced (Bandit JSON, SARIF, pylint, clippy): read each report, map its
//! paths onto the repository with the shared path resolver, attach the enclosing function,
//! apply `qgate: ignore[rule]` suppressions (to qgate's own findings too) and give every finding
//! its fingerprint.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::ingest::IngestError;
use crate::ingest::bandit::{self, Level};
use crate::ingest::paths::{Resolution, Resolver};
use crate::ingest::{audit, clippy, mypy, pylint, sarif};
use crate::metrics::fingerprint;
use crate::report::{
    AdvisoryInfo, AllowedAdvisory, AuditPolicy, FileReport, Finding, InputKind, InputReport,
    InputWarning, Report, Severity, WarningTopic,
};
use crate::source::strip_bom;

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
    /// mypy output (`--output json` or text): every message is a finding; errors feed the
    /// `type-errors` gate.
    pub mypy: Vec<PathBuf>,
    /// `pip-audit -f json` reports.
    pub pip_audit: Vec<PathBuf>,
    /// `cargo audit --json` reports.
    pub cargo_audit: Vec<PathBuf>,
    /// `[vulnerabilities]`: how the gate counts, and the allow-list.
    pub audit: AuditSettings,
    /// Read a Bandit report that lists files it could not scan (a warning instead of exit 2).
    pub allow_scanner_errors: bool,
    /// `[sarif] severity`: `tool`, `tool:RULE` or `tool:PREFIX*` → severity, most specific
    /// first; applied after qgate's own ranking of the tool's rules.
    pub sarif_severity: Vec<(String, Severity)>,
    /// Bandit results below this confidence are dropped.
    pub min_confidence: Option<Level>,
}

/// `[vulnerabilities]`: how the gate counts, and the advisories it does not count.
#[derive(Clone, Debug, Default)]
pub struct AuditSettings {
    pub fixable_only: bool,
    pub include_warnings: bool,
    pub allow: Vec<AllowEntry>,
}

/// One allow-list entry: an advisory id (or alias), why, and until when (`YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowEntry {
    pub id: String,
    pub reason: String,
    #[serde(default)]
    pub until: Option<String>,
}

/// Why the findings cannot be trusted: exit 2.
#[derive(Debug, thiserror::Error)]
pub enum FindingsError {
    #[error("{0}")]
    Read(#[source] IngestError),
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

/// Reads the reports in `inputs` into `report.findings` and records them in `report.inputs`.
/// `line_hashes[i]` holds the known line hashes of `report.files[i]` (sorted by line): a
/// finding on one of those lines is fingerprinted without reading the file again.
pub fn join(
    report: &mut Report,
    inputs: &ExternalReports,
    line_hashes: &[Vec<(u32, u64)>],
) -> Result<(), FindingsError> {
    let any_report = !(inputs.bandit.is_empty()
        && inputs.sarif.is_empty()
        && inputs.pylint.is_empty()
        && inputs.clippy.is_empty()
        && inputs.mypy.is_empty()
        && inputs.pip_audit.is_empty()
        && inputs.cargo_audit.is_empty());
    let by_path: HashMap<&str, &FileReport> =
        report.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let hashed: HashMap<&str, &[(u32, u64)]> = report
        .files
        .iter()
        .zip(line_hashes)
        .map(|(f, hashes)| (f.path.as_str(), hashes.as_slice()))
        .collect();
    // The common run: no reports and no suppression comment; only fingerprints remain to fill.
    if !any_report && report.files.iter().all(|f| f.suppressions.is_empty()) {
        let mut own = std::mem::take(&mut report.findings);
        finish(&mut own, &report.root, &by_path, &hashed);
        report.findings = own;
        return Ok(());
    }
    let known: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    let mut locator = Locator {
        resolver: Resolver::new(&report.root, &known, &[]),
        files: &by_path,
        resolved: HashMap::new(),
        unanalysed: BTreeMap::new(),
    };
    let mut warnings = Vec::new();
    let mut read: Vec<InputReport> = Vec::new();
    let mut found: Vec<Finding> = Vec::new();
    for path in &inputs.bandit {
        read.push(input(InputKind::Bandit, path, &report.root));
        let bandit = bandit::read(path).map_err(FindingsError::Read)?;
        count_last(&mut read, bandit.results.len());
        // A partial scan is untrustworthy unless the unscanned file is one qgate finds a syntax
        // error in (the parse-errors gate fails on it already) or one that exists but qgate
        // does not analyse (excluded, not Python): those are warnings. A file qgate cannot find
        // at all may be a path that did not map: that still leaves no verdict.
        let (mut clean, mut excused) = (Vec::new(), Vec::new());
        for e in &bandit.errors {
            let why = match locator.resolve(&e.filename) {
                Some(rel) => match by_path.get(rel.as_str()) {
                    Some(f) if f.errors.is_empty() => None,
                    _ => Some(
                        "qgate finds a syntax error there too: the parse-errors gate fails on it",
                    ),
                },
                None if std::path::Path::new(&report.root)
                    .join(&e.filename)
                    .is_file() =>
                {
                    Some("it exists but qgate does not analyse it")
                }
                None => None,
            };
            match why {
                None => clean.push(e),
                Some(why) => excused.push((e, why)),
            }
        }
        for (e, why) in excused.iter().take(EXAMPLES) {
            warnings.push(format!(
                "{}: Bandit could not scan `{}` ({}) — {why}",
                path.display(),
                e.filename,
                e.reason
            ));
        }
        if excused.len() > EXAMPLES {
            warnings.push(format!(
                "{}: and {} more files Bandit could not scan that are not part of the security verdict",
                path.display(),
                excused.len() - EXAMPLES
            ));
        }
        if !clean.is_empty() {
            let examples: Vec<String> = clean
                .iter()
                .take(EXAMPLES)
                .map(|e| format!("`{}` ({})", e.filename, e.reason))
                .collect();
            let error = FindingsError::ScanErrors {
                path: path.display().to_string(),
                count: clean.len(),
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
            found.push(Finding {
                function,
                end_line: Some(result.end_line()),
                column: result.col_offset.map(|c| c + 1),
                confidence: Some(result.issue_confidence.severity()),
                help_url: result.more_info.clone(),
                security: true,
                ..Finding::new(
                    &result.test_id,
                    "bandit",
                    result.issue_severity.severity(),
                    path,
                    result.line_number,
                    &result.issue_text,
                )
            });
        }
    }
    for path in &inputs.sarif {
        read.push(input(InputKind::Sarif, path, &report.root));
        let results = sarif::read(path).map_err(FindingsError::Read)?;
        count_last(&mut read, results.len());
        for result in results {
            if let (Some(min), Some(confidence)) = (inputs.min_confidence, result.confidence)
                && confidence > min.severity()
            {
                // Severity orders high first: a greater one is a lower confidence.
                continue;
            }
            let (path, function) = match &result.path {
                Some(name) => locator.locate(&result.tool, name, result.line),
                None => (NO_LOCATION.to_owned(), None),
            };
            let severity = configured_severity(&inputs.sarif_severity, &result.tool, &result.rule)
                .unwrap_or(result.severity);
            found.push(Finding {
                function,
                end_line: result.end_line,
                column: result.column,
                help_url: result.help_url,
                security: result.security,
                confidence: result.confidence,
                ..Finding::new(
                    result.rule,
                    result.tool,
                    severity,
                    path,
                    result.line,
                    result.message,
                )
            });
        }
    }
    for path in &inputs.clippy {
        read.push(input(InputKind::Clippy, path, &report.root));
        let lints = clippy::read(path).map_err(FindingsError::Read)?;
        count_last(&mut read, lints.len());
        for lint in lints {
            let (path, function) = locator.locate("clippy", &lint.path, lint.line);
            found.push(Finding {
                function,
                end_line: Some(lint.end_line),
                column: lint.column,
                help_url: lint.help_url,
                ..Finding::new(
                    lint.rule,
                    "clippy",
                    lint.severity,
                    path,
                    lint.line,
                    lint.message,
                )
            });
        }
    }
    for path in &inputs.mypy {
        read.push(input(InputKind::Mypy, path, &report.root));
        let messages = mypy::read(path).map_err(FindingsError::Read)?;
        count_last(&mut read, messages.len());
        for m in messages {
            let (path, function) = locator.locate("mypy", &m.path, m.line);
            let severity = match m.severity.as_str() {
                "error" => Severity::High,
                "warning" => Severity::Medium,
                _ => Severity::Low,
            };
            found.push(Finding {
                function,
                column: m.column,
                help_url: (m.code != "mypy").then(|| {
                    format!(
                        "https://mypy.readthedocs.io/en/stable/error_code_list.html#{}",
                        m.code
                    )
                }),
                ..Finding::new(m.code, "mypy", severity, path, m.line, m.message)
            });
        }
    }
    let mut allowed = Vec::new();
    let audits = inputs
        .pip_audit
        .iter()
        .map(|p| (InputKind::PipAudit, p))
        .chain(
            inputs
                .cargo_audit
                .iter()
                .map(|p| (InputKind::CargoAudit, p)),
        );
    for (kind, path) in audits {
        read.push(input(kind, path, &report.root));
        let advisories = if kind == InputKind::PipAudit {
            let (advisories, skipped) = audit::read_pip_audit(path).map_err(FindingsError::Read)?;
            for (name, why) in skipped.iter().take(EXAMPLES) {
                warnings.push(format!(
                    "{}: pip-audit did not audit `{name}`: {why}",
                    path.display()
                ));
            }
            advisories
        } else {
            audit::read_cargo_audit(path).map_err(FindingsError::Read)?
        };
        count_last(&mut read, advisories.len());
        let today = crate::source::today();
        for a in advisories {
            let entry = inputs
                .audit
                .allow
                .iter()
                .find(|e| e.id == a.id || a.aliases.contains(&e.id));
            let expired = match entry {
                Some(e) if e.until.as_deref().is_some_and(|u| u < today.as_str()) => Some(e),
                Some(e) => {
                    allowed.push(AllowedAdvisory {
                        id: a.id.clone(),
                        package: a.package.clone(),
                        reason: e.reason.clone(),
                        until: e.until.clone(),
                    });
                    continue;
                }
                None => None,
            };
            let (file, line) = audit::locate(std::path::Path::new(&report.root), &a)
                .unwrap_or_else(|| {
                    (
                        if kind == InputKind::PipAudit {
                            "requirements.txt"
                        } else {
                            "Cargo.lock"
                        }
                        .to_owned(),
                        1,
                    )
                });
            let fix = if a.fix_versions.is_empty() {
                "no fixed version yet".to_owned()
            } else {
                format!("fixed in {}", a.fix_versions.join(", "))
            };
            let aliases = if a.aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", a.aliases.join(", "))
            };
            let what = if a.kind == audit::Kind::Warning {
                format!(" is {}", a.category)
            } else {
                String::new()
            };
            let mut message = format!(
                "{} {}{what}{aliases}: {}; {fix}",
                a.package,
                a.version,
                a.description.lines().next().unwrap_or("").trim()
            );
            if let Some(e) = expired {
                let date = e.until.as_deref().unwrap_or("");
                message.push_str(&format!(
                    " — the allow-list entry `{}` expired on {date}",
                    e.id
                ));
                warnings.push(format!("[vulnerabilities] allow: the entry `{}` expired on {date} and no longer silences {} in {}", e.id, a.id, a.package));
            }
            let severity = if a.kind == audit::Kind::Vulnerability {
                Severity::High
            } else {
                Severity::Low
            };
            let (path_in_report, function) = (file, None);
            found.push(Finding {
                function,
                help_url: a.url.clone(),
                advisory: Some(AdvisoryInfo {
                    category: a.category.clone(),
                    package: a.package.clone(),
                    version: a.version.clone(),
                    aliases: a.aliases.clone(),
                    fix_versions: a.fix_versions.clone(),
                }),
                ..Finding::new(
                    a.id.clone(),
                    a.tool,
                    severity,
                    path_in_report,
                    line,
                    message,
                )
            });
        }
    }
    let mut pylint_score: Option<f64> = None;
    let mut pylint_messages: Option<u32> = None;
    for path in &inputs.pylint {
        read.push(input(InputKind::Pylint, path, &report.root));
        let pylint = pylint::read(path).map_err(FindingsError::Read)?;
        count_last(&mut read, pylint.messages.len());
        if let Some(score) = pylint.statistics.score.filter(|s| s.is_finite()) {
            pylint_score = Some(pylint_score.map_or(score, |s: f64| s.min(score)));
        }
        *pylint_messages.get_or_insert(0) += pylint.messages.len() as u32;
        for message in pylint.messages {
            let (path, function) = locator.locate("pylint", &message.path, message.line);
            found.push(Finding {
                function,
                end_line: message.end_line,
                column: message.column.map(|c| c + 1),
                ..Finding::new(
                    &message.symbol,
                    "pylint",
                    message.severity(),
                    path,
                    message.line,
                    format!("{} ({})", message.message, message.message_id),
                )
            });
        }
    }
    let unanalysed = locator.unanalysed_warnings();
    // qgate's own findings are suppressible too; they count for no gate.
    let mut found: Vec<Finding> = std::mem::take(&mut report.findings)
        .into_iter()
        .chain(found)
        .collect();
    let unused = suppress(&by_path, &mut found, any_report);
    found.extend(unused);
    finish(&mut found, &report.root, &by_path, &hashed);
    report.findings = found;
    let inputs_out = &mut report.inputs;
    inputs_out.reports.extend(read);
    inputs_out.audit = AuditPolicy {
        fixable_only: inputs.audit.fixable_only,
        include_warnings: inputs.audit.include_warnings,
        allowed,
    };
    if !inputs.pylint.is_empty() {
        // As pylint prints it ("rated at 3.89/10"); the gate compares this value.
        inputs_out.pylint_score = pylint_score.map(crate::report::round2);
        inputs_out.pylint_messages = pylint_messages;
    }
    inputs_out.warnings.extend(
        warnings
            .into_iter()
            .map(|message| (message, false))
            .chain(unanalysed.into_iter().map(|message| (message, true)))
            .map(|(message, depends_on_files)| InputWarning {
                topic: WarningTopic::Findings,
                message,
                depends_on_files,
            }),
    );
    Ok(())
}

fn input(kind: InputKind, path: &std::path::Path, root: &str) -> InputReport {
    InputReport {
        kind,
        path: crate::source::display_relative(path, std::path::Path::new(root)),
        entries: 0,
    }
}

/// The severity `[sarif] severity` gives a tool's rule: `tool:RULE` exactly, else the longest
/// `tool:PREFIX*`, else `tool`.
fn configured_severity(map: &[(String, Severity)], tool: &str, rule: &str) -> Option<Severity> {
    let exact = format!("{tool}:{rule}");
    if let Some((_, s)) = map.iter().find(|(k, _)| *k == exact) {
        return Some(*s);
    }
    let prefixed = map
        .iter()
        .filter_map(|(k, s)| {
            let prefix = k.strip_suffix('*')?;
            exact.starts_with(prefix).then_some((prefix.len(), *s))
        })
        .max_by_key(|(len, _)| *len);
    if let Some((_, s)) = prefixed {
        return Some(s);
    }
    map.iter().find(|(k, _)| k == tool).map(|(_, s)| *s)
}

/// Records how many findings the report just read held.
fn count_last(read: &mut [InputReport], findings: usize) {
    if let Some(last) = read.last_mut() {
        last.entries = findings as u32;
    }
}

/// Sorts the findings and gives each its fingerprint: rule, path and the hash of the flagged
/// line's text (the message's, for a file qgate did not analyse), numbered in order among
/// equals. A file is read again only for a finding on a line whose hash its front end did not
/// record (another tool's finding, a latin-1 file); the files are done in parallel.
fn finish(
    found: &mut [Finding],
    root: &str,
    files: &HashMap<&str, &FileReport>,
    hashed: &HashMap<&str, &[(u32, u64)]>,
) {
    found.par_sort_by(|a, b| {
        (&a.path, a.line, &a.rule, &a.source).cmp(&(&b.path, b.line, &b.rule, &b.source))
    });
    // Sorted by path, then line: each file's findings are one run, their lines ascending.
    let runs: Vec<&mut [Finding]> = found.chunk_by_mut(|a, b| a.path == b.path).collect();
    runs.into_par_iter().for_each(|run| {
        let path = run[0].path.clone();
        let known = hashed.get(path.as_str()).copied().unwrap_or_default();
        let recorded: Option<Vec<Option<u64>>> = run
            .iter()
            .map(|f| {
                let at = known
                    .binary_search_by_key(&f.line, |&(line, _)| line)
                    .ok()?;
                Some(Some(known[at].1))
            })
            .collect();
        let hashes = match recorded {
            Some(hashes) => hashes,
            None if files.contains_key(path.as_str()) => {
                let text =
                    std::fs::read(std::path::Path::new(root).join(&path)).unwrap_or_default();
                let lines: Vec<u32> = run.iter().map(|f| f.line).collect();
                fingerprint::hashes_of_lines(strip_bom(&text), &lines)
            }
            None => vec![None; run.len()],
        };
        let mut seen: HashMap<(&str, u64), u32> = HashMap::new();
        let fingerprints: Vec<(String, String)> = run
            .iter()
            .zip(hashes)
            .map(|(f, hash)| {
                let line_hash = hash.unwrap_or_else(|| fingerprint::line_hash(&f.message));
                let occurrence = seen.entry((f.rule.as_str(), line_hash)).or_insert(0);
                *occurrence += 1;
                (
                    fingerprint::finding(&f.rule, &path, line_hash, *occurrence),
                    fingerprint::content(&f.rule, line_hash, *occurrence),
                )
            })
            .collect();
        for (f, (fingerprint, content)) in run.iter_mut().zip(fingerprints) {
            f.fingerprint = fingerprint;
            f.content_fingerprint = content;
        }
    });
}

/// Drops findings a `qgate: ignore[rule]` comment on their line silences; returns an
/// `unused-suppression` finding for each suppressed rule that silenced nothing (only when some
/// report was read: without one, a suppression of Bandit's rule has nothing to match).
fn suppress(
    by_path: &HashMap<&str, &FileReport>,
    found: &mut Vec<Finding>,
    any_report: bool,
) -> Vec<Finding> {
    let mut used: HashSet<(&str, u32, &str)> = HashSet::new();
    found.retain(|finding| {
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
                        function: enclosing_function(file, s.line),
                        ..Finding::new(
                            "unused-suppression",
                            "qgate",
                            Severity::Low,
                            &file.path,
                            s.line,
                            format!(
                                "`qgate: ignore[{rule}]` suppresses no finding on this line — remove it"
                            ),
                        )
                    });
                }
            }
        }
    }
    unused
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
    /// The analysed file a report's `name` maps to.
    fn resolve(&mut self, name: &str) -> Option<String> {
        let resolver = &self.resolver;
        self.resolved
            .entry(name.to_owned())
            .or_insert_with(|| match resolver.resolve(name, &[]) {
                Resolution::Matched(rel) => Some(rel),
                _ => None,
            })
            .clone()
    }

    /// The repository path and enclosing function of `line` in the report's file `name`. A
    /// finding in a file qgate did not analyse still counts (dropping it could turn a failure
    /// into a pass): it keeps the report's path, has no function, and is counted for a warning.
    fn locate(&mut self, tool: &str, name: &str, line: u32) -> (String, Option<String>) {
        match self.resolve(name) {
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
                unanalysed_warning(
                    tool,
                    *count,
                    paths,
                    "qgate did not analyse",
                    "check `include`/`exclude`",
                )
            })
            .collect()
    }
}

/// `3 bandit finding(s) in 2 file(s) qgate did not analyse, e.g. …; they still count — …`: the
/// one wording for findings outside the analysed files, here and in `qgate merge`.
pub fn unanalysed_warning<S: AsRef<str>>(
    tool: &str,
    count: usize,
    paths: &BTreeSet<S>,
    not_analysed: &str,
    check: &str,
) -> String {
    let examples: Vec<String> = paths
        .iter()
        .take(EXAMPLES)
        .map(|p| format!("`{}`", p.as_ref()))
        .collect();
    format!(
        "{count} {tool} finding(s) in {} file(s) {not_analysed}, e.g. {}; they still count — \
         {check}, or that the report was made from this repository",
        paths.len(),
        examples.join(", ")
    )
}

/// The qualified name of the innermost function whose lines hold `line`.
fn enclosing_function(file: &FileReport, line: u32) -> Option<String> {
    file.enclosing_function(line)
        .map(|f| f.qualified_name.clone())
}
