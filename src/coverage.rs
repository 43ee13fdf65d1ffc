//! Joining coverage reports with the analysed files: read every report, map its paths onto the
//! repository, merge per file and line, and fill the report's coverage fields.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::ingest::paths::{Resolution, Resolver};
use crate::ingest::{self, Counts, FileHits, IngestError};
use crate::report::{CoverageSummary, FileCoverage, Report, round2};

/// Examples listed per kind of unmatched entry.
const EXAMPLES: usize = 3;

/// Why coverage could not be joined: exit 2.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    #[error("{0}")]
    Read(IngestError),
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

/// Reads `reports`, maps and merges them into `report` (files and summary).
pub fn join(
    report: &mut Report,
    reports: &[PathBuf],
    path_map: &[String],
) -> Result<(), CoverageError> {
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

    let mut total = Counts::default();
    let mut min_file: Option<f64> = None;
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
        total.add(counts);
        let percent = counts.percent();
        if let Some(p) = percent {
            min_file = Some(min_file.map_or(p, |m: f64| m.min(p)));
        }
        file.coverage = Some(FileCoverage {
            percent: percent.map(round2),
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
    report.summary.coverage = CoverageSummary {
        percent: total.percent().map(round2),
        line_percent: total.line_percent().map(round2),
        branch_percent: total.branch_percent().map(round2),
        lines_valid: Some(total.lines_valid),
        lines_covered: Some(total.lines_covered),
        branches_valid: Some(total.branches_valid),
        branches_covered: Some(total.branches_covered),
        min_file_percent: min_file.map(round2),
        reports: reports.iter().map(|p| p.display().to_string()).collect(),
        matched_entries: Some(stats.matched as u32),
        unmatched: stats.examples,
        outside_entries: Some(stats.outside as u32),
        warnings,
        ambiguous_entries: Some(stats.ambiguous as u32),
        not_found_entries: Some(stats.not_found as u32),
        reason: total
            .percent()
            .is_none()
            .then(|| "the coverage reports list no executable line".to_owned()),
    };
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
