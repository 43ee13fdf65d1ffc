//! The configuration file: `qgate.toml`, `.qgate.toml`, or `[tool.qgate]` in `pyproject.toml`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::ConfigError;
use crate::gate::catalog;
use crate::suggest::hint;

/// File names searched in each directory, first match wins.
pub const CONFIG_NAMES: &[&str] = &["qgate.toml", ".qgate.toml", "pyproject.toml"];

/// What a configuration file may say. Every section rejects unknown keys.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    /// Schema version of the file; only 1 exists.
    pub version: Option<Spanned<u32>>,
    pub include: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    /// Larger files are skipped (bytes).
    pub max_file_size: Option<u64>,
    /// `false` analyses directories named like build output or environments (`build`, `dist`,
    /// `target`, `venv`, …) too; `.git` and friends stay excluded.
    pub default_excludes: Option<bool>,
    #[serde(default)]
    pub gates: BTreeMap<Spanned<String>, Spanned<GateTable>>,
    /// `"tests/**" = ["type-hints", "docstrings"]`: files matching a glob are left out of
    /// those gates (as ruff's `per-file-ignores` leaves them out of rules).
    #[serde(default)]
    pub per_file_ignores: BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>,
    pub duplication: Option<DuplicationConfig>,
    pub docstrings: Option<DocstringsConfig>,
    pub metrics: Option<MetricsConfig>,
    pub coverage: Option<CoverageConfig>,
    pub security: Option<SecurityConfig>,
    pub sarif: Option<SarifConfig>,
    pub pylint: Option<PylintConfig>,
    pub clippy: Option<ClippyConfig>,
    pub mypy: Option<MypyConfig>,
    pub vulnerabilities: Option<VulnerabilitiesConfig>,
    pub new_code: Option<NewCodeConfig>,
    pub html: Option<HtmlConfig>,
    pub junit: Option<JunitConfig>,
}

/// `[junit]`: the JUnit XML output.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct JunitConfig {
    /// A testcase per offender of a failing gate too (default false: one per gate).
    pub per_offender: Option<bool>,
}

/// `[html]`: what the HTML report embeds.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HtmlConfig {
    /// Embed source for the file views (default true; false for public artifacts).
    pub source: Option<bool>,
    /// Bytes of source the page may embed (default 6 MiB).
    pub source_budget: Option<u64>,
}

/// `[new-code]`: how `--base`/`--staged` read and measure a change.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NewCodeConfig {
    /// A changed line with a partly taken branch is not covered (diff-cover's
    /// `--branch-coverage`; default false).
    pub branch_coverage: Option<bool>,
    /// Diff coverage to two decimals instead of truncated to a whole percent (default false).
    pub total_percent_float: Option<bool>,
    /// Whitespace-only changes are not new code (default true).
    pub ignore_whitespace: Option<bool>,
    /// Coverage and duplication conditions skip changes with fewer coverable lines (default 0).
    pub small_change_lines: Option<u32>,
}

/// `[docstrings]`: interrogate's options, under the names of its `[tool.interrogate]` table,
/// so a team's existing settings carry over as they are.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocstringsConfig {
    pub ignore_init_method: Option<bool>,
    pub ignore_init_module: Option<bool>,
    pub ignore_magic: Option<bool>,
    pub ignore_module: Option<bool>,
    pub ignore_nested_classes: Option<bool>,
    pub ignore_nested_functions: Option<bool>,
    pub ignore_private: Option<bool>,
    pub ignore_semiprivate: Option<bool>,
    pub ignore_property_decorators: Option<bool>,
    pub ignore_setters: Option<bool>,
    pub ignore_overloaded_functions: Option<bool>,
    /// Regular expressions (Rust's `regex` syntax, matched from the start of the name).
    pub ignore_regex: Option<Vec<Spanned<String>>>,
    pub whitelist_regex: Option<Vec<Spanned<String>>>,
    /// `sphinx` (default) or `google`.
    pub style: Option<DocstringStyle>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComplexityAverage {
    #[default]
    Functions,
    RadonBlocks,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocstringStyle {
    #[default]
    Sphinx,
    Google,
}

/// `[sarif]`: how results of a SARIF producer rank.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SarifConfig {
    /// `{ "semgrep" = "medium", "ruff:F401" = "low", "ruff:PL*" = "medium" }`.
    pub severity: Option<BTreeMap<String, crate::report::Severity>>,
}

/// `[vulnerabilities]`: dependency audits and how the gate counts them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VulnerabilitiesConfig {
    /// `pip-audit -f json` reports read on every run.
    pub pip_audit: Option<Vec<String>>,
    /// `cargo audit --json` reports read on every run.
    pub cargo_audit: Option<Vec<String>>,
    /// Count only vulnerabilities with a fixed version (default false).
    pub fixable_only: Option<bool>,
    /// Count cargo audit's warnings (unmaintained, yanked, unsound) too (default false).
    pub include_warnings: Option<bool>,
    /// `[[vulnerabilities.allow]]` entries: `id`, `reason`, optional `until = "YYYY-MM-DD"`.
    #[serde(default)]
    pub allow: Vec<crate::join::findings::AllowEntry>,
}

/// `[mypy]`: mypy outputs read on every run.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MypyConfig {
    /// `mypy --output json` or plain-text outputs.
    pub reports: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClippyConfig {
    /// `cargo clippy --message-format=json` outputs read on every run.
    pub reports: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PylintConfig {
    /// pylint json2 reports read on every run (relative to the repository root).
    pub reports: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SecurityConfig {
    /// Bandit JSON reports read on every run (relative to the repository root).
    pub bandit: Option<Vec<String>>,
    /// SARIF logs read on every run (relative to the repository root).
    pub sarif: Option<Vec<String>>,
    /// Read a Bandit report that lists files it could not scan, with a warning (default false).
    pub allow_scanner_errors: Option<bool>,
    /// Drop Bandit results below this confidence: `low` (default), `medium` or `high`.
    pub min_confidence: Option<crate::ingest::bandit::Level>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CoverageConfig {
    /// Coverage reports read on every run (relative to the repository root).
    pub reports: Option<Vec<String>>,
    /// `"before=after"` prefixes rewriting report paths before anything else.
    pub path_map: Option<Vec<String>>,
    /// `warn` (default) or `uncovered`: how analysed files no report mentions count.
    pub unreported: Option<crate::join::coverage::Unreported>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MetricsConfig {
    /// `radon` (default) or `mccabe` (ruff C901).
    pub python_cyclomatic: Option<crate::frontend::Dialect>,
    /// What the complexity gate's `max-average` averages: `functions` (default, every def and
    /// fn) or `radon-blocks` (functions, classes and methods, as `radon cc -a` and xenon do).
    pub complexity_average: Option<ComplexityAverage>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DuplicationConfig {
    /// Smallest clone, in tokens (default 50, as jscpd).
    pub min_tokens: Option<u32>,
    /// Smallest clone, in lines (default 5).
    pub min_lines: Option<u32>,
    /// `none` (default), `literals` or `identifiers`.
    pub normalize: Option<crate::metrics::duplication::Normalize>,
    /// Files left out of clone detection only (generated code, migrations, tests).
    pub exclude: Option<Vec<String>>,
    /// Leave import statements (`import`, `from … import`, Rust `use`) out (default true).
    pub ignore_imports: Option<bool>,
    /// Leave `@overload` stubs out (default true).
    pub ignore_overloads: Option<bool>,
    /// Clone groups listed in the JSON report (default all; the rest are counted).
    pub max_reported_clones: Option<usize>,
    /// Fragments listed per clone group (default all).
    pub max_reported_fragments: Option<usize>,
}

/// `[gates] id = { enabled = true, required = false, <threshold> = <number>, … }`.
pub type GateTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    qgate: Option<FileConfig>,
}

/// A configuration file found and parsed.
#[derive(Debug)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub text: String,
    pub config: FileConfig,
}

impl LoadedConfig {
    /// An error located at a span of this file.
    pub fn error_at(&self, span: Range<usize>, message: String, hint: String) -> ConfigError {
        ConfigError::at(&self.path, &self.text, span.start, message, hint)
    }
}

/// What the upward search found: the configuration used, the candidates passed over and why,
/// and what the user should know (two configurations in one directory).
#[derive(Debug, Default)]
pub struct Search {
    pub loaded: Option<LoadedConfig>,
    /// `pyproject.toml: no [tool.qgate] table`, `pyproject.toml: qgate.toml in the same directory wins`.
    pub ignored: Vec<(PathBuf, String)>,
    pub warnings: Vec<String>,
}

/// Finds the configuration upward from `start` (a directory): in the first directory that has
/// one, the first of [`CONFIG_NAMES`] wins. A `pyproject.toml` without a `[tool.qgate]` table
/// (dotted `qgate.…` keys under `[tool]` count) is passed over; one that is not valid TOML, or
/// a candidate that cannot be read, is an error naming it.
pub fn find(start: &Path) -> Result<Search, ConfigError> {
    let mut search = Search::default();
    for dir in start.ancestors() {
        let mut here: Vec<(PathBuf, String)> = Vec::new();
        for name in CONFIG_NAMES {
            let path = dir.join(name);
            if !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::io(&path, &e))?;
            if *name == "pyproject.toml" && !has_qgate_table(&path, &text)? {
                search
                    .ignored
                    .push((path, "no [tool.qgate] table".to_owned()));
                continue;
            }
            here.push((path, text));
        }
        let mut configs = here.into_iter();
        if let Some((path, text)) = configs.next() {
            for (other, _) in configs {
                search.warnings.push(format!(
                    "two configuration files in {}: {} is used and {} is ignored — keep one",
                    dir.display(),
                    file_name(&path),
                    file_name(&other)
                ));
                search.ignored.push((
                    other,
                    format!("{} in the same directory wins", file_name(&path)),
                ));
            }
            search.loaded = Some(load_text(path, text)?);
            return Ok(search);
        }
    }
    Ok(search)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Loads an explicitly named configuration file (`--config`).
pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::io(path, &e))?;
    load_text(path.to_path_buf(), text)
}

/// Whether a `pyproject.toml` holds qgate's table (`[tool.qgate]`, `[tool.qgate.gates]` or
/// dotted keys). It is parsed as TOML: a broken file is an error, not silently skipped.
fn has_qgate_table(path: &Path, text: &str) -> Result<bool, ConfigError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        ConfigError::at(
            path,
            text,
            offset,
            format!("not valid TOML: {}", e.message().trim()),
            "fix the file; qgate reads it for a [tool.qgate] table".to_owned(),
        )
    })?;
    Ok(table
        .get("tool")
        .and_then(toml::Value::as_table)
        .is_some_and(|tool| tool.contains_key("qgate")))
}

fn load_text(path: PathBuf, text: String) -> Result<LoadedConfig, ConfigError> {
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    let parsed = if is_pyproject {
        toml::from_str::<Pyproject>(&text).map(|p| p.tool.and_then(|t| t.qgate).unwrap_or_default())
    } else {
        toml::from_str::<FileConfig>(&text)
    };
    let config = parsed.map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let (message, hint) = explain_toml_error(e.message());
        ConfigError::at(&path, &text, offset, message, hint)
    })?;
    let loaded = LoadedConfig { path, text, config };
    validate(&loaded)?;
    Ok(loaded)
}

/// serde's "unknown field `x`, expected one of `a`, `b`" becomes a message and a suggestion.
fn explain_toml_error(message: &str) -> (String, String) {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return (
            format!("unknown key `{field}`"),
            hint(field, &candidates, "valid keys here"),
        );
    }
    (
        message.to_owned(),
        "fix the value; `qgate init` writes a commented example".to_owned(),
    )
}

/// Checks what serde cannot: gate ids and their keys come from the rule catalog.
fn validate(loaded: &LoadedConfig) -> Result<(), ConfigError> {
    let config = &loaded.config;
    if let Some(version) = &config.version
        && *version.get_ref() != 1
    {
        return Err(loaded.error_at(
            version.span(),
            format!("unsupported config version {}", version.get_ref()),
            "this qgate reads `version = 1`".to_owned(),
        ));
    }
    let ids = ids_of_rules();
    for (id, table) in &config.gates {
        let Some(rule) = catalog::rule(id.get_ref()) else {
            return Err(loaded.error_at(
                id.span(),
                format!("unknown gate `{}`", id.get_ref()),
                hint(id.get_ref(), &ids, "known gates"),
            ));
        };
        let mut keys: Vec<&str> = rule.thresholds.keys().map(String::as_str).collect();
        keys.extend(["enabled", "required", "include", "exclude"]);
        for (key, value) in table.get_ref() {
            let name = key.get_ref().as_str();
            let span = key.span();
            match name {
                "include" | "exclude" => {
                    let globs = value
                        .get_ref()
                        .as_array()
                        .filter(|a| a.iter().all(toml::Value::is_str));
                    if globs.is_none() {
                        return Err(loaded.error_at(
                            value.span(),
                            format!("`{name}` of gate `{}` must be a list of globs", rule.id),
                            format!("write `{name} = [\"tests/**\"]`"),
                        ));
                    }
                }
                "enabled" | "required" => {
                    if !value.get_ref().is_bool() {
                        return Err(loaded.error_at(
                            value.span(),
                            format!("`{name}` of gate `{}` must be true or false", rule.id),
                            format!("write `{name} = true`"),
                        ));
                    }
                }
                _ if rule.thresholds.contains_key(name) => {
                    let checked = match written(value.get_ref()) {
                        Some(w) => super::thresholds::value(rule, name, w),
                        None => Err((
                            format!("threshold `{name}` of gate `{}` must be a number", rule.id),
                            format!(
                                "for example `{name} = {}`",
                                rule.thresholds[name]
                                    .default
                                    .map_or_else(|| "1".to_owned(), crate::report::number)
                            ),
                        )),
                    };
                    if let Err((message, hint)) = checked {
                        return Err(loaded.error_at(value.span(), message, hint));
                    }
                }
                _ => {
                    return Err(loaded.error_at(
                        span,
                        format!("unknown key `{name}` for gate `{}`", rule.id),
                        hint(name, &keys, "valid keys"),
                    ));
                }
            }
        }
    }
    for ids in config.per_file_ignores.values() {
        for id in ids.get_ref() {
            if catalog::rule(id.get_ref()).is_none() {
                return Err(loaded.error_at(
                    id.span(),
                    format!("unknown gate `{}` in per-file-ignores", id.get_ref()),
                    hint(id.get_ref(), &ids_of_rules(), "known gates"),
                ));
            }
        }
    }
    Ok(())
}

fn ids_of_rules() -> Vec<&'static str> {
    catalog::rules().iter().map(|r| r.id.as_str()).collect()
}

/// A threshold's TOML value as written: a number, or text (a rank letter).
pub fn written(value: &toml::Value) -> Option<super::thresholds::Written<'_>> {
    use super::thresholds::Written;
    match value {
        toml::Value::Integer(i) => Some(Written::Number(*i as f64)),
        toml::Value::Float(f) => Some(Written::Number(*f)),
        toml::Value::String(s) => Some(Written::Text(s)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(name: &str, text: &str) -> Result<LoadedConfig, ConfigError> {
        load_text(PathBuf::from(name), text.to_owned())
    }

    #[test]
    fn unknown_gate_key_names_file_line_and_suggestion() {
        let err =
            load_str("qgate.toml", "[gates]\ncomplexity = { max-functon = 5 }\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "qgate.toml:2:16: unknown key `max-functon` for gate `complexity` — did you mean `max-function`?"
        );
    }

    #[test]
    fn unknown_top_level_key_is_suggested() {
        let err = load_str("qgate.toml", "exlude = [\"x\"]\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "qgate.toml:1:1: unknown key `exlude` — did you mean `exclude`?"
        );
    }

    #[test]
    fn unknown_gate_is_suggested() {
        let err = load_str("qgate.toml", "[gates.coverag]\nmin = 80\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "qgate.toml:1:8: unknown gate `coverag` — did you mean `coverage`?"
        );
    }

    #[test]
    fn wrong_types_and_ranges_are_refused() {
        let err = load_str("qgate.toml", "[gates]\ncoverage = { min = \"high\" }\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("qgate.toml:2:20: threshold `min` of gate `coverage` must be"),
            "{err}"
        );
        let err = load_str("qgate.toml", "[gates]\ncoverage = { min = 150 }\n").unwrap_err();
        assert!(err.to_string().contains("is above 100"), "{err}");
        let err = load_str("qgate.toml", "max-file-size = \"big\"\n").unwrap_err();
        assert!(
            err.to_string().starts_with("qgate.toml:1:17: invalid type"),
            "{err}"
        );
    }

    #[test]
    fn pyproject_table_is_read_and_other_tools_ignored() {
        let text = "[project]\nname = \"x\"\n[tool.ruff]\nline-length = 99\n[tool.qgate.gates]\ncomplexity = { max-function = 5 }\n";
        let loaded = load_str("pyproject.toml", text).unwrap();
        assert_eq!(loaded.config.gates.len(), 1);
        let err = load_str("pyproject.toml", "[tool.qgate]\nincldue = []\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "pyproject.toml:2:1: unknown key `incldue` — did you mean `include`?"
        );
    }

    #[test]
    fn metrics_dialect_is_validated() {
        let loaded = load_str("qgate.toml", "[metrics]\npython-cyclomatic = \"mccabe\"\n").unwrap();
        assert!(loaded.config.metrics.is_some());
        let err =
            load_str("qgate.toml", "[metrics]\npython-cyclomatic = \"lizard\"\n").unwrap_err();
        assert!(
            err.to_string().starts_with(
                "qgate.toml:2:21: unknown variant `lizard`, expected `radon` or `mccabe`"
            ),
            "{err}"
        );
    }

    #[test]
    fn only_pyprojects_with_a_qgate_table_count() {
        let has = |text: &str| has_qgate_table(Path::new("pyproject.toml"), text);
        assert_eq!(has("[tool.qgate]\n"), Ok(true));
        assert_eq!(has("[tool.qgate.gates]\n"), Ok(true));
        assert_eq!(
            has("[tool]\nqgate.gates.complexity = { max-function = 5 }\n"),
            Ok(true)
        );
        assert_eq!(has("[tool.qgatex]\n[project]\n"), Ok(false));
        let err = has("[project\nname = 1\n").unwrap_err();
        assert!(err.to_string().starts_with("pyproject.toml:1:"), "{err}");
        assert!(err.to_string().contains("not valid TOML"), "{err}");
    }

    #[test]
    fn the_search_names_what_it_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("qgate.toml"), "[gates]\n").unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[tool.qgate]\nexclude = []\n",
        )
        .unwrap();
        let search = find(dir.path()).unwrap();
        assert_eq!(
            search.loaded.map(|l| l.path),
            Some(dir.path().join("qgate.toml"))
        );
        assert_eq!(
            search.ignored,
            [(
                dir.path().join("pyproject.toml"),
                "qgate.toml in the same directory wins".to_owned()
            )]
        );
        assert_eq!(search.warnings.len(), 1);
        assert!(
            search.warnings[0]
                .ends_with("qgate.toml is used and pyproject.toml is ignored — keep one")
        );
    }
}
