//! Renderers format a report; they never compute.

pub mod json;
pub mod text;

/// Output formats of `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable summary.
    Text,
    /// The versioned JSON report (schema_version 1).
    Json,
}

/// Renders `report` in `format`. `color` only affects text.
pub fn render(
    report: &crate::report::Report,
    format: Format,
    options: &text::TextOptions,
) -> String {
    match format {
        Format::Text => text::render(report, options),
        Format::Json => json::render(report),
    }
}
