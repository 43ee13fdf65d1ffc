//! The verdict of a report: what CI scripts branch on. Computed from the report alone, so a
//! re-rendered report (`qgate report`) gives the exit code the `check` that made it gave.

use crate::report::{GateStatus, Report, Status};

/// The process exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Every evaluated gate passed (or `--exit-zero`).
    Success,
    /// A gate failed.
    Failure,
    /// No trustworthy verdict: bad flag or config, nothing to analyse, an internal error.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            Self::Success => 0,
            Self::Failure => 1,
            Self::Error => 2,
        }
    }
}

/// The exit status, and why there is no verdict when it is [`ExitStatus::Error`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub exit: ExitStatus,
    /// One message per reason the run has no trustworthy verdict, for `qgate: error:` lines.
    pub problems: Vec<String>,
}

/// The verdict on `report`. A qgate bug in some file, or a `required` gate that could not be
/// evaluated, leaves no verdict (exit 2) whatever the gates say; `--exit-zero` turns only a
/// failed gate (exit 1) into 0.
pub fn verdict(report: &Report, exit_zero: bool) -> Verdict {
    let mut problems: Vec<String> = report
        .skipped
        .iter()
        .filter(|s| s.reason.is_internal())
        .map(|s| format!("{}: {}", s.path, s.message))
        .collect();
    problems.extend(
        report
            .skipped
            .iter()
            .filter(|s| s.named && !s.reason.is_internal())
            .map(|s| {
                format!(
                    "{}: named on the command line but not analysed: {} — name a readable Python or Rust source file",
                    s.path, s.message
                )
            }),
    );
    if report.files.is_empty() && !report.skipped.is_empty() {
        problems.push(format!(
            "no file was analysed: {} file(s) found, every one skipped (e.g. `{}`: {}) — see `skipped` in the report",
            report.skipped.len(),
            report.skipped[0].path,
            report.skipped[0].message
        ));
    }
    problems.extend(
        report
            .gates
            .iter()
            .filter(|g| g.required && g.status == GateStatus::Skipped && !g.nothing_changed)
            .map(|g| {
                format!(
                    "gate `{}` is required but could not be evaluated: {} — provide its input or set `required = false`",
                    g.id, g.message
                )
            }),
    );
    let exit = if !problems.is_empty() {
        ExitStatus::Error
    } else {
        match report.status {
            Status::Pass => ExitStatus::Success,
            Status::Fail if exit_zero => ExitStatus::Success,
            Status::Fail => ExitStatus::Failure,
        }
    };
    Verdict { exit, problems }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SkipReason;
    use crate::report::{GateResult, SkippedFile};

    fn gate(status: GateStatus, required: bool) -> GateResult {
        GateResult {
            id: "coverage".into(),
            status,
            actual: None,
            threshold: 85.0,
            comparator: ">=".into(),
            message: "no coverage report given".into(),
            conditions: Vec::new(),
            required,
            scope: "all".into(),
            nothing_changed: false,
            paths: None,
            offenders: Vec::new(),
            more_offenders: 0,
            forgiven: 0,
        }
    }

    fn report(status: Status, gates: Vec<GateResult>) -> Report {
        let mut r = Report::new("/repo".into(), Default::default());
        r.status = status;
        r.gates = gates;
        r
    }

    #[test]
    fn exit_codes_are_stable() {
        assert_eq!(ExitStatus::Success.code(), 0);
        assert_eq!(ExitStatus::Failure.code(), 1);
        assert_eq!(ExitStatus::Error.code(), 2);
    }

    #[test]
    fn pass_fail_and_exit_zero() {
        let pass = report(Status::Pass, vec![gate(GateStatus::Pass, false)]);
        assert_eq!(verdict(&pass, false).exit, ExitStatus::Success);
        let fail = report(Status::Fail, vec![gate(GateStatus::Fail, false)]);
        assert_eq!(verdict(&fail, false).exit, ExitStatus::Failure);
        assert_eq!(verdict(&fail, true).exit, ExitStatus::Success);
    }

    #[test]
    fn a_skipped_required_gate_leaves_no_verdict_even_with_exit_zero() {
        let r = report(Status::Pass, vec![gate(GateStatus::Skipped, true)]);
        let v = verdict(&r, true);
        assert_eq!(v.exit, ExitStatus::Error);
        assert_eq!(
            v.problems,
            [
                "gate `coverage` is required but could not be evaluated: no coverage report given — provide its input or set `required = false`"
            ]
        );
        let optional = report(Status::Pass, vec![gate(GateStatus::Skipped, false)]);
        assert_eq!(verdict(&optional, false).exit, ExitStatus::Success);
    }

    #[test]
    fn an_internal_error_in_one_file_leaves_no_verdict() {
        let mut r = report(Status::Fail, vec![gate(GateStatus::Fail, false)]);
        r.skipped.push(SkippedFile {
            path: "a.py".into(),
            reason: SkipReason::InternalError,
            message: "qgate bug".into(),
            named: false,
        });
        let v = verdict(&r, true);
        assert_eq!(v.exit, ExitStatus::Error);
        assert_eq!(v.problems[0], "a.py: qgate bug");
    }

    #[test]
    fn x8_a_named_file_that_was_skipped_and_a_run_that_analysed_nothing_leave_no_verdict() {
        let mut r = report(Status::Pass, vec![gate(GateStatus::Pass, false)]);
        r.skipped.push(SkippedFile {
            path: "pipe.py".into(),
            reason: SkipReason::NotARegularFile,
            message: "a FIFO".into(),
            named: true,
        });
        let v = verdict(&r, true);
        assert_eq!(v.exit, ExitStatus::Error);
        assert_eq!(
            v.problems,
            [
                "pipe.py: named on the command line but not analysed: a FIFO — name a readable Python or Rust source file",
                "no file was analysed: 1 file(s) found, every one skipped (e.g. `pipe.py`: a FIFO) — see `skipped` in the report"
            ]
        );
    }
}
