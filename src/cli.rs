//! Command-line interface: arguments (clap), subcommands, and the exit status.
//! This is the only module that writes to stdout and stderr (besides `progress`, which draws
//! on a terminal's stderr).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::engine::{self, RunError};
pub use crate::gate::verdict::ExitStatus;
use crate::gate::verdict::verdict;
use crate::output::{Staging, write_atomic};
use crate::render::{Format, RenderOptions};
use crate::settings::{Overrides, Settings};

/// A fast, exact quality gate for Python and Rust codebases.
#[derive(Debug, Parser)]
#[command(name = "qgate", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse files and evaluate the gates (exit 0 pass, 1 a gate failed, 2 error).
    Check(Box<CheckArgs>),
    /// Explain a gate or metric: what it measures, how, its limits and settings.
    Explain {
        /// Gate or metric id, e.g. `complexity`; omit to list them.
        id: Option<String>,
    },
    /// Record today's offenders and totals, for `qgate check --baseline FILE`.
    Baseline(Box<BaselineArgs>),
    /// Print the before → after table of the headline metrics of two JSON reports.
    Compare(CompareArgs),
    /// Render a saved JSON report in another format (e.g. the HTML page).
    Report(ReportArgs),
    /// Merge the JSON reports of CI shards into one report and evaluate the gates on it.
    Merge(Box<MergeArgs>),
    /// Remove the cache directory (`.qgate_cache` in the repository root of DIR).
    Clean {
        /// A directory of the repository [default: .]
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The cache directory to remove instead.
        #[arg(long, value_name = "DIR", env = "QGATE_CACHE_DIR")]
        cache_dir: Option<PathBuf>,
    },
    /// Write a commented qgate.toml with the defaults.
    Init {
        /// Directory to write qgate.toml into.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite an existing qgate.toml.
        #[arg(long)]
        force: bool,
    },
}

/// What to analyse and which reports to read: shared by `check` and `baseline`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or directories to analyse [default: .]
    pub paths: Vec<PathBuf>,
    /// Configuration file [default: qgate.toml, .qgate.toml or [tool.qgate] in pyproject.toml,
    /// searched upward from the first path]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Coverage report: Cobertura XML, LCOV or coverage.py JSON, detected by content
    /// (repeatable; reports are merged).
    #[arg(long, value_name = "FILE")]
    pub coverage: Vec<PathBuf>,
    /// Bandit JSON report (`bandit -r . -f json -o bandit.json`; repeatable): feeds the
    /// `security` gate.
    #[arg(long, value_name = "FILE")]
    pub bandit: Vec<PathBuf>,
    /// SARIF 2.1.0 log from any tool (ruff, clippy-sarif, CodeQL; repeatable): every result is a
    /// finding; results of security rules also feed the `security` gate.
    #[arg(long, value_name = "FILE")]
    pub sarif: Vec<PathBuf>,
    /// pylint report (`pylint --output-format=json2`; repeatable): messages become findings,
    /// the score feeds the `pylint-score` gate.
    #[arg(long, value_name = "FILE")]
    pub pylint: Vec<PathBuf>,
    /// `cargo clippy --message-format=json` output (repeatable): every lint is a finding.
    #[arg(long, value_name = "FILE")]
    pub clippy: Vec<PathBuf>,
    /// mypy output (repeatable): `mypy --output json`, or its plain text; errors feed the
    /// `type-errors` gate.
    #[arg(long, value_name = "FILE")]
    pub mypy: Vec<PathBuf>,
    /// `pip-audit -f json` report (repeatable): known-vulnerable Python dependencies feed the
    /// `vulnerabilities` gate.
    #[arg(long, value_name = "FILE")]
    pub pip_audit: Vec<PathBuf>,
    /// `cargo audit --json` report (repeatable): vulnerable crates, and warnings.
    #[arg(long, value_name = "FILE")]
    pub cargo_audit: Vec<PathBuf>,
    /// Override a gate's main threshold, e.g. `complexity=15` (repeatable).
    #[arg(long, value_name = "GATE=VALUE")]
    pub threshold: Vec<String>,
    /// Analysis threads [default: the number of CPUs].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Analyse every file again: neither read nor write the cache.
    #[arg(long)]
    pub no_cache: bool,
    /// The cache directory [default: .qgate_cache in the repository root].
    #[arg(long, value_name = "DIR", env = "QGATE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the output to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the report in FORMAT to FILE, e.g. `--report json=qgate.json` (repeatable).
    /// Every output is written to a temporary file first and renamed only when all succeeded.
    #[arg(long = "report", value_name = "FORMAT=FILE", value_parser = parse_report_arg)]
    pub reports: Vec<(Format, PathBuf)>,
    /// Gate the lines changed since the merge base of REF and HEAD (commits, staged and
    /// unstaged changes), e.g. `--base origin/main`; on a GitHub pull-request merge commit,
    /// since its first parent.
    #[arg(long, value_name = "REF", conflicts_with = "staged")]
    pub base: Option<String>,
    /// Gate only the staged changes (pre-commit).
    #[arg(long)]
    pub staged: bool,
    /// Diff coverage: a changed line with a partly taken branch is not covered (as
    /// diff-cover's --branch-coverage).
    #[arg(long)]
    pub branch_coverage: bool,
    /// Count only offenders FILE does not hold (a `qgate baseline` file or an earlier JSON
    /// report), list the fixed ones, and fail when a total got worse than FILE's (`ratchet`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Where the HTML report is published (a CI artifact URL): the Markdown summary links it.
    #[arg(long, value_name = "URL")]
    pub report_url: Option<String>,
    /// Carry each file's clone-detection tokens in the JSON report, so that `qgate merge` finds
    /// clones across shards.
    #[arg(long)]
    pub report_fingerprints: bool,
    /// Exit 0 even when a gate fails; errors still exit 2.
    #[arg(long)]
    pub exit_zero: bool,
    /// When to colour the text output (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only failing gates and the verdict.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every function, skipped file and finding.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Where to write the baseline.
    #[arg(
        long,
        short = 'o',
        value_name = "FILE",
        default_value = ".qgate-baseline.json"
    )]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The earlier JSON report (`qgate check --format json -o before.json`) or baseline.
    pub before: PathBuf,
    /// The later JSON report.
    pub after: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    pub format: CompareFormat,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A report written by `qgate check --format json`.
    pub report: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Html)]
    pub format: Format,
    /// The repository the report is of: source for the HTML file views is read from here.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Configuration file (its `[html]` settings) [default: found from --root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub out: SavedOutputArgs,
}

/// Where `report` and `merge` write a report they did not analyse for, and how they exit.
#[derive(Debug, Args)]
pub struct SavedOutputArgs {
    /// Write the output to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the report in FORMAT to FILE (repeatable), as `check --report` does.
    #[arg(long = "report", value_name = "FORMAT=FILE", value_parser = parse_report_arg)]
    pub reports: Vec<(Format, PathBuf)>,
    /// Where the HTML report is published: the Markdown summary links it.
    #[arg(long, value_name = "URL")]
    pub report_url: Option<String>,
    /// Exit 0 even when the report's gates failed; errors still exit 2.
    #[arg(long)]
    pub exit_zero: bool,
    /// When to colour the text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard reports written by `qgate check --format json --report-fingerprints` (one per
    /// shard; no file may be in two).
    #[arg(required = true, value_name = "REPORT")]
    pub shards: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// The repository the shards analysed (paths in the reports are relative to it; the HTML
    /// file views read source from it) [default: .]
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Configuration file: the one the shards ran with [default: found from --root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The `--threshold`s the shards ran with (repeatable).
    #[arg(long, value_name = "GATE=VALUE")]
    pub threshold: Vec<String>,
    /// The baseline the shards were checked against, matched on the merged report.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub out: SavedOutputArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    Text,
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status.code())
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitStatus {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Baseline(args) => baseline(&args),
        Command::Compare(args) => compare(&args),
        Command::Report(args) => rerender(&args),
        Command::Merge(args) => merge(&args),
        Command::Explain { id } => explain(id.as_deref()),
        Command::Init { dir, force } => init(&dir, force),
        Command::Clean { dir, cache_dir } => clean(&dir, cache_dir),
    }
}

/// SIGINT and SIGTERM end the run at once: temporary outputs are removed (a target is left
/// old, never half-written) and the exit code is 130 or 143, as a shell reports them (X3).
pub fn install_signal_handlers() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("qgate-signals".to_owned())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until exit: no temporary output is created after the sweep.
                    let _pending = crate::output::remove_pending();
                    let _ = writeln!(
                        std::io::stderr(),
                        "qgate: interrupted — outputs not yet in place were removed"
                    );
                    std::process::exit(128 + signal);
                }
            });
    }
}

/// Prints `qgate: error: …` to stderr.
pub fn error(message: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "qgate: error: {message}");
}

fn warn(message: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "qgate: warning: {message}");
}

impl InputArgs {
    fn overrides(&self) -> Overrides {
        Overrides {
            paths: self.paths.clone(),
            config: self.config.clone(),
            thresholds: self.threshold.clone(),
            coverage: self.coverage.clone(),
            bandit: self.bandit.clone(),
            sarif: self.sarif.clone(),
            pylint: self.pylint.clone(),
            clippy: self.clippy.clone(),
            mypy: self.mypy.clone(),
            pip_audit: self.pip_audit.clone(),
            cargo_audit: self.cargo_audit.clone(),
            jobs: self.jobs.map(usize::from),
            ..Overrides::default()
        }
    }
}

/// How a run reads the cache and talks on stderr.
struct RunChoices {
    /// Off with `--no-cache`.
    cache: bool,
    /// `--cache-dir`; the repository root's `.qgate_cache` when unset.
    cache_dir: Option<PathBuf>,
    /// `-v`: say how many files the cache spared.
    verbose: bool,
    /// `-q`: no progress either.
    quiet: bool,
}

impl InputArgs {
    fn choices(&self) -> RunChoices {
        RunChoices {
            cache: !self.no_cache,
            cache_dir: self.cache_dir.clone(),
            verbose: false,
            quiet: false,
        }
    }
}

/// Resolves the settings and runs the analysis; prints what went wrong, or the warnings.
/// `outputs` are the files the command will write: none may be an input.
fn analyse(
    overrides: &Overrides,
    choices: &RunChoices,
    outputs: &[&std::path::Path],
) -> Result<(Settings, crate::report::Report), ExitStatus> {
    let settings = Settings::resolve(overrides).map_err(|e| {
        error(e);
        ExitStatus::Error
    })?;
    crate::output::check_targets(outputs, &settings.input_files()).map_err(|e| {
        error(e);
        ExitStatus::Error
    })?;
    let mut cache = choices.cache.then(|| {
        let dir = choices
            .cache_dir
            .clone()
            .unwrap_or_else(|| settings.root.join(crate::cache::DIR_NAME));
        crate::cache::Cache::open(&dir, &settings)
    });
    if choices.verbose {
        let _ = writeln!(
            std::io::stderr(),
            "qgate: allocator: {}",
            crate::allocator::in_use()
        );
    }
    let progress = crate::progress::Terminal::for_stderr(choices.quiet);
    let run = engine::run_cached(&settings, cache.as_mut(), progress.as_ref());
    progress.finish();
    if let Some(cache) = &mut cache {
        if run.is_ok() {
            cache.forget_missing(&settings.root);
            cache.save();
        }
        for warning in cache.warnings() {
            warn(warning);
        }
        if let (true, Ok(report)) = (choices.verbose, &run) {
            let (reused, dir) = cache.reused();
            let _ = writeln!(
                std::io::stderr(),
                "qgate: cache: {reused} of {} analysed or skipped files reused from {}",
                report.files.len() + report.skipped.len(),
                dir.display()
            );
            if let Some(from) = cache.clones_from() {
                let _ = writeln!(std::io::stderr(), "qgate: cache: clones: {from}");
            }
        }
    }
    let report = run.map_err(|e: RunError| {
        error(e);
        ExitStatus::Error
    })?;
    for warning in &report.inputs.warnings {
        warn(&warning.message);
    }
    Ok((settings, report))
}

fn check(args: &CheckArgs) -> ExitStatus {
    let overrides = Overrides {
        change: match (&args.base, args.staged) {
            (Some(spec), _) => Some(crate::scope::Request::Base(spec.clone())),
            (None, true) => Some(crate::scope::Request::Staged),
            (None, false) => None,
        },
        branch_coverage: args.branch_coverage,
        baseline: args.baseline.clone(),
        report_fingerprints: args.report_fingerprints,
        ..args.input.overrides()
    };
    let targets = output_targets(args.output.as_ref(), &args.reports);
    let choices = RunChoices {
        verbose: args.verbose,
        quiet: args.quiet,
        ..args.input.choices()
    };
    let (settings, report) = match analyse(&overrides, &choices, &targets) {
        Ok(run) => run,
        Err(status) => return status,
    };
    let verbosity = if args.quiet {
        0
    } else if args.verbose {
        2
    } else {
        1
    };
    let outputs = Outputs {
        format: args.format,
        output: args.output.as_ref(),
        reports: &args.reports,
        verbosity,
        color: args.color,
        html: settings.html,
        report_url: args.report_url.as_deref(),
        junit_offenders: settings.junit_offenders,
    };
    if let Err(status) = outputs.write(&report) {
        return status;
    }

    let verdict = verdict(&report, args.exit_zero);
    for problem in &verdict.problems {
        error(problem);
    }
    if !args.quiet && !report.skipped.is_empty() && args.format != Format::Text {
        warn(format_args!(
            "{} file(s) skipped; see `skipped` in the report",
            report.skipped.len()
        ));
    }
    // The process ends here: freeing a million-line report one allocation at a time would be
    // a twentieth of a pre-commit run, and the system takes the memory back at once.
    std::mem::forget(report);
    verdict.exit
}

/// Where and how a report is written: `--format` to `--output` or stdout, plus every
/// `--report FORMAT=FILE`, all files renamed into place only when every one was written.
struct Outputs<'a> {
    format: Format,
    output: Option<&'a PathBuf>,
    reports: &'a [(Format, PathBuf)],
    verbosity: u8,
    color: ColorChoice,
    html: crate::render::html::HtmlOptions,
    report_url: Option<&'a str>,
    junit_offenders: bool,
}

impl Outputs<'_> {
    fn write(&self, report: &crate::report::Report) -> Result<(), ExitStatus> {
        let plain = RenderOptions {
            color: false,
            verbosity: self.verbosity,
            html: self.html,
            report_url: self.report_url.map(str::to_owned),
            junit_offenders: self.junit_offenders,
        };
        let mut staging = Staging::default();
        let files = self
            .output
            .map(|path| (self.format, path))
            .into_iter()
            .chain(self.reports.iter().map(|(format, path)| (*format, path)));
        let options = &plain;
        for (format, path) in files {
            staging
                .add(path, move |out| format.write(report, options, out))
                .map_err(|e| {
                    error(e);
                    ExitStatus::Error
                })?;
        }
        // X2: tests prove a panic here (outside per-file isolation) leaves no temporary file.
        if cfg!(debug_assertions) && std::env::var_os("QGATE_TEST_PANIC_IN_OUTPUT").is_some() {
            panic!("injected fault while writing the outputs");
        }
        staging.commit().map_err(|e| {
            error(e);
            ExitStatus::Error
        })?;
        if self.output.is_none() {
            let options = RenderOptions {
                color: use_color(self.color),
                ..plain.clone()
            };
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = self
                .format
                .write(report, &options, &mut stdout)
                .and_then(|()| stdout.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                error(format_args!(
                    "stdout: cannot write the report: {e} — check the disk, or write it with -o FILE"
                ));
                return Err(ExitStatus::Error);
            }
        }
        Ok(())
    }
}

/// `qgate report REPORT.json`: renders a saved JSON report again, in any format.
fn rerender(args: &ReportArgs) -> ExitStatus {
    let shown = args.report.display().to_string();
    if let Err(status) = args.out.check_targets(&[args.report.as_path()]) {
        return status;
    }
    let mut report = match crate::merge::read_report(&args.report, &shown) {
        Ok(report) => report,
        Err(e) => {
            error(e);
            return ExitStatus::Error;
        }
    };
    let root = args.root.clone().unwrap_or_else(|| PathBuf::from("."));
    report.root = std::fs::canonicalize(&root)
        .unwrap_or(root)
        .to_string_lossy()
        .into_owned();
    let (html, junit_offenders) = match Settings::resolve(&Overrides {
        paths: vec![PathBuf::from(&report.root)],
        config: args.config.clone(),
        ..Overrides::default()
    }) {
        Ok(settings) => (settings.html, settings.junit_offenders),
        Err(_) => (crate::render::html::HtmlOptions::default(), false),
    };
    // The exit status `check` gave for this report.
    args.out.write(&report, args.format, html, junit_offenders)
}

impl SavedOutputArgs {
    /// Refuses to write over any of `inputs` (exit 2, before anything is written).
    fn check_targets(&self, inputs: &[&std::path::Path]) -> Result<(), ExitStatus> {
        let targets = output_targets(self.output.as_ref(), &self.reports);
        crate::output::check_targets(&targets, inputs).map_err(|e| {
            error(e);
            ExitStatus::Error
        })
    }

    /// Writes `report` as asked and returns the exit status its gates give.
    fn write(
        &self,
        report: &crate::report::Report,
        format: Format,
        html: crate::render::html::HtmlOptions,
        junit_offenders: bool,
    ) -> ExitStatus {
        let outputs = Outputs {
            format,
            output: self.output.as_ref(),
            reports: &self.reports,
            verbosity: 1,
            color: self.color,
            html,
            report_url: self.report_url.as_deref(),
            junit_offenders,
        };
        if let Err(status) = outputs.write(report) {
            return status;
        }
        let verdict = verdict(report, self.exit_zero);
        for problem in &verdict.problems {
            error(problem);
        }
        verdict.exit
    }
}

/// `qgate merge A.json B.json …`: one report from the shards', gated as one run.
fn merge(args: &MergeArgs) -> ExitStatus {
    let root = args.root.clone().unwrap_or_else(|| PathBuf::from("."));
    let settings = match Settings::resolve(&Overrides {
        paths: vec![root],
        config: args.config.clone(),
        thresholds: args.threshold.clone(),
        baseline: args.baseline.clone(),
        ..Overrides::default()
    }) {
        Ok(settings) => settings,
        Err(e) => {
            error(e);
            return ExitStatus::Error;
        }
    };
    let mut inputs = settings.input_files();
    inputs.extend(args.shards.iter().map(PathBuf::as_path));
    if let Err(status) = args.out.check_targets(&inputs) {
        return status;
    }
    let mut shards = Vec::with_capacity(args.shards.len());
    for path in &args.shards {
        let name = path.display().to_string();
        match crate::merge::read_report(path, &name) {
            Ok(report) => shards.push(crate::merge::Shard { name, report }),
            Err(e) => {
                error(e);
                return ExitStatus::Error;
            }
        }
    }
    let report = match crate::merge::merge(shards, &settings) {
        Ok(report) => report,
        Err(e) => {
            error(e);
            return ExitStatus::Error;
        }
    };
    for warning in &report.inputs.warnings {
        warn(&warning.message);
    }
    args.out.write(
        &report,
        args.format,
        settings.html,
        settings.junit_offenders,
    )
}

/// Every file `--output` and `--report FORMAT=FILE` name.
fn output_targets<'a>(
    output: Option<&'a PathBuf>,
    reports: &'a [(Format, PathBuf)],
) -> Vec<&'a std::path::Path> {
    output
        .into_iter()
        .chain(reports.iter().map(|(_, path)| path))
        .map(PathBuf::as_path)
        .collect()
}

/// `--report json=qgate.json`: a format and the file to write it to.
fn parse_report_arg(spec: &str) -> Result<(Format, PathBuf), String> {
    let (format, path) = spec
        .split_once('=')
        .ok_or_else(|| format!("`{spec}` is not FORMAT=FILE, e.g. json=qgate.json"))?;
    let format = Format::from_str(format.trim(), true).map_err(|_| {
        let known: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_owned()))
            .collect();
        format!("unknown format `{format}` (known: {})", known.join(", "))
    })?;
    if path.is_empty() {
        return Err(format!("`{spec}` names no file"));
    }
    Ok((format, PathBuf::from(path)))
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                && std::io::stdout().is_terminal()
        }
    }
}

/// `qgate baseline -o FILE`: today's offenders over the configured limits, and the totals.
fn baseline(args: &BaselineArgs) -> ExitStatus {
    let (settings, report) = match analyse(
        &args.input.overrides(),
        &args.input.choices(),
        &[args.output.as_path()],
    ) {
        Ok(run) => run,
        Err(status) => return status,
    };
    let limits = crate::join::baseline::limits(&settings.gates);
    let baseline = crate::baseline::record(&report, limits);
    let json = match serde_json::to_string_pretty(&baseline) {
        Ok(json) => json + "\n",
        Err(e) => {
            error(format_args!(
                "{}: cannot serialise the baseline: {e} — please report this qgate bug",
                args.output.display()
            ));
            return ExitStatus::Error;
        }
    };
    if let Err(e) = write_atomic(&args.output, &json) {
        error(e);
        return ExitStatus::Error;
    }
    let _ = writeln!(
        std::io::stdout(),
        "wrote {}: {} function(s) over the complexity limits, {} clone(s), {} finding(s) — gate on new ones with `qgate check --baseline {}`",
        args.output.display(),
        baseline.function_count(),
        baseline.clones.len(),
        baseline.findings.len(),
        args.output.display()
    );
    ExitStatus::Success
}

/// `qgate compare BEFORE AFTER`: the headline metrics before → after.
fn compare(args: &CompareArgs) -> ExitStatus {
    let read = |path: &PathBuf| crate::compare::read_side(path, &path.display().to_string());
    let (before, after) = match (read(&args.before), read(&args.after)) {
        (Ok(b), Ok(a)) => (b, a),
        (Err(e), _) | (_, Err(e)) => {
            error(e);
            return ExitStatus::Error;
        }
    };
    let rows = crate::compare::rows(&before, &after);
    let out = match args.format {
        CompareFormat::Text => crate::compare::text(&rows),
        CompareFormat::Markdown => crate::compare::markdown(&rows),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitStatus::Success
}

fn explain(id: Option<&str>) -> ExitStatus {
    let out = match id {
        None => crate::explain::index(),
        Some(id) => match crate::explain::page(id) {
            Some(page) => page,
            None => {
                let hint = match crate::suggest::did_you_mean(id, &crate::explain::ids()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "run `qgate explain` to list them".to_owned(),
                };
                error(format_args!(
                    "qgate explain `{id}`: no gate or metric of that name — {hint}"
                ));
                return ExitStatus::Error;
            }
        },
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitStatus::Success
}

/// `qgate clean`: removes the cache of the repository holding `dir` (its root as `check` finds
/// it), or `cache_dir`.
fn clean(dir: &std::path::Path, cache_dir: Option<PathBuf>) -> ExitStatus {
    let cache_dir = cache_dir.unwrap_or_else(|| {
        let root = Settings::resolve(&Overrides {
            paths: vec![dir.to_path_buf()],
            ..Overrides::default()
        })
        .map_or_else(|_| dir.to_path_buf(), |s| s.root);
        root.join(crate::cache::DIR_NAME)
    });
    match crate::cache::clean(&cache_dir) {
        Ok(removed) => {
            let what = if removed { "removed" } else { "no cache at" };
            let _ = writeln!(std::io::stdout(), "{what} {}", cache_dir.display());
            ExitStatus::Success
        }
        Err(e) => {
            error(e);
            ExitStatus::Error
        }
    }
}

fn init(dir: &std::path::Path, force: bool) -> ExitStatus {
    let path = dir.join("qgate.toml");
    if path.exists() && !force {
        error(format_args!(
            "{}: already exists — pass --force to overwrite it",
            path.display()
        ));
        return ExitStatus::Error;
    }
    if let Err(e) = write_atomic(&path, &crate::explain::init_config()) {
        error(e);
        return ExitStatus::Error;
    }
    let _ = writeln!(std::io::stdout(), "wrote {}", path.display());
    ExitStatus::Success
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
