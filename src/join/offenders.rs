//! qgate's own findings: functions over the per-function limits of the `complexity` and
//! `cognitive` gates, listed like any other tool's findings (suppressible, fingerprinted).

use rayon::prelude::*;

use crate::gate::config::{self, GateSettings};
use crate::report::{FileReport, Finding, FunctionReport, Report, Severity};

/// The per-function limits that turn into findings for one file (absent when the gate is off
/// or its scope leaves the file out).
#[derive(Clone, Copy, Debug, Default)]
struct Limits {
    cyclomatic: Option<f64>,
    cognitive: Option<f64>,
}

/// Adds a `function-too-complex` / `function-too-cognitive` finding for each function above the
/// `max-function` limit of the enabled `complexity` / `cognitive` gate that looks at its file.
pub fn join(report: &mut Report, gates: &[GateSettings]) {
    let limit = |id: &str, path: &str| {
        config::find(gates, id)
            .filter(|g| g.scope.contains(path))?
            .threshold("max-function")
    };
    // Straight into the report's list: a collected list extended into it is copied twice.
    let found = report.files.par_iter().flat_map_iter(|file| {
        let limits = Limits {
            cyclomatic: limit("complexity", &file.path),
            cognitive: limit("cognitive", &file.path),
        };
        file.functions
            .iter()
            .flat_map(move |f| offences(file, f, limits))
    });
    report.findings.par_extend(found);
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
