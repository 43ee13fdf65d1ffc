//! The JSON report, pretty-printed with a final newline.
//!
//! The bytes are serde_json's `to_writer_pretty` of the [`Report`]; the `files` list (most of
//! the report: 39 of the Python corpus's 45 MB) is rendered a batch at a time on several threads.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;

use super::RenderOptions;
use crate::report::{FileReport, Report};

/// Files a thread renders at once, and files rendered before they are written: a few
/// megabytes in memory at a time, whatever the report's size.
const CHUNK: usize = 16;
const BATCH: usize = 16 * CHUNK;

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    // serde_json writes many small pieces: buffer them here, not one dynamic call each.
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    // Every field, in the order serde's derive writes them: a field added to `Report` does not
    // compile here until it is written too.
    let Report {
        schema_version,
        tool,
        status,
        root: _,
        summary,
        gates,
        files,
        duplication,
        findings,
        skipped,
        inputs,
        config,
        scope,
        baseline,
    } = report;
    let mut object = TopLevel::begin(&mut out)?;
    object.field("schema_version", schema_version)?;
    object.field("tool", tool)?;
    object.field("status", status)?;
    object.field("summary", summary)?;
    object.field("gates", gates)?;
    object.key("files")?;
    write_files(&mut *object.out, files, options.threads)?;
    object.field("duplication", duplication)?;
    object.field("findings", findings)?;
    object.field("skipped", skipped)?;
    object.field("inputs", inputs)?;
    object.field("config", config)?;
    object.field("scope", scope)?;
    if let Some(baseline) = baseline {
        object.field("baseline", baseline)?;
    }
    out.write_all(b"\n}\n")?;
    out.flush()
}

/// The report's outer object, written key by key at the indentation serde_json gives it.
struct TopLevel<'a, W: Write> {
    out: &'a mut W,
    first: bool,
}

impl<'a, W: Write> TopLevel<'a, W> {
    fn begin(out: &'a mut W) -> io::Result<Self> {
        out.write_all(b"{")?;
        Ok(Self { out, first: true })
    }

    /// `"name": ` on a line of its own (the names are plain ASCII: nothing to escape).
    fn key(&mut self, name: &str) -> io::Result<()> {
        let start = if self.first { "\n" } else { ",\n" };
        self.first = false;
        write!(self.out, "{start}  \"{name}\": ")
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> io::Result<()> {
        self.key(name)?;
        write_at_depth(&mut *self.out, value, 1)
    }
}

/// `value` as serde_json pretty-prints it `depth` levels down.
fn write_at_depth<W: Write, T: Serialize + ?Sized>(out: W, value: &T, depth: usize) -> io::Result<()> {
    let formatter = Pretty {
        depth,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(out, formatter);
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// The `files` array, one batch after another, each batch's chunks rendered in parallel.
fn write_files<W: Write>(out: &mut W, files: &[FileReport], threads: usize) -> io::Result<()> {
    if files.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let pool = (threads > 1)
        .then(|| rayon::ThreadPoolBuilder::new().num_threads(threads).build().ok())
        .flatten();
    for (batch_index, batch) in files.chunks(BATCH).enumerate() {
        let render_chunk = |(chunk_index, chunk): (usize, &[FileReport])| {
            let mut bytes = Vec::new();
            let first = batch_index == 0 && chunk_index == 0;
            write_entries(&mut bytes, chunk, first).map(|()| bytes)
        };
        match &pool {
            Some(pool) => {
                let rendered: Vec<io::Result<Vec<u8>>> = pool.install(|| {
                    batch.par_chunks(CHUNK).enumerate().map(render_chunk).collect()
                });
                for bytes in rendered {
                    out.write_all(&bytes?)?;
                }
            }
            // One thread (`--jobs 1`, or none could be started): straight into the writer.
            None => write_entries(out, batch, batch_index == 0)?,
        }
    }
    out.write_all(b"\n  ]")
}

/// `files` as array elements two levels down, each after its line break (and comma unless
/// it is the array's first).
fn write_entries<W: Write>(out: &mut W, files: &[FileReport], first: bool) -> io::Result<()> {
    for (i, file) in files.iter().enumerate() {
        out.write_all(if first && i == 0 { b"\n    " } else { b",\n    " })?;
        write_at_depth(&mut *out, file, 2)?;
    }
    Ok(())
}

/// serde_json's `PrettyFormatter` with two-space indentation, byte for byte, but writing each
/// line break and its indentation in one piece instead of one call per level: the public Python
/// corpus's report has 1.45 million keys, 85 % of them five or six levels deep.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

/// `,` then a line break and enough spaces for [`Pretty::line`]'s usual depths.
const BREAKS: &[u8; 66] = b",\n                                                                ";

impl Pretty {
    /// A line break (after a comma when `comma`) and the current indentation.
    fn line<W: ?Sized + Write>(&self, writer: &mut W, comma: bool) -> io::Result<()> {
        let start = usize::from(!comma);
        let width = 2 * self.depth;
        if 2 + width <= BREAKS.len() {
            return writer.write_all(&BREAKS[start..2 + width]);
        }
        writer.write_all(&BREAKS[start..2])?;
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    /// An array or object begins: the next line is one level deeper.
    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// It ends: on a line of its own, unless it was empty.
    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(writer, false)?;
        }
        writer.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.line(writer, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.line(writer, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(value: &serde_json::Value) -> String {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
        value.serialize(&mut serializer).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_what_serde_json_pretty_prints_at_any_depth() {
        // Deeper than the precomputed indentation reaches (32 levels), empty containers, and
        // strings holding what the formatter writes.
        let mut deep = serde_json::json!({"leaf": [1, {}, [], "a,\n  b"]});
        for i in 0..40 {
            deep = serde_json::json!({ "k": deep, "i": i, "e": [], "o": {} });
        }
        let values = [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!({"a": [1, 2.5, "x"], "b": {"c": null}}),
            deep,
        ];
        for value in &values {
            assert_eq!(pretty(value), serde_json::to_string_pretty(value).unwrap());
        }
    }
}
