//! The ratchet: today's totals against the `--baseline`'s. Each threshold of the `ratchet` gate
//! is a tolerance — how far a total may move the wrong way (coverage 0.5 points down,
//! duplication 0.2 points up by default) — so the limit is the baseline's value ∓ tolerance.

use super::catalog::{Comparator, RuleScope};
use super::config::GateSettings;
use super::eval::{describe, gate_result, metric_value};
use crate::report::{
    BaselineReport, ConditionResult, GateResult, GateStatus, Summary, number, round2,
};

/// Evaluates the ratchet gate on `summary` against `baseline`'s totals.
pub fn evaluate(gate: &GateSettings, summary: &Summary, baseline: &BaselineReport) -> GateResult {
    let conditions: Vec<ConditionResult> = gate
        .thresholds
        .iter()
        .map(|t| {
            let id = t.metric.id();
            let before = baseline.headline.get(id).copied();
            let now = metric_value(summary, t.metric);
            let limit = before.map(|b| {
                round2(match t.comparator {
                    Comparator::AtLeast => b - t.value,
                    Comparator::AtMost => b + t.value,
                })
            });
            let (actual, reason) = match (before, now) {
                (None, _) => (None, Some(format!("the baseline has no `{id}`"))),
                (_, Err(reason)) => (None, Some(reason)),
                (Some(_), Ok(v)) => (Some(v), None),
            };
            let status = match (actual, limit) {
                (Some(v), Some(l)) if t.comparator.holds(v, l) => GateStatus::Pass,
                (Some(_), Some(_)) => GateStatus::Fail,
                _ => GateStatus::Skipped,
            };
            ConditionResult {
                key: t.key.to_owned(),
                metric: id.to_owned(),
                status,
                actual,
                threshold: limit.unwrap_or(0.0),
                comparator: t.comparator.as_str().to_owned(),
                reason,
            }
        })
        .collect();
    let describe = |c: &ConditionResult| {
        let t = gate.thresholds.iter().find(|t| t.key == c.key);
        match (t, baseline.headline.get(&c.metric)) {
            (Some(t), Some(b)) => format!(
                "{} (baseline {}, tolerance {})",
                describe(c),
                number(*b),
                number(t.value)
            ),
            _ => describe(c),
        }
    };
    GateResult {
        scope: RuleScope::Ratchet.as_str().to_owned(),
        ..gate_result(gate, conditions, &describe)
    }
}
