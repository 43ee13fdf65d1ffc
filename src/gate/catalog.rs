//! The gate catalog: one TOML file per gate under `rules/`, embedded in the binary.
//!
//! Adding a gate on an existing metric is a new `rules/<id>.toml` and one line in [`RULE_FILES`].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// Every gate, in the order they are reported.
const RULE_FILES: &[(&str, &str)] = &[
    (
        "parse-errors",
        include_str!("../../rules/parse-errors.toml"),
    ),
    (
        "skipped-files",
        include_str!("../../rules/skipped-files.toml"),
    ),
    ("complexity", include_str!("../../rules/complexity.toml")),
    ("cognitive", include_str!("../../rules/cognitive.toml")),
    (
        "maintainability",
        include_str!("../../rules/maintainability.toml"),
    ),
    ("duplication", include_str!("../../rules/duplication.toml")),
    ("coverage", include_str!("../../rules/coverage.toml")),
    ("type-hints", include_str!("../../rules/type-hints.toml")),
    ("docstrings", include_str!("../../rules/docstrings.toml")),
    ("security", include_str!("../../rules/security.toml")),
    ("lint", include_str!("../../rules/lint.toml")),
    (
        "pylint-score",
        include_str!("../../rules/pylint-score.toml"),
    ),
    ("type-errors", include_str!("../../rules/type-errors.toml")),
    (
        "vulnerabilities",
        include_str!("../../rules/vulnerabilities.toml"),
    ),
    (
        "new-coverage",
        include_str!("../../rules/new-coverage.toml"),
    ),
    (
        "new-complexity",
        include_str!("../../rules/new-complexity.toml"),
    ),
    (
        "new-cognitive",
        include_str!("../../rules/new-cognitive.toml"),
    ),
    (
        "new-duplication",
        include_str!("../../rules/new-duplication.toml"),
    ),
    (
        "new-type-hints",
        include_str!("../../rules/new-type-hints.toml"),
    ),
    (
        "new-docstrings",
        include_str!("../../rules/new-docstrings.toml"),
    ),
    (
        "new-findings",
        include_str!("../../rules/new-findings.toml"),
    ),
    (
        "new-security",
        include_str!("../../rules/new-security.toml"),
    ),
    ("ratchet", include_str!("../../rules/ratchet.toml")),
];

/// One gate as its rule file defines it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub title: String,
    /// The threshold `--threshold ID=VALUE` sets.
    pub primary: String,
    /// Whether the gate is evaluated unless configured otherwise.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// What the gate looks at: every analysed file, or only the lines a change touches.
    #[serde(default)]
    pub scope: RuleScope,
    /// The languages the gate is about (empty: all). With none of them analysed and no input
    /// for it, the gate is not reported at all — a Rust crate has no type hints to skip.
    #[serde(default)]
    pub languages: Vec<crate::model::Language>,
    pub thresholds: BTreeMap<String, Threshold>,
    pub explain: Explain,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// Which summary value the threshold applies to.
    pub metric: Metric,
    pub comparator: Comparator,
    /// Absent for an optional threshold, evaluated only when configured.
    pub default: Option<f64>,
    pub help: String,
}

/// The summary values a threshold can apply to. A rule file naming anything else does not load
/// (a test loads every rule file), so no condition can be skipped for naming an unknown metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
pub enum Metric {
    #[serde(rename = "parse_errors")]
    ParseErrors,
    #[serde(rename = "skipped")]
    Skipped,
    #[serde(rename = "complexity.max")]
    ComplexityMax,
    #[serde(rename = "complexity.average")]
    ComplexityAverage,
    #[serde(rename = "complexity_blocks.average")]
    BlockAverage,
    #[serde(rename = "complexity_blocks.max")]
    BlockMax,
    #[serde(rename = "complexity_blocks.max_module_average")]
    ModuleAverageMax,
    #[serde(rename = "cognitive.max")]
    CognitiveMax,
    #[serde(rename = "maintainability.average")]
    MaintainabilityAverage,
    #[serde(rename = "duplication.percent")]
    DuplicationPercent,
    #[serde(rename = "duplication.clones")]
    DuplicationClones,
    #[serde(rename = "duplication.jscpd_percent")]
    DuplicationJscpdPercent,
    #[serde(rename = "coverage.percent")]
    CoveragePercent,
    #[serde(rename = "coverage.min_file")]
    CoverageMinFile,
    #[serde(rename = "type_hints.percent")]
    TypeHintsPercent,
    #[serde(rename = "docstrings.percent")]
    DocstringsPercent,
    #[serde(rename = "security.high")]
    SecurityHigh,
    #[serde(rename = "security.medium")]
    SecurityMedium,
    #[serde(rename = "findings.high")]
    FindingsHigh,
    #[serde(rename = "findings.medium")]
    FindingsMedium,
    #[serde(rename = "findings.low")]
    FindingsLow,
    #[serde(rename = "pylint.score")]
    PylintScore,
    #[serde(rename = "type_errors.errors")]
    TypeErrors,
    #[serde(rename = "vulnerabilities.count")]
    Vulnerabilities,
}

impl Metric {
    /// The name rule files and the report's conditions use.
    pub fn id(self) -> &'static str {
        match self {
            Self::ParseErrors => "parse_errors",
            Self::Skipped => "skipped",
            Self::ComplexityMax => "complexity.max",
            Self::ComplexityAverage => "complexity.average",
            Self::BlockAverage => "complexity_blocks.average",
            Self::BlockMax => "complexity_blocks.max",
            Self::ModuleAverageMax => "complexity_blocks.max_module_average",
            Self::CognitiveMax => "cognitive.max",
            Self::MaintainabilityAverage => "maintainability.average",
            Self::DuplicationPercent => "duplication.percent",
            Self::DuplicationClones => "duplication.clones",
            Self::DuplicationJscpdPercent => "duplication.jscpd_percent",
            Self::CoveragePercent => "coverage.percent",
            Self::CoverageMinFile => "coverage.min_file",
            Self::TypeHintsPercent => "type_hints.percent",
            Self::DocstringsPercent => "docstrings.percent",
            Self::SecurityHigh => "security.high",
            Self::SecurityMedium => "security.medium",
            Self::FindingsHigh => "findings.high",
            Self::FindingsMedium => "findings.medium",
            Self::FindingsLow => "findings.low",
            Self::PylintScore => "pylint.score",
            Self::TypeErrors => "type_errors.errors",
            Self::Vulnerabilities => "vulnerabilities.count",
        }
    }

    /// Whether values are whole counts (a maximum, findings, clones), not averages or ratios.
    pub fn is_count(self) -> bool {
        matches!(
            self,
            Self::ParseErrors
                | Self::Skipped
                | Self::ComplexityMax
                | Self::BlockMax
                | Self::CognitiveMax
                | Self::DuplicationClones
                | Self::SecurityHigh
                | Self::SecurityMedium
                | Self::FindingsHigh
                | Self::FindingsMedium
                | Self::FindingsLow
                | Self::TypeErrors
                | Self::Vulnerabilities
        )
    }

    /// Whether a threshold may be a radon rank letter (`"B"`), as xenon's are.
    pub fn accepts_rank(self) -> bool {
        matches!(
            self,
            Self::ComplexityMax
                | Self::ComplexityAverage
                | Self::BlockAverage
                | Self::BlockMax
                | Self::ModuleAverageMax
        )
    }

    /// Whether values are percentages (0–100).
    pub fn is_percent(self) -> bool {
        self.id().ends_with("percent") || self == Self::CoverageMinFile
    }
}

/// What a gate looks at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleScope {
    /// Every analysed file.
    #[default]
    All,
    /// The lines `--base`/`--staged` find changed; not evaluated without one.
    NewCode,
    /// The totals against a `--baseline`'s (thresholds are tolerances); not evaluated
    /// without one.
    Ratchet,
}

impl RuleScope {
    /// As gate results name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Ratchet => "ratchet",
            Self::NewCode => "new-code",
        }
    }
}

/// How an actual value is compared with its threshold; the gate passes when this holds.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
pub enum Comparator {
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = ">=")]
    AtLeast,
}

impl Comparator {
    pub fn holds(self, actual: f64, threshold: f64) -> bool {
        match self {
            Self::AtMost => actual <= threshold,
            Self::AtLeast => actual >= threshold,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AtMost => "<=",
            Self::AtLeast => ">=",
        }
    }
}

fn enabled_by_default() -> bool {
    true
}

/// `qgate explain` text, with fixed headings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explain {
    pub measures: String,
    pub computation: String,
    pub limits: String,
    pub example: String,
}

/// All rules, parsed once.
pub fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        RULE_FILES
            .iter()
            .map(|(name, text)| match toml::from_str::<Rule>(text) {
                Ok(rule) => rule,
                // Rule files are part of the binary and checked by a test: this cannot happen
                // in a released build.
                Err(e) => panic!("rules/{name}.toml is invalid: {e}"),
            })
            .collect()
    })
}

pub fn rule(id: &str) -> Option<&'static Rule> {
    rules().iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_file_parses_and_is_named_after_its_id() {
        for (name, _) in RULE_FILES {
            let rule = rule(name).unwrap_or_else(|| panic!("rules/{name}.toml has another id"));
            assert!(
                rule.thresholds.contains_key(&rule.primary),
                "{name}: primary is not a threshold"
            );
            assert!(!rule.explain.measures.is_empty());
        }
        assert_eq!(rules().len(), RULE_FILES.len());
    }

    #[test]
    fn a_rule_naming_an_unknown_metric_does_not_load() {
        let rule = |metric: &str| {
            format!(
                "id = \"x\"\ntitle = \"X\"\nprimary = \"max\"\n[thresholds.max]\nmetric = \"{metric}\"\ncomparator = \"<=\"\nhelp = \"h\"\n[explain]\nmeasures = \"m\"\ncomputation = \"c\"\nlimits = \"l\"\nexample = \"e\"\n"
            )
        };
        assert!(toml::from_str::<Rule>(&rule("duplication.clones")).is_ok());
        let err = toml::from_str::<Rule>(&rule("duplication.clone")).unwrap_err();
        assert!(
            err.message()
                .contains("unknown variant `duplication.clone`"),
            "{err}"
        );
    }

    #[test]
    fn comparators() {
        assert!(Comparator::AtMost.holds(3.0, 3.0));
        assert!(!Comparator::AtMost.holds(3.01, 3.0));
        assert!(Comparator::AtLeast.holds(85.0, 85.0));
        assert!(!Comparator::AtLeast.holds(84.99, 85.0));
    }
}
