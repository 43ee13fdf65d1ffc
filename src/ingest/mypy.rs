//! mypy's output: `mypy --output json` (one JSON object per line), or its plain text
//! (`path:line[:column]: error: message  [code]`, what CI logs hold), detected by content.
//! Errors, notes and warnings keep their severity; the summary line (`Found 3 errors in 1 file`)
//! is checked against the errors read, so a truncated text log is not taken for a clean one.

use std::path::Path;

use serde::Deserialize;

use super::IngestError;

/// One mypy message.
#[derive(Clone, Debug, PartialEq)]
pub struct MypyMessage {
    pub path: String,
    pub line: u32,
    /// 1-based, when mypy printed one.
    pub column: Option<u32>,
    /// `error`, `note` or `warning`.
    pub severity: String,
    /// The error code (`arg-type`), or `mypy` for a message without one.
    pub code: String,
    pub message: String,
}

#[derive(Deserialize)]
struct JsonMessage {
    file: String,
    line: i64,
    #[serde(default)]
    column: Option<i64>,
    message: String,
    #[serde(default)]
    hint: Option<String>,
    #[serde(default)]
    code: Option<String>,
    severity: String,
}

const HINT: &str = "pass the output of `mypy --output json` or mypy's plain text output";

pub fn read(path: &Path) -> Result<Vec<MypyMessage>, IngestError> {
    let bytes = std::fs::read(path).map_err(|e| {
        IngestError::new(
            path,
            format!("cannot read the mypy report: {e}"),
            "check the path given to --mypy",
        )
        .caused_by(e)
    })?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        let valid = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), |_| 0);
        return Err(IngestError::at(path, &bytes, valid, "not UTF-8", HINT));
    };
    let first = text.trim_start_matches('\u{feff}').trim_start();
    if first.starts_with('{') {
        json_lines(path, text)
    } else {
        plain(path, text)
    }
}

fn json_lines(path: &Path, text: &str) -> Result<Vec<MypyMessage>, IngestError> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim().trim_start_matches('\u{feff}');
        if body.is_empty() {
            continue;
        }
        let m: JsonMessage = serde_json::from_str(body).map_err(|e| {
            let at = start + line.find(body).unwrap_or(0) + e.column().saturating_sub(1);
            IngestError::at(
                path,
                text.as_bytes(),
                at,
                format!("not a mypy JSON message: {e}"),
                HINT,
            )
        })?;
        let message = match m.hint.filter(|h| !h.is_empty()) {
            Some(hint) => format!("{} ({hint})", m.message),
            None => m.message,
        };
        out.push(MypyMessage {
            path: m.file,
            line: u32::try_from(m.line).unwrap_or(1).max(1),
            column: m.column.and_then(|c| u32::try_from(c).ok()).map(|c| c + 1),
            severity: m.severity,
            code: m.code.unwrap_or_else(|| "mypy".to_owned()),
            message,
        });
    }
    Ok(out)
}

/// `path:line[:col]: severity: message  [code]`; other lines (the summary, context) are read
/// only for the summary's count.
fn plain(path: &Path, text: &str) -> Result<Vec<MypyMessage>, IngestError> {
    let mut out = Vec::new();
    let mut stated: Option<usize> = None;
    for line in text.lines() {
        let line = line.trim_end();
        if let Some(n) = summary_count(line) {
            stated = Some(n);
            continue;
        }
        let Some((place, rest)) = split_severity(line) else {
            continue;
        };
        let (severity, message) = rest;
        if let Some((file, line_no, column)) = place_of(place) {
            out.push(message_of(
                file.to_owned(),
                line_no,
                column,
                severity,
                message,
            ));
        }
    }
    let errors = out.iter().filter(|m| m.severity == "error").count();
    match stated {
        Some(n) if n != errors => Err(IngestError::new(
            path,
            format!(
                "mypy's summary says {n} errors but {errors} error lines are in the file — it is truncated or filtered"
            ),
            "pass mypy's whole output",
        )),
        None => Err(IngestError::new(
            path,
            "no mypy summary line (`Found N errors in …` or `Success: no issues found …`) — the output is truncated or not mypy's",
            HINT,
        )),
        _ => Ok(out),
    }
}

fn message_of(
    path: String,
    line: u32,
    column: Option<u32>,
    severity: &str,
    message: &str,
) -> MypyMessage {
    let (message, code) = match message.rsplit_once("  [") {
        Some((m, code)) if code.ends_with(']') => {
            (m.to_owned(), code.trim_end_matches(']').to_owned())
        }
        _ => (message.to_owned(), "mypy".to_owned()),
    };
    MypyMessage {
        path,
        line: line.max(1),
        column,
        severity: severity.to_owned(),
        code,
        message,
    }
}

/// `path:line` or `path:line:column`.
fn place_of(place: &str) -> Option<(&str, u32, Option<u32>)> {
    let (head, last) = place.rsplit_once(':')?;
    let last: u32 = last.parse().ok()?;
    match head.rsplit_once(':') {
        Some((file, line)) if line.parse::<u32>().is_ok() => {
            Some((file, line.parse().ok()?, Some(last)))
        }
        _ => Some((head, last, None)),
    }
}

/// (`path:line[:col]`, (severity, message)) of a message line.
fn split_severity(line: &str) -> Option<(&str, (&str, &str))> {
    for severity in ["error", "note", "warning"] {
        let marker = format!(": {severity}: ");
        if let Some(i) = line.find(&marker) {
            return Some((&line[..i], (severity, &line[i + marker.len()..])));
        }
    }
    None
}

/// N of `Found N errors in M files (checked K source files)`; 0 for `Success: no issues found`.
fn summary_count(line: &str) -> Option<usize> {
    if line.starts_with("Success: no issues found") {
        return Some(0);
    }
    let rest = line.strip_prefix("Found ")?;
    let (n, rest) = rest.split_once(' ')?;
    (rest.starts_with("error"))
        .then(|| n.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<MypyMessage>, IngestError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mypy.out");
        std::fs::write(&path, text).unwrap();
        read(&path)
    }

    #[test]
    fn json_lines_and_plain_text_read_the_same_messages() {
        let json = "{\"file\": \"app/a.py\", \"line\": 12, \"column\": 11, \"message\": \"Bad\", \"hint\": null, \"code\": \"return-value\", \"severity\": \"error\"}\n";
        let got = parse(json).unwrap();
        assert_eq!(
            got,
            [MypyMessage {
                path: "app/a.py".into(),
                line: 12,
                column: Some(12),
                severity: "error".into(),
                code: "return-value".into(),
                message: "Bad".into()
            }]
        );
        let text = "app/a.py:12: error: Bad  [return-value]\napp/a.py:13: note: See here\nFound 1 error in 1 file (checked 2 source files)\n";
        let got = parse(text).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(
            (
                got[0].code.as_str(),
                got[0].column,
                got[1].severity.as_str()
            ),
            ("return-value", None, "note")
        );
        let columns =
            parse("a.py:3:5: error: X  [misc]\nFound 1 error in 1 file (checked 1 source file)\n")
                .unwrap();
        assert_eq!((columns[0].line, columns[0].column), (3, Some(5)));
        assert!(
            parse("Success: no issues found in 3 source files\n")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn truncated_or_malformed_reports_are_errors_with_their_place() {
        let err = parse("{\"file\": \"a.py\", \"line\": 1, \"message\": \"x\", \"severity\": \"error\"}\n{\"file\": \"a.py\", \"li").unwrap_err();
        assert_eq!(err.line.map(|(l, _)| l), Some(2), "{err}");
        let err = parse("a.py:1: error: X  [misc]\na.py:2: error: Y  [misc]\nFound 3 errors in 1 file (checked 1 source file)\n").unwrap_err();
        assert!(
            err.to_string().contains("summary says 3 errors but 2"),
            "{err}"
        );
        let err = parse("a.py:1: error: X  [misc]\n").unwrap_err();
        assert!(err.to_string().contains("no mypy summary line"), "{err}");
    }
}
