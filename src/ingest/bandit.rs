//! Bandit's JSON report (`bandit -r . -f json -o bandit.json`): its results, and the files it
//! could not scan.

use std::path::Path;

use serde::Deserialize;

use super::IngestError;
use crate::report::Severity;

#[derive(Debug, Deserialize)]
pub struct BanditReport {
    /// Files Bandit could not scan: such a report is not a clean one.
    #[serde(default)]
    pub errors: Vec<ScanError>,
    pub results: Vec<BanditResult>,
}

#[derive(Debug, Deserialize)]
pub struct ScanError {
    pub filename: String,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
pub struct BanditResult {
    pub filename: String,
    pub test_id: String,
    pub issue_severity: Level,
    pub issue_confidence: Level,
    pub issue_text: String,
    pub line_number: u32,
    #[serde(default)]
    pub line_range: Vec<u32>,
    #[serde(default)]
    pub more_info: Option<String>,
    /// 0-based.
    #[serde(default)]
    pub col_offset: Option<u32>,
}

/// Bandit's severity and confidence ranks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    #[serde(alias = "undefined")]
    Undefined,
    #[serde(alias = "low")]
    Low,
    #[serde(alias = "medium")]
    Medium,
    #[serde(alias = "high")]
    High,
}

impl Level {
    /// qgate's severity; Bandit's UNDEFINED (no plugin uses it) counts as low.
    pub fn severity(self) -> Severity {
        match self {
            Level::High => Severity::High,
            Level::Medium => Severity::Medium,
            Level::Low | Level::Undefined => Severity::Low,
        }
    }
}

impl BanditResult {
    /// Last line of the flagged code: the end of `line_range`, else the line itself.
    pub fn end_line(&self) -> u32 {
        self.line_range
            .iter()
            .copied()
            .max()
            .unwrap_or(self.line_number)
            .max(self.line_number)
    }
}

pub fn read(path: &Path) -> Result<BanditReport, IngestError> {
    super::read_json(
        path,
        "Bandit JSON report",
        "pass the output of `bandit -f json`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<BanditReport, IngestError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bandit.json");
        std::fs::write(&path, text).unwrap();
        read(&path)
    }

    #[test]
    fn results_and_errors() {
        let report = parse(
            r#"{"errors": [{"filename": "a.py", "reason": "syntax error while parsing AST from file"}],
                "results": [{"filename": "./svc/h.py", "test_id": "B602", "test_name": "subprocess_popen_with_shell_equals_true",
                  "issue_severity": "HIGH", "issue_confidence": "MEDIUM", "issue_text": "shell=True",
                  "line_number": 9, "line_range": [9, 10, 11], "more_info": "https://bandit.readthedocs.io/"}]}"#,
        )
        .unwrap();
        assert_eq!(report.errors[0].filename, "a.py");
        let r = &report.results[0];
        assert_eq!(
            (
                r.test_id.as_str(),
                r.issue_severity.severity(),
                r.end_line()
            ),
            ("B602", Severity::High, 11)
        );
        assert_eq!(r.issue_confidence, Level::Medium);
    }

    #[test]
    fn wrong_shape_and_truncation_are_located() {
        let err = parse("{\"results\": [{\"filename\": 3}]}").unwrap_err();
        assert!(err.to_string().contains("bandit.json:1:"), "{err}");
        assert!(
            err.to_string().contains("not a Bandit JSON report"),
            "{err}"
        );
        let err = parse("{\"results\": [\n{\"filename\"").unwrap_err();
        assert!(err.to_string().contains("bandit.json:2:"), "{err}");
        assert!(err.to_string().contains("truncated"), "{err}");
        let err = parse("\u{feff}{\"results\": []}").map(|r| r.results.len());
        assert_eq!(err.unwrap(), 0);
    }
}
