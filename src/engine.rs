//! One run: discover → analyse every file in parallel → build the report → joins (clones,
//! coverage, findings, the change, the baseline) → summarize → gates. Each step reads what the previous ones produced and nothing flows back.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::cache::{self, Cache, ClonesFrom, ContentHash, Entry, FileStat};
use crate::discover::{Candidate, discover};
use crate::frontend::{self, Analysis};
use crate::gate::eval;
use crate::join::clone_record::{FileState, Record};
use crate::join::clone_stream::CloneStream;
use crate::join::clone_update;
use crate::join::{baseline, clones, coverage, findings, offenders};
use crate::model::{DupToken, FileModel, Language, Skip, SkipReason};
use crate::progress::{Progress, Silent};
use crate::report::fingerprints::TokenFingerprints;
use crate::report::{
    FileReport, InputWarning, Report, SkippedFile, WarningTopic, build, summarize,
};
use crate::settings::{ConfigError, Settings};
use crate::source::{decode_source, is_python, read_bytes, strip_bom};

/// Stack of each analysis thread. syn parses recursively; nesting is bounded before parsing
/// (see `frontend::rust::lex::MAX_NESTING`) so this is ample. It is reserved, not committed:
/// untouched pages cost no memory.
pub const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Under an address-space limit every thread's reservation counts: glibc reserves 64 MiB of
/// address space per malloc arena and thread, and each analysis thread reserves its stack. One
/// arena, and only as many threads as the limit leaves room for, let a 512 MB `ulimit -v` run
/// the public corpus (X6). Call before any thread starts.
pub fn adapt_to_address_space_limit() {
    if crate::allocator::address_space_limit().is_none() {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; no thread is running yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Analysis threads the address-space limit leaves room for: half of it for the heap, the rest
/// for stacks; at least one.
fn affordable_threads(asked: usize) -> usize {
    let Some(limit) = crate::allocator::address_space_limit() else {
        return asked;
    };
    let room = (limit / 2 / STACK_SIZE as u64).max(1) as usize;
    let asked = if asked == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        asked
    };
    asked.min(room)
}

/// Why a run could not produce a trustworthy report.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error(
        "{paths}: no Python or Rust files to analyse — check the path, `include` and `exclude`"
    )]
    NothingToAnalyse { paths: String },
    #[error(
        "--jobs: cannot start even one analysis thread: {0} — raise the process limit (`ulimit -u`) or the memory limit (`ulimit -v`)"
    )]
    ThreadPool(String),
    #[error("{0}")]
    Coverage(#[from] coverage::CoverageError),
    #[error("{0}")]
    Findings(#[from] findings::FindingsError),
    #[error("{0}")]
    Scope(#[from] crate::scope::ScopeError),
    #[error("{0}")]
    Baseline(#[from] crate::baseline::BaselineError),
}

/// One file's analysis with the cache entry to store: the hash of the bytes read and the
/// encoded analysis (none for what must be retried: I/O errors, qgate's own failures).
struct Analysed {
    analysis: Analysis,
    entry: Option<Entry>,
    /// The analysis was reused and its token stream is still packed in `entry`.
    tokens_packed: bool,
}

/// A file analysed, with `slot` its place among the candidates: its model and report entry
/// (built on the analysis thread) or why it was skipped, and its cache entry.
struct Done {
    slot: usize,
    outcome: Outcome,
    entry: Option<Entry>,
    tokens_packed: bool,
}

// Nearly every file has a model: boxing it would cost an allocation a file and save nothing.
#[allow(clippy::large_enum_variant)]
enum Outcome {
    Model(FileModel, FileReport),
    Skipped(Skip),
}

/// An analysed file's candidate and cache entry, kept beside its model until the clone pass
/// has had what it needs of the entry.
struct Kept<'a> {
    candidate: &'a Candidate,
    entry: Option<Entry>,
    tokens_packed: bool,
}

/// Analyses what `settings` selects and returns the gated report.
pub fn run(settings: &Settings) -> Result<Report, RunError> {
    run_cached(settings, None, &Silent)
}

/// [`run`], reusing and refreshing `cache`: a file whose bytes hash as stored is not analysed
/// again, and the clone pass is skipped when no participating file changed.
/// `progress` hears of each phase and each file analysed.
pub fn run_cached(
    settings: &Settings,
    mut cache: Option<&mut Cache>,
    progress: &dyn Progress,
) -> Result<Report, RunError> {
    progress.phase("finding files", 0);
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
    // When threads cannot be spawned (a process limit, little address space), fewer will do,
    // down to one (X6).
    let build = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(STACK_SIZE)
            .thread_name(|i| format!("qgate-analysis-{i}"))
            .build()
    };
    let pool = match build(affordable_threads(settings.jobs.unwrap_or(0))) {
        Ok(pool) => pool,
        Err(_) => build(1).map_err(|e| RunError::ThreadPool(e.to_string()))?,
    };
    let stored: Vec<Option<Entry>> = candidates
        .iter()
        .map(|c| cache.as_deref_mut().and_then(|cache| cache.take(&c.rel)))
        .collect();
    progress.phase("analysing", candidates.len() as u64);
    let caching = cache.is_some();
    // Without a cache the clone pass always runs: it runs beside the analysis, taking each
    // file's tokens as it is done (with a cache, whether it must run is known only after).
    // Held to one thread (`--jobs 1`, X6), the run keeps to one: the pass comes after.
    let stream = if caching || pool.current_num_threads() < 2 {
        None
    } else {
        CloneStream::start(settings.duplication.limits())
    };
    let sender = stream.as_ref().map(CloneStream::sender);
    let mut analysed: Vec<Done> = pool.install(|| {
        // Taken in order (not split in halves), so the clone pass gets the files in about the
        // order it scans them.
        candidates
            .iter()
            .zip(stored)
            .enumerate()
            .par_bridge()
            .map(|(slot, (c, stored))| {
                let mut analysed = analyze_file(c, settings, stored, caching);
                if let Some(sender) = &sender {
                    // The pass is alive until `finish`; a send cannot fail before.
                    let _ = sender.send((slot, hand_over(c, &mut analysed.analysis, settings)));
                }
                // The report entry is built here, on the analysis threads, not one file after
                // another once all are done.
                let outcome = match analysed.analysis {
                    Analysis::Model(mut model) => {
                        let file = build::file_report(&c.rel, &mut model);
                        Outcome::Model(model, file)
                    }
                    Analysis::Skipped(skip) => Outcome::Skipped(skip),
                };
                progress.step();
                Done {
                    slot,
                    outcome,
                    entry: analysed.entry,
                    tokens_packed: analysed.tokens_packed,
                }
            })
            .collect()
    });
    drop(sender);
    analysed.sort_unstable_by_key(|done| done.slot);

    let mut report = Report::new(
        settings.root.to_string_lossy().into_owned(),
        Default::default(),
    );
    report.config = settings.config_info();
    report
        .inputs
        .warnings
        .extend(settings.warnings.iter().map(|message| InputWarning {
            topic: WarningTopic::Config,
            message: message.clone(),
            depends_on_files: false,
        }));
    let stored_clones = cache
        .as_deref()
        .and_then(|c| c.clones(clones_key(settings)))
        .and_then(Record::decode);
    // The clone update reads every stored stream, tens of megabytes, when a file's clone
    // tokens changed: read them while the report is built.
    let read_streams = cache.as_deref().filter(|_| {
        (stored_clones.as_ref()).is_some_and(|r| clone_tokens_changed(r, &candidates, &analysed))
    });
    let mut models = Vec::new();
    let mut kept: Vec<Kept> = Vec::new();
    let mut skipped_entries = Vec::new();
    // The report file (and model) of each candidate that has one.
    let mut file_of_slot: Vec<Option<usize>> = vec![None; candidates.len()];
    std::thread::scope(|scope| {
        if let Some(cache) = read_streams {
            scope.spawn(|| cache.read_streams());
        }
        for (candidate, done) in candidates.iter().zip(analysed) {
            match done.outcome {
                Outcome::Model(model, file) => {
                    file_of_slot[done.slot] = Some(models.len());
                    report.files.push(file);
                    models.push(model);
                    kept.push(Kept {
                        candidate,
                        entry: done.entry,
                        tokens_packed: done.tokens_packed,
                    });
                }
                Outcome::Skipped(skip) => {
                    if let Some(entry) = done.entry {
                        skipped_entries.push((candidate.rel.clone(), entry));
                    }
                    report.skipped.push(SkippedFile {
                        path: candidate.rel.clone(),
                        reason: skip.reason,
                        message: skip.message,
                        named: candidate.named,
                    })
                }
            }
        }
        pool.install(|| offenders::join(&mut report, &settings.gates));
    });
    if let Some(cache) = cache.as_deref_mut() {
        for (path, entry) in skipped_entries {
            cache.put(path, entry);
        }
    }
    progress.phase("finding clones", 0);
    let found = stream.map(|stream| {
        let outcome = stream.finish();
        let file = |slot: usize| file_of_slot[slot].expect("only models are handed over");
        [
            (outcome.python, outcome.python_tokens),
            (outcome.rust, outcome.rust_tokens),
        ]
        .map(|(mut found, streams)| {
            found.members = found.members.into_iter().map(file).collect();
            for (&member, tokens) in found.members.iter().zip(streams) {
                models[member].tokens = tokens;
            }
            found
        })
    });
    let dup = &settings.duplication;
    match (found, cache.as_deref_mut()) {
        (Some(found), _) => clones::fill(&mut report, &token_streams(&models), dup, found),
        (None, None) => clones::join(&mut report, &token_streams(&models), dup),
        (None, Some(cache)) => pool.install(|| {
            cached_clones(
                &mut report,
                &mut models,
                &mut kept,
                cache,
                stored_clones,
                settings,
            );
            if settings.report_fingerprints {
                unpack_tokens(&mut models, &mut kept, Some(cache), settings);
            }
        }),
    }
    let tokens = token_streams(&models);
    if settings.report_fingerprints {
        for (file, stream) in report.files.iter_mut().zip(&tokens) {
            file.fingerprints = Some(TokenFingerprints::encode(stream));
        }
    }
    drop(tokens);
    let line_hashes: Vec<Vec<(u32, u64)>> = models.into_iter().map(|m| m.line_hashes).collect();
    if let Some(cache) = cache {
        for k in kept {
            if let Some(entry) = k.entry {
                cache.put(k.candidate.rel.clone(), entry);
            }
        }
    }
    progress.phase("reading reports", 0);
    coverage::join(&mut report, &settings.coverage)?;
    pool.install(|| findings::join(&mut report, &settings.findings, &line_hashes))?;
    drop(line_hashes);
    crate::scope::join(&mut report, &settings.new_code)?;
    if let Some(gate) = settings.gate("new-coverage").filter(|g| g.enabled) {
        crate::scope::check_coverage_overlap(&report, &gate.scope)?;
    }
    baseline::join(&mut report, settings.baseline.as_ref(), &settings.gates)?;
    summarize(&mut report);
    eval::apply(&mut report, &settings.gates);
    Ok(report)
}

fn token_streams(models: &[FileModel]) -> Vec<&[DupToken]> {
    models.iter().map(|m| m.tokens.as_slice()).collect()
}

/// The clone result with a cache: the stored one when no file changed as the pass sees it,
/// else that one updated for the files that changed ([`clone_update`]), else the whole pass;
/// the cache keeps what comes out.
fn cached_clones(
    report: &mut Report,
    models: &mut [FileModel],
    kept: &mut [Kept],
    cache: &mut Cache,
    stored: Option<Record>,
    settings: &Settings,
) {
    let dup = &settings.duplication;
    let key = clones_key(settings);
    let (record, from) = match (stored, file_states(kept, report, dup)) {
        // The stored result, with each file's content hash as it is now: an edit that kept the
        // clone tokens (a comment) keeps the stream, stored under the new hash from here on.
        (Some(record), Some(now)) if record.has_files(&now) => {
            let files = now
                .into_iter()
                .zip(&record.files)
                .map(|(state, stored)| FileState {
                    clone_tokens: stored.clone_tokens,
                    ..state
                })
                .collect();
            let record = Record {
                files,
                groups: record.groups,
            };
            (Some(record), ClonesFrom::Stored)
        }
        (Some(record), Some(now)) => {
            let fresh: Vec<Option<&[DupToken]>> = models
                .iter()
                .zip(&*kept)
                .map(|(m, k)| (!k.tokens_packed).then_some(m.tokens.as_slice()))
                .collect();
            match clone_update::update(dup, &record, now, &fresh, &StoredIn(cache)) {
                Some(u) => (Some(u.record), ClonesFrom::Updated(u.redone)),
                None => (None, ClonesFrom::Detected),
            }
        }
        _ => (None, ClonesFrom::Detected),
    };
    cache.note_clones_from(from);
    let record = match record {
        Some(record) => record,
        None => {
            unpack_tokens(models, kept, Some(cache), settings);
            let tokens = token_streams(models);
            let groups = clones::detect_located(report, &tokens, dup);
            let clone_tokens = clones::clone_tokens(report, &tokens, dup);
            let Some(files) = file_states(kept, report, dup) else {
                // A file without a cache entry: the result is not kept.
                clones::finish(report, dup, &groups, &clone_tokens);
                return;
            };
            Record::new(files, groups, &clone_tokens)
        }
    };
    clones::finish(report, dup, &record.groups, &record.clone_tokens());
    let clones = cache::Clones {
        key,
        blob: record.encode(),
    };
    cache.put_clones(clones, from != ClonesFrom::Stored);
}

/// Whether a file analysed again has other clone tokens than the stored clone result saw (or
/// is new to it).
fn clone_tokens_changed(record: &Record, candidates: &[Candidate], analysed: &[Done]) -> bool {
    let streams: rustc_hash::FxHashMap<&str, ContentHash> = record
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.stream))
        .collect();
    analysed.iter().any(|done| {
        let stored = streams.get(candidates[done.slot].rel.as_str());
        !done.tokens_packed
            && done
                .entry
                .as_ref()
                .is_some_and(|e| stored != Some(&e.stream_hash))
    })
}

/// Each analysed file as the clone pass sees it (clone tokens left out); none when a file
/// has no cache entry.
fn file_states(
    kept: &[Kept],
    report: &Report,
    dup: &clones::DuplicationSettings,
) -> Option<Vec<FileState>> {
    kept.iter()
        .zip(&report.files)
        .map(|(k, f)| {
            let entry = k.entry.as_ref()?;
            Some(FileState {
                path: f.path.clone(),
                member: dup
                    .takes_part(&f.path, !f.errors.is_empty())
                    .then_some(f.language),
                content: entry.hash,
                stream: entry.stream_hash,
                clone_tokens: None,
            })
        })
        .collect()
}

/// The cache's token streams, for the clone update.
struct StoredIn<'a>(&'a Cache);

impl clone_update::StoredStreams for StoredIn<'_> {
    fn keys(&self, content: u128, keys: &mut Vec<u32>) -> Option<()> {
        self.0.stored_keys(content, keys)
    }

    fn tokens(&self, content: u128) -> Option<Vec<DupToken>> {
        self.0.stored_tokens(content)
    }
}

/// The key of a clone result: the duplication settings it was computed under. Which files,
/// and which of their token streams, it was computed from is in the result itself.
fn clones_key(settings: &Settings) -> ContentHash {
    let d = &settings.duplication;
    let described = format!("{}|{}|{:?}", d.min_tokens, d.min_lines, d.normalize);
    cache::content_hash(described.as_bytes())
}

/// Unpacks the token streams of reused analyses, for a clone pass that has to run again. A
/// stream the cache no longer has (its token file lost or damaged) is computed again from the
/// file, and kept in the entry so the cache gets it back.
fn unpack_tokens(
    models: &mut [FileModel],
    kept: &mut [Kept],
    cache: Option<&Cache>,
    settings: &Settings,
) {
    models
        .par_iter_mut()
        .zip(kept)
        .filter(|(_, k)| k.tokens_packed)
        .for_each(|(model, k)| {
            let stream = cache.zip(k.entry.as_ref()).and_then(|(c, e)| c.tokens(e));
            model.tokens = stream.unwrap_or_else(|| {
                let fresh = match analyze_file(k.candidate, settings, None, false).analysis {
                    Analysis::Model(fresh) => fresh.tokens,
                    Analysis::Skipped(_) => Vec::new(),
                };
                if let Some(entry) = &mut k.entry {
                    entry.set_tokens(&fresh);
                }
                fresh
            });
            k.tokens_packed = false;
        });
}

/// What the clone pass gets of an analysed file: its tokens (taken from the model until the
/// pass gives them back) when it takes part.
fn hand_over(
    candidate: &Candidate,
    analysis: &mut Analysis,
    settings: &Settings,
) -> Option<(Language, Vec<DupToken>)> {
    let Analysis::Model(model) = analysis else {
        return None;
    };
    settings
        .duplication
        .takes_part(&candidate.rel, !model.errors.is_empty())
        .then(|| (model.language, std::mem::take(&mut model.tokens)))
}

fn analyze_file(
    candidate: &Candidate,
    settings: &Settings,
    stored: Option<Entry>,
    caching: bool,
) -> Analysed {
    let uncached = |skip| Analysed {
        analysis: Analysis::Skipped(skip),
        entry: None,
        tokens_packed: false,
    };
    if let Some(skip) = &candidate.skip {
        return uncached(skip.clone());
    }
    // One file's bug, in reading it or in analysing it, must not end the run, nor pass it: it
    // becomes an `internal-error` skip, which makes the run exit 2.
    let analysed = catch_unwind(AssertUnwindSafe(|| {
        let reused = |analysis, entry| Analysed {
            analysis,
            entry: Some(entry),
            tokens_packed: true,
        };
        // A file whose stat is the stored one is not read again.
        let stored = match stored {
            Some(entry) if entry.stat_matches(&candidate.path) => match entry.decode() {
                Some(analysis) => return reused(analysis, entry),
                None => None,
            },
            other => other,
        };
        inject_fault(&candidate.rel);
        let (bytes, metadata) = match read_bytes(&candidate.path, settings.max_file_size) {
            Ok(read) => read,
            Err(skip) => return uncached(skip),
        };
        let stat = FileStat::settled(&metadata, SystemTime::now());
        let hash = caching.then(|| cache::content_hash(&bytes));
        if let Some(entry) = stored.filter(|e| Some(e.hash) == hash)
            && let Some(analysis) = entry.decode()
        {
            return reused(analysis, Entry { stat, ..entry });
        }
        let unmarked_len = strip_bom(&bytes).len();
        let mut analysis = match decode_source(bytes, is_python(&candidate.path)) {
            Ok(text) => {
                let mut analysis = frontend::analyze(
                    candidate.language,
                    &candidate.rel,
                    &text,
                    &settings.analysis,
                );
                // Decoding changes the bytes only of a latin-1 file, and then its length.
                if let (Analysis::Model(model), true) = (&mut analysis, text.len() == unmarked_len)
                {
                    model.line_hashes = function_line_hashes(text.as_bytes(), model);
                }
                analysis
            }
            Err(skip) => Analysis::Skipped(skip),
        };
        let entry = hash.and_then(|hash| Entry::encode(hash, stat, &mut analysis));
        Analysed {
            analysis,
            entry,
            tokens_packed: false,
        }
    }));
    analysed.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        uncached(Skip::new(
            SkipReason::InternalError,
            format!("qgate bug while analysing this file: {what} — please report it with the file"),
        ))
    })
}

/// The line hash of each function's first line, by line (see [`FileModel::line_hashes`]).
fn function_line_hashes(text: &[u8], model: &FileModel) -> Vec<(u32, u64)> {
    let mut lines: Vec<u32> = model.functions.iter().map(|f| f.line).collect();
    lines.sort_unstable();
    lines.dedup();
    let hashes = crate::metrics::fingerprint::hashes_of_lines(text, &lines);
    lines
        .into_iter()
        .zip(hashes)
        .filter_map(|(line, hash)| Some((line, hash?)))
        .collect()
}

/// Debug builds panic on a chosen file as they read it (`QGATE_TEST_PANIC_ON=<relative path>`),
/// so tests can prove a crash in one file is contained, and that a file whose stat matches the
/// cache's is not read at all. Release builds have no such hook.
fn inject_fault(rel: &str) {
    if cfg!(debug_assertions) && std::env::var("QGATE_TEST_PANIC_ON").is_ok_and(|p| p == rel) {
        panic!("injected fault for {rel}");
    }
}
