//! The incremental cache (`.qgate_cache/`): a warm run gives the report a cold run gives, and a
//! damaged, foreign, concurrently written or unwritable cache never changes a result.

mod common;

use std::path::{Path, PathBuf};

use common::{qgate, two_copies};

/// A repository root (`.git`) with two copies of one function (a clone group) and a file of
/// its own, so the cache holds models, tokens and a clone result.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
    two_copies(dir.path());
    std::fs::write(
        dir.path().join("branchy.py"),
        "def f(x):\n    if x:\n        return 1\n    return 2\n",
    )
    .expect("write");
    dir
}

/// [`project`] with files an hour old: a stat is recorded (and trusted) only for a file last
/// modified two seconds before it was read, so an unchanged one is not read again.
fn aged_project() -> tempfile::TempDir {
    let dir = project();
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for name in ["first.py", "second.py", "branchy.py"] {
        let file = std::fs::File::options()
            .write(true)
            .open(dir.path().join(name))
            .expect("open");
        file.set_modified(an_hour_ago).expect("set mtime");
    }
    dir
}

/// `qgate check -v --format json` in `dir` with `extra`: (exit code, JSON stdout, stderr).
fn check(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = qgate()
        .current_dir(dir)
        .args(["check", "-v", "--format", "json", "--exit-zero"])
        .args(extra)
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The cache files of `dir` whose names start with `kind` (`analysis-`, `tokens-`).
fn cache_files(dir: &Path, kind: &str) -> Vec<PathBuf> {
    let cache = dir.join(".qgate_cache");
    std::fs::read_dir(&cache)
        .expect("cache directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(kind) && n.ends_with(".bin"))
        })
        .collect()
}

fn cache_file(dir: &Path) -> PathBuf {
    let found = cache_files(dir, "analysis-");
    assert_eq!(found.len(), 1, "one analysis file in {}", dir.display());
    found[0].clone()
}

fn tokens_file(dir: &Path) -> PathBuf {
    let found = cache_files(dir, "tokens-");
    assert_eq!(found.len(), 1, "one token file in {}", dir.display());
    found[0].clone()
}

/// [`project`] after one cached run: the directory, the uncached report, the cache file.
fn with_cache() -> (tempfile::TempDir, String, PathBuf) {
    let dir = project();
    let (_, expected, _) = check(dir.path(), &["--no-cache"]);
    check(dir.path(), &[]);
    let file = cache_file(dir.path());
    (dir, expected, file)
}

fn reused(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|l| l.starts_with("qgate: cache: "))
        .unwrap_or_else(|| panic!("no cache line in {stderr}"))
}

/// A cached run in `dir` that reuses `reused` ("N of M") files and gives the report an
/// uncached run gives; returns that report.
fn cached_equals_uncached(dir: &Path, reused_files: &str) -> String {
    let (_, cached, stderr) = check(dir, &[]);
    assert_reused(&stderr, reused_files);
    let (_, uncached, _) = check(dir, &["--no-cache"]);
    assert_eq!(cached, uncached);
    cached
}

/// A cached run in `dir` that refuses the damaged cache `file` with a warning naming it and
/// gives the report an uncached run gives; returns its stderr.
fn refused_as_corrupt(dir: &Path, file: &Path) -> String {
    let (_, uncached, _) = check(dir, &["--no-cache"]);
    let (_, report, stderr) = check(dir, &[]);
    assert_eq!(report, uncached);
    let warning = format!(
        "qgate: warning: {}: checksum mismatch (corrupt cache file) — ignored; it is rebuilt by this run\n",
        file.display()
    );
    assert!(stderr.contains(&warning), "{stderr}");
    stderr
}

/// The cache `file` of `dir` holds what a cold run writes there, byte for byte.
fn assert_written_as_a_cold_run_writes(dir: &Path, file: &Path) {
    let written = std::fs::read(file).expect("cache file");
    std::fs::remove_dir_all(dir.join(".qgate_cache")).expect("clean");
    check(dir, &[]);
    assert_eq!(std::fs::read(file).expect("cold"), written);
}

/// The `-v` line of `stderr` says `reused_files` ("N of M") were reused.
fn assert_reused(stderr: &str, reused_files: &str) {
    let expected = format!("qgate: cache: {reused_files} ");
    assert!(reused(stderr).starts_with(&expected), "{stderr}");
}

#[test]
fn a_warm_run_reuses_every_file_and_gives_the_cold_report() {
    let dir = project();
    let (code, uncached, _) = check(dir.path(), &["--no-cache"]);
    assert_eq!(code, 0);
    assert!(
        !dir.path().join(".qgate_cache").exists(),
        "--no-cache writes nothing"
    );
    let (_, cold, stderr) = check(dir.path(), &[]);
    assert!(
        reused(&stderr).starts_with("qgate: cache: 0 of 3 "),
        "{stderr}"
    );
    let (_, warm, stderr) = check(dir.path(), &[]);
    assert!(
        reused(&stderr).starts_with("qgate: cache: 3 of 3 "),
        "{stderr}"
    );
    assert_eq!(cold, uncached);
    assert_eq!(warm, uncached);
    let report: serde_json::Value = serde_json::from_str(&warm).expect("JSON");
    assert_eq!(
        report["duplication"]["clones"].as_array().map(Vec::len),
        Some(1)
    );

    let cache = dir.path().join(".qgate_cache");
    assert!(
        std::fs::read_to_string(cache.join("CACHEDIR.TAG"))
            .expect("tag")
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55\n")
    );
    assert_eq!(
        std::fs::read_to_string(cache.join(".gitignore")).expect("ignore"),
        "# Created by qgate.\n*\n"
    );
}

#[test]
fn a_changed_file_is_analysed_again_and_the_clone_pass_sees_it() {
    let dir = project();
    check(dir.path(), &[]);
    // One copy loses its body: no clone is left, and branchy.py gains a branch.
    std::fs::write(dir.path().join("second.py"), "x = 1\n").expect("write");
    std::fs::write(
        dir.path().join("branchy.py"),
        "def f(x):\n    if x:\n        return 1\n    elif x is None:\n        return 3\n    return 2\n",
    )
    .expect("write");
    let warm = cached_equals_uncached(dir.path(), "1 of 3");
    let report: serde_json::Value = serde_json::from_str(&warm).expect("JSON");
    assert_eq!(report["duplication"]["clones"], serde_json::json!([]));
    let branchy = common::find(&report["files"], "path", "branchy.py");
    assert_eq!(branchy["functions"][0]["cyclomatic"], 3);
}

#[test]
fn a_new_copy_of_a_cached_file_is_found_by_the_clone_pass_from_the_stored_tokens() {
    let dir = project();
    check(dir.path(), &[]);
    std::fs::copy(dir.path().join("first.py"), dir.path().join("third.py")).expect("copy");
    let warm = cached_equals_uncached(dir.path(), "3 of 4");
    let report: serde_json::Value = serde_json::from_str(&warm).expect("JSON");
    let clones = report["duplication"]["clones"].as_array().expect("clones");
    // third.py is first.py to the byte (312 tokens); second.py differs in a name (310).
    let pairs: Vec<(&str, &str, u64)> = clones
        .iter()
        .map(|c| {
            let f = &c["fragments"];
            (
                f[0]["path"].as_str().unwrap(),
                f[1]["path"].as_str().unwrap(),
                c["tokens"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("first.py", "third.py", 312),
            ("first.py", "second.py", 310)
        ]
    );
}

#[test]
fn a_file_whose_stat_matches_the_cache_is_not_read_again() {
    let dir = aged_project();
    let (_, expected, _) = check(dir.path(), &[]);
    // Debug builds panic on the named file when they read it (an internal-error skip, exit 2).
    let with_fault = |dir: &Path| {
        let out = qgate()
            .current_dir(dir)
            .args(["check", "-v", "--format", "json", "--exit-zero"])
            .env("QGATE_TEST_PANIC_ON", "branchy.py")
            .output()
            .expect("runs");
        (
            out.status.code(),
            String::from_utf8(out.stdout).expect("UTF-8"),
        )
    };
    let (code, report) = with_fault(dir.path());
    assert_eq!(code, Some(0), "branchy.py was read again");
    assert!(report == expected, "the reused report differs");
    // Written again with the same bytes: the stat changed, so the file is read, and the fault
    // fires — the run above did not read it.
    let branchy = dir.path().join("branchy.py");
    std::fs::write(&branchy, std::fs::read(&branchy).expect("read")).expect("write");
    let (code, report) = with_fault(dir.path());
    assert_eq!(code, Some(2));
    let report: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    assert_eq!(report["skipped"][0]["path"], "branchy.py");
    assert_eq!(report["skipped"][0]["reason"], "internal-error");
}

#[test]
fn an_edit_that_keeps_the_size_and_the_mtime_is_still_seen() {
    let dir = aged_project();
    check(dir.path(), &[]);
    let (_, _, stderr) = check(dir.path(), &[]);
    assert_reused(&stderr, "3 of 3");
    // The same length, another name, the old mtime put back: the inode change time differs.
    let branchy = dir.path().join("branchy.py");
    let old = std::fs::metadata(&branchy)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::write(
        &branchy,
        "def g(x):\n    if x:\n        return 1\n    return 2\n",
    )
    .expect("write");
    let file = std::fs::File::options()
        .write(true)
        .open(&branchy)
        .expect("open");
    file.set_modified(old).expect("set mtime");
    let warm = cached_equals_uncached(dir.path(), "2 of 3");
    let report: serde_json::Value = serde_json::from_str(&warm).expect("JSON");
    let branchy = common::find(&report["files"], "path", "branchy.py");
    assert_eq!(branchy["functions"][0]["name"], "g");
}

#[test]
fn other_analysis_settings_use_a_cache_file_of_their_own() {
    let dir = project();
    check(dir.path(), &[]);
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[duplication]\nnormalize = \"identifiers\"\n",
    )
    .expect("write");
    cached_equals_uncached(dir.path(), "0 of 3");
    assert_eq!(cache_files(dir.path(), "analysis-").len(), 2);
    assert_eq!(cache_files(dir.path(), "tokens-").len(), 2);
}

#[test]
fn the_token_file_is_read_only_when_the_clone_pass_runs_again_and_a_damaged_one_is_rebuilt() {
    let (dir, expected, _) = with_cache();
    let tokens = tokens_file(dir.path());
    let good = std::fs::read(&tokens).expect("token file");
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    std::fs::write(&tokens, &flipped).expect("damage");
    // Nothing changed: the stored clone result stands and the token file is not opened.
    let (_, report, stderr) = check(dir.path(), &[]);
    assert_eq!(report, expected);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert_eq!(std::fs::read(&tokens).expect("token file"), flipped);
    // A new copy: the clone pass needs every stream; the damaged file is refused, the streams
    // are computed again from the files, and the file is rebuilt.
    std::fs::copy(dir.path().join("first.py"), dir.path().join("third.py")).expect("copy");
    let stderr = refused_as_corrupt(dir.path(), &tokens);
    assert_reused(&stderr, "3 of 4");
    assert_ne!(std::fs::read(&tokens).expect("token file"), flipped);
    // A lost token file costs the streams' recomputation, silently, and nothing else.
    std::fs::remove_file(&tokens).expect("remove");
    std::fs::write(dir.path().join("third.py"), "x = 3\n").expect("write");
    let (_, uncached, _) = check(dir.path(), &["--no-cache"]);
    let (_, report, stderr) = check(dir.path(), &[]);
    assert_eq!(report, uncached);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert_reused(&stderr, "3 of 4");
    // Every stream is back: the token file is the one a cold run writes.
    assert_written_as_a_cold_run_writes(dir.path(), &tokens);
}

#[test]
fn an_edit_writes_its_stream_beside_the_token_file_until_the_base_needs_writing_again() {
    let (dir, _, _) = with_cache();
    let base = tokens_file(dir.path());
    let written = std::fs::read(&base).expect("token file");
    let recent = || cache_files(dir.path(), "recent-tokens-");
    assert_eq!(recent(), Vec::<PathBuf>::new());
    // branchy.py's stream is a small share of the base: only it is written, into a file of its
    // own, and the base is left as it is. Twice: the second holds the newest stream alone.
    for (n, edit) in [
        (1, "    elif x is None:\n        return 3\n"),
        (2, "    elif x:\n        return 4\n"),
    ] {
        std::fs::write(
            dir.path().join("branchy.py"),
            format!("def f(x):\n    if x:\n        return 1\n{edit}    return 2\n"),
        )
        .expect("write");
        cached_equals_uncached(dir.path(), "2 of 3");
        assert_eq!(
            std::fs::read(&base).expect("token file"),
            written,
            "edit {n}"
        );
        assert_eq!(recent().len(), 1, "edit {n}");
    }
    // The small file is read: damaged, it is refused by name. Deleting second.py leaves half
    // the base unused, so the base is written again with every stream and the small file goes.
    let small = recent().remove(0);
    let mut damaged = std::fs::read(&small).expect("small file");
    let last = damaged.len() - 1;
    damaged[last] ^= 0x01;
    std::fs::write(&small, damaged).expect("damage");
    std::fs::remove_file(dir.path().join("second.py")).expect("remove");
    refused_as_corrupt(dir.path(), &small);
    assert_eq!(recent(), Vec::<PathBuf>::new());
    assert_ne!(std::fs::read(&base).expect("token file"), written);
    assert_written_as_a_cold_run_writes(dir.path(), &base);
}

#[test]
fn an_edit_that_leaves_every_clone_token_on_its_line_reuses_the_clone_result() {
    let (dir, _, _) = with_cache();
    // A damaged token file shows whether the clone pass ran again: it reads every stream.
    let tokens = tokens_file(dir.path());
    let mut damaged = std::fs::read(&tokens).expect("token file");
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x01;
    std::fs::write(&tokens, damaged).expect("damage");
    let first = dir.path().join("first.py");
    let original = std::fs::read_to_string(&first).expect("read");
    // A comment at the end of a line and trailing spaces: first.py is analysed again, its
    // stream is the one stored, and the stored clones stand.
    let edited = original.replacen("    out = 0\n", "    out = 0  # start from nothing   \n", 1);
    assert_ne!(edited, original);
    std::fs::write(&first, &edited).expect("write");
    let report = cached_equals_uncached(dir.path(), "2 of 3");
    let (_, _, stderr) = check(dir.path(), &[]);
    assert!(!stderr.contains("warning"), "{stderr}");
    let clones =
        &serde_json::from_str::<serde_json::Value>(&report).expect("JSON")["duplication"]["clones"];
    assert_eq!(clones[0]["fragments"][0]["start_line"], 1);
    // A comment line above the function moves every token a line down: the pass runs again
    // (the damaged file is refused) and the clone starts a line lower.
    std::fs::write(&first, format!("# moved\n{edited}")).expect("write");
    let stderr = refused_as_corrupt(dir.path(), &tokens);
    assert_reused(&stderr, "2 of 3");
    let (_, report, _) = check(dir.path(), &[]);
    let clones =
        &serde_json::from_str::<serde_json::Value>(&report).expect("JSON")["duplication"]["clones"];
    assert_eq!(clones[0]["fragments"][0]["path"], "first.py");
    assert_eq!(clones[0]["fragments"][0]["start_line"], 2);
}

/// The `-v` line saying where the clone result came from.
fn clones_from(stderr: &str) -> &str {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("qgate: cache: clones: "))
        .unwrap_or_else(|| panic!("no clones line in {stderr}"))
}

/// A cached run in `dir` gives the uncached report, its clone result coming `from` there.
fn clones_come_from(dir: &Path, from: &str) -> serde_json::Value {
    let (_, uncached, _) = check(dir, &["--no-cache"]);
    let (_, cached, stderr) = check(dir, &[]);
    assert_eq!(cached, uncached);
    assert_eq!(clones_from(&stderr), from);
    serde_json::from_str(&cached).expect("JSON")
}

#[test]
fn a_code_edit_redoes_the_clone_pass_only_over_the_files_sharing_code_with_it() {
    let dir = project();
    let path = |name: &str| dir.path().join(name);
    let fragments = |report: &serde_json::Value| -> Vec<Vec<String>> {
        let clones = report["duplication"]["clones"].as_array().expect("clones");
        clones
            .iter()
            .map(|c| {
                let f = c["fragments"].as_array().expect("fragments");
                f.iter()
                    .map(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["start_line"]))
                    .collect()
            })
            .collect()
    };
    let (_, _, stderr) = check(dir.path(), &[]);
    assert_eq!(clones_from(&stderr), "detected over every file");
    let (_, _, stderr) = check(dir.path(), &[]);
    assert_eq!(
        clones_from(&stderr),
        "the stored result (no token stream changed)"
    );
    // branchy.py shares no code with the copies: the pass runs over it alone.
    std::fs::write(
        path("branchy.py"),
        "def f(x):\n    if x:\n        return 1\n    return 2\n\n\nedited = 1\n",
    )
    .expect("write");
    let report = clones_come_from(
        dir.path(),
        "the stored result updated by a pass over 1 file",
    );
    assert_eq!(fragments(&report), [["first.py:1", "second.py:1"]]);
    // A comment: the stored result stands, and learns branchy.py's new bytes (the token files
    // now keep its stream under them alone), so the next code edit is an update too.
    let branchy = "def f(x):\n    if x:\n        return 1\n    return 2\n\n\nedited = 1\n";
    std::fs::write(path("branchy.py"), format!("{branchy}# note\n")).expect("write");
    clones_come_from(dir.path(), "the stored result (no token stream changed)");
    std::fs::write(path("branchy.py"), format!("{branchy}edited = 2\n")).expect("write");
    clones_come_from(
        dir.path(),
        "the stored result updated by a pass over 1 file",
    );
    // An edit inside one copy: its partner is in the pass too, and the clone is cut short.
    let first = std::fs::read_to_string(path("first.py")).expect("read");
    let edited = first.replacen("    out = out + r5 * 6\n", "    out = out - r5\n", 1);
    assert_ne!(edited, first);
    std::fs::write(path("first.py"), &edited).expect("write");
    let report = clones_come_from(
        dir.path(),
        "the stored result updated by a pass over 2 files",
    );
    assert_eq!(
        fragments(&report),
        [
            ["first.py:1", "second.py:1"],
            ["first.py:14", "second.py:14"]
        ]
    );
    // branchy.py becomes a third copy, then shares nothing again: all three files each time.
    std::fs::write(path("branchy.py"), &first).expect("write");
    let report = clones_come_from(
        dir.path(),
        "the stored result updated by a pass over 3 files",
    );
    assert_eq!(fragments(&report).len(), 3);
    std::fs::write(path("branchy.py"), "x = 1\n").expect("write");
    let report = clones_come_from(
        dir.path(),
        "the stored result updated by a pass over 3 files",
    );
    assert_eq!(
        fragments(&report),
        [
            ["first.py:1", "second.py:1"],
            ["first.py:14", "second.py:14"]
        ]
    );
    // A new file sharing nothing: the pass runs over it alone. A copy deleted: over the other
    // copy, whose clone goes with it.
    std::fs::write(path("new.py"), "y = 2\n").expect("write");
    clones_come_from(
        dir.path(),
        "the stored result updated by a pass over 1 file",
    );
    std::fs::remove_file(path("second.py")).expect("remove");
    let report = clones_come_from(
        dir.path(),
        "the stored result updated by a pass over 1 file",
    );
    assert_eq!(fragments(&report), Vec::<Vec<String>>::new());
    // Other `[duplication]` settings: the whole pass.
    std::fs::write(path("qgate.toml"), "[duplication]\nmin-tokens = 40\n").expect("write");
    clones_come_from(dir.path(), "detected over every file");
}

#[test]
fn a_corrupted_or_truncated_cache_is_ignored_with_a_warning_and_rebuilt() {
    let (dir, expected, file) = with_cache();
    let good = std::fs::read(&file).expect("cache");
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    for (damage, bytes, why) in [
        (
            "one flipped byte",
            flipped,
            "checksum mismatch (corrupt cache file)",
        ),
        (
            "cut in half",
            good[..good.len() / 2].to_vec(),
            "truncated cache file",
        ),
        (
            "not a cache",
            b"{\"files\": []}".to_vec(),
            "not a qgate cache file",
        ),
    ] {
        std::fs::write(&file, &bytes).expect("damage");
        let (code, report, stderr) = check(dir.path(), &[]);
        assert_eq!(code, 0, "{damage}");
        assert_eq!(report, expected, "{damage}");
        assert!(
            stderr.contains(&format!(
                "qgate: warning: {}: {why} — ignored; it is rebuilt by this run\n",
                file.display()
            )),
            "{damage}: {stderr}"
        );
        assert_reused(&stderr, "0 of 3");
        // Rebuilt: the next run trusts it again, silently.
        let (_, again, stderr) = check(dir.path(), &[]);
        assert_eq!(again, expected, "{damage}");
        assert!(!stderr.contains("warning"), "{damage}: {stderr}");
        assert_reused(&stderr, "3 of 3");
    }
}

#[test]
fn a_cache_written_by_another_version_is_ignored_with_a_warning() {
    let (dir, expected, file) = with_cache();
    let bytes = std::fs::read(&file).expect("cache");
    // The header: 12 bytes of magic, the format (u32), the version's length (u64), the version.
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    assert_eq!(&bytes[24..24 + version.len()], version);
    let mut older = bytes[..16].to_vec();
    older.extend_from_slice(&5u64.to_le_bytes());
    older.extend_from_slice(b"0.0.9");
    older.extend_from_slice(&bytes[24 + version.len()..]);
    std::fs::write(&file, older).expect("write");
    let (_, report, stderr) = check(dir.path(), &[]);
    assert_eq!(report, expected);
    assert!(
        stderr.contains(&format!(
            "{}: written by qgate 0.0.9 (cache format 8), this is {} — ignored",
            file.display(),
            env!("CARGO_PKG_VERSION")
        )),
        "{stderr}"
    );
}

#[test]
fn concurrent_runs_leave_a_whole_cache_and_the_same_reports() {
    let dir = project();
    let (_, expected, _) = check(dir.path(), &["--no-cache"]);
    for round in 0..3 {
        if round > 0 {
            // A file changes between rounds, so every run of the round writes the cache.
            let text = format!("def g{round}(y):\n    return y\n");
            std::fs::write(dir.path().join("new.py"), text).expect("write");
        }
        let runs: Vec<std::process::Child> = (0..6)
            .map(|_| {
                std::process::Command::new(env!("CARGO_BIN_EXE_qgate"))
                    .current_dir(dir.path())
                    .args(["check", "--format", "json", "--exit-zero"])
                    .env_remove("QGATE_CACHE_DIR")
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawns")
            })
            .collect();
        let (_, uncached, _) = check(dir.path(), &["--no-cache"]);
        if round == 0 {
            assert_eq!(uncached, expected);
        }
        for run in runs {
            let out = run.wait_with_output().expect("waits");
            assert_eq!(out.status.code(), Some(0));
            assert_eq!(String::from_utf8(out.stdout).expect("UTF-8"), uncached);
            assert!(
                out.stderr.is_empty(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let (_, warm, stderr) = check(dir.path(), &[]);
        assert_eq!(warm, uncached, "round {round}");
        assert!(!stderr.contains("warning"), "round {round}: {stderr}");
        let files = 3 + usize::from(round > 0);
        assert!(
            reused(&stderr).starts_with(&format!("qgate: cache: {files} of {files} ")),
            "round {round}: {stderr}"
        );
    }
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join(".qgate_cache"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_unwritable_cache_directory_is_a_warning_and_the_results_are_complete() {
    let dir = project();
    let (_, expected, _) = check(dir.path(), &["--no-cache"]);
    // A path under a regular file cannot become a directory, even for root.
    std::fs::write(dir.path().join("blocker"), "").expect("write");
    let (code, report, stderr) = check(dir.path(), &["--cache-dir", "blocker/cache"]);
    assert_eq!(code, 0);
    assert_eq!(report, expected);
    assert!(
        stderr.contains("qgate: warning: blocker/cache: cannot write the cache: ")
            && stderr.contains(
                " — the results are complete, but the next run analyses every file again; make the directory writable, set --cache-dir, or pass --no-cache\n"
            ),
        "{stderr}"
    );
    // The same through the environment.
    let out = qgate()
        .current_dir(dir.path())
        .env("QGATE_CACHE_DIR", "blocker/cache")
        .args(["check", "--format", "json", "--exit-zero"])
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8(out.stdout).expect("UTF-8"), expected);
    assert!(String::from_utf8_lossy(&out.stderr).contains("blocker/cache: cannot write the cache"));
}

#[cfg(unix)]
#[test]
fn a_read_only_cache_directory_is_read_but_not_written() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        // Root writes through a read-only mode; the unwritable case above covers it.
        return;
    }
    let dir = project();
    let (_, expected, _) = check(dir.path(), &["--no-cache"]);
    check(dir.path(), &[]);
    std::fs::write(dir.path().join("new.py"), "z = 1\n").expect("write");
    let cache = dir.path().join(".qgate_cache");
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let (_, report, stderr) = check(dir.path(), &[]);
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let (_, uncached, _) = check(dir.path(), &["--no-cache"]);
    assert_ne!(uncached, expected);
    assert_eq!(report, uncached);
    assert_reused(&stderr, "3 of 4");
    assert!(stderr.contains("cannot write the cache"), "{stderr}");
}

#[test]
fn qgate_clean_removes_the_cache_and_nothing_that_is_not_one() {
    let dir = project();
    check(dir.path(), &[]);
    let cache = dir.path().join(".qgate_cache");
    assert!(cache.is_dir());
    let clean = |args: &[&str]| {
        qgate()
            .current_dir(dir.path())
            .arg("clean")
            .args(args)
            .output()
            .expect("runs")
    };
    let out = clean(&[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("removed {}\n", cache.display())
    );
    assert!(!cache.exists());
    let out = clean(&[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("no cache at "));

    // A directory without qgate's tag is left alone.
    std::fs::create_dir(dir.path().join("precious")).expect("mkdir");
    std::fs::write(dir.path().join("precious/data"), "keep").expect("write");
    let out = clean(&["--cache-dir", "precious"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "qgate: error: precious: not a qgate cache (no qgate CACHEDIR.TAG) — left alone; remove it by hand if it is yours to delete\n"
    );
    assert!(dir.path().join("precious/data").exists());
}

#[test]
fn the_clone_pass_beside_the_analysis_finds_what_the_pass_after_it_finds() {
    // Without a cache, on two threads, the pass runs beside the analysis; on one thread, or
    // with a cache, after it.
    let dir = project();
    let (_, beside, _) = check(dir.path(), &["--no-cache", "--jobs", "2"]);
    let (_, after, _) = check(dir.path(), &["--no-cache", "--jobs", "1"]);
    assert_eq!(beside, after);
    let (_, cached, _) = check(dir.path(), &[]);
    assert_eq!(beside, cached);
    let report: serde_json::Value = serde_json::from_str(&beside).expect("JSON");
    assert_eq!(
        report["duplication"]["clones"][0]["occurrences"], 2,
        "{beside}"
    );
}
