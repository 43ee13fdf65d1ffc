//! The HTML report: one self-contained page. The overview (verdict, gates, headline numbers,
//! charts) is rendered here into an askama template — checked at compile time and escaping
//! every `{{ … }}` — and the tables, file and clone views are built by the page's script from
//! data embedded as escaped JSON. Style and script are inline and allowed by their SHA-256 in a
//! Content-Security-Policy that is the first element of `<head>` and allows nothing else.

mod charts;
mod data;
pub mod escape;
mod sources;

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use askama::Template;
use sha2::{Digest, Sha256};

use super::RenderOptions;
use crate::report::{GateStatus, Report, Status, number};

const STYLE: &str = include_str!("../../../templates/report.css");
const SCRIPT: &str = include_str!("../../../templates/report.js");

/// How much source the page may embed by default (bytes).
pub const DEFAULT_SOURCE_BUDGET: u64 = 6 * 1024 * 1024;

/// Source and size settings of the page (`[html]`).
#[derive(Clone, Copy, Debug)]
pub struct HtmlOptions {
    /// Embed source for the file views at all (`[html] source = false` for public artifacts).
    pub source: bool,
    pub source_budget: u64,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        Self {
            source: true,
            source_budget: DEFAULT_SOURCE_BUDGET,
        }
    }
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    csp: String,
    style: &'static str,
    script: &'static str,
    version: &'a str,
    pass: bool,
    verdict: String,
    totals: String,
    headline: Vec<(&'static str, String)>,
    grade: Option<GradeView>,
    new_code: Option<String>,
    baseline: Option<String>,
    show_scope: bool,
    gates: Vec<GateRow>,
    charts: Vec<charts::Chart>,
    source_note: String,
    left_out: Vec<sources::LeftOut>,
    left_out_more: usize,
    data: String,
}

struct GradeView {
    letter: String,
    score: String,
    capped: String,
}

struct GateRow {
    id: String,
    status: &'static str,
    scope: String,
    actual: String,
    comparator: String,
    threshold: String,
    message: String,
    offenders: Vec<(String, String)>,
    more: usize,
}

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let page = page(report, options.html);
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    page.write_into(&mut out)?;
    out.flush()
}

/// `'sha256-…'` of an inline element's exact text, as CSP hashes it.
fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", base64_digest(&Sha256::digest(text.as_bytes())))
}

/// Standard base64 of a digest (CSP's encoding).
fn base64_digest(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The policy: the page's own style and script by hash, images only from `data:`, nothing
/// else — no network, no plugins, no base or form targets.
fn policy() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        csp_hash(SCRIPT),
        csp_hash(STYLE)
    )
}

fn page<'a>(report: &'a Report, options: HtmlOptions) -> Page<'a> {
    let s = &report.summary;
    let (sources, left_out) = if options.source {
        sources::select(report, Path::new(&report.root), options.source_budget)
    } else {
        (Default::default(), Vec::new())
    };
    let why: HashMap<&str, &str> = left_out
        .iter()
        .map(|l| (l.path.as_str(), l.why.as_str()))
        .collect();
    let data = escape::script_json(&data::data(report, &sources, &why));
    let failed = report.gates.iter().filter(|g| g.status == GateStatus::Fail).count();
    let evaluated = report.gates.iter().filter(|g| g.status != GateStatus::Skipped).count();
    let opt = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), number);
    let pct = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |p| format!("{} %", number(p)));
    let headline = vec![
        ("complexity (avg · max)", format!("{} · {}", opt(s.complexity.average), s.complexity.max.map_or("n/a".into(), |m| m.to_string()))),
        ("cognitive (avg · max)", format!("{} · {}", opt(s.cognitive.average), s.cognitive.max.map_or("n/a".into(), |m| m.to_string()))),
        ("maintainability", opt(s.maintainability.average)),
        ("coverage", pct(s.coverage.percent)),
        ("duplication", format!("{} ({} clones)", pct(s.duplication.percent), s.duplication.clones.unwrap_or(0))),
        ("type hints", pct(s.type_hints.percent)),
        ("docstrings", pct(s.docstrings.percent)),
        ("findings", format!("{} high · {} medium · {} low", s.findings.high, s.findings.medium, s.findings.low)),
    ];
    let since = crate::gate::eval::since(report);
    let new_code = s.new_code.as_ref().map(|n| {
        if n.changed_lines == 0 {
            format!("no changed lines{since}: new-code gates not evaluated")
        } else {
            let coverage = n.coverage.percent.map_or_else(String::new, |p| {
                format!(" · diff coverage {} % ({} of {} coverable lines)", number(p), n.coverage.covered_lines, n.coverage.coverable_lines)
            });
            format!("{} changed lines in {} files{since}{coverage} · {} changed functions", n.changed_lines, n.files, n.functions)
        }
    });
    let baseline = report.baseline.as_ref().map(|b| {
        format!(
            "{} ({} entries): {} known offenders not counted by the gates · {} fixed",
            b.path,
            b.entries,
            b.known.count(),
            b.fixed.len()
        )
    });
    let gates = report
        .gates
        .iter()
        .map(|g| GateRow {
            id: g.id.clone(),
            status: match g.status {
                GateStatus::Pass => "pass",
                GateStatus::Fail => "fail",
                GateStatus::Skipped => "skipped",
            },
            scope: g.scope.clone(),
            actual: g.actual.map_or_else(String::new, number),
            comparator: g.comparator.clone(),
            threshold: if g.status == GateStatus::Skipped && g.actual.is_none() {
                String::new()
            } else {
                number(g.threshold)
            },
            message: match g.forgiven {
                0 => g.message.clone(),
                n => format!("{} ({n} baseline offenders not counted)", g.message),
            },
            offenders: g
                .offenders
                .iter()
                .take(10)
                .map(|o| (format!("{}:{}", o.path, o.line), o.message.clone()))
                .collect(),
            more: g.offenders.len().saturating_sub(10) + g.more_offenders as usize,
        })
        .collect();
    let source_note = if !options.source {
        "Source is not embedded (`[html] source = false`).".to_owned()
    } else if report.scope.mode != crate::report::ScopeMode::All {
        format!("Source is embedded for the {} changed files.", sources.len())
    } else {
        format!(
            "Source is embedded for {} files: those with offenders, findings or missed lines, worst first.",
            sources.len()
        )
    };
    let left_out_more = left_out.len().saturating_sub(50);
    let mut left_out = left_out;
    left_out.truncate(50);
    Page {
        csp: policy(),
        style: STYLE,
        script: SCRIPT,
        version: &report.tool.version,
        pass: report.status == Status::Pass,
        verdict: format!(
            "{}: {failed} of {evaluated} evaluated gates failed{}",
            if report.status == Status::Pass { "PASS" } else { "FAIL" },
            if report.scope.mode == crate::report::ScopeMode::All { String::new() } else { format!("; new code{since}") }
        ),
        totals: format!(
            "{} files ({} Python, {} Rust) · {} functions · {} lines ({} code)",
            s.files, s.python_files, s.rust_files, s.functions, s.lines, s.sloc
        ),
        headline,
        grade: s.grade.as_ref().map(|g| GradeView {
            letter: g.letter.clone(),
            score: number(g.score),
            capped: if g.capped_by.is_empty() {
                String::new()
            } else {
                format!("capped by failing {}", g.capped_by.join(", "))
            },
        }),
        new_code,
        baseline,
        show_scope: report.gates.iter().any(|g| g.scope != "all"),
        gates,
        charts: vec![
            charts::complexity_ranks(report),
            charts::coverage_by_directory(report),
            charts::largest_clones(report),
            charts::findings_by_source(report),
        ],
        source_note,
        left_out,
        left_out_more,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64_digest(b""), "");
        assert_eq!(base64_digest(b"f"), "Zg==");
        assert_eq!(base64_digest(b"fo"), "Zm8=");
        assert_eq!(base64_digest(b"foo"), "Zm9v");
        assert_eq!(base64_digest(b"foobar"), "Zm9vYmFy");
        // sha256("") in CSP form.
        assert_eq!(csp_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    }
}
