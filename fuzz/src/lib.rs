//! qgate's fuzz targets: what each one feeds, what it asserts, where its seeds come from.
//!
//! Every target takes arbitrary bytes. A target fails by panicking: qgate panicked, or an
//! oracle below found output that breaks a promise (an escape that lets data into markup, a
//! path normalisation that is not idempotent). Readers may return errors — that is their job —
//! but never panic, hang or allocate without bound.

use std::io::Write;
use std::path::{Path, PathBuf};

use qgate::frontend::{self, Analysis, Options};
use qgate::model::Language;
use qgate::render::{Format, RenderOptions};
use qgate::report::Report;

/// Stack of the thread a target runs on. The front ends get far less than the 256 MiB the
/// analysis threads have, to show the nesting guards trip long before the stack would.
const FRONTEND_STACK: usize = 16 * 1024 * 1024;
const READER_STACK: usize = 2 * 1024 * 1024;

pub struct Target {
    pub name: &'static str,
    /// Files under the repository whose content seeds the target (by suffix).
    pub seed_suffixes: &'static [&'static str],
    /// Fragments the mutator splices in: the tokens that reach a reader's corner cases.
    pub dictionary: &'static [&'static [u8]],
    pub stack: usize,
    run: fn(&mut Scratch, &[u8]),
}

/// A directory the readers' inputs are written to (they read files, as qgate does).
pub struct Scratch {
    dir: tempfile::TempDir,
    /// The renderers' base report and its HTML page, made once.
    base: Option<(Report, Vec<u8>)>,
}

impl Scratch {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary directory for the fuzz inputs"),
            base: None,
        }
    }

    fn write(&self, name: &str, data: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        let mut file = std::fs::File::create(&path).expect("the scratch file");
        file.write_all(data).expect("the scratch file");
        path
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Self::new()
    }
}

const SOURCE_WORDS: &[&[u8]] = &[
    b"(",
    b")",
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"\"\"",
    b"'''",
    b"\"",
    b"'",
    b"\\",
    b"\n",
    b"\r",
    b"\r\n",
    b"\t",
    b"\x0c",
    b"\0",
    b"\xff",
    b"\xef\xbb\xbf",
    b"\xc2\xa0",
    b"\xe2\x86\x92",
    b"\xc3\x97",
    b"\xe2\x80\x9c",
    b"\xe2\x80\xa8",
    b"#",
    b"//",
    b"/*",
    b"*/",
    b"r#\"",
    b"\"#",
    b"b'",
    b"f\"{",
    b"}\"",
    b"lambda x: ",
    b"not ",
    b"if x:\n    ",
    b"else:\n",
    b"elif y:\n",
    b"def f(a: int) -> str:\n    ",
    b"class C:\n    ",
    b"async ",
    b"await ",
    b"yield ",
    b"match x:\n    case 1:\n        ",
    b"try:\n    pass\nexcept E:\n    ",
    b"@decorator\n",
    b"fn f(x: &str) -> u8 { ",
    b"impl<T> A for B<T> { ",
    b"match x { 1 => ",
    b"=> ",
    b"if a { b } else if c { d } else { e }",
    b"loop { break; }",
    b"'a",
    b"<",
    b">",
    b"<<",
    b">>",
    b"::",
    b"->",
    b"?",
    b"&&",
    b"||",
    b"macro_rules! m { () => {} }",
    b"#[cfg(test)]",
    b"unsafe { }",
    b"# -*- coding: latin-1 -*-\n",
    b"# qgate: ignore\n",
    b"// qgate: ignore\n",
    b"version https://git-lfs.github.com/spec/v1\n",
    b"1+",
    b".b",
    b"x = ",
];

const XML_WORDS: &[&[u8]] = &[
    b"<coverage line-rate=\"0.5\">",
    b"<packages>",
    b"</packages>",
    b"<package name=\"p\">",
    b"<class filename=\"a.py\">",
    b"</class>",
    b"<lines>",
    b"</lines>",
    b"<line number=\"1\" hits=\"1\"/>",
    b"hits=\"-1\"",
    b"number=\"99999999999\"",
    b"number=\"abc\"",
    b"branch=\"true\" condition-coverage=\"50% (1/2\"",
    b"<source>",
    b"</source>",
    b"<sources>",
    b"</sources>",
    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    b"&a;",
    b"<!ENTITY x SYSTEM \"file:///etc/passwd\">",
    b"&x;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?xml version=\"1.0\"?>",
    b"<project>",
    b"clover=\"4\"",
    b"\0",
    b"\xff\xfe",
    b"&#0;",
    b"&#xD800;",
    b"C:\\proj\\src",
    b"../../etc/passwd",
    b"\"",
    b"'",
    b"<",
    b">",
    b"/>",
];

const LCOV_WORDS: &[&[u8]] = &[
    b"TN:\n",
    b"SF:a.py\n",
    b"SF:C:\\proj\\a.ts\n",
    b"DA:1,1\n",
    b"DA:2,0,abc\n",
    b"DA:e,1\n",
    b"DA:4294967296,1\n",
    b"DA:1,-1\n",
    b"LF:2\n",
    b"LH:1\n",
    b"BRDA:1,0,0,-\n",
    b"BRDA:1,0,1,3\n",
    b"FN:1,f\n",
    b"FNDA:1,f\n",
    b"end_of_record\n",
    b"\r\n",
    b"\0",
    b":",
    b",",
];

const JSON_WORDS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"null",
    b"true",
    b"-1",
    b"1e999",
    b"4294967296",
    b"18446744073709551616",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\"meta\": {\"format\": 3}",
    b"\"files\": {}",
    b"\"executed_lines\": [1, 2]",
    b"\"missing_lines\": [3]",
    b"\"results\": []",
    b"\"errors\": [{\"filename\": \"a.py\", \"reason\": \"x\"}]",
    b"\"filename\": \"../../etc/passwd\"",
    b"\"line_number\": 0",
    b"\"issue_severity\": \"HIGH\"",
    b"\"runs\": [{\"tool\": {\"driver\": {\"name\": \"ruff\"}}, \"results\": []}]",
    b"\"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"a%20b.py\"}}}]",
    b"\"messages\": []",
    b"\"statistics\": {}",
    b"\"reason\": \"compiler-message\"",
    b"\"message\": {\"spans\": []}",
    b"\"vulnerabilities\": {\"list\": []}",
    b"\"dependencies\": [{\"name\": \"x\", \"version\": \"1\", \"vulns\": []}]",
    b"[[[[[[[[",
];

const MYPY_WORDS: &[&[u8]] = &[
    b"a.py:1: error: Incompatible types  [assignment]\n",
    b"a.py:1:5: note: see\n",
    b"a.py:0: error: x\n",
    b"a.py:4294967296: error: x\n",
    b"Found 1 error in 1 file\n",
    b"Success: no issues found\n",
    b"{\"file\": \"a.py\", \"line\": 1, \"severity\": \"error\"}\n",
    b"C:\\a.py:1: error: x\n",
    b":",
    b"\n",
    b"\r",
];

const TOML_WORDS: &[&[u8]] = &[
    b"[gates]\n",
    b"[gates.coverage]\n",
    b"min = 85\n",
    b"max = -1\n",
    b"threshold = 150\n",
    b"exclude = [\"src/[a\"]\n",
    b"include = [\"**\"]\n",
    b"[tool.qgate]\n",
    b"qgate.gates.complexity = { max = 10 }\n",
    b"[coverage]\n",
    b"path-map = [\"a=b\"]\n",
    b"reports = [\"../../etc/passwd\"]\n",
    b"[[vulnerabilities.allow]]\nid = \"X\"\nreason = \"\"\n",
    b"until = \"2026-13-45\"\n",
    b"[duplication]\nmin-tokens = 0\n",
    b"max-file-size = \"1 GB\"\n",
    b"\"\"\"",
    b"'''",
    b"=",
    b"\0",
    b"\xff",
    b"[",
    b"]",
    b"{",
    b"}",
    b"#",
];

const STRING_WORDS: &[&[u8]] = &[
    b"<img src=x onerror=alert(1)>",
    b"</script><script>alert(1)</script>",
    b"<!--",
    b"\"",
    b"'",
    b"`",
    b"|",
    b"@user",
    b"#123",
    b"](javascript:alert(1))",
    b"<details>",
    b"\x1b[2J",
    b"\x1b]0;pwned\x07",
    b"\r",
    b"\n",
    b"\n::add-mask::x",
    b"::stop-commands::tok",
    b"%",
    b",",
    b":",
    b"\xe2\x80\xae",
    b"\xe2\x80\xa8",
    b"\0",
    b"&amp;",
    b"]]>",
    b"\\",
    b"../..",
    b"C:\\x",
    b"file:///etc/passwd",
    b"a b#c%d.py",
    b"\xf0\x9f\x98\x80",
    b"{{x}}",
];

pub const TARGETS: &[Target] = &[
    Target {
        name: "python_frontend",
        seed_suffixes: &[".py"],
        dictionary: SOURCE_WORDS,
        stack: FRONTEND_STACK,
        run: |_, data| frontend(Language::Python, data),
    },
    Target {
        name: "rust_frontend",
        seed_suffixes: &[".rs"],
        dictionary: SOURCE_WORDS,
        stack: FRONTEND_STACK,
        run: |_, data| frontend(Language::Rust, data),
    },
    Target {
        name: "cobertura",
        seed_suffixes: &[".xml"],
        dictionary: XML_WORDS,
        stack: READER_STACK,
        run: |s, data| coverage(s, "coverage.xml", data),
    },
    Target {
        name: "lcov",
        seed_suffixes: &[".lcov", ".info"],
        dictionary: LCOV_WORDS,
        stack: READER_STACK,
        run: |s, data| coverage(s, "lcov.info", data),
    },
    Target {
        name: "coverage_json",
        seed_suffixes: &["coverage/reports/line.json", "coverage/reports/branch.json"],
        dictionary: JSON_WORDS,
        stack: READER_STACK,
        run: |s, data| coverage(s, "coverage.json", data),
    },
    Target {
        name: "bandit",
        seed_suffixes: &["bandit.json"],
        dictionary: JSON_WORDS,
        stack: READER_STACK,
        run: |s, data| {
            let _ = qgate::ingest::bandit::read(&s.write("bandit.json", data));
        },
    },
    Target {
        name: "sarif",
        seed_suffixes: &[".sarif"],
        dictionary: JSON_WORDS,
        stack: READER_STACK,
        run: |s, data| {
            let _ = qgate::ingest::sarif::read(&s.write("r.sarif", data));
        },
    },
    Target {
        name: "pylint",
        seed_suffixes: &["pylint.json"],
        dictionary: JSON_WORDS,
        stack: READER_STACK,
        run: |s, data| {
            let _ = qgate::ingest::pylint::read(&s.write("pylint.json", data));
        },
    },
    Target {
        name: "clippy",
        seed_suffixes: &["clippy-sample.json"],
        dictionary: JSON_WORDS,
        stack: READER_STACK,
        run: |s, data| {
            let _ = qgate::ingest::clippy::read(&s.write("clippy.json", data));
        },
    },
    Target {
        name: "mypy",
        seed_suffixes: &["mypy.txt", "mypy-columns.txt", "mypy.json"],
        dictionary: MYPY_WORDS,
        stack: READER_STACK,
        run: |s, data| {
            let _ = qgate::ingest::mypy::read(&s.write("mypy.txt", data));
        },
    },
    Target {
        name: "audit",
        seed_suffixes: &["pip-audit.json", "cargo-audit.json"],
        dictionary: JSON_WORDS,
        stack: READER_STACK,
        run: |s, data| {
            let path = s.write("audit.json", data);
            let _ = qgate::ingest::audit::read_pip_audit(&path);
            let _ = qgate::ingest::audit::read_cargo_audit(&path);
        },
    },
    Target {
        name: "paths",
        seed_suffixes: &[],
        dictionary: STRING_WORDS,
        stack: READER_STACK,
        run: |_, data| paths(data),
    },
    Target {
        name: "config",
        seed_suffixes: &[".toml"],
        dictionary: TOML_WORDS,
        stack: READER_STACK,
        run: config,
    },
    Target {
        name: "renderers",
        seed_suffixes: &[],
        dictionary: STRING_WORDS,
        stack: READER_STACK,
        run: renderers,
    },
];

pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

impl Target {
    /// Runs one input on the calling thread (which must have `self.stack` of stack).
    pub fn run(&self, scratch: &mut Scratch, data: &[u8]) {
        (self.run)(scratch, data);
    }
}

/// libFuzzer's entry: one input, on a thread with the target's stack.
pub fn run_one(name: &str, data: &[u8]) {
    // One scratch directory (and renderers' base report) for the whole process: each input runs
    // on a new thread, so a thread-local one would be made again for every input.
    static SCRATCH: std::sync::Mutex<Option<Scratch>> = std::sync::Mutex::new(None);
    let target = target(name).expect("a known target");
    let data = data.to_vec();
    let outcome = std::thread::Builder::new()
        .stack_size(target.stack)
        .spawn(move || {
            let mut guard = SCRATCH
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            target.run(guard.get_or_insert_with(Scratch::new), &data);
        })
        .expect("a thread for the input")
        .join();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// Bytes → model, the way the engine does it: decode, then the front end.
fn frontend(language: Language, data: &[u8]) {
    let python = language == Language::Python;
    let Ok(text) = qgate::source::decode_source(data.to_vec(), python) else {
        return;
    };
    let path = if python { "x.py" } else { "x.rs" };
    let options = Options {
        clone_skip_imports: true,
        ..Options::default()
    };
    match frontend::analyze(language, path, &text, &options) {
        Analysis::Model(model) => {
            // Lines break at `\n`, `\r\n` and a lone `\r`, as CPython and coverage.py count them.
            let lines = qgate::source::line_column(text.as_bytes(), text.len()).0;
            for f in &model.functions {
                assert!(
                    f.line >= 1 && f.line <= f.end_line && f.end_line <= lines,
                    "function `{}` at {}-{} of a {lines}-line file",
                    f.name,
                    f.line,
                    f.end_line
                );
            }
        }
        Analysis::Skipped(skip) => assert!(!skip.message.is_empty(), "a skip says why"),
    }
}

fn coverage(scratch: &mut Scratch, name: &str, data: &[u8]) {
    let path = scratch.write(name, data);
    let resolve = Box::new(|_: &[String], file: &str| Some(qgate::ingest::paths::normalize(file)));
    if let Err(e) = qgate::ingest::read_coverage(&path, resolve) {
        let message = e.to_string();
        assert!(
            message.starts_with(&path.display().to_string()) && message.contains(" — "),
            "an error names the report and the fix: {message}"
        );
    }
}

fn paths(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let once = qgate::ingest::paths::normalize(&s);
    assert_eq!(
        qgate::ingest::paths::normalize(&once),
        once,
        "normalize is idempotent on {s:?}"
    );
    assert!(!once.contains('\\') && !once.contains("//"), "{once:?}");
    assert!(
        !once.split('/').any(|p| p == "."),
        "no `.` segment in {once:?}"
    );
    let (line, column) = qgate::source::line_column(data, data.len());
    assert!(line >= 1 && column >= 1);
    let _ = qgate::render::sarif::uri(&s);
}

fn config(scratch: &mut Scratch, data: &[u8]) {
    for name in ["qgate.toml", "pyproject.toml"] {
        let path = scratch.write(name, data);
        if let Err(e) = qgate::settings::file::load(&path) {
            assert!(e.to_string().contains(" — "), "{e}");
        }
        let overrides = qgate::settings::Overrides {
            paths: vec![scratch.dir.path().to_path_buf()],
            config: Some(path.clone()),
            ..Default::default()
        };
        let _ = qgate::settings::Settings::resolve(&overrides);
        std::fs::remove_file(&path).expect("the scratch config");
    }
}

/// The JSON report of `fixtures/secproj` with its findings: the renderers' base.
fn base_report() -> Report {
    let fixtures = repository().join("fixtures/secproj");
    let overrides = qgate::settings::Overrides {
        paths: vec![fixtures.clone()],
        bandit: vec![fixtures.join("reports/bandit.json")],
        ..Default::default()
    };
    let settings = qgate::settings::Settings::resolve(&overrides).expect("the fixture's settings");
    qgate::engine::run(&settings).expect("the fixture's report")
}

/// The base report with hostile strings (cut from `data`) for every path, name and message.
fn renderers(scratch: &mut Scratch, data: &[u8]) {
    let options = render_options();
    let (base, base_html) = scratch.base.get_or_insert_with(|| {
        let report = base_report();
        let html = Format::Html
            .to_bytes(&report, &options)
            .expect("rendering to memory");
        (report, html)
    });
    let text = String::from_utf8_lossy(data);
    let mut pieces = text.split('\u{1}').cycle();
    let mut next = || pieces.next().unwrap_or_default().to_owned();
    let mut report = base.clone();
    for f in &mut report.files {
        f.path = next();
        for function in &mut f.functions {
            function.name = next();
            function.qualified_name = next();
        }
    }
    for finding in &mut report.findings {
        finding.path = next();
        finding.rule = next();
        finding.message = next();
    }
    for group in &mut report.duplication.clones {
        for fragment in &mut group.fragments {
            fragment.path = next();
        }
    }
    for skipped in &mut report.skipped {
        skipped.path = next();
        skipped.message = next();
    }
    for format in [
        Format::Text,
        Format::Json,
        Format::Html,
        Format::Sarif,
        Format::Markdown,
        Format::Github,
        Format::Junit,
        Format::Gitlab,
    ] {
        let out = format
            .to_bytes(&report, &options)
            .expect("rendering to memory");
        check_output(format, base_html, &out);
    }
}

fn render_options() -> RenderOptions {
    RenderOptions {
        html: qgate::render::html::HtmlOptions {
            source: false,
            ..Default::default()
        },
        ..Default::default()
    }
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// What each format promises about data in it (RELIABILITY.md O1–O8).
pub fn check_output(format: Format, base_html: &[u8], out: &[u8]) {
    let text = String::from_utf8_lossy(out);
    match format {
        Format::Text => {
            let control = text
                .chars()
                .find(|&c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c));
            assert_eq!(control, None, "a raw control character in the text output");
        }
        Format::Json | Format::Sarif | Format::Gitlab => {
            serde_json::from_slice::<serde_json::Value>(out).expect("the output parses as JSON");
        }
        Format::Html => {
            for tag in [
                &b"<script"[..],
                b"</script",
                b"<img",
                b"<iframe",
                b"<svg",
                b"<a ",
            ] {
                assert_eq!(
                    count(out, tag),
                    count(base_html, tag),
                    "data added or removed a `{}` tag",
                    String::from_utf8_lossy(tag)
                );
            }
        }
        Format::Markdown => {
            for tag in ["<img", "<script", "](javascript:"] {
                assert!(!text.contains(tag), "data became markup: {tag}");
            }
        }
        Format::Github => {
            for line in text.lines() {
                assert!(
                    !line.starts_with("::")
                        || ["::error ", "::warning ", "::notice "]
                            .iter()
                            .any(|c| line.starts_with(c)),
                    "data started a workflow command: {line}"
                );
            }
        }
        Format::Junit => {
            let mut reader = quick_xml::Reader::from_reader(out);
            let mut buf = Vec::new();
            loop {
                match reader.read_event_into(&mut buf) {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => buf.clear(),
                    Err(e) => panic!("JUnit output is not XML: {e}"),
                }
            }
        }
    }
}

/// The qgate repository (this crate's parent).
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fuzz/ is inside the repository")
        .to_path_buf()
}

/// The seed inputs of `target`: its saved regressions first, then the matching fixtures.
pub fn seeds(target: &Target) -> Vec<Vec<u8>> {
    let root = repository();
    let mut found = regressions(target);
    let mut stack = vec![root.join("fixtures"), root.join("tests/data")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else if target
                .seed_suffixes
                .iter()
                .any(|s| path.to_string_lossy().ends_with(s))
                && let Ok(bytes) = std::fs::read(&path)
            {
                found.push(bytes);
            }
        }
    }
    if found.is_empty() {
        found.push(target.dictionary.concat());
    }
    found
}

/// Saved inputs that once failed `target` (`fuzz/regressions/<target>/`), in name order.
fn regressions(target: &Target) -> Vec<Vec<u8>> {
    let dir = repository().join("fuzz/regressions").join(target.name);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// A small, seeded generator (xorshift64*): the same seed gives the same inputs everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// One mutant of a seed: 1–8 edits (flip, insert a dictionary word, delete, repeat, splice,
/// truncate), capped at `max_len` bytes.
pub fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], dictionary: &[&[u8]], max_len: usize) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(7) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.insert(at, rng.next_u64() as u8),
            2 | 3 if !dictionary.is_empty() => {
                let word = dictionary[rng.below(dictionary.len())];
                data.splice(at..at, word.iter().copied());
            }
            4 if !data.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                data.drain(at.min(end)..end);
            }
            5 if !data.is_empty() => {
                // Repeat a short piece many times: deep nesting, long chains, huge runs.
                let start = rng.below(data.len());
                let end = (start + 1 + rng.below(8)).min(data.len());
                let piece = data[start..end].to_vec();
                let times = 1 + rng.below(2000);
                let repeated: Vec<u8> = piece
                    .iter()
                    .copied()
                    .cycle()
                    .take(piece.len() * times)
                    .collect();
                data.splice(start..start, repeated);
            }
            6 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                data.truncate(at);
                data.extend_from_slice(&other[from..]);
            }
            _ => data.truncate(at),
        }
    }
    data.truncate(max_len);
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails(f: impl FnOnce()) -> bool {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err()
    }

    #[test]
    fn the_output_oracles_reject_what_would_let_data_out() {
        assert!(fails(|| check_output(Format::Text, b"", b"a \x1b[2J b\n")));
        assert!(fails(|| check_output(
            Format::Text,
            b"",
            "a \u{202e}b".as_bytes()
        )));
        assert!(!fails(|| check_output(
            Format::Text,
            b"",
            b"PASS  coverage 91.2 %\n"
        )));
        assert!(fails(|| check_output(Format::Json, b"", b"{\"a\": ")));
        assert!(fails(|| check_output(
            Format::Html,
            b"<script>",
            b"<script><script>"
        )));
        assert!(!fails(|| check_output(
            Format::Html,
            b"<script>",
            b"<script>&lt;script"
        )));
        assert!(fails(|| check_output(
            Format::Markdown,
            b"",
            b"| <img src=x> |"
        )));
        assert!(fails(|| check_output(
            Format::Github,
            b"",
            b"::error file=a::x\n::add-mask::y\n"
        )));
        assert!(!fails(|| check_output(
            Format::Github,
            b"",
            b"::error file=a::x\n"
        )));
        assert!(fails(|| check_output(Format::Junit, b"", b"<a><b></a>")));
    }

    #[test]
    fn the_mutator_is_deterministic_and_bounded() {
        let seeds = vec![b"def f(x):\n    return x\n".to_vec()];
        let run = |seed| {
            let mut rng = Rng::new(seed);
            (0..100)
                .map(|_| mutate(&mut rng, &seeds, SOURCE_WORDS, 512))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        assert!(run(7).iter().all(|m| m.len() <= 512));
    }

    #[test]
    fn every_target_has_seeds_and_runs_them_clean() {
        let mut scratch = Scratch::new();
        for target in TARGETS {
            let seeds = seeds(target);
            assert!(!seeds.is_empty(), "{}", target.name);
            let name = target.name;
            let worker = std::thread::Builder::new().stack_size(target.stack);
            let inputs = seeds.clone();
            let mut moved = std::mem::take(&mut scratch);
            moved = worker
                .spawn(move || {
                    for input in &inputs {
                        target.run(&mut moved, input);
                    }
                    moved
                })
                .expect("a thread")
                .join()
                .unwrap_or_else(|_| panic!("{name} failed on a seed"));
            scratch = moved;
        }
    }
}
