//! Markdown for `$GITHUB_STEP_SUMMARY` and pull-request comments: the verdict, the gate table,
//! before → after with a baseline, what to fix (changed code first, long lists folded in
//! `<details>`), and a link to the HTML report when its URL is given. Everything from the
//! repository is made inert: no table break (`|`), code span, markup, link, mention (`@`) or
//! issue reference (`#123`) can come from data. The output stays under GitHub's 1 MiB summary
//! limit however large the repository.

use std::io::{self, Write};

use super::RenderOptions;
use super::issues::issues;
use crate::compare::{Side, markdown as compare_table, rows};
use crate::report::headline::headline_of;
use crate::report::{GateStatus, Report, Status, number};

/// Stay this far under GitHub's 1 MiB step-summary limit.
pub const MAX_BYTES: usize = 1_000_000;

/// How many things to fix are listed before the rest is folded, and at most.
const SHOWN: usize = 10;
const LISTED: usize = 500;

/// Text from data, inert in a table cell or list item.
pub fn inert(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '(' | ')' | '!' | '|' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // A zero-width joiner after `@` and before a `#`-number: no mention, no issue link.
            '@' => out.push_str("@\u{200D}"),
            '#' => out.push_str("#\u{200D}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let text = markdown(report, options.report_url.as_deref());
    out.write_all(text.as_bytes())
}

fn markdown(report: &Report, report_url: Option<&str>) -> String {
    let s = &report.summary;
    let failed = report.gates.iter().filter(|g| g.status == GateStatus::Fail).count();
    let evaluated = report.gates.iter().filter(|g| g.status != GateStatus::Skipped).count();
    let mut md = String::new();
    let problems = crate::gate::verdict::verdict(report, false).problems;
    if problems.is_empty() {
        let verdict = match report.status {
            Status::Pass => "✅ PASS",
            Status::Fail => "❌ FAIL",
        };
        md.push_str(&format!("## qgate: {verdict} — {failed} of {evaluated} evaluated gates failed\n\n"));
    } else {
        // Exit 2: no verdict, whatever the gates say.
        md.push_str("## qgate: ⚠️ NO VERDICT — the run cannot be trusted (exit 2)\n\n");
        for problem in &problems {
            md.push_str(&format!("- {}\n", inert(problem)));
        }
        md.push('\n');
    }
    md.push_str(&format!(
        "{} files ({} Python, {} Rust) · {} functions · {} lines",
        s.files, s.python_files, s.rust_files, s.functions, s.lines
    ));
    if let Some(g) = &s.grade {
        md.push_str(&format!(" · grade **{}** ({} of 100)", g.letter, number(g.score)));
    }
    md.push_str("\n\n");
    if let Some(n) = &s.new_code {
        let since = inert(&crate::gate::eval::since(report));
        if n.changed_lines == 0 {
            md.push_str(&format!("New code: no changed lines{since}.\n\n"));
        } else {
            let coverage = n.coverage.percent.map_or_else(String::new, |p| {
                format!(", diff coverage {} % ({} of {} lines)", number(p), n.coverage.covered_lines, n.coverage.coverable_lines)
            });
            md.push_str(&format!(
                "New code: {} changed lines in {} files{since}{coverage}.\n\n",
                n.changed_lines, n.files
            ));
        }
    }
    if let Some(url) = report_url.and_then(super::html::escape::web_link) {
        md.push_str(&format!("[Full HTML report](<{}>)\n\n", url.replace('>', "%3E")));
    }

    md.push_str("| gate | status | actual | limit | message |\n|---|---|---:|---|---|\n");
    for g in &report.gates {
        let status = match g.status {
            GateStatus::Pass => "✅ pass",
            GateStatus::Fail => "❌ fail",
            GateStatus::Skipped => "⏭ skipped",
        };
        let name = if g.scope == "all" {
            g.id.clone()
        } else {
            format!("{} ({})", g.id, g.scope)
        };
        let limit = if g.actual.is_none() && g.status == GateStatus::Skipped {
            String::new()
        } else {
            format!("{} {}", g.comparator, number(g.threshold))
        };
        md.push_str(&format!(
            "| {} | {status} | {} | {} | {} |\n",
            inert(&name),
            g.actual.map_or_else(String::new, number),
            inert(&limit),
            inert(&g.message)
        ));
    }
    md.push('\n');

    if let Some(b) = &report.baseline {
        let before = Side {
            headline: b.headline.clone(),
            grade: None,
        };
        let after = Side {
            headline: headline_of(s),
            grade: s.grade.as_ref().map(|g| g.letter.clone()),
        };
        md.push_str(&format!(
            "### Before → after (baseline {})\n\n{}\n",
            inert(&b.path),
            compare_table(&rows(&before, &after))
        ));
    }

    let issues = issues(report);
    let fix: Vec<_> = issues.iter().filter(|i| i.path.is_some() && i.known != Some(true)).collect();
    if !fix.is_empty() {
        md.push_str("### What to fix\n\n");
        let line = |i: &super::issues::Issue<'_>| {
            let place = format!("{}:{}", i.path.unwrap_or(""), i.line);
            let changed = if i.changed { " (changed)" } else { "" };
            format!("- **{}**{changed} {}\n", inert(&place), inert(&i.message))
        };
        for i in fix.iter().take(SHOWN) {
            md.push_str(&line(i));
        }
        if fix.len() > SHOWN {
            md.push_str(&format!("\n<details><summary>{} more</summary>\n\n", fix.len() - SHOWN));
            let mut listed = SHOWN;
            for i in fix.iter().skip(SHOWN).take(LISTED - SHOWN) {
                let next = line(i);
                if md.len() + next.len() > MAX_BYTES - 2_000 {
                    break;
                }
                md.push_str(&next);
                listed += 1;
            }
            if listed < fix.len() {
                md.push_str(&format!(
                    "\n… and {} more: see the JSON, SARIF or HTML report.\n",
                    fix.len() - listed
                ));
            }
            md.push_str("\n</details>\n");
        }
    }
    if md.len() > MAX_BYTES {
        // Only a gate table of enormous messages gets here; cut at a character boundary.
        let mut cut = MAX_BYTES - 100;
        while !md.is_char_boundary(cut) {
            cut -= 1;
        }
        md.truncate(cut);
        md.push_str("\n\n… truncated to stay under GitHub's 1 MiB summary limit.\n");
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_make_markup_links_mentions_or_cells() {
        assert_eq!(
            inert("a|b `c` <!--x--> @octo #12 [x](javascript:alert(1))\nnext"),
            "a\\|b \\`c\\` &lt;\\!--x--&gt; @\u{200D}octo #\u{200D}12 \\[x\\]\\(javascript:alert\\(1\\)\\) next"
        );
    }
}
