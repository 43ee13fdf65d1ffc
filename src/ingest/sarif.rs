//! SARIF 2.1.0 from any producer (ruff, clippy-sarif, Bandit's SARIF formatter, CodeQL): each
//! run's tool and rules, each result's rule, level, message and first location.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::IngestError;
use crate::report::Severity;

#[derive(Deserialize)]
struct Log {
    version: Option<String>,
    runs: Vec<Run>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    #[serde(default)]
    results: Vec<SarifResult>,
    /// `uriBaseId` → its base URI.
    #[serde(default)]
    original_uri_base_ids: HashMap<String, ArtifactLocation>,
}

#[derive(Deserialize)]
struct Tool {
    driver: Driver,
}

#[derive(Deserialize)]
struct Driver {
    name: String,
    #[serde(default)]
    rules: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    default_configuration: Option<Configuration>,
    help_uri: Option<String>,
    #[serde(default)]
    properties: Properties,
}

#[derive(Deserialize)]
struct Configuration {
    level: Option<String>,
}

#[derive(Default, Deserialize)]
struct Properties {
    /// GitHub's security severity, a number in a string ("8.8").
    #[serde(rename = "security-severity")]
    security_severity: Option<serde_json::Value>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: Option<String>,
    rule_index: Option<usize>,
    level: Option<String>,
    kind: Option<String>,
    message: Message,
    #[serde(default)]
    locations: Vec<Location>,
}

#[derive(Deserialize)]
struct Message {
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: Option<PhysicalLocation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: Option<ArtifactLocation>,
    region: Option<Region>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: Option<String>,
    uri_base_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: Option<u32>,
    end_line: Option<u32>,
    start_column: Option<u32>,
}

/// One SARIF result, flattened.
#[derive(Clone, Debug, PartialEq)]
pub struct SarifFinding {
    pub tool: String,
    pub rule: String,
    pub severity: Severity,
    /// A security alert in GitHub's sense: its rule has a `security-severity` or a `security` tag.
    pub security: bool,
    /// The artifact's URI, with its `uriBaseId` resolved and `file://` removed; None for a
    /// result without a location.
    pub path: Option<String>,
    pub line: u32,
    pub end_line: Option<u32>,
    /// 1-based, as SARIF counts.
    pub column: Option<u32>,
    pub message: String,
    pub help_url: Option<String>,
    /// The producer's confidence, when qgate knows it (ruff's `S` rules: Bandit's).
    pub confidence: Option<Severity>,
}

pub fn read(path: &Path) -> Result<Vec<SarifFinding>, IngestError> {
    let log: Log = super::read_json(path, "SARIF log", "pass a SARIF 2.1.0 file")?;
    if let Some(version) = log.version.as_deref()
        && version != "2.1.0"
    {
        return Err(IngestError::new(
            path,
            format!("SARIF version {version}; qgate reads 2.1.0"),
            "ask the producing tool for SARIF 2.1.0",
        ));
    }
    let mut findings = Vec::new();
    for run in &log.runs {
        let rules: HashMap<&str, &Rule> = run
            .tool
            .driver
            .rules
            .iter()
            .map(|r| (r.id.as_str(), r))
            .collect();
        for result in &run.results {
            // `pass` and `notApplicable` results are not findings.
            if matches!(result.kind.as_deref(), Some("pass" | "notApplicable")) {
                continue;
            }
            let rule = result
                .rule_id
                .as_deref()
                .and_then(|id| rules.get(id).copied())
                .or_else(|| result.rule_index.and_then(|i| run.tool.driver.rules.get(i)));
            let rule_id = result
                .rule_id
                .clone()
                .or_else(|| rule.map(|r| r.id.clone()))
                .unwrap_or_else(|| "unknown".to_owned());
            let level = result
                .level
                .as_deref()
                .or_else(|| rule?.default_configuration.as_ref()?.level.as_deref())
                .unwrap_or("warning");
            let security_severity =
                rule.and_then(|r| number(r.properties.security_severity.as_ref()?));
            let security = security_severity.is_some()
                || rule.is_some_and(|r| r.properties.tags.iter().any(|t| t == "security"));
            let physical = result
                .locations
                .first()
                .and_then(|l| l.physical_location.as_ref());
            let region = physical.and_then(|p| p.region.as_ref());
            let mut severity =
                security_severity.map_or_else(|| Severity::from_level(level), score_severity);
            let mut security = security;
            let mut confidence = None;
            if super::ruff::is_ruff(&run.tool.driver.name) {
                let ranked = super::ruff::rank(&rule_id);
                (severity, security, confidence) =
                    (ranked.severity, ranked.security, ranked.confidence);
            }
            findings.push(SarifFinding {
                tool: run.tool.driver.name.clone(),
                rule: rule_id,
                severity,
                security,
                confidence,
                path: physical
                    .and_then(|p| p.artifact_location.as_ref())
                    .and_then(|a| artifact_path(a, &run.original_uri_base_ids)),
                line: region.and_then(|r| r.start_line).unwrap_or(1),
                end_line: region.and_then(|r| r.end_line),
                column: region.and_then(|r| r.start_column),
                message: result.message.text.clone().unwrap_or_default(),
                help_url: rule.and_then(|r| r.help_uri.clone()),
            });
        }
    }
    Ok(findings)
}

/// GitHub's bands for `security-severity`: 7.0 and above high (9.0+ is its "critical"), 4.0
/// and above medium, below that low.
fn score_severity(score: f64) -> Severity {
    if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else {
        Severity::Low
    }
}

fn number(value: &serde_json::Value) -> Option<f64> {
    match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite())
}

/// The artifact's path: its base URI joined in front, `file://` and `%XX` escapes removed.
fn artifact_path(
    artifact: &ArtifactLocation,
    bases: &HashMap<String, ArtifactLocation>,
) -> Option<String> {
    let uri = artifact.uri.as_deref()?;
    let base = artifact
        .uri_base_id
        .as_ref()
        .and_then(|id| bases.get(id))
        .and_then(|b| b.uri.as_deref())
        .filter(|_| !uri.contains("://"));
    let joined = match base {
        Some(base) => format!("{}/{uri}", base.trim_end_matches('/')),
        None => uri.to_owned(),
    };
    let path = joined.strip_prefix("file://").unwrap_or(&joined);
    Some(percent_decode(path))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<SarifFinding>, IngestError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.sarif");
        std::fs::write(&path, text).unwrap();
        read(&path)
    }

    #[test]
    fn three_runs_from_two_tools_and_their_levels() {
        let text = r#"{"version": "2.1.0", "runs": [
          {"tool": {"driver": {"name": "flake8", "rules": [{"id": "F401", "defaultConfiguration": {"level": "note"}}]}},
           "results": [
             {"ruleId": "F401", "message": {"text": "unused"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///home/runner/work/x/x/src/a%20b.py"}, "region": {"startLine": 3}}}]},
             {"ruleId": "E501", "level": "warning", "message": {"text": "long"}, "locations": []}]},
          {"tool": {"driver": {"name": "CodeQL", "rules": [{"id": "py/sql", "helpUri": "https://codeql.example/py-sql", "properties": {"security-severity": "8.8", "tags": ["security"]}}]}},
           "originalUriBaseIds": {"SRC": {"uri": "file:///repo/"}},
           "results": [
             {"ruleIndex": 0, "level": "note", "message": {"text": "sql"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/db.py", "uriBaseId": "SRC"}, "region": {"startLine": 10, "endLine": 12}}}]},
             {"ruleId": "py/sql", "kind": "pass", "message": {"text": "fine"}}]},
          {"tool": {"driver": {"name": "flake8"}},
           "results": [{"ruleId": "F841", "level": "error", "message": {"text": "unused var"}}]}
        ]}"#;
        let found = parse(text).unwrap();
        type Row<'a> = (&'a str, &'a str, Severity, bool, Option<&'a str>, u32);
        let summary: Vec<Row> = found
            .iter()
            .map(|f| {
                (
                    f.tool.as_str(),
                    f.rule.as_str(),
                    f.severity,
                    f.security,
                    f.path.as_deref(),
                    f.line,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "flake8",
                    "F401",
                    Severity::Low,
                    false,
                    Some("/home/runner/work/x/x/src/a b.py"),
                    3
                ),
                ("flake8", "E501", Severity::Medium, false, None, 1),
                (
                    "CodeQL",
                    "py/sql",
                    Severity::High,
                    true,
                    Some("/repo/app/db.py"),
                    10
                ),
                ("flake8", "F841", Severity::High, false, None, 1),
            ]
        );
        assert_eq!(found[2].end_line, Some(12));
        assert_eq!(
            found[2].help_url.as_deref(),
            Some("https://codeql.example/py-sql")
        );
    }

    #[test]
    fn other_versions_and_shapes_are_errors() {
        let err = parse(r#"{"version": "2.0.0", "runs": []}"#).unwrap_err();
        assert!(err.to_string().contains("SARIF version 2.0.0"), "{err}");
        let err = parse(r#"{"version": "2.1.0", "runs": [{"results": []}]}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `tool`"), "{err}");
        assert_eq!(score_severity(3.9), Severity::Low);
        assert_eq!(score_severity(4.0), Severity::Medium);
    }
}
