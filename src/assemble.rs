//! Builds the report from what the per-file analysis produced: per-file entries, qgate's own
//! findings and the summary. Gates are evaluated afterwards, on the summary.

use crate::discover::Candidate;
use crate::metrics::maintainability;
use crate::metrics::rank::cyclomatic_rank;
use crate::model::{DocCount, FileModel, FunctionModel, Language, Skip};
use crate::report::{
    Average, CoverageSummary, DocstringsSummary, DuplicationSummary, FileError, FileReport,
    Finding, FindingCounts, FunctionReport, PylintSummary, Report, SCHEMA_VERSION, SecuritySummary,
    Severity, SkippedFile, Stat, Status, Summary, Tool, TypeHintsSummary, round2,
};
use crate::settings::Settings;

/// What analysing one file produced.
// One value per file, moved once into the report: boxing the model would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    Analysed(FileModel),
    Skipped(Skip),
}

/// The report for `candidates` and their outcomes (in the same order), gates not yet evaluated.
pub fn assemble(
    settings: &Settings,
    excluded: &globset::GlobSet,
    candidates: &[Candidate],
    outcomes: Vec<Outcome>,
) -> Report {
    let limits = FunctionLimits::from(settings);
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut findings = Vec::new();
    let mut models = Vec::new();
    for (candidate, outcome) in candidates.iter().zip(outcomes) {
        match outcome {
            Outcome::Analysed(model) => {
                let file = file_report(&candidate.rel, &model);
                findings.extend(limits.findings(&file));
                files.push(file);
                models.push(model);
            }
            Outcome::Skipped(skip) => {
                skipped.push(SkippedFile {
                    path: candidate.rel.clone(),
                    reason: skip.reason,
                    message: skip.message,
                });
            }
        }
    }
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let clones = crate::clones::detect(&models, &paths, settings, excluded);
    for (file, lines) in files.iter_mut().zip(&clones.per_file) {
        file.duplicated_lines = *lines;
    }
    let mut summary = summarize(&files, &models, skipped.len());
    summary.duplication = clones.summary;
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "qgate".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        status: Status::Pass,
        root: settings.root.to_string_lossy().into_owned(),
        summary,
        gates: Vec::new(),
        files,
        duplication: clones.duplication,
        findings,
        skipped,
    }
}

/// Per-function limits that turn into findings (from the complexity and cognitive gates).
struct FunctionLimits {
    cyclomatic: Option<f64>,
    cognitive: Option<f64>,
}

impl FunctionLimits {
    fn from(settings: &Settings) -> Self {
        let limit = |gate: &str| {
            settings
                .gate(gate)
                .filter(|g| g.enabled)
                .and_then(|g| g.thresholds.iter().find(|t| t.key == "max-function"))
                .map(|t| t.value)
        };
        Self {
            cyclomatic: limit("complexity"),
            cognitive: limit("cognitive"),
        }
    }

    fn findings<'a>(&'a self, file: &'a FileReport) -> impl Iterator<Item = Finding> + 'a {
        file.functions.iter().flat_map(move |f| {
            let cyclomatic = self
                .cyclomatic
                .filter(|&limit| f64::from(f.cyclomatic) > limit)
                .map(|limit| {
                    finding(
                        "function-too-complex",
                        file,
                        f,
                        format!(
                            "cyclomatic complexity {} (rank {}), above the limit of {limit}",
                            f.cyclomatic, f.rank
                        ),
                    )
                });
            let cognitive = f
                .cognitive
                .zip(self.cognitive)
                .filter(|&(c, limit)| f64::from(c) > limit)
                .map(|(c, limit)| {
                    finding(
                        "function-too-cognitive",
                        file,
                        f,
                        format!("cognitive complexity {c}, above the limit of {limit}"),
                    )
                });
            cyclomatic.into_iter().chain(cognitive)
        })
    }
}

fn finding(rule: &str, file: &FileReport, f: &FunctionReport, what: String) -> Finding {
    Finding {
        rule: rule.to_owned(),
        source: "qgate".to_owned(),
        severity: Severity::Medium,
        path: file.path.clone(),
        line: f.line,
        function: Some(f.qualified_name.clone()),
        message: format!("`{}` has {what}", f.qualified_name),
        end_line: None,
        confidence: None,
        help_url: None,
    }
}

fn file_report(path: &str, model: &FileModel) -> FileReport {
    let python = model.language == Language::Python;
    let parsed = model.errors.is_empty();
    FileReport {
        path: path.to_owned(),
        language: model.language,
        lines: model.lines.lines,
        sloc: model.lines.sloc,
        lloc: model.lines.lloc,
        comments: model.lines.comments,
        blank: model.lines.blank,
        multi: model.lines.multi,
        single_comments: model.lines.single_comments,
        maintainability: model.maintainability.map(round2),
        maintainability_rank: model
            .maintainability
            .map(|mi| maintainability::rank(mi).to_string()),
        total_complexity: model.total_complexity,
        halstead: model.halstead.map(Into::into),
        docstrings: model.docstrings.map(docstrings_summary),
        type_hints: (python && parsed).then(|| type_hints_summary(&model.functions)),
        duplicated_lines: None,
        coverage: None,
        errors: model
            .errors
            .iter()
            .map(|e| FileError {
                kind: e.kind.as_str().to_owned(),
                line: e.line,
                column: e.column,
                message: e.message.clone(),
            })
            .collect(),
        findings: FindingCounts::default(),
        functions: model.functions.iter().map(function_report).collect(),
        suppressions: model.suppressions.clone(),
    }
}

fn function_report(f: &FunctionModel) -> FunctionReport {
    FunctionReport {
        name: f.name.clone(),
        qualified_name: f.qualified_name.clone(),
        line: f.line,
        end_line: f.end_line,
        cyclomatic: f.cyclomatic,
        rank: cyclomatic_rank(f.cyclomatic).to_string(),
        cognitive: f.cognitive,
        halstead: f.halstead.map(Into::into),
        coverage: None,
        params: f.type_hints.map(|h| h.params),
        annotated_params: f.type_hints.map(|h| h.annotated_params),
        returns_annotated: f.type_hints.and_then(|h| h.returns_annotated),
        has_docstring: f.has_docstring,
    }
}

fn docstrings_summary(count: DocCount) -> DocstringsSummary {
    DocstringsSummary {
        percent: count.percent().map(round2),
        documented: count.documented,
        total: count.total,
        reason: (count.total == 0).then(|| "nothing to document".to_owned()),
    }
}

fn type_hints_summary<'a>(
    functions: impl IntoIterator<Item = &'a FunctionModel>,
) -> TypeHintsSummary {
    let mut s = TypeHintsSummary::default();
    for hints in functions.into_iter().filter_map(|f| f.type_hints) {
        s.slots += hints.slots();
        s.annotated += hints.annotated();
        s.functions += 1;
        s.fully_annotated += u32::from(hints.complete());
    }
    s.percent = percent(s.annotated, s.slots);
    s.fully_annotated_percent = percent(s.fully_annotated, s.functions);
    if s.slots == 0 {
        s.reason = Some("no Python function parameters or returns to annotate".to_owned());
    }
    s
}

fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| round2(f64::from(part) / f64::from(whole) * 100.0))
}

/// Mean and maximum of per-function values; `null` with a reason when there are none.
fn stat(values: &[u32], what: &str) -> Stat<u32> {
    if values.is_empty() {
        return Stat {
            average: None,
            max: Some(0),
            reason: Some(format!("no functions with {what}")),
        };
    }
    let total: u64 = values.iter().map(|&v| u64::from(v)).sum();
    Stat {
        average: Some(round2(total as f64 / values.len() as f64)),
        max: values.iter().copied().max(),
        reason: None,
    }
}

fn summarize(files: &[FileReport], models: &[FileModel], skipped: usize) -> Summary {
    let functions: Vec<&FunctionModel> = models.iter().flat_map(|m| &m.functions).collect();
    let cyclomatic: Vec<u32> = functions.iter().map(|f| f.cyclomatic).collect();
    let cognitive: Vec<u32> = functions.iter().filter_map(|f| f.cognitive).collect();
    let count = |lang: Language| files.iter().filter(|f| f.language == lang).count() as u32;
    let sum = |field: fn(&FileReport) -> u32| files.iter().map(field).sum::<u32>();

    let mi: Vec<f64> = models.iter().filter_map(|m| m.maintainability).collect();
    let maintainability = if mi.is_empty() {
        Average {
            average: None,
            reason: Some("no file with a maintainability index".to_owned()),
        }
    } else {
        Average {
            average: Some(round2(mi.iter().sum::<f64>() / mi.len() as f64)),
            reason: None,
        }
    };
    let mut docs = DocCount::default();
    for count in models.iter().filter_map(|m| m.docstrings) {
        docs.documented += count.documented;
        docs.total += count.total;
    }
    let cognitive_stat = stat(&cognitive, "a cognitive complexity");
    Summary {
        files: files.len() as u32,
        python_files: count(Language::Python),
        rust_files: count(Language::Rust),
        functions: functions.len() as u32,
        lines: sum(|f| f.lines),
        sloc: sum(|f| f.sloc),
        comments: sum(|f| f.comments),
        blank: sum(|f| f.blank),
        parse_errors: files.iter().filter(|f| !f.errors.is_empty()).count() as u32,
        skipped: skipped as u32,
        complexity: stat(&cyclomatic, "a cyclomatic complexity"),
        cognitive: cognitive_stat,
        maintainability,
        duplication: DuplicationSummary {
            percent: None,
            duplicated_lines: None,
            clones: None,
            reason: Some("duplication is not computed in this version of qgate".to_owned()),
        },
        coverage: CoverageSummary {
            reason: Some("no coverage report given (--coverage FILE)".to_owned()),
            ..CoverageSummary::default()
        },
        type_hints: type_hints_summary(functions.iter().copied()),
        docstrings: docstrings_summary(docs),
        security: SecuritySummary {
            high: None,
            medium: None,
            low: None,
            warnings: Vec::new(),
            reason: Some(
                "no Bandit or SARIF report given (--bandit FILE, --sarif FILE)".to_owned(),
            ),
        },
        pylint: PylintSummary {
            reason: Some("no pylint report given (--pylint FILE)".to_owned()),
            ..PylintSummary::default()
        },
        findings: FindingCounts::default(),
    }
}
