//! The JSON report, pretty-printed with a final newline.

use std::io::{self, Write};

use super::RenderOptions;
use crate::report::Report;

pub fn render(report: &Report, _: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    // serde_json writes many small pieces: buffer them here, not one dynamic call each.
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")?;
    out.flush()
}
