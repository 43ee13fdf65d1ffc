//! Mapping the paths a report names onto the repository's files, shared by every format.
//!
//! In order: the `path-map` rules (`before=after`) rewrite the path first; then each `<source>`
//! root joined with the path, then the path itself, made relative to the repository root; then
//! an installed copy of a package (`…/site-packages/pkg/mod.py`, as a non-editable install or
//! a tox/nox environment records it) maps onto the repository file with the same package
//! suffix, as coverage.py's `[paths]` would map it; then a unique suffix match against the
//! analysed files (a report made on another machine, or inside a subdirectory). Backslashes,
//! `./` and `file://` are normalised and drive letters compared without case. A path outside
//! the root that nothing matches is counted as outside and never read.

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

/// Where Python installs packages: a path under one is the repository's own file when the
/// package is the repository's (same package path), else a dependency.
const INSTALLED: &[&str] = &["/site-packages/", "/dist-packages/"];

/// Paths of Rust dependencies and toolchains: never the repository's own files, whatever suffix.
const FOREIGN: &[&str] = &["/.cargo/registry/", "/.cargo/git/", "/.rustup/", "/rustc/"];

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
                    .map(|(b, a)| (normalize(b.trim()), normalize(a.trim())))
            })
            .collect();
        Self {
            root: normalize(root.trim()).trim_end_matches('/').to_owned(),
            known: known.iter().copied().collect(),
            by_name,
            path_map,
        }
    }

    pub fn resolve(&self, path: &str, sources: &[String]) -> Resolution {
        let mut path = normalize(path.trim());
        // The user's own rules come first: they say what the path is.
        if let Some((before, after)) = self
            .path_map
            .iter()
            .find(|(before, _)| path.starts_with(before.as_str()))
        {
            path = normalize(&format!("{after}{}", &path[before.len()..]));
        }
        let mut candidates: Vec<String> = Vec::new();
        if !is_absolute(&path) {
            for source in sources {
                candidates.push(format!(
                    "{}/{path}",
                    normalize(source.trim()).trim_end_matches('/')
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
        // coverage.py puts an installed package's directory in `<source>`: look at the joined
        // candidates too.
        let installed = candidates.iter().find_map(|c| {
            INSTALLED
                .iter()
                .find_map(|marker| c.rfind(marker).map(|at| &c[at + marker.len()..]))
        });
        if let Some(package_path) = installed {
            return self.installed(package_path);
        }
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
        if outside {
            Resolution::Outside
        } else {
            Resolution::NotFound
        }
    }

    /// `pkg/sub/mod.py`, the part of an installed path after `site-packages/`: the repository
    /// file at that package path under a source root (`src/pkg/sub/mod.py`; a source root is a
    /// directory that is not itself a package, so a top-level `ops.py` is not `calc/ops.py`),
    /// or — when the repository has the package but not the file — not found (a stale report),
    /// else a dependency's file.
    fn installed(&self, package_path: &str) -> Resolution {
        let name = package_path.rsplit('/').next().unwrap_or(package_path);
        let fits: Vec<&str> = self
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|rel| {
                ends_with_components(rel, package_path) && {
                    let root = &rel[..rel.len() - package_path.len()];
                    !self.known.contains(format!("{root}__init__.py").as_str())
                }
            })
            .collect();
        match fits.as_slice() {
            [one] => Resolution::Matched((*one).to_owned()),
            [_, _, ..] => Resolution::Ambiguous,
            [] => {
                let package = package_path.split('/').next().unwrap_or_default();
                let own = package_path.contains('/')
                    && self
                        .known
                        .iter()
                        .any(|rel| rel.split('/').rev().skip(1).any(|dir| dir == package));
                if own {
                    Resolution::NotFound
                } else {
                    Resolution::Outside
                }
            }
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

/// `/` separators, no `file://`, no `./` segments, no duplicate slashes. Idempotent: the
/// whitespace around a path in a report is for the caller to trim (a `..` can bring a segment
/// that starts with a space to the front, and that space belongs to the name).
pub fn normalize(path: &str) -> String {
    let path = path
        .strip_prefix("file://")
        .unwrap_or(path)
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
    fn path_map_comes_first() {
        assert_eq!(resolve("/build/out/x/util.py", &[]), Resolution::Outside);
        assert_eq!(
            Resolver::new("/repo", &["x/y.py"], &["/build/out=/repo/x".to_owned()])
                .resolve("/build/out/y.py", &[]),
            Resolution::Matched("x/y.py".to_owned())
        );
        // Even a path that looks like a dependency's is the user's to map.
        let mapped = Resolver::new(
            "/repo",
            &["lib/vendored/six.py"],
            &["/env/lib/python3.11/site-packages/six.py=lib/vendored/six.py".to_owned()],
        );
        assert_eq!(
            mapped.resolve("/env/lib/python3.11/site-packages/six.py", &[]),
            Resolution::Matched("lib/vendored/six.py".to_owned())
        );
    }

    #[test]
    fn installed_packages_map_onto_the_repository_package() {
        let known = &[
            "src/calc/__init__.py",
            "src/calc/ops.py",
            "tests/__init__.py",
        ];
        let r = Resolver::new("/repo", known, &[]);
        let site = "/home/u/.tox/py311/lib/python3.11/site-packages";
        assert_eq!(
            r.resolve(&format!("{site}/calc/ops.py"), &[]),
            Resolution::Matched("src/calc/ops.py".to_owned())
        );
        // coverage.py's Cobertura: the package directory is the `<source>`.
        assert_eq!(
            r.resolve("__init__.py", &[format!("{site}/calc")]),
            Resolution::Matched("src/calc/__init__.py".to_owned())
        );
        assert_eq!(
            r.resolve("/usr/lib/python3/dist-packages/calc/ops.py", &[]),
            Resolution::Matched("src/calc/ops.py".to_owned())
        );
        // The repository's package, but a file it no longer has: a stale report.
        assert_eq!(
            r.resolve(&format!("{site}/calc/text.py"), &[]),
            Resolution::NotFound
        );
        // Somebody else's package, even with a file name the repository has.
        assert_eq!(
            r.resolve(&format!("{site}/requests/__init__.py"), &[]),
            Resolution::Outside
        );
        assert_eq!(
            r.resolve(&format!("{site}/ops.py"), &[]),
            Resolution::Outside
        );
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalize("file:///a//b/./c/../d"), "/a/b/d");
        assert_eq!(normalize(".\\src\\a.rs"), "src/a.rs");
        // Found by the `paths` fuzz target: `..` brought a segment starting with U+2028 to
        // the front, which a second pass then trimmed away.
        let once = normalize("a/../\u{2028}b/c");
        assert_eq!(once, "\u{2028}b/c");
        assert_eq!(normalize(&once), once);
    }
}
