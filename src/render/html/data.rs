//! The data the page's script reads: files, functions, clones and per-file details (coverage,
//! findings, clone regions, changed lines, the embedded source), as compact JSON arrays — a
//! page for 10,000 files and 100,000 functions stays a few megabytes.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::escape::web_link;
use super::sources::Sources;
use crate::gate::catalog::Metric;
use crate::report::{GateStatus, Report, Severity};

/// Column names of `files` rows, in order (the script reads them by position).
pub const FILE_COLUMNS: &[&str] = &[
    "path", "language", "lines", "sloc", "mi", "mi_rank", "coverage", "functions", "max_cc",
    "max_cognitive", "duplicated", "findings", "fails",
];

/// Column names of `functions` rows.
pub const FUNCTION_COLUMNS: &[&str] = &[
    "file", "name", "line", "end_line", "cc", "rank", "cognitive", "coverage", "fails",
];

/// What fails a whole-tree gate, from the failing conditions' own thresholds: functions over a
/// failing maximum, files with one of them, under a failing coverage or maintainability
/// minimum, with a syntax error, or named as an offender.
struct Failing {
    cyclomatic: Option<f64>,
    cognitive: Option<f64>,
    min_file_coverage: Option<f64>,
    min_maintainability: Option<f64>,
    offender_paths: HashSet<String>,
}

impl Failing {
    fn of(report: &Report) -> Self {
        let mut failing = Self {
            cyclomatic: None,
            cognitive: None,
            min_file_coverage: None,
            min_maintainability: None,
            offender_paths: HashSet::new(),
        };
        for g in report.gates.iter().filter(|g| g.status == GateStatus::Fail && g.scope == "all") {
            failing
                .offender_paths
                .extend(g.offenders.iter().map(|o| o.path.clone()));
            for c in g.conditions.iter().filter(|c| c.status == GateStatus::Fail) {
                let slot = match c.metric.as_str() {
                    m if m == Metric::ComplexityMax.id() => &mut failing.cyclomatic,
                    m if m == Metric::CognitiveMax.id() => &mut failing.cognitive,
                    m if m == Metric::CoverageMinFile.id() => &mut failing.min_file_coverage,
                    m if m == Metric::MaintainabilityAverage.id() => {
                        &mut failing.min_maintainability
                    }
                    _ => continue,
                };
                *slot = Some(slot.map_or(c.threshold, |t: f64| t.min(c.threshold)));
            }
        }
        failing
    }

    fn function(&self, cc: u32, cognitive: Option<u32>) -> bool {
        self.cyclomatic.is_some_and(|t| f64::from(cc) > t)
            || matches!((self.cognitive, cognitive), (Some(t), Some(c)) if f64::from(c) > t)
    }
}

/// A file's row: the values of [`FILE_COLUMNS`].
type FileRow<'a> = (
    &'a str,
    crate::model::Language,
    u32,
    u32,
    Option<f64>,
    Option<&'a str>,
    Option<f64>,
    usize,
    Option<u32>,
    Option<u32>,
    Option<u32>,
    u32,
    bool,
);

/// A function's row: the values of [`FUNCTION_COLUMNS`].
type FunctionRow<'a> = (usize, &'a str, u32, u32, u32, &'a str, Option<u32>, Option<f64>, bool);

/// A finding at its line: line, severity, rule, message, source, http(s) link.
type FindingRow<'a> = (u32, Severity, &'a str, &'a str, &'a str, Option<&'a str>);

/// A clone: tokens, lines, fragments as (file index, first line, last line).
type CloneRow = (u32, u32, Vec<(usize, u32, u32)>);

/// Coverage of a file's lines: covered ranges, missed lines, partly taken branches.
#[derive(Serialize)]
struct Cov<'a> {
    c: &'a [[u32; 2]],
    m: &'a [u32],
    b: Vec<[u32; 3]>,
}

/// The lines of an embedded file.
struct Lines<'a>(&'a str);

impl Serialize for Lines<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.lines())
    }
}

/// What the file view needs of one file; absent parts are left out of the JSON.
#[derive(Default, Serialize)]
struct Detail<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    cov: Option<Cov<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    err: Vec<(u32, u32, &'a str)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ch: Option<&'a [[u32; 2]]>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fi: Vec<FindingRow<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cl: Vec<(u32, u32, usize)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    src: Option<Lines<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<&'a str>,
}

/// Everything the script reads.
#[derive(Serialize)]
pub struct PageData<'a> {
    file_columns: &'static [&'static str],
    function_columns: &'static [&'static str],
    files: Vec<FileRow<'a>>,
    functions: Vec<FunctionRow<'a>>,
    clones: Vec<CloneRow>,
    details: BTreeMap<usize, Detail<'a>>,
    new_code: bool,
}

/// The page's data.
pub fn data<'a>(
    report: &'a Report,
    sources: &'a Sources,
    left_out: &HashMap<&'a str, &'a str>,
) -> PageData<'a> {
    let failing = Failing::of(report);
    let index_of: HashMap<&str, usize> = report
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    let mut files = Vec::with_capacity(report.files.len());
    let mut functions = Vec::new();
    let mut details: BTreeMap<usize, Detail<'a>> = BTreeMap::new();
    for (i, f) in report.files.iter().enumerate() {
        let mut file_fails = failing.offender_paths.contains(&f.path) || !f.errors.is_empty();
        for g in &f.functions {
            let fails = failing.function(g.cyclomatic, g.cognitive);
            file_fails |= fails;
            functions.push((
                i,
                g.qualified_name.as_str(),
                g.line,
                g.end_line,
                g.cyclomatic,
                g.rank.as_str(),
                g.cognitive,
                g.coverage,
                fails,
            ));
        }
        let coverage = f.coverage.as_ref().and_then(|c| c.percent);
        file_fails |= matches!((failing.min_file_coverage, coverage), (Some(t), Some(p)) if p < t);
        file_fails |=
            matches!((failing.min_maintainability, f.maintainability), (Some(t), Some(m)) if m < t);
        files.push((
            f.path.as_str(),
            f.language,
            f.lines,
            f.sloc,
            f.maintainability,
            f.maintainability_rank.as_deref(),
            coverage,
            f.functions.len(),
            f.functions.iter().map(|g| g.cyclomatic).max(),
            f.functions.iter().filter_map(|g| g.cognitive).max(),
            f.duplicated_lines,
            f.findings.high + f.findings.medium + f.findings.low,
            file_fails,
        ));
        let cov = f.coverage.as_ref().map(|c| Cov {
            c: &c.covered_lines.0,
            m: &c.missing_lines,
            b: c.branches.iter().filter(|[_, t, n]| t < n).copied().collect(),
        });
        let err: Vec<_> = f
            .errors
            .iter()
            .map(|e| (e.line, e.column, e.message.as_str()))
            .collect();
        let ch = report.scope.files.get(&f.path).map(|r| &r.0[..]);
        if cov.is_some() || !err.is_empty() || ch.is_some() {
            let d = details.entry(i).or_default();
            d.cov = cov;
            d.err = err;
            d.ch = ch;
        }
    }
    for finding in &report.findings {
        if let Some(&i) = index_of.get(finding.path.as_str()) {
            details.entry(i).or_default().fi.push((
                finding.line,
                finding.severity,
                &finding.rule,
                &finding.message,
                &finding.source,
                finding.help_url.as_deref().and_then(web_link),
            ));
        }
    }
    let mut clones = Vec::with_capacity(report.duplication.clones.len());
    for (ci, c) in report.duplication.clones.iter().enumerate() {
        let mut fragments = Vec::with_capacity(c.fragments.len());
        for fr in &c.fragments {
            if let Some(&i) = index_of.get(fr.path.as_str()) {
                details
                    .entry(i)
                    .or_default()
                    .cl
                    .push((fr.start_line, fr.end_line, ci));
                fragments.push((i, fr.start_line, fr.end_line));
            }
        }
        clones.push((c.tokens, c.lines, fragments));
    }
    for (i, text) in sources {
        details.entry(*i).or_default().src = Some(Lines(text));
    }
    for (path, why) in left_out {
        if let Some(&i) = index_of.get(path) {
            details.entry(i).or_default().why = Some(why);
        }
    }
    PageData {
        file_columns: FILE_COLUMNS,
        function_columns: FUNCTION_COLUMNS,
        files,
        functions,
        clones,
        details,
        new_code: report.scope.mode != crate::report::ScopeMode::All,
    }
}
