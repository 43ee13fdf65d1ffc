//! The report is the one result: its summary is derived from what the JSON itself carries, so a
//! saved report re-summarises (and, later, merges) to exactly the same numbers.

mod common;

use common::{check_json, fixtures, project};
use qgate::report::{FileCoverage, Report, Summary, summarize};

/// Reads a `check --format json` report back, forgets its summary and per-file finding counts,
/// derives them again (the grade from the saved gate results) and returns (saved summary,
/// derived summary).
fn resummarised(json: serde_json::Value) -> (Summary, Summary) {
    let mut report: Report = serde_json::from_value(json).expect("the report deserialises");
    let saved = std::mem::take(&mut report.summary);
    for file in &mut report.files {
        file.findings = Default::default();
    }
    summarize(&mut report);
    report.summary.grade = qgate::gate::grade::grade(&report);
    (saved, report.summary)
}

#[test]
fn a_saved_report_with_coverage_summarises_to_the_same_numbers() {
    let dir = project("coverage");
    let xml = dir.path().join("reports/branch.xml");
    let (_, json) = check_json(dir.path(), &["--coverage", xml.to_str().unwrap()]);
    let (saved, derived) = resummarised(json);
    assert_eq!(saved.coverage.percent, Some(76.32));
    assert_eq!(derived, saved);
}

#[test]
fn a_saved_report_with_findings_summarises_to_the_same_numbers() {
    let dir = project("secproj");
    let reports = fixtures().join("secproj/reports");
    let arg = |name: &str| reports.join(name).to_str().unwrap().to_owned();
    let (bandit, sarif, pylint) = (arg("bandit.json"), arg("ruff.sarif"), arg("pylint.json"));
    let (_, json) = check_json(
        dir.path(),
        &[
            "--bandit",
            &bandit,
            "--sarif",
            &sarif,
            "--pylint",
            &pylint,
            "--exit-zero",
        ],
    );
    let (saved, derived) = resummarised(json);
    assert!(saved.security.high.is_some() && saved.pylint.score.is_some());
    assert_eq!(derived, saved);
}

#[test]
fn coverage_keeps_every_measured_line_for_diff_coverage() {
    let dir = project("coverage");
    let xml = dir.path().join("reports/branch.xml");
    let (_, json) = check_json(dir.path(), &["--coverage", xml.to_str().unwrap()]);
    let cart = common::find(&json["files"], "path", "shop/cart.py");
    let c: FileCoverage = serde_json::from_value(cart["coverage"].clone()).unwrap();
    // 24 statements: 19 covered (as ranges), 5 missed; 14 branches on 7 lines, 10 taken.
    assert_eq!(c.covered_lines.count(), 19);
    assert_eq!(c.missing_lines, [15, 21, 31, 32, 33]);
    assert!(
        c.missing_lines
            .iter()
            .all(|&l| !c.covered_lines.contains(l))
    );
    assert_eq!(c.branches.iter().map(|b| b[2]).sum::<u32>(), 14);
    assert_eq!(c.branches.iter().map(|b| b[1]).sum::<u32>(), 10);
}

#[test]
fn every_finding_has_a_fingerprint_that_ignores_its_line_number() {
    let fingerprints = |source: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("m.py"), source).unwrap();
        std::fs::write(
            dir.path().join("qgate.toml"),
            "[gates]\ncomplexity = { max-function = 1 }\n",
        )
        .unwrap();
        let (_, json) = check_json(dir.path(), &[]);
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let body = "def f(a):\n    if a:\n        return 1\n    return 2\n";
    let before = fingerprints(body);
    // Lines added above the function move it down; its identity stays.
    let after = fingerprints(&format!("import os\n\n\n{body}"));
    assert_eq!(before.len(), 1);
    assert_eq!(before, after);
    assert_ne!(before, fingerprints(&body.replace("def f", "def g")));
}

#[test]
fn a_function_finding_is_fingerprinted_by_the_bytes_of_its_def_line_in_every_encoding() {
    use qgate::metrics::fingerprint;
    // UTF-8, with a BOM and CRLF: the front end's recorded hash; latin-1: the file read again.
    let body = "    if a:\n        return 1\n    return 2\n";
    let cases: [(&str, Vec<u8>, u32, &[u8]); 3] = [
        (
            "plain",
            format!("def f(a):\n{body}").into_bytes(),
            1,
            b"def f(a):",
        ),
        (
            "BOM and CRLF",
            format!("\u{feff}def f(a):\n{body}")
                .replace('\n', "\r\n")
                .into_bytes(),
            1,
            b"def f(a):",
        ),
        (
            "latin-1",
            [
                b"# -*- coding: latin-1 -*-\ndef f(a='\xe9'):\n".as_slice(),
                body.as_bytes(),
            ]
            .concat(),
            2,
            b"def f(a='\xe9'):",
        ),
    ];
    for (name, source, line, def_line) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("m.py"), &source).unwrap();
        std::fs::write(
            dir.path().join("qgate.toml"),
            "[gates]\ncomplexity = { max-function = 1 }\n",
        )
        .unwrap();
        let (_, json) = check_json(dir.path(), &[]);
        let finding = &json["findings"][0];
        assert_eq!(finding["line"], line, "{name}");
        let hash = fingerprint::hashes_of_lines(def_line, &[1])[0].unwrap();
        assert_eq!(
            finding["fingerprint"],
            fingerprint::finding("function-too-complex", "m.py", hash, 1),
            "{name}"
        );
        assert_eq!(
            finding["content_fingerprint"],
            fingerprint::content("function-too-complex", hash, 1),
            "{name}"
        );
    }
}
