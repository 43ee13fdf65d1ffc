//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod repo;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository's `fixtures/` directory.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Copies `fixtures/<name>` into a fresh temporary directory, so the fixture is its own root
/// (not a subdirectory of this repository).
pub fn project(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join(name), dir.path());
    dir
}

/// [`project`] in a git repository of its own (`git init`, no commit), so the fixture is the root
/// of every path given inside it, as in a monorepo.
pub fn git_project(name: &str) -> tempfile::TempDir {
    let dir = project(name);
    let init = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .expect("git runs");
    assert!(init.success());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("fixture exists") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub fn qgate() -> Command {
    let mut cmd = Command::cargo_bin("qgate").expect("binary built");
    // `CI` changes how a missing configured report counts, `GITHUB_BASE_REF` how `--base` reads
    // a merge commit: tests set them when they mean to.
    cmd.env_remove("NO_COLOR")
        .env_remove("QGATE_TEST_PANIC_ON")
        .env_remove("CI")
        .env_remove("GITHUB_BASE_REF")
        .env_remove("QGATE_CACHE_DIR");
    cmd
}

/// Runs `qgate ARGS` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    qgate().current_dir(dir).args(args).output().expect("runs")
}

/// A run's stderr with `dir/` left out of the paths it names.
pub fn stderr_in(out: &std::process::Output, dir: &Path) -> String {
    String::from_utf8_lossy(&out.stderr).replace(&format!("{}/", dir.display()), "")
}

/// Runs `qgate check <dir> --format json` and returns (exit code, report).
pub fn check_json(dir: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let out = qgate()
        .arg("check")
        .arg(dir)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("runs");
    let code = out.status.code().expect("exit code");
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (code, report)
}

/// The element of a JSON array whose `key` equals `value` (a gate by id, a file by path, a
/// finding by rule, …); panics naming what is missing.
pub fn find<'a>(array: &'a serde_json::Value, key: &str, value: &str) -> &'a serde_json::Value {
    array
        .as_array()
        .expect("a JSON array")
        .iter()
        .find(|e| e[key] == value)
        .unwrap_or_else(|| panic!("no element with {key} = {value}"))
}

/// `first.py` and `second.py` holding the same typed 27-line function (under another name): one
/// clone of two copies, lines 1-27 of each.
pub fn two_copies(dir: &Path) {
    let body: String = (0..12)
        .map(|i| {
            format!(
                "    r{i} = load(p, {i}) + parse(q, {})\n    out = out + r{i} * {}\n",
                i * 5,
                i + 1
            )
        })
        .collect();
    for name in ["first", "second"] {
        std::fs::write(
            dir.join(format!("{name}.py")),
            format!("def h_{name}(p: int, q: int) -> int:\n    out = 0\n{body}    return out\n"),
        )
        .expect("write a copy");
    }
}
