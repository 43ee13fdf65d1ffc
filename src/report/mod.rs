//! The report: the one serialisable result of a run. Gates and renderers read only this.
//!
//! JSON contract (`schema_version` 1): field names and meanings below stay stable; fields may be
//! added. Paths are relative to the root with `/`. Percentages are 0–100. A value that cannot be
//! computed is `null`, with a `reason` beside it; never NaN. Floats people read are rounded to
//! two decimals. Lists are sorted (files by path), so two runs on the same tree give the same
//! bytes.

pub mod build;
pub mod fingerprints;
pub mod headline;
mod lines;
pub mod new_code;
pub(crate) mod summarize;

pub use lines::LineRanges;
pub use summarize::{View, summarize, summary_of};

use serde::{Deserialize, Serialize};

use crate::model::{Language, SkipReason};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub status: Status,
    /// The directory report paths are relative to (absolute). Not written to the JSON: it
    /// would differ between checkouts and tell the machine's directory layout.
    #[serde(skip)]
    pub root: String,
    pub summary: Summary,
    pub gates: Vec<GateResult>,
    pub files: Vec<FileReport>,
    pub duplication: Duplication,
    pub findings: Vec<Finding>,
    pub skipped: Vec<SkippedFile>,
    /// The other tools' reports that were read, and what reading them found beyond per-file
    /// data: how coverage entries mapped, warnings, pylint's score.
    #[serde(default)]
    pub inputs: Inputs,
    /// Which configuration file was used, and which candidates were passed over.
    #[serde(default)]
    pub config: ConfigInfo,
    /// The lines a change touches, when the run is scoped to one (`--base`, `--staged`).
    #[serde(default)]
    pub scope: Scope,
    /// What `--baseline` held: today's offenders it forgives, its entries that are gone, and
    /// its totals for the ratchet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineReport>,
}

/// A baseline matched against the report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BaselineReport {
    pub path: String,
    /// `baseline` (a `qgate baseline` file) or `report` (an earlier JSON report).
    pub source: String,
    /// Offender entries it holds.
    pub entries: u32,
    /// Today's offenders it already held (and that are no worse): the gates do not count them.
    pub known: KnownOffenders,
    /// Its entries with no offender today, worst first.
    pub fixed: Vec<FixedEntry>,
    /// Known functions that got worse since: the gates count them again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regressed: Vec<RegressedFunction>,
    /// `[old, new]` paths its entries were matched across (renamed or moved files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed: Vec<[String; 2]>,
    /// Its headline totals (`report::headline`), which the ratchet compares today's with.
    pub headline: std::collections::BTreeMap<String, f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KnownOffenders {
    pub functions: Vec<KnownFunction>,
    /// Clone hashes.
    pub clones: Vec<String>,
    /// Finding fingerprints.
    pub findings: Vec<String>,
    /// Fingerprints of qgate's own findings about known functions (they restate them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restated: Vec<String>,
}

impl KnownOffenders {
    pub fn count(&self) -> usize {
        self.functions.len() + self.clones.len() + self.findings.len()
    }

    /// Whether the function `name` in `path` is a known offender on `metric`.
    pub fn has_function(&self, metric: FunctionMetric, path: &str, name: &str) -> bool {
        self.functions
            .iter()
            .any(|k| k.metric == metric && k.path == path && k.name == name)
    }
}

/// A function the baseline held with a lower value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RegressedFunction {
    pub metric: FunctionMetric,
    pub path: String,
    pub name: String,
    /// Its value in the baseline.
    pub was: u32,
}

impl BaselineReport {
    /// The baseline's value of a function that got worse on `metric`.
    pub fn was(&self, metric: FunctionMetric, path: &str, name: &str) -> Option<u32> {
        self.regressed
            .iter()
            .find(|r| r.metric == metric && r.path == path && r.name == name)
            .map(|r| r.was)
    }
}

/// A function identity: which value, where, and its qualified name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KnownFunction {
    pub metric: FunctionMetric,
    pub path: String,
    pub name: String,
}

/// Which per-function value a baseline entry is about.
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
pub enum FunctionMetric {
    Cyclomatic,
    Cognitive,
}

/// A baseline entry that no longer offends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FixedEntry {
    /// `function`, `clone` or `finding`.
    pub kind: String,
    pub path: String,
    pub line: u32,
    pub message: String,
}

/// What the new-code gates look at.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Scope {
    pub mode: ScopeMode,
    /// The commit the change is measured from (full hash), or null.
    pub base_commit: Option<String>,
    /// `--base` as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_ref: Option<String>,
    /// How the base was found: `merge-base` (of `--base` and HEAD), `first-parent` (HEAD is a
    /// pull request's merge commit), `head` (`--staged`) or `unborn` (no commit yet: every file
    /// is new).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_from: Option<String>,
    /// Added or changed lines of analysed files.
    pub changed_lines: u32,
    /// Repository-relative path → changed line ranges.
    pub files: std::collections::BTreeMap<String, LineRanges>,
    /// `old → new` paths git followed as renames.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed: Vec<[String; 2]>,
    /// How the new-code gates measure (`[new-code]`).
    #[serde(default)]
    pub policy: NewCodePolicy,
}

/// `[new-code]`: how the change is read and measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewCodePolicy {
    /// A changed line with a partly taken branch counts as not covered (diff-cover's
    /// `--branch-coverage`).
    pub branch_coverage: bool,
    /// Diff coverage to two decimals (diff-cover's `--total-percent-float`); otherwise
    /// truncated to a whole percent, as diff-cover prints and compares it by default.
    pub total_percent_float: bool,
    /// Whitespace-only changes (re-indentation, line endings, blank lines) are not new code
    /// (`git diff --ignore-all-space --ignore-blank-lines`, diff-cover's `--ignore-whitespace`).
    pub ignore_whitespace: bool,
    /// Coverage and duplication conditions are not applied to changes with fewer coverable
    /// lines than this (SonarQube applies 20); 0 applies them to every change.
    pub small_change_lines: u32,
}

impl Default for NewCodePolicy {
    fn default() -> Self {
        Self {
            branch_coverage: false,
            total_percent_float: false,
            ignore_whitespace: true,
            small_change_lines: 0,
        }
    }
}

impl Scope {
    /// Whether `line` of `path` is new code.
    pub fn touches(&self, path: &str, line: u32) -> bool {
        self.files.get(path).is_some_and(|r| r.contains(line))
    }

    /// Whether any line of `path` from `first` to `last` is new code.
    pub fn touches_range(&self, path: &str, first: u32, last: u32) -> bool {
        self.files
            .get(path)
            .is_some_and(|r| r.0.iter().any(|[a, b]| *a <= last && first <= *b))
    }
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ScopeMode {
    /// The whole tree; no new-code gate is evaluated.
    #[default]
    All,
    /// The lines changed since the merge base with `--base` (committed, staged and unstaged).
    Base,
    /// The staged lines (`--staged`, pre-commit).
    Staged,
}

/// The configuration a run used (paths relative to the repository root).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConfigInfo {
    /// null: built-in defaults only.
    pub file: Option<String>,
    pub ignored: Vec<IgnoredConfig>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IgnoredConfig {
    pub path: String,
    pub why: String,
}

impl Report {
    /// An empty report for `root`: the joins fill it, [`summarize`] derives its summary.
    pub fn new(root: String, duplication: Duplication) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "qgate".to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
            status: Status::Pass,
            root,
            summary: Summary::default(),
            gates: Vec::new(),
            files: Vec::new(),
            duplication,
            findings: Vec::new(),
            skipped: Vec::new(),
            inputs: Inputs::default(),
            config: ConfigInfo::default(),
            scope: Scope::default(),
            baseline: None,
        }
    }
}

/// What the joins learned from other tools' reports that is not per-file data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Inputs {
    /// Every report read, in the order read.
    pub reports: Vec<InputReport>,
    /// How the coverage reports' entries mapped onto the analysed files (null without one).
    pub coverage_mapping: Option<CoverageMapping>,
    /// The lowest pylint score of the pylint reports (null without one, or when nothing was
    /// linted), as pylint prints it.
    pub pylint_score: Option<f64>,
    /// Messages in the pylint reports, before suppressions.
    pub pylint_messages: Option<u32>,
    /// What the user should know that does not make a report unusable, in the order found.
    pub warnings: Vec<InputWarning>,
    /// How the vulnerabilities gate counts (`[vulnerabilities]`), and the advisories its
    /// allow-list silenced.
    #[serde(default)]
    pub audit: AuditPolicy,
}

/// `[vulnerabilities]` as the run applied it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AuditPolicy {
    /// Count only vulnerabilities with a fixed version.
    pub fixable_only: bool,
    /// Count cargo audit's warnings (unmaintained, yanked, unsound) too.
    pub include_warnings: bool,
    /// Advisories an unexpired allow-list entry silenced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<AllowedAdvisory>,
}

/// An advisory the allow-list silenced, with the entry's reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AllowedAdvisory {
    pub id: String,
    pub package: String,
    pub reason: String,
    /// `YYYY-MM-DD`: the entry stops silencing after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// What a dependency-audit finding is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdvisoryInfo {
    /// `vulnerability`, or cargo audit's warning kinds: `unmaintained`, `yanked`, `unsound`, …
    pub category: String,
    pub package: String,
    pub version: String,
    pub aliases: Vec<String>,
    /// Versions that fix it (empty: no fix yet).
    pub fix_versions: Vec<String>,
}

impl Inputs {
    pub fn given(&self, kinds: &[InputKind]) -> bool {
        self.reports.iter().any(|r| kinds.contains(&r.kind))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputReport {
    pub kind: InputKind,
    pub path: String,
    /// Coverage: the entries (files) it lists; findings reports: the findings it held.
    #[serde(default)]
    pub entries: u32,
}

/// The kinds of report qgate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    Coverage,
    Bandit,
    Sarif,
    Pylint,
    Clippy,
    Mypy,
    PipAudit,
    CargoAudit,
}

/// Entries of the coverage reports by what they turned out to be.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CoverageMapping {
    pub matched: u32,
    pub outside: u32,
    pub ambiguous: u32,
    pub not_found: u32,
    /// Up to three report paths per kind: `outside`, `ambiguous`, `not-found`.
    pub unmatched: std::collections::BTreeMap<String, Vec<String>>,
}

/// A warning from reading a report; `topic` says which part of the summary it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputWarning {
    pub topic: WarningTopic,
    pub message: String,
    /// It speaks of which files this run analysed (report entries or findings that match none
    /// of them): `qgate merge` derives it again for the merged files.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub depends_on_files: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum WarningTopic {
    /// The configuration and the reports it names.
    Config,
    Coverage,
    /// Scan errors allowed by `allow-scanner-errors`, findings in files qgate did not analyse.
    Findings,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Summary {
    pub files: u32,
    pub python_files: u32,
    pub rust_files: u32,
    pub functions: u32,
    pub lines: u32,
    pub sloc: u32,
    pub comments: u32,
    pub blank: u32,
    /// Analysed files with at least one syntax error.
    pub parse_errors: u32,
    pub skipped: u32,
    pub complexity: Stat<u32>,
    /// Over radon's blocks (functions, classes and methods), as `radon cc -a` and xenon count.
    #[serde(default)]
    pub complexity_blocks: BlockSummary,
    pub cognitive: Stat<u32>,
    pub maintainability: Average,
    pub duplication: DuplicationSummary,
    pub coverage: CoverageSummary,
    pub type_hints: TypeHintsSummary,
    pub docstrings: DocstringsSummary,
    pub security: SecuritySummary,
    #[serde(default)]
    pub pylint: PylintSummary,
    /// mypy's errors (`--mypy`), after suppressions; null with a reason without a report.
    #[serde(default)]
    pub type_errors: TypeErrorsSummary,
    /// Known-vulnerable dependencies (`--pip-audit`, `--cargo-audit`).
    #[serde(default)]
    pub vulnerabilities: VulnerabilitiesSummary,
    /// All findings per severity, after suppressions.
    #[serde(default)]
    pub findings: FindingCounts,
    /// What the change adds (`--base`, `--staged`); absent for the whole tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_code: Option<new_code::NewCodeSummary>,
    /// The overall grade, from the gate results and the metric distributions (docs/metrics.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
}

/// The overall grade A–E (docs/metrics.md): the mean of the available dimension scores, capped
/// by failing gates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Grade {
    pub letter: String,
    /// 0–100, two decimals: the mean of `dimensions`.
    pub score: f64,
    /// Dimension → score 0–100 (only those measured).
    pub dimensions: std::collections::BTreeMap<String, f64>,
    /// Failing gates that capped the letter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capped_by: Vec<String>,
}

/// Dependency audits' findings, as the vulnerabilities gate counts them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct VulnerabilitiesSummary {
    /// What the gate compares: vulnerabilities (only fixable ones with `fixable-only`), plus
    /// warnings with `include-warnings`; null with a reason without an audit report.
    pub count: Option<u32>,
    /// Every vulnerability, fixable or not.
    pub vulnerabilities: Option<u32>,
    /// Those with a fixed version.
    pub fixable: Option<u32>,
    /// cargo audit's informational warnings.
    pub warnings: Option<u32>,
    /// Silenced by the allow-list.
    pub allowed: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Type errors from mypy reports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TypeErrorsSummary {
    /// mypy messages of severity `error` (what its summary line counts).
    pub errors: Option<u32>,
    /// Files with at least one.
    pub files: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What a pylint json2 report said.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PylintSummary {
    /// pylint's score (0–10); the lowest one when several reports are given.
    pub score: Option<f64>,
    pub messages: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Python type-hint coverage: annotated slots / slots, and fully annotated functions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TypeHintsSummary {
    pub percent: Option<f64>,
    pub slots: u32,
    pub annotated: u32,
    pub functions: u32,
    pub fully_annotated: u32,
    pub fully_annotated_percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Documented objects / all objects (interrogate's counting for Python).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DocstringsSummary {
    pub percent: Option<f64>,
    pub documented: u32,
    pub total: u32,
    /// Per file: the objects counted without a docstring.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<crate::model::MissingDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Average and maximum over functions; `null` with a reason when there is nothing to average.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Stat<T> {
    pub average: Option<f64>,
    pub max: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// radon's `cc -a` average, the worst block and the worst module average (xenon's
/// `--max-average`, `--max-absolute` and `--max-modules`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BlockSummary {
    pub blocks: u32,
    pub average: Option<f64>,
    pub max: Option<u32>,
    pub max_module_average: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Average {
    pub average: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DuplicationSummary {
    pub percent: Option<f64>,
    pub duplicated_lines: Option<u32>,
    pub clones: Option<u32>,
    /// The percentage as jscpd 5 computes it: for each clone pair (each copy after the first of
    /// a group) the lines of the first copy, over the lines of the files with at least
    /// `min-tokens` tokens; comparable with `jscpd --threshold`.
    #[serde(default)]
    pub jscpd_percent: Option<f64>,
    #[serde(default)]
    pub jscpd_duplicated_lines: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Coverage totals as coverage.py computes its TOTAL, and how the reports' entries mapped.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CoverageSummary {
    pub percent: Option<f64>,
    pub line_percent: Option<f64>,
    pub branch_percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines_valid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines_covered: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branches_valid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branches_covered: Option<u32>,
    /// The lowest file percentage (gate `coverage`, `min-file`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_file_percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_entries: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside_entries: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambiguous_entries: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_found_entries: Option<u32>,
    /// Up to three report paths per kind: `outside`, `ambiguous`, `not-found`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub unmatched: std::collections::BTreeMap<String, Vec<String>>,
    /// Stale data, a missing `end_of_record`, an unknown format version: read anyway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SecuritySummary {
    pub high: Option<u32>,
    pub medium: Option<u32>,
    pub low: Option<u32>,
    /// Scan errors allowed by `allow-scanner-errors`, findings in files qgate did not analyse.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GateResult {
    pub id: String,
    /// `pass`, `fail` or `skipped` (no input for it).
    pub status: GateStatus,
    /// The condition that decided: the first failing one, else the primary threshold.
    pub actual: Option<f64>,
    pub threshold: f64,
    pub comparator: String,
    pub message: String,
    pub conditions: Vec<ConditionResult>,
    /// `required = true`: a skipped gate leaves the run without a verdict (exit 2).
    #[serde(default)]
    pub required: bool,
    /// `all` (every analysed file) or `new-code` (the lines `--base`/`--staged` found changed).
    #[serde(default = "scope_all")]
    pub scope: String,
    /// A new-code gate skipped because the change holds nothing for it (no changed lines, no
    /// changed function, nothing coverable, a small change) rather than for want of an input:
    /// not a problem even when `required`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nothing_changed: bool,
    /// The files the gate looked at, when its `include`/`exclude` (or `[per-file-ignores]`)
    /// narrow them; null for every analysed file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paths: Option<PathScope>,
    /// What makes a failing gate fail, worst first: functions, files, clones or findings with
    /// their place — at most [`MAX_OFFENDERS`]; `more_offenders` counts the rest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offenders: Vec<Offender>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more_offenders: u32,
    /// Offenders `--baseline` already held that the gate did not count.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub forgiven: u32,
}

fn scope_all() -> String {
    "all".to_owned()
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Offenders listed per gate in the report; the renderers show fewer.
pub const MAX_OFFENDERS: usize = 100;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PathScope {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

/// One thing that makes a gate fail, where it is, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Offender {
    /// The condition it fails (`max-function`).
    pub condition: String,
    pub path: String,
    pub line: u32,
    /// The measured value (a complexity, a percentage), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Ready to print after `path:line`.
    pub message: String,
    /// The other copy of a clone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Fragment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConditionResult {
    pub key: String,
    pub metric: String,
    pub status: GateStatus,
    pub actual: Option<f64>,
    pub threshold: f64,
    pub comparator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GateStatus {
    Pass,
    Fail,
    Skipped,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileReport {
    pub path: String,
    pub language: Language,
    pub lines: u32,
    pub sloc: u32,
    /// Logical lines (radon's LLOC; Python only).
    pub lloc: Option<u32>,
    pub comments: u32,
    pub blank: u32,
    /// Lines of stand-alone multi-line strings (radon's `multi`; Python only).
    pub multi: Option<u32>,
    /// Comment-only lines and stand-alone one-line strings (Python only).
    pub single_comments: Option<u32>,
    /// radon's maintainability index, 0–100.
    pub maintainability: Option<f64>,
    /// radon's MI rank: A (> 19), B (> 9), C.
    pub maintainability_rank: Option<String>,
    /// Total cyclomatic complexity as the maintainability index uses it.
    pub total_complexity: Option<u32>,
    /// radon's blocks: `{count, total, max}` of their complexity (see `summary.complexity_blocks`).
    #[serde(default)]
    pub blocks: Option<crate::model::BlockStats>,
    pub halstead: Option<Halstead>,
    pub docstrings: Option<DocstringsSummary>,
    pub type_hints: Option<TypeHintsSummary>,
    /// Lines of this file inside a clone fragment (null when the file takes no part).
    pub duplicated_lines: Option<u32>,
    /// Tokens it offers clone detection (null when it takes no part).
    #[serde(default)]
    pub clone_tokens: Option<u32>,
    /// The file's clone-detection tokens, with `--report-fingerprints`: what `qgate merge`
    /// needs to find clones across shard reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprints: Option<fingerprints::TokenFingerprints>,
    pub coverage: Option<FileCoverage>,
    pub errors: Vec<FileError>,
    /// Findings on this file per severity, after suppressions.
    #[serde(default)]
    pub findings: FindingCounts,
    /// mypy errors in this file (with `--mypy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_errors: Option<u32>,
    pub functions: Vec<FunctionReport>,
    /// `qgate: ignore[rule]` comments; internal, applied to `findings`.
    #[serde(skip)]
    pub suppressions: Vec<crate::model::Suppression>,
}

impl FileReport {
    /// The innermost function whose lines hold `line`.
    pub fn enclosing_function(&self, line: u32) -> Option<&FunctionReport> {
        self.functions
            .iter()
            .filter(|f| (f.line..=f.end_line).contains(&line))
            .max_by_key(|f| f.line)
    }
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct FindingCounts {
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

/// radon's Halstead report; floats rounded to two decimals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Halstead {
    pub h1: u32,
    pub h2: u32,
    #[serde(rename = "N1")]
    pub n1: u32,
    #[serde(rename = "N2")]
    pub n2: u32,
    pub vocabulary: u32,
    pub length: u32,
    pub calculated_length: f64,
    pub volume: f64,
    pub difficulty: f64,
    pub effort: f64,
    pub time: f64,
    pub bugs: f64,
}

impl From<crate::model::HalsteadCounts> for Halstead {
    fn from(counts: crate::model::HalsteadCounts) -> Self {
        let h = crate::metrics::halstead::Halstead::from(counts);
        Self {
            h1: h.counts.distinct_operators,
            h2: h.counts.distinct_operands,
            n1: h.counts.operators,
            n2: h.counts.operands,
            vocabulary: h.vocabulary,
            length: h.length,
            calculated_length: round2(h.calculated_length),
            volume: round2(h.volume),
            difficulty: round2(h.difficulty),
            effort: round2(h.effort),
            time: round2(h.time),
            bugs: round2(h.bugs),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileCoverage {
    pub percent: Option<f64>,
    pub line_percent: Option<f64>,
    pub branch_percent: Option<f64>,
    pub lines_valid: u32,
    pub lines_covered: u32,
    pub branches_valid: u32,
    pub branches_covered: u32,
    pub missing_lines: Vec<u32>,
    /// Executable lines that ran, as inclusive ranges: with `missing_lines`, every line the
    /// reports measured (what diff coverage needs).
    #[serde(default)]
    pub covered_lines: LineRanges,
    /// Lines with branches, as `[line, taken, total]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<[u32; 3]>,
    /// No report mentions the file; with `[coverage] unreported = "uncovered"` its logical
    /// lines count as statements none of which ran (an estimate: which lines are statements is
    /// unknown, so `missing_lines` is empty).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unreported: bool,
}

/// Line and branch totals of coverage data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CoverageCounts {
    pub lines_valid: u32,
    pub lines_covered: u32,
    pub branches_valid: u32,
    pub branches_covered: u32,
}

impl CoverageCounts {
    pub fn add(&mut self, o: CoverageCounts) {
        self.lines_valid += o.lines_valid;
        self.lines_covered += o.lines_covered;
        self.branches_valid += o.branches_valid;
        self.branches_covered += o.branches_covered;
    }

    /// coverage.py's total: (covered lines + covered branches) / (lines + branches) × 100.
    pub fn percent(&self) -> Option<f64> {
        ratio(
            self.lines_covered + self.branches_covered,
            self.lines_valid + self.branches_valid,
        )
    }

    pub fn line_percent(&self) -> Option<f64> {
        ratio(self.lines_covered, self.lines_valid)
    }

    pub fn branch_percent(&self) -> Option<f64> {
        ratio(self.branches_covered, self.branches_valid)
    }
}

fn ratio(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole) * 100.0)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileError {
    pub kind: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FunctionReport {
    pub name: String,
    pub qualified_name: String,
    pub line: u32,
    pub end_line: u32,
    pub cyclomatic: u32,
    /// radon's rank letter for `cyclomatic`.
    pub rank: String,
    pub cognitive: Option<u32>,
    pub halstead: Option<Halstead>,
    /// Percent of the executable lines in the function's range that ran (null without coverage).
    pub coverage: Option<f64>,
    /// Parameters that take an annotation (Python; `self`/`cls` of methods excluded).
    pub params: Option<u32>,
    pub annotated_params: Option<u32>,
    pub returns_annotated: Option<bool>,
    pub has_docstring: Option<bool>,
}

/// Clone groups, largest first, with the settings that found them: every one by default; at most
/// `[duplication] max-reported-clones` groups and `max-reported-fragments` fragments per group are listed; the
/// `omitted_*` counts say how many were left out (the summary counts them all).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Duplication {
    pub clones: Vec<CloneGroup>,
    pub min_tokens: u32,
    pub min_lines: u32,
    pub normalize: crate::metrics::duplication::Normalize,
    pub omitted_clones: u32,
    pub omitted_fragments: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CloneGroup {
    /// Identity: a stable hash of the normalised tokens the copies share (what a baseline
    /// matches on; it survives the copies moving or their files being renamed).
    #[serde(default)]
    pub hash: String,
    /// Tokens of the shortest fragment.
    pub tokens: u32,
    /// Lines of the first fragment.
    pub lines: u32,
    /// All copies, also those left out of `fragments`.
    pub occurrences: u32,
    pub fragments: Vec<Fragment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fragment {
    pub path: String,
    pub start_line: u32,
    pub end_line: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    pub rule: String,
    pub source: String,
    pub severity: Severity,
    pub path: String,
    pub line: u32,
    /// Qualified name of the enclosing function, or null.
    pub function: Option<String>,
    pub message: String,
    /// Last line of the flagged code, when the producing tool gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    /// For a dependency audit's finding: the package, version, aliases and fixes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory: Option<AdvisoryInfo>,
    /// The first column (1-based) when the producing tool gives one: as SARIF and rustc count
    /// (characters); Bandit's and pylint's 0-based AST offsets plus one (UTF-8 bytes, the same
    /// on ASCII lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The producing tool's confidence (`high`, `medium`, `low`), when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Severity>,
    /// Where the rule is documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_url: Option<String>,
    /// Stable identity: rule, path and the flagged line's text, not its number (see
    /// `metrics::fingerprint`). What baselines match on.
    #[serde(default)]
    pub fingerprint: String,
    /// The fingerprint without the path: what a baseline matches on once the file was renamed.
    #[serde(default)]
    pub content_fingerprint: String,
    /// Whether it counts for the `security` gate (Bandit results, SARIF security rules).
    #[serde(default)]
    pub security: bool,
}

impl Finding {
    /// A finding of `rule` from `source` at `path:line`; the optional details are unset and
    /// the fingerprint is filled by the findings join.
    pub fn new(
        rule: impl Into<String>,
        source: impl Into<String>,
        severity: Severity,
        path: impl Into<String>,
        line: u32,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule: rule.into(),
            source: source.into(),
            severity,
            path: path.into(),
            line,
            function: None,
            message: message.into(),
            end_line: None,
            column: None,
            advisory: None,
            confidence: None,
            help_url: None,
            fingerprint: String::new(),
            content_fingerprint: String::new(),
            security: false,
        }
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Low,
}

impl Severity {
    /// The usual diagnostic levels (SARIF `level`, pylint's and rustc's message types):
    /// `error` and `fatal` are high, `warning` medium, anything else (`note`, `convention`,
    /// `refactor`, `info`, `help`) low.
    pub fn from_level(level: &str) -> Self {
        match level {
            "error" | "fatal" | "error: internal compiler error" => Self::High,
            "warning" => Self::Medium,
            _ => Self::Low,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SkippedFile {
    pub path: String,
    pub reason: SkipReason,
    pub message: String,
    /// Named on the command line: a file the user asked for that was not analysed leaves the
    /// run without a verdict (exit 2); one found by walking is a warning.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub named: bool,
}

/// Rounds for display: two decimals, as the contract promises.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A number as people read it: integers without a fraction, others with up to two decimals
/// and no trailing zeros (`20`, `2.5`, `2.91`; `85.001` is `85`).
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    let fixed = format!("{x:.2}");
    match fixed.trim_end_matches('0').trim_end_matches('.') {
        "-0" => "0".to_owned(),
        shown => shown.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_levels_map_to_severities() {
        let got: Vec<Severity> = ["error", "fatal", "warning", "note", "convention", "none"]
            .iter()
            .map(|l| Severity::from_level(l))
            .collect();
        use Severity::{High, Low, Medium};
        assert_eq!(got, [High, High, Medium, Low, Low, Low]);
    }

    #[test]
    fn numbers_print_plainly() {
        assert_eq!(number(20.0), "20");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(2.914), "2.91");
        assert_eq!(number(20.001), "20");
        assert_eq!(number(85.001), "85");
        assert_eq!(number(-0.001), "0");
        assert_eq!(number(0.1), "0.1");
    }

    #[test]
    fn rounding_to_two_decimals() {
        assert_eq!(round2(34.348_604), 34.35);
        assert_eq!(round2(2.0 / 3.0), 0.67);
        assert_eq!(round2(0.0), 0.0);
    }
}
