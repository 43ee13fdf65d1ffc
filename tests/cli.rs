//! The command line end to end: exit codes, outputs, configuration errors.

mod common;

use common::{check_json, find, project, qgate, run_in};
use predicates::prelude::*;

#[test]
fn clean_sample_passes_with_exit_0() {
    let dir = project("sample");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["status"], "pass");
    assert_eq!(report["summary"]["files"], 3);
    assert_eq!(report["summary"]["functions"], 14);
}

#[test]
fn syntax_error_fails_the_parse_errors_gate_with_exit_1() {
    let dir = project("projects/syntax-error");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let files = report["files"].as_array().unwrap();
    let broken = files.iter().find(|f| f["path"] == "broken.py").unwrap();
    assert_eq!(broken["errors"][0]["kind"], "syntax-error");
    assert_eq!(
        (
            broken["errors"][0]["line"].as_u64(),
            broken["errors"][0]["column"].as_u64()
        ),
        (Some(1), Some(21))
    );
    assert_eq!(broken["functions"].as_array().unwrap().len(), 0);
    assert_eq!(broken["lines"], 2);
    let template = files.iter().find(|f| f["path"] == "template.rs").unwrap();
    assert_eq!(
        (
            template["errors"][0]["line"].as_u64(),
            template["errors"][0]["column"].as_u64()
        ),
        (Some(2), Some(8))
    );
    assert_eq!(report["summary"]["parse_errors"], 2);
    let gate = find(&report["gates"], "id", "parse-errors").clone();
    assert_eq!(
        (gate["status"].as_str(), gate["actual"].as_f64()),
        (Some("fail"), Some(2.0))
    );
}

#[test]
fn config_threshold_fails_complexity_and_names_the_function() {
    let dir = project("projects/complex");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "function-too-complex");
    assert_eq!(
        (finding["path"].as_str(), finding["line"].as_u64()),
        (Some("dispatch.py"), Some(1))
    );
    assert_eq!(finding["function"], "dispatch");
    assert_eq!(report["files"][0]["functions"][0]["cyclomatic"], 10);
    assert_eq!(report["files"][0]["functions"][0]["rank"], "B");
}

#[test]
fn exit_zero_turns_only_a_gate_failure_into_0() {
    let dir = project("projects/complex");
    qgate()
        .arg("check")
        .arg(dir.path())
        .arg("--exit-zero")
        .assert()
        .code(0);
    qgate()
        .arg("check")
        .arg(dir.path().join("missing"))
        .arg("--exit-zero")
        .assert()
        .code(2);
}

#[test]
fn threshold_flag_overrides_the_config() {
    let dir = project("projects/complex");
    let (code, _) = check_json(dir.path(), &["--threshold", "complexity=10"]);
    assert_eq!(code, 0);
}

#[test]
fn thresholds_with_three_decimals_print_without_a_dangling_dot() {
    let dir = project("projects/complex");
    let out = qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--threshold", "complexity=20.001", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains(" complexity "))
        .unwrap_or_else(|| panic!("no complexity gate in {text}"));
    assert!(line.ends_with("max-function: 10 <= 20"), "{line}");
}

#[test]
fn nonexistent_path_exits_2_with_a_hint() {
    qgate()
        .args(["check", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "qgate: error: `no/such/dir`: no such file or directory — ",
        ));
}

#[test]
fn nothing_to_analyse_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# not code\n").unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no Python or Rust files to analyse",
        ));
}

#[test]
fn unknown_config_key_exits_2_with_location_and_suggestion() {
    let dir = project("sample");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[gates]\ncomplexity = { max-functon = 5 }\n",
    )
    .unwrap();
    let out = qgate().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.ends_with("qgate.toml:2:16: unknown key `max-functon` for gate `complexity` — did you mean `max-function`?\n"),
        "{stderr}"
    );
}

#[test]
fn pyproject_tool_qgate_is_found_upward_from_the_path() {
    let dir = project("sample");
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"x\"\n\n[tool.qgate.gates]\ncomplexity = { max-function = 3 }\n",
    )
    .unwrap();
    let (code, report) = check_json(&dir.path().join("inventory"), &[]);
    assert_eq!(code, 1);
    // Paths stay relative to the project root, where the configuration lives.
    assert_eq!(report["files"][0]["path"], "inventory/__init__.py");
}

#[test]
fn explicit_config_flag_wins() {
    let dir = project("sample");
    let config = dir.path().join("strict.toml");
    std::fs::write(&config, "[gates]\ncomplexity = { max-function = 2 }\n").unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .arg("--config")
        .arg(&config)
        .assert()
        .code(1);
}

#[test]
fn bad_threshold_flag_exits_2() {
    let dir = project("sample");
    qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--threshold", "coverag=90"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `coverage`?"));
}

#[test]
fn a_panic_in_one_file_is_contained_and_exits_2() {
    let dir = project("sample");
    let out = qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json"])
        .env("QGATE_TEST_PANIC_ON", "inventory/stock.py")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["skipped"][0]["path"], "inventory/stock.py");
    assert_eq!(report["skipped"][0]["reason"], "internal-error");
    // Every other file was still analysed.
    assert_eq!(report["summary"]["files"], 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// X2: a panic outside per-file isolation (here while the outputs are written) prints the
/// internal-error banner with the version, exits 2 and leaves neither output nor temporary file.
#[test]
fn x2_a_panic_outside_per_file_isolation_exits_2_with_the_banner_and_no_file() {
    let dir = project("sample");
    let out_dir = tempfile::tempdir().unwrap();
    let out = qgate()
        .arg("check")
        .arg(dir.path())
        .arg("-o")
        .arg(out_dir.path().join("report.json"))
        .args(["--report"])
        .arg(format!(
            "html={}",
            out_dir.path().join("report.html").display()
        ))
        .env("QGATE_TEST_PANIC_IN_OUTPUT", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        format!(
            "qgate: error: internal error in qgate {}: panicked at src/cli.rs:{}:13:\ninjected fault while writing the outputs — please report it with RUST_BACKTRACE=1\n",
            env!("CARGO_PKG_VERSION"),
            panic_line()
        )
    );
    let left: Vec<_> = std::fs::read_dir(out_dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The line of the injected panic in src/cli.rs.
fn panic_line() -> usize {
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/cli.rs")).unwrap();
    source
        .lines()
        .position(|l| l.contains("panic!(\"injected fault while writing the outputs\")"))
        .unwrap()
        + 1
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = project("sample");
    let target = dir.path().join("out").join("report.json");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json", "--output"])
        .arg(&target)
        .assert()
        .code(0)
        .stdout("");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(
        std::fs::read_dir(dir.path().join("out")).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn unwritable_output_exits_2() {
    let dir = project("sample");
    qgate()
        .arg("check")
        .arg(dir.path())
        .arg("--output")
        .arg(dir.path().join("no/such/dir/r.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/dir/r.txt: cannot write"));
}

#[test]
fn several_reports_in_one_run_are_all_written_or_none() {
    let dir = project("sample");
    let json = dir.path().join("qgate.json");
    let text = dir.path().join("qgate.txt");
    qgate()
        .arg("check")
        .arg(dir.path())
        .arg("--report")
        .arg(format!("json={}", json.display()))
        .arg("--report")
        .arg(format!("text={}", text.display()))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("PASS"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["status"], "pass");
    let summary = std::fs::read_to_string(&text).unwrap();
    assert!(
        summary.ends_with("PASS: 0 of 6 evaluated gates failed\n"),
        "{summary}"
    );
    assert!(!summary.contains('\x1b'), "files are never coloured");
    // One unwritable target: exit 2, and the other target keeps its old content.
    std::fs::write(&json, "old").unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .arg("--report")
        .arg(format!("json={}", json.display()))
        .arg("--report")
        .arg(format!(
            "text={}",
            dir.path().join("missing/qgate.txt").display()
        ))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing/qgate.txt: cannot write"));
    assert_eq!(std::fs::read_to_string(&json).unwrap(), "old");
    qgate()
        .args(["check", "--report", "yaml=x.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown format `yaml` (known: text, json, html, sarif, markdown, github, junit, gitlab)",
        ));
}

#[test]
fn colour_follows_the_flag() {
    let dir = project("sample");
    qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--color", "always"])
        .assert()
        .stdout(predicate::str::contains("\x1b["));
    qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--color", "never"])
        .assert()
        .stdout(predicate::str::contains("\x1b[").not());
    // Not a terminal: no colour in auto mode.
    qgate()
        .arg("check")
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("\x1b[").not());
}

/// X5: no `$HOME`, a read-only one, `TERM=dumb`, `NO_COLOR`: the same report, no colour, no
/// directory created anywhere.
#[test]
fn x5_a_hostile_environment_changes_nothing_but_colour() {
    let dir = project("sample");
    let normal = qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let hostile = |cmd: &mut assert_cmd::Command| {
        cmd.env_remove("HOME")
            .env("TERM", "dumb")
            .env("NO_COLOR", "1")
            .env("XDG_CACHE_HOME", home.path().join("no/such/dir"));
    };
    let mut json = qgate();
    hostile(&mut json);
    let out = json
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), normal.status.code());
    assert_eq!(out.stdout, normal.stdout);
    let mut text = qgate();
    hostile(&mut text);
    text.arg("check")
        .arg(dir.path())
        .args(["--color", "auto"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\x1b[").not());
    assert!(!home.path().join("no").exists(), "nothing is created");
}

#[test]
fn quiet_prints_only_failures_and_the_verdict() {
    let dir = project("projects/complex");
    let out = qgate()
        .arg("check")
        .arg(dir.path())
        .arg("-q")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "  fail     complexity       max-average: 5.5 <= 10; max-function: 10 (must be <= 5)\n             dispatch.py:1  `dispatch` has cyclomatic complexity 10 (rank B), above 5\n\nFAIL: 1 of 5 evaluated gates failed\n"
    );
}

#[test]
fn json_output_is_byte_for_byte_deterministic() {
    let dir = project("sample");
    let run = || {
        qgate()
            .arg("check")
            .arg(dir.path())
            .args(["--format", "json", "-j", "2"])
            .output()
            .unwrap()
            .stdout
    };
    let first = run();
    for _ in 0..3 {
        assert_eq!(run(), first);
    }
}

#[test]
fn gitignore_builtin_excludes_binary_and_explicit_files() {
    let dir = project("sample");
    let root = dir.path();
    for (path, text) in [
        (".venv/lib/site.py", "def hidden(): pass\n"),
        ("node_modules/x/y.py", "def hidden(): pass\n"),
        ("target/debug/build.rs", "fn hidden() {}\n"),
        ("ignored/x.py", "def hidden(): pass\n"),
    ] {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::write(root.join("inventory/blob.py"), b"x = 1\0\0binary").unwrap();
    std::fs::write(
        root.join("inventory/latin1.py"),
        // No PEP 263 declaration: not UTF-8 (one declaring latin-1 is decoded; see p5 in
        // src/source.rs).
        b"x = '\xe9'\n",
    )
    .unwrap();
    let (_, report) = check_json(root, &[]);
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["inventory/__init__.py", "inventory/stock.py", "src/lib.rs"]
    );
    let skipped: Vec<(&str, &str)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("inventory/blob.py", "binary"),
            ("inventory/latin1.py", "not-utf8")
        ]
    );
    // `default-excludes = false` brings back directories such as `target`, never `.git`.
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".git/hook.py"), "x = 1\n").unwrap();
    std::fs::write(root.join("qgate.toml"), "default-excludes = false\n").unwrap();
    let (_, report) = check_json(root, &[]);
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            ".venv/lib/site.py",
            "inventory/__init__.py",
            "inventory/stock.py",
            "node_modules/x/y.py",
            "src/lib.rs",
            "target/debug/build.rs"
        ]
    );
    // A file named on the command line is analysed even when .gitignore hides it.
    let (_, report) = check_json(&root.join("ignored/x.py"), &[]);
    assert_eq!(report["files"][0]["functions"][0]["name"], "hidden");
}

#[cfg(unix)]
#[test]
fn symlinks_and_fifos_are_skipped_not_followed() {
    let dir = project("sample");
    let root = dir.path();
    std::os::unix::fs::symlink(root.join("inventory/stock.py"), root.join("link.py")).unwrap();
    std::os::unix::fs::symlink("/nonexistent", root.join("dangling.py")).unwrap();
    std::os::unix::fs::symlink("..", root.join("inventory/loop")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(root.join("pipe.py"))
        .status()
        .unwrap();
    assert!(status.success());
    let (code, report) = check_json(root, &[]);
    assert_eq!(code, 0, "skips are warnings, not failures");
    let skipped: Vec<(&str, &str)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("dangling.py", "symlink"),
            ("link.py", "symlink"),
            ("pipe.py", "not-a-regular-file")
        ]
    );
}

#[test]
fn oversized_files_are_skipped_with_the_limit() {
    let dir = project("sample");
    std::fs::write(dir.path().join("qgate.toml"), "max-file-size = 100\n").unwrap();
    let (_, report) = check_json(dir.path(), &[]);
    let stock = find(&report["skipped"], "path", "inventory/stock.py");
    assert_eq!(stock["reason"], "too-large");
    assert_eq!(
        stock["message"],
        "1.6 KiB > 100 B limit; raise `max-file-size` or exclude the file"
    );
}

#[test]
fn explain_prints_every_section_and_rejects_unknown_ids() {
    qgate()
        .args(["explain", "complexity"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("Known limits").and(predicate::str::contains("radon 6.0.1")),
        );
    qgate()
        .args(["explain", "nope"])
        .assert()
        .code(2)
        .stderr("qgate: error: qgate explain `nope`: no gate or metric of that name — run `qgate explain` to list them\n");
    qgate()
        .args(["explain", "complexty"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `complexity`?"));
    qgate()
        .arg("explain")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("parse-errors"));
}

#[test]
fn init_writes_a_config_that_check_accepts_and_refuses_to_overwrite() {
    let dir = project("sample");
    qgate().arg("init").arg(dir.path()).assert().code(0);
    assert!(dir.path().join("qgate.toml").is_file());
    qgate().arg("check").arg(dir.path()).assert().code(0);
    qgate().arg("init").arg(dir.path()).assert().code(2);
    qgate()
        .arg("init")
        .arg(dir.path())
        .arg("--force")
        .assert()
        .code(0);
}

#[test]
fn readme_sample_is_what_the_binary_prints() {
    // `cargo run --release -- check fixtures/sample`: the README shows its whole output.
    // QGATE_BLESS=1 rewrites the README's sample with what the binary prints now.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = qgate()
        .current_dir(root)
        .args(["check", "fixtures/sample"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let printed = String::from_utf8(out.stdout).unwrap();
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let start_marker = "```console\n$ cargo run --release -- check fixtures/sample\n";
    let start = readme
        .find(start_marker)
        .expect("the README shows the sample run")
        + start_marker.len();
    let end = start
        + readme[start..]
            .find("```\n")
            .expect("the sample block ends");
    if std::env::var_os("QGATE_BLESS").is_some() {
        let updated = format!("{}{printed}{}", &readme[..start], &readme[end..]);
        std::fs::write(&readme_path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        printed,
        "README.md's sample output is stale: run `QGATE_BLESS=1 cargo test --test cli readme`"
    );
}

#[test]
fn python_gates_type_hints_docstrings_and_cognitive_findings() {
    let dir = project("projects/untyped");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let gate = |id: &str| find(&report["gates"], "id", id).clone();
    assert_eq!(
        (
            gate("type-hints")["status"].as_str(),
            gate("type-hints")["actual"].as_f64()
        ),
        (Some("fail"), Some(30.0))
    );
    assert_eq!(
        (
            gate("docstrings")["status"].as_str(),
            gate("docstrings")["actual"].as_f64()
        ),
        (Some("fail"), Some(20.0))
    );
    assert_eq!(
        (
            gate("cognitive")["status"].as_str(),
            gate("cognitive")["actual"].as_f64()
        ),
        (Some("fail"), Some(8.0))
    );
    assert_eq!(report["summary"]["type_hints"]["fully_annotated"], 1);
    let finding = &report["findings"][0];
    assert_eq!(
        (finding["rule"].as_str(), finding["function"].as_str()),
        (Some("function-too-cognitive"), Some("route"))
    );
    // Off by default: without the config, the docstrings gate is not evaluated at all.
    std::fs::remove_file(dir.path().join("qgate.toml")).unwrap();
    let (_, report) = check_json(dir.path(), &[]);
    assert!(
        report["gates"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["id"] != "docstrings")
    );
    assert!(report["findings"].as_array().unwrap().is_empty());
}

#[test]
fn o10_an_output_equal_to_an_input_is_refused_before_anything_is_written() {
    let dir = project("coverage");
    let report = dir.path().join("reports/line.xml");
    let before = std::fs::read(&report).unwrap();
    let out = qgate()
        .current_dir(dir.path())
        .args([
            "check",
            "--coverage",
            "reports/line.xml",
            "--format",
            "json",
        ])
        .args(["-o", "reports/../reports/line.xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "qgate: error: reports/../reports/line.xml: this output is also an input of the run; writing it would destroy the input — write the output to another file\n"
    );
    assert_eq!(std::fs::read(&report).unwrap(), before);
    // The same through `--report FORMAT=FILE`, and for `qgate report` over its own input.
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--coverage",
            "reports/line.xml",
            "--report",
            "sarif=reports/line.xml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&report).unwrap(), before);
    std::fs::write(dir.path().join("saved.json"), "{}").unwrap();
    let out = run_in(dir.path(), &["report", "saved.json", "-o", "saved.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(dir.path().join("saved.json")).unwrap(), b"{}");
}

#[test]
fn o10_an_output_inside_dot_git_is_refused() {
    let dir = project("sample");
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let out = run_in(
        dir.path(),
        &["check", "--format", "json", "-o", ".git/config"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "qgate: error: .git/config: this output is inside a `.git` directory, where it could corrupt the repository — write it elsewhere\n"
    );
    assert!(!dir.path().join(".git/config").exists());
}

#[cfg(unix)]
#[test]
fn x8_a_fifo_or_looping_symlink_named_on_the_command_line_exits_2() {
    let dir = project("sample");
    let fifo = dir.path().join("pipe.py");
    mkfifo(&fifo);
    std::os::unix::fs::symlink("loop.py", dir.path().join("loop.py")).unwrap();
    for name in ["pipe.py", "loop.py"] {
        let out = run_in(dir.path(), &["check", "-q", name, "--exit-zero"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "qgate: error: {name}: named on the command line but not analysed:"
            )),
            "{stderr}"
        );
        assert!(
            stderr
                .contains("qgate: error: no file was analysed: 1 file(s) found, every one skipped"),
            "{stderr}"
        );
        // The summary does not read PASS.
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("\nNO VERDICT: qgate cannot give a verdict (exit 2):\n"),
            "{stdout}"
        );
        assert!(!stdout.contains("PASS"), "{stdout}");
    }
    // Found by walking, the same files are warnings: the rest of the tree decides.
    let out = run_in(dir.path(), &["check", "-q"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn x6_more_jobs_than_cpus_are_capped_with_a_warning() {
    let dir = project("sample");
    let out = qgate()
        .current_dir(dir.path())
        .args(["check", "-q", "--jobs", "65535"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "qgate: warning: --jobs 65535 is more than the {cpus} CPU(s) available; using {cpus} (more threads only add memory)\n"
        )
    );
}

/// A tree big enough that a debug build spends a second or more on it.
#[cfg(unix)]
fn big_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let module: String = (0..60)
        .map(|i| format!("def f{i}(x: int) -> int:\n    \"\"\"F.\"\"\"\n    if x > {i}:\n        return x - {i}\n    return x + {i}\n\n\n"))
        .collect();
    for i in 0..400 {
        std::fs::write(
            dir.path().join(format!("m{i}.py")),
            format!("# {i}\n{module}"),
        )
        .unwrap();
    }
    dir
}

/// The names in `dir` that `keep` keeps; none when `dir` does not exist.
fn names_in(dir: &std::path::Path, keep: impl Fn(&str) -> bool) -> Vec<String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| keep(n))
        .collect()
}

#[cfg(unix)]
#[test]
fn a_report_written_into_a_fifo_is_the_one_written_to_a_file() {
    // Several MiB of JSON: a FIFO gets it at commit from memory, in 1 MiB pieces.
    let dir = big_tree();
    let fifo = dir.path().join("report.pipe");
    mkfifo(&fifo);
    // Read on a thread of its own: were qgate ever not to open the FIFO, the reader would wait
    // for a writer forever, and the test fails on the timeout below instead of hanging.
    let (sent, received) = std::sync::mpsc::channel();
    {
        let fifo = fifo.clone();
        std::thread::spawn(move || sent.send(std::fs::read(fifo).unwrap()));
    }
    let run = |target: &std::path::Path| {
        qgate()
            .current_dir(dir.path())
            .args([
                "check",
                ".",
                "--no-cache",
                "--exit-zero",
                "--format",
                "json",
                "-o",
            ])
            .arg(target)
            .assert()
            .success();
    };
    run(&fifo);
    let through_fifo = received
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("qgate wrote the report into the FIFO and closed it");
    let file = dir.path().join("report.json");
    run(&file);
    let written = std::fs::read(&file).unwrap();
    assert!(written.len() > 3 << 20, "{} bytes", written.len());
    assert!(
        through_fifo == written,
        "the FIFO got {} bytes",
        through_fifo.len()
    );
}

#[cfg(unix)]
#[test]
fn x3_a_signal_while_the_cache_is_written_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), "def f(x):\n    return x\n").unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("qgate"))
        .current_dir(dir.path())
        .args(["check", ".", "-q"])
        .env("QGATE_TEST_SLOW_CACHE_WRITE", "20000")
        .spawn()
        .unwrap();
    let cache = dir.path().join(".qgate_cache");
    let temporaries = || names_in(&cache, |n| n.ends_with(".tmp"));
    let started = std::time::Instant::now();
    while temporaries().is_empty() {
        assert!(started.elapsed().as_secs() < 60, "no cache file was begun");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert_eq!(child.wait().unwrap().code(), Some(143));
    assert_eq!(temporaries(), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn x3_o11_sigterm_and_sigint_leave_no_temporary_file_and_exit_143_or_130() {
    let dir = big_tree();
    let target = dir.path().join("out/report.json");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(&target, "old").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("qgate");
    let mut interrupted = 0;
    for (signal, delay_ms) in [("TERM", 150), ("INT", 400), ("TERM", 800), ("INT", 1500)] {
        let mut child = std::process::Command::new(&bin)
            .current_dir(dir.path())
            .args([
                "check",
                ".",
                "--format",
                "json",
                "-o",
                "out/report.json",
                "--report",
                "html=out/report.html",
            ])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        let leftovers = names_in(&dir.path().join("out"), |n| n.starts_with(".qgate-"));
        assert_eq!(
            leftovers,
            Vec::<String>::new(),
            "SIG{signal} after {delay_ms} ms"
        );
        // Nor one of the cache's, whose files are written the same way.
        let cache_leftovers = names_in(&dir.path().join(".qgate_cache"), |n| n.ends_with(".tmp"));
        assert_eq!(
            cache_leftovers,
            Vec::<String>::new(),
            "SIG{signal} after {delay_ms} ms"
        );
        let text = std::fs::read_to_string(&target).unwrap();
        match status.code() {
            Some(143) if signal == "TERM" => interrupted += 1,
            Some(130) if signal == "INT" => interrupted += 1,
            // It finished first: the report is whole.
            Some(0 | 1) => assert!(text.ends_with("}\n"), "{text:.100}"),
            other => panic!("SIG{signal} after {delay_ms} ms: exit {other:?}"),
        }
        // Interrupted, the target is the old file or a whole report, never part of one.
        assert!(text == "old" || text.ends_with("}\n"), "{text:.100}");
    }
    assert!(
        interrupted >= 2,
        "only {interrupted} of 4 runs were interrupted"
    );
}

#[cfg(unix)]
#[test]
fn o10_an_existing_output_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project("sample");
    let target = dir.path().join("report.json");
    for mode in [0o644, 0o640] {
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = run_in(
            dir.path(),
            &["check", "--format", "json", "-o", "report.json"],
        );
        assert_eq!(out.status.code(), Some(0));
        let now = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(now, mode);
    }
}

#[test]
fn x1_the_skipped_files_gate_makes_a_walked_skip_fail() {
    let dir = project("sample");
    std::fs::write(dir.path().join("blob.py"), b"x = 1\n\0\x01\x02").unwrap();
    // Off by default: a warning, and the run passes.
    let out = run_in(dir.path(), &["check", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    std::fs::write(
        dir.path().join("qgate.toml"),
        "version = 1\n[gates]\nskipped-files = { enabled = true, max = 0 }\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("fail     skipped-files    max: 1 (must be <= 0)"),
        "{stdout}"
    );
    assert!(stdout.contains("blob.py:1  not analysed: "), "{stdout}");
}

#[test]
fn w10_a_git_lfs_pointer_is_skipped_not_parsed() {
    let dir = project("sample");
    std::fs::write(
        dir.path().join("model.py"),
        "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n",
    )
    .unwrap();
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["parse_errors"], 0);
    let skipped = find(&report["skipped"], "path", "model.py");
    assert_eq!(skipped["reason"], "lfs-pointer");
    assert_eq!(
        skipped["message"],
        "a Git LFS pointer, not the file's content — run `git lfs pull` before qgate, or exclude the file"
    );
}

#[cfg(unix)]
#[test]
fn o12_two_runs_writing_one_output_leave_one_whole_report() {
    let dir = big_tree();
    let bin = assert_cmd::cargo::cargo_bin("qgate");
    let run = || {
        std::process::Command::new(&bin)
            .current_dir(dir.path())
            .args([
                "check",
                ".",
                "--format",
                "json",
                "-o",
                "report.json",
                "--report",
                "html=report.html",
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (run(), run());
    let codes = (a.wait().unwrap().code(), b.wait().unwrap().code());
    // The 400 modules are copies of each other: duplication fails, in both runs alike.
    assert_eq!(codes, (Some(1), Some(1)));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap())
            .expect("one whole JSON report");
    assert_eq!(report["summary"]["files"], 400);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.trim_end().ends_with("</html>"));
    let leftovers = names_in(dir.path(), |n| n.starts_with(".qgate-"));
    assert_eq!(leftovers, Vec::<String>::new());
}

/// Every way to exit 2 this battery knows prints `qgate: error: <what> — <what to do>`, with the
/// file (and line) first when there is one.
#[test]
fn x_every_exit_2_message_says_what_and_what_to_do() {
    let dir = project("coverage");
    let p = dir.path();
    std::fs::write(p.join("empty.json"), "").unwrap();
    std::fs::write(p.join("bad.toml"), "version = 1\nincldue = []\n").unwrap();
    std::fs::write(p.join("not-json.json"), "{").unwrap();
    let cases: &[&[&str]] = &[
        &["check", "no/such/dir"],
        &["check", "--config", "bad.toml"],
        &["check", "--threshold", "complexity=abc"],
        &["check", "--threshold", "nosuchgate=1"],
        &["check", "--coverage", "missing.xml"],
        &["check", "--coverage", "empty.json"],
        &["check", "--bandit", "empty.json"],
        &[
            "check",
            "--coverage",
            "reports/line.xml",
            "-o",
            "reports/line.xml",
        ],
        &["check", "--base", "no-such-ref"],
        &["check", "--baseline", "not-json.json"],
        &["report", "not-json.json"],
        &["merge", "not-json.json"],
        &["compare", "not-json.json", "not-json.json"],
        &["explain", "complexty"],
    ];
    for args in cases {
        let out = qgate().current_dir(p).args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("qgate: error: "))
            .collect();
        assert!(!errors.is_empty(), "{args:?}: {stderr}");
        for line in errors {
            let (what, fix) = line["qgate: error: ".len()..]
                .split_once(" — ")
                .unwrap_or_else(|| panic!("{args:?}: no `what — what to do`: {line}"));
            assert!(!what.is_empty() && !fix.is_empty(), "{args:?}: {line}");
        }
    }
}

/// W4: an unreadable file is skipped as `io-error` with the OS message; the rest is analysed.
/// Root ignores file modes (CI containers often run as root), so there the test has nothing to
/// show and returns early, as RELIABILITY.md says.
#[cfg(target_os = "linux")]
#[test]
fn w4_an_unreadable_file_is_skipped_with_the_os_error() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("w4: running as root, which reads mode-000 files: nothing to test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.py"), "x = 1\n").unwrap();
    let locked = dir.path().join("locked.py");
    std::fs::write(&locked, "y = 2\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 1);
    assert_eq!(report["skipped"][0]["path"], "locked.py");
    assert_eq!(report["skipped"][0]["reason"], "io-error");
    assert_eq!(
        report["skipped"][0]["message"],
        "Permission denied (os error 13)"
    );
}

#[test]
fn no_progress_is_drawn_when_stderr_is_not_a_terminal() {
    let dir = common::project("sample");
    let out = common::run_in(
        dir.path(),
        &["check", ".", "--format", "json", "--no-cache"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("analysing"), "{stderr}");
    assert!(!stderr.contains('\r'), "{stderr}");
}

/// Makes a FIFO at `path` (with the system's `mkfifo`, as a user would).
#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}
