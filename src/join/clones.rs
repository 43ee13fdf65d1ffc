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
    let found = detect(report, tokens, settings);
    fill(report, tokens, settings, found);
}

/// The clones among `tokens` (each file's of `report.files`), by language.
pub fn detect(
    report: &Report,
    tokens: &[&[DupToken]],
    settings: &DuplicationSettings,
) -> [Found; 2] {
    let limits = settings.limits();
    let by_language = |language: Language| -> Found {
        let members = members(report, settings, language);
        let streams: Vec<&[DupToken]> = members.iter().map(|&i| tokens[i]).collect();
        let groups = duplication::detect(&streams, limits);
        Found { members, groups }
    };
    let (python, rust) = rayon::join(
        || by_language(Language::Python),
        || by_language(Language::Rust),
    );
    [python, rust]
}

/// [`detect`]'s groups, placed.
pub fn detect_located(
    report: &Report,
    tokens: &[&[DupToken]],
    settings: &DuplicationSettings,
) -> Vec<Located> {
    locate_all(tokens, &detect(report, tokens, settings))
}

fn locate_all(tokens: &[&[DupToken]], found: &[Found]) -> Vec<Located> {
    found.iter().flat_map(|f| locate(tokens, f)).collect()
}

/// The files of `language` that take part in clone detection (indices into `report.files`).
fn members(report: &Report, settings: &DuplicationSettings, language: Language) -> Vec<usize> {
    (0..report.files.len())
        .filter(|&i| {
            let file = &report.files[i];
            file.language == language && settings.takes_part(&file.path, !file.errors.is_empty())
        })
        .collect()
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
    let groups = locate_all(tokens, &found);
    let clone_tokens = clone_tokens(report, tokens, settings);
    finish(report, settings, &groups, &clone_tokens);
}

/// Each file's clone tokens: its stream's length when it takes part.
pub fn clone_tokens(
    report: &Report,
    tokens: &[&[DupToken]],
    settings: &DuplicationSettings,
) -> Vec<Option<u32>> {
    report
        .files
        .iter()
        .zip(tokens)
        .map(|(f, stream)| {
            settings
                .takes_part(&f.path, !f.errors.is_empty())
                .then_some(stream.len() as u32)
        })
        .collect()
}

/// A clone group with its fragments placed: the tokens every copy shares, their identity (the
/// hash of those tokens' keys) and each fragment as (file index, first line, last line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub tokens: u32,
    pub hash: String,
    pub fragments: Vec<(usize, u32, u32)>,
}

/// The groups of `found` with their fragments placed in `tokens` (each file's stream, by
/// index into `report.files`; only the members' are read).
pub fn locate(tokens: &[&[DupToken]], found: &Found) -> Vec<Located> {
    let members = &found.members;
    found
        .groups
        .par_iter()
        .map(|g| {
            // The tokens every copy shares: the first `tokens` of any fragment.
            let first = g.fragments[0];
            let stream = tokens[members[first.file as usize]];
            let start = first.start as usize;
            let end = (start + g.tokens as usize).min(first.end as usize);
            let fragments = g
                .fragments
                .iter()
                .map(|s| {
                    let m = members[s.file as usize];
                    (
                        m,
                        tokens[m][s.start as usize].line,
                        tokens[m][s.end as usize - 1].line,
                    )
                })
                .collect();
            Located {
                tokens: g.tokens,
                hash: fingerprint::keys_hash(stream[start..end].iter().map(|t| t.key)),
                fragments,
            }
        })
        .collect()
}

/// Fills `report.duplication` from every clone group (of both languages), and each file's
/// duplicated lines (the union of its fragments' lines) and clone tokens (`clone_tokens`, by
/// file: its stream's length when it takes part).
pub fn finish(
    report: &mut Report,
    settings: &DuplicationSettings,
    groups: &[Located],
    clone_tokens: &[Option<u32>],
) {
    let paths: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    let mut intervals: Vec<Vec<(u32, u32)>> = vec![Vec::new(); paths.len()];
    for g in groups {
        for &(m, first, last) in &g.fragments {
            intervals[m].push((first, last));
        }
    }
    let mut groups: Vec<&Located> = groups.iter().collect();
    // The largest clones first; then by where their copies are, a total order, so the report
    // does not depend on the order the groups were found in.
    let lines_of = |f: &[(usize, u32, u32)]| f.first().map_or(0, |&(_, a, b)| b - a + 1);
    // Compared fragment by fragment as they are read: no list is built for a comparison.
    fn place<'a>(
        paths: &'a [&'a str],
        g: &'a Located,
    ) -> impl Iterator<Item = (&'a str, u32, u32)> + 'a {
        g.fragments.iter().map(|&(m, a, b)| (paths[m], a, b))
    }
    groups.sort_by(|x, y| {
        lines_of(&y.fragments)
            .cmp(&lines_of(&x.fragments))
            .then(y.tokens.cmp(&x.tokens))
            .then_with(|| place(&paths, x).cmp(place(&paths, y)))
            .then_with(|| x.hash.cmp(&y.hash))
    });
    let omitted_clones = groups.len().saturating_sub(settings.max_reported_clones) as u32;
    let mut omitted_fragments = 0u32;
    let clones: Vec<CloneGroup> = groups
        .into_iter()
        .take(settings.max_reported_clones)
        .map(|g| {
            let mut fragments = g.fragments.clone();
            fragments.sort_by(|a, b| (paths[a.0], a.1).cmp(&(paths[b.0], b.1)));
            omitted_fragments += fragments
                .len()
                .saturating_sub(settings.max_reported_fragments)
                as u32;
            let lines = lines_of(&fragments);
            CloneGroup {
                hash: g.hash.clone(),
                tokens: g.tokens,
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
    for ((file, iv), &tokens) in report.files.iter_mut().zip(intervals).zip(clone_tokens) {
        file.duplicated_lines = tokens.map(|_| union_len(iv));
        file.clone_tokens = tokens;
    }
}

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
