//! `qgate merge`: the shard reports of fixtures/monorepo, split three ways, merge into the
//! report one run over the whole fixture writes — numbers, gates, clones, findings, inputs.

mod common;

use std::path::Path;

use common::{git_project, qgate};

/// The whole-repository reports every Python shard is given (real coverage.py and Bandit output,
/// scripts/monorepo-fixture.sh).
const REPORTS: [&str; 4] = [
    "--coverage",
    "reports/coverage.xml",
    "--bandit",
    "reports/bandit.json",
];

/// Runs `qgate <args>` in `dir`; returns the exit code and stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = qgate().current_dir(dir).args(args).output().expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn read(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).expect("report written")).expect("JSON")
}

/// `qgate check PATHS… --format json -o NAME` in `dir`, with `extra` flags.
fn shard(dir: &Path, name: &str, paths: &[&str], extra: &[&str]) -> i32 {
    let mut args = vec!["check"];
    args.extend(paths);
    args.extend(["--format", "json", "-o", name]);
    args.extend(extra);
    run(dir, &args).0
}

/// The fixture as three CI shards: `billing`, `shipping` with the tests, and the Rust crate
/// (no Python reports), each with `--report-fingerprints` unless `fingerprints` is false.
fn three_shards(dir: &Path, fingerprints: bool) {
    let flag: &[&str] = if fingerprints {
        &["--report-fingerprints"]
    } else {
        &[]
    };
    let python: Vec<&str> = REPORTS.iter().chain(flag).copied().collect();
    assert_eq!(shard(dir, "billing.json", &["billing"], &python), 1);
    assert_eq!(
        shard(dir, "shipping.json", &["shipping", "tests"], &python),
        1
    );
    assert_eq!(shard(dir, "ledger.json", &["ledger"], flag), 0);
}

/// `qgate merge` of the three shards into merged.json.
fn merge_three(dir: &Path) -> (i32, String) {
    let shards = ["billing.json", "shipping.json", "ledger.json"];
    let args: Vec<&str> = ["merge"]
        .into_iter()
        .chain(shards)
        .chain(["-o", "merged.json"])
        .collect();
    run(dir, &args)
}

#[test]
fn three_shards_merge_into_the_report_of_one_run() {
    let dir = git_project("monorepo");
    let whole: Vec<&str> = REPORTS
        .iter()
        .copied()
        .chain(["--report-fingerprints"])
        .collect();
    assert_eq!(shard(dir.path(), "whole.json", &[], &whole), 1);
    three_shards(dir.path(), true);

    let (code, stderr) = merge_three(dir.path());
    assert_eq!(code, 1, "{stderr}");
    let (one_run, merged) = (
        read(&dir.path().join("whole.json")),
        read(&dir.path().join("merged.json")),
    );
    assert_eq!(merged, one_run);

    // What the equality covers, pinned: the clone that crosses shards fails duplication, which
    // no shard alone sees; totals come from per-file data.
    let summary = &merged["summary"];
    assert_eq!(summary["files"], 7);
    assert_eq!(summary["functions"], 11);
    assert_eq!(summary["duplication"]["percent"], 24.39);
    assert_eq!(summary["coverage"]["percent"], 47.44);
    assert_eq!(summary["coverage"]["not_found_entries"], 0);
    assert_eq!(summary["security"]["high"], 1);
    let clone = &merged["duplication"]["clones"][0];
    assert_eq!(clone["fragments"][0]["path"], "billing/invoice.py");
    assert_eq!(clone["fragments"][1]["path"], "shipping/rates.py");
    let billing = read(&dir.path().join("billing.json"));
    assert_eq!(billing["summary"]["duplication"]["percent"], 0.0);
    let failing: Vec<&str> = merged["gates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["status"] == "fail")
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        failing,
        ["duplication", "coverage", "type-hints", "security"]
    );
    // Each Bandit finding once, though both Python shards read the report.
    assert_eq!(merged["findings"].as_array().unwrap().len(), 2);
}

#[test]
fn shards_without_fingerprints_merge_with_a_warning_and_their_own_clones() {
    let dir = git_project("monorepo");
    three_shards(dir.path(), false);
    let (code, stderr) = merge_three(dir.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "billing.json, shipping.json, ledger.json carry no clone fingerprints: clones across shards are not found"
        ),
        "{stderr}"
    );
    let merged = read(&dir.path().join("merged.json"));
    assert_eq!(merged["summary"]["duplication"]["clones"], 0);
    assert_eq!(merged["summary"]["coverage"]["percent"], 47.44);
}

#[test]
fn a_file_in_two_shards_is_rejected() {
    let dir = git_project("monorepo");
    assert_eq!(shard(dir.path(), "a.json", &["billing"], &[]), 1);
    assert_eq!(shard(dir.path(), "b.json", &["billing/invoice.py"], &[]), 1);
    let (code, stderr) = run(dir.path(), &["merge", "a.json", "b.json"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "qgate: error: b.json: `billing/invoice.py` is also in a.json — give each shard its own directories (`qgate check packages/a`), so no file is counted twice\n"
    );
}

#[test]
fn shards_with_another_threshold_are_rejected() {
    let dir = git_project("monorepo");
    assert_eq!(
        shard(
            dir.path(),
            "a.json",
            &["billing"],
            &["--threshold", "complexity=4"]
        ),
        1
    );
    assert_eq!(
        shard(
            dir.path(),
            "b.json",
            &["ledger"],
            &["--threshold", "complexity=4"]
        ),
        0
    );
    let (code, stderr) = run(dir.path(), &["merge", "a.json", "b.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "qgate: error: a.json: gate `complexity` is max-average <= 10, max-function <= 4 there, is max-average <= 10, max-function <= 20 in this merge's configuration"
        ),
        "{stderr}"
    );
    // The shards' threshold given to the merge too: accepted.
    let (code, stderr) = run(
        dir.path(),
        &["merge", "a.json", "b.json", "--threshold", "complexity=4"],
    );
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn a_damaged_shard_names_its_file_and_line() {
    let dir = git_project("monorepo");
    std::fs::write(
        dir.path().join("bad.json"),
        "{\n  \"schema_version\": 1,\n  oops",
    )
    .unwrap();
    let (code, stderr) = run(dir.path(), &["merge", "bad.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("qgate: error: bad.json:3:3: not a qgate JSON report:"),
        "{stderr}"
    );
}

#[test]
fn a_baseline_is_matched_on_the_merged_report_as_on_one_run() {
    let dir = git_project("monorepo");
    let path = dir.path();
    let (code, stderr) = run(path, &["baseline", "-o", "baseline.json"]);
    assert_eq!(code, 0, "{stderr}");
    let with_baseline = ["--report-fingerprints", "--baseline", "baseline.json"];
    assert_eq!(shard(path, "whole.json", &[], &with_baseline), 1);
    assert_eq!(
        shard(
            path,
            "python.json",
            &["billing", "shipping", "tests"],
            &with_baseline
        ),
        1
    );
    assert_eq!(shard(path, "ledger.json", &["ledger"], &with_baseline), 0);
    // Without the baseline the merge cannot tell known offenders from new ones.
    let (code, stderr) = run(
        path,
        &["merge", "python.json", "ledger.json", "-o", "merged.json"],
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "qgate: error: python.json: the shard was checked against the baseline `baseline.json` — pass the same `--baseline FILE` to `qgate merge`, which matches it against the merged report\n"
    );
    let (code, stderr) = run(
        path,
        &[
            "merge",
            "python.json",
            "ledger.json",
            "--baseline",
            "baseline.json",
            "-o",
            "merged.json",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let (merged, one_run) = (
        read(&path.join("merged.json")),
        read(&path.join("whole.json")),
    );
    assert_eq!(merged["baseline"], one_run["baseline"]);
    assert_eq!(merged, one_run);
    // The baseline forgives the clone both runs know.
    assert_eq!(
        merged["baseline"]["known"]["clones"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}
