//! LCOV tracefiles (geninfo's format, as coverage.py, cargo-llvm-cov and grcov write them).

use std::path::Path;

use super::{FileHits, IngestError, Report};

/// Whether the text starts like an LCOV tracefile.
pub fn looks_like(text: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&text[..text.len().min(4096)]);
    head.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .is_some_and(|l| {
            // Any record keyword: a tracefile that starts with `DA:` is LCOV, malformed, and
            // the reader says where (R14).
            const KEYS: &[&str] = &[
                "TN", "SF", "VER", "FN", "FNDA", "FNF", "FNH", "FNL", "FNA", "DA", "BRDA", "BRF",
                "BRH", "LF", "LH",
            ];
            l == "end_of_record"
                || l.split_once(':')
                    .is_some_and(|(key, _)| KEYS.contains(&key))
        })
}

pub fn read<'a>(
    path: &Path,
    input: impl std::io::BufRead,
    mut report: Report<'a>,
) -> Result<Report<'a>, IngestError> {
    let mut current: Option<(String, FileHits)> = None;
    // Branches per (line, block, branch): taken or not; folded into counts per line at the end.
    let mut branches: std::collections::BTreeMap<(u32, String), bool> = Default::default();
    let finish = |current: &mut Option<(String, FileHits)>,
                  branches: &mut std::collections::BTreeMap<(u32, String), bool>,
                  report: &mut Report| {
        if let Some((file, mut hits)) = current.take() {
            for ((line, _), taken) in std::mem::take(branches) {
                let entry = hits.branches.entry(line).or_insert((0, 0));
                entry.0 += u32::from(taken);
                entry.1 += 1;
            }
            report.add(file, hits);
        }
    };
    for (n, raw) in input.split(b'\n').enumerate() {
        let raw = raw.map_err(|e| {
            IngestError::new(path, format!("cannot read: {e}"), "check the file").caused_by(e)
        })?;
        let raw = String::from_utf8_lossy(&raw);
        let line = raw.trim();
        // Only the first `:` separates the record from its value (`SF:C:\proj\a.rs`).
        let Some((tag, value)) = line.split_once(':') else {
            if line == "end_of_record" {
                finish(&mut current, &mut branches, &mut report);
            }
            continue;
        };
        match tag {
            "SF" => {
                finish(&mut current, &mut branches, &mut report);
                current = Some((value.to_owned(), FileHits::default()));
            }
            "DA" | "BRDA" if current.is_none() => {
                return Err(IngestError {
                    line: Some((u32::try_from(n + 1).unwrap_or(u32::MAX), 1)),
                    ..IngestError::new(
                        path,
                        format!("malformed LCOV: `{tag}` before any `SF:` record"),
                        "regenerate the tracefile",
                    )
                });
            }
            "DA" => {
                let mut fields = value.split(',');
                let number = fields.next().and_then(|f| f.trim().parse::<u32>().ok());
                let count = fields.next().and_then(|f| f.trim().parse::<f64>().ok());
                if let (Some(number), Some(count), Some((_, hits))) =
                    (number, count, current.as_mut())
                    && number > 0
                {
                    *hits.lines.entry(number).or_insert(false) |= count > 0.0;
                }
            }
            "BRDA" => {
                let fields: Vec<&str> = value.split(',').collect();
                if let [line, block, branch, taken, ..] = fields.as_slice()
                    && let Ok(line) = line.trim().parse::<u32>()
                {
                    let taken =
                        taken.trim() != "-" && taken.trim().parse::<f64>().is_ok_and(|t| t > 0.0);
                    let id = format!("{block},{branch}");
                    *branches.entry((line, id)).or_insert(false) |= taken;
                }
            }
            _ => {}
        }
    }
    // A missing final `end_of_record` is tolerated: the last record still counts.
    if current.is_some() {
        report.warnings.push(format!(
            "{}: the last record has no `end_of_record`; read it anyway",
            path.display()
        ));
    }
    finish(&mut current, &mut branches, &mut report);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_merge_and_branches_count() {
        let text = "TN:\nSF:src/a.py\nDA:1,1\nDA:2,0,abc\nBRDA:2,0,3,1\nBRDA:2,0,exit,-\nend_of_record\nSF:src/a.py\nDA:2,4\nend_of_record\n";
        let r = read(Path::new("x.lcov"), text.as_bytes(), Report::keep_all()).unwrap();
        let a = &r.files["src/a.py"];
        assert_eq!(a.lines.values().copied().collect::<Vec<_>>(), [true, true]);
        assert_eq!(a.branches[&2], (1, 2));
    }

    #[test]
    fn windows_paths_and_missing_end_of_record() {
        let r = read(
            Path::new("x.lcov"),
            &b"SF:C:\\proj\\a.rs\nDA:3,1\n"[..],
            Report::keep_all(),
        )
        .unwrap();
        assert!(r.files.contains_key("C:\\proj\\a.rs"));
    }

    #[test]
    fn data_before_a_file_is_an_error() {
        let err = read(
            Path::new("x.lcov"),
            &b"TN:\nDA:1,1\n"[..],
            Report::keep_all(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.lcov:2:1: malformed LCOV: `DA` before any `SF:` record — regenerate the tracefile"
        );
    }
}
