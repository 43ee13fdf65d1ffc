//! `--baseline`: the gates count only offenders the baseline did not hold. A known function
//! (no worse than it was) does not count towards a maximum, a known clone's lines are not
//! duplicated lines, a known finding is not counted — everything else is measured as without a
//! baseline, and the report's own summary keeps the true totals.

use std::collections::{HashMap, HashSet};

use super::catalog::Metric;
use crate::report::summarize::{duplication_with, finding_totals, security};
use crate::report::{
    CloneGroup, Finding, FunctionMetric, FunctionReport, KnownOffenders, Severity, Stat, Summary,
    View,
};

/// The view without the known clones and findings, remembering the known functions; and
/// `summary` with the forgivable values measured on it.
pub fn forgive<'a>(view: &View<'a>, summary: &mut Summary, known: &'a KnownOffenders) -> View<'a> {
    let mut clone_slots: HashMap<&str, usize> = HashMap::new();
    for hash in &known.clones {
        *clone_slots.entry(hash.as_str()).or_default() += 1;
    }
    let (mut kept_clones, mut known_clones) = (Vec::new(), Vec::new());
    for &clone in &view.clones {
        match clone_slots.get_mut(clone.hash.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                known_clones.push(clone);
            }
            _ => kept_clones.push(clone),
        }
    }
    let known_findings: HashSet<&str> = known
        .findings
        .iter()
        .chain(&known.restated)
        .map(String::as_str)
        .collect();
    let forgiven = View {
        report: view.report,
        files: view.files.clone(),
        findings: view
            .findings
            .iter()
            .copied()
            .filter(|f| !known_findings.contains(f.fingerprint.as_str()))
            .collect(),
        clones: kept_clones,
        omitted_clones: view.omitted_clones,
        skipped: view.skipped,
        new_code: view.new_code,
        known: Some(known),
    };

    let functions: HashSet<(FunctionMetric, &str, &str)> = known
        .functions
        .iter()
        .map(|k| (k.metric, k.path.as_str(), k.name.as_str()))
        .collect();
    let unknown = |metric: FunctionMetric| {
        let functions = &functions;
        forgiven.files.iter().flat_map(move |file| {
            file.functions
                .iter()
                .filter(move |f| !functions.contains(&(metric, &file.path, &f.qualified_name)))
        })
    };
    forgive_max(
        &mut summary.complexity,
        unknown(FunctionMetric::Cyclomatic).map(|f| Some(f.cyclomatic)),
    );
    forgive_max(
        &mut summary.cognitive,
        unknown(FunctionMetric::Cognitive).map(|f: &FunctionReport| f.cognitive),
    );

    if summary.duplication.duplicated_lines.is_some() && !known_clones.is_empty() {
        let freed = freed_lines(&forgiven, &known_clones);
        summary.duplication = duplication_with(&forgiven, |f| {
            let freed = freed.get(f.path.as_str()).copied().unwrap_or(0);
            f.duplicated_lines.map(|d| d.saturating_sub(freed))
        });
    }
    if summary.security.reason.is_none() {
        summary.security = security(&forgiven);
    }
    summary.findings = finding_totals(&forgiven);
    forgiven
}

/// The largest value of the functions not forgiven (0 when none), where the summary has one.
fn forgive_max(stat: &mut Stat<u32>, values: impl Iterator<Item = Option<u32>>) {
    if stat.max.is_some() {
        stat.max = Some(values.flatten().max().unwrap_or(0));
    }
}

/// Per file, the lines only known clones covered (in a new-code view, changed lines only):
/// they are no longer duplicated lines.
fn freed_lines<'a>(view: &View<'a>, known: &[&'a CloneGroup]) -> HashMap<&'a str, u32> {
    let mut kept: HashMap<&str, Vec<[u32; 2]>> = HashMap::new();
    for clone in &view.clones {
        for f in &clone.fragments {
            kept.entry(f.path.as_str())
                .or_default()
                .push([f.start_line, f.end_line]);
        }
    }
    let mut freed: HashMap<&str, HashSet<u32>> = HashMap::new();
    let scope = &view.report.scope;
    for clone in known {
        for f in &clone.fragments {
            let still = kept.get(f.path.as_str()).map_or(&[][..], |v| v);
            for line in f.start_line..=f.end_line {
                let changed =
                    !view.new_code || scope.files.get(&f.path).is_some_and(|r| r.contains(line));
                if changed && !still.iter().any(|[a, b]| (*a..=*b).contains(&line)) {
                    freed.entry(f.path.as_str()).or_default().insert(line);
                }
            }
        }
    }
    freed
        .into_iter()
        .map(|(p, l)| (p, l.len() as u32))
        .collect()
}

/// How many of the baseline's offenders `metric` over `threshold` would have counted in
/// `view` (the unforgiven one): what the gate's text says it left out.
pub fn forgiven_count(
    metric: Metric,
    threshold: f64,
    view: &View<'_>,
    known: &KnownOffenders,
) -> usize {
    let functions = |m: FunctionMetric, value: fn(&FunctionReport) -> Option<u32>| {
        view.files
            .iter()
            .flat_map(|file| file.functions.iter().map(move |f| (*file, f)))
            .filter(|(_, f)| value(f).is_some_and(|v| f64::from(v) > threshold))
            .filter(|(file, f)| known.has_function(m, &file.path, &f.qualified_name))
            .count()
    };
    let findings = |pick: &dyn Fn(&Finding) -> bool| {
        let known: HashSet<&str> = known
            .findings
            .iter()
            .chain(&known.restated)
            .map(String::as_str)
            .collect();
        view.findings
            .iter()
            .filter(|f| pick(f) && known.contains(f.fingerprint.as_str()))
            .count()
    };
    match metric {
        Metric::ComplexityMax => functions(FunctionMetric::Cyclomatic, |f| Some(f.cyclomatic)),
        Metric::CognitiveMax => functions(FunctionMetric::Cognitive, |f| f.cognitive),
        Metric::DuplicationPercent
        | Metric::DuplicationClones
        | Metric::DuplicationJscpdPercent => {
            let mut slots: HashMap<&str, usize> = HashMap::new();
            for hash in &known.clones {
                *slots.entry(hash.as_str()).or_default() += 1;
            }
            view.clones
                .iter()
                .filter(|c| match slots.get_mut(c.hash.as_str()) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        true
                    }
                    _ => false,
                })
                .count()
        }
        Metric::SecurityHigh => findings(&|f| f.security && f.severity == Severity::High),
        Metric::SecurityMedium => findings(&|f| f.security && f.severity == Severity::Medium),
        Metric::FindingsHigh => findings(&|f| f.severity == Severity::High),
        Metric::FindingsMedium => findings(&|f| f.severity == Severity::Medium),
        Metric::FindingsLow => findings(&|f| f.severity == Severity::Low),
        _ => 0,
    }
}
