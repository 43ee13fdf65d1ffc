//! The headline metrics of a summary: what `qgate compare` tabulates before → after, what a
//! baseline keeps of the totals, and what the ratchet holds against them.

use std::collections::BTreeMap;

use super::Summary;

/// Which way a metric improves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
}

/// One headline metric: its id (the summary path, as rule files name metrics), how people call
/// it, and which way is better.
pub struct HeadlineMetric {
    pub id: &'static str,
    pub label: &'static str,
    pub better: Better,
    pub get: fn(&Summary) -> Option<f64>,
}

/// Every headline metric, in the order tables list them.
pub const HEADLINE: &[HeadlineMetric] = &[
    HeadlineMetric {
        id: "complexity.average",
        label: "average complexity",
        better: Better::Lower,
        get: |s| s.complexity.average,
    },
    HeadlineMetric {
        id: "complexity.max",
        label: "max complexity",
        better: Better::Lower,
        get: |s| s.complexity.max.map(f64::from),
    },
    HeadlineMetric {
        id: "cognitive.average",
        label: "average cognitive complexity",
        better: Better::Lower,
        get: |s| s.cognitive.average,
    },
    HeadlineMetric {
        id: "cognitive.max",
        label: "max cognitive complexity",
        better: Better::Lower,
        get: |s| s.cognitive.max.map(f64::from),
    },
    HeadlineMetric {
        id: "maintainability.average",
        label: "maintainability index",
        better: Better::Higher,
        get: |s| s.maintainability.average,
    },
    HeadlineMetric {
        id: "coverage.percent",
        label: "coverage %",
        better: Better::Higher,
        get: |s| s.coverage.percent,
    },
    HeadlineMetric {
        id: "duplication.percent",
        label: "duplication %",
        better: Better::Lower,
        get: |s| s.duplication.percent,
    },
    HeadlineMetric {
        id: "type_hints.percent",
        label: "type hints %",
        better: Better::Higher,
        get: |s| s.type_hints.percent,
    },
    HeadlineMetric {
        id: "docstrings.percent",
        label: "docstrings %",
        better: Better::Higher,
        get: |s| s.docstrings.percent,
    },
    HeadlineMetric {
        id: "findings.high",
        label: "findings: high",
        better: Better::Lower,
        get: |s| Some(f64::from(s.findings.high)),
    },
    HeadlineMetric {
        id: "findings.medium",
        label: "findings: medium",
        better: Better::Lower,
        get: |s| Some(f64::from(s.findings.medium)),
    },
    HeadlineMetric {
        id: "findings.low",
        label: "findings: low",
        better: Better::Lower,
        get: |s| Some(f64::from(s.findings.low)),
    },
    HeadlineMetric {
        id: "grade.score",
        label: "grade score (0-100)",
        better: Better::Higher,
        get: |s| s.grade.as_ref().map(|g| g.score),
    },
];

/// The headline values of `summary` that are known, by id.
pub fn headline_of(summary: &Summary) -> BTreeMap<String, f64> {
    HEADLINE
        .iter()
        .filter_map(|m| Some((m.id.to_owned(), (m.get)(summary)?)))
        .collect()
}
