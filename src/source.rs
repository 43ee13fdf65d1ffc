//! Reading a source file safely and mapping byte offsets to lines and columns.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::model::{Skip, SkipReason};

/// Bytes inspected for NUL to decide that a file is binary (git's heuristic).
const BINARY_PROBE: usize = 8 * 1024;

/// Reads `path` as UTF-8 source text, refusing what must never reach a parser: files over
/// `max_size` bytes, binary files, UTF-16 and invalid UTF-8. A UTF-8 byte-order mark is removed.
pub fn read_source(path: &Path, max_size: u64) -> Result<String, Skip> {
    decode_source(read_bytes(path, max_size)?.0, is_python(path))
}

/// Whether `path` is Python source (its encoding declaration counts when decoding).
pub fn is_python(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py" || e == "pyi")
}

/// The bytes of `path` and its metadata when opened, refusing files over `max_size` bytes (the
/// first half of [`read_source`]; the cache hashes these bytes and records that stat).
pub fn read_bytes(path: &Path, max_size: u64) -> Result<(Vec<u8>, std::fs::Metadata), Skip> {
    let io_skip = |e: std::io::Error| Skip::new(SkipReason::IoError, e.to_string());
    let file = File::open(path).map_err(io_skip)?;
    let metadata = file.metadata().map_err(io_skip)?;
    let size = metadata.len();
    if size > max_size {
        return Err(Skip::new(
            SkipReason::TooLarge,
            format!(
                "{} > {} limit; raise `max-file-size` or exclude the file",
                human_size(size),
                human_size(max_size)
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // Read at most one byte past the limit: the file may have grown since `metadata`.
    file.take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(io_skip)?;
    if bytes.len() as u64 > max_size {
        return Err(Skip::new(
            SkipReason::TooLarge,
            "file grew past the size limit while being read",
        ));
    }
    Ok((bytes, metadata))
}

/// The encoding a Python file declares in its first two lines (PEP 263:
/// `# -*- coding: latin-1 -*-`), lower-cased.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    for line in bytes.split(|&b| b == b'\n').take(2) {
        let line = String::from_utf8_lossy(line);
        let trimmed = line.trim_start_matches([' ', '\t', '\x0c']);
        // On the second line only when the first is a comment (or blank) too.
        if !trimmed.starts_with('#') {
            if trimmed.trim().is_empty() {
                continue;
            }
            return None;
        }
        let Some(at) = trimmed.find("coding") else {
            continue;
        };
        let Some(rest) = trimmed[at + "coding".len()..].strip_prefix([':', '=']) else {
            continue;
        };
        let name: String = rest
            .trim_start_matches([' ', '\t'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        return (!name.is_empty()).then(|| name.to_ascii_lowercase());
    }
    None
}

/// Latin-1's names as Python's codec registry knows them: each byte is the code point.
const LATIN_1: &[&str] = &[
    "latin-1",
    "latin_1",
    "latin1",
    "iso-8859-1",
    "iso8859-1",
    "iso_8859_1",
    "l1",
];

/// `bytes` without a leading UTF-8 byte-order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The text of a source file's `bytes`, or why it must not reach a parser (what
/// [`read_source`] does after reading; the fuzz targets start here).
pub fn decode_source(mut bytes: Vec<u8>, python: bool) -> Result<String, Skip> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Skip::new(
            SkipReason::UnsupportedEncoding,
            "UTF-16 source (byte-order mark); qgate reads UTF-8 — re-save the file as UTF-8",
        ));
    }
    if bytes[..bytes.len().min(BINARY_PROBE)].contains(&0) {
        return Err(Skip::new(
            SkipReason::Binary,
            "NUL byte in the first 8 KiB: not a text file",
        ));
    }
    if bytes.starts_with(b"version https://git-lfs.github.com/spec/v1") {
        return Err(Skip::new(
            SkipReason::LfsPointer,
            "a Git LFS pointer, not the file's content — run `git lfs pull` before qgate, or exclude the file",
        ));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let declared = if python {
        declared_encoding(&bytes)
    } else {
        None
    };
    String::from_utf8(bytes).or_else(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // P5: a Python file that says it is latin-1 is read as latin-1.
        if declared.as_deref().is_some_and(|d| LATIN_1.contains(&d)) {
            return Ok(bytes.iter().map(|&b| char::from(b)).collect());
        }
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let (line, column) = LineIndex::new(valid).position(at);
        let message = match &declared {
            Some(encoding) => format!(
                "invalid UTF-8 byte 0x{:02X} at {line}:{column}: the file declares `coding: {encoding}`, which qgate does not decode (UTF-8 and latin-1 only) — re-encode the file as UTF-8",
                bytes[at]
            ),
            None => format!(
                "invalid UTF-8 byte 0x{:02X} at {line}:{column}; qgate reads UTF-8 only — re-encode the file",
                bytes[at]
            ),
        };
        Err(Skip::new(SkipReason::NotUtf8, message))
    })
}

/// 1-based line and column (in characters) of byte `offset` of `text`, which need not be
/// valid UTF-8: lines break at `\n`, `\r\n` and a lone `\r` (as [`LineIndex`] breaks them).
/// The one helper every error message that points into a file uses.
pub fn line_column(text: &[u8], offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in before.iter().enumerate() {
        let breaks = b == b'\n' || (b == b'\r' && text.get(i + 1) != Some(&b'\n'));
        if breaks {
            line += 1;
            line_start = i + 1;
        }
    }
    // Characters, not bytes: a UTF-8 continuation byte does not start one.
    let column = before[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        + 1;
    (line, column as u32)
}

/// `path` as messages and reports show it: relative to `root` with `/` (`../site.xml` when it
/// lies beside the root), so no absolute path of the machine leaks into a report.
pub fn display_relative(path: &Path, root: &Path) -> String {
    let parts = |p: &Path| -> Vec<std::ffi::OsString> {
        p.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .map(|c| c.as_os_str().to_owned())
            .collect()
    };
    let (path_parts, root_parts) = (parts(path), parts(root));
    if !path.is_absolute() || !root.is_absolute() {
        return path.to_string_lossy().replace('\\', "/");
    }
    let common = path_parts
        .iter()
        .zip(&root_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<String> = vec!["..".to_owned(); root_parts.len() - common];
    out.extend(
        path_parts[common..]
            .iter()
            .map(|p| p.to_string_lossy().into_owned()),
    );
    if out.is_empty() {
        ".".to_owned()
    } else {
        out.join("/")
    }
}

/// Formats a byte count for messages: `512 B`, `3.0 KiB`, `2.0 MiB`.
pub fn human_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KIB * KIB {
        format!("{:.1} MiB", b / (KIB * KIB))
    } else if b >= KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{bytes} B")
    }
}

/// Byte offsets of line starts. Lines break at `\n`, `\r\n` and a lone `\r`, exactly as CPython's
/// tokenizer and coverage.py number them (`str::lines` ignores a lone `\r`; Python's
/// `splitlines` also breaks at form feeds; neither matches).
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
    len: u32,
}

/// See [`LineIndex::cursor`].
pub struct LineCursor<'a> {
    starts: &'a [u32],
    /// The 1-based line of the last offset asked for.
    line: u32,
}

impl LineCursor<'_> {
    /// 1-based line of `offset`; quickest when it is not before the last offset asked for.
    #[inline]
    pub fn line(&mut self, offset: usize) -> u32 {
        if (self.starts[self.line as usize - 1] as usize) > offset {
            self.line = self.starts.partition_point(|&s| s as usize <= offset) as u32;
            return self.line;
        }
        while self
            .starts
            .get(self.line as usize)
            .is_some_and(|&s| s as usize <= offset)
        {
            self.line += 1;
        }
        self.line
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // A CR directly followed by LF is one break, which the LF ends.
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i as u32 + 1);
            }
        }
        Self {
            starts,
            len: bytes.len() as u32,
        }
    }

    /// A cursor answering [`Self::line`] in amortised constant time for offsets that do not
    /// decrease (a token scan asks once per token).
    pub fn cursor(&self) -> LineCursor<'_> {
        LineCursor {
            starts: &self.starts,
            line: 1,
        }
    }

    /// Number of physical lines: a final line break does not start a new line.
    pub fn line_count(&self) -> u32 {
        let n = self.starts.len() as u32;
        if self.starts.last() == Some(&self.len) {
            n - 1
        } else {
            n
        }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&s| s as usize <= offset) as u32
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> usize {
        self.starts
            .get(line.saturating_sub(1) as usize)
            .map_or(self.len as usize, |&s| s as usize)
    }

    /// 1-based line and 1-based column (in characters) of a byte offset in `text` (what
    /// [`line_column`] gives, found faster through the index).
    pub fn position_in(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.line(offset);
        let start = self.line_start(line);
        let offset = offset.min(text.len());
        let column = text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() as u32 + 1);
        (line, column)
    }

    /// Like [`Self::position_in`] when the text is the one the index was built from and the
    /// offset ends valid UTF-8 (columns counted in bytes otherwise).
    fn position(&self, offset: usize) -> (u32, u32) {
        let line = self.line(offset);
        (line, (offset - self.line_start(line)) as u32 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_cursor_agrees_with_the_index_forwards_and_back() {
        let text = "a\r\nbc\rd\n\n\r\ne";
        let index = LineIndex::new(text);
        assert_eq!(
            (0..=text.len()).map(|o| index.line(o)).collect::<Vec<_>>(),
            [1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6, 6]
        );
        let mut cursor = index.cursor();
        for offset in (0..=text.len()).chain([4, 0, 12, 9]) {
            assert_eq!(cursor.line(offset), index.line(offset), "offset {offset}");
        }
    }

    #[test]
    fn p5_a_declared_latin_1_python_file_is_decoded_and_another_encoding_is_named() {
        let latin = b"#!/usr/bin/env python\n# -*- coding: latin-1 -*-\ns = 'caf\xE9'\n".to_vec();
        assert_eq!(
            decode_source(latin.clone(), true).unwrap(),
            "#!/usr/bin/env python\n# -*- coding: latin-1 -*-\ns = 'caf\u{e9}'\n"
        );
        // Rust has no coding declarations.
        assert_eq!(
            decode_source(latin, false).unwrap_err().reason,
            SkipReason::NotUtf8
        );
        let cp1252 = b"# vim: set fileencoding=cp1252 :\ns = '\x93q\x94'\n".to_vec();
        assert_eq!(
            decode_source(cp1252, true).unwrap_err().message,
            "invalid UTF-8 byte 0x93 at 2:6: the file declares `coding: cp1252`, which qgate does not decode (UTF-8 and latin-1 only) — re-encode the file as UTF-8"
        );
        assert_eq!(declared_encoding(b"x = 1\n# coding: latin-1\n"), None);
        assert_eq!(
            declared_encoding(b"# coding=utf-8\n"),
            Some("utf-8".to_owned())
        );
    }

    #[test]
    fn paths_are_shown_relative_to_the_root() {
        let root = Path::new("/ci/work/proj");
        assert_eq!(
            display_relative(Path::new("/ci/work/proj/cov.xml"), root),
            "cov.xml"
        );
        assert_eq!(
            display_relative(Path::new("/ci/work/site.xml"), root),
            "../site.xml"
        );
        assert_eq!(display_relative(Path::new("/ci/work/proj"), root), ".");
        assert_eq!(display_relative(Path::new("rel/x.xml"), root), "rel/x.xml");
    }

    #[test]
    fn line_column_of_any_bytes_agrees_with_the_index() {
        let text = "aé\r\nxy\rz\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            if text.is_char_boundary(offset) {
                assert_eq!(
                    line_column(text.as_bytes(), offset),
                    index.position_in(text, offset),
                    "offset {offset}"
                );
            }
        }
        // Invalid UTF-8 and an offset past the end are fine.
        assert_eq!(line_column(b"\xff\xfe\nab", 4), (2, 2));
        assert_eq!(line_column(b"ab", 99), (1, 3));
    }

    #[test]
    fn line_breaks_follow_cpython() {
        assert_eq!(LineIndex::new("").line_count(), 0);
        assert_eq!(LineIndex::new("a").line_count(), 1);
        assert_eq!(LineIndex::new("a\n").line_count(), 1);
        assert_eq!(LineIndex::new("a\nb").line_count(), 2);
        assert_eq!(LineIndex::new("a\r\nb\r\n").line_count(), 2);
        assert_eq!(LineIndex::new("a\rb\rc").line_count(), 3);
        assert_eq!(LineIndex::new("a\n\n\n").line_count(), 3);
        // A form feed is not a line break for the tokenizer.
        assert_eq!(LineIndex::new("a\x0cb\n").line_count(), 1);
    }

    #[test]
    fn positions_are_one_based_in_characters() {
        let text = "é = 1\r\nxy = 2\rz";
        let index = LineIndex::new(text);
        assert_eq!(index.position_in(text, 0), (1, 1));
        assert_eq!(index.position_in(text, 2), (1, 2)); // after the two-byte `é`
        assert_eq!(
            index.position_in(text, text.find("xy").unwrap() + 1),
            (2, 2)
        );
        assert_eq!(index.position_in(text, text.find('z').unwrap()), (3, 1));
    }

    #[test]
    fn decode_refuses_what_parsers_must_not_see() {
        assert_eq!(
            decode_source(b"x = 1\0".to_vec(), true).unwrap_err().reason,
            SkipReason::Binary
        );
        assert_eq!(
            decode_source(vec![0xFF, 0xFE, b'x', 0], true)
                .unwrap_err()
                .reason,
            SkipReason::UnsupportedEncoding
        );
        let err = decode_source(b"a = 1\nb = '\xE9'\n".to_vec(), true).unwrap_err();
        assert_eq!(err.reason, SkipReason::NotUtf8);
        assert_eq!(
            err.message,
            "invalid UTF-8 byte 0xE9 at 2:6; qgate reads UTF-8 only — re-encode the file"
        );
    }

    #[test]
    fn decode_strips_a_utf8_bom() {
        assert_eq!(
            decode_source(b"\xEF\xBB\xBFx = 1\n".to_vec(), true).unwrap(),
            "x = 1\n"
        );
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(3 * 1024), "3.0 KiB");
        assert_eq!(human_size(5 * 1024 * 1024 + 1), "5.0 MiB");
    }
}

/// Today's date as `YYYY-MM-DD` (UTC), from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs / 86_400) as i64)
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod date_tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_date(0), "1970-01-01");
        assert_eq!(super::civil_date(20_789), "2026-12-02");
        assert_eq!(super::civil_date(11_016), "2000-02-29");
    }
}
