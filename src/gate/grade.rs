//! The overall grade A–E, from the metric distributions and the gate results (docs/metrics.md):
//! each dimension the report can measure scores 0–100, the grade is their mean, and failing
//! gates cap it.

use std::collections::BTreeMap;

use crate::metrics::{maintainability, rank};
use crate::report::{GateStatus, Grade, InputKind, Report, round2};

/// Cognitive complexity at most this is "fine" (SonarSource's default limit).
const COGNITIVE_FINE: u32 = 15;

/// The letter bands: a score of at least the bound earns the letter.
const BANDS: &[(f64, char)] = &[(90.0, 'A'), (80.0, 'B'), (70.0, 'C'), (60.0, 'D')];

/// The grade of a gated report; None when nothing could be measured.
pub fn grade(report: &Report) -> Option<Grade> {
    let dimensions = dimensions(report);
    if dimensions.is_empty() {
        return None;
    }
    let score = round2(dimensions.values().sum::<f64>() / dimensions.len() as f64);
    let failing: Vec<String> = report
        .gates
        .iter()
        .filter(|g| g.status == GateStatus::Fail)
        .map(|g| g.id.clone())
        .collect();
    // A failing gate caps the grade at C; a syntax error or a security finding over its limit
    // at D. Letters compare as characters: later is worse.
    let severe = failing
        .iter()
        .any(|id| matches!(id.as_str(), "parse-errors" | "security" | "new-security"));
    let cap = match (failing.is_empty(), severe) {
        (true, _) => 'A',
        (false, false) => 'C',
        (false, true) => 'D',
    };
    let by_score = letter_of(score);
    Some(Grade {
        letter: by_score.max(cap).to_string(),
        score,
        dimensions,
        capped_by: if cap > by_score { failing } else { Vec::new() },
    })
}

fn letter_of(score: f64) -> char {
    BANDS
        .iter()
        .find(|(bound, _)| score >= *bound)
        .map_or('E', |(_, letter)| *letter)
}

/// Score 0–100 per measured dimension.
fn dimensions(report: &Report) -> BTreeMap<String, f64> {
    let s = &report.summary;
    let mut out = BTreeMap::new();
    let mut put = |name: &str, score: f64| {
        out.insert(name.to_owned(), round2(score.clamp(0.0, 100.0)));
    };
    let functions: Vec<_> = report.files.iter().flat_map(|f| &f.functions).collect();
    if !functions.is_empty() {
        let fine = functions
            .iter()
            .filter(|f| rank::cyclomatic_rank(f.cyclomatic) <= 'B')
            .count();
        put("complexity", share(fine, functions.len()));
        let cognitive: Vec<u32> = functions.iter().filter_map(|f| f.cognitive).collect();
        if !cognitive.is_empty() {
            let fine = cognitive.iter().filter(|&&c| c <= COGNITIVE_FINE).count();
            put("cognitive", share(fine, cognitive.len()));
        }
    }
    let mi: Vec<f64> = report
        .files
        .iter()
        .filter_map(|f| f.maintainability)
        .collect();
    if !mi.is_empty() {
        let fine = mi
            .iter()
            .filter(|&&m| maintainability::rank(m) == 'A')
            .count();
        put("maintainability", share(fine, mi.len()));
    }
    if let Some(p) = s.duplication.percent {
        put("duplication", 100.0 - 10.0 * p);
    }
    if let Some(p) = s.coverage.percent {
        put("coverage", p);
    }
    if s.python_files > 0
        && let Some(p) = s.type_hints.percent
    {
        put("type-hints", p);
    }
    let findings_given = report.inputs.given(&[
        InputKind::Bandit,
        InputKind::Sarif,
        InputKind::Pylint,
        InputKind::Clippy,
    ]);
    if findings_given && s.sloc > 0 {
        let f = &s.findings;
        let weighted = 10.0 * f64::from(f.high) + 3.0 * f64::from(f.medium) + f64::from(f.low);
        let per_kloc = weighted / (f64::from(s.sloc) / 1000.0);
        put("findings", 100.0 / (1.0 + per_kloc / 10.0));
    }
    out
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64 * 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_follow_the_bands() {
        let got: String = [100.0, 90.0, 89.99, 80.0, 70.0, 60.0, 59.99, 0.0]
            .iter()
            .map(|&s| letter_of(s))
            .collect();
        assert_eq!(got, "AABBCDEE");
    }
}
