//! GitHub Actions workflow commands: an `::error`/`::warning`/`::notice` annotation per issue,
//! errors and changed lines first, within GitHub's per-step limits (10 of each level), then a
//! line saying how many were not shown. Properties and data are escaped as GitHub documents
//! (`%`, `\r`, `\n`, and in properties `:` and `,`), so nothing from the repository can end an
//! annotation or start a command of its own.

use std::io::{self, Write};

use super::RenderOptions;
use super::issues::{Level, issues};
use crate::report::{GateStatus, Report, Status};

/// GitHub shows at most this many annotations of each level per step.
pub const PER_LEVEL: usize = 10;

/// Escapes workflow-command data (the message).
pub fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow-command property value (file, title).
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report, _: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut shown = [0usize; 3];
    let mut hidden = 0usize;
    for issue in issues(report) {
        let (command, slot) = match issue.level {
            Level::Error => ("error", 0),
            Level::Warning => ("warning", 1),
            Level::Note => ("notice", 2),
        };
        if shown[slot] == PER_LEVEL {
            hidden += 1;
            continue;
        }
        shown[slot] += 1;
        let mut props = Vec::new();
        if let Some(path) = issue.path {
            props.push(format!("file={}", property(path)));
            props.push(format!("line={}", issue.line.max(1)));
            props.push(format!("endLine={}", issue.end_line.max(issue.line).max(1)));
            if let Some(column) = issue.column {
                props.push(format!("col={column}"));
            }
        }
        let title = match issue.gate {
            Some(gate) => format!("qgate {gate}"),
            None => format!("{} ({})", issue.rule, issue.source),
        };
        props.push(format!("title={}", property(&title)));
        writeln!(out, "::{command} {}::{}", props.join(","), data(&issue.message))?;
    }
    let failed: Vec<&str> = report
        .gates
        .iter()
        .filter(|g| g.status == GateStatus::Fail)
        .map(|g| g.id.as_str())
        .collect();
    let verdict = match report.status {
        Status::Pass => "PASS".to_owned(),
        Status::Fail => format!("FAIL ({})", failed.join(", ")),
    };
    // Plain lines start with `qgate:`, never `::`: they cannot be read as a command.
    if hidden > 0 {
        writeln!(
            out,
            "qgate: {hidden} more annotations not shown (GitHub shows {PER_LEVEL} of each level per step); the JSON, SARIF or HTML report lists them all"
        )?;
    }
    writeln!(
        out,
        "qgate: {verdict}{}",
        super::text::inert(&crate::gate::eval::since(report).replace('\n', " "))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_and_data_are_escaped_as_github_documents() {
        assert_eq!(property("a,b:c%d\nx\ry.py"), "a%2Cb%3Ac%25d%0Ax%0Dy.py");
        assert_eq!(data("100% done: a, b\n::add-mask::x"), "100%25 done: a, b%0A::add-mask::x");
    }
}
