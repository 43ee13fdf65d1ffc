//! The cross-file pass: clone detection over every analysed file (one language at a time) —
//! clone groups with paths and lines, and each file's duplicated lines (the union of every
//! fragment's lines, both sides of every clone).

use globset::GlobSet;
use rayon::prelude::*;

use crate::metrics::duplication::{self, Group, Limits, Normalize};
use crate::metrics::fingerprint;
use crate::model::{DupToken, Language};
use crate::report::{CloneGroup, Duplication, Fragment, Report};

/// `[duplication]`: clone detection limits and scope.
#[derive(Clone, Debug)]
pub struct DuplicationSettings {
    pub min_tokens: usize,
    pub min_lines: u32,
    /// How the front ends normalised the tokens (recorded in the report).
    pub normalize: Normalize,
    /// Files left out of clone detection (numerator and denominator).
    pub excluded: GlobSet,
    /// Report size limits: the largest clones are listed, the rest counted.
    pub max_reported_clones: usize,
    pub max_reported_fragments: usize,
}

/// Detects clones among `tokens` (each file's of `report.files`, in the same order: from its
/// model, or read back from a shard report's fingerprints) and fills `report.duplication` and
/// each file's `duplicated_lines`. A file with a syntax error takes no part.
pub fn join(report: &mut Report, tokens: &[&[DupToken]], settings: &DuplicationSettings) {
    let limits = settings.limits();
    let by_language = |language: Language| -> Found {
        let members: Vec<usize> = (0..tokens.len())
            .filter(|&i| {
                let file = &report.files[i];
                file.language == language
                    && settings.takes_part(&file.path, !file.errors.is_empty())
            })
            .collect();
        let streams: Vec<&[DupToken]> = members.iter().map(|&i| tokens[i]).collect();
        let groups = duplication::detect(&streams, limits);
        Found { members, groups }
    };
    let (python, rust) = rayon::join(
        || by_language(Language::Python),
        || by_language(Language::Rust),
    );
    fill(report, tokens, settings, [python, rust]);
}

/// The clones of one language: the files that took part (indices into `report.files`, in
/// order) and the groups among them (a fragment's `file` indexes `members`).
pub struct Found {
    pub members: Vec<usize>,
    pub groups: Vec<Group>,
}

impl DuplicationSettings {
    pub fn limits(&self) -> Limits {
        Limits {
            min_tokens: self.min_tokens,
            min_lines: self.min_lines,
        }
    }

    /// Whether a file takes part in clone detection: not excluded, and parsed without error.
    pub fn takes_part(&self, path: &str, has_errors: bool) -> bool {
        !has_errors && !self.excluded.is_match(path)
    }
}

/// Fills `report.duplication` and each file's duplicated lines from the clones `found` in each
/// language among `tokens` (each file's of `report.files`, in order).
pub fn fill(
    report: &mut Report,
    tokens: &[&[DupToken]],
    settings: &DuplicationSettings,
    found: [Found; 2],
) {
    let paths: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    let takes_part: Vec<bool> = report
        .files
        .iter()
        .map(|f| settings.takes_part(&f.path, !f.errors.is_empty()))
        .collect();
    let [
        Found {
            members: py_members,
            groups: py_groups,
        },
        Found {
            members: rs_members,
            groups: rs_groups,
        },
    ] = found;

    let resolve = |members: &[usize], g: &Group| -> Vec<Located> {
        g.fragments
            .iter()
            .map(|s| {
                let m = members[s.file as usize];
                (
                    m,
                    tokens[m][s.start as usize].line,
                    tokens[m][s.end as usize - 1].line,
                )
            })
            .collect()
    };
    // The tokens every copy shares: the first `tokens` of any fragment.
    let identity = |members: &[usize], g: &Group| -> String {
        let first = g.fragments[0];
        let tokens = tokens[members[first.file as usize]];
        let start = first.start as usize;
        let end = (start + g.tokens as usize).min(first.end as usize);
        fingerprint::keys_hash(tokens[start..end].iter().map(|t| t.key))
    };
    let mut groups: Vec<(u32, String, Vec<Located>)> = py_groups
        .par_iter()
        .map(|g| (g.tokens, identity(&py_members, g), resolve(&py_members, g)))
        .chain(
            rs_groups
                .par_iter()
                .map(|g| (g.tokens, identity(&rs_members, g), resolve(&rs_members, g))),
        )
        .collect();

    let mut intervals: Vec<Vec<(u32, u32)>> = vec![Vec::new(); tokens.len()];
    for (_, _, fragments) in &groups {
        for &(m, first, last) in fragments {
            intervals[m].push((first, last));
        }
    }
    let per_file: Vec<Option<u32>> = intervals
        .into_iter()
        .enumerate()
        .map(|(m, iv)| takes_part[m].then(|| union_len(iv)))
        .collect();
    // The largest clones first; a deterministic order for ties.
    let lines_of = |f: &[(usize, u32, u32)]| f.first().map_or(0, |&(_, a, b)| b - a + 1);
    groups.sort_by(|x, y| {
        lines_of(&y.2)
            .cmp(&lines_of(&x.2))
            .then(y.0.cmp(&x.0))
            .then_with(|| {
                let key = |f: &[(usize, u32, u32)]| {
                    f.iter().map(|&(m, a, _)| (paths[m], a)).collect::<Vec<_>>()
                };
                key(&x.2).cmp(&key(&y.2))
            })
    });
    let omitted_clones = groups.len().saturating_sub(settings.max_reported_clones) as u32;
    let mut omitted_fragments = 0u32;
    let clones: Vec<CloneGroup> = groups
        .into_iter()
        .take(settings.max_reported_clones)
        .map(|(tokens, hash, mut fragments)| {
            fragments.sort_by(|a, b| (paths[a.0], a.1).cmp(&(paths[b.0], b.1)));
            omitted_fragments += fragments
                .len()
                .saturating_sub(settings.max_reported_fragments)
                as u32;
            let lines = lines_of(&fragments);
            CloneGroup {
                hash,
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

    report.duplication = Duplication {
        clones,
        min_tokens: settings.min_tokens as u32,
        min_lines: settings.min_lines,
        normalize: settings.normalize,
        omitted_clones,
        omitted_fragments,
    };
    for ((file, lines), stream) in report.files.iter_mut().zip(per_file).zip(tokens) {
        file.duplicated_lines = lines;
        file.clone_tokens = lines.map(|_| stream.len() as u32);
    }
}

/// What [`join`] wrote, as JSON, for the cache: the duplication section and each file's
/// duplicated lines and tokens.
pub fn store(report: &Report) -> Vec<u8> {
    let per_file: Vec<(Option<u32>, Option<u32>)> = report
        .files
        .iter()
        .map(|f| (f.duplicated_lines, f.clone_tokens))
        .collect();
    serde_json::to_vec(&(&report.duplication, per_file)).unwrap_or_default()
}

/// Writes back what [`store`] kept; false (nothing changed) when it does not fit this report.
pub fn restore(report: &mut Report, stored: &[u8]) -> bool {
    type Stored = (Duplication, Vec<(Option<u32>, Option<u32>)>);
    let Ok((duplication, per_file)) = serde_json::from_slice::<Stored>(stored) else {
        return false;
    };
    if per_file.len() != report.files.len() {
        return false;
    }
    report.duplication = duplication;
    for (file, (lines, tokens)) in report.files.iter_mut().zip(per_file) {
        file.duplicated_lines = lines;
        file.clone_tokens = tokens;
    }
    true
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
