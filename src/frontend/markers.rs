//! The comment markers qgate reads, for both languages:
//!
//! - `qgate: ignore[rule, …]` at the end of a line, or alone on it, silences findings of those
//!   rules on that line (`#` in Python, `//` in Rust, directly before the marker);
//! - `qgate: ignore-duplication-start` … `qgate: ignore-duplication-end` leaves a region out of
//!   clone detection.
//!
//! Each front end hands every comment token of its own lexing pass to [`parse`], so words inside
//! a string literal are never a marker.

use crate::model::Language;

/// What every marker starts with: one search per comment finds any of them.
const PREFIX: &str = "qgate: ignore";

/// What one comment says to qgate.
#[derive(Debug, PartialEq, Eq)]
pub enum Marker {
    /// Findings of these rules on the comment's line are silenced.
    Ignore(Vec<String>),
    DuplicationStart,
    DuplicationEnd,
}

/// The marker in `comment` (the whole comment token, its `#` or `//` included), if any.
pub fn parse(comment: &str, language: Language) -> Option<Marker> {
    // `contains` has a fast path for short texts that `find` lacks; almost no comment matches.
    if !comment.contains(PREFIX) {
        return None;
    }
    let at = comment.find(PREFIX)?;
    let rest = &comment[at + PREFIX.len()..];
    if rest.starts_with("-duplication-start") {
        return Some(Marker::DuplicationStart);
    }
    if rest.starts_with("-duplication-end") {
        return Some(Marker::DuplicationEnd);
    }
    let rest = rest.strip_prefix('[')?;
    let opener = match language {
        Language::Python => "#",
        Language::Rust => "//",
    };
    // `# noqa  # qgate: ignore[X]` counts; `# see qgate: ignore[X]` is prose about it.
    if !comment[..at].trim_end().ends_with(opener) {
        return None;
    }
    let rules: Vec<String> = rest[..rest.find(']')?]
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect();
    (!rules.is_empty()).then_some(Marker::Ignore(rules))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(rules: &[&str]) -> Option<Marker> {
        Some(Marker::Ignore(
            rules.iter().map(|r| (*r).to_owned()).collect(),
        ))
    }

    #[test]
    fn ignore_markers_in_python_and_rust_comments() {
        let py = Language::Python;
        assert_eq!(parse("# qgate: ignore[B403]", py), ignore(&["B403"]));
        assert_eq!(
            parse("# qgate: ignore[B101, function-too-complex ]", py),
            ignore(&["B101", "function-too-complex"])
        );
        assert_eq!(
            parse("# noqa: E501  # qgate: ignore[B1]", py),
            ignore(&["B1"])
        );
        assert_eq!(parse("# see qgate: ignore[B1] in the docs", py), None);
        assert_eq!(parse("# qgate: ignore[]", py), None);
        assert_eq!(parse("# qgate: ignore[B1", py), None);
        let rs = Language::Rust;
        assert_eq!(
            parse("// qgate: ignore[clippy::never_loop]", rs),
            ignore(&["clippy::never_loop"])
        );
        assert_eq!(parse("/* qgate: ignore[x] */", rs), None);
        assert_eq!(parse("# qgate: ignore[x]", rs), None);
    }

    #[test]
    fn duplication_regions() {
        for language in [Language::Python, Language::Rust] {
            assert_eq!(
                parse("# qgate: ignore-duplication-start (generated)", language),
                Some(Marker::DuplicationStart)
            );
            assert_eq!(
                parse("// qgate: ignore-duplication-end", language),
                Some(Marker::DuplicationEnd)
            );
        }
    }
}
