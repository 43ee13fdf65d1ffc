//! Evaluates the configured gates against a report's summary.

use crate::report::{ConditionResult, GateResult, GateStatus, Report, Status, Summary};
use crate::settings::{GateSettings, Settings};

/// Fills `report.gates` and `report.status` from the enabled gates.
pub fn apply(report: &mut Report, settings: &Settings) {
    report.gates = settings
        .gates
        .iter()
        .filter(|g| g.enabled)
        .map(|g| evaluate(g, &report.summary))
        .collect();
    let failed = report.gates.iter().any(|g| g.status == GateStatus::Fail);
    report.status = if failed { Status::Fail } else { Status::Pass };
}

/// Gates marked `required` that could not be evaluated: the run has no trustworthy verdict.
pub fn missing_required<'a>(report: &'a Report, settings: &Settings) -> Vec<&'a GateResult> {
    report
        .gates
        .iter()
        .filter(|g| {
            g.status == GateStatus::Skipped && settings.gate(&g.id).is_some_and(|s| s.required)
        })
        .collect()
}

fn evaluate(gate: &GateSettings, summary: &Summary) -> GateResult {
    let conditions: Vec<ConditionResult> = gate
        .thresholds
        .iter()
        .map(|t| {
            let (actual, reason) = match metric_value(summary, t.metric) {
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
                metric: t.metric.to_owned(),
                status,
                actual,
                threshold: t.value,
                comparator: t.comparator.as_str().to_owned(),
                reason,
            }
        })
        .collect();
    let status = if conditions.iter().any(|c| c.status == GateStatus::Fail) {
        GateStatus::Fail
    } else if conditions.iter().any(|c| c.status == GateStatus::Pass) {
        GateStatus::Pass
    } else {
        GateStatus::Skipped
    };
    let primary = crate::gate::catalog::rule(gate.id).map(|r| r.primary.as_str());
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
    }
}

/// `max-function: 25 (must be <= 20)` or `max-function: 8 <= 20`.
fn describe(c: &ConditionResult) -> String {
    let actual = c.actual.map_or_else(String::new, number);
    let threshold = number(c.threshold);
    if c.status == GateStatus::Fail {
        format!("{}: {actual} (must be {} {threshold})", c.key, c.comparator)
    } else {
        format!("{}: {actual} {} {threshold}", c.key, c.comparator)
    }
}

/// Integers without a fraction, other numbers with up to two decimals.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{:.2}", x).trim_end_matches('0').to_owned()
    }
}

/// The summary value a threshold's `metric` names, or why it is not available.
fn metric_value(summary: &Summary, metric: &str) -> Result<f64, String> {
    let or_reason = |v: Option<f64>, reason: &Option<String>| {
        v.ok_or_else(|| {
            reason
                .clone()
                .unwrap_or_else(|| format!("`{metric}` is not available"))
        })
    };
    match metric {
        "parse_errors" => Ok(f64::from(summary.parse_errors)),
        "complexity.max" => or_reason(
            summary.complexity.max.map(f64::from),
            &summary.complexity.reason,
        ),
        "complexity.average" => or_reason(summary.complexity.average, &summary.complexity.reason),
        "cognitive.max" => or_reason(
            summary.cognitive.max.map(f64::from),
            &summary.cognitive.reason,
        ),
        "maintainability.average" => or_reason(
            summary.maintainability.average,
            &summary.maintainability.reason,
        ),
        "duplication.percent" => {
            or_reason(summary.duplication.percent, &summary.duplication.reason)
        }
        "coverage.percent" => or_reason(summary.coverage.percent, &summary.coverage.reason),
        "coverage.min_file" => {
            or_reason(summary.coverage.min_file_percent, &summary.coverage.reason)
        }
        "type_hints.percent" => or_reason(summary.type_hints.percent, &summary.type_hints.reason),
        "docstrings.percent" => or_reason(summary.docstrings.percent, &summary.docstrings.reason),
        "security.high" => or_reason(
            summary.security.high.map(f64::from),
            &summary.security.reason,
        ),
        "security.medium" => or_reason(
            summary.security.medium.map(f64::from),
            &summary.security.reason,
        ),
        "findings.high" => Ok(f64::from(summary.findings.high)),
        "findings.medium" => Ok(f64::from(summary.findings.medium)),
        "findings.low" => Ok(f64::from(summary.findings.low)),
        "pylint.score" => or_reason(summary.pylint.score, &summary.pylint.reason),
        other => Err(format!("unknown metric `{other}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::default_gates;

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

    #[test]
    fn numbers_print_plainly() {
        assert_eq!(number(20.0), "20");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(2.914), "2.91");
    }
}
