//! Gates as a run evaluates them: each catalog rule with its thresholds resolved from the
//! defaults, the configuration and the command line (`settings` does the resolving).

use globset::GlobSet;

use super::catalog::{self, Comparator, Metric};

/// One gate, resolved.
#[derive(Clone, Debug)]
pub struct GateSettings {
    pub id: &'static str,
    pub enabled: bool,
    /// A gate whose input is missing makes the run exit 2 instead of being skipped.
    pub required: bool,
    pub thresholds: Vec<ThresholdSettings>,
    /// The files the gate looks at.
    pub scope: Scope,
}

/// Which files a gate looks at: its `include`/`exclude` and the `[per-file-ignores]` naming it.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Only these (all files when absent).
    pub include: Option<GlobSet>,
    /// Never these.
    pub exclude: Option<GlobSet>,
    /// The patterns, as configured, for the report.
    pub include_patterns: Vec<String>,
    pub exclude_patterns: Vec<String>,
}

impl Scope {
    /// Whether the gate looks at everything.
    pub fn is_all(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.include.as_ref().is_none_or(|set| set.is_match(path))
            && !self.exclude.as_ref().is_some_and(|set| set.is_match(path))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThresholdSettings {
    pub key: &'static str,
    pub metric: Metric,
    pub comparator: Comparator,
    pub value: f64,
}

impl GateSettings {
    /// The value of threshold `key`, when the gate is enabled and the threshold set.
    pub fn threshold(&self, key: &str) -> Option<f64> {
        self.thresholds
            .iter()
            .find(|t| t.key == key)
            .filter(|_| self.enabled)
            .map(|t| t.value)
    }
}

/// Every catalog gate with its default thresholds.
pub fn default_gates() -> Vec<GateSettings> {
    catalog::rules()
        .iter()
        .map(|rule| GateSettings {
            id: rule.id.as_str(),
            enabled: rule.enabled,
            required: false,
            scope: Scope::default(),
            thresholds: rule
                .thresholds
                .iter()
                .filter_map(|(key, t)| {
                    Some(ThresholdSettings {
                        key: key.as_str(),
                        metric: t.metric,
                        comparator: t.comparator,
                        value: t.default?,
                    })
                })
                .collect(),
        })
        .collect()
}

/// The gate `id` among `gates`.
pub fn find<'a>(gates: &'a [GateSettings], id: &str) -> Option<&'a GateSettings> {
    gates.iter().find(|g| g.id == id)
}
