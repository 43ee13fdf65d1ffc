//! mypy reports as findings and the `type-errors` gate, on the typeproj fixture whose reports the
//! real mypy wrote (scripts/typeproj-fixture.sh).

mod common;

use common::{check_json, find, project, qgate};

fn gate<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    find(&report["gates"], "id", id)
}

/// The error count of mypy's own summary line in `reports/mypy.txt`.
fn mypy_summary(dir: &std::path::Path) -> u64 {
    let text = std::fs::read_to_string(dir.join("reports/mypy.txt")).unwrap();
    let last = text.lines().last().unwrap();
    last.strip_prefix("Found ")
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn every_form_of_mypy_output_counts_what_mypy_counts() {
    let dir = project("typeproj");
    let want = mypy_summary(dir.path());
    assert_eq!(want, 3);
    for report in [
        "reports/mypy.json",
        "reports/mypy.txt",
        "reports/mypy-columns.txt",
    ] {
        let path = dir.path().join(report);
        let (code, r) = check_json(dir.path(), &["--mypy", path.to_str().unwrap()]);
        assert_eq!(code, 1, "{report}");
        assert_eq!(r["summary"]["type_errors"]["errors"], want, "{report}");
        let g = gate(&r, "type-errors");
        assert_eq!(
            (g["status"].as_str(), g["actual"].as_f64()),
            (Some("fail"), Some(3.0)),
            "{report}"
        );
        assert_eq!(find(&r["files"], "path", "app/orders.py")["type_errors"], 3);
        assert_eq!(find(&r["files"], "path", "app/ok.py")["type_errors"], 0);
        let first = &r["findings"][0];
        assert_eq!(
            (
                first["rule"].as_str(),
                first["line"].as_u64(),
                first["function"].as_str(),
                first["source"].as_str()
            ),
            (Some("return-value"), Some(12), Some("label"), Some("mypy")),
            "{report}"
        );
    }
    // Columns: JSON's 0-based column 11 and the text's 1-based 12 are the same place.
    let json = dir.path().join("reports/mypy.json");
    let (_, r) = check_json(dir.path(), &["--mypy", json.to_str().unwrap()]);
    assert_eq!(r["findings"][0]["column"], 12);
}

#[test]
fn without_a_report_the_gate_is_skipped_with_the_reason() {
    let dir = project("typeproj");
    let (code, r) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    let g = gate(&r, "type-errors");
    assert_eq!(
        (g["status"].as_str(), g["message"].as_str()),
        (Some("skipped"), Some("no mypy report given (--mypy FILE)"))
    );
}

#[test]
fn a_qgate_ignore_comment_silences_one_type_error() {
    let dir = project("typeproj");
    let orders = dir.path().join("app/orders.py");
    let text = std::fs::read_to_string(&orders).unwrap();
    std::fs::write(
        &orders,
        text.replace(
            "return count  # returns",
            "return count  # qgate: ignore[return-value] returns",
        ),
    )
    .unwrap();
    let json = dir.path().join("reports/mypy.json");
    let (_, r) = check_json(dir.path(), &["--mypy", json.to_str().unwrap()]);
    assert_eq!(r["summary"]["type_errors"]["errors"], 2);
}

#[test]
fn malformed_and_truncated_reports_exit_2_with_the_place_and_a_hint() {
    let dir = project("typeproj");
    let json = std::fs::read_to_string(dir.path().join("reports/mypy.json")).unwrap();
    let cut = &json[..json.len() - 40];
    std::fs::write(dir.path().join("cut.json"), cut).unwrap();
    let out = qgate()
        .current_dir(dir.path())
        .args(["check", ".", "--mypy", "cut.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("qgate: error: ") && stderr.contains("cut.json:3:167: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("not a mypy JSON message") && stderr.contains("mypy --output json"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(dir.path().join("reports/mypy.txt")).unwrap();
    let first_line: String = text.lines().next().unwrap().to_owned() + "\n";
    std::fs::write(dir.path().join("cut.txt"), first_line).unwrap();
    let out = qgate()
        .current_dir(dir.path())
        .args(["check", ".", "--mypy", "cut.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cut.txt") && stderr.contains("no mypy summary line"),
        "{stderr}"
    );
}
