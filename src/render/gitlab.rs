//! GitLab Code Quality: the CodeClimate subset GitLab documents — `description`, `check_name`,
//! `fingerprint` (unique and stable), `severity` (info, minor, major, critical, blocker) and
//! `location.path` with `lines.begin` — one entry per issue that has a place.

use std::collections::HashSet;
use std::io::{self, Write};

use serde_json::json;

use super::RenderOptions;
use super::issues::issues;
use crate::metrics::fingerprint::stable_hash;
use crate::report::{Report, Severity};

/// CodeClimate's category of an issue.
fn category(rule: &str, security: bool, severity: Severity) -> &'static str {
    if security {
        "Security"
    } else if rule.contains("duplication") {
        "Duplication"
    } else if rule.starts_with("function-too-") || rule.contains("complexity") || rule.contains("cognitive") {
        "Complexity"
    } else if severity == Severity::High {
        "Bug Risk"
    } else {
        "Style"
    }
}

pub fn render(report: &Report, _: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut entries = Vec::new();
    for issue in issues(report) {
        let Some(path) = issue.path else { continue };
        let severity = match (issue.gate, issue.severity, issue.security) {
            (Some("parse-errors"), _, _) => "blocker",
            (Some(_), _, _) => "major",
            (None, Severity::High, true) => "blocker",
            (None, Severity::High, false) => "critical",
            (None, Severity::Medium, _) => "major",
            (None, Severity::Low, _) => "minor",
        };
        // 32 hex digits, unique in the report: the issue's fingerprint, with its rule, and a
        // counter when two issues share both.
        let base = format!("{}\0{}\0{}", issue.rule, path, issue.fingerprint);
        let mut n = 0u32;
        let fingerprint = loop {
            let salted = format!("{base}\0{n}");
            let h = format!(
                "{:016x}{:016x}",
                stable_hash(salted.as_bytes()),
                stable_hash(format!("{salted}\0gitlab").as_bytes())
            );
            if seen.insert(h.clone()) {
                break h;
            }
            n += 1;
        };
        entries.push(json!({
            "type": "issue",
            "description": issue.message,
            "check_name": issue.rule,
            "fingerprint": fingerprint,
            "severity": severity,
            "categories": [category(&issue.rule, issue.security, issue.severity)],
            "location": {
                "path": path,
                "lines": {"begin": issue.line.max(1), "end": issue.end_line.max(issue.line).max(1)},
            },
        }));
    }
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &entries)?;
    out.write_all(b"\n")?;
    out.flush()
}
