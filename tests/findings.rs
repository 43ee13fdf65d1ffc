//! Bandit findings end to end, on the report bandit 1.9.4 really wrote for `fixtures/secproj`
//! (`scripts/findings-fixtures.sh` regenerates it). Bandit's own `metrics._totals` for it:
//! SEVERITY HIGH 2, MEDIUM 2, LOW 4; CONFIDENCE HIGH 7, MEDIUM 1.

mod common;

use common::{check_json, find, fixtures, project, qgate, run_in, stderr_in};
use predicates::prelude::*;

fn bandit_totals(report: &std::path::Path) -> (u64, u64, u64) {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    let totals = &json["metrics"]["_totals"];
    let n = |k: &str| totals[k].as_u64().unwrap();
    (n("SEVERITY.HIGH"), n("SEVERITY.MEDIUM"), n("SEVERITY.LOW"))
}

/// `qgate check DIR --bandit REPORT --format json EXTRA…`: exit code, report, stderr.
fn check_bandit(
    dir: &std::path::Path,
    report: &std::path::Path,
    extra: &[&str],
) -> (Option<i32>, serde_json::Value, String) {
    let out = qgate()
        .arg("check")
        .arg(dir)
        .arg("--bandit")
        .arg(report)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code(),
        json,
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The gate `id` of a JSON report.
fn gate<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    find(&json["gates"], "id", id)
}

#[test]
fn counts_equal_bandits_totals_and_high_fails_the_gate() {
    let dir = project("secproj");
    let report = dir.path().join("reports/bandit.json");
    assert_eq!(bandit_totals(&report), (2, 2, 4));
    let (code, json) = check_json(dir.path(), &["--bandit", report.to_str().unwrap()]);
    assert_eq!(code, 1);
    let security = &json["summary"]["security"];
    assert_eq!(
        (&security["high"], &security["medium"], &security["low"]),
        (&2.into(), &2.into(), &4.into())
    );
    assert_eq!(gate(&json, "security")["status"], "fail");
    assert_eq!(gate(&json, "security")["actual"], 2.0);

    let b602 = find(&json["findings"], "rule", "B602");
    assert_eq!(b602["source"], "bandit");
    assert_eq!(b602["severity"], "high");
    assert_eq!(b602["confidence"], "high");
    assert_eq!(b602["path"], "svc/handlers.py");
    assert_eq!(b602["line"], 9);
    assert_eq!(b602["end_line"], 9);
    assert_eq!(b602["function"], "run");
    assert!(
        b602["help_url"]
            .as_str()
            .unwrap()
            .starts_with("https://bandit.readthedocs.io/")
    );
    // The module-level imports (B403, B404) are in no function.
    let b403 = find(&json["findings"], "rule", "B403");
    assert_eq!(b403["function"], serde_json::Value::Null);

    let (_, json) = check_json(
        dir.path(),
        &[
            "--bandit",
            report.to_str().unwrap(),
            "--threshold",
            "security=2",
        ],
    );
    assert_eq!(gate(&json, "security")["status"], "pass");
}

#[test]
fn min_confidence_from_config_drops_less_certain_results() {
    let dir = project("secproj");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[security]\nbandit = [\"reports/bandit.json\"]\nmin-confidence = \"high\"\n",
    )
    .unwrap();
    let (_, json) = check_json(dir.path(), &["--exit-zero"]);
    // B105 is the one MEDIUM-confidence result.
    assert_eq!(json["summary"]["security"]["low"], 3);
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != "B105")
    );
}

#[test]
fn scan_errors_are_not_a_clean_report() {
    let dir = project("secproj");
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("reports/bandit.json")).unwrap())
            .unwrap();
    // Bandit under an older Python cannot parse 3.12 syntax that qgate analyses cleanly.
    std::fs::write(
        dir.path().join("svc/other.py"),
        "type Point = tuple[int, int]\n",
    )
    .unwrap();
    json["errors"] = serde_json::json!([
        {"filename": "svc/other.py", "reason": "syntax error while parsing AST from file"}
    ]);
    json["results"] = serde_json::json!([]);
    let report = dir.path().join("errors.json");
    std::fs::write(&report, json.to_string()).unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .arg("--bandit")
        .arg(&report)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Bandit could not scan 1 file(s): `svc/other.py` (syntax error while parsing AST from file)",
        ))
        .stderr(predicate::str::contains("allow-scanner-errors"));

    std::fs::write(
        dir.path().join("qgate.toml"),
        "[security]\nallow-scanner-errors = true\n",
    )
    .unwrap();
    let (_, json, stderr) = check_bandit(dir.path(), &report, &["--exit-zero"]);
    assert_eq!(json["summary"]["security"]["high"], 0);
    assert!(
        stderr.contains("qgate: warning:") && stderr.contains("Bandit could not scan 1 file(s)"),
        "{stderr}"
    );
}

#[test]
fn unscanned_files_with_a_syntax_error_or_not_analysed_leave_a_verdict() {
    // A test suite that ships a deliberately broken file, and a file qgate does not analyse.
    let dir = project("secproj");
    std::fs::write(dir.path().join("svc/broken.py"), "def f(:\n    pass\n").unwrap();
    std::fs::create_dir_all(dir.path().join("build")).unwrap();
    std::fs::write(dir.path().join("build/gen.py"), "print 'generated'\n").unwrap();
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("reports/bandit.json")).unwrap())
            .unwrap();
    json["errors"] = serde_json::json!([
        {"filename": "svc/broken.py", "reason": "syntax error while parsing AST from file"},
        {"filename": "build/gen.py", "reason": "syntax error while parsing AST from file"}
    ]);
    let report = dir.path().join("errors.json");
    std::fs::write(&report, json.to_string()).unwrap();
    let (code, json, stderr) = check_bandit(dir.path(), &report, &[]);
    // A verdict: the security gate fails on the real findings, parse-errors on broken.py.
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(find(&json["gates"], "id", "security")["status"], "fail");
    assert_eq!(find(&json["gates"], "id", "parse-errors")["status"], "fail");
    assert!(
        stderr.contains("Bandit could not scan `svc/broken.py` (syntax error while parsing AST from file) — qgate finds a syntax error there too: the parse-errors gate fails on it"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Bandit could not scan `build/gen.py` (syntax error while parsing AST from file) — it exists but qgate does not analyse it"),
        "{stderr}"
    );
}

#[test]
fn findings_in_files_qgate_did_not_analyse_still_count() {
    let dir = project("secproj");
    let report = dir.path().join("moved.json");
    let text = std::fs::read_to_string(dir.path().join("reports/bandit.json"))
        .unwrap()
        .replace("svc/handlers.py", "gone/handlers.py");
    std::fs::write(&report, text).unwrap();
    let (code, json, stderr) = check_bandit(dir.path(), &report, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(json["summary"]["security"]["high"], 2);
    assert!(
        stderr.contains(
            "8 Bandit finding(s) in 1 file(s) qgate did not analyse, e.g. `gone/handlers.py`; they still count"
        ),
        "{stderr}"
    );
}

#[test]
fn malformed_reports_exit_2_with_a_location() {
    let dir = project("secproj");
    let full = std::fs::read(dir.path().join("reports/bandit.json")).unwrap();
    let truncated = dir.path().join("trunc.json");
    std::fs::write(&truncated, &full[..300]).unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .arg("--bandit")
        .arg(&truncated)
        .assert()
        .code(2)
        .stderr(predicate::str::is_match(r"trunc\.json:\d+:\d+: not a Bandit JSON report").unwrap())
        .stderr(predicate::str::contains("truncated"));
    let utf16 = dir.path().join("utf16.json");
    let text = String::from_utf8(full).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&utf16, bytes).unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .arg("--bandit")
        .arg(&utf16)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("UTF-16"))
        .stderr(predicate::str::contains("Out-File -Encoding utf8"));
}

fn runs(report: &std::path::Path) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    json["runs"].as_array().unwrap().clone()
}

#[test]
fn sarif_from_ruff_and_bandit_in_one_log_of_three_runs() {
    let dir = project("secproj");
    let reports = dir.path().join("reports");
    let ruff = runs(&reports.join("ruff.sarif"));
    let bandit = runs(&reports.join("bandit.sarif"));
    assert_eq!((ruff.len(), bandit.len()), (1, 1));
    // ruff's S rules carry no security tag, but they are its port of Bandit: qgate ranks them
    // as Bandit ranks the same tests and counts them for security. Bandit's SARIF tags every
    // rule `security` and maps HIGH/MEDIUM/LOW to error/warning/note.
    let log = serde_json::json!({
        "version": "2.1.0",
        "runs": [ruff[0], bandit[0], ruff[0]],
    });
    let combined = dir.path().join("combined.sarif");
    std::fs::write(&combined, log.to_string()).unwrap();
    let (_, json) = check_json(
        dir.path(),
        &["--sarif", combined.to_str().unwrap(), "--exit-zero"],
    );
    let findings = json["findings"].as_array().unwrap();
    let from = |tool: &str| findings.iter().filter(|f| f["source"] == tool).count();
    assert_eq!((from("ruff"), from("Bandit")), (12, 8));
    let security = &json["summary"]["security"];
    // Bandit's run: 2 high, 2 medium, 4 low; each ruff run: 2, 2, 2 (its 6 S rules).
    assert_eq!(
        (&security["high"], &security["medium"], &security["low"]),
        (&6.into(), &6.into(), &8.into())
    );
    assert_eq!(gate(&json, "security")["status"], "fail");

    // ruff wrote absolute `file://` URIs of the machine it ran on: mapped by unique suffix.
    let s602 = findings.iter().find(|f| f["rule"] == "S602").unwrap();
    assert_eq!(s602["path"], "svc/handlers.py");
    assert_eq!((&s602["line"], &s602["end_line"]), (&9.into(), &9.into()));
    assert_eq!(s602["function"], "run");
    assert_eq!(s602["severity"], "high");
    let b602 = findings
        .iter()
        .find(|f| f["rule"] == "B602" && f["source"] == "Bandit")
        .unwrap();
    assert_eq!(
        (&b602["severity"], &b602["function"]),
        (&"high".into(), &"run".into())
    );
}

#[test]
fn sarif_of_another_version_exits_2() {
    let dir = project("secproj");
    let report = dir.path().join("old.sarif");
    std::fs::write(&report, r#"{"version": "1.0.0", "runs": []}"#).unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .arg("--sarif")
        .arg(&report)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "old.sarif: SARIF version 1.0.0; qgate reads 2.1.0",
        ));
}

#[test]
fn pylint_messages_are_findings_and_its_score_is_gated() {
    let dir = project("secproj");
    let report = dir.path().join("reports/pylint.json");
    // pylint 4.1.4 rated the fixture 3.8888888888888884: 1 error, 6 conventions.
    let (code, json) = check_json(dir.path(), &["--pylint", report.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(json["summary"]["pylint"]["score"], 3.89);
    assert_eq!(json["summary"]["pylint"]["messages"], 7);
    let pylint = gate(&json, "pylint-score");
    assert_eq!(
        (&pylint["status"], &pylint["actual"], &pylint["threshold"]),
        (&"fail".into(), &3.89.into(), &7.0.into())
    );
    let findings: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == "pylint")
        .collect();
    assert_eq!(findings.len(), 7);
    let error = findings
        .iter()
        .find(|f| f["rule"] == "no-value-for-parameter")
        .unwrap();
    assert_eq!(
        (&error["severity"], &error["line"], &error["function"]),
        (&"high".into(), &21.into(), &"config".into())
    );
    // pylint findings are not security findings: that gate stays skipped.
    assert_eq!(gate(&json, "security")["status"], "skipped");

    let (_, json) = check_json(
        dir.path(),
        &[
            "--pylint",
            report.to_str().unwrap(),
            "--threshold",
            "pylint-score=3.5",
            "--exit-zero",
        ],
    );
    assert_eq!(gate(&json, "pylint-score")["status"], "pass");
}

#[test]
fn pylint_json_without_a_score_is_named() {
    let dir = project("secproj");
    let report = dir.path().join("old.json");
    std::fs::write(&report, "[]").unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .arg("--pylint")
        .arg(&report)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--output-format=json2"));
}

#[test]
fn clippy_lints_are_findings_with_their_function() {
    let dir = project("sample");
    // clippy 1.95 with -W clippy::pedantic on the sample's src/lib.rs (a throwaway crate).
    let report = common::fixtures().join("reports/clippy-sample.json");
    let (_, json) = check_json(
        dir.path(),
        &["--clippy", report.to_str().unwrap(), "--exit-zero"],
    );
    let lints: Vec<(&str, &str, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == "clippy")
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lints,
        [
            ("clippy::must_use_candidate", "medium", 11),
            ("clippy::must_use_candidate", "medium", 16),
            ("clippy::for_kv_map", "medium", 37),
            ("clippy::never_loop", "high", 42),
            ("clippy::must_use_candidate", "medium", 52),
        ]
    );
    let never_loop = find(&json["findings"], "rule", "clippy::never_loop");
    assert_eq!(never_loop["path"], "src/lib.rs");
    assert_eq!(never_loop["end_line"], 47);
    assert_eq!(never_loop["function"], "<Shelf as Priced>::price");
    // Lints are not security findings.
    assert_eq!(gate(&json, "security")["status"], "skipped");
}

#[test]
fn qgate_ignore_comments_suppress_and_unused_ones_are_reported() {
    let dir = project("secproj");
    let source = dir.path().join("svc/handlers.py");
    let text = std::fs::read_to_string(&source)
        .unwrap()
        .replace(
            "return subprocess.call(cmd, shell=True)",
            "return subprocess.call(cmd, shell=True)  # qgate: ignore[B602]",
        )
        .replace(
            "return pickle.loads(blob)",
            "return pickle.loads(blob)  # qgate: ignore[B999]",
        );
    std::fs::write(&source, text).unwrap();
    let report = dir.path().join("reports/bandit.json");
    let (_, json) = check_json(
        dir.path(),
        &["--bandit", report.to_str().unwrap(), "--exit-zero"],
    );
    let security = &json["summary"]["security"];
    assert_eq!(
        (&security["high"], &security["medium"], &security["low"]),
        (&1.into(), &2.into(), &4.into())
    );
    let findings = json["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["rule"] != "B602"));
    let unused: Vec<(&serde_json::Value, &serde_json::Value)> = findings
        .iter()
        .filter(|f| f["rule"] == "unused-suppression")
        .map(|f| (&f["line"], &f["function"]))
        .collect();
    assert_eq!(unused, [(&13.into(), &"load".into())]);
    // Per file: B324 high; B301, B506 medium; B403, B404, B101, B105 and the unused
    // suppression low.
    let file = find(&json["files"], "path", "svc/handlers.py");
    assert_eq!(
        file["findings"],
        serde_json::json!({"high": 1, "medium": 2, "low": 5})
    );
}

#[test]
fn lint_and_max_medium_gates_from_config() {
    let dir = project("secproj");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[security]\nbandit = [\"reports/bandit.json\"]\n\n[pylint]\nreports = [\"reports/pylint.json\"]\n\n\
         [gates]\nsecurity = { max-high = 2, max-medium = 1 }\nlint = { enabled = true, max-high = 3, max-low = 9 }\n",
    )
    .unwrap();
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    // Bandit 2/2/4 plus pylint's 1 error and 6 conventions.
    assert_eq!(
        json["summary"]["findings"],
        serde_json::json!({"high": 3, "medium": 2, "low": 10})
    );
    let security = gate(&json, "security");
    assert_eq!(security["status"], "fail");
    assert_eq!(
        security["message"],
        "max-high: 2 <= 2; max-medium: 2 (must be <= 1)"
    );
    let lint = gate(&json, "lint");
    assert_eq!(lint["status"], "fail");
    assert_eq!(
        lint["message"],
        "max-high: 3 <= 3; max-low: 10 (must be <= 9)"
    );

    let out = qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Findings (3 high, 2 medium, 10 low)"),
        "{text}"
    );
    // Worst first.
    let first = text
        .lines()
        .skip_while(|l| !l.starts_with("Findings"))
        .nth(1)
        .unwrap();
    assert!(
        first.starts_with("  high    svc/handlers.py:9: B602 "),
        "{first}"
    );
}

/// Every report cut at a range of offsets: exit 2 (or a clean verdict for a cut that still
/// parses, such as clippy's JSON lines), never a panic.
#[test]
fn truncated_reports_never_panic() {
    let dir = project("secproj");
    let cases = [
        ("--bandit", "reports/bandit.json"),
        ("--sarif", "reports/ruff.sarif"),
        ("--sarif", "reports/bandit.sarif"),
        ("--pylint", "reports/pylint.json"),
    ];
    let clippy = common::fixtures().join("reports/clippy-sample.json");
    let inputs = cases
        .iter()
        .map(|(flag, rel)| (*flag, std::fs::read(dir.path().join(rel)).unwrap()))
        .chain([("--clippy", std::fs::read(clippy).unwrap())]);
    for (flag, bytes) in inputs {
        for cut in (1..bytes.len()).step_by(bytes.len() / 12) {
            let path = dir.path().join("cut.json");
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let out = qgate()
                .arg("check")
                .arg(dir.path())
                .arg(flag)
                .arg(&path)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stderr.contains("panicked"),
                "{flag} cut at {cut}: {stderr}"
            );
            let code = out.status.code().unwrap();
            // clippy's output is JSON lines: a cut at a line's end leaves whole lines.
            let whole_lines = flag == "--clippy" && bytes.get(cut) == Some(&b'\n');
            if whole_lines {
                assert_ne!(code, 2, "{flag} cut at {cut}: {stderr}");
            } else {
                assert_eq!(code, 2, "{flag} cut at {cut}: {stderr}");
                assert!(stderr.contains("cut.json"), "{stderr}");
            }
        }
    }
}

#[test]
fn ruff_security_rules_rank_as_bandit_ranks_the_same_checks() {
    // ruff 0.17.6 and Bandit 1.9.4 on the same code (scripts/findings-fixtures.sh): ruff writes
    // every result at level `error`; qgate ranks each S rule as Bandit ranks its test.
    let dir = project("secproj");
    let reports = fixtures().join("secproj/reports");
    let (_, ruff) = check_json(
        dir.path(),
        &[
            "--sarif",
            reports.join("ruff.sarif").to_str().unwrap(),
            "--exit-zero",
        ],
    );
    let (_, bandit) = check_json(
        dir.path(),
        &[
            "--bandit",
            reports.join("bandit.json").to_str().unwrap(),
            "--exit-zero",
        ],
    );
    let by_place = |json: &serde_json::Value, source: &str| -> Vec<(String, u64, String, String)> {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["source"] == source)
            .map(|f| {
                let rule = f["rule"].as_str().unwrap().replacen(['S', 'B'], "", 1);
                (
                    rule,
                    f["line"].as_u64().unwrap(),
                    f["severity"].as_str().unwrap().to_owned(),
                    f["confidence"].as_str().unwrap_or("-").to_owned(),
                )
            })
            .collect()
    };
    let ruff_ranked = by_place(&ruff, "ruff");
    let bandit_ranked = by_place(&bandit, "bandit");
    assert_eq!(ruff_ranked.len(), 6);
    for r in &ruff_ranked {
        assert!(
            bandit_ranked.contains(r),
            "{r:?} not among Bandit's {bandit_ranked:?}"
        );
    }
    assert!(
        ruff["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["security"] == true)
    );
    let security = &ruff["summary"]["security"];
    assert_eq!(
        (
            security["high"].as_u64(),
            security["medium"].as_u64(),
            security["low"].as_u64()
        ),
        (Some(2), Some(2), Some(2))
    );
}

#[test]
fn ruff_lint_rules_rank_by_what_they_catch_and_config_overrides() {
    let dir = project("secproj");
    let sarif = dir.path().join("ruff-lint.sarif");
    std::fs::write(
        &sarif,
        r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "ruff", "rules": []}}, "results": [
            {"ruleId": "CPY001", "level": "error", "message": {"text": "Missing copyright notice"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "svc/handlers.py"}, "region": {"startLine": 1}}}]},
            {"ruleId": "F821", "level": "error", "message": {"text": "Undefined name `x`"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "svc/handlers.py"}, "region": {"startLine": 2}}}]},
            {"ruleId": "F401", "level": "error", "message": {"text": "`os` imported but unused"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "svc/handlers.py"}, "region": {"startLine": 3}}}]}
        ]}]}"#,
    )
    .unwrap();
    let severities = |dir: &std::path::Path| -> Vec<(String, String)> {
        let (_, json) = check_json(dir, &["--sarif", sarif.to_str().unwrap(), "--exit-zero"]);
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["severity"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    assert_eq!(
        severities(dir.path()),
        pairs(&[("CPY001", "low"), ("F821", "high"), ("F401", "medium")])
    );
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[sarif]\nseverity = { \"ruff:F4*\" = \"low\", \"ruff:CPY001\" = \"high\" }\n",
    )
    .unwrap();
    assert_eq!(
        severities(dir.path()),
        pairs(&[("CPY001", "high"), ("F821", "high"), ("F401", "low")])
    );
}

#[test]
fn r17_an_empty_clippy_report_exits_2() {
    let dir = project("sample");
    std::fs::write(dir.path().join("clippy.json"), "").unwrap();
    let out = run_in(dir.path(), &["check", "-q", "--clippy", "clippy.json"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_in(&out, dir.path());
    assert_eq!(
        stderr,
        "qgate: error: clippy.json: holds no cargo JSON message: empty, or plain text — write it with `cargo clippy --message-format=json > clippy.json` (stdout, not stderr)\n"
    );
}
