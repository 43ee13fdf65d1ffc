//! Every error that ends a run with exit 2 reads `<where>: <what> — <what to do>` (issue 17).
//!
//! One sample of each variant of every error type; the exhaustive `match`es below stop the
//! build when a variant is added without a sample here.

use std::path::Path;

use qgate::baseline::BaselineError;
use qgate::engine::RunError;
use qgate::ingest::IngestError;
use qgate::join::coverage::CoverageError;
use qgate::join::findings::FindingsError;
use qgate::merge::MergeError;
use qgate::report::fingerprints::DecodeError;
use qgate::scope::ScopeError;
use qgate::scope::git::GitError;
use qgate::settings::ConfigError;

/// Splits `message` into where, what and what to do, or says why it cannot.
fn shape(message: &str) -> Result<(&str, &str, &str), String> {
    if message.contains('\n') {
        return Err("spans several lines".into());
    }
    let (head, fix) = message
        .split_once(" — ")
        .ok_or("has no ` — <what to do>`")?;
    if fix.contains(" — ") {
        return Err("has more than one ` — `".into());
    }
    let (place, what) = head.split_once(": ").ok_or("has no `<where>: `")?;
    for (part, name) in [(place, "where"), (what, "what"), (fix, "what to do")] {
        if part.trim().is_empty() {
            return Err(format!("has an empty {name}"));
        }
    }
    Ok((place, what, fix))
}

fn json_error() -> serde_json::Error {
    serde_json::from_str::<u32>("x").unwrap_err()
}

fn ingest_error() -> IngestError {
    IngestError::at(
        Path::new("reports/coverage.xml"),
        b"<coverage>\n<bad",
        12,
        "unexpected end of file",
        "the report looks truncated; regenerate it",
    )
}

fn config_error() -> ConfigError {
    ConfigError::at(
        Path::new("qgate.toml"),
        "[gates]\nthresold = 1\n",
        8,
        "unknown field `thresold`".into(),
        "did you mean `threshold`?".into(),
    )
}

fn git_errors() -> Vec<GitError> {
    let samples = vec![
        GitError::NotARepository("/tmp/x".into()),
        GitError::Bare("/tmp/x.git".into()),
        GitError::NotOwned("/tmp/x".into()),
        GitError::BadSpec("HEAD@{\u{7}".into()),
        GitError::UnknownBase {
            spec: "nope".into(),
            tried: "`nope`, `origin/nope`".into(),
            fix: "fetch it".into(),
        },
        GitError::Shallow {
            spec: "origin/main".into(),
            what: "this is a shallow clone and the merge base is beyond its depth".into(),
            fix: "check out the full history".into(),
        },
        GitError::NoMergeBase("orphan".into()),
        GitError::Outside {
            root: "/elsewhere".into(),
            workdir: "/repo".into(),
        },
        GitError::Git {
            what: "reading the index",
            message: "corrupt index".into(),
        },
    ];
    for e in &samples {
        match e {
            GitError::NotARepository(_)
            | GitError::Bare(_)
            | GitError::NotOwned(_)
            | GitError::BadSpec(_)
            | GitError::UnknownBase { .. }
            | GitError::Shallow { .. }
            | GitError::NoMergeBase(_)
            | GitError::Outside { .. }
            | GitError::Git { .. } => {}
        }
    }
    samples
}

fn scope_errors() -> Vec<ScopeError> {
    let mut samples: Vec<ScopeError> = git_errors().into_iter().map(ScopeError::Git).collect();
    samples.push(ScopeError::NoOverlap {
        reports: "coverage.xml".into(),
        changed: 1,
        changed_examples: "`pkg/calc.py`".into(),
        report_examples: "`ops.py`".into(),
    });
    for e in &samples {
        match e {
            ScopeError::Git(_) | ScopeError::NoOverlap { .. } => {}
        }
    }
    samples
}

fn baseline_errors() -> Vec<BaselineError> {
    let samples = vec![
        BaselineError::Read {
            path: "base.json".into(),
            message: "No such file or directory (os error 2)".into(),
        },
        BaselineError::Parse {
            path: "base.json".into(),
            line: 1,
            column: 1,
            message: "expected value".into(),
        },
        BaselineError::Version {
            path: "base.json".into(),
            found: 99,
        },
    ];
    for e in &samples {
        match e {
            BaselineError::Read { .. }
            | BaselineError::Parse { .. }
            | BaselineError::Version { .. } => {}
        }
    }
    samples
}

fn coverage_errors() -> Vec<CoverageError> {
    let samples = vec![
        CoverageError::Read(ingest_error()),
        CoverageError::NothingMatched {
            reports: "coverage.xml".into(),
            entries: 3,
            report_examples: "`a.py`".into(),
            file_examples: "`src/a.py`".into(),
        },
    ];
    for e in &samples {
        match e {
            CoverageError::Read(_) | CoverageError::NothingMatched { .. } => {}
        }
    }
    samples
}

fn findings_errors() -> Vec<FindingsError> {
    let samples = vec![
        FindingsError::Read(ingest_error()),
        FindingsError::ScanErrors {
            path: "bandit.json".into(),
            count: 2,
            examples: "`a.py`, `b.py`".into(),
        },
    ];
    for e in &samples {
        match e {
            FindingsError::Read(_) | FindingsError::ScanErrors { .. } => {}
        }
    }
    samples
}

fn run_errors() -> Vec<RunError> {
    let mut samples = vec![
        RunError::Config(config_error()),
        RunError::Config(ConfigError::new(
            "--threshold: unknown gate `nope`",
            "run `qgate explain` to list them",
        )),
        RunError::NothingToAnalyse {
            paths: "`docs`".into(),
        },
        RunError::ThreadPool("Resource temporarily unavailable (os error 11)".into()),
    ];
    samples.extend(coverage_errors().into_iter().map(RunError::Coverage));
    samples.extend(findings_errors().into_iter().map(RunError::Findings));
    samples.extend(scope_errors().into_iter().map(RunError::Scope));
    samples.extend(baseline_errors().into_iter().map(RunError::Baseline));
    for e in &samples {
        match e {
            RunError::Config(_)
            | RunError::NothingToAnalyse { .. }
            | RunError::ThreadPool(_)
            | RunError::Coverage(_)
            | RunError::Findings(_)
            | RunError::Scope(_)
            | RunError::Baseline(_) => {}
        }
    }
    samples
}

fn merge_errors() -> Vec<MergeError> {
    let decode = [
        DecodeError::Base64,
        DecodeError::KeyLength,
        DecodeError::Count { keys: 2, lines: 1 },
        DecodeError::Delta,
    ];
    for e in &decode {
        match e {
            DecodeError::Base64
            | DecodeError::KeyLength
            | DecodeError::Count { .. }
            | DecodeError::Delta => {}
        }
    }
    let mut samples = vec![
        MergeError::Read {
            name: "a.json".into(),
            error: std::io::Error::from(std::io::ErrorKind::NotFound),
        },
        MergeError::NotAReport {
            name: "a.json".into(),
            line: 1,
            column: 1,
            error: json_error(),
        },
        MergeError::Version {
            name: "a.json".into(),
            theirs: "0.0.9".into(),
            schema: 1,
            ours: "0.1.0".into(),
        },
        MergeError::Overlap {
            path: "billing/invoice.py".into(),
            first: "a.json".into(),
            second: "b.json".into(),
        },
        MergeError::GateDiffers {
            name: "b.json".into(),
            gate: "coverage".into(),
            theirs: "min 80".into(),
            ours: "min 85".into(),
            fix: "run every shard with one configuration",
        },
        MergeError::Differs {
            name: "b.json".into(),
            what: "written with another `[duplication]`".into(),
            fix: "run every shard with one configuration",
        },
    ];
    samples.extend(decode.into_iter().map(|error| MergeError::Fingerprints {
        name: "a.json".into(),
        path: "billing/invoice.py".into(),
        error,
    }));
    samples.extend(baseline_errors().into_iter().map(MergeError::Baseline));
    samples.extend(scope_errors().into_iter().map(MergeError::Scope));
    for e in &samples {
        match e {
            MergeError::Read { .. }
            | MergeError::NotAReport { .. }
            | MergeError::Version { .. }
            | MergeError::Overlap { .. }
            | MergeError::GateDiffers { .. }
            | MergeError::Differs { .. }
            | MergeError::Fingerprints { .. }
            | MergeError::Baseline(_)
            | MergeError::Scope(_) => {}
        }
    }
    samples
}

#[test]
fn x1_every_error_variant_reads_where_what_and_what_to_do() {
    let messages: Vec<String> = run_errors()
        .iter()
        .map(ToString::to_string)
        .chain(merge_errors().iter().map(ToString::to_string))
        .collect();
    assert_eq!(messages.len(), 44, "samples: one per variant and nesting");
    let bad: Vec<String> = messages
        .iter()
        .filter_map(|m| shape(m).err().map(|why| format!("{why}: {m}")))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn x1_an_error_about_a_file_starts_with_the_file_and_its_place() {
    let cases: Vec<(String, &str)> = vec![
        (
            RunError::Config(config_error()).to_string(),
            "qgate.toml:2:1",
        ),
        (
            RunError::Coverage(CoverageError::Read(ingest_error())).to_string(),
            "reports/coverage.xml:2:2",
        ),
        (baseline_errors()[1].to_string(), "base.json:1:1"),
        (merge_errors()[1].to_string(), "a.json:1:1"),
        (merge_errors()[3].to_string(), "b.json"),
        (scope_errors()[9].to_string(), "coverage.xml"),
    ];
    for (message, place) in cases {
        assert_eq!(shape(&message).map(|s| s.0), Ok(place), "{message}");
    }
}

#[test]
fn the_shape_check_rejects_what_it_should() {
    assert_eq!(
        shape("no files — add some"),
        Err("has no `<where>: `".to_owned())
    );
    assert_eq!(
        shape("a.py: bad"),
        Err("has no ` — <what to do>`".to_owned())
    );
    assert_eq!(
        shape("a.py: bad — x — y"),
        Err("has more than one ` — `".to_owned())
    );
    assert_eq!(shape("a.py: — y"), Err("has no `<where>: `".to_owned()));
    assert_eq!(shape("a.py: bad — fix"), Ok(("a.py", "bad", "fix")));
}
