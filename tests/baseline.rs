//! Baselines (`qgate baseline`, `qgate check --baseline`), the ratchet and `qgate compare`, on
//! real git repositories built in temporary directories.

mod common;

use common::repo::Repo;
use common::{find, qgate};

/// A typed function of cyclomatic complexity `1 + branches` (cognitive `branches`).
fn branchy(name: &str, branches: u32) -> String {
    let mut text = format!("def {name}(x: int) -> int:\n    total = 0\n");
    for i in 0..branches {
        text.push_str(&format!("    if x == {i}:\n        total += {i}\n"));
    }
    text.push_str("    return total\n");
    text
}

fn gate<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    find(&report["gates"], "id", id)
}

/// `qgate baseline -o .qgate-baseline.json` in the repository; its stdout.
fn record(repo: &Repo, extra: &[&str]) -> String {
    let out = qgate()
        .current_dir(repo.path())
        .args(["baseline", ".", "-o", ".qgate-baseline.json"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn baseline_file(repo: &Repo) -> serde_json::Value {
    let text = std::fs::read_to_string(repo.path().join(".qgate-baseline.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `legacy.py`: `tangled` of complexity `1 + branches` then four small functions (so the
/// average stays under 10).
fn legacy(branches: u32) -> String {
    let small: Vec<String> = (0..4).map(|i| branchy(&format!("small_{i}"), 1)).collect();
    format!("{}\n\n{}", branchy("tangled", branches), small.join("\n\n"))
}

/// A repository whose `legacy.py` holds `tangled`, of complexity 22 (over the default 20).
fn legacy_repo() -> Repo {
    let repo = Repo::new();
    repo.write("legacy.py", &legacy(21));
    repo.commit("legacy");
    repo
}

#[test]
fn a_baseline_records_each_offender_by_path_and_qualified_name() {
    let repo = legacy_repo();
    let said = record(&repo, &[]);
    assert!(
        said.starts_with("wrote .qgate-baseline.json: 1 function(s) over the complexity limits, 0 clone(s), 0 finding(s)"),
        "{said}"
    );
    let b = baseline_file(&repo);
    assert_eq!(b["qgate_baseline"], 1);
    assert_eq!(b["limits"]["cyclomatic"], 20.0);
    assert_eq!(b["limits"]["cognitive"], 15.0);
    let functions = b["functions"].as_array().unwrap();
    // Cyclomatic 22; cognitive 21 (one per `if`).
    let got: Vec<(String, String, String, u64)> = functions
        .iter()
        .map(|f| {
            (
                f["metric"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["name"].as_str().unwrap().to_owned(),
                f["value"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "cyclomatic".into(),
                "legacy.py".into(),
                "tangled".into(),
                22
            ),
            ("cognitive".into(), "legacy.py".into(), "tangled".into(), 21),
        ]
    );
    assert_eq!(b["headline"]["complexity.max"], 22.0);
}

#[test]
fn known_offenders_pass_and_a_new_one_fails_naming_only_itself() {
    let repo = legacy_repo();
    // Without the baseline the old function fails both gates.
    let (code, report, _) = repo.check(&[]);
    assert_eq!(
        (code, gate(&report, "complexity")["status"].as_str()),
        (1, Some("fail"))
    );
    record(&repo, &[]);

    let (code, report, stderr) = repo.check(&["--baseline", ".qgate-baseline.json"]);
    assert_eq!(code, 0, "{stderr}");
    let complexity = gate(&report, "complexity");
    assert_eq!(complexity["status"], "pass");
    assert_eq!(complexity["forgiven"], 1);
    // The condition's value is the worst function the baseline does not hold.
    assert_eq!(complexity["conditions"][1]["key"], "max-function");
    assert_eq!(complexity["conditions"][1]["actual"], 2.0);
    assert_eq!(gate(&report, "cognitive")["forgiven"], 1);
    // The summary keeps the true totals.
    assert_eq!(report["summary"]["complexity"]["max"], 22);
    assert_eq!(
        report["baseline"]["known"]["functions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(report["baseline"]["fixed"], serde_json::json!([]));

    repo.write("fresh.py", &branchy("brand_new", 20));
    let (code, report, _) = repo.check(&["--baseline", ".qgate-baseline.json"]);
    assert_eq!(code, 1);
    let complexity = gate(&report, "complexity");
    assert_eq!(complexity["status"], "fail");
    assert_eq!(complexity["actual"], 21.0);
    let offenders = complexity["offenders"].as_array().unwrap();
    assert_eq!(offenders.len(), 1, "{offenders:?}");
    assert_eq!(
        (offenders[0]["path"].as_str(), offenders[0]["line"].as_u64()),
        (Some("fresh.py"), Some(1))
    );
}

#[test]
fn a_known_function_that_got_worse_counts_again() {
    let repo = legacy_repo();
    record(&repo, &[]);
    repo.write("legacy.py", &legacy(22));
    let (code, report, _) = repo.check(&["--baseline", ".qgate-baseline.json"]);
    assert_eq!(code, 1);
    let complexity = gate(&report, "complexity");
    assert_eq!(
        (
            complexity["actual"].as_f64(),
            complexity["forgiven"].as_u64()
        ),
        (Some(23.0), None)
    );
    assert_eq!(
        complexity["offenders"][0]["message"],
        "`tangled` has cyclomatic complexity 23 (rank D), above 20; 22 in the baseline"
    );
    assert_eq!(
        report["baseline"]["regressed"][0],
        serde_json::json!({"metric": "cyclomatic", "path": "legacy.py", "name": "tangled", "was": 22})
    );
}

#[test]
fn a_renamed_file_with_moved_lines_keeps_its_identities() {
    let repo = legacy_repo();
    record(&repo, &[]);
    repo.git(&["add", ".qgate-baseline.json"]);
    repo.git(&["commit", "-q", "-m", "baseline"]);
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["checkout", "-q", "-b", "move"]);
    std::fs::create_dir(repo.path().join("pkg")).unwrap();
    repo.git(&["mv", "legacy.py", "pkg/old_code.py"]);
    // Lines move: a header pushes `tangled` down.
    let moved = std::fs::read_to_string(repo.path().join("pkg/old_code.py")).unwrap();
    repo.write(
        "pkg/old_code.py",
        &format!("\"\"\"Old code, moved.\"\"\"\n\nLIMIT = 3\n\n\n{moved}"),
    );
    repo.commit("move");
    repo.write("legacy.py", "VALUE = 1\n");

    for extra in [&[][..], &["--base", base.as_str()][..]] {
        let mut args = vec!["--baseline", ".qgate-baseline.json"];
        args.extend_from_slice(extra);
        let (code, report, stderr) = repo.check(&args);
        assert_eq!(code, 0, "{extra:?}: {stderr}");
        assert_eq!(gate(&report, "complexity")["forgiven"], 1, "{extra:?}");
        assert_eq!(
            report["baseline"]["renamed"],
            serde_json::json!([["legacy.py", "pkg/old_code.py"]]),
            "{extra:?}"
        );
        assert_eq!(
            report["baseline"]["fixed"],
            serde_json::json!([]),
            "{extra:?}"
        );
        let f = find(&report["files"], "path", "pkg/old_code.py");
        assert_eq!(f["functions"][0]["line"], 6);
    }
}

#[test]
fn a_fixed_offender_is_listed_with_its_value_then_and_now() {
    let repo = legacy_repo();
    record(&repo, &[]);
    repo.write("legacy.py", &legacy(3));
    let (code, report, _) = repo.check(&["--baseline", ".qgate-baseline.json"]);
    assert_eq!(code, 0);
    let fixed = report["baseline"]["fixed"].as_array().unwrap();
    let messages: Vec<&str> = fixed
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "`tangled`: cyclomatic complexity 22 → 4",
            "`tangled`: cognitive complexity 21 → 3"
        ]
    );
    assert_eq!(
        (fixed[0]["path"].as_str(), fixed[0]["line"].as_u64()),
        (Some("legacy.py"), Some(1))
    );

    let out = qgate()
        .current_dir(repo.path())
        .args([
            "check",
            ".",
            "--baseline",
            ".qgate-baseline.json",
            "--color",
            "never",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("baseline: .qgate-baseline.json (2 entries): 0 known offenders not counted by the gates · 2 fixed\n  fixed  legacy.py:1  `tangled`: cyclomatic complexity 22 → 4\n"),
        "{text}"
    );
}

#[test]
fn known_clones_are_not_duplication_but_a_third_copy_is() {
    let repo = Repo::new();
    common::two_copies(repo.path());
    repo.commit("copies");
    let (code, report, _) = repo.check(&[]);
    assert_eq!(
        (code, gate(&report, "duplication")["actual"].as_f64()),
        (1, Some(100.0))
    );
    record(&repo, &[]);
    assert_eq!(baseline_file(&repo)["clones"].as_array().unwrap().len(), 1);

    let (code, report, _) = repo.check(&["--baseline", ".qgate-baseline.json"]);
    assert_eq!(code, 0);
    let duplication = gate(&report, "duplication");
    assert_eq!(
        (
            duplication["actual"].as_f64(),
            duplication["forgiven"].as_u64()
        ),
        (Some(0.0), Some(1))
    );
    // The summary is still the truth.
    assert_eq!(report["summary"]["duplication"]["percent"], 100.0);

    // An exact copy of first.py: a new clone (first.py, third.py), the known one still known.
    std::fs::copy(repo.path().join("first.py"), repo.path().join("third.py")).unwrap();
    let (code, report, _) = repo.check(&["--baseline", ".qgate-baseline.json"]);
    assert_eq!(code, 1);
    let duplication = gate(&report, "duplication");
    assert_eq!(
        (
            duplication["actual"].as_f64(),
            duplication["forgiven"].as_u64()
        ),
        (Some(66.67), Some(1))
    );
    let offenders = duplication["offenders"].as_array().unwrap();
    assert_eq!(offenders.len(), 1);
    assert_eq!(offenders[0]["other"]["path"], "third.py");
    assert_eq!(report["baseline"]["fixed"], serde_json::json!([]));
}

/// A Cobertura report of `legacy.py`'s first `covered` of its `lines` lines.
fn cobertura(covered: u32, lines: u32) -> String {
    let rows: String = (1..=lines)
        .map(|n| {
            format!(
                "<line number=\"{n}\" hits=\"{}\"/>",
                u32::from(n <= covered)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" ?>\n<coverage version=\"7.17.5\" lines-valid=\"{lines}\" lines-covered=\"{covered}\" line-rate=\"0\" branches-valid=\"0\" branches-covered=\"0\" branch-rate=\"0\" complexity=\"0\"><sources><source>.</source></sources><packages><package name=\".\"><classes><class name=\"legacy.py\" filename=\"legacy.py\"><lines>{rows}</lines></class></classes></package></packages></coverage>\n"
    )
}

#[test]
fn the_ratchet_fails_when_coverage_falls_more_than_its_tolerance() {
    let repo = Repo::new();
    let statements: String = (0..201).map(|i| format!("X{i} = {i}\n")).collect();
    repo.write("legacy.py", &statements);
    repo.commit("base");
    // 201 lines; 180 covered: 89.55 %.
    repo.write("cov.xml", &cobertura(180, 201));
    let (code, _, _) = repo.check(&["--coverage", "cov.xml", "--exit-zero", "-o", "before.json"]);
    assert_eq!(code, 0);

    // 179 covered: 89.05 %, down 0.5 (the tolerance): still passes.
    repo.write("cov.xml", &cobertura(179, 201));
    let (code, report, _) = repo.check(&["--coverage", "cov.xml", "--baseline", "before.json"]);
    let ratchet = gate(&report, "ratchet");
    assert_eq!(
        (code, ratchet["status"].as_str(), ratchet["scope"].as_str()),
        (0, Some("pass"), Some("ratchet"))
    );
    assert_eq!(ratchet["conditions"][0]["threshold"], 89.05);
    assert_eq!(report["baseline"]["source"], "report");

    // 178 covered: 88.56 %.
    repo.write("cov.xml", &cobertura(178, 201));
    let (code, report, _) = repo.check(&["--coverage", "cov.xml", "--baseline", "before.json"]);
    let ratchet = gate(&report, "ratchet");
    assert_eq!((code, ratchet["status"].as_str()), (1, Some("fail")));
    assert_eq!(
        ratchet["message"],
        "coverage: 88.56 (must be >= 89.05) (baseline 89.55, tolerance 0.5); duplication: 0 <= 0.2 (baseline 0, tolerance 0.2)"
    );
    // Without a baseline there is no ratchet.
    let (_, report, _) = repo.check(&["--coverage", "cov.xml"]);
    assert!(
        report["gates"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["id"] != "ratchet")
    );
}

#[test]
fn a_file_that_is_not_a_baseline_exits_2_naming_it() {
    let repo = legacy_repo();
    repo.write("b.json", "{\"qgate_baseline\": 1, \"functions\": [}\n");
    let (code, _, stderr) = repo.check(&["--baseline", "b.json"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("qgate: error: b.json:1:"), "{stderr}");
    let (code, _, stderr) = repo.check(&["--baseline", "missing.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("missing.json: cannot read the baseline"),
        "{stderr}"
    );
}

#[test]
fn compare_prints_before_and_after_as_text_and_markdown() {
    let repo = legacy_repo();
    repo.write("cov.xml", &cobertura(40, 48));
    let (_, _, _) = repo.check(&["--coverage", "cov.xml", "--exit-zero", "-o", "before.json"]);
    repo.write("legacy.py", &legacy(10));
    repo.write("cov.xml", &cobertura(26, 26));
    let (_, _, _) = repo.check(&["--coverage", "cov.xml", "--exit-zero", "-o", "after.json"]);
    for format in ["text", "markdown"] {
        let out = qgate()
            .current_dir(repo.path())
            .args(["compare", "before.json", "after.json", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        insta::assert_snapshot!(
            format!("compare_{format}"),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// `reports/bandit.json` of the secproj fixture as Bandit would write it after `svc/handlers.py`
/// became `to` with `shift` lines inserted at its top.
fn moved_bandit_report(dir: &std::path::Path, to: &str, shift: u64) {
    let path = dir.join("reports/bandit.json");
    let mut report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for r in report["results"].as_array_mut().unwrap() {
        r["filename"] = to.into();
        let line = r["line_number"].as_u64().unwrap() + shift;
        r["line_number"] = line.into();
        r["line_range"] = serde_json::json!([line]);
    }
    std::fs::write(path, serde_json::to_string(&report).unwrap()).unwrap();
}

#[test]
fn known_findings_survive_a_rename_and_moved_lines_and_a_new_one_fails() {
    let repo = Repo::new();
    let fixture = common::project("secproj");
    std::fs::create_dir_all(repo.path().join("svc")).unwrap();
    let handlers = std::fs::read_to_string(fixture.path().join("svc/handlers.py")).unwrap();
    repo.write("svc/handlers.py", &handlers);
    repo.write(
        "reports/bandit.json",
        &std::fs::read_to_string(fixture.path().join("reports/bandit.json")).unwrap(),
    );
    // The fixture's functions are untyped on purpose: only the security gate is at stake here.
    repo.write(
        "qgate.toml",
        "version = 1\n[gates]\ntype-hints = { enabled = false }\n",
    );
    repo.commit("service");
    let bandit = ["--bandit", "reports/bandit.json"];
    let (code, report, _) = repo.check(&bandit);
    assert_eq!(
        (code, gate(&report, "security")["actual"].as_f64()),
        (1, Some(2.0))
    );
    let said = record(&repo, &bandit);
    assert!(said.contains(", 8 finding(s)"), "{said}");

    repo.git(&["mv", "svc/handlers.py", "svc/api.py"]);
    repo.write("svc/api.py", &format!("# moved\n# here\n\n{handlers}"));
    moved_bandit_report(repo.path(), "svc/api.py", 3);
    let (code, report, stderr) = repo.check(&[
        "--bandit",
        "reports/bandit.json",
        "--baseline",
        ".qgate-baseline.json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let security = gate(&report, "security");
    assert_eq!(
        (security["actual"].as_f64(), security["forgiven"].as_u64()),
        (Some(0.0), Some(2))
    );
    assert_eq!(
        report["baseline"]["known"]["findings"]
            .as_array()
            .unwrap()
            .len(),
        8
    );
    assert_eq!(
        report["baseline"]["renamed"],
        serde_json::json!([["svc/handlers.py", "svc/api.py"]])
    );

    // A second shell=True call: a new high finding, the only one the gate names.
    repo.append(
        "svc/api.py",
        "\n\ndef run_again(cmd):\n    return subprocess.call(cmd, shell=True)\n",
    );
    let path = repo.path().join("reports/bandit.json");
    let mut bandit_report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let lines = handlers.lines().count() as u64 + 3;
    let mut again = bandit_report["results"][2].clone();
    again["line_number"] = (lines + 4).into();
    again["line_range"] = serde_json::json!([lines + 4]);
    bandit_report["results"].as_array_mut().unwrap().push(again);
    std::fs::write(&path, bandit_report.to_string()).unwrap();
    let (code, report, _) = repo.check(&[
        "--bandit",
        "reports/bandit.json",
        "--baseline",
        ".qgate-baseline.json",
    ]);
    assert_eq!(code, 1);
    let security = gate(&report, "security");
    assert_eq!(security["actual"], 1.0);
    let offenders = security["offenders"].as_array().unwrap();
    assert_eq!(offenders.len(), 1);
    assert_eq!(
        (offenders[0]["path"].as_str(), offenders[0]["line"].as_u64()),
        (Some("svc/api.py"), Some(lines + 4))
    );
    // SARIF says which results the baseline knew.
    let out = qgate()
        .current_dir(repo.path())
        .args([
            "check",
            ".",
            "--bandit",
            "reports/bandit.json",
            "--baseline",
            ".qgate-baseline.json",
            "--format",
            "sarif",
            "--exit-zero",
        ])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let states: Vec<(&str, u64, &str)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "B602")
        .map(|r| {
            (
                r["baselineState"].as_str().unwrap(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
                r["ruleId"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [("unchanged", 12, "B602"), ("new", lines + 4, "B602")]
    );
}
