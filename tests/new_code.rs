//! New-code gates on real git repositories built in temporary directories with the `git`
//! command line (as users build them), each with its own `user.name`/`user.email` and no
//! global configuration.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::repo::Repo;
use common::{find, qgate};

/// A repository whose one commit on `main` holds `ops.py`.
fn with_ops() -> Repo {
    let repo = Repo::new();
    repo.write("ops.py", OPS);
    repo.commit("base");
    repo
}

const OPS: &str = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n";

/// Lines 9-14 of ops.py once `UNCOVERED` is appended to `OPS`.
const UNCOVERED: &str = "\n\ndef never_called(x):\n    if x > 100:\n        return x - 100\n    if x < -100:\n        return x + 100\n    return 0\n";

/// A Cobertura report as coverage.py writes it: `add` and `sub` ran, and on the branch the
/// definition line of `never_called` (run at import) but not its body.
fn cobertura(lines: &[(u32, u32)]) -> String {
    let rows: String = lines
        .iter()
        .map(|(n, hits)| format!("<line number=\"{n}\" hits=\"{hits}\"/>"))
        .collect();
    let covered = lines.iter().filter(|(_, h)| *h > 0).count();
    format!(
        "<?xml version=\"1.0\" ?>\n<coverage version=\"7.17.5\" lines-valid=\"{}\" lines-covered=\"{covered}\" line-rate=\"0\" branches-valid=\"0\" branches-covered=\"0\" branch-rate=\"0\" complexity=\"0\"><sources><source>.</source></sources><packages><package name=\".\"><classes><class name=\"ops.py\" filename=\"ops.py\"><lines>{rows}</lines></class></classes></package></packages></coverage>\n",
        lines.len()
    )
}

fn gate<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    find(&report["gates"], "id", id)
}

#[test]
fn a_branch_adding_an_uncovered_function_fails_diff_coverage_while_whole_coverage_passes() {
    let repo = Repo::new();
    repo.write("ops.py", OPS);
    let base = repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.append("ops.py", UNCOVERED);
    repo.commit("feature");
    // Whole file: 1, 2, 5, 6 ran; 9 (the def) ran; 10-14 did not: 5 of 10 lines.
    let hits = [
        (1, 1),
        (2, 3),
        (5, 1),
        (6, 2),
        (9, 1),
        (10, 0),
        (11, 0),
        (12, 0),
        (13, 0),
        (14, 0),
    ];
    std::fs::write(repo.path().join("cov.xml"), cobertura(&hits)).unwrap();
    let (code, r, stderr) = repo.check(&[
        "--base",
        "main",
        "--coverage",
        "cov.xml",
        "--threshold",
        "coverage=50",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(gate(&r, "coverage")["status"], "pass");
    assert_eq!(gate(&r, "coverage")["actual"], 50.0);
    let diff = gate(&r, "new-coverage");
    assert_eq!(
        (
            &diff["status"],
            &diff["scope"],
            &diff["actual"],
            &diff["threshold"]
        ),
        (
            &"fail".into(),
            &"new-code".into(),
            &16.0.into(),
            &80.0.into()
        )
    );
    assert_eq!(
        diff["offenders"][0]["message"],
        "16.67 % of its changed lines covered (1 of 6); not covered: 10-14"
    );
    assert_eq!(
        (&diff["offenders"][0]["path"], &diff["offenders"][0]["line"]),
        (&"ops.py".into(), &10.into())
    );
    assert_eq!(r["scope"]["mode"], "base");
    assert_eq!(r["scope"]["base_commit"], base.as_str());
    assert_eq!(r["scope"]["base_from"], "merge-base");
    assert_eq!(r["scope"]["files"]["ops.py"], serde_json::json!([[7, 14]]));
    assert_eq!(r["scope"]["changed_lines"], 8);
    let n = &r["summary"]["new_code"];
    assert_eq!(
        (
            &n["coverage"]["covered_lines"],
            &n["coverage"]["coverable_lines"]
        ),
        (&1.into(), &6.into())
    );
    assert_eq!(n["functions"], 1);
    assert_eq!(gate(&r, "new-complexity")["actual"], 3.0);
    // The function is named where it is.
    assert_eq!(
        gate(&r, "new-type-hints")["offenders"][0]["message"],
        "`never_called` lacks annotations: 1 of 1 parameters, the return"
    );
    // With two decimals, as diff-cover --total-percent-float.
    repo.write("qgate.toml", "[new-code]\ntotal-percent-float = true\n");
    let (_, r, _) = repo.check(&["--base", "main", "--coverage", "cov.xml"]);
    assert_eq!(gate(&r, "new-coverage")["actual"], 16.67);
}

#[test]
fn without_a_change_no_new_code_gate_is_reported() {
    let repo = with_ops();
    let (_, r, _) = repo.check(&[]);
    assert!(
        r["gates"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["scope"] == "all")
    );
    assert_eq!(r["scope"]["mode"], "all");
    assert!(r["summary"].get("new_code").is_none());
}

#[test]
fn no_changed_lines_evaluates_no_new_code_gate_and_passes_even_when_required() {
    let repo = Repo::new();
    repo.write("ops.py", OPS);
    let head = repo.commit("base");
    repo.write(
        "qgate.toml",
        "[gates]\nnew-coverage = { required = true }\ntype-hints = { enabled = false }\n",
    );
    std::fs::write(
        repo.path().join("cov.xml"),
        cobertura(&[(1, 1), (2, 1), (5, 1), (6, 1)]),
    )
    .unwrap();
    let (code, r, stderr) = repo.check(&["--base", "HEAD", "--coverage", "cov.xml"]);
    assert_eq!(code, 0, "{stderr}");
    let g = gate(&r, "new-coverage");
    assert_eq!(g["status"], "skipped");
    assert_eq!(
        g["message"],
        format!(
            "no changed lines since {} (merge base of `HEAD` and HEAD): new-code gates not evaluated",
            &head[..12]
        )
    );
    assert_eq!(r["scope"]["changed_lines"], 0);
}

#[test]
fn a_shallow_clone_exits_2_with_the_fetch_fix() {
    let repo = with_ops();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.append("ops.py", UNCOVERED);
    repo.commit("feature");
    let (_clone, c) = repo.shallow_clone(1, "feature");
    let (code, r, stderr) = repo.check_in(&c, &["--base", "origin/main"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(r.is_null(), "no report is written");
    assert_eq!(
        stderr.trim(),
        "qgate: error: --base `origin/main`: this is a shallow clone and the merge base of the base and HEAD is beyond its depth — check out the full history (`fetch-depth: 0` on actions/checkout, `GIT_DEPTH: 0` in GitLab CI), or deepen it until the merge base is in it: `git fetch --deepen=200 origin main`; qgate never falls back to the whole repository or to \"no changes\""
    );
    // A base the clone never fetched: the same fix, and what was tried.
    let (code, _, stderr) = repo.check_in(&c, &["--base", "release"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--base `release`: names no commit (tried `release`, `origin/release`) — this is a shallow clone: check out the full history"),
        "{stderr}"
    );
    // Deepened, it works.
    repo.git_in(
        &c,
        &["fetch", "-q", "--deepen=5", "origin", "main", "feature"],
    );
    let (code, r, stderr) = repo.check_in(&c, &["--base", "origin/main"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(r["scope"]["files"]["ops.py"], serde_json::json!([[7, 14]]));
}

#[test]
fn a_pull_request_merge_commit_is_scoped_to_its_first_parent() {
    // GitHub checks out refs/pull/N/merge: a merge of the PR into the base branch, detached,
    // often without the base branch itself (fetch-depth 2 gets the merge and its parents).
    let repo = Repo::new();
    repo.write("ops.py", OPS);
    repo.write("other.py", "def other():\n    return 1\n");
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.append("ops.py", UNCOVERED);
    repo.commit("feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.append("other.py", "\n\ndef more():\n    return 2\n");
    let main_tip = repo.commit("main moves on");
    repo.git(&["checkout", "-q", "--detach", "main"]);
    repo.git(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge feature into main",
        "feature",
    ]);
    let merge = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["branch", "pull-merge", &merge]);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    repo.git_in(
        clone.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "2",
            "--branch",
            "pull-merge",
            &url,
            "c",
        ],
    );
    let c = clone.path().join("c");
    repo.git_in(&c, &["checkout", "-q", "--detach"]);
    let run = |github: Option<&str>| {
        let mut cmd = qgate();
        cmd.current_dir(&c).env("HOME", repo.home.path()).args([
            "check",
            ".",
            "--format",
            "json",
            "--base",
            "origin/main",
            "--exit-zero",
        ]);
        if let Some(base) = github {
            cmd.env("GITHUB_BASE_REF", base);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap(),
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_default(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, r, stderr) = run(Some("main"));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(r["scope"]["base_from"], "first-parent");
    assert_eq!(r["scope"]["base_commit"], main_tip.as_str());
    // Only the pull request's lines, not main's own new commit.
    assert_eq!(
        r["scope"]["files"],
        serde_json::json!({"ops.py": [[7, 14]]})
    );
    // Outside a pull request the same checkout has no `origin/main` to take a merge base with.
    let (code, _, stderr) = run(None);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--base `origin/main`: names no commit"),
        "{stderr}"
    );
}

#[test]
fn staged_sees_only_staged_lines_where_they_are_in_the_working_tree() {
    let repo = Repo::new();
    repo.write("ops.py", OPS);
    repo.write("text.py", "def shout(s):\n    return s.upper()\n");
    repo.commit("base");
    repo.append("text.py", "\n\ndef whisper(s):\n    return s.lower()\n");
    repo.git(&["add", "text.py"]);
    // After staging: two unstaged lines above the staged ones, and an unstaged change elsewhere.
    let staged = std::fs::read_to_string(repo.path().join("text.py")).unwrap();
    repo.write("text.py", &format!("# unstaged\n# unstaged\n{staged}"));
    repo.append("ops.py", "\n\ndef unstaged(z):\n    return z\n");
    let (_, r, stderr) = repo.check(&["--staged", "--exit-zero"]);
    assert_eq!(r["scope"]["mode"], "staged", "{stderr}");
    assert_eq!(r["scope"]["base_from"], "head");
    // Staged lines 3-6 of the index are lines 5-8 of the working tree.
    assert_eq!(
        r["scope"]["files"],
        serde_json::json!({"text.py": [[5, 8]]})
    );
    let changed = gate(&r, "new-type-hints")["offenders"][0].clone();
    assert_eq!(
        (&changed["path"], &changed["line"]),
        (&"text.py".into(), &7.into())
    );
}

#[test]
fn a_renamed_file_keeps_its_unchanged_lines_old() {
    let repo = with_ops();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.git(&["mv", "ops.py", "arith.py"]);
    repo.append("arith.py", "\n\ndef mul(a, b):\n    return a * b\n");
    repo.commit("rename and extend");
    let (_, r, stderr) = repo.check(&["--base", "main", "--exit-zero"]);
    assert_eq!(
        r["scope"]["files"],
        serde_json::json!({"arith.py": [[7, 10]]}),
        "{stderr}"
    );
    assert_eq!(
        r["scope"]["renamed"],
        serde_json::json!([["ops.py", "arith.py"]])
    );
}

#[test]
fn whitespace_only_changes_are_not_new_code_unless_configured() {
    let repo = with_ops();
    // Re-indented with tabs, and CRLF line endings: no line's code changed.
    repo.write("ops.py", &OPS.replace("    ", "\t").replace('\n', "\r\n"));
    let (_, r, _) = repo.check(&["--base", "HEAD", "--exit-zero"]);
    assert_eq!(r["scope"]["changed_lines"], 0);
    repo.write("qgate.toml", "[new-code]\nignore-whitespace = false\n");
    let (_, r, _) = repo.check(&["--base", "HEAD", "--exit-zero"]);
    assert_eq!(r["scope"]["files"]["ops.py"], serde_json::json!([[1, 6]]));
}

#[test]
fn an_unborn_head_makes_every_file_new() {
    let repo = Repo::new();
    repo.write("ops.py", OPS);
    let (_, r, stderr) = repo.check(&["--base", "main", "--exit-zero"]);
    assert_eq!(r["scope"]["base_from"], "unborn", "{stderr}");
    assert_eq!(r["scope"]["base_commit"], serde_json::Value::Null);
    assert_eq!(r["scope"]["files"], serde_json::json!({"ops.py": [[1, 6]]}));
}

#[test]
fn bad_bases_and_places_exit_2_with_what_to_do() {
    let repo = with_ops();
    let (code, _, stderr) = repo.check(&["--base", "HEAD@{\u{7}"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "qgate: error: --base `HEAD@{\\u{7}`: a control character in a revision — pass a branch, tag or commit, e.g. --base origin/main"
    );
    // Crafted specs libgit2 once looped or crashed on (CVE-2024-24575, CVE-2024-24577).
    for spec in ["HEAD@{1@", "@{-1}@{", "HEAD^{/", ":/", "HEAD~999999999999"] {
        let (code, _, stderr) = repo.check(&["--base", spec]);
        assert_eq!(code, 2, "{spec}: {stderr}");
        assert!(
            stderr.starts_with("qgate: error: --base `"),
            "{spec}: {stderr}"
        );
    }
    let (code, _, stderr) = repo.check(&["--base", "nope"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "qgate: error: --base `nope`: names no commit (tried `nope`, `origin/nope`) — fetch it (`git fetch origin nope`) or name an existing branch, tag or commit"
    );
    let plain = tempfile::tempdir().unwrap();
    std::fs::write(plain.path().join("a.py"), "x = 1\n").unwrap();
    let (code, _, stderr) = repo.check_in(plain.path(), &["--staged"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            ": not inside a git repository — `--base` and `--staged` read the change from git"
        ),
        "{stderr}"
    );
}

#[test]
fn a_coverage_report_sharing_no_file_with_the_change_exits_2_with_examples() {
    let repo = Repo::new();
    repo.write("ops.py", OPS);
    repo.write("pkg/calc.py", "def f(x):\n    return x\n");
    repo.commit("base");
    repo.append("pkg/calc.py", "\n\ndef g(x):\n    return -x\n");
    repo.write("tests/test_calc.py", "def test_g():\n    assert True\n");
    // The report describes ops.py only: the change is not in it.
    std::fs::write(
        repo.path().join("cov.xml"),
        cobertura(&[(1, 1), (2, 1), (5, 1), (6, 1)]),
    )
    .unwrap();
    let (code, _, stderr) = repo.check(&["--base", "HEAD", "--coverage", "cov.xml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("0 of 1 changed source files are in the coverage report(s), a path mapping problem? changed: `pkg/calc.py`; in the report: `ops.py` — map the report's paths"),
        "{stderr}"
    );
    // Leaving the file out of the gate is the other way out.
    repo.write(
        "qgate.toml",
        "[gates]\nnew-coverage = { exclude = [\"pkg/**\"] }\n",
    );
    let (code, r, stderr) = repo.check(&["--base", "HEAD", "--coverage", "cov.xml", "--exit-zero"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(gate(&r, "new-coverage")["status"], "skipped");
}

#[test]
fn hostile_repository_configuration_runs_nothing() {
    let repo = with_ops();
    let sentinel = repo.path().join("PWNED");
    let touch = format!("touch {}", sentinel.display());
    for (key, value) in [
        ("core.fsmonitor", touch.as_str()),
        ("diff.external", touch.as_str()),
        ("core.pager", touch.as_str()),
        ("filter.x.clean", touch.as_str()),
        ("filter.x.smudge", touch.as_str()),
        ("filter.x.process", touch.as_str()),
        ("diff.x.textconv", touch.as_str()),
    ] {
        repo.git(&["config", key, value]);
    }
    repo.write(".gitattributes", "*.py filter=x diff=x\n");
    let hooks = repo.path().join(".git/hooks");
    for hook in [
        "pre-commit",
        "post-checkout",
        "post-index-change",
        "fsmonitor-watchman",
    ] {
        std::fs::write(hooks.join(hook), format!("#!/bin/sh\n{touch}\n")).unwrap();
        make_executable(&hooks.join(hook));
    }
    repo.append("ops.py", UNCOVERED);
    std::fs::remove_file(&sentinel).ok();
    for args in [&["--base", "HEAD"][..], &["--staged"][..]] {
        let (code, _, stderr) = repo.check(&[args, &["--exit-zero"][..]].concat());
        assert_eq!(code, 0, "{stderr}");
        assert!(
            !sentinel.exists(),
            "qgate ran a configured command ({args:?})"
        );
    }
    // The control: git itself runs the configured fsmonitor command.
    repo.git(&["status", "--short"]);
    assert!(
        sentinel.exists(),
        "git status did not run core.fsmonitor: the test proves nothing"
    );
}

#[cfg(unix)]
fn make_executable(path: &PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn a_repository_owned_by_another_user_names_safe_directory() {
    // Ownership can only be given away by root; elsewhere the check cannot be set up.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root to chown the repository");
        return;
    }
    let repo = with_ops();
    let status = Command::new("chown")
        .args(["-R", "4242:4242"])
        .arg(repo.path())
        .status()
        .unwrap();
    assert!(status.success());
    let (code, _, stderr) = repo.check(&["--base", "HEAD"]);
    assert_eq!(code, 2);
    let path = std::fs::canonicalize(repo.path()).unwrap();
    assert!(
        stderr.contains(&format!(
            "git refuses a repository owned by another user — if you trust it, run `git config --global --add safe.directory {}`",
            path.display()
        )),
        "{stderr}"
    );
}

#[test]
fn a_worktree_reads_its_own_change() {
    let repo = with_ops();
    let trees = tempfile::tempdir().unwrap();
    let wt = trees.path().join("wt");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "feature",
        wt.to_str().unwrap(),
    ]);
    std::fs::write(wt.join("ops.py"), format!("{OPS}{UNCOVERED}")).unwrap();
    let (_, r, stderr) = repo.check_in(&wt, &["--base", "main", "--exit-zero"]);
    assert_eq!(
        r["scope"]["files"],
        serde_json::json!({"ops.py": [[7, 14]]}),
        "{stderr}"
    );
}

/// `scope.files` of `check --base main` (with `args`), as a JSON object.
fn changed_files(repo: &Repo, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--base", "main", "--exit-zero"];
    all.extend_from_slice(args);
    let (code, report, stderr) = repo.check(&all);
    assert_eq!(code, 0, "{stderr}");
    report["scope"]["files"].clone()
}

#[test]
fn diff_shapes_key_lines_by_the_new_path_and_leave_out_deleted_binary_and_mode_only_files() {
    let repo = with_ops();
    let sub = Repo::new();
    sub.write("lib.py", "A = 1\n");
    sub.commit("sub");
    repo.write("gone.py", "X = 1\n");
    repo.write("data.bin", "\0\x01\x02binary\n");
    repo.write("script.py", "Y = 2\n");
    repo.write("crlf.py", "A = 1\nB = 2\n");
    let url = format!("file://{}", sub.path().display());
    repo.git(&["submodule", "add", "-q", &url, "vendor/sub"]);
    repo.commit("more");
    repo.git(&["checkout", "-q", "-b", "feature"]);

    std::fs::remove_file(repo.path().join("gone.py")).unwrap();
    repo.write("data.bin", "\0\x01\x02changed binary\n");
    make_executable(&repo.path().join("script.py"));
    for name in ["with space.py", "café \"q\".py", "tab\tname.py"] {
        repo.write(name, "def f():\n    return 1\n");
    }
    std::fs::copy(repo.path().join("ops.py"), repo.path().join("copy.py")).unwrap();
    // Line endings only.
    repo.write("crlf.py", "A = 1\r\nB = 2\r\n");
    // The submodule moves to a new commit.
    sub.write("lib.py", "A = 2\n");
    sub.commit("sub 2");
    repo.git_in(
        &repo.path().join("vendor/sub"),
        &["pull", "-q", "origin", "main"],
    );
    repo.commit("shapes");

    let two = serde_json::json!([[1, 2]]);
    let want = serde_json::json!({
        "café \"q\".py": two,
        "copy.py": [[1, 6]],
        "tab\tname.py": two,
        "with space.py": two,
    });
    assert_eq!(changed_files(&repo, &[]), want);

    // Counting whitespace, the line-ending change is a change of both lines.
    repo.write(
        "q.toml",
        "version = 1\n[new-code]\nignore-whitespace = false\n",
    );
    let files = changed_files(&repo, &["--config", "q.toml"]);
    assert_eq!(files["crlf.py"], serde_json::json!([[1, 2]]));
    assert_eq!(files.as_object().unwrap().len(), 5, "{files}");
    std::fs::remove_file(repo.path().join("q.toml")).unwrap();

    // core.autocrlf = true: a CRLF working tree over LF blobs is no change at all.
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["config", "core.autocrlf", "true"]);
    repo.git(&["checkout", "-q", "-b", "eol"]);
    repo.write("crlf.py", "A = 1\r\nB = 2\r\n");
    repo.write(
        "q.toml",
        "version = 1\n[new-code]\nignore-whitespace = false\n",
    );
    let files = changed_files(&repo, &["--config", "q.toml"]);
    assert_eq!(files, serde_json::json!({}), "{files}");
}

#[test]
fn a_merge_base_beyond_a_deeper_shallow_boundary_exits_2() {
    // main advanced 5 commits after feature forked; feature is 10 commits ahead.
    let repo = with_ops();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    for i in 0..10 {
        repo.append("ops.py", &format!("\n\ndef f{i}(x):\n    return x + {i}\n"));
        repo.commit(&format!("feature {i}"));
    }
    repo.git(&["checkout", "-q", "main"]);
    for i in 0..5 {
        repo.write(&format!("m{i}.py"), "Z = 0\n");
        repo.commit(&format!("main {i}"));
    }
    let (_clone, c) = repo.shallow_clone(3, "feature");
    let (code, r, stderr) = repo.check_in(&c, &["--base", "origin/main"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(r.is_null());
    assert!(
        stderr.contains(
            "this is a shallow clone and the merge base of the base and HEAD is beyond its depth"
        ) && stderr.contains("git fetch --deepen=200 origin main"),
        "{stderr}"
    );
    // With the whole history the merge base is the fork point: only feature's lines.
    repo.git_in(&c, &["fetch", "-q", "--unshallow", "origin"]);
    let (code, r, stderr) = repo.check_in(&c, &["--base", "origin/main", "--exit-zero"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        r["scope"]["files"],
        serde_json::json!({"ops.py": [[7, 46]]})
    );
}

#[test]
fn a_vendor_drop_of_a_million_lines_is_kept_as_ranges() {
    // A million-line data file and a 4 MiB binary (not analysed: their lines are not kept) and
    // a 100,000-line Python module (analysed: one range).
    let repo = with_ops();
    repo.git(&["checkout", "-q", "-b", "vendor"]);
    let data: String = (0..1_000_000).map(|i| format!("row {i}\n")).collect();
    repo.write("vendor/data.txt", &data);
    repo.write("vendor/blob.bin", &"\0".repeat(4 << 20));
    let module: String = (0..100_000).map(|i| format!("V{i} = {i}\n")).collect();
    repo.write("vendor/big.py", &module);
    repo.commit("vendor drop");
    let (code, r, stderr) = repo.check(&["--base", "main", "--exit-zero"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(r["scope"]["changed_lines"], 100_000);
    assert_eq!(
        r["scope"]["files"],
        serde_json::json!({"vendor/big.py": [[1, 100_000]]})
    );
}

#[test]
fn every_output_names_the_base_commit() {
    let repo = with_ops();
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.append("ops.py", UNCOVERED);
    repo.commit("feature");
    for format in [
        "text", "json", "html", "sarif", "markdown", "github", "junit",
    ] {
        let out = qgate()
            .current_dir(repo.path())
            .env("HOME", repo.home.path())
            .args([
                "check",
                ".",
                "--base",
                "main",
                "--exit-zero",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(&base[..12]),
            "{format} does not name {base}: {text}"
        );
    }
}
