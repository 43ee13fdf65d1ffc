//! Which files' source the page embeds, within a size budget: what a reviewer needs to read —
//! the changed files when the run has a base, else files with offenders, findings or missed
//! lines, worst first — and, for the others that were wanted, why they were left out.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use crate::report::{GateStatus, Report};

/// One embedded file's text, by the file's index in `report.files`.
pub type Sources = BTreeMap<usize, String>;

/// A wanted file whose source is not in the page.
pub struct LeftOut {
    pub path: String,
    pub why: String,
}

/// Reads the wanted files under `root` until `budget` bytes are used.
pub fn select(report: &Report, root: &Path, budget: u64) -> (Sources, Vec<LeftOut>) {
    let mut sources = Sources::new();
    let mut left_out = Vec::new();
    let mut used = 0u64;
    for index in wanted(report) {
        let path = &report.files[index].path;
        let full = root.join(path);
        let size = std::fs::metadata(&full).map_or(0, |m| m.len());
        if used + size > budget {
            left_out.push(LeftOut {
                path: path.clone(),
                why: format!(
                    "over the source budget ({used} of {budget} bytes used, this file {size}; `[html] source-budget`)"
                ),
            });
            continue;
        }
        let text = match crate::source::read_source(&full, budget - used) {
            Ok(text) => text,
            Err(skip) => {
                left_out.push(LeftOut {
                    path: path.clone(),
                    why: format!("not readable now: {}", skip.message),
                });
                continue;
            }
        };
        let size = text.len() as u64;
        used += size;
        sources.insert(index, text);
    }
    (sources, left_out)
}

/// The files worth reading, most needed first.
fn wanted(report: &Report) -> Vec<usize> {
    let index_of: BTreeMap<&str, usize> = report
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    if !report.scope.files.is_empty() {
        return report
            .scope
            .files
            .keys()
            .filter_map(|p| index_of.get(p.as_str()).copied())
            .collect();
    }
    let mut offending: HashSet<&str> = report
        .gates
        .iter()
        .filter(|g| g.status == GateStatus::Fail)
        .flat_map(|g| &g.offenders)
        .flat_map(|o| std::iter::once(o.path.as_str()).chain(o.other.as_ref().map(|f| f.path.as_str())))
        .collect();
    offending.extend(report.findings.iter().map(|f| f.path.as_str()));
    offending.extend(report.files.iter().filter(|f| !f.errors.is_empty()).map(|f| f.path.as_str()));
    let missed = |i: usize| {
        report.files[i]
            .coverage
            .as_ref()
            .map_or(0, |c| c.missing_lines.len())
    };
    let mut order: Vec<usize> = (0..report.files.len())
        .filter(|&i| offending.contains(report.files[i].path.as_str()) || missed(i) > 0)
        .collect();
    // Offender files first, then by missed lines (most first), then by path.
    order.sort_by_key(|&i| {
        (
            !offending.contains(report.files[i].path.as_str()),
            std::cmp::Reverse(missed(i)),
            i,
        )
    });
    order
}
