//! `qgate merge`: one report from the reports of CI shards (a matrix job per directory).
//!
//! Nothing is averaged: the shards' per-file data, findings and inputs are joined, the clones
//! are found again over every shard's tokens (`--report-fingerprints`), and the summary and
//! gates are derived from the merged data by the same code a single run uses — so the merge
//! of N shards equals one run over their files.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::gate::eval;
use crate::ingest::paths::{Resolution, Resolver};
use crate::join::{baseline, clones};
use crate::model::DupToken;
use crate::report::{
    CloneGroup, CoverageMapping, Duplication, Finding, GateResult, InputKind, InputReport,
    InputWarning, Report, Scope, WarningTopic, summarize,
};
use crate::settings::Settings;

/// A shard's report and the name it is shown by.
pub struct Shard {
    pub name: String,
    pub report: Report,
}

/// Why shard reports cannot be merged into a trustworthy report.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{name}: cannot read the report: {error} — check the path")]
    Read { name: String, error: std::io::Error },
    #[error(
        "{name}:{line}:{column}: not a qgate JSON report: {error} — write one with `qgate check --format json -o {name}`"
    )]
    NotAReport {
        name: String,
        line: usize,
        column: usize,
        error: serde_json::Error,
    },
    #[error(
        "{name}: written by qgate {theirs} (schema {schema}), this is qgate {ours} — run every shard and the merge with one qgate version"
    )]
    Version {
        name: String,
        theirs: String,
        schema: u32,
        ours: String,
    },
    #[error(
        "{second}: `{path}` is also in {first} — give each shard its own directories (`qgate check packages/a`), so no file is counted twice"
    )]
    Overlap {
        path: String,
        first: String,
        second: String,
    },
    #[error("{name}: gate `{gate}` {theirs} there, {ours} in this merge's configuration — {fix}")]
    GateDiffers {
        name: String,
        gate: String,
        theirs: String,
        ours: String,
        fix: &'static str,
    },
    #[error("{name}: {what} — {fix}")]
    Differs {
        name: String,
        what: String,
        fix: &'static str,
    },
    #[error("{name}:{path}: the clone fingerprints are damaged ({error}) — write the shard again")]
    Fingerprints {
        name: String,
        path: String,
        error: crate::report::fingerprints::DecodeError,
    },
    #[error("{0}")]
    Baseline(#[from] crate::baseline::BaselineError),
    #[error("{0}")]
    Scope(#[from] crate::scope::ScopeError),
}

const SAME_CONFIG: &str = "run the shards and the merge with one configuration (`--config FILE`, the same `--threshold`s)";

/// Reads a report `qgate check --format json` wrote; `name` is how messages show it.
pub fn read_report(path: &std::path::Path, name: &str) -> Result<Report, MergeError> {
    let text = std::fs::read_to_string(path).map_err(|error| MergeError::Read {
        name: name.to_owned(),
        error,
    })?;
    serde_json::from_str(&text).map_err(|error| MergeError::NotAReport {
        name: name.to_owned(),
        line: error.line().max(1),
        column: error.column().max(1),
        error,
    })
}

/// Merges `shards` into one gated report, with the gates, duplication limits and baseline of
/// `settings` (which must be those the shards ran with).
pub fn merge(shards: Vec<Shard>, settings: &Settings) -> Result<Report, MergeError> {
    check_versions(&shards)?;
    check_disjoint(&shards)?;
    check_duplication_settings(&shards, settings)?;
    let scope = merged_scope(&shards)?;
    if settings.baseline.is_none()
        && let Some(shard) = shards.iter().find(|s| s.report.baseline.is_some())
    {
        let path = shard
            .report
            .baseline
            .as_ref()
            .map_or("", |b| b.path.as_str());
        return Err(MergeError::Differs {
            name: shard.name.clone(),
            what: format!("the shard was checked against the baseline `{path}`"),
            fix: "pass the same `--baseline FILE` to `qgate merge`, which matches it against the merged report",
        });
    }

    let root = settings.root.to_string_lossy().into_owned();
    let mut report = Report::new(root, Duplication::default());
    report.config = settings.config_info();
    report.scope = scope;
    report.inputs = merged_inputs(&shards);
    for shard in &shards {
        report.files.extend(shard.report.files.iter().cloned());
        report.skipped.extend(shard.report.skipped.iter().cloned());
    }
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    report.findings = merged_findings(&shards, &report);
    let derived = file_warnings(&report);
    report.inputs.warnings.extend(derived);
    join_clones(&mut report, &shards, settings)?;

    if let Some(gate) = settings.gate("new-coverage").filter(|g| g.enabled) {
        crate::scope::check_coverage_overlap(&report, &gate.scope)?;
    }
    baseline::join(&mut report, settings.baseline.as_ref(), &settings.gates)?;
    summarize(&mut report);
    eval::apply(&mut report, &settings.gates);
    check_gates(&shards, &report.gates)?;
    Ok(report)
}

fn check_versions(shards: &[Shard]) -> Result<(), MergeError> {
    let ours = env!("CARGO_PKG_VERSION");
    match shards.iter().find(|s| {
        s.report.tool.version != ours || s.report.schema_version != crate::report::SCHEMA_VERSION
    }) {
        Some(s) => Err(MergeError::Version {
            name: s.name.clone(),
            theirs: s.report.tool.version.clone(),
            schema: s.report.schema_version,
            ours: ours.to_owned(),
        }),
        None => Ok(()),
    }
}

/// A file analysed (or skipped) by two shards would count twice.
fn check_disjoint(shards: &[Shard]) -> Result<(), MergeError> {
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for shard in shards {
        let paths = shard.report.files.iter().map(|f| f.path.as_str());
        let skipped = shard.report.skipped.iter().map(|s| s.path.as_str());
        for path in paths.chain(skipped) {
            if let Some(first) = owner.insert(path, &shard.name) {
                return Err(MergeError::Overlap {
                    path: path.to_owned(),
                    first: first.to_owned(),
                    second: shard.name.clone(),
                });
            }
        }
    }
    Ok(())
}

fn check_duplication_settings(shards: &[Shard], settings: &Settings) -> Result<(), MergeError> {
    let ours = &settings.duplication;
    for shard in shards {
        let theirs = &shard.report.duplication;
        if theirs.min_tokens as usize != ours.min_tokens
            || theirs.min_lines != ours.min_lines
            || theirs.normalize != ours.normalize
        {
            return Err(MergeError::Differs {
                name: shard.name.clone(),
                what: format!(
                    "clones were found with min-tokens {}, min-lines {}, normalize {:?}; this merge's configuration says {}, {}, {:?}",
                    theirs.min_tokens,
                    theirs.min_lines,
                    theirs.normalize,
                    ours.min_tokens,
                    ours.min_lines,
                    ours.normalize
                ),
                fix: SAME_CONFIG,
            });
        }
    }
    Ok(())
}

/// The change the shards were scoped to: one base for all, their changed lines joined.
fn merged_scope(shards: &[Shard]) -> Result<Scope, MergeError> {
    let Some(first) = shards.first() else {
        return Ok(Scope::default());
    };
    let mut scope = first.report.scope.clone();
    for shard in &shards[1..] {
        let theirs = &shard.report.scope;
        let same = theirs.mode == scope.mode
            && theirs.base_commit == scope.base_commit
            && theirs.policy == scope.policy;
        if !same {
            let describe = |s: &Scope| match &s.base_commit {
                Some(commit) => format!("{:?} at {commit}", s.mode).to_lowercase(),
                None => format!("{:?}", s.mode).to_lowercase(),
            };
            return Err(MergeError::Differs {
                name: shard.name.clone(),
                what: format!(
                    "the shard's change is {} where {} has {} (or another new-code policy)",
                    describe(theirs),
                    first.name,
                    describe(&scope)
                ),
                fix: "give every shard the same `--base REF` (or `--staged`) and configuration",
            });
        }
        scope
            .files
            .extend(theirs.files.iter().map(|(p, r)| (p.clone(), r.clone())));
        for pair in &theirs.renamed {
            if !scope.renamed.contains(pair) {
                scope.renamed.push(pair.clone());
            }
        }
    }
    scope.renamed.sort();
    scope.changed_lines = scope.files.values().map(|r| r.count()).sum();
    Ok(scope)
}

/// Each shard's findings on its own files (it resolved their functions and suppressions), and
/// one copy of each finding on a file no shard analysed (every shard that read the same
/// whole-repository report holds it).
fn merged_findings(shards: &[Shard], report: &Report) -> Vec<Finding> {
    let analysed: HashSet<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    let known: Vec<&str> = analysed.iter().copied().collect();
    let resolver = Resolver::new(&report.root, &known, &[]);
    // What the shards hold on their own files: a finding another shard could not place (the
    // file was not among its files) is one of these when its path maps onto that file.
    let placed: HashSet<(&str, &str, &str, u32)> = shards
        .iter()
        .flat_map(|s| {
            s.report
                .findings
                .iter()
                .filter(|f| analysed.contains(f.path.as_str()))
                .map(|f| (f.source.as_str(), f.rule.as_str(), f.path.as_str(), f.line))
        })
        .collect();
    let held_by_owner = |f: &Finding| match resolver.resolve(&f.path, &[]) {
        Resolution::Matched(rel) => {
            placed.contains(&(f.source.as_str(), f.rule.as_str(), rel.as_str(), f.line))
        }
        _ => false,
    };
    let mut seen = HashSet::new();
    let mut findings = Vec::new();
    for shard in shards {
        let own: HashSet<&str> = shard.report.files.iter().map(|f| f.path.as_str()).collect();
        for f in &shard.report.findings {
            let keep = if analysed.contains(f.path.as_str()) {
                own.contains(f.path.as_str())
            } else if held_by_owner(f) {
                false
            } else {
                seen.insert((
                    f.source.clone(),
                    f.rule.clone(),
                    f.path.clone(),
                    f.line,
                    f.column,
                    f.message.clone(),
                ))
            };
            if keep {
                findings.push(f.clone());
            }
        }
    }
    // As the findings join orders them (a stable sort keeps each file's own order).
    findings.sort_by(|a, b| {
        (&a.path, a.line, &a.rule, &a.source).cmp(&(&b.path, b.line, &b.rule, &b.source))
    });
    findings
}

/// The shards' inputs joined: each report read once, coverage mapping and pylint totals
/// recomputed, warnings once each.
fn merged_inputs(shards: &[Shard]) -> crate::report::Inputs {
    let mut inputs = crate::report::Inputs::default();
    for shard in shards {
        let theirs = &shard.report.inputs;
        for r in &theirs.reports {
            if !inputs
                .reports
                .iter()
                .any(|seen| seen.kind == r.kind && seen.path == r.path)
            {
                inputs.reports.push(r.clone());
            }
        }
        for w in theirs.warnings.iter().filter(|w| !w.depends_on_files) {
            if !inputs.warnings.contains(w) {
                inputs.warnings.push(w.clone());
            }
        }
        inputs.pylint_score = match (inputs.pylint_score, theirs.pylint_score) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if inputs.audit.allowed.is_empty() {
            inputs.audit = theirs.audit.clone();
        }
    }
    let shared_pylint = shared_reports(shards, InputKind::Pylint);
    inputs.pylint_messages = shards
        .iter()
        .filter_map(|s| s.report.inputs.pylint_messages)
        .reduce(|a, b| if shared_pylint { a.max(b) } else { a + b });
    inputs.coverage_mapping = coverage_mapping(shards, &inputs.reports);
    if !shards.is_empty() && shards.iter().any(|s| !has_fingerprints(&s.report)) {
        let without: Vec<&str> = shards
            .iter()
            .filter(|s| !has_fingerprints(&s.report))
            .map(|s| s.name.as_str())
            .collect();
        inputs.warnings.push(InputWarning {
            topic: WarningTopic::Config,
            message: format!(
                "{} carr{} no clone fingerprints: clones across shards are not found, so duplication may be lower than one run's — run every shard with `qgate check --report-fingerprints`",
                without.join(", "),
                if without.len() == 1 { "ies" } else { "y" }
            ),
            depends_on_files: false,
        });
    }
    inputs
}

/// Whether every shard that read reports of `kind` read the very same ones (one
/// whole-repository report given to each), so their counts are of one report, not of several.
fn shared_reports(shards: &[Shard], kind: InputKind) -> bool {
    let lists: Vec<Vec<&str>> = shards
        .iter()
        .filter(|s| s.report.inputs.given(&[kind]))
        .map(|s| {
            s.report
                .inputs
                .reports
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| r.path.as_str())
                .collect()
        })
        .collect();
    lists.len() > 1 && lists.iter().all(|l| *l == lists[0])
}

/// How the coverage entries mapped onto the merged files. Shards that read their own reports
/// add up. Shards that read one shared report each matched their own files: the entries of it
/// no shard matched are what one run over all the files would not match either.
fn coverage_mapping(shards: &[Shard], reports: &[InputReport]) -> Option<CoverageMapping> {
    let mappings: Vec<&CoverageMapping> = shards
        .iter()
        .filter_map(|s| s.report.inputs.coverage_mapping.as_ref())
        .collect();
    if mappings.is_empty() {
        return None;
    }
    let sum = |field: fn(&CoverageMapping) -> u32| mappings.iter().map(|m| field(m)).sum::<u32>();
    let max =
        |field: fn(&CoverageMapping) -> u32| mappings.iter().map(|m| field(m)).max().unwrap_or(0);
    let matched = sum(|m| m.matched);
    let mut merged = CoverageMapping {
        matched,
        ..CoverageMapping::default()
    };
    if shared_reports(shards, InputKind::Coverage) {
        let entries: u32 = reports
            .iter()
            .filter(|r| r.kind == InputKind::Coverage)
            .map(|r| r.entries)
            .sum();
        merged.outside = max(|m| m.outside);
        merged.ambiguous = max(|m| m.ambiguous);
        merged.not_found = entries.saturating_sub(matched + merged.outside + merged.ambiguous);
    } else {
        merged.outside = sum(|m| m.outside);
        merged.ambiguous = sum(|m| m.ambiguous);
        merged.not_found = sum(|m| m.not_found);
    }
    // Examples of unmatched entries, but none another shard matched.
    let matched_somewhere = |example: &str| {
        shards.iter().any(|s| {
            s.report
                .files
                .iter()
                .any(|f| f.coverage.is_some() && same_file(example, &f.path))
        })
    };
    let mut unmatched: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in &mappings {
        for (kind, examples) in &m.unmatched {
            let list = unmatched.entry(kind.clone()).or_default();
            for e in examples {
                if list.len() < 3 && !list.contains(e) && !matched_somewhere(e) {
                    list.push(e.clone());
                }
            }
        }
    }
    unmatched.retain(|_, list| !list.is_empty());
    merged.unmatched = unmatched;
    Some(merged)
}

/// The warnings that depend on which files were analysed, for the merged files: coverage entries
/// no shard matched, findings in files no shard analysed.
fn file_warnings(report: &Report) -> Vec<InputWarning> {
    let mut warnings = Vec::new();
    if let Some(m) = &report.inputs.coverage_mapping {
        let unmatched = m.outside + m.ambiguous + m.not_found;
        if unmatched > 0 {
            let reports: Vec<&str> = report
                .inputs
                .reports
                .iter()
                .filter(|r| r.kind == InputKind::Coverage)
                .map(|r| r.path.as_str())
                .collect();
            let examples: Vec<String> = m
                .unmatched
                .values()
                .flatten()
                .take(3)
                .map(|e| format!("`{e}`"))
                .collect();
            warnings.push(InputWarning {
                topic: WarningTopic::Coverage,
                message: format!(
                    "{}: {unmatched} of {} entries match no file of any shard ({} not found, {} outside the repository, {} ambiguous), e.g. {} — regenerate the report, or map its paths with `[coverage] path-map`",
                    reports.join(", "),
                    unmatched + m.matched,
                    m.not_found,
                    m.outside,
                    m.ambiguous,
                    examples.join(", ")
                ),
                depends_on_files: true,
            });
        }
    }
    let analysed: HashSet<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    let mut unanalysed: BTreeMap<&str, (usize, std::collections::BTreeSet<&str>)> = BTreeMap::new();
    for f in report
        .findings
        .iter()
        .filter(|f| !analysed.contains(f.path.as_str()))
    {
        let entry = unanalysed.entry(f.source.as_str()).or_default();
        entry.0 += 1;
        entry.1.insert(f.path.as_str());
    }
    for (tool, (count, paths)) in unanalysed {
        warnings.push(InputWarning {
            topic: WarningTopic::Findings,
            message: crate::join::findings::unanalysed_warning(
                tool,
                count,
                &paths,
                "no shard analysed",
                "check the shards' paths, `include`/`exclude`",
            ),
            depends_on_files: true,
        });
    }
    warnings
}

/// Whether a report's path and a repository path name one file (either may carry a prefix).
fn same_file(reported: &str, path: &str) -> bool {
    let reported = reported.replace('\\', "/");
    let (long, short) = if reported.len() >= path.len() {
        (reported.as_str(), path)
    } else {
        (path, reported.as_str())
    };
    long == short || long.ends_with(&format!("/{short}"))
}

fn has_fingerprints(report: &Report) -> bool {
    report.files.iter().all(|f| f.fingerprints.is_some())
}

/// With every shard's fingerprints, the clones are found again over all files, as one run
/// finds them; without, the shards' own clones are kept (a warning says what is missing).
fn join_clones(
    report: &mut Report,
    shards: &[Shard],
    settings: &Settings,
) -> Result<(), MergeError> {
    if shards.iter().all(|s| has_fingerprints(&s.report)) {
        let owner: HashMap<&str, &str> = shards
            .iter()
            .flat_map(|s| {
                s.report
                    .files
                    .iter()
                    .map(|f| (f.path.as_str(), s.name.as_str()))
            })
            .collect();
        let mut streams: Vec<Vec<DupToken>> = Vec::with_capacity(report.files.len());
        for file in &report.files {
            let decoded = file
                .fingerprints
                .as_ref()
                .map_or(Ok(Vec::new()), |f| f.decode());
            streams.push(decoded.map_err(|error| {
                MergeError::Fingerprints {
                    name: owner
                        .get(file.path.as_str())
                        .copied()
                        .unwrap_or("?")
                        .to_owned(),
                    path: file.path.clone(),
                    error,
                }
            })?);
        }
        let tokens: Vec<&[DupToken]> = streams.iter().map(Vec::as_slice).collect();
        clones::join(report, &tokens, &settings.duplication);
        return Ok(());
    }
    let ours = &settings.duplication;
    let mut groups: Vec<CloneGroup> = shards
        .iter()
        .flat_map(|s| s.report.duplication.clones.iter().cloned())
        .collect();
    groups.sort_by(|x, y| {
        let key = |g: &CloneGroup| {
            g.fragments
                .iter()
                .map(|f| (f.path.clone(), f.start_line))
                .collect::<Vec<_>>()
        };
        y.lines
            .cmp(&x.lines)
            .then(y.tokens.cmp(&x.tokens))
            .then_with(|| key(x).cmp(&key(y)))
    });
    let kept = groups.len().min(ours.max_reported_clones);
    let omitted = shards
        .iter()
        .map(|s| s.report.duplication.omitted_clones)
        .sum::<u32>()
        + (groups.len() - kept) as u32;
    groups.truncate(kept);
    report.duplication = Duplication {
        clones: groups,
        min_tokens: ours.min_tokens as u32,
        min_lines: ours.min_lines,
        normalize: ours.normalize,
        omitted_clones: omitted,
        omitted_fragments: shards
            .iter()
            .map(|s| s.report.duplication.omitted_fragments)
            .sum(),
    };
    Ok(())
}

/// The merge's gates must be the shards' gates: a gate a shard evaluated with another
/// threshold would make the merged verdict one no shard's configuration gives.
fn check_gates(shards: &[Shard], merged: &[GateResult]) -> Result<(), MergeError> {
    let describe = |g: &GateResult| {
        let conditions: Vec<String> = g
            .conditions
            .iter()
            .map(|c| {
                format!(
                    "{} {} {}",
                    c.key,
                    c.comparator,
                    crate::report::number(c.threshold)
                )
            })
            .collect();
        let required = if g.required { ", required" } else { "" };
        format!("is {}{required}", conditions.join(", "))
    };
    for shard in shards {
        for theirs in &shard.report.gates {
            let ours = merged.iter().find(|g| g.id == theirs.id);
            let differs = match ours {
                None => true,
                Some(ours) => {
                    describe(ours) != describe(theirs)
                        || ours.paths != theirs.paths
                        || ours.scope != theirs.scope
                }
            };
            if differs {
                return Err(MergeError::GateDiffers {
                    name: shard.name.clone(),
                    gate: theirs.id.clone(),
                    theirs: describe(theirs),
                    ours: ours.map_or_else(|| "is off".to_owned(), &describe),
                    fix: SAME_CONFIG,
                });
            }
        }
    }
    Ok(())
}
