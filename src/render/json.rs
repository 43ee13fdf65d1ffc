//! The JSON report, pretty-printed with a final newline.

use std::io::{self, Write};

use super::RenderOptions;
use crate::report::Report;

pub fn render(report: &Report, _: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}
