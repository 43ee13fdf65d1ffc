//! Configuration as an adopting team meets it: which file is used, how flags and the file
//! combine, thresholds validated the same way wherever they are written.

mod common;

use common::{check_json, project, qgate, run_in, stderr_in};
use predicates::prelude::*;

#[test]
fn command_line_thresholds_are_validated_like_the_configuration() {
    let dir = project("sample");
    for (spec, message) in [
        (
            "coverage=150",
            "threshold `min` of gate `coverage` is a percentage; 150 is above 100 — use a value from 0 to 100",
        ),
        (
            "type-hints=250",
            "threshold `min` of gate `type-hints` is a percentage; 250 is above 100",
        ),
        (
            "pylint-score=85",
            "is a pylint score; 85 is above 10 — pylint scores run from 0 to 10: did you mean 8.5?",
        ),
        (
            "coverage=0.85",
            "0.85 looks like a fraction — did you mean 85?",
        ),
    ] {
        qgate()
            .arg("check")
            .arg(dir.path())
            .args(["--threshold", spec])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[gates]\ncoverage = { min-file = 101 }\n",
    )
    .unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("qgate.toml:2:25: threshold `min-file` of gate `coverage` is a percentage; 101 is above 100"));
}

#[test]
fn complexity_thresholds_take_rank_letters() {
    let dir = project("projects/complex");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[gates]\ncomplexity = { max-function = \"B\" }\n",
    )
    .unwrap();
    let (_, json) = check_json(dir.path(), &[]);
    let gate = common::find(&json["gates"], "id", "complexity");
    let condition = common::find(&gate["conditions"], "key", "max-function");
    assert_eq!(condition["threshold"], 10.0);
    let (_, json) = check_json(dir.path(), &["--threshold", "complexity=A"]);
    let gate = common::find(&json["gates"], "id", "complexity");
    assert_eq!(
        (gate["status"].as_str(), gate["threshold"].as_f64()),
        (Some("fail"), Some(5.0))
    );
}

#[test]
fn a_configured_report_that_is_missing_warns_locally_and_exits_2_in_ci() {
    let dir = project("sample");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[coverage]\nreports = [\"coverage.xml\"]\n",
    )
    .unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "qgate: warning: the configured report `coverage.xml` does not exist; gate `coverage` is skipped without it",
        ));
    qgate()
        .arg("check")
        .arg(dir.path())
        .env("CI", "true")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "coverage.xml: no coverage report here",
        ));
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[coverage]\nreports = [\"coverage.xml\"]\n[gates]\ncoverage = { required = true }\n",
    )
    .unwrap();
    qgate().arg("check").arg(dir.path()).assert().code(2);
}

#[test]
fn flags_replace_the_configured_reports_of_their_kind() {
    let dir = project("coverage");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[coverage]\nreports = [\"reports/line.xml\"]\n",
    )
    .unwrap();
    let branch = dir.path().join("reports/branch.xml");
    let (_, json) = check_json(dir.path(), &["--coverage", branch.to_str().unwrap()]);
    assert_eq!(
        json["inputs"]["reports"],
        serde_json::json!([{"kind": "coverage", "path": "reports/branch.xml", "entries": 2}])
    );
    assert_eq!(json["summary"]["coverage"]["percent"], 76.32);
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(json["summary"]["coverage"]["percent"], 79.17);
}

#[test]
fn the_configuration_used_and_the_ones_passed_over_are_named() {
    let dir = project("sample");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[gates]\ncomplexity = { max-function = 30 }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.qgate.gates]\ncomplexity = { max-function = 2 }\n",
    )
    .unwrap();
    let out = qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["config"],
        serde_json::json!({"file": "qgate.toml", "ignored": [{"path": "pyproject.toml", "why": "qgate.toml in the same directory wins"}]})
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("qgate.toml is used and pyproject.toml is ignored — keep one"),
        "{stderr}"
    );
    qgate()
        .arg("check")
        .arg(dir.path())
        .arg("-v")
        .assert()
        .stdout(predicate::str::contains("config: qgate.toml (passed over: pyproject.toml — qgate.toml in the same directory wins)"));
}

#[test]
fn pyproject_tables_are_read_as_toml() {
    let dir = project("projects/complex");
    std::fs::remove_file(dir.path().join("qgate.toml")).unwrap();
    // Dotted keys under [tool] are ordinary TOML: they apply.
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool]\nqgate.gates.complexity = { max-function = 3 }\n",
    )
    .unwrap();
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(json["config"]["file"], "pyproject.toml");
    // A pyproject.toml that is not TOML is an error naming it, not a silent default run.
    std::fs::write(dir.path().join("pyproject.toml"), "[project\nname = 'x'\n").unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("pyproject.toml:1:")
                .and(predicate::str::contains("not valid TOML")),
        );
}

#[test]
fn x4_an_invalid_glob_names_the_config_file_line_and_column() {
    let dir = project("sample");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "version = 1\nexclude = [\"src/[a\"]\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_in(&out, dir.path());
    assert_eq!(
        stderr,
        "qgate: error: qgate.toml:2:12: `exclude` pattern `src/[a`: error parsing glob 'src/[a': unclosed character class; missing ']' — fix the glob; `**` matches any depth\n"
    );
}

#[test]
fn x4_a_10_mb_glob_is_refused_at_once() {
    let dir = project("sample");
    let pattern = "a*".repeat(5 * 1024 * 1024);
    std::fs::write(
        dir.path().join("qgate.toml"),
        format!("version = 1\nexclude = [\"{pattern}\"]\n"),
    )
    .unwrap();
    let out = qgate()
        .current_dir(dir.path())
        .args(["check", "-q"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.ends_with("qgate.toml:2:12: `exclude`: a pattern of 10485760 bytes, longer than 4096 — shorten it; `**` matches any depth\n"),
        "{stderr:.300}"
    );
}
