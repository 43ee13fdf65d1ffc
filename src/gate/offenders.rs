//! What makes a failing condition fail, worst first: the functions over a complexity limit,
//! the files under a coverage minimum, the clones, the findings — each with its place, so a
//! failing gate says what to fix.

use super::catalog::Metric;
use crate::metrics::rank::cyclomatic_rank;
use crate::model::DocKind;
use crate::order::first_sorted;
use crate::report::{
    FileReport, Finding, FunctionMetric, FunctionReport, LineRanges, Offender, Severity, View,
    number,
};

/// The first offenders of a condition and how many there are in all.
pub struct Listed {
    pub offenders: Vec<Offender>,
    pub total: usize,
}

/// Everything that fails `metric` against `threshold` in `view`, worst first: at least the
/// first `budget` (the lists that can run to every function of a repository build only those).
pub fn offenders(
    metric: Metric,
    key: &str,
    threshold: f64,
    view: &View<'_>,
    budget: usize,
) -> Listed {
    let offender = |path: &str, line: u32, value: Option<f64>, message: String| Offender {
        condition: key.to_owned(),
        path: path.to_owned(),
        line,
        value,
        message,
        other: None,
    };
    let functions = || {
        view.files
            .iter()
            .flat_map(|file| file.functions.iter().map(move |f| (*file, f)))
    };
    let all: Vec<Offender> = match metric {
        Metric::ComplexityMax
        | Metric::ComplexityAverage
        | Metric::BlockMax
        | Metric::BlockAverage => {
            let limit = if matches!(metric, Metric::ComplexityMax | Metric::BlockMax) {
                format!("above {}", number(threshold))
            } else {
                format!("above the average limit of {}", number(threshold))
            };
            let known = |file: &FileReport, f: &FunctionReport| {
                metric == Metric::ComplexityMax
                    && view.known.is_some_and(|k| {
                        k.has_function(FunctionMetric::Cyclomatic, &file.path, &f.qualified_name)
                    })
            };
            let found = functions()
                .filter(|(_, f)| f64::from(f.cyclomatic) > threshold)
                .filter(|(file, f)| !known(file, f))
                .map(|(file, f)| Ranked::new(f64::from(f.cyclomatic), file, f.line, (file, f)));
            return worst_first(found, true, budget, |value, (file, f)| {
                let message = format!(
                    "`{}` has cyclomatic complexity {} (rank {}), {limit}{}",
                    f.qualified_name,
                    f.cyclomatic,
                    cyclomatic_rank(f.cyclomatic),
                    was(view, FunctionMetric::Cyclomatic, &file.path, f)
                );
                offender(&file.path, f.line, Some(value), message)
            });
        }
        Metric::ModuleAverageMax => {
            let found = view
                .files
                .iter()
                .filter_map(|f| Some((f, f.blocks?)))
                .filter(|(_, b)| b.count > 0)
                .map(|(file, b)| (file, f64::from(b.total) / f64::from(b.count)))
                .filter(|(_, average)| *average > threshold)
                .map(|(file, average)| Ranked::new(average, file, 1, file));
            return worst_first(found, true, budget, |average, file| {
                let message = format!(
                    "mean complexity of its {} blocks {} (rank {}), above {}",
                    file.blocks.map_or(0, |b| b.count),
                    number(crate::report::round2(average)),
                    crate::metrics::rank::cyclomatic_rank(average.ceil() as u32),
                    number(threshold)
                );
                offender(&file.path, 1, Some(average), message)
            });
        }
        Metric::CognitiveMax => {
            let found = functions()
                .filter_map(|(file, f)| Some((file, f, f.cognitive?)))
                .filter(|(_, _, c)| f64::from(*c) > threshold)
                .filter(|(file, f, _)| {
                    !view.known.is_some_and(|k| {
                        k.has_function(FunctionMetric::Cognitive, &file.path, &f.qualified_name)
                    })
                })
                .map(|(file, f, c)| Ranked::new(f64::from(c), file, f.line, (file, f, c)));
            return worst_first(found, true, budget, |value, (file, f, c)| {
                let message = format!(
                    "`{}` has cognitive complexity {c}, above {}{}",
                    f.qualified_name,
                    number(threshold),
                    was(view, FunctionMetric::Cognitive, &file.path, f)
                );
                offender(&file.path, f.line, Some(value), message)
            });
        }
        Metric::MaintainabilityAverage => {
            let found = view
                .files
                .iter()
                .filter_map(|f| Some((f, f.maintainability?)))
                .filter(|(_, mi)| *mi < threshold)
                .map(|(file, mi)| Ranked::new(mi, file, 1, file));
            return worst_first(found, false, budget, |mi, file| {
                let message = format!(
                    "maintainability index {} (rank {}), below {}",
                    number(mi),
                    file.maintainability_rank.as_deref().unwrap_or("?"),
                    number(threshold)
                );
                offender(&file.path, 1, Some(mi), message)
            });
        }
        Metric::DuplicationPercent
        | Metric::DuplicationClones
        | Metric::DuplicationJscpdPercent => view
            .clones
            .iter()
            .filter_map(|clone| {
                let (first, rest) = clone.fragments.split_first()?;
                let other = rest.first()?;
                let more = clone.occurrences.saturating_sub(2);
                let also = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                Some(Offender {
                    other: Some(other.clone()),
                    ..offender(
                        &first.path,
                        first.start_line,
                        Some(f64::from(clone.lines)),
                        format!(
                            "{} lines ({} tokens) also at {}:{}-{}{also}",
                            clone.lines, clone.tokens, other.path, other.start_line, other.end_line
                        ),
                    )
                })
            })
            .collect(),
        Metric::CoveragePercent | Metric::CoverageMinFile => {
            let found = view
                .files
                .iter()
                .filter_map(|f| Some((f, f.coverage.as_ref()?, f.coverage.as_ref()?.percent?)))
                .filter(|(_, _, p)| *p < threshold)
                .map(|(file, c, p)| {
                    let line = c.missing_lines.first().copied().unwrap_or(1);
                    Ranked::new(p, file, line, (file, c, line))
                });
            return worst_first(found, false, budget, |p, (file, c, line)| {
                let missing = LineRanges::from_ascending(c.missing_lines.iter().copied());
                let message = if view.new_code {
                    format!(
                        "{} % of its changed lines covered ({} of {}); not covered: {missing}",
                        number(p),
                        c.lines_covered,
                        c.lines_valid
                    )
                } else if missing.0.is_empty() {
                    format!("{} % covered", number(p))
                } else {
                    format!("{} % covered; not run: {missing}", number(p))
                };
                offender(&file.path, line, Some(p), message)
            });
        }
        Metric::TypeHintsPercent => {
            let lacking: Vec<_> = functions()
                .filter_map(|(file, f)| Some((file, f, f.type_hints()?)))
                .filter(|(_, _, h)| !h.complete())
                .collect();
            return first(lacking, budget, |(file, f, h)| {
                let message = missing_hints(f, h.params, h.annotated_params);
                offender(&file.path, f.line, None, message)
            });
        }
        Metric::DocstringsPercent => {
            let missing: Vec<_> = view
                .files
                .iter()
                .flat_map(|file| {
                    let missing = file.docstrings.iter().flat_map(|d| &d.missing);
                    missing.map(move |m| (file, m))
                })
                .collect();
            return first(missing, budget, |(file, m)| {
                let what = match m.kind {
                    DocKind::Module => "module".to_owned(),
                    DocKind::Class => format!("class `{}`", m.name),
                    DocKind::Function => format!("`{}`", m.name),
                    DocKind::Item => format!("`pub` item `{}`", m.name),
                };
                offender(&file.path, m.line, None, format!("{what} has no docstring"))
            });
        }
        Metric::SecurityHigh => findings(view, key, |f| f.security && f.severity == Severity::High),
        Metric::SecurityMedium => {
            findings(view, key, |f| f.security && f.severity == Severity::Medium)
        }
        Metric::FindingsHigh => findings(view, key, |f| f.severity == Severity::High),
        Metric::FindingsMedium => findings(view, key, |f| f.severity == Severity::Medium),
        Metric::FindingsLow => findings(view, key, |f| f.severity == Severity::Low),
        Metric::PylintScore => findings(view, key, |f| f.source == "pylint"),
        Metric::Vulnerabilities => {
            let policy = &view.report.inputs.audit;
            findings(view, key, |f| {
                f.advisory.as_ref().is_some_and(|a| {
                    if a.category == "vulnerability" {
                        !policy.fixable_only || !a.fix_versions.is_empty()
                    } else {
                        policy.include_warnings
                    }
                })
            })
        }
        Metric::TypeErrors => findings(view, key, |f| {
            f.source == "mypy" && f.severity == Severity::High
        }),
        Metric::Skipped => view
            .report
            .skipped
            .iter()
            .map(|s| offender(&s.path, 1, None, format!("not analysed: {}", s.message)))
            .collect(),
        Metric::ParseErrors => view
            .files
            .iter()
            .flat_map(|file: &&FileReport| {
                file.errors.iter().map(move |e| {
                    let message = format!("{} at {}:{}: {}", e.kind, e.line, e.column, e.message);
                    offender(&file.path, e.line, None, message)
                })
            })
            .collect(),
    };
    Listed {
        total: all.len(),
        offenders: all,
    }
}

/// The offenders built from the first `budget` of `found`, in its order, and its length.
fn first<T>(found: Vec<T>, budget: usize, build: impl Fn(T) -> Offender) -> Listed {
    let total = found.len();
    Listed {
        offenders: found.into_iter().take(budget).map(build).collect(),
        total,
    }
}

/// `; 18 in the baseline` for a known function that got worse since `--baseline`.
fn was(view: &View<'_>, metric: FunctionMetric, path: &str, f: &FunctionReport) -> String {
    view.report
        .baseline
        .as_ref()
        .and_then(|b| b.was(metric, path, &f.qualified_name))
        .map_or_else(String::new, |was| format!("; {was} in the baseline"))
}

/// Something failing a condition by `value`, at `path:line`, before its offender is built.
struct Ranked<'a, T> {
    value: f64,
    path: &'a str,
    line: u32,
    item: T,
}

impl<'a, T> Ranked<'a, T> {
    fn new(value: f64, file: &'a FileReport, line: u32, item: T) -> Self {
        Self {
            value,
            path: &file.path,
            line,
            item,
        }
    }
}

/// The first `budget` of `found` by value, highest first when `highest` (a complexity), else
/// lowest (a coverage), ties by place and then by their order in `found`; built with `build`
/// (from the value and the item), and how many there are. Only the kept ones are built: the
/// lists can hold every function of a repository.
fn worst_first<'a, T>(
    found: impl Iterator<Item = Ranked<'a, T>>,
    highest: bool,
    budget: usize,
    build: impl Fn(f64, T) -> Offender,
) -> Listed {
    let found: Vec<Ranked<T>> = found.collect();
    let total = found.len();
    let kept = first_sorted(found, budget, |a, b| {
        let by_value = if highest {
            b.value.total_cmp(&a.value)
        } else {
            a.value.total_cmp(&b.value)
        };
        by_value.then_with(|| (a.path, a.line).cmp(&(b.path, b.line)))
    });
    Listed {
        offenders: kept.into_iter().map(|r| build(r.value, r.item)).collect(),
        total,
    }
}

/// `` `f` lacks annotations: 2 of 3 parameters, the return ``.
fn missing_hints(f: &FunctionReport, params: u32, annotated: u32) -> String {
    let mut lacking = Vec::new();
    if annotated < params {
        lacking.push(format!("{} of {params} parameters", params - annotated));
    }
    if f.returns_annotated == Some(false) {
        lacking.push("the return".to_owned());
    }
    format!(
        "`{}` lacks annotations: {}",
        f.qualified_name,
        lacking.join(", ")
    )
}

/// The findings `pick` selects, worst severity first (the report's order within one).
fn findings(view: &View<'_>, key: &str, pick: impl Fn(&Finding) -> bool) -> Vec<Offender> {
    let mut found: Vec<&&Finding> = view.findings.iter().filter(|f| pick(f)).collect();
    found.sort_by_key(|f| f.severity);
    found
        .into_iter()
        .map(|f| Offender {
            condition: key.to_owned(),
            path: f.path.clone(),
            line: f.line,
            value: None,
            message: format!("{} {} ({})", f.rule, f.message, f.source),
            other: None,
        })
        .collect()
}
