//! `qgate compare BEFORE AFTER`: the headline metrics of two runs side by side, with the change
//! and whether it is an improvement.

use std::collections::BTreeMap;
use std::path::Path;

use crate::baseline::{self, BaselineError, Limits};
use crate::report::headline::{Better, HEADLINE};
use crate::report::number;

/// What one side of the comparison knows: its headline values and grade letter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Side {
    pub headline: BTreeMap<String, f64>,
    pub grade: Option<String>,
}

/// Reads a JSON report (or a baseline file, which keeps the same totals).
pub fn read_side(path: &Path, shown: &str) -> Result<Side, BaselineError> {
    let (b, _) = baseline::load(path, shown, Limits::default())?;
    Ok(Side {
        headline: b.headline,
        grade: b.grade,
    })
}

/// Which way a value moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Improved,
    Worse,
    Unchanged,
    /// One side does not have the value.
    Unknown,
}

impl Verdict {
    fn as_str(self) -> &'static str {
        match self {
            Self::Improved => "improved",
            Self::Worse => "worse",
            Self::Unchanged => "unchanged",
            Self::Unknown => "n/a",
        }
    }
}

/// One line of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub label: &'static str,
    pub before: String,
    pub after: String,
    pub change: String,
    pub verdict: Verdict,
}

/// Every headline metric, then the grade letter.
pub fn rows(before: &Side, after: &Side) -> Vec<Row> {
    let mut rows: Vec<Row> = HEADLINE
        .iter()
        .map(|m| {
            let b = before.headline.get(m.id).copied();
            let a = after.headline.get(m.id).copied();
            let shown = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), number);
            let (change, verdict) = match (b, a) {
                (Some(b), Some(a)) => {
                    let delta = crate::report::round2(a - b);
                    let verdict = if delta == 0.0 {
                        Verdict::Unchanged
                    } else if (delta < 0.0) == (m.better == Better::Lower) {
                        Verdict::Improved
                    } else {
                        Verdict::Worse
                    };
                    let sign = if delta > 0.0 { "+" } else { "" };
                    (format!("{sign}{}", number(delta)), verdict)
                }
                _ => ("-".to_owned(), Verdict::Unknown),
            };
            Row {
                label: m.label,
                before: shown(b),
                after: shown(a),
                change,
                verdict,
            }
        })
        .collect();
    let letter = |g: &Option<String>| g.clone().unwrap_or_else(|| "-".to_owned());
    let verdict = match (&before.grade, &after.grade) {
        // Letters compare as characters: later is worse.
        (Some(b), Some(a)) if a < b => Verdict::Improved,
        (Some(b), Some(a)) if a > b => Verdict::Worse,
        (Some(_), Some(_)) => Verdict::Unchanged,
        _ => Verdict::Unknown,
    };
    rows.push(Row {
        label: "grade",
        before: letter(&before.grade),
        after: letter(&after.grade),
        change: match verdict {
            Verdict::Unknown | Verdict::Unchanged => "-".to_owned(),
            _ => format!("{} → {}", letter(&before.grade), letter(&after.grade)),
        },
        verdict,
    });
    rows
}

const HEADER: [&str; 5] = ["metric", "before", "after", "change", ""];

fn cells(r: &Row) -> [&str; 5] {
    [r.label, &r.before, &r.after, &r.change, r.verdict.as_str()]
}

/// A plain-text table, columns padded; numbers right-aligned.
pub fn text(rows: &[Row]) -> String {
    let mut widths = HEADER.map(|h| h.chars().count());
    for r in rows {
        for (w, c) in widths.iter_mut().zip(cells(r)) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let mut out = String::new();
        for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
            let pad = " ".repeat(w - c.chars().count());
            match i {
                0 | 4 => out.push_str(&format!("{c}{pad}")),
                _ => out.push_str(&format!("{pad}{c}")),
            }
            if i < 4 {
                out.push_str("  ");
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(HEADER);
    for r in rows {
        out.push_str(&line(cells(r)));
    }
    out.push_str(&tally(rows));
    out
}

/// A GitHub-flavoured Markdown table (for a pull-request comment).
pub fn markdown(rows: &[Row]) -> String {
    let mut out =
        String::from("| metric | before | after | change | |\n|---|---:|---:|---:|---|\n");
    for r in rows {
        let mark = match r.verdict {
            Verdict::Improved => "✅ improved",
            Verdict::Worse => "❌ worse",
            Verdict::Unchanged => "unchanged",
            Verdict::Unknown => "",
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {mark} |\n",
            r.label, r.before, r.after, r.change
        ));
    }
    out.push('\n');
    out.push_str(&tally(rows));
    out
}

fn tally(rows: &[Row]) -> String {
    let n = |v: Verdict| rows.iter().filter(|r| r.verdict == v).count();
    format!(
        "{} improved, {} worse, {} unchanged\n",
        n(Verdict::Improved),
        n(Verdict::Worse),
        n(Verdict::Unchanged)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(pairs: &[(&str, f64)], grade: &str) -> Side {
        Side {
            headline: pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
            grade: Some(grade.to_owned()),
        }
    }

    #[test]
    fn lower_complexity_and_higher_coverage_are_improvements() {
        let before = side(
            &[
                ("complexity.max", 25.0),
                ("coverage.percent", 80.0),
                ("duplication.percent", 2.0),
            ],
            "C",
        );
        let after = side(
            &[
                ("complexity.max", 18.0),
                ("coverage.percent", 79.5),
                ("duplication.percent", 2.0),
            ],
            "B",
        );
        let rows = rows(&before, &after);
        let find = |label: &str| rows.iter().find(|r| r.label == label).unwrap();
        assert_eq!(
            (
                find("max complexity").change.as_str(),
                find("max complexity").verdict
            ),
            ("-7", Verdict::Improved)
        );
        assert_eq!(
            (
                find("coverage %").change.as_str(),
                find("coverage %").verdict
            ),
            ("-0.5", Verdict::Worse)
        );
        assert_eq!(find("duplication %").verdict, Verdict::Unchanged);
        assert_eq!(find("docstrings %").verdict, Verdict::Unknown);
        assert_eq!(
            (find("grade").change.as_str(), find("grade").verdict),
            ("C → B", Verdict::Improved)
        );
    }
}
