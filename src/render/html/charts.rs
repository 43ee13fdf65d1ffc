//! The overview's charts as inline SVG (no script, no external resource): horizontal bars whose
//! colours come from the page's stylesheet, so they follow light and dark mode. Every label
//! taken from data is escaped here.

use std::collections::BTreeMap;

use super::escape::html;
use crate::metrics::rank::cyclomatic_rank;
use crate::report::{Report, Severity, number};

/// One chart: a title, its SVG (or none, with why), and a note under it.
pub struct Chart {
    pub title: &'static str,
    pub svg: Option<String>,
    pub note: String,
}

/// One bar, or a row of stacked segments.
struct Bar {
    label: String,
    segments: Vec<(f64, &'static str)>,
    text: String,
    href: Option<String>,
}

const ROW: u32 = 22;
const LABEL: u32 = 300;
const BAR: u32 = 320;

fn bars(rows: &[Bar], max: f64, aria: &str) -> String {
    let height = ROW * rows.len() as u32 + 4;
    let width = LABEL + BAR + 90;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-label=\"{}\">",
        html(aria)
    );
    for (i, row) in rows.iter().enumerate() {
        let y = i as u32 * ROW + 2;
        let label = shorten(&row.label, 44);
        let mut x = f64::from(LABEL);
        let mut body = format!(
            "<title>{}</title><text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            html(&format!("{}: {}", row.label, row.text)),
            LABEL - 8,
            y + 15,
            html(&label)
        );
        for (value, class) in &row.segments {
            let w = if max > 0.0 { value / max * f64::from(BAR) } else { 0.0 };
            if w > 0.0 {
                body.push_str(&format!(
                    "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" rx=\"2\"/>",
                    y + 3,
                    ROW - 6
                ));
            }
            x += w;
        }
        body.push_str(&format!(
            "<text class=\"value\" x=\"{:.1}\" y=\"{}\">{}</text>",
            x + 6.0,
            y + 15,
            html(&row.text)
        ));
        match &row.href {
            Some(href) => svg.push_str(&format!("<a href=\"{}\">{body}</a>", html(href))),
            None => svg.push_str(&body),
        }
    }
    svg.push_str("</svg>");
    svg
}

/// At most `n` characters, the start elided (the end of a path says most).
fn shorten(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        return s.to_owned();
    }
    let tail: String = s.chars().skip(count - (n - 1)).collect();
    format!("…{tail}")
}

/// Functions per radon rank letter.
pub fn complexity_ranks(report: &Report) -> Chart {
    let mut counts: BTreeMap<char, u32> = ('A'..='F').map(|c| (c, 0)).collect();
    for f in report.files.iter().flat_map(|f| &f.functions) {
        *counts.entry(cyclomatic_rank(f.cyclomatic)).or_default() += 1;
    }
    let total: u32 = counts.values().sum();
    let range = |c: char| match c {
        'A' => "1-5",
        'B' => "6-10",
        'C' => "11-20",
        'D' => "21-30",
        'E' => "31-40",
        _ => "41+",
    };
    let rows: Vec<Bar> = counts
        .iter()
        .map(|(&rank, &n)| Bar {
            label: format!("{rank} (complexity {})", range(rank)),
            segments: vec![(f64::from(n), rank_class(rank))],
            text: n.to_string(),
            href: None,
        })
        .collect();
    let max = counts.values().copied().max().unwrap_or(0);
    Chart {
        title: "Complexity by rank",
        svg: (total > 0).then(|| bars(&rows, f64::from(max), "functions per cyclomatic rank")),
        note: if total > 0 {
            format!("{total} functions, by radon's rank of their cyclomatic complexity")
        } else {
            "no functions".to_owned()
        },
    }
}

fn rank_class(rank: char) -> &'static str {
    match rank {
        'A' => "bar rank-a",
        'B' => "bar rank-b",
        'C' => "bar rank-c",
        'D' => "bar rank-d",
        'E' => "bar rank-e",
        _ => "bar rank-f",
    }
}

/// Coverage per directory, the least covered first.
pub fn coverage_by_directory(report: &Report) -> Chart {
    let mut dirs: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for f in &report.files {
        let Some(c) = &f.coverage else { continue };
        let dir = match f.path.rsplit_once('/') {
            Some((dir, _)) => dir.to_owned(),
            None => ".".to_owned(),
        };
        let e = dirs.entry(dir).or_default();
        e.0 += u64::from(c.lines_covered) + u64::from(c.branches_covered);
        e.1 += u64::from(c.lines_valid) + u64::from(c.branches_valid);
    }
    let mut rows: Vec<(String, f64, u64)> = dirs
        .into_iter()
        .filter(|(_, (_, valid))| *valid > 0)
        .map(|(d, (covered, valid))| (d, covered as f64 / valid as f64 * 100.0, valid))
        .collect();
    let count = rows.len();
    rows.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    rows.truncate(15);
    let bars_rows: Vec<Bar> = rows
        .iter()
        .map(|(dir, p, valid)| Bar {
            label: dir.clone(),
            segments: vec![(*p, "bar covered"), (100.0 - p, "bar missed")],
            text: format!("{} % of {valid}", number(crate::report::round2(*p))),
            href: None,
        })
        .collect();
    Chart {
        title: "Coverage by directory",
        svg: (count > 0).then(|| bars(&bars_rows, 100.0, "coverage per directory")),
        note: match count {
            0 => report
                .summary
                .coverage
                .reason
                .clone()
                .unwrap_or_else(|| "no file has coverage data".to_owned()),
            n if n > 15 => format!("the 15 least covered of {n} directories (lines and branches)"),
            n => format!("{n} directories (lines and branches)"),
        },
    }
}

/// The largest clone groups: lines × copies.
pub fn largest_clones(report: &Report) -> Chart {
    let clones = &report.duplication.clones;
    let mut order: Vec<usize> = (0..clones.len()).collect();
    order.sort_by_key(|&i| {
        std::cmp::Reverse(u64::from(clones[i].lines) * u64::from(clones[i].occurrences))
    });
    order.truncate(8);
    let rows: Vec<Bar> = order
        .iter()
        .filter_map(|&i| {
            let c = &clones[i];
            let first = c.fragments.first()?;
            Some(Bar {
                label: format!("{}:{}", first.path, first.start_line),
                segments: vec![(f64::from(c.lines) * f64::from(c.occurrences), "bar clone")],
                text: format!("{} lines × {}", c.lines, c.occurrences),
                href: Some(format!("#clone={i}")),
            })
        })
        .collect();
    let max = rows
        .iter()
        .map(|r| r.segments[0].0)
        .fold(0.0, f64::max);
    Chart {
        title: "Largest clones",
        svg: (!rows.is_empty()).then(|| bars(&rows, max, "largest clone groups")),
        note: if rows.is_empty() {
            "no clones".to_owned()
        } else {
            format!("{} clone groups; a bar opens the copies side by side", clones.len())
        },
    }
}

/// Findings per source, by severity.
pub fn findings_by_source(report: &Report) -> Chart {
    let mut by: BTreeMap<&str, [u32; 3]> = BTreeMap::new();
    for f in &report.findings {
        let e = by.entry(f.source.as_str()).or_default();
        e[match f.severity {
            Severity::High => 0,
            Severity::Medium => 1,
            Severity::Low => 2,
        }] += 1;
    }
    let rows: Vec<Bar> = by
        .iter()
        .map(|(source, [h, m, l])| Bar {
            label: (*source).to_owned(),
            segments: vec![
                (f64::from(*h), "bar high"),
                (f64::from(*m), "bar medium"),
                (f64::from(*l), "bar low"),
            ],
            text: format!("{h} high · {m} medium · {l} low"),
            href: None,
        })
        .collect();
    let max = by.values().map(|c| c.iter().sum::<u32>()).max().unwrap_or(0);
    Chart {
        title: "Findings by source and severity",
        svg: (!rows.is_empty()).then(|| bars(&rows, f64::from(max), "findings per source")),
        note: if rows.is_empty() {
            "no findings".to_owned()
        } else {
            format!("{} findings", report.findings.len())
        },
    }
}
