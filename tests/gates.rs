//! Gates a team can aim and read: scoped to paths, and naming what makes them fail.

mod common;

use common::{check_json, find, project, qgate};
use predicates::prelude::*;

/// A typed package and untyped tests, as most projects have them.
fn typed_package_untyped_tests() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    std::fs::create_dir_all(dir.path().join("tests")).unwrap();
    std::fs::write(
        dir.path().join("pkg/calc.py"),
        "def add(a: int, b: int) -> int:\n    return a + b\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tests/test_calc.py"),
        "from pkg.calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n\n\ndef test_more(x):\n    assert add(x, 2)\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_gate_scoped_away_from_the_tests_passes_on_the_package() {
    let dir = typed_package_untyped_tests();
    let (code, json) = check_json(dir.path(), &[]);
    let gate = find(&json["gates"], "id", "type-hints");
    assert_eq!((code, gate["status"].as_str()), (1, Some("fail")));
    // 3 of 5 slots: the package's 3, none of the tests' 3 (two returns, one parameter).
    assert_eq!(gate["actual"], 50.0);
    let offenders: Vec<&str> = gate["offenders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        offenders,
        [
            "`test_add` lacks annotations: the return",
            "`test_more` lacks annotations: 1 of 1 parameters, the return"
        ]
    );
    for config in [
        "[gates]\ntype-hints = { min = 80, exclude = [\"tests/**\"] }\n",
        "[per-file-ignores]\n\"tests/**\" = [\"type-hints\", \"docstrings\"]\n",
        "[gates]\ntype-hints = { include = [\"pkg\"] }\n",
    ] {
        std::fs::write(dir.path().join("qgate.toml"), config).unwrap();
        let (code, json) = check_json(dir.path(), &[]);
        let gate = find(&json["gates"], "id", "type-hints");
        assert_eq!(
            (code, gate["status"].as_str(), gate["actual"].as_f64()),
            (0, Some("pass"), Some(100.0)),
            "{config}"
        );
        assert!(gate["paths"].is_object(), "{config}");
        // The whole-repository summary is still the whole repository's.
        assert_eq!(json["summary"]["type_hints"]["percent"], 50.0, "{config}");
    }
}

#[test]
fn a_scoped_complexity_gate_raises_no_finding_outside_its_scope() {
    let dir = typed_package_untyped_tests();
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[gates]\ncomplexity = { max-function = 0, exclude = [\"tests/**\"] }\ntype-hints = { enabled = false }\n",
    )
    .unwrap();
    let (_, json) = check_json(dir.path(), &[]);
    let paths: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["pkg/calc.py"]);
}

#[test]
fn scope_keys_are_validated() {
    let dir = typed_package_untyped_tests();
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[gates]\ntype-hints = { exclude = \"tests\" }\n",
    )
    .unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`exclude` of gate `type-hints` must be a list of globs",
        ));
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[per-file-ignores]\n\"tests/**\" = [\"typehints\"]\n",
    )
    .unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown gate `typehints` in per-file-ignores — did you mean `type-hints`?",
        ));
}

#[test]
fn failing_gates_say_what_to_fix_in_the_text_output() {
    // Two copies of one function: the duplication gate names both.
    let dir = tempfile::tempdir().unwrap();
    common::two_copies(dir.path());
    let (_, json) = check_json(dir.path(), &[]);
    let tokens = &json["duplication"]["clones"][0]["tokens"];
    let out = qgate().arg("check").arg(dir.path()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let gate_line = text
        .lines()
        .position(|l| l.contains(" duplication "))
        .unwrap();
    let offender = text.lines().nth(gate_line + 1).unwrap();
    assert_eq!(
        offender.trim(),
        format!("first.py:1  27 lines ({tokens} tokens) also at second.py:1-27")
    );

    // A file under `min-file`, named with its missing lines.
    let dir = project("coverage");
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[gates]\ncoverage = { min = 0, min-file = 80 }\n",
    )
    .unwrap();
    let xml = dir.path().join("reports/branch.xml");
    let out = qgate()
        .arg("check")
        .arg(dir.path())
        .args(["--coverage", xml.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("  fail     coverage         min: 76.32 >= 0; min-file: 76.32 (must be >= 80)\n             shop/cart.py:15  76.32 % covered; not run: 15, 21, 31-33\n"),
        "{text}"
    );
    // The per-file table, as `coverage report -m` prints it.
    assert!(
        text.contains("  Name               Stmts   Miss Branch BrPart   Cover  Missing\n  shop/cart.py          24      5     14      3 76.32 %  15, 21, 31-33\n  shop/__init__.py       0      0      0      0     n/a\n  TOTAL                 24      5     14      3 76.32 %\n"),
        "{text}"
    );
    assert!(
        text.contains("coverage: 76.32 % (lines 79.17 %, branches 71.43 %)\n"),
        "{text}"
    );
}

#[test]
fn gates_about_languages_not_present_are_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lib.rs"), "pub fn f() -> u8 { 1 }\n").unwrap();
    let (_, json) = check_json(dir.path(), &[]);
    let ids: Vec<&str> = json["gates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "parse-errors",
            "complexity",
            "cognitive",
            "maintainability",
            "duplication",
            "coverage",
            // Dependency audits are about Rust crates too (cargo audit).
            "vulnerabilities"
        ]
    );
    let out = qgate().arg("check").arg(dir.path()).output().unwrap();
    assert!(
        !String::from_utf8(out.stdout)
            .unwrap()
            .contains("type hints")
    );
}

#[test]
fn interrogate_options_change_what_docstring_coverage_counts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.py"),
        "class A:\n    \"\"\"An A.\"\"\"\n    def __init__(self):\n        pass\n    def _helper(self):\n        pass\n",
    )
    .unwrap();
    let docstrings = |config: &str| {
        std::fs::write(
            dir.path().join("qgate.toml"),
            format!("{config}\n[gates]\ndocstrings = {{ enabled = true, min = 100 }}\n"),
        )
        .unwrap();
        let (_, json) = check_json(dir.path(), &[]);
        let d = &json["summary"]["docstrings"];
        let gate = find(&json["gates"], "id", "docstrings");
        let offenders: Vec<String> = gate["offenders"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|o| {
                format!(
                    "{}:{} {}",
                    o["path"].as_str().unwrap(),
                    o["line"],
                    o["message"].as_str().unwrap()
                )
            })
            .collect();
        (
            d["documented"].as_u64().unwrap(),
            d["total"].as_u64().unwrap(),
            offenders,
        )
    };
    // The module, `A`, `A.__init__`, `A._helper`: only `A` is documented.
    assert_eq!(
        docstrings(""),
        (
            1,
            4,
            vec![
                "m.py:1 module has no docstring".to_owned(),
                "m.py:3 `A.__init__` has no docstring".to_owned(),
                "m.py:5 `A._helper` has no docstring".to_owned()
            ]
        )
    );
    assert_eq!(docstrings("[docstrings]\nignore-init-method = true").1, 3);
    assert_eq!(
        docstrings(
            "[docstrings]\nignore-module = true\nignore-semiprivate = true\nstyle = \"google\""
        )
        .0,
        2
    );
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[docstrings]\nignore-regex = [\"(unclosed\"]\n",
    )
    .unwrap();
    qgate()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "qgate.toml:2:17: invalid regular expression `(unclosed`",
        ));
}

#[test]
fn xenon_thresholds_over_radon_blocks() {
    // radon cc -a: 6 blocks (A 3, f 2, A.m2 2, Empty 2, g 1, A.m1 1), average 1.83.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.py"),
        "def f(a):\n    if a:\n        pass\n\nclass A:\n    def m1(self):\n        pass\n    def m2(self, x):\n        return x or 1\n    class Inner:\n        def z(self):\n            pass\n\nclass Empty:\n    x = 1 if y else 2\n\nif True:\n    def g():\n        def closure():\n            pass\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("qgate.toml"),
        "[metrics]\ncomplexity-average = \"radon-blocks\"\n[gates]\ncomplexity = { max-absolute = \"A\", max-modules = 1.5, max-average = \"A\" }\ntype-hints = { enabled = false }\n",
    )
    .unwrap();
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let blocks = &json["summary"]["complexity_blocks"];
    assert_eq!(
        (
            blocks["blocks"].as_u64(),
            blocks["average"].as_f64(),
            blocks["max"].as_u64()
        ),
        (Some(6), Some(1.83), Some(3))
    );
    let gate = find(&json["gates"], "id", "complexity");
    let status = |key: &str| {
        let c = find(&gate["conditions"], "key", key);
        (
            c["metric"].as_str().unwrap().to_owned(),
            c["status"].as_str().unwrap().to_owned(),
            c["threshold"].as_f64().unwrap(),
        )
    };
    assert_eq!(
        status("max-absolute"),
        ("complexity_blocks.max".into(), "pass".into(), 5.0)
    );
    assert_eq!(
        status("max-average"),
        ("complexity_blocks.average".into(), "pass".into(), 5.0)
    );
    assert_eq!(
        status("max-modules"),
        (
            "complexity_blocks.max_module_average".into(),
            "fail".into(),
            1.5
        )
    );
    assert_eq!(
        gate["offenders"][0]["message"],
        "mean complexity of its 6 blocks 1.83 (rank A), above 1.5"
    );
}
