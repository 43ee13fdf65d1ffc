//! Mapping the paths a report names onto the repository's files, shared by every format.
//!
//! In order: each `<source>` root joined with the path, then the path itself, made relative to
//! the repository root; then a unique suffix match against the analysed files (a report made on
//! another machine, or inside a subdirectory); then the `path-map` rules (`before=after`).
//! Backslashes, `./` and `file://` are normalised and drive letters compared without case. A path
//! outside the root that nothing matches is counted as outside and never read.

use std::collections::{HashMap, HashSet};

/// What a report's path turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// A repository file (relative path, `/` separators).
    Matched(String),
    /// Outside the repository (a dependency, the standard library): ignored.
    Outside,
    /// Several repository files fit equally well.
    Ambiguous,
    /// No such file in the repository (deleted, generated, another commit).
    NotFound,
}

/// Paths of dependencies and toolchains: never the repository's own files, whatever suffix.
const FOREIGN: &[&str] = &[
    "/site-packages/",
    "/dist-packages/",
    "/.cargo/registry/",
    "/.cargo/git/",
    "/.rustup/",
    "/rustc/",
];

pub struct Resolver<'a> {
    root: String,
    /// The analysed files: a lookup per candidate, whatever their number.
    known: HashSet<&'a str>,
    by_name: HashMap<&'a str, Vec<&'a str>>,
    path_map: Vec<(String, String)>,
}

impl<'a> Resolver<'a> {
    /// `root` is the absolute repository root; `known` the analysed files (relative).
    pub fn new(root: &str, known: &'a [&'a str], path_map: &[String]) -> Self {
        let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
        for rel in known {
            by_name
                .entry(rel.rsplit('/').next().unwrap_or(rel))
                .or_default()
                .push(rel);
        }
        let path_map = path_map
            .iter()
            .filter_map(|rule| {
                rule.split_once('=')
                    .map(|(b, a)| (normalize(b), normalize(a)))
            })
            .collect();
        Self {
            root: normalize(root).trim_end_matches('/').to_owned(),
            known: known.iter().copied().collect(),
            by_name,
            path_map,
        }
    }

    pub fn resolve(&self, path: &str, sources: &[String]) -> Resolution {
        let path = normalize(path);
        let mut candidates: Vec<String> = Vec::new();
        if !is_absolute(&path) {
            for source in sources {
                candidates.push(format!(
                    "{}/{path}",
                    normalize(source).trim_end_matches('/')
                ));
            }
        }
        candidates.push(path.clone());
        for candidate in &candidates {
            if let Some(rel) = self
                .relative(candidate)
                .filter(|rel| self.known.contains(&rel.as_str()))
            {
                return Resolution::Matched(rel);
            }
        }
        // Outside: the report names an absolute path that is not under the root. (A relative
        // path under a foreign `<source>` root is a repository file this checkout lacks.)
        let outside = is_absolute(&path) && self.relative(&path).is_none();
        if FOREIGN.iter().any(|f| path.contains(f)) {
            return Resolution::Outside;
        }
        // The joined candidates carry more of the path, so they disambiguate best (`__init__.py`
        // under a foreign `<source>/pkg`); the raw path comes last.
        let mut ambiguous = false;
        for candidate in &candidates {
            match self.by_suffix(candidate) {
                Some(Resolution::Matched(rel)) => return Resolution::Matched(rel),
                Some(Resolution::Ambiguous) => ambiguous = true,
                _ => {}
            }
        }
        if ambiguous {
            return Resolution::Ambiguous;
        }
        for (before, after) in &self.path_map {
            if let Some(rest) = path.strip_prefix(before.as_str()) {
                let mapped = normalize(&format!("{after}{rest}"));
                if let Some(rel) = self
                    .relative(&mapped)
                    .filter(|r| self.known.contains(&r.as_str()))
                {
                    return Resolution::Matched(rel);
                }
            }
        }
        if outside {
            Resolution::Outside
        } else {
            Resolution::NotFound
        }
    }

    /// A candidate made relative to the root: `None` when it is absolute and outside it.
    fn relative(&self, candidate: &str) -> Option<String> {
        if !is_absolute(candidate) {
            return Some(candidate.trim_start_matches("./").to_owned());
        }
        let lower = |s: &str| {
            if has_drive(s) {
                s.to_ascii_lowercase()
            } else {
                s.to_owned()
            }
        };
        let (c, r) = (lower(candidate), lower(&self.root));
        let rest = c.strip_prefix(&r)?.strip_prefix('/')?;
        // Keep the original case of the rest.
        Some(candidate[candidate.len() - rest.len()..].to_owned())
    }

    /// The one analysed file whose path ends the report's path, or whose path the report's
    /// path ends (whole components).
    fn by_suffix(&self, path: &str) -> Option<Resolution> {
        let name = path.rsplit('/').next()?;
        let fits: Vec<&str> = self
            .by_name
            .get(name)?
            .iter()
            .copied()
            .filter(|rel| ends_with_components(path, rel) || ends_with_components(rel, path))
            .collect();
        match fits.as_slice() {
            [] => None,
            [one] => Some(Resolution::Matched((*one).to_owned())),
            _ => {
                // The longest common tail wins when it is unique.
                let score = |rel: &str| {
                    rel.split('/')
                        .rev()
                        .zip(path.split('/').rev())
                        .take_while(|(a, b)| a == b)
                        .count()
                };
                let best = fits.iter().map(|r| score(r)).max().unwrap_or(0);
                let winners: Vec<&&str> = fits.iter().filter(|r| score(r) == best).collect();
                Some(if winners.len() == 1 {
                    Resolution::Matched((*winners[0]).to_owned())
                } else {
                    Resolution::Ambiguous
                })
            }
        }
    }
}

fn ends_with_components(long: &str, short: &str) -> bool {
    long == short
        || long
            .strip_suffix(short)
            .is_some_and(|head| head.ends_with('/'))
}

fn has_drive(s: &str) -> bool {
    s.len() >= 2 && s.as_bytes()[1] == b':' && s.as_bytes()[0].is_ascii_alphabetic()
}

fn is_absolute(s: &str) -> bool {
    s.starts_with('/') || has_drive(s)
}

/// `/` separators, no `file://`, no `./` segments, no duplicate slashes.
pub fn normalize(path: &str) -> String {
    let path = path
        .trim()
        .strip_prefix("file://")
        .unwrap_or(path.trim())
        .replace('\\', "/");
    let mut out: Vec<&str> = Vec::new();
    let absolute = path.starts_with('/');
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|p| *p != "..") {
                    out.pop();
                } else if !absolute {
                    out.push("..");
                }
            }
            p => out.push(p),
        }
    }
    let joined = out.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &[
        "calc/ops.py",
        "calc/text.py",
        "src/lib.rs",
        "a/util.py",
        "b/util.py",
    ];

    fn resolve(path: &str, sources: &[&str]) -> Resolution {
        let sources: Vec<String> = sources.iter().map(|s| (*s).to_owned()).collect();
        Resolver::new("/repo", KNOWN, &["/build/out=".to_owned()]).resolve(path, &sources)
    }

    fn matched(rel: &str) -> Resolution {
        Resolution::Matched(rel.to_owned())
    }

    #[test]
    fn source_roots_and_relative_paths() {
        assert_eq!(resolve("ops.py", &["/repo/calc"]), matched("calc/ops.py"));
        assert_eq!(resolve("calc/ops.py", &[]), matched("calc/ops.py"));
        assert_eq!(resolve("./calc/ops.py", &["."]), matched("calc/ops.py"));
        assert_eq!(resolve("/repo/calc/text.py", &[]), matched("calc/text.py"));
    }

    #[test]
    fn reports_from_other_machines_map_by_unique_suffix() {
        assert_eq!(
            resolve("calc/ops.py", &["/home/runner/work/proj/proj"]),
            matched("calc/ops.py")
        );
        assert_eq!(
            resolve("/home/runner/work/proj/proj/calc/ops.py", &[]),
            matched("calc/ops.py")
        );
        assert_eq!(resolve("C:\\proj\\src\\lib.rs", &[]), matched("src/lib.rs"));
        // A report made in a subdirectory lacks the prefix.
        assert_eq!(resolve("ops.py", &[]), matched("calc/ops.py"));
    }

    #[test]
    fn ambiguous_outside_and_missing() {
        assert_eq!(resolve("util.py", &[]), Resolution::Ambiguous);
        assert_eq!(
            resolve("/home/u/.cargo/registry/src/x/serde/src/lib.rs", &[]),
            Resolution::Outside
        );
        assert_eq!(resolve("/usr/lib/python3/os.py", &[]), Resolution::Outside);
        assert_eq!(resolve("gone.py", &[]), Resolution::NotFound);
        assert_eq!(
            resolve("gone.py", &["/home/runner/work/p/p"]),
            Resolution::NotFound
        );
        assert_eq!(resolve("../../../../etc/passwd", &[]), Resolution::NotFound);
    }

    #[test]
    fn path_map_is_the_last_resort() {
        assert_eq!(resolve("/build/out/x/util.py", &[]), Resolution::Outside);
        assert_eq!(
            Resolver::new("/repo", &["x/y.py"], &["/build/out=/repo/x".to_owned()])
                .resolve("/build/out/y.py", &[]),
            Resolution::Matched("x/y.py".to_owned())
        );
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalize("file:///a//b/./c/../d"), "/a/b/d");
        assert_eq!(normalize(".\\src\\a.rs"), "src/a.rs");
    }
}
