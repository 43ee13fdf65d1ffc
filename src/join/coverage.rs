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
use crate::source::display_relative;

/// `[coverage]`: the reports to read and how their paths map.
#[derive(Clone, Debug, Default)]
pub struct CoverageInputs {
    /// Coverage reports (absolute): the command line's, else the configuration's.
    pub reports: Vec<PathBuf>,
    /// `before=after` prefix rules, applied to every report path first.
    pub path_map: Vec<String>,
    pub unreported: Unreported,
}

/// `[coverage] unreported`: how an analysed file that no coverage report mentions counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unreported {
    /// Named in a warning, left out of the totals — as coverage.py leaves out files it never
    /// imported (without `source`), so the total stays equal to coverage.py's TOTAL.
    #[default]
    Warn,
    /// Counted as not covered at all: its logical lines (Python; code lines in Rust) as an
    /// estimate of its statements, none of them run — as coverage.py's `source` option counts
    /// files the tests never imported.
    Uncovered,
}

/// Examples listed per kind of unmatched entry.
const EXAMPLES: usize = 3;

/// Why coverage could not be joined: exit 2.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    #[error("{0}")]
    Read(#[source] IngestError),
    #[error(
        "{reports}: no entry of the coverage report(s) matches an analysed file: {entries} entries, e.g. {report_examples}; \
         analysed files are e.g. {file_examples} — set `[coverage] path-map = [\"report-prefix=repo-prefix\"]`, \
         or run qgate from the directory the report's paths are relative to"
    )]
    NothingMatched {
        /// The reports read, as given.
        reports: String,
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
    // Which of them speak of entries that match no analysed file.
    let mut file_dependent: Vec<usize> = Vec::new();
    let mut listed = Vec::with_capacity(reports.len());
    for path in reports {
        let mut this = Stats::default();
        let resolve = |sources: &[String], name: &str| match resolver.resolve(name, sources) {
            Resolution::Matched(rel) => {
                this.matched += 1;
                Some(rel)
            }
            Resolution::Outside => this.unmatched("outside", name),
            Resolution::Ambiguous => this.unmatched("ambiguous", name),
            Resolution::NotFound => this.unmatched("not-found", name),
        };
        let read = ingest::read_coverage(path, Box::new(resolve))
            .map_err(CoverageError::Read)?
            .done();
        warnings.extend(read.warnings);
        listed.push(read.entries as u32);
        let mut own = crate::report::CoverageCounts::default();
        for hits in read.files.values() {
            own.add(hits.counts());
        }
        let shown_path = display_relative(path, std::path::Path::new(&report.root));
        let stated = read.stated.unwrap_or(read.listed);
        let shown = |c: crate::report::CoverageCounts| {
            c.percent()
                .map_or_else(|| "n/a".to_owned(), |p| crate::report::number(round2(p)))
        };
        let differs = shown(stated) != shown(own) && this.matched > 0;
        let total = format!(
            "qgate's coverage from it is {} % over {} where the report itself says {} % over {}",
            shown(own),
            entries_of(this.matched),
            shown(stated),
            read.entries
        );
        if let Some(unmatched) = this.unmatched_warning(&shown_path) {
            file_dependent.push(warnings.len());
            warnings.push(if differs {
                unmatched.replacen(" — ", &format!("; so {total} — "), 1)
            } else {
                unmatched
            });
        } else if differs {
            warnings.push(format!(
                "{shown_path}: {total} — the report's own totals do not add up to its lines; qgate counts the lines"
            ));
        }
        stats.absorb(this);
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
        let shown: Vec<String> = reports
            .iter()
            .map(|p| display_relative(p, std::path::Path::new(&report.root)))
            .collect();
        return Err(CoverageError::NothingMatched {
            reports: shown.join(", "),
            entries,
            report_examples: report_examples.join(", "),
            file_examples: file_examples.join(", "),
        });
    }
    warnings.extend(unreported(report, &merged, inputs.unreported));

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
            unreported: false,
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
        .extend(reports.iter().zip(listed).map(|(p, entries)| InputReport {
            kind: InputKind::Coverage,
            path: display_relative(p, std::path::Path::new(&report.root)),
            entries,
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
        .extend(
            warnings
                .into_iter()
                .enumerate()
                .map(|(i, message)| InputWarning {
                    topic: WarningTopic::Coverage,
                    message,
                    depends_on_files: file_dependent.contains(&i),
                }),
        );
    Ok(())
}

fn entries_of(n: usize) -> String {
    if n == 1 {
        "1 entry".to_owned()
    } else {
        format!("{n} entries")
    }
}

/// Analysed files no coverage report mentions, of the languages the reports cover (a Python
/// report says nothing about Rust files), with something to cover: named in a warning, and with
/// `unreported = "uncovered"` given coverage of none of their estimated statements.
fn unreported(
    report: &mut Report,
    merged: &BTreeMap<String, FileHits>,
    how: Unreported,
) -> Option<String> {
    let languages: Vec<crate::model::Language> = report
        .files
        .iter()
        .filter(|f| merged.contains_key(&f.path))
        .map(|f| f.language)
        .collect();
    let mut missing = Vec::new();
    for file in &mut report.files {
        if merged.contains_key(&file.path) || !languages.contains(&file.language) {
            continue;
        }
        let statements = file.lloc.unwrap_or(file.sloc);
        if statements == 0 || !file.errors.is_empty() {
            continue;
        }
        missing.push(file.path.clone());
        if how == Unreported::Uncovered {
            file.coverage = Some(FileCoverage {
                percent: Some(0.0),
                line_percent: Some(0.0),
                branch_percent: None,
                lines_valid: statements,
                lines_covered: 0,
                branches_valid: 0,
                branches_covered: 0,
                missing_lines: Vec::new(),
                covered_lines: LineRanges::default(),
                branches: Vec::new(),
                unreported: true,
            });
        }
    }
    if missing.is_empty() {
        return None;
    }
    let examples: Vec<String> = missing
        .iter()
        .take(EXAMPLES)
        .map(|p| format!("`{p}`"))
        .collect();
    Some(match how {
        Unreported::Warn => format!(
            "{} analysed file(s) appear in no coverage report, e.g. {}; they are not counted (as coverage.py does not count files it never imported) — set `[coverage] unreported = \"uncovered\"` to count them as not covered",
            missing.len(),
            examples.join(", ")
        ),
        Unreported::Uncovered => format!(
            "{} analysed file(s) appear in no coverage report, e.g. {}; counted as not covered (`unreported = \"uncovered\"`; their logical lines estimate their statements)",
            missing.len(),
            examples.join(", ")
        ),
    })
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
    fn absorb(&mut self, other: Stats) {
        self.matched += other.matched;
        self.outside += other.outside;
        self.ambiguous += other.ambiguous;
        self.not_found += other.not_found;
        for (kind, examples) in other.examples {
            let list = self.examples.entry(kind).or_default();
            for e in examples {
                if list.len() < EXAMPLES {
                    list.push(e);
                }
            }
        }
    }

    /// `site.xml: 8 of 14 entries match no analysed file …`, naming examples of each kind and
    /// what to do; none when every entry mapped.
    fn unmatched_warning(&self, path: &str) -> Option<String> {
        let unmatched = self.outside + self.ambiguous + self.not_found;
        if unmatched == 0 {
            return None;
        }
        let examples = |kind: &str| {
            self.examples
                .get(kind)
                .into_iter()
                .flatten()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut kinds = Vec::new();
        let mut hints = Vec::new();
        if self.not_found > 0 {
            kinds.push(format!(
                "{} not found, e.g. {}",
                self.not_found,
                examples("not-found")
            ));
            hints.push("a report older than the checkout lists files since deleted or renamed: regenerate it");
        }
        if self.outside > 0 {
            kinds.push(format!(
                "{} outside the repository, e.g. {}",
                self.outside,
                examples("outside")
            ));
            hints.push("dependencies are left out as they should be; if these are this repository's files, map them with `[coverage] path-map`");
        }
        if self.ambiguous > 0 {
            kinds.push(format!(
                "{} ambiguous, e.g. {}",
                self.ambiguous,
                examples("ambiguous")
            ));
            hints.push(
                "several analysed files end with these paths: pick one with `[coverage] path-map`",
            );
        }
        Some(format!(
            "{path}: {unmatched} of {} entries match no analysed file and are left out of coverage: {} — {}",
            unmatched + self.matched,
            kinds.join("; "),
            hints.join("; ")
        ))
    }

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
