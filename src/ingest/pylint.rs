//! pylint's `--output-format=json2` report: its messages and the score in `statistics`.

use std::path::Path;

use serde::Deserialize;

use super::IngestError;
use crate::report::Severity;

#[derive(Debug, Deserialize)]
pub struct PylintReport {
    pub messages: Vec<Message>,
    pub statistics: Statistics,
}

#[derive(Debug, Deserialize)]
pub struct Statistics {
    /// Absent when pylint linted nothing.
    pub score: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// `fatal`, `error`, `warning`, `refactor`, `convention` or `info`.
    #[serde(rename = "type")]
    pub kind: String,
    pub symbol: String,
    pub message: String,
    pub message_id: String,
    pub path: String,
    pub line: u32,
    pub end_line: Option<u32>,
    /// 0-based, as pylint counts.
    #[serde(default)]
    pub column: Option<u32>,
}

impl Message {
    /// Fatal and error messages are high, warnings medium, the rest low.
    pub fn severity(&self) -> Severity {
        Severity::from_level(&self.kind)
    }
}

pub fn read(path: &Path) -> Result<PylintReport, IngestError> {
    let hint = "pass the output of `pylint --output-format=json2`";
    let value: serde_json::Value = super::read_json(path, "pylint json2 report", hint)?;
    if value.is_array() {
        // pylint's older `json` format: the messages without the score.
        return Err(IngestError::new(
            path,
            "this is pylint's `json` format, which has no score",
            "run pylint with `--output-format=json2`",
        ));
    }
    serde_json::from_value(value).map_err(|e| {
        IngestError::new(path, format!("not a pylint json2 report: {e}"), hint).caused_by(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PylintReport, IngestError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pylint.json");
        std::fs::write(&path, text).unwrap();
        read(&path)
    }

    #[test]
    fn messages_and_score() {
        let report = parse(
            r#"{"messages": [{"type": "error", "symbol": "undefined-variable", "message": "Undefined variable 'x'",
                "messageId": "E0602", "confidence": "UNDEFINED", "module": "a", "obj": "f", "line": 4, "column": 0,
                "endLine": 4, "endColumn": 1, "path": "a.py", "absolutePath": "/r/a.py"}],
              "statistics": {"messageTypeCount": {"error": 1}, "modulesLinted": 1, "score": 6.25}}"#,
        )
        .unwrap();
        assert_eq!(report.statistics.score, Some(6.25));
        let m = &report.messages[0];
        assert_eq!(
            (m.symbol.as_str(), m.severity(), m.line, m.end_line),
            ("undefined-variable", Severity::High, 4, Some(4))
        );
    }

    #[test]
    fn the_old_json_format_is_named() {
        let err = parse("[]").unwrap_err();
        assert!(err.to_string().contains("--output-format=json2"), "{err}");
    }
}
