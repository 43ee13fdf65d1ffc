//! One run: discover → analyse every file in parallel → assemble the report → evaluate gates.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::prelude::*;

use crate::assemble::{Outcome, assemble};
use crate::discover::{Candidate, discover};
use crate::frontend::{self, Analysis};
use crate::gate::eval;
use crate::model::{Skip, SkipReason};
use crate::report::Report;
use crate::settings::{ConfigError, Settings};
use crate::source::read_source;

/// Stack of each analysis thread. syn parses recursively; nesting is bounded before parsing
/// (see `frontend::rust::lex::MAX_NESTING`) so this is ample. It is reserved, not committed:
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
    #[error("{0}")]
    Coverage(#[from] crate::coverage::CoverageError),
    #[error("{0}")]
    Findings(#[from] crate::findings::FindingsError),
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
    let outcomes: Vec<Outcome> = pool.install(|| {
        candidates
            .par_iter()
            .map(|c| analyze_file(c, settings))
            .collect()
    });
    let excluded = crate::discover::glob_set(&settings.duplication.exclude, "duplication.exclude")?;
    let mut report = assemble(settings, &excluded, &candidates, outcomes);
    crate::coverage::join(
        &mut report,
        &settings.coverage_reports,
        &settings.coverage_path_map,
    )?;
    crate::findings::join(&mut report, &settings.security)?;
    eval::apply(&mut report, settings);
    Ok(report)
}

fn analyze_file(candidate: &Candidate, settings: &Settings) -> Outcome {
    if let Some(skip) = &candidate.skip {
        return Outcome::Skipped(skip.clone());
    }
    let text = match read_source(&candidate.path, settings.max_file_size) {
        Ok(text) => text,
        Err(skip) => return Outcome::Skipped(skip),
    };
    // One file's bug must not end the run, nor pass it: it becomes an `internal-error` skip,
    // which makes the run exit 2.
    let analysis = catch_unwind(AssertUnwindSafe(|| {
        inject_fault(&candidate.rel);
        frontend::analyze(candidate.language, &text, &settings.analysis)
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
