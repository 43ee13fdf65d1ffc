//! The terminal summary.

use std::io::{self, Write};

use super::RenderOptions;
use crate::report::{Finding, GateStatus, Report, Severity, Status, number};

/// Items listed per section in normal verbosity.
const TOP: usize = 10;

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(options.color);
    let s = &report.summary;
    if options.verbosity > 0 {
        writeln!(
            out,
            "{} {} · {} files ({} Python, {} Rust) · {} functions · {} lines ({} code)",
            paint.bold("qgate"),
            report.tool.version,
            s.files,
            s.python_files,
            s.rust_files,
            s.functions,
            s.lines,
            s.sloc
        )?;
        let opt = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), number);
        let max = |v: Option<u32>| v.map_or_else(|| "n/a".to_owned(), |m| m.to_string());
        let percent =
            |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |p| format!("{} %", number(p)));
        writeln!(
            out,
            "complexity: average {} · max {}   cognitive: average {} · max {}   maintainability: average {}",
            opt(s.complexity.average),
            max(s.complexity.max),
            opt(s.cognitive.average),
            max(s.cognitive.max),
            opt(s.maintainability.average),
        )?;
        writeln!(
            out,
            "type hints: {} of slots, {} of functions complete   docstrings: {}   duplication: {} ({} clones)",
            percent(s.type_hints.percent),
            percent(s.type_hints.fully_annotated_percent),
            percent(s.docstrings.percent),
            percent(s.duplication.percent),
            s.duplication.clones.unwrap_or(0),
        )?;
        most_complex(report, options, out)?;
        errors(report, options, out)?;
        skipped(report, options, out)?;
        findings(report, options, out)?;
    }
    gates(report, options, out)?;
    let evaluated = report
        .gates
        .iter()
        .filter(|g| g.status != GateStatus::Skipped)
        .count();
    let failed = report
        .gates
        .iter()
        .filter(|g| g.status == GateStatus::Fail)
        .count();
    let verdict = match report.status {
        Status::Pass => paint.green("PASS"),
        Status::Fail => paint.red("FAIL"),
    };
    writeln!(
            out,
        "\n{verdict}: {failed} of {evaluated} evaluated gates failed"
    )?;
    Ok(())
}

fn most_complex(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut all: Vec<_> = report
        .files
        .iter()
        .flat_map(|f| f.functions.iter().map(move |g| (f.path.as_str(), g)))
        .collect();
    if all.is_empty() {
        return Ok(());
    }
    all.sort_by(|a, b| {
        b.1.cyclomatic
            .cmp(&a.1.cyclomatic)
            .then(a.0.cmp(b.0))
            .then(a.1.line.cmp(&b.1.line))
    });
    let shown = if options.verbosity > 1 {
        all.len()
    } else {
        TOP.min(all.len())
    };
    writeln!(
            out,
        "\nMost complex functions (cyclomatic, rank, cognitive)"
    )?;
    for (path, f) in &all[..shown] {
        let place = format!("{}:{}", inert(path), f.line);
        let cognitive = f
            .cognitive
            .map_or_else(|| "-".to_owned(), |c| c.to_string());
        writeln!(
            out,
            "  {:>4} {} {cognitive:>4}  {place:<40} {}",
            f.cyclomatic,
            f.rank,
            inert(&f.qualified_name)
        )?;
    }
    Ok(())
}

fn errors(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let errors: Vec<_> = report
        .files
        .iter()
        .flat_map(|f| f.errors.iter().map(move |e| (f, e)))
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    writeln!(
            out, "\nFiles that do not parse")?;
    for (f, e) in limit(&errors, options) {
        writeln!(
            out,
            "  {}:{}:{}: {}: {}",
            inert(&f.path),
            e.line,
            e.column,
            e.kind,
            inert(&e.message)
        )?;
    }
    more(errors.len(), options, out)
}

fn skipped(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    if report.skipped.is_empty() {
        return Ok(());
    }
    writeln!(
            out, "\nSkipped files")?;
    for s in limit(&report.skipped, options) {
        let reason = serde_json::to_value(s.reason)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        writeln!(
            out,
            "  {} ({reason}): {}",
            inert(&s.path),
            inert(&s.message)
        )?;
    }
    more(report.skipped.len(), options, out)
}

fn findings(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    if report.findings.is_empty() {
        return Ok(());
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    writeln!(
            out,
        "\nFindings ({} high, {} medium, {} low)",
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low)
    )?;
    // Worst first: the list is cut after the first ten.
    let mut sorted: Vec<&Finding> = report.findings.iter().collect();
    sorted.sort_by_key(|f| f.severity);
    for f in limit(&sorted, options) {
        let severity = match f.severity {
            Severity::High => "high  ",
            Severity::Medium => "medium",
            Severity::Low => "low   ",
        };
        writeln!(
            out,
            "  {severity}  {}:{}: {} {} [{}]",
            inert(&f.path),
            f.line,
            f.rule,
            inert(&f.message),
            inert(&f.source)
        )?;
    }
    more(report.findings.len(), options, out)
}

fn gates(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(options.color);
    if options.verbosity > 0 {
        writeln!(
            out, "\nGates")?;
    }
    for g in &report.gates {
        if options.verbosity == 0 && g.status != GateStatus::Fail {
            continue;
        }
        let status = match g.status {
            GateStatus::Pass => paint.green("pass   "),
            GateStatus::Fail => paint.red("fail   "),
            GateStatus::Skipped => paint.dim("skipped"),
        };
        writeln!(
            out, "  {status}  {:<16} {}", g.id, inert(&g.message))?;
    }
    Ok(())
}

fn limit<'a, T>(items: &'a [T], options: &RenderOptions) -> &'a [T] {
    if options.verbosity > 1 {
        items
    } else {
        &items[..TOP.min(items.len())]
    }
}

fn more(total: usize, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    if options.verbosity <= 1 && total > TOP {
        writeln!(
            out, "  … {} more (use -v or --format json)", total - TOP)?;
    }
    Ok(())
}

/// Shows control characters and bidirectional overrides as escapes, so file names and messages
/// cannot move the cursor, retitle the terminal or hide text.
pub fn inert(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// ANSI styling, or none.
struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn green(&self, s: &str) -> String {
        self.wrap("32", s)
    }
    fn red(&self, s: &str) -> String {
        self.wrap("31;1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_inert() {
        assert_eq!(inert("evil\x1b[2J\x07.py"), "evil\\u{1b}[2J\\u{7}.py");
        assert_eq!(inert("a\u{202E}b"), "a\\u{202e}b");
        assert_eq!(inert("plain/é.py"), "plain/é.py");
    }
}
