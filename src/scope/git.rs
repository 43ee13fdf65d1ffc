//! The lines a change touches, read from the repository with libgit2. qgate never runs `git`:
//! libgit2 executes no hook, no `core.fsmonitor`, no `diff.external`, no textconv and no
//! configured filter command, so a repository's configuration cannot make qgate run anything.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use git2::{Delta, Diff, DiffFindOptions, DiffOptions, ErrorCode, Oid, Repository};

use super::lines::{Hunk, remap};

/// What to compare the working tree with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// `--base REF`: everything since the merge base of REF and HEAD — commits, staged and
    /// unstaged changes (not untracked files).
    Base(String),
    /// `--staged`: what the next commit would add (pre-commit).
    Staged,
}

/// How the base commit was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseFrom {
    MergeBase,
    /// A pull-request checkout: HEAD is the synthetic merge commit, its first parent the base.
    FirstParent,
    /// `--staged`: the commit HEAD names.
    Head,
    /// No commit yet.
    Unborn,
}

impl BaseFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MergeBase => "merge-base",
            Self::FirstParent => "first-parent",
            Self::Head => "head",
            Self::Unborn => "unborn",
        }
    }
}

/// The change, with paths relative to the analysed root.
#[derive(Debug, Default)]
pub struct Changes {
    pub base_commit: Option<String>,
    pub base_from: Option<BaseFrom>,
    /// Path → changed line ranges of the working-tree file, ascending.
    pub files: BTreeMap<String, Vec<[u32; 2]>>,
    /// `[old, new]` paths followed as renames.
    pub renamed: Vec<[String; 2]>,
    /// HEAD is unborn and `--base` was asked: every analysed file is new.
    pub every_file_new: bool,
}

/// Why the change cannot be read. Each message ends with what to do.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error(
        "{0}: not inside a git repository — `--base` and `--staged` read the change from git: run qgate in a checkout, or drop the flag"
    )]
    NotARepository(String),
    #[error("{0}: a bare repository has no working tree — run qgate in a checkout")]
    Bare(String),
    #[error(
        "{0}: git refuses a repository owned by another user — if you trust it, run `git config --global --add safe.directory {0}` (in CI containers the checkout often belongs to another uid)"
    )]
    NotOwned(String),
    #[error(
        "--base `{0}`: a control character in a revision — pass a branch, tag or commit, e.g. --base origin/main"
    )]
    BadSpec(String),
    #[error("--base `{spec}`: names no commit (tried {tried}) — {fix}")]
    UnknownBase {
        spec: String,
        tried: String,
        fix: String,
    },
    #[error(
        "--base `{spec}`: {what} — {fix}; qgate never falls back to the whole repository or to \"no changes\""
    )]
    Shallow {
        spec: String,
        what: String,
        fix: String,
    },
    #[error(
        "--base `{0}`: shares no history with HEAD — pass the branch this one was made from, e.g. --base origin/main"
    )]
    NoMergeBase(String),
    #[error(
        "{root}: not inside the repository's working tree {workdir} — run qgate on a directory of the checkout"
    )]
    Outside { root: String, workdir: String },
    #[error("{what}: {message} — check the repository with `git status`")]
    Git { what: &'static str, message: String },
}

fn git(what: &'static str) -> impl FnOnce(git2::Error) -> GitError {
    move |e| GitError::Git {
        what,
        message: e.message().to_owned(),
    }
}

/// Reads the change `request` asks for in the repository holding `root`. Only the files
/// `wanted` accepts (the analysed ones, by root-relative path) are kept, so a vendor drop of a
/// million lines costs nothing beyond libgit2's diff itself.
pub fn changes(
    root: &Path,
    request: &Request,
    ignore_whitespace: bool,
    github_base_ref: Option<&str>,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<Changes, GitError> {
    if let Request::Base(spec) = request
        && spec.chars().any(char::is_control)
    {
        return Err(GitError::BadSpec(spec.escape_debug().to_string()));
    }
    let repo = open(root)?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| GitError::Bare(repo.path().display().to_string()))?
        .to_path_buf();
    let prefix = prefix_of(root, &workdir)?;
    let paths = Paths {
        prefix: &prefix,
        wanted,
    };
    let head = match repo.head() {
        Ok(reference) => Some(
            reference
                .peel_to_commit()
                .map_err(git("cannot read the commit HEAD names"))?,
        ),
        Err(e) if e.code() == ErrorCode::UnbornBranch => None,
        Err(e) => return Err(git("cannot read HEAD")(e)),
    };
    let shallow = Shallow::read(&repo);
    let mut options = diff_options(ignore_whitespace, &prefix);
    let mut out = Changes::default();
    match (request, head) {
        (Request::Base(_), None) => {
            out.base_from = Some(BaseFrom::Unborn);
            out.every_file_new = true;
        }
        (Request::Staged, None) => {
            out.base_from = Some(BaseFrom::Unborn);
            let index = repo.index().map_err(git("cannot read the index"))?;
            let diff = repo
                .diff_tree_to_index(None, Some(&index), Some(&mut options))
                .map_err(git("cannot diff the index"))?;
            collect(diff, &paths, &mut out)?;
        }
        (Request::Staged, Some(head)) => {
            out.base_from = Some(BaseFrom::Head);
            out.base_commit = Some(head.id().to_string());
            let tree = head.tree().map_err(git("cannot read HEAD's tree"))?;
            let index = repo.index().map_err(git("cannot read the index"))?;
            let diff = repo
                .diff_tree_to_index(Some(&tree), Some(&index), Some(&mut options))
                .map_err(git("cannot diff the index"))?;
            collect(diff, &paths, &mut out)?;
            to_working_tree(&repo, &mut out, &paths, ignore_whitespace)?;
        }
        (Request::Base(spec), Some(head)) => {
            let (base, from) = match pull_request_base(&repo, &head, spec, github_base_ref)? {
                Some(parent) => (parent, BaseFrom::FirstParent),
                None => (
                    merge_base(&repo, spec, head.id(), &shallow)?,
                    BaseFrom::MergeBase,
                ),
            };
            out.base_from = Some(from);
            out.base_commit = Some(base.to_string());
            let tree = repo
                .find_commit(base)
                .and_then(|c| c.tree())
                .map_err(|e| match shallow.is_shallow {
                    true => shallow_error(spec, "the base commit's tree was not fetched"),
                    false => git("cannot read the base commit's tree")(e),
                })?;
            let diff = repo
                .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))
                .map_err(git("cannot diff the working tree"))?;
            collect(diff, &paths, &mut out)?;
        }
    }
    Ok(out)
}

fn open(root: &Path) -> Result<Repository, GitError> {
    Repository::discover(root).map_err(|e| match e.code() {
        ErrorCode::Owner => GitError::NotOwned(
            owner_path(root, e.message()).unwrap_or_else(|| root.display().to_string()),
        ),
        ErrorCode::NotFound => GitError::NotARepository(root.display().to_string()),
        _ => git("cannot open the repository")(e),
    })
}

/// The repository path libgit2 names in its ownership error (`repository path '/x' is not
/// owned by current user`), which is the one `safe.directory` takes.
fn owner_path(root: &Path, message: &str) -> Option<String> {
    let start = message.find('\'')? + 1;
    let end = start + message[start..].find('\'')?;
    let path = message[start..end].trim_end_matches('/');
    Some(if path.is_empty() {
        root.display().to_string()
    } else {
        path.to_owned()
    })
}

/// `root` relative to the working tree, with `/` and a trailing `/` (empty at the top).
fn prefix_of(root: &Path, workdir: &Path) -> Result<String, GitError> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (root_c, workdir_c): (PathBuf, PathBuf) = (canonical(root), canonical(workdir));
    let rel = root_c
        .strip_prefix(&workdir_c)
        .map_err(|_| GitError::Outside {
            root: root.display().to_string(),
            workdir: workdir.display().to_string(),
        })?;
    let mut prefix: String = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if !prefix.is_empty() {
        prefix.push('/');
    }
    Ok(prefix)
}

fn diff_options(ignore_whitespace: bool, prefix: &str) -> DiffOptions {
    let mut options = DiffOptions::new();
    options
        .context_lines(0)
        .interhunk_lines(0)
        .include_untracked(false)
        .ignore_submodules(true)
        .ignore_whitespace(ignore_whitespace)
        .ignore_blank_lines(ignore_whitespace);
    if !prefix.is_empty() {
        options.pathspec(prefix);
    }
    options
}

/// Which diff paths count, and under which name.
struct Paths<'a> {
    prefix: &'a str,
    wanted: &'a dyn Fn(&str) -> bool,
}

impl Paths<'_> {
    /// The root-relative name of a working-tree path, when it is wanted.
    fn name(&self, path: Option<&Path>) -> Option<String> {
        let path = path?.to_str()?;
        let rel = path.strip_prefix(self.prefix)?;
        (self.wanted)(rel).then(|| rel.to_owned())
    }
}

/// Adds the new-side line ranges of `diff`'s hunks (context 0: exactly the added lines) and
/// its renames. Deleted files have no new side; binary files and submodules have no hunks.
fn collect(mut diff: Diff<'_>, paths: &Paths<'_>, out: &mut Changes) -> Result<(), GitError> {
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))
        .map_err(git("cannot detect renames"))?;
    let mut renamed = Vec::new();
    let mut files: BTreeMap<String, Vec<[u32; 2]>> = BTreeMap::new();
    diff.foreach(
        &mut |delta, _| {
            if delta.status() == Delta::Renamed
                && let (Some(old), Some(new)) = (
                    delta.old_file().path().and_then(Path::to_str),
                    paths.name(delta.new_file().path()),
                )
            {
                let old = old.strip_prefix(paths.prefix).unwrap_or(old).to_owned();
                renamed.push([old, new]);
            }
            true
        },
        None,
        Some(&mut |delta, hunk| {
            if delta.status() != Delta::Deleted
                && hunk.new_lines() > 0
                && let Some(name) = paths.name(delta.new_file().path())
            {
                let first = hunk.new_start();
                files
                    .entry(name)
                    .or_default()
                    .push([first, first + hunk.new_lines() - 1]);
            }
            true
        }),
        None,
    )
    .map_err(git("cannot read the diff"))?;
    for (path, mut ranges) in files {
        ranges.sort_unstable();
        out.files.entry(path).or_default().extend(ranges);
    }
    out.renamed.extend(renamed);
    Ok(())
}

/// `--staged` lines are index lines; qgate reads the working tree. Lines the working tree
/// changed again are dropped, the others shifted to where they are now (pre-commit stashes
/// unstaged changes, so there the two agree).
fn to_working_tree(
    repo: &Repository,
    out: &mut Changes,
    paths: &Paths<'_>,
    ignore_whitespace: bool,
) -> Result<(), GitError> {
    if out.files.is_empty() {
        return Ok(());
    }
    // Only the changed files, by exact path: the whole tree would cost a stat (or a hash) of
    // every tracked file, most of a pre-commit run in a large repository.
    let mut options = diff_options(ignore_whitespace, "");
    options.disable_pathspec_match(true);
    for name in out.files.keys() {
        options.pathspec(format!("{}{name}", paths.prefix));
    }
    let diff = repo
        .diff_index_to_workdir(None, Some(&mut options))
        .map_err(git("cannot diff the working tree"))?;
    let mut hunks: BTreeMap<String, Vec<Hunk>> = BTreeMap::new();
    diff.foreach(
        &mut |_, _| true,
        None,
        Some(&mut |delta, hunk| {
            if let Some(name) = paths.name(delta.old_file().path())
                && out.files.contains_key(&name)
            {
                hunks.entry(name).or_default().push(Hunk {
                    old_start: hunk.old_start(),
                    old_lines: hunk.old_lines(),
                    new_lines: hunk.new_lines(),
                });
            }
            true
        }),
        None,
    )
    .map_err(git("cannot read the diff"))?;
    for (path, file_hunks) in hunks {
        if let Some(ranges) = out.files.get_mut(&path) {
            *ranges = remap(ranges, &file_hunks);
        }
    }
    out.files.retain(|_, ranges| !ranges.is_empty());
    Ok(())
}

/// The commits a shallow clone was cut at (`.git/shallow`): their parents are missing.
struct Shallow {
    is_shallow: bool,
    boundary: HashSet<Oid>,
}

impl Shallow {
    fn read(repo: &Repository) -> Self {
        let is_shallow = repo.is_shallow();
        let boundary = if is_shallow {
            std::fs::read_to_string(repo.path().join("shallow"))
                .unwrap_or_default()
                .lines()
                .filter_map(|l| Oid::from_str(l.trim()).ok())
                .collect()
        } else {
            HashSet::new()
        };
        Self {
            is_shallow,
            boundary,
        }
    }
}

/// A shallow clone's missing history, with the fix naming the branch to deepen.
fn shallow_error(spec: &str, what: &str) -> GitError {
    GitError::Shallow {
        spec: spec.to_owned(),
        what: format!("this is a shallow clone and {what}"),
        fix: shallow_fix(spec),
    }
}

fn shallow_fix(spec: &str) -> String {
    let (remote, branch) = match spec.split_once('/') {
        Some((remote, branch)) if !remote.is_empty() && !branch.is_empty() => (remote, branch),
        _ => ("origin", spec),
    };
    format!(
        "check out the full history (`fetch-depth: 0` on actions/checkout, `GIT_DEPTH: 0` in GitLab CI), or deepen it until the merge base is in it: `git fetch --deepen=200 {remote} {branch}`"
    )
}

/// The commit `spec` names: as given, then as a branch of `origin` (CI checkouts often have
/// `origin/main` but no local `main`).
fn resolve(repo: &Repository, spec: &str, shallow: &Shallow) -> Result<Oid, GitError> {
    let mut tried = vec![spec.to_owned()];
    if !spec.starts_with("refs/") && !spec.starts_with("origin/") {
        tried.push(format!("origin/{spec}"));
    }
    for candidate in &tried {
        if let Ok(commit) = repo
            .revparse_single(candidate)
            .and_then(|o| o.peel_to_commit())
        {
            return Ok(commit.id());
        }
    }
    let fix = if shallow.is_shallow {
        format!("this is a shallow clone: {}", shallow_fix(spec))
    } else {
        let branch = spec.strip_prefix("origin/").unwrap_or(spec);
        format!("fetch it (`git fetch origin {branch}`) or name an existing branch, tag or commit")
    };
    Err(GitError::UnknownBase {
        spec: spec.to_owned(),
        tried: tried
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", "),
        fix,
    })
}

/// The merge base of `spec` and HEAD. In a shallow clone a merge base that is a boundary
/// commit may be a wrong, older one (its real history is cut off), so it is refused.
fn merge_base(
    repo: &Repository,
    spec: &str,
    head: Oid,
    shallow: &Shallow,
) -> Result<Oid, GitError> {
    let base = resolve(repo, spec, shallow)?;
    match repo.merge_base(base, head) {
        Ok(found) if shallow.boundary.contains(&found) && found != base => Err(shallow_error(
            spec,
            "the merge base lies on its boundary (the real one may be older)",
        )),
        Ok(found) => Ok(found),
        Err(e) if e.code() == ErrorCode::NotFound => {
            if shallow.is_shallow {
                Err(shallow_error(
                    spec,
                    "the merge base of the base and HEAD is beyond its depth",
                ))
            } else {
                Err(GitError::NoMergeBase(spec.to_owned()))
            }
        }
        Err(e) => Err(git("cannot compute the merge base")(e)),
    }
}

/// On a GitHub pull-request checkout — `GITHUB_BASE_REF` set, `--base` naming that branch,
/// HEAD detached at a merge commit — the change is exactly HEAD against its first parent, and
/// needs no merge base (nor the base branch fetched).
fn pull_request_base(
    repo: &Repository,
    head: &git2::Commit<'_>,
    spec: &str,
    github_base_ref: Option<&str>,
) -> Result<Option<Oid>, GitError> {
    let Some(base_ref) = github_base_ref.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let names_it = spec == base_ref
        || spec
            .strip_suffix(base_ref)
            .is_some_and(|s| s.ends_with('/'));
    if !names_it || !repo.head_detached().unwrap_or(false) {
        return Ok(None);
    }
    if head.parent_count() < 2 {
        if Shallow::read(repo).boundary.contains(&head.id()) {
            return Err(GitError::Shallow {
                spec: spec.to_owned(),
                what: "this is a shallow clone and HEAD, the pull request's merge commit, was fetched without its parents".to_owned(),
                fix: "check out at least two commits (`fetch-depth: 2`, or 0 for the full history, on actions/checkout)".to_owned(),
            });
        }
        return Ok(None);
    }
    head.parent_id(0)
        .map(Some)
        .map_err(git("cannot read HEAD's first parent"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_error_names_the_path_git_asks_for() {
        let root = Path::new("/w");
        assert_eq!(
            owner_path(
                root,
                "repository path '/srv/repo/' is not owned by current user"
            ),
            Some("/srv/repo".to_owned())
        );
        assert_eq!(owner_path(root, "no quotes"), None);
    }

    #[test]
    fn shallow_fixes_name_the_remote_and_branch() {
        let fix = shallow_fix("upstream/develop");
        assert!(
            fix.ends_with("`git fetch --deepen=200 upstream develop`"),
            "{fix}"
        );
        let fix = shallow_fix("main");
        assert!(
            fix.ends_with("`git fetch --deepen=200 origin main`"),
            "{fix}"
        );
        assert!(fix.contains("fetch-depth: 0"), "{fix}");
    }
}
