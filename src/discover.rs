//! Discovery: which files to analyse. Honours `.gitignore` (also outside a git checkout), the
//! built-in excludes, `include`/`exclude` globs and explicit file arguments. Symlinks are never
//! followed; non-regular files are never opened.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

use crate::model::Language;
use crate::model::{Skip, SkipReason};
use crate::settings::{BUILTIN_EXCLUDES, ConfigError, Settings, VCS_DIRS, glob_set};

/// A file found by discovery.
#[derive(Debug)]
pub struct Candidate {
    pub path: PathBuf,
    /// Relative to the root, with `/` separators.
    pub rel: String,
    pub language: Language,
    /// Set when discovery already knows the file cannot be analysed.
    pub skip: Option<Skip>,
    /// Named on the command line (not found by walking): skipping it leaves no verdict.
    pub named: bool,
}

/// Finds the files to analyse, sorted by relative path.
pub fn discover(settings: &Settings) -> Result<Vec<Candidate>, ConfigError> {
    let filter = Filter::new(settings)?;
    let found = Mutex::new(Vec::new());
    for path in &settings.paths {
        let meta = std::fs::symlink_metadata(path).map_err(|e| ConfigError::io(path, &e))?;
        if meta.is_dir() {
            walk(path, settings, &filter, &found);
        } else if let Some(c) = explicit_file(path, &meta, settings, &filter) {
            push(&found, c);
        }
    }
    let mut files = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);
    Ok(files)
}

fn push(found: &Mutex<Vec<Candidate>>, candidate: Candidate) {
    found
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(candidate);
}

/// A file named on the command line: analysed even when `.gitignore` would hide it, but not when
/// the configuration excludes it (so pre-commit's file lists respect `exclude`).
fn explicit_file(
    path: &Path,
    meta: &std::fs::Metadata,
    settings: &Settings,
    filter: &Filter,
) -> Option<Candidate> {
    let language = Language::from_path(path)?;
    let rel = relative(path, &settings.root);
    if filter.excluded(&rel) {
        return None;
    }
    Some(Candidate {
        path: path.to_path_buf(),
        rel,
        language,
        skip: file_type_skip(meta.file_type()),
        named: true,
    })
}

fn walk(dir: &Path, settings: &Settings, filter: &Filter, found: &Mutex<Vec<Candidate>>) {
    let mut builder = WalkBuilder::new(dir);
    builder
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .git_global(false)
        .threads(settings.jobs.unwrap_or(0));
    let root = settings.root.clone();
    let dir_filter = filter.clone();
    let default_excludes = settings.default_excludes;
    builder.filter_entry(move |entry| {
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        let name = entry.file_name();
        if is_dir
            && entry.depth() > 0
            && (VCS_DIRS.iter().any(|x| name == *x)
                || default_excludes && BUILTIN_EXCLUDES.iter().any(|x| name == *x))
        {
            return false;
        }
        entry.depth() == 0 || !dir_filter.excluded(&relative(entry.path(), &root))
    });
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            match entry {
                Ok(entry) => {
                    if let Some(c) = walked_file(&entry, settings, filter) {
                        push(found, c);
                    }
                }
                Err(err) => {
                    if let Some(c) = walk_error(&err, settings) {
                        push(found, c);
                    }
                }
            }
            WalkState::Continue
        })
    });
}

fn walked_file(
    entry: &ignore::DirEntry,
    settings: &Settings,
    filter: &Filter,
) -> Option<Candidate> {
    let file_type = entry.file_type()?;
    if file_type.is_dir() {
        return None;
    }
    let language = Language::from_path(entry.path())?;
    let rel = relative(entry.path(), &settings.root);
    if !filter.included(&rel) {
        return None;
    }
    Some(Candidate {
        path: entry.path().to_path_buf(),
        rel,
        language,
        skip: file_type_skip(file_type),
        named: false,
    })
}

/// An unreadable directory or file is reported, never silently dropped.
fn walk_error(err: &ignore::Error, settings: &Settings) -> Option<Candidate> {
    let path = error_path(err)?;
    let language = Language::from_path(path).unwrap_or(Language::Python);
    Some(Candidate {
        path: path.to_path_buf(),
        rel: relative(path, &settings.root),
        language,
        skip: Some(Skip::new(SkipReason::IoError, err.to_string())),
        named: false,
    })
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

fn file_type_skip(t: std::fs::FileType) -> Option<Skip> {
    if t.is_symlink() {
        Some(Skip::new(
            SkipReason::Symlink,
            "symbolic link: qgate does not follow links; analyse the target instead",
        ))
    } else if !t.is_file() {
        Some(Skip::new(
            SkipReason::NotARegularFile,
            "not a regular file (a FIFO, socket or device): never opened",
        ))
    } else {
        None
    }
}

/// `path` relative to `root` with `/` separators; outside the root, the path as it is.
pub fn relative(path: &Path, root: &Path) -> String {
    let Ok(rel) = path.strip_prefix(root) else {
        return path.to_string_lossy().replace('\\', "/");
    };
    // What the walk gives on Unix is already clean: no `.`, no doubled or trailing `/`. Taken
    // as it is, that spares a string for every component of every path walked.
    if cfg!(unix)
        && let Some(text) = rel.to_str()
        && is_clean(text)
    {
        return text.to_owned();
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Whether joining the components of `path` with `/` gives `path` back.
fn is_clean(path: &str) -> bool {
    !path.starts_with('/') && path.split('/').all(|part| !part.is_empty() && part != ".")
}

/// `include` and `exclude` globs, matched against root-relative paths. A pattern also matches
/// everything below a matching directory; a pattern without `/` matches at any depth (as in
/// `.gitignore`).
#[derive(Clone)]
struct Filter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Filter {
    fn new(settings: &Settings) -> Result<Self, ConfigError> {
        let include = if settings.include.is_empty() {
            None
        } else {
            Some(glob_set(&settings.include, "include")?)
        };
        Ok(Self {
            include,
            exclude: glob_set(&settings.exclude, "exclude")?,
        })
    }

    fn excluded(&self, rel: &str) -> bool {
        self.exclude.is_match(rel)
    }

    fn included(&self, rel: &str) -> bool {
        !self.excluded(rel) && self.include.as_ref().is_none_or(|set| set.is_match(rel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(include: &[&str], exclude: &[&str]) -> Filter {
        let conv = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let include = if include.is_empty() {
            None
        } else {
            Some(glob_set(&conv(include), "include").unwrap())
        };
        Filter {
            include,
            exclude: glob_set(&conv(exclude), "exclude").unwrap(),
        }
    }

    #[test]
    fn exclude_patterns_match_like_gitignore() {
        let f = filter(&[], &["**/migrations/**", "generated", "docs/*.py"]);
        assert!(f.excluded("app/migrations/0001.py"));
        assert!(f.excluded("generated/x.py"));
        assert!(f.excluded("a/b/generated/x.py"));
        assert!(f.excluded("docs/conf.py"));
        assert!(!f.excluded("app/models.py"));
    }

    #[test]
    fn include_limits_to_listed_directories() {
        let f = filter(&["src", "tests"], &["tests/data"]);
        assert!(f.included("src/a.py"));
        assert!(f.included("tests/test_a.py"));
        assert!(!f.included("tests/data/x.py"));
        assert!(!f.included("scripts/x.py"));
    }

    #[test]
    fn invalid_globs_are_config_errors() {
        let err = glob_set(&["a[".to_owned()], "exclude").unwrap_err();
        assert!(
            err.message.starts_with("`exclude` pattern `a[`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn relative_paths_use_forward_slashes() {
        assert_eq!(relative(Path::new("/r/a/b.py"), Path::new("/r")), "a/b.py");
        // What is not clean takes the long way, to the same result.
        assert_eq!(
            relative(Path::new("/r/./a//b.py"), Path::new("/r")),
            "a/b.py"
        );
        assert_eq!(relative(Path::new("/r/a/"), Path::new("/r")), "a");
        assert_eq!(relative(Path::new("/r"), Path::new("/r")), "");
        assert!(is_clean("a/b.py") && is_clean("a"));
        assert!(!is_clean("a//b") && !is_clean("./a") && !is_clean("a/") && !is_clean(""));
        assert_eq!(
            relative(Path::new("/other/b.py"), Path::new("/r")),
            "/other/b.py"
        );
    }
}
