//! Evaluates the configured gates against a report's summary: whole-tree gates on the summary
//! (or their path scope's), new-code gates on the summary of the change (`report::new_code`).

use super::catalog::{self, Metric, RuleScope};
use super::config::GateSettings;
use super::offenders::offenders;
use crate::report::new_code::{self, NewCode};
use crate::report::{
    ConditionResult, GateResult, GateStatus, InputKind, MAX_OFFENDERS, PathScope, Report,
    ScopeMode, Status, Summary, View, number, summary_of,
};

/// Fills `report.gates` and `report.status` from the enabled gates. A gate with a path scope
/// is evaluated on the summary of its files only; a new-code gate on the change, and not at
/// all without one.
pub fn apply(report: &mut Report, gates: &[GateSettings]) {
    let mut results: Vec<GateResult> = Vec::new();
    for gate in gates.iter().filter(|g| g.enabled) {
        let scope = catalog::rule(gate.id).map_or(RuleScope::All, |r| r.scope);
        let result = match scope {
            RuleScope::All => on_files(report, gate),
            RuleScope::NewCode if report.scope.mode == ScopeMode::All => continue,
            RuleScope::NewCode => on_new_code(report, gate),
            RuleScope::Ratchet => match &report.baseline {
                Some(baseline) => super::ratchet::evaluate(gate, &report.summary, baseline),
                None => continue,
            },
        };
        results.push(result);
    }
    let present: Vec<crate::model::Language> = report.files.iter().map(|f| f.language).collect();
    report.gates = results
        .into_iter()
        .filter(|g| {
            let languages = catalog::rule(&g.id).map_or(&[][..], |r| &r.languages[..]);
            g.status != GateStatus::Skipped
                || languages.is_empty()
                || languages.iter().any(|l| present.contains(l))
        })
        .collect();
    let failed = report.gates.iter().any(|g| g.status == GateStatus::Fail);
    report.status = if failed { Status::Fail } else { Status::Pass };
    report.summary.grade = super::grade::grade(report);
}

/// A whole-tree gate: on the summary, or on its path scope's.
fn on_files(report: &Report, gate: &GateSettings) -> GateResult {
    let view = if gate.scope.is_all() {
        View::all(report)
    } else {
        View::scoped(report, |path| gate.scope.contains(path))
    };
    let scoped;
    let summary = if gate.scope.is_all() {
        &report.summary
    } else {
        scoped = summary_of(&view);
        &scoped
    };
    let mut summary = summary.clone();
    let view = forgiving(report, gate, view, &mut summary);
    let mut result = evaluate(gate, &summary);
    with_paths(&mut result, gate);
    with_offenders(&mut result, gate, &view.0);
    result.forgiven = view.1;
    result
}

/// With `--baseline`: the view and summary without its known offenders, and how many of them
/// the gate's conditions would have counted.
fn forgiving<'a>(
    report: &'a Report,
    gate: &GateSettings,
    view: View<'a>,
    summary: &mut Summary,
) -> (View<'a>, u32) {
    let Some(baseline) = &report.baseline else {
        return (view, 0);
    };
    let known = &baseline.known;
    let mut families: Vec<Metric> = Vec::new();
    let mut count = 0;
    for t in &gate.thresholds {
        // The duplication conditions count the same clones.
        let family = match t.metric {
            Metric::DuplicationClones | Metric::DuplicationJscpdPercent => {
                Metric::DuplicationPercent
            }
            m => m,
        };
        if !families.contains(&family) {
            families.push(family);
            count += super::forgive::forgiven_count(t.metric, t.value, &view, known);
        }
    }
    let forgiven = super::forgive::forgive(&view, summary, known);
    (forgiven, count as u32)
}

/// A new-code gate: on the changed files (of its path scope), narrowed to what changed.
fn on_new_code(report: &Report, gate: &GateSettings) -> GateResult {
    let new_code = NewCode::of(report, |path| gate.scope.contains(path));
    let view = new_code.view(report);
    let mut summary = new_code::summary(&view);
    let (view, forgiven) = forgiving(report, gate, view, &mut summary);
    let small_change = report.scope.policy.small_change_lines;
    let coverable = summary.coverage.lines_valid.unwrap_or(0);
    let findings_given = report.inputs.given(&[
        InputKind::Bandit,
        InputKind::Sarif,
        InputKind::Pylint,
        InputKind::Clippy,
    ]);
    let skip = |metric: Metric| -> Option<String> {
        if report.scope.changed_lines == 0 {
            return Some(format!(
                "no changed lines{}: new-code gates not evaluated",
                since(report)
            ));
        }
        let sized = matches!(
            metric,
            Metric::CoveragePercent
                | Metric::CoverageMinFile
                | Metric::DuplicationPercent
                | Metric::DuplicationClones
                | Metric::DuplicationJscpdPercent
        );
        if sized && coverable < small_change {
            return Some(format!(
                "only {coverable} coverable lines changed, fewer than `[new-code] small-change-lines = {small_change}`"
            ));
        }
        let findings = matches!(
            metric,
            Metric::FindingsHigh | Metric::FindingsMedium | Metric::FindingsLow
        );
        (findings && !findings_given)
            .then(|| "no findings report given (--bandit, --sarif, --pylint, --clippy)".to_owned())
    };
    let mut result = evaluate_with(gate, &summary, &skip);
    result.scope = RuleScope::NewCode.as_str().to_owned();
    // Skipped because the change holds nothing for the gate (rather than for want of an
    // input): fine for a `required` gate too.
    result.nothing_changed = result.status == GateStatus::Skipped
        && gate.thresholds.iter().any(|t| {
            skip(t.metric).is_some_and(|r| !r.starts_with("no findings report"))
                || metric_value(&report.summary, t.metric).is_ok()
        });
    with_paths(&mut result, gate);
    with_offenders(&mut result, gate, &view);
    result.forgiven = forgiven;
    result
}

/// ` since a1b2c3d4e5f6 (merge base of `main` and HEAD)`, or nothing without a base commit.
pub fn since(report: &Report) -> String {
    let scope = &report.scope;
    let Some(commit) = &scope.base_commit else {
        return String::new();
    };
    let short = &commit[..commit.len().min(12)];
    let how = match (scope.base_from.as_deref(), scope.base_ref.as_deref()) {
        (Some("merge-base"), Some(spec)) => format!(" (merge base of `{spec}` and HEAD)"),
        (Some("first-parent"), _) => {
            " (first parent of the pull request's merge commit)".to_owned()
        }
        (Some("head"), _) => " (HEAD)".to_owned(),
        _ => String::new(),
    };
    format!(" since {short}{how}")
}

fn with_paths(result: &mut GateResult, gate: &GateSettings) {
    if !gate.scope.is_all() {
        result.paths = Some(PathScope {
            include: gate.scope.include_patterns.clone(),
            exclude: gate.scope.exclude_patterns.clone(),
        });
    }
}

/// What makes each failing condition fail, worst first, at most [`MAX_OFFENDERS`].
fn with_offenders(result: &mut GateResult, gate: &GateSettings, view: &View<'_>) {
    let mut all = Vec::new();
    let mut total = 0;
    for c in result
        .conditions
        .iter()
        .filter(|c| c.status == GateStatus::Fail)
    {
        if let Some(t) = gate.thresholds.iter().find(|t| t.key == c.key) {
            let budget = MAX_OFFENDERS.saturating_sub(all.len());
            let listed = offenders(t.metric, t.key, t.value, view, budget);
            total += listed.total;
            all.extend(listed.offenders);
        }
    }
    result.more_offenders = total.saturating_sub(MAX_OFFENDERS) as u32;
    all.truncate(MAX_OFFENDERS);
    result.offenders = all;
}

fn evaluate(gate: &GateSettings, summary: &Summary) -> GateResult {
    evaluate_with(gate, summary, &|_| None)
}

/// Evaluates `gate` on `summary`; a condition `skip` gives a reason for is skipped with it.
pub(super) fn evaluate_with(
    gate: &GateSettings,
    summary: &Summary,
    skip: &dyn Fn(Metric) -> Option<String>,
) -> GateResult {
    let conditions: Vec<ConditionResult> = gate
        .thresholds
        .iter()
        .map(|t| {
            let value = match skip(t.metric) {
                Some(reason) => Err(reason),
                None => metric_value(summary, t.metric),
            };
            let (actual, reason) = match value {
                Ok(v) => (Some(v), None),
                Err(reason) => (None, Some(reason)),
            };
            let status = match actual {
                None => GateStatus::Skipped,
                Some(v) if t.comparator.holds(v, t.value) => GateStatus::Pass,
                Some(_) => GateStatus::Fail,
            };
            ConditionResult {
                key: t.key.to_owned(),
                metric: t.metric.id().to_owned(),
                status,
                actual,
                threshold: t.value,
                comparator: t.comparator.as_str().to_owned(),
                reason,
            }
        })
        .collect();
    gate_result(gate, conditions, &describe)
}

/// A gate's result from its conditions: failing if one fails, passing if one passes, else
/// skipped (with the first reason); `describe` words each evaluated condition.
pub(super) fn gate_result(
    gate: &GateSettings,
    conditions: Vec<ConditionResult>,
    describe: &dyn Fn(&ConditionResult) -> String,
) -> GateResult {
    let status = if conditions.iter().any(|c| c.status == GateStatus::Fail) {
        GateStatus::Fail
    } else if conditions.iter().any(|c| c.status == GateStatus::Pass) {
        GateStatus::Pass
    } else {
        GateStatus::Skipped
    };
    let primary = super::catalog::rule(gate.id).map(|r| r.primary.as_str());
    let deciding = conditions
        .iter()
        .find(|c| c.status == GateStatus::Fail)
        .or_else(|| conditions.iter().find(|c| Some(c.key.as_str()) == primary))
        .or(conditions.first());
    let message = match status {
        GateStatus::Skipped => conditions
            .iter()
            .find_map(|c| c.reason.clone())
            .unwrap_or_default(),
        _ => conditions
            .iter()
            .filter(|c| c.actual.is_some())
            .map(describe)
            .collect::<Vec<_>>()
            .join("; "),
    };
    GateResult {
        id: gate.id.to_owned(),
        status,
        actual: deciding.and_then(|c| c.actual),
        threshold: deciding.map_or(0.0, |c| c.threshold),
        comparator: deciding.map_or_else(String::new, |c| c.comparator.clone()),
        message,
        conditions,
        required: gate.required,
        scope: RuleScope::All.as_str().to_owned(),
        nothing_changed: false,
        paths: None,
        offenders: Vec::new(),
        more_offenders: 0,
        forgiven: 0,
    }
}

/// `max-function: 25 (must be <= 20)` or `max-function: 8 <= 20`.
pub(super) fn describe(c: &ConditionResult) -> String {
    let actual = c.actual.map_or_else(String::new, number);
    let threshold = number(c.threshold);
    if c.status == GateStatus::Fail {
        format!("{}: {actual} (must be {} {threshold})", c.key, c.comparator)
    } else {
        format!("{}: {actual} {} {threshold}", c.key, c.comparator)
    }
}

/// The summary value `metric` names, or why it is not available.
pub(super) fn metric_value(summary: &Summary, metric: Metric) -> Result<f64, String> {
    let or_reason = |v: Option<f64>, reason: &Option<String>| {
        v.ok_or_else(|| {
            reason
                .clone()
                .unwrap_or_else(|| format!("`{}` is not available", metric.id()))
        })
    };
    let count = |v: Option<u32>, reason: &Option<String>| or_reason(v.map(f64::from), reason);
    let s = summary;
    match metric {
        Metric::ParseErrors => Ok(f64::from(s.parse_errors)),
        Metric::Skipped => Ok(f64::from(s.skipped)),
        Metric::ComplexityMax => count(s.complexity.max, &s.complexity.reason),
        Metric::ComplexityAverage => or_reason(s.complexity.average, &s.complexity.reason),
        Metric::BlockAverage => or_reason(s.complexity_blocks.average, &s.complexity_blocks.reason),
        Metric::BlockMax => count(s.complexity_blocks.max, &s.complexity_blocks.reason),
        Metric::ModuleAverageMax => or_reason(
            s.complexity_blocks.max_module_average,
            &s.complexity_blocks.reason,
        ),
        Metric::CognitiveMax => count(s.cognitive.max, &s.cognitive.reason),
        Metric::MaintainabilityAverage => {
            or_reason(s.maintainability.average, &s.maintainability.reason)
        }
        Metric::DuplicationPercent => or_reason(s.duplication.percent, &s.duplication.reason),
        Metric::DuplicationClones => count(s.duplication.clones, &s.duplication.reason),
        Metric::DuplicationJscpdPercent => {
            or_reason(s.duplication.jscpd_percent, &s.duplication.reason)
        }
        Metric::CoveragePercent => or_reason(s.coverage.percent, &s.coverage.reason),
        Metric::CoverageMinFile => or_reason(s.coverage.min_file_percent, &s.coverage.reason),
        Metric::TypeHintsPercent => or_reason(s.type_hints.percent, &s.type_hints.reason),
        Metric::DocstringsPercent => or_reason(s.docstrings.percent, &s.docstrings.reason),
        Metric::SecurityHigh => count(s.security.high, &s.security.reason),
        Metric::SecurityMedium => count(s.security.medium, &s.security.reason),
        Metric::FindingsHigh => Ok(f64::from(s.findings.high)),
        Metric::FindingsMedium => Ok(f64::from(s.findings.medium)),
        Metric::FindingsLow => Ok(f64::from(s.findings.low)),
        Metric::PylintScore => or_reason(s.pylint.score, &s.pylint.reason),
        Metric::TypeErrors => count(s.type_errors.errors, &s.type_errors.reason),
        Metric::Vulnerabilities => count(s.vulnerabilities.count, &s.vulnerabilities.reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::config::default_gates;

    fn summary(max: u32, average: Option<f64>, parse_errors: u32) -> Summary {
        let json = serde_json::json!({
            "files": 1, "python_files": 1, "rust_files": 0, "functions": 1, "lines": 1, "sloc": 1,
            "comments": 0, "blank": 0, "parse_errors": parse_errors, "skipped": 0,
            "complexity": {"average": average, "max": max},
            "cognitive": {"average": null, "max": null},
            "maintainability": {"average": null, "reason": "not computed"},
            "duplication": {"percent": null, "duplicated_lines": null, "clones": null},
            "coverage": {"percent": null, "line_percent": null, "branch_percent": null, "reason": "no coverage report given"},
            "type_hints": {"percent": null, "slots": 0, "annotated": 0, "functions": 0, "fully_annotated": 0, "fully_annotated_percent": null},
            "docstrings": {"percent": null, "documented": 0, "total": 0},
            "security": {"high": null, "medium": null, "low": null},
            "pylint": {"score": null, "messages": null, "reason": "no pylint report given"}
        });
        serde_json::from_value(json).unwrap()
    }

    fn gate(id: &str) -> GateSettings {
        default_gates().into_iter().find(|g| g.id == id).unwrap()
    }

    /// Every condition of every rule file: (gate, threshold key, threshold — its default where
    /// it has one —, a value that passes, a value that fails).
    const CONDITIONS: &[(&str, &str, f64, f64, f64)] = &[
        ("parse-errors", "max", 0.0, 0.0, 1.0),
        ("skipped-files", "max", 0.0, 0.0, 1.0),
        ("complexity", "max-function", 20.0, 20.0, 21.0),
        ("complexity", "max-average", 10.0, 10.0, 10.01),
        ("complexity", "max-absolute", 10.0, 10.0, 11.0),
        ("complexity", "max-modules", 5.0, 5.0, 5.5),
        ("cognitive", "max-function", 15.0, 15.0, 16.0),
        ("maintainability", "min-average", 20.0, 20.0, 19.99),
        ("duplication", "max", 3.0, 3.0, 3.01),
        ("duplication", "max-clones", 0.0, 0.0, 1.0),
        ("duplication", "max-jscpd", 5.0, 5.0, 5.01),
        ("coverage", "min", 85.0, 85.0, 84.99),
        ("coverage", "min-file", 50.0, 50.0, 49.99),
        ("type-hints", "min", 80.0, 80.0, 79.99),
        ("docstrings", "min", 80.0, 80.0, 79.99),
        ("security", "max-high", 0.0, 0.0, 1.0),
        ("security", "max-medium", 2.0, 2.0, 3.0),
        ("lint", "max-high", 0.0, 0.0, 1.0),
        ("lint", "max-medium", 5.0, 5.0, 6.0),
        ("lint", "max-low", 10.0, 10.0, 11.0),
        ("pylint-score", "min", 7.0, 7.0, 6.99),
        ("new-coverage", "min", 80.0, 80.0, 79.0),
        ("new-coverage", "min-file", 50.0, 50.0, 49.99),
        ("new-complexity", "max-function", 20.0, 20.0, 21.0),
        ("new-complexity", "max-average", 5.0, 5.0, 5.01),
        ("new-cognitive", "max-function", 15.0, 15.0, 16.0),
        ("new-duplication", "max", 3.0, 3.0, 3.01),
        ("new-duplication", "max-clones", 0.0, 0.0, 1.0),
        ("new-type-hints", "min", 80.0, 80.0, 79.99),
        ("new-docstrings", "min", 80.0, 80.0, 79.99),
        ("new-findings", "max-high", 0.0, 0.0, 1.0),
        ("new-findings", "max-medium", 0.0, 0.0, 1.0),
        ("new-findings", "max-low", 3.0, 3.0, 4.0),
        ("new-security", "max-high", 0.0, 0.0, 1.0),
        ("new-security", "max-medium", 1.0, 1.0, 2.0),
        ("type-errors", "max", 0.0, 0.0, 1.0),
        ("vulnerabilities", "max", 0.0, 0.0, 1.0),
        // Ratchet thresholds are tolerances around a baseline total of 50.
        ("ratchet", "coverage", 0.5, 49.5, 49.49),
        ("ratchet", "duplication", 0.2, 50.2, 50.21),
        ("ratchet", "complexity-average", 0.0, 50.0, 50.01),
        ("ratchet", "maintainability", 0.0, 50.0, 49.99),
        ("ratchet", "type-hints", 1.0, 49.0, 48.99),
        ("ratchet", "docstrings", 0.0, 50.0, 49.99),
    ];

    /// A summary in which `metric` has `value` (and nothing else is known).
    fn summary_with(metric: Metric, value: f64) -> Summary {
        let mut s = Summary::default();
        let n = value as u32;
        match metric {
            Metric::ParseErrors => s.parse_errors = n,
            Metric::Skipped => s.skipped = n,
            Metric::ComplexityMax => s.complexity.max = Some(n),
            Metric::ComplexityAverage => s.complexity.average = Some(value),
            Metric::BlockAverage => s.complexity_blocks.average = Some(value),
            Metric::BlockMax => s.complexity_blocks.max = Some(n),
            Metric::ModuleAverageMax => s.complexity_blocks.max_module_average = Some(value),
            Metric::CognitiveMax => s.cognitive.max = Some(n),
            Metric::MaintainabilityAverage => s.maintainability.average = Some(value),
            Metric::DuplicationPercent => s.duplication.percent = Some(value),
            Metric::DuplicationClones => s.duplication.clones = Some(n),
            Metric::DuplicationJscpdPercent => s.duplication.jscpd_percent = Some(value),
            Metric::CoveragePercent => s.coverage.percent = Some(value),
            Metric::CoverageMinFile => s.coverage.min_file_percent = Some(value),
            Metric::TypeHintsPercent => s.type_hints.percent = Some(value),
            Metric::DocstringsPercent => s.docstrings.percent = Some(value),
            Metric::SecurityHigh => s.security.high = Some(n),
            Metric::SecurityMedium => s.security.medium = Some(n),
            Metric::FindingsHigh => s.findings.high = n,
            Metric::FindingsMedium => s.findings.medium = n,
            Metric::FindingsLow => s.findings.low = n,
            Metric::PylintScore => s.pylint.score = Some(value),
            Metric::TypeErrors => s.type_errors.errors = Some(n),
            Metric::Vulnerabilities => s.vulnerabilities.count = Some(n),
        }
        s
    }

    #[test]
    fn every_condition_of_every_rule_file_can_pass_and_fail() {
        use crate::gate::catalog::rules;
        use crate::gate::config::ThresholdSettings;
        let listed: Vec<(&str, &str)> = CONDITIONS.iter().map(|c| (c.0, c.1)).collect();
        let mut in_catalog = Vec::new();
        for rule in rules() {
            for (key, t) in &rule.thresholds {
                in_catalog.push((rule.id.as_str(), key.as_str()));
                let row = CONDITIONS
                    .iter()
                    .find(|c| (c.0, c.1) == (rule.id.as_str(), key.as_str()))
                    .unwrap_or_else(|| panic!("{}.{key} has no row in CONDITIONS", rule.id));
                if let Some(default) = t.default {
                    assert_eq!(row.2, default, "{}.{key}: test its default", rule.id);
                }
                for (value, want) in [(row.3, GateStatus::Pass), (row.4, GateStatus::Fail)] {
                    let gate = GateSettings {
                        id: rule.id.as_str(),
                        enabled: true,
                        required: false,
                        scope: Default::default(),
                        thresholds: vec![ThresholdSettings {
                            key: key.as_str(),
                            metric: t.metric,
                            comparator: t.comparator,
                            value: row.2,
                        }],
                    };
                    let summary = summary_with(t.metric, value);
                    let r = if rule.scope == RuleScope::Ratchet {
                        let baseline = crate::report::BaselineReport {
                            headline: [(t.metric.id().to_owned(), 50.0)].into(),
                            ..Default::default()
                        };
                        crate::gate::ratchet::evaluate(&gate, &summary, &baseline)
                    } else {
                        evaluate(&gate, &summary)
                    };
                    assert_eq!(
                        (r.status, r.conditions[0].status),
                        (want, want),
                        "{}.{key} at {value}",
                        rule.id
                    );
                }
            }
        }
        in_catalog.sort_unstable();
        let mut listed_sorted = listed.clone();
        listed_sorted.sort_unstable();
        assert_eq!(
            listed_sorted, in_catalog,
            "CONDITIONS lists a condition no rule has"
        );
    }

    #[test]
    fn complexity_fails_on_the_worst_function() {
        let r = evaluate(&gate("complexity"), &summary(25, Some(4.0), 0));
        assert_eq!(r.status, GateStatus::Fail);
        assert_eq!(
            (r.actual, r.threshold, r.comparator.as_str()),
            (Some(25.0), 20.0, "<=")
        );
        assert_eq!(
            r.message,
            "max-average: 4 <= 10; max-function: 25 (must be <= 20)"
        );
    }

    #[test]
    fn complexity_passes_at_the_limit() {
        let r = evaluate(&gate("complexity"), &summary(20, Some(10.0), 0));
        assert_eq!(r.status, GateStatus::Pass);
        assert_eq!(r.actual, Some(20.0));
    }

    #[test]
    fn no_functions_still_evaluates_the_maximum() {
        let r = evaluate(&gate("complexity"), &summary(0, None, 0));
        assert_eq!(r.status, GateStatus::Pass);
        assert_eq!(
            r.conditions
                .iter()
                .filter(|c| c.status == GateStatus::Skipped)
                .count(),
            1
        );
    }

    #[test]
    fn parse_errors_fail_above_zero() {
        assert_eq!(
            evaluate(&gate("parse-errors"), &summary(1, Some(1.0), 1)).status,
            GateStatus::Fail
        );
        assert_eq!(
            evaluate(&gate("parse-errors"), &summary(1, Some(1.0), 0)).status,
            GateStatus::Pass
        );
    }

    #[test]
    fn gates_without_input_are_skipped_with_the_reason() {
        let r = evaluate(&gate("coverage"), &summary(1, Some(1.0), 0));
        assert_eq!(r.status, GateStatus::Skipped);
        assert_eq!(r.actual, None);
        assert_eq!(r.message, "no coverage report given");
    }
}
