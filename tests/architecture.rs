//! The layout docs/architecture.md promises, checked on the source tree: parser crates only in
//! the front ends, the model a leaf, no import cycle between top-level modules, one summarize.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

/// The code of a file without its tests and comments.
fn code(text: &str) -> String {
    let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
    before_tests
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a source file belongs to (`src/join/clones.rs` → `join`).
fn top_module(path: &Path) -> String {
    let rel = path
        .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        .unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// Every `crate::name` a text mentions.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        found.insert(name);
    }
    found
}

#[test]
fn parser_crates_are_used_only_in_the_front_ends() {
    for (path, text) in sources() {
        let code = code(&text);
        let uses_parser = [
            "ruff_python_",
            "ruff_text_size",
            "syn::",
            "use syn",
            "proc_macro2",
        ]
        .iter()
        .any(|needle| code.contains(needle));
        if uses_parser {
            assert_eq!(top_module(&path), "frontend", "{}", path.display());
        }
    }
}

#[test]
fn the_model_imports_no_other_qgate_module() {
    let (_, model) = sources()
        .into_iter()
        .find(|(p, _)| p.ends_with("src/model.rs"))
        .unwrap();
    assert_eq!(
        crate_paths(&code(&model)),
        BTreeSet::new(),
        "model.rs must stay a leaf"
    );
}

#[test]
fn top_level_modules_import_each_other_without_cycles() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in sources() {
        let top = top_module(&path);
        if top == "main" || top == "lib" {
            continue;
        }
        let uses = graph.entry(top.clone()).or_default();
        uses.extend(crate_paths(&code(&text)).into_iter().filter(|m| *m != top));
    }
    // Depth-first search from every module; a path back to the start is a cycle.
    fn visit(
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        cycles: &mut Vec<String>,
    ) {
        let last = path.last().cloned().unwrap_or_default();
        for next in graph.get(&last).into_iter().flatten() {
            if *next == path[0] {
                cycles.push(format!("{} -> {next}", path.join(" -> ")));
            } else if !path.contains(next) && graph.contains_key(next) {
                path.push(next.clone());
                visit(graph, path, cycles);
                path.pop();
            }
        }
    }
    let mut cycles = Vec::new();
    for start in graph.keys() {
        visit(&graph, &mut vec![start.clone()], &mut cycles);
    }
    assert_eq!(cycles, Vec::<String>::new());
}

#[test]
fn the_summary_is_computed_in_one_place() {
    let defining: Vec<PathBuf> = sources()
        .into_iter()
        .filter(|(_, text)| code(text).contains("fn summarize("))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(defining.len(), 1, "{defining:?}");
    assert!(defining[0].ends_with("src/report/summarize.rs"));
}
