//! Matches `--baseline` against the report: which of today's offenders it already held (the
//! gates then do not count them), which of its entries are gone (fixed), and its totals.
//!
//! Functions match by path and qualified name, findings by fingerprint (rule, path, flagged
//! line text) — both survive lines moving. A file renamed since (git's rename, or a baseline
//! path that no longer exists) matches by the same identity without the path: the qualified
//! name, the content fingerprint; clones match by their token hash wherever they are.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::baseline::{self, Baseline, BaselineError, FindingEntry, FunctionEntry, Limits, Source};
use crate::gate::catalog::Metric;
use crate::gate::config::GateSettings;
use crate::report::{
    BaselineReport, Finding, FixedEntry, FunctionMetric, KnownFunction, KnownOffenders,
    RegressedFunction, Report,
};

/// `--baseline FILE`: where it is, and how messages name it.
#[derive(Clone, Debug)]
pub struct BaselineInput {
    pub path: PathBuf,
    pub shown: String,
}

/// The function limits offenders are measured over: the smallest `max-function` of the enabled
/// gates on each metric (`complexity`, `new-complexity`; `cognitive`, `new-cognitive`).
pub fn limits(gates: &[GateSettings]) -> Limits {
    let smallest = |metric: Metric| {
        gates
            .iter()
            .filter(|g| g.enabled)
            .flat_map(|g| &g.thresholds)
            .filter(|t| t.metric == metric)
            .map(|t| t.value)
            .reduce(f64::min)
    };
    Limits {
        cyclomatic: smallest(Metric::ComplexityMax),
        cognitive: smallest(Metric::CognitiveMax),
    }
}

/// Reads the baseline and fills `report.baseline`.
pub fn join(
    report: &mut Report,
    input: Option<&BaselineInput>,
    gates: &[GateSettings],
) -> Result<(), BaselineError> {
    let Some(input) = input else {
        return Ok(());
    };
    let limits = limits(gates);
    let (baseline, source) = baseline::load(&input.path, &input.shown, limits)?;
    report.baseline = Some(matched(report, &baseline, source, &input.shown, limits));
    Ok(())
}

/// Where a baseline entry's file may have gone: git's renames, else the only candidate, else
/// the only one with the same file name.
struct Moves<'a> {
    renamed_from: HashMap<&'a str, &'a str>,
}

impl<'a> Moves<'a> {
    fn of(report: &'a Report) -> Self {
        Self {
            renamed_from: report
                .scope
                .renamed
                .iter()
                .map(|[old, new]| (new.as_str(), old.as_str()))
                .collect(),
        }
    }

    /// The best of `candidates` (paths of unmatched baseline entries with the same identity but
    /// for the path) for an item now at `path`.
    fn pick<'c>(&self, path: &str, candidates: &[&'c str]) -> Option<&'c str> {
        if let Some(old) = self.renamed_from.get(path)
            && let Some(c) = candidates.iter().find(|c| **c == *old)
        {
            return Some(c);
        }
        if let [only] = candidates[..] {
            return Some(only);
        }
        let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_owned();
        let same: Vec<&str> = candidates
            .iter()
            .copied()
            .filter(|c| name(c) == name(path))
            .collect();
        match same[..] {
            [only] => Some(only),
            _ => None,
        }
    }
}

fn matched(
    report: &Report,
    baseline: &Baseline,
    source: Source,
    shown: &str,
    limits: Limits,
) -> BaselineReport {
    let moves = Moves::of(report);
    let mut renamed: Vec<[String; 2]> = Vec::new();
    let mut note_move = |old: &str, new: &str| {
        if old != new {
            let pair = [old.to_owned(), new.to_owned()];
            if !renamed.contains(&pair) {
                renamed.push(pair);
            }
        }
    };

    // Functions: first by (metric, path, qualified name); then what is left by name alone,
    // from entries whose function is no longer at their path (a moved or renamed file).
    let mut known = KnownOffenders::default();
    let offenders = baseline::offending_functions(report, limits);
    let exists = |path: &str, name: &str| {
        report
            .files
            .iter()
            .any(|f| f.path == path && f.functions.iter().any(|g| g.qualified_name == name))
    };
    let (function_matches, used_functions) = pair_up(
        &offenders,
        &baseline.functions,
        Identity {
            exact: &|o: &FunctionEntry, e: &FunctionEntry| {
                e.metric == o.metric && e.path == o.path && e.name == o.name
            },
            moved: &|o, e| e.metric == o.metric && e.name == o.name && !exists(&e.path, &e.name),
            item_path: &|o| &o.path,
            entry_path: &|e| &e.path,
        },
        &moves,
        &mut note_move,
    );
    let mut regressed = Vec::new();
    for (o, slot) in offenders.iter().zip(&function_matches) {
        let Some(i) = slot else { continue };
        let was = baseline.functions[*i].value;
        if o.value <= was {
            known.functions.push(KnownFunction {
                metric: o.metric,
                path: o.path.clone(),
                name: o.name.clone(),
            });
        } else {
            regressed.push(RegressedFunction {
                metric: o.metric,
                path: o.path.clone(),
                name: o.name.clone(),
                was,
            });
        }
    }

    // Findings: first by fingerprint; then what is left by content fingerprint (rule and
    // line text), from entries whose file is gone or was renamed to the finding's.
    let external: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.source != "qgate")
        .collect();
    let present: HashSet<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    let (finding_matches, used_findings) = pair_up(
        &external,
        &baseline.findings,
        Identity {
            exact: &|f: &&Finding, e: &FindingEntry| e.fingerprint == f.fingerprint,
            moved: &|f, e| {
                e.content_fingerprint == f.content_fingerprint
                    && (!present.contains(e.path.as_str())
                        || moves.renamed_from.get(f.path.as_str()) == Some(&e.path.as_str()))
            },
            item_path: &|f| &f.path,
            entry_path: &|e| &e.path,
        },
        &moves,
        &mut note_move,
    );
    for (f, slot) in external.iter().zip(&finding_matches) {
        if slot.is_some() {
            known.findings.push(f.fingerprint.clone());
        }
    }
    // qgate's own findings restate the functions over the limits: known with their function.
    for f in report.findings.iter().filter(|f| f.source == "qgate") {
        let metric = match f.rule.as_str() {
            "function-too-complex" => FunctionMetric::Cyclomatic,
            "function-too-cognitive" => FunctionMetric::Cognitive,
            _ => continue,
        };
        let function = report
            .files
            .iter()
            .filter(|file| file.path == f.path)
            .flat_map(|file| &file.functions)
            .find(|g| g.line == f.line);
        if let Some(g) = function
            && known.has_function(metric, &f.path, &g.qualified_name)
        {
            known.restated.push(f.fingerprint.clone());
        }
    }

    // Clones: by token hash, each baseline entry once, and only with no more copies than it
    // had (a third copy of a known clone is new duplication).
    let mut used_clones = vec![false; baseline.clones.len()];
    for c in &report.duplication.clones {
        let entry = baseline.clones.iter().enumerate().position(|(i, e)| {
            !used_clones[i] && e.hash == c.hash && e.fragments.len() >= c.occurrences as usize
        });
        if let Some(i) = entry {
            used_clones[i] = true;
            known.clones.push(c.hash.clone());
        }
    }

    let used = Used {
        functions: &used_functions,
        clones: &used_clones,
        findings: &used_findings,
    };
    let fixed = fixed_entries(report, baseline, &used);
    BaselineReport {
        path: shown.to_owned(),
        source: source.as_str().to_owned(),
        entries: (baseline.functions.len() + baseline.clones.len() + baseline.findings.len())
            as u32,
        known,
        fixed,
        regressed,
        renamed,
        headline: baseline.headline.clone(),
    }
}

/// How today's items and a baseline's entries are the same: exactly, or but for a move.
struct Identity<'f, T, E> {
    exact: &'f dyn Fn(&T, &E) -> bool,
    moved: &'f dyn Fn(&T, &E) -> bool,
    item_path: &'f dyn Fn(&T) -> &str,
    entry_path: &'f dyn Fn(&E) -> &str,
}

/// Pairs each item with at most one entry: all exact matches first (so no move steals one),
/// then the rest by `moved`, choosing among candidate paths as [`Moves::pick`] does. Returns
/// each item's entry and which entries were used.
fn pair_up<T, E>(
    items: &[T],
    entries: &[E],
    same: Identity<'_, T, E>,
    moves: &Moves<'_>,
    note_move: &mut dyn FnMut(&str, &str),
) -> (Vec<Option<usize>>, Vec<bool>) {
    let mut used = vec![false; entries.len()];
    let mut matches: Vec<Option<usize>> = items
        .iter()
        .map(|item| {
            let i = (0..entries.len()).find(|&i| !used[i] && (same.exact)(item, &entries[i]))?;
            used[i] = true;
            Some(i)
        })
        .collect();
    for (item, slot) in items.iter().zip(&mut matches) {
        if slot.is_some() {
            continue;
        }
        let open: Vec<usize> = (0..entries.len())
            .filter(|&i| !used[i] && (same.moved)(item, &entries[i]))
            .collect();
        let candidates: Vec<&str> = open
            .iter()
            .map(|&i| (same.entry_path)(&entries[i]))
            .collect();
        let path = (same.item_path)(item);
        let Some(old) = moves.pick(path, &candidates) else {
            continue;
        };
        if let Some(&i) = open
            .iter()
            .find(|&&i| (same.entry_path)(&entries[i]) == old)
        {
            used[i] = true;
            *slot = Some(i);
            note_move(old, path);
        }
    }
    (matches, used)
}

/// Which baseline entries matched an offender of today.
struct Used<'a> {
    functions: &'a [bool],
    clones: &'a [bool],
    findings: &'a [bool],
}

/// The baseline's entries nothing matched today.
fn fixed_entries(report: &Report, baseline: &Baseline, used: &Used<'_>) -> Vec<FixedEntry> {
    let now = |e: &FunctionEntry| {
        report
            .files
            .iter()
            .filter(|f| f.path == e.path)
            .flat_map(|f| &f.functions)
            .find(|f| f.qualified_name == e.name)
            .map(|f| match e.metric {
                FunctionMetric::Cyclomatic => Some(f.cyclomatic),
                FunctionMetric::Cognitive => f.cognitive,
            })
    };
    let mut fixed: Vec<FixedEntry> = baseline
        .functions
        .iter()
        .zip(used.functions)
        .filter(|(_, used)| !**used)
        .map(|(e, _)| {
            let metric = match e.metric {
                FunctionMetric::Cyclomatic => "cyclomatic",
                FunctionMetric::Cognitive => "cognitive",
            };
            let message = match now(e).flatten() {
                Some(v) => format!("`{}`: {metric} complexity {} → {v}", e.name, e.value),
                None => format!("`{}` ({metric} complexity {}) is gone", e.name, e.value),
            };
            FixedEntry {
                kind: "function".to_owned(),
                path: e.path.clone(),
                line: e.line,
                message,
            }
        })
        .collect();
    let unmatched = baseline
        .clones
        .iter()
        .zip(used.clones)
        .filter(|(_, u)| !**u);
    // A clone with more copies than the baseline had is not fixed: it counts again.
    let grown = |hash: &str| report.duplication.clones.iter().any(|c| c.hash == hash);
    for (c, _) in unmatched.filter(|(c, _)| !grown(&c.hash)) {
        let (path, line) = c
            .fragments
            .first()
            .map_or((String::new(), 0), |f| (f.path.clone(), f.start_line));
        fixed.push(FixedEntry {
            kind: "clone".to_owned(),
            path,
            line,
            message: format!(
                "clone of {} lines in {} places no longer found (removed, or its code changed)",
                c.lines,
                c.fragments.len()
            ),
        });
    }
    fixed.extend(
        baseline
            .findings
            .iter()
            .zip(used.findings)
            .filter(|(_, used)| !**used)
            .map(|(e, _)| FixedEntry {
                kind: "finding".to_owned(),
                path: e.path.clone(),
                line: e.line,
                message: format!("{} ({}) is no longer reported", e.rule, e.source),
            }),
    );
    fixed
}
