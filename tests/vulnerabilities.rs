//! Dependency audits (pip-audit, cargo audit) as findings at their declarations and the
//! `vulnerabilities` gate, on the auditproj fixture (fixtures/auditproj/reports/README.md says
//! how its reports were made).

mod common;

use common::{check_json, find, project, qgate};

fn gate<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    find(&report["gates"], "id", id)
}

fn audit(dir: &std::path::Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec![
        "--pip-audit",
        "reports/pip-audit.json",
        "--cargo-audit",
        "reports/cargo-audit.json",
    ];
    args.extend_from_slice(extra);
    let out = qgate()
        .current_dir(dir)
        .args(["check", ".", "--format", "json"])
        .args(&args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap(), json)
}

/// The tools' own counts: pip-audit's `vulns` over its dependencies, cargo audit's
/// `vulnerabilities.count`.
fn tool_counts(dir: &std::path::Path) -> (u64, u64) {
    let read = |p: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(p)).unwrap()).unwrap()
    };
    let pip = read("reports/pip-audit.json");
    let pip_count = pip["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["vulns"].as_array().map_or(0, Vec::len) as u64)
        .sum();
    (
        pip_count,
        read("reports/cargo-audit.json")["vulnerabilities"]["count"]
            .as_u64()
            .unwrap(),
    )
}

#[test]
fn counts_equal_the_tools_own_and_findings_sit_at_the_declarations() {
    let dir = project("auditproj");
    let (pip, cargo) = tool_counts(dir.path());
    assert_eq!((pip, cargo), (3, 1));
    let (code, r) = audit(dir.path(), &[]);
    assert_eq!(code, 1);
    let v = &r["summary"]["vulnerabilities"];
    assert_eq!(
        (
            v["vulnerabilities"].as_u64(),
            v["count"].as_u64(),
            v["fixable"].as_u64(),
            v["warnings"].as_u64()
        ),
        (Some(pip + cargo), Some(pip + cargo), Some(3), Some(1))
    );
    let g = gate(&r, "vulnerabilities");
    assert_eq!(
        (g["status"].as_str(), g["actual"].as_f64()),
        (Some("fail"), Some(4.0))
    );
    let places: Vec<(String, u64, String)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["advisory"].is_object())
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("Cargo.lock".to_owned(), 5, "RUSTSEC-2021-0139".to_owned()),
            ("Cargo.lock".to_owned(), 18, "RUSTSEC-2020-0071".to_owned()),
            ("requirements.txt".to_owned(), 3, "PYSEC-2018-28".to_owned()),
            (
                "requirements.txt".to_owned(),
                4,
                "GHSA-h5c8-rqwp-cp95".to_owned()
            ),
            (
                "requirements.txt".to_owned(),
                4,
                "PYSEC-2019-217".to_owned()
            ),
        ]
    );
    let requests = find(&r["findings"], "rule", "PYSEC-2018-28");
    assert_eq!(
        requests["message"],
        "requests 2.19.0 (CVE-2018-18074, GHSA-x84v-xcm2-53pg): The Requests package before 2.20.0 for Python sends an HTTP Authorization header to an http URI upon receiving a same-hostname https-to-http redirect, which makes it easier for remote attackers to discover credentials by sniffing the network.; fixed in 2.20.0"
    );
    assert_eq!(
        requests["advisory"]["fix_versions"],
        serde_json::json!(["2.20.0"])
    );
    // The offenders are the counted ones: not the unmaintained warning.
    let offenders: Vec<&str> = g["offenders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["path"].as_str().unwrap())
        .collect();
    assert_eq!(offenders.len(), 4);
}

#[test]
fn fixable_only_include_warnings_and_the_allow_list_change_the_count() {
    let dir = project("auditproj");
    let config = |text: &str| {
        std::fs::write(
            dir.path().join("qgate.toml"),
            format!("version = 1\n{text}"),
        )
        .unwrap()
    };
    config("[vulnerabilities]\nfixable-only = true\n");
    let (_, r) = audit(dir.path(), &[]);
    assert_eq!(r["summary"]["vulnerabilities"]["count"], 3);
    config("[vulnerabilities]\ninclude-warnings = true\n");
    let (_, r) = audit(dir.path(), &[]);
    assert_eq!(r["summary"]["vulnerabilities"]["count"], 5);
    // An alias silences; an unexpired entry counts as allowed.
    config(
        "[[vulnerabilities.allow]]\nid = \"CVE-2018-18074\"\nreason = \"we never follow redirects\"\nuntil = \"2999-12-31\"\n",
    );
    let (_, r) = audit(dir.path(), &[]);
    assert_eq!(
        (
            r["summary"]["vulnerabilities"]["count"].as_u64(),
            r["summary"]["vulnerabilities"]["allowed"].as_u64()
        ),
        (Some(3), Some(1))
    );
    assert_eq!(
        r["inputs"]["audit"]["allowed"][0]["reason"],
        "we never follow redirects"
    );
    // Expired: it silences nothing, and the finding and a warning say so.
    config(
        "[[vulnerabilities.allow]]\nid = \"PYSEC-2018-28\"\nreason = \"waiting for the upgrade\"\nuntil = \"2020-01-31\"\n",
    );
    let (code, r) = audit(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(r["summary"]["vulnerabilities"]["count"], 4);
    let g = gate(&r, "vulnerabilities");
    let text = serde_json::to_string(&g["offenders"]).unwrap();
    assert!(
        text.contains("the allow-list entry `PYSEC-2018-28` expired on 2020-01-31"),
        "{text}"
    );
    // Every entry needs a reason and a date that is one.
    config("[[vulnerabilities.allow]]\nid = \"PYSEC-2018-28\"\nreason = \" \"\n");
    let (code, _) = audit(dir.path(), &[]);
    assert_eq!(code, 2);
    config(
        "[[vulnerabilities.allow]]\nid = \"PYSEC-2018-28\"\nreason = \"x\"\nuntil = \"31/01/2027\"\n",
    );
    let out = qgate()
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("until = \"31/01/2027\" is not a date — write it as YYYY-MM-DD")
    );
}

#[test]
fn without_a_report_the_gate_is_skipped_and_malformed_reports_exit_2() {
    let dir = project("auditproj");
    let (code, r) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(
        gate(&r, "vulnerabilities")["message"],
        "no dependency audit given (--pip-audit FILE, --cargo-audit FILE)"
    );
    let full = std::fs::read_to_string(dir.path().join("reports/cargo-audit.json")).unwrap();
    std::fs::write(dir.path().join("cut.json"), &full[..200]).unwrap();
    let out = qgate()
        .current_dir(dir.path())
        .args(["check", ".", "--cargo-audit", "cut.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cut.json:1:200: not a cargo audit JSON report")
            && stderr.contains("truncated"),
        "{stderr}"
    );
    std::fs::write(dir.path().join("bad.json"), "{\"dependencies\": 3}").unwrap();
    let out = qgate()
        .current_dir(dir.path())
        .args(["check", ".", "--pip-audit", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.json:1:") && stderr.contains("pip-audit -f json"),
        "{stderr}"
    );
}
