//! `qgate explain` pages and the `qgate init` template, generated from the rule catalog and
//! the metric pages under `rules/metrics/`.

use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::gate::catalog::{self, Explain, Rule};

/// Metrics that are not gates of their own, each with an explain page.
const METRIC_FILES: &[(&str, &str)] = &[
    ("halstead", include_str!("../rules/metrics/halstead.toml")),
    ("raw", include_str!("../rules/metrics/raw.toml")),
    ("grade", include_str!("../rules/metrics/grade.toml")),
    ("baseline", include_str!("../rules/metrics/baseline.toml")),
];

/// Names people use for a metric whose page is a gate's.
const GATE_ALIASES: &[(&str, &str)] = &[
    ("cyclomatic", "complexity"),
    ("mccabe", "complexity"),
    ("maintainability-index", "maintainability"),
    ("mi", "maintainability"),
    ("cognitive-complexity", "cognitive"),
    ("typehints", "type-hints"),
    ("docstring", "docstrings"),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricDoc {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub explain: Explain,
}

pub fn metric_docs() -> &'static [MetricDoc] {
    static DOCS: OnceLock<Vec<MetricDoc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        METRIC_FILES
            .iter()
            .map(|(name, text)| match toml::from_str::<MetricDoc>(text) {
                Ok(doc) => doc,
                // Embedded and checked by a test: this cannot happen in a released build.
                Err(e) => panic!("rules/metrics/{name}.toml is invalid: {e}"),
            })
            .collect()
    })
}

/// The explain page for a gate or metric id (or one of their aliases).
pub fn page(id: &str) -> Option<String> {
    let id = GATE_ALIASES
        .iter()
        .find(|(alias, _)| *alias == id)
        .map_or(id, |(_, gate)| gate);
    if let Some(rule) = catalog::rule(id) {
        return Some(render(rule));
    }
    let doc = metric_docs()
        .iter()
        .find(|d| d.id == id || d.aliases.iter().any(|a| a == id))?;
    let mut out = format!("{} — {}\n\n", doc.id, doc.title);
    section(&mut out, "Measures", &doc.explain.measures);
    section(&mut out, "Computation", &doc.explain.computation);
    section(&mut out, "Known limits", &doc.explain.limits);
    section(&mut out, "Example", &doc.explain.example);
    Some(out)
}

/// Every id `qgate explain` knows (gates, metrics, aliases), for suggestions.
pub fn ids() -> Vec<&'static str> {
    let gates = catalog::rules().iter().map(|r| r.id.as_str());
    let metrics = metric_docs().iter().map(|d| d.id.as_str());
    let aliases = GATE_ALIASES.iter().map(|(alias, _)| *alias);
    gates.chain(metrics).chain(aliases).collect()
}

/// The listing `qgate explain` prints without an id.
pub fn index() -> String {
    let mut out = String::from("Gates:\n");
    for rule in catalog::rules() {
        let _ = writeln!(out, "  {:<16} {}", rule.id, rule.title);
    }
    out.push_str("Metrics:\n");
    for doc in metric_docs() {
        let _ = writeln!(out, "  {:<16} {}", doc.id, doc.title);
    }
    let aliases: Vec<String> = GATE_ALIASES
        .iter()
        .map(|(a, g)| format!("{a} ({g})"))
        .collect();
    let _ = writeln!(out, "Also: {}", aliases.join(", "));
    out
}

pub fn render(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}\n", rule.id, rule.title);
    section(&mut out, "Measures", &rule.explain.measures);
    section(&mut out, "Computation", &rule.explain.computation);
    section(&mut out, "Known limits", &rule.explain.limits);
    let mut settings = format!("[gates]\n{} = {{ {} }}\n", rule.id, inline_defaults(rule));
    for (key, t) in &rule.thresholds {
        let _ = writeln!(
            settings,
            "  {key} ({} passes): {}",
            t.comparator.as_str(),
            t.help
        );
    }
    settings.push_str(&format!(
        "  enabled = false turns the gate off; required = true makes missing input exit 2\n  --threshold {}=VALUE sets `{}`",
        rule.id, rule.primary
    ));
    section(&mut out, "Settings", &settings);
    section(&mut out, "Example", &rule.explain.example);
    out
}

fn section(out: &mut String, heading: &str, body: &str) {
    let _ = writeln!(out, "{heading}");
    for line in body.trim_matches('\n').lines() {
        let _ = writeln!(out, "  {line}");
    }
    out.push('\n');
}

/// `max-function = 20, max-average = 10.0`: integers for counts, decimals for averages and percentages.
fn inline_defaults(rule: &Rule) -> String {
    let mut keys: Vec<_> = rule
        .thresholds
        .iter()
        .filter_map(|(k, t)| Some((k, t, t.default?)))
        .collect();
    keys.sort_by_key(|(k, _, _)| *k != &rule.primary);
    keys.iter()
        .map(|(key, t, default)| {
            if t.metric.is_count() {
                format!("{key} = {}", *default as i64)
            } else {
                format!("{key} = {default:?}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A commented `qgate.toml` holding every default.
pub fn init_config() -> String {
    let mut out = String::from(
        "# qgate configuration. Every value below is the default; `qgate explain GATE` tells more.\n\
         version = 1\n\n\
         # What to analyse, relative to the repository root; default: everything not ignored.\n\
         # include = [\"src\", \"tests\"]\n\
         # Added to .gitignore and the built-in excludes (.venv, venv, target, node_modules, build, dist, ...).\n\
         # exclude = [\"**/migrations/**\"]\n\
         # Larger files (bytes) are skipped and listed in the report.\n\
         # max-file-size = 2097152\n\
         # false: also analyse directories named build, dist, target, venv, node_modules, ...\n\
         # default-excludes = true\n\n\
         # Reports other tools wrote, read on every run (relative to the repository root).\n\
         # [coverage]\n\
         # reports = [\"coverage.xml\"]   # Cobertura XML, LCOV or coverage.py JSON\n\
         # path-map = []                 # \"report-prefix=repo-prefix\", applied first\n\
         # unreported = \"warn\"           # or \"uncovered\": files no report mentions count as not run\n\
         # [security]\n\
         # bandit = [\"bandit.json\"]\n\
         # sarif = []\n\
         # min-confidence = \"low\"\n\
         # allow-scanner-errors = false\n\
         # [pylint]\n\
         # reports = [\"pylint.json\"]   # pylint --output-format=json2\n\
         # [clippy]\n\
         # reports = [\"clippy.json\"]   # cargo clippy --message-format=json\n\
         # [mypy]\n\
         # reports = [\"mypy.json\"]     # mypy --output json, or its plain text output\n\
         # [vulnerabilities]\n\
         # pip-audit = [\"pip-audit.json\"]      # pip-audit -f json\n\
         # cargo-audit = [\"cargo-audit.json\"]  # cargo audit --json\n\
         # fixable-only = false          # true: only vulnerabilities with a fixed version count\n\
         # include-warnings = false      # true: cargo audit's unmaintained/yanked/unsound count\n\
         # [sarif]\n\
         # severity = {}                 # { \"tool\" | \"tool:RULE\" | \"tool:PREFIX*\" = \"high\" | \"medium\" | \"low\" }\n\n\
         # [metrics]\n\
         # python-cyclomatic = \"radon\"  # or \"mccabe\" (ruff C901)\n\
         # complexity-average = \"functions\"  # or \"radon-blocks\" (radon cc -a, xenon)\n\n\
         # [duplication]\n\
         # min-tokens = 50\n\
         # min-lines = 5\n\
         # normalize = \"none\"           # \"literals\" or \"identifiers\"\n\
         # ignore-imports = true        # imports and Rust `use` are not clones\n\
         # ignore-overloads = true      # nor @overload stubs\n\n\
         # interrogate's options, under its names (ignore-init-module, ignore-magic, ignore-module,\n\
         # ignore-nested-classes, ignore-nested-functions, ignore-semiprivate, ignore-setters,\n\
         # ignore-property-decorators, ignore-overloaded-functions, whitelist-regex, ...).\n\
         # [docstrings]\n\
         # ignore-init-method = false\n\
         # ignore-private = false\n\
         # ignore-regex = []\n\
         # style = \"sphinx\"           # or \"google\"\n\n\
         # Files left out of some gates, as ruff's per-file-ignores (also: include/exclude per gate).\n\
         # [per-file-ignores]\n\
         # \"tests/**\" = [\"type-hints\", \"docstrings\"]\n\n\
         # How the new-code gates (--base REF, --staged) measure a change.\n\
         # [new-code]\n\
         # branch-coverage = false       # true: a changed line with a partly taken branch is not covered\n\
         # total-percent-float = false   # true: diff coverage with two decimals, not truncated\n\
         # ignore-whitespace = true      # whitespace-only changes are not changes\n\
         # small-change-lines = 0        # fewer coverable changed lines skip coverage and duplication (SonarQube: 20)\n\n\
         # What the HTML report embeds.\n\
         # [html]\n\
         # source = true                 # false: no source in the page (public artifacts)\n\
         # source-budget = 6291456       # bytes of source the page may embed\n\n\
         [gates]\n",
    );
    for rule in catalog::rules() {
        let _ = writeln!(out, "# {}", rule.title);
        let off = if rule.enabled {
            ""
        } else {
            "enabled = false, "
        };
        let _ = writeln!(out, "{} = {{ {off}{} }}", rule.id, inline_defaults(rule));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commented_input_sections_of_init_are_valid_config() {
        let uncommented: String = init_config()
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.starts_with('[') || rest.contains(" = ") => rest,
                _ => l,
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let config: crate::settings::FileConfig = toml::from_str(&uncommented).unwrap();
        let coverage = config.coverage.unwrap();
        assert_eq!(coverage.reports.unwrap(), ["coverage.xml"]);
        assert_eq!(config.security.unwrap().bandit.unwrap(), ["bandit.json"]);
        assert_eq!(config.clippy.unwrap().reports.unwrap(), ["clippy.json"]);
    }

    #[test]
    fn init_config_is_a_valid_config_with_the_defaults() {
        let text = init_config();
        let config: crate::settings::FileConfig = toml::from_str(&text).unwrap();
        assert_eq!(config.gates.len(), catalog::rules().len());
        assert!(
            text.contains("complexity = { max-function = 20, max-average = 10.0 }"),
            "{text}"
        );
        assert!(text.contains("coverage = { min = 85.0 }"));
    }

    #[test]
    fn every_metric_and_alias_has_a_page() {
        for id in [
            "halstead",
            "raw",
            "lloc",
            "cyclomatic",
            "mi",
            "cognitive",
            "type-hints",
            "docstrings",
        ] {
            assert!(page(id).is_some(), "no page for {id}");
        }
        assert!(page("halstead").unwrap().contains("h1 N2 / (2 h2)"));
        assert!(page("nope").is_none());
        assert_eq!(metric_docs().len(), METRIC_FILES.len());
    }

    #[test]
    fn explain_has_every_heading() {
        let page = render(catalog::rule("complexity").unwrap());
        for heading in [
            "Measures",
            "Computation",
            "Known limits",
            "Settings",
            "Example",
        ] {
            assert!(
                page.contains(&format!("\n{heading}\n")),
                "missing {heading}"
            );
        }
    }
}
