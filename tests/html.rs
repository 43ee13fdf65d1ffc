//! The HTML report read back with an HTML parser: one self-contained page whose policy allows
//! only its own style and script, whose data renders as text, and that `qgate report` renders
//! the same from a saved JSON report.

mod common;

use common::{fixtures, project, qgate};
use scraper::{Html, Selector};
use sha2::{Digest, Sha256};

fn render(dir: &std::path::Path, extra: &[&str]) -> String {
    let out = qgate()
        .current_dir(dir)
        .args(["check", ".", "--format", "html", "--exit-zero"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn select<'a>(page: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    page.select(&Selector::parse(css).unwrap()).collect()
}

/// The page's embedded data, parsed as the script parses it.
fn data(page: &Html) -> serde_json::Value {
    let script = select(page, "script#qgate-data");
    serde_json::from_str(&script[0].text().collect::<String>()).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    // Independent of the renderer's encoder: via the `base64` alphabet, spelled out.
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = String::new();
    for b in bytes {
        bits.push_str(&format!("{b:08b}"));
    }
    while !bits.len().is_multiple_of(6) {
        bits.push('0');
    }
    let mut out: String = bits
        .as_bytes()
        .chunks(6)
        .map(|c| A[usize::from_str_radix(std::str::from_utf8(c).unwrap(), 2).unwrap()] as char)
        .collect();
    while !out.len().is_multiple_of(4) {
        out.push('=');
    }
    out
}

#[test]
fn the_policy_is_first_in_head_and_allows_only_the_pages_own_style_and_script() {
    let dir = project("coverage");
    let html = render(dir.path(), &["--coverage", "reports/branch.xml"]);
    let page = Html::parse_document(&html);
    let head = select(&page, "head")[0];
    let first = head
        .children()
        .filter_map(scraper::ElementRef::wrap)
        .next()
        .unwrap();
    assert_eq!(first.value().name(), "meta");
    assert_eq!(
        first.value().attr("http-equiv"),
        Some("Content-Security-Policy")
    );
    let policy = first.value().attr("content").unwrap();
    let style: String = select(&page, "style")[0].text().collect();
    let scripts: Vec<String> = select(&page, "script:not([type])")
        .iter()
        .map(|s| s.text().collect())
        .collect();
    assert_eq!(scripts.len(), 1);
    let hash = |t: &str| format!("'sha256-{}'", b64(&Sha256::digest(t.as_bytes())));
    assert_eq!(
        policy,
        format!(
            "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
            hash(&scripts[0]),
            hash(&style)
        )
    );
    // Nothing is fetched: no src or href leaves the page, no stylesheet link, no @import.
    let external = select(&page, "[src], link, iframe, object, embed");
    assert!(
        external.is_empty(),
        "{:?}",
        external.iter().map(|e| e.value()).collect::<Vec<_>>()
    );
    for a in select(&page, "[href]") {
        let href = a.value().attr("href").unwrap();
        assert!(href.starts_with('#'), "{href}");
    }
    assert!(!style.contains("@import") && !style.contains("url("));
}

#[test]
fn the_gate_table_says_each_status_and_the_offenders() {
    let dir = project("coverage");
    let html = render(dir.path(), &["--coverage", "reports/branch.xml"]);
    let page = Html::parse_document(&html);
    let statuses: Vec<(String, String)> = select(&page, "tr.gate")
        .iter()
        .map(|r| {
            (
                r.value().attr("data-gate").unwrap().to_owned(),
                r.value().attr("data-status").unwrap().to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("parse-errors", "pass"),
        ("complexity", "pass"),
        ("cognitive", "pass"),
        ("maintainability", "pass"),
        ("duplication", "pass"),
        ("coverage", "fail"),
        ("type-hints", "fail"),
        ("security", "skipped"),
        ("pylint-score", "skipped"),
        ("type-errors", "skipped"),
        ("vulnerabilities", "skipped"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(statuses, want);
    let verdict: String = select(&page, "#verdict")[0].text().collect();
    assert_eq!(verdict, "FAIL: 2 of 7 evaluated gates failed");
    let places: Vec<String> = select(&page, "tr[data-gate=coverage] a.place")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(places, ["shop/cart.py:15"]);
    // The partly covered file's source and line data are in the page.
    let d = data(&page);
    let files: Vec<&str> = d["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[0].as_str().unwrap())
        .collect();
    let cart = files.iter().position(|p| *p == "shop/cart.py").unwrap();
    let detail = &d["details"][cart.to_string()];
    assert_eq!(detail["cov"]["m"], serde_json::json!([15, 21, 31, 32, 33]));
    assert_eq!(detail["src"][14], "        return 15");
}

#[test]
fn hostile_names_source_and_messages_are_text() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "<img src=x onerror=alert(1)>.py";
    let payload = "</script><script>document.title='pwned'</script><!-- javascript:alert(1)";
    std::fs::write(
        dir.path().join(evil),
        format!("TEXT = \"{payload}\"\n\n\ndef f(a):\n    return a\n"),
    )
    .unwrap();
    let sarif = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "evil<b>", "rules": [{"id": "X1", "helpUri": "javascript:alert(1)"}]}},
                  "results": [{"ruleId": "X1", "level": "error", "message": {"text": payload},
                               "locations": [{"physicalLocation": {"artifactLocation": {"uri": evil}, "region": {"startLine": 1}}}]}]}]
    });
    std::fs::write(dir.path().join("evil.sarif"), sarif.to_string()).unwrap();
    let html = render(dir.path(), &["--sarif", "evil.sarif"]);
    assert!(!html.contains("<img src=x"), "raw markup from data");
    assert!(!html.contains(payload), "raw payload");
    let data_start = html.find("<script type=\"application/json\"").unwrap();
    let data_end = data_start + html[data_start..].find("</script>").unwrap();
    let outside = format!("{}{}", &html[..data_start], &html[data_end..]);
    assert!(
        !outside.contains("javascript:"),
        "javascript: outside the escaped data"
    );
    let page = Html::parse_document(&html);
    assert!(select(&page, "img, body script:not([type]) ~ script").is_empty());
    assert_eq!(select(&page, "script").len(), 2);
    let title: String = select(&page, "title")[0].text().collect();
    assert_eq!(title, "qgate report");
    // The data holds the exact strings, for the script to set as text.
    let d = data(&page);
    assert_eq!(d["files"][0][0], evil);
    let finding = &d["details"]["0"]["fi"][0];
    assert_eq!(finding[3], payload);
    assert_eq!(
        finding[5],
        serde_json::Value::Null,
        "only http(s) help links"
    );
    // The offender list in the gate table shows the name as text.
    let text: String = select(&page, "#gates")[0].text().collect();
    assert!(text.contains(evil), "{text}");
}

#[test]
fn qgate_report_renders_the_same_page_from_saved_json() {
    let dir = project("coverage");
    let direct = render(dir.path(), &["--coverage", "reports/branch.xml"]);
    let saved = qgate()
        .current_dir(dir.path())
        .args([
            "check",
            ".",
            "--coverage",
            "reports/branch.xml",
            "--format",
            "json",
            "-o",
            "r.json",
            "--exit-zero",
        ])
        .output()
        .unwrap();
    assert_eq!(saved.status.code(), Some(0));
    let again = qgate()
        .current_dir(dir.path())
        .args(["report", "r.json", "--format", "html"])
        .output()
        .unwrap();
    // The exit status `check` gives this report: its coverage gate fails.
    assert_eq!(
        again.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(String::from_utf8(again.stdout).unwrap(), direct);
    let bad = qgate()
        .current_dir(dir.path())
        .args(["report", "reports/branch.xml"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .starts_with("qgate: error: reports/branch.xml:1:1: not a qgate JSON report")
    );
}

#[test]
fn without_source_or_over_budget_the_page_says_what_it_left_out() {
    let dir = project("coverage");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "version = 1\n[html]\nsource-budget = 100\n",
    )
    .unwrap();
    let html = render(dir.path(), &["--coverage", "reports/branch.xml"]);
    let page = Html::parse_document(&html);
    let left: String = select(&page, "#left-out")[0].text().collect();
    assert!(left.contains("2 wanted files are not embedded"), "{left}");
    assert!(left.contains("shop/cart.py: over the source budget (0 of 100 bytes used, this file 619; `[html] source-budget`)"), "{left}");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "version = 1\n[html]\nsource = false\n",
    )
    .unwrap();
    let html = render(dir.path(), &["--coverage", "reports/branch.xml"]);
    assert!(!html.contains("return 15"));
    let page = Html::parse_document(&html);
    let note: String = select(&page, "#source-note")[0].text().collect();
    assert_eq!(note, "Source is not embedded (`[html] source = false`).");
    let _ = fixtures();
}
