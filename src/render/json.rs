//! The JSON report, pretty-printed with a final newline.

use crate::report::Report;

pub fn render(report: &Report) -> String {
    // Serialising plain data structures cannot fail; fall back to an empty object rather than panic.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".to_owned());
    out.push('\n');
    out
}
