//! Renderers write a report to an `io::Write`; they format and never compute.
//!
//! Adding a format is one file here (`pub fn render(report, options, out)`) and one line in
//! the [`formats!`] list below, which declares the module, the `--format` value (its doc
//! comment is the `--help` text) and the dispatch.

use std::io::{self, Write};

use crate::report::Report;

/// How a report is rendered, beyond its content.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// ANSI colours (text to a terminal only).
    pub color: bool,
    /// 0 quiet (verdict and failures), 1 normal, 2 verbose (everything).
    pub verbosity: u8,
    /// What the HTML page embeds.
    pub html: html::HtmlOptions,
    /// Where the HTML report will be (a CI artifact's URL): the Markdown summary links it.
    pub report_url: Option<String>,
    /// JUnit: a testcase per offender of a failing gate too (`[junit] per-offender`).
    pub junit_offenders: bool,
}

/// Declares each format's module, its `Format` variant and the dispatch to `module::render`.
macro_rules! formats {
    ($($(#[$doc:meta])* $variant:ident => $module:ident,)*) => {
        $(pub mod $module;)*

        /// Output formats of `--format` and `--report FORMAT=FILE`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
        pub enum Format {
            $($(#[$doc])* $variant,)*
        }

        impl Format {
            /// Writes `report` in this format to `out`.
            pub fn write(
                self,
                report: &Report,
                options: &RenderOptions,
                out: &mut dyn Write,
            ) -> io::Result<()> {
                match self {
                    $(Self::$variant => $module::render(report, options, out),)*
                }
            }
        }
    };
}

formats! {
    /// Human-readable summary.
    Text => text,
    /// The versioned JSON report (schema_version 1).
    Json => json,
    /// One self-contained HTML page: overview, tables, file and clone views.
    Html => html,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif => sarif,
    /// Markdown for $GITHUB_STEP_SUMMARY and pull-request comments.
    Markdown => markdown,
    /// GitHub Actions annotations (workflow commands).
    Github => github,
    /// JUnit XML (the test tab of GitLab, Jenkins, GitHub reporters).
    Junit => junit,
    /// GitLab Code Quality (CodeClimate JSON).
    Gitlab => gitlab,
}

mod issues;

impl Format {
    /// Renders into memory (tests, and targets that are not files).
    pub fn to_bytes(self, report: &Report, options: &RenderOptions) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        self.write(report, options, &mut out)?;
        Ok(out)
    }
}
