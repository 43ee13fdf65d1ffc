//! Coverage ingestion end to end, on reports coverage.py really wrote for `fixtures/coverage`
//! (coverage.py 7.17.5, with and without `--branch`; the XML's `<source>` was rewritten to a CI
//! runner's path, as a report made on another machine has it) and on cargo-llvm-cov- and
//! tarpaulin-shaped reports for the sample's Rust file.

mod common;

use common::{check_json, find, fixtures, project, qgate, run_in, stderr_in};
use predicates::prelude::*;

/// coverage.py's own TOTAL for a run, from `coverage report --precision 2` saved beside it.
fn coverage_py_total(mode: &str) -> f64 {
    let text =
        std::fs::read_to_string(fixtures().join(format!("coverage/reports/{mode}-TOTAL.txt")))
            .unwrap();
    text.split_whitespace()
        .last()
        .unwrap()
        .trim_end_matches('%')
        .parse()
        .unwrap()
}

#[test]
fn totals_equal_coverage_py_for_every_format_with_and_without_branches() {
    // Hand-checked: 24 statements, 5 missed (79.17 %); with branches 14 branches, 2 partial
    // (24 - 5 + 14 - 3) / (24 + 14) = 76.32 %.
    assert_eq!(coverage_py_total("line"), 79.17);
    assert_eq!(coverage_py_total("branch"), 76.32);
    let dir = project("coverage");
    for mode in ["line", "branch"] {
        for format in ["xml", "json", "lcov"] {
            let report = dir.path().join(format!("reports/{mode}.{format}"));
            let (_, json) = check_json(
                dir.path(),
                &["--coverage", report.to_str().unwrap(), "--exit-zero"],
            );
            let got = json["summary"]["coverage"]["percent"].as_f64().unwrap();
            assert!(
                (got - coverage_py_total(mode)).abs() < 0.01,
                "{mode} {format}: {got}"
            );
            assert_eq!(
                json["summary"]["coverage"]["matched_entries"], 2,
                "{mode} {format}"
            );
        }
    }
}

#[test]
fn per_file_and_per_function_coverage() {
    let dir = project("coverage");
    let report = dir.path().join("reports/branch.json");
    let (code, json) = check_json(dir.path(), &["--coverage", report.to_str().unwrap()]);
    assert_eq!(code, 1, "76 % is below the default 85 %");
    let cart = find(&json["files"], "path", "shop/cart.py");
    let c = &cart["coverage"];
    assert_eq!(
        (c["lines_valid"].as_u64(), c["lines_covered"].as_u64()),
        (Some(24), Some(19))
    );
    assert_eq!(
        (c["branches_valid"].as_u64(), c["branches_covered"].as_u64()),
        (Some(14), Some(10))
    );
    assert_eq!(c["missing_lines"], serde_json::json!([15, 21, 31, 32, 33]));
    let untested = find(&cart["functions"], "name", "untested");
    // The `def` line itself ran (at import); its three body lines did not.
    assert_eq!(untested["coverage"].as_f64(), Some(25.0));
    let total = find(&cart["functions"], "name", "total");
    assert_eq!(total["coverage"].as_f64(), Some(100.0));
    let gate = find(&json["gates"], "id", "coverage");
    assert_eq!(
        (gate["status"].as_str(), gate["actual"].as_f64()),
        (Some("fail"), Some(76.32))
    );
}

#[test]
fn rust_reports_from_another_machine_map_and_dependencies_are_outside() {
    let dir = project("sample");
    for report in ["coverage/rust/llvm-cov.lcov", "coverage/rust/tarpaulin.xml"] {
        let path = fixtures().join(report);
        let (_, json) = check_json(
            dir.path(),
            &["--coverage", path.to_str().unwrap(), "--exit-zero"],
        );
        let cov = &json["summary"]["coverage"];
        // Hand-checked: 15 lines with data, 9 executed.
        assert_eq!(
            (
                cov["lines_valid"].as_u64(),
                cov["lines_covered"].as_u64(),
                cov["percent"].as_f64()
            ),
            (Some(15), Some(9), Some(60.0)),
            "{report}"
        );
        let lib = find(&json["files"], "path", "src/lib.rs");
        assert_eq!(
            lib["coverage"]["missing_lines"],
            serde_json::json!([18, 21, 52, 53, 54, 56]),
            "{report}"
        );
    }
    let lcov = fixtures().join("coverage/rust/llvm-cov.lcov");
    let (_, json) = check_json(
        dir.path(),
        &["--coverage", lcov.to_str().unwrap(), "--exit-zero"],
    );
    assert_eq!(json["summary"]["coverage"]["outside_entries"], 1);
}

#[test]
fn merged_reports_take_the_hit_of_either() {
    let dir = project("sample");
    let a = dir.path().join("a.lcov");
    let b = dir.path().join("b.lcov");
    std::fs::write(&a, "SF:src/lib.rs\nDA:11,1\nDA:12,0\nend_of_record\n").unwrap();
    std::fs::write(&b, "SF:src/lib.rs\nDA:12,3\nDA:13,0\nend_of_record\n").unwrap();
    let (_, json) = check_json(
        dir.path(),
        &[
            "--coverage",
            a.to_str().unwrap(),
            "--coverage",
            b.to_str().unwrap(),
            "--exit-zero",
        ],
    );
    let cov = &json["summary"]["coverage"];
    assert_eq!(
        (cov["lines_valid"].as_u64(), cov["lines_covered"].as_u64()),
        (Some(3), Some(2))
    );
}

#[test]
fn reports_that_cannot_be_used_exit_2_with_the_reason() {
    let dir = project("sample");
    let cases: [(&str, &[u8], &str); 8] = [
        (
            "index.html",
            b"<!DOCTYPE html>\n<html lang=\"en\"><head><title>Coverage report</title></head></html>",
            "this is an HTML page (coverage.py's HTML report?), not a coverage report — pass the XML, JSON or LCOV report instead: `coverage xml` writes coverage.xml",
        ),
        ("page.xml", b"<html><body/></html>", "this is an HTML page"),
        ("nothing.xml", b"<coverage><packages><package><classes><class filename=\"other/x.py\"><lines><line number=\"1\" hits=\"1\"/></lines></class></classes></package></packages></coverage>", "no entry of the coverage report(s) matches an analysed file"),
        ("trunc.xml", b"<coverage><packages><package><classes><class filename=\"src/lib.rs\"><lines><line num", "trunc.xml:1:"),
        ("jacoco.xml", b"<?xml version=\"1.0\"?><report name=\"x\"></report>", "JaCoCo"),
        ("utf16.json", b"\xFF\xFE{\x00}\x00", "UTF-16"),
        (".coverage", b"SQLite format 3\x00rest", "run `coverage xml`"),
        ("empty.xml", b"", "empty"),
    ];
    for (name, content, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        qgate()
            .arg("check")
            .arg(dir.path())
            .arg("--coverage")
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--coverage", "missing.xml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no coverage report here"));
}

#[test]
fn required_coverage_without_a_report_exits_2() {
    let dir = project("sample");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[gates]\ncoverage = { required = true }\n",
    )
    .unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("gate `coverage` is required"));
    std::fs::write(dir.path().join("qgate.toml"), "").unwrap();
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    let gate = find(&json["gates"], "id", "coverage");
    assert_eq!(gate["status"], "skipped");
}

#[test]
fn configured_reports_and_min_file() {
    let dir = project("coverage");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[coverage]\nreports = [\"reports/line.xml\"]\n[gates]\ncoverage = { min = 50.0, min-file = 90.0 }\n",
    )
    .unwrap();
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let gate = find(&json["gates"], "id", "coverage");
    assert_eq!(
        gate["message"],
        "min: 79.17 >= 50; min-file: 79.17 (must be >= 90)"
    );
}

#[test]
fn stale_lines_are_dropped_with_a_warning() {
    let dir = project("sample");
    let report = dir.path().join("stale.lcov");
    std::fs::write(&report, "SF:src/lib.rs\nDA:11,1\nDA:812,1\n").unwrap();
    let out = qgate()
        .arg("check")
        .arg(dir.path())
        .arg("--coverage")
        .arg(&report)
        .args(["--format", "json", "--exit-zero"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["coverage"]["lines_valid"], 1);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("coverage for src/lib.rs looks stale (line 812 > 57 lines)"),
        "{stderr}"
    );
    assert!(stderr.contains("no `end_of_record`"), "{stderr}");
}

/// R11: a 200 MB Cobertura report is streamed. Slow (it writes 200 MB), so run on demand:
/// `cargo test --release --test coverage -- --ignored` (`scripts/large-cobertura.sh` times it).
#[test]
#[ignore = "writes a 200 MB report; run with --ignored"]
#[cfg(target_os = "linux")]
fn a_200_mb_cobertura_report_is_streamed_in_bounded_memory() {
    use std::io::Write;
    let dir = project("sample");
    let path = dir.path().join("large.xml");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let lines: String = (1..=60)
        .map(|n| format!(r#"<line number="{n}" hits="{}"/>"#, n % 3))
        .collect();
    write!(
        out,
        "<?xml version=\"1.0\" ?>\n<coverage><sources><source>/elsewhere/proj</source></sources>\
         <packages><package name=\"p\"><classes>\n\
         <class name=\"stock.py\" filename=\"inventory/stock.py\"><lines>{lines}</lines></class>\n"
    )
    .unwrap();
    let mut written = 0usize;
    let mut classes = 0usize;
    while written < 200 * 1024 * 1024 {
        let class = format!(
            "<class name=\"m{classes}.py\" filename=\"vendor/gen/m{classes}.py\"><lines>{lines}</lines></class>\n"
        );
        out.write_all(class.as_bytes()).unwrap();
        written += class.len();
        classes += 1;
    }
    out.write_all(b"</classes></package></packages></coverage>\n")
        .unwrap();
    out.flush().unwrap();
    drop(out);

    let (_, json) = check_json(
        dir.path(),
        &["--coverage", path.to_str().unwrap(), "--exit-zero"],
    );
    let coverage = &json["summary"]["coverage"];
    assert_eq!(coverage["matched_entries"], 1);
    assert_eq!(coverage["not_found_entries"], classes);
    // Lines 1–60, hit unless the line number is a multiple of 3: 40 of 60.
    assert_eq!(coverage["percent"], 66.67);

    // Peak RSS of the largest finished child (the qgate run), in KiB on Linux.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage for getrusage to fill.
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    let peak_mib = usage.ru_maxrss / 1024;
    assert!(
        (1..100).contains(&peak_mib),
        "qgate peaked at {peak_mib} MiB"
    );
}

/// Runs `check` on the coverage fixture with extra arguments; returns (code, report, stderr).
fn check_coverage(dir: &std::path::Path, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let out = qgate()
        .arg("check")
        .arg(dir)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap();
    (
        out.status.code().unwrap(),
        json,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_non_editable_install_maps_site_packages_onto_the_package() {
    // Reports coverage.py wrote for tests run against an installed wheel of `shop`
    // (scripts/coverage-fixtures.sh): every path is under a venv's site-packages.
    let total: f64 =
        std::fs::read_to_string(fixtures().join("coverage/reports/site-packages-TOTAL.txt"))
            .unwrap()
            .split_whitespace()
            .last()
            .unwrap()
            .trim_end_matches('%')
            .parse()
            .unwrap();
    assert_eq!(total, 76.32);
    let dir = project("coverage");
    for format in ["xml", "json", "lcov"] {
        let report = dir.path().join(format!("reports/site-packages.{format}"));
        let (code, json, stderr) =
            check_coverage(dir.path(), &["--coverage", report.to_str().unwrap()]);
        let cov = &json["summary"]["coverage"];
        assert_eq!(cov["percent"].as_f64(), Some(total), "{format}");
        assert_eq!(cov["matched_entries"], 2, "{format}");
        assert_eq!(code, 1, "{format}: 76.32 % fails the default 85 %");
        // The tests were not measured (`--source=shop`): named, not counted.
        assert!(
            stderr.contains(
                "1 analysed file(s) appear in no coverage report, e.g. `tests/test_cart.py`"
            ),
            "{format}: {stderr}"
        );
        assert!(
            !stderr.contains("match no analysed file"),
            "{format}: {stderr}"
        );
    }
}

#[test]
fn a_partly_stale_report_warns_naming_what_did_not_map() {
    let dir = project("coverage");
    let lcov = dir.path().join("stale.lcov");
    std::fs::write(
        &lcov,
        "SF:shop/cart.py\nDA:4,1\nDA:5,1\nDA:15,0\nend_of_record\nSF:shop/gone.py\nDA:1,0\nDA:2,0\nend_of_record\n",
    )
    .unwrap();
    let (_, json, stderr) = check_coverage(dir.path(), &["--coverage", lcov.to_str().unwrap()]);
    assert_eq!(json["summary"]["coverage"]["percent"].as_f64(), Some(66.67));
    assert_eq!(json["summary"]["coverage"]["not_found_entries"], 1);
    assert_eq!(
        stderr.lines().find(|l| l.contains("stale.lcov")),
        Some(
            "qgate: warning: stale.lcov: 1 of 2 entries match no analysed file and are left out of coverage: 1 not found, e.g. `shop/gone.py`; so qgate's coverage from it is 66.67 % over 1 entry where the report itself says 40 % over 2 — a report older than the checkout lists files since deleted or renamed: regenerate it"
        )
    );
}

#[test]
fn unreported_files_can_count_as_uncovered() {
    let dir = project("coverage");
    let xml = dir.path().join("reports/site-packages.xml");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[coverage]\nunreported = \"uncovered\"\n",
    )
    .unwrap();
    let (_, json, stderr) = check_coverage(dir.path(), &["--coverage", xml.to_str().unwrap()]);
    let test_file = find(&json["files"], "path", "tests/test_cart.py");
    let c = &test_file["coverage"];
    assert_eq!(
        (c["lines_covered"].as_u64(), c["unreported"].as_bool()),
        (Some(0), Some(true))
    );
    let statements = test_file["lloc"].as_u64().unwrap();
    let cov = &json["summary"]["coverage"];
    assert_eq!(cov["lines_valid"].as_u64(), Some(24 + statements));
    // (19 + 10) covered of (24 + 14 + the test file's logical lines).
    let want = (29.0 / (38.0 + statements as f64) * 10000.0).round() / 100.0;
    assert_eq!(cov["percent"].as_f64(), Some(want));
    assert!(stderr.contains("counted as not covered"), "{stderr}");
}

/// `qgate check --coverage FILE` on the passing sample with `text` as the report: exit code and
/// stderr.
fn sample_with_report(name: &str, text: &[u8]) -> (i32, String) {
    let dir = project("sample");
    std::fs::write(dir.path().join(name), text).unwrap();
    let out = run_in(dir.path(), &["check", "-q", "--coverage", name]);
    (out.status.code().unwrap(), stderr_in(&out, dir.path()))
}

const STOCK_COBERTURA: &str = r#"<?xml version="1.0" ?>
<coverage version="7.17.5" lines-valid="2" lines-covered="2" line-rate="1">
<sources><source>.</source></sources>
<packages><package name="inventory"><classes>
<class name="stock.py" filename="inventory/stock.py" line-rate="1"><lines>
<line number="1" hits="1"/>NUL<line number="2" hits="1"/>
</lines></class></classes></package></packages></coverage>
"#;

#[test]
fn r10_a_nul_byte_in_cobertura_exits_2_at_its_place() {
    let (code, _) = sample_with_report("ok.xml", STOCK_COBERTURA.replace("NUL", "").as_bytes());
    assert_eq!(code, 0);
    let (code, stderr) =
        sample_with_report("nul.xml", STOCK_COBERTURA.replace("NUL", "\0").as_bytes());
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "qgate: error: nul.xml:6:28: a NUL byte in the XML — the report is damaged (truncated, or binary data written into it); regenerate it\n"
    );
}

#[test]
fn r17_a_cobertura_report_without_packages_exits_2() {
    let (code, stderr) = sample_with_report(
        "coverage.xml",
        b"<?xml version=\"1.0\"?>\n<coverage version=\"7\" lines-valid=\"0\"></coverage>\n",
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "qgate: error: coverage.xml: a <coverage> element without <packages>: the report holds no coverage data — regenerate it with the coverage tool (the test step may have failed before writing it)\n"
    );
}

#[test]
fn r17_an_empty_coverage_py_json_exits_2() {
    let (code, stderr) = sample_with_report("coverage.json", b"");
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "qgate: error: coverage.json: the coverage report is empty — regenerate it (the test step may have failed)\n"
    );
}

#[test]
fn r18_a_clover_report_given_as_cobertura_exits_2_naming_the_format() {
    let clover = "<?xml version=\"1.0\"?>\n<coverage generated=\"1\" clover=\"4.4.1\"><project timestamp=\"1\"><file name=\"inventory/stock.py\"><line num=\"1\" count=\"1\" type=\"stmt\"/></file></project></coverage>\n";
    let (code, stderr) = sample_with_report("clover.xml", clover.as_bytes());
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "qgate: error: clover.xml:2:1: a Clover XML report, not Cobertura — export Cobertura instead (coverage.py: `coverage xml`; cargo-llvm-cov: `--cobertura`), or LCOV\n"
    );
    // Without the `clover` attribute, its <project> layout gives it away.
    let (code, stderr) = sample_with_report(
        "clover.xml",
        clover.replace(" clover=\"4.4.1\"", "").as_bytes(),
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("<project> elements (Clover's layout)"),
        "{stderr}"
    );
}

#[test]
fn r14_lcov_with_da_before_sf_is_malformed_at_its_line() {
    let (code, stderr) = sample_with_report(
        "lcov.info",
        b"DA:1,1\nSF:inventory/stock.py\nend_of_record\n",
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "qgate: error: lcov.info:1:1: malformed LCOV: `DA` before any `SF:` record — regenerate the tracefile\n"
    );
}

#[test]
fn r13_unusable_cobertura_numbers_are_left_out_with_a_warning_at_their_line() {
    let report = STOCK_COBERTURA
        .replace("NUL", "")
        .replace(r#"<line number="2" hits="1"/>"#, r#"<line number="2" hits="-1"/><line number="abc" hits="1"/><line number="99999999999" hits="1"/>"#);
    let dir = project("sample");
    std::fs::write(dir.path().join("odd.xml"), report).unwrap();
    let (code, json) = check_json(
        dir.path(),
        &["--coverage", &dir.path().join("odd.xml").to_string_lossy()],
    );
    assert_eq!(code, 0);
    let warnings = json["summary"]["coverage"]["warnings"].as_array().unwrap();
    let shown = warnings[0]
        .as_str()
        .unwrap()
        .replace(&format!("{}/", dir.path().display()), "");
    assert_eq!(
        shown,
        "odd.xml:6:28: a <line> with hits=\"-1\" (not a count of 0 or more) (and 2 more) — left out of coverage; regenerate the report"
    );
    // The one good line is kept.
    assert_eq!(
        find(&json["files"], "path", "inventory/stock.py")["coverage"]["lines_valid"],
        1
    );
}

#[test]
fn r10_invalid_utf8_in_a_report_path_names_the_report() {
    let mut report = STOCK_COBERTURA
        .replace("NUL", "")
        .replace("inventory/stock.py", "inventory/\u{1}.py")
        .into_bytes();
    let at = report.iter().position(|&b| b == 1).unwrap();
    report[at] = 0xFF;
    let (code, stderr) = sample_with_report("bad-path.xml", &report);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("qgate: error: bad-path.xml: no entry of the coverage report(s) matches an analysed file: 1 entries, e.g. `inventory/\u{fffd}.py`"),
        "{stderr}"
    );
}
