//! One run: discover → analyse every file in parallel → assemble the report → evaluate gates.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::prelude::*;

use crate::discover::{Candidate, discover};
use crate::frontend::{self, Analysis};
use crate::gate::eval;
use crate::metrics::rank::cyclomatic_rank;
use crate::model::{FileModel, Language};
use crate::report::{
    Average, CoverageSummary, Duplication, DuplicationSummary, FileError, FileReport, Finding,
    FunctionReport, PercentSummary, Report, SCHEMA_VERSION, SecuritySummary, Severity, SkippedFile,
    Stat, Status, Summary, Tool, round2,
};
use crate::settings::{ConfigError, Settings};
use crate::source::{Skip, SkipReason, read_source};

/// Stack of each analysis thread. syn parses recursively; nesting is bounded before parsing
/// (see `frontend::rust_lex::MAX_NESTING`) so this is ample. It is reserved, not committed:
/// untouched pages cost no memory.
pub const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Why a run could not produce a trustworthy report.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error(
        "no Python or Rust files to analyse under {paths} — check the path, `include` and `exclude`"
    )]
    NothingToAnalyse { paths: String },
    #[error("cannot start the analysis threads: {0}")]
    ThreadPool(String),
}

/// What analysing one file produced.
enum Outcome {
    Analysed(FileModel),
    Skipped(Skip),
}

/// Analyses what `settings` selects and returns the gated report.
pub fn run(settings: &Settings) -> Result<Report, RunError> {
    let candidates = discover(settings)?;
    if candidates.is_empty() {
        let paths: Vec<String> = settings
            .paths
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect();
        return Err(RunError::NothingToAnalyse {
            paths: paths.join(", "),
        });
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.unwrap_or(0))
        .stack_size(STACK_SIZE)
        .thread_name(|i| format!("qgate-analysis-{i}"))
        .build()
        .map_err(|e| RunError::ThreadPool(e.to_string()))?;
    let max_size = settings.max_file_size;
    let outcomes: Vec<Outcome> = pool.install(|| {
        candidates
            .par_iter()
            .map(|c| analyze_file(c, max_size))
            .collect()
    });
    let mut report = assemble(settings, &candidates, outcomes);
    eval::apply(&mut report, settings);
    Ok(report)
}

fn analyze_file(candidate: &Candidate, max_size: u64) -> Outcome {
    if let Some(skip) = &candidate.skip {
        return Outcome::Skipped(skip.clone());
    }
    let text = match read_source(&candidate.path, max_size) {
        Ok(text) => text,
        Err(skip) => return Outcome::Skipped(skip),
    };
    // One file's bug must not end the run, nor pass it: it becomes an `internal-error` skip,
    // which makes the run exit 2.
    let analysis = catch_unwind(AssertUnwindSafe(|| {
        inject_fault(&candidate.rel);
        frontend::analyze(candidate.language, &text)
    }));
    match analysis {
        Ok(Analysis::Model(model)) => Outcome::Analysed(model),
        Ok(Analysis::Skipped(skip)) => Outcome::Skipped(skip),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Outcome::Skipped(Skip::new(
                SkipReason::InternalError,
                format!(
                    "qgate bug while analysing this file: {what} — please report it with the file"
                ),
            ))
        }
    }
}

/// Debug builds panic on a chosen file (`QGATE_TEST_PANIC_ON=<relative path>`) so tests can
/// prove a crash in one file is contained. Release builds have no such hook.
fn inject_fault(rel: &str) {
    if cfg!(debug_assertions) && std::env::var("QGATE_TEST_PANIC_ON").is_ok_and(|p| p == rel) {
        panic!("injected fault for {rel}");
    }
}

fn assemble(settings: &Settings, candidates: &[Candidate], outcomes: Vec<Outcome>) -> Report {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut findings = Vec::new();
    let max_function = settings
        .gate("complexity")
        .filter(|g| g.enabled)
        .and_then(|g| g.thresholds.iter().find(|t| t.key == "max-function"))
        .map(|t| t.value);
    for (candidate, outcome) in candidates.iter().zip(outcomes) {
        match outcome {
            Outcome::Analysed(model) => {
                let file = file_report(&candidate.rel, model);
                if let Some(limit) = max_function {
                    findings.extend(complexity_findings(&file, limit));
                }
                files.push(file);
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
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "qgate".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        status: Status::Pass,
        root: settings.root.to_string_lossy().into_owned(),
        summary: summarize(&files, skipped.len()),
        gates: Vec::new(),
        files,
        duplication: Duplication::default(),
        findings,
        skipped,
    }
}

fn file_report(path: &str, model: FileModel) -> FileReport {
    FileReport {
        path: path.to_owned(),
        language: model.language,
        lines: model.lines.lines,
        sloc: model.lines.sloc,
        lloc: None,
        comments: model.lines.comments,
        blank: model.lines.blank,
        maintainability: None,
        halstead: None,
        coverage: None,
        errors: model
            .errors
            .into_iter()
            .map(|e| FileError {
                kind: e.kind.as_str().to_owned(),
                line: e.line,
                column: e.column,
                message: e.message,
            })
            .collect(),
        functions: model
            .functions
            .into_iter()
            .map(|f| FunctionReport {
                rank: cyclomatic_rank(f.cyclomatic).to_string(),
                name: f.name,
                qualified_name: f.qualified_name,
                line: f.line,
                end_line: f.end_line,
                cyclomatic: f.cyclomatic,
                cognitive: None,
                params: None,
                annotated_params: None,
                returns_annotated: None,
                has_docstring: None,
            })
            .collect(),
    }
}

/// Functions over the complexity gate's `max-function`, as findings a reviewer can jump to.
fn complexity_findings(file: &FileReport, limit: f64) -> impl Iterator<Item = Finding> + '_ {
    file.functions
        .iter()
        .filter(move |f| f64::from(f.cyclomatic) > limit)
        .map(move |f| Finding {
            rule: "function-too-complex".to_owned(),
            source: "qgate".to_owned(),
            severity: Severity::Medium,
            path: file.path.clone(),
            line: f.line,
            function: Some(f.qualified_name.clone()),
            message: format!(
                "`{}` has cyclomatic complexity {} (rank {}), above the limit of {limit}",
                f.qualified_name, f.cyclomatic, f.rank
            ),
        })
}

fn summarize(files: &[FileReport], skipped: usize) -> Summary {
    let functions: Vec<u32> = files
        .iter()
        .flat_map(|f| f.functions.iter().map(|g| g.cyclomatic))
        .collect();
    let count = |lang: Language| files.iter().filter(|f| f.language == lang).count() as u32;
    let sum = |field: fn(&FileReport) -> u32| files.iter().map(field).sum::<u32>();
    let complexity = if functions.is_empty() {
        Stat {
            average: None,
            max: Some(0),
            reason: Some("no functions analysed".to_owned()),
        }
    } else {
        let total: u64 = functions.iter().map(|&c| u64::from(c)).sum();
        Stat {
            average: Some(round2(total as f64 / functions.len() as f64)),
            max: functions.iter().copied().max(),
            reason: None,
        }
    };
    let not_yet = |what: &str| Some(format!("{what} is not computed in this version of qgate"));
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
        complexity,
        cognitive: Stat {
            average: None,
            max: None,
            reason: not_yet("cognitive complexity"),
        },
        maintainability: Average {
            average: None,
            reason: not_yet("the maintainability index"),
        },
        duplication: DuplicationSummary {
            percent: None,
            duplicated_lines: None,
            clones: None,
            reason: not_yet("duplication"),
        },
        coverage: CoverageSummary {
            percent: None,
            line_percent: None,
            branch_percent: None,
            reason: Some("no coverage report given".to_owned()),
        },
        type_hints: PercentSummary {
            percent: None,
            reason: not_yet("type-hint coverage"),
        },
        docstrings: PercentSummary {
            percent: None,
            reason: not_yet("docstring coverage"),
        },
        security: SecuritySummary {
            high: None,
            medium: None,
            low: None,
            reason: Some("no Bandit or SARIF report given".to_owned()),
        },
    }
}
