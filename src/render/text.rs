//! The terminal summary: the headline numbers, the places worth a look, and the gates — each
//! failing one with what makes it fail, at `path:line`.

use std::io::{self, Write};

use super::RenderOptions;
use crate::gate::eval::since;
use crate::order::first_sorted;
use crate::report::{
    FileReport, Finding, GateResult, GateStatus, InputKind, LineRanges, Report, ScopeMode,
    Severity, Status, number,
};

/// Items listed per section (and offenders per failing gate) in normal verbosity.
const TOP: usize = 10;

/// The widest a path column grows before longer paths stop being aligned.
const PATH_COLUMN: usize = 60;

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(options.color);
    if options.verbosity > 0 {
        header(report, options, out)?;
        most_complex(report, options, out)?;
        if options.verbosity > 1 || failed(report, "coverage") {
            coverage_table(report, options, out)?;
        }
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
    // A run without a trustworthy verdict (exit 2) must not read PASS: say so, and why.
    let problems = crate::gate::verdict::verdict(report, false).problems;
    if !problems.is_empty() {
        writeln!(out, "\n{}: qgate cannot give a verdict (exit 2):", paint.red("NO VERDICT"))?;
        for problem in &problems {
            writeln!(out, "  {}", inert(problem))?;
        }
        return Ok(());
    }
    let verdict = match report.status {
        Status::Pass => paint.green("PASS"),
        Status::Fail => paint.red("FAIL"),
    };
    let scope = match report.scope.mode {
        ScopeMode::All => String::new(),
        _ => format!("; new code{}", since(report)),
    };
    writeln!(
        out,
        "\n{verdict}: {failed} of {evaluated} evaluated gates failed{}",
        inert(&scope)
    )
}

fn failed(report: &Report, gate: &str) -> bool {
    report
        .gates
        .iter()
        .any(|g| g.id == gate && g.status == GateStatus::Fail)
}

fn header(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(options.color);
    let s = &report.summary;
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
    if options.verbosity > 1 {
        let config = report.config.file.as_deref().map_or_else(
            || "none (built-in defaults)".to_owned(),
            inert,
        );
        let passed_over: Vec<String> = report
            .config
            .ignored
            .iter()
            .map(|i| format!("{} — {}", inert(&i.path), inert(&i.why)))
            .collect();
        if passed_over.is_empty() {
            writeln!(out, "config: {config}")?;
        } else {
            writeln!(out, "config: {config} (passed over: {})", passed_over.join("; "))?;
        }
    }
    if !report.inputs.reports.is_empty() {
        let read: Vec<String> = report
            .inputs
            .reports
            .iter()
            .map(|r| {
                let (kind, what) = match r.kind {
                    InputKind::Coverage => ("coverage", "entries"),
                    InputKind::Bandit => ("bandit", "findings"),
                    InputKind::Sarif => ("sarif", "findings"),
                    InputKind::Pylint => ("pylint", "messages"),
                    InputKind::Clippy => ("clippy", "findings"),
                    InputKind::Mypy => ("mypy", "messages"),
                    InputKind::PipAudit => ("pip-audit", "advisories"),
                    InputKind::CargoAudit => ("cargo-audit", "advisories"),
                };
                format!("{kind} {} ({} {what})", inert(&r.path), r.entries)
            })
            .collect();
        writeln!(out, "read: {}", read.join(" · "))?;
    }
    let opt = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), number);
    let max = |v: Option<u32>| v.map_or_else(|| "n/a".to_owned(), |m| m.to_string());
    let percent = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |p| format!("{} %", number(p)));
    writeln!(
        out,
        "complexity: average {} · max {}   cognitive: average {} · max {}   maintainability: average {}",
        opt(s.complexity.average),
        max(s.complexity.max),
        opt(s.cognitive.average),
        max(s.cognitive.max),
        opt(s.maintainability.average),
    )?;
    if let Some(p) = s.coverage.percent {
        let mut parts = Vec::new();
        if let Some(l) = s.coverage.line_percent {
            parts.push(format!("lines {} %", number(l)));
        }
        if let Some(b) = s.coverage.branch_percent {
            parts.push(format!("branches {} %", number(b)));
        }
        writeln!(out, "coverage: {} % ({})", number(p), parts.join(", "))?;
    }
    let mut last = Vec::new();
    if s.python_files > 0 {
        last.push(format!(
            "type hints: {} of slots, {} of functions complete",
            percent(s.type_hints.percent),
            percent(s.type_hints.fully_annotated_percent)
        ));
    }
    last.push(format!("docstrings: {}", percent(s.docstrings.percent)));
    last.push(format!(
        "duplication: {} ({} clones)",
        percent(s.duplication.percent),
        s.duplication.clones.unwrap_or(0)
    ));
    writeln!(out, "{}", last.join("   "))?;
    if let Some(grade) = &s.grade {
        writeln!(
            out,
            "grade: {} ({} of 100)",
            paint.bold(&grade.letter),
            number(grade.score)
        )?;
    }
    new_code(report, out)?;
    baseline(report, options, out)
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What `--baseline` held: how many of today's offenders it knew, and what it had that is fixed.
fn baseline(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let Some(b) = &report.baseline else {
        return Ok(());
    };
    let known = b.known.count() as u32;
    let renamed = match b.renamed.len() {
        0 => String::new(),
        n => format!(" · followed {n} renamed file{}", plural(n as u32)),
    };
    writeln!(
        out,
        "baseline: {} ({} entries): {known} known offender{} not counted by the gates · {} fixed{renamed}",
        inert(&b.path),
        b.entries,
        plural(known),
        b.fixed.len()
    )?;
    let shown = limit(&b.fixed, options);
    let places: Vec<String> = shown
        .iter()
        .map(|f| format!("{}:{}", inert(&f.path), f.line))
        .collect();
    let width = column(places.iter().map(String::as_str));
    for (f, place) in shown.iter().zip(&places) {
        writeln!(out, "  fixed  {place:<width$}  {}", inert(&f.message))?;
    }
    more(b.fixed.len(), options, out)
}

/// The change the new-code gates look at, and what it adds.
fn new_code(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let Some(n) = &report.summary.new_code else {
        return Ok(());
    };
    let since = inert(&since(report));
    if n.changed_lines == 0 {
        return writeln!(
            out,
            "new code: no changed lines{since} — new-code gates not evaluated"
        );
    }
    let mut parts = vec![format!(
        "{} changed lines in {} files{since}",
        n.changed_lines, n.files
    )];
    if let Some(p) = n.coverage.percent {
        parts.push(format!(
            "diff coverage {} % ({} of {} coverable lines)",
            number(p),
            n.coverage.covered_lines,
            n.coverage.coverable_lines
        ));
    }
    parts.push(format!("{} changed functions", n.functions));
    writeln!(out, "new code: {}", parts.join(" · "))
}

fn most_complex(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let all: Vec<_> = report
        .files
        .iter()
        .flat_map(|f| f.functions.iter().map(move |g| (f.path.as_str(), g)))
        .collect();
    if all.is_empty() {
        return Ok(());
    }
    let total = all.len();
    let shown = first_sorted(all, shown_count(total, options), |a, b| {
        b.1.cyclomatic
            .cmp(&a.1.cyclomatic)
            .then(a.0.cmp(b.0))
            .then(a.1.line.cmp(&b.1.line))
    });
    let places: Vec<String> = shown
        .iter()
        .map(|(path, f)| format!("{}:{}", inert(path), f.line))
        .collect();
    let width = column(places.iter().map(String::as_str));
    writeln!(out, "\nMost complex functions (cyclomatic, rank, cognitive)")?;
    for ((_, f), place) in shown.iter().zip(&places) {
        let cognitive = f
            .cognitive
            .map_or_else(|| "-".to_owned(), |c| c.to_string());
        writeln!(
            out,
            "  {:>4} {} {cognitive:>4}  {place:<width$}  {}",
            f.cyclomatic,
            f.rank,
            inert(&f.qualified_name)
        )?;
    }
    more(total, options, out)
}

/// `coverage report -m`'s table, worst file first.
fn coverage_table(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut covered: Vec<&FileReport> = report.files.iter().filter(|f| f.coverage.is_some()).collect();
    if covered.is_empty() {
        return Ok(());
    }
    let percent = |f: &FileReport| f.coverage.as_ref().and_then(|c| c.percent).unwrap_or(100.0);
    covered.sort_by(|a, b| percent(a).total_cmp(&percent(b)).then(a.path.cmp(&b.path)));
    let shown = limit(&covered, options);
    let width = column(shown.iter().map(|f| f.path.as_str()).chain(["Name"]));
    writeln!(out, "\nCoverage (worst first)")?;
    writeln!(
        out,
        "  {:<width$}  {:>6} {:>6} {:>6} {:>6} {:>7}  Missing",
        "Name", "Stmts", "Miss", "Branch", "BrPart", "Cover"
    )?;
    for file in shown {
        let Some(c) = &file.coverage else { continue };
        let partial = c.branches.iter().filter(|b| b[1] < b[2]).count();
        let cover = c.percent.map_or_else(|| "n/a".to_owned(), |p| format!("{} %", number(p)));
        let missing = if c.unreported {
            "(in no report)".to_owned()
        } else {
            LineRanges::from_ascending(c.missing_lines.iter().copied()).to_string()
        };
        let row = format!(
            "  {:<width$}  {:>6} {:>6} {:>6} {:>6} {cover:>7}  {missing}",
            inert(&file.path),
            c.lines_valid,
            c.lines_valid - c.lines_covered,
            c.branches_valid,
            partial,
        );
        writeln!(out, "{}", row.trim_end())?;
    }
    more(covered.len(), options, out)?;
    let partial: usize = covered
        .iter()
        .filter_map(|f| f.coverage.as_ref())
        .map(|c| c.branches.iter().filter(|b| b[1] < b[2]).count())
        .sum();
    let s = &report.summary.coverage;
    let total = s.percent.map_or_else(|| "n/a".to_owned(), |p| format!("{} %", number(p)));
    writeln!(
        out,
        "  {:<width$}  {:>6} {:>6} {:>6} {:>6} {total:>7}",
        "TOTAL",
        s.lines_valid.unwrap_or(0),
        s.lines_valid.unwrap_or(0) - s.lines_covered.unwrap_or(0),
        s.branches_valid.unwrap_or(0),
        partial,
    )
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
    writeln!(out, "\nFiles that do not parse")?;
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
    writeln!(out, "\nSkipped files")?;
    for s in limit(&report.skipped, options) {
        let reason = serde_json::to_value(s.reason)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        writeln!(out, "  {} ({reason}): {}", inert(&s.path), inert(&s.message))?;
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
    let all: Vec<&Finding> = report.findings.iter().collect();
    let shown = first_sorted(all, shown_count(report.findings.len(), options), |a, b| {
        a.severity.cmp(&b.severity)
    });
    for f in shown {
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
            inert(&f.rule),
            inert(&f.message),
            inert(&f.source)
        )?;
    }
    more(report.findings.len(), options, out)
}

fn gates(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(options.color);
    if options.verbosity > 0 {
        writeln!(out, "\nGates")?;
    }
    let width = column(report.gates.iter().map(|g| g.id.as_str())).max(16);
    let mut heading = "all";
    for g in &report.gates {
        if options.verbosity == 0 && g.status != GateStatus::Fail {
            continue;
        }
        if g.scope != heading && options.verbosity > 0 {
            heading = &g.scope;
            match heading {
                "new-code" => writeln!(out, "  on new code{}:", inert(&since(report)))?,
                "ratchet" => {
                    let path = report.baseline.as_ref().map_or("", |b| b.path.as_str());
                    writeln!(out, "  against the totals of {}:", inert(path))?;
                }
                _ => {}
            }
        }
        let status = match g.status {
            GateStatus::Pass => paint.green("pass   "),
            GateStatus::Fail => paint.red("fail   "),
            GateStatus::Skipped => paint.dim("skipped"),
        };
        let scope = g.paths.as_ref().map_or_else(String::new, |p| {
            let mut parts = Vec::new();
            if !p.include.is_empty() {
                parts.push(format!("only {}", p.include.join(", ")));
            }
            if !p.exclude.is_empty() {
                parts.push(format!("not {}", p.exclude.join(", ")));
            }
            format!(" [{}]", inert(&parts.join("; ")))
        });
        let forgiven = match g.forgiven {
            0 => String::new(),
            n => format!(" ({n} baseline offender{} not counted)", plural(n)),
        };
        writeln!(
            out,
            "  {status}  {:<width$} {}{scope}{}",
            g.id,
            inert(&g.message),
            paint.dim(&forgiven)
        )?;
        if g.status == GateStatus::Fail {
            offenders(g, options, out)?;
        }
    }
    Ok(())
}

/// What makes a failing gate fail, under it.
fn offenders(gate: &GateResult, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let shown = limit(&gate.offenders, options);
    let places: Vec<String> = shown
        .iter()
        .map(|o| format!("{}:{}", inert(&o.path), o.line))
        .collect();
    let width = column(places.iter().map(String::as_str));
    for (o, place) in shown.iter().zip(&places) {
        writeln!(out, "             {place:<width$}  {}", inert(&o.message))?;
    }
    let hidden = gate.offenders.len() - shown.len() + gate.more_offenders as usize;
    if hidden > 0 {
        let how = if shown.len() < gate.offenders.len() {
            "-v lists more, --format json up to 100"
        } else {
            "--format json lists the first 100"
        };
        writeln!(out, "             … and {hidden} more ({how})")?;
    }
    Ok(())
}

/// The width of a column holding these texts, up to [`PATH_COLUMN`].
fn column<'a>(texts: impl Iterator<Item = &'a str>) -> usize {
    texts
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(0)
        .min(PATH_COLUMN)
}

/// How many of `total` items a list shows: [`TOP`], or all of them with `-vv`.
fn shown_count(total: usize, options: &RenderOptions) -> usize {
    if options.verbosity > 1 { total } else { TOP }
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
        writeln!(out, "  … {} more (use -v or --format json)", total - TOP)?;
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
        if self.0 && !s.is_empty() {
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
