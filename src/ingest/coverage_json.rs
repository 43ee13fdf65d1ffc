//! coverage.py's JSON report (`coverage json`, format 2 and 3).

use std::path::Path;

use serde::Deserialize;

use super::{FileHits, IngestError, Report};

#[derive(Deserialize)]
struct Json {
    meta: Option<Meta>,
    files: std::collections::BTreeMap<String, JsonFile>,
    totals: Option<Totals>,
}

/// `totals`: the report's own summary.
#[derive(Deserialize)]
struct Totals {
    num_statements: u32,
    covered_lines: u32,
    #[serde(default)]
    num_branches: u32,
    #[serde(default)]
    covered_branches: u32,
}

#[derive(Deserialize)]
struct Meta {
    format: Option<u32>,
}

#[derive(Deserialize)]
struct JsonFile {
    #[serde(default)]
    executed_lines: Vec<u32>,
    #[serde(default)]
    missing_lines: Vec<u32>,
    #[serde(default)]
    executed_branches: Vec<[i64; 2]>,
    #[serde(default)]
    missing_branches: Vec<[i64; 2]>,
}

pub fn read<'a>(
    path: &Path,
    text: &[u8],
    mut report: Report<'a>,
) -> Result<Report<'a>, IngestError> {
    let json: Json = serde_json::from_slice(text).map_err(|e| {
        super::json_error(
            path,
            text,
            e,
            "coverage.py JSON report",
            "pass `coverage json` output",
        )
    })?;
    if let Some(format) = json.meta.as_ref().and_then(|m| m.format)
        && !(2..=3).contains(&format)
    {
        // Newer formats are read for the fields qgate knows.
        report.warnings.push(format!(
            "{}: coverage.py JSON format {format}; the fields of format 3 were read",
            path.display()
        ));
    }
    report.stated = json.totals.map(|t| crate::report::CoverageCounts {
        lines_valid: t.num_statements,
        lines_covered: t.covered_lines,
        branches_valid: t.num_branches,
        branches_covered: t.covered_branches,
    });
    for (name, f) in json.files {
        let mut hits = FileHits::default();
        for line in f.executed_lines.into_iter().filter(|&l| l > 0) {
            hits.lines.insert(line, true);
        }
        for line in f.missing_lines.into_iter().filter(|&l| l > 0) {
            hits.lines.entry(line).or_insert(false);
        }
        for ([from, _], taken) in f
            .executed_branches
            .iter()
            .map(|b| (b, true))
            .chain(f.missing_branches.iter().map(|b| (b, false)))
        {
            if let Ok(line) = u32::try_from(*from) {
                let entry = hits.branches.entry(line).or_insert((0, 0));
                entry.0 += u32::from(taken);
                entry.1 += 1;
            }
        }
        report.add(name, hits);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_and_arcs() {
        let text = r#"{"meta": {"format": 3}, "files": {"a.py": {"executed_lines": [1, 2], "missing_lines": [3],
            "executed_branches": [[2, 3]], "missing_branches": [[2, -1]]}}}"#;
        let r = read(Path::new("c.json"), text.as_bytes(), Report::keep_all()).unwrap();
        assert_eq!(
            r.files["a.py"].counts(),
            crate::report::CoverageCounts {
                lines_valid: 3,
                lines_covered: 2,
                branches_valid: 2,
                branches_covered: 1
            }
        );
    }

    #[test]
    fn truncated_json_names_the_place() {
        let err = read(
            Path::new("c.json"),
            b"{\"files\": {\"a.py\": {\"executed_lines\": [1,",
            Report::keep_all(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("c.json:1:"), "{err}");
        assert!(err.hint.contains("truncated"));
    }
}
