//! `cargo clippy --message-format=json` output: one JSON object per line; the
//! `compiler-message` lines with a lint code and a primary span are findings.

use std::io::BufRead;
use std::path::Path;

use serde::Deserialize;

use super::IngestError;
use crate::report::Severity;

#[derive(Deserialize)]
struct Line {
    reason: String,
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Diagnostic {
    message: String,
    code: Option<Code>,
    level: String,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: u32,
    line_end: u32,
    /// 1-based.
    #[serde(default)]
    column_start: Option<u32>,
    is_primary: bool,
}

/// One lint or compiler diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub struct ClippyFinding {
    /// `clippy::never_loop`, or a rustc lint such as `unused_variables`.
    pub rule: String,
    pub severity: Severity,
    pub path: String,
    pub line: u32,
    pub end_line: u32,
    pub column: Option<u32>,
    pub message: String,
    pub help_url: Option<String>,
}

pub fn read(path: &Path) -> Result<Vec<ClippyFinding>, IngestError> {
    let file = std::fs::File::open(path).map_err(|e| {
        IngestError::new(
            path,
            format!("cannot read the clippy output: {e}"),
            "write it with `cargo clippy --message-format=json > clippy.json`",
        )
        .caused_by(e)
    })?;
    let mut findings = Vec::new();
    let mut messages = 0usize;
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let number = index + 1;
        let line = line.map_err(|e| {
            IngestError::new(
                path,
                format!("line {number}: cannot read: {e}"),
                "the file must be UTF-8 JSON lines (PowerShell's `>` writes UTF-16: use `| Out-File -Encoding utf8`)",
            )
        })?;
        let text = line.trim_start_matches('\u{feff}').trim();
        // cargo mixes in plain text when stderr is redirected too; only JSON lines count.
        if !text.starts_with('{') {
            continue;
        }
        let parsed: Line = serde_json::from_str(text).map_err(|e| {
            IngestError::new(
                path,
                format!(
                    "line {number}, column {}: not a cargo JSON message: {e}",
                    e.column()
                ),
                "write it with `cargo clippy --message-format=json > clippy.json`",
            )
        })?;
        messages += 1;
        let Some(diagnostic) = parsed
            .message
            .filter(|_| parsed.reason == "compiler-message")
        else {
            continue;
        };
        // Summaries ("3 warnings emitted") have no code and no span.
        let (Some(code), Some(span)) = (
            diagnostic.code,
            diagnostic.spans.iter().find(|s| s.is_primary),
        ) else {
            continue;
        };
        let help_url = code.code.strip_prefix("clippy::").map(|name| {
            format!("https://rust-lang.github.io/rust-clippy/master/index.html#{name}")
        });
        findings.push(ClippyFinding {
            severity: Severity::from_level(&diagnostic.level),
            path: span.file_name.clone(),
            line: span.line_start,
            end_line: span.line_end,
            column: span.column_start,
            message: diagnostic.message,
            rule: code.code,
            help_url,
        });
    }
    // cargo writes at least `build-finished`: without any message, clippy never ran (R17).
    if messages == 0 {
        return Err(IngestError::new(
            path,
            "holds no cargo JSON message: empty, or plain text",
            "write it with `cargo clippy --message-format=json > clippy.json` (stdout, not stderr)",
        ));
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<ClippyFinding>, IngestError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clippy.json");
        std::fs::write(&path, text).unwrap();
        read(&path)
    }

    #[test]
    fn lints_with_a_primary_span_are_findings() {
        let found = parse(concat!(
            "   Compiling x v0.1.0\n",
            r#"{"reason":"compiler-artifact","package_id":"x"}"#,
            "\n",
            r#"{"reason":"compiler-message","message":{"message":"this loop never actually loops","code":{"code":"clippy::never_loop","explanation":null},"level":"error","spans":[{"file_name":"src/lib.rs","line_start":42,"line_end":47,"is_primary":true}]}}"#,
            "\n",
            r#"{"reason":"compiler-message","message":{"message":"2 warnings emitted","code":null,"level":"warning","spans":[]}}"#,
            "\n",
            r#"{"reason":"build-finished","success":false}"#,
            "\n",
        ))
        .unwrap();
        assert_eq!(
            found,
            [ClippyFinding {
                rule: "clippy::never_loop".to_owned(),
                severity: Severity::High,
                path: "src/lib.rs".to_owned(),
                line: 42,
                end_line: 47,
                column: None,
                message: "this loop never actually loops".to_owned(),
                help_url: Some(
                    "https://rust-lang.github.io/rust-clippy/master/index.html#never_loop"
                        .to_owned()
                ),
            }]
        );
    }

    #[test]
    fn a_broken_line_is_located() {
        let err = parse("{\"reason\": \"compiler-message\"}\n{\"reason\": 3}\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("clippy.json: line 2, column 12: not a cargo JSON message"),
            "{err}"
        );
    }
}
