//! docs/GUIDE.md's examples are the ones that run: every fenced block after a
//! `<!-- test: KIND [FIXTURE] [exit=N] -->` line is checked here (workflows are linted by
//! scripts/lint-actions.sh, which extracts the same blocks).

mod common;

use std::path::Path;

use common::git_project;

/// One marked block of the guide.
struct Example {
    kind: String,
    fixture: Option<String>,
    exit: i32,
    /// The line of its opening fence, for messages.
    line: usize,
    text: String,
}

fn examples() -> Vec<Example> {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/GUIDE.md"))
            .expect("docs/GUIDE.md");
    let lines: Vec<&str> = guide.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(marker) = lines[i]
            .strip_prefix("<!-- test: ")
            .and_then(|m| m.strip_suffix(" -->"))
        else {
            i += 1;
            continue;
        };
        let mut words = marker.split_whitespace();
        let kind = words.next().expect("a kind").to_owned();
        let (mut fixture, mut exit) = (None, 0);
        for word in words {
            match word.strip_prefix("exit=") {
                Some(code) => exit = code.parse().expect("exit=N"),
                None => fixture = Some(word.to_owned()),
            }
        }
        assert!(
            lines[i + 1].starts_with("```"),
            "GUIDE.md:{}: a fence must follow the marker",
            i + 2
        );
        let start = i + 2;
        let end = start
            + lines[start..]
                .iter()
                .position(|l| *l == "```")
                .expect("closing fence");
        found.push(Example {
            kind,
            fixture,
            exit,
            line: i + 2,
            text: lines[start..end].join("\n") + "\n",
        });
        i = end + 1;
    }
    found
}

/// Runs `script` with bash (`-e`: every command must succeed but the last, whose exit code is
/// returned) in `dir`, with the qgate under test first on PATH.
fn bash(dir: &Path, script: &str) -> (i32, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_qgate"))
        .parent()
        .expect("bin dir");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("bash")
        .args(["-e", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("CI")
        .env_remove("GITHUB_BASE_REF")
        .output()
        .expect("bash runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

fn of_kind(kind: &str) -> Vec<Example> {
    let found: Vec<Example> = examples().into_iter().filter(|e| e.kind == kind).collect();
    assert!(!found.is_empty(), "GUIDE.md has no `{kind}` example");
    found
}

#[test]
fn the_guide_marks_every_kind_of_example() {
    let kinds: Vec<String> = examples().into_iter().map(|e| e.kind).collect();
    for kind in [
        "github-workflow",
        "gitlab-ci",
        "pre-commit-config",
        "shell",
        "qgate-toml",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "no `{kind}` example");
    }
    assert_eq!(kinds.len(), 7, "{kinds:?}");
}

#[test]
fn shell_examples_run_with_their_exit_codes() {
    for example in of_kind("shell") {
        let fixture = example.fixture.as_deref().expect("a fixture");
        let dir = git_project(fixture);
        let (code, output) = bash(dir.path(), &example.text);
        assert_eq!(
            code, example.exit,
            "GUIDE.md:{} on {fixture}:\n{output}",
            example.line
        );
        // The files the commands write are there.
        for word in example.text.split_whitespace() {
            let written = word.rsplit('=').next().unwrap_or(word);
            if word.ends_with(".json") || word.ends_with(".md") || word.ends_with(".html") {
                assert!(
                    dir.path().join(written).is_file(),
                    "GUIDE.md:{}: {written} not written",
                    example.line
                );
            }
        }
    }
}

#[test]
fn the_monorepo_merge_fails_on_the_clone_across_shards() {
    let dir = git_project("monorepo");
    let example = of_kind("shell")
        .into_iter()
        .find(|e| e.text.contains("qgate merge"))
        .expect("merge recipe");
    assert_eq!(bash(dir.path(), &example.text).0, 1);
    let merged: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("merged.json")).unwrap()).unwrap();
    let duplication = merged["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "duplication")
        .unwrap();
    assert_eq!(duplication["status"], "fail");
    assert_eq!(duplication["offenders"][0]["path"], "billing/invoice.py");
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.contains("duplication"), "{summary}");
}

/// The job's `script:` lines, less `pip install` (qgate is already on PATH here).
fn gitlab_script(yaml: &str) -> String {
    let mut script = String::new();
    let mut inside = false;
    for line in yaml.lines() {
        if line.trim() == "script:" {
            inside = true;
        } else if inside {
            match line.trim_start().strip_prefix("- ") {
                Some(command) if line.starts_with("    ") => {
                    if !command.starts_with("pip install") {
                        script += command;
                        script += "\n";
                    }
                }
                _ => inside = false,
            }
        }
    }
    script
}

#[test]
fn the_gitlab_job_writes_code_quality_and_junit() {
    for example in of_kind("gitlab-ci") {
        let dir = git_project(example.fixture.as_deref().expect("a fixture"));
        let script = gitlab_script(&example.text);
        assert!(script.contains("qgate check"), "{script}");
        let (code, output) = bash(dir.path(), &script);
        assert_eq!(code, example.exit, "GUIDE.md:{}:\n{output}", example.line);
        let quality: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join("gl-code-quality-report.json")).unwrap(),
        )
        .unwrap();
        assert!(quality.as_array().is_some_and(|issues| !issues.is_empty()));
        let junit = std::fs::read_to_string(dir.path().join("qgate-junit.xml")).unwrap();
        assert!(junit.starts_with("<?xml"), "{junit}");
        for artifact in ["gl-code-quality-report.json", "qgate-junit.xml"] {
            assert!(
                example.text.contains(&format!(": {artifact}")),
                "{artifact} is not declared an artifact"
            );
        }
    }
}

#[test]
fn pre_commit_examples_name_hooks_this_repository_defines() {
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let defined: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.strip_prefix("- id: "))
        .collect();
    assert_eq!(defined, ["qgate", "qgate-wheel"]);
    for example in of_kind("pre-commit-config") {
        let named: Vec<&str> = example
            .text
            .lines()
            .filter_map(|l| {
                l.trim_start()
                    .trim_start_matches("# ")
                    .strip_prefix("- id: ")
            })
            .map(|rest| rest.split_whitespace().next().unwrap_or_default())
            .collect();
        assert_eq!(named, defined, "GUIDE.md:{}", example.line);
    }
}

#[test]
fn configuration_snippets_load_without_errors() {
    for example in of_kind("qgate-toml") {
        let dir = git_project(example.fixture.as_deref().expect("a fixture"));
        std::fs::write(dir.path().join("qgate.toml"), &example.text).unwrap();
        let (code, output) = bash(dir.path(), "qgate check");
        assert_ne!(code, 2, "GUIDE.md:{}:\n{output}", example.line);
        assert!(
            !output.contains("warning"),
            "GUIDE.md:{}:\n{output}",
            example.line
        );
    }
}

#[test]
fn workflow_examples_give_the_action_only_inputs_it_declares() {
    let action =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    let section = action
        .split("\ninputs:\n")
        .nth(1)
        .and_then(|s| s.split("\noutputs:\n").next())
        .unwrap();
    let inputs: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.trim().strip_suffix(':'))
        .collect();
    assert!(
        inputs.contains(&"coverage") && inputs.contains(&"fail-on-gate"),
        "{inputs:?}"
    );
    for example in of_kind("github-workflow") {
        let mut in_qgate_step = false;
        for line in example.text.lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("- ") {
                in_qgate_step = false;
            }
            if trimmed.contains("uses: qgate/qgate@") {
                in_qgate_step = true;
            } else if in_qgate_step
                && line.starts_with("          ")
                && !line.starts_with("           ")
            {
                let key = trimmed.split(':').next().unwrap_or_default();
                assert!(
                    inputs.contains(&key),
                    "GUIDE.md:{}: the action has no input `{key}`",
                    example.line
                );
            }
        }
    }
}
