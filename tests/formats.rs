//! Every output format of one canonical report (the secproj fixture with its Bandit report) as
//! snapshots, the same for a hostile fixture whose names and messages carry `|`, backticks,
//! `%`, `,`, `:`, newlines, `::add-mask::` and `</script>`, and the SARIF of the fixture
//! projects validated against the official SARIF 2.1.0 schema (tests/data).

mod common;

use std::path::Path;

use common::{project, qgate};

const FORMATS: &[&str] = &[
    "text", "json", "sarif", "markdown", "github", "junit", "gitlab", "html",
];

/// `qgate check . --format FORMAT` in `dir` with `args`: its stdout.
fn output(dir: &Path, format: &str, args: &[&str]) -> String {
    let out = qgate()
        .current_dir(dir)
        .args([
            "check",
            ".",
            "--exit-zero",
            "--color",
            "never",
            "--format",
            format,
        ])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    if format == "html" {
        // The page's stylesheet and script have their own tests; the snapshot is the page.
        elide(
            &elide(&text, "<style>", "</style>"),
            "<script>",
            "</script>",
        )
    } else {
        text
    }
}

fn elide(text: &str, open: &str, close: &str) -> String {
    match (text.find(open), text.find(close)) {
        (Some(a), Some(b)) if a < b => format!("{}{open}…{}", &text[..a], &text[b..]),
        _ => text.to_owned(),
    }
}

/// The secproj fixture with its Bandit report, as its own repository root.
fn canonical() -> tempfile::TempDir {
    project("secproj")
}

#[test]
fn every_format_of_the_canonical_report() {
    let dir = canonical();
    for format in FORMATS {
        let text = output(dir.path(), format, &["--bandit", "reports/bandit.json"]);
        insta::assert_snapshot!(format!("canonical_{format}"), text);
    }
}

/// Files and a SARIF report whose names and messages try to break every format.
fn hostile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let branchy = |name: &str| {
        let mut f = format!("def {name}(x):\n");
        for i in 0..21 {
            f.push_str(&format!("    if x == {i}:\n        return {i}\n"));
        }
        f.push_str("    return -1\n");
        f
    };
    for (file, function) in [
        ("a|b`c`.py", "pipe"),
        ("p%2C,q:r.py", "percent"),
        ("line\nbreak.py", "newline"),
        // `/` separates directories: this path is `x<` / `script><!--.py`.
        ("x</script><!--.py", "script"),
    ] {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, branchy(function)).unwrap();
    }
    std::fs::write(
        dir.path().join("mask.py"),
        format!("\"\"\"\n::add-mask::s3cret\n\"\"\"\n{}", branchy("masked")),
    )
    .unwrap();
    let message = "::add-mask::s3cret\n::stop-commands::tok | `code` @octo #12 [x](javascript:alert(1)) </script><!-- % , :";
    let sarif = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "evil|tool", "rules": [{"id": "E1", "helpUri": "javascript:alert(1)"}]}},
                  "results": [{"ruleId": "E1", "level": "error", "message": {"text": message},
                               "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a%7Cb%60c%60.py"}, "region": {"startLine": 2}}}]}]}]
    });
    std::fs::write(dir.path().join("evil.sarif"), sarif.to_string()).unwrap();
    dir
}

#[test]
fn every_format_of_the_hostile_report_keeps_data_inert() {
    let dir = hostile();
    for format in FORMATS {
        let text = output(dir.path(), format, &["--sarif", "evil.sarif"]);
        // No line a CI runner could read as a command of its own.
        for line in text.lines() {
            assert!(
                !line.starts_with("::add-mask::") && !line.starts_with("::stop-commands::"),
                "{format}: {line}"
            );
        }
        insta::assert_snapshot!(format!("hostile_{format}"), text);
    }
    let github = output(dir.path(), "github", &["--sarif", "evil.sarif"]);
    for line in github.lines().filter(|l| l.starts_with("::")) {
        let (props, _) = line[2..].split_once("::").unwrap();
        let props = props.split_once(' ').map_or("", |(_, p)| p);
        for prop in props.split(',') {
            assert!(prop.contains('='), "{prop} in {line}");
        }
    }
    let junit = output(dir.path(), "junit", &["--sarif", "evil.sarif"]);
    assert!(!junit.contains("</script>") && junit.contains("&lt;/script&gt;"));
}

fn sarif_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft4::new(&schema).unwrap()
}

#[test]
fn sarif_of_every_fixture_validates_against_the_official_schema() {
    let validator = sarif_schema();
    let cases: Vec<(tempfile::TempDir, Vec<&str>)> = vec![
        (canonical(), vec!["--bandit", "reports/bandit.json"]),
        (
            canonical(),
            vec![
                "--sarif",
                "reports/ruff.sarif",
                "--pylint",
                "reports/pylint.json",
            ],
        ),
        (
            project("coverage"),
            vec!["--coverage", "reports/branch.xml"],
        ),
        (project("sample"), vec![]),
        (project("projects/complex"), vec![]),
        (project("projects/syntax-error"), vec![]),
        (hostile(), vec!["--sarif", "evil.sarif"]),
    ];
    for (dir, args) in cases {
        let text = output(dir.path(), "sarif", &args);
        let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .take(5)
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:?}");
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        for r in results {
            assert!(
                r["partialFingerprints"]["qgateFingerprint/v1"].is_string(),
                "{r}"
            );
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str();
            assert!(
                uri.is_none_or(|u| !u.starts_with('/') && !u.contains('\\')),
                "{uri:?}"
            );
        }
    }
}

#[test]
fn sarif_results_are_fingerprinted_stably_across_runs_and_line_moves() {
    let dir = canonical();
    let before: serde_json::Value = serde_json::from_str(&output(
        dir.path(),
        "sarif",
        &["--bandit", "reports/bandit.json"],
    ))
    .unwrap();
    let again: serde_json::Value = serde_json::from_str(&output(
        dir.path(),
        "sarif",
        &["--bandit", "reports/bandit.json"],
    ))
    .unwrap();
    assert_eq!(before, again);
    let prints = |s: &serde_json::Value| -> Vec<String> {
        let mut p: Vec<String> = s["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["qgateFingerprint/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        p.sort();
        p
    };
    let unique: std::collections::HashSet<String> = prints(&before).into_iter().collect();
    assert_eq!(
        unique.len(),
        prints(&before).len(),
        "fingerprints are unique"
    );
}

#[test]
fn junit_has_a_testcase_per_gate_and_per_offender_when_asked() {
    let dir = canonical();
    let count = |xml: &str| xml.matches("<testcase ").count();
    let failures = |xml: &str| xml.matches("<failure ").count();
    let per_gate = output(dir.path(), "junit", &["--bandit", "reports/bandit.json"]);
    assert_eq!((count(&per_gate), failures(&per_gate)), (11, 2));
    std::fs::write(
        dir.path().join("qgate.toml"),
        "version = 1\n[junit]\nper-offender = true\n",
    )
    .unwrap();
    let per_offender = output(dir.path(), "junit", &["--bandit", "reports/bandit.json"]);
    // type-hints: 6 functions, security: 2 findings.
    assert_eq!((count(&per_offender), failures(&per_offender)), (19, 10));
    assert!(per_offender.contains("<testcase classname=\"qgate.security\" name=\"svc/handlers.py:9\" time=\"0\"><failure message=\"B602 subprocess call with shell=True identified, security issue. (bandit)\" type=\"security\"/></testcase>"));
}
