//! Settings, resolved once: built-in defaults (`rules/*.toml`), then the configuration file, then
//! command-line flags. Everything after this reads [`Settings`], never the raw sources.

pub mod file;
mod globs;
pub mod thresholds;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::gate::catalog;
pub use crate::gate::config::{GateSettings, ThresholdSettings, default_gates};

pub use file::FileConfig;
pub use globs::glob_set;

use crate::join::clones::DuplicationSettings;
use crate::join::coverage::CoverageInputs;
use crate::join::findings::ExternalReports;

/// Default for `max-file-size`: larger files are skipped (generated or minified code).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// Version-control directories: never analysed.
pub const VCS_DIRS: &[&str] = &[".git", ".hg", ".svn"];

/// Directories not analysed unless `default-excludes = false`, on top of `.gitignore` and
/// `exclude`: environments, caches and build output, matched by name at any depth.
pub const BUILTIN_EXCLUDES: &[&str] = &[
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "__pypackages__",
    ".eggs",
    "node_modules",
    "site-packages",
    "target",
    "build",
    "dist",
];

/// A configuration or command-line problem, located where possible.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub location: Option<(PathBuf, u32, u32)>,
    pub message: String,
    pub hint: String,
}

impl ConfigError {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            location: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// An error at byte `offset` of the file `path` whose content is `text`.
    pub fn at(path: &Path, text: &str, offset: usize, message: String, hint: String) -> Self {
        let (line, column) = crate::source::line_column(text.as_bytes(), offset);
        Self {
            location: Some((path.to_path_buf(), line, column)),
            message,
            hint,
        }
    }

    pub fn io(path: &Path, e: &std::io::Error) -> Self {
        Self {
            location: Some((path.to_path_buf(), 1, 1)),
            message: format!("cannot read: {e}"),
            hint: "check the path and its permissions".to_owned(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((path, line, column)) = &self.location {
            write!(f, "{}:{line}:{column}: ", path.display())?;
        }
        write!(f, "{} — {}", self.message, self.hint)
    }
}

impl std::error::Error for ConfigError {}

/// What the user asked for on the command line, before resolution.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    /// `--threshold GATE=VALUE`, in order.
    pub thresholds: Vec<String>,
    /// `--coverage FILE`, relative to the current directory.
    pub coverage: Vec<PathBuf>,
    /// `--bandit FILE`, relative to the current directory.
    pub bandit: Vec<PathBuf>,
    /// `--sarif FILE`, relative to the current directory.
    pub sarif: Vec<PathBuf>,
    /// `--pylint FILE`, relative to the current directory.
    pub pylint: Vec<PathBuf>,
    /// `--clippy FILE`, relative to the current directory.
    pub clippy: Vec<PathBuf>,
    /// `--mypy FILE`, relative to the current directory.
    pub mypy: Vec<PathBuf>,
    /// `--pip-audit FILE`, relative to the current directory.
    pub pip_audit: Vec<PathBuf>,
    /// `--cargo-audit FILE`, relative to the current directory.
    pub cargo_audit: Vec<PathBuf>,
    pub jobs: Option<usize>,
    /// `--base REF` or `--staged`.
    pub change: Option<crate::scope::Request>,
    /// `--branch-coverage`.
    pub branch_coverage: bool,
    /// `--baseline FILE`, relative to the current directory.
    pub baseline: Option<PathBuf>,
    /// `--report-fingerprints`.
    pub report_fingerprints: bool,
}

/// Everything a run needs to know, resolved.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Report paths are relative to this directory.
    pub root: PathBuf,
    /// What to analyse (absolute).
    pub paths: Vec<PathBuf>,
    pub config_file: Option<PathBuf>,
    /// Configuration candidates passed over, and why.
    pub config_ignored: Vec<(PathBuf, String)>,
    /// What the user should know about the settings (shown on stderr, kept in the report).
    pub warnings: Vec<String>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub max_file_size: u64,
    pub default_excludes: bool,
    pub gates: Vec<GateSettings>,
    pub jobs: Option<usize>,
    /// What the front ends compute.
    pub analysis: crate::frontend::Options,
    pub duplication: DuplicationSettings,
    pub coverage: CoverageInputs,
    /// Findings reports (Bandit, SARIF, pylint, clippy) and how to read them.
    pub findings: ExternalReports,
    /// The change the new-code gates look at, and how they measure it.
    pub new_code: crate::scope::NewCodeSettings,
    /// `--baseline FILE`: the offenders and totals to gate against.
    pub baseline: Option<crate::join::baseline::BaselineInput>,
    /// What the HTML report embeds.
    pub html: crate::render::html::HtmlOptions,
    /// JUnit: a testcase per offender too.
    pub junit_offenders: bool,
    /// Each file's clone-detection tokens go into the report, for `qgate merge`.
    pub report_fingerprints: bool,
}

impl Settings {
    /// Every file the run reads besides the sources: the configuration, the reports, the
    /// baseline. No output may be one of them.
    pub fn input_files(&self) -> Vec<&Path> {
        let findings = &self.findings;
        let reports = [
            &self.coverage.reports,
            &findings.bandit,
            &findings.sarif,
            &findings.pylint,
            &findings.clippy,
            &findings.mypy,
            &findings.pip_audit,
            &findings.cargo_audit,
        ];
        self.config_file
            .iter()
            .map(PathBuf::as_path)
            .chain(reports.into_iter().flatten().map(PathBuf::as_path))
            .chain(self.baseline.iter().map(|b| b.path.as_path()))
            .collect()
    }

    /// Which configuration file the report says was used, and the candidates passed over.
    pub fn config_info(&self) -> crate::report::ConfigInfo {
        let shown = |p: &Path| crate::source::display_relative(p, &self.root);
        crate::report::ConfigInfo {
            file: self.config_file.as_deref().map(shown),
            ignored: self
                .config_ignored
                .iter()
                .map(|(path, why)| crate::report::IgnoredConfig {
                    path: shown(path),
                    why: why.clone(),
                })
                .collect(),
        }
    }

    /// Resolves defaults, the configuration file and command-line overrides.
    pub fn resolve(overrides: &Overrides) -> Result<Self, ConfigError> {
        let cwd = std::env::current_dir().map_err(|e| {
            ConfigError::new(
                format!("`.`: cannot read the working directory: {e}"),
                "run qgate from an existing directory",
            )
        })?;
        let given = if overrides.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            overrides.paths.clone()
        };
        let mut paths = Vec::with_capacity(given.len());
        for p in &given {
            let absolute = cwd.join(p);
            if std::fs::symlink_metadata(&absolute).is_err() {
                return Err(ConfigError::new(
                    format!("`{}`: no such file or directory", p.display()),
                    "pass an existing file or directory (relative to the current directory)",
                ));
            }
            paths.push(normalize(&absolute));
        }
        let start = if paths[0].is_dir() {
            paths[0].clone()
        } else {
            paths[0]
                .parent()
                .map_or_else(|| cwd.clone(), Path::to_path_buf)
        };

        let search = match &overrides.config {
            Some(path) => file::Search {
                loaded: Some(file::load(&cwd.join(path))?),
                ..file::Search::default()
            },
            None => file::find(&start)?,
        };
        let mut warnings = search.warnings;
        let jobs = overrides.jobs.map(|asked| {
            let cpus = std::thread::available_parallelism().map_or(1, usize::from);
            if asked > cpus {
                warnings.push(format!(
                    "--jobs {asked} is more than the {cpus} CPU(s) available; using {cpus} (more threads only add memory)"
                ));
            }
            asked.min(cpus)
        });
        let loaded = search.loaded;
        // A configuration found upward marks the project root; one named with --config may live
        // anywhere (a CI template directory) and says nothing about where the project is.
        let found = loaded.as_ref().filter(|_| overrides.config.is_none());
        let root = find_root(&start, found.map(|l| l.path.as_path()));
        let empty = FileConfig::default();
        let config = loaded.as_ref().map_or(&empty, |l| &l.config);

        let mut gates = default_gates();
        for (id, table) in &config.gates {
            let Some(gate) = gates.iter_mut().find(|g| g.id == id.get_ref()) else {
                continue;
            };
            for (key, value) in table.get_ref() {
                match key.get_ref().as_str() {
                    "enabled" => gate.enabled = value.get_ref().as_bool().unwrap_or(gate.enabled),
                    "include" => gate.scope.include_patterns = strings(value.get_ref()),
                    "exclude" => gate.scope.exclude_patterns = strings(value.get_ref()),
                    "required" => {
                        gate.required = value.get_ref().as_bool().unwrap_or(gate.required)
                    }
                    name => {
                        // Validated when the file was loaded.
                        let n = catalog::rule(gate.id).and_then(|rule| {
                            thresholds::value(rule, name, file::written(value.get_ref())?).ok()
                        });
                        if let Some(n) = n {
                            set_threshold(gate, name, n);
                        }
                    }
                }
            }
        }
        let block_average = config.metrics.as_ref().and_then(|m| m.complexity_average)
            == Some(file::ComplexityAverage::RadonBlocks);
        if block_average
            && let Some(t) = gates
                .iter_mut()
                .filter(|g| g.id == "complexity")
                .flat_map(|g| g.thresholds.iter_mut())
                .find(|t| t.key == "max-average")
        {
            t.metric = crate::gate::catalog::Metric::BlockAverage;
        }
        for (pattern, ids) in &config.per_file_ignores {
            for id in ids.get_ref() {
                if let Some(gate) = gates.iter_mut().find(|g| g.id == id.get_ref()) {
                    gate.scope.exclude_patterns.push(pattern.get_ref().clone());
                }
            }
        }
        for gate in &mut gates {
            let key = |what: &str| format!("gates.{}.{what}", gate.id);
            let scope = &mut gate.scope;
            if !scope.include_patterns.is_empty() {
                scope.include = Some(glob_set(&scope.include_patterns, &key("include"))?);
            }
            if !scope.exclude_patterns.is_empty() {
                scope.exclude = Some(glob_set(&scope.exclude_patterns, &key("exclude"))?);
            }
        }
        for spec in &overrides.thresholds {
            apply_threshold_flag(&mut gates, spec)?;
        }

        let include = config.include.clone().unwrap_or_default();
        let exclude = config.exclude.clone().unwrap_or_default();
        // A bad glob is found here, where the file it came from is known, not when the walk
        // compiles it (X4): the error names the file, line and column of the pattern.
        for (key, patterns) in [("include", &include), ("exclude", &exclude)] {
            for pattern in patterns.iter() {
                if let Err(e) = glob_set(std::slice::from_ref(pattern), key) {
                    return Err(match &loaded {
                        Some(l) => {
                            let quoted = |q: char| format!("{q}{pattern}{q}");
                            let at = l
                                .text
                                .find(&quoted('"'))
                                .or_else(|| l.text.find(&quoted('\'')));
                            match at {
                                Some(offset) => {
                                    ConfigError::at(&l.path, &l.text, offset, e.message, e.hint)
                                }
                                None => e,
                            }
                        }
                        None => e,
                    });
                }
            }
        }
        let max_file_size = config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE);
        let default_excludes = config.default_excludes.unwrap_or(true);
        let coverage_config = config.coverage.as_ref();
        let mut lists = ReportLists {
            cwd: &cwd,
            root: &root,
            gates: &gates,
            in_ci: in_ci(),
            warnings: &mut warnings,
        };
        let coverage = CoverageInputs {
            reports: lists.get(
                &overrides.coverage,
                coverage_config.and_then(|c| c.reports.as_ref()),
                "coverage",
            ),
            path_map: coverage_config
                .and_then(|c| c.path_map.clone())
                .unwrap_or_default(),
            unreported: coverage_config
                .and_then(|c| c.unreported)
                .unwrap_or_default(),
        };
        let security_config = config.security.as_ref();
        let vulnerabilities = config.vulnerabilities.as_ref();
        let findings = ExternalReports {
            bandit: lists.get(
                &overrides.bandit,
                security_config.and_then(|c| c.bandit.as_ref()),
                "security",
            ),
            sarif: lists.get(
                &overrides.sarif,
                security_config.and_then(|c| c.sarif.as_ref()),
                "security",
            ),
            pylint: lists.get(
                &overrides.pylint,
                config.pylint.as_ref().and_then(|c| c.reports.as_ref()),
                "pylint-score",
            ),
            clippy: lists.get(
                &overrides.clippy,
                config.clippy.as_ref().and_then(|c| c.reports.as_ref()),
                "lint",
            ),
            mypy: lists.get(
                &overrides.mypy,
                config.mypy.as_ref().and_then(|c| c.reports.as_ref()),
                "type-errors",
            ),
            pip_audit: lists.get(
                &overrides.pip_audit,
                vulnerabilities.and_then(|c| c.pip_audit.as_ref()),
                "vulnerabilities",
            ),
            cargo_audit: lists.get(
                &overrides.cargo_audit,
                vulnerabilities.and_then(|c| c.cargo_audit.as_ref()),
                "vulnerabilities",
            ),
            audit: crate::join::findings::AuditSettings {
                fixable_only: vulnerabilities
                    .and_then(|c| c.fixable_only)
                    .unwrap_or(false),
                include_warnings: vulnerabilities
                    .and_then(|c| c.include_warnings)
                    .unwrap_or(false),
                allow: allow_list(vulnerabilities)?,
            },
            allow_scanner_errors: security_config
                .and_then(|c| c.allow_scanner_errors)
                .unwrap_or(false),
            min_confidence: security_config.and_then(|c| c.min_confidence),
            sarif_severity: config
                .sarif
                .as_ref()
                .and_then(|s| s.severity.clone())
                .unwrap_or_default()
                .into_iter()
                .collect(),
        };
        let dup = config.duplication.as_ref();
        let docstrings = docstring_options(loaded.as_ref())?;
        let analysis = crate::frontend::Options {
            docstrings,
            clone_skip_imports: dup.and_then(|d| d.ignore_imports).unwrap_or(true),
            clone_skip_overloads: dup.and_then(|d| d.ignore_overloads).unwrap_or(true),
            python_cyclomatic: config
                .metrics
                .as_ref()
                .and_then(|m| m.python_cyclomatic)
                .unwrap_or_default(),
            normalize: dup.and_then(|d| d.normalize).unwrap_or_default(),
        };
        let duplication = DuplicationSettings {
            min_tokens: dup.and_then(|d| d.min_tokens).unwrap_or(50) as usize,
            min_lines: dup.and_then(|d| d.min_lines).unwrap_or(5).max(1),
            normalize: analysis.normalize,
            excluded: glob_set(
                &dup.and_then(|d| d.exclude.clone()).unwrap_or_default(),
                "duplication.exclude",
            )?,
            // The report lists every clone: caps are for what people read (the text output).
            max_reported_clones: dup
                .and_then(|d| d.max_reported_clones)
                .unwrap_or(usize::MAX),
            max_reported_fragments: dup
                .and_then(|d| d.max_reported_fragments)
                .unwrap_or(usize::MAX),
        };
        let new_code_config = config.new_code.as_ref();
        let defaults = crate::report::NewCodePolicy::default();
        let new_code = crate::scope::NewCodeSettings {
            request: overrides.change.clone(),
            policy: crate::report::NewCodePolicy {
                branch_coverage: overrides.branch_coverage
                    || new_code_config
                        .and_then(|c| c.branch_coverage)
                        .unwrap_or(defaults.branch_coverage),
                total_percent_float: new_code_config
                    .and_then(|c| c.total_percent_float)
                    .unwrap_or(defaults.total_percent_float),
                ignore_whitespace: new_code_config
                    .and_then(|c| c.ignore_whitespace)
                    .unwrap_or(defaults.ignore_whitespace),
                small_change_lines: new_code_config
                    .and_then(|c| c.small_change_lines)
                    .unwrap_or(defaults.small_change_lines),
            },
            github_base_ref: std::env::var("GITHUB_BASE_REF")
                .ok()
                .filter(|r| !r.is_empty()),
        };
        let html = {
            let defaults = crate::render::html::HtmlOptions::default();
            let html = config.html.as_ref();
            crate::render::html::HtmlOptions {
                source: html.and_then(|h| h.source).unwrap_or(defaults.source),
                source_budget: html
                    .and_then(|h| h.source_budget)
                    .unwrap_or(defaults.source_budget),
            }
        };
        let junit_offenders = config
            .junit
            .as_ref()
            .and_then(|j| j.per_offender)
            .unwrap_or(false);
        Ok(Self {
            root,
            paths,
            config_file: loaded.map(|l| l.path),
            config_ignored: search.ignored,
            warnings,
            include,
            exclude,
            max_file_size,
            default_excludes,
            gates,
            jobs,
            analysis,
            duplication,
            coverage,
            findings,
            new_code,
            html,
            junit_offenders,
            report_fingerprints: overrides.report_fingerprints,
            baseline: overrides
                .baseline
                .as_ref()
                .map(|p| crate::join::baseline::BaselineInput {
                    path: cwd.join(p),
                    shown: p.display().to_string(),
                }),
        })
    }

    pub fn gate(&self, id: &str) -> Option<&GateSettings> {
        crate::gate::config::find(&self.gates, id)
    }
}

/// Where the report lists of flags and configuration are resolved.
struct ReportLists<'a> {
    cwd: &'a Path,
    root: &'a Path,
    gates: &'a [GateSettings],
    in_ci: bool,
    warnings: &'a mut Vec<String>,
}

impl ReportLists<'_> {
    /// Reports named on the command line (relative to the current directory) replace those of
    /// the configuration (relative to the repository root). A configured report that does not
    /// exist is dropped with a warning — its gate is then skipped — unless its gate is
    /// `required` or the run is in CI (`CI` set), where the join stops with exit 2: locally
    /// not every CI step has run, in CI a missing report means one failed.
    fn get(&mut self, flags: &[PathBuf], config: Option<&Vec<String>>, gate: &str) -> Vec<PathBuf> {
        if !flags.is_empty() {
            return flags.iter().map(|p| self.cwd.join(p)).collect();
        }
        let required = crate::gate::config::find(self.gates, gate).is_some_and(|g| g.required);
        let mut kept = Vec::new();
        for name in config.into_iter().flatten() {
            let path = self.root.join(name);
            if self.in_ci || required || std::fs::symlink_metadata(&path).is_ok() {
                kept.push(path);
            } else {
                self.warnings.push(format!(
                    "the configured report `{name}` does not exist; gate `{gate}` is skipped without it (in CI, where `CI` is set, or with `required = true`, this exits 2) — run the step that writes it, or pass the report with a flag"
                ));
            }
        }
        kept
    }
}

/// Whether the run is in CI: the `CI` variable GitHub Actions, GitLab CI, CircleCI, Travis and
/// Buildkite set (any value but empty, `false` or `0`).
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// interrogate's options from `[docstrings]`; a regular expression that does not compile is an
/// error at its place in the file.
fn docstring_options(
    loaded: Option<&file::LoadedConfig>,
) -> Result<crate::frontend::python::docstrings::DocOptions, ConfigError> {
    let mut options = crate::frontend::python::docstrings::DocOptions::default();
    let Some((loaded, d)) = loaded.and_then(|l| Some((l, l.config.docstrings.as_ref()?))) else {
        return Ok(options);
    };
    let flag = |v: Option<bool>| v.unwrap_or(false);
    options.ignore_init_method = flag(d.ignore_init_method);
    options.ignore_init_module = flag(d.ignore_init_module);
    options.ignore_magic = flag(d.ignore_magic);
    options.ignore_module = flag(d.ignore_module);
    options.ignore_nested_classes = flag(d.ignore_nested_classes);
    options.ignore_nested_functions = flag(d.ignore_nested_functions);
    options.ignore_private = flag(d.ignore_private);
    options.ignore_semiprivate = flag(d.ignore_semiprivate);
    options.ignore_property_decorators = flag(d.ignore_property_decorators);
    options.ignore_setters = flag(d.ignore_setters);
    options.ignore_overloaded_functions = flag(d.ignore_overloaded_functions);
    options.google_style = d.style == Some(file::DocstringStyle::Google);
    let compile = |patterns: &Option<Vec<toml::Spanned<String>>>| {
        patterns
            .iter()
            .flatten()
            .map(|p| {
                regex::Regex::new(p.get_ref()).map_err(|e| {
                    loaded.error_at(
                        p.span(),
                        format!("invalid regular expression `{}`: {e}", p.get_ref()),
                        "write it in Rust's regex syntax (as Python's, without look-around or backreferences)".to_owned(),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
    };
    options.ignore_regex = compile(&d.ignore_regex)?;
    options.whitelist_regex = compile(&d.whitelist_regex)?;
    Ok(options)
}

fn strings(value: &toml::Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Sets threshold `key` of `gate`; an optional threshold (no default) is evaluated once set.
fn set_threshold(gate: &mut GateSettings, key: &str, value: f64) {
    if let Some(t) = gate.thresholds.iter_mut().find(|t| t.key == key) {
        t.value = value;
        return;
    }
    if let Some((key, t)) =
        catalog::rule(gate.id).and_then(|r| r.thresholds.iter().find(|(k, _)| k.as_str() == key))
    {
        gate.thresholds.push(ThresholdSettings {
            key: key.as_str(),
            metric: t.metric,
            comparator: t.comparator,
            value,
        });
    }
}

/// `--threshold coverage=90` sets (and enables) the gate's primary threshold, validated as the
/// configuration's thresholds are.
fn apply_threshold_flag(gates: &mut [GateSettings], spec: &str) -> Result<(), ConfigError> {
    let (id, value) = spec.split_once('=').ok_or_else(|| {
        ConfigError::new(
            format!("--threshold `{spec}`: no `=` in it"),
            "write --threshold GATE=VALUE, e.g. --threshold coverage=90",
        )
    })?;
    let ids: Vec<&str> = catalog::rules().iter().map(|r| r.id.as_str()).collect();
    let rule = catalog::rule(id.trim()).ok_or_else(|| {
        ConfigError::new(
            format!("--threshold: unknown gate `{id}`"),
            crate::suggest::hint(id, &ids, "known gates"),
        )
    })?;
    let value = thresholds::value(rule, &rule.primary, thresholds::Written::Text(value)).map_err(
        |(message, hint)| ConfigError::new(format!("--threshold {spec}: {message}"), hint),
    )?;
    if let Some(gate) = gates.iter_mut().find(|g| g.id == rule.id) {
        set_threshold(gate, &rule.primary, value);
        gate.enabled = true;
    }
    Ok(())
}

/// The repository root: the nearest directory holding `.git`, else the configuration file's
/// directory, else where the analysis starts.
fn find_root(start: &Path, config: Option<&Path>) -> PathBuf {
    if let Some(git) = start.ancestors().find(|d| d.join(".git").exists()) {
        return git.to_path_buf();
    }
    config
        .and_then(Path::parent)
        .map_or_else(|| start.to_path_buf(), Path::to_path_buf)
}

/// Removes `.` and `..` components without touching the file system (symlinks stay as given).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `[[vulnerabilities.allow]]`, checked: every entry says why, and its `until` is a date.
fn allow_list(
    config: Option<&file::VulnerabilitiesConfig>,
) -> Result<Vec<crate::join::findings::AllowEntry>, ConfigError> {
    let entries = config.map(|c| c.allow.clone()).unwrap_or_default();
    for e in &entries {
        if e.reason.trim().is_empty() {
            return Err(ConfigError::new(
                format!("[[vulnerabilities.allow]] `{}`: the reason is empty", e.id),
                "say why the advisory is accepted, e.g. reason = \"not reachable: we never parse untrusted input\"",
            ));
        }
        if let Some(until) = &e.until {
            let b = until.as_bytes();
            let shaped = b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && until
                    .chars()
                    .enumerate()
                    .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
            if !shaped {
                return Err(ConfigError::new(
                    format!(
                        "[[vulnerabilities.allow]] entry `{}`: until = \"{until}\" is not a date",
                        e.id
                    ),
                    "write it as YYYY-MM-DD, e.g. until = \"2027-03-31\"",
                ));
            }
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate<'a>(gates: &'a [GateSettings], id: &str) -> &'a GateSettings {
        gates.iter().find(|g| g.id == id).unwrap()
    }

    #[test]
    fn threshold_flag_sets_the_primary_threshold() {
        let mut gates = default_gates();
        apply_threshold_flag(&mut gates, "coverage=90").unwrap();
        apply_threshold_flag(&mut gates, "complexity=12").unwrap();
        assert_eq!(gate(&gates, "coverage").thresholds[0].value, 90.0);
        let cx = gate(&gates, "complexity");
        assert_eq!(
            cx.thresholds
                .iter()
                .find(|t| t.key == "max-function")
                .unwrap()
                .value,
            12.0
        );
        assert_eq!(
            cx.thresholds
                .iter()
                .find(|t| t.key == "max-average")
                .unwrap()
                .value,
            10.0
        );
    }

    #[test]
    fn bad_threshold_flags_are_explained() {
        let mut gates = default_gates();
        let err = apply_threshold_flag(&mut gates, "coverag=90").unwrap_err();
        assert_eq!(
            err.to_string(),
            "--threshold: unknown gate `coverag` — did you mean `coverage`?"
        );
        assert!(apply_threshold_flag(&mut gates, "coverage").is_err());
        assert!(apply_threshold_flag(&mut gates, "coverage=-1").is_err());
        assert!(apply_threshold_flag(&mut gates, "coverage=NaN").is_err());
    }

    #[test]
    fn normalize_removes_dots() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
