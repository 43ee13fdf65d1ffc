//! Joining coverage reports with the analysed files: read every report, map its paths onto the
//! repository, merge per file and line, and fill each file's (and function's) coverage.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::ingest::paths::{Resolution, Resolver};
use crate::ingest::{self, FileHits, IngestError};
use crate::report::{
    CoverageMapping, FileCoverage, InputKind, InputReport, InputWarning, LineRanges, Report,
    WarningTopic, round2,
};

/// `[coverage]`: the reports to read and how their paths map.
#[derive(Clone, Debug, Default)]
pub struct CoverageInputs {
    /// Coverage reports (absolute): the command line's, then the configuration's.
    pub reports: Vec<PathBuf>,
    /// `before=after` prefix rules, the last resort of path mapping.
    pub path_map: Vec<String>,
}

/// Examples listed per kind of unmatched entry.
const EXAMPLES: usize = 3;

/// Why coverage could not be joined: exit 2.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    #[error("{0}")]
    Read(#[source] IngestError),
    #[error(
        "no entry of the coverage report(s) matches an analysed file: {entries} entries, e.g. {report_examples}; \
         analysed files are e.g. {file_examples} — set `[coverage] path-map = [\"report-prefix=repo-prefix\"]`, \
         or run qgate from the directory the report's paths are relative to"
    )]
    NothingMatched {
        entries: usize,
        report_examples: String,
        file_examples: String,
    },
}

/// Reads the reports, maps and merges them into `report.files`; records them in `report.inputs`.
pub fn join(report: &mut Report, inputs: &CoverageInputs) -> Result<(), CoverageError> {
    let (reports, path_map) = (&inputs.reports, &inputs.path_map);
    if reports.is_empty() {
        return Ok(());
    }
    let known: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    let resolver = Resolver::new(&report.root, &known, path_map);
    let mut merged: BTreeMap<String, FileHits> = BTreeMap::new();
    let mut stats = Stats::default();
    let mut warnings: Vec<String> = Vec::new();
    for path in reports {
        let resolve = |sources: &[String], name: &str| match resolver.resolve(name, sources) {
            Resolution::Matched(rel) => {
                stats.matched += 1;
                Some(rel)
            }
            Resolution::Outside => stats.unmatched("outside", name),
            Resolution::Ambiguous => stats.unmatched("ambiguous", name),
            Resolution::NotFound => stats.unmatched("not-found", name),
        };
        let read = ingest::read_coverage(path, Box::new(resolve)).map_err(CoverageError::Read)?;
        warnings.extend(read.warnings);
        for (rel, hits) in read.files {
            merged.entry(rel).or_default().merge(hits);
        }
    }
    let entries = stats.matched + stats.outside + stats.ambiguous + stats.not_found;
    if stats.matched == 0 && entries > 0 && !known.is_empty() {
        let report_examples: Vec<String> = stats
            .examples
            .values()
            .flatten()
            .take(EXAMPLES)
            .map(|e| format!("`{e}`"))
            .collect();
        let file_examples: Vec<String> = known
            .iter()
            .take(EXAMPLES)
            .map(|f| format!("`{f}`"))
            .collect();
        return Err(CoverageError::NothingMatched {
            entries,
            report_examples: report_examples.join(", "),
            file_examples: file_examples.join(", "),
        });
    }

    for file in &mut report.files {
        let Some(hits) = merged.get_mut(&file.path) else {
            continue;
        };
        // Lines past the end of the file come from a report of an older version of it.
        if let Some((&last, _)) = hits.lines.last_key_value()
            && last > file.lines
        {
            warnings.push(format!(
                "coverage for {} looks stale (line {last} > {} lines); its lines past the end were ignored — regenerate the coverage report",
                file.path, file.lines
            ));
            hits.lines.retain(|&line, _| line <= file.lines);
            hits.branches.retain(|&line, _| line <= file.lines);
        }
        let counts = hits.counts();
        file.coverage = Some(FileCoverage {
            percent: counts.percent().map(round2),
            line_percent: counts.line_percent().map(round2),
            branch_percent: counts.branch_percent().map(round2),
            lines_valid: counts.lines_valid,
            lines_covered: counts.lines_covered,
            branches_valid: counts.branches_valid,
            branches_covered: counts.branches_covered,
            missing_lines: hits
                .lines
                .iter()
                .filter(|(_, hit)| !**hit)
                .map(|(l, _)| *l)
                .collect(),
            covered_lines: LineRanges::from_ascending(
                hits.lines.iter().filter(|(_, hit)| **hit).map(|(l, _)| *l),
            ),
            branches: hits
                .branches
                .iter()
                .map(|(&line, &(taken, total))| [line, taken.min(total), total])
                .collect(),
        });
        for function in &mut file.functions {
            let lines = hits.lines.range(function.line..=function.end_line);
            let (valid, covered) = lines.fold((0u32, 0u32), |(v, c), (_, hit)| {
                (v + 1, c + u32::from(*hit))
            });
            function.coverage =
                (valid > 0).then(|| round2(f64::from(covered) / f64::from(valid) * 100.0));
        }
    }
    report
        .inputs
        .reports
        .extend(reports.iter().map(|p| InputReport {
            kind: InputKind::Coverage,
            path: p.display().to_string(),
        }));
    report.inputs.coverage_mapping = Some(CoverageMapping {
        matched: stats.matched as u32,
        outside: stats.outside as u32,
        ambiguous: stats.ambiguous as u32,
        not_found: stats.not_found as u32,
        unmatched: stats.examples,
    });
    report
        .inputs
        .warnings
        .extend(warnings.into_iter().map(|message| InputWarning {
            topic: WarningTopic::Coverage,
            message,
        }));
    Ok(())
}

#[derive(Default)]
struct Stats {
    matched: usize,
    outside: usize,
    ambiguous: usize,
    not_found: usize,
    examples: BTreeMap<String, Vec<String>>,
}

impl Stats {
    fn unmatched(&mut self, kind: &str, entry: &str) -> Option<String> {
        match kind {
            "outside" => self.outside += 1,
            "ambiguous" => self.ambiguous += 1,
            _ => self.not_found += 1,
        }
        let list = self.examples.entry(kind.to_owned()).or_default();
        if list.len() < EXAMPLES {
            list.push(entry.to_owned());
        }
        None
    }
}
