//! What CI formats report one by one: every finding (other tools' and qgate's own) and every
//! offender of a failing gate that is not already a finding, with a level, a place, a stable
//! fingerprint, whether it lies on changed lines and whether the baseline knew it. Sorted
//! errors first, changed lines first, then by place — the order formats keep when they must
//! drop some to stay within a limit.

use std::collections::HashSet;

use crate::metrics::fingerprint::stable_hash;
use crate::report::{GateStatus, Report, Severity};

/// SARIF's levels, which GitHub annotations and GitLab severities follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    pub fn of(severity: Severity) -> Self {
        match severity {
            Severity::High => Self::Error,
            Severity::Medium => Self::Warning,
            Severity::Low => Self::Note,
        }
    }

    pub fn sarif(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Note => "note",
        }
    }
}

/// One reportable item.
#[derive(Clone, Debug)]
pub struct Issue<'a> {
    /// The finding's rule, or `gate/<gate id>` for a gate offender.
    pub rule: String,
    /// The failing gate of an offender.
    pub gate: Option<&'a str>,
    pub source: &'a str,
    pub level: Level,
    pub severity: Severity,
    pub security: bool,
    /// None for a failing gate with nothing to point at (a total).
    pub path: Option<&'a str>,
    pub line: u32,
    pub end_line: u32,
    /// 1-based, when the producing tool gave one.
    pub column: Option<u32>,
    pub message: String,
    pub fingerprint: String,
    pub changed: bool,
    /// With `--baseline`: whether it already held this one.
    pub known: Option<bool>,
}

/// Conditions whose offenders are findings already (qgate's own `function-too-complex` and
/// `function-too-cognitive`, other tools' findings).
fn offenders_are_findings(metric: &str) -> bool {
    metric == "complexity.max"
        || metric == "cognitive.max"
        || metric.starts_with("security.")
        || metric.starts_with("findings.")
        || metric == "pylint.score"
}

pub fn issues<'a>(report: &'a Report) -> Vec<Issue<'a>> {
    let known: Option<HashSet<&str>> = report.baseline.as_ref().map(|b| {
        b.known
            .findings
            .iter()
            .chain(&b.known.restated)
            .map(String::as_str)
            .collect()
    });
    let mut out: Vec<Issue<'_>> = report
        .findings
        .iter()
        .map(|f| {
            let end = f.end_line.unwrap_or(f.line).max(f.line);
            Issue {
                rule: f.rule.clone(),
                gate: None,
                source: &f.source,
                level: Level::of(f.severity),
                severity: f.severity,
                security: f.security,
                path: Some(&f.path),
                line: f.line,
                end_line: end,
                column: f.column,
                message: f.message.clone(),
                fingerprint: f.fingerprint.clone(),
                changed: report.scope.touches_range(&f.path, f.line, end),
                known: known.as_ref().map(|k| k.contains(f.fingerprint.as_str())),
            }
        })
        .collect();
    for g in report.gates.iter().filter(|g| g.status == GateStatus::Fail) {
        // A failing gate's own issue: at an offender's line, or (`path` None) for the total.
        let gate_issue = |path: Option<&'a str>, line: u32, message: &str, identity: &str| Issue {
            rule: format!("gate/{}", g.id),
            gate: Some(&g.id),
            source: "qgate",
            level: Level::Error,
            severity: Severity::High,
            security: false,
            path,
            line: if path.is_some() { line.max(1) } else { 0 },
            end_line: if path.is_some() { line.max(1) } else { 0 },
            column: None,
            message: format!("{}: {message}", g.id),
            fingerprint: format!("{:016x}", stable_hash(identity.as_bytes())),
            changed: path.is_some_and(|p| report.scope.touches_range(p, line, line)),
            known: known.as_ref().map(|_| false),
        };
        for o in &g.offenders {
            let metric = g
                .conditions
                .iter()
                .find(|c| c.key == o.condition)
                .map_or("", |c| c.metric.as_str());
            if offenders_are_findings(metric) {
                continue;
            }
            // The message without its numbers: a value that changes is the same offender.
            let identity: String = format!("{}\0{}\0{}\0{}", g.id, o.condition, o.path, o.message)
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .collect();
            out.push(gate_issue(
                Some(&o.path),
                o.line.max(1),
                &o.message,
                &identity,
            ));
        }
        // A failing total with nothing to point at (an average, the ratchet).
        if g.offenders.is_empty() {
            out.push(gate_issue(None, 0, &g.message, &format!("gate\0{}", g.id)));
        }
    }
    // Within a level, findings before gate offenders: a security finding is not crowded out
    // of a limited list by a hundred functions without type hints.
    out.sort_by(|a, b| {
        (
            a.level,
            !a.changed,
            a.gate.is_some(),
            a.path,
            a.line,
            &a.rule,
        )
            .cmp(&(
                b.level,
                !b.changed,
                b.gate.is_some(),
                b.path,
                b.line,
                &b.rule,
            ))
    });
    out
}
