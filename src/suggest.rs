//! "did you mean" suggestions for misspelt keys, gate ids and formats.

/// `did you mean `x`?` when a candidate is close to `word`, else the list of valid ones
/// (`known gates: a, b`).
pub fn hint(word: &str, candidates: &[&str], what: &str) -> String {
    did_you_mean(word, candidates).map_or_else(
        || format!("{what}: {}", candidates.join(", ")),
        |s| format!("did you mean `{s}`?"),
    )
}

/// The candidate closest to `word`, when it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_typos_are_suggested_far_ones_not() {
        assert_eq!(
            did_you_mean("max-complexty", &["max-function", "max-average"]),
            None
        );
        assert_eq!(
            did_you_mean("max-functon", &["max-function", "max-average"]),
            Some("max-function")
        );
        assert_eq!(
            did_you_mean("exlude", &["include", "exclude"]),
            Some("exclude")
        );
        assert_eq!(did_you_mean("zzz", &["include"]), None);
    }

    #[test]
    fn hints_suggest_or_list() {
        assert_eq!(
            hint("coverag", &["coverage", "lint"], "known gates"),
            "did you mean `coverage`?"
        );
        assert_eq!(
            hint("zzz", &["coverage", "lint"], "known gates"),
            "known gates: coverage, lint"
        );
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
