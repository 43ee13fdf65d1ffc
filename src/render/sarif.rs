//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers: one run, a rule per gate and
//! per rule of the findings, a result per finding and per failing-gate offender, with
//! repository-relative URIs under `%SRCROOT%` and the finding fingerprints as
//! `partialFingerprints`. Within GitHub's upload limits: at most 25,000 results (errors and
//! changed lines kept first), the rest counted in the run's properties.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::RenderOptions;
use super::issues::{Issue, Level, issues};
use crate::report::{Report, Severity};

/// GitHub code scanning's limit of results per run.
pub const MAX_RESULTS: usize = 25_000;

pub fn render(report: &Report, _: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut out, &sarif(report))?;
    out.write_all(b"\n")?;
    out.flush()
}

/// `path` as a relative URI reference: `/`-separated segments, each percent-encoded except
/// RFC 3986's unreserved characters.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// GitHub's `security-severity` for a security finding's severity.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "2.0",
    }
}

fn sarif(report: &Report) -> Value {
    let all = issues(report);
    let dropped = all.len().saturating_sub(MAX_RESULTS);
    let kept: Vec<&Issue<'_>> = all.iter().take(MAX_RESULTS).collect();

    let mut rules: BTreeMap<String, Value> = BTreeMap::new();
    for rule in crate::gate::catalog::rules() {
        let id = format!("gate/{}", rule.id);
        rules.insert(
            id.clone(),
            json!({
                "id": id,
                "name": rule.id,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.explain.measures},
                "help": {
                    "text": format!("{}\n\nRun `qgate explain {}` for how it is computed, its limits and settings.", rule.explain.measures, rule.id),
                    "markdown": format!("{}\n\nRun `qgate explain {}` for how it is computed, its limits and settings.", rule.explain.measures, rule.id),
                },
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": ["quality-gate", "qgate"]},
            }),
        );
    }
    for f in &report.findings {
        rules.entry(f.rule.clone()).or_insert_with(|| {
            let mut rule = json!({
                "id": f.rule,
                "shortDescription": {"text": format!("{} ({})", f.rule, f.source)},
                "fullDescription": {"text": format!("{}, reported by {} and read by qgate", f.rule, f.source)},
                "help": {"text": format!(
                    "See {}'s documentation of {}. qgate counts its findings in the lint gate{}; `qgate explain lint`.",
                    f.source,
                    f.rule,
                    if f.security { " and the security gate" } else { "" }
                )},
                "defaultConfiguration": {"level": Level::of(f.severity).sarif()},
                "properties": {
                    "tags": if f.security { json!(["security", f.source]) } else { json!([f.source]) },
                },
            });
            if f.security {
                rule["properties"]["security-severity"] = json!(security_severity(f.severity));
            }
            if let Some(url) = f.help_url.as_deref().and_then(super::html::escape::web_link) {
                rule["helpUri"] = json!(url);
            }
            rule
        });
    }
    let rule_index: BTreeMap<&str, usize> =
        rules.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();

    let results: Vec<Value> = kept
        .iter()
        .map(|i| {
            let mut result = json!({
                "ruleId": i.rule,
                "ruleIndex": rule_index.get(i.rule.as_str()).copied().unwrap_or(0),
                "level": i.level.sarif(),
                "message": {"text": i.message},
                "partialFingerprints": {"qgateFingerprint/v1": i.fingerprint},
            });
            if let Some(path) = i.path {
                let mut region = json!({"startLine": i.line.max(1), "endLine": i.end_line.max(i.line).max(1)});
                if let Some(column) = i.column.filter(|c| *c >= 1) {
                    region["startColumn"] = json!(column);
                }
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(path), "uriBaseId": "%SRCROOT%"},
                        "region": region,
                    }
                }]);
            }
            if let Some(known) = i.known {
                result["baselineState"] = json!(if known { "unchanged" } else { "new" });
            }
            if i.changed {
                result["properties"] = json!({"onChangedLines": true});
            }
            result
        })
        .collect();

    let mut driver = json!({
        "name": "qgate",
        "version": report.tool.version,
        "semanticVersion": report.tool.version,
        "rules": rules.into_values().collect::<Vec<_>>(),
    });
    if let Some(uri) = option_env!("CARGO_PKG_REPOSITORY").filter(|u| !u.is_empty()) {
        driver["informationUri"] = json!(uri);
    }
    let mut run = json!({
        "tool": {"driver": driver},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the repository root"}}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "status": report.status,
            "resultsDropped": dropped,
        },
    });
    if dropped > 0 {
        run["properties"]["resultsDroppedNote"] = json!(format!(
            "{dropped} of {} results were left out to stay within GitHub's {MAX_RESULTS} results per run; errors and results on changed lines were kept first",
            all.len()
        ));
    }
    if let Some(commit) = &report.scope.base_commit {
        run["properties"]["baseCommit"] = json!(commit);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Duplication, Finding};

    #[test]
    fn over_githubs_limit_errors_are_kept_and_the_rest_is_counted() {
        let mut report = Report::new(String::new(), Duplication::default());
        for i in 0..MAX_RESULTS as u32 {
            let mut f = Finding::new("L1", "lint", Severity::Low, "a.py", i + 1, "low");
            f.fingerprint = format!("low{i}");
            report.findings.push(f);
        }
        for i in 0..5 {
            let mut f = Finding::new("H1", "lint", Severity::High, "b.py", i + 1, "high");
            f.fingerprint = format!("high{i}");
            report.findings.push(f);
        }
        let s = sarif(&report);
        let results = s["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), MAX_RESULTS);
        assert_eq!(
            results.iter().filter(|r| r["level"] == "error").count(),
            5,
            "every error is kept"
        );
        assert_eq!(s["runs"][0]["properties"]["resultsDropped"], 5);
        assert!(
            s["runs"][0]["properties"]["resultsDroppedNote"]
                .as_str()
                .unwrap()
                .starts_with("5 of 25005 results were left out")
        );
    }

    #[test]
    fn uris_are_percent_encoded_relative_references() {
        assert_eq!(uri("src/a b#c%.py"), "src/a%20b%23c%25.py");
        assert_eq!(uri("pkg/café.py"), "pkg/caf%C3%A9.py");
        assert_eq!(uri("ok/path_1-2.~x.rs"), "ok/path_1-2.~x.rs");
    }
}
