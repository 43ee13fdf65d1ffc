//! The data the page's script reads: files, functions, clones and per-file details (coverage,
//! findings, clone regions, changed lines, the embedded source), as compact JSON arrays — a
//! page for 10,000 files and 100,000 functions stays a few megabytes.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::escape::web_link;
use super::sources::Sources;
use crate::gate::catalog::Metric;
use crate::report::{GateStatus, Report};

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

/// The page's data, as one JSON value.
pub fn data(report: &Report, sources: &Sources, left_out: &HashMap<&str, &str>) -> Value {
    let failing = Failing::of(report);
    let index_of: HashMap<&str, usize> = report
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    let mut files = Vec::with_capacity(report.files.len());
    let mut functions = Vec::new();
    for (i, f) in report.files.iter().enumerate() {
        let mut file_fails = failing.offender_paths.contains(&f.path) || !f.errors.is_empty();
        for g in &f.functions {
            let fails = failing.function(g.cyclomatic, g.cognitive);
            file_fails |= fails;
            functions.push(json!([
                i, g.qualified_name, g.line, g.end_line, g.cyclomatic, g.rank, g.cognitive,
                g.coverage, fails
            ]));
        }
        let coverage = f.coverage.as_ref().and_then(|c| c.percent);
        file_fails |= matches!((failing.min_file_coverage, coverage), (Some(t), Some(p)) if p < t);
        file_fails |=
            matches!((failing.min_maintainability, f.maintainability), (Some(t), Some(m)) if m < t);
        files.push(json!([
            f.path,
            f.language,
            f.lines,
            f.sloc,
            f.maintainability,
            f.maintainability_rank,
            coverage,
            f.functions.len(),
            f.functions.iter().map(|g| g.cyclomatic).max(),
            f.functions.iter().filter_map(|g| g.cognitive).max(),
            f.duplicated_lines,
            f.findings.high + f.findings.medium + f.findings.low,
            file_fails
        ]));
    }

    let mut details: HashMap<usize, serde_json::Map<String, Value>> = HashMap::new();
    for (i, f) in report.files.iter().enumerate() {
        if let Some(c) = &f.coverage {
            let partial: Vec<_> = c.branches.iter().filter(|[_, t, n]| t < n).collect();
            details.entry(i).or_default().insert(
                "cov".into(),
                json!({"c": c.covered_lines.0, "m": c.missing_lines, "b": partial}),
            );
        }
        if !f.errors.is_empty() {
            let errors: Vec<Value> = f
                .errors
                .iter()
                .map(|e| json!([e.line, e.column, e.message]))
                .collect();
            details.entry(i).or_default().insert("err".into(), errors.into());
        }
        if let Some(changed) = report.scope.files.get(&f.path) {
            details.entry(i).or_default().insert("ch".into(), json!(changed.0));
        }
    }
    for finding in &report.findings {
        let Some(&i) = index_of.get(finding.path.as_str()) else {
            continue;
        };
        let url = finding.help_url.as_deref().and_then(web_link);
        let entry = details.entry(i).or_default();
        let list = entry.entry("fi").or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut() {
            list.push(json!([
                finding.line,
                finding.severity,
                finding.rule,
                finding.message,
                finding.source,
                url
            ]));
        }
    }
    let mut clones = Vec::with_capacity(report.duplication.clones.len());
    for (ci, c) in report.duplication.clones.iter().enumerate() {
        let fragments: Vec<Value> = c
            .fragments
            .iter()
            .filter_map(|fr| {
                let &i = index_of.get(fr.path.as_str())?;
                let list = details
                    .entry(i)
                    .or_default()
                    .entry("cl")
                    .or_insert_with(|| json!([]));
                if let Some(list) = list.as_array_mut() {
                    list.push(json!([fr.start_line, fr.end_line, ci]));
                }
                Some(json!([i, fr.start_line, fr.end_line]))
            })
            .collect();
        clones.push(json!([c.tokens, c.lines, fragments]));
    }
    for (i, lines) in sources {
        details.entry(*i).or_default().insert("src".into(), json!(lines));
    }
    for (path, why) in left_out {
        if let Some(&i) = index_of.get(path) {
            details.entry(i).or_default().insert("why".into(), json!(why));
        }
    }
    let details: serde_json::Map<String, Value> = details
        .into_iter()
        .map(|(i, d)| (i.to_string(), Value::Object(d)))
        .collect();
    json!({
        "file_columns": FILE_COLUMNS,
        "function_columns": FUNCTION_COLUMNS,
        "files": files,
        "functions": functions,
        "clones": clones,
        "details": details,
        "new_code": report.scope.mode != crate::report::ScopeMode::All,
    })
}
