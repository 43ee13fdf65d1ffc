//! Baselines: the offenders a codebase has today, so a gate can count only new ones.
//!
//! `qgate baseline -o .qgate-baseline.json` records every offender's identity — functions over
//! the complexity limits by path and qualified name (with their value), clones by the stable
//! hash of their tokens, findings by their fingerprint (rule, path and the flagged line's text)
//! and the same without the path — and the headline totals for the ratchet. `--baseline FILE`
//! reads such a file, or any earlier qgate JSON report, which gives the same entries.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::report::headline::headline_of;
use crate::report::{Fragment, FunctionMetric, Report, Severity, Tool};

/// Format version of baseline files.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Baseline {
    /// Always [`BASELINE_VERSION`]; what tells a baseline from a report.
    pub qgate_baseline: u32,
    pub tool: Option<Tool>,
    /// The limits functions were recorded over.
    pub limits: Limits,
    /// The headline totals (`report::headline`), for the ratchet.
    pub headline: BTreeMap<String, f64>,
    /// The grade letter then (`summary.grade`).
    pub grade: Option<String>,
    pub functions: Vec<FunctionEntry>,
    pub clones: Vec<CloneEntry>,
    pub findings: Vec<FindingEntry>,
}

impl Baseline {
    /// Functions with at least one entry.
    pub fn function_count(&self) -> usize {
        let mut seen: Vec<(&str, &str)> = self
            .functions
            .iter()
            .map(|f| (f.path.as_str(), f.name.as_str()))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }
}

/// Functions above these values are offenders (the smallest `max-function` of the enabled
/// gates on each metric).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    pub cyclomatic: Option<f64>,
    pub cognitive: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunctionEntry {
    pub metric: FunctionMetric,
    pub path: String,
    /// Qualified name (`Class.method`): the identity, with the path.
    pub name: String,
    pub line: u32,
    pub value: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CloneEntry {
    pub hash: String,
    pub lines: u32,
    pub fragments: Vec<Fragment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingEntry {
    pub fingerprint: String,
    pub content_fingerprint: String,
    pub rule: String,
    pub source: String,
    pub severity: Severity,
    pub path: String,
    pub line: u32,
}

/// What reading a baseline found wrong.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: cannot read the baseline: {message} — check the path given to --baseline")]
    Read { path: String, message: String },
    #[error(
        "{path}:{line}:{column}: not a qgate baseline or JSON report: {message} — write one with `qgate baseline -o {path}` or `qgate check --format json -o {path}`"
    )]
    Parse {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{path}: baseline format {found} is newer than this qgate reads ({BASELINE_VERSION}) — update qgate, or record the baseline again"
    )]
    Version { path: String, found: u32 },
}

/// Where a loaded baseline came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Baseline,
    Report,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Baseline => "baseline",
            Self::Report => "report",
        }
    }
}

/// Every offender of `report` over `limits`, every clone and every other tool's finding, and
/// the headline totals.
pub fn record(report: &Report, limits: Limits) -> Baseline {
    let functions = offending_functions(report, limits);
    Baseline {
        qgate_baseline: BASELINE_VERSION,
        tool: Some(report.tool.clone()),
        limits,
        headline: headline_of(&report.summary),
        grade: report.summary.grade.as_ref().map(|g| g.letter.clone()),
        functions,
        clones: report
            .duplication
            .clones
            .iter()
            .map(|c| CloneEntry {
                hash: c.hash.clone(),
                lines: c.lines,
                fragments: c.fragments.clone(),
            })
            .collect(),
        // qgate's own findings restate the functions over the limits, recorded above.
        findings: report
            .findings
            .iter()
            .filter(|f| f.source != "qgate")
            .map(|f| FindingEntry {
                fingerprint: f.fingerprint.clone(),
                content_fingerprint: f.content_fingerprint.clone(),
                rule: f.rule.clone(),
                source: f.source.clone(),
                severity: f.severity,
                path: f.path.clone(),
                line: f.line,
            })
            .collect(),
    }
}

/// Every function value of `report` over `limits`, in report order.
pub fn offending_functions(report: &Report, limits: Limits) -> Vec<FunctionEntry> {
    let mut out = Vec::new();
    for file in &report.files {
        for f in &file.functions {
            let values = [
                (
                    FunctionMetric::Cyclomatic,
                    Some(f.cyclomatic),
                    limits.cyclomatic,
                ),
                (FunctionMetric::Cognitive, f.cognitive, limits.cognitive),
            ];
            for (metric, value, limit) in values {
                if let (Some(value), Some(limit)) = (value, limit)
                    && f64::from(value) > limit
                {
                    out.push(FunctionEntry {
                        metric,
                        path: file.path.clone(),
                        name: f.qualified_name.clone(),
                        line: f.line,
                        value,
                    });
                }
            }
        }
    }
    out
}

/// Reads `path`: a baseline file, or a qgate JSON report (whose offenders over `limits` become
/// the entries). `shown` is how messages name the file.
pub fn load(path: &Path, shown: &str, limits: Limits) -> Result<(Baseline, Source), BaselineError> {
    let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Read {
        path: shown.to_owned(),
        message: e.to_string(),
    })?;
    parse(&text, shown, limits)
}

fn parse(text: &str, shown: &str, limits: Limits) -> Result<(Baseline, Source), BaselineError> {
    let located = |e: serde_json::Error| BaselineError::Parse {
        path: shown.to_owned(),
        line: e.line().max(1),
        column: e.column().max(1),
        message: e.to_string(),
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(located)?;
    if let Some(version) = value.get("qgate_baseline") {
        let found = version.as_u64().unwrap_or(0) as u32;
        if found > BASELINE_VERSION {
            return Err(BaselineError::Version {
                path: shown.to_owned(),
                found,
            });
        }
        // Parsed again from the text, so a bad field is reported at its place.
        let baseline: Baseline = serde_json::from_str(text).map_err(located)?;
        return Ok((baseline, Source::Baseline));
    }
    if value.get("schema_version").is_some() && value.get("tool").is_some() {
        let report: Report = serde_json::from_str(text).map_err(located)?;
        return Ok((record(&report, limits), Source::Report));
    }
    Err(BaselineError::Parse {
        path: shown.to_owned(),
        line: 1,
        column: 1,
        message: "it has neither `qgate_baseline` nor `schema_version`".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_file_is_named_with_its_place_and_the_fix() {
        let err = parse(
            "{\"qgate_baseline\": 1, \"functions\": 3}",
            "b.json",
            Limits::default(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("b.json:1:"), "{err}");
        assert!(
            err.to_string()
                .contains("write one with `qgate baseline -o b.json`")
        );
        let err = parse("[]", "b.json", Limits::default()).unwrap_err();
        assert!(
            err.to_string()
                .contains("neither `qgate_baseline` nor `schema_version`")
        );
        let err = parse("{\"qgate_baseline\": 9}", "b.json", Limits::default()).unwrap_err();
        assert!(err.to_string().contains("baseline format 9 is newer"));
    }
}
