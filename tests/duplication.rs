//! Planted clones: twenty real functions (each 10 lines or more) copied into new files, half of
//! them with every identifier renamed. `normalize = "none"` must find the ten exact copies and
//! `normalize = "identifiers"` all twenty.

mod common;

use std::path::Path;

use common::{check_json, fixtures};

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "if", "import", "in", "is", "lambda",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Top-level `def`s of a file: (first line, text), without trailing blank lines.
fn functions(source: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = source.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("def "))
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(lines.len());
            let body = lines[start..end].join("\n");
            (start + 1, body.trim_end().to_owned())
        })
        .collect()
}

/// Every identifier that is not a keyword (nor a string prefix such as the `f` of `f"…"`) gets a
/// suffix: a renamed copy.
fn rename(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let string_prefix = matches!(chars.get(i), Some('"' | '\''));
            out.push_str(&word);
            if !KEYWORDS.contains(&word.as_str()) && !string_prefix {
                out.push_str("_v2");
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether some fragment of a clone in `path` covers lines `first..=last`.
fn covered(report: &serde_json::Value, path: &str, first: u64, last: u64) -> bool {
    report["duplication"]["clones"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["fragments"].as_array().unwrap())
        .any(|f| {
            f["path"] == path
                && f["start_line"].as_u64().unwrap() <= first
                && f["end_line"].as_u64().unwrap() >= last
        })
}

fn plant(dir: &Path) -> Vec<(String, u64, u64, bool)> {
    let source = std::fs::read_to_string(fixtures().join("duplication/originals.py")).unwrap();
    std::fs::write(dir.join("originals.py"), &source).unwrap();
    let mut planted = Vec::new();
    for (k, (_, body)) in functions(&source).into_iter().enumerate() {
        assert!(
            body.lines().count() >= 10,
            "function {k} is shorter than 10 lines"
        );
        let renamed = k % 2 == 1;
        let copy = if renamed { rename(&body) } else { body };
        // Different code around every copy.
        let pad = format!(
            "def pad_{k}(value):\n    return value * {k} + {}\n\n\n",
            k * 3 + 1
        );
        let path = format!("copy_{k:02}.py");
        std::fs::write(dir.join(&path), format!("{pad}{copy}\n")).unwrap();
        let first = pad.lines().count() as u64 + 1;
        let last = first + copy.lines().count() as u64 - 1;
        planted.push((path, first, last, renamed));
    }
    planted
}

#[test]
fn exact_copies_are_found_and_renamed_ones_need_normalisation() {
    let dir = tempfile::tempdir().unwrap();
    let planted = plant(dir.path());
    assert_eq!(planted.len(), 20);

    let (_, report) = check_json(dir.path(), &["--exit-zero"]);
    for (path, first, last, renamed) in &planted {
        assert_eq!(
            covered(&report, path, *first, *last),
            !renamed,
            "{path} (renamed: {renamed}), normalize = none"
        );
    }

    std::fs::write(
        dir.path().join("qgate.toml"),
        "[duplication]\nnormalize = \"identifiers\"\n",
    )
    .unwrap();
    let (_, report) = check_json(dir.path(), &["--exit-zero"]);
    for (path, first, last, _) in &planted {
        assert!(
            covered(&report, path, *first, *last),
            "{path}, normalize = identifiers"
        );
    }
    assert_eq!(report["duplication"]["normalize"], "identifiers");
}

#[test]
fn one_ten_line_copy_reports_exactly_those_lines_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(fixtures().join("duplication/originals.py")).unwrap();
    let (line, body) = functions(&source)
        .into_iter()
        .find(|(_, b)| b.lines().count() == 10)
        .unwrap();
    std::fs::write(dir.path().join("a.py"), &source).unwrap();
    std::fs::write(
        dir.path().join("b.py"),
        format!("X = 1\n\n\n{body}\n\n\nY = 2\n"),
    )
    .unwrap();
    let (_, report) = check_json(dir.path(), &["--exit-zero"]);
    let clones = report["duplication"]["clones"].as_array().unwrap();
    assert_eq!(clones.len(), 1, "{clones:?}");
    let fragments: Vec<(String, u64, u64)> = clones[0]["fragments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["start_line"].as_u64().unwrap(),
                f["end_line"].as_u64().unwrap(),
            )
        })
        .collect();
    let line = line as u64;
    assert_eq!(
        fragments,
        [
            ("a.py".to_owned(), line, line + 9),
            ("b.py".to_owned(), 4, 13)
        ]
    );
    let per_file: Vec<u64> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["duplicated_lines"].as_u64().unwrap())
        .collect();
    assert_eq!(per_file, [10, 10]);
}

#[test]
fn max_clones_is_evaluated() {
    // One clone of two 39-line functions, in two files; the percentage limit allows anything,
    // and the other gates this code fails are off: the exit code is the duplication gate's.
    let dir = tempfile::tempdir().unwrap();
    let body: String = (0..12)
        .map(|i| {
            format!("    w{i} = fetch(a, {i}) * scale(b, {})\n    if w{i} < {i}:\n        acc -= w{i}\n", i + 3)
        })
        .collect();
    for name in ["x", "y"] {
        std::fs::write(
            dir.path().join(format!("{name}.py")),
            format!("def g_{name}(a, b):\n    acc = 0\n{body}    return acc\n"),
        )
        .unwrap();
    }
    let gate_with = |max_clones: u32| {
        std::fs::write(
            dir.path().join("qgate.toml"),
            format!("[gates]\nduplication = {{ max = 100.0, max-clones = {max_clones} }}\ntype-hints = {{ enabled = false }}\ncomplexity = {{ enabled = false }}\n"),
        )
        .unwrap();
        let (code, json) = check_json(dir.path(), &[]);
        let gate = common::find(&json["gates"], "id", "duplication").clone();
        (
            code,
            gate["status"].as_str().unwrap().to_owned(),
            gate["message"].clone(),
        )
    };
    let (code, status, message) = gate_with(0);
    assert_eq!((code, status.as_str()), (1, "fail"));
    assert_eq!(message, "max: 100 <= 100; max-clones: 1 (must be <= 0)");
    let (code, status, _) = gate_with(1);
    assert_eq!((code, status.as_str()), (0, "pass"));
}

#[test]
fn overload_stubs_and_imports_are_not_clones_by_default() {
    // Two typed modules declaring the same overloads and imports: repetition by design.
    let dir = tempfile::tempdir().unwrap();
    let stubs: String = [
        "int",
        "str",
        "bytes",
        "float",
        "list[int]",
        "dict[str, int]",
    ]
    .iter()
    .map(|t| format!("@overload\ndef parse(value: {t}, *, strict: bool = False) -> {t}: ...\n"))
    .collect();
    // 30 names: an import block long enough (over 50 tokens, 32 lines) to be a clone itself.
    let names: String = (0..30).map(|i| format!("    name_{i},\n")).collect();
    let imports =
        format!("from typing_extensions import (\n{names})\nfrom typing import overload\n");
    for name in ["a", "b"] {
        std::fs::write(
            dir.path().join(format!("{name}.py")),
            format!("{imports}\n{stubs}\ndef parse_{name}(value):\n    return value\n"),
        )
        .unwrap();
    }
    let clones = |config: &str| {
        std::fs::write(dir.path().join("qgate.toml"), config).unwrap();
        let (_, json) = check_json(dir.path(), &[]);
        json["summary"]["duplication"]["clones"].as_u64().unwrap()
    };
    assert_eq!(clones(""), 0);
    assert_eq!(clones("[duplication]\nignore-overloads = false\n"), 1);
    assert_eq!(clones("[duplication]\nignore-imports = false\n"), 1);
    // Both kept: one clone from the imports through the stubs.
    assert_eq!(
        clones("[duplication]\nignore-overloads = false\nignore-imports = false\n"),
        1
    );
}

#[test]
fn the_jscpd_compatible_percent_counts_one_side_over_files_jscpd_reads() {
    // Two files with one 27-line function each (the same code) and a third too small for jscpd
    // (under 50 tokens). jscpd counts the first copy's 27 lines once, over the 27 + 27 lines of
    // the files it reads; qgate's own percent counts both sides over all 3 files' lines.
    let dir = tempfile::tempdir().unwrap();
    common::two_copies(dir.path());
    std::fs::write(dir.path().join("tiny.py"), "x = 1\ny = 2\nz = 3\n").unwrap();
    let (_, json) = check_json(dir.path(), &[]);
    let d = &json["summary"]["duplication"];
    assert_eq!(d["jscpd_duplicated_lines"], 27);
    assert_eq!(d["jscpd_percent"], 50.0);
    assert_eq!(d["duplicated_lines"], 54);
    assert_eq!(
        d["percent"].as_f64(),
        Some(((54.0 / 57.0) * 10000.0_f64).round() / 100.0)
    );
}

#[test]
fn identical_files_are_wholly_duplicated_with_their_imports_left_out() {
    // Imports are left out of clone detection, not cut out of clones: the code before and
    // after them still joins, so two copies of a file are one clone from line 1 to the end.
    let dir = tempfile::tempdir().unwrap();
    let body: String = (0..6)
        .map(|i| {
            format!(
                "def f{i}(a, b):\n    if a > b:\n        return a - {i}\n    return b + {i}\n\n"
            )
        })
        .collect();
    let python = format!("\"\"\"Module.\"\"\"\n\nimport os\nfrom typing import Any\n\n{body}");
    let rust = format!(
        "//! Crate.\nuse std::fmt;\nuse std::io::{{self, Read}};\n\n{}",
        (0..6)
            .map(|i| format!("pub fn f{i}(a: u32, b: u32) -> u32 {{\n    if a > b {{ a - {i} }} else {{ b + {i} }}\n}}\n\n"))
            .collect::<String>()
    );
    for name in ["a", "b"] {
        std::fs::write(dir.path().join(format!("{name}.py")), python.trim_end()).unwrap();
        std::fs::write(dir.path().join(format!("{name}.rs")), rust.trim_end()).unwrap();
    }
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(json["summary"]["duplication"]["percent"], 100.0);
    assert_eq!(json["summary"]["duplication"]["clones"], 2);
    for clone in json["duplication"]["clones"].as_array().unwrap() {
        for fragment in clone["fragments"].as_array().unwrap() {
            assert_eq!(fragment["start_line"], 1, "{clone}");
        }
    }
}
