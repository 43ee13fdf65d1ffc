//! Counts the `.rs` files under a directory that syn and rust-analyzer's parser (`ra_ap_syntax`)
//! reject, each file parsed under the edition its nearest `Cargo.toml` declares (2015 when it
//! declares none), and times each parser alone. Files under a `test_data` directory are left
//! out: they are rust-analyzer's own parser fixtures (downloaded with `ra_ap_syntax`), snippets
//! that are invalid or nightly-only on purpose and never compiled.
//!
//! ra-parse-errors count DIR...     files, and the files each parser rejects, by edition
//!                                  (RA_EDITION=2015|2018|2021|2024 parses every file under that
//!                                  edition instead of its crate's)
//! ra-parse-errors syn DIR...       parse every file with syn only (for hyperfine)
//! ra-parse-errors ra DIR...        parse every file with ra_ap_syntax only (for hyperfine)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ra_ap_syntax::{Edition, SourceFile};
use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let dirs: Vec<String> = args.collect();
    if dirs.is_empty() || !["count", "syn", "ra"].contains(&mode.as_str()) {
        eprintln!("usage: ra-parse-errors count|syn|ra DIR...");
        std::process::exit(2);
    }
    let files = rust_files(&dirs);
    let forced = std::env::var("RA_EDITION").ok().map(|e| edition_named(&e));
    let sources: Vec<(PathBuf, String, Edition)> = files
        .into_par_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let edition = forced.unwrap_or_else(|| edition_of(&p));
            Some((p, text, edition))
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(256 * 1024 * 1024)
        .build()
        .expect("thread pool");
    pool.install(|| match mode.as_str() {
        "syn" => {
            let ok = sources
                .par_iter()
                .filter(|(_, t, _)| syn::parse_file(t).is_ok())
                .count();
            println!("syn: {ok} of {} files parsed", sources.len());
        }
        "ra" => {
            let ok = sources
                .par_iter()
                .filter(|(_, t, e)| SourceFile::parse(t, *e).errors().is_empty())
                .count();
            println!("ra_ap_syntax: {ok} of {} files parsed", sources.len());
        }
        _ => count(&sources),
    });
}

/// Per edition: files, lines, files syn rejects, files ra_ap_syntax reports errors in, and
/// both; then the paths where the two disagree, with ra's first error.
fn count(sources: &[(PathBuf, String, Edition)]) {
    struct Row {
        path: String,
        edition: Edition,
        lines: usize,
        syn_error: Option<String>,
        ra_error: Option<String>,
    }
    let rows: Vec<Row> = sources
        .par_iter()
        .map(|(p, t, e)| Row {
            path: p.display().to_string(),
            edition: *e,
            lines: t.lines().count(),
            syn_error: syn::parse_file(t).err().map(|e| {
                let at = e.span().start();
                format!("{}:{}: {e}", at.line, at.column + 1)
            }),
            ra_error: SourceFile::parse(t, *e)
                .errors()
                .first()
                .map(|e| format!("{:?}: {e}", e.range())),
        })
        .collect();
    let mut by_edition: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    for r in &rows {
        let c = by_edition.entry(format!("{:?}", r.edition)).or_default();
        c[0] += 1;
        c[1] += r.lines;
        c[2] += usize::from(r.syn_error.is_some());
        c[3] += usize::from(r.ra_error.is_some());
        c[4] += usize::from(r.syn_error.is_some() && r.ra_error.is_some());
    }
    println!("| edition | files | lines | syn rejects | ra_ap_syntax errors | both |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut total = [0usize; 5];
    for (edition, c) in &by_edition {
        println!(
            "| {edition} | {} | {} | {} | {} | {} |",
            c[0], c[1], c[2], c[3], c[4]
        );
        for i in 0..5 {
            total[i] += c[i];
        }
    }
    let t = total;
    println!(
        "| all | {} | {} | {} | {} | {} |",
        t[0], t[1], t[2], t[3], t[4]
    );
    println!();
    for r in rows
        .iter()
        .filter(|r| r.syn_error.is_some() != r.ra_error.is_some())
    {
        println!(
            "{} ({:?}): syn: {} · ra: {}",
            r.path,
            r.edition,
            r.syn_error.as_deref().unwrap_or("ok"),
            r.ra_error.as_deref().unwrap_or("ok")
        );
    }
}

fn rust_files(dirs: &[String]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in dirs {
        let walk = ignore::WalkBuilder::new(dir)
            .hidden(false)
            .require_git(false)
            .build();
        files.extend(
            walk.filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .map(ignore::DirEntry::into_path)
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .filter(|p| !p.components().any(|c| c.as_os_str() == "test_data")),
        );
    }
    files.sort();
    files
}

/// The edition declared by the nearest `Cargo.toml` above `path` (`edition = "20xx"` in
/// `[package]`, read as text; a workspace-inherited edition counts as 2021, the usual value).
fn edition_of(path: &Path) -> Edition {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if let Ok(toml) = std::fs::read_to_string(d.join("Cargo.toml"))
            && toml.contains("[package]")
        {
            for line in toml.lines() {
                let line = line.trim();
                if let Some(value) = line.strip_prefix("edition") {
                    let value = value.trim_start();
                    if value.starts_with('=') {
                        return edition_named(value.trim_matches(|c: char| !c.is_ascii_digit()));
                    }
                }
                if line.starts_with("edition.workspace") {
                    return Edition::Edition2021;
                }
            }
            return Edition::Edition2015;
        }
        dir = d.parent();
    }
    Edition::Edition2015
}

fn edition_named(year: &str) -> Edition {
    match year {
        "2018" => Edition::Edition2018,
        "2021" => Edition::Edition2021,
        "2024" => Edition::Edition2024,
        _ => Edition::Edition2015,
    }
}
