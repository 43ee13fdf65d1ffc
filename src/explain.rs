//! `qgate explain` pages and the `qgate init` template, both generated from the rule catalog.

use std::fmt::Write as _;

use crate::gate::catalog::{self, Rule};

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
    let mut keys: Vec<_> = rule.thresholds.iter().collect();
    keys.sort_by_key(|(k, _)| *k != &rule.primary);
    keys.iter()
        .map(|(key, t)| {
            let integral = t.metric.ends_with(".max")
                || t.metric == "parse_errors"
                || t.metric.starts_with("security.");
            if integral {
                format!("{key} = {}", t.default as i64)
            } else {
                format!("{key} = {:?}", t.default)
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
