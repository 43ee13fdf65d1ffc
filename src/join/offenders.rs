//! qgate's own findings: functions over the per-function limits of the `complexity` and
//! `cognitive` gates, listed like any other tool's findings (suppressible, fingerprinted).

use crate::report::{FileReport, Finding, FunctionReport, Report, Severity};

/// The per-function limits that turn into findings (absent when the gate is off).
#[derive(Clone, Copy, Debug, Default)]
pub struct Limits {
    pub cyclomatic: Option<f64>,
    pub cognitive: Option<f64>,
}

/// Adds a `function-too-complex` / `function-too-cognitive` finding for each function above a
/// limit.
pub fn join(report: &mut Report, limits: Limits) {
    let found: Vec<Finding> = report
        .files
        .iter()
        .flat_map(|file| {
            file.functions
                .iter()
                .flat_map(move |f| offences(file, f, limits))
        })
        .collect();
    report.findings.extend(found);
}

fn offences(file: &FileReport, f: &FunctionReport, limits: Limits) -> Vec<Finding> {
    let mut found = Vec::new();
    if let Some(limit) = limits.cyclomatic.filter(|&l| f64::from(f.cyclomatic) > l) {
        found.push(finding(
            "function-too-complex",
            file,
            f,
            format!(
                "cyclomatic complexity {} (rank {}), above the limit of {limit}",
                f.cyclomatic, f.rank
            ),
        ));
    }
    if let Some((c, limit)) = f
        .cognitive
        .zip(limits.cognitive)
        .filter(|&(c, l)| f64::from(c) > l)
    {
        found.push(finding(
            "function-too-cognitive",
            file,
            f,
            format!("cognitive complexity {c}, above the limit of {limit}"),
        ));
    }
    found
}

fn finding(rule: &str, file: &FileReport, f: &FunctionReport, what: String) -> Finding {
    Finding {
        function: Some(f.qualified_name.clone()),
        ..Finding::new(
            rule,
            "qgate",
            Severity::Medium,
            &file.path,
            f.line,
            format!("`{}` has {what}", f.qualified_name),
        )
    }
}
