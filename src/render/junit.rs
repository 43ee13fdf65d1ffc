//! JUnit XML for the test tab of GitLab, Jenkins and GitHub test reporters: one testsuite, a
//! testcase per gate — failing with the gate's message and offenders, skipped with its reason —
//! and, with `[junit] per-offender = true`, a testcase per offender of a failing gate.

use std::io::{self, Write};

use super::RenderOptions;
use crate::report::{GateStatus, Report};

/// Escapes text for XML 1.0 content and attribute values; characters XML 1.0 cannot hold at
/// all (most C0 controls) are written as `\u{…}`.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut cases = Vec::new();
    for g in &report.gates {
        let name = if g.scope == "all" {
            g.id.clone()
        } else {
            format!("{} ({})", g.id, g.scope)
        };
        let body = match g.status {
            GateStatus::Pass => String::new(),
            GateStatus::Skipped => format!("<skipped message=\"{}\"/>", xml(&g.message)),
            GateStatus::Fail => {
                let mut detail = g.message.clone();
                for o in &g.offenders {
                    detail.push_str(&format!("\n{}:{}: {}", o.path, o.line, o.message));
                }
                if g.more_offenders > 0 {
                    detail.push_str(&format!("\nand {} more", g.more_offenders));
                }
                format!(
                    "<failure message=\"{}\" type=\"{}\">{}</failure>",
                    xml(&g.message),
                    xml(&g.id),
                    xml(&detail)
                )
            }
        };
        cases.push((format!("qgate.gates.{}", g.scope), name, body, g.status));
        if options.junit_offenders && g.status == GateStatus::Fail {
            for o in &g.offenders {
                cases.push((
                    format!("qgate.{}", g.id),
                    format!("{}:{}", o.path, o.line),
                    format!(
                        "<failure message=\"{}\" type=\"{}\"/>",
                        xml(&o.message),
                        xml(&g.id)
                    ),
                    GateStatus::Fail,
                ));
            }
        }
    }
    let failures = cases.iter().filter(|c| c.3 == GateStatus::Fail).count();
    let skipped = cases.iter().filter(|c| c.3 == GateStatus::Skipped).count();
    let mut out = io::BufWriter::new(out);
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"qgate\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
        cases.len()
    )?;
    writeln!(
        out,
        "  <testsuite name=\"qgate\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\">",
        cases.len()
    )?;
    if let Some(commit) = &report.scope.base_commit {
        writeln!(out, "    <properties>")?;
        writeln!(out, "      <property name=\"qgate.base_commit\" value=\"{}\"/>", xml(commit))?;
        writeln!(out, "    </properties>")?;
    }
    for (class, name, body, _) in &cases {
        if body.is_empty() {
            writeln!(out, "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"/>", xml(class), xml(name))?;
        } else {
            writeln!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\" time=\"0\">{body}</testcase>",
                xml(class),
                xml(name)
            )?;
        }
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_controls_are_valid_xml() {
        assert_eq!(xml("a<b>&\"c'\u{1b}[2J\u{0}"), "a&lt;b&gt;&amp;&quot;c&apos;\\u{1b}[2J\\u{0}");
    }
}
