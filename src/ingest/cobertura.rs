//! Cobertura XML as coverage.py, cargo-llvm-cov and tarpaulin write it, read as a stream (never
//! a DOM, never expanding entities).

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{FileHits, IngestError, Report};

/// A NUL byte never belongs in XML: the file is damaged (R10).
fn nul_byte(path: &Path, at: u64) -> IngestError {
    IngestError::in_file(
        path,
        at,
        "a NUL byte in the XML",
        "the report is damaged (truncated, or binary data written into it); regenerate it",
    )
}

pub fn read<'a>(
    path: &Path,
    input: impl std::io::BufRead,
    mut report: Report<'a>,
) -> Result<Report<'a>, IngestError> {
    let mut reader = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut current: Option<(String, FileHits)> = None;
    let mut in_source = false;
    let mut root_seen = false;
    let mut packages_seen = false;
    // `<line>` elements left out, and where the first one is.
    let mut unusable = 0usize;
    let mut first_unusable: Option<(u64, String)> = None;
    // Elements open: a report that ends inside one was truncated.
    let mut depth = 0usize;
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            IngestError::in_file(
                path,
                at,
                format!("malformed XML: {e}"),
                "the report looks truncated or damaged; regenerate it",
            )
            .caused_by(e)
        })?;
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if !root_seen {
                    root_seen = true;
                    if name != b"coverage" {
                        return Err(look_alike(path, name));
                    }
                    // Clover's root is `<coverage>` too: its `clover` attribute and `<project>`
                    // tell it apart (R18).
                    if attr(e, b"clover").is_some() {
                        return Err(IngestError::in_file(
                            path,
                            at,
                            "a Clover XML report, not Cobertura",
                            "export Cobertura instead (coverage.py: `coverage xml`; cargo-llvm-cov: `--cobertura`), or LCOV",
                        ));
                    }
                    report.stated = stated_totals(e);
                    continue;
                }
                match name {
                    b"packages" => packages_seen = true,
                    b"project" if !packages_seen => {
                        return Err(IngestError::in_file(
                            path,
                            at,
                            "a <coverage> report with <project> elements (Clover's layout), not Cobertura's <packages>",
                            "export Cobertura instead (coverage.py: `coverage xml`), or LCOV",
                        ));
                    }
                    b"source" => in_source = matches!(event, Event::Start(_)),
                    b"class" => {
                        if let Some((file, hits)) = current.take() {
                            report.add(file, hits);
                        }
                        let filename = attr(e, b"filename").unwrap_or_default();
                        current = Some((filename, FileHits::default()));
                    }
                    b"line" => {
                        if let Some((_, hits)) = current.as_mut()
                            && let Err(what) = line(e, hits)
                        {
                            unusable += 1;
                            first_unusable.get_or_insert((at, what));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if memchr::memchr(0, t).is_some() => {
                return Err(nul_byte(path, at));
            }
            Event::Text(t) if in_source => {
                let source = String::from_utf8_lossy(t.as_ref()).trim().to_owned();
                if !source.is_empty() {
                    report.sources.push(source);
                }
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                b"source" => in_source = false,
                b"class" => {
                    if let Some((file, hits)) = current.take() {
                        report.add(file, hits);
                    }
                }
                _ => {}
            },
            Event::DocType(ref d)
                if String::from_utf8_lossy(d)
                    .trim()
                    .eq_ignore_ascii_case("html") =>
            {
                return Err(html_report(path));
            }
            Event::DocType(_) => {
                return Err(IngestError::in_file(
                    path,
                    at,
                    "the report declares a DTD; qgate does not read DTDs or entities",
                    "remove the <!DOCTYPE …> line",
                ));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !root_seen {
        return Err(IngestError::new(
            path,
            "no XML element in the file",
            "regenerate the report",
        ));
    }
    if !packages_seen {
        return Err(IngestError::new(
            path,
            "a <coverage> element without <packages>: the report holds no coverage data",
            "regenerate it with the coverage tool (the test step may have failed before writing it)",
        ));
    }
    if let Some((at, what)) = first_unusable {
        let more = match unusable - 1 {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        let located = IngestError::in_file(
            path,
            at,
            format!("{what}{more}"),
            "left out of coverage; regenerate the report",
        );
        report.warnings.push(located.to_string());
    }
    if current.is_some() || depth > 0 {
        return Err(IngestError::in_file(
            path,
            reader.buffer_position(),
            "unexpected end of file",
            "the report looks truncated; regenerate it",
        ));
    }
    Ok(report)
}

/// The other XML coverage formats, named so the user knows what they passed.
fn look_alike(path: &Path, root: &[u8]) -> IngestError {
    if root.eq_ignore_ascii_case(b"html") {
        return html_report(path);
    }
    let (what, hint) = match root {
        b"report" => (
            "JaCoCo XML",
            "qgate reads Cobertura: convert it (e.g. with `cover2cover`) or pass LCOV",
        ),
        b"coverage-report" | b"project" => (
            "Clover XML",
            "qgate reads Cobertura, LCOV or coverage.py JSON",
        ),
        _ => (
            "an XML file that is not Cobertura",
            "pass Cobertura XML (`coverage xml`, `cargo llvm-cov --cobertura`)",
        ),
    };
    IngestError::new(
        path,
        format!(
            "this looks like {what} (root element <{}>), not Cobertura",
            String::from_utf8_lossy(root)
        ),
        hint,
    )
}

/// `<coverage lines-valid="24" lines-covered="19" branches-valid="14" branches-covered="10">`.
fn stated_totals(root: &BytesStart<'_>) -> Option<crate::report::CoverageCounts> {
    let count = |key: &[u8]| attr(root, key).and_then(|v| v.trim().parse::<u32>().ok());
    Some(crate::report::CoverageCounts {
        lines_valid: count(b"lines-valid")?,
        lines_covered: count(b"lines-covered")?,
        branches_valid: count(b"branches-valid").unwrap_or(0),
        branches_covered: count(b"branches-covered").unwrap_or(0),
    })
}

/// An HTML page (coverage.py's `htmlcov/index.html`, most likely) passed as a report.
fn html_report(path: &Path) -> IngestError {
    IngestError::new(
        path,
        "this is an HTML page (coverage.py's HTML report?), not a coverage report",
        "pass the XML, JSON or LCOV report instead: `coverage xml` writes coverage.xml",
    )
}

fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// `<line number="12" hits="1" branch="true" condition-coverage="50% (1/2)"/>`. Unparsable
/// numbers skip the line (never a panic); hits are counts or 0/1.
/// Records one `<line>`; an unusable `number` or `hits` is left out and said why (R13).
fn line(e: &BytesStart<'_>, hits: &mut FileHits) -> Result<(), String> {
    let number = attr(e, b"number").unwrap_or_default();
    let Some(number) = number.trim().parse::<u32>().ok().filter(|&n| n > 0) else {
        return Err(format!(
            "a <line> with number=\"{number}\" (not a line number from 1 to 4294967295)"
        ));
    };
    let count = attr(e, b"hits").unwrap_or_default();
    let Some(count) = count
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|c| c.is_finite() && *c >= 0.0)
    else {
        return Err(format!(
            "a <line> with hits=\"{count}\" (not a count of 0 or more)"
        ));
    };
    *hits.lines.entry(number).or_insert(false) |= count > 0.0;
    if attr(e, b"branch").is_some_and(|b| b == "true")
        && let Some(cc) = attr(e, b"condition-coverage")
        && let Some((taken, total)) = condition_counts(&cc)
    {
        let entry = hits.branches.entry(number).or_insert((0, 0));
        *entry = (entry.0.max(taken), entry.1.max(total));
    }
    Ok(())
}

/// `"50% (1/2)"` → (1, 2).
fn condition_counts(text: &str) -> Option<(u32, u32)> {
    let inner = text.split_once('(')?.1.split_once(')')?.0;
    let (taken, total) = inner.split_once('/')?;
    Some((taken.trim().parse().ok()?, total.trim().parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(xml: &str) -> Result<Report<'static>, IngestError> {
        read(Path::new("c.xml"), xml.as_bytes(), Report::keep_all())
    }

    #[test]
    fn reads_lines_and_branches() {
        let xml = r#"<?xml version="1.0" ?>
<coverage version="7.6"><sources><source>/work/proj</source></sources><packages><package name="p"><classes>
<class name="a.py" filename="pkg/a.py"><lines>
<line number="1" hits="1"/><line number="2" hits="0" branch="true" condition-coverage="50% (1/2)"/><line number="3" hits="12"/>
</lines></class></classes></package></packages></coverage>"#;
        let r = parse(xml).unwrap();
        assert_eq!(r.sources, ["/work/proj"]);
        let a = &r.files["pkg/a.py"];
        assert_eq!(
            a.lines.iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(),
            [(1, true), (2, false), (3, true)]
        );
        assert_eq!(a.branches[&2], (1, 2));
    }

    #[test]
    fn truncated_xml_is_an_error_with_a_position() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.xml");
        std::fs::write(&file, "<coverage>\n<packages><package><classes><class filename=\"a.py\"><lines><line number=\"1\" hi").unwrap();
        let err = super::super::read_coverage(
            &file,
            Box::new(|_: &[String], n: &str| Some(n.to_owned())),
        )
        .unwrap_err();
        assert_eq!(err.line.map(|(line, _)| line), Some(2), "{err}");
    }

    #[test]
    fn a_report_cut_between_elements_is_truncated() {
        let err = parse("<coverage><packages><package>").unwrap_err();
        assert_eq!(err.message, "unexpected end of file");
    }

    #[test]
    fn jacoco_is_named() {
        let err = parse("<?xml version=\"1.0\"?><report name=\"x\"/>").unwrap_err();
        assert!(err.message.contains("JaCoCo"), "{err}");
    }

    #[test]
    fn entities_and_dtds_are_refused() {
        let err = parse("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><coverage/>")
            .unwrap_err();
        assert!(err.message.contains("DTD"), "{err}");
    }

    #[test]
    fn odd_numbers_skip_the_line() {
        let r = parse(r#"<coverage><packages><package><classes><class filename="a.py"><line number="x" hits="1"/><line number="2" hits="-"/><line number="3" hits="1e3"/></class></classes></package></packages></coverage>"#).unwrap();
        assert_eq!(r.files["a.py"].lines.len(), 1);
    }
}
