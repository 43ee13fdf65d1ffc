//! The cross-file pass: clone detection over every analysed file (one language at a time), and
//! what the report says about it — clone groups with paths and lines, duplicated lines per file
//! (the union of every fragment's lines, both sides of every clone) and the density.

use globset::GlobSet;
use rayon::prelude::*;

use crate::metrics::duplication::{self, Group, Limits};
use crate::model::{FileModel, Language};
use crate::report::{CloneGroup, Duplication, DuplicationSummary, Fragment, round2};
use crate::settings::Settings;

/// The duplication part of a report.
pub struct Outcome {
    pub duplication: Duplication,
    pub summary: DuplicationSummary,
    /// Duplicated lines per file, `None` for files that take no part.
    pub per_file: Vec<Option<u32>>,
}

/// Detects clones among `models` (paths in `paths`, same order).
pub fn detect(
    models: &[FileModel],
    paths: &[&str],
    settings: &Settings,
    excluded: &GlobSet,
) -> Outcome {
    let normalize = settings.analysis.normalize;
    let settings = &settings.duplication;
    let takes_part: Vec<bool> = models
        .iter()
        .zip(paths)
        .map(|(m, p)| m.errors.is_empty() && !excluded.is_match(p))
        .collect();
    let limits = Limits {
        min_tokens: settings.min_tokens,
        min_lines: settings.min_lines,
    };
    let by_language = |language: Language| -> (Vec<usize>, Vec<Group>) {
        let members: Vec<usize> = (0..models.len())
            .filter(|&i| takes_part[i] && models[i].language == language)
            .collect();
        let streams: Vec<&[crate::model::DupToken]> = members
            .iter()
            .map(|&i| models[i].tokens.as_slice())
            .collect();
        let groups = duplication::detect(&streams, limits);
        (members, groups)
    };
    let ((py_members, py_groups), (rs_members, rs_groups)) = rayon::join(
        || by_language(Language::Python),
        || by_language(Language::Rust),
    );

    let resolve = |members: &[usize], g: &Group| -> Vec<Located> {
        g.fragments
            .iter()
            .map(|s| {
                let m = members[s.file as usize];
                let tokens = &models[m].tokens;
                (
                    m,
                    tokens[s.start as usize].line,
                    tokens[s.end as usize - 1].line,
                )
            })
            .collect()
    };
    let mut groups: Vec<(u32, Vec<Located>)> = py_groups
        .par_iter()
        .map(|g| (g.tokens, resolve(&py_members, g)))
        .chain(
            rs_groups
                .par_iter()
                .map(|g| (g.tokens, resolve(&rs_members, g))),
        )
        .collect();

    let mut intervals: Vec<Vec<(u32, u32)>> = vec![Vec::new(); models.len()];
    for (_, fragments) in &groups {
        for &(m, first, last) in fragments {
            intervals[m].push((first, last));
        }
    }
    let per_file: Vec<Option<u32>> = intervals
        .into_iter()
        .enumerate()
        .map(|(m, iv)| takes_part[m].then(|| union_len(iv)))
        .collect();
    let total_lines: u64 = models
        .iter()
        .zip(&takes_part)
        .filter(|(_, t)| **t)
        .map(|(m, _)| u64::from(m.lines.lines))
        .sum();
    let duplicated_lines: u64 = per_file.iter().flatten().map(|&n| u64::from(n)).sum();

    // The largest clones first; a deterministic order for ties.
    let lines_of = |f: &[(usize, u32, u32)]| f.first().map_or(0, |&(_, a, b)| b - a + 1);
    groups.sort_by(|x, y| {
        lines_of(&y.1)
            .cmp(&lines_of(&x.1))
            .then(y.0.cmp(&x.0))
            .then_with(|| {
                let key = |f: &[(usize, u32, u32)]| {
                    f.iter().map(|&(m, a, _)| (paths[m], a)).collect::<Vec<_>>()
                };
                key(&x.1).cmp(&key(&y.1))
            })
    });
    let clone_count = groups.len() as u32;
    let omitted_clones = groups.len().saturating_sub(settings.max_reported_clones) as u32;
    let mut omitted_fragments = 0u32;
    let clones: Vec<CloneGroup> = groups
        .into_iter()
        .take(settings.max_reported_clones)
        .map(|(tokens, mut fragments)| {
            fragments.sort_by(|a, b| (paths[a.0], a.1).cmp(&(paths[b.0], b.1)));
            omitted_fragments += fragments
                .len()
                .saturating_sub(settings.max_reported_fragments)
                as u32;
            let lines = lines_of(&fragments);
            CloneGroup {
                tokens,
                lines,
                occurrences: fragments.len() as u32,
                fragments: fragments
                    .into_iter()
                    .take(settings.max_reported_fragments)
                    .map(|(m, start_line, end_line)| Fragment {
                        path: paths[m].to_owned(),
                        start_line,
                        end_line,
                    })
                    .collect(),
            }
        })
        .collect();

    let summary = DuplicationSummary {
        percent: (total_lines > 0)
            .then(|| round2(duplicated_lines as f64 / total_lines as f64 * 100.0)),
        duplicated_lines: Some(duplicated_lines as u32),
        clones: Some(clone_count),
        reason: (total_lines == 0).then(|| "no lines take part in clone detection".to_owned()),
    };
    let duplication = Duplication {
        clones,
        min_tokens: settings.min_tokens as u32,
        min_lines: settings.min_lines,
        normalize,
        omitted_clones,
        omitted_fragments,
    };
    Outcome {
        duplication,
        summary,
        per_file,
    }
}

/// A fragment as (model index, first line, last line).
type Located = (usize, u32, u32);

/// Number of distinct lines covered by inclusive line intervals.
fn union_len(mut intervals: Vec<(u32, u32)>) -> u32 {
    intervals.sort_unstable();
    let mut total = 0;
    let mut current: Option<(u32, u32)> = None;
    for (a, b) in intervals {
        match current {
            Some((s, e)) if a <= e + 1 => current = Some((s, e.max(b))),
            Some((s, e)) => {
                total += e - s + 1;
                current = Some((a, b));
            }
            None => current = Some((a, b)),
        }
    }
    total + current.map_or(0, |(s, e)| e - s + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_of_line_intervals() {
        assert_eq!(union_len(vec![]), 0);
        assert_eq!(union_len(vec![(1, 10)]), 10);
        assert_eq!(union_len(vec![(5, 12), (1, 10)]), 12);
        assert_eq!(union_len(vec![(1, 3), (4, 6)]), 6);
        assert_eq!(union_len(vec![(1, 3), (7, 9), (2, 2)]), 6);
    }
}
