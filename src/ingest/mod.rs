//! Ingesting what other tools produced: coverage reports (Cobertura XML, LCOV, coverage.py
//! JSON), detected by content, merged per file and line, mapped onto the repository's files.

pub mod audit;
pub mod bandit;
pub mod bandit_tests;
pub mod clippy;
pub mod cobertura;
pub mod coverage_json;
pub mod lcov;
pub mod mypy;
pub mod paths;
pub mod pylint;
pub mod ruff;
pub mod sarif;

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::report::CoverageCounts;
use crate::source::strip_bom;

/// Coverage of one file as a report states it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileHits {
    /// Executable lines and whether each ran (hit wins when reports disagree).
    pub lines: BTreeMap<u32, bool>,
    /// Branches per line: (taken, total).
    pub branches: BTreeMap<u32, (u32, u32)>,
}

impl FileHits {
    /// Merges another report's data for the same file: a line hit in either is hit; branch
    /// counts keep the larger of each (shards of one test run measure the same branches).
    pub fn merge(&mut self, other: FileHits) {
        for (line, hit) in other.lines {
            *self.lines.entry(line).or_insert(false) |= hit;
        }
        for (line, (taken, total)) in other.branches {
            let entry = self.branches.entry(line).or_insert((0, 0));
            *entry = (entry.0.max(taken), entry.1.max(total));
        }
    }

    pub fn counts(&self) -> CoverageCounts {
        CoverageCounts {
            lines_valid: self.lines.len() as u32,
            lines_covered: self.lines.values().filter(|&&h| h).count() as u32,
            branches_valid: self.branches.values().map(|b| b.1).sum(),
            branches_covered: self.branches.values().map(|b| b.0.min(b.1)).sum(),
        }
    }
}

/// Decides, for a path as a report writes it (with the report's `<source>` roots), which
/// repository file it is: `None` drops the entry at once (reports are streamed; what does not
/// map is never kept).
pub type Resolve<'a> = dyn FnMut(&[String], &str) -> Option<String> + 'a;

/// One report, read: the entries that mapped onto repository files, merged per file.
pub struct Report<'a> {
    pub sources: Vec<String>,
    pub files: BTreeMap<String, FileHits>,
    /// Things the user should know that do not make the report unusable.
    pub warnings: Vec<String>,
    /// The totals the report states about itself (Cobertura's root attributes, coverage.py
    /// JSON's `totals`), when it states them.
    pub stated: Option<CoverageCounts>,
    /// Totals over every entry the report lists, mapped or not (what the report's own total
    /// is, when it states none).
    pub listed: CoverageCounts,
    /// Entries the report lists.
    pub entries: usize,
    resolve: Box<Resolve<'a>>,
}

impl<'a> Report<'a> {
    pub fn new(resolve: Box<Resolve<'a>>) -> Self {
        Self {
            sources: Vec::new(),
            files: BTreeMap::new(),
            warnings: Vec::new(),
            stated: None,
            listed: CoverageCounts::default(),
            entries: 0,
            resolve,
        }
    }

    /// Adds one entry of the report, if it is a repository file.
    pub fn add(&mut self, name: String, hits: FileHits) {
        self.entries += 1;
        self.listed.add(hits.counts());
        if let Some(rel) = (self.resolve)(&self.sources, &name) {
            self.files.entry(rel).or_default().merge(hits);
        }
    }
}

/// What one report held, once read (the resolver is released).
pub struct Read {
    pub files: BTreeMap<String, FileHits>,
    pub warnings: Vec<String>,
    pub stated: Option<CoverageCounts>,
    pub listed: CoverageCounts,
    pub entries: usize,
}

impl Report<'_> {
    pub fn done(self) -> Read {
        Read {
            files: self.files,
            warnings: self.warnings,
            stated: self.stated,
            listed: self.listed,
            entries: self.entries,
        }
    }
}

impl std::fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("sources", &self.sources)
            .field("files", &self.files)
            .finish_non_exhaustive()
    }
}

/// A report that cannot be used: exit 2, naming the file (and the place in it) and the fix.
#[derive(Debug)]
pub struct IngestError {
    pub path: PathBuf,
    pub line: Option<(u32, u32)>,
    pub message: String,
    pub hint: String,
    /// The underlying error (I/O, JSON, XML), kept for the error chain.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, column)) = self.line {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {} — {}", self.message, self.hint)
    }
}

impl std::error::Error for IngestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl IngestError {
    pub fn new(path: &Path, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            line: None,
            message: message.into(),
            hint: hint.into(),
            source: None,
        }
    }

    /// An error at byte `offset` of `text`, the report's content (or its start).
    pub fn at(
        path: &Path,
        text: &[u8],
        offset: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            line: Some(crate::source::line_column(text, offset)),
            ..Self::new(path, message, hint)
        }
    }

    /// Keeps `cause` as this error's source.
    pub fn caused_by(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(cause));
        self
    }

    /// An error at byte `offset` of the file at `path`, located by reading the file again up to
    /// there (only on this error path: reports are streamed, not kept).
    pub fn in_file(
        path: &Path,
        offset: u64,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        let mut prefix = Vec::new();
        let read = std::fs::File::open(path)
            .and_then(|f| std::io::Read::take(f, offset).read_to_end(&mut prefix));
        match read {
            Ok(_) => Self::at(path, &prefix, prefix.len(), message, hint),
            Err(_) => Self::new(path, message, hint),
        }
    }
}

/// Reads a coverage report, whatever its format (judged by its content).
pub fn read_coverage<'a>(
    path: &Path,
    resolve: Box<Resolve<'a>>,
) -> Result<Report<'a>, IngestError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        IngestError::new(
            path,
            format!("no coverage report here ({e})"),
            "did the test step run? `--coverage` paths are relative to the current directory, `[coverage] reports` to the repository root",
        )
        .caused_by(e)
    })?;
    if !meta.is_file() {
        return Err(IngestError::new(
            path,
            "not a file",
            "pass the coverage report file itself",
        ));
    }
    // The format is judged from the first bytes; Cobertura and LCOV are then read as streams
    // (a 500 MB report must not need 500 MB of memory).
    let unreadable = |e: std::io::Error| {
        IngestError::new(path, format!("cannot read: {e}"), "check its permissions").caused_by(e)
    };
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .and_then(|f| std::io::Read::take(f, 4096).read_to_end(&mut head))
        .map_err(unreadable)?;
    if head.is_empty() {
        return Err(IngestError::new(
            path,
            "the coverage report is empty",
            "regenerate it (the test step may have failed)",
        ));
    }
    refuse_utf16(path, &head)?;
    if head.starts_with(b"SQLite format 3") {
        return Err(IngestError::new(
            path,
            "this is coverage.py's data file, not a report",
            "run `coverage xml` (or `coverage json`, `coverage lcov`) first and pass its output",
        ));
    }
    let text = strip_bom(&head);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let open = || {
        std::fs::File::open(path)
            .map(std::io::BufReader::new)
            .map_err(unreadable)
    };
    match text.get(start) {
        Some(b'<') => cobertura::read(path, open()?, Report::new(resolve)),
        Some(b'{') => {
            let bytes = std::fs::read(path).map_err(unreadable)?;
            coverage_json::read(path, strip_bom(&bytes), Report::new(resolve))
        }
        _ if lcov::looks_like(text) => lcov::read(path, open()?, Report::new(resolve)),
        _ => Err(IngestError::new(
            path,
            "not a coverage report qgate knows",
            "pass Cobertura XML (`coverage xml`, `cargo llvm-cov --cobertura`), LCOV or coverage.py JSON",
        )),
    }
}

/// PowerShell 5's `>` writes UTF-16 with a byte-order mark: name it rather than fail to parse.
fn refuse_utf16(path: &Path, head: &[u8]) -> Result<(), IngestError> {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(IngestError::new(
            path,
            "the file is UTF-16 (byte-order mark); qgate reads UTF-8",
            "PowerShell's `>` writes UTF-16: use `| Out-File -Encoding utf8`",
        ));
    }
    Ok(())
}

/// Reads a whole JSON report and parses it into `T`: a UTF-8 BOM is skipped, UTF-16 and empty
/// files get a hint, and a syntax or shape error names its line and column.
pub fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
    hint: &str,
) -> Result<T, IngestError> {
    let bytes = std::fs::read(path).map_err(|e| {
        IngestError::new(
            path,
            format!("cannot read the {what}: {e}"),
            "did the step that writes it run? flag paths are relative to the current directory, config paths to the repository root",
        )
        .caused_by(e)
    })?;
    refuse_utf16(path, &bytes)?;
    let text = strip_bom(&bytes);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::new(
            path,
            format!("the {what} is empty"),
            "regenerate it (the step that writes it may have failed)",
        ));
    }
    serde_json::from_slice(text).map_err(|e| json_error(path, text, e, what, hint))
}

/// Locates a serde_json error in `text` and words it for the user.
pub fn json_error(
    path: &Path,
    text: &[u8],
    e: serde_json::Error,
    what: &str,
    hint: &str,
) -> IngestError {
    let offset = text
        .split(|&b| b == b'\n')
        .take(e.line().saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum::<usize>()
        + e.column().saturating_sub(1);
    let hint = if e.is_eof() {
        "the report looks truncated; regenerate it"
    } else {
        hint
    };
    IngestError::at(path, text, offset, format!("not a {what}: {e}"), hint).caused_by(e)
}

#[cfg(test)]
impl Report<'static> {
    /// Keeps every entry under the name the report gives it (reader unit tests).
    pub fn keep_all() -> Self {
        Report::new(Box::new(|_: &[String], name: &str| Some(name.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_report_is_located_and_keeps_its_cause() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bandit.json");
        std::fs::write(&path, "{\n  \"results\": [\n    {\"a\": 1").unwrap();
        let err = read_json::<serde_json::Value>(&path, "Bandit report", "pass bandit -f json")
            .unwrap_err();
        assert_eq!(err.line, Some((3, 11)));
        assert!(
            err.to_string()
                .ends_with("— the report looks truncated; regenerate it"),
            "{err}"
        );
        let cause = std::error::Error::source(&err).expect("the JSON error is kept");
        assert!(cause.downcast_ref::<serde_json::Error>().is_some());
        let missing =
            read_json::<serde_json::Value>(&dir.path().join("nope.json"), "x", "y").unwrap_err();
        let cause = std::error::Error::source(&missing).expect("the I/O error is kept");
        assert_eq!(
            cause.downcast_ref::<std::io::Error>().map(|e| e.kind()),
            Some(std::io::ErrorKind::NotFound)
        );
    }
}
